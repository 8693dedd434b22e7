"""The one place that runs SQL against the store: `Store`.

Input: the store's path and SQL from the queries layer (or extractions, through a `Writer`).
Output: pandas DataFrames (whole, or in chunks for results too large to hold), the `events`
command's records, and ingest summaries.

Reading: a Store keeps one read-only snapshot (`analytics.store.snapshot`) and, before each
query, compares the file's identity (inode, mtime, size) with the one it opened: when a writer
has swapped a new file in, the next query opens it. Queries therefore never wait for a writer
and never see part of one. Each query runs on its own cursor, so one Store can serve the
threads of many dashboard sessions. The only lock a reader can meet is one taken by a program
that opened the file itself for writing (a DuckDB shell, say); reads retry for `retry_seconds`
and then say what to close.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self, TypeVar

import duckdb

from analytics.errors import StoreError
from analytics.model import Article, Extraction
from analytics.store import files, search
from analytics.store.corrections import Correction
from analytics.store.snapshot import CATALOG, Locked, open_snapshot
from analytics.store.writer import IngestSummary, Writer, stored_schema_version

if TYPE_CHECKING:
    import pandas as pd  # DuckDB imports it when a DataFrame is asked for; the CLI never does

T = TypeVar("T")


def default_db() -> Path:
    """$ANALYTICS_DB if set, else data/analytics.duckdb under the working directory (the
    repository's root when run with `make run`)."""
    return Path(os.environ.get("ANALYTICS_DB") or Path("data") / "analytics.duckdb")


def batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


_EVENTS_SQL = f"""
WITH actors AS (
    SELECT event_id, list(struct_pack(name_ar := name_ar, name_en := name_en, kind := kind,
                                      title := title) ORDER BY position) AS actors
    FROM {CATALOG}.event_actors GROUP BY event_id
), sources AS (
    SELECT event_id, list(struct_pack(article_id := article_id, evidence := evidence,
                                      published := published, claim := claim)
                          ORDER BY published NULLS LAST, article_id, article_event_id)
                     AS sources
    FROM {CATALOG}.event_sources GROUP BY event_id
)
SELECT e.id, e.article_id, e.type, e.name, e.start_date, e.end_date, e.status,
       e.venue_name_ar, e.venue_name_en, e.venue_country, e.venue_lat, e.venue_lon,
       e.participants, a.actors, e.themes, e.confidence, s.sources, e.n_sources,
       e.corrected_fields, e.conflicts
FROM {CATALOG}.events e
JOIN {CATALOG}.articles ar ON ar.id = e.article_id
LEFT JOIN actors a ON a.event_id = e.id
LEFT JOIN sources s ON s.event_id = e.id
{{where}}
ORDER BY ar.published NULLS LAST, e.article_id, e.position, e.id
"""


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def event_record(row: tuple) -> dict[str, Any]:
    """A row of _EVENTS_SQL as the contract's event plus `id`, `n_sources`, `sources` (each
    {"article_id", "published", "evidence", "claim"}: what that article said of the event),
    `corrected_fields` and `conflicts`."""
    (event_id, article_id, type_, name, start, end, status, venue_ar, venue_en, country, lat,
     lon, participants, actors, themes, confidence, sources, n_sources, corrected,
     conflicts) = row
    sources = [{"article_id": s["article_id"], "published": _iso(s["published"]),
                "evidence": list(s["evidence"] or []),
                "claim": json.loads(s["claim"]) if s["claim"] else None}
               for s in (sources or [])]
    evidence = next((s["evidence"] for s in sources if s["article_id"] == article_id), [])
    venue = None
    if venue_ar is not None:
        venue = {"name_ar": venue_ar, "name_en": venue_en, "country": country, "lat": lat,
                 "lon": lon}
    return {
        "id": event_id, "type": type_, "name": name, "start": _iso(start), "end": _iso(end),
        "status": status, "venue": venue, "participants": participants,
        "actors": [dict(a) for a in (actors or [])], "themes": list(themes or []),
        "evidence": evidence,
        "confidence": round(confidence, 2) if confidence is not None else None,
        "n_sources": n_sources, "sources": sources,
        "corrected_fields": list(corrected or []), "conflicts": list(conflicts or []),
    }


class Store:
    """The embedded store. `Store.open(path)` creates it when missing (unless read-only);
    use it as a context manager or call `close()`."""

    def __init__(self, path: Path, *, read_only: bool, retry_seconds: float) -> None:
        self.path = path
        self.read_only = read_only
        self.retry_seconds = retry_seconds
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._identity: tuple[int, int, int, int] | None = None
        # The searches whose hits the current snapshot holds (`analytics.store.search`), each
        # with the number of events found: a new dict with each snapshot, handed to the
        # cursors opened on it.
        self._searched: dict[str, int] = {}
        self._search_lock = threading.Lock()

    @classmethod
    def open(cls, path: str | Path | None = None, *, read_only: bool = False,
             retry_seconds: float = 10.0) -> Store:
        """Open the store at `path` (default: `default_db()`). Raises StoreError when it is
        missing and `read_only`, when it is not a store, or when it was written under another
        schema version (SchemaMismatch, saying how to rebuild it)."""
        store = cls(Path(path) if path is not None else default_db(), read_only=read_only,
                    retry_seconds=retry_seconds)
        if not read_only and not store.path.exists():
            with store.writing():
                pass  # creates an empty store and publishes it
        store._read(lambda cur: None)  # fail now, not at the first query
        return store

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        mode = "read-only" if self.read_only else "read-write"
        return f"Store({str(self.path)!r}, {mode})"

    def close(self) -> None:
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None
                self._identity = None

    # -- reading ---------------------------------------------------------------------------

    def query(self, sql: str, params: list | dict | None = None) -> pd.DataFrame:
        """Run one read-only SQL statement; tables are named without a prefix (`events`,
        `articles`, ...). Waits out a foreign write lock for up to `retry_seconds`."""
        def run(cur: duckdb.DuckDBPyConnection) -> pd.DataFrame:
            return cur.execute(sql, params).df()
        return self._read(run, sql)

    def query_chunks(self, sql: str, params: list | dict | None = None, *,
                     rows: int = 40_960) -> Iterator[pd.DataFrame]:
        """`Snapshot.query_chunks` on the store as it is now."""
        with self.snapshot() as snapshot:
            yield from snapshot.query_chunks(sql, params, rows=rows)

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[Snapshot]:
        """The store as it is now, for several statements that must read the same version
        (a download read in slices): a writer publishing meanwhile is seen by the next
        `Store.query`, not by them."""
        cur, searched = self._read_on(lambda c, found: (c, found), close=False)
        try:
            yield Snapshot(cur, self.path, lambda sql: self._prepare(cur, searched, sql))
        finally:
            cur.close()

    def events(self, *, article_ids: Sequence[str] | None = None,
               chunk: int = 2000) -> Iterator[dict[str, Any]]:
        """The resolved events, corrections applied, each as the contract's event plus `id`,
        `n_sources`, `sources` (every article that reported it, with its evidence and claim),
        `corrected_fields` and `conflicts`; ordered by the leading source's publication date,
        article and position. `article_ids` keeps the events those articles report.
        Streams: all rows come from one snapshot, even if a writer publishes meanwhile."""
        where, params = "", []
        if article_ids is not None:
            where = (f"WHERE e.id IN (SELECT event_id FROM {CATALOG}.event_sources "
                     f"WHERE article_id IN (SELECT unnest(?)))")
            params = [list(article_ids)]
        sql = _EVENTS_SQL.format(where=where)
        cur = self._read(lambda c: c, sql, close=False)
        try:
            cur.execute(sql, params)
            while rows := cur.fetchmany(chunk):
                for row in rows:
                    yield event_record(row)
        except duckdb.Error as exc:
            raise StoreError(f"{self.path}: reading events failed ({exc})") from None
        finally:
            cur.close()

    def version(self) -> str:
        """A cheap token that changes whenever a writer publishes a new store file (its
        identity: device, inode, modification time, size): the key a dashboard caches query
        results under, so that new data shows after the next rerun. No SQL is run."""
        identity = files.file_identity(self.path)
        return "-".join(map(str, identity)) if identity else "missing"

    def counts(self) -> dict[str, int]:
        """Rows per table: what the ingest summary and `doctor` report."""
        tables = ("articles", "events", "mentions", "places")
        sql = "SELECT " + ", ".join(f"(SELECT count(*) FROM {t})" for t in tables)
        row = self._read(lambda cur: cur.execute(sql).fetchone(), sql)
        return dict(zip(tables, row, strict=True))

    def _cursor(self) -> tuple[duckdb.DuckDBPyConnection, dict[str, int]]:
        """A cursor on the current snapshot, and the searches that snapshot holds."""
        identity = files.file_identity(self.path)
        with self._lock:
            if self._con is None or identity != self._identity:
                con, opened = open_snapshot(self.path)
                try:
                    stored_schema_version(con, self.path)
                except BaseException:
                    con.close()
                    raise
                # The old snapshot is dropped, not closed: other threads may still be reading
                # it through their cursors; it goes away with its last cursor.
                self._con, self._identity, self._searched = con, opened, {}
            cur = self._con.cursor()
            searched = self._searched
        cur.execute(f"USE {CATALOG}")
        return cur, searched

    def forget_searches(self) -> None:
        """Drop the hits of the searches the current snapshot keeps: the next query under a
        search runs its substring test again, as after a store version is published. For
        timing a new search (bench/store.py); not while other threads query this Store."""
        with self._search_lock:
            cur, searched = self._cursor()
            try:
                for key in searched:
                    cur.execute(f"DROP TABLE IF EXISTS {search.hits_table(key)}")
                searched.clear()
            finally:
                cur.close()

    def _prepare(self, cur: duckdb.DuckDBPyConnection, searched: dict[str, int],
                 sql: str) -> None:
        """Make the hits of the searches `sql` reads in the snapshot of `cur` (whose searches
        are `searched`), once per snapshot (`analytics.store.search`)."""
        keys = search.keys_in(sql)
        if not keys or searched.keys() >= set(keys):
            return
        with self._search_lock:
            missing = [k for k in keys if k not in searched]
            searched.update(search.prepare(cur, missing))
            if (len(searched) >= search.MAX_SEARCHES
                    or sum(searched.values()) >= search.MAX_HITS):
                with self._lock:
                    if searched is self._searched:
                        self._identity = None  # the next query opens a new snapshot

    def _read(self, run: Callable[[duckdb.DuckDBPyConnection], T], sql: str = "",
              close: bool = True) -> T:
        def prepared(cur: duckdb.DuckDBPyConnection, searched: dict[str, int]) -> T:
            self._prepare(cur, searched, sql)
            return run(cur)
        return self._read_on(prepared, sql, close)

    def _read_on(self, run: Callable[[duckdb.DuckDBPyConnection, dict[str, int]], T],
                 sql: str = "", close: bool = True) -> T:
        deadline = time.monotonic() + self.retry_seconds
        delay = 0.01
        while True:
            try:
                cur, searched = self._cursor()
            except Locked:
                if time.monotonic() > deadline:
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 0.5)
                continue
            try:
                return run(cur, searched)
            except duckdb.Error as exc:
                shown = " ".join(sql.split())[:300]
                raise StoreError(f"{self.path}: query failed ({exc}) in: {shown}") from None
            finally:
                if close:
                    cur.close()

    # -- writing ---------------------------------------------------------------------------

    def writing(self, *, fresh: bool = False, force: bool = False, publish_every: float = 30.0,
                on_wait: Callable[[], None] | None = None,
                lock_timeout: float | None = None, atomic: bool = False) -> Writer:
        """A writing session (context manager): waits for other writers, writes into a working
        copy, publishes it on exit. See `analytics.store.writer`."""
        if self.read_only:
            raise StoreError(f"{self.path} was opened read-only; open it with "
                             f"Store.open(path) to write")
        return Writer(self.path, fresh=fresh, force=force, publish_every=publish_every,
                      on_wait=on_wait, lock_timeout=lock_timeout, atomic=atomic)

    def ingest(self, extractions: Iterable[Extraction], *, force: bool = False,
               batch_size: int = 256) -> IngestSummary:
        """Store extractions: idempotent by article (id, text hash, publication date, title,
        source, url); a changed article replaces all its rows; others are left alone."""
        with self.writing(force=force) as writer:
            for batch in batches(extractions, batch_size):
                writer.write(batch)
        return writer.summary

    def correct(self, action: str, event_id: str | None = None, *,
                lock_timeout: float | None = 60.0, **details: Any) -> Correction:
        """Record and apply one analyst's correction (see `Writer.correct`), published at once.
        Waits for a running ingest or another analyst's correction to finish first."""
        with self.writing(lock_timeout=lock_timeout) as writer:
            return writer.correct(action, event_id, **details)


class Snapshot:
    """One version of the store, read through one cursor (see `Store.snapshot`); `prepare`
    makes the search hits a statement reads before it runs (`Store._prepare`)."""

    def __init__(self, cur: duckdb.DuckDBPyConnection, path: Path,
                 prepare: Callable[[str], None]) -> None:
        self._cur, self.path, self._prepare = cur, path, prepare

    def _failed(self, exc: duckdb.Error, sql: str) -> StoreError:
        shown = " ".join(sql.split())[:300]
        return StoreError(f"{self.path}: query failed ({exc}) in: {shown}")

    def query(self, sql: str, params: list | dict | None = None) -> pd.DataFrame:
        """Run one read-only SQL statement, as `Store.query` does."""
        try:
            self._prepare(sql)
            return self._cur.execute(sql, params).df()
        except duckdb.Error as exc:
            raise self._failed(exc, sql) from None

    def query_chunks(self, sql: str, params: list | dict | None = None, *,
                     rows: int = 40_960) -> Iterator[pd.DataFrame]:
        """Run one read-only SQL statement and yield its result as DataFrames of at most
        about `rows` rows (the columns and types `query` gives), in order; at least one,
        empty when nothing matched, so that a reader always gets the columns. For results
        too large to hold whole. The next statement on this snapshot must wait until the
        chunks are all read."""
        vectors = max(1, rows // duckdb.__standard_vector_size__)
        try:
            self._prepare(sql)
            self._cur.execute(sql, params)
            chunk = self._cur.fetch_df_chunk(vectors)
            yield chunk
            while len(chunk):
                chunk = self._cur.fetch_df_chunk(vectors)
                if len(chunk):
                    yield chunk
        except duckdb.Error as exc:
            raise self._failed(exc, sql) from None


def _date_of(value: Any) -> dt.date | None:
    """An old store's publication date, whatever type it was stored as."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None  # not a date: left out rather than guessed
    return None


def read_stored_articles(path: str | Path, *, chunk: int = 1000) -> Iterator[Article]:
    """The articles a store holds, whatever its schema version (only `articles.id` and
    `articles.text` are required): the input of `analytics ingest --rebuild`."""
    path = Path(path)
    con, _ = open_snapshot(path)
    try:
        columns = {r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_catalog = ? AND table_name = 'articles'", [CATALOG]).fetchall()}
        if not {"id", "text"} <= columns:
            raise StoreError(f"{path} has no articles table with id and text columns; there "
                             f"is nothing to rebuild from: ingest your files into a new --db")
        optional = [c for c in ("title", "published", "source", "url") if c in columns]
        select = ", ".join(["id", "text", *optional])
        cur = con.execute(f"SELECT {select} FROM articles ORDER BY id")
        while rows := cur.fetchmany(chunk):
            for row in rows:
                values = dict(zip(["id", "text", *optional], row))
                published = _date_of(values.get("published"))
                yield Article(id=str(values["id"]), text=values["text"] or "",
                              title=values.get("title"), published=published,
                              source=values.get("source"), url=values.get("url"))
    finally:
        con.close()
