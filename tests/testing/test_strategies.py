"""The property-testing kit keeps its promises: everything it generates validates, every field of the model is
generated, compliant incidents are compliant, each mutation applies and is labelled with a rule of the pack,
failure messages say what differed, and the documented examples run."""

from __future__ import annotations

import copy
import re
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st

import hocr_rules.testing as kit
from hocr_rules.model.incident import (Cancellation, CodeReading, CrimeRecord, Disclosure, Incident, LogEntry,
                                       N100Record, Person)
from hocr_rules.model.timestamps import LONDON
from hocr_rules.offences import OffenceTable
from hocr_rules.testing import (FRAGMENTS, MUTATIONS, assert_breaches, assert_no_breach, assert_outcome,
                                breaches_of, cancellations, clock_changes, code_readings, compliant_incident_dicts, crime_records,
                                default_pack, defective_incident_dicts, disclosures, incident_dicts, log_entries, map_times,
                                n100s, offences, outcomes_of, people, result_of, seconds_of, shift_times,
                                timestamps, write)

ROOT = Path(__file__).resolve().parents[2]
TABLE = OffenceTable.load()
FOUND = settings(max_examples=10000, database=None, derandomize=True, phases=[Phase.generate],  # first found, unshrunk
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
PER_CASE = max(10, settings.default.max_examples // 4)


def _times(incident: dict) -> list[str]:
    found: list[str] = []
    map_times(incident, lambda value: found.append(value) or value)
    return found


# ---------------------------------------------------------------- everything generated is valid

@given(incident_dicts())
def test_every_generated_incident_validates_and_names_only_offences_in_the_table(incident):
    model = Incident.model_validate(incident)
    for record in [*model.disclosures, *model.crime_records]:
        assert record.offence in TABLE
    for value in _times(incident):
        assert datetime.fromisoformat(value).utcoffset() is not None


@given(people(), disclosures(person_ids=["P1", "P2"]), cancellations(), crime_records(person_ids=["P1"],
       disclosure_ids=["D1"]), n100s(disclosure_ids=["D1"], crime_references=["CR1"]))
def test_every_generated_part_validates_on_its_own(person, disclosure, cancellation, crime, n100):
    Person.model_validate(person)
    Disclosure.model_validate(disclosure)
    Cancellation.model_validate(cancellation)
    CrimeRecord.model_validate(crime)
    N100Record.model_validate(n100)


PARTS = {Person: people(), Disclosure: disclosures(person_ids=["P1", "P2"], log_texts=["he hit her", ""]),
         LogEntry: log_entries(), CodeReading: code_readings(), Cancellation: cancellations(),
         CrimeRecord: crime_records(person_ids=["P1"], disclosure_ids=["D1"]),
         N100Record: n100s(disclosure_ids=["D1"], crime_references=["CR1"]), Incident: incident_dicts()}


@pytest.mark.parametrize(("model", "field"), [(m, f) for m in PARTS for f in m.model_fields],
                         ids=[f"{m.__name__}.{f}" for m in PARTS for f in m.model_fields])
def test_every_field_of_the_model_is_generated(model, field):
    """A field added to the model is generated without a change to the kit; this fails if one never is."""
    find(PARTS[model], lambda record: record.get(field) not in (None, [], ""), settings=FOUND)


def test_constraints_inside_optional_fields_are_reached_and_never_passed():
    """What `st.from_type` misses: `age: int | None = Field(ge=0, le=130)`, `sampling_weight > 0`."""
    for bound in (0, 130):
        find(people(), lambda person: person.get("age") == bound, settings=FOUND)
    weighted = find(incident_dicts(), lambda incident: incident.get("sampling_weight") is not None, settings=FOUND)
    assert weighted["sampling_weight"] > 0


@given(st.sampled_from(sorted(FRAGMENTS)), st.data())
def test_compliant_incidents_validate_and_name_only_offences_in_the_table(fragment, data):
    incident = Incident.model_validate(data.draw(compliant_incident_dicts([fragment])))
    assert all(record.offence in TABLE for record in [*incident.disclosures, *incident.crime_records])


# ---------------------------------------------------------------- times

@given(st.integers(0, 2 ** 31), st.sampled_from(kit.strategies.STYLES))
def test_a_written_time_reads_back_as_the_same_moment(seconds, style):
    assert seconds_of(write(seconds, style)) == seconds


def test_clock_changes_are_the_moments_the_uk_offset_changes():
    changes = clock_changes()
    assert len(changes) == 2 * 15  # two a year, 2013 to 2027
    for moment in changes:
        before, after = (datetime.fromtimestamp(moment + d, LONDON).utcoffset() for d in (-1, 0))
        assert before != after


def test_timestamps_reach_the_hour_the_clocks_go_back_in_local_time():
    october = [c for c in clock_changes() if datetime.fromtimestamp(c, timezone.utc).month == 10]
    repeated = find(timestamps(styles=["london"]),
                    lambda t: any(0 <= seconds_of(t) - c < 3600 for c in october), settings=FOUND)
    assert repeated.endswith("+00:00") and "T01:" in repeated  # 01:xx GMT, the second time round


@given(compliant_incident_dicts(), st.integers(-10 ** 8, 10 ** 8))
def test_shift_times_moves_every_time_by_the_same_elapsed_time(incident, seconds):
    shifted = shift_times(incident, seconds)
    assert [seconds_of(t) for t in _times(shifted)] == [seconds_of(t) + seconds for t in _times(incident)]


def test_offences_are_drawn_from_the_table_with_the_families_asked_for():
    rape = find(offences(families=["rape"]), lambda code: True, settings=FOUND)
    assert "rape" in TABLE.lookup(rape).families
    with pytest.raises(ValueError, match="no offence"):
        offences(families=["no_such_family"])


# ---------------------------------------------------------------- compliant incidents and mutations

@pytest.mark.parametrize("fragment", sorted(FRAGMENTS))
def test_each_fragment_alone_is_compliant_and_fully_evaluable(fragment):
    @settings(max_examples=PER_CASE)
    @given(compliant_incident_dicts([fragment]))
    def compliant(incident):
        undecided = [o for o in result_of(incident).outcomes if o.outcome == "not_evaluable"]
        assert not undecided, [(o.rule.code, o.subject_id, o.message) for o in undecided]
        assert_no_breach(incident)

    compliant()


def test_fragments_and_mutations_are_named_consistently():
    finding_rules = {r.code for r in default_pack().rules if r.kind == "finding"}
    for name, mutation in MUTATIONS.items():
        assert name == mutation.name and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name)
        assert {mutation.rule, *mutation.also} <= finding_rules, name
        assert mutation.fragments and set(mutation.fragments) <= set(FRAGMENTS), name
        assert mutation.description, name
    uncovered = finding_rules - {m.rule for m in MUTATIONS.values()}
    assert not uncovered, f"finding rules with no mutation: {sorted(uncovered)}"


@given(defective_incident_dicts())
def test_every_defective_incident_validates(case):
    incident, _ = case
    Incident.model_validate(incident)


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_each_mutation_applies_to_a_compliant_incident_holding_its_fragment_and_leaves_the_original(name):
    mutation = MUTATIONS[name]
    original = find(compliant_incident_dicts(include=mutation.fragments, start=mutation.since),
                    mutation.applies_to, settings=FOUND)
    kept = copy.deepcopy(original)
    changed = mutation.apply(original)
    assert original == kept and changed != original
    Incident.model_validate(changed)


def test_a_mutation_refuses_an_incident_it_does_not_apply_to():
    empty = {"id": "EMPTY", "received_at": "2025-05-01T10:00:00+01:00", "channel": "other"}
    with pytest.raises(ValueError, match="does not apply to incident EMPTY"):
        MUTATIONS["c2-without-avi"].apply(empty)


# ---------------------------------------------------------------- assertions

LATE = {"id": "INC-1", "received_at": "2025-05-01T10:00:00+01:00", "channel": "emergency_call",
        "people": [{"id": "V1", "age": 34, "sex": "female", "ethnicity": "W1",
                    "disability": False, "religion": "None", "sexual_orientation": "Not stated",
                    "relationship_to_offender": "stranger"}],
        "disclosures": [{"id": "D1", "offence": "105A", "victims": ["V1"], "reported_by": "victim"}],
        "crime_records": [{"reference": "CR-1", "offence": "105A", "victim": "V1", "disclosures": ["D1"],
                           "recorded_at": "2025-05-02T11:00:00+01:00",  # late, though the delay is documented
                           "delay_rationale": "Crime recording system outage",
                           "delay_overseen_by": "force_crime_registrar"}]}


def test_assert_breaches_passes_on_the_right_codes_and_subjects():
    assert_breaches(LATE, {"TL01"})
    assert_breaches(LATE, {"D1": {"TL01"}, "CR-1": set()})
    assert_breaches(LATE, {("disclosure", "D1"): {"TL01"}})
    assert breaches_of(LATE) == {"D1": {"TL01"}}
    assert ("TL01", "2015-04-01", "disclosure", "D1", "breach") in outcomes_of(LATE)


def test_a_failed_assert_breaches_lists_expected_and_actual_with_the_findings_messages():
    with pytest.raises(AssertionError) as failure:
        assert_breaches(LATE, {"RC01"})
    message = str(failure.value)
    assert "expected: {RC01}" in message and "actual:   {TL01}" in message
    assert "TL01 late-crime-record [2015-04-01], disclosure D1: breach: recorded 25.0 h after the report" in message
    assert "RC01 missed-crime [2002-04-01], disclosure D1: compliant:" in message


def test_a_failed_assert_breaches_by_subject_names_the_subject_and_what_the_rule_said():
    with pytest.raises(AssertionError, match=r"CR-1: \{EQ01\}[\s\S]*EQ01 .* crime_record CR-1: compliant"):
        assert_breaches(LATE, {"D1": {"TL01"}, "CR-1": {"EQ01"}})
    with pytest.raises(AssertionError, match="unexpected breaches"):
        assert_no_breach(LATE)


def test_assert_outcome_says_what_the_rule_said_instead():
    assert_outcome(LATE, "TL01", "D1", "breach")
    assert_outcome(LATE, "NR01", "D1", "not_in_scope")
    with pytest.raises(AssertionError, match="TL01 on D1: expected compliant, got breach: recorded 25.0 h"):
        assert_outcome(LATE, "TL01", "D1", "compliant")


# ---------------------------------------------------------------- documented examples run

def _blocks(text: str) -> list[tuple[str, str]]:
    return re.findall(r"^```(\w+)\n(.*?)^```", text, flags=re.M | re.S)


def _run(blocks: list[tuple[str, str]], where: str) -> int:
    """Run the documented code. Each Python block is written to a file of its own first: Hypothesis reads a
    test's source, and on Python 3.12 inspect cannot find it inside a Markdown or docstring file."""
    namespace: dict = {}
    scratch = Path(tempfile.mkdtemp(prefix="hocr-docs-"))
    for index, (language, code) in enumerate(blocks):
        if language == "yaml" and code.startswith("# "):
            path = Path(code.splitlines()[0][2:].strip())
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(code, encoding="utf-8")
        elif language == "python":
            block = scratch / f"{Path(where).stem}_{index}.py"
            block.write_text(code, encoding="utf-8")
            exec(compile(code, str(block), "exec"), namespace)  # noqa: S102 - our own documentation
    tests = [f for name, f in namespace.items() if name.startswith("test_") and callable(f)]
    for test in tests:
        test()
    return len(tests)


def test_the_example_in_the_kits_docstring_runs():
    code = "\n".join(line[4:] for line in kit.__doc__.splitlines() if line.startswith("    "))
    assert _run([("python", code)], "hocr_rules/testing/__init__.py") == 2


def test_the_worked_examples_in_the_property_testing_guide_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    guide = ROOT / "docs" / "property-testing.md"
    assert _run(_blocks(guide.read_text(encoding="utf-8")), str(guide)) == 5
