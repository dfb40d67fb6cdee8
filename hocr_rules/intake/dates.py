"""Reading an export's dates and times in the formats its mapping names, in the mapping's zone.

`datetime.strptime` is exact but slow (about 10 us a call: a tabular export of 200,000 incidents with 20 log
entries each has four million times), so a format made only of fixed-width fields (%d %m %Y %H %M %S and
literal characters, e.g. `%d/%m/%Y %H:%M:%S`) is read by slicing, and anything that slicing does not accept
is tried with `strptime` itself, so the two readings never differ. A time written without an offset is in the
mapping's zone (an hour repeated when the clocks go back reads as its first occurrence, fold 0); a date alone
is never read as midnight.
"""

from __future__ import annotations

from datetime import datetime
from operator import itemgetter
from zoneinfo import ZoneInfo

_WIDTH = {"d": 2, "m": 2, "Y": 4, "H": 2, "M": 2, "S": 2}


class DateFormats:
    def __init__(self, layouts: list[str], zone: ZoneInfo):
        self.zone = zone
        self._readers = [self._iso if layout == "iso" else _Layout(layout).read for layout in layouts]

    def read(self, value) -> datetime | None:
        """The time `value` gives, with its zone; None when no format reads it."""
        if value.__class__ is not str:  # a workbook's date cell (a CSV cell, nearly every call, is text)
            if isinstance(value, tuple):  # staged: ("datetime", ISO text)
                value = datetime.fromisoformat(value[1])
            if isinstance(value, datetime):
                return value if value.tzinfo else value.replace(tzinfo=self.zone)
        value = value.strip()
        for reader in self._readers:
            moment = reader(value)
            if moment is not None:
                return moment if moment.tzinfo else moment.replace(tzinfo=self.zone)
        return None

    @staticmethod
    def _iso(value: str) -> datetime | None:
        if len(value) <= 10:  # a date alone is not a time
            return None
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None


class _Layout:
    """One strptime format, read by slicing when its fields are all fixed-width: the literal characters are
    checked in place, and the fields rearranged into ISO text for `datetime.fromisoformat` (C, strict about
    digits and ranges)."""

    def __init__(self, layout: str):
        self.layout = layout
        fields: dict[str, slice] = {}
        literals: list[tuple[int, str]] = []
        position, index, fixed = 0, 0, True
        while index < len(layout):
            char = layout[index]
            if char == "%" and index + 1 < len(layout):
                code = layout[index + 1]
                if code not in _WIDTH or code in fields:
                    fixed = False
                    break
                fields[code] = slice(position, position + _WIDTH[code])
                position += _WIDTH[code]
                index += 2
            else:
                literals.append((position, char))
                position += 1
                index += 1
        self.width = position
        self.fixed = fixed and set(fields) in ({"Y", "m", "d", "H", "M"}, {"Y", "m", "d", "H", "M", "S"})
        if self.fixed:
            self._literals = tuple(char for _, char in literals)
            self._literal_at = itemgetter(*[at for at, _ in literals]) if literals else (lambda value: ())
            if len(literals) == 1:
                self._literals = self._literals[0]
            codes = [code for code in "HMS" if code in fields]
            self._fields = itemgetter(fields["Y"], fields["m"], fields["d"], *[fields[code] for code in codes])
            self._iso_text = "%s-%s-%sT" + ":".join(["%s"] * len(codes))

    def read(self, value: str) -> datetime | None:
        if self.fixed and len(value) == self.width and self._literal_at(value) == self._literals:
            try:
                return datetime.fromisoformat(self._iso_text % self._fields(value))
            except ValueError:
                pass
        try:
            return datetime.strptime(value, self.layout)
        except ValueError:
            return None
