"""Engine tasks hand back columns (``chunks.Chunk``), and the parent only concatenates them: the
tables do not depend on how the pages were cut into chunks, duplicates are still found across
chunks, and a chunk holds no Python object per page, sentence or term.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from wording import features, page, paths, pipeline, reuse
from wording.chunks import process_chunk
from wording.engine import Engine
from wording.lexicon import compile_lexicon, load_lexicon
from wording.sentence_pool import SentencePool

SEEDS = paths.corpus_dir()
EXAMPLES = paths.project_root() / "examples" / "other_outlets"


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> Path:
    """Seeds and examples in one folder, with a copy of a seed filed after other pages (so a
    duplicate and its original fall in different chunks) and a file that is not a page."""
    folder = tmp_path_factory.mktemp("mixed")
    for source in (SEEDS, EXAMPLES):
        for p in source.iterdir():
            if p.suffix == ".txt":
                (folder / p.name).write_bytes(p.read_bytes())
    (folder / "zz_copy_of_seed.txt").write_bytes((SEEDS / "001_e9e6e489c14a83f0.txt").read_bytes())
    (folder / "notes.md").write_text("not a page\n")
    return folder


def _written(folder: Path, chunk_files: int, out: Path) -> dict[str, bytes]:
    build = pipeline.run(folder, None, engine=Engine("joblib", jobs=1), chunk_files=chunk_files)
    return {p.name: p.read_bytes() for p in build.tables.write(out)}


def test_chunk_size_never_changes_the_tables(mixed, tmp_path):
    whole = _written(mixed, 250, tmp_path / "whole")
    rejected = pd.read_csv(tmp_path / "whole" / "rejected.csv")
    # the planted duplicate and the non-page are rejected; the copy's rows are in no table
    assert "zz_copy_of_seed.txt" in set(rejected["file"]) and "notes.md" in set(rejected["file"])
    for name in ("paragraphs.csv", "term_mentions.csv", "shared_passages.csv"):
        assert b"zz_copy_of_seed.txt" not in whole[name]
    assert b"zz_copy_of_seed.txt" not in whole["articles.csv"]
    for size in (1, 2, 7):
        got = _written(mixed, size, tmp_path / f"by{size}")
        for name, content in whole.items():
            assert got[name] == content, f"chunks of {size}: {name} differs"


def test_a_chunk_holds_columns_not_an_object_per_page(mixed):
    lexicon = paths.lexicon_csv()
    context = page.Context(
        compile_lexicon(load_lexicon(lexicon)), features.default_matcher(lexicon), ""
    )
    names = sorted(p.name for p in mixed.iterdir())[:7]
    chunk = process_chunk([str(mixed / n) for n in names], names, {}, context)
    chunk = pickle.loads(pickle.dumps(chunk))  # what the build process receives
    n = len(chunk.articles)
    assert n >= 5 and n + len(chunk.rejected) == 7  # every page an article or a rejection
    assert chunk.minhashes.shape == (n, 128) and chunk.keys.dtype == np.uint64
    for table in (chunk.articles, chunk.paragraphs, chunk.mentions, chunk.warnings):
        assert isinstance(table, pd.DataFrame)
    assert chunk.counts.matrix.shape[0] == n and chunk.counts.matrix.dtype == np.int32
    # text is stored text (one buffer), not one Python string per term or sentence
    assert isinstance(chunk.counts.terms, pd.api.extensions.ExtensionArray)
    assert isinstance(chunk.sentences.text, pd.api.extensions.ExtensionArray)
    pool = chunk.sentences
    assert len(pool.files) == n and pool.n_sentences.sum() == len(pool.text) == len(pool.sizes)
    assert pool.sizes.sum() == len(pool.shingles)


def test_sentence_pool_round_trip_select_and_concat():
    """A pool gives back the articles it was made of; selecting and concatenating pools moves
    whole articles (sentences and shingle keys) and nothing else."""
    a = reuse.article_sentences("a.txt", [(1, "One two three four five. Six seven eight.")])
    b = reuse.article_sentences("b.txt", [(2, "Nine ten eleven twelve thirteen.")])
    c = reuse.article_sentences("c.txt", [])
    pool = SentencePool.concat(
        [SentencePool.from_articles([a, b]), SentencePool.from_articles([c])]
    )
    for got, want in zip(pool.articles(), [a, b, c], strict=True):
        assert got.file == want.file and got.text == want.text
        for name in (
            "paragraph",
            "sentence",
            "n_words",
            "fingerprint",
            "shingle_start",
            "shingles",
        ):
            assert np.array_equal(getattr(got, name), getattr(want, name)), name
    picked = pool.select(np.array([False, True, True]))
    assert picked.files.tolist() == ["b.txt", "c.txt"]
    assert picked.shingles.tolist() == b.shingles.tolist()
    backwards = pool.select(np.array([2, 1, 0])).in_file_order()
    assert backwards.files.tolist() == ["a.txt", "b.txt", "c.txt"]
    assert backwards.shingles.tolist() == pool.shingles.tolist()
    assert list(backwards.text) == list(pool.text)
