"""Time the counterparts stage (issue 15) on a generated corpus, with its memory, and project it
to 100k articles.

Usage: .venv/bin/python benchmarks/bench_counterparts.py DERIVED [--shares 0.25,0.5,1]
       [--build CORPUS]

DERIVED is a folder of tables a build wrote for a generated corpus (e.g. a 10k build of
``benchmarks/generate.py 10000 --out /work/gen/corpus-10000``, or of a ``wire`` corpus); only
paragraphs.csv, articles.csv and term_mentions.csv are read. With ``--build CORPUS`` the corpus
is built first (``pipeline.run``) and its ``counterparts`` stage timing printed too.

The stage's own steps (``counterparts.counterparts_table``: sentences and terms, best
counterparts — anchors, candidates, embeddings, scores block by block —, then facts and word
alignment) are timed, wall and CPU seconds, on shares of the articles (``--shares``; of the
first ``--first`` articles if given; the build's per-article sentences are rebuilt from
paragraphs.csv first, untimed: the page pass already makes them). After each share the
process's maximum resident set size so far is printed (the shares grow, so each line's figure
is that share's peak unless an earlier step peaked higher), and the load average. A
least-squares line, seconds = a + b x articles, projects to 100,000.
The model load is timed in a fresh process. One line per measurement; nothing is written.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd


def _timed(label: str, fn, *args):
    start, cpu = time.perf_counter(), time.process_time()
    out = fn(*args)
    seconds = time.perf_counter() - start
    print(f"  {label}: {seconds:.2f} s ({time.process_time() - cpu:.2f} s CPU)", flush=True)
    return out, seconds


def _max_rss_gb() -> float:
    """The process's maximum resident set size so far, in GB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6


def _read(derived: Path, name: str, text: list[str]) -> pd.DataFrame:
    """One table of a build, as ``pipeline.load`` reads it (empty text cells as "")."""
    table = pd.read_csv(
        derived / f"{name}.csv", dtype={c: str for c in text}, keep_default_na=False,
        na_values=[""], usecols=lambda c: c in text or c in ("paragraph", "body_paragraph"),
    )  # fmt: skip
    for column in text:
        table[column] = table[column].fillna("")
    return table


def main() -> None:
    from wording import counterparts, embedding, pipeline
    from wording.lexicon import load_lexicon
    from wording.paths import lexicon_csv
    from wording.reuse import sentences_of_paragraphs

    parser = argparse.ArgumentParser()
    parser.add_argument("derived")
    parser.add_argument("--build", default=None)
    parser.add_argument("--shares", default="0.25,0.5,1", help="shares of the articles timed")
    parser.add_argument("--first", type=int, default=0, help="read only the first N articles")
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
    derived = Path(args.derived)
    paragraphs = _read(derived, "paragraphs", ["file", "kind", "text"])
    articles = _read(derived, "articles", ["file", "outlet", "date"])
    mentions = _read(derived, "term_mentions", ["file", "term_id", "matched"])
    if args.first:
        keep = set(sorted(paragraphs["file"].unique())[: args.first])
        paragraphs = paragraphs[paragraphs["file"].isin(keep)]
    sentences = sentences_of_paragraphs(paragraphs)
    del paragraphs
    lexicon = load_lexicon(lexicon_csv())
    embedding.load_model()
    print(f"tables read: max RSS {_max_rss_gb():.2f} GB; load average {os.getloadavg()}")
    sizes, seconds = [], []
    for share in [float(x) for x in args.shares.split(",")]:
        part = sentences[: max(1, int(len(sentences) * share))]
        files = {s.file for s in part}
        print(f"{len(part)} articles ({sum(len(s.text) for s in part)} sentences):")
        table, t1 = _timed(
            "sentences and terms",
            counterparts.sentence_table,
            part,
            articles[articles["file"].isin(files)],
            mentions[mentions["file"].isin(files)],
            lexicon,
        )
        best, t2 = _timed(
            "anchors, candidates, embeddings, scores (blocks)",
            counterparts.best_counterparts,
            table,
        )
        rows, t3 = _timed("facts and word alignment", counterparts.counterpart_rows, table, best)
        total = t1 + t2 + t3
        print(
            f"  total {total:.1f} s, {len(rows)} counterparts kept; max RSS so far "
            f"{_max_rss_gb():.2f} GB; load average {os.getloadavg()}",
            flush=True,
        )
        sizes.append(len(part))
        seconds.append(total)
    if len(sizes) > 1:
        b, a = np.polyfit(sizes, seconds, 1)
        print(f"fit: {a:.2f} s + {b * 1000:.2f} s per 1,000 articles; 100k: {a + b * 1e5:.0f} s")


if __name__ == "__main__":
    main()
