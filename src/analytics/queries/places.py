"""Where events happen, and which places they are about: what the venue map shows.

Input: an open store and a `Filters` value. Output: one DataFrame row per place with its
coordinates, its number of events and participants, and the latest of its events (for the map's
popups). Both queries start from `analytics.queries.filtered_cte`, so the map shows exactly the
events the sidebar keeps; counting and picking the popup's events happen in SQL, so a page never
holds one row per event.
"""

from __future__ import annotations

import pandas as pd

from analytics.filters import Filters
from analytics.queries import Queryable, filtered_cte

# A popup lists this many of a place's events (the latest first) and says how many more.
POPUP_EVENTS = 5

# A place's latest events: the ids of the POPUP_EVENTS latest (undated ones last; of one day,
# the greatest id first) picked in the grouping by `max_by` ...
_LATEST_IDS = f"""max_by(f.id, struct_pack(day := coalesce(f.start_date, DATE '0001-01-01'),
                                          id := f.id), {POPUP_EVENTS})"""
# ... then read whole, only those, as a list of structs (popups show `name` or the type).
# Sorting every event of every place into a list and cutting it took 880 ms of the venues
# query at a million events; picking the ids, 70.
_LATEST = """, latest AS (
          SELECT p.place, list(struct_pack(id := e.id, name := e.name, type := e.type,
                                           start_date := e.start_date, end_date := e.end_date,
                                           status := e.status, n_sources := e.n_sources,
                                           corrected_fields := e.corrected_fields,
                                           conflicts := e.conflicts)
                               ORDER BY e.start_date DESC NULLS LAST, e.id DESC) AS latest
          FROM (SELECT place, unnest(latest_ids) AS id FROM counted) p
          JOIN events e ON e.id = p.id GROUP BY p.place)"""


def venues(store: Queryable, filters: Filters) -> pd.DataFrame:
    """One row per venue that has coordinates: `venue_name_ar`, `venue_name_en`,
    `venue_country`, `lat`, `lon`, `events`, `participants` (the sum of the events' stated
    participants, 0 when none is stated) and `latest` (up to POPUP_EVENTS events, structs of
    id, name, type, start_date, end_date, status, n_sources, corrected_fields, conflicts).
    Most events first.

    A venue is its knowledge-base id when it has one, else its Arabic name: the same city
    written two ways is one marker, and two unknown places of one name are one marker too."""
    cte, params = filtered_cte(filters)
    return store.query(f"""{cte},
        counted AS (
          SELECT coalesce(f.venue_entity_id, f.venue_name_ar) AS place,
                 any_value(f.venue_name_ar) AS venue_name_ar,
                 any_value(f.venue_name_en) AS venue_name_en,
                 any_value(f.venue_country) AS venue_country,
                 any_value(f.venue_lat) AS lat, any_value(f.venue_lon) AS lon,
                 count(*) AS events,
                 CAST(coalesce(sum(f.participants), 0) AS BIGINT) AS participants,
                 {_LATEST_IDS} AS latest_ids
          FROM f
          WHERE f.venue_lat IS NOT NULL AND f.venue_lon IS NOT NULL
          GROUP BY place){_LATEST}
        SELECT c.venue_name_ar, c.venue_name_en, c.venue_country, c.lat, c.lon, c.events,
               c.participants, latest.latest
        FROM counted c JOIN latest USING (place)
        ORDER BY c.events DESC, c.venue_name_ar
        """, params)


def places_about(store: Queryable, filters: Filters) -> pd.DataFrame:
    """One row per place that kept events are about (`event_about`, Jerusalem for a meeting
    on Jerusalem held in Istanbul), with coordinates: `name_ar`, `name_en`, `country`, `lat`,
    `lon`, `events` and `latest` (as in `venues`). Most events first."""
    cte, params = filtered_cte(filters)
    # One row per (place, event) first: an article may name the same place twice.
    return store.query(f"""{cte},
        about AS (
          SELECT coalesce(a.entity_id, a.name_ar) AS place, a.event_id,
                 any_value(a.name_ar) AS name_ar, any_value(a.name_en) AS name_en,
                 any_value(a.country) AS country, any_value(a.lat) AS lat,
                 any_value(a.lon) AS lon
          FROM event_about a JOIN f ON a.event_id = f.id
          WHERE a.lat IS NOT NULL AND a.lon IS NOT NULL
          GROUP BY ALL),
        counted AS (
          SELECT a.place, any_value(a.name_ar) AS name_ar, any_value(a.name_en) AS name_en,
                 any_value(a.country) AS country,
                 any_value(a.lat) AS lat, any_value(a.lon) AS lon,
                 count(*) AS events, {_LATEST_IDS} AS latest_ids
          FROM about a JOIN f ON a.event_id = f.id
          GROUP BY a.place){_LATEST}
        SELECT c.name_ar, c.name_en, c.country, c.lat, c.lon, c.events, latest.latest
        FROM counted c JOIN latest USING (place)
        ORDER BY c.events DESC, c.name_ar
        """, params)
