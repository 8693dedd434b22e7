"""Where the store's file goes: `--db new/dir/x.duckdb` makes its directories (as `mkdir -p`
would), and a directory that cannot be made is a StoreError naming the path and what to do,
never a bare OSError."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analytics.errors import StoreError
from analytics.store import Store
from test_store import meeting_in_cairo

SCRIPT = Path(sys.executable).parent / "analytics"


def test_a_store_in_a_directory_that_does_not_exist_yet_creates_it(tmp_path):
    path = tmp_path / "new" / "dir" / "x.duckdb"
    with Store.open(path) as store:
        store.ingest([meeting_in_cairo()])
        assert store.counts()["events"] == 1
    assert path.is_file()


def test_writing_after_the_directory_was_removed_makes_it_again(tmp_path):
    path = tmp_path / "gone" / "x.duckdb"
    store = Store.open(path)
    shutil.rmtree(path.parent)
    with store.writing() as writer:
        writer.write([meeting_in_cairo()])
    assert store.counts()["events"] == 1
    store.close()


def test_a_directory_that_cannot_be_made_is_a_store_error_naming_the_path(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    path = blocker / "sub" / "x.duckdb"
    with pytest.raises(StoreError) as err:
        Store.open(path)
    assert str(path) in str(err.value)
    assert "--db" in str(err.value)  # what to do


def test_ingest_into_an_impossible_directory_says_so_and_fails(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    article = tmp_path / "cairo.txt"
    article.write_text("عقدت منظمة التعاون الإسلامي اجتماعا في القاهرة.", encoding="utf-8")
    done = subprocess.run([str(SCRIPT), "ingest", str(article), "--db",
                           str(blocker / "x.duckdb")], capture_output=True, text=True, check=False,
                          timeout=300)
    assert done.returncode != 0
    assert "cannot create its directory" in done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
