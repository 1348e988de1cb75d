"""The compare stage as the build runs it: TF-IDF (``wording.features``), keyness
(``wording.keyness``) and similarity (``wording.similarity``) from one count of the bodies.

The names other code has imported from here are re-exported from those modules.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from wording.features import (  # noqa: F401 (re-exported)
    LEXICON_NAME_CATEGORIES,
    NUMBER_FEATURE_RE,
    POSSESSIVE_RE,
    PhraseMatcher,
    TermCounts,
    TfidfSettings,
    article_counts,
    count_matrix,
    count_terms,
    default_matcher,
    english_stop_words,
    feature_mask,
    lexicon_phrases,
    load_phrases,
    outlet_indicator,
    phrase_matcher,
    phrase_pattern,
    phrases_csv,
    tfidf_from_counts,
    tfidf_tables,
    top_k_rows,
    top_terms_by_setting,
    weights_tables,
)
from wording.keyness import (  # noqa: F401 (re-exported)
    ALPHA0,
    bounded_keyness,
    keyness,
    keyness_extremes,
    keyness_table,
)
from wording.similarity import (  # noqa: F401 (re-exported)
    MAX_FULL_SIMILARITY,
    NEIGHBOUR_MAX_DF,
    article_similarity,
    outlet_similarity,
    pair_cosine,
    pairs_in_groups,
    similarity_matrix,
    similarity_neighbours,
    similarity_tables,
    sorted_unique,
    unique_pairs,
)
from wording.text import WORD_RE  # noqa: F401 (re-exported)


def compare_tables(
    articles: pd.DataFrame,
    matcher: PhraseMatcher | None = None,
    settings: TfidfSettings | None = None,
    alpha0: float = ALPHA0,
) -> dict[str, pd.DataFrame]:
    """``tfidf_terms.csv``, ``tfidf_articles.csv``, ``similarity.csv``,
    ``similarity_outlets.csv`` and ``keyness.csv`` by file name, from one count of the bodies.

    ``articles`` needs ``file``, ``outlet``, ``body``. Keyness counts every word (stop words
    included, as in Monroe et al.); TF-IDF drops stop words and numbers from the same counts.
    """
    settings = settings or TfidfSettings()
    matcher = matcher if matcher is not None and settings.phrases else PhraseMatcher([], [])
    counts = TermCounts(*count_matrix([article_counts(b, matcher) for b in articles["body"]]))
    key = keyness_table(counts.matrix, counts.terms, articles["outlet"], alpha0=alpha0)
    weights = tfidf_from_counts(counts, settings)
    tfidf_terms, tfidf_articles = weights_tables(articles, weights)
    return {
        "tfidf_terms.csv": tfidf_terms,
        "tfidf_articles.csv": tfidf_articles,
        **similarity_tables(weights.matrix, articles),
        "keyness.csv": key,
    }


def __getattr__(name: str):
    if name == "ENGLISH_STOP_WORDS":  # the list, loaded on first use
        return english_stop_words()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# --------------------------------------------------------------------------------------------
# Kept only for wording.reuse, which imports them from here; delete when reuse no longer does
# (issue 12 rewrites reuse). Serial: no worker processes, no memory tweaks.
# --------------------------------------------------------------------------------------------


def n_workers() -> int:
    """One: the package no longer starts worker processes of its own."""
    return 1


def split_chunks(n: int, min_size: int, workers: int | None = None) -> list[slice]:
    """One slice over all ``n`` items."""
    return [slice(0, n)]


def iter_chunks(func, chunks: list, *args, workers: int | None = None):
    """``func(chunk, *args)`` for each chunk, in order."""
    for chunk in chunks:
        yield func(chunk, *args)


def map_chunks(func, chunks: list, *args, workers: int | None = None) -> list:
    """``[func(chunk, *args) for chunk in chunks]``."""
    return [func(chunk, *args) for chunk in chunks]


def release_memory() -> None:
    """Nothing: memory is left to Python's allocator."""


_HASH_BASES = (np.uint64(0x100000001B3), np.uint64(0x9E3779B97F4A7C15))  # odd: invertible
_SEPARATORS = ("'", "’", "-")  # WORD_RE's inner characters: "Russia's", "two-plus-two"


@functools.cache
def _word_char_table() -> np.ndarray:
    """For every code point below 65536: 1 if it is ``[^\\W_]`` (Python's ``str.isalnum``), 2 if
    it is one of WORD_RE's inner characters (apostrophes, hyphen), else 0."""
    table = np.array([chr(c).isalnum() for c in range(65536)], dtype=np.uint8)
    table[[ord(c) for c in _SEPARATORS]] = 2
    return table


@functools.lru_cache(maxsize=4)
def _powers(size: int, base: np.uint64) -> tuple[np.ndarray, np.ndarray]:
    """base**i and base**-i modulo 2**64 for i < size."""
    out = []
    for factor in (base, np.uint64(pow(int(base), -1, 2**64))):
        power = np.full(size, factor, dtype=np.uint64)
        power[0] = 1
        out.append(np.cumprod(power, out=power))
    return out[0], out[1]


def word_tokens(text: str, hashes: int = 1) -> tuple[np.ndarray, ...]:
    """Start and end offsets of ``WORD_RE``'s tokens in ``text``, and a 64-bit hash of each.

    Same tokens as ``WORD_RE.findall``, found with numpy: a character is in a word if it is a
    letter or digit, or an apostrophe or hyphen between two of them; a word is a maximal run of
    such characters. The hash is a polynomial of the code points modulo 2**64 (from prefix sums,
    no loop over tokens); ``hashes=2`` adds a second, independent one (to detect collisions).
    Returns (start, end, hash[, hash2]).
    """
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    n = len(codes)
    if n and codes.max() > 0xFFFF:  # characters beyond the table: asked one by one
        kind = _word_char_table()[np.minimum(codes, 0xFFFF)]
        wide = np.flatnonzero(codes > 0xFFFF)
        kind[wide] = [chr(c).isalnum() for c in codes[wide].tolist()]
    else:
        kind = _word_char_table()[codes]
    inside = kind == 1
    joiner = np.flatnonzero(kind == 2)  # few: checked one by one, vectorised
    joiner = joiner[(joiner > 0) & (joiner < n - 1)]
    inside[joiner] = inside[joiner - 1] & inside[joiner + 1]
    edge = np.diff(inside.view(np.int8), prepend=np.int8(0), append=np.int8(0))
    start, end = np.flatnonzero(edge == 1), np.flatnonzero(edge == -1)
    out = [start, end]
    size = 1 << max(20, int(n).bit_length())
    wide_codes = codes.astype(np.uint64)
    for base in _HASH_BASES[:hashes]:
        power, inverse = _powers(size, base)
        prefix = np.zeros(n + 1, dtype=np.uint64)
        np.cumsum(wide_codes * inverse[:n], out=prefix[1:])
        out.append((prefix[end] - prefix[start]) * power[end - 1])
    return tuple(out)
