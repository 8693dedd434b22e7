"""The overview page under AppTest: key figures, the two charts, and the latest and upcoming
events relative to the day the page runs (`dt.date.today()`), on the hand-made store plus one
article announcing a conference a month from today."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from analytics.model import Article, Extraction, Venue
from analytics.store import Store
from dashboard_stores import handmade_extractions
from page_checks import app_on, figures, open_page, run

TODAY = dt.date.today()
SOON = TODAY + dt.timedelta(days=30)
SOON_TEXT = "تعقد الجامعة العربية مؤتمرا في الرباط الشهر المقبل."


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    handmade = handmade_extractions()
    conference = next(e for x in handmade for e in x.events if e.type == "conference")
    announced = Extraction(
        article=Article(id="soon", text=SOON_TEXT, published=TODAY),
        events=(dataclasses.replace(conference, start=SOON, status="planned",
                                    venue=Venue("الرباط", "Rabat", "MA", 34.02, -6.83)),))
    path = tmp_path_factory.mktemp("page_overview") / "analytics.duckdb"
    with Store.open(path) as store:
        store.ingest([*handmade, announced])
    return path


@pytest.fixture
def app(store_path, monkeypatch):
    return app_on(store_path, monkeypatch)


def test_the_overview_shows_key_figures_charts_and_both_lists(app):
    at = open_page(app, "overview.py")
    assert {m.label: m.value for m in at.metric}["Events"] == "6"
    assert len(figures(at)) == 2
    assert [s.value for s in at.subheader] == ["Latest events", "Upcoming events"]
    latest, upcoming = (d.value for d in at.dataframe)
    assert list(latest["Type"]) == ["Conference", "Summit", "Meeting", "Meeting"]
    assert list(latest["Venue"]) == ["Cairo", "Istanbul", "Baku", "Jeddah"]
    assert list(upcoming["Venue"]) == ["Rabat"]
    assert upcoming["Start"].iloc[0].date() == SOON
    assert list(upcoming["Status"]) == ["planned"]


def test_the_lists_follow_the_filters(app):
    run(app)
    app.multiselect(key="types").set_value(["meeting"])
    at = run(app)
    (latest,) = (d.value for d in at.dataframe)
    assert list(latest["Venue"]) == ["Baku", "Jeddah"]
    assert "None under these filters." in [c.value for c in at.caption]


def test_in_arabic_the_lists_name_venues_and_types_in_arabic(app):
    app.query_params["lang"] = "ar"
    at = open_page(app, "overview.py")
    assert [s.value for s in at.subheader] == ["أحدث الأحداث", "الأحداث المقبلة"]
    latest, upcoming = (d.value for d in at.dataframe)
    assert list(upcoming["المكان"]) == ["الرباط"]
    assert latest["النوع"].iloc[0] == "مؤتمر"
