"""An article's features: lower-case words with multi-word names compounded, counted per article
(``article_counts``), gathered into a corpus count matrix (``count_matrix``) and weighted by
TF-IDF with scikit-learn (``tfidf_tables``).

A feature is a word of ``wording.text.WORD_RE``, lower-cased, with apostrophes unified and a
possessive 's dropped; a multi-word name (``data/phrases.csv`` and the lexicon's name categories)
is one feature, as quanteda's ``tokens_compound`` makes it. TF-IDF drops scikit-learn's English
stop words and number-only features; keyness (``wording.keyness``) counts every feature.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

from wording.text import APOSTROPHES, WORD_RE

# A feature made only of digits ("2016", "20") says when, not how: dropped from TF-IDF features.
NUMBER_FEATURE_RE = re.compile(r"^[\d ]+$")


@functools.cache
def english_stop_words() -> frozenset[str]:
    """scikit-learn's English stop-word list (``ENGLISH_STOP_WORDS``)."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return ENGLISH_STOP_WORDS


# --------------------------------------------------------------------------------------------
# Multi-word names kept as single features (like quanteda's tokens_compound)
# --------------------------------------------------------------------------------------------

# A possessive ending ("Tokyo's", "Russia's") is dropped: the feature is the name, not its case.
# Must match the "'s" of "russia's"; must not touch inner apostrophes followed by more letters
# ("o'clock") or a bare "s" word. The literal "'s" comes first so the regex engine jumps from one
# "'s" to the next; the look-behind (the letter before) is checked only there.
POSSESSIVE_RE = re.compile(r"'s\b(?<=[^\W_]'s)")
# Placeholders for compounded names are upper-case: the text is lower-cased before they are
# inserted, so no word of the text can collide with one, and WORD_RE reads each as one token.
_PLACEHOLDER = "PHRASE{}X"
_PLACEHOLDER_RE = re.compile(r"PHRASE\d+X")
# Lexicon categories that are names are compounded into one feature; framing categories such as
# "1945 framing" or "naming formula" span clauses and stay words. Which categories are names is
# the lexicon's to say, by how it calls them: a category whose last word is "name" ("collective
# name", "island name", "islet name", "city name"). The Kuril lexicon's two, for reference:
LEXICON_NAME_CATEGORIES = ("collective name", "island name")


def name_categories(lexicon: pd.DataFrame) -> list[str]:
    """The lexicon's name categories, in lexicon order: those whose last word is "name"
    ("collective name", "islet name"; not "naming formula" or "1945 framing")."""
    if "category" not in lexicon.columns:
        return []
    categories = dict.fromkeys(lexicon["category"].dropna().astype(str).str.strip())
    return [c for c in categories if c.lower().split()[-1:] == ["name"]]


# Case-insensitive matching on lower-cased text equals case-sensitive matching of a lower-case
# pattern once the two letters that Python's IGNORECASE also equates with ASCII letters are
# folded: dotless "ı" with "i" and long "ſ" with "s" (a test checks every code point). The
# case-sensitive scan is several times faster. A pattern qualifies if, escapes aside, it has
# no upper-case letter, no cased letter beyond ASCII and Latin-1/Extended-A lower case (whose
# case partners lower() already unifies), and character ranges only within a-z or 0-9.
CASE_FOLD = str.maketrans({"ı": "i", "ſ": "s"})
_ESCAPE_RE = re.compile(r"\\[^xuUN0-9]", re.DOTALL)
_UNSAFE_RE = re.compile(r"\\|ı")
_BRACKET_RE = re.compile(r"\[\^?(\]?[^\]]*)\]")
_RANGE_RE = re.compile(r"(.)-(.)")


def lower_case_safe(pattern: str) -> bool:
    """Does ``pattern`` match the same on lower-cased, ``CASE_FOLD``-ed text case-sensitively
    as it does on lower-cased text with ``re.IGNORECASE``? (Conservative: False if unsure.)"""
    literal = _ESCAPE_RE.sub("", pattern)
    if _UNSAFE_RE.search(literal) or literal != literal.lower():
        return False
    if any(c.lower() != c.upper() for c in literal if not ("a" <= c <= "z" or "ß" <= c <= "ž")):
        return False
    for inside in _BRACKET_RE.findall(literal):
        for low, high in _RANGE_RE.findall(inside):
            if not (("a" <= low <= high <= "z") or ("0" <= low <= high <= "9")):
                return False
    return True


def phrase_pattern(phrase: str) -> str:
    """A regex matching ``phrase`` word by word (lower case), any white space between words;
    the matcher ignores case."""
    return r"\b" + r"\s+".join(re.escape(w.lower()) for w in WORD_RE.findall(phrase)) + r"\b"


def load_phrases(path: str | Path) -> pd.DataFrame:
    """A curated phrase list (columns ``phrase``, optional ``feature``, ``note``) as ``pattern``,
    ``feature``, ``source``: each phrase is one feature, named by its ``feature`` cell (to merge
    variants such as two transliterations) or else the phrase in lower case."""
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


def lexicon_phrases(
    lexicon: pd.DataFrame, categories: Iterable[str] | None | str = "names"
) -> pd.DataFrame:
    """Lexicon name rows as ``pattern`` (the lexicon's regex), ``feature``, ``source``.

    The feature is the lexicon's ``term_id`` as written ("southern_kurils"): the underscore tells
    a reader that it counts every variant the lexicon matches. Only rows of ``categories`` are
    used: by default the lexicon's own name categories (``name_categories``); all rows if None
    or if the lexicon has no ``category`` column.
    """
    if isinstance(categories, str):
        categories = name_categories(lexicon)
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


class PhraseMatcher:
    """Lower-cases a text, unifies apostrophes, drops possessive 's and replaces every
    multi-word name by one placeholder token (``label_of`` names it).

    One alternation of all patterns scans the text, case-sensitively when every pattern is
    ``lower_case_safe`` (else ignoring case); which pattern a match belongs to is looked up
    once per distinct matched string. Pickles by its patterns and features.
    """

    def __init__(self, patterns: list[str], features: list[str]):
        self.patterns, self.feature_names = list(patterns), list(features)
        self.features = tuple(dict.fromkeys(features))
        index = {f: i for i, f in enumerate(self.features)}
        self._feature_of = [index[f] for f in features]
        self._patterns = [re.compile(p, re.IGNORECASE) for p in patterns]
        combined = "|".join(f"(?:{p})" for p in patterns)
        self.regex = re.compile(combined, re.IGNORECASE) if patterns else None
        self.case_sensitive = all(map(lower_case_safe, patterns))
        self._scan = re.compile(combined) if patterns and self.case_sensitive else self.regex
        self._cache: dict[str, str] = {}

    def __reduce__(self):
        return (type(self), (self.patterns, self.feature_names))

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
        return cls([_plain_pattern(p) for p in table["pattern"]], list(table["feature"]))

    def _placeholder(self, found: str) -> str:
        """The placeholder (with spaces around) for a matched string: the first pattern that
        matches all of it, else the first that matches in it."""
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
        """Lower-case ``text``, unify apostrophes, drop possessive 's, compound the names."""
        text = text.lower()
        for apostrophe in APOSTROPHES:
            if apostrophe in text:
                text = text.replace(apostrophe, "'")
        if "'s" in text:
            text = POSSESSIVE_RE.sub("", text)
        if self._scan is None:
            return text
        if not (self.case_sensitive and ("ı" in text or "ſ" in text)):
            return self._scan.sub(lambda m: self._placeholder(m.group(0)), text)
        folded = text.translate(CASE_FOLD)  # same length: offsets carry over
        pieces, at = [], 0  # matches found in the folded text, words kept from the original
        for m in self._scan.finditer(folded):
            pieces += [text[at : m.start()], self._placeholder(text[m.start() : m.end()])]
            at = m.end()
        return "".join(pieces) + text[at:]

    def label_of(self, token: str) -> str:
        """The feature a token stands for: a placeholder's name, else the token itself."""
        if token.startswith("PHRASE") and _PLACEHOLDER_RE.fullmatch(token):
            return self.features[int(token[6:-1])]
        return token

    def label(self, features: Iterable[str]) -> np.ndarray:
        """``label_of`` for many tokens (or n-grams holding placeholders), as an object array."""
        names = pd.Series(list(features), dtype=object)
        has = names.str.contains("PHRASE", regex=False)
        if has.any():
            names[has] = names[has].str.replace(
                _PLACEHOLDER_RE, lambda m: self.features[int(m.group(0)[6:-1])], regex=True
            )
        return names.to_numpy(dtype=object)


def phrase_matcher(
    lexicon: pd.DataFrame | None = None, phrases: pd.DataFrame | None = None
) -> PhraseMatcher:
    """One matcher from the lexicon's name patterns and the curated phrases (either may be None)."""
    tables = []
    if lexicon is not None and len(lexicon):
        tables.append(lexicon_phrases(lexicon))
    if phrases is not None and len(phrases):
        tables.append(phrases)
    return PhraseMatcher.from_table(pd.concat(tables, ignore_index=True) if tables else None)


def phrases_csv() -> Path:
    """The curated phrase list shipped with the study: ``data/phrases.csv``."""
    from wording import paths

    return paths.project_root() / "data" / "phrases.csv"


def default_matcher(
    lexicon_path: str | Path | None = None, phrases_path: str | Path | None = None
) -> PhraseMatcher:
    """The study's matcher: the lexicon's names (if the file exists) and ``data/phrases.csv``
    (or ``phrases_path``). Missing files are skipped, never guessed."""
    from wording.lexicon import load_lexicon

    lexicon = None
    if lexicon_path is not None and Path(lexicon_path).is_file():
        lexicon = load_lexicon(lexicon_path)
    phrases_path = phrases_csv() if phrases_path is None else Path(phrases_path)
    phrases = load_phrases(phrases_path) if phrases_path.is_file() else None
    return phrase_matcher(lexicon, phrases)


# --------------------------------------------------------------------------------------------
# Counting: one article, then the corpus
# --------------------------------------------------------------------------------------------


def article_counts(
    body: str, phrases: PhraseMatcher, stop_words: frozenset[str] | None = None
) -> tuple[list[str], list[int]]:
    """The features of one article body and how often each occurs (in first-seen order).

    Words are ``WORD_RE`` tokens of ``phrases(body)`` (lower-cased, apostrophes unified,
    possessive 's dropped, names compounded); a compounded name is counted under its feature
    name, summed with any word of the same name. Tokens in ``stop_words`` are not counted.
    Pure: the same body and matcher always give the same lists.
    """
    if not isinstance(body, str):  # a missing body (None, NaN) has no words
        body = ""
    text = phrases(body)
    counts = Counter(WORD_RE.findall(text))
    if stop_words:
        for word in stop_words & counts.keys():
            del counts[word]
    if "PHRASE" in text:  # placeholders (the only upper case left): counted as their features
        for placeholder in set(_PLACEHOLDER_RE.findall(text)):
            n = counts.pop(placeholder)
            term = phrases.label_of(placeholder)
            counts[term] = counts.get(term, 0) + n
    return list(counts), list(counts.values())


@dataclass(frozen=True)
class TermCounts:
    """A sparse article-by-term matrix with its term labels (alphabetical columns)."""

    matrix: sp.csr_matrix
    terms: np.ndarray  # or stored text (a pandas "str" array), as a chunk hands them over


def count_matrix(
    per_article: Sequence[tuple[Sequence[str], Sequence[int]]],
) -> tuple[sp.csr_matrix, np.ndarray]:
    """The article-by-term count matrix (int64 CSR, one row per article in order) and its
    vocabulary (object array, sorted), from ``article_counts`` results.

    Built at once: the terms of all articles are numbered by ``pandas.factorize`` (sorted), and
    the (article, term, count) triples become a COO matrix converted to CSR.
    """
    n = len(per_article)
    lengths = np.fromiter((len(terms) for terms, _ in per_article), np.int64, n)
    total = int(lengths.sum())
    terms = np.fromiter(
        itertools.chain.from_iterable(terms for terms, _ in per_article), object, total
    )
    counts = np.fromiter(
        itertools.chain.from_iterable(counts for _, counts in per_article), np.int64, total
    )
    codes, vocabulary = pd.factorize(terms, sort=True)
    rows = np.repeat(np.arange(n, dtype=np.int64), lengths)
    matrix = sp.coo_matrix((counts, (rows, codes)), shape=(n, len(vocabulary))).tocsr()
    matrix.sum_duplicates()  # none in practice; also sorts each row's columns
    return matrix, np.asarray(vocabulary, dtype=object)


def stack_counts(parts: Sequence[TermCounts], keep: np.ndarray | None = None) -> TermCounts:
    """The rows of ``parts`` (``count_matrix`` results of consecutive articles, each with its
    own sorted vocabulary) stacked into one matrix over one sorted vocabulary, keeping only the
    rows ``keep`` (a boolean mask over all rows; None: all) and the terms those rows hold: the
    ``count_matrix`` of the kept articles' counts, without one term string per article."""
    parts = [p for p in parts if p.matrix.shape[0]]
    if not parts:
        return TermCounts(sp.csr_matrix((0, 0), dtype=np.int64), np.empty(0, dtype=object))
    # One code per distinct term (a hash table), then the codes ranked as sorted terms: every
    # part's vocabulary is sorted too, so its columns keep their order within each row. A
    # part's terms may be stored text (pandas "str"): only the distinct ones become objects.
    terms = pd.concat([pd.Series(p.terms, dtype="str") for p in parts], ignore_index=True)
    codes, distinct = pd.factorize(terms)
    del terms
    distinct = np.asarray(distinct, dtype=object)
    order = np.argsort(distinct, kind="stable")
    rank = np.empty(len(distinct), dtype=np.int64)
    rank[order] = np.arange(len(distinct))
    column = rank[codes]
    starts = np.cumsum([0] + [len(p.terms) for p in parts])
    indices = np.concatenate(
        [column[start + p.matrix.indices] for start, p in zip(starts, parts, strict=False)]
    )
    data = np.concatenate([p.matrix.data.astype(np.int64) for p in parts])
    row_nnz = np.concatenate([np.diff(p.matrix.indptr) for p in parts])
    if keep is not None:
        entry_kept = np.repeat(keep, row_nnz)
        indices, data, row_nnz = indices[entry_kept], data[entry_kept], row_nnz[keep]
    used = np.flatnonzero(np.bincount(indices, minlength=len(distinct)))
    new_column = np.full(len(distinct), -1, dtype=np.int64)
    new_column[used] = np.arange(len(used))
    index = np.int32 if len(data) < 2**31 else np.int64  # as scipy makes it from triples
    indptr = np.r_[0, np.cumsum(row_nnz)].astype(index)
    matrix = sp.csr_matrix(
        (data, new_column[indices].astype(index), indptr), shape=(len(row_nnz), len(used))
    )
    terms = distinct[order[used]]
    return TermCounts(matrix, terms)


def count_terms(
    texts: Iterable[str],
    matcher: PhraseMatcher | None = None,
    ngram_range: tuple[int, int] = (1, 1),
    stop_words: Iterable[str] | None = None,
    min_df: int | float = 1,
) -> TermCounts:
    """Features per text (``article_counts``) as a ``TermCounts``, columns sorted by term.

    Stop words are removed before n-grams are formed (scikit-learn's behaviour). Features used
    in fewer than ``min_df`` texts (a fraction of the texts if a float) are dropped. N-grams
    come from scikit-learn's CountVectorizer over the same tokens.
    """
    matcher = matcher or PhraseMatcher([], [])
    texts = [t if isinstance(t, str) else "" for t in texts]
    if tuple(ngram_range) != (1, 1):
        return _count_ngrams(texts, matcher, ngram_range, stop_words, min_df)
    stop = frozenset(stop_words) if stop_words is not None else None
    matrix, terms = count_matrix([article_counts(t, matcher, stop) for t in texts])
    threshold = min_df if isinstance(min_df, int | np.integer) else min_df * len(texts)
    if threshold > 1:
        keep = np.flatnonzero(np.bincount(matrix.indices, minlength=len(terms)) >= threshold)
        matrix, terms = matrix[:, keep], terms[keep]
    return TermCounts(matrix, terms)


def _count_ngrams(texts, matcher, ngram_range, stop_words, min_df) -> TermCounts:
    """``count_terms`` for n-grams, with scikit-learn's CountVectorizer."""
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
    except ValueError:  # empty vocabulary: no text has a word
        return TermCounts(sp.csr_matrix((len(texts), 0), dtype=np.int64), np.array([], object))
    labels = matcher.label(vectorizer.get_feature_names_out())
    # Two placeholders, or a placeholder and a word, may carry one label: their columns merge.
    codes, terms = pd.factorize(labels, sort=True)
    merge = sp.csr_matrix(
        (np.ones(len(codes), np.int64), (np.arange(len(codes)), codes)),
        shape=(len(codes), len(terms)),
    )
    matrix = (matrix @ merge).tocsr()
    matrix.sort_indices()
    return TermCounts(matrix, np.asarray(terms, dtype=object))


def feature_mask(
    terms: np.ndarray, stop_words: Iterable[str] | str | None = "english", numbers: bool = False
) -> np.ndarray:
    """Boolean mask of terms kept as TF-IDF features: not a stop word ("english": scikit-learn's
    list), not only digits (unless ``numbers``)."""
    if isinstance(stop_words, str) and stop_words == "english":
        stop_words = english_stop_words()
    terms = pd.Series(terms, dtype=object).astype(str)
    keep = np.ones(len(terms), dtype=bool)
    if stop_words is not None:
        keep &= ~terms.isin(set(stop_words)).to_numpy()
    if not numbers:
        keep &= ~terms.str.fullmatch(NUMBER_FEATURE_RE.pattern).to_numpy(dtype=bool)
    return keep


# The TF-IDF stage lives in ``wording.tfidf``; its names stay importable from here.
from wording.tfidf import (  # noqa: E402, F401 (re-exported)
    ROW_BLOCK_ENTRIES,
    TfidfSettings,
    outlet_indicator,
    tfidf_from_counts,
    tfidf_tables,
    top_k_arrays,
    top_k_rows,
    top_terms_by_setting,
    weights_tables,
)
