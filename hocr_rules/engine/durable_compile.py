"""Translating the compiled rule pack into durable-rules (Rete) rules, keeping our three-valued logic exactly.

Durable-rules only says "this pattern matched". A finding has four outcomes and a derivation three kinds of
value, so every condition is turned into three disjoint conditions, each a disjunction of conjunctions (DNF) of
durable tests on the subject's fact: `T` (the value is known and true), `F` (known and false) and `U` (unknown).
A rule version becomes one durable rule per conjunction and outcome: breach = `T(applies) and T(test)`,
compliant = `T(applies) and F(test)`, not in scope = `applies is false`, not evaluable = the rest, all written
positively, so no `none()` pattern and no order of assertion matters. This works because durable never matches
a comparison on an absent field (`$neq` included): facts are sent without their `None` fields, a comparison
over a missing fact is neither true nor false, and `U` is spelt out with `$nex`.

How each form of the condition language is carried:

- `let` steps and parameters are substituted into the conditions; `x if c else y` and `max`/`min` become case
  splits (`T(c)` with the value of `x`, `F(c)` with `y`, `U(c)` with unknown); `not` swaps `T` and `F`;
  `and`/`or` follow Kleene; `hours_between(a, b) > k` becomes `b > a + k*3600` on the fact (exact for times
  from 2004 to 2038; see `_time_limit`), other sums and products against a fact stay durable arithmetic.
- Sets are sent as objects with one key per member and the key `_` holding their size: `'x' in codes` is
  `codes.x == true`, `'x' not in codes` is `codes._` present and `codes.x` absent, an empty set `codes._ == 0`.
  Durable's `$iany`/`$iall` would do, but their alpha nodes are never shared (see `_emit`).
- `present`/`missing` of a fact test `$ex`/`$nex`, plus the empty value of its kind if our `present()` says an
  empty value is missing (asked of `expressions.FUNCTIONS` when translating, so the two cannot drift apart).
- Derived facts form a Rete chain: the subject's fact carries a stage number; the derivation's durable rules
  match stage n and their action asserts the fact again at stage n+1 with the derived value (a constant the
  durable rule stands for, or a copy of a field), and findings match the last stage.
- **Pre-evaluated terms.** What durable cannot compute is computed in Python when the facts are prepared and
  sent as extra fields named `_p<hash of the term>`: `only_phrases`, `contains_any`, `count`, set difference,
  string `+`, division, comparisons of sets, membership in text, and arithmetic compared with a constant
  (`victim_count * offender_count > 1`). They are evaluated by the same generated code as our evaluator's, over
  base facts only; a derived fact inside such a term is split into its possible values first.

Anything else raises `EngineUnavailable` naming the rule, so a pack is never run half-translated.
"""

from __future__ import annotations

import hashlib
import operator
from collections import Counter
from dataclasses import dataclass, field
from itertools import product
from typing import Any, Callable

from hocr_rules.engine.program import NO_DATE, NOT_IN_FORCE
from hocr_rules.errors import EngineUnavailable
from hocr_rules.expressions import FUNCTIONS, Compiler, Node
from hocr_rules.facts.vocabulary import VOCABULARY
from hocr_rules.rulebook.compiled import CompiledRule
from hocr_rules.rulebook.pack import RulePack

KIND, STAGE, REF = "_kind", "_stage", "_ref"
MEMBER = "_"                    # the key of a set object that holds its size
NUMERIC = frozenset({"time", "hours", "count", "number"})
MAX_CONJUNCTIONS = 4000
NONE = Node("none")             # a term whose value is unknown
TRUE, FALSE = frozenset({frozenset()}), frozenset()
_PY = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt,
       ">=": operator.ge}
_NEGATE = {"==": "!=", "!=": "==", "<": ">=", ">=": "<", ">": "<=", "<=": ">"}
_FLIP = {"==": "==", "!=": "!=", "<": ">", ">": "<", "<=": ">=", ">=": "<="}
_DURABLE = {"!=": "$neq", "<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte"}
_ARITH = {"+": "$add", "-": "$sub", "*": "$mul"}
_BOOLEAN_CALLS = frozenset({"present", "missing", "only_phrases", "contains_any", "overlaps"})
_EMPTY = {"text": "", "code": "", "codes": frozenset(), "flag": False, **dict.fromkeys(NUMERIC, 0)}


class Untranslatable(Exception):
    """A construct with no durable form; reported per rule as EngineUnavailable."""


# ---------------------------------------------------------------- conditions in disjunctive normal form
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
        consts = [(a[1], a[2][1]) for a in atoms if a[1] in _PY and a[2][0] == "c"]
        for op, v in consts:
            if op == "==":
                for other, w in consts:
                    try:
                        if not _PY[other](v, w):
                            return False
                    except TypeError:
                        pass
        lows = [(w, op == ">=") for op, w in consts if op in (">", ">=") and _number(w)]
        highs = [(w, op == "<=") for op, w in consts if op in ("<", "<=") and _number(w)]
        for (lo, lo_in), (hi, hi_in) in product(lows, highs):
            if lo > hi or (lo == hi and not (lo_in and hi_in)):
                return False
    return True


def _number(value: Any) -> bool:
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
    return {_ARITH[value[1]]: {"$l": _rvalue_json(value[2]), "$r": _rvalue_json(value[3])}}


# ---------------------------------------------------------------- one subject kind's translation


@dataclass
class Derived:
    kind: str | None               # the vocabulary kind its values have, if one
    domain: frozenset | None       # every value it can take, when they are all constants


@dataclass
class Plan:
    """What to send for one subject kind: its vocabulary facts and pre-evaluated terms, and its last stage."""

    kind: str
    fields: dict[str, str] = field(default_factory=dict)   # fact name -> vocabulary kind
    terms: dict[str, Node] = field(default_factory=dict)   # pre-evaluated field -> term
    term_kinds: dict[str, str | None] = field(default_factory=dict)
    derives: list[str] = field(default_factory=list)        # derived names, in stage order
    stages: int = 0
    evaluate_terms: Callable[[Any], tuple] | None = None     # facts -> the terms' values, in `terms` order

    def compile_terms(self) -> None:
        compiler = Compiler({n: n for t in self.terms.values() for n in t.names()}, {})
        body = ", ".join(compiler.expression(t) for t in self.terms.values())
        source = f"def terms(f):\n  return ({body}{',' if body else ''})"
        namespace = {"__builtins__": {}, **compiler.slots}
        exec(compile(source, "<durable pre-evaluated terms>", "exec"), namespace)  # noqa: S102 - from the pack
        self.evaluate_terms = namespace["terms"]


class Translator:
    """`tfu(node)` gives the (T, F, U) conditions of a boolean reading; `cases(node)` the value as a list of
    (condition, term) pairs that between them cover every fact assignment."""

    def __init__(self, plan: Plan, derived: dict[str, Derived]):
        self.plan, self.derived, self.vocabulary = plan, derived, VOCABULARY[plan.kind]
        self._cases: dict[tuple, list] = {}
        self._tfu: dict[tuple, tuple] = {}

    def use(self, name: str) -> None:
        """A vocabulary fact durable tests: it is sent in the subject's fact."""
        if name in self.vocabulary:
            self.plan.fields[name] = self.vocabulary[name].kind

    # ----- kinds of terms
    def kind_of(self, t: Node) -> str | None:
        if t.op == "const":
            v = t.value
            return ("flag" if isinstance(v, bool) else "number" if isinstance(v, (int, float)) else
                    "text" if isinstance(v, str) else "codes" if isinstance(v, frozenset) else None)
        if t.op == "name":
            name = t.value
            if name in self.plan.term_kinds:
                return self.plan.term_kinds[name]
            if name in self.derived:
                return self.derived[name].kind
            return self.vocabulary[name].kind
        if t.op in ("+", "-", "*", "/"):
            kinds = {self.kind_of(a) for a in t.args}
            return "number" if kinds <= NUMERIC else "codes" if kinds == {"codes"} and t.op == "-" else (
                "text" if kinds == {"text"} and t.op == "+" else None)
        if t.op == "call":
            return {"count": "count", "hours_between": "hours", "max": self.kind_of(t.args[0]),
                    "min": self.kind_of(t.args[0])}.get(t.value, "flag")
        return "codes" if t.op == "list" else "flag"

    # ----- values as cases
    def cases(self, n: Node) -> list[tuple[frozenset, Node]]:
        key = _key(n)
        if key not in self._cases:
            self._cases[key] = _merge(self._build_cases(n))
        return self._cases[key]

    def _build_cases(self, n: Node) -> list:
        op = n.op
        if op == "const":
            return [(TRUE, n)]
        if op == "name":
            self.use(n.value)
            return [(TRUE, n)]
        if op == "if":
            t, f, u = self.tfu(n.args[0])
            return ([(conj(t, g), v) for g, v in self.cases(n.args[1])] +
                    [(conj(f, g), v) for g, v in self.cases(n.args[2])] + [(u, NONE)])
        if op in ("+", "-", "*", "/"):
            return self._strict(n.args, lambda terms: self._arith(op, *terms))
        if op == "list":
            return self._strict(n.args, lambda terms: self._function(Node("list", tuple(terms))))
        if op == "call" and n.value not in _BOOLEAN_CALLS:
            return self._strict(n.args, lambda terms: self._call(n.value, terms))
        t, f, u = self.tfu(n)
        return [(t, Node("const", value=True)), (f, Node("const", value=False)), (u, NONE)]

    def _strict(self, args, build) -> list:
        """Cases of a function of `args` that is unknown when any argument is."""
        out = []
        for combination in product(*(self.cases(a) for a in args)):
            guard = conj(*(g for g, _ in combination))
            if not guard:
                continue
            terms = [t for _, t in combination]
            if NONE in terms:
                out.append((guard, NONE))
            else:
                out.extend((conj(guard, g), t) for g, t in build(terms))
        return out

    def _arith(self, op: str, a: Node, b: Node) -> list:
        if a.op == "const" and b.op == "const":
            return self._fold(Node(op, (a, b)))
        if {self.kind_of(a), self.kind_of(b)} <= NUMERIC and op != "/":
            for x, y in ((a, b), (b, a)):
                neutral = 0 if op in "+-" else 1
                if y.op == "const" and _number(y.value) and y.value == neutral and (op != "-" or y is b):
                    return [(TRUE, x)]
            return [(TRUE, Node(op, (a, b)))]
        if op == "/" and b.op == "const" and _number(b.value) and b.value and self.kind_of(a) in NUMERIC:
            return [(TRUE, Node(op, (a, b)))]  # kept only for time limits (`_time_limit`); else pre-evaluated
        return self._function(Node(op, (a, b)))

    def _call(self, name: str, terms: list[Node]) -> list:
        if all(t.op == "const" for t in terms):
            return self._fold(Node("call", tuple(terms), name))
        if name == "hours_between":
            return [(TRUE, Node("/", (Node("-", (terms[1], terms[0])), Node("const", value=3600.0))))]
        if name in ("max", "min"):
            t, f, u = self.compare(">" if name == "max" else "<", terms[1], terms[0])
            return [(t, terms[1]), (f, terms[0]), (u, NONE)]
        return self._function(Node("call", tuple(terms), name))

    def _fold(self, term: Node) -> list:
        value = _evaluate(term, {})
        return [(TRUE, NONE if value is None else Node("const", value=value))]

    def _function(self, term: Node) -> list:
        """A term durable cannot compute: split derived facts into their values, then pre-evaluate it."""
        derived = sorted(n for n in term.names() if n in self.derived)
        if derived:
            name = derived[0]
            domain = self.derived[name].domain
            if domain is None:
                raise Untranslatable(f"a computed term over the derived fact '{name}', whose values are not fixed")
            out = [(atom(name, "nex"), NONE)]
            for value in sorted(domain, key=repr):
                out += [(conj(atom(name, "==", ("c", value)), g), t)
                        for g, t in self._function(_substitute(term, name, Node("const", value=value)))]
            return out
        for name in term.names() & set(self.plan.terms):
            term = _substitute(term, name, self.plan.terms[name])  # terms are computed from facts only
        if not term.names():
            return self._fold(term)
        key = "_p" + hashlib.sha1(repr(_key(term)).encode()).hexdigest()[:12]
        if key not in self.plan.terms:
            self.plan.terms[key], self.plan.term_kinds[key] = term, self.kind_of(term)
        return [(TRUE, Node("name", value=key))]

    # ----- three-valued readings
    def tfu(self, n: Node) -> tuple[frozenset, frozenset, frozenset]:
        key = _key(n)
        if key not in self._tfu:
            self._tfu[key] = self._build_tfu(n)
        return self._tfu[key]

    def _build_tfu(self, n: Node) -> tuple:
        op = n.op
        if op == "not":
            t, f, u = self.tfu(n.args[0])
            return f, t, u
        if op in ("and", "or"):
            parts = [self.tfu(a) for a in n.args]
            stop, go = (1, 0) if op == "and" else (0, 1)   # 'and' stops on a false argument, 'or' on a true one
            stopped = disj(*(p[stop] for p in parts))
            through = conj(*(p[go] for p in parts))
            unknown = disj(*(conj(p[2], *(disj(q[go], q[2]) for q in parts if q is not p)) for p in parts))
            return (through, stopped, unknown) if op == "and" else (stopped, through, unknown)
        if op in _PY or op in ("in", "not in") or (op == "call" and n.value in _BOOLEAN_CALLS):
            if op == "call" and n.value in ("present", "missing"):
                out = [[], [], []]
                for g, term in self.cases(n.args[0]):
                    present, missing = self.presence(term)
                    out[0].append(conj(g, present))
                    out[1].append(conj(g, missing))
                t, f, u = disj(*out[0]), disj(*out[1]), FALSE
                return (t, f, u) if n.value == "present" else (f, t, u)
            out = [[], [], []]
            for combination in product(*(self.cases(a) for a in n.args)):
                guard = conj(*(g for g, _ in combination))
                terms = [t for _, t in combination]
                if not guard:
                    continue
                if NONE in terms:
                    out[2].append(guard)
                    continue
                for i, part in enumerate(self._test(n, terms)):
                    out[i].append(conj(guard, part))
            return tuple(disj(*part) for part in out)
        out = [[], [], []]
        for g, term in self.cases(n):
            for i, part in enumerate(self.truth(term)):
                out[i].append(conj(g, part))
        return tuple(disj(*part) for part in out)

    def _test(self, n: Node, terms: list[Node]) -> tuple:
        op = n.op
        if op in _PY:
            return self.compare(op, *terms)
        if op in ("in", "not in"):
            t, f, u = self.member(*terms)
            return (t, f, u) if op == "in" else (f, t, u)
        if n.value == "overlaps":
            found = self._overlaps(*terms)
            if found:
                return found
        return self._computed(Node("call", tuple(terms), n.value))

    def _computed(self, term: Node) -> tuple:
        out = [[], [], []]
        for g, t in self._function(term):
            for i, part in enumerate(self.truth(t)):
                out[i].append(conj(g, part))
        return tuple(disj(*part) for part in out)

    def truth(self, t: Node) -> tuple:
        """(T, F, U) of a term read as a condition: Python truthiness, unknown when absent."""
        if t is NONE:
            return FALSE, FALSE, TRUE
        if t.op == "const":
            return (TRUE, FALSE, FALSE) if t.value else (FALSE, TRUE, FALSE)
        if t.op != "name":
            return self._computed(t)
        name, kind = t.value, self.kind_of(t)
        absent = atom(name, "nex")
        if name in self.derived and self.derived[name].domain is not None:
            domain = self.derived[name].domain
            return (disj(*(atom(name, "==", ("c", v)) for v in domain if v)),
                    disj(*(atom(name, "==", ("c", v)) for v in domain if not v)), absent)
        if kind == "flag":
            return atom(name, "==", ("c", True)), atom(name, "==", ("c", False)), absent
        if kind in NUMERIC:
            return atom(name, "!=", ("c", 0)), atom(name, "==", ("c", 0)), absent
        if kind in ("text", "code"):
            return atom(name, "!=", ("c", "")), atom(name, "==", ("c", "")), absent
        if kind == "codes":
            size = f"{name}.{MEMBER}"
            return atom(size, "!=", ("c", 0)), atom(size, "==", ("c", 0)), atom(size, "nex")
        raise Untranslatable(f"the truth of '{name}', whose kind is not known")

    def falsy(self, n: Node) -> tuple[frozenset, frozenset]:
        """(is exactly False, is another false value such as 0 or ''): only the first is 'not in scope'."""
        exact, other = [], []
        for g, t in self.cases(n):
            f = self.truth(t)[1]
            if t is NONE or not f:
                continue
            if self.kind_of(t) == "flag" or (t.op == "const" and t.value is False):
                exact.append(conj(g, f))
            elif t.op == "name" and t.value in self.derived and self.derived[t.value].domain is not None:
                exact.append(conj(g, disj(*(atom(t.value, "==", ("c", v)) for v in self.derived[t.value].domain
                                            if v is False))))
                other.append(conj(g, disj(*(atom(t.value, "==", ("c", v)) for v in self.derived[t.value].domain
                                            if not v and v is not False))))
            else:
                other.append(conj(g, f))
        return disj(*exact), disj(*other)

    def presence(self, t: Node) -> tuple[frozenset, frozenset]:
        """(present, missing) of a term, as our `present()` reads it."""
        if t is NONE:
            return FALSE, TRUE
        if t.op == "const":
            return (TRUE, FALSE) if FUNCTIONS["present"][0](t.value) else (FALSE, TRUE)
        if t.op != "name":
            t = self._function(t)
            return (disj(*(conj(g, self.presence(x)[0]) for g, x in t)),
                    disj(*(conj(g, self.presence(x)[1]) for g, x in t)))
        name, kind = t.value, self.kind_of(t)
        if name in self.derived and self.derived[name].domain is not None:
            values = self.derived[name].domain
            test = FUNCTIONS["present"][0]
            return (disj(*(atom(name, "==", ("c", v)) for v in values if test(v))),
                    disj(atom(name, "nex"), *(atom(name, "==", ("c", v)) for v in values if not test(v))))
        if kind not in _EMPTY:
            raise Untranslatable(f"present()/missing() of '{name}', whose kind is not known")
        empty = _EMPTY[kind]
        if kind == "codes":
            name, empty = f"{name}.{MEMBER}", 0
        if FUNCTIONS["present"][0](_EMPTY[kind]):
            return atom(name, "ex"), atom(name, "nex")
        return atom(name, "!=", ("c", empty)), disj(atom(name, "nex"), atom(name, "==", ("c", empty)))

    def compare(self, op: str, a: Node, b: Node) -> tuple:
        if a.op == "const" and b.op == "const":
            return self._computed(Node(op, (a, b)))
        kinds = {self.kind_of(a), self.kind_of(b)}
        native = kinds <= NUMERIC or kinds <= {"text", "code"} or (kinds == {"flag"} and op in ("==", "!="))
        if not native:
            return self._computed(Node(op, (a, b)))
        if a.op != "name" and b.op == "name":
            return self.compare(_FLIP[op], b, a)
        if a.op != "name":
            limit = _time_limit(self, op, a, b) or _time_limit(self, _FLIP[op], b, a)
            if limit:
                return limit
            return self._computed(Node(op, (a, b)))
        right = self._rvalue(b)
        if right is None:
            return self._computed(Node(op, (a, b)))
        unknown = disj(*(atom(x, "nex") for x in sorted(a.names() | b.names())))
        return _referring(a.value, op, right), _referring(a.value, _NEGATE[op], right), unknown

    def _rvalue(self, t: Node) -> tuple | None:
        if t.op == "const":
            return ("c", t.value) if _number(t.value) or isinstance(t.value, (str, bool)) else None
        if t.op == "name":
            return "m", t.value
        if t.op in _ARITH:
            left, right = self._rvalue(t.args[0]), self._rvalue(t.args[1])
            return None if left is None or right is None else ("x", t.op, left, right)
        return None

    def member(self, a: Node, b: Node) -> tuple:
        kind_a, kind_b = self.kind_of(a), self.kind_of(b)
        scalar = kind_a in NUMERIC or kind_a in ("text", "code", "flag")
        if b.op == "const" and isinstance(b.value, frozenset) and a.op == "name" and scalar and \
                all(_number(v) or isinstance(v, (str, bool)) for v in b.value):
            values = sorted(b.value, key=repr)
            return (disj(*(atom(a.value, "==", ("c", v)) for v in values)),
                    conj(atom(a.value, "ex"), *(atom(a.value, "!=", ("c", v)) for v in values)),
                    atom(a.value, "nex"))
        if b.op == "name" and kind_b == "codes" and a.op == "const" and addressable(a.value):
            return _members(b.value, [a.value])
        return self._computed(Node("in", (a, b)))

    def _overlaps(self, a: Node, b: Node) -> tuple | None:
        for field_, items in ((a, b), (b, a)):
            if field_.op == "name" and self.kind_of(field_) == "codes" and items.op == "const" and \
                    isinstance(items.value, frozenset) and all(addressable(v) for v in items.value):
                return _members(field_.value, sorted(items.value))
        return None


def addressable(value: Any) -> bool:
    """A set member durable can address as `set.member`."""
    return isinstance(value, str) and value != MEMBER and "." not in value and not value.startswith("$")


def _members(name: str, values: list[str]) -> tuple:
    """(T, F, U) of 'the set has one of these members'."""
    present = atom(f"{name}.{MEMBER}", "ex")
    return (disj(*(atom(f"{name}.{v}", "==", ("c", True)) for v in values)),
            conj(present, *(atom(f"{name}.{v}", "nex") for v in values)), atom(f"{name}.{MEMBER}", "nex"))


def _time_limit(tr: Translator, op: str, a: Node, b: Node) -> tuple | None:
    """`(end - start) / c op k` (hours_between against a limit) or `end - start op k`, over two time facts,
    as `end op start + k*c` on the fact, so the limit stays in durable.

    Exact whenever both times lie in [2**30, 2**31 - k*c) seconds (10 January 2004 to 2038), which is every
    date the rules apply to: there all floats are multiples of 2**-22, so `end - start` and `start + k*c` are
    computed without rounding and `(end - start) / c > k` holds exactly when `end - start > k*c`."""
    scale = 1.0
    if a.op == "/" and a.args[1].op == "const":
        scale, a = a.args[1].value, a.args[0]
    if a.op != "-" or b.op != "const" or not _number(b.value) or not _number(scale) or scale <= 0:
        return None
    end, start = a.args
    if end.op != "name" or start.op != "name" or {tr.kind_of(end), tr.kind_of(start)} != {"time"}:
        return None
    limit = b.value * scale
    if limit != int(limit) or limit / scale != b.value:
        return None
    right = ("x", "+", ("m", start.value), ("c", limit))
    unknown = disj(atom(end.value, "nex"), atom(start.value, "nex"))
    return _referring(end.value, op, right), _referring(end.value, _NEGATE[op], right), unknown


def _referring(name: str, op: str, right: tuple) -> frozenset:
    """A comparison whose right side may read other fields of the fact. Durable 2.0.28 reads an uninitialised
    result when such a field is absent (`isAlphaMatch` ignores ERR_PROPERTY_NOT_FOUND), so each one is tested
    present first; `_emit` puts these comparisons after every other test."""
    found = _reads((name, op, right)) - {name}
    return conj(atom(name, op, right), *(atom(field_, "ex") for field_ in sorted(found)))


def _merge(cases: list) -> list:
    """Drop impossible cases; join cases with the same term."""
    joined: dict[tuple, list] = {}
    for guard, term in cases:
        if guard:
            key = _key(term)
            joined[key] = [disj(joined[key][0], guard), term] if key in joined else [guard, term]
    return [(guard, term) for guard, term in joined.values()]


def _key(node: Node) -> tuple:
    """Nodes compare `1 == True` and `0 == 0.0`; our logic must not (0 is not False), so keys carry types. Sets
    are sorted, so the key (and a pre-evaluated term's name) is the same in every process."""
    value = sorted(map(repr, node.value)) if isinstance(node.value, frozenset) else repr(node.value)
    return node.op, type(node.value).__name__, repr(value), tuple(_key(a) for a in node.args)


def _substitute(node: Node, name: str, value: Node) -> Node:
    if node.op == "name":
        return value if node.value == name else node
    if not node.args:
        return node
    return Node(node.op, tuple(_substitute(a, name, value) for a in node.args), node.value)


def _evaluate(term: Node, facts: dict) -> Any:
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


# ---------------------------------------------------------------- the whole pack


@dataclass
class Translation:
    """Durable rule definitions, what each one stands for, and what to send per subject kind.

    An action is ('judge', kind, rule index, version index or NO_DATE/NOT_IN_FORCE, applies, verdict), the
    same tuple our dispatcher produces, or ('derive', kind, stage it matches, derived name, value) with value
    ('const', v), ('copy', field) or ('none',)."""

    rules: dict[str, dict] = field(default_factory=dict)
    actions: dict[str, tuple] = field(default_factory=dict)
    plans: dict[str, Plan] = field(default_factory=dict)
    reads: dict[str, set[str]] = field(default_factory=dict)   # subject kind -> fields its rules test
    explicit_unknown: bool = False  # also emit 'not evaluable' rules (to check the translation is complete)

    def fingerprint(self) -> str:
        text = repr(sorted((n, repr(r), self.actions[n]) for n, r in self.rules.items() if n in self.actions))
        text += repr([(k, p.fields, {n: _key(t) for n, t in p.terms.items()}) for k, p in self.plans.items()])
        return hashlib.sha256(text.encode()).hexdigest()


def translate(pack: RulePack, explicit_unknown: bool = False) -> Translation:
    out = Translation(explicit_unknown=explicit_unknown)
    # every fact must reach some rule or durable reports it "not handled"; this one never fires
    out.rules["handled"] = {"all": [{"m": {"$ex": {REF: 1}}}, {"never": {"$ex": {"_never": 1}}}]}
    for kind in VOCABULARY:
        rules = pack.by_subject(kind)
        if not rules:
            continue
        plan = Plan(kind)
        translator = Translator(plan, {})
        for index, rule in enumerate(rules):
            try:
                if rule.kind == "derivation":
                    if plan.stages != index:
                        raise Untranslatable("derivations must come before the findings of their subject")
                    _derivation(out, translator, index, rule)
                else:
                    _finding(out, translator, index, rule)
            except Untranslatable as error:
                raise EngineUnavailable(f"the durable-rules engine cannot run {rule.code} ({rule.path.name}): "
                                        f"{error}. Use the default engine for this pack.") from None
        used = out.reads.get(kind, set())
        used |= {a[4][1] for a in out.actions.values() if a[0] == "derive" and a[1] == kind and a[4][0] == "copy"}
        plan.terms = {n: t for n, t in plan.terms.items() if n in used}
        plan.fields = {n: k for n, k in plan.fields.items() if n in used}
        plan.compile_terms()
        out.plans[kind] = plan
    return out


def _reads(a: tuple) -> set[str]:
    """The fields one atom reads: its left side and any `$m` references."""
    def refs(value):
        return set() if value is None or value[0] == "c" else {value[1]} if value[0] == "m" else \
            refs(value[2]) | refs(value[3])
    return {a[0].split(".")[0]} | refs(a[2])


def _emit(out: Translation, index: int, emits: list[tuple[str, frozenset, tuple]]) -> None:
    """One durable rule per conjunction. Durable's matcher walks the alpha network with a stack of 64 nodes, so
    the network must be narrow: every rule's conjunctions start with two always-true tests that are its own
    (`_stage > -1 - index // 8`, then `_stage < 2 + index`: at most 8 rules under each group), then its tests
    ordered by how many of its conjunctions share them, so they share alpha nodes."""
    counts = Counter(a[0] for _, dnf, _ in emits for c in dnf for a in c)
    gate = [(STAGE, ">", ("c", -1 - index // 8)), (STAGE, "<", ("c", 2 + index))]
    for prefix, dnf, action in emits:
        for number, c in enumerate(sorted(dnf, key=lambda c: sorted(map(repr, c)))):
            out.rules[f"{prefix}.{number}"] = {"all": [{"m": to_json(ordered(c, counts, gate))}]}
            out.actions[f"{prefix}.{number}"] = action
            out.reads.setdefault(action[1], set()).update(*(_reads(a) for a in c))


def ordered(c: frozenset, counts: Counter | None = None, gate: list = ()) -> list[tuple]:
    """A conjunction's tests in the order durable must see them: subject kind and stage, the rule's gate, then
    the most shared tests first, and comparisons that read other fields last (after their `$ex` tests)."""
    counts = counts or Counter()
    first = sorted(a for a in c if a[0] in (KIND, STAGE))
    rest = sorted((a for a in c if a[0] not in (KIND, STAGE)),
                  key=lambda a: (a[2] is not None and a[2][0] != "c", -counts[a[0]], a[0], a[1] != "==", a[1],
                                 repr(a[2])))
    return first + list(gate) + rest


def _base(kind: str, stage: int) -> frozenset:
    return frozenset({frozenset({(KIND, "==", ("c", kind)), (STAGE, "==", ("c", stage))})})


def _in_force(rule: CompiledRule, index: int) -> frozenset:
    starts = [v.start_seconds for v in rule.versions]
    since = atom(rule.dated_by, ">=", ("c", starts[index]))
    return since if index + 1 == len(starts) else conj(since, atom(rule.dated_by, "<", ("c", starts[index + 1])))


def _undated(rule: CompiledRule) -> tuple[frozenset, frozenset]:
    return atom(rule.dated_by, "nex"), atom(rule.dated_by, "<", ("c", rule.versions[0].start_seconds))


def _finding(out: Translation, tr: Translator, index: int, rule: CompiledRule) -> None:
    kind, base = tr.plan.kind, _base(tr.plan.kind, tr.plan.stages)
    tr.use(rule.dated_by)
    emits: list[tuple] = []
    for j, version in enumerate(rule.versions):
        applies, test = version_nodes(version)
        guard = conj(base, _in_force(rule, j))
        t_a, _, u_a = tr.tfu(applies)
        exact, other = tr.falsy(applies)
        t_v, f_v, u_v = tr.tfu(test)
        prefix = f"{rule.code}.{j}"
        emits += [(prefix + ".breach", conj(guard, t_a, t_v), ("judge", kind, index, j, True, True)),
                  (prefix + ".compliant", conj(guard, t_a, f_v), ("judge", kind, index, j, True, False)),
                  (prefix + ".out", conj(guard, exact), ("judge", kind, index, j, False, None))]
        if out.explicit_unknown:
            emits.append((prefix + ".unknown", conj(guard, disj(u_a, other, conj(t_a, u_v))),
                          ("judge", kind, index, j, None, None)))
    # no date: out of scope if the current version could not apply anyway (as our dispatcher decides)
    no_date, too_early = _undated(rule)
    applies, _ = version_nodes(rule.versions[-1])
    t_a, _, u_a = tr.tfu(applies)
    exact, other = tr.falsy(applies)
    emits += [(f"{rule.code}.undated.out", conj(base, no_date, exact), ("judge", kind, index, NO_DATE, False, None)),
              (f"{rule.code}.early", conj(base, too_early), ("judge", kind, index, NOT_IN_FORCE, False, None))]
    if out.explicit_unknown:
        emits.append((f"{rule.code}.undated.unknown", conj(base, no_date, disj(t_a, u_a, other)),
                      ("judge", kind, index, NO_DATE, None, None)))
    _emit(out, index, emits)


def _derivation(out: Translation, tr: Translator, index: int, rule: CompiledRule) -> None:
    kind, stage, name = tr.plan.kind, tr.plan.stages, rule.source.derives
    base = _base(kind, stage)
    tr.use(rule.dated_by)
    values: list[tuple] = []
    emits: list[tuple] = []
    for j, version in enumerate(rule.versions):
        applies, value = version_nodes(version)
        guard = conj(base, _in_force(rule, j))
        t_a, f_a, u_a = tr.tfu(applies)
        for number, (g, term) in enumerate(tr.cases(value)):
            for k, (g2, spec) in enumerate(_value(tr, term)):
                values.append(spec)
                emits.append((f"{rule.code}.{j}.{number}.{k}", conj(guard, t_a, g, g2),
                              ("derive", kind, stage, name, spec)))
        emits.append((f"{rule.code}.{j}.none", conj(guard, disj(f_a, u_a)), ("derive", kind, stage, name, ("none",))))
    emits.append((f"{rule.code}.undated", conj(base, disj(*_undated(rule))), ("derive", kind, stage, name, ("none",))))
    _emit(out, index, emits)
    constants = {spec[1] for spec in values if spec[0] == "const"}
    kinds = {tr.kind_of(Node("const", value=v)) for spec in values if spec[0] == "const" for v in [spec[1]]}
    if "flag" in kinds and "number" in kinds:  # durable holds true == 1 and false == 0: keep them apart
        raise Untranslatable(f"the derived fact '{name}' is sometimes true/false and sometimes a number")
    kinds |= {tr.kind_of(Node("name", value=spec[1])) for spec in values if spec[0] == "copy"}
    copies = any(spec[0] == "copy" for spec in values)
    tr.derived[name] = Derived(kinds.pop() if len(kinds) == 1 else None, None if copies else frozenset(constants))
    tr.plan.derives.append(name)
    tr.plan.stages += 1


def _value(tr: Translator, term: Node) -> list[tuple[frozenset, tuple]]:
    """What a derivation's action writes for one case of its value."""
    if term is NONE:
        return [(TRUE, ("none",))]
    if term.op == "const":
        if not (_number(term.value) or isinstance(term.value, (str, bool, frozenset))):
            raise Untranslatable(f"a derived value of type {type(term.value).__name__}")
        return [(TRUE, ("const", term.value))]
    if term.op == "name":
        return [(TRUE, ("copy", term.value))]
    return [(conj(g, g2), spec) for g, t in tr._function(term) for g2, spec in _value(tr, t)]
