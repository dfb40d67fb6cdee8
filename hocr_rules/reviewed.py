"""Reviewed findings: a file of findings an auditor has looked at, with who and why, so the next run shows what is new.

A monthly export repeats most of last month's incidents. Once an auditor has reviewed a breach (the crime was
recorded on another system; the force accepts the finding and has acted), it should not be re-read every month,
but it must never vanish without a trace: each entry names the incident, the rule, the subject, the outcome it
covers, who reviewed it and why. A run with the file leaves those findings out and says how many it left out.

The key is (incident, rule, subject kind, subject id, outcome), not the message: if the same breach reappears
with other facts it is the same finding, while a reviewed breach that becomes not evaluable (the data went
missing) is new, and shown. The file is YAML read with the rule files' reader, so a mistake gets file:line.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Iterable, Literal

from pydantic import Field

from hocr_rules.engine.outcomes import Outcome
from hocr_rules.errors import RuleFileError
from hocr_rules.rulebook import yamlfile
from hocr_rules.rulebook.schema import Strict

Key = tuple[str, str, str, str, str]


class Subject(Strict):
    kind: Literal["incident", "disclosure", "crime_record", "n100"]
    id: str = Field(min_length=1)


class Review(Strict):
    incident: str = Field(min_length=1)
    rule: str = Field(min_length=1, description="The rule's code, e.g. TL01.")
    subject: Subject
    outcome: Literal["breach", "not_evaluable"] = "breach"
    by: str = Field(min_length=1, description="Who reviewed the finding.")
    reason: str = Field(min_length=1, description="Why it need not be shown again.")
    on: date | None = Field(default=None, description="When it was reviewed.")

    @property
    def key(self) -> Key:
        return (self.incident, self.rule, self.subject.kind, self.subject.id, self.outcome)


class ReviewedFile(Strict):
    reviewed: list[Review] = Field(default_factory=list)


def key_of(outcome: Outcome) -> Key:
    return (outcome.incident, outcome.rule.code, outcome.subject_kind, outcome.subject_id, outcome.outcome)


class Reviewed:
    """The reviewed findings of one file, looked up by key; counts what it left out of a run."""

    def __init__(self, reviews: Iterable[Review] = (), path: Path | None = None):
        self.path = path
        self.reviews = {review.key: review for review in reviews}

    @classmethod
    def load(cls, path: Path) -> "Reviewed":
        data, lines = yamlfile.read(path, "reviewed-findings file")  # missing, a folder, not UTF-8: one line
        document = yamlfile.validate(ReviewedFile, data, path, lines)
        keys: dict[Key, int] = {}
        for index, review in enumerate(document.reviewed):
            if review.key in keys:
                raise RuleFileError(path, yamlfile.line_of(lines, ("reviewed", index)), f"reviewed.{index}",
                                    f"the same finding as entry {keys[review.key]}: give each finding once")
            keys[review.key] = index
        return cls(document.reviewed, path)

    def __contains__(self, outcome: Outcome) -> bool:
        return key_of(outcome) in self.reviews

    def __len__(self) -> int:
        return len(self.reviews)


def write(path: Path, keys: Iterable[Key], by: str, reason: str, on: date) -> int:
    """Add the findings with `keys` to the reviewed-findings file at `path` (its entries are kept, first);
    returns how many were new."""
    existing = Reviewed.load(path) if path.exists() else Reviewed()
    entries = [review.model_dump(mode="json", exclude_none=True) for review in existing.reviews.values()]
    added = 0
    for incident, rule, kind, subject, outcome in keys:
        review = Review(incident=incident, rule=rule, outcome=outcome, by=by, reason=reason, on=on,
                        subject=Subject(kind=kind, id=subject))
        if review.key not in existing.reviews:
            existing.reviews[review.key] = review
            entries.append(review.model_dump(mode="json", exclude_none=True))
            added += 1
    import yaml  # here: writing one is rare, and a check that only reads reviewed findings need not import it
    text = "# Reviewed findings: `hocr check --baseline` leaves these out. Key: incident, rule, subject, outcome.\n"
    path.write_text(text + yaml.safe_dump({"reviewed": entries}, sort_keys=False, allow_unicode=True),
                    encoding="utf-8")
    return added
