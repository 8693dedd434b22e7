"""Where `analytics serve` listens: on this machine only (127.0.0.1) unless asked, since the
dashboard has no login; `--address 0.0.0.0` serves every interface on purpose. Read from the
kernel's table of listening sockets (/proc/net/tcp and tcp6), on a real server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from served import free_port
from test_app import health
from test_queries import build_store

LISTEN = "0A"  # the TCP state "listening" in /proc/net/tcp
pytestmark = pytest.mark.skipif(not Path("/proc/net/tcp").exists(),
                                reason="reads Linux's /proc/net/tcp")


def listening_addresses(port: int) -> set[str]:
    """The local addresses (hex, as the kernel writes them) that listen on `port`."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not Path(table).exists():
            continue
        for line in Path(table).read_text(encoding="ascii").splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, _, hex_port = local.rpartition(":")
            if state == LISTEN and int(hex_port, 16) == port:
                found.add(address)
    return found


def addresses_of_serve(store: Path, cwd: Path, *args: str) -> set[str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_SERVER_ADDRESS")}
    server = subprocess.Popen(
        [sys.executable, "-m", "analytics", "serve", "--db", str(store), "--port", str(port),
         *args], cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while health(port) is None and server.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert health(port) == "ok"
        return listening_addresses(port)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    return build_store(tmp_path_factory.mktemp("serve") / "analytics.duckdb")


def test_serve_listens_on_this_machine_only_by_default(store, tmp_path):
    # Run from elsewhere than the checkout: the default must not depend on the directory.
    assert addresses_of_serve(store, tmp_path) == {"0100007F"}  # 127.0.0.1


def test_serve_listens_on_every_interface_when_asked(store, tmp_path):
    assert "00000000" in addresses_of_serve(store, tmp_path, "--address", "0.0.0.0")
