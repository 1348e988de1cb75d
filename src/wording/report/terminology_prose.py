"""The terminology notebook's (03) tables of counts by side and its finding sentences, written
from the build's tables (term_mentions.csv, term_counts.csv, articles.csv), never typed."""

from __future__ import annotations

import numpy as np
import pandas as pd

from wording.report import style
from wording.report.sides import (
    _join,
    _side_rank,
    _times,
    side_adjective,
    side_label,
    side_order,
    side_term,
)


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
