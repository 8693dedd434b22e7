"""Synthetic Arabic news articles for benchmarks and scale tests, from the knowledge base and
sentence templates.

Input: a count, a seed, and the knowledge files (cities and countries of places.tsv, bodies of
organizations.tsv, office titles of titles.tsv, given names, Gregorian month names, weekdays,
themes). Output: article records (`id`, `title`, `published`, `source`, `url`, `text`: the
JSONL fields `analytics ingest` reads), about 600 characters each, each reporting one or two
events of the eleven types, weighted the way agency copy is (meetings and visits most, signings
and launches least), in venues drawn mostly from Arab capitals and large cities and the usual
diplomatic hubs, with organizers, officials, dates (explicit, or relative to the publication
date) and a theme.

Deterministic: article `i` of seed `s` depends on (s, i) alone, so `synth_articles(1000)` is
the first thousand of `synth_articles(2000)` and a partition of a corpus can be generated
alone. The outlets and URLs are fictitious (`*.invalid`); the people are random combinations
of given names, not real persons.

    for record in synth_articles(1000, seed=7):
        print(json.dumps(record, ensure_ascii=False))
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from analytics.knowledge import read_tsv

# Arab League members: where most venues of Arabic agency copy are.
ARAB_COUNTRIES = frozenset(
    ["AE", "BH", "DZ", "EG", "IQ", "JO", "KM", "KW", "LB", "LY", "MA", "MR", "OM", "PS", "QA", "SA", "SD", "SO", "SY", "TN", "YE", "DJ"])
# Diplomatic hubs outside the Arab world that Arabic agency copy reports from often.
HUB_CITIES = ("جنيف", "نيويورك", "باريس", "بروكسل", "فيينا", "لندن", "إسطنبول", "موسكو",
              "بكين", "واشنطن", "روما", "برلين", "مدريد", "طوكيو", "نيروبي", "أديس أبابا",
              "جاكرتا", "باكو", "طشقند", "أنقرة", "طهران")
# Weights of the event types, from agency copy: meetings and visits dominate.
TYPE_WEIGHTS = {"meeting": 30, "visit": 14, "conference": 12, "summit": 6, "forum": 7,
                "session": 8, "seminar": 6, "exhibition": 4, "signing": 6, "launch": 4,
                "ceremony": 3}
ORGANIZER_KINDS = frozenset({"intergovernmental", "organ", "un-agency", "specialized-agency",
                             "humanitarian", "ngo", "fund", "international-body", "union"})
OFFICES = ("وزير الخارجية", "وزير الاقتصاد", "وزير الثقافة", "وزير الصحة", "وزير التعليم",
           "رئيس الوزراء", "السفير", "المبعوث الخاص", "الأمين العام", "نائب الأمين العام",
           "المدير العام", "وزير الدولة للشؤون الخارجية", "رئيس مجلس النواب")
OUTLETS = ("وكالة الأنباء النموذجية", "صحيفة الخبر التجريبية", "شبكة الأخبار المصطنعة",
           "وكالة المشرق التجريبية", "صحيفة المغرب النموذجية")
WEEKDAYS = ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")
ORDINALS = ("الأولى", "الثانية", "الثالثة", "الرابعة", "الخامسة", "السادسة", "السابعة",
            "الثامنة", "التاسعة", "العاشرة")
FIRST_DAY = dt.date(2010, 1, 1)
DAYS = (dt.date(2024, 12, 31) - FIRST_DAY).days


@dataclass(frozen=True)
class Knowledge:
    """What the templates draw from."""
    arab_cities: tuple[tuple[str, str], ...]      # (city, country name)
    hub_cities: tuple[tuple[str, str], ...]
    organizations: tuple[str, ...]
    given_names: tuple[str, ...]
    family_names: tuple[str, ...]                 # the given names that carry the article
    months: tuple[str, ...]                       # January .. December
    themes: tuple[str, ...]                       # Arabic labels


@cache
def knowledge() -> Knowledge:
    countries, cities = {}, []
    for row in read_tsv("places.tsv", ("id", "kind", "name_ar")):
        if row["kind"] == "country":
            countries[row.get("country")] = row["name_ar"]
        elif row["kind"] == "city" and row.get("curated") == "yes":
            cities.append((row["name_ar"], row.get("country"), int(row.get("population") or 0)))
    arab = sorted(((name, countries.get(cc, "")) for name, cc, pop in cities
                   if cc in ARAB_COUNTRIES and pop >= 150_000), key=lambda c: c[0])
    by_name = {name: (name, countries.get(cc, "")) for name, cc, _ in cities}
    hubs = tuple(by_name[n] for n in HUB_CITIES if n in by_name)
    orgs = sorted(row["name_ar"] for row in read_tsv("organizations.tsv", ("id", "name_ar"))
                  if row.get("kind") in ORGANIZER_KINDS)
    names = sorted(row["name"] for row in read_tsv("given_names.tsv", ("name",))
                   if row.get("gender") == "m" and not row.get("ambiguous"))
    # Maghrebi given names with the article (الطاهر، الهاشمي) double as family names.
    family = tuple(n for n in names if n.startswith("ال") and " " not in n)
    names = [n for n in names if not n.startswith("ال")]
    months = {}
    for row in read_tsv("months.tsv", ("calendar", "month", "form")):
        if row["calendar"] == "gregorian" and row.get("region") == "standard":
            months.setdefault(int(row["month"]), row["form"])
    themes = sorted(row["label_ar"] for row in read_tsv("themes.tsv", ("id", "label_ar")))
    return Knowledge(tuple(arab), hubs, tuple(orgs), tuple(names), family,
                     tuple(months[m] for m in range(1, 13)), tuple(themes))


class _Article:
    """One article being written: its random source, publication date and slots."""

    def __init__(self, kb: Knowledge, rng: random.Random) -> None:
        self.kb = kb
        self.rng = rng
        self.published = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
        self.venue = self.city()

    def city(self) -> tuple[str, str]:
        pool = self.kb.arab_cities if self.rng.random() < 0.8 else self.kb.hub_cities
        return self.rng.choice(pool)

    def org(self) -> str:
        return self.rng.choice(self.kb.organizations)

    def person(self) -> str:
        first, father = (self.rng.choice(self.kb.given_names) for _ in range(2))
        family = self.rng.choice(self.kb.family_names)
        return f"{first} {family}" if self.rng.random() < 0.6 else f"{first} {father} {family}"

    def official(self) -> str:
        return f"{self.rng.choice(OFFICES)} {self.person()}"

    def date(self, offset: int) -> str:
        """The event's day as a phrase: relative words near the publication date, else the
        full date with its weekday."""
        day = self.published + dt.timedelta(days=offset)
        weekday = WEEKDAYS[day.weekday()]
        if offset == 0 and self.rng.random() < 0.5:
            return f"اليوم {weekday}"
        if offset == -1 and self.rng.random() < 0.5:
            return f"أمس {weekday}"
        if offset == 1 and self.rng.random() < 0.5:
            return f"غدا {weekday}"
        return f"يوم {weekday} {day.day} {self.kb.months[day.month - 1]} {day.year}"

    def span(self, offset: int, days: int) -> str:
        first = self.published + dt.timedelta(days=offset)
        last = first + dt.timedelta(days=days - 1)
        if first.month == last.month:
            return (f"من {first.day} إلى {last.day} {self.kb.months[first.month - 1]} "
                    f"{first.year}")
        return self.date(offset)

    def theme(self) -> str:
        return self.rng.choice(self.kb.themes)


def _event(a: _Article, kind: str, held: bool) -> tuple[str, str]:
    """(headline, paragraph) reporting one event."""
    rng = a.rng
    city, country = a.venue
    org, org2, theme = a.org(), a.org(), a.theme()
    who, who2 = a.official(), a.official()
    off = -rng.randrange(0, 3) if held else rng.randrange(1, 20)
    when = a.date(off)
    n = rng.choice((20, 35, 50, 80, 120, 200, 300, 500))
    ordinal = rng.choice(ORDINALS)
    if kind == "meeting":
        verb = "عقد" if held else "يعقد"
        return (f"اجتماع في {city} لبحث {theme}",
                (f"{verb} {who} {when} في {city} اجتماعا مع {who2}، تناول سبل تعزيز التعاون "
                f"في مجال {theme} والتنسيق بين البلدين في القضايا الإقليمية."))
    if kind == "visit":
        verb = "وصل" if held else "يصل"
        return (f"زيارة رسمية إلى {city}",
                (f"{verb} {who} {when} إلى {city} في زيارة رسمية إلى {country} تستغرق يومين، "
                f"يلتقي خلالها كبار المسؤولين لبحث {theme}."))
    if kind == "summit":
        verb = "انطلقت" if held else "تنطلق"
        return (f"قمة {org} في {city}",
                (f"{verb} في مدينة {city} {when} أعمال القمة {ordinal} لقادة الدول الأعضاء في "
                f"{org}، بمشاركة الملوك والرؤساء، وتبحث {theme}."))
    if kind == "conference":
        verb = "افتتح" if held else "يفتتح"
        return (f"مؤتمر دولي حول {theme}",
                (f"{verb} {who} في {city} أعمال المؤتمر الدولي حول {theme}، الذي تنظمه {org} "
                f"{a.span(off, 3)} بمشاركة {n} خبيرا ومسؤولا من مختلف الدول."))
    if kind == "forum":
        verb = "استضافت" if held else "تستضيف"
        return (f"منتدى {theme} في {city}",
                (f"{verb} {city} {when} منتدى {theme} {ordinal}، بتنظيم من {org} وبحضور "
                f"{n} مشاركا من ممثلي الحكومات والمجتمع المدني."))
    if kind == "session":
        verb = "اختتمت" if held else "تبدأ"
        return (f"{org}: الدورة {ordinal}",
                (f"{verb} {org} {when} في {city} أعمال دورتها العادية {ordinal}، برئاسة "
                f"{who}، وعلى جدول أعمالها {theme}."))
    if kind == "seminar":
        verb = "نظمت" if held else "تنظم"
        return (f"ندوة حول {theme}",
                (f"{verb} {org} {when} في {city} ندوة علمية حول {theme}، شارك فيها {n} "
                f"باحثا ومختصا."))
    if kind == "exhibition":
        verb = "افتتح" if held else "يفتتح"
        return (f"معرض {city} الدولي",
                (f"{verb} {who} {when} معرض {city} الدولي للكتاب في دورته {ordinal}، بمشاركة "
                f"{n} دار نشر عربية وأجنبية."))
    if kind == "signing":
        verb = "جرى" if held else "يجري"
        return (f"اتفاقية بين {org} و{org2}",
                (f"{verb} {when} في {city} توقيع اتفاقية تعاون بين {org} و{org2} في مجال "
                f"{theme}، وقعها عن الجانبين {who} و{who2}."))
    if kind == "launch":
        verb = "أعلنت" if held else "تعلن"
        return (f"{org} تطلق مبادرة جديدة",
                (f"{verb} {org} {when} من {city} إطلاق مبادرة إقليمية جديدة في مجال {theme}، "
                f"بميزانية تقدر بملايين الدولارات."))
    verb = "أقيم" if held else "يقام"
    return (f"حفل في {city}",
            (f"{verb} في {city} {when} حفل تكريم الفائزين بجائزة {org} في مجال {theme}، "
            f"بحضور {who}."))


def synth_article(i: int, seed: int = 0) -> dict[str, str]:
    """Article `i` of the corpus of `seed`, as a JSONL record."""
    kb = knowledge()
    rng = random.Random(f"analytics-synth:{seed}:{i}")
    a = _Article(kb, rng)
    types, weights = list(TYPE_WEIGHTS), list(TYPE_WEIGHTS.values())
    held = rng.random() < 0.75
    first = rng.choices(types, weights)[0]
    headline, body = _event(a, first, held)
    # Datelines mostly name the city of the main event.
    dateline = a.venue[0] if rng.random() < 0.7 else a.city()[0]
    paragraphs = [body]
    if rng.random() < 0.5:
        a.venue = a.city()
        paragraphs.append(_event(a, rng.choices(types, weights)[0], rng.random() < 0.75)[1])
    paragraphs.append(f"وأكد {a.official()} في تصريح صحفي أهمية {a.theme()}، مشيرا إلى أن "
                      f"التحديات الراهنة تتطلب تضافر الجهود على المستويين الإقليمي والدولي.")
    if rng.random() < 0.6:
        paragraphs.append(f"ويأتي ذلك في إطار الجهود التي تبذلها {a.org()} لدعم {a.theme()}، "
                          f"وتعزيز الشراكة مع المنظمات الإقليمية والدولية.")
    outlet = rng.choice(OUTLETS)
    text = f"{dateline} - {outlet}\n\n" + "\n\n".join(paragraphs)
    article_id = f"synth-{seed}-{i:07d}"
    return {"id": article_id, "title": headline, "published": a.published.isoformat(),
            "source": outlet, "url": f"https://synth.analytics.invalid/{seed}/{i}",
            "text": text}


def synth_articles(n: int, seed: int = 0, start: int = 0) -> Iterator[dict[str, str]]:
    """Articles `start` .. `start + n - 1` of the corpus of `seed`."""
    for i in range(start, start + n):
        yield synth_article(i, seed)
