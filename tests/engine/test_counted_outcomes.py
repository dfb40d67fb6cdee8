"""The counted outcomes (breaches and not evaluable), which every run asks of every incident, are taken only
from subjects that may have one; they must be exactly what the full list of outcomes holds."""

from hocr_rules.engine.evaluator import Evaluator
from hocr_rules.engine.outcomes import BREACH, NOT_EVALUABLE
from hocr_rules.intake import Accepted, Intake
from hocr_rules.rulebook.examples import cases
from hocr_rules.model.incident import Incident
from hocr_rules.rulebook.pack import DEFAULT_RULES, RulePack

COUNTED = frozenset({BREACH, NOT_EVALUABLE})


def test_counted_outcomes_are_those_of_the_full_list():
    evaluator = Evaluator(RulePack.load())
    incidents = [item.incident for item in Intake(evaluator.offences).read(
        [str(DEFAULT_RULES.parent / "examples" / "incidents.jsonl")]) if isinstance(item, Accepted)]
    incidents += [Incident.model_validate(example.incident) for _, _, example in cases(evaluator)]
    seen = set()
    for incident in incidents:
        quick = [(o.rule.code, o.subject_id, o.outcome) for o in evaluator.evaluate(incident).findings(COUNTED)]
        full = [(o.rule.code, o.subject_id, o.outcome) for o in evaluator.evaluate(incident).outcomes
                if o.outcome in COUNTED]
        assert quick == full, incident.id
        seen.update(outcome for _, _, outcome in full)
    assert seen == COUNTED  # both kinds occur, so the comparison means something
