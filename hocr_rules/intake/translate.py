"""Force values into model values, and force codes into `CodeReading`s, through a force mapping, counting
every value and code the mapping does not cover (what `hocr mapping check` reports).

Shared by the STORM and tabular readers so that a code means the same thing whichever shape it came in.
A code the mapping does not cover is kept, as a reading with no meaning, never dropped.
"""

from __future__ import annotations

import bisect
from collections import Counter
from datetime import date, datetime
from typing import get_args

from hocr_rules.intake.mapping import ForceMapping
from hocr_rules.model.incident import Qualifier

_QUALIFIERS = frozenset(get_args(Qualifier))
#: The incident fields whose force codes are read through the code lists, by the code list's field name.
CODE_FIELDS = {"opening_code": "opening_code", "closing_code": "closing_code",
               "initial_classification": "initial_classification",
               "final_classification": "final_classification", "result_codes": "result_code", "qualifiers": "qualifier"}


class Translator:
    def __init__(self, mapping: ForceMapping):
        self.mapping = mapping
        self.zone = mapping.zone
        self._values: dict[str, dict] = {}
        self._dated: dict[str, tuple[list[date], list[dict]]] = {}   # field -> (list starts, their values)
        for field in type(mapping.values).model_fields:
            table = getattr(mapping.values, field)
            if isinstance(table, list):
                self._dated[field] = ([item.start for item in table], [item.values for item in table])
            elif table:
                self._values[field] = table
        self._starts = {field: [item.start for item in lists] for field, lists in mapping.codes.items()}
        self._lists = {field: [item.codes for item in lists] for field, lists in mapping.codes.items()}
        self.uncovered_values: Counter = Counter()   # (field, force value) -> rows
        self.uncovered_codes: Counter = Counter()    # (code field, force code) -> incidents

    def maps(self, field: str) -> bool:
        """Whether the mapping translates this field's values (its `values` map, by `value_key`)."""
        return field in self._values or field in self._dated

    def value(self, field: str, raw: str, on: date | None = None) -> str:
        """The model value for a force value, from the list in force `on` where the map is dated; a value the
        map does not list (or a dated map read without a date) passes on as it is (the model refuses it if it
        is not a model value) and is counted."""
        dated = self._dated.get(field)
        if dated is not None:
            starts, lists = dated
            index = bisect.bisect_right(starts, on) - 1 if on else -1
            table = lists[index] if index >= 0 else {}
        else:
            table = self._values.get(field)
            if table is None:
                return raw
        mapped = table.get(raw)
        if mapped is None:
            self.uncovered_values[(field, raw)] += 1
            return raw
        return mapped

    def qualifiers(self, codes: list[str]) -> list[str]:
        """Model qualifiers for force qualifier codes; a code with no model qualifier stays only as a reading."""
        table = self._values.get("qualifiers", {})
        found = []
        for code in codes:
            mapped = table.get(code) or (code if code in _QUALIFIERS else None)
            if mapped is None:
                self.uncovered_values[("qualifiers", code)] += 1
            elif mapped not in found:
                found.append(mapped)
        return found

    def means(self, field: str, code: str, on: date) -> list[str] | None:
        """What `code` meant on `on`; None when the list in force then does not have it (or none was in force)."""
        starts = self._starts.get(field)
        if not starts:
            return None
        index = bisect.bisect_right(starts, on) - 1
        return None if index < 0 else self._lists[field][index].get(code)

    def readings(self, codes: dict[str, object], received: datetime | None) -> list[dict]:
        """`code_readings` for an incident's force codes (field -> a code or a list of codes), read on the
        incident's local date. Without a date no list can be chosen: the codes are kept without meaning."""
        day = received.astimezone(self.zone).date() if received and received.tzinfo else (
            received.date() if received else None)
        found = []
        for field, value in codes.items():
            code_field = CODE_FIELDS[field]
            for code in value if isinstance(value, list) else [value]:
                means = self.means(code_field, code, day) if day else None
                if means is None:
                    self.uncovered_codes[(code_field, code)] += 1
                found.append({"field": code_field, "code": code, "means": means or []})
        return found
