"""CPU seconds of the corpus-level stages (compare: keyness, TF-IDF, similarity; reuse) on the
tables of a finished build, with cProfile's top functions of each.

    python benchmarks/profile_stages.py DERIVED_DIR [--top 15]

The per-article inputs (counts, sentences) are recomputed from the build's bodies and paragraphs
in this process first (not timed).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time

from wording import compare, features, paths, pipeline, reuse


def timed(label: str, func, *args, top: int = 15):
    profile = cProfile.Profile()
    start = time.process_time()
    profile.enable()
    result = func(*args)
    profile.disable()
    print(f"== {label}: {time.process_time() - start:.2f} s CPU (profiled)")
    pstats.Stats(profile).sort_stats("tottime").print_stats(top)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("derived")
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    tables = pipeline.load(args.derived)
    articles = tables.articles.astype({"file": object, "outlet": object, "body": object})
    matcher = features.default_matcher(paths.lexicon_csv())
    counts = features.TermCounts(
        *features.count_matrix([features.article_counts(b, matcher) for b in articles["body"]])
    )
    sentences = reuse.sentences_of_paragraphs(tables.paragraphs)
    timed("compare", compare.tables_from_counts, articles, counts, top=args.top)
    timed("reuse", reuse.shared_passages, sentences, articles, top=args.top)


if __name__ == "__main__":
    main()
