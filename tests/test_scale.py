"""Distributed extraction (`analytics ingest --engine dask`, analytics.scale): partitions that
read back exactly as the single-process reader reads, records identical to the single-process
run, and runs that survive a killed worker or a crashed driver with every article stored once.

The cluster tests share one LocalCluster of two worker processes (module-scoped: starting one
costs seconds)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from analytics.errors import AnalyticsError, IngestError, StoreError
from analytics.ingest import read_articles
from analytics.scale import (
    dask_client,
    extract_to_parts,
    ingest,
    part_file,
    plan,
    read_partition,
    run_key,
    runs_dir,
)
from analytics.store import TABLES, Store
from analytics.store.bulk import load_parts

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "data" / "sample" / "articles.jsonl"
CLI = [sys.executable, "-m", "analytics"]
SMALL = 16 * 1024        # bytes per partition in these tests: many partitions from little input

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


def jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def record(article_id: str, text: str = "عقد وزير الخارجية اجتماعا في القاهرة اليوم.") -> str:
    return json.dumps({"id": article_id, "text": text, "published": "2016-04-21"},
                      ensure_ascii=False)


def copies(tmp_path: Path, times: int) -> tuple[Path, list[str]]:
    """The sample corpus `times` over, with new ids: a run long enough to interrupt."""
    lines, ids = [], []
    samples = [json.loads(x) for x in SAMPLE.read_text(encoding="utf-8").splitlines() if x]
    for n in range(times):
        for obj in samples:
            obj = {**obj, "id": f"{obj['id']}-copy{n}"}
            lines.append(json.dumps(obj, ensure_ascii=False))
            ids.append(obj["id"])
    return jsonl(tmp_path / "copies.jsonl", lines), ids


def stored_ids(db: Path) -> list[str]:
    with Store.open(db, read_only=True) as store:
        return list(store.query("SELECT id FROM articles ORDER BY id")["id"])


@pytest.fixture(scope="module")
def client():
    with dask_client(workers=2) as c:
        yield c


@pytest.fixture(scope="module")
def local_store(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("local") / "local.duckdb"
    subprocess.run([*CLI, "ingest", str(SAMPLE), "--db", str(db)], check=True,
                   capture_output=True, cwd=REPO)
    return db


@pytest.fixture(scope="module")
def dask_store(client, tmp_path_factory) -> Path:
    """The sample corpus in 7 partitions over two workers."""
    db = tmp_path_factory.mktemp("dask") / "dask.duckdb"
    summary = ingest([str(SAMPLE)], db, on_error=pytest.fail, target_bytes=SMALL, client=client)
    assert summary.stored == 92
    return db


# ---------------------------------------------------------------- partitions

def test_byte_ranges_cover_a_jsonl_file_once_cut_at_line_ends():
    parts = plan([str(SAMPLE)], target=SMALL)
    data = SAMPLE.read_bytes()
    assert len(parts) > 4
    assert [p.start for p in parts] == [0] + [p.end for p in parts[:-1]]
    assert parts[-1].end == len(data)
    assert all(data[p.end - 1:p.end] == b"\n" for p in parts)
    assert [p.first_line for p in parts] == [data[:p.start].count(b"\n") + 1 for p in parts]


def test_partitions_read_back_the_articles_and_errors_of_the_single_process_reader(tmp_path):
    lines = ["\ufeff" + record("a1"), "{not json", "", record("a2", ""), record("a3"),
             "[1, 2]", record("a4"), record("a5")] * 3
    lines = [line.replace('"a', f'"x{n}-a') for n, line in enumerate(lines)]
    path = jsonl(tmp_path / "mixed.jsonl", lines)
    expected = [str(x) for x in read_articles([str(path)])]
    parts = plan([str(path)], target=200)
    assert len(parts) > 3
    got = [str(item) for p in parts for item, _, _ in read_partition(p)]
    assert got == expected


def test_small_files_are_grouped_and_a_missing_file_is_reported_by_the_reader(tmp_path):
    for n in range(3):
        (tmp_path / f"t{n}.txt").write_text("اجتمع الوزير في القاهرة.", encoding="utf-8")
    parts = plan([str(tmp_path), str(tmp_path / "missing.jsonl")], target=1 << 20)
    assert len(parts) == 1 and len(parts[0].files) == 4
    items = [item for item, _, _ in read_partition(parts[0])]
    assert [i.id for i in items[:3]] == ["t0", "t1", "t2"]
    assert isinstance(items[3], IngestError) and "no such file" in str(items[3])


def test_a_worker_elsewhere_reads_relative_names_and_reports_them_as_given(tmp_path,
                                                                           monkeypatch):
    """Workers of a remote cluster do not share the command's working directory."""
    (tmp_path / "in").mkdir()
    jsonl(tmp_path / "in" / "a.jsonl", [record("a1"), "{broken"] * 3000)
    jsonl(tmp_path / "in" / "b.jsonl", [record("b1"), "{broken"])
    monkeypatch.chdir(tmp_path)
    parts = plan(["in/a.jsonl", "in/b.jsonl"], target=64 * 1024)
    assert parts[0].start is not None and parts[-1].start is None
    monkeypatch.chdir(tmp_path / "in")
    items = [item for p in (parts[0], parts[-1]) for item, _, _ in read_partition(p)]
    assert items[0].id == "a1"
    assert str(items[1]).startswith("in/a.jsonl:2: not valid JSON")
    assert str(items[-1]).startswith("in/b.jsonl:2: not valid JSON")


def test_a_changed_input_gets_new_partition_keys(tmp_path):
    path = jsonl(tmp_path / "a.jsonl", [record("a1")])
    before = plan([str(path)])
    jsonl(path, [record("a1"), record("a2")])
    assert plan([str(path)])[0].key != before[0].key


def test_standard_input_is_refused_with_what_to_do():
    with pytest.raises(AnalyticsError, match="save the JSONL to a file"):
        plan(["-"])


# ---------------------------------------------------------------- the same records

def test_two_workers_store_the_records_of_the_single_process_run(tmp_path, local_store):
    db = tmp_path / "dask.duckdb"
    done = subprocess.run([*CLI, "ingest", str(SAMPLE), "--db", str(db), "--engine", "dask"],
                          check=False, capture_output=True, text=True, cwd=REPO, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "stored 92" in done.stdout
    events = [subprocess.run([*CLI, "events", "--db", str(d)], capture_output=True, text=True,
                             check=True, cwd=REPO).stdout for d in (local_store, db)]
    assert events[0].count("\n") > 200
    assert events[1] == events[0]
    assert not runs_dir(db).exists()


# What a table holds, but for when each row was stored (which differs between two runs).
def comparable(table) -> str:
    kept = [f'"{c.name}"' for c in table.columns if c.sql_type != "TIMESTAMP"]
    return f"SELECT {', '.join(kept)} FROM {table.name}"


@pytest.mark.parametrize("table", [t for t in TABLES if t.name != "meta"],
                         ids=lambda t: t.name)
def test_every_table_matches_the_single_process_run(local_store, dask_store, table):
    rows = []
    for d in (local_store, dask_store):
        with Store.open(d, read_only=True) as store:
            df = store.query(comparable(table))
            rows.append(sorted(map(repr, df.itertuples(index=False))))
    assert rows[1] == rows[0]


def test_an_id_read_twice_keeps_the_first_article_and_reports_the_second(client, tmp_path):
    first = jsonl(tmp_path / "first.jsonl", [record("dup", "اجتمع الوزير في القاهرة.")])
    second = jsonl(tmp_path / "second.jsonl", [record("other"), record("dup")])
    errors: list[AnalyticsError] = []
    ingest([str(first), str(second)], tmp_path / "s.duckdb", on_error=errors.append,
           target_bytes=64, client=client)
    local = [e for e in read_articles([str(first), str(second)]) if isinstance(e, IngestError)]
    assert [str(e) for e in errors] == [str(e) for e in local]
    with Store.open(tmp_path / "s.duckdb", read_only=True) as store:
        texts = store.query("SELECT id, text FROM articles ORDER BY id").values.tolist()
    assert texts == [["dup", "اجتمع الوزير في القاهرة."],
                     ["other", "عقد وزير الخارجية اجتماعا في القاهرة اليوم."]]


# ---------------------------------------------------------------- faults and resume

def test_a_worker_killed_mid_run_loses_and_repeats_no_article(client, tmp_path):
    corpus, ids = copies(tmp_path, 6)
    db = tmp_path / "killed.duckdb"
    parts = plan([str(corpus)], target=SMALL)
    run_dir = runs_dir(db) / run_key(parts)
    result: dict = {}

    def run() -> None:
        try:
            result["summary"] = ingest([str(corpus)], db, on_error=pytest.fail,
                                       target_bytes=SMALL, client=client)
        except BaseException as exc:  # noqa: BLE001 - handed to the test's thread
            result["error"] = exc

    worker_pids = client.run(os.getpid)
    thread = threading.Thread(target=run)
    thread.start()
    deadline = time.monotonic() + 120
    while len(list(run_dir.glob("part-*.parquet"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    written_at_kill = len(list(run_dir.glob("part-*.parquet")))
    os.kill(next(iter(worker_pids.values())), signal.SIGKILL)
    thread.join(300)
    assert 0 < written_at_kill < len(parts), "the kill must fall within the run"
    assert "error" not in result, result.get("error")
    assert result["summary"].stored == len(ids)
    assert stored_ids(db) == sorted(ids)


def test_a_crashed_run_started_again_extracts_only_what_is_missing(client, tmp_path):
    corpus, ids = copies(tmp_path, 2)
    db = tmp_path / "crashed.duckdb"
    parts = plan([str(corpus)], target=SMALL)
    run_dir = runs_dir(db) / run_key(parts)
    seen = []

    def crash_after_three(done) -> None:
        seen.append(done)
        if len(seen) == 3:
            raise KeyboardInterrupt  # the driver dies; the parts written stay

    with pytest.raises(KeyboardInterrupt):
        extract_to_parts(client, parts, run_dir, on_part=crash_after_three)
    assert not db.exists()
    kept = {p.name for p in run_dir.glob("part-*.parquet")}
    assert len(kept) >= 3

    extracted = []
    ingest([str(corpus)], db, on_error=pytest.fail, target_bytes=SMALL, client=client,
           on_part=lambda done: done.reused or extracted.append(done))
    # (Tasks already running when the driver died may finish their parts meanwhile.)
    assert {part_file(run_dir, parts[d.index]).name for d in extracted}.isdisjoint(kept)
    assert len(extracted) <= len(parts) - len(kept)
    assert stored_ids(db) == sorted(ids)

    again = ingest([str(corpus)], db, on_error=pytest.fail, target_bytes=SMALL, client=client)
    assert (again.stored, again.unchanged) == (0, len(ids))
    assert stored_ids(db) == sorted(ids)


def test_a_load_that_fails_midway_leaves_the_store_as_it_was(client, tmp_path):
    corpus, _ = copies(tmp_path, 1)
    db = tmp_path / "s.duckdb"
    ingest([str(SAMPLE)], db, on_error=pytest.fail, client=client)
    before = stored_ids(db)
    parts = plan([str(corpus)], target=SMALL)
    run_dir = runs_dir(db) / run_key(parts)
    extract_to_parts(client, parts, run_dir)
    files = [part_file(run_dir, p) for p in parts]
    files[-1].write_bytes(b"not parquet")
    with pytest.raises(StoreError, match="delete it and run the ingest again"):
        load_parts(db, files, on_error=pytest.fail)
    assert stored_ids(db) == before
