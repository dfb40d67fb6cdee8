"""Our own evaluator: the compiled pack over one incident at a time, in pure Python, deterministic.

For each subject (the incident, each disclosure, crime record and N100, in input order) it runs its kind's rule
program (hocr_rules.engine.program): the derivation rules and then the finding rules, each at the version in
force on the subject's own date, with facts read lazily, so a rule pays only for what it reads. Output order is
fixed: subjects in input order, rules in pack order. Outcomes keep their subject's facts for traces and messages,
which are worked out only when shown.
"""

from __future__ import annotations

from functools import partial
from operator import attrgetter
from typing import Any, Callable, Iterable, Iterator, Sequence

from hocr_rules.engine.program import NO_DATE, NOT_IN_FORCE, UNREAD, Program
from hocr_rules.engine.outcomes import (BREACH, COMPLIANT, NOT_EVALUABLE, NOT_IN_SCOPE, IncidentResult, Judgement,
                                        Outcome)
from hocr_rules.expressions import ExpressionError
from hocr_rules.facts.vocabulary import VOCABULARY
from hocr_rules.facts.view import IncidentView
from hocr_rules.intake import Accepted
from hocr_rules.model.incident import Incident
from hocr_rules.offences import OffenceTable
from hocr_rules.rulebook.compiled import CompiledRule
from hocr_rules.rulebook.pack import RulePack


class Facts(dict):
    """A subject's facts, each read from the incident (or a rule's `let` step computed) the first time it is
    asked for. After a rule program has run, what it read is handed out from the values it returned, one name at a
    time: taking every value at the first name asked for cost more (994,219 against 982,642 instructions an
    incident for hocr check --format jsonl; callgrind, 2,000 synthetic incidents), since hocr check asks for the
    facts of a few breaches only."""

    __slots__ = ("view", "record", "readers", "steps", "program", "values")

    def __init__(self, view: IncidentView, record: Any, readers: dict, steps: dict,
                 program: Program | None = None, values: tuple = ()):
        self.view, self.record, self.readers, self.steps = view, record, readers, steps
        self.program, self.values = program, values

    def __missing__(self, name: str) -> Any:
        index = self.program.index.get(name) if self.program is not None else None
        value = UNREAD if index is None else self.values[index]
        if value is UNREAD:
            reader = self.readers.get(name)
            value = reader(self.view, self.record) if reader is not None else self.steps[name](self)
        self[name] = value
        return value

    def everything(self) -> dict[str, Any]:
        """Every fact read so far, whether by the program or since."""
        found = {} if self.program is None else {
            key: value for key, value in zip(self.program.keys, self.values) if value is not UNREAD}
        found.update(self)
        return found


#: Where an incident holds each kind of subject, and the attribute that identifies one, in evaluation order.
SUBJECT_RECORDS: dict[str, tuple[Callable[[Incident], Sequence[Any]], Callable[[Any], str]]] = {
    "incident": (lambda incident: (incident,), attrgetter("id")),
    "disclosure": (attrgetter("disclosures"), attrgetter("id")),
    "crime_record": (attrgetter("crime_records"), attrgetter("reference")),
    "n100": (attrgetter("n100s"), attrgetter("id")),
}


def subjects(incident: Incident) -> Iterator[tuple[str, str, Any]]:
    """(kind, id, record) for everything in an incident a rule can judge, in input order."""
    for kind, (records, identify) in SUBJECT_RECORDS.items():
        for record in records(incident):
            yield kind, identify(record), record


class Evaluator:
    def __init__(self, pack: RulePack, offences: OffenceTable | None = None):
        self.pack = pack
        self.offences = offences or OffenceTable.load()
        self.notes: list[str] = []  # the default engine has nothing to confess; the protocol asks for it
        self._rules = {kind: pack.by_subject(kind) for kind in VOCABULARY}
        self._programs = {kind: Program(rules, VOCABULARY[kind]) for kind, rules in self._rules.items()}
        # the kinds that have rules, with where their records are
        self._judging = [(kind, *SUBJECT_RECORDS[kind], self._programs[kind]) for kind in SUBJECT_RECORDS
                         if self._rules[kind]]
        self._overriding = {kind: frozenset(i for i, r in enumerate(rules) if r.overrides)
                            for kind, rules in self._rules.items()}
        self._readers = {kind: {name: fact.read for name, fact in facts.items()} for kind, facts in VOCABULARY.items()}
        self._steps = {kind: {key: step for r in rules for v in r.versions for key, step in v.steps.items()}
                       for kind, rules in self._rules.items()}

    def evaluate_many(self, items: Iterable[Any]) -> Iterator[Any]:
        """A result for each accepted incident, in order; anything else (a rejected record) passes through."""
        for item in items:
            yield self.evaluate(item.incident) if isinstance(item, Accepted) else item

    def evaluate(self, incident: Incident, *, keep_out_of_scope: bool = False) -> IncidentResult:
        view = IncidentView(incident, self.offences)
        judgements: list[Judgement] = []                       # each subject's results, as outcomes on demand
        returned: list[tuple[str, Any, Program, tuple]] = []  # what each subject's program returned
        for kind, records, identify, program in self._judging:
            for record in records(incident):
                results: list[tuple] = []
                try:
                    values = program.judge(view, record, results, keep_out_of_scope)
                except ExpressionError as error:
                    raise ExpressionError(f"incident {incident.id}, {kind} {identify(record)}: {error}") from None
                if results:
                    judgements.append(Judgement(self._judged, results, (view, record, program, values, incident.id,
                                                                        kind, identify(record), keep_out_of_scope)))
                returned.append((kind, record, program, values))
        return IncidentResult(incident.id, None, partial(_derived, returned), judgements)

    def rules(self, kind: str) -> list[CompiledRule]:
        """The pack's rules for one subject kind, in evaluation order: results index into this list."""
        return self._rules[kind]

    def facts(self, view: IncidentView, kind: str, record: Any) -> Facts:
        """A subject's facts, read lazily; the durable engine reads the same facts for its messages."""
        return Facts(view, record, self._readers[kind], self._steps[kind])

    def _judged(self, results: list[tuple], view: IncidentView, record: Any, program: Program, values: tuple,
                incident: str, kind: str, subject: str, keep_out_of_scope: bool) -> list[Outcome]:
        """`judged`, with the subject's facts made only now: most subjects' outcomes are never asked for."""
        facts = Facts(view, record, self._readers[kind], self._steps[kind], program, values)
        return self.judged(results, facts, incident, kind, subject, keep_out_of_scope)

    def judged(self, results: list[tuple], facts: Facts, incident: str, kind: str, subject: str,
               keep_out_of_scope: bool) -> list[Outcome]:
        """(rule, version, applies, verdict) results as outcomes, with overrides applied: what either engine
        reports for one subject. Results that are out of scope are given only when `keep_out_of_scope`; a
        general rule that an override takes out of scope is dropped unless it is kept."""
        rules, overriding = self._rules[kind], self._overriding[kind]
        mine = []
        for i, j, applies, verdict in results:
            rule = rules[i]
            if applies is True and verdict is not None and j >= 0:  # decided: most results
                mine.append(Outcome(rule, rule.versions[j], BREACH if verdict else COMPLIANT, incident, kind,
                                    subject, facts))
            else:
                mine.append(_undecided(rule, j, applies, facts, incident, kind, subject))
        if overriding and len(results) > 1 and not overriding.isdisjoint([result[0] for result in results]):
            _apply_overrides(mine)
            if not keep_out_of_scope:
                return [o for o in mine if o.outcome != NOT_IN_SCOPE]
        return mine


def _derived(returned: list[tuple[str, Any, Program, tuple]]) -> dict[tuple[str, str], dict[str, Any]]:
    """Each subject's derived facts, by (kind, id)."""
    return {(kind, SUBJECT_RECORDS[kind][1](record)): program.derived(values)
            for kind, record, program, values in returned}


def _undecided(rule: CompiledRule, index: int, applies, facts: Facts, incident: str, kind: str,
               subject: str) -> Outcome:
    """An outcome for a result that is not a plain breach or compliance: out of scope, or not evaluable with
    the reason in words (worked out when first shown)."""
    if index == NOT_IN_FORCE:
        return Outcome(rule, None, NOT_IN_SCOPE, incident, kind, subject, None,
                       f"not in force: the rule starts {rule.versions[0].label}")
    if index == NO_DATE:
        # No date to choose a version by (a live crime record has no cancellation date); the program has
        # checked whether the rule could apply under its current version anyway.
        if applies is False:  # the facts are kept to say which condition did not apply (hocr_rules.whynot)
            return Outcome(rule, None, NOT_IN_SCOPE, incident, kind, subject, facts, "conditions do not apply")
        return Outcome(rule, None, NOT_EVALUABLE, incident, kind, subject, None,
                       "no date to choose the rule's version (" + VOCABULARY[kind][rule.dated_by].absent + ")")
    version = rule.versions[index]
    if applies is False:
        return Outcome(rule, version, NOT_IN_SCOPE, incident, kind, subject, facts, "conditions do not apply")
    return Outcome(rule, version, NOT_EVALUABLE, incident, kind, subject, facts,
                   partial(missing_facts, rule, version, facts, kind))


def missing_facts(rule: CompiledRule, version, facts: Facts, kind: str) -> str:
    """Name, in words ("no recording time"), the absent facts that left the rule undecided.

    A rule may read absent facts that do not matter here (a confirmation time, when the victim reported it
    herself). Each absent fact is probed: if giving it a value would let the rule decide, it is one of the
    reasons; if no single fact decides it, all absent facts are named."""
    vocabulary = VOCABULARY[kind]
    absent = [name for name, value in rule.trace(version, facts).items()
              if value is None and name not in rule.absence_tested
              and (name in vocabulary or name in rule.derived_inputs)]
    read = facts.everything() if absent else {}
    known = {key: value for key, value in read.items() if key not in facts.steps}  # steps are worked out again
    deciding = [name for name in absent if _decides(version, facts, read, known, name, vocabulary)] or absent
    parts = [vocabulary[name].absent if name in vocabulary else
             f"{name.replace('_', ' ')} could not be decided ({rule.derived_inputs[name]})" for name in deciding]
    return "; ".join(parts) or "the facts needed are incomplete"


_PROBES = {"flag": (True, False), "count": (0, 2), "number": (0, 1), "hours": (0.0, 100.0),
           "code": ("?",), "text": ("?",), "codes": (frozenset({"?"}), frozenset())}


def _decides(version, facts: Facts, read: dict[str, Any], known: dict[str, Any], name: str, vocabulary) -> bool:
    """Would a value for `name` alone let this version decide? `read` is every fact read so far, `known` the
    same less `let` steps (a probe computes those again). (Only run for not-evaluable outcomes.)"""
    kind = vocabulary[name].kind if name in vocabulary else "flag"
    probes = _PROBES.get(kind) or (next((v for v in read.values() if isinstance(v, float)), 0.0),)
    for probe in probes:
        trial = Facts(facts.view, facts.record, facts.readers, facts.steps)
        trial.update(known)
        trial[name] = probe
        applies, verdict = version.run(trial)
        if applies is False or (applies and verdict is not None):
            return True
    return False


def _apply_overrides(outcomes: list[Outcome]) -> None:
    """A crime-specific rule that applies to a subject takes the place of the general rule it overrides."""
    by_code = {o.rule.code: o for o in outcomes}
    for outcome in by_code.values():
        if outcome.outcome == NOT_IN_SCOPE:
            continue
        for target in outcome.rule.overrides:
            general = by_code.get(target)
            if general is not None and general.outcome != NOT_IN_SCOPE:
                general.outcome, general.overridden_by = NOT_IN_SCOPE, outcome.rule.code
                general.reason = f"overridden by {outcome.rule.code} ({outcome.rule.name})"
