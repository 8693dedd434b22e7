"""The `analytics` command. Each subcommand lives in its own module with `add_parser` and `run`;
errors from the package are turned into messages here, in one place."""

from __future__ import annotations

import argparse
import sys

from analytics import __version__
from analytics.cli import doctor, events, extract, ingest, serve, synth
from analytics.errors import AnalyticsError

COMMANDS = (extract, ingest, events, serve, doctor, synth)


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
