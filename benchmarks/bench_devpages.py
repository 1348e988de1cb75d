"""Body lines, outlets and mentions on the hand-labelled development set of real pages.

    .venv/bin/python benchmarks/bench_devpages.py [--devpages ../shared/devpages] [--out DIR]

Runs ``wording.evaluate.evaluate`` (each dispute's pages built with its own lexicon, scored with
the set's ``score.py``) and prints the figures per outlet. The pages stay outside the project.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from wording import paths
from wording.evaluate import evaluate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    default = paths.project_root().parent / "shared" / "devpages"
    parser.add_argument("--devpages", default=str(default))
    parser.add_argument("--out", default=None, help="keep the merged tables here")
    args = parser.parse_args()
    print(evaluate(Path(args.devpages), Path(args.out) if args.out else None))


if __name__ == "__main__":
    main()
