"""Every example case in every rule and indicator file, one test id each (`TL01-1`, `IN03-4`), run by the same
runner as `hocr rules test`: rule authors and CI check the same thing."""

import pytest

from hocr_rules.engine.evaluator import Evaluator
from hocr_rules.rulebook.examples import cases, indicator_cases, run_case, run_indicator_case
from hocr_rules.rulebook.pack import RulePack

EVALUATOR = Evaluator(RulePack.load())
CASES = list(cases(EVALUATOR))
INDICATOR_CASES = list(indicator_cases(EVALUATOR))


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


@pytest.mark.parametrize(("indicator", "index", "example"), INDICATOR_CASES,
                         ids=[f"{indicator.code}-{index + 1}" for indicator, index, _ in INDICATOR_CASES])
def test_indicator_example(indicator, index, example):
    result = run_indicator_case(EVALUATOR, indicator, index, example)
    assert result.passed, f"{example.name}\n  " + "\n  ".join(result.differences)
