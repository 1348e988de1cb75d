"""Contested terms and their mentions, by voice: who says "Southern Kurils", who "Northern
Territories", and in whose words.

The lexicon (``data/lexicon.csv``) holds one documented regular expression per term. Terms of one
category are joined into one alternation (the CSV's row order is the priority: most specific first),
so within a category a stretch of text is one term; terms of different categories may overlap.
Each category is matched in one compiled pass over every body joined by a separator, and offsets
are mapped back to articles with ``numpy.searchsorted``.

Each mention gets a voice: ``quoted`` when it falls inside a direct quotation, ``editorial`` when
it is in the outlet's own words -- including words the outlet inserts in square brackets inside a
quotation, and short unattributed scare quotes (see ``quote_spans``).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np
import pandas as pd

from wording.plots import SIDE_ORDER, VOICE_ORDER, outlet_order
from wording.text import WORD_RE, count_words_series

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


def _double_spans(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, closed) of double-quoted stretches, marks included.

    A quote left open at the end of a paragraph continues when the next paragraph starts with an
    opening mark (the news convention for multi-paragraph quotes); otherwise it ends with its
    paragraph, ``closed=False``. Stray closing marks are ignored; nothing raises.
    """
    spans: list[tuple[int, int, bool]] = []
    open_at: int | None = None
    pending_end: int | None = None  # end of the paragraph where an open quote was left
    for p_start, p_end in _paragraph_bounds(text):
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


def _single_spans(text: str, taken: list[tuple[int, int, bool]]) -> list[tuple[int, int, bool]]:
    """(start, end, True) of single-quoted quotations outside double quotes.

    An opening ‘ must be followed, in the same paragraph, by a closing ’; a plural possessive
    (``leaders’ talks``) is skipped as a closer unless no other closer exists. Unpaired single
    marks are apostrophes, not quotations.
    """
    spans: list[tuple[int, int, bool]] = []
    starts = np.array([s for s, _, _ in taken], dtype=np.int64)
    ends = np.array([e for _, e, _ in taken], dtype=np.int64)

    def inside_double(pos: int) -> bool:
        k = int(np.searchsorted(starts, pos, side="right")) - 1
        return k >= 0 and pos < ends[k]

    for p_start, p_end in _paragraph_bounds(text):
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
            k = int(np.searchsorted(starts, i, side="right"))
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


def _quote_rows(text: str) -> list[tuple]:
    """The rows of ``quote_spans`` as tuples in ``QUOTE_COLUMNS`` order, sorted by start."""
    double = _double_spans(text)
    single = _single_spans(text, double)
    # double quotes nested inside a single-quoted span belong to it
    merged = sorted(
        single + [d for d in double if not any(s <= d[0] and d[1] <= e for s, e, _ in single)]
    )
    paragraphs = _paragraph_bounds(text)
    p_starts = np.array([s for s, _ in paragraphs], dtype=np.int64)
    p_ends = np.array([e for _, e in paragraphs], dtype=np.int64)
    rows: list[tuple] = []
    previous: tuple[int, int, str] | None = None  # (paragraph, end, speaker) of the last quote
    for quote_id, (start, end, closed) in enumerate(merged):
        p_first = int(np.searchsorted(p_starts, start, side="right")) - 1
        p_last = int(np.searchsorted(p_starts, max(start, end - 1), side="right")) - 1
        inner_end = end - 1 if closed else end
        inner = text[start + 1 : inner_end]
        brackets = [
            (m.start() + start + 1, m.end() + start + 1) for m in BRACKET_RE.finditer(inner)
        ]
        n_words = len(WORD_RE.findall(BRACKET_RE.sub(" ", inner)))
        speaker, basis = "", ""
        if closed:
            last_char = inner.rstrip()[-1:] if inner.rstrip() else ""
            speaker = _speaker_after(text, end, int(p_ends[p_last]), last_char)
            basis = "after" if speaker else ""
        if not speaker:
            loose = n_words > SCARE_MAX_WORDS  # short quotes need a speaker right next to them
            speaker, basis = _speaker_before(text, start, int(p_starts[p_first]), loose)
        if not speaker and previous and previous[0] == p_first and previous[2]:
            # '"Part one," he said. "Part two."': only the attribution lies between them
            gap = text[previous[1] : start]
            if len(gap) <= 120 and SPEECH_VERB_RE.search(gap) and CONTINUATION_GAP_RE.match(gap):
                speaker, basis = previous[2], "previous"
        kind = "scare" if not speaker and n_words <= SCARE_MAX_WORDS else "direct"
        cuts = [start] + [x for b in brackets for x in b] + [end]
        for k in range(len(cuts) - 1):
            piece_start, piece_end = cuts[k], cuts[k + 1]
            if piece_end <= piece_start:
                continue
            piece_kind = "bracket" if k % 2 == 1 else kind
            rows.append(
                (quote_id, piece_start, piece_end, piece_kind, speaker, basis, closed, n_words)
            )
        previous = (p_last, end, speaker)
    return sorted(rows, key=lambda row: row[1])


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


# --- mentions and counts -----------------------------------------------------------------------


def _squash(text: str) -> str:
    """Concordance context on one line: every run of white space as one space."""
    return re.sub(r"\s+", " ", text)


def find_mentions(articles: pd.DataFrame, lexicon: pd.DataFrame) -> pd.DataFrame:
    """Every lexicon match in the article bodies, with its voice and speaker.

    Assumes ``articles`` has file, outlet and body (paragraphs separated by blank lines) and
    ``lexicon`` comes from ``load_lexicon``. Returns the ``MENTION_COLUMNS`` sorted by file,
    start, term_id; ``start``/``end`` are character offsets in ``body``.
    """
    bodies = articles["body"].fillna("").astype(str).reset_index(drop=True)
    files = articles["file"].astype(str).reset_index(drop=True)
    outlets = articles["outlet"].fillna("unknown").astype(str).reset_index(drop=True)
    joined = JOIN_SEPARATOR.join(bodies)
    lengths = bodies.str.len().to_numpy(dtype=np.int64)
    doc_starts = np.concatenate([[0], np.cumsum(lengths + len(JOIN_SEPARATOR))[:-1]]).astype(
        np.int64
    )

    found: list[tuple[int, int, str, str]] = []
    for pattern in category_patterns(lexicon).values():
        found += [(m.start(), m.end(), m.lastgroup, m.group()) for m in pattern.finditer(joined)]
    if not found or len(bodies) == 0:
        return pd.DataFrame({c: [] for c in MENTION_COLUMNS}).astype(_MENTION_DTYPES)
    g_start = np.array([f[0] for f in found], dtype=np.int64)
    g_end = np.array([f[1] for f in found], dtype=np.int64)
    doc = np.searchsorted(doc_starts, g_start, side="right") - 1
    start = g_start - doc_starts[doc]

    # paragraph number: paragraph breaks before the mention within its own body, plus one
    breaks = np.array([m.start() for m in PARAGRAPH_BREAK_RE.finditer(joined)], dtype=np.int64)
    paragraph = (
        np.searchsorted(breaks, g_start, side="right")
        - np.searchsorted(breaks, doc_starts[doc], side="left")
        + 1
    )

    # quotations only for the bodies that have a mention, in joined coordinates
    pieces = [
        (row[1] + doc_starts[d], row[2] + doc_starts[d], row[3], row[4])
        for d in np.unique(doc)
        for row in _quote_rows(bodies.iat[int(d)])
    ]
    q_start = np.array([p[0] for p in pieces], dtype=np.int64)
    q_end = np.array([p[1] for p in pieces], dtype=np.int64)
    q_kind = np.array([p[2] for p in pieces] + ["none"], dtype=object)  # last: not in a quote
    q_speaker = np.array([p[3] for p in pieces] + [""], dtype=object)
    k = np.searchsorted(q_start, g_start, side="right") - 1
    inside = (k >= 0) & (g_start < q_end[np.clip(k, 0, None)] if len(pieces) else False)
    k = np.where(inside, k, len(pieces))
    kind = q_kind[k]
    voice = np.where(kind == "direct", "quoted", "editorial")
    speaker = np.where(voice == "quoted", q_speaker[k], "")

    terms = lexicon.set_index("term_id")
    term_ids = [f[2] for f in found]
    left = [
        _squash(joined[max(doc_starts[d], s - KWIC_WIDTH) : s])
        for d, s in zip(doc, g_start, strict=True)
    ]
    right = [
        _squash(joined[e : min(doc_starts[d] + lengths[d], e + KWIC_WIDTH)])
        for d, e in zip(doc, g_end, strict=True)
    ]
    matched = [f[3] for f in found]
    mentions = pd.DataFrame(
        {
            "file": files.to_numpy()[doc],
            "outlet": outlets.to_numpy()[doc],
            "term_id": term_ids,
            "side": terms.loc[term_ids, "side"].to_numpy(),
            "category": terms.loc[term_ids, "category"].to_numpy(),
            "matched": matched,
            "voice": voice,
            "quote_kind": kind,
            "speaker": speaker,
            "body_paragraph": paragraph,
            "start": start,
            "end": g_end - doc_starts[doc],
            "kwic_left": left,
            "kwic_right": right,
            "kwic": [
                f"{a}\u27e6{_squash(m)}\u27e7{b}"
                for a, m, b in zip(left, matched, right, strict=True)
            ],
        }
    )
    mentions = mentions.astype(_MENTION_DTYPES)
    return mentions.sort_values(["file", "start", "term_id"], kind="mergesort").reset_index(
        drop=True
    )


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
