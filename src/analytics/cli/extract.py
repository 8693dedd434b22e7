"""`analytics extract INPUT...`: one JSON line per article on standard output
(../shared/eval/contract.md); diagnostics on standard error; exit 1 if any article failed."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from analytics.errors import AnalyticsError
from analytics.ingest import read_articles
from analytics.output import to_jsonl
from analytics.pipeline import process


def iso_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "extract", help="extract events and entities; print one JSON line per article",
        description="Extract events, dates, places and entities from Arabic articles and print "
                    "one JSON object per article (the format of contract.md).")
    p.add_argument("inputs", nargs="*", default=["-"], metavar="INPUT",
                   help=".txt, .jsonl, .csv or .html files, directories of them, or - for "
                        "JSONL on standard input (the default)")
    p.add_argument("--published", type=iso_date, metavar="YYYY-MM-DD",
                   help="publication date for .txt/.html input (relative dates resolve "
                        "against it; without it they stay null)")
    p.add_argument("--format", choices=["jsonl"], default="jsonl", help="output format")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    failed = 0

    def report(err: AnalyticsError) -> None:
        nonlocal failed
        failed += 1
        print(f"analytics extract: {err}", file=sys.stderr)

    out = sys.stdout
    for extraction in process(read_articles(args.inputs, published=args.published), report):
        out.write(to_jsonl(extraction) + "\n")
    out.flush()
    return 1 if failed else 0
