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
from collections.abc import Callable
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


def column_formatter(column: pd.Series) -> Callable[[int, int], list[str]] | None:
    """A function giving the CSV fields of rows ``[start, stop)`` of ``column``; None for a type
    this writer leaves to pandas. Fields are made block by block, so the memory they take is
    reused from block to block instead of growing with the table."""
    dtype = column.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return None
    if pd.api.types.is_bool_dtype(dtype) and not column.hasnans:
        flags = column.to_numpy(dtype=bool)
        return lambda a, b: np.where(flags[a:b], "True", "False").tolist()
    if pd.api.types.is_integer_dtype(dtype):
        numbers = column.to_numpy(dtype=np.int64, na_value=0)
        if not column.hasnans:
            return lambda a, b: list(map(str, numbers[a:b].tolist()))
        missing = column.isna().to_numpy()  # nullable Int64 with missing values

        def integers(a: int, b: int) -> list[str]:
            fields = list(map(str, numbers[a:b].tolist()))
            for i in np.flatnonzero(missing[a:b]).tolist():
                fields[i] = ""
            return fields

        return integers
    if pd.api.types.is_float_dtype(dtype):
        floats = column.to_numpy(dtype=float, na_value=np.nan)
        return lambda a, b: list(map(_float_field, floats[a:b].tolist()))
    if not (
        pd.api.types.is_string_dtype(dtype)
        or pd.api.types.is_object_dtype(dtype)
        or pd.api.types.is_bool_dtype(dtype)
    ):
        return None
    values = column.to_numpy(dtype=object)
    complete = not column.isna().any() and all(isinstance(v, str) for v in values[:1000])
    running_text = any(isinstance(v, str) and ch in v for v in values[:1000] for ch in _SPECIAL)

    def texts(a: int, b: int) -> list[str]:
        block = values[a:b].tolist()
        if complete:
            try:
                if running_text:
                    return list(map(_quote, block))  # quote value by value
                joined = "\x00".join(block)  # short labels: check the whole block in one pass
                return list(map(_quote, block)) if any(c in joined for c in _SPECIAL) else block
            except TypeError:  # a value that is not text after all
                pass
        return list(map(_text_field, block))

    return texts


def write_csv(table: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write ``table`` (no index) as UTF-8 CSV, LF line ends; identical input, identical bytes."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = [column_formatter(table.iloc[:, k]) for k in range(table.shape[1])]
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
            stop = min(start + BLOCK_ROWS, len(table))
            block = zip(*(fields(start, stop) for fields in columns), strict=True)
            out.write("\n".join(map(",".join, block)) + "\n")
    return path
