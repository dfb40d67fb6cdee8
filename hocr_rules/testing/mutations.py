"""Single-defect mutations: one recording failure put into a compliant incident, labelled with the rule that
must report it.

A `Mutation(name, rule, apply, applies_to, ...)` has `apply`, which takes an incident dict and returns a changed
copy, and `applies_to`, which says whether the incident holds something the mutation can break (a C2
cancellation, a rape report, a domestic abuse flag...); `apply` changes the first such record. The labels
hold for incidents from `compliant_incident_dicts()`, and the project's property suite checks each one: the
mutated incident breaches `rule` (and the rules in `also`, where the pack documents that two rules report the
same failure) and nothing else. `MUTATIONS` is the registry for the bundled pack; `mutation()` makes one for
a rule of your own. `defective_incidents()` draws a mutation and a compliant incident it applies to.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Callable, Iterable

from hypothesis import strategies as st

from hocr_rules.model.incident import Incident
from hocr_rules.offences import OffenceTable
from hocr_rules.rulebook.pack import RulePack
from hocr_rules.testing.assertions import default_pack
from hocr_rules.testing.compliant import (CANCELLING_ROLES, DOMESTIC, GRAVE, OTHER_FORCE, UNCONFIRMED,
                                          compliant_incident_dicts)
from hocr_rules.testing.strategies import DEFAULT_START, HOUR, seconds_of, write

LAY, CONFIRMING = ("witness", "other_third_party"), ("victim", "on_behalf_of_victim")


@dataclass(frozen=True)
class Mutation:
    name: str
    rule: str                              # the rule the defect must breach
    apply: Callable[[dict], dict]          # incident dict -> a changed copy
    applies_to: Callable[[dict], bool]     # whether the incident holds something to break
    also: frozenset[str] = frozenset()     # rules the pack documents as reporting the same failure too
    fragments: tuple[str, ...] = ()        # compliant fragments that hold something to break
    description: str = ""
    since: float = DEFAULT_START           # when the rule starts: earlier incidents cannot breach it

    @property
    def expected(self) -> frozenset[str]:
        """Every rule the mutated incident breaches."""
        return frozenset({self.rule}) | self.also


def mutation(name: str, rule: str, on: str, fragments: Iterable[str], when: Callable[[dict, dict], bool],
             change: Callable[[dict, dict], object], description: str, also: Iterable[str] = (), *,
             pack: RulePack | None = None) -> Mutation:
    """A mutation that runs `change(incident, record)` on the first record of kind `on` (disclosure,
    crime_record, n100 or incident) that `when(incident, record)` accepts, dated when `rule` (in `pack`,
    by default the bundled one) is in force."""
    found = (pack or default_pack()).find(rule)
    since = found.versions[0].start_seconds

    def targets(incident: dict) -> list[dict]:
        records = {"incident": [incident], "disclosure": incident.get("disclosures", []),
                   "crime_record": incident.get("crime_records", []), "n100": incident.get("n100s", [])}[on]
        return [r for r in records if (_date(incident, on, r, found.dated_by) or 0) >= since and when(incident, r)]

    def apply(incident: dict) -> dict:
        incident = copy.deepcopy(incident)
        chosen = targets(incident)
        if not chosen:
            raise ValueError(f"mutation {name} does not apply to incident {incident.get('id')}")
        change(incident, chosen[0])
        return incident

    return Mutation(name, rule, apply, lambda incident: bool(targets(incident)), frozenset(also), tuple(fragments),
                    description, since)


MUTATIONS: dict[str, Mutation] = {}


def register(*args, **options) -> Mutation:
    """`mutation(...)`, added to MUTATIONS."""
    made = mutation(*args, **options)
    MUTATIONS[made.name] = made
    return made


@st.composite
def defective_incident_dicts(draw, mutations: Iterable[Mutation | str] | None = None) -> tuple[dict, Mutation]:
    """(incident dict with exactly one defect, the mutation that put it there)."""
    pool = [MUTATIONS[m] if isinstance(m, str) else m for m in (mutations or MUTATIONS.values())]
    chosen = draw(st.sampled_from(pool))
    original = draw(compliant_incident_dicts(include=chosen.fragments, start=max(DEFAULT_START, chosen.since))
                    .filter(chosen.applies_to))
    return chosen.apply(original), chosen


def defective_incidents(mutations: Iterable[Mutation | str] | None = None) -> st.SearchStrategy:
    """(incident with exactly one defect, its mutation); `mutation.expected` is what it must breach."""
    return defective_incident_dicts(mutations).map(lambda pair: (Incident.model_validate(pair[0]), pair[1]))


# ---------------------------------------------------------------- reading an incident dict

def _offence(code: str):
    return OffenceTable.load().lookup(code)


def _received(incident: dict, disclosure: dict) -> float:
    return seconds_of(disclosure.get("disclosed_at") or incident["received_at"])


def _disclosure(incident: dict, disclosure_id: str) -> dict:
    return next(d for d in incident.get("disclosures", []) if d["id"] == disclosure_id)


def _date(incident: dict, on: str, record: dict, dated_by: str) -> float | None:
    """The date that picks a rule's version for this record, as the engine reads it."""
    if on == "crime_record" and dated_by == "cancelled_at":
        decided = (record.get("cancellation") or {}).get("decided_at")
        return seconds_of(decided) if decided else None
    if on == "crime_record" and dated_by == "outcome_decided_at":  # the outcome mutations add is dated then
        decided = (record.get("outcome") or {}).get("decided_at") or record.get("recorded_at")
        return seconds_of(decided) if decided else None
    linked = {"disclosure": [record["id"]] if on == "disclosure" else [], "n100": [record.get("disclosure")],
              "crime_record": record.get("disclosures", [])}.get(on) or []
    if not linked:
        return seconds_of(incident["received_at"])
    return min(_received(incident, _disclosure(incident, d)) for d in linked)


def _companions(incident: dict, d: dict) -> bool:
    return any(o is not d and set(o.get("victims", [])) & set(d.get("victims", []))
               and set(o.get("offenders", [])) & set(d.get("offenders", [])) for o in incident["disclosures"])


def _own_crimes(incident: dict, d: dict) -> list[dict]:
    """The crime records of this disclosure alone; [] if there is none, or one is shared or pointed at."""
    crimes = [c for c in incident.get("crime_records", []) if d["id"] in c.get("disclosures", [])]
    pointed = {(c.get("cancellation") or {}).get("master_record") for c in incident.get("crime_records", [])}
    pointed |= {n.get("rape_crime") for n in incident.get("n100s", [])}
    return [] if any(c.get("disclosures") != [d["id"]] or c["reference"] in pointed for c in crimes) else crimes


def _n100s_of(incident: dict, d: dict) -> list[dict]:
    return [n for n in incident.get("n100s", []) if n["disclosure"] == d["id"]]


def _plain(incident: dict, d: dict) -> bool:
    """A victim, no companion, and nothing that settles the recording ground before the reporter does."""
    return not (d.get("contrary_evidence") or d.get("other_force_area") or d.get("outside_uk") or d.get("sarc_withheld")
                or _companions(incident, d)) and bool(d.get("victims")) and _offence(d["offence"]).victim_based


def _must_record(incident: dict, d: dict) -> bool:
    """Surely a crime to record in every edition: the victim's report, or a lay report the victim confirmed."""
    lay_confirmed = d["reported_by"] in LAY and d.get("victim_confirmed") == "yes" and bool(d.get("confirmed_at"))
    return _plain(incident, d) and (d["reported_by"] in CONFIRMING or lay_confirmed)


def _third_party(incident: dict, d: dict) -> bool:
    """A professional's report, or a parent's for a child: recorded from the report, not the confirmation."""
    ages = [_person(incident, v).get("age") for v in d.get("victims", [])]
    child = all(age is not None and age < 18 for age in ages)
    return _plain(incident, d) and (d["reported_by"] == "professional_third_party"
                                    or (d["reported_by"] == "parent_or_carer" and child))


def _clock(incident: dict, d: dict) -> float:
    confirmed = d.get("confirmed_at") if d["reported_by"] in LAY else None
    return max(_received(incident, d), seconds_of(confirmed)) if confirmed else _received(incident, d)


def _crime_related(incident: dict, d: dict) -> bool:
    """Surely a crime-related incident: contrary evidence, another force, no victim, points to prove not made
    out, or a lay report the victim has not confirmed (and no record, no N100, not rape, no companion)."""
    if any(d["id"] in c.get("disclosures", []) for c in incident.get("crime_records", [])) or _n100s_of(incident, d) \
            or _rape(d) or _companions(incident, d):
        return False
    victim_based, necessary = _offence(d["offence"]).victim_based, d.get("recording_necessary", False)
    unconfirmed = (d["reported_by"] in LAY and d.get("victim_confirmed", "not_asked") != "yes" and not necessary
                   and d.get("victim_expected_to_confirm", True) and not d.get("sarc_withheld"))
    return bool(d.get("contrary_evidence") or d.get("other_force_area") or d.get("outside_uk")
                or (not victim_based and not necessary) or (victim_based and (not d.get("victims") or unconfirmed)))


def _conduct(d: dict) -> bool:
    return "conduct_crime" in _offence(d["offence"]).families and len(d.get("occasions", [])) >= 2


def _rape(d: dict) -> bool:
    return "rape" in _offence(d["offence"]).families


def _record_as_child_marriage(incident: dict, crime: dict) -> None:
    """The crime and its disclosure become 036/15, the victim 20 when it was done (the day it was reported)."""
    disclosure = _disclosure(incident, crime["disclosures"][0])
    disclosure.update(offence="036/15", committed_at=disclosure.get("disclosed_at") or incident["received_at"])
    crime["offence"] = "036/15"
    _person(incident, crime["victim"])["age"] = 20


def _live(c: dict) -> bool:
    return c.get("status", "recorded") == "recorded"


def _recorded(crimes: list[dict]) -> bool:
    return bool(crimes) and all(map(_live, crimes))


def _person(incident: dict, person_id: str | None) -> dict:
    return next((p for p in incident.get("people", []) if p["id"] == person_id), {})


def _adult_parties(incident: dict, crime: dict) -> bool:
    """The victim and every offender on the record are known to be 16 or over."""
    ages = [_person(incident, i).get("age") for i in [crime.get("victim"), *crime.get("offenders", [])]]
    return all(age is not None and age >= 16 for age in ages)


def _removed(c: dict, *codes: str) -> dict:
    """The cancellation of a transferred or cancelled record with one of `codes`, else {}."""
    cancellation = c.get("cancellation") or {}
    return cancellation if not _live(c) and cancellation.get("code") in codes else {}


def _drop(incident: dict, crimes: list[dict]) -> None:
    gone = {c["reference"] for c in crimes}
    incident["crime_records"] = [c for c in incident["crime_records"] if c["reference"] not in gone]


def _limit(rule: str, seconds: float) -> float:
    return default_pack().find(rule).version_at(seconds).parameters["limit_hours"]


# ---------------------------------------------------------------- the registry

#: What a delayed record carries so that only its lateness is the defect (TL03: a rationale and the registrar).
DOCUMENTED_DELAY = {"delay_rationale": "Crime recording system outage; recorded on restoration",
                    "delay_overseen_by": "force_crime_registrar"}
#: A delayed record that holds no rationale (empty), as against an export that does not give one (absent).
UNDOCUMENTED_DELAY = {"delay_rationale": ""}


def _late(incident: dict, d: dict, documented: bool = True) -> None:
    delay = _limit("TL01", _received(incident, d)) * HOUR + 60
    for c in _own_crimes(incident, d):
        c["recorded_at"] = write(seconds_of(c["recorded_at"]) + delay)
        c.update(DOCUMENTED_DELAY if documented else UNDOCUMENTED_DELAY)


def _waited(incident: dict, d: dict) -> None:
    confirmed = _received(incident, d) + _limit("TP01", _received(incident, d)) * HOUR + HOUR / 2
    d.update(victim_confirmed="yes", confirmed_at=write(confirmed))
    for c in _own_crimes(incident, d):
        c["recorded_at"] = write(confirmed + HOUR / 2)
        c.update(DOCUMENTED_DELAY)


def _held_as_n100(incident: dict, d: dict) -> None:
    """The rape crimes dropped for N100/01s, one for each victim-offender relationship (NR01 counts them)."""
    _drop(incident, _own_crimes(incident, d))
    relationships = max(len(set(d.get("victims", ()))), 1) * max(len(set(d.get("offenders", ()))), 1)
    incident.setdefault("n100s", []).extend(
        {"id": f"N100-MUTATED-{n}", "disclosure": d["id"], "reason": "N100/01",
         "created_at": write(_received(incident, d) + HOUR)} for n in range(1, relationships + 1))


def _not_informed(cancellation: dict) -> None:
    """The record says the victim was not told: an unexported answer would be not evaluable, not a breach."""
    cancellation.pop("victim_informed_at")
    cancellation["victim_informed"] = "no"


_CANCELLED = ["cancelled_c2", "cancelled_c3", "cancelled_c4", "cancelled_c5"]
_N100 = ["rape_n100_unconfirmed", "rape_n100_contrary", "rape_n100_other_force", "rape_n100_sarc"]

# recording decisions and timeliness
register("crime-not-recorded", "RC01", "disclosure", ["victim_report", "confirmed_third_party"],
         lambda i, d: _must_record(i, d) and not _rape(d) and not _conduct(d) and bool(_own_crimes(i, d))
         and not _n100s_of(i, d),
         lambda i, d: _drop(i, _own_crimes(i, d)), "A crime that had to be recorded has no crime record.")
register("crime-recorded-late", "TL01", "disclosure", ["victim_report", "confirmed_third_party", "rape_victim_report"],
         lambda i, d: _must_record(i, d) and _recorded(_own_crimes(i, d))
         and min(seconds_of(c["recorded_at"]) for c in _own_crimes(i, d)) >= _clock(i, d),
         _late, "Every crime record of the disclosure is made one minute more than the time limit later, with a "
         "rationale for the delay and the registrar's oversight.")
register("delayed-record-without-rationale", "TL03", "disclosure", ["victim_report", "confirmed_third_party"],
         lambda i, d: _must_record(i, d) and _recorded(_own_crimes(i, d)) and not _rape(d)
         and min(seconds_of(c["recorded_at"]) for c in _own_crimes(i, d)) >= _clock(i, d),
         lambda i, d: _late(i, d, documented=False),
         "Every crime record of the disclosure is made late with no rationale for the delay (TL01 reports the "
         "same record as late).", also=["TL01"])
register("third-party-report-waited-for-victim", "TP01", "disclosure", ["professional_report", "parent_report"],
         lambda i, d: _third_party(i, d) and _recorded(_own_crimes(i, d)) and not _n100s_of(i, d), _waited,
         "A professional's or parent's report is recorded only after the victim confirmed, past the limit "
         "(TL01 reports the same record as late; TP01 says why).", also=["TL01"])
register("crime-related-incident-without-rationale", "CR01", "incident", ["crime_related_incident"],
         lambda i, _: bool(i.get("non_crime_rationale")) and any(_crime_related(i, d) for d in i["disclosures"]),
         lambda i, _: i.pop("non_crime_rationale"), "The rationale for not crimeing a crime-related incident is gone.")
register("victims-merged-into-one-crime", "OV01", "disclosure", ["several_victims"],
         lambda i, d: _must_record(i, d) and _recorded(_own_crimes(i, d)) and len(_own_crimes(i, d)) >= 2,
         lambda i, d: _drop(i, _own_crimes(i, d)[-1:]),
         "Two victims (or, for rape, two offenders) share one crime record: the last record is dropped.")

# classification
def _as_common_assault_with_injury(incident: dict, d: dict) -> None:
    d.update(offence="105A", injury="actual_bodily_harm")
    for c in _own_crimes(incident, d):
        c["offence"] = "105A"


def _other_sex(incident: dict, c: dict) -> None:
    person = _person(incident, c["victim"])
    person["sex"] = {"female": "male", "male": "female"}[person["sex"]]


register("injury-recorded-as-common-assault", "CL01", "disclosure", ["victim_report"],
         lambda i, d: _must_record(i, d) and not _companions(i, d) and len(d.get("victims", ())) == 1
         and len(_own_crimes(i, d)) == 1 and _recorded(_own_crimes(i, d)),
         _as_common_assault_with_injury,
         "A victim's assault that left an injury of actual bodily harm is recorded as common assault (105A).")
register("rape-recorded-under-the-other-sex", "CL02", "crime_record", ["rape_victim_report"],
         lambda i, c: _live(c) and "rape" in _offence(c["offence"]).families and bool(c.get("victim"))
         and _person(i, c["victim"]).get("sex") in ("female", "male"),
         _other_sex, "The victim of a rape is recorded as of the other sex from the one the classification names.")

def _threat_recorded_as_public_order(disclosed: str, **threat: object) -> Callable[[dict, dict], None]:
    """A change: the disclosure becomes this threat, and its crime record s4 public order (125/11)."""
    def change(incident: dict, d: dict) -> None:
        d.update(offence=disclosed, **threat)
        for c in _own_crimes(incident, d):
            c["offence"] = "125/11"
    return change


def _lone_recorded_victim_report(i: dict, d: dict) -> bool:
    return (_must_record(i, d) and not _companions(i, d) and len(d.get("victims", ())) == 1
            and len(_own_crimes(i, d)) == 1 and _recorded(_own_crimes(i, d)))


register("threat-to-kill-recorded-as-public-order", "CL03", "disclosure", ["victim_report"],
         _lone_recorded_victim_report,
         _threat_recorded_as_public_order("3B", threat_of="death", threat_conveyed="in_person",
                                          threat_in_dwelling=False, threat_intent="intended"),
         "A threat to kill made face to face with the intent that it be feared is recorded as s4 public order.")
register("threatening-message-recorded-as-public-order", "CL04", "disclosure", ["victim_report"],
         _lone_recorded_victim_report,
         _threat_recorded_as_public_order("8R", threat_of="serious_harm", threat_conveyed="message",
                                          threat_intent="intended"),
         "A text threatening serious harm, sent with intent, is recorded as s4 public order, not a communications "
         "offence.")
register("threat-in-dwelling-recorded-as-public-order", "CL05", "disclosure", ["victim_report"],
         _lone_recorded_victim_report,
         _threat_recorded_as_public_order("105A", threat_of="violence", threat_conveyed="in_person",
                                          threat_in_dwelling=True, threat_intent="intended"),
         "A threat of violence to a victim inside her home is recorded as s4 public order, not common assault.")

def _recorded_as(offence: str, disclosed: str | None = None, **crime: object) -> Callable[[dict, dict], None]:
    """A change: the disclosure becomes `disclosed` (if given), and its crime records `offence` with `crime`."""
    def change(incident: dict, d: dict) -> None:
        if disclosed:
            d.update(offence=disclosed, injury=_as_disclosed_injury(disclosed))
        for c in _own_crimes(incident, d):
            c.update(offence=offence, **crime)
    return change


def _as_disclosed_injury(disclosed: str) -> str:
    return "actual_bodily_harm" if disclosed == "008/06" else "none"


def _conduct_disclosures(incident: dict, c: dict) -> list[dict]:
    return [d for d in incident["disclosures"] if d["id"] in c.get("disclosures", ()) and "feared_violence" in d]


def _fear_reversed(incident: dict, c: dict) -> None:
    for d in _conduct_disclosures(incident, c):
        d["feared_violence"] = {"yes": "no", "no": "yes"}[d["feared_violence"]]


register("undefined-offenders-without-19j-or-19k", "CL12", "disclosure", ["rape_victim_report"],
         lambda i, d: "rape" in _offence(d["offence"]).families and bool(_own_crimes(i, d))
         and _offence(d["offence"]).classification not in ("19J", "19K"),
         lambda i, d: d.update(undefined_offenders="yes"),
         "A rape by offenders the victim could not all tell apart is recorded under 19C-19H only, with no 19J or 19K.")


def _lone_recorded_report_of_a_member_of_the_public(i: dict, d: dict) -> bool:
    """As `_lone_recorded_victim_report`, the victim not an emergency worker on duty, whose assault CL10 would
    want classified by role instead."""
    return _lone_recorded_victim_report(i, d) and not any(
        _person(i, v).get("worker_role") not in (None, "neither") for v in d["victims"])


register("aggravated-assault-recorded-as-ordinary", "CL13", "disclosure", ["victim_report"],
         _lone_recorded_report_of_a_member_of_the_public,
         _recorded_as("008/06", "008/06", racially_or_religiously_aggravated="yes"),
         "An ABH determined to be racially aggravated is recorded as ABH (8N), not 8P.")
register("strangulation-recorded-as-common-assault", "CL14", "disclosure", ["victim_report"],
         _lone_recorded_report_of_a_member_of_the_public,
         _recorded_as("105/01", "008/77", racially_or_religiously_aggravated="no"),
         "A non-fatal strangulation that left no injury is recorded as common assault (105/01).")
register("fear-of-violence-reversed", "CL15", "crime_record", ["course_of_conduct"],
         lambda i, c: _live(c) and bool(_conduct_disclosures(i, c)),
         _fear_reversed,
         "Harassment or stalking recorded at the s4 level left no fear of violence, or at the s2 level left the "
         "victim fearing violence.")

# domestic abuse, equality data, harassment and stalking
register("domestic-abuse-flag-dropped", "DA01", "crime_record", ["domestic_abuse"],
         lambda i, c: _live(c) and "domestic_abuse" in c.get("flags", []) and _adult_parties(i, c)
         and _person(i, c.get("victim")).get("relationship_to_offender") in DOMESTIC,
         lambda i, c: c.update(flags=[f for f in c["flags"] if f != "domestic_abuse"]),
         "A domestic abuse crime between adults loses its domestic abuse flag.")
register("victim-ethnicity-not-recorded", "EQ01", "crime_record", ["victim_report", "professional_report"],
         lambda i, c: _live(c) and bool(_person(i, c.get("victim")).get("ethnicity")),
         lambda i, c: _person(i, c["victim"]).pop("ethnicity"), "The victim's ethnicity is left out of the export.")
def _continues_recorded_conduct(incident: dict, d: dict) -> None:
    """The conduct continues a conduct crime recorded on an earlier incident, whose last incident was 20 days
    before its first occasion here, the offender not dealt with: it belongs on that crime (p. 58)."""
    first = min(map(seconds_of, d["occasions"]))
    d.update(continues_crime="CR/EARLIER/1", continues_crime_last_at=write(first - 20 * 24 * HOUR),
             offender_dealt_with="no")


def _resumed_on_same_record(incident: dict, d: dict) -> None:
    """The same offence again, committed half a minute after the report and disclosed on the same log a minute
    after it, added to the first crime record."""
    reported = _received(incident, d)
    later = copy.deepcopy(d)
    later.update(id=f"{d['id']}-again", disclosed_at=write(reported + 60), committed_at=write(reported + 30))
    later.pop("log_span", None)
    incident["disclosures"].append(later)
    for c in _own_crimes(incident, d):
        c["disclosures"].append(later["id"])


register("conduct-continuation-recorded-as-new-crime", "HF04", "disclosure", ["course_of_conduct"],
         lambda i, d: _conduct(d) and _must_record(i, d) and _recorded(_own_crimes(i, d)),
         _continues_recorded_conduct,
         "A course of conduct that continues a conduct crime already recorded, within three months and before the "
         "offender was dealt with, is recorded as a new crime.")
register("resumed-offending-added-to-earlier-crime", "PC02", "disclosure", ["victim_report"],
         lambda i, d: _lone_recorded_victim_report(i, d) and bool(d.get("offenders")), _resumed_on_same_record,
         "The offence is committed again after the police were told of it and added to the first crime record.")
register("conduct-recorded-as-single-act", "HF01", "disclosure", ["course_of_conduct"],
         lambda i, d: _conduct(d) and _must_record(i, d) and _recorded(_own_crimes(i, d)),
         lambda i, d: [c.update(offence="8R") for c in _own_crimes(i, d)],
         "A course of conduct is recorded as malicious communications (8R), a single act.")
register("ex-partner-harassment-without-rationale", "HF02", "crime_record", ["ex_partner_harassment"],
         lambda i, c: _live(c) and bool(c.get("classification_rationale")) and _adult_parties(i, c)
         and _offence(c["offence"]).classification == "8L"
         and _person(i, c.get("victim")).get("relationship_to_offender") == "ex_partner",
         lambda i, c: c.pop("classification_rationale"),
         "Harassment of a former partner is recorded without the rationale that rules out stalking.")
register("single-occasion-conduct-crime", "HF03", "disclosure", ["course_of_conduct", "ex_partner_harassment"],
         lambda i, d: _conduct(d) and not _companions(i, d) and _recorded(_own_crimes(i, d)),
         lambda i, d: d.update(occasions=d["occasions"][:1]),
         "The conduct crime's disclosure shows a single occasion: no course of conduct.")

# rape and N100
register("rape-neither-crimed-nor-n100", "NR01", "disclosure", ["rape_victim_report", "rape_third_party_report"],
         lambda i, d: _rape(d) and not _companions(i, d) and bool(_own_crimes(i, d)) and not _n100s_of(i, d),
         lambda i, d: _drop(i, _own_crimes(i, d)), "A rape report is left with neither a crime record nor an N100.")
register("third-party-rape-held-as-n100", "NR03", "disclosure", ["rape_third_party_report"],
         lambda i, d: _rape(d) and _third_party(i, d) and d.get("victim_confirmed") != "yes"
         and bool(_own_crimes(i, d)) and not _n100s_of(i, d),
         _held_as_n100, "A professional's or parent's rape report is held as N100/01 instead of a rape crime.")
register("victim-rape-report-held-as-n100", "NR03", "disclosure", ["rape_victim_report"],
         lambda i, d: _rape(d) and _must_record(i, d) and d["reported_by"] in CONFIRMING
         and bool(_own_crimes(i, d)) and not _n100s_of(i, d),
         _held_as_n100, "The victim's own rape report is held as N100/01 (NR06: the code contradicts the "
         "victim's report).", also=["NR06"])
register("invalid-n100-reason", "NR02", "n100", _N100,
         lambda i, n: n.get("reason") in (*UNCONFIRMED, "N100/02", "N100/2", *OTHER_FORCE),
         lambda i, n: n.update(reason="N100/04"), "The N100 carries a home-made reason code.")
register("n100-created-late", "NR50", "n100", _N100,
         lambda i, n: bool(n.get("created_at")),
         lambda i, n: n.update(created_at=write(_received(i, _disclosure(i, n["disclosure"])) + 72 * HOUR)),
         "The N100 is created three days after the rape was reported.")
register("n100-transfer-without-reference", "NR04", "n100", ["rape_n100_other_force"],
         lambda i, n: n.get("reason") in OTHER_FORCE and bool(n.get("receiving_force_reference"))
         and not _disclosure(i, n["disclosure"]).get("outside_uk"),
         lambda i, n: n.pop("receiving_force_reference"), "An N100/03 has no reference from the receiving force.")
register("n100-for-non-rape", "NR05", "n100", _N100[:2] + _N100[3:],
         lambda i, n: not n.get("rape_crime") and _rape(_disclosure(i, n["disclosure"]))
         and not _own_crimes(i, _disclosure(i, n["disclosure"]))
         and not _companions(i, _disclosure(i, n["disclosure"])),
         lambda i, n: _disclosure(i, n["disclosure"]).update(offence="20A"),
         "The report held as N100 is of a sexual assault (20A), not a rape.")
register("n100-other-force-code-in-force-area", "NR06", "n100", ["rape_n100_unconfirmed", "rape_n100_sarc"],
         lambda i, n: n.get("reason") in UNCONFIRMED and not n.get("rape_crime")
         and not _disclosure(i, n["disclosure"]).get("other_force_area"),
         lambda i, n: n.update(reason="N100/03", receiving_force_reference="WM/00001"),
         "An N100 for a rape in the force's own area is coded N100/03, as if another force's.")

# transfers and cancellations
register("invalid-cancellation-code", "CA01", "crime_record", ["transferred", "cancelled_c2", "cancelled_c4"],
         lambda i, c: bool(_removed(c, "C1", "C2", "C3", "C4", "C5")),
         lambda i, c: c["cancellation"].update(code="C6"), "The removal is written with a code that does not exist.")
register("c2-without-avi", "CA02", "crime_record", ["cancelled_c2"],
         lambda i, c: bool(_removed(c, "C2").get("additional_verifiable_information")),
         lambda i, c: c["cancellation"].pop("additional_verifiable_information"),
         "A C2 cancellation gives no additional verifiable information.")
register("avi-not-additional", "CA51", "crime_record", ["cancelled_c2"],
         lambda i, c: bool(_removed(c, "C2").get("avi_available_at")) and bool(c.get("recorded_at")),
         lambda i, c: c["cancellation"].update(avi_available_at=c["recorded_at"]),
         "The C2 relies on information the police had when they recorded the crime.")
register("avi-after-cancellation", "CA53", "crime_record", ["cancelled_c2"],
         lambda i, c: bool(_removed(c, "C2").get("avi_available_at")) and bool(c["cancellation"].get("decided_at")),
         lambda i, c: c["cancellation"].update(
             avi_available_at=write(seconds_of(c["cancellation"]["decided_at"]) + HOUR)),
         "The C2 was decided an hour before the information it relies on became available.")
register("avi-source-not-recorded", "CA54", "crime_record", ["cancelled_c2"],
         lambda i, c: bool(_removed(c, "C2").get("additional_verifiable_information")),
         lambda i, c: c["cancellation"].update(avi_source_recorded="no"),
         "The C2's record says it does not give where its information came from.")
register("c4-without-recorded-error", "CA52", "crime_record", ["cancelled_c4"],
         lambda i, c: bool(_removed(c, "C4")),
         lambda i, c: c["cancellation"].update(rationale="Victim does not wish to proceed. No further action."),
         "A C4's rationale gives a reason the crime cannot be pursued, not an error in recording it.")
register("withdrawal-under-pressure-cancelled", "CA55", "crime_record", ["cancelled_c4", "cancelled_c5"],
         lambda i, c: bool(_removed(c, "C4", "C5")),
         lambda i, c: c["cancellation"].update(withdrawal_reasons="Says she is scared of him and wants it dropped"),
         "A C4 or C5 cancels a crime the victim withdrew in fear.")
register("cancelled-by-wrong-role", "CA03", "crime_record", _CANCELLED,
         lambda i, c: _removed(c, "C2", "C3", "C4", "C5").get("decided_by") in CANCELLING_ROLES
         and c["cancellation"].get("decider_is_investigator") is False
         and not (c["cancellation"]["code"] == "C2" and _offence(c["offence"]).families & set(GRAVE))
         and "fgm" not in _offence(c["offence"]).families,  # CA05 judges who cancels FGM, in CA03's place
         lambda i, c: c["cancellation"].update(decided_by="supervisor"),
         "A supervisor, not a decision maker, cancels the crime.")
register("cancelled-by-investigator", "CA04", "crime_record", _CANCELLED,
         lambda i, c: _removed(c, "C2", "C3", "C4", "C5").get("decided_by") in CANCELLING_ROLES
         and c["cancellation"].get("decider_is_investigator") is False,
         lambda i, c: c["cancellation"].update(decider_is_investigator=True),
         "The decision maker who cancelled the crime was its investigating officer.")
register("rape-or-homicide-avi-not-by-fcr", "CA05", "crime_record", ["cancelled_c2_rape_or_homicide"],
         lambda i, c: _removed(c, "C2").get("decided_by") == "force_crime_registrar"
         and bool(_offence(c["offence"]).families & set(GRAVE))
         and c["cancellation"].get("decider_is_investigator") is False,
         lambda i, c: c["cancellation"].update(decided_by="designated_decision_maker"),
         "A rape or homicide is cancelled on AVI by a decision maker, not the Force Crime Registrar.")
register("c5-outside-assaults", "CA06", "crime_record", ["cancelled_c5"],
         lambda i, c: bool(_removed(c, "C5")), lambda i, c: c.update(offence="49"),
         "C5 (self-defence) is used on a theft (49).")
register("transfer-without-reference", "CA07", "crime_record", ["transferred"],
         lambda i, c: bool(_removed(c, "C1").get("receiving_force_reference")),
         lambda i, c: c["cancellation"].pop("receiving_force_reference"),
         "A transfer to another force has no receiving force reference.")
register("duplicate-without-live-master", "CA08", "crime_record", ["cancelled_c3"],
         lambda i, c: bool(_removed(c, "C3").get("master_record")), lambda i, c: c["cancellation"].pop("master_record"),
         "A C3 duplicate does not say which live record it duplicates.")
register("victim-not-informed", "CA09", "crime_record", ["transferred", "cancelled_c2", "cancelled_c5"],
         lambda i, c: bool(_removed(c, "C1", "C2", "C5").get("victim_informed_at"))
         and _offence(c["offence"]).victim_based,
         lambda i, c: _not_informed(c["cancellation"]),
         "The record says the victim was not told of the transfer or cancellation.")


# outcomes (OFG April 2026) and hate crime flags (2026/27 p. 26): each mutation finalises or flags one live crime
def _families(c: dict) -> frozenset[str]:
    return OffenceTable.load().lookup(c["offence"]).families


def _outcome(**fields) -> Callable[[dict, dict], object]:
    """A change giving the crime an outcome with these fields, applied when it was recorded."""
    return lambda i, c: c.update(outcome={"decided_at": c["recorded_at"], **fields})


def _ordinary(c: dict) -> bool:
    """A live crime that is neither rape nor domestic abuse, which outcome rules single out."""
    return _live(c) and "rape" not in _families(c) and "domestic_abuse" not in c.get("flags", [])


register("community-resolution-for-rape", "OC01", "crime_record", ["rape_victim_report"],
         lambda i, c: _live(c) and "indictable_only" in _families(c),
         _outcome(type="8", authoriser_rank="inspector", rationale="Exceptional: offender's remorse."),
         "An indictable-only crime is finalised with a community resolution.")
register("community-resolution-for-hate-crime-by-sergeant", "OC02", "crime_record", ["victim_report"],
         lambda i, c: _ordinary(c) and "hate_crime" in c.get("flags", []) and "indictable_only" not in _families(c),
         _outcome(type="8", authoriser_rank="sergeant", rationale="Victim content."),
         "A hate crime gets a community resolution authorised below inspector.")
register("rape-closed-by-sergeant", "OC03", "crime_record", ["rape_victim_report"],
         lambda i, c: _live(c) and "rape" in _families(c),
         _outcome(type="15", authoriser_rank="sergeant", named_suspect="yes"),
         "A rape is closed with outcome 15 by a sergeant.")
register("no-suspect-outcome-with-suspect", "OC04", "crime_record", ["victim_report"], lambda i, c: _live(c),
         _outcome(type="18", named_suspect="yes"), "A crime with a named suspect is closed as outcome 18.")
register("suspect-outcome-without-suspect", "OC05", "crime_record", ["victim_report"], lambda i, c: _ordinary(c),
         _outcome(type="15", named_suspect="no"), "A crime with no named suspect is closed as outcome 15.")
register("victim-support-outcome-without-view", "OC06", "crime_record", ["victim_report"], lambda i, c: _ordinary(c),
         _outcome(type="16", named_suspect="yes", victim_view_recorded="no"),
         "A crime is closed as outcome 16 with no record of the victim's view.")
register("transferred-crime-given-outcome-20", "OC07", "crime_record", ["transferred"],
         lambda i, c: c.get("status") == "transferred", _outcome(type="20"),
         "A crime transferred to another force is also finalised as outcome 20.")
register("domestic-abuse-diversion-by-sergeant", "OC08", "crime_record", ["domestic_abuse"],
         lambda i, c: _live(c) and "domestic_abuse" in c.get("flags", []),
         _outcome(type="22", authoriser_rank="sergeant", rationale="Completed a course."),
         "A domestic abuse crime gets outcome 22 authorised below inspector.")
register("hate-perceived-not-flagged", "HC01", "crime_record", ["victim_report"],
         lambda i, c: _live(c) and "hate_crime" not in c.get("flags", []) and "hate_crime" not in i.get("qualifiers", []),
         lambda i, c: c.update(hate_perceived=["race"]), "The victim's perception of racism is recorded; no flag.")
register("hate-strand-not-flagged", "HC02", "crime_record", ["victim_report"],
         lambda i, c: _live(c) and "hate_crime" in c.get("flags", []),
         lambda i, c: c.update(hate_perceived=["race", "religion"], hate_strands=["race"]),
         "A hate crime perceived as racist and religious is flagged for race only.")
register("honour-based-abuse-flag-removed", "FL01", "crime_record", ["forced_marriage"],
         lambda i, c: _live(c) and "honour_based_abuse" in c.get("flags", []),
         lambda i, c: c.update(flags=[f for f in c["flags"] if f != "honour_based_abuse"]),
         "A forced marriage crime lacks the honour-based abuse flag.")
register("child-marriage-recorded-for-an-adult", "CL11", "crime_record", ["forced_marriage"],
         lambda i, c: _live(c) and c["offence"] == "036/05" and len(c.get("disclosures", [])) == 1,
         lambda i, c: _record_as_child_marriage(i, c),
         "A 20-year-old's forced marriage is recorded as causing a child to marry (036/15).")
register("worker-role-swapped", "CL10", "crime_record", ["assault_on_worker"],
         lambda i, c: _live(c) and c["offence"] in ("8S", "8T"),
         lambda i, c: _person(i, c["victim"]).update(worker_role="constable" if c["offence"] == "8T"
                                                       else "emergency_worker"),
         "An assault on a paramedic is recorded as one on a constable, or the other way round.")
register("cse-without-csa-flag", "FL02", "crime_record", ["victim_report"],
         lambda i, c: _live(c) and "child_sexual_abuse" not in c.get("flags", []),
         lambda i, c: c.update(flags=[*c.get("flags", []), "child_sexual_exploitation"]),
         "A crime is flagged as child sexual exploitation but not as child sexual abuse.")
register("metal-theft-without-kind", "FL03", "crime_record", ["victim_report"],
         lambda i, c: _live(c),
         lambda i, c: c.update(flags=[*c.get("flags", []), "metal_theft"], metal_theft_flags=[]),
         "A crime is flagged as metal theft with neither infrastructure nor non-infrastructure.")
register("online-element-not-flagged", "FL04", "crime_record", ["victim_report"],
         lambda i, c: _live(c) and "online_crime" not in c.get("flags", []),
         lambda i, c: c.update(online_element="yes"), "A crime committed partly online lacks the online crime flag.")
register("religion-sub-flag-without-strand", "HC03", "crime_record", ["victim_report"],
         lambda i, c: _live(c),
         lambda i, c: c.update(religion_flags=["muslim"], hate_strands=[]),
         "The Muslim sub-flag is applied without the Religion strand flag.")
register("religion-strand-without-sub-flag", "HC04", "crime_record", ["victim_report"],
         lambda i, c: _live(c),
         lambda i, c: c.update(hate_strands=["religion"], religion_flags=[]),
         "The Religion strand flag is applied with no sub-flag for the religion targeted.")

# N100 cancellation and reclassification, and the classification trail (2026/27 pp. 13, 63, 65)
register("n100-cancelled-as-unconfirmed", "NR51", "n100", _N100, lambda i, n: bool(n.get("created_at")),
         lambda i, n: n.update(status="cancelled", cancelled_at=write(seconds_of(n["created_at"]) + 24 * HOUR),
                               cancellation_reason="not_confirmed"),
         "An N100 is cancelled because the victim did not confirm the rape, instead of staying as N100/01.")
register("rape-crime-reclassified-as-n100-by-ddm", "NR52", "n100", _N100, lambda i, n: bool(n.get("created_at")),
         lambda i, n: n.update(reclassified_from="CR/RECLASSIFIED", reclassified_at=n["created_at"],
                               reclassified_by="designated_decision_maker", investigation_begun="no"),
         "A recorded rape is reclassified as this N100 by a designated decision maker, not the crime registrar.")


def _reclassified(**change: str) -> Callable[[dict, dict], None]:
    """A change: the crime record's history shows it reclassified once, as `change` says."""
    return lambda i, c: c.update(classification_history=[{"to_offence": c["offence"], **change}])


register("reclassified-by-investigator", "CL06", "crime_record", ["victim_report"], lambda i, c: _live(c),
         _reclassified(by="investigating_officer", rationale="Fuller account from the victim the next day"),
         "The crime is reclassified by the investigating officer.")
register("reclassified-without-justification", "CL07", "crime_record", ["victim_report"], lambda i, c: _live(c),
         _reclassified(by="designated_decision_maker"), "The crime is reclassified with no justification recorded.")


def _child_incitement_by_a_boy(incident: dict, d: dict) -> None:
    """A change: the disclosure and its crime become an incitement of a girl of 11 by a boy of 15, recorded under
    the adult code 021/03."""
    _person(incident, d["victims"][0]).update(age=11, sex="female")
    _person(incident, d["offenders"][0])["age"] = 15
    d["offence"] = "021/03"
    for c in _own_crimes(incident, d):
        c["offence"] = "021/03"


register("child-incitement-by-a-boy-under-the-adult-code", "CL09", "disclosure", ["victim_report"],
         lambda i, d: len(d.get("victims", ())) == 1 and len(d.get("offenders", ())) == 1 and not _companions(i, d)
         and len(_own_crimes(i, d)) == 1 and _recorded(_own_crimes(i, d)),
         _child_incitement_by_a_boy,
         "A boy of 15 inciting a girl of 11 is recorded under 021/03, the code for an adult offender.")

# outcome rules OC09-OC23: who the outcome was given to, when, for which offence, and on whose authority
def _people_aged(i: dict, c: dict, low: int) -> list[str]:
    """The crime's offenders whose recorded age is `low` or over."""
    ages = {p["id"]: p.get("age") for p in i.get("people", [])}
    return [o for o in c.get("offenders", []) if ages.get(o) is not None and ages[o] >= low]


def _outcome_to(low: int, **fields) -> Callable[[dict, dict], object]:
    """`_outcome(**fields)` given to the crime's first offender aged `low` or over."""
    return lambda i, c: _outcome(suspect=_people_aged(i, c, low)[0], **fields)(i, c)


def _other_classification(c: dict) -> str:
    return "49" if _offence(c["offence"]).classification == "58D" else "58D"


register("outcome-11-for-suspect-over-10", "OC09", "crime_record", ["victim_report"],
         lambda i, c: _ordinary(c) and bool(_people_aged(i, c, 10)),
         _outcome_to(10, type="11", named_suspect="yes"),
         "A suspect aged 10 or over is given outcome 11 (below the age of criminal responsibility).")
register("time-limit-outcome-without-time-limit", "OC10", "crime_record", ["victim_report"],
         lambda i, c: _ordinary(c) and "summary_only" not in _families(c),
         _outcome(type="17", summary_only_charge="no"),
         "A crime with no statutory time limit is closed as outcome 17.")
register("diversion-outcome-without-activity", "OC11", "crime_record", ["victim_report"], lambda i, c: _ordinary(c),
         _outcome(type="22", activity_completed="no"),
         "Outcome 22 is applied although the offender did not complete the activity.")
register("outcome-before-victim-told", "OC12", "crime_record", ["victim_report"],
         lambda i, c: _live(c) and _offence(c["offence"]).victim_based,
         _outcome(type="18", named_suspect="no", victim_informed="no"),
         "A crime is finalised with no record that the victim was told of the outcome.")
def _penalty_notice_for_a_child(i: dict, c: dict) -> None:
    """The crime's first offender is 15, and is given a penalty notice (outcome 6)."""
    offender = next(p for p in i["people"] if p["id"] == c["offenders"][0])
    offender["age"] = 15
    _outcome(type="6", suspect=offender["id"])(i, c)


register("penalty-notice-for-child", "OC13", "crime_record", ["victim_report"],
         lambda i, c: _ordinary(c) and bool(c.get("offenders")), _penalty_notice_for_a_child,
         "A penalty notice for disorder is given to an offender of 15.")
register("drug-warning-for-other-offence", "OC14", "crime_record", ["victim_report"],
         lambda i, c: _ordinary(c) and bool(_people_aged(i, c, 18)),
         _outcome_to(18, type="7"), "A cannabis or khat warning is given for an offence that is not possession.")
register("offender-deceased-rape-by-supervisor", "OC15", "crime_record", ["rape_victim_report"],
         lambda i, c: _live(c) and "rape" in _families(c),
         _outcome(type="5", decided_by="supervisor"), "A supervisor closes a rape as offender deceased (outcome 5).")
register("invalid-outcome-type", "OC16", "crime_record", ["victim_report"], lambda i, c: _live(c),
         _outcome(type="25"), "A crime is finalised with outcome type 25, which does not exist.")
register("caution-for-rape-without-cps", "OC17", "crime_record", ["rape_victim_report"],
         lambda i, c: _live(c) and "indictable_only" in _families(c),
         _outcome(type="2", cps_authorised="no"), "An indictable-only crime is cautioned with no CPS authority.")
register("repeat-caution-by-sergeant", "OC18", "crime_record", ["victim_report"],
         lambda i, c: _ordinary(c) and "indictable_only" not in _families(c) and bool(_people_aged(i, c, 18)),
         _outcome_to(18, type="3", authoriser_rank="sergeant", prior_offending_within_two_years="yes"),
         "An adult cautioned in the past two years is cautioned again on a sergeant's authority.")
register("charge-for-another-offence", "OC19", "crime_record", ["victim_report"], lambda i, c: _live(c),
         lambda i, c: _outcome(type="1", charged_offence=_other_classification(c))(i, c),
         "A crime is given outcome 1 for a charge of another offence.")
register("murder-alternate-offence-not-allowed", "OC20", "crime_record", ["cancelled_c2_rape_or_homicide"],
         lambda i, c: _offence(c["offence"]).classification == "1",
         _outcome(type="1A", charged_offence="5D", decided_by="force_crime_registrar"),
         "A murder is given outcome 1A for a charge of wounding with intent.")
register("outcome-10-for-indictable-only", "OC21", "crime_record", ["rape_victim_report"],
         lambda i, c: _live(c) and "indictable_only" in _families(c), _outcome(type="10"),
         "An indictable-only crime is closed by police as prosecution not in the public interest (outcome 10).")
register("caution-without-suspect-told", "OC22", "crime_record", ["victim_report"],
         lambda i, c: _ordinary(c) and "indictable_only" not in _families(c) and bool(_people_aged(i, c, 18)),
         _outcome_to(18, type="3", suspect_informed="no"),
         "An adult caution is applied with a record that the offender was not told it makes him responsible.")
register("tic-without-charge", "OC23", "crime_record", ["victim_report"], lambda i, c: _live(c),
         _outcome(type="4", tic_linked_to_charge="no"),
         "A crime is taken into consideration (outcome 4) with no charge it was taken with.")
