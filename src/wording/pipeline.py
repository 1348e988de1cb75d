"""The build: pages in, a typed bundle of tables out (``Tables``), written to and read back from a
folder of tidy CSVs (``Tables.write``, ``load``). Notebooks read what the build wrote with ``load``;
they never run the pipeline from the pages.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

FLOAT_FORMAT = "%.6g"  # six significant digits: every derived number, the same in every table


@dataclass
class Tables:
    """Every table the build writes, one field per table; the field's name is the file's stem."""

    articles: pd.DataFrame
    paragraphs: pd.DataFrame
    removed_lines: pd.DataFrame
    rejected: pd.DataFrame
    warnings: pd.DataFrame
    term_mentions: pd.DataFrame = field(default_factory=pd.DataFrame)
    term_counts: pd.DataFrame = field(default_factory=pd.DataFrame)
    tfidf_articles: pd.DataFrame = field(default_factory=pd.DataFrame)
    tfidf_terms: pd.DataFrame = field(default_factory=pd.DataFrame)
    keyness: pd.DataFrame = field(default_factory=pd.DataFrame)
    similarity: pd.DataFrame = field(default_factory=pd.DataFrame)
    similarity_outlets: pd.DataFrame = field(default_factory=pd.DataFrame)
    shared_passages: pd.DataFrame = field(default_factory=pd.DataFrame)

    @classmethod
    def names(cls) -> list[str]:
        """The tables' names, in build order (``articles``, ``paragraphs``, ...)."""
        return [f.name for f in dataclasses.fields(cls)]

    def items(self) -> list[tuple[str, pd.DataFrame]]:
        return [(name, getattr(self, name)) for name in self.names()]

    def write(self, out: str | os.PathLike) -> list[Path]:
        """Write each table to ``out/NAME.csv`` (UTF-8, LF line ends, floats to 6 significant
        digits): identical tables give identical bytes."""
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        return [write_table(table, out / f"{name}.csv") for name, table in self.items()]


def write_table(table: pd.DataFrame, path: str | os.PathLike) -> Path:
    """One table as CSV, the way every derived table is written."""
    path = Path(path)
    table.to_csv(
        path, index=False, lineterminator="\n", encoding="utf-8", float_format=FLOAT_FORMAT
    )
    return path


# Columns read back as text whatever they hold (an empty cell is "", never NaN), so that a table
# read by ``load`` compares equal to the one the build wrote.
_TEXT_COLUMNS = {
    "articles": [
        "file",
        "outlet",
        "date",
        "headline",
        "standfirst",
        "dateline",
        "byline",
        "body",
        "removed",
        "date_basis",
        "outlet_basis",
        "sha256",
        "url",
        "encoding",
        "date_earliest",
        "date_latest",
    ],  # fmt: skip
    "paragraphs": ["file", "kind", "text"],
    "removed_lines": ["file", "text", "rule"],
    "rejected": ["file", "reason"],
    "warnings": ["file", "message"],
    "term_mentions": [
        "file",
        "outlet",
        "term_id",
        "side",
        "category",
        "matched",
        "voice",
        "quote_kind",
        "speaker",
        "kwic_left",
        "kwic_right",
        "kwic",
    ],  # fmt: skip
}
_INT_COLUMNS = {
    "paragraphs": ["start", "end"],
    "warnings": ["line"],
}


def load(derived: str | os.PathLike) -> Tables:
    """The tables a build wrote to ``derived`` (the same bundle the build returned).

    A table the folder lacks (an older build) is an empty DataFrame.
    """
    derived = Path(derived)
    if not derived.is_dir():
        raise FileNotFoundError(f"{derived}: no derived tables here; run `python -m wording build`")
    tables = {}
    for name in Tables.names():
        path = derived / f"{name}.csv"
        if not path.exists():
            tables[name] = pd.DataFrame()
            continue
        text = {c: str for c in _TEXT_COLUMNS.get(name, [])}
        table = pd.read_csv(path, dtype=text, keep_default_na=False, na_values=[""])
        for column in text:
            if column in table:
                table[column] = table[column].fillna("")
        for column in _INT_COLUMNS.get(name, []):
            if column in table:
                table[column] = table[column].astype("Int64")
        tables[name] = table
    return Tables(**tables)


def build(
    corpus_dir: str | os.PathLike,
    metadata: str | os.PathLike | None = None,
    lexicon: str | os.PathLike | None = None,
) -> Tables:
    """Run every stage on a folder of pages and return the tables (nothing is written)."""
    from wording import cli, paths

    tables, _timings, _corpus = cli.build_tables(
        Path(corpus_dir),
        Path(metadata) if metadata is not None else None,
        Path(lexicon) if lexicon is not None else paths.lexicon_csv(),
    )
    return Tables(**{name.removesuffix(".csv"): table for name, table in tables.items()})
