"""Time the counterparts stage (issue 15) on a generated corpus, and project it to 100k articles.

Usage: .venv/bin/python benchmarks/bench_counterparts.py DERIVED [--build CORPUS]

DERIVED is a folder of tables a build wrote for a generated corpus (e.g. a 10k build of
``benchmarks/generate.py 10000 /work/gen/corpus-10000``); with ``--build CORPUS`` the corpus is
built first (``pipeline.run``) and its ``counterparts`` stage timing printed too.

The stage's own steps are timed on shares of the articles (``--shares``; default a quarter,
half and all; the build's per-article sentences are rebuilt from paragraphs.csv first,
untimed: the page pass already makes them). A least-squares line, seconds = a + b x articles,
projects to 100,000.
The model load is timed in a fresh process. One line per measurement; nothing is written.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

import numpy as np


def _timed(label: str, fn, *args):
    start = time.perf_counter()
    out = fn(*args)
    seconds = time.perf_counter() - start
    print(f"  {label}: {seconds:.2f} s")
    return out, seconds


def main() -> None:
    from wording import align, counterparts, embedding, pipeline
    from wording.lexicon import load_lexicon
    from wording.paths import lexicon_csv
    from wording.reuse import sentences_of_paragraphs

    parser = argparse.ArgumentParser()
    parser.add_argument("derived")
    parser.add_argument("--build", default=None)
    parser.add_argument("--shares", default="0.25,0.5,1", help="shares of the articles timed")
    args = parser.parse_args()
    load = subprocess.run(
        [sys.executable, "-c", "from wording import embedding as c; "
         "print(c.model_load_seconds())"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    print(f"model load (fresh process, import included): {float(load.stdout):.2f} s")
    if args.build:
        build = pipeline.run(args.build)
        print(f"build stages: {build.timings}")
    tables = pipeline.load(args.derived)
    sentences = sentences_of_paragraphs(tables.paragraphs)
    lexicon = load_lexicon(lexicon_csv())
    embedding.load_model()
    sizes, seconds = [], []
    for share in [float(x) for x in args.shares.split(",")]:
        part = sentences[: max(1, int(len(sentences) * share))]
        files = {s.file for s in part}
        print(f"{len(part)} articles ({sum(len(s.text) for s in part)} sentences):")
        total = 0.0
        table, t = _timed(
            "sentences and terms",
            counterparts.sentence_table,
            part,
            tables.articles[tables.articles["file"].isin(files)],
            tables.term_mentions[tables.term_mentions["file"].isin(files)],
            lexicon,
        )
        total += t
        emb, t = _timed("embed", embedding.embed, table["text"].tolist())
        total += t
        best, t = _timed("anchors, candidates, scores", counterparts.best_counterparts, table,
                         counterparts.THRESHOLD, emb)  # fmt: skip
        total += t
        i, j = best["i"].to_numpy(int), best["j"].to_numpy(int)
        _, t = _timed(
            "word alignment", align.compare_pairs, table["text"].iloc[i], table["text"].iloc[j]
        )
        total += t
        print(f"  total {total:.1f} s, {len(best)} counterparts kept")
        sizes.append(len(part))
        seconds.append(total)
    b, a = np.polyfit(sizes, seconds, 1)
    print(f"fit: {a:.2f} s + {b * 1000:.2f} s per 1,000 articles; 100k: {a + b * 1e5:.0f} s")


if __name__ == "__main__":
    main()
