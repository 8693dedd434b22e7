"""Events in time: the timeline's bars, and the latest and upcoming events.

Input: a store (`Queryable`) and a `Filters` value (plus, for the timeline, what its rows are
grouped by; for latest/upcoming, the day that counts as today). Output: DataFrames with the data's
own column names and codes, both the Arabic and English names of things (the chart picks one).
All SQL is built on the filters' `to_sql` (through `filtered_cte` but for the timeline, which
reads the kept events by rowid), with every value as a parameter.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from analytics.filters import Filters
from analytics.queries import Queryable, filtered_cte

# What the timeline's rows (its y axis) can stand for.
GROUPINGS = ("actor", "venue", "organization")

# A timeline with more rows than this cannot be read; the busiest groups are kept.
DEFAULT_GROUPS = 30
# ... nor with more bars: the latest events are kept.
DEFAULT_BARS = 1500

# Per grouping: the rows (event_id, event_rowid, group_key, group_ar, group_en, start_date) that
# place events on the y axis. An event with three actors is drawn on three rows: each took part
# in it. Events with no such group (no venue, no organization) are left out of that view rather
# than lumped together. The start is carried along: the latest bars are chosen without joining
# `dated` again (at 837k events unfiltered, 238 -> 189 ms).
_GROUPS = {
    "actor": """SELECT DISTINCT a.event_id, dated.event_rowid, a.name_ar AS group_key,
                       a.name_ar AS group_ar, coalesce(a.name_en, a.name_ar) AS group_en,
                       dated.start_date
                FROM event_actors a JOIN dated ON a.event_id = dated.id""",
    "organization": """SELECT DISTINCT a.event_id, dated.event_rowid, a.name_ar AS group_key,
                              a.name_ar AS group_ar, coalesce(a.name_en, a.name_ar) AS group_en,
                              dated.start_date
                       FROM event_actors a JOIN dated ON a.event_id = dated.id
                       WHERE a.kind = 'organization'""",
    "venue": """SELECT dated.id AS event_id, dated.event_rowid, dated.venue_name_ar AS group_key,
                       dated.venue_name_ar AS group_ar,
                       coalesce(dated.venue_name_en, dated.venue_name_ar) AS group_en,
                       dated.start_date
                FROM dated WHERE dated.venue_name_ar IS NOT NULL""",
}


def timeline(store: Queryable, filters: Filters, group_by: str = "venue", *,
             max_groups: int = DEFAULT_GROUPS, max_bars: int = DEFAULT_BARS) -> pd.DataFrame:
    """One row per dated event and group it belongs to (`group_by`: actor, venue or
    organization), the `max_groups` groups with the most events, at most `max_bars` rows (the
    latest kept). Columns: id, type, name, start_date, end_date (= start for one-day events),
    one_day, status, venue_ar, venue_en, actors_ar, actors_en, theme (the first, or None),
    n_sources, corrected_fields, conflicts, group_ar, group_en. Ordered by group size, then
    start."""
    if group_by not in GROUPINGS:
        raise ValueError(f"group_by must be one of {GROUPINGS}, not {group_by!r}")
    where, params = filters.to_sql()
    # The bars are chosen from the few columns the grouping reads (with each event's rowid);
    # the chosen events alone are then read whole, by rowid, with their actors' names in the
    # text's order (events.actors_ar, actors_en). Materializing every column of every dated
    # event, as before, took a third of the query at 837k events.
    return store.query(f"""WITH
        dated AS (
          SELECT e.rowid AS event_rowid, e.id, e.start_date, e.venue_name_ar, e.venue_name_en
          FROM events e WHERE ({where}) AND e.start_date IS NOT NULL),
        grouped AS ({_GROUPS[group_by]}),
        sizes AS (SELECT group_key, count(*) AS n FROM grouped GROUP BY group_key
                  ORDER BY n DESC, group_key LIMIT ?),
        chosen AS (
          SELECT g.event_id, g.event_rowid, g.group_ar, g.group_en, sizes.n AS group_size,
                 g.start_date
          FROM grouped g JOIN sizes USING (group_key)
          ORDER BY g.start_date DESC, g.event_id, g.group_ar LIMIT ?),
        shown AS (SELECT * FROM events d WHERE d.rowid IN (SELECT event_rowid FROM chosen))
        SELECT d.id, d.type, d.name, d.start_date,
               coalesce(d.end_date, d.start_date) AS end_date,
               d.end_date IS NULL OR d.end_date = d.start_date AS one_day, d.status,
               d.venue_name_ar AS venue_ar, coalesce(d.venue_name_en, d.venue_name_ar)
               AS venue_en, nullif(array_to_string(d.actors_ar, '، '), '') AS actors_ar,
               nullif(array_to_string(d.actors_en, ', '), '') AS actors_en,
               CASE WHEN len(d.themes) > 0 THEN d.themes[1] END AS theme,
               d.n_sources, d.corrected_fields, d.conflicts,
               c.group_ar, c.group_en
        FROM chosen c JOIN shown d ON d.id = c.event_id
        ORDER BY c.group_size DESC, c.group_ar, d.start_date, d.id
        """, [*params, max_groups, max_bars])


def latest_events(store: Queryable, filters: Filters, today: dt.date,
                  limit: int = 10) -> pd.DataFrame:
    """The kept events that started on or before `today`, the most recent first. Columns as
    `upcoming_events`."""
    return _around(store, filters, today, limit, "f.start_date <= ?", "DESC")


def upcoming_events(store: Queryable, filters: Filters, today: dt.date,
                    limit: int = 10) -> pd.DataFrame:
    """The kept events that start after `today`, the soonest first. Columns: id, start_date,
    end_date, type, name, status, venue_ar, venue_en, n_sources (articles reporting the
    resolved event), corrected_fields, conflicts."""
    return _around(store, filters, today, limit, "f.start_date > ?", "ASC")


def _around(store: Queryable, filters: Filters, today: dt.date, limit: int, condition: str,
            order: str) -> pd.DataFrame:
    cte, params = filtered_cte(filters)
    return store.query(f"""{cte}
        SELECT f.id, f.start_date, f.end_date, f.type, f.name, f.status,
               f.venue_name_ar AS venue_ar, coalesce(f.venue_name_en, f.venue_name_ar)
               AS venue_en, f.n_sources, f.corrected_fields, f.conflicts
        FROM f WHERE {condition}
        ORDER BY f.start_date {order}, f.id LIMIT ?
        """, [*params, today, limit])
