"""Shared passages: sentences, shingles, bounded candidates, hand-worked Jaccard, the seeds."""

from __future__ import annotations

import difflib
import os
import pickle
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wording import grouping, paths, reuse
from wording.pipeline import build

NINE = "one two three four five six seven eight nine"


def _paragraphs(*rows: tuple[str, int, str]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"file": f, "paragraph": p, "kind": "body", "text": t} for f, p, t in rows]
    )


@pytest.fixture(scope="module")
def seed_corpus():
    return build(paths.corpus_dir(), paths.metadata_csv())


@pytest.fixture(scope="module")
def seed_passages(seed_corpus):
    return reuse.shared_passages(seed_corpus.paragraphs, seed_corpus.articles)


# ------------------------------------------------------------------ sentences and normalising


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Tokyo agreed. The islands remain.", ["Tokyo agreed.", "The islands remain."]),
        ('He said "no." Tokyo waits.', ['He said "no."', "Tokyo waits."]),
        ("“We agree,” he said. “Good.”", ["“We agree,” he said.", "“Good.”"]),
        ("The U.S. President spoke.", ["The U.S. President spoke."]),
        ("Mr. Abe flew to St. Petersburg today.", ["Mr. Abe flew to St. Petersburg today."]),
        (
            "The 2+2 format cost 9.56 yen. Then what?",
            ["The 2+2 format cost 9.56 yen.", "Then what?"],
        ),
        (
            "It ended in the war. in lower case it goes on",
            ["It ended in the war. in lower case it goes on"],
        ),
        # white space of any kind is one space; a paragraph starting "A. B" is one sentence
        ("  Tokyo\tagreed.\nThe islands\u00a0remain.  ", ["Tokyo agreed.", "The islands remain."]),
        (
            "A. Kozyrev said so. U.S. officials   disagreed!",
            ["A. Kozyrev said so.", "U.S. officials disagreed!"],
        ),
        ("", []),
    ],
)
def test_sentence_split_must_and_must_not(text, expected):
    assert reuse.article_sentences("a.txt", [(1, text)]).text == expected


def test_normalise_case_quotes_punctuation():
    for text in ["“Russia’s  Kurils,” he said.", '"russia\'s kurils" HE said']:
        assert reuse.normalised_words(text) == ["russia's", "kurils", "he", "said"]
    # "İ" lower-cases to "i" + a combining dot, which is no word character: three words
    assert reuse.normalised_words("İstanbul’s port.") == ["i", "stanbul's", "port"]


def test_split_sentences_numbers_and_skips_non_body():
    paragraphs = pd.DataFrame(
        [
            {"file": "a", "paragraph": 1, "kind": "headline", "text": "Headline here."},
            {"file": "a", "paragraph": 2, "kind": "body", "text": "First one. Second one."},
            {"file": "a", "paragraph": 3, "kind": "body", "text": "“Russia’s Kurils,” he said."},
        ]
    )
    got = reuse.split_sentences(paragraphs)
    assert got[["paragraph", "sentence"]].values.tolist() == [[2, 1], [2, 2], [3, 1]]
    assert got["n_words"].tolist() == [2, 2, 4]
    assert got["norm"].tolist()[2] == "russia's kurils he said"


# ------------------------------------------------------------------ shingles and similarity


def test_shingles_by_hand():
    # A = NINE, B = NINE with "nine" -> "ten". 4-word shingles: A has 6 (1234 2345 3456 4567
    # 5678 6789), B shares the first 5 and adds "six seven eight ten": 5 shared, union 7.
    a = reuse.article_sentences("a", [(1, NINE)])
    b = reuse.article_sentences("b", [(1, NINE.replace("nine", "ten"))])
    assert len(a.shingle_keys(0)) == len(b.shingle_keys(0)) == 6
    assert len(np.intersect1d(a.shingle_keys(0), b.shingle_keys(0))) == 5
    # a repeated run of four words is one shingle: "a b c d a b c d" has 4 distinct
    assert len(reuse.article_sentences("c", [(1, "a b c d a b c d")]).shingle_keys(0)) == 4


def test_shingle_keys_are_the_same_in_another_process():
    # keys must not come from Python's hash(), which differs between processes
    code = (
        "from wording import reuse; "
        f"print(reuse.article_sentences('a', [(1, {NINE!r})]).shingles.tolist())"
    )
    other = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONHASHSEED": "12345"},
    )
    here = reuse.article_sentences("a", [(1, NINE)]).shingles.tolist()
    assert other.stdout.strip() == str(here)


def test_article_sentences_pickle_and_pool_in_any_order():
    rows = [
        ("b.txt", 3, f"{NINE.replace('nine', 'ten').capitalize()}."),
        ("a.txt", 1, f"{NINE.capitalize()}. Unrelated words about a summit in Peru this week."),
    ]
    per_article = [reuse.article_sentences(f, [(p, t)]) for f, p, t in rows]
    per_article = pickle.loads(pickle.dumps(per_article))
    got = reuse.shared_passages(per_article)
    pd.testing.assert_frame_equal(got, reuse.shared_passages(_paragraphs(*rows)))
    assert got[["file_a", "file_b"]].values.tolist() == [["a.txt", "b.txt"]]


def test_edited_and_verbatim_pairs_found_across_articles():
    paragraphs = _paragraphs(
        ("a.txt", 1, f"{NINE.capitalize()}. Unrelated words about a summit in Peru this week."),
        ("b.txt", 3, f"{NINE.replace('nine', 'ten').capitalize()}."),
        ("c.txt", 1, "“The islands were claimed by Soviet forces at the end of the war,” he said."),
        ("d.txt", 2, '"the islands were claimed by soviet forces at the end of the war" he said'),
    )
    got = reuse.shared_passages(paragraphs)
    pairs = {(r.file_a, r.file_b): r for r in got.itertuples(index=False)}
    assert set(pairs) == {("a.txt", "b.txt"), ("c.txt", "d.txt")}, got
    edited = pairs["a.txt", "b.txt"]
    assert edited.similarity == pytest.approx(5 / 7) and edited.kind == "edited"
    assert edited.shared_shingles == 5
    assert (edited.paragraph_a, edited.paragraph_b) == (1, 3)
    assert pairs["c.txt", "d.txt"].kind == "verbatim" and pairs["c.txt", "d.txt"].similarity == 1
    assert got.columns.tolist() == reuse.PASSAGE_COLUMNS


def test_no_body_paragraphs_no_passages():
    paragraphs = _paragraphs(("a.txt", 1, "Headline of enough words to count as a sentence here."))
    paragraphs["kind"] = "headline"
    assert reuse.split_sentences(paragraphs).empty
    assert reuse.candidate_count(paragraphs) == 0 and reuse.candidate_scores(paragraphs).empty
    got = reuse.shared_passages(paragraphs)
    assert got.empty and got.columns.tolist() == reuse.PASSAGE_COLUMNS


def test_same_article_short_and_unrelated_sentences_not_reported():
    paragraphs = _paragraphs(
        ("a.txt", 1, f"{NINE}. {NINE}."),  # repeated inside one article: not reuse
        ("b.txt", 1, "Kishida told reporters."),  # short, verbatim in c
        ("c.txt", 1, "Kishida told reporters."),
        # share only "prime minister shinzo abe" (1 of 9 and 1 of 10 shingles: J = 1/18)
        ("d.txt", 1, "Japanese Prime Minister Shinzo Abe will visit Russia late next month."),
        ("e.txt", 1, "Kawamura spoke with Prime Minister Shinzo Abe in the Far East today."),
    )
    got = reuse.shared_passages(paragraphs)
    assert got.empty, got


def test_consecutive_matched_sentences_merge_into_one_passage():
    second = "The disputed islands were claimed by Soviet forces at the end of the war."
    paragraphs = _paragraphs(
        ("a.txt", 4, f"{NINE.capitalize()}. {second}"),
        ("b.txt", 2, f"{NINE.replace('nine', 'ten').capitalize()}. {second}"),
    )
    got = reuse.shared_passages(paragraphs)
    assert len(got) == 1, got
    rec = got.iloc[0]
    assert rec["n_sentences"] == 2
    assert rec["text_a"] == f"{NINE.capitalize()}. {second}"
    # merged shingles: 6 + 11 (second sentence, 14 words) in A; B the same with 1 changed:
    # shared 5 + 11 = 16, union 17 + 17 - 16 = 18
    assert rec["similarity"] == pytest.approx(16 / 18)
    assert rec["shared_shingles"] == 16
    assert rec["kind"] == "edited"


def test_widely_copied_sentence_links_to_first_copy_beyond_max_group():
    sentence = "Japan and Russia never signed a permanent peace treaty after the war."
    few = reuse.shared_passages(_paragraphs(*[(f"f{i:02d}", 1, sentence) for i in range(4)]))
    assert len(few) == 6, "four articles: all six pairs"
    many = reuse.shared_passages(_paragraphs(*[(f"f{i:02d}", 1, sentence) for i in range(15)]))
    assert len(many) == 14, "fifteen articles (> MAX_GROUP): each linked to the first copy"
    assert set(many["file_a"]) == {"f00"}


def test_stock_phrase_shingle_is_not_a_candidate():
    # 60 articles share one 4-word run and nothing else: df 60 > MAX_DF, no candidate pairs
    rows = [
        (f"f{i:02d}", 1, f"Word{i}a word{i}b prime minister shinzo abe word{i}c word{i}d.")
        for i in range(60)
    ]
    assert reuse.candidate_count(_paragraphs(*rows)) == 0


def _boilerplate_corpus(n_articles: int, edited: bool) -> list[reuse.ArticleSentences]:
    """Every article: its own sentence, then the same 30 boilerplate sentences (with the
    article's name in each if ``edited``)."""
    per_article = []
    for i in range(n_articles):
        own = f"Article {i} reports on talks held in city number {i} this week."
        mark = f"site{i} " if edited else ""
        boilerplate = [
            f"{mark}Notice {j}: all rights reserved, reproduction without written permission is forbidden."
            for j in range(30)
        ]
        per_article.append(
            reuse.article_sentences(f"f{i:03d}", [(1, own), (2, " ".join(boilerplate))])
        )
    return per_article


@pytest.mark.parametrize("edited", [False, True])
def test_boilerplate_in_every_article_gives_a_bounded_number_of_candidates(edited):
    # All pairs would be 30 * n(n-1)/2 sentence pairs: 53,100 at 60 articles, 214,200 at 120.
    # Exact copies: each boilerplate sentence links every copy to its first copy, 30 (n - 1).
    # Copies edited in one word: every shared shingle is in n > MAX_DF first copies: none.
    for n in (60, 120):
        count = reuse.candidate_count(_boilerplate_corpus(n, edited))
        assert count == (0 if edited else 30 * (n - 1)), (n, count)


def test_candidate_scores_are_a_bounded_fixed_sample():
    rows = [(f"f{i:02d}", 1, f"{NINE.capitalize()} {i % 3}.") for i in range(12)]
    every = reuse.candidate_scores(_paragraphs(*rows))
    # three groups of four verbatim copies (6 pairs each) and their three first copies, which
    # share 6 of 7 shingles (edited pairs between first copies only): 18 + 3
    assert len(every) == reuse.candidate_count(_paragraphs(*rows)) == 21
    assert every["similarity"].tolist() == [1.0] * 18 + [6 / 8] * 3
    sample = reuse.candidate_scores(_paragraphs(*rows), max_pairs=10)
    assert len(sample) == 10
    pd.testing.assert_frame_equal(sample, reuse.candidate_scores(_paragraphs(*rows), max_pairs=10))


def test_candidates_below_the_threshold_are_scored_but_not_reported():
    paragraphs = _paragraphs(
        ("a.txt", 1, f"{NINE.capitalize()}. Alpha beta gamma delta epsilon zeta eta theta."),
        ("b.txt", 1, f"{NINE.replace('nine', 'ten').capitalize()}."),
        ("c.txt", 1, "Alpha beta gamma delta epsilon zeta eta iota kappa lambda mu nu xi."),
        ("d.txt", 1, "Someone said one two three four and then something else entirely."),
    )
    scores = reuse.candidate_scores(paragraphs)
    # a-b: 5 of 7 shingles (edited). a-c: a's 8 words have 5 shingles, c's 13 words 10; they
    # share the 4 up to "eta": 4 / (5 + 10 - 4). a-d, b-d: "one two three four" only, of 6 and
    # 8 (d has 11 words): 1 / 13 < THRESHOLD.
    got = {(r.file_a, r.file_b): r.similarity for r in scores.itertuples(index=False)}
    assert got == pytest.approx(
        {("a.txt", "b.txt"): 5 / 7, ("a.txt", "c.txt"): 4 / 11, ("a.txt", "d.txt"): 1 / 13,
         ("b.txt", "d.txt"): 1 / 13}
    )  # fmt: skip
    passages = reuse.shared_passages(paragraphs)
    assert set(zip(passages["file_a"], passages["file_b"], strict=True)) == {
        ("a.txt", "b.txt"),
        ("a.txt", "c.txt"),
    }


@settings(max_examples=20, deadline=None)
@given(st.permutations(list(range(4))))
def test_row_order_does_not_change_the_result(order):
    rows = [
        ("a.txt", 1, f"{NINE.capitalize()}."),
        ("b.txt", 1, f"{NINE.replace('nine', 'ten').capitalize()}."),
        ("c.txt", 1, f"{NINE.replace('one', 'zero').capitalize()}."),
        ("d.txt", 1, "Something else entirely with enough words to count here."),
    ]
    base = reuse.shared_passages(_paragraphs(*rows))
    shuffled = reuse.shared_passages(_paragraphs(*[rows[i] for i in order]))
    pd.testing.assert_frame_equal(base, shuffled)


def test_diff_ratios_are_difflibs():
    a = ["a b c d", "a b c d", "x y", "same words", "p q r"]
    b = ["a b x d", "a c d", "x y z", "same words", "a b x d"]
    want = [
        difflib.SequenceMatcher(None, x.split(), y.split(), autojunk=False).ratio()
        for x, y in zip(a, b, strict=True)
    ]
    assert reuse.diff_ratios(a, b).tolist() == want


_WORDS = st.lists(st.sampled_from(["the", "a", "Kuril", "islands", "said", "Tokyo"]), max_size=30)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_WORDS, _WORDS), min_size=1, max_size=8))
def test_diff_ratios_equal_the_standard_librarys_with_repeated_words(pairs):
    # the compiled matcher must break ties between equally long matches as difflib does
    a, b = [" ".join(x) for x, _ in pairs], [" ".join(y) for _, y in pairs]
    want = [
        difflib.SequenceMatcher(None, x.split(), y.split(), autojunk=False).ratio()
        for x, y in zip(a, b, strict=True)
    ]
    assert reuse.diff_ratios(a, b).tolist() == want


def test_diff_html_marks_edits_and_escapes():
    out = reuse.diff_html("Japan and <Russia> never signed", "Japan and <Russia> have never signed")
    assert "<ins>have</ins>" in out and "<del>" not in out
    assert "&lt;Russia&gt;" in out and "<Russia>" not in out
    table = reuse.side_by_side_html(
        pd.DataFrame(
            {
                "file_a": ["a"], "file_b": ["b"], "paragraph_a": [1], "paragraph_b": [2],
                "text_a": ["x y z"], "text_b": ["x q z"], "kind": ["edited"], "similarity": [0.5],
            }
        )
    )  # fmt: skip
    assert "<del>y</del>" in table and "<ins>q</ins>" in table and "<script" not in table
    # every cell reads left to right whatever stylesheet the page has (inline style)
    assert table.count("<td") == table.count("<td class='a' style='text-align:left") + table.count(
        "<td class='b' style='text-align:left"
    )


# ------------------------------------------------------------------ the seed articles


def test_seed_sputnik_background_paragraph_found(seed_passages):
    # 001 ¶ "Japan and Russia never signed a permanent peace treaty ... Habomai. The disputed
    # islands, located in the Sea of Okhotsk, were claimed by Soviet forces at the end of the
    # war." and 002's copy ("have never signed", comma, no island list): both sentences match.
    got = seed_passages.set_index(["file_a", "file_b"])
    key = ("001_e9e6e489c14a83f0.txt", "002_b2da908307f10950.txt")
    assert key in got.index, f"001/002 background paragraph not found:\n{seed_passages}"
    rec = got.loc[key]
    rec = rec.iloc[0] if isinstance(rec, pd.DataFrame) else rec
    assert rec["kind"] == "edited", rec
    assert rec["n_sentences"] == 2, rec
    assert "Sea of Okhotsk" in rec["text_a"] and "Sea of Okhotsk" in rec["text_b"]
    assert rec["text_a"].startswith("Japan and Russia never signed")
    assert rec["text_b"].startswith("Japan and Russia have never signed")
    assert rec["similarity"] > 0.5


def test_seed_three_passages_and_their_scores(seed_passages):
    got = seed_passages[["file_a", "file_b", "paragraph_a", "paragraph_b", "kind"]]
    assert got.values.tolist() == [
        ["001_e9e6e489c14a83f0.txt", "002_b2da908307f10950.txt", 6, 5, "edited"],
        ["000_bc5782a3297aeda6.txt", "002_b2da908307f10950.txt", 6, 5, "related"],
        ["000_bc5782a3297aeda6.txt", "001_e9e6e489c14a83f0.txt", 6, 6, "related"],
    ]
    assert seed_passages["shared_shingles"].tolist() == [42, 7, 6]
    assert seed_passages["similarity"].tolist() == pytest.approx([42 / 54, 7 / 46, 6 / 51])
    assert seed_passages["similarity"].round(6).tolist() == [0.777778, 0.152174, 0.117647]


def test_seed_related_version_in_third_sputnik_piece(seed_passages):
    # 000: "Moscow and Tokyo have never signed a permanent peace treaty after the World War II
    # due to Tokyo's claims ..." shares "never signed a permanent peace treaty after" with both.
    got = seed_passages[seed_passages["file_a"] == "000_bc5782a3297aeda6.txt"]
    assert set(got["file_b"]) == {"001_e9e6e489c14a83f0.txt", "002_b2da908307f10950.txt"}, got
    assert got["text_a"].str.startswith("Moscow and Tokyo have never signed").all(), got
    assert (got["kind"] == "related").all(), got


def test_seed_no_passage_shared_across_outlets(seed_passages):
    cross = seed_passages[seed_passages["outlet_a"] != seed_passages["outlet_b"]]
    assert cross.empty, f"TASS / Taipei Times passages shared with another outlet:\n{cross}"
    assert set(seed_passages["outlet_a"]) == {"Sputnik"}


def _groups_of(keys, order):
    """The runs of equal keys in ``order``: (key, positions) per run."""
    runs, ordered = [], keys[order]
    for i, position in enumerate(order):
        if i and ordered[i] == ordered[i - 1]:
            runs[-1][1].append(int(position))
        else:
            runs.append((int(ordered[i]), [int(position)]))
    return runs


def test_grouped_order_puts_equal_keys_together_even_when_only_low_bits_differ():
    """Eight keys use the low 3 bits for positions: keys equal above them (base | 1, base | 2,
    base | 5) must still come out as separate groups, each whole, positions ascending."""
    base, other = np.uint64(0xABCDEF0123456780), np.uint64(0x1234567800000000)
    keys = np.array(
        [base | np.uint64(1), base | np.uint64(2), base | np.uint64(1), other,
         base | np.uint64(2), base | np.uint64(5), other, base | np.uint64(1)],
        dtype=np.uint64,
    )  # fmt: skip
    order, ordered = grouping.grouped_order(keys)
    assert ordered.tolist() == keys[order].tolist()
    assert sorted(order.tolist()) == list(range(8))
    runs = _groups_of(keys, order)
    assert sorted((k, p) for k, p in runs) == sorted(
        [(int(base | np.uint64(1)), [0, 2, 7]), (int(base | np.uint64(2)), [1, 4]),
         (int(base | np.uint64(5)), [5]), (int(other), [3, 6])]
    )  # fmt: skip


def test_grouped_order_groups_as_a_full_sort_does():
    rng = np.random.default_rng(3)
    distinct = rng.integers(0, 2**63, size=5000, dtype=np.int64).astype(np.uint64)
    distinct[:50] = (distinct[:50] >> np.uint64(20)) << np.uint64(20)  # collide above bit 14
    distinct[50:100] = distinct[:50] | np.uint64(7)
    keys = distinct[rng.integers(0, len(distinct), size=20000)]
    order, ordered = grouping.grouped_order(keys)
    assert (ordered == keys[order]).all()
    runs = _groups_of(keys, order)
    expected = {}
    for position, key in enumerate(keys.tolist()):
        expected.setdefault(key, []).append(position)
    assert len(runs) == len(expected) and dict(runs) == expected
