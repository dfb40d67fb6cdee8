"""Running the example cases rule and indicator files carry: the one runner behind `hocr rules test` and pytest.

A rule's examples are its tests. Each case is a whole incident and what the rule must say about named
subjects in it; the case passes when the engine, with the whole pack loaded, says exactly that.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from pydantic import ValidationError

from hocr_rules.engine.evaluator import Evaluator
from hocr_rules.errors import InputError
from hocr_rules.indicators.pack import CompiledIndicator
from hocr_rules.indicators.schema import IndicatorExample
from hocr_rules.intake.records import check_codes
from hocr_rules.model.incident import Incident
from hocr_rules.rulebook.compiled import CompiledRule
from hocr_rules.rulebook.messages import show
from hocr_rules.rulebook.schema import Example


@dataclass(frozen=True)
class CaseResult:
    rule: str
    index: int
    name: str
    differences: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.differences

    @property
    def id(self) -> str:
        return f"{self.rule}-{self.index + 1}"


def cases(evaluator: Evaluator) -> Iterator[tuple[CompiledRule, int, Example]]:
    for rule in evaluator.pack.rules:
        for index, example in enumerate(rule.examples):
            yield rule, index, example


def run_case(evaluator: Evaluator, rule: CompiledRule, index: int, example: Example) -> CaseResult:
    incident = _incident(evaluator, example.incident)
    if isinstance(incident, tuple):
        return CaseResult(rule.code, index, example.name, incident)
    result = evaluator.evaluate(incident, keep_out_of_scope=True)
    differences = []
    for expected in example.expect:
        if rule.kind == "derivation":
            derived = result.derived.get((rule.subject, expected.subject))
            if derived is None:
                differences.append(f"{expected.subject}: no {rule.subject} with that id in the example")
                continue
            actual = derived.get(rule.source.derives)
            if actual != expected.value:
                differences.append(f"{expected.subject}: expected {rule.source.derives} = {show(expected.value)}, "
                                   f"got {show(actual)}")
            continue
        found = [o for o in result.outcomes if o.rule.code == rule.code and o.subject_id == expected.subject]
        if not found:
            differences.append(f"{expected.subject}: no outcome for this subject (is the id right?)")
        elif found[0].outcome != expected.outcome:
            outcome = found[0]
            differences.append(f"{expected.subject}: expected {expected.outcome}, got {outcome.outcome}: "
                               f"{outcome.message}")
    return CaseResult(rule.code, index, example.name, tuple(differences))


def indicator_cases(evaluator: Evaluator) -> Iterator[tuple[CompiledIndicator, int, IndicatorExample]]:
    for indicator in evaluator.pack.indicators.indicators:
        for index, example in enumerate(indicator.examples):
            yield indicator, index, example


def run_indicator_case(evaluator: Evaluator, indicator: CompiledIndicator, index: int,
                       example: IndicatorExample) -> CaseResult:
    """An indicator's case passes when the pack's screen raises (or does not raise) its review on the incident,
    quoting the expected words if the case names them."""
    incident = _incident(evaluator, example.incident)
    if isinstance(incident, tuple):
        return CaseResult(indicator.code, index, example.name, incident)
    found = [r for r in evaluator.pack.indicators.screen(incident) if r.rule.code == indicator.code]
    differences = []
    if bool(found) != example.review:
        differences.append(f"expected {'a review' if example.review else 'no review'}, got "
                           + (found[0].message if found else "none"))
    elif found and example.quote is not None and example.quote not in [e.quote for e in found[0].evidence]:
        differences.append(f"expected the evidence to quote {example.quote!r}, got: {found[0].message}")
    return CaseResult(indicator.code, index, example.name, tuple(differences))


def _incident(evaluator: Evaluator, written: dict) -> Incident | tuple[str, ...]:
    """The example's incident, checked as `hocr check` checks input (the model, then the offence codes against
    the list and their dates), or why it is invalid: a mistyped code in a case is the case failing, with the
    field and the codes it may have meant, not a traceback."""
    try:
        incident = Incident.model_validate(written)
    except ValidationError as error:
        return tuple(f"the example incident is invalid: {'.'.join(map(str, e['loc']))}: {e['msg']}"
                     for e in error.errors(include_url=False, include_input=False))
    read = check_codes(evaluator.offences, incident, "example", 0)
    if isinstance(read, InputError):
        return tuple(f"the example incident is invalid: {field}: {message}" for field, message in read.problems)
    return incident


def run_all(evaluator: Evaluator) -> list[CaseResult]:
    return ([run_case(evaluator, rule, index, example) for rule, index, example in cases(evaluator)]
            + [run_indicator_case(evaluator, *case) for case in indicator_cases(evaluator)])
