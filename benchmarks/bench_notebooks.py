"""Each notebook, top to bottom, on an already built corpus (issue 12: "at 100,000 articles every
notebook runs top to bottom in under a minute from the tables"). A benchmark, not a test.

Usage: .venv/bin/python benchmarks/bench_notebooks.py CORPUS DERIVED [--notebooks 01 02 ...]

CORPUS is the folder of pages the tables in DERIVED were built from (with no metadata and the
study's lexicon, as ``python -m wording build --corpus CORPUS --no-metadata --out DERIVED``).
The notebooks find a corpus's tables in a cache folder under the key of its inputs
(``report.inputs.tables_for``); a scratch cache holding DERIVED under that key is made, so no
notebook builds anything, and each notebook is run by papermill with ``corpus_dir`` and
``derived_dir`` set (figures to a scratch folder). Prints the wall seconds of each notebook
(kernel start included) and the slowest cells. Nothing in the repository is written.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import papermill

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from wording import paths  # noqa: E402
from wording.report.inputs import inputs_key  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus")
    parser.add_argument("derived")
    parser.add_argument("--notebooks", nargs="*", default=None, help="name prefixes, e.g. 01 04")
    args = parser.parse_args()
    corpus, derived = Path(args.corpus).resolve(), Path(args.derived).resolve()
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    if args.notebooks:
        notebooks = [n for n in notebooks if n.name.split("_")[0] in args.notebooks]
    with tempfile.TemporaryDirectory(prefix="bench-notebooks-") as scratch:
        cache = Path(scratch) / "cache"
        cache.mkdir()
        # The pages' checksum is remembered in the cache as the build's first call leaves it.
        start = time.perf_counter()
        key = inputs_key(corpus, None, paths.lexicon_csv(), cache / ".pages")
        print(f"inputs key {key} ({time.perf_counter() - start:.1f} s to checksum the pages)")
        (cache / key).symlink_to(derived, target_is_directory=True)
        for notebook in notebooks:
            out = Path(scratch) / notebook.name
            t = time.perf_counter()
            done = papermill.execute_notebook(
                str(notebook),
                str(out),
                parameters={
                    "corpus_dir": str(corpus),
                    "derived_dir": str(cache),
                    "figures_dir": str(Path(scratch) / "figures"),
                },
                cwd=str(ROOT / "notebooks"),
                progress_bar=False,
            )
            seconds = time.perf_counter() - t
            cells = sorted(
                (
                    (c["metadata"].get("papermill", {}).get("duration") or 0.0, i)
                    for i, c in enumerate(done["cells"])
                ),
                reverse=True,
            )[:8]
            slow = ", ".join(f"cell {i} {s:.1f} s" for s, i in cells)
            print(f"{notebook.stem}: {seconds:.1f} s (slowest: {slow})", flush=True)
    print(f"all: {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
