"""Events: Doc + entity and date mentions -> Event records.

The steps, in order, each a small function:
1. `find_triggers`: words that name or perform an event (event_triggers.tsv), kept only where
   their context allows (next words, an official actor nearby, no sport or court sentence).
2. `type_of`: a "دورة"/"اجتماع" of a council is a session; "الدورة 47 للمنتدى" is the forum.
3. `group_mentions`: later mentions of the same event ("القمة", "هذا المنتدى", "اللقاء", a verb
   and its noun in one sentence) join the first one; a named sub-event stays apart.
4. Each event then takes from its sentences: dates (the nearest day-level date mention not owned
   by a statement: "بحسب بيان اليوم" dates the statement, not the meeting), venue (a place
   introduced by في/ب or a venue verb, never one it is *about*: "حول القدس"), participants,
   actors, themes, status (dates against the publication date, else the tense of the clause).
5. Events without a venue of their own inherit the venue of the event they happen during
   ("خلال المنتدى") or of the nearest one before them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from analytics.extract.dates import tense_of, word_tense
from analytics.knowledge.calendar import calendar_lexicon
from analytics.knowledge.places import load_gazetteer
from analytics.knowledge.themes import theme_keywords
from analytics.knowledge.triggers import TriggerRule, blocking_contexts, trigger_index
from analytics.model import Actor, DateMention, Event, Mention, Span, Venue
from analytics.text.doc import Doc
from analytics.text.normalize import normalize_key
from analytics.text.tokens import clitic_forms

TYPE_CLASS = {
    "meeting": "talks", "visit": "talks",
    "summit": "gathering", "conference": "gathering", "forum": "gathering",
    "session": "gathering", "seminar": "gathering",
    "exhibition": "exhibition",
    "signing": "other", "launch": "other", "ceremony": "other",
}
MAX_EVENTS = 8

# Nouns of bodies whose meetings are sessions (gold guide: session of a council/assembly).
_BODY_WORDS = frozenset({"مجلس", "لجنه", "اللجنه", "المجلس", "الجمعيه", "جمعيه", "برلمان",
                         "البرلمان", "مجالس", "اللجان", "لجان", "الهيئه", "هيئه", "مكتب", "المكتب"})
# A "جلسة" that is a plenary, a hearing or an opening sitting is a session of its body.
_SESSION_WORDS = frozenset({"عامه", "العامه", "استماع", "الاستماع", "للاستماع", "افتتاحيه",
                            "الافتتاحيه", "طارئه", "استثنائيه", "عاديه", "ختاميه", "الختاميه",
                            "برلمانيه", "مغلقه", "علنيه", "العلنيه"})
# "دورة N لـ<event noun>" is that event, not a session.
_EVENT_NOUN_TYPES = {"منتدي": "forum", "مؤتمر": "conference", "قمه": "summit", "معرض": "exhibition",
                     "ملتقي": "seminar", "ندوه": "seminar"}
# Words after which a date belongs to a statement, not an event.
_STATEMENT_WORDS = frozenset({"بيان", "بلاغ", "تصريح", "تصريحات", "حديث", "مقابله", "بلاغا",
                              "بيانا", "تصريحا", "تدوينه", "رساله", "برقيه"})
# A place after these is what the event is about, not where it is.
_ABOUT_WORDS = frozenset({"حول", "بشان", "حيال", "تجاه", "ازاء", "عن", "الاوضاع", "اوضاع",
                          "الوضع", "الازمه", "ازمه", "تطورات", "الملف", "ملف", "القضيه", "قضيه",
                          "مستجدات", "لدعم", "دعم", "لصالح", "شعب", "الشعب", "اعاده", "اعمار",
                          "اللاجئين", "النازحين", "موضوع", "مدينه القدس",
                          # abstract nouns: "التنمية في إفريقيا", "السلام في الشرق الأوسط"
                          "التنميه", "السلام", "السلم", "الاستقرار", "الامن", "الحرب", "الصراع",
                          "النزاع", "التسويه", "الحل", "المصالحه", "الارهاب", "الاستثمار",
                          "الانتخابات", "العنف", "الاعمار", "الاحداث", "التطورات"})
_VENUE_VERBS = frozenset({"تعقد", "ستعقد", "يعقد", "سيعقد", "عقد", "عقدت", "انعقد", "انعقدت",
                          "تنعقد", "ينعقد", "المنعقد", "المنعقده", "احتضنت", "احتضن", "تحتضن",
                          "يحتضن", "ستحتضن", "سيحتضن", "تستضيف", "يستضيف", "استضافت", "استضاف",
                          "ستستضيف", "سيستضيف", "انتظم", "انتظمت", "ينتظم", "تنتظم", "المقرر",
                          "المقام", "المقامه", "يقام", "تقام", "اقيم", "اقيمت", "ستقام", "سيقام",
                          "تنطلق", "انطلقت", "ينطلق", "انطلق", "جرت", "جري", "يجري", "تجري",
                          "الموقع", "الموقعه", "وقع", "وقعت", "الموقعين"})
# Two words on, a place is the venue ("احتضنت العاصمة تونس", "المنعقدة في منطقة البحر
# الميت"), except after verbs whose subject is who acts: "عقدت لجنة فلسطين", "وقعت تونس".
_HOSTING_VERBS = _VENUE_VERBS - {"عقد", "عقدت", "يعقد", "سيعقد", "وقع", "وقعت", "الموقعين"}
_SITE_WORDS = frozenset({"مقر", "بمقر", "مقره", "قصر", "بقصر", "بمدينه", "مدينه", "العاصمه",
                         "بالعاصمه", "منطقه", "بمنطقه", "فندق", "بفندق", "مركز", "قاعه", "بقاعه"})
_DEMONSTRATIVES = frozenset({"هذا", "هذه", "ذلك", "تلك", "نفس"})
_STOP_NAME = frozenset({
    "التي", "الذي", "اللذين", "اللتين", "الذين", "والتي", "والذي", "حول", "في", "على", "علي",
    "مع", "من", "الى", "الي", "عن", "تحت", "وذلك", "يوم", "يومي", "اليوم", "امس", "غدا", "خلال",
    "بين", "و", "او", "ان", "انه", "قد", "لقد", "وقد", "كما", "حيث", "بعد", "قبل", "منذ", "بحضور", "بمشاركه", "وبمشاركه", "برئاسه", "بحسب", "حسب", "وفق", "وفقا", "اثر", "عقب", "لدي",
    "المقرر", "والمقرر", "المنعقد", "المنعقده", "ويستمر", "وتستمر", "بعنوان", "صباح",
    "مساء", "لمده", "الجاري", "المقبل", "القادم", "الماضي", "بمقر", "مقر",
    "بقصر", "بمدينه", "بالعاصمه", "بدعوه", "بتنظيم", "وسط"})
_TITLE_INTRO = ("بعنوان", "عنوان", "شعار", "موضوع")
_QUOTE_RE = re.compile(r"[\"«“]([^\"»”]{3,160})[\"»”]")
_NUMBER_RE = re.compile(r"\d[\d,.]*")
_PARTICIPANT_CUES = frozenset({"بمشاركه", "مشاركه", "وبمشاركه", "بحضور", "وبحضور", "حضور",
                               "يشارك", "تشارك", "شارك", "شاركت", "يضم", "تضم", "ضم", "ضمت",
                               "جمع", "يجمع", "تجمع", "جمعت", "ممثلي", "وفود", "بمشاركتها",
                               "فيه", "فيها", "حضره", "حضرها", "يحضره",
                               # "وفد متكون من 40 رجل أعمال", "حفل شمل 30 جنديا"
                               "شمل", "يشمل", "تشمل", "شملت", "متكون", "مكون", "يتكون",
                               "تتكون", "يتالف", "تتالف", "متالف"})
_PARTICIPANT_NOUNS = frozenset({
    "مشارك", "مشاركا", "مشاركه", "مشاركين", "شخص", "شخصا", "شخصيه", "زعيم", "زعيما", "دوله",
    "دول", "وفد", "وفدا", "وفود", "ممثل", "ممثلا", "ممثلين", "خبير", "خبيرا", "خبراء", "باحث",
    "باحثا", "باحثين", "عارض", "عارضا", "عارضين", "مسؤول", "مسؤولا", "وزير", "وزيرا", "منظمه",
    "رئيس", "رئيسا", "قائد", "قاده", "ناشر", "ناشرا", "دار", "طالب", "طالبا", "ضيف", "ضيفا",
    "مندوب", "مندوبا", "عضو", "عضوا", "اعضاء", "امراه", "شاب", "شابا", "رجل", "رجال",
    "نساء", "جندي", "جنديا", "جنود", "فنان", "فنانا", "فنانين", "طفل", "طفلا", "اطفال"})
_NUMBER_WORDS = {"الف": 1000, "الاف": 1000, "مائه": 100, "مئه": 100, "مئات": 100, "عشرات": 10,
                 "مليون": 1_000_000}
_ACCUSATIVE_OR_SUFFIX = ("هما", "هم", "ها", "ه", "ا", "ين", "ان")


@dataclass(frozen=True)
class Trigger:
    """One word or phrase that names or performs an event."""
    rule: TriggerRule
    first: int           # token index
    last: int            # token index (inclusive)
    definite: bool       # written with the article or a demonstrative ("القمة", "هذا المنتدى")
    type: str
    possessive: bool = False  # "زيارته", "دورتها": refers back to an event already named


@dataclass
class _Draft:
    triggers: list[Trigger]
    type: str
    name: str | None = None
    sentences: list[int] = field(default_factory=list)
    start: dt.date | None = None
    end: dt.date | None = None
    venue: Venue | None = None
    venue_strength: int = 0
    participants: int | None = None
    parent: int | None = None   # index of the event it happens during
    # A coarser period in its sentence ("في ديسمبر 2015", "الشهر المقبل"): too vague for a
    # start date, enough to tell held from planned.
    period: tuple[dt.date, dt.date] | None = None
    # Named only inside another event's name ("الاجتماع الوزاري التحضيري للقمة العربية"):
    # the words around it describe that event, not this one.
    embedded: bool = False


# ---------------------------------------------------------------- triggers

def _noun_keys(form: str) -> list[str]:
    """Lookup keys for a noun form: with and without the article, the accusative alef and
    possessive suffixes ("اجتماعا" -> "اجتماع", "دورتها" -> "دوره")."""
    keys = [form]
    if form.startswith("ال") and len(form) > 4:
        # A definite noun takes neither tanween nor a possessive: "المعارضه" is not "معارض".
        return [form, form[2:]]
    for base in list(keys):
        for suffix in _ACCUSATIVE_OR_SUFFIX:
            if base.endswith(suffix) and len(base) - len(suffix) >= 3:
                stem = base[: -len(suffix)]
                keys.append(stem[:-1] + "ه" if stem.endswith("ت") else stem)
                keys.append(stem)
                if stem.endswith(("ئ", "ؤ")):
                    keys.append(stem[:-1] + "ء")    # "لقائه", "لقاؤه": لقاء + ه
    return keys


def _token_forms(doc: Doc, i: int) -> tuple[str, ...]:
    return clitic_forms(doc.tokens[i].text)


@lru_cache(maxsize=100_000)
def _candidate_keys(token: str) -> tuple[tuple[str, bool, bool], ...]:
    """(lookup key, reached without a preposition or article?, definite?) for a token."""
    out: list[tuple[str, bool, bool]] = []
    for form in clitic_forms(token):
        bare = form == token or (token[0] in "وف" and form == token[1:])
        for key in _noun_keys(form):
            definite = form.startswith("ال") or token.startswith(("لل", "ولل", "فلل"))
            out.append((key, bare and key == form, definite))
    return tuple(dict.fromkeys(out))


@lru_cache(maxsize=200_000)
def _word_contexts(word: str) -> tuple[str, ...]:
    """The blocking contexts a word belongs to (most words: none)."""
    forms = set(clitic_forms(word))
    forms |= {f[2:] for f in forms if f.startswith("ال") and len(f) > 4}
    return tuple(ctx.id for ctx in blocking_contexts() if forms & ctx.words)


def _context_counts(doc: Doc, first: int, last: int, flags: list[int]) -> dict[str, int]:
    """How many words of each blocking context tokens first..last-1 hold (`flags`: the
    tokens' `_word_flags`)."""
    counts: dict[str, int] = {}
    tokens = doc.tokens
    for k in [k for k in range(first, last) if flags[k] & _IN_CONTEXT]:
        for ctx_id in _word_contexts(tokens[k].text):
            counts[ctx_id] = counts.get(ctx_id, 0) + 1
    return counts


def _blocking(doc: Doc, sent_index: int, article_counts: dict[str, int], flags: list[int]
              ) -> list:
    """The contexts in force in a sentence: its own and the article's."""
    i, j = _sentence_token_range(doc, sent_index)
    sentence_counts = _context_counts(doc, i, j, flags)
    active = []
    for ctx in blocking_contexts():
        counts = article_counts if ctx.scope == "article" else sentence_counts
        if counts.get(ctx.id, 0) >= ctx.min_words:
            active.append(ctx)
    return active


def _norm_index(doc: Doc, original_offset: int) -> int:
    """Smallest normalized index whose original offset is >= original_offset."""
    norm = doc.norm
    if norm._origin is None:
        return min(original_offset, len(norm.text))
    import bisect
    return bisect.bisect_left(norm._origin, original_offset)


def find_triggers(doc: Doc, entities: list[Mention]) -> list[Trigger]:
    index = trigger_index()
    tokens = doc.tokens
    official_at: list[bool] | None = None  # computed at the first candidate trigger
    article_counts: dict[str, int] | None = None
    blocked_cache: dict[int, list] = {}
    found: list[Trigger] = []
    i = 0                                # the first token not yet looked at
    # most words start no trigger: a cached lookup per word finds the others
    flags = _word_flags(tokens)
    for start in [t for t, f in enumerate(flags) if f & _TRIGGER_START]:
        if start < i:
            continue                     # inside a trigger found before
        i = start
        match = _match_at(doc, i, index)
        if match is None:
            i += 1
            continue
        rule, last, definite = match
        if official_at is None:
            official_at = _official_positions(doc, entities, flags)
        if not _context_allows(doc, rule, i, last, official_at) or _counted_or_building(doc, i):
            i += 1
            continue
        sent = doc.sentence_index(doc.original(tokens[i].start, tokens[i].end)[0])
        if article_counts is None:
            article_counts = _context_counts(doc, 0, len(tokens), flags)
        if sent not in blocked_cache:
            blocked_cache[sent] = _blocking(doc, sent, article_counts, flags)
        if any(ctx.blocks_rule(rule) for ctx in blocked_cache[sent]):
            i = last + 1
            continue
        if found and (tokens[i].text != rule.words[0] or tokens[i - 1].text == "من") \
                and _genitive_of_previous(doc, found[-1], i):
            i = last + 1
            continue  # "الدورة 32 لمعرض الكتاب": one event, typed by type_of
        if found and found[-1].last == i - 1 and rule.pos == "noun" \
                and (not definite or tokens[i].text.startswith("ال") and _ceremony_head(found[-1])) \
                and found[-1].rule.pos == "noun" and not found[-1].definite:
            # "حفل استقبال", "حفل توقيع اتفاقية", and in construct state "حفل الاستقبال": one
            # event; the act signed or launched wins.
            if rule.type in ("signing", "launch"):
                prev = found[-1]
                found[-1] = Trigger(rule, prev.first, last, prev.definite, rule.type, prev.possessive)
            i = last + 1
            continue
        possessive = _has_pronoun_suffix(tokens[i].text, rule)
        found.append(Trigger(rule, i, last, definite or possessive or _after_demonstrative(doc, i),
                             type_of(doc, rule, i, last), possessive))
        i = last + 1
    return _drop_openings(found)


def _genitive_of_previous(doc: Doc, prev: Trigger, i: int) -> bool:
    """Is token i ("لمعرض", "من منتدى" after "الدورة") the genitive of the trigger just
    before it, across numbers and ordinals only?"""
    between = [doc.tokens[k].text for k in range(prev.last + 1, i)]
    if between and between[-1] == "من" and prev.rule.words[0] == "دوره":
        between.pop()                    # "الدورة الثانية من منتدى ..."
    elif not doc.tokens[i].text.startswith("ل"):
        return False
    if i - prev.last > 4:
        return False
    return all(w.isdigit() or w in _ORDINALS or w.startswith("ال") and w[2:] in _ORDINAL_STEMS
               or w.startswith("وال") for w in between)


_OPENING_RULES = frozenset({"ceremony-iftitah"})


def _ceremony_head(trig: Trigger) -> bool:
    """A ceremony noun that heads the act it celebrates ("حفل الاستقبال"), unlike an opening,
    which names the event it opens ("افتتاح المعرض": the exhibition)."""
    return trig.type == "ceremony" and trig.rule.id not in _OPENING_RULES


def _drop_openings(found: list[Trigger]) -> list[Trigger]:
    """The opening of a conference is the conference: "افتتاح المؤتمر" is one event."""
    kept = []
    for n, t in enumerate(found):
        nxt = found[n + 1] if n + 1 < len(found) else None
        if t.rule.id in _OPENING_RULES and nxt is not None and nxt.first - t.last <= 4:
            continue
        kept.append(t)
    return kept


def _match_at(doc: Doc, i: int, index: dict[str, tuple[TriggerRule, ...]]
              ) -> tuple[TriggerRule, int, bool] | None:
    token = doc.tokens[i].text
    for key, bare, definite in _indexed_candidate_keys(token):
        for rule in index[key]:
            if rule.pos == "verb" and (not bare or _after_preposition(doc, i)):
                continue  # verbs take only و/ف before them; after "في" it is a noun
            n = len(rule.words)
            if n > 1:
                following = [doc.tokens[k].text for k in range(i + 1, min(i + n, len(doc.tokens)))]
                if len(following) < n - 1 or any(
                        rule.words[m + 1] not in _candidate_keys_set(following[m])
                        for m in range(n - 1)):
                    continue
            return rule, i + n - 1, definite
    return None


# What a word is to the trigger scan, computed once per distinct word: one lookup per token
# for both uses (see entities.word_flags).
_TRIGGER_START, _OFFICIAL, _IN_CONTEXT = 1, 2, 4
_FLAGS: dict[str, int] = {}
_MAX_FLAGS = 300_000


def _word_flags(tokens) -> list[int]:
    if len(_FLAGS) > _MAX_FLAGS:
        _FLAGS.clear()
    return [f if (f := _FLAGS.get(t.text)) is not None else _flags_of(t.text) for t in tokens]


def _flags_of(w: str) -> int:
    f = (_TRIGGER_START * bool(_indexed_candidate_keys(w)) | _OFFICIAL * _is_official_word(w)
         | _IN_CONTEXT * bool(_word_contexts(w)))
    _FLAGS[w] = f
    return f


@lru_cache(maxsize=100_000)
def _indexed_candidate_keys(token: str) -> tuple[tuple[str, bool, bool], ...]:
    """The candidate keys of a token that some trigger starts with (most tokens: none), so
    that the scan over every token of an article costs one cached lookup per token."""
    index = trigger_index()
    return tuple(c for c in _candidate_keys(token) if index.get(c[0]))


@lru_cache(maxsize=100_000)
def _candidate_keys_set(token: str) -> frozenset[str]:
    return frozenset(k for k, _, _ in _candidate_keys(token)) | {token}


_PREPOSITIONS = frozenset({"في", "من", "علي", "الي", "عن", "الى", "حول", "بعد", "قبل", "خلال",
                           "اجل", "مجال", "عمليه"})


def _after_preposition(doc: Doc, i: int) -> bool:
    return i > 0 and doc.tokens[i - 1].text in _PREPOSITIONS


def _has_pronoun_suffix(token: str, rule: TriggerRule) -> bool:
    return rule.pos == "noun" and len(rule.words) == 1 and token.endswith(
        ("ه", "ها", "هم", "هما")) and not any(f == rule.words[0] or f == "ال" + rule.words[0]
                                             for f in clitic_forms(token))


# "قصر المؤتمرات" and "دار المعارض" are buildings; "43 زيارة" counts inspections, not an event.
_BUILDING_WORDS = frozenset({"قصر", "قاعه", "مركز", "دار", "ساحه", "مدينه", "نادي", "فضاء",
                             "معهد", "شارع", "نزل", "فندق"})


def _counted_or_building(doc: Doc, i: int) -> bool:
    if i == 0:
        return False
    prev = doc.tokens[i - 1].text
    if prev.isdecimal():  # not "²": a digit int() does not read
        return int(prev) < 1900  # "43 زيارة" counts; "26 فيفري 2017 جلسة" ends a date
    return any(f in _BUILDING_WORDS for f in clitic_forms(prev))


def _after_demonstrative(doc: Doc, i: int) -> bool:
    return i > 0 and doc.tokens[i - 1].text in _DEMONSTRATIVES


# Idioms that hold a trigger's word: (the word before, the trigger's word).
_IDIOMS = frozenset({("علي", "الاطلاق")})     # "على الإطلاق": at all, ever


# Words before a trigger that deny the event: "نصحه بعدم زيارة تونس", "دون التوقيع"; and,
# before the holding of it only, words that stop its holding: "إلغاء عقد الاجتماع" (a
# cancelled or postponed event is itself news: "تأجيل القمة").
_DENIALS = frozenset({"عدم", "بعدم", "لعدم", "دون", "بدون", "رفض", "برفض", "امتناع", "بامتناع"})
_STOPPING = _DENIALS | {"الغاء", "بالغاء", "تاجيل", "بتاجيل"}
_HOLDING_NOUNS = frozenset({"عقد", "تنظيم", "اجراء", "اقامه", "اداء", "القيام"})
# Words of politics before "المعارض", which is then the adjective "opposing": "حزب نشيد
# المعارض", "القيادي المعارض".
_OPPOSITION_CUES = frozenset({"حزب", "الحزب", "حركه", "الحركه", "التيار", "تيار", "الائتلاف",
                              "القيادي", "الناشط", "النائب", "السياسي", "الجناح", "الطرف",
                              "الشق", "الزعيم", "زعيم", "رئيس", "الرئيس"})


def _denied(doc: Doc, i: int) -> bool:
    """Is the trigger at token i denied: "بعدم زيارة", "دون عقد اجتماع", "إلغاء عقد اجتماع"?"""
    tokens = doc.tokens
    prev = tokens[i - 1].text if i > 0 else ""
    if prev in _HOLDING_NOUNS:
        return i > 1 and tokens[i - 2].text in _STOPPING
    return prev in _DENIALS


def _context_allows(doc: Doc, rule: TriggerRule, i: int, last: int,
                    official_at: list[bool]) -> bool:
    tokens = doc.tokens
    if i > 0 and (tokens[i - 1].text, tokens[i].text) in _IDIOMS:
        return False
    if _denied(doc, i):
        return False
    if rule.words == ("معارض",) and tokens[i].text == "المعارض" and any(
            tokens[k].text in _OPPOSITION_CUES for k in range(max(0, i - 3), i)):
        return False
    nxt = [tokens[k].text for k in range(last + 1, min(last + 3, len(tokens)))]
    if rule.next_not and nxt:
        first_forms = set(clitic_forms(nxt[0])) | {nxt[0]}
        if first_forms & rule.next_not or any(w.startswith("لل") and "لل" in rule.next_not
                                              for w in nxt[:1]):
            return False
    if rule.next_any and not _numbered_own_session(doc, rule, i, last):
        # A verb's object may follow a long subject ("وقعت منظمة الصحة العالمية ووزارة الصحة
        # العراقية أمس في بغداد مذكرة تفاهم"); a noun's complement follows it, perhaps after an
        # adjective ("الدورة العادية الـ148 لمجلس").
        # Prepositions ("وقع على") count only right after the trigger.
        reach = 16 if rule.pos == "verb" else 3
        following = _clause_words(doc, last, reach)
        if not any(({w, w.removeprefix("ال")} | set(clitic_forms(w)))
                   & (rule.next_any if n < 2 else rule.next_any - _NEAR_ONLY)
                   for n, w in enumerate(following)):
            return False
    if rule.needs_report and not _reported(doc, i, last, official_at):
        return False
    if rule.needs_official:
        lo, hi = max(0, i - 8), min(len(tokens), last + 12)
        if not any(official_at[lo:hi]) and not _numbered(doc, last):
            return False
    return True


def _numbered(doc: Doc, last: int) -> bool:
    """Is the trigger numbered within the three words after it (an official series: the sixth
    public hearing of a commission is not a photo session)?"""
    tokens = doc.tokens
    return any(tokens[k].text in _SERIES_ORDINALS or _series_number_at(doc, k)
               for k in range(last + 1, min(len(tokens), last + 4)))


def _numbered_own_session(doc: Doc, rule: TriggerRule, i: int, last: int) -> bool:
    """"يعقد المجلس دورته الـ142": a body's own numbered session, which needs no complement
    (not "إطلاق 59 صاروخا", "مدير الدورة 27", nor "بدورها", in turn)."""
    word = doc.tokens[i].text
    return rule.pos == "noun" and TYPE_CLASS[rule.type] == "gathering" \
        and _has_pronoun_suffix(word, rule) and not word.startswith("ب") \
        and _series_number_at(doc, last + 1)


def _series_number_at(doc: Doc, k: int) -> bool:
    """Is token k a series number ("الـ142", "47"), not a year nor a day ("جلسة 7 أبريل")?"""
    tokens = doc.tokens
    return k < len(tokens) and _SERIES_NUMBER_RE.fullmatch(tokens[k].text) is not None \
        and not (k + 1 < len(tokens) and _is_month(tokens[k + 1].text))


@lru_cache(maxsize=1)
def _month_words() -> frozenset[str]:
    """Month names and the first words of the two-word ones ("كانون", "ربيع")."""
    return frozenset(m.split()[0] for m in calendar_lexicon().months)


def _is_month(word: str) -> bool:
    return word in _month_words()


# "الـ142", "ال47", "رقم 12": a series number (not a year: "دورة 2017" is no numbering).
_SERIES_NUMBER_RE = re.compile(r"(?:الـ?|رقم)?(?!19\d\d|20\d\d)\d{1,3}")


_NEAR_ONLY = frozenset({"علي", "في", "بين", "مع", "ب", "عده", "الطرفان", "الجانبان", "البلدان"})


def _clause_words(doc: Doc, last: int, reach: int) -> list[str]:
    """Up to `reach` words after token `last`, stopping at a full stop, semicolon or line
    break."""
    tokens, text = doc.tokens, doc.norm.text
    out: list[str] = []
    for k in range(last + 1, min(len(tokens), last + 1 + reach)):
        if any(c in text[tokens[k - 1].end:tokens[k].start] for c in ".؛\n"):
            break
        out.append(tokens[k].text)
    return out


def _reported(doc: Doc, i: int, last: int, official_at: list[bool]) -> bool:
    """A plural trigger ("لقاءات") is an event when a past verb of its sentence reports it, or
    when named officials follow ("لقاءات مع عدة قادة ... ميركل")."""
    tokens = doc.tokens
    for k in range(i - 1, max(-1, i - 9), -1):
        if any(c in doc.norm.text[tokens[k].end:tokens[k + 1].start] for c in ".؛\n"):
            break
        if word_tense(tokens[k].text) == "past":
            return True
    following = [tokens[k].text for k in range(last + 1, min(len(tokens), last + 3))]
    return "مع" in following and any(official_at[last + 1:last + 8])


@lru_cache(maxsize=1)
def _official_words() -> frozenset[str]:
    """Titles that make a clause official when no entity was found (a minister unnamed)."""
    return frozenset({
        "الرئيس", "رئيس", "وزير", "الوزير", "وزيره", "الوزيره", "السفير", "سفير", "الامين",
        "الملك", "الامير", "امير", "ملك", "الشيخ", "الوزراء", "وزراء", "سفراء", "السفراء", "وفد",
        "الوفد", "نظيره", "نظيرته", "المبعوث", "مبعوث", "المدير", "مدير", "والي", "الوالي",
        "محافظ", "المحافظ", "رئيسه", "نائب", "مساعد", "المفوض", "مفوض", "ممثل", "ممثلي",
        "الحكومه", "حكومه", "الدوله", "سعاده", "فخامه", "معالي", "سمو", "جلاله", "العاهل",
        "الوزير الاول", "ولي", "قاده", "زعماء", "الزعماء", "القاده", "رؤساء", "الرؤساء"})


@lru_cache(maxsize=100_000)
def _is_official_word(token: str) -> bool:
    words = _official_words()
    return token in words or any(f in words for f in clitic_forms(token))


def _official_positions(doc: Doc, entities: list[Mention],
                        word_flags: list[int] | None = None) -> list[bool]:
    if word_flags is None:
        word_flags = _word_flags(doc.tokens)
    flags = [bool(f & _OFFICIAL) for f in word_flags]
    for m in entities:
        if m.kind in ("person", "organization") or (m.kind == "place" and _is_country(m)):
            k = _token_index_of(doc, m.start)
            if 0 <= k < len(flags):
                flags[k] = True
    return flags


def _is_country(m: Mention) -> bool:
    return _is_country_id(m.entity_id)


def _is_country_id(entity_id: str | None) -> bool:
    return bool(entity_id) and entity_id.startswith(("iso:", "country:"))


def _token_index_of(doc: Doc, original_offset: int) -> int:
    return doc.token_at(_norm_index(doc, original_offset))


# ---------------------------------------------------------------- type and name

def type_of(doc: Doc, rule: TriggerRule, i: int, last: int) -> str:
    """Refine the trigger's type from the words after it."""
    if rule.words not in (("دوره",), ("اجتماع",), ("اجتماعات",), ("جلسه",)):
        return rule.type
    window = [doc.tokens[k].text for k in range(last + 1, min(last + 5, len(doc.tokens)))]
    for w in window:
        keys = set(_candidate_keys_set(w))
        for noun, event_type in _EVENT_NOUN_TYPES.items():
            if noun in keys and rule.words[0] == "دوره":
                return event_type
        if keys & _BODY_WORDS:
            return "session"
        if rule.words[0] == "جلسه" and keys & _SESSION_WORDS:
            return "session"
    if rule.words[0] == "اجتماع" and _body_holds(doc, i):
        return "session"       # "عقد مجلس الجامعة العربية ... اجتماعا طارئا"
    if rule.words[0] == "جلسه":
        # A sitting of a summit or conference is one of its sessions; a sitting between
        # parties, of no named body, is talks.
        # A numbered sitting ("الجلسة الثانية") is one of a body's series.
        return "session" if _gathering_in_sentence(doc, i) or _numbered(doc, last) \
            else "meeting"
    if rule.words[0] == "دوره":
        # The edition of something that is neither a body nor a named kind of event ("الدورة
        # الثالثة لأيام قرطاج الموسيقية") is a festival: a ceremony in the contract's types.
        genitive = next((w for w in window if w.startswith("ل") and not w.startswith("لل")
                         or w.startswith("لل")), None)
        return "ceremony" if genitive else "session"
    return rule.type


def _body_holds(doc: Doc, i: int) -> bool:
    """Is the meeting at token i held by a council or committee named as the subject of the
    verb of holding just before it ("عقد مجلس الأمن اجتماعا", "تعقد اللجنة ... اجتماعها")?"""
    for k in range(i - 1, max(-1, i - 9), -1):
        if doc.tokens[k].text in _VENUE_VERBS:
            return k + 1 < i and any(_candidate_keys_set(doc.tokens[m].text) & _BODY_WORDS
                                     for m in range(k + 1, min(k + 3, i)))
    return False


_GATHERING_WORDS = frozenset({"قمه", "مؤتمر", "منتدي", "دوره", "ملتقي"})


def _gathering_in_sentence(doc: Doc, i: int) -> bool:
    sent = doc.sentence_index(doc.token_span(i, i + 1)[0])
    a, b = _sentence_token_range(doc, sent)
    return any(_candidate_keys_set(doc.tokens[k].text) & _GATHERING_WORDS
               for k in range(a, b) if k != i)


def _event_name(doc: Doc, trig: Trigger) -> str | None:
    """The event's proper name, when the text gives one: a quoted title after بعنوان/حول
    موضوع, or the trigger with its definite modifiers ("القمة العالمية للعمل الإنساني")."""
    sent = doc.sentence_of(doc.token_span(trig.first, trig.first + 1)[0])
    t_end = doc.token_span(trig.first, trig.last + 1)[1]
    tail = doc.text[t_end:sent.end]
    intro = doc.norm.text[doc.tokens[trig.last].end:doc.tokens[min(trig.last + 4, len(doc.tokens) - 1)].end]
    m = _QUOTE_RE.search(tail[:200])
    if m and (any(w in intro for w in _TITLE_INTRO) or m.start() <= 2):
        return m.group(1).strip(" :")
    tokens = doc.tokens
    if trig.possessive or trig.rule.pos == "verb":
        return None  # "زيارته" refers back and "التقى" performs: neither names an event
    k = trig.last + 1
    end = trig.last
    specific = trig.definite and trig.rule.pos == "noun"
    # After a definite head only adjectives and genitives (لـ) follow; a noun in the construct
    # state ("لتحالف", "مجموعة") takes the next noun as its genitive ("الحضارات", "الدول").
    expect_genitive = not trig.definite
    while k < len(tokens) and k - trig.last <= 9:
        word = tokens[k].text
        gap = doc.norm.text[tokens[k - 1].end:tokens[k].start]
        series_link = word == "من" and k + 1 < len(tokens) and _is_event_noun(
            tokens[k + 1].text) and (tokens[k - 1].text.isdigit() or tokens[k - 1].text in _ORDINALS)
        if any(c in gap for c in ",،.:;؛()\"«»\n") or word in _STOP_NAME and not series_link:
            break
        if _looks_like_verb(word) or (word.startswith(("و", "ف", "ب")) and len(word) > 3
                                      and word[1:] not in ("طني", "طنيه", "زاري", "زاريه")
                                      and word not in _ORDINALS):   # "السابعة والعشرين"
            break  # "بالقاهرة" is a venue, "وستناقش" a new clause: neither names the event
        nxt = tokens[k + 1].text if k + 1 < len(tokens) else ""
        prev_word = tokens[k - 1].text
        if word.isdigit() and _is_month(nxt):
            break               # "جلسة 7 أبريل": a date, not the event's number
        if series_link:
            kind = "link"       # "الدورة الثانية من منتدى تعزيز السلم"
        elif _is_event_noun(word) and not word.startswith("لل") and (
                word.startswith("ل") or prev_word == "من"):
            kind = "construct"  # "الدورة 32 لمعرض تونس الدولي للكتاب": the series' name
        elif word.startswith("ل") and not word.startswith("لل") and word[1:] in _BODY_WORDS:
            kind = "construct"  # "الدورة 34 لمجلس حقوق الإنسان": the body that meets
        elif word.isdigit() or word in _ORDINALS:
            kind = "modifier"
        elif word.startswith("لل"):
            kind = "modifier"   # "للعمل": a genitive with لـ, itself definite
        elif word.startswith("ل") and len(word) > 3 and nxt.startswith("ال"):
            kind = "construct"  # "لتحالف الحضارات"
        elif word.startswith("ال"):
            kind = "modifier" if expect_genitive or _adjective_like(word) else None
        elif expect_genitive and nxt.startswith("ال") and not _looks_like_verb(nxt):
            kind = "construct"  # "قمة مجموعة الدول"
        else:
            kind = None
        if kind is None:
            break
        if k == trig.last + 1 and not trig.definite:
            specific = True
        expect_genitive = kind == "construct"
        if kind == "link":
            k += 1
            continue
        end = k
        k += 1
    if expect_genitive and end > trig.last:
        end -= 1  # a construct noun without its genitive is no name
    if not specific or end == trig.last:
        return None  # a bare "القمة" names nothing by itself
    a = doc.token_span(trig.first, trig.first + 1)[0]
    b = doc.token_span(end, end + 1)[1]
    name = doc.text[a:b]
    return _strip_clitics(name)


def _is_event_noun(word: str) -> bool:
    """"منتدى", "لمعرض", "للمؤتمر": the noun of a kind of event, with or without لـ."""
    return word in _EVENT_NOUN_TYPES or word.startswith("ل") and (
        word[1:] in _EVENT_NOUN_TYPES or word.startswith("لل") and word[2:] in _EVENT_NOUN_TYPES)


_ORDINALS = frozenset({
    "الاول", "الاولي", "الثاني", "الثانيه", "الثالث", "الثالثه", "الرابع", "الرابعه", "الخامس",
    "الخامسه", "السادس", "السادسه", "السابع", "السابعه", "الثامن", "الثامنه", "التاسع",
    "التاسعه", "العاشر", "العاشره", "الحادي", "الحاديه", "عشر", "عشره", "والعشرين", "والثلاثين",
    "والاربعين", "والخمسين", "والستين", "والسبعين", "والثمانين", "والتسعين", "الثلاثين",
    "الاربعين", "الخمسين", "الستين", "السبعين", "الثمانين", "التسعين", "السبع", "الثماني",
    "العشرين", "الكبار", "الكبري", "العليا",
    "الاعلي", "العظمي", "الـ"})


# Common nouns that end like nisba adjectives (-iyya): "القضية" after "القمة" starts an object.
_IYYA_NOUNS = frozenset({
    "القضيه", "الاتفاقيه", "الجمعيه", "الهويه", "الرؤيه", "الحريه", "الاولويه", "الشخصيه",
    "العمليه", "الميزانيه", "الوضعيه", "الاغلبيه", "الاقليه", "الجنسيه", "الوصيه", "الهديه",
    "الضحيه", "الغالبيه", "التنميه", "التوصيه", "الرعيه", "البنيه", "الاهميه", "الشرعيه",
    "المسؤوليه", "الجاهزيه", "الامنيه", "الحمايه", "البدايه", "النهايه", "الولايه", "الرعايه",
    "الزاويه", "القريه", "الكليه", "الثانويه", "الذكري", "الفتوي", "الدعوي", "الشكوي"})


_ORDINAL_STEMS = frozenset(w[2:] for w in _ORDINALS if w.startswith("ال"))
# Ordinals of a numbered series: "جلسة الاستماع العلنية السادسة", "الجلسة الثالثة".
_SERIES_ORDINALS = frozenset(w for w in _ORDINALS if w not in {
    "الكبار", "الكبري", "العليا", "الاعلي", "العظمي", "الـ"})


def _adjective_like(word: str) -> bool:
    """Definite adjectives agree with a definite head: nisba (العربية، العالمي), participles
    (المتحدة، المشتركة), elatives (الكبرى). A definite noun after it is a new phrase."""
    if word in _IYYA_NOUNS:
        return False
    return (word.endswith(("ي", "يه", "يين", "يات", "يون")) or word.startswith(("الم", "الـ"))
            or word in _ORDINALS)


def _looks_like_verb(word: str) -> bool:
    return word in _VENUE_VERBS or word_tense(word) in ("past", "present", "future") and not \
        word.startswith("ال")


def _strip_clitics(name: str) -> str:
    """ "بالقمة العالمية" -> "القمة العالمية": canonical names carry no proclitic."""
    first, _, rest = name.partition(" ")
    for prefix in ("وبال", "وال", "بال", "فال", "كال", "ولل", "لل", "وب", "ول", "و", "ب", "ل"):
        if first.startswith(prefix) and len(first) - len(prefix) >= 3:
            core = first[len(prefix):]
            if prefix.endswith(("ال", "لل")):
                core = "ال" + core
            first = core
            break
    return f"{first} {rest}".strip()


# ---------------------------------------------------------------- grouping

def group_mentions(doc: Doc, triggers: list[Trigger],
                   dated_sentences: frozenset[int] = frozenset()) -> list[_Draft]:
    """Triggers grouped into one draft per event. `dated_sentences`: sentences that hold a
    date, whose indefinite mentions may be events of their own."""
    drafts: list[_Draft] = []
    for trig in triggers:
        sent = doc.sentence_index(doc.token_span(trig.first, trig.first + 1)[0])
        name = _event_name(doc, trig)
        target = _same_event(doc, drafts, trig, sent, name, sent in dated_sentences)
        if target is not None:
            target.triggers.append(trig)
            if sent not in target.sentences:
                target.sentences.append(sent)
            if target.name is None and name:
                target.name = name
            continue
        drafts.append(_Draft(triggers=[trig], type=trig.type, name=name, sentences=[sent]))
    return drafts


def _same_event(doc: Doc, drafts: list[_Draft], trig: Trigger, sent: int,
                name: str | None, dated: bool = False) -> _Draft | None:
    cls = TYPE_CLASS[trig.type]
    if drafts and not name and _after_demonstrative(doc, trig.first) and trig.rule.pos == "noun":
        return drafts[-1]  # "هذا الاجتماع" points back to the event just reported
    # "الجلسة" after "جلسة عمل", "جلسة اليوم" after "جلسة الاستماع": the same head word
    # taken up again names the same event, whatever type its first mention's phrase gave it.
    taken_up = not name and trig.rule.pos == "noun" and len(trig.rule.words) == 1 and (
        trig.definite or _word_after(doc, trig) in _TODAY_WORDS)
    for draft in reversed(drafts):
        first = draft.triggers[0]
        if taken_up and first.rule.pos == "noun" and first.rule.words[0] == trig.rule.words[0]:
            return draft
        if trig.possessive and trig.rule.words == ("دوره",) and sent in draft.sentences:
            return draft                 # "المهرجان العربي للإذاعة في دورته 18": its edition
        if TYPE_CLASS[draft.type] != cls:
            continue
        if trig.possessive and sent in draft.sentences and trig.rule.pos == "noun":
            return draft                 # "يعقد المؤتمر ... دورته السادسة": its own session
        if name and draft.name:
            if _name_overlap(name, draft.name) >= 0.6:
                return draft
            continue
        # A verb and a noun of one event in one sentence: "التقى ... وتناول اللقاء", "يزور
        # ... المنطقة في جولة"; an indefinite noun ("عقد اجتماع موسع") is a new event.
        if sent in draft.sentences and draft.type == trig.type and (
                trig.rule.pos == "verb" or first.rule.pos == "verb" and (
                    trig.definite or trig.first > 0
                    and doc.tokens[trig.first - 1].text in ("في", "خلال"))):
            return draft
        # Two nouns of one type in one sentence name one event unless told apart ("عدة
        # اجتماعات من بينها اجتماع عقد اليوم", "للاحتفال ... احتفالا لم يسبق له مثيل"); not
        # where the first was a mention of an earlier event ("تلا اللقاء عقد اجتماع موسع").
        if draft.sentences[0] == sent and draft.type == trig.type and trig.rule.pos == "noun" \
                and not name and _word_after(doc, trig) not in _ANOTHER_WORDS:
            return draft
        # An anaphoric mention: "القمة", "هذا المنتدى", "اللقاء" after a first mention.
        if trig.definite and not name and trig.rule.words == first.rule.words:
            return draft
        if trig.definite and not name and trig.type == draft.type and trig.rule.pos == "noun" \
                and sent - draft.sentences[-1] <= 2:
            return draft
        # An indefinite noun that nothing introduces as held, in an undated sentence next to
        # the event's ("على موعد مع حفل استثنائي", "أكبر حفل في المدينة"), speaks of the event
        # of its type just reported; "عقد اجتماع موسع", "لقاء آخر", "اجتماعا مع" are new ones.
        if not name and not trig.definite and not dated and trig.type == draft.type \
                and sent - draft.sentences[-1] <= 2 \
                and _word_after(doc, trig) not in _ANOTHER_WORDS | {"مع"} \
                and trig.rule.pos == "noun" and len(trig.rule.words) == 1 \
                and not trig.rule.needs_report \
                and not _held_by_verb(doc, trig.first):
            return draft
    return None


def _held_by_verb(doc: Doc, i: int) -> bool:
    """A verb of holding or organizing within the two words before: "عقد اجتماع", "تنظم
    ... حفلا", "انطلقت ... دورة"."""
    return any(doc.tokens[k].text in _VENUE_VERBS for k in range(max(0, i - 3), i))


# "جلسة اليوم", "اجتماع الأمس": a construct with the day, the event already told of.
_TODAY_WORDS = frozenset({"اليوم", "امس", "الامس", "البارحه", "الغد"})


# Words after an event noun that make it a further event: "اجتماع آخر", "لقاء ثان".
_ANOTHER_WORDS = frozenset({"اخر", "اخري", "ثان", "ثاني", "ثانيه", "ثالث", "ثالثه", "جديد",
                            "جديده", "مماثل", "مماثله", "منفصل", "منفصله", "لاحق", "لاحقه"})


def _word_after(doc: Doc, trig: Trigger) -> str:
    """The word right after the trigger ("" at the end of the text)."""
    nxt = trig.last + 1
    return doc.tokens[nxt].text if nxt < len(doc.tokens) else ""


def _mark_embedded(doc: Doc, drafts: list[_Draft]) -> None:
    """Drafts all of whose mentions lie inside the name of another event."""
    spans = []
    for d in drafts:
        if d.name:
            a = doc.token_span(d.triggers[0].first, d.triggers[0].first + 1)[0]
            b = doc.text.find(d.name, a, a + len(d.name) + 4)
            if b >= 0:
                spans.append((d, b, b + len(d.name)))
    for d in drafts:
        d.embedded = bool(spans) and all(any(
            other is not d and lo < doc.token_span(t.first, t.first + 1)[0] < hi
            for other, lo, hi in spans) for t in d.triggers)


def _name_overlap(a: str, b: str) -> float:
    sa, sb = set(normalize_key(a).split()), set(normalize_key(b).split())
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / min(len(sa), len(sb))


# ---------------------------------------------------------------- attributes

def _sentence_token_range(doc: Doc, sent: int) -> tuple[int, int]:
    s = doc.sentences[sent]
    return doc.token_at(_norm_index(doc, s.start)), doc.token_at(_norm_index(doc, s.end))


def _attach_dates(doc: Doc, drafts: list[_Draft], triggers_by_sentence: dict[int, list[Trigger]],
                  dates: list[DateMention]) -> None:
    owner: dict[int, _Draft] = {}
    for d in drafts:
        for t in d.triggers:
            owner[id(t)] = d
    best: dict[int, tuple[int, int]] = {}   # draft -> (distance, sentence) of the date it took
    for dm in dates:
        if dm.first is None:
            continue
        if dm.granularity != "day":
            _attach_period(doc, owner, triggers_by_sentence, dm)
            continue
        sent = doc.sentence_index(dm.start)
        candidates = triggers_by_sentence.get(sent)
        if not candidates:
            continue
        k = _token_index_of(doc, dm.start)
        if k > 0 and _statement_before(doc, k):
            continue
        distance = {id(t): min(abs(t.first - k), abs(t.last - k)) for t in candidates}
        nearest = min(candidates, key=lambda t: distance[id(t)])
        if _dates_the_report(doc, k, nearest):
            continue
        draft = owner[id(nearest)]
        # Of the dates nearest to an event's words, the closest: in "يقف الحجاج اليوم على
        # عرفات، فيما عقدت الهيئة اجتماعها يوم الخميس" the meeting is on Thursday.
        taken = best.get(id(draft))
        if draft.start is None or taken and taken[1] == sent and distance[id(nearest)] < taken[0]:
            best[id(draft)] = (distance[id(nearest)], sent)
            draft.start = dm.first
            draft.end = dm.last if dm.last and dm.last != dm.first else None


def _attach_period(doc: Doc, owner: dict[int, _Draft],
                   triggers_by_sentence: dict[int, list[Trigger]], dm: DateMention) -> None:
    candidates = triggers_by_sentence.get(doc.sentence_index(dm.start))
    if not candidates or dm.last is None:
        return
    k = _token_index_of(doc, dm.start)
    if k > 0 and _statement_before(doc, k):
        return
    nearest = min(candidates, key=lambda t: min(abs(t.first - k), abs(t.last - k)))
    draft = owner[id(nearest)]
    if draft.period is None:
        draft.period = (dm.first, dm.last)


_REPORTING_VERBS = frozenset(normalize_key(w) for w in ["قال", "قالت", "أعلن", "أعلنت", "أكد", "أكدت", "أفاد", "أفادت", "صرح", "صرحت", "أوضح", "أوضحت", "ذكر", "ذكرت", "أشار", "أشارت", "كشف", "كشفت", "أضاف", "أضافت", "نفى", "نفت"])
_COMPLEMENTIZERS = frozenset({"ان", "بان", "انه", "انها", "بانه", "بانها"})


def _dates_the_report(doc: Doc, k: int, trig: Trigger) -> bool:
    """"أعلن الوزير أمس أن الرئيس سيزور الجزائر": a date between a verb of saying and its
    "أن" dates the saying, not the event reported after it."""
    if trig.first <= k:
        return False
    between = [doc.tokens[j].text for j in range(k + 1, trig.first)]
    cut = next((n for n, w in enumerate(between) if w in _COMPLEMENTIZERS), None)
    if cut is None:
        return False
    clause = [doc.tokens[j].text for j in range(max(0, k - 8), k)] + between[:cut]
    return any(w in _REPORTING_VERBS or w[:1] in "وف" and w[1:] in _REPORTING_VERBS
               for w in clause)


def _statement_before(doc: Doc, k: int) -> bool:
    """A date right after "بيان"/"بلاغ" (within three words) dates the statement."""
    for j in range(max(0, k - 3), k):
        if set(clitic_forms(doc.tokens[j].text)) & _STATEMENT_WORDS:
            return True
    return False


# Envoys' titles: the place after "إلى"/"لدى" is where they are accredited, not a venue.
_ENVOY_WORDS = frozenset(normalize_key(w) for w in ["المبعوث", "مبعوث", "المبعوثة", "الأممي", "الأممية", "السفير", "سفير", "السفيرة", "سفيرة", "الممثل", "ممثل", "المندوب", "مندوب", "الدائم", "الخاص"])


def _place_role(doc: Doc, m: Mention) -> tuple[int, bool]:
    """(venue strength, is-about) of a place mention from the words just before it."""
    k = _token_index_of(doc, m.start)
    token = doc.tokens[k].text if k < len(doc.tokens) else ""
    prev = doc.tokens[k - 1].text if k > 0 else ""
    prev2 = doc.tokens[k - 2].text if k > 1 else ""
    # "الوضع الإنساني في سوريا", "الأوضاع الأمنية في اليمن": an adjective between.
    about_beyond_adjective = prev in ("في", "ب") and k > 2 and prev2.startswith("ال") \
        and doc.tokens[k - 3].text in _ABOUT_WORDS and _adjective_like(prev2)
    about = prev in _ABOUT_WORDS or any(f in _ABOUT_WORDS for f in clitic_forms(prev)) \
        or (prev2 in _ABOUT_WORDS and prev in ("في", "ب")) or about_beyond_adjective \
        or (prev in ("الي", "لدي") and prev2 in _ENVOY_WORDS)   # "المبعوث الأممي إلى ليبيا"
    if m.country is None and _is_region(m):
        # A continent or a supranational region ("إفريقيا", "الشرق الأوسط") is what an event
        # concerns, not where it meets.
        return 0, about
    strength = 0
    if _b_proclitic(token, m) or prev in ("في", "ب", "بمدينه", "بالعاصمه", "مدينه", "العاصمه"):
        strength = 2
    if prev in ("الي", "الى") or token.startswith("لزياره"):
        strength = 2
    if prev in _SITE_WORDS or prev2 in _SITE_WORDS or any(f in _SITE_WORDS for f in clitic_forms(prev)):
        # With لـ the site is a genitive, a weaker cue: "الشارع الرئيسي لمدينة المروج" is
        # where, "عمدة الحي المالي لمدينة لندن" is a title.
        strength = 2 if prev.startswith("ل") else 3
    if prev in _HOSTING_VERBS or prev2 in _HOSTING_VERBS:
        strength = 3            # not "وقعت المملكة المغربية": who signs, not where
    if m.lat is None:
        strength = min(strength, 1)
    return strength, about


def _b_proclitic(token: str, m: Mention) -> bool:
    """"بتونس" is ب + تونس; "بروكسل", "بغداد" begin with the letter itself: the mention's
    name begins like the token, not like the token without its first letter."""
    if not token.startswith("ب"):
        return False
    name = normalize_key(m.name_ar).replace(" ", "")
    return not token.startswith(name[:3]) or token[1:].startswith(name[:3])


def _is_region(m: Mention) -> bool:
    place = load_gazetteer().get(m.entity_id) if m.entity_id else None
    return place is not None and place.kind == "region"


def _other_event_between(doc: Doc, draft: _Draft, m: Mention,
                         trigger_offsets: list[tuple[int, int]]) -> bool:
    """"تلا اللقاء عقد اجتماع ... للقمة التي ستعقد في إسطنبول": a place beyond another
    event's trigger belongs to that event, not to this one."""
    own = {doc.token_span(t.first, t.first + 1)[0] for t in draft.triggers}
    nearest = min(own, key=lambda off: abs(off - m.start))
    lo, hi = sorted((nearest, m.start))
    return any(lo < off < hi and off not in own for off, _ in trigger_offsets)


def _venue_from(m: Mention) -> Venue:
    city_ar = city_en = None
    gazetteer = load_gazetteer()
    place = gazetteer.get(m.entity_id) if m.entity_id else None
    if place is not None and place.kind == "site":
        city = gazetteer.city_of(place)
        if city is not place:
            city_ar, city_en = city.name_ar, city.name_en
    return Venue(name_ar=m.name_ar, name_en=m.name_en, country=m.country, lat=m.lat, lon=m.lon,
                 entity_id=m.entity_id, city_ar=city_ar, city_en=city_en)


def _city_in_series_name(doc: Doc, draft: _Draft,
                         orgs_by_sentence: dict[int, list[Mention]]) -> Venue | None:
    """"منتدى دافوس الاقتصادي": an event known by the name of its series, read as an
    organization, is held in the city its name gives (the word after the event's noun)."""
    gazetteer = load_gazetteer()
    for t in draft.triggers:
        if t.rule.pos != "noun" or t.last + 1 >= len(doc.tokens):
            continue
        t_start = doc.token_span(t.first, t.first + 1)[0]
        sent = doc.sentence_index(t_start)
        word_start, word_end = doc.token_span(t.last + 1, t.last + 2)
        for m in orgs_by_sentence.get(sent, []):
            if not m.start <= t_start < word_end <= m.end:
                continue
            place = gazetteer.lookup(doc.text[word_start:word_end])
            if place is not None and place.kind == "city" and not place.cue_only:
                return Venue(name_ar=place.name_ar, name_en=place.name_en, country=place.country,
                             lat=place.lat, lon=place.lon, entity_id=place.id)
    return None


def _visit_destination(doc: Doc, draft: _Draft, m: Mention) -> bool:
    """"زيارة إلى تونس": the place right after a visit's "إلى" is where the visit is."""
    if draft.type != "visit":
        return False
    k = _token_index_of(doc, m.start)
    return any(k == t.last + 1 and t.rule.pos == "noun"   # "لزيارة تونس"
               or t.last < k <= t.last + 3 and doc.tokens[k - 1].text in ("الي", "الى")
               for t in draft.triggers)


def _city_in_name(doc: Doc, draft: _Draft, m: Mention) -> bool:
    """"منتدى دافوس", "قمة الرياض", "مؤتمر باريس للمناخ": a city right after a gathering's
    noun names the city it is held in. (A country there names what it is about: "مؤتمر
    سوريا" may meet in Brussels.)"""
    if draft.type == "visit" or _is_country(m) or m.lat is None or _is_region(m):
        return False
    k = _token_index_of(doc, m.start)
    return any(k == t.last + 1 and t.rule.pos == "noun" and not t.possessive
               and not doc.text[doc.token_span(t.last, t.last + 1)[1]:m.start].strip()
               for t in draft.triggers)


def _attach_venues(doc: Doc, drafts: list[_Draft], entities: list[Mention],
                   hq_venue) -> dict[int, list[Venue]]:
    """Venue per draft from its own sentences; the places it is about, apart."""
    about: dict[int, list[Venue]] = {}
    places_by_sentence: dict[int, list[Mention]] = {}
    orgs_by_sentence: dict[int, list[Mention]] = {}
    for m in entities:
        s = doc.sentence_index(m.start)
        if m.kind == "place":
            places_by_sentence.setdefault(s, []).append(m)
        elif m.kind == "organization":
            orgs_by_sentence.setdefault(s, []).append(m)
    trigger_offsets = sorted((doc.token_span(t.first, t.first + 1)[0], n)
                             for n, d in enumerate(drafts) for t in d.triggers if not d.embedded)
    for n, draft in enumerate(drafts):
        if draft.embedded:
            continue
        best: tuple[int, int, Mention] | None = None
        t0 = draft.triggers[0]
        t_off = doc.token_span(t0.first, t0.first + 1)[0]
        for sent in draft.sentences[:2]:
            for m in places_by_sentence.get(sent, []):
                strength, is_about = _place_role(doc, m)
                if is_about:
                    about.setdefault(n, []).append(_venue_from(m))
                    continue
                if _visit_destination(doc, draft, m) or _city_in_name(doc, draft, m):
                    strength = 4
                if strength == 0 or (strength < 4 and _other_event_between(
                        doc, draft, m, trigger_offsets)):
                    continue
                # Nearer the trigger is better; after it is better than before it.
                distance = abs(m.start - t_off) + (0 if m.start >= t_off else 40)
                # A city is more precise than the country named with it.
                precision = 0 if _is_country(m) else 1
                key = (strength * 2 + precision, -distance)
                if best is None or key > (best[0], best[1]):
                    best = (key[0], key[1], m)
            for m in orgs_by_sentence.get(sent, []):
                k = _token_index_of(doc, m.start)
                window = {doc.tokens[j].text for j in range(max(0, k - 2), k)}
                if window & {"مقر", "بمقر", "مقرها", "بمقرها"} or doc.tokens[k].text.startswith("بمقر"):
                    v = hq_venue(m)
                    if v is not None and (best is None or best[0] < 7):
                        draft.venue, draft.venue_strength = v, 3
                        best = (7, 0, m)
        series_city = _city_in_series_name(doc, draft, orgs_by_sentence)
        if series_city is not None and (best is None or best[0] < 8):
            draft.venue, draft.venue_strength = series_city, 4
        elif best is not None and draft.venue is None:
            draft.venue = _venue_from(best[2])
            draft.venue_strength = best[0] // 2
        if draft.venue is None:
            # "بمقر المنظمة" with the organization named earlier in the article.
            v = _headquarters_anaphora(doc, draft, entities, hq_venue)
            if v is not None:
                draft.venue, draft.venue_strength = v, 3
    return about


def _headquarters_anaphora(doc: Doc, draft: _Draft, entities: list[Mention], hq_venue):
    for sent in draft.sentences[:1]:
        i, j = _sentence_token_range(doc, sent)
        for k in range(i, j):
            if doc.tokens[k].text in ("بمقر", "مقر") and k + 1 < j:
                head = doc.tokens[k + 1].text
                if head in ("المنظمه", "الجامعه", "الامانه", "الاتحاد", "المجلس", "الوكاله"):
                    cut = doc.original(doc.tokens[k].start, doc.tokens[k].end)[0]
                    orgs = [m for m in entities if m.kind == "organization" and m.start < cut]
                    for m in reversed(orgs):
                        v = hq_venue(m)
                        if v is not None:
                            return v
    return None


_LINK_WORDS = frozenset({"هامش", "خلال", "خلالها", "خلاله", "اطار", "ضمن", "اثناء", "اثناءها",
                         "مناسبه", "بمناسبه", "مشاركته", "مشاركتها", "مشاركه", "للمشاركه"})


def _share_with_linked(doc: Doc, drafts: list[_Draft]) -> None:
    """Events tied in one sentence by "على هامش", "خلال", "في إطار" happen at the same time
    and place: each fills the date and venue the other lacks."""
    first_sentence = {n: d.sentences[0] for n, d in enumerate(drafts)}
    for a in range(len(drafts)):
        for b in range(a + 1, len(drafts)):
            if first_sentence[a] != first_sentence[b] and \
                    first_sentence[b] not in drafts[a].sentences:
                continue
            ta, tb = drafts[a].triggers[0], drafts[b].triggers[0]
            lo, hi = sorted((ta.last, tb.first))
            # ... and the word after the later one: "زيارة ... يلتقي خلالها"
            hi = min(hi + 2, len(doc.tokens)) if hi == tb.first else hi
            between = {f for k in range(lo + 1, hi) if k not in (ta.first, tb.first)
                       for f in clitic_forms(doc.tokens[k].text)}
            if not between & _LINK_WORDS:
                continue
            da, db = drafts[a], drafts[b]
            for x, y in ((da, db), (db, da)):
                if x.start is None and y.start is not None:
                    x.start, x.end = y.start, y.end
                if x.venue is None and y.venue is not None:
                    x.venue, x.venue_strength = y.venue, y.venue_strength


# An agency dateline: the place that opens the story, then what may stand between it and the
# story: dashes or a colon, the filing date ("في 10 مايو", "12 - 3", "1 حزيران/يونيو 2017",
# "14 رجب 1437 هـ الموافق 21 أبريل 2016 م"), the agency in brackets or slashes ("(كونا)",
# "/ وام /", "/أ ش أ/") or, before a line break, unbracketed ("واس"). The dateline ends after
# its last dash, bracket or line break; a place that opens a sentence of the story has none.
_DATELINE_DASH_RE = re.compile(r"\s*[-–—:]+")
_DATELINE_AGENCY_RE = re.compile(r"\s*(?:\([^()\n]{1,40}\)|/[^/\n]{1,25}/)")
_DATELINE_BREAK_RE = re.compile(r"[^\S\n]*(?:[^\s\d()/\-–—:]{2,12}[^\S\n]*)?\n")
_DATELINE_FILLER_RE = re.compile(r"(?:[\s،,/]+|في\s|\d{1,4}(?:\s*[-/.]\s*\d{1,4})*|هـ|م\b)")
_DATELINE_MAX = 110      # characters from the place to the story


class Dateline(NamedTuple):
    place: Mention
    end: int                      # where the story begins
    filed: DateMention | None     # the filing date, when the dateline gives one


def _dateline(doc: Doc, entities: list[Mention], dates: list[DateMention] = ()
              ) -> Dateline | None:
    """The place of an agency dateline ("جنيف - اختتم ...", "جدة (يونا) – ترأس ...", "أبوظبي
    في 5 نوفمبر / وام / انطلقت ...", "الكويت - 12 - 3 (كونا) -- افتتح ..."), where the dateline
    ends, and its filing date if it gives one."""
    first = next((m for m in entities if m.kind == "place"), None)
    if first is None or doc.text[:first.start].strip() or (first.country is None
                                                             and _is_region(first)):
        return None
    text = doc.text
    starts = {d.start: d for d in dates}
    pos, end, filed, dated = first.end, None, None, None
    while pos - first.end <= _DATELINE_MAX:
        if pos in starts:                            # the filing date
            d = starts[pos]
            dated = dated or (d if d.granularity == "day" else None)
            pos = d.end
            continue
        for pattern in (_DATELINE_DASH_RE, _DATELINE_AGENCY_RE, _DATELINE_BREAK_RE):
            m = pattern.match(text, pos)
            if m:
                pos = end = m.end()
                filed = dated or filed
                break
        else:
            m = _DATELINE_FILLER_RE.match(text, pos)
            if not m or m.end() == pos:
                break
            pos = m.end()
            continue
        if pattern is _DATELINE_BREAK_RE:
            break
    return None if end is None else Dateline(first, end, filed)


def _from_dateline(doc: Doc, drafts: list[_Draft], dateline: Dateline) -> None:
    """The events of the lead sentence (the dateline's own, or the next where a line break ends
    it) are where the dateline is, when they have no place of their own or only its country
    ("الدوحة في 14 فبراير /قنا/ وقعت دولة قطر ..."): agency copy is filed from the event it
    reports ("جنيف - اختتم مجلس حقوق الإنسان دورته"); and, with no date of their own, on the
    day the story was filed."""
    place = dateline.place
    lead = doc.sentence_index(min(dateline.end, len(doc.text) - 1))
    for draft in drafts:
        if draft.sentences[0] != lead:
            continue
        if draft.type != "visit" and (draft.venue is None or (
                _is_country_id(draft.venue.entity_id) and not _is_country(place)
                and draft.venue.country == place.country)):
            draft.venue, draft.venue_strength = _venue_from(place), 1
        if draft.start is None and dateline.filed is not None:
            draft.start = dateline.filed.first


def _inherit_venues(doc: Doc, drafts: list[_Draft]) -> None:
    for n, draft in enumerate(drafts):
        if draft.venue is not None or draft.embedded:
            continue
        for prev in reversed(drafts[:n]):
            if prev.venue is not None:
                draft.venue = prev.venue
                break


def _attach_participants(doc: Doc, drafts: list[_Draft]) -> None:
    for draft in drafts:
        for sent in draft.sentences:
            i, j = _sentence_token_range(doc, sent)
            count = _participants_in(doc, i, j)
            if count is not None:
                draft.participants = count
                break


def _participants_in(doc: Doc, i: int, j: int) -> int | None:
    tokens = doc.tokens
    for k in range(i, j):
        word = tokens[k].text
        if not word.isdecimal():  # not "²", which int() does not read
            continue
        value = int(word)
        nxt = tokens[k + 1].text if k + 1 < j else ""
        if nxt in ("الف", "الاف"):
            value *= 1000
            nxt = tokens[k + 2].text if k + 2 < j else ""
        if nxt == "من" and k + 2 < j:
            nxt = tokens[k + 2].text     # "بمشاركة نحو 300 من رجال الدين"
        if value < 2 or value > 1_000_000 or (1900 <= value <= 2100 and nxt not in _PARTICIPANT_NOUNS):
            continue
        cue = any(tokens[m].text in _PARTICIPANT_CUES or
                  set(clitic_forms(tokens[m].text)) & _PARTICIPANT_CUES
                  for m in range(max(i, k - 6), k))
        noun = nxt in _PARTICIPANT_NOUNS or set(clitic_forms(nxt)) & _PARTICIPANT_NOUNS
        if cue and noun:
            return value
        if noun and nxt in ("دوله", "وفدا", "مشارك", "مشاركا", "مشاركه") and k + 2 < j \
                and tokens[k + 2].text in ("ومنظمه", "مشاركه", "ومشارك", "عضوا"):
            return value
    return None


def _actors(doc: Doc, draft: _Draft, entities: list[Mention], after: int = 0
            ) -> tuple[Actor, ...]:
    """The persons, organizations and countries of the event's first sentences (not those
    before `after`: the dateline's agency, "جدة (يونا) –", files the story, it takes no part)."""
    sents = set(draft.sentences[:2])
    seen: dict[str, Actor] = {}
    venue_name = draft.venue.name_ar if draft.venue else None
    for m in entities:
        if m.start < after or doc.sentence_index(m.start) not in sents:
            continue
        if m.kind == "place":
            if not _is_country(m):
                continue
            _, about = _place_role(doc, m)
            if about or m.name_ar == venue_name and draft.type != "visit":
                continue
        key = m.name_ar
        if key not in seen:
            seen[key] = Actor(name_ar=m.name_ar, name_en=m.name_en, kind=m.kind,
                              title=m.title, entity_id=m.entity_id)
    return tuple(seen.values())


@lru_cache(maxsize=200_000)
def _theme_forms(word: str) -> tuple[str, ...]:
    """The forms of a word (clitics and article off) that begin a theme keyword; most: none."""
    firsts = _theme_first_words()
    forms = set(clitic_forms(word))
    forms |= {f[2:] for f in forms if f.startswith("ال") and len(f) > 4}
    return tuple(sorted(f for f in forms if f in firsts))


@lru_cache(maxsize=1)
def _theme_first_words() -> frozenset[str]:
    return frozenset(key[0] for key in theme_keywords())


def _themes(doc: Doc, draft: _Draft, name: str | None) -> tuple[str, ...]:
    index = theme_keywords()
    counts: dict[str, int] = {}
    for sent in draft.sentences:
        i, j = _sentence_token_range(doc, sent)
        words = [doc.tokens[k].text for k in range(i, j)]
        for k, w in enumerate(words):
            for f in _theme_forms(w):
                for kw_len in (1, 2, 3):
                    key = (f, *words[k + 1:k + kw_len]) if kw_len > 1 else (f,)
                    for theme in index.get(key, ()):
                        counts[theme] = counts.get(theme, 0) + kw_len
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return tuple(t for t, c in ranked[:3] if c >= 1)


# ---------------------------------------------------------------- status

def _clause_tense(doc: Doc, trig: Trigger) -> str | None:
    """past | present | future of the trigger's clause (dates.tense_of); a verb trigger's own
    form counts first ("التقى" past, "يلتقي" present, "سيلتقي" future)."""
    if trig.rule.pos == "verb":
        own = word_tense(doc.tokens[trig.first].text)
        if own is None:
            word = doc.tokens[trig.first].text
            stem = word[1:] if word[0] in "وف" and len(word) > 3 else word
            own = "present" if stem[0] in "يت" else "past"
        if own != "present" or trig.first == 0 or doc.tokens[trig.first - 1].text not in (
                "سوف", "وسوف"):
            return own
        return "future"
    return tense_of(doc, doc.tokens[trig.first].start)


def _status(doc: Doc, draft: _Draft) -> str | None:
    if draft.embedded:
        return None       # the clause's tense is the embedding event's ("عقد الاجتماع التحضيري للقمة")
    published = doc.article.published
    tense = None
    for t in draft.triggers:
        tense = _clause_tense(doc, t)
        if tense:
            break
    if published and draft.start:
        last = draft.end or draft.start
        if last < published:
            return "held"
        if draft.start > published:
            return "planned"
        if tense == "past" and last == published and draft.end is None:
            return "held"
        return "ongoing"
    if published and draft.period:
        first, last = draft.period
        if last < published and tense != "future":
            return "held"
        if first > published and tense != "past":
            return "planned"
    return {"past": "held", "present": "ongoing", "future": "planned"}.get(tense or "")


# ---------------------------------------------------------------- main

def find_events(doc: Doc, entities: list[Mention], dates: list[DateMention],
                hq_venue=None) -> list[Event]:
    """The events an article reports, in text order."""
    if not doc.tokens:
        return []
    hq_venue = hq_venue or _no_headquarters
    triggers = find_triggers(doc, entities)
    if not triggers:
        return []
    drafts = group_mentions(doc, triggers, frozenset(
        doc.sentence_index(d.start) for d in dates if d.first is not None))
    _mark_embedded(doc, drafts)
    by_sentence: dict[int, list[Trigger]] = {}
    for d in drafts:
        if d.embedded:
            continue
        for t in d.triggers:
            s = doc.sentence_index(doc.token_span(t.first, t.first + 1)[0])
            by_sentence.setdefault(s, []).append(t)
    dateline = _dateline(doc, entities, dates)
    # The dateline's date is when the story was filed, not when what it tells happened.
    story_dates = [d for d in dates if d.start >= dateline.end] if dateline else dates
    _attach_dates(doc, drafts, by_sentence, story_dates)
    about = _attach_venues(doc, drafts, entities, hq_venue)
    _share_with_linked(doc, drafts)
    if dateline is not None:
        _from_dateline(doc, drafts, dateline)
    _inherit_venues(doc, drafts)
    _attach_participants(doc, drafts)
    events: list[Event] = []
    for n, draft in enumerate(drafts):
        t0 = draft.triggers[0]
        a, b = doc.token_span(t0.first, t0.last + 1)
        evidence = tuple(Span(doc.sentences[s].start, doc.sentences[s].end)
                         for s in sorted(set(draft.sentences)))
        confidence = _confidence(draft)
        events.append(Event(
            type=draft.type, name=draft.name, start=draft.start, end=draft.end,
            status=_status(doc, draft), venue=draft.venue, participants=draft.participants,
            actors=_actors(doc, draft, entities, after=dateline.end if dateline else 0),
            themes=_themes(doc, draft, draft.name),
            evidence=evidence, confidence=confidence, trigger=Span(a, b),
            about=tuple(about.get(n, ())), source=t0.rule.source))
    if len(events) > MAX_EVENTS:
        keep = sorted(range(len(events)), key=lambda k: -events[k].confidence)[:MAX_EVENTS]
        events = [events[k] for k in sorted(keep)]
    return events


def _confidence(draft: _Draft) -> float:
    base = max(t.rule.confidence for t in draft.triggers)
    bonus = 0.05 * (draft.start is not None) + 0.05 * (draft.venue_strength >= 2) \
        + 0.03 * (draft.name is not None) + 0.02 * (len(draft.triggers) > 1)
    return min(0.99, base + bonus)


def _no_headquarters(m: Mention) -> Venue | None:
    return None
