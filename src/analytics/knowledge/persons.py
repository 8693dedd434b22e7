"""What tells a person's name in Arabic text: titles and roles before it (titles.tsv), common
given names (given_names.tsv) and verbs of saying followed by their subject (person_cues.tsv).

Output: `PersonKnowledge`, keyed by normalized words. Titles are matched by their longest form
("الأمين العام المساعد" before "الأمين العام"), so they are stored by first word.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from analytics.errors import KnowledgeError
from analytics.knowledge import read_tsv
from analytics.text.normalize import normalize_key

TITLES_FILE = "titles.tsv"
GIVEN_NAMES_FILE = "given_names.tsv"
CUES_FILE = "person_cues.tsv"
FAMILY_NAMES_FILE = "family_names.tsv"
TITLE_KINDS = ("honorific", "office", "rank", "religious", "profession")


@dataclass(frozen=True)
class Title:
    words: tuple[str, ...]        # normalized
    kind: str
    name_en: str
    source: str


@dataclass(frozen=True)
class GivenName:
    words: tuple[str, ...]        # normalized ("نور", "الدين")
    name_en: str
    ambiguous: bool               # also a common word
    source: str


@dataclass(frozen=True)
class PersonKnowledge:
    titles: dict[str, tuple[Title, ...]]         # first word -> titles, longest first
    given: dict[str, tuple[GivenName, ...]]      # first word -> names, longest first
    cues: frozenset[str]                         # verbs of saying (normalized)
    # family names the news made frequent words -> their usual Latin spelling
    family: dict[str, str] = field(default_factory=dict)

    def title_at(self, words: list[str], i: int) -> Title | None:
        """The longest title starting at words[i]."""
        return _longest_at(self.titles, words, i)

    def given_at(self, words: list[str], i: int) -> GivenName | None:
        """The longest given name starting at words[i] ("نور الدين" before "نور")."""
        return _longest_at(self.given, words, i)


def _longest_at(index: dict, words: list[str], i: int):
    for item in index.get(words[i], ()):      # longest first
        if tuple(words[i:i + len(item.words)]) == item.words:
            return item
    return None


def _index(items: list) -> dict[str, tuple]:
    out: dict[str, list] = {}
    for item in items:
        out.setdefault(item.words[0], []).append(item)
    return {k: tuple(sorted(v, key=lambda x: -len(x.words))) for k, v in out.items()}


@lru_cache(maxsize=1)
def load_person_knowledge() -> PersonKnowledge:
    titles = []
    for row in read_tsv(TITLES_FILE, required=("title", "kind", "name_en", "source")):
        if row["kind"] not in TITLE_KINDS:
            raise KnowledgeError(f"{row.where}: kind {row['kind']!r} is not one of {TITLE_KINDS}")
        titles.append(Title(tuple(normalize_key(row["title"]).split()), row["kind"], row["name_en"],
                            f"{TITLES_FILE}#{row.line}"))
    given = [GivenName(tuple(normalize_key(r["name"]).split()), r["name_en"], r.get("ambiguous") == "yes",
                       f"{GIVEN_NAMES_FILE}#{r.line}")
             for r in read_tsv(GIVEN_NAMES_FILE, required=("name", "name_en", "source"))]
    cues = frozenset(normalize_key(r["word"]) for r in read_tsv(CUES_FILE, required=("word", "source")))
    family = {normalize_key(r["name"]): r["name_en"]
              for r in read_tsv(FAMILY_NAMES_FILE, required=("name", "name_en", "source"))}
    return PersonKnowledge(_index(titles), _index(given), cues, family)
