"""Downloads of a table: a DataFrame -> the bytes of a CSV, Excel, JSON or Parquet file.

Input: the rows a page shows (a DataFrame from `analytics.queries`) and the interface language.
Output: file contents, exactly those rows and columns. Pure functions: no store, no Streamlit.

Spreadsheet formula injection: article texts and names come from outside, and a text cell that
begins with `=`, `+`, `-` or `@` (or a tab, a carriage return or NUL, which some spreadsheet
programs skip before reading a formula) is run as a formula when the file is opened in Excel or
LibreOffice (`=HYPERLINK(...)`, `=cmd|...`). CSV and XLSX cells get OWASP's treatment: such a
text is prefixed with a single quote, so it is shown as text; CSV text fields are also quoted,
with their double quotes doubled. Numbers stay numbers (a negative number is no formula). JSON
and Parquet are read by programs, not spreadsheets, and keep every value as it is.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

# The full-width forms are read as formulas by Excel in East Asian locales.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0", "＝", "＋", "－", "＠")
CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JSON_MIME = "application/json"
PARQUET_MIME = "application/vnd.apache.parquet"


def neutralized(value: object) -> object:
    """A cell's value as a spreadsheet may safely read it: a text that would start a formula
    gets a leading single quote; anything else is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def plain(value: Any) -> Any:
    """A cell as a plain Python value: dates as ISO text (a day without its midnight), missing
    values as None, numpy numbers and arrays as ints, floats and lists."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        return plain(value.tolist())  # numpy scalars and arrays
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NaT or (isinstance(value, pd.Timestamp) and pd.isna(value)):
        return None
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        if value.hour == value.minute == value.second == value.microsecond == 0:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is pd.NA:
        return None
    return value


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows as dicts of plain values, in order."""
    columns = [str(c) for c in df.columns]
    return [dict(zip(columns, (plain(v) for v in row), strict=True))
            for row in df.itertuples(index=False, name=None)]


def _text_cell(value: Any) -> Any:
    """A value for a spreadsheet cell: lists joined, then neutralized."""
    if isinstance(value, list):
        value = ", ".join("" if v is None else str(v) for v in value)
    return neutralized(value)


def to_csv(df: pd.DataFrame) -> bytes:
    """CSV in UTF-8 with a byte order mark (without it Excel reads the Arabic as Latin-1),
    text fields quoted, formula-like text neutralized."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    writer.writerow([str(c) for c in df.columns])
    for row in records(df):
        writer.writerow(["" if v is None else _text_cell(v) for v in row.values()])
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(df: pd.DataFrame, lang: str = "en", *, sheet: str = "events",
            headers: Mapping[str, str] | None = None) -> bytes:
    """An Excel workbook of one sheet: a header row (the column names, or `headers[name]`),
    then the rows; the sheet reads right to left in Arabic. Every text cell is stored as text
    (never a formula) and neutralized; characters XML cannot hold are dropped."""
    from openpyxl import Workbook  # imported here: only this download needs it
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def cell_value(value: Any) -> Any:
        value = _text_cell(value)
        return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value

    book = Workbook()
    ws = book.active
    ws.title = ILLEGAL_CHARACTERS_RE.sub("", sheet)[:31] or "events"
    ws.sheet_view.rightToLeft = lang == "ar"
    names = [str(c) for c in df.columns]
    ws.append([cell_value((headers or {}).get(name, name)) for name in names])
    for row in records(df):
        ws.append([cell_value(v) for v in row.values()])
    for cells in ws.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # openpyxl would otherwise store "=..." as a formula
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_json(df: pd.DataFrame) -> bytes:
    """A JSON array of one object per row, UTF-8 with the Arabic as is, dates as ISO text."""
    return json.dumps(records(df), ensure_ascii=False, indent=1).encode("utf-8")


def to_parquet(df: pd.DataFrame) -> bytes:
    """A Parquet file of the rows, with their column types."""
    out = io.BytesIO()
    df.reset_index(drop=True).to_parquet(out, index=False, engine="pyarrow")
    return out.getvalue()
