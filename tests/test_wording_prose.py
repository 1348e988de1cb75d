"""Notebook 02's claims: ties stated as ties, keyness claimed only where it survives both priors
and the article resampling, comparisons cut by publisher or wording source; values checked by
hand against the seed texts."""

from __future__ import annotations

import json
import re

import matplotlib
import numpy as np
import pandas as pd
import pytest

from wording import compare, cuts, keyness, paths
from wording.features import count_terms
from wording.pipeline import load
from wording.report import findings, style, whose_prose
from wording.report import wording as wording_report
from wording.report import wording_prose as prose

matplotlib.use("Agg")

ROOT = paths.project_root()
NOTEBOOK = ROOT / "notebooks" / "02_wording.ipynb"


@pytest.fixture(scope="module")
def tables():
    return load(ROOT / "data" / "derived")


@pytest.fixture(scope="module")
def by_source(tables):
    texts = cuts.texts_by(tables.articles, tables.paragraphs, "wording source")
    return texts, cuts.cut_tables(texts, compare.default_matcher(paths.lexicon_csv()))


def _outlets(table: pd.DataFrame) -> list[str]:
    return style.outlet_order(table["outlet"])


def _body_count(tables, file: str, word: str) -> int:
    """A word's occurrences in one article body, counted with a plain regex (not the package's
    tokeniser): an independent check."""
    body = tables.articles.set_index("file").loc[file, "body"]
    return len(re.findall(rf"\b{word}\b", body, flags=re.IGNORECASE))


TASS = "003_3f926fbd34ea6708.txt"
TAIPEI = "004_c7fdcfd96570cd6d.txt"
# Read by hand in seeds/003: each of these occurs twice in the TASS body and in no other body, so
# their TF-IDF weights are equal: the 9 terms tied at 0.1407 behind "nikkei" (4 uses).
TASS_TIED = [
    "according",
    "agree",
    "daily",
    "general",
    "hopes",
    "residents",
    "sources",
    "wrote",
    "year",
]


def test_tass_tied_terms_are_twice_in_tass_and_nowhere_else(tables):
    for word in TASS_TIED:
        assert _body_count(tables, TASS, word) == 2, word
        others = tables.articles.loc[tables.articles["file"] != TASS, "file"]
        assert all(_body_count(tables, f, word) == 0 for f in others), word
    tied = tables.tfidf_terms[
        (tables.tfidf_terms["outlet"] == "TASS") & (tables.tfidf_terms["rank_tied"] == 2)
    ]
    assert sorted(tied["term"]) == TASS_TIED


def test_tfidf_sentences_state_ties_as_ties(tables):
    tass = prose.tfidf_sentence(tables.tfidf_terms, "TASS")
    assert "*nikkei* (0.1983) and 9 terms tied at 0.1407" in tass
    assert "has one article, so TF-IDF ranks that article's words, not the outlet's" in tass
    taipei = prose.tfidf_sentence(tables.tfidf_terms, "Taipei Times")
    assert "15 terms tied at 0.1221" in taipei
    assert prose.terms_of(taipei) == ["development", "joint"]
    sputnik = prose.tfidf_sentence(tables.tfidf_terms, "Sputnik")
    assert sputnik.startswith("In Sputnik's 3 articles")
    assert "one article" not in sputnik


def _tfidf_tied(tfidf_terms: pd.DataFrame, outlet: str) -> set[str]:
    """Terms of ``outlet`` that share their written TF-IDF score with another term."""
    rows = tfidf_terms[(tfidf_terms["outlet"] == outlet) & (tfidf_terms["n_tied"] > 1)]
    return set(rows["term"])


def _keyness_tied(key: pd.DataFrame, outlet: str) -> set[str]:
    """Content words ``outlet`` uses that share the top written z under either prior."""
    tied = set()
    rows = key[(key["outlet"] == outlet) & (key["count"] > 0) & ~prose.flag(key["stop_word"])]
    for column in ("z", "z_raw_prior"):
        written = prose.written(rows[column])
        top = rows[written == written.max()]
        if len(top) > 1:
            tied |= set(top["term"])
    return tied


def _tied_terms(tfidf_terms: pd.DataFrame, key: pd.DataFrame, outlet: str) -> set[str]:
    return _tfidf_tied(tfidf_terms, outlet) | _keyness_tied(key, outlet)


def test_no_finding_sentence_names_a_tied_term(tables, by_source):
    """Issue 13: no sentence names a tie-break winner, cut by publisher or by wording source."""
    texts, cut = by_source
    for tfidf_terms, key in (
        (tables.tfidf_terms, tables.keyness),
        (cut["tfidf_terms"], cut["keyness"]),
    ):
        for outlet in _outlets(tfidf_terms):
            for sentence, tied in (
                (prose.tfidf_sentence(tfidf_terms, outlet), _tfidf_tied(tfidf_terms, outlet)),
                (prose.keyness_sentence(key, outlet), _keyness_tied(key, outlet)),
            ):
                named = set(prose.terms_of(sentence))
                assert not named & tied, f"{outlet}: {sorted(named & tied)} tied in: {sentence}"
    assert {"moscow", "visit"} <= _keyness_tied(tables.keyness, "TASS")
    assert set(TASS_TIED) <= _tfidf_tied(tables.tfidf_terms, "TASS")


def test_readme_and_notebook_findings_name_no_tied_term(tables):
    tied = set(tables.tfidf_terms.loc[tables.tfidf_terms["n_tied"] > 1, "term"])
    for outlet in _outlets(tables.keyness):
        tied |= _tied_terms(tables.tfidf_terms, tables.keyness, outlet)
    # an outlet's name names the outlet, not its term ("sputnik" is a tied TF-IDF term)
    tied -= {w.lower() for o in _outlets(tables.keyness) for w in o.split()}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = findings.readme_block(ROOT / "README.md", "findings")
    wording_lines = [line for line in block.splitlines() if "02_wording" in line]
    assert len(wording_lines) == 3, "the README's findings from notebook 02"
    for line in wording_lines:
        words = set(re.findall(r"[a-z_'-]+", line.lower()))
        assert not words & tied, f"README names tied terms {sorted(words & tied)}: {line}"
    assert '"significant"\n  term (4 mentions against 0)' not in readme
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    shown = [
        "".join(o["data"]["text/markdown"])
        for c in nb["cells"]
        if c["cell_type"] == "code"
        for o in c.get("outputs", [])
        if "text/markdown" in o.get("data", {})
    ]
    in_short = next(t for t in shown if "**In short.**" in t)
    words = set(re.findall(r"[a-z_'-]+", in_short.lower()))
    assert not words & tied, sorted(words & tied)
    for outlet in _outlets(tables.tfidf_terms):  # the notebook prints the package's sentences
        assert any(prose.tfidf_sentence(tables.tfidf_terms, outlet) in t for t in shown), outlet
        assert any(prose.keyness_sentence(tables.keyness, outlet) in t for t in shown), outlet


def test_keyness_sentences_under_both_priors(tables):
    # Hand counts in the bodies: "moscow" and "visit" 4 times each in TASS and 4 times in the
    # Sputnik and Taipei Times bodies together; "nikkei" 4 times in TASS only.
    for word in ("moscow", "visit", "nikkei"):
        assert _body_count(tables, TASS, word) == 4, word
    rest = tables.articles.loc[tables.articles["file"] != TASS, "file"]
    assert sum(_body_count(tables, f, "moscow") for f in rest) == 4
    assert sum(_body_count(tables, f, "nikkei") for f in rest) == 0
    tass = prose.keyness_sentence(tables.keyness, "TASS")
    assert "is shared by 2 terms (z 1.52, each used 4 times against 4 by the rest)" in tass
    assert "it belongs to *nikkei* (z 1.68; 4 uses against 0 by the rest)" in tass
    assert "illustrative" in tass and "one article" in tass
    sputnik = prose.keyness_sentence(tables.keyness, "Sputnik")
    assert "illustrative" not in sputnik
    assert "None of Sputnik's content words keeps |z| ≥ 1.96" in sputnik
    assert prose.prior_flips(tables.keyness) == ["Sputnik", "TASS", "Taipei Times"]
    summary = prose.robust_summary(tables.keyness)
    assert summary.startswith("No content word sets any outlet apart")
    assert "for TASS and Taipei Times, with one article each" in summary


def test_robust_words_are_named_for_an_outlet_with_several_articles():
    counts = count_terms(
        ["kurils kurils kurils treaty"] * 3 + ["territories territories treaty"] * 3
    )
    key = keyness.keyness_table(counts.matrix, counts.terms, ["A"] * 3 + ["B"] * 3, replicates=50)
    key["stop_word"] = False
    sentence = prose.keyness_sentence(key, "A")
    assert "Under both priors and in 95% of article resamples, A uses *kurils* more" in sentence
    assert "illustrative" not in sentence and set(prose.terms_of(sentence)) == {"kurils"}
    assert prose.robust_summary(key).startswith("Under both priors and the article resampling")


def test_four_term_variance_by_hand():
    # The tiny corpus of test_keyness: A = "kurils kurils treaty", B = "territories treaty treaty".
    # kurils for A: y = 2, n = 3, y_rest = 0, n_rest = 3, alpha = 10/3, alpha0 = 10, delta = 0.701805
    #   sigma2 = 1/5.333333 + 1/7.666667 + 1/3.333333 + 1/9.666667
    #          = 0.1875 + 0.130435 + 0.3 + 0.103448 = 0.721383; z = 0.701805 / 0.849343 = 0.826293
    counts = count_terms(["kurils kurils treaty", "territories treaty treaty"])
    table = keyness.keyness(counts.matrix, counts.terms, ["A", "B"])
    z4 = prose.four_term_z(table)
    row = (table["outlet"] == "A") & (table["term"] == "kurils")
    assert z4[row].item() == pytest.approx(0.826293, abs=1e-5)
    assert (z4.abs() <= table["z"].abs() + 1e-12).all()  # more variance, never a larger |z|


def test_wording_source_cut_by_hand(tables, by_source):
    # seeds/003: the dateline paragraph ("Japan's Nikkei daily wrote") and the next four
    # ("Nikkei's sources said", "According to the sources", "Nikkei also wrote", "according to
    # Nikkei") relay the Nikkei; the subhead and the last paragraph are TASS's. seeds/004 is
    # credited "Reuters and AP" in its byline: all 14 body paragraphs.
    texts, cut = by_source
    groups = cuts.groups(texts).set_index("outlet")
    assert groups.loc["Nikkei", ["publishers", "n_articles", "n_paragraphs"]].tolist() == [
        "TASS", 1, 5,
    ]  # fmt: skip
    assert groups.loc["TASS", "n_paragraphs"] == 2
    assert groups.loc["Reuters and AP", ["publishers", "n_paragraphs"]].tolist() == [
        "Taipei Times", 14,
    ]  # fmt: skip
    assert groups.loc["Sputnik", ["n_articles", "n_paragraphs"]].tolist() == [3, 15]
    nikkei = texts.loc[texts["outlet"] == "Nikkei", "body"].item()
    assert nikkei.startswith("TOKYO, May 21. /TASS/.") and "South Kuril Islands issue" not in nikkei
    assert set(cut["keyness"]["outlet"]) == set(groups.index)
    sentences = whose_prose.wording_source_sentences(tables.articles, tables.paragraphs)
    assert "The TASS article relays Nikkei in 5 of its 7 body paragraphs" in sentences[0]
    assert sentences[1].startswith("The Taipei Times article is credited to Reuters and AP")
    block = findings.readme_block(ROOT / "README.md", "findings")
    assert "The Taipei Times article is credited to Reuters and AP" in block


def test_publisher_cut_is_the_build(tables):
    texts = cuts.texts_by(tables.articles, tables.paragraphs, "publisher")
    cut = cuts.cut_tables(texts, compare.default_matcher(paths.lexicon_csv()))
    built = tables.keyness.merge(cut["keyness"], on=["outlet", "term"], suffixes=("", "_cut"))
    assert len(built) == len(tables.keyness) == len(cut["keyness"])
    for column in ("count", "z", "z_raw_prior", "resampled_share"):
        a, b = built[column].to_numpy(float), built[f"{column}_cut"].to_numpy(float)
        assert np.allclose(a, b, rtol=1e-5, atol=1e-6, equal_nan=True), column
    top = cut["tfidf_terms"].merge(tables.tfidf_terms, on=["outlet", "term"], suffixes=("", "_b"))
    assert np.allclose(top["score"], top["score_b"], rtol=1e-5)
    assert (top["n_tied"] == top["n_tied_b"]).all()


def test_similarity_sentence_names_a_pair_only_when_it_stands_out(tables):
    pairs = wording_report.similarity_pairs(tables.similarity)
    outlet_of = tables.articles.set_index("file")["outlet"]
    seed = prose.similarity_sentence(pairs, outlet_of)
    # seeds: 0.229 (000-004), 0.227 (001-002), 0.222 (001-003): no pair is "most alike"
    assert "too close to call any one pair the most alike" in seed
    assert "000_bc5782a3297aeda6.txt" not in seed
    apart = pd.DataFrame({"file": ["a", "a"], "other": ["b", "c"], "cosine": [0.9, 0.2]})
    assert "a (A) and b (B) stand 0.70 above the next pair" in prose.similarity_sentence(
        apart, pd.Series({"a": "A", "b": "B", "c": "C"})
    )


def test_threshold_paragraph_follows_the_scores():
    scores = pd.DataFrame(
        {"same_outlet": [True, True, False, False], "similarity": [0.8, 0.05, 0.3, 0.02]}
    )
    text = prose.threshold_paragraph(scores, 0.1, 0.5)
    assert "1 of the 2 candidate pairs across outlets scores at or above the threshold" in text
    assert "below the threshold" not in text
    below = prose.threshold_paragraph(scores.assign(similarity=[0.8, 0.05, 0.07, 0.02]), 0.1, 0.5)
    assert "the highest score is 0.07, below the threshold" in below
    assert "Within one outlet, 1 sentence pair scores at or above it" in below
    nb = NOTEBOOK.read_text(encoding="utf-8")
    assert "The threshold sits above that" not in nb


def test_titles_and_panels_carry_n_and_no_tie_winner(tables, by_source):
    _, cut = by_source
    assert prose.top_term_title(tables.tfidf_terms, _outlets(tables.tfidf_terms)) == (
        "Top TF-IDF term: TASS 'nikkei', Taipei Times 'development'; "
        "none clear for Sputnik (2 terms within 5%)"
    )
    # Cut by source, TASS's own paragraphs: "issue" 0.1754 leads 23 terms at 0.1746 by 0.5%.
    title = prose.top_term_title(cut["tfidf_terms"], ["TASS"])
    assert title == "No clear top TF-IDF term for TASS (24 terms within 5%)"
    fig, _ = wording_report.top_terms_chart(tables.tfidf_terms, k=5, title="t", subtitle="s")
    assert [ax.get_title(loc="left") for ax in fig.axes] == [
        "Sputnik, 3 articles", "TASS, 1 article", "Taipei Times, 1 article",
    ]  # fmt: skip
    fig, _ = wording_report.fightin_words_chart(tables.keyness, k=2, title="t", subtitle="s")
    assert fig.axes[1].get_title(loc="left") == "TASS, 1 article: illustrative"
    assert fig.axes[0].get_title(loc="left") == "Sputnik, 3 articles"
    fig, table = wording_report.priors_chart(tables.keyness, k=1, title="t", subtitle="s")
    assert fig.axes[2].get_title(loc="left") == "Taipei Times, 1 article: illustrative"
    assert not table["robust"].any() and {"z", "z_raw_prior"} <= set(table.columns)


def test_notebook_02_types_nothing_of_this_corpus(tables):
    """Issue 14: outlet names, side names and terms come from the tables, not the sources."""
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    source = "\n".join("".join(c["source"]) for c in nb["cells"])
    lexicon = pd.read_csv(paths.lexicon_csv())
    typed = set(tables.articles["outlet"]) | set(lexicon["term_id"]) | {"Nikkei", "Reuters"}
    typed |= {"Kuril", "Hokkaido", "russian", "japanese", "Kawamura", "Southern Kurils"}
    found = sorted(t for t in typed if re.search(rf"\b{re.escape(t)}\b", source))
    assert not found, f"notebook 02 types in {found}"


def test_top_five_lists_show_ties_whole(tables):
    terms = tables.tfidf_terms
    tass, sputnik = terms[terms["outlet"] == "TASS"], terms[terms["outlet"] == "Sputnik"]
    assert prose.ranked_list(tass, 5) == "nikkei, 9 tied at 0.1407"
    # Sputnik: russia, japan, december, then "including" and "sputnik" tied (both fit in five)
    assert prose.ranked_list(sputnik, 5) == "russia, japan, december, including = sputnik"
    assert prose.top_set(tass, 5) == {"nikkei"}
    assert prose.top_set(tass, 5, whole_ties=True) == {"nikkei", *TASS_TIED}


def test_a_tie_at_the_top_names_no_term_and_one_top_under_both_priors_is_said_once():
    tfidf = pd.DataFrame(
        {"outlet": "X", "term": ["a", "b", "c"], "score": [0.5, 0.5, 0.1], "n_articles": 2}
    )
    assert prose.tfidf_sentence(tfidf, "X") == (
        "In X's 2 articles (mean weight), 2 terms share the highest score (0.5)."
    )
    key = pd.DataFrame(
        {
            "outlet": "X", "term": ["a", "b"], "count": [2, 1], "count_rest": [0, 1],
            "z": [1.1, 0.2], "z_raw_prior": [1.2, 0.1], "n_articles": 1,
            "stop_word": False, "robust": False,
        }
    )  # fmt: skip
    sentence = prose.keyness_sentence(key, "X")
    assert sentence.startswith("Under both priors, the highest z among X's content words")
    assert prose.terms_of(sentence) == ["a"] and "illustrative" in sentence


def test_lexicon_names_sentence_follows_the_lexicon():
    table = pd.DataFrame({"outlet": ["A", "A", "B"], "term": ["vale_of_arn", "river", "iturup"]})
    name_rows = pd.DataFrame(
        {
            "term_id": ["vale_of_arn", "iturup"],
            "category": ["collective name", "island name"],
            "pattern": ["x", "y"],
        }
    )
    said = prose.lexicon_names_sentence(
        table, name_rows, "Names: ", lambda r: f"{r.outlet} *{r.term}*"
    )
    assert said == "Names: A *vale_of_arn*; B *iturup*."
    assert prose.lexicon_names_sentence(table.iloc[1:2], name_rows, "Names: ", str) == (
        "None of the lexicon's 2 name features occurs here."
    )
    # Another dispute's name category is a name category too (its last word is "name").
    islets = pd.DataFrame({"term_id": ["dokdo"], "category": ["islet name"], "pattern": ["z"]})
    assert prose.lexicon_names_sentence(table, islets, "Names: ", str) == (
        "None of the lexicon's 1 name feature occurs here."
    )
    framings = pd.DataFrame(
        {"term_id": ["occupied"], "category": ["status framing"], "pattern": ["z"]}
    )
    said = prose.lexicon_names_sentence(table, framings, "Names: ", str)
    assert said.startswith("The lexicon has no name category (one whose last word is *name*: ")
    assert "*status framing*" in said and not said.endswith(": .")


def test_relayed_paragraphs_agree_in_number():
    articles = pd.DataFrame({"file": ["a.txt"], "outlet": ["X"], "wording_source": [""]})
    one = pd.DataFrame({"file": ["a.txt"], "start": [0], "wording_source": ["Kyodo"]})
    (said,) = whose_prose.wording_source_sentences(articles, one)
    assert "in its only body paragraph, which is counted as Kyodo's words" in said
    two = pd.DataFrame(
        {"file": ["a.txt"] * 3, "start": [0, 5, 9], "wording_source": ["Kyodo", "", ""]}
    )
    (said,) = whose_prose.wording_source_sentences(articles, two)
    assert "in 1 of its 3 body paragraphs, which is counted as" in said


def test_outlet_colours_distinct_for_fourteen_outlets_and_titles_readable():
    from wording.report import style

    outlets = ["Sputnik", "TASS", "Taipei Times"] + [f"Outlet {i:02d}" for i in range(11)]
    colours = [style.outlet_colour(o, outlets) for o in outlets]
    assert len(set(colours)) == 14
    # past the spares, the stated grey, never a repeat
    more = outlets + ["Outlet 99"]
    assert style.outlet_colour("Outlet 99", more) == style.OTHER_OUTLETS_COLOUR
    # Okabe-Ito yellow as text: darkened until it reaches contrast 4.5 on white
    dark = style.text_colour("#F0E442")
    assert dark != "#f0e442" and 1.05 / (style._luminance(dark) + 0.05) >= 4.5
    assert style.text_colour("#444444") == "#444444"


def test_panels_note_says_when_outlets_are_left_out_of_the_small_multiples():
    from wording.report import wording as charts

    eight = [f"Outlet {k}" for k in range(8)]
    shown = eight[: charts.MAX_PANELS]
    assert charts.panels_note("z by word", eight, shown, "keyness.csv") == (
        "z by word; the first 6 of 8 outlets shown (all in keyness.csv)"
    )
    assert charts.panels_note("z by word", eight[:3], eight[:3], "keyness.csv") == "z by word"


def test_many_credited_articles_are_counted_not_listed():
    """Past ``PER_ARTICLE`` articles with a wording source, two sentences of counts replace the
    one-per-article list (a 10,000-article corpus would otherwise get 1,460 sentences)."""
    n = whose_prose.PER_ARTICLE + 2  # 12 articles: 9 credited to Reuters, 2 to AP, 1 relaying Kyodo
    articles = pd.DataFrame(
        {
            "file": [f"a{i:02d}.txt" for i in range(n)],
            "outlet": "X",
            "wording_source": ["Reuters"] * 9 + ["AP"] * 2 + [""],
        }
    )
    paragraphs = pd.DataFrame(
        {
            "file": ["a11.txt"] * 3 + ["a00.txt"],
            "start": [0, 5, 9, 0],
            "wording_source": ["Kyodo", "Kyodo", "", "Kyodo"],  # a00 is credited: not counted
        }
    )
    said = whose_prose.wording_source_sentences(articles, paragraphs)
    assert said == [
        "11 articles of 12 are credited to a wire or paper (Reuters 9, AP 2): their wording is "
        "that source's, published by their outlet.",
        "1 other article relays another source in some body paragraphs (2 paragraphs: Kyodo 2), "
        "counted as that source's words when the comparison is cut by wording source.",
    ]
    one_each = whose_prose.wording_source_sentences(
        articles.iloc[: whose_prose.PER_ARTICLE], paragraphs
    )
    assert len(one_each) == whose_prose.PER_ARTICLE  # at the limit: still one sentence per article
