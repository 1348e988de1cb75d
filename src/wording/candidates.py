"""Candidate pairs of sentences, their scores, and each sentence's best counterpart per outlet,
found block by block in memory that does not grow with the number of pairs (the method is
``counterparts``' docstring, steps 4-6; this module is how it runs on a large corpus).

- The sentences are taken in date order (``Neighbours.by_date``), ``BLOCK`` at a time. A
  candidate pair belongs to the block of its earlier sentence in that order, so each pair is
  proposed, de-duplicated and scored in exactly one block, and no list of all pairs exists.
- Each block's scored pairs are reduced at once, in both directions, into running arrays with
  one cell per (sentence, counterpart outlet) (``BestSoFar``): score, counterpart, semantic,
  lexical, conflict. Memory: those cells (25 bytes each), each sentence's anchors (``Lexical``,
  about 100 bytes), its piece counts for the embeddings, and one block's pairs.
- Embeddings are not kept for the whole corpus (1 KB a sentence): each block embeds the
  sentences its pairs need (``embedding.PieceEmbedder``; the same numbers as one product over
  all sentences).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

BLOCK = 16384  # sentences per block: up to 64 pairs each (``SEEK`` x 2 ``WINDOW``)
PAIR_CHUNK = 4096  # pairs scored at once: their embeddings stay in the processor's cache


def rarest(postings: sp.csr_matrix, article: np.ndarray, k: int) -> sp.csr_matrix:
    """``postings`` with only each sentence's ``k`` rarest anchors that a sentence of another
    article also holds (fewest holders first, ties by key number)."""
    csr = postings.tocsr()
    df = np.diff(csr.tocsc().indptr)
    row = np.repeat(np.arange(csr.shape[0]), np.diff(csr.indptr))
    col = csr.indices
    # an anchor some other article holds: its holders' article numbers are not all the same
    first = np.full(csr.shape[1], -1)
    first[col[::-1]] = article[row[::-1]]
    mixed = np.zeros(csr.shape[1], dtype=bool)
    np.logical_or.at(mixed, col, article[row] != first[col])
    useful = mixed[col]
    row, col = row[useful], col[useful]
    order = np.lexsort((col, df[col], row))
    row, col = row[order], col[order]
    start = np.searchsorted(row, np.arange(csr.shape[0]))
    rank = np.arange(len(row)) - start[row]
    keep = rank < k
    data = np.ones(int(keep.sum()))
    return sp.csr_matrix((data, (row[keep], col[keep])), shape=csr.shape)


def candidate_pairs(
    postings: sp.csr_matrix, article: np.ndarray, order: np.ndarray, window: int
) -> tuple[np.ndarray, np.ndarray]:
    """All candidate pairs at once (the definition ``block_pairs`` follows block by block; for
    tests and small tables): pairs (a, b), a < b, of sentences of different articles sharing
    an anchor: each posting of an anchor with the next ``window`` postings of that anchor in
    ``order`` (date rank). At most ``window`` pairs per posting; duplicates removed."""
    nb = Neighbours.of(postings, order)
    key, who = nb.key, nb.who
    a_parts, b_parts = [], []
    for step in range(1, window + 1):
        same = key[step:] == key[:-step]
        if not same.any():
            break
        a, b = who[:-step][same], who[step:][same]
        keep = article[a] != article[b]
        a_parts.append(np.minimum(a, b)[keep])
        b_parts.append(np.maximum(a, b)[keep])
    if not a_parts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    pair = np.sort(np.concatenate(a_parts) * np.int64(len(article)) + np.concatenate(b_parts))
    pair = pair[np.r_[True, pair[1:] != pair[:-1]]]  # distinct (sorting beats np.unique here)
    return pair // len(article), pair % len(article)


@dataclass
class Neighbours:
    """The postings of the seeking anchors sorted by anchor, then date rank, then sentence
    (``key``, ``who``); ``at[start[s]:start[s + 1]]`` are sentence s's positions in them;
    ``rank`` is each sentence's place in date order and ``by_date`` its inverse."""

    key: np.ndarray
    who: np.ndarray
    at: np.ndarray
    start: np.ndarray
    rank: np.ndarray
    by_date: np.ndarray

    @classmethod
    def of(cls, postings: sp.csr_matrix, order: np.ndarray) -> Neighbours:
        """The neighbours of ``postings`` (sentences x anchors) with ``order`` the sentences'
        date ranks (ties allowed: sentences of one article)."""
        csc = postings.tocsc()
        n = csc.shape[0]
        key = np.repeat(np.arange(csc.shape[1], dtype=np.int64), np.diff(csc.indptr))
        who = csc.indices.astype(np.int64)
        sort = np.lexsort((order[who], key))  # stable: sentence number breaks the ties
        key, who = key[sort], who[sort]
        at = np.argsort(who, kind="stable")
        start = np.searchsorted(who[at], np.arange(n + 1))
        by_date = np.argsort(order, kind="stable")
        rank = np.empty(n, np.int64)
        rank[by_date] = np.arange(n)
        return cls(key, who, at, start, rank, by_date)


def block_pairs(
    nb: Neighbours, article: np.ndarray, lo: int, hi: int, window: int
) -> tuple[np.ndarray, np.ndarray]:
    """The candidate pairs (a, b), a < b, distinct, whose earlier sentence in date order is one
    of ``nb.by_date[lo:hi]``: of each of its postings, the postings up to ``window`` places
    after it under the same anchor (later in date order: the postings are sorted by date rank,
    then sentence, as ``rank`` is), sentences of other articles. Over all blocks these are
    exactly ``candidate_pairs``, each pair in one block."""
    members = nb.by_date[lo:hi]
    first = nb.start[members]
    count = nb.start[members + 1] - first
    pos = nb.at[np.repeat(first - (np.cumsum(count) - count), count) + np.arange(int(count.sum()))]
    n = len(article)
    codes = [np.zeros(0, np.int64)]
    for step in range(1, window + 1):
        p = pos[pos + step < len(nb.key)]
        p = p[nb.key[p] == nb.key[p + step]]
        x, y = nb.who[p], nb.who[p + step]
        keep = article[x] != article[y]
        x, y = x[keep], y[keep]
        codes.append(np.minimum(x, y) * np.int64(n) + np.maximum(x, y))
    pair = np.sort(np.concatenate(codes))
    pair = pair[np.r_[True, pair[1:] != pair[:-1]][: len(pair)]]  # distinct (beats np.unique)
    return pair // n, pair % n


@dataclass
class Lexical:
    """Each sentence's ``width`` heaviest anchors (weight x idf), keys in ascending order
    (``keys``, the key count where fewer) with their weights, and its total anchor weight
    (all anchors): what the lexical score needs, about 100 bytes a sentence."""

    keys: np.ndarray
    weights: np.ndarray
    total: np.ndarray
    n_keys: int

    @classmethod
    def of(cls, postings: sp.csr_matrix, idf: np.ndarray, width: int) -> Lexical:
        """The ``Lexical`` of ``postings`` (sentences x anchor keys, weights) and ``idf``."""
        csr = postings.tocsr()
        value = csr.data * idf[csr.indices]
        row = np.repeat(np.arange(csr.shape[0]), np.diff(csr.indptr))
        order = np.lexsort((-value, row))
        row, col, value = row[order], csr.indices[order], value[order]
        rank = np.arange(len(row)) - np.searchsorted(row, row)
        keep = rank < width
        total = np.bincount(row[keep], weights=value[keep], minlength=csr.shape[0])
        row, col, value = row[keep], col[keep], value[keep]
        inside = np.lexsort((col, row))  # keys ascending within each sentence
        row, col, value = row[inside], col[inside], value[inside]
        rank = np.arange(len(row)) - np.searchsorted(row, row)
        n_keys = csr.shape[1]
        keys = np.full((csr.shape[0], width), n_keys, np.int64)
        weights = np.zeros((csr.shape[0], width), np.float32)
        keys[row, rank] = col
        weights[row, rank] = value
        return cls(keys, weights, total, n_keys)

    def shared(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Per pair, the sum over the anchors both hold (among each one's ``width`` heaviest)
        of the smaller weight, in float64. Each pair's keys are offset by its number, so one
        ``searchsorted`` of all b-keys in all a-keys finds every shared anchor."""
        width = self.keys.shape[1]
        span = np.int64(self.n_keys + 1)
        offset = (np.arange(len(a), dtype=np.int64) * span)[:, None]
        left = (self.keys[a] + offset).ravel()
        right = (self.keys[b] + offset).ravel()
        at = np.minimum(np.searchsorted(left, right), len(left) - 1)
        hit = (left[at] == right) & (self.keys[b].ravel() < self.n_keys)
        low = np.minimum(self.weights[a].ravel()[at[hit]], self.weights[b].ravel()[hit])
        # float32 weights of one pair sum exactly in float64, so the order of the sum is moot
        pair = np.repeat(np.arange(len(a)), width)[hit]
        return np.bincount(pair, weights=low, minlength=len(a))


class BestSoFar:
    """For each (sentence, counterpart outlet), the best-scoring pair offered so far: highest
    score; among equal scores a counterpart below the sentence (higher row number) before one
    above it, then the lower row number (the order of the earlier single sort). Arrays of ``n`` x
    ``n_outlets`` cells: with many outlets this is the stage's largest array."""

    def __init__(self, outlet: np.ndarray) -> None:
        self.outlet = outlet.astype(np.int64)
        self.n = len(outlet)
        self.n_out = int(outlet.max()) + 1 if len(outlet) else 1
        cells = self.n * self.n_out
        self.none = np.int64(2 * self.n)  # the preference of "no pair yet" (worse than any)
        self.score = np.full(cells, -np.inf)
        self.pref = np.full(cells, self.none, np.int64)
        self.semantic = np.zeros(cells, np.float32)
        self.lexical = np.zeros(cells)
        self.conflict = np.zeros(cells, bool)

    def _pref(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Tie-break code, smaller is preferred: j itself when j > i, else j + n."""
        return np.where(j > i, j, j + self.n)

    def offer(
        self,
        a: np.ndarray,
        b: np.ndarray,
        semantic: np.ndarray,
        lexical: np.ndarray,
        score: np.ndarray,
        conflict: np.ndarray,
    ) -> None:
        """Reduce the pairs (a, b) with their scores into the cells, both directions."""
        i, j = np.r_[a, b], np.r_[b, a]
        semantic, lexical = np.r_[semantic, semantic], np.r_[lexical, lexical]
        score, conflict = np.r_[score, score], np.r_[conflict, conflict]
        cell = i * self.n_out + self.outlet[j]
        before = self.score[cell]
        np.maximum.at(self.score, cell, score)
        raised = self.score[cell] > before
        self.pref[cell[raised]] = self.none  # a higher score replaces the old pair
        top = score == self.score[cell]
        pref = self._pref(i, j)
        np.minimum.at(self.pref, cell[top], pref[top])
        win = top & (pref == self.pref[cell])
        c = cell[win]
        self.semantic[c], self.lexical[c] = semantic[win], lexical[win]
        self.conflict[c] = conflict[win]

    def table(self) -> dict[str, np.ndarray]:
        """Columns i, j (row numbers), semantic, lexical, score, conflict, mutual (each is the
        other's best in its outlet) of every cell that holds a pair, by i then outlet code."""
        cell = np.flatnonzero(self.pref < self.none)
        i = cell // self.n_out
        pref = self.pref[cell]
        j = np.where(pref < self.n, pref, pref - self.n)
        back = self.pref[j * self.n_out + self.outlet[i]]
        back_j = np.where(back < self.n, back, back - self.n)
        return {
            "i": i,
            "j": j,
            "semantic": self.semantic[cell].astype(np.float64),
            "lexical": self.lexical[cell],
            "score": self.score[cell],
            "conflict": self.conflict[cell],
            "mutual": (back < self.none) & (back_j == i),
        }


def pair_scores(
    embed_rows: Callable[[np.ndarray], np.ndarray],
    lexical: Lexical,
    a: np.ndarray,
    b: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """(semantic, lexical) of each pair: the embeddings' cosine (``embed_rows`` gives unit
    rows) clipped at 0; the weighted Jaccard similarity of the anchors (weight x idf: sum of
    the smaller over sum of the larger, key by key; the shared part over each sentence's
    heaviest anchors, the totals over all). The rows needed are embedded once."""
    both = np.r_[a, b]
    order = np.argsort(both)
    ranked = both[order]
    new = np.r_[True, ranked[1:] != ranked[:-1]][: len(ranked)]
    rows = ranked[new]  # the sentences these pairs need, ascending
    local = np.empty(len(both), np.int64)
    local[order] = np.cumsum(new) - 1
    emb = embed_rows(rows)
    la, lb = local[: len(a)], local[len(a) :]
    semantic = np.zeros(len(a))
    lex = np.zeros(len(a))
    for s in range(0, len(a), PAIR_CHUNK):
        x, y = la[s : s + PAIR_CHUNK], lb[s : s + PAIR_CHUNK]
        semantic[s : s + len(x)] = np.einsum("ij,ij->i", emb[x], emb[y])
    for s in range(0, len(a), 1 << 15):
        x, y = a[s : s + (1 << 15)], b[s : s + (1 << 15)]
        shared = lexical.shared(x, y)
        union = lexical.total[x] + lexical.total[y] - shared
        lex[s : s + len(x)] = np.divide(shared, union, out=np.zeros(len(x)), where=union > 0)
    return np.clip(semantic, 0.0, 1.0), lex
