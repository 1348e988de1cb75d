"""Anchors of sentences: the names, numbers, months, content words and lexicon referents that
tell the same fact from the same topic, and the dates and figures that tell two events apart.
Words are ``text.WORD_RE`` words, found once per distinct white-space piece; every step past
that is NumPy over all word occurrences at once."""

from __future__ import annotations

import itertools
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS as STOP_WORDS

from wording.embedding import Pieces, pieces
from wording.text import WORD_RE

MONTHS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
}  # fmt: skip
# Capitalised words that are no name: function words that open clauses and quotes.
NOT_NAMES = {
    "a", "an", "the", "and", "but", "or", "if", "in", "on", "at", "of", "for", "to", "by", "as",
    "it", "its", "he", "she", "we", "they", "our", "their", "his", "her", "this", "that", "these",
    "those", "there", "however", "since", "after", "before", "earlier", "according", "while",
    "when", "one", "two", "also", "talking", "addressing", "i", "mr", "ms", "not",
}  # fmt: skip
_DIGITS = re.compile(r"\d")
_YEAR = re.compile(r"(?:19|20)\d\d")
MONTH_ORDER = [
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
]  # fmt: skip
# Words that date a sentence as news of its article's own days.
TIME_WORDS = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today",
    "yesterday", "tomorrow", "tonight",
}  # fmt: skip


@dataclass
class Words:
    """Every ``text.WORD_RE`` word of the sentences in reading order: its ``sentence``, its
    ``position`` in the sentence (from 0) and ``code`` (index into ``distinct``)."""

    n: int
    sentence: np.ndarray
    position: np.ndarray
    code: np.ndarray
    distinct: np.ndarray
    kind: pd.DataFrame  # ``_word_kinds`` of ``distinct``


def words(p: Pieces) -> Words:
    """The words of the pieces: ``WORD_RE`` runs once per distinct piece, and the occurrences
    are expanded with NumPy (no loop over a sentence's words)."""
    found = [WORD_RE.findall(x) for x in p.distinct]
    per = np.fromiter((len(f) for f in found), np.int64, len(found))
    wcode, wdistinct = pd.factorize(
        pd.Series(list(itertools.chain.from_iterable(found)), dtype=object)
    )
    start = np.cumsum(per) - per
    k = per[p.code]
    total = int(k.sum())
    first = np.repeat(np.cumsum(k) - k, k)
    code = wcode[np.repeat(start[p.code], k) + np.arange(total) - first].astype(np.int64)
    sentence = np.repeat(p.sentence, k)
    begins = np.searchsorted(sentence, np.arange(p.n))
    position = np.arange(total) - begins[sentence]
    distinct = np.asarray(wdistinct, dtype=object)
    return Words(p.n, sentence, position, code, distinct, _word_kinds(distinct))


def _word_kinds(distinct: Sequence[str]) -> pd.DataFrame:
    """Per distinct word: low (lower case, no possessive), cap, digit, month, year (a number
    1900-2099), stop (a scikit-learn stop word or shorter than three letters), not_name, time
    (a weekday or today/yesterday/tomorrow)."""
    low = [w.lower().replace("\u2019", "'").removesuffix("'s") for w in distinct]
    return pd.DataFrame(
        {
            "low": low,
            "cap": [w[:1].isupper() for w in distinct],
            "digit": [bool(_DIGITS.search(w)) for w in distinct],
            "month": [x in MONTHS and w[:1].isupper() for x, w in zip(low, distinct, strict=True)],
            "year": [bool(_YEAR.fullmatch(x)) for x in low],
            "stop": [x in STOP_WORDS or len(x) <= 2 for x in low],
            "not_name": [x in NOT_NAMES for x in low],
            "time": [x in TIME_WORDS for x in low],
        }
    )


def anchor_matrix(
    table: pd.DataFrame, w: Words | None = None
) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray, Words]:
    """Sentences by anchor keys (CSR, each cell the anchor's weight in the sentence; see
    ``anchors``), each key's inverse document frequency over the sentences (log(n / df)), the
    key names, and the sentences' ``Words``."""
    w = words(pieces(table["text"].tolist())) if w is None else w
    kind = w.kind
    low = kind["low"].to_numpy(object)
    name_ok = (kind["cap"] & ~kind["digit"] & ~kind["month"] & ~kind["not_name"]).to_numpy()
    other = np.where(
        kind["digit"],
        "num:",
        np.where(kind["month"], "month:", np.where(kind["stop"], "", "word:")),
    )
    has_other = (other != "") & (low != "")
    refs = [
        (i, "ref:" + r)
        for i, rs in enumerate(table["referents"])
        for r in (rs.split(";") if isinstance(rs, str) and rs else ())
    ]
    # key ids per distinct word (names, other anchors) and per referent: no string per word
    texts = np.concatenate(
        ["name:" + low[name_ok], other[has_other] + low[has_other], [r for _, r in refs]]
    ).astype(object)
    ids, keys = pd.factorize(pd.Series(texts, dtype=object))
    name_id = np.full(len(low), -1, np.int64)
    name_id[name_ok] = ids[: int(name_ok.sum())]
    other_id = np.full(len(low), -1, np.int64)
    other_id[has_other] = ids[int(name_ok.sum()) : int(name_ok.sum() + has_other.sum())]
    is_name = name_ok[w.code] & (w.position > 0)
    run = np.cumsum(~is_name | (w.position == 0))  # a new run at every non-name and sentence
    run_len = np.bincount(run, weights=is_name)[run]
    code = np.concatenate(
        [np.where(is_name, name_id[w.code], other_id[w.code]), ids[len(ids) - len(refs) :]]
    )
    holder = np.concatenate([w.sentence, np.asarray([i for i, _ in refs], dtype=np.int64)])
    weight = np.concatenate(
        [np.where(is_name, 1.0 / np.maximum(run_len, 1), 1.0), np.ones(len(refs))]
    )
    valid = code >= 0
    code, holder, weight = code[valid], holder[valid], weight[valid]
    n, k = len(table), len(keys)
    order = np.lexsort((weight, code, holder))  # per (sentence, key): the largest weight last
    holder, code, weight = holder[order], code[order], weight[order]
    last = np.r_[(holder[1:] != holder[:-1]) | (code[1:] != code[:-1]), True]
    m = sp.csr_matrix((weight[last], (holder[last], code[last])), shape=(n, k))
    df = np.diff(m.tocsc().indptr)
    return m, np.log(n / np.maximum(df, 1)), np.asarray(keys, dtype=object), w


def time_masks(w: Words, article_year: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Three bit masks per sentence (uint64): the years it names (bit = year mod 64) or, if it
    names none but a month or weekday or "yesterday" dates it as news, its article's year; the
    months it names (bit = month number); the other numbers it names (bit = hash mod 64).
    Two sentences that both hold a mask and share no bit of it tell different events.
    ``article_year``: each sentence's article year, 0 if unknown."""
    kind = w.kind
    low = kind["low"].to_numpy(object)
    month_no = {m: i for i, m in enumerate(MONTH_ORDER)}
    year_bit = np.array(
        [1 << (int(x) % 64) if y else 0 for x, y in zip(low, kind["year"], strict=True)], np.uint64
    )
    month_bit = np.array(
        [1 << month_no.get(x, 63) if m else 0 for x, m in zip(low, kind["month"], strict=True)],
        np.uint64,
    )
    num_bit = np.array(
        [1 << (zlib.crc32(x.encode()) % 64) if d and not y else 0
         for x, d, y in zip(low, kind["digit"], kind["year"], strict=True)],
        np.uint64,
    )  # fmt: skip
    dated = (kind["time"] | kind["month"]).to_numpy()
    masks = []
    for bits in (year_bit, month_bit, num_bit):
        mask = np.zeros(w.n, np.uint64)
        np.bitwise_or.at(mask, w.sentence, bits[w.code])
        masks.append(mask)
    news = np.zeros(w.n, bool)
    np.logical_or.at(news, w.sentence, dated[w.code])
    implied = news & (masks[0] == 0) & (article_year > 0)
    masks[0][implied] = np.left_shift(np.uint64(1), (article_year[implied] % 64).astype(np.uint64))
    return masks[0], masks[1], masks[2]


def conflicts(masks: tuple[np.ndarray, ...], a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """For each pair (a, b): True where the two sentences both name a year, or both a month, or
    both another number, and share none of them (different events)."""
    out = np.zeros(len(a), bool)
    for mask in masks:
        x, y = mask[a], mask[b]
        out |= (x != 0) & (y != 0) & ((x & y) == 0)
    return out


def anchors(text: str, terms: Sequence[str] = ()) -> dict[str, float]:
    """The anchor keys of one sentence with their weights (``anchor_matrix`` on one sentence):
    ``name:`` capitalised words (not its first word, not a function word), each weighing 1 /
    the length of its run of capitalised words (so "Japanese Prime Minister Shinzo Abe" weighs
    as much as one name, not five); ``num:`` words holding a digit, ``month:`` month names,
    ``word:`` other words not in scikit-learn's English stop words, and ``ref:`` plus each of
    ``terms`` (the referents of the contested terms it holds), each weighing 1. Keys in lower
    case."""
    table = pd.DataFrame({"text": [text], "referents": [";".join(t for t in terms if t)]})
    m, _, keys, _ = anchor_matrix(table)
    row = m.getrow(0)
    return {str(keys[k]): float(v) for k, v in zip(row.indices, row.data, strict=True)}
