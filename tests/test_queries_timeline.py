"""The timeline's queries and figure, and the overview's latest and upcoming events.

Queries run on a real store file built from hand-made extractions (tests/dashboard_stores.py:
five events in three articles, every figure known); the figure is built from three-row frames.
"""

from __future__ import annotations

import datetime as dt
import time

import pandas as pd
import pytest

from analytics.charts import EVENT_COLORS
from analytics.charts import timeline as chart
from analytics.filters import Filters
from analytics.queries import timeline
from analytics.store import Store
from dashboard_stores import baku_extraction, handmade_store


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = handmade_store(tmp_path_factory.mktemp("timeline") / "analytics.duckdb")
    with Store.open(path, read_only=True) as opened:
        yield opened


def rows_by_group(df: pd.DataFrame) -> list[tuple[str, str]]:
    return list(zip(df["group_en"], df["type"], strict=True))


def test_grouped_by_venue_each_dated_event_with_a_venue_is_one_row(store):
    df = timeline.timeline(store, Filters(), "venue")
    assert sorted(rows_by_group(df)) == [("Baku", "meeting"), ("Cairo", "conference"),
                                         ("Istanbul", "summit"), ("Jeddah", "meeting")]
    # the undated visit without a venue cannot be placed on a timeline
    assert "visit" not in set(df["type"])


def test_grouped_by_actor_an_event_is_drawn_once_per_actor_busiest_actor_first(store):
    df = timeline.timeline(store, Filters(), "actor")
    assert df["group_en"].iloc[0] == "Organisation of Islamic Cooperation"  # two events
    baku = df[df["venue_en"] == "Baku"]
    assert set(baku["group_en"]) == {"Organisation of Islamic Cooperation", "United Nations",
                                     "Azerbaijan", "Egypt"}


def test_grouped_by_organization_only_organizations_make_rows(store):
    df = timeline.timeline(store, Filters(), "organization")
    assert sorted(set(df["group_ar"])) == sorted({"منظمة التعاون الإسلامي", "الأمم المتحدة",
                                                  "جامعة الدول العربية"})
    assert "Jeddah" not in set(df["venue_en"])  # a meeting of two persons only


def test_a_row_carries_its_span_its_venue_actors_and_number_of_sources(store):
    df = timeline.timeline(store, Filters(), "venue").set_index("venue_en")
    summit, baku = df.loc["Istanbul"], df.loc["Baku"]
    assert (summit["start_date"].date(), summit["end_date"].date(), bool(summit["one_day"])) \
        == (dt.date(2016, 5, 23), dt.date(2016, 5, 24), False)
    # a one-day event ends the day it starts
    assert (baku["start_date"], bool(baku["one_day"])) == (baku["end_date"], True)
    assert baku["actors_en"] == "Organisation of Islamic Cooperation, United Nations, " \
                                "Azerbaijan, Egypt"
    assert baku["actors_ar"].startswith("منظمة التعاون الإسلامي، الأمم المتحدة")
    assert (baku["theme"], baku["n_sources"]) == ("intercultural-dialogue", 1)
    assert df.loc["Cairo", "theme"] == "education"


def test_the_timeline_follows_the_filters(store):
    df = timeline.timeline(store, Filters(types=("meeting",)), "venue")
    assert sorted(df["venue_en"]) == ["Baku", "Jeddah"]
    assert timeline.timeline(store, Filters(search="باريس"), "venue").empty


def test_the_busiest_groups_and_the_latest_bars_are_kept(store):
    assert list(timeline.timeline(store, Filters(), "actor", max_groups=1)["group_en"]) == \
        ["Organisation of Islamic Cooperation"] * 2
    latest = timeline.timeline(store, Filters(), "venue", max_bars=2)
    assert sorted(latest["venue_en"]) == ["Cairo", "Istanbul"]


def test_an_unknown_grouping_is_refused_before_any_sql(store):
    with pytest.raises(ValueError, match="group_by"):
        timeline.timeline(store, Filters(), "venue; DROP TABLE events")


@pytest.mark.parametrize("today, latest, upcoming", [
    (dt.date(2016, 5, 1), ["meeting", "meeting"], ["summit", "conference"]),
    (dt.date(2016, 4, 25), ["meeting", "meeting"], ["summit", "conference"]),  # today is past
    (dt.date(2015, 1, 1), [], ["meeting", "meeting", "summit", "conference"]),
    (dt.date(2030, 1, 1), ["conference", "summit", "meeting", "meeting"], []),
], ids=str)
def test_latest_and_upcoming_events_are_relative_to_the_day_given(store, today, latest,
                                                                  upcoming):
    assert list(timeline.latest_events(store, Filters(), today)["type"]) == latest
    assert list(timeline.upcoming_events(store, Filters(), today)["type"]) == upcoming


def test_latest_events_are_newest_first_and_limited(store):
    df = timeline.latest_events(store, Filters(), dt.date(2030, 1, 1), limit=2)
    assert [d.date() for d in df["start_date"]] == [dt.date(2017, 3, 29), dt.date(2016, 5, 23)]


def test_upcoming_events_follow_the_filters(store):
    df = timeline.upcoming_events(store, Filters(types=("conference",)), dt.date(2016, 1, 1))
    assert list(df["venue_en"]) == ["Cairo"]


def test_the_store_version_changes_when_an_ingest_publishes(tmp_path):
    path = tmp_path / "analytics.duckdb"
    with Store.open(path) as writer:
        before = Store.open(path, read_only=True).version()
        assert Store.open(path, read_only=True).version() == before  # stable while unchanged
        time.sleep(0.01)
        writer.ingest([baku_extraction()])
    assert Store.open(path, read_only=True).version() != before


# -- the figure -------------------------------------------------------------------------------

def frame(**changes) -> pd.DataFrame:
    rows = pd.DataFrame({
        "id": ["ev-1", "ev-2", "ev-3"], "type": ["summit", "meeting", "meeting"],
        "name": ["القمة العالمية", None, "<b>x</b>"],
        "start_date": pd.to_datetime(["2016-05-23", "2016-04-21", "2016-04-25"]),
        "end_date": pd.to_datetime(["2016-05-24", "2016-04-21", "2016-04-25"]),
        "one_day": [False, True, True], "status": ["planned", "held", "held"],
        "venue_ar": ["إسطنبول", "جدة", "باكو"], "venue_en": ["Istanbul", "Jeddah", "Baku"],
        "actors_ar": ["منظمة التعاون الإسلامي", "هشام يوسف", None],
        "actors_en": ["OIC", "Hisham Youssef", None],
        "theme": ["humanitarian", "humanitarian", None], "n_sources": [3, 1, 1],
        "group_ar": ["منظمة التعاون الإسلامي", "جدة", "<img src=x onerror=alert(1)>"],
        "group_en": ["OIC", "Jeddah", "<img src=x onerror=alert(1)>"]})
    return rows.assign(**changes)


def test_a_multi_day_event_is_a_bar_and_a_one_day_event_a_diamond():
    fig = chart.timeline(frame(), "type")
    bars = [t for t in fig.data if t.type == "bar"]
    marks = [t for t in fig.data if t.type == "scatter"]
    (bar,) = bars
    assert list(bar.customdata[:, 0]) == ["ev-1"]
    assert list(bar.base) == ["2016-05-23"]
    assert list(bar.x) == [2 * 24 * 3600 * 1000]  # both days, the last one included
    (diamonds,) = marks
    assert diamonds.marker.symbol == "diamond"
    assert sorted(diamonds.customdata[:, 0]) == ["ev-2", "ev-3"]


def test_colours_follow_the_type_or_the_theme():
    by_type = chart.timeline(frame(), "type")
    assert {t.name: t.marker.color for t in by_type.data} == {
        "Summit": EVENT_COLORS["summit"], "Meeting": EVENT_COLORS["meeting"]}
    by_theme = chart.timeline(frame(), "theme", "ar")
    assert {t.name for t in by_theme.data} == {"العمل الإنساني", "دون موضوع"}
    assert len({t.legendgroup for t in by_theme.data}) == 2


def test_the_hover_names_the_event_venue_actors_and_sources_escaped():
    fig = chart.timeline(frame(), "type")
    hovers = [h for t in fig.data for h in t.hovertext]
    summit = next(h for h in hovers if "القمة العالمية" in h)
    assert "Istanbul" in summit and "OIC" in summit and "3 sources" in summit
    assert "2016-05-23 – 2016-05-24" in summit
    assert any("&lt;b&gt;x&lt;/b&gt;" in h for h in hovers)
    assert not any("<b>x</b>" in h for h in hovers)
    # an event without a name is called by its type
    assert any(h.startswith("<b>Meeting</b>") for h in hovers)


def test_row_names_from_the_data_are_escaped():
    fig = chart.timeline(frame(), "type")
    names = {y for t in fig.data for y in t.y}
    assert "&lt;img src=x onerror=alert(1)&gt;" in names
    assert not any("<img" in n for n in names)


def test_the_busiest_group_is_drawn_at_the_top():
    fig = chart.timeline(frame(), "type")
    assert fig.layout.yaxis.categoryarray[-1] == "OIC"


def test_the_arabic_timeline_is_mirrored_and_names_groups_in_arabic():
    fig = chart.timeline(frame(), "type", "ar")
    assert fig.layout.xaxis.autorange == "reversed"
    assert fig.layout.yaxis.side == "right"
    assert (fig.layout.title.text, fig.layout.title.x) == ("الأحداث عبر الزمن", 1)
    assert "منظمة التعاون الإسلامي" in {y for t in fig.data for y in t.y}


def test_an_empty_timeline_says_so():
    fig = chart.timeline(frame().iloc[0:0], "theme")
    assert [a.text for a in fig.layout.annotations] == ["No event matches these filters."]


def test_an_unknown_colouring_is_refused():
    with pytest.raises(ValueError, match="color_by"):
        chart.timeline(frame(), "mood")


@pytest.mark.parametrize("selection, event_id", [
    ({"points": [{"x": "2016-05-23", "y": "OIC", "customdata": ["ev-1"]}],
      "point_indices": [0], "box": [], "lasso": []}, "ev-1"),
    ({"points": [{"customdata": ["ev-2"]}, {"customdata": ["ev-3"]}]}, "ev-2"),  # a box: first
    ({"points": [{"x": 1}, {"customdata": ["ev-4"]}]}, "ev-4"),  # a point without an event
    ({"points": []}, None),
    ({}, None),
    (None, None),
    ({"points": [{"customdata": "ev-5"}]}, None),  # not plotly's shape: ignored, no guess
])
def test_a_click_on_the_figure_names_the_event_it_hit(selection, event_id):
    assert chart.clicked_event(selection) == event_id
