"""Tables, charts and findings for the contested-terminology notebook (03).

Everything here reads the tidy outputs of ``wording.lexicon`` (mentions, counts, lexicon). Chart
functions return ``(figure, table)``: the table holds exactly the numbers plotted, for
``style.save``. Finding sentences are built from the tables, never typed.
"""

from __future__ import annotations

import re
import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from wording.report import style

# Defaults for the study's sides when no sides table names them (data/sides.csv does).
SIDE_NAME = {"russian": "Russian name", "japanese": "Japanese name", "neutral": "neutral wording"}
SIDE_FORM = {"russian": "Russian form", "japanese": "Japanese form", "neutral": "same in both"}
FRAMING_CATEGORIES = ["1945 framing", "sovereignty framing"]
# Colours for sides the study does not know (another dispute's lexicon), in order of appearance.
SPARE_SIDE_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#E69F00"]


def side_order(sides) -> list[str]:
    """The study's sides first (russian, japanese, neutral), then any others a lexicon names,
    neutral kept last."""
    present = list(dict.fromkeys(sides))
    known = [s for s in style.SIDE_ORDER if s in present and s != "neutral"]
    others = sorted(s for s in present if s not in style.SIDE_ORDER)
    return known + others + (["neutral"] if "neutral" in present else [])


def side_display(sides, lexicon_path=None) -> dict[str, tuple[str, str]]:
    """side -> (label, colour): from the sides table when the lexicon module provides one
    (``lexicon.load_sides``, data/sides.csv or ``<lexicon stem>_sides.csv``); else the study's
    labels, and for other sides the title-cased name with a spare colour."""
    table = None
    try:
        from wording import lexicon as lexicon_module

        if hasattr(lexicon_module, "load_sides"):
            table = lexicon_module.load_sides(lexicon_path) if lexicon_path else None
    except Exception:  # no sides table: fall back to the defaults below
        table = None
    shown: dict[str, tuple[str, str]] = {}
    spare = iter(SPARE_SIDE_COLOURS * 4)
    for side in side_order(sides):
        if table is not None and "side" in table and side in set(table["side"]):
            row = table[table["side"] == side].iloc[0]
            label = str(row.get("label", "") or "")
            if label in ("", side.title()):  # no label given: the default, as for other sides
                label = SIDE_NAME.get(side, f"{side.title()} name")
            colour = str(row.get("colour", "") or "") or style.SIDE_COLOURS.get(side, next(spare))
            shown[side] = (label, colour)
        elif side in SIDE_NAME:
            shown[side] = (SIDE_NAME[side], style.SIDE_COLOURS[side])
        else:
            shown[side] = (f"{side.title()} name", next(spare))
    return shown


def _join(items: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def by_side(counts: pd.DataFrame, category: str) -> pd.DataFrame:
    """Mentions of one category per outlet × side × voice, zeros kept, in the study's order."""
    part = counts[counts["category"] == category]
    table = part.groupby(["outlet", "side", "voice"], sort=False, as_index=False).agg(
        mentions=("mentions", "sum"), body_words=("body_words", "first")
    )
    table["per_1000_words"] = table["mentions"] / table["body_words"] * 1000
    rank = {
        "outlet": {o: i for i, o in enumerate(style.outlet_order(table["outlet"]))},
        "side": {s: i for i, s in enumerate(side_order(table["side"]))},
        "voice": {v: i for i, v in enumerate(style.VOICE_ORDER)},
    }
    keys = pd.DataFrame({c: table[c].map(r) for c, r in rank.items()})
    order = np.lexsort([keys["voice"], keys["side"], keys["outlet"]])
    return table.iloc[order].reset_index(drop=True)


def usage_by_outlet(table: pd.DataFrame, voice: str = "editorial") -> dict[str, str]:
    """For each outlet: which sides' names it uses in ``voice``: a side ("russian"), "both"
    (every side but neutral that the table holds, when there are two or more), several sides
    joined by "+", or "none"."""
    contested = [s for s in side_order(table["side"]) if s != "neutral"]
    used = table[(table["voice"] == voice) & (table["mentions"] > 0)]
    result = {}
    for outlet in style.outlet_order(table["outlet"]):
        sides = [s for s in contested if s in set(used.loc[used["outlet"] == outlet, "side"])]
        if not sides:
            result[outlet] = "none"
        elif len(sides) == len(contested) and len(sides) > 1:
            result[outlet] = "both"
        else:
            result[outlet] = "+".join(sides)
    return result


# Last words of a side's label that name the kind of term ("Russian name"), replaced by the noun
# a sentence needs ("Russian form", "Russian framing").
LABEL_NOUNS = ("name", "names", "form", "forms", "wording", "spelling", "term", "terms", "framing")


def side_adjective(label: str) -> str:
    """'Russian name' -> 'Russian'; 'neutral wording' -> 'neutral'; 'Korean' -> 'Korean'."""
    words = label.split()
    return " ".join(words[:-1]) if len(words) > 1 and words[-1].lower() in LABEL_NOUNS else label


def side_label(side: str, display: dict | None = None) -> str:
    """A side's display label: from ``display`` (``side_display``), else the defaults."""
    if display and side in display:
        return display[side][0]
    return SIDE_NAME.get(side, f"{side.title()} name")


def side_term(side: str, display: dict | None = None, group: str = "collective name") -> str:
    """What a side's terms of ``group`` are called: its label for a group of names ('Russian
    name'); else the label's adjective and the group's last word ('Nordian framing')."""
    label = side_label(side, display)
    noun = group.split()[-1] if group else "name"
    return label if noun in ("name", "names") else f"{side_adjective(label)} {noun}"


def _side_rank(side: str) -> tuple[int, str]:
    """The study's sides in their order, then others A-Z."""
    order = list(style.SIDE_ORDER)
    return (order.index(side), "") if side in order else (len(order), side)


def usage_sentence(usage: dict[str, str], noun: str, display: dict | None = None) -> str:
    """'Sputnik uses both names, TASS only the Russian name and Taipei Times neither' (labels
    of the sides from ``display``, else the defaults)."""
    kinds = list(dict.fromkeys(usage.values()))
    n_sides = max((len(k.split("+")) for k in kinds if k not in ("both", "none")), default=0)
    none_word = "none" if n_sides > 2 else "neither"

    def phrase(kind: str) -> str:
        if kind == "both":
            return f"both {noun}s"
        adjectives = [side_adjective(side_label(s, display)) for s in kind.split("+")]
        return f"only the {_join(adjectives)} {noun}" + ("s" if len(adjectives) > 1 else "")

    groups: dict[str, list[str]] = {}
    for outlet, kind in usage.items():
        groups.setdefault(kind, []).append(outlet)
    order = ["both"] + sorted(
        (k for k in groups if k not in ("both", "none")),
        key=lambda k: (len(k.split("+")), [_side_rank(s) for s in k.split("+")]),
    )
    parts = []
    for kind in order + ["none"]:
        if kind in groups:
            verb = "uses" if len(groups[kind]) == 1 else "use"
            text = none_word if kind == "none" else phrase(kind)
            parts.append(f"{_join(groups[kind])} {verb} {text}")
    return _join(parts)


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


def group_plural(group: str) -> str:
    """'collective name' -> 'collective names'; 'sea name' -> 'sea names'; 'dispute framing'
    -> 'dispute framings'. What a lexicon group's terms are called in titles and sentences."""
    return group if group.endswith("s") else group + "s"


def lexicon_groups(lexicon: pd.DataFrame) -> list[str]:
    """The lexicon's groups (its ``group`` column, else ``category``) in lexicon order."""
    column = "group" if "group" in lexicon.columns else "category"
    return list(dict.fromkeys(lexicon[column].fillna("").replace("", np.nan).dropna()))


def headline_group(lexicon: pd.DataFrame) -> str:
    """The group notebook 03 leads with: the collective names when the lexicon has them, else
    its first group ('' for an empty lexicon)."""
    groups = lexicon_groups(lexicon)
    return "collective name" if "collective name" in groups else (groups[0] if groups else "")


def other_groups(lexicon: pd.DataFrame) -> list[str]:
    """The groups no dedicated section of notebook 03 shows (the headline group, the island
    names, the 1945 and sovereignty framings): each gets its own chart, so none is dropped."""
    shown = {headline_group(lexicon), "island name", *FRAMING_CATEGORIES}
    return [g for g in lexicon_groups(lexicon) if g not in shown]


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


def framing_sentence(own: pd.DataFrame, display: dict | None = None) -> str:
    """'Sputnik and TASS use Russian and neutral framings; Taipei Times Japanese and neutral ones'
    from a table of own-voice mentions (index outlet, columns side)."""
    groups: dict[tuple[str, ...], list[str]] = {}
    order = side_order(own.columns)
    for outlet, row in own.iterrows():
        sides = tuple(s for s in order if row.get(s, 0) > 0)
        groups.setdefault(sides, []).append(str(outlet))
    parts = []
    for sides, outlets in groups.items():
        verb = "uses" if len(outlets) == 1 else "use"
        kinds = _join([side_adjective(side_label(s, display)) for s in sides])
        parts.append(f"{_join(outlets)} {verb} " + (f"{kinds} framings" if sides else "none"))
    return "; ".join(parts)


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


def naming_formula_share(mentions: pd.DataFrame) -> pd.DataFrame:
    """Per outlet: own-voice collective-name mentions, and how many sit inside a naming formula
    ("which Russia calls X and Japan Y") that attributes each name to its side."""
    own = mentions["voice"] == "editorial"
    names = mentions[(mentions["category"] == "collective name") & own]
    formulas = mentions[mentions["category"] == "naming formula"]  # the lexicon's formulas
    # The formulas of one file never overlap (one term's matches), so the only one that can hold
    # a name is the last to start at or before it: one sorted join, not names x formulas.
    left = pd.DataFrame(
        {"file": names["file"].to_numpy(), "start": names["start"].to_numpy(dtype=np.int64),
         "end": names["end"].to_numpy(dtype=np.int64), "row": np.arange(len(names))}
    ).sort_values("start", kind="stable")  # fmt: skip
    right = pd.DataFrame(
        {"file": formulas["file"].to_numpy(), "f_start": formulas["start"].to_numpy(dtype=np.int64),
         "f_end": formulas["end"].to_numpy(dtype=np.float64)}
    ).sort_values("f_start", kind="stable")  # fmt: skip
    left["file"], right["file"] = left["file"].astype(object), right["file"].astype(object)
    held = pd.merge_asof(left, right, left_on="start", right_on="f_start", by="file")
    inside = np.zeros(len(names), dtype=bool)
    inside[held["row"].to_numpy()] = (held["f_end"] >= held["end"]).to_numpy()
    table = (
        names.assign(in_formula=inside)
        .groupby(["outlet", "side"], as_index=False)
        .agg(own_mentions=("term_id", "size"), in_formula=("in_formula", "sum"))
    )
    return table


def times(n: int) -> str:
    """'once', '2 times', '0 times'."""
    return _times(n)


def _times(n: int) -> str:
    return "once" if n == 1 else f"{n} times"


def collective_findings(
    mentions: pd.DataFrame,
    counts: pd.DataFrame,
    group: str = "collective name",
    display: dict[str, tuple[str, str]] | None = None,
    formula: str = "",
    lexicon: pd.DataFrame | None = None,
) -> list[str]:
    """One plain sentence per outlet on one category (by default the collective names): own
    words (with rate and the naming-formula share, ``formula`` naming the formula, e.g. its
    lexicon label) and quoted (with speakers). Built from the tables only. With ``lexicon``, the
    group's terms are those of its ``group`` column (as ``by_side_use`` charts them), else
    those of ``category``."""
    if lexicon is not None and "group" in lexicon.columns:
        in_group = set(lexicon.loc[lexicon["group"] == group, "term_id"])
        counts = counts[counts["term_id"].isin(in_group)].assign(category=group)
        mentions = mentions[mentions["term_id"].isin(in_group)].assign(category=group)
    table = by_side(counts, group)
    if table.empty:
        return []
    contested = [s for s in side_order(table["side"]) if s != "neutral"]
    label = {s: side_term(s, display, group) for s in side_order(table["side"])}
    the = {s: label[s] if s == "neutral" else f"the {label[s]}" for s in label}
    formula_text = "“" + formula.strip("'\"‘’“”") + "”" if formula else "a naming formula"
    in_formula = naming_formula_share(mentions).set_index(["outlet", "side"])["in_formula"]
    if group != "collective name":  # the formulas hold collective names (naming_formula_share)
        in_formula = in_formula.iloc[0:0]
    quoted = mentions[(mentions["category"] == group) & (mentions["voice"] == "quoted")]
    per_outlet = counts.groupby("outlet")[["n_articles", "body_words"]].first()
    sentences, silent = [], []
    totals = table.groupby("outlet")["mentions"].sum()
    for outlet in style.outlet_order(table["outlet"]):
        if not totals.get(outlet, 0):  # no mention at all: one closing sentence names them
            silent.append(outlet)
            continue
        own = table[(table["outlet"] == outlet) & (table["voice"] == "editorial")]
        own = own.set_index("side")
        n_art, words = per_outlet.loc[outlet]
        parts = []
        for side in contested:
            n = int(own.loc[side, "mentions"]) if side in own.index else 0
            text = f"{the[side]} {_times(n)}"
            if n:
                text += f" ({own.loc[side, 'per_1000_words']:.1f} per 1,000 words"
                k = int(in_formula.get((outlet, side), 0))
                text += f"; {k} inside {formula_text})" if k else ")"
            parts.append(text)
        n_neutral = int(own.loc["neutral", "mentions"]) if "neutral" in own.index else 0
        if n_neutral:
            parts.append(f"{label['neutral']} {_times(n_neutral)}")
        q = quoted[quoted["outlet"] == outlet]
        if len(q):
            said = [
                f"{the.get(side, side)} {_times(len(g))} "
                f"({_join(sorted(set(g['speaker'].replace('', 'unattributed'))))})"
                for side, g in q.groupby("side", sort=False)
            ]
            quote_text = "; in quotations: " + _join(said)
        else:
            noun = "neither name" if len(contested) == 2 else "none of these terms"
            quote_text = f"; {noun} appears in a quotation"
        article_word = "article" if n_art == 1 else "articles"
        sentences.append(
            f"**{outlet}** ({n_art} {article_word}, {words:,} body words) uses, in its own words, "
            f"{_join(parts)}{quote_text}."
        )
    if silent:
        verb = "mentions" if len(silent) == 1 else "mention"
        sentences.append(f"**{_join(silent)}** {verb} none of these terms.")
    return sentences


def framing_findings(mentions: pd.DataFrame, category: str = "1945 framing") -> str:
    """'Sputnik: “claimed by Soviet forces” (2); TASS: ...' -- own-voice wording per outlet."""
    own = mentions[(mentions["category"] == category) & (mentions["voice"] == "editorial")]
    parts = []
    for outlet in style.outlet_order(mentions["outlet"]):
        words = own.loc[own["outlet"] == outlet, "matched"].str.replace(r"\s+", " ", regex=True)
        tally = words.value_counts(sort=False)
        text = ", ".join(f"“{w}”" + (f" ({n})" if n > 1 else "") for w, n in tally.items())
        parts.append(f"{outlet}: {text or 'none'}")
    return "; ".join(parts)


def quoted_summary(mentions: pd.DataFrame, side: str, category: str = "collective name") -> str:
    """'Sputnik quoting Kawamura and Kishida; TASS quoting Nikkei' for quoted names of ``side``."""
    quoted = mentions[
        (mentions["category"] == category)
        & (mentions["side"] == side)
        & (mentions["voice"] == "quoted")
    ]
    parts = []
    for outlet in style.outlet_order(quoted["outlet"]):
        speakers = quoted.loc[quoted["outlet"] == outlet, "speaker"].replace("", "unattributed")
        parts.append(f"{outlet} quoting {_join(sorted(set(speakers)))}")
    return "; ".join(parts)


def own_usage(table: pd.DataFrame) -> dict[str, str]:
    """``usage_by_outlet`` counting only the outlet's own use (a ``by_side_use`` table)."""
    return usage_by_outlet(table.assign(voice=np.where(table["use"] == "own", "editorial", "")))


def wire_sentence(articles: pd.DataFrame, top: int = 3) -> str:
    """Whose wording the articles carry when it is not the publisher's: 'the Taipei Times
    article is Reuters and AP copy' (the commonest ``top`` outlet × source pairs, counted)."""
    if "wording_source" not in articles.columns:
        return ""
    wire = articles[articles["wording_source"].fillna("") != ""]
    if wire.empty:
        return "No article names a wire service or another outlet as the source of its wording"
    pairs = wire.groupby(["outlet", "wording_source"]).size().sort_values(ascending=False)
    parts = []
    for (outlet, source), n in pairs.head(top).items():
        copy = " and ".join(source.split("; "))
        total = int((articles["outlet"] == outlet).sum())
        which = "article is" if total == 1 else f"{n} of {total} articles are"
        parts.append(f"{'the ' if total == 1 else ''}{outlet}'s {which} {copy} copy")
    more = len(pairs) - top
    return _join(parts) + (f" (and {more} more combinations)" if more > 0 else "")


def by_wording_source(
    mentions: pd.DataFrame, lexicon: pd.DataFrame, shown: dict, use: str = "own"
) -> pd.DataFrame:
    """Mentions of one ``use`` (default: the outlet's own words) per publisher × wording source ×
    lexicon group × side label: the publisher's own words ("its own reporting") apart from
    paragraphs that relay a wire or another outlet (term_mentions.csv ``wording_source``).
    Columns: outlet, wording source, group, side, mentions."""
    column = "group" if "group" in lexicon.columns else "category"
    group_of = dict(zip(lexicon["term_id"], lexicon[column], strict=False))
    part = mentions[mentions["use"] == use] if "use" in mentions.columns else mentions
    source = (
        part["wording_source"]
        .fillna("")
        .str.replace("; ", " and ")
        .replace("", "its own reporting")
        if "wording_source" in part.columns
        else pd.Series("its own reporting", index=part.index)
    )
    table = (
        part.assign(
            **{
                "wording source": source,
                "group": part["term_id"].map(group_of),
                "side": part["side"].map(lambda s: shown.get(s, (s, ""))[0]),
            }
        )
        .groupby(["outlet", "wording source", "group", "side"], sort=False)
        .size()
        .rename("mentions")
        .reset_index()
    )
    order = {o: k for k, o in enumerate(style.outlet_order(table["outlet"]))}
    return table.sort_values(
        ["outlet", "wording source", "group", "side"],
        key=lambda s: s.map(order) if s.name == "outlet" else s,
        kind="mergesort",
    ).reset_index(drop=True)


def wording_source_sentence(table: pd.DataFrame) -> str:
    """Which publishers' own-use mentions stand in relayed paragraphs, from ``by_wording_source``:
    'Taipei Times: all 12 in paragraphs of Reuters; AP.' or that none are relayed."""
    relayed = table[table["wording source"] != "its own reporting"]
    if relayed.empty:
        return (
            "No mention in the outlets' own words stands in a paragraph relayed from another "
            "source."
        )
    parts = []
    for outlet, rows in relayed.groupby("outlet", sort=False):
        total = int(table.loc[table["outlet"] == outlet, "mentions"].sum())
        n = int(rows["mentions"].sum())
        sources = ", ".join(dict.fromkeys(rows["wording source"]))
        share = f"all {n}" if n == total else f"{n} of {total}"
        parts.append(f"{outlet}: {share} in paragraphs of {sources}")
    return (
        "Mentions in the outlets' own words that stand in relayed paragraphs (the wording is the "
        "source's, published by the outlet): " + "; ".join(parts) + "."
    )
