"""The condition language of rule files: parsed, checked against a whitelist, compiled.

A rule file must not be able to run code, so its text is never handed to `eval`. Python's own parser reads
the text (so authors get familiar syntax: `and`, `in`, `x if c else y`), every node is checked against a
short whitelist, and the tree is turned into an internal form (`Node`) that both engines compile: ours into
Python functions generated from the checked nodes only (see `Compiler`), durable-rules into Rete conditions.

Missing data is *unknown*, not false: a fact that is absent evaluates to `None` and propagates with
Kleene's three-valued logic (`False and unknown` is false, `True and unknown` is unknown). An unknown
breach test becomes a *not evaluable* outcome, so missing data can never read as compliant.
"""

from __future__ import annotations

import ast
import functools
import math
from dataclasses import dataclass
from typing import Any, Callable, Mapping

MAX_LENGTH = 2000
MAX_DEPTH = 40

Evaluate = Callable[[Any], tuple[Any, Any]]


class ExpressionError(ValueError):
    """A condition that is not valid in the rule language; `column` is 1-based within the expression."""

    def __init__(self, message: str, column: int | None = None):
        super().__init__(message)
        self.column = column


# ---------------------------------------------------------------- the internal form


@dataclass(frozen=True, slots=True)
class Node:
    """One node of a condition: `op` names it, `args` are child nodes, `value` holds names and constants."""

    op: str
    args: tuple["Node", ...] = ()
    value: Any = None

    def names(self, skip: frozenset[str] = frozenset()) -> set[str]:
        """Every fact or parameter name the expression reads, except inside calls of the `skip` functions."""
        if self.op == "name":
            return {self.value}
        if self.op == "call" and self.value in skip:
            return set()
        found: set[str] = set()
        for arg in self.args:
            found |= arg.names(skip)
        return found


_COMPARE = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=",
            ast.In: "in", ast.NotIn: "not in"}
_ARITHMETIC = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}


def parse(text: str) -> Node:
    """Parse a condition into the internal form, refusing anything outside the whitelist."""
    if not isinstance(text, str):
        raise ExpressionError(f"expected an expression as text, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"expression is {len(text)} characters long; the limit is {MAX_LENGTH}")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as error:
        raise ExpressionError(f"not a valid expression: {error.msg}", error.offset) from None
    return _convert(tree.body, 0)


def _convert(node: ast.AST, depth: int) -> Node:
    if depth > MAX_DEPTH:
        raise ExpressionError(f"expression is nested more than {MAX_DEPTH} levels deep")
    below = depth + 1
    where = getattr(node, "col_offset", None)
    column = where + 1 if where is not None else None
    if isinstance(node, ast.BoolOp):
        op = "and" if isinstance(node.op, ast.And) else "or"
        return Node(op, tuple(_convert(v, below) for v in node.values))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return Node("not", (_convert(node.operand, below),))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return Node("-", (Node("const", value=0), _convert(node.operand, below)))
    if isinstance(node, ast.Compare):
        parts = [_convert(node.left, below)] + [_convert(c, below) for c in node.comparators]
        tests = []
        for index, operator in enumerate(node.ops):
            symbol = _COMPARE.get(type(operator))
            if symbol is None:
                raise ExpressionError(f"comparison '{type(operator).__name__}' is not allowed", column)
            tests.append(Node(symbol, (parts[index], parts[index + 1])))
        return tests[0] if len(tests) == 1 else Node("and", tuple(tests))
    if isinstance(node, ast.BinOp):
        symbol = _ARITHMETIC.get(type(node.op))
        if symbol is None:
            raise ExpressionError(f"operator '{type(node.op).__name__}' is not allowed", column)
        return Node(symbol, (_convert(node.left, below), _convert(node.right, below)))
    if isinstance(node, ast.IfExp):
        return Node("if", (_convert(node.test, below), _convert(node.body, below), _convert(node.orelse, below)))
    if isinstance(node, ast.Name):
        if node.id in ("true", "false"):
            return Node("const", value=node.id == "true")
        if node.id.startswith("_"):
            raise ExpressionError(f"names may not start with '_': {node.id}", column)
        return Node("name", value=node.id)
    if isinstance(node, ast.Constant):
        if node.value is None or not isinstance(node.value, (bool, int, float, str)):
            raise ExpressionError(
                f"constant {node.value!r} is not allowed; use present(x) or missing(x) to test for absent data",
                column)
        return Node("const", value=node.value)
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        items = tuple(_convert(e, below) for e in node.elts)
        if all(i.op == "const" for i in items):
            return Node("const", value=frozenset(i.value for i in items))
        return Node("list", items)
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.keywords:
            raise ExpressionError("only plain calls of the built-in functions are allowed", column)
        name = node.func.id
        if name not in FUNCTIONS:
            known = ", ".join(sorted(FUNCTIONS))
            raise ExpressionError(f"unknown function '{name}'; the functions are: {known}", column)
        arity = FUNCTIONS[name][1]
        if len(node.args) != arity:
            raise ExpressionError(f"{name}() takes {arity} argument(s), got {len(node.args)}", column)
        return Node("call", tuple(_convert(a, below) for a in node.args), name)
    raise ExpressionError(f"'{type(node).__name__}' is not allowed in a rule condition", column)


# ---------------------------------------------------------------- functions rule files may call


def _hours_between(start: float, end: float) -> float:
    return (end - start) / 3600.0


def _normalise(text: str) -> str:
    return " ".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


_CONNECTIVES = frozenset({"and", "or", "also", "so", "the"})


@functools.lru_cache(maxsize=64)
def _prepared(phrases: frozenset) -> tuple[str, ...]:
    """Phrase lists are rule parameters, the same on every call: normalise and order them once."""
    return tuple(f" {p} " for p in sorted((_normalise(p) for p in phrases), key=len, reverse=True))


def _only_phrases(text: str, phrases: frozenset) -> bool:
    """True when the text says nothing beyond the listed phrases (e.g. an AVI that is only 'victim withdrew')."""
    rest = f" {_normalise(text)} "
    for phrase in _prepared(phrases):
        rest = rest.replace(phrase, " ")
    return not [word for word in rest.split() if word not in _CONNECTIVES]


def _contains_any(text: str, phrases: frozenset) -> bool:
    words = f" {_normalise(text)} "
    return any(phrase in words for phrase in _prepared(phrases))


def _overlaps(left, right) -> bool:
    return bool(set(left) & set(right))


_EMPTIABLE = (str, frozenset, set, list, tuple)


def _absent(value) -> bool:
    """Absent, or present but empty: no text, no codes."""
    return value is None or (isinstance(value, _EMPTIABLE) and not value)


# name -> (implementation, arity, whether unknown arguments make the result unknown)
FUNCTIONS: dict[str, tuple[Callable[..., Any], int, bool]] = {
    "present": (lambda v: not _absent(v), 1, False),
    "missing": (_absent, 1, False),
    "count": (len, 1, True),
    "hours_between": (_hours_between, 2, True),
    "max": (max, 2, True),
    "min": (min, 2, True),
    "only_phrases": (_only_phrases, 2, True),
    "contains_any": (_contains_any, 2, True),
    "overlaps": (_overlaps, 2, True),
}



# ---------------------------------------------------------------- compiling to Python


_NOT_CONSTANT = object()


def _type_error(label: str, error: TypeError) -> ExpressionError:
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
            empty = f"{self.slot(isinstance)}({t}, {self.slot(_EMPTIABLE)}) and not {t}"
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
        namespace = {"__builtins__": {}, "_error": _type_error, "TypeError": TypeError, **self.slots}
        exec(compile("\n".join(lines), f"<rule {label}>", "exec"), namespace)  # noqa: S102 - generated, see class doc
        steps = {self.keys[name]: namespace[f"let_{index}"] for index, (name, _) in enumerate(lets)}
        return namespace["version"], steps
