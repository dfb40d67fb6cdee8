"""The JSON reader: JSON Lines, JSON (one incident or an array), or standard input, one record at a time.

Audit exports run to hundreds of thousands of incidents, so nothing is read whole: JSON Lines go line by
line, and a JSON array is decoded one element at a time from a sliding buffer. Every record comes out either
as a valid `Incident` or as an `InputError` naming the file, line, incident and field, so the caller can
account for every record it was given.
"""

from __future__ import annotations

import codecs
import io
import itertools
import json
import sys
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

from pydantic import ValidationError

from hocr_rules.errors import InputError
from hocr_rules.intake.records import Read, check_codes, rejection
from hocr_rules.model.incident import Incident
from hocr_rules.offences import OffenceTable

CHUNK = 1 << 16
_BOM = b"\xef\xbb\xbf"
_DECODER = json.JSONDecoder()
_TOO_DEEP = "nested too deeply to read (no incident nests more than a few levels)"
#: `Incident.model_validate_json` without its Python wrapper, which costs a tenth of the validation itself
_VALIDATOR = Incident.__pydantic_validator__


class JsonReader:
    """Turns JSON files into accepted incidents and reported rejections, never silently dropping one."""

    def __init__(self, offences: OffenceTable, context: dict | None):
        self.offences, self.context = offences, context

    def read_one(self, name: str) -> Iterator[Read]:
        if name == "-":
            yield from self._stream(sys.stdin.buffer, "<stdin>", json_lines=None)
            return
        path = Path(name)
        try:
            handle = path.open("rb")
        except OSError as error:
            problem = "is a folder, not a file of incidents" if path.is_dir() else \
                "no such file" if isinstance(error, FileNotFoundError) else f"cannot be read ({error.strerror})"
            yield InputError(name, None, None, [("file", problem)])
            return
        with handle:
            json_lines = True if path.suffix.lower() in (".jsonl", ".ndjson") else None
            yield from self._stream(handle, name, json_lines)

    def _stream(self, handle: IO[bytes], source: str, json_lines: bool | None) -> Iterator[Read]:
        """JSON Lines when the name says so; otherwise sniff: '[' is an array; '{' is JSON Lines if the first
        line is a whole object, else one (pretty-printed) document."""
        first, handle = _first_byte(handle)
        if first == b"":
            return
        if json_lines:
            yield from self.json_lines(handle, source)
        elif first == b"[":
            try:
                yield from self._array(io.TextIOWrapper(handle, encoding="utf-8-sig"), source)
            except _Undecodable as error:
                yield InputError(source, _undecodable_line(handle), None,
                                 [("file", f"not UTF-8 text ({error}); the rest of this file could not be read")])
        else:
            head = handle.readline()
            if _is_object(head):
                yield from self.json_lines(itertools.chain([head], handle), source)
            else:
                yield from self._document(head + handle.read(), source)

    def json_lines(self, lines: Iterable[bytes], source: str, start: int = 1) -> Iterator[Read]:
        """Line by line, as bytes: a line that is not UTF-8 is one rejected record, not a lost file. `start` is
        the number of the first line given: worker processes are given a file in blocks of lines
        (hocr_rules.parallel)."""
        for number, text in enumerate(lines, start=start):
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
                yield from self.json_lines(lines, source)
                return
            yield InputError(source, error.lineno, None, [("json", error.msg)])
            return
        except RecursionError:
            yield InputError(source, 1, None, [("json", _TOO_DEEP)])
            return
        for item in document if isinstance(document, list) else [document]:
            yield self.validate(item, source, 1)

    def _array(self, handle: IO[str], source: str) -> Iterator[Read]:
        """Decode a top-level array element by element; memory holds one element, not the file."""
        line = 1
        buffer = _read(handle)
        while not buffer.lstrip():   # blank lines before the array, however many
            line += buffer.count("\n")
            buffer = _read(handle)
        position = buffer.index("[") + 1
        line += buffer.count("\n", 0, position)
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
            except RecursionError:
                yield InputError(source, line, None, [("json", f"{_TOO_DEEP}; the rest of this file could not be "
                                                               "read")])
                return
            yield self.validate(item, source, line)
            line += buffer.count("\n", position, end)
            position = end

    def _validate_json(self, text: str, source: str, line: int) -> Read:
        try:
            incident = _VALIDATOR.validate_json(text, context=self.context)
        except ValidationError as error:
            return rejection(error, source, line, _id_of_json(text))
        return check_codes(self.offences, incident, source, line)

    def validate(self, item: Any, source: str, line: int) -> Read:
        """One record already decoded (a JSON object as a dict), e.g. an incident changed by `hocr explain --set`."""
        broken = _lone_surrogate(item)
        if broken is not None:  # Python's JSON decoder lets "\ud800" through; no file we write could hold it
            return InputError(source, line, None, [(broken or "record", "holds a lone surrogate (an escape such as "
                                                    "\\ud800 that is half of a character), not text")])
        try:
            incident = Incident.model_validate(item, context=self.context)
        except ValidationError as error:
            record = item.get("id") if isinstance(item, dict) else None
            return rejection(error, source, line, record if isinstance(record, str) else None)
        return check_codes(self.offences, incident, source, line)


def _id_of_json(text: str) -> str | None:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested deeper than Python can follow
        return None
    value = data.get("id") if isinstance(data, dict) else None
    return value if isinstance(value, str) and _lone_surrogate(value) is None else None


def _lone_surrogate(value: Any, path: str = "") -> str | None:
    """The field path of the first string holding a lone surrogate, or None if there is none."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return path
        return None
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        found = _lone_surrogate(key, path) if isinstance(key, str) else None
        if found is None:
            found = _lone_surrogate(item, f"{path}.{key}" if path else str(key))
        if found is not None:
            return found
    return None


def _first_byte(handle: IO[bytes]) -> tuple[bytes, IO[bytes]]:
    """The first non-blank byte (after a byte order mark), and the stream still at its start. Blank lines may
    run on for any length before the first record (a file that opens with a megabyte of them is still a file of
    incidents), so this reads on until it finds one; a stream that cannot seek back (a pipe on standard input)
    is given back with what was read put in front of the rest."""
    start = handle.tell() if handle.seekable() else None
    read: list[bytes] = []
    first = b""
    while not first and (chunk := handle.read(CHUNK)):
        first = (chunk.removeprefix(_BOM) if not read else chunk).lstrip()[:1]
        read.append(chunk)
    if start is not None:
        handle.seek(start)
        return first, handle
    return first, io.BufferedReader(_Replayed(b"".join(read), handle))


class _Replayed(io.RawIOBase):
    """Bytes already read from a stream, then the rest of the stream."""

    def __init__(self, head: bytes, rest: IO[bytes]):
        self.head, self.rest = memoryview(head), rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.head:
            count = min(len(buffer), len(self.head))
            buffer[:count], self.head = self.head[:count], self.head[count:]
            return count
        data = getattr(self.rest, "read1", self.rest.read)(len(buffer))
        buffer[:len(data)] = data
        return len(data)


def _is_object(line: bytes) -> bool:
    try:
        return isinstance(json.loads(line.removeprefix(_BOM)), dict)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return False


def _read(handle: IO[str]) -> str:
    """The next chunk of an array; text that is not UTF-8 ends the file with an error the caller reports."""
    try:
        return handle.read(CHUNK)
    except UnicodeDecodeError as error:
        raise _Undecodable(error.reason) from None


class _Undecodable(Exception):
    pass


def _undecodable_line(handle: IO[bytes]) -> int | None:
    """The line of the first byte that is not UTF-8, found by reading the file again (stdin cannot be)."""
    if not handle.seekable():
        return None
    handle.seek(0)
    decoder, line = codecs.getincrementaldecoder("utf-8")(), 1
    for chunk in iter(lambda: handle.read(CHUNK), b""):
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError as error:
            return line + chunk.count(b"\n", 0, max(error.start, 0))
        line += chunk.count(b"\n")
    return None


def _skip(buffer: str, position: int, line: int) -> tuple[int, int]:
    """Past white space and the commas between elements, counting lines."""
    while position < len(buffer) and buffer[position] in " \t\r\n,":
        if buffer[position] == "\n":
            line += 1
        position += 1
    return position, line
