"""`analytics upgrade [--db PATH]`: bring a store written by an older analytics to this version's
schema without extracting its articles again (analytics.store.upgrade).

Input: the store. Output: the upgraded store, swapped in whole; one line on standard output
saying what was done.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "upgrade", help="upgrade a store written by an older analytics",
        description="Upgrade the store to this version's schema in place of rebuilding it: "
                    "what the new schema adds is computed from what the store holds. "
                    "Dashboards keep reading the old store until the upgraded one is "
                    "swapped in. A store too old for that says so: rebuild it with "
                    "`analytics ingest --rebuild`.")
    p.add_argument("--db", type=Path, metavar="PATH",
                   help="the store (default: $ANALYTICS_DB, else data/analytics.duckdb)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from analytics.store import default_db
    from analytics.store.schema import SCHEMA_VERSION
    from analytics.store.upgrade import missing_indexes, upgrade

    path = args.db or default_db()
    started = time.perf_counter()
    lacking = missing_indexes(path) if path.exists() else []
    reached = upgrade(path)
    if not reached and lacking:
        print(f"{path}: at store schema {SCHEMA_VERSION}; added its {len(lacking)} missing "
              f"lookup indexes in {time.perf_counter() - started:.1f} s")
    elif not reached:
        print(f"{path}: already at store schema {SCHEMA_VERSION}; nothing to do")
    else:
        print(f"{path}: upgraded to store schema {reached[-1]} in "
              f"{time.perf_counter() - started:.1f} s")
    return 0
