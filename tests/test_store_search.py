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


# -- a search's hits, found once per store version (analytics.store.search) ----------------

def hits_tables(store) -> int:
    return int(store.query("SELECT count(*) FROM duckdb_tables() "
                           "WHERE database_name = 'memory' AND table_name LIKE 'searched_%'"
                           ).iloc[0, 0])


def searched_directly(store, term: str) -> set[str]:
    """The events whose folded names contain `term`, by the substring test itself."""
    return set(store.query("SELECT id FROM events WHERE contains(search_text, ?)",
                           [search_key(term)])["id"])


def test_a_search_is_run_once_and_its_hits_serve_every_query_after(tmp_path):
    with Store.open(build_store(tmp_path / "analytics.duckdb"), read_only=True) as s:
        before = hits_tables(s)
        first = set(queries.event_table(s, Filters(search="اسطنبول"))["id"])
        assert hits_tables(s) == before + 1
        assert set(queries.event_table(s, Filters(search="إسطنبول", types=("summit",)))["id"]
                   ) <= first
        assert queries.count_events(s, Filters(search="اسطنبول")) == len(first)
        assert hits_tables(s) == before + 1
        assert first == searched_directly(s, "اسطنبول") != set()


def test_a_search_finds_what_a_newer_store_version_holds(tmp_path):
    with Store.open(tmp_path / "analytics.duckdb") as s:
        s.ingest([ANNOUNCED])
        found = set(queries.event_table(s, Filters(search="القمة"))["id"])
        s.ingest([REPORTED, FIRST_MEETING, SECOND_MEETING])
        assert set(queries.event_table(s, Filters(search="القمة"))["id"]) == \
            searched_directly(s, "القمة")
        s.correct("set", summit(s)["id"], field="name", value="لقاء القدس", author="أمل")
        assert set(queries.event_table(s, Filters(search="القمة"))["id"]) == \
            searched_directly(s, "القمة") != found


def test_more_searches_than_a_snapshot_keeps_are_all_answered(store):
    from analytics.store.search import MAX_SEARCHES

    names = list(store.query("SELECT DISTINCT name FROM events WHERE name IS NOT NULL")["name"])
    terms = list(dict.fromkeys(word[:3] for name in names for word in name.split()))
    terms = terms[:MAX_SEARCHES + 6] + [f"لا يوجد {i}" for i in range(MAX_SEARCHES + 6)]
    for term in terms:
        assert set(queries.event_table(store, Filters(search=term))["id"]) == \
            searched_directly(store, term)
        assert hits_tables(store) < MAX_SEARCHES


def test_a_download_under_a_search_reads_the_same_events(store):
    chunks = queries.event_table_chunks(store, Filters(search="منظمة"), slice_events=2)
    downloaded = {i for chunk in chunks for i in chunk["id"]}
    assert downloaded == searched_directly(store, "منظمة") != set()


def test_sessions_searching_at_once_get_the_same_events(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    with Store.open(build_store(tmp_path / "analytics.duckdb"), read_only=True) as s:
        def search(term: str) -> frozenset[str]:
            return frozenset(queries.event_table(s, Filters(search=term))["id"])
        with ThreadPoolExecutor(8) as pool:
            found = list(pool.map(search, ["منظمة"] * 8 + ["قمة"] * 8))
        assert set(found[:8]) == {frozenset(searched_directly(s, "منظمة"))}
        assert set(found[8:]) == {frozenset(searched_directly(s, "قمة"))}


def test_forgotten_searches_are_searched_again(tmp_path):
    with Store.open(build_store(tmp_path / "analytics.duckdb"), read_only=True) as s:
        found = set(queries.event_table(s, Filters(search="منظمة"))["id"])
        s.forget_searches()
        assert hits_tables(s) == 0
        assert set(queries.event_table(s, Filters(search="منظمة"))["id"]) == found != set()
        assert hits_tables(s) == 1


def test_a_snapshot_that_holds_many_events_found_gives_way_to_a_new_one(tmp_path,
                                                                          monkeypatch):
    from analytics.store import search

    monkeypatch.setattr(search, "MAX_HITS", 1)
    with Store.open(build_store(tmp_path / "analytics.duckdb"), read_only=True) as s:
        found = set(queries.event_table(s, Filters(search="منظمة"))["id"])
        assert len(found) >= 1
        assert hits_tables(s) == 0  # the query after it reads a new snapshot
        assert set(queries.event_table(s, Filters(search="منظمة"))["id"]) == found
