"""`hocr check --workers N` with the default engine: the run spread over worker processes, output unchanged.

The input is cut into blocks (`blocks`: byte ranges of JSON Lines files, which each worker reads itself; records
the parent's intake read from any other input), forked workers validate, screen and serialize each block with
the run's own writer into a file of their own (`work`), and the parent copies those files into the report in
input order (`pool`, `inorder`, `splice`) and adds up their summaries (`Summary.merge`). So the output is byte for byte what
one process writes, in every format, the summary reconciles the same way, and the parent does almost nothing
(it counts newlines and copies in the kernel), leaving the cores to the workers.

`screen_in_workers` yields what the command's writer loop takes: `Stored` (output to copy as it is),
`Fragment` (text to write as it is), `Listed` (an incident's findings for the table) and `InputError` (a
rejected record, in its place); `Spliced` wraps the format's writer so that it writes the first two. Small
inputs (under `MIN_BYTES`), standard input alone and `--workers 1` run in this process, where forking would cost
more than it saves.
"""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, Iterator

from hocr_rules.errors import InputError
from hocr_rules.intake import Intake
from hocr_rules.parallel.blocks import Block, in_blocks
from hocr_rules.parallel.pool import Pool, can_fork
from hocr_rules.parallel.splice import copy_into, first_byte
from hocr_rules.parallel.work import Checked, Fragment, Job, Listed, Stored
from hocr_rules.screening import Summary

__all__ = ["MIN_BYTES", "Fragment", "Job", "Listed", "Spliced", "Stored", "cores", "screen_in_workers",
           "worker_count"]

#: Inputs smaller than this (about 1,300 synthetic incidents) are checked in one process.
MIN_BYTES = 2 << 20


def cores() -> int:
    """The cores this process may run on (its affinity, as `taskset` or a container sets it)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:   # not Linux
        return os.cpu_count() or 1


def worker_count(requested: int | None, names: list[str]) -> int:
    """How many worker processes to use: `requested` (default: the cores available), or 0 to run in this
    process when that is one, forking is not available, or the input is small (standard input counts as
    small: its size is not known)."""
    workers = cores() if requested is None else requested
    if workers <= 1:
        return 0
    size = sum(os.path.getsize(name) for name in names if name != "-" and Path(name).is_file())
    return workers if size >= MIN_BYTES and can_fork() else 0


def screen_in_workers(job: Job, intake: Intake, names: list[str], summary: Summary, workers: int,
                      strict: bool = False) -> Iterator[Any]:
    """The run's output pieces in input order, with `summary` added up as they come (as `screen` counts). The
    workers are started now, before the caller starts anything else (a progress bar's thread)."""
    folder = tempfile.mkdtemp(prefix="hocr-workers-")   # the workers' output, each block's file removed once copied
    pool = Pool(functools.partial(job.store, folder=folder), workers, _lost)
    return _answers(pool, in_blocks(intake, names), intake, summary, strict, job, folder)


def _answers(pool: Pool, pending: Iterator[Block], intake: Intake, summary: Summary, strict: bool,
             job: Job, folder: str) -> Iterator[Any]:
    try:
        for checked in pool.map(pending):
            for piece in checked.pieces:
                if strict and isinstance(piece, InputError):
                    raise piece
                yield piece
            for path in {piece.path for piece in checked.pieces if isinstance(piece, Stored)}:
                os.unlink(path)
            summary.merge(checked.summary)
    finally:
        pool.close()
        shutil.rmtree(folder, ignore_errors=True)
    summary.notes.extend(intake.table_counts())
    summary.notes.extend(note for note in job.engine.notes if note not in summary.notes)


def _lost(block: Block, why: str) -> Checked:
    """A block whose worker died: each of its records rejected, and a note saying which."""
    checked = Checked(pieces=block.lost(why))
    checked.summary.read = checked.summary.rejected = len(checked.pieces)
    checked.summary.notes.append(f"a worker process {why} while checking {block.where}; its "
                                 f"{len(checked.pieces)} records were not evaluated and are reported as rejected")
    return checked


class Spliced:
    """A format's writer that also takes `Stored` output and `Fragment`s, written as they are. JSON and SARIF
    separate findings with commas: a worker writes every finding as following another (`Job`), so the first of
    the run loses its comma here, as the writer itself would have written it."""

    def __init__(self, writer, out):
        self.writer, self.out = writer, out

    def write(self, item, include: frozenset[str]) -> None:
        if not isinstance(item, (Stored, Fragment)):
            self.writer.write(item, include)
            return
        comma = getattr(self.writer, "_first", False) and (
            first_byte(item) == b"," if isinstance(item, Stored) else item.text.startswith(","))
        if comma:
            self.writer._first = False
        if isinstance(item, Stored):
            copy_into(item, self.out, skip=int(comma))
        else:
            self.out.write(item.text[int(comma):])

    def close(self, summary: dict) -> None:
        self.writer.close(summary)
