"""Mentions of lexicon terms in article bodies, with their voice, and counts per outlet.

``article_mentions`` reads one article body: every match of each category's alternation
(``wording.lexicon``), the voice and speaker of each (``wording.quotes``), its paragraph and a
concordance line. It is pure and per-article, for any engine to map over a corpus;
``mentions_table`` and ``count_terms`` turn the collected rows into the build's tables.
"""

from __future__ import annotations

import re
from bisect import bisect_right

import numpy as np
import pandas as pd

from wording.lexicon import CompiledLexicon, compile_lexicon, re2_safe
from wording.order import VOICE_ORDER, outlet_order
from wording.quotes import voices
from wording.text import count_words_series, paragraph_spans

MENTION_COLUMNS = [
    "file",
    "outlet",
    "term_id",
    "side",
    "category",
    "matched",
    "voice",
    "quote_kind",
    "speaker",
    "body_paragraph",
    "start",
    "end",
    "kwic_left",
    "kwic_right",
    "kwic",
]
MENTION_DTYPES = {
    "file": "str",
    "outlet": "str",
    "term_id": "str",
    "side": "str",
    "category": "str",
    "matched": "str",
    "voice": "str",
    "quote_kind": "str",
    "speaker": "str",
    "body_paragraph": "int64",
    "start": "int64",
    "end": "int64",
    "kwic_left": "str",
    "kwic_right": "str",
    "kwic": "str",
}
TERM_COUNT_COLUMNS = [
    "outlet",
    "term_id",
    "side",
    "category",
    "voice",
    "mentions",
    "n_articles",
    "body_words",
    "per_1000_words",
]

# Characters of context each side of a mention in the concordance.
KWIC_WIDTH = 60
# A concordance line is one line: a run of white space other than one plain space (line breaks,
# NBSP, two spaces) becomes one space. Must match "\n\n", "  ", "\u00a0"; must not match " ".
SQUASH_RE = re.compile(r"\s\s+|[^\S ]")


def _squash(text: str) -> str:
    """``text`` with every run of white space as one plain space."""
    return SQUASH_RE.sub(" ", text)


def matches(body: str, lexicon: CompiledLexicon) -> list[tuple[int, int, str, str]]:
    """(start, end, term_id, matched) of every lexicon match in ``body``, category by category:
    within a category the matches of ``pattern.finditer(body)``.

    A category's RE2 twin does the work when it has one and ``body`` holds no character on which
    the engines differ (``lexicon.re2_safe``): about ten times faster than ``re`` here (see
    benchmarks/bench_matching.py), the same matches.
    """
    safe = re2_safe(body)
    found = []
    for pattern, twin in zip(lexicon.patterns, lexicon.twins, strict=True):
        engine = twin if safe and twin is not None else pattern
        found += [(m.start(), m.end(), m.lastgroup, m.group()) for m in engine.finditer(body)]
    return found


def article_mentions(file: str, outlet: str, body: str, lexicon: CompiledLexicon) -> list[tuple]:
    """Every lexicon match in one article body, as tuples in ``MENTION_COLUMNS`` order.

    Sorted by start offset, then term_id. ``start``/``end`` are character offsets in ``body``;
    ``body_paragraph`` counts the body's paragraphs (``text.paragraph_spans``) from 1.
    """
    found = sorted(
        (start, lexicon.rank[term_id], end, term_id, matched)
        for start, end, term_id, matched in matches(body, lexicon)
    )
    if not found:
        return []
    p_starts = [s for s, _ in paragraph_spans(body)]
    heard = voices(body, [f[0] for f in found])
    rows = []
    for (start, _, end, term_id, matched), (voice, kind, speaker) in zip(found, heard, strict=True):
        term = lexicon.by_id[term_id]
        left = _squash(body[max(0, start - KWIC_WIDTH) : start])
        right = _squash(body[end : end + KWIC_WIDTH])
        rows.append(
            (
                file,
                outlet,
                term_id,
                term.side,
                term.category,
                matched,
                voice,
                kind,
                speaker,
                max(bisect_right(p_starts, start), 1),
                start,
                end,
                left,
                right,
                f"{left}\u27e6{_squash(matched)}\u27e7{right}",
            )
        )
    return rows


def mentions_table(rows: list[tuple]) -> pd.DataFrame:
    """The term_mentions table of ``article_mentions`` rows collected in article order.

    Sorted by file, start, term_id; equal keys (a file name given twice) in article order.
    """
    table = pd.DataFrame(rows, columns=MENTION_COLUMNS)
    if len(table):
        # a multi-column sort in pandas is stable
        table = table.sort_values(["file", "start", "term_id"], kind="stable")
        table = table.reset_index(drop=True)
    return table.astype(MENTION_DTYPES)


def find_mentions(articles: pd.DataFrame, lexicon: pd.DataFrame | CompiledLexicon) -> pd.DataFrame:
    """``mentions_table`` of ``article_mentions`` of every article, in this process.

    Assumes ``articles`` has file, outlet and body (paragraphs separated by blank lines) and
    ``lexicon`` comes from ``load_lexicon`` (or ``compile_lexicon``).
    """
    compiled = lexicon if isinstance(lexicon, CompiledLexicon) else compile_lexicon(lexicon)
    files = articles["file"].astype(str).tolist()
    outlets = articles["outlet"].fillna("unknown").astype(str).tolist()
    bodies = articles["body"].fillna("").astype(str).tolist()
    rows = [
        row
        for file, outlet, body in zip(files, outlets, bodies, strict=True)
        for row in article_mentions(file, outlet, body, compiled)
    ]
    return mentions_table(rows)


def count_terms(
    mentions: pd.DataFrame, articles: pd.DataFrame, lexicon: pd.DataFrame | CompiledLexicon
) -> pd.DataFrame:
    """Mentions per outlet × term × voice, raw and per 1,000 body words, zeros included.

    Every outlet in ``articles`` gets a row for every lexicon term and voice. ``body_words`` is
    the sum of the outlet's articles' ``n_words`` (counted with ``WORD_RE`` if the column is
    absent). Sorted by the study's outlet order, then lexicon order, then voice order.
    """
    compiled = lexicon if isinstance(lexicon, CompiledLexicon) else compile_lexicon(lexicon)
    words = (
        articles["n_words"].astype("int64")
        if "n_words" in articles.columns
        else count_words_series(articles["body"])
    )
    outlet = articles["outlet"].fillna("unknown").astype(str)
    per_outlet = pd.DataFrame({"outlet": outlet.to_numpy(), "n_words": words.to_numpy()})
    totals = per_outlet.groupby("outlet", sort=False).agg(
        n_articles=("n_words", "size"), body_words=("n_words", "sum")
    )
    outlets = outlet_order(totals.index)
    terms = pd.DataFrame(
        [(t.term_id, t.side, t.category, k) for k, t in enumerate(compiled.terms)],
        columns=["term_id", "side", "category", "order"],
    )
    grid = pd.MultiIndex.from_product(
        [outlets, terms["term_id"], VOICE_ORDER], names=["outlet", "term_id", "voice"]
    ).to_frame(index=False)
    counted = (
        mentions.groupby(["outlet", "term_id", "voice"], sort=False).size().rename("mentions")
        if len(mentions)
        else pd.Series(dtype="int64", name="mentions")
    )
    table = grid.merge(terms, on="term_id", how="left")
    table = table.merge(
        counted.reset_index() if len(mentions) else grid.assign(mentions=0),
        on=["outlet", "term_id", "voice"],
        how="left",
    )
    table["mentions"] = table["mentions"].fillna(0).astype("int64")
    table = table.merge(totals, left_on="outlet", right_index=True, how="left")
    table["body_words"] = table["body_words"].astype("int64")
    table["n_articles"] = table["n_articles"].astype("int64")
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = table["mentions"] / table["body_words"].where(table["body_words"] > 0) * 1000
    table["per_1000_words"] = rate.astype("float64")
    table["outlet_rank"] = table["outlet"].map({o: i for i, o in enumerate(outlets)})
    table["voice_rank"] = table["voice"].map({v: i for i, v in enumerate(VOICE_ORDER)})
    table = table.sort_values(["outlet_rank", "order", "voice_rank"], kind="mergesort")
    return table[TERM_COUNT_COLUMNS].reset_index(drop=True)
