"""A read-only view of one version of the store file.

Input: the store's path. Output: a DuckDB connection to the file as it was when opened, with the
store's tables reachable without a catalog prefix.

Each snapshot is its own in-memory DuckDB instance that ATTACHes the file read-only. Connecting
to the path directly would not do: DuckDB caches one instance per path in a process, so a
process that still held a connection to the old file would be handed the old file again after a
writer swapped a new one in.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import duckdb

from analytics.errors import StoreError
from analytics.store import files

CATALOG = "store"


class Locked(StoreError):
    """Another program holds DuckDB's write lock on the file itself (not an analytics writer,
    which writes to a copy): worth retrying for a while."""


def _spill_directory() -> Path:
    return Path(tempfile.gettempdir()) / f"analytics-duckdb-{os.getuid()}"


def open_snapshot(path: Path) -> tuple[duckdb.DuckDBPyConnection, tuple[int, int, int, int]]:
    """The store as it is now, and the identity of the file opened (to notice a newer one)."""
    identity = files.file_identity(path)
    if identity is None:
        raise StoreError(f"no store at {path}: build one with `analytics ingest INPUT... "
                         f"--db {path}` (e.g. analytics ingest data/sample --db {path})")
    # No memory limit: with one (1 GB), a reader under load re-read evicted blocks while a
    # writer swapped the file and failed with "Could not read enough bytes" (2 runs in 19 of
    # tests/test_store_concurrency.py); without, 0 in 8, at up to 1.9 GB at a million events.
    # Should DuckDB spill, it does so into the system's temporary directory, not the ".tmp"
    # its default makes in whatever directory the dashboard was started from.
    con = duckdb.connect(":memory:", config={"temp_directory": str(_spill_directory())})
    try:
        # The identity is taken before the ATTACH: if a writer swaps the file in between, the
        # snapshot is newer than its identity says and the next query merely reopens.
        con.execute(f"ATTACH ? AS {CATALOG} (READ_ONLY)", [str(path)])
        con.execute(f"USE {CATALOG}")
    except duckdb.Error as exc:
        con.close()
        message = str(exc)
        if "lock" in message.lower():
            raise Locked(f"{path} is locked for writing by another program ({message}); close "
                         f"that program (a DuckDB shell or script that opened the file "
                         f"read-write) and try again") from None
        if "does not exist" in message:
            return open_snapshot(path)  # swapped away between stat and ATTACH: look again
        raise StoreError(f"{path} cannot be read as a DuckDB database ({message}); pass "
                         f"another --db, or move this file away") from None
    return con, identity
