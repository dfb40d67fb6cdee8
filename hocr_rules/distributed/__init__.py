"""`hocr check` beyond one machine: JSON Lines partitions checked on a Dask cluster, findings in partition order,
one summary that reconciles (docs/distributed.md: the recipe, and why Dask).

The client (this process) cuts the input into partitions (`partitions_of`: a file each, or byte ranges of
`blocksize`), submits one task per partition (`worker.check_partition`) and takes the answers back in
partition order, merging each partition's `Summary` into the run's (`Summary.merge`, as `hocr check --workers`
adds up its blocks). So the findings are the bytes a local run writes, concatenated in partition order, and the
summary counts every record read: evaluated, or rejected with its file and line.

At most `window` partitions are in flight (submitted and not yet taken), so neither the cluster's memory nor
this process's grows with the input. Dask retries a task whose worker died (`distributed.scheduler.allowed-
failures` times); a partition it gives up on (`KilledWorker`) is answered as `hocr check --workers` answers a
killed worker's block: each of its records reported as rejected, not evaluated, with a note saying which lines,
never dropped. Any other error in a task (a worker that cannot read a partition, or has another rule pack) is
raised here, as it would be in one process.

With `parts` (a folder), each worker writes its partition's JSON Lines there itself (`part-00000.jsonl`, ...)
and only rejections and counts come back; `summary.jsonl` then holds the summary line, so that
`cat part-*.jsonl summary.jsonl` is the local run's output.
"""

from __future__ import annotations

import contextlib
from collections import deque
from pathlib import Path
from typing import Any, Iterator, Sequence

from hocr_rules.distributed.partitions import Partition, partitions_of
from hocr_rules.distributed.worker import Recipe, check_partition, write_part
from hocr_rules.errors import EngineUnavailable, FileError
from hocr_rules.findings import FindingsWriter
from hocr_rules.outputs import report_file
from hocr_rules.parallel import Spliced, _lost, cores
from hocr_rules.parallel.work import Checked
from hocr_rules.screening import Summary

__all__ = ["Partition", "Recipe", "check_partitions", "connect", "parse_size", "partitions_of", "write_summary"]

SUMMARY = "summary.jsonl"
LOST = "died each time Dask ran its partition (KilledWorker)"


def check_partitions(client, recipe: Recipe, partitions: Sequence[Partition], summary: Summary,
                     parts: Path | None = None, window: int | None = None) -> Iterator[Checked]:
    """Each partition's answer (`Checked`: output pieces and summary) in partition order, its summary merged
    into `summary` as it comes. With `parts`, a partition's pieces are only its rejections: the findings are in
    its part file."""
    KilledWorker = _dask().KilledWorker
    names = _part_names(parts, len(partitions)) if parts is not None else [None] * len(partitions)
    window = window or 2 * max(1, sum(client.nthreads().values()))
    pending: deque = deque()
    for index, partition in enumerate(partitions):
        pending.append((partition, names[index], client.submit(
            check_partition, recipe, partition, names[index], key=f"hocr-check-{recipe.run}-{index}", pure=False)))
        if len(pending) >= window:
            yield _taken(*pending.popleft(), summary, recipe, KilledWorker)
    while pending:
        yield _taken(*pending.popleft(), summary, recipe, KilledWorker)


def _taken(partition: Partition, part: str | None, future, summary: Summary, recipe: Recipe,
           lost: type) -> Checked:
    try:
        checked = future.result()
    except lost:
        checked = _lost(partition.whole(), LOST)
        if part is not None:
            with report_file(part, line_buffered=True) as out:
                write_part(Spliced(FindingsWriter(out, "jsonl"), out), checked.pieces, recipe.include)
    finally:
        future.release()
    summary.merge(checked.summary)
    return checked


def _part_names(parts: Path, count: int) -> list[str]:
    """The part files of a run, in a folder that holds no other run's parts (they would be concatenated with
    this run's, as Spark refuses to write into an existing output folder)."""
    if parts.exists() and not parts.is_dir():
        raise FileError(parts, "is a file: give a folder for the part files")
    if parts.is_dir() and (any(parts.glob("part-*.jsonl")) or (parts / SUMMARY).exists()):
        raise FileError(parts, "holds the part files of an earlier run: give a new or empty folder")
    width = max(5, len(str(count - 1)))
    return [str((parts / f"part-{index:0{width}d}.jsonl").resolve()) for index in range(count)]


def write_summary(parts: Path, summary: Summary) -> Path:
    """The run's summary line, after the parts: as the local run's JSON Lines end."""
    path = parts / SUMMARY
    with report_file(path) as out:
        FindingsWriter(out, "jsonl").close(summary.as_record())
    return path


@contextlib.contextmanager
def connect(address: str, workers: int | None = None) -> Iterator[Any]:
    """A Dask client of the scheduler at `address` (tcp://HOST:8786), or with `local`, of a cluster of `workers`
    processes (default: the cores available), one thread each, on this machine's loopback and without a
    dashboard: nothing is reachable from outside."""
    dask = _dask()
    if address != "local":
        with dask.Client(address) as client:
            yield client
        return
    with dask.LocalCluster(n_workers=workers or cores(), threads_per_worker=1, processes=True, host="127.0.0.1",
                           dashboard_address=None) as cluster, dask.Client(cluster) as client:
        yield client


def parse_size(text: str) -> int:
    """A size as Dask reads one ("64MiB", "1 GB", "100000"); ValueError if it is not one."""
    _dask()
    from dask.utils import parse_bytes
    return parse_bytes(text)


def _dask():
    """dask.distributed, imported when a run needs it (it is an optional extra, and takes a second to import)."""
    try:
        import distributed
    except ImportError:
        raise EngineUnavailable("Dask is not installed here: pip install 'hocr-rules[dask]'") from None
    return distributed
