"""`hocr rules test --format junit|tap`: the example cases as CI dashboards and TAP consumers read them, and
rule files given by path."""

import re
import xml.etree.ElementTree as ElementTree

import yaml
from junitparser import Failure, JUnitXml
from typer.testing import CliRunner

from cli.main import app
from hocr_rules.rulebook.pack import RulePack

RUNNER = CliRunner()
TL01_CASES = len(RulePack.load().find("TL01").examples)


def hocr(*args: str):
    return RUNNER.invoke(app, list(args), env={"COLUMNS": "200"})


def test_junit_has_one_suite_per_rule_and_one_case_per_example():
    result = hocr("rules", "test", "TL01", "NC02", "--format", "junit")
    assert result.exit_code == 0
    document = JUnitXml.fromstring(result.stdout.encode("utf-8"))
    suites = {suite.name: list(suite) for suite in document}
    assert sorted(suites) == ["NC02", "TL01"]
    assert len(suites["TL01"]) == TL01_CASES
    assert all(case.name.startswith("TL01-") and case.classname == "rules.TL01" for case in suites["TL01"])
    assert document.tests == TL01_CASES + len(suites["NC02"]) and document.failures == 0


def test_junit_reports_a_failing_case_with_what_differed(force_rules):
    result = hocr("rules", "test", "--rules", str(force_rules), "XX02", "--format", "junit")
    assert result.exit_code == 1
    ElementTree.fromstring(result.stdout.encode("utf-8"))  # well-formed
    (suite,) = JUnitXml.fromstring(result.stdout.encode("utf-8"))
    failed = [case for case in suite if not case.is_passed]
    assert [case.name.split()[0] for case in failed] == ["XX02-2"]
    (failure,) = failed[0].result
    assert isinstance(failure, Failure)
    assert failure.message == "D1: expected breach, got compliant: on time"
    assert "D7: no outcome for this subject" in failure.text


def test_a_case_with_a_mistyped_offence_code_fails_naming_the_field_and_the_codes_meant(force_rules):
    """As `hocr check` rejects it: the case fails with the field and the nearest codes, never a traceback."""
    path = force_rules / "XX01-slow-record.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "disclosures: [{id: D1, offence: 105A", "disclosures: [{id: D1, offence: 105Z", 1), encoding="utf-8")
    result = hocr("rules", "test", "--rules", str(force_rules), "XX01")
    assert result.exit_code == 1 and isinstance(result.exception, (SystemExit, type(None))), result.exception
    assert "FAIL XX01-1" in result.stdout and "Traceback" not in result.output
    assert "the example incident is invalid: disclosures.0.offence: unknown offence code '105Z': did you mean" \
        in result.stdout


def test_tap_numbers_every_case_and_explains_a_failure_in_a_yaml_block(force_rules):
    result = hocr("rules", "test", str(force_rules / "XX02-slow-record-again.yaml"), "--format", "tap")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[:3] == ["TAP version 14", "1..2", "ok 1 - XX02-1 A crime recorded 25 h after the report is late"]
    assert lines[3] == "not ok 2 - XX02-2 A crime recorded 2 h after the report is wrongly expected to be late"
    block = lines[lines.index("  ---") + 1:lines.index("  ...")]
    diagnostics = yaml.safe_load("\n".join(line[2:] for line in block))
    assert diagnostics["message"] == "D1: expected breach, got compliant: on time"
    assert len(diagnostics["differences"]) == 2


def test_tap_escapes_a_hash_in_a_case_name(force_rules):
    path = force_rules / "XX01-slow-record.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "name: A crime recorded 25 h after the report is late", 'name: "A crime recorded 25 h after the report is late # really"'), encoding="utf-8")
    result = hocr("rules", "test", str(path), "--format", "tap")
    assert "ok 1 - XX01-1 A crime recorded 25 h after the report is late \\# really" in result.stdout


def test_a_rule_file_given_by_path_is_tested_on_top_of_the_bundled_pack(force_rules):
    result = hocr("rules", "test", str(force_rules / "XX01-slow-record.yaml"))
    assert result.exit_code == 0
    assert re.findall(r"^pass (\w+-\d+)", result.stdout, flags=re.M) == ["XX01-1", "XX01-2"]
