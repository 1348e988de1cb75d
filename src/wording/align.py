"""Word-level alignment of two sentences that tell the same fact, and what recurs across pairs.

The words are ``text.WORD_RE`` words compared in lower case with straight apostrophes
(``reuse.normalised_words``); difflib's ``SequenceMatcher`` (through cydifflib, its compiled port
with the same results, as ``passage_diff`` uses it; no autojunk) finds the longest runs both
sentences keep. Between kept runs, a stretch present on both sides is a swap ("claimed by" /
"handed over to"), a stretch on one side only is a word added (only in the counterpart) or
dropped (only in the sentence) — qualifiers such as "permanent", "formal" or "effectively" show
up there.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import cydifflib
import pandas as pd

from wording.reuse import normalised_words

SEP = "; "  # between the items of a list cell
ARROW = " -> "  # between the two sides of a swap
MAX_SWAP = 5  # words on either side of a swap at most; a longer differing stretch is a rewrite


def opcodes(a: Sequence[str], b: Sequence[str]) -> list[tuple[str, list[str], list[str]]]:
    """The alignment of word lists ``a`` and ``b``: (op, a's words, b's words) with op one of
    "equal" (kept), "replace" (swapped), "delete" (dropped: only in a), "insert" (added: only
    in b), in reading order."""
    matcher = cydifflib.SequenceMatcher(None, list(a), list(b), autojunk=False)
    return [(op, list(a[i1:i2]), list(b[j1:j2])) for op, i1, i2, j1, j2 in matcher.get_opcodes()]


def compare(text_a: str, text_b: str) -> dict[str, str]:
    """The wording of two sentences compared: shared_words (kept runs), differing_words (every
    stretch that differs, "a-words -> b-words", "-" for nothing), swapped (replaced stretches of
    at most ``MAX_SWAP`` words on each side; longer ones are rewrites, in differing_words only),
    added (only in b), dropped (only in a); each a ``SEP``-joined text."""
    return compare_words(normalised_words(text_a), normalised_words(text_b))


def compare_words(words_a: Sequence[str], words_b: Sequence[str]) -> dict[str, str]:
    """``compare`` of two sentences' normalised words."""
    ops = opcodes(words_a, words_b)
    kept = [" ".join(x) for op, x, _ in ops if op == "equal"]
    swapped = [
        f"{' '.join(x)}{ARROW}{' '.join(y)}"
        for op, x, y in ops
        if op == "replace" and len(x) <= MAX_SWAP and len(y) <= MAX_SWAP
    ]
    added = [" ".join(y) for op, _, y in ops if op == "insert"]
    dropped = [" ".join(x) for op, x, _ in ops if op == "delete"]
    differing = [
        f"{' '.join(x) or '-'}{ARROW}{' '.join(y) or '-'}" for op, x, y in ops if op != "equal"
    ]
    return {
        "shared_words": SEP.join(kept),
        "differing_words": SEP.join(differing),
        "swapped": SEP.join(swapped),
        "added": SEP.join(added),
        "dropped": SEP.join(dropped),
    }


def compare_pairs(texts_a: Sequence[str], texts_b: Sequence[str]) -> pd.DataFrame:
    """``compare`` of each pair, one row per pair (index 0..n-1). Each distinct (a, b) pair of
    texts is compared once: copy repeats the same sentences across many articles."""
    columns = ["shared_words", "differing_words", "swapped", "added", "dropped"]
    pairs = pd.DataFrame({"a": list(texts_a), "b": list(texts_b)}, dtype=object)
    if pairs.empty:
        return pd.DataFrame(columns=columns)
    code, distinct = pd.MultiIndex.from_frame(pairs).factorize()
    texts = pd.unique(pd.Series([*distinct.get_level_values(0), *distinct.get_level_values(1)]))
    words = {t: normalised_words(t) for t in texts}  # each distinct text once
    rows = pd.DataFrame([compare_words(words[a], words[b]) for a, b in distinct], columns=columns)
    return rows.iloc[code].reset_index(drop=True)


def outlet_pairs(table: pd.DataFrame) -> pd.DataFrame:
    """Per ordered pair of different outlets (outlet, counterpart_outlet): facts both report (the
    mutual counterpart pairs between them), how many of those differ on a lexicon term (the
    sets of contested terms differ), and that share."""
    pairs = table[table["mutual"] & ~table["same_outlet"]]
    if pairs.empty:
        return pd.DataFrame(
            columns=["outlet", "counterpart_outlet", "facts", "term_differs", "share"]
        )
    grouped = pairs.groupby(["outlet", "counterpart_outlet"], sort=True)
    out = grouped.agg(facts=("fact_id", "size"), term_differs=("term_differs", "sum"))
    out["share"] = out["term_differs"] / out["facts"]
    return out.reset_index()


def substitutions(table: pd.DataFrame, min_count: int = 1) -> pd.DataFrame:
    """Recurring swaps between outlets: per (outlet, counterpart_outlet, writes, other_writes),
    how many mutual pairs of different outlets hold the swap, most frequent first; kept when at
    least ``min_count``. Each pair counts once per swap; both directions are listed."""
    pairs = table[table["mutual"] & ~table["same_outlet"]]
    counts: Counter = Counter()
    for outlet, other, swapped in zip(
        pairs["outlet"], pairs["counterpart_outlet"], pairs["swapped"], strict=True
    ):
        for item in dict.fromkeys(filter(None, str(swapped).split(SEP))):
            x, _, y = item.partition(ARROW)
            counts[outlet, other, x, y] += 1
    rows = [(*k, n) for k, n in counts.items() if n >= min_count]
    out = pd.DataFrame(
        rows, columns=["outlet", "counterpart_outlet", "writes", "other_writes", "n"]
    )
    return out.sort_values(
        ["n", "outlet", "counterpart_outlet", "writes"], ascending=[False, True, True, True]
    ).reset_index(drop=True)


def term_substitutions(table: pd.DataFrame, lexicon: pd.DataFrame) -> pd.DataFrame:
    """Contested terms that replace each other for the same referent: per (outlet,
    counterpart_outlet, term, counterpart_term), the mutual pairs of different outlets in which
    the sentence uses ``term`` and its counterpart ``counterpart_term`` (another term with the
    same lexicon referent, not used in the sentence), most frequent first."""
    referent = dict(zip(lexicon["term_id"], lexicon["referent"].fillna(""), strict=True))
    pairs = table[table["mutual"] & ~table["same_outlet"]]
    counts: Counter = Counter()
    for outlet, other, mine, theirs in zip(
        pairs["outlet"], pairs["counterpart_outlet"], pairs["terms"], pairs["counterpart_terms"],
        strict=True,
    ):  # fmt: skip
        a = set(filter(None, str(mine).split(";")))
        b = set(filter(None, str(theirs).split(";")))
        for x in sorted(a - b):
            for y in sorted(b - a):
                if referent.get(x) and referent.get(x) == referent.get(y):
                    counts[outlet, other, x, y] += 1
    rows = [(*k, n) for k, n in counts.items()]
    columns = ["outlet", "counterpart_outlet", "term", "counterpart_term", "n"]
    out = pd.DataFrame(rows, columns=columns)
    return out.sort_values(
        ["n", "outlet", "counterpart_outlet", "term"], ascending=[False] + [True] * 3
    ).reset_index(drop=True)
