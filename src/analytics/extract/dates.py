"""Temporal expressions (placeholder until the date grammar lands)."""
from __future__ import annotations

from analytics.model import DateMention
from analytics.text.doc import Doc


def find_dates(doc: Doc) -> list[DateMention]:
    return []
