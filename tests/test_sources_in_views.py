"""Every view of an event shows how many articles report it (the resolved event of the
`events` table, never one row per article), and marks an event whose sources disagree (⚠) or
that an analyst corrected (✎): overview lists, venue map popups, calendar entries, the
participation chart, the article view's events and the timeline's detail.

The store: a summit announced in Riyadh and reported held in Dhahran (one event, two sources,
which disagree on the venue) and two meetings in Kuwait a week apart, the first renamed by an
analyst (tests/test_corrections.py's articles)."""

from __future__ import annotations

import json

import pytest

from analytics.charts import maps
from analytics.filters import Filters
from analytics.queries import places
from analytics.store import Store
from page_checks import app_on, figures, open_page
from test_corrections import ANNOUNCED, FIRST_MEETING, REPORTED, SECOND_MEETING

SUMMIT_NOTE = "2 sources · ⚠ sources disagree on Venue"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("sources") / "analytics.duckdb"
    with Store.open(path) as store:
        store.ingest([ANNOUNCED, REPORTED, FIRST_MEETING, SECOND_MEETING])
        (first,) = [e for e in store.events() if e["sources"][0]["article_id"] == "kuwait-1"]
        store.correct("set", first["id"], field="name", value="لقاء الكويت", author="أمل",
                      reason="اسم اللقاء")
    return path


@pytest.fixture(scope="module")
def summit_id(store_path) -> str:
    with Store.open(store_path, read_only=True) as store:
        (summit,) = [e["id"] for e in store.events() if e["type"] == "summit"]
    return summit


@pytest.fixture
def app(store_path, monkeypatch):
    return app_on(store_path, monkeypatch)


def test_the_overview_counts_resolved_events_and_lists_each_ones_sources_and_marks(app):
    at = open_page(app, "overview.py")
    assert at.metric[0].value == "3"  # four article events, three resolved events
    (latest,) = [d.value for d in at.dataframe if "Sources" in d.value.columns]
    by_type = {row["Type"]: row for _, row in latest.iterrows()}
    assert by_type["Summit"]["Sources"] == 2
    assert by_type["Summit"]["Notes"] == "⚠ sources disagree on Venue"
    renamed = latest[latest["Name"] == "لقاء الكويت"].iloc[0]
    assert (renamed["Sources"], renamed["Notes"]) == (1, "✎ corrected by an analyst: Name")


def test_the_overview_in_arabic_names_the_marks_in_arabic(app):
    app.query_params["lang"] = "ar"
    at = open_page(app, "overview.py")
    (latest,) = [d.value for d in at.dataframe if "ملاحظات" in d.value.columns]
    assert "⚠ تختلف المصادر في المكان" in set(latest["ملاحظات"])


def test_a_venue_popup_gives_each_events_sources_and_marks(store_path):
    with Store.open(store_path, read_only=True) as store:
        venues = places.venues(store, Filters())
    dhahran = venues[venues["venue_name_en"] == "Dhahran"].iloc[0]
    popup = maps.popup_html("Dhahran", int(dhahran["events"]), dhahran["latest"], "en")
    assert SUMMIT_NOTE in popup


def test_a_calendar_entry_gives_its_sources_and_marks(app):
    at = open_page(app, "calendar.py")
    (component,) = [c for c in at.get("component_instance")
                    if c.proto.component_name == "streamlit_calendar.calendar"]
    titles = {e["title"] for e in json.loads(component.proto.json_args)["events"]}
    assert f"القمة العربية التاسعة – Dhahran ({SUMMIT_NOTE})" in titles


def test_the_participation_chart_marks_events_and_gives_their_sources_on_hover(app):
    at = open_page(app, "participation.py")
    (chart,) = [f for f in figures(at)
                if f["layout"]["title"]["text"] == "Participants per event"]
    (bars,) = chart["data"]
    summit = [i for i, name in enumerate(bars["y"]) if "القمة العربية التاسعة" in name]
    assert [bars["y"][i] for i in summit] == ["2018-04-15 · القمة العربية التاسعة ⚠"]
    assert SUMMIT_NOTE in bars["hovertext"][summit[0]]


def test_the_article_view_gives_the_sources_of_each_event_it_reports(app, summit_id):
    at = open_page(app, "article.py", article="announce")
    assert [t.value for t in at.text] == [
        f"2018-04-15 · Summit · القمة العربية التاسعة · Dhahran · {SUMMIT_NOTE}"]


def test_the_timeline_detail_gives_the_number_of_sources_and_the_marks(app, summit_id):
    at = open_page(app, "timeline.py", event=summit_id)
    (fields,) = [d.value for d in at.dataframe if "Field" in d.value.columns]
    shown = dict(zip(fields["Field"], fields["Value"], strict=True))
    assert (shown["Sources"], shown["Notes"]) == ("2 sources", "⚠ sources disagree on Venue")


def test_the_records_table_gives_each_events_sources_and_marks(app):
    at = open_page(app, "records.py")
    events = at.dataframe[0].value
    summit = events[events["Type"] == "Summit"].iloc[0]
    assert (summit["Sources"], summit["Conflicts"]) == (2, "venue")
    renamed = events[events["Name"] == "لقاء الكويت"].iloc[0]
    assert (renamed["Sources"], renamed["Corrected"]) == (1, "name")
    assert len(events) == 3  # resolved events, not the four article events
