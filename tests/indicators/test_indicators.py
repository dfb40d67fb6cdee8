"""Indicator files: loading and its errors, the shipped schema, the review outcome through `hocr check`."""

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from cli.main import app
from hocr_rules.errors import RuleFileError
from hocr_rules.rulebook.json_schema import document
from hocr_rules.model.incident import Incident
from hocr_rules.rulebook import yamlfile
from hocr_rules.rulebook.pack import DEFAULT_RULES, RulePack
from hocr_rules.rulebook.schema import Profile

ROOT = Path(__file__).resolve().parents[2]
PACK = RulePack.load()
FILES = sorted((DEFAULT_RULES / "indicators").glob("*.yaml"))

#: Opened as assault, flagged domestic abuse, closed NFA, nothing coded: issue 8's own example.
UNCODED = {"id": "U1", "received_at": "2026-06-14T01:20:00+01:00", "channel": "emergency_call",
           "opening_code": "ASSAULT", "closing_code": "NFA", "qualifiers": ["domestic_abuse"],
           "code_readings": [{"field": "opening_code", "code": "ASSAULT", "means": ["violence"]},
                             {"field": "closing_code", "code": "NFA", "means": ["no_crime"]}],
           "log": [{"text": "Caller says partner punched her"}, {"text": "No injuries seen"}]}
QUIET = {"id": "Q1", "received_at": "2026-06-14T01:20:00+01:00", "channel": "non_emergency_call",
         "log": [{"text": "Advice given about parking; no offence, no injuries"}]}


def test_the_bundled_indicators_load():
    assert [i.code for i in PACK.indicators.indicators] == [f"IN{n:02d}" for n in range(1, 11)]


def test_the_shipped_schema_is_current_and_draft_07():
    shipped = json.loads((ROOT / "schemas" / "indicator-file.schema.json").read_text(encoding="utf-8"))
    assert shipped == json.loads(json.dumps(document("indicators"), default=str))
    assert shipped["$id"] == ("https://raw.githubusercontent.com/hocr-rules/hocr-rules/main/schemas/"
                              "indicator-file.schema.json")
    jsonschema.Draft7Validator.check_schema(shipped)


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_each_file_names_the_schema_and_meets_it(path):
    assert path.read_text(encoding="utf-8").splitlines()[0] == (
        "# yaml-language-server: $schema=../../schemas/indicator-file.schema.json")
    data, _ = yamlfile.read(path)
    assert list(jsonschema.Draft7Validator(document("indicators")).iter_errors(data)) == []


def _folder_with(tmp_path: Path, name: str, edit) -> Path:
    folder = tmp_path / "force"
    (folder / "indicators").mkdir(parents=True)
    text = (DEFAULT_RULES / "indicators" / "IN03-violence-described-in-log.yaml").read_text(encoding="utf-8")
    (folder / "indicators" / name).write_text(edit(text), encoding="utf-8")
    return folder


@pytest.mark.parametrize(("edit", "message"), [
    (lambda t: t.replace("severity: high", "severity: high\ncolour: red"), "unknown key 'colour'"),
    (lambda t: t.replace("suggests: 105A", "suggests: 999Z"), "unknown offence code '999Z'"),
    (lambda t: t.replace("offences: [violence, robbery]", "offences: [violent]"),
     "'violent' is neither an offence group or family"),
    (lambda t: t.replace("codes: [violence]", "codes: [violent]"), "codes.0"),
    (lambda t: t.replace("phrases: [punched,", "accept: [sober]\n  phrases: [punched,"), "accept.0"),
    (lambda t: t.replace("code: IN03", "code: RC01").replace("name: violence-described-in-log",
                                                            "name: violence-described-in-log"),
     "should be named RC01"),
])
def test_a_bad_file_is_an_error_with_its_line(tmp_path, edit, message):
    folder = _folder_with(tmp_path, "IN03-violence-described-in-log.yaml", edit)
    with pytest.raises(RuleFileError, match=message) as error:
        RulePack.load([DEFAULT_RULES, folder])
    assert error.value.path is not None


def test_an_indicator_may_not_take_a_rule_code(tmp_path):
    folder = _folder_with(tmp_path, "RC01-violence-described-in-log.yaml", lambda t: t.replace("code: IN03",
                                                                                              "code: RC01"))
    with pytest.raises(RuleFileError, match="already a rule's code"):
        RulePack.load([DEFAULT_RULES, folder])


def test_a_force_folder_replaces_an_indicator_by_code(tmp_path):
    folder = _folder_with(tmp_path, "IN03-violence-described-in-log.yaml",
                          lambda t: t.replace("phrases: [punched,", "phrases: [walloped, punched,"))
    pack = RulePack.load([DEFAULT_RULES, folder])
    incident = Incident.model_validate({**QUIET, "log": [{"text": "He walloped him"}]})
    assert [r.rule.code for r in pack.indicators.screen(incident)] == ["IN03"]
    assert PACK.indicators.screen(incident) == []


def test_a_profile_disables_an_indicator():
    pack = RulePack.load(profile=Profile(disabled=["IN03"]))
    assert "IN03" not in [i.code for i in pack.indicators.indicators]
    with pytest.raises(RuleFileError, match="no such rule"):
        RulePack.load(profile=Profile(disabled=["IN99"]))


def test_crime_related_codes_with_nothing_coded_are_never_silent():
    reviews = PACK.indicators.screen(Incident.model_validate(UNCODED))
    assert {r.rule.code for r in reviews} == {"IN02", "IN03"}
    violence = next(r for r in reviews if r.rule.code == "IN03")
    assert violence.suggests == "105A"
    record = violence.as_record()
    assert record["outcome"] == "review" and record["subject"] == {"kind": "incident", "id": "U1"}
    assert {"kind": "code", "field": "opening_code", "value": "ASSAULT", "means": ["violence"]} in record["evidence"]
    assert {"kind": "phrase", "field": "log", "value": "punched her", "entry": 0, "start": 20, "end": 31,
            "quote": "punched her"} in record["evidence"]


def test_a_dated_version_changes_the_suggested_offence():
    def on(day: str):
        return PACK.indicators.screen(Incident.model_validate(
            {**QUIET, "log": [{"text": "He strangled her"}], "received_at": day}))

    before, after = on("2022-06-06T23:00:00+01:00"), on("2022-06-07T00:00:00+01:00")
    assert [(r.rule.code, r.suggests, r.version) for r in before] == [("IN04", "8N", "2002-04-01")]
    assert [(r.rule.code, r.suggests, r.version) for r in after] == [("IN04", "008/77", "2022-06-07")]


def _check(tmp_path, records, *options):
    path = tmp_path / "incidents.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return CliRunner().invoke(app, ["check", str(path), *options])


def test_check_reports_reviews_and_exits_1(tmp_path):
    result = _check(tmp_path, [UNCODED, QUIET], "--format", "jsonl")
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    reviews = [line for line in lines if line.get("outcome") == "review"]
    summary = lines[-1]
    assert result.exit_code == 1
    assert {r["rule"] for r in reviews} == {"IN02", "IN03"}
    assert summary["incidents_for_review"] == 1 and summary["reviews_by_indicator"] == {"IN02": 1, "IN03": 1}
    assert summary["evaluated"] == (summary["incidents_with_breaches"] + summary["incidents_for_review_only"]
                                    + summary["incidents_clean"])


def test_check_exits_0_when_nothing_needs_review(tmp_path):
    assert _check(tmp_path, [QUIET]).exit_code == 0


@pytest.mark.parametrize("fmt", ["csv", "json", "table"])
def test_every_format_carries_the_review(tmp_path, fmt):
    result = _check(tmp_path, [UNCODED], "--format", fmt)
    assert result.exit_code == 1 and "review" in result.stdout and "IN03" in result.stdout


def test_both_engines_report_the_same_reviews(tmp_path):
    durable = pytest.importorskip("durable")
    del durable
    default = _check(tmp_path, [UNCODED, QUIET], "--format", "jsonl")
    both = _check(tmp_path, [UNCODED, QUIET], "--format", "jsonl", "--engine", "both", "--workers", "0")
    assert both.exit_code == default.exit_code == 1
    assert both.stdout == default.stdout
