"""The corpus tables from every page's reading: articles, paragraphs, removed lines, rejections
and warnings (``assemble``), with the curated metadata each page is read against
(``curated_rows``). Every file ends in ``articles`` or ``rejected``; nothing is dropped without
being reported. ``wording.pipeline.run`` reads the pages (``wording.clean.read_page``) and calls
these; duplicates are found across the corpus here (``wording.duplicates``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from wording import paths
from wording.clean import PageRead, clean_page, cleaning_rules  # noqa: F401 (notebook 01 reads them here)
from wording.duplicates import duplicate_rejections, duplicates_of
from wording.pages import WarningRow, empty_metadata, listing_warnings, read_metadata

if TYPE_CHECKING:
    from wording.chunks import Chunk

ARTICLE_COLUMNS = [
    "file", "outlet", "date", "headline", "standfirst", "dateline", "byline", "body", "removed",
    "date_basis", "outlet_basis", "n_words", "n_paragraphs", "n_removed", "sha256", "url",
    "encoding", "date_earliest", "date_latest", "n_sentences",
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


def assemble(
    chunks: list[Chunk], warnings: list[WarningRow], n_files: int
) -> tuple[Corpus, set[str]]:
    """The corpus tables of ``n_files`` inputs from their reading (``chunks``, in name order)
    and the warnings found before reading (metadata, listing), with the files dropped as
    duplicates. Duplicates are found here, across the whole corpus, and rejected; their rows
    are in no table but the warnings. The tables' pieces are taken out of ``chunks``
    (``chunks.take``); their mentions, counts and sentences stay there."""
    from wording.chunks import REJECTED_COLUMNS, concat_frames, take, warnings_table

    found = take(chunks, ["articles", "keys", "minhashes", "rejected", "warnings"])
    read = found["articles"]
    duplicates = duplicates_of(
        read["file"].tolist(), found["keys"], found["minhashes"], read["body"].array
    )
    dropped = set(duplicates["file"])
    if dropped:  # else no copy: most corpora hold no duplicate
        read = read[~read["file"].isin(dropped)]
    del found["articles"]
    rest = take(chunks, ["paragraphs", "removed_lines"], dropped)
    duplicate_rows = pd.DataFrame(duplicate_rejections(duplicates), columns=REJECTED_COLUMNS)
    rejected = concat_frames([found["rejected"], duplicate_rows])
    corpus = Corpus(
        articles=read.reset_index(drop=True),
        paragraphs=rest["paragraphs"],
        removed_lines=rest["removed_lines"],
        rejected=rejected.sort_values("file", kind="stable").reset_index(drop=True),
        warnings=concat_frames([warnings_table(warnings), found["warnings"]]),
        n_files=n_files,
    )
    return corpus, dropped
