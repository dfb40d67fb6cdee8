"""The pre-commit hook (.pre-commit-hooks.yaml): its file pattern picks rule files and parameters.yaml only, and
its entry command, given changed rule files as pre-commit gives them, runs those rules' cases and fails on a
failing case."""

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

from hocr_rules.rulebook import cache
from hocr_rules.rulebook.pack import DEFAULT_RULES

ROOT = Path(__file__).resolve().parents[1]
(HOOK,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))


def entry(*files: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """The hook's entry as pre-commit runs it: the installed command, then the changed files."""
    command, *arguments = HOOK["entry"].split()
    executable = Path(sys.executable).parent / command
    return subprocess.run([str(executable), *arguments, *files], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env={"COLUMNS": "200", "PATH": str(executable.parent),
                                            cache.DIR_VARIABLE: os.environ[cache.DIR_VARIABLE]})  # conftest's


def test_the_hook_is_a_python_hook_passing_changed_files_in_one_run():
    assert {"id", "name", "entry", "language"} <= set(HOOK)
    assert HOOK["id"] == "hocr-rules-test" and HOOK["language"] == "python"
    assert HOOK.get("pass_filenames", True) and HOOK["require_serial"]


def test_the_file_pattern_picks_rule_files_and_parameters_only():
    picks = re.compile(HOOK["files"]).search
    for path in DEFAULT_RULES.glob("*.yaml"):
        assert picks(f"rules/{path.name}"), path.name
    assert picks("force-rules/XX01-slow-record.yaml")
    for other in ("rules/offences.csv", "rules/offences.md", ".pre-commit-config.yaml", "force/profile.yaml",
                  "docs/TL01-notes.md", "rules/TL01-late-crime-record.yaml.orig"):
        assert not picks(other), other


def test_the_entry_runs_the_cases_of_the_changed_rule_files_only():
    run = entry("rules/TL01-late-crime-record.yaml", "rules/NR01-rape-neither-crimed-nor-n100.yaml")
    assert run.returncode == 0, run.stdout + run.stderr
    ids = re.findall(r"^pass (\w+)-\d+ ", run.stdout, flags=re.M)
    assert set(ids) == {"TL01", "NR01"}


def test_a_changed_parameters_file_runs_every_rule_of_its_folder():
    run = entry("rules/parameters.yaml")
    assert run.returncode == 0, run.stdout + run.stderr
    assert len(set(re.findall(r"^pass (\w+)-\d+ ", run.stdout, flags=re.M))) == len(list(DEFAULT_RULES.glob("*-*.yaml")))


def test_the_entry_fails_a_commit_whose_rule_file_has_a_failing_case(force_rules):
    run = entry("force/XX02-slow-record-again.yaml", cwd=force_rules.parent)
    assert run.returncode == 1
    assert "FAIL XX02-2" in run.stdout and "pass XX02-1" in run.stdout and "XX01" not in run.stdout
