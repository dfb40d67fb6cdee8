"""The `hocr` command as a person uses it, through typer's test runner: exit codes 0 clean / 1 breaches /
2 error, findings a reader can act on, machine formats a program can parse, and errors without tracebacks."""

import csv
import io
import json
import re

import jsonschema
import pytest
from typer.testing import CliRunner

from cli.main import app

RUNNER = CliRunner()
WIDE = {"COLUMNS": "1000"}  # rich wraps at the terminal width; wide enough that no finding or fact wraps
#: what a terminal without colour looks like to rich (its TTY_COMPATIBLE convention): the findings as tables
AT_TERMINAL = {"TTY_COMPATIBLE": "1", "TERM": "dumb"}

MISSED = {  # a victim's own report of assault closed with no crime record: RC01 breach
    "id": "MISSED-1", "received_at": "2025-05-01T10:00:00+01:00", "channel": "emergency_call",
    "people": [{"id": "V1"}, {"id": "O1"}],
    "disclosures": [{"id": "D1", "offence": "105A", "victims": ["V1"], "offenders": ["O1"], "reported_by": "victim"}],
}
CLEAN = {  # the same assault, recorded within the hour with the victim's details: no breach
    "id": "CLEAN-1", "received_at": "2025-05-01T10:00:00+01:00", "channel": "emergency_call",
    "people": [{"id": "V1", "age": 30, "sex": "female", "ethnicity": "W1",
                "disability": False, "religion": "None", "sexual_orientation": "Not stated",
                "relationship_to_offender": "stranger"},
               {"id": "O1", "age": 40}],
    "disclosures": [{"id": "D1", "offence": "105A", "victims": ["V1"], "offenders": ["O1"], "reported_by": "victim",
                     "injury": "none"}],
    "crime_records": [{"reference": "CR1", "offence": "105A", "victim": "V1", "offenders": ["O1"],
                       "disclosures": ["D1"], "recorded_at": "2025-05-01T11:00:00+01:00",
                       "racially_or_religiously_aggravated": "no"}],
}
BAD_CODE = {**MISSED, "id": "BAD-1",
            "disclosures": [{"id": "D1", "offence": "8/30", "victims": ["V1"], "reported_by": "victim"}]}


def hocr(*args: str, input: str | None = None):
    return RUNNER.invoke(app, list(args), input=input, env=WIDE)


def jsonl(*records: dict) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


def counts(text: str) -> tuple[int, int, int]:
    found = re.search(r"(\d+) incidents read: (\d+) evaluated, (\d+) rejected", text)
    assert found, text
    return tuple(int(n) for n in found.groups())


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    """Run in a scratch folder so file names in messages are short and predictable."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} does not contain {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def write(name: str, text: str) -> str:
    with open(name, "w", encoding="utf-8") as handle:
        handle.write(text)
    return name


# ---------------------------------------------------------------- hocr check


def test_check_reports_a_breach_with_its_rule_and_exits_1():
    result = hocr("check", write("incidents.jsonl", jsonl(MISSED)))
    assert result.exit_code == 1, result.output
    assert "RC01" in result.stdout and "missed-crime" in result.stdout
    assert "MISSED-1" in result.stdout and "disclosure D1" in result.stdout
    assert "105A reported by victim has no crime record (recording ground: victim report)" in result.stdout
    assert counts(result.stdout) == (1, 1, 0)


def test_check_of_a_clean_file_exits_0_and_says_so():
    result = hocr("check", write("incidents.jsonl", jsonl(CLEAN)))
    assert result.exit_code == 0, result.output
    assert "no breaches" in result.stdout
    assert "CLEAN-1" not in result.stdout  # only breaches are listed by default


def test_check_of_a_file_with_an_invalid_record_exits_2_names_line_and_field_and_checks_the_rest():
    result = hocr("check", write("incidents.jsonl", jsonl(MISSED, BAD_CODE, CLEAN)))
    assert result.exit_code == 2
    assert "incidents.jsonl:2" in result.stderr and "incident BAD-1" in result.stderr
    assert "disclosures.0.offence: unknown offence code '8/30': did you mean 008/30" in result.stderr
    assert "RC01" in result.stdout and "MISSED-1" in result.stdout
    read, evaluated, rejected = counts(result.stdout)
    assert (read, evaluated, rejected) == (3, 2, 1)
    assert read == evaluated + rejected
    assert "Traceback" not in result.output


def test_check_of_a_missing_file_or_a_folder_is_one_line_and_exit_2(tmp_path):
    for name, says in (("nowhere.jsonl", "no such file"), (str(tmp_path), "is a folder, not a file of incidents")):
        result = hocr("check", name)
        assert result.exit_code == 2 and result.stdout == ""
        assert result.stderr.strip() == f"error: {name}: {says}"


def test_strict_stops_at_the_first_invalid_record():
    result = hocr("check", "--strict", write("incidents.jsonl", jsonl(BAD_CODE, MISSED)))
    assert result.exit_code == 2
    assert "incidents.jsonl:1" in result.stderr and "disclosures.0.offence" in result.stderr
    assert "MISSED-1" not in result.output
    assert "Traceback" not in result.output


def test_an_unknown_output_format_is_a_usage_error():
    result = hocr("check", "--format", "xml", write("incidents.jsonl", jsonl(MISSED)))
    assert result.exit_code == 2
    assert "choose table, json, jsonl, csv" in result.output


FINDING_KEYS = {"rule", "version", "outcome", "severity", "incident", "subject", "message", "citation"}


def assert_finding(finding: dict) -> None:
    assert FINDING_KEYS <= set(finding)
    assert set(finding["subject"]) == {"kind", "id"}
    assert re.fullmatch(r"[A-Z]{2}\d{2}", finding["rule"])
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", finding["version"])
    assert finding["message"] and finding["citation"]


def test_json_output_is_one_document_with_findings_rejections_and_summary():
    result = hocr("check", "--format", "json", write("incidents.jsonl", jsonl(MISSED, BAD_CODE)))
    assert result.exit_code == 2
    document = json.loads(result.stdout)
    (finding,) = [f for f in document["findings"] if f["rule"] == "RC01"]
    for each in document["findings"]:
        assert_finding(each)
    assert finding["outcome"] == "breach" and finding["severity"] == "high"
    assert (finding["incident"], finding["subject"]) == ("MISSED-1", {"kind": "disclosure", "id": "D1"})
    assert finding["version"] == "2002-04-01"
    assert finding["citation"].startswith("Crime Recording Rules for Front line Officers and Staff")
    (rejected,) = document["rejected"]
    assert (rejected["line"], rejected["incident"]) == (2, "BAD-1")
    assert rejected["problems"][0]["field"] == "disclosures.0.offence"
    summary = document["summary"]
    assert (summary["read"], summary["evaluated"], summary["rejected"]) == (2, 1, 1)
    assert summary["breaches_by_rule"]["RC01"] == 1


def test_jsonl_output_is_one_record_a_line_ending_with_the_summary():
    result = hocr("check", "--format", "jsonl", write("incidents.jsonl", jsonl(BAD_CODE, MISSED)))
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["type"] for r in records][0] == "rejected"
    assert records[-1]["type"] == "summary" and records[-1]["read"] == 2
    findings = [r for r in records if r["type"] == "finding"]
    assert findings
    for finding in findings:
        assert_finding(finding)
    assert ("RC01", "MISSED-1") in [(f["rule"], f["incident"]) for f in findings]


def test_csv_output_has_a_header_and_a_row_per_finding():
    result = hocr("check", "--format", "csv", write("incidents.jsonl", jsonl(MISSED)))
    assert result.exit_code == 1
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    (row,) = [r for r in rows if r["rule"] == "RC01"]
    assert {"rule", "version", "outcome", "severity", "incident", "subject_kind", "subject_id", "message",
            "citation"} <= set(row)
    assert (row["incident"], row["subject_kind"], row["subject_id"], row["outcome"]) == (
        "MISSED-1", "disclosure", "D1", "breach")


def test_csv_cells_never_start_a_spreadsheet_formula():
    record = {**MISSED, "id": "=HYPERLINK(\"http://evil\")"}
    result = hocr("check", "--format", "csv", write("incidents.jsonl", jsonl(record)))
    (row,) = [r for r in csv.DictReader(io.StringIO(result.stdout)) if r["rule"] == "RC01"]
    assert row["incident"] == "'=HYPERLINK(\"http://evil\")"


def test_output_can_go_to_a_file():
    result = hocr("check", "--format", "jsonl", "--output", "findings.jsonl", write("incidents.jsonl", jsonl(MISSED)))
    assert result.exit_code == 1
    with open("findings.jsonl", encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle]
    assert records[-1]["type"] == "summary"
    assert "RC01" in {r.get("rule") for r in records}


def test_all_outcomes_adds_compliant_findings():
    path = write("incidents.jsonl", jsonl(CLEAN))
    plain = [json.loads(line) for line in hocr("check", "--format", "jsonl", path).stdout.splitlines()]
    everything = [json.loads(line)
                  for line in hocr("check", "--format", "jsonl", "--all-outcomes", path).stdout.splitlines()]
    assert [r["type"] for r in plain] == ["summary"]
    compliant = {(r["rule"], r["subject"]["id"]) for r in everything if r.get("outcome") == "compliant"}
    assert {("RC01", "D1"), ("TL01", "D1")} <= compliant
    assert all(r.get("outcome") != "not_in_scope" for r in everything)


def test_assume_london_reads_times_without_an_offset_as_local_time():
    # received 10:00 BST (09:00 UTC), recorded 09:30 UTC the next day: 24.5 h in London, 23.5 h if read as UTC
    record = {**CLEAN, "id": "LOCAL-1", "received_at": "2025-07-01T10:00:00",
              "crime_records": [{**CLEAN["crime_records"][0], "recorded_at": "2025-07-02T09:30:00Z"}]}
    path = write("incidents.jsonl", jsonl(record))
    refused = hocr("check", path)
    assert refused.exit_code == 2
    assert "has no time zone" in refused.stderr and "--assume-london" in refused.stderr
    london = hocr("check", "--assume-london", "--format", "jsonl", path)
    assert london.exit_code == 1
    (late,) = [r for r in map(json.loads, london.stdout.splitlines()) if r.get("rule") == "TL01"]
    assert late["message"] == "recorded 24.5 h after the report, limit 24 h"


def test_check_reads_standard_input_given_as_dash():
    result = hocr("check", "-", "--format", "jsonl", input=jsonl(CLEAN, MISSED))
    assert result.exit_code == 1
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["rule"], r["incident"]) for r in records if r["type"] == "finding"] == [("RC01", "MISSED-1")]
    assert records[-1]["read"] == 2


# ---------------------------------------------------------------- hocr explain


def test_explain_shows_every_rule_considered_with_versions_facts_and_citations():
    path = write("incidents.jsonl", jsonl(MISSED, CLEAN))
    result = hocr("explain", path, "--incident", "CLEAN-1")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("incident CLEAN-1: 0 breaches, 0 reviews, 0 not evaluable, 5 compliant")
    assert "disclosure D1" in out and "crime record CR1" in out
    assert "TL01 late-crime-record, disclosure D1 (from 2015-04-01)\n    recorded 1.0 h after the report, within 24 h" in out
    assert "\nNR01 rape-neither-crimed-nor-n100, disclosure D1" in out  # what did not apply is shown too
    assert "derived facts\ndisclosure D1: " in out and "must_record = yes" in out
    assert "first_recorded_at = 2025-05-01T11:00+01:00" in out
    assert "When to record a crime (the 24-hour rule), pp. 10 [V]" in out


def test_explain_of_an_overridden_rule_says_which_rule_took_its_place():
    rape = {**MISSED, "id": "RAPE-1",
            "disclosures": [{"id": "D1", "offence": "19C", "victims": ["V1"], "offenders": ["O1"],
                             "reported_by": "victim"}]}
    result = hocr("explain", write("incidents.jsonl", jsonl(rape)), "--incident", "RAPE-1")
    assert "breaches\nNR01 rape-neither-crimed-nor-n100" in result.stdout
    assert "overridden by NR01 (rape-neither-crimed-nor-n100)" in result.stdout


def test_explain_shows_times_worked_out_by_a_rule_as_local_time():
    result = hocr("explain", write("incidents.jsonl", jsonl(CLEAN)), "--incident", "CLEAN-1")
    assert "clock_started_at = 2025-05-01T10:00+01:00" in result.stdout


def test_explain_of_an_unknown_incident_exits_2():
    result = hocr("explain", write("incidents.jsonl", jsonl(CLEAN)), "--incident", "NOPE")
    assert result.exit_code == 2
    assert "incidents.jsonl: no incident with id 'NOPE'" in result.stderr
    assert "Traceback" not in result.output


def test_explain_of_an_invalid_incident_names_its_faults():
    result = hocr("explain", write("incidents.jsonl", jsonl(CLEAN, BAD_CODE)), "--incident", "BAD-1")
    assert result.exit_code == 2
    assert "incidents.jsonl:2" in result.stderr and "disclosures.0.offence" in result.stderr


def test_explain_reads_standard_input():
    result = hocr("explain", "-", "--incident", "MISSED-1", input=jsonl(MISSED))
    assert result.exit_code == 0
    assert "breaches\nRC01 missed-crime" in result.stdout


# ---------------------------------------------------------------- hocr rules


def test_rules_list_shows_every_rule_with_its_versions():
    result = hocr("rules", "list")
    assert result.exit_code == 0
    (tl01,) = [line for line in result.stdout.splitlines() if " TL01 " in line]
    assert "late-crime-record" in tl01 and "2002-04-01, 2015-04-01" in tl01
    assert " RC01 " in result.stdout and " NC02 " in result.stdout


@pytest.mark.parametrize("name", ["TL01", "late-crime-record"])
def test_rules_show_gives_one_rule_in_full(name):
    result = hocr("rules", "show", name)
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("TL01 late-crime-record: A crime recorded later than the time limit")
    for heading in ("statement:", "why:", "known problems:", "references", "versions", "examples"):
        assert heading in out
    assert "from 2002-04-01 ($ncrs_from) [V]" in out and "parameter limit_hours = 72\n" in out
    assert "from 2015-04-01 ($twenty_four_hours_from) [S]" in out and "parameter limit_hours = 24\n" in out
    assert "breach when: hours_to_record > limit_hours" in out
    # the let steps: where the 24-hour clock starts and how it is measured
    assert "let (worked out in this order, for every version)" in out
    # where the clock starts is TL02's derivation, shared with TL03: its value is shown in full there
    clock = hocr("rules", "show", "TL02").stdout
    assert "from_report = confirmed_at if recording_ground == 'victim_confirmed'" in clock
    assert "value: max(from_report, made_out_at) if 'held_until_made_out' in families else from_report" in clock
    assert "hours_to_record = max(0, hours_between(clock_started_at, first_recorded_at))" in out


def test_the_findings_table_at_80_columns_wraps_findings_at_spaces(tmp_path):
    """A long subject wraps at its space, so the finding keeps room for whole words."""
    record = {**CLEAN, "id": "KNT-2025-042287", "people": [{"id": "V1", "age": 30, "sex": "female"}, {"id": "O1"}],
              "crime_records": [{**CLEAN["crime_records"][0], "reference": "KNT/25/42287/01"}]}
    path = tmp_path / "incidents.jsonl"
    path.write_text(json.dumps(record) + "\n")
    out = RUNNER.invoke(app, ["check", str(path), "--select", "EQ01"], env={"COLUMNS": "80", **AT_TERMINAL}).stdout
    rows = [line.split("│") for line in out.splitlines() if line.startswith("│")]
    assert rows and max(len(line) for line in out.splitlines()) <= 80
    finding = " ".join(cells[5].strip() for cells in rows if len(cells) > 5).split()
    wide = RUNNER.invoke(app, ["check", str(path), "--select", "EQ01", "-f", "jsonl"], env=WIDE).stdout
    message = next(json.loads(line)["message"] for line in wide.splitlines() if '"rule": "EQ01"' in line)
    assert finding == message.split()  # the same words: none split across lines


@pytest.mark.parametrize("code", ["TL01", "IN03"])
def test_rules_show_at_80_columns_gives_each_web_address_whole_on_a_line_of_its_own(code):
    """Wrapped text never splits a word, and an address too long for the terminal is not folded into pieces
    that cannot be copied: it runs on, and the terminal wraps it."""
    out = RUNNER.invoke(app, ["rules", "show", code], env={"COLUMNS": "80"}).stdout
    wide = RUNNER.invoke(app, ["rules", "show", code], env=WIDE).stdout
    addresses = [line for line in out.splitlines() if re.match(r"\[\d+\] https://", line)]
    assert addresses and addresses == [line for line in wide.splitlines() if re.match(r"\[\d+\] https://", line)]
    assert any(len(line) > 80 for line in addresses)   # TL01's third reference and IN03's second are longer
    assert max(len(line) for line in out.splitlines() if line not in addresses) <= 80
    words = [[w for w in text.split() if not set(w) <= set("│├└─")] for text in (out, wide)]  # not the tree's lines
    assert words[0] == words[1]   # the same words: only the line breaks differ


def test_rules_show_gives_an_indicator_with_its_phrases_cues_and_the_offence_it_suggests():
    result = hocr("rules", "show", "IN03")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("IN03 violence-described-in-log: The log describes violence against a person")
    assert "suggests: 105A Assault without Injury\n" in out
    assert "codes meaning violence in any code field (through the force mapping)" in out
    assert "phrases in the log: punched, punching, punched her, kicked," in out
    assert "a phrase does not count when it is" in out
    assert "negated: up to 5 words before: no, not, nil, none, nobody, noone, no one, never," in out and "not a cue: no doubt" in out
    assert "hypothetical: up to 5 words before: if, unless," in out and "question: the sentence ends in" in out
    assert "answered by (no review): a disclosure or crime record of violence, robbery" in out
    assert "from 2002-04-01 [V] Assault has been notifiable" in out
    assert "A typo in a long word is still read → review quoting \"assualted\"" in out
    assert "No injuries and a denied assault are negated and raise nothing → no review" in out


def test_rules_show_of_an_indicator_that_accepts_a_flag_says_so():
    out = hocr("rules", "show", "IN05").stdout  # "if you call the police I'll kill you" is the threat itself
    assert "a phrase counts even when hypothetical" in out
    ignored = out.split("a phrase does not count when it is")[1].split("a phrase counts even when")[0]
    assert "negated:" in ignored and "hypothetical:" not in ignored


def test_rules_show_marks_a_parameter_a_profile_changed(tmp_path):
    profile = tmp_path / "force.yaml"
    profile.write_text("rules:\n  TL01:\n    limit_hours: 36\n")
    out = hocr("rules", "show", "TL01", "--profile", str(profile)).stdout
    assert "parameter limit_hours = 36 (the profile's; the rule file says 72)" in out
    assert "parameter limit_hours = 36 (the profile's; the rule file says 24)" in out
    assert "A crime recorded 25 h after disclosure is late under the 24 h limit → D1: breach" in out


def test_rules_show_of_an_unknown_code_suggests_the_nearest():
    result = hocr("rules", "show", "TL1")
    assert result.exit_code == 2
    assert "no rule 'TL1'; did you mean TL01?" in result.stderr
    assert "Traceback" not in result.output


def test_rules_test_runs_a_rules_examples():
    result = hocr("rules", "test", "TL01")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[-1].endswith("passed, 0 failed")
    assert all(line.startswith("pass TL01-") for line in lines[:-1])
    assert "pass TL01-1 A crime recorded 25 h after disclosure is late under the 24 h limit" in result.stdout


def test_rules_test_reports_a_failing_example_and_exits_1(force_rules):
    result = hocr("rules", "test", "XX02", "--rules", "force")
    assert result.exit_code == 1
    assert "pass XX02-1" in result.stdout
    assert "FAIL XX02-2" in result.stdout
    assert "D1: expected breach, got compliant: on time" in result.stdout
    assert "D7: no outcome for this subject (is the id right?)" in result.stdout
    assert "1 passed, 1 failed" in result.stdout


def test_rules_facts_lists_the_facts_with_their_meaning_and_absence():
    result = hocr("rules", "facts")
    assert result.exit_code == 0
    (line,) = [line for line in result.stdout.splitlines() if " first_recorded_at " in line]
    assert "disclosure" in line and "time" in line and "no recording time" in line
    assert " cancellation_code " in result.stdout


def test_rules_facts_of_one_subject_lists_only_its_facts():
    result = hocr("rules", "facts", "n100")
    assert " reason " in result.stdout and "no N100 reason" in result.stdout
    assert " first_recorded_at " not in result.stdout and " cancellation_code " not in result.stdout


def test_rules_facts_of_an_unknown_subject_says_which_subjects_there_are():
    result = hocr("rules", "facts", "disclosures")
    assert result.exit_code == 2
    assert "disclosure" in result.output and "crime_record" in result.output


def test_a_broken_rules_folder_exits_2_with_file_and_line_and_no_traceback(in_tmp):
    (in_tmp / "force").mkdir()
    write("force/TL01-late-crime-record.yaml", "code: TL01\nname: late-crime-record\ntitle: [unclosed\n")
    for command in (["check", write("incidents.jsonl", jsonl(MISSED))], ["rules", "show", "TL01"]):
        result = hocr(*command, "--rules", "force")
        assert result.exit_code == 2, command
        assert "TL01-late-crime-record.yaml:4" in result.stderr, command
        assert "not valid YAML" in result.stderr
        assert "Traceback" not in result.output
        assert isinstance(result.exception, SystemExit)


def test_a_rules_folder_with_a_bad_key_names_the_key_and_suggests_the_right_one(force_rules):
    edit(force_rules / "XX01-slow-record.yaml", "breach_when:", "breach_wen:")
    result = hocr("rules", "list", "--rules", "force")
    assert result.exit_code == 2
    assert "XX01-slow-record.yaml:15: breach_wen: unknown key 'breach_wen'; did you mean 'breach_when'?" in \
        result.stderr


# ---------------------------------------------------------------- hocr schema


def test_schema_incident_is_a_json_schema_that_accepts_good_and_refuses_bad_incidents():
    result = hocr("schema", "incident")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    assert list(validator.iter_errors(CLEAN)) == []
    assert list(validator.iter_errors({**CLEAN, "colour": "red"}))
    assert list(validator.iter_errors({**CLEAN, "channel": "fax"}))


# the rule-file and profile schemas: tests/rulebook/test_json_schema.py


def test_a_rule_file_the_published_schema_refuses_is_refused_by_the_loader_too(force_rules):
    edit(force_rules / "XX01-slow-record.yaml", 'edition: "1"', "edition: 2024")
    result = hocr("rules", "show", "XX01", "--rules", "force")
    assert result.exit_code == 2
    assert "XX01-slow-record.yaml" in result.stderr and "edition" in result.stderr
