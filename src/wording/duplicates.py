"""Duplicate articles: exact copies (the same normalised text) and near copies.

Each body gets a fingerprint once, with the page (``fingerprint``): the hash of its normalised
text (its words case-folded, joined by single spaces) and a MinHash signature of its 3-word
shingles (``NUM_PERM`` min-wise hashes, vectorised with numpy). ``find_duplicates`` then works
on the whole corpus:

- exact copies share the text hash;
- near copies: pairs whose signatures agree on a whole band (LSH banding: ``BANDS`` bands of
  ``ROWS`` values) are candidates; those whose signatures agree on less than ``ESTIMATE_MIN`` of
  their values are dropped; the rest are confirmed by the exact Jaccard similarity of the two
  bodies' 3-word shingle sets (>= ``NEAR_DUPLICATE_JACCARD``), re-shingled from the bodies (only
  candidates, so cheap).

The earlier file in name order is kept. A band value carried by more than ``COMMON_BAND`` pages
is boilerplate: each later page that carries it is paired only with the first ``COMMON_BAND``,
so the candidates are at most ``BANDS * COMMON_BAND`` per page however much text pages share.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

from wording.text import WORD_RE

NEAR_DUPLICATE_JACCARD = 0.8  # share of 3-word shingles two bodies must share to be one article
SHINGLE = 3  # words per shingle
# LSH banding: a pair of Jaccard similarity s shares a band with probability 1 - (1 - s**4)**32:
# at s = 0.8 it misses with probability 4.7e-8 (fewer than 5 near copies in 100 million), at
# s = 0.3 it is a candidate with probability 0.23 (dropped by ESTIMATE_MIN before the exact check).
BANDS, ROWS = 32, 4
NUM_PERM = BANDS * ROWS
# Candidates whose signatures agree on fewer values than this are dropped before the exact check:
# at s = 0.8 fewer than 0.6 * 128 of 128 values agree with probability 7.6e-8 (binomial tail).
ESTIMATE_MIN = 0.6
# A band value in more pages than this is boilerplate (see the module note). Such values come from
# bands that text many pages share decides; the bands a page's own text decides still pair it
# with its near copies (a test plants one beside shared boilerplate).
COMMON_BAND = 10
DUPLICATE_COLUMNS = ["file", "duplicate_of", "similarity"]

# The min-wise hash functions: h -> (a * h + b) mod 2**64, top 32 bits (multiply-shift hashing,
# Dietzfelbinger et al.), a odd; fixed seed, so signatures are the same in every process and run.
_PERMUTATIONS = np.random.default_rng(1).integers(0, 2**64, size=(2, NUM_PERM), dtype=np.uint64)
_A = _PERMUTATIONS[0] | np.uint64(1)
_B = _PERMUTATIONS[1]
_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd 64-bit multiplier that spreads word hashes


class Fingerprint(NamedTuple):
    """What duplicate detection keeps of a body: a hash of its normalised text, and the MinHash
    signature (``NUM_PERM`` uint32 values) of its 3-word shingles."""

    key: int
    minhash: np.ndarray


def normal_words(body: str) -> list[str]:
    """The body's words (``wording.text.WORD_RE``), case-folded: what duplicates compare."""
    return " ".join(WORD_RE.findall(body)).casefold().split()


def shingle_set(body: str) -> set[tuple[str, ...]]:
    """The body's distinct 3-word sequences (one shorter tuple if it has fewer words)."""
    words = normal_words(body)
    if len(words) < SHINGLE:
        return {tuple(words)}
    return set(zip(*(words[k:] for k in range(SHINGLE)), strict=False))


def jaccard(a: set, b: set) -> float:
    """|a ∩ b| / |a ∪ b| of two non-empty sets."""
    return len(a & b) / len(a | b)


def _key(text: str) -> int:
    """A stable 64-bit hash (the same in every process, unlike ``hash``)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")


def _shingle_hashes(words: list[str]) -> np.ndarray:
    """A 64-bit hash of each 3-word shingle (of the whole list, if shorter), from word hashes;
    a shingle printed twice is hashed twice (a minimum does not see repeats, so the signature
    needs no de-duplication, which costs more than the hashing)."""
    # pandas hashes an array of strings in C, with a fixed key: the same in every process.
    ids = pd.util.hash_array(np.array(words, dtype=object), categorize=False)
    width = min(SHINGLE, len(ids))
    n = len(ids) - width + 1
    h = np.full(n, width, dtype=np.uint64)  # the width keeps a 2-word body apart from a shingle
    for k in range(width):
        h = h * _MIX + ids[k : k + n]  # wraps modulo 2**64, as intended
    return h


def minhash_signature(hashes: np.ndarray) -> np.ndarray:
    """The MinHash signature (``NUM_PERM`` uint32 values) of a non-empty set of 64-bit hashes
    (repeats allowed): per hash function, the least value it takes on the set."""
    signature = np.empty(NUM_PERM, dtype=np.uint64)
    for s in range(0, len(hashes), 256):  # in pieces: a piece is 256 x NUM_PERM values
        values = hashes[s : s + 256, None] * _A + _B  # wraps modulo 2**64, as intended
        least = values.min(axis=0)
        signature = least if s == 0 else np.minimum(signature, least)
    return (signature >> np.uint64(32)).astype(np.uint32)


def counted_fingerprint(body: str) -> tuple[int, Fingerprint]:
    """(number of words, ``fingerprint(body)``) from one tokenisation of the body."""
    words = normal_words(body)
    return len(words), Fingerprint(_key(" ".join(words)), minhash_signature(_shingle_hashes(words)))


def fingerprint(body: str) -> Fingerprint:
    """The body's ``Fingerprint``: pure, and the same in every process."""
    return counted_fingerprint(body)[1]


def candidate_pairs(signatures: np.ndarray) -> np.ndarray:
    """(j, k) row pairs, j < k, of ``signatures`` (one MinHash signature per row) that agree on
    a whole band, sorted; each row is paired with at most ``COMMON_BAND`` earlier rows per band."""
    n = len(signatures)
    codes = np.empty(0, dtype=np.int64)
    for band in range(BANDS):
        values = signatures[:, band * ROWS : (band + 1) * ROWS].astype(np.uint64)
        key = np.zeros(n, dtype=np.uint64)
        for col in values.T:  # a 64-bit key per band value; a collision only adds a candidate
            key = key * _MIX + col
        order = np.argsort(key, kind="stable")  # by band value, then row
        ordered = key[order]
        start = np.r_[0, np.flatnonzero(ordered[1:] != ordered[:-1]) + 1]
        sizes = np.diff(np.r_[start, n])
        first = np.repeat(start, sizes)  # where each row's band value begins in ``order``
        reach = np.minimum(np.arange(n) - first, COMMON_BAND)  # earlier rows it pairs with
        total = int(reach.sum())
        if total == 0:
            continue
        member = np.repeat(np.arange(n), reach)
        offset = np.arange(total) - np.repeat(np.cumsum(reach) - reach, reach)
        partner = first[member] + offset
        codes = np.union1d(codes, order[partner].astype(np.int64) * n + order[member])
    return np.column_stack((codes // n, codes % n)) if n else np.empty((0, 2), dtype=np.int64)


def estimated_similarity(signatures: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """The share of signature values each (j, k) pair of rows agrees on: its estimated Jaccard."""
    out = np.empty(len(pairs))
    for s in range(0, len(pairs), 50_000):  # in pieces: a pair compares NUM_PERM values
        j, k = pairs[s : s + 50_000, 0], pairs[s : s + 50_000, 1]
        out[s : s + 50_000] = (signatures[j] == signatures[k]).mean(axis=1)
    return out


def find_duplicates(
    files: Sequence[str], fingerprints: Sequence[Fingerprint], bodies: Sequence[str]
) -> pd.DataFrame:
    """Pairs (file, duplicate_of, similarity) of identical or near-identical bodies.

    ``files``, ``fingerprints`` (from ``fingerprint``) and ``bodies`` are aligned, in any order.
    An exact copy (similarity 1.0) names the first file, in name order, with the same text; a
    near copy names the earlier kept (not itself duplicate) file whose 3-word shingle Jaccard
    similarity with it is highest and at least 0.8 (ties: the earlier file). Rows in file order.
    """
    keys = np.fromiter((fp.key for fp in fingerprints), dtype=np.uint64, count=len(fingerprints))
    minhashes = np.stack([fp.minhash for fp in fingerprints]) if len(fingerprints) else None
    return duplicates_of(files, keys, minhashes, bodies)


def duplicates_of(
    files: Sequence[str],
    keys: np.ndarray,
    minhashes: np.ndarray | None,
    bodies: Sequence[str],
) -> pd.DataFrame:
    """``find_duplicates`` of fingerprints held as columns: ``keys`` (uint64, one per body)
    and ``minhashes`` (one signature per row, ``NUM_PERM`` uint32 columns). Only the bodies of
    candidate pairs are read (``bodies[i]``), so ``bodies`` may be an array of stored text."""
    order = sorted(range(len(files)), key=files.__getitem__)
    files = [files[i] for i in order]
    n = len(files)
    if n < 2:
        return pd.DataFrame([], columns=DUPLICATE_COLUMNS)
    exact = np.asarray(keys, dtype=np.uint64)[order]
    _, first_index, inverse = np.unique(exact, return_index=True, return_inverse=True)
    original = first_index[inverse]
    is_copy = original != np.arange(n)
    # Near copies among the rest: LSH candidates, thinned by their estimated similarity.
    rest = np.flatnonzero(~is_copy)
    signatures = minhashes[np.asarray(order)[rest]]
    pairs = candidate_pairs(signatures)
    pairs = pairs[estimated_similarity(signatures, pairs) >= ESTIMATE_MIN]
    candidates: dict[int, list[int]] = {}
    for j, k in rest[pairs].tolist():
        candidates.setdefault(k, []).append(j)
    # In file order: a candidate counts only if it was itself kept.
    near: dict[int, tuple[int, float]] = {}
    for k in sorted(candidates):
        best = None
        a = shingle_set(bodies[order[k]])
        for j in candidates[k]:
            if j in near:
                continue
            similarity = jaccard(a, shingle_set(bodies[order[j]]))
            if similarity >= NEAR_DUPLICATE_JACCARD and (
                best is None or (similarity, -j) > (best[1], -best[0])
            ):
                best = (j, similarity)
        if best:
            near[k] = best
    rows: list[tuple[str, str, float]] = []
    for k in range(n):
        if is_copy[k]:
            rows.append((files[k], files[original[k]], 1.0))
        elif k in near:
            rows.append((files[k], files[near[k][0]], round(float(near[k][1]), 4)))
    return pd.DataFrame(rows, columns=DUPLICATE_COLUMNS)


def duplicate_rejections(duplicates: pd.DataFrame) -> list[dict]:
    """One rejection (file, reason) per row of ``find_duplicates``, saying which copy is kept."""
    return [
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
        for r in duplicates.itertuples()
    ]
