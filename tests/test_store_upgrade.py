"""A store written by an older analytics is upgraded in place when what the new schema adds can
be computed from the store (`analytics upgrade`, analytics.store.upgrade), and refused with the
rebuild command when it cannot. Also what schema 5 adds: each event's actors' names
(events.actor_names, persons, organizations) and outlets (events.outlets), as the writer
writes them.

Real DuckDB files: a schema-4 store is made from a current one the way schema 4 differed (the
four columns dropped, the version set back), so that the upgrade can be compared with what the
writer itself writes."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys

import duckdb
import pytest

from analytics import queries
from analytics.errors import StoreError
from analytics.filters import Filters
from analytics.store import SCHEMA_VERSION, Store
from analytics.store import upgrade as upgrading
from analytics.store.rows import actor_names
from analytics.store.schema import INDEXES, index_statements
from test_corrections import (
    ANNOUNCED,
    FIRST_MEETING,
    REPORTED,
    SECOND_MEETING,
)
from test_queries import sample_extractions
from test_store import drop_indexes, index_names

NAMES = ("actor_names", "persons", "organizations", "outlets")
SHOWN = ("actors_ar", "actors_en", "article_ids")  # schema 6
ARAB_SUMMIT = "القمة العربية التاسعة"


def events_table(path) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("SELECT * FROM events ORDER BY id").fetchall()
    finally:
        con.close()


def stored_version(path) -> str:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
    finally:
        con.close()


def as_schema_4(path, *, keep_indexes: bool = False) -> None:
    """Make the store at `path` what schema 4 wrote: events without the actors' names (and
    without the lookup indexes, which came later, unless `keep_indexes`: DuckDB cannot drop a
    column of a table with an index, so they are dropped and made again)."""
    as_schema(path, 4, (*NAMES, *SHOWN), keep_indexes=keep_indexes)


def as_schema_5(path) -> None:
    """Make the store at `path` what schema 5 wrote: events without the names shown and the
    article ids."""
    as_schema(path, 5, SHOWN, keep_indexes=True)


def as_schema(path, version: int, dropped: tuple[str, ...], *, keep_indexes: bool) -> None:
    drop_indexes(path)
    con = duckdb.connect(str(path))
    for column in dropped:
        con.execute(f"ALTER TABLE events DROP COLUMN {column}")
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(version)])
    if keep_indexes:
        for statement in index_statements():
            con.execute(statement)
    con.close()


@pytest.fixture
def written(tmp_path):
    """A current store of two articles and of the corrections' four, an event's actors
    corrected: what the writer wrote."""
    path = tmp_path / "analytics.duckdb"
    with Store.open(path) as store:
        store.ingest([*sample_extractions(), ANNOUNCED, REPORTED, FIRST_MEETING,
                      SECOND_MEETING])
        arab_summit = store.query("SELECT id FROM events WHERE name = ?", [ARAB_SUMMIT])
        store.correct("set", arab_summit.iloc[0, 0], field="actors", value=[
            {"name_ar": "جامعة الدول العربية", "name_en": "Arab League",
             "kind": "organization", "title": None},
            {"name_ar": "أحمد أبو الغيط", "name_en": "Ahmed Aboul Gheit", "kind": "person",
             "title": "الأمين العام"}])
    return path


def test_an_event_carries_its_actors_names_once_each_sorted_and_by_kind():
    actors = [{"name_ar": "منظمة التعاون الإسلامي", "kind": "organization"},
              {"name_ar": "إياد مدني", "kind": "person"},
              {"name_ar": "منظمة التعاون الإسلامي", "kind": "organization"},
              {"name_ar": "مصر", "kind": "place"}, {"name_ar": None, "kind": "person"},
              {"name_ar": "", "kind": "person"}]
    assert actor_names(actors) == ["إياد مدني", "مصر", "منظمة التعاون الإسلامي"]
    assert actor_names(actors, "person") == ["إياد مدني"]
    assert actor_names(actors, "organization") == ["منظمة التعاون الإسلامي"]
    assert actor_names([], "person") == []


def test_the_stored_names_are_those_of_the_event_actors_table_corrections_included(written):
    con = duckdb.connect(str(written), read_only=True)
    rows = con.execute("""
        SELECT e.id, e.actor_names, e.persons, e.organizations,
               list_sort(list_distinct(list(a.name_ar))),
               list_sort(list_distinct(list(a.name_ar) FILTER (a.kind = 'person'))),
               list_sort(list_distinct(list(a.name_ar) FILTER (a.kind = 'organization')))
        FROM events e JOIN event_actors a ON a.event_id = e.id GROUP BY ALL""").fetchall()
    corrected = con.execute("SELECT persons FROM events WHERE name = ?",
                            [ARAB_SUMMIT]).fetchone()[0]
    con.close()
    assert rows
    for _, names, persons, organizations, *from_actors in rows:
        assert [names, persons or None, organizations or None] == from_actors
    assert corrected == ["أحمد أبو الغيط"]


def test_an_event_lists_the_outlets_of_its_articles_once_each(written):
    con = duckdb.connect(str(written), read_only=True)
    rows = con.execute("""
        SELECT e.outlets, list_sort(list_distinct(list(ar.source)))
        FROM events e JOIN event_sources s ON s.event_id = e.id
        JOIN articles ar ON ar.id = s.article_id GROUP BY e.id, e.outlets""").fetchall()
    by_name = dict(con.execute("SELECT name, outlets FROM events WHERE name IS NOT NULL")
                   .fetchall())
    con.close()
    assert all(outlets == (from_articles if from_articles != [None] else [])
               for outlets, from_articles in rows)
    assert by_name["القمة العالمية للعمل الإنساني"] == ["OIC"]


def test_an_article_moved_to_another_outlet_moves_its_events(tmp_path):
    oic, league = sample_extractions()
    path = tmp_path / "analytics.duckdb"
    with Store.open(path) as store:
        store.ingest([oic, league])
        moved = dataclasses.replace(oic, article=dataclasses.replace(oic.article,
                                                                     source="وكالة الأنباء"))
        store.ingest([moved])
        kept = queries.event_table(store, Filters(sources=("OIC",)))
        now = queries.event_table(store, Filters(sources=("وكالة الأنباء",)))
    assert kept.empty
    assert len(now) == 4


def test_a_schema_4_store_upgraded_holds_what_the_writer_writes(written, tmp_path):
    old = tmp_path / "old.duckdb"
    shutil.copyfile(written, old)
    as_schema_4(old)
    assert upgrading.upgrade(old) == [5, 6]
    assert stored_version(old) == str(SCHEMA_VERSION)
    assert events_table(old) == events_table(written)
    with Store.open(old, read_only=True) as store:  # readable again: the version is current
        assert len(list(store.events())) == len(events_table(written))


def test_an_upgrade_runs_its_steps_on_a_store_that_has_the_lookup_indexes(written, tmp_path):
    """DuckDB refuses to ALTER a table with an index: the upgrade drops them for its steps and
    makes them again."""
    old = tmp_path / "old.duckdb"
    shutil.copyfile(written, old)
    as_schema_4(old, keep_indexes=True)
    assert index_names(old) == {i.name for i in INDEXES}
    assert upgrading.upgrade(old) == [5, 6]
    assert events_table(old) == events_table(written)
    assert index_names(old) == {i.name for i in INDEXES}


def test_a_schema_4_store_upgraded_gets_the_lookup_indexes(written):
    as_schema_4(written)
    assert index_names(written) == set()
    upgrading.upgrade(written)
    assert index_names(written) == {i.name for i in INDEXES}


def test_a_current_store_without_the_lookup_indexes_gets_them_and_keeps_its_rows(written):
    before = events_table(written)
    drop_indexes(written)
    assert upgrading.missing_indexes(written) == [i.name for i in INDEXES]
    assert upgrading.upgrade(written) == []
    assert upgrading.missing_indexes(written) == []
    assert events_table(written) == before


def test_the_upgrade_command_says_it_added_the_missing_indexes(written):
    drop_indexes(written)
    done = run_cli("upgrade", "--db", written, cwd=written.parent)
    assert done.returncode == 0, done.stderr
    assert f"added its {len(INDEXES)} missing lookup indexes" in done.stdout
    assert index_names(written) == {i.name for i in INDEXES}


def test_a_schema_5_store_upgraded_holds_what_the_writer_writes(written, tmp_path):
    old = tmp_path / "old.duckdb"
    shutil.copyfile(written, old)
    as_schema_5(old)
    assert upgrading.upgrade(old) == [6]
    assert events_table(old) == events_table(written)


def test_an_event_shows_its_actors_in_the_texts_order_and_lists_its_articles(written):
    con = duckdb.connect(str(written), read_only=True)
    rows = con.execute("""
        SELECT e.actors_ar, e.actors_en, e.article_ids,
               (SELECT list(a.name_ar ORDER BY a.position) FROM event_actors a
                WHERE a.event_id = e.id),
               (SELECT list(coalesce(a.name_en, a.name_ar) ORDER BY a.position)
                FROM event_actors a WHERE a.event_id = e.id),
               (SELECT list_sort(list_distinct(list(s.article_id))) FROM event_sources s
                WHERE s.event_id = e.id)
        FROM events e""").fetchall()
    corrected = con.execute("SELECT actors_ar, actors_en FROM events WHERE name = ?",
                            [ARAB_SUMMIT]).fetchone()
    con.close()
    assert len(rows) > 3
    for shown_ar, shown_en, articles, from_ar, from_en, from_sources in rows:
        assert (shown_ar, shown_en, articles) == (from_ar or [], from_en or [], from_sources)
    # As the analyst listed them, not sorted.
    assert corrected == (["جامعة الدول العربية", "أحمد أبو الغيط"],
                         ["Arab League", "Ahmed Aboul Gheit"])


def test_an_event_without_actors_gets_empty_lists_not_missing_ones(tmp_path):
    path = tmp_path / "analytics.duckdb"
    with Store.open(path) as store:
        store.ingest([FIRST_MEETING])
        store.correct("set", next(iter(store.events()))["id"], field="actors", value=[])
    as_schema_4(path)
    upgrading.upgrade(path)
    con = duckdb.connect(str(path), read_only=True)
    assert con.execute(f"SELECT {', '.join(NAMES[:3])}, actors_ar, actors_en FROM events"
                       ).fetchall() == [([], [], [], [], [])]
    con.close()


def test_a_current_store_is_left_as_it_is(written):
    before = written.stat()
    assert upgrading.upgrade(written) == []
    after = written.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_a_store_too_old_to_upgrade_is_refused_with_the_rebuild_command(written):
    con = duckdb.connect(str(written))
    con.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(StoreError, match="cannot be upgraded") as err:
        upgrading.upgrade(written)
    assert f"analytics ingest --rebuild --db {written}" in str(err.value)
    assert stored_version(written) == "3"


def test_an_upgrade_that_fails_halfway_leaves_the_old_store(written, monkeypatch):
    as_schema_4(written)
    before = events_table(written)

    def half_done(con):
        con.execute("ALTER TABLE events ADD COLUMN actor_names VARCHAR[]")
        raise duckdb.IOException("disk full")

    monkeypatch.setitem(upgrading.STEPS, 4, half_done)
    with pytest.raises(duckdb.IOException):
        upgrading.upgrade(written)
    assert stored_version(written) == "4"
    assert events_table(written) == before
    assert not list(written.parent.glob("*.writing-*"))


def run_cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "analytics", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, encoding="utf-8", timeout=300,
                          check=False)


def test_the_upgrade_command_says_what_it_did(written):
    as_schema_4(written)
    done = run_cli("upgrade", "--db", written, cwd=written.parent)
    assert done.returncode == 0, done.stderr
    assert f"upgraded to store schema {SCHEMA_VERSION}" in done.stdout
    again = run_cli("upgrade", "--db", written, cwd=written.parent)
    assert "nothing to do" in again.stdout


def test_a_rebuild_if_outdated_upgrades_a_store_it_can_instead_of_extracting_again(written):
    """What `make run` does with an old store: seconds, not a new extraction."""
    as_schema_4(written)
    done = run_cli("ingest", "--rebuild", "--if-outdated", "--db", written, cwd=written.parent)
    assert done.returncode == 0, done.stderr
    assert "upgrading it in place" in done.stderr
    assert stored_version(written) == str(SCHEMA_VERSION)


def test_the_refusal_of_an_old_store_names_the_upgrade_command(written):
    as_schema_4(written)
    with pytest.raises(StoreError, match=f"analytics upgrade --db {written}"):
        Store.open(written, read_only=True)


def test_the_actors_filter_reads_the_stored_names(written):
    with Store.open(written, read_only=True) as store:
        kept = queries.event_table(store, Filters(actors=("أحمد أبو الغيط",)))
    # The corrected actor, whom no article named.
    assert list(kept["name"]) == [ARAB_SUMMIT]
