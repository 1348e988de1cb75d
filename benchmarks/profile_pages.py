"""Milliseconds per page of each step of ``page.process_page``, in this process.

    python benchmarks/profile_pages.py [CORPUS] [--pages N] [--profile]

Reads the first N pages (default 500) of CORPUS (default benchmarks/out/corpus-10000) and times, per
page: the whole ``process_page``, ``clean.read_page`` (and the duplicate fingerprint inside it),
``mentions.article_mentions``, ``features.article_counts``, ``reuse.article_sentences``, and the
size of a pickled result. ``--profile`` adds cProfile's top functions of ``process_page``.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pickle
import pstats
import time

from wording import clean, duplicates, features, mentions, page, paths, reuse
from wording.lexicon import compile_lexicon, load_lexicon


def per_page(label: str, func, items, n: int) -> None:
    start = time.process_time()
    for item in items:
        func(*item)
    print(f"{label:<22} {1000 * (time.process_time() - start) / n:7.3f} ms/page")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", default="benchmarks/out/corpus-10000")
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    names = sorted(os.listdir(args.corpus))[: args.pages]
    lexicon = paths.lexicon_csv()
    context = page.Context(
        compile_lexicon(load_lexicon(lexicon)), features.default_matcher(lexicon)
    )
    raws = [open(os.path.join(args.corpus, n), "rb").read() for n in names]
    n = len(names)
    page.process_page(raws[0], names[0], None, context)  # warm caches
    per_page(
        "process_page",
        page.process_page,
        [(r, m, None, context) for r, m in zip(raws, names, strict=True)],
        n,
    )
    reads = [clean.read_page(r, m, None, "") for r, m in zip(raws, names, strict=True)]
    per_page(
        "  read_page",
        clean.read_page,
        [(r, m, None, "") for r, m in zip(raws, names, strict=True)],
        n,
    )
    arts = [r for r in reads if r.article]
    bodies = [(r.article["body"],) for r in arts]
    per_page("    fingerprint", duplicates.counted_fingerprint, bodies, n)
    per_page(
        "  article_mentions",
        mentions.article_mentions,
        [
            (r.article["file"], r.article["outlet"], r.article["body"], context.lexicon)
            for r in arts
        ],
        n,
    )
    per_page(
        "  article_counts", features.article_counts, [(b[0], context.phrases) for b in bodies], n
    )
    per_page(
        "  article_sentences",
        reuse.article_sentences,
        [(r.article["file"], [(p[1], p[3]) for p in r.paragraphs if p[2] == "body"]) for r in arts],
        n,
    )
    results = [page.process_page(r, m, None, context) for r, m in zip(raws, names, strict=True)]
    start = time.process_time()
    blob = pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL)
    dumped = time.process_time() - start
    start = time.process_time()
    pickle.loads(blob)
    loaded = time.process_time() - start
    print(
        f"pickled result        {len(blob) / n / 1024:7.1f} KiB/page, dump {1000 * dumped / n:.3f}"
        f" ms/page, load {1000 * loaded / n:.3f} ms/page"
    )
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        for r, m in zip(raws, names, strict=True):
            page.process_page(r, m, None, context)
        profile.disable()
        pstats.Stats(profile).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
