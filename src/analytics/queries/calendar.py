"""The calendar's events: the dated events the filters keep, near the day the calendar opens on.

Input: an open store, a `Filters` value and a day (the page passes today's date). Output:
`calendar_summary` (how many kept events are dated and undated, and the day the calendar should
open on) and `calendar_events` (the events to draw and export, with the columns of
`analytics.queries.event_table` that a calendar needs, so that `analytics.exports.ics` reads
either frame). The number of events sent to the browser is capped in SQL: the nearest to the
opening day are kept.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from analytics.filters import Filters
from analytics.queries import Queryable, as_date, filtered_cte, first_kept

# A month view never shows more than a few hundred events; the cap keeps the page light at
# 100,000 events (the browser gets only these).
CALENDAR_LIMIT = 2000


def calendar_summary(store: Queryable, filters: Filters, today: dt.date) -> dict[str, object]:
    """`dated`, `undated` (kept events without a start day) and `opening`: the first day on
    or after `today` that a kept event is on (upcoming events first), else the last day of
    the latest kept event, else `today`."""
    cte, params = filtered_cte(filters)
    row = store.query(f"""{cte}
        SELECT count(f.start_date) AS dated, count(*) - count(f.start_date) AS undated,
               min(f.start_date) FILTER (WHERE coalesce(f.end_date, f.start_date) >= ?)
                 AS next_day,
               max(f.start_date) AS last_day
        FROM f""", [*params, today]).iloc[0]
    opening = as_date(row["next_day"])
    if opening is not None and opening < today:
        opening = today  # an event that is on now: open on today, where it is
    return {"dated": int(row["dated"]), "undated": int(row["undated"]),
            "opening": opening or as_date(row["last_day"]) or today}


def calendar_events(store: Queryable, filters: Filters, around: dt.date,
                    limit: int = CALENDAR_LIMIT) -> pd.DataFrame:
    """The kept dated events, at most `limit` (those nearest to `around`), in date order:
    `id`, `start_date`, `end_date`, `type`, `name`, `status`, `venue_name_ar`,
    `venue_name_en`, `venue_country`, `actors_ar`, `actors_en`, `n_sources`,
    `corrected_fields`, `conflicts`."""
    nearest, params = first_kept(
        filters, "ORDER BY abs(date_diff('day', ?::DATE, e.start_date)), e.start_date, e.id",
        "e.start_date IS NOT NULL")
    # Each event carries its actors' names (events.actors_ar, actors_en): no join to
    # event_actors.
    return store.query(f"""
        SELECT f.id, f.start_date, f.end_date, f.type, f.name, f.status, f.venue_name_ar,
               f.venue_name_en, f.venue_country,
               nullif(array_to_string(list_sort(list_distinct(f.actors_ar)), '، '), '')
                 AS actors_ar,
               nullif(array_to_string(list_sort(list_distinct(f.actors_en)), ', '), '')
                 AS actors_en,
               f.n_sources, f.corrected_fields, f.conflicts
        FROM events f WHERE f.rowid IN ({nearest} LIMIT ?)
        ORDER BY f.start_date, f.type, f.id
        """, [*params, around, limit])
