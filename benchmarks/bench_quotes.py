"""Time the voice of every mention in one paragraph holding N quoted mentions, for N = 1,000,
2,000, 4,000 and 8,000, and print the exponent of time ~ N**k (linear: k close to 1).

    .venv/bin/python benchmarks/bench_quotes.py
"""

from __future__ import annotations

import math
import time

from wording import lexicon, mentions, paths

SIZES = (1000, 2000, 4000, 8000)


def paragraph(n: int) -> str:
    """One paragraph of ``n`` attributed quotations, each holding one lexicon mention."""
    return " ".join(f'Lavrov said: "The Southern Kurils are ours, part {k}."' for k in range(n))


def main() -> None:
    compiled = lexicon.compile_lexicon(lexicon.load_lexicon(paths.lexicon_csv()))
    seconds = []
    for n in SIZES:
        body = paragraph(n)
        start = time.perf_counter()
        rows = mentions.article_mentions("bench.txt", "Bench", body, compiled)
        seconds.append(time.perf_counter() - start)
        assert len(rows) == n and {row[6] for row in rows} == {"quoted"}
        print(f"{n:>6} quoted mentions: {seconds[-1]:.3f} s")
    k = math.log(seconds[-1] / seconds[0]) / math.log(SIZES[-1] / SIZES[0])
    print(f"exponent (time ~ N**k, {SIZES[0]} to {SIZES[-1]}): k = {k:.2f}")


if __name__ == "__main__":
    main()
