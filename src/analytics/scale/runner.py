"""Distributed extraction on dask.distributed: partitions -> Parquet parts -> the store.

Input: the INPUT arguments of `analytics ingest`, a store path, and a Dask scheduler address (or
none: a LocalCluster of one single-threaded worker process per core, since extraction is pure
Python and holds the GIL). Output: the store, loaded in one writing session
(`analytics.store.bulk.load_parts`), and an `IngestSummary`.

A run, and why it is resumable:
1. `plan` cuts the input into partitions, each with a key naming its content.
2. The run's directory, `<store>.parts/<run key>/`, holds `manifest.json` (the plan) and one
   `part-<index>-<key>.parquet` per extracted partition. A worker writes its part under a
   temporary name and renames it into place, so a part file is always whole; extraction is
   deterministic, so a partition extracted twice (its first worker was killed after the
   rename, or the scheduler re-ran it) writes the same file.
3. Partitions whose part file exists are not submitted again: a run killed or crashed during
   extraction, re-run with the same command, extracts only what is missing. Dask itself
   re-runs the tasks of a worker that dies mid-run on the others.
4. All parts are loaded into the store in input order in one writer session that publishes
   once: readers see the whole run or none of it; the writer skips articles already stored
   unchanged, so a run re-run after its load stores nothing twice.
5. The run's directory is deleted after a successful load.

Workers must see the input files and the run's directory at the same paths (the local machine,
or a shared file system for a remote cluster), and have this version of analytics installed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import resource
import shutil
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import pyarrow.parquet as pq

from analytics import __version__
from analytics.errors import AnalyticsError, IngestError
from analytics.model import Extraction
from analytics.pipeline import process
from analytics.scale.partitions import Partition, plan, read_partition
from analytics.store.bulk import PART_SCHEMA, load_parts, part_table
from analytics.store.writer import IngestSummary

# Items buffered before a row group is written: bounds a worker's memory whatever the
# partition's size.
ROW_GROUP = 256


@dataclass(frozen=True)
class PartDone:
    """What one task did: its partition, counts, time, and the worker's peak memory."""
    index: int
    key: str
    articles: int
    errors: int
    seconds: float
    worker_pid: int
    worker_max_rss: int          # bytes: the worker process's peak resident set so far
    reused: bool = False         # the part file was already there
    cpu_seconds: float = 0.0     # CPU time of the task's thread (wall time minus waiting for
                                 # a core, on a shared machine)


def runs_dir(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".parts")


def run_key(parts: Sequence[Partition]) -> str:
    ident = "\n".join([__version__, *(p.key for p in parts)])
    return hashlib.blake2b(ident.encode(), digest_size=8).hexdigest()


def part_file(run_dir: Path, part: Partition) -> Path:
    return run_dir / f"part-{part.index:06d}-{part.key}.parquet"


def extract_partition(part: Partition, run_dir: str,
                      published: dt.date | None = None) -> PartDone:
    """The task a worker runs: read one partition, extract it, write its part file."""
    started = time.perf_counter(), time.thread_time()
    target = part_file(Path(run_dir), part)
    if target.exists():
        return _done(part, 0, 0, started, reused=True)
    tmp = target.with_name(f"{target.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    articles = errors = seq = 0
    buffer: list[tuple[Extraction | AnalyticsError, str | None, int | None]] = []
    try:
        with pq.ParquetWriter(tmp, PART_SCHEMA, compression="zstd") as out:
            for item, path, line in read_partition(part, published):
                found: list[AnalyticsError] = []
                if isinstance(item, IngestError):
                    found.append(item)
                else:
                    # The single-process path's own batch loop and error policy.
                    buffer.extend((x, path, line) for x in process([item], found.append))
                    articles += 1
                buffer.extend((err, path, line) for err in found)
                errors += len(found)
                if len(buffer) >= ROW_GROUP:
                    out.write_table(part_table(buffer, seq))
                    seq += len(buffer)
                    buffer = []
            if buffer:
                out.write_table(part_table(buffer, seq))
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return _done(part, articles, errors, started)


def _done(part: Partition, articles: int, errors: int, started: tuple[float, float],
          reused: bool = False) -> PartDone:
    return PartDone(part.index, part.key, articles, errors, time.perf_counter() - started[0],
                    os.getpid(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                    reused, time.thread_time() - started[1])


def write_manifest(run_dir: Path, parts: Sequence[Partition],
                   published: dt.date | None) -> None:
    """The run's plan, for people and for a later resume: written once, atomically."""
    manifest = run_dir / "manifest.json"
    if manifest.exists():
        return
    body = {"analytics": __version__, "run": run_dir.name,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "published": published.isoformat() if published else None,
            "partitions": [{**asdict(p), "part": part_file(run_dir, p).name} for p in parts]}
    tmp = manifest.with_name(f"manifest.json.tmp-{os.getpid()}")
    tmp.write_text(json.dumps(body, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, manifest)


@contextmanager
def dask_client(scheduler: str | None = None, workers: int | None = None) -> Iterator:
    """A client of the cluster at `scheduler`, else of a LocalCluster with `workers`
    single-threaded worker processes (default: one per core available to us)."""
    from distributed import Client, LocalCluster  # heavy: only for --engine dask

    if scheduler:
        try:
            client = Client(scheduler, timeout="15s")
        except (OSError, TimeoutError) as exc:
            raise AnalyticsError(f"cannot reach the Dask scheduler at {scheduler} ({exc}); "
                                 f"start it (`dask scheduler`) and its workers, or leave out "
                                 f"--scheduler to run a local cluster") from None
        with client:
            yield client
        return
    n = workers or len(os.sched_getaffinity(0))
    with LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                      dashboard_address=None, silence_logs=logging.ERROR) as cluster, \
            Client(cluster) as client:
        yield client


def extract_to_parts(client, parts: Sequence[Partition], run_dir: Path,
                     published: dt.date | None = None,
                     on_part: Callable[[PartDone], None] | None = None) -> list[PartDone]:
    """Extract every partition without a part file in `run_dir` on the cluster; returns what
    each task did, in completion order. Raises AnalyticsError, keeping the parts written, when
    the cluster gives up (a partition killed its workers repeatedly, the scheduler went away):
    the same run started again goes on from there."""
    from distributed import as_completed

    run_dir.mkdir(parents=True, exist_ok=True)
    write_manifest(run_dir, parts, published)
    todo = [p for p in parts if not part_file(run_dir, p).exists()]
    token = uuid.uuid4().hex[:8]
    futures = client.map(extract_partition, todo, run_dir=str(run_dir), published=published,
                         # A key per submission: a key cancelled by an earlier, interrupted
                         # submission may linger on the scheduler and cancel this one.
                         key=[f"analytics-extract-{p.key}-{token}" for p in todo],
                         retries=2)
    by_key = {f.key: p for f, p in zip(futures, todo, strict=True)}
    done: list[PartDone] = []
    try:
        for future in as_completed(futures):
            try:
                result = future.result()
            except AnalyticsError:
                raise
            except Exception as exc:  # noqa: BLE001 - any failure of the cluster or the task
                part = by_key.get(future.key)
                where = part.describe() if part else future.key
                raise AnalyticsError(
                    f"extracting {where} failed on the cluster ({type(exc).__name__}: {exc}); "
                    f"the {len(done)} partitions extracted are kept in {run_dir}: run the same "
                    f"command again to go on from there") from None
            done.append(result)
            if on_part is not None:
                on_part(result)
    finally:
        client.cancel([f for f in futures if not f.done()])
    return done


def ingest(inputs: Sequence[str], store_path: Path, *, on_error: Callable[[AnalyticsError], None],
           published: dt.date | None = None, force: bool = False, scheduler: str | None = None,
           workers: int | None = None, target_bytes: int | None = None, client=None,
           on_part: Callable[[PartDone], None] | None = None,
           on_wait: Callable[[], None] | None = None) -> IngestSummary:
    """`analytics ingest --engine dask`: extract on the cluster, then load the store in one
    step. Errors in the input go to `on_error`, as in the single-process path. `client`: a
    connected Dask client to use (else one is made from `scheduler` or `workers`)."""
    parts = plan(inputs, target_bytes, published)
    run_dir = runs_dir(store_path) / run_key(parts)
    if client is not None:
        extract_to_parts(client, parts, run_dir, published, on_part)
    else:
        with dask_client(scheduler, workers) as own:
            extract_to_parts(own, parts, run_dir, published, on_part)
    summary = load_parts(store_path, [part_file(run_dir, p) for p in parts], force=force,
                         on_error=on_error, on_wait=on_wait)
    shutil.rmtree(run_dir, ignore_errors=True)
    try:
        runs_dir(store_path).rmdir()  # only when no other run's parts are left
    except OSError:
        pass
    return summary
