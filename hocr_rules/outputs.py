"""Writing a report file so that it is either whole or absent, and saying in one line why it cannot be written.

An audit report is evidence: a run stopped half way (an error in the input under --strict, Ctrl-C, a full disk)
must not leave a file that looks like a finished report. So a report is written to a hidden temporary file in
the same folder (``.NAME.partial-XXXX``) and renamed over NAME only when the writing finished; a rename within
one folder is atomic on every system we run on (`os.replace`). A run that is killed outright leaves only the
``.partial`` file, never NAME.

JSON Lines are also flushed line by line (``line_buffered``), to a file or to standard output, so whatever a
killed run leaves (the ``.partial`` file, or what a pipe received) holds only whole lines.

Folders that do not exist yet are created, as ``mkdir -p`` and most tools' ``-o`` do: an audit unit writes each
run into a new dated folder. Anything else that stops the writing (the name is a folder, a parent is a file, no
permission) is a `FileError` naming the path: one line and exit 2 on the command line, never a traceback.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path
from typing import IO, Iterator

from hocr_rules.errors import FileError


@contextlib.contextmanager
def report_file(path: str | os.PathLike[str] | None, *, line_buffered: bool = False, encoding: str = "utf-8",
                newline: str | None = "") -> Iterator[IO[str]]:
    """A text handle for the report at ``path`` (standard output when None), put in place only if the block
    ends without an exception."""
    if path is None:
        if line_buffered and hasattr(sys.stdout, "reconfigure"):
            sys.stdout.reconfigure(line_buffering=True)
        yield sys.stdout
        sys.stdout.flush()
        return
    target = Path(path)
    handle, partial = _open_partial(target, line_buffered, encoding, newline)
    try:
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        _replace(partial, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(partial)
        raise


def _open_partial(target: Path, line_buffered: bool, encoding: str, newline: str | None) -> tuple[IO[str], str]:
    if target.is_dir():
        raise FileError(target, "is a folder; give a file name to write the report to")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        descriptor, partial = tempfile.mkstemp(prefix=f".{target.name}.partial-", dir=target.parent)
    except FileExistsError:
        raise FileError(target, "cannot be written: a part of its folder path is a file, not a folder") from None
    except OSError as error:
        raise FileError(target, f"cannot be written ({error.strerror})") from None
    return os.fdopen(descriptor, "w", encoding=encoding, newline=newline, buffering=1 if line_buffered else -1), \
        partial


def _replace(partial: str, target: Path) -> None:
    try:
        os.chmod(partial, 0o666 & ~_umask())  # mkstemp makes it owner-only; a report gets the usual mode
        os.replace(partial, target)
    except OSError as error:
        raise FileError(target, f"cannot be written ({error.strerror})") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
