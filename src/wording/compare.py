"""How outlets word the story: TF-IDF, keyness (Fightin' Words) and article similarity.

Every function works on sparse matrices end to end: texts are tokenised once (one regex pass for
multi-word names per text, then numpy over the code points of many texts at once for the words),
in worker processes for large corpora; counts are aggregated by outlet with a sparse indicator
matrix; per-row top-k selections partition each row and sort only the few entries that can be
in the top k, never a loop over terms or rows.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

from wording.text import WORD_RE
from wording.workers import cpus, main_importable, worker_context

# scikit-learn (2-3 s to import) and matplotlib are imported only where needed: worker processes
# import this module, and the default build uses neither.

# Curly apostrophes become straight ones so "Russia’s" and "Russia's" are one token.
APOSTROPHE_RE = re.compile(r"[’‘`´]")
# A possessive ending ("Tokyo's", "Russia's") is dropped: the feature is the name, not its case.
# Must match the "'s" of "russia's"; must not touch "it's"-like inner apostrophes followed by more
# letters ("o'clock") or a bare "s" word. The literal "'s" comes first so the regex engine jumps
# from one "'s" to the next; the look-behind (the letter before) is checked only there.
POSSESSIVE_RE = re.compile(r"'s\b(?<=[^\W_]'s)")
# Curly and other apostrophes, unified by plain replacement (faster than a regex pass).
_APOSTROPHES = ("’", "‘", "`", "´")
# A feature made only of digits ("2016", "20") says when, not how: dropped from TF-IDF features.
NUMBER_FEATURE_RE = re.compile(r"^[\d ]+$")
# Placeholders for compounded phrases are upper-case: the text is lower-cased before they are
# inserted, so no word of the text can collide with one, and WORD_RE reads each as one token.
_PLACEHOLDER = "PHRASE{}X"
_PLACEHOLDER_RE = re.compile(r"PHRASE(\d+)X")
# Lexicon categories that are names (compounded into one feature); framing categories such as
# "1945 framing" or "naming formula" span clauses and stay words.
LEXICON_NAME_CATEGORIES = ("collective name", "island name")


# --------------------------------------------------------------------------------------------
# Phrases: multi-word names kept as single features (like quanteda's tokens_compound)
# --------------------------------------------------------------------------------------------


def phrase_pattern(phrase: str) -> str:
    """A regex matching ``phrase`` word by word, any white space between words, case ignored."""
    words = WORD_RE.findall(phrase)
    return r"\b" + r"\s+".join(re.escape(w) for w in words) + r"\b"


def load_phrases(path: str | Path) -> pd.DataFrame:
    """Read a curated phrase list (columns ``phrase``, optional ``feature``, ``note``).

    Returns ``pattern``, ``feature``, ``source``: each phrase becomes one feature, named by its
    ``feature`` cell (to merge variants such as two transliterations) or else the phrase in
    lower case.
    """
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    table = table[table["phrase"].str.strip() != ""]
    feature = table["phrase"].str.strip().str.lower()
    if "feature" in table.columns:
        given = table["feature"].str.strip().str.lower()
        feature = given.where(given != "", feature)
    return pd.DataFrame(
        {
            "pattern": [phrase_pattern(p) for p in table["phrase"]],
            "feature": feature.to_numpy(),
            "source": "phrases",
        }
    )


def phrases_csv() -> Path:
    """The curated phrase list shipped with the study: ``data/phrases.csv``."""
    from wording import paths

    return paths.project_root() / "data" / "phrases.csv"


def default_matcher(
    lexicon_path: str | Path | None = None, phrases_path: str | Path | None = None
) -> PhraseMatcher:
    """The study's phrase matcher: the lexicon's patterns (if the file and loader exist) first,
    then the curated phrase list. Missing files are skipped, never guessed."""
    lexicon = None
    if lexicon_path is not None and Path(lexicon_path).is_file():
        try:
            from wording.lexicon import load_lexicon
        except ImportError:  # the lexicon stage is optional for this one
            load_lexicon = None
        if load_lexicon is not None:
            lexicon = load_lexicon(lexicon_path)
    phrases_path = phrases_csv() if phrases_path is None else Path(phrases_path)
    phrases = load_phrases(phrases_path) if phrases_path.is_file() else None
    return phrase_matcher(lexicon, phrases)


def lexicon_phrases(
    lexicon: pd.DataFrame, categories: Iterable[str] | None = LEXICON_NAME_CATEGORIES
) -> pd.DataFrame:
    """Lexicon name rows as phrase patterns: ``pattern`` (the lexicon's regex) and ``feature``.

    The feature is the lexicon's ``term_id`` as written ("southern_kurils"): the underscore tells
    a reader that the feature counts every variant the lexicon matches. Only ``categories`` are
    used (names; all rows if None or if the lexicon has no ``category`` column).
    """
    if categories is not None and "category" in lexicon.columns:
        lexicon = lexicon[lexicon["category"].isin(list(categories))]
    return pd.DataFrame(
        {
            "pattern": lexicon["pattern"].astype(str).to_numpy(),
            "feature": lexicon["term_id"].astype(str).str.strip().to_numpy(),
            "source": "lexicon",
        }
    )


def _plain_pattern(pattern: str) -> str:
    """A pattern safe inside one big alternation: named groups unnamed, leading flags dropped."""
    pattern = re.sub(r"^\(\?[aiLmsux]+\)", "", pattern)
    return re.sub(r"\(\?P<[^>]+>", "(?:", pattern)


def _lowercase_regex(pattern: str) -> re.Pattern | None:
    """``pattern`` compiled case-sensitively for lower-cased text, matching what it matches there
    with ``re.IGNORECASE``; None if the pattern uses a construct this rewrite does not cover.

    Case-insensitive matching makes Python's regex engine compare every character through a case
    table and skip its fast paths (about three times slower here). On lower-cased text the same
    matches come from lower-casing the pattern's letters, plus the few characters that Python
    also equates with them ("s" and the long s "ſ", "i" and the dotless "ı"), taken from the
    engine's own table. Works on the parsed pattern, so escapes such as ``\\S`` and ``\\B``
    are never touched.
    """
    try:
        import _sre
        from re import _casefix, _compiler, _parser
        from re import _constants as c
    except ImportError:  # another Python: keep the case-insensitive regex
        return None
    fixes = _casefix._EXTRA_CASES
    lower, cased = _sre.unicode_tolower, _sre.unicode_iscased

    def chars(code: int) -> list[tuple]:
        low = lower(code)
        return [(c.LITERAL, x) for x in (low, *fixes.get(low, ()))]

    def charset(items: list) -> list | None:
        out = []
        for op, av in items:
            if op is c.LITERAL:
                out += chars(av) if cased(av) else [(op, av)]
            elif op is c.RANGE:
                span = range(av[0], av[1] + 1)
                if not any(map(cased, span)):
                    out.append((op, av))
                elif len(span) <= 1024:
                    out += [item for code in span for item in chars(code)]
                else:
                    return None
            elif op in (c.NEGATE, c.CATEGORY):
                out.append((op, av))
            else:
                return None
        return out

    def rewrite(sub) -> bool:
        data = []
        for op, av in sub.data:
            if op in (c.LITERAL, c.NOT_LITERAL) and cased(av):
                items = charset([(c.LITERAL, av)])
                if op is c.NOT_LITERAL:
                    items = [(c.NEGATE, None)] + items
                data.append((c.IN, items) if len(items) > 1 else (op, items[0][1]))
            elif op is c.IN:
                items = charset(av)
                if items is None:
                    return False
                data.append((op, items))
            elif op in (c.LITERAL, c.NOT_LITERAL, c.AT, c.ANY):
                data.append((op, av))
            elif op is c.SUBPATTERN:
                group, add, remove, inner = av
                if remove & c.SRE_FLAG_IGNORECASE or not rewrite(inner):
                    return False
                data.append((op, (group, add & ~c.SRE_FLAG_IGNORECASE, remove, inner)))
            elif op is c.BRANCH:
                if not all(rewrite(alt) for alt in av[1]):
                    return False
                data.append((op, av))
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
                if not rewrite(av[2]):
                    return False
                data.append((op, av))
            elif op in (c.ASSERT, c.ASSERT_NOT):
                if not rewrite(av[1]):
                    return False
                data.append((op, av))
            elif op is c.ATOMIC_GROUP:
                if not rewrite(av):
                    return False
                data.append((op, av))
            else:  # back-references, conditionals: leave to the engine
                return False
        sub.data[:] = data
        sub.width = None
        return True

    def first_chars(items) -> tuple[set | None, bool]:
        """Characters a match of ``items`` can start with (None: any), and whether it can be
        empty."""
        found: set = set()
        for op, av in items:
            if op is c.LITERAL:
                return found | {av}, False
            if op is c.IN:
                if any(o not in (c.LITERAL, c.RANGE) for o, _ in av):
                    return None, False
                for o, a in av:
                    found |= {a} if o is c.LITERAL else set(range(a[0], a[1] + 1))
                return found, False
            if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
                continue
            if op is c.SUBPATTERN or op is c.ATOMIC_GROUP:
                chars, empty = first_chars(av[-1] if op is c.SUBPATTERN else av)
            elif op is c.BRANCH:
                parts = [first_chars(alt) for alt in av[1]]
                if any(p is None for p, _ in parts):
                    return None, False
                chars, empty = set().union(*(p for p, _ in parts)), any(e for _, e in parts)
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
                chars, empty = first_chars(av[2])
                empty = empty or av[0] == 0
            else:
                return None, False
            if chars is None:
                return None, False
            found |= chars
            if not empty:
                return found, False
        return found, True

    def without_boundary(items) -> list | None:
        """``items`` without the word boundary every alternative starts with (None if one
        does not)."""
        if items and items[0] == (c.AT, c.AT_BOUNDARY):
            return list(items[1:])
        if len(items) == 1 and items[0][0] is c.BRANCH:
            alts = [without_boundary(alt) for alt in items[0][1][1]]
            if all(a is not None for a in alts):
                return [(c.BRANCH, (None, [_parser.SubPattern(tree.state, a) for a in alts]))]
        return None

    try:
        tree = _parser.parse(pattern, 0)
        if tree.state.flags & ~c.SRE_FLAG_UNICODE or not rewrite(tree):
            return None
        # Every name starts at a word boundary with one of a few letters: test the boundary and
        # then the letter before trying each alternative (about three times faster again).
        rest = without_boundary(tree.data)
        chars, empty = first_chars(rest if rest is not None else tree.data)
        if chars and not empty and len(chars) <= 1024:
            guard = (
                c.ASSERT,
                (
                    1,
                    _parser.SubPattern(
                        tree.state, [(c.IN, [(c.LITERAL, x) for x in sorted(chars)])]
                    ),
                ),
            )
            head = [(c.AT, c.AT_BOUNDARY), guard] if rest is not None else [guard]
            tree.data[:] = head + (rest if rest is not None else list(tree.data))
            tree.width = None
        return _compiler.compile(tree, 0)
    except Exception:  # any surprise in the engine's internals: keep the plain regex
        return None


class PhraseMatcher:
    """Replaces every multi-word name in a lower-cased text by one placeholder token.

    One alternation without capturing groups scans the text (groups would switch off the regex
    engine's fast scanning, several times slower); which pattern a match belongs to is looked up
    once per distinct matched string and cached. The alternation runs case-sensitively on the
    lower-cased text (``_lowercase_regex``), with the same matches as ignoring case.
    """

    def __init__(self, patterns: list[str], features: list[str]):
        self._args = (list(patterns), list(features))
        self.features = tuple(dict.fromkeys(features))
        index = {f: i for i, f in enumerate(self.features)}
        self._patterns = [re.compile(p, re.IGNORECASE) for p in patterns]
        self._feature_of = [index[f] for f in features]
        combined = "|".join(f"(?:{p})" for p in patterns)
        self.regex = re.compile(combined, re.IGNORECASE) if patterns else None
        self._scan = (_lowercase_regex(combined) or self.regex) if patterns else None
        self._cache: dict[str, str] = {}

    def __reduce__(self):
        # compiled parse trees do not pickle: worker processes rebuild the matcher
        return (type(self), self._args)

    @classmethod
    def from_table(cls, table: pd.DataFrame | None) -> PhraseMatcher:
        """Compile a table with ``pattern`` and ``feature`` columns (and optional ``source``).

        Lexicon patterns come before curated phrases, and within each longer patterns first, so
        that at one position the lexicon's and then the longest name wins ("South Kuril Islands"
        before "Kuril Islands"); case is ignored.
        """
        if table is None or len(table) == 0:
            return cls([], [])
        table = table.drop_duplicates(["pattern", "feature"]).copy()
        table["length"] = table["pattern"].str.len()
        table["rank"] = (table["source"] != "lexicon") if "source" in table else False
        table = table.sort_values(
            ["rank", "length", "pattern"], ascending=[True, False, True], kind="stable"
        )
        patterns = [_plain_pattern(p) for p in table["pattern"]]
        return cls(patterns, list(table["feature"]))

    def _replace(self, match: re.Match) -> str:
        found = match.group(0)
        token = self._cache.get(found)
        if token is None:
            hits = [i for i, p in enumerate(self._patterns) if p.fullmatch(found)]
            which = (
                hits[0]
                if hits
                else next(i for i, p in enumerate(self._patterns) if p.search(found))
            )
            token = " " + _PLACEHOLDER.format(self._feature_of[which]) + " "
            self._cache[found] = token
        return token

    def __call__(self, text: str) -> str:
        """Lower-case ``text``, unify apostrophes, drop possessive 's, compound the phrases."""
        text = text.lower()
        for apostrophe in _APOSTROPHES:  # APOSTROPHE_RE, by plain replacement
            if apostrophe in text:
                text = text.replace(apostrophe, "'")
        if "'s" in text:
            text = POSSESSIVE_RE.sub("", text)
        if self._scan is None:
            return text
        return self._scan.sub(self._replace, text)

    def label(self, features: Iterable[str]) -> np.ndarray:
        """Feature names with placeholders replaced by the phrases they stand for."""
        names = pd.Series(list(features), dtype=object)
        has = names.str.contains("PHRASE", regex=False)
        if has.any():
            names[has] = names[has].str.replace(
                _PLACEHOLDER_RE, lambda m: self.features[int(m.group(1))], regex=True
            )
        return names.to_numpy(dtype=object)


def phrase_matcher(
    lexicon: pd.DataFrame | None = None, phrases: pd.DataFrame | None = None
) -> PhraseMatcher:
    """One matcher from the lexicon's patterns and the curated phrase list (either may be None)."""
    tables = []
    if lexicon is not None and len(lexicon):
        tables.append(lexicon_phrases(lexicon))
    if phrases is not None and len(phrases):
        tables.append(phrases)
    return PhraseMatcher.from_table(pd.concat(tables, ignore_index=True) if tables else None)


# --------------------------------------------------------------------------------------------
# Counting
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TermCounts:
    """A sparse document-by-term count matrix with its term labels (alphabetical columns)."""

    matrix: sp.csr_matrix
    terms: np.ndarray


# Texts per batch inside a worker: bounds the Python token lists held at once (memory).
_BATCH = 500
# Below this many texts one process does the work: starting workers would cost more than it saves.
PARALLEL_MIN_TEXTS = 4000


def n_workers() -> int:
    """Worker processes for the CPU-bound stages: the cores this process may use, at most 4."""
    return max(1, min(4, cpus()))


def map_chunks(func, chunks: list, *args, workers: int | None = None) -> list:
    """``[func(chunk, *args) for chunk in chunks]``, in order (see ``iter_chunks``)."""
    return list(iter_chunks(func, chunks, *args, workers=workers))


def iter_chunks(func, chunks: list, *args, workers: int | None = None):
    """``func(chunk, *args)`` for each chunk, yielded in order as they are done, over worker
    processes when there is more than one chunk and more than one core.

    Workers start from a fork server that has imported the package once: they share none of
    this process's memory (so the memory a tool measures is what is really used), and get only
    the chunks. As always with multiprocessing, a calling script needs
    ``if __name__ == "__main__":``; if workers cannot start, the chunks run here. The results do
    not depend on the number of workers.
    """
    workers = min(n_workers() if workers is None else workers, len(chunks))
    done = 0
    if workers > 1 and main_importable():
        try:
            with ProcessPoolExecutor(workers, mp_context=worker_context()) as pool:
                for result in pool.map(func, chunks, *[itertools.repeat(a) for a in args]):
                    done += 1
                    yield result
            return
        except BrokenProcessPool:  # e.g. a script without ``if __name__ == "__main__":``
            pass
    for chunk in chunks[done:]:
        yield func(chunk, *args)


def release_memory() -> None:
    """Hand freed memory back to the operating system (glibc's ``malloc_trim``; nothing
    elsewhere). Many mid-sized arrays freed in a row leave holes that the allocator otherwise
    keeps: hundreds of MB at 100,000 articles."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def split_chunks(n: int, min_size: int, workers: int | None = None) -> list[slice]:
    """Slices cutting ``n`` items into a few chunks per worker (one chunk if ``n < min_size``)."""
    workers = n_workers() if workers is None else workers
    if n < min_size or workers <= 1:
        return [slice(0, n)]
    pieces = 8 * workers  # several per worker: smaller pieces in memory at once, results overlap
    bounds = np.linspace(0, n, pieces + 1).round().astype(int)
    return [slice(a, b) for a, b in zip(bounds[:-1], bounds[1:], strict=True) if b > a]


def stack_rows(blocks: list[sp.csr_matrix], n_columns: int) -> sp.csr_matrix:
    """CSR blocks stacked vertically by their arrays (no format checks, int32 indices)."""
    if not blocks:
        return sp.csr_matrix((0, n_columns), dtype=np.int64)
    ends = np.cumsum([b.nnz for b in blocks], dtype=np.int64)
    starts = ends - [b.nnz for b in blocks]
    indptr = np.concatenate(
        [np.zeros(1, np.int64)]
        + [b.indptr[1:].astype(np.int64) + start for b, start in zip(blocks, starts, strict=True)]
    )
    return sp.csr_matrix(
        (
            np.concatenate([b.data for b in blocks]),
            np.concatenate([b.indices for b in blocks]).astype(np.int32, copy=False),
            indptr.astype(np.int64 if ends[-1] >= 2**31 else np.int32),
        ),
        shape=(sum(b.shape[0] for b in blocks), n_columns),
    )


def merge_vocabularies(parts: list[tuple[sp.csr_matrix, np.ndarray]]) -> tuple:
    """Count blocks, each with its own vocabulary (column labels), as one matrix over the union of
    the vocabularies (columns in first-seen order) and that vocabulary."""
    if not parts:
        return sp.csr_matrix((0, 0), dtype=np.int64), np.array([], dtype=object)
    ids, vocabulary = pd.factorize(np.concatenate([v for _, v in parts]))
    blocks, offset = [], 0
    for matrix, vocab in parts:
        remap = ids[offset : offset + len(vocab)].astype(np.int32)
        offset += len(vocab)
        blocks.append(
            sp.csr_matrix(
                (matrix.data, remap[matrix.indices], matrix.indptr), shape=matrix.shape, copy=False
            )
        )
    return stack_rows(blocks, len(vocabulary)), np.asarray(vocabulary, dtype=object)


# --------------------------------------------------------------------------------------------
# Word tokens without a regex: numpy over the text's code points
# --------------------------------------------------------------------------------------------

_HASH_BASES = (np.uint64(0x100000001B3), np.uint64(0x9E3779B97F4A7C15))  # odd: invertible
_SEPARATORS = ("'", "’", "-")  # WORD_RE's inner characters: "Russia's", "two-plus-two"


@functools.cache
def _word_char_table() -> np.ndarray:
    """For every code point below 65536: 1 if it is ``[^\\W_]`` (Python's ``str.isalnum``), 2 if
    it is one of WORD_RE's inner characters (apostrophes, hyphen), else 0."""
    table = np.array([chr(c).isalnum() for c in range(65536)], dtype=np.uint8)
    table[[ord(c) for c in _SEPARATORS]] = 2
    return table


@functools.lru_cache(maxsize=4)
def _powers(size: int, base: np.uint64) -> tuple[np.ndarray, np.ndarray]:
    """base**i and base**-i modulo 2**64 for i < size."""
    out = []
    for factor in (base, np.uint64(pow(int(base), -1, 2**64))):
        power = np.full(size, factor, dtype=np.uint64)
        power[0] = 1
        out.append(np.cumprod(power, out=power))
    return out[0], out[1]


def word_tokens(text: str, hashes: int = 1) -> tuple[np.ndarray, ...]:
    """Start and end offsets of ``WORD_RE``'s tokens in ``text``, and a 64-bit hash of each.

    Same tokens as ``WORD_RE.findall``, found with numpy: a character is in a word if it is a
    letter or digit, or an apostrophe or hyphen between two of them; a word is a maximal run of
    such characters. The hash is a polynomial of the code points modulo 2**64 (from prefix sums,
    no loop over tokens); ``hashes=2`` adds a second, independent one (to detect collisions).
    Returns (start, end, hash[, hash2]).
    """
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    n = len(codes)
    if n and codes.max() > 0xFFFF:  # characters beyond the table: asked one by one
        kind = _word_char_table()[np.minimum(codes, 0xFFFF)]
        wide = np.flatnonzero(codes > 0xFFFF)
        kind[wide] = [chr(c).isalnum() for c in codes[wide].tolist()]
    else:
        kind = _word_char_table()[codes]
    inside = kind == 1
    joiner = np.flatnonzero(kind == 2)  # few: checked one by one, vectorised
    joiner = joiner[(joiner > 0) & (joiner < n - 1)]
    inside[joiner] = inside[joiner - 1] & inside[joiner + 1]
    edge = np.diff(inside.view(np.int8), prepend=np.int8(0), append=np.int8(0))
    start, end = np.flatnonzero(edge == 1), np.flatnonzero(edge == -1)
    out = [start, end]
    size = 1 << max(20, int(n).bit_length())
    wide_codes = codes.astype(np.uint64)
    for base in _HASH_BASES[:hashes]:
        power, inverse = _powers(size, base)
        prefix = np.zeros(n + 1, dtype=np.uint64)
        np.cumsum(wide_codes * inverse[:n], out=prefix[1:])
        out.append((prefix[end] - prefix[start]) * power[end - 1])
    return tuple(out)


def _count_chunk(texts: list[str], matcher: PhraseMatcher, stop_words: frozenset | None):
    """Token counts of some texts over their own vocabulary (see ``count_terms``).

    Each batch of texts is tokenised as one string (``word_tokens``); words are grouped by hash,
    checked by a second hash; if two words ever share a hash, the batch is counted again with
    ``WORD_RE.findall`` (exact either way).
    """
    parts = []
    for start in range(0, len(texts), _BATCH):
        batch = [matcher(t) for t in texts[start : start + _BATCH]]
        part = _count_batch(batch, stop_words)
        parts.append(part if part is not None else _count_batch_regex(batch, stop_words))
    return merge_vocabularies(parts)


def _count_batch(batch: list[str], stop_words: frozenset | None):
    joined = "\n".join(batch)  # a line break is never part of a word
    begin, end, first_hash, second_hash = word_tokens(joined, hashes=2)
    doc_start = np.cumsum([0] + [len(t) + 1 for t in batch[:-1]])
    doc = np.searchsorted(doc_start, begin, side="right") - 1
    codes = pd.factorize(first_hash)[0]
    # factorize numbers hashes by first appearance: a word's first token is where codes peak
    peak = np.maximum.accumulate(codes) if len(codes) else codes
    first = np.flatnonzero(np.r_[True, peak[1:] != peak[:-1]]) if len(codes) else codes
    if (second_hash != second_hash[first][codes]).any():
        return None  # two different words with one hash: count this batch by regex
    vocab = np.array(
        [joined[a:b] for a, b in zip(begin[first].tolist(), end[first].tolist(), strict=True)],
        dtype=object,
    )
    if stop_words:
        use = ~pd.Index(vocab).isin(stop_words)[codes]
        doc, codes = doc[use], codes[use]
    block = sp.csr_matrix(
        (np.ones(len(codes), np.int32), (doc.astype(np.int32), codes.astype(np.int32))),
        shape=(len(batch), len(vocab)),
    )
    block.sum_duplicates()
    return block, vocab


def _count_batch_regex(batch: list[str], stop_words: frozenset | None):
    tokens = [WORD_RE.findall(t) for t in batch]
    if stop_words:
        tokens = [[w for w in doc if w not in stop_words] for doc in tokens]
    lengths = np.fromiter(map(len, tokens), np.int64, len(tokens))
    flat = np.fromiter(itertools.chain.from_iterable(tokens), object, int(lengths.sum()))
    codes, vocab = pd.factorize(flat)
    rows = np.repeat(np.arange(len(tokens), dtype=np.int32), lengths)
    block = sp.csr_matrix(
        (np.ones(len(codes), np.int32), (rows, codes.astype(np.int32))),
        shape=(len(tokens), len(vocab)),
    )
    block.sum_duplicates()
    return block, np.asarray(vocab, dtype=object)


def _clean_texts(texts: Iterable) -> list[str]:
    return ["" if t is None or (isinstance(t, float) and np.isnan(t)) else t for t in texts]


def count_terms(
    texts: Iterable[str],
    matcher: PhraseMatcher | None = None,
    ngram_range: tuple[int, int] = (1, 1),
    stop_words: Iterable[str] | None = None,
    min_df: int = 1,
) -> TermCounts:
    """Count word tokens (``WORD_RE``, lower-cased, phrases compounded) per text, sparse.

    Stop words are removed before n-grams are formed (scikit-learn's behaviour); columns are
    sorted by term label so that ties in later rankings break alphabetically. Single words are
    counted in worker processes for large inputs (chunks of texts, vocabularies merged after:
    the result does not depend on the chunking); n-grams use scikit-learn's CountVectorizer.
    """
    matcher = matcher or PhraseMatcher([], [])
    texts = _clean_texts(texts)
    if tuple(ngram_range) != (1, 1):
        return _count_ngrams(texts, matcher, ngram_range, stop_words, min_df)
    stop = frozenset(stop_words) if stop_words is not None else None
    chunks = [texts[sl] for sl in split_chunks(len(texts), PARALLEL_MIN_TEXTS)]
    parts = list(iter_chunks(_count_chunk, chunks, matcher, stop))
    ids, vocab = pd.factorize(np.concatenate([np.array([], object)] + [v for _, v in parts]))
    starts = np.cumsum([0] + [len(v) for _, v in parts])
    remaps = [ids[a:b].astype(np.int32) for a, b in zip(starts[:-1], starts[1:], strict=True)]
    # Words that occur (stop words were dropped from the counts, not from the vocabularies) in
    # at least min_df texts.
    df = sum(
        np.bincount(r[m.indices], minlength=len(vocab))
        for (m, _), r in zip(parts, remaps, strict=True)
    )
    threshold = min_df if isinstance(min_df, int | np.integer) else min_df * len(texts)
    keep = (df > 0) & (df >= threshold)
    if not keep.any():  # no text has a word
        return TermCounts(sp.csr_matrix((len(texts), 0), dtype=np.int64), np.array([], object))
    # Columns in label order; a placeholder and a word (or two placeholders) with one label
    # become one column, their counts summed. Each chunk's block is written straight into the
    # final arrays and released (memory).
    code = np.full(len(vocab), -1, dtype=np.int32)
    code[keep], terms = pd.factorize(
        matcher.label(np.asarray(vocab, dtype=object)[keep]), sort=True
    )
    total = sum(
        int(np.count_nonzero(code[r][m.indices] >= 0))
        for (m, _), r in zip(parts, remaps, strict=True)
    )
    data = np.empty(total, dtype=np.int64)
    indices = np.empty(total, dtype=np.int32)
    indptr = [np.zeros(1, dtype=np.int64)]
    at = 0
    for i, remap in enumerate(remaps):
        matrix, _ = parts[i]
        parts[i] = None
        column = code[remap][matrix.indices]
        used = column >= 0
        n_used = int(used.sum())
        data[at : at + n_used] = matrix.data[used]
        indices[at : at + n_used] = column[used]
        row_used = np.r_[0, np.cumsum(used)][matrix.indptr[1:]]
        indptr.append(row_used + at)
        at += n_used
    release_memory()
    matrix = sp.csr_matrix(
        (data, indices, np.concatenate(indptr)), shape=(len(texts), len(terms)), copy=False
    )
    matrix.sum_duplicates()  # also sorts the indices of every row
    return TermCounts(matrix, np.asarray(terms, dtype=object))


def _count_ngrams(texts, matcher, ngram_range, stop_words, min_df) -> TermCounts:
    """``count_terms`` for n-grams, with scikit-learn's CountVectorizer (small corpora)."""
    from sklearn.feature_extraction.text import CountVectorizer

    vectorizer = CountVectorizer(
        preprocessor=matcher,
        tokenizer=WORD_RE.findall,
        token_pattern=None,
        lowercase=False,
        ngram_range=ngram_range,
        stop_words=sorted(stop_words) if stop_words is not None else None,
        min_df=min_df,
        dtype=np.int64,
    )
    try:
        matrix = vectorizer.fit_transform(texts).tocsr()
        terms = matcher.label(vectorizer.get_feature_names_out())
    except ValueError:  # empty vocabulary: no text has a word
        return TermCounts(sp.csr_matrix((len(texts), 0), dtype=np.int64), np.array([], object))
    order = np.argsort(terms.astype(str), kind="stable")
    matrix, terms = matrix[:, order], terms[order]
    if len(terms) > 1 and (terms[1:] == terms[:-1]).any():
        # Two placeholders or a placeholder and a word may carry the same label: merge columns.
        codes, uniq = pd.factorize(terms, sort=True)
        merge = sp.csr_matrix(
            (np.ones(len(codes), np.int64), (np.arange(len(codes)), codes)),
            shape=(len(codes), len(uniq)),
        )
        matrix, terms = (matrix @ merge).tocsr(), np.asarray(uniq, dtype=object)
    matrix.sort_indices()
    return TermCounts(matrix, terms)


@functools.cache
def english_stop_words() -> frozenset[str]:
    """scikit-learn's English stop-word list (``ENGLISH_STOP_WORDS``), imported on first use."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return ENGLISH_STOP_WORDS


def __getattr__(name: str):
    if name == "ENGLISH_STOP_WORDS":  # the list, loaded on first use
        return english_stop_words()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def feature_mask(
    terms: np.ndarray, stop_words: Iterable[str] | str | None = "english", numbers: bool = False
) -> np.ndarray:
    """Boolean mask of terms kept as TF-IDF features: not a stop word ("english": scikit-learn's
    list), not only digits."""
    if isinstance(stop_words, str) and stop_words == "english":
        stop_words = english_stop_words()
    terms = pd.Series(terms, dtype=object).astype(str)
    keep = np.ones(len(terms), dtype=bool)
    if stop_words is not None:
        keep &= ~terms.isin(set(stop_words)).to_numpy()
    if not numbers:
        keep &= ~terms.str.fullmatch(NUMBER_FEATURE_RE.pattern).to_numpy(dtype=bool)
    return keep


# --------------------------------------------------------------------------------------------
# TF-IDF
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TfidfSettings:
    """The study's TF-IDF choices (justified in notebooks/02_wording.ipynb)."""

    ngram_range: tuple[int, int] = (1, 1)
    stop_words: bool = True  # scikit-learn's English list
    sublinear_tf: bool = True  # 1 + ln(tf)
    norm: str | None = "l2"
    smooth_idf: bool = True
    phrases: bool = True
    numbers: bool = False
    min_df: int = 1


def tfidf_matrix(
    texts: Iterable[str], settings: TfidfSettings = TfidfSettings(), matcher=None
) -> TermCounts:
    """Article-by-term TF-IDF weights (sparse, rows L2-normalised by default) and term labels."""
    matcher = matcher if settings.phrases else None
    stop = english_stop_words() if settings.stop_words else None
    counts = count_terms(texts, matcher, settings.ngram_range, stop, settings.min_df)
    return tfidf_from_counts(counts, settings)


def tfidf_from_counts(counts: TermCounts, settings: TfidfSettings = TfidfSettings()) -> TermCounts:
    """TF-IDF from an existing count matrix (reuses one tokenisation for keyness and TF-IDF).

    scikit-learn's TfidfTransformer on one float copy of the kept counts: tf = 1 + ln(count) if
    sublinear; idf = ln((1 + n) / (1 + df)) + 1 if smooth, else ln(n / df) + 1; rows scaled to
    unit L2 (or L1) norm.
    """
    if settings.norm not in ("l1", "l2", None):
        raise ValueError(f"norm must be 'l1', 'l2' or None, not {settings.norm!r}")
    keep = feature_mask(
        counts.terms, english_stop_words() if settings.stop_words else None, settings.numbers
    )
    x = sp.csr_matrix(counts.matrix)
    # Dropped features' counts become zeros and go (in C); the rest are renumbered.
    data = x.data.astype(np.float64)
    data[~keep[x.indices]] = 0
    weights = sp.csr_matrix((data, x.indices.copy(), x.indptr.copy()), shape=x.shape)
    weights.eliminate_zeros()
    weights.indices = (np.cumsum(keep) - 1).astype(np.int32)[weights.indices]
    weights = sp.csr_matrix(
        (weights.data, weights.indices, weights.indptr),
        shape=(x.shape[0], int(keep.sum())),
        copy=False,
    )
    # The weighting itself is scikit-learn's (imported here, not at module import: worker
    # processes that only count words never pay for it). copy=False: in place, no second matrix.
    from sklearn.feature_extraction.text import TfidfTransformer

    transformer = TfidfTransformer(
        norm=settings.norm, smooth_idf=settings.smooth_idf, sublinear_tf=settings.sublinear_tf
    )
    weights = transformer.fit(weights).transform(weights, copy=False)
    weights.eliminate_zeros()
    return TermCounts(weights, counts.terms[keep])


def outlet_indicator(outlets: Iterable[str]) -> tuple[sp.csr_matrix, list[str]]:
    """Sparse outlet-by-article 0/1 matrix and the outlets in the study's order."""
    from wording.order import outlet_order

    outlets = pd.Series(list(outlets), dtype=object).fillna("unknown").astype(str)
    order = outlet_order(outlets)
    rows = pd.Categorical(outlets, categories=order).codes
    g = sp.csr_matrix(
        (np.ones(len(rows)), (rows, np.arange(len(rows)))), shape=(len(order), len(rows))
    )
    return g, order


def top_k_rows(matrix: sp.spmatrix, terms: np.ndarray, k: int | None) -> pd.DataFrame:
    """Per row, the k largest non-zero entries: ``row``, ``term``, ``score``, ``rank``.

    Ties break by term (A–Z); scores are compared at 12 decimals so float noise cannot reorder
    mathematically equal scores. Each row's k-th largest score is found by partitioning, then
    only entries near or above it are sorted; rows go in blocks (memory). No loop over rows or
    terms.
    """
    term_rank = np.empty(len(terms), dtype=np.int64)
    term_rank[np.argsort(np.asarray(terms, dtype=str), kind="stable")] = np.arange(len(terms))
    row, col, score, rank = _top_k(sp.csr_matrix(matrix), term_rank, k)
    return pd.DataFrame(
        {
            "row": row,
            "term": np.asarray(terms, dtype=object)[col],
            "score": score,
            "rank": rank,
        }
    )


def _top_k(csr: sp.csr_matrix, term_rank: np.ndarray, k: int | None) -> tuple:
    """``top_k_rows`` as arrays (row, column, score, rank), ties broken by ``term_rank``."""
    parts = [_top_k_block(csr, rows, term_rank, k) for rows in _row_blocks(csr)]
    if not parts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0), np.zeros(0, np.int64)
    row, col, score, rank = (np.concatenate(p) for p in zip(*parts, strict=True))
    return row.astype(np.int64), col.astype(np.int64), score, rank.astype(np.int64)


def _row_blocks(csr: sp.csr_matrix, entries: int = 4_000_000) -> list[slice]:
    """Consecutive row ranges of about ``entries`` stored values each."""
    if csr.shape[0] == 0:
        return []
    cuts = np.searchsorted(csr.indptr, np.arange(entries, csr.nnz, entries), side="right") - 1
    bounds = np.unique(np.r_[0, cuts, csr.shape[0]])
    return [slice(a, b) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]


def _top_k_block(csr: sp.csr_matrix, rows: slice, term_rank: np.ndarray, k: int | None):
    """``top_k_rows`` of some rows: arrays row, column, score, rank."""
    lo, hi = csr.indptr[rows.start], csr.indptr[rows.stop]
    indptr = csr.indptr[rows.start : rows.stop + 1] - lo
    counts = np.diff(indptr)
    score = csr.data[lo:hi]
    sel = score != 0
    if k is not None:
        # The k-th largest raw score; rounding to 12 decimals cannot move an entry more than
        # 1e-12 across it, so only entries near or above it can be among the top k.
        row = np.repeat(np.arange(len(counts)), counts)
        values = score if sel.all() else np.where(sel, score, -np.inf)
        kth = kth_largest_per_row(values, row, len(counts), k)
        sel &= score >= (kth - 1e-12)[row]
    position = np.flatnonzero(sel)
    row = np.searchsorted(indptr, position, side="right") - 1 + rows.start
    col, score = csr.indices[lo + position], score[position]
    order = np.lexsort((term_rank[col], -np.round(score, 12), row))
    row, col, score = row[order], col[order], score[order]
    rank = np.arange(len(row)) - np.searchsorted(row, row, side="left") + 1
    sel = rank <= k if k is not None else np.ones(len(rank), dtype=bool)
    return row[sel], col[sel], score[sel], rank[sel]


def kth_largest_per_row(
    values: np.ndarray, row: np.ndarray, n_rows: int, k: int, budget: int = 1 << 22
) -> np.ndarray:
    """Per row, the k-th largest of its ``values`` (``row`` sorted ascending); -inf for rows with
    at most k values. Rows are padded into blocks of about ``budget`` cells (rows of similar
    length together) and partitioned with numpy, so memory stays bounded."""
    counts = np.bincount(row, minlength=n_rows)
    starts = np.cumsum(counts) - counts
    threshold = np.full(n_rows, -np.inf)
    if k < 1:
        threshold[:] = np.inf
        return threshold
    long = np.flatnonzero(counts > k)
    long = long[np.argsort(counts[long], kind="stable")]
    sizes = counts[long]
    i = 0
    while i < len(long):  # a few blocks: each holds rows at most twice as long as its first
        j = min(len(long), i + max(1, budget // sizes[i]))
        j = min(j, int(np.searchsorted(sizes, 2 * sizes[i], side="right")))
        block, lengths = long[i:j], sizes[i:j]
        width = int(lengths.max())
        first = np.cumsum(lengths) - lengths
        within = np.arange(int(lengths.sum())) - np.repeat(first, lengths)
        padded = np.full((len(block), width), np.inf)
        padded[np.repeat(np.arange(len(block)), lengths), within] = -values[
            np.repeat(starts[block], lengths) + within
        ]
        threshold[block] = -np.partition(padded, k - 1, axis=1)[:, k - 1]
        i = j
    return threshold


def tfidf_tables(
    articles: pd.DataFrame,
    matcher: PhraseMatcher | None = None,
    settings: TfidfSettings = TfidfSettings(),
    top_k_outlet: int | None = 100,
    top_k_article: int | None = 20,
    counts: TermCounts | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, TermCounts]:
    """TF-IDF terms per outlet and per article, and the article-by-term weights.

    ``articles`` needs ``file``, ``outlet``, ``body``. An outlet's score for a term is the mean of
    its articles' (L2-normalised) TF-IDF weights: the centroid, so long or many articles do not
    dominate. Returns (``tfidf_terms``: outlet, term, score, rank, n_articles;
    ``tfidf_articles``: file, outlet, term, score, rank; the weights).
    """
    return _tfidf_tables(articles, matcher, settings, top_k_outlet, top_k_article, counts)[:3]


def _tfidf_tables(
    articles, matcher, settings, top_k_outlet, top_k_article, counts=None, weights=None
):
    """``tfidf_tables`` plus each article's top terms as arrays (row, column, score, rank)."""
    if weights is None and counts is None:
        weights = tfidf_matrix(articles["body"], settings, matcher)
    elif weights is None:
        weights = tfidf_from_counts(counts, settings)
    g, order = outlet_indicator(articles["outlet"])
    n_articles = np.asarray(g.sum(axis=1)).ravel()
    centroid = sp.diags(1.0 / np.maximum(n_articles, 1)) @ g @ weights.matrix
    per_outlet = top_k_rows(centroid, weights.terms, top_k_outlet)
    per_outlet.insert(0, "outlet", np.asarray(order, dtype=object)[per_outlet.pop("row")])
    per_outlet["n_articles"] = n_articles[
        pd.Categorical(per_outlet["outlet"], categories=order).codes
    ].astype(np.int64)
    term_rank = np.empty(len(weights.terms), dtype=np.int64)
    term_rank[np.argsort(np.asarray(weights.terms, dtype=str), kind="stable")] = np.arange(
        len(weights.terms)
    )
    top = _top_k(sp.csr_matrix(weights.matrix), term_rank, top_k_article)
    rows = top[0]
    per_article = pd.DataFrame(
        {
            "file": articles["file"].to_numpy(dtype=object)[rows],
            "outlet": articles["outlet"].to_numpy(dtype=object)[rows],
            "term": np.asarray(weights.terms, dtype=object)[top[1]],
            "score": top[2],
            "rank": top[3],
        }
    )
    # Columns in term order (as ``count_terms`` makes them): ties broke by column number.
    top = top if (term_rank == np.arange(len(term_rank))).all() else None
    return per_outlet, per_article, weights, top


def top_terms_by_setting(
    articles: pd.DataFrame,
    matcher: PhraseMatcher | None,
    variants: dict[str, TfidfSettings],
    k: int = 10,
) -> pd.DataFrame:
    """Top-k outlet terms under each TF-IDF variant: ``setting``, outlet, term, score, rank."""
    frames = []
    for name, settings in variants.items():
        per_outlet, _, _ = tfidf_tables(articles, matcher, settings, k, 0)
        frames.append(per_outlet.assign(setting=name))
    out = pd.concat(frames, ignore_index=True)
    return out[["setting", "outlet", "term", "score", "rank"]]


# --------------------------------------------------------------------------------------------
# Similarity
# --------------------------------------------------------------------------------------------


def similarity_matrix(weights: sp.spmatrix, files: Iterable[str]) -> pd.DataFrame:
    """Article-by-article cosine similarity of L2-normalised rows, as a square table.

    First column ``file`` and the header are the file names. Quadratic: for small corpora only.
    """
    files = list(files)
    sim = (weights @ weights.T).toarray()
    np.fill_diagonal(sim, np.where(np.asarray(weights.multiply(weights).sum(1)).ravel() > 0, 1, 0))
    table = pd.DataFrame(np.round(sim, 12), columns=files)
    table.insert(0, "file", files)
    return table


NEIGHBOUR_MAX_DF = 50  # a heavy term shared by more articles links none (cost: quadratic in it)


def similarity_neighbours(
    weights: sp.spmatrix,
    files: Iterable[str],
    k: int = 10,
    terms_per_article: int = 10,
    max_df: int = NEIGHBOUR_MAX_DF,
    shared_terms: int = 1,
) -> pd.DataFrame:
    """Top-k most similar articles per article, found without comparing all pairs.

    Candidates are pairs of articles that share ``shared_terms`` of their ``terms_per_article``
    heaviest TF-IDF terms (ties by column), counting only terms heavy in at most ``max_df``
    articles (a term, or set of terms, heavy in more is a stock phrase, not evidence);
    candidates are scored by exact cosine. Returns ``file``, ``neighbour``, ``similarity``,
    ``rank``. A term set links at most ``max_df`` articles, so there are at most
    n · C(terms_per_article, shared_terms) · max_df / 2 candidate pairs: linear in the corpus,
    quadratic in ``max_df`` (200 gave 40 million pairs at 100,000 articles, 50 gives 2).
    ``shared_terms=2`` is far cheaper and still finds near-copies, which share most heavy terms.
    """
    x = sp.csr_matrix(weights)
    top = _top_k(x, np.arange(x.shape[1]), terms_per_article)
    return _neighbours(x, files, top, k, terms_per_article, max_df, shared_terms)


def _neighbours(x, files, top, k, terms_per_article, max_df, shared_terms) -> pd.DataFrame:
    """``similarity_neighbours`` from each article's top terms (arrays row, column, _, rank)."""
    files = np.asarray(list(files), dtype=object)
    article, term, rank = top[0], top[1], top[3] - 1
    use = rank < terms_per_article
    article, term, rank = article[use], term[use], rank[use]
    df = np.bincount(term, minlength=x.shape[1])[term]
    keep = df <= max_df
    # Each article's usable heavy terms, ascending, as one row of a padded table.
    missing = np.iinfo(np.int64).max
    table = np.full((x.shape[0], terms_per_article), missing, dtype=np.int64)
    table[article[keep], rank[keep]] = term[keep]
    table = np.sort(table, axis=1)
    sets, members = [], []
    for combo in itertools.combinations(range(terms_per_article), shared_terms):
        columns = table[:, list(combo)]
        ok = (columns != missing).all(axis=1)
        sets.append(columns[ok])
        members.append(np.flatnonzero(ok))
    empty = pd.DataFrame({"file": [], "neighbour": [], "similarity": [], "rank": []})
    if not sets:
        return empty
    sets, members = np.concatenate(sets), np.concatenate(members)
    group = sets[:, 0]
    for j in range(1, shared_terms):  # a set of terms as one integer
        group = group * x.shape[1] + sets[:, j]
        if j + 1 < shared_terms:
            group = pd.factorize(group)[0].astype(np.int64)
    order = np.argsort(group)
    group, members = group[order], members[order]
    start = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    size = np.diff(np.r_[start, len(group)])
    size = np.repeat(size, size)
    ok = (size >= 2) & (size <= max_df)
    pairs = pairs_in_groups(group[ok], members[ok])  # pairs are ordered below
    if not len(pairs):
        return empty
    pairs = unique_pairs(np.sort(pairs, axis=1), x.shape[0])
    a, b = pairs[:, 0], pairs[:, 1]
    cosine = pair_cosine(x, a, b)
    m = sp.csr_matrix((np.r_[cosine, cosine], (np.r_[a, b], np.r_[b, a])), shape=(x.shape[0],) * 2)
    best = top_k_rows(m, files.astype(str), k)
    return pd.DataFrame(
        {
            "file": files[best["row"].to_numpy()],
            "neighbour": best["term"].to_numpy(),
            "similarity": best["score"].to_numpy(),
            "rank": best["rank"].to_numpy(),
        }
    )


def pairs_in_groups(group: np.ndarray, member: np.ndarray) -> np.ndarray:
    """Every pair ``(member[i], member[j])``, i < j, inside each run of equal ``group`` values
    (``group`` sorted). Generated at once with ``np.repeat``, no loop over groups or offsets."""
    n = len(group)
    if n < 2:
        return np.zeros((0, 2), dtype=np.int64)
    start = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    size = np.diff(np.r_[start, n])
    partners = np.repeat(start + size, size) - np.arange(n) - 1
    first = np.repeat(np.arange(n), partners)
    second = first + 1 + np.arange(len(first)) - np.repeat(np.cumsum(partners) - partners, partners)
    return np.stack([member[first], member[second]], axis=1).astype(np.int64, copy=False)


def unique_pairs(pairs: np.ndarray, n: int) -> np.ndarray:
    """Distinct rows of an (m, 2) array of integers in [0, n), sorted (one 1-D sort)."""
    code = sorted_unique(pairs[:, 0].astype(np.int64) * n + pairs[:, 1])
    return np.stack([code // n, code % n], axis=1)


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """``np.unique`` for integers by sorting (numpy's hash-based unique is slower here)."""
    values = np.sort(values)
    return values[np.r_[True, values[1:] != values[:-1]]] if len(values) else values


PARALLEL_MIN_PAIRS = 200_000  # below this, one process scores the pairs


def pair_cosine(
    x: sp.csr_matrix, a: np.ndarray, b: np.ndarray, block: int = 5_000, workers: int | None = None
):
    """Dot products of rows ``a[i]`` and ``b[i]`` of a CSR matrix, in blocks of pairs (small
    blocks bound memory and reuse freed buffers: several times faster than large ones).

    Many pairs are split between threads: SciPy's sparse kernels release the GIL, so the
    threads run at once on the same matrix, with nothing copied or pickled.
    """
    workers = n_workers() if workers is None else workers
    if workers < 2 or len(a) < PARALLEL_MIN_PAIRS:
        return _pair_cosine_serial(x, a, b, block)
    cuts = np.linspace(0, len(a), 4 * workers + 1).astype(int).tolist()
    with ThreadPoolExecutor(workers) as pool:
        parts = pool.map(
            lambda lo, hi: _pair_cosine_serial(x, a[lo:hi], b[lo:hi], block), cuts[:-1], cuts[1:]
        )
        return np.concatenate(list(parts))


def _pair_cosine_serial(x: sp.csr_matrix, a: np.ndarray, b: np.ndarray, block: int) -> np.ndarray:
    out = np.zeros(len(a))
    for start in range(0, len(a), block):  # blocks bound memory; each block is vectorised
        sl = slice(start, start + block)
        out[sl] = np.asarray(x[a[sl]].multiply(x[b[sl]]).sum(axis=1)).ravel()
    return out


MAX_FULL_SIMILARITY = 2000  # articles: up to this, similarity.csv is the full square matrix


def article_similarity(
    weights: sp.spmatrix, files: Iterable[str], max_full: int = MAX_FULL_SIMILARITY, k: int = 10
) -> pd.DataFrame:
    """``similarity.csv``: the full square matrix for up to ``max_full`` articles, else the
    long table of each article's top-k neighbours (``similarity_neighbours``)."""
    files = list(files)
    if len(files) <= max_full:
        return similarity_matrix(weights, files)
    return similarity_neighbours(weights, files, k=k)


def _article_similarity(weights, files, top) -> pd.DataFrame:
    """``article_similarity`` reusing each article's top terms when they are given."""
    files = list(files)
    if len(files) <= MAX_FULL_SIMILARITY or top is None:
        return article_similarity(weights, files)
    return _neighbours(sp.csr_matrix(weights), files, top, 10, 10, NEIGHBOUR_MAX_DF, 1)


def outlet_similarity(weights: sp.spmatrix, outlets: Iterable[str]) -> pd.DataFrame:
    """Mean cosine similarity between articles of two outlets, without the article-pair matrix.

    mean_{i in A, j in B} x_i·x_j = (Σ_A x_i)·(Σ_B x_j) / (n_A n_B); same-outlet means exclude
    each article's similarity with itself. Returns ``outlet_a``, ``outlet_b``, ``n_pairs``,
    ``mean_similarity``.
    """
    g, order = outlet_indicator(outlets)
    sums = g @ weights
    n = np.asarray(g.sum(axis=1)).ravel()
    x = sp.csr_matrix(weights)
    squares = np.zeros(x.shape[0])
    for rows in _row_blocks(x):  # each article's squared norm, block by block (memory)
        lo, hi = x.indptr[rows.start], x.indptr[rows.stop]
        counts = np.diff(x.indptr[rows.start : rows.stop + 1])
        row = np.repeat(np.arange(len(counts)), counts)
        squares[rows] = np.bincount(row, weights=x.data[lo:hi] ** 2, minlength=len(counts))
    self_sim = g @ squares
    dot = (sums @ sums.T).toarray()
    pairs = np.outer(n, n) - np.diag(n)
    dot = dot - np.diag(self_sim)
    mean = np.divide(dot, pairs, out=np.full_like(dot, np.nan), where=pairs > 0)
    ia, ib = np.meshgrid(np.arange(len(order)), np.arange(len(order)), indexing="ij")
    return pd.DataFrame(
        {
            "outlet_a": np.asarray(order, dtype=object)[ia.ravel()],
            "outlet_b": np.asarray(order, dtype=object)[ib.ravel()],
            "n_pairs": pairs.ravel().astype(np.int64),
            "mean_similarity": mean.ravel(),
        }
    )


# --------------------------------------------------------------------------------------------
# Keyness: Monroe, Colaresi & Quinn (2008), log-odds ratio with an informative Dirichlet prior
# --------------------------------------------------------------------------------------------

ALPHA0 = 10.0  # scattertext's default prior size: alpha_w = 10 * prior_w / sum(prior)


def _normal_cdf(x: np.ndarray) -> np.ndarray:
    from scipy.special import ndtr

    return ndtr(x)


def keyness(
    counts: sp.spmatrix,
    terms: np.ndarray,
    outlets: Iterable[str],
    alpha0: float = ALPHA0,
    prior: np.ndarray | None = None,
) -> pd.DataFrame:
    """Each outlet's terms against the rest of the corpus: Fightin' Words z-scores.

    ``counts`` is article-by-term (sparse), ``outlets`` one label per article. The prior is
    alpha_w = alpha0 · prior_w / Σ prior, with prior = whole-corpus counts unless given.
    delta = ln((y+a)/(n+a0-y-a)) - ln((y_r+a)/(n_r+a0-y_r-a)); sigma2 = 1/(y+a) + 1/(y_r+a);
    z = delta / sqrt(sigma2). Returns one row per outlet and term used anywhere in the corpus:
    outlet, term, count, count_rest, n, n_rest, alpha, alpha0, delta, sigma2, z, p_two_sided,
    rate_per_1000, rate_rest_per_1000; sorted by outlet, z descending, then term.
    """
    g, order = outlet_indicator(outlets)
    counts = sp.csr_matrix(counts)
    integer = np.issubdtype(counts.dtype, np.integer)  # no float copy of the counts (memory)
    by_outlet = (g.astype(np.int64) if integer else g) @ counts
    by_outlet = np.asarray(by_outlet.todense(), dtype=np.float64)
    total = by_outlet.sum(axis=0)
    used = total > 0
    by_outlet, total, terms = by_outlet[:, used], total[used], np.asarray(terms, object)[used]
    base = total if prior is None else np.asarray(prior, dtype=float)[used]
    alpha = alpha0 * base / base.sum()
    y, y_rest = by_outlet, total[None, :] - by_outlet
    n = y.sum(axis=1, keepdims=True)
    n_rest = total.sum() - n
    delta = np.log((y + alpha) / (n + alpha0 - y - alpha)) - np.log(
        (y_rest + alpha) / (n_rest + alpha0 - y_rest - alpha)
    )
    sigma2 = 1.0 / (y + alpha) + 1.0 / (y_rest + alpha)
    z = delta / np.sqrt(sigma2)
    k, v = y.shape
    with np.errstate(divide="ignore", invalid="ignore"):
        rate_rest = np.where(n_rest > 0, 1000 * y_rest / n_rest, np.nan)
    table = pd.DataFrame(
        {
            "outlet": np.repeat(np.asarray(order, dtype=object), v),
            "term": np.tile(terms, k),
            "count": y.ravel().astype(np.int64),
            "count_rest": y_rest.ravel().astype(np.int64),
            "n": np.repeat(n.ravel(), v).astype(np.int64),
            "n_rest": np.repeat(n_rest.ravel(), v).astype(np.int64),
            "alpha": np.tile(alpha, k),
            "alpha0": float(alpha0),
            "delta": delta.ravel(),
            "sigma2": sigma2.ravel(),
            "z": z.ravel(),
            "p_two_sided": 2 * _normal_cdf(-np.abs(z.ravel())),
            "rate_per_1000": (1000 * y / np.maximum(n, 1)).ravel(),
            "rate_rest_per_1000": rate_rest.ravel(),
        }
    )
    table["_o"] = pd.Categorical(table["outlet"], categories=order).codes
    table["_z"] = -np.round(table["z"], 12)
    table = table.sort_values(["_o", "_z", "term"], kind="stable").drop(columns=["_o", "_z"])
    return table.reset_index(drop=True)


def keyness_extremes(table: pd.DataFrame, k: int = 10) -> pd.DataFrame:
    """Per outlet, the k highest-z terms (``side`` "over") and the k lowest (``side`` "under").

    Assumes ``table`` is sorted as ``keyness`` returns it (z descending within outlet).
    """
    by = table.groupby("outlet", sort=False)
    over = by.head(k).assign(side="over")
    under = by.tail(k).assign(side="under")
    return pd.concat([over, under], ignore_index=True)


def bounded_keyness(table: pd.DataFrame, max_rows: int = 2_000_000, k_absent: int = 200):
    """The keyness table, or, when longer than ``max_rows``, the rows where the outlet uses the
    term plus its ``k_absent`` most negative absent terms (the table is sorted by z per outlet)."""
    if len(table) <= max_rows:
        return table
    absent = table["count"] == 0
    rank_absent = absent[::-1].groupby(table["outlet"][::-1]).cumsum()[::-1]
    return table[~absent | (rank_absent <= k_absent)].reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# The stage as the build runs it
# --------------------------------------------------------------------------------------------


def compare_tables(
    articles: pd.DataFrame,
    matcher: PhraseMatcher | None = None,
    settings: TfidfSettings = TfidfSettings(),
    alpha0: float = ALPHA0,
) -> dict[str, pd.DataFrame]:
    """TF-IDF, keyness and similarity tables by file name, from one tokenisation of the bodies.

    ``articles`` needs ``file``, ``outlet``, ``body``. Keyness counts every word (stop words
    included, as in Monroe et al.); TF-IDF drops stop words and numbers from the same counts.
    """
    counts = count_terms(articles["body"], matcher if settings.phrases else None)
    key = keyness(counts.matrix, counts.terms, articles["outlet"], alpha0=alpha0)
    key["stop_word"] = key["term"].isin(english_stop_words())
    key = bounded_keyness(key)
    weights = tfidf_from_counts(counts, settings)
    del counts  # the counts are done with (memory)
    release_memory()
    tfidf_terms, tfidf_articles, weights, top = _tfidf_tables(
        articles, None, settings, 100, 20, weights=weights
    )
    return {
        "tfidf_terms.csv": tfidf_terms,
        "tfidf_articles.csv": tfidf_articles,
        "similarity.csv": _article_similarity(weights.matrix, articles["file"], top),
        "similarity_outlets.csv": outlet_similarity(weights.matrix, articles["outlet"]),
        "keyness.csv": key,
    }
