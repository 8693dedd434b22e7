"""`analytics extract INPUT...`: one JSON line per article on standard output
(../shared/eval/contract.md); diagnostics on standard error; exit 1 if any article failed.

Input: article files, directories or `-` (analytics.ingest). Output: the contract's JSON, one
object per readable article in input order, UTF-8 with Arabic unescaped whatever the locale;
each unreadable or failing article is one line on standard error (file, line, id, reason, what
to do) and the run goes on.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from typing import TextIO

from analytics.errors import AnalyticsError
from analytics.ingest import parse_published, read_articles
from analytics.output import to_jsonl
from analytics.pipeline import process


def iso_date(value: str) -> dt.date:
    """A --published value: an ISO date (or datetime, whose date is taken)."""
    try:
        day = parse_published(value)
    except ValueError:
        day = None
    if day is None:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}")
    return day


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "extract", help="extract events and entities; print one JSON line per article",
        description="Extract events, dates, places and entities from Arabic articles and print "
                    "one JSON object per article (the format of contract.md).",
        epilog="Input: UTF-8 (with or without BOM), UTF-16 or Windows-1256. JSONL/CSV articles "
               "have id and text, and optionally title, published (ISO date or datetime), "
               "source and url; an article whose published is not a date is rejected. "
               "Exit status: 0 when every article was read and extracted, 1 when any failed "
               "(each failure is one line on standard error; the others are printed), 2 for "
               "bad arguments.")
    p.add_argument("inputs", nargs="*", default=["-"], metavar="INPUT",
                   help=".txt, .jsonl, .csv or .html files, directories of them, or - for "
                        "JSONL on standard input (the default)")
    p.add_argument("--published", type=iso_date, metavar="YYYY-MM-DD",
                   help="publication date of .txt input, and of .html pages that do not give "
                        "one (relative dates resolve against it; without it they stay null)")
    p.add_argument("--format", choices=["jsonl"], default="jsonl", help="output format")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    failed = 0
    written = 0

    def report(err: AnalyticsError) -> None:
        nonlocal failed
        failed += 1
        print(f"analytics extract: {err}", file=sys.stderr)

    write = _utf8_writer(sys.stdout)
    for extraction in process(read_articles(args.inputs, published=args.published), report):
        write(to_jsonl(extraction) + "\n")
        written += 1
        for warning in extraction.warnings:
            print(f"analytics extract: article {extraction.article.id!r}: warning: {warning}",
                  file=sys.stderr)
    sys.stdout.flush()
    if failed:
        print(f"analytics extract: {failed} article(s) failed, {written} extracted",
              file=sys.stderr)
    return 1 if failed else 0


def _utf8_writer(out: TextIO) -> Callable[[str], object]:
    """A write function that puts UTF-8 on `out` whatever its locale encoding (the contract
    says UTF-8; a C or Latin-1 locale must not turn Arabic into an encoding error)."""
    encoding = (getattr(out, "encoding", None) or "").lower().replace("_", "-")
    buffer = getattr(out, "buffer", None)
    if buffer is None or encoding in ("utf-8", "utf8"):
        return out.write
    out.flush()

    def write(line: str) -> None:
        buffer.write(line.encode("utf-8"))

    return write
