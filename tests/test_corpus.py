"""Corpus cleaning on the seeds, checked against the pages read by hand, and on variant pages."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wording import clean, corpus, outlets, pages, paths, pipeline, reuse
from wording import text as text_mod

SEEDS = paths.corpus_dir()


@pytest.fixture(scope="module")
def seeds() -> pipeline.Tables:
    return pipeline.build(SEEDS, paths.metadata_csv())


def article(c: pipeline.Tables, file: str) -> pd.Series:
    return c.articles.set_index("file").loc[file]


# Read off each page by hand: headline, dateline, byline, first and last body sentence.
EXPECTED = {
    "000_bc5782a3297aeda6.txt": dict(
        outlet="Sputnik",
        headline="Japan Hopes to Establish Mutual Trust With Russia on Asia-Pacific Security",
        standfirst="Tokyo seeks to underpin mutual trust with Russia against the backdrop of "
        "security concerns in the region.",
        dateline="TOKYO",
        byline="",
        first="TOKYO (Sputnik) — Japan intends to discuss ways in which it can establish",
        last="The two leaders agreed to create a special regime on the islands leading to the "
        "implementation of joint economic projects in the area.",
        paragraphs=4,
    ),
    "001_e9e6e489c14a83f0.txt": dict(
        outlet="Sputnik",
        headline="Japan Intends to Continue Making Efforts to Foster Ties With Russia",
        standfirst="Tokyo wants to develop relations with Russia, including settling territorial "
        "dispute and reaching a peace agreement.",
        dateline="TOKYO",
        byline="",
        first="TOKYO (Sputnik) – Tokyo is committed to developing relations with Russia",
        last="One of the outcomes of the meeting was the announcement of Putin's visit to Japan "
        "on December 15, which had been postponed from 2014.",
        paragraphs=5,
    ),
    "002_b2da908307f10950.txt": dict(
        outlet="Sputnik",
        headline="Tokyo Expects to Discuss Peace Treaty, Politics, Economy With Putin in Japan",
        standfirst="Tokyo expects to discuss the long-stalled peace treaty with Russian President "
        "Vladimir Putin during his visit to Japan in December, Japanese Foreign Ministry press "
        "secretary Yasuhisa Kawamura told Sputnik on Friday.",
        dateline="RUSSKY ISLAND",
        byline="",
        first="RUSSKY ISLAND (Sputnik) – Addressing the leaders’ talks expected in December",
        last="Abe said that he would like to promote cooperation with Russia in the fight against "
        "drug trafficking in Afghanistan and Central Asia,” Kawamura said.",
        paragraphs=6,
    ),
    "003_3f926fbd34ea6708.txt": dict(
        outlet="TASS",
        headline="Japan, Russia to hold two-plus-two meetings of foreign, defense ministers in "
        "2018 — media",
        standfirst='The previous "two-plus-two" meeting took place in Tokyo in March 2017',
        dateline="TOKYO, May 21",
        byline="",
        first="TOKYO, May 21. /TASS/. The foreign and defense ministers of Japan and Russia",
        last="Moscow has stated many times that Russia’s sovereignty over the islands cannot be "
        "called into question.",
        paragraphs=7,
    ),
    "004_c7fdcfd96570cd6d.txt": dict(
        outlet="Taipei Times",
        headline="Abe to visit Russia next month for Putin summit",
        standfirst="‘TWO-PLUS-TWO’:The Japanese and Russian foreign and defense ministers met in "
        "Tokyo for one day of talks, the first such meeting since November 2013",
        dateline="TOKYO",
        byline="Reuters and AP",
        first="Japanese Prime Minister Shinzo Abe will visit Russia late next month for a summit "
        "with Russian President Vladimir Putin",
        last="It does not plan to push harder than that, said the official, who briefed reporters "
        "on the condition he not be named.",
        paragraphs=14,
    ),
}

# Chrome on each page, none of which may reach the article's text fields.
CHROME = {
    "000_bc5782a3297aeda6.txt": [
        "Sputnik International", "Find top stories", "© AFP", "Skyline of central Tokyo",
        "Subscribe", "The logo of the Eastern Economic Forum", "Asian Energy Super Ring",
        "Newsfeed", "To participate", "log in or register", "loader", "Chats", "Заголовок",
    ],
    "001_e9e6e489c14a83f0.txt": [
        "Sputnik International", "Get the latest news", "mediabank", "Pulkovo",
        "MGIMO", "Russia Committed to Cooperate", "Mulling Possibility", "Newsfeed", "Заголовок",
    ],
    "002_b2da908307f10950.txt": [
        "© AFP", "Bocharov Ruchei", "Subscribe", "Sputnik International",
        "Compromise With Japan on Kuril Islands Possible", "Newsfeed", "Chats",
    ],
    "003_3f926fbd34ea6708.txt": [
        "Currency converter", "All news", "News Search Topics", "Use filter",
        "filter your feed", "choosing only interesting", "UTC+3", "1 pages in this article",
        "Show more", "In other media", "Partner News",
    ],
    "004_c7fdcfd96570cd6d.txt": [
        "Page 6", "News List", "From left", "Iikura Guesthouse", "Photo: AFP",
        "viewed 2459 times", "Comments will be moderated", "TOP top",
    ],
}  # fmt: skip

# The first words of every body paragraph, in order, read off each page: none may be lost.
PARAGRAPH_STARTS = {
    "000_bc5782a3297aeda6.txt": ["TOKYO (Sputnik)", "“We want to discuss", "He added that",
                                 "Moscow and Tokyo"],
    "001_e9e6e489c14a83f0.txt": ["TOKYO (Sputnik)", '"The efforts must', "Kishida reminded",
                                 "Japan and Russia never", "The relations between"],
    "002_b2da908307f10950.txt": ["RUSSKY ISLAND", '"They discussed', "Japan and Russia have",
                                 "Kawamura told Sputnik", "Japan plans to bolster", "“We held"],
    "003_3f926fbd34ea6708.txt": ["TOKYO, May 21", "The previous", "According to the sources",
                                 "Nikkei also wrote", "However, according", "South Kuril Islands",
                                 "Since the mid-20th"],
    "004_c7fdcfd96570cd6d.txt": ["Japanese Prime Minister", "Abe has pledged", "The feud",
                                 "Japanese and Russian", "Talking to reporters", "“We had",
                                 "The talks were", "Kishida met", "The Russian Ministry",
                                 "The Tokyo talks", "However, the two", "Kishida said he",
                                 "Earlier, a Japanese", "It does not plan"],
}  # fmt: skip


def test_seeds_match_recorded_checksums():
    sources = pd.read_csv(paths.metadata_csv(), dtype=str, keep_default_na=False)
    assert sorted(sources["file"]) == sorted(p.name for p in SEEDS.glob("*.txt"))
    for row in sources.itertuples():
        digest = hashlib.sha256((SEEDS / row.file).read_bytes()).hexdigest()
        assert digest == row.sha256, f"{row.file}: seed changed or checksum in sources.csv wrong"


def test_accounting_all_seeds_are_articles():
    build = pipeline.run(SEEDS, paths.metadata_csv())
    assert build.accounting() == "5 inputs: 5 articles, 0 rejected, 0 warnings"
    assert build.tables.rejected.empty


@pytest.mark.parametrize("file", sorted(EXPECTED))
def test_seed_fields_match_hand_reading(seeds, file):
    a, want = article(seeds, file), EXPECTED[file]
    for field in ("outlet", "headline", "standfirst", "dateline", "byline"):
        assert a[field] == want[field], f"{file}: {field}"
    assert a["body"].startswith(want["first"]), f"{file}: first body sentence"
    assert a["body"].endswith(want["last"]), f"{file}: last body sentence"
    body_paras = seeds.paragraphs.query("file == @file and kind in ['body', 'subhead']")
    assert len(body_paras) == want["paragraphs"], f"{file}: paragraph count"


@pytest.mark.parametrize("file", sorted(CHROME))
def test_no_chrome_left_in_article_text(seeds, file):
    a = article(seeds, file)
    text = "\n".join([a["headline"], a["standfirst"], a["body"]])
    for chrome in CHROME[file]:
        assert chrome not in text, f"{file}: chrome {chrome!r} left in the article"
        assert chrome in a["removed"] or chrome in a["dateline"], f"{file}: {chrome!r} not audited"


@pytest.mark.parametrize("file", sorted(PARAGRAPH_STARTS))
def test_no_body_paragraph_missing(seeds, file):
    paras = seeds.paragraphs.query("file == @file and kind in ['body', 'subhead']")["text"]
    starts = PARAGRAPH_STARTS[file]
    assert len(paras) == len(starts), f"{file}: {len(paras)} paragraphs, expected {len(starts)}"
    for got, want in zip(paras, starts, strict=True):
        assert got.startswith(want), f"{file}: paragraph {got[:40]!r} should start {want!r}"


@pytest.mark.parametrize("file", sorted(EXPECTED))
def test_every_page_line_is_accounted_for(seeds, file):
    """Each non-blank page line is in exactly one place: a field, the body, or the audit."""
    raw = (SEEDS / file).read_text(encoding="utf-8")
    lines = [" ".join(x.split()) for x in raw.split("\n") if x.strip()]
    a = article(seeds, file)
    removed = seeds.removed_lines.query("file == @file")
    kept_lines = [ln for p in a["body"].split("\n\n") for ln in p.split("\n")]
    fields = [a["headline"], a["standfirst"]]
    byline = seeds.paragraphs.query("file == @file and kind == 'byline'")["text"].tolist()
    assert sorted(lines) == sorted(kept_lines + fields + byline + removed["text"].tolist())
    assert set(removed["rule"]) <= clean.rule_names(), f"{file}: an unnamed rule removed a line"


def test_teaser_mentioning_kuril_islands_is_removed_not_body(seeds):
    removed = seeds.removed_lines.query("file == '002_b2da908307f10950.txt'")
    teaser = removed[removed["text"].str.startswith("Compromise With Japan")]
    assert teaser["rule"].tolist() == ["teaser"]
    assert "Kuril Islands - Sputnik International" in removed["text"].tolist()


def test_tass_subhead_kept_and_labelled(seeds):
    sub = seeds.paragraphs.query("kind == 'subhead'")
    assert sub[["file", "text"]].values.tolist() == [
        ["003_3f926fbd34ea6708.txt", "South Kuril Islands issue"]
    ]


def test_paragraph_offsets_index_the_body(seeds):
    bodies = seeds.articles.set_index("file")["body"]
    for p in seeds.paragraphs.dropna(subset=["start"]).itertuples():
        assert bodies[p.file][p.start : p.end] == p.text, f"{p.file} paragraph {p.paragraph}"


def test_dates_and_bases(seeds):
    a = seeds.articles.set_index("file")
    assert a.loc["003_3f926fbd34ea6708.txt", "date"] == "2018-05-21"
    assert a.loc["004_c7fdcfd96570cd6d.txt", "date"] == "2017-03-21"
    assert a.loc["001_e9e6e489c14a83f0.txt", "date"] == ""  # cannot be known: left empty
    assert a.loc["001_e9e6e489c14a83f0.txt", "date_earliest"] == "2016-09-06"
    assert a.loc["001_e9e6e489c14a83f0.txt", "date_latest"] == "2016-12-13"
    assert (a["date_basis"].str.len() > 20).all()


def test_page_dates_inferred_without_metadata():
    c = pipeline.build(SEEDS, None)
    a = c.articles.set_index("file")
    assert a.loc["003_3f926fbd34ea6708.txt", "date"] == "2018-05-21"
    assert "May 21, 2018" in a.loc["003_3f926fbd34ea6708.txt", "date_basis"]
    assert a.loc["004_c7fdcfd96570cd6d.txt", "date"] == "2017-03-21"
    assert a.loc["000_bc5782a3297aeda6.txt", "date"] == ""
    assert a.loc["000_bc5782a3297aeda6.txt", "date_basis"].startswith("unknown")
    assert a["outlet"].tolist() == ["Sputnik", "Sputnik", "Sputnik", "TASS", "Taipei Times"]
    assert a["outlet_basis"].str.startswith("inferred").all()


def test_input_folder_is_never_written(tmp_path):
    before = {p.name: p.stat().st_mtime_ns for p in SEEDS.iterdir()}
    pipeline.build(SEEDS, paths.metadata_csv())
    assert {p.name: p.stat().st_mtime_ns for p in SEEDS.iterdir()} == before


# ----------------------------------------------------------------------------------------------
# Variant pages: the rules must generalise beyond the five seeds.
# ----------------------------------------------------------------------------------------------

SPUTNIK_VARIANT = """\
- Sputnik International
Politics
Read the latest political news and analysis from around the world.
Islands Talks Resume in Moscow

Subscribe
© Sputnik / Somebody / Go to the mediabank
A view of the sea - Sputnik International
Talks on the islands resumed on Monday, officials said.
MOSCOW (Sputnik) — Russian and Japanese officials resumed talks on the Southern Kurils on Monday, the ministry said.
Some Harbour in Winter - Sputnik International
World
Putin Speaks on Asia Policy
Officials said more rounds were planned for the spring and that the talks were constructive.
Another Photo - Sputnik International
Japan Mulls New Proposal on Joint Activities
"We are ready to continue," the deputy minister told reporters after the meeting ended.
Newsfeed
0
Chats
"""


def clean_as(text: str, outlet: str | None):
    return clean.clean_page(text, outlets.profile_for(outlet))


def test_sputnik_variant_without_blank_lines_and_extra_teasers():
    page = clean_as(SPUTNIK_VARIANT, "Sputnik")
    assert page.headline == "Islands Talks Resume in Moscow"
    assert page.standfirst == "Talks on the islands resumed on Monday, officials said."
    assert page.dateline == "MOSCOW"
    bodies = [t for _, t in page.paragraphs]
    assert bodies == [
        "MOSCOW (Sputnik) — Russian and Japanese officials resumed talks on the Southern Kurils "
        "on Monday, the ministry said.",
        "Officials said more rounds were planned for the spring and that the talks were "
        "constructive.",
        '"We are ready to continue," the deputy minister told reporters after the meeting ended.',
    ]
    rules = {text: rule for _, text, rule in page.removed}
    assert rules["Putin Speaks on Asia Policy"] == "teaser"
    assert rules["World"] == "teaser"
    assert rules["Japan Mulls New Proposal on Joint Activities"] == "teaser"
    assert rules["Politics"] == "section-header"
    assert rules["Chats"] in ("comments-widget", "footer")


def test_reordered_chrome_still_finds_the_same_article():
    lines = SPUTNIK_VARIANT.split("\n")
    # Put the widget and photo credit above the headline and drop the masthead.
    reordered = "\n".join([lines[5], lines[6], lines[3], *lines[7:]])
    page = clean_as(reordered, "Sputnik")
    assert page.headline == "Islands Talks Resume in Moscow"
    assert len(page.paragraphs) == 3
    assert all("Sputnik International" not in t for _, t in page.paragraphs)


TASS_VARIANT = """\
All news
Russia, Japan discuss fishing near disputed islands

December 3, 2019, 14:02 UTC+3 MOSCOW
Talks will continue next month

MOSCOW, December 3. /TASS/. Russian and Japanese diplomats discussed fishing quotas near the South Kuril Islands, the Foreign Ministry said on Tuesday.
Kuril Islands issue
The sides will meet again in January, according to the ministry statement.
Show more
Partner News
"""


def test_tass_variant_date_dateline_subhead():
    page = clean_as(TASS_VARIANT, "TASS")
    assert page.headline == "Russia, Japan discuss fishing near disputed islands"
    assert page.standfirst == "Talks will continue next month"
    assert page.dateline == "MOSCOW, December 3"
    assert clean.parse_date(page.date_stamp).isoformat() == "2019-12-03"
    assert [k for k, _ in page.paragraphs] == ["body", "subhead", "body"]
    assert page.paragraphs[-1][1].startswith("The sides will meet again")


TAIPEI_VARIANT = """\
Wed, Feb 08, 2017 - Page 5 News List

Japan protests Russian troop deployment

Staff writer, with CNA, TAIPEI

Soldiers on parade in a file picture taken last year.
Photo: Reuters

Japan yesterday protested against Russia's plan to deploy a division to the disputed islands, officials said.

The ministry said the move was unacceptable.
This story has been viewed 321 times.
Comments will be moderated. Remarks containing abusive language will be removed.
"""


def test_taipei_times_variant_caption_byline_footer():
    page = clean_as(TAIPEI_VARIANT, "Taipei Times")
    assert page.headline == "Japan protests Russian troop deployment"
    assert page.dateline == "TAIPEI"
    assert "CNA" in page.byline
    assert [t for _, t in page.paragraphs] == [
        "Japan yesterday protested against Russia's plan to deploy a division to the disputed "
        "islands, officials said.",
        "The ministry said the move was unacceptable.",
    ]
    rules = {text: rule for _, text, rule in page.removed}
    assert rules["Soldiers on parade in a file picture taken last year."] == "caption"
    assert rules["Photo: Reuters"] == "photo-credit"


GENERIC_PAGE = """\
Home | World | Asia | Opinion
Japan Times Online
Kishida renews call for return of northern islands

By Jane Doe
March 3, 2022

TOKYO — Prime Minister Fumio Kishida on Thursday renewed Japan's call for the return of the Northern Territories, in a speech in Tokyo.
READ MORE: Russia suspends talks with Japan
He said the issue must not be left to future generations.
Share this article
Advertisement
"""


def test_generic_rules_for_an_unknown_outlet():
    page = clean_as(GENERIC_PAGE, None)
    assert page.headline == "Kishida renews call for return of northern islands"
    assert page.dateline == "TOKYO"
    assert page.byline == "Jane Doe"
    assert [t for _, t in page.paragraphs][-1] == (
        "He said the issue must not be left to future generations."
    )
    rules = {text: rule for _, text, rule in page.removed}
    assert rules["Home | World | Asia | Opinion"] == "navigation"
    assert rules["READ MORE: Russia suspends talks with Japan"] == "related-link"
    assert rules["Share this article"] == "widget"
    assert rules["Advertisement"] == "widget"
    assert rules["March 3, 2022"] == "date-stamp"
    assert clean.parse_date("March 3, 2022").isoformat() == "2022-03-03"


@pytest.mark.parametrize(
    "line, rule",
    [
        ("© AFP 2023 / Somebody", "photo-credit"),
        ("Photo: AFP / Pool", "photo-credit"),
        ("Subscribe", "widget"),
        ("This story has been viewed 2,459 times.", "counter"),
        ("1 pages in this article", "counter"),
        ("To participate in the discussion", "comments-widget"),
        ("Заголовок открываемого материала", "other-script"),
    ],
)
def test_generic_line_rules_match(line, rule):
    assert next(r.name for r in clean.GENERIC_RULES if r.matches(line)) == rule


@pytest.mark.parametrize(
    "line",
    [
        "Related talks will be held in Moscow next week, the ministry said.",
        "Japan wants to share the fishing grounds around the islands.",
        "Readers can subscribe to the newsletter, the company said.",
        "The Southern Kurils remain disputed.",
        "Comments by the minister angered Tokyo.",
    ],
)
def test_generic_line_rules_leave_sentences_alone(line):
    assert not any(r.matches(line) for r in clean.GENERIC_RULES), line


def test_cleaning_rules_table_lists_every_rule():
    rules = clean.cleaning_rules()
    assert rules["rule"].is_unique
    assert {"teaser", "caption", "footer", "sputnik:image-alt", "tass:navigation"} <= set(
        rules["rule"]
    )
    assert (rules["description"].str.len() > 10).all()


def test_dateline_pattern_must_and_must_not_match():
    must = [
        ("TOKYO (Sputnik) — Japan intends to", "TOKYO"),
        ("MOSCOW, March 3 (Reuters) - Russia said on", "MOSCOW, March 3"),
        ("TOKYO, May 21. /TASS/. The foreign and", "TOKYO, May 21"),
        ("WASHINGTON (AP) — The United States", "WASHINGTON"),
    ]
    for line, dateline in must:
        m = clean.match_dateline(line)
        assert m is not None and m.group("dateline") == dateline, line
    for line in ["US and Japan agreed on Monday", "Abe has pledged to resolve", "A - B"]:
        assert clean.match_dateline(line) is None, line


def test_checksums_helper(tmp_path: Path):
    (tmp_path / "a.txt").write_bytes(b"abc")
    table = pages.checksums([tmp_path / "a.txt"])
    assert table.iloc[0]["sha256"] == hashlib.sha256(b"abc").hexdigest()


WRAPPED_PAGE = """\
Russia and Japan to talk again

MOSCOW (Reuters) - Russia and Japan will hold a new round of talks
on the disputed islands that Russia calls the Southern Kurils and
Japan the Northern Territories, officials said on Monday.

The talks were suspended in 2022 after Japan joined sanctions
against Moscow over the war in Ukraine, and no date has been
set for their resumption, according to the officials.
"""


def test_hard_wrapped_paragraphs_are_joined_not_split():
    page = clean_as(WRAPPED_PAGE, None)
    assert len(page.paragraphs) == 2
    assert page.paragraphs[0][1].split("\n")[1].startswith("on the disputed islands")
    assert page.headline == "Russia and Japan to talk again"


def test_read_page_gives_the_rows_the_build_tabulates(seeds):
    """One file's bytes in, its article, paragraphs and audit out: the same rows the corpus has,
    from values alone, and picklable (so any engine can run it in another process)."""
    import pickle

    meta, _ = pages.read_metadata(paths.metadata_csv())
    label = paths.display(paths.metadata_csv())
    for path in sorted(SEEDS.glob("*.txt")):
        name = path.name
        read = clean.read_page(path.read_bytes(), name, meta.loc[name].to_dict(), label)
        assert read.rejection is None and read.warnings == []
        row = seeds.articles.set_index("file").loc[name, corpus.ARTICLE_COLUMNS[1:]].to_dict()
        # the page pass adds the count of the body's sentences (page.process_page)
        body = [(p[1], p[3]) for p in read.paragraphs if p[2] == "body"]
        assert row.pop("n_sentences") == len(reuse.article_sentences(name, body).text)
        assert read.article == row | {"file": name}
        own = seeds.paragraphs.loc[seeds.paragraphs["file"] == name, corpus.PARAGRAPH_COLUMNS]
        assert read.paragraphs == list(
            own.astype(object).where(own.notna(), None).itertuples(index=False, name=None)
        )
        assert len(read.removed) == read.article["n_removed"]
        again = pickle.loads(pickle.dumps(read))
        assert (
            again.article == read.article
            and (again.fingerprint.minhash == read.fingerprint.minhash).all()
        )


def test_read_page_rejects_with_the_reason_and_reads_nothing_else():
    assert clean.read_page(b"%PDF-1.4", "page.pdf", None, "").rejection.startswith("not a .txt")
    assert clean.read_page(b"  \n", "blank.txt", None, "").rejection.startswith("empty")
    menu = clean.read_page(b"Home\nNews\nSubscribe\n", "menu.txt", None, "")
    assert menu.rejection.startswith("no recognisable article body") and menu.article is None
    assert "outlet not recognised" in menu.warnings[0][2]


def test_a_copy_of_a_seed_is_rejected_as_a_duplicate(tmp_path):
    for p in SEEDS.iterdir():
        (tmp_path / p.name).write_bytes(p.read_bytes())
    (tmp_path / "dup.txt").write_bytes((SEEDS / "003_3f926fbd34ea6708.txt").read_bytes())
    c = pipeline.build(tmp_path, None)
    assert c.rejected["file"].tolist() == ["dup.txt"]
    assert c.rejected["reason"].iloc[0] == (
        "duplicate of 003_3f926fbd34ea6708.txt (identical text): keep one copy in the corpus folder"
    )
    assert len(c.articles) == 5 and "dup.txt" not in set(c.paragraphs["file"])


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab \n\t\xa0\u2009\r\x1c\u2028")), max_size=40))
def test_whole_page_whitespace_normalisation_equals_line_by_line(text):
    assert text_mod.normalize_lines(text) == [text_mod.normalize_line(x) for x in text.split("\n")]


def test_whole_page_whitespace_normalisation_on_the_seed_pages():
    for page in sorted(SEEDS.glob("*.txt")):
        text = page.read_text(encoding="utf-8")
        expected = [text_mod.normalize_line(x) for x in text.split("\n")]
        assert text_mod.normalize_lines(text) == expected, page.name
