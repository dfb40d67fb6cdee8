"""Compiling checked conditions (`Node` trees, see hocr_rules.expressions) to Python functions.

The rule text is never executed: the generated source is built only from our own operators, fact keys written
as string literals, primitive constants written with `repr`, and named slots for everything else, and it runs
with no builtins. Kept apart from the language itself: the parser decides what an author may write, this
decides how fast it runs.
"""

from __future__ import annotations

import math
from typing import Any, Callable, Mapping

from hocr_rules.expressions import EMPTIABLE, FUNCTIONS, Evaluate, ExpressionError, Node
from hocr_rules.rulebook import cache

_NOT_CONSTANT = object()


def type_error(label: str, error: TypeError) -> ExpressionError:
    """A rule compared values that cannot be compared (text with a number): name the rule."""
    return ExpressionError(f"{label}: {error}")


class Compiler:
    """Generates one Python function per rule version from checked `Node` trees; the rule programs
    (hocr_rules.engine.program) use the same compiler with facts read from locals.

    The rule text is never executed: the generated source is built only from our own operators, fact keys
    written as string literals, primitive constants written with `repr`, and named slots for everything else;
    the function runs with no builtins. Generating code rather than nesting closures makes evaluation several
    times faster, which the 20,000 incidents a second target needs. Three-valued logic is spelt out inline:
    `None` is unknown and propagates; `and`/`or` follow Kleene. Where an operand cannot be unknown (a constant,
    `present()`, a fact `fact_present` vouches for) the test for unknown is left out, and constant operands of
    `and`/`or` are folded away, with the same results.
    """

    def __init__(self, keys: Mapping[str, str], constants: Mapping[str, Any], prefix: str = "_c"):
        self.keys = keys            # name in the rule -> key in the facts mapping
        self.constants = constants  # parameters of the version, folded in
        self.prefix = prefix        # of slot names: versions compiled into one program need their own
        self.slots: dict[str, Any] = {"_frozenset": frozenset}
        self.temporaries = 0

    def slot(self, value: Any) -> str:
        name = f"{self.prefix}{len(self.slots)}"
        self.slots[name] = value
        return name

    def fact(self, key: str) -> str:
        """Source reading one fact: here from the facts mapping `f`, which computes it on first use."""
        return f"f[{key!r}]"

    def temporary(self) -> str:
        self.temporaries += 1
        return f"_t{self.temporaries}"

    def expression(self, node: Node) -> str:
        op = node.op
        if op == "const":
            return self.constant(node.value)
        if op == "name":
            if node.value in self.constants:
                return self.constant(self.constants[node.value])
            return self.fact(self.keys[node.value])
        known = [self.known(a) for a in node.args]
        if op in ("and", "or"):
            # a constant operand decides (`false and x`) or drops out (`true and x`), as it would at run time
            unit = op == "and"
            if any(value is (not unit) for value in known):
                return repr(not unit)
            kept = [a for a, value in zip(node.args, known) if value is not unit]
            if not kept:
                return repr(unit)
            if all(self.present(a) for a in kept):  # no unknowns: Python's own short circuit, as a truth value
                return f"(not not ({f' {op} '.join(self.expression(a) for a in kept)}))"
            if len(kept) == 1:
                t = self.temporary()
                return f"(None if ({t} := {self.expression(kept[0])}) is None else not not {t})"
            return self.balanced(op, [(self.expression(a), self.present(a)) for a in kept])
        if op == "if" and isinstance(known[0], bool):
            return self.expression(node.args[1] if known[0] else node.args[2])
        args = [self.expression(a) for a in node.args]
        if op == "call" and node.value in ("present", "missing"):  # the commonest calls, spelt out inline
            t = self.temporary()
            empty = f"{self.slot(isinstance)}({t}, {self.slot(EMPTIABLE)}) and not {t}"
            absent = f"({t} := {args[0]}) is None or ({empty})"
            return f"({absent})" if node.value == "missing" else f"(not ({absent}))"
        if op == "call" and not FUNCTIONS[node.value][2]:
            return f"{self.slot(FUNCTIONS[node.value][0])}({', '.join(args)})"
        if op != "/" and all(self.present(a) for a in node.args):
            return self.certain(node, args)
        if op == "not":
            t = self.temporary()
            return f"(None if ({t} := {args[0]}) is None else not {t})"
        if op == "if":
            t = self.temporary()
            return f"(None if ({t} := {args[0]}) is None else ({args[1]} if {t} else {args[2]}))"
        if op in ("list", "call"):
            t = self.temporary()
            return f"(None if None in ({t} := ({', '.join(args)},)) else {self.certain(node, ['*' + t])})"
        # an operand that is surely present is used as it is; any other is unknown if absent
        (a, b), unknown = args, []
        if op == "/" or not self.present(node.args[0]):
            a = self.temporary()
            unknown.append(f"({a} := {args[0]}) is None")
        if op == "/" or not self.present(node.args[1]):
            b = self.temporary()
            unknown.append(f"({b} := {args[1]}) is None")
        if op == "/":
            unknown.append(f"not {b}")
        return f"(None if {' or '.join(unknown)} else {a} {op} {b})"

    def certain(self, node: Node, args: list[str]) -> str:
        """Source for an operation whose operands cannot be unknown."""
        op = node.op
        if op == "not":
            return f"(not {args[0]})"
        if op == "if":
            return f"({args[1]} if {args[0]} else {args[2]})"
        if op == "list":
            return f"_frozenset(({''.join(a + ', ' for a in args)}))"
        if op == "call":
            return f"{self.slot(FUNCTIONS[node.value][0])}({', '.join(args)})"
        return f"({args[0]} {op} {args[1]})"

    def known(self, node: Node) -> Any:
        """The value of a constant operand (a literal or a parameter of this version), else `_NOT_CONSTANT`."""
        if node.op == "const":
            value = node.value
        elif node.op == "name" and node.value in self.constants:
            value = self.constants[node.value]
        else:
            return _NOT_CONSTANT
        return _NOT_CONSTANT if value is None else value

    def present(self, node: Node) -> bool:
        """Whether the expression can never be unknown, so the code for it needs no test for None: constants,
        present() and missing(), facts that `fact_present` vouches for, and what is made of them only
        (except division, which is unknown when dividing by zero)."""
        op = node.op
        if op == "const" or (op == "name" and node.value in self.constants):
            return self.known(node) is not _NOT_CONSTANT
        if op == "name":
            return self.fact_present(self.keys[node.value])
        if op == "call" and not FUNCTIONS[node.value][2]:
            return True
        if op in ("and", "or"):
            decisive = op == "or"
            return any(self.known(a) is decisive for a in node.args) or all(
                self.present(a) for a in node.args if self.known(a) is not (not decisive))
        return op != "/" and all(self.present(a) for a in node.args)

    def fact_present(self, key: str) -> bool:
        """Whether a fact can never be absent. Nothing is vouched for here: a rule may be run on any facts."""
        return False

    def constant(self, value: Any) -> str:
        if isinstance(value, (list, tuple, set)):
            value = frozenset(value)
        if value is None or isinstance(value, (bool, int, str)) or (isinstance(value, float) and math.isfinite(value)):
            return repr(value)
        return self.slot(value)

    def balanced(self, op: str, args: list[tuple[str, bool]]) -> str:
        """Fold a long `and`/`or` chain as a balanced tree: the same left-to-right short-circuit, but nested only
        log2(n) deep, so a rule with many conditions stays within Python's parenthesis limit. Each argument is
        (source, surely present)."""
        if len(args) == 1:
            return args[0][0]
        middle = len(args) // 2
        left, right = args[:middle], args[middle:]
        return self.kleene(op, (self.balanced(op, left), all(p for _, p in left)),
                           (self.balanced(op, right), all(p for _, p in right)))

    def kleene(self, op: str, left: tuple[str, bool], right: tuple[str, bool]) -> str:
        """`and` stops on a known False, `or` on a known True; otherwise any unknown makes the result unknown.
        Each side is (source, surely present); a side that is surely present needs no test for unknown."""
        stop, other = ("False", "True") if op == "and" else ("True", "False")
        test = "not " if op == "and" else ""
        stops, unknown = [], []
        for source, present in (left, right):
            if present:
                stops.append(f"{test}{source}")
            else:
                t = self.temporary()
                stops.append(f"({t} := {source}) is not None and {test}{t}")
                unknown.append(f"{t} is None")
        last = f"(None if {' or '.join(unknown)} else {other})" if unknown else other
        return f"({stop} if {stops[0]} else ({stop} if {stops[1]} else {last}))"

    def function(self, lets: list[tuple[str, Node]], applies: Node, test: Node,
                 label: str) -> tuple[Evaluate, dict[str, Callable[[Any], Any]]]:
        """`f -> (applies, verdict)`, and one function per `let` step keyed by its facts key.

        Steps are not run up front: the facts mapping computes a step the first time a condition reads its key,
        so a rule that does not apply never pays for the steps only its breach test needs."""
        lines = []
        for index, (name, node) in enumerate(lets):
            lines += [f"def let_{index}(f):", "  try:", f"    return {self.expression(node)}",
                      "  except TypeError as _e:", f"    raise _error({label!r}, _e) from None"]
        lines += ["def version(f):", "  try:", f"    _a = {self.expression(applies)}", "    if not _a: return _a, None",
                  f"    return True, {self.expression(test)}", "  except TypeError as _e:",
                  f"    raise _error({label!r}, _e) from None"]
        namespace = {"__builtins__": {}, "_error": type_error, "TypeError": TypeError, **self.slots}
        exec(cache.compiled("\n".join(lines), f"<rule {label}>"), namespace)  # noqa: S102 - generated, see class doc
        steps = {self.keys[name]: namespace[f"let_{index}"] for index, (name, _) in enumerate(lets)}
        return namespace["version"], steps
