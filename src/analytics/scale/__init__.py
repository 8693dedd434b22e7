"""Scale-out extraction: inputs cut into partitions, extracted on a Dask cluster, written as
Parquet parts, loaded into the store in one step (`analytics ingest --engine dask`).

Input: the INPUT arguments of `analytics ingest`. Output: the store (through
`analytics.store.bulk`). Stage: after the store (it drives the pipeline and the store's bulk
loader), before the queries; like ingest/ and store/ it opens files (the run's parts and
manifest).

    summary = ingest(["corpus.jsonl"], Path("data/analytics.duckdb"), on_error=print)

Modules: `partitions` (inputs -> byte ranges and file groups, read back as articles),
`runner` (the cluster, the tasks, the run's directory and its resume).
"""

from analytics.scale.partitions import Partition, plan, read_partition
from analytics.scale.runner import (
    PartDone,
    dask_client,
    extract_partition,
    extract_to_parts,
    ingest,
    part_file,
    run_key,
    runs_dir,
)

__all__ = [
    "PartDone",
    "Partition",
    "dask_client",
    "extract_partition",
    "extract_to_parts",
    "ingest",
    "part_file",
    "plan",
    "read_partition",
    "run_key",
    "runs_dir",
]
