"""The durable-rules engine says exactly what our evaluator says: on every rule example, on hand-made incidents
whose facts reach durable in another order, on random conditions over random (often missing) facts, and when a
worker process crashes in the middle of an audit."""

import json
import sys
from collections import Counter
from datetime import datetime, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

durable = pytest.importorskip("durable_rules_engine", reason="durable_rules is not installed")

from hocr_rules.engine.durable import engine as durable_engine  # noqa: E402
from hocr_rules.engine.durable import pack as durable_pack  # noqa: E402
from hocr_rules.engine.durable.conditions import MEMBER, to_json  # noqa: E402
from hocr_rules.engine.durable.engine import DurableEngine, _encode, install_hint  # noqa: E402
from hocr_rules.engine.durable.pack import ordered  # noqa: E402
from hocr_rules.engine.durable.translator import Plan, Translator  # noqa: E402
from hocr_rules.engine.evaluator import Evaluator  # noqa: E402
from hocr_rules.errors import EngineUnavailable, InputError  # noqa: E402
from hocr_rules.compiler import Compiler  # noqa: E402
from hocr_rules.expressions import parse  # noqa: E402
from hocr_rules.model.incident import Incident  # noqa: E402
from hocr_rules.rulebook.examples import cases, run_case  # noqa: E402
from hocr_rules.rulebook.pack import RulePack  # noqa: E402

PACK = RulePack.load()
EVALUATOR = Evaluator(PACK)
DURABLE = DurableEngine(PACK, workers=0)
# durable also fires 'not evaluable' itself, and an outcome durable leaves out is an error: the translation's
# three readings of every condition (true, false, unknown) must cover every incident
CHECKED = DurableEngine(PACK, workers=0, verify=True)
CASES = list(cases(EVALUATOR))


def fingerprint(result) -> tuple:
    return ([(o.rule.code, o.subject_kind, o.subject_id, o.outcome, o.version.label if o.version else None,
              o.message, o.reason, o.overridden_by) for o in result.outcomes], result.derived)


def same_on_both_engines(incident: Incident) -> tuple:
    expected = fingerprint(EVALUATOR.evaluate(incident, keep_out_of_scope=True))
    assert fingerprint(DURABLE.evaluate(incident, keep_out_of_scope=True)) == expected
    assert fingerprint(CHECKED.evaluate(incident, keep_out_of_scope=True)) == expected
    assert fingerprint(DURABLE.evaluate(incident)) == fingerprint(EVALUATOR.evaluate(incident))
    return expected


# ---------------------------------------------------------------- every rule example


@pytest.mark.parametrize(("rule", "index", "example"), CASES,
                         ids=[f"{rule.code}-{index + 1}" for rule, index, _ in CASES])
def test_rule_example_gives_the_same_outcomes_on_durable(rule, index, example):
    same_on_both_engines(Incident.model_validate(example.incident))
    result = run_case(DURABLE, rule, index, example)
    assert result.passed, f"{example.name}\n  " + "\n  ".join(result.differences)


def test_no_ruleset_holds_more_rules_than_durable_allows():
    for engine in (DURABLE, CHECKED):
        for kind, chunks in engine.translation.rulesets().items():
            assert all(len(rules) <= durable_pack.MAX_RULES for rules in chunks), kind


def _smallest_ruleset(translation) -> int:
    """The fewest rules a ruleset can hold and still take each kind's derivations beside its largest finding."""
    derivations, of_rule = Counter(), Counter()
    for action in translation.actions.values():
        if action[0] == "derive":
            derivations[action[1]] += 1
        else:
            of_rule[action[1], action[2]] += 1
    return 1 + max(derivations[kind] + n for (kind, _), n in of_rule.items())


def test_a_kind_cut_into_many_small_rulesets_gives_the_same_outcomes(monkeypatch):
    """Crime records need more than one ruleset in verify mode (4,126 rules in December 2026). With rulesets as
    small as the pack allows (each kind's derivations beside its largest finding rule, worked out from the
    translation so that a rule added to the pack cannot outgrow the test) crime records and disclosures are each
    cut into several, and every rule example still gives what our evaluator gives, 'not evaluable' fired by
    durable itself included."""
    monkeypatch.setattr(durable_pack, "MAX_RULES", _smallest_ruleset(CHECKED.translation))
    small = DurableEngine(PACK, workers=0, verify=True)
    try:
        chunks = small.translation.rulesets()
        assert len(chunks["crime_record"]) > 1 and len(chunks["disclosure"]) > 1
        for _, _, example in CASES[::7]:
            incident = Incident.model_validate(example.incident)
            assert fingerprint(small.evaluate(incident, keep_out_of_scope=True)) == \
                fingerprint(EVALUATOR.evaluate(incident, keep_out_of_scope=True))
    finally:
        small.close()


# ---------------------------------------------------------------- hand-made incidents


def assault(recorded_after: timedelta | None, **cancellation) -> Incident:
    received = datetime.fromisoformat("2025-06-02T10:00:00+01:00")
    record = {"reference": "CR1", "offence": "105A", "victim": "V1", "offenders": ["O1"], "disclosures": ["D1"]}
    if recorded_after is not None:
        record["recorded_at"] = (received + recorded_after).isoformat()
    if cancellation:
        record |= {"status": "cancelled", "cancellation": cancellation}
    return Incident.model_validate({
        "id": "ASSAULT", "received_at": received.isoformat(), "channel": "emergency_call",
        "people": [{"id": "V1", "age": 30, "sex": "female", "ethnicity": "W1",
                    "disability": False, "religion": "None", "sexual_orientation": "Not stated",
                    "relationship_to_offender": "stranger"},
                   {"id": "O1", "age": 40}],
        "disclosures": [{"id": "D1", "offence": "105A", "victims": ["V1"], "offenders": ["O1"],
                         "reported_by": "victim"}],
        "crime_records": [record]})


def outcome(facts: tuple, code: str, subject: str) -> str:
    return next(o[3] for o in facts[0] if o[0] == code and o[2] == subject)


@pytest.mark.parametrize(("after", "expected"), [(timedelta(hours=24), "compliant"),
                                                 (timedelta(hours=24, seconds=1), "breach"),
                                                 (timedelta(hours=23, minutes=59, seconds=59), "compliant")])
def test_the_24_hour_limit_is_exact_in_durable(after, expected):
    assert outcome(same_on_both_engines(assault(after)), "TL01", "D1") == expected


def test_a_crime_recorded_without_a_time_is_not_evaluable_and_says_why():
    facts = same_on_both_engines(assault(None))
    late = next(o for o in facts[0] if o[0] == "TL01")
    assert late[3] == "not_evaluable" and "no recording time" in late[6]


def test_a_cancellation_without_a_decision_date_is_judged_as_our_evaluator_judges_it():
    same_on_both_engines(assault(timedelta(hours=2), code="C2", decided_by="force_crime_registrar"))
    same_on_both_engines(assault(timedelta(hours=2), code="C2", decided_at="2025-06-03T10:00:00+01:00",
                                 additional_verifiable_information="victim withdrew"))


def busy_incident(reverse: bool) -> Incident:
    """Two victims of one offender: an assault crimed late, a stalking course of conduct, and a rape held as an
    N100; `reverse` lists every record in the opposite order."""
    flip = (lambda items: items[::-1]) if reverse else (lambda items: items)
    return Incident.model_validate({
        "id": "BUSY", "received_at": "2025-03-01T22:00:00+00:00", "channel": "emergency_call",
        "qualifiers": ["domestic_abuse"],
        "people": flip([{"id": "V1", "age": 34, "sex": "female", "ethnicity": "W1",
                         "disability": False, "religion": "None", "sexual_orientation": "Not stated",
                         "relationship_to_offender": "ex_partner"}, {"id": "V2", "age": 15}, {"id": "O1", "age": 36}]),
        "disclosures": flip([
            {"id": "D1", "offence": "8N", "victims": ["V1"], "offenders": ["O1"], "reported_by": "victim"},
            {"id": "D2", "offence": "8L", "victims": ["V1"], "offenders": ["O1"], "reported_by": "victim",
             "occasions": ["2025-02-01T20:00:00+00:00", "2025-02-20T20:00:00+00:00"]},
            {"id": "D3", "offence": "19C", "victims": ["V2"], "offenders": ["O1"],
             "reported_by": "professional_third_party", "victim_confirmed": "not_asked"}]),
        "crime_records": flip([
            {"reference": "CR1", "offence": "8N", "victim": "V1", "offenders": ["O1"], "disclosures": ["D1"],
             "recorded_at": "2025-03-03T09:00:00+00:00"},
            {"reference": "CR2", "offence": "8Q", "victim": "V1", "offenders": ["O1"], "disclosures": ["D2"],
             "recorded_at": "2025-03-02T09:00:00+00:00", "flags": ["domestic_abuse"]}]),
        "n100s": [{"id": "N1", "disclosure": "D3", "created_at": "2025-03-02T10:00:00+00:00",
                   "reason": "N100/01"}]})


def test_facts_reaching_durable_in_another_order_give_the_same_outcomes(monkeypatch):
    forward = same_on_both_engines(busy_incident(reverse=False))
    backward = same_on_both_engines(busy_incident(reverse=True))
    assert sorted(forward[0]) == sorted(backward[0])

    class Reversed:
        """durable's own module, but every batch of facts asserted last one first."""

        def __getattr__(self, name):
            return getattr(durable, name)

        def assert_facts(self, handle, text):
            return durable.assert_facts(handle, json.dumps(json.loads(text)[::-1]))

    monkeypatch.setattr(durable_engine, "_durable", Reversed())
    assert fingerprint(DURABLE.evaluate(busy_incident(reverse=False), keep_out_of_scope=True)) == forward


# ---------------------------------------------------------------- any condition, any facts

TIMES = ("received_at", "confirmed_at", "first_recorded_at")
NUMBERS = st.recursive(
    st.sampled_from(["victim_count", "offender_count", "0", "1", "2", "count(families)"]),
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from("+-*"), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(st.sampled_from(["max", "min"]), inner, inner).map(lambda t: f"{t[0]}({t[1]}, {t[2]})")),
    max_leaves=3)
ATOMS = st.one_of(
    st.sampled_from(["recording_necessary", "has_n100", "true", "false", "victim_count", "contrary_evidence",
                     "families", "reported_by == 'victim'", "reported_by != 'witness'",
                     "reported_by in ['victim', 'witness']", "reported_by not in confirming", "'rape' in families",
                     "'rape' not in families", "overlaps(families, ['rape', 'sexual'])",
                     "only_phrases(contrary_evidence, ['victim withdrew'])", "recording_necessary == true",
                     "max(received_at, confirmed_at) < first_recorded_at", "first_recorded_at >= confirmed_at",
                     "'adult_at_risk' in qualifiers"]),
    st.tuples(st.sampled_from(["present", "missing"]),
              st.sampled_from(["contrary_evidence", "confirmed_at", "families", "reported_by",
                               "(confirmed_at if has_n100 else received_at)"])).map(lambda t: f"{t[0]}({t[1]})"),
    st.tuples(NUMBERS, st.sampled_from(["<", "<=", ">", ">=", "==", "!="]), NUMBERS).map(" ".join),
    st.tuples(st.sampled_from(TIMES), st.sampled_from(TIMES), st.sampled_from([">", ">=", "<="]),
              st.sampled_from(["24", "limit", "0"])).map(lambda t: f"hours_between({t[0]}, {t[1]}) {t[2]} {t[3]}"))
CONDITIONS = st.recursive(ATOMS, lambda inner: st.one_of(
    st.tuples(inner, st.sampled_from(["and", "or"]), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
    inner.map(lambda c: f"not {c}"),
    st.tuples(inner, inner, inner).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})")), max_leaves=5)
BASE = datetime.fromisoformat("2025-06-02T10:00:00+01:00").timestamp()
FACTS = st.fixed_dictionaries({
    **{name: st.none() | st.sampled_from([0, 3600, 86400, 86401, 90000, -1]).map(lambda s: BASE + s) for name in TIMES},
    "victim_count": st.none() | st.integers(0, 3), "offender_count": st.none() | st.integers(0, 3),
    "reported_by": st.none() | st.sampled_from(["victim", "witness", ""]),
    "contrary_evidence": st.none() | st.sampled_from(["", "victim withdrew", "CCTV shows no offence"]),
    "recording_necessary": st.none() | st.booleans(), "has_n100": st.none() | st.booleans(),
    "families": st.none() | st.frozensets(st.sampled_from(["rape", "sexual", "violence"])),
    "qualifiers": st.none() | st.frozensets(st.sampled_from(["adult_at_risk", "domestic_abuse"]))})
PARAMETERS = {"limit": 24, "confirming": frozenset({"victim", "on_behalf_of_victim"})}
_rulesets = iter(range(10**9))


def python_reading(node, facts: dict) -> str:
    compiler = Compiler({n: n for n in node.names()}, PARAMETERS)
    source = f"def reading(f):\n  return {compiler.expression(node)}"
    namespace = {"__builtins__": {}, **compiler.slots}
    exec(source, namespace)  # noqa: S102 - our own test code
    try:
        value = namespace["reading"](facts)
    except TypeError:
        assume(False)
    return "unknown" if value is None else "true" if value else "false"


def durable_readings(node, facts: dict) -> set[str]:
    plan = Plan("disclosure")
    translator = Translator(plan, {})
    rules = {"handled": {"all": [{"m": {"$ex": {"_ref": 1}}}, {"never": {"$ex": {"_never": 1}}}]}}
    for label, dnf in zip(("true", "false", "unknown"), translator.tfu(node)):
        for number, conjunction in enumerate(dnf):
            tests = [("_kind", "==", ("c", "disclosure"))] + ordered(conjunction)
            rules[f"{label}.{number}"] = {"all": [{"m": to_json(tests)}]}
    plan.compile_terms()
    fact = _encode(plan, facts, "0") | {"_kind": "disclosure", "sid": "1"}
    handle = durable.create_ruleset(f"property-{next(_rulesets)}", json.dumps(rules))
    try:
        code, state = durable.assert_facts(handle, json.dumps([fact]))
        assert code == 0
        fired, started = set(), durable.start_action_for_state(handle, state)
        message = started[1] if started else None
        while message:
            fired |= {name.split(".")[0] for name in json.loads(message)}
            message = durable.complete_and_start_action(handle, state)
        return fired
    finally:
        durable.delete_ruleset(handle)


@given(CONDITIONS, FACTS)
def test_any_condition_reads_true_false_or_unknown_exactly_as_our_compiler_reads_it(text, facts):
    node = parse(text.replace("limit", "24").replace("confirming", "['victim', 'on_behalf_of_victim']"))
    assert durable_readings(node, facts) == {python_reading(node, facts)}, text


def test_sets_are_sent_as_objects_of_their_members():
    plan = Plan("disclosure", fields={"families": "codes"})
    assert _encode(plan, {"families": frozenset({"rape"})}, "0")["families"] == {"rape": True, MEMBER: 1}
    assert _encode(plan, {"families": frozenset()}, "0")["families"] == {MEMBER: 0}


# ---------------------------------------------------------------- worker processes


def example_incidents(count: int) -> list[Incident]:
    return [Incident.model_validate(example.incident) for _, _, example in CASES[:count]]


def test_workers_answer_in_input_order_and_pass_rejected_records_through():
    incidents = example_incidents(7)
    rejected = InputError("export.jsonl", 3, "I3", [("received_at", "not a time")])
    items = incidents[:3] + [rejected] + incidents[3:]
    engine = DurableEngine(PACK, workers=2, batch_size=2)
    answers = list(engine.evaluate_many(items, keep_out_of_scope=True))
    assert answers[3] is rejected
    assert [fingerprint(a) for a in answers[:3] + answers[4:]] == \
        [fingerprint(EVALUATOR.evaluate(i, keep_out_of_scope=True)) for i in incidents]
    assert engine.notes == []


def test_a_worker_that_crashes_is_replaced_and_its_batch_is_judged_by_the_default_engine():
    incidents = example_incidents(6)
    doomed = incidents[2].model_copy(update={"id": "CRASHES-DURABLE"})
    items = incidents[:2] + [doomed] + incidents[3:]
    engine = DurableEngine(PACK, workers=1, batch_size=2, simulate_crash_on={"CRASHES-DURABLE"})
    answers = list(engine.evaluate_many(items))
    assert [a.incident for a in answers] == [i.id for i in items]
    assert [fingerprint(a) for a in answers] == [fingerprint(EVALUATOR.evaluate(i)) for i in items]
    assert len(engine.notes) == 1 and "crashed (signal 11)" in engine.notes[0]
    assert "2 incidents of its batch were evaluated by the default engine" in engine.notes[0]


def test_a_worker_stuck_on_an_incident_is_stopped_and_the_audit_completes():
    incidents = example_incidents(4)
    stuck = incidents[1].model_copy(update={"id": "HANGS-DURABLE"})
    items = incidents[:1] + [stuck] + incidents[2:]
    engine = DurableEngine(PACK, workers=1, batch_size=2, batch_timeout=3, simulate_hang_on={"HANGS-DURABLE"})
    answers = list(engine.evaluate_many(items))
    assert [fingerprint(a) for a in answers] == [fingerprint(EVALUATOR.evaluate(i)) for i in items]
    assert engine.notes == ["a durable-rules worker took longer than 3 s; the 2 incidents of its batch were "
                            "evaluated by the default engine"]


# ---------------------------------------------------------------- when durable-rules is missing


def test_without_durable_rules_the_engine_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(durable_engine, "_durable", None)
    with pytest.raises(EngineUnavailable, match=r"pip install 'hocr-rules\[durable\]'"):
        DurableEngine(PACK)
    assert "CPPFLAGS=-DPyEval_CallObject=PyObject_CallObject" in install_hint((3, 13, 0))
    assert "CPPFLAGS" not in install_hint((3, 12, 4))
    assert sys.version_info >= (3, 11)
