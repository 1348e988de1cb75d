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

ALPHA0 = (
    10.0  # the prior size of scattertext's scale_type='word': alpha_w = 10 * prior_w / sum(prior)
)
Z_CRITICAL = 1.96  # |z| at which a difference is read as significant (two-sided 5%)
REPLICATES = 200  # article-level bootstrap replicates for ``resampled_share``
SEED = 20080101  # fixed: the replicates, and so the table, are the same on every run
ROBUST_SHARE = 0.95  # share of replicates a robust term must keep its significant z in
SHOWN_PER_SIDE = 20  # per outlet and prior, the top and bottom terms a reader is shown
KEYNESS_NEW_COLUMNS = ["z_raw_prior", "n_articles", "resampled_share", "robust"]


def _z(y, y_rest, n, n_rest, alpha, alpha0):
    """Fightin' Words z of counts ``y`` against ``y_rest`` (words ``n``, ``n_rest``) under the
    prior ``alpha`` (summing to ``alpha0``): (delta, sigma2, z), broadcast."""
    delta = np.log((y + alpha) / (n + alpha0 - y - alpha)) - np.log(
        (y_rest + alpha) / (n_rest + alpha0 - y_rest - alpha)
    )
    sigma2 = 1.0 / (y + alpha) + 1.0 / (y_rest + alpha)
    return delta, sigma2, delta / np.sqrt(sigma2)


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
    rate_per_1000, rate_rest_per_1000, and ``z_raw_prior`` (the z under the raw-count prior,
    alpha_w = the term's corpus count); sorted by outlet, z descending, then term.
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
    delta, sigma2, z = _z(y, y_rest, n, n_rest, alpha, alpha0)
    # the other standard prior: alpha_w = the term's count in the whole corpus (alpha0 = N)
    _, _, z_raw = _z(y, y_rest, n, n_rest, total[None, :], total.sum())
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
            "z_raw_prior": z_raw.ravel(),
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


def shown_terms(table: pd.DataFrame, k: int = SHOWN_PER_SIDE) -> pd.Series:
    """Whether each row is among its outlet's ``k`` highest or ``k`` lowest terms under either
    prior (``z`` or ``z_raw_prior``): the rows a reader is shown."""
    by = table.groupby("outlet", sort=False)
    shown = pd.Series(False, index=table.index)
    for column in ("z", "z_raw_prior"):
        for ascending in (False, True):
            shown |= by[column].rank(method="first", ascending=ascending) <= k
    return shown


def resampled_share(
    counts: sp.spmatrix,
    outlets: Iterable[str],
    cells: pd.DataFrame,
    alpha0: float = ALPHA0,
    replicates: int = REPLICATES,
    seed: int = SEED,
) -> np.ndarray:
    """For each row of ``cells`` (``outlet``, ``col``: a column of ``counts``, ``z``), the share
    of article-level bootstrap replicates in which the outlet's z for that term (share prior)
    keeps the sign of ``z`` with |z| >= ``Z_CRITICAL``.

    Each replicate draws every outlet's articles with replacement (as many as it has), so an
    outlet with one article always has the same article. Outlet counts are W^T X[:, cols] for
    the replicate weights W; only the columns of ``cells`` are counted, so the cost is the
    replicates times the non-zeros of those columns.
    """
    g, order = outlet_indicator(outlets)
    counts = sp.csr_matrix(counts)
    cols = np.unique(cells["col"].to_numpy(dtype=np.int64))
    where = {c: j for j, c in enumerate(cols)}
    sub = counts[:, cols].astype(np.float64).tocsr()
    words = np.asarray(counts.sum(axis=1), dtype=np.float64).ravel()
    rng = np.random.default_rng(seed)
    total = np.zeros((replicates, len(cols)))
    n_total = np.zeros(replicates)
    outlet_y: dict[str, np.ndarray] = {}
    outlet_n: dict[str, np.ndarray] = {}
    wanted = cells.groupby("outlet", sort=False)["col"].apply(lambda c: sorted(set(c)))
    for code, outlet in enumerate(order):
        members = g[code].indices
        size = len(members)
        block = max(1, 4_000_000 // max(size, 1))  # replicates per draw: bounded memory
        y = np.zeros((replicates, len(cols)))
        n = np.zeros(replicates)
        part = sub[members].T.tocsr()  # cols x articles of the outlet
        for r0 in range(0, replicates, block):
            r1 = min(replicates, r0 + block)
            weights = rng.multinomial(size, np.full(size, 1.0 / size), size=r1 - r0)
            y[r0:r1] = (part @ weights.T).T
            n[r0:r1] = weights @ words[members]
        total += y
        n_total += n
        if outlet in wanted.index:
            outlet_y[outlet] = y
            outlet_n[outlet] = n
    share = np.full(len(cells), np.nan)
    for outlet, rows in cells.groupby("outlet", sort=False):
        j = np.array([where[c] for c in rows["col"]], dtype=np.int64)
        y = outlet_y[outlet][:, j]
        n = outlet_n[outlet][:, None]
        alpha = alpha0 * total[:, j] / n_total[:, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            _, _, z = _z(y, total[:, j] - y, n, n_total[:, None] - n, alpha, alpha0)
        sign = np.sign(rows["z"].to_numpy())[None, :]
        held = (np.sign(z) == sign) & (np.abs(z) >= Z_CRITICAL) & (sign != 0)
        share[cells.index.get_indexer(rows.index)] = held.mean(axis=0)
    return share


def keyness_table(
    counts: sp.spmatrix,
    terms: np.ndarray,
    outlets: Iterable[str],
    alpha0: float = ALPHA0,
    also: Iterable[str] | None = None,
    replicates: int = REPLICATES,
) -> pd.DataFrame:
    """``keyness.csv``: ``keyness`` of every term (stop words included, as in Monroe et al.,
    marked in ``stop_word``), bounded by ``bounded_keyness``, with ``n_articles`` (the outlet's),
    ``resampled_share`` (``resampled_share``; computed for the terms a reader is shown, see
    ``shown_terms``, and the terms ``also`` names -- by default the lexicon's compounds, the
    terms holding "_" -- NaN elsewhere) and ``robust``: |z| >= 1.96 with the same sign under
    both priors, resampled_share >= 0.95 and at least two articles in the outlet."""
    outlets = pd.Series(list(outlets), dtype=object).fillna("unknown").astype(str)
    table = keyness(counts, terms, outlets, alpha0=alpha0)
    table["stop_word"] = table["term"].isin(english_stop_words())
    table["n_articles"] = table["outlet"].map(outlets.value_counts()).astype(np.int64)
    extra = (
        table["term"].str.contains("_", regex=False)
        if also is None
        else table["term"].isin(set(also))
    )
    cells = table.loc[shown_terms(table) | extra, ["outlet", "term", "z"]]
    column = pd.Series(np.arange(len(terms)), index=np.asarray(terms, dtype=object))
    cells = cells.assign(col=column.reindex(cells["term"]).to_numpy())
    table["resampled_share"] = np.nan
    if len(cells):
        table.loc[cells.index, "resampled_share"] = resampled_share(
            counts, outlets, cells, alpha0, replicates
        )
    significant = (table["z"].abs() >= Z_CRITICAL) & (table["z_raw_prior"].abs() >= Z_CRITICAL)
    table["robust"] = (
        significant
        & (np.sign(table["z"]) == np.sign(table["z_raw_prior"]))
        & (table["resampled_share"] >= ROBUST_SHARE)
        & (table["n_articles"] >= 2)
    )
    first = [c for c in table.columns if c not in KEYNESS_NEW_COLUMNS]
    return bounded_keyness(table[first + KEYNESS_NEW_COLUMNS])
