"""The corpus tables from every page's reading: articles, paragraphs, removed lines, rejections
and warnings (``assemble``), with the curated metadata each page is read against
(``curated_rows``). Every file ends in ``articles`` or ``rejected``; nothing is dropped without
being reported. ``wording.pipeline.run`` reads the pages (``wording.clean.read_page``) and calls
these; duplicates are found across the corpus here (``wording.duplicates``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from wording import paths
from wording.clean import PageRead, clean_page, cleaning_rules  # noqa: F401 (notebook 01 reads them here)
from wording.duplicates import duplicate_rejections, find_duplicates
from wording.pages import WarningRow, empty_metadata, listing_warnings, read_metadata

ARTICLE_COLUMNS = [
    "file", "outlet", "date", "headline", "standfirst", "dateline", "byline", "body", "removed",
    "date_basis", "outlet_basis", "n_words", "n_paragraphs", "n_removed", "sha256", "url",
    "encoding", "date_earliest", "date_latest",
]  # fmt: skip
PARAGRAPH_COLUMNS = ["file", "paragraph", "kind", "text", "start", "end"]
REMOVED_COLUMNS = ["file", "line", "text", "rule"]


@dataclass
class Corpus:
    """The cleaned corpus: articles, their paragraphs, the removal audit, rejections, warnings."""

    articles: pd.DataFrame
    paragraphs: pd.DataFrame
    removed_lines: pd.DataFrame
    rejected: pd.DataFrame
    warnings: pd.DataFrame
    n_files: int

    def accounting(self) -> str:
        """The one-line account ("N inputs: A articles, R rejected, W warnings"): every input
        (a page file, or a row of a CSV, JSON Lines, Parquet or WARC file) is an article or a
        rejection."""
        return (
            f"{self.n_files} inputs: {len(self.articles)} articles, {len(self.rejected)} rejected, "
            f"{len(self.warnings)} warnings"
        )


def curated_rows(
    metadata_csv: str | Path | None, names: list[str], folders: list[str], hidden: list[str]
) -> tuple[dict[str, dict], str, list[WarningRow]]:
    """The curated metadata row of each file (by name), how warnings name the metadata file, and
    the warnings about the metadata and the folder listing (rows for missing files, subfolders,
    hidden files). No metadata file: no rows."""
    warnings: list[WarningRow] = []
    if metadata_csv is not None:
        meta, meta_warnings = read_metadata(Path(metadata_csv))
        warnings += meta_warnings
        meta_label = paths.display(metadata_csv)
    else:
        meta, meta_label = empty_metadata(), ""
    warnings += listing_warnings(names, folders, hidden, meta, meta_label)
    return dict(zip(meta.index, meta.to_dict("records"), strict=True)), meta_label, warnings


def assemble(names: list[str], reads: list[PageRead], warnings: list[WarningRow]) -> Corpus:
    """The corpus tables from every file's ``read_page`` result (``reads``, aligned with
    ``names``, in name order) and the warnings found before reading (metadata, listing).
    Duplicates are found here, across the whole corpus, and rejected."""
    warnings = list(warnings)
    rejected = [
        {"file": name, "reason": r.rejection}
        for name, r in zip(names, reads, strict=True)
        if r.rejection is not None
    ]
    for r in reads:
        warnings += r.warnings
    read = [r for r in reads if r.article is not None]
    articles = pd.DataFrame([r.article for r in read], columns=ARTICLE_COLUMNS)
    duplicates = find_duplicates(
        articles["file"].tolist(), [r.fingerprint for r in read], articles["body"].tolist()
    )
    rejected += duplicate_rejections(duplicates)
    dropped = set(duplicates["file"])
    kept = [r for r in read if r.article["file"] not in dropped]
    articles = articles[~articles["file"].isin(dropped)].reset_index(drop=True)
    paragraphs = pd.DataFrame.from_records(
        [row for r in kept for row in r.paragraphs], columns=PARAGRAPH_COLUMNS
    )
    paragraphs[["start", "end"]] = paragraphs[["start", "end"]].astype("Int64")
    removed = pd.DataFrame.from_records(
        [row for r in kept for row in r.removed], columns=REMOVED_COLUMNS
    )
    rejected_table = (
        pd.DataFrame(rejected, columns=["file", "reason"])
        .sort_values("file", kind="stable")
        .reset_index(drop=True)
    )
    warnings_table = pd.DataFrame(warnings, columns=["file", "line", "message"]).astype(
        {"line": "Int64"}
    )
    return Corpus(articles, paragraphs, removed, rejected_table, warnings_table, len(names))
