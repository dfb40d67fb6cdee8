"""The YAML parser behind `yamlfile.read`: safe construction with our refusals, and the line of every key.

Imported only when a file must really be parsed (the pack cache has not kept its document, or the file is
broken): PyYAML costs about 0.015 s of CPU to import, and a run whose rule files are all in the cache reads none
(issue 11, start-up). See `yamlfile` for what is refused and why.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from hocr_rules.errors import RuleFileError

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


def document(path: Path, text: str) -> tuple[Any, dict[tuple, int]]:
    """What `read` gives for this text: made only when the pack cache (rulebook/cache.py) has not kept it.
    Errors are raised, never kept, so a broken file gives the same message on every run."""
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
