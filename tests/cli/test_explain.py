"""`hocr explain` as a trainer uses it: verdicts first, why-not with the deciding condition and its values,
unknown never read as "not recorded", what-if with --set, 80 columns without split words, and no colour
when asked."""

import json
import re

import pytest
from typer.testing import CliRunner

from cli.main import app

RUNNER = CliRunner()

# A parent reports an assault on a 15-year-old; nothing is recorded: RC01 breach (parent or carer ground).
PARENT = {
    "id": "PARENT-1", "received_at": "2025-05-01T10:00:00+01:00", "channel": "non_emergency_call",
    "people": [{"id": "V1", "age": 15}, {"id": "O1"}],
    "disclosures": [{"id": "D1", "offence": "105A", "victims": ["V1"], "offenders": ["O1"],
                     "reported_by": "parent_or_carer"}],
}


def explain(tmp_path, *args, record=PARENT, columns="1000", env=None):
    path = tmp_path / "incidents.jsonl"
    path.write_text(json.dumps(record) + "\n")
    return RUNNER.invoke(app, ["explain", str(path), "--incident", record["id"], *args],
                         env={"COLUMNS": columns, **(env or {})})


def test_verdicts_come_first_and_each_rule_not_in_scope_is_one_entry(tmp_path):
    result = explain(tmp_path)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("incident PARENT-1: 1 breach, 0 reviews, 0 not evaluable, ")
    headings = [line for line in out.splitlines() if line in ("breaches", "not evaluable", "compliant",
                                                                "not in scope", "derived facts")]
    assert headings == ["breaches", "not in scope", "derived facts"]
    scope = out.split("\nnot in scope\n")[1].split("\n\nderived facts")[0].splitlines()
    assert all(re.match(r"[A-Z]{2}\d\d ", line) for line in scope)  # one line per rule at this width


def test_why_not_says_the_deciding_condition_in_a_sentence_with_its_values(tmp_path):
    out = explain(tmp_path).stdout
    assert "TL01 late-crime-record, disclosure D1 (from 2015-04-01): no crime record is linked " \
           "(has_crime_record = no)" in out
    assert "NR01 rape-neither-crimed-nor-n100, disclosure D1 (from 2015-04-01): the offence is not a rape " \
           "(families = assault without injury, c5_self_defence, violence)" in out
    assert "conditions do not apply" not in out and "` is false" not in out


def test_an_unknown_derived_fact_says_why_and_never_reads_as_not_recorded(tmp_path):
    ageless = {**PARENT, "people": [{"id": "V1"}, {"id": "O1"}]}
    out = explain(tmp_path, record=ageless).stdout
    assert "1 not evaluable" in out or "not evaluable\n" in out
    assert "must_record = unknown (recording ground could not be decided (NC01): victim's age not recorded)" in out
    assert "recording_ground = unknown (victim's age not recorded)" in out
    assert "not recorded" not in out.replace("victim's age not recorded", "")


def test_only_shows_the_outcomes_asked_for(tmp_path):
    out = explain(tmp_path, "--only", "breach").stdout
    assert "\nbreaches\n" in out and "\nnot in scope\n" not in out and "\ncompliant\n" not in out
    result = explain(tmp_path, "--only", "breaches")
    assert result.exit_code == 2 and "choose from breach" in result.output


# Nothing coded; the call handler's words describe an assault: IN03 raises a review quoting them.
PUNCHED = {
    "id": "LOG-1", "received_at": "2026-05-10T22:05:00+01:00", "channel": "emergency_call",
    "log": [{"at": "2026-05-10T22:05:00+01:00", "author": "CH101", "text": "Caller says she is fine"},
            {"at": "2026-05-10T22:09:00+01:00", "author": "CH101",
             "text": "Caller now states her partner PUNCHED her in the face and left the address on foot"}],
}


def test_a_review_is_explained_with_the_offence_it_suggests_and_its_quoted_evidence_and_where(tmp_path):
    result = explain(tmp_path, record=PUNCHED)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("incident LOG-1: 0 breaches, 1 review, ")
    review = out.split("\nreviews\n")[1]
    assert review.startswith("IN03 violence-described-in-log, incident LOG-1 (from 2002-04-01)\n")
    assert "possible unrecorded crime; suggests 105A Assault without Injury" in review
    assert ('evidence: "PUNCHED her" in log entry 1 (2026-05-10 22:09+01:00, by CH101), characters 30-41: '
            "Caller now states her partner PUNCHED her in the face and left the …") in review
    assert "hint: Read the quoted entries" in review and "pp. 43, 45 [V]" in review
    only = explain(tmp_path, "--only", "review", record=PUNCHED).stdout
    assert "\nreviews\n" in only and "\nnot in scope\n" not in only


def test_what_if_shows_the_outcomes_that_change_and_why(tmp_path):
    result = explain(tmp_path, "--set", "disclosures.D1.reported_by=witness")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("what if in incident PARENT-1: disclosures.D1.reported_by=witness")
    assert "RC01 missed-crime, disclosure D1 (from 2002-04-01): breach → not in scope" in out
    assert "now: the disclosure need not be recorded as a crime (must_record = no)" in out
    assert "because: must_record: yes → no; recording_ground: parent or carer → unconfirmed third party; " \
           "reported_by: parent or carer → witness" in out
    assert "TL01" not in out  # unchanged outcomes are not shown


def test_what_if_shows_a_review_the_change_raises_or_withdraws(tmp_path):
    """The trainer's "what if the call handler had not written that down?": the crime indicators run on the
    changed incident too, and a review raised or no longer raised is a changed outcome like any other."""
    calm = explain(tmp_path, "--set", "log.1.text=Caller now says all is well", record=PUNCHED)
    assert calm.exit_code == 0, calm.output
    assert "IN03 violence-described-in-log, incident LOG-1 (from 2002-04-01): review → no outcome" in calm.stdout
    assert 'was: possible 105A not recorded: log entry 1 characters 30-41: "PUNCHED her"' in calm.stdout
    quiet = {**PUNCHED, "log": PUNCHED["log"][:1]}
    raised = explain(tmp_path, "--set", "log.0.text=Caller says he kicked her", record=quiet).stdout
    assert "IN03 violence-described-in-log, incident LOG-1 (from 2002-04-01): no outcome → review" in raised
    assert 'now: possible 105A not recorded: log entry 0' in raised


def test_what_if_can_clear_a_field(tmp_path):
    out = explain(tmp_path, "--set", "people.V1.age=null").stdout
    assert "breach → not evaluable" in out and "unknown (victim's age not recorded)" in out


@pytest.mark.parametrize("change, message", [
    ("disclosures.D9.reported_by=victim", "no 'D9' in disclosures (there are: D1)"),
    ("disclosures.D1.reportedby=victim", "disclosures.0.reportedby: Extra inputs are not permitted"),
    ("disclosures.D1.reported_by", "write PATH=VALUE"),
    ("disclosures.D1.reported_by=nobody", "disclosures.0.reported_by"),
])
def test_a_what_if_that_cannot_be_made_is_an_error_naming_the_field(tmp_path, change, message):
    result = explain(tmp_path, "--set", change)
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.output


def test_eighty_columns_wrap_at_spaces_and_never_split_a_word(tmp_path):
    narrow, wide = explain(tmp_path, columns="80").stdout, explain(tmp_path).stdout
    assert max(len(line) for line in narrow.splitlines()) <= 80
    assert all(line == line.rstrip() for line in narrow.splitlines())
    assert narrow.split() == wide.split()  # the same words, only the line breaks differ


@pytest.mark.parametrize("how", [["--no-color"], "NO_COLOR"])
def test_no_colour_when_asked(tmp_path, how):
    coloured = explain(tmp_path, env={"FORCE_COLOR": "1"}).stdout
    assert re.search(r"\x1b\[[0-9;]*3[1-7]m", coloured), "the check needs colour to be on by default"
    args, env = (how, {}) if isinstance(how, list) else ([], {how: "1"})
    plain = explain(tmp_path, *args, env={"FORCE_COLOR": "1", **env}).stdout
    assert not re.search(r"\x1b\[[0-9;]*3[1-7]m", plain)
