"""The free-text search reads names folded once, when the store writes an event
(`events.search_text`), not folded over every row at each query: what it holds, that it follows
corrections, and that the records tabs are cut in SQL with their full count beside them.

Real DuckDB files, built from the hand-made extractions of tests/test_queries.py and
tests/test_corrections.py."""

from __future__ import annotations

import pytest

from analytics import queries
from analytics.filters import Filters, search_key
from analytics.model import Actor
from analytics.queries import records
from analytics.store import Store
from analytics.store.rows import search_text
from test_corrections import ANNOUNCED, FIRST_MEETING, REPORTED, SECOND_MEETING, summit
from test_queries import build_store


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = build_store(tmp_path_factory.mktemp("search") / "analytics.duckdb")
    with Store.open(path, read_only=True) as opened:
        yield opened


def stored_search_text(store, name: str) -> str:
    return store.query("SELECT search_text FROM events WHERE name = ?", [name]).iloc[0, 0]


def test_an_event_stores_its_name_venue_and_actors_folded_one_per_line(store):
    assert stored_search_text(store, "القمة العالمية للعمل الإنساني").split("\n") == [
        "القمه العالميه للعمل الانساني", "اسطنبول", "istanbul", "منظمه التعاون الاسلامي",
        "organisation of islamic cooperation"]


def test_a_search_term_is_folded_as_the_stored_names_are():
    assert search_key("  إسطنبول ") == search_key("اسطنبول") == "اسطنبول"
    assert search_key("مصطفى") == search_key("مصطفي")
    assert search_key("ISTANBUL") == "istanbul"


def test_a_name_repeated_by_an_actor_is_stored_once_and_empty_names_not_at_all():
    assert search_text(["جدة", None, "", "جده", "Jeddah"]) == "جده\njeddah"


def test_a_search_never_matches_across_two_names(store):
    # The summit's venue (إسطنبول / Istanbul) followed by its actor: no term spans both.
    assert queries.event_table(store, Filters(search="istanbul منظمة")).empty
    assert queries.event_table(store, Filters(search="istanbul\nمنظمة")).empty


def test_a_corrected_name_is_what_the_search_finds(tmp_path):
    with Store.open(tmp_path / "analytics.duckdb") as s:
        s.ingest([ANNOUNCED, REPORTED, FIRST_MEETING, SECOND_MEETING])
        event_id = summit(s)["id"]
        assert list(queries.event_table(s, Filters(search="التاسعة"))["id"]) == [event_id]
        s.correct("set", event_id, field="name", value="قمة القدس", author="أمل")
        assert list(queries.event_table(s, Filters(search="قمه القدس"))["id"]) == [event_id]
        assert queries.event_table(s, Filters(search="التاسعة")).empty


def test_corrected_actors_are_searchable(tmp_path):
    with Store.open(tmp_path / "analytics.duckdb") as s:
        s.ingest([ANNOUNCED, REPORTED])
        event_id = summit(s)["id"]
        actor = Actor("الأمين العام أحمد أبو الغيط", "Ahmed Aboul Gheit", "person")
        s.correct("set", event_id, field="actors",
                  value=[{"name_ar": actor.name_ar, "name_en": actor.name_en,
                          "kind": actor.kind, "title": None}])
        assert list(queries.event_table(s, Filters(search="ابو الغيط"))["id"]) == [event_id]
        assert list(queries.event_table(s, Filters(search="aboul"))["id"]) == [event_id]


@pytest.mark.parametrize("build, rows", [(records.actor_table, 5), (records.place_table, 4),
                                         (records.article_table, 2)])
def test_a_records_tab_cut_in_sql_keeps_its_first_rows_and_counts_them_all(store, build, rows):
    whole = build(store, Filters())
    first = build(store, Filters(), 1)
    assert len(whole) == rows and "total" not in whole.columns
    assert len(first) == 1 and list(first["total"]) == [rows]
    assert first.drop(columns="total").iloc[0].equals(whole.iloc[0])
