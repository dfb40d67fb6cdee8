"""The bundled example set, run the way the README runs it (`hocr check examples/incidents.jsonl`), through
typer's test runner: it finds exactly the breaches in examples/expected-findings.jsonl, every finding rule of the
pack both fires and passes somewhere in it, the trainers' table lists every incident, and the bad-input file
shows each kind of input error reported with its line and field while the valid records are still checked."""

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from hocr_rules.rulebook.pack import RulePack

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
INCIDENTS = EXAMPLES / "incidents.jsonl"
EXPECTED = EXAMPLES / "expected-findings.jsonl"
BAD_INPUT = EXAMPLES / "bad-input.jsonl"
README = EXAMPLES / "README.md"
STABLE_KEYS = ("incident", "rule", "subject", "outcome")
FINDING_RULES = [rule.code for rule in RulePack.load().rules if rule.kind == "finding"]

RUNNER = CliRunner()


def check(*args: str) -> tuple[int, list[dict]]:
    """`hocr check ... --format jsonl`: the exit code and every JSON line of output, parsed (the human summary
    goes to stderr, which older Click test runners mix into stdout)."""
    result = RUNNER.invoke(app, ["check", *args, "--format", "jsonl"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def of_type(records: list[dict], kind: str) -> list[dict]:
    return [r for r in records if r["type"] == kind]


def stable(finding: dict) -> dict:
    return {key: finding[key] for key in STABLE_KEYS}


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def breaches() -> tuple[int, list[dict]]:
    return check(str(INCIDENTS))


@pytest.fixture(scope="module")
def all_outcomes() -> list[dict]:
    code, records = check(str(INCIDENTS), "--all-outcomes")
    assert code == 1
    return of_type(records, "finding")


# ---------------------------------------------------------------- incidents.jsonl


def test_the_examples_find_exactly_the_expected_breaches_in_order(breaches):
    code, records = breaches
    assert code == 1, "the examples contain breaches on purpose, so hocr check exits 1"
    found = [stable(f) for f in of_type(records, "finding")]
    assert found == read_jsonl(EXPECTED)


def test_every_example_incident_is_valid_input(breaches):
    _, records = breaches
    incidents = read_jsonl(INCIDENTS)
    assert of_type(records, "rejected") == []
    summary = of_type(records, "summary")[0]
    assert summary["read"] == summary["evaluated"] == len(incidents)
    assert summary["rejected"] == 0


def test_example_incident_ids_are_unique_and_force_style():
    ids = [incident["id"] for incident in read_jsonl(INCIDENTS)]
    assert len(ids) == len(set(ids))
    assert 35 <= len(ids) <= 80  # small enough to read: a breach and a compliant case for every finding rule
    assert all(re.fullmatch(r"KNT-\d{4}-\d{6}", i) for i in ids), ids


def test_expected_findings_hold_only_the_stable_keys():
    for finding in read_jsonl(EXPECTED):
        assert tuple(finding) == STABLE_KEYS
        assert set(finding["subject"]) == {"kind", "id"}
        assert finding["outcome"] == "breach"


@pytest.mark.parametrize("rule", FINDING_RULES)
def test_every_finding_rule_has_a_breach_in_the_examples(rule, all_outcomes):
    assert any(f["rule"] == rule and f["outcome"] == "breach" for f in all_outcomes), \
        f"no example incident breaches {rule}"


@pytest.mark.parametrize("rule", FINDING_RULES)
def test_every_finding_rule_has_a_compliant_outcome_in_the_examples(rule, all_outcomes):
    assert any(f["rule"] == rule and f["outcome"] == "compliant" for f in all_outcomes), \
        f"no example incident complies with {rule}"


def test_the_trainers_table_lists_every_incident_once():
    table = README.read_text(encoding="utf-8")
    listed = re.findall(r"^\|\s*`?(KNT-\d{4}-\d{6})`?\s*\|", table, flags=re.MULTILINE)
    assert sorted(listed) == sorted(incident["id"] for incident in read_jsonl(INCIDENTS))


def test_the_trainers_table_names_every_breach_the_examples_produce():
    """A row's rules column names each rule that incident breaches, so the table cannot drift from the tool."""
    rows = {}
    for line in README.read_text(encoding="utf-8").splitlines():
        found = re.match(r"^\|\s*`?(KNT-\d{4}-\d{6})`?\s*\|(.*)$", line)
        if found:
            rows[found[1]] = found[2].rsplit("|", 2)[-2]
    for finding in read_jsonl(EXPECTED):
        assert re.search(rf"\*\*{finding['rule']}\b[^*]*\*\*", rows[finding["incident"]]), \
            f"{finding['incident']}: {finding['rule']} breach not marked in the README table"


# ---------------------------------------------------------------- bad-input.jsonl

# Each invalid record: its line, what is wrong, and where the field is named (in the problem's field, or in its
# message where the check spans the whole record).
INVALID = {
    2: ("naive timestamp", "received_at"),
    3: ("unknown offence code", "disclosures.0.offence"),
    4: ("unknown channel", "channel"),
    6: ("dangling reference", "crime_records.0.victim"),
    7: ("malformed JSON line", "json"),
    8: ("missing field", "disclosures.0.reported_by"),
}


@pytest.fixture(scope="module")
def bad_input() -> tuple[int, list[dict]]:
    return check(str(BAD_INPUT))


def test_bad_input_exits_2(bad_input):
    code, _ = bad_input
    assert code == 2


@pytest.mark.parametrize("line", sorted(INVALID), ids=[INVALID[line][0].replace(" ", "-") for line in sorted(INVALID)])
def test_each_invalid_record_is_reported_with_its_line_and_field(line, bad_input):
    _, records = bad_input
    what, field = INVALID[line]
    rejected = {r["line"]: r for r in of_type(records, "rejected")}
    assert line in rejected, f"{what} on line {line} was not reported"
    assert rejected[line]["source"].endswith("bad-input.jsonl")
    assert any(p["field"] == field or field in p["message"] for p in rejected[line]["problems"]), \
        rejected[line]["problems"]


def test_only_the_invalid_records_are_rejected(bad_input):
    _, records = bad_input
    assert sorted(r["line"] for r in of_type(records, "rejected")) == sorted(INVALID)


def test_the_valid_records_in_bad_input_are_still_checked_and_the_summary_reconciles(bad_input):
    _, records = bad_input
    summary = of_type(records, "summary")[0]
    lines = [line for line in BAD_INPUT.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert summary["read"] == len(lines)
    assert summary["rejected"] == len(INVALID)
    assert summary["read"] == summary["evaluated"] + summary["rejected"]
    assert [stable(f) for f in of_type(records, "finding")] == [
        {"incident": "KNT-2025-110468", "rule": "TL01", "subject": {"kind": "disclosure", "id": "D1"},
         "outcome": "breach"},
        {"incident": "KNT-2025-110468", "rule": "TL03", "subject": {"kind": "disclosure", "id": "D1"},
         "outcome": "breach"}]
