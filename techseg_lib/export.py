"""Write classified portfolios to CSV, XLSX or Parquet without turning client text into code.

A spreadsheet program runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula
(CSV injection, OWASP). techseg never writes such a cell as a formula:

- **.xlsx**: every text cell is stored as a string cell (openpyxl would otherwise store
  ``=HYPERLINK(...)`` as a formula); the text itself is unchanged.
- **.csv**: text has no types, so a text cell that starts with one of those characters (or a tab
  or carriage return) gets a leading apostrophe, the convention spreadsheet programs show as
  plain text. Numbers such as ``-5`` are numbers, not text, and are written as they are.
- **.parquet**: typed, read by programs, written as is.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .errors import TechsegError

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
EXCEL_MAX_ROWS = 1_048_576


def neutralise_csv_text(column: pd.Series) -> pd.Series:
    """Prefix an apostrophe to text cells that a spreadsheet would run as a formula.

    Cells that parse as a plain number (``-5``, ``+3.2``) are left alone.
    """
    text = column.astype("str")
    risky = text.str.startswith(FORMULA_START) & pd.to_numeric(text, errors="coerce").isna()
    return text.mask(risky.fillna(False).astype(bool), "'" + text)


def write_table(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write ``frame`` to ``path``; the format follows the extension (.csv, .xlsx, .parquet).

    The file is written to a temporary name beside ``path`` and renamed, so a failure never
    leaves half a file under the requested name.

    Raises
    ------
    TechsegError
        Unknown extension, or more rows than an .xlsx sheet holds (1,048,576 with the header).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx", ".parquet"):
        raise TechsegError(f"{path}: unknown output type {suffix or '(none)'!r}. "
                           "Fix: name the output .csv, .xlsx or .parquet")
    if suffix == ".xlsx" and len(frame) + 1 > EXCEL_MAX_ROWS:
        raise TechsegError(f"{path}: {len(frame):,} rows do not fit in an .xlsx sheet. "
                           "Fix: write .csv or .parquet")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    try:
        if suffix == ".csv":
            safe = frame.copy()
            for column in safe.columns:
                if not pd.api.types.is_numeric_dtype(safe[column]) and \
                        not pd.api.types.is_bool_dtype(safe[column]):
                    safe[column] = neutralise_csv_text(safe[column])
            safe.to_csv(partial, index=False, encoding="utf-8")
        elif suffix == ".xlsx":
            _write_xlsx(frame, partial)
        else:
            frame.to_parquet(partial, index=False)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def _write_xlsx(frame: pd.DataFrame, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet("portfolio")
    sheet.append([str(c) for c in frame.columns])
    columns = [frame[c].to_numpy(dtype=object) for c in frame.columns]
    for values in zip(*columns):
        cells = []
        for value in values:
            if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
                cells.append(None)
                continue
            if isinstance(value, np.generic):
                value = value.item()
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # a string cell, never a formula
            cells.append(cell)
        sheet.append(cells)
    book.save(path)
