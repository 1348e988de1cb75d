"""Time the text-reuse stage alone on a build's tables: ``bench_reuse.py DERIVED``.

The per-article sentences are rebuilt from ``DERIVED/paragraphs.csv`` (untimed; the same ones the
build made), then ``reuse.shared_passages`` runs on them with ``--jobs`` workers for the difflib
ratios. Prints the seconds of each and the passages found; ``--out FILE`` writes the table the way
the build does, to compare byte for byte with ``DERIVED/shared_passages.csv``. Peak memory: run it
under ``/usr/bin/time -v``.
"""

from __future__ import annotations

import argparse
import time

import pandas as pd

from wording import reuse
from wording.engine import Engine
from wording.pipeline import write_table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("derived", help="a build's output folder")
    parser.add_argument("--jobs", type=int, default=1, help="workers for the difflib ratios")
    parser.add_argument("--out", help="write shared_passages here")
    args = parser.parse_args()
    start = time.perf_counter()
    paragraphs = pd.read_csv(
        f"{args.derived}/paragraphs.csv",
        dtype={"file": str, "kind": str, "text": str},
        keep_default_na=False,
        usecols=["file", "paragraph", "kind", "text"],
    )
    articles = pd.read_csv(
        f"{args.derived}/articles.csv", dtype=str, keep_default_na=False, usecols=["file", "outlet"]
    )
    sentences = reuse.sentences_of_paragraphs(paragraphs)
    print(f"sentences of {len(sentences)} articles: {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    passages = reuse.shared_passages(sentences, articles, engine=Engine(jobs=args.jobs))
    print(f"shared_passages: {len(passages)} passages, {time.perf_counter() - start:.1f} s")
    if args.out:
        write_table(passages, args.out)


if __name__ == "__main__":
    main()
