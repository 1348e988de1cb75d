"""Chrome that any site wraps around an article, recognised without knowing the outlet.

``classify_lines`` labels the lines the pattern rules of ``wording.clean`` left alone, from what a
line is (its length, stop-word share, sentence-final punctuation, Title Case, words such as
"photo", "subscribe", "cookies", "icon") and where it stands (before or after the body, next
to a photo credit, repeated elsewhere on the page). Each label is a rule of ``CHROME_RULES``;
every removed line keeps its rule's name. The store's crawl stamp (" date YYYY-MM-DD" opening a
line) is split off by ``split_crawl_stamp`` and never read as the article's date.
"""

from __future__ import annotations

import functools
import re

from wording.outlets import Rule
from wording.text import WORD_RE

CHROME_RULES: tuple[Rule, ...] = (
    Rule.compile(
        "crawl-stamp", "an archive's crawl stamp (' date YYYY-MM-DD') and nothing else on its line"
    ),
    Rule.compile(
        "repeated",
        "a line printed twice on the page: the second copy of a headline or label, the first "
        "(summary) copy of running text; or a summary that opens like the lead below it",
    ),
    Rule.compile(
        "feedback-widget", "a feedback box ('Send Feedback', 'How can we improve?', 'Thanks …')"
    ),
    Rule.compile(
        "promo",
        "site furniture and promos: 'Editor's Pick', 'Next Story', 'Also on …', 'Latest', "
        "'Go to Contents', search boxes, 'Close'",
    ),
    Rule.compile("icon-line", "an icon-font line ('icon bookmark-bicon bookmarkicon')"),
    Rule.compile(
        "notice", "a subscription, donation, newsletter or cookie notice (a short line naming one)"
    ),
    Rule.compile("timestamp", "a date/time line with no sentence ('20:52 04.05.2023')"),
    Rule.compile(
        "tag-list", "a list of tags or section names (several short items and no sentence)"
    ),
    Rule.compile(
        "after-body",
        "a short Title Case label after the last paragraph of running text ('Editor's Pick')",
    ),
)

# The store's crawl stamp: " date 2022-05-30" opening the first line.
CRAWL_STAMP_RE = re.compile(r"\s*date \d{4}-\d{2}-\d{2}(?:\s+|$)")

_FEEDBACK_RE = re.compile(
    r"(?:Send (?:us )?(?:your )?Feedback|How can we improve( this (?:article|page))?\??|"
    r"Thanks? (?:you )?for your feedback!?|Was this (?:article|story|page) helpful\??|"
    r"(?:Give|Leave|Share your) feedback|Report an (?:error|issue)|Feedback)",
    re.IGNORECASE,
)
_PROMO_RE = re.compile(
    r"(?:Editor'?s'? (?:Pick|Picks|Choice)|(?:Next|Previous|Prev) (?:Story|Article|Post)|"
    r"Close|Go (?:to )?Top|Go to (?:Contents|Navigation)(?: Go to (?:Contents|Navigation))?|"
    r"Menu(?: Content)?|Skip to (?:main )?content|Back to top(?: button)?|"
    r"(?:Begin typing|Type) (?:your search|to search).*|Search for:?|"
    r"Also (?:on|read on) \S.{0,60}|Related (?:stories|articles|news|coverage|topics|posts)|"
    r"More (?:stories|news|on this story|from .{1,40})|(?:The )?Latest(?: (?:news|stories|"
    r"headlines|updates))?|Top (?:stories|news)|Recommended(?: (?:for you|stories|articles))?|"
    r"(?:Don'?t|Do not) miss|Must read|Trending(?: now)?|Popular|Most (?:viewed|shared)|"
    r"(?:Watch|Video|Gallery|Photos|Photo gallery|Podcast)(?: ?:.{0,60})?|"
    r"Sponsored(?: by .{1,40}| content)?|Promoted(?: content)?|Paid (?:post|content)|"
    r"Advertisement|AD|Ad|Tags?:?.{0,200}|Topics?:.{0,200}|Keywords?:.{0,200}|"
    r"(?:Share|Share on|Share this|Share via) .{0,60}|(?:Facebook|Twitter|X|WhatsApp|Telegram|"
    r"LinkedIn|Reddit|Email|Copy link)(?:\s+(?:Facebook|Twitter|X|WhatsApp|Telegram|LinkedIn|"
    r"Reddit|Email|Copy link))+)[.!]?",
    re.IGNORECASE,
)
_ICON_RE = re.compile(r"(?=[^\n]*icon)[a-z][a-z0-9_-]*(?: [a-z][a-z0-9_-]*){0,7}")
_NOTICE_RE = re.compile(
    r"\b(?:subscri(?:be|ber|bers|ption|ptions)|donat(?:e|ion|ions)|newsletter|cookies?|"
    r"paywall|Support (?:us|our|independent|The\b|[A-Z]\w+ (?:Times|News|Post)\b)|"
    r"sign up|log in to|already a (?:member|subscriber)|become a (?:member|patron)|"
    r"consent to|privacy (?:policy|settings)|unlimited access|premium)",
    re.IGNORECASE,
)
_REPORTED_RE = re.compile(r"\b(?:said|says|told|according to|reported)\b")
_TIME_RE = re.compile(
    r"\b\d{1,2}:\d{2}(?::\d{2})?\b|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|"
    r"\b(?:Written|Updated|Published|Posted|Modified|Edited)\s*:?",
    re.IGNORECASE,
)
_PHOTO_CUE_RE = re.compile(
    r"^(?:This|In this|A|An|The|File|Undated)?\s*(?:file |handout |undated |aerial |combination )?"
    r"(?:photo|picture|image|screenshot|screen grab|photograph)\b(?:[^.]{0,80}\b(?:shows?|"
    r"taken|released|provided|posted|dated)\b)",
    re.IGNORECASE,
)
_CREDIT_END_RE = re.compile(
    r"(?:\b(?:Photo|Image|Picture|Video)(?: credit| courtesy)?s?\s*:\s*[^.!?]{0,80}|"
    r"\((?:[A-Z][\w.&' -]{1,30} )?(?:Photo|Image|File photo|Handout)[^()]{0,40}\)|"
    r"/\s*(?:AFP|AP|Reuters|EPA|Getty Images|TASS|Sputnik|Yonhap|Kyodo|Xinhua|Pool)\s*)\s*$"
)
_STOP = frozenset(
    "a an the of to in on for and or but is are was were be been by with at from as that this "
    "it its he she they we you his her their our has have had will would said says not no "
    "which who what when where how than then there after before over into about".split()
)
_CRUMB_SPLIT_RE = re.compile(r"\s+[>›»/]\s+")
_ITEM_SPLIT_RE = re.compile(r"\s*[|·•]\s*|,\s+")
_SENTENCE_END_RE = re.compile(r"[.!?…:][\"'”’)\]]*$|[\"”’]$")


def split_crawl_stamp(line: str) -> tuple[str, str]:
    """(stamp, rest) of a line opened by the store's crawl stamp; ('', line) otherwise."""
    m = CRAWL_STAMP_RE.match(line)
    if not m:
        return "", line
    return line[: m.end()].strip(), line[m.end() :]


def _words(line: str) -> list[str]:
    return WORD_RE.findall(line)


@functools.lru_cache(maxsize=1 << 16)
def words_in(line: str) -> int:
    """Number of words in ``line`` (cached: the cleaning rules ask again for the same lines)."""
    return len(WORD_RE.findall(line))


def stop_share(words: list[str]) -> float:
    """Share of ``words`` that are English function words (running text: about 0.4)."""
    return sum(w.lower() in _STOP for w in words) / len(words) if words else 0.0


def title_case_share(words: list[str]) -> float:
    """Share of the words of 4+ letters that begin with a capital."""
    long = [w for w in words if len(w) > 3]
    return sum(w[0].isupper() for w in long) / len(long) if long else 1.0


def is_sentence(line: str) -> bool:
    """Ends like a sentence (period, question or exclamation mark, colon, closing quote)."""
    return bool(_SENTENCE_END_RE.search(line[-8:]))


def line_rule(line: str) -> str | None:
    """The chrome rule a line matches on its own (see ``CHROME_RULES``), or None."""
    n = words_in(line)
    if _FEEDBACK_RE.fullmatch(line):
        return "feedback-widget"
    if n <= 12 and _PROMO_RE.fullmatch(line):
        return "promo"
    if _ICON_RE.fullmatch(line):
        return "icon-line"
    if n <= 40 and _is_notice(line, n):
        return "notice"
    if (
        n <= 12
        and _TIME_RE.search(line)
        and any(c.isdigit() for c in line)
        and not is_sentence(line)
        and stop_share(_words(line)) < 0.2
    ):
        return "timestamp"
    if n <= 60 and (_PHOTO_CUE_RE.match(line) or _CREDIT_END_RE.search(line)):
        return "caption"
    if _is_tag_list(line):
        return "tag-list"
    return None


def _is_notice(line: str, n: int) -> bool:
    """A short line naming a subscription, donation or cookie, or a longer one naming two."""
    found = list(_NOTICE_RE.finditer(line))
    if not found:
        return False
    if len({m.group(0).casefold()[:6] for m in found}) >= 2:
        return not _REPORTED_RE.search(line)  # "... uses cookies ... consent to ...", unreported
    before = [w.casefold() for w in _words(line[: found[0].start()])]
    opens = before in ([], ["please"], ["to"])  # "Subscribe to ...", "Please donate"
    if line.rstrip().endswith(("!", "?")):
        return n <= 12
    after = [w.casefold() for w in _words(line[found[0].end() :])][:1]
    if n > 4 and title_case_share(_words(line)) >= 0.8:
        return False  # a headline in Title Case that happens to open with the word
    return opens and (n <= 3 or after in (["to"], ["now"], ["for"], ["today"], ["our"], ["us"]))


def _is_tag_list(line: str) -> bool:
    """Several short items separated by '|', '·', '•' or ',' (or a breadcrumb's '>', '›',
    '»', '/') with no sentence in them."""
    if is_sentence(line):  # (cheap, and most lines are running text)
        return False
    crumbs = [x.strip() for x in _CRUMB_SPLIT_RE.split(line) if x.strip()]
    if len(crumbs) >= 3 and all(1 <= len(_words(x)) <= 4 for x in crumbs):
        return True  # a breadcrumb: "Home > World > Asia"
    items = [x.strip() for x in _ITEM_SPLIT_RE.split(line) if x.strip()]
    return (
        len(items) >= 4
        and all(len(_words(x)) <= 3 for x in items)
        and stop_share(_words(line)) < 0.15
    )


def classify_lines(lines: list[str], rule: list[str | None], is_prose) -> None:
    """Label chrome in place: ``rule[i]`` is set for lines the pattern rules left (None).

    ``lines`` are whitespace-normalised; ``is_prose(line)`` says whether a line is running
    text. A line printed earlier on the page is ``repeated`` (see ``CHROME_RULES``).
    """
    nonblank = [i for i, x in enumerate(lines) if x]
    first: dict[str, int] = {}
    for i in nonblank:
        key = " ".join(lines[i].split()).casefold()
        if rule[i] is None:
            j = first.get(key)
            if j is not None and len(key) >= 12:
                # Running text printed twice: the first copy is a summary (standfirst, teaser)
                # and the second the body's; a repeated label or headline: the second goes.
                if is_prose(lines[i]) and rule[j] is None:
                    rule[j] = "repeated"
                else:
                    rule[i] = "repeated"
            else:
                rule[i] = line_rule(lines[i])
        first.setdefault(key, i)


def label_after_body(lines: list[str], rule: list[str | None], is_prose) -> None:
    """Label short Title Case lines after the last line of running text ``after-body``."""
    nonblank = [i for i, x in enumerate(lines) if x]
    prose = [i for i in nonblank if rule[i] is None and is_prose(lines[i])]
    if not prose:
        return
    for i in nonblank:
        if i > prose[-1] and rule[i] is None:
            words = _words(lines[i])
            if (
                len(words) <= 5
                and not lines[i].endswith(".")
                and title_case_share(words) >= 0.99
                and stop_share(words) <= 0.34
            ):
                rule[i] = "after-body"


def repeated_lead(paragraphs: list[str]) -> bool:
    """Does the first body paragraph open with the same five words as the second (a summary
    printed above the lead that it repeats)?"""
    if len(paragraphs) < 2:
        return False
    a, b = (_words(p.casefold())[:5] for p in paragraphs[:2])
    return len(a) == 5 and a == b
