"""No request leaves the machine at run time: the CLI and the dashboard work with every
outbound connection blocked, and none is even tried.

The block is a `sitecustomize` module put on PYTHONPATH of the child processes: it wraps
`socket.socket.connect`/`connect_ex` and `socket.getaddrinfo` so that any address outside
loopback raises `OSError` and is written to a log file. Loopback stays open (Streamlit's own
server, its websocket). The browser side of the dashboard is checked by the e2e harness
(tests/e2e/conftest.py aborts and records every non-loopback request of the page); here the
dashboard's Python side runs under the block, through AppTest and `streamlit run`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import urllib.request
from pathlib import Path

import pytest

from served import browse_every_page, served

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = Path(sys.executable).parent / "analytics"
SAMPLE = ROOT / "data" / "sample" / "articles.jsonl"

SITECUSTOMIZE = textwrap.dedent('''
    """Test-only: block and record every connection outside loopback (tests/test_offline.py)."""
    import ipaddress, os, socket

    _LOG = os.environ.get("OFFLINE_LOG")

    def _outside(host):
        if isinstance(host, bytes):
            host = host.decode()
        host = str(host or "").strip("[]").split("%")[0]
        if host in ("", "localhost") or host.endswith(".localhost"):
            return False
        try:
            return not ipaddress.ip_address(host).is_loopback
        except ValueError:
            return True          # a name to resolve: it would go to a resolver

    def _record(what):
        if _LOG:
            with open(_LOG, "a", encoding="utf-8") as fh:
                fh.write(f"{os.getpid()} {what}\\n")
        raise OSError(101, f"network is blocked by the offline test: {what}")

    _connect, _connect_ex = socket.socket.connect, socket.socket.connect_ex
    _getaddrinfo = socket.getaddrinfo

    def connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and _outside(address[0]):
            _record(f"connect {address!r}")
        return _connect(self, address)

    def connect_ex(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and _outside(address[0]):
            _record(f"connect_ex {address!r}")
        return _connect_ex(self, address)

    def getaddrinfo(host, *args, **kwargs):
        if _outside(host):
            _record(f"getaddrinfo {host!r}")
        return _getaddrinfo(host, *args, **kwargs)

    socket.socket.connect, socket.socket.connect_ex = connect, connect_ex
    socket.getaddrinfo = getaddrinfo
''')


@pytest.fixture
def offline(tmp_path) -> tuple[dict[str, str], Path]:
    """(environment for a child process with the network blocked, its log of attempts)."""
    guard = tmp_path / "offline-guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    log = tmp_path / "outbound.log"
    log.touch()
    path = os.pathsep.join(p for p in (str(guard), os.environ.get("PYTHONPATH")) if p)
    env = {**os.environ, "PYTHONPATH": path, "OFFLINE_LOG": str(log),
           # Proxies would only turn a connection into another one: none.
           "http_proxy": "", "https_proxy": "", "HTTP_PROXY": "", "HTTPS_PROXY": ""}
    return env, log


def attempts(log: Path) -> list[str]:
    return log.read_text(encoding="utf-8").splitlines()


def test_the_block_stops_and_records_a_request_to_the_internet(offline):
    """The block works, so the tests below can fail: a download is refused and logged."""
    env, log = offline
    done = subprocess.run(
        [sys.executable, "-c",
         "import urllib.request; urllib.request.urlopen('https://pypi.org/simple/', timeout=5)"],
        env=env, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode != 0
    assert "blocked by the offline test" in done.stderr
    assert any("pypi.org" in line for line in attempts(log))
    direct = subprocess.run(
        [sys.executable, "-c", "import socket; socket.create_connection(('1.1.1.1', 443), 5)"],
        env=env, capture_output=True, text=True, timeout=60, check=False)
    assert direct.returncode != 0 and "1.1.1.1" in log.read_text(encoding="utf-8")


@pytest.mark.skipif(not SAMPLE.is_file(), reason="data/sample/articles.jsonl is missing")
def test_the_cli_extracts_ingests_and_lists_offline(offline, tmp_path):
    env, log = offline
    db = tmp_path / "analytics.duckdb"
    commands = [["extract", str(SAMPLE)], ["ingest", str(SAMPLE), "--db", str(db)],
                ["events", "--db", str(db)], ["events", "--db", str(db), "--format", "csv"],
                ["doctor", "--load"]]
    for args in commands:
        done = subprocess.run([str(SCRIPT), *args], env=env, capture_output=True,
                              timeout=600, check=False, cwd=tmp_path)
        err = done.stderr.decode("utf-8", "replace")
        assert done.returncode == 0, (args, err[-2000:])
        assert "Traceback" not in err, (args, err[-2000:])
        assert done.stdout, args
    assert attempts(log) == []
    events = subprocess.run([str(SCRIPT), "events", "--db", str(db)], env=env,
                            capture_output=True, timeout=300, check=True, cwd=tmp_path)
    assert len(events.stdout.splitlines()) >= 20


APPTEST_EVERY_PAGE = textwrap.dedent('''
    import json, sys
    from pathlib import Path
    from streamlit.testing.v1 import AppTest
    root = Path(sys.argv[1])
    problems, pages = [], sorted(p.name for p in (root / "app_pages").glob("*.py"))
    for lang in ("en", "ar"):
        at = AppTest.from_file(str(root / "app.py"), default_timeout=120)
        at.query_params["lang"] = lang
        at.run()
        problems += [f"app.py {lang}: {e.value}" for e in at.exception]
        for page in pages:
            at.switch_page(f"app_pages/{page}").run()
            problems += [f"{page} {lang}: {e.value}" for e in at.exception]
            problems += [f"{page} {lang}: error {e.value}" for e in at.error]
    print(json.dumps({"pages": pages, "problems": problems}))
''')


@pytest.mark.skipif(not (ROOT / "app.py").exists(), reason="the dashboard is not there")
def test_every_dashboard_page_runs_offline(offline, tmp_path):
    from e2e.articles import build_store

    env, log = offline
    db = build_store(tmp_path / "analytics.duckdb")
    done = subprocess.run([sys.executable, "-c", APPTEST_EVERY_PAGE, str(ROOT)],
                          env={**env, "ANALYTICS_DB": str(db)}, capture_output=True, text=True,
                          timeout=900, check=False, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert len(report["pages"]) >= 5
    assert report["problems"] == []
    assert attempts(log) == []


@pytest.mark.skipif(not (ROOT / "app.py").exists(), reason="the dashboard is not there")
def test_analytics_serve_answers_offline_and_its_pages_send_nothing_out(offline, tmp_path):
    """The served dashboard (`analytics serve`) under the block answers; with the e2e browser
    present, every page is opened in it too, and neither the server nor the page tries to
    reach outside loopback."""
    from e2e.articles import build_store

    env, log = offline
    db = build_store(tmp_path / "analytics.duckdb")
    with served(db, env) as (base, _):
        with urllib.request.urlopen(base, timeout=10) as r:
            assert r.status == 200
        browsed = browse_every_page(base, languages=("ar",))
    if browsed is not None:
        assert len(browsed.paths) >= 5
        assert browsed.outbound == []
    assert attempts(log) == []
