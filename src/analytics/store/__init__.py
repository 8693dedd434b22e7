"""The store: extractions in, DataFrames out. The only package that imports duckdb.

Input: `Extraction` values (from `analytics.pipeline`). Output: an embedded DuckDB file (default
`data/analytics.duckdb`, or $ANALYTICS_DB) that the queries layer reads with `Store.query`.

    with Store.open(path) as store:                    # creates the store when missing
        summary = store.ingest(extractions)            # IngestSummary
        df = store.query("SELECT type, count(*) AS n FROM events GROUP BY type")
    with Store.open(path, read_only=True) as store:    # the dashboard
        rows = list(store.events())

Why DuckDB: in-process (nothing to run beside the dashboard), columnar (the dashboard's
aggregations over a million events take milliseconds), and it reads and writes Parquet, so a
large archive can be built from or exported to Parquet parts.

Concurrency, in short (details in `writer`, `snapshot` and `database`): a writer takes an
exclusive lock on `<store>.lock`, so ingests run one after another and lose nothing; it writes
into a private copy of the store, checkpoints it and swaps it in with `os.replace`. Readers open
read-only snapshots of whatever file the path names and move to a newer one at their next query:
they never meet a lock, never wait for an ingest, and never see part of one; a killed ingest
leaves the store as it was. A store written under another `SCHEMA_VERSION` is refused with a
message saying how to rebuild it (`analytics ingest --rebuild --db PATH`).

The id columns the pages look one row up by (an article, its mentions and sources; an event,
its actors, places and sources) have indexes (`schema.INDEXES`), which the writer adds at its
next publish to a store written without them.

Tables (DuckDB types; offsets are Python `str` indices into `articles.text`, end exclusive;
timestamps are UTC):

meta(key, value)
    schema_version, created_at, last_ingest_at (ISO text).
articles(id, title, published, source, url, text, text_hash, ingested_at, n_events, n_mentions)
    One row per article. `published` DATE; `source` the outlet; `text` exactly as read (every
    offset below indexes it); `text_hash` sha256 of `text`; `ingested_at` when this version of
    the article was stored; `n_events`, `n_mentions` how many rows it has in events/mentions.
mentions(article_id, start_offset, end_offset, kind, text, name_ar, name_en, entity_id, title,
         country, lat, lon, provenance)
    Persons, organizations and places named in an article. `kind` person|organization|place;
    `text` the surface form (= articles.text[start_offset:end_offset]); `name_ar` the canonical
    Arabic name without clitics (group by this); `name_en` English name or romanization;
    `entity_id` the knowledge id when known ("org:oic", "geo:323786"); `title` a person's
    title or role; `country` ISO 3166-1 alpha-2 (places; an organization's seat); `lat`,
    `lon` for places; `provenance` the knowledge row or rule that found it.
article_events(id, article_id, position, type, name, start_date, end_date, status,
               venue_name_ar, venue_name_en, venue_country, venue_lat, venue_lon,
               venue_entity_id, participants, confidence, themes, trigger_start, trigger_end,
               trigger_text, provenance, published, evidence, claim, ingested_at, family,
               window_first, window_last, dated, name_key, name_words, venue_keys, actor_keys,
               cluster_id)
    The machine's events, one row per event per article, exactly as extracted. `id` stable
    ("ev-" + hash of article, type, trigger words and their occurrence): the same article
    read again, or edited elsewhere than at the event's trigger, keeps its ids, so
    corrections follow them; `article_id` the article and
    `position` the event's order there; `type` one of analytics.model.EVENT_TYPES; `name` its
    proper name or NULL; `start_date`, `end_date` DATE (end NULL for a one-day or open event);
    `status` held|ongoing|planned|NULL; `venue_*` where it takes place, `venue_country` ISO
    alpha-2; `participants` the number the text gives; `confidence` 0..1; `themes` VARCHAR[]
    of theme ids; `trigger_*` the word that fired and its offsets; `provenance` the trigger
    row; `published` the article's publication date; `evidence` the sentence spans, a list of
    STRUCT(start, end); `claim` the contract's event JSON with knowledge ids; `ingested_at`
    when stored. Resolution keys (analytics.resolve.EventKey): `family` the type family,
    `window_first`/`window_last` the days it covers (the publication date when undated),
    `dated` whether they come from the text, `name_key` the folded name and `name_words` its
    length, `venue_keys`, `actor_keys` folded keys; `cluster_id` the machine's resolved event.
match_keys(key, article_event_id)
    What resolution looks stored article events up by: one row per piece of an article event's
    evidence of identity (name, name word, participant, venue: `analytics.resolve.evidence`)
    and day it is filed under (`analytics.resolve.indexed_days`), `key` a BIGINT hash of the
    type family, the piece and the day (`analytics.store.rows.match_keys`). Written and deleted
    with the article's events.
events(id, article_id, position, type, name, start_date, end_date, status, venue_name_ar,
       venue_name_en, venue_country, venue_lat, venue_lon, venue_entity_id, participants,
       confidence, themes, trigger_start, trigger_end, trigger_text, provenance, n_sources,
       corrected_fields, conflicts, search_text, actor_names, persons, organizations, outlets,
       actors_ar, actors_en, article_ids)
    One row per RESOLVED event (the same real event reported by several articles is one row),
    with analysts' corrections applied; rejected events are left out. Columns as in
    article_events, taken from the best source (held before ongoing before planned, then the
    latest published) or from a correction; `id` the resolved event's id (its cluster's, or a
    split's); `article_id`, `position` and `trigger_*` those of its leading source;
    `n_sources` how many article events report it; `corrected_fields` VARCHAR[] the fields an
    analyst corrected ("sources" after a merge or split); `conflicts` VARCHAR[] the fields on
    which its sources disagree (type, name, start, end, venue, participants); `search_text`
    what the free-text search reads: the event's name, venue and actors' names (as corrected),
    each folded by `analytics.store.rows.search_key`, one per line; `actor_names` VARCHAR[]
    the distinct canonical Arabic names of its actors (event_actors.name_ar), sorted, and
    `persons`, `organizations` those of one kind: the pages count actors' events from them
    (`analytics.store.rows.actor_names`); `outlets` VARCHAR[] the sources (articles.source)
    of the articles reporting it, each once, sorted: what the outlet filter reads;
    `actors_ar` VARCHAR[] its actors' Arabic names in the order the text gives them (as
    event_actors by position, no missing or empty name), `actors_en` their English names
    (the Arabic one where there is none): what the pages show of its actors; `article_ids`
    VARCHAR[] the ids of the articles reporting it (event_sources.article_id), each once,
    sorted: what the pages list and count articles by.
event_actors(event_id, position, name_ar, name_en, kind, title, entity_id)
    Who takes part in, organizes or hosts a resolved event (the union of its sources, or the
    corrected list); `kind` person|organization|place.
event_about(event_id, position, name_ar, name_en, country, lat, lon, entity_id)
    Places a resolved event is about (not its venue).
event_sources(event_id, article_id, evidence_start, evidence_end, evidence, claim, ingested_at,
              article_event_id, published)
    Every source of a resolved event: the article, where it reports the event (`evidence` the
    sentence spans, a list of STRUCT(start, end); `evidence_start`, `evidence_end` the first
    start and last end of them), `claim` what this source said of the event (the contract's
    event JSON: its own dates, venue, status...), `article_event_id` its row in
    article_events, `published` the article's date.
corrections(id, made_at, author, reason, action, event_id, members, field, value, previous,
            other_members, undoes)
    Analysts' corrections, append-only (analytics.store.corrections): `action`
    set|reject|merge|split|undo; `made_at` UTC; `author` the name given; `reason` optional;
    `event_id` the resolved event corrected; `members` its article events at the time (what
    the correction follows); `field`, `value` (JSON) and `previous` (JSON) for a set;
    `other_members` the merged-in or split-off article events; `undoes` the correction an undo
    takes back.
places(id, name_ar, name_en, country, lat, lon)
    Every place mentioned or used as a venue, once: `id` its knowledge id, else
    "name:" + name_ar.
"""

from __future__ import annotations

from pathlib import Path

from analytics.store.database import Store, default_db, read_stored_articles
from analytics.store.schema import SCHEMA_VERSION, TABLES
from analytics.store.writer import IngestSummary, SchemaMismatch, Writer

__all__ = [
    "DEFAULT_DB",
    "SCHEMA_VERSION",
    "TABLES",
    "IngestSummary",
    "SchemaMismatch",
    "Store",
    "Writer",
    "default_db",
    "read_stored_articles",
]


def __getattr__(name: str) -> Path:
    # DEFAULT_DB follows $ANALYTICS_DB at the time it is read, not when this was imported.
    if name == "DEFAULT_DB":
        return default_db()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
