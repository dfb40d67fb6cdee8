"""Machine-readable findings: JSON, JSON Lines and CSV, written as they come (see docs/findings.md).

Each finding is `Outcome.as_record()`; rejections are written in the same stream (JSON Lines: `"type":
"rejected"`; JSON: the `rejected` list; CSV: stderr only, since a spreadsheet row has no room for them).

Nothing is held in memory per record in any format. The JSON document lists every finding before the rejections,
while they arrive mixed, so its rejections are spooled to disk as they come (`hocr_rules.spool`) and copied after
the findings at the end: the document is the same, and a file of 200,000 bad records needs no more memory than one.
"""

from __future__ import annotations

import csv
import json
from typing import IO, Iterable

from hocr_rules.engine.outcomes import IncidentResult, Outcome
from hocr_rules.errors import InputError
from hocr_rules.spool import Spool

CSV_COLUMNS = ("incident", "rule", "name", "version", "outcome", "severity", "subject_kind", "subject_id",
               "message", "hint", "citation")
FORMATS = ("json", "jsonl", "csv")

#: One encoder for the run: `json.dumps` with any option builds a new encoder on every call.
_json = json.JSONEncoder(ensure_ascii=False).encode


def rejection_record(error: InputError) -> dict:
    return {"type": "rejected", "source": error.source, "line": error.line, "incident": error.record,
            "problems": [{"field": f, "message": m} for f, m in error.problems]}


class FindingsWriter:
    """Streams findings in one of the machine formats; `close` ends the document with the summary."""

    def __init__(self, out: IO[str], fmt: str):
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
        self.out, self.fmt = out, fmt
        self._first = True
        self._rejected = Spool(", ")  # JSON: the rejected list so far, on disk, separated as json.dumps does
        if fmt == "csv":
            self._csv = csv.writer(out, lineterminator="\n")
            self._csv.writerow(CSV_COLUMNS)
        elif fmt == "json":
            out.write('{"findings": [')

    def write(self, item: IncidentResult | InputError, include: frozenset[str]) -> None:
        """One screened item: an incident's findings of the outcomes in `include`, or a rejected record."""
        if isinstance(item, InputError):
            self.rejected(item)
        else:
            self.findings(item.findings(include))

    def findings(self, outcomes: Iterable[Outcome]) -> None:
        for outcome in outcomes:
            record = outcome.as_record()
            if self.fmt == "csv":
                self._csv.writerow([_cell(record["subject"]["kind"] if c == "subject_kind" else
                                          record["subject"]["id"] if c == "subject_id" else record[c])
                                    for c in CSV_COLUMNS])
            elif self.fmt == "jsonl":
                self.out.write(_json({"type": "finding", **record}) + "\n")
            else:
                self.out.write(("\n  " if self._first else ",\n  ") + _json(record))
                self._first = False

    def rejected(self, error: InputError) -> None:
        if self.fmt == "jsonl":
            self.out.write(_json(rejection_record(error)) + "\n")
        elif self.fmt == "json":
            self._rejected.append(_json(rejection_record(error)))

    def close(self, summary: dict) -> None:
        if self.fmt == "json":
            self.out.write("\n],\n")
            self.out.write('"rejected": [')
            self._rejected.copy_to(self.out)
            self.out.write("],\n")
            self.out.write('"summary": ' + _json(summary) + "}\n")
        elif self.fmt == "jsonl":
            self.out.write(_json({"type": "summary", **summary}) + "\n")
        self.out.flush()


def _cell(value) -> str:
    """CSV cells never start a spreadsheet formula: our messages quote input text."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
