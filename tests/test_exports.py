"""Downloads: CSV (UTF-8 with BOM), Excel (right to left in Arabic), JSON and Parquet hold
exactly the rows given, read back to the same values, and never carry a live spreadsheet
formula (OWASP's CSV injection rule)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pandas as pd
import pytest
from openpyxl import load_workbook

from analytics.exports import tables

ROWS = pd.DataFrame({
    "start_date": pd.to_datetime(["2016-05-23", None, "2017-03-29"]),
    "type": ["summit", "visit", "conference"],
    "name": ["القمة العالمية للعمل الإنساني", None, 'مؤتمر "التعليم"، القاهرة\nالدورة الأولى'],
    "participants": pd.array([5000, None, -3], dtype="Int64"),
    "confidence": [0.8, 0.75, 0.5],
})

HOSTILE = ["=HYPERLINK(\"http://x.example\",\"click\")", "+1+2", "-2+3", "@SUM(A1:A2)",
           "\t=1+1", "\r=1+1", "＝1+1", "=cmd|' /C calc'!A0"]
SAFE = ["اجتماع", "a=b", "1-2", "ص@ح", "'quoted", ""]


def hostile_frame() -> pd.DataFrame:
    return pd.DataFrame({"name": HOSTILE + SAFE, "n": range(len(HOSTILE) + len(SAFE))})


@pytest.mark.parametrize("value, expected", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@x", "'@x"), ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"), ("＝1", "'＝1"), ("a=1", "a=1"), ("قمة", "قمة"), ("", ""),
    (-5, -5), (3.5, 3.5), (None, None),
])
def test_only_text_that_would_start_a_formula_is_neutralized(value, expected):
    assert tables.neutralized(value) == expected


def test_csv_starts_with_a_byte_order_mark_and_reads_back_the_same_rows():
    data = tables.to_csv(ROWS)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", keep_default_na=False)
    assert list(back.columns) == list(ROWS.columns)
    assert list(back["type"]) == ["summit", "visit", "conference"]
    assert back["name"][2] == 'مؤتمر "التعليم"، القاهرة\nالدورة الأولى'
    assert list(back["start_date"]) == ["2016-05-23", "", "2017-03-29"]
    assert list(back["participants"].astype(str)) == ["5000", "", "-3"]


def test_csv_cells_never_start_a_formula():
    data = tables.to_csv(hostile_frame()).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data)))[1:]
    names = [row[0] for row in rows]
    assert names[:len(HOSTILE)] == ["'" + h for h in HOSTILE]
    assert names[len(HOSTILE):] == SAFE
    assert all(not n.startswith(tables.FORMULA_STARTS) for n in names)
    # Text is quoted: a formula cannot hide behind a delimiter in an unquoted field.
    assert data.splitlines()[1].startswith('"')


def test_xlsx_holds_the_rows_and_reads_left_to_right_in_english():
    book = load_workbook(io.BytesIO(tables.to_xlsx(ROWS, "en")))
    ws = book.active
    assert ws.sheet_view.rightToLeft in (None, False)
    values = list(ws.iter_rows(values_only=True))
    assert values[0] == tuple(ROWS.columns)
    assert [r[1] for r in values[1:]] == ["summit", "visit", "conference"]
    assert values[1][0] == "2016-05-23" and values[2][0] is None
    assert values[1][3] == 5000 and values[3][3] == -3


def test_xlsx_sheet_is_right_to_left_in_arabic_with_translated_headers():
    data = tables.to_xlsx(ROWS, "ar", headers={"type": "النوع", "name": "الاسم"})
    ws = load_workbook(io.BytesIO(data)).active
    assert ws.sheet_view.rightToLeft is True
    assert [c.value for c in ws[1]][:3] == ["start_date", "النوع", "الاسم"]


def test_xlsx_cells_are_text_never_formulas():
    ws = load_workbook(io.BytesIO(tables.to_xlsx(hostile_frame()))).active
    cells = [row[0] for row in ws.iter_rows(min_row=2)]
    assert all(c.data_type == "s" for c in cells if c.value is not None)
    # XML stores a carriage return as a line feed; the quote still leads.
    assert [c.value for c in cells[:len(HOSTILE)]] == [
        "'" + h.replace("\r", "\n") for h in HOSTILE]


def test_xlsx_drops_characters_xml_cannot_hold():
    frame = pd.DataFrame({"name": ["قمة\x00\x07\x1b الرياض"]})
    ws = load_workbook(io.BytesIO(tables.to_xlsx(frame))).active
    assert ws["A2"].value == "قمة الرياض"


def test_json_is_one_object_per_row_with_iso_dates_and_arabic_as_is():
    data = tables.to_json(ROWS)
    assert "القمة".encode() in data
    back = json.loads(data)
    assert back[0] == {"start_date": "2016-05-23", "type": "summit",
                       "name": "القمة العالمية للعمل الإنساني", "participants": 5000,
                       "confidence": 0.8}
    assert back[1]["start_date"] is None and back[1]["participants"] is None
    assert len(back) == 3


def test_json_keeps_values_as_they_are():
    back = json.loads(tables.to_json(hostile_frame()))
    assert [r["name"] for r in back] == HOSTILE + SAFE


def test_parquet_reads_back_the_same_frame():
    back = pd.read_parquet(io.BytesIO(tables.to_parquet(ROWS)))
    pd.testing.assert_frame_equal(back, ROWS, check_dtype=False)


def test_list_cells_become_text_in_spreadsheets_and_lists_in_json():
    frame = pd.DataFrame({"themes": [["humanitarian", "=x"]]})
    assert json.loads(tables.to_json(frame)) == [{"themes": ["humanitarian", "=x"]}]
    ws = load_workbook(io.BytesIO(tables.to_xlsx(frame))).active
    assert ws["A2"].value == "humanitarian, =x"


@pytest.mark.parametrize("build", [tables.to_csv, tables.to_json, tables.to_parquet,
                                   tables.to_xlsx])
def test_an_empty_table_still_makes_a_file_with_its_columns(build):
    assert build(ROWS.iloc[0:0])


def test_plain_turns_dates_with_a_time_into_full_iso_text():
    assert tables.plain(pd.Timestamp("2016-05-23 10:30")) == "2016-05-23T10:30:00"
    assert tables.plain(dt.date(2016, 5, 23)) == "2016-05-23"


def test_records_are_what_plain_makes_of_each_cell_column_by_column():
    """`records` converts a column at a time (`plain` called on each cell made most of an
    837k-event CSV download): the values and their types are `plain`'s, whatever the dtype."""
    import numpy as np

    df = pd.DataFrame({
        "day": pd.to_datetime(["2016-04-18", None, "2016-05-23"]),
        "at": pd.to_datetime(["2016-04-18 10:30", None, "2016-05-23"], format="mixed"),
        "utc": pd.to_datetime(["2016-04-18", "2016-05-23", None]).tz_localize("UTC"),
        "name": pd.array(["قمة إسطنبول", None, "=1+1"], dtype="string"),
        "participants": pd.array([3000, None, 12], dtype="Int32"),
        "held": pd.array([True, None, False], dtype="boolean"),
        "n_sources": np.array([1, 2, 3], dtype="int32"),
        "flag": [True, False, True],
        "confidence": [0.9, np.nan, 0.5],
        "themes": [["humanitarian"], None, ["culture", None]],
        "mixed": [np.int64(1), None, "باكو"],
    })
    cell_by_cell = [{str(c): tables.plain(v) for c, v in zip(df.columns, row, strict=True)}
                    for row in df.itertuples(index=False, name=None)]
    found = tables.records(df)
    assert found == cell_by_cell
    assert [[type(v) for v in r.values()] for r in found] == \
        [[type(v) for v in r.values()] for r in cell_by_cell]
    assert found[0]["day"] == "2016-04-18" and found[1]["participants"] is None
