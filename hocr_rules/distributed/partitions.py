"""An audit's input as Dask partitions: JSON Lines files on a filesystem every worker reads, whole or cut.

A partition is a byte range of one file that starts and ends at a line end, with the number of its first line,
so that a worker reports a rejected record with the file and line a local `hocr check` of that file reports.
The descriptor is all that travels to a worker; the worker reads the bytes itself, from the same path.

One partition per file is the plan for an audit delivered as many files (a folder per force, a file per
month). `blocksize` cuts large files as well: this process then reads each file once to find line ends and
count lines (a newline count, a few hundred MB/s, against about 30 MB/s checked per worker), which is why
`dask.bag.read_text` is not used: its blocks do not know their line numbers.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from hocr_rules.errors import FileError, HocrError
from hocr_rules.parallel.blocks import BLOCK_BYTES, JSON_LINES, Block


@dataclass(frozen=True)
class Partition:
    """Lines of `source` from byte `start` to byte `end` (None: the end of the file), the first being `line`;
    `source` is the file as named here (rejections name it so), `path` where every worker opens it."""

    source: str
    path: str
    start: int = 0
    end: int | None = None
    line: int = 1

    def blocks(self, size: int = BLOCK_BYTES) -> Iterator[Block]:
        """The partition's lines in blocks of about `size` bytes, as `hocr check --workers` cuts a file, so a
        worker holds one block of input at a time."""
        try:
            handle = Path(self.path).open("rb")
        except OSError as error:   # a plain HocrError: it crosses back to the client by pickle, as FileError cannot
            raise HocrError(f"{self.source}: cannot be read on a Dask worker ({error.strerror}): partitions must "
                            "be on a filesystem every worker shares, under the same path") from None
        with handle:
            handle.seek(self.start)
            number, left = self.line, (self.end if self.end is not None else os.fstat(handle.fileno()).st_size)
            left -= self.start
            while left > 0 and (data := handle.read(min(size, left))):
                if not data.endswith(b"\n") and len(data) < left:
                    data += handle.readline()   # the partition ends at a line end: this stops there at the latest
                left -= len(data)
                lines = io.BytesIO(data).readlines()   # at b"\n" only, as the intake reads lines
                yield Block(self.source, number, lines=lines)
                number += len(lines)

    def whole(self) -> Block:
        """The partition as one block (for reporting the records of a partition that was lost)."""
        block = Block(self.source, self.line)
        for part in self.blocks():
            block.lines.extend(part.lines)
        return block


def partitions_of(names: Iterable[str | Path], blocksize: int | None = None) -> list[Partition]:
    """The partitions of JSON Lines files and folders of them (a folder's `*.jsonl` and `*.ndjson` files in name
    order, as a shell's sorted glob lists them), in the order given; with `blocksize`, files larger than that
    are cut at the first line end after every `blocksize` bytes."""
    partitions: list[Partition] = []
    for name in names:
        for source in _files(str(name)):
            path = str(Path(source).resolve())
            partitions.extend(_cut(source, path, blocksize) if blocksize else [Partition(source, path)])
    return partitions


def _files(name: str) -> list[str]:
    """A file by the name given (a local run names it so in its rejections), a folder's files under it."""
    path = Path(name)
    if path.is_dir():
        found = sorted(p for p in path.iterdir() if p.name.lower().endswith(JSON_LINES) and p.is_file())
        if not found:
            raise FileError(name, "holds no JSON Lines files (*.jsonl, *.ndjson)")
        return [str(p) for p in found]
    if not path.is_file():
        raise FileError(name, "no such file")
    if not name.lower().endswith(JSON_LINES):
        raise FileError(name, "is not JSON Lines (*.jsonl, *.ndjson): a Dask run reads JSON Lines partitions; "
                              "check other inputs (JSON, STORM prints, exports) with `hocr check`")
    return [name]


def _cut(source: str, path: str, blocksize: int) -> Iterator[Partition]:
    with open(path, "rb") as handle:
        start, line = 0, 1
        while chunk := handle.read(blocksize):
            if not chunk.endswith(b"\n"):
                chunk += handle.readline()   # to the end of the line (or of the file)
            yield Partition(source, path, start, start + len(chunk), line)
            start += len(chunk)
            line += chunk.count(b"\n")
