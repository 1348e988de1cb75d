"""Outlet comparisons cut two ways: by publisher (the outlet whose page carries the words) or by
wording source (whose words they are: the outlet's own, or the wire or paper it credits or
relays, from ``wording_source`` in ``paragraphs.csv``).

Cut by publisher, each article is one text of its outlet (the build's ``keyness.csv`` and
``tfidf_terms.csv``). Cut by wording source, each article is split into the body paragraphs of
each source it carries, and each part is one text of that source: the Taipei Times article
credited to Reuters and AP is a text of "Reuters; AP"; the paragraphs of a TASS article that
relay the Nikkei are a text of "Nikkei", and its other paragraphs a text of TASS.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from wording.compare import body_counts
from wording.features import PhraseMatcher
from wording.keyness import ALPHA0, keyness_table
from wording.ranks import tie_columns
from wording.tfidf import TfidfSettings, tfidf_from_counts, weights_tables

Cut = Literal["publisher", "wording source"]
CUTS: tuple[Cut, ...] = ("publisher", "wording source")


def source_label(source: str) -> str:
    """A ``wording_source`` value as a name: "Reuters; AP" -> "Reuters and AP"."""
    names = [s.strip() for s in str(source).split(";") if s.strip()]
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)


def texts_by(articles: pd.DataFrame, paragraphs: pd.DataFrame, cut: Cut) -> pd.DataFrame:
    """The texts compared under ``cut``: ``file``, ``outlet`` (the group compared: the publisher,
    or the wording source), ``publisher``, ``body`` and ``n_paragraphs``.

    By publisher: one row per article, its body as the build read it. By wording source: one row
    per article and source of its body paragraphs (``paragraphs`` rows with a ``start`` offset),
    in the article's reading order; an empty source is the publisher's own words.
    """
    if cut == "publisher":
        texts = articles[["file", "outlet", "body"]].copy()
        texts["publisher"] = texts["outlet"]
        texts["n_paragraphs"] = articles["n_paragraphs"].to_numpy()
        return texts[["file", "outlet", "publisher", "body", "n_paragraphs"]]
    if cut != "wording source":
        raise ValueError(f"cut must be one of {CUTS}, not {cut!r}")
    publisher = articles.set_index("file")["outlet"].astype(str)
    # a paragraph of the body text has an offset (read back from CSV, "" is no offset)
    body = paragraphs[pd.to_numeric(paragraphs["start"], errors="coerce").notna()].copy()
    body = body[body["file"].isin(publisher.index)]
    if "wording_source" not in body:
        body["wording_source"] = ""
    source = body["wording_source"].fillna("").astype(str)
    body["publisher"] = body["file"].map(publisher)
    body["outlet"] = source.map(source_label).where(source != "", body["publisher"])
    body["text"] = body["text"].fillna("").astype(str)
    body["_first"] = body.groupby(["file", "outlet"], sort=False)["paragraph"].transform("min")
    texts = (
        body.sort_values(["file", "_first", "paragraph"], kind="stable")
        .groupby(["file", "_first", "outlet", "publisher"], sort=False)
        .agg(body=("text", "\n\n".join), n_paragraphs=("text", "size"))
        .reset_index()
    )
    return texts[["file", "outlet", "publisher", "body", "n_paragraphs"]]


def cut_tables(
    texts: pd.DataFrame,
    matcher: PhraseMatcher | None = None,
    settings: TfidfSettings | None = None,
    alpha0: float = ALPHA0,
) -> dict[str, pd.DataFrame]:
    """``keyness`` and ``tfidf_terms`` (with ``n_tied``, ``rank_tied``) of the groups of
    ``texts`` (``texts_by``), computed as the build computes ``keyness.csv`` and
    ``tfidf_terms.csv``, each text standing for an article (``n_articles`` counts texts)."""
    settings = settings or TfidfSettings()
    counts = body_counts(texts["body"], matcher, settings)
    key = keyness_table(counts.matrix, counts.terms, texts["outlet"], alpha0=alpha0)
    weights = tfidf_from_counts(counts, settings)
    tfidf_terms, _ = weights_tables(texts[["file", "outlet"]], weights, top_k_article=0)
    tfidf_terms["n_tied"], tfidf_terms["rank_tied"] = tie_columns(tfidf_terms, "outlet")
    return {"keyness": key, "tfidf_terms": tfidf_terms}


def groups(texts: pd.DataFrame) -> pd.DataFrame:
    """One row per group of ``texts``: ``outlet`` (the group), ``publishers`` (A-Z, joined by
    ", "), ``n_articles`` (distinct articles), ``n_texts`` and ``n_paragraphs``; in the study's
    outlet order."""
    from wording.order import outlet_order

    table = texts.groupby("outlet", sort=False).agg(
        publishers=("publisher", lambda p: ", ".join(sorted(set(p)))),
        n_articles=("file", "nunique"),
        n_texts=("file", "size"),
        n_paragraphs=("n_paragraphs", "sum"),
    )
    order = outlet_order(table.index)
    table = table.loc[order].reset_index()
    for column in ("n_articles", "n_texts", "n_paragraphs"):
        table[column] = table[column].astype(np.int64)
    return table
