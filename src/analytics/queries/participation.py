"""Who takes part: events per actor, actors by theme, participants per event, organizations that
take part together, and delegations per country.

Input: a store (`Queryable`), a `Filters` value and how many rows a chart can show (`top`).
Output: DataFrames with both the Arabic and English names of things (the chart picks one by
language) and the data's own codes. All SQL is built on `filtered_cte`, values as parameters.

Actors are grouped by their canonical Arabic name (`name_ar`, what the extractor resolves
variants to); the English name shown is the first one stored for it.
"""

from __future__ import annotations

import pandas as pd

from analytics.filters import Filters
from analytics.queries import Queryable, filtered_cte

ACTOR_KINDS = ("person", "organization")

# The kept events' actors, one row per (event, actor): an actor named twice in one event
# counts once.
_KEPT_ACTORS = """,
    kept_actors AS (
      SELECT DISTINCT a.event_id, a.name_ar, a.kind
      FROM event_actors a JOIN f ON a.event_id = f.id),
    english AS (
      SELECT name_ar, min(coalesce(name_en, name_ar)) AS name_en
      FROM event_actors GROUP BY name_ar)"""


def events_per_actor(store: Queryable, filters: Filters, kind: str,
                     top: int = 15) -> pd.DataFrame:
    """The `top` actors of `kind` (person or organization) by the number of kept events they
    take part in: name_ar, name_en, events; most events first."""
    if kind not in ACTOR_KINDS:
        raise ValueError(f"kind must be one of {ACTOR_KINDS}, not {kind!r}")
    cte, params = filtered_cte(filters)
    return store.query(f"""{cte}{_KEPT_ACTORS}
        SELECT k.name_ar, english.name_en, count(*) AS events
        FROM kept_actors k JOIN english USING (name_ar)
        WHERE k.kind = ?
        GROUP BY ALL ORDER BY events DESC, k.name_ar LIMIT ?""", [*params, kind, top])


def actor_themes(store: Queryable, filters: Filters, top: int = 15) -> pd.DataFrame:
    """Events per (actor, theme) for the `top` persons and organizations with the most kept
    events: name_ar, name_en, theme, events. An event with two themes counts for both."""
    cte, params = filtered_cte(filters)
    return store.query(f"""{cte}{_KEPT_ACTORS},
        busiest AS (
          SELECT name_ar, count(*) AS n FROM kept_actors WHERE kind IN ('person', 'organization')
          GROUP BY name_ar ORDER BY n DESC, name_ar LIMIT ?),
        themed AS (SELECT f.id, unnest(f.themes) AS theme FROM f)
        SELECT k.name_ar, english.name_en, themed.theme, count(DISTINCT k.event_id) AS events
        FROM kept_actors k JOIN busiest USING (name_ar) JOIN english USING (name_ar)
        JOIN themed ON themed.id = k.event_id
        GROUP BY ALL ORDER BY any_value(busiest.n) DESC, k.name_ar, events DESC, themed.theme
        """, [*params, top])


def participants_per_event(store: Queryable, filters: Filters, top: int = 20) -> pd.DataFrame:
    """The `top` kept events with the most named participants (actors): id, type, name,
    start_date, venue_ar, venue_en, actors (how many the text names), participants (the number
    of participants the text states, when it does), n_sources, corrected_fields, conflicts."""
    cte, params = filtered_cte(filters)
    return store.query(f"""{cte},
        counts AS (  -- over every event: cheaper than evaluating the filters twice
          SELECT event_id, count(DISTINCT name_ar) AS actors
          FROM event_actors GROUP BY event_id)
        SELECT f.id, f.type, f.name, f.start_date, f.venue_name_ar AS venue_ar,
               coalesce(f.venue_name_en, f.venue_name_ar) AS venue_en, counts.actors,
               f.participants, f.n_sources, f.corrected_fields, f.conflicts
        FROM counts JOIN f ON f.id = counts.event_id
        ORDER BY counts.actors DESC, f.start_date DESC NULLS LAST, f.id LIMIT ?""",
        [*params, top])


def co_participation(store: Queryable, filters: Filters, top: int = 15) -> pd.DataFrame:
    """Organizations that take part in the same kept events: for the `top` organizations with
    the most events, every ordered pair (a, b) with the number of events both take part in
    (a == b: the organization's own number of events). Columns: a_ar, a_en, b_ar, b_en,
    events. Pairs that never meet are absent."""
    cte, params = filtered_cte(filters)
    return store.query(f"""{cte}{_KEPT_ACTORS},
        orgs AS (SELECT event_id, name_ar FROM kept_actors WHERE kind = 'organization'),
        busiest AS (SELECT name_ar, count(*) AS n FROM orgs GROUP BY name_ar
                    ORDER BY n DESC, name_ar LIMIT ?),
        top_orgs AS (SELECT orgs.* FROM orgs JOIN busiest USING (name_ar))
        SELECT x.name_ar AS a_ar, ex.name_en AS a_en, y.name_ar AS b_ar, ey.name_en AS b_en,
               count(*) AS events
        FROM top_orgs x JOIN top_orgs y ON x.event_id = y.event_id
        JOIN english ex ON ex.name_ar = x.name_ar JOIN english ey ON ey.name_ar = y.name_ar
        GROUP BY ALL ORDER BY a_ar, b_ar""", [*params, top])


def delegations_per_country(store: Queryable, filters: Filters, top: int = 20) -> pd.DataFrame:
    """Delegations per country: in how many kept events each country takes part, the `top`
    countries first. Columns: country (ISO 3166-1 alpha-2), name_ar, name_en, events.

    A delegation is a country taking part, so it is counted from the events' actors that are
    countries (actors of kind place, "شاركت مصر والأردن ..."), with the ISO code of their
    knowledge row (the `places` table). The venue's country is not used: it says who hosts,
    not who comes (counting it would make every host a delegation to its own events), and the
    map already shows venues. Organizations' seat countries are not used either: the OIC is
    not a delegation of Saudi Arabia. Persons carry no country in the store, so a minister
    named without his country is not counted: the figures are a lower bound."""
    cte, params = filtered_cte(filters)
    return store.query(f"""{cte},
        countries AS (
          SELECT DISTINCT a.event_id, p.country, a.name_ar, coalesce(a.name_en, a.name_ar)
                 AS name_en
          FROM event_actors a JOIN f ON a.event_id = f.id
          JOIN places p ON p.id = a.entity_id
          WHERE a.kind = 'place' AND p.country IS NOT NULL)
        SELECT country, min(name_ar) AS name_ar, min(name_en) AS name_en,
               count(DISTINCT event_id) AS events
        FROM countries GROUP BY country ORDER BY events DESC, country LIMIT ?""",
        [*params, top])
