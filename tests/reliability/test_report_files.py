"""Report files are whole or absent, folders are made as needed, and a path that cannot be written is one line
and exit 2 (never a traceback, never exit 1, which means breaches)."""

import json

import pytest
from typer.testing import CliRunner

from cli.main import app
from hocr_rules.errors import FileError
from hocr_rules.outputs import report_file

RUNNER = CliRunner()
MISSED = {"id": "MISSED-1", "received_at": "2025-05-01T10:00:00+01:00", "channel": "emergency_call",
          "people": [{"id": "V1"}, {"id": "O1"}],
          "disclosures": [{"id": "D1", "offence": "105A", "victims": ["V1"], "offenders": ["O1"],
                           "reported_by": "victim"}]}


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in.jsonl").write_text(json.dumps(MISSED) + "\n", encoding="utf-8")
    return tmp_path


def hocr(*args):
    return RUNNER.invoke(app, list(args), env={"COLUMNS": "1000"})


@pytest.mark.parametrize("args, made, code", [
    (["check", "in.jsonl", "-f", "jsonl", "-o", "new/dir/out.jsonl"], ["new/dir/out.jsonl"], 1),
    (["audit", "in.jsonl", "-f", "json", "-o", "new/dir/a.json"], ["new/dir/a.json"], 0),
    (["audit", "in.jsonl", "--html", "new/dir/r.html"], ["new/dir/r.html"], 0),
    (["sample", "in.jsonl", "--size", "1", "--seed", "1", "--out", "new/dir/s"], ["new/dir/s.jsonl", "new/dir/s.csv"], 0),
])
def test_every_command_makes_the_folders_its_output_needs(in_tmp, args, made, code):
    result = hocr(*args)
    assert result.exit_code == code, result.output
    for name in made:
        assert (in_tmp / name).stat().st_size > 0
    assert not list(in_tmp.rglob(".*partial*"))


@pytest.mark.parametrize("args", [
    ["check", "in.jsonl", "-o", "{bad}"], ["audit", "in.jsonl", "-o", "{bad}"], ["audit", "in.jsonl", "--html", "{bad}"],
    ["sample", "in.jsonl", "--size", "1", "--seed", "1", "--out", "{bad}/s"],
])
@pytest.mark.parametrize("bad", ["a-folder", "a-file/below"])
def test_an_output_that_cannot_be_written_is_one_line_and_exit_2(in_tmp, args, bad):
    (in_tmp / "a-folder").mkdir()
    (in_tmp / "a-folder" / "s.jsonl").mkdir()  # so `sample --out a-folder/s` meets a folder too
    (in_tmp / "a-file").write_text("x")
    result = hocr(*[a.replace("{bad}", bad) for a in args])
    assert result.exit_code == 2, result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and bad.split("/")[0] in errors[0], result.output


def test_a_run_stopped_half_way_leaves_the_previous_report_untouched(in_tmp):
    (in_tmp / "out.jsonl").write_text("the previous report\n")
    (in_tmp / "mixed.jsonl").write_text(json.dumps(MISSED) + "\n{not json\n" + json.dumps(MISSED) + "\n")
    result = hocr("check", "mixed.jsonl", "--strict", "-f", "jsonl", "-o", "out.jsonl")
    assert result.exit_code == 2
    assert (in_tmp / "out.jsonl").read_text() == "the previous report\n"
    assert not list(in_tmp.glob(".*partial*"))


def test_json_lines_reach_the_disk_line_by_line_before_the_report_is_put_in_place(in_tmp):
    with report_file(in_tmp / "out.jsonl", line_buffered=True) as out:
        out.write('{"type": "finding"}\n')
        (partial,) = in_tmp.glob(".out.jsonl.partial-*")
        assert partial.read_text() == '{"type": "finding"}\n'  # a kill now leaves whole lines, and no out.jsonl
        assert not (in_tmp / "out.jsonl").exists()
    assert (in_tmp / "out.jsonl").read_text() == '{"type": "finding"}\n'
    assert not partial.exists()


def test_an_exception_while_writing_leaves_no_file(in_tmp):
    with pytest.raises(RuntimeError):
        with report_file(in_tmp / "out.csv") as out:
            out.write("half a report")
            raise RuntimeError
    assert list(in_tmp.iterdir()) == [in_tmp / "in.jsonl"]


def test_a_folder_given_as_the_report_is_a_file_error(in_tmp):
    with pytest.raises(FileError, match="is a folder"):
        with report_file(in_tmp):
            pass
