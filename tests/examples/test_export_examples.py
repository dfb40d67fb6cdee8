"""The fictional Exampleshire export (examples/exports/), run the way its README runs it: each shape (CSV
tables, the same tables as one workbook, a STORM print) gives exactly the results in expected-results.json, both
engines agree on it, and its logs hold the phrases and the traps the crime indicators are to be tried on."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from hocr_rules.intake import Accepted, Intake
from hocr_rules.intake.mapping import load_mapping

REPO = Path(__file__).resolve().parents[2]
EXPORTS = REPO / "examples" / "exports"
MAPPING = EXPORTS / "exampleshire.mapping.yaml"
EXPECTED = json.loads((EXPORTS / "expected-results.json").read_text(encoding="utf-8"))
RUNNER = CliRunner()
#: what the logs must hold for the indicators to find (closed under non-crime codes) ...
PHRASES = ["PUNCHED", "KICKED", "STRANGLED", "THREATENED TO KILL", "SENT INTIMATE IMAGES", "KEEPS TURNING UP",
           "TOOK MY PHONE", "TOUCHED HER"]
#: ... and what must not raise anything
TRAPS = ["NO INJURIES", "DENIES ANY ASSAULT", "IF HE COMES BACK", "PREVIOUS DV WITH EX",
         "Q1 HAS THE CURRENT INCIDENT RESULTED IN INJURY? A: NO"]


def run(files: list[str], *options: str):
    result = RUNNER.invoke(app, ["check", "--mapping", str(MAPPING), *[str(REPO / f) for f in files],
                                 "--format", "jsonl", *options])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


@pytest.mark.parametrize("shape", sorted(EXPECTED))
def test_each_shape_gives_its_expected_results(shape):
    expected = EXPECTED[shape]
    code, records = run(expected["files"])
    summary = records[-1]
    assert code == expected["exit_code"]
    assert {key: summary[key] for key in expected["summary"]} == expected["summary"]
    assert sorted(summary["notes"]) == expected["tables"]
    assert [{"incident": r["incident"], "rule": r["rule"], "outcome": r["outcome"], "subject": r["subject"]}
            for r in records[:-1]] == expected["findings"]


def _reviews() -> list[dict]:
    found = []
    for shape in ("csv", "storm"):
        found += [r for r in run(EXPECTED[shape]["files"])[1][:-1] if r["outcome"] == "review"]
    return found


@pytest.mark.parametrize("phrase", PHRASES)
def test_each_indicator_phrase_in_the_logs_raises_a_review_quoting_it(phrase):
    assert any(phrase in json.dumps(r["facts"]) or phrase in r["message"] for r in _reviews()), phrase


@pytest.mark.parametrize("trap", TRAPS)
def test_no_review_rests_on_a_trap(trap):
    assert not any(trap in json.dumps(r["facts"]) or trap in r["message"] for r in _reviews()), trap


@pytest.mark.parametrize("shape", sorted(EXPECTED))
def test_both_engines_agree_on_each_shape(shape):
    pytest.importorskip("durable")
    code, records = run(EXPECTED[shape]["files"], "--engine", "both", "--workers", "0", "--all-outcomes")
    assert code == EXPECTED[shape]["exit_code"], "the engines disagree (exit 2)"


def _texts() -> str:
    files = [REPO / f for shape in ("csv", "storm") for f in EXPECTED[shape]["files"]]
    items = Intake(mapping=load_mapping(MAPPING)).read([str(f) for f in files])
    return "\n".join(entry.text for item in items if isinstance(item, Accepted) for entry in item.incident.log)


@pytest.mark.parametrize("phrase", PHRASES + TRAPS)
def test_the_logs_hold_each_indicator_phrase_and_trap(phrase):
    assert phrase in _texts()


def test_the_workbook_is_the_csv_set():
    assert EXPECTED["xlsx"]["summary"] == EXPECTED["csv"]["summary"]
    assert EXPECTED["xlsx"]["findings"] == EXPECTED["csv"]["findings"]
