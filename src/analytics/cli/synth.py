"""`analytics synth N [--seed S] [--start I] [--out FILE]`: a synthetic corpus for benchmarks.

Input: a count and a seed. Output: N synthetic articles (analytics.synth) as JSONL, the format
`analytics ingest` reads, on standard output or in FILE; one summary line on standard error
when writing a file.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path

from analytics.errors import AnalyticsError


def count(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {n}")
    return n


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "synth", help="write synthetic Arabic articles (JSONL) for benchmarks",
        description="Write N synthetic Arabic news articles, one JSON object a line, built "
                    "from the knowledge base and sentence templates: one or two events each "
                    "(about 1.8 extracted on average), of every type, in real venues, with "
                    "organizers, officials and dates. The same N and --seed give the same "
                    "file; the people and outlets are fictitious.")
    p.add_argument("n", type=count, metavar="N", help="how many articles")
    p.add_argument("--seed", type=int, default=0, help="the corpus to draw (default 0)")
    p.add_argument("--start", type=count, default=0, metavar="I",
                   help="first article number (default 0): N articles from I on, to write a "
                        "large corpus in pieces")
    p.add_argument("--out", type=Path, metavar="FILE",
                   help="write to FILE (default: standard output)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from analytics.synth import synth_articles

    records = synth_articles(args.n, seed=args.seed, start=args.start)
    if args.out is None:
        if isinstance(sys.stdout, io.TextIOWrapper):
            sys.stdout.reconfigure(encoding="utf-8")
        for record in records:
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        sys.stdout.flush()
        return 0
    try:
        with args.out.open("w", encoding="utf-8") as out:
            for record in records:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    except OSError as exc:
        raise AnalyticsError(f"{args.out}: cannot write it ({exc.strerror}); check the "
                             f"directory exists and is writable") from None
    print(f"analytics synth: wrote {args.n} articles to {args.out}", file=sys.stderr)
    return 0
