"""The tables a notebook reads: the study's own build, or a build of another corpus made once.

Notebooks never run the pipeline cell by cell. ``tables_for`` hands them the bundle the build
wrote: for the study's own inputs, ``data/derived/``; for any other corpus folder, metadata or
lexicon, a build kept in a cache folder named by a checksum of those inputs, made on the first
call and read back on every later one, so rerunning a cell never rebuilds.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from pathlib import Path

import pandas as pd

from wording import __version__, paths, pipeline

_READ_BLOCK = 1 << 20  # bytes hashed at a time: a large page never sits in memory whole


def _package_files() -> list[Path]:
    """The package's Python sources, in a fixed order."""
    root = Path(__file__).resolve().parents[1]
    return sorted(root.rglob("*.py"), key=lambda p: p.relative_to(root).as_posix())


def _hash_file(digest, path: Path) -> None:
    with open(path, "rb") as handle:
        while block := handle.read(_READ_BLOCK):
            digest.update(block)


def inputs_key(
    corpus_dir: str | os.PathLike,
    metadata: str | os.PathLike | None,
    lexicon: str | os.PathLike,
    memo: str | os.PathLike | None = None,
) -> str:
    """A hex checksum (16 characters) of everything a build's tables depend on.

    It covers the name and bytes of every file directly in ``corpus_dir`` (the files the build
    reads, hidden ones included: a rename or an edit changes the key), the metadata file (or its
    absence), the lexicon file, the package version, and the package's own source files (an
    edited checkout with an unchanged version number must not read an older build's tables).
    With ``memo`` (a folder), the pages' checksum is remembered there under their ``os.stat``
    signature (see ``pages_checksum``), so a second call on unchanged pages reads no page.
    """
    digest = hashlib.sha256()
    digest.update(f"wording {__version__}\0".encode())
    root = Path(__file__).resolve().parents[1]
    for path in _package_files():
        digest.update(f"src {path.relative_to(root).as_posix()}\0".encode())
        _hash_file(digest, path)
    digest.update(f"pages {pages_checksum(corpus_dir, memo)}\0".encode())
    for label, path in (("metadata", metadata), ("lexicon", lexicon)):
        digest.update(f"{label}\0".encode())
        if path is not None:
            _hash_file(digest, Path(path))
    return digest.hexdigest()[:16]


_SETTLED_NS = 2_000_000_000  # a file changed this recently may change again within its timestamp


def pages_checksum(corpus_dir: str | os.PathLike, memo: str | os.PathLike | None = None) -> str:
    """SHA-256 of the name and bytes of every file directly in ``corpus_dir`` (sorted by name).

    With ``memo``, the checksum is kept in ``memo/pages-SIGNATURE``, where the signature hashes
    each file's name, size, inode, and modification and status-change times in nanoseconds (as
    git's index does): any write to a page changes its status-change time, which no tool can set
    back, so unchanged stat fields mean unchanged bytes. Reading 100,000 pages' bytes takes
    seconds; their stat fields, a fraction of one. Nothing is remembered while a file is younger
    than two seconds (its next write could fall within the same timestamp).
    """
    with os.scandir(corpus_dir) as entries:
        files = sorted((e.name, e) for e in entries if e.is_file())
    signature, newest = hashlib.sha256(), 0
    for name, entry in files:
        st = entry.stat()
        newest = max(newest, st.st_mtime_ns, st.st_ctime_ns)
        signature.update(
            f"{name}\0{st.st_size}\0{st.st_ino}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\n".encode(
                "utf-8", "surrogateescape"
            )
        )
    remembered = Path(memo) / f"pages-{signature.hexdigest()[:32]}" if memo else None
    if remembered is not None and remembered.is_file():
        return remembered.read_text(encoding="ascii").strip()
    digest = hashlib.sha256()
    for name, _ in files:
        digest.update(f"page {name}\0".encode("utf-8", "surrogateescape"))
        _hash_file(digest, Path(corpus_dir) / name)
    checksum = digest.hexdigest()
    if remembered is not None and time.time_ns() - newest > _SETTLED_NS:
        remembered.parent.mkdir(parents=True, exist_ok=True)
        scratch = remembered.with_name(f".{remembered.name}-{os.getpid()}")
        scratch.write_text(checksum + "\n", encoding="ascii")
        scratch.replace(remembered)  # atomic: a reader sees the whole checksum or none
    return checksum


class LazyTables:
    """The build's tables in ``folder``, each read on first use (``tables.articles`` reads
    ``articles.csv`` then keeps it): a notebook that needs four of the thirteen tables reads four,
    which at 100,000 articles is the difference between seconds and a minute. Values equal
    ``pipeline.load(folder)``'s, table by table."""

    def __init__(self, folder: str | os.PathLike):
        self.folder = Path(folder)
        if not self.folder.is_dir():
            raise FileNotFoundError(
                f"{self.folder}: no derived tables here; run `python -m wording build`"
            )

    def __getattr__(self, name: str) -> pd.DataFrame:
        if name not in pipeline.Tables.names():
            raise AttributeError(name)
        table = pipeline.read_table(self.folder / f"{name}.csv", name)  # as load reads it
        setattr(self, name, table)
        return table

    def items(self) -> list[tuple[str, pd.DataFrame]]:
        return [(name, getattr(self, name)) for name in pipeline.Tables.names()]


def tables_for(
    corpus_dir: str | os.PathLike | None = None,
    metadata: str | os.PathLike | None = None,
    lexicon: str | os.PathLike | None = None,
    derived_dir: str | os.PathLike | None = None,
) -> LazyTables:
    """The build's tables for a notebook's parameters (None: the study's own inputs).

    - Study's own inputs (corpus, metadata and lexicon all None): the tables in ``derived_dir``
      (default ``data/derived/``, which ``make report`` rebuilds first).
    - Anything else: ``derived_dir`` (default ``.cache/wording/``) is a cache folder; the tables
      live in its sub-folder named by ``inputs_key``. The first call builds them there
      (``pipeline.build`` then ``write``); every later call with the same inputs only reads them.
      An analyst's corpus comes with no metadata unless one is named, as in ``paths``.

    Either way the tables are read back as ``pipeline.load`` reads them, each on first use
    (``LazyTables``), so a first and a later call return the same values.
    """
    if corpus_dir is None and metadata is None and lexicon is None:
        return LazyTables(paths.derived_dir() if derived_dir is None else derived_dir)
    inputs = paths.resolve_inputs(corpus_dir, metadata, lexicon)
    cache = Path(paths.cache_dir() if derived_dir is None else derived_dir)
    key = inputs_key(inputs["corpus_dir"], inputs["metadata"], inputs["lexicon"], cache / ".pages")
    folder = cache / key
    if not folder.is_dir():
        _build_into(folder, inputs["corpus_dir"], inputs["metadata"], inputs["lexicon"])
    return LazyTables(folder)


def _build_into(
    folder: Path, corpus_dir: Path, metadata: Path | None, lexicon: Path | None
) -> None:
    """Build the tables into a scratch folder beside ``folder``, then rename it into place: a
    build that fails half way leaves no folder that a later call would take as complete."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        pipeline.build(corpus_dir, metadata, lexicon).write(scratch)
        try:
            scratch.rename(folder)
        except OSError:  # another notebook finished the same build first: use that one
            if not folder.is_dir():
                raise
    finally:
        if scratch.exists():
            shutil.rmtree(scratch)


def sample_articles(articles: pd.DataFrame, n: int = 2000, seed: int = 0) -> pd.DataFrame:
    """All articles when there are at most ``n``; otherwise a random ``n`` of them, drawn in
    proportion from each outlet (with a fixed seed: the same sample on every run), in the
    table's order.

    For views the tables do not hold and that cost time per article (alternative TF-IDF
    settings, candidate-pair scores, quotation counts): at 100,000 articles they are computed on
    the sample and the notebook says so.
    """
    if len(articles) <= n:
        return articles
    share = n / len(articles)
    picked = (  # drawn on the outlet column alone: the same rows, without copying the bodies
        articles[["outlet"]]
        .groupby("outlet", group_keys=False, sort=False)
        .sample(frac=share, random_state=seed)
    )
    return articles.loc[articles.index.isin(picked.index)]
