"""libyaml's C parser reads our YAML where PyYAML has it; the pure-Python parser is the reference. Both must give
the same documents and the same key lines, and an error must read as the reference parser words it."""

from pathlib import Path

import pytest
import yaml

from hocr_rules.errors import RuleFileError
from hocr_rules.rulebook import yamlfile, yamlparse
from hocr_rules.rulebook.pack import DEFAULT_RULES

REPO = DEFAULT_RULES.parent
BUNDLED = sorted(p for pattern in ("rules/**/*.yaml", "examples/**/*.yaml") for p in REPO.glob(pattern))


def test_pyyaml_here_has_libyaml_and_the_c_parser_is_used():
    assert yaml.__with_libyaml__, "PyYAML without libyaml: rule packs load several times slower"
    assert yamlparse.PARSER == "libyaml" and yamlparse._LOADER is yamlparse._CLoader


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: str(p.relative_to(REPO)))
def test_both_parsers_give_the_same_document_and_lines(path, monkeypatch):
    """Parsed each time (`yamlparse.document`, not `yamlfile.read`, whose pack cache would give the first
    document back): the cache's key does not name the parser because of this."""
    text = path.read_text(encoding="utf-8")
    fast = yamlparse.document(path, text)
    monkeypatch.setattr(yamlparse, "_LOADER", yamlparse._PythonLoader)
    assert yamlparse.document(path, text) == fast


def test_an_error_found_by_libyaml_is_worded_by_the_reference_parser(tmp_path):
    path = tmp_path / "profile.yaml"
    path.write_text("name: Example\ntitle: A crime: recorded slowly\n", encoding="utf-8")
    with pytest.raises(yaml.YAMLError, match="in this context"):  # libyaml's own words
        yamlparse._load(yamlparse._CLoader, path.read_text(encoding="utf-8"))
    with pytest.raises(RuleFileError) as caught:
        yamlfile.read(path, "profile")
    assert caught.value.line == 2 and "mapping values are not allowed here" in caught.value.message
