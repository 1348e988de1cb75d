"""Sentences of notebook 02 and the README about wording, written from the tables.

Claims stay within the numbers: a term is named only when no other term shares its written score
(ties are counted, "9 terms tied at 0.1407", never broken by the alphabet); keyness is claimed only
where it holds under both priors and the article resampling (``keyness.csv``'s ``robust``); an
outlet with one article is said to be one article. Terms are set in italics (``*term*``), so a
test can find every term a sentence names.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from wording.keyness import ALPHA0, ROBUST_SHARE, Z_CRITICAL
from wording.order import outlet_order
from wording.ranks import written

TERM_RE = re.compile(r"\*([^*]+)\*")  # a term as these sentences set it: *term*


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """ "1 article", "3 articles" (``plural`` for irregular words)."""
    return f"{n:,} {singular if n == 1 else (plural or singular + 's')}"


def listed(items: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def panel_label(outlet: str, n_articles: int, illustrative: bool = False) -> str:
    """A small multiple's title with its N: "TASS, 1 article" ("TASS, 1 article: illustrative"
    with ``illustrative``, for statistics that one article cannot support)."""
    label = f"{outlet}, {counted(int(n_articles), 'article')}"
    return label + (": illustrative" if illustrative and int(n_articles) == 1 else "")


def terms_of(sentence: str) -> list[str]:
    """The terms a sentence of this module names (set in italics)."""
    return TERM_RE.findall(sentence)


def flag(values: pd.Series) -> pd.Series:
    """A boolean column as booleans, also when read back from CSV as text ("True", "False")."""
    if values.dtype == bool:
        return values
    return values.astype(str).str.strip().str.lower().isin(["true", "1", "1.0"])


def _levels(table: pd.DataFrame, score: str, k: int) -> list[pd.DataFrame]:
    """The rows of the ``k`` highest distinct written scores, one frame per score, highest
    first (rows that share a written score are one level: a tie)."""
    value = written(table[score])
    levels = []
    for v in sorted(value.unique(), reverse=True)[:k]:
        levels.append(table[value == v].sort_values("term"))
    return levels


# --------------------------------------------------------------------------------------------
# TF-IDF
# --------------------------------------------------------------------------------------------


def tfidf_sentence(
    tfidf_terms: pd.DataFrame, outlet: str, k: int = 3, unit: str = "article", group: str = "outlet"
) -> str:
    """Which terms score highest in ``outlet``'s mean TF-IDF weights, ties as ties.

    Names terms down to the ``k``-th term, stopping at the first tie ("and 9 terms tied at
    0.1407"), or says how many terms share the top score; says that TF-IDF ranks the one
    article when the outlet has one.
    """
    rows = tfidf_terms[tfidf_terms["outlet"] == outlet]
    if rows.empty:
        return f"{outlet} has no term with a TF-IDF weight."
    n_articles = int(rows["n_articles"].iloc[0])
    parts, named = [], 0
    levels = _levels(rows, "score", k)
    if len(levels[0]) > 1:  # a tie at the top: no term is named
        tie = levels[0]
        parts.append(
            f"{len(tie)} terms share the highest score ({float(tie['score'].iloc[0]):.4g})"
        )
        levels = []
    for level in levels:
        score = float(level["score"].iloc[0])
        if len(level) > 1:
            parts.append(f"{len(level)} terms tied at {score:.4g}")
            break
        parts.append(f"*{level['term'].iloc[0]}* ({score:.4g})")
        named += 1
        if named >= k:
            break
    head = (
        ""
        if "share the highest" in parts[0]
        else ("the highest is" if len(parts) == 1 else "the highest are, in order,")
    )
    if n_articles == 1:
        who = f"{outlet} has one {unit}, so TF-IDF ranks that {unit}'s words, not the {group}'s:"
    else:
        who = f"In {possessive(outlet)} {counted(n_articles, unit)} (mean weight),"
    said = f"{head} {listed(parts)}" if head else listed(parts)
    return f"{who} {said}."


LEAD = 0.05  # a top term named in a title leads the next score by at least this share


def top_term_title(tfidf_terms: pd.DataFrame, outlets: list[str]) -> str:
    """A chart title naming each group's top TF-IDF term when it is untied and leads the next
    score by ``LEAD`` or more; the other groups are said to have no clear top term."""
    named, unclear = [], []
    for outlet in outlets:
        rows = tfidf_terms[tfidf_terms["outlet"] == outlet]
        if rows.empty:
            continue
        levels = _levels(rows, "score", 2)
        top = levels[0]
        score = float(top["score"].iloc[0])
        near = len(levels) > 1 and float(levels[1]["score"].iloc[0]) > score * (1 - LEAD)
        if len(top) == 1 and not near:
            named.append(f"{outlet} '{top['term'].iloc[0]}'")
        elif len(top) > 1:
            unclear.append(f"{outlet} ({len(top)} terms tied)")
        else:
            close = int((rows["score"] > score * (1 - LEAD)).sum())
            unclear.append(f"{outlet} ({close} terms within {LEAD:.0%})")
    if not named:
        return "No clear top TF-IDF term for " + listed(unclear)
    title = "Top TF-IDF term: " + ", ".join(named)
    return title + ("; none clear for " + listed(unclear) if unclear else "")


# --------------------------------------------------------------------------------------------
# Keyness
# --------------------------------------------------------------------------------------------

PRIORS = {
    "z": f"with α0 = {ALPHA0:g} spread by corpus share",
    "z_raw_prior": "with raw corpus counts as the prior",
}


def possessive(name: str) -> str:
    """ "TASS's", "Taipei Times'"."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _top_z(rows: pd.DataFrame, column: str) -> str:
    """Who holds the highest z under one prior: "belongs to *term* (…)" or, for a tie, "is
    shared by N terms (…)"."""
    top = _levels(rows, column, 1)[0]
    first = top.iloc[0]
    y, y_rest = int(first["count"]), int(first["count_rest"])
    if len(top) > 1:
        return (
            f"is shared by {len(top)} terms (z {first[column]:.2f}, each used "
            f"{counted(y, 'time')} against {y_rest} by the rest)"
        )
    uses = f"{y} uses against {y_rest} by the rest"
    return f"belongs to *{first['term']}* (z {first[column]:.2f}; {uses})"


def keyness_sentence(keyness: pd.DataFrame, outlet: str, unit: str = "article") -> str:
    """``outlet``'s highest-z content word under each prior, and what survives both priors and
    the article resampling (``robust``); "illustrative" for an outlet with one article."""
    rows = keyness[(keyness["outlet"] == outlet) & (keyness["count"] > 0)]
    if "stop_word" in rows:
        rows = rows[~flag(rows["stop_word"])]
    if rows.empty:
        return f"{outlet} uses no content word."
    n_articles = int(rows["n_articles"].iloc[0])
    share, raw = _top_z(rows, "z"), _top_z(rows, "z_raw_prior")
    top_share, top_raw = _levels(rows, "z", 1)[0], _levels(rows, "z_raw_prior", 1)[0]
    if len(top_share) == 1 and len(top_raw) == 1 and top_share.index[0] == top_raw.index[0]:
        first = top_share.iloc[0]
        sentence = (
            f"Under both priors, the highest z among {possessive(outlet)} content words belongs "
            f"to *{first['term']}* (z {first['z']:.2f} {PRIORS['z']}, "
            f"{first['z_raw_prior']:.2f} {PRIORS['z_raw_prior']}; {int(first['count'])} uses "
            f"against {int(first['count_rest'])} by the rest)"
        )
    else:
        sentence = (
            f"{PRIORS['z'].capitalize()}, the highest z among {possessive(outlet)} content words "
            f"{share}; {PRIORS['z_raw_prior']}, it {raw}"
        )
    robust = rows[flag(rows["robust"])] if "robust" in rows else rows.iloc[0:0]
    if n_articles == 1:
        sentence += (
            f". {outlet} has one {unit}, so these z-scores compare that {unit} with the rest "
            "and are illustrative only"
        )
    elif robust.empty:
        sentence += (
            f". None of {possessive(outlet)} content words keeps |z| ≥ {Z_CRITICAL} under "
            f"both priors and in {ROBUST_SHARE:.0%} of article resamples"
        )
    else:
        over = robust[robust["z"] > 0].sort_values(["z", "term"], ascending=[False, True])
        under = robust[robust["z"] < 0]
        names = [f"*{t}*" for t in over["term"].head(8)]
        more = len(over) - len(names)
        sentence += (
            f". Under both priors and in {ROBUST_SHARE:.0%} of article resamples, {outlet} "
            + (
                f"uses {listed(names + ([counted(more, 'other word')] if more else []))} more "
                "than the rest"
                if names
                else "uses no word more than the rest"
            )
            + (f", and {counted(len(under), 'word')} less" if len(under) else "")
        )
    return sentence + "."


def robust_summary(keyness: pd.DataFrame, unit: str = "article") -> str:
    """One sentence: how many outlet–word differences hold under both priors and the article
    resampling, and which outlets have one article (illustrative)."""
    content = keyness[~flag(keyness["stop_word"])] if "stop_word" in keyness else keyness
    robust = content[flag(content["robust"])]
    single = outlet_order(set(content.loc[content["n_articles"] == 1, "outlet"]))
    per_outlet = robust.groupby("outlet", sort=False).size()
    if robust.empty:
        head = (
            f"No content word sets any outlet apart under both priors with |z| ≥ {Z_CRITICAL} "
            f"and in {ROBUST_SHARE:.0%} of article resamples"
        )
    else:
        head = "Under both priors and the article resampling, " + listed(
            [f"{counted(int(n), 'content word')} set {o} apart" for o, n in per_outlet.items()]
        )
    if single:
        head += (
            f"; for {listed(single)}, with one {unit} each, keyness compares one {unit} with "
            "the rest and is illustrative"
        )
    return head + "."


def prior_flips(keyness: pd.DataFrame) -> list[str]:
    """Outlets whose highest-z content word (or tie) differs between the two priors."""
    flipped = []
    content = keyness[(keyness["count"] > 0) & ~flag(keyness["stop_word"])]
    for outlet, rows in content.groupby("outlet", sort=False):
        if _top_z(rows, "z").split(" (z")[0] != _top_z(rows, "z_raw_prior").split(" (z")[0]:
            flipped.append(str(outlet))
    return flipped


def four_term_z(keyness: pd.DataFrame) -> pd.Series:
    """z with scattertext's four-term variance, 1/(y_i+a) + 1/(n_i+a0-y_i-a) + 1/(y_j+a) +
    1/(n_j+a0-y_j-a), from ``keyness.csv``'s delta, counts and prior (same prior, same delta)."""
    a, a0 = keyness["alpha"], keyness["alpha0"]
    y, y_rest, n, n_rest = (keyness[c] for c in ("count", "count_rest", "n", "n_rest"))
    sigma2 = 1 / (y + a) + 1 / (n + a0 - y - a) + 1 / (y_rest + a) + 1 / (n_rest + a0 - y_rest - a)
    return keyness["delta"] / np.sqrt(sigma2)


# --------------------------------------------------------------------------------------------
# Similarity and reuse
# --------------------------------------------------------------------------------------------

CLOSE = 0.02  # cosine gap under which two pairs are not called more or less alike


def similarity_sentence(pairs: pd.DataFrame, outlet_of: pd.Series) -> str:
    """The range of article-pair cosines, naming the closest pair only when it stands ``CLOSE``
    or more above the next (``pairs`` from ``wording.similarity_pairs``, highest first)."""
    if pairs.empty:
        return "There is only one article, so no pair to compare."
    top = pairs.iloc[0]
    low, high = float(pairs["cosine"].min()), float(top["cosine"])
    head = f"Article pairs range from cosine {low:.2f} to {high:.2f}"
    if len(pairs) == 1:
        return head + "."
    gap = high - float(pairs["cosine"].iloc[1])
    if gap < CLOSE:
        near = int((pairs["cosine"] >= high - CLOSE).sum())
        return (
            f"{head}; the {near} highest pairs lie within {CLOSE:g} of each other, too close to "
            "call any one pair the most alike."
        )
    return (
        f"{head}; {top['file']} ({outlet_of.get(top['file'], '')}) and {top['other']} "
        f"({outlet_of.get(top['other'], '')}) stand {gap:.2f} above the next pair."
    )


def threshold_paragraph(scores: pd.DataFrame, threshold: float, edited: float) -> str:
    """How the reuse threshold sits against the candidate pairs' scores, stated from the scores
    (never "above every cross-outlet pair" when one is above it)."""
    same = scores.loc[scores["same_outlet"].astype(bool), "similarity"]
    cross = scores.loc[~scores["same_outlet"].astype(bool), "similarity"]
    head = (
        f"**Threshold.** A sentence pair counts as reuse at Jaccard ≥ {threshold:g} (kind "
        f"*edited* from {edited:g}, *verbatim* when the normalised text is identical, *related* "
        f"below {edited:g}). "
    )
    if cross.empty:
        check = (
            "No candidate pair crosses outlets here, so no pair of independently written "
            "sentences checks the threshold. "
        )
    elif cross.max() < threshold:
        check = (
            f"Among the {counted(len(cross), 'candidate pair')} across outlets, which one "
            f"house's reuse cannot explain, the highest score is {cross.max():.2f}, below the "
            "threshold. "
        )
    else:
        above = int((cross >= threshold).sum())
        check = (
            f"{above} of the {counted(len(cross), 'candidate pair')} across outlets "
            f"{'scores' if above == 1 else 'score'} at or "
            f"above the threshold (highest {cross.max():.2f}): across outlets such a pair is "
            "shared wire copy, a common quotation or a stock phrase, not one house's reuse, "
            "so read those pairs before counting them as reuse. "
        )
    n_same = int((same >= threshold).sum())
    same_part = (
        f"Within one outlet, {counted(n_same, 'sentence pair')} "
        f"{'scores' if n_same == 1 else 'score'} at or above it."
    )
    return (
        head + check + same_part + " With this few articles the threshold is a judgement the "
        "chart below lets a reader check, not an estimate."
    )


REUSE_KINDS = {
    "verbatim": ("verbatim copy", "verbatim copies"),
    "edited": ("lightly edited copy", "lightly edited copies"),
    "related": ("related passage (shared phrasing)", "related passages (shared phrasing)"),
}


def reuse_sentence(passages: pd.DataFrame) -> str:
    """How many passage pairs are shared, of which kinds, within one outlet or across."""
    if passages.empty:
        return "No passage is shared between articles above the reuse threshold."
    kinds = passages["kind"].value_counts()
    parts = [
        counted(int(kinds[k]), *REUSE_KINDS[k]) if k in REUSE_KINDS else f"{kinds[k]} {k}"
        for k in [*REUSE_KINDS, *(k for k in kinds.index if k not in REUSE_KINDS)]
        if k in kinds
    ]
    same = passages["outlet_a"] == passages["outlet_b"]
    cross = int((~same).sum())
    within = outlet_order(passages.loc[same, "outlet_a"])
    if cross == 0:
        where = f"all within {within[0]}" if len(within) == 1 else "each within one outlet"
    else:
        where = f"{cross} across outlets, {len(passages) - cross} within one"
    return (
        f"{counted(len(passages), 'passage')} {'recurs' if len(passages) == 1 else 'recur'} "
        f"in a second article above the reuse threshold ({where}): {listed(parts)}."
    )


# --------------------------------------------------------------------------------------------
# Top-k lists with ties
# --------------------------------------------------------------------------------------------


def top_set(rows: pd.DataFrame, k: int, whole_ties: bool = False) -> set[str]:
    """The terms of the highest written scores, level by level, up to ``k`` terms: a tie that
    would cross ``k`` is left out whole (or, with ``whole_ties``, taken in whole)."""
    chosen: set[str] = set()
    for level in _levels(rows, "score", len(rows)):
        if len(chosen) + len(level) > k:
            if whole_ties:
                chosen |= set(level["term"])
            break
        chosen |= set(level["term"])
    return chosen


def ranked_list(rows: pd.DataFrame, k: int) -> str:
    """The top-``k`` terms as a reader should see them: "nikkei, 9 tied at 0.1407" when a tie
    would cross ``k``; a tie that fits is shown as one item ("including = sputnik")."""
    parts, shown = [], 0
    for level in _levels(rows, "score", len(rows)):
        if shown >= k:
            break
        if len(level) == 1:
            parts.append(str(level["term"].iloc[0]))
        elif shown + len(level) <= k:
            parts.append(" = ".join(level["term"]))
        else:
            parts.append(f"{len(level)} tied at {float(level['score'].iloc[0]):.4g}")
            break
        shown += len(level)
    return ", ".join(parts)


# --------------------------------------------------------------------------------------------
# The lexicon's names among the features
# --------------------------------------------------------------------------------------------


def lexicon_names_sentence(
    table: pd.DataFrame, lexicon: pd.DataFrame, lead: str, show: Callable[[pd.Series], str]
) -> str:
    """``lead`` followed by each of ``table``'s rows whose term is one of the lexicon's name
    features (``features.lexicon_phrases``: the term_ids of its name categories), as ``show``
    writes the row, joined by "; ". When no row is one, a sentence that says why, from the
    lexicon: it has no rows of those categories (its groups named), or none occurs here."""
    from wording.features import lexicon_phrases

    features = set(lexicon_phrases(lexicon)["feature"])
    rows = table[table["term"].isin(features)]
    if len(rows):
        return lead + "; ".join(show(r) for _, r in rows.iterrows()) + "."
    if not features:
        column = "group" if "group" in lexicon.columns else "category"
        groups = (
            list(dict.fromkeys(lexicon[column].dropna().astype(str))) if column in lexicon else []
        )
        has = f"its groups are {listed([f'*{g}*' for g in groups])}" if groups else "it is empty"
        return (
            "The lexicon has no name category (one whose last word is *name*: "
            f"{has}), so no lexicon name is a single feature "
            "here: its one-word names count as plain words, and notebook 03 counts every name "
            "by its pattern."
        )
    return f"None of the lexicon's {counted(len(features), 'name feature')} occurs here."
