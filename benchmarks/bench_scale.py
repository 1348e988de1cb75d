"""The build at scale, stage by stage, against the obvious alternatives (a benchmark, not a test).

Usage:
  .venv/bin/python benchmarks/bench_scale.py                       # 1k, 10k, 100k
  .venv/bin/python benchmarks/bench_scale.py --sizes 1000 10000    # choose sizes
  .venv/bin/python benchmarks/bench_scale.py --sizes 10000 --profile   # + cProfile of the build
  options: --no-alternative, --no-scattertext, --markdown (print README tables), --json PATH

For each size it generates (or reuses) a synthetic corpus (benchmarks/generate.py), then runs, each
in its own fresh process so peak memory is that run's own (the parent samples the child's process
tree from /proc and attributes the peak to the stage the child reports; ``os.wait4`` rusage too):

1. the package: ``python -m wording build --no-metadata --out DIR --timings`` exactly as a user runs
   it (``wording.cli.main``), with timers wrapped around the stage functions it calls, so the
   compare stage is split into its parts: TF-IDF (tokenising, shared with keyness, + weights and
   top-k tables), keyness, article/outlet similarity; and writing the CSVs.
2. the straightforward alternative, on the same article bodies the build extracted (read from its
   articles.csv, untimed) so both sides see identical text: reading the raw pages (its "load"; it
   has no cleaning), scikit-learn ``TfidfVectorizer(ngram_range=(1, 3))``, and a per-term regex
   loop (``for term in lexicon: for doc in docs: re.finditer``). The address-space limit of this
   process is capped (--alt-limit-gb) so a blow-up fails cleanly instead of swapping the machine.
3. scattertext's log-odds with informative Dirichlet prior (its Fightin' Words), if the separate
   venv benchmarks/out/st-venv exists (scattertext pins scipy<1.14: never in the project venv):
   ``CorpusFromPandas(..., nlp=whitespace_nlp_with_sentences, UnigramsFromSpacyDoc())`` then
   ``LogOddsRatioInformativeDirichletPrior(scale_type="word", sigma=10)`` per outlet against the
   rest.

Prints per stage: wall seconds, articles/s, MB/s (input page bytes / s), peak memory during the
stage (PSS of the child process plus any worker processes it starts, read by the parent from /proc
at least once a second and at once when a stage begins, attributed to the stage the child is in),
the scaling exponent between successive sizes (log(t2/t1) / log(n2/n1); 1.0 = linear), and the
ratios alternative time / package time. Results go to benchmarks/out/scale-results.json.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
VENV_PY = ROOT / ".venv" / "bin" / "python"
ST_PY = OUT / "st-venv" / "bin" / "python"
PAGE = os.sysconf("SC_PAGE_SIZE")
PSS_EVERY = 1.0  # seconds between two reads of the proportional set sizes

PACKAGE_STAGES = ["load+clean", "terms", "tfidf", "keyness", "similarity", "reuse", "write csv"]
STAGE_LABELS = {
    "load+clean": "load + clean pages",
    "terms": "term matching (+ voice)",
    "tfidf": "TF-IDF (tokenise + weights + top-k)",
    "keyness": "keyness (Fightin' Words)",
    "similarity": "similarity (articles, outlets)",
    "reuse": "text reuse",
    "write csv": "write CSVs (waiting for the writer thread at the end)",
    "startup+other": "startup, imports, other",
    "total": "TOTAL (process wall time)",
}


# ------------------------------------------------------------------------------------------------
# Memory: the parent samples the child's process tree; the child reports its stage in a file
# ------------------------------------------------------------------------------------------------


def tree_memory_mb(root: int, floor: float = 0.0) -> float:
    """Memory of process ``root`` plus all its descendants (worker pools), from /proc: the sum of
    proportional set sizes (PSS: pages shared copy-on-write by forked workers counted once, split
    between them), or of resident sets where smaps_rollup is unavailable.

    Reading smaps_rollup walks the page tables of a process while holding its memory lock (tens
    of milliseconds at 4 GB, and the process's page faults wait meanwhile), so it is read only
    when the resident sets (cheap, from statm, never below PSS) add up to more than ``floor``:
    below that, the sum of resident sets is returned, which cannot raise a peak above ``floor``.
    """
    parent = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as fh:
                parent[int(entry.name)] = int(fh.read().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue
    tree = []
    for pid in parent:
        p = pid
        while p > 1 and p != root:
            p = parent.get(p, 0)
        if p == root:
            tree.append(pid)
    resident = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/statm") as fh:
                resident += int(fh.read().split()[1]) * PAGE
        except OSError:
            continue
    if resident / 2**20 <= floor:
        return resident / 2**20
    total = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as fh:
                total += next(int(x.split()[1]) for x in fh if x.startswith("Pss:")) * 1024
        except (OSError, StopIteration):
            try:
                with open(f"/proc/{pid}/statm") as fh:
                    total += int(fh.read().split()[1]) * PAGE
            except OSError:
                continue
    return total / 2**20


class StageLabel:
    """The child's current stage, written to a file the parent reads while sampling memory."""

    def __init__(self):
        self.path = os.environ.get("BENCH_STAGE_FILE")
        self.label = "startup+other"

    def set(self, label: str) -> None:
        self.label = label
        if self.path:
            with open(self.path, "w") as fh:
                fh.write(label)

    def done(self, stage: str, seconds: float) -> None:
        """Log a finished call (read by the parent if the child is killed by the timeout)."""
        if self.path:
            with open(self.path + ".progress", "a") as fh:
                fh.write(f"{stage}\t{seconds:.3f}\n")


class Stages:
    """Exclusive wall time per stage: ``wrap(module, name, stage)`` times a module function; time
    spent in a wrapped function called from another wrapped one counts for the inner stage only."""

    def __init__(self, label: StageLabel):
        self.seconds: dict[str, float] = {}
        self.label = label
        self._stack: list[list] = []  # [stage, start, time in wrapped callees]
        self.background: dict[str, float] = {}  # busy seconds of wrapped calls in other threads
        self._lock = threading.Lock()

    def wrap(self, module, name: str, stage: str) -> None:
        if not hasattr(module, name):
            return
        inner = getattr(module, name)

        def timed(*args, **kwargs):
            if threading.current_thread() is not threading.main_thread():
                # The build's background table writer: its busy time overlaps the main thread's
                # stages, so it is kept apart and the stack (the main thread's) is left alone.
                start = time.perf_counter()
                try:
                    return inner(*args, **kwargs)
                finally:
                    with self._lock:
                        key = f"{stage} (background)"
                        self.background[key] = self.background.get(key, 0.0) + (
                            time.perf_counter() - start
                        )
            self._stack.append([stage, time.perf_counter(), 0.0])
            self.label.set(stage)
            try:
                return inner(*args, **kwargs)
            finally:
                _, start, callees = self._stack.pop()
                elapsed = time.perf_counter() - start
                self.seconds[stage] = self.seconds.get(stage, 0.0) + elapsed - callees
                self.label.done(stage, elapsed - callees)
                if self._stack:
                    self._stack[-1][2] += elapsed
                self.label.set(self._stack[-1][0] if self._stack else "startup+other")

        setattr(module, name, timed)


# ------------------------------------------------------------------------------------------------
# Child processes
# ------------------------------------------------------------------------------------------------


def child_package(corpus: str, out: str, result: str, profile: str | None) -> None:
    """Run ``python -m wording build`` in this process with stage timers; write JSON results."""
    t0 = time.perf_counter()
    label = StageLabel()
    import contextlib
    import io
    import resource

    import wording.cli as cli
    from wording import compare, lexicon, reuse
    from wording import corpus as corpus_mod

    stages = Stages(label)
    stages.wrap(corpus_mod, "load_corpus", "load+clean")
    stages.wrap(lexicon, "load_lexicon", "terms")
    stages.wrap(lexicon, "find_mentions", "terms")
    stages.wrap(lexicon, "count_terms", "terms")
    stages.wrap(compare, "default_matcher", "tfidf")
    stages.wrap(compare, "count_terms", "tfidf")  # one tokenisation, shared by TF-IDF and keyness
    stages.wrap(compare, "tfidf_tables", "tfidf")
    stages.wrap(compare, "_tfidf_tables", "tfidf")  # what compare_tables calls
    stages.wrap(compare, "tfidf_from_counts", "tfidf")
    stages.wrap(compare, "keyness", "keyness")
    stages.wrap(compare, "bounded_keyness", "keyness")
    stages.wrap(compare, "article_similarity", "similarity")
    stages.wrap(compare, "_article_similarity", "similarity")  # what compare_tables calls
    stages.wrap(compare, "outlet_similarity", "similarity")
    stages.wrap(compare, "compare_tables", "keyness")  # its own remainder (stop-word flags)
    stages.wrap(reuse, "shared_passages", "reuse")
    stages.wrap(cli, "write_table", "write csv")  # in the build's writer thread
    stages.wrap(cli.TableWriter, "close", "write csv")  # waiting for the last tables
    captured = {}
    build_tables = cli.build_tables

    def build_and_keep(*args, **kwargs):
        tables, timings, corp = build_tables(*args, **kwargs)
        captured["timings"] = dict(timings)
        captured["rows"] = {name: len(t) for name, t in tables.items()}
        captured["articles"] = len(corp.articles)
        return tables, timings, corp

    cli.build_tables = build_and_keep
    argv = ["build", "--corpus", corpus, "--no-metadata", "--out", out, "--timings"]
    stdout, stderr = io.StringIO(), io.StringIO()
    prof = None
    if profile:
        import cProfile

        prof = cProfile.Profile()
        prof.enable()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = cli.main(argv)
    if prof is not None:
        prof.disable()
        prof.dump_stats(profile)
    total = time.perf_counter() - t0
    label.set("startup+other")
    sec = dict(stages.seconds)
    sec["startup+other"] = total - sum(sec.get(s, 0.0) for s in PACKAGE_STAGES)
    sec["total"] = total
    json.dump(
        {
            "exit_code": code,
            "seconds": sec,
            "background_seconds": dict(stages.background),
            "own_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "cli_timings": captured.get("timings", {}),
            "rows": captured.get("rows", {}),
            "articles": captured.get("articles", 0),
            "stdout": stdout.getvalue()[-2000:],
            "stderr_tail": stderr.getvalue()[-1000:],
        },
        open(result, "w"),
        indent=1,
    )


def _bodies(derived: str):
    import pandas as pd

    a = pd.read_csv(Path(derived) / "articles.csv", usecols=["file", "outlet", "body"], dtype=str)
    return a.fillna("")


def child_alternative(corpus: str, derived: str, result: str, limit_gb: float) -> None:
    """The straightforward way: TfidfVectorizer(1-3 grams) + a regex loop per term per document."""
    import csv
    import re
    import resource

    if limit_gb > 0:
        cap = int(limit_gb * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    t0 = time.perf_counter()
    label = StageLabel()
    sec: dict[str, float] = {}
    out: dict = {"seconds": sec}
    try:
        label.set("load")
        t = time.perf_counter()
        texts = [p.read_text(encoding="utf-8") for p in sorted(Path(corpus).glob("*.txt"))]
        sec["load"] = time.perf_counter() - t
        del texts
        label.set("startup+other")
        if (Path(derived) / "articles.csv").exists():
            docs = _bodies(derived)["body"].tolist()  # untimed: the bodies the package analysed
            out["input"] = "cleaned bodies from the build's articles.csv"
        else:  # the build did not finish: the raw pages (chrome included)
            docs = [p.read_text(encoding="utf-8") for p in sorted(Path(corpus).glob("*.txt"))]
            out["input"] = "raw pages (the build wrote no articles.csv)"
        from sklearn.feature_extraction.text import TfidfVectorizer

        label.set("tfidf")
        t = time.perf_counter()
        x = TfidfVectorizer(ngram_range=(1, 3)).fit_transform(docs)
        sec["tfidf"] = time.perf_counter() - t
        out["tfidf_shape"] = list(x.shape)
        out["tfidf_nnz"] = int(x.nnz)
        del x
        label.set("terms")
        with open(ROOT / "data" / "lexicon.csv", encoding="utf-8") as fh:
            lexicon = [(r["term_id"], r["pattern"]) for r in csv.DictReader(fh)]
        t = time.perf_counter()
        rows = []
        for term_id, pattern in lexicon:
            rx = re.compile(pattern, re.IGNORECASE)
            for i, doc in enumerate(docs):
                for m in rx.finditer(doc):
                    rows.append((i, term_id, m.start(), m.end()))
        sec["terms"] = time.perf_counter() - t
        out["mentions"] = len(rows)
    except MemoryError as exc:
        out["error"] = f"MemoryError in stage {label.label} (limit {limit_gb} GB): {exc}"
    sec["total"] = time.perf_counter() - t0
    label.set("startup+other")
    json.dump(out, open(result, "w"), indent=1)


def child_scattertext(derived: str, result: str) -> None:
    """scattertext 0.2.2: corpus from the bodies (its whitespace tokenizer), log-odds per outlet."""
    import warnings

    warnings.filterwarnings("ignore")
    t0 = time.perf_counter()
    label = StageLabel()
    import scattertext as st

    sec: dict[str, float] = {"import": time.perf_counter() - t0}
    articles = _bodies(derived)
    label.set("tokenise")
    t = time.perf_counter()
    corpus = st.CorpusFromPandas(
        articles,
        category_col="outlet",
        text_col="body",
        nlp=st.whitespace_nlp_with_sentences,
        feats_from_spacy_doc=st.UnigramsFromSpacyDoc(),
    ).build()
    sec["tokenise"] = time.perf_counter() - t
    label.set("keyness")
    t = time.perf_counter()
    tf = corpus.get_term_freq_df()
    total = tf.sum(axis=1)
    z = {}
    for column in tf.columns:  # one outlet against the rest, as wording.compare.keyness does
        scorer = st.LogOddsRatioInformativeDirichletPrior(total, sigma=10, scale_type="word")
        z[column] = scorer.get_zeta_i_j_given_separate_counts(tf[column], total - tf[column])
    sec["keyness"] = time.perf_counter() - t
    sec["total"] = time.perf_counter() - t0
    label.set("startup+other")
    json.dump({"seconds": sec, "terms": len(tf)}, open(result, "w"), indent=1)


def warm_page_cache(corpus: Path) -> float:
    """Read every page once, so the build is timed with the corpus in the page cache (as after
    generating it, or a second run). From a cold cache, loading 100k pages took 8 s longer with
    2 workers (41.4 s against 33.4 s; `echo 1 > /proc/sys/vm/drop_caches` before the run).
    Returns the seconds the reading took."""
    start = time.perf_counter()
    with os.scandir(corpus) as entries:
        for entry in entries:
            if entry.is_file():
                with open(entry.path, "rb") as fh:
                    fh.read()
    return time.perf_counter() - start


def run_child(python: Path, args: list[str], result: Path, timeout: float | None) -> dict:
    """Run this script as a child; return its JSON plus wall time, and peak memory of the child's
    process tree per stage (sampled here, PSS at most once a second, so the child pays little)."""
    start = time.perf_counter()
    stage_file = result.with_suffix(".stage")
    stage_file.write_text("startup+other")
    progress = Path(str(stage_file) + ".progress")
    progress.unlink(missing_ok=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "PYTHONHASHSEED": "0"}
    env["BENCH_STAGE_FILE"] = str(stage_file)
    proc = subprocess.Popen([str(python), __file__, *args], cwd=ROOT, env=env)
    peaks: dict[str, float] = {}
    deadline = None if timeout is None else start + timeout
    last_pss = 0.0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        label = stage_file.read_text().strip() or "startup+other"
        # PSS at most every PSS_EVERY seconds (and at once in a new stage): reading it takes a
        # share of a core from the run measured (at 10 Hz it added 14 s to a 30 s load stage).
        now = time.perf_counter()
        if label not in peaks or now - last_pss >= PSS_EVERY:
            last_pss = now
            rss = tree_memory_mb(proc.pid, floor=peaks.get(label, 0.0))
            peaks[label] = max(peaks.get(label, 0.0), rss)
        if deadline and time.perf_counter() > deadline:
            proc.kill()
            os.wait4(proc.pid, 0)
            partial: dict[str, float] = {}
            if progress.exists():
                for line in progress.read_text().splitlines():
                    stage, sec = line.split("\t")
                    partial[stage] = partial.get(stage, 0.0) + float(sec)
            return {
                "error": f"timed out after {timeout:.0f} s in stage {label}",
                "peak_mb": peaks,
                "partial_seconds": partial,
            }
        time.sleep(0.1)
    proc.returncode = 0  # reaped by wait4
    wall = time.perf_counter() - start
    peaks["total"] = max([usage.ru_maxrss / 1024, *peaks.values()])
    if os.waitstatus_to_exitcode(status) != 0 or not result.exists():
        code = os.waitstatus_to_exitcode(status)
        return {"error": f"exit status {code}", "wall": wall, "peak_mb": peaks}
    data = json.loads(result.read_text())
    data["wall"] = wall
    data["peak_mb"] = peaks
    data["maxrss_mb"] = usage.ru_maxrss / 1024
    data["cpu_s"] = usage.ru_utime + usage.ru_stime
    return data


# ------------------------------------------------------------------------------------------------
# Report
# ------------------------------------------------------------------------------------------------


def source_state() -> str:
    """The commit measured, flagged when src/ has uncommitted changes."""
    git = ["git", "-C", str(ROOT)]
    head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run([*git, "status", "--porcelain", "src"], capture_output=True, text=True)
    changed = [line[3:] for line in dirty.stdout.splitlines()]
    return head.stdout.strip() + (f" + uncommitted {', '.join(changed)}" if changed else "")


def exponent(t1: float, t2: float, n1: int, n2: int) -> float:
    if t1 <= 0 or t2 <= 0:
        return float("nan")
    return math.log(t2 / t1) / math.log(n2 / n1)


def seconds_of(run: dict) -> dict[str, float]:
    """Stage seconds of a run; for a run killed by the timeout, the stages it finished."""
    return run.get("seconds") or run.get("partial_seconds") or {}


def stage_table(results: dict) -> list[list[str]]:
    """Rows: stage, then per size seconds | art/s | MB/s | peak MB, then exponents."""
    sizes = sorted(results, key=int)
    rows = []
    for stage in [*PACKAGE_STAGES, "startup+other", "total"]:
        row = [STAGE_LABELS[stage]]
        for n in sizes:
            r = results[n]["package"]
            s = seconds_of(r).get(stage, float("nan"))
            mb = results[n]["corpus_mb"]
            peak = r.get("peak_mb", {}).get(stage, float("nan"))
            if math.isnan(s):
                row.append(f"not reached ({r['error']}) · {peak:,.0f} MB" if "error" in r else "–")
                continue
            memory = "– MB (no sample)" if math.isnan(peak) else f"{peak:,.0f} MB"
            row.append(f"{s:.2f} s · {int(n) / s:,.0f}/s · {mb / s:.1f} MB/s · {memory}")
        for a, b in zip(sizes, sizes[1:], strict=False):
            sa, sb = seconds_of(results[a]["package"]), seconds_of(results[b]["package"])
            e = exponent(sa.get(stage, 0), sb.get(stage, 0), int(a), int(b))
            row.append("–" if math.isnan(e) else f"{e:.2f}")
        rows.append(row)
    # The writer thread's busy time overlaps the stages above: shown apart, not in the total.
    row = ["(write CSVs: busy in the background thread, during the stages above)"]
    for n in sizes:
        busy = results[n]["package"].get("background_seconds", {}).get("write csv (background)")
        row.append("–" if busy is None else f"{busy:.2f} s")
    row += ["–"] * (len(sizes) - 1)
    rows.insert(len(rows) - 2, row)
    return rows


def comparison_table(results: dict) -> list[list[str]]:
    """Rows: comparable stage, per size: package s, alternative s, ratio (alternative / package)."""
    pairs = [
        ("load (package cleans; alternative only reads)", ["load+clean"], "alt", ["load"]),
        ("term matching", ["terms"], "alt", ["terms"]),
        ("TF-IDF", ["tfidf"], "alt", ["tfidf"]),
        (
            "keyness: tokenise + log-odds (scattertext)",
            ["tfidf", "keyness"],
            "st",
            ["tokenise", "keyness"],
        ),
    ]
    rows = []
    for label, pkg_stage, who, alt_stage in pairs:
        row = [label]
        for n in sorted(results, key=int):
            pkg = seconds_of(results[n]["package"])
            alt = results[n].get(who) or {}
            sec = alt.get("seconds", {})
            p = sum(pkg.get(s, float("nan")) for s in pkg_stage)
            a = sum(sec.get(s, float("nan")) for s in alt_stage) if sec else float("nan")
            if "error" in alt and math.isnan(a):
                row.append(f"{p:.2f} s vs {alt['error']}")
            elif math.isnan(a):
                row.append(f"{p:.2f} s vs not run")
            else:
                row.append(f"{p:.2f} s vs {a:.2f} s = {a / p:.1f}×")
        rows.append(row)
    # overall: the alternative's three stages against the package's matching ones
    row = ["overall (load + terms + TF-IDF)"]
    for n in sorted(results, key=int):
        pkg = seconds_of(results[n]["package"])
        alt = (results[n].get("alt") or {}).get("seconds", {})
        p = sum(pkg.get(s, float("nan")) for s in ("load+clean", "terms", "tfidf"))
        if all(s in alt for s in ("load", "terms", "tfidf")):
            a = alt["load"] + alt["terms"] + alt["tfidf"]
            row.append(f"{p:.2f} s vs {a:.2f} s = {a / p:.1f}×")
        else:
            row.append(f"{p:.2f} s vs –")
    rows.append(row)
    row = ["whole build vs whole alternative (process wall)"]
    for n in sorted(results, key=int):
        pkg = seconds_of(results[n]["package"]).get("total", float("nan"))
        alt = results[n].get("alt") or {}
        a = alt.get("seconds", {}).get("total", float("nan"))
        pk = results[n]["package"].get("peak_mb", {}).get("total", float("nan"))
        mem = f"; peak {pk:,.0f} MB vs {alt.get('peak_mb', {}).get('total', float('nan')):,.0f} MB"
        row.append(f"{pkg:.1f} s vs {a:.1f} s = {a / pkg:.2f}×{mem}")
    rows.append(row)
    return rows


def render(rows: list[list[str]], header: list[str], markdown: bool) -> str:
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(lines)
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=False)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    return "\n".join([fmt.format(*header), *(fmt.format(*r) for r in rows)])


def report(results: dict, markdown: bool) -> str:
    sizes = sorted(results, key=int)
    head = ["stage"] + [f"{int(n):,} articles ({results[n]['corpus_mb']:.0f} MB)" for n in sizes]
    head += [
        f"exponent {int(a) // 1000}k→{int(b) // 1000}k"
        for a, b in zip(sizes, sizes[1:], strict=False)
    ]
    commits = sorted({results[n].get("commit", "?") for n in sizes})
    text = [f"source: {'; '.join(commits)}", ""]
    text += [render(stage_table(results), head, markdown), ""]
    text.append(
        "cells: wall seconds · articles/s · MB/s of input pages · peak memory (PSS, workers"
        " included) in the stage"
    )
    text.append("")
    head = ["comparable stage"] + [f"{int(n):,}: package vs alternative" for n in sizes]
    text.append(render(comparison_table(results), head, markdown))
    notes = []
    for n in sizes:
        st_res = results[n].get("st")
        if st_res and "seconds" in st_res:
            notes.append(
                f"scattertext at {int(n):,}: tokenise {st_res['seconds']['tokenise']:.2f} s, "
                f"log-odds {st_res['seconds']['keyness']:.2f} s, peak "
                f"{st_res.get('peak_mb', {}).get('total', float('nan')):,.0f} MB"
            )
        elif st_res:
            notes.append(f"scattertext at {int(n):,}: {st_res.get('error')}")
        alt = results[n].get("alt") or {}
        if "mentions" in alt:
            pkg_rows = results[n]["package"].get("rows", {}).get("term_mentions.csv")
            notes.append(
                f"mentions at {int(n):,}: package {pkg_rows}, regex loop {alt['mentions']} "
                "(the loop double-counts terms that the package's category alternation resolves)"
            )
    return "\n".join(text + [""] + notes)


# ------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "_package":
        child_package(argv[1], argv[2], argv[3], argv[4] if len(argv) > 4 else None)
        return 0
    if argv and argv[0] == "_alternative":
        child_alternative(argv[1], argv[2], argv[3], float(argv[4]))
        return 0
    if argv and argv[0] == "_scattertext":
        child_scattertext(argv[1], argv[2])
        return 0

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--no-alternative", action="store_true")
    parser.add_argument("--no-scattertext", action="store_true")
    parser.add_argument("--profile", action="store_true", help="cProfile the package run")
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--alt-limit-gb", type=float, default=20.0)
    parser.add_argument("--timeout", type=float, default=3600.0, help="per child process, s")
    parser.add_argument("--json", default=str(OUT / "scale-results.json"))
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import generate

    results_path = Path(args.json)
    results = json.loads(results_path.read_text()) if results_path.exists() else {}
    for n in args.sizes:
        corpus = OUT / f"corpus-{n}"
        stats = generate.generate(n, corpus)
        derived = OUT / f"derived-{n}"
        res: dict = {"corpus_mb": stats["bytes"] / 1e6, "generate_s": stats["seconds"]}
        res["commit"] = source_state()
        print(f"[{n:,}] corpus {res['corpus_mb']:.1f} MB; running the build ...", flush=True)
        prof = str(OUT / f"profile-{n}.prof") if args.profile else None
        result = OUT / f"result-package-{n}.json"
        result.unlink(missing_ok=True)
        child_args = ["_package", str(corpus), str(derived), str(result)] + ([prof] if prof else [])
        res["warm_read_s"] = warm_page_cache(corpus)
        res["package"] = run_child(VENV_PY, child_args, result, args.timeout)
        print(f"[{n:,}] build: {json.dumps(res['package'].get('seconds', res['package']))}")
        if not args.no_alternative:
            result = OUT / f"result-alt-{n}.json"
            result.unlink(missing_ok=True)
            alt_args = [
                "_alternative",
                str(corpus),
                str(derived),
                str(result),
                str(args.alt_limit_gb),
            ]
            res["alt"] = run_child(VENV_PY, alt_args, result, args.timeout)
            print(f"[{n:,}] alternative: {json.dumps(res['alt'].get('seconds', res['alt']))}")
        has_bodies = (derived / "articles.csv").exists()
        if not args.no_scattertext and ST_PY.exists() and has_bodies:
            result = OUT / f"result-st-{n}.json"
            result.unlink(missing_ok=True)
            res["st"] = run_child(
                ST_PY, ["_scattertext", str(derived), str(result)], result, args.timeout
            )
            print(f"[{n:,}] scattertext: {json.dumps(res['st'].get('seconds', res['st']))}")
        results[str(n)] = res
        results_path.write_text(json.dumps(results, indent=1))
    shown = {k: v for k, v in results.items() if int(k) in args.sizes}
    print()
    print(report(shown, args.markdown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
