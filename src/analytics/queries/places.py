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

# The events of a place, latest first, as a list of structs (popups show `name` or the type).
_EVENT_LIST = f"""list(struct_pack(id := f.id, name := f.name, type := f.type,
                          start_date := f.start_date, end_date := f.end_date,
                          status := f.status, n_sources := f.n_sources,
                          corrected_fields := f.corrected_fields, conflicts := f.conflicts)
                 ORDER BY f.start_date DESC NULLS LAST, f.id)[1:{POPUP_EVENTS}]"""


def venues(store: Queryable, filters: Filters) -> pd.DataFrame:
    """One row per venue that has coordinates: `venue_name_ar`, `venue_name_en`,
    `venue_country`, `lat`, `lon`, `events`, `participants` (the sum of the events' stated
    participants, 0 when none is stated) and `latest` (up to POPUP_EVENTS events, structs of
    id, name, type, start_date, end_date, status, n_sources, corrected_fields, conflicts).
    Most events first.

    A venue is its knowledge-base id when it has one, else its Arabic name: the same city
    written two ways is one marker, and two unknown places of one name are one marker too."""
    cte, params = filtered_cte(filters)
    return store.query(f"""{cte}
        SELECT any_value(f.venue_name_ar) AS venue_name_ar,
               any_value(f.venue_name_en) AS venue_name_en,
               any_value(f.venue_country) AS venue_country,
               any_value(f.venue_lat) AS lat, any_value(f.venue_lon) AS lon,
               count(*) AS events,
               CAST(coalesce(sum(f.participants), 0) AS BIGINT) AS participants,
               {_EVENT_LIST} AS latest
        FROM f
        WHERE f.venue_lat IS NOT NULL AND f.venue_lon IS NOT NULL
        GROUP BY coalesce(f.venue_entity_id, f.venue_name_ar)
        ORDER BY events DESC, venue_name_ar
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
          GROUP BY ALL)
        SELECT any_value(a.name_ar) AS name_ar, any_value(a.name_en) AS name_en,
               any_value(a.country) AS country,
               any_value(a.lat) AS lat, any_value(a.lon) AS lon,
               count(*) AS events, {_EVENT_LIST} AS latest
        FROM about a JOIN f ON a.event_id = f.id
        GROUP BY a.place
        ORDER BY events DESC, name_ar
        """, params)
