"""Whose words the articles carry (``wording_source`` of articles and paragraphs), said in
sentences for notebook 02 and the README's findings."""

from __future__ import annotations

import numpy as np
import pandas as pd

from wording.cuts import source_label as source_words
from wording.report.wording_prose import counted, possessive

PER_ARTICLE = 10  # at most this many articles with a wording source are named one by one


def wording_source_sentences(articles: pd.DataFrame, paragraphs: pd.DataFrame) -> list[str]:
    """Whose words each article carries, from ``wording_source`` (article and paragraph): an
    article credited to a wire or paper, and body paragraphs relaying another source. One
    sentence per such article while there are at most ``PER_ARTICLE`` of them; beyond, two
    sentences with the counts per source (linear in the tables: one group-by, no loop over
    articles)."""
    per_outlet = articles["outlet"].value_counts()
    wanted = [c for c in ("file", "wording_source") if c in paragraphs]  # not the texts
    body = paragraphs.loc[pd.to_numeric(paragraphs["start"], errors="coerce").notna(), wanted]
    n_body = body.groupby("file").size()
    source = _text(articles, "wording_source")
    basis = _text(articles, "wording_source_basis")
    credited = source != ""
    relay = _text(body, "wording_source")
    relayed = body.loc[relay != "", ["file"]].assign(source=relay[relay != ""])
    uncredited = set(articles.loc[~credited, "file"])
    relayed = relayed[np.fromiter((f in uncredited for f in relayed["file"]), bool, len(relayed))]
    counts = relayed.groupby(["file", "source"]).size()
    n_named = int(credited.sum()) + relayed["file"].nunique()
    if n_named > PER_ARTICLE:
        return _wording_source_totals(articles, credited, source, relayed)
    by_file = {f: g.droplevel(0).sort_index() for f, g in counts.groupby(level=0)}
    sentences = []
    for i, row in enumerate(articles.itertuples(index=False)):
        name = (
            f"The {row.outlet} article"
            if per_outlet.get(row.outlet, 0) == 1
            else f"{row.outlet}'s article {row.file}"
        )
        if credited.iloc[i]:
            said = source_words(source.iloc[i])
            sentences.append(
                f"{name} is credited to {said}"
                + (f" ({basis.iloc[i]})" if basis.iloc[i] else "")
                + f": its wording is {said}'s, published by {row.outlet}."
            )
            continue
        total = int(n_body.get(row.file, 0))
        for relay_name, n in by_file.get(row.file, pd.Series(dtype=int)).items():
            share = (
                "its only body paragraph"
                if total == 1
                else f"all {total} of its body paragraphs"
                if n == total
                else f"{n} of its {total} body paragraphs"
            )
            counted_as = "which is" if n == 1 else "which are"
            sentences.append(
                f"{name} relays {source_words(relay_name)} in {share}, {counted_as} counted as "
                f"{possessive(source_words(relay_name))} words when the comparison is cut by "
                "wording source."
            )
    return sentences


def _text(table: pd.DataFrame, column: str) -> pd.Series:
    """A text column as strings, "" where absent or empty (positions of ``table``)."""
    if column not in table:
        return pd.Series("", index=table.index)
    return table[column].fillna("").astype(str)


def _wording_source_totals(
    articles: pd.DataFrame, credited: pd.Series, source: pd.Series, relayed: pd.DataFrame
) -> list[str]:
    """The two sentences ``wording_source_sentences`` says for many articles: how many articles
    are credited to each source, and how many relay each source in some body paragraphs."""
    n = len(articles)
    out = []
    if credited.any():
        per = source[credited].value_counts()
        listed_ = ", ".join(f"{source_words(k)} {v:,}" for k, v in per.items())
        out.append(
            f"{counted(int(credited.sum()), 'article')} of {n:,} are credited to a wire or paper "
            f"({listed_}): their wording is that source's, published by their outlet."
        )
    if not relayed.empty:
        per = relayed["source"].value_counts()
        listed_ = ", ".join(f"{source_words(k)} {v:,}" for k, v in per.items())
        m = relayed["file"].nunique()
        out.append(
            f"{counted(m, 'other article')} {'relays' if m == 1 else 'relay'} another source in "
            "some body paragraphs "
            f"({counted(len(relayed), 'paragraph')}: {listed_}), counted as that source's words "
            "when the comparison is cut by wording source."
        )
    return out
