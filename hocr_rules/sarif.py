"""SARIF 2.1.0 findings (the format of GitHub code scanning and most static-analysis viewers), written as they come.

The objects are `sarif-pydantic` models, so field names and nesting follow the standard; the document is
streamed (the driver's rules first, then each result, then the invocation with rejected records and the
summary), since a force's export holds more findings than should be held in memory; the notifications, which
come mixed with the results but are listed after them, are spooled to disk until then (`hocr_rules.spool`), so
a file of bad records needs no more memory than a good one. Tests validate the output against the published
OASIS schema.

Readings: a breach is a result of kind `fail` at the level of the rule's severity; with `--all-outcomes` a
compliant outcome is kind `pass` and a not-evaluable one kind `review` (a person has to look: the facts are
missing), both at level `none` as the standard requires for any kind but `fail`. Each result points at the
incident's line in its input file, and names the incident and subject as a logical location and in its
properties. A rejected record is an error notification of the invocation, so `executionSuccessful` is false.
"""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import IO

from pydantic import BaseModel
from sarif_pydantic import (ArtifactLocation, Invocation, Level, Location, LogicalLocation, Message,
                            PhysicalLocation, Region, ReportingConfiguration, ReportingDescriptor, Result, Tool,
                            ToolDriver)
from sarif_pydantic.sarif import Notification

from hocr_rules.engine.outcomes import BREACH, COMPLIANT, Outcome
from hocr_rules.errors import InputError
from hocr_rules.provenance import DISTRIBUTION, pack_digest, tool_version
from hocr_rules.rulebook.compiled import CompiledRule
from hocr_rules.rulebook.pack import RulePack
from hocr_rules.spool import Spool

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {"high": Level.ERROR, "medium": Level.WARNING, "low": Level.NOTE, "advisory": Level.NOTE}
KINDS = {BREACH: "fail", COMPLIANT: "pass"}  # anything else (not evaluable) is for review
STDIN = "<stdin>"


def _dump(model: BaseModel) -> str:
    return model.model_dump_json(by_alias=True, exclude_none=True)


def descriptor(rule: CompiledRule) -> ReportingDescriptor:
    """A rule as SARIF metadata: code, name, title, statement, the hint and citation as help, every reference."""
    source = rule.source
    help_text = "\n\n".join(part for part in (source.statement.strip(), source.hint, f"Source: {rule.citation}")
                            if part)
    return ReportingDescriptor(
        id=rule.code, name=rule.name, short_description=Message(text=source.title),
        full_description=Message(text=source.statement.strip()), help=Message(text=help_text),
        help_uri=source.references[0].url,
        default_configuration=ReportingConfiguration(level=LEVELS[rule.severity].value) if rule.severity else None,
        properties={"citation": rule.citation, "grade": source.references[0].grade, "severity": rule.severity,
                    "subject": rule.subject, "kind": rule.kind,
                    "references": [r.model_dump(mode="json", exclude_none=True) for r in source.references],
                    "tags": ["crime-recording", rule.subject]})


def _artifact(source: str | None) -> ArtifactLocation | None:
    return None if source in (None, STDIN) else ArtifactLocation(uri=PurePath(source).as_posix())


class SarifWriter:
    def __init__(self, out: IO[str], pack: RulePack):
        self.out = out
        rules = [rule for rule in pack.rules if rule.kind == "finding"]
        self._index = {rule.code: index for index, rule in enumerate(rules)}
        driver = ToolDriver(name="hocr", full_name=f"{DISTRIBUTION} {tool_version()}", version=tool_version(),
                            rules=[descriptor(rule) for rule in rules],
                            properties={"rule_pack_sha256": pack_digest(pack), "profile": pack.profile.name})
        self._notifications = Spool(",")  # as compact JSON, which `_dump` writes, separates items
        self._first = True
        out.write(f'{{"version": "2.1.0", "$schema": "{SCHEMA}", "runs": [{{\n"tool": {_dump(Tool(driver=driver))},'
                  '\n"results": [')

    def write(self, item, include: frozenset[str]) -> None:
        if isinstance(item, InputError):
            self.rejected(item)
            return
        for outcome in item.findings(include):
            self._result(outcome, item.source, item.line)

    def _result(self, outcome: Outcome, source: str | None, line: int | None) -> None:
        rule = outcome.rule
        kind = KINDS.get(outcome.outcome, "review")
        where = _artifact(source)
        physical = PhysicalLocation(artifact_location=where, region=Region(start_line=line) if line else None)
        location = Location(
            physical_location=physical if where else None,
            logical_locations=[LogicalLocation(name=outcome.subject_id, kind="object",
                                               fully_qualified_name=f"{outcome.incident}/{outcome.subject_kind}/"
                                                                    f"{outcome.subject_id}")])
        record = outcome.as_record()
        result = Result(
            rule_id=rule.code, rule_index=self._index.get(rule.code), kind=kind,
            level=LEVELS[rule.severity] if kind == "fail" and rule.severity else Level.NONE,
            message=Message(text=f"incident {outcome.incident}, {outcome.subject_kind.replace('_', ' ')} "
                                 f"{outcome.subject_id}: {outcome.message}"),
            locations=[location],
            partial_fingerprints={"hocrFinding/v1": "/".join((outcome.incident, rule.code, outcome.subject_kind,
                                                              outcome.subject_id))},
            properties={"incident": outcome.incident, "subject": record["subject"], "outcome": outcome.outcome,
                        "version": record["version"], "citation": rule.citation, "hint": record["hint"],
                        "facts": record["facts"]})
        self.out.write(("\n  " if self._first else ",\n  ") + _dump(result))
        self._first = False

    def rejected(self, error: InputError) -> None:
        where = _artifact(error.source)
        location = Location(physical_location=PhysicalLocation(
            artifact_location=where, region=Region(start_line=error.line) if error.line else None)) if where else None
        self._notifications.append(_dump(Notification(
            level="error", message=Message(text=str(error)), locations=[location] if location else None,
            properties={"incident": error.record,
                        "problems": [{"field": f, "message": m} for f, m in error.problems]})))

    def close(self, summary: dict) -> None:
        self.out.write('\n],\n"invocations": [')
        if self._notifications.count:
            # sarif-pydantic's Invocation lacks this field: it is written under its own name, after the others
            self.out.write(_dump(Invocation(execution_successful=False)).removesuffix("}")
                           + ',"toolExecutionNotifications":[')
            self._notifications.copy_to(self.out)
            self.out.write("]}")
        else:
            self.out.write(_dump(Invocation(execution_successful=True)))
        self.out.write(f'],\n"properties": {{"summary": {json.dumps(summary, ensure_ascii=False)}}}}}]}}\n')
        self.out.flush()
