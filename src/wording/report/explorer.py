"""The study as one offline page, ``reports/explorer.html``: search a term, read every use.

The page is one file with its scripts, styles and data inline; it loads nothing from the
network and works when opened from disk (``file://``). Tables are DataTables, from the bundle
that the ``itables`` wheel ships (DataTables and jQuery, MIT licensed), inlined as the itables
offline mode does it: base64 text turned into a module at load time. The page's own script
(``explorer/app.js``) draws the concordance, the search results, the article view and the
counterpart view. What the page holds, and its caps, come from ``explorer_data.page_data``.

Same tables give the same bytes: the data is sorted, the JSON written with sorted keys, and
nothing depends on the time or the machine.
"""

from __future__ import annotations

import base64
import json
import os
from importlib import resources
from importlib.metadata import version
from pathlib import Path

from wording.report.explorer_data import page_data, read_counterparts
from wording.report.inputs import LazyTables

_ASSETS = resources.files("wording.report") / "explorer"


def _asset(name: str) -> str:
    """A file of the page's own assets (``explorer/``), as text."""
    return (_ASSETS / name).read_text(encoding="utf-8")


def _datatables() -> tuple[str, str]:
    """(JavaScript module source as base64, CSS) of the DataTables bundle in the itables wheel."""
    bundle = resources.files("itables") / "html"
    js = (bundle / "dt_bundle.js").read_bytes()
    css = (bundle / "dt_bundle.css").read_text(encoding="utf-8")
    return base64.b64encode(js).decode("ascii"), css


def _json_for_html(value) -> str:
    """``value`` as JSON that can sit inside a <script> element (every "<" escaped)."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c")


def render(data: dict, title: str = "How the outlets word it: the explorer") -> str:
    """The page's HTML for ``data`` (from ``page_data``)."""
    dt_js, dt_css = _datatables()
    page = _asset("page.html")
    for key, value in (
        ("TITLE", title),
        ("DT_CSS", dt_css),
        ("APP_CSS", _asset("app.css")),
        ("DATA", _json_for_html(data)),
        ("DT_JS_BASE64", dt_js),
        ("APP_JS", _asset("app.js")),
    ):
        marker = "{{" + key + "}}"
        if page.count(marker) != 1:
            raise ValueError(f"explorer/page.html must hold {marker} once")
        page = page.replace(marker, value)
    return page


def write_explorer(derived: str | os.PathLike, out: str | os.PathLike) -> Path:
    """Read the tables in ``derived`` (and ``counterparts.csv`` if there) and write the page to
    ``out``; returns the path written."""
    tables = LazyTables(derived)  # reads the six tables the page needs, not all thirteen
    data = page_data(tables, read_counterparts(derived))
    data["library"] = f"DataTables, from the itables {version('itables')} wheel (MIT licence)"
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(data), encoding="utf-8", newline="\n")
    return out
