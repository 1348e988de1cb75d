"""Tables and side-by-side HTML for the counterparts notebook (04).

Reads ``counterparts.csv`` (``wording.counterparts``), ``paragraphs.csv`` and ``term_mentions.csv``;
every sentence and number shown comes from them. Contested terms are coloured by side with the
colours ``terminology.side_display`` gives (data/sides.csv).
"""

from __future__ import annotations

import html
import re

import pandas as pd

from wording import align
from wording.counterparts import TEXT_COLUMNS
from wording.reuse import split_sentences


def tidy(counterparts: pd.DataFrame) -> pd.DataFrame:
    """``counterparts.csv`` as read back, with empty text cells as "" and flags as booleans."""
    out = counterparts.copy()
    for column in TEXT_COLUMNS:
        if column in out:
            out[column] = out[column].fillna("").astype(str)
    for column in ("same_outlet", "mutual", "term_differs", "conflict"):
        if column in out:
            out[column] = out[column].astype(str).str.lower().eq("true")
    return out


def coverage(counterparts: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Body sentences per outlet by how many other outlets hold a kept counterpart: one row per
    outlet, a column per number of other outlets (0, 1, ...), from counterparts.csv and the
    articles' ``n_sentences`` (the build's own sentences, so nothing is split again)."""
    if "n_sentences" not in articles:
        raise ValueError(
            "articles.csv has no n_sentences column: an older build wrote it; rebuild the "
            "tables (`python -m wording build`)"
        )
    cross = counterparts[~counterparts["same_outlet"]]
    held = cross.groupby(["outlet", "file", "paragraph", "sentence"])["counterpart_outlet"]
    per = held.nunique().rename("k").reset_index().groupby(["outlet", "k"]).size()
    table = per.unstack(fill_value=0) if len(per) else pd.DataFrame()
    total = articles.groupby("outlet")["n_sentences"].sum()
    table = table.reindex(total.index, fill_value=0)
    table.insert(0, 0, total - table.sum(axis=1))
    table.columns = [int(c) for c in table.columns]
    table = table[sorted(table.columns)]
    table.attrs = {"articles": len(articles), "outlets": int(articles["outlet"].nunique())}
    return table


def summary(cov: pd.DataFrame, counterparts: pd.DataFrame) -> dict[str, int]:
    """Counts for the notebook's sentences (``cov`` from ``coverage``): sentences, kept pairs,
    facts, sentences with a counterpart in another outlet, in every other outlet, in none."""
    every = cov.attrs["outlets"] - 1
    sentences = int(cov.to_numpy().sum())
    alone = int(cov[0].sum())
    return {
        "sentences": sentences,
        "pairs": len(counterparts),
        "facts": counterparts.loc[counterparts["fact_id"] != "", "fact_id"].nunique(),
        "cross": sentences - alone,
        "every": int(cov[every].sum()) if every > 0 and every in cov else 0,
        "alone": alone,
    }


def in_every_outlet(counterparts: pd.DataFrame, outlets: int) -> pd.DataFrame:
    """The sentences with a kept counterpart in every other outlet: outlet, file, paragraph,
    sentence, text, other_outlets."""
    cross = counterparts[~counterparts["same_outlet"]]
    keys = ["outlet", "file", "paragraph", "sentence", "text"]
    held = cross.groupby(keys)["counterpart_outlet"].nunique().rename("other_outlets")
    held = held.reset_index()
    return held[(held["other_outlets"] == outlets - 1) & (outlets > 1)].reset_index(drop=True)


def alone_examples(
    counterparts: pd.DataFrame, paragraphs: pd.DataFrame, articles: pd.DataFrame, k: int
) -> pd.DataFrame:
    """The first ``k`` body sentences (articles in file order) with no kept counterpart in
    another outlet: outlet, file, paragraph, sentence, text. Only the articles needed are split
    into sentences, a few at a time."""
    cross = counterparts[~counterparts["same_outlet"]]
    held = set(zip(cross["file"], cross["paragraph"], cross["sentence"], strict=True))
    outlet = dict(zip(articles["file"], articles["outlet"], strict=True))
    files = sorted(outlet)
    found: list[pd.DataFrame] = []
    step = 8
    for start in range(0, len(files), step):
        some = paragraphs[paragraphs["file"].isin(files[start : start + step])]
        rows = split_sentences(some)[["file", "paragraph", "sentence", "text"]]
        keys = zip(rows["file"], rows["paragraph"], rows["sentence"], strict=True)
        rows = rows[[key not in held for key in keys]]
        found.append(rows)
        if sum(len(f) for f in found) >= k:
            break
    out = pd.concat(found, ignore_index=True).head(k) if found else pd.DataFrame()
    if out.empty:
        return pd.DataFrame(columns=["outlet", "file", "paragraph", "sentence", "text"])
    out.insert(0, "outlet", out["file"].map(outlet))
    return out


def _term_spans(text: str, terms: str, mentions: pd.DataFrame, colours: dict) -> list:
    """(start, end, side) of each contested term's matched words inside ``text``."""
    spans = []
    wanted = set(filter(None, terms.split(";")))
    rows = mentions[mentions["term_id"].isin(wanted)]
    for matched, side in dict.fromkeys(zip(rows["matched"], rows["side"], strict=True)):
        words = " ".join(str(matched).split())
        for m in re.finditer(re.escape(words), text):
            if side in colours:
                spans.append((m.start(), m.end(), side))
    spans.sort()
    kept, end = [], -1
    for s, e, side in spans:  # the first of overlapping spans wins
        if s >= end:
            kept.append((s, e, side))
            end = e
    return kept


def marked(text: str, terms: str, mentions: pd.DataFrame, colours: dict) -> str:
    """``text`` as HTML with each contested term underlined in its side's colour."""
    out, at = [], 0
    for s, e, side in _term_spans(text, terms, mentions, colours):
        out.append(html.escape(text[at:s]))
        label, colour = colours[side]
        out.append(
            f"<b style='color:{colour};border-bottom:2px solid {colour}' "
            f"title='{html.escape(label)}'>{html.escape(text[s:e])}</b>"
        )
        at = e
    out.append(html.escape(text[at:]))
    return "".join(out)


def side_by_side(
    pairs: pd.DataFrame, mentions: pd.DataFrame, colours: dict, top: int | None = 20
) -> str:
    """An HTML table of counterpart pairs: both sentences with contested terms in their side's
    colour, then the word alignment (swapped, added, dropped). Static markup, no script."""
    legend = " · ".join(
        f"<span style='color:{c};border-bottom:2px solid {c}'>{html.escape(label)}</span>"
        for label, c in colours.values()
    )
    rows = []
    for r in pairs.head(top).itertuples(index=False):
        diff = "; ".join(
            f"<i>{name}</i>: {html.escape(value)}"
            for name, value in (("swapped", r.swapped), ("added", r.added), ("dropped", r.dropped))
            if value
        )
        left = mentions[mentions["file"] == r.file]
        right = mentions[mentions["file"] == r.counterpart_file]
        rows.append(
            f"<tr><th colspan='2' style='text-align:left'>{html.escape(r.outlet)} "
            f"{html.escape(r.file)} ¶{r.paragraph}.{r.sentence} vs "
            f"{html.escape(r.counterpart_outlet)} {html.escape(r.counterpart_file)} "
            f"¶{r.counterpart_paragraph}.{r.counterpart_sentence}: score {r.score:.2f} "
            f"(semantic {r.semantic:.2f}, lexical {r.lexical:.2f})</th></tr>"
            f"<tr><td style='text-align:left'>{marked(r.text, r.terms, left, colours)}</td>"
            f"<td style='text-align:left'>"
            f"{marked(r.counterpart_text, r.counterpart_terms, right, colours)}</td></tr>"
            f"<tr><td colspan='2' style='color:#555;text-align:left'>{diff or 'same words'}"
            "</td></tr>"
        )
    style = (
        "<style>.cp td{vertical-align:top;padding:6px;width:50%;text-align:left}"
        ".cp th{padding-top:14px}</style>"
    )
    return f"{style}<p>Terms: {legend}</p><table class='cp'>{''.join(rows)}</table>"


def one_per_fact(counterparts: pd.DataFrame) -> pd.DataFrame:
    """One pair per fact and outlet pair (mutual pairs only, each pair once: the direction whose
    file sorts first): pairs across two outlets first, then pairs within one outlet, each by
    score, highest first."""
    mutual = counterparts[counterparts["mutual"] & (counterparts["fact_id"] != "")]
    once = mutual[mutual["file"] < mutual["counterpart_file"]]
    # Pairs across two outlets answer the notebook's question; pairs within one outlet follow.
    return once.sort_values(
        ["same_outlet", "score", "file"], ascending=[True, False, True]
    ).reset_index(drop=True)


def outlet_pairs(counterparts: pd.DataFrame) -> pd.DataFrame:
    """``align.outlet_pairs``: facts two outlets both report, and how many differ on a term."""
    return align.outlet_pairs(counterparts)


def substitution_sentences(subs: pd.DataFrame, top: int = 5) -> list[str]:
    """ "Where A writes X, B writes Y: n times" for the most frequent swaps (computed)."""
    return [
        f"Where {r.outlet} writes “{r.writes}”, {r.counterpart_outlet} writes "
        f"“{r.other_writes}”: {r.n} time{'s' if r.n != 1 else ''}."
        for r in subs.head(top).itertuples(index=False)
    ]


def coverage_chart(cov: pd.DataFrame, threshold: float):
    """Stacked horizontal bars: per outlet, its sentences by how many other outlets hold a kept
    counterpart (0, 1, ...; ``cov`` from ``coverage``). Returns (figure, the plotted table)."""
    import matplotlib.pyplot as plt

    from wording.report import style

    table = cov.loc[style.outlet_order(list(cov.index))]
    fig, ax = plt.subplots(figsize=(8, 0.6 * len(table) + 1.8))
    left = pd.Series(0, index=table.index)
    greys = ["#BBBBBB", "#56B4E9", "#0072B2", "#003F6E", "#001F3A"]
    for k, column in enumerate(table.columns):
        label = (
            "no other outlet"
            if column == 0
            else f"{column} other outlet{'s' if column != 1 else ''}"
        )
        ax.barh(table.index, table[column], left=left, color=greys[k % len(greys)], label=label)
        left += table[column]
    ax.invert_yaxis()
    ax.set_xlabel("body sentences")
    ax.legend(loc="lower right", frameon=False, fontsize=9)
    alone, total = int(table[0].sum()), int(table.to_numpy().sum())
    style.titles(
        ax,
        f"{alone} of {total} sentences have no kept counterpart in another outlet",
        f"Body sentences per outlet, by other outlets holding a counterpart scoring ≥ {threshold}",
    )
    style.source_line(fig, f"Source: counterparts.csv; {cov.attrs['articles']} articles.")
    tidy_table = table.rename_axis("outlet").reset_index().rename(columns=lambda c: str(c))
    return fig, tidy_table


# --------------------------------------------------------------------------------------------
# Checks against the hand alignments (tests/data/counterparts_*.csv)
# --------------------------------------------------------------------------------------------


def seeds_hand(hand: pd.DataFrame, outlet: dict) -> tuple[dict, set]:
    """The seeds' hand alignment (``counterparts_hand.csv``): (file, paragraph, sentence,
    counterpart outlet) -> the set of (file, paragraph, sentence) it accepts (primary and
    ``also``), and the (file, paragraph, sentence) the hand alignment gives no counterpart."""
    accepted: dict = {}
    for r in hand[hand["counterpart_file"].fillna("") != ""].itertuples():
        ok = accepted.setdefault(
            (r.file, r.paragraph, r.sentence, outlet[r.counterpart_file]), set()
        )
        ok.add((r.counterpart_file, int(r.counterpart_paragraph), int(r.counterpart_sentence)))
        for item in filter(None, (r.also if isinstance(r.also, str) else "").split(";")):
            p, s = item.split(".")
            ok.add((r.counterpart_file, int(p), int(s)))
    none = hand[hand["fact"] == "none"]
    lonely = set(zip(none["file"], none["paragraph"], none["sentence"], strict=True))
    return accepted, lonely


def invented_hand(invented: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, dict, set]:
    """The invented articles (``counterparts_invented.csv``: one sentence a paragraph, each with
    the fact it tells): their paragraphs and articles tables, and the same (accepted, lonely)
    as ``seeds_hand``: every sentence of another article with the same fact is accepted."""
    paragraphs = invented[["file", "paragraph", "text"]].assign(kind="body")
    articles = invented.drop_duplicates("file")[["file", "outlet", "date"]]
    rows = list(invented[["file", "outlet", "paragraph", "fact"]].itertuples(index=False))
    accepted: dict = {}
    for f, _, p, fact in rows:
        for g, o, q, other in rows:
            if fact != "none" and fact == other and f != g:
                accepted.setdefault((f, p, 1, o), set()).add((g, q, 1))
    none = invented[invented["fact"] == "none"]
    lonely = {(f, p, 1) for f, p in zip(none["file"], none["paragraph"], strict=True)}
    return paragraphs, articles, accepted, lonely


def hand_check(
    table: pd.DataFrame, best: pd.DataFrame, accepted: dict, lonely: set, threshold: float
) -> dict[str, float]:
    """Scores of ``best`` (``counterparts.best_counterparts`` at threshold 0 on ``table``)
    against a hand alignment: ``with_counterpart`` (sentence-outlet pairs the hand alignment
    fills), ``top1_right`` and ``p_at_1`` (the best candidate is accepted), ``kept`` (best at or
    above ``threshold`` for any sentence), ``kept_right``, ``precision`` (kept_right / kept),
    ``recall`` (kept_right / with_counterpart), ``lonely`` and ``lonely_kept`` (sentences with
    no counterpart by hand that keep one)."""
    left = table.iloc[best["i"].to_numpy(int)]
    right = table.iloc[best["j"].to_numpy(int)]
    got = {
        (f, p, s, o): ((cf, cp, cs), score)
        for f, p, s, o, cf, cp, cs, score in zip(
            left["file"], left["paragraph"], left["sentence"], right["outlet"],
            right["file"], right["paragraph"], right["sentence"], best["score"], strict=True,
        )
    }  # fmt: skip
    top1 = sum(1 for k, ok in accepted.items() if k in got and got[k][0] in ok)
    kept = {k: v for k, v in got.items() if v[1] >= threshold}
    right_kept = sum(1 for k, v in kept.items() if v[0] in accepted.get(k, ()))
    lonely_kept = len({k[:3] for k in kept} & lonely)
    n = len(accepted)
    return {
        "with_counterpart": n,
        "top1_right": top1,
        "p_at_1": top1 / n if n else float("nan"),
        "kept": len(kept),
        "kept_right": right_kept,
        "precision": right_kept / len(kept) if kept else float("nan"),
        "recall": right_kept / n if n else float("nan"),
        "lonely": len(lonely),
        "lonely_kept": lonely_kept,
    }
