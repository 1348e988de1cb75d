"""``report.tables_for``: the tables a notebook reads, built once per set of inputs."""

from __future__ import annotations

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
    folders = [p for p in cache.iterdir()]
    assert len(folders) == 1 and folders[0].name == report.inputs_key(
        OTHER, None, paths.lexicon_csv()
    )
    written = {p.name: p.stat().st_mtime_ns for p in folders[0].iterdir()}
    again = report.tables_for(corpus_dir=OTHER, derived_dir=cache)
    assert counted_builds == [str(OTHER)], "the second call rebuilt the tables"
    assert {p.name: p.stat().st_mtime_ns for p in folders[0].iterdir()} == written
    assert sorted(p.name for p in cache.iterdir()) == [folders[0].name]  # no scratch left
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
