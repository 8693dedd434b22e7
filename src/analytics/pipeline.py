"""The extraction pipeline: Article -> Extraction.

Extractors run in a fixed order over one shared `Doc`; each sees what the ones before it found.
`process` carries the article through a batch and applies one error policy: a failing article
becomes an `ExtractionError` given to `on_error`, and the batch goes on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from analytics.errors import AnalyticsError, ExtractionError
from analytics.extract.dates import find_dates
from analytics.extract.entities import find_entities
from analytics.extract.events import find_events
from analytics.knowledge.organizations import headquarters_venue
from analytics.model import Article, Extraction
from analytics.text.doc import make_doc


def extract(article: Article) -> Extraction:
    """Everything the extractors read from one article. Deterministic: same text and
    publication date, same result."""
    doc = make_doc(article)
    entities = find_entities(doc)
    dates = find_dates(doc)
    events = find_events(doc, entities, dates, hq_venue=headquarters_venue)
    return Extraction(article=article, events=tuple(events), entities=tuple(entities),
                      dates=tuple(dates))


def process(articles: Iterable[Article | AnalyticsError],
            on_error: Callable[[AnalyticsError], None]) -> Iterator[Extraction]:
    """Extract each article; report input errors and failures to `on_error` and go on."""
    for item in articles:
        if isinstance(item, AnalyticsError):
            on_error(item)
            continue
        try:
            yield extract(item)
        except Exception as exc:  # noqa: BLE001 - one article's bug must not stop a run
            on_error(ExtractionError(f"article {item.id!r}: extraction failed "
                                     f"({type(exc).__name__}: {exc}); please report it"))
