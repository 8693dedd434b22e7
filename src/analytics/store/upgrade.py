"""Upgrading a store written under an older schema, without extracting its articles again.

Input: the store's path. Output: the same store at `SCHEMA_VERSION`, published as the writer
publishes (under the writer lock, into a working copy, swapped in whole): a reader sees the old
store or the upgraded one, and an upgrade killed halfway leaves the old one. A schema change
whose new columns can be computed from what the store holds gets a step here; one that needs
the articles read again has none, and `analytics ingest --rebuild` is the way. A store of the
current schema that lacks some of the lookup indexes (`analytics.store.schema.INDEXES`: it was
written before they existed) gets them, published the same way.

    upgrade(Path("data/analytics.duckdb"))   # -> [5, 6]: the versions it went through
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb

from analytics.errors import StoreError
from analytics.store import files
from analytics.store.schema import INDEXES, SCHEMA_VERSION, index_statements
from analytics.store.snapshot import open_snapshot
from analytics.store.writer import recorded_schema_version


def _names_and_outlets(con: duckdb.DuckDBPyConnection) -> None:
    """4 -> 5: events.actor_names, persons, organizations, from event_actors (what
    `analytics.store.rows.actor_names` writes for a new event: distinct, sorted, no empty
    name; an event without actors gets empty lists), and events.outlets, the distinct sources
    of its articles, sorted."""
    for column in ("actor_names", "persons", "organizations"):
        con.execute(f"ALTER TABLE events ADD COLUMN {column} VARCHAR[] DEFAULT []")
    con.execute("""
        UPDATE events SET actor_names = n.actor_names, persons = n.persons,
                          organizations = n.organizations
        FROM (SELECT event_id,
                     list_sort(list_distinct(list(name_ar))) AS actor_names,
                     -- A filtered list() of no rows is NULL, not []: coalesced.
                     coalesce(list_sort(list_distinct(list(name_ar) FILTER (kind = 'person'))),
                              []) AS persons,
                     coalesce(list_sort(list_distinct(list(name_ar)
                                                      FILTER (kind = 'organization'))),
                              []) AS organizations
              FROM event_actors WHERE name_ar IS NOT NULL AND name_ar <> ''
              GROUP BY event_id) n
        WHERE n.event_id = events.id""")
    con.execute("ALTER TABLE events ADD COLUMN outlets VARCHAR[] DEFAULT []")
    con.execute("""
        UPDATE events SET outlets = o.outlets
        FROM (SELECT s.event_id, list_sort(list_distinct(list(ar.source))) AS outlets
              FROM event_sources s JOIN articles ar ON ar.id = s.article_id
              WHERE ar.source IS NOT NULL AND trim(ar.source) <> ''
              GROUP BY s.event_id) o
        WHERE o.event_id = events.id""")
    for column in ("actor_names", "persons", "organizations", "outlets"):
        con.execute(f"ALTER TABLE events ALTER COLUMN {column} DROP DEFAULT")


def _shown_actors_and_articles(con: duckdb.DuckDBPyConnection) -> None:
    """5 -> 6: events.actors_ar and actors_en from event_actors, in position order (what
    `analytics.store.rows` writes for a new event: no missing or empty name; the English name,
    else the Arabic one), and events.article_ids, the distinct article ids of event_sources,
    sorted. An event without actors or sources gets empty lists."""
    for column in ("actors_ar", "actors_en", "article_ids"):
        con.execute(f"ALTER TABLE events ADD COLUMN {column} VARCHAR[] DEFAULT []")
    con.execute("""
        UPDATE events SET actors_ar = coalesce(n.actors_ar, []),
                          actors_en = coalesce(n.actors_en, [])
        FROM (SELECT event_id,
                     list(name_ar ORDER BY position) FILTER (coalesce(name_ar, '') <> '')
                       AS actors_ar,
                     list(coalesce(nullif(name_en, ''), name_ar) ORDER BY position)
                       FILTER (coalesce(nullif(name_en, ''), name_ar, '') <> '') AS actors_en
              FROM event_actors GROUP BY event_id) n
        WHERE n.event_id = events.id""")
    con.execute("""
        UPDATE events SET article_ids = s.article_ids
        FROM (SELECT event_id, list_sort(list_distinct(list(article_id))) AS article_ids
              FROM event_sources GROUP BY event_id) s
        WHERE s.event_id = events.id""")
    for column in ("actors_ar", "actors_en", "article_ids"):
        con.execute(f"ALTER TABLE events ALTER COLUMN {column} DROP DEFAULT")


# The step from each version to the next; a version missing here cannot be upgraded.
STEPS: dict[int, Callable[[duckdb.DuckDBPyConnection], None]] = {
    4: _names_and_outlets, 5: _shown_actors_and_articles}


def upgradable(version: int | None) -> bool:
    """Whether a store of schema `version` can be upgraded here (not rebuilt)."""
    return version is not None and version < SCHEMA_VERSION and all(
        v in STEPS for v in range(version, SCHEMA_VERSION))


def stored_version(path: Path) -> int | None:
    """The schema version the store at `path` records (None when it records none)."""
    con, _ = open_snapshot(path)
    try:
        return recorded_schema_version(con)
    except duckdb.CatalogException:
        return None
    finally:
        con.close()


def missing_indexes(path: Path) -> list[str]:
    """The names of the lookup indexes (`INDEXES`) the store at `path` lacks."""
    con, _ = open_snapshot(path)
    try:
        return _missing(con)
    finally:
        con.close()


def _missing(con: duckdb.DuckDBPyConnection) -> list[str]:
    have = set(_index_names(con))
    return [i.name for i in INDEXES if i.name not in have]


def _drop_indexes(con: duckdb.DuckDBPyConnection) -> None:
    """DuckDB refuses to ALTER a table that has an index: the steps run without them, and
    they are made again afterwards."""
    for name in _index_names(con):
        con.execute(f'DROP INDEX "{name}"')


def _index_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT index_name FROM duckdb_indexes() WHERE database_name = current_database()"
    ).fetchall()]


def upgrade(path: Path) -> list[int]:
    """Upgrade the store at `path` to `SCHEMA_VERSION`; returns the versions it reached, one
    per step ([] when it was already current). Raises StoreError, saying what to do, when
    the store is missing, newer than this version, or too old to upgrade."""
    path = Path(path)
    if not path.exists():
        raise StoreError(f"{path}: no store there; give --db the store's path")
    lock = files.WriterLock(path)
    lock.acquire()
    try:
        files.remove_stale_copies(path)
        found = stored_version(path)
        if found == SCHEMA_VERSION and not missing_indexes(path):
            return []
        if found != SCHEMA_VERSION and not upgradable(found):
            raise StoreError(
                f"{path}: store schema {found} cannot be upgraded to {SCHEMA_VERSION} in "
                f"place; rebuild it from the articles it holds: analytics ingest --rebuild "
                f"--db {path}")
        copy = files.working_copy_path(path)
        files.copy_store(path, copy)
        try:
            con = duckdb.connect(str(copy))
            try:
                reached = []
                if found != SCHEMA_VERSION:
                    _drop_indexes(con)
                for version in range(found, SCHEMA_VERSION):
                    con.execute("BEGIN TRANSACTION")
                    STEPS[version](con)
                    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'",
                                [str(version + 1)])
                    con.execute("COMMIT")
                    reached.append(version + 1)
                for statement in index_statements():
                    con.execute(statement)
                con.execute("CHECKPOINT")
            finally:
                con.close()
            files.publish(copy, path)
        finally:
            copy.unlink(missing_ok=True)
            copy.with_name(copy.name + ".wal").unlink(missing_ok=True)
        return reached
    finally:
        lock.release()
