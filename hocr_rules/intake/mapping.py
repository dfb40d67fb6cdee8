"""The force mapping: where a force's export keeps each model field, and what the force's codes mean.

Forces export the same facts under their own column names, date formats and code lists, and they change their
code lists over time. One YAML file per force says, once, which table and column holds each model field, how
its dates are written and in which zone, how its values translate into model values (channels, qualifiers,
roles, C-codes), and what each of its codes means in the shared `CodeMeaning` vocabulary, in dated lists: a code
means what it meant on the incident's date. The file is read like a rule file (safe YAML, unknown keys refused
with the nearest valid key, errors with file and line) and its JSON Schema is `schemas/mapping.schema.json`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from hocr_rules.model.incident import (Cancellation, Channel, CodeField, CodeMeaning, CrimeRecord, Disclosure, Flag,
                                       Incident, LogEntry, LogEntryKind, N100Record, Person, Qualifier, Relationship,
                                       Reporter, Role, Status)
from hocr_rules.rulebook import yamlfile

SCHEMA_ID = "https://raw.githubusercontent.com/hocr-rules/hocr-rules/main/schemas/mapping.schema.json"

#: The tables of an export, the model record each row becomes, and the column that joins it to its parent:
#: rows join their incident by the incident's id; cancellations join their crime by its reference.
TABLES: dict[str, tuple[type[BaseModel], str]] = {
    "incidents": (Incident, "id"), "log_entries": (LogEntry, "incident"), "people": (Person, "incident"),
    "disclosures": (Disclosure, "incident"), "crimes": (CrimeRecord, "incident"), "n100s": (N100Record, "incident"),
    "cancellations": (Cancellation, "crime")}
#: Fields that hold records of their own (read from their own tables) or are made by the mapping, not by a column.
_NOT_COLUMNS = {"log", "people", "disclosures", "crime_records", "n100s", "code_readings", "cancellation",
                "log_span", "sampling_weight", "outcome"}


def mappable_fields(table: str) -> list[str]:
    """The model fields a column of this table may fill, with the joining field first."""
    model, key = TABLES[table]
    fields = [name for name in model.model_fields if name not in _NOT_COLUMNS]
    return [key] + [name for name in fields if name != key]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Table(Strict):
    """One table of the export: which files hold it and which column holds each model field."""

    file: list[str] = Field(min_length=1, description="File name patterns (shell globs, e.g. 'incidents*.csv*'), "
                                                       "matched against the name of each file given; .gz files are "
                                                       "read through. One pattern may be given as a string.")
    sheet: str | None = Field(default=None, description="For a workbook (.xlsx): the sheet holding this table.")
    columns: dict[str, str] = Field(description="Model field -> the column header holding it.")

    @field_validator("file", mode="before")
    @classmethod
    def _one_or_more(cls, value):
        return [value] if isinstance(value, str) else value


class Tables(Strict):
    incidents: Table
    log_entries: Table | None = None
    people: Table | None = None
    disclosures: Table | None = None
    crimes: Table | None = None
    n100s: Table | None = None
    cancellations: Table | None = None

    @model_validator(mode="after")
    def _known_fields(self) -> "Tables":
        for name in TABLES:
            table = getattr(self, name)
            if table is None:
                continue
            allowed = mappable_fields(name)
            for field in table.columns:
                if field not in allowed:
                    raise ValueError(f"{name}.columns: '{field}' is not a field of {name} "
                                     f"(fields: {', '.join(allowed)})")
            if allowed[0] not in table.columns:
                raise ValueError(f"{name}.columns: map '{allowed[0]}', the column that joins "
                                 f"{'the incident' if name != 'cancellations' else 'the crime record'}")
        return self


class Values(Strict):
    """Force values -> model values, per model field. A value not listed is passed on as it is: the model
    refuses it if it is not a model value (naming the row and column), and `hocr mapping check` counts it."""

    channel: dict[str, Channel] = Field(default_factory=dict)
    qualifiers: dict[str, Qualifier] = Field(default_factory=dict)
    kind: dict[str, LogEntryKind] = Field(default_factory=dict, description="Log entry kinds.")
    reported_by: dict[str, Reporter] = Field(default_factory=dict)
    sex: dict[str, Literal["female", "male", "unknown"]] = Field(default_factory=dict)
    relationship_to_offender: dict[str, Relationship] = Field(default_factory=dict)
    status: dict[str, Status] = Field(default_factory=dict, description="Crime record status.")
    flags: dict[str, Flag] = Field(default_factory=dict)
    decided_by: dict[str, Role] = Field(default_factory=dict, description="Roles deciding a cancellation.")
    rationale_approved_by: dict[str, Role] = Field(default_factory=dict)
    code: dict[str, str] = Field(default_factory=dict, description="Cancellation and transfer codes (C1 to C5).")
    reason: dict[str, str] = Field(default_factory=dict, description="N100 reasons (N100/01 to N100/03).")


class CodeList(Strict):
    """A force's code list for one field, in force from a date until the next list of that field."""

    start: date = Field(alias="from")
    note: str = Field(min_length=3, description="Where this list comes from and what changed.")
    codes: dict[str, list[CodeMeaning]] = Field(description="Force code -> what it means; [] means nothing.")


class Storm(Strict):
    """How STORM action text marks an entry's kind: text starting with a prefix is an entry of that kind. A
    qualifier entry adds the codes after the prefix to the incident's qualifiers; a cross-reference adds the
    crime number after it to the incident's crime numbers."""

    actions: dict[str, LogEntryKind] = Field(default_factory=lambda: dict(STORM_ACTIONS))


STORM_ACTIONS: dict[str, LogEntryKind] = {
    "DISPOSAL:": "disposal", "QUALIFIER:": "qualifier", "RECLASSIFIED:": "classification_change",
    "CRIME NO:": "cross_reference"}


class ForceMapping(Strict):
    """A force's export, described once: tables and columns, dates, values and dated code lists."""

    model_config = ConfigDict(extra="forbid", frozen=True, json_schema_extra={"$id": SCHEMA_ID})

    force: str = Field(min_length=2, description="The force whose export this describes.")
    timezone: str = Field(default="Europe/London", description="The zone of times written without an offset.")
    date_formats: list[str] = Field(
        default_factory=lambda: ["iso"], min_length=1,
        description="Tried in order: 'iso' (2025-05-01 10:00 or with an offset) or a strptime format.")
    list_separator: str = Field(default=";", min_length=1, description="Between the items of a list in one cell.")
    delimiter: str | None = Field(default=None, max_length=1,
                                  description="CSV delimiter; absent: detected from the first lines.")
    encoding: Literal["auto", "utf-8", "cp1252"] = Field(
        default="auto", description="auto: UTF-8 (with or without BOM), else Windows-1252 as Excel saves it.")
    tables: Tables | None = Field(default=None, description="Absent for a mapping of STORM text only.")
    values: Values = Field(default_factory=Values)
    codes: dict[CodeField, list[CodeList]] = Field(default_factory=dict)
    storm: Storm = Field(default_factory=Storm)

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"'{value}' is not a time zone name such as Europe/London") from None
        return value

    @field_validator("codes")
    @classmethod
    def _dated_in_order(cls, value: dict) -> dict:
        for field, lists in value.items():
            starts = [item.start for item in lists]
            if starts != sorted(set(starts)):
                raise ValueError(f"{field}: code lists must be in date order, one per date")
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def load_mapping(path: Path | str) -> ForceMapping:
    path = Path(path)
    data, lines = yamlfile.read(path, what="mapping file")
    return yamlfile.validate(ForceMapping, data, path, lines)


def json_schema() -> dict:
    """The mapping file's JSON Schema (draft-07, for editors through yaml-language-server)."""
    document = ForceMapping.model_json_schema(by_alias=True, ref_template="#/definitions/{model}")
    document["definitions"] = document.pop("$defs", {})
    return {"$schema": "http://json-schema.org/draft-07/schema#", "$id": SCHEMA_ID,
            **{key: value for key, value in document.items() if key != "$id"}}
