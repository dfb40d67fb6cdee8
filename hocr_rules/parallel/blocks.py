"""Cutting a run's input into blocks for worker processes, in input order.

A JSON Lines file is cut into byte ranges of about `BLOCK_BYTES`, each ending at a newline (a seek and one
`readline` per cut), with the number of its first line: the parent only counts the newlines of each range (in C,
`bytes.count`), and the worker opens the file, reads its own range, parses and validates it. So no record crosses
a pipe and the parent stays almost idle. The line numbers are the parent's because findings carry them (SARIF
regions, GitHub annotations, JUnit properties), not only rejections.

Every other input (a JSON document or array, standard input, a STORM print, a tabular export read through a
force mapping) is read by the parent's own `Intake`, exactly as one process reads it, and its records (accepted
incidents and rejections) go to the workers in blocks of `BLOCK_RECORDS`: those readers need the whole file (an
array, a join of tables), and their per-table counts stay in the parent's intake for the summary.
"""

from __future__ import annotations

import io
import itertools
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from hocr_rules.errors import InputError
from hocr_rules.intake import Intake, Read, is_tabular

BLOCK_BYTES = 1 << 21     # about 2,900 synthetic incidents: a tenth of a second of work, small next to a run
BLOCK_RECORDS = 200
BOM = b"\xef\xbb\xbf"
JSON_LINES = (".jsonl", ".ndjson")   # the names the intake reads line by line without sniffing


@dataclass
class Block:
    """Lines of one file from line `start`: given (`lines`), or the bytes `span` of the file, which the worker
    reads itself; or else records already read by the parent's intake."""

    source: str
    start: int = 1
    lines: list[bytes] = field(default_factory=list)
    records: list[Read] = field(default_factory=list)
    span: tuple[int, int] | None = None   # [first byte, end) of `source`, cut at newlines

    def raw_lines(self) -> Iterable[bytes]:
        """The block's lines, split at newlines only, as `JsonReader.json_lines` reads a file."""
        if self.span is None:
            return self.lines
        first, end = self.span
        with open(self.source, "rb") as handle:
            handle.seek(first)
            return io.BytesIO(handle.read(end - first))

    def lost(self, why: str) -> list[InputError]:
        """Each record of a block whose worker died, reported as not evaluated rather than dropped."""
        problem = [("worker", f"not evaluated: the worker process checking this record {why}")]
        if self.records:
            return [r if isinstance(r, InputError) else InputError(r.source, r.line, r.incident.id, problem)
                    for r in self.records]
        lost = []
        for number, text in enumerate(self.raw_lines(), start=self.start):
            text = text.removeprefix(BOM) if number == 1 else text
            if text and not text.isspace():   # the lines JsonReader.json_lines reads as records
                lost.append(InputError(self.source, number, None, problem))
        return lost

    @property
    def where(self) -> str:
        if self.records:
            return f"{len(self.records)} records from {self.source}"
        if self.span is not None:
            return f"bytes {self.span[0]}-{self.span[1]} (from line {self.start}) of {self.source}"
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
    """Byte ranges of a JSON Lines file, each ending after a newline (or at the end of the file)."""
    try:
        handle = Path(name).open("rb")
    except OSError:   # the intake words the problem, as for one process
        yield from _record_blocks(intake.read_one(name), name)
        return
    with handle:
        size = os.fstat(handle.fileno()).st_size
        first, start = 0, 1
        while first < size:
            handle.seek(first + BLOCK_BYTES - 1)
            handle.readline()
            end = min(handle.tell(), size)
            handle.seek(first)
            yield Block(name, start, span=(first, end))
            start += handle.read(end - first).count(b"\n")
            first = end


def _record_blocks(reads: Iterator[Read], name: str) -> Iterator[Block]:
    while records := list(itertools.islice(reads, BLOCK_RECORDS)):
        yield Block(name, records=records)
