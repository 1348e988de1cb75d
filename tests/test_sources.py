"""Whose wording: wire copy and relays on the seeds (read by hand) and on constructed articles."""

from __future__ import annotations

import pandas as pd
import pytest

from wording import paths, pipeline, sources

TASS_003 = "003_3f926fbd34ea6708.txt"
TAIPEI_004 = "004_c7fdcfd96570cd6d.txt"
NAMES = sources.default_names()


@pytest.fixture(scope="module")
def seed_tables() -> pipeline.Tables:
    return pipeline.build(paths.corpus_dir(), paths.metadata_csv())


def test_taipei_times_article_is_reuters_and_ap_copy(seed_tables):
    # seeds/004 line 7: the byline "Reuters and AP, TOKYO"
    articles = seed_tables.articles.set_index("file")
    assert articles.at[TAIPEI_004, "wording_source"] == "Reuters; AP"
    assert articles.at[TAIPEI_004, "wording_source_basis"] == "byline: Reuters and AP"
    # Sputnik and TASS wrote their own: "TOKYO (Sputnik) —", "TOKYO, May 21. /TASS/." name the
    # publisher itself
    others = articles.drop(index=TAIPEI_004)
    assert (others["wording_source"] == "").all() and (others["wording_source_basis"] == "").all()
    mentions = seed_tables.term_mentions
    assert set(mentions.loc[mentions["file"] == TAIPEI_004, "wording_source"]) == {"Reuters; AP"}


def test_tass_paragraphs_that_relay_the_nikkei(seed_tables):
    # seeds/003, paragraphs as paragraphs.csv numbers them (1 headline, 2 standfirst, 3.. body):
    # 3 line 16 "Japan’s Nikkei daily wrote on Monday"; 4 line 18 "Nikkei’s sources said";
    # 5 line 20 "According to the sources" (Nikkei's, continuing); 6 line 22 "Nikkei also wrote
    # that", "the newspaper added"; 7 line 24 "according to Nikkei", "as cited by the daily";
    # 8 the subhead "South Kuril Islands issue" and 9 the background paragraph are TASS's own.
    paragraphs = seed_tables.paragraphs
    tass = paragraphs[paragraphs["file"] == TASS_003].set_index("paragraph")["wording_source"]
    assert tass.to_dict() == {
        1: "", 2: "", 3: "Nikkei", 4: "Nikkei", 5: "Nikkei", 6: "Nikkei", 7: "Nikkei", 8: "",
        9: "",
    }  # fmt: skip
    mentions = seed_tables.term_mentions
    tass_mentions = mentions[mentions["file"] == TASS_003]
    # body paragraph 4 (= paragraph 6) holds the Nikkei quotations and TASS's closing sentence
    relayed = tass_mentions.loc[tass_mentions["body_paragraph"] == 4, "wording_source"]
    assert len(relayed) == 6 and set(relayed) == {"Nikkei"}
    own = tass_mentions.loc[tass_mentions["body_paragraph"] > 4, "wording_source"]
    assert len(own) == 5 and set(own) == {""}


def test_load_reads_the_new_columns_as_text(seed_tables, tmp_path):
    seed_tables.write(tmp_path)
    loaded = pipeline.load(tmp_path)
    assert loaded.articles["wording_source"].tolist() == ["", "", "", "", "Reuters; AP"]
    assert (loaded.term_mentions["use"] == seed_tables.term_mentions["use"]).all()


@pytest.mark.parametrize(
    "outlet, byline, body, source",
    [
        ("Japan Times", "", ["MOSCOW (Reuters) - The talks ended.", "More."], "Reuters"),
        ("Japan Times", "", ["TOKYO, Feb. 1 (Kyodo) -- Talks ended."], "Kyodo"),
        ("Global Times", "", ["The talks ended.", "(Xinhua)"], "Xinhua"),
        ("Global Times", "By REUTERS", ["The talks ended."], "Reuters"),
        ("Japan Times", "Associated Press", ["The talks ended."], "AP"),
        ("TASS", "", ["MOSCOW, June 3. /ITAR-TASS/. The talks ended."], ""),  # its old name
        ("Japan Times", "By John Smith", ["The talks ended. AP photographers were there."], ""),
        ("Taipei Times", "", ["The talks ended.", "Photo: AFP / Pool"], ""),  # a photo credit
    ],
)
def test_article_source_from_byline_dateline_and_credit(outlet, byline, body, source):
    assert sources.article_sources(outlet, byline, body, NAMES).source == source


def test_relay_needs_a_reporting_cue_and_continues_only_from_the_paragraph_before():
    body = [
        "Kyodo News reported that the talks ended.",  # a relay
        "The newspaper added that nothing was agreed.",  # continues Kyodo
        "Abe spoke to Reuters reporters on Monday.",  # names Reuters, relays nothing
        "The agency said more talks were due.",  # nothing to continue
        "Talks resumed, according to the Nikkei Asia.",  # an alias of Nikkei
    ]
    found = sources.article_sources("Japan Times", "", body, NAMES)
    assert found.source == ""
    assert found.paragraphs == ["Kyodo", "Kyodo", "", "", "Nikkei"]


def test_registry_loader_tolerates_extra_and_missing_columns(tmp_path):
    path = tmp_path / "outlets.csv"
    pd.DataFrame(
        {"outlet": ["Wire One", ""], "aliases": ["W1; Wire 1", ""], "markers": ["x", "y"]}
    ).to_csv(path, index=False)
    table = sources.load_outlets(path)
    assert table["outlet"].tolist() == ["Wire One"]
    assert table.at[0, "aliases"] == ["W1", "Wire 1"]
    assert table.at[0, "kind"] == "publisher"
    names = sources.compile_names(table)
    found = sources.article_sources("Paper", "Wire 1", ["Text."], names)
    assert (found.source, found.basis) == ("Wire One", "byline: Wire 1")
