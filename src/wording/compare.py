"""How outlets word the story: TF-IDF, keyness (Fightin' Words) and article similarity.

Every function works on sparse matrices end to end: texts are tokenised once (one regex pass for
multi-word names, one for words, per text), counts are aggregated by outlet with a sparse indicator
matrix, and per-row top-k selections are one sort of the non-zero entries, never a loop over terms.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.special import ndtr
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer, TfidfTransformer

from wording.plots import outlet_order
from wording.text import WORD_RE

# Curly apostrophes become straight ones so "Russia’s" and "Russia's" are one token.
APOSTROPHE_RE = re.compile(r"[’‘`´]")
# A possessive ending ("Tokyo's", "Russia's") is dropped: the feature is the name, not its case.
# Must match the "'s" of "russia's"; must not touch "it's"-like inner apostrophes followed by more
# letters ("o'clock") or a bare "s" word.
POSSESSIVE_RE = re.compile(r"(?<=[^\W_])'s\b")
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


class PhraseMatcher:
    """Replaces every multi-word name in a lower-cased text by one placeholder token.

    One alternation without capturing groups scans the text (groups would switch off the regex
    engine's fast scanning, several times slower); which pattern a match belongs to is looked up
    once per distinct matched string and cached.
    """

    def __init__(self, patterns: list[str], features: list[str]):
        self.features = tuple(dict.fromkeys(features))
        index = {f: i for i, f in enumerate(self.features)}
        self._patterns = [re.compile(p, re.IGNORECASE) for p in patterns]
        self._feature_of = [index[f] for f in features]
        self.regex = (
            re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE) if patterns else None
        )
        self._cache: dict[str, str] = {}

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
        text = POSSESSIVE_RE.sub("", APOSTROPHE_RE.sub("'", text.lower()))
        if self.regex is None:
            return text
        return self.regex.sub(self._replace, text)

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


def count_terms(
    texts: Iterable[str],
    matcher: PhraseMatcher | None = None,
    ngram_range: tuple[int, int] = (1, 1),
    stop_words: Iterable[str] | None = None,
    min_df: int = 1,
) -> TermCounts:
    """Count word tokens (``WORD_RE``, lower-cased, phrases compounded) per text, sparse.

    Stop words are removed before n-grams are formed (scikit-learn's behaviour); columns are
    sorted by term label so that ties in later rankings break alphabetically.
    """
    matcher = matcher or PhraseMatcher([], [])
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
    texts = ["" if t is None or (isinstance(t, float) and np.isnan(t)) else t for t in texts]
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


def feature_mask(
    terms: np.ndarray, stop_words: Iterable[str] | None = ENGLISH_STOP_WORDS, numbers: bool = False
) -> np.ndarray:
    """Boolean mask of terms kept as TF-IDF features: not a stop word, not only digits."""
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
    stop = ENGLISH_STOP_WORDS if settings.stop_words else None
    counts = count_terms(texts, matcher, settings.ngram_range, stop, settings.min_df)
    return tfidf_from_counts(counts, settings)


def tfidf_from_counts(counts: TermCounts, settings: TfidfSettings = TfidfSettings()) -> TermCounts:
    """TF-IDF from an existing count matrix (reuses one tokenisation for keyness and TF-IDF)."""
    keep = feature_mask(
        counts.terms, ENGLISH_STOP_WORDS if settings.stop_words else None, settings.numbers
    )
    matrix = counts.matrix[:, np.flatnonzero(keep)]
    if matrix.shape[1] == 0:
        return TermCounts(sp.csr_matrix(matrix.shape, dtype=float), counts.terms[keep])
    transformer = TfidfTransformer(
        norm=settings.norm, sublinear_tf=settings.sublinear_tf, smooth_idf=settings.smooth_idf
    )
    weights = transformer.fit_transform(matrix.astype(float)).tocsr()
    weights.eliminate_zeros()
    return TermCounts(weights, counts.terms[keep])


def outlet_indicator(outlets: Iterable[str]) -> tuple[sp.csr_matrix, list[str]]:
    """Sparse outlet-by-article 0/1 matrix and the outlets in the study's order."""
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
    mathematically equal scores. One sort of all non-zeros, no loop over rows or terms.
    """
    coo = sp.coo_matrix(matrix)
    keep = coo.data != 0
    row, col, score = coo.row[keep], coo.col[keep], coo.data[keep]
    term_rank = np.empty(len(terms), dtype=np.int64)
    term_rank[np.argsort(np.asarray(terms, dtype=str), kind="stable")] = np.arange(len(terms))
    order = np.lexsort((term_rank[col], -np.round(score, 12), row))
    row, col, score = row[order], col[order], score[order]
    starts = np.searchsorted(row, row, side="left")
    rank = np.arange(len(row)) - starts + 1
    sel = rank <= k if k is not None else np.ones(len(rank), dtype=bool)
    return pd.DataFrame(
        {
            "row": row[sel].astype(np.int64),
            "term": np.asarray(terms, dtype=object)[col[sel]],
            "score": score[sel],
            "rank": rank[sel].astype(np.int64),
        }
    )


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
    if counts is None:
        weights = tfidf_matrix(articles["body"], settings, matcher)
    else:
        weights = tfidf_from_counts(counts, settings)
    g, order = outlet_indicator(articles["outlet"])
    n_articles = np.asarray(g.sum(axis=1)).ravel()
    centroid = sp.diags(1.0 / np.maximum(n_articles, 1)) @ g @ weights.matrix
    per_outlet = top_k_rows(centroid, weights.terms, top_k_outlet)
    per_outlet.insert(0, "outlet", np.asarray(order, dtype=object)[per_outlet.pop("row")])
    per_outlet["n_articles"] = n_articles[
        pd.Categorical(per_outlet["outlet"], categories=order).codes
    ].astype(np.int64)
    per_article = top_k_rows(weights.matrix, weights.terms, top_k_article)
    rows = per_article.pop("row").to_numpy()
    per_article.insert(0, "file", articles["file"].to_numpy(dtype=object)[rows])
    per_article.insert(1, "outlet", articles["outlet"].to_numpy(dtype=object)[rows])
    return per_outlet, per_article, weights


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


def similarity_neighbours(
    weights: sp.spmatrix,
    files: Iterable[str],
    k: int = 10,
    terms_per_article: int = 10,
    max_df: int = 200,
) -> pd.DataFrame:
    """Top-k most similar articles per article, found without comparing all pairs.

    Candidates are articles sharing one of their ``terms_per_article`` heaviest TF-IDF terms, if
    that term is heavy in at most ``max_df`` articles; candidates are scored by exact cosine.
    Returns ``file``, ``neighbour``, ``similarity``, ``rank``. Linear in the corpus for fixed
    k, terms_per_article and max_df (at most n·terms_per_article·max_df candidate pairs).
    """
    files = np.asarray(list(files), dtype=object)
    x = sp.csr_matrix(weights)
    top = top_k_rows(x, np.arange(x.shape[1]).astype(str), terms_per_article)
    post = pd.DataFrame({"article": top["row"].to_numpy(), "term": top["term"].astype(np.int64)})
    df = post.groupby("term")["article"].transform("size").to_numpy()
    post = post[(df >= 2) & (df <= max_df)].sort_values(["term", "article"], kind="stable")
    term, article = post["term"].to_numpy(), post["article"].to_numpy()
    pairs = []
    for d in range(1, int(max_df)):  # loop over offsets in a posting list, not over terms
        same = term[d:] == term[:-d] if d < len(term) else np.array([], bool)
        if not same.any():
            break
        pairs.append(np.stack([article[:-d][same], article[d:][same]], axis=1))
    if not pairs:
        return pd.DataFrame({"file": [], "neighbour": [], "similarity": [], "rank": []})
    pairs = np.unique(np.concatenate(pairs), axis=0)
    a, b = pairs[:, 0], pairs[:, 1]
    cosine = pair_cosine(x, a, b)
    both = pd.DataFrame({"a": np.r_[a, b], "b": np.r_[b, a], "similarity": np.r_[cosine, cosine]})
    m = sp.csr_matrix((both["similarity"], (both["a"], both["b"])), shape=(x.shape[0],) * 2)
    best = top_k_rows(m, files.astype(str), k)
    return pd.DataFrame(
        {
            "file": files[best["row"].to_numpy()],
            "neighbour": best["term"].to_numpy(),
            "similarity": best["score"].to_numpy(),
            "rank": best["rank"].to_numpy(),
        }
    )


def pair_cosine(x: sp.csr_matrix, a: np.ndarray, b: np.ndarray, block: int = 100_000):
    """Dot products of rows ``a[i]`` and ``b[i]`` of a CSR matrix, in blocks of pairs (memory)."""
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


def outlet_similarity(weights: sp.spmatrix, outlets: Iterable[str]) -> pd.DataFrame:
    """Mean cosine similarity between articles of two outlets, without the article-pair matrix.

    mean_{i in A, j in B} x_i·x_j = (Σ_A x_i)·(Σ_B x_j) / (n_A n_B); same-outlet means exclude
    each article's similarity with itself. Returns ``outlet_a``, ``outlet_b``, ``n_pairs``,
    ``mean_similarity``.
    """
    g, order = outlet_indicator(outlets)
    sums = g @ weights
    n = np.asarray(g.sum(axis=1)).ravel()
    self_sim = np.asarray(g @ weights.multiply(weights).sum(axis=1)).ravel()
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
    by_outlet = np.asarray((g @ sp.csr_matrix(counts, dtype=np.float64)).todense())
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
            "p_two_sided": 2 * ndtr(-np.abs(z.ravel())),
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
    tfidf_terms, tfidf_articles, weights = tfidf_tables(articles, counts=counts, settings=settings)
    key = keyness(counts.matrix, counts.terms, articles["outlet"], alpha0=alpha0)
    key["stop_word"] = key["term"].isin(ENGLISH_STOP_WORDS)
    return {
        "tfidf_terms.csv": tfidf_terms,
        "tfidf_articles.csv": tfidf_articles,
        "similarity.csv": article_similarity(weights.matrix, articles["file"]),
        "similarity_outlets.csv": outlet_similarity(weights.matrix, articles["outlet"]),
        "keyness.csv": bounded_keyness(key),
    }
