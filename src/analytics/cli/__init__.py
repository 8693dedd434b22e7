"""The `analytics` command. Each subcommand lives in its own module with `add_parser` and `run`;
errors from the package are turned into messages here, in one place."""

from __future__ import annotations

import argparse
import os
import sys

from analytics import __version__
from analytics.cli import doctor, events, extract, ingest, serve, synth, upgrade
from analytics.errors import AnalyticsError

COMMANDS = (extract, ingest, events, serve, doctor, synth, upgrade)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="analytics",
        description="Events reported in Arabic news: extract, store, explore.")
    parser.add_argument("--version", action="version", version=f"analytics {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMANDS:
        module.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except AnalyticsError as exc:
        print(f"analytics {args.command}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"analytics {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of our standard output went away (| head): not an error of ours.
        sys.stderr.close()
        return 0
    except OSError as exc:
        # The system refused a file or the output (a missing directory, a full disk): say
        # which and why, without a traceback.
        what = f"{exc.filename}: " if exc.filename else "writing the output: "
        print(f"analytics {args.command}: {what}{exc.strerror or exc}; check the path, its "
              "permissions and the free space", file=sys.stderr)
        return 1
    except Exception as exc:  # the last resort: a message, not a traceback
        if os.environ.get("ANALYTICS_DEBUG"):
            raise
        print(f"analytics {args.command}: internal error ({type(exc).__name__}: {exc}); "
              "please report it with the command and its input (ANALYTICS_DEBUG=1 shows the "
              "traceback)", file=sys.stderr)
        return 1
