"""Cosine similarity of articles and outlets: hand-worked values, the neighbour search against
the full matrix, then the seed articles."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from wording import compare, paths, similarity
from wording.features import count_terms, tfidf_from_counts, tfidf_tables
from wording.pipeline import build


def test_cosine_by_hand():
    # "kurils treaty" and "territories treaty": after sublinear tf, smooth idf and L2 norm each
    # article is (name 0.8148025, treaty 0.5797387) (see test_features), so their cosine is
    # 0.5797387^2 = 0.3360970.
    articles = pd.DataFrame(
        {
            "file": ["a.txt", "b.txt"],
            "outlet": ["X", "Y"],
            "body": ["kurils treaty", "territories treaty"],
        }
    )
    _, _, weights = tfidf_tables(articles)
    sim = similarity.similarity_matrix(weights.matrix, articles["file"]).set_index("file")
    assert sim.loc["a.txt", "b.txt"] == pytest.approx(0.3360970, abs=1e-6)


def test_similarity_matrix_layout():
    x = sp.csr_matrix(np.array([[1.0, 0.0], [0.6, 0.8], [0.0, 0.0]]))
    sim = similarity.similarity_matrix(x, ["a.txt", "b.txt", "empty.txt"])
    assert sim.columns.tolist() == ["file", "a.txt", "b.txt", "empty.txt"]
    assert sim["file"].tolist() == ["a.txt", "b.txt", "empty.txt"]
    assert sim.iloc[0, 2] == pytest.approx(0.6) and sim.iloc[1, 1] == pytest.approx(0.6)
    assert sim.iloc[0, 1] == 1 and sim.iloc[2, 3] == 0, "an empty article is similar to nothing"


def _unit_rows(seed: int, n: int = 12, v: int = 30) -> sp.csr_matrix:
    rng = np.random.default_rng(seed)
    x = sp.csr_matrix((rng.random((n, v)) < 0.15) * rng.random((n, v)))
    norms = np.sqrt(np.asarray(x.multiply(x).sum(1)).ravel())
    return sp.csr_matrix(sp.diags(1 / np.where(norms > 0, norms, 1)) @ x)


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=0, max_value=10_000))
def test_neighbours_agree_with_full_matrix(seed):
    x = _unit_rows(seed)
    files = [f"f{i:02d}" for i in range(12)]
    full = similarity.similarity_matrix(x, files).set_index("file")
    near = similarity.similarity_neighbours(x, files, k=3, terms_per_article=30, max_df=12)
    for rec in near.itertuples(index=False):
        assert rec.similarity == pytest.approx(full.loc[rec.file, rec.neighbour]), rec
    # with every term a candidate link, each article's best neighbour is the true best
    for f in files:
        others = full.loc[f].drop(f)
        if others.max() > 0:
            best = near[(near["file"] == f) & (near["rank"] == 1)]
            assert best["similarity"].iloc[0] == pytest.approx(others.max()), f


def test_article_similarity_switches_to_neighbours_above_max_full():
    x = _unit_rows(4)
    files = [f"f{i:02d}" for i in range(12)]
    assert similarity.article_similarity(x, files).shape == (12, 13)
    long = similarity.article_similarity(x, files, max_full=5, k=2)
    assert long.columns.tolist() == ["file", "neighbour", "similarity", "rank"]
    assert long.groupby("file")["rank"].max().max() <= 2


def test_pair_cosine_equals_dense_products():
    rng = np.random.default_rng(5)
    x = sp.csr_matrix((rng.random((40, 25)) < 0.3) * rng.random((40, 25)))
    a, b = rng.integers(0, 40, 500), rng.integers(0, 40, 500)
    dense = x.toarray()
    got = similarity.pair_cosine(x, a, b, block=7)
    assert np.allclose(got, (dense[a] * dense[b]).sum(axis=1)) and len(got) == len(a)


def test_pairs_in_groups_lists_each_pair_once():
    group = np.array([1, 1, 1, 4, 7, 7])
    member = np.array([10, 11, 12, 13, 14, 15])
    got = similarity.pairs_in_groups(group, member).tolist()
    assert got == [[10, 11], [10, 12], [11, 12], [14, 15]], got


def test_outlet_similarity_is_mean_of_matrix_blocks():
    rng = np.random.default_rng(3)
    x = sp.csr_matrix(rng.random((5, 8)))
    outlets = ["Sputnik", "Sputnik", "Sputnik", "TASS", "Taipei Times"]
    full = (x @ x.T).toarray()
    got = similarity.outlet_similarity(x, outlets).set_index(["outlet_a", "outlet_b"])
    sputnik = full[:3, :3][~np.eye(3, dtype=bool)].mean()
    assert got.loc[("Sputnik", "Sputnik"), "mean_similarity"] == pytest.approx(sputnik)
    assert got.loc[("Sputnik", "TASS"), "mean_similarity"] == pytest.approx(full[:3, 3].mean())
    assert got.loc[("TASS", "TASS"), "n_pairs"] == 0


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
    weights = tfidf_from_counts(count_terms(bodies)).matrix
    near = similarity.similarity_neighbours(weights, files)
    best = near[near["rank"] == 1].set_index("file")["neighbour"]
    assert best["copy003"] == "a003" and best["copy050"] == "a050" and best["copy200"] == "a200"
    full = (weights @ weights.T).toarray()
    for rec in near.itertuples(index=False):
        i, j = files.index(rec.file), files.index(rec.neighbour)
        assert rec.similarity == pytest.approx(full[i, j]), rec


def test_seed_similarity():
    articles = build(paths.corpus_dir(), paths.metadata_csv()).articles
    tables = compare.compare_tables(articles, compare.default_matcher(paths.lexicon_csv()))
    sim = tables["similarity.csv"]
    assert sim.shape == (5, 6), "similarity.csv must be the full 5x5 matrix for the seeds"
    assert sim.columns[1:].tolist() == articles["file"].tolist() == sim["file"].tolist()
    m = sim.set_index("file").to_numpy()
    assert np.allclose(m, m.T) and np.allclose(np.diag(m), 1)
    outlets = tables["similarity_outlets.csv"]
    assert len(outlets) == 9 and outlets["mean_similarity"].dropna().between(0, 1).all()
