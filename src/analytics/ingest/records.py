"""A record as read (a JSONL object, a CSV row, a file and its name) -> an `Article`, with the
checks every input format shares.

Input: field values. Output: an `Article`, or an `IngestError` naming the field and what to do
(the reader adds the file and line).

Policy for a `published` value that is not a date: the article is rejected (an error, not a
warning). Relative dates ("اليوم", "الاثنين المقبل") are resolved against it, so a wrong or
unreadable date would silently misdate every event of the article; an article without the field
is fine and its relative dates stay unresolved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from analytics.errors import IngestError
from analytics.model import Article

FIELDS = ("id", "text", "title", "published", "source", "url")
OPTIONAL_TEXT_FIELDS = ("title", "source", "url")


def parse_published(value: object) -> dt.date | None:
    """The publication date of an ISO date or datetime ("2016-04-21", "2016-04-21T09:30:00Z",
    "2016-04-21 09:30:00+01:00"): the date as written, not moved to UTC (it is the source's
    own day). None for a missing or empty value; ValueError for a string that is no such date,
    TypeError for a value that is not a string."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"published must be an ISO date string, not {type(value).__name__} "
                         f"{value!r}")
    v = value.strip()
    if not v:
        return None
    try:
        if len(v) == 10:
            return dt.date.fromisoformat(v)
        return dt.datetime.fromisoformat(v).date()
    except ValueError:
        raise ValueError(f"published {value!r} is not an ISO date (YYYY-MM-DD) or datetime "
                         "(YYYY-MM-DDTHH:MM:SS)") from None


def has_text(text: str) -> bool:
    """Whether the text has at least one letter or digit (not only spaces, punctuation or
    invisible characters)."""
    return any(ch.isalnum() for ch in text)


def checked_text(text: object, article_id: str | None) -> str:
    if text is None:
        raise IngestError('no "text" (text must be a string); give the article its text in '
                          'a "text" field',
                          article_id=article_id)
    if not isinstance(text, str):
        raise IngestError(f"text must be a string, not {type(text).__name__}; give the "
                          "article's text as a JSON string", article_id=article_id)
    if not has_text(text):
        raise IngestError("has no text (empty, or only spaces, punctuation or invisible "
                          "characters); give the article its text or leave it out",
                          article_id=article_id)
    return text


def article_id_of(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        if value is None:
            raise IngestError('no "id"; give every article a unique id')
        raise IngestError(f"id must be a string or an integer, not {type(value).__name__} "
                          f"{value!r}; give every article a unique id")
    article_id = str(value).strip()
    if not article_id:
        raise IngestError('empty "id"; give every article a unique id')
    return article_id


def article_from_record(record: Mapping[str, object]) -> Article:
    """An article from a JSONL object or CSV row (fields: id, text, and optionally title,
    published, source, url; other fields are ignored)."""
    article_id = article_id_of(record.get("id"))
    text = checked_text(record.get("text"), article_id)
    try:
        published = parse_published(record.get("published"))
    except (ValueError, TypeError) as exc:
        raise IngestError(f"{exc}; fix it or leave the field out (the article is skipped: "
                          "its relative dates would be resolved against a wrong day)",
                          article_id=article_id) from None
    extra: dict[str, str | None] = {}
    for name in OPTIONAL_TEXT_FIELDS:
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            raise IngestError(f"{name} must be a string, not {type(value).__name__}",
                              article_id=article_id)
        extra[name] = (value.strip() or None) if isinstance(value, str) else None
    return Article(id=article_id, text=text, published=published, **extra)


def located(err: IngestError, path: str | None, line: int | None = None) -> IngestError:
    """The same error, now saying which file and line it comes from."""
    return IngestError(err.reason, path=path if path is not None else err.path,
                       line=line if line is not None else err.line, article_id=err.article_id)
