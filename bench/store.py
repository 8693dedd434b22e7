"""Store benchmark: build time from extracted Parquet, and each dashboard page's query latency,
at 1k, 100k and 1M events.

    .venv/bin/python bench/store.py [--sizes 1000,100000,1000000] [--base 6000] [--writer-max EVENTS]
                                 [--json OUT] [--keep DIR] [--stores DIR]

Data: `--base` synthetic articles (analytics.synth, seed 1) extracted once on a local Dask
cluster into Parquet parts (analytics.scale).
Build: each store is built from Parquet parts of those extractions (shifted copies past the
base) by `analytics.store.bulk.load_parts`, the writer's own path (one session, one publish,
cross-article resolution included): seconds, ms per article. The million-event store takes
the writer most of an hour on this machine; `--writer-max EVENTS` makes larger stores by
replicating the largest writer-built one's rows inside DuckDB under new ids and moved dates
(`replicate`), only to time the pages, and projects their build time from the measured rate
(a projection the JSON and the table label as such).
Pages: every `analytics.queries` function a page calls (found by reading app_pages/*.py and
app.py, so the bench follows the dashboard as it is; with the constant arguments the page
passes, such as the records page's row limit) is run for one filter change: a run of
all of a page's queries (of a page of lazy tabs, `if tab_x.open:`, those outside the tabs and
the open tab's: one row per tab), uncached, under each of eleven filter values (none, a type, a year, a
country, a city, an actor, a theme, a source, a status, a search word, three at once), three
times over; p50 and p95 of those runs per page. A query a page caches per store version
whatever the filters (the sidebar's choices) is not run by a filter change: it is timed apart,
once per store version. Then the download: the records page's CSV of
every kept event under each filter value, built as its button builds it (the rows read in
chunks, written into a file). The queries run in a child process whose peak RSS is reported
after the pages and after the downloads (the dashboard process holds the same store
connection, results and files).
Prints a table; writes JSON (default bench/results/store.json).
"""

from __future__ import annotations

import argparse
import ast
import dataclasses
import datetime as dt
import importlib
import inspect
import json
import math
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# bench/dask.py must not shadow the dask package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(REPO / "src"))

PAGE_FILES = sorted((REPO / "app_pages").glob("*.py")) + [REPO / "app.py"]
PART_ROWS = 10_000


# ---------------------------------------------------------------- data

def base_extractions(n: int, scratch: Path) -> list:
    from analytics.scale import dask_client, extract_to_parts, part_file, plan
    from analytics.store.bulk import read_part
    from analytics.synth import synth_articles

    corpus = scratch / "base.jsonl"
    with corpus.open("w", encoding="utf-8") as out:
        for record in synth_articles(n, seed=1):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    parts = plan([str(corpus)])
    run_dir = scratch / "base-parts"
    with dask_client() as client:
        extract_to_parts(client, parts, run_dir)
    found = [item for p in parts for item, _, _ in read_part(part_file(run_dir, p))]
    shutil.rmtree(run_dir)
    return found


def shifted(x, copy: int):
    """Copy `copy` of an extraction: new article id, and its dates moved by copy x 41 days
    (the article's publication day kept within 2010-2024), so that cross-article resolution
    does not merge a copy's events into the original's (the text keeps its own dates: the
    store's queries never read them). Every date of the article moves by the same number of
    days: wrapping each date on its own turned an event from 30 December to 2 January into
    one from 2010 to 2024, which resolution took for a fifteen-year event."""
    span = dt.timedelta(days=5479)
    anchor = x.article.published or next((e.start for e in x.events if e.start), None)
    delta = dt.timedelta(days=copy * 41)
    if anchor is not None:
        while anchor + delta > dt.date(2024, 12, 31):
            delta -= span

    def move(d):
        return None if d is None else d + delta

    a = x.article
    return dataclasses.replace(
        x, article=dataclasses.replace(a, id=f"{a.id}~{copy}", published=move(a.published)),
        events=tuple(dataclasses.replace(e, start=move(e.start), end=move(e.end))
                     for e in x.events),
        dates=tuple(dataclasses.replace(d, first=move(d.first), last=move(d.last))
                    for d in x.dates))


def write_parts(base: list, events: int, out: Path) -> tuple[list[Path], int, int]:
    """Parts holding about `events` events: the base extractions, then shifted copies of them
    (see `shifted`). Returns the files, articles and events written."""
    from analytics.store.bulk import part_table

    out.mkdir(parents=True)
    files, rows, n_articles, n_events, i = [], [], 0, 0, 0
    while n_events < events:
        x = base[i % len(base)]
        copy = i // len(base)
        if copy:
            x = shifted(x, copy)
        rows.append((x, "synthetic", i + 1))
        n_articles += 1
        n_events += len(x.events)
        i += 1
        if len(rows) >= PART_ROWS:
            files.append(_write(out, len(files), rows, part_table))
            rows = []
    if rows:
        files.append(_write(out, len(files), rows, part_table))
    return files, n_articles, n_events


def _write(out: Path, index: int, rows: list, part_table) -> Path:
    import pyarrow.parquet as pq

    path = out / f"part-{index:06d}.parquet"
    pq.write_table(part_table(rows), path, compression="zstd")
    return path


# ---------------------------------------------------------------- pages

def page_queries() -> dict[str, list[tuple[str, str, dict, bool]]]:
    """(module, function, arguments, per_version) of each analytics.queries function each page
    file calls or hands to a cache wrapper; `arguments` are those the page passes as constants
    to the cache wrapper (`cached(queries.event_table, filters, SHOWN)` with `SHOWN = 1000` at
    the top of the page gives {"limit": 1000}), by parameter name. `per_version` is true for a
    query the page caches per store version whatever the filters (handed to a cache wrapper
    without filters, `cache_for(store)(queries.date_span)`, or called only inside a
    `st.cache_data` function that takes no filters, as the sidebar's choices are): a filter
    change does not run it."""
    pages = {}
    for path in PAGE_FILES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = _constants(tree)
        aliases = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                for a in node.names:
                    full = f"{node.module}.{a.name}"
                    if full.startswith("analytics.queries") and _is_module(full):
                        aliases[a.asname or a.name] = full
        # Called, or handed to a cache wrapper: `cached(queries.key_figures, filters)`.
        calls = sorted({(aliases[n.value.id], n.attr) for n in ast.walk(tree)
                        if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)
                        and n.value.id in aliases})
        per_version = _cached_per_version(tree, aliases)
        found = []
        for module, name in calls:
            fn = getattr(importlib.import_module(module), name, None)
            params = list(inspect.signature(fn).parameters) if callable(fn) else []
            # A generator (event_table_chunks) reads rows only for a download: timed apart.
            if params and params[0] == "store" and not inspect.isgeneratorfunction(fn):
                found.append((module, name, _passed(tree, aliases, constants, module, name,
                                                    params),
                              "filters" not in params and (module, name) in per_version))
        if not found:
            continue
        page = "sidebar (app.py)" if path.name == "app.py" else path.stem
        tabs = _tab_queries(tree, aliases)
        if not tabs:
            pages[page] = found
            continue
        # A page of tabs runs what stands outside them and the open tab's queries alone.
        in_a_tab = set().union(*tabs.values())
        for tab, inside in tabs.items():
            pages[f"{page}: {tab} tab"] = [c for c in found if (c[0], c[1]) in inside
                                           or (c[0], c[1]) not in in_a_tab]
    return pages


def _tab_queries(tree: ast.Module, aliases: dict) -> dict[str, set[tuple[str, str]]]:
    """The queries inside each `if tab_NAME.open:` block of a page (Streamlit runs a lazy
    tab's body only while it is open), by NAME; empty for a page without such tabs."""
    tabs: dict[str, set[tuple[str, str]]] = {}
    for node in ast.walk(tree):
        test = getattr(node, "test", None)
        if (isinstance(node, ast.If) and isinstance(test, ast.Attribute) and test.attr == "open"
                and isinstance(test.value, ast.Name)):
            name = test.value.id.removeprefix("tab_")
            tabs[name] = {(aliases[n.value.id], n.attr) for n in ast.walk(node)
                          if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)
                          and n.value.id in aliases}
    return tabs


def _cached_per_version(tree: ast.Module, aliases: dict) -> set[tuple[str, str]]:
    """The queries a page file only ever reaches through a cache keyed by the store version
    alone: handed to a wrapper call without a filters argument (`cached(fn)`,
    `cache_for(store)(fn)`), or referenced inside a function decorated with `cache_data`."""
    def query(node: ast.AST) -> tuple[str, str] | None:
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id in aliases):
            return aliases[node.value.id], node.attr
        return None

    cached, other = set(), set()
    inside: set[int] = set()
    for fn in ast.walk(tree):
        if isinstance(fn, ast.FunctionDef) and any(
                "cache_data" in ast.unparse(d) for d in fn.decorator_list) \
                and "filters" not in [a.arg for a in fn.args.args]:
            for n in ast.walk(fn):
                if (q := query(n)) is not None:
                    cached.add(q)
                    inside.add(id(n))
    for n in ast.walk(tree):
        if isinstance(n, ast.Call) and len(n.args) == 1 and (q := query(n.args[0])):
            wrapper = ast.unparse(n.func)
            if wrapper == "cached" or wrapper.startswith("cache_for("):
                cached.add(q)
                inside.add(id(n.args[0]))
    for n in ast.walk(tree):
        if (q := query(n)) is not None and id(n) not in inside:
            other.add(q)
    return cached - other


def _constants(tree: ast.Module) -> dict[str, object]:
    """The page's module-level NAME = literal assignments."""
    out = {}
    for node in tree.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)):
            try:
                out[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                pass
    return out


def _passed(tree: ast.Module, aliases: dict, constants: dict, module: str, name: str,
            params: list[str]) -> dict:
    """Constant arguments the page gives `module.name` through `cached(fn, filters, ...)`."""
    out: dict = {}
    for n in ast.walk(tree):
        if not (isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
                and n.func.id == "cached" and n.args
                and isinstance(n.args[0], ast.Attribute)
                and isinstance(n.args[0].value, ast.Name)
                and aliases.get(n.args[0].value.id) == module and n.args[0].attr == name):
            continue
        for i, arg in enumerate(n.args[2:], start=2):
            if i >= len(params):
                break
            if isinstance(arg, ast.Constant):
                out[params[i]] = arg.value
            elif isinstance(arg, ast.Name) and arg.id in constants:
                out[params[i]] = constants[arg.id]
    return out


def _is_module(name: str) -> bool:
    try:
        importlib.import_module(name)
        return True
    except ImportError:
        return False


def filter_variants(store) -> list:
    from analytics.filters import Filters

    def top(sql: str):
        df = store.query(sql)
        return df.iloc[0, 0] if len(df) else None

    year = top("SELECT year(start_date) FROM events WHERE start_date IS NOT NULL "
               "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
    country = top("SELECT venue_country FROM events WHERE venue_country IS NOT NULL "
                  "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
    city = top("SELECT venue_name_ar FROM events WHERE venue_name_ar IS NOT NULL "
               "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
    actor = top("SELECT name_ar FROM event_actors GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
    theme = top("SELECT t FROM (SELECT unnest(themes) AS t FROM events) GROUP BY 1 "
                "ORDER BY count(*) DESC LIMIT 1")
    source = top("SELECT source FROM articles WHERE source IS NOT NULL GROUP BY 1 "
                 "ORDER BY count(*) DESC LIMIT 1")
    first, last = (dt.date(int(year), 1, 1), dt.date(int(year), 12, 31)) if year else (None, None)
    fields = {f.name for f in dataclasses.fields(Filters)}
    wanted = [{}, {"types": ("meeting",)}, {"start": first, "end": last},
              {"countries": (country,)}, {"cities": (city,)}, {"actors": (actor,)},
              {"themes": (theme,)}, {"sources": (source,)}, {"statuses": ("held",)},
              {"search": "القاهرة"},
              {"types": ("conference",), "countries": (country,), "start": first, "end": last}]
    return [Filters(**{k: v for k, v in w.items() if k in fields and v is not None})
            for w in wanted]


# Parameters a page calls a query once for each value of: the participation page draws its
# persons' and its organizations' charts side by side, one events_per_actor call each.
EACH = {"kind": ("person", "organization")}


def each_call(fn, store, filters, samples: dict, passed: dict) -> list[dict]:
    """The keyword arguments of each call a page makes to `fn` for one filter change: one
    call, or one per value of an `EACH` parameter it takes and the page does not fix."""
    args = arguments(fn, store, filters, samples | passed)
    for name, values in EACH.items():
        if name in args and name not in passed:
            return [args | {name: value} for value in values]
    return [args]


def arguments(fn, store, filters, samples: dict) -> dict | None:
    """Keyword arguments for a query function, by parameter name; None when one is unknown."""
    args = {}
    for name, p in list(inspect.signature(fn).parameters.items())[1:]:
        if name == "filters":
            args[name] = filters
        elif name in samples:
            args[name] = samples[name]
        elif p.default is inspect.Parameter.empty:
            return None
    return args


def peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM, not getrusage's ru_maxrss: Linux carries
    ru_maxrss over an exec from the forked parent, so a child started by a parent holding
    gigabytes (this bench, after building the stores) reported the parent's peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def fresh_search(store, filters) -> None:
    """Under a free-text search, time the page as an analyst's new search: the store keeps
    the hits of each search with its snapshot (analytics.store.search), so they are dropped
    first and the page's first query runs the substring test again."""
    if filters.search:
        store.forget_searches()


def run_queries(db: Path, repeats: int) -> dict:
    from analytics.store import Store

    pages = page_queries()
    out: dict = {"pages": {}, "skipped": []}
    with Store.open(db, read_only=True) as store:
        variants = filter_variants(store)
        ids = store.query("SELECT id, article_id, coalesce(start_date, DATE '2016-01-01') AS d "
                          "FROM events ORDER BY id LIMIT 1")
        day = ids["d"].iloc[0]
        day = day.date() if hasattr(day, "date") else day
        samples = {"today": day, "around": day, "kind": "person",
                   "event_id": ids["id"].iloc[0], "article_id": ids["article_id"].iloc[0]}
        for page, calls in pages.items():
            fns, once = [], []
            for module, name, passed, per_version in calls:
                fn = getattr(importlib.import_module(module), name)
                if arguments(fn, store, variants[0], samples | passed) is None:
                    out["skipped"].append(f"{module}.{name}")
                    continue
                (once if per_version else fns).append((fn, passed))
            if once:
                # Run once per store version (the page caches them whatever the filters): the
                # cost of the first page view after an ingest, not of a filter change.
                runs = []
                for _ in range(repeats):
                    started = time.perf_counter()
                    for fn, passed in once:
                        fn(store, **arguments(fn, store, variants[0], samples | passed))
                    runs.append(time.perf_counter() - started)
                out.setdefault("per_store_version", {})[page] = {
                    "queries": [f"{fn.__module__}.{fn.__name__}" for fn, _ in once],
                    "runs": len(runs), "p50_ms": round(1000 * statistics.median(runs), 1),
                    "max_ms": round(1000 * max(runs), 1)}
            if not fns:
                continue
            runs = []
            for _ in range(repeats):
                for f in variants:
                    fresh_search(store, f)
                    started = time.perf_counter()
                    for fn, passed in fns:
                        for args in each_call(fn, store, f, samples, passed):
                            fn(store, **args)
                    runs.append(time.perf_counter() - started)
            runs.sort()
            out["pages"][page] = {
                "queries": [f"{fn.__module__}.{fn.__name__}"
                            + (f"({', '.join(f'{k}={v!r}' for k, v in passed.items())})"
                               if passed else "") for fn, passed in fns],
                "runs": len(runs),
                "p50_ms": round(1000 * statistics.median(runs), 1),
                "p95_ms": round(1000 * runs[min(len(runs) - 1, math.ceil(0.95 * len(runs)) - 1)],
                                1),
            }
        pages_rss = peak_rss_mb()
        # Not a rerun: what pressing the records page's first download button does (every
        # kept event, read in chunks, written into a CSV file whose bytes are returned),
        # timed apart from the pages and after them (the file is the largest thing the
        # process holds: the peak RSS includes it).
        from analytics.exports.tables import to_csv
        from analytics.queries import event_table_chunks
        runs, sizes = [], []
        for f in variants:
            fresh_search(store, f)
            started = time.perf_counter()
            sizes.append(len(to_csv(event_table_chunks(store, f))))
            runs.append(time.perf_counter() - started)
        runs.sort()
        out["download"] = {"format": "csv", "runs": len(runs),
                           "largest_mb": round(max(sizes) / 2**20, 1),
                           "p50_ms": round(1000 * statistics.median(runs), 1),
                           "p95_ms": round(1000 * runs[-1], 1)}
        out["pages_peak_rss_mb"] = pages_rss
    out["peak_rss_mb"] = peak_rss_mb()
    return out


# ---------------------------------------------------------------- main

def replicate(source: Path, target: Path, events: int) -> tuple[float, int]:
    """A store of about `events` events made from `source` (built by the writer) by copying its
    rows inside DuckDB, each copy under new ids (`~k` appended to every article, event and
    cluster id, events.article_ids included) and with its dates moved by k x 41 days. Returns the seconds it took and the
    copies made. The writer's own rate is measured on the source; this only makes a store of
    the size, quickly, for the page queries."""
    import duckdb

    from analytics.store.schema import TABLES

    shutil.copyfile(source, target)
    con = duckdb.connect(str(target))
    started = time.perf_counter()
    have = con.execute("SELECT count(*) FROM events").fetchone()[0]
    copies = max(1, math.ceil(events / max(have, 1)))
    ids = {"id", "article_id", "event_id", "cluster_id", "article_event_id"}
    tables = [t for t in TABLES if t.name not in ("meta", "places", "corrections")]
    con.execute("BEGIN TRANSACTION")
    for t in tables:
        con.execute(f"CREATE TEMP TABLE orig_{t.name} AS SELECT * FROM {t.name}")
    for k in range(1, copies):
        for t in tables:
            cols = []
            for c in t.columns:
                if c.name in ids:
                    cols.append(f"\"{c.name}\" || '~{k}'")
                elif c.name == "article_ids":
                    cols.append(f"list_transform(\"{c.name}\", lambda a: a || '~{k}')")
                elif c.sql_type == "DATE":
                    cols.append(f"\"{c.name}\" + {k * 41}")
                else:
                    cols.append(f"\"{c.name}\"")
            con.execute(f"INSERT INTO {t.name} SELECT {', '.join(cols)} FROM orig_{t.name}")
    con.execute("COMMIT")
    con.execute("CHECKPOINT")
    con.close()
    return time.perf_counter() - started, copies


def build_with_writer(base: list, size: int, scratch: Path) -> dict:
    from analytics.store import Store
    from analytics.store.bulk import load_parts

    files, _, _ = write_parts(base, size, scratch / f"parts-{size}")
    db = scratch / f"store-{size}.duckdb"
    started = time.perf_counter()
    summary = load_parts(db, files, on_error=lambda err: None)
    build = time.perf_counter() - started
    shutil.rmtree(scratch / f"parts-{size}")
    with Store.open(db, read_only=True) as store:
        counts = store.counts()
    return {"db": db, "how": "writer", "build_seconds": round(build, 1),
            "stored": summary.stored, **counts,
            "writer_ms_per_article": round(1000 * build / max(summary.stored, 1), 2)}


def kept_store(db: Path) -> dict:
    """A store an earlier run kept (`--keep`), to time its pages again: its counts, no build
    figures."""
    from analytics.store import Store

    if not db.exists():
        raise SystemExit(f"{db} does not exist: keep the stores of a run with --keep "
                         f"{db.parent}, or leave out --stores to build them")
    with Store.open(db, read_only=True) as store:
        counts = store.counts()
    return {"db": db, "how": f"kept from an earlier run ({db})", **counts}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,100000,1000000",
                    help="events per store, comma-separated")
    ap.add_argument("--base", type=int, default=6_000, help="distinct synthetic articles")
    ap.add_argument("--writer-max", type=int, default=1_000_000, metavar="EVENTS",
                    help="stores up to this many events are built through the writer "
                         "(load_parts); larger ones by replicating the largest of those, "
                         "their build time projected (default 1000000: every size built)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--json", type=Path, default=REPO / "bench/results/store.json")
    ap.add_argument("--keep", type=Path, metavar="DIR",
                    help="keep the stores built, in DIR (to profile them after the run)")
    ap.add_argument("--stores", type=Path, metavar="DIR",
                    help="build nothing: time the pages on the stores an earlier run kept in "
                         "DIR (--keep), e.g. after a change to the queries alone")
    ap.add_argument("--queries-only", type=Path, metavar="DB", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.queries_only:
        print(json.dumps(run_queries(args.queries_only, args.repeats)))
        return 0

    from analytics.store import Store

    sizes = sorted(int(s) for s in args.sizes.split(","))
    scratch = Path(tempfile.mkdtemp(prefix="bench-store-"))
    results = []
    try:
        if args.stores:
            built = {s: kept_store(args.stores / f"store-{s}.duckdb") for s in sizes}
        else:
            started = time.perf_counter()
            base = base_extractions(args.base, scratch)
            base = [x for x in base if not isinstance(x, Exception)]
            print(f"extracted {len(base)} base articles in "
                  f"{time.perf_counter() - started:.0f} s", flush=True)
            writer_sizes = [s for s in sizes if s <= args.writer_max]
            if any(s > args.writer_max for s in sizes) and args.writer_max not in writer_sizes:
                writer_sizes.append(args.writer_max)  # the source of the replicated stores
            built = {s: build_with_writer(base, s, scratch) for s in sorted(writer_sizes)}
        writer_built = built[max(built)]
        for size in sizes:
            if size in built:
                info = built[size]
            else:
                db = scratch / f"store-{size}.duckdb"
                seconds, copies = replicate(writer_built["db"], db, size)
                with Store.open(db, read_only=True) as store:
                    counts = store.counts()
                rate = writer_built["build_seconds"] / max(writer_built["events"], 1)
                info = {"db": db, "how": f"replicated x{copies} from the writer-built "
                                         f"{writer_built['events']}-event store",
                        "replicate_seconds": round(seconds, 1), **counts,
                        "writer_build_seconds_projected": round(rate * counts["events"])}
            child = subprocess.run(
                [sys.executable, __file__, "--queries-only", str(info["db"]),
                 "--repeats", str(args.repeats)],
                check=True, capture_output=True, text=True, env={**os.environ})
            q = json.loads(child.stdout.strip().splitlines()[-1])
            info = {k: v for k, v in info.items() if k != "db"} | {
                "store_mb": round(info["db"].stat().st_size / 2**20, 1)}
            results.append({**info, **q})
            how = (f"built by the writer in {info['build_seconds']} s"
                   if "build_seconds" in info else
                   info["how"] if "replicate_seconds" not in info else
                   f"{info['how']} in {info['replicate_seconds']} s (the writer would take "
                   f"about {info['writer_build_seconds_projected']} s)")
            print(f"{info['events']:>9} events: {how}, {info['store_mb']} MB, queries' "
                  f"process peak RSS {q['pages_peak_rss_mb']} MB after the pages, "
                  f"{q['peak_rss_mb']} MB after the CSV downloads (p50/p95 "
                  f"{q['download']['p50_ms']:.0f}/{q['download']['p95_ms']:.0f} ms, largest "
                  f"{q['download']['largest_mb']} MB)", flush=True)
    finally:
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            for db in scratch.glob("store-*.duckdb"):
                shutil.move(db, args.keep / db.name)
        shutil.rmtree(scratch, ignore_errors=True)

    pages = sorted({p for r in results for p in r["pages"]})
    print()
    print(f"{'page':<22}" + "".join(f"{r['events']:>11} ev p50/p95 ms" for r in results)
          + "   p95 last/first")
    for page in pages:
        cells = [r["pages"].get(page) for r in results]
        line = f"{page:<22}" + "".join(
            f"{c['p50_ms']:>14.1f}/{c['p95_ms']:<8.1f}" if c else f"{'-':>23}" for c in cells)
        if cells[0] and cells[-1]:
            line += f"   {cells[-1]['p95_ms'] / max(cells[0]['p95_ms'], 0.1):.1f}x"
        print(line)
    once = sorted({p for r in results for p in r.get("per_store_version", {})})
    for page in once:
        cells = [r.get("per_store_version", {}).get(page) for r in results]
        print(f"{page:<22}" + "".join(
            f"{c['p50_ms']:>14.1f}/{c['max_ms']:<8.1f}" if c else f"{'-':>23}" for c in cells)
            + "   once per store version (median/max of the repeats), not per filter change")
    skipped = sorted({s for r in results for s in r["skipped"]})
    if skipped:
        print(f"not run (an argument the bench cannot supply): {', '.join(skipped)}")
    result = {"machine": f"{platform.machine()} {os.cpu_count()} cores python "
                         f"{platform.python_version()}",
              "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
              "base_articles": args.base, "repeats": args.repeats, "sizes": results}
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2, default=str),
                         encoding="utf-8")
    print(f"saved {args.json.relative_to(REPO) if args.json.is_relative_to(REPO) else args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
