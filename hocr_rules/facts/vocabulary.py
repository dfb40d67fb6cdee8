"""The fact vocabulary: every name a rule file may use, what it means, and how it is read off an incident.

Rules are written against facts, not against the input's shape. Each fact is defined once here with a
sentence for rule authors (`hocr rules facts` prints them) and a phrase for when it is absent, which is what a
*not evaluable* outcome tells the reader ("no recording time"). Times are epoch seconds: differences are
elapsed time whatever the clocks did, and durable-rules can only compare numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import partial
from operator import attrgetter
from typing import Any, Callable

from hocr_rules.facts import continuation, phrase_grounds, principal
from hocr_rules.facts.attributes import Attribute, readers
from hocr_rules.facts.view import DOMESTIC_RELATIONSHIPS, IncidentView
from hocr_rules.model.incident import CrimeRecord, Disclosure, Incident, N100Record
from hocr_rules.model.timestamps import epoch

SUBJECTS = ("incident", "disclosure", "crime_record", "n100")
KINDS = ("time", "hours", "flag", "code", "codes", "text", "count", "number")


@dataclass(frozen=True, slots=True)
class Fact:
    name: str
    kind: str
    about: str
    absent: str
    read: Callable[[IncidentView, Any], Any]
    attribute: Attribute | None = None  # where it lives, when it is one attribute of the input
    always_present: bool = False        # never absent in a validated incident


VOCABULARY: dict[str, dict[str, Fact]] = {subject: {} for subject in SUBJECTS}
MODELS: dict[str, type] = {"incident": Incident, "disclosure": Disclosure, "crime_record": CrimeRecord,
                           "n100": N100Record}


def fact(subjects: str, name: str, kind: str, about: str, absent: str = "",
         read: Callable[[IncidentView, Any], Any] | Attribute | None = None) -> None:
    """Define a fact; an attribute fact gets its reader once every fact is defined (`_read_attributes`)."""
    attribute = replace(read, time=kind == "time") if isinstance(read, Attribute) else None
    for subject in subjects.split():
        always = attribute is not None and attribute.always_present(MODELS[subject])
        VOCABULARY[subject][name] = Fact(name, kind, about, absent or f"no {name.replace('_', ' ')}", read,
                                         attribute, always)


# Where an attribute fact lives: on the subject's own record, its incident, its offence, its cancellation, or
# an N100's disclosure (an N100 is judged with what its disclosure says: who reported it, where, what evidence).
of_record, of_incident, of_offence, of_cancellation, of_disclosure, of_outcome = (
    partial(Attribute, owner) for owner in ("record", "incident", "offence", "cancellation", "disclosure", "outcome"))


def _answered(attribute: str) -> Callable[[IncidentView, Any], bool | None]:
    """A reader of what a record answers yes, no or not_known, as a flag: not_known, like absent, is unknown."""
    def read(v: IncidentView, record) -> bool | None:
        said = getattr(record, attribute)
        return None if said in (None, "not_known") else said == "yes"
    return read


def _set_of(attribute: str) -> Callable[[IncidentView, Any], frozenset | None]:
    """A reader of a list the export may leave out, as a set: absent stays unknown, an empty list is none."""
    def read(v: IncidentView, record) -> frozenset | None:
        values = getattr(record, attribute)
        return None if values is None else frozenset(values)
    return read


def _under(view: IncidentView, ids: list[str], limit: int) -> bool | None:
    """Whether any of these people is younger than `limit`: unknown if none is but an age is not recorded, or if
    no one is named."""
    unknown = not ids
    for person in map(view.people.get, ids):
        age = None if person is None else person.age
        if age is None:
            unknown = True
        elif age < limit:
            return True
    return None if unknown else False


CHARACTERISTICS = ("age", "sex", "ethnicity", "disability", "religion", "sexual_orientation",
                   "gender_reassignment", "marriage_or_civil_partnership", "pregnancy_or_maternity")
_characteristics_of = attrgetter(*CHARACTERISTICS)


def _chars(person) -> frozenset[str]:
    if person is None:
        return frozenset()
    return frozenset(name for name, value in zip(CHARACTERISTICS, _characteristics_of(person))
                     if value is not None and value != "unknown")


def _relationship_is(known: set[str], *wanted: str) -> bool | None:
    """A relationship test where an unrecorded (or 'unknown') relationship stays unknown, never 'no'."""
    known = known - {"unknown"}
    return None if not known else bool(known & set(wanted))


_course_of_conduct = principal.course_of_conduct


def _companion_top(attribute: str, conduct: bool | None = None) -> Callable[[IncidentView, Any], int]:
    """A reader: the highest `attribute` of the disclosure's rivals for principal crime, of those that are (or
    are not) a course of conduct when `conduct` is given; 0 if there are none (most disclosures have none)."""
    def read(v: IncidentView, d) -> int:
        companions = principal.rivals(v, d) if v.companions(d) else ()
        if not companions:
            return 0
        return max((getattr(v.offence(c.offence), attribute) for c in companions
                    if conduct is None or _course_of_conduct(v, c) == conduct), default=0)
    return read


def _companion_course_of_conduct(v: IncidentView, d) -> bool:
    companions = principal.rivals(v, d) if v.companions(d) else ()
    return bool(companions) and any(_course_of_conduct(v, c) for c in companions)


def _tied_with_earlier(v: IncidentView, d) -> bool:
    companions = principal.rivals(v, d) if v.companions(d) else ()
    if not companions:
        return False
    seriousness, key = v.offence(d.offence).seriousness, v.tie_key(d)
    return any(v.offence(c.offence).seriousness == seriousness and v.tie_key(c) < key for c in companions)


def _first_record(view: IncidentView, disclosure):
    """The first crime record made for it (the one a delay is measured to); None if a record has no time."""
    crimes = view.crimes_by_disclosure.get(disclosure.id, ())
    if not crimes or any(c.recorded_at is None for c in crimes):
        return None
    return min(crimes, key=lambda c: epoch(c.recorded_at))


def _of_first_record(attribute: str) -> Callable[[IncidentView, Any], Any]:
    return lambda v, d: getattr(_first_record(v, d), attribute, None)


# ---------------------------------------------------------------- about the incident (every subject)
ALL = "incident disclosure crime_record n100"
fact(ALL, "incident", "code", "the incident's id", read=of_incident("id"))
fact(ALL, "channel", "code", "how the report came in (emergency_call, online, public_protection, ...)",
     read=of_incident("channel"))
fact(ALL, "incident_kind", "code", "primary or secondary incident", read=of_incident("kind"))
fact(ALL, "qualifiers", "codes", "the incident's qualifiers (domestic_abuse, vulnerable_victim, ...)",
     read=lambda v, r: frozenset(v.incident.qualifiers))
fact(ALL, "non_crime_rationale", "text", "the recorded reason a crime-related incident was not crimed",
     "no recorded rationale", read=of_incident("non_crime_rationale"))
fact(ALL, "incident_received_at", "time", "when the police first received the incident",
     read=of_incident("received_at"))

# ---------------------------------------------------------------- disclosures
D = "disclosure"
fact(D, "received_at", "time", "when this offence was first reported (its disclosure time, else the incident's)",
     "no time of report", read=IncidentView.received_at)
fact(D, "offence", "code", "the offence as given (classification or HO code)", read=of_record("offence"))
fact(D, "classification", "code", "HO classification, e.g. 8L",
     read=of_offence("classification"))
fact(D, "offence_group", "code", "HO offence group, e.g. violence_against_the_person",
     read=of_offence("group"))
fact(D, "families", "codes", "rule families of the offence: rape, sexual, harassment_family, conduct_crime, ...",
     read=of_offence("families"))
fact(D, "victim_based", "flag", "the offence has a victim (not an offence against the state)",
     read=of_offence("victim_based"))
fact(D, "seriousness", "number", "rank for the principal crime rule (violent before property, then sentence)",
     read=of_offence("seriousness"))
fact(D, "max_sentence_months", "number", "maximum sentence in months (Life = 9999)",
     read=of_offence("max_sentence_months"))
fact(D, "reported_by", "code", "who reported it (victim, professional_third_party, other_third_party, ...)",
     read=of_record("reported_by"))
fact(D, "victim_confirmed", "code", "yes, no, not_asked or untraceable", read=of_record("victim_confirmed"))
fact(D, "made_out_at", "time", "when the investigation confirmed an offence held until made out (4/4, 4/6, 4/8, "
     "802) was made out", "no time the investigation confirmed the offence made out", read=of_record("made_out_at"))
fact(D, "confirmed_at", "time", "when the victim or their representative confirmed", "no time of confirmation",
     read=of_record("confirmed_at"))
fact(D, "victim_expected_to_confirm", "flag", "whether the victim can be expected to confirm",
     "not known whether the victim can confirm", read=of_record("victim_expected_to_confirm"))
fact(D, "recording_necessary", "flag",
     "the 'appropriate/necessary' ground applies; for an offence against the state, the points to prove are made out",
     "no judgement on whether recording is necessary", read=of_record("recording_necessary"))
fact(D, "contrary_evidence", "text", "credible evidence to the contrary, if any",
     read=of_record("contrary_evidence"))
fact(D, "other_force_area", "flag", "committed in another force area or abroad", read=of_record("other_force_area"))
fact(D, "outside_uk", "flag", "committed outside the United Kingdom", read=of_record("outside_uk"))
fact(D, "sarc_withheld", "flag", "a SARC rape report the victim withheld from police (anonymous, depersonalised "
     "data only, or samples frozen at the SARC)", read=of_record("sarc_withheld"))
fact(D, "victim_count", "count", "victims identified", read=lambda v, d: len(d.victims))
fact(D, "offender_count", "count", "offenders named", read=lambda v, d: len(d.offenders))
fact(D, "recorded_victim_count", "count", "this disclosure's victims named on its linked crime records",
     "a linked crime record names no victim", read=lambda v, d: _recorded_victims(v, d))
fact(D, "victim_households", "count", "households the victims belong to (one burglary per household)",
     "a victim's household not recorded", read=lambda v, d: _units(v, d, "household"))
fact(D, "victim_businesses", "count", "businesses whose property the victims held (one robbery per business)",
     "a victim's business not recorded", read=lambda v, d: _units(v, d, "business"))
fact(D, "victim_under_18", "flag", "a victim is a child", "victim's age not recorded",
     read=lambda v, d: _under(v, d.victims, 18))
fact(D, "either_party_under_16", "flag", "a victim or offender is under 16", "ages not recorded",
     read=lambda v, d: _under(v, d.victims + d.offenders, 16))
fact(D, "former_partner", "flag", "the victim is the offender's former partner", "relationship not recorded",
     read=lambda v, d: _relationship_is(v.relationships(d.victims), "ex_partner"))
fact(D, "occasions", "count", "occasions of the course of conduct", read=lambda v, d: len(d.occasions))
fact(D, "course_of_conduct", "flag", "a conduct offence (8L, 8M, 8Q, 8U) on two or more occasions",
     read=_course_of_conduct)
fact(D, "threat_of_immediate_violence", "flag", "the victim was made to fear immediate violence",
     read=of_record("threat_of_immediate_violence"))
fact(D, "source", "code", "where the disclosure was found: auditor, structured_field, incident_code",
     read=of_record("source"))
fact(D, "crime_records", "count", "crime records linked to this disclosure",
     read=lambda v, d: len(v.crimes_by_disclosure.get(d.id, ())))
fact(D, "has_crime_record", "flag", "at least one crime record is linked",
     read=lambda v, d: d.id in v.crimes_by_disclosure)
fact(D, "first_recorded_at", "time", "when the first crime record for it was made", "no recording time",
     read=lambda v, d: _first_recorded(v, d))
fact(D, "recorded_families", "codes", "rule families of the offences it was recorded as",
     read=lambda v, d: frozenset().union(*(v.offence(c.offence).families
                                           for c in v.crimes_by_disclosure.get(d.id, ()))))
fact(D, "recorded_classifications", "codes", "classifications it was recorded as",
     read=lambda v, d: frozenset(v.offence(c.offence).classification for c in v.crimes_by_disclosure.get(d.id, ())))
fact(D, "has_n100", "flag", "an N100 record is linked", read=lambda v, d: d.id in v.n100s_by_disclosure)
fact(D, "companions", "count", "other disclosures here between the same victim and offender",
     read=lambda v, d: len(v.companions(d)))
fact(D, "companion_top_seriousness", "number", "highest seriousness among companions competing to be principal (facts/principal.py) (0 if none)",
     read=_companion_top("seriousness"))
fact(D, "companion_top_other_seriousness", "number",
     "highest seriousness among companions competing to be principal (facts/principal.py) that are not a course of conduct (0 if none)",
     read=_companion_top("seriousness", conduct=False))
fact(D, "companion_top_months", "number", "highest maximum sentence among companions competing to be principal (facts/principal.py) (0 if none)",
     read=_companion_top("max_sentence_months"))
fact(D, "companion_top_conduct_seriousness", "number",
     "highest seriousness among companions competing to be principal (facts/principal.py) that are a course of conduct (0 if none)",
     read=_companion_top("seriousness", conduct=True))
fact(D, "companion_course_of_conduct", "flag", "a companion is a course of conduct",
     read=_companion_course_of_conduct)
fact(D, "tied_with_earlier", "flag", "a companion exactly as serious comes first in the tie-break (recorded as a "
     "crime, then held on an N100, then reported first, then lower disclosure id)",
     read=_tied_with_earlier)
fact(D, "against_police_on_duty", "flag", "an allegation against a police officer or staff member on duty",
     read=of_record("against_police_on_duty"))
fact(D, "n100_count", "count", "N100 records linked to this disclosure",
     read=lambda v, d: len(v.n100s_by_disclosure.get(d.id, ())))
fact(D, "victim_offender_relationships", "count",
     "victim-offender relationships reported: each victim with each offender (an unnamed side counts once)",
     read=lambda v, d: max(len(set(d.victims)), 1) * max(len(set(d.offenders)), 1))
fact(D, "yields_to_another", "flag", "another offence here takes precedence whatever the ranks (aggravated "
     "burglary over an assault below s20; the same offender's violence over an affray, burglary or theft over going "
     "equipped, an offence a weapon was used in over its possession)", "not known whether the related offence here "
     "is by the same offender, or (weapon_used) whether the weapon possessed was used in it", read=principal.yields)
fact(D, "conduct_folds_rivals", "flag", "a course of conduct whose step of the conduct crime ladder folds every "
     "companion competing with it", read=lambda v, d: principal.conduct_folds_rivals(v, d))
fact(D, "folded_into_conduct", "flag", "folded into a companion course of conduct that is the principal crime",
     read=lambda v, d: bool(v.companions(d)) and principal.folded_into_conduct(v, d))
fact(D, "school_protocol", "code", "schools protocol reading: minor, serious or crime_requested",
     "no schools protocol reading", read=of_record("school_protocol"))
fact(D, "fraud_call_for_service", "flag", "a fraud with a call for service or a PNC item, recorded locally",
     "not known whether the fraud had a call for service", read=of_record("fraud_call_for_service"))
fact(D, "committed_at", "time", "when the offence was committed (a course of conduct: its last occasion)",
     "no time of commission", read=of_record("committed_at"))
fact(D, "delay_rationale", "text", "the reason for the delay its first crime record gives (empty: it holds none)",
     "the export does not give the rationale for the delay of the first crime record",
     read=_of_first_record("delay_rationale"))
fact(D, "delay_overseen_by", "code", "the role that oversaw the delay of its first crime record",
     "no oversight of the delay recorded on the first crime record", read=_of_first_record("delay_overseen_by"))
fact(D, "delay_rationale_recorded", "code", "whether its first crime record carries a rationale for the delay: yes, "
     "no or not_known", "the export does not say whether the first crime record gives a rationale for the delay",
     read=_of_first_record("delay_rationale_recorded"))
fact(D, "delay_oversight_recorded", "code", "whether its first crime record shows oversight of the delay: yes, no "
     "or not_known", "the export does not say whether the delay of the first crime record was overseen",
     read=_of_first_record("delay_oversight_recorded"))
fact(D, "injury", "code", "the worst injury to the victim of an assault: none, actual_bodily_harm or serious_harm",
     "no injury level recorded", read=of_record("injury"))
fact(D, "case_to_answer", "flag", "for an allegation against police on duty: the appropriate authority found a "
     "possible criminal case to answer, decided a charge or disposal, or found a misconduct case amounting to a "
     "notifiable offence", "no appropriate authority decision recorded", read=of_record("case_to_answer"))
fact(D, "reported_after_companion", "flag", "another offence here between the same victim and offender was "
     "reported before this one", read=lambda v, d: bool(v.companions(d)) and bool(principal.earlier_companions(v, d)))
fact(D, "resumed_after_notice", "flag", "committed after the police were told of an earlier offence here between "
     "the same victim and offender (the finished incident rule)", "no time of commission",
     read=lambda v, d: bool(v.companions(d)) and principal.resumed_after_notice(v, d))
fact(D, "own_crime_record", "flag", "a crime record for it records none of the offences reported before it",
     read=lambda v, d: principal.has_own_record(v, d))
fact(D, "undefined_offenders", "flag", "for a rape by several offenders: the victim could not tell some of them apart "
     "(recorded as one 19J or 19K for those)", "no judgement recorded of whether the victim could tell the offenders apart",
     read=_answered("undefined_offenders"))
fact(D, "continues_crime", "code", "the reference of a conduct crime already recorded (usually on an earlier "
     "incident) that this conduct continues", "no earlier conduct crime linked", read=of_record("continues_crime"))
fact(D, "conduct_break_months", "count", "whole calendar months from the last incident recorded on the continued "
     "crime to this conduct resuming (facts/continuation.py)",
     "no time of the continued crime's last incident, or of this conduct resuming",
     read=lambda v, d: continuation.break_months(d))
fact(D, "offender_dealt_with", "flag", "the police dealt with the offender (charge, summons, caution) between the "
     "continued crime and this conduct", "not recorded whether the offender was dealt with in between",
     read=_answered("offender_dealt_with"))
fact(D, "continuation_exception", "text", "the recorded exceptional circumstances (an anniversary) for adding "
     "conduct after a longer break to the continued crime", "no exceptional circumstances recorded",
     read=of_record("continuation_exception"))
fact(D, "new_crime_records", "count", "crime records linked to this disclosure other than the crime it continues",
     read=lambda v, d: sum(c.reference != d.continues_crime for c in v.crimes_by_disclosure.get(d.id, ())))


def _units(view: IncidentView, disclosure, attribute: str) -> int | None:
    """Distinct households (or businesses) among the victims; unknown if there are several victims and one of
    them has none recorded (a lone victim is one unit whatever is recorded)."""
    if len(disclosure.victims) <= 1:
        return len(disclosure.victims)
    units = [getattr(view.people.get(i), attribute, None) for i in disclosure.victims]
    return None if None in units else len(set(units))


def _recorded_victims(view: IncidentView, disclosure) -> int | None:
    """Distinct victims of the disclosure that its crime records name; unknown if they fall short and a record
    names no victim (that record may cover one of the others)."""
    crimes = view.crimes_by_disclosure.get(disclosure.id, ())
    named = len({c.victim for c in crimes if c.victim} & set(disclosure.victims))
    return None if named < len(set(disclosure.victims)) and any(not c.victim for c in crimes) else named


def _first_recorded(view: IncidentView, disclosure) -> float | None:
    times = [c.recorded_at for c in view.crimes_by_disclosure.get(disclosure.id, ())]
    return None if not times or None in times else epoch(min(times))


# ---------------------------------------------------------------- crime records
C = "crime_record"


def _victim_relationship(v: IncidentView, c) -> str | None:
    """The crime's victim's relationship to the offender; unrecorded and 'unknown' are both absent."""
    victim = v.people.get(c.victim) if c.victim else None
    relationship = None if victim is None else victim.relationship_to_offender
    return None if relationship == "unknown" else relationship


def _victim_relationship_in(*wanted: str) -> Callable[[IncidentView, Any], bool | None]:
    """A reader: whether the crime's victim's relationship is one of these (unknown if not recorded)."""
    wanted_set = frozenset(wanted)

    def read(v: IncidentView, c) -> bool | None:
        relationship = _victim_relationship(v, c)
        return None if relationship is None else relationship in wanted_set
    return read


def _parties_under(limit: int, negated: bool = False) -> Callable[[IncidentView, Any], bool | None]:
    """A reader: whether the crime's victim or an offender is under `limit` (or, negated, all are not)."""
    def read(v: IncidentView, c) -> bool | None:
        under = _under(v, [c.victim, *c.offenders] if c.victim else c.offenders, limit)
        return under if under is None or not negated else not under
    return read


def _withdrawal_text(cancellation) -> str | None:
    """Everything the cancellation says that may record why the victim withdrew; `withdrawal_grounds` reads it
    with the phrase layer (facts/phrase_grounds.py)."""
    if cancellation is None:
        return None
    parts = (cancellation.withdrawal_reasons, cancellation.additional_verifiable_information, cancellation.rationale)
    return " / ".join(p for p in parts if p) or None


def _linked(v: IncidentView, c):
    return [v.disclosures[i] for i in c.disclosures]


INJURY_LADDER = ("none", "actual_bodily_harm", "serious_harm")


def _worst_injury(v: IncidentView, c) -> str | None:
    """The worst injury its linked disclosures record; unknown if one records none, unless the worst known is
    already the top of the ladder (nothing unrecorded could make it worse)."""
    injuries = [d.injury for d in _linked(v, c)]
    known = [i for i in injuries if i is not None]
    if not known:
        return None
    worst = max(known, key=INJURY_LADDER.index)
    return worst if len(known) == len(injuries) or worst == INJURY_LADDER[-1] else None


def _threat(attribute: str, unknown: tuple = ()) -> Callable[[IncidentView, Any], Any]:
    """A reader: what the linked disclosures that report a threat say of it, where they agree; unknown if one of
    them does not say, or says one of `unknown` (a judgement recorded as not made), or they disagree."""
    def read(v: IncidentView, c) -> Any:
        values = {getattr(d, attribute) for d in _linked(v, c) if d.threat_of is not None}
        value = values.pop() if len(values) == 1 else None
        return None if value in unknown else value
    return read


def _feared_violence(v: IncidentView, c) -> bool | None:
    """Whether the course of conduct its linked disclosures report left the victim fearing violence: yes if one
    of them says so; unknown if one does not say (or says not_known), or none is a conduct crime."""
    said = [d.feared_violence for d in _linked(v, c) if "conduct_crime" in v.offence(d.offence).families]
    if "yes" in said:
        return True
    return None if not said or None in said or "not_known" in said else False


def _victim(v: IncidentView, c):
    return v.people.get(c.victim) if c.victim else None


def _worker_role(person) -> str | None:
    """A constable or emergency worker counts as one only in the execution of their duty (p. 45); anyone else,
    or one off duty, is 'none'; unknown where the role, or a worker's duty, is not recorded."""
    role = None if person is None else person.worker_role
    if role is None or role == "neither":
        return None if role is None else "none"
    return None if person.on_duty is None else role if person.on_duty else "none"


def _first_committed(v: IncidentView, c) -> float | None:
    """The earliest time of commission its linked disclosures record; unknown if one records none."""
    times = [d.committed_at for d in _linked(v, c)]
    return None if not times or None in times else min(map(epoch, times))


#: The average year of 365.25 days, in seconds: ages and the years between two times are counted in it, so that a
#: leap day neither makes nor breaks an age over a few years.
SECONDS_IN_A_YEAR = 365.25 * 24 * 3600


def _first_reported(v: IncidentView, c) -> float:
    """When the offence recorded was first reported: its earliest linked disclosure, or the incident."""
    return min(map(v.received_at, _linked(v, c))) if c.disclosures else v.incident_received_at


def _years_since_committed(v: IncidentView, c) -> float | None:
    """Years from the earliest time of commission its linked disclosures record to the first report of them."""
    committed = _first_committed(v, c)
    if committed is None:
        return None
    return max(0.0, (_first_reported(v, c) - committed) / SECONDS_IN_A_YEAR)


def _years_to_outcome(v: IncidentView, c) -> float | None:
    """Years from the first report of the offence recorded to its outcome: how much older the suspect may be
    when the outcome is given than the age recorded at the report."""
    if c.outcome is None or c.outcome.decided_at is None:
        return None
    return (epoch(c.outcome.decided_at) - _first_reported(v, c)) / SECONDS_IN_A_YEAR


fact(C, "reference", "code", "the crime reference", read=of_record("reference"))
fact(C, "offence", "code", "the offence recorded", read=of_record("offence"))
fact(C, "classification", "code", "HO classification recorded", read=of_offence("classification"))
fact(C, "offence_group", "code", "HO offence group recorded", read=of_offence("group"))
fact(C, "families", "codes", "rule families of the offence recorded", read=of_offence("families"))
fact(C, "victim_based", "flag", "the offence recorded has a victim (not an offence against the state)",
     read=of_offence("victim_based"))
fact(C, "ho_code", "code", "Home Office offence code recorded, if given at that level",
     "recorded at classification level only", read=of_offence("ho_code"))
fact(C, "status", "code", "recorded, transferred or cancelled", read=of_record("status"))
fact(C, "recorded_at", "time", "when the crime was recorded", "no recording time",
     read=of_record("recorded_at"))
fact(C, "flags", "codes", "crime flags (domestic_abuse, hate_crime, ...)", read=lambda v, c: frozenset(c.flags))
fact(C, "victim", "code", "the victim's person id", "no victim named", read=of_record("victim"))
fact(C, "victim_characteristics", "codes", "protected characteristics recorded for the victim",
     read=lambda v, c: _chars(v.people.get(c.victim) if c.victim else None))
fact(C, "domestic_relationship", "flag", "victim and offender are partners, ex-partners or family",
     "relationship not recorded",
     read=_victim_relationship_in(*DOMESTIC_RELATIONSHIPS))
fact(C, "parties_16_or_over", "flag", "victim and offenders are all aged 16 or over", "ages not recorded",
     read=_parties_under(16, negated=True))
fact(C, "former_partner", "flag", "the victim is the offender's former partner", "relationship not recorded",
     read=_victim_relationship_in("ex_partner"))
fact(C, "either_party_under_16", "flag", "victim or offender under 16", "ages not recorded",
     read=_parties_under(16))
fact(C, "classification_rationale", "text", "why this classification was chosen", "no rationale recorded",
     read=of_record("classification_rationale"))
fact(C, "rationale_approved_by", "code", "role that approved the classification rationale", "no approver recorded",
     read=of_record("rationale_approved_by"))
fact(C, "injury", "code", "the worst injury the linked disclosures record: none, actual_bodily_harm or serious_harm",
     "no injury level recorded on a linked disclosure", read=_worst_injury)
fact(C, "victim_age", "number", "the victim's age in years when the offence was reported", "victim's age not recorded",
     read=lambda v, c: getattr(_victim(v, c), "age", None))
fact(C, "victim_sex", "code", "the victim's sex: female or male", "victim's sex not recorded",
     read=lambda v, c: None if getattr(_victim(v, c), "sex", "unknown") in (None, "unknown") else _victim(v, c).sex)
fact(C, "committed_at", "time", "when the offence recorded was committed: the earliest time of commission its linked "
     "disclosures record", "no time of commission on a linked disclosure", read=_first_committed)
fact(C, "years_since_committed", "number", "years from when the offence recorded was committed to its first report",
     "no time of commission", read=_years_since_committed)
fact(C, "delay_rationale", "text", "why the record was made more than 24 hours after the report (empty: it holds none)",
     "the export does not give the rationale for the delay", read=of_record("delay_rationale"))
fact(C, "delay_overseen_by", "code", "the role that oversaw a delayed record", "no oversight of the delay recorded",
     read=of_record("delay_overseen_by"))
fact(C, "disclosure_received_at", "time", "when the offence recorded was first reported", "no time of report",
     read=_first_reported)
fact(C, "disclosure_occasions", "count", "most occasions of conduct in the linked disclosures",
     read=lambda v, c: max((len(d.occasions) for d in _linked(v, c)), default=0))
fact(C, "threat_of_immediate_violence", "flag", "a linked disclosure is a threat of immediate violence",
     read=lambda v, c: any(d.threat_of_immediate_violence for d in _linked(v, c)))
fact(C, "threat_reported", "flag", "a linked disclosure is a threat (records what it threatened)",
     read=lambda v, c: any(d.threat_of is not None for d in _linked(v, c)))
fact(C, "threat_of", "code", "what the threat on the linked disclosures threatened: death, serious_harm, violence or "
     "other", "the linked disclosures do not agree on what the threat threatened", read=_threat("threat_of"))
fact(C, "threat_conveyed", "code", "how that threat reached the victim: in_person or message",
     "not recorded (or not agreed) how the threat was made", read=_threat("threat_conveyed"))
fact(C, "threat_in_dwelling", "flag", "a threat made in person reached the victim inside a dwelling",
     "not recorded whether the victim was inside a dwelling", read=_threat("threat_in_dwelling"))
fact(C, "threat_intent", "code", "the recorded judgement of the offender's intent that the victim fear the threat "
     "would be carried out: intended, reckless or neither", "no judgement of the offender's intent recorded",
     read=_threat("threat_intent", unknown=("not_known",)))
fact(C, "victim_feared_violence", "flag", "the course of conduct its linked disclosures report left the victim "
     "fearing violence (s4, s4A harassment and stalking)", "no judgement recorded of whether the victim feared violence",
     read=_feared_violence)
fact(C, "disclosed_ho_codes", "codes", "the HO codes of the offences its linked disclosures report (those given at "
     "HO code level)", read=lambda v, c: frozenset(code for code in (v.offence(d.offence).ho_code
                                                                     for d in _linked(v, c)) if code))
fact(C, "listed_occasions", "count", "most occasions of conduct listed in a linked disclosure (absent if none listed)",
     "no occasions listed in the linked disclosures",
     read=lambda v, c: max((len(d.occasions) for d in _linked(v, c)), default=0) or None)
fact(C, "victim_relationship", "code", "the victim's relationship to the offender (partner, ex_partner, family, ...)",
     "relationship not recorded",
     read=_victim_relationship)
fact(C, "cancellation_code", "code", "C1 to C5", "no C-code", read=of_cancellation("code"))
fact(C, "cancelled_at", "time", "when the transfer or cancellation was decided", "no decision time",
     read=of_cancellation("decided_at"))
fact(C, "decided_by", "code", "role of who decided the transfer or cancellation", "no decision maker recorded",
     read=of_cancellation("decided_by"))
fact(C, "decider_is_investigator", "flag", "the decision maker was the investigating officer",
     "not recorded whether the decision maker was independent", read=of_cancellation("decider_is_investigator"))
fact(C, "cancellation_rationale", "text", "the reason recorded for the cancellation", "no rationale",
     read=of_cancellation("rationale"))
fact(C, "cancellation_rationale_recorded", "code", "whether the cancellation records a rationale: yes, no or "
     "not_known", "the export does not say whether the cancellation gives a rationale",
     read=of_cancellation("rationale_recorded"))
fact(C, "additional_verifiable_information", "text", "the AVI relied on", "no additional verifiable information",
     read=of_cancellation("additional_verifiable_information"))
fact(C, "receiving_force_reference", "code", "the receiving force's crime or CRI reference",
     "no receiving force reference", read=of_cancellation("receiving_force_reference"))
fact(C, "master_record", "code", "the live record a duplicate points to", "no master record",
     read=of_cancellation("master_record"))
fact(C, "master_record_live", "flag", "the master record is in this incident and still recorded",
     "master record is not in this incident's export",
     read=lambda v, c: None if c.cancellation is None or c.cancellation.master_record not in v.crimes_by_reference
     else v.crimes_by_reference[c.cancellation.master_record].status == "recorded")
fact(C, "victim_informed_at", "time", "when the victim was told of the transfer or cancellation",
     "no record that the victim was told", read=of_cancellation("victim_informed_at"))
fact(C, "victim_informed", "code", "whether the record shows the victim was told: yes, no or not_known",
     "the export does not say whether the victim was told", read=of_cancellation("victim_informed"))
fact(C, "avi_available_at", "time", "when the AVI relied on became available to the police",
     "no time the AVI became available", read=of_cancellation("avi_available_at"))
fact(C, "avi_source", "text", "where the AVI relied on came from and how it can be verified",
     "no source of the AVI given", read=of_cancellation("avi_source"))
fact(C, "avi_source_recorded", "code", "whether the cancellation records where its AVI came from: yes, no or "
     "not_known", "the export does not say whether the AVI's source is recorded",
     read=of_cancellation("avi_source_recorded"))
fact(C, "nrm_decision", "code", "the NRM decision a cancellation relies on as AVI (negative_reasonable_grounds, "
     "negative_conclusive_grounds)", "no NRM decision relied on", read=of_cancellation("nrm_decision"))
fact(C, "withdrawal_reasons", "text",
     "what the cancellation records of the victim withdrawing: their stated reasons, the AVI and the rationale",
     "nothing recorded about a withdrawal", read=lambda v, c: _withdrawal_text(c.cancellation))
fact(C, "avi_grounds", "codes",
     "what the cancellation's AVI text names, read with negation and typos (rules/phrases/avi.yaml): "
     "information_source, not_avi_ground", "no AVI text",
     read=lambda v, c: phrase_grounds.AVI.grounds(c.cancellation and c.cancellation.additional_verifiable_information))
fact(C, "withdrawal_grounds", "codes",
     "grounds of the victim's withdrawal the cancellation's text gives, read with negation and typos "
     "(rules/phrases/withdrawal.yaml): fear_or_pressure", "nothing recorded about a withdrawal",
     read=lambda v, c: phrase_grounds.WITHDRAWAL.grounds(_withdrawal_text(c.cancellation)))

#: An inspector's authority, as the outcomes framework asks it for some outcomes: an inspector or above, or police
#: staff of that grade (OFG pp. 15, 23). For outcomes 15 and 16 on rape and high-risk domestic abuse the FCR unit's
#: independent decision makers also qualify (2026/27 pp. 22-23); that rule says so itself.
INSPECTOR_OR_EQUIVALENT = frozenset({"inspector", "chief_inspector", "superintendent_or_above",
                                     "police_staff_inspector_equivalent"})


def _inspector_authority(v: IncidentView, c) -> bool | None:
    """Whether the outcome was authorised at inspector level; a rank recorded as not known is not authority."""
    rank = None if c.outcome is None else c.outcome.authoriser_rank
    return None if rank is None else rank in INSPECTOR_OR_EQUIVALENT


fact(C, "outcome_type", "code", "the outcome type the crime was finalised with: 1 to 24, 1A, 2A or 3A",
     "no outcome recorded", read=of_outcome("type"))
fact(C, "outcome_decided_at", "time", "when the outcome was applied", "no time the outcome was applied",
     read=of_outcome("decided_at"))
fact(C, "outcome_authoriser_rank", "code", "the rank (or police staff equivalent) of who authorised the outcome",
     "no rank recorded for who authorised the outcome", read=of_outcome("authoriser_rank"))
fact(C, "outcome_inspector_authority", "flag", "the outcome was authorised by an inspector or above, or police "
     "staff of that grade", "no rank recorded for who authorised the outcome",
     read=_inspector_authority)
fact(C, "named_suspect", "code", "whether the outcome's record identifies a named suspect: yes, no or not_known",
     "the export does not say whether a named suspect was identified", read=of_outcome("named_suspect"))
fact(C, "victim_view_recorded", "code", "whether there is an auditable record of the victim's view on police "
     "action: yes, no or not_known", "the export does not say whether the victim's view was recorded",
     read=of_outcome("victim_view_recorded"))
fact(C, "outcome_rationale", "text", "the rationale recorded for the outcome", "no outcome rationale",
     read=of_outcome("rationale"))


def _outcome_suspect(v: IncidentView, c):
    """The person the outcome names as its suspect, or else the crime's one offender (None if it has several)."""
    named = None if c.outcome is None else c.outcome.suspect or (c.offenders[0] if len(c.offenders) == 1 else None)
    return v.people.get(named) if named else None


fact(C, "years_to_outcome", "number", "years from the first report of the offence recorded to its outcome",
     "no time the outcome was applied", read=_years_to_outcome)
fact(C, "outcome_suspect_age", "number", "the age recorded (at the report) for the suspect the outcome was given to",
     "no age recorded for the outcome's suspect (or the crime has several offenders and the outcome names none)",
     read=lambda v, c: getattr(_outcome_suspect(v, c), "age", None))
fact(C, "outcome_decided_by", "code", "the role of the decision maker who applied the outcome",
     "no decision maker's role recorded for the outcome", read=of_outcome("decided_by"))
fact(C, "outcome_victim_informed_at", "time", "when the victim was told of the outcome",
     "no time the victim was told of the outcome", read=of_outcome("victim_informed_at"))
fact(C, "activity_completed_at", "time", "when the offender completed the diversionary activity or conditions",
     "no time the activity was completed", read=of_outcome("activity_completed_at"))
fact(C, "charged_classification", "code", "the HO classification of the offence charged or cautioned",
     "the export does not give the offence charged or cautioned",
     read=lambda v, c: None if c.outcome is None or not c.outcome.charged_offence
     else v.offence(c.outcome.charged_offence).classification)

#: What an outcome's record shows, each yes, no or not_known, with absent meaning the export does not say:
#: (fact, the outcome's attribute, what the record shows, what an absent value leaves unsaid).
OUTCOME_RECORDS = (
    ("outcome_victim_informed", "victim_informed", "the victim was told of the outcome",
     "whether the victim was told of the outcome"),
    ("summary_only_charge", "summary_only_charge", "the crime would be charged as a summary-only offence",
     "whether the charge would be summary only"),
    ("activity_completed", "activity_completed", "the offender completed the diversionary activity or deferred "
     "prosecution conditions", "whether the activity was completed"),
    ("cps_authorised", "cps_authorised", "the CPS authorised the caution", "whether the CPS authorised the caution"),
    ("prior_offending_within_two_years", "prior_offending_within_two_years", "the offender cautioned had a "
     "caution or conviction in the two years before", "whether the offender has a recent caution or conviction"),
    ("suspect_informed", "suspect_informed", "the suspect was told they will be recorded as responsible",
     "whether the suspect was told they will be recorded as responsible"),
    ("cps_charging_required", "cps_charging_required", "the charging decision had to go to the CPS",
     "whether the charging decision had to go to the CPS"),
    ("tic_linked_to_charge", "tic_linked_to_charge", "the offence was taken into consideration with a charge for "
     "another offence", "whether the offence taken into consideration was linked to a charge"),
)
for name, attribute, shows, unsaid in OUTCOME_RECORDS:
    fact(C, name, "code", f"whether the record shows {shows}: yes, no or not_known",
         f"the export does not say {unsaid}", read=of_outcome(attribute))
fact(C, "victim_wishes", "code", "what the victim wants done: supports_action, does_not_support_action, "
     "not_contactable or not_known", "the victim's wishes not recorded", read=of_record("victim_wishes"))
fact(C, "domestic_abuse_risk", "code", "the force's domestic abuse risk assessment: standard, medium, high or "
     "not_known", "no domestic abuse risk assessment recorded", read=of_record("domestic_abuse_risk"))
fact(C, "hate_perceived", "codes", "hate crime strands the victim or anyone else perceived as the motive: race, "
     "religion, sexual_orientation, disability, transgender", "the export does not say whether hate was perceived",
     read=_set_of("hate_perceived"))
fact(C, "hate_perceived_by_anyone", "flag", "the victim or someone else perceived the offence as motivated by "
     "hostility or prejudice on a monitored strand", "the export does not say whether hate was perceived",
     read=lambda v, c: None if c.hate_perceived is None else bool(c.hate_perceived))
fact(C, "racially_or_religiously_aggravated", "flag", "the record shows the offence was determined to be racially "
     "or religiously aggravated (s28 Crime and Disorder Act 1998)", "the export does not say whether the offence "
     "was racially or religiously aggravated", read=_answered("racially_or_religiously_aggravated"))
fact(C, "hate_strands", "codes", "hate crime strand flags applied", "the export does not give hate crime strand flags",
     read=_set_of("hate_strands"))
fact(C, "religion_flags", "codes", "religion sub-flags applied: christian, buddhist, hindu, jewish, muslim, sikh, "
     "other, no_religion, unknown", "the export does not give religion sub-flags",
     read=_set_of("religion_flags"))
fact(C, "metal_theft_flags", "codes", "metal theft flags applied: infrastructure, non_infrastructure",
     "the export does not give the metal theft flags",
     read=_set_of("metal_theft_flags"))
fact(C, "online_element", "flag", "the record shows an element of the offence was committed online",
     "not recorded whether any element of the offence was online",
     read=_answered("online_element"))
fact(C, "victim_worker_role", "code", "the victim as the assault found them: constable or emergency_worker (either in "
     "the execution of their duty), or none", "the victim's role, or whether they were on duty, not recorded",
     read=lambda v, c: _worker_role(_victim(v, c)))
fact(C, "intimate_partner", "flag", "the victim is the offender's partner or former partner",
     "relationship not recorded", read=_victim_relationship_in("partner", "ex_partner"))


def _history(attribute: str | None = None) -> Callable[[IncidentView, Any], Any]:
    """A reader over the crime's classification history (absent when the export gives none): how many
    reclassifications, or the roles of who made them (absent if one of them names no role)."""
    def read(v: IncidentView, c) -> Any:
        history = c.classification_history
        if history is None or attribute is None:
            return None if history is None else len(history)
        roles = [getattr(entry, attribute) for entry in history]
        return None if None in roles else frozenset(roles)
    return read


def _oldest_offender_age(v: IncidentView, c) -> int | None:
    """The oldest age of the offenders the crime names (else its linked disclosures name); absent if it names
    none, or one of them has no age recorded."""
    ids = c.offenders or [o for d in _linked(v, c) for o in d.offenders]
    ages = [getattr(v.people.get(i), "age", None) for i in ids]
    return None if not ages or None in ages else max(ages)


fact(C, "reclassifications", "count", "reclassifications in the crime's classification history",
     "the export gives no classification history", read=_history())
fact(C, "reclassified_by", "codes", "the roles of who made the crime's reclassifications",
     "a reclassification names no role, or the export gives no classification history", read=_history("by"))
fact(C, "unjustified_reclassifications", "count", "reclassifications with no justification recorded",
     "the export gives no classification history",
     read=lambda v, c: None if c.classification_history is None
     else sum(not (entry.rationale or "").strip() for entry in c.classification_history))
fact(C, "oldest_offender_age", "number", "the oldest age, when reported, of the offenders the crime names",
     "an offender's age not recorded, or no offender named", read=_oldest_offender_age)

# ---------------------------------------------------------------- N100 records
N = "n100"

fact(N, "n100", "code", "the N100 record's id", read=of_record("id"))
fact(N, "n100_reason", "code", "N100/01, N100/02 or N100/03", "no N100 reason", read=of_record("reason"))
fact(N, "created_at", "time", "when the N100 was created", "no creation time", read=of_record("created_at"))
fact(N, "receiving_force_reference", "code", "the receiving force's reference (N100/03)",
     "no receiving force reference", read=of_record("receiving_force_reference"))
fact(N, "rape_crime", "code", "crime reference if later recorded as rape", read=of_record("rape_crime"))
fact(N, "disclosure_families", "codes", "rule families of the offence disclosed",
     read=lambda v, n: v.offence(v.disclosures[n.disclosure].offence).families)
fact(N, "disclosure_classification", "code", "HO classification of the offence disclosed, e.g. 19C",
     read=lambda v, n: v.offence(v.disclosures[n.disclosure].offence).classification)
fact(N, "disclosure_received_at", "time", "when the offence was first reported", "no time of report",
     read=lambda v, n: v.received_at(v.disclosures[n.disclosure]))
fact(N, "contrary_evidence", "text", "credible evidence to the contrary recorded on the disclosure",
     read=of_disclosure("contrary_evidence"))
fact(N, "other_force_area", "flag", "the disclosure is of an offence in another force area",
     read=of_disclosure("other_force_area"))
fact(N, "outside_uk", "flag", "the disclosure is of an offence outside the United Kingdom (no UK force to receive it)",
     read=of_disclosure("outside_uk"))
fact(N, "reported_by", "code", "who reported the disclosure (victim, professional_third_party, ...)",
     read=of_disclosure("reported_by"))
fact(N, "victim_confirmed", "code", "whether the victim confirmed the disclosure: yes, no, not_asked or untraceable",
     read=of_disclosure("victim_confirmed"))
fact(N, "sarc_withheld", "flag", "the disclosure is a SARC rape report the victim withheld from police",
     read=of_disclosure("sarc_withheld"))
fact(N, "status", "code", "open, crimed or cancelled (cancelled where the export gives a cancellation)",
     "the export does not give the N100's status",
     read=lambda v, n: n.status or ("cancelled" if n.cancelled_at or n.cancelled_by or n.cancellation_reason
                                    else None))
fact(N, "cancelled_at", "time", "when the N100 was cancelled", "no time of cancellation",
     read=of_record("cancelled_at"))
fact(N, "cancellation_reason", "code", "why the N100 was cancelled: error_taking_report, duplicate, not_confirmed, "
     "evidence_to_the_contrary, other_force_area or other", "no reason for the cancellation recorded",
     read=of_record("cancellation_reason"))
fact(N, "reclassified_from", "code", "the reference of the recorded rape this N100 replaced", "not reclassified "
     "from a crime record", read=of_record("reclassified_from"))
fact(N, "reclassified_at", "time", "when the rape crime was reclassified as this N100", "no time of reclassification",
     read=of_record("reclassified_at"))
fact(N, "reclassified_by", "code", "the role of who reclassified the rape crime as an N100",
     "no role recorded for who reclassified the rape crime", read=of_record("reclassified_by"))
fact(N, "investigation_begun", "flag", "substantive investigation had begun when the rape crime was reclassified",
     "not recorded whether substantive investigation had begun",
     read=_answered("investigation_begun"))

# ---------------------------------------------------------------- the incident as a whole
I = "incident"
fact(I, "received_at", "time", "when the police first received the incident", read=of_incident("received_at"))
fact(I, "disclosure_count", "count", "offences disclosed", read=lambda v, i: len(v.incident.disclosures))
fact(I, "crime_record_count", "count", "crime records made", read=lambda v, i: len(v.incident.crime_records))


def _read_attributes() -> None:
    """Give each attribute fact its reader, all generated together (attributes.readers)."""
    attributes = list(dict.fromkeys(f.attribute for facts in VOCABULARY.values() for f in facts.values()
                                    if f.attribute is not None))
    made = dict(zip(attributes, readers(attributes)))
    for facts in VOCABULARY.values():
        for name, found in facts.items():
            if found.attribute is not None:
                facts[name] = replace(found, read=made[found.attribute])


_read_attributes()


class Kinds(dict):
    """name -> kind for one subject, for showing values. A rule's own `let` step is not in the vocabulary;
    one whose name ends in `_at` holds a time (docs/writing-rules.md), so it prints as a local time."""

    def __missing__(self, name: str) -> str | None:
        kind = self[name] = "time" if name.endswith("_at") else None  # kept: the pack's names are few
        return kind


#: built once, read for every finding
KINDS: dict[str, Kinds] = {subject: Kinds({n: f.kind for n, f in facts.items()})
                           for subject, facts in VOCABULARY.items()}
