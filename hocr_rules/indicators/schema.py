"""The shape of an indicator file (`rules/indicators/*.yaml`), as a pydantic model that forbids unknown keys.

An indicator is a rule about what the incident *says*, not about what the force recorded: a code the force
mapping reads as crime-related, a qualifier, or words in the log, each pointing to an offence nobody coded. It
carries the same documentation as a rule (statement, why, known problems, references with a grade, dated
versions) and its examples are its tests. It reads only the shared code meanings (`CodeMeaning`), never a force's
own codes, so one file serves every force.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from hocr_rules.model.incident import CodeField, CodeMeaning, Qualifier
from hocr_rules.rulebook.schema import CODE, NAME, Grade, Reference, Severity, Strict, date_or_parameter

MatchFlag = Literal["negated", "hypothetical", "historical", "other_person", "question"]


class Signals(Strict):
    """What raises the candidate: any one of these found on the incident is evidence of it."""

    codes: list[CodeMeaning] = Field(
        default_factory=list, description="Code meanings (through the force mapping) that point to this offence.")
    code_fields: list[CodeField] = Field(
        default_factory=list, description="Only codes in these fields count (default: every field).")
    qualifiers: list[Qualifier] = Field(default_factory=list, description="Incident qualifiers that point to it.")
    phrases: list[str] = Field(
        default_factory=list, description="Words in the log text (capitals and one-letter typos in words of seven "
                                          "letters or more are tolerated).")
    accept: list[MatchFlag] = Field(
        default_factory=list, description="Phrase matches with these flags still count (by default a negated, "
                                          "hypothetical, historical, other-person or risk-script match does not).")

    @model_validator(mode="after")
    def _something(self) -> "Signals":
        if not (self.codes or self.qualifiers or self.phrases):
            raise ValueError("give at least one of codes, qualifiers or phrases")
        for phrase in self.phrases:
            if not any(ch.isalnum() for ch in phrase):
                raise ValueError(f"the phrase {phrase!r} has no words")
        return self


class SatisfiedBy(Strict):
    """What the force recorded that answers the candidate, so it is not a review (no crying wolf)."""

    offences: list[str] = Field(
        default_factory=list, description="Offence groups or families (as in rules/offences.csv): a disclosure or "
                                          "crime record of one of them answers the candidate.")
    any_record: bool = Field(
        default=False, description="Any disclosure, crime record or linked crime number answers it.")
    non_crime_rationale: bool = Field(
        default=False, description="A recorded reason the incident was not crimed answers it.")

    @model_validator(mode="after")
    def _something(self) -> "SatisfiedBy":
        if not (self.offences or self.any_record or self.non_crime_rationale):
            raise ValueError("say what answers the candidate: offences, any_record or non_crime_rationale")
        return self


class IndicatorVersion(Strict):
    """One edition: in force from `from` (a date, or `$name` of a pack parameter) until the next."""

    start: date | str = Field(alias="from")
    grade: Grade
    note: str = Field(min_length=3)
    suggests: str | None = Field(default=None, description="The offence suggested from this date, if it changed.")
    in_force: bool = Field(default=True, description="False: no such offence on these dates; nothing is raised.")

    @field_validator("start")
    @classmethod
    def _date_or_parameter(cls, value):
        return date_or_parameter(value)


class IndicatorExample(Strict):
    name: str = Field(min_length=10, description="A sentence saying what the case shows.")
    incident: dict[str, Any]
    review: bool = Field(description="Whether this indicator must raise a review on the incident.")
    quote: str | None = Field(default=None, description="Text the evidence must quote (a phrase match).")


class IndicatorFile(Strict):
    code: str = Field(description="Two capitals and two digits, never reused and never a rule's (IN01).")
    name: str = Field(description="kebab-case name of what it finds (violence-described-in-log).")
    title: str = Field(min_length=5)
    statement: str = Field(min_length=20, description="One or two sentences a trainer can read out.")
    why: str = Field(min_length=20, description="The inspection failure this indicator guards against.")
    known_problems: str = Field(min_length=10, description="Ambiguities and the reading an inspector would take.")
    references: list[Reference] = Field(min_length=1)
    severity: Severity
    suggests: str | None = Field(
        default=None, description="The offence (HO classification or code) it suggests; none: not classifiable "
                                  "from the evidence (e.g. a crime-related closing code).")
    signals: Signals
    satisfied_by: SatisfiedBy
    versions: list[IndicatorVersion] = Field(min_length=1)
    hint: str = Field(min_length=10, description="What the auditor should do with the candidate.")
    examples: list[IndicatorExample] = Field(min_length=2)

    @field_validator("code")
    @classmethod
    def _code(cls, value: str) -> str:
        if not CODE.match(value):
            raise ValueError("expected two capital letters and two digits, e.g. IN01")
        return value

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not NAME.match(value):
            raise ValueError("expected a kebab-case name, e.g. violence-described-in-log")
        return value

    @model_validator(mode="after")
    def _examples_both_ways(self) -> "IndicatorFile":
        if {e.review for e in self.examples} != {True, False}:
            raise ValueError("examples: needs a case that raises a review and one that must not")
        return self

    @property
    def stem(self) -> str:
        return f"{self.code}-{self.name}"
