"""Conditions for durable-rules: disjunctions of conjunctions (DNF) of durable tests on one subject's fact, and
the JSON durable reads them as.

A subject is sent to durable as one fact (its kind, its stage, a reference and its facts) without its `None`
fields, and durable never matches a comparison on an absent field (`$neq` included): a comparison over a missing
fact is neither true nor false, so "unknown" is spelt out with `$nex`. Each of the three readings of a condition
(see `translator`) is a set of conjunctions of such tests; an empty condition matches nothing, `TRUE` everything.
"""

from __future__ import annotations

import operator
from itertools import product
from typing import Any

KIND, STAGE, REF = "_kind", "_stage", "_ref"
MEMBER = "_"                    # the key of a set object that holds its size
NUMERIC = frozenset({"time", "hours", "count", "number"})
MAX_CONJUNCTIONS = 4000
TRUE, FALSE = frozenset({frozenset()}), frozenset()
PY = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt,
      ">=": operator.ge}
NEGATE = {"==": "!=", "!=": "==", "<": ">=", ">=": "<", ">": "<=", "<=": ">"}
_DURABLE = {"!=": "$neq", "<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte"}
ARITH = {"+": "$add", "-": "$sub", "*": "$mul"}


class Untranslatable(Exception):
    """A construct with no durable form; reported per rule as EngineUnavailable."""


# An atom is (field, op, rvalue): op is a comparison or 'ex'/'nex'; field may be 'set.member';
# rvalue is ('c', constant), ('m', field of the same fact) or ('x', op, left, right) for arithmetic.

def conj(*parts: frozenset) -> frozenset:
    result = TRUE
    for part in parts:
        if not part or not result:
            return FALSE
        result = frozenset(c for a in result for b in part if _consistent(c := a | b))
        if len(result) > MAX_CONJUNCTIONS:
            raise Untranslatable("the condition has too many cases for durable-rules")
    return _minimal(result)


def disj(*parts: frozenset) -> frozenset:
    return _minimal(frozenset().union(*parts))


def atom(name: str, op: str, value: Any = None) -> frozenset:
    return frozenset({frozenset({(name, op, value)})})


def _minimal(dnf: frozenset) -> frozenset:
    if frozenset() in dnf:
        return TRUE
    ordered = sorted(dnf, key=len)
    kept: list[frozenset] = []
    for c in ordered:
        if not any(k <= c for k in kept):
            kept.append(c)
    return frozenset(kept)


def _consistent(c: frozenset) -> bool:
    """False only when the conjunction certainly matches nothing (pruning, never needed for correctness)."""
    by_field: dict[str, list] = {}
    for a in c:
        by_field.setdefault(a[0], []).append(a)
    for atoms in by_field.values():
        ops = {a[1] for a in atoms}
        if "nex" in ops and len(ops) > 1:
            return False
        consts = [(a[1], a[2][1]) for a in atoms if a[1] in PY and a[2][0] == "c"]
        for op, v in consts:
            if op == "==":
                for other, w in consts:
                    try:
                        if not PY[other](v, w):
                            return False
                    except TypeError:
                        pass
        lows = [(w, op == ">=") for op, w in consts if op in (">", ">=") and is_number(w)]
        highs = [(w, op == "<=") for op, w in consts if op in ("<", "<=") and is_number(w)]
        for (lo, lo_in), (hi, hi_in) in product(lows, highs):
            if lo > hi or (lo == hi and not (lo_in and hi_in)):
                return False
    return True


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def to_json(atoms: list[tuple]) -> dict:
    tests = [_atom_json(a) for a in atoms]
    return tests[0] if len(tests) == 1 else {"$and": tests}


def _atom_json(a: tuple) -> dict:
    name, op, value = a
    if op in ("ex", "nex"):
        return {f"${op}": {name: 1}}
    rvalue = _rvalue_json(value)
    if op == "==":
        return {name: rvalue}
    return {_DURABLE[op]: {name: rvalue}}


def _rvalue_json(value: tuple) -> Any:
    if value[0] == "c":
        return value[1]
    if value[0] == "m":
        return {"$m": value[1]}
    return {ARITH[value[1]]: {"$l": _rvalue_json(value[2]), "$r": _rvalue_json(value[3])}}


def reads(a: tuple) -> set[str]:
    """The fields one atom reads: its left side and any `$m` references."""
    def refs(value):
        return set() if value is None or value[0] == "c" else {value[1]} if value[0] == "m" else \
            refs(value[2]) | refs(value[3])
    return {a[0].split(".")[0]} | refs(a[2])
