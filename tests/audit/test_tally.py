"""Counting an audit from the engine's outcomes: what "had to be recorded", "recorded", timely, N100 and correct
cancellation mean, and how auditors' judgements override the engine."""

from types import SimpleNamespace

import pytest

from hocr_rules.audit.sampling import Judgement
from hocr_rules.audit.tally import (CATEGORIES, AuditError, Case, Tally, incident_outcome, judged_cases,
                                    with_incidents)
from hocr_rules.engine.evaluator import Evaluator
from hocr_rules.engine.outcomes import IncidentResult
from hocr_rules.errors import InputError
from hocr_rules.intake import Accepted
from hocr_rules.model.incident import Incident
from hocr_rules.rulebook.pack import RulePack
from hocr_rules.screening import Summary
from makers import RECEIVED, crime_record

ENGINE = Evaluator(RulePack.load())


def incident(number, offence="105A", *, reported_by="victim", recorded_as=None, hours=2, channel="emergency_call",
             qualifiers=(), relationship=None, victim_age=30, offender_age=35, n100=None, weight=None,
             received=RECEIVED, crime=True):
    """One incident with one disclosure (D1); a crime record `hours` after the report unless crime=False."""
    victim = {"id": "V1", "age": victim_age, **({"relationship_to_offender": relationship} if relationship else {})}
    data = {"id": f"INC{number}", "received_at": received, "channel": channel, "qualifiers": list(qualifiers),
            "people": [victim, {"id": "O1", "age": offender_age}],
            "disclosures": [{"id": "D1", "offence": offence, "victims": ["V1"], "offenders": ["O1"],
                             "reported_by": reported_by}]}
    if weight is not None:
        data["sampling_weight"] = weight
    if crime:
        data["crime_records"] = [crime_record(number, recorded_as or offence, hours, received)]
    if n100:
        data["n100s"] = [{"id": "N1", "disclosure": "D1", "created_at": received, "reason": n100}]
    return Incident.model_validate(data)


def tally_of(incidents, judgements=None):
    tally = Tally(ENGINE.offences, judgements)
    for item in incidents:
        tally.add(item, ENGINE.evaluate(item))
    return tally.finish()


def recording(tally, name):
    r = tally.recording[name]
    return r.required, r.recorded, r.not_evaluable


def test_a_victims_assault_with_a_crime_record_had_to_be_recorded_and_was():
    tally = tally_of([incident(1)])
    assert recording(tally, "all") == recording(tally, "violence") == (1, 1, 0)
    assert recording(tally, "sexual") == recording(tally, "rape") == (0, 0, 0)


def test_an_assault_left_on_the_incident_log_had_to_be_recorded_and_was_not():
    assert recording(tally_of([incident(1, crime=False)]), "violence") == (1, 0, 0)


def test_a_rape_recorded_only_as_a_sexual_assault_is_not_a_recorded_rape_in_any_category():
    tally = tally_of([incident(1, "19C", recorded_as="20A")])
    for name in ("all", "sexual", "rape"):
        assert recording(tally, name) == (1, 0, 0), name


def test_a_rape_recorded_as_rape_counts_in_all_sexual_and_rape():
    tally = tally_of([incident(1, "19C")])
    assert [recording(tally, n) for n in ("all", "sexual", "rape", "violence")] == [(1, 1, 0)] * 3 + [(0, 0, 0)]


def test_a_victims_rape_report_held_as_an_n100_is_not_recorded_and_should_have_been_a_rape_crime():
    tally = tally_of([incident(1, "19C", crime=False, n100="N100/01")])
    assert recording(tally, "rape") == (1, 0, 0)
    assert (tally.n100.needing, tally.n100.with_n100) == (0, 0)  # it needed a crime record, not an N100
    assert (tally.n100.should_have_been_crimes, tally.n100.crimed_later) == (1, 0)
    assert tally.n100.records == tally.n100.records_wrong == 1
    assert "NR03" in tally.n100.wrong_by_rule


def test_a_neighbours_unconfirmed_rape_report_needs_an_n100_not_a_crime_record():
    with_n100 = incident(1, "19C", reported_by="other_third_party", crime=False, n100="N100/01")
    without = incident(2, "19C", reported_by="other_third_party", crime=False)
    tally = tally_of([with_n100, without])
    assert recording(tally, "rape") == (0, 0, 0)
    assert (tally.n100.needing, tally.n100.with_n100, tally.n100.records, tally.n100.records_wrong) == (2, 1, 1, 0)


def test_a_parents_report_for_a_victim_of_unknown_age_is_counted_as_not_evaluable_never_dropped():
    tally = tally_of([incident(1, reported_by="parent_or_carer", victim_age=None, crime=False)])
    assert recording(tally, "all") == recording(tally, "violence") == (0, 0, 1)
    assert tally.recording["all"].examined == 1


@pytest.mark.parametrize(("case", "domestic"), [
    (dict(qualifiers=("domestic_abuse",)), True),
    (dict(relationship="ex_partner"), True),
    (dict(relationship="family"), True),
    (dict(relationship="family", victim_age=15), False),
    (dict(relationship="stranger"), False),
    (dict(), False),
], ids=["qualifier", "ex-partner", "relative", "relative-under-16", "stranger", "unknown"])
def test_domestic_abuse_is_the_incidents_qualifier_or_a_domestic_relationship_with_nobody_under_16(case, domestic):
    tally = tally_of([incident(1, **case)])
    assert recording(tally, "domestic_abuse") == ((1, 1, 0) if domestic else (0, 0, 0))


def test_safeguarding_referrals_are_reports_through_the_public_protection_channel():
    tally = tally_of([incident(1, channel="public_protection", crime=False), incident(2, channel="agency_referral")])
    assert recording(tally, "safeguarding_referral") == (1, 0, 0)


def test_timeliness_counts_tl01_within_the_limit_late_and_untimed_per_group():
    late, on_time = incident(1, hours=25), incident(2, hours=23)
    theft = incident(3, "45", hours=1)
    untimed = Incident.model_validate({**incident(4).model_dump(), "crime_records": [
        {"reference": "CR4", "offence": "105A", "victim": "V1", "disclosures": ["D1"]}]})
    tally = tally_of([late, on_time, theft, untimed])
    violence, other, everything = (tally.timeliness[n] for n in ("violence", "other", "all"))
    assert (violence.recorded, violence.within_limit, violence.not_evaluable) == (2, 1, 1)
    assert (other.recorded, other.within_limit) == (1, 1)
    assert (everything.recorded, everything.within_limit, dict(everything.limits_hours)) == (3, 2, {24: 3})


def test_timeliness_uses_the_72_hour_limit_for_reports_before_april_2015():
    tally = tally_of([incident(1, hours=48, received="2014-05-01T10:00:00+01:00")])
    figures = tally.timeliness["violence"]
    assert (figures.recorded, figures.within_limit, dict(figures.limits_hours)) == (1, 1, {72: 1})


# ---------------------------------------------------------------- cancellations, from outcomes given directly
def outcome(code, result, subject="CR1", kind="crime_record"):
    return SimpleNamespace(rule=SimpleNamespace(code=code), outcome=result, subject_kind=kind, subject_id=subject,
                           version=None)


def cancelled(offence, status="cancelled"):
    data = incident(1, offence).model_dump()
    data["crime_records"][0].update(reference="CR1", status=status,
                                    cancellation={"code": "C1" if status == "transferred" else "C2"})
    return Incident.model_validate(data)


def count_cancellation(offence, outcomes, status="cancelled"):
    item = cancelled(offence, status)
    tally = Tally(ENGINE.offences)
    tally.add(item, IncidentResult(item.id, outcomes, {("disclosure", "D1"): {"must_record": True}}))
    return tally.cancellations


@pytest.mark.parametrize(("offence", "group"), [("19C", "rape"), ("20A", "other_sexual"), ("8N", "violence"),
                                                ("34B", "robbery"), ("45", "other")])
def test_cancellations_are_grouped_by_the_offence_recorded(offence, group):
    groups = count_cancellation(offence, [outcome("CA01", "compliant")])
    assert {name for name, g in groups.items() if g.reviewed} == {group}


def test_a_cancellation_is_correct_when_no_ca_rule_on_the_decision_breached():
    figures = count_cancellation("8N", [outcome("CA01", "compliant"), outcome("CA02", "compliant")])["violence"]
    assert (figures.reviewed, figures.correct, figures.not_evaluable) == (1, 1, 0)


def test_a_breach_of_any_decision_rule_makes_the_cancellation_wrong_and_names_the_rule():
    figures = count_cancellation("8N", [outcome("CA01", "compliant"), outcome("CA03", "breach"),
                                        outcome("CA04", "not_evaluable")])["violence"]
    assert (figures.reviewed, figures.correct, dict(figures.wrong_by_rule)) == (1, 0, {"CA03": 1})


def test_a_cancellation_that_could_not_be_fully_judged_is_counted_apart_not_as_correct():
    for outcomes in ([outcome("CA01", "compliant"), outcome("CA03", "not_evaluable")], []):
        figures = count_cancellation("8N", outcomes)["violence"]
        assert (figures.reviewed, figures.correct, figures.not_evaluable) == (0, 0, 1)


def test_victim_informed_comes_from_ca09_and_does_not_decide_whether_the_cancellation_was_correct():
    informed = count_cancellation("8N", [outcome("CA01", "compliant"), outcome("CA09", "compliant")])["violence"]
    not_told = count_cancellation("8N", [outcome("CA01", "compliant"), outcome("CA09", "breach")])["violence"]
    unknown = count_cancellation("8N", [outcome("CA01", "compliant"), outcome("CA09", "not_evaluable")])["violence"]
    assert (informed.victim_informed, informed.victim_informed_required, informed.correct) == (1, 1, 1)
    assert (not_told.victim_informed, not_told.victim_informed_required, not_told.correct) == (0, 1, 1)
    assert (unknown.victim_informed_required, unknown.victim_informed_not_evaluable) == (0, 1)


def test_live_crime_records_are_not_cancellations():
    tally = tally_of([incident(1, "8N")])
    assert all(g.reviewed == g.not_evaluable == 0 for g in tally.cancellations.values())


def test_the_real_ca_rules_pass_a_sound_c2_and_fail_one_resting_on_the_victim_withdrawing():
    def c2(number, avi, decided_by):
        data = incident(number, "8N").model_dump(mode="json")
        data["crime_records"][0].update(status="cancelled", cancellation={
            "code": "C2", "decided_at": "2025-05-05T10:00:00+01:00", "decided_by": decided_by,
            "decider_is_investigator": False, "additional_verifiable_information": avi,
            "victim_informed_at": "2025-05-05T09:00:00+01:00"})
        return Incident.model_validate(data)
    ddm = "designated_decision_maker"
    tally = tally_of([c2(1, "CCTV shows the complainant's injuries were caused by a fall", ddm),
                      c2(2, "victim withdrew", ddm)])
    figures = tally.cancellations["violence"]
    assert (figures.reviewed, figures.correct) == (2, 1)
    assert (figures.victim_informed, figures.victim_informed_required) == (2, 2)
    assert "CA02" in figures.wrong_by_rule


# ---------------------------------------------------------------- auditors' judgements
def test_the_engines_view_of_an_incident_in_the_worksheets_words():
    assert incident_outcome([Case("D1", ("all",), True, True)]) == "recorded_correctly"
    assert incident_outcome([Case("D1", ("all",), True, True), Case("D2", ("all",), True, False)]) == "not_recorded"
    assert incident_outcome([Case("D1", ("all",), None, False), Case("D2", ("all",), True, True)]) == "not_evaluable"
    assert incident_outcome([Case("D1", ("all",), False, False)]) == incident_outcome([]) == "not_a_crime"


def test_judged_not_a_crime_removes_every_disclosure_from_the_rates():
    cases = [Case("D1", ("all",), True, False), Case("D2", ("all",), None, False)]
    assert [c.must_record for c in judged_cases(cases, "not_a_crime")] == [False, False]


def test_judged_recorded_correctly_settles_the_disclosures_the_engine_did_not_rule_out():
    cases = [Case("D1", ("all",), None, False), Case("D2", ("all",), False, False)]
    assert [(c.must_record, c.recorded) for c in judged_cases(cases, "recorded_correctly")] == [(True, True),
                                                                                                (False, False)]


def test_judged_not_recorded_keeps_the_engines_detail_unless_the_engine_found_everything_recorded():
    mixed = [Case("D1", ("all",), True, True), Case("D2", ("all",), True, False)]
    assert [c.recorded for c in judged_cases(mixed, "not_recorded")] == [True, False]
    recorded = [Case("D1", ("all",), True, True)]
    assert [c.recorded for c in judged_cases(recorded, "not_recorded")] == [False]
    ruled_out = [Case("D1", ("all",), False, False)]
    assert [(c.must_record, c.recorded) for c in judged_cases(ruled_out, "not_recorded")] == [(True, False)]


def test_judgements_override_the_recording_figures_and_are_counted():
    judgements = {
        "INC1": Judgement("INC1", "not_a_crime", "", 2),              # engine: not recorded
        "INC2": Judgement("INC2", "recorded_correctly", "", 3),       # engine: not evaluable
        "INC3": Judgement("INC3", "recorded_correctly", "", 4),       # engine agrees
        "INC4": Judgement("INC4", None, "", 5),                       # not judged yet
        "GONE": Judgement("GONE", "not_recorded", "", 6),             # not in the input
    }
    tally = tally_of([incident(1, crime=False), incident(2, reported_by="parent_or_carer", victim_age=None),
                      incident(3), incident(4, crime=False)], judgements)
    assert recording(tally, "all") == (3, 2, 0)
    j = tally.judged
    assert (j.rows, j.unjudged, j.applied, j.overridden, j.not_found) == (5, 1, 3, 2, 1)
    assert dict(j.by_outcome) == {"not_a_crime": 1, "recorded_correctly": 2}


# ---------------------------------------------------------------- weights, streaming, errors
def test_sampling_weights_are_kept_as_counts_per_distinct_weight_not_per_incident():
    incidents = [incident(n, crime=n % 4 == 0, weight=2.5 if n % 2 else 1.0) for n in range(2000)]
    tally = tally_of(incidents)
    figures = tally.recording["all"]
    assert len(figures.weights) == 3 and figures.unweighted == 0
    assert sum(figures.weights.values()) == figures.required == 2000
    assert sorted(figures.weighted_cases()) == sorted((n % 4 == 0, 2.5 if n % 2 else 1.0) for n in range(2000))
    assert tally.weighted_incidents == 2000


def test_incidents_without_a_weight_are_counted_as_unweighted():
    tally = tally_of([incident(1, weight=3.0), incident(2)])
    assert (tally.recording["all"].unweighted, tally.weighted_incidents) == (1, 1)


def test_a_rape_report_whose_recording_decision_is_unknown_is_counted_apart_from_those_needing_an_n100():
    tally = tally_of([incident(1, "19C", reported_by="parent_or_carer", victim_age=None, crime=False)])
    assert (tally.n100.needing, tally.n100.not_evaluable) == (0, 1)


def test_a_pack_that_derives_no_must_record_cannot_be_audited():
    item = incident(1)
    with pytest.raises(AuditError, match="derives no must_record"):
        Tally(ENGINE.offences).add(item, IncidentResult(item.id, [], {("disclosure", "D1"): {}}))


def test_each_incident_is_paired_with_its_own_result_and_rejections_pass_through():
    items = [incident(1), incident(2, crime=False)]
    rejected = InputError("file.jsonl", 3, "BAD", [("channel", "not a channel")])
    reads = [Accepted(items[0], "f", 1), rejected, Accepted(items[1], "f", 2)]
    summary = Summary()
    out = list(with_incidents(reads, ENGINE, summary))
    assert [o.id if isinstance(o, Incident) else o for o in (x[0] if isinstance(x, tuple) else x for x in out)] == [
        "INC1", rejected, "INC2"]
    assert all(pair[0].id == pair[1].incident for pair in out if isinstance(pair, tuple))
    assert (summary.read, summary.evaluated, summary.rejected) == (3, 2, 1)


def test_every_category_is_counted_even_when_empty():
    assert set(tally_of([]).recording) == set(CATEGORIES)


# ---------------------------------------------------------------- Kent 2017 counts, through the real engine
def test_kent_2017_counts_come_out_of_the_engine_as_published():
    """112 rapes that should have been recorded, 102 recorded; 133 of 292 violent crimes recorded within 24 hours;
    53 reports that should have had an N100, 36 with one (HMICFRS Kent 2017)."""
    rapes = [incident(n, "19C", crime=n < 102) for n in range(112)]
    violence = [incident(1000 + n, "8N", hours=3 if n < 133 else 30) for n in range(292)]
    n100s = [incident(2000 + n, "19C", reported_by="other_third_party", crime=False,
                      n100="N100/01" if n < 36 else None) for n in range(53)]
    tally = tally_of(rapes + violence + n100s)
    assert recording(tally, "rape") == (112, 102, 0)
    assert (tally.timeliness["violence"].within_limit, tally.timeliness["violence"].recorded) == (133, 292)
    assert (tally.n100.with_n100, tally.n100.needing) == (36, 53)
