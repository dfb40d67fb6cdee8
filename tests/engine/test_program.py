"""The generated rule programs against the plain reading of the rules they fuse: every rule of a subject kind, in
order, each version's own function run on lazily read facts. Programs read facts into locals, inline attribute
facts, and skip unknown-tests for facts the model requires; none of that may change a single result."""

from hypothesis import given, settings
from hypothesis import strategies as st

from hocr_rules.engine.evaluator import Evaluator, subjects
from hocr_rules.engine.program import NO_DATE, NOT_IN_FORCE, UNREAD
from hocr_rules.facts.view import IncidentView
from hocr_rules.facts.vocabulary import VOCABULARY
from hocr_rules.model.incident import Incident
from hocr_rules.testing import compliant_incident_dicts, default_pack, defective_incident_dicts, incident_dicts

EVALUATOR = Evaluator(default_pack())
ANY_INCIDENT = st.one_of(compliant_incident_dicts(), defective_incident_dicts().map(lambda pair: pair[0]),
                         incident_dicts())


def plainly(view: IncidentView, kind: str, record, explain: bool) -> tuple[list[tuple], dict]:
    """(results, derived facts) rule by rule, as the rules read: the version in force at the subject's date."""
    facts, results, derived = EVALUATOR.facts(view, kind, record), [], {}
    for i, rule in enumerate(EVALUATOR.rules(kind)):
        when = facts[rule.dated_by]
        j = None if when is None else rule.version_index(when)
        if rule.source.derives:
            value = None if j is None or j < 0 else rule.versions[j].run(facts)[1]
            facts[rule.source.derives] = derived[rule.source.derives] = value
        elif j is None:
            applies = rule.versions[-1].run(facts)[0]
            if applies is not False or explain:
                results.append((i, NO_DATE, None if applies is not False else False, None))
        elif j < 0:
            if explain:
                results.append((i, NOT_IN_FORCE, False, None))
        else:
            applies, verdict = rule.versions[j].run(facts)
            if applies is not False or explain:
                results.append((i, j, applies, verdict))
    return results, derived


@settings(max_examples=150, deadline=None)
@given(ANY_INCIDENT, st.booleans())
def test_a_program_gives_what_its_rules_give_one_by_one(data, explain):
    incident = Incident.model_validate(data)
    view = IncidentView(incident, EVALUATOR.offences)
    for kind, subject_id, record in subjects(incident):
        if not EVALUATOR.rules(kind):
            continue
        program, results = EVALUATOR._programs[kind], []
        values = program.judge(view, record, results, explain)
        assert (results, program.derived(values)) == plainly(view, kind, record, explain), (kind, subject_id)


@settings(max_examples=100, deadline=None)
@given(ANY_INCIDENT)
def test_facts_the_model_requires_are_never_absent(data):
    """The programs skip the test for unknown on these: the model must never let one through as None."""
    incident = Incident.model_validate(data)
    view = IncidentView(incident, EVALUATOR.offences)
    for kind, subject_id, record in subjects(incident):
        for name, fact in VOCABULARY[kind].items():
            if fact.always_present:
                assert fact.read(view, record) is not None, (kind, subject_id, name)


def test_only_required_attributes_are_vouched_for():
    disclosure, crime = VOCABULARY["disclosure"], VOCABULARY["crime_record"]
    assert disclosure["reported_by"].always_present and disclosure["families"].always_present
    assert not disclosure["confirmed_at"].always_present         # optional in the model
    assert not crime["cancellation_code"].always_present         # a live crime record has no cancellation
    assert not crime["ho_code"].always_present                    # absent for a classification-level code
    assert not disclosure["victim_count"].always_present          # computed: nothing is vouched for


def test_a_fact_the_program_read_is_handed_out_and_one_it_did_not_is_read_when_asked():
    incident = Incident.model_validate({
        "id": "I1", "received_at": "2025-05-01T10:00:00+01:00", "channel": "emergency_call",
        "people": [{"id": "V1"}], "disclosures": [{"id": "D1", "offence": "105A", "victims": ["V1"],
                                                    "reported_by": "victim"}]})
    result = EVALUATOR.evaluate(incident)
    missed = next(o for o in result.outcomes if o.rule.code == "RC01")
    facts = missed.source
    index = facts.program.index
    assert facts.values[index["reported_by"]] == "victim"
    assert "confirmed_at" not in index or facts.values[index["confirmed_at"]] in (UNREAD, None)
    assert facts["confirmed_at"] is None and facts["reported_by"] == "victim"
