"""Loading rule files: a mistake is reported with its file, line and key and, where one is near, the valid
name the author meant; a hostile file is refused before anything in it can run."""

from datetime import datetime, timedelta
from pathlib import Path

import pytest
import yaml

from hocr_rules.engine.evaluator import Evaluator
from hocr_rules.errors import RuleFileError
from hocr_rules.model.incident import Incident
from hocr_rules.rulebook.examples import run_all
from hocr_rules.rulebook.pack import DEFAULT_RULES, RulePack, load_profile
from hocr_rules.rulebook.schema import Profile
from makers import examples

PARAMETERS = """\
parameters:
  start_from:
    value: 2015-04-01
    grade: S
    source: "test fixture"
    note: "the day the fixture rule starts"
"""

STEM = "XX01-slow-record"

RULE = """\
code: XX01
name: slow-record
title: A crime recorded slowly
subject: disclosure
severity: medium
statement: A crime is recorded within the limit after it was reported.
why: Inspections find crimes recorded days late.
known_problems: None known for this fixture rule.
references:
  - document: Crime Recording Rules
    edition: 2026/27
    section: "When to record a crime"
    url: https://www.gov.uk/government/publications/counting-rules-for-recorded-crime
    grade: V
versions:
  - from: $start_from
    grade: S
    note: "the fixture's only version"
    parameters:
      limit_hours: 24
let:
  hours: hours_between(received_at, first_recorded_at)
applies_when: has_crime_record
breach_when: hours > limit_hours
messages:
  breach: "recorded {hours:.1f} h after the report, limit {limit_hours} h"
  compliant: "recorded {hours:.1f} h after the report, within {limit_hours} h"
""" + examples()


def late_incident(hours_after: int, received_at: str = "2025-05-01T10:00:00+01:00") -> Incident:
    """An assault reported at `received_at` and recorded `hours_after` hours later (all in BST)."""
    recorded = datetime.fromisoformat(received_at) + timedelta(hours=hours_after)
    return Incident.model_validate({
        "id": "LATE", "received_at": received_at, "channel": "emergency_call",
        "people": [{"id": "V1"}, {"id": "O1"}],
        "disclosures": [{"id": "D1", "offence": "105A", "victims": ["V1"], "offenders": ["O1"],
                         "reported_by": "victim"}],
        "crime_records": [{"reference": "CR1", "offence": "105A", "victim": "V1", "offenders": ["O1"],
                           "disclosures": ["D1"], "recorded_at": recorded.isoformat()}]})


def outcome_of(pack: RulePack, incident: Incident, code: str = "XX01") -> str:
    result = Evaluator(pack).evaluate(incident, keep_out_of_scope=True)
    return next(o.outcome for o in result.outcomes if o.rule.code == code)


def edited(old: str, new: str, text: str = RULE) -> str:
    assert old in text, f"fixture does not contain {old!r}"
    return text.replace(old, new, 1)


def line_with(text: str, fragment: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), start=1) if fragment in line)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "parameters.yaml").write_text(PARAMETERS, encoding="utf-8")
    return rules


def write(folder: Path, text: str, stem: str = STEM) -> Path:
    path = folder / f"{stem}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def refused(folder: Path, text: str, stem: str = STEM) -> RuleFileError:
    write(folder, text, stem)
    with pytest.raises(RuleFileError) as caught:
        RulePack.load([folder])
    return caught.value


# ---------------------------------------------------------------- a good file


def test_the_fixture_rule_loads_and_its_own_examples_pass(folder):
    path = write(folder, RULE)
    pack = RulePack.load([folder])
    rule = pack.find("XX01")
    assert (rule.code, rule.name, rule.path) == ("XX01", "slow-record", path)
    assert [v.label for v in rule.versions] == ["2015-04-01"]
    results = run_all(Evaluator(pack))
    assert [r.passed for r in results] == [True, True]


def test_a_rule_is_found_by_code_name_or_file_stem(folder):
    write(folder, RULE)
    pack = RulePack.load([folder])
    assert pack.find("slow-record") is pack.find("XX01") is pack.find(STEM)


def test_a_rule_that_does_not_exist_suggests_the_nearest(folder):
    write(folder, RULE)
    with pytest.raises(RuleFileError, match="no rule 'XX10'; did you mean XX01"):
        RulePack.load([folder]).find("XX10")


# ---------------------------------------------------------------- mistakes an author makes


def test_malformed_yaml_names_the_file_and_the_line(folder):
    text = edited("severity: medium", "severity: [medium")
    error = refused(folder, text)
    assert Path(error.path).name == f"{STEM}.yaml"
    assert error.line == line_with(text, "statement:")  # where the parser noticed the unclosed list
    assert "not valid YAML" in error.message
    assert f"{STEM}.yaml:{error.line}" in str(error)


def test_a_stray_colon_is_reported_on_its_own_line(folder):
    text = edited("title: A crime recorded slowly", "title: A crime: recorded slowly")
    error = refused(folder, text)
    assert error.line == line_with(text, "title:")
    assert "mapping values are not allowed here" in error.message


def test_an_empty_file_is_refused(folder):
    error = refused(folder, "")
    assert (error.line, error.message) == (1, "the file is empty")


def test_an_unknown_key_suggests_the_nearest_valid_key(folder):
    text = edited("breach_when:", "breach_whne:")
    error = refused(folder, text)
    assert (error.key, error.line) == ("breach_whne", line_with(text, "breach_whne"))
    assert error.message == "unknown key 'breach_whne'; did you mean 'breach_when'?"


def test_an_unknown_key_inside_a_version_names_its_path_and_suggests(folder):
    text = edited('    note: "the fixture', '    nte: x\n    note: "the fixture')
    error = refused(folder, text)
    assert (error.key, error.line) == ("versions.0.nte", line_with(text, "nte: x"))
    assert "did you mean 'note'?" in error.message


def test_an_unknown_key_with_nothing_near_lists_the_valid_keys(folder):
    error = refused(folder, edited("severity: medium", "severity: medium\nzzzzzz: 1"))
    assert "unknown key 'zzzzzz'; valid keys:" in error.message
    assert "breach_when" in error.message


def test_every_problem_in_a_file_is_kept_not_only_the_first(folder):
    text = edited("breach_when:", "breach_whne:", edited("severity: medium", "severity: medium\nhnit: x"))
    error = refused(folder, text)
    keys = {error.key} | {more.key for more in error.more}
    assert {"hnit", "breach_whne"} <= keys


def test_a_missing_required_field_is_named(folder):
    error = refused(folder, edited("title: A crime recorded slowly\n", ""))
    assert (error.key, error.message) == ("title", "missing key 'title'")
    assert error.line == 1


@pytest.mark.parametrize("code", ["X01", "xx01", "XX1", "XXX01", "XX-01"])
def test_a_code_that_is_not_two_capitals_and_two_digits_is_refused(folder, code):
    error = refused(folder, edited("code: XX01", f"code: {code}"))
    assert error.key == "code" and error.line == 1
    assert "two capital letters and two digits, e.g. TL01" in error.message


def test_a_name_that_is_not_kebab_case_is_refused(folder):
    text = edited("name: slow-record", "name: Slow_Record")
    error = refused(folder, text)
    assert (error.key, error.line) == ("name", line_with(text, "name: Slow_Record"))
    assert "kebab-case" in error.message


def test_a_file_not_named_after_its_code_and_name_says_what_to_call_it(folder):
    error = refused(folder, RULE, stem="XX01-slow")
    assert Path(error.path).name == "XX01-slow.yaml"
    assert error.message == f"the file should be named {STEM}.yaml"


def test_an_unknown_fact_in_a_condition_suggests_the_nearest_fact(folder):
    text = edited("applies_when: has_crime_record", "applies_when: has_crime_recrod")
    error = refused(folder, text)
    assert (error.key, error.line) == ("applies_when", line_with(text, "applies_when"))
    assert "unknown name 'has_crime_recrod' (did you mean 'has_crime_record'?)" in error.message
    assert "hocr rules facts" in error.message


def test_an_unknown_fact_in_a_let_step_names_the_step(folder):
    text = edited("hours_between(received_at,", "hours_between(recieved_at,")
    error = refused(folder, text)
    assert (error.key, error.line) == ("let.hours", line_with(text, "hours: hours_between"))
    assert "did you mean 'received_at'?" in error.message


def test_a_condition_outside_the_language_names_its_key_and_column(folder):
    text = edited("breach_when: hours > limit_hours", "breach_when: hours ** 2 > limit_hours")
    error = refused(folder, text)
    assert (error.key, error.line) == ("breach_when", line_with(text, "breach_when"))
    assert "operator 'Pow' is not allowed (column 1)" in error.message


def test_an_unknown_placeholder_in_a_message_suggests_the_nearest(folder):
    text = edited("limit {limit_hours} h\"", "limit {limit_hour} h\"")
    error = refused(folder, text)
    assert (error.key, error.line) == ("messages.breach", line_with(text, "breach: \"recorded"))
    assert "unknown placeholder {limit_hour} (did you mean 'limit_hours'?)" in error.message


def test_an_unknown_pack_parameter_suggests_the_nearest(folder):
    text = edited("from: $start_from", "from: $start_frm")
    error = refused(folder, text)
    assert (error.key, error.line) == ("versions.0.from", line_with(text, "from: $start_frm"))
    assert "no pack parameter 'start_frm' (did you mean 'start_from'?)" in error.message


def test_a_version_may_start_on_a_literal_date(folder):
    write(folder, edited("from: $start_from", "from: 2016-04-01"))
    assert RulePack.load([folder]).find("XX01").versions[0].label == "2016-04-01"


def test_a_version_start_that_is_neither_a_date_nor_a_parameter_is_refused(folder):
    text = edited("from: $start_from", "from: April 2015")
    error = refused(folder, text)
    assert (error.key, error.line) == ("versions.0.from", line_with(text, "from: April"))
    assert "expected a date (2015-04-01) or a pack parameter" in error.message


def test_versions_out_of_order_are_refused(folder):
    text = edited("      limit_hours: 24\n",
                  "      limit_hours: 24\n  - from: $early\n    grade: V\n    note: an older version\n"
                  "    parameters: {limit_hours: 72}\n")
    (folder / "parameters.yaml").write_text(
        PARAMETERS + '  early:\n    value: 2002-04-01\n    grade: V\n    source: "x"\n    note: "y"\n')
    error = refused(folder, text)
    assert (error.key, error.line) == ("versions.1.from", line_with(text, "from: $early"))
    assert "oldest first" in error.message


def test_two_versions_on_the_same_date_are_refused(folder):
    text = edited("      limit_hours: 24\n",
                  "      limit_hours: 24\n  - from: $start_from\n    grade: V\n    note: same day again\n")
    error = refused(folder, text)
    assert error.key == "versions.1.from" and "distinct dates" in error.message


def test_an_override_of_a_rule_that_does_not_exist_is_refused(folder):
    text = edited("severity: medium", "severity: medium\noverrides: [ZZ99]")
    error = refused(folder, text)
    assert (error.key, error.line) == ("overrides", line_with(text, "overrides:"))
    assert error.message == "no rule ZZ99 to override"


def test_a_folder_that_does_not_exist_is_refused(tmp_path):
    with pytest.raises(RuleFileError, match="is not a folder of rule files"):
        RulePack.load([tmp_path / "nowhere"])


def test_a_key_given_twice_is_refused_with_its_line(folder):
    text = edited("breach_when: hours > limit_hours", "breach_when: hours > limit_hours\nbreach_when: hours > 999")
    error = refused(folder, text)
    assert error.line == line_with(text, "breach_when: hours > 999")


def test_a_rule_with_many_conditions_in_one_chain_loads(folder):
    chain = " and ".join(["has_crime_record"] * 70)
    write(folder, edited("applies_when: has_crime_record", f"applies_when: {chain}"))
    pack = RulePack.load([folder])
    assert outcome_of(pack, late_incident(25)) == "breach"


# ---------------------------------------------------------------- hostile files


# YAML-level attacks (tags, aliases, size, depth, encoding) are in tests/reliability/test_hostile_yaml.py, for
# every kind of YAML file a force supplies; the expression language's own defences are here.


@pytest.mark.parametrize(("condition", "says"), [
    ("__import__('os').system('echo pwned')", "only plain calls of the built-in functions"),
    ("__import__('os')", "unknown function '__import__'"),
    ("open('/etc/passwd') == ''", "unknown function 'open'"),
    ("hours.__class__", "'Attribute' is not allowed"),
])
def test_a_condition_trying_to_reach_python_is_refused(folder, condition, says):
    text = edited("breach_when: hours > limit_hours", f'breach_when: "{condition}"')
    error = refused(folder, text)
    assert (error.key, error.line) == ("breach_when", line_with(text, "breach_when"))
    assert says in error.message


@pytest.mark.parametrize("placeholder", ["{hours.__class__}", "{hours.__class__.__mro__}", "{hours[0]}",
                                         "{hours!r}", "{0}", "{}", "{__class__}"])
def test_message_placeholders_that_reach_into_objects_are_refused(folder, placeholder):
    text = edited("limit {limit_hours} h\"", f"limit {placeholder} h\"")
    error = refused(folder, text)
    assert error.key == "messages.breach"
    assert error.message == "placeholders are {name} or {name:format}, e.g. {hours:.1f}"


def test_a_placeholder_asking_for_a_huge_width_is_refused(folder):
    error = refused(folder, edited("limit {limit_hours} h\"", "limit {limit_hours:>999999999} h\""))
    assert error.key == "messages.breach"


# ---------------------------------------------------------------- profiles and force folders


def test_a_profile_overriding_a_rule_parameter_changes_the_outcome(folder):
    write(folder, RULE)
    assert outcome_of(RulePack.load([folder]), late_incident(30)) == "breach"
    generous = RulePack.load([folder], Profile(rules={"XX01": {"limit_hours": 36}}))
    assert generous.find("XX01").versions[0].parameters["limit_hours"] == 36
    assert outcome_of(generous, late_incident(30)) == "compliant"


def test_a_profile_overriding_a_pack_date_changes_which_reports_are_judged(folder):
    write(folder, RULE)
    later = RulePack.load([folder], Profile(parameters={"start_from": "2026-01-01"}))
    result = Evaluator(later).evaluate(late_incident(30), keep_out_of_scope=True)
    (outcome,) = [o for o in result.outcomes if o.rule.code == "XX01"]
    assert outcome.outcome == "not_in_scope"
    assert outcome.reason == "not in force: the rule starts 2026-01-01"


def test_a_profile_file_is_read_and_applied(folder, tmp_path):
    write(folder, RULE)
    profile = tmp_path / "force.yaml"
    profile.write_text("name: Anyshire\nrules:\n  XX01: {limit_hours: 36}\n", encoding="utf-8")
    pack = RulePack.load([folder], load_profile(profile))
    assert pack.profile.name == "Anyshire"
    assert outcome_of(pack, late_incident(30)) == "compliant"


def test_a_profile_file_with_an_unknown_key_names_its_line(tmp_path):
    profile = tmp_path / "force.yaml"
    profile.write_text("name: Anyshire\ndisbled: [XX01]\n", encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_profile(profile)
    assert (caught.value.path, caught.value.line, caught.value.key) == (profile, 2, "disbled")
    assert "did you mean 'disabled'?" in caught.value.message


def test_a_profile_naming_an_unknown_rule_is_refused(folder):
    write(folder, RULE)
    with pytest.raises(RuleFileError) as caught:
        RulePack.load([folder], Profile(rules={"ZZ01": {"limit_hours": 36}}))
    assert (caught.value.key, caught.value.message) == ("rules.ZZ01", "no such rule(s): ZZ01")


def test_a_profile_naming_an_unknown_rule_parameter_is_refused(folder):
    write(folder, RULE)
    with pytest.raises(RuleFileError) as caught:
        RulePack.load([folder], Profile(rules={"XX01": {"limit_hour": 36}}))
    assert caught.value.key == "rules.XX01.limit_hour"
    assert "XX01 has no parameter 'limit_hour' in any version (it has: limit_hours)" in caught.value.message


def test_a_profile_naming_an_unknown_pack_parameter_is_refused(folder):
    write(folder, RULE)
    with pytest.raises(RuleFileError) as caught:
        RulePack.load([folder], Profile(parameters={"start_form": "2020-01-01"}))
    assert (caught.value.key, caught.value.message) == (
        "parameters.start_form", "no such pack parameter(s): start_form (did you mean 'start_from'?)")


def test_a_profile_may_override_a_parameter_that_only_later_versions_have(folder):
    (folder / "parameters.yaml").write_text(
        PARAMETERS + '  early:\n    value: 2002-04-01\n    grade: V\n    source: "x"\n    note: "y"\n')
    write(folder, edited("  - from: $start_from\n",
                         "  - from: $early\n    grade: V\n    note: a fixed 72 hours\n"
                         "    breach_when: hours > 72\n  - from: $start_from\n"))
    pack = RulePack.load([folder], Profile(rules={"XX01": {"limit_hours": 36}}))
    assert outcome_of(pack, late_incident(30)) == "compliant"


def test_a_profile_may_disable_a_rule(folder):
    write(folder, RULE)
    pack = RulePack.load([folder], Profile(disabled=["XX01"]))
    assert [r.code for r in pack.rules] == []


def test_a_profile_disabling_an_unknown_rule_is_refused(folder):
    write(folder, RULE)
    with pytest.raises(RuleFileError, match="XX10"):
        RulePack.load([folder], Profile(disabled=["XX10"]))


def test_a_profile_may_disable_a_rule_that_another_overrides(folder):
    write(folder, RULE)
    specific = edited("code: XX01", "code: XX02", edited("name: slow-record", "name: slow-assault-record"))
    write(folder, edited("severity: medium", "severity: medium\noverrides: [XX01]", specific),
          stem="XX02-slow-assault-record")
    pack = RulePack.load([folder], Profile(disabled=["XX01"]))
    assert [r.code for r in pack.rules] == ["XX02"]


def test_a_force_folder_replaces_a_bundled_rule_with_the_same_code(folder):
    replacement = edited("code: XX01", "code: TL01", edited("name: slow-record", "name: force-late-record"))
    replacement = edited("limit_hours: 24", "limit_hours: 48", replacement)
    path = write(folder, replacement, stem="TL01-force-late-record")
    pack = RulePack.load([DEFAULT_RULES, folder])
    assert [r.code for r in pack.rules].count("TL01") == 1
    assert (pack.find("TL01").path, pack.find("TL01").name) == (path, "force-late-record")
    assert outcome_of(pack, late_incident(30), "TL01") == "compliant"
    assert outcome_of(RulePack.load([DEFAULT_RULES]), late_incident(30), "TL01") == "breach"


def test_a_force_folder_adds_its_own_rules_to_the_bundled_pack(folder):
    write(folder, RULE)
    pack = RulePack.load([DEFAULT_RULES, folder])
    codes = [r.code for r in pack.rules]
    assert "XX01" in codes and "TL01" in codes and "RC01" in codes


def test_the_notifiable_offence_list_is_cited_under_one_name_and_edition_across_rules_and_indicators():
    """One document, one citation: a reader (or a report grouping findings by their sources) must not take the
    offence list the pack is generated from (rules/offences.md) for two documents."""
    cited = {(reference["document"], reference["edition"])
             for path in sorted(DEFAULT_RULES.glob("**/*.yaml"))
             for reference in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("references", [])
             if "notifiable offence" in reference["document"].lower()
             or "notifiable reported incidents" in reference["document"].lower()}
    assert cited == {("Home Office notifiable offence list", "April 2026")}
