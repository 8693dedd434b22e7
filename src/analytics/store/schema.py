"""The store's tables, declared once: column names, DuckDB types and Arrow types.

Input: nothing (declarations). Output: the DDL that creates a store (`create_statements`) and the
Arrow schemas the writer loads rows with (`arrow_schema`). The meaning of every column is
documented in the package docstring (`analytics.store`); a test checks that each column here is
named there.

Bump `SCHEMA_VERSION` whenever a table or column changes. A store written under another version
is never read as if it were this one: readers refuse it with a message, and
`analytics ingest --rebuild` re-extracts its articles into a store of the current version.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

# 2: events are resolved across articles (article_events holds each article's own events);
#    corrections.
# 3: events.search_text, the folded names the dashboard's free-text search reads.
# 4: match_keys, what resolution looks up the stored clusters a new article event may join by.
# 5: events.actor_names, persons, organizations: each event's actors' names, and
#    events.outlets, its articles' sources: read by the pages without joining event_actors,
#    event_sources and articles.
# 6: events.actors_ar, actors_en (its actors' names as the pages show them) and article_ids
#    (its articles): the events table, the calendar, the timeline and the counts of articles
#    read them without joining event_actors and event_sources.
SCHEMA_VERSION = 6

SPAN = pa.struct([("start", pa.int32()), ("end", pa.int32())])


@dataclass(frozen=True)
class Column:
    name: str
    sql_type: str
    arrow_type: pa.DataType


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def create_statement(self) -> str:
        cols = ",\n    ".join(f'"{c.name}" {c.sql_type}' for c in self.columns)
        return f"CREATE TABLE {self.name} (\n    {cols}\n)"

    def arrow_schema(self) -> pa.Schema:
        return pa.schema([(c.name, c.arrow_type) for c in self.columns])


def _c(name: str, sql_type: str) -> Column:
    arrow = {
        "VARCHAR": pa.string(), "INTEGER": pa.int32(), "DOUBLE": pa.float64(),
        "BOOLEAN": pa.bool_(), "BIGINT": pa.int64(),
        "DATE": pa.date32(), "TIMESTAMP": pa.timestamp("us"), "VARCHAR[]": pa.list_(pa.string()),
        'STRUCT("start" INTEGER, "end" INTEGER)[]': pa.list_(SPAN),
    }[sql_type]
    return Column(name, sql_type, arrow)


SPANS = 'STRUCT("start" INTEGER, "end" INTEGER)[]'

# What an event is, in the machine's per-article events and in the resolved ones alike.
_EVENT_FIELDS = (
    _c("id", "VARCHAR"), _c("article_id", "VARCHAR"), _c("position", "INTEGER"),
    _c("type", "VARCHAR"), _c("name", "VARCHAR"),
    _c("start_date", "DATE"), _c("end_date", "DATE"), _c("status", "VARCHAR"),
    _c("venue_name_ar", "VARCHAR"), _c("venue_name_en", "VARCHAR"),
    _c("venue_country", "VARCHAR"), _c("venue_lat", "DOUBLE"), _c("venue_lon", "DOUBLE"),
    _c("venue_entity_id", "VARCHAR"), _c("participants", "INTEGER"),
    _c("confidence", "DOUBLE"), _c("themes", "VARCHAR[]"),
    _c("trigger_start", "INTEGER"), _c("trigger_end", "INTEGER"),
    _c("trigger_text", "VARCHAR"), _c("provenance", "VARCHAR"),
)

# No PRIMARY KEY or UNIQUE constraints: the writer is the only code that inserts (it enforces
# uniqueness of ids itself). The few indexes are in INDEXES, below.
TABLES: tuple[Table, ...] = (
    Table("meta", (_c("key", "VARCHAR"), _c("value", "VARCHAR"))),
    Table("articles", (
        _c("id", "VARCHAR"), _c("title", "VARCHAR"), _c("published", "DATE"),
        _c("source", "VARCHAR"), _c("url", "VARCHAR"), _c("text", "VARCHAR"),
        _c("text_hash", "VARCHAR"), _c("ingested_at", "TIMESTAMP"),
        _c("n_events", "INTEGER"), _c("n_mentions", "INTEGER"),
    )),
    Table("mentions", (
        _c("article_id", "VARCHAR"), _c("start_offset", "INTEGER"), _c("end_offset", "INTEGER"),
        _c("kind", "VARCHAR"), _c("text", "VARCHAR"), _c("name_ar", "VARCHAR"),
        _c("name_en", "VARCHAR"), _c("entity_id", "VARCHAR"), _c("title", "VARCHAR"),
        _c("country", "VARCHAR"), _c("lat", "DOUBLE"), _c("lon", "DOUBLE"),
        _c("provenance", "VARCHAR"),
    )),
    Table("article_events", (
        *_EVENT_FIELDS,
        _c("published", "DATE"), _c("evidence", SPANS), _c("claim", "VARCHAR"),
        _c("ingested_at", "TIMESTAMP"),
        _c("family", "VARCHAR"), _c("window_first", "DATE"), _c("window_last", "DATE"),
        _c("dated", "BOOLEAN"), _c("name_key", "VARCHAR"), _c("name_words", "INTEGER"),
        _c("venue_keys", "VARCHAR[]"), _c("actor_keys", "VARCHAR[]"),
        _c("cluster_id", "VARCHAR"),
    )),
    Table("match_keys", (_c("key", "BIGINT"), _c("article_event_id", "VARCHAR"))),
    Table("events", (
        *_EVENT_FIELDS,
        _c("n_sources", "INTEGER"), _c("corrected_fields", "VARCHAR[]"),
        _c("conflicts", "VARCHAR[]"), _c("search_text", "VARCHAR"),
        _c("actor_names", "VARCHAR[]"), _c("persons", "VARCHAR[]"),
        _c("organizations", "VARCHAR[]"), _c("outlets", "VARCHAR[]"),
        _c("actors_ar", "VARCHAR[]"), _c("actors_en", "VARCHAR[]"),
        _c("article_ids", "VARCHAR[]"),
    )),
    Table("event_actors", (
        _c("event_id", "VARCHAR"), _c("position", "INTEGER"), _c("name_ar", "VARCHAR"),
        _c("name_en", "VARCHAR"), _c("kind", "VARCHAR"), _c("title", "VARCHAR"),
        _c("entity_id", "VARCHAR"),
    )),
    Table("event_about", (
        _c("event_id", "VARCHAR"), _c("position", "INTEGER"), _c("name_ar", "VARCHAR"),
        _c("name_en", "VARCHAR"), _c("country", "VARCHAR"), _c("lat", "DOUBLE"),
        _c("lon", "DOUBLE"), _c("entity_id", "VARCHAR"),
    )),
    Table("event_sources", (
        _c("event_id", "VARCHAR"), _c("article_id", "VARCHAR"),
        _c("evidence_start", "INTEGER"), _c("evidence_end", "INTEGER"), _c("evidence", SPANS),
        _c("claim", "VARCHAR"), _c("ingested_at", "TIMESTAMP"),
        _c("article_event_id", "VARCHAR"), _c("published", "DATE"),
    )),
    Table("corrections", (
        _c("id", "VARCHAR"), _c("made_at", "TIMESTAMP"), _c("author", "VARCHAR"),
        _c("reason", "VARCHAR"), _c("action", "VARCHAR"), _c("event_id", "VARCHAR"),
        _c("members", "VARCHAR[]"), _c("field", "VARCHAR"), _c("value", "VARCHAR"),
        _c("previous", "VARCHAR"), _c("other_members", "VARCHAR[]"), _c("undoes", "VARCHAR"),
    )),
    Table("places", (
        _c("id", "VARCHAR"), _c("name_ar", "VARCHAR"), _c("name_en", "VARCHAR"),
        _c("country", "VARCHAR"), _c("lat", "DOUBLE"), _c("lon", "DOUBLE"),
    )),
)

TABLE = {t.name: t for t in TABLES}

# Tables whose rows belong to one article: replaced together when the article changes.
ARTICLE_TABLES = ("articles", "mentions", "article_events", "match_keys")
# Tables of resolved events: rebuilt for the events an ingest or a correction touches.
RESOLVED_TABLES = ("events", "event_actors", "event_about", "event_sources")


def create_statements() -> list[str]:
    return [t.create_statement() for t in TABLES]


@dataclass(frozen=True)
class Index:
    name: str
    table: str
    column: str

    def create_statement(self) -> str:
        return f'CREATE INDEX IF NOT EXISTS {self.name} ON {self.table} ("{self.column}")'


# Indexes for what the pages look up one at a time: an article and what it reports (the
# article view), an event and its actors, places and sources (the timeline's and the review
# page's detail). Without one, each lookup scans the column: at 837k events a single article's
# mentions took 27 ms and its events 40 ms, with one about 1 ms and 4 ms, at any size; the
# filtered aggregations never use them. Not part of SCHEMA_VERSION: a store is read the same
# with or without them, and the writer adds those missing when it publishes (4 s at 837k; an
# append then pays their upkeep, within the noise of the writer probe). No more than these:
# DuckDB cannot ALTER a table that has an index (`analytics.store.upgrade` drops them first).
INDEXES: tuple[Index, ...] = (
    Index("articles_by_id", "articles", "id"),
    Index("mentions_by_article", "mentions", "article_id"),
    Index("events_by_id", "events", "id"),
    Index("event_actors_by_event", "event_actors", "event_id"),
    Index("event_about_by_event", "event_about", "event_id"),
    Index("event_sources_by_event", "event_sources", "event_id"),
    Index("event_sources_by_article", "event_sources", "article_id"),
)


def index_statements() -> list[str]:
    """CREATE INDEX IF NOT EXISTS for each of INDEXES: run on a store with or without them."""
    return [i.create_statement() for i in INDEXES]
