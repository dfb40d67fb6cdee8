"""Screening: incidents in, outcomes out, with a summary that accounts for every record read.

The one pipeline behind `hocr check`, `hocr audit` and the benchmark: intake, then an engine, one incident at
a time, so memory stays flat however many incidents pass through.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Protocol

from hocr_rules.engine.outcomes import IncidentResult
from hocr_rules.errors import InputError
from hocr_rules.intake import Accepted, Read
from hocr_rules.model.incident import Incident


class Engine(Protocol):
    """What `screen` needs of an engine: results in input order, rejections passed through untouched."""

    notes: list[str]

    def evaluate(self, incident: Incident) -> IncidentResult: ...

    def evaluate_many(self, items: Iterable[Read]) -> Iterator[IncidentResult | InputError]: ...


@dataclass
class Summary:
    read: int = 0
    evaluated: int = 0
    rejected: int = 0
    incidents_with_breaches: int = 0
    breaches_by_rule: Counter = field(default_factory=Counter)
    rule_names: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)            # e.g. engine fall-backs, said openly

    @property
    def reconciles(self) -> bool:
        return self.read == self.evaluated + self.rejected

    def add(self, result: IncidentResult) -> None:
        self.evaluated += 1
        breaches = result.breaches
        for outcome in breaches:
            self.breaches_by_rule[outcome.rule.code] += 1
            self.rule_names[outcome.rule.code] = outcome.rule.name
        self.incidents_with_breaches += bool(breaches)

    def as_record(self) -> dict:
        return {
            "read": self.read, "evaluated": self.evaluated, "rejected": self.rejected,
            "incidents_with_breaches": self.incidents_with_breaches,
            "breaches": sum(self.breaches_by_rule.values()),
            "breaches_by_rule": dict(sorted(self.breaches_by_rule.items())),
            "notes": self.notes,
        }


def screen(reads: Iterable[Read], engine: Engine, summary: Summary,
           strict: bool = False) -> Iterator[IncidentResult | InputError]:
    """Evaluate each accepted incident; pass each rejection through. With `strict`, stop at the first."""
    for item in engine.evaluate_many(_counted(reads, summary, strict)):
        if isinstance(item, InputError):
            yield item
        else:
            summary.add(item)
            yield item
    summary.notes.extend(engine.notes)


def _counted(reads: Iterable[Read], summary: Summary, strict: bool) -> Iterator[Read]:
    for item in reads:
        summary.read += 1
        if not isinstance(item, Accepted):
            summary.rejected += 1
            if strict:
                raise item
        yield item
