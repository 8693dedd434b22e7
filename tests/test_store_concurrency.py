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

import duckdb
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


@pytest.mark.slow
def test_a_writer_killed_at_any_moment_leaves_each_article_old_or_new(db):
    """Fixed delays: on a loaded machine no kill may land inside a write, so this runs with the
    slow tests; tests/test_crash.py does the same with kill times calibrated to the run."""
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


def build_synthetic_store(path: Path, articles: int) -> None:
    """A store of the current schema filled by SQL: per article 660 characters of text, ten
    mentions and two events, each with three actors and one source (each its own resolved
    event)."""
    from analytics.store.schema import SCHEMA_VERSION, create_statements

    con = duckdb.connect(str(path))
    for statement in create_statements():
        con.execute(statement)
    con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
    n = articles
    con.execute(f"""INSERT INTO articles SELECT 'a' || i, 'عنوان ' || i,
        DATE '2014-01-01' + (i % 1500)::INT, 'outlet' || (i % 7), 'https://example.org/' || i,
        (SELECT string_agg(md5((i * 31 + j)::VARCHAR), ' ') FROM range(20) r(j)),
        md5(i::VARCHAR), TIMESTAMP '2024-01-01', 2, 10 FROM range({n}) t(i)""")
    con.execute(f"""INSERT INTO mentions SELECT 'a' || (i // 10), (i % 10) * 60,
        (i % 10) * 60 + 7, ['person', 'organization', 'place'][1 + i % 3], 'نص' || (i % 5000),
        'اسم' || (i % 5000), 'name' || (i % 5000), 'id:' || (i % 5000), NULL, 'EG',
        30.0 + (i % 100) / 10, 31.0, 'synthetic' FROM range({n * 10}) t(i)""")
    # Each article event is its own resolved event here (one source each); article_events
    # holds the resolution keys an ingest's candidate query reads.
    con.execute(f"""INSERT INTO article_events SELECT 'ev-' || i, 'a' || (i // 2), i % 2,
        ['meeting', 'summit', 'conference', 'forum', 'session', 'seminar', 'exhibition',
         'visit', 'signing', 'launch', 'ceremony'][1 + i % 11],
        CASE WHEN i % 3 = 0 THEN 'مؤتمر ' || i END, DATE '2014-01-01' + (i % 1500)::INT,
        NULL, ['held', 'planned', 'ongoing'][1 + i % 3], 'مدينة' || (i % 2000),
        'city' || (i % 2000), 'EG', 30.0, 31.0, 'geo:' || (i % 2000), NULL, 0.8,
        ['culture', 'economy'], 10, 17, 'اجتماع', 'synthetic',
        DATE '2014-01-01' + (i % 1500)::INT, [{{'start': 0, 'end': 300}}], '{{}}',
        TIMESTAMP '2024-01-01',
        CASE WHEN i % 11 < 6 THEN 'gathering' ELSE ['exhibition', 'visit', 'signing',
             'launch', 'ceremony'][1 + i % 11 - 6] END,
        DATE '2014-01-01' + (i % 1500)::INT, DATE '2014-01-01' + (i % 1500)::INT, true,
        CASE WHEN i % 3 = 0 THEN 'موتمر ' || i END, CASE WHEN i % 3 = 0 THEN 2 ELSE 0 END,
        ['geo:' || (i % 2000)], ['org:' || (i % 20000)], 'ev-' || i
        FROM range({n * 2}) t(i)""")
    con.execute("""INSERT INTO events SELECT id, article_id, position, type, name, start_date,
        end_date, status, venue_name_ar, venue_name_en, venue_country, venue_lat, venue_lon,
        venue_entity_id, participants, confidence, themes, trigger_start, trigger_end,
        trigger_text, provenance, 1, [], [],
        concat_ws(chr(10), lower(name_key), venue_name_ar, venue_name_en),
        -- the names and outlet event_actors and articles give it, below and above, and
        -- its actors' names in position order and its article
        list_sort(list_transform(range(3), lambda j: 'فاعل' || ((n * 3 + j) % 20000))), [],
        list_sort(list_transform(range(3), lambda j: 'فاعل' || ((n * 3 + j) % 20000))),
        ['outlet' || ((n // 2) % 7)],
        list_transform(range(3), lambda j: 'فاعل' || ((n * 3 + j) % 20000)),
        list_transform(range(3), lambda j: 'actor' || ((n * 3 + j) % 20000)), [article_id]
        FROM (SELECT *, CAST(substr(id, 4) AS BIGINT) AS n FROM article_events)""")
    con.execute(f"""INSERT INTO event_actors SELECT 'ev-' || (i // 3), i % 3,
        'فاعل' || (i % 20000), 'actor' || (i % 20000), 'organization', NULL,
        'org:' || (i % 20000) FROM range({n * 6}) t(i)""")
    con.execute("""INSERT INTO event_sources SELECT id, article_id, 0, 300, evidence, claim,
        ingested_at, id, published FROM article_events""")
    con.execute("INSERT INTO places SELECT 'geo:' || i, 'مدينة' || i, 'city' || i, 'EG', 30, 31 "
                "FROM range(20000) t(i)")
    con.execute("CHECKPOINT")
    con.close()


DASHBOARD_QUERIES = {
    "events by month and type": """
        SELECT date_trunc('month', start_date) AS month, type, count(*) AS n FROM events
        WHERE start_date BETWEEN DATE '2015-01-01' AND DATE '2016-12-31' GROUP BY ALL""",
    "top actors of meetings": """
        SELECT a.name_ar, count(*) AS n FROM event_actors a JOIN events e ON e.id = a.event_id
        WHERE e.type IN ('meeting', 'summit') GROUP BY 1 ORDER BY n DESC LIMIT 20""",
    "a page of the filtered table": """
        SELECT e.id, e.type, e.name, e.start_date, e.venue_name_ar, ar.title FROM events e
        JOIN articles ar ON ar.id = e.article_id
        WHERE e.start_date >= DATE '2016-01-01' AND e.name ILIKE '%مؤتمر 1%'
        ORDER BY e.start_date DESC LIMIT 100""",
    "venues for the map": """
        SELECT venue_name_ar, venue_lat, venue_lon, count(*) AS n FROM events
        WHERE venue_lat IS NOT NULL GROUP BY ALL""",
    "key figures": """
        SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM articles),
               (SELECT count(DISTINCT name_ar) FROM event_actors)""",
}


@pytest.mark.slow
def test_a_million_event_store_answers_in_under_a_second_and_takes_an_ingest_in_seconds(
        tmp_path):
    db = tmp_path / "big.duckdb"
    build_synthetic_store(db, articles=500_000)
    started = time.perf_counter()
    with Store.open(db, read_only=True) as store:
        assert time.perf_counter() - started < 1.0
        store.query("SELECT 1")  # DuckDB imports pandas for the first DataFrame
        for name, sql in DASHBOARD_QUERIES.items():
            started = time.perf_counter()
            store.query(sql)
            assert time.perf_counter() - started < 1.0, name
        text = "الجولة 1: اجتماع في القاهرة."
        started = time.perf_counter()
        with Store.open(db) as writer:
            writer.ingest([Extraction(Article("new-1", text))])
        assert time.perf_counter() - started < 5.0
        assert store.counts()["articles"] == 500_001


if os.name != "posix":  # pragma: no cover - the store's swap and lock are POSIX
    pytestmark = pytest.mark.skip("POSIX only")
