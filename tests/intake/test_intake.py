"""Reading incident files: JSON Lines, JSON arrays, single documents and standard input. Every record comes out
either accepted or reported with its file, line, incident and field, so a run accounts for all it was given."""

import io
import json
import os
import sys
from pathlib import Path

import pytest

from hocr_rules.errors import InputError
from hocr_rules.intake import CHUNK, Accepted, Intake
from hocr_rules.model.timestamps import LONDON


def incident(number: int, **fields) -> dict:
    data = {
        "id": f"INC-{number}", "received_at": "2025-05-01T10:00:00+01:00", "channel": "emergency_call",
        "people": [{"id": "V1"}, {"id": "O1"}],
        "disclosures": [{"id": "D1", "offence": "105A", "victims": ["V1"], "offenders": ["O1"],
                         "reported_by": "victim"}],
    }
    data.update(fields)
    return data


def jsonl(*records) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


@pytest.fixture(scope="module")
def intake() -> Intake:
    return Intake()


def read(intake: Intake, path: Path | str) -> list:
    return list(intake.read_one(str(path)))


def summary(results: list) -> list[tuple]:
    """(kind, line, incident id) for each result, the way a reader of the report sees them."""
    return [("accepted", r.line, r.incident.id) if isinstance(r, Accepted) else ("rejected", r.line, r.record)
            for r in results]


def element_lines(text: str) -> list[int]:
    """Lines on which the top-level elements of a JSON array written with indent=2 start."""
    return [number for number, line in enumerate(text.splitlines(), start=1) if line == "  {"]


def use_stdin(monkeypatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8"))


# ---------------------------------------------------------------- the formats


def test_json_lines_are_read_one_record_a_line(tmp_path, intake):
    path = tmp_path / "incidents.jsonl"
    path.write_text(jsonl(incident(1), incident(2), incident(3)))
    results = read(intake, path)
    assert summary(results) == [("accepted", 1, "INC-1"), ("accepted", 2, "INC-2"), ("accepted", 3, "INC-3")]
    assert {r.source for r in results} == {str(path)}


def test_blank_lines_in_json_lines_are_skipped_but_still_counted_for_line_numbers(tmp_path, intake):
    path = tmp_path / "incidents.ndjson"
    path.write_text(json.dumps(incident(1)) + "\n\n   \n" + json.dumps(incident(2)) + "\n")
    assert summary(read(intake, path)) == [("accepted", 1, "INC-1"), ("accepted", 4, "INC-2")]


def test_a_json_array_gives_each_incident_the_line_it_starts_on(tmp_path, intake):
    text = json.dumps([incident(1), incident(2), incident(3)], indent=2)
    path = tmp_path / "incidents.json"
    path.write_text(text)
    starts = element_lines(text)
    assert len(starts) == 3 and starts[0] == 2
    assert summary(read(intake, path)) == [("accepted", line, f"INC-{n}") for n, line in zip((1, 2, 3), starts)]


def test_line_numbers_stay_right_in_an_array_larger_than_one_read(tmp_path, intake):
    text = json.dumps([incident(n) for n in range(800)], indent=2)
    assert len(text) > 3 * CHUNK
    path = tmp_path / "big.json"
    path.write_text(text)
    results = read(intake, path)
    assert [r.line for r in results] == element_lines(text)
    assert [r.incident.id for r in results] == [f"INC-{n}" for n in range(800)]


def test_an_invalid_element_of_an_array_is_reported_at_its_line_and_the_rest_are_read(tmp_path, intake):
    records = [incident(1), incident(2, channel="carrier_pigeon"), incident(3)]
    text = json.dumps(records, indent=2)
    path = tmp_path / "incidents.json"
    path.write_text(text)
    results = read(intake, path)
    starts = element_lines(text)
    assert summary(results) == [("accepted", starts[0], "INC-1"), ("rejected", starts[1], "INC-2"),
                                ("accepted", starts[2], "INC-3")]
    assert results[1].problems[0][0] == "channel"


def test_a_single_json_object_is_one_incident(tmp_path, intake):
    path = tmp_path / "one.json"
    path.write_text(json.dumps(incident(7), indent=2))
    assert summary(read(intake, path)) == [("accepted", 1, "INC-7")]


def test_a_json_file_that_is_really_json_lines_is_read_line_by_line(tmp_path, intake):
    path = tmp_path / "export.json"
    path.write_text(jsonl(incident(1), incident(2), incident(3)))
    assert summary(read(intake, path)) == [("accepted", 1, "INC-1"), ("accepted", 2, "INC-2"),
                                           ("accepted", 3, "INC-3")]


def test_a_json_file_that_is_really_json_lines_with_a_broken_line_reports_it_and_reads_the_rest(tmp_path, intake):
    path = tmp_path / "export.json"
    path.write_text(jsonl(incident(1), '{"id": "INC-2", "received_at": ', incident(3)))
    assert summary(read(intake, path)) == [("accepted", 1, "INC-1"), ("rejected", 2, None),
                                           ("accepted", 3, "INC-3")]


def test_a_json_lines_file_named_json_with_its_first_line_broken_still_reads_the_rest(tmp_path, intake):
    path = tmp_path / "export.json"
    path.write_text(jsonl('{"id": "INC-1", "received_at": ', incident(2), incident(3)))
    assert summary(read(intake, path)) == [("rejected", 1, None), ("accepted", 2, "INC-2"),
                                           ("accepted", 3, "INC-3")]


def test_a_file_starting_with_a_byte_order_mark_is_read(tmp_path, intake):
    path = tmp_path / "excel.json"
    path.write_bytes("\ufeff".encode("utf-8") + json.dumps([incident(1)]).encode("utf-8"))
    assert summary(read(intake, path)) == [("accepted", 1, "INC-1")]


@pytest.mark.parametrize(("name", "text"), [("empty.json", ""), ("blank.jsonl", "\n  \n"), ("none.json", "[]"),
                                            ("spaces.json", "  [ \n ]  ")])
def test_an_empty_file_gives_no_records_and_no_errors(tmp_path, intake, name, text):
    path = tmp_path / name
    path.write_text(text)
    assert read(intake, path) == []


BLANK_LINES = 40_000   # 80 KiB of blank lines: more than the reader reads at once


@pytest.mark.parametrize("name", ["long.jsonl", "long.json", "long.txt"])
def test_records_after_a_long_run_of_blank_lines_are_read_with_their_line_numbers(tmp_path, intake, name):
    """A file that opens with more blank lines than one read takes is not empty (it was: every record after them
    was dropped without a word)."""
    path = tmp_path / name
    records = json.dumps([incident(1)]) if name == "long.json" else jsonl(incident(1), incident(2))
    path.write_text(" \n" * BLANK_LINES + records)
    expected = [("accepted", BLANK_LINES + 1, "INC-1")] + ([] if name == "long.json" else
                                                           [("accepted", BLANK_LINES + 2, "INC-2")])
    assert summary(read(intake, path)) == expected


class _Pipe(io.RawIOBase):
    """Standard input as a pipe gives it: bytes that cannot be read again."""

    def __init__(self, data: bytes):
        self.data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        return self.data.readinto(buffer)


@pytest.mark.parametrize("records", ["lines", "array"])
def test_a_pipe_that_opens_with_blank_lines_is_read_whole(monkeypatch, intake, records):
    text = jsonl(incident(1), incident(2)) if records == "lines" else json.dumps([incident(1), incident(2)])
    data = ("\n" * BLANK_LINES + text).encode("utf-8")
    stdin = io.TextIOWrapper(io.BufferedReader(_Pipe(data)), encoding="utf-8")
    assert not stdin.buffer.seekable()
    monkeypatch.setattr(sys, "stdin", stdin)
    assert [r.incident.id for r in read(intake, "-")] == ["INC-1", "INC-2"]


# ---------------------------------------------------------------- standard input


def test_json_lines_on_standard_input(monkeypatch, intake):
    use_stdin(monkeypatch, jsonl(incident(1), incident(2)))
    results = read(intake, "-")
    assert summary(results) == [("accepted", 1, "INC-1"), ("accepted", 2, "INC-2")]
    assert {r.source for r in results} == {"<stdin>"}


def test_a_json_array_on_standard_input(monkeypatch, intake):
    text = json.dumps([incident(1), incident(2)], indent=2)
    use_stdin(monkeypatch, text)
    assert summary(read(intake, "-")) == [("accepted", line, f"INC-{n}")
                                          for n, line in zip((1, 2), element_lines(text))]


def test_standard_input_from_a_pipe_that_cannot_be_rewound(monkeypatch, intake):
    reader, writer = os.pipe()
    os.write(writer, jsonl(incident(1), "not json", incident(3)).encode("utf-8"))
    os.close(writer)
    with os.fdopen(reader, encoding="utf-8") as pipe:
        assert not pipe.seekable()
        monkeypatch.setattr(sys, "stdin", pipe)
        assert summary(read(intake, "-")) == [("accepted", 1, "INC-1"), ("rejected", 2, None),
                                              ("accepted", 3, "INC-3")]


def test_empty_standard_input_gives_no_records(monkeypatch, intake):
    use_stdin(monkeypatch, "")
    assert read(intake, "-") == []


def test_one_pretty_printed_incident_on_standard_input(monkeypatch, intake):
    use_stdin(monkeypatch, json.dumps(incident(1), indent=2))
    assert summary(read(intake, "-")) == [("accepted", 1, "INC-1")]


# ---------------------------------------------------------------- faults


def test_an_invalid_json_line_among_valid_ones_is_reported_and_the_others_are_still_read(tmp_path, intake):
    path = tmp_path / "incidents.jsonl"
    path.write_text(jsonl(incident(1), "{'id': 'single quotes'}", incident(3)))
    results = read(intake, path)
    assert summary(results) == [("accepted", 1, "INC-1"), ("rejected", 2, None), ("accepted", 3, "INC-3")]
    ((field, message),) = results[1].problems
    assert field == "json" and "Invalid JSON" in message


def test_a_json_line_that_is_not_an_object_is_reported(tmp_path, intake):
    path = tmp_path / "incidents.jsonl"
    path.write_text(jsonl([1, 2], '"text"', incident(3)))
    results = read(intake, path)
    assert summary(results) == [("rejected", 1, None), ("rejected", 2, None), ("accepted", 3, "INC-3")]
    assert results[0].problems == [("record", "Input should be an object")]


def test_an_invalid_record_is_reported_with_its_incident_id_and_every_field_at_fault(tmp_path, intake):
    path = tmp_path / "incidents.jsonl"
    path.write_text(jsonl(incident(1, channel="fax", received_at="2025-05-01T10:00:00", colour="red")))
    (error,) = read(intake, path)
    assert isinstance(error, InputError)
    assert (error.source, error.line, error.record) == (str(path), 1, "INC-1")
    fields = [field for field, _ in error.problems]
    assert sorted(fields) == ["channel", "colour", "received_at"]
    assert str(error).startswith(f"{path}:1 incident INC-1: ")


def test_a_dangling_reference_is_reported_with_the_field_in_the_message(tmp_path, intake):
    path = tmp_path / "incidents.jsonl"
    path.write_text(jsonl(incident(1, n100s=[{"id": "N1", "disclosure": "D9"}])))
    (error,) = read(intake, path)
    ((field, message),) = error.problems
    assert "n100s.0.disclosure: 'D9' is not a disclosure id" in f"{field}: {message}"
    assert not message.startswith("Value error")


def test_an_unclosed_array_keeps_the_complete_incidents_and_reports_the_end(tmp_path, intake):
    path = tmp_path / "cut.json"
    path.write_text("[\n" + json.dumps(incident(1)) + ",\n" + json.dumps(incident(2)) + "\n")
    results = read(intake, path)
    assert summary(results) == [("accepted", 2, "INC-1"), ("accepted", 3, "INC-2"), ("rejected", 4, None)]
    assert results[-1].problems == [("json", "the array is not closed with ']'")]


def test_an_array_cut_off_inside_an_incident_reports_where_it_stopped(tmp_path, intake):
    path = tmp_path / "cut.json"
    path.write_text("[\n" + json.dumps(incident(1)) + ",\n" + json.dumps(incident(2))[:40])
    results = read(intake, path)
    assert summary(results)[0] == ("accepted", 2, "INC-1")
    assert summary(results)[1][0] == "rejected"
    assert "the rest of this file could not be read" in results[1].problems[0][1]


def test_an_unknown_offence_code_names_the_incident_and_field_and_suggests_codes(tmp_path, intake):
    path = tmp_path / "incidents.jsonl"
    record = incident(5, disclosures=[{"id": "D1", "offence": "8/30", "victims": ["V1"], "reported_by": "victim"}],
                      crime_records=[{"reference": "CR1", "offence": "105Z", "disclosures": ["D1"]}])
    path.write_text(jsonl(record))
    (error,) = read(intake, path)
    assert (error.line, error.record) == (1, "INC-5")
    problems = dict(error.problems)
    assert set(problems) == {"disclosures.0.offence", "crime_records.0.offence"}
    assert "unknown offence code '8/30': did you mean 008/30" in problems["disclosures.0.offence"]
    assert "unknown offence code '105Z'" in problems["crime_records.0.offence"]


def test_an_unknown_charged_offence_on_an_outcome_names_its_field(tmp_path, intake):
    """The offence charged or cautioned is read through the offence table (OC19, OC20), so a code it does not
    hold is an input error like an unknown recorded offence, never a silent mismatch."""
    path = tmp_path / "incidents.jsonl"
    record = incident(6, crime_records=[
        {"reference": "CR1", "offence": "8N", "outcome": {"type": "1", "charged_offence": "58Z"}},
        {"reference": "CR2", "offence": "8N", "outcome": {"type": "1", "charged_offence": "008/06"}}])
    path.write_text(jsonl(record))
    (error,) = read(intake, path)
    assert [field for field, _ in error.problems] == ["crime_records.0.outcome.charged_offence"]
    assert "unknown offence code '58Z'" in error.problems[0][1]


def test_offence_codes_are_accepted_as_people_type_them(tmp_path, intake):
    path = tmp_path / "incidents.jsonl"
    path.write_text(jsonl(incident(1, disclosures=[{"id": "D1", "offence": "8l", "reported_by": "victim"}])))
    assert summary(read(intake, path)) == [("accepted", 1, "INC-1")]


@pytest.mark.parametrize(("offence", "received_at", "accepted"), [
    ("005/28", "2024-01-30T23:30:00+00:00", False),  # threatening communication began 31 January 2024
    ("005/28", "2024-01-31T00:00:00+00:00", True),
    ("068/25", "2026-03-31T12:00:00+01:00", False),  # sex-based public order offence began 1 April 2026
    ("068/25", "2026-04-01T00:30:00+01:00", True),   # 23:30 UTC the day before, 1 April in England
    ("008/71", "2024-01-30T12:00:00+00:00", True),   # disclosing private sexual photographs ceased 31 January 2024
    ("008/71", "2024-01-31T12:00:00+00:00", False),
])
def test_an_offence_is_accepted_only_between_its_commencement_and_cessation(tmp_path, intake, offence,
                                                                              received_at, accepted):
    path = tmp_path / "incidents.jsonl"
    path.write_text(jsonl(incident(1, received_at=received_at, disclosures=[
        {"id": "D1", "offence": offence, "victims": ["V1"], "reported_by": "victim"}])))
    (result,) = read(intake, path)
    assert isinstance(result, Accepted) == accepted
    if not accepted:
        (field, message), = result.problems
        assert field == "disclosures.0.offence" and offence in message and "when it was reported" in message


def test_an_offence_is_dated_by_its_own_disclosure_and_a_crime_record_by_the_disclosure_it_records(tmp_path, intake):
    path = tmp_path / "incidents.jsonl"
    record = incident(1, received_at="2023-12-01T10:00:00+00:00", disclosures=[
        {"id": "D1", "offence": "8R", "victims": ["V1"], "reported_by": "victim"},
        {"id": "D2", "offence": "005/28", "victims": ["V1"], "reported_by": "victim",
         "disclosed_at": "2024-02-05T10:00:00+00:00"}],
        crime_records=[{"reference": "CR1", "offence": "005/28", "disclosures": ["D1"]},
                       {"reference": "CR2", "offence": "005/28", "disclosures": ["D2"]}])
    path.write_text(jsonl(record))
    (error,) = read(intake, path)
    assert [field for field, _ in error.problems] == ["crime_records.0.offence"]


def test_fraud_by_false_representation_is_a_known_offence(tmp_path, intake):
    path = tmp_path / "incidents.jsonl"
    path.write_text(jsonl(incident(1, disclosures=[{"id": "D1", "offence": "053/40", "reported_by": "victim"}])))
    assert summary(read(intake, path)) == [("accepted", 1, "INC-1")]


def test_a_missing_file_is_reported_not_raised(tmp_path, intake):
    (error,) = read(intake, tmp_path / "nowhere.jsonl")
    assert error.problems == [("file", "no such file")]
    assert error.source == str(tmp_path / "nowhere.jsonl")


def test_a_file_that_is_not_utf8_is_reported(tmp_path, intake):
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(json.dumps(incident(1, non_crime_rationale="caf\u00e9"), ensure_ascii=False).encode("latin-1"))
    results = read(intake, path)
    assert summary(results) == [("rejected", 1, None)]
    assert results[0].problems[0][0] == "file" and "not UTF-8" in results[0].problems[0][1]


def test_a_bad_byte_part_way_through_keeps_every_record_before_it(tmp_path, intake):
    path = tmp_path / "mixed.jsonl"
    good = jsonl(*[incident(n) for n in range(1, 2001)]).encode("utf-8")
    bad = json.dumps(incident(2001, non_crime_rationale="caf\u00e9"), ensure_ascii=False).encode("latin-1") + b"\n"
    path.write_bytes(good + bad)
    results = read(intake, path)
    assert len(results) == 2001
    assert [r.incident.id for r in results if isinstance(r, Accepted)] == [f"INC-{n}" for n in range(1, 2001)]
    assert summary(results)[-1] == ("rejected", 2001, None)


# ---------------------------------------------------------------- time zones at intake


def test_naive_timestamps_are_rejected_unless_london_is_assumed(tmp_path):
    path = tmp_path / "local.jsonl"
    path.write_text(jsonl(incident(1, received_at="2025-07-01T10:00:00")))
    (error,) = read(Intake(), path)
    assert error.problems[0][0] == "received_at" and "--assume-london" in error.problems[0][1]
    (accepted,) = read(Intake(naive_timezone=LONDON), path)
    assert accepted.incident.received_at.utcoffset().total_seconds() == 3600


# ---------------------------------------------------------------- accounting


def test_every_record_given_is_either_accepted_or_reported(tmp_path, intake):
    lines = [incident(1), "{broken", incident(3, channel="fax"), [1],
             incident(5, disclosures=[{"id": "D1", "offence": "ZZZ", "reported_by": "victim"}]),
             incident(6), incident(7, received_at="2025-01-01T00:00:00"), incident(8)]
    (tmp_path / "a.jsonl").write_text(jsonl(*lines))
    (tmp_path / "b.json").write_text(json.dumps([incident(9), incident(10, kind="secondary")], indent=2))
    results = list(intake.read([str(tmp_path / "a.jsonl"), str(tmp_path / "b.json"), str(tmp_path / "c.json")]))
    assert len(results) == len(lines) + 2 + 1  # c.json does not exist: one report for it
    assert all(isinstance(r, (Accepted, InputError)) for r in results)
    accepted = [r.incident.id for r in results if isinstance(r, Accepted)]
    assert accepted == ["INC-1", "INC-6", "INC-8", "INC-9"]
    rejected = [(Path(r.source).name, r.line) for r in results if isinstance(r, InputError)]
    assert rejected == [("a.jsonl", 2), ("a.jsonl", 3), ("a.jsonl", 4), ("a.jsonl", 5), ("a.jsonl", 7),
                        ("b.json", element_lines((tmp_path / "b.json").read_text())[1]), ("c.json", None)]
