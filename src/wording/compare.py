"""The compare stage as the build runs it: TF-IDF (``wording.features``), keyness
(``wording.keyness``) and similarity (``wording.similarity``) from one count of the bodies.

The names other code has imported from here are re-exported from those modules.
"""

from __future__ import annotations

import pandas as pd

from wording.features import (  # noqa: F401 (re-exported)
    LEXICON_NAME_CATEGORIES,
    NUMBER_FEATURE_RE,
    POSSESSIVE_RE,
    PhraseMatcher,
    TermCounts,
    article_counts,
    count_matrix,
    count_terms,
    default_matcher,
    english_stop_words,
    feature_mask,
    lexicon_phrases,
    load_phrases,
    phrase_matcher,
    phrase_pattern,
    phrases_csv,
)
from wording.keyness import (  # noqa: F401 (re-exported)
    ALPHA0,
    bounded_keyness,
    keyness,
    keyness_extremes,
    keyness_table,
)
from wording.outlets import UNKNOWN
from wording.ranks import tie_columns
from wording.similarity import (  # noqa: F401 (re-exported)
    MAX_FULL_SIMILARITY,
    NEIGHBOUR_MAX_DF,
    article_similarity,
    outlet_similarity,
    pair_cosine,
    pairs_in_groups,
    similarity_matrix,
    similarity_neighbours,
    similarity_tables,
    sorted_unique,
    unique_pairs,
)
from wording.text import WORD_RE  # noqa: F401 (re-exported)
from wording.tfidf import (  # noqa: F401 (re-exported)
    TfidfSettings,
    outlet_indicator,
    tfidf_from_counts,
    tfidf_tables,
    top_k_rows,
    top_terms_by_setting,
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
    matcher = matcher if matcher is not None and settings.phrases else PhraseMatcher([], [])
    counts = TermCounts(*count_matrix([article_counts(b, matcher) for b in articles["body"]]))
    return tables_from_counts(articles, counts, settings, alpha0)


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


def __getattr__(name: str):
    if name == "ENGLISH_STOP_WORDS":  # the list, loaded on first use
        return english_stop_words()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
