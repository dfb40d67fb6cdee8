"""What a run reports of each incident: the selected rules' outcomes, less reviewed findings, and where it was read.

Engines judge every rule (see `hocr_rules.selection` for why); this is the one place their results are cut to
what the user asked to see, so the table, every machine format, the summary and the exit code agree on it.
"""

from __future__ import annotations

from typing import Any

from hocr_rules.engine.outcomes import BREACH, NOT_EVALUABLE, REVIEW, IncidentResult, Outcome
from hocr_rules.reviewed import Reviewed

#: The outcomes a run counts and may fail on; compliant ones are only ever listed when asked for.
COUNTED = frozenset({BREACH, NOT_EVALUABLE})


class Reporting:
    """The rule codes that report (None: all) and the reviewed findings to leave out (None: none)."""

    def __init__(self, codes: frozenset[str] | None = None, reviewed: Reviewed | None = None):
        self.codes, self.reviewed = codes, reviewed
        self.keeps_all = codes is None and not reviewed  # the usual run: nothing to cut, so no test per outcome

    def keeps(self, outcome: Outcome) -> bool:
        return ((self.codes is None or outcome.rule.code in self.codes)
                and (self.reviewed is None or outcome not in self.reviewed))

    def screened(self, result: IncidentResult, source: str | None = None, line: int | None = None) -> "Screened":
        return Screened(result, self, source, line)


class Screened:
    """An incident's result as reported. `counted` (its breaches and not-evaluable outcomes that report) is
    worked out once, since the summary needs it for every incident; `suppressed` counts reviewed findings."""

    __slots__ = ("result", "reporting", "source", "line", "counted", "suppressed")

    def __init__(self, result: IncidentResult, reporting: Reporting, source: str | None, line: int | None):
        self.result, self.reporting, self.source, self.line = result, reporting, source, line
        selected = [o for o in result.findings(COUNTED)
                    if reporting.codes is None or o.rule.code in reporting.codes]
        reviewed = reporting.reviewed
        self.counted = selected if not reviewed else [o for o in selected if o not in reviewed]
        self.suppressed = len(selected) - len(self.counted)

    @property
    def incident(self) -> str:
        return self.result.incident

    @property
    def derived(self) -> dict[tuple[str, str], dict[str, Any]]:
        return self.result.derived

    @property
    def outcomes(self) -> list[Outcome]:
        return [o for o in self.result.outcomes if self.reporting.keeps(o)]

    def findings(self, include: frozenset[str] = frozenset({BREACH})) -> list[Outcome]:
        """Breaches and not-evaluable outcomes come from `counted`, without going over the results again, and
        so do breaches with reviews (what `hocr check` writes) when no reviewed finding could take a review out."""
        judged, reporting = include - {REVIEW}, self.reporting
        if judged <= COUNTED and (REVIEW not in include or not reporting.reviewed):
            found = [o for o in self.counted if o.outcome in judged]
            return found + self.reviews if REVIEW in include else found
        found = self.result.findings(include)
        return found if reporting.keeps_all else [o for o in found if reporting.keeps(o)]

    @property
    def breaches(self) -> list[Outcome]:
        return self.findings()

    @property
    def reviews(self) -> list[Outcome]:
        """The crime indicators' reviews of the selected indicators (reviews are never baselined away: each is a
        question an auditor has not yet answered)."""
        codes = self.reporting.codes
        return [r for r in self.result.reviews if codes is None or r.rule.code in codes]
