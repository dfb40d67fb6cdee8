"""What a worker process does with a block: validate, screen and serialize it, and count it.

The worker runs the very pipeline one process runs (`JsonReader.json_lines`, `screen` with the run's engine and
reporting, the format's own writer), so its output cannot drift from a run in one process: what comes back is
the block's output, cut where a record was rejected (the rejection itself comes back as the `InputError`, for
the parent's writer and its message on stderr, in its place), and the block's `Summary`. `Job.check` gives the
output as text (`Fragment`); `Job.store` writes it to a file of its own and gives where (`Stored`), so that
`hocr check --workers` sends no output through a pipe: the parent copies the file into the report in the kernel
(`hocr_rules.parallel.splice`).

For the table, which is rendered in batches of incidents across blocks, what comes back is each incident's
shown findings (`Listed`), for the parent to lay out as one process does.
"""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, NamedTuple

from hocr_rules.errors import InputError
from hocr_rules.intake import Accepted, Intake, Read
from hocr_rules.parallel.blocks import Block
from hocr_rules.parallel.pool import killed_on, kill_if_asked
from hocr_rules.reporting import Reporting
from hocr_rules.screening import Engine, Summary, screen
from hocr_rules.writers import open_writer

TABLE = "table"


class Fragment(NamedTuple):
    """Output text of consecutive incidents, as the format's writer wrote it in the worker."""

    text: str


class Stored(NamedTuple):
    """Output of consecutive incidents, written in the worker as UTF-8 bytes [start, end) of the file `path`."""

    path: str
    start: int
    end: int


class Code(NamedTuple):
    code: str


class Shown(NamedTuple):
    """A finding as the table shows it (`cli.render`): what of an `Outcome` a table row reads."""

    rule: Code
    subject_kind: str
    subject_id: str
    outcome: str
    message: str


class Listed(NamedTuple):
    """An incident's findings for the table, already cut to the outcomes the run shows."""

    incident: str
    shown: list[Shown]

    def findings(self, include: frozenset[str]) -> list[Shown]:
        return self.shown


@dataclass
class Checked:
    """A block's answer: output pieces in input order and its counts."""

    pieces: list[Any] = field(default_factory=list)   # Fragment | Stored | Listed | InputError
    summary: Summary = field(default_factory=Summary)


class Job:
    """Everything a worker needs, made in the parent before the workers are forked (nothing is sent but blocks)."""

    def __init__(self, engine: Engine, reporting: Reporting, intake: Intake, fmt: str, include: frozenset[str]):
        self.engine, self.reporting, self.intake, self.fmt, self.include = engine, reporting, intake, fmt, include
        self.buffer = io.StringIO()
        self.writer = None if fmt == TABLE else open_writer(fmt, self.buffer, engine.pack)
        if hasattr(self.writer, "_first"):  # a block's findings follow others: a separator first (see splice)
            self.writer._first = False
        self._take()  # the document's opening is the parent's
        self.killed_on = killed_on()

    def check(self, block: Block) -> Checked:
        """The block's output as text pieces."""
        return self._check(block, Fragment)

    def store(self, block: Block, folder: str) -> Checked:
        """The block's output written to a new file in `folder`; the pieces say where."""
        sink = _Sink(folder)
        try:
            return self._check(block, sink.keep)
        finally:
            sink.close()

    def _check(self, block: Block, keep: Callable[[str], Any]) -> Checked:
        checked = Checked()
        reads = (block.records if block.records else
                 self.intake.json_lines(block.raw_lines(), block.source, block.start))
        if self.killed_on:
            reads = self._fault(reads)
        for item in screen(reads, self.engine, checked.summary, False, self.reporting):
            if isinstance(item, InputError):
                self._text(checked, keep)
                checked.pieces.append(item)
            elif self.writer is not None:
                self.writer.write(item, self.include)
            elif shown := item.findings(self.include):
                checked.pieces.append(Listed(item.incident, [
                    Shown(Code(o.rule.code), o.subject_kind, o.subject_id, o.outcome, o.message) for o in shown]))
        self._text(checked, keep)
        return checked

    def _fault(self, reads: Iterable[Read]) -> Iterator[Read]:
        for item in reads:
            if isinstance(item, Accepted):
                kill_if_asked(item.incident.id, self.killed_on)
            yield item

    def _text(self, checked: Checked, keep: Callable[[str], Any]) -> None:
        if text := self._take():
            checked.pieces.append(keep(text))

    def _take(self) -> str:
        text = self.buffer.getvalue()
        self.buffer.seek(0)
        self.buffer.truncate()
        return text


class _Sink:
    """The file one block's output goes to, made when there is output. Text that is not UTF-8 (a lone surrogate
    from a JSON escape) stays a `Fragment`, for the parent's stream to take or refuse as in one process."""

    def __init__(self, folder: str):
        self.folder, self.file, self.path = folder, None, ""

    def keep(self, text: str) -> Fragment | Stored:
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:
            return Fragment(text)
        if self.file is None:
            descriptor, self.path = tempfile.mkstemp(dir=self.folder, suffix=".out")
            self.file = open(descriptor, "wb")
        start = self.file.tell()
        self.file.write(data)
        return Stored(self.path, start, start + len(data))

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
