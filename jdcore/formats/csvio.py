"""Spreadsheet-safe CSV: UTF-8 with a byte-order mark, formulas neutralised.

Excel and LibreOffice open UTF-8 CSV with non-Latin text correctly when it starts with a
BOM. Following OWASP's CSV-injection guidance, a text cell that begins with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return gets a leading apostrophe so no spreadsheet runs
it as a formula; numeric columns are written as numbers, untouched.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
ENCODING = "utf-8-sig"


def neutralise(value):
    """Prefix a text value that a spreadsheet would read as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells are neutralised; numeric columns are unchanged."""
    safe = frame.copy()
    for column in safe.columns:
        series = safe[column]
        if pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series):
            safe[column] = series.map(neutralise, na_action="ignore")
    return safe


def csv_text(frame: pd.DataFrame) -> str:
    """The CSV text of a table (without the BOM), formulas neutralised."""
    return spreadsheet_safe(frame).to_csv(index=False, lineterminator="\n")


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The CSV file contents of a table: BOM + UTF-8, ready for a download button."""
    return csv_text(frame).encode(ENCODING)


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    Path(path).write_bytes(csv_bytes(frame))
