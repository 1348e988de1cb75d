"""The house chart style: one colour per outlet, one order of outlets, deterministic files.

Every chart is saved by ``save(fig, name, table)``: SVG and PNG for reading, and the CSV of exactly
the numbers plotted, so a reader can check or re-plot any figure.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd

from wording import paths
from wording.order import OUTLET_ORDER, SIDE_ORDER, VOICE_ORDER, outlet_order  # noqa: F401
from wording.pipeline import write_table as write_csv

# Okabe & Ito (2008), the colour-blind-safe palette. Outlets and sides never share a colour.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "grey": "#999999",
}

OUTLET_COLOURS = {
    "Sputnik": OKABE_ITO["orange"],
    "TASS": OKABE_ITO["reddish_purple"],
    "Taipei Times": OKABE_ITO["bluish_green"],
    "unknown": OKABE_ITO["grey"],
}
# Further outlets (an analyst's own corpus) take these in the outlet order (most articles
# first): Okabe & Ito's two unused colours, three dark ones, then Paul Tol's "muted" qualitative
# colours that differ from all of them: eleven spares, so fourteen outlets are told apart.
_SPARE_COLOURS = [
    OKABE_ITO["sky_blue"],
    OKABE_ITO["yellow"],
    "#444444",
    "#8C6D31",
    "#7B4173",
    "#332288",  # Tol muted: indigo
    "#117733",  # green
    "#882255",  # wine
    "#44AA99",  # teal
    "#999933",  # olive
    "#CC6677",  # rose
]
# The rule beyond them: outlets past the eleventh spare (the smallest, by the outlet order) are
# all drawn in this light grey, so no colour stands for two outlets; their names label them.
OTHER_OUTLETS_COLOUR = "#CCCCCC"

SIDE_COLOURS = {
    "russian": OKABE_ITO["vermillion"],
    "japanese": OKABE_ITO["blue"],
    "neutral": OKABE_ITO["grey"],
}
# Quoted mentions are drawn as hatched, lighter bars of the same colour.
VOICE_STYLE = {
    "editorial": {"alpha": 1.0, "hatch": None},
    "quoted": {"alpha": 0.45, "hatch": "///"},
}


def apply_style() -> None:
    """Set matplotlib's parameters for every chart of the study (idempotent)."""
    mpl.rcParams.update(
        {
            "svg.hashsalt": "wording",  # stable element ids: identical SVG bytes run to run
            "svg.fonttype": "none",  # text stays text in the SVG (searchable, smaller)
            "figure.dpi": 100,
            "savefig.dpi": 150,
            "savefig.bbox": "tight",
            "font.size": 11,
            "axes.titlesize": 13,
            "axes.titleweight": "bold",
            "axes.titlelocation": "left",
            "axes.labelsize": 11,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": False,
            "legend.frameon": False,
            "xtick.labelsize": 10,
            "ytick.labelsize": 10,
        }
    )


def outlet_colour(outlet: str, outlets: Iterable[str] = ()) -> str:
    """The outlet's fixed colour; an outlet outside the palette gets a spare one by its place in
    ``outlet_order`` among ``outlets``, and past the spares ``OTHER_OUTLETS_COLOUR``: a colour
    never stands for two outlets."""
    if outlet in OUTLET_COLOURS:
        return OUTLET_COLOURS[outlet]
    others = [o for o in outlet_order(list(outlets) + [outlet]) if o not in OUTLET_COLOURS]
    place = others.index(outlet)
    return _SPARE_COLOURS[place] if place < len(_SPARE_COLOURS) else OTHER_OUTLETS_COLOUR


def _luminance(colour: str) -> float:
    """WCAG relative luminance of a colour (0 black, 1 white)."""
    from matplotlib.colors import to_rgb

    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(colour)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def text_colour(colour: str, contrast: float = 4.5) -> str:
    """``colour`` darkened just enough to be read as text on white (WCAG contrast ≥
    ``contrast``; unchanged when it already is): for titles and labels in an outlet's colour
    (Okabe & Ito's yellow as text is unreadable)."""
    from matplotlib.colors import to_hex, to_rgb

    rgb = to_rgb(colour)
    for step in range(21):
        shade = to_hex([c * (1 - step / 20) for c in rgb])
        if 1.05 / (_luminance(shade) + 0.05) >= contrast:
            return shade
    return "#000000"


def outlet_text_colour(outlet: str, outlets: Iterable[str] = ()) -> str:
    """The outlet's colour as text (``text_colour``): for panel titles and tick labels."""
    return text_colour(outlet_colour(outlet, outlets))


def source_line(fig: plt.Figure, text: str) -> None:
    """Write the chart's source note (what was counted, in how many articles) under the axes."""
    fig.text(0.0, -0.02, text, ha="left", va="top", fontsize=9, color="#555555", wrap=True)


def titles(ax: plt.Axes, title: str, subtitle: str = "") -> None:
    """A bold title stating the finding and, under it, a grey subtitle (sample size, units)."""
    ax.set_title(title, loc="left", pad=22 if subtitle else 8)
    if subtitle:  # 4 points above the axes whatever their size, under the title's 22-point pad
        from matplotlib.transforms import offset_copy

        above = offset_copy(ax.transAxes, fig=ax.figure, y=4, units="points")
        ax.text(0, 1, subtitle, transform=above, ha="left", va="bottom", fontsize=10,
                color="#555555", gid="subtitle")  # fmt: skip


class StyledTable:
    """A styled table for notebooks whose plain-text repr is stable (a Styler's shows its address).

    Notebooks committed executed must rerun byte-identical, so nothing run-dependent may print.
    """

    def __init__(self, styler, table: pd.DataFrame):
        self.styler = styler
        self.table = table

    def _repr_html_(self) -> str:
        return self.styler.to_html()

    def __repr__(self) -> str:
        return self.table.to_string(index=False)

    def __getattr__(self, name: str):
        """Styler methods pass through (``.set_properties(...)``) and stay wrapped."""
        attr = getattr(self.styler, name)
        if not callable(attr):
            return attr

        def wrapped(*args, **kwargs):
            out = attr(*args, **kwargs)
            return StyledTable(out, self.table) if type(out) is type(self.styler) else out

        return wrapped


def table_view(table: pd.DataFrame, precision: int = 2) -> StyledTable:
    """A table styled for readers: no index, text left-aligned, numbers rounded."""
    text_cols = [
        c for c in table.columns if table[c].dtype == object or str(table[c].dtype) == "str"
    ]
    # A content-derived id instead of pandas' random one, so reruns give identical HTML.
    uuid = hashlib.sha1(table.to_csv(index=False).encode("utf-8")).hexdigest()[:8]
    styler = (
        table.style.set_uuid(uuid)
        .hide(axis="index")
        .format(precision=precision, thousands=",")
        .set_properties(subset=text_cols, **{"text-align": "left"})
        .set_table_styles([{"selector": "th", "props": [("text-align", "left")]}])
    )
    return StyledTable(styler, table)


def sample_label(n_articles: int, n_outlets: int) -> str:
    """The sample size as titles carry it: "5 articles, 3 outlets"."""
    a = "article" if n_articles == 1 else "articles"
    o = "outlet" if n_outlets == 1 else "outlets"
    return f"{n_articles:,} {a}, {n_outlets:,} {o}"


def write_table(table: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write a tidy table as CSV, byte-identical for identical input (UTF-8, LF, no index)."""
    return write_csv(table, path)


def alt_text(fig: plt.Figure) -> str:
    """A figure's alt text: its title, subtitle and source line as drawn, in reading order."""
    parts = [fig._suptitle.get_text()] if fig._suptitle is not None else []
    for ax in fig.axes[:1]:
        parts += [ax.get_title(loc) for loc in ("left", "center", "right")] + [
            t.get_text()
            for t in ax.texts
            if t.get_gid() == "subtitle"
            or (t.get_transform() == ax.transAxes and t.get_position()[1] > 1)
        ]
    parts += [t.get_text() for t in fig.texts]
    seen = dict.fromkeys(" ".join(p.split()) for p in parts if p and p.strip())
    return ". ".join(p.rstrip(".") for p in seen) + "."


def _show(fig: plt.Figure, png: Path) -> None:
    """In a notebook, display the saved PNG with the figure's alt text (the exported HTML's
    ``<img alt=...>``) and close the figure so it is not drawn twice; elsewhere, nothing."""
    try:
        from IPython import get_ipython
        from IPython.display import Image, display
    except ImportError:
        return
    if get_ipython() is None or not hasattr(get_ipython(), "kernel"):
        return
    display(
        Image(data=png.read_bytes(), format="png"), metadata={"image/png": {"alt": alt_text(fig)}}
    )
    plt.close(fig)


def save(
    fig: plt.Figure,
    name: str,
    table: pd.DataFrame,
    figures_dir: str | os.PathLike | None = None,
) -> dict[str, Path]:
    """Save ``fig`` as ``NAME.svg`` and ``NAME.png`` and ``table`` (the plotted numbers) as CSV.

    Returns the three paths. Files carry no dates or machine paths, so reruns diff cleanly. In a
    notebook the figure is shown from its PNG, with its title and source line as alt text.
    """
    out = Path(figures_dir) if figures_dir is not None else paths.figures_dir()
    out.mkdir(parents=True, exist_ok=True)
    written = {
        "svg": out / f"{name}.svg",
        "png": out / f"{name}.png",
        "csv": out / f"{name}.csv",
    }
    with mpl.rc_context({"svg.hashsalt": f"wording-{name}"}):
        fig.savefig(written["svg"], format="svg", metadata={"Date": None})
    fig.savefig(written["png"], format="png", metadata={"Software": None})
    write_table(table, written["csv"])
    _show(fig, written["png"])
    return written
