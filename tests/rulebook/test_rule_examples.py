"""Every example case in every rule file, one test id each (`TL01-1`), run by the same runner as
`hocr rules test`: rule authors and CI check the same thing."""

import pytest

from hocr_rules.engine.evaluator import Evaluator
from hocr_rules.rulebook.examples import cases, run_case
from hocr_rules.rulebook.pack import RulePack

EVALUATOR = Evaluator(RulePack.load())
CASES = list(cases(EVALUATOR))


@pytest.mark.parametrize(("rule", "index", "example"), CASES,
                         ids=[f"{rule.code}-{index + 1}" for rule, index, _ in CASES])
def test_rule_example(rule, index, example):
    result = run_case(EVALUATOR, rule, index, example)
    assert result.passed, f"{example.name}\n  " + "\n  ".join(result.differences)


def test_every_finding_rule_has_a_breach_and_a_compliant_case():
    for rule in EVALUATOR.pack.rules:
        if rule.kind == "finding":
            outcomes = {e.outcome for example in rule.examples for e in example.expect}
            assert {"breach", "compliant"} <= outcomes, rule.code
