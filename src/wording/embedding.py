"""Sentence embeddings from WordLlama's default model, computed once per distinct white-space
piece (see ``embed_pieces``). Nothing is downloaded: the weights and tokenizer ship in the wheel."""

from __future__ import annotations

import functools
import itertools
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

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


PIECE_CHUNK = 50_000  # sentences split at once: one string object per piece lives per chunk


def pieces(texts: Sequence[str]) -> Pieces:
    """``Pieces`` of ``texts``: per chunk of ``PIECE_CHUNK`` texts, one ``str.split`` of the
    chunk joined and one factorize; distinct pieces numbered in order of first appearance (as
    one factorize of all would), so the string of each piece exists once per chunk at most."""
    lens = np.fromiter((len(t.split()) for t in texts), np.int64, len(texts))
    number: dict[str, int] = {}
    codes = [np.zeros(0, np.int64)]
    for s in range(0, len(texts), PIECE_CHUNK):
        code, found = pd.factorize(
            pd.Series(" ".join(texts[s : s + PIECE_CHUNK]).split(), dtype=object)
        )
        known = np.fromiter((number.setdefault(x, len(number)) for x in found), np.int64)
        codes.append(known[code])
    sentence = np.repeat(np.arange(len(texts)), lens)
    distinct = np.empty(len(number), dtype=object)
    distinct[:] = list(number)
    return Pieces(len(texts), sentence, np.concatenate(codes), distinct)


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


class PieceEmbedder:
    """Sentence embeddings on demand (``rows``) from each sentence's piece counts and each
    distinct piece's vector: about 200 bytes a sentence and 1 KB a distinct piece, instead of
    1 KB a sentence for all embeddings at once."""

    def __init__(self, p: Pieces) -> None:
        self.vectors = _piece_vectors(p.distinct)[0] if p.n else np.zeros((0, 256), np.float32)
        self.counts = sp.csr_matrix(
            (np.ones(len(p.code), np.float32), (p.sentence, p.code)),
            shape=(p.n, len(p.distinct)),
        )

    def rows(self, rows: np.ndarray) -> np.ndarray:
        """Unit-length float32 embeddings of sentences ``rows`` (one row each, 256 columns):
        the sparse (sentence x piece counts) @ (piece vector sums), normalised. A sentence's
        numbers do not depend on which other rows are asked for with it."""
        out = np.asarray(self.counts[rows] @ self.vectors, dtype=np.float32)
        norm = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norm > 0, norm, 1.0)


def embed_pieces(p: Pieces) -> np.ndarray:
    """Unit-length float32 sentence embeddings (``p.n`` rows, 256 columns), WordLlama's own
    ``embed(norm=True)``: its tokenizer (Llama 2 BPE: a "\u2581" before each white-space
    piece, no pre-tokenizer, no merge across a "\u2581") tokenises each piece apart, so each
    distinct piece is tokenised once and a sentence is the sparse (sentence x piece counts) @
    (piece vector sums), normalised (mean pooling's division by the token count cancels)."""
    if p.n == 0:
        return np.zeros((0, 256), dtype=np.float32)
    return PieceEmbedder(p).rows(np.arange(p.n))


def embed(texts: Sequence[str]) -> np.ndarray:
    """Unit-length float32 embeddings (one row per text, 256 columns); see ``embed_pieces``."""
    return embed_pieces(pieces(list(texts)))


def model_load_seconds() -> float:
    """Seconds to load the model in this process (the first call; cached after)."""
    load_model.cache_clear()
    start = time.perf_counter()
    load_model()
    return time.perf_counter() - start
