"""Ties as ties: which rows of a ranked table share a score as the table writes it.

A score written to six significant digits (``pipeline.FLOAT_FORMAT``) that reads the same for
several terms is a tie, whatever order the terms were sorted in (A-Z breaks it in ``rank``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SIGNIFICANT_DIGITS = 6  # the precision the tables are written with ("%.6g")


def written(scores: pd.Series, digits: int = SIGNIFICANT_DIGITS) -> pd.Series:
    """``scores`` rounded to ``digits`` significant digits, as the CSV writes them."""
    values = scores.to_numpy(dtype=np.float64)
    text = np.char.mod(f"%.{digits}g", values) if len(values) else np.empty(0, dtype=str)
    return pd.Series(text.astype(np.float64), index=scores.index)


def tie_columns(
    table: pd.DataFrame, group: str | list[str], score: str = "score"
) -> tuple[pd.Series, pd.Series]:
    """(n_tied, rank_tied) of each row: how many rows of its ``group`` share its written score,
    and the competition rank of that score within the group (1 + the rows scoring higher: four
    terms tied for first all get 1, the next gets 5). Only the rows in ``table`` are counted."""
    if table.empty:
        empty = pd.Series(dtype="int64", index=table.index)
        return empty, empty.copy()
    keys = [group] if isinstance(group, str) else list(group)
    frame = table[keys].copy()
    frame["_score"] = written(table[score])
    by = frame.groupby(keys + ["_score"], sort=False, dropna=False)["_score"]
    n_tied = by.transform("size").astype("int64")
    rank_tied = (
        frame.groupby(keys, sort=False, dropna=False)["_score"]
        .rank(method="min", ascending=False)
        .astype("int64")
    )
    return n_tied.rename("n_tied"), rank_tied.rename("rank_tied")
