"""Reading what forces hold: incident files in our JSON, STORM log detail text, and tabular exports.

One reader per shape (`jsonfiles`, `storm`, `exports` with `tables`); `Intake` picks the reader for each file
and every reader yields the same items, an `Accepted` incident or an `InputError` naming the file, row (or log
number and line) and field or column, so a run accounts for every record it was given. The files of a tabular
export are read together, as one export, since its tables join on keys; they need a force mapping.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator
from zoneinfo import ZoneInfo

from hocr_rules.errors import InputError
from hocr_rules.intake.jsonfiles import CHUNK, JsonReader
from hocr_rules.intake.records import Accepted, Read
from hocr_rules.model.timestamps import NAIVE_TIMEZONE
from hocr_rules.offences import OffenceTable

if TYPE_CHECKING:  # the mapping model is built only when an export is read through one (--mapping)
    from hocr_rules.intake.mapping import ForceMapping

__all__ = ["CHUNK", "Accepted", "Intake", "Read"]

_JSON = (".json", ".jsonl", ".ndjson")
_TABULAR = (".csv", ".tsv", ".xlsx", ".xlsm", ".csv.gz", ".tsv.gz", ".xlsx.gz")


class Intake:
    """Turns files into accepted incidents and reported rejections, never silently dropping one."""

    def __init__(self, offences: OffenceTable | None = None, naive_timezone: ZoneInfo | None = None,
                 mapping: ForceMapping | None = None):
        self.offences = offences or OffenceTable.load()
        self.naive_timezone, self.mapping = naive_timezone, mapping
        self.context = {NAIVE_TIMEZONE: naive_timezone} if naive_timezone else None
        self._json = JsonReader(self.offences, self.context)
        self.readers: list = []   # the STORM and export readers used, for their counts and coverage

    def read(self, names: list[str]) -> Iterator[Read]:
        tabular = [name for name in names if is_tabular(name)]
        for name in names:
            if name in tabular:
                if name == tabular[0]:
                    yield from self._export(tabular)
            else:
                yield from self.read_one(name)

    def read_one(self, name: str) -> Iterator[Read]:
        if name == "-" or name.lower().endswith(_JSON):
            yield from self._json.read_one(name)
        elif is_tabular(name):
            yield from self._export([name])
        else:
            from hocr_rules.intake.storm import StormReader, is_storm
            path = Path(name)
            if path.is_file() and is_storm(path):
                reader = StormReader(self.offences, self.mapping, self.naive_timezone)
                self.readers.append(reader)
                yield from reader.read_one(path)
            else:
                yield from self._json.read_one(name)

    def json_lines(self, lines: Iterable[bytes], source: str, start: int = 1) -> Iterator[Read]:
        """Lines of a JSON Lines file from line number `start`: a block of one, in a worker process."""
        return self._json.json_lines(lines, source, start)

    def validate(self, item: Any, source: str, line: int) -> Read:
        """One record already decoded (a JSON object as a dict), e.g. an incident changed by `hocr explain --set`."""
        return self._json.validate(item, source, line)

    def _export(self, names: list[str]) -> Iterator[Read]:
        if self.mapping is None:
            for name in names:
                yield InputError(name, None, None, [("file", "a CSV or XLSX export is read through a force mapping: "
                                                             "give --mapping FILE (draft one with `hocr mapping "
                                                             "init` on the export's files)")])
            return
        from hocr_rules.intake.exports import ExportReader
        reader = ExportReader(self.mapping, self.offences)
        self.readers.append(reader)
        yield from reader.read([Path(name) for name in names])

    def table_counts(self) -> list[str]:
        """Per table of the exports read: rows read = used + rejected, for the summary."""
        return [count.line(table) for reader in self.readers for table, count in getattr(reader, "counts", {}).items()]


def is_tabular(name: str) -> bool:
    return name.lower().endswith(_TABULAR)
