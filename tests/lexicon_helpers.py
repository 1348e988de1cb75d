"""Helpers shared by the lexicon, quotation and mention tests: the study's lexicon and hand-made
articles run through the mention finder."""

from __future__ import annotations

import pandas as pd

from wording import lexicon as lx
from wording import mentions as mn
from wording import paths

LEXICON = lx.load_lexicon(paths.lexicon_csv())


def articles(*bodies: str, outlet: str = "Test") -> pd.DataFrame:
    """Hand-made articles: one per body, files a.txt, b.txt, ..."""
    return pd.DataFrame(
        {
            "file": [f"{chr(97 + i)}.txt" for i in range(len(bodies))],
            "outlet": outlet,
            "body": list(bodies),
        }
    )


def mentions_of(*bodies: str) -> pd.DataFrame:
    return mn.find_mentions(articles(*bodies), LEXICON)


def terms_voices(*bodies: str) -> list[tuple[str, str]]:
    found = mentions_of(*bodies)
    return list(zip(found["term_id"], found["voice"], strict=True))
