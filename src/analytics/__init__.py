"""analytics: an observatory for events reported in Arabic news.

ingest -> text -> extract -> pipeline -> resolve -> store -> queries -> pages.
"""

from analytics.errors import AnalyticsError, ExtractionError, IngestError, StoreError
from analytics.model import Article, DateMention, Event, Extraction, Mention

__version__ = "0.1.0"

__all__ = [
    "AnalyticsError", "Article", "DateMention", "Event", "Extraction", "ExtractionError",
    "IngestError", "Mention", "StoreError", "__version__",
]
