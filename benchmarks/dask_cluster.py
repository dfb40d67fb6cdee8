"""Benchmark `hocr distributed` on a local Dask cluster: incidents per second per worker, against one process.

Synthetic incidents (benchmarks/synthetic.py) are written as `--partitions` JSON Lines files (not timed). A
`LocalCluster` of `--workers` processes (one thread each, loopback, no dashboard) is started and every worker
loads the rule pack before anything is timed (a real audit pays that once per worker, under a second idle).
Then, alternating, `--repeat` times:

- **one process**: the same task function (`hocr_rules.distributed.worker.check_partition`, writing part files)
  over every partition in this process, pinned to one core: the rate one worker could reach without Dask;
- **cluster**: `check_partitions` over the partitions with `--parts`, as `hocr distributed --parts` runs it.

It prints the medians: incidents/s in all and per worker, the per-worker rate as a share of one process's (what
Dask's scheduling, pickling and this shared machine cost), incidents per CPU second in one process and in the
workers (CPU time is what a loaded machine distorts least), the load average before and after (the machine is
shared: a load above the number of cores means the workers waited for a core), and whether the cluster's part
files are byte-identical to the one-process ones.

    python benchmarks/dask_cluster.py                              # 40,000 incidents, 8 partitions, 2 workers
    python benchmarks/dask_cluster.py --incidents 100000 --partitions 20 --workers 2 --repeat 3
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def write_partitions(folder: Path, incidents: int, partitions: int, seed: int) -> list[str]:
    import synthetic
    whole = folder / "all.jsonl"
    synthetic.write_jsonl(whole, incidents, seed)
    lines = whole.read_bytes().splitlines(keepends=True)
    whole.unlink()
    names, size = [], -(-len(lines) // partitions)
    for index in range(partitions):
        path = folder / f"part-{index:03d}.jsonl"
        path.write_bytes(b"".join(lines[index * size:(index + 1) * size]))
        names.append(str(path))
    return names


def one_process(recipe, partitions, out: Path) -> tuple[float, float]:
    """Every partition through the task function here, pinned to one core: (seconds, CPU seconds)."""
    from hocr_rules.distributed.worker import check_partition
    cores = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {max(cores)})
    try:
        started, cpu = time.perf_counter(), time.process_time()
        for index, partition in enumerate(partitions):
            check_partition(recipe, partition, str(out / f"part-{index:05d}.jsonl"))
        return time.perf_counter() - started, time.process_time() - cpu
    finally:
        os.sched_setaffinity(0, cores)


def on_cluster(client, recipe, partitions, out: Path) -> tuple[float, float]:
    """The partitions on the cluster: (seconds, CPU seconds of all the worker processes)."""
    from hocr_rules.distributed import check_partitions
    from hocr_rules.screening import Summary
    cpu = client.run(time.process_time)
    started = time.perf_counter()
    summary = Summary()
    for _ in check_partitions(client, recipe, partitions, summary, out):
        pass
    seconds = time.perf_counter() - started
    used = sum(after - cpu[worker] for worker, after in client.run(time.process_time).items())
    assert summary.reconciles and summary.rejected == 0
    return seconds, used


def concatenated(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.glob("part-*.jsonl")))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--incidents", type=int, default=40_000)
    parser.add_argument("--partitions", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    import distributed

    from hocr_rules.distributed import Recipe, partitions_of
    from hocr_rules.distributed.worker import _pack
    from hocr_rules.engine.outcomes import BREACH, REVIEW
    from hocr_rules.reporting import Reporting
    from hocr_rules.rulebook.pack import DEFAULT_RULES, RulePack

    with tempfile.TemporaryDirectory(prefix="hocr-dask-bench-") as tmp:
        folder = Path(tmp)
        (folder / "in").mkdir()
        names = write_partitions(folder / "in", args.incidents, args.partitions, args.seed)
        partitions = partitions_of(names)
        pack = RulePack.load([DEFAULT_RULES])
        recipe = Recipe.of([DEFAULT_RULES], None, pack, Reporting(), False, "jsonl", frozenset({BREACH, REVIEW}))
        with distributed.LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                                      host="127.0.0.1", dashboard_address=None) as cluster, \
                distributed.Client(cluster) as client:
            client.run(lambda r: _pack(r) and None, recipe)   # every worker loads the pack now, untimed
            _pack(recipe)
            load_before = os.getloadavg()[0]
            alone, together = [], []
            for run in range(args.repeat):
                (folder / f"one-{run}").mkdir()
                alone.append(one_process(recipe, partitions, folder / f"one-{run}"))
                together.append(on_cluster(client, recipe, partitions, folder / f"cluster-{run}"))
            load_after = os.getloadavg()[0]
        same = all(concatenated(folder / f"cluster-{run}") == concatenated(folder / "one-0")
                   for run in range(args.repeat))

    n = args.incidents
    one = n / statistics.median(s for s, _ in alone)
    total = n / statistics.median(s for s, _ in together)
    one_cpu = n / statistics.median(c for _, c in alone)
    worker_cpu = n / statistics.median(c for _, c in together)
    print(f"{n:,} incidents in {args.partitions} partitions, {args.workers} workers x 1 thread, "
          f"{os.cpu_count()} cores on this machine, {args.repeat} alternating runs (medians)")
    print(f"  one process (pinned) : {one:10,.0f} incidents/s   runs: " + ", ".join(f"{n / s:,.0f}" for s, _ in alone))
    print(f"  cluster              : {total:10,.0f} incidents/s   runs: "
          + ", ".join(f"{n / s:,.0f}" for s, _ in together))
    print(f"  per worker           : {total / args.workers:10,.0f} incidents/s = {total / args.workers / one:.0%} "
          f"of one process; cluster / one process = {total / one:.2f}x")
    print(f"  per CPU second       : {one_cpu:10,.0f} in one process, {worker_cpu:,.0f} in the workers "
          f"({worker_cpu / one_cpu:.0%}: what a worker spends beside checking)")
    print(f"  load average (1 min) : {load_before:.2f} before, {load_after:.2f} after")
    print(f"  part files identical to one process's: {'yes' if same else 'NO'}")

if __name__ == "__main__":
    main()
