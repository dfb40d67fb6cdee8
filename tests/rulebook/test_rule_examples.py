"""Every example case in every rule file is a test item collected from rules/ by the pytest plugin
(hocr_rules.pytest_plugin, tested in test_pytest_plugin.py), with ids like `TL01-1`, run by the same runner as
`hocr rules test`: rule authors and CI check the same thing, and each case runs once (the durable engine's suite
runs them again on that engine, which is a different check), and so is every case of the crime indicator files
(`IN03-4`)."""

from hocr_rules.rulebook.pack import RulePack


def test_every_finding_rule_has_a_breach_and_a_compliant_case():
    for rule in RulePack.load().rules:
        if rule.kind == "finding":
            outcomes = {e.outcome for example in rule.examples for e in example.expect}
            assert {"breach", "compliant"} <= outcomes, rule.code
