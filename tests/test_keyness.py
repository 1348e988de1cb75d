"""Keyness (Fightin' Words): hand-worked values on tiny corpora, then the seed articles."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from wording import compare, keyness, paths
from wording.features import count_terms
from wording.pipeline import build


@pytest.fixture(scope="module")
def seed_corpus():
    return build(paths.corpus_dir(), paths.metadata_csv())


@pytest.fixture(scope="module")
def seed_tables(seed_corpus):
    matcher = compare.default_matcher(paths.lexicon_csv())
    return compare.compare_tables(seed_corpus.articles, matcher)


def _tiny_keyness(alpha0: float = 10.0) -> pd.DataFrame:
    counts = count_terms(["kurils kurils treaty", "territories treaty treaty"])
    return keyness.keyness(counts.matrix, counts.terms, ["A", "B"], alpha0=alpha0)


def test_keyness_by_hand():
    # Corpus: A = "kurils kurils treaty" (n = 3), B = "territories treaty treaty" (n_rest = 3).
    # Totals: kurils 2, treaty 3, territories 1 (6 tokens); alpha0 = 10, alpha_w = 10 * total_w / 6.
    # kurils for A: alpha = 10*2/6 = 3.333333; y = 2, y_rest = 0
    #   delta = ln(5.333333 / (3 + 10 - 2 - 3.333333)) - ln(3.333333 / (3 + 10 - 0 - 3.333333))
    #         = ln(5.333333/7.666667) - ln(3.333333/9.666667) = -0.362905 + 1.064711 = 0.701805
    #   sigma2 = 1/5.333333 + 1/3.333333 = 0.1875 + 0.3 = 0.4875; z = 0.701805/0.698212 = 1.005146
    # treaty for A: alpha = 5; y = 1, y_rest = 2
    #   delta = ln(6/(3+10-1-5)) - ln(7/(3+10-2-5)) = ln(6/7) - ln(7/6) = -0.308301
    #   sigma2 = 1/6 + 1/7 = 0.309524; z = -0.308301/0.556349 = -0.554151
    # territories for A: alpha = 1.666667; y = 0, y_rest = 1
    #   delta = ln(1.666667/11.333333) - ln(2.666667/10.333333) = -1.916923 + 1.354546 = -0.562377
    #   sigma2 = 0.6 + 0.375 = 0.975; z = -0.562377/0.987421 = -0.569541
    table = _tiny_keyness()
    a = table[table["outlet"] == "A"].set_index("term")
    assert a.loc["kurils", "alpha"] == pytest.approx(10 / 3)
    assert a.loc["kurils", "alpha0"] == 10
    assert (a["n"] == 3).all() and (a["n_rest"] == 3).all()
    assert a.loc["kurils", "delta"] == pytest.approx(0.7018052433, abs=1e-6)
    assert a.loc["kurils", "sigma2"] == pytest.approx(0.4875)
    assert a.loc["kurils", "z"] == pytest.approx(1.0051463468, abs=1e-6)
    assert a.loc["treaty", "z"] == pytest.approx(-0.5541513672, abs=1e-6)
    assert a.loc["territories", "z"] == pytest.approx(-0.5695412758, abs=1e-6)
    assert a.loc["territories", ["count", "count_rest"]].tolist() == [0, 1]


def test_keyness_two_outlets_are_mirror_images():
    table = _tiny_keyness().pivot(index="term", columns="outlet", values="z")
    for term, row in table.iterrows():
        assert row["A"] == pytest.approx(-row["B"]), term


def test_keyness_term_of_one_outlet_is_positive_for_it_and_zero_counts_finite():
    counts = count_terms(["kurils islands", "islands treaty", "territories islands islands"])
    table = keyness.keyness(counts.matrix, counts.terms, ["Sputnik", "TASS", "Taipei Times"])
    row = table.set_index(["outlet", "term"])
    assert row.loc[("Sputnik", "kurils"), "z"] > 0, "Sputnik-only term must be over-used by it"
    assert row.loc[("Taipei Times", "territories"), "z"] > 0
    assert row.loc[("TASS", "kurils"), "z"] < 0, "a term TASS never uses must be under-used"
    assert np.isfinite(table["z"]).all() and np.isfinite(table["delta"]).all()
    assert (table["p_two_sided"].between(0, 1)).all()
    # each outlet against the rest: counts add up to the corpus total for every term
    totals = table.groupby("term").apply(lambda t: (t["count"] + t["count_rest"]).unique())
    assert all(len(v) == 1 for v in totals), totals


def test_keyness_sorted_by_outlet_then_z_then_term():
    table = _tiny_keyness()
    assert table["outlet"].tolist()[:3] == ["A", "A", "A"]
    z = table[table["outlet"] == "A"]["z"].to_numpy()
    assert (np.diff(z) <= 0).all()


def test_keyness_larger_prior_shrinks_z():
    small, large = _tiny_keyness(10.0), _tiny_keyness(1000.0)
    zs = small.set_index(["outlet", "term"])["z"]
    zl = large.set_index(["outlet", "term"])["z"]
    assert abs(zl["A", "kurils"]) < abs(zs["A", "kurils"])


def test_keyness_extremes_takes_top_and_bottom_per_outlet():
    table = _tiny_keyness()
    ends = keyness.keyness_extremes(table, 1)
    over = ends[ends["side"] == "over"].set_index("outlet")["term"].to_dict()
    under = ends[ends["side"] == "under"].set_index("outlet")["term"].to_dict()
    assert over == {"A": "kurils", "B": "territories"}, over
    assert under == {"A": "territories", "B": "kurils"}, under


def test_bounded_keyness_keeps_used_terms_and_most_negative_absent():
    counts = count_terms(["a b c", "d e f g h"])
    table = keyness.keyness(counts.matrix, counts.terms, ["X", "Y"])
    small = keyness.bounded_keyness(table, max_rows=1, k_absent=2)
    x = small[small["outlet"] == "X"]
    assert set(x[x["count"] > 0]["term"]) == {"a", "b", "c"}
    assert (x["count"] == 0).sum() == 2
    assert keyness.bounded_keyness(table).equals(table)


# ------------------------------------------------------------------ the seed articles


def test_seed_keyness(seed_tables):
    terms = seed_tables["tfidf_terms.csv"]
    for outlet in ["Sputnik", "TASS", "Taipei Times"]:
        assert (terms["outlet"] == outlet).any(), outlet
    # phrase-aware: "peace treaty" is one feature, used by all three outlets
    key = seed_tables["keyness.csv"].set_index(["outlet", "term"])
    for outlet in ["Sputnik", "TASS", "Taipei Times"]:
        assert key.loc[(outlet, "peace treaty"), "count"] >= 1, outlet
    # TASS's article names the Nikkei four times (003: "Nikkei daily", "Nikkei's sources",
    # "Nikkei also wrote", "according to Nikkei"); nobody else does: over-used by TASS
    assert key.loc[("TASS", "nikkei"), "count"] == 4
    assert key.loc[("TASS", "nikkei"), "count_rest"] == 0
    assert key.loc[("TASS", "nikkei"), "z"] > 0
    # "two-plus-two" is one token: the TASS body (003) has it twice ('another "two-plus-two"
    # meeting', 'The previous "two-plus-two" meeting'; the standfirst's third is not body), the
    # Taipei Times body (004) once ('the first “two-plus-two” meeting', curly quotes)
    assert key.loc[("TASS", "two-plus-two"), "count"] == 2
    assert key.loc[("TASS", "two-plus-two"), "count_rest"] == 1
    assert key.loc[("TASS", "the"), "stop_word"] and not key.loc[("TASS", "nikkei"), "stop_word"]


def test_seed_keyness_token_totals(seed_corpus, seed_tables):
    key = seed_tables["keyness.csv"]
    n = key.groupby("outlet")["n"].first()
    assert n.sum() == key.groupby("outlet")[["n", "n_rest"]].first().sum(axis=1).iloc[0]
    # every outlet's n counts its own tokens only; compare with the corpus word counts
    words = seed_corpus.articles.groupby("outlet")["n_words"].sum()
    for outlet, total in n.items():
        assert total <= words[outlet], outlet
        assert math.isclose(total, words[outlet], rel_tol=0.1), (outlet, total, words[outlet])


# --- keyness that survives its settings ----------------------------------------------------------


def test_tass_nikkei_under_both_priors(seed_tables):
    # seeds/003 names the Nikkei 4 times (lines 16, 18, 22, 24); no other seed does. TASS's
    # body has n = 367 counted words, the corpus N = 1442.
    # Share prior (alpha0 = 10): alpha = 10 * 4 / 1442 = 0.0277393, z = 1.0035 (issue 13).
    # Raw-count prior: alpha = 4, alpha0 = 1442:
    #   delta = ln(8 / (367 + 1442 - 8)) - ln(4 / (1075 + 1442 - 4)) = 1.026282
    #   sigma2 = 1/8 + 1/4 = 0.375; z = 1.026282 / 0.612372 = 1.675912
    key = seed_tables["keyness.csv"].set_index(["outlet", "term"])
    nikkei, moscow = key.loc[("TASS", "nikkei")], key.loc[("TASS", "moscow")]
    assert nikkei["z"] == pytest.approx(1.0035, abs=1e-4)
    assert nikkei["z_raw_prior"] == pytest.approx(1.675912, abs=1e-5)
    # the share prior puts "moscow" (4 against 4) above "nikkei"; the raw-count prior flips it
    assert moscow["z"] > nikkei["z"] and moscow["z_raw_prior"] < nikkei["z_raw_prior"]
    assert nikkei["n_articles"] == 1 and not nikkei["robust"]


def test_outlets_with_one_article_are_never_robust(seed_tables):
    key = seed_tables["keyness.csv"]
    one = key[key["outlet"].isin(["TASS", "Taipei Times"])]
    assert (one["n_articles"] == 1).all() and not one["robust"].any()
    assert (key.loc[key["outlet"] == "Sputnik", "n_articles"] == 3).all()
    # resampled_share is computed for the shown terms and the lexicon's compounds only
    shown = key["resampled_share"].notna()
    assert 0 < shown.sum() < len(key)
    assert shown[key["term"] == "southern_kurils"].all()
    assert key.loc[shown, "resampled_share"].between(0, 1).all()


def _planted_corpus():
    # 3 outlets x 10 articles of common words; "planted" in every article of outlet A
    rng = np.random.default_rng(7)
    common = [f"w{i}" for i in range(30)]
    bodies, outlets = [], []
    for outlet in ["A", "B", "C"]:
        for _ in range(10):
            words = list(rng.choice(common, size=40))
            if outlet == "A":
                words += ["planted", "planted"]
            bodies.append(" ".join(words))
            outlets.append(outlet)
    return count_terms(bodies), outlets


def test_a_term_planted_in_every_article_of_one_outlet_is_robust():
    counts, outlets = _planted_corpus()
    table = keyness.keyness_table(counts.matrix, counts.terms, outlets)
    planted = table[table["term"] == "planted"].set_index("outlet")
    assert planted.at["A", "z"] > 1.96 and planted.at["A", "z_raw_prior"] > 1.96
    assert planted.at["A", "resampled_share"] == 1.0
    assert planted.at["A", "robust"]
    # its absence from B (0 against 20) is not significant: the prior shrinks a zero count
    assert -1.96 < planted.at["B", "z"] < 0 and not planted.at["B", "robust"]
    # the common words, drawn alike for every outlet, are not robust anywhere
    assert not table.loc[table["term"] != "planted", "robust"].any()


def test_a_term_planted_in_one_article_is_not_robust():
    counts, outlets = _planted_corpus()
    # the same corpus with "planted" only in the first article of A (20 times)
    matrix = counts.matrix.tolil()
    col = list(counts.terms).index("planted")
    for row in range(10):
        matrix[row, col] = 20 if row == 0 else 0
    table = keyness.keyness_table(matrix.tocsr(), counts.terms, outlets)
    planted = table[(table["term"] == "planted") & (table["outlet"] == "A")].iloc[0]
    assert planted["z"] > 1.96  # the counts alone look distinctive
    assert planted["resampled_share"] < 0.95 and not planted["robust"]


def test_resampling_is_reproducible():
    counts, outlets = _planted_corpus()
    first = keyness.keyness_table(counts.matrix, counts.terms, outlets)
    second = keyness.keyness_table(counts.matrix, counts.terms, outlets)
    pd.testing.assert_frame_equal(first, second)
