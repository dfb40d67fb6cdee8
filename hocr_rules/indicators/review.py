"""The review outcome: a possible unrecorded crime, with the evidence an auditor needs to judge it.

A review is neither a breach (nobody has shown an offence was disclosed), nor compliant, nor not evaluable (the
data are there; a person must read them). It is a plain value in every output: `"outcome": "review"` beside the
same keys a rule's finding has, plus `evidence` (the code and what it means, or the quoted log text with its entry
index and character span) and `suggests` (the offence the indicator points to). Its subject is the incident,
since the candidate disclosure does not exist yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from hocr_rules.engine.outcomes import REVIEW

if TYPE_CHECKING:
    from hocr_rules.indicators.pack import CompiledIndicator


class Evidence(NamedTuple):
    """One thing on the incident that raised the candidate: a code, a qualifier, or a phrase in a log entry (a
    named tuple: several are made for most incidents with a log, and a frozen dataclass takes far longer)."""

    kind: str                     # "code", "qualifier" or "phrase"
    field: str                    # the code field, "qualifiers", or "log"
    value: str                    # the force's code, the qualifier, or the phrase as the indicator writes it
    means: tuple[str, ...] = ()   # what the force mapping says the code means
    entry: int | None = None      # index into the incident's log
    start: int | None = None      # character span of the match in that entry's text
    end: int | None = None
    quote: str | None = None      # the words as the log has them

    def describe(self) -> str:
        if self.kind == "phrase":
            return f"log entry {self.entry} characters {self.start}-{self.end}: \"{self.quote}\""
        if self.kind == "qualifier":
            return f"qualifier {self.value}"
        return f"{self.field} {self.value!r} ({', '.join(self.means)})"

    def as_record(self) -> dict[str, Any]:
        record: dict[str, Any] = {"kind": self.kind, "field": self.field, "value": self.value}
        if self.kind == "code":
            record["means"] = list(self.means)
        if self.kind == "phrase":
            record.update(entry=self.entry, start=self.start, end=self.end, quote=self.quote)
        return record


@dataclass(frozen=True, slots=True)
class Review:
    """One indicator's candidate on one incident. `rule`, `subject_kind` and `subject_id` are named as on a
    rule's outcome, so tables and writers show both the same way."""

    rule: CompiledIndicator
    version: str
    incident: str
    suggests: str | None
    evidence: tuple[Evidence, ...]
    outcome: str = REVIEW
    subject_kind: str = "incident"

    @property
    def subject_id(self) -> str:
        return self.incident

    @property
    def message(self) -> str:
        what = f"possible {self.suggests} not recorded" if self.suggests else "possible crime not recorded"
        return f"{what}: {'; '.join(e.describe() for e in self.evidence)}"

    def as_record(self) -> dict[str, Any]:
        """The machine-readable finding: a rule finding's keys (docs/findings.md), plus evidence and suggests."""
        return {
            "rule": self.rule.code, "name": self.rule.name, "version": self.version, "outcome": REVIEW,
            "severity": self.rule.severity, "incident": self.incident,
            "subject": {"kind": self.subject_kind, "id": self.incident}, "message": self.message,
            "hint": self.rule.hint, "citation": self.rule.citation, "facts": {"suggests": self.suggests},
            "derived_from": {}, "evidence": [e.as_record() for e in self.evidence], "suggests": self.suggests,
        }
