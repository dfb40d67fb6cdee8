"""Asserting what the engine says about an incident, with failure messages a rule author can act on.

`assert_breaches(incident, {"TL01"})` checks the set of rules breached; `assert_breaches(incident, {"D1":
{"TL01"}, "CR-1": set()})` checks them subject by subject. On failure the message lists what was expected,
what the engine found, each unexpected breach with its message, and, for each missing one, what the rule
said instead (compliant, not evaluable and why, or out of scope and why). Incidents may be given as the
model or as a dict, which is validated first.
"""

from __future__ import annotations

import inspect
from functools import cache
from typing import Any, Iterable, Mapping, NamedTuple, Protocol

from hocr_rules.engine.evaluator import Evaluator
from hocr_rules.engine.outcomes import IncidentResult, Outcome
from hocr_rules.model.incident import Incident
from hocr_rules.rulebook.pack import RulePack

Subject = str | tuple[str, str]  # a subject id ("D1"), or (kind, id) where ids of different kinds collide


class Engine(Protocol):
    def evaluate(self, incident: Incident) -> IncidentResult: ...


class OutcomeKey(NamedTuple):
    """One outcome as properties compare them: independent of message wording and of input order."""

    rule: str
    version: str | None
    subject_kind: str
    subject_id: str
    outcome: str


@cache
def default_pack() -> RulePack:
    """The bundled rule pack, loaded once per process."""
    return RulePack.load()


@cache
def default_engine() -> Evaluator:
    """Our evaluator over the bundled pack, built once per process."""
    return Evaluator(default_pack())


def as_incident(incident: Incident | Mapping[str, Any]) -> Incident:
    return incident if isinstance(incident, Incident) else Incident.model_validate(incident)


def result_of(incident: Incident | Mapping[str, Any], engine: Engine | None = None, *,
              keep_out_of_scope: bool = False) -> IncidentResult:
    """The engine's result; out-of-scope outcomes too if asked and the engine offers them (ours does)."""
    engine = engine or default_engine()
    if keep_out_of_scope and "keep_out_of_scope" in inspect.signature(engine.evaluate).parameters:
        return engine.evaluate(as_incident(incident), keep_out_of_scope=True)  # type: ignore[call-arg]
    return engine.evaluate(as_incident(incident))


def key(outcome: Outcome) -> OutcomeKey:
    return OutcomeKey(outcome.rule.code, outcome.version.label if outcome.version else None,
                      outcome.subject_kind, outcome.subject_id, outcome.outcome)


def outcomes_of(incident: Incident | Mapping[str, Any], engine: Engine | None = None, *,
                keep_out_of_scope: bool = False) -> set[OutcomeKey]:
    """Every outcome as (rule, version, subject kind, subject id, outcome): compare these, not messages."""
    return {key(o) for o in result_of(incident, engine, keep_out_of_scope=keep_out_of_scope).outcomes}


def breaches_of(incident: Incident | Mapping[str, Any], engine: Engine | None = None) -> dict[str, set[str]]:
    """Subject id -> codes of the rules it breaches (subjects with no breach are left out)."""
    found: dict[str, set[str]] = {}
    for outcome in result_of(incident, engine).breaches:
        found.setdefault(outcome.subject_id, set()).add(outcome.rule.code)
    return found


def assert_breaches(incident: Incident | Mapping[str, Any], expected: Iterable[str] | Mapping[Subject, Iterable[str]],
                    engine: Engine | None = None) -> IncidentResult:
    """Exactly these breaches. A set of codes: the rules breached anywhere in the incident. A mapping: the
    rules each listed subject breaches; subjects not listed must breach nothing. Returns the result."""
    incident, expected = as_incident(incident), {expected} if isinstance(expected, str) else expected
    result = result_of(incident, engine)
    breaches = result.breaches
    if isinstance(expected, Mapping):
        wanted = {(_kind(s), _id(s), code) for s, codes in expected.items() for code in codes}
        unexpected = [o for o in breaches if not any(_matches(w, o) for w in wanted)]
        missing = sorted((w for w in wanted if not any(_matches(w, o) for o in breaches)), key=str)
        shown_expected = {_show_subject(s): sorted(codes) for s, codes in expected.items()}
        shown_actual: dict[str, list[str]] = {}
        for o in breaches:
            shown_actual.setdefault(o.subject_id, []).append(o.rule.code)
    else:
        codes = set(expected)
        unexpected = [o for o in breaches if o.rule.code not in codes]
        missing = [(None, None, code) for code in sorted(codes - {o.rule.code for o in breaches})]
        shown_expected, shown_actual = sorted(codes), sorted({o.rule.code for o in breaches})
    if unexpected or missing:
        raise AssertionError(_report(incident, engine, shown_expected, shown_actual, unexpected, missing))
    return result


def assert_no_breach(incident: Incident | Mapping[str, Any], engine: Engine | None = None) -> IncidentResult:
    """No rule is breached anywhere in the incident."""
    return assert_breaches(incident, set(), engine)


def assert_outcome(incident: Incident | Mapping[str, Any], rule: str, subject: str, outcome: str,
                   engine: Engine | None = None) -> Outcome | None:
    """What one rule says about one subject: breach, compliant, not_evaluable or not_in_scope."""
    found = [o for o in result_of(incident, engine, keep_out_of_scope=True).outcomes
             if o.rule.code == rule and o.subject_id == subject]
    actual = found[0].outcome if found else "not_in_scope"
    if actual != outcome:
        said = f": {found[0].message}" if found else " (the engine gave no outcome for it)"
        raise AssertionError(f"incident {as_incident(incident).id}: {rule} on {subject}: expected {outcome}, "
                             f"got {actual}{said}")
    return found[0] if found else None


def _kind(subject: Subject) -> str | None:
    return subject[0] if isinstance(subject, tuple) else None


def _id(subject: Subject) -> str:
    return subject[1] if isinstance(subject, tuple) else subject


def _show_subject(subject: Subject) -> str:
    return f"{subject[0]} {subject[1]}" if isinstance(subject, tuple) else subject


def _matches(wanted: tuple, outcome: Outcome) -> bool:
    kind, subject, code = wanted
    return outcome.rule.code == code and outcome.subject_id == subject and kind in (None, outcome.subject_kind)


def _report(incident: Incident, engine, expected, actual, unexpected: list[Outcome], missing: list[tuple]) -> str:
    lines = [f"incident {incident.id}: the breaches differ from those expected",
             f"  expected: {_show(expected)}", f"  actual:   {_show(actual)}"]
    if unexpected:
        lines.append("  unexpected breaches:")
        lines += [f"    {_line(o)}" for o in unexpected]
    if missing:
        everything = result_of(incident, engine, keep_out_of_scope=True).outcomes
        lines.append("  missing breaches (what the rule said instead):")
        for kind, subject, code in missing:
            said = [o for o in everything if o.rule.code == code and (subject is None or o.subject_id == subject)
                    and (kind is None or o.subject_kind == kind)]
            where = f" on {subject}" if subject else ""
            lines += [f"    {_line(o)}" for o in said] or [f"    {code}{where}: no outcome (not in scope)"]
    return "\n".join(lines)


def _line(outcome: Outcome) -> str:
    version = f" [{outcome.version.label}]" if outcome.version else ""
    return (f"{outcome.rule.code} {outcome.rule.name}{version}, {outcome.subject_kind} {outcome.subject_id}: "
            f"{outcome.outcome}: {outcome.message}")


def _show(value) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {{{', '.join(v)}}}" for k, v in sorted(value.items())) + "}" if value else "{}"
    return "{" + ", ".join(value) + "}" if value else "no breach"

