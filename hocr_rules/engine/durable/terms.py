"""Terms of the condition language as the translation handles them: keys that tell `1` from `True`, parameters
and `let` steps written in, constants folded, set membership and time limits as durable tests.

`hours_between(a, b) > k` becomes `b > a + k*3600` on the fact (exact for times from 2004 to 2038; see
`time_limit`). Sets are sent as objects with one key per member and the key `_` holding their size: `'x' in
codes` is `codes.x == true`, `'x' not in codes` is `codes._` present and `codes.x` absent, an empty set
`codes._ == 0`. Durable's `$iany`/`$iall` would do, but their alpha nodes are never shared (see `pack._emit`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hocr_rules.engine.durable.conditions import MEMBER, NEGATE, Untranslatable, atom, conj, disj, is_number, reads
from hocr_rules.compiler import Compiler
from hocr_rules.expressions import Node

if TYPE_CHECKING:
    from hocr_rules.engine.durable.translator import Translator

NONE = Node("none")             # a term whose value is unknown


def addressable(value: Any) -> bool:
    """A set member durable can address as `set.member`."""
    return isinstance(value, str) and value != MEMBER and "." not in value and not value.startswith("$")


def members(name: str, values: list[str]) -> tuple:
    """(T, F, U) of 'the set has one of these members'."""
    present = atom(f"{name}.{MEMBER}", "ex")
    return (disj(*(atom(f"{name}.{v}", "==", ("c", True)) for v in values)),
            conj(present, *(atom(f"{name}.{v}", "nex") for v in values)), atom(f"{name}.{MEMBER}", "nex"))


def time_limit(tr: Translator, op: str, a: Node, b: Node) -> tuple | None:
    """`(end - start) / c op k` (hours_between against a limit) or `end - start op k`, over two time facts,
    as `end op start + k*c` on the fact, so the limit stays in durable.

    Exact whenever both times lie in [2**30, 2**31 - k*c) seconds (10 January 2004 to 2038), which is every
    date the rules apply to: there all floats are multiples of 2**-22, so `end - start` and `start + k*c` are
    computed without rounding and `(end - start) / c > k` holds exactly when `end - start > k*c`."""
    scale = 1.0
    if a.op == "/" and a.args[1].op == "const":
        scale, a = a.args[1].value, a.args[0]
    if a.op != "-" or b.op != "const" or not is_number(b.value) or not is_number(scale) or scale <= 0:
        return None
    end, start = a.args
    if end.op != "name" or start.op != "name" or {tr.kind_of(end), tr.kind_of(start)} != {"time"}:
        return None
    limit = b.value * scale
    if limit != int(limit) or limit / scale != b.value:
        return None
    right = ("x", "+", ("m", start.value), ("c", limit))
    unknown = disj(atom(end.value, "nex"), atom(start.value, "nex"))
    return referring(end.value, op, right), referring(end.value, NEGATE[op], right), unknown


def referring(name: str, op: str, right: tuple) -> frozenset:
    """A comparison whose right side may read other fields of the fact. Durable 2.0.28 reads an uninitialised
    result when such a field is absent (`isAlphaMatch` ignores ERR_PROPERTY_NOT_FOUND), so each one is tested
    present first; `_emit` (in `pack`) puts these comparisons after every other test."""
    found = reads((name, op, right)) - {name}
    return conj(atom(name, op, right), *(atom(field_, "ex") for field_ in sorted(found)))


def merge(cases: list) -> list:
    """Drop impossible cases; join cases with the same term."""
    joined: dict[tuple, list] = {}
    for guard, term in cases:
        if guard:
            key = term_key(term)
            joined[key] = [disj(joined[key][0], guard), term] if key in joined else [guard, term]
    return [(guard, term) for guard, term in joined.values()]


def term_key(node: Node) -> tuple:
    """Nodes compare `1 == True` and `0 == 0.0`; our logic must not (0 is not False), so keys carry types. Sets
    are sorted, so the key (and a pre-evaluated term's name) is the same in every process."""
    value = sorted(map(repr, node.value)) if isinstance(node.value, frozenset) else repr(node.value)
    return node.op, type(node.value).__name__, repr(value), tuple(term_key(a) for a in node.args)


def substitute(node: Node, name: str, value: Node) -> Node:
    if node.op == "name":
        return value if node.value == name else node
    if not node.args:
        return node
    return Node(node.op, tuple(substitute(a, name, value) for a in node.args), node.value)


def evaluate(term: Node, facts: dict) -> Any:
    compiler = Compiler({n: n for n in term.names()}, {})
    source = f"def term(f):\n  return {compiler.expression(term)}"
    namespace = {"__builtins__": {}, **compiler.slots}
    exec(compile(source, "<durable constant>", "exec"), namespace)  # noqa: S102 - generated from the pack
    try:
        return namespace["term"](facts)
    except TypeError as error:
        raise Untranslatable(f"a constant expression fails: {error}") from None


def inline(node: Node, parameters: dict, lets: dict[str, Node]) -> Node:
    """Parameters (which win, as in our compiler) and earlier `let` steps written into the condition."""
    if node.op == "name":
        if node.value in parameters:
            value = parameters[node.value]
            return Node("const", value=frozenset(value) if isinstance(value, (list, tuple, set)) else value)
        return lets.get(node.value, node)
    if not node.args:
        return node
    return Node(node.op, tuple(inline(a, parameters, lets) for a in node.args), node.value)


def version_nodes(version) -> tuple[Node, Node]:
    lets: dict[str, Node] = {}
    for name, node in version.lets:
        lets[name] = inline(node, version.parameters, lets)
    return inline(version.applies, version.parameters, lets), inline(version.test, version.parameters, lets)
