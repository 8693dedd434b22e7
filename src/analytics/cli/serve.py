"""`analytics serve`: the dashboard (app.py) under Streamlit, reading the store at `--db`.

The command replaces itself with `python -m streamlit run app.py`, so that signals (Ctrl-C, a
service manager's SIGTERM) reach Streamlit directly. The store path travels to the app in the
`ANALYTICS_DB` environment variable, the same one the store reads by default. app.py's
`.streamlit/config.toml` keeps the server headless and usage statistics off (nothing calls out)
and limits uploads. The server listens on 127.0.0.1 unless `--address` says otherwise: there is
no login, so serving every interface (`--address 0.0.0.0`) is a choice made on purpose.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from analytics.errors import AnalyticsError

# In a checkout (src layout) app.py sits at the top, three levels above this package's cli/.
CHECKOUT_APP = Path(__file__).resolve().parents[3] / "app.py"


def default_port() -> int:
    value = os.environ.get("STREAMLIT_SERVER_PORT", "8501")
    try:
        return int(value)
    except ValueError:
        raise AnalyticsError(f"STREAMLIT_SERVER_PORT={value!r} is not a port number; "
                             "set it to a number such as 8501") from None


LOOPBACK = "127.0.0.1"


def default_address() -> str:
    return os.environ.get("STREAMLIT_SERVER_ADDRESS") or LOOPBACK


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve", help="serve the dashboard (Streamlit) at http://localhost:PORT",
        description="Serve the dashboard over the store. Options after `--` go to "
                    "`streamlit run` as they are, e.g. `analytics serve -- "
                    "--server.maxUploadSize 50`.")
    p.add_argument("--db", metavar="PATH",
                   help="the store to show (default: $ANALYTICS_DB, else data/analytics.duckdb)")
    p.add_argument("--port", type=int, metavar="PORT",
                   help="port to listen on (default: $STREAMLIT_SERVER_PORT, else 8501)")
    p.add_argument("--address", metavar="ADDR",
                   help="address to listen on (default: $STREAMLIT_SERVER_ADDRESS, else "
                        "127.0.0.1, this machine only; 0.0.0.0 serves every interface: there "
                        "is no login, see the README's Security section)")
    p.add_argument("--app", type=Path, metavar="PATH",
                   help="the Streamlit entry file (default: ./app.py, else the checkout's)")
    p.add_argument("streamlit_args", nargs="*", metavar="STREAMLIT_OPTION",
                   help="options for `streamlit run`, after `--`")
    p.set_defaults(run=run)


def find_app(explicit: Path | None) -> Path:
    candidates = [explicit] if explicit else [Path.cwd() / "app.py", CHECKOUT_APP]
    for path in candidates:
        if path.is_file():
            return path.resolve()
    raise AnalyticsError(f"no dashboard entry file at {', '.join(map(str, candidates))}: run "
                         "from a checkout of the project, or give its app.py with --app")


def streamlit_command(app: Path, port: int, extra: list[str],
                      address: str = LOOPBACK) -> list[str]:
    """`streamlit run` on the app; options after `--` come last, so that they win."""
    return [sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(port),
            "--server.address", address, *extra]


def run(args: argparse.Namespace) -> int:
    app = find_app(args.app)
    port = args.port if args.port is not None else default_port()
    env = dict(os.environ)
    if args.db:
        env["ANALYTICS_DB"] = str(Path(args.db).resolve())
    address = args.address or default_address()
    command = streamlit_command(app, port, args.streamlit_args, address)
    host = "localhost" if address == LOOPBACK else address
    print(f"analytics serve: http://{host}:{port} ({app})", file=sys.stderr, flush=True)
    os.execve(sys.executable, command, env)
    return 0  # not reached: execve replaces this process
