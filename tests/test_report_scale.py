"""Report charts at scale and for readers: aggregated views above 30 articles, capped marks,
formulas as MathML, alt text, and charts that do not crash on another lexicon."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from wording.report import corpus as corpus_report  # noqa: E402
from wording.report import style, terminology  # noqa: E402
from wording.report import wording as wording_report  # noqa: E402
from wording.report.render import tex_to_mathml  # noqa: E402


def _articles(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    outlets = np.array(["Sputnik", "TASS", "Kyodo"])[np.arange(n) % 3]
    dates = pd.date_range("2020-01-01", periods=n, freq="D").strftime("%Y-%m-%d").to_numpy()
    dates[::4] = ""  # every fourth article undated
    return pd.DataFrame(
        {
            "file": [f"p{i:05d}.txt" for i in range(n)],
            "outlet": outlets,
            "date": dates,
            "date_earliest": "",
            "date_latest": "",
            "headline": "h",
            "n_words": rng.integers(100, 900, n),
            "n_paragraphs": 5,
            "n_removed": 2,
        }
    )


def test_words_chart_is_one_box_per_outlet_above_the_mark_limit():
    articles = _articles(300)
    fig, table = corpus_report.words_chart(articles)
    plt.close(fig)
    assert table["outlet"].tolist() == ["Sputnik", "TASS", "Kyodo"]
    assert table["articles"].tolist() == [100, 100, 100]
    kyodo = articles.loc[articles["outlet"] == "Kyodo", "n_words"]
    assert table.set_index("outlet").loc["Kyodo", "50%"] == round(kyodo.median(), 1)


def test_words_chart_keeps_one_bar_per_article_for_a_small_corpus():
    fig, table = corpus_report.words_chart(_articles(5))
    plt.close(fig)
    assert len(table) == 5


def test_removed_lines_per_outlet_and_rule_above_the_mark_limit():
    articles = _articles(60)
    removed = pd.DataFrame({"file": ["p00000.txt", "p00003.txt", "p00001.txt"], "line": 1,
                            "text": "x", "rule": ["footer", "footer", "teaser"]})  # fmt: skip
    fig, table = corpus_report.removed_chart(removed, articles)
    plt.close(fig)
    sputnik = table[table["outlet"] == "Sputnik"].set_index("rule")
    assert sputnik.loc["footer", "lines"] == 2  # p00000 and p00003 are both Sputnik
    assert sputnik.loc["footer", "lines_per_article"] == round(2 / 20, 2)


def test_timeline_counts_dated_articles_per_month_above_the_mark_limit():
    articles = _articles(90)
    fig, table = corpus_report.timeline_chart(articles, pd.DataFrame(columns=["date", "event"]))
    plt.close(fig)
    assert table["articles"].sum() == (articles["date"] != "").sum()
    assert set(table["month"]) == {"2020-01", "2020-02", "2020-03"}


def test_reuse_chart_draws_every_pair_above_the_threshold_and_a_sample_of_the_rest():
    n = wording_report.MAX_PAIR_MARKS + 500
    scores = pd.DataFrame({"file_a": "a", "file_b": "b", "outlet_a": "S", "outlet_b": "S",
                           "same_outlet": True, "similarity": np.linspace(0, 1, n)})  # fmt: skip
    fig, table = wording_report.reuse_scores_chart(scores, 0.9, title="t", subtitle="s")
    plt.close(fig)
    assert len(table) == wording_report.MAX_PAIR_MARKS
    assert (table["similarity"] >= 0.9).sum() == (scores["similarity"] >= 0.9).sum()


def test_formulas_become_mathml_and_dollar_amounts_stay_text():
    html = tex_to_mathml(
        r"prior $\alpha_0 = 10$ costs $5 and $6; $$z_w=\frac{\delta_w}{\sigma_w}$$"
    )
    assert '<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline">' in html
    assert 'display="block"' in html and "<mfrac>" in html
    assert "costs $5 and $6" in html
    assert "$$" not in html and "\\frac" not in html


def test_alt_text_is_the_title_subtitle_and_source_line():
    fig, ax = plt.subplots()
    style.titles(ax, "Only Sputnik uses it", "5 articles, 3 outlets")
    style.source_line(fig, "Source: term_mentions.csv.")
    assert style.alt_text(fig) == (
        "Only Sputnik uses it. 5 articles, 3 outlets. Source: term_mentions.csv."
    )
    plt.close(fig)


def test_island_chart_without_island_names_says_so():
    empty = pd.DataFrame(columns=["outlet", "referent", "side", "term_id", "label", "voice",
                                  "mentions", "form"])  # fmt: skip
    fig, table, title = terminology.island_chart(empty, 3)
    plt.close(fig)
    assert table.empty and "No island names" in title


def test_sides_of_another_dispute_get_labels_and_an_order():
    shown = terminology.side_display(["neutral", "japanese", "chinese"])
    assert list(shown) == ["japanese", "chinese", "neutral"]
    assert shown["chinese"][0] == "Chinese name"
    assert shown["japanese"] == ("Japanese name", style.SIDE_COLOURS["japanese"])
