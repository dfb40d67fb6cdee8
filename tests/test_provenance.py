"""The pack digest changes with what the rules say, and only with that."""

from hocr_rules.provenance import pack_digest, tool_version
from hocr_rules.rulebook.pack import RulePack
from hocr_rules.rulebook.schema import Profile


def test_the_same_pack_gives_the_same_digest():
    assert pack_digest(RulePack.load()) == pack_digest(RulePack.load())
    assert len(pack_digest(RulePack.load())) == 64


def test_a_profile_changes_the_digest():
    first = RulePack.load()
    disabled = RulePack.load(profile=Profile(disabled=[first.rules[-1].code]))
    assert pack_digest(first) != pack_digest(disabled)


def test_the_version_is_the_installed_package():
    assert tool_version() != "unknown"


def test_the_withdrawal_phrases_are_part_of_the_digest(tmp_path, monkeypatch):
    """The cancellation rules read rules/phrases/withdrawal.yaml: a changed phrase is a changed pack."""
    from hocr_rules.facts.phrase_grounds import WITHDRAWAL as withdrawal
    pack = RulePack.load()
    before = pack_digest(pack)
    changed = tmp_path / "withdrawal.yaml"
    text = withdrawal.default_path().read_text(encoding="utf-8")
    phrase = withdrawal.load().grounds["fear_or_pressure"].phrases[0]
    changed.write_text(text.replace(f"- {phrase}\n", f"- {phrase} indeed\n", 1), encoding="utf-8")
    monkeypatch.setattr(withdrawal, "default_path", lambda: changed)  # the instance's, not the class's
    assert pack_digest(pack) != before


def test_the_phrase_files_come_from_the_default_rules_folder():
    from hocr_rules.facts.phrase_grounds import FILES
    from hocr_rules.rulebook.pack import DEFAULT_RULES
    for file in FILES:
        assert file.default_path() == DEFAULT_RULES / "phrases" / file.name
        assert file.default_path().is_file()
