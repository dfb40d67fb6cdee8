"""An N100's status and cancellation, its reclassification from a rape crime, and a crime record's classification
history: all optional, so inputs written before them stay valid and read as not exported, never as compliant."""

import pytest
from pydantic import ValidationError

from hocr_rules.facts.view import IncidentView
from hocr_rules.facts.vocabulary import VOCABULARY
from hocr_rules.model.incident import Incident
from hocr_rules.offences import OffenceTable

BASE = {"id": "INC-1", "received_at": "2026-05-01T10:00:00+01:00", "channel": "emergency_call",
        "people": [{"id": "V1", "age": 30, "sex": "female"}, {"id": "O1", "age": 17}, {"id": "O2"}],
        "disclosures": [{"id": "D1", "offence": "19C", "victims": ["V1"], "offenders": ["O1"],
                         "reported_by": "other_third_party"}],
        "crime_records": [{"reference": "CR1", "offence": "19C", "victim": "V1", "disclosures": ["D1"],
                           "recorded_at": "2026-05-01T12:00:00+01:00"}],
        "n100s": [{"id": "N1", "disclosure": "D1", "reason": "N100/01"}]}


def facts(subject: str, **changes) -> dict:
    key = {"n100": "n100s", "crime_record": "crime_records"}[subject]
    incident = Incident.model_validate({**BASE, key: [{**BASE[key][0], **changes}]})
    view = IncidentView(incident, OffenceTable.load())
    record = getattr(incident, key)[0]
    return {name: fact.read(view, record) for name, fact in VOCABULARY[subject].items()}


def test_an_incident_written_before_these_fields_is_valid_and_their_facts_are_absent():
    n100, crime = facts("n100"), facts("crime_record")
    for name in ("status", "cancelled_at", "cancellation_reason", "reclassified_from", "reclassified_by",
                 "investigation_begun"):
        assert n100[name] is None, name
    for name in ("reclassifications", "reclassified_by", "unjustified_reclassifications"):
        assert crime[name] is None, name


def test_a_cancellation_given_without_a_status_reads_as_cancelled():
    assert facts("n100", cancelled_at="2026-05-03T10:00:00+01:00")["status"] == "cancelled"
    assert facts("n100", status="open")["status"] == "open"


def test_an_open_n100_with_a_cancellation_is_an_error_naming_the_field():
    with pytest.raises(ValidationError, match=r"n100s\.0\.status: 'open' but a cancellation is given"):
        Incident.model_validate({**BASE, "n100s": [{**BASE["n100s"][0], "status": "open",
                                                    "cancellation_reason": "duplicate"}]})


@pytest.mark.parametrize(("field", "value"), [("cancellation_reason", "victim_withdrew"), ("status", "closed"),
                                              ("investigation_begun", "maybe")])
def test_a_value_outside_the_closed_lists_is_an_error_naming_the_field(field, value):
    with pytest.raises(ValidationError) as caught:
        Incident.model_validate({**BASE, "n100s": [{**BASE["n100s"][0], field: value}]})
    assert any(error["loc"][:3] == ("n100s", 0, field) for error in caught.value.errors())


def test_investigation_not_known_is_unknown_and_yes_or_no_are_judged():
    assert facts("n100", investigation_begun="not_known")["investigation_begun"] is None
    assert facts("n100", investigation_begun="yes")["investigation_begun"] is True
    assert facts("n100", investigation_begun="no")["investigation_begun"] is False


def test_an_empty_history_says_never_reclassified_and_is_distinct_from_no_history():
    never = facts("crime_record", classification_history=[])
    assert never["reclassifications"] == 0 and never["unjustified_reclassifications"] == 0


def test_the_history_gives_the_roles_and_counts_the_changes_with_no_justification():
    history = [{"from_offence": "20A", "to_offence": "19C", "by": "designated_decision_maker",
                "rationale": "Victim's ABE interview discloses penile penetration"},
               {"from_offence": "19C", "to_offence": "19D", "by": "force_crime_registrar", "rationale": "  "}]
    found = facts("crime_record", classification_history=history)
    assert found["reclassifications"] == 2
    assert found["reclassified_by"] == {"designated_decision_maker", "force_crime_registrar"}
    assert found["unjustified_reclassifications"] == 1
    # one change with no role recorded leaves the roles unknown, never an empty (and so passing) set
    assert facts("crime_record", classification_history=[{"to_offence": "19D"}])["reclassified_by"] is None


def test_the_oldest_offender_named_decides_and_one_with_no_age_leaves_it_unknown():
    assert facts("crime_record")["oldest_offender_age"] == 17          # from the linked disclosure
    assert facts("crime_record", offenders=["O1", "O2"])["oldest_offender_age"] is None
