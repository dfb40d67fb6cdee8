"""Reading STORM log detail prints: several logs a file, header fields and the actions table, prefixes that
mark disposals, qualifiers and crime numbers, and bad lines reported with log number and file line while the
next log is still read."""

from pathlib import Path

import pytest

from hocr_rules.errors import InputError
from hocr_rules.intake import Accepted, Intake
from hocr_rules.intake.mapping import load_mapping
from hocr_rules.model.timestamps import LONDON

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "exports"
MAPPING = load_mapping(EXAMPLES / "exampleshire.mapping.yaml")


def log(number: str = "EXS-1", date: str = "08/03/2025", time: str = "21:40:12", source: str = "999",
        actions: list[str] | None = None, final: str = "DOMESTIC - NO CRIME") -> str:
    rows = actions if actions is not None else ["08/03/2025\t21:41:30\tQUALIFIER: DA\tCH1\t1",
                                                "08/03/2025\t22:10:05\tPARTNER PUNCHED HER\tPC2\t2"]
    return "\n".join(["Storm Log Detail", f"Log Number:\t{number}", f"Date:\t{date}", f"Time:\t{time}",
                      "Status:\tCLOSED", "Result Codes:\tDOMNC, NFA", "Message:\tCALLER CRYING", f"Source:\t{source}",
                      "Initial Classification:\tDOMESTIC INCIDENT", f"Final Classification:\t{final}", "Actions",
                      "Date\tTime\tText\tAuthorId\tSequence", *rows, ""]) + "\n"


def read(tmp_path: Path, text: str, mapping=MAPPING, **intake) -> list:
    path = tmp_path / "logs.txt"
    path.write_text(text, encoding="utf-8")
    return list(Intake(mapping=mapping, **intake).read([str(path)]))


def test_a_log_becomes_an_incident_with_its_log_codes_and_qualifiers(tmp_path):
    [item] = read(tmp_path, log())
    assert isinstance(item, Accepted)
    incident = item.incident
    assert (incident.id, incident.channel) == ("EXS-1", "emergency_call")
    assert incident.received_at.isoformat() == "2025-03-08T21:40:12+00:00"
    assert [e.text for e in incident.log] == ["CALLER CRYING", "QUALIFIER: DA", "PARTNER PUNCHED HER"]
    assert [e.kind for e in incident.log] == [None, "qualifier", None]   # a kind only where the print says one
    assert [e.author for e in incident.log] == [None, "CH1", "PC2"]
    assert incident.result_codes == ["DOMNC", "NFA"]
    assert incident.qualifiers == ["domestic_abuse"]
    assert (incident.initial_classification, incident.final_classification) == ("DOMESTIC INCIDENT",
                                                                                "DOMESTIC - NO CRIME")
    readings = {(r.field, r.code): r.means for r in incident.code_readings}
    assert readings[("final_classification", "DOMESTIC - NO CRIME")] == ["domestic_abuse", "no_crime"]
    assert readings[("qualifier", "DA")] == ["domestic_abuse"]
    assert readings[("result_code", "NFA")] == []


def test_several_logs_a_file_each_read(tmp_path):
    items = read(tmp_path, log("A") + "\n" + log("B") + log("C"))
    assert [item.incident.id for item in items] == ["A", "B", "C"]


def test_crime_numbers_and_wrapped_text_from_the_actions(tmp_path):
    [item] = read(tmp_path, log(actions=["08/03/2025\t22:00:00\tSAFEGUARDING REFERRAL\tPC2\t1",
                                         "REFERENCE ASC/1/25", "08/03/2025\t23:00:00\tCRIME NO: EX/25/1\tPC2\t2"]))
    incident = item.incident
    assert incident.log[1].text == "SAFEGUARDING REFERRAL\nREFERENCE ASC/1/25"
    assert incident.crime_numbers == ["EX/25/1"] and incident.log[2].kind == "cross_reference"


def test_a_bad_action_line_rejects_its_log_naming_the_line_and_the_next_log_is_read(tmp_path):
    items = read(tmp_path, log("A", actions=["08/03/2025\t25:61\tTEXT\tPC2\t1", "only\ttwo"]) + log("B"))
    bad, good = items
    assert isinstance(bad, InputError) and bad.record == "A" and bad.line == 1
    problems = dict(bad.problems)
    assert sorted(problems) == ["line 13 at", "line 14"]
    assert "Date, Time, Text, AuthorId and Sequence" in problems["line 14"]
    assert isinstance(good, Accepted) and good.incident.id == "B"


def test_an_impossible_time_is_refused_not_guessed(tmp_path):
    [item] = read(tmp_path, log(actions=["31/02/2025\t22:00:00\tTEXT\tPC2\t1"]))
    assert isinstance(item, InputError)
    assert [field for field, _ in item.problems] == ["line 13 at"]


def test_an_unmapped_code_is_kept_without_meaning(tmp_path):
    [item] = read(tmp_path, log(final="SOMETHING NEW"))
    readings = {(r.field, r.code): r.means for r in item.incident.code_readings}
    assert readings[("final_classification", "SOMETHING NEW")] == []


def test_without_a_mapping_local_times_need_assume_london_and_sources_must_be_channels(tmp_path):
    [item] = read(tmp_path, log(), mapping=None)
    assert isinstance(item, InputError)
    fields = [field for field, _ in item.problems]
    assert "Date, Time" in fields and "Source" in fields
    [item] = read(tmp_path, log(source="emergency_call"), mapping=None, naive_timezone=LONDON)
    assert isinstance(item, Accepted)
    assert all(reading.means == [] for reading in item.incident.code_readings)


def test_text_that_is_not_utf8_is_reported(tmp_path):
    path = tmp_path / "logs.txt"
    path.write_bytes(log().encode() + b"\xff\xfe broken")
    items = list(Intake(mapping=MAPPING).read([str(path)]))
    assert any(isinstance(i, InputError) and "not UTF-8" in str(i) for i in items)


@pytest.mark.parametrize("text", ["", "Storm Log Detail\n"])
def test_an_empty_print_or_log_is_never_accepted(tmp_path, text):
    items = read(tmp_path, text) if text else []
    assert all(isinstance(item, InputError) for item in items)
