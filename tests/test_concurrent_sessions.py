"""Many analysts at once, and an ingest while they read, against a real `analytics serve`.

Each session is a real websocket client speaking Streamlit's own protocol (the browser's
BackMsg/ForwardMsg protobufs on /_stcore/stream): it asks for a page with a query string, then
changes a sidebar filter as the browser does (a rerun carrying the widget's new state), and
reads what the server draws (the events table as Arrow, metrics, errors). AppTest cannot stand
in here: its runs share one global Runtime and cannot overlap in one process.

- 24 sessions change their event-type filter at the same time, round after round: no session
  meets an error, each sees exactly the events of its own choice (none sees another's), and the
  server's memory stays bounded.
- The dashboard keeps serving while `analytics ingest` writes from another process: sessions
  reading meanwhile meet no error, and the new articles show at the next run (a refresh).

Figures (sessions, runs, seconds, server memory) are printed with `pytest -s`.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from tornado.websocket import websocket_connect

from served import SCRIPT, in_thread, served
from test_queries import build_store

ROOT = Path(__file__).resolve().parents[1]
SESSIONS = 24
ROUNDS = 5
# The four events of test_queries.build_store, one of each type, as the table labels them;
# () is no filter: all four.
CHOICES = (("Meeting",), ("Summit",), ("Conference",), ("Visit",), ())
ALL = {"Meeting", "Summit", "Conference", "Visit"}

pytestmark = pytest.mark.skipif(not (ROOT / "app.py").exists(), reason="no dashboard")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@dataclass
class Drawn:
    """What one script run drew."""
    table_types: list[str] | None = None
    metrics: dict[str, str] = field(default_factory=dict)
    widgets: dict[str, str] = field(default_factory=dict)    # multiselect label -> widget id
    errors: list[str] = field(default_factory=list)


class Session:
    """One browser tab's conversation with the server."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.ws = None

    async def open(self) -> None:
        host = self.base.removeprefix("http://")
        self.ws = await websocket_connect(f"ws://{host}/_stcore/stream",
                                          subprotocols=["streamlit"])

    async def run(self, page: str, query: str = "", widgets: dict[str, list[str]] | None = None
                  ) -> Drawn:
        msg = BackMsg()
        msg.rerun_script.query_string = query
        msg.rerun_script.page_name = page
        for widget_id, values in (widgets or {}).items():
            state = msg.rerun_script.widget_states.widgets.add()
            state.id = widget_id
            state.string_array_value.data.extend(values)
        await self.ws.write_message(msg.SerializeToString(), binary=True)
        drawn = Drawn()
        while True:
            data = await asyncio.wait_for(self.ws.read_message(), 300)
            if data is None:
                drawn.errors.append("the server closed the connection")
                return drawn
            fm = ForwardMsg()
            fm.ParseFromString(data)
            kind = fm.WhichOneof("type")
            if kind == "script_finished":
                return drawn
            if kind != "delta" or fm.delta.WhichOneof("type") != "new_element":
                continue
            element = fm.delta.new_element
            what = element.WhichOneof("type")
            if what == "dataframe" and drawn.table_types is None:
                table = pa.ipc.open_stream(element.dataframe.arrow_data.data).read_all()
                if "Type" in table.column_names:
                    drawn.table_types = table.column("Type").to_pylist()
            elif what == "metric":
                drawn.metrics[element.metric.label] = element.metric.body
            elif what == "multiselect":
                drawn.widgets[element.multiselect.label] = element.multiselect.id
            elif what == "exception":
                drawn.errors.append(element.exception.message)
            elif what == "alert" and element.alert.format == 1:    # st.error
                drawn.errors.append(element.alert.body)

    async def close(self) -> None:
        if self.ws is not None:
            self.ws.close()


def test_twenty_four_sessions_changing_filters_at_once_each_see_only_their_own(tmp_path):
    db = build_store(tmp_path / "analytics.duckdb")
    with served(db) as (base, pid):
        problems: list[str] = []
        runs = 0

        async def one(n: int, start: asyncio.Event) -> None:
            nonlocal runs
            s = Session(base)
            await s.open()
            first = CHOICES[n % len(CHOICES)]
            drawn = await s.run("events", "&".join(f"type={t.lower()}" for t in first))
            runs += 1
            if set(drawn.table_types or ()) != (set(first) or ALL):
                problems.append(f"session {n} opened with {first}, saw {drawn.table_types}")
            types_widget = drawn.widgets.get("Event types")
            if types_widget is None:
                problems.append(f"session {n}: no event-type filter: {drawn}")
                return
            await start.wait()                 # every session changes filters at once
            for r in range(ROUNDS):
                mine = CHOICES[(n + r + 1) % len(CHOICES)]
                drawn = await s.run("events", widgets={types_widget: list(mine)})
                runs += 1
                if drawn.errors:
                    problems.append(f"session {n} round {r}: {drawn.errors}")
                if set(drawn.table_types or ()) != (set(mine) or ALL):
                    problems.append(f"session {n} round {r} chose {mine}, "
                                    f"saw {drawn.table_types}")
            await s.close()

        async def everyone() -> float:
            start = asyncio.Event()
            tasks = [asyncio.create_task(one(n, start)) for n in range(SESSIONS)]
            await asyncio.sleep(0)
            while runs < SESSIONS and not all(t.done() for t in tasks):
                await asyncio.sleep(0.05)
            t0 = time.perf_counter()
            start.set()
            await asyncio.wait_for(asyncio.gather(*tasks), 900)
            return time.perf_counter() - t0

        # One session first, so that the baseline holds the imports and caches.
        async def warm() -> None:
            s = Session(base)
            await s.open()
            await s.run("events")
            await s.close()

        in_thread(asyncio.run, warm())
        baseline = rss_mb(pid)
        samples = [baseline]
        sampling = threading.Event()

        def sample() -> None:                  # the server's memory while the sessions run
            while not sampling.is_set():
                samples.append(rss_mb(pid))
                time.sleep(0.1)

        sampler = threading.Thread(target=sample)
        sampler.start()
        try:
            seconds = in_thread(asyncio.run, everyone())
        finally:
            sampling.set()
            sampler.join()
        peak = max(samples)
        time.sleep(2)
        after = rss_mb(pid)
    changes = SESSIONS * ROUNDS
    print(f"\nconcurrent sessions: {SESSIONS} websocket sessions, {changes} simultaneous filter "
          f"changes in {seconds:.1f} s ({changes / seconds:.1f} script runs/s on this machine); "
          f"server RSS {baseline:.0f} MB before, {peak:.0f} MB with the sessions "
          f"(+{(peak - baseline) / SESSIONS:.1f} MB a session), {after:.0f} MB after they left")
    assert problems == []
    assert runs == SESSIONS * (ROUNDS + 1)
    assert peak - baseline < 15 * SESSIONS, f"{peak - baseline:.0f} MB for {SESSIONS} sessions"


def articles_file(path: Path, first: int, count: int) -> Path:
    lines = []
    for n in range(first, first + count):
        text = (f"عقد وزير الخارجية اجتماعا مع نظيره في القاهرة يوم {n % 27 + 1} مايو 2016 "
                f"لبحث التعاون الثنائي (الخبر {n}). وحضر الاجتماع الأمين العام لجامعة الدول "
                "العربية.")
        lines.append(json.dumps({"id": f"live-{n}", "text": text, "published": "2016-05-01",
                                 "source": "test"}, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_dashboard_keeps_serving_while_an_ingest_writes_and_shows_new_data_after_refresh(
        tmp_path):
    db = build_store(tmp_path / "analytics.duckdb")
    with served(db) as (base, _):
        ingest_done = threading.Event()
        ingest_errors: list[str] = []

        def ingests() -> None:
            try:
                for k in range(3):                  # three runs, one after the other
                    path = articles_file(tmp_path / f"live{k}.jsonl", k * 40, 40)
                    done = subprocess.run([str(SCRIPT), "ingest", str(path), "--db", str(db)],
                                          capture_output=True, text=True, timeout=600,
                                          check=False)
                    if done.returncode != 0:
                        ingest_errors.append(done.stderr[-2000:])
            finally:
                ingest_done.set()

        problems: list[str] = []
        seen: set[str] = set()
        reads = 0

        async def reader(n: int) -> None:
            nonlocal reads
            s = Session(base)
            await s.open()
            page = ("summary", "events", "map", "chronology")[n % 4]
            while not ingest_done.is_set():
                drawn = await s.run(page)
                reads += 1
                if drawn.errors:
                    problems.append(f"reader {n} on {page}: {drawn.errors}")
                    break
                if "Articles" in drawn.metrics:
                    seen.add(drawn.metrics["Articles"])
            await s.close()

        async def refresh() -> Drawn:
            s = Session(base)
            await s.open()
            drawn = await s.run("summary")
            await s.close()
            return drawn

        before = in_thread(asyncio.run, refresh()).metrics["Articles"]
        writer = threading.Thread(target=ingests)
        writer.start()

        async def readers() -> None:
            await asyncio.gather(*(reader(n) for n in range(6)))

        in_thread(asyncio.run, readers())
        writer.join(timeout=900)
        after = in_thread(asyncio.run, refresh()).metrics["Articles"]
    print(f"\nserving during ingest: {reads} page runs by 6 sessions while 3 ingests wrote "
          f"120 articles; articles shown {before} -> {after}; counts seen meanwhile "
          f"{sorted(seen, key=int)}")
    assert ingest_errors == []
    assert problems == []
    assert reads >= 6
    assert int(after) == int(before) + 120
