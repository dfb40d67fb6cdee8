"""Rule coverage: which conditions and branches of each rule its example cases exercised, as `opa test
--coverage` shows which lines of a policy its tests evaluated.

A rule's examples are its tests, so a rule is covered by its own cases, on the subjects they assert something
about (a subject the case says nothing of is evaluated but not tested). What must be exercised, per rule:

- branches: the rule's own outcomes (in scope and not in scope; breach and compliant, or for a derivation,
  applies and does not apply) and both arms of every `x if c else y`;
- conditions: every condition joined by `and`, `or` or `not`, each seen both true and false.

A condition counts only where the evaluator really reached it: `and` stops at a false operand and `or` at a true
one, and the breach test is reached only when the rule applies, exactly as the generated code runs (Kleene logic:
an unknown operand does not stop either). A `let` step is exercised where a reached condition reads it. Conditions
made only of the version's parameters or constants are configuration, not behaviour, and are not counted. Each
part is evaluated by parsing its own text with the rule language's parser and compiling it with the same
compiler as the rule, on the subject's facts, so coverage cannot read a condition differently from the engine.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any, Iterator

from hocr_rules.compiler import Compiler
from hocr_rules.engine.evaluator import SUBJECT_RECORDS, Evaluator
from hocr_rules.expressions import Node, parse
from hocr_rules.facts.view import IncidentView
from hocr_rules.model.incident import Incident
from hocr_rules.rulebook import yamlfile
from hocr_rules.rulebook.compiled import CompiledRule

_TRUE = Node("const", value=True)
_SIDES = {"applies": ("in scope", "not in scope"), "test": ("breach", "compliant"),
          "derivation": ("applies", "does not apply")}


@dataclass(frozen=True)
class Point:
    """One thing the examples should exercise: a side of a condition or branch of one rule."""

    kind: str    # "branch" or "condition"
    where: str   # the rule file key the text is under: applies_when, breach_when, let.<name>, versions.1.value
    line: int | None
    text: str
    side: str    # true / false for conditions; then / else, or the rule's outcome, for branches


@dataclass
class RuleCoverage:
    rule: str
    points: list[Point]
    covered: set[Point] = field(default_factory=set)

    def count(self, kind: str) -> tuple[int, int]:
        """(covered, total) points of one kind."""
        mine = [p for p in self.points if p.kind == kind]
        return sum(p in self.covered for p in mine), len(mine)

    @property
    def missed(self) -> list[Point]:
        return [p for p in self.points if p not in self.covered]

    @property
    def percent(self) -> float:
        return 100.0 * len(self.covered) / len(self.points) if self.points else 100.0


def total_percent(report: list[RuleCoverage]) -> float:
    """Covered points over all points of all rules, in per cent."""
    points = sum(len(r.points) for r in report)
    return 100.0 * sum(len(r.covered) for r in report) / points if points else 100.0


def measure(evaluator: Evaluator, rules: list[CompiledRule]) -> list[RuleCoverage]:
    return [_Rule(evaluator, rule).measure() for rule in rules]


@dataclass
class _Location:
    where: str
    role: str          # applies, test, derivation value ("value") or let
    source: str
    tree: ast.expr
    line: int | None


class _Rule:
    """The parts of one rule's conditions, and what its examples reached."""

    def __init__(self, evaluator: Evaluator, rule: CompiledRule):
        self.evaluator, self.rule = evaluator, rule
        _, lines = yamlfile.read(rule.path)
        source, test_key = rule.source, ("breach_when" if rule.kind == "finding" else "value")
        self.lets = {name: self._location(("let", name), "let", text, lines) for name, text in source.let.items()}
        self.by_version: list[tuple[_Location, _Location]] = []
        for index, version in enumerate(source.versions):
            applies_key = ("versions", index, "applies_when") if version.applies_when else ("applies_when",)
            test_at = ("versions", index, test_key) if getattr(version, test_key) else (test_key,)
            self.by_version.append((
                self._location(applies_key, "applies", version.applies_when or source.applies_when, lines),
                self._location(test_at, "test" if rule.kind == "finding" else "value",
                               getattr(version, test_key) or getattr(source, test_key), lines)))
        self.points: dict[Point, None] = {}
        self.covered: set[Point] = set()
        self._compiled: dict[tuple, Any] = {}
        for index, (applies, test) in enumerate(self.by_version):
            for location in (applies, test, *self.lets.values()):
                for point in self._points_of(location, index):
                    self.points.setdefault(point)

    def _location(self, key: tuple, role: str, text: str, lines) -> _Location:
        source = text.strip()
        return _Location(".".join(map(str, key)), role, source, ast.parse(source, mode="eval").body,
                         yamlfile.line_of(lines, key))

    # ------------------------------------------------------------ what should be exercised

    def _points_of(self, location: _Location, version: int) -> Iterator[Point]:
        root = location.tree
        if location.role in ("applies", "test") and not self._constant(root, version):
            for side in self._outcomes(location):
                yield self._point("branch", location, root, side)
        yield from self._inner_points(location, root, version, False)

    def _inner_points(self, location, node, version, condition: bool) -> Iterator[Point]:
        """`condition`: the node is an operand of `and`, `or` or `not`, so it must be seen true and false."""
        if isinstance(node, ast.BoolOp) or (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not)):
            for child in (node.values if isinstance(node, ast.BoolOp) else [node.operand]):
                yield from self._inner_points(location, child, version, True)
            return
        if isinstance(node, ast.IfExp):
            for side in ("then", "else"):
                yield self._point("branch", location, node.test, side)
            for child in (node.test, node.body, node.orelse):
                yield from self._inner_points(location, child, version, False)
            return
        if condition and not self._constant(node, version):
            for side in ("true", "false"):
                yield self._point("condition", location, node, side)
        for child in ast.iter_child_nodes(node):
            yield from self._inner_points(location, child, version, False)

    def _outcomes(self, location: _Location) -> tuple[str, str]:
        """The rule's own outcomes a root decides: (when true, when false)."""
        if location.role == "applies":
            return _SIDES["derivation" if self.rule.kind == "derivation" else "applies"]
        return _SIDES["test"]

    def _point(self, kind: str, location: _Location, node: ast.expr, side: str) -> Point:
        text = " ".join(ast.get_source_segment(location.source, node).split())
        return Point(kind, location.where, location.line, text, side)

    def _constant(self, node: ast.expr, version: int) -> bool:
        names = self._node(node).names()
        return names <= set(self.rule.versions[version].parameters)

    # ------------------------------------------------------------ what the examples reached

    def measure(self) -> RuleCoverage:
        for example in self.rule.examples:
            try:
                incident = Incident.model_validate(example.incident)
            except ValueError:
                continue  # an invalid example fails as a case; it exercises nothing
            result = self.evaluator.evaluate(incident)
            view = IncidentView(incident, self.evaluator.offences)
            records, identify = SUBJECT_RECORDS[self.rule.subject]
            asserted = {e.subject for e in example.expect}
            for record in records(incident):
                if identify(record) in asserted:
                    facts = self.evaluator.facts(view, self.rule.subject, record)
                    facts.update(result.derived.get((self.rule.subject, identify(record)), {}))
                    self._subject(facts)
        return RuleCoverage(self.rule.code, list(self.points), self.covered & set(self.points))

    def _subject(self, facts) -> None:
        seconds = facts[self.rule.dated_by]
        index = self.rule.version_index(seconds) if seconds is not None else -1
        if index < 0:
            return  # no version to run: nothing in the rule is reached
        applies, test = self.by_version[index]
        reads: set[str] = set()
        if self._visit(applies, applies.tree, index, facts, False, reads):
            self._visit(test, test.tree, index, facts, False, reads)
        done: set[str] = set()
        while reads - done:  # the let steps the reached conditions read, and the steps those read
            name = sorted(reads - done)[0]
            done.add(name)
            if name in self.lets:
                self._visit(self.lets[name], self.lets[name].tree, index, facts, False, reads)

    def _visit(self, location, node, version, facts, condition: bool, reads: set[str]) -> Any:
        """Walk a reached part as the generated code runs it; returns its value."""
        value = self._value(node, version, facts)
        if node is location.tree and location.role in ("applies", "test") and value is not None:
            self.covered.add(self._point("branch", location, node, self._outcomes(location)[0 if value else 1]))
        if isinstance(node, ast.BoolOp):
            stop = isinstance(node.op, ast.Or)  # `or` stops at a true operand, `and` at a false one
            for child in node.values:
                seen = self._visit(location, child, version, facts, True, reads)
                if seen is not None and bool(seen) is stop:
                    break
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            self._visit(location, node.operand, version, facts, True, reads)
        elif isinstance(node, ast.IfExp):
            test = self._visit(location, node.test, version, facts, False, reads)
            if test is not None:
                self.covered.add(self._point("branch", location, node.test, "then" if test else "else"))
                self._visit(location, node.body if test else node.orelse, version, facts, False, reads)
        else:
            if condition and value is not None:
                self.covered.add(self._point("condition", location, node, "true" if value else "false"))
            reads |= self._node(node).names()
            for child in ast.iter_child_nodes(node):
                if any(isinstance(n, (ast.BoolOp, ast.IfExp)) for n in ast.walk(child)):
                    self._visit(location, child, version, facts, False, reads)
        return value

    def _node(self, node: ast.expr) -> Node:
        key = ("node", id(node))
        if key not in self._compiled:
            self._compiled[key] = parse(ast.unparse(node))
        return self._compiled[key]

    def _value(self, node: ast.expr, version: int, facts) -> Any:
        key = (version, id(node))
        if key not in self._compiled:
            compiled = self.rule.versions[version]
            checked = self._node(node)
            keys = {name: compiled.step_keys.get(name, name) for name in checked.names()}
            run, _ = Compiler(keys, compiled.parameters).function([], _TRUE, checked,
                                                                  f"{self.rule.code} coverage")
            self._compiled[key] = run
        try:
            return self._compiled[key](facts)[1]
        except (TypeError, ValueError):
            return None  # a part that cannot be computed on its own here is not counted as exercised
