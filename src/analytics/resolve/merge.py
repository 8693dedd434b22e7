"""One resolved event from what each of its sources claimed.

Input: `SourceClaim` values, the contract's event JSON as each article gave it (with the
article's publication date). Output: the resolved event's fields (same JSON shape) and the names
of the fields on which the sources disagree.

Precedence: a report that the event was held outranks one that it is under way, which outranks
an announcement; among equals the later publication wins, then the more confident reading. Each
field comes from the best-ranked source that gives it, so a planned event later reported held
takes status held and the report's dates and venue, while the announcement's claim stays in its
source row. Actors, themes and the places an event is about are the union of all sources.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from analytics.resolve.keys import fold

_STATUS_RANK = {"held": 3, "ongoing": 2, "planned": 1}
# Fields whose differing values are shown as conflicts. Status is left out: planned then held is
# the normal course of an event, not a disagreement.
CONFLICT_FIELDS = ("type", "name", "start", "end", "venue", "participants")


@dataclass(frozen=True)
class SourceClaim:
    event_id: str                 # the article event's id
    article_id: str
    published: dt.date | None
    claim: dict[str, Any]         # the contract's event JSON, as this article gave it


def rank(source: SourceClaim) -> tuple:
    c = source.claim
    return (_STATUS_RANK.get(c.get("status") or "", 0), source.published or dt.date.min,
            c.get("confidence") or 0.0, source.article_id, source.event_id)


def _comparable(field: str, value: Any) -> Any:
    if field == "venue":
        return fold(value.get("name_ar")) if value else None
    if field == "name":
        return fold(value)
    return value


def conflicts(sources: list[SourceClaim]) -> list[str]:
    found = []
    for name in CONFLICT_FIELDS:
        values = {_comparable(name, s.claim.get(name)) for s in sources}
        values.discard(None)
        if len(values) > 1:
            found.append(name)
    return found


def _union(lists: list[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    seen: set[str] = set()
    out = []
    for items in lists:
        for item in items or []:
            key = item.get("entity_id") or fold(item.get("name_ar")) or ""
            if key not in seen:
                seen.add(key)
                out.append(item)
    return out


def merge(sources: list[SourceClaim]) -> dict[str, Any]:
    """The resolved event (the contract's event fields, without evidence) and `conflicts`."""
    if not sources:
        raise ValueError("an event needs at least one source")
    ranked = sorted(sources, key=rank, reverse=True)
    claims = [s.claim for s in ranked]

    def first(name: str) -> Any:
        return next((c[name] for c in claims if c.get(name) is not None), None)

    dated = next((c for c in claims if c.get("start")), None)
    themes: list[str] = []
    for c in claims:
        themes.extend(t for t in c.get("themes") or [] if t not in themes)
    return {
        "type": claims[0]["type"],
        "name": first("name"),
        "start": dated["start"] if dated else None,
        "end": dated.get("end") if dated else None,
        "status": first("status"),
        "venue": first("venue"),
        "participants": first("participants"),
        "actors": _union([c.get("actors") for c in claims]),
        "themes": themes,
        "about": _union([c.get("about") for c in claims]),
        "confidence": max(c.get("confidence") or 0.0 for c in claims),
        "conflicts": conflicts(ranked),
        "lead": ranked[0].event_id,
    }
