"""Recycled passages: sentences and paragraphs shared between articles, verbatim or edited.

Method:
1. Per article (``article_sentences``, pure): body paragraphs are split into sentences
   (``text.sentences``, white space runs read as one space) and normalised: quotes straight
   (``text.QUOTE_TRANSLATION``), lower case, words as ``text.WORD_RE`` reads them. Each sentence
   keeps a fingerprint of its words and the set of its ``SHINGLE``-word shingles, as stable 64-bit
   keys (pandas' keyed SipHash of each word, combined with numpy; collisions are negligible at
   this size): the same in every process and run, so per-article results computed anywhere can
   be pooled. Articles are pooled in file order, which decides a group's "first copy".
2. Verbatim reuse: sentences (of at least ``MIN_WORDS`` words) with the same words are a group.
3. Edited reuse: first copies of the groups sharing a shingle that occurs in at most ``MAX_DF``
   first copies (a rare run of four words is evidence of copying, a common one a stock phrase)
   are candidates, scored by the exact Jaccard similarity of their shingle sets and kept at or
   above ``THRESHOLD``.
4. Matched sentences of one paragraph pair are merged into one passage (text in reading order),
   scored by the Jaccard similarity of the merged shingle sets.

Why the number of candidate pairs is bounded (linear in the text, however much pages share):
- a verbatim group of s copies gives all s(s-1)/2 pairs only while s <= ``MAX_GROUP``; a larger
  group links each copy to its first copy only (s - 1 pairs): at most (MAX_GROUP - 1)/2 pairs per
  sentence;
- only a group's first copy takes part in shingle matching, so boilerplate repeated in every
  article is one set of postings, not one per article;
- a shingle proposes pairs only if at most ``MAX_DF`` first copies hold it, so each (sentence,
  shingle) posting adds at most MAX_DF - 1 partners: at most (MAX_DF - 1)/2 pairs per posting.
Nothing compares all pairs of sentences or articles.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from wording.engine import Engine
from wording.grouping import dense_codes, grouped_order
from wording.passage_diff import diff_html, diff_ratios, side_by_side_html  # noqa: F401
from wording.sentence_pool import SentencePool
from wording.text import QUOTE_TRANSLATION, WORD_RE, sentences

SHINGLE = 4  # words per shingle: long enough to be rare outside copying, short enough for edits
MIN_WORDS = 8  # a passage shorter than this ("Kishida said.") is not evidence of reuse
THRESHOLD = 0.1  # Jaccard of 4-word shingle sets; justified in notebooks/02_wording.ipynb
EDITED = 0.5  # at or above: "edited" (lightly edited copy); below: "related" (shared phrasing)
MAX_DF = 50  # a shingle in more first copies than this is a stock phrase, not a candidate link
MAX_GROUP = 10  # a verbatim sentence with more copies links each to its first copy only
MAX_SCORES = 20_000  # candidate pairs ``candidate_scores`` returns at most (a fixed-seed sample)
_ROW_BLOCK = 20_000  # sentences whose candidate pairs are found at once (bounds memory)

PASSAGE_COLUMNS = [
    "file_a", "file_b", "text_a", "text_b", "similarity", "outlet_a", "outlet_b",
    "paragraph_a", "paragraph_b", "n_sentences", "shared_shingles", "kind", "diff_ratio",
]  # fmt: skip


# --------------------------------------------------------------------------------------------
# One article
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleSentences:
    """The body sentences of one article, in reading order (plain arrays: picklable)."""

    file: str
    paragraph: np.ndarray  # int64: paragraph number of each sentence
    sentence: np.ndarray  # int64: number within its paragraph, from 1
    text: list[str]  # as written, white space runs as one space
    n_words: np.ndarray  # int64
    fingerprint: np.ndarray  # uint64: stable hash of the normalised words (verbatim copies)
    shingle_start: np.ndarray  # int64, one more than sentences: sentence i's keys start here
    shingles: np.ndarray  # uint64: each sentence's distinct shingle keys, sorted, one after another

    def shingle_keys(self, i: int) -> np.ndarray:
        """The distinct shingle keys of sentence ``i`` (sorted)."""
        return self.shingles[self.shingle_start[i] : self.shingle_start[i + 1]]


_QUOTES = {chr(mark): straight for mark, straight in QUOTE_TRANSLATION.items()}


def straight_quotes(text: str) -> str:
    """``text.translate(QUOTE_TRANSLATION)``, by a scan per mark (far faster on long texts)."""
    for mark, straight in _QUOTES.items():
        if mark in text:
            text = text.replace(mark, straight)
    return text


def normalised_words(sentence: str) -> list[str]:
    """The words the comparison sees: quotes straight, lower case, ``WORD_RE`` tokens."""
    return WORD_RE.findall(straight_quotes(sentence).lower())


def stable_hashes(texts: list[str]) -> np.ndarray:
    """A 64-bit hash of each text, the same in every process and run (unlike ``hash()``):
    pandas' SipHash-2-4 of the UTF-8 bytes with its fixed key, vectorised."""
    return pd.util.hash_array(np.asarray(texts, dtype=object), categorize=False)


_BASE = np.uint64(0x9E3779B97F4A7C15)  # odd multiplier combining the word keys of a shingle


def _mix(x: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser: spreads every input bit over the whole key."""
    x = x ^ (x >> np.uint64(33))
    x = x * np.uint64(0xFF51AFD7ED558CCD)
    x = x ^ (x >> np.uint64(33))
    x = x * np.uint64(0xC4CEB9FE1A85EC53)
    return x ^ (x >> np.uint64(33))


def article_sentences(
    file: str, paragraphs: Iterable[tuple[int, str]], k: int = SHINGLE
) -> ArticleSentences:
    """Sentences of one article's body paragraphs ((number, text) in reading order) with their
    word counts, fingerprints and ``k``-word shingle keys. Sentence numbers run from 1 within a
    paragraph number (continuing if a number comes twice). Pure: depends on its arguments only.
    """
    paragraph, number, texts = [], [], []
    seen: dict[int, int] = {}
    for para, body in paragraphs:
        for sentence in sentences(" ".join(body.split() if isinstance(body, str) else [])):
            seen[para] = seen.get(para, 0) + 1
            paragraph.append(para)
            number.append(seen[para])
            texts.append(sentence)
    n = len(texts)
    # normalised_words of each sentence, quotes and case done once for the article (no
    # sentence holds a line break after white space normalising; no word spans one)
    lowered = straight_quotes("\n".join(texts)).lower().split("\n") if n else []
    words = [WORD_RE.findall(sentence) for sentence in lowered]
    n_words = np.fromiter(map(len, words), dtype=np.int64, count=n)
    fingerprint = stable_hashes([" ".join(w) for w in words])
    flat = [w for sentence_words in words for w in sentence_words]
    word_key = stable_hashes(flat)
    owner = np.repeat(np.arange(n), n_words)
    span = max(len(flat) - k + 1, 0)
    key = word_key[:span].copy()
    for j in range(1, k):  # k is a small constant: one vectorised pass per word position
        key = key * _BASE + word_key[j : j + span]
    inside = owner[:span] == owner[k - 1 : k - 1 + span]  # no shingle spans two sentences
    owner, key = owner[:span][inside], _mix(key[inside])
    order = np.lexsort((key, owner))
    owner, key = owner[order], key[order]
    distinct = np.ones(len(owner), dtype=bool)
    distinct[1:] = (owner[1:] != owner[:-1]) | (key[1:] != key[:-1])
    owner, key = owner[distinct], key[distinct]
    start = np.r_[0, np.cumsum(np.bincount(owner, minlength=n))].astype(np.int64)
    return ArticleSentences(
        file=file,
        paragraph=np.asarray(paragraph, dtype=np.int64),
        sentence=np.asarray(number, dtype=np.int64),
        text=texts,
        n_words=n_words,
        fingerprint=fingerprint,
        shingle_start=start,
        shingles=key,
    )


def sentences_of_paragraphs(paragraphs: pd.DataFrame) -> list[ArticleSentences]:
    """``article_sentences`` of every article in a paragraphs table (file, paragraph, kind, text;
    only body rows, a missing kind meaning body), one per file, in file order."""
    body = paragraphs
    if "kind" in body.columns:
        body = body[body["kind"].fillna("body") == "body"]
    body = body.sort_values("file", kind="stable")
    files = body["file"].tolist()
    paragraph = list(zip(body["paragraph"].tolist(), body["text"].tolist(), strict=True))
    start = [i for i in range(len(files)) if i == 0 or files[i] != files[i - 1]]
    return [
        article_sentences(files[a], paragraph[a:b])
        for a, b in itertools.pairwise(start + [len(files)])
    ]


def split_sentences(paragraphs: pd.DataFrame) -> pd.DataFrame:
    """One row per body sentence, articles in file order: file, paragraph, sentence, text, norm
    (the normalised words joined by spaces), n_words."""
    pool = _pool(paragraphs)
    return pd.DataFrame(
        {
            "file": pool.files[pool.article],
            "paragraph": pool.paragraph,
            "sentence": pool.sentence,
            "text": pool.text,
            "norm": [" ".join(normalised_words(t)) for t in pool.text],
            "n_words": pool.n_words,
        }
    )


# --------------------------------------------------------------------------------------------
# The corpus: candidate sentence pairs and their scores
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Pool:
    """The sentences of all articles, one after another, articles in file order."""

    files: np.ndarray  # file name of each article code
    article: np.ndarray  # article code of each sentence (equal names, equal code)
    paragraph: np.ndarray
    sentence: np.ndarray
    text: np.ndarray | pd.api.extensions.ExtensionArray  # stored text (pandas "str")
    n_words: np.ndarray
    fingerprint: np.ndarray
    sizes: np.ndarray  # distinct shingles per sentence
    shingles: np.ndarray  # keys of sentence 0, then sentence 1, ...


def _pool(articles: Sequence[ArticleSentences] | SentencePool | pd.DataFrame) -> _Pool:
    if isinstance(articles, pd.DataFrame):
        articles = sentences_of_paragraphs(articles)
    if not isinstance(articles, SentencePool):
        articles = SentencePool.from_articles(articles)
    ordered = articles.in_file_order()
    code, files = pd.factorize(pd.Series(ordered.files, dtype=object))
    return _Pool(
        files=np.asarray(files, dtype=object),
        article=np.repeat(code.astype(np.int64), ordered.n_sentences),
        paragraph=ordered.paragraph,
        sentence=ordered.sentence,
        text=ordered.text,
        n_words=ordered.n_words,
        fingerprint=ordered.fingerprint,
        sizes=ordered.sizes,
        shingles=ordered.shingles,
    )


@dataclass(frozen=True)
class _Candidates:
    a: np.ndarray  # sentence index, a < b, different articles
    b: np.ndarray
    shared: np.ndarray  # shingles in both sets
    similarity: np.ndarray  # Jaccard of the shingle sets (1 for verbatim copies)
    verbatim: np.ndarray  # bool: same words


def _pairs_in_runs(run: np.ndarray, member: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every pair (member[i], member[j]), i < j, of entries in the same run of ``run`` (sorted):
    pass d pairs entries d apart, over the runs longer than d only."""
    size = np.diff(np.r_[np.flatnonzero(np.r_[True, run[1:] != run[:-1]]), len(run)])
    size = np.repeat(size, size)
    a, b = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
    d = 1
    while True:
        longer = size > d
        run, member, size = run[longer], member[longer], size[longer]
        if len(run) <= d:
            break
        same = run[d:] == run[:-d]
        a.append(member[:-d][same])
        b.append(member[d:][same])
        d += 1
    return np.concatenate(a), np.concatenate(b)


def _verbatim_groups(pool: _Pool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each sentence's first copy (itself if none, or too short) and the verbatim pairs (a, b):
    all pairs of a group of at most ``MAX_GROUP`` copies, each copy with the first beyond."""
    representative = np.arange(len(pool.n_words))
    rows = np.flatnonzero(pool.n_words >= MIN_WORDS)
    order, ordered = grouped_order(pool.fingerprint[rows])  # by group, rows ascending within
    group = np.cumsum(np.r_[False, ordered[1:] != ordered[:-1]]) if len(rows) else rows
    member = rows[order]
    code = np.empty(len(rows), dtype=np.int64)
    code[order] = group
    size = np.bincount(code)
    first = member[np.cumsum(size) - size]
    representative[rows] = first[code]
    small = size[group] <= MAX_GROUP
    a, b = _pairs_in_runs(group[small], member[small])
    star = ~small & (member != first[group])
    return representative, np.r_[a, first[group[star]]], np.r_[b, member[star]]


def _candidates(pool: _Pool, threshold: float = 0.0) -> _Candidates:
    """Candidate sentence pairs from different articles with exact scores (see the module
    docstring), sorted by a, then b: all verbatim ones, edited ones scoring >= ``threshold``
    (filtered block by block, so memory follows the pairs kept)."""
    n = len(pool.n_words)
    representative, a, b = _verbatim_groups(pool)
    other = pool.article[a] != pool.article[b]
    a, b = a[other], b[other]
    parts = [(a, b, pool.sizes[a], np.ones(len(a)), np.ones(len(a), bool))]
    # Postings of first copies only; a shingle's df counts the first copies holding it.
    is_first = (pool.n_words >= MIN_WORDS) & (representative == np.arange(n))
    key = pool.shingles[np.repeat(is_first, pool.sizes)]
    index = np.int32 if max(n, len(key)) < 2**31 else np.int64  # half the memory at 100k pages
    order, key = grouped_order(key)  # equal keys together (a sort, not a hash table)
    first = np.flatnonzero(is_first).astype(index)
    holder = np.repeat(first, pool.sizes[first])[order]
    del order
    new = np.r_[True, key[1:] != key[:-1]] if len(key) else np.zeros(0, bool)
    del key
    key_code = np.cumsum(new, dtype=index) - 1
    df = np.diff(np.r_[np.flatnonzero(new), len(new)]).astype(index)
    df = np.repeat(df, df)
    common = df > MAX_DF
    linking = (df >= 2) & ~common
    del df, new
    n_common = np.bincount(holder[common], minlength=n)
    shape = (n, int(key_code[-1]) + 1 if len(key_code) else 0)
    rare = _postings(holder[linking], key_code[linking], shape)
    stock = _postings(holder[common], key_code[common], shape)
    del holder, key_code, common, linking
    rare_t = rare.T.tocsr()
    for lo in range(0, n, _ROW_BLOCK):
        block = (rare[lo : lo + _ROW_BLOCK] @ rare_t).tocoo()
        a, b, shared = block.row.astype(np.int64) + lo, block.col.astype(np.int64), block.data
        keep = (b > a) & (pool.article[a] != pool.article[b])
        a, b, shared = a[keep], b[keep], shared[keep].astype(np.int64)
        # add the common shingles the pair shares (scored exactly, not a candidate reason)
        both = np.flatnonzero((n_common[a] > 0) & (n_common[b] > 0))
        shared[both] += np.asarray(stock[a[both]].multiply(stock[b[both]]).sum(axis=1)).ravel()
        union = pool.sizes[a] + pool.sizes[b] - shared
        similarity = np.divide(shared, union, out=np.zeros(len(a)), where=union > 0)
        keep = similarity >= threshold
        parts.append((a[keep], b[keep], shared[keep], similarity[keep], np.zeros(keep.sum(), bool)))
    a, b, shared, similarity, verbatim = (np.concatenate(c) for c in zip(*parts, strict=True))
    order = np.lexsort((b, a))
    return _Candidates(a[order], b[order], shared[order], similarity[order], verbatim[order])


def _postings(holder: np.ndarray, key_code: np.ndarray, shape: tuple[int, int]) -> sp.csr_matrix:
    """0/1 matrix of sentences by key codes, from postings (sentence, key code)."""
    return sp.csr_matrix((np.ones(len(holder), np.int32), (holder, key_code)), shape=shape)


def _outlets(files: pd.Series, articles: pd.DataFrame | None) -> pd.Series:
    if articles is None or not {"file", "outlet"} <= set(articles.columns):
        return pd.Series("", index=files.index)
    return files.map(articles.drop_duplicates("file").set_index("file")["outlet"])


def candidate_count(
    sentences_per_article: Sequence[ArticleSentences] | SentencePool | pd.DataFrame,
) -> int:
    """How many candidate sentence pairs the bounded scheme proposes (verbatim and edited)."""
    return len(_candidates(_pool(sentences_per_article)).a)


def candidate_scores(
    sentences_per_article: Sequence[ArticleSentences] | SentencePool | pd.DataFrame,
    articles: pd.DataFrame | None = None,
    max_pairs: int = MAX_SCORES,
) -> pd.DataFrame:
    """Candidate sentence pairs with their Jaccard scores, kept or not (to choose a threshold):
    all of them up to ``max_pairs``, else a uniform sample of ``max_pairs`` (fixed seed).

    Returns file_a, file_b, similarity, shared_shingles, outlet_a, outlet_b, same_outlet, by
    similarity descending, then files. Accepts ``article_sentences`` results or paragraphs.
    """
    pool = _pool(sentences_per_article)
    found = _candidates(pool)
    rows = np.arange(len(found.a))
    if len(rows) > max_pairs:
        rows = np.sort(np.random.default_rng(0).choice(len(rows), max_pairs, replace=False))
    out = pd.DataFrame(
        {
            "file_a": pool.files[pool.article[found.a[rows]]],
            "file_b": pool.files[pool.article[found.b[rows]]],
            "similarity": found.similarity[rows],
            "shared_shingles": found.shared[rows],
        }
    )
    out["outlet_a"] = _outlets(out["file_a"], articles)
    out["outlet_b"] = _outlets(out["file_b"], articles)
    out["same_outlet"] = out["outlet_a"] == out["outlet_b"]
    out = out.sort_values(["similarity", "file_a", "file_b"], ascending=[False, True, True])
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Sentence pairs and passages
# --------------------------------------------------------------------------------------------


def _kinds(verbatim: np.ndarray, similarity: np.ndarray) -> np.ndarray:
    return np.where(verbatim, "verbatim", np.where(similarity >= EDITED, "edited", "related"))


def _side(pool: _Pool, passage: np.ndarray, sentence: np.ndarray, n: int):
    """One side of each passage: its distinct sentences in reading order joined by spaces, their
    number and words, and its shingles as (passage, key) postings (the union of its sentences'
    sets; a key may repeat within a passage)."""
    order = np.lexsort((sentence, passage))
    passage, sentence = passage[order], sentence[order]
    first = np.r_[True, (passage[1:] != passage[:-1]) | (sentence[1:] != sentence[:-1])]
    passage, sentence = passage[first], sentence[first]
    counts = np.bincount(passage, minlength=n)
    starts = np.cumsum(counts) - counts
    text = np.asarray(pool.text[sentence], dtype=object)
    joined = text[starts].copy()
    for i in np.flatnonzero(counts > 1):  # most passages are one sentence
        joined[i] = " ".join(text[starts[i] : starts[i] + counts[i]])
    n_words = np.bincount(passage, weights=pool.n_words[sentence], minlength=n)
    offset = np.cumsum(pool.sizes) - pool.sizes
    size = pool.sizes[sentence]
    entry = np.repeat(offset[sentence] - (np.cumsum(size) - size), size) + np.arange(size.sum())
    return joined, counts.astype(np.int64), n_words, np.repeat(passage, size), pool.shingles[entry]


def _set_entries(holder: np.ndarray, code: np.ndarray, rank: int) -> np.ndarray:
    """Each passage's shingle set as sorted distinct entries ``passage * rank + code`` (``code``:
    a dense rank below ``rank``; one integer sorts far faster than a pair)."""
    entries = np.sort(holder * np.int64(rank) + code)
    return entries[np.r_[True, entries[1:] != entries[:-1]]] if len(entries) else entries


def shared_passages(
    sentences_per_article: Sequence[ArticleSentences] | SentencePool | pd.DataFrame,
    articles: pd.DataFrame | None = None,
    threshold: float = THRESHOLD,
    engine: Engine | None = None,
) -> pd.DataFrame:
    """Passages shared between articles: matched sentences merged per paragraph pair.

    ``sentences_per_article``: ``article_sentences`` results (any order), or a paragraphs table
    (file, paragraph, kind, text). Returns ``PASSAGE_COLUMNS``: file_a < file_b, the passages'
    texts, similarity (Jaccard of the merged shingle sets; 1 for the same words), outlets (from
    ``articles``' file/outlet, else ""), paragraph numbers, n_sentences (side a), shared_shingles,
    kind (verbatim | edited | related), diff_ratio (difflib word ratio). Sorted by similarity
    descending, then file_a, paragraph_a, file_b, paragraph_b. ``engine`` runs the difflib
    ratios (default: this process); the table does not depend on it.
    """
    pool = _pool(sentences_per_article)
    pairs = _candidates(pool, threshold)
    if not len(pairs.a):
        return pd.DataFrame({c: [] for c in PASSAGE_COLUMNS})
    # Passages: the distinct (article_a, paragraph_a, article_b, paragraph_b) of the pairs.
    key = np.stack(
        [
            pool.paragraph[pairs.b],
            pool.article[pairs.b],
            pool.paragraph[pairs.a],
            pool.article[pairs.a],
        ]
    )
    order = np.lexsort(key)
    new = np.ones(len(order), dtype=bool)
    new[1:] = (np.diff(key[:, order], axis=1) != 0).any(axis=0)
    passage = np.empty(len(order), dtype=np.int64)
    passage[order] = np.cumsum(new) - 1
    para_b, art_b, para_a, art_a = key[:, order[new]]
    n = len(art_a)
    text_a, n_sentences, words_a, holder_a, keys_a = _side(pool, passage, pairs.a, n)
    text_b, _, words_b, holder_b, keys_b = _side(pool, passage, pairs.b, n)
    # Only the paired sentences' shingles are coded (not the whole pool's): linear in the pairs.
    code = dense_codes(np.concatenate([keys_a, keys_b]))
    rank = int(code.max()) + 1 if len(code) else 1
    if n * rank >= 2**63:
        raise OverflowError("too many passages and shingles for one 64-bit entry")
    entries_a = _set_entries(holder_a, code[: len(keys_a)], rank)
    entries_b = _set_entries(holder_b, code[len(keys_a) :], rank)
    del code, keys_a, keys_b, holder_a, holder_b
    both = np.intersect1d(entries_a, entries_b, assume_unique=True)
    shared = np.bincount(both // rank, minlength=n)
    union = np.bincount(entries_a // rank, minlength=n)
    union += np.bincount(entries_b // rank, minlength=n) - shared
    del both, entries_a, entries_b
    similarity = np.divide(shared, union, out=np.zeros(n), where=union > 0)
    # The same words on both sides: "verbatim". Equal words mean equal word counts and equal
    # shingle sets (cheap tests, rarely both true), and equal texts mean equal words.
    same = (words_a == words_b) & (shared == union)
    maybe = np.flatnonzero(same)
    differ = maybe[text_a[maybe] != text_b[maybe]]
    same[differ] = [
        normalised_words(x) == normalised_words(y)
        for x, y in zip(text_a[differ], text_b[differ], strict=True)
    ]
    similarity[same] = 1.0
    out = pd.DataFrame(
        {
            "file_a": pool.files[art_a],
            "file_b": pool.files[art_b],
            "text_a": text_a,
            "text_b": text_b,
            "similarity": similarity,
            "paragraph_a": para_a,
            "paragraph_b": para_b,
            "n_sentences": n_sentences,
            "shared_shingles": shared.astype(np.int64),
            "kind": _kinds(same, similarity),
            "diff_ratio": diff_ratios(text_a, text_b, engine),
        }
    )
    out["outlet_a"] = _outlets(out["file_a"], articles)
    out["outlet_b"] = _outlets(out["file_b"], articles)
    out["_s"] = -np.round(out["similarity"], 12)
    out = out.sort_values(["_s", "file_a", "paragraph_a", "file_b", "paragraph_b"], kind="stable")
    return out[PASSAGE_COLUMNS].reset_index(drop=True)
