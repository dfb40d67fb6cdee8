"""Force mapping files are read like rule files: safe YAML, unknown keys refused with the nearest valid key and
its line, fields checked against the model, dated code lists in order, and the published JSON Schema current."""

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from hocr_rules.errors import RuleFileError
from hocr_rules.intake.mapping import json_schema, load_mapping

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "exports" / "exampleshire.mapping.yaml"
MINIMAL = """\
force: Testshire
tables:
  incidents:
    file: incidents.csv
    columns:
      id: Incident Number
      received_at: Created
      channel: Source
codes:
  closing_code:
    - from: 2020-01-01
      note: the first list
      codes:
        DOM: [domestic_abuse]
"""


def refused(tmp_path: Path, text: str) -> RuleFileError:
    path = tmp_path / "force.mapping.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_mapping(path)
    return caught.value


def line_with(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)


def test_the_example_mapping_and_a_minimal_one_load(tmp_path):
    assert load_mapping(EXAMPLE).force.startswith("Exampleshire")
    path = tmp_path / "m.yaml"
    path.write_text(MINIMAL)
    mapping = load_mapping(path)
    assert mapping.tables.incidents.file == ["incidents.csv"] and mapping.timezone == "Europe/London"


def test_a_misspelt_key_is_refused_with_its_line_and_the_nearest_key(tmp_path):
    text = MINIMAL.replace("force: Testshire", "force: Testshire\ntimezon: Europe/London")
    error = refused(tmp_path, text)
    assert error.line == line_with(text, "timezon")
    assert "unknown key 'timezon'" in error.message and "did you mean 'timezone'" in error.message


def test_a_column_for_a_field_the_table_does_not_have_is_refused(tmp_path):
    error = refused(tmp_path, MINIMAL.replace("      channel: Source", "      chanel: Source"))
    assert "'chanel' is not a field of incidents" in error.message


def test_a_table_without_its_joining_column_is_refused(tmp_path):
    text = MINIMAL.replace("      channel: Source\n", "      channel: Source\n  log_entries:\n    file: log.csv\n"
                                                      "    columns:\n      text: Entry Text\n")
    error = refused(tmp_path, text)
    assert "map 'incident'" in error.message


def test_a_meaning_outside_the_shared_vocabulary_is_refused(tmp_path):
    text = MINIMAL.replace("[domestic_abuse]", "[domestic_violence]")
    error = refused(tmp_path, text)
    assert error.line == line_with(text, "domestic_violence")
    assert error.key == "codes.closing_code.0.codes.DOM.0"


def test_a_value_map_to_something_not_a_model_value_is_refused(tmp_path):
    error = refused(tmp_path, MINIMAL + "values:\n  channel: {'999': phone}\n")
    assert error.key.startswith("values.channel")


def test_code_lists_out_of_date_order_are_refused(tmp_path):
    text = MINIMAL + "    - from: 2019-01-01\n      note: older\n      codes: {}\n"
    assert "in date order" in refused(tmp_path, text).message


def test_an_unknown_time_zone_is_refused(tmp_path):
    assert "not a time zone" in refused(tmp_path, MINIMAL + "timezone: Europe/Londn\n").message


def test_a_missing_mapping_file_is_reported(tmp_path):
    with pytest.raises(RuleFileError, match="no such mapping file"):
        load_mapping(tmp_path / "nowhere.yaml")


# Hostile files (tags, aliases, nesting, size, duplicate keys) are refused by the harness every YAML kind
# shares: tests/reliability/test_hostile_yaml.py.


# ---------------------------------------------------------------- the published schema
def test_the_published_schema_is_the_models_and_valid_draft_07():
    published = json.loads((REPO / "schemas" / "mapping.schema.json").read_text())
    assert published == json_schema(), "regenerate: hocr mapping schema > schemas/mapping.schema.json"
    jsonschema.Draft7Validator.check_schema(published)
    assert published["$id"] == ("https://raw.githubusercontent.com/hocr-rules/hocr-rules/main/schemas/"
                                "mapping.schema.json")


def test_the_example_mapping_is_valid_against_the_schema_and_names_it():
    text = EXAMPLE.read_text()
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../../schemas/mapping.schema.json"
    schema = json.loads((REPO / "schemas" / "mapping.schema.json").read_text())
    document = yaml.load(text, Loader=yaml.BaseLoader)  # dates as text, as the mapping reader keeps them
    jsonschema.validate(document, schema)


# ---------------------------------------------------------------- every field a column can fill, with its values
def test_every_field_with_a_closed_set_of_values_has_a_value_map():
    """A force writes its own values (Y/N/U, its rank abbreviations, its flag codes): every model field a column
    fills whose values are a closed set can be translated by a `values` map, under the field's name or the one
    `value_key` gives where two tables share a name with different values (a crime's and an N100's status)."""
    from typing import Literal, get_args, get_origin

    from hocr_rules.intake.mapping import TABLES, Values, mappable_fields, value_key

    def closed(annotation) -> set:
        if get_origin(annotation) is Literal:
            return set(get_args(annotation))
        return set().union(*map(closed, get_args(annotation)))

    missing, wrong = [], []
    for table, (model, key) in TABLES.items():
        for field in mappable_fields(table)[1:]:
            values = closed(model.model_fields[field].annotation)
            if not values:
                continue
            name = value_key(table, field)
            if name not in Values.model_fields:
                missing.append(f"{table}.{field}")
            elif closed(Values.model_fields[name].annotation) != values:
                wrong.append(f"{table}.{field} -> values.{name}")
    assert missing == [] and wrong == []


def test_dated_value_lists_out_of_date_order_are_refused(tmp_path):
    text = MINIMAL + """values:
  type:
    - {from: 2026-04-01, note: the new list, values: {EVD: "16"}}
    - {from: 2020-01-01, note: the old list, values: {EVD: "15"}}
"""
    assert "in date order" in refused(tmp_path, text).message
