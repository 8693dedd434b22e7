"""ICS export: an events frame (the columns of `queries.event_table`) -> an iCalendar file that
calendar programs read back: all-day events, exclusive DTEND, a UID stable per event."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from icalendar import Calendar

from analytics.exports.ics import event_uid, events_to_ics
from analytics.filters import Filters
from analytics.queries import event_table
from analytics.store import Store
from e2e.articles import build_store

STAMP = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.UTC)


def row(**overrides) -> dict:
    base = {"start_date": dt.date(2016, 5, 23), "end_date": dt.date(2016, 5, 24),
            "type": "summit", "name": "القمة العالمية للعمل الإنساني", "status": "planned",
            "venue_name_ar": "إسطنبول", "venue_name_en": "Istanbul", "venue_country": "TR",
            "actors_ar": "منظمة التعاون الإسلامي",
            "actors_en": "Organisation of Islamic Cooperation", "themes": "humanitarian",
            "participants": 5000, "articles": "a1", "confidence": 0.9, "id": "ev-1"}
    return base | overrides


def events(data: bytes) -> list:
    return Calendar.from_ical(data).walk("VEVENT")


def test_a_two_day_event_is_all_day_and_ends_the_day_after_its_last_day():
    (event,) = events(events_to_ics(pd.DataFrame([row()]), "en", stamp=STAMP))
    assert event.decoded("dtstart") == dt.date(2016, 5, 23)
    assert event.decoded("dtend") == dt.date(2016, 5, 25)
    assert str(event["summary"]) == "القمة العالمية للعمل الإنساني"
    assert str(event["location"]) == "Istanbul (TR)"
    assert str(event["status"]) == "TENTATIVE"


def test_a_one_day_event_ends_the_next_day():
    (event,) = events(events_to_ics(pd.DataFrame([row(end_date=None)]), "en", stamp=STAMP))
    assert event.decoded("dtend") - event.decoded("dtstart") == dt.timedelta(days=1)


def test_undated_events_are_left_out():
    df = pd.DataFrame([row(), row(id="ev-2", start_date=None, end_date=None)])
    assert [str(e["uid"]) for e in events(events_to_ics(df, "en", stamp=STAMP))] == [
        event_uid("ev-1")]


def test_the_uid_depends_on_the_event_id_only():
    first = events(events_to_ics(pd.DataFrame([row()]), "en", stamp=STAMP))[0]
    again = events(events_to_ics(pd.DataFrame([row(name="renamed", start_date=dt.date(
        2016, 5, 24))]), "ar"))[0]
    other = events(events_to_ics(pd.DataFrame([row(id="ev-2")]), "en", stamp=STAMP))[0]
    assert str(first["uid"]) == str(again["uid"]) != str(other["uid"])


@pytest.mark.parametrize("lang, location, description", [
    ("en", "Istanbul (TR)", "Actors: Organisation of Islamic Cooperation"),
    ("ar", "إسطنبول (TR)", "الفاعلون: منظمة التعاون الإسلامي"),
])
def test_names_follow_the_language(lang, location, description):
    (event,) = events(events_to_ics(pd.DataFrame([row()]), lang, stamp=STAMP))
    assert (str(event["location"]), str(event["description"])) == (location, description)


def test_an_unnamed_event_is_summarized_by_its_type_and_venue():
    (event,) = events(events_to_ics(pd.DataFrame([row(name=None)]), "ar", stamp=STAMP))
    assert str(event["summary"]) == "قمة – إسطنبول"


def test_text_that_looks_like_ics_syntax_stays_inside_its_property():
    hostile = "x\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:injected"
    data = events_to_ics(pd.DataFrame([row(name=hostile)]), "en", stamp=STAMP)
    assert len(events(data)) == 1


def test_an_export_of_the_records_table_parses_back_with_one_event_per_dated_row(tmp_path):
    with Store.open(build_store(tmp_path / "analytics.duckdb"), read_only=True) as store:
        table = event_table(store, Filters())
    parsed = events(events_to_ics(table, "en"))
    assert len(parsed) == table["start_date"].notna().sum() == 4
    assert {e.decoded("dtstart") for e in parsed} == {
        dt.date(2016, 4, 25), dt.date(2017, 12, 13), dt.date(2017, 12, 9), dt.date(2018, 1, 20)}
