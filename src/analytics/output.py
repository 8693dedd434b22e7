"""The contract's JSON shape (../shared/eval/contract.md) for an Extraction: one object per
article. Extra fields are allowed by the contract; the named ones keep their meaning."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from analytics.model import Actor, Event, Extraction, Mention, Venue


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def venue_json(v: Venue | None) -> dict[str, Any] | None:
    if v is None:
        return None
    out = {"name_ar": v.name_ar, "name_en": v.name_en, "country": v.country,
           "lat": v.lat, "lon": v.lon}
    if v.city_ar:  # a named site: the city it is in (an extra field, allowed by the contract)
        out |= {"city_ar": v.city_ar, "city_en": v.city_en}
    return out


def actor_json(a: Actor) -> dict[str, Any]:
    return {"name_ar": a.name_ar, "name_en": a.name_en, "kind": a.kind, "title": a.title}


def event_json(e: Event) -> dict[str, Any]:
    return {
        "type": e.type,
        "name": e.name,
        "start": _iso(e.start),
        "end": _iso(e.end),
        "status": e.status,
        "venue": venue_json(e.venue),
        "participants": e.participants,
        "actors": [actor_json(a) for a in e.actors],
        "themes": list(e.themes),
        "evidence": [{"start": s.start, "end": s.end} for s in e.evidence],
        "confidence": round(e.confidence, 2),
        "trigger": {"start": e.trigger.start, "end": e.trigger.end} if e.trigger else None,
        "about": [venue_json(v) for v in e.about],
    }


def entity_json(m: Mention) -> dict[str, Any]:
    out: dict[str, Any] = {"text": m.text, "start": m.start, "end": m.end, "kind": m.kind,
                           "name_ar": m.name_ar, "name_en": m.name_en}
    if m.title:
        out["title"] = m.title
    if m.kind == "place" and m.lat is not None:
        out.update(country=m.country, lat=m.lat, lon=m.lon)
    return out


def extraction_json(x: Extraction) -> dict[str, Any]:
    a = x.article
    return {
        "article": {"id": a.id, "title": a.title, "published": _iso(a.published),
                    "source": a.source, "url": a.url},
        "events": [event_json(e) for e in x.events],
        "entities": [entity_json(m) for m in x.entities],
        "dates": [{"text": d.text, "start": d.start, "end": d.end, "first": _iso(d.first),
                   "last": _iso(d.last), "granularity": d.granularity} for d in x.dates],
    }


def to_jsonl(x: Extraction) -> str:
    return json.dumps(extraction_json(x), ensure_ascii=False)
