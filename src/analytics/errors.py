"""The exception tree. Errors are raised deep and turned into messages in one place (the CLI,
`app.py`): each says which article, file and line, and what to do."""

from __future__ import annotations


class AnalyticsError(Exception):
    """Base of every error this package raises on purpose."""


class IngestError(AnalyticsError):
    """An input could not be read: a file, a line of it, or one article in it."""

    def __init__(self, reason: str, *, path: str | None = None, line: int | None = None,
                 article_id: str | None = None) -> None:
        self.reason = reason
        self.path = path
        self.line = line
        self.article_id = article_id
        super().__init__(self.describe())

    def describe(self) -> str:
        where = []
        if self.path:
            where.append(f"{self.path}:{self.line}" if self.line else self.path)
        if self.article_id:
            where.append(f"article {self.article_id!r}")
        return (", ".join(where) + ": " if where else "") + self.reason


class ExtractionError(AnalyticsError):
    """The extractor failed on one article (a bug: please report it with the article)."""


class StoreError(AnalyticsError):
    """The store cannot be opened, read or written."""


class KnowledgeError(AnalyticsError):
    """A knowledge file is malformed: names the file and line."""
