"""Reading what forces hold: incident files in our JSON, STORM log detail text, and tabular exports.

One reader per shape (`jsonfiles`, `storm`, `exports`); `Intake` picks the reader for each file and every
reader yields the same items, an `Accepted` incident or an `InputError` naming the file, row (or log number
and action line) and field or column, so a run accounts for every record it was given.
"""

from __future__ import annotations

from typing import Iterator
from zoneinfo import ZoneInfo

from hocr_rules.intake.jsonfiles import CHUNK, JsonReader
from hocr_rules.intake.records import Accepted, Read
from hocr_rules.model.timestamps import NAIVE_TIMEZONE
from hocr_rules.offences import OffenceTable

__all__ = ["CHUNK", "Accepted", "Intake", "Read"]


class Intake:
    """Turns files into accepted incidents and reported rejections, never silently dropping one."""

    def __init__(self, offences: OffenceTable | None = None, naive_timezone: ZoneInfo | None = None):
        self.offences = offences or OffenceTable.load()
        self.context = {NAIVE_TIMEZONE: naive_timezone} if naive_timezone else None
        self._json = JsonReader(self.offences, self.context)

    def read(self, names: list[str]) -> Iterator[Read]:
        for name in names:
            yield from self.read_one(name)

    def read_one(self, name: str) -> Iterator[Read]:
        yield from self._json.read_one(name)
