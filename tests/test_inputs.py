"""Input formats: HTML pages, CSV / JSON Lines / Parquet tables, mixed folders, bad rows.

Every page and row here is written for the test (no real page is copied)."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from wording import inputs, pipeline

PROSE = (
    "The town council voted on Tuesday to rename the old harbour bridge after a local poet, "
    "ending months of debate among residents."
)
PROSE2 = (
    "Residents gathered outside the hall to hear the result, and many said they welcomed the "
    "decision after a long campaign."
)
FERRY = (
    "The ferry company said on Monday that fares on the island route would rise by a tenth "
    "next month, citing the cost of fuel and repairs."
)
MUSEUM = (
    "The museum reopened its doors on Saturday after a two-year renovation that cost more "
    "than expected, officials said."
)
FISH = (
    "Fishermen in the bay reported a record catch this season, and the cooperative said prices "
    "had fallen as a result of the glut."
)
WIND = (
    "The weather service warned of strong winds along the coast on Thursday, advising small "
    "boats to stay in port until the storm passes."
)
LIBRARY = (
    "The library extended its opening hours on weekdays, the city said, after a survey found "
    "strong demand from students."
)

HTML = f"""<html><head><title>Harbour bridge renamed - The Coastal Courier</title>
<meta property="og:site_name" content="The Coastal Courier">
<meta property="article:published_time" content="2024-03-05T10:00:00Z"></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>Harbour bridge renamed after poet</h1><p>{PROSE}</p><p>{PROSE2}</p>
<p>The mayor said the new signs would be put up before the summer festival begins.</p>
</article><footer>Follow us. Copyright 2024 Tidewater Gazette.</footer></body></html>"""


@pytest.fixture
def mixed(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "story.html").write_text(HTML, encoding="utf-8")
    (folder / "export.csv").write_text(
        "id,title,outlet,date,text\n"
        f'A1,Fares rise,ITAR-TASS,2024-02-01,"{FERRY}"\n'
        'A2,Broken,x,2024-02-02,"a" b,c\n'
        f'A3,Museum,,2024-02-03,"{MUSEUM}"\n',
        encoding="utf-8",
    )
    (folder / "feed.jsonl").write_text(
        f'{{"id": "j1", "body": "{FISH}"}}\nnot json\n[1, 2]\n{{"text": "{WIND}"}}\n',
        encoding="utf-8",
    )
    pq.write_table(
        pa.table({"text": [LIBRARY, ""], "outlet": ["Kyodo News", "Kyodo"]}),
        folder / "rows.parquet",
    )
    (folder / "plain.txt").write_text(
        f"A headline of the plain page\n\n{FERRY.replace('ferry', 'bus')} {WIND}\n", "utf-8"
    )
    return folder


def test_every_format_and_row_is_accounted_for(mixed, tmp_path):
    build = pipeline.run(mixed, None, None)
    t = build.tables
    articles = dict(zip(t.articles["file"], t.articles.to_dict("records"), strict=True))
    rejected = dict(zip(t.rejected["file"], t.rejected["reason"], strict=True))
    assert set(articles) == {
        "story.html", "export.csv#A1", "export.csv#A3", "feed.jsonl#j1", "feed.jsonl#4",
        "rows.parquet#1", "plain.txt",
    }  # fmt: skip
    assert set(rejected) == {"export.csv#2", "feed.jsonl#2", "feed.jsonl#3", "rows.parquet#2"}
    assert rejected["export.csv#2"].startswith("line 3: malformed CSV row")
    assert rejected["feed.jsonl#2"].startswith("line 2: not valid JSON")
    assert rejected["feed.jsonl#3"].startswith("line 3: a JSON list")
    assert rejected["rows.parquet#2"].startswith("row 2: no text")
    assert build.n_files == len(articles) + len(rejected)


def test_table_rows_give_outlet_date_and_title(mixed):
    t = pipeline.run(mixed, None, None).tables
    a = t.articles.set_index("file")
    assert a.loc["export.csv#A1", "outlet"] == "TASS"  # ITAR-TASS: today's name
    assert a.loc["export.csv#A1", "outlet_basis"] == "curated (export.csv line 2)"
    assert a.loc["export.csv#A1", "date"] == "2024-02-01"
    assert a.loc["export.csv#A1", "date_basis"] == "given in export.csv line 2"
    assert a.loc["export.csv#A1", "body"] == FERRY
    assert a.loc["rows.parquet#1", "outlet"] == "Kyodo"
    assert a.loc["export.csv#A3", "outlet"] == "unknown"


def test_html_page_body_title_date_and_markers(mixed):
    a = pipeline.run(mixed, None, None).tables.articles.set_index("file")
    row = a.loc["story.html"]
    assert row["body"].split("\n\n")[:2] == [PROSE, PROSE2]
    assert row["date"] == "2024-03-05"
    assert row["date_basis"] == "stated in the page's markup: '2024-03-05'"
    assert "Home" not in row["body"] and "Copyright" not in row["body"]


def test_html_site_name_when_no_marker(tmp_path):
    page = HTML.replace("Tidewater Gazette", "the town").replace("<h1>", "<h1>")
    found = inputs.html_page(page.encode())
    assert found is not None and found.sitename == "The Coastal Courier"
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "a.htm").write_text(page, encoding="utf-8")
    a = pipeline.run(folder, None, None).tables.articles.iloc[0]
    assert a["outlet"] == "The Coastal Courier"
    assert a["outlet_basis"] == "from the page's markup: site name 'The Coastal Courier'"


def test_html_marker_from_the_whole_page_chrome_included(tmp_path):
    page = HTML.replace("Tidewater Gazette", "Jiji Press")  # only in the removed footer
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "a.html").write_text(page, encoding="utf-8")
    a = pipeline.run(folder, None, None).tables.articles.iloc[0]
    assert a["outlet"] == "Jiji"
    assert "Copyright" not in a["body"]


def test_empty_html_is_rejected(tmp_path):
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "blank.html").write_text("<html><body><nav>Home</nav></body></html>", "utf-8")
    t = pipeline.run(folder, None, None).tables
    assert t.articles.empty
    assert "article" in t.rejected["reason"].iloc[0]  # no article text found, said either way


def test_unreadable_table_is_one_rejection(tmp_path):
    bad = tmp_path / "broken.parquet"
    bad.write_bytes(b"not a parquet file")
    items = inputs.read_items(bad)
    assert len(items) == 1 and items[0].problem.startswith("cannot read broken.parquet")


def test_duplicate_ids_fall_back_to_row_numbers(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(f'id,text\n5,"{PROSE}"\n5,"{PROSE2}"\n', encoding="utf-8")
    assert [i.name for i in inputs.read_items(path)] == ["t.csv#5", "t.csv#2"]


def test_warc_records(tmp_path):
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.0")
        record = writer.create_warc_record(
            "http://example.org/a", "response", payload=BytesIO(HTML.encode()),
            http_headers=headers,
        )  # fmt: skip
        writer.write_record(record)
    items = inputs.read_items(path)
    assert [i.name for i in items] == ["crawl.warc.gz#1"]
    assert items[0].meta["url"] == "http://example.org/a"
    t = pipeline.run(tmp_path, None, None).tables
    assert t.articles["file"].tolist() == ["crawl.warc.gz#1"]
