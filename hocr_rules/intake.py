"""Reading incident files: JSON Lines, JSON (one incident or an array), or standard input, one record at a time.

Audit exports run to hundreds of thousands of incidents, so nothing is read whole: JSON Lines go line by
line, and a JSON array is decoded one element at a time from a sliding buffer. Every record comes out either
as a valid `Incident` or as an `InputError` naming the file, line, incident and field, so the caller can
account for every record it was given.
"""

from __future__ import annotations

import io
import itertools
import json
import re
import sys
from pathlib import Path
from typing import IO, Any, Iterable, Iterator, NamedTuple
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from hocr_rules.errors import InputError
from hocr_rules.model.incident import Incident
from hocr_rules.model.timestamps import NAIVE_TIMEZONE
from hocr_rules.offences import OffenceTable, UnknownOffenceCode

CHUNK = 1 << 16
_BOM = b"\xef\xbb\xbf"
_LOCATED = re.compile(r"^([A-Za-z_][\w.]*): (.+)$", re.S)
_WITHIN_RECORD = re.compile(r"at line (\d+) column (\d+)")
_DECODER = json.JSONDecoder()
#: `Incident.model_validate_json` without its Python wrapper, which costs a tenth of the validation itself
_VALIDATOR = Incident.__pydantic_validator__


class Accepted(NamedTuple):
    """A valid incident and where it was read (a named tuple: one is made for every record read)."""

    incident: Incident
    source: str
    line: int


Read = Accepted | InputError


class Intake:
    """Turns files into accepted incidents and reported rejections, never silently dropping one."""

    def __init__(self, offences: OffenceTable | None = None, naive_timezone: ZoneInfo | None = None):
        self.offences = offences or OffenceTable.load()
        self.context = {NAIVE_TIMEZONE: naive_timezone} if naive_timezone else None

    def read(self, names: list[str]) -> Iterator[Read]:
        for name in names:
            yield from self.read_one(name)

    def read_one(self, name: str) -> Iterator[Read]:
        if name == "-":
            yield from self._stream(sys.stdin.buffer, "<stdin>", json_lines=None)
            return
        path = Path(name)
        if not path.is_file():
            yield InputError(name, None, None, [("file", "no such file")])
            return
        with path.open("rb") as handle:
            json_lines = True if path.suffix.lower() in (".jsonl", ".ndjson") else None
            yield from self._stream(handle, name, json_lines)

    def _stream(self, handle: IO[bytes], source: str, json_lines: bool | None) -> Iterator[Read]:
        """JSON Lines when the name says so; otherwise sniff: '[' is an array; '{' is JSON Lines if the first
        line is a whole object, else one (pretty-printed) document."""
        first = _peek(handle)
        if first == b"":
            return
        if json_lines:
            yield from self._json_lines(handle, source)
        elif first == b"[":
            try:
                yield from self._array(io.TextIOWrapper(handle, encoding="utf-8-sig"), source)
            except _Undecodable as error:
                yield InputError(source, None, None, [("file", f"not UTF-8 text ({error}); the rest of this "
                                                               "file could not be read")])
        else:
            head = handle.readline()
            if _is_object(head):
                yield from self._json_lines(itertools.chain([head], handle), source)
            else:
                yield from self._document(head + handle.read(), source)

    def _json_lines(self, lines: Iterable[bytes], source: str) -> Iterator[Read]:
        """Line by line, as bytes: a line that is not UTF-8 is one rejected record, not a lost file."""
        for number, text in enumerate(lines, start=1):
            if number == 1:
                text = text.removeprefix(_BOM)
            if text and not text.isspace():
                yield self._validate_json(text, source, number)

    def _document(self, data: bytes, source: str) -> Iterator[Read]:
        try:
            document = json.loads(data.removeprefix(_BOM).decode("utf-8"))
        except UnicodeDecodeError as error:
            yield InputError(source, data.count(b"\n", 0, error.start) + 1, None,
                             [("file", f"not UTF-8 text ({error.reason})")])
            return
        except json.JSONDecodeError as error:
            lines = data.splitlines()
            if sum(1 for line in lines if line.strip()) > 1 and all(
                    line.lstrip().startswith((b"{", _BOM)) for line in lines if line.strip()):
                # one object a line with a broken line among them: JSON Lines under another name
                yield from self._json_lines(lines, source)
                return
            yield InputError(source, error.lineno, None, [("json", error.msg)])
            return
        for item in document if isinstance(document, list) else [document]:
            yield self.validate(item, source, 1)

    def _array(self, handle: IO[str], source: str) -> Iterator[Read]:
        """Decode a top-level array element by element; memory holds one element, not the file."""
        line = 1
        buffer = _read(handle)
        position = buffer.index("[") + 1
        while True:
            position, line = _skip(buffer, position, line)
            if position >= len(buffer):
                more = _read(handle)
                if not more:
                    yield InputError(source, line, None, [("json", "the array is not closed with ']'")])
                    return
                buffer, position = buffer[position:] + more, 0
                continue
            if buffer[position] == "]":
                return
            try:
                item, end = _DECODER.raw_decode(buffer, position)
            except json.JSONDecodeError as error:
                more = _read(handle)
                if more:
                    buffer, position = buffer[position:] + more, 0
                    continue
                yield InputError(source, line + buffer.count("\n", position, error.pos), None,
                                 [("json", f"{error.msg}; the rest of this file could not be read")])
                return
            yield self.validate(item, source, line)
            line += buffer.count("\n", position, end)
            position = end

    def _validate_json(self, text: str, source: str, line: int) -> Read:
        try:
            incident = _VALIDATOR.validate_json(text, context=self.context)
        except ValidationError as error:
            return _rejection(error, source, line, _id_of_json(text))
        return self._check_codes(incident, source, line)

    def validate(self, item: Any, source: str, line: int) -> Read:
        """One record already decoded (a JSON object as a dict), e.g. an incident changed by `hocr explain --set`."""
        try:
            incident = Incident.model_validate(item, context=self.context)
        except ValidationError as error:
            record = item.get("id") if isinstance(item, dict) else None
            return _rejection(error, source, line, record if isinstance(record, str) else None)
        return self._check_codes(incident, source, line)

    def _check_codes(self, incident: Incident, source: str, line: int) -> Read:
        """Offence codes are checked against the notifiable offence list: an unknown code is never a silent pass."""
        if self.offences.knows_all([d.offence for d in incident.disclosures] +
                                   [c.offence for c in incident.crime_records]):
            return Accepted(incident, source, line)
        problems = []
        for group, records in (("disclosures", incident.disclosures), ("crime_records", incident.crime_records)):
            for index, record in enumerate(records):
                try:
                    self.offences.lookup(record.offence)
                except UnknownOffenceCode as error:
                    problems.append((f"{group}.{index}.offence", str(error)))
        if problems:
            return InputError(source, line, incident.id, problems)
        return Accepted(incident, source, line)


def _rejection(error: ValidationError, source: str, line: int, record: str | None) -> InputError:
    problems = []
    for item in error.errors(include_url=False, include_input=False):
        field = ".".join(str(part) for part in item["loc"]) or "record"
        message = item["msg"].removeprefix("Value error, ")
        located = _LOCATED.match(message)
        if field == "record" and located:  # whole-record checks name their field first: "crime_records.0.victim: ..."
            field, message = located.group(1), located.group(2)
        if item["type"] == "json_invalid" and "unicode" in message:
            field, message = "file", "this line is not UTF-8 text"
        elif item["type"] == "json_invalid":
            # pydantic counts lines within the record; the record's own line is already given
            field, message = "json", _WITHIN_RECORD.sub(r"at column \2", message)
        problems.append((field, message))
    return InputError(source, line, record, problems)


def _id_of_json(text: str) -> str | None:
    try:
        data = json.loads(text)
    except ValueError:  # not JSON, or not UTF-8
        return None
    value = data.get("id") if isinstance(data, dict) else None
    return value if isinstance(value, str) else None


def _peek(handle: IO[bytes]) -> bytes:
    """The first non-blank byte (after a byte order mark), without consuming the stream."""
    if handle.seekable():
        start = handle.tell()
        head = handle.read(4096)
        handle.seek(start)
    else:
        head = handle.peek(4096)
    return head.removeprefix(_BOM).lstrip()[:1]


def _is_object(line: bytes) -> bool:
    try:
        return isinstance(json.loads(line.removeprefix(_BOM)), dict)
    except (ValueError, UnicodeDecodeError):
        return False


def _read(handle: IO[str]) -> str:
    """The next chunk of an array; text that is not UTF-8 ends the file with an error the caller reports."""
    try:
        return handle.read(CHUNK)
    except UnicodeDecodeError as error:
        raise _Undecodable(error.reason) from None


class _Undecodable(Exception):
    pass


def _skip(buffer: str, position: int, line: int) -> tuple[int, int]:
    """Past white space and the commas between elements, counting lines."""
    while position < len(buffer) and buffer[position] in " \t\r\n,":
        if buffer[position] == "\n":
            line += 1
        position += 1
    return position, line
