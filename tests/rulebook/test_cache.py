"""The compiled-pack cache (hocr_rules/rulebook/cache.py): a changed file is read again, a damaged entry is made
again, an entry from another version is never read, and a pack from the cache judges exactly as a fresh one."""

import shutil

import pytest

from conftest import _load  # the real RulePack.load: the suite's own shares one pack per process
from hocr_rules.engine.evaluator import Evaluator
from hocr_rules.intake import Accepted, Intake
from hocr_rules.rulebook import cache
from hocr_rules.rulebook.examples import cases
from hocr_rules.model.incident import Incident
from hocr_rules.rulebook.pack import DEFAULT_RULES


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.DIR_VARIABLE, str(folder))
    monkeypatch.delenv(cache.OFF_VARIABLE, raising=False)
    return folder


@pytest.fixture
def rules(tmp_path):
    """A copy of the bundled pack, to change."""
    folder = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES, folder)
    return folder


def entries(folder):
    return sorted(path for path in folder.iterdir() if not path.name.startswith("."))


def test_a_changed_rule_file_is_read_again(cache_dir, rules):
    path = _load([rules]).find("TL01").path
    assert entries(cache_dir)
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace("severity: medium", "severity: high", 1), encoding="utf-8")
    assert _load([rules]).find("TL01").severity == "high"
    path.write_text(original, encoding="utf-8")
    assert _load([rules]).find("TL01").severity == "medium"  # and back, from the entry kept before


def test_a_damaged_entry_is_made_again(cache_dir, rules):
    before = _load([rules])
    for path in entries(cache_dir):
        raw = path.read_bytes()
        # a value changed in place, which still unmarshals ("medium" -> "mediun"); else the last byte changed
        path.write_bytes(raw.replace(b"medium", b"mediun") if b"medium" in raw else raw[:-1] + bytes([raw[-1] ^ 0xFF]))
    (entries(cache_dir)[0]).write_bytes(b"")  # and one cut to nothing
    after = _load([rules])
    assert [(r.code, r.source) for r in after.rules] == [(r.code, r.source) for r in before.rules]
    damaged = {path.read_bytes() for path in entries(cache_dir)}
    assert all(raw.startswith(b"hocr-cache 1\n") and raw[-1:] for raw in damaged)
    assert cache._read(entries(cache_dir)[0]) is not cache._MISSING  # written over with a good entry


def test_an_entry_of_another_version_is_never_read(cache_dir, monkeypatch):
    made = []
    assert cache.remember("test", cache.__file__, "content", lambda: made.append(1) or "old") == "old"
    assert cache.remember("test", cache.__file__, "content", lambda: made.append(1) or "new") == "old"
    monkeypatch.setattr("hocr_rules.provenance.tool_version", lambda: "99.0")
    cache._salt.cache_clear()
    try:
        assert cache.remember("test", cache.__file__, "content", lambda: made.append(1) or "new") == "new"
    finally:
        cache._salt.cache_clear()
    assert len(made) == 2


def test_switched_off_nothing_is_written(cache_dir, rules, monkeypatch):
    monkeypatch.setenv(cache.OFF_VARIABLE, "1")
    _load([rules])
    assert not cache_dir.exists()


def test_a_folder_that_cannot_be_written_costs_only_speed(tmp_path, monkeypatch, rules):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv(cache.DIR_VARIABLE, str(blocked / "cache"))
    assert _load([rules]).rules


def outcomes(pack):
    evaluator = Evaluator(pack)
    incidents = [item.incident for item in Intake(evaluator.offences).read(
        [str(DEFAULT_RULES.parent / "examples" / "incidents.jsonl")]) if isinstance(item, Accepted)]
    incidents += [Incident.model_validate(example.incident) for _, _, example in cases(evaluator)]
    return [[o.as_record() for o in evaluator.evaluate(incident).outcomes] for incident in incidents]


def test_cached_and_uncached_packs_judge_alike(cache_dir, rules, monkeypatch):
    with monkeypatch.context() as off:
        off.setenv(cache.OFF_VARIABLE, "1")
        fresh = outcomes(_load([rules]))
    filled = outcomes(_load([rules]))  # fills the cache: the pack and the rule programs the evaluator compiles
    written = entries(cache_dir)
    cached = outcomes(_load([rules]))  # every file and every compiled condition from the cache
    assert entries(cache_dir) == written
    assert filled == fresh
    assert any(path.name.startswith("code-") for path in written)
    assert any(path.name.startswith("yaml-") for path in written)
    assert cached == fresh
    assert any(o["outcome"] == "breach" for incident in cached for o in incident)


def test_no_cache_on_the_command_line(cache_dir, monkeypatch):
    from typer.testing import CliRunner

    from cli.main import app
    monkeypatch.setenv(cache.OFF_VARIABLE, "0")  # restored after the test: --no-cache sets it for the process
    examples = str(DEFAULT_RULES.parent / "examples" / "incidents.jsonl")
    result = CliRunner().invoke(app, ["--no-cache", "check", examples, "--format", "jsonl"])
    assert result.exit_code == 1, result.output
    assert not cache_dir.exists()


def test_the_offence_table_from_the_cache_is_the_table(cache_dir, rules, monkeypatch):
    from hocr_rules.offences import OffenceTable
    with monkeypatch.context() as off:
        off.setenv(cache.OFF_VARIABLE, "1")
        fresh = OffenceTable.load(rules / "offences.csv")
    OffenceTable.load(rules / "offences.csv")  # fills the cache
    kept = OffenceTable.load(rules / "offences.csv")
    assert list(kept._by_code.items()) == list(fresh._by_code.items())
    assert any(o.commenced or o.ceased for o in kept._by_code.values())  # dates survive the round trip
    path = rules / "offences.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",Common assault", ",Common assault (changed)"),
                    encoding="utf-8")
    assert any("(changed)" in o.title for o in OffenceTable.load(path)._by_code.values())
