"""How to find the lexicon's matches in article bodies: CPU seconds of each way over the bodies
of a built corpus (default: the 10k synthetic corpus's articles.csv), and whether each finds the
same matches as Python's ``re`` with one alternation per category (the reference).

    .venv/bin/python benchmarks/bench_matching.py [articles.csv] [--limit N]

Ways measured: ``re`` one alternation per category; ``re`` one ``finditer`` per term; the RE2
twins of ``wording.lexicon`` (RE2 where exact, ``re`` for the rest: what ``wording.mentions``
uses); a pyahocorasick prefilter (``re`` only on bodies holding one of a category's key words).
The key words are written by hand below for the study's lexicon: a second definition of every
term that would have to be kept in step with data/lexicon.csv, which is why it is not used.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import ahocorasick
import pandas as pd

from wording import lexicon, mentions, paths

DEFAULT_ARTICLES = "benchmarks/out/derived-10000/articles.csv"
# Every match of a category contains one of these (lower case); hand-made for data/lexicon.csv.
KEY_WORDS = {
    "collective name": ["kuril", "northern", "hopp", "hopo", "hokkaido"],
    "island name": ["iturup", "etorofu", "kunashir", "shikotan", "habomai"],
    "1945 framing": ["soviet", "ussr", "red army", "liberated", "came under"],
    "sovereignty framing": ["russia", "japan", "moscow", "tokyo", "soviet", "claim", "controll",
                            "administered", "held", "occupied", "effective"],
    "dispute framing": ["territorial", "dispute"],
    "naming formula": ["calls", "refers", "knows"],
}  # fmt: skip

Match = tuple[int, int, str | None]


def per_term(table: pd.DataFrame) -> Callable[[str], list[Match]]:
    import re

    terms = [(t.term_id, re.compile(t.pattern, re.IGNORECASE)) for t in table.itertuples()]
    return lambda body: [(m.start(), m.end(), term) for term, p in terms for m in p.finditer(body)]


def aho_prefilter(table: pd.DataFrame) -> Callable[[str], list[Match]]:
    patterns = lexicon.category_patterns(table)
    automata = {}
    for category, words in KEY_WORDS.items():
        automaton = ahocorasick.Automaton()
        for word in words:
            automaton.add_word(word, word)
        automaton.make_automaton()
        automata[category] = automaton

    def find(body: str) -> list[Match]:
        low = body.lower()
        found = []
        for category, pattern in patterns.items():
            if next(automata[category].iter(low), None) is not None:
                found += [(m.start(), m.end(), m.lastgroup) for m in pattern.finditer(body)]
        return found

    return find


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("articles", nargs="?", default=DEFAULT_ARTICLES)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    bodies = pd.read_csv(args.articles, dtype=str, keep_default_na=False)["body"].tolist()
    bodies = bodies[: args.limit]
    table = lexicon.load_lexicon(paths.lexicon_csv())
    compiled = lexicon.compile_lexicon(table)
    print(f"{len(bodies)} bodies, {sum(map(len, bodies)) / 1e6:.1f} M characters")
    ways = {
        "re, one alternation per category": lambda b: [
            (m.start(), m.end(), m.lastgroup) for p in compiled.patterns for m in p.finditer(b)
        ],
        "re, one finditer per term": per_term(table),
        "RE2 twins where exact, else re (kept)": lambda b: [
            (s, e, t) for s, e, t, _ in mentions.matches(b, compiled)
        ],
        "pyahocorasick prefilter + re": aho_prefilter(table),
    }
    expected = None
    for name, find in ways.items():
        start = time.process_time()
        found = [sorted(find(body)) for body in bodies]
        seconds = time.process_time() - start
        if expected is None:
            expected = found
        # one finditer per term also finds overlaps within a category (no priority): more
        same = "same matches" if found == expected else "different matches"
        print(f"{name:40s} {seconds:7.2f} CPU s  {sum(map(len, found)):>7} matches  {same}")


if __name__ == "__main__":
    main()
