"""Where the study's inputs and outputs live, relative to the project root."""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    """The checkout's root: the folder holding ``pyproject.toml`` above this package.

    Falls back to the current directory when the package is installed outside a checkout.
    """
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").is_file() and (parent / "seeds").is_dir():
            return parent
    return Path.cwd()


def corpus_dir() -> Path:
    return project_root() / "seeds"


def metadata_csv() -> Path:
    return project_root() / "data" / "sources.csv"


def lexicon_csv() -> Path:
    return project_root() / "data" / "lexicon.csv"


def events_csv() -> Path:
    return project_root() / "data" / "events.csv"


def derived_dir() -> Path:
    return project_root() / "data" / "derived"


def figures_dir() -> Path:
    return project_root() / "figures"


def cache_dir() -> Path:
    """Where tables built for another corpus are kept (git-ignored; see ``report.tables_for``)."""
    return project_root() / ".cache" / "wording"


def display(path: str | os.PathLike) -> str:
    """A path as a reader should see it: relative to the project root when inside it.

    Committed outputs must not carry the build machine's absolute paths.
    """
    p = Path(path).resolve()
    try:
        return p.relative_to(project_root()).as_posix()
    except ValueError:
        return p.name if p.is_absolute() else Path(path).as_posix()


def resolve_inputs(
    corpus_dir: str | os.PathLike | None = None,
    metadata: str | os.PathLike | None = None,
    lexicon: str | os.PathLike | None = None,
    figures_dir: str | os.PathLike | None = None,
) -> dict[str, Path | None]:
    """A notebook's parameters resolved: None means the study's own seeds, metadata and lexicon.

    An analyst's own corpus folder comes with no metadata unless one is named.
    """
    own = corpus_dir is None
    return {
        "corpus_dir": _SEEDS() if own else Path(corpus_dir),
        "metadata": Path(metadata) if metadata is not None else (metadata_csv() if own else None),
        "lexicon": Path(lexicon) if lexicon is not None else lexicon_csv(),
        "figures_dir": _FIGURES() if figures_dir is None else Path(figures_dir),
    }


# The defaults under other names: resolve_inputs' parameters shadow the functions.
_SEEDS, _FIGURES = corpus_dir, figures_dir
