"""`analytics events [--db PATH] [--format jsonl|csv] [--corrections]`: the stored events, or the
analysts' corrections, on standard output.

Input: the store. Output: one resolved event per JSONL line, corrections applied (the
contract's event plus `id`, `n_sources`, `sources` (each {"article_id", "published",
"evidence", "claim"}), `corrected_fields` and `conflicts`), or a CSV table (UTF-8, one row per
event, list-valued fields joined with " | ", sources as "article_id:start-end"). With
`--corrections`: every correction (when, who, action, field, value, previous value, reason,
event, state: in force | undone | vanished | undo), newest first.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

CSV_COLUMNS = (
    "id", "type", "name", "start", "end", "status", "venue_name_ar", "venue_name_en",
    "venue_country", "venue_lat", "venue_lon", "participants", "actors_ar", "actors_en",
    "themes", "confidence", "n_sources", "sources", "corrected_fields", "conflicts",
)


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "events", help="print the stored events (JSONL or CSV)",
        description="Print the events in the store, one per line (JSONL: the fields of "
                    "`analytics extract`'s events plus `id` and `sources`) or as CSV.")
    p.add_argument("--db", type=Path, metavar="PATH",
                   help="the store (default: $ANALYTICS_DB, else data/analytics.duckdb)")
    p.add_argument("--format", choices=["jsonl", "csv"], default="jsonl",
                   help="output format (default: jsonl)")
    p.add_argument("--corrections", action="store_true",
                   help="print the analysts' corrections (the audit log) instead of events")
    p.set_defaults(run=run)


def csv_row(event: dict[str, Any]) -> dict[str, Any]:
    venue = event["venue"] or {}
    actors = event["actors"]
    return {
        "id": event["id"], "type": event["type"], "name": event["name"],
        "start": event["start"], "end": event["end"], "status": event["status"],
        "venue_name_ar": venue.get("name_ar"), "venue_name_en": venue.get("name_en"),
        "venue_country": venue.get("country"), "venue_lat": venue.get("lat"),
        "venue_lon": venue.get("lon"), "participants": event["participants"],
        "actors_ar": " | ".join(a["name_ar"] or "" for a in actors),
        "actors_en": " | ".join(a["name_en"] or "" for a in actors),
        "themes": " | ".join(event["themes"]), "confidence": event["confidence"],
        "n_sources": event["n_sources"],
        "sources": " | ".join(f"{s['article_id']}:{span['start']}-{span['end']}"
                              for s in event["sources"] for span in s["evidence"]),
        "corrected_fields": " | ".join(event["corrected_fields"]),
        "conflicts": " | ".join(event["conflicts"]),
    }


def write_jsonl(events: Iterable[dict[str, Any]], out: TextIO) -> None:
    out.writelines(json.dumps(event, ensure_ascii=False) + "\n" for event in events)


def write_csv(events: Iterable[dict[str, Any]], out: TextIO) -> None:
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for event in events:
        writer.writerow(csv_row(event))


def write_corrections(store: Any, fmt: str, out: TextIO) -> None:
    from analytics.queries.corrections import corrections

    table = corrections(store)
    table["made_at"] = table["made_at"].map(lambda t: t.isoformat())
    if fmt == "csv":
        table.to_csv(out, index=False, lineterminator="\n")
    elif len(table):
        out.write(table.to_json(orient="records", lines=True, force_ascii=False))


def run(args: argparse.Namespace) -> int:
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(encoding="utf-8")  # the output is UTF-8 whatever the locale
    from analytics.store import Store  # here, so that other commands never load DuckDB

    with Store.open(args.db, read_only=True) as store:
        if args.corrections:
            write_corrections(store, args.format, sys.stdout)
        else:
            write = write_csv if args.format == "csv" else write_jsonl
            write(store.events(), sys.stdout)
    sys.stdout.flush()
    return 0
