"""Committed outputs are what the code produces: derived tables, notebooks, figures, HTML.

What is compared byte for byte, and why (each notebook re-execution costs ~6 s):

- Derived tables (data/derived/*.csv) and figure CSVs: byte for byte. They hold every number the
  study reports, and the build and ``style.save`` write them deterministically.
- Notebooks: each is re-executed once (papermill, reading the committed tables) and its outputs'
  text must equal the committed outputs'. The figures it writes in that same run are checked
  with no further execution: the CSVs byte for byte, the SVGs by the text a reader sees in them
  (title, subtitle, labels, ticks), not by their bytes. SVG bytes carry coordinates to six
  decimals, which move with a float's last digits (reading a table back from its CSV moved
  them) or with a matplotlib or FreeType release, while the numbers drawn are already checked
  in the CSV; that SVG saving itself is deterministic is checked once, cheaply, on a probe
  figure (``test_svg_and_csv_saving_is_byte_identical``). PNGs are not compared at all.
- HTML reports: byte for byte against a fresh export of the committed notebook. An export needs
  no kernel (about 1.5 s a notebook), is deterministic with the pinned nbconvert, and is the only
  check that reports/ was regenerated after a notebook changed: it earns its cost.
- The explorer page (reports/explorer.html): byte for byte against a fresh page from the
  committed tables (under a second; the page holds no time or machine detail).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from wording import cli, paths, pipeline  # noqa: E402
from wording.report import style  # noqa: E402

SEEDS = paths.corpus_dir()

ROOT = paths.project_root()
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
# Absolute paths of this machine that must never appear in committed outputs.
MACHINE_PATHS = [str(ROOT), str(Path.home()), "/tmp/", "/root/"]


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("derived")
    assert cli.main(["build", "--out", str(out)]) == 0
    return out


def test_derived_tables_are_fresh(rebuilt):
    committed = sorted(p.name for p in (ROOT / "data" / "derived").glob("*.csv"))
    fresh = sorted(p.name for p in rebuilt.glob("*.csv"))
    assert committed == fresh, "run `make report` and commit data/derived/"
    for name in fresh:
        a = (rebuilt / name).read_bytes()
        b = (ROOT / "data" / "derived" / name).read_bytes()
        assert a == b, f"data/derived/{name} is stale: run `make report` and commit it"


def test_build_is_deterministic(rebuilt, tmp_path):
    assert cli.main(["build", "--out", str(tmp_path)]) == 0
    for p in rebuilt.glob("*.csv"):
        assert (tmp_path / p.name).read_bytes() == p.read_bytes(), p.name


def test_contract_tables_and_columns(rebuilt):
    """Named files and columns are interfaces other people's scripts read."""
    contract = {
        "articles.csv": ["file", "outlet", "date", "headline", "body", "removed", "standfirst",
                         "dateline", "byline", "date_basis", "n_words", "sha256"],
        "paragraphs.csv": ["file", "paragraph", "kind", "text"],
        "removed_lines.csv": ["file", "line", "text", "rule"],
        "rejected.csv": ["file", "reason"],
        "counterparts.csv": ["fact_id", "file", "outlet", "paragraph", "sentence", "text",
                             "counterpart_file", "counterpart_outlet", "counterpart_paragraph",
                             "counterpart_sentence", "counterpart_text", "same_outlet", "semantic",
                             "lexical", "score", "mutual", "shared_words", "differing_words",
                             "terms", "counterpart_terms"],
    }  # fmt: skip
    for name, columns in contract.items():
        header = pd.read_csv(rebuilt / name, nrows=0).columns.tolist()
        missing = [c for c in columns if c not in header]
        assert not missing, f"{name} lacks {missing}"


def test_readme_generated_blocks_are_fresh(rebuilt):
    from wording.report import findings

    for name, render in findings.BLOCKS.items():
        assert findings.readme_block(ROOT / "README.md", name) == render(rebuilt), (
            f"README.md {name} block is stale: run `make report` and commit"
        )


_BASE64_RE = re.compile(r'(?:"image/png": "|base64,)[A-Za-z0-9+/=\\n]+')


def test_no_machine_paths_in_committed_outputs():
    files = [*(ROOT / "data" / "derived").glob("*.csv"), *NOTEBOOKS]
    files += [*(ROOT / "reports").glob("*.html"), *(ROOT / "figures").glob("*.svg")]
    for f in files:
        text = f.read_text(encoding="utf-8", errors="replace")
        # embedded images are base64, whose letters can spell "/root" by chance: not paths
        text = _BASE64_RE.sub("", text)
        for p in MACHINE_PATHS:
            assert p not in text, f"{f.relative_to(ROOT)} contains the machine path {p}"


def test_svg_and_csv_saving_is_byte_identical(tmp_path):
    style.apply_style()
    table = pd.DataFrame({"outlet": ["Sputnik", "TASS"], "mentions": [3, 1]})
    outputs = []
    for k in range(2):
        fig, ax = plt.subplots(figsize=(4, 3))
        ax.bar(
            table["outlet"], table["mentions"], color=[style.outlet_colour(o) for o in table.outlet]
        )
        ax.set_title("A title")
        written = style.save(fig, "probe", table, tmp_path / str(k))
        plt.close(fig)
        outputs.append({k_: v.read_bytes() for k_, v in written.items()})
    assert outputs[0]["svg"] == outputs[1]["svg"]
    assert outputs[0]["csv"] == outputs[1]["csv"]
    assert b"<dc:date>" not in outputs[0]["svg"]


# ----------------------------------------------------------------------------------------------
# Notebooks
# ----------------------------------------------------------------------------------------------


def test_at_least_three_notebooks():
    assert len(NOTEBOOKS) >= 3, [p.name for p in NOTEBOOKS]


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_notebook_is_one_clean_run(nb_path):
    nb = nbformat.read(nb_path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    counts = [c.get("execution_count") for c in code]
    assert None not in counts, f"{nb_path.name}: unexecuted code cell"
    assert counts == list(range(1, len(code) + 1)), f"{nb_path.name}: not one top-to-bottom run"
    errors = [o for c in code for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, f"{nb_path.name}: error output"
    assert any("parameters" in c.metadata.get("tags", []) for c in code), (
        f"{nb_path.name}: no cell tagged 'parameters' (papermill)"
    )
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")


def _outputs_text(cell) -> list[str]:
    """The text a reader sees in a cell's outputs (images compared through their CSVs)."""
    texts = []
    for o in cell.get("outputs", []):
        if o.get("output_type") == "stream":
            texts.append(o.get("text", ""))
        else:
            data = o.get("data", {})
            for mime in ("text/markdown", "text/html", "text/plain"):
                if mime in data:
                    value = data[mime]
                    texts.append(value if isinstance(value, str) else "".join(value))
                    break
    # matplotlib figure reprs carry no data worth comparing; object ids vary
    return [re.sub(r" at 0x[0-9a-f]+", "", t) for t in texts]


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_reruns_to_the_committed_outputs(nb_path, tmp_path):
    """Execute with papermill into a temp folder; outputs and figure data equal the committed."""
    import papermill

    figures = tmp_path / "figures"
    out = tmp_path / nb_path.name
    papermill.execute_notebook(
        str(nb_path),
        str(out),
        parameters={"figures_dir": str(figures)},
        cwd=str(nb_path.parent),
        kernel_name="python3",
        progress_bar=False,
    )
    fresh = nbformat.read(out, as_version=4)
    fresh_code = [
        c
        for c in fresh.cells
        if c.cell_type == "code"
        and c.source.strip()
        and "injected-parameters" not in c.metadata.get("tags", [])
    ]
    committed = [
        c
        for c in nbformat.read(nb_path, as_version=4).cells
        if c.cell_type == "code" and c.source.strip()
    ]
    assert len(fresh_code) == len(committed)
    for k, (a, b) in enumerate(zip(fresh_code, committed, strict=True)):
        assert _outputs_text(a) == _outputs_text(b), (
            f"{nb_path.name} cell {k + 1}: output differs from the committed notebook; "
            "run `make report` and commit"
        )
    prefix = nb_path.stem.split("_")[0] + "-"
    made = sorted(p.name for p in figures.glob(f"{prefix}*"))
    committed_figs = sorted(p.name for p in (ROOT / "figures").glob(f"{prefix}*"))
    assert made == committed_figs, f"{nb_path.name}: figures/ differs from what the notebook writes"
    for name in made:
        fresh_file, committed_file = figures / name, ROOT / "figures" / name
        if name.endswith(".csv"):
            assert fresh_file.read_bytes() == committed_file.read_bytes(), (
                f"figures/{name} is stale: run `make report` and commit"
            )
        elif name.endswith(".svg"):
            assert _svg_text(committed_file), f"figures/{name} holds no text elements"
            assert _svg_text(fresh_file) == _svg_text(committed_file), (
                f"figures/{name}: its titles or labels are stale: run `make report` and commit"
            )


_SVG_TEXT_RE = re.compile(r"<text\b[^>]*>([^<]*)</text>")


def _svg_text(path: Path) -> list[str]:
    """The text a reader sees in an SVG chart, in drawing order (SVGs keep text as text)."""
    return _SVG_TEXT_RE.findall(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.name)
def test_html_report_is_fresh_and_offline(nb_path, tmp_path):
    from wording.report.render import export_html

    committed = ROOT / "reports" / f"{nb_path.stem}.html"
    assert committed.is_file(), f"reports/{committed.name} missing: run `make report`"
    fresh = export_html(nbformat.read(nb_path, as_version=4), tmp_path / committed.name)
    assert fresh.read_bytes() == committed.read_bytes(), f"reports/{committed.name} is stale"
    html = committed.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=\"https?://", html), "HTML loads scripts from the web"


def test_explorer_page_is_fresh(tmp_path):
    from wording.report.explorer import write_explorer

    committed = ROOT / "reports" / "explorer.html"
    assert committed.is_file(), "reports/explorer.html missing: run `make report`"
    fresh = write_explorer(ROOT / "data" / "derived", tmp_path / "explorer.html")
    assert fresh.read_bytes() == committed.read_bytes(), "reports/explorer.html is stale"


def test_notebooks_have_no_absolute_paths_in_sources():
    for nb_path in NOTEBOOKS:
        raw = json.loads(nb_path.read_text(encoding="utf-8"))
        for cell in raw["cells"]:
            src = "".join(cell["source"])
            assert str(ROOT) not in src, nb_path.name


def test_metadata_line_ends_never_reach_a_table_as_a_bare_carriage_return(tmp_path):
    # A CSV reader takes a bare CR for the end of a row: no written text may hold one.
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a.txt").write_bytes((SEEDS / "000_bc5782a3297aeda6.txt").read_bytes())
    meta = tmp_path / "meta.csv"
    meta.write_bytes(b'file,outlet,headline\r\na.txt,Sputnik,"Two\rlines"\r\n')
    tables = pipeline.build(folder, meta)
    out = tables.write(tmp_path / "out")
    assert all(b"\r" not in path.read_bytes() for path in out)
    back = pipeline.load(tmp_path / "out")
    pd.testing.assert_frame_equal(
        back.articles[["file", "outlet"]], tables.articles[["file", "outlet"]]
    )
