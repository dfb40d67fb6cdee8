"""`hocr mapping init | check | schema` and `--mapping` as a person uses them."""

import json
import shutil
from pathlib import Path

import yaml
from typer.testing import CliRunner

from cli.main import app
from hocr_rules.intake.mapping import json_schema

REPO = Path(__file__).resolve().parents[2]
EXPORTS = REPO / "examples" / "exports"
MAPPING = EXPORTS / "exampleshire.mapping.yaml"
RUNNER = CliRunner()
WIDE = {"COLUMNS": "1000"}


def hocr(*args):
    return RUNNER.invoke(app, [str(a) for a in args], env=WIDE)


def csv_set(tmp_path: Path) -> list[Path]:
    for path in (EXPORTS / "csv").glob("*.csv"):
        shutil.copy(path, tmp_path / path.name)
    return sorted(tmp_path.glob("*.csv"))


def test_check_of_the_example_export_finds_everything_covered():
    result = hocr("mapping", "check", MAPPING, *sorted((EXPORTS / "csv").glob("*.csv")), EXPORTS / "storm" /
                  "storm-logs.txt")
    assert result.exit_code == 0, result.output
    assert "every column is mapped and every value and code is covered" in result.output
    assert "log_entries: 32 rows read = 32 used + 0 rejected" in result.output


def test_check_counts_what_the_mapping_does_not_cover(tmp_path):
    files = csv_set(tmp_path)
    incidents = tmp_path / "incidents.csv"
    text = incidents.read_text(encoding="utf-8-sig").replace(",ADVICE,", ",NEWCODE,").replace(
        "Linked Crimes", "Linked Crimes,Officer Notes").replace("\r\n", ",\r\n").replace("Notes,\r\n", "Notes\r\n")
    incidents.write_text(text, encoding="utf-8-sig")
    result = hocr("mapping", "check", MAPPING, *files)
    assert result.exit_code == 1, result.output
    assert "NEWCODE" in result.output and "closing_code" in result.output


def test_init_drafts_a_mapping_that_names_every_table_and_column(tmp_path):
    files = csv_set(tmp_path)
    out = tmp_path / "draft.yaml"
    result = hocr("mapping", "init", *files, "-o", out)
    assert result.exit_code == 0, result.output
    draft = yaml.safe_load(out.read_text())
    assert set(draft["tables"]) == {"incidents", "log_entries", "people", "disclosures", "crimes", "cancellations",
                                    "outcomes", "reclassifications", "n100s"}
    assert draft["tables"]["incidents"]["columns"]["id"] == "Incident Number"
    assert draft["tables"]["log_entries"]["columns"]["incident"] == "Incident Number"
    for table in ("cancellations", "outcomes", "reclassifications"):
        assert draft["tables"][table]["columns"]["crime"] == "Crime Ref"
    assert "not mapped" not in out.read_text(), "every column of the example export is guessed"


def test_init_knows_the_common_names_of_outcome_n100_and_reclassification_columns(tmp_path):
    """The draft's guesses, as the example mapping (checked by hand) maps the same columns."""
    files = csv_set(tmp_path)
    hocr("mapping", "init", *files, "-o", tmp_path / "draft.yaml")
    draft = yaml.safe_load((tmp_path / "draft.yaml").read_text())["tables"]
    example = yaml.safe_load(MAPPING.read_text())["tables"]
    for table in ("outcomes", "reclassifications", "n100s", "disclosures", "crimes"):
        assert draft[table]["columns"] == example[table]["columns"], table
    assert draft["outcomes"]["file"] == "crimes.csv"   # the outcome columns of the crimes table
    odd = tmp_path / "odd"
    odd.mkdir()
    (odd / "crime-outcomes.csv").write_text("Crime Number,Outcome Code,Date Finalised,Authorising Officer,"
                                            "Authorising Rank,Victim Informed of Outcome,Offence Charged\n")
    (odd / "reclassifications.csv").write_text("Crime Number,Previous Classification,New Classification,"
                                               "Reclassification Date,Reason for Reclassification\n")
    (odd / "n100-register.csv").write_text("Incident No,N100 Reason,N100 Status,Date Cancelled\n")
    (odd / "crimes.csv").write_text("Incident No,Crime Number,Hate Crime Strands,Religion Sub-Flag,"
                                    "Metal Theft Type,Online Flag,DASH Risk,Delay Reason\n")
    hocr("mapping", "init", *sorted(odd.glob("*.csv")), "-o", odd / "draft.yaml")
    columns = {t: c["columns"] for t, c in yaml.safe_load((odd / "draft.yaml").read_text())["tables"].items()}
    assert columns["outcomes"] == {"crime": "Crime Number", "type": "Outcome Code", "decided_at": "Date Finalised",
                                   "authorised_by": "Authorising Officer", "authoriser_rank": "Authorising Rank",
                                   "victim_informed": "Victim Informed of Outcome",
                                   "charged_offence": "Offence Charged"}
    assert columns["reclassifications"] == {"crime": "Crime Number", "from_offence": "Previous Classification",
                                            "to_offence": "New Classification", "at": "Reclassification Date",
                                            "rationale": "Reason for Reclassification"}
    assert columns["n100s"] == {"incident": "Incident No", "reason": "N100 Reason", "status": "N100 Status",
                                "cancelled_at": "Date Cancelled"}
    assert columns["crimes"] == {"incident": "Incident No", "reference": "Crime Number",
                                 "hate_strands": "Hate Crime Strands", "religion_flags": "Religion Sub-Flag",
                                 "metal_theft_flags": "Metal Theft Type", "online_element": "Online Flag",
                                 "domestic_abuse_risk": "DASH Risk", "delay_rationale": "Delay Reason"}


def test_schema_prints_the_published_schema():
    result = hocr("mapping", "schema")
    assert json.loads(result.stdout) == json_schema()


def test_check_with_mapping_reads_the_export_and_reports_the_tables():
    result = hocr("check", "--mapping", MAPPING, *sorted((EXPORTS / "csv").glob("*.csv")))
    assert result.exit_code == 1, result.output
    assert "15 incidents read: 15 evaluated, 0 rejected" in result.output
    assert "incidents: 15 rows read = 15 used + 0 rejected" in result.output
    assert "outcomes: 3 rows read = 3 used + 0 rejected" in result.output


def test_a_bad_mapping_is_an_error_with_its_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(MAPPING.read_text().replace("list_separator", "list_seperator"))
    result = hocr("check", "--mapping", bad, EXPORTS / "csv" / "incidents.csv")
    assert result.exit_code == 2
    assert "did you mean 'list_separator'" in result.output


def test_audit_and_sample_read_exports_too(tmp_path):
    files = sorted((EXPORTS / "csv").glob("*.csv"))
    audit = hocr("audit", "--mapping", MAPPING, *files)
    assert audit.exit_code == 1 and "review" in audit.output  # figures made; the uncoded crimes are still to judge
    result = hocr("sample", "--mapping", MAPPING, *files, "--size", "3", "--seed", "1", "--out", tmp_path / "s")
    assert result.exit_code == 0, result.output


def test_check_counts_outcome_and_n100_codes_the_mapping_does_not_cover(tmp_path):
    """An outcome code missing from the list in force when it was applied, and an N100 status missing from its
    map, are counted like any value: by the map's name and the force's value."""
    files = csv_set(tmp_path)
    crimes, n100s = tmp_path / "crimes.csv", tmp_path / "n100s.csv"
    crimes.write_text(crimes.read_text().replace(",EVS,", ",EVX,"))
    n100s.write_text(n100s.read_text().replace(",OPEN,", ",PENDING,"))
    result = hocr("mapping", "check", MAPPING, *files)
    assert result.exit_code == 2, result.output   # PENDING is no N100 status: that incident is rejected
    rows = [line.split("│") for line in result.output.splitlines() if "│" in line]
    cells = [[cell.strip() for cell in row if cell.strip()] for row in rows]
    assert ["type", "EVX", "1"] in cells and ["n100_status", "PENDING", "1"] in cells
    assert "Status" in result.output and "n100s.csv row 3" in result.output
