"""What every reader yields: an accepted incident, or an `InputError` naming where the record came from.

Shared by the readers (JSON, STORM log text, tabular exports) so that a run accounts for every record the
same way whatever shape it was read from.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from pydantic import ValidationError

from hocr_rules.errors import InputError
from hocr_rules.model.incident import Incident
from hocr_rules.model.timestamps import LONDON
from hocr_rules.offences import OffenceTable, UnknownOffenceCode

_LOCATED = re.compile(r"^([A-Za-z_][\w.]*): (.+)$", re.S)
_WITHIN_RECORD = re.compile(r"at line (\d+) column (\d+)")


class Accepted(NamedTuple):
    """A valid incident and where it was read (a named tuple: one is made for every record read)."""

    incident: Incident
    source: str
    line: int


Read = Accepted | InputError


def check_codes(offences: OffenceTable, incident: Incident, source: str, line: int) -> Read:
    """Offence codes are checked against the notifiable offence list: an unknown code is never a silent pass,
    nor is an offence reported on a day it did not exist (before its commencement or from its cessation)."""
    codes = [d.offence for d in incident.disclosures] + [c.offence for c in incident.crime_records] + [
        c.outcome.charged_offence for c in incident.crime_records if c.outcome and c.outcome.charged_offence]
    problems = [] if offences.knows_all(codes) else _unknown(offences, incident)
    if not offences.dated.isdisjoint(codes):
        problems += _out_of_date(offences, incident)
    if problems:
        return InputError(source, line, incident.id, problems)
    return Accepted(incident, source, line)


def _unknown(offences: OffenceTable, incident: Incident) -> list[tuple[str, str]]:
    coded = [(f"{group}.{index}.offence", record.offence)
             for group, records in (("disclosures", incident.disclosures), ("crime_records", incident.crime_records))
             for index, record in enumerate(records)]
    coded += [(f"crime_records.{index}.outcome.charged_offence", record.outcome.charged_offence)
              for index, record in enumerate(incident.crime_records)
              if record.outcome and record.outcome.charged_offence]
    problems = []
    for field, code in coded:
        try:
            offences.lookup(code)
        except UnknownOffenceCode as error:
            problems.append((field, str(error)))
    return problems


def _out_of_date(offences: OffenceTable, incident: Incident) -> list[tuple[str, str]]:
    """An offence is judged at the date its disclosure was reported (England and Wales time); a crime record
    at the earliest report of the disclosures it records, else the incident's receipt."""
    reported = {d.id: (d.disclosed_at or incident.received_at).astimezone(LONDON).date()
                for d in incident.disclosures}
    received = incident.received_at.astimezone(LONDON).date()
    problems = []
    for group, records in (("disclosures", incident.disclosures), ("crime_records", incident.crime_records)):
        for index, record in enumerate(records):
            if record.offence not in offences:
                continue  # reported as unknown
            offence = offences.lookup(record.offence)
            if offence.commenced is None and offence.ceased is None:
                continue
            links = [record.id] if group == "disclosures" else record.disclosures
            day = min((reported[i] for i in links), default=received)
            if not offence.in_force_on(day):
                problems.append((f"{group}.{index}.offence",
                                 f"{record.offence} is a notifiable offence only {offence.dates()}, "
                                 f"not on {day} when it was reported"))
    return problems


def problems_of(error: ValidationError) -> list[tuple[str, str]]:
    """(field path, message) for each problem pydantic found, with whole-record checks put on their field."""
    problems = []
    for item in error.errors(include_url=False, include_input=False):
        field = ".".join(str(part) for part in item["loc"]) or "record"
        message = item["msg"].removeprefix("Value error, ")
        located = _LOCATED.match(message)
        if field == "record" and located:  # whole-record checks name their field first: "crime_records.0.victim: ..."
            field, message = located.group(1), located.group(2)
        if item["type"] == "json_invalid" and "unicode" in message:
            field, message = "file", "this line is not UTF-8 text"
        elif item["type"] == "json_invalid":
            # pydantic counts lines within the record; the record's own line is already given
            field, message = "json", _WITHIN_RECORD.sub(r"at column \2", message)
        problems.append((field, message))
    return problems


def rejection(error: ValidationError, source: str, line: int, record: str | None) -> InputError:
    return InputError(source, line, record, problems_of(error))
