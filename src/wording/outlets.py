"""Outlet profiles: what marks a page as an outlet's, and the chrome its site wraps around articles.

A profile names an outlet, its aliases, the markers that recognise its pages (``infer_outlet``)
and its own line rules; outlets without a profile are cleaned with the generic rules alone
(``wording.clean``). ``Rule`` is the named cleaning rule both modules build on.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import ahocorasick


@dataclass(frozen=True)
class Rule:
    """A named cleaning rule. ``pattern`` (full-line, case-sensitive unless flagged) or context."""

    name: str
    description: str
    pattern: re.Pattern | None = None

    def matches(self, line: str) -> bool:
        """Does the rule's pattern match the whole line? (Context rules match no line alone.)"""
        return self.pattern is not None and self.pattern.fullmatch(line) is not None

    @classmethod
    def compile(
        cls, name: str, description: str, pattern: str | None = None, flags: int = 0
    ) -> Rule:
        """A rule from a regex source; no pattern makes a context rule."""
        return cls(name, description, re.compile(pattern, flags) if pattern else None)


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
            Rule.compile(
                "sputnik:image-alt",
                "an image's alt text, which Sputnik ends with ' - Sputnik International'",
                r".+ - Sputnik International",
            ),
            Rule.compile(
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
            Rule.compile(
                "tass:navigation",
                "TASS's page header: currency converter, news search and feed filter",
                r"(?:Currency converter|All news|News Search Topics|Use filter|"
                r"You can filter your feed,|by choosing only interesting)",
            ),
            Rule.compile("tass:page-count", "TASS's page counter", r"\d+ pages? in this article"),
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
            Rule.compile(
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
        needles={"masthead 'NHK World'": "nhk world"},  # case-insensitive: matched lower-cased
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


# How strongly a marker names the outlet that wrote the words: a credit in the dateline or byline
# (1) beats a closing credit or copyright line (2), which beats the site's own furniture (3:
# masthead, promos, policy notices), which beats a photo credit (4). A wire story on another
# site is the wire's: its credit outranks the host's masthead.
DATELINE_TIER, CREDIT_TIER, SITE_TIER, PHOTO_TIER = 1, 2, 3, 4

# Credit forms around an occurrence of a registered name: (tier, description, what must stand
# before the name on its line, what must follow it to the line's end). The name itself is found
# by one Aho-Corasick pass over the page, so the forms cost nothing on pages that name no outlet.
_BEFORE_DATELINE = r"[^()\n]{0,70}?\("  # "SEOUL, Aug. 28 (" | "Matsue, Shimane Pref., ("
_FORMS: tuple[tuple[int, str, str, str], ...] = (
    (
        DATELINE_TIER,
        "dateline credit '({m})'",
        _BEFORE_DATELINE,
        r"\)[ \t]*(?:--|[—–:-]|[A-Z\"“]).*",
    ),
    (DATELINE_TIER, "dateline credit '/{m}/'", r".*/", r"/.*"),
    (
        DATELINE_TIER,
        "dateline credit '{m}'",  # "KYIV, Nov 21 — RIA Novosti." | "MOSCOW, Feb. 1, Kyodo"
        r"[A-Z][A-Z .'’-]{1,30},[ \t]*[A-Z][a-z]{2,8}\.?[ \t]+\d{1,2}"
        r"(?:,[ \t]*|[ \t]*[—–-]+[ \t]*)",
        r".*",
    ),
    (
        DATELINE_TIER,
        "byline '{m}'",  # "By Yonhap" | "• Kyodo" | "Kyiv • UNN" | "Source:Global Times"
        r"(?:[^\n]{0,40}?(?<!\w)(?:By|BY):?[ \t]+|[^\n]{0,40}?[•·][ \t]*"
        r"|(?:Source|SOURCE)[ \t]*:[ \t]*)",
        r"{suffix}\.?[ \t]*(?:[|,][^\n]{0,60})?",  # "Source: Global Times | 2016/1/27"
    ),
    (CREDIT_TIER, "closing credit '({m})'", r".*\(", r"\)[ \t]*"),
    (
        CREDIT_TIER,
        "copyright line naming '{m}'",  # "[Copyright The Jiji Press, Ltd.]" | "© 2024 BBC"
        r".*(?:Copyright|©|\(c\))[ \t]*(?:\d{4}(?:[ \t]*[-–][ \t]*\d{4})?[ \t]*)?(?:by[ \t]+)?"
        r"(?:[Tt]he[ \t]+)?",
        r"(?![ \t]*/).*",
    ),
    (
        SITE_TIER,
        "a line that is only the name '{m}'",  # a masthead, or a closing "BBC News"
        r"[ \t]*(?:-[ \t]*)?(?:[Tt]he[ \t]+|THE[ \t]+)?",
        r"{suffix}[ \t]*",
    ),
    (
        SITE_TIER,
        "site notice naming '{m}'",  # "the policy of KBS" | "Support The Moscow Times!"
        r".*\b(?:policy|policies|terms|services?|Support|subscribe to|Follow)[ \t]+"
        r"(?:of[ \t]+|to[ \t]+)?(?:[Tt]he[ \t]+)?",
        r".*",
    ),
    (PHOTO_TIER, "photo credit '© {m}/'", r".*©[ \t]*", r"[ \t]*/.*"),
)
# Words a name may carry in a masthead or byline ("BBC News", "The Japan Times Online").
_SUFFIX = r"(?:[ \t]+(?:Online|News|International|English|World|Digital|Edition))*"
_PHOTO_WORDS = re.compile(r"(?i:photo|image|video|picture|file)")
# Tier of each profile marker (by its description's first word); other profile markers are SITE.
_PROFILE_TIERS = {"dateline": DATELINE_TIER}


@dataclass(frozen=True)
class Outlet:
    """A registered outlet (a row of ``data/outlets.csv``)."""

    outlet: str
    aliases: tuple[str, ...] = ()
    kind: str = "publisher"  # publisher | wire
    markers: tuple[re.Pattern, ...] = ()
    note: str = ""
    needles: tuple[str, ...] = ()  # per marker: a literal it needs ("" = none known)


@dataclass(frozen=True)
class Registry:
    """Every registered outlet, its names (lower case) -> outlet, and the compiled forms."""

    outlets: tuple[Outlet, ...]
    canonical: dict[str, str]  # lower-case name or alias -> outlet
    spelled: dict[str, str]  # lower-case name or alias -> as registered
    automaton: ahocorasick.Automaton  # lower-case names
    forms: tuple[tuple[int, str, re.Pattern, re.Pattern], ...]  # tier, description, before, after


def registry_csv() -> Path:
    """The default registry: ``data/outlets.csv`` of the checkout."""
    from wording import paths

    return paths.project_root() / "data" / "outlets.csv"


_META = set(".^$*+?{}[]|()\\")


def literal_needle(pattern: str) -> str:
    """A literal every match of ``pattern`` contains (its leading literal run after ``\\b`` or
    ``^``, escapes undone), or "" when it has none of 3+ characters or alternates at top level.
    Lets a page without the literal skip the regex."""
    if "|" in pattern or "(?i" in pattern:
        return ""
    rest = pattern.removeprefix("^").removeprefix("\\b")
    out = []
    i = 0
    while i < len(rest):
        c = rest[i]
        if c == "\\" and i + 1 < len(rest) and not rest[i + 1].isalnum():
            out.append(rest[i + 1])
            i += 2
            continue
        if c in _META:
            if c in "?*{" and out:
                out.pop()  # the last character is optional or repeated
            break
        out.append(c)
        i += 1
    needle = "".join(out)
    return needle if len(needle) >= 3 else ""


def _split(cell: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in (cell or "").split(";") if x.strip())


@functools.cache
def load_registry(path: str | None = None) -> Registry:
    """The outlet registry read from ``path`` (default ``registry_csv()``), with the seed
    profiles' outlets and aliases added; a missing file gives the profiles alone.

    Columns: outlet, aliases and markers (";"-separated; markers are regular expressions
    searched over the whole page, MULTILINE; a ";" cannot appear inside one), kind
    (publisher | wire), note.
    """
    file = Path(path) if path else registry_csv()
    rows = []
    if file.is_file():
        with open(file, newline="", encoding="utf-8-sig") as handle:
            rows = [r for r in csv.DictReader(handle) if (r.get("outlet") or "").strip()]
    outlets = [
        Outlet(
            r["outlet"].strip(),
            _split(r.get("aliases", "")),
            (r.get("kind") or "publisher").strip() or "publisher",
            tuple(re.compile(m, re.MULTILINE) for m in _split(r.get("markers", ""))),
            (r.get("note") or "").strip(),
            tuple(literal_needle(m) for m in _split(r.get("markers", ""))),
        )
        for r in rows
    ]
    known = {o.outlet for o in outlets}
    outlets += [Outlet(p.outlet, p.aliases) for p in PROFILES if p.outlet not in known]
    canonical: dict[str, str] = {}
    spelled: dict[str, str] = {}
    automaton = ahocorasick.Automaton()
    for o in outlets:
        for name in (o.outlet, *o.aliases):
            key = name.lower()
            if len(key) == len(name) and key not in canonical:
                canonical[key], spelled[key] = o.outlet, name
                automaton.add_word(key, key)
    automaton.make_automaton()
    forms = tuple(
        (
            tier,
            description,
            re.compile(rf"(?:{before})\Z"),
            re.compile(after.replace("{suffix}", _SUFFIX) + r"\Z"),
        )
        for tier, description, before, after in _FORMS
    )
    return Registry(tuple(outlets), canonical, spelled, automaton, forms)


def canonical_outlet(name: str, registry: Registry | None = None) -> str | None:
    """Today's name of the outlet called ``name`` (an alias or old name), or None."""
    registry = registry or load_registry()
    return registry.canonical.get(" ".join(name.split()).lower())


def _lower(text: str) -> str:
    """``text`` in lower case, the same length (a letter whose lower case is longer stays)."""
    lower = text.lower()
    if len(lower) != len(text):
        lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return lower


def _name_occurrences(text: str, lower: str, registry: Registry) -> list[tuple[int, int, str]]:
    """(start, end, lower-case name) of each registered name in ``text`` as a whole word; names
    of 4 characters or fewer ("AP", "RT", "TIME") in their registered case only. Longest name
    at a position wins."""
    found: dict[int, tuple[int, str]] = {}
    for end, key in registry.automaton.iter(lower):
        start = end - len(key) + 1
        if (start > 0 and lower[start - 1].isalnum()) or (
            end + 1 < len(lower) and lower[end + 1].isalnum()
        ):
            continue
        if len(key) <= 4 and text[start : end + 1] != registry.spelled[key]:
            continue
        if start not in found or found[start][0] < end + 1:
            found[start] = (end + 1, key)
    return [(start, end, key) for start, (end, key) in sorted(found.items())]


def outlet_evidence(text: str, registry: Registry | None = None) -> list[tuple]:
    """Every marker the page carries: (tier, position, rank, outlet, description), sorted.

    ``rank`` orders markers at one tier and position: the seed profiles' markers in their listed
    order first (the precise layer), then the registry's own markers, then the credit forms.
    """
    registry = registry or load_registry()
    lower = _lower(text)
    found: list[tuple] = []
    rank = 0
    for profile in PROFILES:
        for description, pattern in profile.markers:
            rank += 1
            needle = profile.needles.get(description, "")
            haystack = lower if pattern.flags & re.IGNORECASE else text
            if needle and needle not in haystack:  # fast path: no literal, no match
                continue
            if m := pattern.search(text):
                tier = _PROFILE_TIERS.get(description.split()[0], SITE_TIER)
                found.append((tier, m.start(), rank, profile.outlet, description))
    for outlet in registry.outlets:
        for pattern, needle in zip(outlet.markers, outlet.needles, strict=True):
            if needle and needle not in text:
                continue
            if m := pattern.search(text):
                snippet = " ".join(m.group(0).split())[:60]
                found.append((SITE_TIER, m.start(), 1000, outlet.outlet, f"marker '{snippet}'"))
    for start, end, key in _name_occurrences(text, lower, registry):
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        before = text[max(line_start, start - 200) : start]
        after = text[end : line_end if line_end >= 0 else len(text)][:200]
        for tier, description, before_re, after_re in registry.forms:
            if not (before_re.match(before) and after_re.match(after)):
                continue
            if tier == DATELINE_TIER and _PHOTO_WORDS.search(before):
                continue  # "Photo by Reuters": a photo credit, not the story's
            name, outlet = text[start:end], registry.canonical[key]
            basis = description.format(m=name)
            if key != outlet.lower():
                basis += f" ({name}: registered as {outlet})"
            found.append((tier, start, 2000, outlet, basis))
            break
    return sorted(found)


def infer_outlet(text: str) -> tuple[str, str]:
    """(outlet, basis): the outlet of the strongest marker the page carries (earliest first at
    equal strength; see ``outlet_evidence``), else ('unknown', ...).

    Of the winner's markers at that strength the basis names a seed profile's marker in its
    listed order when there is one, else the earliest.
    """
    evidence = outlet_evidence(text)
    if not evidence:
        return UNKNOWN, "no outlet marker found on the page"
    tier, _, _, outlet, _ = evidence[0]
    mine = [e for e in evidence if e[0] == tier and e[3] == outlet]
    best = min(mine, key=lambda e: (e[2], e[1]))
    return outlet, f"inferred from the page: {best[4]}"


def resolve_outlet(
    text: str, curated: str, where: str
) -> tuple[str, str, OutletProfile | None, list[str]]:
    """(outlet, outlet_basis, profile, warnings) of a page.

    ``curated`` is the outlet named in the metadata ('' if none) and ``where`` the metadata line
    it came from ('data/sources.csv line 3'). A curated outlet wins over the page's markers (a
    disagreement is a warning); without one the markers decide, and 'unknown' is a warning.
    """
    inferred, inferred_basis = infer_outlet(text)
    warnings: list[str] = []
    if not curated:
        if inferred == UNKNOWN:
            warnings.append(
                "outlet not recognised: recorded as 'unknown', generic cleaning rules "
                "used; add a metadata row (file,outlet) to name it"
            )
        return inferred, inferred_basis, profile_for(inferred), warnings
    curated = canonical_outlet(curated) or curated
    profile = profile_for(curated)
    outlet = profile.outlet if profile else curated
    if profile is None:
        warnings.append(f"outlet '{curated}' has no cleaning profile: generic rules used")
    if inferred not in (UNKNOWN, outlet):
        warnings.append(
            f"metadata says {outlet} but the page looks like {inferred} "
            f"({inferred_basis}): check {where}"
        )
    return outlet, f"curated ({where})", profile, warnings
