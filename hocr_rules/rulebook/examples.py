"""Running the example cases rule files carry: the one runner behind `hocr rules test` and pytest.

A rule's examples are its tests. Each case is a whole incident and what the rule must say about named
subjects in it; the case passes when the engine, with the whole pack loaded, says exactly that.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from pydantic import ValidationError

from hocr_rules.engine.evaluator import Evaluator
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
    try:
        incident = Incident.model_validate(example.incident)
    except ValidationError as error:
        problems = tuple(f"the example incident is invalid: {'.'.join(map(str, e['loc']))}: {e['msg']}"
                         for e in error.errors(include_url=False, include_input=False))
        return CaseResult(rule.code, index, example.name, problems)
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


def run_all(evaluator: Evaluator) -> list[CaseResult]:
    return [run_case(evaluator, rule, index, example) for rule, index, example in cases(evaluator)]
