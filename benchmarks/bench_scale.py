"""The build at scale, stage by stage, on two synthetic corpora, beside the straightforward route
(a benchmark, not a test).

Usage:
  .venv/bin/python benchmarks/bench_scale.py                      # both corpora, 1k 10k 100k
  .venv/bin/python benchmarks/bench_scale.py --generator wire --sizes 1000 10000
  .venv/bin/python benchmarks/bench_scale.py --sizes 10000 --profile  # + cProfile of the build
  options: --generator std|wire|both, --no-alternative, --no-scattertext, --markdown (README
  tables), --json PATH, --timeout S, --alt-limit-gb G

Corpora: ``std`` is benchmarks/generate.py (the seed outlets' layouts, ~500-word bodies), ``wire``
is benchmarks/generate_wire.py (wire stories rewritten by many outlets, boilerplate backgrounds,
ragged line lengths). Both are cached under benchmarks/out/ and list their planted near-copies.

For each corpus and size, each in its own fresh process (so peak memory is that run's own):

1. the package, exactly as a user runs it: ``python -m wording build --corpus DIR --no-metadata
   --out OUT --timings``. The stages are the ones the build prints (lines ``  <stage> <seconds> s``
   after its accounting line): the harness knows no module or function names, so it keeps working
   while the package is reorganised. A stage whose name says "overlapped" or "background" ran
   beside the others (the table writer): shown apart, not counted in the total.
2. the straightforward alternative, on the same article bodies the build extracted (read from its
   articles.csv, untimed) so both sides see identical text: reading the raw pages (its "load"; it
   has no cleaning), scikit-learn ``TfidfVectorizer(ngram_range=(1, 3))``, and a per-term regex
   loop (``for term in lexicon: for doc in docs: re.finditer``). Its address space is capped
   (--alt-limit-gb) so a blow-up fails cleanly instead of swapping the machine.
3. scattertext's log-odds with informative Dirichlet prior (its Fightin' Words), if the separate
   venv benchmarks/out/st-venv exists (scattertext pins scipy<1.14: never in the project venv).

Memory: the parent reads the proportional set size (PSS) of the child and all its descendants
(worker processes) from /proc once a second, and the cheap resident sizes five times a second.
Samples are attributed to stages afterwards: the printed stage times are laid back to back, ending
when the build prints its accounting line (stdout unbuffered, each line time-stamped here).

Prints per stage: wall seconds, articles/s, MB/s of input pages, peak PSS in the stage, the
scaling exponent between successive sizes (log(t2/t1) / log(n2/n1); 1.0 = linear), the ratios
alternative time / package time, and what the build rejected against the planted near-copies.
Results go to benchmarks/out/scale-results.json, keyed by generator and size.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
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
PSS_EVERY = 1.0  # seconds between two reads of the proportional set sizes (each costs the run)
RSS_EVERY = 0.2  # seconds between two reads of the resident sizes (cheap)
GENERATORS = {"std": ("generate", "corpus"), "wire": ("generate_wire", "wire")}

# What `wording build` prints: "N inputs: A articles, R rejected, W warnings", then with --timings
# one line per stage, "  <stage> <seconds> s".
ACCOUNTING_RE = re.compile(
    r"^(\d+) (?:inputs|files): (\d+) articles, (\d+) rejected, (\d+) warnings"
)
TIMING_RE = re.compile(r"^  (\S.*?)\s+(-?\d+(?:\.\d+)?) s$")
OVERLAPPED_RE = re.compile(r"overlapped|background", re.IGNORECASE)

# Package stages comparable with the alternative's, found by words in the printed stage names
# (the first group that matches any stage is used; a build that prints one combined stage for
# pages shows "–" here, and only the overall and whole-process rows compare).
COMPARABLE = [
    ("load (package cleans; alternative only reads)", ("load", "clean"), "alt", ["load"]),
    ("term matching", ("term", "mention", "lexicon"), "alt", ["terms"]),
    ("TF-IDF (package: tfidf, or all of compare)", ("tfidf", "tf-idf", "features", "compare"),
     "alt", ["tfidf"]),
    ("tokenise + keyness (scattertext)", ("tfidf", "tf-idf", "features", "keyness", "compare"),
     "st", ["tokenise", "keyness"]),
]  # fmt: skip


# ------------------------------------------------------------------------------------------------
# Memory of a process tree, from /proc
# ------------------------------------------------------------------------------------------------


def process_tree(root: int) -> list[int]:
    """``root`` and all its descendants (worker pools), from /proc/*/stat."""
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
    return tree


def resident_mb(tree: list[int]) -> float:
    """Sum of resident sets (statm: cheap, never below PSS)."""
    total = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/statm") as fh:
                total += int(fh.read().split()[1]) * PAGE
        except OSError:
            continue
    return total / 2**20


def pss_mb(tree: list[int]) -> float:
    """Sum of proportional set sizes (pages shared copy-on-write by forked workers counted once,
    split between them); the resident set where smaps_rollup is unavailable. Reading smaps_rollup
    walks a process's page tables while holding its memory lock: hence at most once a second."""
    total = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as fh:
                total += next(int(x.split()[1]) for x in fh if x.startswith("Pss:")) * 1024
        except (OSError, StopIteration):
            total += resident_mb([pid]) * 2**20
    return total / 2**20


PSS_CHEAP_MB = 1024.0  # below this resident total, PSS is cheap to read: read it at every sample


class Lines:
    """Reads a child's output stream in a thread: time-stamped lines (stdout), or counts by
    first word and a tail (stderr: tens of thousands of warnings at 100k)."""

    def __init__(self, stream, start: float, keep_all: bool):
        self.lines: list[tuple[float, str]] = []
        self.kinds: dict[str, int] = {}
        self.tail: list[str] = []
        self._args = (stream, start, keep_all)
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        stream, start, keep_all = self._args
        for raw in stream:
            line = raw.rstrip("\n")
            if keep_all:
                self.lines.append((time.perf_counter() - start, line))
            else:
                kind = line.split(":", 1)[0] if ":" in line[:20] else "other"
                self.kinds[kind] = self.kinds.get(kind, 0) + 1
                self.tail = (self.tail + [line])[-20:]


def run_child(cmd: list[str], timeout: float | None) -> dict:
    """Run ``cmd``; return wall time, exit status, rusage, stdout lines (time-stamped), a summary
    of stderr, and memory samples of the child's process tree: (seconds, PSS MB or None, RSS MB).
    """
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "PYTHONHASHSEED": "0"}
    env["PYTHONUNBUFFERED"] = "1"  # each stdout line arrives when printed: stages are placed by it
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    out, err = Lines(proc.stdout, start, True), Lines(proc.stderr, start, False)
    samples: list[tuple[float, float | None, float]] = []
    last_pss = -PSS_EVERY
    error = None
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        now = time.perf_counter() - start
        tree = process_tree(proc.pid)
        rss = resident_mb(tree)
        pss = None
        if rss < PSS_CHEAP_MB or now - last_pss >= PSS_EVERY:
            pss, last_pss = pss_mb(tree), now
        samples.append((now, pss, rss))
        if timeout is not None and now > timeout:
            proc.kill()
            _, status, usage = os.wait4(proc.pid, 0)
            error = f"timed out after {timeout:.0f} s"
            break
        time.sleep(RSS_EVERY)
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped by wait4
    wall = time.perf_counter() - start
    out.thread.join(5)
    err.thread.join(5)
    code = proc.returncode
    return {
        "cmd": cmd,
        "wall": wall,
        "exit_code": code,
        "error": error or (f"exit status {code}" if code else None),
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "maxrss_mb": usage.ru_maxrss / 1024,  # the largest single process of the tree
        "peak_pss_mb": max([p for _, p, _ in samples if p is not None], default=float("nan")),
        "samples": samples,
        "stdout": out.lines,
        "stderr_kinds": err.kinds,
        "stderr_tail": err.tail,
    }


def build_stages(run: dict) -> dict:
    """What ``wording build --timings`` printed: the accounting, the stages in order (seconds),
    the overlapped ones apart, and each stage's peak PSS from the samples (stages laid back to
    back, ending when the accounting line was printed)."""
    accounting, printed_at, stages, overlapped = None, None, [], {}
    for t, line in run["stdout"]:
        if m := ACCOUNTING_RE.match(line):
            accounting = dict(zip(("files", "articles", "rejected", "warnings"),
                                  map(int, m.groups()), strict=True))  # fmt: skip
            printed_at = t
        elif accounting and (m := TIMING_RE.match(line)):
            name, seconds = m.group(1).strip(), float(m.group(2))
            if OVERLAPPED_RE.search(name):
                overlapped[name] = seconds
            else:
                stages.append([name, seconds])
    seconds = {name: s for name, s in stages}
    seconds["startup+other"] = run["wall"] - sum(s for _, s in stages)
    seconds["total"] = run["wall"]
    peaks: dict[str, float] = {"total": run["peak_pss_mb"]}
    if printed_at is not None:
        windows, end = {}, printed_at
        for name, s in reversed(stages):
            windows[name] = (end - s, end)
            end -= s
        for t, pss, _ in run["samples"]:
            if pss is None:
                continue
            stage = next((n for n, (a, b) in windows.items() if a <= t <= b), "startup+other")
            peaks[stage] = max(peaks.get(stage, 0.0), pss)
    return {
        "accounting": accounting,
        "order": [name for name, _ in stages],
        "seconds": seconds,
        "overlapped": overlapped,
        "peak_mb": peaks,
    }


def check_rejections(derived: Path, planted: dict[str, str]) -> dict:
    """The build's rejections against the planted near-copies {copy: original}."""
    path = derived / "rejected.csv"
    if not path.exists():
        return {"error": "no rejected.csv"}
    import csv

    with open(path, encoding="utf-8") as fh:
        rejected = {r["file"]: r["reason"] for r in csv.DictReader(fh)}
    caught = [f for f in planted if f in rejected and planted[f] in rejected[f]]
    other = {f: reason for f, reason in rejected.items() if f not in planted}
    return {
        "planted": len(planted),
        "caught": len(caught),
        "missed": sorted(set(planted) - set(caught))[:10],
        "other": len(other),
        "other_examples": [f"{f}: {r}" for f, r in sorted(other.items())[:5]],
    }


# ------------------------------------------------------------------------------------------------
# The alternatives (run as this script in a child process)
# ------------------------------------------------------------------------------------------------


def _bodies(derived: str):
    import pandas as pd

    a = pd.read_csv(Path(derived) / "articles.csv", usecols=["file", "outlet", "body"], dtype=str)
    return a.fillna("")


def child_alternative(corpus: str, derived: str, result: str, limit_gb: float) -> None:
    """The straightforward way: TfidfVectorizer(1-3 grams) + a regex loop per term per document."""
    import csv
    import resource

    if limit_gb > 0:
        cap = int(limit_gb * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    t0 = time.perf_counter()
    sec: dict[str, float] = {}
    out: dict = {"seconds": sec}
    stage = "load"
    try:
        t = time.perf_counter()
        texts = [p.read_text(encoding="utf-8") for p in sorted(Path(corpus).glob("*.txt"))]
        sec["load"] = time.perf_counter() - t
        del texts
        if (Path(derived) / "articles.csv").exists():
            docs = _bodies(derived)["body"].tolist()  # untimed: the bodies the package analysed
            out["input"] = "cleaned bodies from the build's articles.csv"
        else:  # the build did not finish: the raw pages (chrome included)
            docs = [p.read_text(encoding="utf-8") for p in sorted(Path(corpus).glob("*.txt"))]
            out["input"] = "raw pages (the build wrote no articles.csv)"
        from sklearn.feature_extraction.text import TfidfVectorizer

        stage = "tfidf"
        t = time.perf_counter()
        x = TfidfVectorizer(ngram_range=(1, 3)).fit_transform(docs)
        sec["tfidf"] = time.perf_counter() - t
        out["tfidf_shape"] = list(x.shape)
        out["tfidf_nnz"] = int(x.nnz)
        del x
        stage = "terms"
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
        out["error"] = f"MemoryError in stage {stage} (limit {limit_gb} GB): {exc}"
    sec["total"] = time.perf_counter() - t0
    with open(result, "w") as fh:
        json.dump(out, fh, indent=1)


def child_scattertext(derived: str, result: str) -> None:
    """scattertext 0.2.2: corpus from the bodies (its whitespace tokenizer), log-odds per outlet."""
    import warnings

    warnings.filterwarnings("ignore")
    t0 = time.perf_counter()
    import scattertext as st

    sec: dict[str, float] = {"import": time.perf_counter() - t0}
    articles = _bodies(derived)
    t = time.perf_counter()
    corpus = st.CorpusFromPandas(
        articles,
        category_col="outlet",
        text_col="body",
        nlp=st.whitespace_nlp_with_sentences,
        feats_from_spacy_doc=st.UnigramsFromSpacyDoc(),
    ).build()
    sec["tokenise"] = time.perf_counter() - t
    t = time.perf_counter()
    tf = corpus.get_term_freq_df()
    total = tf.sum(axis=1)
    z = {}
    for column in tf.columns:  # one outlet against the rest, as the package's keyness does
        scorer = st.LogOddsRatioInformativeDirichletPrior(total, sigma=10, scale_type="word")
        z[column] = scorer.get_zeta_i_j_given_separate_counts(tf[column], total - tf[column])
    sec["keyness"] = time.perf_counter() - t
    sec["total"] = time.perf_counter() - t0
    with open(result, "w") as fh:
        json.dump({"seconds": sec, "terms": len(tf)}, fh, indent=1)


def run_script_child(python: Path, args: list[str], result: Path, timeout: float) -> dict:
    """This script as a child (an alternative): its JSON, plus wall time and peak memory."""
    result.unlink(missing_ok=True)
    run = run_child([str(python), __file__, *args], timeout)
    data = json.loads(result.read_text()) if result.exists() and not run["error"] else {}
    data.update(wall=run["wall"], peak_mb={"total": run["peak_pss_mb"]}, cpu_s=run["cpu_s"])
    if run["error"]:
        data["error"] = f"{run['error']}: {' | '.join(run['stderr_tail'][-3:])}"
    return data


def warm_page_cache(corpus: Path) -> float:
    """Read every page once, so the build is timed with the corpus in the page cache (as after
    generating it, or a second run). From a cold cache, loading 100k pages took 8 s longer with
    2 workers (41.4 s against 33.4 s). Returns the seconds the reading took."""
    start = time.perf_counter()
    with os.scandir(corpus) as entries:
        for entry in entries:
            if entry.is_file():
                with open(entry.path, "rb") as fh:
                    fh.read()
    return time.perf_counter() - start


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
    if not (t1 > 0 and t2 > 0):
        return float("nan")
    return math.log(t2 / t1) / math.log(n2 / n1)


def stage_rows(results: dict) -> list[str]:
    """Stage names in the order the builds printed them (union over sizes)."""
    names: list[str] = []
    for n in sorted(results, key=int):
        for name in results[n]["package"].get("order", []):
            if name not in names:
                names.append(name)
    return names


def stage_table(results: dict) -> list[list[str]]:
    """Rows: stage, then per size seconds · art/s · MB/s · peak MB, then exponents."""
    sizes = sorted(results, key=int)
    rows = []
    for stage in [*stage_rows(results), "startup+other", "total"]:
        label = {"startup+other": "startup, imports, other", "total": "TOTAL (process wall)"}
        row = [label.get(stage, stage)]
        for n in sizes:
            pkg = results[n]["package"]
            s = pkg.get("seconds", {}).get(stage, float("nan"))
            if math.isnan(s):
                row.append(pkg.get("error") or "–")
                continue
            peak = pkg.get("peak_mb", {}).get(stage, float("nan"))
            memory = "– MB (no sample)" if math.isnan(peak) else f"{peak:,.0f} MB"
            mb = results[n]["corpus_mb"]
            rate = f"{int(n) / s:,.0f}/s · {mb / s:.1f} MB/s" if s > 0 else "–"
            row.append(f"{s:.2f} s · {rate} · {memory}")
        for a, b in zip(sizes, sizes[1:], strict=False):
            sa = results[a]["package"].get("seconds", {}).get(stage, 0.0)
            sb = results[b]["package"].get("seconds", {}).get(stage, 0.0)
            e = exponent(sa, sb, int(a), int(b))
            row.append("–" if math.isnan(e) else f"{e:.2f}")
        rows.append(row)
    overlapped = sorted({k for n in sizes for k in results[n]["package"].get("overlapped", {})})
    for name in overlapped:  # beside the stages above: shown apart, not part of the total
        row = [f"({name}: beside the stages above)"]
        for n in sizes:
            busy = results[n]["package"].get("overlapped", {}).get(name)
            row.append("–" if busy is None else f"{busy:.2f} s")
        rows.insert(len(rows) - 2, row + ["–"] * (len(sizes) - 1))
    return rows


def _matching(order: list[str], words: tuple[str, ...]) -> list[str]:
    """The printed stages whose names hold the first of ``words`` that any of them holds."""
    for word in words:
        found = [name for name in order if word in name.lower()]
        if found:
            return found
    return []


def comparison_table(results: dict) -> list[list[str]]:
    """Rows: comparable stage, per size: package s vs alternative s = alternative / package."""
    rows = []
    for label, words, who, alt_stages in COMPARABLE:
        row = [label]
        for n in sorted(results, key=int):
            pkg = results[n]["package"]
            stages = _matching(pkg.get("order", []), words)
            alt = results[n].get(who) or {}
            sec = alt.get("seconds", {})
            if not stages:
                row.append("– (no such stage printed)")
                continue
            p = sum(pkg["seconds"][s] for s in stages)
            if any(s not in sec for s in alt_stages):
                row.append(f"{p:.2f} s vs {alt.get('error', 'not run')}")
                continue
            a = sum(sec[s] for s in alt_stages)
            row.append(f"{p:.2f} s vs {a:.2f} s = {a / p:.1f}×")
        rows.append(row)
    row = ["overall (load + terms + TF-IDF)"]
    for n in sorted(results, key=int):
        pkg = results[n]["package"]
        stages = {s for _, words, who, _ in COMPARABLE[:3] for s in
                  _matching(pkg.get("order", []), words)}  # fmt: skip
        sec = (results[n].get("alt") or {}).get("seconds", {})
        if stages and all(s in sec for s in ("load", "terms", "tfidf")):
            p = sum(pkg["seconds"][s] for s in stages)
            a = sec["load"] + sec["terms"] + sec["tfidf"]
            row.append(f"{p:.2f} s vs {a:.2f} s = {a / p:.1f}×")
        else:
            row.append("–")
    rows.append(row)
    row = ["whole build vs whole alternative (process wall; peak PSS)"]
    for n in sorted(results, key=int):
        pkg = results[n]["package"]["seconds"].get("total", float("nan"))
        alt = results[n].get("alt") or {}
        a = alt.get("wall", float("nan"))
        pk = results[n]["package"].get("peak_mb", {}).get("total", float("nan"))
        ak = alt.get("peak_mb", {}).get("total", float("nan"))
        row.append(f"{pkg:.1f} s vs {a:.1f} s = {a / pkg:.2f}×; {pk:,.0f} MB vs {ak:,.0f} MB")
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


def report(generator: str, results: dict, markdown: bool) -> str:
    sizes = sorted(results, key=int)
    head = ["stage"] + [f"{int(n):,} articles ({results[n]['corpus_mb']:.0f} MB)" for n in sizes]
    head += [f"exponent {int(a):,}→{int(b):,}" for a, b in zip(sizes, sizes[1:], strict=False)]
    commits = sorted({results[n].get("commit", "?") for n in sizes})
    text = [f"## corpus: {generator}; source: {'; '.join(commits)}", ""]
    text += [render(stage_table(results), head, markdown), ""]
    text.append(
        "cells: wall seconds · articles/s · MB/s of input pages · peak PSS of the process tree in"
        " the stage (workers included)"
    )
    text.append("")
    head = ["comparable stage"] + [f"{int(n):,}: package vs alternative" for n in sizes]
    text += [render(comparison_table(results), head, markdown), ""]
    for n in sizes:
        res = results[n]
        acc = res["package"].get("accounting") or {}
        rej = res.get("rejections", {})
        text.append(
            f"- {int(n):,}: the build says {acc.get('files', '?')} files: "
            f"{acc.get('articles', '?')} articles, {acc.get('rejected', '?')} rejected, "
            f"{acc.get('warnings', '?')} warnings; planted near-copies {rej.get('planted', '?')}, "
            f"rejected as duplicates of their original {rej.get('caught', '?')}, other "
            f"rejections {rej.get('other', '?')}"
            + (f" (e.g. {rej['other_examples'][0]})" if rej.get("other_examples") else "")
            + (f"; missed {rej['missed']}" if rej.get("missed") else "")
        )
        st_res = res.get("st")
        if st_res and "tokenise" in st_res.get("seconds", {}):
            text.append(
                f"- {int(n):,}: scattertext tokenise {st_res['seconds']['tokenise']:.2f} s, "
                f"log-odds {st_res['seconds']['keyness']:.2f} s, peak "
                f"{st_res.get('peak_mb', {}).get('total', float('nan')):,.0f} MB"
            )
        elif st_res:
            text.append(f"- {int(n):,}: scattertext {st_res.get('error')}")
        alt = res.get("alt") or {}
        if "mentions" in alt:
            text.append(
                f"- {int(n):,}: mentions: package {res['package'].get('rows', '?')}, regex loop "
                f"{alt['mentions']} (the loop also counts 'Kurils' inside 'Southern Kurils', "
                "which the lexicon's order resolves)"
            )
    return "\n".join(text)


# ------------------------------------------------------------------------------------------------


def count_rows(path: Path) -> int | None:
    """Data rows of a CSV table (records, not lines: fields may hold line breaks)."""
    if not path.exists():
        return None
    import csv

    with open(path, encoding="utf-8", newline="") as fh:
        return sum(1 for _ in csv.reader(fh)) - 1


def measure(generator: str, n: int, args: argparse.Namespace) -> dict:
    """Generate (or reuse) the corpus, then run the build and the alternatives on it."""
    module_name, prefix = GENERATORS[generator]
    sys.path.insert(0, str(ROOT / "benchmarks"))
    module = __import__(module_name)
    corpus = OUT / f"{prefix}-{n}"
    stats = module.generate(n, corpus)
    derived = OUT / f"derived-{generator}-{n}"
    res: dict = {"corpus_mb": stats["bytes"] / 1e6, "generate_s": stats["seconds"]}
    res["commit"] = source_state()
    tag = f"[{generator} {n:,}]"
    print(f"{tag} corpus {res['corpus_mb']:.1f} MB; running the build ...", flush=True)
    cmd = [str(VENV_PY)]
    if args.profile:
        cmd += ["-m", "cProfile", "-o", str(OUT / f"profile-{generator}-{n}.prof")]
    cmd += ["-m", "wording", "build", "--corpus", str(corpus), "--no-metadata"]
    cmd += ["--out", str(derived), "--timings"]
    res["warm_read_s"] = warm_page_cache(corpus)
    run = run_child(cmd, args.timeout)
    package = build_stages(run)
    package.update({k: run[k] for k in ("wall", "exit_code", "error", "cpu_s", "maxrss_mb")})
    package["stdout"] = [line for _, line in run["stdout"]]
    package["stderr_kinds"], package["stderr_tail"] = run["stderr_kinds"], run["stderr_tail"]
    package["rows"] = count_rows(derived / "term_mentions.csv")
    res["package"] = package
    res["rejections"] = check_rejections(derived, stats.get("copies", {}))
    print(f"{tag} build: {json.dumps(package['seconds'])}", flush=True)
    for line in package["stdout"]:
        print(f"{tag}   | {line}")
    if not args.no_alternative:
        result = OUT / f"result-alt-{generator}-{n}.json"
        alt_args = ["_alternative", str(corpus), str(derived), str(result), str(args.alt_limit_gb)]
        res["alt"] = run_script_child(VENV_PY, alt_args, result, args.timeout)
        print(f"{tag} alternative: {json.dumps(res['alt'].get('seconds', res['alt']))}")
    if not args.no_scattertext and ST_PY.exists() and (derived / "articles.csv").exists():
        result = OUT / f"result-st-{generator}-{n}.json"
        st_args = ["_scattertext", str(derived), str(result)]
        res["st"] = run_script_child(ST_PY, st_args, result, args.timeout)
        print(f"{tag} scattertext: {json.dumps(res['st'].get('seconds', res['st']))}")
    return res


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "_alternative":
        child_alternative(argv[1], argv[2], argv[3], float(argv[4]))
        return 0
    if argv and argv[0] == "_scattertext":
        child_scattertext(argv[1], argv[2])
        return 0

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--generator", choices=["std", "wire", "both"], default="both")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--no-alternative", action="store_true")
    parser.add_argument("--no-scattertext", action="store_true")
    parser.add_argument("--profile", action="store_true", help="cProfile the package run")
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--alt-limit-gb", type=float, default=20.0)
    parser.add_argument("--timeout", type=float, default=3600.0, help="per child process, s")
    parser.add_argument("--json", default=str(OUT / "scale-results.json"))
    args = parser.parse_args(argv)

    OUT.mkdir(parents=True, exist_ok=True)
    results_path = Path(args.json)
    results = json.loads(results_path.read_text()) if results_path.exists() else {}
    if any(k.isdigit() for k in results):  # written by the earlier harness: {size: ...}
        results = {"earlier harness (std)": results}
    generators = ["std", "wire"] if args.generator == "both" else [args.generator]
    for generator in generators:
        for n in args.sizes:
            results.setdefault(generator, {})[str(n)] = measure(generator, n, args)
            results_path.write_text(json.dumps(results, indent=1))
    for generator in generators:
        shown = {k: v for k, v in results[generator].items() if int(k) in args.sizes}
        print()
        print(report(generator, shown, args.markdown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
