"""The README's papermill example passes every parameter of each notebook's parameters cell, and
says what to run first on a fresh clone."""

from __future__ import annotations

import ast
import re

import nbformat
import pytest

from wording import paths

ROOT = paths.project_root()
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))


def _own_corpus_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## Run it on your own articles")
    end = text.index("\n## ", start + 3)
    return text[start:end]


def _parameters(notebook) -> set[str]:
    """The names the notebook's cell tagged 'parameters' assigns."""
    nb = nbformat.read(notebook, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    return {
        target.id
        for node in ast.parse(cell.source).body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def test_the_section_says_what_to_run_first():
    section = _own_corpus_section()
    assert "make .venv/.installed-stamp" in section
    assert section.index("make .venv/.installed-stamp") < section.index(".venv/bin/papermill")


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_the_papermill_example_names_every_parameter(notebook):
    section = _own_corpus_section()
    block = section[section.index(".venv/bin/papermill") :].split("```")[0]
    passed = set(re.findall(r"-p\s+(\w+)", block))
    assert {"corpus_dir", "lexicon", "metadata"} <= _parameters(notebook)
    missing = _parameters(notebook) - passed
    assert not missing, f"{notebook.name}: the README's papermill example omits {missing}"
    assert notebook.stem in block or "$nb" in block
