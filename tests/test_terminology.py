"""Notebook 03's tables, charts and finding sentences, on the seeds and on hand-made counts."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from wording import lexicon as lx  # noqa: E402
from wording import paths, pipeline  # noqa: E402
from wording.report import terminology as tm  # noqa: E402

LEXICON = lx.load_lexicon(paths.lexicon_csv())


@pytest.fixture(scope="module")
def seeds():
    """The seeds' tables as notebook 03 reads them: the build's, from data/derived/ (whose
    freshness tests/test_reproducible.py checks)."""
    tables = pipeline.load(paths.derived_dir())
    return tables.articles, tables.term_mentions, tables.term_counts


def test_collective_names_by_side_and_voice(seeds):
    _, _, counts = seeds
    table = tm.by_side(counts, "collective name").set_index(["outlet", "side", "voice"])
    assert len(table) == 3 * 3 * 2  # zeros kept for charts
    # Sputnik: Southern Kuril(s) 2 (000) + 1 (001) + 2 (002); Northern Territories quoted by
    # Kishida (001) and Kawamura (002), own words in the two "Russia calls..." sentences
    assert table.loc[("Sputnik", "russian", "editorial"), "mentions"] == 5
    assert table.loc[("Sputnik", "japanese", "quoted"), "mentions"] == 2
    assert table.loc[("Sputnik", "japanese", "editorial"), "mentions"] == 2
    # TASS: own "South Kuril Islands" x2 + "Kuril Islands"; Nikkei's quote has both names
    assert table.loc[("TASS", "russian", "editorial"), "mentions"] == 3
    assert table.loc[("TASS", "russian", "quoted"), "mentions"] == 1
    assert table.loc[("TASS", "japanese", "quoted"), "mentions"] == 1
    assert table.loc[("Taipei Times", "neutral", "editorial"), "mentions"] == 1


def test_usage_sentence_from_counts(seeds):
    _, _, counts = seeds
    usage = tm.usage_by_outlet(tm.by_side(counts, "collective name"))
    assert usage == {"Sputnik": "both", "TASS": "russian", "Taipei Times": "none"}
    assert tm.usage_sentence(usage, "name") == (
        "Sputnik uses both names, TASS uses only the Russian name and Taipei Times uses neither"
    )
    assert tm.usage_sentence({"A": "japanese", "B": "japanese"}, "form") == (
        "A and B use only the Japanese form"
    )


def test_naming_formula_share(seeds):
    _, mentions, _ = seeds
    share = tm.naming_formula_share(mentions).set_index(["outlet", "side"])
    # both of Sputnik's own "Northern Territories" sit in "which Russia calls ... and Japan ..."
    assert share.loc[("Sputnik", "japanese"), "own_mentions"] == 2
    assert share.loc[("Sputnik", "japanese"), "in_formula"] == 2
    assert share.loc[("Sputnik", "russian"), "in_formula"] == 2
    assert share.loc[("TASS", "russian"), "in_formula"] == 0


def test_framing_table_side_by_side(seeds):
    _, mentions, _ = seeds
    table = tm.framing_table(mentions, LEXICON).set_index("phrasing")
    assert table.loc["claimed by Soviet forces", "Sputnik"] == "“claimed by Soviet forces” ×2"
    assert table.loc["seized / occupied by Soviet forces", "Taipei Times"] == (
        "“seized by Soviet troops”"
    )
    assert table.loc["handed over to the Soviet Union", "TASS"] == (
        "“handed over to the Soviet Union”"
    )
    assert table.loc["effectively controlled by Moscow", "TASS"] == (
        "“effectively controlled by Moscow” (quoted: Nikkei)"
    )
    assert "liberated by Soviet forces" not in table.index  # unused phrasings are left out


def test_concordance_top_k_and_columns(seeds):
    _, mentions, _ = seeds
    lines = tm.concordance(mentions, LEXICON, ["collective name"], k=5)
    assert list(lines.columns) == [
        "file", "outlet", "term", "voice", "speaker", "left context", "match", "right context",
    ]  # fmt: skip
    assert len(lines) == 5
    assert lines["match"].iat[0] == "Southern Kuril Islands"
    bracket = tm.concordance(mentions, LEXICON, ["collective name"], k=100)
    assert "editorial (bracket)" in set(bracket["voice"])


@pytest.mark.parametrize("chart", ["collective", "island", "framing"])
def test_charts_return_the_plotted_numbers(seeds, chart):
    articles, _, counts = seeds
    if chart == "collective":
        _, mentions, _ = seeds
        fig, table, title = tm.collective_chart(
            tm.by_side_use(mentions, LEXICON, counts, "collective name"), 5
        )
        # The collective-name group (lexicon.csv `group`), read off the pages by hand:
        # Sputnik: Southern Kurils 2 own (000), 2 in the "which Russia calls … and Japan …" gloss
        # (001, 002), 1 "[Southern Kurils]" in Kawamura's quotation (002); Northern Territories
        # 2 in the gloss, 2 quoted (Kishida 001, Kawamura 002); "disputed islands" own (001, 002).
        # TASS: 3 own + 1 quoted (Nikkei) Russian, 1 quoted Japanese, "Russia-controlled" quoted.
        # Taipei Times, own: "claimed by both", "conflicting claims", "islands north of
        # Hokkaido", "disputed islands".
        assert table["mentions"].sum() == 21
        sputnik_japanese = table[(table["outlet"] == "Sputnik") & (table["side"] == "japanese")]
        assert dict(zip(sputnik_japanese["use"], sputnik_japanese["mentions"], strict=True)) == {
            "own": 0,
            "gloss": 2,
            "bracketed": 0,
            "quoted": 2,
            "scare": 0,
        }
        sputnik_russian = table[(table["outlet"] == "Sputnik") & (table["side"] == "russian")]
        assert sputnik_russian.set_index("use")["mentions"].to_dict() == {
            "own": 2,
            "gloss": 2,
            "bracketed": 1,
            "quoted": 0,
            "scare": 0,
        }
        assert title == (
            "In their own words, Sputnik and TASS use only the Russian name and Taipei Times "
            "uses neither"
        )
    elif chart == "island":
        fig, table, title = tm.island_chart(tm.island_forms(counts, LEXICON), 5)
        assert table["mentions"].sum() == 9  # Sputnik 4 + Taipei Times 5
        assert title.startswith("Island names: Sputnik uses only the Russian form")
    else:
        fig, table, title = tm.framing_chart(counts, 5)
        assert table["mentions"].sum() == 14  # Sputnik 4, TASS 3 own + 3 quoted, Taipei Times 4
        assert "Taipei Times uses Japanese and neutral framings" in title
    plt.close(fig)


def test_charts_handle_an_outlet_with_no_mentions():
    arts = pd.DataFrame({"file": ["a", "b"], "outlet": ["X", "Y"], "body": ["nothing", "Kurils"]})
    mentions = lx.find_mentions(arts, LEXICON)
    counts = lx.count_terms(mentions, arts, LEXICON)
    fig, _, title = tm.collective_chart(
        tm.by_side_use(mentions, LEXICON, counts, "collective name"), 2
    )
    assert title == "In their own words, Y uses only the Russian name and X uses neither"
    plt.close(fig)


def test_findings_sentences_from_tables(seeds):
    _, mentions, counts = seeds
    sputnik, tass, taipei = tm.collective_findings(mentions, counts)
    assert sputnik.startswith("**Sputnik** (3 articles, ")
    assert "the Russian name 5 times" in sputnik
    assert "in quotations: the Japanese name 2 times (Kawamura and Kishida)" in sputnik
    assert "the Japanese name 0 times" in tass
    assert "the Russian name once (Nikkei) and the Japanese name once (Nikkei)" in tass
    assert "neither name appears in a quotation" in taipei
    assert tm.framing_findings(mentions) == (
        "Sputnik: “claimed by Soviet forces” (2); TASS: “handed over to the Soviet Union”; "
        "Taipei Times: “seized by Soviet troops”, “came under Russian control”"
    )


def test_quoted_summary(seeds):
    _, mentions, _ = seeds
    assert tm.quoted_summary(mentions, "japanese") == (
        "Sputnik quoting Kawamura and Kishida; TASS quoting Nikkei"
    )
    assert tm.quoted_summary(mentions, "neutral") == ""


def test_naming_formula_share_counts_only_names_inside_a_formula_of_their_own_file():
    def mention(file, term_id, category, side, start, end, voice="editorial"):
        return {"file": file, "outlet": "X", "term_id": term_id, "category": category,
                "side": side, "start": start, "end": end, "voice": voice}  # fmt: skip

    mentions = pd.DataFrame(
        [
            mention("a", "both_names", "naming formula", "neutral", 10, 60),
            mention("a", "southern_kurils", "collective name", "russian", 20, 35),  # inside
            mention(
                "a", "northern_territories", "collective name", "japanese", 55, 75
            ),  # ends after
            mention("a", "northern_territories", "collective name", "japanese", 80, 100),  # after
            mention("b", "southern_kurils", "collective name", "russian", 20, 35),  # other file
            mention("a", "both_names", "naming formula", "neutral", 200, 260),
            mention("a", "northern_territories", "collective name", "japanese", 230, 250),  # inside
        ]
    )
    share = tm.naming_formula_share(mentions).set_index(["outlet", "side"])
    assert share.loc[("X", "russian"), "own_mentions"] == 2
    assert share.loc[("X", "russian"), "in_formula"] == 1
    assert share.loc[("X", "japanese"), "own_mentions"] == 3
    assert share.loc[("X", "japanese"), "in_formula"] == 1


def test_own_words_cut_by_wording_source(seeds):
    """The Taipei Times article is Reuters and AP copy: every mention in its 'own words' (12: two
    1945 framings "seized by Soviet troops" …, one collective name, two dispute framings, five
    island names, two sovereignty framings) stands in their paragraphs; one of TASS's six stands in
    a paragraph relaying the Nikkei; Sputnik relays nobody."""
    lexicon = lx.load_lexicon(paths.lexicon_csv())
    shown = tm.side_display(lexicon["side"], paths.lexicon_csv())
    _, mentions, _ = seeds
    table = tm.by_wording_source(mentions, lexicon, shown)
    per = table.groupby(["outlet", "wording source"])["mentions"].sum().to_dict()
    assert per == {
        ("Sputnik", "its own reporting"): 13,
        ("TASS", "its own reporting"): 5,
        ("TASS", "Nikkei"): 1,
        ("Taipei Times", "Reuters and AP"): 12,
    }
    assert tm.wording_source_sentence(table) == (
        "Mentions in the outlets' own words that stand in relayed paragraphs (the wording is the "
        "source's, published by the outlet): TASS: 1 of 6 in paragraphs of Nikkei; Taipei Times: "
        "all 12 in paragraphs of Reuters and AP."
    )
