"""The shape of a rule file, as a pydantic model that forbids unknown keys.

Every rule carries the same documentation fields (statement, why, known problems, references with an
evidence grade) so that a trainer can read any rule the same way, and the schema refuses a rule without them.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

Grade = Literal["V", "S", "R"]
Severity = Literal["high", "medium", "low", "advisory"]
Outcome = Literal["breach", "compliant", "not_evaluable", "not_in_scope"]
Subject = Literal["incident", "disclosure", "crime_record", "n100"]

CODE = re.compile(r"^[A-Z]{2}[0-9]{2}$")
NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
PARAMETER_REFERENCE = re.compile(r"^\$[a-z_][a-z0-9_]*$")


class Strict(BaseModel):
    # validators built on first use: a run builds only the file formats it reads (start-up, issue 11)
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Reference(Strict):
    document: str = Field(min_length=3)
    edition: str
    section: str
    pages: str | None = None
    url: str = Field(pattern=r"^https?://")
    grade: Grade


class Version(Strict):
    """One edition of a rule: in force from `from` (a date, or `$name` of a pack parameter) until the next."""

    start: date | str = Field(alias="from")
    grade: Grade = Field(description="Evidence grade of the date and parameters of this version.")
    note: str = Field(min_length=3, description="What this version encodes and where its date comes from.")
    parameters: dict[str, Any] = Field(default_factory=dict)
    applies_when: str | None = Field(default=None, description="Replaces the rule's applies_when from this date.")
    breach_when: str | None = Field(default=None, description="Replaces the rule's breach_when from this date.")
    value: str | None = Field(default=None, description="Replaces a derivation's value from this date.")

    @field_validator("start")
    @classmethod
    def _date_or_parameter(cls, value):
        return date_or_parameter(value)


def date_or_parameter(value: date | str) -> date | str:
    """A version's `from`: a date, or `$name` of a pack parameter (resolved when the pack is loaded)."""
    if isinstance(value, str) and not PARAMETER_REFERENCE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValueError("expected a date (2015-04-01) or a pack parameter such as $twenty_four_hours_from")
    return value


class Messages(Strict):
    breach: str | None = None
    compliant: str | None = None
    not_evaluable: str = "{reason}"


class Expectation(Strict):
    """What a case must produce for one subject: an outcome (finding rules) or a value (derivation rules)."""

    subject: str = Field(min_length=1, description="Id of the subject: disclosure id, crime reference, N100 id.")
    outcome: Outcome | None = None
    value: Any = None

    @model_validator(mode="after")
    def _one_of(self) -> "Expectation":
        if ("outcome" in self.model_fields_set) == ("value" in self.model_fields_set):
            raise ValueError("give exactly one of 'outcome' (finding rules) or 'value' (derivation rules)")
        return self


class Example(Strict):
    name: str = Field(min_length=10, description="A sentence saying what the case shows.")
    incident: dict[str, Any]
    expect: list[Expectation] = Field(min_length=1)


class RuleFile(Strict):
    # the patterns are checked by the validators below, with messages that say how to fix them; they are
    # repeated in the JSON Schema for editors
    code: str = Field(description="Short stable code: two capitals and two digits, never reused (TL01).",
                      json_schema_extra={"pattern": CODE.pattern})
    name: str = Field(description="kebab-case name of the failure the rule flags (late-crime-record).",
                      json_schema_extra={"pattern": NAME.pattern})
    aliases: list[str] = Field(default_factory=list, description="Retired codes this rule replaces.")
    kind: Literal["finding", "derivation"] = "finding"
    title: str = Field(min_length=5)
    subject: Subject
    statement: str = Field(min_length=20, description="One or two sentences a trainer can read out.")
    why: str = Field(min_length=20, description="The inspection failure this rule guards against.")
    known_problems: str = Field(min_length=10, description="Ambiguities and the reading an inspector would take.")
    references: list[Reference] = Field(min_length=1)
    severity: Severity | None = None
    dated_by: str | None = Field(default=None, description="Fact whose date picks the version in force.")
    overrides: list[str] = Field(default_factory=list, description="Codes of general rules this one replaces.")
    versions: list[Version] = Field(min_length=1)
    let: dict[str, str] = Field(default_factory=dict, description="Named intermediate values, in order.")
    applies_when: str = "true"
    breach_when: str | None = None
    not_in_scope: dict[str, str] = Field(
        default_factory=dict, description="Why the rule does not apply, for `hocr explain`: each condition of "
        "applies_when (a part joined by `and`, as written there) -> a sentence saying what its being false means "
        "(\"the offence is not a rape\"); the facts it read are printed after it.")
    derives: str | None = Field(default=None, description="Derivation rules: the fact they set.")
    value: str | None = Field(default=None, description="Derivation rules: the expression for that fact.")
    messages: Messages = Messages()
    hint: str | None = None
    examples: list[Example] = Field(min_length=2)

    @field_validator("code")
    @classmethod
    def _code(cls, value: str) -> str:
        if not CODE.match(value):
            raise ValueError("expected two capital letters and two digits, e.g. TL01")
        return value

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not NAME.match(value):
            raise ValueError("expected a kebab-case name, e.g. late-crime-record")
        return value

    @model_validator(mode="after")
    def _kind_fields(self) -> "RuleFile":
        if self.kind == "finding":
            missing = ["severity"] if self.severity is None else []
            if self.breach_when is None and not all(v.breach_when for v in self.versions):
                missing.append("breach_when")
            missing += [f"messages.{k}" for k in ("breach", "compliant") if getattr(self.messages, k) is None]
            if missing:
                raise ValueError(f"a finding rule needs: {', '.join(missing)}")
            if self.derives or self.value:
                raise ValueError("a finding rule has no 'derives' or 'value'; use kind: derivation")
            outcomes = {e.outcome for case in self.examples for e in case.expect}
            for needed in ("breach", "compliant"):
                if needed not in outcomes:
                    raise ValueError(f"examples: needs at least one case expecting '{needed}'")
            if None in outcomes:
                raise ValueError("examples: a finding rule's cases expect an 'outcome', not a 'value'")
        else:
            if not self.derives or not (self.value or all(v.value for v in self.versions)):
                raise ValueError("a derivation rule needs 'derives' (the fact it sets) and 'value'")
            if self.breach_when or self.severity:
                raise ValueError("a derivation rule has no 'breach_when' or 'severity'")
            values = {repr(e.value) for case in self.examples for e in case.expect if e.outcome is None}
            if len(values) < 2 or any(e.outcome for case in self.examples for e in case.expect):
                raise ValueError("examples: a derivation rule's cases expect a 'value', at least two different")
        return self

    @property
    def stem(self) -> str:
        return f"{self.code}-{self.name}"


class Profile(Strict):
    """A force's choices: pack parameters (e.g. dates graded [S]) and per-rule parameters, never edits."""

    name: str = "default"
    parameters: dict[str, Any] = Field(default_factory=dict)
    rules: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="Rule code -> parameter overrides for every version of that rule.")
    disabled: list[str] = Field(default_factory=list, description="Rule codes this force does not run.")
    #: the file and key lines it was read from, so a wrong code in it is reported at its line
    _origin: tuple[Any, dict[tuple, int]] | None = PrivateAttr(default=None)

    def error(self, key: tuple, message: str):
        """A problem with this profile, at the line of `key` in its file (when it was read from one)."""
        from hocr_rules.errors import RuleFileError
        from hocr_rules.rulebook.yamlfile import line_of
        path, lines = self._origin or ("profile", {})
        return RuleFileError(path, line_of(lines, key) if lines else None, ".".join(map(str, key)), message)


class Parameter(Strict):
    value: Any
    grade: Grade
    source: str
    note: str


class PackParameters(Strict):
    parameters: dict[str, Parameter]
