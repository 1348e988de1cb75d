"""The engine never changes the tables: the same bytes on one process, on two local workers, and
on a Dask cluster (a ``distributed.LocalCluster`` with two workers standing in for a real one).

Pages are split into chunks of one or two files, so that every engine really hands several
tasks to several workers, and results come back in a different order than they were started.
"""

from __future__ import annotations

from pathlib import Path

import distributed
import pytest

from wording import paths, pipeline
from wording.engine import Engine

EXAMPLES = paths.project_root() / "examples" / "other_outlets"
CORPORA = {"seeds": (paths.corpus_dir(), paths.metadata_csv()), "examples": (EXAMPLES, None)}


def _written(tables: pipeline.Tables, out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in tables.write(out)}


def _build(corpus: str, engine: Engine, chunk_files: int) -> pipeline.Tables:
    corpus_dir, metadata = CORPORA[corpus]
    return pipeline.run(corpus_dir, metadata, engine=engine, chunk_files=chunk_files).tables


@pytest.fixture(scope="module")
def local(tmp_path_factory) -> dict[str, dict[str, bytes]]:
    """Each corpus built in this process, written once: the reference bytes."""
    return {
        corpus: _written(
            _build(corpus, Engine("joblib", jobs=1), 250), tmp_path_factory.mktemp(corpus)
        )
        for corpus in CORPORA
    }


def _assert_same(expected: dict[str, bytes], got: dict[str, bytes], label: str) -> None:
    assert sorted(got) == sorted(expected), label
    for name, content in expected.items():
        assert got[name] == content, f"{label}: {name} differs from the one-process build"


@pytest.mark.parametrize("corpus", sorted(CORPORA))
def test_two_local_workers_give_the_same_tables(corpus, local, tmp_path):
    tables = _build(corpus, Engine("joblib", jobs=2), chunk_files=1)
    _assert_same(local[corpus], _written(tables, tmp_path), f"{corpus}, joblib jobs=2")


def test_dask_local_cluster_gives_the_same_tables(local, tmp_path):
    """``--engine dask --scheduler ADDRESS``: the tables of a two-worker cluster equal the local
    build's, byte for byte, on the seeds and on examples/ (one cluster for both)."""
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        engine = Engine("dask", scheduler=cluster.scheduler_address)
        for corpus in sorted(CORPORA):
            tables = _build(corpus, engine, chunk_files=2)
            _assert_same(local[corpus], _written(tables, tmp_path / corpus), f"{corpus}, dask")


def test_scheduler_address_needs_the_dask_engine():
    with pytest.raises(ValueError, match="dask"):
        Engine("joblib", scheduler="tcp://127.0.0.1:8786")
    with pytest.raises(ValueError, match="engine must be one of"):
        Engine("spark")
