"""The command line (arguments only): ``python -m wording build``, ``render`` and ``findings``.

``build`` runs ``wording.pipeline.run`` and writes its tables; the work is all in the package.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

from wording import paths


def _build(args: argparse.Namespace) -> int:
    """Exit 0 on success (warnings allowed), 1 when no file yielded an article, 2 on bad setup."""
    from wording import pipeline
    from wording.engine import Engine
    from wording.lexicon import LexiconError
    from wording.pages import CorpusError

    corpus_dir = Path(args.corpus)
    out = Path(args.out)
    metadata = Path(args.metadata) if args.metadata else None
    lexicon_path = Path(args.lexicon) if args.lexicon else paths.lexicon_csv()
    if metadata is None and not args.no_metadata and corpus_dir.resolve() == paths.corpus_dir():
        metadata = paths.metadata_csv()
    if out.resolve() == corpus_dir.resolve() or corpus_dir.resolve() in out.resolve().parents:
        print("wording build: --out must not be inside the corpus folder (the input folder is "
              "never written to); choose another folder", file=sys.stderr)  # fmt: skip
        return 2
    try:
        engine = Engine(args.engine, jobs=args.jobs, scheduler=args.scheduler)
    except ValueError as exc:
        print(f"wording build: {exc}", file=sys.stderr)
        return 2
    try:
        result = pipeline.run(corpus_dir, metadata, lexicon_path, engine)
    except (CorpusError, LexiconError) as exc:
        print(f"wording build: {exc}", file=sys.stderr)
        return 2
    start = time.perf_counter()
    result.tables.write(out)
    result.timings["write csv"] = time.perf_counter() - start
    tables = result.tables
    for w in tables.warnings.itertuples(index=False):
        where = w.file if w.line is pd.NA or pd.isna(w.line) else f"{w.file} line {w.line}"
        print(f"warning: {where}: {w.message}", file=sys.stderr)
    for r in tables.rejected.itertuples(index=False):
        print(f"rejected: {r.file}: {r.reason}", file=sys.stderr)
    print(result.accounting())
    if args.timings:
        for stage, seconds in result.timings.items():
            print(f"  {stage:<22} {seconds:8.3f} s")
    print(f"wrote {len(tables.names())} tables to {paths.display(out)}/")
    if tables.articles.empty:
        print("wording build: no file yielded an article; see rejected.csv", file=sys.stderr)
        return 1
    return 0


def _render(args: argparse.Namespace) -> int:
    from wording.report.render import render_all

    targets: list[Path] = []
    for item in args.notebooks:
        p = Path(item)
        targets += sorted(p.glob("[0-9]*.ipynb")) if p.is_dir() else [p]
    if not targets:
        print("wording render: no notebooks found", file=sys.stderr)
        return 2
    html_dir = Path(args.html_dir) if args.html_dir else None
    results = render_all(targets, html_dir, workers=args.workers)
    failed = 0
    for r in results:
        status = "ok" if r.error is None else "FAILED"
        print(f"{status:<6} {r.seconds:6.1f} s  {paths.display(r.notebook)}")
        if r.error:
            failed += 1
            print(r.error, file=sys.stderr)
    return 1 if failed else 0


def _findings(args: argparse.Namespace) -> int:
    from wording.report import findings

    changed = findings.update_readme(Path(args.readme), Path(args.derived))
    print(("updated" if changed else "unchanged") + f" findings in {paths.display(args.readme)}")
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from wording.evaluate import evaluate

    devpages = Path(args.devpages)
    if not (devpages / "truth.json").is_file() or not (devpages / "score.py").is_file():
        print(f"wording evaluate: {devpages} holds no truth.json and score.py", file=sys.stderr)
        return 2
    print(evaluate(devpages, Path(args.out) if args.out else None))
    return 0


def _explorer(args: argparse.Namespace) -> int:
    from wording.report.explorer import write_explorer

    try:
        out = write_explorer(Path(args.derived), Path(args.out))
    except (FileNotFoundError, ValueError) as exc:
        print(f"wording explorer: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {paths.display(out)} ({out.stat().st_size / 1e6:.1f} MB)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m wording", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="clean the pages and write the derived tables")
    b.add_argument("--corpus", default=str(paths.corpus_dir()), help="folder of .txt pages")
    b.add_argument(
        "--metadata",
        default=None,
        help="CSV of curated metadata (default: data/sources.csv for the seeds, none otherwise)",
    )
    b.add_argument("--no-metadata", action="store_true", help="infer all metadata from the pages")
    b.add_argument("--lexicon", default=None, help="lexicon CSV (default: data/lexicon.csv)")
    b.add_argument("--out", default=str(paths.derived_dir()), help="folder for the derived tables")
    b.add_argument("--timings", action="store_true", help="print seconds per stage")
    b.add_argument(
        "--engine",
        choices=["joblib", "dask"],
        default="joblib",
        help="where pages are read: local worker processes (joblib, default) or a Dask cluster",
    )
    b.add_argument(
        "--scheduler",
        default=None,
        help="Dask scheduler address (tcp://host:8786); without it --engine dask starts a "
        "local cluster",
    )
    b.add_argument("--jobs", type=int, default=None, help="worker processes (default: one per CPU)")
    b.set_defaults(func=_build)

    r = sub.add_parser("render", help="execute notebooks in place and export HTML")
    r.add_argument("notebooks", nargs="+", help="notebook files or folders")
    r.add_argument("--html-dir", default=None, help="folder for the HTML exports")
    r.add_argument("--workers", type=int, default=2, help="notebooks executed at once")
    r.set_defaults(func=_render)

    f = sub.add_parser("findings", help="write the headline findings into README.md")
    f.add_argument("--derived", default=str(paths.derived_dir()), help="folder of derived tables")
    f.add_argument("--readme", default=str(paths.project_root() / "README.md"))
    f.set_defaults(func=_findings)

    e = sub.add_parser("evaluate", help="build and score a hand-labelled set of real pages")
    e.add_argument("--devpages", required=True, help="folder with raw/, truth.json, score.py")
    e.add_argument("--out", default=None, help="keep the merged tables here (for score.py)")
    e.set_defaults(func=_evaluate)

    x = sub.add_parser("explorer", help="write the study as one offline HTML page")
    x.add_argument("--derived", default=str(paths.derived_dir()), help="folder of derived tables")
    x.add_argument("--out", default=str(paths.project_root() / "reports" / "explorer.html"))
    x.set_defaults(func=_explorer)

    args = parser.parse_args(argv)
    return args.func(args)
