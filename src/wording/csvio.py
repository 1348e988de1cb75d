"""Fast, byte-stable CSV writing for the derived tables.

pandas' ``to_csv`` goes through the standard library's ``csv`` writer, which copies every character
into a row buffer one at a time: about 60 MB/s here, a third of the whole build at 100,000 articles.
This writer formats each column once (integers by NumPy, floats by ``%.6g``, texts quoted only where
they contain a comma, a quote or a line break, as ``csv.QUOTE_MINIMAL`` does), then joins rows in
blocks of a few thousand, so no buffer grows with the table. The bytes equal those of
``DataFrame.to_csv(index=False, lineterminator="\\n", float_format="%.6g")`` for the column types
the package writes (a test compares the two), except that a bare carriage return is quoted too
(pandas leaves it bare, and then reads it back as a line end). Any other column type, and tables
of fewer than two columns, are left to pandas.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
import pandas as pd

FLOAT_FORMAT = "%.6g"
BLOCK_ROWS = 4000  # rows joined per write: large enough to amortise, small enough to reuse memory


_SPECIAL = (",", '"', "\n", "\r")


def _quote(text: str) -> str:
    """A field as ``csv.QUOTE_MINIMAL`` writes it with the default dialect and LF line ends."""
    if '"' in text:
        return '"' + text.replace('"', '""') + '"'
    if "," in text or "\n" in text or "\r" in text:
        return '"' + text + '"'
    return text


def _text_field(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return _quote(value if isinstance(value, str) else str(value))


def _float_field(value: float) -> str:
    return "" if value != value else FLOAT_FORMAT % value  # NaN != NaN


def format_column(column: pd.Series) -> list[str] | None:
    """The CSV field of every value, in order; None for a type this writer leaves to pandas."""
    dtype = column.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return None
    if pd.api.types.is_bool_dtype(dtype):
        if column.hasnans:
            return [_text_field(v) for v in column.tolist()]
        return np.where(column.to_numpy(dtype=bool), "True", "False").tolist()
    if pd.api.types.is_integer_dtype(dtype):
        if column.hasnans:  # nullable Int64 with missing values
            missing = column.isna().to_numpy()
            fields = list(map(str, column.to_numpy(dtype=np.int64, na_value=0).tolist()))
            for i in np.flatnonzero(missing).tolist():
                fields[i] = ""
            return fields
        return list(map(str, column.to_numpy().tolist()))
    if pd.api.types.is_float_dtype(dtype):
        values = column.to_numpy(dtype=float, na_value=np.nan).tolist()
        return list(map(_float_field, values))
    if pd.api.types.is_string_dtype(dtype) or pd.api.types.is_object_dtype(dtype):
        values = column.tolist()
        sample = values[:1000]
        if any(isinstance(v, str) and ch in v for v in sample for ch in _SPECIAL):
            if not column.isna().any():
                try:
                    return list(map(_quote, values))  # running text: quote value by value
                except TypeError:  # a value that is not text after all
                    pass
            return list(map(_text_field, values))
        try:
            joined = "\x00".join(values)  # all texts, no missing values: check them in one pass
        except TypeError:
            return list(map(_text_field, values))
        if any(ch in joined for ch in _SPECIAL):
            return list(map(_quote, values))
        return values
    return None


def write_csv(table: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write ``table`` (no index) as UTF-8 CSV, LF line ends; identical input, identical bytes."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = [format_column(table.iloc[:, k]) for k in range(table.shape[1])]
    # One column: the csv module quotes an empty field there ('""'), so pandas writes those.
    if table.shape[1] < 2 or any(c is None for c in columns) or table.columns.has_duplicates:
        table.to_csv(
            path, index=False, lineterminator="\n", encoding="utf-8", float_format=FLOAT_FORMAT
        )
        return path
    header = ",".join(_quote(str(name)) for name in table.columns)
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(header + "\n")
        for start in range(0, len(table), BLOCK_ROWS):
            block = zip(*(c[start : start + BLOCK_ROWS] for c in columns), strict=True)
            out.write("\n".join(map(",".join, block)) + "\n")
    return path
