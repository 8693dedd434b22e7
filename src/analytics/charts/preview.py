"""The "Add articles" page's preview: extractions (not yet stored) -> one row per event found,
labelled in the page's language, for a table.

Input: `Extraction`s from the pipeline and a language code. Output: a DataFrame with columns
article_id, type, name, start_date, end_date, status, venue, actors, participants (types and
statuses in words; names in English where the knowledge base has one, in Arabic otherwise).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from analytics.charts import labels
from analytics.model import Extraction

COLUMNS = ["article_id", "type", "name", "start_date", "end_date", "status", "venue", "actors",
           "participants"]


def _name(name_ar: str, name_en: str | None, lang: str) -> str:
    return name_ar if lang == "ar" else (name_en or name_ar)


def events_found(extractions: Iterable[Extraction], lang: str) -> pd.DataFrame:
    rows = []
    for extraction in extractions:
        for event in extraction.events:
            venue = event.venue
            actors = [_name(a.name_ar, a.name_en, lang) for a in event.actors]
            rows.append({
                "article_id": extraction.article.id,
                "type": labels.event_type(event.type, lang), "name": event.name,
                "start_date": event.start, "end_date": event.end,
                "status": labels.status(event.status, lang),
                "venue": _name(venue.name_ar, venue.name_en, lang) if venue else None,
                "actors": ("، " if lang == "ar" else ", ").join(actors),
                "participants": event.participants})
    return pd.DataFrame(rows, columns=COLUMNS)
