"""Copying a worker's stored output into the report, in the kernel where the report is a UTF-8 file or pipe.

A worker writes a block's output to a file of its own (`Job.store`), so the parent neither receives nor encodes
it: `os.sendfile` copies the bytes from that file to the report's descriptor. When the report is not a real file
in UTF-8 (a test runner's captured stream, `PYTHONIOENCODING` set to another encoding), the text is decoded and
written through the stream, which then encodes it, or refuses a character, exactly as in one process.
"""

from __future__ import annotations

import codecs
import io
import os
from typing import IO

from hocr_rules.parallel.work import Stored


def copy_into(stored: Stored, out: IO[str], skip: int = 0) -> None:
    """Write bytes [start + skip, end) of the stored file to `out`."""
    start, count = stored.start + skip, stored.end - stored.start - skip
    with open(stored.path, "rb") as source:
        descriptor = _descriptor(out)
        if descriptor is not None:
            out.flush()
            try:
                while count > 0:
                    sent = os.sendfile(descriptor, source.fileno(), start, count)
                    if sent == 0:
                        raise OSError(f"{stored.path} ended before byte {stored.end}")
                    start, count = start + sent, count - sent
                return
            except OSError:
                if start != stored.start + skip:
                    raise
                # nothing sent: a descriptor sendfile does not write to (opened to append, a terminal)
        source.seek(start)
        out.write(source.read(count).decode("utf-8"))


def first_byte(stored: Stored) -> bytes:
    with open(stored.path, "rb") as source:
        source.seek(stored.start)
        return source.read(1)


def _descriptor(out: IO[str]) -> int | None:
    """The report's descriptor, if the bytes it would be given are exactly the stored ones."""
    try:
        descriptor = out.fileno()
    except (AttributeError, OSError, io.UnsupportedOperation):
        return None
    if codecs.lookup(getattr(out, "encoding", None) or "ascii").name != "utf-8" or not hasattr(os, "sendfile"):
        return None
    return descriptor
