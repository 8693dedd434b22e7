"""The store's files: the writer lock, private working copies, and the atomic swap.

Input: the store's path. Output: an exclusive writer lock on a sidecar file, a working copy
beside the store, and `publish`, which makes a closed working copy the store in one
`os.replace`. Readers only ever open the store's path, which always names a complete,
checkpointed file: the old one or the new one, never a half-written one.

Files beside `data/analytics.duckdb`:
- `analytics.duckdb.lock`: held (flock, exclusive) by the one writer at a time; never deleted,
  since deleting a lock file lets two processes lock two different files.
- `analytics.duckdb.writing-<pid>-<n>` (and its `.wal`): a writer's working copy; one left by a
  killed writer is removed by the next writer (it holds the lock, so no one else uses it).

POSIX only (flock, rename over an open file); that is where the store runs.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from collections.abc import Callable
from itertools import count
from pathlib import Path

from analytics.errors import StoreError

_copies = count()


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


def make_directory(path: Path) -> None:
    """The directory of the store at `path`, created when missing (`--db new/dir/x.duckdb`
    makes its directories, as `mkdir -p` would). Raises StoreError, naming the path, when it
    cannot be made: a parent is a file, or is not writable."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"{path}: cannot create its directory {path.parent} "
                         f"({exc.strerror or exc}); give --db (or ANALYTICS_DB) a path in a "
                         f"directory you can write to") from None


class WriterLock:
    """An exclusive lock on the store for writing: two ingests run one after the other."""

    def __init__(self, path: Path) -> None:
        self.path = lock_path(path)
        self._fd: int | None = None

    def acquire(self, on_wait: Callable[[], None] | None = None,
                timeout: float | None = None) -> None:
        make_directory(self.path)
        try:
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot create the writer lock ({exc.strerror}); "
                             f"check that the directory is writable") from None
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if on_wait is not None:
                on_wait()
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if deadline is not None and time.monotonic() > deadline:
                    self.release()
                    raise StoreError(f"{self.path}: another ingest has been writing this store "
                                     f"for over {timeout:.0f} s; wait for it to finish and "
                                     f"try again") from None
                time.sleep(0.05)

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor releases the flock
            self._fd = None


def working_copy_path(path: Path) -> Path:
    return path.with_name(f"{path.name}.writing-{os.getpid()}-{next(_copies)}")


def remove_stale_copies(path: Path) -> None:
    """Working copies of writers that died (killed, power cut). Call only under the lock."""
    for stale in path.parent.glob(f"{path.name}.writing-*"):
        stale.unlink(missing_ok=True)


def copy_store(src: Path, dst: Path) -> float:
    """Copy the store into a working copy; returns the seconds it took. `copy_file_range` lets
    the kernel copy without passing through user space, and share blocks (a reflink) on file
    systems that can (XFS, Btrfs), where even a large store copies in milliseconds."""
    started = time.perf_counter()
    try:
        with open(src, "rb") as fin, open(dst, "wb") as fout:
            remaining = os.fstat(fin.fileno()).st_size
            while remaining > 0:
                n = os.copy_file_range(fin.fileno(), fout.fileno(), remaining)
                if n == 0:
                    break
                remaining -= n
    except OSError:
        # Older kernels and some file systems refuse copy_file_range: copy the plain way.
        shutil.copyfile(src, dst)
    return time.perf_counter() - started


def publish(copy: Path, path: Path) -> None:
    """Make the closed, checkpointed working copy the store: durable, then atomic."""
    wal = copy.with_name(copy.name + ".wal")
    if wal.exists():
        raise StoreError(f"{copy}: the working copy still has a write-ahead log after closing; "
                         f"not publishing it (the store at {path} is unchanged)")
    fd = os.open(copy, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(copy, path)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)  # the rename itself survives a power cut
    finally:
        os.close(dir_fd)


def file_identity(path: Path) -> tuple[int, int, int, int] | None:
    """What changes when a writer publishes: readers reopen when it does."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size)
