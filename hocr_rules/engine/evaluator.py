"""Our own evaluator: the compiled pack over one incident at a time, in pure Python, deterministic.

For each subject (the incident, each disclosure, crime record and N100, in input order) it runs the
derivation rules and then the finding rules, each at the version in force on the subject's own date. Facts
are read lazily from the incident, so a rule pays only for what it reads. Output order is fixed: subjects in
input order, rules in pack order.
"""

from __future__ import annotations

from typing import Any, Iterator

from hocr_rules.engine.outcomes import BREACH, COMPLIANT, NOT_EVALUABLE, NOT_IN_SCOPE, IncidentResult, Outcome
from hocr_rules.expressions import ExpressionError
from hocr_rules.facts.vocabulary import VOCABULARY
from hocr_rules.facts.view import IncidentView
from hocr_rules.model.incident import Incident
from hocr_rules.offences import OffenceTable
from hocr_rules.rulebook.compiled import CompiledRule
from hocr_rules.rulebook.pack import RulePack


class Facts(dict):
    """A subject's facts, each read from the incident the first time a rule asks for it."""

    __slots__ = ("view", "record", "vocabulary")

    def __init__(self, view: IncidentView, record: Any, subject: str):
        super().__init__()
        self.view, self.record, self.vocabulary = view, record, VOCABULARY[subject]

    def __missing__(self, name: str) -> Any:
        value = self.vocabulary[name].read(self.view, self.record)
        self[name] = value
        return value


def subjects(incident: Incident) -> Iterator[tuple[str, str, Any]]:
    """(kind, id, record) for everything in an incident a rule can judge, in input order."""
    yield "incident", incident.id, incident
    for d in incident.disclosures:
        yield "disclosure", d.id, d
    for c in incident.crime_records:
        yield "crime_record", c.reference, c
    for n in incident.n100s:
        yield "n100", n.id, n


class Evaluator:
    def __init__(self, pack: RulePack, offences: OffenceTable | None = None):
        self.pack = pack
        self.offences = offences or OffenceTable.load()
        self._rules = {kind: pack.by_subject(kind) for kind in VOCABULARY}

    def evaluate(self, incident: Incident, *, keep_out_of_scope: bool = False) -> IncidentResult:
        view = IncidentView(incident, self.offences)
        outcomes: list[Outcome] = []
        derived: dict[tuple[str, str], dict[str, Any]] = {}
        for kind, subject_id, record in subjects(incident):
            rules = self._rules[kind]
            if not rules:
                continue
            facts = Facts(view, record, kind)
            mine = [self._judge(rule, facts, incident.id, kind, subject_id, keep_out_of_scope) for rule in rules]
            _apply_overrides(mine)
            derived[(kind, subject_id)] = {r.source.derives: facts.get(r.source.derives)
                                           for r in rules if r.kind == "derivation"}
            outcomes.extend(o for o in mine if o is not None and (keep_out_of_scope or o.outcome != NOT_IN_SCOPE))
        return IncidentResult(incident.id, outcomes, derived)

    def _judge(self, rule: CompiledRule, facts: Facts, incident: str, kind: str, subject: str,
               explain: bool) -> Outcome | None:
        """One rule on one subject; derivations write their fact and return nothing."""
        when = facts[rule.dated_by]
        version = rule.version_at(when)
        if version is None:
            if rule.kind == "derivation":
                facts[rule.source.derives] = None
                return None
            if when is not None:
                return Outcome(rule, None, NOT_IN_SCOPE, incident, kind, subject, None,
                               f"not in force: the rule starts {rule.versions[0].label}")
            # No date to choose a version by (a live crime record has no cancellation date): if the rule
            # could not apply under its current version anyway, the subject is out of scope, not undecidable.
            if rule.versions[-1].run(facts)[0] is False:
                return Outcome(rule, None, NOT_IN_SCOPE, incident, kind, subject, None, "conditions do not apply")
            return Outcome(rule, None, NOT_EVALUABLE, incident, kind, subject, None,
                           "no date to choose the rule's version (" + VOCABULARY[kind][rule.dated_by].absent + ")")
        try:
            applies, verdict = version.run(facts)
        except ExpressionError as error:
            raise ExpressionError(f"{rule.path.name} on {kind} {subject}: {error}") from None
        if rule.kind == "derivation":
            facts[rule.source.derives] = verdict
            return None
        if applies is False:
            return Outcome(rule, version, NOT_IN_SCOPE, incident, kind, subject, facts if explain else None,
                           "conditions do not apply")
        if applies is None or verdict is None:
            outcome = Outcome(rule, version, NOT_EVALUABLE, incident, kind, subject, facts)
            outcome.reason = _missing(rule, outcome.facts, kind)
            return outcome
        return Outcome(rule, version, BREACH if verdict else COMPLIANT, incident, kind, subject, facts)


def _missing(rule: CompiledRule, used: dict[str, Any], kind: str) -> str:
    """Name the absent facts in words a reader understands ("no recording time")."""
    vocabulary = VOCABULARY[kind]
    parts = []
    for name, value in used.items():
        if value is not None or name in rule.absence_tested:
            continue
        if name in vocabulary:
            parts.append(vocabulary[name].absent)
        elif name in rule.derived_inputs:
            parts.append(f"{name.replace('_', ' ')} could not be decided ({rule.derived_inputs[name]})")
    return "; ".join(parts) or "the facts needed are incomplete"


def _apply_overrides(outcomes: list[Outcome | None]) -> None:
    """A crime-specific rule that applies to a subject takes the place of the general rule it overrides."""
    by_code = {o.rule.code: o for o in outcomes if o is not None}
    for outcome in by_code.values():
        if outcome.outcome == NOT_IN_SCOPE:
            continue
        for target in outcome.rule.overrides:
            general = by_code.get(target)
            if general is not None and general.outcome != NOT_IN_SCOPE:
                general.outcome, general.overridden_by = NOT_IN_SCOPE, outcome.rule.code
                general.reason = f"overridden by {outcome.rule.code} ({outcome.rule.name})"
