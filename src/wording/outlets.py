"""Outlet profiles: what marks a page as an outlet's, and the chrome its site wraps around articles.

A profile names an outlet, its aliases, the markers that recognise its pages (``infer_outlet``)
and its own line rules; outlets without a profile are cleaned with the generic rules alone
(``wording.clean``). ``Rule`` is the named cleaning rule both modules build on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


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
