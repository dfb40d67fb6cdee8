"""Reading rule files: safe YAML that remembers the line of every key, and errors that point at it.

Rule files come from forces and authors we do not control, so the reader is deliberately narrow: safe
construction with no tags at all (no Python tags, and no !!binary or !!set either: our formats need none), no
anchors or aliases (they allow exponential "billion laughs" documents), a size limit, a nesting limit (deep
nesting would exhaust Python's recursion before any error could name a line), and timestamps left as text for
pydantic to parse with time zones. libyaml's C parser gives the events where PyYAML has it, and our own composer
turns them into nodes, so every refusal is the same with either parser (yamlparse.py, imported only for a file
the pack cache has not kept). Profiles and force mapping files are read the same way: they come from the same
places.
"""

from __future__ import annotations

import difflib
from functools import cache as cache_once
from importlib import metadata
from pathlib import Path
from typing import Any, get_args

from pydantic import BaseModel, ValidationError

from hocr_rules import textfiles
from hocr_rules.errors import FileError, RuleFileError
from hocr_rules.rulebook import cache

MAX_BYTES = 1_000_000
#: The module that parses (yamlparse.py, imported only on a cache miss): its source is part of every entry's key
PARSER_SOURCE = str(Path(__file__).with_name("yamlparse.py"))


def read(path: Path, what: str = "rule file") -> tuple[Any, dict[tuple, int]]:
    """The document and a map from key path to its 1-based line; ``what`` names the kind of file in messages."""
    try:
        text = textfiles.read_text(path, what, limit=MAX_BYTES)
    except FileError as error:
        raise RuleFileError(path, None, None, error.message) from None
    found = cache.remember("yaml", PARSER_SOURCE, f"{_pyyaml_version()}\0{text}", lambda: _parsed(path, text))
    return found[0], found[1]


def _parsed(path: Path, text: str) -> tuple[Any, dict[tuple, int]]:
    from hocr_rules.rulebook import yamlparse  # here: only a file the cache has not kept is parsed
    return yamlparse.document(path, text)


@cache_once
def _pyyaml_version() -> str:
    """PyYAML's version, part of every entry's key, read without importing it. Which of its parsers gave the
    events (libyaml or pure Python) is not: both give the same documents and lines
    (tests/rulebook/test_yaml_parsers.py), and a broken file, read by both, is never kept."""
    try:
        return metadata.version("PyYAML")
    except metadata.PackageNotFoundError:  # a PyYAML that is not an installed distribution: ask it
        import yaml
        return yaml.__version__


def line_of(lines: dict[tuple, int], path: tuple) -> int | None:
    """The line of the deepest part of `path` that exists in the file."""
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


def validate(model: type[BaseModel], data: Any, path: Path, lines: dict[tuple, int]):
    """Validate against `model`, turning the first problem into an error with line, key and a suggestion."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems = []
        for item in error.errors(include_url=False, include_input=False):
            location = tuple(item["loc"])
            key = ".".join(str(part) for part in location) or None
            message = item["msg"].removeprefix("Value error, ")
            if item["type"] == "extra_forbidden":
                message = f"unknown key '{location[-1]}'" + _suggest(model, location)
            elif item["type"] == "missing":
                message = f"missing key '{location[-1]}'"
            problems.append(RuleFileError(path, line_of(lines, location), key, message))
        first = problems[0]
        first.more = problems[1:]
        raise first from None


def _suggest(model: type[BaseModel], location: tuple) -> str:
    owner = _model_at(model, location[:-1])
    if owner is None:
        return ""
    valid = [f.alias or name for name, f in owner.model_fields.items()]
    close = difflib.get_close_matches(str(location[-1]), valid, n=1)
    return f"; did you mean '{close[0]}'?" if close else f"; valid keys: {', '.join(valid)}"


def _model_at(model: type[BaseModel], location: tuple) -> type[BaseModel] | None:
    current: Any = model
    for part in location:
        if isinstance(part, int) or not (isinstance(current, type) and issubclass(current, BaseModel)):
            continue
        fields = {f.alias or n: f for n, f in current.model_fields.items()}
        if part not in fields:
            return None
        current = _inner_model(fields[part].annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None
