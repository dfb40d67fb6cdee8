"""A compiled rule reads as its code where people print it, and the evaluator and the testing kit name a rule
the same way."""

from hocr_rules.engine.evaluator import Evaluator
from hocr_rules.model.incident import Incident
from hocr_rules.rulebook.pack import RulePack
from hocr_rules.testing import outcomes_of

PACK = RulePack.load()
INCIDENT = {"id": "INC-1", "received_at": "2025-05-01T10:00:00+01:00", "channel": "emergency_call",
            "people": [{"id": "V1", "age": 34}, {"id": "O1"}],
            "disclosures": [{"id": "D1", "offence": "8L", "victims": ["V1"], "offenders": ["O1"],
                             "reported_by": "victim"}],
            "crime_records": [{"reference": "CR-1", "offence": "8L", "victim": "V1", "disclosures": ["D1"],
                               "recorded_at": "2025-05-03T10:00:00+01:00"}]}


def test_a_rule_prints_formats_and_represents_as_its_code():
    rule = PACK.find("late-crime-record")
    assert str(rule) == "TL01"
    assert f"{rule}|{rule:>6}|" == "TL01|  TL01|"
    assert repr(rule) == "<rule TL01 late-crime-record>"


def test_a_rule_equals_its_code_and_nothing_else():
    rule = PACK.find("TL01")
    assert rule == "TL01" and rule != "late-crime-record" and rule != PACK.find("NC02")
    assert rule in {"TL01"} and {rule: 1}["TL01"] == 1


def test_a_finding_from_the_evaluator_names_its_rule_as_the_testing_kit_does():
    # the kit sorts; order is not named (two rules may judge one subject: TL01 and TL03)
    by_subject = lambda item: (item.subject_kind, item.subject_id, str(item.rule))  # noqa: E731
    findings = sorted(Evaluator(PACK).evaluate(Incident.model_validate(INCIDENT)).breaches, key=by_subject)
    keys = sorted((k for k in outcomes_of(INCIDENT) if k.outcome == "breach"), key=by_subject)
    assert [str(f.rule) for f in findings] == [k.rule for k in keys]
    assert all(f.rule == k.rule for f, k in zip(findings, keys))
    assert "TL01" in [k.rule for k in keys]


def test_an_outcome_is_represented_without_its_facts():
    finding = next(f for f in Evaluator(PACK).evaluate(Incident.model_validate(INCIDENT)).breaches if f.rule == "TL01")
    assert repr(finding) == "<breach TL01 disclosure D1 of INC-1>"
