"""Which words each outlet over- and under-uses against the rest of the corpus: Fightin' Words,
the log-odds ratio with an informative Dirichlet prior of Monroe, Colaresi & Quinn (2008),
``keyness.csv``.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.special import ndtr

from wording.features import english_stop_words, outlet_indicator

ALPHA0 = 10.0  # scattertext's default prior size: alpha_w = 10 * prior_w / sum(prior)


def keyness(
    counts: sp.spmatrix,
    terms: np.ndarray,
    outlets: Iterable[str],
    alpha0: float = ALPHA0,
    prior: np.ndarray | None = None,
) -> pd.DataFrame:
    """Each outlet's terms against the rest of the corpus: Fightin' Words z-scores.

    ``counts`` is article-by-term (sparse), ``outlets`` one label per article. The prior is
    alpha_w = alpha0 · prior_w / Σ prior, with prior = whole-corpus counts unless given.
    delta = ln((y+a)/(n+a0-y-a)) - ln((y_r+a)/(n_r+a0-y_r-a)); sigma2 = 1/(y+a) + 1/(y_r+a);
    z = delta / sqrt(sigma2). Returns one row per outlet and term used anywhere in the corpus:
    outlet, term, count, count_rest, n, n_rest, alpha, alpha0, delta, sigma2, z, p_two_sided,
    rate_per_1000, rate_rest_per_1000; sorted by outlet, z descending, then term.
    """
    g, order = outlet_indicator(outlets)
    counts = sp.csr_matrix(counts)
    integer = np.issubdtype(counts.dtype, np.integer)  # no float copy of the counts (memory)
    by_outlet = (g.astype(np.int64) if integer else g) @ counts
    by_outlet = np.asarray(by_outlet.todense(), dtype=np.float64)
    total = by_outlet.sum(axis=0)
    used = total > 0
    by_outlet, total, terms = by_outlet[:, used], total[used], np.asarray(terms, object)[used]
    base = total if prior is None else np.asarray(prior, dtype=float)[used]
    alpha = alpha0 * base / base.sum()
    y, y_rest = by_outlet, total[None, :] - by_outlet
    n = y.sum(axis=1, keepdims=True)
    n_rest = total.sum() - n
    delta = np.log((y + alpha) / (n + alpha0 - y - alpha)) - np.log(
        (y_rest + alpha) / (n_rest + alpha0 - y_rest - alpha)
    )
    sigma2 = 1.0 / (y + alpha) + 1.0 / (y_rest + alpha)
    z = delta / np.sqrt(sigma2)
    k, v = y.shape
    with np.errstate(divide="ignore", invalid="ignore"):
        rate_rest = np.where(n_rest > 0, 1000 * y_rest / n_rest, np.nan)
    table = pd.DataFrame(
        {
            "outlet": np.repeat(np.asarray(order, dtype=object), v),
            "term": np.tile(terms, k),
            "count": y.ravel().astype(np.int64),
            "count_rest": y_rest.ravel().astype(np.int64),
            "n": np.repeat(n.ravel(), v).astype(np.int64),
            "n_rest": np.repeat(n_rest.ravel(), v).astype(np.int64),
            "alpha": np.tile(alpha, k),
            "alpha0": float(alpha0),
            "delta": delta.ravel(),
            "sigma2": sigma2.ravel(),
            "z": z.ravel(),
            "p_two_sided": 2 * ndtr(-np.abs(z.ravel())),
            "rate_per_1000": (1000 * y / np.maximum(n, 1)).ravel(),
            "rate_rest_per_1000": rate_rest.ravel(),
        }
    )
    table["_o"] = pd.Categorical(table["outlet"], categories=order).codes
    table["_z"] = -np.round(table["z"], 12)
    table = table.sort_values(["_o", "_z", "term"], kind="stable").drop(columns=["_o", "_z"])
    return table.reset_index(drop=True)


def keyness_extremes(table: pd.DataFrame, k: int = 10) -> pd.DataFrame:
    """Per outlet, the k highest-z terms (``side`` "over") and the k lowest (``side`` "under").

    Assumes ``table`` is sorted as ``keyness`` returns it (z descending within outlet).
    """
    by = table.groupby("outlet", sort=False)
    over = by.head(k).assign(side="over")
    under = by.tail(k).assign(side="under")
    return pd.concat([over, under], ignore_index=True)


def bounded_keyness(table: pd.DataFrame, max_rows: int = 2_000_000, k_absent: int = 200):
    """The keyness table, or, when longer than ``max_rows``, the rows where the outlet uses the
    term plus its ``k_absent`` most negative absent terms (the table is sorted by z per outlet)."""
    if len(table) <= max_rows:
        return table
    absent = table["count"] == 0
    rank_absent = absent[::-1].groupby(table["outlet"][::-1]).cumsum()[::-1]
    return table[~absent | (rank_absent <= k_absent)].reset_index(drop=True)


def keyness_table(
    counts: sp.spmatrix, terms: np.ndarray, outlets: Iterable[str], alpha0: float = ALPHA0
) -> pd.DataFrame:
    """``keyness.csv``: ``keyness`` of every term (stop words included, as in Monroe et al.,
    marked in ``stop_word``), bounded by ``bounded_keyness``."""
    table = keyness(counts, terms, outlets, alpha0=alpha0)
    table["stop_word"] = table["term"].isin(english_stop_words())
    return bounded_keyness(table)
