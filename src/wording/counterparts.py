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
import re
import time
from collections.abc import Sequence
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
THRESHOLD = 0.45  # lowest score kept as a counterpart; chosen on the seeds (notebook 04, Method)
WINDOW = 16  # pairs per anchor posting: every pair for a rarer anchor, the nearest in date else
SEEK = 8  # anchors per sentence that propose candidates: its rarest ones held by another sentence
MIN_WORDS = 4  # a shorter sentence ("TOKYO, May 21. /TASS/.") tells no fact
EMBED_BATCH = 4_096  # sentences embedded at once

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


def embed(texts: Sequence[str]) -> np.ndarray:
    """Unit-length float32 embeddings (one row per text, 256 columns); each distinct text is
    embedded once."""
    codes, distinct = pd.factorize(pd.Series(list(texts), dtype=object))
    if len(distinct) == 0:
        return np.zeros((0, 256), dtype=np.float32)
    model = load_model()
    parts = [
        model.embed(list(distinct[i : i + EMBED_BATCH]), norm=True)
        for i in range(0, len(distinct), EMBED_BATCH)
    ]
    return np.ascontiguousarray(np.vstack(parts).astype(np.float32)[codes])


# --------------------------------------------------------------------------------------------
# Sentences and their anchors
# --------------------------------------------------------------------------------------------


def anchors(text: str, terms: Sequence[str] = ()) -> dict[str, float]:
    """The anchor keys of one sentence with their weights: ``name:`` capitalised words (not its
    first word, not a function word), each weighing 1 / the length of its run of capitalised
    words (so "Japanese Prime Minister Shinzo Abe" weighs as much as one name, not five);
    ``num:`` words holding a digit, ``month:`` month names, ``word:`` other words not in
    scikit-learn's English stop words, and ``ref:`` plus each of ``terms`` (the referents of the
    contested terms it holds), each weighing 1. Keys in lower case."""
    keys = {f"ref:{t}": 1.0 for t in terms if t}
    tokens = WORD_RE.findall(text)
    run: list[str] = []
    for i, token in enumerate(tokens + [""]):
        low = token.lower().replace("\u2019", "'").removesuffix("'s")
        is_name = bool(token) and i > 0 and token[0].isupper() and low not in NOT_NAMES
        is_name = is_name and not _DIGITS.search(token) and low not in MONTHS
        if is_name:
            run.append(low)
            continue
        for name in run:
            keys[f"name:{name}"] = max(keys.get(f"name:{name}", 0.0), 1.0 / len(run))
        run = []
        if not token:
            break
        if _DIGITS.search(token):
            keys[f"num:{low}"] = 1.0
        elif low in MONTHS:
            keys[f"month:{low}"] = 1.0
        elif low not in STOP_WORDS and len(low) > 2:
            keys.setdefault(f"word:{low}", 1.0)
    return keys


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


def anchor_matrix(table: pd.DataFrame) -> tuple[sp.csr_matrix, np.ndarray]:
    """Sentences by anchor keys (CSR, each cell the anchor's weight in the sentence) and each
    key's inverse document frequency over the sentences (log(n / df))."""
    holder, keys, weights = [], [], []
    for i, (text, refs) in enumerate(zip(table["text"], table["referents"], strict=True)):
        for key, weight in anchors(text, refs.split(";") if refs else ()).items():
            holder.append(i)
            keys.append(key)
            weights.append(weight)
    code, _ = pd.factorize(pd.Series(keys, dtype=object))
    n, k = len(table), int(code.max()) + 1 if len(code) else 0
    m = sp.csr_matrix((np.asarray(weights), (np.asarray(holder), code)), shape=(n, k))
    df = np.diff(m.tocsc().indptr)
    return m, np.log(n / np.maximum(df, 1))


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


def pair_scores(
    emb: np.ndarray, postings: sp.csr_matrix, idf: np.ndarray, a: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(semantic, lexical, score) of each pair: cosine clipped at 0; the weighted Jaccard
    similarity of the anchors (weight x idf: sum of the smaller over sum of the larger, key by
    key); their weighted mean."""
    semantic = np.zeros(len(a))
    for s in range(0, len(a), 1 << 18):  # rows of both sides at once: bounded memory
        x, y = emb[a[s : s + (1 << 18)]], emb[b[s : s + (1 << 18)]]
        semantic[s : s + len(x)] = np.einsum("ij,ij->i", x, y)
    semantic = np.clip(semantic, 0.0, 1.0)
    weighted = postings.multiply(idf[None, :]).tocsr() if postings.shape[1] else postings
    lexical = np.zeros(len(a))
    for s in range(0, len(a), 1 << 16):
        x, y = weighted[a[s : s + (1 << 16)]], weighted[b[s : s + (1 << 16)]]
        low = np.asarray(x.minimum(y).sum(axis=1)).ravel()
        high = np.asarray(x.maximum(y).sum(axis=1)).ravel()
        lexical[s : s + len(low)] = np.divide(low, high, out=np.zeros(len(low)), where=high > 0)
    score = SEMANTIC_WEIGHT * semantic + (1 - SEMANTIC_WEIGHT) * lexical
    return semantic, lexical, score


# --------------------------------------------------------------------------------------------
# The table
# --------------------------------------------------------------------------------------------


def best_counterparts(
    table: pd.DataFrame, threshold: float = THRESHOLD, emb: np.ndarray | None = None
) -> pd.DataFrame:
    """For each sentence (row of ``sentence_table``) and each outlet, its best-scoring candidate
    in that outlet (its own outlet: other articles) at or above ``threshold``: columns i, j (row
    numbers), semantic, lexical, score, mutual."""
    empty = pd.DataFrame(columns=["i", "j", "semantic", "lexical", "score", "mutual"])
    if len(table) < 2:
        return empty
    article = pd.factorize(table["file"])[0].astype(np.int64)
    order = pd.factorize(table["date"].astype(str) + "\x00" + table["file"], sort=True)[0]
    postings, idf = anchor_matrix(table)
    seeds = rarest(postings, article, SEEK)
    a, b = candidate_pairs(seeds, article, order.astype(np.int64), WINDOW)
    if len(a) == 0:
        return empty
    emb = embed(table["text"].tolist()) if emb is None else emb
    semantic, lexical, score = pair_scores(emb, postings, idf, a, b)
    outlet = pd.factorize(table["outlet"])[0]
    both = pd.DataFrame(  # each pair in both directions: i's best in j's outlet
        {
            "i": np.r_[a, b],
            "j": np.r_[b, a],
            "semantic": np.r_[semantic, semantic],
            "lexical": np.r_[lexical, lexical],
            "score": np.r_[score, score],
        }
    )
    both["group"] = outlet[both["j"].to_numpy()]
    both = both.sort_values(["i", "group", "score", "j"], ascending=[True, True, False, True])
    best = both.drop_duplicates(["i", "group"], keep="first")
    mate = dict(zip(zip(best["i"], best["group"], strict=True), best["j"], strict=True))
    own = outlet[best["i"].to_numpy()]
    best = best.assign(
        mutual=[mate.get((j, o)) == i for i, j, o in zip(best["i"], best["j"], own, strict=True)]
    )
    return best[best["score"] >= threshold].drop(columns="group").reset_index(drop=True)


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
