"""Input files and standard input -> a stream of `Article`s and `IngestError`s.

Input: the INPUT arguments of `analytics extract`/`ingest` (../shared/eval/contract.md):
- `.txt`: one article; its id is the file name without the extension; `published` is the
  `--published` date;
- `.jsonl`: one JSON object a line with `id`, `text` and optionally `title`, `published` (ISO
  date or datetime), `source`, `url`; blank lines are skipped;
- `.csv`: a header naming the columns, among them `id` and `text` (comma-, tab- or
  semicolon-separated; quoted fields may hold line breaks);
- `.html`/`.htm`: one article, the page's visible text; id = file name, title = `<title>`,
  `published` from the page's meta tags, else `--published`;
- a directory: its files of those kinds, recursively, in sorted order (hidden ones skipped);
- `-`: JSONL on standard input.

Output: articles in input order, streamed (a 10,000-line JSONL file is never held in memory),
with their text exactly as decoded (offsets index it; HTML inside a `.txt` or JSONL text is
kept as given). Every problem becomes an `IngestError` in the stream, naming the file, the line
and the article id, with what to do, and reading goes on with the next article: an empty text,
a missing id, an id already read in this run (the later article is rejected), a line that is
not a JSON object, a `published` that is not a date (see `records`), a file that does not exist
or has an unknown extension, bytes in no accepted encoding (see `decode`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from analytics.errors import IngestError
from analytics.ingest.decode import (
    decode_bytes,
    decode_line,
    sniff_text_encoding,
    sniff_wide_encoding,
)
from analytics.ingest.html import declared_charset, html_to_text
from analytics.ingest.records import (
    FIELDS,
    article_from_record,
    checked_text,
    located,
    parse_published,
)
from analytics.model import Article

STDIN = "-"
STDIN_NAME = "<stdin>"
_BUFFER = 1 << 16               # also how far the encoding sniffers look
_CSV_FIELD_LIMIT = 2**31 - 1    # csv's default (128 KiB) is below a long article
_CSV_DELIMITERS = (",", "\t", ";")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")

# What the reader yields before the run-wide checks: an article with where it was read
# (path, line), or an error.
_Read = tuple[Article, str, int | None] | IngestError
_Reader = Callable[[Path, str, dt.date | None], Iterator[_Read]]


def read_articles(inputs: Iterable[str], published: dt.date | None = None
                  ) -> Iterator[Article | IngestError]:
    """Articles of every input, in order; problems as IngestErrors in the stream.
    `published` is the publication date of `.txt` (and `.html` without one) input."""
    return _unique_ids(item for name in inputs for item in _read_input(name, published))


def read_uploads(uploads: Iterable[tuple[str, bytes]], published: dt.date | None = None
                 ) -> Iterator[Article | IngestError]:
    """Articles of uploaded files, given as (the name the file was uploaded under, its bytes),
    read like files of that name (same formats, checks and errors, ids unique across them).
    The name is never opened or used as a path: it only chooses the format by its extension
    and names a `.txt` or `.html` article (its last component, without the extension)."""
    return _unique_ids(item for name, data in uploads
                       for item in _read_upload(name, data, published))


def _read_upload(name: str, data: bytes, published: dt.date | None) -> Iterator[_Read]:
    base = re.split(r"[\\/]", name)[-1]
    suffix = Path(base).suffix.lower()
    article_id = Path(base).stem if suffix else base
    if suffix in (".txt",):
        yield from _txt_item(data, article_id, name, published)
    elif suffix in (".html", ".htm"):
        yield from _html_item(data, article_id, name, published)
    elif suffix == ".jsonl":
        yield from _read_jsonl_stream(io.BufferedReader(io.BytesIO(data)), name)
    elif suffix == ".csv":
        yield from _read_csv_stream(io.BufferedReader(io.BytesIO(data)), name)
    else:
        kind = f"file type {suffix!r}" if suffix else "file without an extension"
        yield IngestError(f"unsupported {kind}; give .txt, .jsonl, .csv, .html or .htm files",
                          path=name)


def _unique_ids(items: Iterable[_Read]) -> Iterator[Article | IngestError]:
    """The run-wide duplicate check: a later article with an id already read is an error."""
    first_seen: dict[str, int] = {}   # article id -> index in `names` of where it was read
    names: list[str] = []
    for item in items:
        if isinstance(item, IngestError):
            yield item
            continue
        article, path, line = item
        first = first_seen.get(article.id)
        if first is not None:
            yield IngestError(
                f"duplicate id: an article with this id was already read from "
                f"{names[first]}; this one is skipped (give each article a unique id)",
                path=path, line=line, article_id=article.id)
            continue
        if not names or names[-1] != path:
            names.append(path)
        first_seen[article.id] = len(names) - 1
        yield article


def _read_input(name: str, published: dt.date | None) -> Iterator[_Read]:
    if name == STDIN:
        stdin = getattr(sys.stdin, "buffer", None)
        if stdin is None:
            yield IngestError("there is no standard input to read JSONL from; name a file",
                              path=STDIN_NAME)
            return
        yield from _read_jsonl_stream(stdin, STDIN_NAME)
        return
    path = Path(name)
    if path.is_dir():
        files = files_in(path)
        if not files:
            yield IngestError(f"no {', '.join(sorted(READERS))} files in this directory; "
                              "check the path", path=name)
        for file in files:
            yield from _read_file(file, str(file), published)
        return
    yield from _read_file(path, name, published)


def files_in(root: Path) -> list[Path]:
    """The readable article files under a directory, recursively, in sorted order; hidden
    files and directories (".git", ".DS_Store") are skipped."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        found.extend(Path(dirpath, f) for f in filenames
                     if not f.startswith(".") and Path(f).suffix.lower() in READERS)
    return sorted(found, key=lambda p: p.relative_to(root).parts)


def _read_file(path: Path, name: str, published: dt.date | None) -> Iterator[_Read]:
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        if not path.exists():
            yield IngestError("no such file or directory; check the path", path=name)
            return
        kind = f"file type {path.suffix!r}" if path.suffix else "file without an extension"
        yield IngestError(f"unsupported {kind}; give .txt, .jsonl, .csv, .html or .htm files, "
                          "a directory of them, or - for JSONL on standard input", path=name)
        return
    try:
        yield from reader(path, name, published)
    except FileNotFoundError:
        yield IngestError("no such file or directory; check the path", path=name)
    except IsADirectoryError:
        yield IngestError("is a directory with a file extension; rename it", path=name)
    except OSError as exc:
        yield IngestError(f"cannot read the file ({exc.strerror or exc}); check its "
                          "permissions", path=name)


# ---------------------------------------------------------------- one article a file

def _read_txt(path: Path, name: str, published: dt.date | None) -> Iterator[_Read]:
    yield from _txt_item(path.read_bytes(), path.stem, name, published)


def _txt_item(data: bytes, article_id: str, name: str, published: dt.date | None
              ) -> Iterator[_Read]:
    try:
        text, _ = decode_bytes(data)
        text = checked_text(text, article_id)
    except IngestError as err:
        yield located(IngestError(err.reason, article_id=article_id), name)
        return
    yield Article(id=article_id, text=text, published=published), name, None


def _read_html(path: Path, name: str, published: dt.date | None) -> Iterator[_Read]:
    yield from _html_item(path.read_bytes(), path.stem, name, published)


def _html_item(data: bytes, article_id: str, name: str, published: dt.date | None
               ) -> Iterator[_Read]:
    try:
        markup, _ = decode_bytes(data, declared=declared_charset(data))
        page = html_to_text(markup)
        text = checked_text(page.text, article_id)
    except IngestError as err:
        yield located(IngestError(err.reason, article_id=article_id), name)
        return
    try:
        own_date = parse_published(page.published)
    except ValueError:
        own_date = None            # a date in a form we do not read: fall back to --published
    yield Article(id=article_id, text=text, title=page.title,
                  published=own_date or published, source=page.source, url=page.url), name, None


# ---------------------------------------------------------------- JSONL

def _read_jsonl(path: Path, name: str, published: dt.date | None) -> Iterator[_Read]:
    with path.open("rb", buffering=_BUFFER) as fh:
        yield from _read_jsonl_stream(fh, name)


def _read_jsonl_stream(fh: BinaryIO, name: str) -> Iterator[_Read]:
    head = fh.peek(_BUFFER)[:_BUFFER] if hasattr(fh, "peek") else b""
    wide = sniff_wide_encoding(head)
    if wide is None:
        # Line by line, each line decoded on its own: one badly encoded article is one error.
        for n, raw in enumerate(fh, 1):
            try:
                line = decode_line(raw, first=n == 1)
            except IngestError as err:
                yield located(err, name, n)
                continue
            item = _jsonl_item(line, name, n)
            if item is not None:
                yield item
        return
    # UTF-16/32: its line breaks are two or four bytes, so the decoder splits the lines.
    text = io.TextIOWrapper(fh, encoding=wide, newline="")
    n = 0
    try:
        for n, line in enumerate(text, 1):
            item = _jsonl_item(line, name, n)
            if item is not None:
                yield item
    except UnicodeDecodeError as exc:
        yield IngestError(f"not valid {wide.upper()} after line {n} ({exc.reason}); the rest "
                          "of the file is skipped: re-save it as UTF-8", path=name, line=n + 1)
    finally:
        text.detach()               # leave the byte stream (standard input) open


def _jsonl_item(line: str, name: str, n: int) -> _Read | None:
    if not line.strip():
        return None
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return IngestError(f"not valid JSON ({exc.msg} at column {exc.colno}); fix the line "
                           "or remove it", path=name, line=n)
    if not isinstance(record, dict):
        kind = {list: "an array", str: "a string", int: "a number", float: "a number",
                bool: "a boolean"}.get(type(record), "null")
        return IngestError(f'the line is {kind}, not an article: each line must be a JSON '
                           'object with "id" and "text"', path=name, line=n)
    try:
        article = article_from_record(record)
    except IngestError as err:
        return located(err, name, n)
    if _SURROGATE_ESCAPE.search(line) and any(
            isinstance(v, str) and _SURROGATE.search(v) for v in
            (article.text, article.title, article.source, article.url)):
        return IngestError("contains an unpaired UTF-16 surrogate escape (\\udXXX), which is "
                           "no character; fix the program that wrote the JSON",
                           path=name, line=n, article_id=article.id)
    return article, name, n


# ---------------------------------------------------------------- CSV

def _read_csv(path: Path, name: str, published: dt.date | None) -> Iterator[_Read]:
    with path.open("rb", buffering=_BUFFER) as fh:
        yield from _read_csv_stream(fh, name)


def _read_csv_stream(fh: BinaryIO, name: str) -> Iterator[_Read]:
    csv.field_size_limit(_CSV_FIELD_LIMIT)
    try:
        encoding = sniff_text_encoding(fh.peek(_BUFFER)[:_BUFFER])
    except IngestError as err:
        yield located(err, name)
        return
    text = io.TextIOWrapper(fh, encoding=encoding, newline="")
    n = 1
    try:
        header_line = text.readline()
        if not header_line.strip():
            yield IngestError("empty file: a CSV needs a header row naming its columns, "
                              "among them 'id' and 'text'", path=name, line=1)
            return
        delimiter, header = _csv_header(header_line)
        missing = [c for c in ("id", "text") if c not in header]
        if missing:
            shown = ", ".join(repr(c) for c in header if c) or "none"
            yield IngestError(
                f"the header has no {' or '.join(repr(c) for c in missing)} column "
                f"(columns: {shown}); the first row must name the columns, with the "
                "article's id in 'id' and its text in 'text'", path=name, line=1)
            return
        columns = {f: header.index(f) for f in FIELDS if f in header}
        reader = csv.reader(itertools.chain([header_line], text), delimiter=delimiter)
        next(reader)
        for row in reader:
            n, end = n + 1, reader.line_num
            item = _csv_item(row, columns, len(header), name, n)
            n = end
            if item is not None:
                yield item
    except UnicodeDecodeError as exc:
        yield IngestError(f"not valid {encoding} from here on ({exc.reason}); the rest of "
                          "the file is skipped: re-save it in one encoding (UTF-8)",
                          path=name, line=n + 1)
    except csv.Error as exc:
        yield IngestError(f"broken CSV ({exc}); the rest of the file is skipped: check "
                          "the quoting", path=name, line=n + 1)


def _csv_header(line: str) -> tuple[str, list[str]]:
    """The delimiter and the column names (lower-cased, trimmed) of a header line: the first
    delimiter under which it names a `text` column, else a comma."""
    for delimiter in _CSV_DELIMITERS:
        cells = next(csv.reader([line], delimiter=delimiter), [])
        names = [c.strip().lstrip("\ufeff").strip().lower() for c in cells]
        if "text" in names:
            return delimiter, names
    cells = next(csv.reader([line]), [])
    return ",", [c.strip().lstrip("\ufeff").strip().lower() for c in cells]


def _csv_item(row: list[str], columns: dict[str, int], width: int, name: str, n: int
              ) -> _Read | None:
    if not any(cell.strip() for cell in row):
        return None
    if len(row) > width:
        return IngestError(f"{len(row)} fields for {width} columns; check the quoting of "
                           "this row", path=name, line=n)
    record = {f: (row[i] if i < len(row) else None) for f, i in columns.items()}
    if record.get("text") is None:
        record["text"] = ""
    try:
        return article_from_record(record), name, n
    except IngestError as err:
        return located(err, name, n)


READERS: dict[str, _Reader] = {
    ".txt": _read_txt, ".jsonl": _read_jsonl, ".csv": _read_csv,
    ".html": _read_html, ".htm": _read_html,
}
