"""`hocr schema`: the JSON Schemas of incident files, rule files, indicator files and profiles, for editors and
validators."""

from __future__ import annotations

import json
from enum import Enum

import typer

from hocr_rules.model.incident import Incident
from hocr_rules.rulebook import json_schema


class Which(str, Enum):
    incident = "incident"
    rules = "rules"
    profile = "profile"
    indicators = "indicators"


def schema(which: Which = typer.Argument(..., help="incident, rules, profile or indicators")) -> None:
    """Print a JSON Schema: `incident` for input records, `rules` for rule files, `profile` for force profiles,
    `indicators` for crime indicator files. All but the first are the files shipped in schemas/ (draft-07, for
    editors)."""
    if which.value in json_schema.SHIPPED:
        typer.echo(json_schema.text(which.value), nl=False)
        return
    document = Incident.model_json_schema(by_alias=True)
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["$id"] = "https://hocr-rules.invalid/schema/incident.json"
    typer.echo(json.dumps(document, indent=2, default=str))
