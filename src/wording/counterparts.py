"""Counterpart passages: for each body sentence, the sentence that tells the same fact in each
other outlet and in the same outlet's other articles, scored, with the wording compared.

Method (all steps vectorised with NumPy / scipy.sparse: no Python loop over pairs, nor over the
words of each sentence; Python runs once per *distinct* piece or word):
1. Sentences are the build's (``reuse.article_sentences``: ``text.sentences`` over the body
   paragraphs, numbered within their paragraph); words are ``text.WORD_RE`` words, found once per
   distinct white-space piece (``pieces``, ``words``).
2. Semantic: WordLlama's default 256-dimension model (weights and tokenizer inside the wheel;
   loaded offline). It is static: a sentence's embedding is the mean of its token vectors,
   normalised. Its Llama 2 tokenizer has no pre-tokenizer and puts "\u2581" before each
   white-space piece, and no merge crosses a "\u2581", so each distinct piece is tokenised once
   and a sentence embedding is one sparse product (``embed_pieces``); it equals the model's own
   ``embed`` (cosine > 0.99999 on every seed sentence; a test checks it).
3. Anchors of a sentence (``anchor_matrix``): names (capitalised words other than a sentence's
   first word and common function words, a run of them weighing as one name), numbers, month
   names, content words (not scikit-learn English stop words) and the lexicon referent of each
   contested term it holds ("Southern Kurils" and "Northern Territories" share a referent).
4. Candidates (``candidate_pairs``): two sentences of different articles are compared only if
   they share one of the ``SEEK`` rarest anchors of either; each anchor's holders are sorted by
   article date and each is paired with the next ``WINDOW`` holders. At most ``SEEK`` x
   ``WINDOW`` = 32 pairs proposed per sentence: linear in the corpus.
5. Score = ``SEMANTIC_WEIGHT`` x semantic + (1 - ``SEMANTIC_WEIGHT``) x lexical, times
   ``CONFLICT_FACTOR`` for a conflict:
   - semantic: the embeddings' cosine, clipped at 0. Static embeddings see topic: every sentence
     about "Japan, Russia and a peace treaty" scores 0.6-0.8 against every other;
   - lexical: weighted Jaccard of the two sentences' ``LEX_WIDTH`` heaviest anchors (weight x
     inverse document frequency), which separates the same fact from the same topic but misses
     rewordings that share few anchors ("claimed by Soviet forces" / "seized by Soviet troops");
   - conflict (``time_masks``, ``conflicts``): both sentences name a year and share none, or a
     month, or another number. A sentence that names no year but a month, a weekday or
     "yesterday" is news of its article's days and takes its article's year, so a 2018
     article's "on Monday" conflicts with a 2017 "in March 2017". A priori rule, not fitted:
     a different date or figure is evidence of a different event, so the pair keeps half its
     score (on the seeds P@1 41 of 63 with it, 40 without; on the invented articles 24 of 24
     with it, 22 without; see notebook 04).
   Equal weights: neither kind of evidence is trusted over the other (on the seeds weights 0.5
   to 0.8 give the same P@1). The threshold is the lowest at which every kept counterpart of the
   seeds agrees with the hand alignment and no sentence the hand alignment calls unmatched keeps
   one: set on the seeds (in sample); the invented articles (tests/data/counterparts_invented.csv)
   are the out-of-sample check.
6. For each sentence and each outlet (its own outlet: other articles only), the best-scoring
   candidate is its counterpart if the score is at least ``THRESHOLD``. A pair is mutual when each
   is the other's counterpart. Facts are the connected groups of mutual pairs (``fact_id``).
7. Wording (``wording.align``): difflib over the two sentences' words: words kept, swapped, added
   and dropped, and the contested terms on each side (once per distinct pair of texts).
Steps 4-6 run block by block in date order (``wording.candidates``): no list of all candidate
pairs and no embedding of every sentence at once is ever held, only the running best per
(sentence, outlet); the result does not depend on the block size.
Sentences only: paragraph-level counterparts are not built.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp
from joblib import Parallel, delayed
from scipy.sparse.csgraph import connected_components

from wording import align
from wording.anchors import anchor_matrix, conflicts, time_masks, words
from wording.candidates import (
    BLOCK,
    BestSoFar,
    Lexical,
    Neighbours,
    block_pairs,
    pair_scores,
    rarest,
)
from wording.embedding import PieceEmbedder, pieces
from wording.engine import cpus
from wording.reuse import ArticleSentences, sentences_of_paragraphs

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
    "swapped", "added", "dropped", "term_differs", "conflict",
]  # fmt: skip
# The columns that hold text (read back as "" when empty, never NaN); the rest are numbers and
# true/false flags.
TEXT_COLUMNS = [
    "fact_id", "file", "outlet", "text", "counterpart_file", "counterpart_outlet",
    "counterpart_text", "shared_words", "differing_words", "terms", "counterpart_terms",
    "swapped", "added", "dropped",
]  # fmt: skip


# --------------------------------------------------------------------------------------------
# Sentences and their anchors
# --------------------------------------------------------------------------------------------


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
# Candidates, scores, and the best counterpart per outlet (block by block: ``candidates``)
# --------------------------------------------------------------------------------------------


def best_counterparts(
    table: pd.DataFrame,
    threshold: float = THRESHOLD,
    emb: np.ndarray | None = None,
    block: int = BLOCK,
    threads: int | None = None,
) -> pd.DataFrame:
    """For each sentence (row of ``sentence_table``) and each outlet, its best-scoring candidate
    in that outlet (its own outlet: other articles) at or above ``threshold``: columns i, j (row
    numbers), semantic, lexical, score, conflict, mutual; by i, then outlet. Equal scores: a
    counterpart below the sentence (a higher row number) before one above it, then the lower
    row number. ``emb``: the sentences'
    embeddings if already made (else each block embeds what it needs); ``block``: sentences
    per block, ``threads`` blocks scored at once (default: the CPUs this process may use); the
    result depends on neither."""
    threads, block = threads or cpus(), max(1, block)
    cols = ["i", "j", "semantic", "lexical", "score", "conflict", "mutual"]
    if len(table) < 2:
        return pd.DataFrame(columns=cols)
    article = pd.factorize(table["file"])[0].astype(np.int64)
    order = pd.factorize(table["date"].astype(str) + "\x00" + table["file"], sort=True)[0]
    p = pieces(table["text"].tolist())
    postings, idf, _, w = anchor_matrix(table, words(p))
    year = pd.to_numeric(table["date"].astype(str).str[:4], errors="coerce").fillna(0)
    masks = time_masks(w, year.to_numpy(np.int64))
    del w  # every word occurrence: the largest thing here, not needed past this point
    nb = Neighbours.of(rarest(postings, article, SEEK), order.astype(np.int64))
    lexical = Lexical.of(postings, idf, LEX_WIDTH)
    del postings
    embed_rows = PieceEmbedder(p).rows if emb is None else emb.__getitem__
    del p
    best = BestSoFar(pd.factorize(table["outlet"])[0])

    def scored(lo: int) -> tuple[np.ndarray, ...]:
        """A block's pairs with semantic, lexical, score and conflict."""
        a, b = block_pairs(nb, article, lo, lo + block, WINDOW)
        semantic, lex = pair_scores(embed_rows, lexical, a, b)
        score = SEMANTIC_WEIGHT * semantic + (1 - SEMANTIC_WEIGHT) * lex
        clash = conflicts(masks, a, b)
        return a, b, semantic, lex, np.where(clash, CONFLICT_FACTOR * score, score), clash

    # Blocks are scored on threads (NumPy and scipy let go of the lock in the heavy steps) and
    # reduced here one by one; the reduction does not depend on the order of the blocks.
    starts = range(0, len(table), block)
    jobs = min(threads, len(starts))
    for part in Parallel(n_jobs=jobs, backend="threading", return_as="generator")(
        delayed(scored)(lo) for lo in starts
    ):
        best.offer(*part)
    out = pd.DataFrame(best.table(), columns=cols)
    return out[out["score"] >= threshold].reset_index(drop=True)


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
    return counterpart_rows(table, best_counterparts(table, threshold))


def counterpart_rows(table: pd.DataFrame, best: pd.DataFrame) -> pd.DataFrame:
    """``counterparts.csv`` from ``sentence_table`` and its ``best_counterparts``: facts, the
    word alignment and the terms of each pair (columns ``COLUMNS``), sorted by file,
    paragraph, sentence, counterpart file."""
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
            "conflict": best["conflict"].to_numpy(bool),
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
