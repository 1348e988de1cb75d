"""Sentences of notebook 02 and the README about wording, written from the tables.

Claims stay within the numbers: a term is named only when no other term shares its written score
(ties are counted, "9 terms tied at 0.1407", never broken by the alphabet); keyness is claimed only
where it holds under both priors and the article resampling (``keyness.csv``'s ``robust``); an
outlet with one article is said to be one article. Terms are set in italics (``*term*``), so a
test can find every term a sentence names.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from wording.keyness import ALPHA0, ROBUST_SHARE, Z_CRITICAL
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


def source_words(source: str) -> str:
    """A ``wording_source`` value in prose: "Reuters; AP" -> "Reuters and AP"."""
    return listed([s.strip() for s in str(source).split(";") if s.strip()])


def panel_label(outlet: str, n_articles: int) -> str:
    """A small multiple's title with its N: "TASS, 1 article"."""
    return f"{outlet}, {counted(int(n_articles), 'article')}"


def terms_of(sentence: str) -> list[str]:
    """The terms a sentence of this module names (set in italics)."""
    return TERM_RE.findall(sentence)


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


def tfidf_sentence(tfidf_terms: pd.DataFrame, outlet: str, k: int = 3) -> str:
    """Which terms score highest in ``outlet``'s mean TF-IDF weights, ties as ties.

    Names terms down to the ``k``-th term, stopping at the first tie ("then 9 terms tied at
    0.1407"); says that TF-IDF ranks the one article when the outlet has one.
    """
    rows = tfidf_terms[tfidf_terms["outlet"] == outlet]
    if rows.empty:
        return f"{outlet} has no term with a TF-IDF weight."
    n_articles = int(rows["n_articles"].iloc[0])
    parts, named = [], 0
    for level in _levels(rows, "score", k):
        score = float(level["score"].iloc[0])
        if len(level) > 1:
            parts.append(f"{len(level)} terms tied at {score:.4g}")
            break
        parts.append(f"*{level['term'].iloc[0]}* ({score:.4g})")
        named += 1
        if named >= k:
            break
    head = "the highest is" if len(parts) == 1 else "the highest are, in order,"
    if n_articles == 1:
        who = (
            f"{outlet} has one article, so TF-IDF ranks that article's words, not the "
            f"outlet's: {head}"
        )
    else:
        who = f"In {outlet}'s {counted(n_articles, 'article')} (mean weight), {head}"
    return f"{who} {listed(parts)}."


def top_term_title(tfidf_terms: pd.DataFrame, outlets: list[str]) -> str:
    """A chart title naming each outlet's top TF-IDF term, or the size of its tie."""
    parts = []
    for outlet in outlets:
        rows = tfidf_terms[tfidf_terms["outlet"] == outlet]
        if rows.empty:
            continue
        top = _levels(rows, "score", 1)[0]
        parts.append(
            f"{outlet} '{top['term'].iloc[0]}'"
            if len(top) == 1
            else f"{outlet} {len(top)} terms tied"
        )
    return "Top TF-IDF term: " + ", ".join(parts)


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
            f"is shared by {len(top)} terms (z {first[column]:.2f}, each used {y} times "
            f"against {y_rest} by the rest)"
        )
    uses = f"{y} uses against {y_rest} by the rest"
    return f"belongs to *{first['term']}* (z {first[column]:.2f}; {uses})"


def keyness_sentence(keyness: pd.DataFrame, outlet: str) -> str:
    """``outlet``'s highest-z content word under each prior, and what survives both priors and
    the article resampling (``robust``); "illustrative" for an outlet with one article."""
    rows = keyness[(keyness["outlet"] == outlet) & (keyness["count"] > 0)]
    if "stop_word" in rows:
        rows = rows[~rows["stop_word"].astype(bool)]
    if rows.empty:
        return f"{outlet} uses no content word."
    n_articles = int(rows["n_articles"].iloc[0])
    share, raw = _top_z(rows, "z"), _top_z(rows, "z_raw_prior")
    sentence = (
        f"{PRIORS['z'].capitalize()}, the highest z among {possessive(outlet)} content words "
        f"{share}; {PRIORS['z_raw_prior']}, it {raw}"
    )
    robust = rows[rows["robust"].astype(bool)] if "robust" in rows else rows.iloc[0:0]
    if n_articles == 1:
        sentence += (
            f". {outlet} has one article, so these z-scores compare that article with the rest "
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


def robust_summary(keyness: pd.DataFrame) -> str:
    """One sentence: how many outlet–word differences hold under both priors and the article
    resampling, and which outlets have one article (illustrative)."""
    content = keyness[~keyness["stop_word"].astype(bool)] if "stop_word" in keyness else keyness
    robust = content[content["robust"].astype(bool)]
    single = sorted(set(content.loc[content["n_articles"] == 1, "outlet"]))
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
            f"; for {listed(single)}, with one article each, keyness compares an article with "
            "the rest and is illustrative"
        )
    return head + "."


def prior_flips(keyness: pd.DataFrame) -> list[str]:
    """Outlets whose highest-z content word (or tie) differs between the two priors."""
    flipped = []
    content = keyness[(keyness["count"] > 0) & ~keyness["stop_word"].astype(bool)]
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
# Whose wording
# --------------------------------------------------------------------------------------------


def wording_source_sentences(articles: pd.DataFrame, paragraphs: pd.DataFrame) -> list[str]:
    """Whose words each article carries, from ``wording_source`` (article and paragraph): an
    article credited to a wire or paper, and body paragraphs relaying another source."""
    per_outlet = articles["outlet"].value_counts()
    body = paragraphs[pd.to_numeric(paragraphs["start"], errors="coerce").notna()]
    sentences = []
    for row in articles.itertuples(index=False):
        name = (
            f"The {row.outlet} article"
            if per_outlet.get(row.outlet, 0) == 1
            else f"{row.outlet}'s article {row.file}"
        )
        source = str(getattr(row, "wording_source", "") or "")
        basis = str(getattr(row, "wording_source_basis", "") or "")
        if source:
            sentences.append(
                f"{name} is credited to {source_words(source)}"
                + (f" ({basis})" if basis else "")
                + f": its wording is {source_words(source)}'s, published by {row.outlet}."
            )
            continue
        own = body[body["file"] == row.file]
        relayed = own["wording_source"].fillna("").astype(str)
        relayed = relayed[relayed != ""]
        for relay, n in relayed.value_counts().sort_index().items():
            sentences.append(
                f"{name} relays {source_words(relay)} in {n} of its {len(own)} body "
                "paragraphs, which are counted as "
                f"{source_words(relay)}'s words when the comparison is cut by wording source."
            )
    return sentences


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
            f"{above} of the {counted(len(cross), 'candidate pair')} across outlets score at or "
            f"above the threshold (highest {cross.max():.2f}): across outlets such a pair is "
            "shared wire copy, a common quotation or a stock phrase, not one house's reuse, "
            "so read those pairs before counting them as reuse. "
        )
    n_same = int((same >= threshold).sum())
    same_part = (
        f"{counted(n_same, 'sentence pair')} within one outlet "
        f"{'scores' if n_same == 1 else 'score'} at or above it."
    )
    return (
        head + check + same_part + " With this few articles the threshold is a judgement the "
        "chart below lets a reader check, not an estimate."
    )
