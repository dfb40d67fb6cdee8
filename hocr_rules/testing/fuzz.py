"""Fuzzing the intake: files of valid incidents with hostile records mixed in, and the promises every run keeps.

Why a fuzzer beside the Hypothesis strategies: the strategies make valid incidents; a force's export is not
valid. Here each file mixes the rule files' example incidents (valid, varied, with known findings) with records
broken the ways exports break: fields dropped or of the wrong type, nulls, huge strings and integers, NaN and
Infinity, deep nesting, lone surrogates and NUL, a byte order mark and CRLF, duplicate keys, truncated lines,
binary garbage, naive and impossible timestamps, unknown codes, dangling and duplicate ids.

`check_file` states the promises (`Violation` when one is broken): nothing raises; every record is either
evaluated or rejected (read = evaluated + rejected); a record kept valid gets exactly the findings it gets when
checked alone; every rejection names the file, the line and a field; JSON Lines, JSON and CSV findings parse,
and no CSV cell starts a spreadsheet formula.

Input shapes are entries in `SHAPES` (a file suffix and how records become a file): an export reader, when it
lands, is one more entry with a mutator of its own. The seeded run in tests/ is small; `scripts/fuzz.py` runs
as many files as asked.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from hocr_rules.engine.outcomes import BREACH, COMPLIANT, NOT_EVALUABLE
from hocr_rules.errors import InputError
from hocr_rules.findings import FindingsWriter
from hocr_rules.intake import Intake
from hocr_rules.screening import Summary, screen

ALL = frozenset({BREACH, COMPLIANT, NOT_EVALUABLE})
FORMULA_STARTS = ("=", "+", "-", "@")


class Violation(AssertionError):
    """A promise broken on one generated file; the message says which, and the file is kept for replay."""


# ---------------------------------------------------------------- breaking one record

def _encode(record) -> bytes:
    return json.dumps(record, ensure_ascii=False).encode("utf-8")


def _paths(value, prefix=()):
    """Every (path, value) inside a record, so a mutation can reach any field at any depth."""
    yield prefix, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, prefix + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, prefix + (index,))


def _set(record, path, value):
    target = record
    for part in path[:-1]:
        target = target[part]
    if value is _DROP:
        del target[path[-1]]
    else:
        target[path[-1]] = value


_DROP = object()


def _field_mutation(replacement: Callable[[random.Random, object], object]):
    """A mutation replacing one field, anywhere in the record, with `replacement(rng, old value)`."""
    def mutate(rng: random.Random, record: dict) -> bytes:
        record = copy.deepcopy(record)
        path, old = rng.choice([p for p in _paths(record) if p[0]])
        _set(record, path, replacement(rng, old))
        return _encode(record)
    return mutate


def _text_mutation(change: Callable[[random.Random, bytes], bytes]):
    def mutate(rng: random.Random, record: dict) -> bytes:
        return change(rng, _encode(record))
    return mutate


def _nan_or_infinity(rng, record):
    text = _encode(record)
    for key in (b'"age": ', b'"sequence": ', b'"entry": '):
        if key in text:
            start = text.index(key) + len(key)
            end = start + len(text[start:].split(b",")[0].split(b"}")[0])
            return text[:start] + rng.choice([b"NaN", b"Infinity", b"-Infinity", b"1e999"]) + text[end:]
    return text[:-1] + b', "age": NaN}'


def _duplicate_key(rng, record):
    key = rng.choice(list(record))
    return _encode(record)[:-1] + b", " + json.dumps(key).encode() + b': "again"}'


def _dangling_id(rng, record):
    record = copy.deepcopy(record)
    for disclosure in record.get("disclosures", []):
        disclosure["victims"] = ["NO-SUCH-PERSON"]
    for crime in record.get("crime_records", []):
        crime["disclosures"] = ["NO-SUCH-DISCLOSURE"]
    return _encode(record)


def _duplicate_id(rng, record):
    record = copy.deepcopy(record)
    people = record.get("people") or [{"id": "P1"}]
    record["people"] = people + [copy.deepcopy(people[0])]
    return _encode(record)


def _wrong_time(rng, record):
    record = dict(record, received_at=rng.choice(["2025-05-01T10:00:00", "2025-02-30T10:00:00+00:00",
                                                  "2025-13-01T25:61:00Z", "yesterday", "", "9999-12-31T23:59:59+14:00",
                                                  "0001-01-01T00:00:00-12:00", 1746090000]))
    return _encode(record)


def _unknown_code(rng, record):
    record = copy.deepcopy(record)
    for disclosure in record.get("disclosures", []) or [{}]:
        disclosure["offence"] = rng.choice(["999Z", "8/30", "", "N100", "=HYPERLINK(\"x\")", "19C\u0000"])
    record.setdefault("disclosures", [{"id": "D1", "offence": "999Z", "victims": [], "reported_by": "victim"}])
    return _encode(record)


#: name -> mutation(rng, valid record dict) -> the bytes of one broken record (no line break inside)
MUTATIONS: dict[str, Callable[[random.Random, dict], bytes]] = {
    "dropped field": _field_mutation(lambda rng, old: _DROP),
    "null": _field_mutation(lambda rng, old: None),
    "wrong type": _field_mutation(lambda rng, old: rng.choice([[], {}, 0, -1, True, "x", 1.5, [None]])),
    "huge string": _field_mutation(lambda rng, old: "=" + "A" * rng.choice([10_000, 200_000])),
    "huge integer": _field_mutation(lambda rng, old: rng.choice([10 ** 40, -10 ** 40, 2 ** 63])),
    "deep nesting": _field_mutation(lambda rng, old: json.loads("[" * 150 + "]" * 150)),
    "deeper than any parser": _text_mutation(lambda rng, text: text[:-1] + b', "x": ' + b"[" * 100_000
                                             + b"]" * 100_000 + b"}"),
    "lone surrogate": _text_mutation(lambda rng, text: text.replace(b'"', b'"\\ud800', 1)),
    "NUL": _field_mutation(lambda rng, old: f"{old}\u0000"),
    "raw NUL byte": _text_mutation(lambda rng, text: text[:len(text) // 2] + b"\x00" + text[len(text) // 2:]),
    "byte order mark": _text_mutation(lambda rng, text: b"\xef\xbb\xbf" + text),
    "truncated": _text_mutation(lambda rng, text: text[:rng.randrange(1, len(text))]),
    "binary garbage": _text_mutation(lambda rng, text: bytes(rng.randrange(256) for _ in range(64))
                                     .replace(b"\n", b" ").replace(b"\r", b" ")),
    "not UTF-8": _text_mutation(lambda rng, text: text.replace(b"e", b"\xe9", 1)),
    "NaN or Infinity": _nan_or_infinity,
    "duplicate key": _duplicate_key,
    "naive or impossible time": _wrong_time,
    "unknown code": _unknown_code,
    "dangling id": _dangling_id,
    "duplicate id": _duplicate_id,
    "not an object": _text_mutation(lambda rng, text: rng.choice([b"[]", b"null", b"42", b'"incident"', b"{}"])),
}


# ---------------------------------------------------------------- input shapes

@dataclass(frozen=True)
class Shape:
    """How records become a file. `joins_lines`: one record a line, so a broken record costs only its line;
    otherwise (a JSON array) a syntax error may end the file, and the records after it are reported lost."""

    suffix: str
    write: Callable[[list[bytes], random.Random], bytes]
    one_record_a_line: bool


def _json_lines(records: list[bytes], rng: random.Random) -> bytes:
    ending = rng.choice([b"\n", b"\r\n"])
    return b"".join(record + ending for record in records)


def _json_array(records: list[bytes], rng: random.Random) -> bytes:
    return b"[\n" + b",\n".join(records) + b"\n]\n"


SHAPES: dict[str, Shape] = {
    "jsonl": Shape(".jsonl", _json_lines, True),
    "json": Shape(".json", _json_array, False),
}


# ---------------------------------------------------------------- one file and its promises

@dataclass
class Case:
    """One generated file: which records were kept valid (by 1-based record number) and how the others broke."""

    path: Path
    shape: str
    valid: dict[int, dict]
    broken: dict[int, str]


def make_case(folder: Path, number: int, shape: str, pool: list[dict], rng: random.Random,
              records: int = 6, broken_share: float = 0.5) -> Case:
    valid, broken, encoded = {}, {}, []
    for position in range(1, records + 1):
        record = rng.choice(pool)
        if rng.random() < broken_share:
            name = rng.choice(sorted(MUTATIONS))
            broken[position] = name
            encoded.append(MUTATIONS[name](rng, record))
            continue
        record = dict(record, id=f"{record['id']}~{number}.{position}")  # ids unique in the file
        valid[position] = record
        encoded.append(_encode(record))
    path = folder / f"fuzz-{number}{SHAPES[shape].suffix}"
    path.write_bytes(SHAPES[shape].write(encoded, rng))
    return Case(path, shape, valid, broken)


class Checker:
    """Checks generated files with one engine, and each valid record alone once, to compare."""

    def __init__(self, engine, folder: Path):
        self.engine, self.folder = engine, folder
        self.intake = Intake(engine.offences)
        self._alone: dict[str, list] = {}

    def alone(self, record: dict) -> list:
        key = record["id"]
        if key not in self._alone:
            path = self.folder / "alone.jsonl"
            path.write_bytes(_encode(record) + b"\n")
            (item,) = list(screen(self.intake.read([str(path)]), self.engine, Summary()))
            self._alone[key] = _findings(item)
        return self._alone[key]

    def check_file(self, case: Case) -> None:
        summary = Summary()
        items = list(screen(self.intake.read([str(case.path)]), self.engine, summary))
        where = f"{case.path.name} ({case.shape}; broken: {case.broken})"
        if not summary.reconciles or summary.read != len(items):
            raise Violation(f"{where}: read {summary.read} != evaluated {summary.evaluated} + rejected "
                            f"{summary.rejected} (items {len(items)})")
        expected = len(case.valid) + len(case.broken)
        if SHAPES[case.shape].one_record_a_line and summary.read != expected:
            raise Violation(f"{where}: {expected} records written, {summary.read} read")
        if summary.read > expected or (summary.read < expected and not _ends_early(items)):
            raise Violation(f"{where}: {expected} records written, {summary.read} accounted for")
        by_line = {}
        for item in items:
            if isinstance(item, InputError):
                if item.source != str(case.path) or not item.line or not item.problems or \
                        not all(field and message for field, message in item.problems):
                    raise Violation(f"{where}: a rejection without file, line or field: {item}")
            else:
                by_line[item.incident] = item
        for position, record in case.valid.items():
            result = by_line.get(record["id"])
            if result is None and not _ends_early(items):
                raise Violation(f"{where}: valid record {position} ({record['id']}) was not evaluated")
            if result is not None and _findings(result) != self.alone(record):
                raise Violation(f"{where}: record {position} ({record['id']}) has other findings than alone")
        for fmt in ("jsonl", "json", "csv"):
            _parseable(where, fmt, items)


def _ends_early(items) -> bool:
    """A JSON array whose syntax broke: the last item says the rest of the file could not be read."""
    return bool(items) and isinstance(items[-1], InputError) and any(
        "rest of this file" in message or "not closed" in message for _, message in items[-1].problems)


def _findings(item) -> list:
    if isinstance(item, InputError):
        return ["rejected"]
    return [{k: v for k, v in o.as_record().items() if k != "incident"} for o in item.findings(ALL)]


def _parseable(where: str, fmt: str, items) -> None:
    out = io.StringIO()
    writer = FindingsWriter(out, fmt)
    for item in items:
        writer.write(item, ALL)
    writer.close({"read": len(items)})
    text = out.getvalue()
    try:
        text.encode("utf-8")  # what every output file is written in
        if fmt == "jsonl":
            for line in text.splitlines():
                json.loads(line)
        elif fmt == "json":
            json.loads(text)
        else:
            csv.field_size_limit(max(csv.field_size_limit(), len(text)))  # a huge input string is quoted whole
            for row in csv.reader(io.StringIO(text, newline="")):
                for cell in row:
                    if cell.startswith(FORMULA_STARTS):
                        raise Violation(f"{where}: CSV cell starts a formula: {cell[:40]!r}")
    except ValueError as error:
        raise Violation(f"{where}: {fmt} findings do not parse: {error}") from None


def example_pool(pack) -> list[dict]:
    """The rule files' example incidents: valid, and between them every rule's breach and compliant cases."""
    return [example.incident for rule in pack.rules for example in rule.examples]


def run(folder: Path, engine, files: int, seed: int, records: int = 6) -> dict[str, int]:
    """Generate and check `files` files in each shape; the first broken promise raises `Violation`."""
    rng = random.Random(seed)
    pool = example_pool(engine.pack)
    checker = Checker(engine, folder)
    mutations_seen: dict[str, int] = {}
    for number in range(files):
        shape = sorted(SHAPES)[number % len(SHAPES)]
        case = make_case(folder, number, shape, pool, rng, records)
        checker.check_file(case)
        case.path.unlink()
        for name in case.broken.values():
            mutations_seen[name] = mutations_seen.get(name, 0) + 1
    return mutations_seen
