"""Rule files, crime indicator files, profiles and force mapping files come from forces: untrusted. Every hostile
document is refused with its file (and line where there is one) before anything in it can run.

A new kind of YAML file is one entry in KINDS: a valid document of that kind and the function that loads it."""

from pathlib import Path

import pytest

from hocr_rules.errors import RuleFileError
from hocr_rules.intake.mapping import load_mapping
from hocr_rules.rulebook import yamlfile, yamlparse
from hocr_rules.rulebook.pack import DEFAULT_RULES, RulePack, load_profile

RULE = (DEFAULT_RULES / "TL01-late-crime-record.yaml").read_text(encoding="utf-8")
MAPPING = (DEFAULT_RULES.parent / "examples" / "exports" / "exampleshire.mapping.yaml").read_text(encoding="utf-8")
INDICATOR = (DEFAULT_RULES / "indicators" / "IN03-violence-described-in-log.yaml").read_text(encoding="utf-8")
PROFILE = "name: Example Constabulary\nparameters:\n  n100_from: 2015-04-01\ndisabled: [EQ01]\n"


def load_rule_file(path: Path) -> None:
    folder = path.parent
    RulePack.load([DEFAULT_RULES, folder])


def load_indicator_file(path: Path) -> None:
    """An indicator file is read from the indicators/ folder of a rule folder."""
    RulePack.load([DEFAULT_RULES, path.parent.parent])


#: kind -> (file name, a valid document, loader)
KINDS = {
    "rule file": ("TL01-late-crime-record.yaml", RULE, load_rule_file),
    "indicator file": ("indicators/IN03-violence-described-in-log.yaml", INDICATOR, load_indicator_file),
    "profile": ("profile.yaml", PROFILE, load_profile),
    "mapping file": ("force.mapping.yaml", MAPPING, load_mapping),
}


def hostile(marker: Path) -> dict[str, tuple[str, int | None, str]]:
    """name -> (text appended to a valid document, the line the error must name (None: the file), words it says)"""
    laughs = 'lol0: &a0 ["lol"]\n' + "".join(
        f"lol{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 10))
    cases = {f"tag {tag}": (f"extra: {tag} ['touch {marker}']\n", 1, "YAML tags")
             for tag in ("!!python/object/apply:os.system", "!!python/object/new:os.system",
                         "!!python/name:os.system", "!!python/module:os", "!!binary", "!!set", "!custom")}
    cases.update({
        "billion laughs": (laughs, 1, "anchors and aliases are not allowed"),
        "a harmless alias": ("a: &g V\nb: *g\n", 1, "anchors and aliases are not allowed"),
        "deep nesting": ("deep: " + "[" * 5000 + "]" * 5000 + "\n", 1, f"nested more than {yamlparse.MAX_DEPTH}"),
        "a key given twice": ("twice: 1\ntwice: 2\n", 1, "given twice"),
        "oversized": ("# " + "x" * yamlfile.MAX_BYTES + "\n", None, f"limited to {yamlfile.MAX_BYTES}"),
    })
    return cases


CASES = sorted(hostile(Path("/nonexistent")))


@pytest.mark.parametrize("parser", ["libyaml", "pure Python"])
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("case", CASES)
def test_a_hostile_document_is_refused_naming_the_file_and_line_and_nothing_runs(tmp_path, monkeypatch, kind, case,
                                                                                 parser):
    """Where PyYAML was built without libyaml, the pure-Python parser reads the files: the same refusals hold."""
    if parser == "pure Python":
        monkeypatch.setattr(yamlparse, "_LOADER", yamlparse._PythonLoader)
    name, valid, load = KINDS[kind]
    marker = tmp_path / "pwned"
    extra, has_line, says = hostile(marker)[case]
    path = tmp_path / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(valid + extra, encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load(path)
    error = caught.value
    assert Path(error.path) == path and says in error.message, str(error)
    if has_line:
        assert error.line and error.line > valid.count("\n"), str(error)  # in the appended text, not before
    assert not marker.exists()


UNREADABLE = {"missing": "no such", "a folder": "is a folder", "Windows-1252": "is not UTF-8 text (byte 0xe9 on line"}


# rule and indicator files are found by listing their folder, so they cannot be missing (a missing folder:
# test_loader.py)
@pytest.mark.parametrize("kind, problem", [(kind, problem) for kind in KINDS for problem in UNREADABLE
                                           if problem != "missing" or kind not in ("rule file", "indicator file")])
def test_a_file_that_cannot_be_read_is_one_error_naming_it(tmp_path, kind, problem):
    says = UNREADABLE[problem]
    name, valid, load = KINDS[kind]
    path = tmp_path / name
    path.parent.mkdir(exist_ok=True)
    if problem == "a folder":
        path.mkdir()
    elif problem == "Windows-1252":
        path.write_bytes((valid + "# café\n").encode("cp1252"))
    with pytest.raises(RuleFileError) as caught:
        load(path)
    assert Path(caught.value.path) == path and says in caught.value.message, str(caught.value)


@pytest.mark.parametrize("kind", KINDS)
def test_the_valid_document_of_each_kind_loads(tmp_path, kind):
    name, valid, load = KINDS[kind]
    (tmp_path / name).parent.mkdir(exist_ok=True)
    (tmp_path / name).write_text(valid, encoding="utf-8")
    load(tmp_path / name)
