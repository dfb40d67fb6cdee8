"""docs/coverage.md, the pack's reading of the requirement map (rows R001-R185, Kent failure types S1-S22), is
kept by hand; these tests keep it honest: every code it names is a rule or indicator of the pack, every rule and
indicator serves a row (or is listed under "Not from the map"), each row appears once, and the summary is the
count of the rows. When a count disagrees the failure prints the table to copy in."""

import re
from collections import Counter
from pathlib import Path

import pytest

from hocr_rules.rulebook.pack import DEFAULT_RULES

DOC = Path(__file__).parents[2] / "docs" / "coverage.md"
STATUSES = ("covered", "partial", "missing", "not checkable")
CODE = re.compile(r"^[A-Z]{2}\d{2}$")


def _section(title: str) -> list[list[str]]:
    """The cells of the table rows under the heading `## title`, header and rule lines left out."""
    text = DOC.read_text(encoding="utf-8").split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")]
            for line in text.splitlines() if line.startswith("|")]
    return [row for row in rows if not set(row[0]) <= set("-") and row[0] not in ("id", "code", "status", "moved")]


ROWS = _section("Rows")
KENT = _section("Kent failure types (S1-S22)")


def _pack_codes() -> set[str]:
    return {path.name[:4] for path in Path(DEFAULT_RULES).rglob("*.yaml") if CODE.match(path.name[:4])}


def _status(row: list[str], column: int) -> str:
    return "not checkable" if row[3] == "N" else row[column]


def test_each_row_of_the_map_appears_once_with_a_known_status():
    ids = [row[0] for row in ROWS]
    assert ids == [f"R{n:03d}" for n in range(1, 186)]
    assert {row[4] for row in ROWS} | {row[5] for row in ROWS} <= set(STATUSES)
    assert [row[0] for row in KENT] == sorted({row[0] for row in KENT}, key=lambda s: int(s[1:]))


@pytest.mark.parametrize("table", ["Rows", "Kent"])
def test_every_code_named_is_a_rule_or_indicator_of_the_pack(table):
    rows, column = (ROWS, 6) if table == "Rows" else (KENT, 3)
    named = {code for row in rows for code in row[column].split()}
    assert sorted(named - _pack_codes()) == []


def test_every_rule_and_indicator_serves_a_row_or_says_why_not():
    named = {code for row in ROWS for code in row[6].split()}
    unmapped = {row[0] for row in _section("Not from the map") if CODE.match(row[0])}
    assert sorted(_pack_codes() - named - unmapped) == []


def test_a_covered_or_partial_row_says_what_checks_it_and_a_partial_or_missing_one_what_is_lacking():
    """What checks a row is its rule codes, or, for the few the offence list checks as input is read, "why"."""
    for row in ROWS:
        now = _status(row, 5)
        if now in ("covered", "partial"):
            assert row[6] or "offence list" in row[7] or "offence table" in row[7], f"{row[0]} is {now}: by what?"
        if now in ("partial", "missing"):
            assert row[7], f"{row[0]} is {now} but does not say what is lacking"


def test_the_summary_is_the_count_of_the_rows():
    baseline = Counter(_status(row, 4) for row in ROWS)
    now = Counter(_status(row, 5) for row in ROWS)
    moves = Counter(f"{_status(row, 4)} to {_status(row, 5)}" for row in ROWS if _status(row, 4) != _status(row, 5))
    expected = [[status, str(baseline[status]), str(now[status])] for status in STATUSES]
    expected_moves = [[move, str(n)] for move, n in sorted(moves.items())]
    summary = _section("Summary")
    shown = [row for row in summary if row[0] in STATUSES]
    shown_moves = [row for row in summary if " to " in row[0]]
    assert (shown, shown_moves) == (expected, expected_moves), "\n".join(
        ["| status | baseline | now |", "|---|---|---|"] + ["| " + " | ".join(r) + " |" for r in expected]
        + ["", "| moved | rows |", "|---|---|"] + ["| " + " | ".join(r) + " |" for r in expected_moves])
