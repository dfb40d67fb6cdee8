"""Reading rule files: safe YAML that remembers the line of every key, and errors that point at it.

Rule files come from forces and authors we do not control, so the reader is deliberately narrow: the safe
loader with no tags at all (no Python tags, and no !!binary or !!set either: our formats need none), no anchors
or aliases (they allow exponential "billion laughs" documents), a size limit, a nesting limit (deep nesting
would exhaust Python's recursion before any error could name a line), and timestamps left as text for pydantic
to parse with time zones. Profiles (and force mapping files, as they land) are read the same way: they come from
the same places.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any, get_args

import yaml
from pydantic import BaseModel, ValidationError

from hocr_rules import textfiles
from hocr_rules.errors import FileError, RuleFileError

MAX_BYTES = 1_000_000
#: Rule files nest about eight deep (examples: incident, disclosures, a disclosure, its lists).
MAX_DEPTH = 40


class _Loader(yaml.SafeLoader):
    def construct_mapping(self, node, deep=False):
        """A key given twice is an error: YAML would silently keep the last, hiding the first."""
        seen: set = set()
        for key_node, _ in node.value:
            key = key_node.value
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"the key '{key}' is given twice",
                                                        key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep)

    depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise yaml.composer.ComposerError(None, None, "anchors and aliases are not allowed in rule files",
                                              event.start_mark)
        if getattr(event, "tag", None) not in (None, "!"):
            raise yaml.composer.ComposerError(None, None, f"YAML tags ({event.tag}) are not allowed in rule files",
                                              event.start_mark)
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise yaml.composer.ComposerError(None, None, f"nested more than {MAX_DEPTH} deep", event.start_mark)
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


# Keep timestamps as text: YAML would otherwise build naive datetimes that lose the time zone question.
_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read(path: Path, what: str = "rule file") -> tuple[Any, dict[tuple, int]]:
    """The document and a map from key path to its 1-based line; ``what`` names the kind of file in messages."""
    try:
        text = textfiles.read_text(path, what, limit=MAX_BYTES)
    except FileError as error:
        raise RuleFileError(path, None, None, error.message) from None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise RuleFileError(path, 1, None, "the file is empty")
        data = loader.construct_document(node)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        raise RuleFileError(path, mark.line + 1 if mark else None, None, f"not valid YAML: {problem}") from None
    finally:
        loader.dispose()
    lines: dict[tuple, int] = {}
    _record_lines(node, (), lines)
    return data, lines


def _record_lines(node, path: tuple, lines: dict[tuple, int]) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            lines[path + (key.value,)] = key.start_mark.line + 1
            _record_lines(value, path + (key.value,), lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, path + (index,), lines)


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
