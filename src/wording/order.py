"""The study's fixed orders of outlets, sides and voices (no plotting: the build imports this)."""

from __future__ import annotations

from collections.abc import Iterable

OUTLET_ORDER = ["Sputnik", "TASS", "Taipei Times"]
SIDE_ORDER = ["russian", "japanese", "neutral"]
VOICE_ORDER = ["editorial", "quoted"]


def outlet_order(outlets: Iterable[str]) -> list[str]:
    """Outlets in the study's fixed order: the three seed outlets, then others A–Z, unknown last."""
    present = list(dict.fromkeys(o for o in outlets if isinstance(o, str)))
    known = [o for o in OUTLET_ORDER if o in present]
    others = sorted(o for o in present if o not in OUTLET_ORDER and o != "unknown")
    tail = ["unknown"] if "unknown" in present else []
    return known + others + tail
