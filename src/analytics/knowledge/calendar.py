"""The temporal lexicon: month names (months.tsv), weekday names (weekdays.tsv), the words of
the date grammar (temporal.tsv) and the tense cues (tense_cues.tsv), loaded once into lookups
keyed by their normalized form.

Input: the TSV files under `data/`. Output: `CalendarLexicon` and `TenseCues`, read by
`analytics.extract.dates`. Every form keeps the id of its row, so a date mention can name the
row that gave it its month (`months.tsv#g06-maghrebi-1`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from analytics.errors import KnowledgeError
from analytics.knowledge import Row, read_tsv
from analytics.text.normalize import normalize_key

MONTHS_FILE = "months.tsv"
WEEKDAYS_FILE = "weekdays.tsv"
TEMPORAL_FILE = "temporal.tsv"
TENSE_FILE = "tense_cues.tsv"

CALENDARS = ("gregorian", "hijri")
PARTS = ("early", "mid", "late")
UNITS = ("day", "week", "month", "year")
TENSES = ("past", "present", "future", "none")
# kind -> whether its rows carry a value
WORD_KINDS = {
    "relative": True, "deictic": True, "part": True, "unit": True, "period": True,
    "number": True, "ordinal": True, "duration-cue": False, "start-cue": False,
    "not-today-after": False, "not-today-before": False, "not-weekday-before": False,
}


@dataclass(frozen=True)
class MonthName:
    form: str          # normalized
    calendar: str      # gregorian | hijri
    month: int         # 1-12
    ambiguous: bool    # has another common reading: needs a day, a year or شهر/الماضي...
    source: str        # "months.tsv#g05-maghrebi-1"


@dataclass(frozen=True)
class CalendarLexicon:
    months: dict[str, MonthName]
    weekdays: dict[str, int]                 # normalized form -> ISO weekday (1 = Monday)
    words: dict[str, dict[str, str]]         # kind -> normalized form -> value ("" if none)

    def kind(self, name: str) -> dict[str, str]:
        return self.words.get(name, {})


@dataclass(frozen=True)
class TenseCues:
    words: dict[str, str]                    # normalized word -> past | future | none
    not_future_prefixes: tuple[str, ...]     # "سيار" (car): not سـ + a verb


def _int(row: Row, col: str, lo: int, hi: int) -> int:
    try:
        value = int(row[col])
    except ValueError:
        value = lo - 1
    if not lo <= value <= hi:
        raise KnowledgeError(f"{row.where}: {col} must be an integer from {lo} to {hi}, "
                             f"not {row[col]!r}")
    return value


def _one_of(row: Row, col: str, allowed: tuple[str, ...]) -> str:
    value = row[col]
    if value not in allowed:
        raise KnowledgeError(f"{row.where}: {col} {value!r} is not one of {', '.join(allowed)}")
    return value


def _check_value(row: Row, kind: str, value: str) -> None:
    """A word's value must make sense for its kind; a typo would otherwise surface as a
    wrong date far from its cause."""
    ok = True
    if kind == "relative":
        ok = value in ("-1", "0", "1")
    elif kind in ("deictic", "number", "ordinal"):
        ok = value.lstrip("-").isdigit()
    elif kind == "part":
        ok = value in PARTS
    elif kind == "period":
        ok = value in UNITS
    elif kind == "unit":
        unit, _, count = value.partition(":")
        ok = unit in UNITS and (not count or count.isdigit())
    elif not WORD_KINDS[kind]:
        ok = value == ""
    if not ok:
        raise KnowledgeError(f"{row.where}: value {value!r} does not fit kind {kind!r} "
                             "(see the comment at the top of the file)")


@lru_cache(maxsize=1)
def calendar_lexicon() -> CalendarLexicon:
    months: dict[str, MonthName] = {}
    for row in read_tsv(MONTHS_FILE, required=("id", "calendar", "month", "form", "ambiguous",
                                               "source")):
        form = normalize_key(row["form"])
        name = MonthName(form, _one_of(row, "calendar", CALENDARS), _int(row, "month", 1, 12),
                         _one_of(row, "ambiguous", ("yes", "no")) == "yes",
                         f"{MONTHS_FILE}#{row['id']}")
        other = months.get(form)
        if other and (other.calendar, other.month) != (name.calendar, name.month):
            raise KnowledgeError(f"{row.where}: {row['form']!r} is already {other.source}")
        months.setdefault(form, name)
    weekdays: dict[str, int] = {}
    for row in read_tsv(WEEKDAYS_FILE, required=("id", "weekday", "form", "source")):
        weekdays[normalize_key(row["form"])] = _int(row, "weekday", 1, 7)
    words: dict[str, dict[str, str]] = {}
    for row in read_tsv(TEMPORAL_FILE, required=("id", "kind", "form", "source")):
        kind = row["kind"]
        if kind not in WORD_KINDS:
            raise KnowledgeError(f"{row.where}: unknown kind {kind!r} "
                                 f"(one of {', '.join(WORD_KINDS)})")
        value = row.get("value")
        _check_value(row, kind, value)
        words.setdefault(kind, {})[normalize_key(row["form"])] = value
    return CalendarLexicon(months, weekdays, words)


@lru_cache(maxsize=1)
def tense_cues() -> TenseCues:
    words: dict[str, str] = {}
    prefixes: list[str] = []
    for row in read_tsv(TENSE_FILE, required=("id", "form", "tense", "match", "source")):
        tense = _one_of(row, "tense", TENSES)
        form = normalize_key(row["form"])
        if _one_of(row, "match", ("word", "prefix")) == "prefix":
            if tense != "none":
                raise KnowledgeError(f"{row.where}: only `none` rows may match a prefix")
            prefixes.append(form)
        else:
            words[form] = tense
    return TenseCues(words, tuple(sorted(prefixes, key=len, reverse=True)))
