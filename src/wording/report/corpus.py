"""The corpus at a glance: summary tables and charts of articles, cleaning and dates (notebook 01).

Each chart function returns ``(figure, table)``: the table holds exactly the numbers plotted, for
``style.save``.
"""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd

from wording import pipeline
from wording.outlets import UNKNOWN
from wording.report import style

# Up to this many articles a chart draws one mark per article; above it, charts aggregate per
# outlet (distributions, sums, counts per month), so a notebook runs in seconds at 100,000.
MAX_ARTICLE_MARKS = 30


def article_table(articles: pd.DataFrame) -> pd.DataFrame:
    """One row per article for readers: outlet, date (or its window), headline, words, removed."""
    date = articles["date"].where(
        articles["date"] != "",
        "undated (" + articles["date_earliest"] + " to " + articles["date_latest"] + ")",
    )
    date = date.where(~date.eq("undated ( to )"), "undated")
    table = pd.DataFrame(
        {
            "file": articles["file"],
            "outlet": articles["outlet"],
            "date": date,
            "headline": articles["headline"],
            "body words": articles["n_words"],
            "paragraphs": articles["n_paragraphs"],
            "lines removed": articles["n_removed"],
        }
    )
    order = {o: k for k, o in enumerate(style.outlet_order(table["outlet"]))}
    return table.sort_values(
        ["outlet", "file"], key=lambda s: s.map(order) if s.name == "outlet" else s, kind="stable"
    ).reset_index(drop=True)


def words_by_outlet(articles: pd.DataFrame) -> pd.DataFrame:
    """Per outlet: articles, total and mean body words, in the study's outlet order."""
    g = articles.groupby("outlet")["n_words"].agg(articles="size", words="sum", mean_words="mean")
    g = g.reindex(style.outlet_order(g.index)).reset_index()
    g["mean_words"] = g["mean_words"].round(1)
    return g


def removed_by_rule(removed_lines: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Lines removed per article and rule (tidy), with the article's outlet; zero rows omitted."""
    counts = removed_lines.groupby(["file", "rule"]).size().rename("lines").reset_index()
    counts = counts.merge(articles[["file", "outlet"]], on="file", how="left")
    return counts.sort_values(["file", "lines", "rule"], ascending=[True, False, True]).reset_index(
        drop=True
    )


def _article_label(articles: pd.DataFrame) -> pd.Series:
    return articles["outlet"] + " · " + articles["file"].str.slice(0, 3)


def words_distribution_chart(articles: pd.DataFrame) -> tuple[plt.Figure, pd.DataFrame]:
    """Per outlet, the spread of body words per article (box: quartiles; whiskers: 5th and 95th
    percentiles), each outlet labelled with its number of articles. One box per outlet, whatever
    the number of articles."""
    outlets = style.outlet_order(articles["outlet"])
    groups = articles.groupby("outlet")["n_words"]
    table = groups.describe(percentiles=[0.05, 0.25, 0.5, 0.75, 0.95]).reindex(outlets)
    table = table.rename(columns={"count": "articles"}).reset_index()
    table["articles"] = table["articles"].astype(int)
    fig, ax = plt.subplots(figsize=(8, 0.55 * len(outlets) + 1.6))
    stats = [
        {"label": f"{r.outlet} ({r.articles:,})", "med": r["50%"], "q1": r["25%"],
         "q3": r["75%"], "whislo": r["5%"], "whishi": r["95%"]}
        for _, r in table.iterrows()
    ]  # fmt: skip
    boxes = ax.bxp(
        stats[::-1],
        orientation="horizontal",
        showfliers=False,
        patch_artist=True,
        widths=0.6,
        medianprops={"color": "black", "lw": 1.5},
    )
    for patch, outlet in zip(boxes["boxes"], outlets[::-1], strict=True):
        patch.set_facecolor(style.outlet_colour(outlet, outlets))
        patch.set_alpha(0.8)
    ax.set_xlim(left=0)
    ax.set_xlabel("words in the article body (after cleaning)")
    style.titles(
        ax,
        f"Half of the articles run from {int(articles['n_words'].quantile(0.25)):,} to "
        f"{int(articles['n_words'].quantile(0.75)):,} words",
        f"{style.sample_label(len(articles), len(outlets))}; box = middle half, whiskers = 5th "
        "to 95th percentile, line = median",
    )
    style.source_line(
        fig, "Source: articles.csv (n_words: words in the cleaned body); (N) = articles."
    )
    columns = ["outlet", "articles", "mean", "5%", "25%", "50%", "75%", "95%", "max"]
    return fig, table[columns].round(1)


def words_chart(articles: pd.DataFrame) -> tuple[plt.Figure, pd.DataFrame]:
    """Horizontal bars of body words per article, coloured by outlet, in outlet order; above
    ``MAX_ARTICLE_MARKS`` articles, ``words_distribution_chart`` (one box per outlet)."""
    if len(articles) > MAX_ARTICLE_MARKS:
        return words_distribution_chart(articles)
    table = article_table(articles)[["file", "outlet", "body words"]].copy()
    table["label"] = _article_label(table)
    fig, ax = plt.subplots(figsize=(7.5, 0.45 * len(table) + 1.4))
    y = range(len(table))[::-1]
    colours = [style.outlet_colour(o, table["outlet"]) for o in table["outlet"]]
    ax.barh(list(y), table["body words"], color=colours)
    ax.set_yticks(list(y), table["label"])
    for yy, v in zip(y, table["body words"], strict=True):
        ax.text(v + table["body words"].max() * 0.01, yy, f"{v:,}", va="center", fontsize=9)
    ax.set_xlabel("words in the article body (after cleaning)")
    ax.set_xlim(0, table["body words"].max() * 1.12)
    lo, hi = table["body words"].min(), table["body words"].max()
    style.titles(
        ax,
        f"Article bodies run from {lo:,} to {hi:,} words",
        sample_line(articles),
    )
    style.source_line(
        fig, "Source: pages in the corpus folder; words counted in the cleaned body only."
    )
    return fig, table[["file", "outlet", "body words"]]


# Greys and blues only for cleaning rules: outlet colours are reserved for outlets.
RULE_PALETTE = ["#1F3B57", "#35648C", "#5A8DB8", "#8DB6D8", "#444444", "#7A7A7A", "#A8A8A8",
                "#D0D0D0"]  # fmt: skip


def removed_chart(
    removed_lines: pd.DataFrame, articles: pd.DataFrame
) -> tuple[plt.Figure, pd.DataFrame]:
    """Stacked bars: lines removed from each page, by rule (kept lines are the article); above
    ``MAX_ARTICLE_MARKS`` articles, ``removed_by_outlet_chart`` (one bar per outlet)."""
    if len(articles) > MAX_ARTICLE_MARKS:
        return removed_by_outlet_chart(removed_lines, articles)
    counts = removed_by_rule(removed_lines, articles)
    wide = counts.pivot_table(index="file", columns="rule", values="lines", fill_value=0)
    order = article_table(articles)["file"]
    wide = wide.reindex(order, fill_value=0)
    rules = wide.sum().sort_values(ascending=False, kind="stable").index.tolist()
    top = rules[:7]
    if len(rules) > 7:
        wide["other rules"] = wide[rules[7:]].sum(axis=1)
        top = top + ["other rules"]
    wide = wide[top]
    labels = _article_label(articles.set_index("file").loc[order].reset_index())
    fig, ax = plt.subplots(figsize=(8.5, 0.5 * len(wide) + 2.0))
    y = list(range(len(wide)))[::-1]
    left = pd.Series(0, index=wide.index)
    for k, rule in enumerate(top):
        ax.barh(y, wide[rule], left=left, color=RULE_PALETTE[k % len(RULE_PALETTE)], label=rule)
        left = left + wide[rule]
    ax.set_yticks(y, labels)
    ax.set_xlabel("non-blank page lines removed as chrome")
    ax.xaxis.get_major_locator().set_params(integer=True)
    total = int(wide.to_numpy().sum())
    style.titles(
        ax,
        f"Cleaning removed {total} lines of page chrome, every one audited",
        f"{sample_line(articles)}; lines by cleaning rule",
    )
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, title="rule",
              title_fontsize=8)  # fmt: skip
    style.source_line(fig, "Source: removed_lines.csv (file, line, text, rule).")
    return fig, counts


def removed_by_outlet_chart(
    removed_lines: pd.DataFrame, articles: pd.DataFrame, top: int = 7
) -> tuple[plt.Figure, pd.DataFrame]:
    """Stacked bars, one per outlet: lines removed per article, by rule (the ``top`` rules by
    lines removed, the rest as "other rules"). Returns the plotted table (outlet, rule, lines,
    articles, lines per article)."""
    outlets = style.outlet_order(articles["outlet"])
    outlet_of = articles.set_index("file")["outlet"]
    counts = (
        removed_lines.assign(outlet=removed_lines["file"].map(outlet_of))
        .groupby(["outlet", "rule"]).size().rename("lines").reset_index()
    )  # fmt: skip
    rules = counts.groupby("rule")["lines"].sum().sort_values(ascending=False, kind="stable")
    keep = rules.index[:top].tolist()
    counts["rule"] = counts["rule"].where(counts["rule"].isin(keep), "other rules")
    counts = counts.groupby(["outlet", "rule"], as_index=False)["lines"].sum()
    n_articles = articles["outlet"].value_counts()
    counts["articles"] = counts["outlet"].map(n_articles).astype(int)
    counts["lines_per_article"] = (counts["lines"] / counts["articles"]).round(2)
    order = keep + (["other rules"] if len(rules) > top else [])
    wide = counts.pivot_table(
        index="outlet", columns="rule", values="lines_per_article", fill_value=0
    ).reindex(index=outlets, columns=order, fill_value=0)
    fig, ax = plt.subplots(figsize=(8.5, 0.55 * len(outlets) + 2.0))
    y = list(range(len(outlets)))[::-1]
    left = pd.Series(0.0, index=wide.index)
    for k, rule in enumerate(order):
        ax.barh(y, wide[rule], left=left, color=RULE_PALETTE[k % len(RULE_PALETTE)], label=rule)
        left = left + wide[rule]
    ax.set_yticks(y, [f"{o} ({int(n_articles.get(o, 0)):,})" for o in outlets])
    ax.set_xlabel("non-blank page lines removed as chrome, per article")
    style.titles(
        ax,
        f"Cleaning removed {len(removed_lines):,} lines of page chrome, every one audited",
        f"{style.sample_label(len(articles), len(outlets))}; (N) = articles; lines per article "
        "by cleaning rule",
    )
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, title="rule",
              title_fontsize=8)  # fmt: skip
    style.source_line(fig, "Source: removed_lines.csv (file, line, text, rule).")
    return fig, counts


def monthly_chart(articles: pd.DataFrame) -> tuple[plt.Figure, pd.DataFrame]:
    """Dated articles per month, one line per outlet (undated articles counted in the
    subtitle). One point per outlet and month, whatever the number of articles."""
    outlets = style.outlet_order(articles["outlet"])
    dated = articles[articles["date"] != ""]
    month = pd.to_datetime(dated["date"], errors="coerce").dt.to_period("M")
    table = (
        dated.assign(month=month).dropna(subset=["month"])
        .groupby(["outlet", "month"]).size().rename("articles").reset_index()
    )  # fmt: skip
    fig, ax = plt.subplots(figsize=(9, 3.8))
    for outlet in outlets:
        part = table[table["outlet"] == outlet]
        if part.empty:
            continue
        ax.plot(part["month"].dt.to_timestamp(), part["articles"], marker="o", ms=3, lw=1.5,
                color=style.outlet_colour(outlet, outlets), label=outlet)  # fmt: skip
    ax.set_ylim(bottom=0)
    ax.set_ylabel("dated articles per month")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9)
    n_undated = len(articles) - len(dated)
    span = f"{table['month'].min():%B %Y} to {table['month'].max():%B %Y}" if len(table) else "—"
    style.titles(
        ax,
        f"The dated articles run from {span}",
        f"{style.sample_label(len(articles), len(outlets))}; {n_undated:,} undated (not drawn)",
    )
    style.source_line(fig, "Source: articles.csv (date: stated on the page or inferred).")
    table["month"] = table["month"].astype(str)
    return fig, table


def date_bases(articles: pd.DataFrame) -> dict[str, int]:
    """Articles by how their date is known, from ``date_basis``: 'stated or given' (on the page,
    in its markup or in the metadata), 'inferred' (from the text), 'window' (undated, with the
    window the text allows) and 'undated'. A crawl stamp is never a date (``chrome``)."""
    basis = articles["date_basis"].fillna("").str.lower() if "date_basis" in articles else None
    dated = articles["date"].fillna("") != ""
    window = ~dated & (articles["date_earliest"].fillna("") != "")
    inferred = dated & (basis.str.startswith("inferred") if basis is not None else False)
    return {
        "stated or given": int((dated & ~inferred).sum()),
        "inferred": int(inferred.sum()),
        "window": int(window.sum()),
        "undated": int((~dated & ~window).sum()),
    }


def timeline_chart(articles: pd.DataFrame, events: pd.DataFrame) -> tuple[plt.Figure, pd.DataFrame]:
    """Articles and the events they report, one row each in date order (undated: their window;
    an article with neither date nor window has no row and is counted in the subtitle); above
    ``MAX_ARTICLE_MARKS`` articles, ``monthly_chart`` (dated articles per month)."""
    if len(articles) > MAX_ARTICLE_MARKS:
        return monthly_chart(articles)
    bases = date_bases(articles)
    rows = article_table(articles)[["file", "outlet"]].merge(
        articles[["file", "date", "date_earliest", "date_latest"]], on="file"
    )
    rows = rows[(rows["date"] != "") | (rows["date_earliest"] != "")]
    rows = rows.assign(
        kind="article",
        label=rows["outlet"] + " · " + rows["file"].str.slice(0, 3),
        start=pd.to_datetime(rows["date"].where(rows["date"] != "", rows["date_earliest"])),
        end=pd.to_datetime(rows["date"].where(rows["date"] != "", rows["date_latest"])),
    )
    ev = pd.DataFrame(
        {
            "file": "",
            "outlet": "",
            "date": events["date"],
            "kind": "event",
            "label": events["event"],
            "start": pd.to_datetime(events["date"]),
            "end": pd.to_datetime(events["date"]),
        }
    )
    table = pd.concat([rows, ev], ignore_index=True) if len(ev) else rows.reset_index(drop=True)
    table = table.sort_values(["start", "kind", "label"], kind="stable", na_position="last")
    table = table.reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(9, 0.42 * max(len(table), 1) + 1.8))
    y = list(range(len(table)))[::-1]
    for yy, row in zip(y, table.itertuples(), strict=True):
        if pd.isna(row.start):
            continue
        if row.kind == "event":
            ax.plot([row.start], [yy], "D", color="#777777", ms=6)
            ax.axhline(yy, color="#EEEEEE", lw=0.8, zorder=0)
            continue
        colour = style.outlet_colour(row.outlet, rows["outlet"])
        if row.date == "":
            ax.plot([row.start, row.end], [yy, yy], color=colour, lw=7, alpha=0.4,
                    solid_capstyle="butt")  # fmt: skip
            ax.text(row.end, yy, "  undated: window the text allows", va="center", fontsize=8,
                    color="#555555")  # fmt: skip
        else:
            ax.plot([row.start], [yy], "o", color=colour, ms=9)
        ax.axhline(yy, color="#EEEEEE", lw=0.8, zorder=0)
    labels = [
        (f"event: {r.label}" if r.kind == "event" else f"article: {r.label}")
        for r in table.itertuples()
    ]
    ax.set_yticks(y, labels)
    for tick, kind in zip(ax.get_yticklabels(), table["kind"], strict=True):
        tick.set_color("#666666" if kind == "event" else "#000000")
        tick.set_fontsize(8.5 if kind == "event" else 10)
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0)
    dated = rows.dropna(subset=["start"])
    if len(dated):
        lo, hi = dated["start"].min(), dated["end"].max()
        pad = max(pd.Timedelta(days=20), (hi - lo) * 0.05)
        ax.set_xlim(lo - pad, hi + pad)  # the dates' own span, not matplotlib's 2-year default
    # Ticks the span allows without overprinting: quarters over a year or two, years beyond.
    locator = mdates.AutoDateLocator(minticks=3, maxticks=7)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=False))
    first = f"{dated['start'].min():%B %Y}" if len(dated) else ""
    last = f"{dated['end'].max():%B %Y}" if len(dated) else ""
    span = f"from {first} to {last}" if first != last else f"in {first}"
    n_without = bases["undated"]
    if not n_without:
        title = f"The articles span {span.removeprefix('from ')}"
    elif len(dated) == 1:
        title = f"One article can be dated ({span.removeprefix('from ')}); {n_without:,} cannot"
    else:
        title = f"The {len(dated):,} datable articles run {span}; {n_without:,} cannot be dated"
    if dated.empty:
        title = f"None of the {len(articles):,} articles can be dated from its text or metadata"
    how = ", ".join(f"{n:,} {k}" for k, n in bases.items() if n)
    style.titles(
        ax,
        title,
        f"{sample_line(articles)} (circles; dates: "
        f"{how})" + (" and the events they report (grey diamonds)" if len(ev) else ""),
    )
    style.source_line(
        fig,
        "Dates: articles.csv (date with its date_basis: stated on the page, given in the metadata "
        "or inferred from the text; an archive's crawl stamp is never taken as a date)"
        + ("; events: data/events.csv, each quoted from the articles." if len(ev) else "."),
    )
    out = table.assign(
        start=table["start"].dt.strftime("%Y-%m-%d"), end=table["end"].dt.strftime("%Y-%m-%d")
    )[["kind", "label", "file", "outlet", "date", "start", "end"]]
    return fig, out


def accounting(tables: pipeline.Tables) -> str:
    """The build's one-line account ("5 inputs: 5 articles, 0 rejected, 0 warnings"): every
    input read (a page file, or a row of a table file) is an article or a rejection."""
    n_inputs = len(tables.articles) + len(tables.rejected)
    return (
        f"{n_inputs} inputs: {len(tables.articles)} articles, {len(tables.rejected)} rejected, "
        f"{len(tables.warnings)} warnings"
    )


def known_outlets(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``table`` (any table with an ``outlet`` column) whose outlet is known: what
    outlet comparisons are made of. Articles of unknown outlet are reported, not compared as
    one outlet called "unknown"."""
    if "outlet" not in table.columns:
        return table
    return table[table["outlet"].fillna(UNKNOWN).astype(str) != UNKNOWN]


def lexicon_line(lexicon: pd.DataFrame, k: int = 4, lexicon_path=None) -> str:
    """'Russian name: South(ern) Kurils, Lesser Kurils; Japanese name: Northern Territories; ...'
    -- the labels of the lexicon's first group by side (up to ``k`` each), from the lexicon and
    its sides (``lexicon_path``'s sides table, ``terminology.side_display``), never typed."""
    from wording.report import terminology  # the sides' labels live there

    group = terminology.headline_group(lexicon)
    column = "group" if "group" in lexicon.columns else "category"
    part = lexicon[lexicon[column] == group]
    shown = terminology.side_display(part["side"], lexicon_path)
    parts = []
    for side in terminology.side_order(part["side"]):
        labels = list(dict.fromkeys(part.loc[part["side"] == side, "label"].fillna("")))
        labels = [x for x in labels if x][:k]
        if labels:
            parts.append(f"{shown[side][0]}: {', '.join(labels)}")
    return f"{terminology.group_plural(group)} — " + "; ".join(parts) if parts else "none listed"


def sample_line(articles: pd.DataFrame) -> str:
    """'25 articles, 11 outlets, 12 of unknown outlet' (``style.sample_label`` when every
    outlet is known): the size of a corpus whose unknown outlet is not counted as an outlet."""
    known = known_outlets(articles)
    label = style.sample_label(len(articles), known["outlet"].nunique())
    n_unknown = len(articles) - len(known)
    return label + (f", {n_unknown:,} of unknown outlet" if n_unknown else "")


def unknown_outlet_line(articles: pd.DataFrame, listed_in: str = "articles.csv") -> str:
    """'2 articles of unknown outlet (a.txt, b.txt) are listed in articles.csv and left out of
    outlet comparisons' ('' when every article's outlet is known); up to five files named."""
    files = articles.loc[articles["outlet"].fillna(UNKNOWN).astype(str) == UNKNOWN, "file"]
    if files.empty:
        return ""
    named = ", ".join(files.head(5)) + (f" and {len(files) - 5:,} more" if len(files) > 5 else "")
    noun = "article" if len(files) == 1 else "articles"
    verb = "is" if len(files) == 1 else "are"
    return (
        f"{len(files):,} {noun} of unknown outlet ({named}) {verb} listed in {listed_in} and left "
        "out of outlet comparisons; name their outlets in a metadata CSV (file, outlet) or add "
        "markers to data/outlets.csv to bring them in"
    )
