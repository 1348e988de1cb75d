"""Notebooks 01 and 03 on another dispute: tests/data/other_dispute (constructed: Nordia and Sudia
over a valley; sides nordian / sudian / neutral, a 'status framing' category the Kuril lexicon
lacks, no island names, one article of unknown outlet). Hand counts are read from its
corpus/articles.csv; see its README."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from wording import paths

HERE = paths.project_root() / "tests" / "data" / "other_dispute"
CORPUS, LEXICON = HERE / "corpus", HERE / "lexicon_other.csv"
UNKNOWN_LINE = (
    "1 article of unknown outlet (articles.csv#xx-1) is listed in articles.csv and left out of "
    "outlet comparisons"
)
STUDY_WORDS = re.compile(r"Russian name|Japanese name|Kuril|Iturup|Kunashir|Russia calls")


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """Notebooks 01, 02 and 03 run by papermill on the corpus: {name: (notebook text, figures)}."""
    import papermill

    out = tmp_path_factory.mktemp("other_dispute")
    figures, cache = out / "figures", out / "cache"
    result = {}
    for name in ["01_corpus", "02_wording", "03_terminology"]:
        notebook = paths.project_root() / "notebooks" / f"{name}.ipynb"
        papermill.execute_notebook(
            str(notebook),
            str(out / f"{name}.ipynb"),
            parameters={
                "corpus_dir": str(CORPUS),
                "lexicon": str(LEXICON),
                "figures_dir": str(figures),
                "derived_dir": str(cache),
            },
            cwd=str(notebook.parent),
            kernel_name="python3",
            progress_bar=False,
        )
        cells = json.loads((out / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]
        text = []
        for cell in cells:
            if cell["cell_type"] == "markdown":
                text.append("".join(cell["source"]))
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                text.append(
                    "".join(data.get("text/markdown", "")) + "".join(output.get("text", ""))
                )
        result[name] = "\n".join(text)
    return result, figures, cache


def test_notebook_01_reports_the_unknown_outlet_and_the_inputs(executed):
    text, figures, _ = executed
    assert "8 inputs: 8 articles, 0 rejected" in text["01_corpus"]
    assert UNKNOWN_LINE in text["01_corpus"]
    # The lexicon names the dispute, from its labels and sides.
    assert "Nordian name: Vale of Arn" in text["01_corpus"]
    assert "Sudian name: Arnhollow" in text["01_corpus"]
    assert not STUDY_WORDS.search(text["01_corpus"]), STUDY_WORDS.search(text["01_corpus"])


def test_notebook_03_shows_every_category_and_side_and_leaves_unknown_out(executed):
    text, figures, _ = executed
    assert UNKNOWN_LINE in text["03_terminology"]
    assert not STUDY_WORDS.search(text["03_terminology"]), STUDY_WORDS.search(
        text["03_terminology"]
    )
    valley = pd.read_csv(figures / "03-valley-names-by-use.csv", keep_default_na=False)
    status = pd.read_csv(figures / "03-status-framings-by-use.csv", keep_default_na=False)
    for table in (valley, status):
        assert set(table["outlet"]) == {"Nordia Today", "Sudia Herald", "Valley Wire"}
    assert set(valley["name"]) == {"Nordian name", "Sudian name", "neutral wording"}
    assert set(status["name"]) == {"Nordian framing", "Sudian framing"}
    own = valley[valley["use"] == "own"].set_index(["outlet", "side"])["mentions"]
    # Hand count, Nordia Today's three articles: "Vale of Arn" twice in nt-1, twice in nt-2,
    # once in nt-3; "border valley" (nt-2) and "disputed valley" (nt-3); "Arnhollow" only
    # inside Mira Tell's quotation.
    assert own[("Nordia Today", "nordian")] == 5
    assert own[("Nordia Today", "neutral")] == 2
    assert own[("Nordia Today", "sudian")] == 0
    quoted = valley[valley["use"] == "quoted"].set_index(["outlet", "side"])["mentions"]
    assert quoted[("Nordia Today", "sudian")] == 1
    # "Sudian occupation" and "occupied valley" (nt-1), "occupied valley" (nt-2).
    status_own = status[status["use"] == "own"].set_index(["outlet", "side"])["mentions"]
    assert status_own[("Nordia Today", "nordian")] == 3
    assert "**Status framing.** In their own words, " in text["03_terminology"]
    assert not (figures / "03-island-names-by-form.csv").exists()
    assert not (figures / "03-framings-by-side.csv").exists()


# A list sentence with nothing listed ("…: ."), and a count of one with a plural noun.
EMPTY_LIST = re.compile(r":\s*\.")
ONE_PLURAL = re.compile(
    r"\b1 (?:articles|sentences|paragraphs|body paragraphs|texts|pairs|sentence pairs|rows|"
    r"passages|terms|words|content words|mentions)\b|\bof its 1\b"
)


def test_notebook_02_compares_known_outlets_only_in_the_lexicon_words(executed):
    text, figures, _ = executed
    wording = text["02_wording"]
    assert not STUDY_WORDS.search(wording), STUDY_WORDS.search(wording)
    assert UNKNOWN_LINE in wording
    assert not EMPTY_LIST.search(wording), EMPTY_LIST.search(wording)
    assert not ONE_PLURAL.search(wording), ONE_PLURAL.search(wording)
    # Three outlets compared; the article of unknown outlet (xx-1) in none of the comparisons.
    outlets = {"Nordia Today", "Sudia Herald", "Valley Wire"}
    for name in ["02-tfidf-top-terms", "02-fightin-words", "02-keyness-priors"]:
        table = pd.read_csv(figures / f"{name}.csv", keep_default_na=False)
        assert set(table["outlet"]) == outlets, name
    scores = pd.read_csv(figures / "02-reuse-scores.csv", keep_default_na=False)
    assert not {"unknown"} & (set(scores["outlet_a"]) | set(scores["outlet_b"]))
    assert "unknown" not in re.sub(r"unknown outlet", "", wording.split("## Data")[0])
    # The lexicon's "valley name" rows are names (compounded into one feature each), so the
    # sentence on lexicon names among the top terms does not say the lexicon has none.
    assert "The lexicon has no name category" not in wording


def test_findings_follow_the_lexicon_and_its_sides(executed):
    from wording.report import findings

    _, _, cache = executed
    # the tables the notebooks built from this corpus and lexicon (any of the cache's builds)
    derived = sorted(p for p in cache.iterdir() if (p / "articles.csv").is_file())[0]
    block = findings.render_findings(derived, LEXICON)
    assert not STUDY_WORDS.search(block), STUDY_WORDS.search(block)
    assert "Island names" not in block and "1945" not in block  # the lexicon has neither
    assert "unknown" not in block.replace("of unknown outlet", "")
    # Hand count (see test_notebook_03…): Nordia Today writes "Vale of Arn" 5 times in its own
    # words and quotes "Arnhollow" once (Mira Tell).
    assert (
        "Nordia Today: Nordian name 5 in its own words; Sudian name 0 in its own words (1 quoted)"
        in block
    )
