"""A first draft of a force mapping from the headers an export has (`hocr mapping init`).

A guess, for a person to correct: each file (or workbook sheet) is given the table its name suggests, each
column the model field whose name is closest (a few common export names are known), and every column left over
is listed in a comment so that nothing is silently ignored. `hocr mapping check` then says what is still
missing.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from hocr_rules.intake.mapping import CRIME_TABLES, TABLES, mappable_fields
from hocr_rules.intake.storm import is_storm
from hocr_rules.intake.tables import inner_name, is_workbook, open_sheet, sheet_names

#: words in a file or sheet name -> the table it most likely holds (a crime's outcomes before its crimes)
_TABLE_WORDS = [("cancel", "cancellations"), ("n100", "n100s"), ("outcome", "outcomes"), ("disposal", "outcomes"),
                ("reclass", "reclassifications"), ("log", "log_entries"), ("entr", "log_entries"),
                ("action", "log_entries"), ("people", "people"), ("person", "people"), ("victim", "people"),
                ("disclos", "disclosures"), ("crime", "crimes"), ("incident", "incidents"), ("storm", "incidents")]
#: common export column names (lower case, letters only) -> model field
_INCIDENT_KEYS = {"incidentnumber", "incidentno", "incidentref", "incidentid", "lognumber", "logno"}
_SYNONYMS = {"created": "received_at", "createdat": "received_at", "received": "received_at", "date": "received_at",
             "source": "channel", "contactmethod": "channel", "openingcode": "opening_code",
             "closingcode": "closing_code", "resultcode": "result_codes", "resultcodes": "result_codes",
             "linkedcrimes": "crime_numbers", "crimenumbers": "crime_numbers", "entrytime": "at", "time": "at",
             "operator": "author", "authorid": "author", "entrytext": "text", "remarks": "text", "entrytype": "kind",
             "seq": "sequence", "crimeref": "reference", "crimenumber": "reference", "hocode": "offence",
             "homeofficecode": "offence", "daterecorded": "recorded_at", "ccode": "code", "personref": "id",
             "victimref": "victim", "decided": "decided_at", "decidedby": "decided_by",
             "relationship": "relationship_to_offender", "offenderrefs": "offenders", "suspectrefs": "offenders",
             "disclosurerefs": "disclosures", "linkeddisclosures": "disclosures", "hatestrand": "hate_strands",
             "hatecrimestrands": "hate_strands", "hatemotivation": "hate_perceived", "perceivedhate": "hate_perceived",
             "religionsubflag": "religion_flags", "religionsubflags": "religion_flags",
             "metaltheft": "metal_theft_flags", "metaltheftflag": "metal_theft_flags",
             "metalthefttype": "metal_theft_flags", "online": "online_element", "onlineflag": "online_element",
             "cyberflag": "online_element", "darisk": "domestic_abuse_risk", "dashrisk": "domestic_abuse_risk",
             "riskgrading": "domestic_abuse_risk", "delayreason": "delay_rationale",
             "laterecordingrationale": "delay_rationale", "delayrationale": "delay_rationale",
             "fcroversight": "delay_overseen_by", "classificationrationale": "classification_rationale"}
#: common column names of one table: where a name means another field there (a reclassification's date, an
#: outcome's 'Date'), or where the joining column is named as the record itself ('Disclosure Ref')
_TABLE_SYNONYMS = {
    "disclosures": {"disclosureref": "id", "disclosureid": "id", "disclosed": "disclosed_at",
                    "reported": "disclosed_at", "victimrefs": "victims"},
    "outcomes": {"outcome": "type", "outcomecode": "type", "outcometype": "type", "date": "decided_at",
                 "outcomedate": "decided_at", "datefinalised": "decided_at", "finaliseddate": "decided_at",
                 "appliedby": "decided_by", "decisionmaker": "decided_by", "authorisingofficer": "authorised_by",
                 "outcomeauthorisedby": "authorised_by", "authorisingrank": "authoriser_rank",
                 "rank": "authoriser_rank", "suspectref": "suspect", "suspectid": "suspect",
                 "victiminformedofoutcome": "victim_informed", "victimnotified": "victim_informed",
                 "victiminformeddate": "victim_informed_at", "victimnotifieddate": "victim_informed_at",
                 "outcomerationale": "rationale", "offencecharged": "charged_offence",
                 "chargedoffence": "charged_offence", "cpsauthorised": "cps_authorised"},
    "reclassifications": {"from": "from_offence", "previousclassification": "from_offence",
                          "oldclassification": "from_offence", "to": "to_offence", "newclassification": "to_offence",
                          "reclassified": "at", "reclassificationdate": "at", "date": "at", "reclassifiedby": "by",
                          "justification": "rationale", "reasonforreclassification": "rationale",
                          "reason": "rationale"},
    "n100s": {"n100ref": "id", "n100id": "id", "n100code": "reason", "n100reason": "reason",
              "n100status": "status", "cancelled": "cancelled_at", "datecancelled": "cancelled_at",
              "cancellationdate": "cancelled_at", "reclassified": "reclassified_at"}}


def draft_mapping(files: list[Path]) -> str:
    lines = ["# yaml-language-server: $schema=https://raw.githubusercontent.com/hocr-rules/hocr-rules/main/schemas/"
             "mapping.schema.json",
             "# A DRAFT from the headers of the files given: check every guess, map the values and codes,",
             "# then run `hocr mapping check THIS-FILE FILE...`.",
             "force: CHANGE ME", "timezone: Europe/London", 'date_formats: ["%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", iso]',
             "tables:"]
    storm = []
    seen: set[str] = set()
    for path in files:
        if not is_workbook(path) and is_storm(path):
            storm.append(path.name)
            continue
        for sheet in sheet_names(path) if is_workbook(path) else [None]:
            table = _table_of(sheet or inner_name(path))
            header = open_sheet(path, sheet).header
            if table in seen:
                lines.append(f"  # {path.name}{f' [{sheet}]' if sheet else ''}: another '{table}' table? "
                             f"columns: {', '.join(header)}")
                continue
            seen.add(table)
            guessed = _columns(table, header)
            found = [(table, guessed)]
            if table == "crimes":  # a crimes table often holds its outcome columns: an outcomes table of its own
                found += _held_with_crimes(guessed, seen)
            for name, columns in found:
                lines += [f"  {name}:", f'    file: "{path.name}"'] + ([f'    sheet: "{sheet}"'] if sheet else [])
                lines.append("    columns:")
                lines += [f'      {field}: "{column}"' for column, field in columns if field]
            left = [column for column in header if not any(column == c and f for _, cs in found for c, f in cs)]
            if left:
                lines.append(f"      # not mapped: {', '.join(left)}")
    if storm:
        lines.append(f"  # STORM prints ({', '.join(storm)}) need no tables: their layout is fixed")
    lines += ["values: {}   # force value -> model value, e.g. channel: {\"999\": emergency_call}",
              "codes: {}    # dated code lists, e.g. closing_code: [{from: 2020-01-01, note: ..., codes: {DOM: "
              "[domestic_abuse]}}]", ""]
    return "\n".join(lines)


def _held_with_crimes(crimes: list[tuple[str, str | None]], seen: set[str]) -> list:
    """The outcome columns of a crimes table as an outcomes table read from the same file, joined on its
    crime reference column; none when no column left over is an outcome's."""
    reference = next((column for column, field in crimes if field == "reference"), None)
    left = [column for column, field in crimes if not field]
    columns = [(column, field) for column, field in _columns("outcomes", left) if field and field != "crime"]
    if reference is None or not columns or "outcomes" in seen:
        return []
    seen.add("outcomes")
    return [("outcomes", [(reference, "crime")] + columns)]


def _table_of(name: str) -> str:
    lowered = name.lower()
    for word, table in _TABLE_WORDS:
        if word in lowered:
            return table
    return "incidents"


def _columns(table: str, header: list[str]) -> list[tuple[str, str | None]]:
    """Each column with the field it most likely fills, each field used once, the joining field first."""
    fields = mappable_fields(table)
    key = TABLES[table][1]
    taken: set[str] = set()
    found = []
    for column in header:
        plain = "".join(c for c in column.lower() if c.isalnum())
        guess = _TABLE_SYNONYMS.get(table, {}).get(plain) or _SYNONYMS.get(plain)
        if plain in _INCIDENT_KEYS:
            guess = "id" if table == "incidents" else key
        elif guess == "reference" and table in CRIME_TABLES:
            guess = key
        if guess not in fields:
            close = difflib.get_close_matches(plain, [f.replace("_", "") for f in fields], n=1, cutoff=0.8)
            guess = next((f for f in fields if close and f.replace("_", "") == close[0]), None)
        if guess in taken:
            guess = None
        if guess:
            taken.add(guess)
        found.append((column, guess))
    return found
