"""One page, one pass: everything the corpus-level stages need from a page, computed once.

``process_page`` is pure (bytes in, plain values out), so any engine can run it anywhere and the
tables never depend on where it ran. The page is decoded, cleaned and split once
(``clean.read_page``); its body is then read once for each of: lexicon mentions with their voice
(``mentions``), word counts (``features``) and sentences with their shingles (``reuse``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import NamedTuple

from wording import clean, features, inputs, mentions, reuse
from wording.lexicon import CompiledLexicon


@dataclass(frozen=True)
class Context:
    """What every page is read against (picklable, sent once to each worker)."""

    lexicon: CompiledLexicon
    phrases: features.PhraseMatcher
    meta_label: str = ""  # how warnings name the metadata file


class PageResult(NamedTuple):
    """One file read: the cleaning result, and for an article its mentions, counts, sentences."""

    read: clean.PageRead
    mentions: list[tuple]  # term_mentions rows
    counts: tuple[list[str], list[int]] | None  # features and their counts in the body
    sentences: reuse.ArticleSentences | None  # body sentences and their shingle keys


def process_page(raw: bytes, name: str, meta_row: dict | None, context: Context) -> PageResult:
    """Read one file named ``name`` with bytes ``raw`` (``meta_row``: its curated metadata)."""
    read = clean.read_page(raw, name, meta_row, context.meta_label)
    article = read.article
    if article is None:
        return PageResult(read, [], None, None)
    body = article["body"]
    rows = mentions.article_mentions(name, article["outlet"], body, context.lexicon)
    counts = features.article_counts(body, context.phrases)
    body_paragraphs = [(p[1], p[3]) for p in read.paragraphs if p[2] == "body"]
    sentences = reuse.article_sentences(name, body_paragraphs)
    read = read._replace(article={**article, "n_sentences": len(sentences.text)})
    return PageResult(read, rows, counts, sentences)


def process_files(
    paths: list[str | inputs.Item], meta_rows: dict[str, dict], context: Context
) -> list[PageResult]:
    """``process_page`` for each path (one engine task): the file's bytes are read here, so a
    task carries paths, not pages. A file that is not a page is not read at all."""
    results = []
    for path in paths:
        if isinstance(path, inputs.Item):  # a table row or archived page, read by the caller
            results.append(read_item(path, meta_rows, context))
            continue
        name = os.path.basename(path)
        raw = _read_bytes(path) if inputs.is_read_by_worker(name) else b""
        results.append(process_page(raw, name, meta_rows.get(name), context))
    return results


def read_item(item: inputs.Item, meta_rows: dict[str, dict], context: Context) -> PageResult:
    """``process_page`` for an input item; an item that could not be read is rejected."""
    if item.problem:
        return PageResult(clean.PageRead(None, item.problem, [], [], [], None), [], None, None)
    curated = meta_rows.get(item.name)
    meta = {**curated, "kind": (item.meta or {}).get("kind", "")} if curated else item.meta
    return process_page(item.raw, item.name, meta, context)


def _read_bytes(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()
