"""Recycled passages: sentences and paragraphs shared between articles, verbatim or edited.

Method (linear in the corpus; no comparison of all pairs of passages):
1. Body paragraphs are split into sentences (``SENTENCE_END_RE``) and normalised: lower case,
   curly quotes and apostrophes straight, punctuation dropped, words as ``WORD_RE`` reads them.
   Batches of paragraphs go through each regex as one string, in worker processes for large
   corpora; words and shingles are 64-bit hashes (collisions are negligible at this size).
2. Verbatim reuse: sentences with the same normalised text are grouped by hash.
3. Edited reuse: each sentence becomes a set of word shingles (``SHINGLE`` consecutive words);
   candidate pairs are sentences sharing a shingle that occurs in at most ``max_df`` sentences
   (a rarer shingle is evidence of copying, a common one is a stock phrase); candidates are
   scored by the exact Jaccard similarity of their shingle sets and kept above a threshold
   (pairs that provably cannot reach it are dropped before scoring).
4. Matched sentences of one paragraph pair are merged into one passage (text in reading order).
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import html
import itertools
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from wording.compare import (
    iter_chunks,
    map_chunks,
    n_workers,
    pairs_in_groups,
    release_memory,
    sorted_unique,
    split_chunks,
    unique_pairs,
    word_tokens,
)
from wording.text import WORD_RE

# A sentence ends at . ! or ? (optionally followed by a closing quote or bracket) before white
# space and an upper-case letter, digit or opening quote. Must split "war. The islands" and
# 'said." Tokyo'; must not split "U.S. President" (a single capital before the full stop) or
# "Mr. Abe" / "St. Petersburg" (common abbreviations), nor inside "2+2" or "9.56".
# The pattern starts with the end mark itself (a character set) so the regex engine can skip
# quickly to candidate positions; the abbreviation checks are look-behinds that include the mark.
SENTENCE_END_RE = re.compile(
    r"([.!?])(?<![\s.][A-Z]\.)(?<!^[A-Z]\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bDr\.)(?<!\bSt\.)"
    r"(?<!\bNo\.)([\"”’')\]]?)\s+(?=[\"“‘'(\[]?[A-Z0-9])"
)
_BREAK = "\x00"


def sentences_of(text: str) -> list[str]:
    """The sentences of one paragraph (see ``SENTENCE_END_RE``)."""
    return [s for s in SENTENCE_END_RE.sub("\\1\\2" + _BREAK, text).split(_BREAK) if s]


# Straight and curly quotes/apostrophes are one character after normalisation.
QUOTE_TRANSLATION = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "`": "'"})

SHINGLE = 4  # words per shingle: long enough to be rare outside copying, short enough for edits
MIN_WORDS = 8  # a passage shorter than this ("Kishida said.") is not evidence of reuse
THRESHOLD = 0.1  # Jaccard of 4-word shingle sets; justified in notebooks/02_wording.ipynb
EDITED = 0.5  # at or above: "edited" (lightly edited copy); below: "related" (shared phrasing)
MAX_DF = 50  # a shingle in more sentences than this is a stock phrase, not a candidate link
MAX_GROUP = 10  # a verbatim sentence in more articles links each to its first copy only


# --------------------------------------------------------------------------------------------
# Sentences and their shingles, for many paragraphs at once
# --------------------------------------------------------------------------------------------

# Separators written between paragraphs and at sentence ends when a batch of paragraphs is
# processed as one string: the first two of these characters that the batch does not contain.
# None is white space, a word character or a quote, so neither regex reads one as text.
_SEPARATORS = tuple(map(chr, itertools.chain(range(4), range(0xE000, 0xF900))))
_OTHER_SPACE_RE = re.compile(r"[^\S ]+")  # white space other than single spaces: one pass, fast
_SPACES_RE = re.compile(r" {2,}")
_BATCH = 5000  # paragraphs per string in a worker: bounds the arrays held at once
PARALLEL_MIN_PARAGRAPHS = 20_000  # below this, one process: starting workers costs more
_BUCKETS = 64  # shingle keys are spread over buckets by their top bits: small sorts
_PAIR_BLOCK = 1 << 21  # candidate pairs pruned per block (memory)
_BUCKET_SHIFT = np.uint64(64 - 6)
_SHINGLE_BASE = np.uint64(1_000_003)
_SENTENCE_BASE = np.uint64(0x9E3779B97F4A7C15)
_MIX = np.uint64(0xC2B2AE3D27D4EB4F)


@functools.lru_cache(maxsize=8)
def _joined_end_re(paragraph_separator: str) -> re.Pattern:
    """``SENTENCE_END_RE`` for paragraphs joined by ``paragraph_separator``: its "start of the
    text" look-behind becomes "after a separator" (the joined string starts with one)."""
    sep = re.escape(paragraph_separator)
    return re.compile(SENTENCE_END_RE.pattern.replace(r"(?<!^[A-Z]\.)", rf"(?<!{sep}[A-Z]\.)"))


def _split_batch(texts: list[str], k: int, min_words: int, text_only: bool = False) -> dict:
    """Sentences, their word counts, fingerprints and shingle keys for a few paragraphs (with
    ``text_only``: their paragraph and text, nothing else).

    The paragraphs are joined into one string, so each regex runs once per batch; the result is
    what ``split_sentences`` and ``normalise`` give paragraph by paragraph (the joined regex
    cannot match across a separator). Words are identified by a 64-bit hash of their text
    (``word_tokens``, the same in every process), so workers need no shared vocabulary.
    """
    raw = "".join(texts)
    psep = next(c for c in _SEPARATORS if c not in raw)
    text = psep + psep.join(texts)
    # Every run of white space -> " ". Printable text has no white space but " " (checked at C
    # speed): then only double spaces can need work.
    if not all(map(str.isprintable, texts)):
        text = _OTHER_SPACE_RE.sub(" ", text)
    if "  " in text:
        text = _SPACES_RE.sub(" ", text)
    # Pieces: between paragraph separators and sentence ends (the white space after an end
    # starts the next piece and is stripped with it: white space is single spaces by now).
    ends = [m.end(2) for m in _joined_end_re(psep).finditer(text)]
    chars = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    paragraph_start = np.flatnonzero(chars == ord(psep))
    cut_end = np.r_[paragraph_start, ends].astype(np.int64)
    cut_start = np.r_[paragraph_start + 1, ends].astype(np.int64)
    new_paragraph = np.r_[np.ones(len(paragraph_start), bool), np.zeros(len(ends), bool)]
    order = np.argsort(cut_end, kind="stable")
    start, new_paragraph = cut_start[order], new_paragraph[order]
    end = np.r_[cut_end[order][1:], len(chars)]
    piece_start = start
    lead = (start < end) & (chars[np.minimum(start, len(chars) - 1)] == 32)
    start = start + lead
    trail = (start < end) & (chars[np.maximum(end - 1, 0)] == 32)
    end = end - trail
    kept = end > start
    paragraph = np.cumsum(new_paragraph) - 1
    if text_only:
        return {
            "paragraph": paragraph[kept].astype(np.int32),
            "text": [
                text[a:b] for a, b in zip(start[kept].tolist(), end[kept].tolist(), strict=True)
            ],
        }
    # Words: quotes straight, lower case, WORD_RE; each word in the piece it starts in (no word
    # spans a sentence end or a separator).
    low = text
    for quote in ("’", "‘", "`"):  # QUOTE_TRANSLATION, for the characters that change words
        if quote in low:
            low = low.replace(quote, "'")
    low = low.lower()
    if len(low) != len(text):  # a letter whose lower case is longer ("İ"): offsets move
        pieces = [text[a:b] for a, b in zip(piece_start.tolist(), end.tolist(), strict=True)]
        low = (psep + psep.join(pieces)).lower()
        for quote in ("’", "‘", "`"):
            low = low.replace(quote, "'")
        codes = np.frombuffer(low.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        piece_start = np.flatnonzero(codes == ord(psep))
    begin, _, word = word_tokens(low)
    piece = np.searchsorted(piece_start, begin, side="right") - 1
    n_words = np.bincount(piece, minlength=len(piece_start))
    first = np.cumsum(n_words) - n_words
    # Fingerprint of the whole sentence (its sequence of words) for verbatim groups:
    # sum of word hash x BASE^(position + 1), so a concatenation's is computable (passages).
    position = np.arange(len(word)) - first[piece]
    powers = np.cumprod(np.full(int(position.max(initial=0)) + 1, _SENTENCE_BASE), dtype=np.uint64)
    fingerprint = np.zeros(len(piece_start), dtype=np.uint64)
    has = n_words > 0
    if len(word):
        fingerprint[has] = np.add.reduceat(word * powers[position], first[has])
    # Shingles: every run of k words inside one piece, as in ``shingle_matrix``.
    span = max(len(word) - k + 1, 0)
    key = np.zeros(span, dtype=np.uint64)
    for j in range(k):  # k is a small constant: one vectorised pass per word position
        key = key * _SHINGLE_BASE + word[j : j + span]
    owner = piece[:span]
    valid = owner == piece[k - 1 : k - 1 + span]
    owner, key = owner[valid], key[valid]
    eligible = kept & (n_words >= min_words)
    use = eligible[owner]
    owner, key = owner[use], key[use]
    # A shingle twice in one sentence counts once (sets); a 64-bit mix of sentence and key finds
    # the repeats by hashing.
    repeat = pd.Series(key ^ (owner.astype(np.uint64) * _MIX)).duplicated().to_numpy()
    owner, key = owner[~repeat], key[~repeat]
    sizes = np.bincount(owner, minlength=len(piece_start))
    # A later verbatim copy of a sentence in this batch is no first copy: its shingles are never
    # looked up (its first copy's are), so they stay here.
    copy = np.zeros(len(piece_start), dtype=bool)
    copy[eligible] = (
        pd.Series(fingerprint[eligible] ^ (n_words[eligible].astype(np.uint64) * _MIX))
        .duplicated()
        .to_numpy()
    )
    owner, key = owner[~copy[owner]], key[~copy[owner]]
    # Renumber pieces as sentences (empty pieces dropped); group the keys into buckets.
    sentence_of = np.cumsum(kept) - 1
    out = {
        "paragraph": paragraph[kept].astype(np.int32),
        "n_words": n_words[kept].astype(np.int32),
        "fingerprint": fingerprint[kept],
        "sizes": sizes[kept].astype(np.int32),
        "buckets": _bucketed(sentence_of[owner].astype(np.int32), key),
    }
    return out


def _bucketed(sentence: np.ndarray, key: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """(sentence, key) entries split by the key's top bits; entries keep their order."""
    bucket = (key >> _BUCKET_SHIFT).astype(np.uint8)
    order = np.argsort(bucket, kind="stable")
    bounds = np.searchsorted(bucket[order], np.arange(_BUCKETS + 1))
    return [
        (sentence[order[a:b]], key[order[a:b]])
        for a, b in zip(bounds[:-1], bounds[1:], strict=True)
    ]


def _split_chunk(texts: list[str], k: int, min_words: int) -> dict:
    """``_split_batch`` over a chunk of paragraphs, batch by batch, results concatenated."""
    parts = [
        _split_batch(texts[i : i + _BATCH], k, min_words) for i in range(0, len(texts), _BATCH)
    ]
    return _concatenate(parts, [len(texts[i : i + _BATCH]) for i in range(0, len(texts), _BATCH)])


def _concatenate(parts, n_paragraphs: list[int]) -> dict:
    """Batch or chunk results (an iterable, consumed as it comes) in order: paragraph and
    sentence numbers offset to run on. Shingle entries are gathered bucket by bucket and each
    part is released once it is filed (memory)."""
    paragraph_offset = np.cumsum([0] + n_paragraphs[:-1])
    columns = {"paragraph": [], "n_words": [], "fingerprint": [], "sizes": []}
    entries: list[list] = [[] for _ in range(_BUCKETS)]
    sentences = 0
    for part, offset in zip(parts, paragraph_offset, strict=True):
        columns["paragraph"].append(part.pop("paragraph") + offset)
        for b, (sentence, key) in enumerate(part.pop("buckets")):
            entries[b].append((sentence + sentences, key))
        sentences += len(part["n_words"])
        for name in ("n_words", "fingerprint", "sizes"):
            columns[name].append(part.pop(name))
    empty = {
        "paragraph": np.int32,
        "n_words": np.int32,
        "fingerprint": np.uint64,
        "sizes": np.int32,
    }
    out = {
        name: np.concatenate([np.zeros(0, empty[name])] + columns.pop(name)).astype(empty[name])
        for name in list(columns)
    }
    out["buckets"] = []
    for b in range(_BUCKETS):
        filed, entries[b] = entries[b], None
        out["buckets"].append(
            (
                np.concatenate([np.zeros(0, np.int32)] + [s for s, _ in filed]).astype(np.int32),
                np.concatenate([np.zeros(0, np.uint64)] + [key for _, key in filed]),
            )
        )
        del filed
    return out


@dataclass(frozen=True)
class _Split:
    """Sentences of the body paragraphs (internal): one entry per sentence, in reading order."""

    body: pd.DataFrame  # the body paragraphs: file, paragraph, text (0..n-1 index)
    row: np.ndarray  # body paragraph row of each sentence
    number: np.ndarray  # sentence number within its (file, paragraph), from 1
    n_words: np.ndarray
    fingerprint: np.ndarray  # 64-bit hash of the sentence's words (verbatim groups)
    sizes: np.ndarray  # distinct shingles (eligible sentences; 0 otherwise)
    buckets: list  # (sentence, key) shingle entries of eligible sentences, by key bucket


def _body_paragraphs(paragraphs: pd.DataFrame) -> pd.DataFrame:
    body = paragraphs
    if "kind" in body.columns:
        body = body[body["kind"].fillna("body") == "body"]
    body = body[["file", "paragraph", "text"]].reset_index(drop=True)
    body["text"] = body["text"].fillna("").astype(str)
    return body


def _split(paragraphs: pd.DataFrame, k: int = SHINGLE, min_words: int = MIN_WORDS) -> _Split:
    """Split, normalise and shingle every body paragraph (in worker processes when large)."""
    body = _body_paragraphs(paragraphs)
    texts = body["text"].tolist()
    slices = split_chunks(len(texts), PARALLEL_MIN_PARAGRAPHS)
    chunks = [texts[sl] for sl in slices]
    done = _concatenate(iter_chunks(_split_chunk, chunks, k, min_words), [len(c) for c in chunks])
    release_memory()
    row = done["paragraph"].astype(np.int64)
    return _Split(
        body=body,
        row=row,
        number=_sentence_numbers(body, row),
        n_words=done["n_words"].astype(np.int64),
        fingerprint=done["fingerprint"],
        sizes=done["sizes"].astype(np.int64),
        buckets=done["buckets"],
    )


def _sentence_numbers(body: pd.DataFrame, row: np.ndarray) -> np.ndarray:
    """Sentence numbers from 1 within each (file, paragraph): within its row, plus the sentences
    of earlier rows with the same file and paragraph number (rows are rarely repeated)."""
    if not len(row):
        return np.zeros(0, dtype=np.int64)
    counts = np.bincount(row, minlength=len(body))
    within = np.arange(len(row)) - (np.cumsum(counts) - counts)[row] + 1
    key = pd.MultiIndex.from_arrays([body["file"], body["paragraph"]])
    if key.is_unique:
        return within
    earlier = pd.Series(counts).groupby(pd.factorize(key)[0]).cumsum().to_numpy() - counts
    return within + earlier[row]


def _texts(split: _Split, sentences: np.ndarray) -> np.ndarray:
    """The text of some sentences (indices into ``split``), recomputed from their paragraphs."""
    rows = sorted_unique(split.row[sentences])
    if not len(rows):
        return np.array([], dtype=object)
    texts = split.body["text"].to_numpy()[rows].tolist()
    parts = [
        _split_batch(texts[i : i + _BATCH], SHINGLE, 0, text_only=True)
        for i in range(0, len(texts), _BATCH)
    ]
    paragraph = np.concatenate(
        [p["paragraph"] + i for p, i in zip(parts, range(0, len(texts), _BATCH), strict=True)]
    )
    done = [t for p in parts for t in p["text"]]
    # sentence i of the recomputed rows is the j-th sentence of the split: same order
    first = np.searchsorted(split.row, rows)  # split.row is sorted (reading order)
    counts = np.bincount(paragraph, minlength=len(rows))
    position = (
        np.repeat(first, counts)
        + np.arange(len(done))
        - np.repeat(np.cumsum(counts) - counts, counts)
    )
    text = np.empty(len(split.row), dtype=object)
    text[position] = done
    return text[sentences]


def split_sentences(paragraphs: pd.DataFrame) -> pd.DataFrame:
    """One row per sentence of the body paragraphs: file, paragraph, sentence, text, norm, n_words.

    ``paragraphs`` needs file, paragraph, kind, text; only ``kind == "body"`` rows are used
    (missing ``kind`` means body). White space runs become one space; sentences end where
    ``SENTENCE_END_RE`` says, stripped, empty ones dropped. ``norm`` is the normalised text the
    comparison uses.
    """
    split = _split(paragraphs, min_words=10**9)  # no shingles needed here
    text = _texts(split, np.arange(len(split.row)))
    out = pd.DataFrame(
        {
            "file": split.body["file"].to_numpy()[split.row],
            "paragraph": split.body["paragraph"].to_numpy()[split.row],
            "sentence": split.number,
            "text": pd.Series(text, dtype=object),
        }
    )
    out["norm"] = normalise(out["text"]) if len(out) else pd.Series([], dtype=object)
    out["n_words"] = split.n_words
    return out


def normalise(texts: pd.Series) -> pd.Series:
    """Texts as the comparison sees them: lower case, quotes straight, words joined by spaces."""
    words = (
        texts.astype(str).str.translate(QUOTE_TRANSLATION).str.lower().str.findall(WORD_RE.pattern)
    )
    return words.str.join(" ")


@dataclass(frozen=True)
class Shingles:
    """Sentence-by-shingle 0/1 matrix (CSR) and each sentence's number of distinct shingles."""

    matrix: sp.csr_matrix
    sizes: np.ndarray


def shingle_matrix(norm: pd.Series, k: int = SHINGLE) -> Shingles:
    """Hash every run of ``k`` consecutive words of each normalised sentence (vectorised).

    Words are factorised to integer ids once for the whole corpus; a shingle's key is a
    polynomial hash of its k ids in 64-bit arithmetic (collisions are negligible at this size).
    """
    norm = norm.reset_index(drop=True)
    tokens = norm.str.split(" ").explode()
    sentence = tokens.index.to_numpy()
    ids, _ = pd.factorize(tokens.fillna("").to_numpy())
    ids = ids.astype(np.uint64) + np.uint64(1)
    n = len(norm)
    if len(ids) < k:
        return Shingles(sp.csr_matrix((n, 0), dtype=np.int8), np.zeros(n, dtype=np.int64))
    span = len(ids) - k + 1
    key = np.zeros(span, dtype=np.uint64)
    for j in range(k):  # k is a small constant: one vectorised pass per word position
        key = key * _SHINGLE_BASE + ids[j : j + span]
    valid = sentence[:span] == sentence[k - 1 :]
    rows, key = sentence[:span][valid], key[valid]
    cols, _ = pd.factorize(key)
    matrix = sp.csr_matrix(
        (np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(n, int(cols.max(initial=-1)) + 1)
    )
    matrix.data[:] = 1  # duplicates summed by the constructor: back to sets
    return Shingles(matrix, np.diff(matrix.indptr).astype(np.int64))


# --------------------------------------------------------------------------------------------
# Candidate pairs
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Candidates:
    pairs: np.ndarray  # (n, 2) sentence rows a < b, from different files, sorted
    representative: np.ndarray  # each sentence's first verbatim copy (itself if none)
    shared: tuple  # (sentence, key) entries of representatives whose key two of them share


def _candidates(
    eligible: np.ndarray,
    verbatim: np.ndarray,
    files: np.ndarray,
    buckets: list,
    max_df: int = MAX_DF,
    max_group: int = MAX_GROUP,
    sizes: np.ndarray | None = None,
    min_similarity: float | None = None,
) -> _Candidates:
    """Sentence pairs that may be reused (see ``candidate_pairs``); ``verbatim`` holds a code per
    sentence, equal for sentences with the same normalised text; ``files`` a code per sentence;
    ``buckets`` the shingle entries (sentence, key), each bucket in sentence order, a key in one
    bucket only.

    With ``min_similarity`` (and each sentence's shingle-set ``sizes``), edited pairs that cannot
    reach it are left out: a pair shares at most the rare shingles that made it a candidate plus
    the fewer of the two sentences' common ones (in more than ``max_df`` sentences), which bounds
    its Jaccard similarity from above.
    """
    code = np.where(eligible, verbatim, -1)
    rows = np.flatnonzero(code >= 0)
    order = rows[np.lexsort((rows, code[rows]))]
    grp = code[order]
    size = np.bincount(grp, minlength=grp.max(initial=-1) + 1)[grp] if len(grp) else grp
    small = size <= max_group
    verbatim_pairs = [pairs_in_groups(grp[small], order[small])]
    first = np.full(grp.max(initial=-1) + 1, -1, dtype=np.int64)
    first[grp[::-1]] = order[::-1]  # lowest row number of each group
    big = ~small & (order != first[grp])
    verbatim_pairs.append(np.stack([first[grp[big]], order[big]], axis=1))
    representative = np.arange(len(eligible))
    representative[rows] = first[code[rows]]
    is_rep = eligible & (representative == np.arange(len(eligible)))
    # Edited: shingles shared by 2..max_df first copies. Only the first copy of a verbatim group
    # takes part, so a sentence copied m times adds one posting, not m.
    n = len(eligible)
    with ThreadPoolExecutor(n_workers()) as pool:  # numpy sorts and gathers release the GIL
        done = list(pool.map(lambda b: _bucket_postings(*b, is_rep, max_df, n), buckets))
    shared_sentence = np.concatenate([np.zeros(0, np.int32)] + [d[0] for d in done])
    shared_key = np.concatenate([np.zeros(0, np.uint64)] + [d[1] for d in done])
    common = np.bincount(
        np.concatenate([np.zeros(0, np.int64)] + [d[2] for d in done]), minlength=n
    )
    # One copy of an edited pair per rare shingle it shares: count them while deduplicating
    # (each bucket's codes are sorted: the stable sort merges the runs).
    code = np.concatenate([np.zeros(0, np.int64)] + [d[3] for d in done])
    del done
    code.sort(kind="stable")
    edited = [np.zeros((0, 2), dtype=np.int64)]
    if min_similarity is not None and sizes is not None:
        both = sizes.astype(np.int64) << 32 | common  # one random gather per side below
    for lo in range(0, len(code), _PAIR_BLOCK):  # blocks bound the temporaries (memory)
        hi = lo + _PAIR_BLOCK
        block = code[lo:hi]
        if lo and len(block):  # a run cut by the block boundary belongs to the block before
            block = block[block != code[lo - 1]]
        end = np.searchsorted(code, block[-1], side="right") if len(block) else hi
        block = np.concatenate([block, code[hi:end]])
        start = np.flatnonzero(np.r_[True, block[1:] != block[:-1]]) if len(block) else block
        rare = np.diff(np.r_[start, len(block)])
        a, b = block[start] // n, block[start] % n
        if min_similarity is not None and sizes is not None:
            side_a, side_b = both[a], both[b]
            bound = rare + np.minimum(side_a & 0xFFFFFFFF, side_b & 0xFFFFFFFF)
            union = (side_a >> 32) + (side_b >> 32) - bound
            possible = bound >= (min_similarity - 1e-9) * np.maximum(union, 1)
            a, b = a[possible], b[possible]
        edited.append(np.stack([a, b], axis=1))
    del code
    pairs = np.sort(np.concatenate(verbatim_pairs).astype(np.int64), axis=1)
    pairs = np.concatenate([pairs] + edited)
    pairs = unique_pairs(pairs[files[pairs[:, 0]] != files[pairs[:, 1]]], n)
    return _Candidates(pairs, representative, (shared_sentence, shared_key))


def _bucket_postings(sentence, key, is_rep, max_df: int, n: int) -> tuple:
    """One bucket of shingle entries: the entries whose key two first copies share, the
    sentences holding a key of more than ``max_df`` first copies (one per key), and the pairs
    of first copies sharing a key of 2..max_df, as sorted codes a * n + b (a < b)."""
    use = is_rep[sentence]
    sentence, key = sentence[use].astype(np.int64), key[use]
    order = np.argsort(key)
    sentence, key = sentence[order], key[order]
    start = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else np.zeros(0, np.int64)
    df = np.diff(np.r_[start, len(key)])
    df = np.repeat(df, df)
    many = df >= 2
    post = many & (df <= max_df)
    pairs = np.sort(pairs_in_groups(key[post], sentence[post]), axis=1)
    code = np.sort(pairs[:, 0] * n + pairs[:, 1])
    return sentence[many].astype(np.int32), key[many], sentence[df > max_df], code


def candidate_pairs(
    sentences: pd.DataFrame, shingles: Shingles, max_df: int = MAX_DF, max_group: int = MAX_GROUP
) -> pd.DataFrame:
    """Sentence pairs from different articles that may be reused: ``a``, ``b`` (row numbers).

    Verbatim groups (same normalised text) give all pairs up to ``max_group`` articles, and a
    star to the first copy beyond; shingles shared by 2..max_df sentences give the rest, between
    first copies only (an edited variant links to the first copy of a verbatim group).
    """
    eligible = (sentences["n_words"] >= MIN_WORDS).to_numpy()
    code, _ = pd.factorize(sentences["norm"].where(eligible))  # NaN (ineligible) -> -1
    coo = shingles.matrix.tocoo()
    buckets = [(coo.row.astype(np.int64), coo.col.astype(np.uint64))]
    files = pd.factorize(sentences["file"])[0]
    found = _candidates(eligible, code, files, buckets, max_df, max_group)
    return pd.DataFrame({"a": found.pairs[:, 0], "b": found.pairs[:, 1]})


def jaccard(shingles: Shingles, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Exact Jaccard similarity of the shingle sets of sentence pairs, and the shared count."""
    if len(a) == 0:
        return np.zeros(0), np.zeros(0, dtype=np.int64)
    m = shingles.matrix
    shared = np.asarray(m[a].multiply(m[b]).sum(axis=1)).ravel().astype(np.int64)
    union = shingles.sizes[a] + shingles.sizes[b] - shared
    return np.divide(shared, union, out=np.zeros(len(a)), where=union > 0), shared


def _key_matrix(sentence: np.ndarray, key: np.ndarray, rows: np.ndarray) -> sp.csr_matrix:
    """0/1 matrix of some sentences (``rows``, in that order) by the keys of their entries."""
    position = pd.Index(rows).get_indexer(sentence)
    keep = position >= 0
    cols, uniq = pd.factorize(key[keep])
    matrix = sp.csr_matrix(
        (np.ones(int(keep.sum()), np.int32), (position[keep], cols)), shape=(len(rows), len(uniq))
    )
    matrix.sum_duplicates()
    return matrix


@dataclass(frozen=True)
class _Scored:
    split: _Split
    candidates: _Candidates
    a: np.ndarray
    b: np.ndarray
    similarity: np.ndarray
    shared: np.ndarray
    verbatim: np.ndarray


def _scored_candidates(paragraphs: pd.DataFrame, k: int, threshold: float | None = None) -> _Scored:
    """Every candidate sentence pair with its Jaccard similarity and shared shingle count (only
    those that can reach ``threshold``, if given)."""
    split = _split(paragraphs, k)
    eligible = split.n_words >= MIN_WORDS
    verbatim_code, _ = pd.factorize(split.fingerprint ^ (split.n_words.astype(np.uint64) * _MIX))
    files = pd.factorize(split.body["file"])[0][split.row]
    found = _candidates(
        eligible, verbatim_code, files, split.buckets, sizes=split.sizes, min_similarity=threshold
    )
    split = dataclasses.replace(split, buckets=[])  # the shingle entries are done with (memory)
    release_memory()
    a, b = found.pairs[:, 0], found.pairs[:, 1]
    verbatim = found.representative[a] == found.representative[b]
    # Copies have one shingle set: the shared count is the set's size. Other pairs are two first
    # copies: only keys two first copies share can be in both.
    shared = np.where(verbatim, split.sizes[a], 0)
    edited = np.flatnonzero(~verbatim)
    if len(edited):
        rows = sorted_unique(np.r_[a[edited], b[edited]])
        m = _key_matrix(*found.shared, rows)
        ia, ib = np.searchsorted(rows, a[edited]), np.searchsorted(rows, b[edited])
        shared[edited] = np.asarray(m[ia].multiply(m[ib]).sum(axis=1)).ravel()
    union = split.sizes[a] + split.sizes[b] - shared
    similarity = np.divide(shared, union, out=np.zeros(len(a)), where=union > 0)
    return _Scored(split, found, a, b, similarity, shared.astype(np.int64), verbatim)


def _sentence_pairs(paragraphs: pd.DataFrame, threshold: float, k: int):
    """``shared_sentences`` and what ``shared_passages`` needs besides."""
    scored = _scored_candidates(paragraphs, k, threshold)
    split = scored.split
    sim = np.where(scored.verbatim, 1.0, scored.similarity)
    keep = scored.verbatim | (sim >= threshold)
    a, b, sim = scored.a[keep], scored.b[keep], sim[keep]
    shared, verbatim = scored.shared[keep], scored.verbatim[keep]
    files = split.body["file"].to_numpy(dtype=object)
    swap = files[split.row[a]] > files[split.row[b]]
    a, b = np.where(swap, b, a), np.where(swap, a, b)
    text = _texts(split, np.r_[a, b])
    columns = {}
    for side, rows, words in (("a", a, text[: len(a)]), ("b", b, text[len(a) :])):
        columns[f"file_{side}"] = files[split.row[rows]]
        columns[f"paragraph_{side}"] = split.body["paragraph"].to_numpy()[split.row[rows]]
        columns[f"sentence_{side}"] = split.number[rows]
        columns[f"text_{side}"] = words
        columns[f"n_words_{side}"] = split.n_words[rows]
    out = pd.DataFrame(columns)
    out["similarity"] = sim
    out["shared_shingles"] = shared
    out["kind"] = np.where(verbatim, "verbatim", np.where(sim >= EDITED, "edited", "related"))
    return out, a, b, scored


def shared_sentences(
    paragraphs: pd.DataFrame, threshold: float = THRESHOLD, k: int = SHINGLE
) -> pd.DataFrame:
    """Sentence pairs from different articles with Jaccard ≥ ``threshold`` (or identical).

    Returns file_a, paragraph_a, sentence_a, text_a, n_words_a, file_b, ..., similarity,
    shared_shingles, kind (verbatim | edited | related); file_a < file_b.
    """
    return _sentence_pairs(paragraphs, threshold, k)[0]


def _passage_sides(
    passage: np.ndarray, rep_a: np.ndarray, rep_b: np.ndarray, n: int, split: _Split, shared
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Shingle-set sizes of both sides of each passage and of their intersection.

    A side's set is the union of its sentences' sets, a copy's set being its first copy's. A
    first copy's keys are those it shares with another first copy (``shared``) and the rest,
    which no other first copy has: the rest is in both sides only when the same first copy is.
    """
    rows = sorted_unique(np.r_[rep_a, rep_b])
    keys = _key_matrix(*shared, rows)
    own = split.sizes[rows] - np.diff(keys.indptr)  # keys no other first copy has

    def side(rep: np.ndarray) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        members = unique_pairs(np.stack([passage, np.searchsorted(rows, rep)], axis=1), len(rows))
        m = sp.csr_matrix(
            (np.ones(len(members), np.int32), (members[:, 0], members[:, 1])),
            shape=(n, len(rows)),
        )
        counts = (m @ keys).tocsr()
        counts.data[:] = 1  # a shingle in two sentences of the side counts once
        return m, counts

    side_a, keys_a = side(rep_a)
    side_b, keys_b = side(rep_b)
    size_a = side_a @ own + np.diff(keys_a.indptr)
    size_b = side_b @ own + np.diff(keys_b.indptr)
    both = side_a.multiply(side_b) @ own + np.asarray(keys_a.multiply(keys_b).sum(axis=1)).ravel()
    return size_a, size_b, both


def shared_passages(
    paragraphs: pd.DataFrame,
    articles: pd.DataFrame | None = None,
    threshold: float = THRESHOLD,
    k: int = SHINGLE,
) -> pd.DataFrame:
    """Passages shared between articles: matched sentences merged per paragraph pair.

    Returns file_a, file_b, text_a, text_b, similarity (Jaccard of the merged passages' shingle
    sets), plus outlet_a, outlet_b (if ``articles`` has file/outlet), paragraph_a, paragraph_b,
    n_sentences, shared_shingles, kind (verbatim | edited | related), diff_ratio (difflib word
    ratio). Sorted by similarity descending, then files and paragraphs.
    """
    pairs, sentence_a, sentence_b, scored = _sentence_pairs(paragraphs, threshold, k)
    columns = [
        "file_a", "file_b", "text_a", "text_b", "similarity", "outlet_a", "outlet_b",
        "paragraph_a", "paragraph_b", "n_sentences", "shared_shingles", "kind", "diff_ratio",
    ]  # fmt: skip
    if pairs.empty:
        return pd.DataFrame({c: [] for c in columns})
    key = ["file_a", "paragraph_a", "file_b", "paragraph_b"]
    # Passages: the (file_a, paragraph_a, file_b, paragraph_b) groups, numbered in that order.
    columns_sorted = [pd.factorize(pairs[c], sort=True)[0] for c in key]
    order = np.lexsort(columns_sorted[::-1])
    new = np.zeros(len(order), dtype=bool)
    new[0] = True
    for column in columns_sorted:
        new[1:] |= column[order][1:] != column[order][:-1]
    passage = np.empty(len(order), dtype=np.int64)
    passage[order] = np.cumsum(new) - 1
    merged = pairs[key].iloc[order[new]].reset_index(drop=True)
    split = scored.split
    side = {}
    for name, sentence, text in (
        ("a", sentence_a, pairs["text_a"].to_numpy()),
        ("b", sentence_b, pairs["text_b"].to_numpy()),
    ):
        side[name] = _passage_text(passage, sentence, text, len(merged), split)
    merged["text_a"], merged["n_sentences"] = side["a"][0], side["a"][1]
    merged["text_b"] = side["b"][0]
    # The passage's shingles are the union of its sentences' (as at sentence level: no shingle
    # spans a sentence boundary).
    representative = scored.candidates.representative
    size_a, size_b, shared = _passage_sides(
        passage,
        representative[sentence_a],
        representative[sentence_b],
        len(merged),
        split,
        scored.candidates.shared,
    )
    union = size_a + size_b - shared
    merged["shared_shingles"] = shared.astype(np.int64)
    merged["similarity"] = np.divide(shared, union, out=np.zeros(len(union)), where=union > 0)
    # Same normalised text: same words in the same order (fingerprints of the concatenations).
    same = (side["a"][2] == side["b"][2]) & (side["a"][3] == side["b"][3])
    merged.loc[same, "similarity"] = 1.0
    merged["kind"] = np.where(
        same, "verbatim", np.where(merged["similarity"] >= EDITED, "edited", "related")
    )
    merged["diff_ratio"] = diff_ratios(merged["text_a"], merged["text_b"])
    if articles is not None and {"file", "outlet"} <= set(articles.columns):
        outlet = articles.drop_duplicates("file").set_index("file")["outlet"]
        merged["outlet_a"] = merged["file_a"].map(outlet)
        merged["outlet_b"] = merged["file_b"].map(outlet)
    else:
        merged["outlet_a"] = merged["outlet_b"] = ""
    merged["_s"] = -np.round(merged["similarity"], 12)
    merged = merged.sort_values(["_s"] + key, kind="stable").drop(columns="_s")
    return merged[columns].reset_index(drop=True)


def _passage_text(
    passage: np.ndarray, sentence: np.ndarray, text: np.ndarray, n: int, split: _Split
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One side of each passage: its distinct sentences in reading order joined by spaces, their
    number, and the fingerprint and word count of the joined words."""
    order = np.lexsort((split.number[sentence], passage))
    passage, sentence, text = passage[order], sentence[order], text[order]
    first = np.r_[True, (passage[1:] != passage[:-1]) | (sentence[1:] != sentence[:-1])]
    passage, sentence, text = passage[first], sentence[first], text[first]
    counts = np.bincount(passage, minlength=n)
    starts = np.cumsum(counts) - counts
    joined = text[starts].copy()
    for i in np.flatnonzero(counts > 1):  # most passages are one sentence
        joined[i] = " ".join(text[starts[i] : starts[i] + counts[i]])
    words = split.n_words[sentence]
    offset = np.cumsum(words) - words
    offset -= np.repeat(offset[starts], counts)
    powers = np.r_[np.uint64(1), np.cumprod(np.full(int(offset.max()), _SENTENCE_BASE))]
    fingerprint = np.add.reduceat(split.fingerprint[sentence] * powers[offset], starts)
    return joined, counts.astype(np.int64), fingerprint, np.add.reduceat(words, starts)


PARALLEL_MIN_DIFFS = 2000  # distinct passage pairs to compare before workers pay off


def diff_ratios(text_a: pd.Series, text_b: pd.Series) -> np.ndarray:
    """difflib's ratio of the word sequences of each pair of texts: once per distinct pair, 1.0
    for identical texts, the rest in worker processes when there are many."""
    code_a, text_a = pd.factorize(text_a)
    code_b, text_b = pd.factorize(text_b)
    codes, pair = pd.factorize(code_a.astype(np.int64) * len(text_b) + code_b)
    first_a, first_b = pair // len(text_b), pair % len(text_b)
    a = np.asarray(text_a, dtype=object)[first_a]
    b = np.asarray(text_b, dtype=object)[first_b]
    ratio = np.ones(len(pair))
    todo = np.flatnonzero(a != b)
    todo = todo[np.argsort(first_b[todo], kind="stable")]  # one text_b after another
    chunks = [
        list(zip(a[todo[sl]], b[todo[sl]], strict=True))
        for sl in split_chunks(len(todo), PARALLEL_MIN_DIFFS)
    ]
    ratio[todo] = [r for part in map_chunks(_ratios, chunks) for r in part]
    return ratio[codes]


def _ratios(pairs: list[tuple[str, str]]) -> list[float]:
    matcher, current, out = difflib.SequenceMatcher(None, autojunk=False), None, []
    for x, y in pairs:
        if y is not current:
            matcher.set_seq2(y.split())  # the slow part of the analysis, once per text
            current = y
        matcher.set_seq1(x.split())
        out.append(matcher.ratio())
    return out


def diff_html(text_a: str, text_b: str) -> str:
    """Word-level difference of two passages as HTML: deleted words in <del>, inserted in <ins>.

    Static markup, no script; the words are HTML-escaped.
    """
    a, b = text_a.split(), text_b.split()
    out: list[str] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(html.escape(" ".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{html.escape(' '.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{html.escape(' '.join(b[j1:j2]))}</ins>")
    return " ".join(out)


def side_by_side_html(passages: pd.DataFrame, top: int | None = 10) -> str:
    """An HTML table of passage pairs: file A's text with deletions, file B's with insertions.

    Deleted words (only in A) are struck through in red in column A; inserted words (only in B)
    are underlined in blue in column B; shared words are plain.
    """
    style = (
        "<style>.reuse td{vertical-align:top;padding:6px;width:45%;text-align:left}"
        ".reuse del{background:#fbe3d6;color:#8a2b00}.reuse ins{background:#d6eaf8;"
        "color:#00426e;text-decoration:underline}.reuse .b del{display:none}"
        ".reuse .a ins{display:none}</style>"
    )
    rows = []
    for rec in passages.head(top).itertuples(index=False):
        diff = diff_html(rec.text_a, rec.text_b)
        head = (
            f"<tr><th colspan='2' style='text-align:left'>{html.escape(str(rec.file_a))} "
            f"(¶{rec.paragraph_a}) vs {html.escape(str(rec.file_b))} (¶{rec.paragraph_b}): "
            f"{rec.kind}, Jaccard {rec.similarity:.2f}</th></tr>"
        )
        rows.append(head + f"<tr><td class='a'>{diff}</td><td class='b'>{diff}</td></tr>")
    return style + "<table class='reuse'>" + "".join(rows) + "</table>"


def candidate_scores(
    paragraphs: pd.DataFrame, articles: pd.DataFrame | None = None, k: int = SHINGLE
) -> pd.DataFrame:
    """Every candidate sentence pair with its Jaccard score, kept or not (to choose a threshold).

    Returns file_a, file_b, outlet_a, outlet_b, same_outlet, similarity, shared_shingles.
    """
    scored = _scored_candidates(paragraphs, k)
    files = scored.split.body["file"].to_numpy(dtype=object)[scored.split.row]
    a, b = scored.a, scored.b
    out = pd.DataFrame(
        {
            "file_a": files[a],
            "file_b": files[b],
            "similarity": scored.similarity,
            "shared_shingles": scored.shared,
        }
    )
    if articles is not None and {"file", "outlet"} <= set(articles.columns):
        outlet = articles.drop_duplicates("file").set_index("file")["outlet"]
        out["outlet_a"] = out["file_a"].map(outlet)
        out["outlet_b"] = out["file_b"].map(outlet)
    else:
        out["outlet_a"] = out["outlet_b"] = ""
    out["same_outlet"] = out["outlet_a"] == out["outlet_b"]
    return out.sort_values(["similarity", "file_a", "file_b"], ascending=[False, True, True])
