"""Writing the store: a session that holds the writer lock, writes batches of extractions into a
private working copy, and publishes the copy atomically.

Input: batches of `Extraction` values. Output: a new store file swapped in with `os.replace`
(see `analytics.store.files`), and an `IngestSummary`.

Why a working copy, and how often it is published. DuckDB lets one process write a file and no
other process open it meanwhile, so writing the store in place would lock every dashboard out
for the length of an ingest. Instead the writer copies the store, writes the copy, checkpoints
and closes it, and renames it over the store; readers keep reading the file they opened and see
the new one on their next query. A killed writer leaves the store as it was (each article old or
new, never partial) and a stale copy the next writer removes. The price is one copy of the store
per publish. Measured (the `slow` test `test_a_million_event_store_answers_...` in
tests/test_store_concurrency.py): a store of a million events, 500,000 articles and five million
mentions is about 460 MB and copies in 0.2-0.4 s (from the page cache; a cold disk reads it at
its own speed, and file systems that share blocks copy it in milliseconds); an ingest of one
article into it takes about 0.4 s in all. So a session publishes when it ends and, in a long
run, at most every `publish_every` seconds and never sooner than ten copy-times after the last
publish: copies cost at most about a tenth of the run, and the dashboard sees a long ingest's
progress within a minute. Batching instead (one copy per run, published at the end) would hide
a long run's progress; writing in place would lock the dashboard out. Within the copy,
each batch of articles is one transaction, so a publish never splits an article.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import json
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Self

import duckdb

from analytics.errors import StoreError
from analytics.model import Article, Extraction
from analytics.store import files, resolution
from analytics.store.corrections import Correction, check, correction_id
from analytics.store.rows import Fingerprint, Rows, fingerprint
from analytics.store.schema import (
    ARTICLE_TABLES,
    SCHEMA_VERSION,
    TABLE,
    create_statements,
    index_statements,
)
from analytics.store.snapshot import open_snapshot


@dataclass(frozen=True)
class IngestSummary:
    """What an ingest did, in articles. `stored` counts articles new to the store; `replaced`
    those whose text or metadata changed; `unchanged` those skipped as already stored;
    `failed` those that could not be read or extracted (counted by the caller)."""
    read: int = 0
    stored: int = 0
    replaced: int = 0
    unchanged: int = 0
    failed: int = 0

    def line(self) -> str:
        return (f"read {self.read}, stored {self.stored}, replaced {self.replaced}, "
                f"skipped {self.unchanged} unchanged, failed {self.failed}")


class SchemaMismatch(StoreError):
    """The store was written under another schema version: never read as this one."""

    def __init__(self, path: Path, found: int | None) -> None:
        self.path = path
        self.found = found
        if found is not None and found > SCHEMA_VERSION:
            what = (f"was written by a newer analytics (store schema {found}; this version "
                    f"reads {SCHEMA_VERSION}). Upgrade analytics, or rebuild it with this "
                    f"version: analytics ingest --rebuild --db {path}")
        else:
            written = f"store schema {found}" if found is not None else "no schema version"
            what = (f"was written by an older analytics ({written}; this version reads "
                    f"{SCHEMA_VERSION}). Upgrade it: analytics upgrade --db {path}  (a "
                    f"store too old for that says so; then rebuild it from the articles it "
                    f"holds: analytics ingest --rebuild --db {path}, or delete it and ingest "
                    f"your files again)")
        super().__init__(f"{path} {what}")


def recorded_schema_version(con: duckdb.DuckDBPyConnection) -> int | None:
    """The schema version the `meta` table of the store `con` uses records (None when it
    records none); raises duckdb.CatalogException when there is no `meta` table."""
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row and str(row[0]).isdigit() else None


def stored_schema_version(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    """The schema version recorded in the store `con` uses (its current catalog); raises
    SchemaMismatch when it is not this one."""
    tables = {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_catalog = current_database()").fetchall()}
    if "meta" not in tables:
        if "articles" in tables:
            raise SchemaMismatch(path, None)
        raise StoreError(f"{path} is a DuckDB file but not an analytics store (no meta table); "
                         f"pass another --db, or move this file away")
    found = recorded_schema_version(con)
    if found != SCHEMA_VERSION:
        raise SchemaMismatch(path, found)
    return found


def _connect(path: Path) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(path))
    except duckdb.Error as exc:
        raise StoreError(f"{path}: cannot open it as a DuckDB database ({exc}); pass another "
                         f"--db, or move this file away") from None


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for the block. A batch allocates tens of thousands
    of small objects (the stored clusters it may join, their keys and rows) and frees them
    all by reference counting when it ends: none form cycles. With the collector on, those
    allocations set off full collections that walk every live object of the process. Appending
    2,560 articles to a store of 837,000 events, alternating: 9.8 -> 5.6 ms an article while
    the machine was busy (walking a large heap suffers most from a contended memory bus), 5.7
    -> 5.4 while it was quiet. A cycle made meanwhile is collected once it is back on."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Writer:
    """One writing session (a context manager). Holds the writer lock from enter to exit.

    `fresh=True` starts from an empty store instead of a copy (a rebuild): the store is replaced
    as a whole when the session publishes. `force=True` rewrites unchanged articles too (after
    an upgrade of the extractor). `atomic=True` publishes nothing when the session ends in an
    exception (a bulk load that must land whole or not at all); by default the batches
    completed before it are published.
    """

    def __init__(self, path: Path, *, fresh: bool = False, force: bool = False,
                 publish_every: float = 30.0, on_wait: Callable[[], None] | None = None,
                 lock_timeout: float | None = None, atomic: bool = False) -> None:
        self.path = path
        self.atomic = atomic
        self.force = force
        # A rebuild publishes once, at the end: until then readers keep the complete old store.
        self.publish_every = float("inf") if fresh else publish_every
        self._start_empty = fresh
        self._on_wait = on_wait
        self._lock_timeout = lock_timeout
        self._lock = files.WriterLock(path)
        self._con: duckdb.DuckDBPyConnection | None = None
        self._copy: Path | None = None
        self._dirty = False
        self._last_publish = time.monotonic()
        self._copy_seconds = 0.0
        self._counts = {"read": 0, "stored": 0, "replaced": 0, "unchanged": 0}

    # -- session ---------------------------------------------------------------------------

    def __enter__(self) -> Self:
        self._lock.acquire(self._on_wait, self._lock_timeout)
        try:
            files.remove_stale_copies(self.path)
            if self._start_empty or not self.path.exists():
                self._start_copy()  # creates an empty store now, so that it gets published
                self._dirty = True
        except BaseException:
            self._discard()
            self._lock.release()
            raise
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            # Every committed batch is whole, so what was written before an interruption is
            # published too; a failed batch was rolled back and is not in the copy.
            if self._dirty and self._con is not None and not (self.atomic and exc_type):
                self.publish()
        finally:
            self._discard()
            self._lock.release()

    @property
    def summary(self) -> IngestSummary:
        return IngestSummary(**self._counts)

    # -- writing ---------------------------------------------------------------------------

    def unchanged(self, articles: Sequence[Article]) -> set[str]:
        """Ids of these articles that the store already holds with the same fingerprint
        (counted as unchanged; the caller need not extract them). Empty with `force`."""
        if self.force or not articles:
            return set()
        stored = self._fingerprints([a.id for a in articles])
        same = {a.id for a in articles if stored.get(a.id) == fingerprint(a)}
        self._counts["read"] += len(same)
        self._counts["unchanged"] += len(same)
        return same

    def write(self, extractions: Iterable[Extraction]) -> None:
        """Store a batch of extractions in one transaction: new articles are added, changed
        ones replace all their rows, unchanged ones are left alone. An id repeated in the batch
        is written in order (the later one wins)."""
        batch: list[Extraction] = []
        ids: set[str] = set()
        for x in extractions:
            if x.article.id in ids:
                self._write_batch(batch)
                batch, ids = [], set()
            batch.append(x)
            ids.add(x.article.id)
        self._write_batch(batch)
        self._maybe_publish()

    def _write_batch(self, batch: list[Extraction]) -> None:
        if not batch:
            return
        with _collector_paused():
            self._write_rows(batch)

    def _write_rows(self, batch: list[Extraction]) -> None:
        stored = self._fingerprints([x.article.id for x in batch])
        now = _utc_now()
        rows = Rows()
        replaced: list[str] = []
        for x in batch:
            self._counts["read"] += 1
            old = stored.get(x.article.id)
            if old is not None and old == fingerprint(x.article) and not self.force:
                self._counts["unchanged"] += 1
                continue
            rows.add(x, now)
            if old is not None:
                replaced.append(x.article.id)
        if not len(rows):
            return
        con = self._connection()
        con.execute("BEGIN TRANSACTION")
        try:
            stale: set[str] = set()
            touched: set[str] = set()
            if replaced:
                stale, touched = self._delete_articles(con, replaced)
            # The article's own rows; the resolved tables are rebuilt after, by `resolution`.
            for table in ARTICLE_TABLES:
                resolution.insert(con, table, rows)
            touched |= resolution.attach(con, rows.keys)
            resolution.refresh(con, touched, stale)
            with resolution.registered(con, "batch_places", rows.arrow("places")):
                con.execute("INSERT INTO places SELECT * FROM batch_places b "
                            "WHERE NOT EXISTS (SELECT 1 FROM places p WHERE p.id = b.id)")
            con.execute("DELETE FROM meta WHERE key = 'last_ingest_at'")
            con.execute("INSERT INTO meta VALUES ('last_ingest_at', ?)",
                        [now.isoformat(timespec="seconds")])
            con.execute("COMMIT")
        except duckdb.Error as exc:
            con.execute("ROLLBACK")
            first = batch[0].article.id
            raise StoreError(f"{self.path}: writing a batch of {len(batch)} articles from "
                             f"{first!r} failed ({exc}); the store is unchanged for them") from None
        self._counts["replaced"] += len(replaced)
        self._counts["stored"] += len(rows) - len(replaced)
        self._dirty = True

    @staticmethod
    def _delete_articles(con: duckdb.DuckDBPyConnection, ids: list[str]
                         ) -> tuple[set[str], set[str]]:
        """Delete these articles' own rows; returns the resolved events they were sources of
        and the clusters their events were in (both to be rebuilt)."""
        con.execute("CREATE OR REPLACE TEMP TABLE replaced_ids AS SELECT unnest(?) AS id", [ids])
        stale = {r[0] for r in con.execute(
            "SELECT DISTINCT event_id FROM event_sources "
            "WHERE article_id IN (SELECT id FROM replaced_ids)").fetchall()}
        touched = {r[0] for r in con.execute(
            "SELECT DISTINCT cluster_id FROM article_events "
            "WHERE article_id IN (SELECT id FROM replaced_ids)").fetchall()}
        con.execute("DELETE FROM match_keys WHERE article_event_id IN (SELECT id FROM "
                    "article_events WHERE article_id IN (SELECT id FROM replaced_ids))")
        for table in ("article_events", "mentions"):
            con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT id FROM replaced_ids)")
        con.execute("DELETE FROM articles WHERE id IN (SELECT id FROM replaced_ids)")
        return stale, touched

    # -- corrections -----------------------------------------------------------------------

    def correct(self, action: str, event_id: str | None = None, *, field: str | None = None,
                value: object = None, author: str | None = None, reason: str | None = None,
                other_event_id: str | None = None, moved: Sequence[str] = (),
                undoes: str | None = None) -> Correction:
        """Record one analyst's correction (append-only) and apply it at once.

        `event_id` is a resolved event's id as the analyst saw it; its current sources are
        recorded with the correction (they are what it follows from then on). `merge` joins
        `other_event_id` into it; `split` moves the article events `moved` (ids from
        `event_sources.article_event_id`) into an event of their own; `undo` takes back the
        correction `undoes`. Runs under the writer lock: two analysts correcting at once are
        applied one after the other and neither loses a change."""
        con = self._connection()
        members = self._members(con, event_id) if event_id else ()
        other: tuple[str, ...] = ()
        previous = None
        if action == "merge":
            if not other_event_id:
                raise StoreError("a merge needs the id of the event to merge into this one")
            other = self._members(con, other_event_id)
        elif action == "split":
            other = tuple(m for m in moved if m in members)
            if not other or len(other) == len(members):
                raise StoreError(f"event {event_id}: a split moves some of its sources, not "
                                 f"none or all (choose among {', '.join(members)})")
        elif action == "set" and event_id:
            previous = self._current(con, event_id, field)
        elif action == "undo":
            row = con.execute("SELECT event_id, members, other_members FROM corrections "
                              "WHERE id = ?", [undoes]).fetchone()
            if row is None:
                raise StoreError(f"{self.path}: there is no correction {undoes!r} to undo")
            event_id, members, other = row[0], tuple(row[1] or ()), tuple(row[2] or ())
        now = _utc_now()
        c = Correction(id=correction_id(now, author, action, event_id, field, value,
                                        undoes or ""),
                       made_at=now, author=(author or "").strip() or None,
                       reason=(reason or "").strip() or None, action=action, event_id=event_id,
                       members=tuple(members), field=field, value=value, previous=previous,
                       other_members=other, undoes=undoes)
        check(c)
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute("INSERT INTO corrections VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
                c.id, c.made_at, c.author, c.reason, c.action, c.event_id, list(c.members),
                c.field, None if c.value is None else json.dumps(c.value, ensure_ascii=False),
                None if c.previous is None else json.dumps(c.previous, ensure_ascii=False,
                                                           default=str),
                list(c.other_members), c.undoes])
            named = [*c.members, *c.other_members]
            touched = {r[0] for r in con.execute(
                "SELECT DISTINCT cluster_id FROM article_events WHERE id IN (SELECT unnest(?))",
                [named]).fetchall()}
            resolution.refresh(con, touched, {event_id} if event_id else set())
            con.execute("COMMIT")
        except duckdb.Error as exc:
            con.execute("ROLLBACK")
            raise StoreError(f"{self.path}: recording correction {c.id} failed ({exc}); the "
                             f"store is unchanged") from None
        self._dirty = True
        return c

    def _members(self, con: duckdb.DuckDBPyConnection, event_id: str) -> tuple[str, ...]:
        rows = con.execute("SELECT article_event_id FROM event_sources WHERE event_id = ? "
                           "ORDER BY article_event_id", [event_id]).fetchall()
        if not rows:
            raise StoreError(f"{self.path}: no event {event_id!r} (another analyst may have "
                             f"merged, split or rejected it meanwhile); reload and try again")
        return tuple(r[0] for r in rows)

    @staticmethod
    def _current(con: duckdb.DuckDBPyConnection, event_id: str, field: str | None) -> object:
        """The value of `field` the analyst is replacing, kept with the correction."""
        if field == "actors":
            return [dict(zip(("name_ar", "name_en", "kind", "title"), r, strict=True))
                    for r in con.execute("SELECT name_ar, name_en, kind, title FROM event_actors"
                                         " WHERE event_id = ? ORDER BY position",
                                         [event_id]).fetchall()]
        column = {"start": "start_date", "end": "end_date", "venue": "venue_name_ar"}.get(
            field or "", field)
        if column not in {"type", "name", "start_date", "end_date", "status", "venue_name_ar",
                          "themes", "participants"}:
            return None
        row = con.execute(f"SELECT {column} FROM events WHERE id = ?", [event_id]).fetchone()
        if row is None:
            return None
        value = row[0]
        return value.isoformat() if isinstance(value, dt.date) else value

    def _fingerprints(self, ids: list[str]) -> dict[str, Fingerprint]:
        sql = ("SELECT id, text_hash, published, title, source, url FROM articles "
               "WHERE id IN (SELECT unnest(?))")
        if self._con is not None:
            rows = self._con.execute(sql, [ids]).fetchall()
        else:
            # No working copy yet: read the published store (it cannot change while we hold
            # the lock), so that a run of unchanged articles copies nothing.
            con, _ = open_snapshot(self.path)
            try:
                stored_schema_version(con, self.path)
                rows = con.execute(sql, [ids]).fetchall()
            finally:
                con.close()
        return {r[0]: tuple(r[1:]) for r in rows}

    # -- the working copy ------------------------------------------------------------------

    def _connection(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            self._start_copy()
        assert self._con is not None
        return self._con

    def _start_copy(self) -> None:
        copy = files.working_copy_path(self.path)
        self._copy = copy
        if self._start_empty or not self.path.exists():
            self._con = _connect(copy)
            self._create(self._con)
            if self.path.exists():
                self._carry_corrections(self._con)
            self._start_empty = False  # later copies in this session start from its publish
            return
        try:
            self._copy_seconds = files.copy_store(self.path, copy)
        except OSError as exc:
            raise StoreError(f"{copy}: cannot copy the store beside itself to write it "
                             f"({exc.strerror}); free disk space (the copy needs as much as "
                             f"{self.path} takes) and try again") from None
        self._con = _connect(copy)
        stored_schema_version(self._con, self.path)

    def _carry_corrections(self, con: duckdb.DuckDBPyConnection) -> None:
        """A rebuild starts from an empty store but keeps the analysts' corrections: they are
        applied again as the articles they concern are re-extracted."""
        old, _ = open_snapshot(self.path)
        try:
            have = {r[0] for r in old.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_catalog = current_database() AND table_name = 'corrections'"
            ).fetchall()}
            if not have:
                return
            table = TABLE["corrections"]
            wanted = [c for c in table.column_names if c in have]
            rows = old.sql(f"SELECT {', '.join(wanted)} FROM corrections").to_arrow_table()
        finally:
            old.close()
        with resolution.registered(con, "old_corrections", rows):
            con.execute(f"INSERT INTO corrections ({', '.join(wanted)}) "
                        f"SELECT {', '.join(wanted)} FROM old_corrections")

    @staticmethod
    def _create(con: duckdb.DuckDBPyConnection) -> None:
        con.execute("BEGIN TRANSACTION")
        for statement in create_statements():
            con.execute(statement)
        con.execute("INSERT INTO meta VALUES ('schema_version', ?), ('created_at', ?)",
                    [str(SCHEMA_VERSION), _utc_now().isoformat(timespec="seconds")])
        con.execute("COMMIT")

    def _maybe_publish(self) -> None:
        waited = time.monotonic() - self._last_publish
        if self._dirty and waited >= max(self.publish_every, 10 * self._copy_seconds):
            self.publish()

    def publish(self) -> None:
        """Swap the working copy in; the next write starts a new copy."""
        if self._con is None or self._copy is None:
            return
        try:
            # A store written before the indexes existed gets them at its next publish; the
            # rest of the time these are no-ops.
            for statement in index_statements():
                self._con.execute(statement)
            self._con.execute("CHECKPOINT")
            self._con.close()
        except duckdb.Error as exc:
            raise StoreError(f"{self._copy}: closing the working copy failed ({exc}); the "
                             f"store at {self.path} is unchanged") from None
        self._con = None
        try:
            files.publish(self._copy, self.path)
        except OSError as exc:
            raise StoreError(f"{self._copy}: cannot swap it in as {self.path} "
                             f"({exc.strerror}); the store is unchanged") from None
        self._copy = None
        self._dirty = False
        self._last_publish = time.monotonic()

    def _discard(self) -> None:
        if self._con is not None:
            try:
                self._con.close()
            except duckdb.Error:
                pass  # the copy is deleted next; nothing in it matters any more
            self._con = None
        if self._copy is not None:
            self._copy.unlink(missing_ok=True)
            self._copy.with_name(self._copy.name + ".wal").unlink(missing_ok=True)
            self._copy = None
