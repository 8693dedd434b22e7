"""Inputs -> partitions: the units of work of a distributed extraction.

Input: the INPUT arguments of `analytics ingest` (files and directories). Output: `Partition`s
in input order: a byte range of a large UTF-8 JSONL file (cut at line ends, so each line is in
exactly one range), or a group of whole files (`.txt`, `.html`, `.csv`, small or UTF-16 JSONL).
`read_partition` reads one back as the single-process reader would: the same articles, the
same errors with the same files and lines.

A partition's `key` names its content: the file's path, size and modification time and the
byte range. A resumed run recognizes the parts it already extracted by it; an input that
changed since gets new keys and is extracted anew.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from analytics.errors import AnalyticsError, IngestError
from analytics.ingest import STDIN, files_in, read_articles
from analytics.ingest.decode import decode_line, sniff_wide_encoding
from analytics.ingest.readers import _jsonl_item  # one JSONL line, exactly as read_articles
from analytics.ingest.records import located
from analytics.model import Article

# Partition size: about 1/64 of the input, between these bounds: several partitions per worker,
# so that workers that go at different speeds still finish together, and few enough that
# per-task costs (a Parquet file, a scheduler round trip) stay small. It depends on the input alone (not on the number of workers), so
# that a run resumed on another cluster finds its parts.
MIN_BYTES = 64 * 1024
MAX_BYTES = 8 * 1024 * 1024
# Whole files grouped into one partition at most.
MAX_FILES = 256


@dataclass(frozen=True)
class Partition:
    index: int                      # position in input order
    files: tuple[str, ...]          # as named on the command line (or found in a directory)
    start: int | None = None        # a byte range of files[0] (a JSONL file), else None
    end: int | None = None
    first_line: int = 1             # the line number at `start`
    key: str = ""                   # content identity (see the module docstring)
    cwd: str = ""                   # where relative names are, for workers that run elsewhere

    def path(self, name: str) -> str:
        """Where a worker reads `name` (as named on the command line)."""
        return os.path.join(self.cwd, name) if self.cwd else name

    @property
    def size(self) -> int:
        if self.start is not None and self.end is not None:
            return self.end - self.start
        return sum(_size(f) for f in self.files)

    def describe(self) -> str:
        if self.start is not None:
            return f"{self.files[0]} bytes {self.start}-{self.end}"
        return self.files[0] if len(self.files) == 1 else f"{self.files[0]} and " \
            f"{len(self.files) - 1} more files"


def _size(name: str) -> int:
    try:
        return os.stat(name).st_size
    except OSError:
        return 0


def _identity(name: str) -> str:
    try:
        st = os.stat(name)
    except OSError:
        return f"{name}|missing"
    return f"{os.path.abspath(name)}|{st.st_size}|{st.st_mtime_ns}"


def _files(inputs: Sequence[str]) -> list[str]:
    names: list[str] = []
    for name in inputs:
        if name == STDIN:
            raise AnalyticsError("--engine dask reads files, not standard input: save the "
                                 "JSONL to a file and name it, or use --engine local")
        path = Path(name)
        if path.is_dir():
            found = files_in(path)
            # An empty directory: read_articles reports it, so keep the name as an input.
            names.extend(str(f) for f in found) if found else names.append(name)
        else:
            names.append(name)
    return names


def target_bytes(total: int) -> int:
    return max(MIN_BYTES, min(MAX_BYTES, total // 64))


def plan(inputs: Sequence[str], target: int | None = None,
         published: dt.date | None = None) -> list[Partition]:
    """The partitions of these inputs, in input order. `target`: bytes per partition (default:
    `target_bytes` of the whole input). `published` is part of every key: it changes what
    `.txt` and `.html` articles are."""
    names = _files(inputs)
    if target is None:
        target = target_bytes(sum(_size(n) for n in names))
    pieces: list[tuple[tuple[str, ...], int | None, int | None, int]] = []
    group: list[str] = []
    group_bytes = 0

    def close_group() -> None:
        nonlocal group, group_bytes
        if group:
            pieces.append((tuple(group), None, None, 1))
            group, group_bytes = [], 0

    for name in names:
        size = _size(name)
        if name.lower().endswith(".jsonl") and size > target and _is_utf8_family(name):
            close_group()
            pieces.extend(((name,), s, e, line) for s, e, line in _line_ranges(name, target))
            continue
        group.append(name)
        group_bytes += size
        if group_bytes >= target or len(group) >= MAX_FILES:
            close_group()
    close_group()

    parts = []
    for index, (files, start, end, line) in enumerate(pieces):
        ident = "\n".join([*(_identity(f) for f in files), f"{start}-{end}",
                           published.isoformat() if published else ""])
        key = hashlib.blake2b(ident.encode("utf-8", "surrogateescape"), digest_size=10).hexdigest()
        parts.append(Partition(index, files, start, end, line, key, os.getcwd()))
    return parts


def _is_utf8_family(name: str) -> bool:
    """UTF-16/32 files split into lines only once decoded: they stay whole."""
    try:
        with open(name, "rb") as fh:
            return sniff_wide_encoding(fh.read(4096)) is None
    except OSError:
        return False  # reported by the reader, as a whole file


def _line_ranges(name: str, target: int) -> list[tuple[int, int, int]]:
    """(start, end, first line) ranges of about `target` bytes, each ending after a newline."""
    ranges = []
    with open(name, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        start, line = 0, 1
        while start < size:
            fh.seek(min(start + target, size))
            if fh.tell() < size:
                fh.seek(fh.tell() - 1)  # the byte before the cut may be the newline itself
                fh.readline()
            end = fh.tell() if fh.tell() > start else size
            ranges.append((start, end, line))
            line += _count_newlines(fh, start, end)
            start = end
    return ranges


def _count_newlines(fh, start: int, end: int) -> int:
    fh.seek(start)
    n, left = 0, end - start
    while left > 0:
        block = fh.read(min(left, 1 << 22))
        if not block:
            break
        n += block.count(b"\n")
        left -= len(block)
    return n


def read_partition(part: Partition, published: dt.date | None = None
                   ) -> Iterator[tuple[Article | IngestError, str | None, int | None]]:
    """(article or error, path, line) for each item of the partition, in order: the articles
    and errors `read_articles` gives for the same lines, except the run-wide duplicate check
    across partitions (`analytics.store.bulk.first_reads` applies it when loading)."""
    if part.start is None:
        # Read where the files are; report them as named (the single-process path's messages).
        shown = {part.path(f): f for f in part.files}
        for item in read_articles(list(shown), published=published):
            if isinstance(item, IngestError) and item.path in shown:
                reason = item.reason
                for where, name in shown.items():  # "already read from <file>"
                    reason = reason.replace(f"from {where};", f"from {name};")
                item = IngestError(reason, path=shown[item.path], line=item.line,
                                   article_id=item.article_id)
            # Whole files: read_articles does not say the line; errors carry their own.
            yield item, (part.files[0] if len(part.files) == 1 else None), None
        return
    name = part.files[0]
    try:
        with open(part.path(name), "rb") as fh:
            fh.seek(part.start)
            pos, n = part.start, part.first_line
            while pos < part.end:
                raw = fh.readline()
                if not raw:
                    break
                pos += len(raw)
                try:
                    line = decode_line(raw, first=n == 1)
                except IngestError as err:
                    yield located(err, name, n), name, n
                    n += 1
                    continue
                item = _jsonl_item(line, name, n)
                if isinstance(item, IngestError):
                    yield item, name, n
                elif item is not None:
                    yield item[0], name, n
                n += 1
    except OSError as exc:
        yield IngestError(f"cannot read the file ({exc.strerror or exc}); check that it is "
                          f"still there and readable", path=name), name, None
