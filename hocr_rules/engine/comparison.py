"""Both engines on every incident, for rule authors: any disagreement is an error, said plainly.

The default evaluator's result is the one reported; the durable-rules result is compared with it on what a
finding is (rule, version, subject, outcome). Each incident is evaluated by durable-rules in its workers and by
our evaluator here, so a crash in durable-rules still cannot stop the run.
"""

from __future__ import annotations

from collections import deque
from typing import Any, Iterable, Iterator

from hocr_rules.engine.evaluator import Evaluator
from hocr_rules.engine.outcomes import IncidentResult
from hocr_rules.intake import Accepted


def finding_keys(result: IncidentResult) -> set[tuple]:
    return {(o.rule.code, o.version.label if o.version else None, o.subject_kind, o.subject_id, o.outcome)
            for o in result.outcomes}


class BothEngines:
    def __init__(self, default: Evaluator, durable: Any):
        self.default, self.durable = default, durable
        self.disagreements = 0
        self.notes: list[str] = []

    @property
    def pack(self):
        return self.default.pack

    @property
    def offences(self):
        return self.default.offences

    def evaluate(self, incident) -> IncidentResult:
        return self._compare(incident, self.durable.evaluate(incident))

    def evaluate_many(self, items: Iterable[Any]) -> Iterator[Any]:
        waiting: deque = deque()

        def remembered():
            for item in items:
                waiting.append(item)
                yield item

        for answer in self.durable.evaluate_many(remembered()):
            item = waiting.popleft()
            yield self._compare(item.incident, answer) if isinstance(item, Accepted) else answer
        self.notes.extend(self.durable.notes)
        if self.disagreements:
            self.notes.append(f"the engines disagreed on {self.disagreements} incident(s)")

    def _compare(self, incident, durable: IncidentResult) -> IncidentResult:
        ours = self.default.evaluate(incident)
        only_ours, only_durable = finding_keys(ours) - finding_keys(durable), finding_keys(durable) - finding_keys(ours)
        if only_ours or only_durable:
            self.disagreements += 1
            self.notes.append(f"incident {incident.id}: engines disagree; default only: {sorted(only_ours)}; "
                              f"durable only: {sorted(only_durable)}")
        return ours
