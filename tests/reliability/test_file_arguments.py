"""Every file a user names (incidents, rules folder, profile, audit baseline, reviewed findings, auditors'
worksheet) that is missing, a folder, or not text we can read is reported naming the file, with exit 2: no
traceback, never exit 1."""

import json

import pytest
from typer.testing import CliRunner

from cli.main import app
from hocr_rules.audit.sampling import read_judgements

RUNNER = CliRunner()
INCIDENT = {"id": "INC-1", "received_at": "2025-05-01T10:00:00+01:00", "channel": "emergency_call",
            "people": [{"id": "V1"}, {"id": "O1"}],
            "disclosures": [{"id": "D1", "offence": "105A", "victims": ["V1"], "offenders": ["O1"],
                             "reported_by": "victim"}]}

#: argument -> the command line with {} where the file goes
ARGUMENTS = {
    "incidents": ["check", "{}"],
    "rules folder": ["check", "in.jsonl", "--rules", "{}"],
    "profile": ["check", "in.jsonl", "--profile", "{}"],
    "baseline": ["audit", "in.jsonl", "--baseline", "{}"],
    "reviewed findings": ["check", "in.jsonl", "--baseline", "{}"],
    "worksheet": ["audit", "in.jsonl", "--judgements", "{}"],
}
#: problem -> how to make the file
PROBLEMS = {
    "missing": lambda path: None,
    "a folder": lambda path: path.mkdir(),
    "binary": lambda path: path.write_bytes(b"\x81\x8d\x00\xff\xfe garbage"),  # not UTF-8, not Windows-1252
}


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in.jsonl").write_text(json.dumps(INCIDENT) + "\n", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("problem", PROBLEMS)
@pytest.mark.parametrize("argument", ARGUMENTS)
def test_a_file_argument_that_cannot_be_used_is_reported_by_name_with_exit_2(in_tmp, argument, problem):
    if argument == "rules folder" and problem == "a folder":
        pytest.skip("a folder is what --rules wants")
    PROBLEMS[problem](in_tmp / "the-file")
    result = RUNNER.invoke(app, [a.replace("{}", "the-file") for a in ARGUMENTS[argument]], env={"COLUMNS": "1000"})
    assert result.exit_code == 2, (result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output and "the-file" in result.output, result.output
    if problem == "a folder":
        assert "is a folder" in result.output, result.output


def test_a_worksheet_saved_by_excel_in_windows_1252_is_read(in_tmp):
    (in_tmp / "w.csv").write_bytes("incident,auditor_outcome,auditor_note\r\nINC-1,not_recorded,"
                                   "Mrs O’Brien’s café report – not recorded\r\n".encode("cp1252"))
    judged = read_judgements(in_tmp / "w.csv")
    assert judged["INC-1"].note == "Mrs O’Brien’s café report – not recorded"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_a_utf_8_worksheet_with_or_without_a_byte_order_mark_is_read(in_tmp, encoding):
    (in_tmp / "w.csv").write_bytes("incident,auditor_outcome,auditor_note\nINC-1,not_recorded,café\n"
                                   .encode(encoding))
    assert read_judgements(in_tmp / "w.csv")["INC-1"].note == "café"
