"""Text primitives shared by every stage: whitespace normalisation and word tokens."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

# Horizontal white space of any kind (NBSP, thin space, tabs...) but not line breaks:
# pages copied from the web pad words with no-break spaces; they are spaces for every purpose here.
HSPACE_RE = re.compile(r"[^\S\n]+")

# A word: letters or digits, with inner apostrophes or hyphens kept ("Russia's", "two-plus-two").
# Must match "Kishida", "2+2"'s digits, "Russia’s" (curly apostrophe), "counter-terrorism";
# must not match punctuation or the dashes between clauses.
WORD_RE = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")


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


def count_words(text: str) -> int:
    """Number of word tokens in ``text`` (see ``WORD_RE``)."""
    return len(WORD_RE.findall(text))


def count_words_series(texts: pd.Series) -> pd.Series:
    """Word counts for a column of texts, vectorised through pandas' regex engine."""
    if len(texts) == 0:
        return pd.Series([], dtype="int64", index=texts.index)
    return texts.fillna("").astype(str).str.count(WORD_RE.pattern).astype(np.int64)
