"""The rule pack: rule files from one or more folders, checked, ordered and compiled once.

Later folders win: a force's folder may add rules or replace one of ours by using its code. Derivation rules
are ordered so every derived fact is set before a rule reads it; a rule that reads a name no fact, parameter
or earlier `let` defines is refused at load time with the nearest valid name, so a typo can never become a
silently unknown fact.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Iterable

from hocr_rules import bundled, collector, whynot
from hocr_rules.errors import RuleFileError
from hocr_rules.compiler import Compiler
from hocr_rules.expressions import ExpressionError, Node, parse
from hocr_rules.facts.vocabulary import VOCABULARY
from hocr_rules.indicators import pack as indicators
from hocr_rules.indicators.pack import IndicatorSet
from hocr_rules.rulebook import messages, yamlfile
from hocr_rules.rulebook.compiled import CompiledRule, CompiledVersion, london_midnight
from hocr_rules.rulebook.schema import PackParameters, Profile, RuleFile

DEFAULT_RULES = bundled.RULES
PARAMETERS_FILE = "parameters.yaml"
DEFAULT_DATED_BY = {"disclosure": "received_at", "crime_record": "disclosure_received_at",
                    "n100": "disclosure_received_at", "incident": "received_at"}
SPECIAL_PLACEHOLDERS = ("reason", "subject")


@dataclass
class RulePack:
    rules: list[CompiledRule]           # in evaluation order
    parameters: dict[str, Any]          # pack parameters after the profile
    profile: Profile
    indicators: IndicatorSet = field(default_factory=IndicatorSet)  # crime indicators (hocr_rules.indicators)

    def by_subject(self, subject: str) -> list[CompiledRule]:
        return [r for r in self.rules if r.subject == subject]

    def find(self, code_or_name: str) -> CompiledRule:
        for rule in self.rules:
            if code_or_name in (rule.code, rule.name, rule.source.stem) or code_or_name in rule.source.aliases:
                return rule
        names = [r.code for r in self.rules] + [r.name for r in self.rules]
        close = difflib.get_close_matches(code_or_name, names, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else "; `hocr rules list` shows them all"
        raise RuleFileError(None, None, None, f"no rule '{code_or_name}'{hint}")

    @classmethod
    def load(cls, folders: Iterable[Path] | None = None, profile: Profile | None = None) -> "RulePack":
        with collector.paused():  # see hocr_rules/collector.py
            return cls._load(folders, profile)

    @classmethod
    def _load(cls, folders: Iterable[Path] | None, profile: Profile | None) -> "RulePack":
        folders = [Path(f) for f in (folders or [DEFAULT_RULES])]
        profile = profile or Profile()
        parameters = _pack_parameters(folders, profile)
        files: dict[str, tuple[RuleFile, Path, dict]] = {}
        for folder in folders:
            if not folder.is_dir():
                raise RuleFileError(folder, None, None, "is not a folder of rule files")
            for path in sorted(folder.glob("*.yaml")):
                if path.name == PARAMETERS_FILE:
                    continue
                data, lines = yamlfile.read(path)
                rule = yamlfile.validate(RuleFile, data, path, lines)
                if path.stem != rule.stem:
                    raise RuleFileError(path, 1, "code", f"the file should be named {rule.stem}.yaml")
                files[rule.code] = (rule, path, lines)
        indicator_files = indicators.read_files(folders)
        for key, codes, known in (("disabled", profile.disabled, set(files) | set(indicator_files)),
                                  ("rules", list(profile.rules), set(files))):
            unknown = sorted(set(codes) - known, key=list(codes).index)
            if unknown:
                at = (key, profile.disabled.index(unknown[0])) if key == "disabled" else (key, unknown[0])
                raise profile.error(at, f"no such rule(s): {', '.join(unknown)}{_nearest(unknown[0], known)}")
        for code in profile.disabled:
            files.pop(code, None)
            indicator_files.pop(code, None)
        return cls(_compile_all(files, parameters, profile), parameters, profile,
                   indicators.compile_all(indicator_files, parameters, files, _version_start))


def _pack_parameters(folders: list[Path], profile: Profile) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for folder in folders:
        path = folder / PARAMETERS_FILE
        if path.exists():
            data, lines = yamlfile.read(path)
            declared = yamlfile.validate(PackParameters, data, path, lines)
            values.update({name: p.value for name, p in declared.parameters.items()})
    unknown = set(profile.parameters) - set(values)
    if unknown:
        first = min(unknown, key=list(profile.parameters).index)
        raise profile.error(("parameters", first), f"no such pack parameter(s): {', '.join(sorted(unknown))}"
                                                   f"{_nearest(first, values)}")
    values.update(profile.parameters)
    return values


def _compile_all(files, parameters, profile) -> list[CompiledRule]:
    derived_by = {(rule.subject, rule.derives): rule.code for rule, _, _ in files.values() if rule.derives}
    compiled: dict[str, CompiledRule] = {}
    graph: dict[str, set[str]] = {}
    for code, (rule, path, lines) in files.items():
        compiled[code] = _compile(rule, path, lines, parameters, profile, derived_by)
        graph[code] = set(compiled[code].derived_inputs.values())
    for code, (rule, path, lines) in files.items():
        for target in rule.overrides:
            if target in profile.disabled:
                continue  # the force does not run the general rule: nothing to replace
            if target not in files:
                raise RuleFileError(path, yamlfile.line_of(lines, ("overrides",)), "overrides",
                                    f"no rule {target} to override")
            graph[target].add(code)  # the specific rule is evaluated first
    order = _dependency_order(graph)
    # derivations first (in dependency order), then findings; by code wherever the order is free
    position = {code: i for i, code in enumerate(order)}
    return sorted(compiled.values(), key=lambda r: (r.kind != "derivation", position[r.code]))


def _dependency_order(graph: dict[str, set[str]]) -> list[str]:
    """Every rule after the rules it depends on, otherwise by code: the same order on every run."""
    waiting = {code: set(needs) for code, needs in graph.items()}
    order: list[str] = []
    while waiting:
        ready = sorted(code for code, needs in waiting.items() if not needs)
        if not ready:
            raise RuleFileError(None, None, None,
                                f"rules depend on each other in a cycle: {', '.join(sorted(waiting))}")
        order.append(ready[0])
        del waiting[ready[0]]
        for needs in waiting.values():
            needs.discard(ready[0])
    return order


def _compile(rule: RuleFile, path: Path, lines, parameters, profile: Profile, derived_by) -> CompiledRule:
    def fail(key: tuple, message: str):
        return RuleFileError(path, yamlfile.line_of(lines, key), ".".join(map(str, key)), message)

    facts = VOCABULARY[rule.subject]
    derived = {name: code for (subject, name), code in derived_by.items() if subject == rule.subject}
    dated_by = rule.dated_by or DEFAULT_DATED_BY[rule.subject]
    if facts.get(dated_by) is None or facts[dated_by].kind != "time":
        raise fail(("dated_by",), f"'{dated_by}' is not a time fact of a {rule.subject}")
    if rule.derives and (rule.derives in facts):
        raise fail(("derives",), f"'{rule.derives}' is already a fact; choose a new name")

    def parse_at(key: tuple, text: str) -> Node:
        try:
            return parse(text)
        except ExpressionError as error:
            column = f" (column {error.column})" if error.column else ""
            raise fail(key, f"{error}{column}") from None

    declared = set().union(*(v.parameters for v in rule.versions))
    overrides = profile.rules.get(rule.code, {})
    for name in overrides:
        if name not in declared:
            raise profile.error(("rules", rule.code, name), f"{rule.code} has no parameter '{name}' in any version "
                                f"(it has: {', '.join(sorted(declared)) or 'none'}){_nearest(name, declared)}")
    lets = [(name, parse_at(("let", name), text)) for name, text in rule.let.items()]
    test_key = "breach_when" if rule.kind == "finding" else "value"
    versions = []
    starts = []
    for index, version in enumerate(rule.versions):
        start = _version_start(version.start, parameters, lambda m: fail(("versions", index, "from"), m))
        if starts and start <= starts[-1]:
            raise fail(("versions", index, "from"), "versions must be listed oldest first, with distinct dates")
        starts.append(start)
        params = {k: parameter_value(v) for k, v in version.parameters.items()}
        params.update({name: value for name, value in overrides.items() if name in params})
        # a version may restate a condition; otherwise it inherits the rule's own
        applies_at = ("versions", index, "applies_when") if version.applies_when else ("applies_when",)
        test_at = ("versions", index, test_key) if getattr(version, test_key) else (test_key,)
        applies = parse_at(applies_at, version.applies_when or rule.applies_when)
        test_text = getattr(version, test_key) or getattr(rule, test_key)
        if test_text is None:
            raise fail(("versions", index), f"no '{test_key}' for this version and none for the rule")
        test = parse_at(test_at, test_text)
        known = set(facts) | set(derived) | set(params)
        for key, node in [(("let", n), node) for n, node in lets] + [(applies_at, applies), (test_at, test)]:
            _check_names(node, known, fail, key)
            if key[0] == "let":
                known.add(key[1])
        step_keys = {name: f"{rule.code}@{index}:{name}" for name in rule.let}
        keys = {name: name for name in known} | step_keys
        try:
            run, steps = Compiler(keys, params).function(lets, applies, test, f"{rule.code} from {start}")
        except (SyntaxError, RecursionError, MemoryError):
            raise fail(test_at, "the conditions are too complex to compile; split them into let steps") from None
        versions.append(CompiledVersion(
            start=start, start_seconds=london_midnight(start), grade=version.grade, note=version.note,
            parameters=params, lets=tuple(lets), applies=applies, test=test, run=run, steps=steps,
            step_keys=step_keys,
            applies_text=" ".join((version.applies_when or rule.applies_when).split()),
            test_text=" ".join(test_text.split())))

    _check_not_in_scope(rule, versions, parse_at, fail)
    reads = set().union(*(node.names() for _, node in lets),
                        *(v.applies.names() | v.test.names() for v in versions))
    for key in ("breach", "compliant", "not_evaluable"):
        template = getattr(rule.messages, key)
        if template is None:
            continue
        try:
            names = messages.placeholders(template)
        except ValueError as error:
            raise fail(("messages", key), str(error)) from None
        allowed = set(facts) | set(derived) | set(rule.let) | set(versions[-1].parameters) | set(SPECIAL_PLACEHOLDERS)
        shadowed = (set(facts) | set(derived) | set(rule.let)) & set(SPECIAL_PLACEHOLDERS)
        if shadowed:
            raise fail(("messages", key), f"{', '.join(sorted(shadowed))} is a reserved placeholder name")
        for name in names:
            if name not in allowed:
                raise fail(("messages", key), f"unknown placeholder {{{name}}}{_nearest(name, allowed)}")
        reads |= set(names) - set(SPECIAL_PLACEHOLDERS)
    reads -= set().union(*(set(v.parameters) for v in versions))
    ordered = tuple(sorted(reads))
    presence = frozenset({"present", "missing"})
    valued = set().union(*(node.names(presence) for _, node in lets),
                         *(v.applies.names(presence) | v.test.names(presence) for v in versions))
    return CompiledRule(rule, path, tuple(versions), dated_by, ordered,
                        {n: derived[n] for n in ordered if n in derived and n not in rule.let},
                        frozenset(ordered) - valued - set(SPECIAL_PLACEHOLDERS))


def _check_not_in_scope(rule: RuleFile, versions, parse_at, fail) -> None:
    """Each sentence of `not_in_scope` must belong to a condition of applies_when (of some version), written as
    there (spacing and brackets aside), so a sentence cannot be kept for a condition that has changed."""
    known = {whynot.text(part) for version in versions for part in whynot.conditions(version.applies)}
    for condition in rule.not_in_scope:
        if whynot.text(parse_at(("not_in_scope", condition), condition)) not in known:
            raise fail(("not_in_scope", condition), f"'{condition}' is not a condition of applies_when; its "
                                                    f"conditions: {'; '.join(sorted(known)) or 'none'}")


def _version_start(value, parameters, fail) -> date:
    if isinstance(value, date):
        return value
    name = value[1:]
    if name not in parameters:
        raise fail(f"no pack parameter '{name}'{_nearest(name, parameters)}")
    resolved = parameters[name]
    if isinstance(resolved, str):
        try:
            resolved = date.fromisoformat(resolved)
        except ValueError:
            raise fail(f"pack parameter '{name}' is '{resolved}', not a date") from None
    if not isinstance(resolved, date):
        raise fail(f"pack parameter '{name}' is not a date")
    return resolved


def parameter_value(value: Any) -> Any:
    """A parameter may be written bare or as {value, grade, note}; the engine needs only the value."""
    return value["value"] if isinstance(value, dict) and "value" in value else value


def _check_names(node: Node, known: set[str], fail, key: tuple) -> None:
    for name in sorted(node.names()):
        if name not in known:
            raise fail(key, f"unknown name '{name}'{_nearest(name, known)}; `hocr rules facts` lists the facts")


def _nearest(name: str, choices) -> str:
    close = difflib.get_close_matches(name, sorted(choices), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def load_profile(path: Path) -> Profile:
    """A force profile file (YAML): pack parameters, per-rule parameters, disabled rules."""
    data, lines = yamlfile.read(Path(path), "profile")
    profile = yamlfile.validate(Profile, data, Path(path), lines)
    profile._origin = (Path(path), lines)
    return profile
