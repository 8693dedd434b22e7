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
from analytics.queries import Queryable, filtered_cte, of_kept_event

ACTOR_KINDS = ("person", "organization")


_ENGLISH = """,
    english AS (
      SELECT name_ar, min(coalesce(name_en, name_ar)) AS name_en
      FROM event_actors GROUP BY name_ar)"""


def _busiest(filters: Filters, kinds: tuple[str, ...], top: int) -> tuple[str, list[object]]:
    """CTEs after `filtered_cte`'s, and their parameters: `kept_rows` (event_id, name_ar, kind),
    the kept events' actors of these kinds; `busiest` (name_ar, n), the `top` of them by their
    number of kept events, n, most first (then by name); and `english`, an English name per
    canonical Arabic one. An actor named twice in one event counts once.

    Counting every kept actor's distinct events was most of each query's time at a million
    events. An actor has at least as many rows as distinct events, so the rows are counted
    (cheap), the `top` actors with the most rows give a bound (the fewest distinct events
    among them: the `top`-th busiest has at least that many), and only actors with at least
    that many rows are counted exactly. The kept actors are read once and kept under filters;
    unfiltered, every row is kept and reading the table again is cheaper than a copy."""
    marks = ", ".join("?" * len(kinds))
    kept = "NOT MATERIALIZED" if filters.is_default() else "MATERIALIZED"
    return f""",
    kept_rows AS {kept} (
      SELECT a.event_id, a.name_ar, a.kind FROM event_actors a
      WHERE a.kind IN ({marks}) AND {of_kept_event(filters, "a.event_id")}),
    actor_rows AS (SELECT name_ar, count(*) AS n FROM kept_rows GROUP BY name_ar),
    bound AS (
      SELECT coalesce(min(n), 0) AS d FROM (
        SELECT name_ar, count(*) AS n FROM (
          SELECT DISTINCT event_id, name_ar, kind FROM kept_rows WHERE name_ar IN (
            SELECT name_ar FROM actor_rows ORDER BY n DESC, name_ar LIMIT ?))
        GROUP BY name_ar)),
    busiest AS (
      SELECT name_ar, count(*) AS n FROM (
        SELECT DISTINCT event_id, name_ar, kind FROM kept_rows WHERE name_ar IN (
          SELECT r.name_ar FROM actor_rows r, bound WHERE r.n >= bound.d))
      GROUP BY name_ar ORDER BY n DESC, name_ar LIMIT ?){_ENGLISH}""", [*kinds, top, top]


def events_per_actor(store: Queryable, filters: Filters, kind: str,
                     top: int = 15) -> pd.DataFrame:
    """The `top` actors of `kind` (person or organization) by the number of kept events they
    take part in: name_ar, name_en, events; most events first."""
    if kind not in ACTOR_KINDS:
        raise ValueError(f"kind must be one of {ACTOR_KINDS}, not {kind!r}")
    cte, params = filtered_cte(filters)
    busiest, more = _busiest(filters, (kind,), top)
    return store.query(f"""{cte}{busiest}
        SELECT b.name_ar, english.name_en, b.n AS events
        FROM busiest b JOIN english USING (name_ar)
        ORDER BY events DESC, b.name_ar""", [*params, *more])


def actor_themes(store: Queryable, filters: Filters, top: int = 15) -> pd.DataFrame:
    """Events per (actor, theme) for the `top` persons and organizations with the most kept
    events: name_ar, name_en, theme, events. An event with two themes counts for both."""
    cte, params = filtered_cte(filters)
    busiest, more = _busiest(filters, ACTOR_KINDS, top)
    # Only the busiest actors' events are joined to their themes (unnesting every kept event's
    # themes to join them to every kept actor took half the query's time at a million events).
    return store.query(f"""{cte}{busiest},
        theirs AS (
          SELECT DISTINCT k.event_id, k.name_ar, busiest.n FROM kept_rows k
          JOIN busiest USING (name_ar)),
        themed AS (
          SELECT t.event_id, t.name_ar, t.n, unnest(f.themes) AS theme
          FROM theirs t JOIN f ON f.id = t.event_id)
        SELECT themed.name_ar, english.name_en, themed.theme,
               count(DISTINCT themed.event_id) AS events
        FROM themed JOIN english USING (name_ar)
        GROUP BY ALL ORDER BY any_value(themed.n) DESC, themed.name_ar, events DESC, themed.theme
        """, [*params, *more])


def participants_per_event(store: Queryable, filters: Filters, top: int = 20) -> pd.DataFrame:
    """The `top` kept events with the most named participants (actors): id, type, name,
    start_date, venue_ar, venue_en, actors (how many the text names), participants (the number
    of participants the text states, when it does), n_sources, corrected_fields, conflicts.

    Counting every kept event's distinct actors took most of the page's time at a million
    events (a distinct count over a million groups: 640 ms). An event has at least as many
    actor rows as distinct actors, so they are counted only for the events that can rank: the
    rows are counted (cheap), the `top` events with the most rows give a bound (the fewest
    distinct actors among them: the `top`-th event has at least that many), and only events
    with at least that many rows are counted exactly. The result is the same."""
    cte, params = filtered_cte(filters)
    return store.query(f"""{cte},
        actor_rows AS (
          SELECT a.event_id, count(*) AS n FROM event_actors a
          WHERE {of_kept_event(filters, "a.event_id")} GROUP BY a.event_id),
        bound AS (
          SELECT coalesce(min(d), 0) AS d FROM (
            SELECT count(DISTINCT a.name_ar) AS d
            FROM (SELECT event_id FROM actor_rows ORDER BY n DESC, event_id LIMIT ?) r
            JOIN event_actors a ON a.event_id = r.event_id GROUP BY r.event_id)),
        counts AS (
          SELECT a.event_id, count(DISTINCT a.name_ar) AS actors FROM event_actors a
          WHERE a.event_id IN (SELECT r.event_id FROM actor_rows r, bound WHERE r.n >= bound.d)
          GROUP BY a.event_id)
        SELECT f.id, f.type, f.name, f.start_date, f.venue_name_ar AS venue_ar,
               coalesce(f.venue_name_en, f.venue_name_ar) AS venue_en, counts.actors,
               f.participants, f.n_sources, f.corrected_fields, f.conflicts
        FROM counts JOIN f ON f.id = counts.event_id
        ORDER BY counts.actors DESC, f.start_date DESC NULLS LAST, f.id LIMIT ?""",
        [*params, top, top])


def co_participation(store: Queryable, filters: Filters, top: int = 15) -> pd.DataFrame:
    """Organizations that take part in the same kept events: for the `top` organizations with
    the most events, every ordered pair (a, b) with the number of events both take part in
    (a == b: the organization's own number of events). Columns: a_ar, a_en, b_ar, b_en,
    events. Pairs that never meet are absent."""
    cte, params = filtered_cte(filters)
    busiest, more = _busiest(filters, ("organization",), top)
    return store.query(f"""{cte}{busiest},
        top_orgs AS (
          SELECT DISTINCT k.event_id, k.name_ar FROM kept_rows k JOIN busiest USING (name_ar))
        SELECT x.name_ar AS a_ar, ex.name_en AS a_en, y.name_ar AS b_ar, ey.name_en AS b_en,
               count(*) AS events
        FROM top_orgs x JOIN top_orgs y ON x.event_id = y.event_id
        JOIN english ex ON ex.name_ar = x.name_ar JOIN english ey ON ey.name_ar = y.name_ar
        GROUP BY ALL ORDER BY a_ar, b_ar""", [*params, *more])


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
          FROM event_actors a JOIN places p ON p.id = a.entity_id
          WHERE a.kind = 'place' AND p.country IS NOT NULL
            AND {of_kept_event(filters, "a.event_id")})
        SELECT country, min(name_ar) AS name_ar, min(name_en) AS name_en,
               count(DISTINCT event_id) AS events
        FROM countries GROUP BY country ORDER BY events DESC, country LIMIT ?""",
        [*params, top])
