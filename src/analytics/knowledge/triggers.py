"""Event triggers and the sentence contexts that rule them out (event_triggers.tsv,
event_contexts.tsv), loaded once into lookups keyed by the trigger's first word."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from analytics.errors import KnowledgeError
from analytics.knowledge import read_tsv
from analytics.model import EVENT_TYPES
from analytics.text.normalize import normalize_key

TRIGGERS_FILE = "event_triggers.tsv"
CONTEXTS_FILE = "event_contexts.tsv"


@dataclass(frozen=True)
class TriggerRule:
    id: str
    words: tuple[str, ...]       # normalized; words[0] is the lookup key
    pos: str                     # noun | verb
    type: str
    next_any: frozenset[str]
    next_not: frozenset[str]
    needs_official: bool
    needs_report: bool           # a plural: only when a past verb reports it
    confidence: float
    source: str


@dataclass(frozen=True)
class BlockingContext:
    id: str
    scope: str                   # sentence | article
    min_words: int
    words: frozenset[str]
    blocks: frozenset[str]       # event types or trigger ids

    def blocks_rule(self, rule: TriggerRule) -> bool:
        return rule.type in self.blocks or rule.id in self.blocks


def _words(cell: str) -> frozenset[str]:
    return frozenset(normalize_key(w) for w in cell.split("|") if w.strip())


@lru_cache(maxsize=1)
def trigger_index() -> dict[str, tuple[TriggerRule, ...]]:
    """First word of a trigger -> its rules, longest phrase first."""
    index: dict[str, list[TriggerRule]] = {}
    for row in read_tsv(TRIGGERS_FILE, required=("id", "form", "pos", "type", "confidence",
                                                 "source")):
        if row["type"] not in EVENT_TYPES:
            raise KnowledgeError(f"{row.where}: unknown event type {row['type']!r} "
                                 f"(one of {', '.join(EVENT_TYPES)})")
        if row.get("needs") not in ("", "official", "reported"):
            raise KnowledgeError(f"{row.where}: needs must be empty, official or reported")
        if row["pos"] not in ("noun", "verb"):
            raise KnowledgeError(f"{row.where}: pos must be noun or verb, not {row['pos']!r}")
        try:
            confidence = float(row["confidence"])
        except ValueError:
            raise KnowledgeError(f"{row.where}: confidence is not a number") from None
        words = tuple(normalize_key(row["form"]).split())
        rule = TriggerRule(
            id=row["id"], words=words, pos=row["pos"], type=row["type"],
            next_any=_words(row.get("next_any")), next_not=_words(row.get("next_not")),
            needs_official=row.get("needs") == "official",
            needs_report=row.get("needs") == "reported", confidence=confidence,
            source=f"{TRIGGERS_FILE}#{row['id']}")
        index.setdefault(words[0], []).append(rule)
    return {k: tuple(sorted(v, key=lambda r: -len(r.words))) for k, v in index.items()}


@lru_cache(maxsize=1)
def blocking_contexts() -> tuple[BlockingContext, ...]:
    out = []
    for row in read_tsv(CONTEXTS_FILE, required=("id", "scope", "min_words", "words", "blocks",
                                                 "source")):
        if row["scope"] not in ("sentence", "article"):
            raise KnowledgeError(f"{row.where}: scope must be sentence or article")
        if not row["min_words"].isdigit():
            raise KnowledgeError(f"{row.where}: min_words must be a whole number")
        out.append(BlockingContext(row["id"], row["scope"], int(row["min_words"]),
                                   _words(row["words"]), frozenset(row.list("blocks"))))
    return tuple(out)
