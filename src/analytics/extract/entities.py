"""Persons, organizations and places: Doc -> Mentions.

Candidates come from independent finders, each a small function over the Doc's tokens:
1. `knowledge_matches`: the gazetteer and the organization base, as one lexicon keyed by a
   name's first word; the longest name wins, and the first word may carry proclitics
   ("بمنظمة", "وللأمم", "بالقاهرة", tried through `clitic_forms`).
2. `unknown_organizations`: a head noun (org_heads.tsv: وزارة، حركة، هيئة ...) and its genitive
   and adjective chain, up to a verb, a preposition or punctuation.
3. `unknown_places`: the name after a place noun ("بمدينة إلتمان", "معتمدية البرادعة").
4. `persons`: a title or role and the name after it, a verb of saying and the name after it,
   and known given names with a surname.
Then one policy decides between overlapping candidates (`resolve_overlaps`: the longest span
wins; knowledge beats a pattern at equal length), and two passes over what is left add the
later mentions: a known person's surname alone ("الجهيناوي"), and "المنظمة"/"الجامعة" for
the last organization named with that head noun.

Every Mention's offsets are into the original text (`text[start:end] == mention.text`, clitics
included); `name_ar` is the canonical name without clitics and `name_en` comes from the
knowledge base or `romanize`.
"""

# ruff: noqa: SIM905 - word lists read as Arabic prose are easier to check than list literals
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from analytics.knowledge import read_tsv
from analytics.knowledge.calendar import calendar_lexicon
from analytics.knowledge.organizations import Organization, load_organizations
from analytics.knowledge.persons import GivenName, PersonKnowledge, load_person_knowledge
from analytics.knowledge.places import Place, load_gazetteer
from analytics.model import Mention
from analytics.text.doc import Doc
from analytics.text.normalize import normalize_key
from analytics.text.tokens import clitic_forms

# Grammar words that end a name or a role phrase: prepositions, particles, relatives,
# demonstratives and clause openers. Matched on the normalized token.
STOP_WORDS = frozenset(normalize_key(w) for w in """
في على علي من إلى الى عن مع حول خلال بعد قبل منذ ضد لدى لدي عند عبر نحو دون بين حتى أمام وراء
أن إن أنه انه إنه أنها انها كان كانت قد لقد لم لن لا ما ماذا متى كيف أين اين هل ثم أو او بل لكن
الذي التي الذين اللذين اللتين اللواتي هذا هذه ذلك تلك هؤلاء هناك هنا كل بعض جميع غير سوى أي
وهو وهي هو هي هم هما نحن أنا يوم أمس امس اليوم غدا صباح مساء مساء ليلة عام سنة شهر أيضا كما
حيث إذ إذا اذا لأن بأن وأن وان فإن كذلك جدا فقط تم يتم سيتم وذلك ضمن إثر اثر وفق حسب بحسب
الأسبوع الاسبوع الشهر الماضي المقبل القادم الجاري المنصرم صباحا مساءا ظهر آنذاك حينها
""".split())
# "العام" is "general" in names ("الاتحاد العام التونسي للشغل") and "the year" before these.
_YEAR_WORDS = frozenset({"العام", "السنه"})
_TIME_ADJECTIVES = frozenset({"الماضي", "المقبل", "القادم", "الجاري", "المنصرم"})


def _time_phrase_at(words: list[str], j: int) -> bool:
    """Does a time phrase start at word j ("الأسبوع الماضي", "العام الماضي", "الجمعة")? It
    ends a name."""
    return words[j] in _weekday_words() or (
        words[j] in _YEAR_WORDS and j + 1 < len(words) and words[j + 1] in _TIME_ADJECTIVES)


@lru_cache(maxsize=1)
def _weekday_words() -> frozenset[str]:
    """"قال أردوغان الجمعة": a weekday after a name is when, not part of it."""
    return frozenset(calendar_lexicon().weekdays)
# Adjectives that belong to a role, never to a name ("وزير الخارجية الأسبق").
ROLE_ADJECTIVES = frozenset(normalize_key(w) for w in """
السابق السابقة الأسبق الأسبقة الحالي الحالية الجديد الجديدة المستقيل المستقيلة المكلف المكلفة
المساعد المساعدة الأول الأولى العام العامة الخاص الخاصة الدائم الدائمة المقيم الرسمي الرسمية
""".split())
# Nouns that open a place name the gazetteer may not know ("بمدينة إلتمان"); the name is what
# follows them. Place cues also license a gazetteer name that is a common word (مالي).
PLACE_HEADS = frozenset(normalize_key(w) for w in
                        "مدينة بلدة قرية معتمدية عمادة ولاية محافظة إقليم منطقة حي".split())
PLACE_CUES = PLACE_HEADS | frozenset(normalize_key(w) for w in
                                     "في الى إلى من دولة جمهورية العاصمة بلاد".split())
# Nouns that name a site together with what follows ("مطار النفيضة", "قلعة حلب", "مخيم
# الزعتري", "قاعة الكوليزي"); not before a common word ("قاعة الاجتماعات").
# Buildings of every town ("قاعة", "مستشفى") take a description as often as a name ("قاعة
# أفراح", "مستشفى ميداني"): their name must begin with a rarer word.
# ("قاعدة" is a base and a rule: "قاعدة الشعيرات الجوية", not "قاعدة التوافق".)
BUILDING_HEADS = frozenset(normalize_key(w) for w in "مخيم قاعة مسرح قبة سجن مستشفى قاعدة".split())
SITE_HEADS = frozenset(normalize_key(w) for w in
                       "مطار ميناء قلعة قصر شارع ساحة ملعب فندق جامع مسجد جزيرة".split()
                       ) | BUILDING_HEADS
# A site's name begins with a rarer word than this ("قاعة الكوليزي", not "قاعة جلوس").
SITE_NAME_MAX_ZIPF = 3.5
NAME_PARTICLES = frozenset(normalize_key(w) for w in "بن ابن بنت ولد أبو ابو أبي عبد آل".split())
# Head nouns of organizations that a later bare "المنظمة" / "الجامعة" ... refers back to.
ANAPHORA_HEADS = frozenset(normalize_key(w) for w in """
المنظمة الجامعة الوكالة الاتحاد المجلس الهيئة الحركة الحزب المفوضية اللجنة الصندوق البنك
البرنامج الحلف الوزارة الرئاسة المحكمة الجمعية الرابطة النقابة المؤسسة الشركة المركز
""".split())
COMMON_ZIPF = 4.0  # a word this frequent in general Arabic is a word, not an unknown name
_DIGITS = re.compile(r"\d")


@dataclass(frozen=True)
class LexEntry:
    words: tuple[str, ...]
    kind: str                    # place | organization
    place: Place | None = None
    org: Organization | None = None
    cue_only: bool = False
    strippable: bool = True      # may match with a proclitic that is not "ال"-bearing


@dataclass
class Candidate:
    first: int                   # token indexes, [first, last)
    last: int
    kind: str
    name_ar: str
    name_en: str | None
    source: str
    knowledge: bool
    entity_id: str | None = None
    title: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None

    @property
    def size(self) -> int:
        return self.last - self.first


@dataclass(frozen=True)
class Knowledge:
    lexicon: dict[str, tuple[LexEntry, ...]]
    persons: PersonKnowledge
    common: dict[str, float]
    demonym_stems: frozenset[str]
    org_heads: dict


@lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    """Every lookup the finders use, built once per process."""
    gaz, orgs = load_gazetteer(), load_organizations()
    entries: dict[tuple[str, ...], LexEntry] = {}
    # Adjectives of countries and continents ("التونسية", "الأوروبي"), not of cities: city
    # adjectives are family names ("البغدادي").
    stems: set[str] = {"عرب", "امم", "اورب", "اوروب", "اسيو", "اسلام", "امريك", "اميرك"}
    for key, place in gaz.by_key.items():
        words = tuple(key.split())
        # A proclitic comes off a GeoNames-only name only when the name is long: "كبيرا" is
        # not ك + a town "بيرا".
        strippable = place.curated or place.kind != "city" or len(key) >= 6
        entries[words] = LexEntry(words, "place", place=place, cue_only=key in place.cue_only,
                                  strippable=strippable)
        if place.kind in ("country", "region") and len(words) <= 2:
            stems.update(x for x in _stems(words[-1]) if len(x) >= 3)
    for key, org in orgs.by_key.items():
        words = tuple(key.split())
        entries[words] = LexEntry(words, "organization", org=org)
    lexicon: dict[str, list[LexEntry]] = {}
    for e in entries.values():
        lexicon.setdefault(e.words[0], []).append(e)
    common = {r["word"]: float(r["zipf"]) for r in read_tsv("common_words.tsv", required=("word",))}
    persons = load_person_knowledge()
    for name in persons.family:
        common.pop(name, None)           # a name the news made frequent, not a word
    return Knowledge({k: tuple(sorted(v, key=lambda e: -len(e.words))) for k, v in lexicon.items()},
                     persons, common, frozenset(stems), orgs.heads)


def _stems(word: str) -> set[str]:
    w = word.removeprefix("ال")
    out = {w}
    for end in ("يا", "ا", "ه", "ات"):
        if w.endswith(end) and len(w) - len(end) >= 2:
            out.add(w[: -len(end)])
    return out


def is_demonym(word: str, k: Knowledge) -> bool:
    """ "التونسية", "الفلسطيني", "الإسرائيليين": an adjective of a country, not the place."""
    w = word[2:] if word.startswith("ال") else word.removeprefix("ل")
    for end in ("يتين", "يين", "يون", "يه", "ي"):
        if w.endswith(end) and w[: -len(end)] in k.demonym_stems:
            return True
    return False


# ---------------------------------------------------------------- token helpers

class Tokens:
    """The Doc's normalized words, what separates them, and what each word can start."""

    def __init__(self, doc: Doc, k: Knowledge | None = None):
        self.doc = doc
        self.words = [t.text for t in doc.tokens]
        text = doc.norm.text
        toks = doc.tokens
        # joined[i]: only white space between token i-1 and token i (no punctuation, no quote)
        self.joined = [False] + [text[toks[i - 1].end:toks[i].start].isspace()
                                 for i in range(1, len(toks))]
        # flags[i]: the passes that may find something at word i (_word_flags); a knowledge
        # base built by a test gets every flag, and each pass looks at every word.
        if k is None or k is knowledge():
            self.flags = word_flags(self.words)
        else:
            self.flags = [ALL_FLAGS] * len(self.words)

    def at(self, flag: int) -> list[int]:
        """The positions of the words that have this flag."""
        return [i for i, f in enumerate(self.flags) if f & flag]

    def original(self, i: int, j: int) -> str:
        a, b = self.doc.token_span(i, j)
        return self.doc.text[a:b]


def _definite(w: str) -> bool:
    return w.startswith("ال") and len(w) > 3


def _bare(w: str) -> str:
    """The word without a conjunction or preposition before its article: وللشؤون -> الشؤون."""
    for f in clitic_forms(w)[1:]:
        if f.startswith("ال"):
            return f
    return w


def _is_common(w: str, k: Knowledge) -> bool:
    if k.common.get(w, 0.0) >= COMMON_ZIPF:
        return True
    # the accusative ending: "اجتماعا" is "اجتماع"
    return len(w) > 3 and w.endswith("ا") and k.common.get(w[:-1], 0.0) >= COMMON_ZIPF


# ---------------------------------------------------------------- what a word can start

# Each pass below looks at the words that can start what it finds. Which passes a word
# concerns is computed once per distinct word and kept: one lookup per token for all the
# passes (a lookup in each pass cost a third of the extraction time on the ANT corpus).
IN_LEXICON, ORG_HEAD, PLACE_HEAD, PERSON_START, ANAPHORA = 1, 2, 4, 8, 16
ALL_FLAGS = 31
_FLAGS: dict[str, int] = {}
_MAX_FLAGS = 300_000             # distinct words kept; the table starts over beyond that


def word_flags(words: list[str]) -> list[int]:
    """The flags of each word, for the shipped knowledge base."""
    if len(_FLAGS) > _MAX_FLAGS:
        _FLAGS.clear()
    return [f if (f := _FLAGS.get(w)) is not None else _flags_of(w) for w in words]


def _flags_of(w: str) -> int:
    f = (IN_LEXICON * bool(_lexicon_hits(w))
         | ORG_HEAD * (_known_org_head(w)[0] is not None)
         | PLACE_HEAD * (_place_heads(w) is not None)
         | PERSON_START * _may_start_person(w)
         | ANAPHORA * _anaphora_head_in(w))
    _FLAGS[w] = f
    return f


# ---------------------------------------------------------------- 1. knowledge

@lru_cache(maxsize=200_000)
def _lexicon_hits(word: str) -> tuple[tuple[str, tuple[LexEntry, ...]], ...]:
    """The clitic forms of a word that the knowledge lexicon holds, with their entries (most
    words: none). Cached by word: words repeat, so an article costs a lookup per token."""
    lexicon = knowledge().lexicon
    return tuple((f, lexicon[f]) for f in clitic_forms(word) if f in lexicon)


def knowledge_matches(tk: Tokens, k: Knowledge) -> list[Candidate]:
    words, out = tk.words, []
    n = len(words)
    if k is knowledge():
        hits = _lexicon_hits
    else:                                # a knowledge base built by a test
        def hits(word):
            return tuple((f, k.lexicon[f]) for f in clitic_forms(word) if f in k.lexicon)
    # (a cached lookup per word in one comprehension: most words hold no entry)
    for i, word_hits in [(i, h) for i in tk.at(IN_LEXICON) if (h := hits(words[i]))]:
        best: tuple[LexEntry, str] | None = None
        for form, entries in word_hits:
            for e in entries:
                m = len(e.words)
                if best is not None and m <= len(best[0].words):
                    break
                if m > 1 and (i + 1 >= n or words[i + 1] != e.words[1]):
                    continue                 # (the cheap test first)
                if i + m > n or any(words[i + t] != e.words[t] or not tk.joined[i + t]
                                    for t in range(1, m)):
                    continue
                if form is not words[i] and not _clitic_ok(words[i], form, e):
                    continue
                if e.cue_only and not _after_place_cue(tk, i, form):
                    continue
                best = (e, form)
                break
        if best is not None:
            out.append(_from_entry(best[0], i, i + len(best[0].words)))
    return out


def _clitic_ok(token: str, form: str, e: LexEntry) -> bool:
    if form.startswith("ال") and not token.startswith("ال"):
        return True                      # بالقاهرة, وللأمم
    stripped = token[: len(token) - len(form)] if token.endswith(form) else token[:1]
    if "ك" in stripped:
        return False                     # كبيرا is not ك + بيرا
    return e.strippable and len(form) >= 3


def _after_place_cue(tk: Tokens, i: int, form: str) -> bool:
    if form is not tk.words[i] and tk.words[i][0] in "بل":
        return True                      # بمالي
    return i > 0 and tk.words[i - 1] in PLACE_CUES


def _from_entry(e: LexEntry, i: int, j: int) -> Candidate:
    if e.place is not None:
        p = e.place
        return Candidate(i, j, "place", p.name_ar, p.name_en, p.source, True, p.id,
                         country=p.country, lat=p.lat, lon=p.lon)
    o = e.org
    assert o is not None
    return Candidate(i, j, "organization", o.name_ar, o.name_en, o.source, True, o.id,
                     country=load_organizations().country_of(o))


# ---------------------------------------------------------------- 2. unknown organizations

@lru_cache(maxsize=200_000)
def _known_org_head(w: str) -> tuple[object | None, bool, str]:
    return _find_org_head(w, knowledge().org_heads)


# "برئاسة", "وبرئاسة": under the chairmanship of.
_CHAIRED_BY = frozenset({"برئاسه", "وبرئاسه", "تحت رئاسه"})


def _find_org_head(w: str, org_heads: dict) -> tuple[object | None, bool, str]:
    """(head, definite?, the form that is the head) of a word, or (None, False, w)."""
    for form in clitic_forms(w):
        if form in org_heads:
            return org_heads[form], False, form
        if form.startswith("ال") and form[2:] in org_heads:
            return org_heads[form[2:]], True, form
    return None, False, w


def unknown_organizations(tk: Tokens, k: Knowledge, known: dict[int, int]) -> list[Candidate]:
    words, out = tk.words, []
    if k.org_heads is knowledge().org_heads:
        head_of = _known_org_head
    else:                                # a knowledge base built by a test
        def head_of(w):
            return _find_org_head(w, k.org_heads)
    heads = [(i, h) for i in tk.at(ORG_HEAD) if (h := head_of(words[i]))[0] is not None]
    for i, (head, definite, head_form) in heads:
        if definite and head.definite_needs == 0:
            continue
        if words[i] in _CHAIRED_BY:
            continue                     # "برئاسة نائب الرئيس": chaired by, not a body
        if i in known and known[i] > i + 1:
            continue                     # the organization base knows this name
        if i + 1 in known:
            continue                     # "كتلة نداء تونس": the party is the name to keep
        j = _org_chain(tk, k, i + 1, known, definite)
        mods = j - i - 1
        if definite:
            real = [x for x in range(i + 1, j) if not is_demonym(words[x], k)]
            if mods < head.definite_needs or not real:
                continue
        elif mods < head.indefinite_needs:
            continue
        name = _strip_clitics(tk, i, j, head_form)
        out.append(Candidate(i, j, "organization", name, romanize(name), f"rule:org-head:{head.source}",
                             False))
    return out


def _org_chain(tk: Tokens, k: Knowledge, j: int, known: dict[int, int], definite_head: bool) -> int:
    """End of an organization's name after its head: construct nouns right after an indefinite
    head ("مجلس نواب الشعب"), then definite genitives and adjectives ("للشؤون", "والتجارة"),
    and at most one known place or organization ("جامعة تونس المنار")."""
    words, n = tk.words, len(tk.words)
    start = j
    construct = not definite_head
    while j < n and j - start < 8 and tk.joined[j]:
        w = words[j]
        if w in STOP_WORDS or _DIGITS.search(w) or w in k.persons.cues or _time_phrase_at(words, j):
            break
        if _given_name_at(tk, k, j) is not None:
            break                        # "حكومة الحبيب الصيد": a person's name
        if (j > start or definite_head) and not w.endswith(("ي", "يه")) \
                and _title_forms_of(k.persons)(w):
            break                        # "بمقر الوزارة المبعوث الأممي": a person's title
        b = _bare(w)
        clitic = b is not w or (w[:1] in "وبل" and w not in k.lexicon and j in known)
        if j in known:
            if clitic and w[:1] != "ل" or w.startswith("و"):
                break                    # "ومكتب الأمم المتحدة", "بمنظمة ...": another one
            return known[j]
        if definite_head and j == start and b is not w:
            break                        # "الهيئة لإجراء ...": the adjective comes first
        if _definite(w) or (b is not w and _definite(b) and not w.startswith("ب")):
            construct = False
            j += 1
            continue
        nxt = words[j + 1] if j + 1 < n and tk.joined[j + 1] else ""
        if construct and (_definite(nxt) or (j + 1) in known) and not w.startswith("و") \
                and w[:1] not in "لب":
            j += 1                       # an indefinite noun in construct state
            continue
        break
    return j


# ---------------------------------------------------------------- 3. unknown places

@lru_cache(maxsize=200_000)
def _place_heads(w: str) -> tuple[str | None, str | None] | None:
    """The forms of a word that are a site head ("مطار") and a place head ("مدينة"); None
    for a word that is neither (most words)."""
    forms = clitic_forms(w)
    heads = (next((f for f in forms if f in SITE_HEADS), None),
             next((f for f in forms if f in PLACE_HEADS), None))
    return None if heads == (None, None) else heads


def unknown_places(tk: Tokens, k: Knowledge, known: dict[int, int]) -> list[Candidate]:
    words, out, n = tk.words, [], len(tk.words)
    found = [(i, h) for i in tk.at(PLACE_HEAD) if (h := _place_heads(words[i])) is not None]
    for i, (site, head) in found:
        # (the place name after a place head has no clitics of its own: "بمدينة إلتمان")
        if i + 1 >= n or not tk.joined[i + 1]:
            continue
        j = i + 1
        if j in known:
            if site is not None and known[j] - j <= 3:     # "قلعة حلب", "مطار المنستير"
                name = _strip_clitics(tk, i, known[j], site)
                out.append(Candidate(i, known[j], "place", name, romanize(name), "rule:site-head", False))
            continue
        end = _place_name_end(tk, k, j, known)
        if end == j:
            continue
        if site is not None:
            first = words[j]
            if _definite(first) and _is_common(first, k) \
                    or any(_is_common(f, k) for f in clitic_forms(first)[1:]) \
                    or site in BUILDING_HEADS and k.persons.given_at(words, j) is None and any(
                        k.common.get(f, 0.0) >= SITE_NAME_MAX_ZIPF or f.startswith("لل")
                        for f in clitic_forms(first)):
                continue     # "قاعة الاجتماعات", "ميناء للصيد", "قاعة أفراح": no name
            name = _strip_clitics(tk, i, end, site)
            out.append(Candidate(i, end, "place", name, romanize(name), "rule:site-head", False))
        else:
            name = _strip_clitics(tk, j, end)
            out.append(Candidate(j, end, "place", name, romanize(name), "rule:place-head", False))
    return out


def _place_name_end(tk: Tokens, k: Knowledge, j: int, known: dict[int, int]) -> int:
    words, n = tk.words, len(tk.words)
    end = j
    while end < n and end - j < 3 and tk.joined[end]:
        w = words[end]
        if end > j and (end in known or _place_heads(w) is not None):
            break                        # "قصر الضيافة بقرطاج", "مليتة بجزيرة قرقنة": another place
        if w in STOP_WORDS or _DIGITS.search(w) or w in ROLE_ADJECTIVES or is_demonym(w, k):
            break
        if end > j and (w.startswith("و") or (_is_common(w, k) and w not in NAME_PARTICLES
                                              and words[end - 1] not in NAME_PARTICLES)):
            break
        if end == j and _is_common(w, k) and w not in NAME_PARTICLES:
            break                        # "منطقة الحدود", "مدينة الثقافة": common nouns
        end += 1
    return end


# ---------------------------------------------------------------- 4. persons

def _title_forms_of(pk: PersonKnowledge) -> Callable[[str], tuple[str, ...]]:
    """word -> the clitic forms of it that begin a title (most words: none); cached per word
    for the shipped knowledge base."""
    if pk is knowledge().persons:
        return _known_title_forms
    return lambda w: tuple(f for f in clitic_forms(w) if f in pk.titles)


@lru_cache(maxsize=200_000)
def _known_title_forms(w: str) -> tuple[str, ...]:
    titles = knowledge().persons.titles
    return tuple(f for f in clitic_forms(w) if f in titles)


def persons(tk: Tokens, k: Knowledge, known: dict[int, int]) -> list[Candidate]:
    words, out = tk.words, []
    pk = k.persons
    given = pk.given
    title_forms = _title_forms_of(pk)
    if pk is knowledge().persons:
        may_start = _may_start_person
    else:                                # a knowledge base built by a test
        def may_start(w):
            return _starts_person(w, pk, title_forms)
    # Tokens inside a known name: "الشيخ" of "شرم الشيخ" is no title before a name.
    inside_known = {t for first, last in known.items() for t in range(first + 1, last)}
    i = 0                                # the first token not yet taken
    for start in [t for t in tk.at(PERSON_START) if may_start(words[t])]:
        if start < i:
            continue                     # inside a name found before
        i = start
        w = words[i]
        title = None
        title_form = w
        for form in (() if i in inside_known else title_forms(w)):
            title = pk.title_at([form] + words[i + 1:i + 6], 0)
            if title is not None:
                title_form = form
                break
        if title is not None and all(tk.joined[i + t] for t in range(1, len(title.words))):
            role_end = _role_end(tk, k, i + len(title.words), known, title.kind)
            cand = _name_at(tk, k, role_end, known, strict=True, after_title=True,
                            single_ok=title.kind in ("honorific", "rank", "religious"))
            if cand is not None:
                cand.title = _strip_clitics(tk, i, role_end, title_form)
                cand.source = f"rule:title+name:{title.source}"
                out.append(cand)
                i = cand.last
                continue
            i = max(i + 1, role_end)      # a role phrase does not start a name ("باسم")
            continue
        if (w in pk.cues or (w[:1] in "وف" and w[1:] in pk.cues)) and not _title_next(tk, pk, i + 1):
            cand = _name_at(tk, k, i + 1, known, strict=True)
            if cand is not None:
                cand.source = "rule:verb+name"
                out.append(cand)
                i = cand.last
                continue
        # (most words are no given name's first word: skip the call for them)
        g = _given_name_at(tk, k, i) if w in given or w[1:] in given else None
        if g is not None:
            cand = _name_at(tk, k, i, known, strict=True, need_surname=True)
            if cand is not None:
                cand.source = f"rule:given-name:{g.source}"
                out.append(cand)
                i = cand.last
                continue
        i += 1
    return out


@lru_cache(maxsize=200_000)
def _may_start_person(w: str) -> bool:
    pk = knowledge().persons
    return _starts_person(w, pk, _title_forms_of(pk))


def _starts_person(w: str, pk: PersonKnowledge, title_forms) -> bool:
    """Can a person's mention start at this word: a title, a verb of saying or a given name?
    (`persons` looks at these words only.)"""
    return bool(title_forms(w)) or w in pk.cues or (w[:1] in "وف" and w[1:] in pk.cues) \
        or w in pk.given or w[1:] in pk.given


def _title_next(tk: Tokens, pk: PersonKnowledge, j: int) -> bool:
    if j >= len(tk.words):
        return False
    w = tk.words[j]
    return w in pk.titles or ("ال" + w) in pk.titles


def _role_end(tk: Tokens, k: Knowledge, j: int, known: dict[int, int], kind: str) -> int:
    """End of the role phrase after a title: its complements, adjectives and the bodies it
    belongs to ("الأمين العام المساعد للشؤون الإنسانية بمنظمة التعاون الإسلامي")."""
    if kind == "honorific":
        return j
    words, n = tk.words, len(tk.words)
    start = j
    while j < n and j - start < 12 and tk.joined[j]:
        w = words[j]
        if j in known:
            j = known[j]
            continue
        if w in ("باسم", "لدي", "في", "الي") and j + 1 < n and (j + 1) in known:
            j = known[j + 1]             # "سفير تونس لدى الأمم المتحدة", "المبعوث الأممي إلى ليبيا"
            continue
        if w == "باسم" and j + 1 < n:
            j += 1
            continue
        if w in STOP_WORDS or _time_phrase_at(words, j) or _given_name_at(tk, k, j) is not None:
            break
        b = _bare(w)
        if _definite(w) or (b is not w and _definite(b)):
            j += 1
            continue
        if j == start and not w.startswith("و") and j + 1 < n and tk.joined[j + 1] \
                and (_definite(words[j + 1]) or (j + 1) in known) and _is_common(w, k):
            j += 1                       # "وزير شؤون المرأة": a construct noun of the role
            continue
        break
    return j


def _given_name_at(tk: Tokens, k: Knowledge, i: int) -> GivenName | None:
    if i >= len(tk.words):
        return None
    g = k.persons.given_at(tk.words, i)
    if g is None and tk.words[i][:1] in "وف" and len(tk.words[i]) > 3:
        g = k.persons.given_at([tk.words[i][1:]] + tk.words[i + 1:i + 3], 0)   # وسمير
    if g is not None and tk.words[i].endswith("علي") and tk.original(i, i + 1).rstrip()[-1:] == "ى":
        return None                      # على "on", not Ali
    return g


def _role_word(w: str, k: Knowledge) -> bool:
    """A title or role with the article, or its feminine ("الناطق", "المتحدثة", "الخبير")."""
    titles = k.persons.titles
    return w in titles or w[2:] in titles or w.endswith("ه") and (w[:-1] in titles
                                                                  or w[2:-1] in titles)


_PRONOUN_ENDINGS = ("هم", "هما", "هن", "كم", "كما")


def _not_a_name_part(w: str, k: Knowledge) -> bool:
    """A word with a preposition before its article ("للإبداع", "بالجهة"), a common word behind
    a proclitic ("بولاية", "بجولة") or a possessive ending ("أطفالهم") is not part of a name."""
    forms = clitic_forms(w)
    if any(f.startswith("ال") for f in forms[1:]):
        return True
    if any(_is_common(f, k) for f in forms[1:]) and k.persons.given_at([w], 0) is None:
        return True
    # a possessive ending ("أطفالهم") or a verb's plural ending ("تعهدوا") is not a name
    return len(w) > 4 and (w.endswith(_PRONOUN_ENDINGS) or w.endswith("وا"))


def _name_word_ok(w: str, k: Knowledge) -> bool:
    if w in STOP_WORDS or w in k.persons.cues or w in ROLE_ADJECTIVES or _DIGITS.search(w):
        return False
    return len(w) >= 2 and bool(_WORD_RE.fullmatch(w))


_WORD_RE = re.compile(r"[\u0621-\u064a]+|[A-Za-z][a-z]+")


# A given name that is also a word ("حيدر" lion, 4.4) is less frequent than this.
NAME_WORD_MAX_ZIPF = 4.6


def _surname_next(tk: Tokens, k: Knowledge, j: int) -> bool:
    """May word j, a common word after a title, begin a name, because a surname with the
    article follows ("رئيس الوزراء العراقي حيدر العبادي")? Not a frequent word, nor one with
    a preposition or a pronoun on it ("بحضور", "رفضه")."""
    w0, nxt = tk.words[j], j + 1
    if k.common.get(w0, 0.0) >= NAME_WORD_MAX_ZIPF or _not_a_name_part(w0, k) \
            or w0.endswith("ه") and _is_common(w0[:-1], k):
        return False
    return nxt < len(tk.words) and tk.joined[nxt] and _definite(tk.words[nxt]) \
        and not _is_common(tk.words[nxt], k) and not is_demonym(tk.words[nxt], k)


def _name_at(tk: Tokens, k: Knowledge, j: int, known: dict[int, int], strict: bool,
             need_surname: bool = False, single_ok: bool = False,
             after_title: bool = False) -> Candidate | None:
    """A person's name starting at token j, or None. `strict`: an unknown first word must not
    be a common word, unless it follows a title and a surname follows it (`after_title`:
    "رئيس الوزراء العراقي حيدر العبادي"); `need_surname`: a given name alone is not enough."""
    words, n = tk.words, len(tk.words)
    if j >= n or words[j] in STOP_WORDS:
        return None
    g = _given_name_at(tk, k, j)
    if g is None:
        w0 = words[j]
        if j in known or not _name_word_ok(w0, k) or w0.startswith("و") or w0 in k.persons.titles:
            return None
        if w0 not in NAME_PARTICLES and (_definite(w0) or is_demonym(w0, k)
                                         or (strict and _is_common(w0, k)
                                             and not (after_title and _surname_next(tk, k, j)))):
            return None
        end = j + 1
    else:
        end = j + len(g.words)
    only_given = g is not None          # no surname yet
    after_article = False               # a surname with the article ends a name
    while end < n and end - j < 5 and tk.joined[end]:
        w, prev = words[end], words[end - 1]
        if after_title and only_given and end == j + len(g.words) and _definite(w) \
                and is_demonym(w, k) and _name_word_ok(w, k):
            end += 1                     # "الدكتور نبيل العربي": the family name, then stop
            break
        if not _name_word_ok(w, k) or is_demonym(w, k) or _not_a_name_part(w, k) \
                or _time_phrase_at(words, end) or prev in k.persons.family:
            break                        # a family name ends a name ("ترامب بوتين")
        if after_article and w not in NAME_PARTICLES and prev not in NAME_PARTICLES \
                and not _definite(w):
            break                        # "ماجدة الرومي مرفوقة"
        if w.startswith("و") and k.persons.given_at(words, end) is None:
            break                        # "وسمير": another person
        if end in known and prev not in NAME_PARTICLES:
            break
        if prev in NAME_PARTICLES:
            end += 1
            only_given = False
            continue
        if w in NAME_PARTICLES:
            if end + 1 < n and tk.joined[end + 1]:
                end += 1
                continue
            break
        gi = k.persons.given_at(words, end)
        if gi is not None:
            end += len(gi.words)
            continue
        if _definite(w):
            if end - j >= 2 and not only_given and (_is_common(w, k) or _role_word(w, k)):
                break                    # "سامي أبو زهري الناطق", "لوران ماريشال الخبير"
            if only_given and g is not None and g.ambiguous and _is_common(w, k):
                break                    # "حسن الجوار", "حسن النية": a phrase, not a name
            end += 1
            only_given = False
            after_article = True
            continue
        nxt = words[end + 1] if end + 1 < n and tk.joined[end + 1] else ""
        if w in k.persons.titles and not (_definite(nxt) and not _is_common(nxt, k)):
            break                        # "قائد" inside "الباجي قائد السبسي" only
        if not _is_common(w, k) or only_given or w in k.persons.titles:
            end += 1
            only_given = False
            continue
        break
    while end > j + 1 and words[end - 1] in NAME_PARTICLES:
        end -= 1
    size = end - j
    if size < 2 and (need_surname or (g is not None and g.ambiguous)):
        return None
    if size < 2 and g is None and strict and not (single_ok and not _is_common(words[j], k)) \
            and words[j] not in k.persons.family:      # "قال ترامب": a known family name
        return None
    form = words[j][1:] if g is not None and words[j] != g.words[0] else None
    name = _strip_clitics(tk, j, end, form)
    return Candidate(j, end, "person", name, romanize(name, person=True), "rule:name", False)


# ---------------------------------------------------------------- overlaps and later mentions

def resolve_overlaps(cands: list[Candidate]) -> list[Candidate]:
    """The one policy: the longest span wins; at equal length knowledge beats a pattern, then
    the earlier candidate."""
    taken: set[int] = set()
    kept: list[Candidate] = []
    for c in sorted(cands, key=lambda c: (-c.size, not c.knowledge, c.first)):
        if any(t in taken for t in range(c.first, c.last)):
            continue
        taken.update(range(c.first, c.last))
        kept.append(c)
    return sorted(kept, key=lambda c: c.first)


def merge_persons(tk: Tokens, kept: list[Candidate]) -> list[Candidate]:
    """A person named again with part of the name ("موسى" after "عبير موسي", "سلمان العبيدي"
    after "سلمان عبيدي") is the person named first."""
    seen: list[tuple[tuple[str, ...], Candidate]] = []
    for c in kept:
        if c.kind != "person":
            continue
        key = tuple(w.removeprefix("ال") for w in normalize_key(c.name_ar).split())
        for prev_key, prev in seen:
            if _sub_name(key, prev_key) and key[-1] == prev_key[-1] or key == prev_key:
                c.name_ar, c.name_en, c.entity_id = prev.name_ar, prev.name_en, prev.entity_id
                break
        else:
            seen.append((key, c))
    return kept


def _sub_name(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    n = len(short)
    return n < len(full) and any(full[i:i + n] == short for i in range(len(full) - n + 1))


def later_mentions(tk: Tokens, k: Knowledge, kept: list[Candidate]) -> list[Candidate]:
    """Surnames of persons named before, and "المنظمة" for the last organization so named."""
    taken = {t for c in kept for t in range(c.first, c.last)}
    surnames: dict[tuple[str, ...], tuple[int, Candidate]] = {}
    for c in kept:
        if c.kind == "person" and c.size >= 2:
            ws = tuple(_bare(w) if t == 0 else w for t, w in enumerate(tk.words[c.first:c.last]))
            for key in (ws[-1:], ws[-2:]):
                last = key[-1]
                if len(last) >= 3 and key[0] not in NAME_PARTICLES and key != ws:
                    surnames.setdefault(key, (c.last, c))
    out: list[Candidate] = []
    orgs = [c for c in kept if c.kind == "organization"]
    # surnames by their first word, in the order they were named
    by_first: dict[str, list[tuple[tuple[str, ...], int, Candidate]]] = {}
    for key, (after, c) in surnames.items():
        by_first.setdefault(key[0], []).append((key, after, c))
    if not by_first and not orgs:
        return out
    words = tk.words
    # most words are neither a surname nor "المنظمة": look at the others only
    # a clitic form is the word's end, or "ال" + its end ("للامم" -> "الامم"): a cheap test
    # on the end first
    ends = tuple({f.removeprefix("ال") for f in by_first})
    firsts = by_first.keys()
    anaphora_at = set(tk.at(ANAPHORA)) if orgs else set()
    for i in [i for i, w in enumerate(words)
              if i in anaphora_at or ends and w.endswith(ends)
              and not firsts.isdisjoint(clitic_forms(w))]:
        if i in taken:
            continue
        for form in clitic_forms(words[i]):
            hit = None
            for key, after, c in by_first.get(form, ()):
                if i >= after and tuple(words[i + 1:i + len(key)]) == key[1:] \
                        and not any(t in taken for t in range(i, i + len(key))):
                    hit = Candidate(i, i + len(key), "person", c.name_ar, c.name_en, "rule:surname",
                                    False, c.entity_id)
                    break
            if hit is None and form in ANAPHORA_HEADS:
                head = form[2:]
                for c in reversed(orgs):
                    if c.last <= i and normalize_key(c.name_ar).split()[0].removeprefix("ال") == head:
                        hit = Candidate(i, i + 1, "organization", c.name_ar, c.name_en, "rule:anaphora",
                                        False, c.entity_id, country=c.country)
                        break
            if hit is not None:
                out.append(hit)
                taken.update(range(hit.first, hit.last))
                break
    return out


@lru_cache(maxsize=200_000)
def _anaphora_head_in(w: str) -> bool:
    return not ANAPHORA_HEADS.isdisjoint(clitic_forms(w))


# ---------------------------------------------------------------- names

def _strip_clitics(tk: Tokens, i: int, j: int, form: str | None = None) -> str:
    """The original text of tokens i..j-1 without the proclitics of the first token (those that
    `form`, its matched clitic-free form, leaves out), diacritics and tatweel: the canonical
    Arabic name of something the knowledge base does not know."""
    doc = tk.doc
    t = doc.tokens[i]
    word = tk.words[i]
    prefix, cut = "", 0
    if form and form != word:
        if word.endswith(form):
            cut = len(word) - len(form)
        elif form.startswith("ال") and word.endswith(form[2:]):     # للأمم -> الأمم
            prefix, cut = "ال", len(word) - len(form) + 2
    a, b = doc.original(t.start + cut, doc.tokens[j - 1].end)
    return _clean(prefix + doc.text[a:b])


_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u0640]")


def _clean(s: str) -> str:
    return " ".join(_MARKS.sub("", s).split())


_LETTERS = {
    "ا": "a", "أ": "a", "إ": "i", "آ": "a", "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h",
    "خ": "kh", "د": "d", "ذ": "dh", "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d",
    "ط": "t", "ظ": "dh", "ع": "'", "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m",
    "ن": "n", "ه": "h", "ة": "a", "و": "w", "ي": "y", "ى": "a", "ء": "'", "ؤ": "'", "ئ": "'",
    "پ": "p", "چ": "ch", "ڤ": "v", "گ": "g", "ک": "k", "ی": "y",
}


_PARTICLES_EN = {"بن": "Ben", "ابن": "Ibn", "بنت": "Bint", "ابو": "Abou", "ابي": "Abi", "عبد": "Abd",
                 "ولد": "Ould", "ال": "Al"}


def romanize(name_ar: str, person: bool = False) -> str:
    """A readable Latin spelling of an Arabic name the knowledge base does not know
    ("خميس الجهيناوي" -> "Khemais al-Jahinawy"); known given names keep their usual spelling."""
    words = _clean(name_ar).split()
    norm = [normalize_key(w) for w in words]
    pk = knowledge().persons
    out = []
    i = 0
    while i < len(words):
        g = pk.given_at(norm, i) if person else None
        if g is not None:
            out.append(g.name_en)
            i += len(g.words)
            continue
        w = words[i]
        i += 1
        if person and norm[i - 1] in pk.family:
            out.append(pk.family[norm[i - 1]])      # "أردوغان" -> "Erdogan"
            continue
        if norm[i - 1] in _PARTICLES_EN:
            out.append(_PARTICLES_EN[norm[i - 1]])
            continue
        if not re.search("[\u0600-\u06ff]", w):
            out.append(w)
            continue
        article = w.startswith("ال") and len(w) > 3
        body = w[2:] if article else w
        out.append(("al-" if article else "") + _romanize_word(body).capitalize())
    return " ".join(x for x in out if x)


def _romanize_word(w: str) -> str:
    res = []
    for n, ch in enumerate(w):
        prev_vowelish = n > 0 and w[n - 1] in "اويىآة"
        if ch == "و":
            res.append("w" if n == 0 or prev_vowelish else "ou")
        elif ch == "ي":
            res.append("y" if n == 0 or prev_vowelish else "i")
        else:
            res.append(_LETTERS.get(ch, ""))
        # two consonants at the start of a word: Arabic puts a short vowel between them
        if n == 0 and len(w) > 2 and ch not in "اأإآ" and w[1] not in "اأإآويىة":
            res.append("a")
    return "".join(res).replace("''", "'").strip("'")


# ---------------------------------------------------------------- main

def find_entities(doc: Doc) -> list[Mention]:
    """The person, organization and place mentions of an article, in text order."""
    if not doc.tokens:
        return []
    k = knowledge()
    tk = Tokens(doc, k)
    kn = knowledge_matches(tk, k)
    known = {c.first: c.last for c in kn}
    for c in kn:                         # later tokens of a known span point to its end too
        for t in range(c.first + 1, c.last):
            known.setdefault(t, c.last)
    cands = kn + unknown_organizations(tk, k, known) + unknown_places(tk, k, known) \
        + persons(tk, k, known)
    kept = merge_persons(tk, resolve_overlaps(cands))
    kept = sorted(kept + later_mentions(tk, k, kept), key=lambda c: c.first)
    out = []
    for c in kept:
        a, b = doc.token_span(c.first, c.last)
        out.append(Mention(start=a, end=b, text=doc.text[a:b], kind=c.kind, name_ar=c.name_ar,
                           name_en=c.name_en, source=c.source, entity_id=c.entity_id,
                           title=c.title, country=c.country, lat=c.lat, lon=c.lon))
    return out
