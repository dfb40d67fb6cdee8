"""Why a rule did not apply: the part of its `applies_when` that was false, with the values it read.

"Conditions do not apply" tells a trainer nothing, and nor does the condition's text. An `applies_when` is
usually a conjunction ("must_record and has_crime_record"), so the deciding condition is the conjunct that came out false; nested conjunctions
are searched the same way. A false `or` is decided by all of its alternatives together, so it is named whole.
Each part is evaluated with the version's own compiled code (hocr_rules.compiler), with the same three-valued
logic as the rule itself, so an unknown part is never named as the reason a rule did not apply. A rule file's
`not_in_scope` says in a sentence what each condition's being false means; `hocr explain` prints that sentence,
then the values read.
"""

from __future__ import annotations

from typing import Any, Mapping

from hocr_rules.compiler import Compiler
from hocr_rules.engine.outcomes import NOT_IN_SCOPE, Outcome
from hocr_rules.expressions import Node
from hocr_rules.rulebook.compiled import CompiledVersion

_INFIX = frozenset({"==", "!=", "<", "<=", ">", ">=", "in", "not in", "+", "-", "*", "/"})
_TRUE = Node("const", value=True)


def text(node: Node) -> str:
    """A condition written back as rule-file text, e.g. `'harassment' in families and not has_n100`."""
    op = node.op
    if op == "name":
        return node.value
    if op == "const":
        if isinstance(node.value, frozenset):
            return "[" + ", ".join(sorted(repr(v) for v in node.value)) + "]"
        return "true" if node.value is True else "false" if node.value is False else repr(node.value)
    if op in ("and", "or"):
        return f" {op} ".join(_grouped(a) for a in node.args)
    if op == "not":
        return "not " + _grouped(node.args[0])
    if op in _INFIX:
        left, right = node.args
        if op == "-" and left == Node("const", value=0):
            return "-" + _grouped(right)
        return f"{_grouped(left)} {op} {_grouped(right)}"
    if op == "if":
        test, then, otherwise = node.args
        return f"{_grouped(then)} if {_grouped(test)} else {_grouped(otherwise)}"
    if op == "list":
        return "[" + ", ".join(text(a) for a in node.args) + "]"
    return f"{node.value}({', '.join(text(a) for a in node.args)})"  # a call


def _grouped(node: Node) -> str:
    return text(node) if node.op in ("name", "const", "call", "list") else f"({text(node)})"


def value_of(node: Node, version: CompiledVersion, facts: Mapping[str, Any]) -> Any:
    """The node's value (True, False or None for unknown) on these facts under this version."""
    keys = {name: version.step_keys.get(name, name) for name in node.names()}
    run, _ = Compiler(keys, version.parameters).function([], node, _TRUE, "explanation")
    applies, _ = run(facts)
    return True if applies else applies


def deciding(node: Node, version: CompiledVersion, facts: Mapping[str, Any]) -> list[Node]:
    """The smallest parts of a false condition that make it false: the false conjuncts, searched down
    through nested conjunctions; the condition itself when it is not a conjunction."""
    if node.op != "and":
        return [node]
    found = []
    for part in node.args:
        if value_of(part, version, facts) is False:
            found += deciding(part, version, facts)
    return found or [node]


def conditions(node: Node) -> list[Node]:
    """The parts of an `applies_when` that can be named as the reason a rule did not apply: its conjuncts,
    searched down through nested conjunctions (what `deciding` can return), without the constant `true`."""
    if node.op == "and":
        return [part for arg in node.args for part in conditions(arg)]
    return [] if node == _TRUE else [node]


def deciding_conditions(outcome: Outcome) -> list[tuple[str, dict[str, Any]]]:
    """Why a rule is not in scope here: each deciding condition as text, with the facts it read and their values.
    Empty when `applies_when` did not decide it (an override, or no version in force): its reason says why.
    With no date to choose a version by (a live crime record has no cancellation date), the engine judged the
    rule's current version, and so is this."""
    version, facts = outcome.version, outcome.source
    if outcome.outcome != NOT_IN_SCOPE or outcome.overridden_by or facts is None:
        return []
    version = version or outcome.rule.versions[-1]
    if value_of(version.applies, version, facts) is not False:
        return []
    return [(text(part), {name: facts[version.step_keys.get(name, name)]
                          for name in sorted(part.names()) if name not in version.parameters})
            for part in deciding(version.applies, version, facts)]
