"""Recycled passages: sentences and paragraphs shared between articles, verbatim or edited.

Method (linear in the corpus; no comparison of all pairs of passages):
1. Body paragraphs are split into sentences (``SENTENCE_END_RE``) and normalised: lower case,
   curly quotes and apostrophes straight, punctuation dropped, words as ``WORD_RE`` reads them.
2. Verbatim reuse: sentences with the same normalised text are grouped by hash.
3. Edited reuse: each sentence becomes a set of word shingles (``SHINGLE`` consecutive words);
   candidate pairs are sentences sharing a shingle that occurs in at most ``max_df`` sentences
   (a rarer shingle is evidence of copying, a common one is a stock phrase); candidates are
   scored by the exact Jaccard similarity of their shingle sets and kept above a threshold.
4. Matched sentences of one paragraph pair are merged into one passage (text in reading order).
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

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


def split_sentences(paragraphs: pd.DataFrame) -> pd.DataFrame:
    """One row per sentence of the body paragraphs: file, paragraph, sentence, text, norm, n_words.

    ``paragraphs`` needs file, paragraph, kind, text; only ``kind == "body"`` rows are used
    (missing ``kind`` means body). ``norm`` is the normalised text the comparison uses.
    """
    body = paragraphs
    if "kind" in body.columns:
        body = body[body["kind"].fillna("body") == "body"]
    body = body[["file", "paragraph", "text"]].copy()
    body["text"] = body["text"].fillna("").astype(str).str.replace(r"\s+", " ", regex=True)
    marked = body["text"].str.replace(SENTENCE_END_RE, "\\1\\2" + _BREAK, regex=True)
    parts = body.assign(text=marked.str.split(_BREAK, regex=False)).explode("text")
    parts["text"] = parts["text"].fillna("").astype(str).str.strip()
    parts = parts[parts["text"] != ""].reset_index(drop=True)
    parts["sentence"] = parts.groupby(["file", "paragraph"]).cumcount() + 1
    parts["norm"] = normalise(parts["text"])
    parts["n_words"] = parts["norm"].str.count(" ").add(1).where(parts["norm"] != "", 0)
    return parts[["file", "paragraph", "sentence", "text", "norm", "n_words"]]


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
    with np.errstate(over="ignore"):
        for j in range(k):  # k is a small constant: one vectorised pass per word position
            key = key * np.uint64(1_000_003) + ids[j : j + span]
    valid = sentence[:span] == sentence[k - 1 :]
    rows, key = sentence[:span][valid], key[valid]
    cols, _ = pd.factorize(key)
    matrix = sp.csr_matrix(
        (np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(n, int(cols.max(initial=-1)) + 1)
    )
    matrix.data[:] = 1  # duplicates summed by the constructor: back to sets
    return Shingles(matrix, np.diff(matrix.indptr).astype(np.int64))


def _pairs_within_groups(group: np.ndarray, member: np.ndarray, max_size: int) -> np.ndarray:
    """All pairs of members sharing a group, for groups of 2..max_size members (sorted input).

    Loops over offsets inside a group (at most max_size - 1 passes), each vectorised over every
    group at once; never over groups or members.
    """
    pairs = []
    for d in range(1, max_size):
        if d >= len(group):
            break
        same = group[d:] == group[:-d]
        if not same.any():
            break
        pairs.append(np.stack([member[:-d][same], member[d:][same]], axis=1))
    return np.concatenate(pairs) if pairs else np.zeros((0, 2), dtype=np.int64)


def candidate_pairs(
    sentences: pd.DataFrame, shingles: Shingles, max_df: int = MAX_DF, max_group: int = MAX_GROUP
) -> pd.DataFrame:
    """Sentence pairs from different articles that may be reused: ``a``, ``b`` (row numbers).

    Verbatim groups (same normalised text) give all pairs up to ``max_group`` articles, and a
    star to the first copy beyond; shingles shared by 2..max_df sentences give the rest, between
    first copies only (an edited variant links to the first copy of a verbatim group).
    """
    eligible = (sentences["n_words"] >= MIN_WORDS).to_numpy()
    # Verbatim: identical normalised sentences.
    norm = sentences["norm"].where(eligible)
    code, _ = pd.factorize(norm)  # NaN (ineligible) -> -1
    rows = np.flatnonzero(code >= 0)
    order = rows[np.lexsort((rows, code[rows]))]
    grp = code[order]
    size = np.bincount(grp, minlength=grp.max(initial=-1) + 1)[grp] if len(grp) else grp
    small = size <= max_group
    verbatim = _pairs_within_groups(grp[small], order[small], max_group)
    first = np.full(grp.max(initial=-1) + 1, -1, dtype=np.int64)
    first[grp[::-1]] = order[::-1]  # lowest row number of each group
    big = ~small & (order != first[grp])
    star = np.stack([first[grp[big]], order[big]], axis=1)
    # Edited: shared shingles that are rare enough to be evidence. Only the first copy of a
    # verbatim group takes part, so a sentence copied m times adds one posting, not m.
    representative = eligible.copy()
    representative[rows] = first[code[rows]] == rows
    csc = shingles.matrix[np.flatnonzero(representative)].tocsc() if eligible.any() else None
    edited = np.zeros((0, 2), dtype=np.int64)
    if csc is not None and csc.nnz:
        df = np.diff(csc.indptr)
        col = np.repeat(np.arange(csc.shape[1]), df)
        member = np.flatnonzero(representative)[csc.indices]
        keep = (df[col] >= 2) & (df[col] <= max_df)
        edited = _pairs_within_groups(col[keep], member[keep], max_df)
    pairs = np.concatenate([verbatim, star, edited]).astype(np.int64)
    pairs = np.sort(pairs, axis=1)
    files = sentences["file"].to_numpy(dtype=object)
    pairs = pairs[files[pairs[:, 0]] != files[pairs[:, 1]]]
    pairs = np.unique(pairs, axis=0) if len(pairs) else pairs
    return pd.DataFrame({"a": pairs[:, 0], "b": pairs[:, 1]})


def jaccard(shingles: Shingles, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Exact Jaccard similarity of the shingle sets of sentence pairs, and the shared count."""
    if len(a) == 0:
        return np.zeros(0), np.zeros(0, dtype=np.int64)
    m = shingles.matrix
    shared = np.asarray(m[a].multiply(m[b]).sum(axis=1)).ravel().astype(np.int64)
    union = shingles.sizes[a] + shingles.sizes[b] - shared
    return np.divide(shared, union, out=np.zeros(len(a)), where=union > 0), shared


def shared_sentences(
    paragraphs: pd.DataFrame, threshold: float = THRESHOLD, k: int = SHINGLE
) -> pd.DataFrame:
    """Sentence pairs from different articles with Jaccard ≥ ``threshold`` (or identical).

    Returns file_a, paragraph_a, sentence_a, text_a, file_b, ..., similarity, shared_shingles,
    kind (verbatim | edited | related); file_a < file_b.
    """
    sentences = split_sentences(paragraphs)
    shingles = shingle_matrix(sentences["norm"], k)
    pairs = candidate_pairs(sentences, shingles)
    a, b = pairs["a"].to_numpy(), pairs["b"].to_numpy()
    sim, shared = jaccard(shingles, a, b)
    norm = sentences["norm"].to_numpy(dtype=object)
    verbatim = norm[a] == norm[b] if len(a) else np.zeros(0, dtype=bool)
    sim = np.where(verbatim, 1.0, sim)
    keep = verbatim | (sim >= threshold)
    a, b, sim, shared, verbatim = a[keep], b[keep], sim[keep], shared[keep], verbatim[keep]
    swap = sentences["file"].to_numpy(dtype=object)[a] > sentences["file"].to_numpy(dtype=object)[b]
    a, b = np.where(swap, b, a), np.where(swap, a, b)
    left = sentences.iloc[a].reset_index(drop=True).add_suffix("_a")
    right = sentences.iloc[b].reset_index(drop=True).add_suffix("_b")
    out = pd.concat([left, right], axis=1)
    out["similarity"] = sim
    out["shared_shingles"] = shared
    out["kind"] = np.where(verbatim, "verbatim", np.where(sim >= EDITED, "edited", "related"))
    return out.drop(columns=["norm_a", "norm_b"])


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
    pairs = shared_sentences(paragraphs, threshold, k)
    columns = [
        "file_a", "file_b", "text_a", "text_b", "similarity", "outlet_a", "outlet_b",
        "paragraph_a", "paragraph_b", "n_sentences", "shared_shingles", "kind", "diff_ratio",
    ]  # fmt: skip
    if pairs.empty:
        return pd.DataFrame({c: [] for c in columns})
    key = ["file_a", "paragraph_a", "file_b", "paragraph_b"]
    side_a = (
        pairs.drop_duplicates(key + ["sentence_a"])
        .sort_values(key + ["sentence_a"], kind="stable")
        .groupby(key, sort=True)
        .agg(text_a=("text_a", " ".join), n_sentences=("sentence_a", "size"))
    )
    side_b = (
        pairs.drop_duplicates(key + ["sentence_b"])
        .sort_values(key + ["sentence_b"], kind="stable")
        .groupby(key, sort=True)
        .agg(text_b=("text_b", " ".join))
    )
    merged = side_a.join(side_b).reset_index()
    # The passage's shingles are the union of its sentences' (as at sentence level: no shingle
    # spans a sentence boundary).
    sets = {}
    for side in ("a", "b"):
        sentence_sets = normalise(pairs[f"text_{side}"]).map(lambda s: _shingle_set(s, k))
        grouped = sentence_sets.groupby([pairs[c] for c in key] + [pairs[f"sentence_{side}"]])
        per_sentence = grouped.first().groupby(level=[0, 1, 2, 3]).agg(lambda x: set().union(*x))
        sets[side] = per_sentence.reindex(pd.MultiIndex.from_frame(merged[key])).to_numpy()
    shared = np.array([len(x & y) for x, y in zip(sets["a"], sets["b"], strict=True)], np.int64)
    union = np.array([len(x | y) for x, y in zip(sets["a"], sets["b"], strict=True)], np.int64)
    merged["shared_shingles"] = shared
    merged["similarity"] = np.divide(shared, union, out=np.zeros(len(union)), where=union > 0)
    same = normalise(merged["text_a"]) == normalise(merged["text_b"])
    merged.loc[same, "similarity"] = 1.0
    merged["kind"] = np.where(
        same, "verbatim", np.where(merged["similarity"] >= EDITED, "edited", "related")
    )
    merged["diff_ratio"] = [
        difflib.SequenceMatcher(None, x.split(), y.split(), autojunk=False).ratio()
        for x, y in zip(merged["text_a"], merged["text_b"], strict=True)
    ]
    if articles is not None and {"file", "outlet"} <= set(articles.columns):
        outlet = articles.drop_duplicates("file").set_index("file")["outlet"]
        merged["outlet_a"] = merged["file_a"].map(outlet)
        merged["outlet_b"] = merged["file_b"].map(outlet)
    else:
        merged["outlet_a"] = merged["outlet_b"] = ""
    merged["_s"] = -np.round(merged["similarity"], 12)
    merged = merged.sort_values(["_s"] + key, kind="stable").drop(columns="_s")
    return merged[columns].reset_index(drop=True)


def _shingle_set(norm: str, k: int) -> set[tuple[str, ...]]:
    words = norm.split()
    return {tuple(words[i : i + k]) for i in range(len(words) - k + 1)}


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
    sentences = split_sentences(paragraphs)
    shingles = shingle_matrix(sentences["norm"], k)
    pairs = candidate_pairs(sentences, shingles)
    a, b = pairs["a"].to_numpy(), pairs["b"].to_numpy()
    sim, shared = jaccard(shingles, a, b)
    files = sentences["file"].to_numpy(dtype=object)
    out = pd.DataFrame(
        {"file_a": files[a], "file_b": files[b], "similarity": sim, "shared_shingles": shared}
    )
    if articles is not None and {"file", "outlet"} <= set(articles.columns):
        outlet = articles.drop_duplicates("file").set_index("file")["outlet"]
        out["outlet_a"] = out["file_a"].map(outlet)
        out["outlet_b"] = out["file_b"].map(outlet)
    else:
        out["outlet_a"] = out["outlet_b"] = ""
    out["same_outlet"] = out["outlet_a"] == out["outlet_b"]
    return out.sort_values(["similarity", "file_a", "file_b"], ascending=[False, True, True])
