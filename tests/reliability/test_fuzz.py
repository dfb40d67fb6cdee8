"""The seeded fuzz run: files of valid incidents with hostile records mixed in, in every input shape, and the
promises of `hocr_rules.testing.fuzz` checked on each (no exception, read = evaluated + rejected, valid
records judged as when alone, rejections naming file, line and field, machine formats that parse, CSV cells that
start no formula). `scripts/fuzz.py` runs the same at any size."""

import json
import random

import pytest
from typer.testing import CliRunner

from cli.main import app
from hocr_rules.engine.evaluator import Evaluator
from hocr_rules.rulebook.pack import RulePack
from hocr_rules.testing import fuzz

FILES, RECORDS = 500, 6  # 3,000 records, about 20 s on one core


def test_the_seeded_fuzz_run_keeps_every_promise(tmp_path):
    seen = fuzz.run(tmp_path, Evaluator(RulePack.load()), FILES, seed=12, records=RECORDS)
    assert set(seen) == set(fuzz.MUTATIONS)  # every mutation was tried, so none is silently dead


@pytest.mark.parametrize("shape", fuzz.SHAPES)
def test_the_command_line_on_a_fuzzed_file_exits_2_with_parseable_findings_and_a_reconciled_summary(tmp_path,
                                                                                                      shape):
    engine = Evaluator(RulePack.load())
    case = fuzz.make_case(tmp_path, 0, shape, fuzz.example_pool(engine.pack), random.Random(3), records=12)
    assert case.broken and case.valid
    result = CliRunner().invoke(app, ["check", str(case.path), "-f", "jsonl", "--all-outcomes"],
                                env={"COLUMNS": "1000"})
    assert result.exit_code == 2 and (result.exception is None or isinstance(result.exception, SystemExit))
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    summary = lines[-1]
    assert summary["type"] == "summary" and summary["read"] == summary["evaluated"] + summary["rejected"]
    assert summary["rejected"] == sum(1 for line in lines if line["type"] == "rejected") > 0
