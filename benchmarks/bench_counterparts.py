"""Time the counterparts stage (issue 15) on a generated corpus, and project it to 100k articles.

Usage: .venv/bin/python benchmarks/bench_counterparts.py /work/gen/corpus-10000

Builds the corpus once (``pipeline.run``; its ``counterparts`` timing is the time the stage adds
to the build), then times ``counterparts.counterparts_table`` alone on the first quarter, half and
all of the articles to fit seconds = a + b x articles (least squares) and project to 100,000.
Also times the model load in a fresh process. Prints one line per measurement.
"""

from __future__ import annotations

import subprocess
import sys
import time

import numpy as np


def main(corpus: str) -> None:
    from wording import counterparts, pipeline
    from wording.lexicon import load_lexicon
    from wording.paths import lexicon_csv
    from wording.reuse import sentences_of_paragraphs

    load = subprocess.run(
        [sys.executable, "-c", "from wording import counterparts as c; "
         "print(c.model_load_seconds())"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    print(f"model load (fresh process): {float(load.stdout):.2f} s")
    start = time.perf_counter()
    build = pipeline.run(corpus)
    print(f"build: {time.perf_counter() - start:.1f} s; stages {build.timings}")
    print(f"counterparts stage in the build: {build.timings['counterparts']:.1f} s")
    tables = build.tables
    sentences = sentences_of_paragraphs(tables.paragraphs)
    lexicon = load_lexicon(lexicon_csv())
    sizes, seconds = [], []
    for share in (0.25, 0.5, 1.0):
        part = sentences[: max(1, int(len(sentences) * share))]
        files = {s.file for s in part}
        t = time.perf_counter()
        out = counterparts.counterparts_table(
            part,
            tables.articles[tables.articles["file"].isin(files)],
            tables.term_mentions[tables.term_mentions["file"].isin(files)],
            lexicon,
        )
        seconds.append(time.perf_counter() - t)
        sizes.append(len(part))
        n_sent = sum(len(s.text) for s in part)
        print(f"{len(part)} articles ({n_sent} sentences): {seconds[-1]:.1f} s, {len(out)} rows")
    b, a = np.polyfit(sizes, seconds, 1)
    print(f"fit: {a:.2f} s + {b * 1000:.3f} s per 1,000 articles; 100k: {a + b * 1e5:.0f} s")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/work/gen/corpus-10000")
