"""Rejected records in a long run: written as they come, in the document's shape, and said plainly (issue 11)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from cli.main import app
from tests.cli.test_cli import BAD_CODE, CLEAN, MISSED, jsonl, write

RUNNER = CliRunner()


def bad(number: int) -> dict:
    return {**BAD_CODE, "id": f"BAD-{number}"}


def test_json_lists_every_rejection_in_input_order_after_the_findings_as_one_json_list(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    records = [MISSED, bad(1), CLEAN, bad(2), bad(3), MISSED | {"id": "MISSED-2"}, bad(4)]
    result = RUNNER.invoke(app, ["check", "--format", "json", write("incidents.jsonl", jsonl(*records))])
    assert result.exit_code == 2
    document = json.loads(result.stdout)
    assert [r["incident"] for r in document["rejected"]] == ["BAD-1", "BAD-2", "BAD-3", "BAD-4"]
    assert [r["line"] for r in document["rejected"]] == [2, 4, 5, 7]
    assert {f["incident"] for f in document["findings"]} >= {"MISSED-1", "MISSED-2"}
    # the bytes json.dumps gives the same list: the document is what it was when rejections were held in memory
    assert ('"rejected": ' + json.dumps(document["rejected"], ensure_ascii=False) + ",\n") in result.stdout


def test_json_with_no_rejection_has_an_empty_list(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = RUNNER.invoke(app, ["check", "--format", "json", write("incidents.jsonl", jsonl(CLEAN))])
    assert '"rejected": [],\n' in result.stdout
    assert json.loads(result.stdout)["rejected"] == []


def test_a_rejection_to_a_file_or_pipe_is_plain_lines_never_wrapped(tmp_path, monkeypatch):
    """rich laid each rejection out at the console width; a machine reading stderr gets one line per problem."""
    monkeypatch.chdir(tmp_path)
    result = RUNNER.invoke(app, ["check", "--format", "jsonl", write("incidents.jsonl", jsonl(bad(1), bad(2)))],
                           env={"COLUMNS": "40"})
    lines = result.stderr.splitlines()
    assert lines[0] == "rejected incidents.jsonl:1 incident BAD-1"
    assert lines[1].startswith("  \u2022 disclosures.0.offence: unknown offence code '8/30': did you mean 008/30")
    assert lines[2] == "rejected incidents.jsonl:2 incident BAD-2", result.stderr
