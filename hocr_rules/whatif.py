"""What if: one incident with fields changed (`--set disclosures.D1.reported_by=professional_third_party`),
evaluated again, and the outcomes that changed, with the facts that changed under them.

A change is written as a path into the incident as it is read (the input format of docs/findings.md), then
`=`, then the new value. In a list, an element is named by its id (people, disclosures, N100s), its reference
(crime records) or its position from 0. The value is JSON where it parses as JSON (`true`, `17`, `["V1"]`,
`null` to clear a field) and text otherwise, so codes need no quotes. The changed incident goes through the
same validation as any input, so a what-if can never evaluate an incident the tool would have rejected.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from hocr_rules.engine.outcomes import IncidentResult, Outcome
from hocr_rules.errors import HocrError, InputError
from hocr_rules.indicators.review import Review
from hocr_rules.intake import Intake
from hocr_rules.model.incident import Incident

_NAMED_BY = ("id", "reference")


@dataclass(frozen=True)
class Change:
    """One `path=value` a user asked for."""

    path: tuple[str, ...]
    value: Any
    written: str

    @classmethod
    def parse(cls, written: str) -> "Change":
        path, equals, value = written.partition("=")
        steps = tuple(path.strip().split("."))
        if not equals or not all(steps):
            raise HocrError(f"--set {written!r}: write PATH=VALUE, e.g. disclosures.D1.reported_by=victim")
        try:
            parsed = json.loads(value)
        except ValueError:
            parsed = value
        return cls(steps, parsed, written)

    def apply(self, record: dict[str, Any]) -> None:
        """Set the value in a decoded incident, naming the step that does not exist and what does."""
        here: Any = record
        for depth, step in enumerate(self.path[:-1]):
            where = ".".join(self.path[:depth + 1])
            here = _step(here, step, where, self.written)
        last = self.path[-1]
        if isinstance(here, list):
            raise HocrError(f"--set {self.written}: {'.'.join(self.path)} names a list element; give a field of it")
        if not isinstance(here, dict):
            raise HocrError(f"--set {self.written}: {'.'.join(self.path[:-1])} is a value, not a record")
        if self.value is None:
            here.pop(last, None)
        else:
            here[last] = self.value


def _step(here: Any, step: str, where: str, written: str) -> Any:
    if isinstance(here, dict):
        if step not in here:
            here[step] = {}  # a record not given yet, e.g. a cancellation; validation says if it may not be
        return here[step]
    if isinstance(here, list):
        for index, element in enumerate(here):
            if step == str(index) or (isinstance(element, dict) and step in (element.get(k) for k in _NAMED_BY)):
                return element
        names = [str(e.get("id") or e.get("reference") or i) if isinstance(e, dict) else str(i)
                 for i, e in enumerate(here)]
        raise HocrError(f"--set {written}: no '{step}' in {where.rpartition('.')[0]} "
                        f"(there are: {', '.join(names) or 'none'})")
    raise HocrError(f"--set {written}: {where.rpartition('.')[0]} is a value, not a record")


def changed_incident(incident: Incident, changes: list[Change], intake: Intake, source: str) -> Incident:
    """The incident with the changes made, validated as input is; a change that makes it invalid is an error
    naming the field."""
    record = incident.model_dump(mode="json", by_alias=True, exclude_unset=True)
    for change in changes:
        change.apply(record)
    read = intake.validate(record, f"{source} with --set", 0)
    if isinstance(read, InputError):
        raise read
    return read.incident


@dataclass(frozen=True)
class Difference:
    """One rule on one subject whose outcome, or message, changed; with the facts it read that changed."""

    before: Outcome | Review | None
    after: Outcome | Review | None
    facts: dict[str, tuple[Any, Any]]  # name -> (before, after)

    @property
    def outcome(self) -> Outcome | Review:
        return self.after or self.before  # type: ignore[return-value]


def differences(before: IncidentResult, after: IncidentResult) -> list[Difference]:
    """Outcomes and crime indicators' reviews that differ between two evaluations (both with the rules out of
    scope kept), in the order of the changed evaluation; a subject that is new or gone, or a review raised or
    no longer raised, has an outcome only on one side. A review reads no facts: its evidence is its message."""
    old = {_key(o): o for o in [*before.outcomes, *before.reviews]}
    new = {_key(o): o for o in [*after.outcomes, *after.reviews]}
    found = []
    for key in list(new) + [k for k in old if k not in new]:
        a, b = old.get(key), new.get(key)
        if a is not None and b is not None and a.outcome == b.outcome and a.message == b.message:
            continue
        facts = {}
        if isinstance(a, Outcome) and isinstance(b, Outcome):
            facts = {name: (a.facts.get(name), value) for name, value in b.facts.items()
                     if a.facts.get(name) != value}
        found.append(Difference(a, b, facts))
    return found


def _key(outcome: Outcome | Review) -> tuple[str, str, str]:
    return outcome.rule.code, outcome.subject_kind, outcome.subject_id
