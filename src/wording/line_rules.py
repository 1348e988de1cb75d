"""Line rules: the named patterns that remove a line, and what a line is (prose, a dateline, a
byline, a date stamp). ``wording.clean`` applies them; ``cleaning_rules()`` lists every rule,
generic (here and in ``wording.chrome``) and per outlet (``wording.outlets``).
"""

from __future__ import annotations

import re
from datetime import date, datetime

import pandas as pd

from wording.chrome import CHROME_RULES, words_in
from wording.outlets import PROFILES, Rule
from wording.text import WORD_RE

# Generic line rules: chrome that any news site wraps around an article. Full-line matches only, so
# a sentence that merely mentions "subscribe" or "comments" is never touched.
GENERIC_RULES: tuple[Rule, ...] = (
    Rule.compile(
        "photo-credit",
        "a photo credit line (©, 'Photo:', 'Image:', agency photo tags)",
        r"(?:©|\(c\)|Copyright\b|Photos?(?: courtesy of)?\s*:|Image\s*:|Picture\s*:|Credit\s*:|"
        r"Getty Images\b|AFP PHOTO\b|REUTERS/|AP Photo/).*",
        re.IGNORECASE,
    ),
    Rule.compile(
        "widget",
        "a share, subscribe, print or follow button",
        r"(?:Subscribe(?: now)?|Share(?: this(?: article| story)?)?|Tweet|Email|Print|Save|"
        r"Copy link|Get short URL|Follow (?:us|[A-Z][\w&.]{0,20})(?: on .{1,40})?|"
        r"Sign up(?: for .{1,60})?|Listen(?: to this article)?|"
        r"Advertisement|ADVERTISEMENT|Sponsored(?: content)?|Log in|Sign in|Register)\.?",
        re.IGNORECASE,
    ),
    Rule.compile(
        "comments-widget",
        "a comment-section widget (log-in prompts, moderation notices, comment counters)",
        r"(?:To participate in the discussion|log in or register|loader|Chats|Comments?|"
        r"Show (?:all |new )?comments(?: \(\d+\))?|Leave a comment|Add a comment|"
        r"Comments will be moderated\..*|\d+ comments?)\.?",
        re.IGNORECASE,
    ),
    Rule.compile(
        "counter",
        "a view, page or share counter, or a bare number",
        r"(?:[\d.,]+[KkMm]?|This (?:story|article) has been viewed [\d,]+ times\.?|"
        r"[\d,]+ (?:views?|reads?|shares?|pages? in this article))",
        re.IGNORECASE,
    ),
    Rule.compile(
        "related-link",
        "a related-story link ('Read more:', 'Also read:', 'Related:')",
        r"(?:Read more|READ MORE|Also read|Read also|Related(?: [a-z]+)?|RELATED(?: [A-Z]+)?|"
        r"See also|More on this|Recommended)(?:\s*[:\-–—]\s*.{0,200})?",
    ),
    Rule.compile(
        "navigation",
        "site navigation: menus, 'back to top', 'show more', partner-link headers",
        r"(?:(?:[^|]{1,30}\|){2,}[^|]{0,30}|Back to top|TOP top|Top|Show more|Load more|"
        r"In other media|Partner News|Home|Menu|Search|All news|Most read|Most popular|"
        r"Latest news|Trending)",
    ),
    Rule.compile(
        "legal",
        "copyright, cookie and terms notices",
        r"(?:All rights reserved.*|.*\buses? cookies\b.*|Terms of (?:use|service).*|"
        r"Privacy policy.*)",
        re.IGNORECASE,
    ),
    Rule.compile(
        "other-script",
        "a line wholly in another script (Cyrillic, CJK) on an English page: untranslated widget",
        r"[^A-Za-z]*[\u0400-\u04FF\u3000-\u9FFF][^A-Za-z]*",
    ),
)

# Context rules: they look at a line's neighbours, so they carry no pattern.
CONTEXT_RULES: tuple[Rule, ...] = (
    Rule.compile(
        "teaser",
        "a related-story teaser: the section label and headline of another story that follow an "
        "image's alt text (e.g. 'X - Sputnik International'), with no blank line before the body",
    ),
    Rule.compile(
        "caption",
        "a photo caption: it names a photo ('This file photo shows', 'In this photo') or ends "
        "with a photo credit ('Photo credit: …'), or it is the paragraph directly above a "
        "photo-credit line before the body begins",
    ),
    Rule.compile(
        "footer",
        "below the end-of-article marker (comment widget, 'Show more', view counter): page footer",
    ),
    Rule.compile("section-header", "the site's section name and blurb under the masthead"),
    Rule.compile("masthead", "a line that is only an outlet's name (the site's masthead)"),
    Rule.compile("above-headline", "above the headline: page header, menus, site name"),
    Rule.compile(
        "before-body",
        "between headline and body and neither standfirst nor byline (e.g. a second summary line)",
    ),
    Rule.compile(
        "date-stamp", "the page's date/time stamp (its date is kept in articles.date_basis)"
    ),
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


def cleaning_rules() -> pd.DataFrame:
    """Every rule that can remove a line: name, scope (outlet or generic), description."""
    rows = [
        (r.name, "generic", r.description) for r in GENERIC_RULES + CONTEXT_RULES + CHROME_RULES
    ]
    rows += [(r.name, p.outlet, r.description) for p in PROFILES for r in p.rules]
    return pd.DataFrame(rows, columns=["rule", "scope", "description"])


def rule_names() -> set[str]:
    """The names of every rule in ``cleaning_rules()``."""
    return set(cleaning_rules()["rule"])


def is_sentence(line: str) -> bool:
    """Ends like a sentence (period, question mark, closing quote...)."""
    # Only the end of the line matters; searching the whole of a long paragraph would be slow.
    return bool(_TERMINAL.search(line[-8:]))


def title_case_share(line: str) -> float:
    words = [w for w in WORD_RE.findall(line) if len(w) > 3]
    if not words:
        return 0.0
    return sum(w[0].isupper() for w in words) / len(words)


def is_prose(line: str) -> bool:
    """A paragraph of running text rather than a label or headline."""
    n = words_in(line)
    return (n >= 8 and is_sentence(line)) or n >= 25


def is_teaser_line(line: str) -> bool:
    """A short label or headline of another story (no sentence ending, or in Title Case)."""
    n = words_in(line)
    if n == 0 or n > 22 or match_dateline(line):
        return False
    return not is_sentence(line) or (title_case_share(line) >= 0.6 and not line.endswith("."))


def _credit_ok(m: re.Match | None) -> bool:
    """An inline dateline needs an agency credit or a dash after an all-caps place."""
    if m is None:
        return False
    if m.group("credit") or m.group("slash"):
        return True
    tail = m.group(0).rstrip()
    if len(m.group("place")) >= 3 and tail.endswith(":") and m.group("place").isupper():
        return True  # "KYIV: Russia launched ..."
    return len(m.group("place")) >= 3 and tail.endswith(("—", "–", "-", "--"))


def match_dateline(line: str) -> re.Match | None:
    """The inline dateline opening ``line`` ('TOKYO (Sputnik) —'), or None (see ``DATELINE_RE``)."""
    m = DATELINE_RE.match(line)
    return m if _credit_ok(m) else None


def match_byline(line: str) -> re.Match | None:
    if words_in(line) > 12 or is_sentence(line):
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
