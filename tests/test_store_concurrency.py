"""Readers and writers at the same time, in real processes: the dashboard reads while
`analytics ingest` writes. No reader ever meets an error or a half-written article, two writers
lose nothing, a killed writer leaves the store whole, and new data shows at the next query.

Every article written here carries its own check: its text names the writing round, and its
mentions (one per occurrence of "القاهرة", 1 to 5 of them depending on the round) must all
index that text and number `articles.n_mentions`. A reader that saw a mix of two versions of an
article, or a round published halfway, would break one of these.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from analytics.model import Article, Extraction, Mention
from analytics.store import Store

# One row per article: how many mentions it should have, has, and has that index its text.
INVARIANT_SQL = """
SELECT a.id, a.title, a.n_mentions, count(m.article_id) AS n,
       count(m.article_id) FILTER (
           WHERE substr(a.text, m.start_offset + 1, m.end_offset - m.start_offset) = m.text
       ) AS ok
FROM articles a LEFT JOIN mentions m ON m.article_id = a.id
GROUP BY a.id, a.title, a.n_mentions
"""

COMMON = textwrap.dedent('''
    import json, sys, time
    from analytics.model import Article, Extraction, Mention
    from analytics.store import Store

    INVARIANT_SQL = """%s"""

    def extraction(article_id, round_):
        k = (int(article_id.split("-")[1]) + round_) %% 5 + 1
        text = f"الجولة {round_}: " + " ثم ".join(["اجتماع في القاهرة"] * k) + "."
        mentions, start = [], 0
        for _ in range(k):
            start = text.index("القاهرة", start)
            mentions.append(Mention(start, start + 7, "القاهرة", "place", "القاهرة", "Cairo",
                                    "test"))
            start += 7
        return Extraction(Article(article_id, text, title=f"round {round_}"),
                          entities=tuple(mentions))

    def violations(df):
        """Articles read half-written, and writers whose last round was read half-published."""
        bad = [r.id for r in df.itertuples() if not r.n_mentions == r.n == r.ok]
        for prefix in {i.split("-")[0] for i in df["id"]}:
            titles = set(df[df["id"].str.startswith(prefix + "-")]["title"])
            if len(titles) > 1:
                bad.append(f"{prefix}: rounds {sorted(titles)} mixed")
        return bad
''') % INVARIANT_SQL

WRITER = COMMON + textwrap.dedent('''
    db, prefix, rounds, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    with Store.open(db) as store:
        for r in range(1, rounds + 1):
            store.ingest([extraction(f"{prefix}-{i}", r) for i in range(n)], batch_size=n)
    print("done", rounds)
''')

READER = COMMON + textwrap.dedent('''
    db, stop = sys.argv[1], sys.argv[2]
    import os
    queries, seen, bad, errors = 0, set(), [], []
    with Store.open(db, read_only=True) as store:
        deadline = time.monotonic() + 60
        while not os.path.exists(stop) and time.monotonic() < deadline:
            try:
                df = store.query(INVARIANT_SQL)
            except Exception as exc:  # noqa: BLE001 - any error at all is what we look for
                errors.append(f"{type(exc).__name__}: {exc}")
                continue
            queries += 1
            bad += violations(df)
            seen.add(tuple(sorted(set(df["title"]))))
    print(json.dumps({"queries": queries, "versions": len(seen), "violations": bad[:10],
                      "errors": errors[:10]}))
''')


def start(script: str, *args: object) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", script, *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(proc: subprocess.Popen, timeout: float = 120) -> str:
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, err
    return out


def final_titles(db: Path) -> dict[str, set[str]]:
    with Store.open(db, read_only=True) as store:
        df = store.query("SELECT split_part(id, '-', 1) AS writer, title FROM articles")
    return {w: set(g["title"]) for w, g in df.groupby("writer")}


def assert_whole(db: Path) -> None:
    with Store.open(db, read_only=True) as store:
        df = store.query(INVARIANT_SQL)
    assert [r.id for r in df.itertuples() if not r.n_mentions == r.n == r.ok] == []
    for writer, titles in final_titles(db).items():
        assert len(titles) == 1, (writer, titles)


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "analytics.duckdb"
    Store.open(path).close()
    return path


def test_a_reader_process_never_sees_an_error_or_a_half_written_article(db, tmp_path):
    stop = tmp_path / "stop"
    reader = start(READER, db, stop)
    writer = start(WRITER, db, "w", 40, 60)
    finish(writer)
    stop.touch()
    report = json.loads(finish(reader))
    assert report["errors"] == []
    assert report["violations"] == []
    assert report["queries"] >= 10
    assert report["versions"] >= 3  # it did read while the writer wrote
    assert final_titles(db) == {"w": {"round 40"}}
    assert_whole(db)


def test_two_writer_processes_lose_nothing(db, tmp_path):
    stop = tmp_path / "stop"
    reader = start(READER, db, stop)
    writers = [start(WRITER, db, prefix, 15, 40) for prefix in ("a", "b")]
    for w in writers:
        finish(w)
    stop.touch()
    report = json.loads(finish(reader))
    assert (report["errors"], report["violations"]) == ([], [])
    assert final_titles(db) == {"a": {"round 15"}, "b": {"round 15"}}
    with Store.open(db, read_only=True) as store:
        assert store.counts()["articles"] == 80


def test_a_writer_killed_at_any_moment_leaves_each_article_old_or_new(db):
    for delay in (0.0, 0.15, 0.3, 0.5, 0.8, 1.2):
        writer = start(WRITER, db, "k", 1000, 120)
        time.sleep(0.6 + delay)  # the interpreter and the store start in about half a second
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        assert_whole(db)
    leftovers = [p.name for p in db.parent.iterdir() if ".writing-" in p.name]
    assert leftovers, "no kill landed while a working copy existed: raise the delays"
    finish(start(WRITER, db, "k", 1, 120))
    assert final_titles(db) == {"k": {"round 1"}}
    assert sorted(p.name for p in db.parent.iterdir()) == [db.name, db.name + ".lock"]


def test_twenty_dashboard_sessions_read_one_store_while_an_ingest_writes(db):
    """One Store shared by 20 threads, as `st.cache_resource` shares it between sessions."""
    writer = start(WRITER, db, "s", 30, 60)
    errors: list[str] = []
    versions: set[tuple[str, ...]] = set()
    done = threading.Event()
    with Store.open(db, read_only=True) as store:

        def session() -> None:
            while not done.is_set():
                try:
                    df = store.query(INVARIANT_SQL)
                except Exception as exc:  # noqa: BLE001 - any error at all is a failure
                    errors.append(f"{type(exc).__name__}: {exc}")
                    continue
                if [r.id for r in df.itertuples() if not r.n_mentions == r.n == r.ok]:
                    errors.append("half-written article")
                versions.add(tuple(sorted(set(df["title"]))))

        threads = [threading.Thread(target=session) for _ in range(20)]
        for t in threads:
            t.start()
        try:
            finish(writer)
        finally:
            done.set()
            for t in threads:
                t.join()
        assert errors == []
        assert len(versions) >= 3
        assert set(store.query("SELECT title FROM articles")["title"]) == {"round 30"}


def test_the_invariant_catches_a_stale_mention(tmp_path):
    """The check the tests above rely on can fail: a mention left from another text breaks it."""
    text = "الجولة 1: اجتماع في القاهرة."
    start_ = text.index("القاهرة")
    good = Extraction(Article("x-1", text, title="round 1"), entities=(
        Mention(start_, start_ + 7, "القاهرة", "place", "القاهرة", None, "test"),))
    stale = Extraction(Article("x-1", "الجولة 10: اجتماع في القاهرة.", title="round 10"),
                       entities=good.entities)
    with Store.open(tmp_path / "s.duckdb") as store:
        store.ingest([good])
        assert store.query(INVARIANT_SQL)[["n", "ok"]].values.tolist() == [[1, 1]]
        store.ingest([stale])
        assert store.query(INVARIANT_SQL)[["n", "ok"]].values.tolist() == [[1, 0]]


if os.name != "posix":  # pragma: no cover - the store's swap and lock are POSIX
    pytestmark = pytest.mark.skip("POSIX only")
