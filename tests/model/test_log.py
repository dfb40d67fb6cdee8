"""The incident log in the model: entries kept as exported, and disclosures that point into them."""

import pytest
from pydantic import ValidationError

from hocr_rules.model.incident import Incident

BASE = {"id": "INC-1", "received_at": "2025-05-01T10:00:00+01:00", "channel": "emergency_call",
        "people": [{"id": "V1"}]}
LOG = [{"at": "2025-05-01T10:01:00+01:00", "author": "CH123", "text": "Caller says ex punched her", "kind": "remark",
        "sequence": 1},
       {"text": "NFA - DOMESTIC NO CRIME", "kind": "disposal"}]


def incident(**fields):
    return Incident.model_validate({**BASE, **fields})


def test_an_incident_carries_its_log_codes_and_crime_numbers():
    found = incident(log=LOG, initial_classification="ASSAULT", final_classification="DOMESTIC",
                     result_codes=["NFA"], crime_numbers=["CR-1"])
    assert [e.kind for e in found.log] == ["remark", "disposal"]
    assert found.log[1].at is None, "a time the export did not give stays unknown"
    assert found.final_classification == "DOMESTIC" and found.result_codes == ["NFA"]


def test_a_disclosure_quotes_a_span_of_the_log():
    found = incident(log=LOG, disclosures=[{"id": "D1", "offence": "105A", "victims": ["V1"], "reported_by": "victim",
                                            "log_span": {"entry": 0, "start": 12, "end": 26}}])
    span = found.disclosures[0].log_span
    assert found.log[span.entry].text[span.start:span.end] == "ex punched her"


@pytest.mark.parametrize("span, where", [
    ({"entry": 2}, "disclosures.0.log_span.entry"),
    ({"entry": 0, "start": 5, "end": 99}, "disclosures.0.log_span"),
    ({"entry": 0, "start": 9, "end": 3}, "disclosures.0.log_span"),
])
def test_a_span_outside_the_log_names_the_field(span, where):
    with pytest.raises(ValidationError, match=where.replace(".", r"\.")):
        incident(log=LOG, disclosures=[{"id": "D1", "offence": "105A", "victims": ["V1"], "reported_by": "victim",
                                        "log_span": span}])


def test_an_unknown_entry_kind_is_an_input_error():
    with pytest.raises(ValidationError, match="kind"):
        incident(log=[{"text": "x", "kind": "gossip"}])


def test_force_codes_carry_their_shared_meanings():
    found = incident(closing_code="DNC", code_readings=[{"field": "closing_code", "code": "DNC",
                                                         "means": ["domestic_abuse", "no_crime"]}])
    assert found.code_readings[0].means == ["domestic_abuse", "no_crime"]
    with pytest.raises(ValidationError, match="means"):
        incident(code_readings=[{"field": "closing_code", "code": "DNC", "means": ["nothing_much"]}])
