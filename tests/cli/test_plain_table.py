"""The findings table to a file or pipe: one tab-separated line per finding, the same summary; rich tables at a
terminal or with FORCE_COLOR (issue 11: rich laid out tables nobody saw, at 12-14 times validate-only)."""

from __future__ import annotations

import json
import re

from typer.testing import CliRunner

from cli.main import app
from tests.cli.test_cli import AT_TERMINAL, BAD_CODE, CLEAN, MISSED, WIDE, jsonl, write

RUNNER = CliRunner()
HEADING = "incident\trule\tsubject\toutcome\tfinding"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
TWO_VICTIMS = {**MISSED, "id": "MISSED-2", "people": [{"id": "V1"}, {"id": "V2"}, {"id": "O1"}],
               "disclosures": [{**MISSED["disclosures"][0], "victims": ["V1", "V2"]}]}


def check(path: str, *options: str, **env: str):
    return RUNNER.invoke(app, ["check", "--isolated", path, *options], env={**WIDE, **env})


def finding_lines(out: str) -> list[list[str]]:
    return [line.split("\t") for line in out.splitlines() if "\t" in line]


def test_to_a_pipe_each_finding_is_one_tab_separated_line_as_the_machine_formats_say_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = write("incidents.jsonl", jsonl(MISSED, CLEAN, TWO_VICTIMS))
    result = check(path)
    assert result.exit_code == 1
    lines = finding_lines(result.stdout)
    assert lines[0] == HEADING.split("\t")
    records = [json.loads(line) for line in check(path, "--format", "jsonl").stdout.splitlines()]
    assert lines[1:] == [[r["incident"], r["rule"], f"{r['subject']['kind'].replace('_', ' ')} {r['subject']['id']}",
                          r["outcome"].replace("_", " "), r["message"]] for r in records if r["type"] == "finding"]
    assert {line[0] for line in lines[1:]} == {"MISSED-1", "MISSED-2"}
    findings, summary = result.stdout.split("3 incidents read")
    assert "│" not in findings and "\x1b" not in result.stdout
    # the summary under them is the one a terminal gets, breaches by rule and all
    assert summary.startswith(": 3 evaluated, 0 rejected; 2 with breaches") and "breaches by rule" in summary


def test_force_color_and_a_terminal_keep_the_rich_table(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = write("incidents.jsonl", jsonl(MISSED, CLEAN))
    for env in ({"FORCE_COLOR": "1"}, AT_TERMINAL):
        out = ANSI.sub("", check(path, **env).stdout)
        assert any(line.startswith("│ MISSED-1") for line in out.splitlines()), out
        assert HEADING not in out and not finding_lines(out)
    assert "\x1b[" in check(path, FORCE_COLOR="1").stdout  # coloured, as FORCE_COLOR asks
    assert HEADING in check(path, FORCE_COLOR="").stdout  # rich reads an empty FORCE_COLOR as unset


def test_a_tab_or_line_break_in_a_cell_is_a_space_so_each_finding_stays_one_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = check(write("incidents.jsonl", jsonl({**MISSED, "id": "KNT\t1\nsecond line\x1b[31m"})))
    lines = finding_lines(result.stdout)
    assert [line[:2] for line in lines[1:]] == [["KNT 1 second line [31m", "RC01"]]
    assert "\x1b" not in result.stdout


def test_statistics_and_quiet_still_shape_the_output_when_piped(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = write("incidents.jsonl", jsonl(MISSED, CLEAN))
    statistics = check(path, "--statistics").stdout
    assert not finding_lines(statistics) and "findings by rule" in statistics and "RC01" in statistics
    quiet = check(path, "--quiet").stdout
    assert finding_lines(quiet)[1][:2] == ["MISSED-1", "RC01"] and "incidents read" not in quiet
    nothing = check(write("clean.jsonl", jsonl(CLEAN))).stdout
    assert HEADING not in nothing and "no breaches" in nothing  # no heading over no findings, as no table


def test_rejections_go_to_stderr_as_plain_lines_and_the_table_keeps_the_rest(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = check(write("incidents.jsonl", jsonl(BAD_CODE, MISSED)))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == "rejected incidents.jsonl:1 incident BAD-1"
    assert [line[0] for line in finding_lines(result.stdout)[1:]] == ["MISSED-1"]
    assert "2 incidents read: 1 evaluated, 1 rejected" in result.stdout
