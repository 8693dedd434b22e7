"""The README's two commands from a fresh clone: what `make run` and `make test` do, what CI
makes of a test run, and that nothing pulls torch in.

The clone is `git clone` of this repository's HEAD into a temporary directory: only what is
committed counts. Its virtual environment comes from uv's cache (no download once the cache is
warm, as it is after the `make test` that runs these tests). The full `make run` is marked slow.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

from analytics.store import Store
from test_app import free_port, health

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None or shutil.which("make") is None
    or not (REPO / ".git").exists(),
    reason="needs git, make and a git checkout")


def clean_env(**extra: str) -> dict[str, str]:
    """The environment of a user's shell: no store path or port set by this test run."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"ANALYTICS_DB", "STREAMLIT_SERVER_PORT", "PYTEST_ARGS", "DB", "PORT",
                        "VIRTUAL_ENV", "MAKEFLAGS", "MFLAGS", "MAKELEVEL"}
           and not k.startswith("PYTEST_")}
    return env | extra


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("fresh") / "analytics"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(target)], check=True,
                   env=clean_env())
    return target


def make(clone: Path, *args: str, timeout: float = 600, **env: str
         ) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["make", "--no-print-directory", *args], cwd=clone, text=True,
                          capture_output=True, env=clean_env(**env), timeout=timeout,
                          stdin=subprocess.DEVNULL, check=False)


def test_the_lock_holds_neither_torch_nor_transformers(clone):
    lock = tomllib.loads((clone / "uv.lock").read_text(encoding="utf-8"))
    names = {package["name"] for package in lock["package"]}
    assert "camel-tools" in names
    assert names & {"torch", "transformers", "triton"} == set()
    assert [n for n in names if n.startswith("nvidia-")] == []


def test_torch_is_not_installed():
    done = subprocess.run([sys.executable, "-c", "import torch"], capture_output=True,
                          text=True, check=False)
    assert done.returncode != 0
    assert "No module named 'torch'" in done.stderr


def test_make_run_sets_up_builds_the_store_and_serves_headless(clone):
    done = make(clone, "-n", "run", STREAMLIT_SERVER_PORT="8765")
    assert done.returncode == 0, done.stderr
    steps = done.stdout
    serve = ("exec .venv/bin/analytics serve --db data/analytics.duckdb --port 8765 -- "
             "--server.headless true --browser.gatherUsageStats false")
    if (clone / "data" / "sample").is_dir():
        store = ".venv/bin/analytics ingest data/sample --db data/analytics.duckdb"
    else:  # a checkout without the sample articles starts empty, and says so
        store = "data/sample/ is missing"
    # set up, then the store, then the server
    assert steps.index("sync --frozen") < steps.index(store) < steps.index(serve)


def test_make_run_serves_on_8501_by_default(clone):
    done = make(clone, "-n", "run")
    assert "--port 8501 " in done.stdout


def test_make_test_sets_up_then_runs_all_tests_but_slow_ones(clone):
    done = make(clone, "-n", "test")
    assert done.returncode == 0, done.stderr
    assert "sync --frozen" in done.stdout
    assert '.venv/bin/python -m pytest -m "not slow"' in done.stdout


def test_a_set_up_checkout_with_a_store_goes_straight_to_serving(tmp_path):
    """No second sync while the lock is unchanged; an existing store is only rebuilt when an
    older version wrote it (--if-outdated), never built again."""
    work = tmp_path / "checkout"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(work)], check=True,
                   env=clean_env())
    (work / ".venv").mkdir()
    (work / ".venv" / ".synced").touch()
    (work / "data").mkdir(exist_ok=True)
    (work / "data" / "analytics.duckdb").touch()
    done = make(work, "-n", "run")
    assert done.returncode == 0, done.stderr
    upgrade = ("if [ -f data/analytics.duckdb ]; then .venv/bin/analytics ingest --rebuild "
               "--if-outdated --db data/analytics.duckdb; fi")
    serve = ("exec .venv/bin/analytics serve --db data/analytics.duckdb --port 8501 -- "
             "--server.headless true --browser.gatherUsageStats false")
    assert [line for line in done.stdout.splitlines() if line.strip()] == [upgrade, serve]


def test_a_store_path_from_the_environment_is_built_and_served(clone):
    done = make(clone, "-n", "run", ANALYTICS_DB="/srv/news.duckdb")
    assert "--db /srv/news.duckdb" in done.stdout.split("serve", 1)[0]
    assert "serve --db /srv/news.duckdb " in done.stdout


# -- CI -------------------------------------------------------------------------------------

PROBES = {
    "passing": "def test_passes():\n    assert 1 + 1 == 2\n",
    "failing": "def test_fails():\n    assert 1 + 1 == 3\n",
    "skipped": "import pytest\n\n\n@pytest.mark.skip(reason='probe')\ndef test_skipped():\n"
               "    pass\n",
    "empty": "",
}


@pytest.fixture(scope="module")
def ci_clone(clone) -> Path:
    """The clone, set up once (`make venv store`), with one probe test file per outcome."""
    done = make(clone, "venv", "store")
    assert done.returncode == 0, done.stdout + done.stderr
    probes = clone / "tests" / "ci_probes"
    probes.mkdir()
    for name, text in PROBES.items():
        (probes / name).mkdir()
        (probes / name / f"test_{name}_probe.py").write_text(text, encoding="utf-8")
    return clone


def ci(clone: Path, probe: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", ".ci/run"], cwd=clone, text=True, capture_output=True, timeout=600,
        stdin=subprocess.DEVNULL, check=False,
        env=clean_env(CI="true", PYTEST_ARGS=f"tests/ci_probes/{probe}"))


@pytest.mark.parametrize("probe, passes, summary", [
    ("passing", True, "1 passed"),
    ("failing", False, "1 failed"),
    ("skipped", False, "1 skipped"),           # nothing ran: not a green run
    ("empty", False, "no tests ran"),          # pytest's exit status 5
])
def test_ci_passes_only_when_tests_ran_and_passed(ci_clone, probe, passes, summary):
    done = ci(ci_clone, probe)
    assert (done.returncode == 0) is passes, done.stdout[-2000:] + done.stderr[-2000:]
    last = [line for line in done.stdout.splitlines() if line.startswith("CI summary:")]
    assert len(last) == 1 and summary in last[0]


# -- the real thing -------------------------------------------------------------------------

@pytest.mark.slow
def test_make_run_in_a_fresh_clone_serves_the_dashboard(tmp_path):
    """`make run` from nothing: set-up, store built from data/sample/, dashboard healthy."""
    fresh = tmp_path / "analytics"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(fresh)], check=True)
    port = free_port()
    log = (tmp_path / "make-run.log").open("w")
    started = time.monotonic()
    server = subprocess.Popen(["make", "run"], cwd=fresh, stdout=log, stderr=subprocess.STDOUT,
                              stdin=subprocess.DEVNULL, start_new_session=True,
                              env=clean_env(STREAMLIT_SERVER_PORT=str(port)))
    try:
        answer = None
        while answer is None and server.poll() is None and time.monotonic() - started < 600:
            time.sleep(0.5)
            answer = health(port)
        elapsed = time.monotonic() - started
        assert answer == "ok", (tmp_path / "make-run.log").read_text()
        print(f"make run answered /_stcore/health after {elapsed:.1f} s")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
    if (fresh / "data" / "sample").exists():
        with Store.open(fresh / "data" / "analytics.duckdb", read_only=True) as store:
            assert store.counts()["articles"] > 0
