"""The JSON Schemas shipped in schemas/ for editors: what `hocr schema` prints, draft-07 with a real `$id`,
pointed at by the first line of every rule file, accepting our files and refusing broken ones."""

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from cli.main import app
from hocr_rules.rulebook import json_schema, yamlfile
from hocr_rules.rulebook.pack import DEFAULT_RULES, PARAMETERS_FILE

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / json_schema.FOLDER
RULE_FILES = sorted(p for p in DEFAULT_RULES.glob("*.yaml") if p.name != PARAMETERS_FILE)
PROFILE_EXAMPLES = re.findall(r"^```yaml\n(.*?)^```", (ROOT / "docs" / "profiles.md").read_text(encoding="utf-8"),
                              re.S | re.M)


def shipped(which: str) -> dict:
    return json.loads((SCHEMAS / json_schema.SHIPPED[which][0]).read_text(encoding="utf-8"))


def validator(which: str) -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(shipped(which), format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


@pytest.mark.parametrize("which", sorted(json_schema.SHIPPED))
def test_the_shipped_schema_is_what_hocr_schema_prints(which):
    printed = CliRunner().invoke(app, ["schema", which])
    assert printed.exit_code == 0
    file_name = json_schema.SHIPPED[which][0]
    assert (SCHEMAS / file_name).read_text(encoding="utf-8") == printed.stdout, \
        f"schemas/{file_name} is stale: regenerate it with `hocr schema {which} > schemas/{file_name}`"


@pytest.mark.parametrize("which", sorted(json_schema.SHIPPED))
def test_the_shipped_schema_is_valid_draft_07_with_a_published_id(which):
    schema = shipped(which)
    jsonschema.Draft7Validator.check_schema(schema)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert schema["$id"] == ("https://raw.githubusercontent.com/hocr-rules/hocr-rules/main/schemas/"
                             + json_schema.SHIPPED[which][0])
    assert "$defs" not in json.dumps(schema), "draft-07 keeps definitions under 'definitions'"


@pytest.mark.parametrize("path", RULE_FILES, ids=[p.stem[:4] for p in RULE_FILES])
def test_every_rule_file_points_editors_at_the_shipped_schema(path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == json_schema.RULE_FILE_LINE
    target = (path.parent / first.split("$schema=", 1)[1]).resolve()
    assert target == (SCHEMAS / "rule-file.schema.json").resolve()


@pytest.mark.parametrize("path", RULE_FILES, ids=[p.stem[:4] for p in RULE_FILES])
def test_every_rule_file_is_valid_under_the_shipped_schema(path):
    data, _ = yamlfile.read(path)
    assert [e.message for e in validator("rules").iter_errors(data)] == []


@pytest.mark.parametrize(("change", "why"), [
    ({"breach_whne": "true"}, "a misspelt key"),
    ({"code": "T01"}, "a code that is not two capitals and two digits"),
    ({"name": "Late_Crime"}, "a name that is not kebab-case"),
    ({"severity": "urgent"}, "a severity not in the list"),
    ({"references": []}, "no reference"),
    ({"statement": None}, "no statement"),
])
def test_the_rule_file_schema_refuses_a_broken_rule_file(change, why):
    data, _ = yamlfile.read(DEFAULT_RULES / "TL01-late-crime-record.yaml")
    broken = {k: v for k, v in {**data, **change}.items() if v is not None}
    assert list(validator("rules").iter_errors(broken)), why


def test_the_profile_schema_accepts_the_documented_profile_and_refuses_a_misspelt_key():
    assert PROFILE_EXAMPLES
    for text in PROFILE_EXAMPLES:
        profile = json.loads(json.dumps(yaml.safe_load(text), default=str))
        assert [e.message for e in validator("profile").iter_errors(profile)] == []
    assert list(validator("profile").iter_errors({"disable": ["EQ01"]}))
    assert list(validator("profile").iter_errors({"disabled": "EQ01"}))
