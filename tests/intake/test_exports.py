"""Reading tabular exports through a force mapping: CSV in its saved shapes (BOM, Windows-1252, any delimiter),
gzip, XLSX; tables joined on keys in any order; dated code lists; every bad row reported with file, row and
column, rows joining nothing reported, and each table reconciled (rows read = used + rejected)."""

import csv
import gzip
import shutil
from pathlib import Path

import pytest

from hocr_rules.errors import HocrError, InputError
from hocr_rules.intake import Accepted, Intake
from hocr_rules.intake.mapping import load_mapping

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "exports"
MAPPING = load_mapping(EXAMPLES / "exampleshire.mapping.yaml")
INCIDENTS = ["Incident Number", "Created", "Source", "Opening Code", "Closing Code", "Qualifiers",
             "Initial Classification", "Final Classification", "Result Codes", "Linked Crimes", "Non-Crime Rationale"]
LOG = ["Incident Number", "Entry Time", "Operator", "Entry Text", "Entry Type", "Seq"]
OUTCOMES = ["Crime Ref", "Outcome", "Outcome Date", "Applied By", "Authorised By", "Authoriser Rank", "Named Suspect",
            "Suspect Ref", "Victim View Recorded", "Victim Informed", "Victim Informed Date", "Outcome Rationale"]
#: Exampleshire's crimes table holds its outcome columns (the mapping reads them as the outcomes table)
CRIMES = ["Incident Number", "Crime Ref", "HO Code", "Date Recorded", "Status", "Victim Ref", "Flags", "Offender Refs",
          "Disclosure Refs", "Hate Perceived", "Hate Strands", "Religion Flags", "Metal Theft Flags", "Online",
          "Victim Wishes", "DA Risk", "Delay Rationale", "Delay Overseen By"] + OUTCOMES[1:]
#: the same mapping for a force that exports outcomes as a table of their own
OWN_OUTCOMES = MAPPING.model_copy(update={"tables": MAPPING.tables.model_copy(update={
    "outcomes": MAPPING.tables.outcomes.model_copy(update={"file": ["outcomes*"], "sheet": None})})})
RECLASSIFICATIONS = ["Crime Ref", "From", "To", "Reclassified", "Reclassified By", "Justification"]
DISCLOSURES = ["Incident Number", "Disclosure Ref", "Disclosed", "HO Code", "Victim Refs", "Offender Refs",
               "Reported By", "Victim Confirmed"]
N100S = ["Incident Number", "N100 Ref", "Disclosure Ref", "Created", "N100 Code", "Status", "Cancelled", "Cancelled By",
         "Cancellation Reason", "Reclassified From", "Reclassified", "Reclassified By", "Investigation Begun"]


def incident(number: str, created: str = "14/03/2025 23:12:40", closing: str = "DOM", **cells) -> list[str]:
    row = dict(zip(INCIDENTS, [number, created, "999", "ASSAULT", closing, "DA", "ASSAULT", "DOMESTIC - NO CRIME",
                               "NFA", "", ""]))
    row.update(cells)
    return [row[column] for column in INCIDENTS]


def crime(number: str, reference: str, **cells) -> list[str]:
    row = dict.fromkeys(CRIMES, "")
    row.update({"Incident Number": number, "Crime Ref": reference, "HO Code": "105A",
                "Date Recorded": "15/03/2025 09:00:00", "Status": "LIVE"}, **cells)
    return [row[column] for column in CRIMES]


def outcome(reference: str, code: str = "EVD", decided: str = "20/04/2026 16:00:00", **cells) -> list[str]:
    """An outcomes row of a table of its own (OWN_OUTCOMES)."""
    row = dict.fromkeys(OUTCOMES, "")
    row.update({"Crime Ref": reference, "Outcome": code, "Outcome Date": decided}, **cells)
    return [row[column] for column in OUTCOMES]


def finalised(number: str, reference: str, code: str = "EVD", decided: str = "20/04/2026 16:00:00", **cells):
    """A crimes row with its outcome columns filled, as Exampleshire exports them."""
    return crime(number, reference, Outcome=code, **{"Outcome Date": decided}, **cells)


def table(path: Path, header: list[str], rows: list[list[str]], encoding="utf-8", delimiter=",") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def read(*paths: Path, mapping=MAPPING) -> tuple[list, Intake]:
    intake = Intake(mapping=mapping)
    return list(intake.read([str(p) for p in paths])), intake


def accepted(items) -> dict:
    return {item.incident.id: item.incident for item in items if isinstance(item, Accepted)}


def test_the_log_joins_its_incident_whatever_the_row_order(tmp_path):
    incidents = table(tmp_path / "incidents.csv", INCIDENTS, [incident("A"), incident("B")])
    log = table(tmp_path / "log-entries.csv", LOG, [
        ["B", "14/03/2025 23:20:00", "PC1", "B FIRST", "RMK", "1"],
        ["A", "14/03/2025 23:13:00", "CH1", "A FIRST", "RMK", "1"],
        ["B", "14/03/2025 23:30:00", "PC1", "B SECOND", "DSP", "2"]])
    items, intake = read(incidents, log)
    found = accepted(items)
    assert [e.text for e in found["B"].log] == ["B FIRST", "B SECOND"]
    assert [e.kind for e in found["B"].log] == ["remark", "disposal"]
    assert [e.text for e in found["A"].log] == ["A FIRST"]
    assert found["A"].log[0].at.isoformat() == "2025-03-14T23:13:00+00:00"
    assert "log_entries: 3 rows read = 3 used + 0 rejected" in intake.table_counts()


@pytest.mark.parametrize("order", ["ascending", "descending", "mixed"])
def test_incidents_in_any_order_get_their_own_rows(tmp_path, order):
    """Related rows are merged in key order while the incidents ascend, and looked up when one does not: either
    way each incident gets its rows, in file order, and keys between them (joining nothing) are skipped."""
    keys = {"ascending": ["A", "C", "E", "G"], "descending": ["G", "E", "C", "A"], "mixed": ["C", "A", "G", "E"]}[order]
    incidents = table(tmp_path / "incidents.csv", INCIDENTS, [incident(key) for key in keys])
    log = table(tmp_path / "log-entries.csv", LOG, [
        [key, f"14/03/2025 23:{minute:02d}:00", "CH1", f"{key} {minute}", "RMK", str(minute)]
        for minute, key in enumerate("GAEBCAGFCE", start=13)])
    items, intake = read(incidents, log)
    found = accepted(items)
    assert {key: [e.text for e in found[key].log] for key in keys} == {
        "A": ["A 14", "A 18"], "C": ["C 17", "C 21"], "E": ["E 15", "E 22"], "G": ["G 13", "G 19"]}
    assert "log_entries: 10 rows read = 8 used + 2 rejected, 2 of them joining no record" in intake.table_counts()


def test_a_code_means_what_it_meant_on_the_incidents_date(tmp_path):
    """Exampleshire's DOM was a crime-related incident until March 2025, and 'domestic - no crime' after."""
    items, _ = read(table(tmp_path / "incidents.csv", INCIDENTS, [
        incident("BEFORE", "31/03/2025 23:59:59"), incident("AFTER", "01/04/2025 00:00:00")]))
    means = {i: {(r.field, r.code): r.means for r in inc.code_readings} for i, inc in accepted(items).items()}
    assert means["BEFORE"][("closing_code", "DOM")] == ["domestic_abuse", "crime_related_incident"]
    assert means["AFTER"][("closing_code", "DOM")] == ["domestic_abuse", "no_crime"]


def test_the_change_date_is_the_local_date_not_utc(tmp_path):
    """00:30 on 1 April 2025 in London (BST from 30 March) is still 31 March in UTC: the force's date counts."""
    items, _ = read(table(tmp_path / "incidents.csv", INCIDENTS, [incident("EARLY", "01/04/2025 00:30:00")]))
    [found] = accepted(items).values()
    assert found.received_at.utcoffset().total_seconds() == 3600
    assert {(r.field, r.code): r.means for r in found.code_readings}[("closing_code", "DOM")] == [
        "domestic_abuse", "no_crime"]


def test_an_uncovered_code_or_qualifier_is_kept_without_meaning_and_counted(tmp_path):
    items, intake = read(table(tmp_path / "incidents.csv", INCIDENTS, [
        incident("A", closing="NEWCODE", Qualifiers="DA;ZZ")]))
    [found] = accepted(items).values()
    readings = {(r.field, r.code): r.means for r in found.code_readings}
    assert readings[("closing_code", "NEWCODE")] == [] and readings[("qualifier", "ZZ")] == []
    assert found.qualifiers == ["domestic_abuse"]
    translate = intake.readers[0].translate
    assert translate.uncovered_codes[("closing_code", "NEWCODE")] == 1
    assert translate.uncovered_values[("qualifiers", "ZZ")] == 1


def test_a_bad_row_is_reported_with_file_row_and_column_and_the_rest_is_read(tmp_path):
    incidents = table(tmp_path / "incidents.csv", INCIDENTS, [
        incident("A"), incident("B", "14/03/2025"), incident("C", Source="PIGEON")])
    log = table(tmp_path / "log-entries.csv", LOG, [["A", "yesterday", "CH1", "TEXT", "RMK", "1"],
                                                     ["A", "14/03/2025 23:20:00", "CH1", "TEXT", "GOSSIP", "2"]])
    items, intake = read(incidents, log)
    errors = {item.record: item for item in items if isinstance(item, InputError)}
    assert sorted(errors) == ["A", "B", "C"]
    assert [field for field, _ in errors["A"].problems] == [f"{log} row 2: Entry Time", f"{log} row 3: Entry Type"]
    assert (errors["B"].source, errors["B"].line, errors["B"].problems[0][0]) == (str(incidents), 3, "Created")
    assert len(errors["B"].problems) == 1   # the unreadable time, not also "Created: field required"
    assert "not a date and time" in errors["B"].problems[0][1]   # a date alone is never read as midnight
    assert errors["C"].problems[0][0] == "Source"
    counts = intake.table_counts()
    assert "incidents: 3 rows read = 0 used + 3 rejected" in counts
    assert "log_entries: 2 rows read = 0 used + 2 rejected" in counts


def test_rows_that_join_no_incident_are_reported_never_dropped(tmp_path):
    incidents = table(tmp_path / "incidents.csv", INCIDENTS, [incident("A")])
    crimes = table(tmp_path / "crimes.csv", CRIMES, [crime("A", "CR1"), crime("GHOST", "CR2")])
    items, intake = read(incidents, crimes)
    [orphan] = [item for item in items if isinstance(item, InputError)]
    assert (orphan.source, orphan.line) == (str(crimes), 3)
    assert "'GHOST' joins no incident" in orphan.problems[0][1]
    assert "crimes: 2 rows read = 1 used + 1 rejected, 1 of them joining no record" in intake.table_counts()
    assert [c.reference for c in accepted(items)["A"].crime_records] == ["CR1"]


def test_an_incident_given_twice_is_reported_with_where_it_first_was(tmp_path):
    items, _ = read(table(tmp_path / "incidents.csv", INCIDENTS, [incident("A"), incident("A")]))
    assert isinstance(items[0], Accepted) and isinstance(items[1], InputError)
    assert "first at" in items[1].problems[0][1] and "row 2" in items[1].problems[0][1]


def test_a_mapped_column_missing_from_the_header_stops_the_run(tmp_path):
    path = table(tmp_path / "incidents.csv", INCIDENTS[:-1], [incident("A")[:-1]])
    with pytest.raises(InputError, match="Non-Crime Rationale: no such column"):
        read(path)


def test_a_file_matching_no_table_is_reported(tmp_path):
    incidents = table(tmp_path / "incidents.csv", INCIDENTS, [incident("A")])
    other = table(tmp_path / "elsewhere.csv", ["x"], [["1"]])
    items, _ = read(incidents, other)
    assert any(isinstance(i, InputError) and i.source == str(other) and "matches no table" in str(i) for i in items)


def test_without_an_incidents_table_nothing_can_be_joined(tmp_path):
    with pytest.raises(HocrError, match="no incidents table"):
        read(table(tmp_path / "log-entries.csv", LOG, [["A", "14/03/2025 23:13:00", "CH1", "T", "RMK", "1"]]))


@pytest.mark.parametrize(("encoding", "delimiter"), [("utf-8-sig", ","), ("cp1252", ";"), ("utf-8", "\t"),
                                                     ("utf-8", "|")])
def test_csv_as_excel_and_other_tools_save_it(tmp_path, encoding, delimiter):
    incidents = table(tmp_path / "incidents.csv", INCIDENTS, [incident("A", **{"Non-Crime Rationale": "£5 café"})],
                      encoding=encoding, delimiter=delimiter)
    items, _ = read(incidents)
    assert accepted(items)["A"].non_crime_rationale == "£5 café"


def test_gzip_compressed_tables_are_read_through(tmp_path):
    plain = table(tmp_path / "incidents.csv", INCIDENTS, [incident("A")])
    packed = tmp_path / "incidents.csv.gz"
    with plain.open("rb") as source, gzip.open(packed, "wb") as target:
        shutil.copyfileobj(source, target)
    plain.unlink()
    items, _ = read(packed)
    assert list(accepted(items)) == ["A"]


def test_a_damaged_gzip_file_is_reported(tmp_path):
    path = tmp_path / "incidents.csv.gz"
    path.write_bytes(gzip.compress(b"Incident Number\n" * 1000)[:60])
    items, _ = read(path)
    assert [(i.source, i.problems[0][0]) for i in items] == [(str(path), "file")]
    assert "cannot be read" in items[0].problems[0][1]


def test_an_empty_csv_is_reported(tmp_path):
    path = tmp_path / "incidents.csv"
    path.write_text("")
    items, _ = read(path)
    assert len(items) == 1 and "the file is empty" in str(items[0])


def test_a_csv_without_a_mapping_says_to_give_one():
    items = list(Intake().read([str(EXAMPLES / "csv" / "incidents.csv")]))
    assert len(items) == 1 and "--mapping" in str(items[0])


def _ids_and_logs(items) -> dict:
    return {i: (inc.received_at, [(e.at, e.text, e.kind, e.sequence) for e in inc.log],
                [(c.reference, c.recorded_at, c.status, c.cancellation, c.outcome, c.classification_history)
                 for c in inc.crime_records],
                inc.code_readings, inc.people, inc.disclosures, inc.n100s) for i, inc in accepted(items).items()}


def test_the_workbook_reads_the_same_as_the_csv_set(tmp_path):
    from_csv, _ = read(*sorted((EXAMPLES / "csv").glob("*.csv")))
    from_xlsx, _ = read(EXAMPLES / "xlsx" / "exampleshire-export.xlsx")
    assert len(accepted(from_csv)) == 15
    assert _ids_and_logs(from_xlsx) == _ids_and_logs(from_csv)


def test_a_fresh_workbook_from_the_generator_reads_the_same(tmp_path):
    pytest.importorskip("openpyxl")
    import importlib.util
    spec = importlib.util.spec_from_file_location("make_workbook", EXAMPLES / "make_workbook.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    target = tmp_path / "fresh-export.xlsx"
    module.write(target)
    from_csv, _ = read(*sorted((EXAMPLES / "csv").glob("*.csv")))
    fresh, _ = read(target)
    assert _ids_and_logs(fresh) == _ids_and_logs(from_csv)


def test_a_workbook_without_the_named_sheet_is_reported(tmp_path):
    pytest.importorskip("openpyxl")
    from openpyxl import Workbook
    book = Workbook()
    book.active.title = "Something"
    book.active.append(INCIDENTS)
    path = tmp_path / "my-export.xlsx"
    book.save(path)
    items, _ = read(path)
    assert any(isinstance(i, InputError) and "no sheet 'Incidents'" in str(i) for i in items)


# ---------------------------------------------------------------- a crime's outcome and reclassifications, N100s
def crimes_with(tmp_path, rows: list[list[str]], *more: Path) -> tuple[list, Intake, Path]:
    """Incidents A and B, each with one crime (CRA, CRB) given in `rows` or plain."""
    incidents = table(tmp_path / "incidents.csv", INCIDENTS, [incident("A"), incident("B")])
    crimes = table(tmp_path / "crimes.csv", CRIMES, rows or [crime("A", "CRA"), crime("B", "CRB")])
    items, intake = read(incidents, crimes, *more)
    return items, intake, crimes


def test_outcome_columns_of_the_crimes_table_fill_its_outcome_with_their_values_mapped(tmp_path):
    items, intake, _ = crimes_with(tmp_path, [finalised("A", "CRA", **{
        "Applied By": "OIC", "Authoriser Rank": "INSP", "Named Suspect": "Y", "Victim View Recorded": "N",
        "Victim Informed": "U", "Victim Informed Date": "19/04/2026 09:00:00", "Outcome Rationale": "why"}),
        crime("B", "CRB")])
    found = accepted(items)
    [record] = found["A"].crime_records
    assert record.outcome.model_dump(exclude_none=True) == {
        "type": "16", "decided_at": record.outcome.decided_at, "authoriser_rank": "inspector",
        "named_suspect": "yes", "victim_view_recorded": "no", "rationale": "why", "decided_by": "investigating_officer",
        "victim_informed": "not_known", "victim_informed_at": record.outcome.victim_informed_at}
    assert record.outcome.decided_at.isoformat() == "2026-04-20T16:00:00+01:00"
    assert found["B"].crime_records[0].outcome is None   # its outcome columns empty: still open
    assert "outcomes: 2 rows read = 2 used + 0 rejected" in intake.table_counts()
    assert intake.readers[0].unmapped_columns[str(tmp_path / "crimes.csv")] == []   # each column read by one table


def test_an_outcome_code_means_what_it_meant_on_the_local_day_it_was_applied(tmp_path):
    """Exampleshire's EVD was outcome 15 until March 2026 and 16 from April. 00:30 on 1 April 2026 in London is
    still 31 March in UTC; an outcome without its date is read on the incident's (2025: the first list)."""
    incidents = table(tmp_path / "incidents.csv", INCIDENTS, [incident(key) for key in "ABCD"])
    crimes = table(tmp_path / "crimes.csv", CRIMES, [
        finalised("A", "CRA", decided="31/03/2026 23:59:59"), finalised("B", "CRB", decided="01/04/2026 00:30:00"),
        finalised("C", "CRC", decided=""), finalised("D", "CRD", "ZZZ")])
    items, intake = read(incidents, crimes)
    types = {key: found.crime_records[0].outcome.type for key, found in accepted(items).items()}
    assert types == {"A": "15", "B": "16", "C": "15", "D": "ZZZ"}   # ZZZ: for OC16 to report, not dropped
    assert intake.readers[0].translate.uncovered_values[("type", "ZZZ")] == 1


def test_a_bad_outcome_is_reported_with_file_row_and_column_and_the_rest_is_read(tmp_path):
    items, intake, crimes = crimes_with(tmp_path, [
        finalised("A", "CRA", decided="31/02/2026 10:00:00", **{"Authoriser Rank": "GOLD", "Named Suspect": "MAYBE"}),
        finalised("B", "CRB", **{"Authoriser Rank": "PS"})])
    [error] = [item for item in items if isinstance(item, InputError)]
    assert error.record == "A"
    assert sorted(field for field, _ in error.problems) == [f"{crimes} row 2: Authoriser Rank",
                                                             f"{crimes} row 2: Named Suspect",
                                                             f"{crimes} row 2: Outcome Date"]
    assert accepted(items)["B"].crime_records[0].outcome.authoriser_rank == "sergeant"
    assert "outcomes: 2 rows read = 1 used + 1 rejected" in intake.table_counts()


def test_outcomes_as_a_table_of_their_own_a_second_one_and_one_joining_no_crime_reported(tmp_path):
    incidents = table(tmp_path / "incidents.csv", INCIDENTS, [incident("A"), incident("B")])
    crimes = table(tmp_path / "crimes.csv", CRIMES, [crime("A", "CRA"), crime("B", "CRB")])
    outcomes = table(tmp_path / "outcomes.csv", OUTCOMES, [
        outcome("CRB", "CHG"), outcome("CRA"), outcome("CRA", "CHG"), outcome("GHOST")])
    items, intake = read(incidents, crimes, outcomes, mapping=OWN_OUTCOMES)
    assert accepted(items)["B"].crime_records[0].outcome.type == "1"
    errors = [item for item in items if isinstance(item, InputError)]
    assert [(e.record, e.problems[0][0]) for e in errors] == [("A", f"{outcomes} row 4: Crime Ref"),
                                                              (None, "Crime Ref")]
    assert "a second outcome for crime 'CRA'" in errors[0].problems[0][1]
    assert (errors[1].source, errors[1].line) == (str(outcomes), 5)
    assert "'GHOST' joins no crime record" in errors[1].problems[0][1]
    assert "outcomes: 4 rows read = 1 used + 3 rejected, 1 of them joining no record" in intake.table_counts()


def test_a_csv_two_tables_match_by_different_patterns_is_still_refused(tmp_path):
    mapping = MAPPING.model_copy(update={"tables": MAPPING.tables.model_copy(update={
        "outcomes": MAPPING.tables.outcomes.model_copy(update={"file": ["*crimes.csv"]})})})
    incidents = table(tmp_path / "incidents.csv", INCIDENTS, [incident("A")])
    crimes = table(tmp_path / "crimes.csv", CRIMES, [crime("A", "CRA")])
    with pytest.raises(HocrError, match="matches the tables crimes, outcomes"):
        read(incidents, crimes, mapping=mapping)


def test_reclassifications_are_the_crimes_history_in_file_order(tmp_path):
    history = table(tmp_path / "reclassifications.csv", RECLASSIFICATIONS, [
        ["CRA", "105A", "8N", "16/03/2025 10:00:00", "DDM", "injury seen at the hospital"],
        ["CRA", "8N", "5D", "17/03/2025 10:00:00", "FCR", ""]])
    items, intake, _ = crimes_with(tmp_path, [], history)
    found = accepted(items)
    assert [(r.from_offence, r.to_offence, r.by, r.rationale) for r in found["A"].crime_records[0]
            .classification_history] == [("105A", "8N", "designated_decision_maker", "injury seen at the hospital"),
                                         ("8N", "5D", "force_crime_registrar", None)]
    assert found["B"].crime_records[0].classification_history == []   # the table given: never reclassified
    assert "reclassifications: 2 rows read = 2 used + 0 rejected" in intake.table_counts()


def test_a_bad_reclassification_is_reported_with_its_own_row(tmp_path):
    history = table(tmp_path / "reclassifications.csv", RECLASSIFICATIONS, [
        ["CRA", "105A", "8N", "16/03/2025 10:00:00", "DDM", "ok"], ["CRA", "8N", "5D", "17/03/2025", "JANITOR", ""]])
    items, _, _ = crimes_with(tmp_path, [], history)
    [error] = [item for item in items if isinstance(item, InputError)]
    assert sorted(field for field, _ in error.problems) == [f"{history} row 3: Reclassified",
                                                             f"{history} row 3: Reclassified By"]


def test_crime_flags_strands_and_sub_flags_are_mapped_and_a_bad_one_located(tmp_path):
    incidents = table(tmp_path / "incidents.csv", INCIDENTS, [incident("A"), incident("B")])
    crimes = table(tmp_path / "crimes.csv", CRIMES, [
        crime("A", "CRA", Flags="HATE;MT;ONL", **{"Hate Perceived": "REL;RACE", "Hate Strands": "REL",
                                                   "Religion Flags": "JEW", "Metal Theft Flags": "INFRA",
                                                   "Online": "Y", "Victim Wishes": "NOCONTACT", "DA Risk": "HIGH",
                                                   "Delay Rationale": "awaiting the FCR", "Delay Overseen By": "FCR"}),
        crime("B", "CRB", **{"Religion Flags": "PASTAFARIAN", "Online": "SOMETIMES"})])
    items, _ = read(incidents, crimes)
    [record] = accepted(items)["A"].crime_records
    assert (record.flags, record.hate_perceived, record.hate_strands, record.religion_flags,
            record.metal_theft_flags, record.online_element, record.victim_wishes, record.domestic_abuse_risk,
            record.delay_rationale, record.delay_overseen_by) == (
        ["hate_crime", "metal_theft", "online_crime"], ["religion", "race"], ["religion"], ["jewish"],
        ["infrastructure"], "yes", "not_contactable", "high", "awaiting the FCR", "force_crime_registrar")
    [error] = [item for item in items if isinstance(item, InputError)]
    assert sorted(field for field, _ in error.problems) == [f"{crimes} row 3: Online", f"{crimes} row 3: Religion Flags"]


def test_an_n100_reads_its_own_status_map_and_dated_codes(tmp_path):
    """N100 status has a map of its own (`n100_status`): the crimes' `status` map (LIVE, TRANSFERRED) is not
    applied to it."""
    incidents = table(tmp_path / "incidents.csv", INCIDENTS, [incident("A"), incident("B")])
    disclosures = table(tmp_path / "disclosures.csv", DISCLOSURES, [
        [key, "D1", "14/03/2025 23:12:40", "019/08", "", "", "TP", "N"] for key in "AB"])
    n100s = table(tmp_path / "n100s.csv", N100S, [
        ["A", "N1", "D1", "15/03/2025 09:00:00", "N1", "CANCELLED", "16/03/2025 09:00:00", "OIC", "DUP", "", "", "",
         ""],
        ["B", "N1", "D1", "15/03/2025 09:00:00", "N7", "LIVE", "", "", "", "CR9", "15/03/2025 08:00:00", "FCR", "Y"]])
    items, intake = read(incidents, disclosures, n100s)
    [n100] = accepted(items)["A"].n100s
    assert (n100.reason, n100.status, n100.cancelled_by, n100.cancellation_reason) == (
        "N100/01", "cancelled", "investigating_officer", "duplicate")
    [error] = [item for item in items if isinstance(item, InputError)]
    assert [field for field, _ in error.problems] == [f"{n100s} row 3: Status"]   # LIVE is a crime's status
    assert intake.readers[0].translate.uncovered_values[("reason", "N7")] == 1
    assert intake.readers[0].translate.uncovered_values[("n100_status", "LIVE")] == 1


def test_a_list_of_times_is_read_item_by_item(tmp_path):
    """A course of conduct's occasions in one cell: each a time in the mapping's formats, or the cell is
    reported."""
    mapping = tmp_path / "force.mapping.yaml"
    mapping.write_text(f"""\
force: Testshire
date_formats: ["%d/%m/%Y %H:%M"]
tables:
  incidents: {{file: incidents.csv, columns: {{id: Id, received_at: Created, channel: Source}}}}
  disclosures:
    file: disclosures.csv
    columns: {{incident: Id, id: Ref, offence: HO Code, reported_by: By, occasions: Occasions}}
""")
    incidents = table(tmp_path / "incidents.csv", ["Id", "Created", "Source"], [
        ["A", "14/03/2025 23:12", "other"], ["B", "14/03/2025 23:12", "other"]])
    disclosures = table(tmp_path / "disclosures.csv", ["Id", "Ref", "HO Code", "By", "Occasions"], [
        ["A", "D1", "8L", "victim", "01/03/2025 10:00;08/03/2025 11:30"],
        ["B", "D1", "8L", "victim", "01/03/2025 10:00;last week"]])
    intake = Intake(mapping=load_mapping(mapping))
    items = list(intake.read([str(incidents), str(disclosures)]))
    [disclosure] = accepted(items)["A"].disclosures
    assert [o.isoformat() for o in disclosure.occasions] == ["2025-03-01T10:00:00+00:00", "2025-03-08T11:30:00+00:00"]
    [error] = [item for item in items if isinstance(item, InputError)]
    assert error.problems[0][0] == f"{disclosures} row 3: Occasions"
