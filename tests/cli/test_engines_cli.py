"""`hocr check --engine`: durable-rules gives the same findings as our evaluator, and `both` says so."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app

pytest.importorskip("durable_rules_engine", reason="durable-rules is not installed (pip install -e '.[durable]')")

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "incidents.jsonl"
runner = CliRunner()


def findings(engine: str, *extra: str) -> tuple[int, list[dict], str]:
    result = runner.invoke(app, ["check", str(EXAMPLES), "--format", "jsonl", "--engine", engine, *extra])
    records = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    return result.exit_code, [r for r in records if r["type"] == "finding"], result.stderr


def test_durable_rules_finds_exactly_what_our_evaluator_finds_on_the_examples():
    ours = findings("default")
    theirs = findings("durable", "--workers", "1")
    assert ours[0] == theirs[0] == 1
    assert theirs[1] == ours[1] and ours[1]


def test_both_engines_agree_on_the_examples_and_report_the_default_findings():
    code, records, stderr = findings("both", "--workers", "0")
    assert code == 1  # breaches, and no disagreement (which would be exit 2)
    assert records == findings("default")[1]
    assert "disagree" not in stderr


def test_an_unknown_engine_is_a_usage_error():
    result = runner.invoke(app, ["check", str(EXAMPLES), "--engine", "drools"])
    assert result.exit_code == 2
    assert "unknown engine 'drools'" in result.stderr
