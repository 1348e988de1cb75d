"""The corpus: read a folder of copied web pages, clean each one, drop duplicates, and tabulate.

Every file ends in ``articles`` or ``rejected``; nothing is dropped without being reported. The
work is done by ``wording.pages`` (the folder, bytes and metadata), ``wording.clean``
(``read_page``: one file's bytes to an article) and ``wording.duplicates``; this module reads the
files and builds the tables. The names other modules import from here are re-exported below.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from wording import paths
from wording.clean import (
    CONTEXT_RULES,
    GENERIC_RULES,
    Page,
    PageRead,
    clean_page,
    cleaning_rules,
    match_dateline,
    parse_date,
    read_page,
    rule_names,
)
from wording.duplicates import (
    NEAR_DUPLICATE_JACCARD,
    duplicate_rejections,
    find_duplicates,
    fingerprint,
)
from wording.outlets import PROFILES, UNKNOWN, OutletProfile, infer_outlet, profile_for
from wording.pages import (
    METADATA_COLUMNS,
    CorpusError,
    WarningRow,
    checksums,
    decode_page,
    empty_metadata,
    is_page_name,
    list_pages,
    listing_warnings,
    read_metadata,
    scan_folder,
)

__all__ = [  # what other modules import from here, from where it now lives
    "ARTICLE_COLUMNS", "CONTEXT_RULES", "GENERIC_RULES", "METADATA_COLUMNS",
    "NEAR_DUPLICATE_JACCARD", "PARAGRAPH_COLUMNS", "PROFILES", "REMOVED_COLUMNS", "UNKNOWN",
    "Corpus", "CorpusError", "assemble", "curated_rows",
    "OutletProfile", "Page", "PageRead", "WarningRow", "checksums", "clean_page", "cleaning_rules",
    "decode_page", "duplicate_rejections", "empty_metadata", "find_duplicates", "fingerprint",
    "infer_outlet", "is_page_name", "list_pages", "listing_warnings", "load_corpus",
    "match_dateline", "parse_date", "profile_for", "read_metadata", "read_page", "rule_names",
    "scan_folder",
]  # fmt: skip

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


def load_corpus(corpus_dir: str | Path, metadata_csv: str | Path | None = None) -> Corpus:
    """Read every file in ``corpus_dir``, clean each page and build the corpus tables.

    Metadata is optional per file: curated values win; missing ones are inferred from the page and
    their basis recorded. Never writes to ``corpus_dir``.
    """
    corpus_dir = Path(corpus_dir)
    names, folders, hidden = scan_folder(corpus_dir)
    rows, meta_label, warnings = curated_rows(metadata_csv, names, folders, hidden)

    reads = [
        read_page(_page_bytes(corpus_dir / name), name, rows.get(name), meta_label)
        for name in names
    ]
    return assemble(names, reads, warnings)


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


def _page_bytes(path: Path) -> bytes:
    """The file's bytes; none for a file that is not a page (it is rejected unread)."""
    return path.read_bytes() if is_page_name(path.name) else b""
