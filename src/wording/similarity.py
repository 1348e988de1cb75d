"""How alike articles and outlets are: cosine similarity of TF-IDF weights, ``similarity.csv``
(all article pairs up to ``MAX_FULL_SIMILARITY`` articles, each article's closest neighbours
above) and ``similarity_outlets.csv`` (mean similarity between the articles of two outlets).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

import numpy as np
import pandas as pd
import scipy.sparse as sp

from wording.features import outlet_indicator, top_k_arrays, top_k_rows


def similarity_matrix(weights: sp.spmatrix, files: Iterable[str]) -> pd.DataFrame:
    """Article-by-article cosine similarity of L2-normalised rows, as a square table.

    First column ``file`` and the header are the file names. Quadratic: for small corpora only.
    """
    files = list(files)
    sim = (weights @ weights.T).toarray()
    np.fill_diagonal(sim, np.where(np.asarray(weights.multiply(weights).sum(1)).ravel() > 0, 1, 0))
    table = pd.DataFrame(np.round(sim, 12), columns=files)
    table.insert(0, "file", files)
    return table


NEIGHBOUR_MAX_DF = 50  # a heavy term shared by more articles links none (cost: quadratic in it)


def similarity_neighbours(
    weights: sp.spmatrix,
    files: Iterable[str],
    k: int = 10,
    terms_per_article: int = 10,
    max_df: int = NEIGHBOUR_MAX_DF,
    shared_terms: int = 1,
) -> pd.DataFrame:
    """Top-k most similar articles per article, found without comparing all pairs.

    Candidates are pairs of articles that share ``shared_terms`` of their ``terms_per_article``
    heaviest TF-IDF terms (ties by column), counting only terms heavy in at most ``max_df``
    articles (a term, or set of terms, heavy in more is a stock phrase, not evidence);
    candidates are scored by exact cosine. Returns ``file``, ``neighbour``, ``similarity``,
    ``rank``. A term set links at most ``max_df`` articles, so there are at most
    n · C(terms_per_article, shared_terms) · max_df / 2 candidate pairs: linear in the corpus,
    quadratic in ``max_df`` (200 gave 40 million pairs at 100,000 articles, 50 gives 2).
    ``shared_terms=2`` is far cheaper and still finds near-copies, which share most heavy terms.
    """
    x = sp.csr_matrix(weights)
    files = np.asarray(list(files), dtype=object)
    # Each article's heaviest terms (ties by column, i.e. by term), and in how many articles
    # each is heavy.
    article, term, _, rank = top_k_arrays(x, np.arange(x.shape[1]), terms_per_article)
    rank = rank - 1
    df = np.bincount(term, minlength=x.shape[1])[term]
    keep = df <= max_df
    # Each article's usable heavy terms, ascending, as one row of a padded table.
    missing = np.iinfo(np.int64).max
    table = np.full((x.shape[0], terms_per_article), missing, dtype=np.int64)
    table[article[keep], rank[keep]] = term[keep]
    table = np.sort(table, axis=1)
    sets, members = [], []
    for combo in itertools.combinations(range(terms_per_article), shared_terms):
        columns = table[:, list(combo)]
        ok = (columns != missing).all(axis=1)
        sets.append(columns[ok])
        members.append(np.flatnonzero(ok))
    empty = pd.DataFrame({"file": [], "neighbour": [], "similarity": [], "rank": []})
    if not sets:
        return empty
    sets, members = np.concatenate(sets), np.concatenate(members)
    group = sets[:, 0]
    for j in range(1, shared_terms):  # a set of terms as one integer
        group = group * x.shape[1] + sets[:, j]
        if j + 1 < shared_terms:
            group = pd.factorize(group)[0].astype(np.int64)
    order = np.argsort(group)
    group, members = group[order], members[order]
    start = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    size = np.diff(np.r_[start, len(group)])
    size = np.repeat(size, size)
    ok = (size >= 2) & (size <= max_df)
    pairs = pairs_in_groups(group[ok], members[ok])  # pairs are ordered below
    if not len(pairs):
        return empty
    pairs = unique_pairs(np.sort(pairs, axis=1), x.shape[0])
    a, b = pairs[:, 0], pairs[:, 1]
    cosine = pair_cosine(x, a, b)
    m = sp.csr_matrix((np.r_[cosine, cosine], (np.r_[a, b], np.r_[b, a])), shape=(x.shape[0],) * 2)
    best = top_k_rows(m, files.astype(str), k)
    return pd.DataFrame(
        {
            "file": files[best["row"].to_numpy()],
            "neighbour": best["term"].to_numpy(),
            "similarity": best["score"].to_numpy(),
            "rank": best["rank"].to_numpy(),
        }
    )


def pairs_in_groups(group: np.ndarray, member: np.ndarray) -> np.ndarray:
    """Every pair ``(member[i], member[j])``, i < j, inside each run of equal ``group`` values
    (``group`` sorted). Generated at once with ``np.repeat``, no loop over groups or offsets."""
    n = len(group)
    if n < 2:
        return np.zeros((0, 2), dtype=np.int64)
    start = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    size = np.diff(np.r_[start, n])
    partners = np.repeat(start + size, size) - np.arange(n) - 1
    first = np.repeat(np.arange(n), partners)
    second = first + 1 + np.arange(len(first)) - np.repeat(np.cumsum(partners) - partners, partners)
    return np.stack([member[first], member[second]], axis=1).astype(np.int64, copy=False)


def unique_pairs(pairs: np.ndarray, n: int) -> np.ndarray:
    """Distinct rows of an (m, 2) array of integers in [0, n), sorted (one 1-D sort)."""
    code = sorted_unique(pairs[:, 0].astype(np.int64) * n + pairs[:, 1])
    return np.stack([code // n, code % n], axis=1)


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """``np.unique`` for integers by sorting (numpy's hash-based unique is slower here)."""
    values = np.sort(values)
    return values[np.r_[True, values[1:] != values[:-1]]] if len(values) else values


def pair_cosine(x: sp.csr_matrix, a: np.ndarray, b: np.ndarray, block: int = 5_000) -> np.ndarray:
    """Dot products of rows ``a[i]`` and ``b[i]`` of a CSR matrix (cosines, if its rows have
    unit norm), computed in blocks of pairs to bound memory."""
    out = np.zeros(len(a))
    for start in range(0, len(a), block):
        pairs = slice(start, start + block)
        out[pairs] = np.asarray(x[a[pairs]].multiply(x[b[pairs]]).sum(axis=1)).ravel()
    return out


MAX_FULL_SIMILARITY = 2000  # articles: up to this, similarity.csv is the full square matrix


def article_similarity(
    weights: sp.spmatrix, files: Iterable[str], max_full: int = MAX_FULL_SIMILARITY, k: int = 10
) -> pd.DataFrame:
    """``similarity.csv``: the full square matrix for up to ``max_full`` articles, else the
    long table of each article's top-k neighbours (``similarity_neighbours``)."""
    files = list(files)
    if len(files) <= max_full:
        return similarity_matrix(weights, files)
    return similarity_neighbours(weights, files, k=k)


def outlet_similarity(weights: sp.spmatrix, outlets: Iterable[str]) -> pd.DataFrame:
    """Mean cosine similarity between articles of two outlets, without the article-pair matrix.

    mean_{i in A, j in B} x_i·x_j = (Σ_A x_i)·(Σ_B x_j) / (n_A n_B); same-outlet means exclude
    each article's similarity with itself. Returns ``outlet_a``, ``outlet_b``, ``n_pairs``,
    ``mean_similarity``.
    """
    g, order = outlet_indicator(outlets)
    sums = g @ weights
    n = np.asarray(g.sum(axis=1)).ravel()
    x = sp.csr_matrix(weights)
    squares = np.asarray(x.multiply(x).sum(axis=1)).ravel()  # each article's squared norm
    self_sim = g @ squares
    dot = (sums @ sums.T).toarray()
    pairs = np.outer(n, n) - np.diag(n)
    dot = dot - np.diag(self_sim)
    mean = np.divide(dot, pairs, out=np.full_like(dot, np.nan), where=pairs > 0)
    ia, ib = np.meshgrid(np.arange(len(order)), np.arange(len(order)), indexing="ij")
    return pd.DataFrame(
        {
            "outlet_a": np.asarray(order, dtype=object)[ia.ravel()],
            "outlet_b": np.asarray(order, dtype=object)[ib.ravel()],
            "n_pairs": pairs.ravel().astype(np.int64),
            "mean_similarity": mean.ravel(),
        }
    )


def similarity_tables(weights: sp.spmatrix, articles: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """``similarity.csv`` (``article_similarity``) and ``similarity_outlets.csv``
    (``outlet_similarity``) from TF-IDF weights with one row per article of ``articles``
    (columns ``file`` and ``outlet``)."""
    return {
        "similarity.csv": article_similarity(weights, articles["file"]),
        "similarity_outlets.csv": outlet_similarity(weights, articles["outlet"]),
    }
