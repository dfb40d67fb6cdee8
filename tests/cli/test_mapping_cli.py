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
    assert set(draft["tables"]) == {"incidents", "log_entries", "people", "crimes", "cancellations"}
    assert draft["tables"]["incidents"]["columns"]["id"] == "Incident Number"
    assert draft["tables"]["log_entries"]["columns"]["incident"] == "Incident Number"
    assert draft["tables"]["cancellations"]["columns"]["crime"] == "Crime Ref"


def test_schema_prints_the_published_schema():
    result = hocr("mapping", "schema")
    assert json.loads(result.stdout) == json_schema()


def test_check_with_mapping_reads_the_export_and_reports_the_tables():
    result = hocr("check", "--mapping", MAPPING, *sorted((EXPORTS / "csv").glob("*.csv")))
    assert result.exit_code == 1, result.output
    assert "12 incidents read: 12 evaluated, 0 rejected" in result.output
    assert "incidents: 12 rows read = 12 used + 0 rejected" in result.output


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
