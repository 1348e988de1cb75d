"""Pages to articles: clean one page's text into headline, standfirst, byline/dateline and body.

Every non-blank line of a page ends in exactly one place: the headline, the standfirst, the
byline/dateline, the body, or the page's removed lines with the named rule that dropped it.

Cleaning has two layers:
- outlet profiles (``wording.outlets``: Sputnik, TASS, Taipei Times): site chrome each site wraps
  around its articles;
- generic rules for pages of any outlet: photo credits, share/subscribe/comment widgets, counters,
  related-story teasers, footers.
No rule names a file or a line number; every rule is listed by ``cleaning_rules()``.

``read_page`` does all of it for one file's bytes: decode, clean, record, fingerprint.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from wording import chrome
from wording.duplicates import Fingerprint, counted_fingerprint
from wording.inputs import HTML_SUFFIXES, HtmlPage, html_page
from wording.line_rules import (
    CONTEXT_RULES,
    DATE_STAMP_RE,
    DATELINE_RE,
    FOOTER_MARKERS,
    GENERIC_RULES,
    cleaning_rules,
    is_prose,
    is_sentence,
    is_teaser_line,
    match_byline,
    match_dateline,
    parse_date,
    rule_names,
    words_in,
)
from wording.outlets import (
    MASTHEAD_RE,
    UNKNOWN,
    OutletProfile,
    canonical_outlet,
    profile_for,
    resolve_outlet,
)
from wording.pages import Decoded, WarningRow, decode_page, is_page_name, resolve_date
from wording.text import PARAGRAPH_SEPARATOR, normalize_lines

__all__ = [  # the rules and line predicates live in wording.line_rules; re-exported here
    "CONTEXT_RULES", "DATELINE_RE", "DATE_STAMP_RE", "FOOTER_MARKERS", "GENERIC_RULES", "NO_BODY",
    "Page", "PageRead", "clean_page", "cleaning_rules", "match_dateline", "paragraph_rows",
    "parse_date", "read_page", "rule_names",
]  # fmt: skip

_words, _is_sentence, _is_prose = words_in, is_sentence, is_prose
_is_teaser_line, _match_byline = is_teaser_line, match_byline


@dataclass
class Page:
    """One page cleaned: its parts and the audit of removed lines (1-based line numbers)."""

    headline: str = ""
    standfirst: str = ""
    dateline: str = ""
    byline: str = ""
    paragraphs: list[tuple[str, str]] = field(default_factory=list)  # (kind, text) of the body
    removed: list[tuple[int, str, str]] = field(default_factory=list)  # (line, text, rule)
    date_stamp: str = ""
    byline_text: str = ""  # the byline/dateline line as printed, when it stands on its own
    body_found: bool = False

    @property
    def body(self) -> str:
        """The body paragraphs joined by blank lines (``wording.text.PARAGRAPH_SEPARATOR``)."""
        return PARAGRAPH_SEPARATOR.join(text for _, text in self.paragraphs)


@functools.cache
def _line_classifier(outlet: str | None) -> tuple[re.Pattern, dict[str, str]]:
    """All line rules of a profile as one alternation, tried in order: one match call per line.

    Order: date stamp, masthead, the outlet's own rules, then the generic rules.
    """
    profile = profile_for(outlet)
    rules = [("date-stamp", DATE_STAMP_RE), ("masthead", MASTHEAD_RE)]
    rules += [(r.name, r.pattern) for r in (profile.rules if profile else ()) + GENERIC_RULES]
    parts, names = [], {}
    for k, (name, pattern) in enumerate(rules):
        scoped = f"(?i:{pattern.pattern})" if pattern.flags & re.IGNORECASE else pattern.pattern
        parts.append(f"(?P<r{k}>{scoped})")
        names[f"r{k}"] = name
    return re.compile("|".join(parts)), names


def clean_page(text: str, profile: OutletProfile | None) -> Page:
    """Split a page into headline, standfirst, byline/dateline and body, auditing every removal.

    Assumes LF line ends. Lines are whitespace-normalised (NBSP -> space) before any rule applies.
    """
    lines = normalize_lines(text)
    n = len(lines)
    rule: list[str | None] = [None] * n
    printed = list(lines)  # as printed, for the audit of removed lines
    for i, line in enumerate(lines):
        stamp, rest = chrome.split_crawl_stamp(line)
        if stamp:  # an archive's crawl stamp is not the page's: never its date, never body
            lines[i] = rest.strip()
            if not lines[i]:
                lines[i], rule[i] = stamp, "crawl-stamp"
    nonblank = [i for i, x in enumerate(lines) if x]

    classifier, names = _line_classifier(profile.outlet if profile else None)
    for i in nonblank:
        m = classifier.fullmatch(lines[i])
        if m:
            rule[i] = names[m.lastgroup]

    # Section header under a masthead: one short label and one blurb, up to the next blank line.
    if profile and profile.masthead is not None:
        for i in nonblank:
            if profile.masthead.fullmatch(lines[i]):
                j, took_label = i + 1, False
                while j < n and lines[j]:
                    if not took_label and _words(lines[j]) <= 4 and not _is_sentence(lines[j]):
                        rule[j], took_label = rule[j] or "section-header", True
                    elif _is_sentence(lines[j]) and _words(lines[j]) <= 60:
                        rule[j] = rule[j] or "section-header"
                        break
                    else:
                        break
                    j += 1
                break

    # Teasers: after an image's alt text, the other story's section label and headline.
    if profile and profile.image_alt is not None:
        for i in nonblank:
            if rule[i] and profile.image_alt.fullmatch(lines[i]):
                j = i + 1
                while j < n and lines[j] and rule[j] is None and _is_teaser_line(lines[j]):
                    rule[j] = "teaser"
                    j += 1

    # Teasers after a bare related-link label ("Related coverage:"): the linked stories' headlines.
    for i in nonblank:
        if rule[i] == "related-link" and not re.search(r"[:\-–—]\s*\S", lines[i]):
            j = i + 1
            while j < n and lines[j] and rule[j] is None and _is_teaser_line(lines[j]):
                rule[j] = "teaser"
                j += 1

    # Captions: the paragraph directly above a stand-alone photo-credit line, while the body has
    # not begun (no sentence of running text between it and the byline or top). Inside the body
    # a credit line stands
    # under a photo whose caption was not copied: the paragraph above it is body.
    for i in nonblank:
        if rule[i] == "photo-credit" and re.match(r"Photos?\s*:", lines[i], re.IGNORECASE):
            j = i - 1
            while j >= 0 and not lines[j]:
                j -= 1
            if (
                j >= 0
                and rule[j] is None
                and _words(lines[j]) >= 4
                and j > nonblank[0]
                and not _body_above(lines, rule, j)
            ):
                rule[j] = "caption"

    # Chrome any site prints (captions, promos, notices, repeated lines...): ``wording.chrome``.
    chrome.classify_lines(lines, rule, _is_prose)

    # Where does the body begin? An inline dateline, else a byline line, else the first prose.
    body_start: int | None = None
    dateline = byline = ""
    for i in nonblank:
        if rule[i] is None and (m := match_dateline(lines[i])) and _words(lines[i]) >= 8:
            body_start, dateline = i, m.group("dateline").strip()
            break
    byline_line: int | None = None
    if body_start is None:
        for i in nonblank:
            if rule[i] is None and (m := _match_byline(lines[i])):
                byline_line = i
                byline = (m.group("by") or m.group("credit") or "").strip()
                dateline = (m.group("place1") or m.group("place2") or "").strip()
                break
        start_from = byline_line + 1 if byline_line is not None else 0
        body_start = next(
            (i for i in nonblank if i >= start_from and rule[i] is None and _is_prose(lines[i])),
            None,
        )
    else:
        # A byline line may still stand above an inline dateline ("By Jane Doe" / "MOSCOW (AP) —").
        for i in nonblank:
            if i < body_start and rule[i] is None and (m := _match_byline(lines[i])):
                byline_line, byline = i, (m.group("by") or m.group("credit") or "").strip()
                break

    # Footer: everything below the first end-of-article marker after the body has begun. A
    # "Related stories" box with running text after it is inside the article: only the box goes.
    if body_start is not None:
        for i in nonblank:
            if i > body_start and FOOTER_MARKERS.fullmatch(lines[i]):
                if _RELATED_BOX.fullmatch(lines[i]) and _prose_after(lines, rule, i) >= 2:
                    rule[i] = rule[i] or "related-link"
                    j = i + 1
                    while j < n and (not lines[j] or _is_teaser_line(lines[j])):
                        if lines[j] and rule[j] is None:
                            rule[j] = "teaser"
                        j += 1
                    continue
                for j in range(i, n):
                    if lines[j] and rule[j] is None:
                        rule[j] = "footer"
                break
        chrome.label_after_body(lines, rule, _is_prose)

    page = Page(dateline=dateline, byline=byline)
    if byline_line is not None and body_start is not None:  # without a body it is removed
        page.byline_text = lines[byline_line]
    if body_start is None:
        for i in nonblank:
            page.removed.append((i + 1, printed[i], rule[i] or "before-body"))
        return page
    page.body_found = True

    # A fact box ("Other names: ...", "The players: ...") that runs into a body opening the
    # same way ("The dispute: ...") is body, not headline and standfirst.
    if _FACT_RE.match(lines[body_start]):
        while True:
            prev = [i for i in nonblank if i < body_start and rule[i] is None]
            if not prev or prev[-1] == byline_line or not _FACT_RE.match(lines[prev[-1]]):
                break
            body_start = prev[-1]

    # Above the body: headline (first kept line of 3+ words), standfirst (next kept line).
    above = [i for i in nonblank if i < body_start and rule[i] is None and i != byline_line]
    headline_line = next(
        (i for i in above if _words(lines[i]) >= 3 and _words(lines[i]) <= 40), None
    )
    standfirst_line = None
    if headline_line is not None:
        after = [i for i in above if i > headline_line and _words(lines[i]) >= 5]
        standfirst_line = after[0] if after else None
    for i in above:
        if i == headline_line:
            page.headline = lines[i]
        elif i == standfirst_line:
            page.standfirst = lines[i]
        elif headline_line is None or i < headline_line:
            rule[i] = "above-headline"
        else:
            rule[i] = "before-body"
    for i in nonblank:
        if rule[i] == "date-stamp" and i < body_start and not page.date_stamp:
            page.date_stamp = lines[i]

    # A summary printed above the lead that opens with the lead's words is not body.
    kept = [i for i in range(body_start, n) if lines[i] and rule[i] is None][:2]
    if len(kept) == 2 and chrome.repeated_lead([lines[i] for i in kept]):
        if page.standfirst:
            rule[kept[0]] = "repeated"
        else:
            page.standfirst = lines[kept[0]]
        body_start = kept[1]

    # Body paragraphs. Pages copied from the web put one paragraph on a line; hard-wrapped text
    # (e-mail, wire copy) breaks paragraphs over lines, so there a run of lines is a paragraph.
    body_lines = [i for i in range(body_start, n) if lines[i] and rule[i] is None]
    wrapped = _is_hard_wrapped([lines[i] for i in body_lines])
    current: list[str] = []
    for i in range(body_start, n + 1):
        kept = i < n and lines[i] and rule[i] is None
        if kept and (not wrapped or not current):
            if current:
                page.paragraphs.append(("body", "\n".join(current)))
            current = [lines[i]]
        elif kept:
            current.append(lines[i])
        elif current:
            page.paragraphs.append(("body", "\n".join(current)))
            current = []
    page.paragraphs = _label_subheads(page.paragraphs)

    for i in nonblank:
        if rule[i] is not None:
            page.removed.append((i + 1, printed[i], rule[i]))
    return page


_FACT_RE = re.compile(r"[A-Z][\w()' ]{1,24}:(?!\d)\s*\S")  # "Other Name(s): Dokdo"


def _body_above(lines: list[str], rule: list[str | None], j: int) -> bool:
    """Is there a sentence of running text above line ``j``, below the nearest byline line?"""
    for k in range(j - 1, -1, -1):
        if not lines[k] or rule[k] is not None:
            continue
        if _match_byline(lines[k]):
            return False
        if _is_prose(lines[k]) and _is_sentence(lines[k]):
            return True
    return False


_RELATED_BOX = re.compile(r"Related (?:stories|articles)", re.IGNORECASE)


def _prose_after(lines: list[str], rule: list[str | None], i: int) -> int:
    """How many lines of running text, not yet removed, follow line ``i``."""
    return sum(1 for j in range(i + 1, len(lines)) if rule[j] is None and _is_prose(lines[j]))


def _is_hard_wrapped(lines: list[str]) -> bool:
    """Are paragraphs broken over several lines? Most lines short and ending mid-sentence."""
    if len(lines) < 4:
        return False
    lengths = sorted(len(x) for x in lines)
    open_ended = sum(not _is_sentence(x) for x in lines) / len(lines)
    return lengths[len(lengths) // 2] <= 90 and open_ended >= 0.6


def _label_subheads(paragraphs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A short line with no sentence ending, followed by more body, is a subhead."""
    out = []
    for k, (_kind, text) in enumerate(paragraphs):
        is_last = k == len(paragraphs) - 1
        subhead = (
            not is_last
            and "\n" not in text
            and text[:1].isupper()
            and not _is_sentence(text)
            and _words(text) <= 7
        )
        out.append(("subhead" if subhead else "body", text))
    return out


NO_BODY = (
    "no recognisable article body (no dateline and no paragraph of running text): "
    "check it is an article page"
)


class PageRead(NamedTuple):
    """One file read: its article record or the reason it was rejected, with its audit rows."""

    article: dict | None  # the articles row (``ARTICLE_COLUMNS`` of ``wording.corpus``)
    rejection: str | None  # why the file is not an article
    paragraphs: list[tuple]  # (file, paragraph, kind, text, start, end)
    removed: list[tuple]  # (file, line, text, rule)
    warnings: list[WarningRow]  # (file, line or None, message)
    fingerprint: Fingerprint | None  # for ``wording.duplicates.find_duplicates``


def read_page(raw: bytes, name: str, meta_row: dict | None, meta_label: str) -> PageRead:
    """Decode, clean and record one file named ``name`` with bytes ``raw``; reads no file.

    ``meta_row`` is the file's curated metadata (``wording.pages.read_metadata`` row as a dict
    with its ``line``), or None; ``meta_label`` names the metadata file in warnings. Pure: the
    same input gives the same result in any process.
    """
    kind = (meta_row or {}).get("kind") or ("html" if name.lower().endswith(HTML_SUFFIXES) else "")
    if not is_page_name(name) and not kind:
        reason = "not a .txt file: save the page as plain text (.txt)"
        return PageRead(None, reason, [], [], [], None)
    markup = None
    if kind == "html":
        markup = html_page(raw)
        if markup is None:
            return PageRead(None, NO_HTML_BODY, [], [], [], None)
        decoded = Decoded(markup.text, "html")
        meta_row = _with_markup(meta_row, markup)
    else:
        decoded = decode_page(raw)
    warnings: list[WarningRow] = [(name, None, note) for note in decoded.notes]
    if decoded.problem:
        return PageRead(None, decoded.problem, [], [], warnings, None)
    text, row = decoded.text, meta_row
    curated = row["outlet"].strip() if row is not None else ""
    where = (row.get("where") or f"{meta_label} line {row['line']}") if row is not None else ""
    meta_label = (row or {}).get("label") or meta_label
    marked = markup.whole if markup is not None else text  # markers: the whole page
    outlet, outlet_basis, profile, notes = resolve_outlet(marked, curated, where)
    if outlet == UNKNOWN and markup is not None and markup.sitename:
        outlet = canonical_outlet(markup.sitename) or markup.sitename
        outlet_basis = f"from the page's markup: site name '{markup.sitename}'"
        profile, notes = profile_for(outlet), []
    warnings += [(name, None, note) for note in notes]
    page = clean_page(text, profile)
    sha = hashlib.sha256(raw).hexdigest()
    if row is not None and row["sha256"].strip() and row["sha256"].strip().lower() != sha:
        warnings.append(
            (
                name,
                None,
                f"SHA-256 differs from {where}: the file changed "
                "since it was curated; check it and update the checksum",
            )
        )
    page_date = parse_date(page.date_stamp) if page.date_stamp else None
    dates, notes = resolve_date(row, page_date, page.date_stamp, name, meta_label)
    warnings += notes
    body = page.body
    if not page.body_found or not body.strip():
        return PageRead(None, NO_BODY, [], [], warnings, None)
    headline = page.headline
    if row is not None and row["headline"].strip() and not headline:
        headline = row["headline"].strip()
    n_words, fingerprint = counted_fingerprint(body)
    article = {
        "file": name,
        "outlet": outlet,
        "headline": headline,
        "standfirst": page.standfirst,
        "dateline": page.dateline,
        "byline": page.byline,
        "body": body,
        "removed": "\n".join(f"{ln}: [{r}] {t}" for ln, t, r in page.removed),
        "outlet_basis": outlet_basis,
        "n_words": n_words,
        "n_paragraphs": len(page.paragraphs),
        "n_removed": len(page.removed),
        "sha256": sha,
        "url": row["url"].strip() if row is not None else "",
        "encoding": decoded.encoding,
        **dates,
    }
    removed = [(name, line_no, line, rule) for line_no, line, rule in page.removed]
    return PageRead(article, None, paragraph_rows(name, page), removed, warnings, fingerprint)


NO_HTML_BODY = "HTML page with no article text that trafilatura could find: check it is an article"


def _with_markup(row: dict | None, markup: HtmlPage) -> dict:
    """A metadata row for an HTML page: curated values win, the markup fills the blanks."""
    from wording.pages import METADATA_COLUMNS

    merged = {c: "" for c in METADATA_COLUMNS} | {"line": 0, "where": "", "label": ""}
    merged |= row or {}
    if not merged["date"].strip() and markup.date:
        merged["date"] = markup.date
        merged["date_basis"] = f"stated in the page's markup: '{markup.date}'"
        merged["label"] = merged["label"] or "the page's markup"
    if not merged["headline"].strip():
        merged["headline"] = markup.title
    if not merged["url"].strip():
        merged["url"] = markup.url
    return merged


def paragraph_rows(name: str, page: Page) -> list[tuple]:
    """(file, paragraph, kind, text, start, end) rows; offsets index the body, None elsewhere."""
    rows = []
    k = 0
    parts = (
        ("headline", page.headline),
        ("standfirst", page.standfirst),
        ("byline", page.byline_text),
    )
    for kind, text in parts:
        if text:
            k += 1
            rows.append((name, k, kind, text, None, None))
    offset = 0
    for kind, text in page.paragraphs:
        k += 1
        rows.append((name, k, kind, text, offset, offset + len(text)))
        offset += len(text) + len(PARAGRAPH_SEPARATOR)
    return rows
