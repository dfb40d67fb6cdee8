"""Incidents recorded correctly by construction: every finding rule of the bundled pack is compliant or out of
scope, whatever the edition, and none is left not evaluable.

An incident is one to three *fragments* (`FRAGMENTS`), each a situation an audit meets every day with the
records a force that follows the rules makes for it (the knowledge behind `benchmarks/synthetic.py`):

- victim_report, several_victims, domestic_abuse: a victim's own report, one crime per victim, sometimes a
  second offence by the same offender (domestic_abuse: partners, ex-partners or family, all 16 or over);
- confirmed_third_party: a witness's report the victim confirmed later, recorded within 24 h of that;
- professional_report, parent_report: a professional's report, a parent's for a child, recorded from it;
- crime_related_incident: not crimed on a CRI ground (unconfirmed, no victim, contrary evidence, another
  force), with the incident's rationale; state_offence: crimed if the points to prove are made out, else a CRI;
- course_of_conduct, ex_partner_harassment: conduct on two or more occasions recorded as the conduct crime
  (harassment of an ex-partner with the FCR's harassment-only rationale);
- rape_victim_report, rape_third_party_report, rape_later_crimed: one rape crime per offender; an N100/01
  crimed once the victim confirmed; rape_n100_unconfirmed, _sarc, _contrary, _other_force, _abroad: rape
  reports rightly held as N100;
- transferred, cancelled_c2 to cancelled_c5, cancelled_c2_rape_or_homicide: transfers and cancellations with
  everything their code needs.
- forced_marriage: a woman's report of a forced marriage (036/05), flagged honour-based and domestic abuse;
  assault_on_worker: an assault with injury on a constable (8S) or another emergency worker (8T) on duty.

Everyone has the equality data the rules read; every crime is recorded within 24 hours (so within 72 hours
before April 2015 too); a domestic relationship, or a domestic abuse qualifier on the incident, puts the
domestic abuse flag on every crime it could concern; every crime says whether it had an online element, and
whether it was racially or religiously aggravated (exactly when its offence is the aggravated form); every
harassment or stalking disclosure with a fear-of-violence level says whether the victim feared violence, and
every rape by multiple undefined offenders that the victim could not tell them apart; every victim outside
assault_on_worker is neither a constable nor an emergency worker. Fragments use different people, so they never
become each other's companions under the principal crime rule.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Callable, Iterable

from hypothesis import strategies as st

from hocr_rules.facts.principal import WEAPONS
from hocr_rules.model.incident import Cancellation, Incident, Person
from hocr_rules.model.timestamps import LONDON
from hocr_rules.offences import OffenceTable
from hocr_rules.testing.strategies import (DAY, DEFAULT_END, DEFAULT_START, HOUR, PHRASES, choices, instants,
                                           offences, write)

DOMESTIC = ("partner", "ex_partner", "family")
RELATIONSHIPS = tuple(r for r in choices(Person, "relationship_to_offender") if r != "unknown")
GRAVE = ("rape", "homicide")
CANCELLING_ROLES = ("force_crime_registrar", "deputy_force_crime_registrar", "designated_decision_maker")
ETHNICITIES = ("W1", "W2", "W9", "A1", "A2", "B1", "B2", "M1", "O9", "NS")
RELIGIONS = ("None", "Christian", "Muslim", "Hindu", "Sikh", "Jewish", "Buddhist", "Other", "Not stated")
ORIENTATIONS = ("Heterosexual", "Gay or lesbian", "Bisexual", "Other", "Not stated")
UNCONFIRMED, CONTRARY, OTHER_FORCE = ("N100/01", "100/01", "N100/1"), ("N100/02", "N100/2"), ("N100/03", "100/03")
AVI = ("CCTV from the shop shows the phone was left on the counter and handed in; the owner has it back",
       "Dashcam footage from an independent driver shows the damage was caused by a falling branch")
RATIONALES = ("Victim traced and spoken to; does not confirm that an offence occurred",
              "Keeper not traced after house-to-house enquiries; crime-related incident until the owner is found")
HARASSMENT_ONLY = "Messages about child contact only; no fixation or fear of violence: harassment, not stalking"

#: The injury an assault recorded at this classification or HO code has (2026/27 pp. 42-45, rule CL01).
INJURY = {"105A": "none", "105B": "none", "104": "none", "008/06": "actual_bodily_harm",
          "008/60": "actual_bodily_harm", "008/01": "serious_harm", "008/59": "serious_harm",
          **dict.fromkeys(("8N", "8P", "8S", "8T"), "actual_bodily_harm")}
#: Whether harassment or stalking recorded at this HO code left the victim fearing violence (p. 50, rule CL15).
FEARED_VIOLENCE = {**dict.fromkeys(("008/30", "008/58", "008/65"), "yes"),
                   **dict.fromkeys(("195/94", "008/56", "195/12"), "no")}
#: Rape by multiple undefined offenders: the victim could not tell them apart (p. 62, rule CL12).
UNDEFINED_OFFENDERS = frozenset({"19J", "19K"})
#: Forced marriage and FGM offences (rules FL01 and DA01: the HBA flag always, and DA on a forced marriage).
FORCED_MARRIAGE = frozenset({"036/05", "036/15"})
HONOUR_BASED = FORCED_MARRIAGE | {"008/52", "008/68"}
ON_TIME = st.integers(0, 23 * HOUR + 59 * 60)  # seconds from the clock start to the record
LATER_IN_CALL = st.one_of(st.just(0), st.integers(1, 2 * HOUR))
#: Rape and sexual assault are classified by the victim's sex and age band (2026/27 pp. 62, 64; rule CL02):
#: (sex, lowest age of the band, classifications), highest band first.
BANDS = (("female", 16, ("19C", "19J")), ("female", 13, ("19D", "19J", "20A")), ("female", 0, ("19E", "19J", "20B")),
         ("male", 16, ("19F", "19K")), ("male", 13, ("19G", "19K", "17A")), ("male", 0, ("19H", "19K", "17B")))
BANDED = frozenset().union(*(classes for _, _, classes in BANDS))
#: Causing or inciting a child under 13: the code follows the offender's age (2026/27 p. 65; rule CL09), so these
#: are left out of the offences drawn for any offender.
OFFENDER_AGE_CODED = frozenset(("021/02", "021/03", "021/04", "021/05", "021/14", "021/15", "021/24", "021/25"))
#: Offences left to their own fragments: the assaults on a constable or emergency worker, whose classification
#: the victim's role decides (p. 45, rule CL10), and causing a child to marry, which turns on the victim's age
#: when it was done (p. 39, rule CL11).
OWN_FRAGMENT = frozenset({"8S", "8T", "104"})


def _unbanded(offence) -> bool:
    return (offence.classification not in BANDED | OWN_FRAGMENT and offence.ho_code not in OFFENDER_AGE_CODED
            and offence.ho_code != "036/15")


def _aggravated(code: str) -> bool:
    return "racially or religiously aggravated" in OffenceTable.load().lookup(code).title.lower()


ORDINARY = offences(excluding=("rape", "conduct_crime", "homicide"), victim_based=True, where=_unbanded)
#: Offences counted one per victim: several victims of one of these are several crimes (OV01); the offences
#: counted per household, business or offender are not (2026/27 pp. 69, 72-73, 79).
ONE_PER_VICTIM = offences(excluding=("rape", "conduct_crime", "homicide", "per_household", "per_business",
                                     "per_offender"), victim_based=True, where=_unbanded)
CONDUCT = offences(families=("conduct_crime",), victim_based=True)
HARASSMENT = offences(victim_based=True, where=lambda offence: offence.classification == "8L")


class _Draft:
    """One incident under construction: ids come from counters, times are offsets from its receipt."""

    def __init__(self, t0: int, style: str):
        self.t0, self.style, self.counts, self.needs_rationale = t0, style, Counter(), False
        self.people: list[dict] = []
        self.disclosures: list[dict] = []
        self.crimes: list[dict] = []
        self.n100s: list[dict] = []

    def ts(self, seconds: float) -> str:
        return write(self.t0 + seconds, self.style)

    def next_id(self, prefix: str) -> str:
        self.counts[prefix] += 1
        return f"{prefix}{self.counts[prefix]}"

    def victim(self, draw, age=(0, 95), relationship: str | None = None) -> str:
        person = {"id": self.next_id("V"), "age": draw(st.integers(*age)),
                  "sex": draw(st.sampled_from(("female", "male"))), "ethnicity": draw(st.sampled_from(ETHNICITIES)),
                  "relationship_to_offender": relationship or draw(st.sampled_from(RELATIONSHIPS)),
                  "disability": draw(st.booleans()), "religion": draw(st.sampled_from(RELIGIONS)),
                  "sexual_orientation": draw(st.sampled_from(ORIENTATIONS)), "worker_role": "neither"}
        for extra in draw(st.lists(st.sampled_from(("gender_reassignment", "marriage_or_civil_partnership")),
                                   unique=True, max_size=2)):
            person[extra] = draw(st.booleans())
        self.people.append(person)
        return person["id"]

    def offenders(self, draw, count=st.integers(0, 2), age=(10, 80)) -> list[str]:
        found = []
        for _ in range(draw(count)):
            person = {"id": self.next_id("O"), "age": draw(st.integers(*age))}
            if draw(st.booleans()):
                person["sex"] = draw(st.sampled_from(choices(Person, "sex")))
            self.people.append(person)
            found.append(person["id"])
        return found

    def disclose(self, offence: str, victims: list[str], offenders: list[str], reported_by: str, at: int = 0,
                 **more) -> str:
        record = {"id": self.next_id("D"), "offence": offence, "victims": victims, "offenders": offenders,
                  "reported_by": reported_by, **more}
        found = OffenceTable.load().lookup(offence)
        if found.group == "fraud":
            record.setdefault("fraud_call_for_service", True)  # a fraud is recorded locally only with one (p. 97)
        injury = INJURY.get(found.ho_code) or INJURY.get(found.classification)
        if injury:
            record.setdefault("injury", injury)  # the step of the assault ladder it is recorded at (pp. 42-45)
        if found.ho_code in FEARED_VIOLENCE:
            record.setdefault("feared_violence", FEARED_VIOLENCE[found.ho_code])  # s2 or s4 harassment (p. 50)
        if found.classification in UNDEFINED_OFFENDERS:
            record.setdefault("undefined_offenders", "yes")  # 19J/19K only for offenders not told apart (p. 62)
        if "held_until_made_out" in found.families:  # a driving offence the investigation made out as it was told
            record.setdefault("made_out_at", self.ts(at))  # (pp. 37, 96): the 24 hours run from then
        if found.group == WEAPONS:
            record.setdefault("weapon_used", False)  # possession recorded: the weapon used in nothing else (p. 94)
        if at:
            record["disclosed_at"] = self.ts(at)
        self.disclosures.append(record)
        return record["id"]

    def crime(self, draw, offence: str, victim: str | None, offenders: list[str], disclosures: list[str],
              at: int, **more) -> str:
        year = datetime.fromtimestamp(self.t0, LONDON).strftime("%y")
        record = {"reference": f"CR/{year}/{self.next_id('')}", "offence": offence, "offenders": offenders,
                  "disclosures": disclosures, "recorded_at": self.ts(at),
                  "flags": draw(st.lists(st.sampled_from(("alcohol", "online_crime", "hate_crime")), unique=True,
                                         max_size=1)), **more}
        if victim:
            record["victim"] = victim
        self.crimes.append(record)
        return record["reference"]

    def n100(self, disclosure: str, reason: str, at: int, **more) -> str:
        self.n100s.append({"id": self.next_id("N"), "disclosure": disclosure, "created_at": self.ts(at),
                           "reason": reason, **more})
        return self.n100s[-1]["id"]


# ---------------------------------------------------------------- fragments

def victim_report(draw, d: _Draft, victims: int = 1, domestic: bool = False) -> None:
    """`domestic`: between partners, ex-partners or family, all 16 or over (domestic abuse by definition)."""
    at, offence = draw(LATER_IN_CALL), draw(ORDINARY if victims == 1 else ONE_PER_VICTIM)
    relationship = draw(st.sampled_from(DOMESTIC if domestic else RELATIONSHIPS))
    people = [d.victim(draw, age=(16, 95) if domestic else (0, 95), relationship=relationship) for _ in range(victims)]
    if victims > 1:  # each in a household and business of their own, so every counting unit is one per victim
        for person in d.people[-victims:]:
            person.update(household=f"H-{person['id']}", business=f"B-{person['id']}")
    offenders = d.offenders(draw, age=(16, 80) if domestic else (10, 80))
    reporter = draw(st.sampled_from(("victim", "on_behalf_of_victim")))
    first = d.disclose(offence, people, offenders, reporter, at)
    for person in people:
        d.crime(draw, offence, person, offenders, [first], at + draw(ON_TIME))
    if victims == 1 and offenders and draw(st.booleans()):  # a second offence by the same offender
        second_offence = draw(ORDINARY)
        second = d.disclose(second_offence, people, offenders, reporter, at)
        d.crime(draw, second_offence, people[0], offenders, [second], at + draw(ON_TIME))


def confirmed_third_party(draw, d: _Draft) -> None:
    at, offence = draw(LATER_IN_CALL), draw(ORDINARY)
    victim, offenders = d.victim(draw), d.offenders(draw)
    confirmed = at + draw(st.integers(60, 72 * HOUR))
    disclosure = d.disclose(offence, [victim], offenders, draw(st.sampled_from(("witness", "other_third_party"))),
                            at, victim_confirmed="yes", confirmed_at=d.ts(confirmed))
    d.crime(draw, offence, victim, offenders, [disclosure], confirmed + draw(ON_TIME))


def third_party_report(draw, d: _Draft, reporter: str) -> None:
    """A professional's report (any victim) or a parent's (a child): recorded from the report; the victim may
    confirm before the record (within the limit) or after it."""
    at, offence = draw(LATER_IN_CALL), draw(ORDINARY)
    victim = d.victim(draw, age=(0, 17) if reporter == "parent_or_carer" else (0, 95))
    offenders = d.offenders(draw)
    recorded = at + draw(ON_TIME)
    more: dict = {}
    when = draw(st.sampled_from(("never", "before", "after")))
    if when != "never":
        confirmed = draw(st.integers(at + 1, recorded)) if when == "before" and recorded > at else \
            recorded + draw(st.integers(1, 72 * HOUR))
        more = {"victim_confirmed": "yes", "confirmed_at": d.ts(confirmed)}
    disclosure = d.disclose(offence, [victim], offenders, reporter, at,
                            victim_expected_to_confirm=draw(st.booleans()), **more)
    d.crime(draw, offence, victim, offenders, [disclosure], recorded)


def forced_marriage(draw, d: _Draft) -> None:
    """A woman's report that her father forced her into marriage (036/05), recorded at once; the flags it needs,
    honour-based abuse and domestic abuse (pp. 31, 39), are applied with the others."""
    at = draw(LATER_IN_CALL)
    victim = d.victim(draw, age=(16, 40), relationship="family")
    offenders = d.offenders(draw, count=st.just(1), age=(40, 75))
    disclosure = d.disclose("036/05", [victim], offenders, "victim", at)
    d.crime(draw, "036/05", victim, offenders, [disclosure], at + draw(ON_TIME))


def assault_on_worker(draw, d: _Draft) -> None:
    """An assault with injury on a constable (8S) or another emergency worker (8T) in the execution of their
    duty, classified by the victim's role (p. 45)."""
    at, role = draw(LATER_IN_CALL), draw(st.sampled_from(("constable", "emergency_worker")))
    victim = d.victim(draw, age=(18, 65))
    d.people[-1].update(worker_role=role, on_duty=True)
    offence = "8S" if role == "constable" else "8T"
    offenders = d.offenders(draw, count=st.just(1), age=(16, 80))
    disclosure = d.disclose(offence, [victim], offenders, "victim", at)
    d.crime(draw, offence, victim, offenders, [disclosure], at + draw(ON_TIME))


def crime_related_incident(draw, d: _Draft) -> None:
    at, offence = draw(LATER_IN_CALL), draw(ORDINARY)
    variant = draw(st.sampled_from(("unconfirmed", "no_victim", "contrary", "other_force")))
    victims = [] if variant == "no_victim" else [d.victim(draw)]
    offenders = d.offenders(draw)
    more = {"unconfirmed": {"victim_confirmed": draw(st.sampled_from(("no", "not_asked", "untraceable")))},
            "contrary": {"contrary_evidence": PHRASES[1]}, "no_victim": {},
            "other_force": {"other_force_area": True}}[variant]
    reporter = "victim" if variant in ("contrary", "other_force") else draw(
        st.sampled_from(("witness", "other_third_party")))
    d.disclose(offence, victims, offenders, reporter, at, **more)
    d.needs_rationale = True


def state_offence(draw, d: _Draft) -> None:
    at, offence = draw(LATER_IN_CALL), draw(offences(victim_based=False, excluding=("rape", "conduct_crime")))
    offenders = d.offenders(draw, count=st.just(1))
    proved = draw(st.booleans())
    disclosure = d.disclose(offence, [], offenders, "police", at, recording_necessary=proved)
    if proved:
        d.crime(draw, offence, None, offenders, [disclosure], at + draw(ON_TIME))
    else:
        d.needs_rationale = True


def course_of_conduct(draw, d: _Draft, ex_partner_harassment: bool = False) -> None:
    """Recorded as the conduct crime; a companion offence against the same victim is linked to that record,
    so it is recorded whichever of the two the principal crime rule of the day picks."""
    at = draw(LATER_IN_CALL)
    if ex_partner_harassment:
        offence, relationship = draw(HARASSMENT), "ex_partner"
    else:
        offence, relationship = draw(CONDUCT), draw(st.sampled_from(RELATIONSHIPS))
    victim = d.victim(draw, age=(16, 90), relationship=relationship)
    offenders = d.offenders(draw, count=st.just(1), age=(16, 80))
    days = sorted(draw(st.lists(st.integers(1, 180), min_size=2, max_size=6, unique=True)), reverse=True)
    reporter = draw(st.sampled_from(("victim", "on_behalf_of_victim")))
    linked = [d.disclose(offence, [victim], offenders, reporter, at, occasions=[d.ts(at - n * DAY) for n in days])]
    if draw(st.integers(0, 3)) == 0:
        linked.append(d.disclose(draw(ORDINARY), [victim], offenders, reporter, at))
    more = {}
    if OffenceTable.load().lookup(offence).classification == "8L" and relationship == "ex_partner":
        more = {"classification_rationale": HARASSMENT_ONLY, "rationale_approved_by": "force_crime_registrar"}
    d.crime(draw, offence, victim, offenders, linked, at + draw(ON_TIME), **more)


def _rape_in(classes: frozenset[str]) -> st.SearchStrategy[str]:
    return offences(families=("rape",), where=lambda offence: offence.classification in classes)


RAPE_FITTING = {frozenset(classes): _rape_in(frozenset(classes)) for _, _, classes in BANDS}


def fitting(person: dict) -> frozenset[str]:
    """The rape and sexual assault classifications the victim's sex and age (taken as at the offence) allow."""
    return next(frozenset(classes) for sex, lowest, classes in BANDS
                if person["sex"] == sex and person["age"] >= lowest)


def rape_crimed(draw, d: _Draft, reporters: tuple[str, ...], later: bool = False) -> None:
    """One crime per offender; `later`: a friend's report held as N100/01 until the victim confirmed."""
    reporter = draw(st.sampled_from(reporters))
    victim = d.victim(draw, age=(4, 17) if reporter == "parent_or_carer" else (13, 90))
    at, offence = draw(LATER_IN_CALL), draw(RAPE_FITTING[fitting(d.people[-1])])
    offenders = d.offenders(draw, count=st.integers(1, 2) if later else st.integers(0, 2))
    start, more = at, {}
    if later:
        start = at + draw(st.integers(HOUR, 72 * HOUR))
        more = {"victim_confirmed": "yes", "confirmed_at": d.ts(start)}
    disclosure = d.disclose(offence, [victim], offenders, reporter, at, **more)
    references = [d.crime(draw, offence, victim, [o] if o else [], [disclosure], start + draw(ON_TIME))
                  for o in offenders or [None]]
    if later:
        created = at + draw(st.integers(0, min(start - at, 23 * HOUR)))  # on the friend's report
        d.n100(disclosure, draw(st.sampled_from(UNCONFIRMED)), created, rape_crime=references[0])


def rape_n100(draw, d: _Draft, variant: str) -> None:
    at, offence = draw(LATER_IN_CALL), draw(offences(families=("rape",)))
    victim, offenders = d.victim(draw, age=(13, 90)), d.offenders(draw, count=st.integers(0, 1))
    reporter, more, extra = "victim", {}, {}
    if variant == "unconfirmed":
        reporter = draw(st.sampled_from(("witness", "other_third_party")))
        more = {"victim_confirmed": draw(st.sampled_from(("no", "not_asked", "untraceable")))}
        reason = draw(st.sampled_from(UNCONFIRMED))
    elif variant == "sarc":
        reporter, more, reason = "professional_third_party", {"sarc_withheld": True}, draw(st.sampled_from(UNCONFIRMED))
    elif variant == "contrary":
        more, reason = {"contrary_evidence": PHRASES[1]}, draw(st.sampled_from(CONTRARY))
    else:
        abroad = variant == "abroad"
        more, reason = {"other_force_area": True, "outside_uk": abroad}, draw(st.sampled_from(OTHER_FORCE))
        extra = {} if abroad else {"receiving_force_reference": f"WM/{draw(st.integers(10000, 99999))}"}
    disclosure = d.disclose(offence, [victim], offenders, reporter, at, **more)
    d.n100(disclosure, reason, at + draw(ON_TIME), **extra)


def removed(draw, d: _Draft, code: str, grave: bool = False) -> None:
    """A crime transferred (C1, for an offence in another force area) or cancelled (C2-C5), with what the code
    needs: the receiving force's reference, AVI, a live master record, an offence C5 covers; decided by the
    FCR (rape and homicide, FGM) or a decision maker independent of the investigation; victim told first."""
    at = draw(LATER_IN_CALL)
    if code == "C5":
        offence = draw(offences(families=("c5_self_defence",)))
    elif code == "C2":
        offence = draw(offences(families=GRAVE) if grave else ORDINARY)
    else:
        offence = draw(ORDINARY)
    victim, offenders = d.victim(draw), d.offenders(draw, count=st.integers(0, 1))
    disclosure = d.disclose(offence, [victim], offenders, "victim", at, **({"other_force_area": True}
                                                                              if code == "C1" else {}))
    recorded = at + draw(ON_TIME)
    decided = recorded + draw(st.integers(HOUR, 30 * DAY))
    # rape and homicide (C2), and FGM found not to have happened, on the FCR's authority alone (pp. 25, 45)
    fgm = code in ("C2", "C4") and "fgm" in OffenceTable.load().lookup(offence).families
    role = "force_crime_registrar" if grave or fgm else draw(st.sampled_from(CANCELLING_ROLES))
    cancellation = {"code": code, "decided_at": d.ts(decided), "decided_by": role, "decider_is_investigator": False,
                    "rationale": RATIONALES[0], "victim_informed_at": d.ts(draw(st.integers(recorded, decided))),
                    "victim_informed": "yes"}
    if code == "C1":
        cancellation["receiving_force_reference"] = f"NX/{draw(st.integers(100000, 999999))}"
        cancellation["decided_by"] = draw(st.sampled_from(choices(Cancellation, "decided_by")))
    elif code == "C2":
        cancellation["additional_verifiable_information"] = draw(st.sampled_from(AVI))
        cancellation["avi_available_at"] = d.ts(draw(st.integers(recorded + 1, decided)))
    elif code == "C3":
        cancellation["master_record"] = d.crime(draw, offence, victim, offenders, [disclosure], recorded)
        recorded += draw(st.integers(0, HOUR))
    status = "transferred" if code == "C1" else "cancelled"
    d.crime(draw, offence, victim, offenders, [disclosure], recorded, status=status, cancellation=cancellation)


FRAGMENTS: dict[str, Callable[..., None]] = {  # name -> fragment(draw, draft)
    "victim_report": victim_report,
    "several_victims": lambda draw, d: victim_report(draw, d, victims=draw(st.integers(2, 3))),
    "domestic_abuse": lambda draw, d: victim_report(draw, d, domestic=True),
    "confirmed_third_party": confirmed_third_party,
    "professional_report": lambda draw, d: third_party_report(draw, d, "professional_third_party"),
    "parent_report": lambda draw, d: third_party_report(draw, d, "parent_or_carer"),
    "crime_related_incident": crime_related_incident,
    "forced_marriage": forced_marriage,
    "assault_on_worker": assault_on_worker,
    "state_offence": state_offence,
    "course_of_conduct": course_of_conduct,
    "ex_partner_harassment": lambda draw, d: course_of_conduct(draw, d, ex_partner_harassment=True),
    "rape_victim_report": lambda draw, d: rape_crimed(draw, d, ("victim", "on_behalf_of_victim")),
    "rape_third_party_report": lambda draw, d: rape_crimed(draw, d, ("professional_third_party", "parent_or_carer")),
    "rape_later_crimed": lambda draw, d: rape_crimed(draw, d, ("witness", "other_third_party"), later=True),
    **{f"rape_n100_{v}": (lambda v: lambda draw, d: rape_n100(draw, d, v))(v)
       for v in ("unconfirmed", "sarc", "contrary", "other_force", "abroad")},
    "transferred": lambda draw, d: removed(draw, d, "C1"),
    **{f"cancelled_{c.lower()}": (lambda c: lambda draw, d: removed(draw, d, c))(c) for c in ("C2", "C3", "C4", "C5")},
    "cancelled_c2_rape_or_homicide": lambda draw, d: removed(draw, d, "C2", grave=True),
}


@st.composite
def compliant_incident_dicts(draw, fragments: Iterable[str] | None = None, *, include: Iterable[str] = (),
                             start: float = DEFAULT_START, end: float = DEFAULT_END, max_fragments: int = 3) -> dict:
    """A compliant incident as a dict: fragments drawn from `fragments` (default: all of FRAGMENTS), one of
    them from `include` if given, received between `start` and `end`."""
    pool, wanted = sorted(fragments or FRAGMENTS), sorted(include)
    unknown = set(pool + wanted) - set(FRAGMENTS)
    if unknown:
        raise ValueError(f"no fragment {', '.join(sorted(unknown))}; known: {', '.join(FRAGMENTS)}")
    names = draw(st.lists(st.sampled_from(pool), min_size=0 if wanted else 1,
                          max_size=max_fragments - (1 if wanted else 0)))
    if wanted:
        names.insert(draw(st.integers(0, len(names))), draw(st.sampled_from(wanted)))
    t0 = draw(instants(start, end - 40 * DAY))
    d = _Draft(t0, draw(st.sampled_from(("london", "london", "utc"))))
    for name in names:
        FRAGMENTS[name](draw, d)
    qualifiers = draw(st.lists(st.sampled_from(choices(Incident, "qualifiers")), unique=True, max_size=2))
    if "school_premises" in qualifiers:  # the schools protocol keeps a minor incident a CRI (p. 12)
        for disclosure in d.disclosures:
            disclosure.setdefault("school_protocol", draw(st.sampled_from(("serious", "crime_requested"))))
    people = {p["id"]: p for p in d.people}
    for crime in d.crimes:
        victim = people.get(crime.get("victim"), {})
        if victim.get("relationship_to_offender") in DOMESTIC or "domestic_abuse" in qualifiers:
            crime["flags"] = ["domestic_abuse", *crime["flags"]]
        if "hate_crime" in qualifiers and "hate_crime" not in crime["flags"]:  # perceived as hate: flagged (p. 26)
            crime["flags"] = [*crime["flags"], "hate_crime"]
        code = OffenceTable.load().lookup(crime["offence"]).ho_code
        if code in HONOUR_BASED:  # forced marriage and FGM always carry the HBA flag (p. 31; FL01)
            crime["flags"] = [*crime["flags"], "honour_based_abuse"]
        if code in FORCED_MARRIAGE and "domestic_abuse" not in crime["flags"]:  # and forced marriage DA (p. 39)
            crime["flags"] = ["domestic_abuse", *crime["flags"]]
        crime["online_element"] = "yes" if "online_crime" in crime["flags"] else "no"  # flagged when online (p. 29)
        # racially or religiously aggravated exactly when its offence is the aggravated form (pp. 44-45; CL13)
        crime["racially_or_religiously_aggravated"] = "yes" if _aggravated(crime["offence"]) else "no"
    incident = {"id": f"INC-{draw(st.integers(1, 999999))}", "received_at": d.ts(0),
                "channel": draw(st.sampled_from(choices(Incident, "channel"))), "qualifiers": qualifiers,
                "people": d.people, "disclosures": d.disclosures, "crime_records": d.crimes, "n100s": d.n100s}
    if d.needs_rationale:
        incident["non_crime_rationale"] = draw(st.sampled_from(RATIONALES))
    if draw(st.integers(0, 9)) == 0:
        incident.update(kind="secondary", parent=f"{incident['id']}-P")
    return incident


def compliant_incidents(fragments: Iterable[str] | None = None, **options) -> st.SearchStrategy[Incident]:
    """`compliant_incident_dicts()` validated into the model."""
    return compliant_incident_dicts(fragments, **options).map(Incident.model_validate)
