"""Dates: Doc -> DateMentions, resolved against the publication date.

Input: a `Doc` (normalized text, tokens, the article's publication date). Output: the temporal
expressions of the article in text order, non-overlapping, each with offsets into the original
text, the first and last day it means (None when a careful reader could not tell), its
granularity (day, week, month, year, part-of-month, part-of-year) and the rule that read it.

Three steps, each a small function:
1. `_find_atoms`: the pieces of an expression. Each token is looked up (without its clitics)
   in the lexicon; where one can start an expression, that rule's regular expression is
   matched at that point of the normalized text: a day and a month ("23 مايو 2016", "يومي
   23-24 ماي", "16 رجب 1437 هـ"), a month ("أيار المقبل"), a numeric date ("23/05/2016"), a
   year ("عام 2016"), a weekday ("الاثنين القادم"), a deictic day ("اليوم", "أمس"), a period
   ("الأسبوع المقبل"), a part word ("مطلع"). Where candidates overlap, the longest wins.
2. `_combine`: neighbours a reader takes as one expression become one: "اليوم /الخميس/"
   (today, checked against the weekday), "الأحد الموافق 25 جوان 2017", a Hijri date and its
   Gregorian equivalent, ranges ("من 26 أبريل إلى 2 مايو", "اليوم وغدا"), a part of a period
   ("أواخر الشهر الجاري").
3. `_value`: each expression becomes days. A month or a day without a year takes the year its
   relative word (المقبل، الماضي، الجاري) points to, else the one the tense of its clause
   points to if that is within half a year, else the nearest. A weekday is the next such day
   in a future clause, the previous one (same day included) in a past one, else the nearest.
   A duration after a start ("ويستمر يومين") sets the last day (`_with_duration`).

The publication date is the only clock: without it, relative expressions resolve to None.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from hijridate import Gregorian, Hijri

from analytics.knowledge.calendar import calendar_lexicon, tense_cues
from analytics.model import DateMention
from analytics.text.doc import Doc

# A letter (not a digit): word boundaries must let "فيفري2017" and "و23" through.
_L = r"[^\W\d_]"
# The start of a word, or of a word after the clitics و/ف and ب/ل ("وبالخميس", "لعام").
_WS = rf"(?:(?<!{_L})|(?<=(?<!{_L})[وف])|(?<=(?<!{_L})[وف][بل])|(?<=(?<!{_L})[بل]))"
_END = rf"(?!{_L})"
_ERA = r"(?:هجريه|هجري|للهجره|ميلاديه|ميلادي|للميلاد|ه|م)"
_HIJRI_ERAS = frozenset({"ه", "هجري", "هجريه", "للهجره"})
_DAY_SEP = r"\s*(?:[-–—]|و|الي|حتي|الي\s+غايه)\s*"
_SENTENCE_END = re.compile(r"[.!?؟؛\n]")
# A tense cue this far from a date decides its year only if it does not move it further than
# half a year from the publication date (a wrong cue must not throw a date a year away).
_TENSE_REACH_DAYS = 183
_TENSE_BACK, _TENSE_AHEAD = 8, 4
_DURATION_REACH_TOKENS = 6
# A verb of lasting ("وتستمر ثلاثة أيام", "تستغرق يومين") tells how long the sentence's event
# lasts, further on in the sentence than "لمدة", which may measure anything.
_DURATION_VERB_REACH_TOKENS = 30
GREGORIAN_YEARS = (1000, 2200)
BARE_YEARS = (1900, 2100)    # a four-digit number after في/منذ is a year only in this range


@dataclass
class _Atom:
    """A piece of a temporal expression, with offsets into the normalized text."""
    start: int
    end: int
    kind: str                  # day | month | numeric | year | weekday | deictic | period | part
    rule: str
    calendar: str = "gregorian"
    month: int | None = None   # None in "15 من الشهر الجاري": the month is the period's
    days: tuple[int, int] | None = None
    year: int | None = None
    rel: int | None = None     # المقبل +1, الماضي -1, الجاري 0
    yrel: int | None = None    # "مايو من العام المقبل"
    weekday: int | None = None
    offset: int | None = None  # deictic days from publication
    unit: str | None = None    # period: week | month | year
    part: str | None = None    # early | mid | late
    row: str | None = None     # the knowledge row of the month name
    complete: bool = True      # False: a part word or a bare "الشهر", meaningful only joined
    recurring: bool = False    # "الأول من أفريل من كل عام": no one day

    @property
    def yearly(self) -> bool:
        """Whether its days depend on a year the text may leave implicit."""
        return self.kind in ("day", "month") and self.month is not None


@dataclass
class _Expr:
    """One temporal expression: an atom, or atoms read together."""
    start: int
    end: int
    kind: str                  # single | anchored | range | part
    parts: list = field(default_factory=list)  # atoms, or _Expr for a range
    rule: str = ""


@dataclass(frozen=True)
class _Value:
    first: dt.date | None
    last: dt.date | None
    granularity: str
    relative: bool


# ---------------------------------------------------------------- lexicon and patterns

def _alt(forms) -> str:
    """A regex alternation of normalized forms, longest first, spaces as any whitespace."""
    ordered = sorted(set(forms), key=len, reverse=True)
    return "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in ordered)


@dataclass(frozen=True)
class _Grammar:
    months: dict
    weekdays: dict[str, int]
    relative: dict[str, int]
    deictic: dict[str, int]
    parts: dict[str, str]
    periods: dict[str, str]
    units: dict[str, tuple[str, int | None]]
    numbers: dict[str, int]
    ordinals: dict[str, int]
    not_today_after: frozenset[str]
    not_today_before: frozenset[str]
    not_weekday_before: frozenset[str]
    rules: dict[str, re.Pattern[str]]       # matched where a word of `starts` begins
    starts: dict[str, tuple[str, ...]]      # first word of an expression -> rules to try
    duration_re: re.Pattern[str]
    start_cue_re: re.Pattern[str]
    until_re: re.Pattern[str]               # between the first and last day of a stretch
    # word -> where in it expressions may start (`_token_starts`); words repeat across articles
    token_starts_cache: dict = field(default_factory=dict, compare=False, repr=False)


def _squash(forms) -> dict[str, str]:
    """Multi-word forms as one space-separated key (the text may use several spaces)."""
    return {" ".join(f.split()): v for f, v in forms.items()}


_DIGIT_RULES = ("numeric", "day", "day-of-period")
_YEAR_CUES = frozenset({"عام", "سنه", "العام", "السنه"})
# A four-digit number after these (or after عام/سنة) is a year: "منذ 2011", "في 2016".
_YEAR_PREPOSITIONS = frozenset({"في", "منذ", "حتي", "خلال", "قبل", "بعد", "موسم", "الي",
                                "سنتي", "عامي", "مطلع", "بدايه", "نهايه", "موفي", "اواخر",
                                "اوائل", "منتصف", "اواسط", "مستهل"})


# An ambiguous month name after these is the month: "في مارس", "منذ ماي".
_MONTH_PREPOSITIONS = frozenset({"في", "وفي", "خلال", "منذ", "حتي", "قبل", "بعد", "الي", "مطلع",
                                 "بدايه", "نهايه", "اواخر", "اوائل", "منتصف", "اواسط", "موفي"})


@lru_cache(maxsize=1)
def _grammar() -> _Grammar:
    lex = calendar_lexicon()
    months = lex.months
    rel = {f: int(v) for f, v in lex.kind("relative").items()}
    units: dict[str, tuple[str, int | None]] = {}
    for f, v in lex.kind("unit").items():
        unit, _, count = v.partition(":")
        units[f] = (unit, int(count) if count else None)
    numbers = {f: int(v) for f, v in lex.kind("number").items()}
    ordinals = {f: int(v) for f, v in lex.kind("ordinal").items()}
    deictic = _squash(lex.kind("deictic"))
    m_alt, rel_alt = _alt(months), _alt(rel)
    year_tail = (rf"(?:\s*[،,]?\s*(?:(?:من\s+)?(?:ال)?(?:عام|سنه)\s+)?(?P<year>\d{{4}})(?!\d)"
                 rf"(?:\s*(?P<era>{_ERA}){_END})?)?")
    rel_tail = (rf"(?:\s+(?P<rel>{rel_alt}){_END}"
                rf"|\s+من\s+(?:(?:هذا|هذه)\s+)?(?P<yunit>العام|السنه)(?:\s+(?P<yrel>{rel_alt}))?{_END})?")
    days = rf"(?<![\d/.:])\d{{1,2}}(?:{_DAY_SEP}\d{{1,2}})*(?!\d)"
    pre_day = r"(?:(?P<yawm>يوم|يومي|ايام)\s+)?"
    # The month's other name after it, UN style: "حزيران/يونيو", "أيار (مايو)".
    m_pair = rf"(?:\s*/\s*(?:{m_alt}){_END}|\s*\(\s*(?:{m_alt}){_END}\s*\))?"
    rules = {
        "numeric": re.compile(
            r"(?<![\d/.:-])(?:(?P<d>\d{1,2})(?P<sep>[/.-])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4})"
            r"|(?P<y2>\d{4})(?P<sep2>[/.-])(?P<m2>\d{1,2})(?P=sep2)(?P<d2>\d{1,2}))"
            r"(?![\d/:-])(?!\.\d)"),
        "day": re.compile(
            rf"{pre_day}(?:(?P<days>{days})|(?P<ord>{_alt(ordinals)}){_END}\s+من|(?P<ord2>غره){_END})"
            rf"\s*(?:من\s+)?(?:شهر\s+)?{_WS}(?P<month>{m_alt}){_END}{m_pair}{year_tail}{rel_tail}"),
        "day-of-period": re.compile(
            rf"{pre_day}(?P<days>{days})\s+من\s+(?:هذا\s+)?الشهر(?:\s+(?P<rel>{rel_alt}))?{_END}"),
        "month": re.compile(
            rf"(?:(?P<pre>شهري|شهر)\s+)?(?P<month>{m_alt}){_END}{m_pair}{year_tail}{rel_tail}"),
        "year": re.compile(rf"(?P<year>\d{{4}})(?!\d)(?:\s*(?P<era>{_ERA}){_END})?"),
        "weekday": re.compile(
            rf"(?:(?P<yawm>يوم|يومي)\s+)?(?P<wd>{_alt(lex.weekdays)}){_END}(?:/(?!\d))?"
            rf"(?:\s+(?P<rel>{rel_alt}){_END}"
            # "يومي الجمعة 6 والسبت 7 جانفي": a day number only before another weekday
            rf"|\s+(?P<wdday>\d{{1,2}})(?!\d)(?=\s*و\s*(?:يوم\s+)?(?:{_alt(lex.weekdays)})))?"),
        "deictic": re.compile(rf"(?P<dei>{_alt(deictic)}){_END}"),
        "period": re.compile(
            rf"(?:(?P<this>هذا|هذه)\s+)?(?P<period>{_alt(lex.kind('period'))}){_END}"
            rf"(?:\s+(?P<rel>{rel_alt}){_END})?"),
        "part": re.compile(rf"(?P<part>{_alt(lex.kind('part'))}){_END}"),
    }
    starts: dict[str, set[str]] = {}

    def start(forms, *names: str) -> None:
        for f in forms:
            starts.setdefault(f.split()[0], set()).update(names)

    start(months, "month")
    start(["شهر", "شهري"], "month")
    start(lex.weekdays, "weekday")
    start(["يوم", "يومي", "ايام"], "day", "day-of-period", "weekday")
    start(ordinals, "day")
    start(deictic, "deictic")
    start(lex.kind("period"), "period")
    start(["هذا", "هذه"], "period")
    start(lex.kind("part"), "part")
    cue_alt = _alt(lex.kind("duration-cue"))
    duration_re = re.compile(
        rf"{_WS}(?P<cue>(?:{cue_alt})(?:\s+(?:{cue_alt}))?){_END}\s+"
        rf"(?:(?P<num>\d{{1,3}}|{_alt(numbers)})\s+)?(?P<unit>{_alt(units)}){_END}"
        rf"(?:\s+(?P<num2>{_alt(numbers)}){_END})?")
    start_cue_re = re.compile(rf"{_WS}(?:{_alt(lex.kind('start-cue'))})\s*$")
    # "يوم 7 نوفمبر وتتواصل إلى 18 نوفمبر", "افتتح أمس المعرض، ويستمر المعرض حتى العاشر من
    # مايو": in the sentence after the first day, a verb of lasting, perhaps its subject, then
    # "until".
    until_re = re.compile(
        rf"[^.!?؟؛\n]{{0,80}}?{_WS}[وف]?(?:{cue_alt})(?:\s+[^\s\d]+){{0,3}}?\s+"
        rf"(?:الي غايه|الي|حتي|لغايه|غايه)\s*")
    return _Grammar(
        months=months, weekdays=lex.weekdays, relative=rel,
        deictic={f: int(v) for f, v in deictic.items()},
        parts=lex.kind("part"), periods=lex.kind("period"), units=units, numbers=numbers,
        ordinals=ordinals,
        not_today_after=frozenset(lex.kind("not-today-after")),
        not_today_before=frozenset(lex.kind("not-today-before")),
        not_weekday_before=frozenset(lex.kind("not-weekday-before")),
        rules=rules, starts={k: tuple(sorted(v)) for k, v in starts.items()},
        duration_re=duration_re, start_cue_re=start_cue_re, until_re=until_re)


# ---------------------------------------------------------------- step 1: atoms

_NEXT_WORD = re.compile(rf"\s*({_L}+)")
_PREV_WORD = re.compile(rf"({_L}+)\s*$")


def _next_word(text: str, i: int) -> str:
    m = _NEXT_WORD.match(text, i)
    return m.group(1) if m else ""


def _prev_word(text: str, i: int) -> str:
    return _prev_word_at(text, i)[0]


def _prev_word_at(text: str, i: int) -> tuple[str, int]:
    """The word before offset i and its start; a clitic attached at i ("و" of "والخميس") is
    part of the word at i, not the one before."""
    m = _PREV_WORD.search(text, max(0, i - 24), i)
    if m and m.end(1) == i and m.group(1) in _CLITICS:
        m = _PREV_WORD.search(text, max(0, i - 28), m.start(1))
    return (m.group(1), m.start(1)) if m else ("", i)


_CLITICS = frozenset({"و", "ف", "ب", "ل", "وب", "ول", "فب", "فل"})


def _key(s: str) -> str:
    return " ".join(s.split())


def _day_range(days: str) -> tuple[int, int]:
    numbers = [int(n) for n in re.findall(r"\d+", days)]
    return numbers[0], numbers[-1]


_RECURRING = re.compile(r"\s+(?:من\s+)?(?:كل|كافه)\s+(?:عام|سنه|شهر)(?!\w)")


def _tails(g: _Grammar, m: re.Match[str], atom: _Atom) -> _Atom:
    """Year, era and relative word after a month name; "من كل عام" after it."""
    atom.recurring = _RECURRING.match(m.string, m.end()) is not None
    if m.group("year"):
        atom.year = int(m.group("year"))
    era = m.group("era")
    if era in _HIJRI_ERAS and atom.calendar == "gregorian" and atom.year:
        atom.year = None     # "1437 هـ" after a Gregorian month: a clash, not a year of it
    if m.group("rel"):
        atom.rel = g.relative[m.group("rel")]
    elif m.group("yunit"):
        atom.yrel = g.relative[m.group("yrel")] if m.group("yrel") else 0
    return atom


# One builder a rule: the atom its match stands for, or None when the match is not a date.

def _numeric_atom(g: _Grammar, m: re.Match[str], text: str) -> _Atom | None:
    if m.group("d"):
        d, mo, y, rule = m.group("d"), m.group("m"), m.group("y"), "rule:numeric-dmy"
    else:
        d, mo, y, rule = m.group("d2"), m.group("m2"), m.group("y2"), "rule:numeric-ymd"
    return _Atom(m.start(), m.end(), "numeric", rule, month=int(mo), days=(int(d), int(d)),
                 year=int(y))


def _day_atom(g: _Grammar, m: re.Match[str], text: str) -> _Atom | None:
    if m.group("ord") and _prev_word(text, m.start()).startswith("ال"):
        return None      # "الأسبوع الثالث من شهر جانفي": the ordinal is the week's
    name = g.months[_key(m.group("month"))]
    days = (_day_range(m.group("days")) if m.group("days")
            else (g.ordinals[m.group("ord") or m.group("ord2")],) * 2)
    rule = "rule:day-range-month" if days[0] != days[1] else "rule:day-month"
    if name.calendar == "hijri":
        rule = rule.replace("rule:", "rule:hijri-")
    atom = _Atom(m.start(), m.end(), "day", rule, calendar=name.calendar, month=name.month,
                 days=days, row=name.source)
    return _tails(g, m, atom)


def _day_of_period_atom(g: _Grammar, m: re.Match[str], text: str) -> _Atom | None:
    rel = g.relative[m.group("rel")] if m.group("rel") else 0
    return _Atom(m.start(), m.end(), "day", "rule:day-of-this-month",
                 days=_day_range(m.group("days")), rel=rel)


def _month_atom(g: _Grammar, m: re.Match[str], text: str) -> _Atom | None:
    name = g.months[_key(m.group("month"))]
    rule = "rule:hijri-month" if name.calendar == "hijri" else "rule:month"
    atom = _tails(g, m, _Atom(m.start(), m.end(), "month", rule, calendar=name.calendar,
                              month=name.month, row=name.source))
    if name.ambiguous and not (m.group("pre") or atom.year or atom.rel is not None
                               or atom.yrel is not None
                               or _prev_word(text, m.start()) in _MONTH_PREPOSITIONS):
        return None      # "مارس" the verb, "رمضان" the name, "تيريزا ماي"
    if atom.year:
        atom.rule += "-year"
    return atom


def _year_atom(g: _Grammar, m: re.Match[str], text: str) -> _Atom | None:
    start, year = m.start(), int(m.group("year"))
    hijri = m.group("era") in _HIJRI_ERAS
    word, word_start = _prev_word_at(text, start)
    bare = _strip_clitics(word)
    if bare in _YEAR_CUES:
        start = word_start + len(word) - len(bare)     # "لعام 2016" -> "عام 2016"
    elif not hijri and word not in _YEAR_PREPOSITIONS \
            and not (word[:1] in "وف" and word[1:] in _YEAR_PREPOSITIONS):
        return None      # a count or an amount, not a year
    elif not hijri and not BARE_YEARS[0] <= year <= BARE_YEARS[1]:
        return None      # "في 3000 موقع"
    return _Atom(start, m.end(), "year", "rule:hijri-year" if hijri else "rule:year",
                 calendar="hijri" if hijri else "gregorian", year=year)


def _weekday_atom(g: _Grammar, m: re.Match[str], text: str) -> _Atom | None:
    if _prev_word(text, _start_of_weekday_list(g, text, m.start())) in g.not_weekday_before:
        return None      # "كل خميس", "صلاة الجمعة", "أيام الثلاثاء والخميس"
    rel = g.relative[m.group("rel")] if m.group("rel") else None
    day = int(m.group("wdday")) if m.group("wdday") else None
    return _Atom(m.start(), m.end(), "weekday", "rule:weekday",
                 weekday=g.weekdays[m.group("wd")], rel=rel, days=(day, day) if day else None)


def _deictic_atom(g: _Grammar, m: re.Match[str], text: str) -> _Atom | None:
    word = _key(m.group("dei"))
    if word == "اليوم" and (_next_word(text, m.end()) in g.not_today_after
                            or _prev_word(text, m.start()) in g.not_today_before):
        return None      # "اليوم الأول", "اليوم العالمي", "في نفس اليوم"
    return _Atom(m.start(), m.end(), "deictic", "rule:deictic", offset=g.deictic[word])


def _period_atom(g: _Grammar, m: re.Match[str], text: str) -> _Atom | None:
    rel = g.relative[m.group("rel")] if m.group("rel") else (0 if m.group("this") else None)
    unit = g.periods[m.group("period")]
    return _Atom(m.start(), m.end(), "period", f"rule:period-{unit}", unit=unit, rel=rel,
                 complete=rel is not None)


def _part_atom(g: _Grammar, m: re.Match[str], text: str) -> _Atom | None:
    return _Atom(m.start(), m.end(), "part", "rule:part", part=g.parts[m.group("part")],
                 complete=False)


_BUILDERS: dict[str, Callable[[_Grammar, re.Match[str], str], _Atom | None]] = {
    "numeric": _numeric_atom, "day": _day_atom, "day-of-period": _day_of_period_atom,
    "month": _month_atom, "year": _year_atom, "weekday": _weekday_atom,
    "deictic": _deictic_atom, "period": _period_atom, "part": _part_atom,
}


def _start_of_weekday_list(g: _Grammar, text: str, start: int) -> int:
    """Where "الثلاثاء والخميس" begins, seen from its last weekday."""
    while True:
        word, word_start = _prev_word_at(text, start)
        if word_start == start or _strip_clitics(word) not in g.weekdays:
            return start
        start = word_start


def _longest_first(items: list) -> list:
    """Non-overlapping items, the longest winning (spaCy's filter_spans), in text order."""
    kept: list = []
    taken: list[tuple[int, int]] = []
    for it in sorted(items, key=lambda a: (-(a.end - a.start), a.start)):
        if all(it.end <= s or it.start >= e for s, e in taken):
            kept.append(it)
            taken.append((it.start, it.end))
    return sorted(kept, key=lambda a: a.start)


def _strip_clitics(word: str) -> str:
    """"والعام" -> "العام", "لعام" -> "عام" (only the letters a date word can carry)."""
    if len(word) > 3 and word[0] in "وف":
        word = word[1:]
    if len(word) > 3 and word[0] in "بل":
        word = word[1:]
    return word


def _keyword(starts: dict[str, tuple[str, ...]], word: str) -> tuple[int, tuple[str, ...]]:
    """The rules a word can start, and where in the word (after و/ف/ب/ل) it starts them."""
    rules = starts.get(word)
    if rules:
        return 0, rules
    if len(word) > 2:
        if word[0] in "وف":
            rules = starts.get(word[1:])
            if rules:
                return 1, rules
            if word[1] in "بل" and (rules := starts.get(word[2:])):
                return 2, rules
        elif word[0] in "بل" and (rules := starts.get(word[1:])):
            return 1, rules
    return 0, ()


_DIGIT_RUN = re.compile(r"\d+")
_LETTER_RUN = re.compile(rf"{_L}+")


def _token_starts(g: _Grammar, w: str) -> tuple[tuple[int, tuple[str, ...]], ...]:
    """(offset in the word, rules) where an expression may start in a token: a word of the
    lexicon (after its clitics) or a number; most words: none."""
    if w.isdigit():
        return ((0, _DIGIT_RULES + (("year",) if len(w) == 4 else ())),)
    if w.isalpha():
        shift, rules = _keyword(g.starts, w)
        return ((shift, rules),) if rules else ()
    found = []               # "فيفري2017", "و23": letters and digits in one token
    for run in _DIGIT_RUN.finditer(w):
        n = run.end() - run.start()
        found.append((run.start(), _DIGIT_RULES + (("year",) if n == 4 else ())))
    for run in _LETTER_RUN.finditer(w):
        shift, rules = _keyword(g.starts, run.group())
        if rules:
            found.append((run.start() + shift, rules))
    return tuple(found)


def _candidates(g: _Grammar, doc: Doc) -> list[tuple[int, tuple[str, ...]]]:
    """(offset, rules) where an expression may start. A cached lookup per token: no scan of
    the text per rule."""
    cache = g.token_starts_cache
    if len(cache) > 200_000:
        cache.clear()                    # bounded memory over any corpus
    tokens = doc.tokens
    for w in {t.text for t in tokens if t.text not in cache}:
        cache[w] = _token_starts(g, w)
    return [(tok.start + shift, rules) for tok in tokens if (starts := cache[tok.text])
            for shift, rules in starts]


def _find_atoms(g: _Grammar, doc: Doc) -> list[_Atom]:
    text = doc.norm.text
    found = []
    for pos, rules in _candidates(g, doc):
        for kind in rules:
            m = g.rules[kind].match(text, pos)
            if m is not None:
                atom = _BUILDERS[kind](g, m, text)
                if atom is not None:
                    found.append(atom)
    return _longest_first(found)


# ---------------------------------------------------------------- step 2: expressions

_ANCHOR_GLUE = re.compile(r"[\s/()\[\]،,:–—-]*(?:و?(?:ال)?موافق\s*(?:ل\s*)?[\s/()\[\]،,:–—-]*)?")
_EQUIV_GLUE = re.compile(r"[\s،,]*(?:و?(?:ال)?موافق\s*(?:ل\s*)?|\(|/)\s*")
_RANGE_GLUE = re.compile(r"\s*(?:[-–—]|الي\s+غايه|لغايه|الي|حتي|و)\s*")
_AND_RANGE_BEFORE = re.compile(r"(?:بين|يومي|ايام)\s*$")
_AND_RANGE_START = re.compile(r"(?:يومي|ايام)\s")
_PART_GLUE = re.compile(r"\s+")     # not "بداية من شهر جوان": that is "from June on"
# How far into a chain each kind sits: "اليوم" < "الخميس" < "23 مايو".
_ANCHOR_RANK = {"deictic": 0, "weekday": 1, "day": 2, "numeric": 2}


def _glued(pattern: re.Pattern[str], text: str, a, b) -> bool:
    return b.start - a.end <= 24 and pattern.fullmatch(text, a.end, b.start) is not None


def _is_day_level(a: _Atom) -> bool:
    return a.kind in ("day", "numeric", "weekday", "deictic")


def _combine(atoms: list[_Atom], text: str) -> list[_Expr]:
    exprs: list[_Expr] = []
    i = 0
    while i < len(atoms):
        expr, i = _expression_at(atoms, i, text)
        if expr is None:
            continue
        if exprs and _joins_range(exprs[-1], expr, text):
            a = exprs.pop()
            expr = _Expr(a.start, expr.end, "range", [a, expr], "rule:range")
        exprs.append(expr)
    return exprs


def _expression_at(atoms: list[_Atom], i: int, text: str) -> tuple[_Expr | None, int]:
    """The expression that starts with atoms[i], and the index after it."""
    a = atoms[i]
    nxt = atoms[i + 1] if i + 1 < len(atoms) else None
    if a.kind == "part":
        if nxt and nxt.kind in ("month", "period", "year") and _glued(_PART_GLUE, text, a, nxt) \
                and nxt.unit != "week":
            unit = "month" if nxt.kind == "month" or nxt.unit == "month" else "year"
            return _Expr(a.start, nxt.end, "part", [a, nxt], f"rule:part-of-{unit}"), i + 2
        return None, i + 1
    if not a.complete:
        return None, i + 1
    if a.kind in _ANCHOR_RANK:
        chain = [a]
        j = i + 1
        while j < len(atoms) and _extends_chain(chain, atoms[j], text):
            chain.append(atoms[j])
            j += 1
        if len(chain) > 1:
            end = chain[-1].end
            if chain[-1].calendar != chain[-2].calendar and "(" in text[chain[-2].end:chain[-1].start]:
                close = re.match(r"\s*\)", text[end:end + 4])
                end += close.end() if close else 0
            return _Expr(a.start, end, "anchored", chain, _chain_rule(chain)), j
    return _Expr(a.start, a.end, "single", [a], a.rule), i + 1


def _extends_chain(chain: list[_Atom], b: _Atom, text: str) -> bool:
    """"اليوم" -> "الخميس" -> "23 مايو", and a Hijri date -> its Gregorian equivalent."""
    a = chain[-1]
    if b.kind not in _ANCHOR_RANK:
        return False
    if _ANCHOR_RANK[b.kind] > _ANCHOR_RANK[a.kind]:
        return _glued(_ANCHOR_GLUE, text, a, b)
    return (a.kind == "day" and b.kind in ("day", "numeric") and a.calendar != b.calendar
            and not any(c.kind in ("day", "numeric") for c in chain[:-1])
            and _glued(_EQUIV_GLUE, text, a, b))


def _chain_rule(chain: list[_Atom]) -> str:
    names = []
    for c in chain:
        if c.kind in ("day", "numeric"):
            name = "hijri" if c.calendar == "hijri" else "date"
            if names and names[-1] in ("date", "hijri"):
                names[-1] = "hijri=gregorian"
                continue
            names.append(name)
        else:
            names.append("today" if c.kind == "deictic" else c.kind)
    return "rule:" + "+".join(names)


def _level(e: _Expr) -> str:
    atom = e.parts[-1] if e.kind != "range" else None
    if atom is None or e.kind == "part":
        return "other"
    if _is_day_level(atom):
        return "day"
    return "month" if atom.kind == "month" else "other"


def _joins_range(a: _Expr, b: _Expr, text: str) -> bool:
    if a.kind == "range" or _level(a) == "other" or _level(a) != _level(b):
        return False
    m = _RANGE_GLUE.fullmatch(text, a.end, b.start) if b.start - a.end <= 16 else None
    if m is None:
        return False
    if m.group().strip() == "و":    # "بين 10 و12 مارس", "يومي السبت 12 والأحد 13 نوفمبر"
        return (_AND_RANGE_BEFORE.search(text, max(0, a.start - 12), a.start) is not None
                or _AND_RANGE_START.match(text, a.start) is not None
                or (_named_days(a) and _named_days(b)))   # "اليوم الثلاثاء وغدا الأربعاء"
    return True


def _named_days(e: _Expr) -> bool:
    """Days named from the publication date only: "اليوم", "الخميس", "غدا الأربعاء"."""
    return all(isinstance(p, _Atom) and p.kind in ("deictic", "weekday") and p.rel is None
               and not p.days for p in e.parts)


# ---------------------------------------------------------------- step 3: days

class _Context:
    """What resolution needs: the publication date and, lazily, the tense around an offset."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        published = doc.article.published
        # A publication date outside the years news is dated in anchors nothing (and would
        # carry date arithmetic past the calendar's ends).
        self.published = published if published and \
            GREGORIAN_YEARS[0] <= published.year <= GREGORIAN_YEARS[1] else None
        self._tense: dict[int, str | None] = {}

    def tense(self, offset: int) -> str | None:
        """past or future: an imperfect event verb ("يعقد") looks forward for dates."""
        if offset not in self._tense:
            t = tense_of(self.doc, offset)
            self._tense[offset] = "future" if t == "present" else t
        return self._tense[offset]


Interval = tuple[dt.date, dt.date]


def _gregorian(y: int, m: int, d1: int, d2: int) -> Interval | None:
    if not GREGORIAN_YEARS[0] <= y <= GREGORIAN_YEARS[1] or d2 < d1:
        return None
    try:
        return dt.date(y, m, d1), dt.date(y, m, d2)
    except ValueError:
        return None      # "31 فبراير", "99 مايو"


def _from_hijri(y: int, m: int, d: int) -> dt.date:
    return dt.date(*Hijri(y, m, d).to_gregorian().datetuple())


def _hijri(y: int, m: int, d1: int, d2: int | None) -> Interval | None:
    try:
        if d2 is None:
            d2 = Hijri(y, m, 1).month_length()
        if d2 < d1:
            return None
        return _from_hijri(y, m, d1), _from_hijri(y, m, d2)
    except (ValueError, OverflowError):
        return None      # outside hijridate's table (1343-1500 AH) or no such day


def _hijri_year_of(day: dt.date) -> int | None:
    try:
        return Gregorian.fromdate(day).to_hijri().year
    except (ValueError, OverflowError):
        return None


# A Hijri month with a year past this is dated by the Gregorian year: "رمضان سنة 1996".
_LAST_HIJRI_YEAR = 1500


def _interval_at(a: _Atom, y: int) -> Interval | None:
    """The days of a day/month atom in year y of its calendar."""
    if a.calendar == "hijri":
        if y > _LAST_HIJRI_YEAR:
            return _hijri_in_gregorian_year(a, y)
        return _hijri(y, a.month, *(a.days if a.days else (1, None)))
    if a.days:
        return _gregorian(y, a.month, *a.days)
    if not GREGORIAN_YEARS[0] <= y <= GREGORIAN_YEARS[1]:
        return None
    return dt.date(y, a.month, 1), dt.date(y, a.month, calendar.monthrange(y, a.month)[1])


def _hijri_in_gregorian_year(a: _Atom, year: int) -> Interval | None:
    """The first occurrence of a Hijri month (or day of it) that begins in a Gregorian year."""
    if not GREGORIAN_YEARS[0] <= year <= GREGORIAN_YEARS[1]:
        return None
    hy = _hijri_year_of(dt.date(year, 1, 1))
    if hy is None:
        return None
    for y in (hy, hy + 1):
        iv = _hijri(y, a.month, *(a.days if a.days else (1, None)))
        if iv and iv[0].year == year:
            return iv
    return None


def _distance(iv: Interval, day: dt.date) -> int:
    if iv[0] <= day <= iv[1]:
        return 0
    return min(abs((iv[0] - day).days), abs((iv[1] - day).days))


def _choose(at: Callable[[int], Interval | None], base: int, pub: dt.date, rel: int | None,
            yrel: int | None, tense: Callable[[], str | None],
            prefer: Callable[[Interval], bool] | None = None) -> Interval | None:
    """The occurrence (in years base-1..base+1 of its calendar) the text means."""
    if yrel is not None:
        return at(base + yrel)
    if rel == 0:
        return at(base)
    found = [(y, iv) for y in (base - 1, base, base + 1) if (iv := at(y))]
    if prefer and any(prefer(iv) for _, iv in found):
        found = [(y, iv) for y, iv in found if prefer(iv)]
    if not found:
        return None
    if rel == 1:
        after = [iv for _, iv in found if iv[0] > pub]
        return after[0] if after else None
    if rel == -1:
        before = [iv for _, iv in found if iv[1] < pub]
        return before[-1] if before else None
    nearest = min(found, key=lambda c: (_distance(c[1], pub), abs(c[0] - base)))[1]
    t = tense()
    if t == "future":
        later = [iv for _, iv in found if iv[1] >= pub]
        if later and _distance(later[0], pub) <= _TENSE_REACH_DAYS:
            return later[0]
    elif t == "past":
        earlier = [iv for _, iv in found if iv[0] <= pub]
        if earlier and _distance(earlier[-1], pub) <= _TENSE_REACH_DAYS:
            return earlier[-1]
    return nearest


def _base_year(a: _Atom, pub: dt.date) -> int | None:
    return pub.year if a.calendar == "gregorian" else _hijri_year_of(pub)


def _yearly(a: _Atom, ctx: _Context, year: int | None = None,
            prefer: Callable[[Interval], bool] | None = None) -> _Value:
    """A day or month atom: its own year, the one given, or the one the context points to."""
    gran = "day" if a.days else "month"
    if a.year or year:
        iv = _interval_at(a, a.year or year)
        return _Value(*(iv or (None, None)), gran, relative=not a.year)
    pub = ctx.published
    base = _base_year(a, pub) if pub else None
    if base is None:
        return _Value(None, None, gran, relative=True)
    iv = _choose(lambda y: _interval_at(a, y), base, pub, a.rel, a.yrel,
                 lambda: ctx.tense(a.start), prefer)
    return _Value(*(iv or (None, None)), gran, relative=True)


def _month_of(pub: dt.date, shift: int) -> tuple[int, int]:
    n = pub.year * 12 + pub.month - 1 + shift
    return n // 12, n % 12 + 1


def _period(unit: str, rel: int, pub: dt.date) -> Interval:
    if unit == "week":
        monday = pub - dt.timedelta(days=pub.weekday()) + dt.timedelta(weeks=rel)
        return monday, monday + dt.timedelta(days=6)
    if unit == "month":
        y, m = _month_of(pub, rel)
        return dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])
    return dt.date(pub.year + rel, 1, 1), dt.date(pub.year + rel, 12, 31)


def _weekday_near(day: dt.date, weekday: int) -> dt.date:
    """The day with that weekday nearest to `day` (three days either side)."""
    delta = (weekday - day.isoweekday()) % 7
    return day + dt.timedelta(days=delta if delta <= 3 else delta - 7)


def _weekday(a: _Atom, ctx: _Context) -> dt.date | None:
    pub = ctx.published
    if pub is None:
        return None
    ahead = (a.weekday - pub.isoweekday()) % 7
    if a.rel == 1:
        return pub + dt.timedelta(days=ahead or 7)
    if a.rel == -1:
        return pub - dt.timedelta(days=(7 - ahead) % 7 or 7)
    if a.days:               # "السبت 10": the nearest Saturday that is a 10th
        return _weekday_with_day(a.weekday, a.days[0], pub)
    tense = "future" if a.rel == 0 else ctx.tense(a.start)
    back = (7 - ahead) % 7
    if tense == "future" or (tense is None and back > 3):
        # Without a cue, the nearest such day: agency copy names a past day of the last few
        # days by its weekday, and one further back with "الماضي".
        return pub + dt.timedelta(days=ahead)
    return pub - dt.timedelta(days=back)


def _weekday_with_day(weekday: int, day: int, pub: dt.date) -> dt.date | None:
    for shift in range(190):
        for sign in (1, -1):
            d = pub + dt.timedelta(days=sign * shift)
            if d.day == day and d.isoweekday() == weekday:
                return d
    return None


def _atom_value(a: _Atom, ctx: _Context) -> _Value:
    pub = ctx.published
    if a.recurring:
        return _Value(None, None, "day" if a.days else "month", False)
    if a.kind in ("day", "month"):
        if a.month is None:          # "15 من الشهر الجاري"
            if pub is None:
                return _Value(None, None, "day", True)
            y, m = _month_of(pub, a.rel or 0)
            iv = _gregorian(y, m, *a.days)
            return _Value(*(iv or (None, None)), "day", True)
        return _yearly(a, ctx)
    if a.kind == "numeric":
        iv = _gregorian(a.year, a.month, *a.days) if 1 <= a.month <= 12 else None
        return _Value(*(iv or (None, None)), "day", False)
    if a.kind == "year":
        if a.calendar == "hijri":
            iv = _hijri(a.year, 1, 1, None)
            end = _hijri(a.year, 12, 1, None)
            iv = (iv[0], end[1]) if iv and end else None
        elif GREGORIAN_YEARS[0] <= a.year <= GREGORIAN_YEARS[1]:
            iv = dt.date(a.year, 1, 1), dt.date(a.year, 12, 31)
        else:
            iv = None
        return _Value(*(iv or (None, None)), "year", False)
    if a.kind == "weekday":
        day = _weekday(a, ctx)
        return _Value(day, day, "day", True)
    if a.kind == "deictic":
        day = pub + dt.timedelta(days=a.offset) if pub else None
        return _Value(day, day, "day", True)
    if a.kind == "period":
        iv = _period(a.unit, a.rel, pub) if pub else None
        return _Value(*(iv or (None, None)), a.unit, True)
    raise AssertionError(f"no value for atom kind {a.kind!r}")


def _anchored(chain: list[_Atom], ctx: _Context) -> _Value:
    """"اليوم /الخميس/", "الأحد الموافق 25 جوان": the most explicit piece gives the day; a
    weekday checks a deictic day (agency copy dated the day after it was written)."""
    by_kind = {a.kind: a for a in chain}
    weekday = by_kind.get("weekday")
    dates = [a for a in chain if a.kind in ("day", "numeric")]
    if len(dates) == 2:
        return _equivalence(*dates, ctx)
    date_atom = dates[0] if dates else None
    if date_atom is not None:
        if date_atom.yearly and weekday is not None and not date_atom.year:
            wd = weekday.weekday
            return _yearly(date_atom, ctx, prefer=lambda iv: iv[0].isoweekday() == wd)
        return _atom_value(date_atom, ctx)
    deictic = by_kind["deictic"]
    value = _atom_value(deictic, ctx)
    if value.first and weekday and value.first.isoweekday() != weekday.weekday:
        day = _weekday_near(value.first, weekday.weekday)
        return _Value(day, day, "day", True)
    return value


def _equivalence(a: _Atom, b: _Atom, ctx: _Context) -> _Value:
    """A Hijri date and the Gregorian date the text gives for it: the text's own Gregorian
    date wins (conversion tables can differ by a day); the Hijri one only supplies a year."""
    hijri, greg = (a, b) if a.calendar == "hijri" else (b, a)
    if greg.year:
        return _atom_value(greg, ctx)
    h = _atom_value(hijri, ctx)
    if h.first is None:
        return _atom_value(greg, ctx)
    return _yearly(greg, ctx, prefer=lambda iv: _distance(iv, h.first) <= 31)


def _part(part: str, v: _Value) -> _Value:
    if v.first is None:
        return _Value(None, None, f"part-of-{v.granularity}", v.relative)
    if v.granularity == "month":
        first, last = v.first, v.last
        cuts = {"early": (first, first + dt.timedelta(days=9)),
                "mid": (first + dt.timedelta(days=10), first + dt.timedelta(days=19)),
                "late": (first + dt.timedelta(days=20), last)}
        return _Value(*cuts[part], "part-of-month", v.relative)
    y = v.first.year
    cuts = {"early": (dt.date(y, 1, 1), dt.date(y, 4, 30)),
            "mid": (dt.date(y, 5, 1), dt.date(y, 8, 31)),
            "late": (dt.date(y, 9, 1), dt.date(y, 12, 31))}
    return _Value(*cuts[part], "part-of-year", v.relative)


def _value_of_part(e: _Expr, ctx: _Context) -> _Value:
    part, base = e.parts
    if base.kind == "period" and base.rel is None:
        base = replace(base, rel=0)        # "مطلع العام": this year
    return _part(part.part, _atom_value(base, ctx))


def _range(a: _Expr, b: _Expr, ctx: _Context) -> _Value:
    va = _value(a, ctx)
    vb = _value(b, ctx)
    last_a, first_b = a.parts[-1], b.parts[-1]
    if a.kind == "single" and last_a.kind == "weekday" and last_a.rel is None and vb.first \
            and b.kind == "anchored":
        # "يومي الإثنين والثلاثاء 10 و11 أفريل": the weekday leads up to the dated day
        day = vb.first - dt.timedelta(days=(vb.first.isoweekday() - last_a.weekday) % 7)
        va = _Value(day, day, "day", vb.relative)
    elif isinstance(last_a, _Atom) and isinstance(first_b, _Atom):
        if last_a.yearly and first_b.yearly and last_a.calendar == first_b.calendar \
                and not last_a.year and (first_b.year or first_b.rel is not None
                                         or first_b.yrel is not None) and vb.last:
            # "من 26 أبريل إلى 2 مايو 2016": the start takes the end's year
            wrap = (last_a.month, last_a.days or (0,)) > (first_b.month, first_b.days or (0,))
            year = _base_year(last_a, vb.last) - (1 if wrap else 0)
            va = replace(_yearly(last_a, ctx, year=year), relative=vb.relative)
        elif first_b.kind == "weekday" and va.first and first_b.rel is None:
            day = va.first + dt.timedelta(days=(first_b.weekday - va.first.isoweekday()) % 7)
            vb = _Value(day, day, "day", True)
        elif first_b.yearly and not first_b.year and va.first \
                and first_b.rel is None and first_b.yrel is None:
            # "من 28 ديسمبر إلى 3 جانفي": the end is the first such day after the start
            vb = _yearly(first_b, ctx, prefer=lambda iv: 0 <= (iv[0] - va.first).days <= 366)
    relative = va.relative or vb.relative
    if va.first is None or vb.last is None or vb.last < va.first:
        return _Value(None, None, va.granularity, relative)
    return _Value(va.first, vb.last, va.granularity, relative)


def _value(e: _Expr, ctx: _Context) -> _Value:
    if e.kind == "single":
        return _atom_value(e.parts[0], ctx)
    if e.kind == "anchored":
        return _anchored(e.parts, ctx)
    if e.kind == "part":
        return _value_of_part(e, ctx)
    return _range(*e.parts, ctx)


# ---------------------------------------------------------------- durations

def _add(day: dt.date, unit: str, count: int) -> dt.date:
    """The last day of a stretch of `count` units starting on `day`."""
    if unit == "day":
        return day + dt.timedelta(days=count - 1)
    if unit == "week":
        return day + dt.timedelta(days=7 * count - 1)
    y, m = divmod(day.year * 12 + day.month - 1 + count, 12)
    m += 1
    return dt.date(y, m, min(day.day, calendar.monthrange(y, m)[1])) - dt.timedelta(days=1)


def _duration(g: _Grammar, m: re.Match[str]) -> tuple[str, int] | None:
    unit, count = g.units[_key(m.group("unit"))]
    number = m.group("num") or m.group("num2")
    if number:
        n = int(number) if number.isdigit() else g.numbers.get(number)
        if n is None or (count not in (None, 1) and count != n):
            return None
        count = n
    if not count or count > _LONGEST_STRETCH.get(unit, 0):
        return None
    return unit, count


# Longer stretches are sentences, terms and validity periods, not how long a date lasts.
_LONGEST_STRETCH = {"day": 31, "week": 8, "month": 12}


def _tokens_between(text: str, i: int, j: int) -> int:
    return len(re.findall(r"[^\W_]+", text[i:j]))


def _with_duration(g: _Grammar, text: str, exprs: list[_Expr], k: int, v: _Value
                   ) -> tuple[_Value, int, int, str]:
    """A single day followed (or, after "ابتداء من", preceded) by how long it lasts."""
    e = exprs[k]
    start, end = e.start, e.end
    if v.granularity != "day" or v.first != v.last or e.kind == "range":
        return v, start, end, ""
    starts_stretch = g.start_cue_re.search(text, max(0, start - 30), start) is not None
    limit = min(exprs[k + 1].start if k + 1 < len(exprs) else len(text), end + 400)
    stop = _SENTENCE_END.search(text, end, limit)
    m = g.duration_re.search(text, end, stop.start() if stop else limit)
    if m and _tokens_between(text, end, m.start()) > (
            _DURATION_REACH_TOKENS if _key(m.group("cue")).endswith("لمده")
            else _DURATION_VERB_REACH_TOKENS):
        m = None
    if m and not starts_stretch and g.units[_key(m.group("unit"))][0] == "month":
        m = None    # "قضت الأربعاء بالسجن لمدة 6 أشهر": a term, unless "ابتداء من" says so
    if m is None and starts_stretch:
        lo = max(exprs[k - 1].end if k else 0, start - 120)
        before = list(g.duration_re.finditer(text, lo, start))
        m = before[-1] if before and not _SENTENCE_END.search(text, before[-1].end(), start) \
            else None
    if m is None:
        return v, start, end, ""
    stretch = _duration(g, m)
    if stretch is None:
        return v, start, end, ""
    if v.first and _key(m.group("cue")) in _PAST_LASTING and _closing_before(text, start):
        # "اختتمت يوم الجمعة أعمال الدورة التي استمرت أربعة أسابيع": it ended that day.
        first = v.first - (_add(v.first, *stretch) - v.first)
        return _Value(first, v.first, "day", v.relative), start, end, "+duration"
    last = _add(v.first, *stretch) if v.first else None
    if m.start() >= end and re.fullmatch(r"[\s،,و]*", text[end:m.start()]):
        end = m.end()          # "الاثنين القادم ويستمر يومين": one expression
    return _Value(v.first, last, "day", v.relative), start, end, "+duration"


# Past verbs of lasting, and the words of a closing: after a closing, the stretch ends on
# the day given.
_PAST_LASTING = frozenset({"استمر", "استمرت", "دام", "دامت", "امتد", "امتدت", "تواصلت",
                           "استغرقت"})
_CLOSING_RE = re.compile(r"(?<![^\W\d_])[وف]?(?:اختتم|اختتمت|تختتم|يختتم|اختتام|ختام|باختتام)"
                         r"(?![^\W\d_])")


def _closing_before(text: str, start: int) -> bool:
    sentence_start = max((m.end() for m in _SENTENCE_END.finditer(text, max(0, start - 300),
                                                                   start)), default=0)
    return _CLOSING_RE.search(text, max(sentence_start, start - 300), start) is not None


# ---------------------------------------------------------------- public

def find_dates(doc: Doc) -> list[DateMention]:
    """The temporal expressions of an article, resolved against its publication date."""
    text = doc.norm.text
    g = _grammar()
    exprs = _combine(_find_atoms(g, doc), text)
    ctx = _Context(doc)
    mentions: list[DateMention] = []
    until_k = -1
    for k, e in enumerate(exprs):
        if k == until_k:
            continue                     # the last day of the stretch before it
        value, start, end, extra = _with_duration(g, text, exprs, k, _value(e, ctx))
        last = _until(g, text, exprs, k, value, ctx) if not extra else None
        if last is not None:
            value, end, extra, until_k = _Value(value.first, last[0], "day", value.relative), \
                last[1], "+until", k + 1
        o_start, o_end = doc.original(start, end)
        if o_end <= o_start:
            continue
        rule = e.rule + extra
        rows = [a.row for a in _atoms_of(e) if a.row]
        source = rule + "".join(f"|{r}" for r in dict.fromkeys(rows))
        mentions.append(DateMention(o_start, o_end, doc.text[o_start:o_end], value.first,
                                    value.last, value.granularity, source, value.relative))
    return _longest_first(mentions)


# The longest stretch "X وتتواصل إلى Y" may cover: a festival, a fair, a conference season.
_LONGEST_UNTIL_DAYS = 62


def _until(g: _Grammar, text: str, exprs: list[_Expr], k: int, value: _Value, ctx
           ) -> tuple[dt.date, int] | None:
    """(last day, end offset) when the single day of expression k is followed by a verb of
    lasting and "until" the next expression, a later day."""
    if value.granularity != "day" or value.first is None or value.first != value.last \
            or k + 1 >= len(exprs):
        return None
    nxt = exprs[k + 1]
    if not g.until_re.fullmatch(text, exprs[k].end, nxt.start):
        return None
    other = _value(nxt, ctx)
    if other.granularity != "day" or other.first is None \
            or not 0 < (other.first - value.first).days <= _LONGEST_UNTIL_DAYS:
        return None
    return other.first, nxt.end


def _atoms_of(e: _Expr) -> list[_Atom]:
    out: list[_Atom] = []
    for p in e.parts:
        out.extend(_atoms_of(p) if isinstance(p, _Expr) else [p])
    return out


@lru_cache(maxsize=50_000)
def word_tense(word: str) -> str | None:
    cues = tense_cues()
    forms = (word, word[1:]) if len(word) > 3 and word[0] in "وف" else (word,)
    for f in forms:
        t = cues.words.get(f)
        if t:
            return None if t == "none" else t
    for f in forms:
        # سـ + an imperfect prefix: "ستعقد", "سيزور", "سنعمل" (not "سيارة", "سنوات").
        if len(f) >= 5 and f[0] == "س" and f[1] in "يتن" \
                and not f.startswith(cues.not_future_prefixes):
            return "future"
    return None


def tense_of(doc: Doc, norm_offset: int) -> str | None:
    """"past" | "present" | "future" | None: the tense of the clause around a normalized offset
    (present: an imperfect event verb, "تنطلق", "يؤدي"), from the
    nearest cue word before it (up to eight words back, not across a sentence end), else just
    after it. Cues: future verbs (سـ، سوف), scheduling words (المقرر، المرتقب), imperfect event
    verbs (يعقد، تنطلق), المقبل/القادم; past verbs (عقد، اختتمت، قال), لم، منذ، الماضي، أمس."""
    tokens = doc.tokens
    if not tokens:
        return None
    text = doc.norm.text
    k = doc.token_at(norm_offset)
    for j in range(min(k, len(tokens)) - 1, max(-1, k - 1 - _TENSE_BACK), -1):
        following = tokens[j + 1].start if j + 1 < len(tokens) else norm_offset
        if _SENTENCE_END.search(text, tokens[j].end, max(following, tokens[j].end)):
            break
        t = word_tense(tokens[j].text)
        if t:
            return _negated(tokens, j, t)
    for j in range(k, min(len(tokens), k + _TENSE_AHEAD)):
        if j > k and _SENTENCE_END.search(text, tokens[j - 1].end, tokens[j].start):
            break
        t = word_tense(tokens[j].text)
        if t:
            return _negated(tokens, j, t)
    return None


def _negated(tokens, j: int, tense: str) -> str:
    """"لم يحضر" is past, "لن يحضر" and "سوف يحضر" future, whatever the verb's own form says."""
    before = tokens[j - 1].text if j else ""
    return {"لم": "past", "ولم": "past", "فلم": "past", "لن": "future", "ولن": "future",
            "سوف": "future", "وسوف": "future"}.get(before, tense)
