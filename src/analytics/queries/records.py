"""The records page's tabs as SQL: the actors, places and articles of the kept events.

Input: a store and a `Filters` value. Output: one DataFrame per tab, built on
`analytics.queries.filtered_cte` (the events the filters keep), so that every tab counts the
same events as the events table. Column names are the data's, in English; the page labels them.
"""

from __future__ import annotations

import pandas as pd

from analytics.filters import Filters
from analytics.queries import Queryable, filtered_cte


def actor_table(store: Queryable, filters: Filters) -> pd.DataFrame:
    """One row per actor of a kept event (by canonical Arabic name): `name_ar`, `name_en`,
    `kind`, `events`, `articles` (reporting them), `first_date`, `last_date`; most events
    first."""
    cte, params = filtered_cte(filters)
    return store.query(f"""{cte}
        SELECT a.name_ar, min(a.name_en) AS name_en, min(a.kind) AS kind,
               count(DISTINCT a.event_id) AS events,
               count(DISTINCT s.article_id) AS articles,
               min(f.start_date) AS first_date,
               max(coalesce(f.end_date, f.start_date)) AS last_date
        FROM event_actors a
        JOIN f ON a.event_id = f.id
        LEFT JOIN event_sources s ON s.event_id = f.id
        GROUP BY a.name_ar
        ORDER BY events DESC, a.name_ar
        """, params)


def place_table(store: Queryable, filters: Filters) -> pd.DataFrame:
    """One row per place and role: `role` is `venue` (where kept events took place) or `about`
    (places they are about); `name_ar`, `name_en`, `country`, `lat`, `lon`, `events`; venues
    first, then most events."""
    cte, params = filtered_cte(filters)
    return store.query(f"""{cte},
        venues AS (
          SELECT 'venue' AS role, f.venue_name_ar AS name_ar, min(f.venue_name_en) AS name_en,
                 min(f.venue_country) AS country, min(f.venue_lat) AS lat,
                 min(f.venue_lon) AS lon, count(*) AS events
          FROM f WHERE f.venue_name_ar IS NOT NULL GROUP BY f.venue_name_ar),
        about AS (
          SELECT 'about' AS role, b.name_ar, min(b.name_en) AS name_en,
                 min(b.country) AS country, min(b.lat) AS lat, min(b.lon) AS lon,
                 count(DISTINCT b.event_id) AS events
          FROM event_about b JOIN f ON b.event_id = f.id
          WHERE b.name_ar IS NOT NULL GROUP BY b.name_ar)
        SELECT * FROM (SELECT * FROM venues UNION ALL SELECT * FROM about)
        ORDER BY role DESC, events DESC, name_ar
        """, params)


def article_table(store: Queryable, filters: Filters) -> pd.DataFrame:
    """One row per article reporting a kept event: `id`, `title`, `published`, `source`,
    `url`, `events` (kept events it reports); newest first."""
    cte, params = filtered_cte(filters)
    return store.query(f"""{cte}
        SELECT ar.id, ar.title, ar.published, ar.source, ar.url,
               count(DISTINCT s.event_id) AS events
        FROM event_sources s
        JOIN f ON s.event_id = f.id
        JOIN articles ar ON ar.id = s.article_id
        GROUP BY ar.id, ar.title, ar.published, ar.source, ar.url
        ORDER BY ar.published DESC NULLS LAST, ar.id
        """, params)
