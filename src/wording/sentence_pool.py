"""The body sentences of many articles as one set of columns (``SentencePool``): what a chunk of
pages hands back and what text reuse reads, concatenated arrays with offsets instead of one
object per article.

Article ``i`` owns sentences ``start[i]:start[i + 1]`` (``start`` is the cumulative sum of
``n_sentences``); sentence ``s`` owns shingle keys ``offset[s]:offset[s + 1]`` (the cumulative sum
of ``sizes``). Pools concatenate (``concat``), keep a subset of their articles (``select``), and
give back one ``reuse.ArticleSentences`` per article (``articles``) for the stages that take those.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from wording.reuse import ArticleSentences


@dataclass(frozen=True)
class SentencePool:
    """Sentences of articles, one after another (plain arrays: picklable, concatenable)."""

    files: np.ndarray  # object: each article's file name (a name may come twice)
    n_sentences: np.ndarray  # int64: sentences per article
    paragraph: np.ndarray  # int64, per sentence: its paragraph number
    sentence: np.ndarray  # int64: its number within the paragraph, from 1
    text: pd.api.extensions.ExtensionArray  # stored text (pandas "str"): as written, white
    # space runs as one space
    n_words: np.ndarray  # int64
    fingerprint: np.ndarray  # uint64: stable hash of the normalised words
    sizes: np.ndarray  # int64: distinct shingle keys per sentence
    shingles: np.ndarray  # uint64: sentence 0's sorted keys, then sentence 1's, ...

    @property
    def article(self) -> np.ndarray:
        """Each sentence's article (its row in ``files``), int64."""
        return np.repeat(np.arange(len(self.files), dtype=np.int64), self.n_sentences)

    @classmethod
    def empty(cls) -> SentencePool:
        """A pool of no article."""
        return cls.concat([])

    @classmethod
    def from_articles(cls, articles: Sequence[ArticleSentences]) -> SentencePool:
        """The pool of ``article_sentences`` results, in the order given."""

        def joined(name: str, dtype) -> np.ndarray:
            return np.concatenate([np.zeros(0, dtype)] + [getattr(a, name) for a in articles])

        text = pd.array([t for a in articles for t in a.text], dtype="str")
        return cls(
            files=_objects([a.file for a in articles]),
            n_sentences=np.array([len(a.n_words) for a in articles], dtype=np.int64),
            paragraph=joined("paragraph", np.int64),
            sentence=joined("sentence", np.int64),
            text=text,
            n_words=joined("n_words", np.int64),
            fingerprint=joined("fingerprint", np.uint64),
            sizes=np.concatenate(
                [np.zeros(0, np.int64)] + [np.diff(a.shingle_start) for a in articles]
            ),
            shingles=joined("shingles", np.uint64),
        )

    @classmethod
    def concat(cls, pools: Sequence[SentencePool]) -> SentencePool:
        """One pool: the articles of ``pools``, in order."""
        empty = {
            "files": object, "n_sentences": np.int64, "paragraph": np.int64,
            "sentence": np.int64, "n_words": np.int64,
            "fingerprint": np.uint64, "sizes": np.int64, "shingles": np.uint64,
        }  # fmt: skip
        columns = {
            name: np.concatenate([np.zeros(0, dtype)] + [getattr(p, name) for p in pools])
            for name, dtype in empty.items()
        }
        text = [pd.Series(p.text, dtype="str") for p in pools]
        columns["text"] = (
            pd.concat(text, ignore_index=True).array if text else pd.array([], dtype="str")
        )
        return cls(**columns)

    def select(self, keep: np.ndarray) -> SentencePool:
        """The pool of the articles ``keep`` (a boolean mask over articles, or their rows in
        the order wanted)."""
        if keep.dtype == bool and keep.all():
            return self
        rows = np.flatnonzero(keep) if keep.dtype == bool else np.asarray(keep, dtype=np.int64)
        start = np.r_[0, np.cumsum(self.n_sentences)]
        counts = self.n_sentences[rows]
        sentence_rows = _ranges(start[rows], counts)
        offset = np.r_[0, np.cumsum(self.sizes)]
        sizes = self.sizes[sentence_rows]
        key_rows = _ranges(offset[sentence_rows], sizes)
        return SentencePool(
            files=self.files[rows],
            n_sentences=counts,
            paragraph=self.paragraph[sentence_rows],
            sentence=self.sentence[sentence_rows],
            text=self.text[sentence_rows],
            n_words=self.n_words[sentence_rows],
            fingerprint=self.fingerprint[sentence_rows],
            sizes=sizes,
            shingles=self.shingles[key_rows],
        )

    def in_file_order(self) -> SentencePool:
        """The same pool with its articles sorted by file name (stable: equal names keep their
        order)."""
        order = np.argsort(self.files, kind="stable")
        if (order == np.arange(len(order))).all():
            return self
        return self.select(order)

    def articles(self) -> list[ArticleSentences]:
        """One ``ArticleSentences`` per article, in order (views of the pool's arrays)."""
        from wording.reuse import ArticleSentences

        start = np.r_[0, np.cumsum(self.n_sentences)].tolist()
        offset = np.r_[0, np.cumsum(self.sizes)]
        out = []
        for i, file in enumerate(self.files.tolist()):
            a, b = start[i], start[i + 1]
            out.append(
                ArticleSentences(
                    file=file,
                    paragraph=self.paragraph[a:b],
                    sentence=self.sentence[a:b],
                    text=self.text[a:b].tolist(),
                    n_words=self.n_words[a:b],
                    fingerprint=self.fingerprint[a:b],
                    shingle_start=offset[a : b + 1] - offset[a],
                    shingles=self.shingles[offset[a] : offset[b]],
                )
            )
        return out

    def nbytes(self) -> int:
        """Bytes held by the pool's arrays (``files``: its pointers only)."""
        return sum(getattr(self, f.name).nbytes for f in fields(self))


def _objects(values: list) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The indices ``starts[i]:starts[i] + counts[i]`` for every i, one after another."""
    counts = np.asarray(counts, dtype=np.int64)
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    ends = np.cumsum(counts)
    return np.arange(total, dtype=np.int64) + np.repeat(
        np.asarray(starts) - (ends - counts), counts
    )
