"""Resolution benchmark: the cost of attaching a new article's events as the store grows.

    .venv/bin/python bench/resolve.py [--sizes 10000 100000] [--json OUT]

Synthetic events (no text needed): real events spread over days at a fixed density (30 a day,
about a busy archive), each reported by one to three articles with varied details (a source
without the venue, a day's shift, fewer actors). Two measurements per store size:

1. index: `analytics.resolve.Resolver` alone: microseconds per `assign` of a new event once
   the index holds N events, and the candidates compared per event.
2. store: a real store file holding N events (`Store.ingest` of synthetic extractions), then
   five more batches of 100 articles each through `Writer.write` (insert, `attach`: blocking
   query + matching, `refresh` of the touched events; the median batch) and one correction (`Store.correct`, which also
   copies and publishes the store file): milliseconds per article and per correction.

Flat means: the per-article figures at 100,000 events are close to those at 10,000. The
density is held fixed so that a larger store covers more days, as a growing archive does.
Prints a table; writes JSON (default bench/results/resolve.json).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from analytics.model import Actor, Article, Event, Extraction, Span, Venue
from analytics.resolve import Resolver, event_key
from analytics.store import Store

TYPES = ("meeting", "summit", "conference", "forum", "session", "visit", "signing",
         "exhibition")
PER_DAY = 30
NEW_BATCHES, NEW_BATCH = 5, 100  # the new articles timed: median of 5 batches of 100
DAY0 = dt.date(2000, 1, 1)


def world(rng: random.Random):
    cities = [Venue(f"مدينة {i}", f"City {i}", f"C{i % 90}", None, None, f"geo:{i}")
              for i in range(400)]
    people = [Actor(f"شخص {i}", None, "person") for i in range(5000)]
    bodies = [Actor(f"هيئة {i}", None, "organization", entity_id=f"org:{i}")
              for i in range(800)]
    return cities, people, bodies


def real_event(n: int, rng: random.Random, cities, people, bodies) -> Event:
    day = DAY0 + dt.timedelta(days=n // PER_DAY)
    actors = tuple(rng.sample(people, rng.randint(0, 3)) + rng.sample(bodies, rng.randint(0, 2)))
    name = f"الاجتماع الدوري رقم {n}" if rng.random() < 0.5 else None
    return Event(rng.choice(TYPES), name, day, None, "held", rng.choice(cities), None, actors,
                 (), (Span(0, 40),), 0.8, Span(0, 5))


def report(event: Event, rng: random.Random) -> Event:
    """One outlet's version: the venue sometimes missing, the day sometimes shifted."""
    venue = event.venue if rng.random() < 0.8 else None
    start = event.start + dt.timedelta(days=rng.choice((0, 0, 0, 1)))
    actors = event.actors[: max(1, len(event.actors) - rng.randint(0, 1))]
    return Event(event.type, event.name, start, None, event.status, venue, None, actors, (),
                 event.evidence, 0.8, event.trigger)


def articles(n_events: int, rng: random.Random, first: int = 0):
    """Extractions holding about `n_events` article events, in publication order."""
    cities, people, bodies = world(rng)
    made, n = 0, first
    while made < n_events:
        ev = real_event(n, rng, cities, people, bodies)
        for k in range(rng.randint(1, 3)):
            published = ev.start + dt.timedelta(days=k)
            art = Article(f"syn-{n}-{k}", "خبر اصطناعي عن حدث للاختبار فقط " * 2,
                          published=published)
            yield Extraction(art, (report(ev, rng),))
            made += 1
        n += 1


def bench_index(size: int, rng: random.Random) -> dict:
    resolver = Resolver()
    xs = list(articles(size, rng))
    for x in xs:
        e = x.events[0]
        resolver.assign(event_key(x.article.id, x.article.id, x.article.published, e))
    probes = list(articles(2000, random.Random(7), first=len(xs) // 2))
    compared = []
    started = time.perf_counter()
    for x in probes:
        key = event_key("p-" + x.article.id, "p-" + x.article.id, x.article.published,
                        x.events[0])
        compared.append(len(resolver.candidates(key)))
        resolver.assign(key)
    seconds = time.perf_counter() - started
    return {"us_per_event": round(seconds / len(probes) * 1e6, 1),
            "candidates_median": statistics.median(compared), "clusters": len(resolver.clusters)}


def bench_store(size: int, rng: random.Random, tmp: Path) -> dict:
    path = tmp / f"store-{size}.duckdb"
    xs = list(articles(size, rng))
    started = time.perf_counter()
    with Store.open(path) as store:
        with store.writing(publish_every=float("inf")) as writer:
            for i in range(0, len(xs), 1000):
                writer.write(xs[i:i + 1000])
        build = time.perf_counter() - started
        events = store.counts()["events"]
        # The new batches fall in the middle of the archive's days: candidates exist. Each is
        # timed on its own after a garbage collection, and the median batch is reported: one
        # batch's time swung 2x with what the process had allocated before (the index part).
        new = list(articles(1 + NEW_BATCHES * NEW_BATCH, random.Random(11),
                            first=len(xs) // 6))
        new = [Extraction(Article("new-" + x.article.id, x.article.text,
                                  published=x.article.published), x.events) for x in new]
        per_batch = []
        with store.writing(publish_every=float("inf")) as writer:
            writer.write(new[:1])  # the working copy is made here, outside the timing
            for i in range(1, len(new) - NEW_BATCH + 1, NEW_BATCH):
                gc.collect()
                started = time.perf_counter()
                writer.write(new[i:i + NEW_BATCH])
                per_batch.append((time.perf_counter() - started) / NEW_BATCH)
        per_article = statistics.median(per_batch)
        target = store.query("SELECT id FROM events ORDER BY n_sources DESC, id LIMIT 1")["id"][0]
        started = time.perf_counter()
        store.correct("set", target, field="name", value="اسم مصحح", author="bench")
        correction = time.perf_counter() - started
    size_mb = path.stat().st_size / 1e6
    return {"article_events": len(xs), "resolved_events": int(events),
            "build_s": round(build, 1), "ms_per_new_article": round(per_article * 1e3, 2),
            "ms_per_correction": round(correction * 1e3, 1), "store_mb": round(size_mb, 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--json", type=Path, default=REPO / "bench" / "results" / "resolve.json")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            row = {"size": size, "index": bench_index(size, random.Random(size)),
                   "store": bench_store(size, random.Random(size), Path(tmp))}
            results.append(row)
            i, s = row["index"], row["store"]
            print(f"{size:>8} events | index: {i['us_per_event']:>7} us/event, "
                  f"{i['candidates_median']} candidates | store: {s['resolved_events']} "
                  f"resolved, built in {s['build_s']} s, {s['ms_per_new_article']} ms per new "
                  f"article, {s['ms_per_correction']} ms per correction, {s['store_mb']} MB",
                  flush=True)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
