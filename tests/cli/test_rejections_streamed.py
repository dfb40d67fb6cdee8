"""Rejected records in a long run: written as they come, in the document's shape, and said plainly (issue 11)."""

from __future__ import annotations

import io
import json

import pytest
from typer.testing import CliRunner

from cli import render
from cli.main import app
from hocr_rules import spool
from hocr_rules.errors import InputError
from hocr_rules.findings import FindingsWriter
from hocr_rules.sarif import SarifWriter
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


@pytest.mark.parametrize("writer, listed", [
    (FindingsWriter, lambda doc: doc["rejected"]),
    (SarifWriter, lambda doc: doc["runs"][0]["invocations"][0]["toolExecutionNotifications"])], ids=["json", "sarif"])
def test_json_and_sarif_spool_rejections_to_disk_as_they_come_not_in_memory(tmp_path, monkeypatch, writer, listed):
    """Each rejection goes to the spool's file when it is screened, before the next record is; the document's
    list is what that file held, copied in at the end."""
    monkeypatch.chdir(tmp_path)
    events, files = [], []
    write_item, append, copy_to = writer.write, spool.Spool.append, spool.Spool.copy_to

    def screened(self, item, include):
        events.append(("screened", item.record if isinstance(item, InputError) else item.incident))
        write_item(self, item, include)

    def spooled(self, text):
        said = json.loads(text)
        events.append(("spooled", said.get("incident") or said["properties"]["incident"]))
        append(self, text)
        files.append(self._file)

    def temporary(*args, **kwargs):  # a named file, kept for the test to read after the run
        return open(tmp_path / f"spool-{len(files)}", "w+", **kwargs)

    monkeypatch.setattr(writer, "write", screened)
    monkeypatch.setattr(spool.Spool, "append", spooled)
    monkeypatch.setattr(spool.Spool, "copy_to", lambda self, out: events.append(("copied",)) or copy_to(self, out))
    monkeypatch.setattr(spool.tempfile, "TemporaryFile", temporary)
    fmt = "json" if writer is FindingsWriter else "sarif"
    records = [bad(1), MISSED, bad(2), bad(3), CLEAN]
    result = RUNNER.invoke(app, ["check", "--format", fmt, write("incidents.jsonl", jsonl(*records))])
    assert result.exit_code == 2
    assert events == [("screened", "BAD-1"), ("spooled", "BAD-1"), ("screened", "MISSED-1"),
                      ("screened", "BAD-2"), ("spooled", "BAD-2"), ("screened", "BAD-3"), ("spooled", "BAD-3"),
                      ("screened", "CLEAN-1"), ("copied",)]
    assert len(set(map(id, files))) == 1  # one file for the run
    held = json.loads("[" + (tmp_path / "spool-0").read_text(encoding="utf-8") + "]")
    assert listed(json.loads(result.stdout)) == held and len(held) == 3


def test_a_run_without_rejections_makes_no_spool_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(spool.tempfile, "TemporaryFile", lambda *a, **k: pytest.fail("a spool file was made"))
    for fmt in ("json", "sarif"):
        assert RUNNER.invoke(app, ["check", "--format", fmt, write("incidents.jsonl", jsonl(MISSED))]).exit_code == 1


def test_a_spool_gives_back_text_a_json_escape_can_hold_and_utf8_cannot_as_it_was():
    """A lone surrogate ("\\ud800" in an incident id) is for the report's stream to take or refuse, as when
    the rejections were held in a list; the spool neither fails on it nor changes it."""
    kept = spool.Spool(", ")
    for text in ('{"incident": "A\ud800"}', '{"incident": "é"}'):
        kept.append(text)
    out = io.StringIO()
    kept.copy_to(out)
    assert out.getvalue() == '{"incident": "A\ud800"}, {"incident": "é"}' and kept.count == 2


def test_every_format_says_the_same_rejections_on_stderr_in_one_write_per_block(tmp_path, monkeypatch):
    """Plain lines to a file or pipe, gathered: a run with thousands of bad records makes few writes."""
    monkeypatch.chdir(tmp_path)
    path = write("incidents.jsonl", jsonl(*(bad(n) for n in range(1, 301))))
    said = {fmt: RUNNER.invoke(app, ["check", "--format", fmt, "--quiet", path]).stderr
            for fmt in ("table", "jsonl", "json", "csv", "sarif", "junit", "github")}
    assert len(set(said.values())) == 1
    lines = said["jsonl"].splitlines()
    assert len(lines) == 600 and lines[-2] == "rejected incidents.jsonl:300 incident BAD-300"
    writes = []
    monkeypatch.setattr(render, "PLAIN_BLOCK", 10_000)
    monkeypatch.setattr(render._PlainBlock, "write", lambda self, write=render._PlainBlock.write: (
        writes.append(self.size), write(self))[1])
    assert RUNNER.invoke(app, ["check", "--format", "jsonl", "--quiet", path]).stderr == said["jsonl"]
    assert 3 <= len(writes) <= 10 and all(size >= 10_000 for size in writes[:-1])
