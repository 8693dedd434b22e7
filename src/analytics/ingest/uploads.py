"""What the dashboard's "Add articles" page accepts: uploaded files within limits, and a pasted
text, as a stream of articles (the page shows progress and the extraction; nothing here knows
about Streamlit).

Input: uploads as objects with `name`, `size` (bytes) and `getvalue()` (what Streamlit's
file uploader gives; any such object will do), a publication date, and a pasted text with its
title and outlet. Output: the uploads kept and the ones refused (with the reason), then
`Article | IngestError` items, as `read_uploads` gives them.

The limits are the dashboard's, and `.streamlit/config.toml` (`server.maxUploadSize`) holds the
server to the same size per file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from analytics.errors import IngestError
from analytics.ingest.readers import read_uploads
from analytics.ingest.records import article_from_record
from analytics.model import Article

MAX_FILES = 50  # files in one upload
MAX_MB = 20  # megabytes (MiB) per file
SUFFIXES = ("txt", "jsonl", "csv", "html", "htm")


class Upload(Protocol):
    name: str
    size: int

    def getvalue(self) -> bytes: ...


@dataclass(frozen=True)
class Refused:
    """An upload left out, and why: `type` (not one of SUFFIXES) or `size` (over MAX_MB)."""

    name: str
    reason: str
    megabytes: float


def too_many(uploads: Sequence[object]) -> bool:
    return len(uploads) > MAX_FILES


def checked_uploads(uploads: Sequence[Upload]) -> tuple[list[Upload], list[Refused]]:
    """The uploads within the limits (type and size), and the ones refused, in order."""
    kept: list[Upload] = []
    refused: list[Refused] = []
    for upload in uploads:
        suffix = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        megabytes = upload.size / 2**20
        if suffix not in SUFFIXES:
            refused.append(Refused(upload.name, "type", megabytes))
        elif upload.size > MAX_MB * 2**20:
            refused.append(Refused(upload.name, "size", megabytes))
        else:
            kept.append(upload)
    return kept, refused


def pasted_article(text: str, published: dt.date | None, title: str = "",
                   source: str = "") -> Article:
    """The pasted text as an article, its id drawn from the text itself (the same text pasted
    twice is the same article). Raises IngestError as any article record would."""
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return article_from_record({"id": f"pasted-{digest}", "text": text,
                                "published": published.isoformat() if published else None,
                                "title": title.strip() or None,
                                "source": source.strip() or None})


def articles_to_add(uploads: Sequence[Upload], published: dt.date | None, pasted: str = "",
                    title: str = "", source: str = "",
                    on_file: Callable[[int, int, str], None] | None = None
                    ) -> Iterator[Article | IngestError]:
    """The articles of the uploads, read from their bytes, then the pasted text's (if any);
    a bad one is an IngestError in the stream. `on_file(n, total, name)` is called before the
    n-th upload is read (total counts the pasted text too), for a progress bar."""
    total = len(uploads) + (1 if pasted.strip() else 0)

    def contents() -> Iterator[tuple[str, bytes]]:
        for n, upload in enumerate(uploads, 1):
            if on_file is not None:
                on_file(n, total, upload.name)
            yield upload.name, upload.getvalue()

    yield from read_uploads(contents(), published)
    if pasted.strip():
        try:
            yield pasted_article(pasted, published, title, source)
        except IngestError as err:
            yield err
