"""What the review and audit pages ask of corrections and of one event's sources.

Input: an open store (`Queryable`). Output: pandas DataFrames: every correction with its state
(`corrections`), those whose event vanished (`vanished`), an event's sources with what each one
claimed (`event_sources`) and the events a reviewer can pick from (`events_to_review`).
"""

from __future__ import annotations

import pandas as pd

from analytics.filters import Filters
from analytics.queries import Queryable, filtered_cte

# A correction is `undone` when an undo in force names it, `vanished` when none of the article
# events it follows is stored any more (the article changed there): listed for review, never
# dropped; `in force` otherwise.
_CORRECTIONS_SQL = """
WITH undos AS (
    SELECT id, undoes FROM corrections WHERE action = 'undo'
), undone AS (
    -- an undo that is itself undone takes nothing back
    SELECT u.undoes AS id FROM undos u WHERE u.id NOT IN (SELECT undoes FROM undos)
), present AS (
    SELECT c.id, count(ae.id) AS found
    FROM corrections c, unnest(list_concat(c.members, c.other_members)) AS m(member)
    LEFT JOIN article_events ae ON ae.id = m.member
    GROUP BY c.id
)
SELECT c.made_at, c.author, c.action, c.field, c.value, c.previous, c.reason, c.event_id,
       CASE WHEN c.action = 'undo' THEN 'undo'
            WHEN c.id IN (SELECT id FROM undone) THEN 'undone'
            WHEN coalesce(p.found, 0) = 0 THEN 'vanished'
            ELSE 'in force' END AS state,
       len(c.members) AS n_members, c.undoes, c.id AS correction_id
FROM corrections c LEFT JOIN present p ON p.id = c.id
ORDER BY c.made_at DESC, c.id
"""


def corrections(store: Queryable) -> pd.DataFrame:
    """Every correction, newest first: when, who, what (action, field, value, previous),
    why, the event, and its `state` (in force | undone | vanished | undo)."""
    return store.query(_CORRECTIONS_SQL)


def vanished(store: Queryable) -> pd.DataFrame:
    """Corrections whose event is no longer in the store: to be reviewed by an analyst."""
    table = corrections(store)
    return table[table["state"] == "vanished"].reset_index(drop=True)


def event_sources(store: Queryable, event_id: str) -> pd.DataFrame:
    """The sources of one resolved event: article, title, publication date, evidence offsets,
    the article event's id (what a split moves) and what that source claimed (JSON)."""
    return store.query("""
        SELECT s.article_id, a.title, s.published, s.evidence_start, s.evidence_end,
               s.article_event_id, s.claim
        FROM event_sources s LEFT JOIN articles a ON a.id = s.article_id
        WHERE s.event_id = ? ORDER BY s.published NULLS LAST, s.article_id,
                                      s.article_event_id""", [event_id])


def event(store: Queryable, event_id: str) -> pd.DataFrame:
    """One resolved event's row in `events` (empty when it is not there) and its actors as a
    list of names."""
    return store.query("""
        SELECT e.*, (SELECT list(a.name_ar ORDER BY a.position) FROM event_actors a
                     WHERE a.event_id = e.id) AS actor_names
        FROM events e WHERE e.id = ?""", [event_id])


def events_to_review(store: Queryable, filters: Filters, limit: int = 1000) -> pd.DataFrame:
    """The events the filters keep, for a picker: id, type, name, start, venue, n_sources,
    corrected fields and conflicts; most reported first, the first `limit` of them (a picker
    of a million events is of no use, and fetching them took 1.5 s and 400 MB a rerun; the
    sidebar's filters narrow the choice)."""
    cte, params = filtered_cte(filters)
    return store.query(f"""{cte}
        SELECT f.id, f.type, f.name, f.start_date, f.venue_name_ar, f.n_sources,
               f.corrected_fields, f.conflicts
        FROM f ORDER BY f.n_sources DESC, f.start_date DESC NULLS LAST, f.id LIMIT ?""",
                       [*params, limit])
