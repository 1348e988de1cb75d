"""The build's stages on one corpus, without the counterparts stage: ``bench_stages.py CORPUS OUT``.

``pipeline.run`` (no metadata) and ``Tables.write``, printing each stage's wall seconds; the
counterparts stage is replaced by an empty table, so that the other stages can be compared
between two versions of the package in minutes (run it under ``/usr/bin/time -v`` for CPU and
peak memory). The tables written are the build's, less counterparts.csv's rows.
"""

from __future__ import annotations

import sys
import time

import pandas as pd

from wording import counterparts, pipeline


def main() -> None:
    corpus, out = sys.argv[1:3]
    counterparts.counterparts_table = lambda *a, **k: pd.DataFrame(columns=counterparts.COLUMNS)
    start = time.perf_counter()
    build = pipeline.run(corpus, metadata=None)
    t = time.perf_counter()
    build.tables.write(out)
    build.timings["write csv"] = time.perf_counter() - t
    for stage, seconds in build.timings.items():
        print(f"{stage:12s} {seconds:7.1f}")
    print(f"{'total':12s} {time.perf_counter() - start:7.1f}")


if __name__ == "__main__":
    main()
