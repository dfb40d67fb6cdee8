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
