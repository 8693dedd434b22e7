"""Dask benchmark: speed-up from 1 to 2 workers, overhead of the Dask path, memory per worker.

    .venv/bin/python bench/dask.py [--corpus PATH] [--repeats 3] [--grow 4] [--json OUT]

Speed: the extraction phase of `analytics ingest` over the same corpus, three ways, alternately,
`--repeats` times in one run (this machine is shared: ratios of medians measured side by side):
- single: the single-process path (read_articles -> pipeline.process), results discarded;
- dask-1 and dask-2: `analytics.scale.extract_to_parts` on a LocalCluster of 1 and of 2
  single-threaded worker processes, writing the Parquet parts (into a fresh directory each
  time). Both clusters are started and warmed (knowledge loaded) before timing; their start-up
  is reported apart, since a long run pays it once.
CPU time beside wall time: on a machine shared with other sessions (Linux gives each session a
share of the cores, so a second worker may get no more CPU than the first had alone), the
busiest worker's task CPU time says what the run would take on cores of its own.
Memory: the peak RSS of each worker after a run over the corpus and over the corpus `--grow`
times over (ids made unique), on a new cluster each: flat when it does not grow with
the corpus; and at a quarter, half and all of the long run's partitions.
Prints a table; writes JSON (default bench/results/dask.json).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
# This file is named dask.py: its directory must not shadow the dask package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(REPO / "src"))

from analytics.ingest import read_articles
from analytics.model import Article
from analytics.pipeline import extract, process
from analytics.scale import dask_client, extract_to_parts, plan


def warm() -> int:
    """Load the knowledge base and the Parquet writer's imports (pyarrow imports pandas) in a
    worker: what its first partition would pay."""
    from analytics.store.bulk import part_table

    extract(Article(id="warm", text="اجتمع الوزير في القاهرة اليوم."))
    part_table([])
    return os.getpid()


def single(corpus: Path) -> tuple[float, float]:
    """Wall and CPU seconds of the single-process path."""
    started, cpu = time.perf_counter(), time.process_time()
    for _ in process(read_articles([str(corpus)]), on_error=lambda err: None):
        pass
    return time.perf_counter() - started, time.process_time() - cpu


def on_cluster(client, corpus: Path, scratch: Path) -> tuple[float, list]:
    parts = plan([str(corpus)])
    run_dir = Path(tempfile.mkdtemp(dir=scratch))
    started = time.perf_counter()
    done = extract_to_parts(client, parts, run_dir)
    seconds = time.perf_counter() - started
    shutil.rmtree(run_dir)
    return seconds, done


def busiest_worker_cpu(done: list) -> float:
    """CPU seconds of the most loaded worker: the run's length on cores of its own."""
    per: dict[int, float] = {}
    for d in done:
        per[d.worker_pid] = per.get(d.worker_pid, 0.0) + d.cpu_seconds
    return max(per.values())


def grown(corpus: Path, times: int, scratch: Path) -> Path:
    out = scratch / f"corpus-x{times}.jsonl"
    with corpus.open(encoding="utf-8") as fin, out.open("w", encoding="utf-8") as fout:
        lines = [line for line in fin if line.strip()]
        for n in range(times):
            for line in lines:
                obj = json.loads(line)
                obj["id"] = f"{obj['id']}~{n}"
                fout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    return out


def started_cluster(workers: int):
    cm = dask_client(workers=workers)
    t = time.perf_counter()
    client = cm.__enter__()
    client.run(warm)
    return cm, client, time.perf_counter() - t


def worker_peaks(done: list) -> dict[int, int]:
    peaks: dict[int, int] = {}
    for d in done:
        peaks[d.worker_pid] = max(peaks.get(d.worker_pid, 0), d.worker_max_rss)
    return peaks


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=SHARED / "corpus/ant-v1.1.jsonl")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--grow", type=int, default=4)
    ap.add_argument("--json", type=Path, default=REPO / "bench/results/dask.json")
    args = ap.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="bench-dask-"))
    corpus = args.corpus
    if not corpus.exists():
        from analytics.synth import synth_articles
        corpus = scratch / "synth.jsonl"
        with corpus.open("w", encoding="utf-8") as out:
            for record in synth_articles(10_000, seed=1):
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        print(f"{args.corpus} is missing: using 10,000 synthetic articles instead")
    n_articles = sum(1 for line in corpus.open(encoding="utf-8") if line.strip())
    try:
        cm1, c1, start1 = started_cluster(1)
        cm2, c2, start2 = started_cluster(2)
        warm()  # this process too
        times: dict[str, list[float]] = {"single": [], "dask-1": [], "dask-2": []}
        cpu: dict[str, list[float]] = {"single": [], "dask-1": [], "dask-2": []}
        for r in range(args.repeats):
            wall, used = single(corpus)
            times["single"].append(wall)
            cpu["single"].append(used)
            for label, client in (("dask-1", c1), ("dask-2", c2)):
                wall, done = on_cluster(client, corpus, scratch)
                times[label].append(wall)
                cpu[label].append(busiest_worker_cpu(done))
            print(f"repeat {r + 1}: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in times.items()),
                  flush=True)
        cm1.__exit__(None, None, None)
        cm2.__exit__(None, None, None)

        # Memory per worker as the corpus grows: a new cluster of 2 for each corpus.
        big = grown(corpus, args.grow, scratch)
        memory = {}
        for label, path in (("x1", corpus), (f"x{args.grow}", big)):
            with dask_client(workers=2) as client:
                client.run(warm)
                seconds, done = on_cluster(client, path, scratch)
            peaks = worker_peaks(done)
            memory[label] = {"seconds": seconds, "partitions": len(done),
                             "articles": sum(d.articles for d in done),
                             "worker_peak_rss_mb": sorted(round(v / 2**20, 1)
                                                          for v in peaks.values())}
            if label != "x1":
                marks = {}
                for share in (0.25, 0.5, 1.0):  # of the partitions, in completion order
                    upto = done[: max(1, int(len(done) * share))]
                    marks[str(share)] = round(max(d.worker_max_rss for d in upto) / 2**20, 1)
                memory[label]["peak_rss_mb_after_share_of_partitions"] = marks
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    med = {k: statistics.median(v) for k, v in times.items()}
    cpu_med = {k: statistics.median(v) for k, v in cpu.items()}
    result = {
        "machine": f"{platform.machine()} {os.cpu_count()} cores python "
                   f"{platform.python_version()}",
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "corpus": str(args.corpus if args.corpus.exists() else "synthetic"),
        "articles": n_articles,
        "partitions": len(plan([str(corpus)])) if corpus.exists() else None,
        "repeats": args.repeats,
        "seconds": times,
        "median_seconds": med,
        "articles_per_s": {k: round(n_articles / v, 1) for k, v in med.items()},
        "speedup_1_to_2_workers": round(med["dask-1"] / med["dask-2"], 2),
        "dask_1_worker_overhead_vs_single": round(med["dask-1"] / med["single"], 2),
        "cluster_start_and_warm_seconds": {"1 worker": round(start1, 2),
                                           "2 workers": round(start2, 2)},
        "cpu_seconds": cpu,
        "cpu_note": "single: the process's CPU time; dask-N: the busiest worker's task CPU "
                    "time, i.e. the run's length were each worker given a core of its own",
        "cpu_speedup_1_to_2_workers": round(cpu_med["dask-1"] / cpu_med["dask-2"], 2),
        "cpu_dask_1_worker_overhead_vs_single": round(cpu_med["dask-1"] / cpu_med["single"], 2),
        "memory": memory,
    }
    print()
    print(f"{'path':<10} {'median s':>9} {'articles/s':>11}")
    for k in times:
        print(f"{k:<10} {med[k]:>9.2f} {result['articles_per_s'][k]:>11}")
    print(f"speed-up 1 -> 2 workers: {result['speedup_1_to_2_workers']}x (bar >= 1.6)")
    print(f"dask on 1 worker / single process: {result['dask_1_worker_overhead_vs_single']}x")
    print(f"by CPU time (busiest worker; what cores of its own would give): speed-up "
          f"{result['cpu_speedup_1_to_2_workers']}x, dask-1/single "
          f"{result['cpu_dask_1_worker_overhead_vs_single']}x")
    print(f"cluster start + warm-up: {result['cluster_start_and_warm_seconds']}")
    for label, m in memory.items():
        print(f"memory {label}: {m['articles']} articles in {m['partitions']} partitions, "
              f"{m['seconds']:.1f} s, worker peak RSS MB {m['worker_peak_rss_mb']}"
              + (f", after 25/50/100% of partitions "
                 f"{m['peak_rss_mb_after_share_of_partitions']}"
                 if "peak_rss_mb_after_share_of_partitions" in m else ""))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"saved {args.json.relative_to(REPO) if args.json.is_relative_to(REPO) else args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
