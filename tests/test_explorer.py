"""The explorer page (reports/explorer.html): its data, its caps, and the page in a real browser.

The browser tests open the page from disk in headless Chromium (Debian's ``chromium``, driven by
Playwright; no browser is downloaded), type and click as a reader would, and check what the page
shows against the derived tables: the concordance against term_mentions.csv, the search against
the article bodies, the article view against removed_lines.csv, the counterpart view against a
fixture table written here from the seeds' own sentences.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from wording import paths, text
from wording.report import explorer, explorer_data
from wording.report.inputs import LazyTables

DERIVED = paths.derived_dir()
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
TERM = "northern_territories"  # in all three seed outlets' articles, in own, gloss and quoted use


@pytest.fixture(scope="module")
def mentions() -> pd.DataFrame:
    return pd.read_csv(DERIVED / "term_mentions.csv", keep_default_na=False)


@pytest.fixture(scope="module")
def articles() -> pd.DataFrame:
    return pd.read_csv(DERIVED / "articles.csv", keep_default_na=False)


# ---- the page's data ---------------------------------------------------------------------------


def test_seed_page_holds_every_mention_and_article(mentions, articles):
    data = explorer_data.page_data(LazyTables(DERIVED), None)
    assert data["caps"] == [], "the five seeds must fit uncapped"
    assert len(data["articles"]) == len(articles)
    assert sum(len(lines) for lines in data["lines"].values()) == len(mentions)
    for term in data["terms"]:
        expected = mentions[mentions.term_id == term["id"]]
        assert term["total"] == len(expected), term["id"]
        for o in term["outlets"]:
            outlet = data["outlets"][o["o"]]
            for use, n in o["uses"].items():
                want = int(((expected.outlet == outlet) & (expected.use == use)).sum())
                assert n == want, (term["id"], outlet, use)


def test_names_carry_their_keyness_framings_none_and_key_words_skip_stop_words():
    data = explorer_data.page_data(LazyTables(DERIVED), None)
    keyness = pd.read_csv(DERIVED / "keyness.csv", keep_default_na=False)
    terms = {t["id"]: t for t in data["terms"]}
    sputnik = data["outlets"].index("Sputnik")
    # southern_kurils is a name (one feature of the counts): its z is keyness.csv's.
    (z,) = keyness.loc[(keyness.term == "southern_kurils") & (keyness.outlet == "Sputnik"), "z"]
    (row,) = [o for o in terms["southern_kurils"]["outlets"] if o["o"] == sputnik]
    assert row["z"] == pytest.approx(z, abs=0.005)
    # A framing spans words: no z.
    framings = [t for t in data["terms"] if t["category"].endswith("framing")]
    assert framings and all(o["z"] is None for t in framings for o in t["outlets"])
    stop = set(keyness.loc[keyness.stop_word.astype(str) == "True", "term"])
    shown = {row[1] for row in data["keyness"]}
    assert shown and not shown & stop, "in, the, will … lead by z and say nothing of wording"


def test_caps_keep_every_shown_line_linked_and_say_so(monkeypatch, mentions):
    monkeypatch.setattr(explorer_data, "MAX_LINES_PER_TERM", 2)
    monkeypatch.setattr(explorer_data, "TEXT_BUDGET_BYTES", 9_000)  # about two seed articles
    data = explorer_data.page_data(LazyTables(DERIVED), None)
    assert 1 <= len(data["articles"]) < 5
    for term, lines in data["lines"].items():
        assert len(lines) <= 2, term
        for line in lines:
            article = data["articles"][line[0]]
            assert article[4][line[1] : line[2]] == line[9], (term, article[0])
    assert any(c.startswith("article texts: ") for c in data["caps"])
    assert any(c.startswith("concordance: ") for c in data["caps"])


def test_concordance_lines_are_taken_from_each_group_in_turn(monkeypatch):
    # (outlet, voice, use) groups of rows 1-3, 4 and 5-6; four lines: one from each group,
    # then the first group's second
    monkeypatch.setattr(explorer_data, "MAX_LINES_PER_TERM", 4)
    assert explorer_data._round_robin([[1, 2, 3], [4], [5, 6]], lambda r: True) == [1, 4, 5, 2]
    assert explorer_data._round_robin([[1, 2, 3], [4], [5, 6]], lambda r: r != 4) == [1, 5, 2, 6]


def test_page_is_deterministic_and_offline(tmp_path):
    a = explorer.write_explorer(DERIVED, tmp_path / "a.html").read_bytes()
    b = explorer.write_explorer(DERIVED, tmp_path / "b.html").read_bytes()
    assert a == b
    html = a.decode("utf-8")
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=\"?(https?:)?//", html)
    assert html.count("</script>") == 3  # data, DataTables, app: no data closes a script early


def test_counterparts_keep_the_facts_told_by_the_most_outlets(monkeypatch):
    def row(fact, outlet, other, score):
        values = dict.fromkeys(explorer_data.COUNTERPART_COLUMNS, "")
        values.update(fact_id=fact, outlet=outlet, counterpart_outlet=other, score=score)
        return values

    table = pd.DataFrame(
        [row("a", "TASS", "TASS", 0.9), row("b", "TASS", "Sputnik", 0.5),
         row("b", "Sputnik", "Taipei Times", 0.4), row("c", "TASS", "Sputnik", 0.7)]
    )  # fmt: skip
    monkeypatch.setattr(explorer_data, "MAX_FACTS", 2)
    facts, caps = explorer_data._counterparts(table)
    assert [r[0] for r in facts["rows"]] == ["b", "b", "c"]  # 3 outlets, then 2 (best 0.7)
    assert caps == [
        "counterparts: 2 of 3 facts (those told by the most outlets, then the best scores), "
        "3 of 4 rows"
    ]


def test_an_older_build_without_the_use_column_is_named_with_what_to_do():
    tables = LazyTables(DERIVED)
    tables.term_mentions = tables.term_mentions.drop(columns="use")
    with pytest.raises(ValueError, match=r"term_mentions.csv lacks the columns \['use'\]: rebuild"):
        explorer_data.page_data(tables, None)


def test_counterparts_table_without_a_contract_column_is_refused():
    table = pd.DataFrame({"fact_id": ["1"], "file": ["a.txt"]})
    with pytest.raises(ValueError, match="lacks the columns"):
        explorer_data.page_data(LazyTables(DERIVED), table)


# ---- a counterparts fixture from the seeds' own sentences ---------------------------------------

# The 1945 handover, told by each outlet (see the README's findings): phrase -> outlet.
FACT_PHRASES = {
    "claimed by Soviet forces": "Sputnik",
    "handed over to the Soviet Union": "TASS",
    "seized by Soviet troops": "Taipei Times",
}


def _sentence_with(phrase: str, paragraphs: pd.DataFrame) -> tuple[str, int, int, str]:
    """(file, paragraph, sentence number, sentence) of the first body sentence holding phrase."""
    for row in paragraphs[paragraphs.kind == "body"].itertuples():
        for k, sentence in enumerate(text.sentences(row.text), start=1):
            if phrase in sentence:
                return row.file, row.paragraph, k, sentence
    raise AssertionError(f"no seed sentence holds {phrase!r}")


def _counterparts_fixture(paragraphs: pd.DataFrame, outlet_of: dict[str, str]) -> pd.DataFrame:
    """Fact 1: the three 1945 sentences, each paired with the next; every column of the
    contract present."""
    found = [_sentence_with(p, paragraphs) for p in FACT_PHRASES]
    rows = []
    for (f, p, s, t), (cf, cp, cs, ct) in zip(found, found[1:] + found[:1], strict=True):
        rows.append(
            {"fact_id": "1", "file": f, "outlet": outlet_of[f], "paragraph": p, "sentence": s,
             "text": t, "counterpart_file": cf, "counterpart_outlet": outlet_of[cf],
             "counterpart_paragraph": cp, "counterpart_sentence": cs, "counterpart_text": ct,
             "same_outlet": False, "semantic": 0.6, "lexical": 0.3, "score": 0.5, "mutual": True,
             "shared_words": "Soviet", "differing_words": "claimed / handed over", "terms": "",
             "counterpart_terms": ""}
        )  # fmt: skip
    return pd.DataFrame(rows, columns=explorer_data.COUNTERPART_COLUMNS)


@pytest.fixture(scope="module")
def pages(tmp_path_factory, articles) -> dict[str, Path]:
    """Two pages: the seeds' tables without counterparts.csv, and with the fixture table instead
    of the build's."""
    root = tmp_path_factory.mktemp("explorer")
    bare = root / "bare"
    shutil.copytree(DERIVED, bare)
    (bare / "counterparts.csv").unlink(missing_ok=True)
    plain = explorer.write_explorer(bare, root / "plain.html")
    derived = root / "derived"
    shutil.copytree(DERIVED, derived)
    paragraphs = pd.read_csv(DERIVED / "paragraphs.csv", keep_default_na=False)
    fixture = _counterparts_fixture(
        paragraphs, dict(zip(articles.file, articles.outlet, strict=True))
    )
    fixture.to_csv(derived / "counterparts.csv", index=False)
    facts = explorer.write_explorer(derived, root / "facts.html")
    return {"plain": plain, "facts": facts, "fixture": fixture}


# ---- in the browser ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not Path(CHROMIUM).is_file():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium (`apt-get install chromium`; "
            ".ci/run does it) to run the explorer's browser tests"
        )
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True,
            viewport={"width": 1300, "height": 1000},
        )  # fmt: skip
        yield context
        context.close()


def _open(browser, page_path: Path):
    """A tab with the page loaded and its tables drawn; records every request it makes."""
    tab = browser.new_page()
    tab.requests = []
    tab.errors = []
    tab.on("request", lambda r: tab.requests.append(r.url))
    tab.on("pageerror", lambda e: tab.errors.append(str(e)))
    tab.goto(page_path.as_uri())
    tab.wait_for_selector("body[data-ready='true']", timeout=30_000)
    return tab


def _kwic_texts(tab) -> list[str]:
    """Each concordance line as left + match + right, as the reader sees it."""
    return tab.eval_on_selector_all(
        "#concordance tr.kwic-line",
        "rows => rows.map(r => [...r.querySelectorAll('td.left, td.match, td.right')]"
        ".map(td => td.textContent).join(''))",
    )


def test_type_a_term_click_it_and_read_its_concordance(browser, pages, mentions):
    tab = _open(browser, pages["plain"])
    tab.fill("#terms-table_wrapper .dt-search input", TERM)
    from playwright.sync_api import expect

    links = tab.locator(f"#terms-table a.term-link[data-term='{TERM}']")
    expect(tab.locator("#terms-table a.term-link")).to_have_count(3)  # the filter kept only it
    assert links.count() == 3, "one row per seed outlet"
    links.first.click()
    tab.wait_for_selector("#view-concordance.active #concordance tr.kwic-line")
    expected = mentions[mentions.term_id == TERM]
    shown = _kwic_texts(tab)
    assert len(shown) == len(expected) == 5
    want = sorted(expected.kwic_left + expected.matched + expected.kwic_right)
    assert sorted(shown) == want
    headings = tab.locator("#concordance h3.conc-outlet").all_inner_texts()
    assert [h.split(":")[0] for h in headings] == ["Sputnik", "TASS"]
    assert not tab.errors, tab.errors
    assert all(u.startswith(("file:", "blob:")) for u in tab.requests), tab.requests
    tab.close()


def test_a_concordance_line_opens_its_article_with_the_match_and_the_removed_lines(
    browser, pages, mentions
):
    removed = pd.read_csv(DERIVED / "removed_lines.csv", keep_default_na=False)
    tab = _open(browser, pages["plain"])
    tab.evaluate(f"location.hash = 'term={TERM}'")
    first = tab.locator("#concordance tr.kwic-line td.match a").first
    matched = first.inner_text()
    left = tab.locator("#concordance tr.kwic-line td.left").first.text_content()
    first.click()
    tab.wait_for_selector("#view-article.active mark.target")
    assert tab.inner_text("#article mark.target") == matched
    row = mentions[(mentions.term_id == TERM) & (mentions.kwic_left == left)].iloc[0]
    assert tab.inner_text("#article code") == row.file
    assert tab.locator("#removed-lines").is_hidden()
    tab.click("#toggle-removed")
    lines = tab.locator("#removed-lines li").all_inner_texts()
    want = removed[removed.file == row.file].sort_values("line")
    assert len(lines) == len(want) > 0
    assert [x.endswith(t) for x, t in zip(lines, want.text, strict=True)] == [True] * len(want)
    tab.close()


def test_free_text_search_finds_any_phrase_in_the_texts(browser, pages, articles):
    phrase = "peace treaty"  # not a lexicon term
    pattern = re.compile(r"(?<![^\W_])peace\s+treaty(?![^\W_])", re.IGNORECASE)
    expected = sum(len(pattern.findall(body)) for body in articles.body)
    assert expected > 0
    tab = _open(browser, pages["plain"])
    tab.click("#nav a[data-view='search']")
    tab.fill("#search-input", phrase)
    tab.click("#search-form button")
    tab.wait_for_selector("#search-title")
    assert tab.inner_text("#search-total") == str(expected)
    lines = tab.locator("#search-results tr.kwic-line td.match").all_inner_texts()
    assert len(lines) == expected
    assert {x.lower() for x in lines} == {phrase}
    tab.close()


def test_counterpart_view_sets_the_facts_side_by_side(browser, pages):
    tab = _open(browser, pages["facts"])
    tab.click("#nav a[data-view='counterparts']")
    facts = tab.locator("#counterparts .fact")
    assert facts.count() == 1
    passages = tab.locator("#counterparts .fact .passage-text").all_inner_texts()
    assert sorted(passages) == sorted(pages["fixture"].text)
    assert tab.locator("#counterparts .fact tr.pair").count() == 3
    outlets = tab.locator("#counterparts .fact .passage .who").all_inner_texts()
    assert outlets == list(FACT_PHRASES.values())
    tab.locator("#counterparts .fact .passage a").first.click()
    tab.wait_for_selector("#view-article.active mark.target")
    assert tab.inner_text("#article mark.target") == pages["fixture"].text.iloc[0]
    tab.close()

    tab = _open(browser, pages["plain"])
    tab.click("#nav a[data-view='counterparts']")
    assert "no counterparts.csv" in tab.inner_text("#no-counterparts")
    tab.close()
