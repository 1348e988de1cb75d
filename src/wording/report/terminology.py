"""Tables, charts and findings for the contested-terminology notebook (03).

Everything here reads the tidy outputs of ``wording.lexicon`` (mentions, counts, lexicon). Chart
functions return ``(figure, table)``: the table holds exactly the numbers plotted, for
``style.save``. Finding sentences are built from the tables, never typed: they live in
``terminology_prose``, the sides' labels and the lexicon's groups in ``sides``; both are
importable from here, as the notebook reads them.
"""

from __future__ import annotations

import re
import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from wording.report import style
from wording.report.sides import (  # noqa: F401  (the notebook reads them here)
    FRAMING_CATEGORIES,
    LABEL_NOUNS,
    SIDE_FORM,
    SIDE_NAME,
    SPARE_SIDE_COLOURS,
    _join,
    _side_rank,
    _times,
    group_plural,
    headline_group,
    lexicon_groups,
    other_groups,
    side_adjective,
    side_display,
    side_label,
    side_order,
    side_term,
    times,
)
from wording.report.terminology_prose import (  # noqa: F401  (the notebook reads them here)
    by_side,
    by_wording_source,
    collective_findings,
    framing_findings,
    framing_sentence,
    naming_formula_share,
    own_usage,
    quoted_summary,
    usage_by_outlet,
    usage_sentence,
    wire_sentence,
    wording_source_sentence,
)


def _panels(n: int, height: float, width: float = 3.3) -> tuple[plt.Figure, list[plt.Axes]]:
    """One small-multiple panel per outlet, up to four a row, shared x axis."""
    cols = min(n, 4) or 1
    rows = int(np.ceil(n / cols)) if n else 1
    fig, axes = plt.subplots(
        rows, cols, figsize=(width * cols + 1.2, height * rows + 1.2), sharex=True, squeeze=False
    )
    flat = list(axes.ravel())
    for ax in flat[n:]:
        ax.set_visible(False)
    return fig, flat[:n]


def _heading(fig: plt.Figure, title: str, subtitle: str) -> None:
    """Lay the panels out, then put the title and grey subtitle above them (left-aligned).

    Placed above the figure's top edge in inches, so they never collide with the panel titles;
    ``savefig(bbox_inches="tight")`` keeps them in the saved file. Lines wrap to the figure width.
    """
    fig.tight_layout()
    width, height = fig.get_size_inches()
    sub_lines = textwrap.wrap(subtitle, int(width * 72 / (9.5 * 0.55)))
    title_lines = textwrap.wrap(title, int(width * 72 / (12.5 * 0.62)))
    fig.text(0.01, 1 + 0.08 / height, "\n".join(sub_lines), ha="left", va="bottom",
             fontsize=9.5, color="#555555")  # fmt: skip
    above = 0.08 + 0.17 * len(sub_lines) + 0.1
    fig.text(0.01, 1 + above / height, "\n".join(title_lines), ha="left", va="bottom",
             fontsize=12.5, fontweight="bold")  # fmt: skip


def _voice_bars(ax: plt.Axes, wide: pd.DataFrame, colours: list[str], xmax: float) -> None:
    """Horizontal bars per row of ``wide`` (columns editorial, quoted): solid then hatched."""
    y = np.arange(len(wide))[::-1]
    left = np.zeros(len(wide))
    for voice in style.VOICE_ORDER:
        values = wide[voice].to_numpy(dtype=float)
        look = style.VOICE_STYLE[voice]
        ax.barh(y, values, left=left, color=colours, alpha=look["alpha"], hatch=look["hatch"],
                edgecolor=colours, linewidth=0.8)  # fmt: skip
        left = left + values
    for yy, own, quoted in zip(y, wide["editorial"], wide["quoted"], strict=True):
        label = f"{own} own" + (f" + {quoted} quoted" if quoted else "")
        ax.text(own + quoted + xmax * 0.03, yy, label, va="center", fontsize=8.5)
    ax.set_yticks(y, wide.index)
    ax.set_xlim(0, xmax * 1.9 if xmax else 1)
    ax.xaxis.get_major_locator().set_params(integer=True)


# How each use of a term is drawn after the outlet's own words (solid), and named in labels.
USE_ORDER = ["own", "gloss", "bracketed", "quoted", "scare"]


USE_STYLE = {
    "own": {"alpha": 1.0, "hatch": None},
    "gloss": {"alpha": 0.25, "hatch": "...."},
    "bracketed": {"alpha": 0.35, "hatch": "xx"},
    "quoted": {"alpha": 0.45, "hatch": "///"},
    "scare": {"alpha": 0.45, "hatch": "\\\\"},
}


USE_WORDS = {"own": "own", "gloss": "gloss", "bracketed": "in brackets", "quoted": "quoted",
             "scare": "scare quote"}  # fmt: skip


def by_side_use(
    mentions: pd.DataFrame, lexicon: pd.DataFrame, counts: pd.DataFrame, group: str
) -> pd.DataFrame:
    """Mentions of one lexicon group (its ``group`` column, else ``category``) per outlet × side
    × use (own, gloss, bracketed, quoted, scare), zeros kept, in the study's order; without a
    ``use`` column, editorial counts as own and quoted as quoted."""
    column = "group" if "group" in lexicon.columns else "category"
    in_group = set(lexicon.loc[lexicon[column] == group, "term_id"])
    sides = side_order(lexicon.loc[lexicon[column] == group, "side"])
    outlets = style.outlet_order(counts["outlet"]) if len(counts) else []
    part = mentions[mentions["term_id"].isin(in_group)]
    use = (
        part["use"]
        if "use" in part.columns
        else part["voice"].map({"editorial": "own", "quoted": "quoted"})
    )
    found = part.assign(use=use).groupby(["outlet", "side", "use"]).size()
    grid = pd.MultiIndex.from_product([outlets, sides, USE_ORDER], names=["outlet", "side", "use"])
    table = found.reindex(grid, fill_value=0).rename("mentions").reset_index()
    words = counts.groupby("outlet")["body_words"].first()
    table["body_words"] = table["outlet"].map(words)
    table["per_1000_words"] = table["mentions"] / table["body_words"] * 1000
    if "n_articles" in counts.columns:  # each panel carries its own N
        table.attrs["n_articles"] = counts.groupby("outlet")["n_articles"].first().to_dict()
    return table


def _use_bars(ax: plt.Axes, wide: pd.DataFrame, colours: list[str], xmax: float) -> None:
    """Horizontal bars per row of ``wide`` (one column per use): own solid, the rest patterned."""
    y = np.arange(len(wide))[::-1]
    left = np.zeros(len(wide))
    for use in USE_ORDER:
        values = wide[use].to_numpy(dtype=float)
        look = USE_STYLE[use]
        ax.barh(y, values, left=left, color=colours, alpha=look["alpha"], hatch=look["hatch"],
                edgecolor=colours, linewidth=0.8)  # fmt: skip
        left = left + values
    for yy, (_, row) in zip(y, wide.iterrows(), strict=True):
        rest = [f"{row[u]} {USE_WORDS[u]}" for u in USE_ORDER[1:] if row[u]]
        label = f"{row['own']} own" + ("" if not rest else " + " + " + ".join(rest))
        ax.text(row.sum() + xmax * 0.03, yy, label, va="center", fontsize=8.5)
    ax.set_yticks(y, wide.index)
    ax.set_xlim(0, xmax * 2.4 if xmax else 1)
    ax.xaxis.get_major_locator().set_params(integer=True)


# The study's figure names, kept; another group's chart is named after the group.
FIGURE_NAMES = {"collective name": "03-collective-names-by-voice"}


def figure_name(group: str) -> str:
    """'03-collective-names-by-voice' for the study's collective names; '03-sea-names-by-use'."""
    slug = "-".join(re.findall(r"[a-z0-9]+", group_plural(group).lower())) or "terms"
    return FIGURE_NAMES.get(group, f"03-{slug}-by-use")


def collective_chart(
    table: pd.DataFrame,
    n_articles: int,
    display: dict[str, tuple[str, str]] | None = None,
    group: str = "collective name",
) -> tuple[plt.Figure, pd.DataFrame, str]:
    """Small multiples: each outlet's mentions of one lexicon group (by default the collective
    names) by side, the outlet's own words solid, glosses, bracketed insertions and quotations
    patterned apart (``table`` from ``by_side_use``; side labels and colours from ``display``,
    ``side_display``). Returns (figure, plotted table, title)."""
    outlets = style.outlet_order(table["outlet"])
    if not outlets or not table["mentions"].sum():
        fig, ax = plt.subplots(figsize=(7, 1.6))
        ax.axis("off")
        title = (
            f"No article of known outlet mentions any of the {group_plural(group)}"
            if len(table)
            else f"No {group_plural(group)}: the lexicon lists none, or no article mentions one"
        )
        ax.text(0, 0.5, title, fontsize=11, va="center")
        columns = ["outlet", "name", "side", "use", "mentions", "per_1000_words"]
        return fig, table.assign(name="").reindex(columns=columns), title
    names = {s: (display or {}).get(s) or side_display([s])[s] for s in side_order(table["side"])}
    names = {s: (side_term(s, names, group), colour) for s, (_, colour) in names.items()}
    plotted = table.assign(name=table["side"].map(lambda s: names[s][0]))
    own = plotted.assign(voice=np.where(plotted["use"] == "own", "editorial", "other"))
    noun = group.split()[-1] if group else "name"
    if any(s != "neutral" for s in names):
        title = "In their own words, " + usage_sentence(usage_by_outlet(own), noun, names)
    else:  # only neutral terms: who uses them, and how often
        n_own = own[own["voice"] == "editorial"].groupby("outlet")["mentions"].sum()
        title = f"Own use of the {group_plural(group)}: " + ", ".join(
            f"{o} {int(n_own.get(o, 0))}" for o in outlets
        )
    fig, axes = _panels(len(outlets), 1.5, width=4.4)
    totals = plotted.groupby(["outlet", "side"])["mentions"].sum()
    xmax = float(totals.max()) if len(totals) else 1.0
    sides = side_order(plotted["side"])
    n_by_outlet = table.attrs.get("n_articles", {})
    for ax, outlet in zip(axes, outlets, strict=True):
        part = plotted[plotted["outlet"] == outlet]
        wide = part.pivot_table(index="name", columns="use", values="mentions", aggfunc="sum")
        wide = wide.reindex([names[s][0] for s in sides]).fillna(0).astype(int)
        wide = wide.reindex(columns=USE_ORDER, fill_value=0)
        _use_bars(ax, wide, [names[s][1] for s in sides], xmax)
        n = n_by_outlet.get(outlet)
        label = outlet if n is None else f"{outlet}, {n} article{'s' if n != 1 else ''}"
        ax.set_title(label, fontsize=11, color=style.outlet_text_colour(outlet, outlets))
    axes[-1].set_xlabel("mentions in article bodies")
    _heading(
        fig,
        title,
        f"{group_plural(group).capitalize()}, by side. Solid = the outlet's own words; dotted = "
        "a gloss that names a term and attributes it to a side; crossed = inserted in "
        "square brackets into a quotation; hatched = inside a quotation. "
        f"{style.sample_label(n_articles, len(outlets))}",
    )
    style.source_line(
        fig,
        "Source: term_mentions.csv (column use), for the terms of this lexicon group in "
        "the lexicon. Only solid bars are the outlet's own choice of words.",
    )
    return fig, plotted[["outlet", "name", "side", "use", "mentions", "per_1000_words"]], title


def island_forms(counts: pd.DataFrame, lexicon: pd.DataFrame) -> pd.DataFrame:
    """Island-name mentions per outlet × island × form (Russian / Japanese / same), both voices."""
    part = counts[counts["category"] == "island name"]
    part = part.merge(lexicon[["term_id", "label", "referent"]], on="term_id", how="left")
    table = part.groupby(["outlet", "referent", "side", "term_id", "label", "voice"], sort=False,
                         as_index=False)["mentions"].sum()  # fmt: skip
    table["form"] = table["side"].map(SIDE_FORM).fillna(table["side"] + " form")
    return table


def island_chart(
    table: pd.DataFrame, n_articles: int, display: dict[str, tuple[str, str]] | None = None
) -> tuple[plt.Figure, pd.DataFrame, str]:
    """Small multiples per outlet: mentions of each island by name form (colour = form; labels
    and colours from ``display``, ``side_display``). A lexicon without island names (or no
    mention of one) gives a figure that says so."""
    outlets = style.outlet_order(table["outlet"])
    if table.empty or not outlets:
        fig, ax = plt.subplots(figsize=(7, 1.6))
        ax.axis("off")
        title = "No island names: the lexicon lists none, or no article mentions one"
        ax.text(0, 0.5, title, fontsize=11, va="center")
        return fig, table.reindex(columns=["outlet", "referent", "form", "term_id", "voice",
                                           "mentions"]), title  # fmt: skip
    referents = list(dict.fromkeys(table["referent"]))
    sides = side_order(table["side"])
    shown = {s: (display or {}).get(s) or side_display([s])[s] for s in sides}
    form = {s: "same in both" if s == "neutral" else side_adjective(shown[s][0]) + " form"
            for s in sides}  # fmt: skip
    usage = usage_by_outlet(table.assign(voice="any"), voice="any")
    title = "Island names: " + usage_sentence(usage, "form", shown)
    fig, axes = _panels(len(outlets), 0.42 * len(referents) + 0.6)
    per_island = table.groupby(["outlet", "referent"])["mentions"].sum()
    xmax = float(per_island.max()) if len(per_island) and per_island.max() > 0 else 1.0
    y = np.arange(len(referents))[::-1]
    for ax, outlet in zip(axes, outlets, strict=True):
        part = table[table["outlet"] == outlet]
        left = np.zeros(len(referents))
        for side in sides:
            values = (
                part[part["side"] == side].groupby("referent")["mentions"].sum()
                .reindex(referents, fill_value=0).to_numpy(dtype=float)
            )  # fmt: skip
            ax.barh(y, values, left=left, color=shown[side][1], label=form[side])
            left = left + values
        for yy, total, ref in zip(y, left, referents, strict=True):
            names = part[(part["referent"] == ref) & (part["mentions"] > 0)]
            names = names.groupby("label", sort=False)["mentions"].sum()
            text = ", ".join(f"{k} {v}" for k, v in names.items()) or "0"
            ax.text(total + xmax * 0.04, yy, text, va="center", fontsize=8.5)
        ax.set_yticks(y, referents)
        ax.set_xlim(0, xmax * 2.2)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.set_title(outlet, fontsize=11, color=style.outlet_text_colour(outlet, outlets))
    axes[-1].set_xlabel("mentions in article bodies")
    axes[-1].legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8, frameon=False)
    forms = [
        f"{form[s]} ({_join(list(dict.fromkeys(table.loc[table['side'] == s, 'label'])))})"
        for s in sides
    ]
    _heading(
        fig,
        title,
        f"Colour = form: {'; '.join(forms)}; own words and quotes together. "
        f"{style.sample_label(n_articles, len(outlets))}",
    )
    style.source_line(fig, "Source: term_mentions.csv, the island-name terms of the lexicon.")
    return fig, table[["outlet", "referent", "form", "term_id", "voice", "mentions"]], title


def framing_table(mentions: pd.DataFrame, lexicon: pd.DataFrame) -> pd.DataFrame:
    """1945 and sovereignty phrasings side by side: one row per phrasing, one column per outlet.

    A cell lists the matched wording with its count; quoted ones name their speaker.
    """
    terms = lexicon[lexicon["category"].isin(FRAMING_CATEGORIES)].sort_values("order")
    outlets = style.outlet_order(mentions["outlet"]) if len(mentions) else []
    found = mentions[mentions["category"].isin(FRAMING_CATEGORIES)].copy()
    found["wording"] = found["matched"].str.replace(r"\s+", " ", regex=True)
    found["who"] = np.where(
        found["voice"] == "quoted", "quoted: " + found["speaker"].replace("", "unattributed"), ""
    )
    cells = (
        found.groupby(["term_id", "outlet", "wording", "who"], sort=False).size().rename("n")
        .reset_index()
    )  # fmt: skip
    cells["text"] = (
        "“" + cells["wording"] + "”" + np.where(cells["n"] > 1, " ×" + cells["n"].astype(str), "")
        + np.where(cells["who"] != "", " (" + cells["who"] + ")", "")
    )  # fmt: skip
    wide = cells.groupby(["term_id", "outlet"], sort=False)["text"].agg("; ".join).unstack()
    wide = wide.reindex(index=terms["term_id"], columns=outlets).fillna("")
    table = terms[["category", "label", "side", "term_id"]].set_index("term_id").join(wide)
    used = (table[outlets] != "").any(axis=1) if outlets else pd.Series(False, index=table.index)
    return table[used].reset_index(drop=True).rename(columns={"label": "phrasing"})


def framing_chart(
    counts: pd.DataFrame, n_articles: int, display: dict[str, tuple[str, str]] | None = None
) -> tuple[plt.Figure, pd.DataFrame, str]:
    """Small multiples per outlet: 1945 and sovereignty phrasings by side, own voice vs quoted
    (side labels and colours from ``display``, ``side_display``). A lexicon without those
    categories gives a figure that says so."""
    part = counts[counts["category"].isin(FRAMING_CATEGORIES)]
    table = by_side(part.assign(category="framing"), "framing")
    outlets = style.outlet_order(table["outlet"])
    columns = ["outlet", "side", "voice", "mentions", "per_1000_words"]
    if not outlets:
        fig, ax = plt.subplots(figsize=(7, 1.6))
        ax.axis("off")
        title = "No 1945 or sovereignty framings: the lexicon lists none"
        ax.text(0, 0.5, title, fontsize=11, va="center")
        return fig, table.reindex(columns=columns), title
    sides = side_order(table["side"])
    shown = {s: (display or {}).get(s) or side_display([s])[s] for s in sides}
    own = table[table["voice"] == "editorial"].pivot_table(
        index="outlet", columns="side", values="mentions", aggfunc="sum"
    )
    title = "In their own words, " + framing_sentence(own.reindex(outlets).fillna(0), shown)
    fig, axes = _panels(len(outlets), 1.5)
    totals = table.groupby(["outlet", "side"])["mentions"].sum()
    xmax = float(totals.max()) if len(totals) and totals.max() > 0 else 1.0
    for ax, outlet in zip(axes, outlets, strict=True):
        wide = table[table["outlet"] == outlet].pivot_table(
            index="side", columns="voice", values="mentions", aggfunc="sum"
        )
        wide = wide.reindex(sides).fillna(0).astype(int)
        wide = wide.reindex(columns=style.VOICE_ORDER, fill_value=0)
        wide.index = [f"{side_adjective(shown[s][0])} framing" for s in wide.index]
        _voice_bars(ax, wide, [shown[s][1] for s in sides], xmax)
        ax.set_title(outlet, fontsize=11, color=style.outlet_text_colour(outlet, outlets))
    axes[-1].set_xlabel("mentions in article bodies")
    _heading(
        fig,
        title,
        "1945 and sovereignty phrasings, grouped by the side whose usage they follow; solid = own "
        f"words, hatched = quoted. {style.sample_label(n_articles, len(outlets))}",
    )
    style.source_line(fig, "Source: term_mentions.csv; sides are judgement calls, see lexicon.csv.")
    return fig, table[columns], title


def concordance(
    mentions: pd.DataFrame, lexicon: pd.DataFrame, categories: list[str] | None = None, k: int = 40
) -> pd.DataFrame:
    """A concordance a reader can scan: file, outlet, term, voice, speaker, left | match | right.

    Rows of ``categories`` (all when None) in lexicon order of category, then file and offset;
    the first ``k`` rows.
    """
    part = mentions if categories is None else mentions[mentions["category"].isin(categories)]
    category_rank = {c: i for i, c in enumerate(dict.fromkeys(lexicon["category"]))}
    part = part.assign(_rank=part["category"].map(category_rank))
    part = part.sort_values(["_rank", "file", "start", "term_id"], kind="mergesort").head(k)
    labels = lexicon.set_index("term_id")["label"]
    return pd.DataFrame(
        {
            "file": part["file"],
            "outlet": part["outlet"],
            "term": part["term_id"].map(labels),
            "voice": part["voice"]
            + np.where(
                part["quote_kind"].isin(["scare", "bracket"]), " (" + part["quote_kind"] + ")", ""
            ),
            "speaker": part["speaker"],
            "left context": part["kwic_left"].str.slice(-45),
            "match": part["matched"].str.replace(r"\s+", " ", regex=True),
            "right context": part["kwic_right"].str.slice(0, 45),
        }
    ).reset_index(drop=True)
