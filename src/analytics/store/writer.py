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

import datetime as dt
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Self

import duckdb

from analytics.errors import StoreError
from analytics.model import Article, Extraction
from analytics.store import files
from analytics.store.rows import Fingerprint, Rows, fingerprint
from analytics.store.schema import SCHEMA_VERSION, create_statements
from analytics.store.snapshot import open_snapshot

# Tables a batch loads, in order; the article's rows in the others are deleted first.
_LOADED = ("articles", "mentions", "events", "event_actors", "event_about", "event_sources")


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
                    f"{SCHEMA_VERSION}). Rebuild it from the articles it holds: "
                    f"analytics ingest --rebuild --db {path}  (or delete it and ingest your "
                    f"files again)")
        super().__init__(f"{path} {what}")


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
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    found = int(row[0]) if row and str(row[0]).isdigit() else None
    if found != SCHEMA_VERSION:
        raise SchemaMismatch(path, found)
    return found


def _connect(path: Path) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(path))
    except duckdb.Error as exc:
        raise StoreError(f"{path}: cannot open it as a DuckDB database ({exc}); pass another "
                         f"--db, or move this file away") from None


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Writer:
    """One writing session (a context manager). Holds the writer lock from enter to exit.

    `fresh=True` starts from an empty store instead of a copy (a rebuild): the store is replaced
    as a whole when the session publishes. `force=True` rewrites unchanged articles too (after
    an upgrade of the extractor).
    """

    def __init__(self, path: Path, *, fresh: bool = False, force: bool = False,
                 publish_every: float = 30.0, on_wait: Callable[[], None] | None = None,
                 lock_timeout: float | None = None) -> None:
        self.path = path
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
        self.path.parent.mkdir(parents=True, exist_ok=True)
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
            if self._dirty and self._con is not None:
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
            if replaced:
                self._delete_articles(con, replaced)
            for table in _LOADED:
                self._insert(con, table, rows)
            con.register("batch_places", rows.arrow("places"))
            con.execute("INSERT INTO places SELECT * FROM batch_places b "
                        "WHERE NOT EXISTS (SELECT 1 FROM places p WHERE p.id = b.id)")
            con.unregister("batch_places")
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
    def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: Rows) -> None:
        name = f"batch_{table}"
        con.register(name, rows.arrow(table))
        try:
            con.execute(f"INSERT INTO {table} SELECT * FROM {name}")
        finally:
            con.unregister(name)

    @staticmethod
    def _delete_articles(con: duckdb.DuckDBPyConnection, ids: list[str]) -> None:
        con.execute("CREATE OR REPLACE TEMP TABLE replaced_ids AS SELECT unnest(?) AS id", [ids])
        con.execute("CREATE OR REPLACE TEMP TABLE replaced_events AS "
                    "SELECT id FROM events WHERE article_id IN (SELECT id FROM replaced_ids)")
        for table in ("event_actors", "event_about", "event_sources"):
            con.execute(f"DELETE FROM {table} WHERE event_id IN (SELECT id FROM replaced_events)")
        for table in ("events", "mentions"):
            con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT id FROM replaced_ids)")
        con.execute("DELETE FROM articles WHERE id IN (SELECT id FROM replaced_ids)")

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
