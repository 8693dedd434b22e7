"""The dashboard's filters, as a value, and the SQL they stand for.

Input: an analyst's choices (a date range, event types, a free-text search), from the sidebar or
from the page's URL. Output: `Filters.to_sql()`, a WHERE clause over the store's `events` table
(aliased `e`) and its parameters, for the queries layer to run. This module never runs SQL and
never formats a value into it: every value the user gave travels as a parameter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from analytics.model import EVENT_TYPES
from analytics.text.normalize import normalize_key

# Stored names keep their original spelling; searching folds both sides the same way, so that
# "اسطنبول" finds "إسطنبول" and "مصطفى" finds "مصطفي". The SQL side mirrors the main folds of
# `normalize_key` (alef forms, alef maksura, teh marbuta, diacritics and tatweel, case).
_FOLD_FROM, _FOLD_TO = "أإآٱىة", "اااايه"
_MARKS = r"[\x{064B}-\x{065F}\x{0670}\x{0640}]"
_SEARCHED_COLUMNS = ("e.name", "e.venue_name_ar", "e.venue_name_en")
_SEARCHED_ACTOR_COLUMNS = ("a.name_ar", "a.name_en")


def _folded(column: str) -> str:
    return (f"regexp_replace(translate(lower(coalesce({column}, '')), "
            f"'{_FOLD_FROM}', '{_FOLD_TO}'), '{_MARKS}', '', 'g')")


def search_key(text: str) -> str:
    """The folded form of a search term (what `_folded` makes of a stored name)."""
    return normalize_key(text).lower()


def _like_pattern(key: str) -> str:
    escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@dataclass(frozen=True)
class Filters:
    """Which events to show. The default value shows every event."""

    start: dt.date | None = None      # events that end on or after this day
    end: dt.date | None = None        # events that start on or before this day
    types: tuple[str, ...] = ()       # event types; empty: every type
    search: str = ""                  # words in the event's name, venue or actors
    undated: bool = True              # keep events whose date the text does not give

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
            clauses.append(f"e.type IN ({', '.join('?' for _ in self.types)})")
            params.extend(self.types)
        key = search_key(self.search)
        if key:
            pattern = _like_pattern(key)
            matches = [f"{_folded(c)} LIKE ? ESCAPE '\\'" for c in _SEARCHED_COLUMNS]
            actor_matches = " OR ".join(f"{_folded(c)} LIKE ? ESCAPE '\\'"
                                        for c in _SEARCHED_ACTOR_COLUMNS)
            matches.append("EXISTS (SELECT 1 FROM event_actors a WHERE a.event_id = e.id "
                           f"AND ({actor_matches}))")
            clauses.append("(" + " OR ".join(matches) + ")")
            params.extend([pattern] * (len(_SEARCHED_COLUMNS) + len(_SEARCHED_ACTOR_COLUMNS)))
        return (" AND ".join(clauses) or "TRUE"), params

    def to_params(self) -> dict[str, str]:
        """The filters as URL query parameters; defaults are left out, so the default
        filters make a clean URL."""
        out: dict[str, str] = {}
        if self.start is not None:
            out["from"] = self.start.isoformat()
        if self.end is not None:
            out["to"] = self.end.isoformat()
        if self.types:
            out["type"] = ",".join(self.types)
        if self.search:
            out["q"] = self.search
        if not self.undated:
            out["undated"] = "0"
        return out

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> Filters:
        """Filters from URL query parameters (as `to_params` writes them). A URL is typed or
        pasted by people: values that do not parse are dropped, never an error."""
        types = tuple(t for t in params.get("type", "").split(",") if t in EVENT_TYPES)
        return cls(start=_date_or_none(params.get("from")), end=_date_or_none(params.get("to")),
                   types=types, search=params.get("q", "").strip(),
                   undated=params.get("undated", "1") != "0")


def _date_or_none(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None
