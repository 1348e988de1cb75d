"""One engine task's result as columns (``Chunk``), and the corpus's pieces from all chunks
(``take``).

An engine task reads a chunk of pages (``page.process_page`` on each) and hands back a ``Chunk``:
a few DataFrames and arrays for all its pages instead of one Python object per page, so that the
build process unpickles and keeps columns, and concatenates chunks' pieces (``take``) rather
than iterating over pages. Rows follow the pages' order; the per-article pieces (``articles``,
``keys``, ``minhashes``, the rows of ``counts``, the articles of ``sentences``) are aligned.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd
import scipy.sparse as sp

from wording import features, inputs, page
from wording.corpus import ARTICLE_COLUMNS, PARAGRAPH_COLUMNS, REMOVED_COLUMNS
from wording.duplicates import NUM_PERM
from wording.mentions import MENTION_COLUMNS
from wording.pages import WarningRow
from wording.sentence_pool import SentencePool

WARNING_COLUMNS = ["file", "line", "message"]
BLOCK = 16  # chunks merged into one as they arrive (``gather``)
REJECTED_COLUMNS = ["file", "reason"]


@dataclass
class Chunk:
    """The pages of one engine task (or of the whole corpus), as columns."""

    articles: pd.DataFrame  # ``ARTICLE_COLUMNS``: one row per page read as an article
    keys: np.ndarray  # uint64 per article: hash of its normalised text (exact copies)
    minhashes: np.ndarray  # uint32, articles x ``NUM_PERM``: MinHash signatures (near copies)
    paragraphs: pd.DataFrame  # ``PARAGRAPH_COLUMNS`` of every article
    removed_lines: pd.DataFrame  # ``REMOVED_COLUMNS`` of every article
    rejected: pd.DataFrame  # file, reason: pages that are not articles
    warnings: pd.DataFrame  # file, line (Int64), message
    mentions: pd.DataFrame  # ``MENTION_COLUMNS`` rows, articles in order
    counts: features.TermCounts  # articles x the chunk's own sorted vocabulary
    sentences: SentencePool  # body sentences, articles in order

    @classmethod
    def of_pages(cls, names: Sequence[str], results: Sequence[page.PageResult]) -> Chunk:
        """The chunk of the ``process_page`` results of the inputs ``names``, in order."""
        done = [r for r in results if r.read.article is not None]
        fingerprints = [r.read.fingerprint for r in done]
        minhashes = np.zeros((len(done), NUM_PERM), dtype=np.uint32)
        if done:
            minhashes[:] = np.stack([fp.minhash for fp in fingerprints])
        rejected = [
            (name, r.read.rejection)
            for name, r in zip(names, results, strict=True)
            if r.read.rejection is not None
        ]
        return cls(
            articles=pd.DataFrame([r.read.article for r in done], columns=ARTICLE_COLUMNS),
            keys=np.fromiter((fp.key for fp in fingerprints), np.uint64, len(done)),
            minhashes=minhashes,
            paragraphs=_paragraphs([row for r in done for row in r.read.paragraphs]),
            removed_lines=pd.DataFrame.from_records(
                [row for r in done for row in r.read.removed], columns=REMOVED_COLUMNS
            ),
            rejected=pd.DataFrame(rejected, columns=REJECTED_COLUMNS),
            warnings=warnings_table([w for r in results for w in r.read.warnings]),
            mentions=pd.DataFrame(
                [row for r in done for row in r.mentions], columns=MENTION_COLUMNS
            ),
            counts=_compact(features.count_matrix([r.counts for r in done])),
            sentences=SentencePool.from_articles([r.sentences for r in done]),
        )

    @classmethod
    def concat(cls, chunks: list[Chunk]) -> Chunk:
        """One chunk of all ``chunks``' pages, in order (``take`` of every piece, so ``chunks``
        are emptied), its counts kept as compact as a chunk's."""
        pieces = take(chunks, [f.name for f in fields(cls)])
        pieces["counts"] = _compact((pieces["counts"].matrix, pieces["counts"].terms))
        return cls(**pieces)


def gather(chunks: Iterable[Chunk], block: int = BLOCK) -> list[Chunk]:
    """``chunks`` as they arrive, merged ``block`` at a time (``Chunk.concat``): the memory of
    many small pieces is reused for the next chunks, and the corpus's data ends in a few large
    arrays, which go back to the system when the corpus tables take them."""
    blocks, pending = [], []
    for chunk in chunks:
        pending.append(chunk)
        if len(pending) == block:
            blocks.append(Chunk.concat(pending))
            pending = []
    if pending:
        blocks.append(Chunk.concat(pending))
    return blocks


PER_ARTICLE = ("keys", "minhashes", "counts", "sentences")  # one entry per row of ``articles``
REJECTED_AND_WARNINGS = ("rejected", "warnings")  # about inputs, whatever became of them


def take(chunks: Sequence[Chunk], names: Sequence[str], dropped: set[str] = frozenset()) -> dict:
    """The pieces ``names`` of all ``chunks``, each concatenated in order, without the rows of
    the articles ``dropped`` (file names; rejections and warnings are kept whole). The pieces
    are taken out of the chunks (None there afterwards): each chunk's piece is let go once it
    is filtered, so that the corpus's data is held about once, not twice. Which articles a
    chunk holds is read from its ``sentences``: take them last."""
    chunks = chunks or [Chunk.of_pages([], [])]
    keep = [~_dropped(c.sentences.files, dropped) for c in chunks] if dropped else None
    taken = {}
    for name in names:
        parts = []
        for i, chunk in enumerate(chunks):
            part = getattr(chunk, name)
            setattr(chunk, name, None)
            if keep is not None and name not in REJECTED_AND_WARNINGS:
                part = _without(name, part, keep[i], dropped)
            parts.append(part)
        taken[name] = _concat(name, parts)
        del parts
    return taken


def _dropped(files: np.ndarray, dropped: set[str]) -> np.ndarray:
    return pd.Series(files, dtype=object).isin(dropped).to_numpy()


def _without(name: str, part, keep: np.ndarray, dropped: set[str]):
    """A chunk's piece without the dropped articles (``keep``: a mask over its articles)."""
    if keep.all():
        return part
    if name == "sentences":
        return part.select(keep)
    if name == "counts":  # a term of dropped articles only: no column once stacked
        return features.TermCounts(part.matrix[keep], part.terms)
    if name in PER_ARTICLE:
        return part[keep]
    return part[~_dropped(part["file"].to_numpy(), dropped)]


def process_chunk(
    paths: list[str | inputs.Item],
    names: list[str],
    meta_rows: dict[str, dict],
    context: page.Context,
) -> Chunk:
    """One engine task: ``page.process_files`` of ``paths`` (the inputs ``names``), as a
    ``Chunk``."""
    return Chunk.of_pages(names, page.process_files(paths, meta_rows, context))


def warnings_table(rows: Sequence[WarningRow]) -> pd.DataFrame:
    """The warnings table of (file, line or None, message) rows, in order."""
    return pd.DataFrame(list(rows), columns=WARNING_COLUMNS).astype({"line": "Int64"})


def _compact(counts: tuple[sp.csr_matrix, np.ndarray]) -> features.TermCounts:
    """A chunk's counts as small as they pickle: int32 counts, the terms as stored text."""
    matrix, terms = counts
    return features.TermCounts(matrix.astype(np.int32), pd.array(np.asarray(terms), dtype="str"))


def _paragraphs(rows: list[tuple]) -> pd.DataFrame:
    table = pd.DataFrame.from_records(rows, columns=PARAGRAPH_COLUMNS)
    table[["start", "end"]] = table[["start", "end"]].astype("Int64")
    return table


def _concat(name: str, parts: list):
    if name == "counts":
        return features.stack_counts(parts)
    if name == "sentences":
        return SentencePool.concat(parts)
    if name == "keys":
        return np.concatenate([np.zeros(0, np.uint64)] + parts)
    if name == "minhashes":
        return np.concatenate([np.zeros((0, NUM_PERM), np.uint32)] + parts)
    return concat_frames(parts)


def concat_frames(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """``pd.concat`` of ``frames`` (same columns) with a fresh index; frames with no rows take
    no part in deciding the columns' types (all empty: the first one)."""
    rows = [f for f in frames if len(f)]
    if not rows:
        return frames[0].reset_index(drop=True)
    if len(rows) == 1:
        return rows[0].reset_index(drop=True)
    return pd.concat(rows, ignore_index=True)
