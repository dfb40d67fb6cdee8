"""Screening: incidents in, outcomes out, with a summary that accounts for every record read.

The one pipeline behind `hocr check`, `hocr audit` and the benchmark: intake, then an engine, one incident at
a time, so memory stays flat however many incidents pass through.

The crime indicators (hocr_rules.indicators) are a stage of this pipeline, not rules inside an engine: each
accepted incident is screened as it goes into the engine and its reviews are put on its result as it comes out.
A review depends only on the incident, so whichever engine judged it (or both), the reviews are the same; the
durable engine's worker processes never see them.
"""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Protocol

from hocr_rules.engine.outcomes import BREACH, IncidentResult
from hocr_rules.errors import InputError
from hocr_rules.indicators.pack import IndicatorSet
from hocr_rules.intake import Accepted, Read
from hocr_rules.model.incident import Incident
from hocr_rules.rulebook.pack import RulePack
from hocr_rules.reporting import COUNTED, Reporting, Screened


class Engine(Protocol):
    """What `screen` needs of an engine: results in input order, rejections passed through untouched."""

    notes: list[str]
    pack: RulePack

    def evaluate(self, incident: Incident) -> IncidentResult: ...

    def evaluate_many(self, items: Iterable[Read]) -> Iterator[IncidentResult | InputError]: ...


@dataclass
class Summary:
    read: int = 0
    evaluated: int = 0
    rejected: int = 0
    incidents_with_breaches: int = 0
    breaches_by_rule: Counter = field(default_factory=Counter)
    not_evaluable_by_rule: Counter = field(default_factory=Counter)  # always counted: "no breach" is not "judged"
    suppressed: int = 0                                        # reviewed findings left out (--baseline)
    rule_names: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)            # e.g. engine fall-backs, said openly
    incidents_for_review: int = 0                             # incidents with at least one indicator's review
    incidents_for_review_only: int = 0                        # ... and no breach: what a breach count misses
    reviews_by_indicator: Counter = field(default_factory=Counter)

    @property
    def reconciles(self) -> bool:
        return self.read == self.evaluated + self.rejected

    @property
    def incidents_clean(self) -> int:
        """Evaluated incidents with neither a breach nor a review."""
        return self.evaluated - self.incidents_with_breaches - self.incidents_for_review_only

    @property
    def breaches(self) -> int:
        return sum(self.breaches_by_rule.values())

    @property
    def not_evaluable(self) -> int:
        return sum(self.not_evaluable_by_rule.values())

    def add(self, result: IncidentResult | Screened) -> None:
        self.evaluated += 1
        counted = result.counted if isinstance(result, Screened) else result.findings(COUNTED)
        breached = False
        for outcome in counted:
            if outcome.outcome == BREACH:
                self.breaches_by_rule[outcome.rule.code] += 1
                breached = True
            else:
                self.not_evaluable_by_rule[outcome.rule.code] += 1
            self.rule_names[outcome.rule.code] = outcome.rule.name
        self.incidents_with_breaches += breached
        if isinstance(result, Screened):
            self.suppressed += result.suppressed
        reviews = result.reviews
        if reviews:
            self.incidents_for_review += 1
            self.incidents_for_review_only += not breached
            for review in reviews:
                self.reviews_by_indicator[review.rule.code] += 1
                self.rule_names[review.rule.code] = review.rule.name

    def merge(self, part: "Summary") -> None:
        """Add the counts of another part of the same run (a worker's block, a Dask partition): counts add up,
        names and notes are kept."""
        for name in ("read", "evaluated", "rejected", "incidents_with_breaches", "suppressed",
                     "incidents_for_review", "incidents_for_review_only"):
            setattr(self, name, getattr(self, name) + getattr(part, name))
        for name in ("breaches_by_rule", "not_evaluable_by_rule", "reviews_by_indicator"):
            getattr(self, name).update(getattr(part, name))
        self.rule_names.update(part.rule_names)
        self.notes.extend(note for note in part.notes if note not in self.notes)

    def as_record(self) -> dict:
        """Evaluated incidents reconcile as incidents_with_breaches + incidents_for_review_only +
        incidents_clean."""
        return {
            "read": self.read, "evaluated": self.evaluated, "rejected": self.rejected,
            "incidents_with_breaches": self.incidents_with_breaches,
            "breaches": self.breaches,
            "breaches_by_rule": dict(sorted(self.breaches_by_rule.items())),
            "incidents_for_review": self.incidents_for_review,
            "incidents_for_review_only": self.incidents_for_review_only,
            "incidents_clean": self.incidents_clean,
            "reviews": sum(self.reviews_by_indicator.values()),
            "reviews_by_indicator": dict(sorted(self.reviews_by_indicator.items())),
            "not_evaluable": self.not_evaluable,
            "not_evaluable_by_rule": dict(sorted(self.not_evaluable_by_rule.items())),
            "suppressed": self.suppressed,
            "notes": self.notes,
        }


def screen(reads: Iterable[Read], engine: Engine, summary: Summary, strict: bool = False,
           reporting: Reporting | None = None) -> Iterator[Screened | InputError]:
    """Evaluate each accepted incident and screen it with the pack's indicators; pass each rejection through.
    With `strict`, stop at the first.

    Each result comes out as `reporting` cuts it (default: everything), with the file and line it was read
    from; engines give results in input order, so what was noted on the way in (the place read, the
    indicators' reviews) is matched to results first in, first out."""
    reporting = reporting or Reporting()
    pending: deque = deque()  # (incident id, reviews, source, line) of incidents whose results have not come back
    for item in engine.evaluate_many(_counted(reads, summary, strict, engine.pack.indicators, pending)):
        if isinstance(item, InputError):
            yield item
            continue
        incident, reviews, source, line = pending.popleft()
        if incident != item.incident:  # engines return results in input order; say so loudly if one did not
            raise RuntimeError(f"engine returned incident {item.incident} where {incident} was expected")
        item.reviews = reviews
        screened = reporting.screened(item, source, line)
        summary.add(screened)
        yield screened
    summary.notes.extend(engine.notes)


def _counted(reads: Iterable[Read], summary: Summary, strict: bool, indicators: IndicatorSet,
             pending: deque) -> Iterator[Read]:
    for item in reads:
        summary.read += 1
        if isinstance(item, Accepted):
            pending.append((item.incident.id, indicators.screen(item.incident), item.source, item.line))
        else:
            summary.rejected += 1
            if strict:
                raise item
        yield item
