"""The lexicon's sides and groups as the terminology notebook names them: labels and
colours of each side (from the sides table beside the lexicon, else the study's defaults and
spare colours), the nouns a sentence needs ("Russian form"), and the lexicon's groups."""

from __future__ import annotations

import numpy as np
import pandas as pd

from wording.report import style

# Defaults for the study's sides when no sides table names them (data/sides.csv does).
SIDE_NAME = {"russian": "Russian name", "japanese": "Japanese name", "neutral": "neutral wording"}


SIDE_FORM = {"russian": "Russian form", "japanese": "Japanese form", "neutral": "same in both"}


FRAMING_CATEGORIES = ["1945 framing", "sovereignty framing"]


# Colours for sides the study does not know (another dispute's lexicon), in order of appearance.
SPARE_SIDE_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#E69F00"]


def side_order(sides) -> list[str]:
    """The study's sides first (russian, japanese, neutral), then any others a lexicon names,
    neutral kept last."""
    present = list(dict.fromkeys(sides))
    known = [s for s in style.SIDE_ORDER if s in present and s != "neutral"]
    others = sorted(s for s in present if s not in style.SIDE_ORDER)
    return known + others + (["neutral"] if "neutral" in present else [])


def side_display(sides, lexicon_path=None) -> dict[str, tuple[str, str]]:
    """side -> (label, colour): from the sides table when the lexicon module provides one
    (``lexicon.load_sides``, data/sides.csv or ``<lexicon stem>_sides.csv``); else the study's
    labels, and for other sides the title-cased name with a spare colour."""
    table = None
    try:
        from wording import lexicon as lexicon_module

        if hasattr(lexicon_module, "load_sides"):
            table = lexicon_module.load_sides(lexicon_path) if lexicon_path else None
    except Exception:  # no sides table: fall back to the defaults below
        table = None
    shown: dict[str, tuple[str, str]] = {}
    spare = iter(SPARE_SIDE_COLOURS * 4)
    for side in side_order(sides):
        if table is not None and "side" in table and side in set(table["side"]):
            row = table[table["side"] == side].iloc[0]
            label = str(row.get("label", "") or "")
            if label in ("", side.title()):  # no label given: the default, as for other sides
                label = SIDE_NAME.get(side, f"{side.title()} name")
            colour = str(row.get("colour", "") or "") or style.SIDE_COLOURS.get(side, next(spare))
            shown[side] = (label, colour)
        elif side in SIDE_NAME:
            shown[side] = (SIDE_NAME[side], style.SIDE_COLOURS[side])
        else:
            shown[side] = (f"{side.title()} name", next(spare))
    return shown


def _join(items: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# Last words of a side's label that name the kind of term ("Russian name"), replaced by the noun
# a sentence needs ("Russian form", "Russian framing").
LABEL_NOUNS = ("name", "names", "form", "forms", "wording", "spelling", "term", "terms", "framing")


def side_adjective(label: str) -> str:
    """'Russian name' -> 'Russian'; 'neutral wording' -> 'neutral'; 'Korean' -> 'Korean'."""
    words = label.split()
    return " ".join(words[:-1]) if len(words) > 1 and words[-1].lower() in LABEL_NOUNS else label


def side_label(side: str, display: dict | None = None) -> str:
    """A side's display label: from ``display`` (``side_display``), else the defaults."""
    if display and side in display:
        return display[side][0]
    return SIDE_NAME.get(side, f"{side.title()} name")


def side_term(side: str, display: dict | None = None, group: str = "collective name") -> str:
    """What a side's terms of ``group`` are called: its label for a group of names ('Russian
    name'); else the label's adjective and the group's last word ('Nordian framing')."""
    label = side_label(side, display)
    noun = group.split()[-1] if group else "name"
    return label if noun in ("name", "names") else f"{side_adjective(label)} {noun}"


def _side_rank(side: str) -> tuple[int, str]:
    """The study's sides in their order, then others A-Z."""
    order = list(style.SIDE_ORDER)
    return (order.index(side), "") if side in order else (len(order), side)


def group_plural(group: str) -> str:
    """'collective name' -> 'collective names'; 'sea name' -> 'sea names'; 'dispute framing'
    -> 'dispute framings'. What a lexicon group's terms are called in titles and sentences."""
    return group if group.endswith("s") else group + "s"


def lexicon_groups(lexicon: pd.DataFrame) -> list[str]:
    """The lexicon's groups (its ``group`` column, else ``category``) in lexicon order."""
    column = "group" if "group" in lexicon.columns else "category"
    return list(dict.fromkeys(lexicon[column].fillna("").replace("", np.nan).dropna()))


def headline_group(lexicon: pd.DataFrame) -> str:
    """The group notebook 03 leads with: the collective names when the lexicon has them, else
    its first group ('' for an empty lexicon)."""
    groups = lexicon_groups(lexicon)
    return "collective name" if "collective name" in groups else (groups[0] if groups else "")


def other_groups(lexicon: pd.DataFrame) -> list[str]:
    """The groups no dedicated section of notebook 03 shows (the headline group, the island
    names, the 1945 and sovereignty framings): each gets its own chart, so none is dropped."""
    shown = {headline_group(lexicon), "island name", *FRAMING_CATEGORIES}
    return [g for g in lexicon_groups(lexicon) if g not in shown]


def times(n: int) -> str:
    """'once', '2 times', '0 times'."""
    return _times(n)


def _times(n: int) -> str:
    return "once" if n == 1 else f"{n} times"
