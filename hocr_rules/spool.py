"""Items a report lists after everything else, kept on disk until the report's end instead of in memory.

The JSON document lists every rejected record after the findings, and SARIF its error notifications after the
results, but rejections arrive mixed with findings, in input order. Holding them in a list for the end made
memory grow with the share of bad records (328 MiB for 200,000 rejected records, issue 11). A `Spool` appends
each item's text to an anonymous temporary file as it comes (made at the first item, so a clean run makes
none) and copies it into the report at the end: the same bytes in the same order, whatever their number, in
the memory of one.

The file is written and read back as UTF-8 with lone surrogates passed through (a JSON escape such as
"\\ud800" in an incident id is text Python can hold but UTF-8 cannot), so the report's own stream takes or
refuses such text exactly as it would have had it been written straight to it.
"""

from __future__ import annotations

import shutil
import tempfile
from typing import IO


class Spool:
    """Text items joined by `separator`, spooled to disk; `copy_to` writes them out, once, at the report's end."""

    def __init__(self, separator: str = ", ") -> None:
        self.separator = separator
        self.count = 0
        self._file: IO[str] | None = None

    def append(self, text: str) -> None:
        if self._file is None:
            self._file = tempfile.TemporaryFile("w+", encoding="utf-8", errors="surrogatepass", newline="")
        else:
            self._file.write(self.separator)
        self._file.write(text)
        self.count += 1

    def copy_to(self, out: IO[str]) -> None:
        """Write every item so far to `out`, in the order appended; the temporary file is removed."""
        if self._file is None:
            return
        with self._file as spooled:
            spooled.seek(0)
            shutil.copyfileobj(spooled, out)
        self._file = None
