"""The build: pages in, a typed bundle of tables out (``Tables``), written to and read back from a
folder of tidy CSVs (``Tables.write``, ``load``). Notebooks read what the build wrote with ``load``;
they never run the pipeline from the pages.
"""

from __future__ import annotations

import dataclasses
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from wording.engine import Engine, map_ordered

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
    counterparts: pd.DataFrame = field(default_factory=pd.DataFrame)

    @classmethod
    def names(cls) -> list[str]:
        """The tables' names, in build order (``articles``, ``paragraphs``, ...)."""
        return [f.name for f in dataclasses.fields(cls)]

    def items(self) -> list[tuple[str, pd.DataFrame]]:
        return [(name, getattr(self, name)) for name in self.names()]

    def write(self, out: str | os.PathLike, threads: int = 2) -> list[Path]:
        """Write each table to ``out/NAME.csv`` (UTF-8, LF line ends, floats to 6 significant
        digits): identical tables give identical bytes. ``threads`` tables are written at once
        (joblib's threading backend: pandas' CSV writer lets go of the lock for part of its
        work; the tables are shared, not copied)."""
        from joblib import Parallel, delayed

        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        tasks = [(table, out / f"{name}.csv") for name, table in self.items()]
        largest_first = sorted(tasks, key=lambda task: -task[0].size)
        Parallel(n_jobs=threads, backend="threading")(
            delayed(write_table)(*task) for task in largest_first
        )
        return [path for _, path in tasks]


def write_table(table: pd.DataFrame, path: str | os.PathLike) -> Path:
    """One table as CSV, the way every derived table is written (pandas ``to_csv``; float
    columns formatted with ``FLOAT_FORMAT`` beforehand, which is what ``to_csv`` would write,
    only faster)."""
    path = Path(path)
    _floats_as_text(table).to_csv(
        path, index=False, lineterminator="\n", encoding="utf-8", float_format=FLOAT_FORMAT
    )
    return path


def _floats_as_text(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with every float64 column as text: ``FLOAT_FORMAT`` of each value, "" for NaN
    (pandas' ``na_rep``), exactly as ``to_csv(float_format=FLOAT_FORMAT)`` renders it."""
    floats = [c for c, dtype in table.dtypes.items() if dtype == np.float64]
    if not floats or table.columns.has_duplicates:
        return table
    table = table.copy(deep=False)
    for column in floats:
        values = table[column].to_numpy()
        text = np.array([FLOAT_FORMAT % x for x in values.tolist()], dtype=object)
        text[np.isnan(values)] = ""
        table[column] = text
    return table


def _text_columns() -> dict[str, list[str]]:
    """The columns ``load`` reads back as text whatever they hold (an empty cell is "", never
    NaN), so that a table read by ``load`` compares equal to the one the build wrote: each
    table's columns as the module that makes it declares them, less its numbers."""
    from wording.corpus import ARTICLE_COLUMNS, PARAGRAPH_COLUMNS, REMOVED_COLUMNS
    from wording.counterparts import TEXT_COLUMNS as COUNTERPART_TEXT
    from wording.mentions import MENTION_DTYPES
    from wording.sources import SOURCE_COLUMNS

    numbers = {
        "n_words", "n_paragraphs", "n_removed", "n_sentences", "paragraph", "start", "end", "line",
    }  # fmt: skip
    made = {
        "articles": ARTICLE_COLUMNS,
        "paragraphs": PARAGRAPH_COLUMNS,
        "removed_lines": REMOVED_COLUMNS,
        "rejected": ["file", "reason"],
        "warnings": ["file", "message"],
        "term_mentions": [c for c, dtype in MENTION_DTYPES.items() if dtype == "str"],
        "counterparts": COUNTERPART_TEXT,
    }
    return {
        name: [c for c in columns if c not in numbers] + SOURCE_COLUMNS.get(name, [])
        for name, columns in made.items()
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
    return Tables(**{name: read_table(derived / f"{name}.csv", name) for name in Tables.names()})


def read_table(path: str | os.PathLike, name: str) -> pd.DataFrame:
    """One table a build wrote (``name``: its stem) as ``load`` returns it: the table's text
    columns as text ("" never NaN), every other column as pandas ``read_csv`` reads it (with
    "" the only missing value); an empty DataFrame when the file does not exist."""
    path = Path(path)
    if not path.exists():
        return pd.DataFrame()
    text = _text_columns().get(name, [])
    table = _read_csv(path, text)
    for column in text:
        if column in table:
            table[column] = table[column].fillna("")
    for column in _INT_COLUMNS.get(name, []):
        if column in table:
            table[column] = table[column].astype("Int64")
    return table


_AS_PANDAS = {"int64", "double", "bool", "string", "large_string"}  # pyarrow types pandas agrees on


def _read_csv(path: Path, text: list[str]) -> pd.DataFrame:
    """pandas ``read_csv(path, dtype={text: str}, keep_default_na=False, na_values=[""])``,
    parsed by pyarrow's multi-threaded CSV reader (several times faster on a large table; values
    may span lines). pyarrow reads a column as pandas would when it infers integers, floats,
    text, booleans without gaps, or nothing but empty cells (NaN); a table with any other column
    (a date, a boolean with gaps), or no rows, is read by pandas itself, so the two readers
    never disagree."""
    import pyarrow as pa
    from pyarrow import csv

    def by_pandas() -> pd.DataFrame:
        return pd.read_csv(
            path, dtype={c: str for c in text}, keep_default_na=False, na_values=[""]
        )

    try:
        arrow = csv.read_csv(
            path,
            parse_options=csv.ParseOptions(newlines_in_values=True),
            convert_options=csv.ConvertOptions(
                column_types={c: pa.string() for c in text},
                null_values=[""],
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return by_pandas()
    if arrow.num_rows == 0 or len(set(arrow.column_names)) < arrow.num_columns:
        return by_pandas()
    columns = {}
    for name, column in zip(arrow.column_names, arrow.columns, strict=True):
        if pa.types.is_null(column.type):  # nothing but empty cells: NaN, as pandas reads them
            column = column.cast(pa.float64())
        elif str(column.type) not in _AS_PANDAS or (
            pa.types.is_boolean(column.type) and column.null_count
        ):
            return by_pandas()
        columns[name] = column
    return pa.table(columns).to_pandas()


CHUNK_FILES = 250  # pages per engine task: large enough to amortise a task, small enough to balance


@dataclass
class Build:
    """A build's tables, with its accounting and the seconds each stage took."""

    tables: Tables
    n_files: int
    timings: dict[str, float]

    def accounting(self) -> str:
        """The one-line account ("N inputs: A articles, R rejected, W warnings"): every input
        (a page file, or a row of a CSV, JSON Lines, Parquet or WARC file) is an article or a
        rejection."""
        t = self.tables
        return (
            f"{self.n_files} inputs: {len(t.articles)} articles, {len(t.rejected)} rejected, "
            f"{len(t.warnings)} warnings"
        )


def run(
    corpus_dir: str | os.PathLike,
    metadata: str | os.PathLike | None = None,
    lexicon: str | os.PathLike | None = None,
    engine: Engine | None = None,
    chunk_files: int = CHUNK_FILES,
) -> Build:
    """Every stage on a folder of pages: one pass per page (``page.process_page``, mapped by
    ``engine`` over chunks of ``chunk_files`` pages, each handed back as columns by
    ``chunks.process_chunk``), then the corpus-level stages (duplicates, mentions and counts,
    TF-IDF, keyness, similarity, text reuse) on the concatenated chunks.

    Raises ``CorpusError`` (no such folder, unreadable metadata) and ``LexiconError`` before
    any page is read. The tables do not depend on the engine or the chunk size.
    """
    from wording import compare, counterparts, features, mentions, paths, reuse, sources
    from wording.chunks import gather, process_chunk, take
    from wording.corpus import assemble, curated_rows
    from wording.inputs import expand
    from wording.lexicon import compile_lexicon, load_lexicon
    from wording.page import Context
    from wording.pages import scan_folder

    timings: dict[str, float] = {}
    start = time.perf_counter()
    corpus_dir = Path(corpus_dir)
    lexicon_path = Path(lexicon) if lexicon is not None else paths.lexicon_csv()
    lexicon_table = load_lexicon(lexicon_path)
    names, folders, hidden = scan_folder(corpus_dir)
    names, entries = expand(corpus_dir, names)  # a table's rows, an archive's pages: items
    rows, meta_label, warnings = curated_rows(metadata, names, folders, hidden)
    context = Context(
        compile_lexicon(lexicon_table), features.default_matcher(lexicon_path), meta_label
    )
    tasks = []
    for i in range(0, len(names), max(1, chunk_files)):
        chunk = names[i : i + chunk_files]
        chunk_rows = {n: rows[n] for n in chunk if n in rows}
        tasks.append((entries[i : i + chunk_files], chunk, chunk_rows, context))
    engine = engine or Engine()
    # Each task hands back its pages as columns (a Chunk), concatenated here: no object per page.
    chunks = gather(map_ordered(process_chunk, tasks, engine))
    corpus, dropped = assemble(chunks, warnings, len(names))
    tables = Tables(
        corpus.articles, corpus.paragraphs, corpus.removed_lines, corpus.rejected, corpus.warnings
    )
    if corpus.articles.empty:  # nothing to analyse: the accounting tables say why
        timings["pages"] = time.perf_counter() - start
        return Build(tables, len(names), timings)
    pages = take(chunks, ["mentions", "counts", "sentences"], dropped)  # of the articles kept
    del chunks
    timings["pages"] = time.perf_counter() - start

    t = time.perf_counter()
    tables.term_mentions = mentions.mentions_table(pages.pop("mentions"))
    sources.add_wording_sources(tables)  # whose wording: articles, paragraphs, mentions
    tables.term_counts = mentions.count_terms(tables.term_mentions, corpus.articles, lexicon_table)
    timings["terms"] = time.perf_counter() - t

    t = time.perf_counter()
    compared = compare.tables_from_counts(corpus.articles, pages.pop("counts"))
    for name, table in compared.items():
        setattr(tables, name.removesuffix(".csv"), table)
    timings["compare"] = time.perf_counter() - t

    sentences = pages.pop("sentences")
    t = time.perf_counter()
    tables.shared_passages = reuse.shared_passages(
        sentences, corpus.articles, engine=_local(engine)
    )
    timings["reuse"] = time.perf_counter() - t

    t = time.perf_counter()
    tables.counterparts = counterparts.counterparts_table(
        sentences.articles(), corpus.articles, tables.term_mentions, lexicon_table
    )
    timings["counterparts"] = time.perf_counter() - t
    return Build(tables, len(names), timings)


def _local(engine: Engine) -> Engine:
    """The engine for a second, small map: a Dask engine without a scheduler would start a
    second local cluster, so that map runs on local joblib workers instead."""
    if engine.name == "dask" and not engine.scheduler:
        return Engine("joblib", jobs=engine.jobs)
    return engine


def build(
    corpus_dir: str | os.PathLike,
    metadata: str | os.PathLike | None = None,
    lexicon: str | os.PathLike | None = None,
    engine: Engine | None = None,
) -> Tables:
    """Every stage on a folder of pages; the tables (nothing is written). See ``run``."""
    return run(corpus_dir, metadata, lexicon, engine).tables
