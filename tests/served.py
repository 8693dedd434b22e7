"""What the tests of a running dashboard share: `analytics serve` on a free loopback port, and
chromium going through every page with each request outside loopback aborted and recorded
(the e2e harness's guard, tests/e2e/conftest.py)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = Path(sys.executable).parent / "analytics"


def in_thread(fn: Callable, *args):
    """fn(*args) in a thread of its own, its result or its exception returned here. Asyncio and
    Playwright's sync API refuse to start where an event loop already runs, as it does in the
    main thread while the e2e harness's session-wide browser is open."""
    result: list = []
    error: list[BaseException] = []

    def run() -> None:
        try:
            result.append(fn(*args))
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller as it was
            error.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if error:
        raise error[0]
    return result[0]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def served(db: Path, env: dict[str, str] | None = None) -> Iterator[tuple[str, int]]:
    """(base URL, server pid) of `analytics serve` over `db`, answering its health check;
    stopped, with its process group, at the end."""
    with served_apart(db, 1, env) as [(base, pid)]:
        yield base, pid


@contextmanager
def served_apart(db: Path, count: int, env: dict[str, str] | None = None
                 ) -> Iterator[list[tuple[str, int]]]:
    """`count` servers of `db`, each a process of its own, started together and all answering
    their health check (nothing else asked of them yet): (base URL, pid) each. Started side
    by side, ten take about the time of two started one after the other."""
    servers: list[tuple[subprocess.Popen, str]] = []
    try:
        for _ in range(count):
            port = free_port()
            servers.append((subprocess.Popen(
                [str(SCRIPT), "serve", "--db", str(db), "--port", str(port), "--",
                 "--server.address", "127.0.0.1", "--server.fileWatcherType", "none"],
                env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                start_new_session=True), f"http://127.0.0.1:{port}"))
        deadline = time.monotonic() + 90 + 10 * count
        for server, base in servers:
            _wait_until_healthy(server, base, deadline)
        yield [(base, server.pid) for server, base in servers]
    finally:
        for server, _ in servers:
            os.killpg(server.pid, 15)
        for server, _ in servers:
            server.wait(timeout=30)


def _wait_until_healthy(server: subprocess.Popen, base: str, deadline: float) -> None:
    while True:
        assert server.poll() is None, server.stderr.read().decode()[-2000:]
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.read().strip() == b"ok":
                    return
        except OSError:
            pass
        assert time.monotonic() < deadline, f"the dashboard at {base} did not answer in time"
        time.sleep(0.3)


@dataclass
class Browsed:
    """What chromium met: requests outside loopback (aborted) and dialogs (alert(...))."""
    outbound: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)


def browse_every_page(base: str, *, languages: tuple[str, ...] = ("en", "ar"),
                      extra: tuple[str, ...] = (), on_page: Callable | None = None
                      ) -> Browsed | None:
    """Open every page of the sidebar's navigation in each language (and the `extra` paths)
    in chromium; `on_page(page, path)` looks at each. None when the e2e browser is missing."""
    return in_thread(_browse, base, languages, extra, on_page)


def _browse(base: str, languages: tuple[str, ...], extra: tuple[str, ...],
            on_page: Callable | None) -> Browsed | None:
    from e2e.conftest import CHROMIUM, is_loopback, wait_for_app

    if not CHROMIUM.exists():
        return None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    seen = Browsed()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                             args=["--no-sandbox"])
        try:
            context = browser.new_context()

            def guard(route):
                if is_loopback(route.request.url):
                    route.continue_()
                else:
                    seen.outbound.append(route.request.url)
                    route.abort("blockedbyclient")

            context.route("**/*", guard)
            page = context.new_page()
            page.on("dialog", lambda d: (seen.dialogs.append(d.message), d.dismiss()))
            page.goto(base)
            wait_for_app(page)
            links = page.locator('[data-testid="stSidebarNav"] a')
            links.first.wait_for(timeout=30_000)
            hrefs = {links.nth(i).get_attribute("href") for i in range(links.count())}
            paths = sorted({re.sub(r"^https?://[^/]+", "", h) for h in hrefs if h})
            seen.paths = [f"{p}?lang={lang}" for p in paths for lang in languages] + list(extra)
            for path in seen.paths:
                page.goto(base + path)
                wait_for_app(page)
                if on_page is not None:
                    on_page(page, path)
        finally:
            browser.close()
    return seen
