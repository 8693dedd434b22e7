"""The records page's tabs as SQL: the actors, places and articles of the kept events.

Input: a store and a `Filters` value. Output: one DataFrame per tab, built on
`analytics.queries.filtered_cte` (the events the filters keep), so that every tab counts the
same events as the events table. Column names are the data's, in English; the page labels them.

With `limit`, a table holds only its first `limit` rows (cut in SQL: a page of a million
events never fetches a whole table) and a `total` column, the number of rows in all.
"""

from __future__ import annotations

import pandas as pd

from analytics.filters import Filters
from analytics.queries import (
    Queryable,
    events_reported,
    filtered_cte,
    of_kept_event,
    reporting_articles,
)


def _first(limit: int | None) -> tuple[str, str, list[object]]:
    """The `total` column, the LIMIT clause and its parameter, for a table cut at `limit`."""
    if limit is None:
        return "", "", []
    return ", count(*) OVER () AS total", "LIMIT ?", [limit]


def actor_table(store: Queryable, filters: Filters, limit: int | None = None) -> pd.DataFrame:
    """One row per actor of a kept event (by canonical Arabic name): `name_ar`, `name_en`,
    `kind`, `events`, `articles` (reporting them), `first_date`, `last_date`; most events
    first."""
    cte, params = filtered_cte(filters)
    cut = "LIMIT ?" if limit is not None else ""
    total = ", (SELECT count(*) FROM named) AS total" if limit is not None else ""
    # Each event carries its actors' distinct names (events.actor_names): an actor's events
    # and days are counted from the kept events alone, and the actors' table is read only
    # for the names listed (their English name and kind) and their events' articles.
    # Joining it to the kept events and counting distinct events took 400 ms at a million.
    # The articles reporting each listed actor are counted as distinct (number, hash) pairs:
    # two million of them at 837k events, where pairs of two strings took 570 ms and these
    # 400 (two ids share a 64-bit hash once in 10^8 stores of 600,000 articles).
    return store.query(f"""{cte},
        kept_names AS (
          SELECT unnest(f.actor_names) AS name_ar, f.start_date,
                 coalesce(f.end_date, f.start_date) AS last_day FROM f),
        named AS (
          SELECT name_ar, count(*) AS events, min(start_date) AS first_date,
                 max(last_day) AS last_date
          FROM kept_names GROUP BY name_ar),
        listed AS (SELECT * FROM named ORDER BY events DESC, name_ar {cut}),
        described AS (
          SELECT a.name_ar, min(a.name_en) AS name_en, min(a.kind) AS kind
          FROM event_actors a WHERE a.name_ar IN (SELECT name_ar FROM listed)
            AND {of_kept_event(filters, "a.event_id")}
          GROUP BY a.name_ar),
        numbered AS MATERIALIZED (
          SELECT name_ar, row_number() OVER (ORDER BY name_ar) AS n FROM listed),
        reported_by AS (
          SELECT DISTINCT n.n, hash(unnest(k.article_ids)) AS article
          FROM (SELECT unnest(f.actor_names) AS name_ar, f.article_ids FROM f) k
          JOIN numbered n USING (name_ar)),
        reported AS (
          SELECT n.name_ar, count(*) AS articles
          FROM reported_by r JOIN numbered n USING (n) GROUP BY n.name_ar)
        SELECT l.name_ar, d.name_en, d.kind, l.events, coalesce(r.articles, 0) AS articles,
               l.first_date, l.last_date{total}
        FROM listed l JOIN described d USING (name_ar) LEFT JOIN reported r USING (name_ar)
        ORDER BY l.events DESC, l.name_ar
        """, params + ([limit] if limit is not None else []))


def place_table(store: Queryable, filters: Filters, limit: int | None = None) -> pd.DataFrame:
    """One row per place and role: `role` is `venue` (where kept events took place) or `about`
    (places they are about); `name_ar`, `name_en`, `country`, `lat`, `lon`, `events`; venues
    first, then most events."""
    cte, params = filtered_cte(filters)
    total, cut, more = _first(limit)
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
        SELECT *{total} FROM (SELECT * FROM venues UNION ALL SELECT * FROM about)
        ORDER BY role DESC, events DESC, name_ar {cut}
        """, params + more)


def article_table(store: Queryable, filters: Filters, limit: int | None = None) -> pd.DataFrame:
    """One row per article reporting a kept event: `id`, `title`, `published`, `source`,
    `url`, `events` (kept events it reports); newest first."""
    cte, params = filtered_cte(filters)
    # Listed by article id and day first; only the first `limit` are counted and joined to
    # their title and url, and `total` is counted apart: grouping by the title and url of
    # every row would hash wide text for each event's source, and a window count over half a
    # million articles took 300 ms at a million events.
    cut = "LIMIT ?" if limit is not None else ""
    total = ", (SELECT count(*) FROM reporting) AS total" if limit is not None else ""
    return store.query(f"""{cte},
        {reporting_articles(filters)},
        first AS (
          SELECT article_id FROM reporting
          ORDER BY published DESC NULLS LAST, article_id {cut}),
        {events_reported("first")}
        SELECT ar.id, ar.title, ar.published, ar.source, ar.url, reported.events{total}
        FROM first JOIN articles ar ON ar.id = first.article_id
        JOIN reported ON reported.article_id = first.article_id
        ORDER BY ar.published DESC NULLS LAST, ar.id
        """, params + ([limit] if limit is not None else []))
