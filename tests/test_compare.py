"""TF-IDF, keyness and similarity: hand-worked values on tiny corpora, then the seed articles."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from wording import compare, paths
from wording.corpus import load_corpus


@pytest.fixture(scope="module")
def seed_corpus():
    return load_corpus(paths.corpus_dir(), paths.metadata_csv())


@pytest.fixture(scope="module")
def seed_tables(seed_corpus):
    matcher = compare.default_matcher(paths.lexicon_csv())
    return compare.compare_tables(seed_corpus.articles, matcher)


def _phrases(*phrases: str) -> compare.PhraseMatcher:
    table = pd.DataFrame(
        {
            "pattern": [compare.phrase_pattern(p) for p in phrases],
            "feature": [p.lower() for p in phrases],
            "source": "phrases",
        }
    )
    return compare.PhraseMatcher.from_table(table)


# ------------------------------------------------------------------ tokenising and phrases


def test_phrase_is_one_feature_and_its_words_are_not_counted_apart():
    matcher = _phrases("peace treaty", "Southern Kurils")
    counts = compare.count_terms(
        ["A permanent Peace  Treaty over the\nSouthern Kurils; the treaty."], matcher
    )
    got = dict(zip(counts.terms, counts.matrix.toarray()[0], strict=True))
    assert got["peace treaty"] == 1, got
    assert got["southern kurils"] == 1, got
    assert got["treaty"] == 1, f"the lone 'treaty' only: {got}"
    assert "peace" not in got and "southern" not in got and "kurils" not in got, got


def test_longest_phrase_wins_and_lexicon_variants_merge():
    lexicon = pd.DataFrame(
        {
            "term_id": ["southern_kurils", "southern_kurils", "kuril_islands"],
            "pattern": [
                r"\bSouth(?:ern)? Kuril Islands\b",
                r"\bSouthern Kurils\b",
                r"Kuril Islands",
            ],
        }
    )
    matcher = compare.phrase_matcher(lexicon, None)
    counts = compare.count_terms(
        ["the South Kuril Islands", "the Southern Kurils", "the Kuril Islands"], matcher
    )
    table = pd.DataFrame(counts.matrix.toarray(), columns=counts.terms)
    assert table["southern_kurils"].tolist() == [1, 1, 0], table
    assert table["kuril_islands"].tolist() == [0, 0, 1], table
    assert table["the"].tolist() == [1, 1, 1], "framing rows must not be compounded"


def test_apostrophes_and_possessives_unified():
    counts = compare.count_terms(["Russia’s claim", "Russia's claim", "Russia claims"])
    table = pd.DataFrame(counts.matrix.toarray(), columns=counts.terms)
    assert table["russia"].tolist() == [1, 1, 1], table
    assert "russia's" not in table and "russia’s" not in table


def test_possessive_re_must_and_must_not():
    assert compare.POSSESSIVE_RE.sub("", "tokyo's claims") == "tokyo claims"
    assert compare.POSSESSIVE_RE.sub("", "o'clock") == "o'clock"
    assert compare.POSSESSIVE_RE.sub("", "the 's' key") == "the 's' key"


def test_placeholder_cannot_collide_with_text():
    # the text is lower-cased before placeholders go in: a word spelled like one stays a word
    matcher = _phrases("peace treaty")
    counts = compare.count_terms(["PHRASE0X peace treaty"], matcher)
    assert sorted(counts.terms) == ["peace treaty", "phrase0x"], counts.terms


# ------------------------------------------------------------------ TF-IDF


def test_tfidf_values_by_hand():
    # Two articles: "kurils treaty", "territories treaty"; sublinear tf (1 + ln 1 = 1), smooth idf:
    # idf(treaty) = ln(3/3) + 1 = 1; idf(kurils) = ln(3/2) + 1 = 1.4054651.
    # Article 1 before norm: (kurils 1.4054651, treaty 1); L2 norm = sqrt(1.9753321 + 1)
    # = 1.7249152, so kurils 0.8148025, treaty 0.5797387; cosine(1, 2) = 0.5797387^2 = 0.3360970.
    articles = pd.DataFrame(
        {
            "file": ["a.txt", "b.txt"],
            "outlet": ["X", "Y"],
            "body": ["kurils treaty", "territories treaty"],
        }
    )
    per_outlet, per_article, weights = compare.tfidf_tables(articles)
    row = per_article.set_index(["file", "term"])["score"]
    assert row["a.txt", "kurils"] == pytest.approx(0.8148025, abs=1e-6)
    assert row["a.txt", "treaty"] == pytest.approx(0.5797387, abs=1e-6)
    sim = compare.similarity_matrix(weights.matrix, articles["file"]).set_index("file")
    assert sim.loc["a.txt", "b.txt"] == pytest.approx(0.3360970, abs=1e-6)
    top = per_outlet[per_outlet["rank"] == 1].set_index("outlet")["term"]
    assert top.to_dict() == {"X": "kurils", "Y": "territories"}


def test_outlet_score_is_mean_of_article_weights():
    articles = pd.DataFrame(
        {
            "file": ["a", "b", "c"],
            "outlet": ["X", "X", "Y"],
            "body": ["islands dispute", "islands treaty treaty", "summit"],
        }
    )
    per_outlet, per_article, _ = compare.tfidf_tables(articles, top_k_article=None)
    x = per_outlet.set_index(["outlet", "term"])["score"]
    a = per_article.set_index(["file", "term"])["score"]
    assert x["X", "islands"] == pytest.approx((a["a", "islands"] + a["b", "islands"]) / 2)
    assert x["X", "dispute"] == pytest.approx(a["a", "dispute"] / 2)


def test_stop_words_and_numbers_are_not_tfidf_features():
    articles = pd.DataFrame({"file": ["a"], "outlet": ["X"], "body": ["The islands in 2016"]})
    per_outlet, _, _ = compare.tfidf_tables(articles)
    assert per_outlet["term"].tolist() == ["islands"], per_outlet


def test_top_k_ties_break_by_term_then_rank_is_dense_per_row():
    m = sp.csr_matrix(np.array([[0.5, 0.5, 0.9, 0.0], [0.0, 0.1, 0.1, 0.2]]))
    terms = np.array(["zeta", "alpha", "mid", "beta"], dtype=object)
    top = compare.top_k_rows(m, terms, 2)
    assert top[top["row"] == 0]["term"].tolist() == ["mid", "alpha"], top
    assert top[top["row"] == 1]["term"].tolist() == ["beta", "alpha"], top
    assert top["rank"].tolist() == [1, 2, 1, 2]


def test_similarity_matrix_layout():
    x = sp.csr_matrix(np.array([[1.0, 0.0], [0.6, 0.8], [0.0, 0.0]]))
    sim = compare.similarity_matrix(x, ["a.txt", "b.txt", "empty.txt"])
    assert sim.columns.tolist() == ["file", "a.txt", "b.txt", "empty.txt"]
    assert sim["file"].tolist() == ["a.txt", "b.txt", "empty.txt"]
    assert sim.iloc[0, 2] == pytest.approx(0.6) and sim.iloc[1, 1] == pytest.approx(0.6)
    assert sim.iloc[0, 1] == 1 and sim.iloc[2, 3] == 0, "an empty article is similar to nothing"


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=0, max_value=10_000))
def test_neighbours_agree_with_full_matrix(seed):
    rng = np.random.default_rng(seed)
    dense = (rng.random((12, 30)) < 0.15) * rng.random((12, 30))
    x = sp.csr_matrix(dense)
    norms = np.sqrt(np.asarray(x.multiply(x).sum(1)).ravel())
    x = sp.csr_matrix(sp.diags(1 / np.where(norms > 0, norms, 1)) @ x)
    files = [f"f{i:02d}" for i in range(12)]
    full = compare.similarity_matrix(x, files).set_index("file")
    near = compare.similarity_neighbours(x, files, k=3, terms_per_article=30, max_df=12)
    for rec in near.itertuples(index=False):
        assert rec.similarity == pytest.approx(full.loc[rec.file, rec.neighbour]), rec
    # with every term a candidate link, each article's best neighbour is the true best
    for f in files:
        others = full.loc[f].drop(f)
        if others.max() > 0:
            best = near[(near["file"] == f) & (near["rank"] == 1)]
            assert best["similarity"].iloc[0] == pytest.approx(others.max()), f


def test_pair_cosine_split_over_threads_gives_the_same_scores(monkeypatch):
    rng = np.random.default_rng(5)
    x = sp.csr_matrix((rng.random((40, 25)) < 0.3) * rng.random((40, 25)))
    a, b = rng.integers(0, 40, 500), rng.integers(0, 40, 500)
    dense = x.toarray()
    expected = (dense[a] * dense[b]).sum(axis=1)
    monkeypatch.setattr(compare, "PARALLEL_MIN_PAIRS", 0)
    split = compare.pair_cosine(x, a, b, block=7, workers=2)
    assert np.allclose(split, expected) and len(split) == len(a)
    assert np.array_equal(split, compare.pair_cosine(x, a, b, block=7, workers=1))


def test_outlet_similarity_is_mean_of_matrix_blocks():
    rng = np.random.default_rng(3)
    x = sp.csr_matrix(rng.random((5, 8)))
    outlets = ["Sputnik", "Sputnik", "Sputnik", "TASS", "Taipei Times"]
    full = (x @ x.T).toarray()
    got = compare.outlet_similarity(x, outlets).set_index(["outlet_a", "outlet_b"])
    sputnik = full[:3, :3][~np.eye(3, dtype=bool)].mean()
    assert got.loc[("Sputnik", "Sputnik"), "mean_similarity"] == pytest.approx(sputnik)
    assert got.loc[("Sputnik", "TASS"), "mean_similarity"] == pytest.approx(full[:3, 3].mean())
    assert got.loc[("TASS", "TASS"), "n_pairs"] == 0


# ------------------------------------------------------------------ keyness


def _tiny_keyness(alpha0: float = 10.0) -> pd.DataFrame:
    counts = compare.count_terms(["kurils kurils treaty", "territories treaty treaty"])
    return compare.keyness(counts.matrix, counts.terms, ["A", "B"], alpha0=alpha0)


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
    counts = compare.count_terms(
        ["kurils islands", "islands treaty", "territories islands islands"]
    )
    table = compare.keyness(counts.matrix, counts.terms, ["Sputnik", "TASS", "Taipei Times"])
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


def test_bounded_keyness_keeps_used_terms_and_most_negative_absent():
    counts = compare.count_terms(["a b c", "d e f g h"])
    table = compare.keyness(counts.matrix, counts.terms, ["X", "Y"])
    small = compare.bounded_keyness(table, max_rows=1, k_absent=2)
    x = small[small["outlet"] == "X"]
    assert set(x[x["count"] > 0]["term"]) == {"a", "b", "c"}
    assert (x["count"] == 0).sum() == 2
    assert compare.bounded_keyness(table).equals(table)


# ------------------------------------------------------------------ the seed articles


def test_seed_tables(seed_corpus, seed_tables):
    articles = seed_corpus.articles
    sim = seed_tables["similarity.csv"]
    assert sim.shape == (5, 6), "similarity.csv must be the full 5x5 matrix for the seeds"
    assert sim.columns[1:].tolist() == articles["file"].tolist() == sim["file"].tolist()
    m = sim.set_index("file").to_numpy()
    assert np.allclose(m, m.T) and np.allclose(np.diag(m), 1)
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


def test_seed_keyness_token_totals(seed_corpus, seed_tables):
    key = seed_tables["keyness.csv"]
    n = key.groupby("outlet")["n"].first()
    assert n.sum() == key.groupby("outlet")[["n", "n_rest"]].first().sum(axis=1).iloc[0]
    # every outlet's n counts its own tokens only; compare with the corpus word counts
    words = seed_corpus.articles.groupby("outlet")["n_words"].sum()
    for outlet, total in n.items():
        assert total <= words[outlet], outlet
        assert math.isclose(total, words[outlet], rel_tol=0.1), (outlet, total, words[outlet])


# ------------------------------------------------------------------ speed paths, same answers


def test_case_sensitive_scanner_matches_ignorecase_regex():
    # The phrase scanner runs case-sensitively on lower-cased text; it must find exactly what the
    # lexicon's case-insensitive patterns find, including the characters Python equates with
    # ASCII letters when ignoring case (long s "ſ", Kelvin sign, dotless i).
    patterns = [
        r"\bSouth(?:ern)?\s+Kurils?\b",
        r"\b[A-Z]abomai\b",
        r"\bIsland[^s]\b",
        r"\b(?:Etorofu|Kunashiri)(?:[\s-]+(?:to|jima))?\b",
        r"\bSea\s+of\s+Okhotsk\b",
    ]
    lexicon = compare.default_matcher(paths.lexicon_csv())
    texts = [
        "the southern kurils and the south kuril islands; habomai, xabomai",
        "ſouthern kurils, kelvin: \u212aunashiri-to, ıslands of hokkaido, island! islands",
        "etorofu-jima and the sea of  okhotsk; İturup and the kuril islands' shores",
    ]
    for pattern_list in (patterns, lexicon._args[0]):
        matcher = compare.PhraseMatcher(pattern_list, [str(i) for i in range(len(pattern_list))])
        assert matcher._scan is not matcher.regex, "the rewrite applies to these patterns"
        for text in texts:
            low = text.lower()
            fast = [m.span() for m in matcher._scan.finditer(low)]
            slow = [m.span() for m in matcher.regex.finditer(low)]
            assert fast == slow, (text, fast, slow)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(list("ab1 '’-_.,\n\t") + ["é", "e\u0301", "𝔘", "😀", "\u00a0", "٣", "²"]),
        max_size=40,
    ).map("".join)
)
def test_word_tokens_are_word_re_tokens(text):
    start, end, hashed = compare.word_tokens(text)
    words = [text[a:b] for a, b in zip(start, end, strict=True)]
    assert words == compare.WORD_RE.findall(text), text
    seen = {}
    for word, h in zip(words, hashed, strict=True):
        assert seen.setdefault(word, h) == h, f"one word, two hashes: {word!r}"


def test_counting_is_independent_of_chunks_and_workers():
    texts = [f"the treaty {i % 7} on the Southern Kurils, {'again ' * (i % 3)}" for i in range(50)]
    matcher = compare.default_matcher(paths.lexicon_csv())
    one = compare.count_terms(texts, matcher)
    want = pd.DataFrame(one.matrix.toarray(), columns=one.terms)
    assert want["southern_kurils"].sum() == 50, "the name is one feature"
    for workers in (1, 2):
        chunks = [texts[:17], texts[17:40], texts[40:]]
        parts = compare.map_chunks(compare._count_chunk, chunks, matcher, None, workers=workers)
        matrix, vocab = compare.merge_vocabularies(parts)
        got = pd.DataFrame(matrix.toarray(), columns=matcher.label(vocab))
        pd.testing.assert_frame_equal(got[want.columns], want, check_dtype=False)


def test_word_counts_equal_scikit_learns_count_vectorizer():
    # the numpy tokenizer path against CountVectorizer (kept for n-grams), with stop words,
    # min_df and phrases
    texts = [
        "The Southern Kurils' future: Russia's and Japan's “peace treaty”, two-plus-two talks.",
        "Peace treaty talks on the Kuril Islands; the treaty, the islands and o'clock news.",
        "",
        "Shikotan’s port — and the Habomai islets — were handed over to the USSR in 1945.",
    ]
    matcher = compare.default_matcher(paths.lexicon_csv())
    stop = compare.english_stop_words()
    for stop_words, min_df in ((None, 1), (stop, 1), (stop, 2), (None, 0.5)):
        got = compare.count_terms(texts, matcher, stop_words=stop_words, min_df=min_df)
        want = compare._count_ngrams(texts, matcher, (1, 1), stop_words, min_df)
        assert got.terms.tolist() == want.terms.tolist(), (stop_words is None, min_df)
        assert (got.matrix != want.matrix).nnz == 0, (stop_words is None, min_df)


def test_tfidf_equals_scikit_learn():
    from sklearn.feature_extraction.text import TfidfTransformer

    rng = np.random.default_rng(5)
    counts = sp.csr_matrix(rng.poisson(0.4, (30, 12)).astype(np.int64))
    terms = np.array([f"w{i:02d}" for i in range(12)], dtype=object)
    for norm in ("l2", "l1", None):
        for sublinear in (True, False):
            for smooth in (True, False):
                s = compare.TfidfSettings(norm=norm, sublinear_tf=sublinear, smooth_idf=smooth)
                got = compare.tfidf_from_counts(compare.TermCounts(counts, terms), s).matrix
                want = TfidfTransformer(norm=norm, sublinear_tf=sublinear, smooth_idf=smooth)
                want = want.fit_transform(counts.astype(float))
                assert np.allclose(got.toarray(), want.toarray(), rtol=1e-12), (norm, sublinear)


def test_stop_words_are_scikit_learns():
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    assert compare.english_stop_words() == ENGLISH_STOP_WORDS


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=1, max_value=6))
def test_top_k_rows_equals_full_sort(seed, k):
    rng = np.random.default_rng(seed)
    dense = (rng.random((9, 15)) < 0.5) * rng.integers(1, 4, (9, 15)) / 4  # many ties
    terms = np.array([f"t{(7 * i) % 15:02d}" for i in range(15)], dtype=object)
    got = compare.top_k_rows(sp.csr_matrix(dense), terms, k)
    rows = []
    for r in range(9):
        entries = sorted((-v, terms[c], c) for c, v in enumerate(dense[r]) if v != 0)
        rows += [(r, t, -v, i + 1) for i, (v, t, _) in enumerate(entries[:k])]
    want = pd.DataFrame(rows, columns=["row", "term", "score", "rank"])
    assert got.values.tolist() == want.values.tolist()


def test_neighbours_find_near_copies_among_unrelated_articles():
    # 300 articles of random words, and edited copies of three of them (a third of the words
    # dropped): each copy's nearest neighbour must be its original.
    rng = np.random.default_rng(11)
    vocabulary = np.array([f"w{i}" for i in range(5000)])
    p = 1 / np.arange(1, 5001)
    bodies = [" ".join(rng.choice(vocabulary, 300, p=p / p.sum())) for _ in range(300)]
    for i in (3, 50, 200):
        words = bodies[i].split()
        bodies.append(" ".join(w for w in words if rng.random() > 0.33))
    files = [f"a{i:03d}" for i in range(300)] + ["copy003", "copy050", "copy200"]
    weights = compare.tfidf_from_counts(compare.count_terms(bodies)).matrix
    near = compare.similarity_neighbours(weights, files)
    best = near[near["rank"] == 1].set_index("file")["neighbour"]
    assert best["copy003"] == "a003" and best["copy050"] == "a050" and best["copy200"] == "a200"
    full = (weights @ weights.T).toarray()
    for rec in near.itertuples(index=False):
        i, j = files.index(rec.file), files.index(rec.neighbour)
        assert rec.similarity == pytest.approx(full[i, j]), rec
