"""Measure the build on a hand-labelled development set of real pages (``../shared/devpages``).

The set holds ``raw/*.txt`` pages, ``manifest.csv`` (file, dispute, ...), ``truth.json`` (hand
truth per file), one lexicon per dispute (``lexicon_<dispute>.csv``) and ``score.py`` (the
scorer). ``evaluate`` builds each dispute's pages with that dispute's lexicon, writes the merged
tables where ``score.py`` can read them, and scores them with ``score.py``'s own functions
(imported at run time from the set's folder, so the figures are the scorer's): body-line
precision/recall/F1, outlet accuracy (all pages, and pages that name their outlet), mention
F1 with voice, overall and per outlet. Nothing from the set is copied into the project.
"""

from __future__ import annotations

import importlib.util
import json
import os
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import pandas as pd

from wording.order import SIDE_ORDER

SCORED_TABLES = ("articles", "paragraphs", "removed_lines", "term_mentions", "rejected")


@dataclass
class Score:
    """Counts for one group of pages (an outlet, or all): lines, outlets, mentions."""

    pages: int = 0
    lines: Counter = field(default_factory=Counter)  # tp, fp, fn over body lines
    outlet: Counter = field(default_factory=Counter)  # correct, named, named_correct
    mentions: Counter = field(default_factory=Counter)  # tp, fp, fn of (term_id, voice)

    def add(self, other: Score) -> None:
        self.pages += other.pages
        self.lines.update(other.lines)
        self.outlet.update(other.outlet)
        self.mentions.update(other.mentions)


def _f1(c: Counter) -> tuple[float, float, float]:
    tp, fp, fn = c["tp"], c["fp"], c["fn"]
    p = tp / (tp + fp) if tp + fp else float("nan")
    r = tp / (tp + fn) if tp + fn else float("nan")
    f = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else float("nan")
    return p, r, f


def load_scorer(devpages: Path) -> ModuleType:
    """The set's ``score.py`` as a module (its functions are used; its ``main`` is not run)."""
    spec = importlib.util.spec_from_file_location("devpages_score", devpages / "score.py")
    if spec is None or spec.loader is None:
        raise FileNotFoundError(f"{devpages / 'score.py'}: no scorer")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def usable_lexicon(path: Path, folder: Path) -> tuple[Path, str]:
    """``path``, or a copy in ``folder`` whose sides the package accepts, and a note saying so.

    While ``wording.lexicon`` accepts only the sides of ``wording.order.SIDE_ORDER``, a side
    outside them becomes ``neutral`` in the copy: the scorer compares term_id and voice only.
    """
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    from wording.lexicon import LexiconError, validate_lexicon

    try:
        validate_lexicon(table, source=path.name)
        return path, ""
    except LexiconError as exc:
        if "side must be" not in str(exc):
            raise
    other = sorted(set(table["side"]) - set(SIDE_ORDER))
    table["side"] = table["side"].where(table["side"].isin(SIDE_ORDER), "neutral")
    copy = folder / path.name
    table.to_csv(copy, index=False)
    return copy, f"{path.name}: side(s) {', '.join(other)} read as 'neutral' (not scored)"


def build_set(devpages: Path, out: Path) -> list[str]:
    """Build each dispute's pages with its lexicon; write the merged tables to ``out``.

    Returns notes (lexicon side mapping, accounting per dispute).
    """
    from wording import pipeline

    manifest = pd.read_csv(devpages / "manifest.csv", dtype=str, keep_default_na=False)
    notes: list[str] = []
    merged: dict[str, list[pd.DataFrame]] = defaultdict(list)
    with tempfile.TemporaryDirectory(prefix="wording-eval-") as tmp:
        for dispute, rows in manifest.groupby("dispute", sort=True):
            pages = Path(tmp) / dispute
            pages.mkdir()
            for name in rows["file"]:
                os.symlink((devpages / "raw" / name).resolve(), pages / name)
            lexicon, note = usable_lexicon(devpages / f"lexicon_{dispute}.csv", Path(tmp))
            if note:
                notes.append(note)
            result = pipeline.run(pages, None, lexicon)
            notes.append(f"{dispute}: {result.accounting()}")
            for name in SCORED_TABLES:
                merged[name].append(getattr(result.tables, name))
    out.mkdir(parents=True, exist_ok=True)
    for name, parts in merged.items():
        table = pd.concat([p for p in parts if not p.empty] or parts, ignore_index=True)
        pipeline.write_table(table, out / f"{name}.csv")
    return notes


def score_set(devpages: Path, out: Path) -> dict[str, Score]:
    """Per-outlet scores (key: the truth's outlet) and ``'ALL'``, with ``score.py``'s functions."""
    sc = load_scorer(devpages)
    truth = json.loads((devpages / "truth.json").read_text(encoding="utf-8"))
    articles = {r["file"]: r for r in sc.read_csv(out / "articles.csv")}
    removed: dict[str, dict[int, str]] = defaultdict(dict)
    for r in sc.read_csv(out / "removed_lines.csv"):
        removed[r["file"]][int(r["line"])] = r["rule"]
    paras: dict[str, list[dict]] = defaultdict(list)
    for r in sc.read_csv(out / "paragraphs.csv"):
        paras[r["file"]].append(r)
    mentions: dict[str, list[dict]] = defaultdict(list)
    for r in sc.read_csv(out / "term_mentions.csv"):
        mentions[r["file"]].append(r)
    scores: dict[str, Score] = defaultdict(Score)
    for f in sorted(truth):
        t, s = truth[f], Score(pages=1)
        got = articles.get(f, {}).get("outlet", "")
        ok = got not in ("", "unknown") and sc.same_outlet(got, t["outlet"])
        named = bool(t["outlet_in_text"])
        s.outlet.update(correct=int(ok), named=int(named), named_correct=int(ok and named))
        raw = (devpages / "raw" / f).read_bytes().decode("utf-8", errors="replace").split("\n")
        ps = sorted(paras.get(f, []), key=lambda r: int(r["paragraph"]))
        cls = sc.tool_line_classes(raw, removed.get(f, {}), ps)
        tool = {i for i, c in cls.items() if c[0] in sc.BODY_KINDS}
        body = set(t["body_lines"])
        s.lines.update(tp=len(tool & body), fp=len(tool - body), fn=len(body - tool))
        want = Counter((m["term_id"], m["voice"]) for m in t["mentions"])
        have = Counter((m["term_id"], m["voice"]) for m in mentions.get(f, []))
        tp = sum((want & have).values())
        s.mentions.update(tp=tp, fp=sum(have.values()) - tp, fn=sum(want.values()) - tp)
        scores[t["outlet"]].add(s)
        scores["ALL"].add(s)
    return dict(scores)


def justext_lines(devpages: Path) -> Counter:
    """Body-line tp/fp/fn of the justext library on the set, each non-blank line given to it as
    one ``<p>`` paragraph (English stop list, default settings): the yardstick the generic
    cleaner is measured against."""
    import html

    import justext

    truth = json.loads((devpages / "truth.json").read_text(encoding="utf-8"))
    stoplist = justext.get_stoplist("English")
    counts: Counter = Counter()
    for f in sorted(truth):
        lines = (devpages / "raw" / f).read_bytes().decode("utf-8", errors="replace").split("\n")
        numbers = [i for i, line in enumerate(lines, start=1) if line.strip()]
        doc = "".join(f"<p>{html.escape(lines[i - 1])}</p>" for i in numbers)
        paragraphs = justext.justext(f"<html><body>{doc}</body></html>".encode(), stoplist)
        kept = {i for i, p in zip(numbers, paragraphs, strict=False) if not p.is_boilerplate}
        body = set(truth[f]["body_lines"])
        counts.update(tp=len(kept & body), fp=len(kept - body), fn=len(body - kept))
    return counts


def format_scores(scores: dict[str, Score]) -> str:
    """A table: per outlet, pages, outlet right (named pages), body-line P/R/F1, mention F1."""

    def pct(x: float) -> str:
        return "   n/a" if x != x else f"{100 * x:5.1f}%"

    head = (
        f"{'outlet':26} {'pages':>5} {'outlet':>7} {'named':>7} "
        f"{'line P':>7} {'line R':>7} {'line F1':>7} {'ment F1':>7}"
    )
    rows = [head]
    for name in [k for k in sorted(scores) if k != "ALL"] + ["ALL"]:
        s = scores[name]
        p, r, f = _f1(s.lines)
        mf = _f1(s.mentions)[2]
        named = f"{s.outlet['named_correct']}/{s.outlet['named']}"
        rows.append(
            f"{name:26} {s.pages:5d} {s.outlet['correct']:>3}/{s.pages:<3} {named:>7} "
            f"{pct(p):>7} {pct(r):>7} {pct(f):>7} {pct(mf):>7}"
        )
    return "\n".join(rows)


def evaluate(devpages: str | os.PathLike, out: str | os.PathLike | None = None) -> str:
    """Build and score the development set; return the printed report (notes, then the table).

    ``out`` keeps the merged tables (for ``score.py --out``); by default a temporary folder.
    """
    devpages = Path(devpages)
    with tempfile.TemporaryDirectory(prefix="wording-eval-out-") as tmp:
        folder = Path(out) if out is not None else Path(tmp)
        notes = build_set(devpages, folder)
        scores = score_set(devpages, folder)
    p, r, f = _f1(justext_lines(devpages))
    yardstick = f"justext (each line a paragraph): line P {p:.1%}, R {r:.1%}, F1 {f:.1%}"
    return "\n".join([*notes, "", format_scores(scores), yardstick])
