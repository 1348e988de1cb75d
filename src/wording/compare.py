"""The compare stage as the build runs it: TF-IDF (``wording.features``), keyness
(``wording.keyness``) and similarity (``wording.similarity``) from one count of the bodies.

Notebook 02 reads ``TfidfSettings``, ``default_matcher``, ``keyness_extremes`` and
``top_terms_by_setting`` from here.
"""

from __future__ import annotations

import pandas as pd

from wording.features import (
    PhraseMatcher,
    TermCounts,
    article_counts,
    count_matrix,
    default_matcher,  # noqa: F401 (notebook 02 reads it from here)
)
from wording.keyness import (
    ALPHA0,
    keyness_extremes,  # noqa: F401 (notebook 02 reads it from here)
    keyness_table,
)
from wording.outlets import UNKNOWN
from wording.ranks import tie_columns
from wording.similarity import similarity_tables
from wording.tfidf import (
    TfidfSettings,
    tfidf_from_counts,
    top_terms_by_setting,  # noqa: F401 (notebook 02 reads it from here)
    weights_tables,
)


def compare_tables(
    articles: pd.DataFrame,
    matcher: PhraseMatcher | None = None,
    settings: TfidfSettings | None = None,
    alpha0: float = ALPHA0,
) -> dict[str, pd.DataFrame]:
    """``tfidf_terms.csv``, ``tfidf_articles.csv``, ``similarity.csv``,
    ``similarity_outlets.csv`` and ``keyness.csv`` by file name, from one count of the bodies.

    ``articles`` needs ``file``, ``outlet``, ``body``. Keyness counts every word (stop words
    included, as in Monroe et al.); TF-IDF drops stop words and numbers from the same counts.
    """
    settings = settings or TfidfSettings()
    counts = body_counts(articles["body"], matcher, settings)
    return tables_from_counts(articles, counts, settings, alpha0)


def body_counts(bodies, matcher: PhraseMatcher | None, settings: TfidfSettings) -> TermCounts:
    """One row of counts per body, names compounded by ``matcher`` when ``settings.phrases``."""
    matcher = matcher if matcher is not None and settings.phrases else PhraseMatcher([], [])
    return TermCounts(*count_matrix([article_counts(b, matcher) for b in bodies]))


def tables_from_counts(
    articles: pd.DataFrame,
    counts: TermCounts,
    settings: TfidfSettings | None = None,
    alpha0: float = ALPHA0,
) -> dict[str, pd.DataFrame]:
    """``compare_tables`` from counts already made (one row of ``counts`` per article, in order)."""
    settings = settings or TfidfSettings()
    # Articles of unknown outlet are reported (articles.csv, warnings.csv), not compared as one
    # outlet called "unknown": the outlet-level tables (keyness, similarity_outlets, the
    # outlets' TF-IDF terms) are made from the other articles only.
    known = (articles["outlet"].fillna(UNKNOWN).astype(str) != UNKNOWN).to_numpy()
    if known.any():
        key = keyness_table(
            counts.matrix[known], counts.terms, articles["outlet"][known], alpha0=alpha0
        )
    else:
        key = keyness_table(counts.matrix, counts.terms, articles["outlet"], alpha0=alpha0)
        key = key.iloc[0:0]
    weights = tfidf_from_counts(counts, settings)
    tfidf_terms, tfidf_articles = weights_tables(articles, weights)
    tfidf_terms = tfidf_terms[tfidf_terms["outlet"] != UNKNOWN].reset_index(drop=True)
    for table, group in ((tfidf_terms, "outlet"), (tfidf_articles, "file")):
        table["n_tied"], table["rank_tied"] = tie_columns(table, group, "score")
    similarity = similarity_tables(weights.matrix, articles)
    similarity["similarity_outlets.csv"] = similarity_tables(
        weights.matrix[known], articles[known]
    )["similarity_outlets.csv"]
    return {
        "tfidf_terms.csv": tfidf_terms,
        "tfidf_articles.csv": tfidf_articles,
        **similarity,
        "keyness.csv": key,
    }
