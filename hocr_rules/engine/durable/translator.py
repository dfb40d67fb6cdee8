"""Translating one subject kind's conditions, keeping our three-valued logic exactly.

Durable-rules only says "this pattern matched", so every condition is turned into three disjoint conditions (see
`conditions`): `T` (the value is known and true), `F` (known and false) and `U` (unknown).

- `let` steps and parameters are substituted into the conditions; `x if c else y` and `max`/`min` become case
  splits (`T(c)` with the value of `x`, `F(c)` with `y`, `U(c)` with unknown); `not` swaps `T` and `F`;
  `and`/`or` follow Kleene; `hours_between` against a limit stays on the fact (see `terms.time_limit`), other
  sums and products against a fact stay durable arithmetic.
- `present`/`missing` of a fact test `$ex`/`$nex`, plus the empty value of its kind if our `present()` says an
  empty value is missing (asked of `expressions.FUNCTIONS` when translating, so the two cannot drift apart).
- **Pre-evaluated terms.** What durable cannot compute is computed in Python when the facts are prepared and
  sent as extra fields named `_p<hash of the term>`: `only_phrases`, `contains_any`, `count`, set difference,
  string `+`, division, comparisons of sets, membership in text, and arithmetic compared with a constant
  (`victim_count * offender_count > 1`). They are evaluated by the same generated code as our evaluator's, over
  base facts only; a derived fact inside such a term is split into its possible values first.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from itertools import product
from typing import Any, Callable

from hocr_rules.engine.durable.conditions import (ARITH, FALSE, MEMBER, NEGATE, NUMERIC, PY, TRUE, Untranslatable,
                                                  atom, conj, disj, is_number)
from hocr_rules.engine.durable.terms import (NONE, addressable, evaluate, members, merge, referring, substitute,
                                             term_key, time_limit)
from hocr_rules.compiler import Compiler
from hocr_rules.expressions import FUNCTIONS, Node
from hocr_rules.facts.vocabulary import VOCABULARY

_FLIP = {"==": "==", "!=": "!=", "<": ">", ">": "<", "<=": ">=", ">=": "<="}
_BOOLEAN_CALLS = frozenset({"present", "missing", "only_phrases", "contains_any", "overlaps"})
_EMPTY = {"text": "", "code": "", "codes": frozenset(), "flag": False, **dict.fromkeys(NUMERIC, 0)}

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
        key = term_key(n)
        if key not in self._cases:
            self._cases[key] = merge(self._build_cases(n))
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
                if y.op == "const" and is_number(y.value) and y.value == neutral and (op != "-" or y is b):
                    return [(TRUE, x)]
            return [(TRUE, Node(op, (a, b)))]
        if op == "/" and b.op == "const" and is_number(b.value) and b.value and self.kind_of(a) in NUMERIC:
            return [(TRUE, Node(op, (a, b)))]  # kept only for time limits (`time_limit`); else pre-evaluated
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
        value = evaluate(term, {})
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
                        for g, t in self._function(substitute(term, name, Node("const", value=value)))]
            return out
        for name in term.names() & set(self.plan.terms):
            term = substitute(term, name, self.plan.terms[name])  # terms are computed from facts only
        if not term.names():
            return self._fold(term)
        key = "_p" + hashlib.sha1(repr(term_key(term)).encode()).hexdigest()[:12]
        if key not in self.plan.terms:
            self.plan.terms[key], self.plan.term_kinds[key] = term, self.kind_of(term)
        return [(TRUE, Node("name", value=key))]

    # ----- three-valued readings
    def tfu(self, n: Node) -> tuple[frozenset, frozenset, frozenset]:
        key = term_key(n)
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
        if op in PY or op in ("in", "not in") or (op == "call" and n.value in _BOOLEAN_CALLS):
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
        if op in PY:
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
            limit = time_limit(self, op, a, b) or time_limit(self, _FLIP[op], b, a)
            if limit:
                return limit
            return self._computed(Node(op, (a, b)))
        right = self._rvalue(b)
        if right is None:
            return self._computed(Node(op, (a, b)))
        unknown = disj(*(atom(x, "nex") for x in sorted(a.names() | b.names())))
        return referring(a.value, op, right), referring(a.value, NEGATE[op], right), unknown

    def _rvalue(self, t: Node) -> tuple | None:
        if t.op == "const":
            return ("c", t.value) if is_number(t.value) or isinstance(t.value, (str, bool)) else None
        if t.op == "name":
            return "m", t.value
        if t.op in ARITH:
            left, right = self._rvalue(t.args[0]), self._rvalue(t.args[1])
            return None if left is None or right is None else ("x", t.op, left, right)
        return None

    def member(self, a: Node, b: Node) -> tuple:
        kind_a, kind_b = self.kind_of(a), self.kind_of(b)
        scalar = kind_a in NUMERIC or kind_a in ("text", "code", "flag")
        if b.op == "const" and isinstance(b.value, frozenset) and a.op == "name" and scalar and \
                all(is_number(v) or isinstance(v, (str, bool)) for v in b.value):
            values = sorted(b.value, key=repr)
            return (disj(*(atom(a.value, "==", ("c", v)) for v in values)),
                    conj(atom(a.value, "ex"), *(atom(a.value, "!=", ("c", v)) for v in values)),
                    atom(a.value, "nex"))
        if b.op == "name" and kind_b == "codes" and a.op == "const" and addressable(a.value):
            return members(b.value, [a.value])
        return self._computed(Node("in", (a, b)))

    def _overlaps(self, a: Node, b: Node) -> tuple | None:
        for field_, items in ((a, b), (b, a)):
            if field_.op == "name" and self.kind_of(field_) == "codes" and items.op == "const" and \
                    isinstance(items.value, frozenset) and all(addressable(v) for v in items.value):
                return members(field_.value, sorted(items.value))
        return None
