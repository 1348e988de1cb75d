"""Time a warm `make report`, stage by stage and notebook by notebook (a benchmark, not a test).

Usage: .venv/bin/python benchmarks/bench_report.py   (or `make bench`)
Runs the build, then executes and exports each notebook one at a time (so the per-notebook times
are not shared with a parallel neighbour), then times the whole `make report` as a user runs it.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from wording.report.render import render_one  # noqa: E402


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> int:
    python = str(ROOT / ".venv" / "bin" / "python")
    rows = [("python -m wording build", timed([python, "-m", "wording", "build"]))]
    for nb in sorted((ROOT / "notebooks").glob("[0-9]*.ipynb")):
        r = render_one(str(nb), str(ROOT / "reports"))
        if r.error:
            print(r.error, file=sys.stderr)
            return 1
        rows.append((f"execute + export {nb.name}", r.seconds))
    rows.append(("make report (whole, warm, 2 workers)", timed(["make", "report"])))
    width = max(len(name) for name, _ in rows)
    print(f"{'step':<{width}}  seconds")
    for name, seconds in rows:
        print(f"{name:<{width}}  {seconds:7.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
