"""Shared passages: sentence splitting, shingles, candidates, hand-worked Jaccard, the seeds."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wording import paths, reuse
from wording.corpus import load_corpus
from wording.text import WORD_RE

NINE = "one two three four five six seven eight nine"


def _paragraphs(*rows: tuple[str, int, str]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"file": f, "paragraph": p, "kind": "body", "text": t} for f, p, t in rows]
    )


@pytest.fixture(scope="module")
def seed_corpus():
    return load_corpus(paths.corpus_dir(), paths.metadata_csv())


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
    ],
)
def test_sentence_split_must_and_must_not(text, expected):
    assert SENTENCES(text) == expected


def SENTENCES(text: str) -> list[str]:  # noqa: N802 - reads like the constant it exercises
    return reuse.sentences_of(text)


def test_normalise_case_quotes_punctuation():
    got = reuse.normalise(pd.Series(["“Russia’s  Kurils,” he said.", '"russia\'s kurils" HE said']))
    assert got.tolist() == ["russia's kurils he said", "russia's kurils he said"]


def test_split_sentences_numbers_and_skips_non_body():
    paragraphs = pd.DataFrame(
        [
            {"file": "a", "paragraph": 1, "kind": "headline", "text": "Headline here."},
            {"file": "a", "paragraph": 2, "kind": "body", "text": "First one. Second one."},
        ]
    )
    got = reuse.split_sentences(paragraphs)
    assert got[["paragraph", "sentence"]].values.tolist() == [[2, 1], [2, 2]]
    assert got["n_words"].tolist() == [2, 2]


# ------------------------------------------------------------------ similarity


def test_jaccard_by_hand():
    # A = NINE, B = NINE with "nine" -> "ten". 4-word shingles: A has 6 (1234 2345 3456 4567
    # 5678 6789), B shares the first 5 and adds "six seven eight ten": 5 shared, union 7.
    sentences = pd.Series([NINE, NINE.replace("nine", "ten")])
    shingles = reuse.shingle_matrix(sentences)
    assert shingles.sizes.tolist() == [6, 6]
    sim, shared = reuse.jaccard(shingles, np.array([0]), np.array([1]))
    assert shared.tolist() == [5]
    assert sim[0] == pytest.approx(5 / 7)


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
    assert (edited.paragraph_a, edited.paragraph_b) == (1, 3)
    assert pairs["c.txt", "d.txt"].kind == "verbatim" and pairs["c.txt", "d.txt"].similarity == 1
    assert got.columns[:5].tolist() == ["file_a", "file_b", "text_a", "text_b", "similarity"]


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
    sentences = reuse.split_sentences(_paragraphs(*rows))
    pairs = reuse.candidate_pairs(sentences, reuse.shingle_matrix(sentences["norm"]))
    assert pairs.empty, pairs


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


# ------------------------------------------------------------------ speed paths, same answers


def _reference_sentences(paragraphs: pd.DataFrame) -> list[tuple]:
    """split_sentences as first written, paragraph by paragraph (the definition)."""
    body = paragraphs[paragraphs["kind"].fillna("body") == "body"]
    rows = []
    for rec in body.itertuples(index=False):
        text = re.sub(r"\s+", " ", rec.text)
        marked = reuse.SENTENCE_END_RE.sub("\\1\\2\uffff", text)  # not in the texts
        parts = [p.strip() for p in marked.split("\uffff")]
        for number, part in enumerate([p for p in parts if p], start=1):
            norm = " ".join(WORD_RE.findall(part.translate(reuse.QUOTE_TRANSLATION).lower()))
            rows.append((rec.file, rec.paragraph, number, part, norm, len(norm.split())))
    return rows


def test_batched_split_equals_paragraph_by_paragraph():
    # Joined batches must split and count exactly as one paragraph at a time: white space of
    # every kind, a paragraph starting "A. B", the batch separator characters inside a text, a
    # letter whose lower case is longer (İ), curly quotes and apostrophes, an empty paragraph.
    paragraphs = pd.DataFrame(
        {
            "file": ["a", "a", "b", "c", "c", "d"],
            "paragraph": [1, 2, 1, 1, 2, 1],
            "kind": ["body"] * 6,
            "text": [
                "  Tokyo\tagreed.\nThe islands\u00a0remain.  ",
                "A. Kozyrev said so. U.S. officials   disagreed!",
                "“We agree,” he said. ‘Russia‘s’ claim\x00 and\x01 more. 9 islands.",
                "İstanbul’s port. It ended in the war. in lower case it goes on",
                "",
                "No full stop at all",
            ],
        }
    )
    got = [tuple(r) for r in reuse.split_sentences(paragraphs).itertuples(index=False)]
    want = _reference_sentences(paragraphs)
    assert got == want
    # "İ" lower-cases to "i" + a combining dot, which is no word character: three words
    assert ("c", 1, 1, "İstanbul’s port.", "i stanbul's port", 3) in got


def test_pruned_candidates_keep_every_pair_above_the_threshold():
    paragraphs = _paragraphs(
        ("a.txt", 1, f"{NINE.capitalize()}. Alpha beta gamma delta epsilon zeta eta theta."),
        ("b.txt", 1, f"{NINE.replace('nine', 'ten').capitalize()}."),
        ("c.txt", 1, "Alpha beta gamma delta epsilon zeta eta iota kappa lambda mu nu xi."),
        ("d.txt", 1, "Someone said one two three four and then something else entirely."),
    )
    every = reuse._scored_candidates(paragraphs, reuse.SHINGLE)
    pruned = reuse._scored_candidates(paragraphs, reuse.SHINGLE, reuse.THRESHOLD)
    above = {
        (a, b)
        for a, b, s, v in zip(every.a, every.b, every.similarity, every.verbatim, strict=True)
        if v or s >= reuse.THRESHOLD
    }
    assert above and above <= set(zip(pruned.a, pruned.b, strict=True))
    assert len(pruned.a) < len(every.a), "the pair sharing one shingle in 10 cannot reach 0.1"


def test_candidates_do_not_depend_on_block_size(monkeypatch):
    rows = [
        (f"f{i:02d}", 1, f"{NINE.capitalize()} {i % 4}. Words shared {i % 3} by a few of them.")
        for i in range(30)
    ]
    paragraphs = _paragraphs(*rows)
    whole = reuse._scored_candidates(paragraphs, reuse.SHINGLE, reuse.THRESHOLD)
    monkeypatch.setattr(reuse, "_PAIR_BLOCK", 3)
    blocks = reuse._scored_candidates(paragraphs, reuse.SHINGLE, reuse.THRESHOLD)
    assert len(whole.a) > 10
    assert whole.a.tolist() == blocks.a.tolist() and whole.b.tolist() == blocks.b.tolist()
    assert whole.shared.tolist() == blocks.shared.tolist()


def test_diff_ratios_are_difflibs():
    import difflib

    a = pd.Series(["a b c d", "a b c d", "x y", "same words", "p q r"])
    b = pd.Series(["a b x d", "a c d", "x y z", "same words", "a b x d"])
    want = [
        difflib.SequenceMatcher(None, x.split(), y.split(), autojunk=False).ratio()
        for x, y in zip(a, b, strict=True)
    ]
    assert reuse.diff_ratios(a, b).tolist() == want


def test_worker_processes_give_the_same_passages(monkeypatch):
    rows = [
        (f"f{i:02d}", 1, f"{NINE.capitalize()} {i % 3}. Filler words number {i} here.")
        for i in range(12)
    ]
    one = reuse.shared_passages(_paragraphs(*rows))
    assert len(one) > 0
    monkeypatch.setattr(reuse, "PARALLEL_MIN_PARAGRAPHS", 1)
    monkeypatch.setattr(reuse, "PARALLEL_MIN_DIFFS", 1)
    pd.testing.assert_frame_equal(reuse.shared_passages(_paragraphs(*rows)), one)
