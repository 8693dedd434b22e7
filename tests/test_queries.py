"""Filters -> SQL -> DataFrames -> figures: what the dashboard asks of the store.

A real DuckDB store is built in a temporary directory from hand-made extractions (two articles,
four events: one of each type below), so that every expected figure is known exactly and does
not move when the extractor improves. Charts are built from three-row frames.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from analytics import charts, queries
from analytics.filters import Filters
from analytics.model import Actor, Article, Event, Extraction, Span, Venue
from analytics.queries import records
from analytics.store import Store

OIC_TEXT = ("بحث الأمين العام المساعد هشام يوسف مع رشيد خاليكوف في جدة اليوم التحضير للقمة "
            "العالمية للعمل الإنساني التي ستعقد في إسطنبول يومي 23-24 مايو المقبل.")
LEAGUE_TEXT = ("افتتح الأمين العام لجامعة الدول العربية في القاهرة مؤتمرا حول التعليم. "
               "وسيزور الوزير مصطفى العاصمة.")


def _span(text: str, surface: str) -> Span:
    start = text.index(surface)
    return Span(start, start + len(surface))


def _event(text: str, type_: str, trigger: str, *, start=None, end=None, status=None,
           venue=None, actors=(), themes=(), name=None, participants=None, about=()) -> Event:
    return Event(type=type_, name=name, start=start, end=end, status=status, venue=venue,
                 participants=participants, actors=tuple(actors), themes=tuple(themes),
                 evidence=(Span(0, len(text)),), confidence=0.8,
                 trigger=_span(text, trigger), source="test", about=tuple(about))


def sample_extractions() -> list[Extraction]:
    """Two articles, four events: a held meeting in Jeddah, a planned two-day summit in
    Istanbul, an ongoing conference in Cairo (about Jerusalem), and an undated visit without a
    venue. The first article is the OIC's, the second an agency's with a URL that is no web
    address."""
    oic = Article(id="oic-2016-04-21", text=OIC_TEXT, published=dt.date(2016, 4, 21),
                  title="هشام يوسف يبحث مع خاليكوف التحضير للقمة", source="OIC",
                  url="https://www.oic-oci.org/topic/?t_id=1")
    league = Article(id="league-2017-03-29", text=LEAGUE_TEXT, published=dt.date(2017, 3, 29),
                     source="وكالة الأنباء", url="javascript:alert(1)")
    return [
        Extraction(article=oic, events=(
            _event(OIC_TEXT, "meeting", "بحث", start=dt.date(2016, 4, 21), status="held",
                   venue=Venue("جدة", "Jeddah", "SA", 21.54, 39.17),
                   actors=[Actor("هشام يوسف", "Hisham Youssef", "person"),
                           Actor("رشيد خاليكوف", "Rashid Khalikov", "person")],
                   themes=["humanitarian"]),
            _event(OIC_TEXT, "summit", "للقمة", start=dt.date(2016, 5, 23),
                   end=dt.date(2016, 5, 24), status="planned",
                   name="القمة العالمية للعمل الإنساني", participants=5000,
                   venue=Venue("إسطنبول", "Istanbul", "TR", 41.01, 28.98),
                   actors=[Actor("منظمة التعاون الإسلامي", "Organisation of Islamic Cooperation",
                                 "organization")],
                   themes=["humanitarian"]),
        )),
        Extraction(article=league, events=(
            _event(LEAGUE_TEXT, "conference", "مؤتمرا", start=dt.date(2017, 3, 29),
                   status="ongoing", venue=Venue("القاهرة", "Cairo", "EG", 30.04, 31.24),
                   actors=[Actor("جامعة الدول العربية", "League of Arab States",
                                 "organization")],
                   themes=["education"],
                   about=[Venue("القدس", "Jerusalem", None, 31.78, 35.22)]),
            _event(LEAGUE_TEXT, "visit", "وسيزور",
                   actors=[Actor("مصطفى", "Mustafa", "person")]),
        )),
    ]


def build_store(path: Path) -> Path:
    """A real store file holding `sample_extractions()`."""
    with Store.open(path) as store:
        store.ingest(sample_extractions())
    return path


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = build_store(tmp_path_factory.mktemp("store") / "analytics.duckdb")
    with Store.open(path, read_only=True) as opened:
        yield opened


def types_shown(store, filters: Filters) -> set[str]:
    return set(queries.event_table(store, filters)["type"])


EVERY_TYPE = {"meeting", "summit", "conference", "visit"}


@pytest.mark.parametrize("filters, expected", [
    (Filters(), EVERY_TYPE),
    (Filters(types=("summit",)), {"summit"}),
    (Filters(types=("meeting", "visit")), {"meeting", "visit"}),
    # A range keeps the events it overlaps: the summit (23-24 May) is still on on the 24th.
    (Filters(start=dt.date(2016, 5, 24)), {"summit", "conference", "visit"}),
    (Filters(start=dt.date(2016, 5, 25)), {"conference", "visit"}),
    (Filters(end=dt.date(2016, 5, 23)), {"meeting", "summit", "visit"}),
    (Filters(start=dt.date(2016, 5, 24), undated=False), {"summit", "conference"}),
    (Filters(undated=False), {"meeting", "summit", "conference"}),
    (Filters(start=dt.date(2016, 4, 1), end=dt.date(2016, 4, 30), types=("summit",)), set()),
], ids=repr)
def test_dates_types_and_undated_events_select_events(store, filters, expected):
    assert types_shown(store, filters) == expected


@pytest.mark.parametrize("search, expected", [
    ("القمة العالمية", {"summit"}),           # the event's name
    ("اسطنبول", {"summit"}),                  # venue, written without the hamza of إسطنبول
    ("ISTANBUL", {"summit"}),                 # the venue's English name, any case
    ("التعاون الاسلامي", {"summit"}),          # an actor, without the hamza of الإسلامي
    ("مصطفي", {"visit"}),                     # an actor, ى written ي
    ("خاليكوف", {"meeting"}),
    ("Cairo", {"conference"}),
    ("  جدة ", {"meeting"}),
    ("%", set()),                             # LIKE's wildcards are searched for, literally
    ("_", set()),
    ("باريس", set()),
], ids=repr)
def test_search_finds_names_venues_and_actors_whatever_their_spelling(store, search, expected):
    assert types_shown(store, Filters(search=search)) == expected


def test_a_search_is_a_value_never_sql(store):
    hostile = "'; DROP TABLE events; --"
    assert types_shown(store, Filters(search=hostile)) == set()
    assert types_shown(store, Filters()) == EVERY_TYPE


def test_to_sql_passes_every_value_as_a_parameter_and_the_search_as_hex_digits():
    filters = Filters(start=dt.date(2016, 5, 1), end=dt.date(2016, 5, 31),
                      types=("summit", "visit"), search="ab'c")
    where, params = filters.to_sql()
    assert "ab'c" not in where and "2016" not in where and "summit" not in where
    assert where.count("?") == len(params)
    assert params == [dt.date(2016, 5, 1), dt.date(2016, 5, 31), "summit", "visit"]
    assert b"ab'c".hex() in where


def test_default_filters_select_everything():
    assert Filters().to_sql() == ("TRUE", [])


@pytest.mark.parametrize("filters, params", [
    (Filters(), {}),
    (Filters(start=dt.date(2016, 5, 1), types=("summit", "visit"), search="قمة",
             undated=False),
     {"from": "2016-05-01", "type": "summit,visit", "q": "قمة", "undated": "0"}),
    (Filters(end=dt.date(2017, 1, 31)), {"to": "2017-01-31"}),
], ids=repr)
def test_filters_round_trip_through_url_parameters(filters, params):
    assert filters.to_params() == params
    assert Filters.from_params(params) == filters


def test_url_parameters_that_do_not_parse_are_dropped():
    params = {"from": "yesterday", "to": "2017-02-30", "type": "summit,war", "q": " قمة "}
    assert Filters.from_params(params) == Filters(types=("summit",), search="قمة")


def test_key_figures_count_events_articles_actors_venues_and_the_date_span(store):
    row = queries.key_figures(store, Filters()).iloc[0]
    assert (row["events"], row["articles"], row["actors"], row["venues"]) == (4, 2, 5, 3)
    assert queries.as_date(row["first_date"]) == dt.date(2016, 4, 21)
    assert queries.as_date(row["last_date"]) == dt.date(2017, 3, 29)


def test_key_figures_follow_the_filters(store):
    row = queries.key_figures(store, Filters(types=("summit",))).iloc[0]
    assert (row["events"], row["articles"], row["actors"], row["venues"]) == (1, 1, 1, 1)
    assert queries.as_date(row["first_date"]) == dt.date(2016, 5, 23)
    assert queries.as_date(row["last_date"]) == dt.date(2016, 5, 24)


def test_events_by_month_counts_dated_events_by_the_month_they_start(store):
    df = queries.events_by_month(store, Filters())
    assert [(queries.as_date(m), t, n) for m, t, n in df.itertuples(index=False)] == [
        (dt.date(2016, 4, 1), "meeting", 1), (dt.date(2016, 5, 1), "summit", 1),
        (dt.date(2017, 3, 1), "conference", 1)]


def test_events_by_type_counts_dated_and_undated_events(store):
    df = queries.events_by_type(store, Filters(types=("summit", "visit")))
    assert list(df.itertuples(index=False, name=None)) == [("summit", 1), ("visit", 1)]


def test_event_table_has_one_row_per_event_newest_first(store):
    df = queries.event_table(store, Filters())
    assert list(df["type"]) == ["conference", "summit", "meeting", "visit"]
    summit = df[df["type"] == "summit"].iloc[0]
    assert summit["name"] == "القمة العالمية للعمل الإنساني"
    assert (summit["venue_name_ar"], summit["venue_country"]) == ("إسطنبول", "TR")
    assert summit["actors_ar"] == "منظمة التعاون الإسلامي"
    assert summit["themes"] == "humanitarian"
    assert summit["articles"] == "oic-2016-04-21"
    assert summit["participants"] == 5000
    meeting = df[df["type"] == "meeting"].iloc[0]
    assert meeting["actors_ar"] == "رشيد خاليكوف، هشام يوسف"
    assert df["id"].is_unique


def test_date_span_bounds_the_stored_events(store):
    assert queries.date_span(store) == (dt.date(2016, 4, 21), dt.date(2017, 3, 29))


def test_an_empty_store_has_no_date_span_and_no_events(tmp_path):
    with Store.open(tmp_path / "empty.duckdb") as empty:
        assert queries.date_span(empty) == (None, None)
        assert queries.key_figures(empty, Filters()).iloc[0]["events"] == 0
        assert queries.event_table(empty, Filters()).empty


def test_filter_options_list_every_stored_value_most_frequent_first(store):
    actors = queries.actor_options(store)
    assert len(actors) == 5
    assert set(actors["name_ar"]) == {"هشام يوسف", "رشيد خاليكوف", "منظمة التعاون الإسلامي",
                                      "جامعة الدول العربية", "مصطفى"}
    assert dict(zip(actors["name_ar"], actors["name_en"]))["مصطفى"] == "Mustafa"
    venues = queries.venue_options(store)
    assert set(zip(venues["name_ar"], venues["name_en"], venues["country"])) == {
        ("جدة", "Jeddah", "SA"), ("إسطنبول", "Istanbul", "TR"), ("القاهرة", "Cairo", "EG")}
    assert set(queries.country_options(store)["country"]) == {"SA", "TR", "EG"}
    themes = queries.theme_options(store)
    assert list(themes.itertuples(index=False, name=None)) == [("humanitarian", 2),
                                                               ("education", 1)]
    assert set(queries.source_options(store)["source"]) == {"OIC", "وكالة الأنباء"}


def test_actor_options_are_limited_to_the_most_frequent(store):
    assert len(queries.actor_options(store, limit=2)) == 2


def test_actor_table_counts_the_kept_events_of_each_actor(store):
    df = records.actor_table(store, Filters())
    assert len(df) == 5
    hisham = df[df["name_ar"] == "هشام يوسف"].iloc[0]
    assert (hisham["name_en"], hisham["kind"], hisham["events"], hisham["articles"]) == (
        "Hisham Youssef", "person", 1, 1)
    assert queries.as_date(hisham["first_date"]) == dt.date(2016, 4, 21)
    assert set(records.actor_table(store, Filters(types=("summit",)))["name_ar"]) == {
        "منظمة التعاون الإسلامي"}


def test_place_table_lists_venues_and_the_places_events_are_about(store):
    df = records.place_table(store, Filters())
    # Venues first, then by events, then by Arabic name (إسطنبول, القاهرة, جدة).
    assert list(zip(df["role"], df["name_en"])) == [
        ("venue", "Istanbul"), ("venue", "Cairo"), ("venue", "Jeddah"), ("about", "Jerusalem")]
    jerusalem = df[df["role"] == "about"].iloc[0]
    assert (jerusalem["name_ar"], jerusalem["lat"], jerusalem["events"]) == ("القدس", 31.78, 1)
    kept = records.place_table(store, Filters(types=("meeting",)))
    assert list(zip(kept["role"], kept["name_ar"])) == [("venue", "جدة")]


def test_article_table_lists_the_articles_reporting_kept_events_newest_first(store):
    df = records.article_table(store, Filters())
    assert list(df["id"]) == ["league-2017-03-29", "oic-2016-04-21"]
    assert list(df["events"]) == [2, 2]
    assert list(df["source"]) == ["وكالة الأنباء", "OIC"]
    kept = records.article_table(store, Filters(types=("summit",)))
    assert list(zip(kept["id"], kept["events"])) == [("oic-2016-04-21", 1)]


@pytest.mark.parametrize("build", [records.actor_table, records.place_table,
                                   records.article_table])
def test_a_tab_of_no_kept_event_is_empty(store, build):
    assert build(store, Filters(search="باريس")).empty


# -- charts -----------------------------------------------------------------------------------

MONTHS = pd.DataFrame({"month": pd.to_datetime(["2016-04-01", "2016-04-01", "2016-05-01"]),
                       "type": ["summit", "meeting", "meeting"], "events": [1, 2, 3]})
TYPES = pd.DataFrame({"type": ["meeting", "summit", "visit"], "events": [5, 2, 1]})


def test_events_by_month_stacks_one_trace_per_type_in_a_fixed_order():
    fig = charts.events_by_month(MONTHS)
    assert fig.layout.barmode == "stack"
    assert [t.name for t in fig.data] == ["Meeting", "Summit"]
    assert list(fig.data[0].y) == [2, 3]
    assert fig.data[0].marker.color == charts.EVENT_COLORS["meeting"]


def test_events_by_type_puts_the_most_frequent_type_on_top():
    fig = charts.events_by_type(TYPES)
    (bars,) = fig.data
    assert list(bars.y) == ["Visit", "Summit", "Meeting"]  # plotly draws bottom to top
    assert list(bars.x) == [1, 2, 5]


@pytest.mark.parametrize("build, frame", [(charts.events_by_month, MONTHS),
                                          (charts.events_by_type, TYPES)])
def test_arabic_charts_are_labelled_in_arabic_and_mirrored(build, frame):
    fig = build(frame, "ar")
    assert fig.layout.title.text in {"الأحداث حسب الشهر والنوع", "الأحداث حسب النوع"}
    assert (fig.layout.title.x, fig.layout.title.xanchor) == (1, "right")
    assert fig.layout.xaxis.autorange == "reversed"
    assert fig.layout.yaxis.side == "right"
    english = build(frame, "en")
    assert english.layout.xaxis.autorange is None and english.layout.yaxis.side is None


def test_arabic_charts_name_event_types_in_arabic():
    assert [t.name for t in charts.events_by_month(MONTHS, "ar").data] == ["اجتماع", "قمة"]


@pytest.mark.parametrize("build, columns", [(charts.events_by_month, ["month", "type", "events"]),
                                            (charts.events_by_type, ["type", "events"])])
def test_a_chart_of_no_events_says_so(build, columns):
    fig = build(pd.DataFrame(columns=columns), "en")
    assert [a.text for a in fig.layout.annotations] == ["No event matches these filters."]
