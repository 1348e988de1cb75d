"""Features of an article (words, compounded names), count matrix and TF-IDF: hand-worked values
on tiny texts, the phrase scanner against Python's case-insensitive regex, and scikit-learn."""

from __future__ import annotations

import pickle
import re
from collections import Counter

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from wording import features, paths
from wording.text import WORD_RE


@pytest.fixture(scope="module")
def study_matcher() -> features.PhraseMatcher:
    return features.default_matcher(paths.lexicon_csv())


def _phrases(*phrases: str) -> features.PhraseMatcher:
    table = pd.DataFrame(
        {
            "pattern": [features.phrase_pattern(p) for p in phrases],
            "feature": [p.lower() for p in phrases],
            "source": "phrases",
        }
    )
    return features.PhraseMatcher.from_table(table)


# ------------------------------------------------------------------ one article


def test_article_counts_by_hand(study_matcher):
    # TASS-like sentence: "Southern Kurils" is the lexicon's southern_kurils, "peace treaty" a
    # curated phrase; "Russia’s" loses its possessive; "two-plus-two" is one word.
    body = "Russia’s Southern Kurils: a peace treaty, the treaty and a two-plus-two meeting."
    terms, counts = features.article_counts(body, study_matcher)
    got = dict(zip(terms, counts, strict=True))
    assert got == {
        "russia": 1,
        "southern_kurils": 1,
        "a": 2,
        "peace treaty": 1,
        "the": 1,
        "treaty": 1,
        "and": 1,
        "two-plus-two": 1,
        "meeting": 1,
    }, got


def test_article_counts_of_a_missing_body_is_empty(study_matcher):
    assert features.article_counts(None, study_matcher) == ([], [])
    assert features.article_counts("", study_matcher) == ([], [])


def test_phrase_is_one_feature_and_its_words_are_not_counted_apart():
    matcher = _phrases("peace treaty", "Southern Kurils")
    counts = features.count_terms(
        ["A permanent Peace  Treaty over the\nSouthern Kurils; the treaty."], matcher
    )
    got = dict(zip(counts.terms, counts.matrix.toarray()[0], strict=True))
    assert got["peace treaty"] == 1, got
    assert got["southern kurils"] == 1, got
    assert got["treaty"] == 1, f"the lone 'treaty' only: {got}"
    assert "peace" not in got and "southern" not in got and "kurils" not in got, got


def test_longest_phrase_wins_and_lexicon_variants_merge():
    lexicon = pd.DataFrame(
        {
            "term_id": ["southern_kurils", "southern_kurils", "kuril_islands"],
            "pattern": [
                r"\bSouth(?:ern)? Kuril Islands\b",
                r"\bSouthern Kurils\b",
                r"Kuril Islands",
            ],
        }
    )
    matcher = features.phrase_matcher(lexicon, None)
    counts = features.count_terms(
        ["the South Kuril Islands", "the Southern Kurils", "the Kuril Islands"], matcher
    )
    table = pd.DataFrame(counts.matrix.toarray(), columns=counts.terms)
    assert table["southern_kurils"].tolist() == [1, 1, 0], table
    assert table["kuril_islands"].tolist() == [0, 0, 1], table
    assert table["the"].tolist() == [1, 1, 1], "framing rows must not be compounded"


def test_apostrophes_and_possessives_unified():
    counts = features.count_terms(["Russia’s claim", "Russia's claim", "Russia claims"])
    table = pd.DataFrame(counts.matrix.toarray(), columns=counts.terms)
    assert table["russia"].tolist() == [1, 1, 1], table
    assert "russia's" not in table and "russia’s" not in table


def test_possessive_re_must_and_must_not():
    assert features.POSSESSIVE_RE.sub("", "tokyo's claims") == "tokyo claims"
    assert features.POSSESSIVE_RE.sub("", "o'clock") == "o'clock"
    assert features.POSSESSIVE_RE.sub("", "the 's' key") == "the 's' key"


def test_placeholder_cannot_collide_with_text():
    # the text is lower-cased before placeholders go in: a word spelled like one stays a word
    matcher = _phrases("peace treaty")
    counts = features.count_terms(["PHRASE0X peace treaty"], matcher)
    assert sorted(counts.terms) == ["peace treaty", "phrase0x"], counts.terms


def test_matcher_pickles_and_counts_the_same_after(study_matcher):
    copy = pickle.loads(pickle.dumps(study_matcher))
    body = "The Kuril Islands, Etorofu-jima and the Habomai islets; Sergey Lavrov said so."
    assert features.article_counts(body, copy) == features.article_counts(body, study_matcher)


# ------------------------------------------------------------------ the case-sensitive scan


def test_case_fold_is_what_ignorecase_adds_to_lower_case():
    # Every character of lower-cased text that Python's IGNORECASE equates with a letter a
    # lower-case-safe pattern may hold is that letter after CASE_FOLD, and nothing else is.
    letters = "abcdefghijklmnopqrstuvwxyzßàéíóúōū"
    letter_class = re.compile(f"[{letters}]", re.IGNORECASE)
    for code in range(0x110000):
        char = chr(code)
        if char.lower() != char:  # never in lower-cased text
            continue
        folded = char.translate(features.CASE_FOLD)
        if letter_class.fullmatch(char):
            assert folded in letters, hex(code)
            same = [x for x in letters if re.fullmatch(re.escape(x), char, re.IGNORECASE)]
            assert same == [folded], (hex(code), same)
        else:
            assert folded not in letters, hex(code)


def test_lower_case_safe_must_and_must_not():
    for pattern in (r"\bsouth(?:ern)?\s+kurils?\b", r"\bhopp?[oō]u?", r"[\s-]+", r"\b[a-z]x"):
        assert features.lower_case_safe(pattern), pattern
    for pattern in (r"\bSea", r"\b[A-Z]abomai", r"[@-_]x", r"\x41", r"\N{LATIN SMALL LETTER A}"):
        assert not features.lower_case_safe(pattern), pattern


def test_case_sensitive_scanner_matches_ignorecase_regex(study_matcher):
    # The scanner runs case-sensitively on lower-cased, folded text; it must find exactly what
    # the case-insensitive patterns find on lower-cased text, including the characters Python
    # equates with ASCII letters when ignoring case (long s "ſ", Kelvin sign, dotless i).
    patterns = [
        r"\bsouth(?:ern)?\s+kurils?\b",
        r"\b[a-z]abomai\b",
        r"\bisland[^s]\b",
        r"\b(?:etorofu|kunashiri)(?:[\s-]+(?:to|jima))?\b",
        r"\bsea\s+of\s+okhotsk\b",
    ]
    texts = [
        "the southern kurils and the south kuril islands; habomai, xabomai",
        "ſouthern kurils, kelvin: \u212aunashiri-to, ıslands of hokkaido, island! islands",
        "etorofu-jima and the sea of  okhotsk; İturup and the kuril islands' shores",
    ]
    for pattern_list in (patterns, study_matcher.patterns):
        matcher = features.PhraseMatcher(pattern_list, [str(i) for i in range(len(pattern_list))])
        assert matcher.case_sensitive, "these patterns are lower-case safe"
        for text in texts:
            low = text.lower()
            fast = [m.span() for m in matcher._scan.finditer(low.translate(features.CASE_FOLD))]
            slow = [m.span() for m in matcher.regex.finditer(low)]
            assert fast == slow, (text, fast, slow)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["kuril", "s", " ", "-", "ſ", "ı", "İ", "K", "\u212a", "habomai", "island", "'", "é"]
        ),
        max_size=12,
    ).map("".join)
)
def test_compounding_equals_ignorecase_substitution(text):
    patterns = [r"\bkurils?\b", r"\bhabomai\b", r"\bislands?\b", r"\bk?urıl\b"]  # last: unsafe
    fast = features.PhraseMatcher(patterns[:3], ["kurils", "habomai", "island"])
    assert fast.case_sensitive
    low = fast(text)  # lower-cased and compounded
    plain = features.PhraseMatcher([], [])(text)
    want = fast.regex.sub(lambda m: fast._placeholder(m.group(0)), plain)
    assert low == want, (text, low, want)
    assert not features.PhraseMatcher(patterns, ["a", "b", "c", "d"]).case_sensitive


# ------------------------------------------------------------------ the corpus count matrix


def test_count_matrix_rows_are_the_articles_counts(study_matcher):
    bodies = [
        "The Southern Kurils, the Kuril Islands and the peace treaty.",
        "",
        "Japan's Northern Territories; the treaty of 1956.",
    ]
    per_article = [features.article_counts(b, study_matcher) for b in bodies]
    matrix, vocabulary = features.count_matrix(per_article)
    assert list(vocabulary) == sorted(vocabulary)
    assert matrix.dtype == np.int64 and matrix.shape == (3, len(vocabulary))
    for i, (terms, counts) in enumerate(per_article):
        row = matrix.getrow(i)
        assert dict(zip(vocabulary[row.indices], row.data, strict=True)) == dict(
            zip(terms, counts, strict=True)
        ), bodies[i]
    assert features.count_matrix([])[0].shape == (0, 0)


def test_word_counts_equal_scikit_learns_count_vectorizer(study_matcher):
    from sklearn.feature_extraction.text import CountVectorizer

    texts = [
        "The Southern Kurils' future: Russia's and Japan's “peace treaty”, two-plus-two talks.",
        "Peace treaty talks on the Kuril Islands; the treaty, the islands and o'clock news.",
        "",
        "Shikotan’s port — and the Habomai islets — were handed over to the USSR in 1945.",
    ]
    stop = features.english_stop_words()
    for stop_words, min_df in ((None, 1), (stop, 1), (stop, 2), (None, 0.5)):
        got = features.count_terms(texts, study_matcher, stop_words=stop_words, min_df=min_df)
        vectorizer = CountVectorizer(
            preprocessor=study_matcher,
            tokenizer=WORD_RE.findall,
            token_pattern=None,
            lowercase=False,
            stop_words=sorted(stop_words) if stop_words else None,
            min_df=min_df,
        )
        counts = vectorizer.fit_transform(texts).toarray()
        labels = study_matcher.label(vectorizer.get_feature_names_out())
        want = pd.DataFrame(counts, columns=labels).sort_index(axis=1)
        assert got.terms.tolist() == want.columns.tolist(), (stop_words is None, min_df)
        assert (got.matrix.toarray() == want.to_numpy()).all(), (stop_words is None, min_df)


def test_bigrams_hold_compounded_names(study_matcher):
    counts = features.count_terms(["the peace treaty talks"], study_matcher, ngram_range=(1, 2))
    assert "peace treaty talks" in counts.terms.tolist(), counts.terms
    assert "the peace treaty" in counts.terms.tolist(), counts.terms


def test_counts_per_text_agree_with_counter():
    texts = ["a b a", "b c", "c c c d"]
    counts = features.count_terms(texts)
    for i, text in enumerate(texts):
        row = dict(zip(counts.terms, counts.matrix.toarray()[i], strict=True))
        assert {t: n for t, n in row.items() if n} == Counter(text.split()), text


# ------------------------------------------------------------------ TF-IDF


def test_tfidf_values_by_hand():
    # Two articles: "kurils treaty", "territories treaty"; sublinear tf (1 + ln 1 = 1), smooth idf:
    # idf(treaty) = ln(3/3) + 1 = 1; idf(kurils) = ln(3/2) + 1 = 1.4054651.
    # Article 1 before norm: (kurils 1.4054651, treaty 1); L2 norm = sqrt(1.9753321 + 1)
    # = 1.7249152, so kurils 0.8148025, treaty 0.5797387.
    articles = pd.DataFrame(
        {
            "file": ["a.txt", "b.txt"],
            "outlet": ["X", "Y"],
            "body": ["kurils treaty", "territories treaty"],
        }
    )
    per_outlet, per_article, _ = features.tfidf_tables(articles)
    row = per_article.set_index(["file", "term"])["score"]
    assert row["a.txt", "kurils"] == pytest.approx(0.8148025, abs=1e-6)
    assert row["a.txt", "treaty"] == pytest.approx(0.5797387, abs=1e-6)
    top = per_outlet[per_outlet["rank"] == 1].set_index("outlet")["term"]
    assert top.to_dict() == {"X": "kurils", "Y": "territories"}


def test_outlet_score_is_mean_of_article_weights():
    articles = pd.DataFrame(
        {
            "file": ["a", "b", "c"],
            "outlet": ["X", "X", "Y"],
            "body": ["islands dispute", "islands treaty treaty", "summit"],
        }
    )
    per_outlet, per_article, _ = features.tfidf_tables(articles, top_k_article=None)
    x = per_outlet.set_index(["outlet", "term"])["score"]
    a = per_article.set_index(["file", "term"])["score"]
    assert x["X", "islands"] == pytest.approx((a["a", "islands"] + a["b", "islands"]) / 2)
    assert x["X", "dispute"] == pytest.approx(a["a", "dispute"] / 2)


def test_stop_words_and_numbers_are_not_tfidf_features():
    articles = pd.DataFrame({"file": ["a"], "outlet": ["X"], "body": ["The islands in 2016"]})
    per_outlet, _, _ = features.tfidf_tables(articles)
    assert per_outlet["term"].tolist() == ["islands"], per_outlet


def test_tfidf_equals_scikit_learn():
    from sklearn.feature_extraction.text import TfidfTransformer

    rng = np.random.default_rng(5)
    counts = sp.csr_matrix(rng.poisson(0.4, (30, 12)).astype(np.int64))
    terms = np.array([f"w{i:02d}" for i in range(12)], dtype=object)
    for norm in ("l2", "l1", None):
        for sublinear in (True, False):
            for smooth in (True, False):
                s = features.TfidfSettings(norm=norm, sublinear_tf=sublinear, smooth_idf=smooth)
                got = features.tfidf_from_counts(features.TermCounts(counts, terms), s).matrix
                want = TfidfTransformer(norm=norm, sublinear_tf=sublinear, smooth_idf=smooth)
                want = want.fit_transform(counts.astype(float))
                assert np.allclose(got.toarray(), want.toarray(), rtol=1e-12), (norm, sublinear)


def test_stop_words_are_scikit_learns():
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    assert features.english_stop_words() == ENGLISH_STOP_WORDS


# ------------------------------------------------------------------ top terms per row


def test_top_k_ties_break_by_term_then_rank_is_dense_per_row():
    m = sp.csr_matrix(np.array([[0.5, 0.5, 0.9, 0.0], [0.0, 0.1, 0.1, 0.2]]))
    terms = np.array(["zeta", "alpha", "mid", "beta"], dtype=object)
    top = features.top_k_rows(m, terms, 2)
    assert top[top["row"] == 0]["term"].tolist() == ["mid", "alpha"], top
    assert top[top["row"] == 1]["term"].tolist() == ["beta", "alpha"], top
    assert top["rank"].tolist() == [1, 2, 1, 2]


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=1, max_value=6))
def test_top_k_rows_equals_full_sort(seed, k):
    rng = np.random.default_rng(seed)
    dense = (rng.random((9, 15)) < 0.5) * rng.integers(1, 4, (9, 15)) / 4  # many ties
    terms = np.array([f"t{(7 * i) % 15:02d}" for i in range(15)], dtype=object)
    got = features.top_k_rows(sp.csr_matrix(dense), terms, k)
    rows = []
    for r in range(9):
        entries = sorted((-v, terms[c], c) for c, v in enumerate(dense[r]) if v != 0)
        rows += [(r, t, -v, i + 1) for i, (v, t, _) in enumerate(entries[:k])]
    want = pd.DataFrame(rows, columns=["row", "term", "score", "rank"])
    assert got.values.tolist() == want.values.tolist()


def test_top_k_rows_in_several_blocks_equals_one_block(monkeypatch):
    rng = np.random.default_rng(2)
    m = sp.csr_matrix((rng.random((50, 40)) < 0.3) * rng.random((50, 40)))
    terms = np.array([f"t{i:02d}" for i in range(40)], dtype=object)
    whole = features.top_k_rows(m, terms, 5)
    monkeypatch.setattr(features, "ROW_BLOCK_ENTRIES", 37)
    pd.testing.assert_frame_equal(features.top_k_rows(m, terms, 5), whole)


def test_stacked_chunk_counts_keep_only_the_kept_articles_terms():
    """Counts of two chunks, each over its own vocabulary, stacked: the matrix of the articles
    kept equals ``count_matrix`` of their counts; a term seen only in a dropped article (a
    duplicate) is no column; columns are sorted."""
    kept_a = (["tokyo", "islands", "the"], [2, 1, 5])
    dropped = (["zebra", "tokyo"], [1, 1])
    kept_b = (["moscow", "the"], [3, 1])
    first = features.TermCounts(*features.count_matrix([kept_a, dropped]))
    second = features.TermCounts(*features.count_matrix([kept_b]))
    assert first.terms.tolist() == ["islands", "the", "tokyo", "zebra"]  # its own vocabulary
    stacked = features.stack_counts([first, second], np.array([True, False, True]))
    assert stacked.terms.tolist() == ["islands", "moscow", "the", "tokyo"]
    assert stacked.matrix.toarray().tolist() == [[1, 0, 5, 2], [0, 3, 1, 0]]
    matrix, terms = features.count_matrix([kept_a, kept_b])
    assert terms.tolist() == stacked.terms.tolist()
    assert (matrix != stacked.matrix).nnz == 0 and stacked.matrix.has_sorted_indices


def test_name_categories_are_the_lexicons_own():
    """A category is a name (compounded into one feature) when the lexicon calls it "… name":
    the Kuril lexicon's two, and another dispute's islet and sea names; never a framing."""
    import pandas as pd

    from wording import features, lexicon, paths

    kuril = lexicon.load_lexicon(paths.lexicon_csv())
    assert features.name_categories(kuril) == ["collective name", "island name"]
    other = pd.DataFrame(
        {
            "term_id": ["dokdo", "east_sea", "occupied"],
            "category": ["islet name", "sea name", "status framing"],
            "pattern": [r"\bdokdo\b", r"\beast\s+sea\b", r"\boccupied\b"],
        }
    )
    assert features.name_categories(other) == ["islet name", "sea name"]
    assert features.lexicon_phrases(other)["feature"].tolist() == ["dokdo", "east_sea"]
