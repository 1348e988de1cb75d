"""Counterpart passages (issue 15), checked against the hand alignment of the seeds
(tests/data/counterparts_hand.csv, written before any score was computed)."""

from __future__ import annotations

import socket
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from wording import align, anchors, candidates, counterparts, embedding
from wording.lexicon import load_lexicon
from wording.pipeline import load
from wording.report import counterparts as cpr

ROOT = Path(__file__).resolve().parents[1]
HAND = ROOT / "tests" / "data" / "counterparts_hand.csv"
INVENTED = ROOT / "tests" / "data" / "counterparts_invented.csv"


@pytest.fixture(scope="module")
def seeds():
    tables = load(ROOT / "data" / "derived")
    lexicon = load_lexicon(ROOT / "data" / "lexicon.csv")
    table = counterparts.sentence_table(
        tables.paragraphs, tables.articles, tables.term_mentions, lexicon
    )
    emb = embedding.embed(table["text"].tolist())
    best = counterparts.best_counterparts(table, threshold=0.0, emb=emb)
    return tables, table, best


def _seeds_check(tables, table, best):
    outlet = dict(zip(tables.articles["file"], tables.articles["outlet"], strict=True))
    accepted, lonely = cpr.seeds_hand(pd.read_csv(HAND), outlet)
    return cpr.hand_check(table, best, accepted, lonely, counterparts.THRESHOLD)


@pytest.fixture(scope="module")
def invented():
    paragraphs, articles, accepted, lonely = cpr.invented_hand(pd.read_csv(INVENTED))
    table = counterparts.sentence_table(paragraphs, articles)
    best = counterparts.best_counterparts(table, threshold=0.0)
    return cpr.hand_check(table, best, accepted, lonely, counterparts.THRESHOLD)


def test_hand_alignment_covers_every_body_sentence(seeds):
    _, table, _ = seeds
    hand = pd.read_csv(HAND)
    keys = set(zip(hand["file"], hand["paragraph"], hand["sentence"], strict=True))
    built = set(zip(table["file"], table["paragraph"], table["sentence"], strict=True))
    assert built <= keys  # every sentence the stage reads was judged by hand


def test_in_sample_precision_of_kept_counterparts(seeds):
    """Seeds (the threshold was set on them: in sample): of the counterparts kept (score >=
    THRESHOLD), at least 90% are a sentence the hand alignment accepts; measured 5 of 5."""
    got = _seeds_check(*seeds)
    assert got["kept"] >= 4
    assert got["kept_right"] / got["kept"] >= 0.9


def test_in_sample_forced_choice_precision_at_1_floor(seeds):
    """Top-1 without a threshold, over every (sentence, outlet) with a hand counterpart: measured
    0.65 on the seeds (41 of 63), below the issue's 0.9 target (see the notebook); a floor."""
    got = _seeds_check(*seeds)
    assert got["with_counterpart"] == 63
    assert got["p_at_1"] >= 0.63


def test_in_sample_no_counterpart_above_threshold_for_unmatched_sentences(seeds):
    got = _seeds_check(*seeds)
    assert got["lonely"] >= 10
    assert got["lonely_kept"] == 0


def test_invented_partly_out_of_sample_forced_choice_precision_at_1(invented):
    """The invented articles (written before any score; the rules were not fitted to them, but
    their numbers were looked at when the anchor width and threshold were chosen): the best
    candidate in each other outlet is the hand's for at least 90%; measured 24 of 24."""
    assert invented["with_counterpart"] == 24
    assert invented["p_at_1"] >= 0.9


def test_invented_threshold_keeps_right_ones_and_none_for_lonely(invented):
    """At THRESHOLD: precision >= 0.9 (measured 10 of 10), recall measured 10 of 24, and none of
    the five invented sentences without a counterpart keeps one."""
    assert invented["kept"] >= 8
    assert invented["kept_right"] / invented["kept"] >= 0.9
    assert invented["lonely"] == 5 and invented["lonely_kept"] == 0


def test_embedding_is_wordllamas_own(seeds):
    """The piece-sum embedding equals WordLlama's ``embed(norm=True)`` on every seed sentence."""
    _, table, _ = seeds
    texts = table["text"].tolist()
    ours = embedding.embed(texts)
    theirs = embedding.load_model().embed(texts, norm=True)
    assert ours.shape == theirs.shape == (len(texts), 256)
    assert (np.einsum("ij,ij->i", ours, theirs) > 0.99999).all()


def test_conflicting_years_months_or_numbers():
    table = pd.DataFrame(
        {
            "text": [
                "The ministers met in Tokyo in March 2017.",
                "The ministers met in Tokyo in November 2018.",
                "Putin visited Japan in December 2016.",
                "Putin visited Japan in December, officials said.",
                "Trade grew by 12 percent.",
                "Trade fell by 5 percent.",
            ],
            "referents": "",
        }
    )
    *_, w = anchors.anchor_matrix(table)
    masks = anchors.time_masks(w, np.array([2017, 2018, 2017, 2016, 2019, 2019]))
    clash = anchors.conflicts(masks, np.array([0, 2, 4, 0]), np.array([1, 3, 5, 4]))
    # 2017 vs 2018; December 2016 vs "December" in a 2016 article; 12 vs 5; one names no number
    assert clash.tolist() == [True, False, True, False]


def test_model_loads_and_embeds_without_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network use in a test that forbids it")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    # best of three loads: the machine is shared, and a load is timed, not the neighbours
    seconds = min(embedding.model_load_seconds() for _ in range(3))
    vectors = embedding.embed(["The islands were seized by Soviet troops.", "A cat sat."])
    assert vectors.shape == (2, 256)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert seconds < 1.0


def test_the_1945_sentences_are_closer_to_each_other_than_to_an_unrelated_one():
    v = embedding.embed(
        [
            "The disputed islands were claimed by Soviet forces at the end of the war.",
            "The islands were handed over to the Soviet Union after World War II.",
            "Japan plans counter-terrorism cooperation in Central Asia.",
        ]
    )
    assert v[0] @ v[1] > v[0] @ v[2] + 0.1


def test_anchors_hand_examples():
    keys = anchors.anchors("In December 2016, Putin met Abe in Tokyo.", ["dispute"])
    assert {"num:2016", "month:december", "name:putin", "name:abe", "name:tokyo"} <= set(keys)
    assert keys["ref:dispute"] == 1.0 and keys["word:met"] == 1.0
    assert "name:in" not in keys  # the sentence's first word is no name
    titled = anchors.anchors("They met Prime Minister Shinzo Abe.")
    assert titled["name:abe"] == titled["name:prime"] == 0.25  # one name's weight for the run


def test_alignment_marks_the_swap_of_the_1945_wording():
    got = align.compare(
        "The disputed islands were claimed by Soviet forces at the end of the war.",
        "The disputed islands were seized by Soviet troops at the end of the war.",
    )
    assert got["swapped"] == "claimed -> seized; forces -> troops"
    assert got["shared_words"].startswith("the disputed islands were")
    assert got["added"] == "" and got["dropped"] == ""


def test_alignment_marks_a_qualifier_added_and_dropped():
    got = align.compare(
        "They never signed a permanent peace treaty.", "They never signed a peace treaty."
    )
    assert got["dropped"] == "permanent"
    got = align.compare(
        "The islands are controlled by Moscow.", "The islands are effectively controlled by Moscow."
    )
    assert got["added"] == "effectively"
    assert got["differing_words"] == "- -> effectively"


def test_substitutions_are_counted_per_outlet_pair():
    table = pd.DataFrame(
        {
            "outlet": ["Sputnik", "Sputnik", "TASS"],
            "counterpart_outlet": ["TASS", "TASS", "Sputnik"],
            "mutual": [True, True, False],
            "same_outlet": [False, False, False],
            "swapped": ["claimed by -> handed over to", "claimed by -> handed over to", "x -> y"],
            "fact_id": ["F1", "F2", ""],
            "term_differs": [True, False, True],
        }
    )
    subs = align.substitutions(table)
    assert subs.iloc[0].tolist() == ["Sputnik", "TASS", "claimed by", "handed over to", 2]
    assert len(subs) == 1  # the non-mutual pair is not a fact both report
    pairs = align.outlet_pairs(table)
    assert pairs.iloc[0][["facts", "term_differs"]].tolist() == [2, 1]


def test_candidates_are_bounded_per_posting():
    # one anchor held by 200 sentences of 200 articles: each pairs with its next WINDOW only
    postings = pd.DataFrame({"i": range(200), "k": 0})
    import scipy.sparse as sp

    m = sp.csr_matrix((np.ones(200), (postings["i"], postings["k"])), shape=(200, 1))
    a, b = candidates.candidate_pairs(m, np.arange(200), np.arange(200), window=5)
    assert len(a) == sum(min(5, 199 - i) for i in range(200))
    assert (b - a).max() == 5


def test_counterparts_table_columns_and_contract(seeds):
    tables, _, _ = seeds
    lexicon = load_lexicon(ROOT / "data" / "lexicon.csv")
    out = counterparts.counterparts_table(
        tables.paragraphs, tables.articles, tables.term_mentions, lexicon
    )
    contract = [
        "fact_id", "file", "outlet", "paragraph", "sentence", "text", "counterpart_file",
        "counterpart_outlet", "counterpart_paragraph", "counterpart_sentence", "counterpart_text",
        "same_outlet", "semantic", "lexical", "score", "mutual", "shared_words",
        "differing_words", "terms", "counterpart_terms",
    ]  # fmt: skip
    assert list(out.columns[: len(contract)]) == contract
    assert (out["score"] >= counterparts.THRESHOLD).all()
    assert (out["file"] != out["counterpart_file"]).all()
    # the Sputnik background sentence copied between two articles is kept, mutual, one fact
    copy = out[(out["file"] == "001_e9e6e489c14a83f0.txt") & (out["paragraph"] == 6)]
    copy = copy[copy["sentence"] == 2]
    assert copy["counterpart_file"].tolist() == ["002_b2da908307f10950.txt"]
    assert bool(copy["mutual"].iloc[0]) and copy["fact_id"].iloc[0] != ""
    assert "claimed_by_soviet" in copy["terms"].iloc[0]


def _brute_best(table: pd.DataFrame) -> dict[tuple[int, str], tuple[int, float, float, float]]:
    """Best counterpart per (sentence, outlet) the slow way: every candidate pair of
    ``candidates.candidate_pairs`` at once, the lexical score in plain Python from each
    sentence's anchors, one sort per sentence and outlet (score, then a later row before an
    earlier one, then the lowest row). Returns (i, outlet) -> (j, semantic, lexical, score)."""
    article = pd.factorize(table["file"])[0].astype(np.int64)
    order = pd.factorize(table["date"].astype(str) + "\x00" + table["file"], sort=True)[0]
    postings, idf, _, w = anchors.anchor_matrix(table)
    year = pd.to_numeric(table["date"].astype(str).str[:4], errors="coerce").fillna(0)
    masks = anchors.time_masks(w, year.to_numpy(np.int64))
    seeds = candidates.rarest(postings, article, counterparts.SEEK)
    a, b = candidates.candidate_pairs(seeds, article, order.astype(np.int64), counterparts.WINDOW)
    emb = embedding.embed(table["text"].tolist())
    heavy = []  # each sentence's LEX_WIDTH heaviest anchors: key -> weight x idf
    for row in range(len(table)):
        r = postings.getrow(row)
        values = sorted(
            zip(r.data * idf[r.indices], r.indices, strict=True), key=lambda v: (-v[0], v[1])
        )
        heavy.append({int(k): float(np.float32(v)) for v, k in values[: counterparts.LEX_WIDTH]})
        heavy[-1]["total"] = sum(v for v, _ in values[: counterparts.LEX_WIDTH])
    clash = anchors.conflicts(masks, a, b)
    options: dict = {}
    for x, y, conflict in zip(a.tolist(), b.tolist(), clash.tolist(), strict=True):
        semantic = max(0.0, float(np.dot(emb[x], emb[y])))
        hx, hy = heavy[x], heavy[y]
        shared = sum(min(hx[k], hy[k]) for k in hx if k != "total" and k in hy)
        union = hx["total"] + hy["total"] - shared
        lexical = shared / union if union > 0 else 0.0
        score = (semantic + lexical) / 2 * (counterparts.CONFLICT_FACTOR if conflict else 1)
        for i, j in ((x, y), (y, x)):
            key = (i, table["outlet"].iloc[j])
            options.setdefault(key, []).append((-score, j < i, j, semantic, lexical))
    return {
        key: (j, semantic, lexical, -neg)
        for key, found in options.items()
        for neg, _, j, semantic, lexical in [min(found)]
    }


def test_block_wise_best_equals_brute_force_best(seeds):
    """The best per (sentence, outlet) found block by block, for several block sizes, equals
    the brute-force best over all candidate pairs at once: on the seeds with the invented
    articles and with copies of seed sentences in 12 wire articles (identical texts: equal
    scores, so the tie rule matters)."""
    _, seed_table, _ = seeds
    paragraphs, articles, _, _ = cpr.invented_hand(pd.read_csv(INVENTED))
    invented = counterparts.sentence_table(paragraphs, articles)
    copied = seed_table.iloc[[3, 10, 20, 30]]
    wire = pd.concat(
        [
            copied.assign(file=f"wire{k:02d}.txt", outlet=f"Wire {k % 3}", date=f"2018-05-{k + 1}")
            for k in range(12)
        ]
    )
    table = pd.concat([seed_table, invented, wire], ignore_index=True)
    table["terms"] = table["terms"].fillna("")
    table["referents"] = table["referents"].fillna("")
    brute = _brute_best(table)
    assert len(brute) > 300
    for block in (1, 7, 64, len(table)):
        best = counterparts.best_counterparts(table, threshold=0.0, block=block)
        outlet = table["outlet"].to_numpy()
        got = {
            (i, outlet[j]): (j, sem, lex, score)
            for i, j, sem, lex, score in zip(
                best["i"], best["j"], best["semantic"], best["lexical"], best["score"],
                strict=True,
            )
        }  # fmt: skip
        assert got.keys() == brute.keys(), block
        for key, (j, *values) in brute.items():
            assert got[key][0] == j, (block, key, table["text"].iloc[key[0]])
            # float32 dot products summed in another order: equal to about 1e-7
            assert np.allclose(got[key][1:], values, rtol=0, atol=1e-6), (block, key)
        mutual = {(i, j) for i, j, m in zip(best["i"], best["j"], best["mutual"], strict=True) if m}
        assert mutual == {
            (i, j) for (i, _), (j, *_) in brute.items()
            if brute.get((j, outlet[i]), (None,))[0] == i
        }  # fmt: skip


def test_block_pairs_are_the_candidate_pairs_each_in_one_block():
    """Over all blocks, ``block_pairs`` proposes exactly ``candidate_pairs``, each pair once:
    300 sentences of 60 articles (date ranks with ties), 40 anchors, 3 to 8 each."""
    import scipy.sparse as sp

    rng = np.random.default_rng(15)
    n, keys = 300, 40
    rows = np.repeat(np.arange(n), rng.integers(3, 9, n))
    cols = rng.integers(0, keys, len(rows))
    postings = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, keys))
    postings.data[:] = 1.0
    article = np.sort(rng.integers(0, 60, n))
    order = rng.integers(0, 20, 60)[article]  # articles share dates; sentences share articles
    a, b = candidates.candidate_pairs(postings, article, order, window=4)
    expected = set(zip(a.tolist(), b.tolist(), strict=True))
    assert len(expected) > 1000
    nb = candidates.Neighbours.of(postings, order)
    for block in (1, 13, n):
        found = []
        for lo in range(0, n, block):
            x, y = candidates.block_pairs(nb, article, lo, lo + block, window=4)
            found += list(zip(x.tolist(), y.tolist(), strict=True))
        assert len(found) == len(set(found)), block  # no pair in two blocks
        assert set(found) == expected, block


def test_sentence_counts_come_from_the_build_and_match_a_fresh_split():
    """articles.csv's ``n_sentences`` (hand-counted: Sputnik 000 has 1 + 1 + 2 + 3 body
    sentences; the Taipei Times article 16, two in its 10th and 11th paragraphs) and notebook 04's
    coverage from it agree with splitting every body sentence again, outlet by outlet."""
    from wording.reuse import split_sentences

    tables = load(ROOT / "data" / "derived")
    n = tables.articles.set_index("file")["n_sentences"]
    assert n["000_bc5782a3297aeda6.txt"] == 7 and n["004_c7fdcfd96570cd6d.txt"] == 16
    pairs = cpr.tidy(tables.counterparts)
    cov = cpr.coverage(pairs, tables.articles)
    split = split_sentences(tables.paragraphs)
    split["outlet"] = split["file"].map(tables.articles.set_index("file")["outlet"])
    assert (
        cov.sum(axis=1).sort_index().tolist()
        == split["outlet"].value_counts().sort_index().tolist()
    )
    cross = pairs[~pairs["same_outlet"]]
    held = set(zip(cross["file"], cross["paragraph"], cross["sentence"], strict=True))
    keys = zip(split["file"], split["paragraph"], split["sentence"], strict=True)
    alone = split[[k not in held for k in keys]]
    assert (
        cov[0].sort_index().tolist()
        == alone["outlet"].value_counts().reindex(sorted(cov.index), fill_value=0).tolist()
    )
    shown = cpr.alone_examples(pairs, tables.paragraphs, tables.articles, 5)
    assert shown[["file", "paragraph", "sentence"]].values.tolist() == (
        alone[["file", "paragraph", "sentence"]].head(5).values.tolist()
    )
