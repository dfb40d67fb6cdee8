"""Translating the compiled rule pack into durable-rules (Rete) rules, keeping our three-valued logic exactly.

A finding has four outcomes and a derivation three kinds of value. A rule version becomes one durable rule per
conjunction and outcome of its conditions' three readings (see `translator`): breach = `T(applies) and T(test)`,
compliant = `T(applies) and F(test)`, not in scope = `applies is false`, not evaluable = the rest, all written
positively, so no `none()` pattern and no order of assertion matters.

Derived facts form a Rete chain: the subject's fact carries a stage number; the derivation's durable rules match
stage n and their action asserts the fact again at stage n+1 with the derived value (a constant the durable rule
stands for, or a copy of a field), and findings match the last stage.

Anything the translation cannot carry raises `EngineUnavailable` naming the rule, so a pack is never run
half-translated.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field

from hocr_rules.engine.durable.conditions import (KIND, REF, STAGE, TRUE, Untranslatable, atom, conj, disj, is_number,
                                                  reads, to_json)
from hocr_rules.engine.durable.terms import NONE, term_key, version_nodes
from hocr_rules.engine.durable.translator import Derived, Plan, Translator
from hocr_rules.engine.program import NO_DATE, NOT_IN_FORCE
from hocr_rules.errors import EngineUnavailable
from hocr_rules.expressions import Node
from hocr_rules.facts.vocabulary import VOCABULARY
from hocr_rules.rulebook.compiled import CompiledRule
from hocr_rules.rulebook.pack import RulePack


MAX_RULES = 4096  # durable-rules 2.0.28 holds at most this many rules in a ruleset (MAX_ACTIONS, rete.c)


@dataclass
class Translation:
    """Durable rule definitions, what each one stands for, and what to send per subject kind.

    An action is ('judge', kind, rule index, version index or NO_DATE/NOT_IN_FORCE, applies, verdict), the
    same tuple our rule programs produce, or ('derive', kind, stage it matches, derived name, value) with value
    ('const', v), ('copy', field) or ('none',)."""

    rules: dict[str, dict] = field(default_factory=dict)
    actions: dict[str, tuple] = field(default_factory=dict)
    plans: dict[str, Plan] = field(default_factory=dict)
    reads: dict[str, set[str]] = field(default_factory=dict)   # subject kind -> fields its rules test
    explicit_unknown: bool = False  # also emit 'not evaluable' rules (to check the translation is complete)

    def rulesets(self) -> dict[str, list[dict]]:
        """The durable rulesets of each subject kind. Durable holds at most `MAX_RULES` rules in a ruleset
        (MAX_ACTIONS in its rete.c; more fail with error 106), and the pack translates to more than that with
        `explicit_unknown`, even for one kind (crime records, 4,126 rules in December 2026). A fact is only ever
        matched by rules of its own kind, so each kind has rulesets of its own; a kind with more rules than one
        holds has its findings cut into several, each with all of the kind's derivations, because a finding
        matches the derived facts of its own ruleset only. Every subject is asserted into each, and a finding's
        rules all go to one ruleset, so a subject still gets exactly one outcome from each rule."""
        derivations: dict[str, dict] = {}
        findings: dict[str, dict[int, dict]] = {}   # kind -> rule index -> that rule's durable rules
        for name, action in self.actions.items():
            if action[0] == "derive":
                derivations.setdefault(action[1], {})[name] = self.rules[name]
            else:
                findings.setdefault(action[1], {}).setdefault(action[2], {})[name] = self.rules[name]
        found: dict[str, list[dict]] = {}
        for kind in dict.fromkeys([*derivations, *findings]):
            shared = {"handled": self.rules["handled"], **derivations.get(kind, {})}
            room = MAX_RULES - len(shared)
            chunks = [dict(shared)]
            for of_rule in findings.get(kind, {}).values():
                if len(of_rule) > room:
                    raise EngineUnavailable(f"one rule translates to {len(of_rule)} durable rules, more than a "
                                            f"durable ruleset holds beside its subject's derivations ({room})")
                if len(chunks[-1]) + len(of_rule) > MAX_RULES:
                    chunks.append(dict(shared))
                chunks[-1].update(of_rule)
            found[kind] = chunks
        return found

    def fingerprint(self) -> str:
        text = repr(sorted((n, repr(r), self.actions[n]) for n, r in self.rules.items() if n in self.actions))
        text += repr([(k, p.fields, {n: term_key(t) for n, t in p.terms.items()}) for k, p in self.plans.items()])
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
            out.reads.setdefault(action[1], set()).update(*(reads(a) for a in c))


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
    # no date: out of scope if the current version could not apply anyway (as our rule programs decide)
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
        if not (is_number(term.value) or isinstance(term.value, (str, bool, frozenset))):
            raise Untranslatable(f"a derived value of type {type(term.value).__name__}")
        return [(TRUE, ("const", term.value))]
    if term.op == "name":
        return [(TRUE, ("copy", term.value))]
    return [(conj(g, g2), spec) for g, t in tr._function(term) for g2, spec in _value(tr, t)]
