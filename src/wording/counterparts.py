"""Counterpart passages: for each body sentence, the sentence that tells the same fact in each
other outlet and in the same outlet's other articles, scored, with the wording compared.

Method:
1. Sentences are the build's (``reuse.article_sentences``: ``text.sentences`` over the body
   paragraphs, numbered within their paragraph); words are ``text.WORD_RE`` words. Nothing here
   splits text another way.
2. Anchors of a sentence (``anchors``): the specific things a fact is about, the evidence that two
   sentences tell the *same* fact rather than the same topic: names (capitalised words other than
   a sentence's first word and common function words), numbers and month names, content words
   (not in scikit-learn's English stop words; without them "The feud has precluded a formal peace
   treaty" has no anchor at all), and the lexicon
   referent of each contested term the sentence holds ("Southern Kurils" and "Northern
   Territories" share the referent "the four disputed islands", so naming the islands either way
   is the same anchor).
3. Candidates (``candidate_pairs``): two sentences of different articles are compared only if they
   share one of the ``SEEK`` rarest anchors of either (``rarest``: anchors no other sentence holds
   are skipped). Each anchor's postings are sorted by article date and each posting is paired
   with the next ``WINDOW`` postings of that anchor: all pairs while an anchor is rarer than that,
   and for a common anchor only sentences close in time. A sentence thus proposes at most
   ``SEEK`` x ``WINDOW`` pairs, so the pairs grow linearly with the corpus; nothing compares all
   pairs.
4. Score = ``SEMANTIC_WEIGHT`` x semantic + (1 - ``SEMANTIC_WEIGHT``) x lexical, both in [0, 1]:
   - semantic: cosine of WordLlama sentence embeddings (its default 256-dimension model, whose
     weights and tokenizer ship in the wheel; loaded offline), clipped at 0. Static embeddings see
     topic: every sentence about "Japan, Russia and a peace treaty" scores 0.6-0.8 against every
     other, so cosine alone ranks same-topic sentences as high as same-fact ones;
   - lexical: the weighted Jaccard similarity of the two anchor sets, each anchor weighted by its
     inverse document frequency over the sentences (a shared "Okhotsk" counts for more than a
     shared "Japan"), and the words of a run of capitalised words sharing one name's weight (the
     same people's titles, "Japanese Prime Minister Shinzo Abe", recur in many different facts).
     It separates the same fact from the same topic, but alone it misses rewordings that share
     few anchors ("claimed by Soviet forces" / "seized by Soviet troops").
   Equal weights: neither kind of evidence is trusted over the other (on the seeds, weights 0.3
   and 0.5 keep the most correct counterparts at full precision; 0.7 and above keep fewer).
   The threshold is the lowest at which every kept counterpart of the seeds agrees with the hand
   alignment and no sentence the hand alignment calls unmatched keeps one: set on the five seeds,
   the only hand-aligned text, so the seeds' precision is measured in sample (notebook 04).
5. For each sentence and each outlet (its own outlet: other articles only), the best-scoring
   candidate is its counterpart if the score is at least ``THRESHOLD``. A pair is mutual when each
   is the other's counterpart. Facts are the connected groups of mutual pairs (``fact_id``).
6. Wording (``wording.align``): difflib over the two sentences' words: words kept, swapped, added
   and dropped, and the contested terms on each side.
"""

from __future__ import annotations

import functools
import itertools
import re
import time
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS as STOP_WORDS

from wording import align
from wording.reuse import ArticleSentences, sentences_of_paragraphs
from wording.text import WORD_RE

SEMANTIC_WEIGHT = 0.5  # score = w * cosine + (1 - w) * lexical; see the module docstring
THRESHOLD = 0.4  # lowest score kept as a counterpart; chosen on the seeds (notebook 04, Method)
WINDOW = 4  # pairs per anchor posting: every pair for a rarer anchor, the nearest in date else
SEEK = 8  # anchors per sentence that propose candidates: its rarest ones held by another sentence
MIN_WORDS = 4  # a shorter sentence ("TOKYO, May 21. /TASS/.") tells no fact
LEX_WIDTH = 12  # anchors per sentence compared for the shared part of the lexical score
CONFLICT_FACTOR = 0.5  # a pair naming different years, months or numbers keeps half its score

COLUMNS = [
    "fact_id", "file", "outlet", "paragraph", "sentence", "text",
    "counterpart_file", "counterpart_outlet", "counterpart_paragraph", "counterpart_sentence",
    "counterpart_text", "same_outlet", "semantic", "lexical", "score", "mutual",
    "shared_words", "differing_words", "terms", "counterpart_terms",
    "swapped", "added", "dropped", "term_differs",
]  # fmt: skip

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


# --------------------------------------------------------------------------------------------
# The model
# --------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def load_model():
    """WordLlama's default model (256 dimensions) from the files inside the installed wheel.

    wordllama 0.4.0 looks for its bundled tokenizer under a folder it does not ship and would then
    download it; pointing ``cache_dir`` at the package's own folder with downloads disabled reads
    the bundled files. Returns the model; raises if the files are missing (never downloads).
    """
    import wordllama
    from wordllama import WordLlama

    return WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)


@functools.lru_cache(maxsize=1)
def _tokenizer():
    """A copy of the model's tokenizer without padding (the model's own pads every batch)."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_str(load_model().tokenizer.to_str())
    tok.no_padding()
    return tok


@dataclass
class Pieces:
    """The sentences split at white space: ``sentence`` and ``code`` of each piece in reading
    order (code: index into ``distinct``), and the distinct pieces."""

    n: int
    sentence: np.ndarray
    code: np.ndarray
    distinct: np.ndarray


def pieces(texts: Sequence[str]) -> Pieces:
    """``Pieces`` of ``texts``: one ``str.split`` of all texts joined, one factorize."""
    lens = np.fromiter((len(t.split()) for t in texts), np.int64, len(texts))
    code, distinct = pd.factorize(pd.Series(" ".join(texts).split(), dtype=object))
    sentence = np.repeat(np.arange(len(texts)), lens)
    return Pieces(len(texts), sentence, code.astype(np.int64), np.asarray(distinct, dtype=object))


def _piece_vectors(distinct: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """The sum of the model's token vectors of each distinct piece, and its token count."""
    model = load_model()
    enc = _tokenizer().encode_batch(list(distinct), add_special_tokens=False)
    ids = [e.ids for e in enc]
    count = np.fromiter((len(i) for i in ids), np.int64, len(ids))
    flat = np.fromiter(itertools.chain.from_iterable(ids), np.int64, int(count.sum()))
    np.clip(flat, 0, model.embedding.shape[0] - 1, out=flat)
    member = sp.csr_matrix(
        (np.ones(len(flat), np.float32), (np.repeat(np.arange(len(ids)), count), flat)),
        shape=(len(ids), model.embedding.shape[0]),
    )
    return np.asarray(member @ model.embedding, dtype=np.float32), count


def embed_pieces(p: Pieces) -> np.ndarray:
    """Unit-length float32 sentence embeddings (``p.n`` rows, 256 columns), WordLlama's own
    ``embed(norm=True)``: its tokenizer (Llama 2 BPE: a "\u2581" before each white-space
    piece, no pre-tokenizer, no merge across a "\u2581") tokenises each piece apart, so each
    distinct piece is tokenised once and a sentence is the sparse (sentence x piece counts) @
    (piece vector sums), normalised (mean pooling's division by the token count cancels)."""
    if p.n == 0:
        return np.zeros((0, 256), dtype=np.float32)
    vectors, _ = _piece_vectors(p.distinct)
    counts = sp.csr_matrix(
        (np.ones(len(p.code), np.float32), (p.sentence, p.code)), shape=(p.n, len(p.distinct))
    )
    out = np.asarray(counts @ vectors, dtype=np.float32)
    norm = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.where(norm > 0, norm, 1.0)


def embed(texts: Sequence[str]) -> np.ndarray:
    """Unit-length float32 embeddings (one row per text, 256 columns); see ``embed_pieces``."""
    return embed_pieces(pieces(list(texts)))


# --------------------------------------------------------------------------------------------
# Sentences and their anchors
# --------------------------------------------------------------------------------------------


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


def sentence_table(
    sentences: Sequence[ArticleSentences] | pd.DataFrame,
    articles: pd.DataFrame,
    mentions: pd.DataFrame | None = None,
    lexicon: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per body sentence of at least ``MIN_WORDS`` words, articles in file order: file,
    outlet, date, paragraph, sentence, text, terms (term_ids of the lexicon mentions inside it,
    ";"-joined), referents (their lexicon referents, ";"-joined)."""
    if isinstance(sentences, pd.DataFrame):
        sentences = sentences_of_paragraphs(sentences)
    ordered = sorted((s for s in sentences if s is not None), key=lambda s: s.file)
    meta = articles.set_index("file")
    rows = []
    for art in ordered:
        for p, s, t, n in zip(art.paragraph, art.sentence, art.text, art.n_words, strict=True):
            if n >= MIN_WORDS:
                rows.append((art.file, int(p), int(s), t))
    table = pd.DataFrame(rows, columns=["file", "paragraph", "sentence", "text"])
    table.insert(1, "outlet", meta["outlet"].reindex(table["file"]).fillna("").to_numpy())
    date = meta["date"] if "date" in meta else pd.Series("", index=meta.index)
    table.insert(2, "date", date.reindex(table["file"]).fillna("").astype(str).to_numpy())
    table["terms"], table["referents"] = _sentence_terms(table, ordered, mentions, lexicon)
    return table


def _sentence_terms(
    table: pd.DataFrame,
    ordered: Sequence[ArticleSentences],
    mentions: pd.DataFrame | None,
    lexicon: pd.DataFrame | None,
) -> tuple[list[str], list[str]]:
    """The contested terms of each sentence: the mentions of its paragraph (``body_paragraph``
    counts body paragraphs from 1) whose matched words occur in the sentence."""
    n = len(table)
    if mentions is None or mentions.empty or n == 0:
        return [""] * n, [""] * n
    referent = {}
    if lexicon is not None and "referent" in lexicon:
        referent = dict(zip(lexicon["term_id"], lexicon["referent"].fillna(""), strict=True))
    number = {}  # (file, body paragraph rank) -> paragraph number
    for art in ordered:
        for rank, p in enumerate(dict.fromkeys(art.paragraph.tolist()), start=1):
            number[art.file, rank] = p
    by_para: dict[tuple[str, int], list[tuple[str, str]]] = {}
    for file, bp, term, matched in zip(
        mentions["file"], mentions["body_paragraph"], mentions["term_id"], mentions["matched"],
        strict=True,
    ):  # fmt: skip
        key = (file, number.get((file, int(bp)), -1))
        by_para.setdefault(key, []).append((term, " ".join(str(matched).split())))
    terms, refs = [], []
    for file, p, text in zip(table["file"], table["paragraph"], table["text"], strict=True):
        found = [t for t, m in by_para.get((file, p), []) if m and m in text]
        found = list(dict.fromkeys(found))
        terms.append(";".join(found))
        refs.append(";".join(dict.fromkeys(referent.get(t, t) for t in found)))
    return terms, refs


# --------------------------------------------------------------------------------------------
# Candidates and scores
# --------------------------------------------------------------------------------------------


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


def rarest(postings: sp.csr_matrix, article: np.ndarray, k: int = SEEK) -> sp.csr_matrix:
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
    postings: sp.csr_matrix, article: np.ndarray, order: np.ndarray, window: int = WINDOW
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (a, b), a < b, of sentences of different articles sharing an anchor: each posting
    of an anchor with the next ``window`` postings of that anchor in ``order`` (date rank).
    At most ``window`` pairs per posting; duplicates removed."""
    csc = postings.tocsc()
    key = np.repeat(np.arange(csc.shape[1]), np.diff(csc.indptr))
    who = csc.indices
    sort = np.lexsort((order[who], key))
    key, who = key[sort], who[sort]
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


def padded_anchors(postings: sp.csr_matrix, idf: np.ndarray, width: int = LEX_WIDTH):
    """Each sentence's ``width`` heaviest anchors (weight x idf) as two dense arrays, keys (-1
    where fewer) and their weights, and each sentence's total anchor weight (all anchors)."""
    csr = postings.tocsr()
    value = csr.data * idf[csr.indices]
    row = np.repeat(np.arange(csr.shape[0]), np.diff(csr.indptr))
    order = np.lexsort((-value, row))
    row, col, value = row[order], csr.indices[order], value[order]
    rank = np.arange(len(row)) - np.searchsorted(row, row)
    keep = rank < width
    keys = np.full((csr.shape[0], width), -1, np.int64)
    weights = np.zeros((csr.shape[0], width), np.float32)
    keys[row[keep], rank[keep]] = col[keep]
    weights[row[keep], rank[keep]] = value[keep]
    total = np.bincount(row[keep], weights=value[keep], minlength=csr.shape[0])
    return keys, weights, total


def pair_scores(
    emb: np.ndarray,
    postings: sp.csr_matrix,
    idf: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    conflict: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(semantic, lexical, score) of each pair: cosine clipped at 0; the weighted Jaccard
    similarity of the anchors (weight x idf: sum of the smaller over sum of the larger, key by
    key; the shared part over each sentence's ``LEX_WIDTH`` heaviest anchors, the totals over
    all); their weighted mean, times ``CONFLICT_FACTOR`` where ``conflict`` (different dates or
    numbers). Vectorised in blocks of pairs."""
    keys, weights, total = padded_anchors(postings, idf)
    semantic = np.zeros(len(a))
    lexical = np.zeros(len(a))
    step = 1 << 15
    for s in range(0, len(a), step):
        x, y = a[s : s + step], b[s : s + step]
        semantic[s : s + len(x)] = np.einsum("ij,ij->i", emb[x], emb[y])
        kx, ky = keys[x], keys[y]
        same = (kx[:, :, None] == ky[:, None, :]) & (kx[:, :, None] >= 0)
        low = np.minimum(weights[x][:, :, None], weights[y][:, None, :])
        shared = (same * low).sum(axis=(1, 2), dtype=np.float64)
        union = total[x] + total[y] - shared
        lexical[s : s + len(x)] = np.divide(shared, union, out=np.zeros(len(x)), where=union > 0)
    semantic = np.clip(semantic, 0.0, 1.0)
    score = SEMANTIC_WEIGHT * semantic + (1 - SEMANTIC_WEIGHT) * lexical
    if conflict is not None:
        score = np.where(conflict, CONFLICT_FACTOR * score, score)
    return semantic, lexical, score


# --------------------------------------------------------------------------------------------
# The table
# --------------------------------------------------------------------------------------------


def scored_pairs(table: pd.DataFrame, emb: np.ndarray | None = None) -> pd.DataFrame:
    """Every candidate pair in both directions: i, j (row numbers of ``sentence_table``),
    semantic, lexical, score, conflict."""
    cols = ["i", "j", "semantic", "lexical", "score", "conflict"]
    if len(table) < 2:
        return pd.DataFrame(columns=cols)
    article = pd.factorize(table["file"])[0].astype(np.int64)
    order = pd.factorize(table["date"].astype(str) + "\x00" + table["file"], sort=True)[0]
    p = pieces(table["text"].tolist())
    postings, idf, _, w = anchor_matrix(table, words(p))
    seeds = rarest(postings, article, SEEK)
    a, b = candidate_pairs(seeds, article, order.astype(np.int64), WINDOW)
    if len(a) == 0:
        return pd.DataFrame(columns=cols)
    emb = embed_pieces(p) if emb is None else emb
    year = pd.to_numeric(table["date"].astype(str).str[:4], errors="coerce").fillna(0)
    clash = conflicts(time_masks(w, year.to_numpy(np.int64)), a, b)
    semantic, lexical, score = pair_scores(emb, postings, idf, a, b, clash)
    return pd.DataFrame(
        {
            "i": np.r_[a, b],
            "j": np.r_[b, a],
            "semantic": np.r_[semantic, semantic],
            "lexical": np.r_[lexical, lexical],
            "score": np.r_[score, score],
            "conflict": np.r_[clash, clash],
        }
    )


def best_counterparts(
    table: pd.DataFrame, threshold: float = THRESHOLD, emb: np.ndarray | None = None
) -> pd.DataFrame:
    """For each sentence (row of ``sentence_table``) and each outlet, its best-scoring candidate
    in that outlet (its own outlet: other articles) at or above ``threshold``: columns i, j (row
    numbers), semantic, lexical, score, conflict, mutual."""
    both = scored_pairs(table, emb)
    if both.empty:
        return pd.DataFrame(columns=[*both.columns, "mutual"])
    outlet = pd.factorize(table["outlet"])[0].astype(np.int64)
    i, j = both["i"].to_numpy(np.int64), both["j"].to_numpy(np.int64)
    group = outlet[j]
    order = np.lexsort((j, -both["score"].to_numpy(), group, i))
    i, j, group = i[order], j[order], group[order]
    first = np.r_[True, (i[1:] != i[:-1]) | (group[1:] != group[:-1])]
    best = both.iloc[order[first]].reset_index(drop=True)
    bi, bj = i[first], j[first]
    n_out = int(outlet.max()) + 1
    mate = pd.Series(bj, index=bi * n_out + group[first])
    back = mate.reindex(bj * n_out + outlet[bi]).to_numpy()
    best["mutual"] = back == bi
    return best[best["score"] >= threshold].reset_index(drop=True)


def facts(best: pd.DataFrame, n: int) -> np.ndarray:
    """Fact number of each of ``n`` sentences: the connected groups of mutual pairs, numbered
    from 1 in order of their first sentence; 0 for a sentence in no mutual pair."""
    mutual = best[best["mutual"]]
    graph = sp.coo_matrix(
        (np.ones(len(mutual)), (mutual["i"].to_numpy(int), mutual["j"].to_numpy(int))),
        shape=(n, n),
    )
    _, label = connected_components(graph, directed=False)
    in_pair = np.zeros(n, dtype=bool)
    in_pair[mutual["i"].to_numpy(int)] = True
    first: dict[int, int] = {}
    out = np.zeros(n, dtype=np.int64)
    for i in np.flatnonzero(in_pair):
        out[i] = first.setdefault(int(label[i]), len(first) + 1)
    return out


def counterparts_table(
    sentences: Sequence[ArticleSentences] | pd.DataFrame,
    articles: pd.DataFrame,
    mentions: pd.DataFrame | None = None,
    lexicon: pd.DataFrame | None = None,
    threshold: float = THRESHOLD,
) -> pd.DataFrame:
    """``counterparts.csv``: one row per (sentence, outlet) with a counterpart at or above
    ``threshold`` (columns ``COLUMNS``), sorted by file, paragraph, sentence, counterpart file.

    ``sentences``: the build's ``ArticleSentences`` (or a paragraphs table); ``mentions``:
    term_mentions; ``lexicon``: the lexicon (for referents)."""
    table = sentence_table(sentences, articles, mentions, lexicon)
    best = best_counterparts(table, threshold)
    if best.empty:
        return pd.DataFrame(columns=COLUMNS)
    fact = facts(best, len(table))
    i, j = best["i"].to_numpy(int), best["j"].to_numpy(int)
    left, right = table.iloc[i].reset_index(drop=True), table.iloc[j].reset_index(drop=True)
    wording = align.compare_pairs(left["text"], right["text"])
    out = pd.DataFrame(
        {
            "fact_id": [f"F{k:05d}" if k else "" for k in fact[i]],
            "file": left["file"],
            "outlet": left["outlet"],
            "paragraph": left["paragraph"],
            "sentence": left["sentence"],
            "text": left["text"],
            "counterpart_file": right["file"],
            "counterpart_outlet": right["outlet"],
            "counterpart_paragraph": right["paragraph"],
            "counterpart_sentence": right["sentence"],
            "counterpart_text": right["text"],
            "same_outlet": (left["outlet"] == right["outlet"]).to_numpy(),
            "semantic": best["semantic"].round(6),
            "lexical": best["lexical"].round(6),
            "score": best["score"].round(6),
            "mutual": best["mutual"].to_numpy(bool),
            "terms": left["terms"],
            "counterpart_terms": right["terms"],
        }
    )
    out = pd.concat([out, wording], axis=1)
    out["term_differs"] = [
        set(filter(None, x.split(";"))) != set(filter(None, y.split(";")))
        for x, y in zip(out["terms"], out["counterpart_terms"], strict=True)
    ]
    out = out[COLUMNS].sort_values(
        ["file", "paragraph", "sentence", "counterpart_file"], kind="stable"
    )
    return out.reset_index(drop=True)


def model_load_seconds() -> float:
    """Seconds to load the model in this process (the first call; cached after)."""
    load_model.cache_clear()
    start = time.perf_counter()
    load_model()
    return time.perf_counter() - start
