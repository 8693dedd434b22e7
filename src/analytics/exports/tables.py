"""Downloads of a table: rows -> the bytes of a CSV, Excel, JSON or Parquet file.

Input: the rows a page shows (a DataFrame from `analytics.queries`, or an iterable of
DataFrames with the same columns, such as `analytics.queries.event_table_chunks`, for a table
too large to hold whole) and the interface language. Output: file contents, exactly those rows
and columns. Pure functions: no store, no Streamlit.

A download of a million events: each file is written a chunk of rows at a time into a
temporary file, and only the finished file is read into memory (held once, as the bytes
Streamlit serves): the rows themselves are never all held at once, as one DataFrame or as
Python objects.

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
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any

import pandas as pd

# The full-width forms are read as formulas by Excel in East Asian locales.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0", "＝", "＋", "－", "＠")
CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JSON_MIME = "application/json"
PARQUET_MIME = "application/vnd.apache.parquet"
# An Excel sheet holds at most 1,048,576 rows: a larger table goes on to further sheets.
XLSX_SHEET_ROWS = 1_048_576

Rows = pd.DataFrame | Iterable[pd.DataFrame]


def chunks(rows: Rows) -> Iterator[pd.DataFrame]:
    """The rows as DataFrames: one given whole, or the chunks given."""
    if isinstance(rows, pd.DataFrame):
        yield rows
    else:
        yield from rows


def _written(write: Any) -> bytes:
    """The bytes `write(file)` writes into a temporary file (on disk, not in memory, while it
    is being written)."""
    with tempfile.TemporaryFile() as out:
        write(out)
        out.seek(0)
        return out.read()


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
    """The rows as dicts of plain values (`plain`'s), in order."""
    columns = [str(c) for c in df.columns]
    values = [_plain_column(df.iloc[:, i]) for i in range(df.shape[1])]
    return [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]


def _plain_column(column: pd.Series) -> list[Any]:
    """`plain` of each value of a column, a column at a time where its type allows: `plain`
    called on each cell made most of the CSV download of 837k events (33 s; 17 s this way,
    the chunks read in 5-6 s of it; 100,000 events' CSV 3.1 -> 1.5 s, the same bytes)."""
    kind = column.dtype.kind
    missing = column.isna()
    if kind == "M":
        days = column.dt.normalize() == column
        if bool((days | missing).all()):
            return column.dt.strftime("%Y-%m-%d").astype(object).where(~missing, None).tolist()
    elif isinstance(column.dtype, pd.StringDtype):
        return column.astype(object).where(~missing, None).tolist()
    elif isinstance(column.dtype, pd.api.extensions.ExtensionDtype):  # Int32, boolean...
        return [None if m else plain(v)
                for v, m in zip(column.tolist(), missing.tolist(), strict=True)]
    elif kind in "iub":
        return column.tolist()
    elif kind == "f":
        return column.astype(object).where(~missing, None).tolist()
    return [plain(v) for v in column.tolist()]


def _text_cell(value: Any) -> Any:
    """A value for a spreadsheet cell: lists joined, then neutralized."""
    if isinstance(value, list):
        value = ", ".join("" if v is None else str(v) for v in value)
    return neutralized(value)


def to_csv(rows: Rows) -> bytes:
    """CSV in UTF-8 with a byte order mark (without it Excel reads the Arabic as Latin-1),
    text fields quoted, formula-like text neutralized."""
    def write(raw: IO[bytes]) -> None:
        out = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        writer = csv.writer(out, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
        for i, df in enumerate(chunks(rows)):
            if i == 0:
                writer.writerow([str(c) for c in df.columns])
            for row in records(df):
                writer.writerow(["" if v is None else _text_cell(v) for v in row.values()])
        out.flush()
        out.detach()  # the temporary file stays open, to be read back
    return _written(write)


def to_xlsx(rows: Rows, lang: str = "en", *, sheet: str = "events",
            headers: Mapping[str, str] | None = None) -> bytes:
    """An Excel workbook: a header row (the column names, or `headers[name]`), then the rows,
    on one sheet (or more: a sheet holds XLSX_SHEET_ROWS rows); sheets read right to left in
    Arabic. Every text cell is stored as text (never a formula) and neutralized; characters
    XML cannot hold are dropped. Written row by row (openpyxl's write-only mode)."""
    from openpyxl import Workbook  # imported here: only this download needs it
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def cell_value(value: Any) -> Any:
        # Neutralized text never starts with "=", which is what openpyxl stores as a formula.
        value = _text_cell(value)
        return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value

    book = Workbook(write_only=True)
    title = ILLEGAL_CHARACTERS_RE.sub("", sheet)[:28] or "events"
    ws, filled, heading = None, XLSX_SHEET_ROWS, None

    def new_sheet() -> Any:
        n = len(book.worksheets)
        ws = book.create_sheet(f"{title} {n + 1}" if n else title)
        ws.sheet_view.rightToLeft = lang == "ar"
        ws.freeze_panes = "A2"
        ws.append(heading)
        return ws

    for df in chunks(rows):
        if heading is None:
            heading = [cell_value((headers or {}).get(str(c), str(c))) for c in df.columns]
        for row in records(df):
            if filled >= XLSX_SHEET_ROWS:
                ws, filled = new_sheet(), 1
            ws.append([cell_value(v) for v in row.values()])
            filled += 1
    if ws is None:
        heading = heading or []
        new_sheet()
    return _written(book.save)


def to_json(rows: Rows) -> bytes:
    """A JSON array of one object per row (one row a line), UTF-8 with the Arabic as is,
    dates as ISO text."""
    def write(out: IO[bytes]) -> None:
        out.write(b"[")
        first = True
        for df in chunks(rows):
            for row in records(df):
                out.write((b"\n" if first else b",\n")
                          + json.dumps(row, ensure_ascii=False).encode("utf-8"))
                first = False
        out.write(b"\n]\n")
    return _written(write)


def to_parquet(rows: Rows) -> bytes:
    """A Parquet file of the rows, with their column types (those of the first chunk; a
    column with no value in it is text)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    def write(out: IO[bytes]) -> None:
        writer, schema = None, None
        for df in chunks(rows):
            table = pa.Table.from_pandas(df.reset_index(drop=True), schema=schema,
                                         preserve_index=False)
            if writer is None:
                schema = pa.schema([f.with_type(pa.string()) if pa.types.is_null(f.type)
                                    else f for f in table.schema], metadata=table.schema.metadata)
                table = table.cast(schema)
                writer = pq.ParquetWriter(out, schema)
            writer.write_table(table)
        if writer is not None:
            writer.close()
    return _written(write)
