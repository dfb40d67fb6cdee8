"""Fuzzing the export readers: the bundled Exampleshire export (CSV tables and a STORM print) with one line
broken at a time, the ways exports break (a cell dropped or added, a date or code mangled, binary garbage, NUL,
a byte order mark in mid-file, a huge field, a truncated file, a line duplicated or lost; some tables gzipped),
and workbook cells of every hostile type, and the promises of
the JSON fuzzer (`hocr_rules.testing.fuzz`) kept on each: nothing raises; every incident is evaluated or
rejected; every export table reconciles (rows read = used + rejected); every rejection names its file, its row or
line and a field; the machine formats parse. The JSON records' fuzzer mutates records; exports are text, so here
the mutations are of lines, which is where a force's extract goes wrong."""

import gzip
import io
import json
import random
import re
import shutil
from pathlib import Path

import pytest

from hocr_rules.engine.evaluator import Evaluator
from hocr_rules.errors import InputError
from hocr_rules.findings import FindingsWriter
from hocr_rules.intake import Intake
from hocr_rules.intake.mapping import load_mapping
from hocr_rules.rulebook.pack import RulePack
from hocr_rules.screening import Summary, screen
from hocr_rules.testing.fuzz import ALL

EXPORTS = Path(__file__).resolve().parents[2] / "examples" / "exports"
MAPPING = load_mapping(EXPORTS / "exampleshire.mapping.yaml")
ENGINE = Evaluator(RulePack.load())
CASES = 120  # per shape; about 10 s on one core
TABLE_COUNT = re.compile(r"^(\w+): (\d+) rows read = (\d+) used \+ (\d+) rejected")


def _drop_cell(rng, line: bytes, sep: bytes) -> bytes:
    cells = line.split(sep)
    del cells[rng.randrange(len(cells))]
    return sep.join(cells)


def _mangle_cell(replacement):
    def mutate(rng, line: bytes, sep: bytes) -> bytes:
        cells = line.split(sep)
        cells[rng.randrange(len(cells))] = replacement(rng)
        return sep.join(cells)
    return mutate


MUTATIONS = {
    "cell dropped": _drop_cell,
    "cell added": lambda rng, line, sep: line + sep + b"extra",
    "date mangled": _mangle_cell(lambda rng: rng.choice([b"31/02/2025 25:61:00", b"2025-13-01", b"yesterday", b""])),
    "code unknown": _mangle_cell(lambda rng: rng.choice([b"ZZZ", b"999/99", b"\xe9\xe9", b"=cmd|' /C calc'!A0"])),
    "binary garbage": lambda rng, line, sep: bytes(rng.randrange(256) for _ in range(rng.randrange(1, 40))),
    "NUL": lambda rng, line, sep: line[: len(line) // 2] + b"\x00" + line[len(line) // 2:],
    "BOM in mid-file": lambda rng, line, sep: b"\xef\xbb\xbf" + line,
    "huge field": _mangle_cell(lambda rng: b"x" * 200_000),
    "quote unclosed": lambda rng, line, sep: b'"' + line,
}
FILE_MUTATIONS = {
    "truncated": lambda rng, lines: lines[: rng.randrange(1, len(lines))] + [lines[len(lines) // 2][:5]],
    "line duplicated": lambda rng, lines: lines + [lines[rng.randrange(1, len(lines))]],
    "line lost": lambda rng, lines: [line for i, line in enumerate(lines) if i != rng.randrange(1, len(lines))],
}


def _broken(path: Path, rng: random.Random, separator: bytes) -> str:
    lines = path.read_bytes().split(b"\n")
    name = rng.choice(sorted(MUTATIONS) + sorted(FILE_MUTATIONS))
    if name in FILE_MUTATIONS:
        lines = FILE_MUTATIONS[name](rng, lines)
    else:
        at = rng.randrange(1, len(lines) - 1)  # never the header: a broken header is a usage error, tested apart
        lines[at] = MUTATIONS[name](rng, lines[at], separator)
    path.write_bytes(b"\n".join(lines))
    return name


def _check(files: list[str], where: str) -> None:
    intake, summary = Intake(ENGINE.offences, mapping=MAPPING), Summary()
    items = list(screen(intake.read(files), ENGINE, summary))
    summary.notes.extend(intake.table_counts())
    assert summary.reconciles and summary.read == len(items), f"{where}: {summary.as_record()}"
    for note in summary.notes:
        found = TABLE_COUNT.match(note)
        if found:
            read, used, rejected = map(int, found.groups()[1:])
            assert read == used + rejected, f"{where}: {note}"
    for item in items:
        if isinstance(item, InputError):
            assert item.source and item.problems and all(f and m for f, m in item.problems), f"{where}: {item}"
            assert item.line or item.problems[0][0] in ("file", "header") or ":" in item.source, f"{where}: {item}"
    for fmt in ("jsonl", "json", "csv"):
        out = io.StringIO()
        writer = FindingsWriter(out, fmt)
        for item in items:
            writer.write(item, ALL)
        writer.close(summary.as_record())
        if fmt == "jsonl":
            [json.loads(line) for line in out.getvalue().splitlines()]
        elif fmt == "json":
            json.loads(out.getvalue())


def _separator(path: Path) -> bytes:
    head = path.read_bytes().split(b"\n", 1)[0]
    return max((b";", b"\t", b","), key=head.count)


@pytest.mark.parametrize("seed", range(CASES))
def test_a_broken_csv_table_keeps_every_promise(tmp_path, seed):
    rng = random.Random(seed)
    shutil.copytree(EXPORTS / "csv", tmp_path / "csv")
    tables = sorted((tmp_path / "csv").glob("*.csv"))
    victim = rng.choice(tables)
    name = _broken(victim, rng, _separator(victim))
    if seed % 3 == 0:  # as a force sends a large table: gzip-compressed
        packed = victim.with_name(victim.name + ".gz")
        packed.write_bytes(gzip.compress(victim.read_bytes(), mtime=0))
        victim.unlink()
        tables = [packed if t == victim else t for t in tables]
    _check([str(t) for t in tables], f"seed {seed}: {victim.name}, {name}")


@pytest.mark.parametrize("seed", range(CASES))
def test_a_broken_storm_print_keeps_every_promise(tmp_path, seed):
    rng = random.Random(seed)
    storm = tmp_path / "storm-logs.txt"
    shutil.copy(EXPORTS / "storm" / "storm-logs.txt", storm)
    name = _broken(storm, rng, b"\t")
    _check([str(storm)], f"seed {seed}: {name}")


#: what a workbook cell can hold that a CSV cell cannot: other types, formulas, dates out of any range (NUL is
#: one thing a workbook cannot hold at all)
HOSTILE_CELLS = [None, "", 0, -1, 10 ** 18, 3.5, float("nan"), float("inf"), True, "=1+1", "#N/A", "x" * 32_000,
                 "01/01/1800 00:00:00", "2025-13-40", "éàü"]


@pytest.mark.parametrize("seed", range(CASES // 2))
def test_a_workbook_with_hostile_cells_keeps_every_promise(tmp_path, seed):
    openpyxl = pytest.importorskip("openpyxl")
    from datetime import datetime

    rng = random.Random(seed)
    book = openpyxl.load_workbook(EXPORTS / "xlsx" / "exampleshire-export.xlsx")
    changed = []
    for _ in range(rng.randrange(1, 4)):
        sheet = book[rng.choice(book.sheetnames)]
        row, column = rng.randrange(2, sheet.max_row + 1), rng.randrange(1, sheet.max_column + 1)
        value = rng.choice(HOSTILE_CELLS + [datetime(1900, 1, 1), datetime(9999, 12, 31)])
        sheet.cell(row, column).value = value
        changed.append((sheet.title, row, column, repr(value)[:20]))
    target = tmp_path / "hostile-export.xlsx"
    book.save(target)
    _check([str(target)], f"seed {seed}: {changed}")
