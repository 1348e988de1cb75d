"""The one definition of the units every stage reads: white space, word, sentence, paragraph and
quotation mark. Every other module imports these; none defines its own.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

# --- white space -------------------------------------------------------------------------------

# Horizontal white space of any kind (NBSP, thin space, tabs...) but not line breaks:
# pages copied from the web pad words with no-break spaces; they are spaces for every purpose here.
HSPACE_RE = re.compile(r"[^\S\n]+")


def normalize_line(line: str) -> str:
    """One line with every run of white space (NBSP included) as a single space, ends stripped.

    Assumes no line break inside ``line``; ``str.split`` does the work at C speed.
    """
    return " ".join(line.split())


# White space other than a plain space or a line end (NBSP, tabs...): one character class, which
# the regex engine scans fast; double spaces are found by plain substring search.
_ODD_SPACE = re.compile(r"[^\S\n ]")
_SPACE_RUN = re.compile(r"[^\S\n]+")


def normalize_lines(text: str) -> list[str]:
    """``[normalize_line(x) for x in text.split("\\n")]``, by whole-text passes: a scan for
    unusual white space, and a substitution or a strip only where the page needs them."""
    if "  " in text or _ODD_SPACE.search(text):
        text = _SPACE_RUN.sub(" ", text)
    lines = text.split("\n")
    if " \n" in text or "\n " in text or text.startswith(" ") or text.endswith(" "):
        lines = [x.strip(" ") for x in lines]
    return lines


# --- words ---------------------------------------------------------------------------------------

# A word: letters or digits, with inner apostrophes or hyphens kept ("Russia's", "two-plus-two").
# Must match "Kishida", "2+2"'s digits, "Russia’s" (curly apostrophe), "counter-terrorism";
# must not match punctuation or the dashes between clauses.
WORD_RE = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")

# Apostrophe-like characters that count as one straight apostrophe when words are compared.
APOSTROPHES = "’‘`´"
# Straight and curly quotes/apostrophes as one character each, for comparing wording.
QUOTE_TRANSLATION = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "`": "'", "´": "'"})


def words(text: str) -> list[str]:
    """The word tokens of ``text`` (see ``WORD_RE``), as written."""
    return WORD_RE.findall(text)


def count_words(text: str) -> int:
    """Number of word tokens in ``text`` (see ``WORD_RE``)."""
    return len(WORD_RE.findall(text))


def count_words_series(texts: pd.Series) -> pd.Series:
    """Word counts for a column of texts, vectorised through pandas' regex engine."""
    if len(texts) == 0:
        return pd.Series([], dtype="int64", index=texts.index)
    return texts.fillna("").astype(str).str.count(WORD_RE.pattern).astype(np.int64)


# --- sentences -----------------------------------------------------------------------------------

# A sentence ends at . ! ? or … (optionally followed by a closing quote or bracket) before white
# space and an upper-case letter, digit or opening quote. Must split "war. The islands" and
# 'said." Tokyo'; must not split "U.S. President" (a single capital before the full stop) or
# "Mr. Abe" / "St. Petersburg" (common abbreviations), nor inside "2+2" or "9.56".
SENTENCE_END_RE = re.compile(
    r"([.!?…])(?<![\s.][A-Z]\.)(?<!^[A-Z]\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bDr\.)(?<!\bSt\.)"
    r"(?<!\bNo\.)([\"”’')\]]?)\s+(?=[\"“‘'(\[]?[A-Z0-9])"
)
_BREAK = "\x00"


def sentences(paragraph: str) -> list[str]:
    """The sentences of one paragraph (see ``SENTENCE_END_RE``), in order, none empty."""
    return [s for s in SENTENCE_END_RE.sub("\\1\\2" + _BREAK, paragraph).split(_BREAK) if s]


def sentence_spans(paragraph: str) -> list[tuple[int, int]]:
    """(start, end) offsets of ``sentences(paragraph)`` in ``paragraph``."""
    spans, start = [], 0
    for m in SENTENCE_END_RE.finditer(paragraph):
        spans.append((start, m.end(2)))
        start = m.end()
    spans.append((start, len(paragraph)))
    return [(s, e) for s, e in spans if e > s]


# --- paragraphs ----------------------------------------------------------------------------------

# A paragraph break: an empty line (possibly holding stray spaces) between two paragraphs.
# Must match "\n\n" and "\n \n"; must not match a single hard-wrap "\n".
PARAGRAPH_BREAK_RE = re.compile(r"\n[^\S\n]*\n\s*")
# How the build joins an article's body paragraphs into one body text.
PARAGRAPH_SEPARATOR = "\n\n"


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph of ``text`` (separated by empty lines), none empty."""
    bounds, start = [], 0
    for m in PARAGRAPH_BREAK_RE.finditer(text):
        bounds.append((start, m.start()))
        start = m.end()
    bounds.append((start, len(text)))
    return [(s, e) for s, e in bounds if e > s]


# --- quotation marks -----------------------------------------------------------------------------

# Double quotation marks: straight, curly, low-9, reversed and guillemets. Whether each one opens or
# closes is decided from its neighbours (``wording.quotes``), not from its shape alone.
DOUBLE_MARKS = '"\u201c\u201d\u201e\u201f\u00ab\u00bb'
DOUBLE_QUOTE_RE = re.compile(f"[{DOUBLE_MARKS}]")
OPEN_SHAPES = "\u201c\u201e\u201f\u00ab"  # “ „ ‟ «
CLOSE_SHAPES = "\u201d\u00bb"  # ” »
# Single quotation marks that can open a quotation: ' ‘ ‚ ‹ (an apostrophe is told apart by
# position, in ``wording.quotes``).
SINGLE_OPENERS = "'\u2018\u201a\u2039"
SINGLE_CLOSERS = "'\u2019\u203a"
