"""Execute notebooks top to bottom in place and export them to static HTML.

Used by ``make report`` (through ``python -m wording render``); the HTML template is
``templates/static.html.j2`` beside this module. Execution records no timings, so
an unchanged analysis leaves the committed notebooks byte-identical.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class Rendered:
    notebook: str
    html: str | None
    seconds: float
    error: str | None = None


def execute_notebook(path: Path, timeout: int = 900):
    """Run every cell of the notebook at ``path`` in a fresh kernel, cwd = its folder.

    Returns the executed notebook node; raises nbclient's CellExecutionError on a failing cell.
    """
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    # Execution metadata that varies by machine has no place in a committed notebook.
    nb.metadata.pop("widgets", None)
    return nb


# TeX in Markdown cells: $$display$$ first, then $inline$ (not a lone dollar sign in prose).
DISPLAY_MATH_RE = re.compile(r"\$\$(.+?)\$\$", re.DOTALL)
INLINE_MATH_RE = re.compile(r"(?<![\\$])\$(?!\s)([^$\n]+?)(?<!\s)\$(?!\d)")


def tex_to_mathml(markdown: str, found: list[str] | None = None) -> str:
    """Markdown with every ``$$…$$`` and ``$…$`` replaced by MathML (latex2mathml), which a
    browser renders with no script and no network. With ``found``, each formula is appended to
    it and replaced by a placeholder (``wordingmath7x``) instead, for ``export_html`` to put the
    MathML back after the Markdown renderer, which would mangle MathML tags."""
    from latex2mathml.converter import convert

    def keep(mathml: str) -> str:
        if found is None:
            return mathml
        found.append(mathml)
        return f"wordingmath{len(found) - 1}x"

    def block(match: re.Match) -> str:
        tex = " ".join(match.group(1).split())
        return "\n\n" + keep(convert(tex, display="block")) + "\n\n"

    def inline(match: re.Match) -> str:
        return keep(convert(match.group(1)))

    return INLINE_MATH_RE.sub(inline, DISPLAY_MATH_RE.sub(block, markdown))


PLACEHOLDER_RE = re.compile(r"wordingmath(\d+)x")


def offline_math(nb) -> tuple:
    """A copy of ``nb`` whose Markdown holds placeholders for its formulas, and the MathML of
    each (see ``tex_to_mathml``)."""
    import copy

    nb = copy.deepcopy(nb)
    found: list[str] = []
    for cell in nb.cells:
        if cell.cell_type == "markdown" and "$" in cell.source:
            cell.source = tex_to_mathml(cell.source, found)
        for output in cell.get("outputs", []):
            text = output.get("data", {}).get("text/markdown")
            if text and "$" in text:
                output["data"]["text/markdown"] = tex_to_mathml(text, found)
    return nb, found


NO_ALT = 'alt="No description has been provided for this image"'


def with_alt_text(html: str, nb) -> str:
    """The exported page with each image's alt text set from its output's metadata (written by
    ``style.save``: the chart's title, subtitle and source line), images taken in page order."""
    from html import escape

    alts = [
        output.get("metadata", {}).get("image/png", {}).get("alt")
        for cell in nb.cells
        for output in cell.get("outputs", [])
        if "image/png" in output.get("data", {})
    ]
    pieces = html.split(NO_ALT)
    if len(pieces) - 1 != len(alts):  # images the outputs do not account for: leave them be
        return html
    out = [pieces[0]]
    for alt, rest in zip(alts, pieces[1:], strict=True):
        out.append(f'alt="{escape(alt)}"' if alt else NO_ALT)
        out.append(rest)
    return "".join(out)


def export_html(nb, html_path: Path) -> Path:
    """Export an executed notebook to a static HTML page (images inline, no CDN scripts, formulas
    as MathML)."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    nb, formulas = offline_math(nb)

    config = Config()
    # Cells tagged hide-input show their output only: the findings, not the code that wrote them.
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_input_tags = {"hide-input"}
    exporter = HTMLExporter(
        config=config,
        template_name="lab",
        extra_template_paths=[str(TEMPLATES)],
        template_file="static.html.j2",
        embed_images=True,
    )
    body, _ = exporter.from_notebook_node(
        nb, resources={"metadata": {"name": html_path.stem.replace("_", " ")}}
    )
    body = with_alt_text(body, nb)
    body = PLACEHOLDER_RE.sub(lambda m: formulas[int(m.group(1))], body)
    html_path.parent.mkdir(parents=True, exist_ok=True)
    html_path.write_text(body, encoding="utf-8")
    return html_path


def render_one(path: str, html_dir: str | None) -> Rendered:
    """Execute one notebook in place and (optionally) export it; errors are returned, not raised."""
    import time

    import nbformat

    started = time.perf_counter()
    nb_path = Path(path)
    try:
        nb = execute_notebook(nb_path)
    except Exception as exc:  # a failing cell: report it, keep the committed notebook as it was
        return Rendered(str(nb_path), None, time.perf_counter() - started, str(exc)[-3000:])
    nbformat.write(nb, nb_path)
    html = None
    if html_dir is not None:
        html = str(export_html(nb, Path(html_dir) / f"{nb_path.stem}.html"))
    return Rendered(str(nb_path), html, time.perf_counter() - started)


def render_all(notebooks: list[Path], html_dir: Path | None, workers: int = 2) -> list[Rendered]:
    """Render notebooks ``workers`` at a time (one kernel each; each runs top to bottom), in the
    order given. joblib runs them: each notebook's client sits in its own worker process."""
    workers = max(1, min(workers, len(notebooks), os.cpu_count() or 1))
    html = str(html_dir) if html_dir is not None else None
    if workers == 1:
        return [render_one(str(p), html) for p in notebooks]
    from joblib import Parallel, delayed

    return Parallel(n_jobs=workers)(delayed(render_one)(str(p), html) for p in notebooks)
