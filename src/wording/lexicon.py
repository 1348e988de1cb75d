"""Contested terms and their mentions, by voice: who says "Southern Kurils", who "Northern
Territories", and in whose words.

The lexicon (``data/lexicon.csv``) holds one documented regular expression per term. Terms of one
category are joined into one alternation (the CSV's row order is the priority: most specific first),
so within a category a stretch of text is one term; terms of different categories may overlap.
Bodies are joined by a separator in chunks of a few million characters; each category is matched
in one left-to-right pass over a chunk (a numpy prefilter skips to where a match can begin, see
``_prefilter``), and offsets are mapped back to articles with ``numpy.searchsorted``. Chunks are
shared among the CPUs; the result does not depend on how.

Each mention gets a voice: ``quoted`` when it falls inside a direct quotation, ``editorial`` when
it is in the outlet's own words -- including words the outlet inserts in square brackets inside a
quotation, and short unattributed scare quotes (see ``quote_spans``).
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import re
from bisect import bisect_right
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

try:  # CPython's parser of regular expressions (private): read by the matching prefilter
    from re import _constants as _sre
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - another Python: every category uses finditer
    _sre = _sre_parse = None

from wording.order import SIDE_ORDER, VOICE_ORDER, outlet_order
from wording.text import WORD_RE, count_words_series
from wording.workers import cpus, main_importable, worker_context

LEXICON_COLUMNS = ["term_id", "side", "category", "pattern", "note"]
# Optional: ``label`` (how charts name the term) and ``referent`` (what it names: island names of
# one island share it). Filled from term_id when absent or empty.
OPTIONAL_COLUMNS = ["label", "referent"]
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
QUOTE_COLUMNS = ["quote", "start", "end", "kind", "speaker", "speaker_basis", "closed", "n_words"]

# A quotation of at most this many words with no attributed speaker is a scare quote
# (`the "2+2" format`): the outlet's own wording set off, not someone else's voice.
SCARE_MAX_WORDS = 3
# Characters of context each side of a mention in the concordance.
KWIC_WIDTH = 60
# Bodies are joined with this separator for one regex pass per category: no lexicon pattern can
# match across it, because NUL is neither a word character nor white space.
JOIN_SEPARATOR = "\n\x00\n"

# A word start: a word character with none before it. Must match before "Kurils" in " Kurils"
# and at the start of a text; must not match inside "Kurils" or before a space.
WORD_START = r"(?<!\w)(?=\w)"

# A term_id is a Python identifier in lower case, because it names a regex group.
# Must match "southern_kurils", "iturup"; must not match "Southern Kurils", "1945_framing", "a-b".
TERM_ID_RE = re.compile(r"[a-z][a-z0-9_]*")

# A paragraph break: an empty line (possibly holding stray spaces) between two paragraphs.
# Must match "\n\n" and "\n \n"; must not match a single hard-wrap "\n".
PARAGRAPH_BREAK_RE = re.compile(r"\n[^\S\n]*\n\s*")

# Double quotation marks: straight, curly, low-9, reversed and guillemets. Whether each one opens or
# closes is decided from its neighbours (``_double_mark_role``), not from its shape alone.
DOUBLE_QUOTE_RE = re.compile(r"[\"\u201c\u201d\u201e\u201f\u00ab\u00bb]")
OPEN_SHAPES = "\u201c\u201e\u201f\u00ab"  # “ „ ‟ «
CLOSE_SHAPES = "\u201d\u00bb"  # ” »
# A mark preceded by one of these (or by white space / the start) can open a quotation.
OPEN_BEFORE = "([{\u2018\u201c\u201e\u00ab"
# A mark followed by one of these (or by white space / the end) can close a quotation.
CLOSE_AFTER = ".,;:!?)]}\u2026\u2019\u201d\u00bb\u2014\u2013-'\""

# An opening single quote: ‘ or ' (or ‚ ‹) at the start of a word, after white space, an opening
# bracket, a dash or a double quote mark. Must match the ‘ of "‘TWO-PLUS-TWO’" and the ' of
# "called it 'a trap'"; must not match the apostrophes of "Russia’s", "leaders’ talks", "don't".
SINGLE_OPEN_RE = re.compile(
    r"(?<![^\s(\[{\u2014\u2013/\"\u201c\u201d\u201e\u00ab])['\u2018\u201a\u2039](?=[^\W_])"
)
# A closing single quote: ’ or ' (or ›) after a non-space character and not followed by a letter
# or digit. Must match the ’ of "‘TWO-PLUS-TWO’:" and of "a trap’."; must not match "Russia’s" or
# "don't". It also matches the plural possessive "leaders’ talks", which is why a single quote
# only counts when an opening one precedes it (see ``_single_spans``).
SINGLE_CLOSE_RE = re.compile(r"(?<=\S)['\u2019\u203a](?![^\W_])")
# A plural possessive that looks like a closing single quote: s’ followed by a lower-case word.
# Must match "leaders’ talks"; must not match "islands’." or "Kurils’ And".
PLURAL_POSSESSIVE_RE = re.compile(r"(?<=[sS])['\u2019](?=\s+[a-z])")

# Square-bracketed words an editor inserts into a quotation: "[Southern Kurils]".
# Must match "[Japanese Prime Minister Shinzo]"; must not match across "] ... [" or over a newline
# pair, and not "[" without its "]".
BRACKET_RE = re.compile(r"\[[^\[\]\n]*\]")

# Where a sentence ends: terminal punctuation, optional closing quotes/brackets, then white space.
# Must match ". " in "islands. The", '." ' in 'war." The'; must not match "2+2" or "Kishida,".
SENTENCE_END_RE = re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]]*\s+")

# The text between two quotations of one speaker: attribution, then a clause end right before the
# next quote. Must match ' he said. ' and ', Kishida added, '; must not match
# ' Kishida said. The talks were the first ' (the next quote is inside a new editorial sentence).
CONTINUATION_GAP_RE = re.compile(r"[^\"\u201c\u201d\n]*[.,:;]\s*$")

# Verbs that attribute speech. "claimed" is left out on purpose: in this story it is mostly about
# territory ("claimed by Japan"), not speech.
SPEECH_VERBS = (
    r"said|says|say|told|tells|added|adds|wrote|writes|stated|states|noted|notes|explained|"
    r"stressed|stresses|emphasized|emphasised|insisted|declared|continued|concluded|remarked|"
    r"asked|asks|replied|answered|reported|reports|commented|argued|announced|warned|recalled|"
    r"quoted|cited|tweeted|posted|underlined|pointed\s+out"
)
# A speech verb as a whole word. Must match "said", "told", "also wrote" (the verb), "pointed out";
# must not match "saidi" or "unsaid".
SPEECH_VERB_RE = re.compile(rf"\b(?:{SPEECH_VERBS})\b", re.IGNORECASE)

# Attribution right after a closing quote, verb first: '," said Kishida' / '," according to TASS'.
# Must match ", said Kishida." and " according to the newspaper"; must not match " meeting said".
AFTER_VERB_FIRST_RE = re.compile(
    rf"^[^\S\n]*,?[^\S\n]*(?:(?:{SPEECH_VERBS})|according\s+to)\s+(?P<rest>[^\n]*)", re.IGNORECASE
)
# Attribution right before an opening quote: 'Nikkei also wrote that "', 'Kishida said: "',
# 'told Sputnik on Friday: "'. The speaker is read backwards from the verb (``_speaker_before``).
# Must match "Nikkei also wrote that ", "Kishida told reporters: "; must not match
# "Kishida said he intended to work in a " (a partial quote inside reported speech).
BEFORE_VERB_RE = re.compile(
    rf"\b(?P<verb>{SPEECH_VERBS})"
    r"(?:\s+(?:that|reporters|journalists|the\s+(?:press|media|newspaper)|in\s+a\s+statement|"
    r"on\s+\w+|(?-i:[A-Z][\w\u2019'.-]*)))*\s*[,:]?\s*$",
    re.IGNORECASE,
)
# 'according to X, "' before an opening quote. Must match "according to Nikkei, "; must not match
# "according to Nikkei the talks".
ACCORDING_BEFORE_RE = re.compile(
    r"\baccording\s+to\s+(?P<speaker>[^,;:\n\"\u201c\u201d]{1,80}?)\s*[,:]\s*$", re.IGNORECASE
)
# One token of a speaker's name or description: no white space, clause punctuation or quotes.
# Must match "Kishida", "Japan’s", "U.S"; must not match "," or a quote mark.
SPEAKER_TOKEN_RE = re.compile(r"[^\s,;:!?()\[\]\"\u201c\u201d\u2018\u2026]+")
# Words that end a speaker phrase when reading away from the verb.
_SPEAKER_STOP = {
    "that", "which", "who", "whom", "and", "but", "while", "when", "as", "if", "because",
    "after", "before", "in", "on", "at", "to", "for", "with", "from", "by", "during", "since",
    "adding", "where", "although", "though", "so", "than", "said", "told", "wrote",
}  # fmt: skip
# Adverbs and auxiliaries allowed between a speaker and the verb ("Nikkei also wrote").
_SPEAKER_ADVERBS = {
    "also", "further", "later", "then", "earlier", "reportedly", "previously", "had", "has",
    "have", "once", "again", "separately", "was", "quoted", "as",
}  # fmt: skip
_SPEAKER_MAX_TOKENS = 8


class LexiconError(ValueError):
    """A lexicon file that cannot be used: the message names the file, row and term_id."""


def load_lexicon(path: str | os.PathLike) -> pd.DataFrame:
    """Read and validate the lexicon CSV; return it with ``label``, ``referent`` and ``order``.

    Checks the columns, term_id syntax and uniqueness, side, and that every pattern compiles, has
    no named groups and cannot match the empty string. Raises ``LexiconError`` naming the file,
    the row (1 = first data row) and the term_id.
    """
    path = Path(path)
    name = path.name
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise LexiconError(f"{name}: cannot read the lexicon ({exc})") from exc
    return validate_lexicon(table, source=name)


def validate_lexicon(table: pd.DataFrame, source: str = "lexicon") -> pd.DataFrame:
    """Validate a lexicon table (see ``load_lexicon``); return a clean copy with ``order``."""
    missing = [c for c in LEXICON_COLUMNS if c not in table.columns]
    if missing:
        raise LexiconError(f"{source}: missing column(s) {', '.join(missing)}")
    lexicon = table.copy()
    for column in LEXICON_COLUMNS:
        lexicon[column] = lexicon[column].fillna("").astype(str).str.strip()
    seen: dict[str, int] = {}
    for row, term in enumerate(lexicon.itertuples(index=False), start=1):
        where = f"{source}: row {row} (term_id {term.term_id!r})"
        if not TERM_ID_RE.fullmatch(term.term_id):
            raise LexiconError(f"{where}: term_id must be lower-case letters, digits and _")
        if term.term_id in seen:
            raise LexiconError(f"{where}: duplicate term_id (first in row {seen[term.term_id]})")
        seen[term.term_id] = row
        if term.side not in SIDE_ORDER:
            raise LexiconError(f"{where}: side must be one of {', '.join(SIDE_ORDER)}")
        if not term.category:
            raise LexiconError(f"{where}: empty category")
        if not term.pattern:
            raise LexiconError(f"{where}: empty pattern")
        try:
            compiled = re.compile(term.pattern, re.IGNORECASE)
        except re.error as exc:
            raise LexiconError(f"{where}: bad regular expression ({exc})") from exc
        if compiled.groupindex:
            raise LexiconError(f"{where}: named groups are reserved; use (?:...)")
        if any(m.end() == m.start() for m in compiled.finditer(" a, b. ")):
            raise LexiconError(f"{where}: pattern can match the empty string")
    for column in OPTIONAL_COLUMNS:
        given = lexicon[column] if column in lexicon.columns else pd.Series("", index=lexicon.index)
        given = given.fillna("").astype(str).str.strip()
        lexicon[column] = given.where(given != "", lexicon["term_id"].str.replace("_", " "))
    lexicon["order"] = np.arange(len(lexicon), dtype=np.int64)
    return lexicon.reset_index(drop=True)


def category_patterns(lexicon: pd.DataFrame) -> dict[str, re.Pattern[str]]:
    """One compiled, case-insensitive alternation per category, terms as named groups.

    Within a category the lexicon's row order is the priority: at a given position the first
    term that matches wins, so "Southern Kurils" is ``southern_kurils``, never ``kuril_islands``.
    """
    patterns: dict[str, re.Pattern[str]] = {}
    for category, terms in lexicon.sort_values("order").groupby("category", sort=False):
        alternation = "|".join(
            f"(?P<{t.term_id}>{t.pattern})" for t in terms.itertuples(index=False)
        )
        # Speed: when every term starts at a word boundary, first skip to word starts (about
        # twice as fast over a large corpus; the same matches as long as each such pattern's
        # leading \b is followed by a word character, as in every lexicon term).
        if all(str(p).startswith(r"\b") for p in terms["pattern"]):
            alternation = rf"{WORD_START}(?:{alternation})"
        patterns[str(category)] = re.compile(alternation, re.IGNORECASE)
    return patterns


# --- quotations --------------------------------------------------------------------------------


def _paragraph_bounds(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph of ``text`` (separated by empty lines)."""
    bounds, start = [], 0
    for m in PARAGRAPH_BREAK_RE.finditer(text):
        bounds.append((start, m.start()))
        start = m.end()
    bounds.append((start, len(text)))
    return [(s, e) for s, e in bounds if e > s]


def _double_mark_role(text: str, i: int, inside: bool) -> str:
    """Whether the double quote mark at ``i`` opens or closes: context first, then shape/state."""
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    left_open = prev.isspace() or prev in OPEN_BEFORE
    right_close = nxt.isspace() or nxt in CLOSE_AFTER
    if left_open and not right_close:
        return "open"
    if right_close and not left_open:
        return "close"
    mark = text[i]
    if mark in OPEN_SHAPES:
        return "open"
    if mark in CLOSE_SHAPES:
        return "close"
    return "close" if inside else "open"


def _double_spans(
    text: str, paragraphs: list[tuple[int, int]] | None = None
) -> list[tuple[int, int, bool]]:
    """(start, end, closed) of double-quoted stretches, marks included.

    ``paragraphs`` (default: all of ``text``) limits the search to a run of paragraphs; the run
    must start with no quotation left open, i.e. after a paragraph without double marks.

    A quote left open at the end of a paragraph continues when the next paragraph starts with an
    opening mark (the news convention for multi-paragraph quotes); otherwise it ends with its
    paragraph, ``closed=False``. Stray closing marks are ignored; nothing raises.
    """
    spans: list[tuple[int, int, bool]] = []
    open_at: int | None = None
    pending_end: int | None = None  # end of the paragraph where an open quote was left
    for p_start, p_end in _paragraph_bounds(text) if paragraphs is None else paragraphs:
        marks = [m.start() for m in DOUBLE_QUOTE_RE.finditer(text, p_start, p_end)]
        first = 0
        if open_at is not None:
            lead = p_start + (len(text[p_start:p_end]) - len(text[p_start:p_end].lstrip()))
            continues = (
                bool(marks) and marks[0] == lead and _double_mark_role(text, lead, False) == "open"
            )
            if continues:
                first = 1
            else:
                spans.append((open_at, pending_end, False))
                open_at = None
        for i in marks[first:]:
            role = _double_mark_role(text, i, open_at is not None)
            if role == "open":
                if open_at is not None:  # a new quote opens before the last one closed
                    spans.append((open_at, i, False))
                open_at = i
            elif open_at is not None:
                spans.append((open_at, i + 1, True))
                open_at = None
        pending_end = p_end
    if open_at is not None:
        spans.append((open_at, pending_end if pending_end is not None else len(text), False))
    return [(s, e, c) for s, e, c in spans if e > s]


def _single_spans(
    text: str,
    taken: list[tuple[int, int, bool]],
    paragraphs: list[tuple[int, int]] | None = None,
) -> list[tuple[int, int, bool]]:
    """(start, end, True) of single-quoted quotations outside double quotes.

    An opening ‘ must be followed, in the same paragraph, by a closing ’; a plural possessive
    (``leaders’ talks``) is skipped as a closer unless no other closer exists. Unpaired single
    marks are apostrophes, not quotations. ``taken`` (the double spans) is sorted by start.
    """
    spans: list[tuple[int, int, bool]] = []
    starts = [s for s, _, _ in taken]
    ends = [e for _, e, _ in taken]

    def inside_double(pos: int) -> bool:
        k = bisect_right(starts, pos) - 1
        return k >= 0 and pos < ends[k]

    for p_start, p_end in _paragraph_bounds(text) if paragraphs is None else paragraphs:
        cursor = p_start
        for opener in SINGLE_OPEN_RE.finditer(text, p_start, p_end):
            i = opener.start()
            if i < cursor or inside_double(i):
                continue
            closers = [
                m.start()
                for m in SINGLE_CLOSE_RE.finditer(text, i + 1, p_end)
                if not inside_double(m.start())
            ]
            if not closers:
                continue
            plain = [c for c in closers if not PLURAL_POSSESSIVE_RE.match(text, c)]
            close = plain[0] if plain else closers[0]
            # a single-quoted span must not swallow part of a double-quoted one
            k = bisect_right(starts, i)
            if k < len(starts) and starts[k] < close:
                continue
            spans.append((i, close + 1, True))
            cursor = close + 1
    return spans


def _speaker_tokens_before(prefix: str) -> str:
    """The speaker phrase that ends ``prefix`` (the text up to a speech verb), read backwards.

    Stops at punctuation, at a clause word (``_SPEAKER_STOP``) or after eight words; skips
    adverbs next to the verb ("Nikkei also wrote" -> "Nikkei").
    """
    phrase: list[str] = []
    end = len(prefix.rstrip())
    for token in reversed(list(SPEAKER_TOKEN_RE.finditer(prefix, 0, end))):
        if prefix[token.end() : end].strip():
            break  # punctuation between this word and the phrase
        word = token.group()
        low = word.lower()
        if not phrase and low in _SPEAKER_ADVERBS:
            end = token.start()
            continue
        if low in _SPEAKER_STOP:
            break
        phrase.append(word)
        end = token.start()
        if len(phrase) >= _SPEAKER_MAX_TOKENS:
            break
    return " ".join(reversed(phrase)).strip(" .")


def _speaker_after(text: str, close_end: int, para_end: int, quote_end_char: str) -> str:
    """The speaker attributed right after a closing quote, or ''."""
    rest = text[close_end : min(para_end, close_end + 200)]
    first_word = re.match(r"[^\S\n]*,?[^\S\n]*([^\W\d_])", rest)
    if quote_end_char == "." and not (first_word and first_word.group(1).islower()):
        return ""  # a new sentence starts after the quote: no attribution there
    verb_first = AFTER_VERB_FIRST_RE.match(rest)
    if verb_first:
        words = []
        for token in re.finditer(r"\S+", verb_first.group("rest")):
            word = token.group()
            bare = word.rstrip(".,;:!?")
            if bare.lower() in _SPEAKER_STOP or not bare:
                break
            words.append(bare)
            if bare != word or len(words) >= _SPEAKER_MAX_TOKENS:
                break
        return " ".join(words)
    head = re.match(r"[^\S\n]*,?[^\S\n]*", rest)
    body = rest[head.end() :] if head else rest
    verb = SPEECH_VERB_RE.search(body)
    if not verb:
        return ""
    between = body[: verb.start()]
    tokens = between.split()
    if not tokens or len(tokens) > _SPEAKER_MAX_TOKENS:
        return ""
    if re.search(r"[,;:!?\"\u201c\u201d()]|[.](?=\s)", between):
        return ""
    while tokens and tokens[0].lower() in {"and", "but", "while", "so"}:
        tokens = tokens[1:]
    while tokens and tokens[-1].lower() in _SPEAKER_ADVERBS:
        tokens = tokens[:-1]
    return " ".join(tokens)


def _speaker_before(text: str, open_at: int, para_start: int, loose: bool) -> tuple[str, str]:
    """(speaker, basis) attributed in the same sentence before an opening quote.

    Strict: the speech verb leads straight into the quote ("Nikkei also wrote that"). With
    ``loose``, a speaker and speech verb anywhere earlier in the sentence also count (a partial
    quote inside reported speech: 'Kishida said the islands were "inherent territory"').
    """
    window = text[max(para_start, open_at - 300) : open_at]
    ends = list(SENTENCE_END_RE.finditer(window))
    prefix = window[ends[-1].end() :] if ends else window
    according = ACCORDING_BEFORE_RE.search(prefix)
    if according:
        return according.group("speaker").strip(), "before"
    verb = BEFORE_VERB_RE.search(prefix)
    if verb:
        speaker = _speaker_tokens_before(prefix[: verb.start()])
        if speaker:
            return speaker, "before"
    if not loose:
        return "", ""
    for verb in reversed(list(SPEECH_VERB_RE.finditer(prefix))):
        speaker = _speaker_tokens_before(prefix[: verb.start()])
        if speaker:
            return speaker, "sentence"
    return "", ""


def quote_spans(text: str) -> pd.DataFrame:
    """Direct quotations in ``text``: one row per piece, sorted by start, non-overlapping.

    Columns: quote (id), start, end (marks included), kind, speaker, speaker_basis, closed,
    n_words. ``kind`` is "direct", "scare" (no attributed speaker and at most ``SCARE_MAX_WORDS``
    words) or "bracket" (a square-bracketed insertion inside a quotation: the outlet's words).
    Double quotes of any shape, single quotes when an opening one is paired, quotes across
    sentences and multi-paragraph quotes are found; unbalanced marks never raise.
    """
    rows = _quote_rows(text) if isinstance(text, str) and text else []
    table = pd.DataFrame(rows, columns=QUOTE_COLUMNS).astype(_QUOTE_DTYPES)
    return table.sort_values("start", kind="mergesort").reset_index(drop=True)


def _quotations(text: str, paragraphs: list[tuple[int, int]]) -> list[tuple[int, int, bool]]:
    """(start, end, closed) of the quotations in ``paragraphs``, sorted, non-overlapping."""
    double = _double_spans(text, paragraphs)
    single = _single_spans(text, double, paragraphs)
    # double quotes nested inside a single-quoted span belong to it
    return sorted(
        single + [d for d in double if not any(s <= d[0] and d[1] <= e for s, e, _ in single)]
    )


def _own_attribution(
    text: str, span: tuple[int, int, bool], p_starts: list[int], p_ends: list[int]
) -> tuple[int, int, list[tuple[int, int]], int, str, str]:
    """(first paragraph, last paragraph, brackets, n_words, speaker, basis) of one quotation,
    the speaker from its own sentence only (not yet from the quotation before it)."""
    start, end, closed = span
    p_first = bisect_right(p_starts, start) - 1
    p_last = bisect_right(p_starts, max(start, end - 1)) - 1
    inner_end = end - 1 if closed else end
    inner = text[start + 1 : inner_end]
    brackets = [(m.start() + start + 1, m.end() + start + 1) for m in BRACKET_RE.finditer(inner)]
    n_words = len(WORD_RE.findall(BRACKET_RE.sub(" ", inner)))
    speaker, basis = "", ""
    if closed:
        last_char = inner.rstrip()[-1:] if inner.rstrip() else ""
        speaker = _speaker_after(text, end, p_ends[p_last], last_char)
        basis = "after" if speaker else ""
    if not speaker:
        loose = n_words > SCARE_MAX_WORDS  # short quotes need a speaker right next to them
        speaker, basis = _speaker_before(text, start, p_starts[p_first], loose)
    return p_first, p_last, brackets, n_words, speaker, basis


def _continues(gap: str) -> bool:
    """Whether only an attribution lies between two quotations: '"Part one," he said. "Part
    two."' -- the second then has the first one's speaker."""
    return len(gap) <= 120 and bool(SPEECH_VERB_RE.search(gap) and CONTINUATION_GAP_RE.match(gap))


def _pieces(
    quote_id: int,
    span: tuple[int, int, bool],
    brackets: list[tuple[int, int]],
    kind: str,
    speaker: str,
    basis: str,
    n_words: int,
) -> list[tuple]:
    """The rows of one quotation: its stretches between bracketed insertions, and those."""
    start, end, closed = span
    cuts = [start] + [x for b in brackets for x in b] + [end]
    rows = []
    for k in range(len(cuts) - 1):
        if cuts[k + 1] > cuts[k]:
            piece_kind = "bracket" if k % 2 == 1 else kind
            rows.append(
                (quote_id, cuts[k], cuts[k + 1], piece_kind, speaker, basis, closed, n_words)
            )
    return rows


def _quote_rows(text: str, paragraphs: list[tuple[int, int]] | None = None) -> list[tuple]:
    """The rows of ``quote_spans`` as tuples in ``QUOTE_COLUMNS`` order, sorted by start."""
    if paragraphs is None:
        paragraphs = _paragraph_bounds(text)
    p_starts = [s for s, _ in paragraphs]
    p_ends = [e for _, e in paragraphs]
    rows: list[tuple] = []
    previous: tuple[int, int, str] | None = None  # (paragraph, end, speaker) of the last quote
    for quote_id, span in enumerate(_quotations(text, paragraphs)):
        p_first, p_last, brackets, n_words, speaker, basis = _own_attribution(
            text, span, p_starts, p_ends
        )
        if not speaker and previous and previous[0] == p_first and previous[2]:
            if _continues(text[previous[1] : span[0]]):
                speaker, basis = previous[2], "previous"
        kind = "scare" if not speaker and n_words <= SCARE_MAX_WORDS else "direct"
        rows += _pieces(quote_id, span, brackets, kind, speaker, basis, n_words)
        previous = (p_last, span[1], speaker)
    return sorted(rows, key=lambda row: row[1])


def _voice_at(
    text: str, paragraphs: list[tuple[int, int]], quotations: list[tuple[int, int, bool]], at: int
) -> tuple[str, str]:
    """(kind, speaker) of the quotation piece holding offset ``at``, as in ``_quote_rows`` for
    the same ``paragraphs``; ("none", "") outside quotations. Attributes only that quotation
    (and the ones before it whose speaker it may take over)."""
    i = bisect_right([q[0] for q in quotations], at) - 1
    if i < 0 or at >= quotations[i][1]:
        return "none", ""
    p_starts = [s for s, _ in paragraphs]
    p_ends = [e for _, e in paragraphs]
    own = {i: _own_attribution(text, quotations[i], p_starts, p_ends)}
    # walk back while a quotation may take its speaker over from the one before it
    k = i
    while not own[k][4] and k > 0:
        before = bisect_right(p_starts, max(quotations[k - 1][0], quotations[k - 1][1] - 1)) - 1
        if before != own[k][0]:
            break
        k -= 1
        own[k] = _own_attribution(text, quotations[k], p_starts, p_ends)
    speaker = own[k][4]
    for j in range(k + 1, i + 1):
        if not own[j][4] and speaker and own[j - 1][1] == own[j][0]:
            speaker = speaker if _continues(text[quotations[j - 1][1] : quotations[j][0]]) else ""
        else:
            speaker = own[j][4]
    _, _, brackets, n_words, _, _ = own[i]
    kind = "scare" if not speaker and n_words <= SCARE_MAX_WORDS else "direct"
    cuts = [quotations[i][0]] + [x for b in brackets for x in b]
    if bisect_right(cuts, at) % 2 == 0:  # inside a bracketed insertion
        return "bracket", speaker
    return kind, speaker


_QUOTE_DTYPES = {
    "quote": "int64",
    "start": "int64",
    "end": "int64",
    "kind": "str",
    "speaker": "str",
    "speaker_basis": "str",
    "closed": "bool",
    "n_words": "int64",
}


# --- fast matching over many bodies ------------------------------------------------------------
#
# Python's ``re`` cannot skip ahead to likely match starts in a case-insensitive alternation, so a
# plain ``finditer`` tries every term at every word of the corpus. The prefilter below reads, from
# each category's parsed pattern, the few strings a match can begin with (its first
# ``PREFIX_LEN`` characters: "south", "kuril", "the ru" ...), finds the places where the text
# begins so with numpy, and runs the compiled pattern only there, left to right, skipping places
# inside the last match: the same matches as ``finditer``, found in a fraction of the time. A
# category whose beginnings cannot be read (an unusual construct, too many variants, a possible
# empty match) is matched with ``finditer``.

# Bodies are matched in chunks of about this many characters: bounds memory, and is the unit of
# work when several processes share the matching (results do not depend on either).
CHUNK_CHARS = 4_000_000
# Fewer characters than this in all are matched in this process: starting worker processes would
# cost more than they save.
PARALLEL_MIN_CHARS = 8_000_000
# Leading characters of a match that the prefilter compares (6 bits each in an int64 key).
PREFIX_LEN = 8
# A category that can begin in more ways than this is matched without the prefilter.
MAX_PREFIXES = 512
# The characters of DOUBLE_QUOTE_RE, and the opening marks of SINGLE_OPEN_RE: a quotation
# starts with one of them, so a mention in a paragraph with none of them is in no quotation.
DOUBLE_MARKS = '"\u201c\u201d\u201e\u201f\u00ab\u00bb'
SINGLE_OPENERS = "'\u2018\u201a\u2039"
# A run of white space other than one plain space: what ``_squash`` replaces (same result as
# replacing every run of white space, fewer replacements).
SQUASH_RE = re.compile(r"\s\s+|[^\S ]")

# The prefilter's alphabet: symbol 0 is any other character, 1..37 these characters (upper case
# folded to lower), and _SPACE_SYMBOL any white space.
_WORD_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789_"
_SPACE_SYMBOL = len(_WORD_ALPHABET) + 1


def _ascii_symbol_table() -> np.ndarray:
    """Prefilter symbol of each byte value (ASCII characters; anything else is 0)."""
    table = np.zeros(256, dtype=np.uint8)
    for code in range(128):
        char = chr(code).lower()
        if char in _WORD_ALPHABET:
            table[code] = _WORD_ALPHABET.index(char) + 1
        elif char.isspace():
            table[code] = _SPACE_SYMBOL
    return table


_ASCII_SYMBOLS = _ascii_symbol_table()
_IS_WORD = np.zeros(256, dtype=bool)  # which symbols are word characters
_IS_WORD[1 : len(_WORD_ALPHABET) + 1] = True


@functools.lru_cache(maxsize=4096)
def _non_ascii_symbol(char: str) -> int:
    """Prefilter symbol of a non-ASCII character; -1 when it has no single one.

    White space is _SPACE_SYMBOL; a character that an ASCII letter matches case-insensitively
    (Kelvin sign, long s, dotted and dotless i) takes that letter's symbol; others are 0.
    """
    if char.isspace():
        return _SPACE_SYMBOL
    partners = [
        k for k, a in enumerate(_WORD_ALPHABET, start=1) if re.fullmatch(a, char, re.IGNORECASE)
    ]
    if len(partners) > 1:
        return -1
    return partners[0] if partners else 0


class _Scan(NamedTuple):
    """What one pass of numpy over a text finds: see ``_scan``."""

    symbols: np.ndarray  # prefilter symbol of each character, then PREFIX_LEN zeros
    exact: bool  # False when some character has no single symbol: no prefilter then
    quote_marks: np.ndarray  # sorted offsets of DOUBLE_MARKS and SINGLE_OPENERS
    squash_marks: np.ndarray  # sorted offsets of white space that ``_squash`` changes


def _scan(text: str) -> _Scan:
    """Symbols, quotation marks and white space of ``text``, read with numpy: ASCII characters
    from the text's ASCII encoding (one "?" per other character), the others by code point."""
    raw = np.frombuffer(text.encode("ascii", "replace"), dtype=np.uint8)
    symbols = np.zeros(len(raw) + PREFIX_LEN, dtype=np.uint8)
    symbols[: len(raw)] = _ASCII_SYMBOLS[raw]
    marks = np.flatnonzero((raw == ord('"')) | (raw == ord("'")))
    exact = True
    if not text.isascii():
        other = np.flatnonzero(raw == ord("?"))
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)[other]
        distinct, which = np.unique(codes, return_inverse=True)
        symbol = np.array([_non_ascii_symbol(chr(c)) for c in distinct.tolist()], dtype=np.int64)
        is_mark = np.array([chr(c) in DOUBLE_MARKS + SINGLE_OPENERS for c in distinct.tolist()])
        exact = not (symbol < 0).any()
        symbols[other] = np.maximum(symbol, 0)[which]
        marks = np.union1d(marks, other[is_mark[which]])
    space = symbols[: len(raw)] == _SPACE_SYMBOL
    # a stretch that squashing changes holds white space other than " ", or two in a row
    changed = space & (raw != ord(" "))
    changed[:-1] |= space[:-1] & space[1:]
    return _Scan(
        symbols=symbols,
        exact=bool(exact),
        quote_marks=marks.astype(np.int64),
        squash_marks=np.flatnonzero(changed),
    )


def _item_symbols(op: object, av: object) -> set[str] | None:
    """Characters one parsed item can match, as lower-case ASCII word characters and " " (any
    white space); None when it may match any other character."""
    if op is _sre.LITERAL:
        chars = [chr(av)]
    elif op is _sre.IN:
        chars = []
        for kind, value in av:
            if kind is _sre.LITERAL:
                chars.append(chr(value))
            elif kind is _sre.RANGE and value[1] - value[0] < 64:
                chars += map(chr, range(value[0], value[1] + 1))
            elif kind is _sre.CATEGORY and value is _sre.CATEGORY_SPACE:
                chars.append(" ")
            else:
                return None
    else:
        return None
    symbols = set()
    for char in chars:
        if char.isspace():
            symbols.add(" ")
        elif char.isascii() and char.lower() in _WORD_ALPHABET:
            symbols.add(char.lower())
        else:
            return None
    return symbols


_Beginnings = set[tuple[str, bool]]  # (prefix so far, whether it can still grow)


def _growable(states: _Beginnings) -> bool:
    return any(grows and len(prefix) < PREFIX_LEN for prefix, grows in states)


def _grow(items: list, states: _Beginnings) -> _Beginnings | None:
    """The beginnings of matches of the parsed ``items`` after each of ``states``; None when
    there are too many. A beginning stops growing at an item it cannot follow."""
    for op, av in items:
        if not _growable(states):
            break
        if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
            continue  # zero width: a superset of beginnings is still correct
        if op is _sre.SUBPATTERN:
            grown = _grow(av[-1].data, states)
        elif op is getattr(_sre, "ATOMIC_GROUP", None):
            grown = _grow(av.data, states)
        elif op is _sre.BRANCH:
            grown = set()
            for alternative in av[1]:
                part = _grow(alternative.data, states)
                if part is None:
                    return None
                grown |= part
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)):
            grown = _grow_repeat(av, states)
        else:
            symbols = _item_symbols(op, av)
            if symbols is None:
                return {(prefix, False) for prefix, _ in states}
            grown = {
                (prefix + symbol, True)
                for prefix, grows in states
                if grows and len(prefix) < PREFIX_LEN
                for symbol in symbols
            } | {(p, g) for p, g in states if not (g and len(p) < PREFIX_LEN)}
        if grown is None or len(grown) > MAX_PREFIXES:
            return None
        states = grown
    return states


def _grow_repeat(av: tuple, states: _Beginnings) -> _Beginnings | None:
    """``_grow`` for a repeated item: each allowed count, then stop growing where more
    repetitions could follow that were not spelled out."""
    low, high, body = av
    result = set(states) if low == 0 else set()
    current, count = states, 0
    while count < high and count < low + PREFIX_LEN and _growable(current):
        current = _grow(body.data, current)
        if current is None:
            return None
        count += 1
        if count >= low:
            result |= current
    if count < low:  # nothing grows any more: longer repetitions begin the same way
        result |= current
    if count < high and _growable(current):
        result = {(p, g and len(p) >= PREFIX_LEN) for p, g in result}
    return result


def _beginnings(pattern: re.Pattern[str]) -> set[str] | None:
    """Strings (of at most PREFIX_LEN lower-case ASCII word characters and " " for any white
    space) one of which, compared case-insensitively, begins every match of ``pattern``; None
    when they cannot be read (an unusual construct, too many, or a match may be empty)."""
    if _sre is None or pattern.flags & (re.ASCII | re.LOCALE):
        return None
    try:
        states = _grow(_sre_parse.parse(pattern.pattern, pattern.flags).data, {("", True)})
    except Exception:  # an unusual pattern: no prefilter, same matches
        return None
    prefixes = {prefix for prefix, _ in states} if states is not None else {""}
    if "" in prefixes:
        return None
    # a beginning that extends a shorter one adds nothing
    return {p for p in prefixes if not any(q != p and p.startswith(q) for q in prefixes)}


@functools.lru_cache(maxsize=64)
def _prefilter(pattern: re.Pattern[str]) -> tuple | None:
    """How to find the places where ``pattern`` can match, or None (use ``finditer``).

    Returns (pairs, keys, at_word_start): which first two symbols a match can start with (a
    4096-entry mask), the sorted int64 keys of its ``_beginnings`` by length, and whether it
    matches only at word starts. Cached: the arrays are read, never written.
    """
    prefixes = _beginnings(pattern)
    if prefixes is None:
        return None
    code = {c: k for k, c in enumerate(_WORD_ALPHABET, start=1)} | {" ": _SPACE_SYMBOL}
    pairs = np.zeros(64 * 64, dtype=bool)
    by_length: dict[int, list[int]] = {}
    for prefix in prefixes:
        key = 0
        for char in prefix:
            key = (key << 6) | code[char]
        by_length.setdefault(len(prefix), []).append(key)
        if len(prefix) == 1:
            pairs[key << 6 : (key + 1) << 6] = True
        else:
            pairs[(code[prefix[0]] << 6) | code[prefix[1]]] = True
    keys = tuple((n, np.array(sorted(k), dtype=np.int64)) for n, k in sorted(by_length.items()))
    return pairs, keys, pattern.pattern.startswith(WORD_START)


def _places(symbols: np.ndarray, starts: np.ndarray, pairs: np.ndarray) -> tuple:
    """(positions, pair codes, keys) of the ``starts`` whose first two symbols are in ``pairs``;
    a key packs the PREFIX_LEN symbols from the position, 6 bits each."""
    pair = (symbols[starts].astype(np.int64) << 6) | symbols[starts + 1]
    keep = pairs[pair]
    positions, pair = starts[keep], pair[keep]
    key = pair.copy()
    for j in range(2, PREFIX_LEN):
        key = (key << 6) | symbols[positions + j]
    return positions, pair, key


def _candidates(places: tuple, prefilter: tuple) -> np.ndarray:
    """Sorted positions, among ``places``, where the text begins as a match of the prefiltered
    pattern can."""
    positions, pair, key = places
    pairs, keys, _ = prefilter
    keep = pairs[pair]
    positions, key = positions[keep], key[keep]
    hit = np.zeros(len(positions), dtype=bool)
    for length, known in keys:
        head = key >> (6 * (PREFIX_LEN - length))
        at = np.minimum(np.searchsorted(known, head), len(known) - 1)
        hit |= known[at] == head
    return positions[hit]


def _category_matches(
    text: str, scan: _Scan, patterns: list[re.Pattern[str]], prefilters: list[tuple | None]
) -> list[tuple[int, int, str, str]]:
    """(start, end, term_id, matched) of every match, category by category; within a category
    the same matches as ``pattern.finditer(text)``."""
    found: list[tuple[int, int, str, str]] = []
    symbols = scan.symbols if scan.exact else None
    places: dict[bool, tuple] = {}  # at word starts / anywhere: positions, pairs, keys
    for pattern, prefilter in zip(patterns, prefilters, strict=True):
        if prefilter is None or symbols is None:
            found += [(m.start(), m.end(), m.lastgroup, m.group()) for m in pattern.finditer(text)]
            continue
        at_word_start = prefilter[2]
        if at_word_start not in places:
            union = np.logical_or.reduce(
                [f[0] for f in prefilters if f is not None and f[2] == at_word_start]
            )
            real = symbols[: len(text)]
            if at_word_start:
                word = _IS_WORD[real]
                starts = np.flatnonzero(word[1:] > word[:-1]) + 1
                if len(word) and word[0]:
                    starts = np.concatenate([[0], starts])
            else:
                starts = np.flatnonzero(real > 0)
            places[at_word_start] = _places(symbols, starts, union)
        last, match = 0, pattern.match
        for position in _candidates(places[at_word_start], prefilter).tolist():
            if position >= last and (m := match(text, position)):
                found.append((m.start(), m.end(), m.lastgroup, m.group()))
                last = m.end()
    return found


# --- mentions and counts -----------------------------------------------------------------------


def _squash(text: str) -> str:
    """Concordance context on one line: every run of white space as one space."""
    return SQUASH_RE.sub(" ", text)


def _voices_in_body(
    body: str, offsets: list[int], paragraphs: list[tuple[int, int]] | None = None
) -> list[tuple[str, str]]:
    """(kind, speaker) of the quotation piece at each offset of ``body`` ("none" outside one).

    Reads the quotations of the run of paragraphs with double marks around each offset's
    paragraph (just that paragraph when it has none): no quotation crosses a paragraph without
    a double mark, so the run holds every quotation that can reach the offset. ``paragraphs``:
    ``_paragraph_bounds(body)`` when already known.
    """
    if paragraphs is None:
        paragraphs = _paragraph_bounds(body)
    p_starts = [s for s, _ in paragraphs]
    marked: dict[int, bool] = {}  # whether a paragraph has a double mark, read when needed
    blocks: dict[tuple[int, int], list[tuple[int, int, bool]]] = {}
    found = []
    for at in offsets:
        p = bisect_right(p_starts, at) - 1
        if p < 0:
            found.append(("none", ""))
            continue
        a = b = p
        if _has_double(body, paragraphs, p, marked):
            while a > 0 and _has_double(body, paragraphs, a - 1, marked):
                a -= 1
            while b + 1 < len(paragraphs) and _has_double(body, paragraphs, b + 1, marked):
                b += 1
        if (a, b) not in blocks:
            blocks[a, b] = _quotations(body, paragraphs[a : b + 1])
        found.append(_voice_at(body, paragraphs[a : b + 1], blocks[a, b], at))
    return found


def _has_double(
    text: str, paragraphs: list[tuple[int, int]], p: int, seen: dict[int, bool]
) -> bool:
    """Whether paragraph ``p`` has a double quotation mark (remembered in ``seen``)."""
    if p not in seen:
        seen[p] = DOUBLE_QUOTE_RE.search(text, *paragraphs[p]) is not None
    return seen[p]


def _voices(
    bodies: list[str],
    doc_starts: np.ndarray,
    doc: np.ndarray,
    g_start: np.ndarray,
    breaks: tuple[np.ndarray, np.ndarray],
    scan: _Scan,
) -> tuple[np.ndarray, np.ndarray]:
    """(quote kind, speaker) of each mention at ``g_start`` (offsets in the bodies joined, whose
    paragraph breaks start and end at ``breaks``): "none" and "" outside quotations.

    Quotations are read only for mentions whose paragraph has a quotation mark at all.
    """
    kinds = np.full(len(g_start), "none", dtype=object)
    speakers = np.full(len(g_start), "", dtype=object)
    if not len(scan.quote_marks):
        return kinds, speakers
    b_start, b_end = breaks
    # a mention's paragraph: from the end of the break before it (its start, for a mention inside
    # a break) to the start of the next break. The text's breaks differ from a body's own only in
    # white space at the body's edges, which holds no quotation mark.
    k = np.searchsorted(b_start, g_start, side="right")
    starts = np.concatenate([[0], b_start])[k]
    ends = np.concatenate([[0], b_end])[k]
    region_start = np.where(g_start < ends, starts, ends)
    region_end = np.concatenate([b_start, [len(scan.symbols)]])[k]
    marks = scan.quote_marks
    flagged = np.searchsorted(marks, region_end) > np.searchsorted(marks, region_start)
    local = g_start - doc_starts[doc]
    by_doc: dict[int, list[int]] = {}
    for i in np.flatnonzero(flagged).tolist():
        by_doc.setdefault(int(doc[i]), []).append(i)
    docs = list(by_doc)
    offsets = doc_starts[docs]
    first_break = np.searchsorted(b_start, offsets).tolist()
    last_break = np.searchsorted(b_start, offsets + [len(bodies[d]) for d in docs]).tolist()
    b_start_list, b_end_list = b_start.tolist(), b_end.tolist()
    for d, offset, a, b in zip(docs, offsets.tolist(), first_break, last_break, strict=True):
        mentions = by_doc[d]
        body = bodies[d]
        paragraphs = None
        if body and not body[0].isspace() and not body[-1].isspace():
            # a body with no white space at its edges has the text's breaks inside it
            cuts = [0]
            for s, e in zip(b_start_list[a:b], b_end_list[a:b], strict=True):
                cuts += (s - offset, e - offset)
            cuts.append(len(body))
            paragraphs = [
                (cuts[j], cuts[j + 1]) for j in range(0, len(cuts), 2) if cuts[j + 1] > cuts[j]
            ]
        found = _voices_in_body(body, [int(local[i]) for i in mentions], paragraphs)
        for i, (kind, speaker) in zip(mentions, found, strict=True):
            kinds[i] = kind
            speakers[i] = speaker if kind == "direct" else ""
    return kinds, speakers


def _kwic_side(text: str, starts: np.ndarray, ends: np.ndarray, scan: _Scan) -> list[str]:
    """``_squash(text[a:b])`` for each (a, b); only stretches holding white space that squashing
    changes are squashed."""
    marks = scan.squash_marks
    changed = (np.searchsorted(marks, ends) > np.searchsorted(marks, starts)).tolist()
    return [
        _squash(text[a:b]) if c else text[a:b]
        for a, b, c in zip(starts.tolist(), ends.tolist(), changed, strict=True)
    ]


def _chunk_mentions(
    bodies: list[str],
    lead: bool,
    trail: bool,
    patterns: list[re.Pattern[str]],
    prefilters: list[tuple | None],
) -> dict[str, object] | None:
    """The mention columns of a run of consecutive bodies (``doc`` counts within the run).

    The bodies are joined by JOIN_SEPARATOR, with one more before (``lead``) and after
    (``trail``) when other bodies precede or follow, so each body is matched in the same
    surroundings as in one join of all bodies.
    """
    sep = JOIN_SEPARATOR
    text = (sep if lead else "") + sep.join(bodies) + (sep if trail else "")
    lengths = np.fromiter(map(len, bodies), dtype=np.int64, count=len(bodies))
    doc_starts = (len(sep) if lead else 0) + np.concatenate(
        [[0], np.cumsum(lengths + len(sep))[:-1]]
    ).astype(np.int64)
    scan = _scan(text)
    found = _category_matches(text, scan, patterns, prefilters)
    if not found:
        return None
    g_start = np.array([f[0] for f in found], dtype=np.int64)
    g_end = np.array([f[1] for f in found], dtype=np.int64)
    doc = np.searchsorted(doc_starts, g_start, side="right") - 1
    # paragraph number: paragraph breaks before the mention within its own body, plus one
    spans = [m.span() for m in PARAGRAPH_BREAK_RE.finditer(text)]
    breaks = np.array([s for s, _ in spans], dtype=np.int64)
    paragraph = (
        np.searchsorted(breaks, g_start, side="right")
        - np.searchsorted(breaks, doc_starts[doc], side="left")
        + 1
    )
    ends = np.array([e for _, e in spans], dtype=np.int64)
    kinds, speakers = _voices(bodies, doc_starts, doc, g_start, (breaks, ends), scan)
    left = _kwic_side(text, np.maximum(doc_starts[doc], g_start - KWIC_WIDTH), g_start, scan)
    right_end = np.minimum(doc_starts[doc] + lengths[doc], g_end + KWIC_WIDTH)
    right = _kwic_side(text, g_end, right_end, scan)
    matched = [f[3] for f in found]
    inner = _kwic_side(text, g_start, g_end, scan)
    return {
        "doc": doc,
        "start": g_start - doc_starts[doc],
        "end": g_end - doc_starts[doc],
        "term_id": [f[2] for f in found],
        "matched": matched,
        "quote_kind": kinds,
        "speaker": speakers,
        "body_paragraph": paragraph.astype(np.int64),
        "kwic_left": left,
        "kwic_right": right,
        "kwic": [f"{a}\u27e6{m}\u27e7{b}" for a, m, b in zip(left, inner, right, strict=True)],
    }


def _chunk_ranges(lengths: list[int], chunk_chars: int) -> list[tuple[int, int]]:
    """(first, stop) body indices of consecutive runs of about ``chunk_chars`` characters."""
    ranges, first, size = [], 0, 0
    for i, n in enumerate(lengths):
        size += n + len(JOIN_SEPARATOR)
        if size >= chunk_chars:
            ranges.append((first, i + 1))
            first, size = i + 1, 0
    if first < len(lengths):
        ranges.append((first, len(lengths)))
    return ranges


def _run_chunks(jobs: list[tuple], n_chars: int) -> list[dict[str, object] | None]:
    """``_chunk_mentions`` of each job, in order: in worker processes when there are several
    chunks and CPUs and at least PARALLEL_MIN_CHARS characters, else (or when no process can be
    started) in this one."""
    workers = min(cpus(), len(jobs))
    if (
        workers > 1
        and n_chars >= PARALLEL_MIN_CHARS
        and not multiprocessing.current_process().daemon
        and main_importable()
    ):
        try:
            with ProcessPoolExecutor(workers, mp_context=worker_context()) as pool:
                return list(pool.map(_chunk_mentions, *zip(*jobs, strict=True)))
        except (OSError, BrokenProcessPool):
            pass  # the same work, in this process
    return [_chunk_mentions(*job) for job in jobs]


def find_mentions(articles: pd.DataFrame, lexicon: pd.DataFrame) -> pd.DataFrame:
    """Every lexicon match in the article bodies, with its voice and speaker.

    Assumes ``articles`` has file, outlet and body (paragraphs separated by blank lines) and
    ``lexicon`` comes from ``load_lexicon``. Returns the ``MENTION_COLUMNS`` sorted by file,
    start, term_id; ``start``/``end`` are character offsets in ``body``. Large inputs are
    matched in chunks of bodies, shared among the available CPUs; the result is the same.
    """
    bodies = articles["body"].fillna("").astype(str).tolist()
    files = articles["file"].astype(str).to_numpy(dtype=object)
    outlets = articles["outlet"].fillna("unknown").astype(str).to_numpy(dtype=object)
    patterns = list(category_patterns(lexicon).values())
    prefilters = [_prefilter(p) for p in patterns]
    lengths = [len(b) for b in bodies]
    ranges = _chunk_ranges(lengths, CHUNK_CHARS)
    jobs = [(bodies[a:b], a > 0, b < len(bodies), patterns, prefilters) for a, b in ranges]
    parts = _run_chunks(jobs, sum(lengths))
    found = [(a, part) for (a, _), part in zip(ranges, parts, strict=True) if part is not None]
    if not found:
        return pd.DataFrame({c: [] for c in MENTION_COLUMNS}).astype(_MENTION_DTYPES)
    columns = {
        name: np.concatenate([np.asarray(part[name], dtype=object) for _, part in found])
        for name in [
            "term_id",
            "matched",
            "quote_kind",
            "speaker",
            "kwic_left",
            "kwic_right",
            "kwic",
        ]
    }
    doc = np.concatenate([part["doc"] + a for a, part in found])
    start = np.concatenate([part["start"] for _, part in found])
    end = np.concatenate([part["end"] for _, part in found])
    paragraph = np.concatenate([part["body_paragraph"] for _, part in found])
    # file, start, term_id; equal keys (a file name given twice) in article order
    file_rank = pd.factorize(files, sort=True)[0]
    term_rank = {t: k for k, t in enumerate(sorted(lexicon["term_id"]))}
    terms = np.array([term_rank[t] for t in columns["term_id"]], dtype=np.int64)
    order = np.lexsort((doc, terms, start, file_rank[doc]))
    doc = doc[order]
    kind = columns["quote_kind"][order]
    voice = np.where(kind == "direct", "quoted", "editorial").astype(object)
    term_ids = columns["term_id"][order]
    by_term = lexicon.set_index("term_id")
    mentions = pd.DataFrame(
        {
            "file": files[doc],
            "outlet": outlets[doc],
            "term_id": term_ids,
            "side": by_term["side"].to_numpy(dtype=object)[by_term.index.get_indexer(term_ids)],
            "category": by_term["category"].to_numpy(dtype=object)[
                by_term.index.get_indexer(term_ids)
            ],
            "matched": columns["matched"][order],
            "voice": voice,
            "quote_kind": kind,
            "speaker": columns["speaker"][order],
            "body_paragraph": paragraph[order],
            "start": start[order],
            "end": end[order],
            "kwic_left": columns["kwic_left"][order],
            "kwic_right": columns["kwic_right"][order],
            "kwic": columns["kwic"][order],
        }
    )
    return mentions.astype(_MENTION_DTYPES)


_MENTION_DTYPES = {
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


def count_terms(
    mentions: pd.DataFrame, articles: pd.DataFrame, lexicon: pd.DataFrame
) -> pd.DataFrame:
    """Mentions per outlet × term × voice, raw and per 1,000 body words, zeros included.

    Every outlet in ``articles`` gets a row for every lexicon term and voice. ``body_words`` is
    the sum of the outlet's articles' ``n_words`` (counted with ``WORD_RE`` if the column is
    absent). Sorted by the study's outlet order, then lexicon order, then voice order.
    """
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
    terms = lexicon.sort_values("order")[["term_id", "side", "category", "order"]]
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
    columns = [
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
    return table[columns].reset_index(drop=True)
