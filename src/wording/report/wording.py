"""Charts of notebook 02 (wording compared): distinctive terms, similarity, Fightin' Words, reuse.

Each function returns ``(figure, table)``: the table holds exactly the numbers plotted, for
``style.save``. Views are top-k, so they stay readable on a large corpus.
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from wording.report import style
from wording.report.wording_prose import panel_label

MAX_PAIR_MARKS = 3000  # candidate pairs drawn in the reuse chart; the rest are sampled out
MAX_PANELS = 6  # outlets shown as small multiples; further outlets are in the CSV tables


def _figure_titles(fig: plt.Figure, title: str, subtitle: str) -> None:
    """Finding title and grey subtitle over a row of small multiples, left-aligned."""
    # a long title wraps at the figure's width (about 15 characters an inch at 13 points), and
    # each further line moves the subtitle and the panels down by one line (0.25 inch)
    width = max(int(fig.get_figwidth() * 15), 40)
    lines = textwrap.wrap(title, width) if len(title) > width else [title]
    down = 0.25 * (len(lines) - 1) / fig.get_figheight()
    fig.tight_layout(rect=(0, 0, 1, 0.86 - down))
    fig.suptitle("\n".join(lines), x=0.01, y=0.99, ha="left", fontsize=13, fontweight="bold")
    fig.text(0.01, 0.915 - down, subtitle, ha="left", fontsize=10, color="#555555")


def top_terms_chart(
    tfidf_terms: pd.DataFrame,
    k: int = 10,
    title: str = "",
    subtitle: str = "",
    panels: dict[str, str] | None = None,
) -> tuple[plt.Figure, pd.DataFrame]:
    """Horizontal bars of each outlet's top-k TF-IDF terms, one panel per outlet, zero-based;
    each panel titled with its N ("TASS, 1 article") unless ``panels`` gives its title."""
    outlets = style.outlet_order(tfidf_terms["outlet"])[:MAX_PANELS]
    table = tfidf_terms[tfidf_terms["outlet"].isin(outlets) & (tfidf_terms["rank"] <= k)]
    table = table[["outlet", "rank", "term", "score"]].reset_index(drop=True)
    fig, axes = plt.subplots(
        1, len(outlets), figsize=(3.6 * len(outlets), 0.32 * k + 1.6), squeeze=False
    )
    right = float(table["score"].max()) * 1.05 if len(table) else 1.0
    for ax, outlet in zip(axes[0], outlets, strict=True):
        rows = table[table["outlet"] == outlet].sort_values("rank")
        y = np.arange(len(rows))
        ax.barh(y, rows["score"], color=style.outlet_colour(outlet, outlets))
        ax.set_yticks(y, rows["term"])
        ax.invert_yaxis()
        ax.set_xlim(0, right)  # one zero-based scale for every panel
        n = tfidf_terms.loc[tfidf_terms["outlet"] == outlet, "n_articles"]
        label = (panels or {}).get(outlet) or panel_label(outlet, int(n.iloc[0]) if len(n) else 0)
        ax.set_title(label, fontsize=11, loc="left")
        ax.set_xlabel("mean TF-IDF weight")
    _figure_titles(fig, title, subtitle)
    return fig, table


def panels_note(subtitle: str, present, shown: list[str], table: str) -> str:
    """``subtitle`` with '; the first 6 of 14 outlets shown (all in keyness.csv)' added when
    ``shown`` holds fewer outlets than ``present`` (unchanged otherwise)."""
    total = len(set(present))
    if total <= len(shown):
        return subtitle
    note = f"the first {len(shown)} of {total} outlets shown (all in {table})"
    return f"{subtitle}; {note}" if subtitle else note[0].upper() + note[1:]


def similarity_pairs(similarity: pd.DataFrame) -> pd.DataFrame:
    """Each pair of articles once (``file`` < ``other``) with its cosine, highest first, from
    ``similarity.csv`` in either of its shapes: the square matrix of a small corpus (first column
    ``file``, one column per article) or the nearest-neighbour list of a large one (``file``,
    ``neighbour``, ``similarity``, ``rank``)."""
    if "neighbour" in similarity.columns:
        pairs = similarity.rename(columns={"neighbour": "other", "similarity": "cosine"})
        pairs = pairs[["file", "other", "cosine"]]
        swap = pairs["file"] > pairs["other"]
        pairs.loc[swap, ["file", "other"]] = pairs.loc[swap, ["other", "file"]].to_numpy()
        pairs = pairs.drop_duplicates(["file", "other"])
    else:
        pairs = similarity.melt(id_vars="file", var_name="other", value_name="cosine")
        pairs = pairs[pairs["file"] < pairs["other"]]
    pairs = pairs.sort_values(["cosine", "file", "other"], ascending=[False, True, True])
    return pairs.reset_index(drop=True)


def similarity_heatmap(
    similarity: pd.DataFrame, articles: pd.DataFrame, title: str = "", subtitle: str = ""
) -> tuple[plt.Figure, pd.DataFrame]:
    """Cosine similarity of articles as a heatmap, labelled by file, outlet colour at each label.

    ``similarity`` is the square table (first column ``file``); articles are ordered by outlet.
    """
    outlet = articles.set_index("file")["outlet"]
    order = style.outlet_order(outlet)
    files = sorted(similarity["file"], key=lambda f: (order.index(outlet.get(f, "unknown")), f))
    matrix = similarity.set_index("file").loc[files, files]
    n = len(files)
    # 1.2 inches a cell up to 8 articles; smaller cells beyond, so the map stays near 14 inches
    cell = 1.2 if n <= 8 else max(0.4, 10 / n)
    fig, ax = plt.subplots(figsize=(cell * n + 3, cell / 1.2 * n + 1.6))
    off = matrix.to_numpy(dtype=float).copy()
    np.fill_diagonal(off, np.nan)
    # Colours start at zero, so a small difference between pairs looks small.
    low, high = 0.0, (max(float(np.nanmax(off)), 1e-9) if n > 1 else 1.0)
    image = ax.imshow(off, cmap="Blues", vmin=low, vmax=high)
    ax.set_xticks(range(n), [f[:3] for f in files])
    ax.set_yticks(range(n), [f"{f[:3]} {outlet.get(f, '')}" for f in files])
    for tick, f in zip(ax.get_yticklabels(), files, strict=True):
        tick.set_color(style.outlet_text_colour(outlet.get(f, "unknown"), order))
        tick.set_fontweight("bold")
    for tick, f in zip(ax.get_xticklabels(), files, strict=True):
        tick.set_color(style.outlet_text_colour(outlet.get(f, "unknown"), order))
    if n <= 15:
        for i in range(n):
            for j in range(n):
                if i != j:
                    v = off[i, j]
                    colour = "white" if v > low + 0.6 * (high - low) else "black"
                    ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=9, color=colour)
    ax.spines[:].set_visible(False)
    fig.colorbar(image, ax=ax, shrink=0.7, label="cosine similarity of TF-IDF vectors")
    style.titles(ax, title, subtitle)
    table = matrix.reset_index().melt(id_vars="file", var_name="other", value_name="cosine")
    return fig, table[table["file"] != table["other"]].reset_index(drop=True)


def fightin_words_chart(
    keyness: pd.DataFrame, k: int = 6, title: str = "", subtitle: str = ""
) -> tuple[plt.Figure, pd.DataFrame]:
    """z against total frequency (log x), one panel per outlet; the k highest and lowest z among
    content words labelled; the band |z| < 1.96 shaded and marked as illustrative."""
    outlets = style.outlet_order(keyness["outlet"])[:MAX_PANELS]
    subtitle = panels_note(subtitle, keyness["outlet"], outlets, "keyness.csv")
    data = keyness[keyness["outlet"].isin(outlets)].copy()
    data["total"] = data["count"] + data["count_rest"]
    stop = data["stop_word"] if "stop_word" in data else pd.Series(False, index=data.index)
    content = data[~stop]
    by = content.groupby("outlet", sort=False)
    labelled = pd.concat([by.head(k), by.tail(k)]).drop_duplicates(["outlet", "term"])
    data["labelled"] = data.set_index(["outlet", "term"]).index.isin(
        labelled.set_index(["outlet", "term"]).index
    )
    fig, axes = plt.subplots(
        1, len(outlets), figsize=(4.6 * len(outlets), 4.6), sharey=True, squeeze=False
    )
    # Limits fixed before labels are placed, so that no later panel moves them (shared y).
    z_low, z_high = float(min(data["z"].min(), -2.5)), float(max(data["z"].max(), 2.5))
    for ax, outlet in zip(axes[0], outlets, strict=True):
        rows = data[data["outlet"] == outlet]
        ax.set_ylim(z_low - 0.4, z_high + 0.4)
        ax.set_xlim(0.7, float(data["total"].max()) * 1.6)
        ax.axhspan(-1.96, 1.96, color="#eeeeee", zorder=0)
        ax.text(1, 0, "|z| < 1.96\n(illustrative)", transform=ax.get_yaxis_transform(),
                ha="right", va="center", fontsize=8, color="#777777")  # fmt: skip
        grey = rows[stop.loc[rows.index]]
        ax.scatter(grey["total"], grey["z"], s=8, color="#bbbbbb", label="stop words",
                   rasterized=len(rows) > 5000)  # fmt: skip
        words = rows[~stop.loc[rows.index]]
        ax.scatter(words["total"], words["z"], s=10, color=style.outlet_colour(outlet, outlets),
                   alpha=0.7, rasterized=len(rows) > 5000)  # fmt: skip
        # Terms on the very same point share one label ("moscow, visit"): no two labels stack.
        marks = (
            rows[rows["labelled"]].sort_values(["z", "term"])
            .groupby(["total", "z"], as_index=False, sort=False)["term"].agg(", ".join)
        )  # fmt: skip
        ax.set_xscale("log")
        labels = [
            ax.text(rec.total, rec.z, rec.term, fontsize=8) for rec in marks.itertuples(index=False)
        ]
        if labels:  # labels pushed apart until none overlaps another or a labelled point
            from adjustText import adjust_text

            line = {"arrowstyle": "-", "color": "#999999", "lw": 0.5}
            x, y = marks["total"].to_numpy(float), marks["z"].to_numpy(float)
            # iter_lim, not the default 1-second time limit: the same labels land in the same
            # places on any machine, so the committed figure is reproducible.
            adjust_text(labels, x=x, y=y, ax=ax, arrowprops=line, expand=(1.4, 1.8), iter_lim=500)
        ax.set_xlabel("times used in the whole corpus (log scale)")
        n = rows["n_articles"] if "n_articles" in rows else pd.Series(dtype="int64")
        label = panel_label(outlet, int(n.iloc[0]) if len(n) else 0, illustrative=True)
        ax.set_title(label, fontsize=11, loc="left")
    axes[0][0].set_ylabel(f"z: {outlets[0]} vs the rest" if len(outlets) == 1 else "z vs the rest")
    _figure_titles(fig, title, subtitle)
    table = data[["outlet", "term", "count", "count_rest", "total", "z", "labelled"]]
    return fig, table.reset_index(drop=True)


def priors_chart(
    keyness: pd.DataFrame, k: int = 3, title: str = "", subtitle: str = ""
) -> tuple[plt.Figure, pd.DataFrame]:
    """Each used content word's z under the share prior (x) against its z under the raw-count
    prior (y), one panel per outlet with its N; dashed lines at |z| = 1.96, so a word outside
    both pairs of lines is significant under both priors; robust words (``robust``) filled
    black. The ``k`` highest under each prior are labelled (words on one point share a label)."""
    from wording.keyness import Z_CRITICAL

    outlets = style.outlet_order(keyness["outlet"])[:MAX_PANELS]
    subtitle = panels_note(subtitle, keyness["outlet"], outlets, "keyness.csv")
    data = keyness[keyness["outlet"].isin(outlets) & (keyness["count"] > 0)]
    if "stop_word" in data:
        data = data[~data["stop_word"].astype(bool)]
    data = data.copy()
    data["robust"] = data["robust"].astype(bool) if "robust" in data else False
    by = data.groupby("outlet", sort=False)
    first = by["z"].rank(method="min", ascending=False) <= k
    top = pd.concat([first, by["z_raw_prior"].rank(method="min", ascending=False) <= k], axis=1)
    data["labelled"] = top.any(axis=1)
    fig, axes = plt.subplots(
        1, len(outlets), figsize=(4.4 * len(outlets), 4.6), sharex=True, sharey=True,
        squeeze=False,
    )  # fmt: skip
    low = float(min(data["z"].min(), data["z_raw_prior"].min(), -2.5)) - 0.3
    high = float(max(data["z"].max(), data["z_raw_prior"].max(), 2.5)) + 0.3
    for ax, outlet in zip(axes[0], outlets, strict=True):
        rows = data[data["outlet"] == outlet]
        ax.set_xlim(low, high)
        ax.set_ylim(low, high)
        for edge in (-Z_CRITICAL, Z_CRITICAL):
            ax.axvline(edge, color="#999999", lw=0.8, ls="--")
            ax.axhline(edge, color="#999999", lw=0.8, ls="--")
        ax.plot([low, high], [low, high], color="#dddddd", lw=0.8, zorder=0)
        plain = rows[~rows["robust"]]
        many = len(rows) > 5000  # points drawn as one image in the SVG (as fightin_words_chart)
        ax.scatter(plain["z"], plain["z_raw_prior"], s=12, alpha=0.6,
                   color=style.outlet_colour(outlet, outlets), rasterized=many)  # fmt: skip
        firm = rows[rows["robust"]]
        ax.scatter(firm["z"], firm["z_raw_prior"], s=18, color="black", label="robust",
                   rasterized=many)  # fmt: skip
        marks = (
            rows[rows["labelled"]].sort_values("term")
            .groupby(["z", "z_raw_prior"], as_index=False, sort=False)["term"]
            .agg(lambda t: ", ".join(t) if len(t) <= 3 else f"{len(t)} tied terms")
        )  # fmt: skip
        labels = [ax.text(r.z, r.z_raw_prior, r.term, fontsize=8) for r in marks.itertuples()]
        if labels:
            from adjustText import adjust_text

            line = {"arrowstyle": "-", "color": "#999999", "lw": 0.5}
            x, y = marks["z"].to_numpy(float), marks["z_raw_prior"].to_numpy(float)
            adjust_text(labels, x=x, y=y, ax=ax, arrowprops=line, iter_lim=500)
        n = int(rows["n_articles"].iloc[0]) if len(rows) else 0
        ax.set_title(panel_label(outlet, n, illustrative=True), fontsize=11, loc="left")
        ax.set_xlabel(f"z, prior α0 = {float(data['alpha0'].iloc[0]):g} by corpus share")
    axes[0][0].set_ylabel("z, raw corpus counts as prior")
    _figure_titles(fig, title, subtitle)
    table = data[["outlet", "term", "count", "count_rest", "z", "z_raw_prior", "resampled_share",
                  "robust", "labelled"]]  # fmt: skip
    return fig, table.reset_index(drop=True)


def reuse_scores_chart(
    scores: pd.DataFrame, threshold: float, title: str = "", subtitle: str = ""
) -> tuple[plt.Figure, pd.DataFrame]:
    """Candidate sentence pairs' Jaccard scores, same-outlet and cross-outlet rows, with the
    threshold line: where reuse separates from shared phrasing. Every pair when there are at most
    ``MAX_PAIR_MARKS``; otherwise every pair at or above the threshold and a fixed-seed sample of
    the rest (the subtitle says so), so the chart stays readable and fast at any corpus size."""
    if len(scores) > MAX_PAIR_MARKS:
        above = scores[scores["similarity"] >= threshold]
        below = scores[scores["similarity"] < threshold]
        room = max(MAX_PAIR_MARKS - len(above), 0)
        below = below.sample(n=min(room, len(below)), random_state=0).sort_index()
        shown = pd.concat([above, below]).sort_index()
        subtitle = (
            f"{subtitle}; {len(shown):,} of {len(scores):,} pairs drawn (all above the threshold)"
        )
        scores = shown
    groups = [("same outlet", True), ("different outlets", False)]
    fig, ax = plt.subplots(figsize=(8, 3.2))
    fig.subplots_adjust(bottom=0.3)
    rng = np.random.default_rng(0)  # fixed jitter: identical charts run to run
    for y, (_label, flag) in enumerate(groups):
        rows = scores[scores["same_outlet"] == flag]
        jitter = rng.uniform(-0.15, 0.15, len(rows))
        ax.scatter(rows["similarity"], y + jitter, s=18, color="#444444", alpha=0.7)
    ax.axvline(threshold, color=style.OKABE_ITO["vermillion"], linestyle="--")
    ax.text(threshold, 1.45, f" threshold {threshold:g}", color=style.OKABE_ITO["vermillion"],
            fontsize=9, va="bottom")  # fmt: skip
    ax.set_yticks(range(len(groups)), [g for g, _ in groups])
    ax.set_ylim(-0.5, 1.7)
    ax.set_xlim(0, 1.02)
    ax.set_xlabel("Jaccard similarity of 4-word shingle sets (sentence pairs)")
    style.titles(ax, title, subtitle)
    table = scores[["file_a", "file_b", "outlet_a", "outlet_b", "same_outlet", "similarity"]]
    return fig, table.reset_index(drop=True)
