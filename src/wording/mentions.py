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
    "use",
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
    "use": "str",
}
# The finer reading of a mention's voice (``use``), in reporting order.
USE_ORDER = ["own", "gloss", "quoted", "bracketed", "scare"]
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


# --- naming formulas (glosses) -----------------------------------------------------------------
# A gloss names a term and attributes it to a side or actor: "which Russia calls X", "X, as Japan
# calls them", "known in Japan as X", "called X by Japan", "dubbed X". The formulas are read in a
# bounded window before and after each mention, so the work is linear in the mentions.

# Who a name is attributed to: one to three capitalised words ("Russia", "South Korea", "the
# Japanese government"). Must match "Tokyo", "the Kremlin", "Japan"; must not match "they" (a
# lower-case word is no named actor). Compiled case-sensitively; the formula words around it are
# case-insensitive groups.
ACTOR = (
    r"(?:(?i:the)\s+)?[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,2}"
    r"(?:\s+(?i:government|side|officials|authorities|media))?"
)
# A naming verb. Must match "calls", "called", "refers to as", "knows as", "dubs"; not "recalls".
NAMING_VERB = (
    r"(?i:\b(?:call(?:s|ed)?|name(?:s|d)?|refer(?:s|red)?\s+to\s+as|know(?:s)?\s+as|"
    r"term(?:s|ed)?|dub(?:s|bed)?))\b"
)
_OPEN = "[\"\u201c\u2018']?"  # a name may sit in quotation marks: what Japan calls the "..."
_CLOSE = "[\"\u201d\u2019']?"
_ARTICLE = r"(?:\s+(?i:the|its|their|his|her|our))?"  # the Southern Kurils, its "Northern ..."
_LEAD = rf"(?:\s+(?i:them|it))?(?:\s+(?i:as))?{_ARTICLE}\s+{_OPEN}$"
# After a relative pronoun the actor may be a pronoun: "the islands, which it calls the ...".
_RELATIVE_ACTOR = rf"(?:{ACTOR}|(?i:it|they|he|she|we))"
# The text just before a glossed name (searched in a window that ends at the mention). Must match
# "four islands which Russia calls the ", "what Tokyo calls ", "which it calls its \"", "Japan
# calls them ", "known in Japan as the ", "dubbed the ", and the second name of "which Russia
# calls A and Japan "; must not match "Moscow calls the " (there calls = declares: "Moscow calls
# the Kurils part of Russia").
GLOSS_BEFORE_RE = re.compile(
    rf"(?i:\b(?:which|that|what|whom))\s+{_RELATIVE_ACTOR}\s+{NAMING_VERB}{_LEAD}"
    rf"|\b{ACTOR}\s+{NAMING_VERB}\s+(?i:them|it)(?:\s+(?i:as))?(?:\s+(?i:the))?\s+{_OPEN}$"
    rf"|(?i:\bknown\s+(?:in|to|by|among)\s+){ACTOR}\s+(?i:as)(?:\s+(?i:the))?\s+{_OPEN}$"
    rf"|(?i:\b(?:dubbed|so-named))(?:\s+(?i:the))?\s+{_OPEN}$"
    rf"|(?i:\b(?:which|that|what))\s+{_RELATIVE_ACTOR}\s+{NAMING_VERB}[^.;\n]{{1,80}}?\s"
    rf"(?i:and|while|but|whereas)\s+{ACTOR}(?:\s+{NAMING_VERB})?{_LEAD}"
)
# A name followed by its attribution: "called X by Japan", "known as X in Russia", "referred to
# as X in Japan" (before) with "by Japan" (after). Must match "are called the " / " by Japan".
NAMED_BEFORE_RE = re.compile(
    rf"(?i:\b(?:called|named|termed|known\s+as|referred\s+to\s+as))(?:\s+(?i:the))?\s+{_OPEN}$"
)
NAMED_AFTER_RE = re.compile(rf"{_CLOSE}\s+(?i:by|in|to|among)\s+{ACTOR}")
# An attribution after the name: "X, as Japan calls them", "X (as they are known in Russia)".
# Must match ", as Russia calls them" and " (as they are known in Russia)"; must not match
# ", as Russia said".
GLOSS_AFTER_RE = re.compile(
    rf"{_CLOSE}\s*,?\s*\(?\s*(?i:as)\s+(?:{ACTOR}\s+{NAMING_VERB}\s+(?i:them|it)\b"
    rf"|(?i:they\s+are|it\s+is)\s+(?i:known|called)\s+(?i:in|to|by|among)\s+{ACTOR})"
)
_BEFORE_WINDOW = 160  # characters read before a mention for a naming formula
_AFTER_WINDOW = 80


def is_gloss(body: str, start: int, end: int, floor: int = 0) -> bool:
    """Whether the mention at ``body[start:end]`` is named by a naming formula that attributes it
    to an actor (``GLOSS_BEFORE_RE``, ``NAMED_BEFORE_RE`` + ``NAMED_AFTER_RE``,
    ``GLOSS_AFTER_RE``). Reads at most a fixed window each side, not before ``floor``."""
    before = body[max(floor, start - _BEFORE_WINDOW) : start]
    after = body[end : end + _AFTER_WINDOW]
    if GLOSS_BEFORE_RE.search(before) or GLOSS_AFTER_RE.match(after):
        return True
    return bool(NAMED_BEFORE_RE.search(before) and NAMED_AFTER_RE.match(after))


def use_of(kind: str, gloss: bool) -> str:
    """A mention's ``use`` from its quotation piece ``kind`` and whether a formula glosses it:
    an [insertion] is ``bracketed``, a direct quotation ``quoted`` (the speaker's words even when
    they gloss), then ``gloss``, a scare quote ``scare``, else ``own``."""
    if kind == "bracket":
        return "bracketed"
    if kind == "direct":
        return "quoted"
    if gloss:
        return "gloss"
    return "scare" if kind == "scare" else "own"


def mention_uses(body: str, spans: list[tuple[int, int]], kinds: list[str], floors: list[int]):
    """The ``use`` of each mention (``spans`` sorted by start, with the quotation kinds from
    ``quotes.voices`` and the start of each one's paragraph). A mention that holds a glossed
    mention is the naming formula itself ("Russia calls the Southern Kurils and Japan ..."):
    a gloss too. Linear: each mention looks only at mentions that start inside it."""
    found = [
        use_of(kind, kind not in ("direct", "bracket") and is_gloss(body, s, e, floor))
        for (s, e), kind, floor in zip(spans, kinds, floors, strict=True)
    ]
    for i, (start, end) in enumerate(spans):
        if found[i] != "own":
            continue
        j = i + 1
        while j < len(spans) and spans[j][0] < end:
            if found[j] == "gloss" and spans[j][1] <= end and spans[j] != (start, end):
                found[i] = "gloss"
                break
            j += 1
    return found


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
    paragraph = [max(bisect_right(p_starts, f[0]), 1) for f in found]
    used = mention_uses(
        body,
        [(f[0], f[2]) for f in found],
        [h[1] for h in heard],
        [p_starts[k - 1] for k in paragraph],
    )
    rows = []
    for (start, _, end, term_id, matched), (voice, kind, speaker), at, use in zip(
        found, heard, paragraph, used, strict=True
    ):
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
                at,
                start,
                end,
                left,
                right,
                f"{left}\u27e6{_squash(matched)}\u27e7{right}",
                use,
            )
        )
    return rows


def mentions_table(rows: list[tuple] | pd.DataFrame) -> pd.DataFrame:
    """The term_mentions table of ``article_mentions`` rows collected in article order (tuples,
    or a DataFrame of them with ``MENTION_COLUMNS``).

    Sorted by file, start, term_id; equal keys (a file name given twice) in article order.
    """
    table = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(rows, columns=MENTION_COLUMNS)
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
