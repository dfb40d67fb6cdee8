"""A crime record's outcome, the victim's wishes and the hate crime perception: optional, with "not known"
kept apart from "not exported", so inputs written before these fields stay valid."""

import pytest
from pydantic import ValidationError

from hocr_rules.facts.vocabulary import VOCABULARY
from hocr_rules.facts.view import IncidentView
from hocr_rules.model.incident import Incident
from hocr_rules.offences import OffenceTable

BASE = {"id": "INC-1", "received_at": "2026-05-01T10:00:00+01:00", "channel": "emergency_call",
        "people": [{"id": "V1"}],
        "crime_records": [{"reference": "CR1", "offence": "105A", "victim": "V1",
                           "recorded_at": "2026-05-01T12:00:00+01:00"}]}


def facts(**crime) -> dict:
    data = {**BASE, "crime_records": [{**BASE["crime_records"][0], **crime}]}
    incident = Incident.model_validate(data)
    view = IncidentView(incident, OffenceTable.load())
    record = incident.crime_records[0]
    return {name: fact.read(view, record) for name, fact in VOCABULARY["crime_record"].items()}


def test_an_incident_written_before_outcomes_is_still_valid_and_its_outcome_facts_are_absent():
    found = facts()
    for name in ("outcome_type", "named_suspect", "victim_view_recorded", "victim_wishes", "hate_perceived",
                 "hate_perceived_by_anyone", "outcome_inspector_authority", "domestic_abuse_risk",
                 "outcome_suspect_age", "outcome_decided_by", "outcome_victim_informed", "outcome_victim_informed_at",
                 "summary_only_charge", "activity_completed", "activity_completed_at",
                 "cps_authorised", "prior_offending_within_two_years", "years_to_outcome", "suspect_informed",
                 "cps_charging_required", "tic_linked_to_charge"):
        assert found[name] is None, name


def test_not_known_is_a_value_the_rules_judge_and_absent_is_not():
    recorded = facts(outcome={"type": "16", "named_suspect": "not_known", "authoriser_rank": "not_known"})
    assert recorded["named_suspect"] == "not_known"
    assert recorded["outcome_inspector_authority"] is False   # a rank not known is no inspector's authority
    assert facts(outcome={"type": "16"})["named_suspect"] is None


def test_perceived_by_no_one_is_distinct_from_not_exported():
    assert facts(hate_perceived=[])["hate_perceived_by_anyone"] is False
    assert facts(hate_perceived=["race"])["hate_perceived_by_anyone"] is True
    assert facts()["hate_perceived_by_anyone"] is None


@pytest.mark.parametrize(("field", "value"), [("victim_wishes", "declined"), ("hate_perceived", ["gender"]),
                                              ("domestic_abuse_risk", "very_high")])
def test_a_value_outside_the_closed_lists_is_an_error_naming_the_field(field, value):
    with pytest.raises(ValidationError) as caught:
        Incident.model_validate({**BASE, "crime_records": [{**BASE["crime_records"][0], field: value}]})
    assert any(error["loc"][:3] == ("crime_records", 0, field) for error in caught.value.errors())


def test_a_misspelt_outcome_field_is_an_error():
    with pytest.raises(ValidationError):
        Incident.model_validate({**BASE, "crime_records": [{**BASE["crime_records"][0],
                                                             "outcome": {"type": "8", "authorizer_rank": "inspector"}}]})


def test_the_outcomes_suspect_is_the_person_it_names_or_else_the_crimes_one_offender():
    people = [{"id": "V1"}, {"id": "O1", "age": 9}, {"id": "O2", "age": 15}]

    def suspect_age(**crime) -> int | None:
        data = {**BASE, "people": people, "crime_records": [{**BASE["crime_records"][0], **crime}]}
        incident = Incident.model_validate(data)
        view = IncidentView(incident, OffenceTable.load())
        return VOCABULARY["crime_record"]["outcome_suspect_age"].read(view, incident.crime_records[0])

    assert suspect_age(offenders=["O1"], outcome={"type": "11"}) == 9
    assert suspect_age(offenders=["O1", "O2"], outcome={"type": "11", "suspect": "O2"}) == 15
    assert suspect_age(offenders=["O1", "O2"], outcome={"type": "11"}) is None  # which of the two is not said
    assert suspect_age(offenders=["O1"]) is None                                  # no outcome, no suspect


def test_an_outcome_suspect_who_is_not_in_the_incident_is_an_error_naming_the_field():
    with pytest.raises(ValidationError, match=r"crime_records\.0\.outcome\.suspect: 'O9' is not a person id"):
        Incident.model_validate({**BASE, "crime_records": [{**BASE["crime_records"][0],
                                                             "outcome": {"type": "3", "suspect": "O9"}}]})


def test_years_to_outcome_counts_average_years_from_the_report_and_is_absent_without_an_outcome_time():
    # 1 May 2026 10:00 BST to 1 May 2028 10:00 BST is 731 days (2028 is a leap year): 731 / 365.25 years
    found = facts(outcome={"type": "3", "decided_at": "2028-05-01T10:00:00+01:00"})
    assert found["years_to_outcome"] == pytest.approx(731 / 365.25)
    assert facts(outcome={"type": "3"})["years_to_outcome"] is None
    assert facts()["years_to_outcome"] is None
