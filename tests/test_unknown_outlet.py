"""Articles of unknown outlet are reported, not compared as one outlet called "unknown": the
compare stage's outlet tables leave them out, article tables keep them, and the report says so."""

from __future__ import annotations

import pandas as pd

from wording import compare
from wording.report import corpus as corpus_report

ARTICLES = pd.DataFrame(
    {
        "file": ["a1.txt", "a2.txt", "b1.txt", "b2.txt", "u1.txt"],
        "outlet": ["Alpha", "Alpha", "Beta", "Beta", "unknown"],
        "body": [
            "The valley talks opened in Geneva today.",
            "The valley talks resumed in Geneva on Monday.",
            "Farmers in the border valley wait for the road.",
            "The road through the border valley stays closed.",
            "Zebra quartz marmalade appears only in this article.",
        ],
    }
)


def test_outlet_tables_leave_unknown_out_and_article_tables_keep_it():
    tables = compare.compare_tables(ARTICLES)
    assert set(tables["keyness.csv"]["outlet"]) == {"Alpha", "Beta"}
    # The unknown article's words are not the background either: "zebra" is in no compared
    # outlet, so no keyness row has it.
    assert "zebra" not in set(tables["keyness.csv"]["term"])
    assert set(tables["tfidf_terms.csv"]["outlet"]) == {"Alpha", "Beta"}
    outlets = tables["similarity_outlets.csv"]
    assert set(outlets["outlet_a"]) | set(outlets["outlet_b"]) == {"Alpha", "Beta"}
    assert "u1.txt" in set(tables["tfidf_articles.csv"]["file"])
    similar = tables["similarity.csv"]
    assert "u1.txt" in set(similar.iloc[:, 0]) | set(similar.iloc[:, 1])


def test_the_report_states_the_unknown_articles():
    assert corpus_report.unknown_outlet_line(ARTICLES) == (
        "1 article of unknown outlet (u1.txt) is listed in articles.csv and left out of outlet "
        "comparisons; name their outlets in a metadata CSV (file, outlet) or add markers to "
        "data/outlets.csv to bring them in"
    )
    assert corpus_report.unknown_outlet_line(ARTICLES.iloc[:4]) == ""
    assert list(corpus_report.known_outlets(ARTICLES)["file"]) == [
        "a1.txt", "a2.txt", "b1.txt", "b2.txt"
    ]  # fmt: skip
    assert corpus_report.sample_line(ARTICLES) == "5 articles, 2 outlets, 1 of unknown outlet"


def test_accounting_counts_inputs():
    class Tables:
        articles = ARTICLES
        rejected = pd.DataFrame({"file": ["t.csv#3"], "reason": ["line 4: malformed CSV row"]})
        warnings = pd.DataFrame(columns=["file", "line", "message"])

    assert corpus_report.accounting(Tables) == "6 inputs: 5 articles, 1 rejected, 0 warnings"
