"""Input formats beyond plain-text pages: HTML pages, tables of articles, web archives.

A corpus folder may mix formats. ``expand`` turns the folder's file names into *input items*:
a ``.txt``, ``.html`` or ``.htm`` file is one item (its path, read by the engine's worker); a
table (``.csv``, ``.jsonl``/``.ndjson``, ``.parquet``) or a web archive (``.warc``,
``.warc.gz``) is read here and gives one ``Item`` per row or HTML response record, named
``export.csv#12`` (by its ``id`` column when it has one, else its row number). A row that cannot
be read (a malformed CSV row, a JSON line that does not parse, a row with no text) is an
``Item`` with a ``problem``: it is rejected with its line number and the rest is read.

``html_page`` turns an HTML page into the text ``wording.clean`` reads (title, then the body
paragraphs trafilatura finds) and the metadata its markup states (title, date, site name),
plus the text of the whole page, chrome included, for outlet markers.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePath

TEXT_COLUMNS = ("text", "body")  # the article's text: the first present, non-empty
ROW_FIELDS = ("outlet", "date", "title", "url", "id")
HTML_SUFFIXES = (".html", ".htm")
TABLE_SUFFIXES = (".csv", ".jsonl", ".ndjson", ".parquet")
WARC_SUFFIXES = (".warc", ".warc.gz")


@dataclass(frozen=True)
class Item:
    """One input read in the main process: a table row or an archived page."""

    name: str  # "export.csv#12"
    raw: bytes  # the article's text (UTF-8) or the archived page's HTML
    meta: dict | None = None  # a metadata row (``wording.pages.METADATA_COLUMNS`` + line, where)
    problem: str | None = None  # why it cannot be read: rejected with this reason
    html: bool = False  # raw is an HTML page
    notes: list[str] = field(default_factory=list)


def suffix(name: str) -> str:
    """The input suffix of ``name`` (".warc.gz" counts as one), lower case."""
    lower = name.lower()
    return ".warc.gz" if lower.endswith(".warc.gz") else PurePath(lower).suffix


def is_read_by_worker(name: str) -> bool:
    """Is ``name`` a one-page file that the worker reads (``.txt``, ``.html``, ``.htm``)?"""
    return suffix(name) in (".txt", *HTML_SUFFIXES)


def is_expanded(name: str) -> bool:
    """Is ``name`` a table or archive that ``expand`` reads into items?"""
    return suffix(name) in TABLE_SUFFIXES + WARC_SUFFIXES


def expand(folder: Path, names: list[str]) -> tuple[list[str], list[str | Item]]:
    """(item names, entries): each name's entry is its path (a one-page file) or, for a table
    or archive, one ``Item`` per row or record. Order: file names in order, rows in order."""
    out_names: list[str] = []
    entries: list[str | Item] = []
    for name in names:
        path = Path(folder) / name
        if not is_expanded(name):
            out_names.append(name)
            entries.append(str(path))
            continue
        for item in read_items(path):
            out_names.append(item.name)
            entries.append(item)
    return out_names, entries


def read_items(path: Path) -> list[Item]:
    """The items of a table or archive file; a file that cannot be read at all is one rejected
    item named after the file."""
    name = path.name
    try:
        kind = suffix(name)
        if kind == ".csv":
            return _csv_items(path)
        if kind in (".jsonl", ".ndjson"):
            return _jsonl_items(path)
        if kind == ".parquet":
            return _parquet_items(path)
        return _warc_items(path)
    except Exception as exc:  # a damaged file: report it, read the rest of the folder
        return [Item(name, b"", problem=f"cannot read {name} ({type(exc).__name__}: {exc})")]


def _row_item(
    file: str, number: int, line: int, row: dict, seen: set[str], unit: str = "line"
) -> Item:
    """The item of one table row (``number``: 1-based row, ``line``: where it starts, counted
    in ``unit``s: lines of a text file, rows of a Parquet file)."""
    row = {str(k).strip().lower(): v for k, v in row.items() if k is not None}
    ident = str(row.get("id") or "").strip()
    name = f"{file}#{ident}" if ident and f"{file}#{ident}" not in seen else f"{file}#{number}"
    seen.add(name)
    text = next((str(row[c]) for c in TEXT_COLUMNS if row.get(c) not in (None, "")), "")
    if not text.strip():
        reason = f"{unit} {line}: no text (a 'text' or 'body' column with the article is needed)"
        return Item(name, b"", problem=reason)
    where = f"{file} {unit} {line}"
    meta = {
        "file": name,
        "outlet": str(row.get("outlet") or "").strip(),
        "date": str(row.get("date") or "").strip()[:10],
        "date_basis": f"given in {where}" if row.get("date") else "",
        "url": str(row.get("url") or "").strip(),
        "sha256": "",
        "headline": str(row.get("title") or "").strip(),
        "notes": "",
        "line": line,
        "where": where,
        "label": file,
        "kind": "row",
    }
    return Item(name, text.encode("utf-8"), meta)


def _csv_items(path: Path) -> list[Item]:
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    items: list[Item] = []
    seen: set[str] = set()
    try:
        header = [h.strip().lower() for h in next(reader)]
    except (StopIteration, csv.Error):
        return [Item(path.name, b"", problem=f"{path.name}: no header row")]
    number, line = 0, reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # a broken quote: report this row, go on with the next
            number += 1
            problem = f"line {line}: malformed CSV row ({exc}); row skipped"
            items.append(Item(f"{path.name}#{number}", b"", problem=problem))
            line = reader.line_num + 1
            continue
        number += 1
        if not any(c.strip() for c in cells):
            line = reader.line_num + 1
            number -= 1
            continue
        if len(cells) != len(header):
            problem = (
                f"line {line}: malformed CSV row ({len(cells)} fields, the header has "
                f"{len(header)}); row skipped"
            )
            items.append(Item(f"{path.name}#{number}", b"", problem=problem))
        else:
            items.append(
                _row_item(path.name, number, line, dict(zip(header, cells, strict=True)), seen)
            )
        line = reader.line_num + 1
    return items


def _jsonl_items(path: Path) -> list[Item]:
    items: list[Item] = []
    seen: set[str] = set()
    number = 0
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    for line, record in enumerate(text.split("\n"), start=1):
        if not record.strip():
            continue
        number += 1
        try:
            row = json.loads(record)
        except json.JSONDecodeError as exc:
            problem = f"line {line}: not valid JSON ({exc.msg}); line skipped"
            items.append(Item(f"{path.name}#{number}", b"", problem=problem))
            continue
        if not isinstance(row, dict):
            problem = f"line {line}: a JSON {type(row).__name__}, not an object; line skipped"
            items.append(Item(f"{path.name}#{number}", b"", problem=problem))
            continue
        items.append(_row_item(path.name, number, line, row, seen))
    return items


def _parquet_items(path: Path) -> list[Item]:
    import pyarrow.parquet as pq

    rows = pq.read_table(path).to_pylist()
    seen: set[str] = set()
    return [
        _row_item(path.name, k, k, row, seen, unit="row") for k, row in enumerate(rows, start=1)
    ]


def _warc_items(path: Path) -> list[Item]:
    from warcio.archiveiterator import ArchiveIterator

    items: list[Item] = []
    with open(path, "rb") as handle:
        number = 0
        for record in ArchiveIterator(handle):
            if record.rec_type != "response":
                continue
            kind = record.http_headers.get_header("Content-Type", "") if record.http_headers else ""
            if "html" not in kind.lower():
                continue
            number += 1
            url = record.rec_headers.get_header("WARC-Target-URI") or ""
            raw = record.content_stream().read()
            meta = {
                "file": f"{path.name}#{number}",
                "outlet": "",
                "date": "",
                "date_basis": "",
                "url": url,
                "sha256": "",
                "headline": "",
                "notes": "",
                "line": number,
                "where": f"{path.name} record {number}",
                "label": path.name,
                "kind": "html",
            }
            items.append(Item(f"{path.name}#{number}", raw, meta, html=True))
    return items


_BLOCK_TAGS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 tr td th table section article header footer nav "
    "aside figure figcaption blockquote pre title main form dt dd".split()
)


def _page_text(raw: bytes) -> str:
    """The visible text of a whole HTML page, chrome included, one block per line."""
    import lxml.html

    try:
        doc = lxml.html.fromstring(raw)
    except Exception:  # not parseable as HTML: markers are searched in the raw text
        return raw.decode("utf-8", errors="replace")
    for bad in doc.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    for el in doc.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCK_TAGS:
            el.tail = "\n" + (el.tail or "")
    lines = (" ".join(x.split()) for x in doc.text_content().split("\n"))
    return "\n".join(x for x in lines if x)


@dataclass(frozen=True)
class HtmlPage:
    """What an HTML page gives the cleaner: its text and what its markup states."""

    text: str  # title line, blank line, the body paragraphs (blank-line separated)
    whole: str  # the whole page's visible text, chrome included (for outlet markers)
    title: str
    date: str  # ISO date stated in the markup, or ""
    sitename: str
    url: str


def html_page(raw: bytes) -> HtmlPage | None:
    """The article trafilatura finds in an HTML page, or None when it finds no body."""
    import trafilatura

    html = raw.decode("utf-8", errors="replace")
    doc = trafilatura.bare_extraction(html, with_metadata=True)
    if doc is None or not (doc.text or "").strip():
        return None
    paragraphs = [" ".join(p.split()) for p in doc.text.split("\n") if p.strip()]
    title = " ".join((doc.title or "").split())
    if paragraphs and title and paragraphs[0] == title:
        paragraphs = paragraphs[1:]
    text = "\n\n".join(([title] if title else []) + paragraphs) + "\n"
    date = doc.date or ""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        date = ""
    return HtmlPage(text, _page_text(raw), title, date, (doc.sitename or "").strip(), doc.url or "")
