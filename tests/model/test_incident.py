"""The incident model: what an export must look like, and how each fault is named so the force can fix it."""

from datetime import datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from hocr_rules.model.incident import Incident
from hocr_rules.model.timestamps import LONDON, NAIVE_TIMEZONE, london_text

MINIMAL = {"id": "INC-1", "received_at": "2025-05-01T10:00:00+01:00", "channel": "emergency_call"}


def incident(**fields) -> dict:
    """A small but complete incident: one assault by O1 on V1, recorded, with an N100 slot free."""
    data = {
        **MINIMAL,
        "people": [{"id": "V1"}, {"id": "O1"}],
        "disclosures": [{"id": "D1", "offence": "105A", "victims": ["V1"], "offenders": ["O1"],
                         "reported_by": "victim"}],
        "crime_records": [{"reference": "CR1", "offence": "105A", "victim": "V1", "offenders": ["O1"],
                           "disclosures": ["D1"], "recorded_at": "2025-05-01T12:00:00+01:00"}],
    }
    data.update(fields)
    return data


def problems(data: dict, context: dict | None = None) -> list[tuple[tuple, str]]:
    with pytest.raises(ValidationError) as caught:
        Incident.model_validate(data, context=context)
    return [(tuple(e["loc"]), e["msg"]) for e in caught.value.errors(include_url=False)]


def only_problem(data: dict) -> str:
    (found,) = problems(data)
    return found[1]


# ---------------------------------------------------------------- valid incidents


def test_a_minimal_incident_needs_only_an_id_a_time_and_a_channel():
    parsed = Incident.model_validate(MINIMAL)
    assert parsed.id == "INC-1"
    assert parsed.received_at == datetime(2025, 5, 1, 9, 0, tzinfo=timezone.utc)
    assert (parsed.kind, parsed.people, parsed.disclosures, parsed.crime_records, parsed.n100s) == (
        "primary", [], [], [], [])


def test_a_complete_incident_with_links_between_its_records_is_valid():
    parsed = Incident.model_validate(incident(n100s=[{"id": "N1", "disclosure": "D1", "rape_crime": "CR1"}]))
    assert parsed.crime_records[0].disclosures == ["D1"]
    assert parsed.disclosures[0].victim_confirmed == "not_asked"
    assert parsed.disclosures[0].recording_necessary is False


def test_ids_are_trimmed_so_padded_exports_still_link_up():
    parsed = Incident.model_validate(incident(disclosures=[
        {"id": " D1 ", "offence": "105A", "victims": ["V1"], "offenders": ["O1"], "reported_by": "victim"}]))
    assert parsed.disclosures[0].id == "D1"


@pytest.mark.parametrize("moment", ["2025-05-01T09:00:00Z", "2025-05-01T09:00:00+00:00", "2025-05-01T10:00:00+01:00",
                                    "2025-05-01T14:30:00+05:30"])
def test_timestamps_with_any_offset_are_placed_on_one_time_line(moment):
    assert Incident.model_validate({**MINIMAL, "received_at": moment}).received_at.timestamp() == datetime(
        2025, 5, 1, 9, 0, tzinfo=timezone.utc).timestamp()


# ---------------------------------------------------------------- time zones


def test_a_timestamp_without_a_time_zone_is_rejected_with_the_way_to_fix_it():
    (found,) = problems({**MINIMAL, "received_at": "2025-05-01T10:00:00"})
    loc, message = found
    assert loc == ("received_at",)
    assert "timestamp '2025-05-01T10:00:00' has no time zone" in message
    assert "add an offset such as +01:00 or Z" in message
    assert "--assume-london" in message


def test_a_naive_timestamp_deep_in_the_incident_is_rejected_at_its_own_field():
    data = incident(crime_records=[{"reference": "CR1", "offence": "105A", "disclosures": ["D1"],
                                    "recorded_at": "2025-05-01T12:00:00"}])
    (found,) = problems(data)
    assert found[0] == ("crime_records", 0, "recorded_at")
    assert "has no time zone" in found[1]


def test_every_naive_timestamp_is_reported_not_only_the_first():
    data = incident(received_at="2025-05-01T10:00:00",
                    disclosures=[{"id": "D1", "offence": "8L", "reported_by": "victim",
                                  "occasions": ["2025-04-01T10:00:00", "2025-04-20T10:00:00+01:00"]}],
                    crime_records=[])
    locs = [loc for loc, _ in problems(data)]
    assert locs == [("received_at",), ("disclosures", 0, "occasions", 0)]


LONDON_CONTEXT = {NAIVE_TIMEZONE: LONDON}


def test_with_london_assumed_a_summer_time_is_read_as_british_summer_time():
    parsed = Incident.model_validate({**MINIMAL, "received_at": "2025-07-01T10:00:00"}, context=LONDON_CONTEXT)
    assert parsed.received_at.utcoffset() == timedelta(hours=1)
    assert parsed.received_at.astimezone(timezone.utc) == datetime(2025, 7, 1, 9, 0, tzinfo=timezone.utc)
    assert london_text(parsed.received_at.timestamp()) == "2025-07-01T10:00+01:00"


def test_with_london_assumed_a_winter_time_is_read_as_greenwich_mean_time():
    parsed = Incident.model_validate({**MINIMAL, "received_at": "2025-01-15T10:00:00"}, context=LONDON_CONTEXT)
    assert parsed.received_at.utcoffset() == timedelta(0)
    assert parsed.received_at.astimezone(timezone.utc) == datetime(2025, 1, 15, 10, 0, tzinfo=timezone.utc)


def test_with_london_assumed_the_same_wall_clock_hours_apart_across_the_spring_change_are_one_hour_less():
    data = incident(received_at="2025-03-29T12:00:00",
                    crime_records=[{"reference": "CR1", "offence": "105A", "disclosures": ["D1"],
                                    "recorded_at": "2025-03-30T12:00:00"}])
    parsed = Incident.model_validate(data, context=LONDON_CONTEXT)
    elapsed = parsed.crime_records[0].recorded_at.timestamp() - parsed.received_at.timestamp()
    assert elapsed == timedelta(hours=23).total_seconds()


def test_with_london_assumed_a_timestamp_with_an_offset_keeps_its_own_offset():
    parsed = Incident.model_validate({**MINIMAL, "received_at": "2025-07-01T10:00:00+05:30"}, context=LONDON_CONTEXT)
    assert parsed.received_at.utcoffset() == timedelta(hours=5, minutes=30)


def test_json_input_is_read_the_same_way_as_python_input():
    text = '{"id": "J1", "received_at": "2025-07-01T10:00:00", "channel": "online"}'
    assert Incident.model_validate_json(text, context=LONDON_CONTEXT).received_at.utcoffset() == timedelta(hours=1)
    with pytest.raises(ValidationError, match="has no time zone"):
        Incident.model_validate_json(text)


# ---------------------------------------------------------------- links between records


@pytest.mark.parametrize(("fields", "says"), [
    ({"crime_records": [{"reference": "CR1", "offence": "105A", "disclosures": ["D9"]}]},
     "crime_records.0.disclosures: 'D9' is not a disclosure id in this incident (known: D1)"),
    ({"n100s": [{"id": "N1", "disclosure": "D9"}]},
     "n100s.0.disclosure: 'D9' is not a disclosure id in this incident (known: D1)"),
    ({"disclosures": [{"id": "D1", "offence": "105A", "victims": ["V9"], "reported_by": "victim"}],
      "crime_records": []},
     "disclosures.0.victims: 'V9' is not a person id in this incident (known: O1, V1)"),
    ({"disclosures": [{"id": "D1", "offence": "105A", "offenders": ["O9"], "reported_by": "victim"}],
      "crime_records": []},
     "disclosures.0.offenders: 'O9' is not a person id"),
    ({"crime_records": [{"reference": "CR1", "offence": "105A", "victim": "V9", "disclosures": ["D1"]}]},
     "crime_records.0.victim: 'V9' is not a person id"),
    ({"crime_records": [{"reference": "CR1", "offence": "105A", "offenders": ["O9"], "disclosures": ["D1"]}]},
     "crime_records.0.offenders: 'O9' is not a person id"),
    ({"n100s": [{"id": "N1", "disclosure": "D1", "rape_crime": "CR9"}]},
     "n100s.0.rape_crime: 'CR9' is not a crime reference in this incident (known: CR1)"),
])
def test_a_dangling_reference_is_rejected_naming_the_field_and_the_ids_there_are(fields, says):
    assert says in only_problem(incident(**fields))


def test_a_dangling_reference_in_an_incident_with_no_people_says_there_are_none():
    data = {**MINIMAL, "disclosures": [{"id": "D1", "offence": "105A", "victims": ["V1"], "reported_by": "victim"}]}
    assert "disclosures.0.victims: 'V1' is not a person id in this incident (known: none)" in only_problem(data)


@pytest.mark.parametrize(("fields", "says"), [
    ({"people": [{"id": "V1"}, {"id": "O1"}, {"id": "V1"}]}, "people.2.id: 'V1' appears twice in this incident"),
    ({"disclosures": [{"id": "D1", "offence": "105A", "reported_by": "victim"},
                      {"id": "D1", "offence": "8L", "reported_by": "victim"}]},
     "disclosures.1.id: 'D1' appears twice"),
    ({"crime_records": [{"reference": "CR1", "offence": "105A"}, {"reference": "CR1", "offence": "8L"}]},
     "crime_records.1.reference: 'CR1' appears twice"),
    ({"n100s": [{"id": "N1", "disclosure": "D1"}, {"id": "N1", "disclosure": "D1"}]},
     "n100s.1.id: 'N1' appears twice"),
])
def test_duplicate_ids_are_rejected_naming_the_second(fields, says):
    assert says in only_problem(incident(**fields))


# ---------------------------------------------------------------- shape


@pytest.mark.parametrize(("fields", "loc"), [
    ({"colour": "blue"}, ("colour",)),
    ({"people": [{"id": "V1", "shoe_size": 9}]}, ("people", 0, "shoe_size")),
    ({"disclosures": [{"id": "D1", "offence": "105A", "reported_by": "victim", "victim": "V1"}],
      "crime_records": []}, ("disclosures", 0, "victim")),
    ({"crime_records": [{"reference": "CR1", "offence": "105A", "recorded": "2025-05-01T12:00:00Z"}]},
     ("crime_records", 0, "recorded")),
])
def test_an_unknown_field_is_an_error_not_silently_ignored_data(fields, loc):
    found = problems(incident(**fields))
    assert (loc, "Extra inputs are not permitted") in found


@pytest.mark.parametrize(("fields", "loc"), [
    ({"channel": "telephone"}, ("channel",)),
    ({"disclosures": [{"id": "D1", "offence": "105A", "reported_by": "neighbour"}], "crime_records": []},
     ("disclosures", 0, "reported_by")),
    ({"people": [{"id": "V1", "relationship_to_offender": "spouse"}, {"id": "O1"}]},
     ("people", 0, "relationship_to_offender")),
    ({"people": [{"id": "V1", "age": 131}, {"id": "O1"}]}, ("people", 0, "age")),
    ({"crime_records": [{"reference": "CR1", "offence": "105A", "flags": ["dv"]}]}, ("crime_records", 0, "flags", 0)),
])
def test_codes_that_describe_the_input_are_closed_sets_and_a_typo_names_its_field(fields, loc):
    assert loc in [found for found, _ in problems(incident(**fields))]


def test_a_missing_required_field_is_named():
    assert problems({"id": "INC-1", "channel": "online"}) == [(("received_at",), "Field required")]


def test_a_secondary_incident_must_name_its_primary_incident():
    assert "parent: a secondary incident names its primary incident" in only_problem(
        {**MINIMAL, "kind": "secondary"})
    assert Incident.model_validate({**MINIMAL, "kind": "secondary", "parent": "INC-0"}).parent == "INC-0"


def test_a_crime_record_still_recorded_cannot_carry_a_cancellation():
    data = incident(crime_records=[{"reference": "CR1", "offence": "105A", "disclosures": ["D1"],
                                    "cancellation": {"code": "C2"}}])
    assert "crime_records.0.status: 'recorded' but a cancellation is given" in only_problem(data)
    data["crime_records"][0]["status"] = "cancelled"
    assert Incident.model_validate(data).crime_records[0].cancellation.code == "C2"


def test_a_wrong_c_code_or_n100_reason_is_accepted_for_the_rules_to_report():
    data = incident(crime_records=[{"reference": "CR1", "offence": "105A", "disclosures": ["D1"],
                                    "status": "cancelled", "cancellation": {"code": "C9"}}],
                    n100s=[{"id": "N1", "disclosure": "D1", "reason": "N100/99"}])
    parsed = Incident.model_validate(data)
    assert (parsed.crime_records[0].cancellation.code, parsed.n100s[0].reason) == ("C9", "N100/99")


def test_an_incident_cannot_be_changed_once_read():
    parsed = Incident.model_validate(MINIMAL)
    with pytest.raises(ValidationError):
        parsed.id = "INC-2"
