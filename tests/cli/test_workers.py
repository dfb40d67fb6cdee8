"""`hocr check --workers N` with the default engine: byte for byte what one process writes, in every format, with
one reconciled summary; a killed worker's records are reported, never lost.

The inputs here are small, so the size under which a run stays in one process is set to 0 and blocks are made
tiny: each run is cut into many blocks over two forked workers."""

import dataclasses
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from fnmatch import fnmatch
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from hocr_rules import parallel
from hocr_rules.intake import Intake
from hocr_rules.intake.mapping import load_mapping
from hocr_rules.offences import OffenceTable
from hocr_rules.parallel import blocks, splice, work
from hocr_rules.screening import Summary
from hocr_rules.writers import FORMATS

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
EXPORTS = EXAMPLES / "exports"
runner = CliRunner()


@pytest.fixture(autouse=True)
def tiny_blocks(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_BYTES", 0)
    monkeypatch.setattr(blocks, "BLOCK_BYTES", 3000)
    monkeypatch.setattr(blocks, "BLOCK_RECORDS", 3)


@pytest.fixture
def mixed(tmp_path) -> Path:
    """The examples with rejected records among them: broken JSON, invalid incidents, blank lines, a BOM."""
    good = (EXAMPLES / "incidents.jsonl").read_bytes().splitlines(keepends=True)
    bad = (EXAMPLES / "bad-input.jsonl").read_bytes().splitlines(keepends=True)
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + b"".join(good[:20] + bad[:4] + [b"\n", b"  \n"] + good[20:] + bad[4:]
                                                 + [b"not json\n"]))
    return path


def check(*args: str, **env: str):
    result = runner.invoke(app, ["check", "--isolated", *args], env=env or None)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("fmt", ("table",) + FORMATS)
@pytest.mark.parametrize("all_outcomes", (False, True))
def test_two_workers_write_exactly_what_one_process_writes(mixed, fmt, all_outcomes):
    options = ["--format", fmt] + (["--all-outcomes"] if all_outcomes else [])
    one = check(str(mixed), *options, "--workers", "1")
    two = check(str(mixed), *options, "--workers", "2")
    assert one == two
    assert one[0] == 2 and "rejected" in one[2]


def test_two_workers_lay_out_the_same_rich_table_as_one_process_at_a_terminal(mixed):
    """The table above is the plain one (the test runner's stdout is no terminal); this is the rich one."""
    at_terminal = {"TTY_COMPATIBLE": "1", "TERM": "dumb"}
    one = check(str(mixed), "--workers", "1", **at_terminal)
    assert one == check(str(mixed), "--workers", "2", **at_terminal)
    assert "│" in one[1] and "\t" not in one[1]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_report_file_is_spliced_in_the_kernel_to_the_same_bytes(mixed, tmp_path, fmt, monkeypatch):
    """With -o the workers' files are copied by os.sendfile (the captured stdout above has no descriptor), and
    the folder they were in is gone afterwards."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    sent = []
    monkeypatch.setattr(splice.os, "sendfile", lambda *a: sent.append(a) or _sendfile(*a))
    one, two = tmp_path / "one", tmp_path / "two"
    assert check(str(mixed), "--format", fmt, "-o", str(one), "--workers", "1")[0] == 2
    assert check(str(mixed), "--format", fmt, "-o", str(two), "--workers", "2")[0] == 2
    assert one.read_bytes() == two.read_bytes()
    assert sent and not list(tmp_path.glob("hocr-workers-*"))


def _sendfile(*args, real=splice.os.sendfile):
    return real(*args)


def test_a_report_opened_to_append_is_written_through_the_stream(tmp_path):
    """sendfile refuses a descriptor opened to append (`hocr check ... >> report`): the text goes through."""
    stored = tmp_path / "block.out"
    stored.write_bytes(b"skipped,{\"finding\": \"caf\xc3\xa9\"}\n")
    report = tmp_path / "report"
    report.write_text("before\n", encoding="utf-8")
    with report.open("a", encoding="utf-8") as out:
        splice.copy_into(work.Stored(str(stored), 7, stored.stat().st_size), out, skip=1)
        out.write("after\n")
    assert report.read_text(encoding="utf-8") == 'before\n{"finding": "caf\u00e9"}\nafter\n'


def test_text_that_is_not_utf8_stays_text_for_the_stream_to_judge(tmp_path):
    sink = work._Sink(str(tmp_path))
    assert sink.keep("lone \ud800") == work.Fragment("lone \ud800")
    assert isinstance(sink.keep("fine"), work.Stored)
    sink.close()


def test_a_json_lines_file_is_cut_at_newlines_into_ranges_that_cover_it(tmp_path, monkeypatch):
    """Every byte in exactly one range, each range ending after a newline, each numbered from its first line;
    a line longer than a block is one range, and the last line may lack its newline."""
    lines = [b"{}\n", b"x" * 7000 + b"\n", b"\n", b"{}\n" * 5, b"last"]
    path = tmp_path / "cut.jsonl"
    path.write_bytes(b"".join(lines))
    monkeypatch.setattr(blocks, "BLOCK_BYTES", 4)
    intake = Intake(OffenceTable.load(), None, None)
    cut = list(blocks.in_blocks(intake, [str(path)]))
    assert len(cut) > 2 and cut[0].span[0] == 0 and cut[-1].span[1] == path.stat().st_size
    data = path.read_bytes()
    for block, following in zip(cut, cut[1:]):
        assert block.span[1] == following.span[0] and data[block.span[1] - 1:block.span[1]] == b"\n"
        assert following.start == block.start + data[block.span[0]:block.span[1]].count(b"\n")
    assert [line for block in cut for line in block.raw_lines()] == data.splitlines(keepends=True)


def test_the_summary_reconciles_over_several_files_and_shapes(mixed, tmp_path):
    array = tmp_path / "array.json"   # read by the parent's intake, its records sent to the workers
    array.write_text("[" + ",".join((EXAMPLES / "incidents.jsonl").read_text(encoding="utf-8").splitlines()[:7])
                     + "]", encoding="utf-8")
    args = [str(mixed), str(array), str(EXAMPLES / "incidents.jsonl"), "--format", "json"]
    one, two = check(*args, "--workers", "1"), check(*args, "--workers", "2")
    assert one == two
    summary = json.loads(two[1])["summary"]
    assert summary["read"] == summary["evaluated"] + summary["rejected"] and summary["rejected"] > 0


def test_a_force_export_reads_the_same_with_workers_and_each_table_reconciles():
    args = ["--mapping", str(EXPORTS / "exampleshire.mapping.yaml"), *map(str, sorted((EXPORTS / "csv").glob("*.csv"))),
            "--format", "jsonl"]
    one, two = check(*args, "--workers", "1"), check(*args, "--workers", "2")
    assert one == two
    notes = json.loads(two[1].splitlines()[-1])["notes"]
    files = [path.name for path in (EXPORTS / "csv").glob("*.csv")]
    tables = {name for name, table in load_mapping(EXPORTS / "exampleshire.mapping.yaml").tables
              if table is not None and any(fnmatch(f, pattern) for pattern in table.file for f in files)}
    assert "outcomes" in tables  # read from crimes.csv: a table is the mapping's, not a file's
    assert {note.split(":")[0] for note in notes if " rows read = " in note} == tables


def test_a_killed_worker_loses_no_record_and_the_run_says_so(mixed):
    victim = json.loads((EXAMPLES / "incidents.jsonl").read_text(encoding="utf-8").splitlines()[30])["id"]
    code, out, err = check(str(mixed), "--format", "jsonl", "--workers", "2", HOCR_FAULT_KILL_WORKER_ON=victim)
    records = [json.loads(line) for line in out.splitlines()]
    summary = records[-1]
    assert code == 2
    assert summary["read"] == summary["evaluated"] + summary["rejected"]
    lost = [r for r in records if r["type"] == "rejected" and r["problems"][0]["field"] == "worker"]
    assert lost and any("killed (signal 9)" in note for note in summary["notes"])
    numbers = [r["line"] for r in lost]   # one block's records, the victim's among them (the mixed file's line 37)
    assert 37 in numbers and numbers == sorted(numbers) and numbers[-1] - numbers[0] < 10
    one = json.loads(check(str(mixed), "--format", "jsonl", "--workers", "1")[1].splitlines()[-1])
    assert summary["read"] == one["read"]
    assert summary["evaluated"] == one["evaluated"] - len(lost)


def test_strict_stops_at_the_same_record_with_workers(mixed):
    one = check(str(mixed), "--format", "jsonl", "--strict", "--workers", "1")
    two = check(str(mixed), "--format", "jsonl", "--strict", "--workers", "2")
    assert one == two and one[0] == 2


def test_small_inputs_and_one_worker_run_in_this_process(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_BYTES", 2 << 20)
    examples = str(EXAMPLES / "incidents.jsonl")
    assert parallel.worker_count(4, [examples]) == 0
    assert parallel.worker_count(1, [examples]) == 0
    monkeypatch.setattr(parallel, "MIN_BYTES", 0)
    assert parallel.worker_count(2, [examples]) == 2
    assert parallel.worker_count(None, [examples]) == (parallel.cores() if parallel.cores() > 1 else 0)
    monkeypatch.setattr(parallel, "MIN_BYTES", 1)
    assert parallel.worker_count(2, ["-"]) == 0   # standard input: its size is not known


def test_merging_summaries_adds_every_count():
    """A field added to Summary and not merged would be lost with workers: every field is checked here."""
    part = Summary(read=3, evaluated=2, rejected=1, incidents_with_breaches=1, suppressed=1, incidents_for_review=1,
                   incidents_for_review_only=1, rule_names={"TL01": "late"}, notes=["n"])
    part.breaches_by_rule["TL01"] = 2
    part.not_evaluable_by_rule["NC01"] = 1
    part.reviews_by_indicator["IN01"] = 1
    total = Summary()
    total.merge(part)
    total.merge(part)
    for f in dataclasses.fields(Summary):
        value = getattr(total, f.name)
        if isinstance(value, int):
            assert value == 2 * getattr(part, f.name), f.name
        elif f.name not in ("rule_names", "notes"):
            assert value == {k: 2 * v for k, v in getattr(part, f.name).items()}, f.name
    assert total.notes == ["n"] and total.rule_names == {"TL01": "late"}


UNEVEN = """\
import random, sys, time
from hocr_rules.parallel.pool import Pool
pauses = random.Random(int(sys.argv[1])).choices([0, 0, 0, 0.002, 0.02], k=300)
def work(number):
    time.sleep(pauses[number])
    return number
pool = Pool(work, 2, None)
try:
    print(list(pool.map(iter(range(300)))) == list(range(300)), flush=True)
finally:
    pool.close()
"""


@pytest.mark.parametrize("seed", (1, 3, 5))
def test_every_block_is_answered_however_uneven_the_work(seed):
    """Blocks of uneven cost, so that the answers come back out of order: when the one the output waits for
    arrives last, every block read has been answered and no worker is busy, and the pool must read on rather
    than wait for an answer nobody owes (it waited, forever: the hang that stopped CI at 89 %). These seeds hung
    before the fix."""
    run = subprocess.run([sys.executable, "-c", UNEVEN, str(seed)], capture_output=True, text=True, cwd=ROOT,
                         timeout=60)
    assert (run.returncode, run.stdout) == (0, "True\n"), run.stderr


def test_the_command_forks_its_workers_before_it_starts_any_thread(tmp_path):
    """Forking a process that runs threads can leave a child holding a lock no thread will release (Python 3.12
    warns of it). `hocr check` forks before its progress bar's thread starts; the tests here that run it in
    pytest-xdist's threaded workers only hide that, so this one runs the command alone, with the warning an error
    (on 3.11, which does not warn, it shows the run works in a process of its own)."""
    examples = (EXAMPLES / "incidents.jsonl").read_bytes()
    big = tmp_path / "big.jsonl"
    big.write_bytes(examples * (parallel.MIN_BYTES // len(examples) + 1))
    run = subprocess.run([sys.executable, "-W", "error::DeprecationWarning", "-m", "cli.main", "check", str(big),
                          "--workers", "2", "--format", "jsonl", "--isolated", "--select", "TL01"],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 1, run.stderr
    assert "DeprecationWarning" not in run.stderr and "Traceback" not in run.stderr


ORPHANED = """\
import os, signal, sys
from hocr_rules.parallel.pool import Pool
pool = Pool(len, 2, None)
print(" ".join(str(worker.process.pid) for worker in pool.workers), flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_workers_stop_when_their_parent_is_killed():
    """A parent killed outright (the OOM killer, kill -9) leaves no worker waiting for blocks forever."""
    parent = subprocess.Popen([sys.executable, "-c", ORPHANED], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    with parent.stdout:
        pids = [int(pid) for pid in parent.stdout.readline().split()]
    parent.wait()
    assert len(pids) == 2
    deadline = time.monotonic() + 30
    try:
        while time.monotonic() < deadline and any(_alive(pid) for pid in pids):
            time.sleep(0.1)
        assert not any(_alive(pid) for pid in pids)
    finally:
        for pid in filter(_alive, pids):
            os.kill(pid, signal.SIGKILL)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:   # a zombie has stopped; only its parent, gone, could reap it
        return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
