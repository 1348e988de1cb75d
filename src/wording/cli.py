"""The command line: ``python -m wording build`` and ``python -m wording render``.

``build`` runs the package's stages in order and writes one tidy CSV per table; every number in
the study comes from these functions, which the notebooks call too.
"""

from __future__ import annotations

import argparse
import importlib
import os
import queue
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from wording import paths
from wording.csvio import write_csv as write_table


def build_tables(
    corpus_dir: Path,
    metadata: Path | None,
    lexicon_path: Path | None,
    on_table: Callable[[str, pd.DataFrame], None] | None = None,
) -> tuple[dict[str, pd.DataFrame], dict[str, float], object]:
    """Run every stage on a corpus folder; return the tables by file name, stage timings, corpus.

    Stage order: load + clean pages, contested terms, TF-IDF / keyness / similarity, text reuse.
    ``on_table(name, table)`` is called as soon as each table is complete (the command line
    writes it then, while the next stages run).
    """
    from wording import corpus as corpus_mod

    timings: dict[str, float] = {}
    tables: dict[str, pd.DataFrame] = {}

    def done(new: dict[str, pd.DataFrame]) -> None:
        tables.update(new)
        for name, table in new.items():
            if on_table is not None:
                on_table(name, table)

    t = time.perf_counter()
    corpus = corpus_mod.load_corpus(corpus_dir, metadata)
    timings["load+clean"] = time.perf_counter() - t
    done(
        {
            "articles.csv": corpus.articles,
            "paragraphs.csv": corpus.paragraphs,
            "removed_lines.csv": corpus.removed_lines,
            "rejected.csv": corpus.rejected,
            "warnings.csv": corpus.warnings,
        }
    )
    if corpus.articles.empty:  # nothing to analyse: the accounting tables say why
        return tables, timings, corpus

    # --- further stages register their tables below (lexicon, compare, reuse) ---

    from wording import lexicon as lexicon_mod

    t = time.perf_counter()
    lexicon = lexicon_mod.load_lexicon(lexicon_path or paths.lexicon_csv())
    mentions = lexicon_mod.find_mentions(corpus.articles, lexicon)
    counts = lexicon_mod.count_terms(mentions, corpus.articles, lexicon)
    done({"term_mentions.csv": mentions, "term_counts.csv": counts})
    timings["terms"] = time.perf_counter() - t

    from wording import compare, reuse

    t = time.perf_counter()
    done(compare.compare_tables(corpus.articles, compare.default_matcher(lexicon_path)))
    timings["compare"] = time.perf_counter() - t
    t = time.perf_counter()
    done({"shared_passages.csv": reuse.shared_passages(corpus.paragraphs, corpus.articles)})
    timings["reuse"] = time.perf_counter() - t

    return tables, timings, corpus


class TableWriter:
    """Writes tables as CSV in one background thread, in the order they are handed over, while
    the build goes on: on two cores the writing fills time in which one core would wait.

    A thread, not a process: the tables are shared, never copied. The package starts its worker
    processes from a fork server (``wording.workers``), so no fork() copies this thread's locks.
    ``close()`` waits for the queue to empty and raises the first error a write met.
    """

    def __init__(self, out: Path, warm_imports: tuple[str, ...] = ()):
        self.out = out
        self.busy = 0.0  # seconds spent writing
        self._queue: queue.Queue = queue.Queue()
        self._error: BaseException | None = None
        self._warm_imports = warm_imports
        self._thread: threading.Thread | None = None

    def submit(self, name: str, table: pd.DataFrame) -> None:
        if self._thread is None:  # started with the first table: none runs while pages load
            self._thread = threading.Thread(
                target=self._run,
                args=(self._warm_imports,),
                name="wording-table-writer",
                daemon=True,
            )
            self._thread.start()
        self._queue.put((name, table))

    def _run(self, warm_imports: tuple[str, ...]) -> None:
        for module in warm_imports:  # imports the later stages need, while this core is free
            try:
                importlib.import_module(module)
            except ImportError:
                pass  # the stage that needs it will say so
        while (item := self._queue.get()) is not None:
            if self._error is not None:
                continue
            name, table = item
            start = time.perf_counter()
            try:
                write_table(table, self.out / name)
            except BaseException as exc:  # noqa: BLE001 - handed to the caller by close()
                self._error = exc
            self.busy += time.perf_counter() - start

    def close(self) -> None:
        if self._thread is None:
            return
        self._queue.put(None)
        self._thread.join()
        if self._error is not None:
            raise self._error


# Imported by the writer thread before its first table (scikit-learn alone takes over a second).
WARM_IMPORTS = ("sklearn.feature_extraction.text",)


# glibc's allocator: keep freed memory up to these sizes for reuse instead of handing it back
# to the kernel and faulting it in again (M_MMAP_THRESHOLD, M_TRIM_THRESHOLD, M_TOP_PAD).
MALLOC_SETTINGS = {
    "MALLOC_MMAP_THRESHOLD_": (-3, 32 * 2**20),
    "MALLOC_TRIM_THRESHOLD_": (-1, 256 * 2**20),
    "MALLOC_TOP_PAD_": (-2, 64 * 2**20),
}


def tune_memory() -> None:
    """Memory settings for a large build, in this process and the worker processes it starts;
    a setting already in the environment is left as it is.

    - NumPy does not ask the kernel for huge pages for its large arrays
      (``NUMPY_MADVISE_HUGEPAGE=0``): where transparent huge pages are on with
      ``defrag=madvise`` (this machine), a page fault in an advised array can stall while the
      kernel compacts memory.
    - glibc keeps freed blocks of up to 32 MB, and up to 256 MB free at the top of the heap,
      for reuse: the build allocates and frees large arrays all the time, and every fresh page
      costs a fault.

    Together they took 3 to 8 s off a 100,000-article build (benchmarks/README.md).
    """
    if "NUMPY_MADVISE_HUGEPAGE" not in os.environ:
        os.environ["NUMPY_MADVISE_HUGEPAGE"] = "0"  # read by worker processes importing NumPy
        try:
            from numpy._core.multiarray import _set_madvise_hugepage
        except ImportError:  # another NumPy layout: nothing to tune
            pass
        else:
            _set_madvise_hugepage(False)
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc: nothing to tune
        return
    for name, (option, value) in MALLOC_SETTINGS.items():
        if name not in os.environ:
            os.environ[name] = str(value)  # read by worker processes when they start
            libc.mallopt(option, value)


def _build(args: argparse.Namespace) -> int:
    """Exit 0 on success (warnings allowed), 1 when no file yielded an article, 2 on bad setup."""
    tune_memory()
    from wording.corpus import CorpusError
    from wording.lexicon import LexiconError, load_lexicon

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
        load_lexicon(lexicon_path)  # a broken lexicon stops the build before anything is written
        out.mkdir(parents=True, exist_ok=True)
        writer = TableWriter(out, warm_imports=WARM_IMPORTS)
        try:
            tables, timings, corpus = build_tables(
                corpus_dir, metadata, lexicon_path, on_table=writer.submit
            )
        finally:
            t = time.perf_counter()
            writer.close()  # the tables handed over so far, written in full
        timings["write csv"] = time.perf_counter() - t
        timings["write csv, overlapped"] = writer.busy
    except (CorpusError, LexiconError) as exc:
        print(f"wording build: {exc}", file=sys.stderr)
        return 2
    for w in corpus.warnings.itertuples(index=False):
        where = w.file if w.line is pd.NA or pd.isna(w.line) else f"{w.file} line {w.line}"
        print(f"warning: {where}: {w.message}", file=sys.stderr)
    for r in corpus.rejected.itertuples(index=False):
        print(f"rejected: {r.file}: {r.reason}", file=sys.stderr)
    print(corpus.accounting())
    if args.timings:
        for stage, seconds in timings.items():
            print(f"  {stage:<22} {seconds:8.3f} s")
    print(f"wrote {len(tables)} tables to {paths.display(out)}/")
    if corpus.articles.empty:
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

    args = parser.parse_args(argv)
    return args.func(args)
