"""Events (placeholder until the event extractor lands)."""
from __future__ import annotations

from analytics.model import DateMention, Event, Mention
from analytics.text.doc import Doc


def find_events(doc: Doc, entities: list[Mention], dates: list[DateMention]) -> list[Event]:
    return []
