"""The pytest plugin: `pytest FOLDER` collects each rule file's examples as items named by rule code and case,
runs them with the whole pack, reports a failing case with its sentence and what differed, and reports a rule
file that does not load as a collection error naming the file and line."""

import subprocess
import sys
from pathlib import Path

from hocr_rules.rulebook.pack import RulePack

ROOT = Path(__file__).resolve().parents[1]


def pytest_in(folder: Path, *args: str) -> subprocess.CompletedProcess:
    """pytest as a force runs it, in its own folder (no ini file of ours), with the plugin from the entry point."""
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args], cwd=folder,
                          capture_output=True, text=True, timeout=300)


def test_a_force_folder_is_collected_as_one_item_per_case_named_by_rule_code(force_rules):
    run = pytest_in(force_rules.parent, "--collect-only", "-q", "force")
    assert run.returncode == 0, run.stdout + run.stderr
    assert [line for line in run.stdout.splitlines() if "::" in line] == [
        "force/XX01-slow-record.yaml::XX01-1", "force/XX01-slow-record.yaml::XX01-2",
        "force/XX02-slow-record-again.yaml::XX02-1", "force/XX02-slow-record-again.yaml::XX02-2"]


def test_a_failing_case_fails_with_its_sentence_line_and_difference(force_rules):
    run = pytest_in(force_rules.parent, "force", "-rf")
    assert run.returncode == 1
    assert "3 passed" in run.stdout and "1 failed" in run.stdout
    assert "FAILED force/XX02-slow-record-again.yaml::XX02-2" in run.stdout
    assert "XX02-slow-record-again.yaml:26: A crime recorded 2 h after the report is wrongly expected to be late" \
        in run.stdout
    assert "D1: expected breach, got compliant: on time" in run.stdout
    assert "Traceback" not in run.stdout


def test_a_rule_file_that_does_not_load_is_a_collection_error_with_file_and_line(force_rules):
    bad = force_rules / "XX01-slow-record.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("breach_when:", "breach_whne:"), encoding="utf-8")
    run = pytest_in(force_rules.parent, "force")
    assert run.returncode == 2
    assert "XX01-slow-record.yaml:15: breach_whne: unknown key 'breach_whne'; did you mean 'breach_when'?" \
        in run.stdout
    assert "Traceback" not in run.stdout


def test_only_files_named_like_rule_files_are_collected(force_rules):
    (force_rules / "parameters.yaml").write_text("parameters: {}\n", encoding="utf-8")
    (force_rules.parent / "profile.yaml").write_text("disabled: [XX01]\n", encoding="utf-8")
    (force_rules.parent / ".pre-commit-config.yaml").write_text("repos: []\n", encoding="utf-8")
    run = pytest_in(force_rules.parent, "--collect-only", "-q")
    assert run.returncode == 0, run.stdout
    assert sum("::" in line for line in run.stdout.splitlines()) == 4


def test_our_pack_is_collected_from_rules_once_per_example():
    """Rule files and crime indicator files alike."""
    run = pytest_in(ROOT, "--collect-only", "-q", "-o", "addopts=", "rules")
    collected = [line for line in run.stdout.splitlines() if "::" in line]
    pack = RulePack.load()
    examples = sum(len(rule.examples) for rule in [*pack.rules, *pack.indicators.indicators])
    assert len(collected) == len(set(collected)) == examples
    assert "rules/TL01-late-crime-record.yaml::TL01-1" in collected
