"""Reading rule files: safe YAML that remembers the line of every key, and errors that point at it.

Rule files come from forces and authors we do not control, so the reader is deliberately narrow: safe
construction with no tags at all (no Python tags, and no !!binary or !!set either: our formats need none), no
anchors or aliases (they allow exponential "billion laughs" documents), a size limit, a nesting limit (deep
nesting would exhaust Python's recursion before any error could name a line), and timestamps left as text for
pydantic to parse with time zones. libyaml's C parser gives the events where PyYAML has it, and our own composer
turns them into nodes, so every refusal is the same with either parser. Profiles and force mapping files are
read the same way: they come from the same places.
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


class _Refusals(yaml.composer.Composer):
    """What we refuse, whichever parser gives the events: this composer builds the nodes from them."""

    depth = 0

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
    yaml_implicit_resolvers = {
        key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


class _PythonLoader(_Refusals, yaml.SafeLoader):
    """The pure-Python scanner and parser: the reference, whose error messages and lines users see."""


if yaml.__with_libyaml__:
    class _CLoader(_Refusals, yaml.cyaml.CParser, yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
        """libyaml's scanner and parser in C with our composer on top: `get_single_node` and `compose_node`
        come from `_Refusals`, ahead of the C ones in the method order, so every refusal above applies to the
        same events. (The C composer is never used: it recurses in C with no depth bound, and its nodes keep
        no trace of anchors.) Scanning and parsing were most of the cost of loading the pack."""

        def __init__(self, stream):
            yaml.cyaml.CParser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)

    _LOADER: type = _CLoader
else:
    _LOADER = _PythonLoader

#: Which parser reads our YAML: libyaml where PyYAML was built with it (its Linux, macOS and Windows wheels
#: are), else the pure-Python one. `hocr --version` names it.
PARSER = "libyaml" if _LOADER is not _PythonLoader else "pure Python"


def read(path: Path, what: str = "rule file") -> tuple[Any, dict[tuple, int]]:
    """The document and a map from key path to its 1-based line; ``what`` names the kind of file in messages."""
    try:
        text = textfiles.read_text(path, what, limit=MAX_BYTES)
    except FileError as error:
        raise RuleFileError(path, None, None, error.message) from None
    node, data = _parse(path, text)
    if node is None:
        raise RuleFileError(path, 1, None, "the file is empty")
    lines: dict[tuple, int] = {}
    _record_lines(node, (), lines)
    return data, lines


def _parse(path: Path, text: str):
    """The root node and the document. libyaml words its errors differently from the pure-Python parser (and
    may notice a problem on another line), so a document it refuses is read again by the pure-Python parser,
    whose messages and lines are the documented ones: only ever for a broken file."""
    for loader_class in dict.fromkeys((_LOADER, _PythonLoader)):
        try:
            return _load(loader_class, text)
        except yaml.YAMLError as error:
            problem = error
    mark = getattr(problem, "problem_mark", None) or getattr(problem, "context_mark", None)
    message = getattr(problem, "problem", None) or str(problem)
    raise RuleFileError(path, mark.line + 1 if mark else None, None, f"not valid YAML: {message}") from None


def _load(loader_class: type, text: str):
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        return node, (None if node is None else loader.construct_document(node))
    finally:
        loader.dispose()


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
