"""One article and one event, in detail: what the article view and the timeline's detail show.

Input: a store (`Queryable`) and an article id or an event id (or `Filters`, for the list of
articles to choose from). Output: DataFrames with the data's own column names; offsets are
`str` indices into `articles.text`, end exclusive, as stored.

The store does not keep date expressions (only the dates events resolved to), so
`article_dates` reads them again from the stored text with the extractor's own date grammar:
the same pure function over the same text, so the offsets match the text shown.
"""

from __future__ import annotations

import pandas as pd

from analytics.extract.dates import find_dates
from analytics.filters import Filters
from analytics.model import Article, DateMention
from analytics.queries import (
    Queryable,
    as_date,
    events_reported,
    filtered_cte,
    reporting_articles,
)
from analytics.text.doc import make_doc


def article(store: Queryable, article_id: str) -> pd.DataFrame:
    """At most one row: id, title, published, source, url, text."""
    return store.query("""SELECT id, title, published, source, url, text FROM articles
                          WHERE id = ?""", [article_id])


def article_mentions(store: Queryable, article_id: str) -> pd.DataFrame:
    """The persons, organizations and places the article names, in text order: start, end,
    kind, text, name_ar, name_en, entity_id, title, country."""
    return store.query("""
        SELECT start_offset AS start, end_offset AS "end", kind, text, name_ar, name_en,
               entity_id, title, country
        FROM mentions WHERE article_id = ? ORDER BY start_offset, end_offset""", [article_id])


def article_evidence(store: Queryable, article_id: str) -> pd.DataFrame:
    """Where the article reports each event: one row per evidence span (start, end, event_id,
    type, name), in text order."""
    return store.query("""
        WITH spans AS (
          SELECT s.event_id, unnest(s.evidence) AS span
          FROM event_sources s WHERE s.article_id = ?)
        SELECT spans.span.start AS start, spans.span."end" AS "end", spans.event_id, e.type,
               e.name
        FROM spans JOIN events e ON e.id = spans.event_id
        ORDER BY start, "end", spans.event_id""", [article_id])


def article_events(store: Queryable, article_id: str) -> pd.DataFrame:
    """The events the article reports (whichever article they were first read from): id, type,
    name, start_date, end_date, status, venue_ar, venue_en, n_sources (every article that
    reports the resolved event), corrected_fields, conflicts, in the article's order."""
    return store.query("""
        SELECT e.id, e.type, e.name, e.start_date, e.end_date, e.status,
               e.venue_name_ar AS venue_ar, coalesce(e.venue_name_en, e.venue_name_ar)
               AS venue_en, e.n_sources, e.corrected_fields, e.conflicts
        FROM events e JOIN event_sources s ON s.event_id = e.id AND s.article_id = ?
        ORDER BY s.evidence_start NULLS LAST, e.position, e.id""", [article_id])


def article_dates(row: pd.Series) -> list[DateMention]:
    """The date expressions of an article row (from `article`), resolved against its
    publication date, with offsets into its text."""
    doc = make_doc(Article(id=str(row["id"]), text=row["text"] or "",
                           published=as_date(row["published"])))
    return find_dates(doc)


# A title and the words searched for in it, folded alike, in SQL on both sides (so that they
# always match): diacritics, hamza and madda off (strip_accents: "إسطنبول" is found by
# "اسطنبول"), alef wasla as alef, alef maksura as yeh, teh marbuta as heh, no tatweel, lower
# case. Close to `analytics.filters.search_key`, which folds with a table DuckDB's translate
# reads too slowly (4 s over half a million titles; this: 20 ms).
_FOLD = "lower(translate(strip_accents({}), '\u0671\u0649\u0629\u0640', '\u0627\u064a\u0647'))"


def articles_for(store: Queryable, filters: Filters, limit: int = 500,
                 search: str = "") -> pd.DataFrame:
    """The newest `limit` articles that report at least one kept event (and, with `search`,
    whose title, or opening when untitled, holds its words): id, title, published, source,
    opening (the text's first 200 characters, to name an article without a title), events
    (how many kept events each reports), total (how many articles there are in all, listed
    or not), newest first.

    A million events are reported by half a million articles: a picker can list only some.
    They are listed by article id and day first (`reporting_articles`) and only the listed
    ones are counted and joined to their text (grouping every article by its title and
    opening took 1 s at a million events). The listed articles are found by their narrow id
    first and then read whole by rowid: joining by id read every article's text (837k events,
    unfiltered: 270 -> 185 ms)."""
    cte, params = filtered_cte(filters)
    words = " ".join(search.split())
    # Only a search reads the articles' titles; the list itself is the sources' ids and days.
    match = (f"JOIN articles a ON a.id = r.article_id WHERE contains("
             f"{_FOLD.format('coalesce(a.title, left(a.text, 200))')}, {_FOLD.format('?')})"
             if words else "")
    return store.query(f"""{cte},
        {reporting_articles(filters)},
        listed AS (SELECT r.article_id, r.published FROM reporting r {match}),
        newest AS (
          SELECT * FROM listed ORDER BY published DESC NULLS LAST, article_id LIMIT ?),
        {events_reported("newest")},
        shown AS (
          SELECT a.id, a.title, a.published, a.source, left(a.text, 200) AS opening
          FROM articles a WHERE a.rowid IN (
            SELECT rowid FROM articles WHERE id IN (SELECT article_id FROM newest)))
        SELECT a.id, a.title, a.published, a.source, a.opening,
               reported.events, (SELECT count(*) FROM listed) AS total
        FROM newest n JOIN shown a ON a.id = n.article_id
        JOIN reported ON reported.article_id = n.article_id
        ORDER BY a.published DESC NULLS LAST, a.id""",
        [*params, *([words] if words else []), limit])


def event(store: Queryable, event_id: str) -> pd.DataFrame:
    """At most one row: the event's fields (id, article_id, type, name, start_date, end_date,
    status, venue_ar, venue_en, venue_country, participants, confidence, themes,
    trigger_text, n_sources, corrected_fields, conflicts)."""
    return store.query("""
        SELECT id, article_id, type, name, start_date, end_date, status,
               venue_name_ar AS venue_ar, venue_name_en AS venue_en, venue_country,
               participants, confidence, themes, trigger_text, n_sources, corrected_fields,
               conflicts
        FROM events WHERE id = ?""", [event_id])


def event_actors(store: Queryable, event_id: str) -> pd.DataFrame:
    """Who took part: name_ar, name_en, kind, title, in the order the text gives."""
    return store.query("""SELECT name_ar, name_en, kind, title FROM event_actors
                          WHERE event_id = ? ORDER BY position""", [event_id])


def event_about(store: Queryable, event_id: str) -> pd.DataFrame:
    """Places the event is about (not its venue): name_ar, name_en, country."""
    return store.query("""SELECT name_ar, name_en, country FROM event_about
                          WHERE event_id = ? ORDER BY position""", [event_id])


def event_sources(store: Queryable, event_id: str) -> pd.DataFrame:
    """The articles that report the event, oldest first: article_id, title, source (the
    outlet), published, url, text, evidence (a list of {start, end} sentence spans)."""
    return store.query("""
        SELECT s.article_id, a.title, a.source, a.published, a.url, a.text, s.evidence
        FROM event_sources s JOIN articles a ON a.id = s.article_id
        WHERE s.event_id = ? ORDER BY a.published NULLS LAST, s.article_id""", [event_id])


def spans_of(evidence: object) -> list[tuple[int, int]]:
    """`(start, end)` pairs from a stored evidence list (what DuckDB gives pandas: a list or
    an array of dicts; missing: none)."""
    if evidence is None or (not hasattr(evidence, "__len__")):
        return []
    return [(int(s["start"]), int(s["end"])) for s in evidence]

