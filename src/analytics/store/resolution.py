"""Keeping the resolved events up to date inside a writer's transaction.

Input: a DuckDB connection to the writer's working copy, the `EventKey`s of the article events
a batch just inserted, and the clusters a batch or a correction touched. Output: each new
article event's `cluster_id` (`attach`; a new event that matches two stored clusters joins
them), and the rows of `events`, `event_actors`,
`event_about` and `event_sources` rebuilt for the touched clusters only (`refresh`), with the
corrections in force applied.

What a batch costs: `attach` loads only the stored clusters a new event can join (a member of
the same type family on a day it looks at, sharing a name, name word, participant or venue
with it: looked up by hash in `match_keys`), and `refresh` rebuilds only the touched clusters
(and the clusters that corrections tie to them). The Python work follows how many stored events
share evidence with the batch's on their days, not how many years the store spans; the lookups
are DuckDB scans of a few narrow columns, which do grow with the store (bench/store.py, fourth
run: 1.4 ms an article up to 58,000 articles, 3.7 on average up to 580,000, with 150 events a
day).
"""

from __future__ import annotations

import contextlib
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence

import duckdb
import pyarrow as pa

from analytics.resolve import EventKey, Resolver, SourceClaim, lookup_days, merge
from analytics.store.corrections import (
    Correction,
    apply_edits,
    in_force,
    regroup,
    structural_links,
)
from analytics.store.rows import ResolvedEvent, Rows, match_keys
from analytics.store.schema import RESOLVED_TABLES

_KEY_COLUMNS = ("id", "article_id", "type", "family", "window_first", "window_last", "dated",
                "name_key", "name_words", "venue_keys", "venue_country", "actor_keys",
                "cluster_id")
_MEMBER_COLUMNS = ("id", "article_id", "position", "trigger_start", "trigger_end",
                   "trigger_text", "provenance", "published", "evidence", "claim",
                   "ingested_at", "cluster_id")


def _key(row: tuple) -> EventKey:
    """The `EventKey` of a row of `_KEY_COLUMNS` (positional: a batch in a large store loads
    tens of thousands)."""
    (id_, article_id, type_, family, first, last, dated, name, name_words, venues, country,
     actors, _cluster) = row
    return EventKey(id=id_, article_id=article_id, type=type_, family=family, first=first,
                    last=last, dated=bool(dated), name=name, name_words=name_words or 0,
                    venues=tuple(venues) if venues else (), country=country,
                    actors=tuple(actors) if actors else ())


def attach(con: duckdb.DuckDBPyConnection, keys: Sequence[EventKey]) -> set[str]:
    """Give each new article event a cluster: a stored one it matches, else its own. Returns
    the clusters that received events."""
    if not keys:
        return set()
    resolver = Resolver()
    wanted = sorted({h for k in keys for h in match_keys(k, lookup_days(k))})
    if wanted:
        # The stored clusters a key can join: those with a member filed on a day the key looks
        # at and sharing a piece of evidence with it (`match_keys`); each loaded whole. An
        # equality lookup: its cost follows the batch and the events on its days, not the
        # years the batch's articles span (loading every stored event within a few days of
        # any of the batch's made a batch of articles from all over the calendar read most of
        # the store: 7 ms an article at 58,000 articles, growing with the store).
        cols = ", ".join(f"ae.{c}" for c in _KEY_COLUMNS)
        with registered(con, "batch_lookup", pa.table({"key": pa.array(wanted, pa.int64())})):
            found = con.execute(f"""
                SELECT {cols} FROM article_events ae WHERE ae.rowid IN (
                  SELECT rowid FROM article_events WHERE cluster_id IN (
                    SELECT m.cluster_id FROM article_events m WHERE m.id IN (
                      SELECT k.article_event_id FROM match_keys k
                      WHERE k.key IN (SELECT key FROM batch_lookup))))
                ORDER BY ae.cluster_id, ae.id""").fetchall()
        by_cluster: dict[str, list[EventKey]] = defaultdict(list)
        for row in found:
            by_cluster[row[-1]].append(_key(row))
        for cluster_id, members in by_cluster.items():
            resolver.load(cluster_id, members)
    assigned = {k.id: resolver.assign(k) for k in keys}
    # A new event that matched two stored clusters joined them: the later one's stored members
    # move to the earlier (outside the window too), and its resolved event is rebuilt away.
    joined = resolver.joined
    assigned = {k: joined.get(c, c) for k, c in assigned.items()}
    with registered(con, "batch_clusters", pa.table({"id": list(assigned),
                                                     "cluster_id": list(assigned.values())})):
        con.execute("UPDATE article_events SET cluster_id = b.cluster_id FROM batch_clusters b "
                    "WHERE article_events.id = b.id")
    if joined:
        with registered(con, "joined_clusters", pa.table({"gone": list(joined),
                                                          "kept": list(joined.values())})):
            con.execute("UPDATE article_events SET cluster_id = j.kept FROM joined_clusters j "
                        "WHERE article_events.cluster_id = j.gone")
    return set(assigned.values())


def load_corrections(con: duckdb.DuckDBPyConnection) -> list[Correction]:
    rows = con.execute("SELECT id, made_at, author, reason, action, event_id, members, field, "
                       "value, previous, other_members, undoes FROM corrections").fetchall()
    return [Correction(id=r[0], made_at=r[1], author=r[2], reason=r[3], action=r[4],
                       event_id=r[5], members=tuple(r[6] or ()), field=r[7],
                       value=json.loads(r[8]) if r[8] is not None else None,
                       previous=json.loads(r[9]) if r[9] is not None else None,
                       other_members=tuple(r[10] or ()), undoes=r[11]) for r in rows]


def _unnest(con: duckdb.DuckDBPyConnection, sql: str, values: Iterable[str]) -> list[tuple]:
    return con.execute(sql, [sorted(set(values))]).fetchall()


def _closure(con: duckdb.DuckDBPyConnection, clusters: set[str],
             corrections: Sequence[Correction]) -> set[str]:
    """`clusters` and every cluster a correction ties to them (through the article events the
    correction names), so that a correction is always applied with all it concerns."""
    links = structural_links(corrections)
    if not links or not clusters:
        return clusters
    named = {m for link in links for m in link}
    cluster_of = dict(_unnest(con, "SELECT id, cluster_id FROM article_events "
                                   "WHERE id IN (SELECT unnest(?))", named))
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for link in links:
        found = [cluster_of[m] for m in link if m in cluster_of]
        for other in found[1:]:
            parent[find(other)] = find(found[0])
    roots = {find(c) for c in clusters}
    tied = {c for c in set(cluster_of.values()) if find(c) in roots}
    return clusters | tied


def refresh(con: duckdb.DuckDBPyConnection, clusters: set[str],
            stale_events: set[str]) -> None:
    """Rebuild the resolved events of `clusters` (and of clusters tied to them by
    corrections); `stale_events` are resolved ids to remove in any case (their sources left)."""
    corrections = in_force(load_corrections(con))
    clusters = _closure(con, {c for c in clusters if c}, corrections)
    cols = ", ".join(_MEMBER_COLUMNS)
    # The rows are found by their narrow cluster_id first, then read whole by rowid: filtering
    # on cluster_id while reading the wide claim text too read it for every stored row (54 ->
    # 19 ms a batch at 100,000 article events).
    members = [dict(zip(_MEMBER_COLUMNS, r, strict=True)) for r in _unnest(
        con, f"SELECT {cols} FROM article_events WHERE rowid IN (SELECT rowid FROM "
             f"article_events WHERE cluster_id IN (SELECT unnest(?))) "
             f"ORDER BY published NULLS LAST, article_id, position", clusters)]
    # Each member's outlet (the source of its article): the resolved event lists its outlets,
    # which the outlet filter reads without joining sources to articles at each query.
    outlets = dict(_unnest(con, "SELECT id, source FROM articles WHERE id IN (SELECT unnest(?))",
                           (m["article_id"] for m in members)))
    for m in members:
        m["outlet"] = outlets.get(m["article_id"])
    by_id = {m["id"]: m for m in members}
    machine: dict[str, list[str]] = defaultdict(list)
    for m in members:
        machine[m["cluster_id"]].append(m["id"])
    relevant = [c for c in corrections
                if by_id.keys() & (set(c.members) | set(c.other_members))]
    groups, _ = regroup(dict(machine), relevant)
    where = {m: g for g, ms in groups.items() for m in ms}
    stale = set(stale_events) | set(groups) | {r[0] for r in _unnest(
        con, "SELECT DISTINCT event_id FROM event_sources "
             "WHERE article_event_id IN (SELECT unnest(?))", by_id)}
    rows = Rows()
    for group_id, ids in groups.items():
        sources = [by_id[i] for i in ids]
        fields = merge([SourceClaim(s["id"], s["article_id"], s["published"],
                                    json.loads(s["claim"])) for s in sources])
        fields, corrected, rejected = apply_edits(group_id, ids, fields, relevant, groups,
                                                  where)
        if rejected:
            continue
        if sorted(ids) != sorted(machine.get(group_id, ())):
            corrected = [*corrected, "sources"]
        lead = by_id[fields["lead"]] if fields["lead"] in by_id else sources[0]
        rows.add_resolved(ResolvedEvent(group_id, fields, lead, tuple(sources),
                                        tuple(corrected)))
    if stale:
        con.execute("CREATE OR REPLACE TEMP TABLE stale_events AS SELECT unnest(?) AS id",
                    [sorted(stale)])
        for table in RESOLVED_TABLES:
            column = "id" if table == "events" else "event_id"
            con.execute(f"DELETE FROM {table} WHERE {column} IN (SELECT id FROM stale_events)")
    for table in RESOLVED_TABLES:
        insert(con, table, rows)


@contextlib.contextmanager
def registered(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> Iterator[None]:
    """`table` readable by SQL as `name` for the duration of the block."""
    con.register(name, table)
    try:
        yield
    finally:
        con.unregister(name)


def insert(con: duckdb.DuckDBPyConnection, table: str, rows: Rows) -> None:
    """Append the rows built for `table` (the writer's batches and the resolved events)."""
    with registered(con, f"batch_{table}", rows.arrow(table)):
        con.execute(f"INSERT INTO {table} SELECT * FROM batch_{table}")
