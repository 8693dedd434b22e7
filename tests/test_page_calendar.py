"""The calendar: its queries over a real store (three Arabic articles through the real pipeline,
tests/e2e/articles.py), the pure FullCalendar builders, and the page through AppTest (the
component's arguments and the ICS download)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
from icalendar import Calendar
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from analytics.charts import calendar as chart
from analytics.filters import Filters
from analytics.queries import calendar as queries
from analytics.store import Store
from e2e.articles import build_store, run_page, started_app

MIT_VIEW_TYPES = {"dayGrid", "timeGrid", "list", "multiMonth"}


@pytest.fixture(scope="module")
def store_path(tmp_path_factory) -> Path:
    return build_store(tmp_path_factory.mktemp("calendar") / "analytics.duckdb")


@pytest.fixture(scope="module")
def store(store_path):
    with Store.open(store_path, read_only=True) as opened:
        yield opened


# -- queries --------------------------------------------------------------------------------

@pytest.mark.parametrize("today, opening", [
    (dt.date(2016, 1, 1), dt.date(2016, 4, 25)),     # the first event is the next one
    (dt.date(2017, 12, 10), dt.date(2017, 12, 13)),  # upcoming first: not the 9 December one
    (dt.date(2030, 1, 1), dt.date(2018, 1, 20)),     # nothing upcoming: the latest event
], ids=str)
def test_the_calendar_opens_on_the_next_upcoming_event(store, today, opening):
    summary = queries.calendar_summary(store, Filters(), today)
    assert summary == {"dated": 4, "undated": 0, "opening": opening}


def test_an_empty_selection_opens_on_today(store):
    today = dt.date(2026, 11, 28)
    summary = queries.calendar_summary(store, Filters(search="لا يوجد"), today)
    assert summary == {"dated": 0, "undated": 0, "opening": today}


def test_the_events_nearest_the_opening_day_are_kept_in_date_order(store):
    shown = queries.calendar_events(store, Filters(), dt.date(2017, 12, 10), limit=2)
    assert list(shown["start_date"].dt.date) == [dt.date(2017, 12, 9), dt.date(2017, 12, 13)]
    assert list(shown["venue_name_en"]) == ["Cairo", "Istanbul"]
    assert shown["actors_ar"].iloc[0].count("،") >= 1  # both actors of the Cairo meeting


def test_the_filters_choose_the_calendar_events(store):
    shown = queries.calendar_events(store, Filters(statuses=("planned",)), dt.date(2018, 1, 1))
    assert list(shown["venue_name_en"]) == ["Amman"]


# -- builders -------------------------------------------------------------------------------

def frame(**overrides) -> pd.DataFrame:
    row = {"id": "ev-1", "start_date": pd.Timestamp("2016-05-23"),
           "end_date": pd.Timestamp("2016-05-24"), "type": "summit",
           "name": "القمة العالمية", "status": "planned", "venue_name_ar": "إسطنبول",
           "venue_name_en": "Istanbul", "venue_country": "TR", "actors_ar": None,
           "actors_en": None}
    return pd.DataFrame([row | overrides])


def test_calendar_events_are_all_day_with_an_exclusive_end():
    (event,) = chart.calendar_events(frame(), "en")
    assert (event["start"], event["end"], event["allDay"]) == ("2016-05-23", "2016-05-25", True)
    assert event["title"] == "القمة العالمية – Istanbul"


def test_a_one_day_event_ends_the_next_day_and_undated_ones_are_left_out():
    df = pd.concat([frame(end_date=pd.NaT), frame(id="ev-2", start_date=pd.NaT)])
    (event,) = chart.calendar_events(df, "ar")
    assert (event["start"], event["end"]) == ("2016-05-23", "2016-05-24")
    assert event["title"] == "القمة العالمية – إسطنبول"


def test_titles_from_the_data_are_escaped():
    (event,) = chart.calendar_events(frame(name="<img src=x onerror=alert(1)>"), "en")
    assert "<" not in event["title"] and "&lt;img" in event["title"]


def test_an_unnamed_event_is_titled_by_its_type():
    (event,) = chart.calendar_events(frame(name=None, venue_name_en=None, venue_name_ar=None),
                                     "ar")
    assert event["title"] == "قمة"


def test_arabic_mode_gives_a_right_to_left_locale_object_with_arabic_buttons():
    options = chart.calendar_options("ar", dt.date(2017, 12, 13))
    assert options["direction"] == "rtl"
    locale = options["locale"]
    assert (locale["code"], locale["direction"]) == ("ar", "rtl")
    assert locale["buttonText"]["today"] == "اليوم"
    assert locale["buttonText"]["month"] == "شهر"
    assert options["initialDate"] == "2017-12-13"
    assert chart.calendar_options("en", dt.date(2017, 12, 13))["direction"] == "ltr"


def test_only_fullcalendars_mit_views_are_used():
    options = chart.calendar_options("en", dt.date(2017, 12, 13))
    named = options["headerToolbar"]["right"].split(",") + [options["initialView"]]
    for view in named:
        view_type = options["views"].get(view, {}).get("type", view)
        assert any(view_type.startswith(t) for t in MIT_VIEW_TYPES), view


def test_the_list_view_starts_on_the_opening_day_so_upcoming_events_come_first():
    view = chart.calendar_options("en", dt.date(2017, 12, 13))["views"]["listUpcoming"]
    assert view["type"] == "list" and "duration" in view and "visibleRange" not in view


# -- the page -------------------------------------------------------------------------------

@pytest.fixture
def downloads(monkeypatch) -> list[tuple[bytes, str | None, str | None]]:
    """The files the page offers, built as a click on their button would build them."""
    files: list[tuple[bytes, str | None, str | None]] = []
    register = MediaFileManager.add_deferred

    def keep(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        files.append((data_callable(), mimetype, file_name))
        return register(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", keep)
    return files


@pytest.fixture
def app(store_path, monkeypatch) -> AppTest:
    return started_app(store_path, monkeypatch)


def open_calendar(at: AppTest) -> AppTest:
    return run_page(at, "app_pages/calendar.py")


def component_args(at: AppTest) -> dict:
    (component,) = [c for c in at.get("component_instance")
                    if c.proto.component_name == "streamlit_calendar.calendar"]
    return json.loads(component.proto.json_args)


def test_the_page_draws_the_dated_events_on_the_calendar(app):
    at = open_calendar(app)
    assert at.title[0].value == "Calendar"
    assert at.caption[0].value == "4 dated events shown."
    args = component_args(at)
    titles = {e["title"] for e in args["events"]}
    assert "المنتدى العالمي السابع لتحالف الحضارات – Baku (1 source)" in titles
    assert len(args["events"]) == 4


def test_in_arabic_the_calendar_is_right_to_left_with_arabic_labels(app):
    app.radio(key="lang").set_value("ar").run()
    at = open_calendar(app)
    options = component_args(at)["options"]
    assert options["direction"] == "rtl"
    assert options["locale"]["buttonText"]["list"] == "قائمة"


def test_the_ics_download_holds_exactly_the_shown_events(app, downloads):
    app.multiselect(key="types").set_value(["session"])   # the Arab League Council's two
    open_calendar(app)
    ((data, mimetype, _),) = [d for d in downloads if d[2] == "events.ics"]
    assert mimetype == "text/calendar"
    starts = sorted(e.decoded("dtstart") for e in Calendar.from_ical(data).walk("VEVENT"))
    assert starts == [dt.date(2017, 12, 9), dt.date(2018, 1, 20)]
