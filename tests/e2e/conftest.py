"""The browser harness: a real dashboard (`streamlit run app.py` on a free loopback port, over a
store built from tests/e2e/articles.py) and Debian's chromium driven by Playwright, with every
request to an address outside loopback aborted and recorded.

Everything here skips, with the reason, where /usr/bin/chromium is missing (`.ci/run` installs
the `chromium` and `fonts-noto-core` packages; Playwright's own browser download is not used).
Screenshots of every page test go to $E2E_OUTPUT (default: pytest's temporary directory,
`e2e-screenshots/`), named after the test.
"""

from __future__ import annotations

import ipaddress
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from e2e.articles import build_store

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
START_TIMEOUT = 60.0


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM}: "
                    f"apt-get install chromium fonts-noto-core (.ci/run does)")
    pytest.importorskip("playwright.sync_api", reason="the playwright package is missing: "
                        "uv sync (it is a dev dependency)")
    return CHROMIUM


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def e2e_store(tmp_path_factory) -> Path:
    return build_store(tmp_path_factory.mktemp("e2e") / "analytics.duckdb")


@pytest.fixture(scope="session")
def dashboard(chromium_path, e2e_store, tmp_path_factory) -> str:
    """The base URL of a dashboard served by a real `streamlit run app.py` process (stopped,
    by its own process group, at the end of the session)."""
    port = free_port()
    log_path = tmp_path_factory.mktemp("e2e-server") / "streamlit.log"
    env = os.environ | {"ANALYTICS_DB": str(e2e_store), "ANALYTICS_MAP_TILES": ""}
    with open(log_path, "wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
             "--server.port", str(port), "--server.address", "127.0.0.1",
             "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if server.poll() is not None:
                pytest.fail(f"streamlit exited with {server.returncode}: "
                            f"{log_path.read_text(errors='replace')[-2000:]}")
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                    if response.read().strip() == b"ok":
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit did not answer on {base} within {START_TIMEOUT}s: "
                            f"{log_path.read_text(errors='replace')[-2000:]}")
            time.sleep(0.3)
        yield base
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def is_loopback(url: str) -> bool:
    """Whether a request stays on this machine (data: and blob: URLs never leave it)."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    host = (parts.hostname or "").strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass
class Outbound:
    """Requests the browser tried to send outside loopback (all aborted)."""

    urls: list[str] = field(default_factory=list)


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # As root (CI containers) chromium refuses to start without --no-sandbox.
        browser = playwright.chromium.launch(executable_path=str(chromium_path),
                                             args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("E2E_OUTPUT") or tmp_path_factory.getbasetemp()
                  / "e2e-screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def outbound() -> Outbound:
    return Outbound()


@pytest.fixture
def page(browser, outbound, screenshots, request):
    """A fresh page whose context aborts (and records in `outbound`) every request to an
    address outside loopback; a context-level route also sees the requests of component
    iframes. A screenshot is saved when the test ends."""
    context = browser.new_context(viewport={"width": 1400, "height": 1400}, locale="en-US")

    def guard(route):
        url = route.request.url
        if is_loopback(url):
            route.continue_()
        else:
            outbound.urls.append(url)
            route.abort("blockedbyclient")

    context.route("**/*", guard)
    page = context.new_page()
    yield page
    name = request.node.name.replace("/", "_")[:120]
    try:
        page.screenshot(path=str(screenshots / f"{name}.png"), full_page=True)
    finally:
        context.close()


def wait_for_app(page, timeout: float = 30_000) -> None:
    """Wait until Streamlit has drawn the page and finished its script run."""
    page.wait_for_selector('[data-testid="stAppViewContainer"]', timeout=timeout)
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=timeout)
    # The status widget shows "Running..." while the script runs.
    page.wait_for_function(
        """() => !document.querySelector('[data-testid="stStatusWidget"] '
                                          + '[data-testid="stStatusWidgetRunningIcon"]')""",
        timeout=timeout)
    page.wait_for_timeout(500)
