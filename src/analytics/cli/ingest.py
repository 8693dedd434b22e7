"""`analytics ingest INPUT... [--db PATH]`: read articles, extract, store.

Input: article files (the formats of `analytics extract`). Output: the store at --db, a progress
bar on standard error when it is a terminal, errors on standard error, and one summary line on
standard output. Articles
already stored with the same text and metadata are skipped before extraction.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from analytics.cli.extract import iso_date
from analytics.errors import AnalyticsError, StoreError
from analytics.ingest import read_articles
from analytics.model import Article
from analytics.pipeline import process

if TYPE_CHECKING:
    from analytics.store import IngestSummary

BATCH = 256


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "ingest", help="extract events and entities from articles and store them",
        description="Read articles, extract events and entities, and store them in the "
                    "embedded store. Idempotent: an article already stored with the same id, "
                    "text and metadata is skipped; one whose text changed replaces all its "
                    "records. The dashboard can stay open meanwhile: it shows the new data "
                    "after a refresh.",
        epilog="Exit status: 0 when every article was stored or skipped as unchanged, 1 when "
               "any article failed (each failure is reported on standard error; the others "
               "are stored), 2 for bad arguments.")
    p.add_argument("inputs", nargs="*", metavar="INPUT",
                   help=".txt, .jsonl, .csv or .html files, directories of them, or - for "
                        "JSONL on standard input")
    p.add_argument("--db", type=Path, metavar="PATH",
                   help="the store (default: $ANALYTICS_DB, else data/analytics.duckdb); "
                        "created when missing")
    p.add_argument("--published", type=iso_date, metavar="YYYY-MM-DD",
                   help="publication date for .txt/.html input")
    p.add_argument("--force", action="store_true",
                   help="re-extract and replace articles even when unchanged (after an "
                        "upgrade of the extractor)")
    p.add_argument("--rebuild", action="store_true",
                   help="build the store anew from the articles it holds (and any INPUT), "
                        "re-extracting them all; also the way to upgrade a store written by "
                        "an older version")
    p.add_argument("--if-outdated", action="store_true",
                   help="with --rebuild: rebuild only a store written by an older version "
                        "(another schema), and leave a current one as it is; a store that "
                        "`analytics upgrade` can bring up to date is upgraded, not rebuilt")
    p.add_argument("--engine", choices=["local", "dask"], default="local",
                   help="local: extract in this process (default); dask: on a Dask cluster "
                        "(a local one, one worker process per core, unless --scheduler), "
                        "loading the store in one step when all is extracted; a run "
                        "interrupted during extraction goes on where it stopped when "
                        "started again")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="with --engine dask: the address of a running Dask scheduler "
                        "(tcp://host:8786); its workers must see the INPUT files and the "
                        "store's directory at the same paths")
    p.set_defaults(run=run)


class Progress:
    """A progress bar on standard error when it is a terminal; silent otherwise (logs, CI)."""

    def __init__(self) -> None:
        self._bar = None
        if sys.stderr.isatty():
            from tqdm import tqdm  # only for terminals: keeps imports light in scripts
            self._bar = tqdm(unit=" articles", file=sys.stderr, dynamic_ncols=True)

    def update(self, n: int) -> None:
        if self._bar is not None:
            self._bar.update(n)

    def say(self, message: str) -> None:
        if self._bar is not None:
            self._bar.write(message, file=sys.stderr)
        else:
            print(message, file=sys.stderr)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


class Reporter(Progress):
    """The progress bar, plus the run's errors: each said on standard error and counted."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.failed = 0

    def report(self, err: AnalyticsError) -> None:
        self.failed += 1
        self.say(f"analytics ingest: {err}")

    def waiting(self) -> None:
        self.say(f"analytics ingest: waiting for another ingest into {self.path} to finish")


def finish(path: Path, s: IngestSummary, failed: int) -> int:
    """The summary line, with what the store now holds; the exit status."""
    from analytics.store import IngestSummary, Store

    summary = IngestSummary(read=s.read + failed, stored=s.stored, replaced=s.replaced,
                            unchanged=s.unchanged, failed=failed)
    with Store.open(path, read_only=True) as reader:
        counts = reader.counts()
    print(f"analytics ingest: {summary.line()}; {path} holds {counts['articles']} articles, "
          f"{counts['events']} events")
    return 1 if failed else 0


def run(args: argparse.Namespace) -> int:
    # Imported here, so that other commands never load DuckDB.
    from analytics.store import Store, default_db, read_stored_articles
    from analytics.store.database import batches

    if not args.inputs and not args.rebuild:
        raise AnalyticsError("no INPUT given: name article files or directories, or - for "
                             "JSONL on standard input (or use --rebuild)")
    path: Path = args.db or default_db()
    if args.engine == "dask" or args.scheduler:
        return run_dask(args, path)
    articles: Iterable[Article | AnalyticsError] = (
        read_articles(args.inputs, published=args.published) if args.inputs else ())
    if args.if_outdated and not args.rebuild:
        raise AnalyticsError("--if-outdated goes with --rebuild")
    if args.rebuild:
        if not path.exists():
            raise StoreError(f"no store at {path} to rebuild; ingest your files into it "
                             f"without --rebuild")
        if args.if_outdated:
            if _is_current(path):
                return 0
            from analytics.store.upgrade import stored_version, upgradable, upgrade
            if not args.inputs and upgradable(stored_version(path)):
                # What the new schema adds comes from the store itself: seconds, where
                # re-extracting every article takes as long as the first ingest did.
                print(f"analytics ingest: {path} was written by an older analytics: upgrading "
                      "it in place", file=sys.stderr)
                upgrade(path)
                return 0
            print(f"analytics ingest: {path} was written by an older analytics: rebuilding it "
                  "from the articles it holds", file=sys.stderr)
        articles = itertools.chain(read_stored_articles(path), articles)
        store = Store(path, read_only=False, retry_seconds=10.0)  # its schema may be old
    else:
        store = Store.open(path)

    progress = Reporter(path)
    try:
        with store.writing(fresh=args.rebuild, force=args.force,
                           on_wait=progress.waiting) as writer:
            for batch in batches(articles, BATCH):
                readable = [a for a in batch if isinstance(a, Article)]
                skip = writer.unchanged(readable)
                todo: Iterator[Article | AnalyticsError] = (
                    a for a in batch if not (isinstance(a, Article) and a.id in skip))
                writer.write(process(todo, progress.report))
                progress.update(len(batch))
    finally:
        progress.close()
    return finish(path, writer.summary, progress.failed)


def _is_current(path: Path) -> bool:
    """Does the store at `path` have this version's schema? (Other problems with it are
    raised, with their own message.)"""
    from analytics.store import SchemaMismatch, Store
    try:
        Store.open(path, read_only=True).close()
    except SchemaMismatch:
        return False
    return True


def run_dask(args: argparse.Namespace, path: Path) -> int:
    """`--engine dask`: see analytics.scale.runner."""
    from analytics.scale import ingest as ingest_on_dask

    if args.rebuild:
        raise AnalyticsError("--rebuild runs with --engine local only: drop --engine dask")
    if args.engine != "dask":
        raise AnalyticsError("--scheduler needs --engine dask")
    progress = Reporter(path)
    try:
        s = ingest_on_dask(args.inputs, path, on_error=progress.report,
                           published=args.published, force=args.force,
                           scheduler=args.scheduler,
                           on_part=lambda done: progress.update(done.articles),
                           on_wait=progress.waiting)
    finally:
        progress.close()
    return finish(path, s, progress.failed)
