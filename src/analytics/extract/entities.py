"""Persons, organizations and places (placeholder until the knowledge base lands)."""
from __future__ import annotations

from analytics.model import Mention
from analytics.text.doc import Doc


def find_entities(doc: Doc) -> list[Mention]:
    return []
