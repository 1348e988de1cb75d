"""Direct quotations in an article body, who speaks in them, and the voice of a mention.

A mention is in the ``quoted`` voice when it falls inside a direct quotation, and ``editorial``
when it is in the outlet's own words -- including words the outlet inserts in square brackets
inside a quotation, and short unattributed scare quotes. The quotations of a body are found once
(``quote_rows``) and each offset is placed in them by binary search (``voices``), so the work is
linear in what a body holds. Quotation-mark characters and paragraphs come from ``wording.text``.
"""

from __future__ import annotations

import re
from bisect import bisect_right

import pandas as pd

from wording.text import (
    CLOSE_SHAPES,
    DOUBLE_MARKS,
    DOUBLE_QUOTE_RE,
    OPEN_SHAPES,
    SENTENCE_END_RE,
    SINGLE_CLOSERS,
    SINGLE_OPENERS,
    WORD_RE,
    paragraph_spans,
)

QUOTE_COLUMNS = ["quote", "start", "end", "kind", "speaker", "speaker_basis", "closed", "n_words"]
QUOTE_DTYPES = {
    "quote": "int64",
    "start": "int64",
    "end": "int64",
    "kind": "str",
    "speaker": "str",
    "speaker_basis": "str",
    "closed": "bool",
    "n_words": "int64",
}

# A quotation of at most this many words with no attributed speaker is a scare quote
# (`the "2+2" format`): the outlet's own wording set off, not someone else's voice.
SCARE_MAX_WORDS = 3

# A double mark preceded by one of these (or by white space / the start) can open a quotation.
OPEN_BEFORE = "([{\u2018\u201c\u201e\u00ab"
# A double mark followed by one of these (or by white space / the end) can close a quotation.
CLOSE_AFTER = ".,;:!?)]}\u2026\u2019\u201d\u00bb\u2014\u2013-'\""

# An opening single quote (one of SINGLE_OPENERS) at the start of a word, after white space, an
# opening bracket, a dash or a double quote mark. Must match the ‘ of "‘TWO-PLUS-TWO’" and the '
# of "called it 'a trap'"; must not match the apostrophes of "Russia’s", "leaders’ talks", "don't".
SINGLE_OPEN_RE = re.compile(
    rf"(?<![^\s(\[{{\u2014\u2013/\"\u201c\u201d\u201e\u00ab])[{SINGLE_OPENERS}](?=[^\W_])"
)
# A closing single quote (one of SINGLE_CLOSERS) after a non-space character and not followed by
# a letter or digit. Must match the ’ of "‘TWO-PLUS-TWO’:" and of "a trap’."; must not match
# "Russia’s" or "don't". It also matches the plural possessive "leaders’ talks", which is why a
# single quote only counts when an opening one precedes it (see ``_single_spans``).
SINGLE_CLOSE_RE = re.compile(rf"(?<=\S)[{SINGLE_CLOSERS}](?![^\W_])")
# A plural possessive that looks like a closing single quote: s’ followed by a lower-case word.
# Must match "leaders’ talks"; must not match "islands’." or "Kurils’ And".
PLURAL_POSSESSIVE_RE = re.compile(r"(?<=[sS])['\u2019](?=\s+[a-z])")

# Square-bracketed words an editor inserts into a quotation: "[Southern Kurils]".
# Must match "[Japanese Prime Minister Shinzo]"; must not match across "] ... [" or over a newline
# pair, and not "[" without its "]".
BRACKET_RE = re.compile(r"\[[^\[\]\n]*\]")

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
# How far before an opening quote, and after a closing one, attribution is looked for.
_BEFORE_WINDOW = 300
_AFTER_WINDOW = 200

Span = tuple[int, int, bool]  # (start, end, closed) of a quotation, marks included


# --- quotation spans ---------------------------------------------------------------------------


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


def _double_spans(text: str, paragraphs: list[tuple[int, int]]) -> list[Span]:
    """(start, end, closed) of double-quoted stretches, marks included, sorted.

    A quote left open at the end of a paragraph continues when the next paragraph starts with an
    opening mark (the news convention for multi-paragraph quotes); otherwise it ends with its
    paragraph, ``closed=False``. Stray closing marks are ignored; nothing raises.
    """
    spans: list[Span] = []
    open_at: int | None = None
    pending_end: int | None = None  # end of the paragraph where an open quote was left
    for p_start, p_end in paragraphs:
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


def _single_spans(text: str, double: list[Span], paragraphs: list[tuple[int, int]]) -> list[Span]:
    """(start, end, True) of single-quoted quotations outside double quotes, sorted.

    An opening ‘ must be followed, in the same paragraph, by a closing ’; a plural possessive
    (``leaders’ talks``) is skipped as a closer unless no other closer exists. Unpaired single
    marks are apostrophes, not quotations. ``double`` is sorted by start and non-overlapping.
    The closers of a paragraph are read once; each opener finds its closer by binary search.
    """
    spans: list[Span] = []
    starts = [s for s, _, _ in double]
    ends = [e for _, e, _ in double]

    def inside_double(pos: int) -> bool:
        k = bisect_right(starts, pos) - 1
        return k >= 0 and pos < ends[k]

    for p_start, p_end in paragraphs:
        cursor = p_start
        closers: list[int] | None = None  # read at the first opener of the paragraph
        for opener in SINGLE_OPEN_RE.finditer(text, p_start, p_end):
            i = opener.start()
            if i < cursor or inside_double(i):
                continue
            if closers is None:
                closers = [
                    m.start()
                    for m in SINGLE_CLOSE_RE.finditer(text, p_start, p_end)
                    if not inside_double(m.start())
                ]
                plain = [c for c in closers if not PLURAL_POSSESSIVE_RE.match(text, c)]
            k = bisect_right(closers, i)
            if k == len(closers):
                continue
            k_plain = bisect_right(plain, i)
            close = plain[k_plain] if k_plain < len(plain) else closers[k]
            # a single-quoted span must not swallow part of a double-quoted one
            d = bisect_right(starts, i)
            if d < len(starts) and starts[d] < close:
                continue
            spans.append((i, close + 1, True))
            cursor = close + 1
    return spans


def _quotations(text: str, paragraphs: list[tuple[int, int]]) -> list[Span]:
    """(start, end, closed) of the quotations of ``text``, sorted, non-overlapping: double and
    single quotes, a double quote nested inside a single-quoted span belonging to it."""
    double = _double_spans(text, paragraphs)
    single = _single_spans(text, double, paragraphs)
    s_starts = [s for s, _, _ in single]

    def nested(span: Span) -> bool:
        # single spans do not overlap: only the last one starting at or before can hold it
        k = bisect_right(s_starts, span[0]) - 1
        return k >= 0 and span[1] <= single[k][1]

    return sorted(single + [d for d in double if not nested(d)])


# --- speakers ----------------------------------------------------------------------------------


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
    rest = text[close_end : min(para_end, close_end + _AFTER_WINDOW)]
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


def _sentence_start(text: str, open_at: int, window_start: int) -> int:
    """Where the sentence holding the opening quote at ``open_at`` begins (at the earliest
    ``window_start``), by ``text.SENTENCE_END_RE``; the regex sees the quote and the character
    after it, which tell whether a new sentence starts there."""
    start = window_start
    for end in SENTENCE_END_RE.finditer(text, window_start, min(len(text), open_at + 2)):
        if end.end() > open_at:
            break
        start = end.end()
    return start


def _speaker_before(text: str, open_at: int, para_start: int, loose: bool) -> tuple[str, str]:
    """(speaker, basis) attributed in the same sentence before an opening quote.

    Strict: the speech verb leads straight into the quote ("Nikkei also wrote that"). With
    ``loose``, a speaker and speech verb anywhere earlier in the sentence also count (a partial
    quote inside reported speech: 'Kishida said the islands were "inherent territory"').
    """
    window_start = max(para_start, open_at - _BEFORE_WINDOW)
    prefix = text[_sentence_start(text, open_at, window_start) : open_at]
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


def _own_attribution(
    text: str, span: Span, p_starts: list[int], p_ends: list[int]
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


# --- quotation pieces and voice ----------------------------------------------------------------


def quote_rows(text: str) -> list[tuple]:
    """The quotations of ``text`` as tuples in ``QUOTE_COLUMNS`` order, sorted by start and
    non-overlapping: each quotation cut into its stretches between bracketed insertions (kind
    "bracket") and those. Linear in the length of ``text``."""
    if not text:
        return []
    paragraphs = paragraph_spans(text)
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
        start, end, closed = span
        cuts = [start] + [x for b in brackets for x in b] + [end]
        for k in range(len(cuts) - 1):
            if cuts[k + 1] > cuts[k]:
                piece = "bracket" if k % 2 == 1 else kind
                rows.append(
                    (quote_id, cuts[k], cuts[k + 1], piece, speaker, basis, closed, n_words)
                )
        previous = (p_last, end, speaker)
    return sorted(rows, key=lambda row: row[1])


def quote_spans(text: str) -> pd.DataFrame:
    """Direct quotations in ``text``: one row per piece, sorted by start, non-overlapping.

    Columns: quote (id), start, end (marks included), kind, speaker, speaker_basis, closed,
    n_words. ``kind`` is "direct", "scare" (no attributed speaker and at most ``SCARE_MAX_WORDS``
    words) or "bracket" (a square-bracketed insertion inside a quotation: the outlet's words).
    Double quotes of any shape, single quotes when an opening one is paired, quotes across
    sentences and multi-paragraph quotes are found; unbalanced marks never raise.
    """
    rows = quote_rows(text) if isinstance(text, str) else []
    return pd.DataFrame(rows, columns=QUOTE_COLUMNS).astype(QUOTE_DTYPES)


def voice_of(kind: str) -> str:
    """The voice of a mention in a quotation piece of ``kind`` ("none" outside quotations):
    ``quoted`` in a direct quotation, ``editorial`` anywhere else."""
    return "quoted" if kind == "direct" else "editorial"


def voices(text: str, offsets: list[int]) -> list[tuple[str, str, str]]:
    """(voice, quote kind, speaker) at each offset of ``text``: the quotation piece holding it
    ("none" outside quotations) and its speaker for a direct quotation, else "".

    The quotations are read once; each offset is placed by binary search.
    """
    if not offsets:
        return []
    if not any(mark in text for mark in DOUBLE_MARKS + SINGLE_OPENERS):
        return [("editorial", "none", "")] * len(offsets)  # every quotation opens with a mark
    rows = quote_rows(text)
    starts = [row[1] for row in rows]
    found = []
    for at in offsets:
        k = bisect_right(starts, at) - 1
        if k < 0 or at >= rows[k][2]:
            found.append(("editorial", "none", ""))
            continue
        kind = rows[k][3]
        found.append((voice_of(kind), kind, rows[k][4] if kind == "direct" else ""))
    return found
