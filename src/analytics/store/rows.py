"""Extractions as table rows: pure functions, no database.

Input: `Extraction` values (analytics.model), and resolved events (`ResolvedEvent`). Output:
column-wise rows for the tables of `analytics.store.schema` (`Rows`), plus the identities the
writer needs: an article's fingerprint (what makes a second ingest of it a no-op), each event's
stable id, and the `EventKey` resolution compares (stored beside the event).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from analytics.model import Article, Event, Extraction, Mention, Venue
from analytics.output import event_json
from analytics.resolve import EventKey, event_key, evidence, indexed_days
from analytics.store.schema import ARTICLE_TABLES, RESOLVED_TABLES, TABLE
from analytics.text.normalize import normalize_key

Fingerprint = tuple[str, dt.date | None, str | None, str | None, str | None]


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def fingerprint(article: Article) -> Fingerprint:
    """What an ingest compares: the same id with the same fingerprint is left alone. Title,
    source and url are part of it so that corrected metadata is stored, not ignored."""
    return (text_hash(article.text), article.published, article.title, article.source,
            article.url)


def event_ids(article_id: str, events: Iterable[Event], text: str | None = None) -> list[str]:
    """Stable ids: analysts' corrections (stored apart) follow their event through re-ingests
    by these ids.

    With the article's `text`, the key is the article, the event type, the trigger's words
    (else its first evidence sentence) and how many events of that type and trigger come
    before it: an edit elsewhere in the article (a corrected typo, an added paragraph) keeps
    the ids. Without it, the trigger's offsets stand for its words. A repeated key within one
    article gets its position appended."""
    ids: list[str] = []
    seen: set[str] = set()
    occurrences: dict[tuple[str, str], int] = {}
    for position, event in enumerate(events):
        anchor = event.trigger or (event.evidence[0] if event.evidence else None)
        if anchor is None:
            where = f"#{position}"
        elif text is not None:
            words = " ".join(text[anchor.start:anchor.end].split())
            n = occurrences.get((event.type, words), 0)
            occurrences[(event.type, words)] = n + 1
            where = f"{words}\x1f{n}"
        else:
            where = f"{anchor.start}:{anchor.end}"
        key = f"{article_id}\x1f{event.type}\x1f{where}"
        if key in seen:
            key += f"\x1f{position}"
        seen.add(key)
        ids.append("ev-" + hashlib.blake2b(key.encode("utf-8", "surrogatepass"),
                                           digest_size=8).hexdigest())
    return ids


def place_id(name_ar: str, entity_id: str | None) -> str:
    """Places are keyed by their knowledge id; a place the knowledge base does not know is keyed
    by its canonical Arabic name."""
    return entity_id or f"name:{name_ar}"


def claim(e: Event) -> dict[str, Any]:
    """What one article says of an event: the contract's event JSON, plus the knowledge ids of
    its venue, actors and places (resolution and corrections compare them)."""
    out = event_json(e)
    if e.venue is not None:
        out["venue"]["entity_id"] = e.venue.entity_id
    for item, actor in zip(out["actors"], e.actors, strict=True):
        item["entity_id"] = actor.entity_id
    for item, place in zip(out["about"], e.about, strict=True):
        item["entity_id"] = place.entity_id
    return out


def search_key(text: str) -> str:
    """The folded form of a name or a search term: normalized as names are matched (alef
    forms, alef maksura, teh marbuta, diacritics and tatweel), whitespace folded, lower case.
    `analytics.filters` folds what the analyst types with this same function."""
    return normalize_key(text).lower()


# Between two names in `search_text`: a folded search term never holds a line break (its
# whitespace is folded to single spaces), so a term never matches across two names.
SEARCH_SEPARATOR = "\n"


def search_text(names: Iterable[str | None]) -> str:
    """What the free-text search reads for one event: its name, venue and actors' names,
    each folded by `search_key`, once each, one per line. Written with the event (corrected
    names included), so that a search is a plain `contains` over one column."""
    keys = dict.fromkeys(search_key(n) for n in names if n)
    return SEARCH_SEPARATOR.join(k for k in keys if k)


def actor_names(actors: Iterable[dict[str, Any]], kind: str | None = None) -> list[str]:
    """The canonical Arabic names of an event's actors (of `kind` only, when given), each
    once, sorted: what `events.actor_names`, `persons` and `organizations` hold, so that a
    page counts an actor's events from the events it keeps without joining `event_actors`
    (an actor named twice in one event is one name)."""
    return sorted({a["name_ar"] for a in actors
                   if a.get("name_ar") and (kind is None or a.get("kind") == kind)})


def match_keys(key: EventKey, days: Iterable[int]) -> list[int]:
    """64-bit hashes of (type family, piece of `evidence`, day) for each piece of the key's
    evidence and each of `days`. A stored article event is filed under its `indexed_days`; a
    new one looks up its `lookup_days`: a hash in common means the stored event's cluster is
    among the new one's candidates and shares evidence with it, which `score` asks for. A
    collision (one in 2**64) merely lets one more cluster be scored."""
    found = sorted(evidence(key))
    return [int.from_bytes(hashlib.blake2b(f"{key.family}\x1f{e}\x1f{day}".encode(),
                                           digest_size=8).digest(), "big", signed=True)
            for e in found for day in days]


def _day(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


@dataclass(frozen=True)
class ResolvedEvent:
    """One event as stored in `events`: its fields after merging and corrections, the source
    that leads it (its trigger and position are shown), and every source's stored row (with
    `outlet`, its article's source)."""
    id: str
    fields: dict[str, Any]
    lead: dict[str, Any]
    sources: tuple[dict[str, Any], ...]
    corrected: tuple[str, ...] = ()


class Rows:
    """Column-wise rows for one batch of articles, ready to become Arrow tables."""

    def __init__(self) -> None:
        self.columns: dict[str, dict[str, list[Any]]] = {
            name: {c: [] for c in TABLE[name].column_names}
            for name in (*ARTICLE_TABLES, *RESOLVED_TABLES, "places")
        }
        self._places: set[str] = set()
        self.keys: list[EventKey] = []  # the batch's article events, in order, for resolution

    def _add(self, table: str, **values: Any) -> None:
        cols = self.columns[table]
        for name, column in cols.items():
            column.append(values.get(name))

    def add(self, x: Extraction, ingested_at: dt.datetime) -> None:
        a = x.article
        self._add("articles", id=a.id, title=a.title, published=a.published, source=a.source,
                  url=a.url, text=a.text, text_hash=text_hash(a.text), ingested_at=ingested_at,
                  n_events=len(x.events), n_mentions=len(x.entities))
        for m in x.entities:
            self._add("mentions", article_id=a.id, start_offset=m.start, end_offset=m.end,
                      kind=m.kind, text=m.text, name_ar=m.name_ar, name_en=m.name_en,
                      entity_id=m.entity_id, title=m.title, country=m.country, lat=m.lat,
                      lon=m.lon, provenance=m.source)
            if m.kind == "place":
                self._add_place(m)
        for position, (event_id, e) in enumerate(zip(event_ids(a.id, x.events, a.text), x.events)):
            self._add_event(a, event_id, position, e, ingested_at)

    def _add_event(self, a: Article, event_id: str, position: int, e: Event,
                   ingested_at: dt.datetime) -> None:
        v = e.venue
        key = event_key(event_id, a.id, a.published, e)
        self.keys.append(key)
        self._add("article_events", id=event_id, article_id=a.id, position=position,
                  type=e.type, name=e.name, start_date=e.start, end_date=e.end, status=e.status,
                  venue_name_ar=v.name_ar if v else None, venue_name_en=v.name_en if v else None,
                  venue_country=v.country if v else None, venue_lat=v.lat if v else None,
                  venue_lon=v.lon if v else None, venue_entity_id=v.entity_id if v else None,
                  participants=e.participants, confidence=e.confidence, themes=list(e.themes),
                  trigger_start=e.trigger.start if e.trigger else None,
                  trigger_end=e.trigger.end if e.trigger else None,
                  trigger_text=a.text[e.trigger.start:e.trigger.end] if e.trigger else None,
                  provenance=e.source or None, published=a.published,
                  evidence=[{"start": s.start, "end": s.end} for s in e.evidence],
                  claim=json.dumps(claim(e), ensure_ascii=False), ingested_at=ingested_at,
                  family=key.family, window_first=key.first, window_last=key.last,
                  dated=key.dated, name_key=key.name, name_words=key.name_words,
                  venue_keys=list(key.venues), actor_keys=list(key.actors), cluster_id=None)
        for h in match_keys(key, indexed_days(key)):
            self._add("match_keys", key=h, article_event_id=event_id)
        for place in e.about:
            self._add_place(place)
        if v is not None:
            self._add_place(v)

    def add_resolved(self, r: ResolvedEvent) -> None:
        """The rows of one resolved event: `events`, its actors, places and sources."""
        f, lead = r.fields, r.lead
        v = f.get("venue") or {}
        actors = f.get("actors") or []
        searched = [f.get("name"), v.get("name_ar"), v.get("name_en"),
                    *(name for a in actors for name in (a.get("name_ar"), a.get("name_en")))]
        self._add("events", id=r.id, article_id=lead["article_id"], position=lead["position"],
                  type=f["type"], name=f.get("name"), start_date=_day(f.get("start")),
                  end_date=_day(f.get("end")), status=f.get("status"),
                  venue_name_ar=v.get("name_ar"), venue_name_en=v.get("name_en"),
                  venue_country=v.get("country"), venue_lat=v.get("lat"),
                  venue_lon=v.get("lon"), venue_entity_id=v.get("entity_id"),
                  participants=f.get("participants"), confidence=f.get("confidence"),
                  themes=list(f.get("themes") or []), trigger_start=lead["trigger_start"],
                  trigger_end=lead["trigger_end"], trigger_text=lead["trigger_text"],
                  provenance=lead["provenance"], n_sources=len(r.sources),
                  corrected_fields=list(r.corrected), conflicts=list(f.get("conflicts") or []),
                  search_text=search_text(searched), actor_names=actor_names(actors),
                  persons=actor_names(actors, "person"),
                  organizations=actor_names(actors, "organization"),
                  outlets=sorted({o for s in r.sources if (o := s.get("outlet")) and o.strip()}),
                  actors_ar=[n for a in actors if (n := a.get("name_ar"))],
                  actors_en=[n for a in actors if (n := a.get("name_en") or a.get("name_ar"))],
                  article_ids=sorted({s["article_id"] for s in r.sources}))
        for i, actor in enumerate(actors):
            self._add("event_actors", event_id=r.id, position=i, name_ar=actor.get("name_ar"),
                      name_en=actor.get("name_en"), kind=actor.get("kind"),
                      title=actor.get("title"), entity_id=actor.get("entity_id"))
        for i, place in enumerate(f.get("about") or []):
            self._add("event_about", event_id=r.id, position=i, name_ar=place.get("name_ar"),
                      name_en=place.get("name_en"), country=place.get("country"),
                      lat=place.get("lat"), lon=place.get("lon"),
                      entity_id=place.get("entity_id"))
        for s in r.sources:
            spans = s["evidence"] or []
            self._add("event_sources", event_id=r.id, article_id=s["article_id"],
                      evidence_start=min((x["start"] for x in spans), default=None),
                      evidence_end=max((x["end"] for x in spans), default=None),
                      evidence=spans, claim=s["claim"], ingested_at=s["ingested_at"],
                      article_event_id=s["id"], published=s["published"])

    def _add_place(self, p: Mention | Venue) -> None:
        pid = place_id(p.name_ar, p.entity_id)
        if pid not in self._places:
            self._places.add(pid)
            self._add("places", id=pid, name_ar=p.name_ar, name_en=p.name_en,
                      country=p.country, lat=p.lat, lon=p.lon)

    def arrow(self, table: str) -> pa.Table:
        return pa.table(self.columns[table], schema=TABLE[table].arrow_schema())

    def __len__(self) -> int:
        return len(self.columns["articles"]["id"])
