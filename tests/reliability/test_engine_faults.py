"""A durable-rules worker killed outright (SIGKILL, mid-run) loses no incident, changes no finding, and the
summary says what happened. The kill is real: the worker reads HOCR_FAULT_KILL_WORKER_ON and kills itself."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hocr_rules.parallel.pool import FAULT_KILL

pytest.importorskip("durable", reason="durable_rules is not installed (pip install -e '.[durable]')")
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "incidents.jsonl"


def check(*args, **env):
    return subprocess.run([sys.executable, "-m", "cli.main", "check", str(EXAMPLES), "-f", "jsonl", *args],
                          capture_output=True, text=True, env={**os.environ, **env}, timeout=300,
                          cwd=Path(__file__).resolve().parents[2])


def test_a_killed_durable_worker_loses_nothing_and_the_summary_says_so():
    victim = json.loads(EXAMPLES.read_text(encoding="utf-8").splitlines()[19])["id"]  # mid-run
    killed = check("--engine", "durable", "--workers", "1", **{FAULT_KILL: victim})
    default = check()
    assert killed.returncode == default.returncode == 1, killed.stderr
    *findings, summary = [json.loads(line) for line in killed.stdout.splitlines()]
    assert findings == [json.loads(line) for line in default.stdout.splitlines()][:-1]
    assert summary["read"] == summary["evaluated"] == len(EXAMPLES.read_text(encoding="utf-8").splitlines())
    assert any("worker crashed (signal 9)" in note and "evaluated by the default engine" in note
               for note in summary["notes"]), summary["notes"]
    assert "worker crashed (signal 9)" in killed.stderr  # and the person reading the terminal is told too
