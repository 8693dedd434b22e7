"""What cross-article matching compares of an event: its `EventKey`.

Input: one article's `Event` and the article's id and publication date. Output: an `EventKey`, a
small frozen value of normalized names, a day window and a type family, that is stored beside
the event (so that resolution never re-reads the text) and compared by `analytics.resolve.match`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from analytics.model import Event

# Types that name the same gathering differently from one outlet to the next ("the summit",
# "its session", "the meeting of leaders"); the other types only match their own kind.
GATHERINGS = frozenset({"meeting", "summit", "conference", "forum", "session", "seminar"})

# An undated event is placed at the publication date: a report is published on the day of the
# event or within a few days of it, and an announcement shortly before it.
UNDATED_SPREAD = 2


def family(event_type: str) -> str:
    return "gathering" if event_type in GATHERINGS else event_type


@dataclass(frozen=True)
class EventKey:
    """One article's event as resolution sees it. `first`/`last` bound the days it covers;
    `dated` says whether they come from the text (else from the publication date)."""
    id: str                          # the article event's stable id
    article_id: str
    type: str
    family: str
    first: dt.date | None
    last: dt.date | None
    dated: bool
    name: str | None                 # folded name, None when the event has none
    name_words: int
    venues: tuple[str, ...]          # folded venue keys: its knowledge id, name and city
    country: str | None
    actors: tuple[str, ...]          # persons and organizations: knowledge id, else folded name


def fold(text: str | None) -> str | None:
    """The text's matching key (`analytics.text.normalize.normalize_key`, spaces collapsed)."""
    if not text:
        return None
    # Imported here: camel_tools' character sets take over a second to import, which the store
    # and the dashboard would pay on start-up although most of them never fold a name.
    from analytics.text.normalize import normalize_key

    folded = " ".join(normalize_key(text).split())
    return folded or None


def event_key(event_id: str, article_id: str, published: dt.date | None,
              event: Event) -> EventKey:
    if event.start is not None:
        first, last, dated = event.start, event.end or event.start, True
    elif published is not None:
        first, last, dated = published, published, False
    else:
        first = last = None
        dated = False
    if first is not None and last is not None and last < first:
        first, last = last, first
    v = event.venue
    venues: list[str] = []
    if v is not None:
        for key in (v.entity_id, fold(v.name_ar), fold(v.city_ar)):
            if key and key not in venues:
                venues.append(key)
    actors: list[str] = []
    for a in event.actors:
        if a.kind == "place":  # a country acting is too common to identify an event
            continue
        key = a.entity_id or fold(a.name_ar)
        if key and key not in actors:
            actors.append(key)
    name = fold(event.name)
    return EventKey(id=event_id, article_id=article_id, type=event.type,
                    family=family(event.type), first=first, last=last, dated=dated,
                    name=name, name_words=len(name.split()) if name else 0,
                    venues=tuple(venues), country=v.country if v else None,
                    actors=tuple(actors))
