"""`analytics ingest` and `analytics events` through the real command, in subprocesses, on real
store files. The extractor is the real one: these tests check that the store keeps what
`analytics extract` finds, whatever that is today, not what it should find."""

from __future__ import annotations

import csv
import fcntl
import io
import json
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

import duckdb
import pytest

from analytics.cli.events import CSV_COLUMNS

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "data" / "sample" / "articles.jsonl"

ARTICLES = [
    {"id": "oic-1", "published": "2016-04-21", "title": "منتدى في باكو", "source": "test",
     "text": "أعلنت منظمة التعاون الإسلامي أن المنتدى العالمي السابع لتحالف الحضارات سيعقد "
             "في باكو يومي 25 و26 أبريل الجاري بمشاركة أكثر من 3000 شخص."},
    {"id": "al-2", "published": "2017-03-01",
     "text": "عقد مجلس جامعة الدول العربية اجتماعا طارئا في القاهرة أمس لبحث الأوضاع في "
             "المنطقة."},
    {"id": "un-3", "published": "2017-05-10",
     "text": "افتتح وزير الثقافة معرض الكتاب الدولي بحضور عدد من السفراء."},
]
CONTRACT_FIELDS = ("type", "name", "start", "end", "status", "venue", "participants", "actors",
                   "themes", "evidence", "confidence")


def run_cli(*args: object, cwd: Path, stdin: str | None = None, env: dict | None = None
              ) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "ANALYTICS_DB"}
    environment.update(env or {})
    return subprocess.run([sys.executable, "-m", "analytics", *map(str, args)], cwd=cwd,
                          check=False, input=stdin, capture_output=True, text=True, encoding="utf-8",
                          env=environment, timeout=300)


def write_jsonl(path: Path, articles: list[dict]) -> Path:
    path.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles),
                    encoding="utf-8")
    return path


def events_of(db: Path, cwd: Path) -> list[dict]:
    out = run_cli("events", "--db", db, cwd=cwd)
    assert out.returncode == 0, out.stderr
    return [json.loads(line) for line in out.stdout.splitlines()]


@pytest.fixture
def articles(tmp_path) -> Path:
    return write_jsonl(tmp_path / "articles.jsonl", ARTICLES)


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "store" / "analytics.duckdb"


def test_the_store_keeps_the_events_extract_finds(tmp_path, articles, db):
    extracted = run_cli("extract", articles, cwd=tmp_path)
    expected = [{k: e[k] for k in CONTRACT_FIELDS} | {"article_id": line["article"]["id"]}
                for line in map(json.loads, extracted.stdout.splitlines())
                for e in line["events"]]
    assert expected, "the extractor found no event in these articles: pick others"
    ingested = run_cli("ingest", articles, "--db", db, cwd=tmp_path)
    assert ingested.returncode == 0, ingested.stderr
    stored = events_of(db, tmp_path)
    assert [{k: e[k] for k in CONTRACT_FIELDS} | {"article_id": e["sources"][0]["article_id"]}
            for e in stored] == expected
    assert all(e["id"].startswith("ev-") and len(e["sources"]) == 1 for e in stored)


def test_ingest_prints_one_summary_line(tmp_path, articles, db):
    out = run_cli("ingest", articles, "--db", db, cwd=tmp_path)
    assert out.returncode == 0
    assert out.stdout.startswith(
        "analytics ingest: read 3, stored 3, replaced 0, skipped 0 unchanged, failed 0;")
    assert len(out.stdout.splitlines()) == 1


def test_ingesting_again_skips_every_article_and_changes_no_event(tmp_path, articles, db):
    run_cli("ingest", articles, "--db", db, cwd=tmp_path)
    before = run_cli("events", "--db", db, cwd=tmp_path).stdout
    again = run_cli("ingest", articles, "--db", db, cwd=tmp_path)
    assert "read 3, stored 0, replaced 0, skipped 3 unchanged, failed 0" in again.stdout
    assert run_cli("events", "--db", db, cwd=tmp_path).stdout == before


def test_a_changed_article_is_replaced_and_the_others_skipped(tmp_path, articles, db):
    run_cli("ingest", articles, "--db", db, cwd=tmp_path)
    others = [e for e in events_of(db, tmp_path) if e["sources"][0]["article_id"] != "un-3"]
    changed = [*ARTICLES[:2], ARTICLES[2] | {"text": "خبر آخر لا حدث فيه."}]
    out = run_cli("ingest", write_jsonl(tmp_path / "changed.jsonl", changed), "--db", db,
                    cwd=tmp_path)
    assert "read 3, stored 0, replaced 1, skipped 2 unchanged" in out.stdout
    assert events_of(db, tmp_path) == others


def test_articles_are_read_from_standard_input(tmp_path, articles, db):
    out = run_cli("ingest", "-", "--db", db, cwd=tmp_path,
                    stdin=articles.read_text(encoding="utf-8"))
    assert "stored 3" in out.stdout, out.stderr


def test_a_bad_article_is_reported_the_others_stored_and_the_exit_status_is_1(tmp_path, db):
    path = tmp_path / "mixed.jsonl"
    path.write_text(json.dumps(ARTICLES[0], ensure_ascii=False) + "\n{not json\n"
                    + json.dumps(ARTICLES[1], ensure_ascii=False) + "\n", encoding="utf-8")
    out = run_cli("ingest", path, "--db", db, cwd=tmp_path)
    assert out.returncode == 1
    assert f"{path}:2" in out.stderr and "Traceback" not in out.stderr
    assert "read 3, stored 2, replaced 0, skipped 0 unchanged, failed 1" in out.stdout


def test_the_default_store_is_analytics_db_or_data_under_the_working_directory(tmp_path,
                                                                                articles):
    run_cli("ingest", articles, cwd=tmp_path)
    assert (tmp_path / "data" / "analytics.duckdb").exists()
    elsewhere = tmp_path / "elsewhere.duckdb"
    run_cli("ingest", articles, cwd=tmp_path, env={"ANALYTICS_DB": str(elsewhere)})
    assert elsewhere.exists()
    assert events_of(elsewhere, tmp_path) == events_of(tmp_path / "data" / "analytics.duckdb",
                                                       tmp_path)


def test_events_as_csv_has_one_utf8_row_per_event(tmp_path, articles, db):
    run_cli("ingest", articles, "--db", db, cwd=tmp_path)
    jsonl = events_of(db, tmp_path)
    raw = subprocess.run([sys.executable, "-m", "analytics", "events", "--db", str(db),
                          "--format", "csv"], capture_output=True, cwd=tmp_path, check=True)
    rows = list(csv.DictReader(io.StringIO(raw.stdout.decode("utf-8"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [r["id"] for r in rows] == [e["id"] for e in jsonl]
    assert [r["name"] for r in rows] == [e["name"] or "" for e in jsonl]
    assert rows[0]["sources"] == "{}:{}-{}".format(
        jsonl[0]["sources"][0]["article_id"], *jsonl[0]["evidence"][0].values())


def test_events_of_a_missing_store_says_how_to_build_it(tmp_path):
    out = run_cli("events", "--db", tmp_path / "none.duckdb", cwd=tmp_path)
    assert out.returncode == 1
    assert "analytics ingest" in out.stderr and "Traceback" not in out.stderr


def test_an_old_store_is_refused_then_rebuilt_by_ingest_rebuild(tmp_path, articles, db):
    run_cli("ingest", articles, "--db", db, cwd=tmp_path)
    before = events_of(db, tmp_path)
    con = duckdb.connect(str(db))
    con.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    con.close()

    refused = run_cli("events", "--db", db, cwd=tmp_path)
    assert refused.returncode == 1 and refused.stdout == ""
    assert f"analytics ingest --rebuild --db {db}" in refused.stderr
    refused = run_cli("ingest", articles, "--db", db, cwd=tmp_path)
    assert refused.returncode == 1 and "--rebuild" in refused.stderr

    rebuilt = run_cli("ingest", "--rebuild", "--db", db, cwd=tmp_path)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "read 3, stored 3" in rebuilt.stdout
    assert events_of(db, tmp_path) == before


def test_rebuild_if_outdated_leaves_a_current_store_and_rebuilds_an_old_one(
        tmp_path, articles, db):
    """What `make run` and `make test` do with an existing store."""
    run_cli("ingest", articles, "--db", db, cwd=tmp_path)
    before = events_of(db, tmp_path)
    untouched = db.stat().st_mtime_ns
    current = run_cli("ingest", "--rebuild", "--if-outdated", "--db", db, cwd=tmp_path)
    assert (current.returncode, current.stdout, current.stderr) == (0, "", "")
    assert db.stat().st_mtime_ns == untouched

    con = duckdb.connect(str(db))
    con.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    con.close()
    rebuilt = run_cli("ingest", "--rebuild", "--if-outdated", "--db", db, cwd=tmp_path)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "written by an older analytics" in rebuilt.stderr
    assert events_of(db, tmp_path) == before


def test_ingest_without_input_says_what_to_give(tmp_path):
    out = run_cli("ingest", cwd=tmp_path)
    assert out.returncode != 0 and "INPUT" in out.stderr


def test_help_states_the_exit_status(tmp_path):
    out = run_cli("ingest", "--help", cwd=tmp_path)
    assert "Exit status" in out.stdout and "any article failed" in out.stdout


def _stderr_of_ingest(tmp_path: Path, articles: Path, db: Path, *, tty: bool) -> str:
    cmd = [sys.executable, "-m", "analytics", "ingest", str(articles), "--db", str(db)]
    if not tty:
        return subprocess.run(cmd, capture_output=True, text=True, cwd=tmp_path,
                              check=False).stderr
    leader, follower = pty.openpty()
    # A terminal of 24 rows and 80 columns, as a real one reports (a bare pty says 0 x 0).
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=follower, cwd=tmp_path)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closes when the process exits
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait()
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


def test_a_progress_bar_is_drawn_only_on_a_terminal(tmp_path, articles, db):
    assert " articles/s" in _stderr_of_ingest(tmp_path, articles, db, tty=True)
    assert " articles/s" not in _stderr_of_ingest(tmp_path, articles, db.with_name("b.duckdb"),
                                                  tty=False)


@pytest.mark.skipif(not SAMPLE.exists(), reason="data/sample/articles.jsonl not written yet")
def test_the_sample_articles_ingest_without_failure(tmp_path):
    db = tmp_path / "sample.duckdb"
    out = run_cli("ingest", SAMPLE, "--db", db, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    lines = sum(1 for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip())
    assert f"read {lines}, stored {lines}, replaced 0, skipped 0 unchanged, failed 0" in (
        out.stdout)
    assert len(events_of(db, tmp_path)) > 0
