"""`hocr schema`: the JSON Schemas of incident files and rule files, for editors and validators."""

from __future__ import annotations

import json
from enum import Enum

import typer

from hocr_rules.indicators.schema import json_schema as indicator_schema
from hocr_rules.model.incident import Incident
from hocr_rules.rulebook.schema import RuleFile


class Which(str, Enum):
    incident = "incident"
    rules = "rules"
    indicators = "indicators"


def schema(which: Which = typer.Argument(..., help="incident, rules or indicators")) -> None:
    """Print a JSON Schema: `incident` for input records, `rules` for rule files, `indicators` for indicator
    files (the draft-07 schema shipped as schemas/indicator-file.schema.json)."""
    if which is Which.indicators:
        typer.echo(json.dumps(indicator_schema(), indent=2, default=str))
        return
    model = Incident if which is Which.incident else RuleFile
    document = model.model_json_schema(by_alias=True)
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["$id"] = f"https://hocr-rules.invalid/schema/{which.value}.json"
    typer.echo(json.dumps(document, indent=2, default=str))
