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


# Only the busiest actors' English names are looked up: the first name stored for every actor
# took 50 ms of each query at a million events.
_ENGLISH = """,
    english AS (
      SELECT name_ar, min(coalesce(name_en, name_ar)) AS name_en FROM event_actors
      WHERE name_ar IN (SELECT name_ar FROM busiest) GROUP BY name_ar)"""


# The events' lists of their actors' names of one kind (`analytics.store.rows.actor_names`).
_NAMES = {"person": "persons", "organization": "organizations"}


def _busiest(kinds: tuple[str, ...], top: int) -> tuple[str, list[object]]:
    """CTEs after `filtered_cte`'s, and their parameters: `kept_rows` (event_id, name_ar,
    themes), one row per kept event and actor of one of these kinds; `busiest` (name_ar, n),
    the `top` of them by their number of kept events, n, most first (then by name); and
    `english`, an English name per canonical Arabic one of `busiest`.

    Each event carries its actors' names of each kind once (`events.persons`,
    `organizations`), so counting rows counts events (a name given as both a person and an
    organization in one event would count once per kind, as it did when the actors' table
    was read), and the kept events alone are read: joining the actors' table to the kept
    events and counting distinct events took 100 to 400 ms of each query at a million
    events. The lists are unnested one kind at a time: concatenating them took 300 ms."""
    rows = " UNION ALL ".join(
        f"SELECT f.id AS event_id, unnest(f.{_NAMES[kind]}) AS name_ar, f.themes FROM f"
        for kind in kinds)
    names = " UNION ALL ".join(f"SELECT unnest(f.{_NAMES[kind]}) AS name_ar FROM f"
                               for kind in kinds)
    # `busiest` unnests the names alone; a query reading `kept_rows` after it unnests them
    # again with what it needs: keeping every (event, name, themes) row for both uses copied
    # a million and a half of them (837k events, actor themes side by side with the store
    # bench running: unfiltered 393 -> 242 ms, under a theme 279 -> 218; under a selective
    # filter, a year, a city or an actor, 20 to 40 ms slower, where there was little to copy).
    return f""",
    kept_rows AS NOT MATERIALIZED ({rows}),
    busiest AS MATERIALIZED (
      SELECT name_ar, count(*) AS n FROM ({names})
      GROUP BY name_ar ORDER BY n DESC, name_ar LIMIT ?){_ENGLISH}""", [top]


def events_per_actor(store: Queryable, filters: Filters, kind: str,
                     top: int = 15) -> pd.DataFrame:
    """The `top` actors of `kind` (person or organization) by the number of kept events they
    take part in: name_ar, name_en, events; most events first."""
    if kind not in ACTOR_KINDS:
        raise ValueError(f"kind must be one of {ACTOR_KINDS}, not {kind!r}")
    cte, params = filtered_cte(filters)
    busiest, more = _busiest((kind,), top)
    return store.query(f"""{cte}{busiest}
        SELECT b.name_ar, english.name_en, b.n AS events
        FROM busiest b JOIN english USING (name_ar)
        ORDER BY events DESC, b.name_ar""", [*params, *more])


def actor_themes(store: Queryable, filters: Filters, top: int = 15) -> pd.DataFrame:
    """Events per (actor, theme) for the `top` persons and organizations with the most kept
    events: name_ar, name_en, theme, events. An event with two themes counts for both."""
    cte, params = filtered_cte(filters)
    busiest, more = _busiest(ACTOR_KINDS, top)
    # Only the busiest actors' events' themes are unnested. An event's themes are made
    # distinct, so each (event, actor, theme) row is unique and counting rows counts events.
    return store.query(f"""{cte}{busiest},
        themed AS (
          SELECT k.name_ar, unnest(list_distinct(k.themes)) AS theme FROM kept_rows k
          WHERE k.name_ar IN (SELECT name_ar FROM busiest)),
        counted AS (SELECT name_ar, theme, count(*) AS events FROM themed GROUP BY ALL)
        SELECT c.name_ar, english.name_en, c.theme, c.events
        FROM counted c JOIN busiest b USING (name_ar) JOIN english USING (name_ar)
        ORDER BY b.n DESC, c.name_ar, c.events DESC, c.theme
        """, [*params, *more])


def participants_per_event(store: Queryable, filters: Filters, top: int = 20) -> pd.DataFrame:
    """The `top` kept events with the most named participants (actors): id, type, name,
    start_date, venue_ar, venue_en, actors (how many the text names), participants (the number
    of participants the text states, when it does), n_sources, corrected_fields, conflicts.

    Each event carries its actors' distinct names (`events.actor_names`): the kept events
    alone are read (counting every kept event's distinct actors from the actors' table took
    640 ms at a million events)."""
    cte, params = filtered_cte(filters)
    return store.query(f"""{cte}
        SELECT f.id, f.type, f.name, f.start_date, f.venue_name_ar AS venue_ar,
               coalesce(f.venue_name_en, f.venue_name_ar) AS venue_en,
               len(f.actor_names) AS actors, f.participants, f.n_sources,
               f.corrected_fields, f.conflicts
        FROM f WHERE len(f.actor_names) > 0
        ORDER BY actors DESC, f.start_date DESC NULLS LAST, f.id LIMIT ?""",
        [*params, top])


def co_participation(store: Queryable, filters: Filters, top: int = 15) -> pd.DataFrame:
    """Organizations that take part in the same kept events: for the `top` organizations with
    the most events, every ordered pair (a, b) with the number of events both take part in
    (a == b: the organization's own number of events). Columns: a_ar, a_en, b_ar, b_en,
    events. Pairs that never meet are absent."""
    cte, params = filtered_cte(filters)
    busiest, more = _busiest(("organization",), top)
    # The pairs are counted before their English names are joined: joining them to each of
    # their 170,000 meetings took a third of the query at 837k events (187 -> 143 ms).
    return store.query(f"""{cte}{busiest},
        top_orgs AS (
          SELECT k.event_id, k.name_ar FROM kept_rows k
          WHERE k.name_ar IN (SELECT name_ar FROM busiest)),
        pairs AS (
          SELECT x.name_ar AS a_ar, y.name_ar AS b_ar, count(*) AS events
          FROM top_orgs x JOIN top_orgs y ON x.event_id = y.event_id GROUP BY ALL)
        SELECT p.a_ar, ex.name_en AS a_en, p.b_ar, ey.name_en AS b_en, p.events
        FROM pairs p JOIN english ex ON ex.name_ar = p.a_ar
        JOIN english ey ON ey.name_ar = p.b_ar
        ORDER BY p.a_ar, p.b_ar""", [*params, *more])


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
