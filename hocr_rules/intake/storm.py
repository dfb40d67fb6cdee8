"""Reading STORM "Log Detail" text: the tab-separated print of command-and-control logs, several to a file.

Each log is a block of header fields (`Log Number`, `Date`, `Time`, `Status`, `Result Codes`, `Message`,
`Source`, `Initial Classification`, `Final Classification`, one `Name:<TAB>value` a line) and then an
`Actions` table (`Date`, `Time`, `Text`, `AuthorId`, `Sequence`) whose rows are the log's entries; disposal
codes, qualifiers and crime numbers appear as action text with a prefix the force mapping names. A line
without a tab inside the actions continues the previous action's text (the print wraps long remarks). The
`Message` (the call as first taken) becomes the first log entry, at the log's own Date and Time, since that is
when it was written; `Status` has no field in the model and is not kept. An entry has a kind only when its text
carries one of the mapping's prefixes: the print says nothing of the others.

No library reads this print, and it is line-oriented and fixed in shape, so the reader is written here with
plain string operations (no regular expressions run on the text). One log is held at a time. A log with a bad
line is reported with its log number and the line of the file, and the next log is read.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import IO, Iterator

from pydantic import ValidationError

from hocr_rules.errors import InputError
from hocr_rules.intake.mapping import ForceMapping
from hocr_rules.intake.records import Read, check_codes, problems_of
from hocr_rules.intake.translate import Translator
from hocr_rules.model.incident import Incident
from hocr_rules.model.timestamps import NAIVE_TIMEZONE
from hocr_rules.offences import OffenceTable

MARK = "storm log detail"
_ACTION_COLUMNS = ["date", "time", "text", "authorid", "sequence"]
#: header field (as printed, lower case) -> the model field it fills
_HEADER = {"log number": "id", "source": "channel", "initial classification": "initial_classification",
           "final classification": "final_classification", "result codes": "result_codes"}
_KNOWN = set(_HEADER) | {"date", "time", "status", "message"}


def is_storm(path: Path) -> bool:
    """A STORM print starts, after blank lines, with the words 'Storm Log Detail'."""
    try:
        with path.open("rb") as handle:
            head = handle.read(256)
    except OSError:
        return False
    return head.removeprefix(b"\xef\xbb\xbf").lstrip().lower().startswith(MARK.encode())


class StormReader:
    def __init__(self, offences: OffenceTable, mapping: ForceMapping | None, naive_timezone=None):
        self.offences = offences
        self.mapping = mapping or ForceMapping(force="(no mapping)")
        self.translate = Translator(self.mapping)
        zone = mapping.zone if mapping else naive_timezone
        self.context = {NAIVE_TIMEZONE: zone} if zone else None
        self.prefixes = [(prefix.upper(), kind) for prefix, kind in self.mapping.storm.actions.items()]
        self._any_prefix = tuple(prefix for prefix, _ in self.prefixes)
        self.unknown_fields: dict[str, int] = {}

    def read_one(self, path: Path) -> Iterator[Read]:
        source = str(path)
        with path.open(encoding="utf-8-sig", errors="strict", newline="") as handle:
            try:
                for number, lines in _logs(handle):
                    yield self._log(source, number, lines)
            except UnicodeDecodeError as error:
                yield InputError(source, None, None, [("file", f"not UTF-8 text ({error.reason}); the rest of "
                                                               "this file could not be read")])

    def _log(self, source: str, first: int, lines: list[tuple[int, str]]) -> Read:
        header: dict[str, str] = {}
        problems: list[tuple[str, str]] = []
        actions: list[tuple[int, list[str]]] = []
        in_actions = False
        for number, line in lines[1:]:
            if not in_actions:
                name, _, value = line.partition("\t")
                name = name.strip().rstrip(":").strip().lower()
                if name == "actions":
                    in_actions = True
                elif name:
                    header[name] = value.strip()
                    if name not in _KNOWN:
                        self.unknown_fields[name] = self.unknown_fields.get(name, 0) + 1
            elif "\t" not in line:
                if actions and line.strip():
                    actions[-1][1][2] += "\n" + line.strip()
            else:
                cells = line.split("\t")
                if cells[0].strip().lower() == "date" and [c.strip().lower() for c in cells] == _ACTION_COLUMNS:
                    continue
                if len(cells) < 5:
                    problems.append((f"line {number}", f"an action needs Date, Time, Text, AuthorId and Sequence "
                                                       f"separated by tabs; found {len(cells)} fields"))
                    continue
                actions.append((number, [cells[0], cells[1], "\t".join(cells[2:-2]), cells[-2], cells[-1]]))
        log_number = header.get("log number") or None
        data, at = self._incident(header, problems, first)
        data["log"] = log = []
        entry_lines = []   # the file line of each log entry, for naming it in an error
        if header.get("message"):
            log.append({"at": at, "text": header["message"]})
            entry_lines.append(first)
        for number, (day, time, text, author, sequence) in actions:
            when = _iso(day.strip(), time.strip())
            if when is None:
                problems.append((f"line {number}", f"'{day} {time}' is not a date and time (dd/mm/yyyy hh:mm:ss)"))
                continue
            entry = {"at": when, "text": text.strip(), "author": author.strip() or None}
            sequence = sequence.strip()
            if sequence:
                if not sequence.isdigit():
                    problems.append((f"line {number}", f"Sequence '{sequence}' is not a number"))
                    continue
                entry["sequence"] = int(sequence)
            self._kind(entry, data)
            log.append(entry)
            entry_lines.append(number)
        codes = {f: data[f] for f in ("initial_classification", "final_classification", "result_codes",
                                      "qualifiers") if data.get(f)}
        data["qualifiers"] = self.translate.qualifiers(data.get("qualifiers", []))
        if codes:
            data["code_readings"] = self.translate.readings(codes, _naive(at))
        try:
            incident = Incident.__pydantic_validator__.validate_python(data, context=self.context)
        except ValidationError as error:
            problems += [(_printed(field, entry_lines), message) for field, message in problems_of(error)]
        if problems:  # every problem of the log at once, not the first only
            return InputError(source, first, log_number, problems)
        return check_codes(self.offences, incident, source, first)

    def _incident(self, header: dict[str, str], problems: list, first: int) -> tuple[dict, str | None]:
        data: dict = {}
        for name, model_field in _HEADER.items():
            value = header.get(name)
            if not value:
                continue
            if model_field == "result_codes":
                data[model_field] = _codes(value)
            elif model_field == "channel":
                data[model_field] = self.translate.value("channel", value)
            else:
                data[model_field] = value
        at = None
        if header.get("date") or header.get("time"):
            at = _iso(header.get("date", ""), header.get("time", ""))
            if at is None:
                problems.append(("Date, Time", f"'{header.get('date', '')} {header.get('time', '')}' is not a date "
                                               "and time (dd/mm/yyyy hh:mm:ss)"))
            data["received_at"] = at
        return data, at

    def _kind(self, entry: dict, data: dict) -> None:
        """The entry's kind from its prefix; qualifiers and crime numbers in action text join the incident's."""
        text = entry["text"]
        upper = text[:40].upper()
        if not upper.startswith(self._any_prefix):
            return
        for prefix, kind in self.prefixes:
            if upper.startswith(prefix):
                entry["kind"] = kind
                rest = text[len(prefix):].strip()
                if kind == "qualifier":
                    data.setdefault("qualifiers", []).extend(_codes(rest))
                elif kind == "cross_reference" and rest:
                    data.setdefault("crime_numbers", []).append(rest)
                return


def _logs(handle: IO[str]) -> Iterator[tuple[int, list[tuple[int, str]]]]:
    """Each log as (line number of its first line, its lines); a log starts at a 'Storm Log Detail' line."""
    lines: list[tuple[int, str]] = []
    for number, line in enumerate(handle, start=1):
        line = line.rstrip("\r\n")
        if line.lstrip().lower().startswith(MARK):
            if lines:
                yield lines[0][0], lines
            lines = [(number, line)]
        elif lines:
            lines.append((number, line))
    if lines:
        yield lines[0][0], lines


def _iso(day: str, time: str) -> str | None:
    """dd/mm/yyyy and hh:mm[:ss] as an ISO time without offset (the mapping's zone is applied by the model,
    which also refuses what is not a real date and time)."""
    if len(day) != 10 or day[2] != "/" or day[5] != "/" or len(time) not in (5, 8) or time[2] != ":":
        return None
    iso = f"{day[6:]}-{day[3:5]}-{day[:2]}T{time}"
    return iso if iso.isascii() else None


def _naive(at: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(at) if at else None
    except ValueError:
        return None


def _codes(text: str) -> list[str]:
    return [code.strip() for code in text.replace(";", ",").split(",") if code.strip()]


_PRINTED = {"id": "Log Number", "received_at": "Date, Time", "channel": "Source",
            "initial_classification": "Initial Classification", "final_classification": "Final Classification",
            "result_codes": "Result Codes"}


def _printed(field: str, entry_lines: list[int]) -> str:
    """A model field as the print names it: the header field, or the file line of a log entry."""
    parts = field.split(".")
    if parts[0] in _PRINTED:
        return _PRINTED[parts[0]]
    if parts[0] == "log" and len(parts) > 1 and parts[1].isdigit() and int(parts[1]) < len(entry_lines):
        return f"line {entry_lines[int(parts[1])]}" + (f" {parts[2]}" if len(parts) > 2 else "")
    return field
