"""Downloads of more rows than fit in memory comfortably: the store gives a result in chunks
(`Store.query_chunks`, `queries.event_table_chunks`) and every file format is written from the
chunks as they come. The file must be the one the whole table makes, and an Excel sheet never
holds more rows than Excel opens."""

from __future__ import annotations

import datetime as dt
import io
import json

import pandas as pd
import pytest
from openpyxl import load_workbook

from analytics import queries
from analytics.exports import ics, tables
from analytics.filters import Filters
from analytics.model import Article, Event, Extraction, Span
from analytics.store import Store

STAMP = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """2,600 one-event articles (more than one chunk of 2,048 rows); one name would start a
    formula."""
    text = "اجتماع في الرياض"
    many = [Extraction(
        article=Article(id=f"a{n:04}", text=text, published=dt.date(2020, 1, 1)),
        events=(Event(type="meeting", name="=1+1" if n == 7 else f"اجتماع {n}",
                      start=dt.date(2020, 1, 1) + dt.timedelta(days=n % 300) if n % 5 else None,
                      end=None, status="held", venue=None, participants=n if n % 3 else None,
                      actors=(), themes=(), evidence=(Span(0, len(text)),), confidence=0.5,
                      trigger=Span(0, 6), source="test"),))
        for n in range(2600)]
    path = tmp_path_factory.mktemp("large") / "analytics.duckdb"
    with Store.open(path) as opened:
        opened.ingest(many)
    with Store.open(path, read_only=True) as opened:
        yield opened


def test_a_result_comes_in_chunks_that_make_up_the_whole(store):
    whole = queries.event_table(store, Filters())
    parts = list(queries.event_table_chunks(store, Filters(), rows=2048))
    assert [len(p) for p in parts] == [2048, 552]
    joined = pd.concat(parts, ignore_index=True)
    assert joined.astype(str).values.tolist() == whole.astype(str).values.tolist()
    assert list(joined.dtypes) == list(whole.dtypes)


@pytest.mark.parametrize("filters", [Filters(), Filters(undated=False), Filters(search="اجتماع 1")])
def test_events_read_in_slices_are_the_events_table_in_its_order(store, filters):
    whole = queries.event_table(store, filters)
    parts = list(queries.event_table_chunks(store, filters, rows=512, slice_events=700))
    assert all(0 < len(p) <= 700 for p in parts)
    joined = pd.concat(parts, ignore_index=True)
    assert joined.astype(str).values.tolist() == whole.astype(str).values.tolist()


def test_an_empty_result_is_one_empty_chunk_with_the_columns(store):
    (empty,) = queries.event_table_chunks(store, Filters(types=("summit",)))
    assert empty.empty
    assert list(empty.columns) == list(queries.event_table(store, Filters()).columns)


@pytest.mark.parametrize("build, read", [
    (tables.to_csv, lambda b: b),
    (lambda rows: ics.events_to_ics(rows, "ar", stamp=STAMP), lambda b: b),
    (tables.to_json, json.loads),
    (tables.to_parquet, lambda b: pd.read_parquet(io.BytesIO(b)).astype(str).values.tolist()),
    (lambda rows: tables.to_xlsx(rows, "ar"),
     lambda b: list(load_workbook(io.BytesIO(b)).active.iter_rows(values_only=True))),
], ids=["csv", "ics", "json", "parquet", "xlsx"])
def test_a_file_written_from_chunks_is_the_file_of_the_whole_table(store, build, read):
    whole = build(queries.event_table(store, Filters()))
    chunked = build(queries.event_table_chunks(store, Filters(), rows=2048))
    assert read(chunked) == read(whole)


def test_chunked_csv_keeps_the_byte_order_mark_once_and_neutralizes_formulas(store):
    data = tables.to_csv(queries.event_table_chunks(store, Filters(), rows=2048))
    assert data.startswith("\ufeff".encode()) and data.count("\ufeff".encode()) == 1
    rows = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert len(rows) == 2600 and "'=1+1" in set(rows["name"])


def test_a_table_longer_than_a_sheet_goes_on_to_further_sheets(monkeypatch):
    monkeypatch.setattr(tables, "XLSX_SHEET_ROWS", 3)  # a header and two rows a sheet
    frames = [pd.DataFrame({"n": [1, 2]}), pd.DataFrame({"n": [3, 4, 5]})]
    book = load_workbook(io.BytesIO(tables.to_xlsx(frames, "ar")))
    assert book.sheetnames == ["events", "events 2", "events 3"]
    assert [[r[0] for r in ws.iter_rows(values_only=True)] for ws in book.worksheets] == [
        ["n", 1, 2], ["n", 3, 4], ["n", 5]]
    assert all(ws.sheet_view.rightToLeft for ws in book.worksheets)
