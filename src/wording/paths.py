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


def display(path: str | os.PathLike) -> str:
    """A path as a reader should see it: relative to the project root when inside it.

    Committed outputs must not carry the build machine's absolute paths.
    """
    p = Path(path).resolve()
    try:
        return p.relative_to(project_root()).as_posix()
    except ValueError:
        return p.name if p.is_absolute() else Path(path).as_posix()
