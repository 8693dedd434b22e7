"""The values passed between stages: frozen dataclasses, no behaviour beyond small helpers.

Every extracted item keeps character offsets into the article's original `text`
(`text[start:end]` is its surface form) and the rule or knowledge row it came from (`source`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

EVENT_TYPES = (
    "meeting", "summit", "conference", "forum", "session", "seminar",
    "exhibition", "visit", "signing", "launch", "ceremony",
)
ENTITY_KINDS = ("person", "organization", "place")
STATUSES = ("held", "ongoing", "planned")


@dataclass(frozen=True)
class Article:
    id: str
    text: str
    title: str | None = None
    published: dt.date | None = None
    source: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Span:
    """A stretch of the original text."""
    start: int
    end: int


@dataclass(frozen=True)
class Mention:
    """A person, organization or place named in the text."""
    start: int
    end: int
    text: str
    kind: str                    # person | organization | place
    name_ar: str                 # canonical Arabic name, no clitics
    name_en: str | None
    source: str                  # knowledge row ("organizations.tsv#oic") or rule ("rule:title+name")
    entity_id: str | None = None  # knowledge id when known ("org:oic", "geo:323786")
    title: str | None = None     # persons: the title/role before the name
    country: str | None = None   # places: ISO 3166-1 alpha-2; organizations: seat country
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True)
class DateMention:
    """A temporal expression and what it resolves to against the publication date."""
    start: int
    end: int
    text: str
    first: dt.date | None        # first day meant (None: unresolvable)
    last: dt.date | None         # last day meant (== first for a single day)
    granularity: str             # day | month | year | part-of-month
    source: str                  # grammar rule name
    relative: bool = False       # resolved against the publication date


@dataclass(frozen=True)
class Venue:
    name_ar: str
    name_en: str | None
    country: str | None
    lat: float | None
    lon: float | None
    entity_id: str | None = None
    # The city a named site is in ("قصر قرطاج" -> قرطاج); None when the venue is a city itself.
    city_ar: str | None = None
    city_en: str | None = None


@dataclass(frozen=True)
class Actor:
    name_ar: str
    name_en: str | None
    kind: str                    # person | organization | place
    title: str | None = None
    entity_id: str | None = None


@dataclass(frozen=True)
class Event:
    type: str
    name: str | None
    start: dt.date | None
    end: dt.date | None
    status: str | None
    venue: Venue | None
    participants: int | None
    actors: tuple[Actor, ...]
    themes: tuple[str, ...]
    evidence: tuple[Span, ...]
    confidence: float
    trigger: Span | None = None
    about: tuple[Venue, ...] = ()  # places the event is about, distinct from its venue
    source: str = ""              # trigger row that fired


@dataclass(frozen=True)
class Extraction:
    """Everything read from one article."""
    article: Article
    events: tuple[Event, ...] = ()
    entities: tuple[Mention, ...] = ()
    dates: tuple[DateMention, ...] = ()
    warnings: tuple[str, ...] = field(default=())
