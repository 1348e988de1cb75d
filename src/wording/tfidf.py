"""TF-IDF weights of the article-by-feature counts (scikit-learn's ``TfidfTransformer``), the
outlets' centroids, and the top terms per outlet and per article (``tfidf_terms.csv``,
``tfidf_articles.csv``). The counts come from ``wording.features``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from wording.features import (
    PhraseMatcher,
    TermCounts,
    count_terms,
    english_stop_words,
    feature_mask,
)

# --------------------------------------------------------------------------------------------
# TF-IDF
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TfidfSettings:
    """The study's TF-IDF choices (justified in notebooks/02_wording.ipynb)."""

    ngram_range: tuple[int, int] = (1, 1)
    stop_words: bool = True  # scikit-learn's English list
    sublinear_tf: bool = True  # 1 + ln(tf)
    norm: str | None = "l2"
    smooth_idf: bool = True
    phrases: bool = True
    numbers: bool = False
    min_df: int = 1


def tfidf_from_counts(counts: TermCounts, settings: TfidfSettings = TfidfSettings()) -> TermCounts:
    """TF-IDF weights of the kept features (``feature_mask``) of a count matrix.

    scikit-learn's TfidfTransformer: tf = 1 + ln(count) if sublinear; idf = ln((1 + n) /
    (1 + df)) + 1 if smooth, else ln(n / df) + 1; rows scaled to unit L2 (or L1) norm.
    """
    from sklearn.feature_extraction.text import TfidfTransformer

    if settings.norm not in ("l1", "l2", None):
        raise ValueError(f"norm must be 'l1', 'l2' or None, not {settings.norm!r}")
    stop = english_stop_words() if settings.stop_words else None
    keep = np.flatnonzero(feature_mask(counts.terms, stop, settings.numbers))
    kept = sp.csr_matrix(counts.matrix)[:, keep].astype(np.float64)
    transformer = TfidfTransformer(
        norm=settings.norm, smooth_idf=settings.smooth_idf, sublinear_tf=settings.sublinear_tf
    )
    weights = sp.csr_matrix(transformer.fit_transform(kept))
    weights.eliminate_zeros()
    return TermCounts(weights, np.asarray(counts.terms, dtype=object)[keep])


def outlet_indicator(outlets: Iterable[str]) -> tuple[sp.csr_matrix, list[str]]:
    """Sparse outlet-by-article 0/1 matrix and the outlets in the study's order."""
    from wording.order import outlet_order

    outlets = pd.Series(list(outlets), dtype=object).fillna("unknown").astype(str)
    order = outlet_order(outlets)
    rows = pd.Categorical(outlets, categories=order).codes
    g = sp.csr_matrix(
        (np.ones(len(rows)), (rows, np.arange(len(rows)))), shape=(len(order), len(rows))
    )
    return g, order


# --------------------------------------------------------------------------------------------
# Top terms per row
# --------------------------------------------------------------------------------------------

ROW_BLOCK_ENTRIES = 4_000_000  # stored values sorted at once by ``top_k_rows`` (memory)


def top_k_rows(matrix: sp.spmatrix, terms: np.ndarray, k: int | None) -> pd.DataFrame:
    """Per row, the k largest non-zero entries (all if k is None): ``row``, ``term``,
    ``score``, ``rank`` (1 = largest).

    Scores are compared at 12 decimals, so float noise cannot reorder mathematically equal
    scores; ties break by term (A-Z). Rows go in blocks of about ``ROW_BLOCK_ENTRIES`` values,
    each sorted at once with ``np.lexsort``.
    """
    term_rank = np.empty(len(terms), dtype=np.int64)
    term_rank[np.argsort(np.asarray(terms, dtype=str), kind="stable")] = np.arange(len(terms))
    row, col, score, rank = top_k_arrays(sp.csr_matrix(matrix), term_rank, k)
    return pd.DataFrame(
        {"row": row, "term": np.asarray(terms, dtype=object)[col], "score": score, "rank": rank}
    )


def top_k_arrays(csr: sp.csr_matrix, column_rank: np.ndarray, k: int | None) -> tuple:
    """``top_k_rows`` as arrays (row, column, score, rank), ties broken by ``column_rank``."""
    parts = []
    bounds = np.searchsorted(
        csr.indptr, np.arange(ROW_BLOCK_ENTRIES, csr.nnz, ROW_BLOCK_ENTRIES), side="right"
    )
    bounds = np.unique(np.r_[0, bounds - 1, csr.shape[0]]) if csr.shape[0] else np.zeros(0, int)
    for start, stop in itertools.pairwise(bounds.tolist()):
        lo, hi = csr.indptr[start], csr.indptr[stop]
        row = np.repeat(np.arange(stop - start), np.diff(csr.indptr[start : stop + 1]))
        col, score = csr.indices[lo:hi], csr.data[lo:hi]
        nonzero = score != 0
        row, col, score = row[nonzero], col[nonzero], score[nonzero]
        if k is not None:  # only entries near or above their row's k-th largest score
            keep = score >= _kth_largest(score, row, stop - start, k)[row] - 1e-12
            row, col, score = row[keep], col[keep], score[keep]
        order = np.lexsort((column_rank[col], -np.round(score, 12), row))
        row, col, score = row[order] + start, col[order], score[order]
        rank = np.arange(len(row)) - np.searchsorted(row, row, side="left") + 1
        keep = rank <= k if k is not None else slice(None)
        parts.append((row[keep], col[keep], score[keep], rank[keep]))
    if not parts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0), np.zeros(0, np.int64)
    row, col, score, rank = (np.concatenate(p) for p in zip(*parts, strict=True))
    return row.astype(np.int64), col.astype(np.int64), score, rank.astype(np.int64)


def _kth_largest(score: np.ndarray, row: np.ndarray, n_rows: int, k: int) -> np.ndarray:
    """Per row, the k-th largest ``score`` (``row`` ascending, 0 to n_rows - 1); -inf where a
    row has fewer than k scores (+inf for every row if k < 1).

    Rows of similar length (between two powers of two) are padded into one table and
    partitioned by numpy at once: the tables hold at most twice the scores.
    """
    if k < 1:
        return np.full(n_rows, np.inf)
    counts = np.bincount(row, minlength=n_rows)
    first = np.cumsum(counts) - counts
    kth = np.full(n_rows, -np.inf)
    long = np.flatnonzero(counts >= k)
    width_class = np.ceil(np.log2(counts[long])).astype(np.int64)
    for c in np.unique(width_class).tolist():
        rows = long[width_class == c]
        lengths = counts[rows]
        within = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        padded = np.full((len(rows), 1 << c), np.inf)  # negated scores: padding sorts last
        padded[np.repeat(np.arange(len(rows)), lengths), within] = -score[
            np.repeat(first[rows], lengths) + within
        ]
        kth[rows] = -np.partition(padded, k - 1, axis=1)[:, k - 1]
    return kth


# --------------------------------------------------------------------------------------------
# The TF-IDF tables
# --------------------------------------------------------------------------------------------


def tfidf_tables(
    articles: pd.DataFrame,
    matcher: PhraseMatcher | None = None,
    settings: TfidfSettings = TfidfSettings(),
    top_k_outlet: int | None = 100,
    top_k_article: int | None = 20,
    counts: TermCounts | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, TermCounts]:
    """``tfidf_terms`` (outlet, term, score, rank, n_articles), ``tfidf_articles`` (file,
    outlet, term, score, rank) and the article-by-term weights.

    ``articles`` needs ``file``, ``outlet``, ``body``; ``counts`` (if given) are its counts, so
    the bodies are not tokenised again. An outlet's score for a term is the mean of its
    articles' (L2-normalised) weights: the centroid, so long or many articles do not dominate.
    """
    if counts is None:
        counts = settings_counts(articles["body"], matcher, settings)
    weights = tfidf_from_counts(counts, settings)
    return (*weights_tables(articles, weights, top_k_outlet, top_k_article), weights)


def settings_counts(
    bodies: pd.Series, matcher: PhraseMatcher | None, settings: TfidfSettings
) -> TermCounts:
    """The counts TF-IDF under ``settings`` weighs: its phrases, n-grams, stop words, min_df."""
    stop = english_stop_words() if settings.stop_words else None
    phrases = matcher if settings.phrases else None
    return count_terms(bodies, phrases, settings.ngram_range, stop, settings.min_df)


def weights_tables(
    articles: pd.DataFrame,
    weights: TermCounts,
    top_k_outlet: int | None = 100,
    top_k_article: int | None = 20,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``tfidf_terms.csv`` and ``tfidf_articles.csv`` from TF-IDF weights (see ``tfidf_tables``)."""
    g, order = outlet_indicator(articles["outlet"])
    n_articles = np.asarray(g.sum(axis=1)).ravel()
    centroid = sp.diags(1.0 / np.maximum(n_articles, 1)) @ g @ weights.matrix
    per_outlet = top_k_rows(centroid, weights.terms, top_k_outlet)
    outlet_code = per_outlet.pop("row").to_numpy()
    per_outlet.insert(0, "outlet", np.asarray(order, dtype=object)[outlet_code])
    per_outlet["n_articles"] = n_articles[outlet_code].astype(np.int64)
    top = top_k_rows(weights.matrix, weights.terms, top_k_article)
    rows = top["row"].to_numpy()
    per_article = pd.DataFrame(
        {
            "file": articles["file"].to_numpy(dtype=object)[rows],
            "outlet": articles["outlet"].to_numpy(dtype=object)[rows],
            "term": top["term"].to_numpy(),
            "score": top["score"].to_numpy(),
            "rank": top["rank"].to_numpy(),
        }
    )
    return per_outlet, per_article


def top_terms_by_setting(
    articles: pd.DataFrame,
    matcher: PhraseMatcher | None,
    variants: dict[str, TfidfSettings],
    k: int = 10,
) -> pd.DataFrame:
    """Top-k outlet terms under each TF-IDF variant: ``setting``, outlet, term, score, rank."""
    frames, counted = [], {}  # variants that count alike (e.g. raw tf) share one count
    for name, settings in variants.items():
        how = (settings.phrases, settings.ngram_range, settings.stop_words, settings.min_df)
        if how not in counted:
            counted[how] = settings_counts(articles["body"], matcher, settings)
        per_outlet, _, _ = tfidf_tables(articles, matcher, settings, k, 0, counted[how])
        frames.append(per_outlet.assign(setting=name))
    out = pd.concat(frames, ignore_index=True)
    return out[["setting", "outlet", "term", "score", "rank"]]
