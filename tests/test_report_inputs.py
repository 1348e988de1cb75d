"""``report.tables_for``: the tables a notebook reads, built once per set of inputs."""

from __future__ import annotations

import os
import shutil

import pandas as pd
import pytest

from wording import paths, pipeline, report

OTHER = paths.project_root() / "examples" / "other_outlets"


def assert_same_tables(a: pipeline.Tables, b: pipeline.Tables) -> None:
    for name, table in a.items():
        pd.testing.assert_frame_equal(table, getattr(b, name), obj=name)


@pytest.fixture
def counted_builds(monkeypatch) -> list[str]:
    """Every ``pipeline.build`` call's corpus folder, in order (the build itself still runs)."""
    calls: list[str] = []
    build = pipeline.build

    def counting(corpus_dir, *args, **kwargs):
        calls.append(str(corpus_dir))
        return build(corpus_dir, *args, **kwargs)

    monkeypatch.setattr(pipeline, "build", counting)
    return calls


def test_tables_for_another_corpus_builds_once(tmp_path, counted_builds):
    cache = tmp_path / "cache"
    first = report.tables_for(corpus_dir=OTHER, derived_dir=cache)
    folders = [p for p in cache.iterdir() if p.name != ".pages"]  # .pages: checksums kept
    assert len(folders) == 1 and folders[0].name == report.inputs_key(
        OTHER, None, paths.lexicon_csv()
    )
    written = {p.name: p.stat().st_mtime_ns for p in folders[0].iterdir()}
    again = report.tables_for(corpus_dir=OTHER, derived_dir=cache)
    assert counted_builds == [str(OTHER)], "the second call rebuilt the tables"
    assert {p.name: p.stat().st_mtime_ns for p in folders[0].iterdir()} == written
    assert sorted(p.name for p in cache.iterdir()) == [".pages", folders[0].name]  # no scratch
    assert_same_tables(first, again)
    # The same tables as the command line's build of the folder (examples/other_outlets README)
    assert sorted(first.articles["file"]) == [
        "japantimes_2022-03-22.txt",
        "kyodo_2022-03-03.txt",
        "nhk_2022-03-22.txt",
        "rt_2022-03-21.txt",
    ]
    assert len(first.rejected) == 4


def test_tables_for_the_study_reads_data_derived(counted_builds):
    assert_same_tables(report.tables_for(), pipeline.load(paths.derived_dir()))
    assert counted_builds == []


def test_inputs_key_changes_with_every_input(tmp_path):
    corpus = tmp_path / "pages"
    shutil.copytree(OTHER, corpus)
    lexicon = paths.lexicon_csv()
    key = report.inputs_key(corpus, None, lexicon)
    assert report.inputs_key(corpus, None, lexicon) == key  # a checksum, not a timestamp
    assert report.inputs_key(OTHER, None, lexicon) == key  # same names and bytes elsewhere
    page = corpus / "rt_2022-03-21.txt"
    text = page.read_bytes()
    page.write_bytes(text.replace(b"Kuril", b"Kurii", 1))
    edited = report.inputs_key(corpus, None, lexicon)
    assert edited != key, "an edited page must give a new key"
    page.write_bytes(text)
    assert report.inputs_key(corpus, None, lexicon) == key
    page.rename(corpus / "rt_renamed.txt")
    assert report.inputs_key(corpus, None, lexicon) != key, "a renamed page must give a new key"
    page = (corpus / "rt_renamed.txt").rename(corpus / "rt_2022-03-21.txt")
    assert report.inputs_key(corpus, paths.metadata_csv(), lexicon) != key
    other_lexicon = tmp_path / "lexicon.csv"
    other_lexicon.write_bytes(lexicon.read_bytes() + b"\n")
    assert report.inputs_key(corpus, None, other_lexicon) != key


def test_load_returns_the_tables_the_build_returned(tmp_path):
    """The seeds' tables read back from their CSVs equal the build's (floats to the 6 significant
    digits the CSVs keep). Dtypes are not compared: an empty text column comes back as ``str``
    rather than ``object``, and keyness's alpha0 (10.0, written "10") as an integer."""
    built = pipeline.build(paths.corpus_dir(), paths.metadata_csv(), paths.lexicon_csv())
    built.write(tmp_path)
    loaded = pipeline.load(tmp_path)
    for name, table in built.items():
        pd.testing.assert_frame_equal(
            getattr(loaded, name), table, check_dtype=False, rtol=5e-6, obj=name
        )


def test_sample_articles_keeps_small_corpora_whole_and_samples_large_ones_per_outlet():
    small = pd.DataFrame({"file": ["a", "b", "c"], "outlet": ["X", "Y", "X"]})
    assert report.sample_articles(small, n=3) is small
    large = pd.DataFrame(
        {"file": [f"{k:05d}" for k in range(10_000)], "outlet": ["X"] * 8000 + ["Y"] * 2000}
    )
    picked = report.sample_articles(large, n=1000)
    assert picked["outlet"].value_counts().to_dict() == {"X": 800, "Y": 200}
    assert picked.index.is_monotonic_increasing  # the table's order
    assert picked.equals(report.sample_articles(large, n=1000))  # the same sample every run


def test_pages_checksum_is_remembered_by_stat_and_forgotten_on_any_write(tmp_path, monkeypatch):
    from wording.report import inputs as report_inputs

    monkeypatch.setattr(report_inputs, "_SETTLED_NS", 0)  # remember pages written just now
    corpus, memo = tmp_path / "pages", tmp_path / "memo"
    shutil.copytree(OTHER, corpus)
    first = report_inputs.pages_checksum(corpus, memo)
    assert first == report_inputs.pages_checksum(corpus)  # what is kept is the real checksum
    assert [p.name.startswith("pages-") for p in memo.iterdir()] == [True]
    read = []
    real_hash = report_inputs._hash_file
    monkeypatch.setattr(report_inputs, "_hash_file", lambda digest, path: read.append(path))
    assert report_inputs.pages_checksum(corpus, memo) == first
    assert read == [], "unchanged pages must not be read again"
    monkeypatch.setattr(report_inputs, "_hash_file", real_hash)
    page = corpus / "rt_2022-03-21.txt"
    before = page.stat()
    page.write_bytes(page.read_bytes().replace(b"Kuril", b"Kurii", 1))  # same size
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))  # even with its old mtime
    assert report_inputs.pages_checksum(corpus, memo) != first
    assert report_inputs.pages_checksum(corpus, memo) == report_inputs.pages_checksum(corpus)


def _pandas_reference(path, name):
    """What ``pipeline.read_table`` promises: pandas' own reader with the table's text columns."""
    text = pipeline._text_columns().get(name, [])
    table = pd.read_csv(path, dtype={c: str for c in text}, keep_default_na=False, na_values=[""])
    for column in set(text) & set(table.columns):
        table[column] = table[column].fillna("")
    for column in set(pipeline._INT_COLUMNS.get(name, [])) & set(table.columns):
        table[column] = table[column].astype("Int64")
    return table


@pytest.mark.parametrize(
    "extra",
    [
        {},  # every column pyarrow reads itself
        {"when": ["2022-03-21", "2022-03-22", ""]},  # a date: pandas reads the table
        {"flag": [True, None, False]},  # a boolean with a gap: pandas reads the table
    ],
)
def test_read_table_reads_what_pandas_reads(tmp_path, extra):
    """Text over several lines, commas and quotes, empty text and empty numbers, a column of
    nothing but empty cells, integers, floats, booleans: the fast reader's values and dtypes are
    pandas' (``_pandas_reference``), exactly."""
    table = pd.DataFrame(
        {
            "file": ["a.txt", "b.txt", "c.txt"],
            "outlet": ["TASS", "", "Sputnik"],
            "body": ['He said "no",\nthen left.', "", "one\r\ntwo, three"],
            "n_words": [4, 0, 3],
            "score": [0.125, float("nan"), 1 / 3],
            "gap": [float("nan")] * 3,
            "stop_word": [True, False, True],
            "dateline": ["TOKYO", "", "2022"],
        }
        | extra
    )
    path = pipeline.write_table(table, tmp_path / "articles.csv")
    read = pipeline.read_table(path, "articles")
    pd.testing.assert_frame_equal(read, _pandas_reference(path, "articles"), check_exact=True)
    assert read.loc[1, "outlet"] == "" and read.loc[0, "body"] == 'He said "no",\nthen left.'
    assert read["n_words"].tolist() == [4, 0, 3] and read["gap"].isna().all()


def test_read_table_equals_pandas_on_every_table_of_the_study():
    for name in pipeline.Tables.names():
        path = paths.derived_dir() / f"{name}.csv"
        read = pipeline.read_table(path, name)
        pd.testing.assert_frame_equal(
            read, _pandas_reference(path, name), check_exact=True, obj=name
        )
