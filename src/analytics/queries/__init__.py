"""What the dashboard shows, as SQL over the store: `(store, filters) -> DataFrame`.

Input: an open `analytics.store.Store` and a `Filters` value. Output: pandas DataFrames, one per
question a page asks. Every function builds its SQL from `filters.to_sql()` (parameters, never
formatted values) and runs it through `store.query`, the one function that runs SQL; none
touches duckdb or streamlit. Column names are the data's, in English; pages translate them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import Protocol

import pandas as pd

from analytics.filters import Filters


class Queryable(Protocol):
    """What the queries need of the store (`analytics.store.Store` has it)."""

    def query(self, sql: str, params: list | dict | None = None) -> pd.DataFrame: ...


class Snapshot(Queryable, Protocol):
    """One version of the store, which can also give a large result a chunk at a time."""

    def query_chunks(self, sql: str, params: list | dict | None = None, *,
                     rows: int = ...) -> Iterator[pd.DataFrame]: ...


class Streamable(Queryable, Protocol):
    """A store that can pin one version for several statements (`Store` can)."""

    def snapshot(self) -> AbstractContextManager[Snapshot]: ...


def filtered_cte(filters: Filters) -> tuple[str, list[object]]:
    """A CTE `f` of the events the filters keep, and its parameters.

    DuckDB materializes a CTE read more than once: a copy of every column of every kept event
    (460 ms of 560 for a page of the events table at a million events, unfiltered). Reading
    `events` again for each use scans only the columns that use needs, and is the faster way.
    A free-text search no longer changes that: its substring test runs once per store version
    and search (`analytics.store.search`), and each query joins the rowids it found. The
    actors and outlets are tested on lists each event carries, as cheap as a theme."""
    where, params = filters.to_sql()
    return f"WITH f AS NOT MATERIALIZED (SELECT e.* FROM events e WHERE {where})", params


def first_kept(filters: Filters, order: str, condition: str = "TRUE"
               ) -> tuple[str, list[object]]:
    """A subquery of the rowids of the kept events (aliased `e`) that meet `condition`, in
    `order` (over `e`), for the caller to cut with LIMIT; and its parameters. The events a
    page shows are chosen by the few columns the order reads and then read whole by rowid
    (`WHERE x.rowid IN (...)`): ordering or filtering every kept event with all its wide
    columns read them all (837k events, side by side with the store bench running: the events
    table unfiltered 194 -> 146 ms, the calendar 165 -> 109)."""
    where, params = filters.to_sql()
    return f"SELECT e.rowid FROM events e WHERE ({where}) AND {condition} {order}", params


def of_kept_event(filters: Filters, event_id: str) -> str:
    """A condition, over the CTE `f` of `filtered_cte`, that the event id `event_id` (a column
    of event_actors, event_about or event_sources) is of a kept event.

    Under the default filters every event is kept, and every row of those tables is of a stored
    event (the writer deletes and writes an event's rows together, `analytics.store.resolution`):
    the condition is TRUE and no join is made. The unfiltered view is the one every page opens
    on; at a million events, joining 1.8 million actor rows to a million events took 150 ms of
    each of its queries."""
    return "TRUE" if filters.is_default() else f"{event_id} IN (SELECT f.id FROM f)"


def reporting_articles(filters: Filters) -> str:
    """CTEs (to follow `filtered_cte`'s): `kept_sources` (article_id, event_id), the
    articles of the kept events, and `reporting`: each article reporting a kept event
    (`article_id`) and its publication day (`published`); no article text is read. Articles
    are listed from `reporting` and counted (`events_reported`) only for the rows shown:
    counting every article's distinct events took half of the article picker's 600 ms at a
    million events. Under filters the kept events' articles are read from the ids each
    carries (events.article_ids) once, kept for both, and their days from `articles`: the
    join of event_sources to the kept events took longer (837k events, the article picker
    side by side: under a type 136 -> 99 ms, a year 108 -> 65, a status 157 -> 133)."""
    if filters.is_default():
        return """kept_sources AS NOT MATERIALIZED (
          SELECT s.article_id, s.event_id FROM event_sources s),
        reporting AS (
          SELECT article_id, any_value(published) AS published FROM event_sources
          GROUP BY article_id)"""
    return """kept_sources AS MATERIALIZED (
          SELECT unnest(f.article_ids) AS article_id, f.id AS event_id FROM f),
        reporting AS (
          SELECT a.id AS article_id, a.published FROM articles a
          WHERE a.id IN (SELECT article_id FROM kept_sources))"""


def events_reported(listed: str) -> str:
    """A CTE `reported` (article_id, events), to follow `reporting_articles`'s: how many kept
    events each article of the CTE `listed` (with an `article_id` column) reports."""
    return f"""reported AS (
          SELECT article_id, count(DISTINCT event_id) AS events FROM kept_sources
          WHERE article_id IN (SELECT article_id FROM {listed}) GROUP BY article_id)"""


def key_figures(store: Queryable, filters: Filters) -> pd.DataFrame:
    """One row: events, articles reporting them, distinct actors and venues, first and last
    day."""
    cte, params = filtered_cte(filters)
    # The figures of the events themselves in one pass over them, not one each: f is read
    # three times, not five (under a theme at 1M: 209 -> 107 ms, side by side). The articles
    # are counted from the ids each kept event carries (events.article_ids), not by joining
    # event_sources to them (837k events, side by side: under a theme 160 -> 91 ms, a type
    # 118 -> 56); every event kept, from event_sources alone (99 ms, where the lists take 125).
    articles = ("SELECT count(DISTINCT s.article_id) FROM event_sources s"
                if filters.is_default() else
                "SELECT count(DISTINCT a.article_id) FROM ("
                "SELECT unnest(f.article_ids) AS article_id FROM f) a")
    return store.query(f"""{cte}
        SELECT count(*) AS events,
          ({articles}) AS articles,
          (SELECT count(DISTINCT n.name_ar) FROM (
             SELECT unnest(f.actor_names) AS name_ar FROM f) n) AS actors,
          count(DISTINCT f.venue_name_ar) AS venues,
          min(f.start_date) AS first_date,
          max(coalesce(f.end_date, f.start_date)) AS last_date
        FROM f""", params)


def events_by_month(store: Queryable, filters: Filters) -> pd.DataFrame:
    """`month` (first day), `type`, `events`: dated events counted by the month they start."""
    cte, params = filtered_cte(filters)
    return store.query(f"""{cte}
        SELECT CAST(date_trunc('month', f.start_date) AS DATE) AS month, f.type,
               count(*) AS events
        FROM f WHERE f.start_date IS NOT NULL
        GROUP BY ALL ORDER BY month, f.type
        """, params)


def events_by_type(store: Queryable, filters: Filters) -> pd.DataFrame:
    """`type`, `events`: every kept event (dated or not), most frequent type first."""
    cte, params = filtered_cte(filters)
    return store.query(f"""{cte}
        SELECT f.type, count(*) AS events FROM f GROUP BY ALL ORDER BY events DESC, f.type
        """, params)


def event_table(store: Queryable, filters: Filters, limit: int | None = None) -> pd.DataFrame:
    """The kept events, one row each, newest first: dates, type, name, status, venue, actors,
    themes, participants, the articles that report them and how many (n_sources), the fields
    their sources disagree on (conflicts) and the fields an analyst corrected, confidence and
    the event's id. With `limit`, only the first `limit` rows (a page shows those; a download
    takes them all, through `event_table_chunks`)."""
    sql, params = _event_table_sql(filters, cut=limit is not None)
    return store.query(sql, [*params, limit, 0] if limit is not None else params)


# A download reads the kept events this many at a time (one statement each).
EXPORT_SLICE = 100_000


def event_table_chunks(store: Streamable, filters: Filters, rows: int = 40_960,
                       slice_events: int = EXPORT_SLICE) -> Iterator[pd.DataFrame]:
    """Every kept event, as `event_table` gives them (the same columns, types and order), in
    DataFrames of about `rows` rows, all from one version of the store: what a download is
    built from. The first is empty when no event is kept (it still has the columns).

    The events are read `slice_events` at a time, each slice with its actors and sources: one
    statement over a million events held 1.6 GB in DuckDB (its joins and sort) and 0.5 GB
    in pandas; a slice holds a tenth of that, and a chunk a few dozen MB."""
    sql, params = _event_table_sql(filters, cut=True)
    cte, count_params = filtered_cte(filters)
    with store.snapshot() as snapshot:
        kept = int(snapshot.query(f"{cte} SELECT count(*) AS n FROM f", count_params)
                   .iloc[0]["n"])
        shown = False
        for offset in range(0, max(kept, 1), slice_events):
            for chunk in snapshot.query_chunks(sql, [*params, slice_events, offset], rows=rows):
                if len(chunk) or not shown:
                    shown = True
                    yield chunk


_EVENT_ORDER = "ORDER BY {alias}.start_date DESC NULLS LAST, {alias}.type, {alias}.id"


def _event_table_sql(filters: Filters, *, cut: bool) -> tuple[str, list[object]]:
    """The events table's statement and its parameters; with `cut`, of the kept events from
    the (n+1)th (`OFFSET ?`, the last parameter) to the (n+limit)th (`LIMIT ?`, the one
    before), in the table's order: their order is found from the few columns it reads, and
    only those events are read whole."""
    order = _EVENT_ORDER.format(alias="f")
    # Each event carries its actors' names and its articles' ids (events.actors_ar,
    # actors_en, article_ids): no join to event_actors and event_sources, which took half of
    # a page at 837k events and most of a download. Shown as before: the names each once,
    # sorted, the ids sorted; none is missing (NULL), not empty.
    columns = """f.start_date, f.end_date, f.type, f.name, f.status,
               f.venue_name_ar, f.venue_name_en, f.venue_country,
               nullif(array_to_string(list_sort(list_distinct(f.actors_ar)), '، '), '')
                 AS actors_ar,
               nullif(array_to_string(list_sort(list_distinct(f.actors_en)), ', '), '')
                 AS actors_en,
               array_to_string(f.themes, ', ') AS themes,
               f.participants, nullif(array_to_string(f.article_ids, ' '), '') AS articles,
               f.n_sources,
               array_to_string(f.conflicts, ', ') AS conflicts,
               array_to_string(f.corrected_fields, ', ') AS corrected_fields,
               f.confidence, f.id"""
    if cut:
        first, params = first_kept(filters, _EVENT_ORDER.format(alias="e"))
        return f"""SELECT {columns} FROM events f WHERE f.rowid IN ({first} LIMIT ? OFFSET ?)
        {order}""", params
    cte, params = filtered_cte(filters)
    return f"""{cte} SELECT {columns} FROM f {order}""", params


def count_events(store: Queryable, filters: Filters) -> int:
    """How many events the filters keep."""
    cte, params = filtered_cte(filters)
    return int(store.query(f"{cte} SELECT count(*) AS n FROM f", params).iloc[0]["n"])


# The sidebar's choices: every stored value, most frequent first, so that a choice never
# disappears while other filters change. A store of 100,000 events can name tens of thousands
# of actors; a list that long is no use in a menu, so only the most frequent are offered
# (plus whatever the URL already chose: see app.py).
OPTION_LIMIT = 2000


def actor_options(store: Queryable, limit: int = OPTION_LIMIT) -> pd.DataFrame:
    """`name_ar`, `name_en`, `kind`, `events`: the actors to choose from, by canonical Arabic
    name (an actor read with two English spellings is one choice)."""
    # Counted from each event's distinct names (events.actor_names), one row per event and
    # name; the actors' table is read for the English name and kind of the names offered
    # only. Counting distinct events per name over the actors' table took 374 ms at 837k; this
    # 103 (side by side, the same rows).
    return store.query("""
        WITH counted AS (
          SELECT name_ar, count(*) AS events
          FROM (SELECT unnest(e.actor_names) AS name_ar FROM events e)
          GROUP BY name_ar ORDER BY events DESC, name_ar LIMIT ?),
        described AS (
          SELECT a.name_ar, min(a.name_en) AS name_en, min(a.kind) AS kind
          FROM event_actors a WHERE a.name_ar IN (SELECT name_ar FROM counted)
          GROUP BY a.name_ar)
        SELECT c.name_ar, d.name_en, d.kind, c.events
        FROM counted c JOIN described d USING (name_ar)
        ORDER BY c.events DESC, c.name_ar""", [limit])


def venue_options(store: Queryable, limit: int = OPTION_LIMIT) -> pd.DataFrame:
    """`name_ar`, `name_en`, `country`, `events`: the venues (cities or sites) to choose from."""
    return store.query("""
        SELECT e.venue_name_ar AS name_ar, min(e.venue_name_en) AS name_en,
               min(e.venue_country) AS country, count(*) AS events
        FROM events e WHERE e.venue_name_ar IS NOT NULL
        GROUP BY e.venue_name_ar ORDER BY events DESC, name_ar LIMIT ?""", [limit])


def country_options(store: Queryable) -> pd.DataFrame:
    """`country`, `events`: the venue countries (ISO codes) to choose from."""
    return store.query("""
        SELECT e.venue_country AS country, count(*) AS events
        FROM events e WHERE e.venue_country IS NOT NULL
        GROUP BY ALL ORDER BY events DESC, country""")


def theme_options(store: Queryable) -> pd.DataFrame:
    """`theme`, `events`: the theme ids events carry."""
    return store.query("""
        SELECT t.theme, count(*) AS events
        FROM (SELECT unnest(e.themes) AS theme FROM events e) t
        GROUP BY ALL ORDER BY events DESC, t.theme""")


def source_options(store: Queryable, limit: int = OPTION_LIMIT) -> pd.DataFrame:
    """`source`, `articles`: the outlets of the stored articles."""
    return store.query("""
        SELECT ar.source, count(*) AS articles FROM articles ar
        WHERE ar.source IS NOT NULL AND trim(ar.source) <> ''
        GROUP BY ALL ORDER BY articles DESC, ar.source LIMIT ?""", [limit])


def stored_article_ids(store: Queryable, ids: list[str]) -> set[str]:
    """Which of these article ids the store already holds (storing them again replaces
    them)."""
    if not ids:
        return set()
    found = store.query("SELECT id FROM articles WHERE id IN (SELECT unnest(?))", [ids])
    return set(found["id"])


def date_span(store: Queryable) -> tuple[dt.date | None, dt.date | None]:
    """First and last day of any stored event (`(None, None)` when no event is dated): the
    bounds of the sidebar's date range."""
    row = store.query("""
        SELECT min(start_date) AS first_date, max(coalesce(end_date, start_date)) AS last_date
        FROM events""").iloc[0]
    return as_date(row["first_date"]), as_date(row["last_date"])


def as_date(value: object) -> dt.date | None:
    """A day from what a DATE column becomes in pandas (Timestamp, date or missing)."""
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date()
