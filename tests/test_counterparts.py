"""Counterpart passages (issue 15), checked against the hand alignment of the seeds
(tests/data/counterparts_hand.csv, written before any score was computed)."""

from __future__ import annotations

import socket
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from wording import align, counterparts
from wording.lexicon import load_lexicon
from wording.pipeline import load

ROOT = Path(__file__).resolve().parents[1]
HAND = ROOT / "tests" / "data" / "counterparts_hand.csv"


@pytest.fixture(scope="module")
def seeds():
    tables = load(ROOT / "data" / "derived")
    lexicon = load_lexicon(ROOT / "data" / "lexicon.csv")
    table = counterparts.sentence_table(
        tables.paragraphs, tables.articles, tables.term_mentions, lexicon
    )
    emb = counterparts.embed(table["text"].tolist())
    best = counterparts.best_counterparts(table, threshold=0.0, emb=emb)
    return tables, table, best


def _accepted(hand: pd.DataFrame, outlet: dict) -> dict:
    """(file, paragraph, sentence, counterpart outlet) -> the sentences the hand alignment
    accepts there (primary and ``also``, over that outlet's other articles)."""
    accepted: dict = {}
    for r in hand[hand["counterpart_file"].fillna("") != ""].itertuples():
        key = (r.file, r.paragraph, r.sentence, outlet[r.counterpart_file])
        ok = accepted.setdefault(key, set())
        ok.add((r.counterpart_file, int(r.counterpart_paragraph), int(r.counterpart_sentence)))
        for item in filter(None, str(r.also if isinstance(r.also, str) else "").split(";")):
            p, s = item.split(".")
            ok.add((r.counterpart_file, int(p), int(s)))
    return accepted


def _predicted(table: pd.DataFrame, best: pd.DataFrame) -> dict:
    i, j = best["i"].to_numpy(int), best["j"].to_numpy(int)
    left, right = table.iloc[i], table.iloc[j]
    return {
        (f, p, s, o): ((cf, cp, cs), score)
        for f, p, s, o, cf, cp, cs, score in zip(
            left["file"], left["paragraph"], left["sentence"], right["outlet"],
            right["file"], right["paragraph"], right["sentence"], best["score"], strict=True,
        )
    }  # fmt: skip


def test_hand_alignment_covers_every_body_sentence(seeds):
    _, table, _ = seeds
    hand = pd.read_csv(HAND)
    keys = set(zip(hand["file"], hand["paragraph"], hand["sentence"], strict=True))
    built = set(zip(table["file"], table["paragraph"], table["sentence"], strict=True))
    assert built <= keys  # every sentence the stage reads was judged by hand


def test_precision_at_1_of_kept_counterparts(seeds):
    """Of the counterparts kept (score >= THRESHOLD) for sentences the hand alignment gives a
    counterpart in that outlet, at least 90% are a sentence the hand alignment accepts."""
    tables, table, best = seeds
    outlet = dict(zip(tables.articles["file"], tables.articles["outlet"], strict=True))
    accepted = _accepted(pd.read_csv(HAND), outlet)
    predicted = _predicted(table, best)
    kept = [k for k in accepted if k in predicted and predicted[k][1] >= counterparts.THRESHOLD]
    hits = [k for k in kept if predicted[k][0] in accepted[k]]
    assert len(kept) >= 4
    assert len(hits) / len(kept) >= 0.9


def test_forced_choice_precision_at_1_floor(seeds):
    """Top-1 without a threshold, over every (sentence, outlet) with a hand counterpart: measured
    0.62 on the seeds (39 of 63), below the issue's 0.9 target (see the notebook); a floor."""
    tables, table, best = seeds
    outlet = dict(zip(tables.articles["file"], tables.articles["outlet"], strict=True))
    accepted = _accepted(pd.read_csv(HAND), outlet)
    predicted = _predicted(table, best)
    hits = sum(1 for k, ok in accepted.items() if k in predicted and predicted[k][0] in ok)
    assert hits / len(accepted) >= 0.55


def test_no_counterpart_above_threshold_for_unmatched_sentences(seeds):
    _, table, best = seeds
    hand = pd.read_csv(HAND)
    none = hand[hand["fact"] == "none"]
    kept = best[best["score"] >= counterparts.THRESHOLD]
    rows = table.iloc[kept["i"].to_numpy(int)]
    kept_keys = set(zip(rows["file"], rows["paragraph"], rows["sentence"], strict=True))
    lonely = set(zip(none["file"], none["paragraph"], none["sentence"], strict=True))
    assert len(lonely) >= 10
    assert not (kept_keys & lonely)


def test_model_loads_and_embeds_without_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network use in a test that forbids it")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    # best of three loads: the machine is shared, and a load is timed, not the neighbours
    seconds = min(counterparts.model_load_seconds() for _ in range(3))
    vectors = counterparts.embed(["The islands were seized by Soviet troops.", "A cat sat."])
    assert vectors.shape == (2, 256)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert seconds < 1.0


def test_the_1945_sentences_are_closer_to_each_other_than_to_an_unrelated_one():
    v = counterparts.embed(
        [
            "The disputed islands were claimed by Soviet forces at the end of the war.",
            "The islands were handed over to the Soviet Union after World War II.",
            "Japan plans counter-terrorism cooperation in Central Asia.",
        ]
    )
    assert v[0] @ v[1] > v[0] @ v[2] + 0.1


def test_anchors_hand_examples():
    keys = counterparts.anchors("In December 2016, Putin met Abe in Tokyo.", ["dispute"])
    assert {"num:2016", "month:december", "name:putin", "name:abe", "name:tokyo"} <= set(keys)
    assert keys["ref:dispute"] == 1.0 and keys["word:met"] == 1.0
    assert "name:in" not in keys  # the sentence's first word is no name
    titled = counterparts.anchors("They met Prime Minister Shinzo Abe.")
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
    a, b = counterparts.candidate_pairs(m, np.arange(200), np.arange(200), window=5)
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
