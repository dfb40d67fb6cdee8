"""The condition language of rule files: parsed, checked against a whitelist, compiled.

A rule file must not be able to run code, so its text is never handed to `eval`. Python's own parser reads
the text (so authors get familiar syntax: `and`, `in`, `x if c else y`), every node is checked against a
short whitelist, and the tree is turned into an internal form (`Node`) that both engines compile: ours into
Python functions generated from the checked nodes only (hocr_rules.compiler), durable-rules into Rete
conditions.

Missing data is *unknown*, not false: a fact that is absent evaluates to `None` and propagates with
Kleene's three-valued logic (`False and unknown` is false, `True and unknown` is unknown). An unknown
breach test becomes a *not evaluable* outcome, so missing data can never read as compliant.
"""

from __future__ import annotations

import ast
import functools
from dataclasses import dataclass
from typing import Any, Callable

from hocr_rules.phrases import PhraseMatcher
from hocr_rules.phrases.tokens import words

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


#: Words that add nothing to a note made of listed phrases: connectives, pronouns, auxiliaries, the prepositions
#: that join a withdrawal to its object ("proceed with a police investigation", "support for the prosecution"),
#: "further" ("any further police action"), "victim" and the names officers give the victim (IP, aggrieved,
#: complainant), the subject of most of them, and the verbs that only report what the victim said ("IP states she
#: has withdrawn her complaint" says no more than "withdrawn"). A filler word is never information on its own, so
#: a note keeps its AVI as soon as one other word is left.
_FILLER = frozenset({"and", "or", "also", "so", "the", "a", "an", "any", "more", "anymore", "further", "with", "for",
                     "she", "he", "they", "her", "his", "their", "has", "have", "had", "is", "was", "now", "victim",
                     "ip", "ipp", "aggrieved", "complainant", "says", "said", "states", "stated", "reports",
                     "reported"})


@functools.lru_cache(maxsize=64)
def _prepared(phrases: frozenset) -> tuple[str, ...]:
    """Phrase lists are rule parameters, the same on every call: normalise and order them once."""
    return tuple(f" {p} " for p in sorted((_normalise(p) for p in phrases), key=len, reverse=True))


def _content(text: str) -> str:
    """The words of a text or phrase without filler, for comparing notes with phrases whatever their filler."""
    return " ".join(word for word in words(text) if word not in _FILLER)


@functools.lru_cache(maxsize=64)
def _matcher(phrases: frozenset) -> PhraseMatcher | None:
    contents = sorted({content for content in map(_content, phrases) if content})
    return PhraseMatcher(contents) if contents else None


def _only_phrases(text: str, phrases: frozenset) -> bool:
    """True when the text says nothing beyond the listed phrases (e.g. an AVI that is only 'victim withdrew').
    Filler words are dropped from both first ("victim has withdrawn her complaint" is "withdrawn complaint"),
    and the phrases are found by the phrase layer, so a typo in a long word ("withdrwe", "independant") does
    not pass for information."""
    rest = list(_content(text))
    matcher = _matcher(phrases)
    for match in matcher.matches("".join(rest)) if matcher else ():
        rest[match.start:match.end] = " " * (match.end - match.start)
    return not words("".join(rest))


def _contains_any(text: str, phrases: frozenset) -> bool:
    words = f" {_normalise(text)} "
    return any(phrase in words for phrase in _prepared(phrases))


def _overlaps(left, right) -> bool:
    return bool(set(left) & set(right))


#: Values that are absent when empty: no text, no codes.
EMPTIABLE = (str, frozenset, set, list, tuple)


def _absent(value) -> bool:
    """Absent, or present but empty: no text, no codes."""
    return value is None or (isinstance(value, EMPTIABLE) and not value)


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
