"""The sidebar's filters as SQL: each filter selects the events it names, filters combine, URL
parameters round-trip, and no string a user can type breaks or injects SQL.

Runs against the real store of test_queries.py (two articles, four events: a meeting in Jeddah,
a summit in Istanbul, a conference in Cairo, an undated visit without a venue).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics import queries
from analytics.filters import Filters
from analytics.store import Store
from test_queries import EVERY_TYPE, build_store


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = build_store(tmp_path_factory.mktemp("filters") / "analytics.duckdb")
    with Store.open(path, read_only=True) as opened:
        yield opened


def types_shown(store, filters: Filters) -> set[str]:
    return set(queries.event_table(store, filters)["type"])


@pytest.mark.parametrize("filters, expected", [
    (Filters(actors=("هشام يوسف",)), {"meeting"}),
    (Filters(actors=("هشام يوسف", "جامعة الدول العربية")), {"meeting", "conference"}),
    (Filters(actors=("Hisham Youssef",)), set()),        # actors are chosen by canonical name
    (Filters(themes=("humanitarian",)), {"meeting", "summit"}),
    (Filters(themes=("education", "humanitarian")), {"meeting", "summit", "conference"}),
    (Filters(themes=("culture",)), set()),
    (Filters(countries=("TR",)), {"summit"}),
    (Filters(countries=("SA", "EG")), {"meeting", "conference"}),
    (Filters(cities=("القاهرة",)), {"conference"}),
    (Filters(cities=("Istanbul",)), {"summit"}),           # a map click may give either name
    (Filters(sources=("OIC",)), {"meeting", "summit"}),
    (Filters(sources=("وكالة الأنباء",)), {"conference", "visit"}),
    (Filters(statuses=("planned", "ongoing")), {"summit", "conference"}),
    (Filters(statuses=("held",)), {"meeting"}),
    # Different filters must all hold.
    (Filters(themes=("humanitarian",), statuses=("planned",)), {"summit"}),
    (Filters(sources=("OIC",), countries=("EG",)), set()),
    (Filters(actors=("مصطفى",), types=("visit",), undated=True), {"visit"}),
    (Filters(actors=("مصطفى",), undated=False), set()),
], ids=repr)
def test_each_filter_keeps_the_events_it_names(store, filters, expected):
    assert types_shown(store, filters) == expected


def test_every_value_travels_as_a_parameter():
    filters = Filters(actors=("O'Neil",), themes=("x",), countries=("TR",),
                      cities=("إسطنبول",), sources=("a'b",), statuses=("held",),
                      types=("summit",), search="q'")
    where, params = filters.to_sql()
    for value in ("O'Neil", "TR", "إسطنبول", "a'b", "held", "summit", "q'"):
        assert value not in where
    assert where.count("?") == len(params)


@pytest.mark.parametrize("filters, params", [
    (Filters(actors=("هشام يوسف", "Smith, John")),
     {"actor": ["هشام يوسف", "Smith, John"]}),
    (Filters(themes=("humanitarian", "education"), countries=("TR", "EG"),
             statuses=("planned",)),
     {"theme": "humanitarian,education", "country": "TR,EG", "status": "planned"}),
    (Filters(cities=("القاهرة",), sources=("وكالة الأنباء", "OIC")),
     {"city": ["القاهرة"], "source": ["وكالة الأنباء", "OIC"]}),
], ids=repr)
def test_the_new_filters_round_trip_through_url_parameters(filters, params):
    assert filters.to_params() == params
    assert Filters.from_params(params) == filters


def test_a_single_repeated_parameter_may_come_as_a_string():
    assert Filters.from_params({"actor": "هشام يوسف", "city": "جدة"}) == Filters(
        actors=("هشام يوسف",), cities=("جدة",))


@pytest.mark.parametrize("params, expected", [
    ({"status": "held,cancelled"}, Filters(statuses=("held",))),
    ({"country": "tr,Turkey,E"}, Filters(countries=("TR",))),
    ({"theme": "humanitarian,<script>"}, Filters(themes=("humanitarian",))),
    ({"actor": ["", "  ", "x" * 301]}, Filters()),
    ({"actor": ["أ", "أ"]}, Filters(actors=("أ",))),
], ids=repr)
def test_url_values_that_are_no_filter_are_dropped(params, expected):
    assert Filters.from_params(params) == expected


HOSTILE = ["'; DROP TABLE events; --", '" OR 1=1 --', "\\", "%", "_", "?", "$1", "\x00",
           "') OR ('1'='1", "*/ SELECT 1 /*", "ـ", "\u202e", "<script>alert(1)</script>"]


@pytest.mark.parametrize("field", ["actors", "themes", "countries", "cities", "sources",
                                   "statuses", "types"])
@pytest.mark.parametrize("hostile", HOSTILE)
def test_a_hostile_value_in_any_filter_selects_nothing_and_breaks_nothing(store, field,
                                                                         hostile):
    assert types_shown(store, Filters(**{field: (hostile,)})) == set()
    assert types_shown(store, Filters()) == EVERY_TYPE


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(min_size=1, max_size=40),
       field=st.sampled_from(["actors", "themes", "countries", "cities", "sources",
                              "statuses", "types", "search"]))
def test_any_unicode_in_any_filter_runs_as_a_value(store, text, field):
    value = text if field == "search" else (text,)
    shown = types_shown(store, Filters(**{field: value}))
    assert shown <= EVERY_TYPE
    assert types_shown(store, Filters()) == EVERY_TYPE


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(["from", "to", "type", "status", "theme", "country",
                                        "actor", "city", "source", "q", "undated"]),
                       st.one_of(st.text(max_size=30), st.lists(st.text(max_size=30),
                                                                max_size=3))))
def test_any_url_gives_filters_that_round_trip(params):
    filters = Filters.from_params(params)
    assert Filters.from_params(filters.to_params()) == filters
