"""Whose wording: the wire service or outlet whose words an article or a paragraph relays.

An outlet publishes words it did not write: wire copy ("Reuters and AP, TOKYO" in a byline,
"MOSCOW (Reuters) -" in a dateline, a closing "(Xinhua)" credit) and relays of another outlet
("Nikkei wrote", "according to the Nikkei", "the newspaper added"). ``article_sources`` reads one
article (pure, per article); ``add_wording_sources`` adds the columns to the build's tables:
``articles.wording_source`` and ``wording_source_basis``, ``paragraphs.wording_source`` and
``term_mentions.wording_source``. "" means the publishing outlet's own words. Names come from
the outlet registry (``data/outlets.csv``: ``outlet``, ``aliases``, ``kind``; other columns are
ignored).
"""

from __future__ import annotations

import functools
import os
import re
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from wording import paths

SEPARATOR = "; "  # between the names of several sources: "Reuters; AP"


def outlets_csv() -> Path:
    return paths.project_root() / "data" / "outlets.csv"


def load_outlets(path: str | os.PathLike | None = None) -> pd.DataFrame:
    """The outlet registry: one row per outlet with ``outlet``, ``aliases`` (a list of names,
    old names included) and ``kind`` ("publisher" or "wire"). Extra columns are kept; a missing
    ``aliases`` or ``kind`` column reads as empty."""
    path = outlets_csv() if path is None else Path(path)
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    for column in ("aliases", "kind"):
        if column not in table.columns:
            table[column] = ""
    table["outlet"] = table["outlet"].str.strip()
    table = table[table["outlet"] != ""].reset_index(drop=True)
    table["aliases"] = [
        [a.strip() for a in str(cell).split(";") if a.strip()] for cell in table["aliases"]
    ]
    table["kind"] = table["kind"].str.strip().replace("", "publisher")
    return table


def _name_pattern(name: str) -> str:
    """A name as a regex: whole words, white space flexible; a short name (AP, AFP, TASS) only as
    written or title-cased (Tass), so that "ap" or "Afp" in ordinary text is not a source."""
    words = r"\s+".join(re.escape(w) for w in name.split())
    if len(name) > 4 and not name.isupper():
        return rf"(?i:{words})"
    variants = dict.fromkeys([name, name.title() if len(name) >= 4 else name])
    return "(?:" + "|".join(r"\s+".join(re.escape(w) for w in v.split()) for v in variants) + ")"


@dataclass(frozen=True)
class SourceNames:
    """The registry compiled for matching (picklable): ``names_re`` finds any name or alias as
    whole words, longest first; ``canonical`` maps each lower-cased name to its outlet."""

    names_re: re.Pattern[str]
    canonical: dict[str, str]
    kind: dict[str, str]

    def outlet(self, name: str) -> str:
        return self.canonical.get(re.sub(r"\s+", " ", name).lower(), name)


def compile_names(registry: pd.DataFrame) -> SourceNames:
    """``SourceNames`` of a table from ``load_outlets``."""
    canonical: dict[str, str] = {}
    kind: dict[str, str] = {}
    for row in registry.itertuples(index=False):
        for name in [row.outlet, *row.aliases]:
            canonical.setdefault(name.lower(), row.outlet)
        kind[row.outlet] = row.kind
    names = sorted(
        {n for row in registry.itertuples(index=False) for n in [row.outlet, *row.aliases]},
        key=lambda n: (-len(n), n),
    )
    alternation = "|".join(_name_pattern(n) for n in names) or r"(?!x)x"
    # a name is written with a capital first letter: skip to those first (speed)
    pattern = rf"(?<![\w-])(?=[A-Z\u00c0-\u00de])(?:{alternation})(?![\w-])"
    return SourceNames(re.compile(pattern), canonical, kind)


@functools.lru_cache(maxsize=4)
def default_names(path: str | None = None) -> SourceNames:
    """``compile_names`` of the registry at ``path`` (default ``data/outlets.csv``), cached."""
    return compile_names(load_outlets(path))


# Words that may stand between a source's name and its verb: "Japan's Nikkei daily wrote",
# "Nikkei's sources said", "Kyodo News agency reported".
_DESCRIPTOR = (
    r"(?:(?:business|financial|state|news|daily|newspaper|paper|agency|sources?|report|"
    r"reporters?|correspondents?|website|outlet|broadcaster|also|further|earlier|later|has|had|"
    r"have|quoted|cited)\s+)*"
)
_RELAY_VERB = r"(?:wrote|writes|reported|reports|said|says|added|adds|cited|quoted|claimed)\b"
# What a relay cue looks like once the name has been found at ``{name}``: the name then (after a
# possessive and descriptors) a reporting verb, or "according to (the) {name}", "cited by the
# {name}", "{name} reported/wrote". Must match "Japan’s Nikkei daily wrote on Monday",
# "Nikkei’s sources said", "Nikkei also wrote that", "according to Nikkei", "cited by Kyodo";
# must not match "told Sputnik" or "Kishida said".
RELAY_AFTER_NAME_RE = re.compile(rf"(?:['\u2019]s)?\s+{_DESCRIPTOR}{_RELAY_VERB}", re.IGNORECASE)
RELAY_BEFORE_NAME_RE = re.compile(
    r"(?:according\s+to|cited\s+by|quoted\s+by|reported\s+by|reports?\s+(?:by|in|from)|"
    r"(?:wrote|writes|said)\s+in)\s+(?:the\s+)?(?:[\w'\u2019]+\s+){0,2}$",
    re.IGNORECASE,
)
# A relay that continues the source of the paragraph before: "the newspaper added", "according
# to the sources", "as cited by the daily". Must match "the newspaper added" and "According to the
# sources,"; must not match "the sources of the river".
CONTINUED_RELAY_RE = re.compile(
    r"\bthe\s+(?:newspaper|daily|paper|agency|publication|outlet|broadcaster|report)\s+"
    r"(?:also\s+)?(?:said|says|added|adds|wrote|writes|reported|reports|cited|quoted)\b"
    r"|\baccording\s+to\s+the\s+(?:sources|newspaper|daily|paper|agency|publication|report)\b"
    r"|\b(?:cited|quoted)\s+by\s+the\s+(?:newspaper|daily|paper|agency|publication)\b",
    re.IGNORECASE,
)
# A dateline credit at the start of a body: "MOSCOW (Reuters) -", "TOKYO, Feb. 1 (Kyodo) --",
# "BEIJING, /Xinhua/". Must match "TOKYO (Sputnik) — " (the name in group ``credit``); must not
# match "The talks (AP) were".
DATELINE_CREDIT_RE = re.compile(
    r"^[A-Z][A-Z .'-]{1,40}(?:,\s*[^()\n/]{1,25}?)?\s*[(/]\s*(?P<credit>[^()/\n]{2,40}?)\s*[)/]"
    r"\s*(?:[-\u2013\u2014]+|\.)"
)
# A closing credit line: "(Xinhua)", "- Reuters", "Source: Global Times", "By REUTERS". A photo
# credit ("Photo: AFP / Pool", "© Sputnik") is not one.
CREDIT_LINE_RE = re.compile(
    r"^\s*(?:\(|[-\u2013\u2014]+\s*|(?:source|sources|via|by)\s*:?\s*)?(?P<credit>[^():\n]{2,60}?)"
    r"\)?\s*\.?\s*$",
    re.IGNORECASE,
)
_CREDIT_MAX_WORDS = 8
# What may join the names of a credit line: "and", "with", "by", "source", "via", "staff", a
# place in capitals ("Reuters and AP, TOKYO"). Must match "and", "TOKYO"; must not match "said".
CREDIT_FILLER_RE = re.compile(
    r"\b(?:(?i:and|with|by|from|source|sources|via|staff|wires?|reports?))\b|\b[A-Z][A-Z.-]+\b"
)


class ArticleSources(NamedTuple):
    """Whose wording one article is: ``source`` ("" = the outlet's own), the ``basis`` that
    decided, and one source per paragraph (the paragraph's relay, else ``source``)."""

    source: str
    basis: str
    paragraphs: list[str]


def _names_in(text: str, names: SourceNames, own: set[str]) -> list[str]:
    """The registry outlets named in ``text``, in order, once each, the publisher left out."""
    found = [names.outlet(m.group()) for m in names.names_re.finditer(text)]
    return [o for o in dict.fromkeys(found) if o not in own]


def _credit(line: str, names: SourceNames, own: set[str]) -> list[str]:
    """The outlets a short credit line consists of ("Reuters and AP", "(Xinhua)"), else []."""
    if len(line.split()) > _CREDIT_MAX_WORDS or re.match(r"\s*(?:photo|©|image)", line, re.I):
        return []
    found = _names_in(line, names, own)
    rest = CREDIT_FILLER_RE.sub(" ", names.names_re.sub(" ", line))
    # a credit is names joined by "and", commas, slashes (and a place in capitals); any other
    # word means a sentence
    return found if found and not re.search(r"[^\W\d_]{2,}", rest) else []


def _relay(text: str, names: SourceNames, own: set[str]) -> str:
    """The first outlet ``text`` relays ("Nikkei wrote", "according to the Nikkei"), or ""."""
    for m in names.names_re.finditer(text):
        outlet = names.outlet(m.group())
        if outlet in own:
            continue
        before = text[max(0, m.start() - 40) : m.start()]
        if RELAY_AFTER_NAME_RE.match(text, m.end()) or RELAY_BEFORE_NAME_RE.search(before):
            return outlet
    return ""


def article_sources(
    outlet: str,
    byline: str,
    body_paragraphs: list[str],
    names: SourceNames,
    kinds: list[str] | None = None,
) -> ArticleSources:
    """Whose wording the article of ``outlet`` is, from its byline, the dateline credit of its
    first body paragraph and a closing credit line; and each paragraph's source.

    ``body_paragraphs`` are the texts of the paragraphs (``kinds``: their kinds, "body" when not
    given; only body paragraphs relay). A paragraph relays a source it names with a reporting
    cue, or continues the relay of the body paragraph before it ("the newspaper added").
    """
    own = {outlet, *(n for n, o in names.canonical.items() if o == outlet)}
    own |= {names.outlet(outlet)}
    kinds = kinds or ["body"] * len(body_paragraphs)
    body = [p for p, k in zip(body_paragraphs, kinds, strict=True) if k == "body"]
    source, basis = [], ""
    if byline.strip():
        source = _credit(byline, names, own)
        basis = f"byline: {byline.strip()}" if source else ""
    if not source and body:
        dateline = DATELINE_CREDIT_RE.match(body[0])
        if dateline:
            source = _credit(dateline.group("credit"), names, own)
            basis = f"dateline: {dateline.group().strip()}" if source else ""
    if not source and body:
        source = _credit(body[-1], names, own)
        basis = f"credit line: {body[-1].strip()}" if source else ""
    article = SEPARATOR.join(source)
    per_paragraph, previous = [], ""
    for text, kind in zip(body_paragraphs, kinds, strict=True):
        relay = ""
        if kind == "body":
            relay = _relay(text, names, own)
            if not relay and previous and CONTINUED_RELAY_RE.search(text):
                relay = previous
        previous = relay  # a subhead ends a relay
        per_paragraph.append(relay or article)
    return ArticleSources(article, basis, per_paragraph)


# The text columns ``add_wording_sources`` adds, by table.
SOURCE_COLUMNS = {
    "articles": ["wording_source", "wording_source_basis"],
    "paragraphs": ["wording_source"],
    "term_mentions": ["wording_source"],
}


def add_wording_sources(tables, names: SourceNames | None = None) -> None:
    """Add ``wording_source`` (and ``wording_source_basis``) to the build's ``articles``,
    ``paragraphs`` and ``term_mentions`` tables (``pipeline.Tables``), in place.

    A mention takes the source of the paragraph holding its ``start`` offset. One pass over the
    paragraphs (plain lists; an article's paragraphs need not be contiguous).
    """
    names = names or default_names()
    articles, paragraphs = tables.articles, tables.paragraphs
    rows: dict[str, list[int]] = {}
    for position, file in enumerate(paragraphs["file"].tolist()):
        rows.setdefault(file, []).append(position)
    texts = paragraphs["text"].fillna("").astype(str).tolist()
    kinds = paragraphs["kind"].astype(str).tolist()
    starts = paragraphs["start"].to_numpy(dtype="float64", na_value=np.nan)
    paragraph_source = [""] * len(paragraphs)
    spans: dict[str, tuple[list[int], list[str]]] = {}
    sources, bases = [], []
    for file, outlet, byline in zip(
        articles["file"].tolist(),
        articles["outlet"].astype(str).tolist(),
        articles["byline"].fillna("").astype(str).tolist(),
        strict=True,
    ):
        own = rows.get(file, [])
        found = article_sources(
            outlet, byline, [texts[i] for i in own], names, [kinds[i] for i in own]
        )
        sources.append(found.source)
        bases.append(found.basis)
        placed_at, placed_source = [], []
        for i, source in zip(own, found.paragraphs, strict=True):
            paragraph_source[i] = source
            if not np.isnan(starts[i]):  # paragraphs of the body text, subheads included
                placed_at.append(int(starts[i]))
                placed_source.append(source)
        spans[file] = (placed_at, placed_source)
    articles["wording_source"] = sources
    articles["wording_source_basis"] = bases
    paragraphs["wording_source"] = paragraph_source
    mentions = tables.term_mentions
    if mentions is not None and "file" in mentions:
        mention_source = []
        for file, start in zip(mentions["file"].tolist(), mentions["start"].tolist(), strict=True):
            placed_at, placed_source = spans.get(file, ([], []))
            k = bisect_right(placed_at, start) - 1
            mention_source.append(placed_source[k] if k >= 0 else "")
        mentions["wording_source"] = mention_source
