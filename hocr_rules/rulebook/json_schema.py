"""The JSON Schemas of the files authors write (rule files, indicator files, profiles), as shipped in `schemas/`.

Editors validate and complete YAML against these while an author types: yaml-language-server (VS Code's YAML
extension, Neovim, Helix) reads the `# yaml-language-server: $schema=...` line at the top of each rule file. They
are written in draft-07, the draft those servers support best, with definitions under `definitions` as draft-07
has them, and a real `$id` (where the file is published) so a schema store or a force's own repository can point
at them. The files are generated from the pydantic models that load the files, so they cannot say something the
loader does not; a test checks the shipped copies equal what `hocr schema` prints. The loader checks more than a
schema can (a finding rule needs a breach and a compliant case, names must exist): the schema is for editors.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from hocr_rules.indicators.schema import IndicatorFile
from hocr_rules.rulebook.schema import Profile, RuleFile

DRAFT = "http://json-schema.org/draft-07/schema#"
PUBLISHED_AT = "https://raw.githubusercontent.com/hocr-rules/hocr-rules/main/schemas/"
FOLDER = "schemas"
#: The first line of every rule file, for editors (the path is relative to the rule file, in `rules/`).
RULE_FILE_LINE = "# yaml-language-server: $schema=../schemas/rule-file.schema.json"

#: Which schema -> (its file in `schemas/`, the model it is generated from, what it describes).
SHIPPED: dict[str, tuple[str, type[BaseModel], str]] = {
    "rules": ("rule-file.schema.json", RuleFile, "A hocr-rules rule file: rules/<code>-<name>.yaml"),
    "profile": ("profile.schema.json", Profile, "A hocr-rules force profile, passed with --profile"),
    "indicators": ("indicator-file.schema.json", IndicatorFile,
                   "A hocr-rules crime indicator file: rules/indicators/<code>-<name>.yaml"),
}


def document(which: str) -> dict[str, Any]:
    """The schema as shipped: draft-07, with its `$id`."""
    file_name, model, title = SHIPPED[which]
    generated = model.model_json_schema(by_alias=True, ref_template="#/definitions/{model}")
    definitions = generated.pop("$defs", None)
    generated["title"] = title
    generated.pop("description", None)  # the model's docstring is for developers; `title` says what the file is
    schema = {"$schema": DRAFT, "$id": PUBLISHED_AT + file_name, **generated}
    if definitions:
        schema["definitions"] = definitions
    return schema


def text(which: str) -> str:
    """The schema file's text, exactly as shipped."""
    return json.dumps(document(which), indent=2, default=str) + "\n"
