"""Pages to articles: read a folder of copied web pages, clean them with an audit, and tabulate.

Every non-blank line of a page ends in exactly one place: the headline, the standfirst, the
byline/dateline, the body, or ``removed_lines`` with the named rule that dropped it. Every file ends
in ``articles`` or ``rejected``. Nothing is dropped without being reported.

Cleaning has two layers:
- outlet profiles (Sputnik, TASS, Taipei Times): site chrome each site wraps around its articles;
- generic rules for pages of any outlet: photo credits, share/subscribe/comment widgets, counters,
  related-story teasers, footers.
No rule names a file or a line number; every rule is listed by ``cleaning_rules()``.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import unicodedata
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from wording import paths
from wording.text import WORD_RE, normalize_lines
from wording.workers import cpus, main_importable, worker_context


class CorpusError(Exception):
    """A problem that stops the build: the corpus or metadata cannot be read at all."""


# ---------------------------------------------------------------------------------------------
# Rules
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """A named cleaning rule. ``pattern`` (full-line, case-sensitive unless flagged) or context."""

    name: str
    description: str
    pattern: re.Pattern | None = None

    def matches(self, line: str) -> bool:
        return self.pattern is not None and self.pattern.fullmatch(line) is not None


def _rule(name: str, description: str, pattern: str | None = None, flags: int = 0) -> Rule:
    return Rule(name, description, re.compile(pattern, flags) if pattern else None)


# Generic line rules: chrome that any news site wraps around an article. Full-line matches only, so
# a sentence that merely mentions "subscribe" or "comments" is never touched.
GENERIC_RULES: tuple[Rule, ...] = (
    _rule(
        "photo-credit",
        "a photo credit line (©, 'Photo:', 'Image:', agency photo tags)",
        r"(?:©|\(c\)|Copyright\b|Photos?(?: courtesy of)?\s*:|Image\s*:|Picture\s*:|Credit\s*:|"
        r"Getty Images\b|AFP PHOTO\b|REUTERS/|AP Photo/).*",
        re.IGNORECASE,
    ),
    _rule(
        "widget",
        "a share, subscribe, print or follow button",
        r"(?:Subscribe(?: now)?|Share(?: this(?: article| story)?)?|Tweet|Email|Print|Save|"
        r"Copy link|Get short URL|Follow (?:us|[A-Z][\w&.]{0,20})(?: on .{1,40})?|"
        r"Sign up(?: for .{1,60})?|Listen(?: to this article)?|"
        r"Advertisement|ADVERTISEMENT|Sponsored(?: content)?|Log in|Sign in|Register)\.?",
        re.IGNORECASE,
    ),
    _rule(
        "comments-widget",
        "a comment-section widget (log-in prompts, moderation notices, comment counters)",
        r"(?:To participate in the discussion|log in or register|loader|Chats|Comments?|"
        r"Show (?:all |new )?comments(?: \(\d+\))?|Leave a comment|Add a comment|"
        r"Comments will be moderated\..*|\d+ comments?)\.?",
        re.IGNORECASE,
    ),
    _rule(
        "counter",
        "a view, page or share counter, or a bare number",
        r"(?:[\d.,]+[KkMm]?|This (?:story|article) has been viewed [\d,]+ times\.?|"
        r"[\d,]+ (?:views?|reads?|shares?|pages? in this article))",
        re.IGNORECASE,
    ),
    _rule(
        "related-link",
        "a related-story link ('Read more:', 'Also read:', 'Related:')",
        r"(?:Read more|READ MORE|Also read|Read also|Related(?: [a-z]+)?|RELATED(?: [A-Z]+)?|"
        r"See also|More on this|Recommended)(?:\s*[:\-–—]\s*.{0,200})?",
    ),
    _rule(
        "navigation",
        "site navigation: menus, 'back to top', 'show more', partner-link headers",
        r"(?:(?:[^|]{1,30}\|){2,}[^|]{0,30}|Back to top|TOP top|Top|Show more|Load more|"
        r"In other media|Partner News|Home|Menu|Search|All news|Most read|Most popular|"
        r"Latest news|Trending)",
    ),
    _rule(
        "legal",
        "copyright, cookie and terms notices",
        r"(?:All rights reserved.*|.*\buses? cookies\b.*|Terms of (?:use|service).*|"
        r"Privacy policy.*)",
        re.IGNORECASE,
    ),
    _rule(
        "other-script",
        "a line wholly in another script (Cyrillic, CJK) on an English page: untranslated widget",
        r"[^A-Za-z]*[\u0400-\u04FF\u3000-\u9FFF][^A-Za-z]*",
    ),
)

# Context rules: they look at a line's neighbours, so they carry no pattern.
CONTEXT_RULES: tuple[Rule, ...] = (
    _rule(
        "teaser",
        "a related-story teaser: the section label and headline of another story that follow an "
        "image's alt text (e.g. 'X - Sputnik International'), with no blank line before the body",
    ),
    _rule("caption", "a photo caption: the paragraph directly above a photo-credit line"),
    _rule(
        "footer",
        "below the end-of-article marker (comment widget, 'Show more', view counter): page footer",
    ),
    _rule("section-header", "the site's section name and blurb under the masthead"),
    _rule("masthead", "a line that is only an outlet's name (the site's masthead)"),
    _rule("above-headline", "above the headline: page header, menus, site name"),
    _rule(
        "before-body",
        "between headline and body and neither standfirst nor byline (e.g. a second summary line)",
    ),
    _rule("date-stamp", "the page's date/time stamp (its date is kept in articles.date_basis)"),
)

# Markers of the end of an article: once one is seen after the body has begun, the rest is footer.
FOOTER_MARKERS = re.compile(
    r"(?:Newsfeed|To participate in the discussion|Show more|In other media|Partner News|"
    r"This (?:story|article) has been viewed [\d,]+ times\.?|Comments will be moderated\..*|"
    r"Related (?:stories|articles)|More from .{1,40}|Most read)",
    re.IGNORECASE,
)

MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
# A line that is only a date stamp, e.g. TASS "May 21, 2018, 9:56 UTC+3 TOKYO", Taipei Times
# "Tue, Mar 21, 2017 - Page 6 News List", "Published: 21 March 2017", "2017-03-21 10:00".
DATE_STAMP_RE = re.compile(
    r"(?:(?:Published|Updated|Posted|Last updated)\s*:?\s*)?"
    r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\s+)?"
    rf"(?P<date>(?:(?:{MONTHS})\.?\s+\d{{1,2}},?\s+\d{{4}})|(?:\d{{1,2}}\s+(?:{MONTHS})\.?,?\s+\d{{4}})"
    r"|(?:\d{4}-\d{2}-\d{2}))"
    r"(?:(?:,|\s*[|\-–])?\s+\d{1,2}:\d{2}(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s*(?:UTC|GMT|MSK|JST)(?:\s*[+-]\s*\d{1,2})?)?)?"
    r"(?:\s+[A-Z][A-Z .,'’-]*)?"
    r"(?:\s*-\s*Page\s+\d+(?:\s+News List)?)?",
)
_DATE_FORMATS = ("%B %d %Y", "%b %d %Y", "%d %B %Y", "%d %b %Y", "%Y-%m-%d")

# Inline datelines that open the first body paragraph:
#   Sputnik "TOKYO (Sputnik) — ...", TASS "TOKYO, May 21. /TASS/. ...",
#   wires "MOSCOW, March 3 (Reuters) - ...", "WASHINGTON (AP) — ...", "TOKYO — ...".
DATELINE_RE = re.compile(
    r"(?P<dateline>(?P<place>[A-Z][A-Z'’.\-]*(?:[ ][A-Z][A-Z'’.\-]*){0,4})"
    rf"(?:,\s*(?P<day>(?:{MONTHS})\.?\s+\d{{1,2}}))?)"
    r"(?:\s*\((?P<credit>[^()]{2,40})\)\s*,?|\.?\s*/(?P<slash>[A-Za-z\-]{2,12})/\.?)?"
    r"\s*(?:[—–-]{1,2}|:)?\s+(?=\S)"
)

# A separate byline/dateline line, e.g. Taipei Times "Reuters and AP, TOKYO", "AFP, MOSCOW",
# "Staff writer, with CNA", "By Jason Pan / Staff reporter".
BYLINE_RE = re.compile(
    r"(?:(?:By|BY|by)\s+(?P<by>[^,]{2,80}?)(?:,\s*(?P<place1>[A-Z][A-Z .'’-]+))?"
    r"|(?P<credit>[^,]{2,40}(?:,\s*with\s+[^,]{2,30})?),\s*(?P<place2>[A-Z][A-Z .'’-]{2,}))"
)
_WIRE_WORDS = re.compile(
    r"\b(?:Reuters|AP|AFP|Bloomberg|CNA|Kyodo|Xinhua|Yonhap|Agencies|NYT|Staff|Dow Jones|"
    r"Jiji|DPA|UPI|Tribune|Guardian|Washington Post)\b",
    re.IGNORECASE,
)
_TERMINAL = re.compile(r"[.!?…][\"'”’)\]]*$|[\"”’]$")


@dataclass(frozen=True)
class OutletProfile:
    """What marks a page as this outlet's, and the chrome its site wraps around articles."""

    outlet: str
    markers: tuple[tuple[str, re.Pattern], ...]
    rules: tuple[Rule, ...] = ()
    aliases: tuple[str, ...] = ()
    masthead: re.Pattern | None = None
    image_alt: re.Pattern | None = None
    # A literal each marker needs (by marker description): pages without it skip the regex.
    needles: dict[str, str] = field(default_factory=dict)


def _marker(description: str, pattern: str, flags: int = re.MULTILINE) -> tuple[str, re.Pattern]:
    return description, re.compile(pattern, flags)


PROFILES: tuple[OutletProfile, ...] = (
    OutletProfile(
        outlet="Sputnik",
        needles={
            "dateline credit '(Sputnik)'": "(Sputnik)",
            "image alt text ending '- Sputnik International'": " - Sputnik International",
            "masthead 'Sputnik International'": "Sputnik International",
        },
        aliases=("Sputnik International", "Sputnik News", "sputniknews"),
        markers=(
            _marker(
                "dateline credit '(Sputnik)'", r"^[A-Z][A-Z .,'’\-]+(?:, \w+ \d+)?\s*\(Sputnik\)"
            ),
            _marker(
                "image alt text ending '- Sputnik International'", r" - Sputnik International$"
            ),
            _marker("masthead 'Sputnik International'", r"^-?\s*Sputnik International\s*$"),
        ),
        masthead=re.compile(r"-?\s*Sputnik International"),
        image_alt=re.compile(r".+ - Sputnik International"),
        rules=(
            _rule(
                "sputnik:image-alt",
                "an image's alt text, which Sputnik ends with ' - Sputnik International'",
                r".+ - Sputnik International",
            ),
            _rule(
                "sputnik:mediabank",
                "Sputnik's photo-bank link",
                r".*Go to the mediabank.*",
            ),
        ),
    ),
    OutletProfile(
        outlet="TASS",
        needles={"dateline credit '/TASS/'": "/TASS/", "TASS date stamp with 'UTC+3'": "UTC+3"},
        aliases=("TASS Russian News Agency", "ITAR-TASS", "tass.com"),
        markers=(
            _marker("dateline credit '/TASS/'", r"/TASS/"),
            _marker("TASS date stamp with 'UTC+3'", r"^\w+ \d{1,2}, \d{4}, \d{1,2}:\d{2} UTC\+3"),
        ),
        rules=(
            _rule(
                "tass:navigation",
                "TASS's page header: currency converter, news search and feed filter",
                r"(?:Currency converter|All news|News Search Topics|Use filter|"
                r"You can filter your feed,|by choosing only interesting)",
            ),
            _rule("tass:page-count", "TASS's page counter", r"\d+ pages? in this article"),
        ),
    ),
    OutletProfile(
        outlet="Taipei Times",
        needles={
            "view counter 'This story has been viewed'": "This story has been viewed",
            "print page header '- Page N News List'": " News List",
            "masthead 'Taipei Times'": "Taipei Times",
        },
        aliases=("The Taipei Times", "taipeitimes.com"),
        markers=(
            _marker("view counter 'This story has been viewed'", r"^This story has been viewed"),
            _marker("print page header '- Page N News List'", r" - Page \d+ News List\s*$"),
            _marker("masthead 'Taipei Times'", r"\bTaipei Times\b"),
        ),
        rules=(
            _rule(
                "taipeitimes:page-header",
                "the Taipei Times print page header (date, page, 'News List')",
                r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \w{3} \d{1,2}, \d{4} - Page \d+(?: News List)?",
            ),
        ),
    ),
    # Outlets recognised by their markers, cleaned with the generic rules only.
    OutletProfile(
        outlet="The Japan Times",
        needles={"masthead 'The Japan Times'": "The Japan Times"},
        aliases=("Japan Times",),
        markers=(_marker("masthead 'The Japan Times'", r"\bThe Japan Times\b"),),
    ),
    OutletProfile(
        outlet="Kyodo",
        aliases=("Kyodo News",),
        markers=(_marker("dateline credit '(Kyodo)'", r"\((?:Kyodo|KYODO)\)"),),
    ),
    OutletProfile(
        outlet="NHK",
        aliases=("NHK World", "NHK WORLD-JAPAN"),
        markers=(_marker("masthead 'NHK World'", r"\bNHK WORLD\b", re.MULTILINE | re.IGNORECASE),),
    ),
    OutletProfile(
        outlet="RT",
        aliases=("Russia Today", "RT News", "rt.com"),
        markers=(_marker("masthead 'RT'", r"^(?:RT News|RT International|rt\.com)\b"),),
    ),
    OutletProfile(
        outlet="Reuters",
        needles={"dateline credit '(Reuters)'": "(Reuters)"},
        markers=(_marker("dateline credit '(Reuters)'", r"\(Reuters\)\s*[-—–]"),),
    ),
    OutletProfile(
        outlet="AP",
        needles={"dateline credit '(AP)'": "(AP)"},
        aliases=("Associated Press",),
        markers=(_marker("dateline credit '(AP)'", r"\(AP\)\s*[-—–]"),),
    ),
)
# A line that is just an outlet's name, perhaps with "Online", "News"...: the site's masthead.
MASTHEAD_RE = re.compile(
    r"(?:-\s*)?(?:The\s+)?(?:"
    + "|".join(re.escape(n) for p in PROFILES for n in (p.outlet, *p.aliases) if len(n) > 3)
    + r")(?:\s+(?:Online|News|International|English|World|Digital|Edition))*",
    re.IGNORECASE,
)
_PROFILE_BY_NAME = {name.casefold(): p for p in PROFILES for name in (p.outlet, *p.aliases)}
UNKNOWN = "unknown"


def profile_for(outlet: str | None) -> OutletProfile | None:
    """The profile of a named outlet (aliases accepted, case-insensitive), or None."""
    if not outlet:
        return None
    return _PROFILE_BY_NAME.get(outlet.strip().casefold())


def infer_outlet(text: str) -> tuple[str, str]:
    """(outlet, basis): the first profile whose marker the page carries, else ('unknown', ...)."""
    for profile in PROFILES:
        for description, pattern in profile.markers:
            needle = profile.needles.get(description, "")
            if needle and needle not in text:  # fast path: no literal, no match
                continue
            if pattern.search(text):
                return profile.outlet, f"inferred from the page: {description}"
    return UNKNOWN, "no outlet marker found on the page"


def cleaning_rules() -> pd.DataFrame:
    """Every rule that can remove a line: name, scope (outlet or generic), description."""
    rows = [(r.name, "generic", r.description) for r in GENERIC_RULES + CONTEXT_RULES]
    rows += [(r.name, p.outlet, r.description) for p in PROFILES for r in p.rules]
    return pd.DataFrame(rows, columns=["rule", "scope", "description"])


def rule_names() -> set[str]:
    return set(cleaning_rules()["rule"])


# ---------------------------------------------------------------------------------------------
# Reading files
# ---------------------------------------------------------------------------------------------


@dataclass
class Decoded:
    text: str | None
    encoding: str
    problem: str | None = None  # a reason to reject the file
    notes: list[str] = field(default_factory=list)  # warnings


# Control bytes that never occur in text (tab, LF, FF, CR and ESC-free text only).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


def _looks_binary(raw: bytes) -> bool:
    sample = raw[:8192]
    if b"\x00" in sample:
        return True
    control = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return control > max(8, len(sample) // 50)


_CYRILLIC_WORD = re.compile(r"[\u0400-\u04FF]{2,}")
_ACCENTED_WORD = re.compile(r"[A-Za-z\u00C0-\u00FF]*[\u00C0-\u00FF][A-Za-z\u00C0-\u00FF]*")


def decode_page(raw: bytes) -> Decoded:
    """Decode a page's bytes: UTF-8 (BOM allowed), else Windows-1251 or Windows-1252 by content.

    Line ends become LF. A legacy encoding is a warning, not a rejection: the guess is written down.
    """
    if not raw.strip():
        return Decoded(None, "", "empty or whitespace-only file: nothing to analyse; remove it")
    if _looks_binary(raw):
        return Decoded(
            None, "", "binary file (NUL or control bytes), not text: export the page as plain text"
        )
    notes: list[str] = []
    try:
        text = raw.decode("utf-8-sig")
        encoding = "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8"
    except UnicodeDecodeError:
        # Score the two usual legacy code pages by how many decoded non-ASCII characters are letters
        # of the script each implies; Cyrillic text decoded as 1252 gives accented Latin gibberish.
        cyr = raw.decode("cp1251", errors="replace")
        lat = raw.decode("cp1252", errors="replace")
        # Cyrillic read as 1252 becomes runs of accented letters ("Èçâåñòèÿ"); real Latin-1 text
        # has accents inside otherwise ASCII words ("café"). Score each reading by what it implies.
        cyr_score = sum(len(w) for w in _CYRILLIC_WORD.findall(cyr))
        lat_score = sum(
            sum(ord(c) > 127 for c in w)
            for w in _ACCENTED_WORD.findall(lat)
            if sum(c.isascii() for c in w) >= sum(ord(c) > 127 for c in w)
        )
        if cyr_score > lat_score:
            text, encoding = cyr, "windows-1251"
        else:
            text, encoding = lat, "windows-1252"
        notes.append(
            f"not UTF-8: decoded as {encoding} (guessed from its characters); "
            "re-save the file as UTF-8 to be sure"
        )
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    if text.count("\ufffd") > 0:
        notes.append(f"{text.count(chr(0xFFFD))} undecodable characters replaced by U+FFFD")
    if not text.strip():
        return Decoded(None, encoding, "whitespace-only file after decoding: remove it")
    return Decoded(text, encoding, None, notes)


# ---------------------------------------------------------------------------------------------
# Cleaning one page
# ---------------------------------------------------------------------------------------------


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
        return "\n\n".join(text for _, text in self.paragraphs)


@functools.lru_cache(maxsize=1 << 16)
def _words(line: str) -> int:
    return len(WORD_RE.findall(line))


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


def _is_sentence(line: str) -> bool:
    """Ends like a sentence (period, question mark, closing quote...)."""
    # Only the end of the line matters; searching the whole of a long paragraph would be slow.
    return bool(_TERMINAL.search(line[-8:]))


def _title_case_share(line: str) -> float:
    words = [w for w in WORD_RE.findall(line) if len(w) > 3]
    if not words:
        return 0.0
    return sum(w[0].isupper() for w in words) / len(words)


def _is_prose(line: str) -> bool:
    """A paragraph of running text rather than a label or headline."""
    n = _words(line)
    return (n >= 8 and _is_sentence(line)) or n >= 25


def _is_teaser_line(line: str) -> bool:
    """A short label or headline of another story (no sentence ending, or in Title Case)."""
    n = _words(line)
    if n == 0 or n > 22 or _match_dateline(line):
        return False
    return not _is_sentence(line) or (_title_case_share(line) >= 0.6 and not line.endswith("."))


def _credit_ok(m: re.Match | None) -> bool:
    """An inline dateline needs an agency credit or a dash after an all-caps place."""
    if m is None:
        return False
    if m.group("credit") or m.group("slash"):
        return True
    tail = m.group(0).rstrip()
    return len(m.group("place")) >= 3 and tail.endswith(("—", "–", "-", "--"))


def _match_dateline(line: str) -> re.Match | None:
    m = DATELINE_RE.match(line)
    return m if _credit_ok(m) else None


def _match_byline(line: str) -> re.Match | None:
    if _words(line) > 12 or _is_sentence(line):
        return None
    m = BYLINE_RE.fullmatch(line)
    if m is None:
        return None
    if m.group("credit") is not None and not _WIRE_WORDS.search(m.group("credit")):
        return None
    return m


def parse_date(text: str) -> date | None:
    """The first full date in ``text`` ("May 21, 2018", "21 March 2017", "2017-03-21"), or None."""
    m = DATE_STAMP_RE.search(text)
    if not m:
        return None
    raw = re.sub(r"[.,]", " ", m.group("date"))
    raw = re.sub(r"\bSept\b", "Sep", " ".join(raw.split()))
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    return None


def clean_page(text: str, profile: OutletProfile | None) -> Page:
    """Split a page into headline, standfirst, byline/dateline and body, auditing every removal.

    Assumes LF line ends. Lines are whitespace-normalised (NBSP -> space) before any rule applies.
    """
    lines = normalize_lines(text)
    n = len(lines)
    rule: list[str | None] = [None] * n
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

    # Captions: the paragraph directly above a stand-alone photo-credit line.
    for i in nonblank:
        if rule[i] == "photo-credit" and re.match(r"Photos?\s*:", lines[i], re.IGNORECASE):
            j = i - 1
            while j >= 0 and not lines[j]:
                j -= 1
            if j >= 0 and rule[j] is None and _words(lines[j]) >= 4 and j > nonblank[0]:
                rule[j] = "caption"

    # Where does the body begin? An inline dateline, else a byline line, else the first prose.
    body_start: int | None = None
    dateline = byline = ""
    for i in nonblank:
        if rule[i] is None and (m := _match_dateline(lines[i])) and _words(lines[i]) >= 8:
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

    # Footer: everything below the first end-of-article marker after the body has begun.
    if body_start is not None:
        for i in nonblank:
            if i > body_start and FOOTER_MARKERS.fullmatch(lines[i]):
                for j in range(i, n):
                    if lines[j] and rule[j] is None:
                        rule[j] = "footer"
                break

    page = Page(dateline=dateline, byline=byline)
    if byline_line is not None:
        page.byline_text = lines[byline_line]
    if body_start is None:
        for i in nonblank:
            page.removed.append((i + 1, lines[i], rule[i] or "before-body"))
        return page
    page.body_found = True

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
            page.removed.append((i + 1, lines[i], rule[i]))
    return page


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


# ---------------------------------------------------------------------------------------------
# Metadata
# ---------------------------------------------------------------------------------------------

METADATA_COLUMNS = ("file", "outlet", "date", "date_basis", "url", "sha256", "headline", "notes")


def read_metadata(path: Path) -> tuple[pd.DataFrame, list[tuple[str, int | None, str]]]:
    """Read curated metadata; return rows keyed by file and warnings (file, line, message).

    Stops (CorpusError) only when the file cannot be read or has no ``file`` column.
    """
    warnings: list[tuple[str, int | None, str]] = []
    label = paths.display(path)
    if not Path(path).is_file():
        raise CorpusError(f"metadata file {label} not found: pass --metadata PATH or omit it")
    try:
        meta = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except Exception as exc:  # pandas raises several types for a broken CSV
        raise CorpusError(f"metadata file {label} is not a readable CSV ({exc})") from exc
    meta.columns = [c.strip() for c in meta.columns]
    if "file" not in meta.columns:
        raise CorpusError(
            f"metadata file {label} has no 'file' column (it has: {', '.join(meta.columns)}); "
            "add a 'file' column naming each page's file"
        )
    unknown = [c for c in meta.columns if c not in METADATA_COLUMNS]
    if unknown:
        warnings.append(
            (
                label,
                None,
                f"unknown column(s) ignored: {', '.join(unknown)} "
                f"(known: {', '.join(METADATA_COLUMNS)})",
            )
        )
    for col in METADATA_COLUMNS:
        if col not in meta.columns:
            meta[col] = ""
    meta["line"] = np.arange(2, len(meta) + 2)  # header is line 1
    meta["file"] = meta["file"].str.strip()
    dup = meta["file"].duplicated(keep="first") & (meta["file"] != "")
    for row in meta[dup].itertuples():
        warnings.append((label, row.line, f"second row for {row.file} ignored (first row kept)"))
    blank = meta["file"] == ""
    for row in meta[blank].itertuples():
        warnings.append((label, row.line, "row with an empty 'file' ignored"))
    meta = meta[~dup & ~blank]
    return meta[[*METADATA_COLUMNS, "line"]].set_index("file", drop=False), warnings


def _valid_iso_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------------
# The corpus
# ---------------------------------------------------------------------------------------------

ARTICLE_COLUMNS = [
    "file", "outlet", "date", "headline", "standfirst", "dateline", "byline", "body", "removed",
    "date_basis", "outlet_basis", "n_words", "n_paragraphs", "n_removed", "sha256", "url",
    "encoding", "date_earliest", "date_latest",
]  # fmt: skip


@dataclass
class Corpus:
    """The cleaned corpus: articles, their paragraphs, the removal audit, rejections, warnings."""

    articles: pd.DataFrame
    paragraphs: pd.DataFrame
    removed_lines: pd.DataFrame
    rejected: pd.DataFrame
    warnings: pd.DataFrame
    n_files: int

    def accounting(self) -> str:
        """The one-line account: every file read is an article or a rejection."""
        return (
            f"{self.n_files} files: {len(self.articles)} articles, {len(self.rejected)} rejected, "
            f"{len(self.warnings)} warnings"
        )


def list_pages(corpus_dir: Path) -> list[Path]:
    """Every regular, non-hidden file directly in ``corpus_dir``, sorted by name."""
    return [Path(corpus_dir) / name for name in _scan_folder(corpus_dir)[0]]


def _scan_folder(corpus_dir: Path) -> tuple[list[str], list[str], list[str]]:
    """Names of the pages, subfolders and hidden files directly in ``corpus_dir``, each sorted.

    One ``os.scandir`` pass: the directory entries tell files from folders without a ``stat``
    call per file (100,000 pages list in a fraction of a second).
    """
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise CorpusError(f"corpus folder {corpus_dir} does not exist or is not a folder")
    pages, folders, hidden = [], [], []
    with os.scandir(corpus_dir) as entries:
        for entry in entries:
            if entry.is_dir():
                folders.append(entry.name)
            elif entry.name.startswith("."):
                hidden.append(entry.name)
            elif entry.is_file():
                pages.append(entry.name)
    return sorted(pages), sorted(folders), sorted(hidden)


def load_corpus(
    corpus_dir: str | Path, metadata_csv: str | Path | None = None, workers: int | None = None
) -> Corpus:
    """Read every file in ``corpus_dir``, clean each page and build the corpus tables.

    Metadata is optional per file: curated values win; missing ones are inferred from the page and
    their basis recorded. Large folders are cleaned by ``workers`` processes (default: twice the
    CPUs, since a worker waiting for the disk leaves its CPU to another; at 100,000 pages on two
    cores, 4 workers loaded in 35.5 s from a cold page cache where 2 took 41.4 s); the result
    does not depend on their number. Never writes to ``corpus_dir``.
    """
    if workers is None:
        workers = 2 * cpus()
    corpus_dir = Path(corpus_dir)
    names, folders, hidden = _scan_folder(corpus_dir)
    warnings: list[tuple[str, int | None, str]] = []
    if metadata_csv is not None:
        meta, meta_warnings = read_metadata(Path(metadata_csv))
        warnings += meta_warnings
        meta_label = paths.display(metadata_csv)
    else:
        meta, meta_label = pd.DataFrame(columns=[*METADATA_COLUMNS, "line"]).set_index("file"), ""

    present = set(names)
    for row in meta.itertuples():
        if row.file not in present:
            warnings.append(
                (
                    meta_label,
                    row.line,
                    f"metadata row for {row.file}, which is not in the corpus "
                    "folder: fix the name or remove the row",
                )
            )
    # Subfolders and hidden files, in name order (as one listing would give them).
    skipped = [(f + "/", "subfolder not read: move its pages up a level") for f in folders]
    skipped += [(h, "hidden file not read") for h in hidden]
    for name, message in sorted(skipped, key=lambda x: x[0].rstrip("/")):
        warnings.append((name, None, message))

    rows = {f: r for f, r in zip(meta.index, meta.to_dict("records"), strict=True)}
    paths_ = [os.path.join(corpus_dir, name) for name in names]
    parallel = workers > 1 and len(names) >= PARALLEL_MIN_FILES
    size = CHUNK_FILES if parallel else max(1, len(paths_))
    chunks = [paths_[i : i + size] for i in range(0, len(paths_), size)] or [[]]
    jobs = [
        (
            chunk,
            {n: rows[n] for n in map(os.path.basename, chunk) if n in rows},
            meta_label,
        )
        for chunk in chunks
    ]
    article_parts: list[pd.DataFrame] = []
    paragraph_parts: list[pd.DataFrame] = []
    removed_parts: list[pd.DataFrame] = []
    rejected: list[dict] = []
    fingerprints: dict[str, tuple[int, tuple[int, ...]]] = {}

    def collect(part: _Processed) -> None:
        # Each chunk becomes DataFrame pieces at once, so only one chunk's lists are ever alive.
        article_parts.append(pd.DataFrame(part.articles, columns=ARTICLE_COLUMNS))
        paragraph_parts.append(
            pd.DataFrame.from_records(part.paragraphs, columns=PARAGRAPH_COLUMNS)
        )
        removed_parts.append(pd.DataFrame.from_records(part.removed, columns=REMOVED_COLUMNS))
        rejected.extend(part.rejected)
        warnings.extend(part.warnings)
        fingerprints.update(part.fingerprints)

    done = 0
    if parallel and main_importable():
        try:
            with ProcessPoolExecutor(max_workers=workers, mp_context=worker_context()) as pool:
                for part in pool.map(_process_files, *zip(*jobs, strict=True)):  # in file order
                    collect(part)
                    done += 1
        except BrokenProcessPool:  # workers could not start or died: the rest runs here
            pass
    for job in jobs[done:]:
        collect(_process_files(*job))

    articles_df = pd.concat(article_parts, ignore_index=True)
    articles_df, dup_rejected = _drop_duplicates(articles_df, fingerprints)
    rejected += dup_rejected
    dropped = {r["file"] for r in dup_rejected}
    paragraphs_df = pd.concat(paragraph_parts, ignore_index=True)
    removed_df = pd.concat(removed_parts, ignore_index=True)
    if dropped:
        paragraphs_df = paragraphs_df[~paragraphs_df["file"].isin(dropped)].reset_index(drop=True)
        removed_df = removed_df[~removed_df["file"].isin(dropped)].reset_index(drop=True)
    paragraphs_df[["start", "end"]] = paragraphs_df[["start", "end"]].astype("Int64")
    rejected_df = (
        pd.DataFrame(rejected, columns=["file", "reason"])
        .sort_values("file", kind="stable")
        .reset_index(drop=True)
    )
    warnings_df = pd.DataFrame(
        [{"file": f, "line": ln, "message": m} for f, ln, m in warnings],
        columns=["file", "line", "message"],
    ).astype({"line": "Int64"})
    return Corpus(articles_df, paragraphs_df, removed_df, rejected_df, warnings_df, len(names))


PARALLEL_MIN_FILES = 1000  # below this, starting worker processes costs more than it saves
CHUNK_FILES = 1000  # files per task: small enough that few chunks' results are in memory at once
PARAGRAPH_COLUMNS = ["file", "paragraph", "kind", "text", "start", "end"]
REMOVED_COLUMNS = ["file", "line", "text", "rule"]


@dataclass
class _Processed:
    articles: list[dict] = field(default_factory=list)
    paragraphs: list[tuple] = field(default_factory=list)
    removed: list[tuple] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)
    warnings: list[tuple[str, int | None, str]] = field(default_factory=list)
    fingerprints: dict[str, tuple[int, tuple[int, ...]]] = field(default_factory=dict)


def _process_files(files: list[str], rows: dict[str, dict], meta_label: str) -> _Processed:
    """Read, decode and clean pages (one worker's share); every file ends in one list."""
    out = _Processed()
    for file in files:
        path = Path(file)
        name = path.name
        if path.suffix.lower() != ".txt":
            out.rejected.append(
                {"file": name, "reason": "not a .txt file: save the page as plain text (.txt)"}
            )
            continue
        raw = path.read_bytes()
        decoded = decode_page(raw)
        out.warnings += [(name, None, note) for note in decoded.notes]
        if decoded.problem:
            out.rejected.append({"file": name, "reason": decoded.problem})
            continue
        record, page, more = _article_record(name, raw, decoded.text, rows.get(name), meta_label)
        out.warnings += more
        if not page.body_found or not page.body.strip():
            out.rejected.append(
                {
                    "file": name,
                    "reason": "no recognisable article body (no dateline and no "
                    "paragraph of running text): check it is an article page",
                }
            )
            continue
        record["encoding"] = decoded.encoding
        out.articles.append(record)
        record["n_words"], out.fingerprints[name] = counted_fingerprint(record["body"])
        out.removed += [(name, line_no, text, rule) for line_no, text, rule in page.removed]
        out.paragraphs += _paragraph_rows(name, page)
    return out


def _article_record(
    name: str, raw: bytes, text: str, row, meta_label: str
) -> tuple[dict, Page, list[tuple[str, int | None, str]]]:
    warnings: list[tuple[str, int | None, str]] = []
    inferred_outlet, inferred_basis = infer_outlet(text)
    curated_outlet = (row["outlet"].strip() if row is not None else "") or ""
    if curated_outlet:
        profile = profile_for(curated_outlet)
        outlet = profile.outlet if profile else curated_outlet
        outlet_basis = f"curated ({meta_label} line {row['line']})"
        if profile is None:
            warnings.append(
                (
                    name,
                    None,
                    f"outlet '{curated_outlet}' has no cleaning profile: generic rules used",
                )
            )
        if inferred_outlet not in (UNKNOWN, outlet):
            warnings.append(
                (
                    name,
                    None,
                    f"metadata says {outlet} but the page looks like {inferred_outlet} "
                    f"({inferred_basis}): check {meta_label} line {row['line']}",
                )
            )
    else:
        outlet, outlet_basis = inferred_outlet, inferred_basis
        profile = profile_for(outlet)
        if outlet == UNKNOWN:
            warnings.append(
                (
                    name,
                    None,
                    "outlet not recognised: recorded as 'unknown', generic cleaning rules "
                    "used; add a metadata row (file,outlet) to name it",
                )
            )
    page = clean_page(text, profile)

    sha = hashlib.sha256(raw).hexdigest()
    record = {
        "file": name,
        "outlet": outlet,
        "headline": page.headline,
        "standfirst": page.standfirst,
        "dateline": page.dateline,
        "byline": page.byline,
        "body": page.body,
        "removed": "\n".join(f"{ln}: [{r}] {t}" for ln, t, r in page.removed),
        "outlet_basis": outlet_basis,
        "n_words": None,  # counted with the duplicate fingerprint (``counted_fingerprint``)
        "n_paragraphs": len(page.paragraphs),
        "n_removed": len(page.removed),
        "sha256": sha,
        "url": row["url"].strip() if row is not None else "",
        "date_earliest": "",
        "date_latest": "",
    }
    if row is not None and row["sha256"].strip() and row["sha256"].strip().lower() != sha:
        warnings.append(
            (
                name,
                None,
                f"SHA-256 differs from {meta_label} line {row['line']}: the file changed "
                "since it was curated; check it and update the checksum",
            )
        )
    if row is not None and row["headline"].strip() and not page.headline:
        record["headline"] = row["headline"].strip()

    # Date: curated (with its basis) wins; else the page's own date stamp; else empty, said so.
    curated_date = row["date"].strip() if row is not None else ""
    page_date = parse_date(page.date_stamp) if page.date_stamp else None
    if curated_date and _valid_iso_date(curated_date):
        record["date"] = _valid_iso_date(curated_date).isoformat()
        record["date_basis"] = (
            row["date_basis"].strip() or f"curated ({meta_label}), no basis given"
        )
        if not row["date_basis"].strip():
            warnings.append(
                (meta_label, int(row["line"]), f"{name}: date given without a date_basis")
            )
    else:
        if curated_date:
            warnings.append(
                (
                    meta_label,
                    int(row["line"]),
                    f"{name}: malformed date '{curated_date}' ignored "
                    "(use ISO YYYY-MM-DD, or leave it empty and explain in date_basis)",
                )
            )
        if page_date:
            record["date"] = page_date.isoformat()
            record["date_basis"] = f"inferred: the page states '{page.date_stamp}'"
        else:
            record["date"] = ""
            basis = row["date_basis"].strip() if row is not None else ""
            record["date_basis"] = basis or "unknown: the page states no date"
            if row is not None:
                record["date_earliest"], record["date_latest"] = _date_range(basis)
    return record, page, warnings


_RANGE_RE = re.compile(r"between (\d{4}-\d{2}-\d{2}) and (\d{4}-\d{2}-\d{2})")


def _date_range(basis: str) -> tuple[str, str]:
    """A curated 'between YYYY-MM-DD and YYYY-MM-DD' window for an undated article, if given."""
    m = _RANGE_RE.search(basis)
    return (m.group(1), m.group(2)) if m else ("", "")


def _paragraph_rows(name: str, page: Page) -> list[tuple]:
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
        offset += len(text) + 2
    return rows


# ---------------------------------------------------------------------------------------------
# Duplicates
# ---------------------------------------------------------------------------------------------

NEAR_DUPLICATE_JACCARD = 0.8  # share of 3-word shingles two bodies must share to be one article
_SHINGLE = 3
# Candidates for near-duplication share at least this share of their sentences verbatim.
_CANDIDATE_SHARE = 0.3
# A sentence found in more articles than this is boilerplate: it proposes no more candidates.
_COMMON_SENTENCE = 50
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


# A word, or the NUL that marks a sentence end (put there by ``_SENTENCE_END``).
_WORD_OR_END = re.compile(WORD_RE.pattern + "|\x00")


def _counted_sentences(body: str) -> tuple[int, list[str]]:
    """(number of words, the body's sentences as their words case-folded and joined by single
    spaces): one tokenisation serves the word count, the duplicate fingerprints and the
    near-duplicate check. Sentence ends become NUL, and words and NULs are found in one regex
    pass. No word spans a sentence end (a split is at white space), so the count equals
    ``count_words(body)``."""
    tokens = _WORD_OR_END.findall(_SENTENCE_END.sub("\x00", body))
    sentences = [x.strip(" ") for x in " ".join(tokens).casefold().split("\x00")]
    return len(tokens) - len(sentences) + 1, sentences


def _normal_sentences(body: str) -> list[str]:
    """The body's sentences as their words, case-folded, joined by single spaces."""
    return _counted_sentences(body)[1]


def _shingle_set(sentences: list[str]) -> set[tuple[str, ...]]:
    words = " ".join(sentences).split()
    if len(words) < _SHINGLE:
        return {tuple(words)}
    return set(zip(*(words[k:] for k in range(_SHINGLE)), strict=False))


def _key(text: str) -> int:
    """A stable 64-bit hash (the same in every process, unlike ``hash``)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")


def fingerprint(body: str) -> tuple[int, tuple[int, ...]]:
    """(key of the whole normalised text, sorted keys of its distinct sentences)."""
    return counted_fingerprint(body)[1]


def counted_fingerprint(body: str) -> tuple[int, tuple[int, tuple[int, ...]]]:
    """(number of words, ``fingerprint(body)``) from one tokenisation of the body."""
    n_words, sentences = _counted_sentences(body)
    keys = tuple(sorted({_key(x) for x in sentences if x}))
    return n_words, (_key(" ".join(sentences)), keys)


def find_duplicates(
    articles: pd.DataFrame, fingerprints: dict[str, tuple[int, tuple[int, ...]]] | None = None
) -> pd.DataFrame:
    """Pairs (file, duplicate_of, similarity) of identical or near-identical bodies.

    Exact copies: the same normalised text. Near copies: articles sharing at least 30% of their
    sentences verbatim (found through an inverted index of sentence hashes, so linear in the
    corpus), confirmed by the Jaccard similarity of their 3-word shingles (>= 0.8). The earlier
    file (name order) is kept. ``fingerprints`` (from ``fingerprint``) may be precomputed.
    """
    rows: list[tuple[str, str, float]] = []
    if len(articles) < 2:
        return pd.DataFrame(rows, columns=["file", "duplicate_of", "similarity"])
    ordered = articles.sort_values("file", kind="stable")
    files = ordered["file"].tolist()
    bodies = ordered["body"].tolist()
    if fingerprints is None:
        fingerprints = {f: fingerprint(b) for f, b in zip(files, bodies, strict=True)}
    n = len(files)
    exact = np.array([fingerprints[f][0] for f in files], dtype=np.uint64)
    sentence_keys = [fingerprints[f][1] for f in files]
    n_keys = np.fromiter(map(len, sentence_keys), dtype=np.int64, count=n)
    # Exact copies: the same key as an earlier article (the first one is the original).
    _, first_index, inverse = np.unique(exact, return_index=True, return_inverse=True)
    original = first_index[inverse]
    is_copy = original != np.arange(n)
    # Candidate pairs: articles (not exact copies) sharing sentences. A sentence proposes pairs
    # among the first _COMMON_SENTENCE articles that contain it; later ones are boilerplate.
    owner = np.repeat(np.arange(n), n_keys)
    flat = (k for keys in sentence_keys for k in keys)
    key = np.fromiter(flat, dtype=np.uint64, count=len(owner))
    use = ~is_copy[owner]
    owner, key = owner[use], key[use]
    order = np.lexsort((owner, key))
    owner, key = owner[order], key[order]
    group_start = np.r_[0, np.flatnonzero(key[1:] != key[:-1]) + 1]
    size = np.minimum(np.diff(np.r_[group_start, len(key)]), _COMMON_SENTENCE)
    pair_codes = [np.empty(0, dtype=np.int64)]
    for m in range(2, _COMMON_SENTENCE + 1):  # groups of m members: all m(m-1)/2 pairs at once
        starts = group_start[size == m]
        if len(starts) == 0:
            continue
        a, b = np.triu_indices(m, 1)
        j = owner[starts[:, None] + a[None, :]].ravel()
        k = owner[starts[:, None] + b[None, :]].ravel()
        pair_codes.append(j.astype(np.int64) * n + k)
    codes, shared = np.unique(np.concatenate(pair_codes), return_counts=True)
    j, k = codes // n, codes % n
    enough = shared >= _CANDIDATE_SHARE * np.minimum(n_keys[j], n_keys[k])
    candidates: dict[int, list[int]] = {}
    for jj, kk in zip(j[enough].tolist(), k[enough].tolist(), strict=True):
        candidates.setdefault(kk, []).append(jj)
    # Near copies, in file order: a candidate counts only if it was itself kept.
    near: dict[int, tuple[int, float]] = {}
    for kk in sorted(candidates):
        best = None
        a = _shingle_set(_normal_sentences(bodies[kk]))
        for jj in candidates[kk]:
            if jj in near:
                continue
            b = _shingle_set(_normal_sentences(bodies[jj]))
            jac = len(a & b) / len(a | b)
            if jac >= NEAR_DUPLICATE_JACCARD and (best is None or (jac, -jj) > (best[1], -best[0])):
                best = (jj, jac)
        if best:
            near[kk] = best
    for kk in range(n):
        if is_copy[kk]:
            rows.append((files[kk], files[original[kk]], 1.0))
        elif kk in near:
            rows.append((files[kk], files[near[kk][0]], round(float(near[kk][1]), 4)))
    return pd.DataFrame(rows, columns=["file", "duplicate_of", "similarity"])


def _drop_duplicates(
    articles: pd.DataFrame, fingerprints: dict[str, tuple[int, tuple[int, ...]]] | None = None
) -> tuple[pd.DataFrame, list[dict]]:
    dups = find_duplicates(articles, fingerprints)
    rejected = [
        {
            "file": r.file,
            "reason": (
                f"duplicate of {r.duplicate_of} (identical text)"
                if r.similarity >= 1.0
                else f"near-duplicate of {r.duplicate_of} ({r.similarity:.0%} of 3-word sequences "
                "shared)"
            )
            + ": keep one copy in the corpus folder",
        }
        for r in dups.itertuples()
    ]
    keep = ~articles["file"].isin(set(dups["file"]))
    return articles[keep].sort_values("file", kind="stable").reset_index(drop=True), rejected


def checksums(files: Iterable[Path]) -> pd.DataFrame:
    """SHA-256 of each file's bytes, for the curated metadata and for readers to verify."""
    return pd.DataFrame(
        [(Path(f).name, hashlib.sha256(Path(f).read_bytes()).hexdigest()) for f in files],
        columns=["file", "sha256"],
    )
