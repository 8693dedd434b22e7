"""How two outlets' names of one event or one person compare, beyond equal keys.

Input: folded names (`analytics.resolve.keys.fold`) and actor keys as stored in an `EventKey`.
Output: `name_overlap`, the points two event names earn when one's distinctive words are all in
the other ("المؤتمر 23 للاتحاد" and "المؤتمر 23 العادي للاتحاد"), and `actor_identity`, the
actor keys that identify an event's participants, spelled alike ("قائد"/"قايد").
Pure functions, cached: the same few names are compared many times.
"""

from __future__ import annotations

from functools import lru_cache

from analytics.knowledge.organizations import load_organizations
from analytics.knowledge.triggers import trigger_index

# Words many event names share that tell one event from another no better than its type does
# (the trigger lexicon's nouns are added at load). Ordinals are here too: the extractor often
# keeps only the first word of "السادسة والعشرين", so "الدورة السادسة" is not distinctive; and
# so are titles of office ("زيارة رئيس الحكومة"), which say who, not which event.
_GENERIC = frozenset([
    "عام", "عادي", "استثنائي", "دولي", "عالمي", "عرب", "عربي", "اقليمي", "وطني", "سنوي",
    "رسمي", "ثنائي", "ثلاثي", "وزاري", "مشترك", "رفيع", "مستوي", "اعمال", "اشغال", "افتتاح",
    "افتتاحي", "ختام", "ختامي", "حول", "بشان", "اجل", "الي", "علي", "في", "من", "مع", "عن",
    "حفل", "موكب", "يوم", "رئيس", "وزير", "وزراء", "امين", "حكوم", "وزار", "دول", "جمهوري",
    "مجلس", "اول", "اولي", "ثان", "ثالث", "رابع", "خامس", "سادس", "سابع", "ثامن", "تاسع",
    "عاشر", "حادي", "ثاني", "اخير", "مقبل", "جديد", "كبير",
])
_PREFIXES = ("وال", "بال", "فال", "كال", "لل", "ال")
_ORG_KINDS_NOT_PARTICIPANTS = frozenset({"news-agency", "media"})


def _stem(word: str) -> str:
    """A name word without its article or a clitic before it, nor the feminine ending
    ("للاستثمار" -> "استثمار", "الدوليه" -> "دولي")."""
    for prefix in _PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            word = word[len(prefix):]
            break
    if word.endswith("ه") and len(word) > 3:
        word = word[:-1]
    return word


@lru_cache(maxsize=1)
def _generic() -> frozenset[str]:
    heads = {_stem(w) for rules in trigger_index().values() for r in rules if r.pos == "noun"
             for w in r.words}
    return _GENERIC | frozenset(heads)


@lru_cache(maxsize=65536)
def distinctive_words(name: str) -> frozenset[str]:
    """The words of a folded event name that tell it from other events of its kind."""
    generic = _generic()
    return frozenset(w for w in map(_stem, name.split())
                     if (len(w) >= 3 or w.isdigit()) and w not in generic)


@lru_cache(maxsize=65536)
def name_overlap(a: str, b: str) -> int:
    """Points for two different names of one event: 2 when the distinctive words of one are
    all in the other and are two or more or include a number, 1 for one such word, else 0."""
    wa, wb = distinctive_words(a), distinctive_words(b)
    if not wa or not wb:
        return 0
    small, large = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    if not small <= large:
        return 0
    return 2 if len(small) >= 2 or any(w.isdigit() for w in small) else 1


_SPELLING = str.maketrans({"ئ": "ي", "ؤ": "و", "ء": None, "غ": "ج"})


@lru_cache(maxsize=1)
def _not_participants() -> frozenset[str]:
    return frozenset(o.id for o in load_organizations().by_id.values()
                     if o.kind in _ORG_KINDS_NOT_PARTICIPANTS)


@lru_cache(maxsize=65536)
def _identity(actor: str) -> str | None:
    if actor in _not_participants():
        return None
    if ":" in actor:  # a knowledge id
        return actor
    # Outlets spell foreign and hamzated names differently: "انغيلا"/"انجيلا", "قائد"/"قايد".
    return actor.translate(_SPELLING)


@lru_cache(maxsize=65536)
def actor_identity(actors: tuple[str, ...]) -> frozenset[str]:
    """The keys of the actors that identify an event's participants: news agencies and outlets
    quoted as sources left out, spellings of a name made alike."""
    return frozenset(i for a in actors if (i := _identity(a)) is not None)
