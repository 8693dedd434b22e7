"""The dashboard's filters, as a value, and the SQL they stand for.

Input: an analyst's choices (a date range, actors, themes, event types, venue countries and
cities, sources, statuses, a free-text search), from the sidebar or from the page's URL. Output: `Filters.to_sql()`, a WHERE clause over the store's `events` table
(aliased `e`) and its parameters, for the queries layer to run. This module never runs SQL and
never formats a value into it: every value the user gave travels as a parameter, except the
folded search term, which names the table of its hits in hex digits (`analytics.store.search`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from analytics.model import EVENT_TYPES, STATUSES
from analytics.store.rows import search_key
from analytics.store.search import hits_condition

# Stored names keep their original spelling; the store writes each event's names folded once
# (`events.search_text`, by `search_key`), and a search folds the analyst's words the same way,
# so that "اسطنبول" finds "إسطنبول" and "مصطفى" finds "مصطفي" with a plain substring test: no
# folding runs over the rows at query time.
__all__ = ["Filters", "search_key"]


@dataclass(frozen=True)
class Filters:
    """Which events to show. The default value shows every event. Within one filter the values
    are alternatives (any of these actors); different filters must all hold."""

    start: dt.date | None = None      # events that end on or after this day
    end: dt.date | None = None        # events that start on or before this day
    types: tuple[str, ...] = ()       # event types; empty: every type
    search: str = ""                  # words in the event's name, venue or actors
    undated: bool = True              # keep events whose date the text does not give
    actors: tuple[str, ...] = ()      # actors' canonical Arabic names (event_actors.name_ar)
    themes: tuple[str, ...] = ()      # theme ids (themes.tsv)
    countries: tuple[str, ...] = ()   # venue countries, ISO 3166-1 alpha-2
    cities: tuple[str, ...] = ()      # venue names, Arabic or English (a map click gives one)
    sources: tuple[str, ...] = ()     # outlets (articles.source) of an article reporting it
    statuses: tuple[str, ...] = ()    # held | ongoing | planned

    def to_sql(self) -> tuple[str, list[object]]:
        """`(where, params)`: a boolean SQL expression over `events e` and its parameters."""
        clauses: list[str] = []
        params: list[object] = []
        dated: list[str] = []
        if self.start is not None:
            # An event is shown when its span overlaps the range, not only when it starts in it.
            dated.append("coalesce(e.end_date, e.start_date) >= ?")
            params.append(self.start)
        if self.end is not None:
            dated.append("e.start_date <= ?")
            params.append(self.end)
        if dated:
            in_range = " AND ".join(dated)
            clauses.append(f"(({in_range}) OR e.start_date IS NULL)" if self.undated
                           else f"({in_range})")
        elif not self.undated:
            clauses.append("e.start_date IS NOT NULL")
        if self.types:
            clauses.append(f"e.type IN ({_marks(self.types)})")
            params.extend(self.types)
        if self.statuses:
            clauses.append(f"e.status IN ({_marks(self.statuses)})")
            params.extend(self.statuses)
        if self.countries:
            clauses.append(f"e.venue_country IN ({_marks(self.countries)})")
            params.extend(self.countries)
        if self.cities:
            marks = _marks(self.cities)
            clauses.append(f"(e.venue_name_ar IN ({marks}) OR e.venue_name_en IN ({marks}))")
            params.extend(self.cities * 2)
        if self.themes:
            # One list_contains per theme, not list_has_any(e.themes, [...]): the same events,
            # ten times faster (a theme over a million events: 41 -> 4 ms, and a page reads
            # the filtered events several times).
            clauses.append("(" + " OR ".join(["list_contains(e.themes, ?)"] * len(self.themes))
                           + ")")
            params.extend(self.themes)
        if self.actors:
            # The names each event carries (events.actor_names), as themes are tested: no
            # join to event_actors.
            clauses.append("(" + " OR ".join(["list_contains(e.actor_names, ?)"]
                                             * len(self.actors)) + ")")
            params.extend(self.actors)
        if self.sources:
            # The outlets each event carries (events.outlets): no join to its articles.
            clauses.append("(" + " OR ".join(["list_contains(e.outlets, ?)"]
                                             * len(self.sources)) + ")")
            params.extend(self.sources)
        key = search_key(self.search)
        if key:
            # The events whose folded names contain the term, found once per store version by
            # the store (a substring test, so the analyst's % and _ are searched for as
            # themselves); the term reaches the SQL only as the hex digits of that table's name.
            clauses.append(hits_condition(key))
        return (" AND ".join(clauses) or "TRUE"), params

    def is_default(self) -> bool:
        return self == Filters()

    def to_params(self) -> dict[str, str | list[str]]:
        """The filters as URL query parameters; defaults are left out, so the default
        filters make a clean URL. Codes are joined by commas (`type=summit,visit`); names,
        which may hold commas, repeat their key (`actor=...&actor=...`) and come as lists."""
        out: dict[str, str | list[str]] = {}
        if self.start is not None:
            out["from"] = self.start.isoformat()
        if self.end is not None:
            out["to"] = self.end.isoformat()
        for key, codes in (("type", self.types), ("status", self.statuses),
                           ("theme", self.themes), ("country", self.countries)):
            if codes:
                out[key] = ",".join(codes)
        for key, names in (("actor", self.actors), ("city", self.cities),
                           ("source", self.sources)):
            if names:
                out[key] = list(names)
        if self.search:
            out["q"] = self.search
        if not self.undated:
            out["undated"] = "0"
        return out

    @classmethod
    def from_params(cls, params: Mapping[str, str | Sequence[str]]) -> Filters:
        """Filters from URL query parameters (as `to_params` writes them; a value may be a
        string or a list of the repeated key's values). A URL is typed or pasted by people:
        values that do not parse are dropped, never an error."""
        def codes(key: str) -> list[str]:
            return [c.strip() for value in _values(params, key) for c in value.split(",")
                    if c.strip()]

        def names(key: str) -> tuple[str, ...]:
            return _unique(v.strip() for v in _values(params, key))

        return cls(start=_date_or_none(_last(params, "from")),
                   end=_date_or_none(_last(params, "to")),
                   types=_unique(t for t in codes("type") if t in EVENT_TYPES),
                   statuses=_unique(s for s in codes("status") if s in STATUSES),
                   themes=_unique(t for t in codes("theme") if _THEME_ID.fullmatch(t)),
                   countries=_unique(c.upper() for c in codes("country")
                                     if _COUNTRY.fullmatch(c.upper())),
                   actors=names("actor"), cities=names("city"), sources=names("source"),
                   search=(_last(params, "q") or "").strip(),
                   undated=_last(params, "undated") != "0")


_THEME_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
_COUNTRY = re.compile(r"[A-Z]{2}")
_MAX_NAME = 300  # longer "names" in a URL are no stored name: dropped, not searched


def _marks(values: Sequence[object]) -> str:
    return ", ".join("?" for _ in values)


def _values(params: Mapping[str, str | Sequence[str]], key: str) -> list[str]:
    value = params.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)]


def _last(params: Mapping[str, str | Sequence[str]], key: str) -> str | None:
    values = _values(params, key)
    return values[-1] if values else None


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v and len(v) <= _MAX_NAME))


def _date_or_none(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None
