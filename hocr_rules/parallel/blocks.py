"""Cutting a run's input into blocks for worker processes, in input order.

A JSON Lines file is cut into blocks of raw lines (about `BLOCK_BYTES` each) with the number of the first line:
the parent only splits bytes at newlines, and the worker parses and validates them, so nothing is parsed twice
and the parent stays free to write. Every other input (a JSON document or array, standard input, a STORM print,
a tabular export read through a force mapping) is read by the parent's own `Intake`, exactly as one process
reads it, and its records (accepted incidents and rejections) go to the workers in blocks of `BLOCK_RECORDS`:
those readers need the whole file (an array, a join of tables), and their per-table counts stay in the parent's
intake for the summary.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from hocr_rules.errors import InputError
from hocr_rules.intake import Intake, Read, is_tabular

BLOCK_BYTES = 1 << 19     # about 400 synthetic incidents: a few tens of milliseconds of work, a few in flight
BLOCK_RECORDS = 200
BOM = b"\xef\xbb\xbf"
JSON_LINES = (".jsonl", ".ndjson")   # the names the intake reads line by line without sniffing


@dataclass
class Block:
    """Raw lines of one file from line `start`, or records already read by the parent's intake."""

    source: str
    start: int = 1
    lines: list[bytes] = field(default_factory=list)
    records: list[Read] = field(default_factory=list)

    def lost(self, why: str) -> list[InputError]:
        """Each record of a block whose worker died, reported as not evaluated rather than dropped."""
        problem = [("worker", f"not evaluated: the worker process checking this record {why}")]
        if self.records:
            return [r if isinstance(r, InputError) else InputError(r.source, r.line, r.incident.id, problem)
                    for r in self.records]
        lost = []
        for number, text in enumerate(self.lines, start=self.start):
            text = text.removeprefix(BOM) if number == 1 else text
            if text and not text.isspace():   # the lines JsonReader.json_lines reads as records
                lost.append(InputError(self.source, number, None, problem))
        return lost

    @property
    def where(self) -> str:
        if self.records:
            return f"{len(self.records)} records from {self.source}"
        return f"lines {self.start}-{self.start + len(self.lines) - 1} of {self.source}"


def in_blocks(intake: Intake, names: list[str]) -> Iterator[Block]:
    """The blocks of `names` in the order `Intake.read` reads them (the files of a tabular export together, at
    the place of the first)."""
    tabular = [name for name in names if is_tabular(name)]
    for name in names:
        if name in tabular:
            if name == tabular[0]:
                yield from _record_blocks(intake.read(tabular), name)
        elif name != "-" and name.lower().endswith(JSON_LINES):
            yield from _line_blocks(intake, name)
        else:
            yield from _record_blocks(intake.read_one(name), name)


def _line_blocks(intake: Intake, name: str) -> Iterator[Block]:
    try:
        handle = Path(name).open("rb")
    except OSError:   # the intake words the problem, as for one process
        yield from _record_blocks(intake.read_one(name), name)
        return
    with handle:
        start = 1
        while lines := handle.readlines(BLOCK_BYTES):
            yield Block(name, start, lines=lines)
            start += len(lines)


def _record_blocks(reads: Iterator[Read], name: str) -> Iterator[Block]:
    while records := list(itertools.islice(reads, BLOCK_RECORDS)):
        yield Block(name, records=records)
