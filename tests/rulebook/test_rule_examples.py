"""Every example case in every rule file is a test item collected from rules/ by the pytest plugin
(hocr_rules.pytest_plugin, tested in test_pytest_plugin.py), with ids like `TL01-1`, run by the same runner as
`hocr rules test`: rule authors and CI check the same thing, and each case runs once (the durable engine's suite
runs them again on that engine, which is a different check). Indicator files' cases (`IN03-4`) are run here."""

import pytest

from hocr_rules.engine.evaluator import Evaluator
from hocr_rules.rulebook.examples import indicator_cases, run_indicator_case
from hocr_rules.rulebook.pack import RulePack

EVALUATOR = Evaluator(RulePack.load())
INDICATOR_CASES = list(indicator_cases(EVALUATOR))

def test_every_finding_rule_has_a_breach_and_a_compliant_case():
    for rule in RulePack.load().rules:
        if rule.kind == "finding":
            outcomes = {e.outcome for example in rule.examples for e in example.expect}
            assert {"breach", "compliant"} <= outcomes, rule.code


@pytest.mark.parametrize(("indicator", "index", "example"), INDICATOR_CASES,
                         ids=[f"{indicator.code}-{index + 1}" for indicator, index, _ in INDICATOR_CASES])
def test_indicator_example(indicator, index, example):
    result = run_indicator_case(EVALUATOR, indicator, index, example)
    assert result.passed, f"{example.name}\n  " + "\n  ".join(result.differences)
