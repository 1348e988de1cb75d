"""The lexicon of contested terms (``data/lexicon.csv``): reading, validating and compiling it.

The lexicon holds one documented regular expression per term. Terms of one category are joined
into one alternation (the CSV's row order is the priority: most specific first), so within a
category a stretch of text is one term; terms of different categories may overlap. Mentions are
found in ``wording.mentions``, their voice in ``wording.quotes``.
"""

from __future__ import annotations

import functools
import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import re2

from wording import paths
from wording.quotes import QUOTE_COLUMNS, quote_spans

LEXICON_COLUMNS = ["term_id", "side", "category", "pattern", "note"]
# Optional: ``label`` (how charts name the term) and ``referent`` (what it names: island names of
# one island share it). Filled from term_id when absent or empty.
OPTIONAL_COLUMNS = ["label", "referent"]
# Optional: ``group``, the reporting group charts and findings gather a term in (every neutral
# description of the islands beside the names). Filled from ``category`` when absent or empty.
GROUP_COLUMN = "group"

SIDES_COLUMNS = ["side", "label", "colour", "order"]
# Colours for sides no sides file names, taken in this order, skipping colours already given:
# Okabe & Ito (2008), colour-blind-safe, the sides' own three first.
SIDE_PALETTE = [
    "#D55E00", "#0072B2", "#999999", "#56B4E9", "#E69F00", "#009E73", "#CC79A7", "#F0E442",
    "#000000",
]  # fmt: skip

# A word start: a word character with none before it. Must match before "Kurils" in " Kurils"
# and at the start of a text; must not match inside "Kurils" or before a space.
WORD_START = r"(?<!\w)(?=\w)"

# A term_id is a Python identifier in lower case, because it names a regex group.
# Must match "southern_kurils", "iturup"; must not match "Southern Kurils", "1945_framing", "a-b".
TERM_ID_RE = re.compile(r"[a-z][a-z0-9_]*")

# Characters on which RE2 and Python's ``re`` can read a lexicon pattern differently: RE2's \w,
# \s, \b and \d are ASCII, Python's Unicode, and Python folds case of a few non-ASCII letters to
# ASCII ones (Kelvin sign, long s, dotless i). Must match "é", "\u00a0", "\x1f", "\x0b", "\u212a";
# must not match ASCII letters, digits, "\n", "’" or "“".
RE2_UNSAFE_RE = re.compile(r"[\x0b\x1c-\x1f]|[^\W\x00-\x7f]|[^\S\x00-\x7f]")


@functools.lru_cache(maxsize=8192)
def _re2_unsafe_char(char: str) -> bool:
    return RE2_UNSAFE_RE.match(char) is not None


def re2_safe(text: str) -> bool:
    """Whether ``text`` holds no ``RE2_UNSAFE_RE`` character (read from its set of distinct
    characters: faster than a regex scan)."""
    return not any(map(_re2_unsafe_char, set(text)))


# Pattern text whose meaning differs between the engines though RE2 accepts it: "$" (Python also
# matches before a final newline) and "[:" (a POSIX class in RE2, plain characters in Python).
RE2_DIFFERENT_RE = re.compile(r"\$|\[:")


class LexiconError(ValueError):
    """A lexicon file that cannot be used: the message names the file, row and term_id."""


def load_lexicon(path: str | os.PathLike) -> pd.DataFrame:
    """Read and validate the lexicon CSV; return it with ``label``, ``referent`` and ``order``.

    Checks the columns, term_id syntax and uniqueness, side, and that every pattern compiles, has
    no named groups and cannot match the empty string. Raises ``LexiconError`` naming the file,
    the row (1 = first data row) and the term_id.
    """
    path = Path(path)
    name = path.name
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise LexiconError(f"{name}: cannot read the lexicon ({exc})") from exc
    return validate_lexicon(table, source=name)


def validate_lexicon(table: pd.DataFrame, source: str = "lexicon") -> pd.DataFrame:
    """Validate a lexicon table (see ``load_lexicon``); return a clean copy with ``order``."""
    missing = [c for c in LEXICON_COLUMNS if c not in table.columns]
    if missing:
        raise LexiconError(f"{source}: missing column(s) {', '.join(missing)}")
    lexicon = table.copy()
    for column in LEXICON_COLUMNS:
        lexicon[column] = lexicon[column].fillna("").astype(str).str.strip()
    seen: dict[str, int] = {}
    for row, term in enumerate(lexicon.itertuples(index=False), start=1):
        where = f"{source}: row {row} (term_id {term.term_id!r})"
        if not TERM_ID_RE.fullmatch(term.term_id):
            raise LexiconError(f"{where}: term_id must be lower-case letters, digits and _")
        if term.term_id in seen:
            raise LexiconError(f"{where}: duplicate term_id (first in row {seen[term.term_id]})")
        seen[term.term_id] = row
        if not term.side:
            raise LexiconError(f"{where}: empty side (name the side whose usage this is)")
        if not term.category:
            raise LexiconError(f"{where}: empty category")
        if not term.pattern:
            raise LexiconError(f"{where}: empty pattern")
        try:
            compiled = re.compile(term.pattern, re.IGNORECASE)
        except re.error as exc:
            raise LexiconError(f"{where}: bad regular expression ({exc})") from exc
        if compiled.groupindex:
            raise LexiconError(f"{where}: named groups are reserved; use (?:...)")
        if any(m.end() == m.start() for m in compiled.finditer(" a, b. ")):
            raise LexiconError(f"{where}: pattern can match the empty string")
    for column in OPTIONAL_COLUMNS:
        given = lexicon[column] if column in lexicon.columns else pd.Series("", index=lexicon.index)
        given = given.fillna("").astype(str).str.strip()
        lexicon[column] = given.where(given != "", lexicon["term_id"].str.replace("_", " "))
    given = lexicon[GROUP_COLUMN] if GROUP_COLUMN in lexicon.columns else lexicon["category"]
    given = given.fillna("").astype(str).str.strip()
    lexicon[GROUP_COLUMN] = given.where(given != "", lexicon["category"])
    lexicon["order"] = np.arange(len(lexicon), dtype=np.int64)
    return lexicon.reset_index(drop=True)


def sides_csv(lexicon_path: str | os.PathLike) -> Path:
    """The sides file of a lexicon: ``<lexicon stem>_sides.csv`` beside it if present, else the
    study's ``data/sides.csv``."""
    path = Path(lexicon_path)
    own = path.with_name(f"{path.stem}_sides.csv")
    return own if own.is_file() else paths.project_root() / "data" / "sides.csv"


def load_sides(lexicon_path: str | os.PathLike) -> pd.DataFrame:
    """side, label, colour, order for every side the lexicon at ``lexicon_path`` names.

    Labels and colours come from ``sides_csv``; a side it does not name gets its title-cased
    name as label and the first ``SIDE_PALETTE`` colour not yet given (in the lexicon's order,
    so the same lexicon always gets the same colours), with a warning. Rows go in the sides
    file's order, then unknown sides in lexicon order; ``order`` counts from 1.
    """
    lexicon = load_lexicon(lexicon_path)
    named = list(dict.fromkeys(lexicon["side"]))
    source = sides_csv(lexicon_path)
    known = (
        pd.read_csv(source, dtype=str, keep_default_na=False, encoding="utf-8")
        if source.is_file()
        else pd.DataFrame(columns=SIDES_COLUMNS)
    )
    for column in SIDES_COLUMNS:
        if column not in known.columns:
            known[column] = ""
    known = known[SIDES_COLUMNS].apply(lambda c: c.str.strip())
    known["order"] = pd.to_numeric(known["order"], errors="coerce")
    known = known[known["side"].isin(named)].sort_values("order", kind="stable", na_position="last")
    rows = [(r.side, r.label or r.side.title(), r.colour) for r in known.itertuples(index=False)]
    unknown = [side for side in named if side not in set(known["side"])]
    if unknown:
        warnings.warn(
            f"{paths.display(source)} names no label or colour for side(s) "
            f"{', '.join(unknown)}: using the title-cased name and a palette colour",
            stacklevel=2,
        )
    rows += [(side, side.title(), "") for side in unknown]
    used = {colour.upper() for _, _, colour in rows if colour}
    spare = [c for c in SIDE_PALETTE if c.upper() not in used]
    filled = []
    for side, label, colour in rows:
        if not colour:
            colour = spare.pop(0) if spare else SIDE_PALETTE[len(filled) % len(SIDE_PALETTE)]
        filled.append((side, label, colour, len(filled) + 1))
    table = pd.DataFrame(filled, columns=SIDES_COLUMNS)
    return table.astype({"order": "int64"})


def category_patterns(lexicon: pd.DataFrame) -> dict[str, re.Pattern[str]]:
    """One compiled, case-insensitive alternation per category, terms as named groups.

    Within a category the lexicon's row order is the priority: at a given position the first
    term that matches wins, so "Southern Kurils" is ``southern_kurils``, never ``kuril_islands``.
    """
    patterns: dict[str, re.Pattern[str]] = {}
    for category, terms in lexicon.sort_values("order").groupby("category", sort=False):
        alternation = "|".join(
            f"(?P<{t.term_id}>{t.pattern})" for t in terms.itertuples(index=False)
        )
        # Speed: when every term starts at a word boundary, first skip to word starts (the same
        # matches as long as each such pattern's leading \b is followed by a word character, as
        # in every lexicon term).
        if all(str(p).startswith(r"\b") for p in terms["pattern"]):
            alternation = rf"{WORD_START}(?:{alternation})"
        patterns[str(category)] = re.compile(alternation, re.IGNORECASE)
    return patterns


def re2_twin(alternation: str) -> object | None:
    """The category ``alternation`` compiled by RE2 (case-insensitive), or None when RE2 cannot
    read it exactly as Python does (lookarounds, backreferences, possessive repeats, \\u escapes
    are refused by RE2; "$" and "[:" are refused here). On a text without ``RE2_UNSAFE_RE``
    characters the twin finds the same matches as the Python pattern: both engines pick the
    leftmost match and, within it, the first alternative (Perl semantics).
    """
    if RE2_DIFFERENT_RE.search(alternation):
        return None
    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False
    try:
        return re2.compile(alternation, options)
    except re2.error:
        return None


@dataclass(frozen=True)
class Term:
    """One lexicon term as mentions need it."""

    term_id: str
    side: str
    category: str


@dataclass(frozen=True)
class CompiledLexicon:
    """What matching needs from the lexicon; small and picklable (patterns pickle as source).

    ``patterns``: one alternation per category (``category_patterns``), a match's ``lastgroup``
    naming its term. ``terms``: every term in lexicon order; ``by_id`` the same by term_id.
    ``rank``: each term_id's place in alphabetical order, which orders mentions that start at the
    same offset.
    """

    patterns: tuple[re.Pattern[str], ...]
    terms: tuple[Term, ...]
    by_id: dict[str, Term]
    rank: dict[str, int]
    # RE2 twins of ``patterns`` (None: no twin), compiled again after unpickling.
    twins: tuple = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        twins = tuple(re2_twin(_without_word_start(p.pattern)) for p in self.patterns)
        object.__setattr__(self, "twins", twins)

    def __reduce__(self) -> tuple:
        return (CompiledLexicon, (self.patterns, self.terms, self.by_id, self.rank))


def _without_word_start(pattern: str) -> str:
    """A category pattern without the ``WORD_START`` skip that ``category_patterns`` adds (RE2
    has no lookbehind; every term of such a category starts with \\b and a word character, so
    the matches are the same)."""
    prefix = f"{WORD_START}(?:"
    return pattern[len(prefix) : -1] if pattern.startswith(prefix) else pattern


def compile_lexicon(lexicon: pd.DataFrame) -> CompiledLexicon:
    """The ``CompiledLexicon`` of a table from ``load_lexicon`` / ``validate_lexicon``."""
    ordered = lexicon.sort_values("order")
    terms = tuple(
        Term(str(t.term_id), str(t.side), str(t.category)) for t in ordered.itertuples(index=False)
    )
    rank = {term_id: k for k, term_id in enumerate(sorted(t.term_id for t in terms))}
    by_id = {t.term_id: t for t in terms}
    return CompiledLexicon(tuple(category_patterns(lexicon).values()), terms, by_id, rank)


# --- entry points the rest of the package calls (thin wrappers over wording.mentions) ----------


def find_mentions(articles: pd.DataFrame, lexicon: pd.DataFrame) -> pd.DataFrame:
    """Every lexicon match in the article bodies: ``wording.mentions.find_mentions``."""
    from wording import mentions  # wording.mentions imports this module

    return mentions.find_mentions(articles, lexicon)


def count_terms(
    mentions: pd.DataFrame, articles: pd.DataFrame, lexicon: pd.DataFrame
) -> pd.DataFrame:
    """Mentions per outlet × term × voice: ``wording.mentions.count_terms``."""
    from wording import mentions as mentions_mod

    return mentions_mod.count_terms(mentions, articles, lexicon)


__all__ = [
    "LEXICON_COLUMNS",
    "QUOTE_COLUMNS",
    "SIDES_COLUMNS",
    "CompiledLexicon",
    "LexiconError",
    "Term",
    "category_patterns",
    "compile_lexicon",
    "count_terms",
    "find_mentions",
    "load_lexicon",
    "load_sides",
    "quote_spans",
    "sides_csv",
    "validate_lexicon",
]
