"""Extraction parts: the Parquet files distributed extraction writes, and loading them into the
store in one writing session.

Input: what workers read from one partition of the input, in input order: `Extraction`s and the
errors met (`part_table`), written as one Parquet file per partition by `analytics.scale`.
Output: the store, loaded through a `Writer` (so that every rule the writer applies to an
ingest, present and future, applies here too) and published ONCE at the end: a reader sees the
store before the run or after it, never half of it. `load_parts` returns the `IngestSummary`.

One row per input item, in input order:
    seq          position within the partition
    path, line   where it was read (the file as named on the command line, its line)
    article_id   the article's id (NULL for an error that has none)
    error_kind   NULL for an article; else "ingest" or "extraction"
    error        the error's reason (ingest) or message (extraction)
    extraction   the `Extraction`, pickled: the very value the single-process path hands the
                 writer, so that both paths store identical records. Parts are a run's private
                 scratch files, read back by the same version of the code that wrote them.

Run-wide rules the partitions cannot apply alone are applied here, in input order: an id read
twice keeps its first article and reports the later one, with the message of the
single-process path.

The session is `Writer(..., atomic=True)`: one that ends in an exception (a part that cannot be
read, an interruption) publishes nothing, so the store stays as it was before the run.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from analytics.errors import AnalyticsError, ExtractionError, IngestError, StoreError
from analytics.model import Extraction
from analytics.store.writer import IngestSummary, Writer

PART_SCHEMA = pa.schema([
    ("seq", pa.int32()),
    ("path", pa.string()),
    ("line", pa.int32()),
    ("article_id", pa.string()),
    ("error_kind", pa.string()),
    ("error", pa.string()),
    ("extraction", pa.binary()),
])

# Input items (articles and errors) per batch handed to the writer, as in the single-process
# ingest (analytics.cli.ingest.BATCH): the same batches, so that anything the writer does per
# batch (cross-article resolution) does the same here.
WRITE_BATCH = 256


def part_table(items: Sequence[tuple[Extraction | AnalyticsError, str | None, int | None]],
               first_seq: int = 0) -> pa.Table:
    """Rows for (item, path, line) triples, in order. `path`/`line` locate an extraction (an
    IngestError carries its own)."""
    cols: dict[str, list] = {name: [] for name in PART_SCHEMA.names}
    for n, (item, path, line) in enumerate(items, first_seq):
        cols["seq"].append(n)
        if isinstance(item, Extraction):
            cols["path"].append(path)
            cols["line"].append(line)
            cols["article_id"].append(item.article.id)
            cols["error_kind"].append(None)
            cols["error"].append(None)
            cols["extraction"].append(pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL))
        elif isinstance(item, IngestError):
            cols["path"].append(item.path)
            cols["line"].append(item.line)
            cols["article_id"].append(item.article_id)
            cols["error_kind"].append("ingest")
            cols["error"].append(item.reason)
            cols["extraction"].append(None)
        else:
            cols["path"].append(path)
            cols["line"].append(line)
            cols["article_id"].append(None)
            cols["error_kind"].append("extraction")
            cols["error"].append(str(item))
            cols["extraction"].append(None)
    return pa.table(cols, schema=PART_SCHEMA)


def read_part(path: Path) -> Iterator[tuple[Extraction | AnalyticsError, str | None, int | None]]:
    """The items of one part file, in order, streamed a row group at a time."""
    try:
        parquet = pq.ParquetFile(path)
        if parquet.schema_arrow != PART_SCHEMA:
            raise StoreError(f"{path}: not an extraction part of this version of analytics; "
                             f"delete its directory ({path.parent}) and run the ingest again")
        for group in range(parquet.num_row_groups):
            rows = parquet.read_row_group(group).to_pylist()
            for row in rows:
                yield _item(row, path)
    except (OSError, pa.ArrowException) as exc:
        raise StoreError(f"{path}: cannot read this extraction part ({exc}); delete it and run "
                         f"the ingest again (it is extracted anew)") from None


def _item(row: dict, part: Path) -> tuple[Extraction | AnalyticsError, str | None, int | None]:
    kind = row["error_kind"]
    if kind == "ingest":
        return (IngestError(row["error"], path=row["path"], line=row["line"],
                            article_id=row["article_id"]), row["path"], row["line"])
    if kind == "extraction":
        return ExtractionError(row["error"]), row["path"], row["line"]
    try:
        extraction = pickle.loads(row["extraction"])  # our own scratch file (see above)
    except (pickle.UnpicklingError, AttributeError, ImportError, TypeError) as exc:
        raise StoreError(f"{part}: article {row['article_id']!r} was written by another version "
                         f"of analytics ({type(exc).__name__}); delete {part.parent} and run "
                         f"the ingest again") from None
    if not isinstance(extraction, Extraction):
        raise StoreError(f"{part}: row {row['seq']} holds no extraction; delete {part.parent} "
                         f"and run the ingest again")
    return extraction, row["path"], row["line"]


def first_reads(items: Iterable[tuple[Extraction | AnalyticsError, str | None, int | None]]
                ) -> Iterator[Extraction | AnalyticsError]:
    """The run-wide duplicate rule of `analytics.ingest.read_articles`, applied across parts:
    the first article read with an id is kept, a later one becomes an IngestError."""
    first_path: dict[str, str | None] = {}
    for item, path, line in items:
        if isinstance(item, Extraction):
            aid = item.article.id
            if aid in first_path:
                yield IngestError(
                    f"duplicate id: an article with this id was already read from "
                    f"{first_path[aid]}; this one is skipped (give each article a unique id)",
                    path=path, line=line, article_id=aid)
                continue
            first_path[aid] = path
        yield item


def load_parts(store_path: Path, parts: Iterable[Path], *, force: bool = False,
               on_error: Callable[[AnalyticsError], None],
               on_wait: Callable[[], None] | None = None,
               on_progress: Callable[[int], None] | None = None) -> IngestSummary:
    """Load part files (in input order) into the store in one writing session, published once
    when all are written. Errors in the parts go to `on_error` (not counted in the summary's
    `failed`, as with `Writer`). Raises StoreError, leaving the store as it was, when a part
    cannot be read or a batch cannot be written."""
    writer = Writer(store_path, force=force, publish_every=float("inf"), on_wait=on_wait,
                    atomic=True)
    with writer:
        items = first_reads(item for part in parts for item in read_part(part))
        batch: list[Extraction] = []
        seen = 0
        for item in items:
            seen += 1
            if isinstance(item, AnalyticsError):
                on_error(item)
            else:
                batch.append(item)
            if seen == WRITE_BATCH:
                writer.write(batch)
                if on_progress is not None:
                    on_progress(len(batch))
                batch, seen = [], 0
        writer.write(batch)
        if on_progress is not None and batch:
            on_progress(len(batch))
    return writer.summary
