"""`--engine durable`: the compiled rule pack evaluated by durable-rules (a Rete network), with the same outcomes
as our own evaluator on any input.

The pack is translated once (`pack.translate`) into durable rulesets, one or more per subject kind (a ruleset
holds at most 4,096 rules: a kind with more is cut into several, each with the kind's derivations, see
`Translation.rulesets`). Each incident is one durable session in each: every subject (the incident, its disclosures,
crime records and N100s) is asserted as one fact without its absent fields, plus the pre-evaluated terms the
translation asked for; the Rete network does the rest, and its actions record which outcome each rule reached
and assert the derived facts the next rules match. The sessions are deleted at once (durable holds at most
1,024).

What is not durable's: outcomes are turned into `Outcome` objects by our evaluator's own functions (messages,
the trace of facts, overrides between rules); a finding for which neither breach, compliant nor not-in-scope
fired is *not evaluable* (a final pass, no `none()` pattern), its version read from the same date durable
used; and terms durable cannot compute are computed in Python when the facts are prepared (see `translator`).

We drive durable's C module (`durable_rules_engine`) as `durable.engine.Ruleset` does, without its host: no
background dispatch threads, no per-action JSON round trip of the session state. Many incidents are judged in
worker processes (see `workers`), started with `spawn`, so a script calling `evaluate_many` needs the usual
`if __name__ == "__main__":` guard.
"""

from __future__ import annotations

import itertools
import json
import os
import sys
import uuid
from pathlib import Path
from typing import Any, Iterable, Iterator

from hocr_rules.engine.durable.conditions import KIND, MEMBER, NUMERIC, REF, STAGE
from hocr_rules.engine.durable.pack import Translation, translate
from hocr_rules.engine.durable.terms import addressable
from hocr_rules.engine.durable.workers import Pool, in_batches, incident_of
from hocr_rules.engine.evaluator import Evaluator, Facts, subjects
from hocr_rules.engine.outcomes import IncidentResult
from hocr_rules.engine.program import NO_DATE
from hocr_rules.errors import EngineUnavailable
from hocr_rules.facts.view import IncidentView
from hocr_rules.model.incident import Incident
from hocr_rules.offences import OffenceTable
from hocr_rules.rulebook.pack import DEFAULT_RULES, RulePack

try:
    import durable_rules_engine as _durable
except ImportError:  # pragma: no cover - depends on the installation
    _durable = None

INSTALL = ("the durable-rules engine needs the durable_rules package: pip install 'hocr-rules[durable]' "
           "(or pip install durable_rules==2.0.28); it compiles C code, so a C compiler is needed")
INSTALL_313 = " and, on Python 3.13 or later, CPPFLAGS=-DPyEval_CallObject=PyObject_CallObject in the environment"
BATCH = 200


class DurableMismatch(RuntimeError):
    """Durable's matches do not add up to one outcome per rule and subject: a fault in the translation."""


def install_hint(version: tuple = sys.version_info) -> str:
    return INSTALL + (INSTALL_313 if version >= (3, 13) else "") + "."


def _check_installed() -> None:
    if _durable is None:
        raise EngineUnavailable(install_hint())


class DurableEngine:
    """`evaluate(incident)` in this process; `evaluate_many(incidents)` in `workers` processes (0: in this one).

    Not thread-safe: one engine per thread. `verify=True` makes durable fire 'not evaluable' itself too, so an
    outcome it leaves out is an error rather than a final-pass default (slower; for tests)."""

    def __init__(self, pack: RulePack, offences: OffenceTable | None = None, *, folders: list[Path] | None = None,
                 workers: int | None = None, batch_size: int = BATCH, batch_timeout: float = 300.0,
                 verify: bool = False, simulate_crash_on: Iterable[str] = (), simulate_hang_on: Iterable[str] = ()):
        _check_installed()
        self.pack, self.offences = pack, offences or OffenceTable.load()
        self.default = Evaluator(pack, self.offences)   # for the trace, and for batches a crashed worker left
        self.verify = verify  # durable also fires 'not evaluable'; a missing outcome is then a fault
        self.translation: Translation = translate(pack, explicit_unknown=verify)
        self.fingerprint = self.translation.fingerprint()
        self.folders = folders or _folders(pack)
        self.workers = (os.cpu_count() or 1) if workers is None else workers
        self.batch_size, self.batch_timeout = batch_size, batch_timeout  # a worker over the timeout is killed
        # tests only: a worker kills itself with SIGSEGV on these incidents, or sleeps for an hour
        self.simulate_crash_on, self.simulate_hang_on = frozenset(simulate_crash_on), frozenset(simulate_hang_on)
        self.notes: list[str] = []
        self._handles: dict[str, list[int]] = {}  # subject kind -> its durable rulesets, created on first use
        self._sessions = itertools.count()

    # ---------------------------------------------------------------- one incident, in this process
    def evaluate(self, incident: Incident, *, keep_out_of_scope: bool = False) -> IncidentResult:
        return self._assemble(incident, self.run(incident), keep_out_of_scope)

    def run(self, incident: Incident) -> list[tuple]:
        """Durable's verdicts for one incident: per subject (position, [(rule, version, applies, verdict)],
        {derived name: value}); small and picklable, so workers send these back."""
        if not self._handles:
            self._handles = {kind: [_durable.create_ruleset(f"hocr-{kind}-{n}-{uuid.uuid4().hex}",
                                                            json.dumps(rules, ensure_ascii=False))
                                    for n, rules in enumerate(chunks)]
                             for kind, chunks in self.translation.rulesets().items()}
        view = IncidentView(incident, self.offences)
        sid = str(next(self._sessions))
        facts: dict[str, list[dict]] = {}
        sent = {}
        for position, (kind, _, record) in enumerate(subjects(incident)):
            plan = self.translation.plans.get(kind)
            if plan is not None:
                fact = _encode(plan, self.default.facts(view, kind, record), str(position))
                fact.update({KIND: kind, STAGE: 0, "sid": sid})
                facts.setdefault(kind, []).append(fact)
                sent[str(position)] = fact
        if not facts:
            return []
        session = _Session(self, sid)
        for kind, of_kind in facts.items():
            for handle in self._handles[kind]:
                try:
                    session.assert_facts(handle, of_kind)
                finally:
                    _durable.delete_state(handle, sid)
        return [self._verdicts(session, ref, fact) for ref, fact in sent.items()]

    def _verdicts(self, session: "_Session", ref: str, fact: dict) -> tuple:
        kind = fact[KIND]
        plan, rules = self.translation.plans[kind], self.default.rules(kind)
        results = []
        for i, rule in enumerate(rules):
            if rule.kind == "derivation":
                continue
            found = session.judged.get((ref, i))
            if found is None:  # neither breach, compliant nor out of scope: not evaluable
                if self.verify:
                    raise DurableMismatch(f"{rule.code}: no outcome for {kind} {ref}")
                when = fact.get(rule.dated_by)
                j = NO_DATE if when is None else rule.version_index(when)
                if j == -1 and when is not None:
                    raise DurableMismatch(f"{rule.code}: no outcome for {kind} {ref} before the rule's first version")
                found = (i, j, None, None)
            results.append(found)
        derived = {}
        for name in plan.derives:
            if (ref, name) not in session.derived:
                raise DurableMismatch(f"no value derived for {name} of {kind} {ref}")
            derived[name] = session.derived[(ref, name)]
        return int(ref), results, derived

    def _assemble(self, incident: Incident, verdicts: list[tuple], keep_out_of_scope: bool) -> IncidentResult:
        """Outcomes built exactly as our evaluator builds them, from durable's verdicts."""
        view = IncidentView(incident, self.offences)
        everything = list(subjects(incident))
        outcomes, derived = [], {}
        for position, results, values in verdicts:
            kind, subject_id, record = everything[position]
            facts = self.default.facts(view, kind, record)
            facts.update(values)
            kept = [r for r in results if r[2] is not False or keep_out_of_scope]
            outcomes.extend(self.default.judged(kept, facts, incident.id, kind, subject_id, keep_out_of_scope))
            derived[(kind, subject_id)] = values
        return IncidentResult(incident.id, outcomes, derived)

    # ---------------------------------------------------------------- many incidents, in worker processes
    def evaluate_many(self, items: Iterable[Any], *, keep_out_of_scope: bool = False) -> Iterator[Any]:
        """An `IncidentResult` per incident (or `Accepted`), in input order; anything else (an `InputError`)
        passes through. A batch whose worker crashed, or an incident durable could not judge, is evaluated by
        the default engine, with a note in `notes`."""
        if self.workers < 1:
            for item in items:
                incident = incident_of(item)
                yield item if incident is None else self._safely(incident, keep_out_of_scope)
            return
        pool = Pool(self)
        try:
            for batch, answers in pool.run(in_batches(items, self.batch_size)):
                for item, answer in zip(batch, answers):
                    incident = incident_of(item)
                    if incident is None:
                        yield item
                    elif answer is not None and answer[0] == "ok":
                        yield self._assemble(incident, answer[1], keep_out_of_scope)
                    else:
                        if answer is not None:
                            self.notes.append(f"incident {incident.id}: durable-rules failed ({answer[1]}); "
                                              "evaluated by the default engine")
                        yield self.default.evaluate(incident, keep_out_of_scope=keep_out_of_scope)
        finally:
            pool.close()

    def _safely(self, incident: Incident, keep_out_of_scope: bool) -> IncidentResult:
        try:
            return self.evaluate(incident, keep_out_of_scope=keep_out_of_scope)
        except Exception as error:  # noqa: BLE001 - as in a worker: the default engine judges it, said openly
            self.notes.append(f"incident {incident.id}: durable-rules failed ({type(error).__name__}: {error}); "
                              "evaluated by the default engine")
            return self.default.evaluate(incident, keep_out_of_scope=keep_out_of_scope)

    def close(self) -> None:
        """Free durable's rulesets in this process (workers free theirs when they stop)."""
        if _durable is not None:
            for handles in self._handles.values():
                for handle in handles:
                    _durable.delete_ruleset(handle)
        self._handles = {}

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: BLE001 - interpreter shutdown
            pass


def _folders(pack: RulePack) -> list[Path]:
    """The rule folders the pack came from, ours first (as `hocr --rules` loads them)."""
    found = list(dict.fromkeys(rule.path.parent for rule in pack.rules))
    return sorted(found, key=lambda folder: folder != DEFAULT_RULES)


# ---------------------------------------------------------------- facts in, verdicts out


_TYPES = {"flag": bool, "time": (int, float), "hours": (int, float), "count": (int, float), "number": (int, float),
          "text": str, "code": str, "codes": frozenset, None: (bool, int, float, str)}


def _encode(plan, facts: Facts, ref: str) -> dict:
    """A subject's fact for durable, its reference first: absent facts left out, sets as objects of members.
    Each value must have the type its kind promises, since the translation's tests rely on it."""
    fact = {REF: ref}
    for name, kind in plan.fields.items():
        value = facts[name]
        if value is not None:
            fact[name] = _value(value, kind, name)
    if plan.terms:
        for name, value in zip(plan.terms, plan.evaluate_terms(facts)):
            if value is not None:
                fact[name] = _value(value, plan.term_kinds[name], name)
    return fact


def _value(value: Any, kind: str | None, name: str) -> Any:
    if not isinstance(value, _TYPES[kind]) or (value.__class__ is bool and kind in NUMERIC):
        raise DurableMismatch(f"fact {name} is {type(value).__name__}, not the {kind} the translation expects")
    if value.__class__ is frozenset:
        if not all(addressable(v) for v in value):
            raise DurableMismatch(f"a member of {name} cannot be a durable property name")
        return _members(value)
    return value


def _members(value: frozenset) -> dict:
    return dict.fromkeys(sorted(value), True) | {MEMBER: len(value)}


def _decode(value: Any) -> Any:
    return frozenset(k for k in value if k != MEMBER) if isinstance(value, dict) else value


_REF_TEXT = json.dumps({REF: ""})[1:-2]   # '"_ref": "', as json.dumps writes it and durable returns it


class _Session:
    """One incident's durable session: runs the actions and keeps what they say."""

    def __init__(self, engine: DurableEngine, sid: str):
        self.actions, self.sid = engine.translation.actions, sid
        self.handle: int | None = None  # the ruleset of the kind being asserted; derived facts go back to it
        self.judged: dict[tuple[str, int], tuple] = {}
        self.derived: dict[tuple[str, str], Any] = {}
        self.asserted: set[tuple[int, str, str]] = set()  # (ruleset, ref, derived name): each ruleset derives anew

    def assert_facts(self, handle: int, facts: list[dict]) -> None:
        """Facts of one subject kind, into that kind's ruleset; the derived facts its actions assert go there too."""
        self.handle = handle
        code, state = _durable.assert_facts(handle, json.dumps(facts, ensure_ascii=False))
        if code != 0:
            raise DurableMismatch(f"durable did not accept the facts (code {code})")
        started = _durable.start_action_for_state(self.handle, state)
        message = started[1] if started else None
        while message:
            # '{"<rule>":{"m":{"_ref": "<ref>", ...}}}': a verdict needs only those two, so no JSON decoding
            name = message[2:message.index('"', 2)]
            action = self.actions[name]
            at = message.find(_REF_TEXT)
            if action[0] == "judge" and at > 0:
                self.judge(action, message[at + len(_REF_TEXT):message.index('"', at + len(_REF_TEXT))])
            else:
                frame = json.loads(message)[name]["m"]
                self.judge(action, frame[REF]) if action[0] == "judge" else self.derive(action, frame)
            message = _durable.complete_and_start_action(self.handle, state)

    def judge(self, action: tuple, ref: str) -> None:
        _, kind, i, j, applies, verdict = action
        before = self.judged.setdefault((ref, i), (i, j, applies, verdict))
        if before != (i, j, applies, verdict):
            raise DurableMismatch(f"two outcomes for rule {i} on {kind} {ref}: {before} and {action[2:]}")

    def derive(self, action: tuple, fact: dict) -> None:
        ref = fact[REF]
        _, kind, stage, name, spec = action
        value = spec[1] if spec[0] == "const" else fact.get(spec[1]) if spec[0] == "copy" else None
        value = _members(value) if isinstance(value, frozenset) else value
        if (ref, name) in self.derived and self.derived[(ref, name)] != _decode(value):
            raise DurableMismatch(f"two values derived for {name} of {kind} {ref}")
        if (self.handle, ref, name) in self.asserted:
            return
        self.asserted.add((self.handle, ref, name))
        self.derived[(ref, name)] = _decode(value)
        following = {k: v for k, v in fact.items() if k != name}
        following[STAGE] = stage + 1
        if value is not None:
            following[name] = value
        code, _ = _durable.assert_fact(self.handle, json.dumps(following, ensure_ascii=False))
        if code != 0:
            raise DurableMismatch(f"durable did not accept the derived fact {name} (code {code})")
