"""A rule file compiled once into the internal form both engines run.

Each version keeps its conditions as `Node` trees (for durable-rules and for `hocr explain`) and as
closures with that version's parameters folded in (for our evaluator). Which version applies is decided
by the date of the subject's own report or cancellation, never by the wall clock.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import cached_property
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable, Mapping

from hocr_rules.expressions import Evaluate, Node
from hocr_rules.model.timestamps import LONDON
from hocr_rules.rulebook.schema import Example, Messages, Reference, RuleFile

@dataclass(frozen=True)
class CompiledVersion:
    start: date
    start_seconds: float
    grade: str
    note: str
    parameters: dict[str, Any]
    lets: tuple[tuple[str, Node], ...]
    applies: Node
    test: Node
    run: Evaluate             # facts -> (applies, verdict), generated from the nodes above
    steps: dict[str, Callable[[Any], Any]]  # facts key of each `let` step -> its generated function
    step_keys: dict[str, str]               # `let` name -> its facts key (steps differ by version)
    applies_text: str = ""
    test_text: str = ""

    @cached_property
    def label(self) -> str:
        return self.start.isoformat()


@dataclass(frozen=True, eq=False, repr=False)
class CompiledRule:
    """A rule ready to run. It reads as its code wherever it is printed (`print(finding.rule)`,
    `f"{finding.rule}"`) and compares equal to its code, as the testing kit's `OutcomeKey.rule` is a code: a
    finding from the evaluator and a key from `hocr_rules.testing` name a rule the same way."""

    source: RuleFile
    path: Path
    versions: tuple[CompiledVersion, ...]
    dated_by: str
    reads: tuple[str, ...]          # every name a version reads or quotes, for the trace
    derived_inputs: dict[str, str]  # derived fact read -> code of the rule deriving it
    absence_tested: frozenset[str]  # names only ever tested with present()/missing(): absent is an answer there
    _starts: list[float] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._starts.extend(v.start_seconds for v in self.versions)

    @property
    def code(self) -> str:
        return self.source.code

    def __str__(self) -> str:
        return self.code

    def __format__(self, spec: str) -> str:
        return format(self.code, spec)

    def __repr__(self) -> str:
        return f"<rule {self.code} {self.name}>"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            return other == self.code
        return self is other

    def __hash__(self) -> int:
        return hash(self.code)  # equal to its code, so hashed as its code

    @property
    def name(self) -> str:
        return self.source.name

    @property
    def kind(self) -> str:
        return self.source.kind

    @property
    def subject(self) -> str:
        return self.source.subject

    @property
    def severity(self) -> str | None:
        return self.source.severity

    @property
    def overrides(self) -> list[str]:
        return self.source.overrides

    @property
    def messages(self) -> Messages:
        return self.source.messages

    @property
    def examples(self) -> list[Example]:
        return self.source.examples

    @property
    def references(self) -> list[Reference]:
        return self.source.references

    @cached_property
    def citation(self) -> str:
        """The first reference as one line: document, edition, section, pages, grade."""
        r = self.source.references[0]
        pages = f", pp. {r.pages}" if r.pages else ""
        return f"{r.document} {r.edition}, {r.section}{pages} [{r.grade}]"

    def trace(self, version: CompiledVersion, facts: Mapping[str, Any]) -> dict[str, Any]:
        """The names this rule read or quotes, with their values under `version` (its `let` steps included)."""
        keys = version.step_keys
        return {name: facts[keys.get(name, name)] for name in self.reads}

    def version_index(self, seconds: float) -> int:
        """Index of the version in force at that moment; -1 before the rule existed."""
        return bisect.bisect_right(self._starts, seconds) - 1

    def version_at(self, seconds: float | None) -> CompiledVersion | None:
        """The version in force at that moment, or None before the rule existed (or with no date)."""
        if seconds is None:
            return None
        index = self.version_index(seconds)
        return self.versions[index] if index >= 0 else None


def london_midnight(day: date) -> float:
    """Rules change on a date in England and Wales: the version starts at local midnight."""
    return datetime(day.year, day.month, day.day, tzinfo=LONDON).timestamp()
