"""The README's Python examples run as written, from the root of a clone, and say what the README says."""

import contextlib
import io
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BLOCKS = re.findall(r"^```python\n(.*?)^```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S | re.M)


def run(block: str) -> str:
    printed = io.StringIO()
    before = Path.cwd()
    os.chdir(ROOT)
    try:
        with contextlib.redirect_stdout(printed):
            exec(compile(block, "README.md", "exec"), {"__name__": "readme"})  # noqa: S102 - our own README
    finally:
        os.chdir(before)
    return printed.getvalue()


def test_the_readme_has_python_examples():
    assert BLOCKS


@pytest.mark.parametrize("block", BLOCKS, ids=[f"block-{n + 1}" for n in range(len(BLOCKS))])
def test_each_python_example_runs_as_written(block):
    run(block)


def test_the_library_example_prints_findings_by_rule_code_and_reports_rejected_records():
    printed = run(next(b for b in BLOCKS if "Evaluator" in b)).splitlines()
    assert "KNT-2025-110468 TL01 D1 recorded 30.0 h after the report, limit 24 h" in printed
    assert sum(line.startswith("rejected:") for line in printed) == 6
