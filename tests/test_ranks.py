"""TF-IDF ties as ties: competition ranks on the score as the tables write it."""

from __future__ import annotations

import pandas as pd
import pytest

from wording import compare, paths
from wording.pipeline import build
from wording.ranks import tie_columns


@pytest.fixture(scope="module")
def seed_tables():
    corpus = build(paths.corpus_dir(), paths.metadata_csv())
    return compare.compare_tables(corpus.articles, compare.default_matcher(paths.lexicon_csv()))


def test_tie_columns_by_hand():
    table = pd.DataFrame(
        {
            "outlet": ["A", "A", "A", "A", "A", "B"],
            # 0.2 and 0.2000000001 are written alike ("0.2"): a tie
            "score": [0.3, 0.2, 0.2000000001, 0.2, 0.1, 0.5],
        }
    )
    n_tied, rank_tied = tie_columns(table, "outlet", "score")
    assert n_tied.tolist() == [1, 3, 3, 3, 1, 1]
    assert rank_tied.tolist() == [1, 2, 2, 2, 5, 1]


def test_scores_that_differ_when_written_are_not_tied():
    table = pd.DataFrame({"file": ["a", "a"], "score": [0.1234561, 0.1234569]})
    n_tied, rank_tied = tie_columns(table, "file", "score")
    assert n_tied.tolist() == [1, 1] and rank_tied.tolist() == [2, 1]  # 0.123456 < 0.123457


def test_seed_tfidf_ties(seed_tables):
    # issue 13: TASS has 9 terms tied at 0.1407 (ranks 2-10 after "nikkei"), the Taipei Times 15
    # tied at 0.1221 (ranks 3-17 after "development" and "joint"): one article each, so every
    # term used once scores alike and A-Z alone ordered them
    terms = seed_tables["tfidf_terms.csv"]
    tass = terms[(terms["outlet"] == "TASS") & (terms["score"].round(4) == 0.1407)]
    assert len(tass) == 9 and set(tass["n_tied"]) == {9} and set(tass["rank_tied"]) == {2}
    assert {"according", "agree"} <= set(tass["term"])
    taipei = terms[(terms["outlet"] == "Taipei Times") & (terms["score"].round(4) == 0.1221)]
    assert len(taipei) == 15 and set(taipei["n_tied"]) == {15} and set(taipei["rank_tied"]) == {3}
    assert "affairs" in set(taipei["term"])
    # rank stays as it was: a strict order, ties broken A-Z
    assert tass["rank"].tolist() == list(range(2, 11))
    articles = seed_tables["tfidf_articles.csv"]
    assert {"n_tied", "rank_tied"} <= set(articles.columns)
    assert (articles["rank_tied"] <= articles["rank"]).all()
