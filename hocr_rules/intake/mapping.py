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

from hocr_rules.model.incident import (AuthoriserRank, Cancellation, Channel, CodeField, CodeMeaning, Confirmation,
                                       CrimeRecord, Disclosure, Flag, FindingSource, HateStrand, Incident, Injury,
                                       LogEntry, LogEntryKind, MetalTheftFlag, N100CancellationReason, N100Record,
                                       N100Status, NrmDecision, Outcome, Person, Qualifier, Reclassification, Recorded,
                                       Relationship, ReligionFlag, Reporter, RiskLevel, Role, Status, ThreatConveyed,
                                       ThreatIntent, ThreatOf, VictimWishes, WorkerRole)
from hocr_rules.rulebook import yamlfile

SCHEMA_ID = "https://raw.githubusercontent.com/hocr-rules/hocr-rules/main/schemas/mapping.schema.json"

#: The tables of an export, the model record each row becomes, and the column that joins it to its parent:
#: rows join their incident by the incident's id; a crime's cancellation, outcome and reclassifications join their
#: crime by its reference.
TABLES: dict[str, tuple[type[BaseModel], str]] = {
    "incidents": (Incident, "id"), "log_entries": (LogEntry, "incident"), "people": (Person, "incident"),
    "disclosures": (Disclosure, "incident"), "crimes": (CrimeRecord, "incident"), "n100s": (N100Record, "incident"),
    "cancellations": (Cancellation, "crime"), "outcomes": (Outcome, "crime"),
    "reclassifications": (Reclassification, "crime")}
#: The tables joined on a crime's reference, and the crime record field their rows fill: one cancellation and one
#: outcome a crime, and its reclassifications as a list, oldest (first in the file) first.
CRIME_TABLES: dict[str, str] = {"cancellations": "cancellation", "outcomes": "outcome",
                                "reclassifications": "classification_history"}
#: Per table, the fields that hold records of their own (read from their own tables) or are made by the mapping,
#: not by a column. Per table, since a name may be records in one and a column in another: an incident's
#: `disclosures` are records, a crime's the ids of the disclosures it records.
_NOT_COLUMNS = {"incidents": {"log", "people", "disclosures", "crime_records", "n100s", "code_readings",
                              "sampling_weight"},
                "disclosures": {"log_span"}, "crimes": set(CRIME_TABLES.values())}


def mappable_fields(table: str) -> list[str]:
    """The model fields a column of this table may fill, with the joining field first."""
    model, key = TABLES[table]
    fields = [name for name in model.model_fields if name not in _NOT_COLUMNS.get(table, ())]
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
    outcomes: Table | None = None
    reclassifications: Table | None = None

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
                                 f"{'the crime record' if name in CRIME_TABLES else 'the incident'}")
        return self


class ValueList(Strict):
    """A force's list of values for one code field, in force from a date until the next list of that field."""

    start: date = Field(alias="from")
    note: str = Field(min_length=3, description="Where this list comes from and what changed.")
    values: dict[str, str] = Field(description="Force code -> the model's value (an outcome type 1 to 24, 1A, "
                                               "2A, 3A; C1 to C5; N100/01 to N100/03).")


#: A value map for a force code, undated or as dated lists (a code means what the list in force said).
CodeValues = dict[str, str] | list[ValueList]
#: The tables whose force code field may be read through dated lists, and the record's own time that says which
#: list applies (a crime is finalised or cancelled long after it was reported, under the list in force then);
#: a row without that time is read on the incident's local date, as codes are.
DATED_VALUES: dict[str, tuple[str, str]] = {"cancellations": ("code", "decided_at"), "outcomes": ("type", "decided_at"),
                                            "n100s": ("reason", "created_at")}
#: Value maps whose name is not the field's: a field whose name two tables share with different values.
VALUE_KEYS: dict[tuple[str, str], str] = {("incidents", "kind"): "incident_kind", ("n100s", "status"): "n100_status"}


def value_key(table: str, field: str) -> str:
    """The `values` map that translates this table's field."""
    return VALUE_KEYS.get((table, field), field)


class Values(Strict):
    """Force values -> model values, per model field. A value not listed is passed on as it is: the model
    refuses it if it is not a model value (naming the row and column), and `hocr mapping check` counts it.
    Yes/no answers recorded as yes, no or not_known (`named_suspect`, `victim_informed`, ...) have a map each,
    as the force may write them Y, N and U in one table and TRUE, FALSE and blank in another."""

    # incidents and log entries
    channel: dict[str, Channel] = Field(default_factory=dict)
    qualifiers: dict[str, Qualifier] = Field(default_factory=dict)
    incident_kind: dict[str, Literal["primary", "secondary"]] = Field(default_factory=dict,
                                                                      description="Primary or secondary incident.")
    kind: dict[str, LogEntryKind] = Field(default_factory=dict, description="Log entry kinds.")
    # people
    sex: dict[str, Literal["female", "male", "unknown"]] = Field(default_factory=dict)
    relationship_to_offender: dict[str, Relationship] = Field(default_factory=dict)
    worker_role: dict[str, WorkerRole] = Field(default_factory=dict)
    # disclosures
    reported_by: dict[str, Reporter] = Field(default_factory=dict)
    victim_confirmed: dict[str, Confirmation] = Field(default_factory=dict)
    source: dict[str, FindingSource] = Field(default_factory=dict, description="Where a disclosure was found.")
    school_protocol: dict[str, Literal["minor", "serious", "crime_requested"]] = Field(default_factory=dict)
    injury: dict[str, Injury] = Field(default_factory=dict)
    threat_of: dict[str, ThreatOf] = Field(default_factory=dict)
    threat_conveyed: dict[str, ThreatConveyed] = Field(default_factory=dict)
    threat_intent: dict[str, ThreatIntent] = Field(default_factory=dict)
    offender_dealt_with: dict[str, Recorded] = Field(default_factory=dict)
    undefined_offenders: dict[str, Recorded] = Field(default_factory=dict)
    feared_violence: dict[str, Recorded] = Field(default_factory=dict)
    # crimes
    status: dict[str, Status] = Field(default_factory=dict, description="Crime record status.")
    flags: dict[str, Flag] = Field(default_factory=dict)
    hate_perceived: dict[str, HateStrand] = Field(default_factory=dict)
    hate_strands: dict[str, HateStrand] = Field(default_factory=dict)
    religion_flags: dict[str, ReligionFlag] = Field(default_factory=dict)
    metal_theft_flags: dict[str, MetalTheftFlag] = Field(default_factory=dict)
    online_element: dict[str, Recorded] = Field(default_factory=dict)
    victim_wishes: dict[str, VictimWishes] = Field(default_factory=dict)
    domestic_abuse_risk: dict[str, RiskLevel] = Field(default_factory=dict)
    rationale_approved_by: dict[str, Role] = Field(default_factory=dict)
    delay_overseen_by: dict[str, Role] = Field(default_factory=dict)
    delay_rationale_recorded: dict[str, Recorded] = Field(default_factory=dict)
    delay_oversight_recorded: dict[str, Recorded] = Field(default_factory=dict)
    racially_or_religiously_aggravated: dict[str, Recorded] = Field(default_factory=dict)
    # cancellations and outcomes
    code: CodeValues = Field(default_factory=dict, description="Cancellation and transfer codes (C1 to C5).")
    decided_by: dict[str, Role] = Field(default_factory=dict,
                                        description="Roles deciding a cancellation or applying an outcome.")
    victim_informed: dict[str, Recorded] = Field(default_factory=dict,
                                                 description="Of a cancellation or of an outcome.")
    nrm_decision: dict[str, NrmDecision] = Field(default_factory=dict)
    rationale_recorded: dict[str, Recorded] = Field(default_factory=dict)
    avi_source_recorded: dict[str, Recorded] = Field(default_factory=dict)
    type: CodeValues = Field(default_factory=dict, description="Outcome types (1 to 24, 1A, 2A, 3A).")
    authoriser_rank: dict[str, AuthoriserRank] = Field(default_factory=dict)
    named_suspect: dict[str, Recorded] = Field(default_factory=dict)
    victim_view_recorded: dict[str, Recorded] = Field(default_factory=dict)
    summary_only_charge: dict[str, Recorded] = Field(default_factory=dict)
    activity_completed: dict[str, Recorded] = Field(default_factory=dict)
    cps_authorised: dict[str, Recorded] = Field(default_factory=dict)
    prior_offending_within_two_years: dict[str, Recorded] = Field(default_factory=dict)
    suspect_informed: dict[str, Recorded] = Field(default_factory=dict)
    cps_charging_required: dict[str, Recorded] = Field(default_factory=dict)
    tic_linked_to_charge: dict[str, Recorded] = Field(default_factory=dict)
    # reclassifications
    by: dict[str, Role] = Field(default_factory=dict, description="Roles reclassifying a crime.")
    # N100s
    reason: CodeValues = Field(default_factory=dict, description="N100 reasons (N100/01 to N100/03).")
    n100_status: dict[str, N100Status] = Field(default_factory=dict, description="N100 status (open, crimed, "
                                                                                 "cancelled).")
    cancelled_by: dict[str, Role] = Field(default_factory=dict)
    cancellation_reason: dict[str, N100CancellationReason] = Field(default_factory=dict)
    reclassified_by: dict[str, Role] = Field(default_factory=dict)
    investigation_begun: dict[str, Recorded] = Field(default_factory=dict)

    @field_validator("code", "type", "reason")
    @classmethod
    def _dated_in_order(cls, value):
        if isinstance(value, list):
            _in_date_order(value)
        return value


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
            try:
                _in_date_order(lists)
            except ValueError as error:
                raise ValueError(f"{field}: {error}") from None
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def _in_date_order(lists: list) -> None:
    starts = [item.start for item in lists]
    if starts != sorted(set(starts)):
        raise ValueError("code lists must be in date order, one per date")


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
