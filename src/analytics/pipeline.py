"""The extraction pipeline: Article -> Extraction.

Extractors run in a fixed order over one shared `Doc`; each sees what the ones before it found.
`process` carries the article through a batch and applies one error policy: a failing article
becomes an `ExtractionError` given to `on_error`, and the batch goes on.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator

from analytics.errors import AnalyticsError, ExtractionError
from analytics.extract.dates import find_dates
from analytics.extract.entities import find_entities
from analytics.extract.events import MAX_EVENTS, find_events
from analytics.extract.windows import WINDOW_CHARS, windows
from analytics.knowledge.organizations import headquarters_venue
from analytics.model import Article, Extraction, Span
from analytics.text.doc import make_doc

# A text longer than this is no article but a dump (the longest real article we know has some
# 10,000 characters): it is refused with a message rather than worked on for minutes with
# gigabytes of results.
MAX_ARTICLE_CHARS = 2_000_000


def extract(article: Article) -> Extraction:
    """Everything the extractors read from one article. Deterministic: same text and
    publication date, same result. A text over `WINDOW_CHARS` is read in windows
    (analytics.extract.windows), which keeps the time linear in its length."""
    if len(article.text) > WINDOW_CHARS:
        return _extract_in_windows(article)
    return _extract_whole(article)


def _extract_whole(article: Article) -> Extraction:
    doc = make_doc(article)
    entities = find_entities(doc)
    dates = find_dates(doc)
    events = find_events(doc, entities, dates, hq_venue=headquarters_venue)
    return Extraction(article=article, events=tuple(events), entities=tuple(entities),
                      dates=tuple(dates))


def _extract_in_windows(article: Article) -> Extraction:
    events, entities, dates = [], [], []
    for w in windows(article.text):
        part = _extract_whole(dataclasses.replace(article, text=article.text[w.start:w.end]))
        events += [_shift_event(e, w.start) for e in part.events]
        entities += [dataclasses.replace(m, start=m.start + w.start, end=m.end + w.start)
                     for m in part.entities]
        dates += [dataclasses.replace(d, start=d.start + w.start, end=d.end + w.start)
                  for d in part.dates]
    if len(events) > MAX_EVENTS:   # the same cap as for one window: the most confident
        keep = sorted(range(len(events)), key=lambda k: -events[k].confidence)[:MAX_EVENTS]
        events = [events[k] for k in sorted(keep)]
    return Extraction(article=article, events=tuple(events), entities=tuple(entities),
                      dates=tuple(dates))


def _shift_event(event, by: int):
    def shift(span: Span | None) -> Span | None:
        return None if span is None else Span(span.start + by, span.end + by)
    return dataclasses.replace(event, evidence=tuple(shift(s) for s in event.evidence),
                               trigger=shift(event.trigger))


def process(articles: Iterable[Article | AnalyticsError],
            on_error: Callable[[AnalyticsError], None]) -> Iterator[Extraction]:
    """Extract each article; report input errors and failures to `on_error` and go on."""
    for item in articles:
        if isinstance(item, AnalyticsError):
            on_error(item)
            continue
        if len(item.text) > MAX_ARTICLE_CHARS:
            on_error(ExtractionError(
                f"article {item.id!r}: its text has {len(item.text):,} characters, over the "
                f"{MAX_ARTICLE_CHARS:,} an article may have (news articles have a few "
                "thousand): split it into its articles"))
            continue
        try:
            yield extract(item)
        except Exception as exc:  # noqa: BLE001 - one article's bug must not stop a run
            on_error(ExtractionError(f"article {item.id!r}: extraction failed "
                                     f"({type(exc).__name__}: {exc}); please report it"))
