"""What the engine says about one (rule, subject): breach, compliant, or not evaluable, with its trace; and the
reviews the crime indicators raise on the incident (hocr_rules.indicators.review), carried beside them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from hocr_rules.facts.vocabulary import KINDS
from hocr_rules.rulebook import messages
from hocr_rules.rulebook.compiled import CompiledRule, CompiledVersion

BREACH, COMPLIANT, NOT_EVALUABLE, NOT_IN_SCOPE = "breach", "compliant", "not_evaluable", "not_in_scope"
REVIEW = "review"  # a possible unrecorded crime for a person to judge: raised by an indicator, not by a rule


@dataclass(slots=True)
class Outcome:
    rule: CompiledRule
    version: CompiledVersion | None
    outcome: str
    incident: str
    subject_kind: str
    subject_id: str
    source: Mapping[str, Any] | None  # the subject's facts; the trace is read from it only when asked for
    _reason: str | Callable[[], str] = ""  # why not evaluable / not in scope, or what works it out when asked
    overridden_by: str | None = None
    _message: str | None = field(default=None, repr=False)
    _facts: dict[str, Any] | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        """Short, and without the facts: an outcome printed in a test failure or a log names what was judged,
        never the incident's personal data."""
        return f"<{self.outcome} {self.rule.code} {self.subject_kind} {self.subject_id} of {self.incident}>"

    @property
    def reason(self) -> str:
        """Why not evaluable or not in scope. Finding the facts that left a rule undecided means probing it,
        and most outcomes are never shown, so that is done on demand."""
        if callable(self._reason):
            self._reason = self._reason()
        return self._reason

    @reason.setter
    def reason(self, text: str) -> None:
        self._reason = text

    @property
    def facts(self) -> dict[str, Any]:
        """The names the rule read or quotes, with their values: the trace of this outcome."""
        if self._facts is None:
            source, version = self.source, self.version
            self._facts = {} if source is None or version is None else self.rule.trace(version, source)
        return self._facts

    @property
    def message(self) -> str:
        """One line quoting the facts used; rendered on demand since most outcomes are never printed."""
        if self._message is None:
            self._message = self._render()
        return self._message

    def _render(self) -> str:
        if self.outcome == NOT_IN_SCOPE:
            return self.reason
        template = getattr(self.rule.messages, self.outcome)  # the templates are named as the outcomes
        values = dict(self.facts)
        if self.version is not None:
            values.update(self.version.parameters)
        values.update(reason=self.reason, subject=self.subject_id)
        return messages.render(template, values, KINDS[self.subject_kind])

    def as_record(self) -> dict[str, Any]:
        """The machine-readable finding (documented in docs/findings.md)."""
        kinds, rule = KINDS[self.subject_kind], self.rule
        facts = {}
        for name, value in self.facts.items():  # JSON has no sets; times are shown as local times
            if isinstance(value, frozenset):
                value = sorted(value)
            elif value is not None and kinds[name] == "time":
                value = messages.show(value, "time")
            facts[name] = value
        return {
            "rule": rule.code,
            "name": rule.name,
            "version": self.version.label if self.version else None,
            "outcome": self.outcome,
            "severity": rule.severity,
            "incident": self.incident,
            "subject": {"kind": self.subject_kind, "id": self.subject_id},
            "message": self.message,
            "hint": rule.source.hint if self.outcome == BREACH else None,
            "citation": rule.citation,
            "facts": facts,
            "derived_from": dict(rule.derived_inputs),
        }


class Judgement:
    """One subject's results from a rule program, made into outcomes the first time they are asked for: most
    subjects have only compliant outcomes, and `hocr check` shows breaches alone."""

    __slots__ = ("build", "results", "context", "_outcomes")

    def __init__(self, build: Callable[..., list[Outcome]], results: list[tuple], context: tuple):
        """`build(results, *context)` makes the outcomes."""
        self.build, self.results, self.context, self._outcomes = build, results, context, None

    def outcomes(self) -> list[Outcome]:
        if self._outcomes is None:
            self._outcomes = self.build(self.results, *self.context)
        return self._outcomes

    def may_breach(self) -> bool:
        """Whether a result is a breach; an override may still take it out of scope, never add one."""
        for _, version, applies, verdict in self.results:  # a loop: this runs for every subject with results
            if applies is True and verdict and version >= 0:
                return True
        return False

    def may_count(self) -> bool:
        """Whether a result may be a breach or not evaluable: anything but a decided compliance or a rule whose
        conditions do not apply. Every run counts these (a summary that says "no breaches" must also say what
        could not be judged), so subjects with only compliant results are still not made into outcomes."""
        for _, version, applies, verdict in self.results:
            if applies is not False and not (applies is True and verdict is not None and not verdict
                                             and version >= 0):
                return True
        return False


_BREACHES = frozenset({BREACH})
_COUNTED = frozenset({BREACH, NOT_EVALUABLE})


@dataclass(slots=True)
class IncidentResult:
    incident: str
    _outcomes: list[Outcome] | None
    # (subject kind, id) -> derived facts with values, or what gathers them when first asked for (few callers do)
    _derived: dict[tuple[str, str], dict[str, Any]] | Callable[[], dict[tuple[str, str], dict[str, Any]]]
    _judgements: list[Judgement] | None = None  # what the outcomes are made from, until they are
    reviews: list[Any] = field(default_factory=list)  # indicators' Review findings, set by the screening stage

    @property
    def outcomes(self) -> list[Outcome]:
        if self._outcomes is None:
            self._outcomes = [o for judgement in self._judgements for o in judgement.outcomes()]
            self._judgements = None
        return self._outcomes

    @property
    def derived(self) -> dict[tuple[str, str], dict[str, Any]]:
        if callable(self._derived):
            self._derived = self._derived()
        return self._derived

    def findings(self, include: frozenset[str] = _BREACHES) -> list[Outcome]:
        """The outcomes in `include`; with REVIEW in it, the incident's reviews after the rules' findings."""
        reviews = self.reviews if REVIEW in include else []
        judged = include - {REVIEW}
        if not judged:
            return list(reviews)
        if self._outcomes is None and judged <= _COUNTED:  # only the subjects that may have one
            may = Judgement.may_breach if judged == _BREACHES else Judgement.may_count
            return [o for judgement in self._judgements if may(judgement)
                    for o in judgement.outcomes() if o.outcome in judged] + reviews
        return [o for o in self.outcomes if o.outcome in judged] + reviews

    @property
    def breaches(self) -> list[Outcome]:
        return self.findings()
