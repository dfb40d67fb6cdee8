"""Every condition of every bundled rule's applies_when has a sentence saying what its being false means, so
`hocr explain` never prints a condition's text as the reason a rule did not apply; and a sentence for a condition
the rule does not have is refused at its line."""

import pytest

from hocr_rules.errors import RuleFileError
from hocr_rules.expressions import parse
from hocr_rules.rulebook.pack import DEFAULT_RULES, RulePack
from hocr_rules.whynot import conditions, text

PACK = RulePack.load()


@pytest.mark.parametrize("rule", PACK.rules, ids=lambda rule: rule.code)
def test_each_condition_that_can_keep_a_rule_out_has_a_sentence(rule):
    says = {text(node) for node in map(parse, rule.source.not_in_scope)}
    for version in rule.versions:
        for condition in conditions(version.applies):
            assert text(condition) in says, f"{rule.code}: no not_in_scope sentence for `{text(condition)}`"
    for sentence in rule.source.not_in_scope.values():
        assert sentence[0].islower() and not sentence.rstrip().endswith("."), sentence  # it follows "RULE: "


def test_a_sentence_for_a_condition_the_rule_does_not_have_is_refused_at_its_line(tmp_path):
    source = DEFAULT_RULES / "HF02-ex-partner-stalking-recorded-as-harassment.yaml"
    text_of = source.read_text(encoding="utf-8").replace('"classification == \'8L\'"', '"classification == \'8Q\'"')
    (tmp_path / source.name).write_text(text_of, encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        RulePack.load([DEFAULT_RULES, tmp_path])
    assert caught.value.line == text_of.splitlines().index(
        "  \"classification == '8Q'\": the crime is not recorded as harassment (8L)") + 1
    assert "is not a condition of applies_when" in caught.value.message

