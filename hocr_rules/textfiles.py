"""Reading a small text file a user named (a rule file, profile, baseline or auditors' worksheet): whatever is
wrong with it (missing, a folder, unreadable, not text in an encoding we read) is one `FileError` naming the
file, never a raw OSError or codec error.

Worksheets come back from auditors' spreadsheets: Excel on Windows saves "CSV" in the machine's ANSI code page
(Windows-1252 in England and Wales) unless told "CSV UTF-8". So a worksheet is read as UTF-8 (with or without a
byte order mark) and, only if that fails, as Windows-1252, which is the one reading of those bytes that
Excel meant. Rule files and profiles are our own format and must be UTF-8 (YAML 1.1 says so).
"""

from __future__ import annotations

import os
from pathlib import Path

from hocr_rules.errors import FileError

WINDOWS = "cp1252"


def read_text(path: str | os.PathLike[str], what: str, *, windows_fallback: bool = False,
              limit: int | None = None) -> str:
    """The text of ``path``; ``what`` names the kind of file in messages ("profile", "worksheet"). A file larger
    than ``limit`` bytes is refused before it is read."""
    data = read_bytes(path, what, limit)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if windows_fallback:
            try:
                return data.decode(WINDOWS)
            except UnicodeDecodeError:
                pass
        line = data.count(b"\n", 0, error.start) + 1
        expected = "UTF-8 or Windows-1252" if windows_fallback else "UTF-8"
        raise FileError(path, f"the {what} is not {expected} text (byte 0x{data[error.start]:02x} on line {line}); "
                              f"save it as UTF-8") from None


def read_bytes(path: str | os.PathLike[str], what: str, limit: int | None = None) -> bytes:
    target = Path(path)
    if target.is_dir():
        raise FileError(path, f"is a folder, not a {what}")
    try:
        size = target.stat().st_size
        if limit is not None and size > limit:
            raise FileError(path, f"file is {size} bytes; {what}s are limited to {limit}")
        return target.read_bytes()
    except FileNotFoundError:
        raise FileError(path, f"no such {what}") from None
    except OSError as error:
        raise FileError(path, f"cannot read the {what} ({error.strerror})") from None

