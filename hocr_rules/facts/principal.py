"""Which offences reported together compete to be the principal crime, and the exceptions the rules make.

The principal crime rule (2026/27 pp. 12-13) records only the most serious of a sequence of crimes by one
offender against one victim reported at once. The rules then carve out pairs that are each recorded (modern
slavery, breaches of orders, a threatening message beside a course of conduct, any offence beside conduct that
continues a conduct crime already recorded), a pair where the offence with the lower rank wins (aggravated
burglary over an assault below section 20), offending resumed after the police were told, and a ladder of
conduct crimes each of which folds only a listed set of other offences (pp. 56-57).
Each is a question about a pair of offences, which a rule (one subject at a time) cannot ask, so it is answered
here and PC01 reads the answers as facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from hocr_rules.facts.view import IncidentView
from hocr_rules.model.incident import Disclosure
from hocr_rules.model.timestamps import epoch
from hocr_rules.offences import Offence

#: Recorded beside whatever else is reported with them, never folded and never folding: modern slavery with
#: the most serious other victim-based offence (p. 13); a notifiable breach of an order with the most serious
#: other offence (p. 89), and so also with an assault on the person the order protects; a riot or violent
#: disorder with the victim-based crimes it results in (p. 89); perverting the course of justice, witness
#: intimidation among it, with the victim-based crime a witness or juror suffers (pp. 95-96).
IN_ADDITION = frozenset({"modern_slavery", "order_breach", "disorder", "perverting_justice"})
#: A death by aggravated vehicle taking is counted in addition to the theft, taking or AVT of the vehicle (p. 38).
IN_ADDITION_PAIRS = (frozenset({"death_by_vehicle_taking"}), frozenset({"vehicle_taking"}))
#: Aggravated burglary takes precedence over an assault below section 20 in its course (p. 74).
AGGRAVATED_BURGLARY = frozenset({"29B", "29C", "31A"})
ABOVE_SECTION_20 = frozenset({"008/01"})  # s20 wounding / inflicting GBH; s18 (5D) and above are not 8N


def _theft_for_going_equipped(o: Offence) -> bool:
    """Burglary or theft as s25 of the Theft Act 1968 means it: robbery steals, and taking a conveyance (s12)
    counts as theft (s25(5)), so taking or stealing a vehicle, and theft from one, are theft here."""
    return o.group in ("burglary", "theft", "robbery") or "vehicle_taking" in o.families or o.classification == "45"


#: Offences not recorded where a related offence by the same offender is, whoever its victim (these have none of
#: their own): an affray beside the violence against the person connected with it (p. 89); going equipped beside
#: a related burglary or theft (p. 83).
ABSORBED_BY: dict[str, Callable[[Offence], bool]] = {
    "affray": lambda o: o.group == "violence_against_the_person",
    "going_equipped": _theft_for_going_equipped,
}
#: Possession of weapons (10A-10D, 81): not recorded where the weapon was used in another notifiable offence (p. 94).
WEAPONS = "possession_of_weapons"


def course_of_conduct(view: IncidentView, d: Disclosure) -> bool:
    return "conduct_crime" in view.offence(d.offence).families and len(d.occasions) >= 2


def _below_section_20(offence: Offence) -> bool:
    """Common assault, assault on a constable and ABH; a bare 8N is read as its typical offence (ABH)."""
    return "assault_without_injury" in offence.families or (
        offence.classification == "8N" and offence.ho_code not in ABOVE_SECTION_20)


def takes_precedence(winner: Offence, loser: Offence) -> bool:
    """The pairs where the rules rank an offence above one the seriousness order would put first."""
    return winner.classification in AGGRAVATED_BURGLARY and _below_section_20(loser)


def _after_notice(view: IncidentView, d: Disclosure, notice: float) -> bool:
    """Committed after the police were told; an offence with no time of commission is read as reported with
    the rest (it was at the latest committed when it was reported, and most are reported at once)."""
    return d.committed_at is not None and epoch(d.committed_at) > notice


def earlier_companions(view: IncidentView, d: Disclosure) -> list[Disclosure]:
    """Companions the police were told of before this offence was reported: the incident it may have resumed."""
    reported = view.received_at(d)
    return [c for c in view.companions(d) if view.received_at(c) < reported]


def resumed_after_notice(view: IncidentView, d: Disclosure) -> bool | None:
    """Committed after the police were told of an earlier companion (the finished incident rule, p. 12); unknown
    when such a companion exists and the offence has no time of commission."""
    earlier = earlier_companions(view, d)
    if not earlier:
        return False
    return None if d.committed_at is None else _after_notice(view, d, min(map(view.received_at, earlier)))


def has_own_record(view: IncidentView, d: Disclosure) -> bool:
    """A crime record for this offence that records none of the companions reported before it."""
    earlier = {c.id for c in earlier_companions(view, d)}
    return any(earlier.isdisjoint(c.disclosures) for c in view.crimes_by_disclosure.get(d.id, ()))


def _reported_separately(view: IncidentView, a: Disclosure, b: Disclosure) -> bool:
    """A further offence disclosed later, on a crime record of its own, was not reported 'all at once' (p. 12):
    it is judged for itself (RC01, TL01), not folded into what was recorded before it was known."""
    first, later = sorted((a, b), key=view.received_at)
    if view.received_at(first) == view.received_at(later):
        return False
    return any(first.id not in c.disclosures for c in view.crimes_by_disclosure.get(later.id, ()))


def _competing(view: IncidentView, a: Disclosure, b: Disclosure) -> bool:
    offence_a, offence_b = view.offence(a.offence), view.offence(b.offence)
    if (offence_a.families | offence_b.families) & IN_ADDITION:
        return False
    death, taking = IN_ADDITION_PAIRS
    if (death & offence_a.families and taking & offence_b.families) or (
            death & offence_b.families and taking & offence_a.families):
        return False
    if a.continues_crime or b.continues_crime:
        return False  # offences in conduct that continues a recorded conduct crime are recorded in addition (p. 58)
    for conduct, other in ((a, offence_b), (b, offence_a)):
        if "threatening_message" in other.families and course_of_conduct(view, conduct):
            return False  # 005/28 is recorded in addition to a course of conduct (pp. 57-58)
    notice = min(view.received_at(a), view.received_at(b))
    if _after_notice(view, a, notice) != _after_notice(view, b, notice):
        return False  # the finished incident rule: offending resumed after notice is a new crime (p. 12)
    return not _reported_separately(view, a, b)


def rivals(view: IncidentView, d: Disclosure) -> list[Disclosure]:
    """The companions (same victim and offender) that compete with this disclosure to be the principal crime,
    less those that yield to it (an assault below s20 beside an aggravated burglary)."""
    found = view.rivals.get(d.id)
    if found is None:
        own = view.offence(d.offence)
        found = view.rivals[d.id] = [c for c in view.companions(d) if _competing(view, d, c)
                                     and not takes_precedence(own, view.offence(c.offence))]
    return found


def _related(view: IncidentView, d: Disclosure, relates: Callable[[Offence], bool]) -> list[Disclosure]:
    """The other offences reported with this one (competing with it, so not in addition or after notice) that
    `relates` accepts."""
    return [c for c in view.incident.disclosures if c is not d and relates(view.offence(c.offence))
            and _competing(view, d, c)]


def _by_same_offender(d: Disclosure, related: list[Disclosure]) -> bool | None:
    """Whether one of `related` names an offender of `d`; unknown where one of them names no offender (it may
    be the same person)."""
    offenders = set(d.offenders)
    if any(offenders & set(c.offenders) for c in related):
        return True
    return None if any(not d.offenders or not c.offenders for c in related) else False


def _absorbed_by_related(view: IncidentView, d: Disclosure) -> bool | None:
    """An affray or going equipped beside a related offence (ABSORBED_BY) by the same offender, reported with it."""
    absorbs = [ABSORBED_BY[family] for family in view.offence(d.offence).families if family in ABSORBED_BY]
    if not absorbs:
        return False
    return _by_same_offender(d, _related(view, d, lambda o: any(a(o) for a in absorbs)))


def _weapon_used(view: IncidentView, d: Disclosure) -> bool | None:
    """Possession of a weapon used during the commission of another notifiable offence is not recorded (p. 94).
    Only the record can say it was used (`weapon_used`); where it does not, and another offence by the same
    offender (or one not named) was reported with it, it is unknown. Drugs found with the weapon do not count:
    both are recorded (p. 94)."""
    if d.weapon_used is not None:
        return d.weapon_used
    others = _related(view, d, lambda o: o.group not in (WEAPONS, "drug_offences"))
    return False if _by_same_offender(d, others) is False else None


def yields(view: IncidentView, d: Disclosure) -> bool | None:
    """Another offence here takes precedence over this one whatever the ranks: an aggravated burglary over an
    assault below s20 in its course (a companion), a related offence by the same offender over an affray or
    going equipped (ABSORBED_BY), or the offence a weapon was used in over its possession. One fact, so PC01
    reads the exceptions to its ranking in one condition."""
    own = view.offence(d.offence)
    if any(_competing(view, d, c) and takes_precedence(view.offence(c.offence), own) for c in view.companions(d)):
        return True
    if own.group == WEAPONS:
        return _weapon_used(view, d)
    return _absorbed_by_related(view, d)


# ---------------------------------------------------------------- the conduct crime ladder (pp. 56-57)

@dataclass(frozen=True, slots=True)
class Rung:
    """One step of the ladder: the conduct offences on it and the other offences each of them folds."""

    step: str
    ho_codes: frozenset[str]
    classifications: frozenset[str]  # a classification given without a HO code stands on this step
    folds: Callable[[Offence], bool]


def _harassment_step_five(o: Offence) -> bool:
    """Section 2 and 2A stalking and harassment fold only the offences p. 57 lists."""
    return (o.group in ("theft", "public_order_offences")
            or (o.group == "criminal_damage_and_arson" and o.max_sentence_months < 9999)  # not endangering life
            or "assault_without_injury" in o.families
            or (o.classification == "8N" and o.ho_code not in {"008/01", "008/77"})
            or (o.classification == "8R" and "threatening_message" not in o.families))


LADDER = (
    Rung("1st: 8M s32(1B), 14 years", frozenset({"008/58"}), frozenset(),
         lambda o: o.max_sentence_months < 168),  # up to 8N, or a sexual offence under 14 years
    Rung("2nd: 8Q/8L s4 and s4A, 10 years", frozenset({"008/65", "008/66", "008/30"}), frozenset(),
         lambda o: o.max_sentence_months <= 120),  # up to 8N, or a sexual offence of 10 years or under
    Rung("3rd: 8U controlling or coercive behaviour", frozenset({"008/67"}), frozenset({"8U"}),
         lambda o: o.max_sentence_months <= 120),
    Rung("4th: 8M s32(1A), 2 years", frozenset({"008/56"}), frozenset({"8M"}),
         lambda o: (o.classification == "8N" and o.ho_code != "008/01") or o.max_sentence_months < 60),
    Rung("5th: 8Q/8L s2 and s2A", frozenset({"195/12", "195/94", "125/68"}), frozenset({"8L", "8Q"}),
         _harassment_step_five),
)


def rung_of(offence: Offence) -> Rung | None:
    """A HO code stands on its own step; a bare 8L or 8Q is read as the basic s2/s2A offence, the commonest by
    far (the s4/s4A forms need fear of violence or serious alarm, which only the HO code says)."""
    for rung in LADDER:
        if offence.ho_code in rung.ho_codes or (offence.ho_code is None and offence.classification in
                                                 rung.classifications):
            return rung
    return None


def conduct_folds_rivals(view: IncidentView, d: Disclosure) -> bool:
    """A course of conduct whose step folds every rival that is not itself a course of conduct: only then is it
    the principal crime over them ('it is only when a rule cannot be achieved that the next one will apply')."""
    if not course_of_conduct(view, d):
        return False
    rung = rung_of(view.offence(d.offence))
    return rung is not None and all(rung.folds(view.offence(c.offence)) for c in rivals(view, d)
                                    if not course_of_conduct(view, c))


def folded_into_conduct(view: IncidentView, d: Disclosure) -> bool:
    """This offence is folded into a rival course of conduct that is the principal crime over its rivals."""
    return not course_of_conduct(view, d) and any(
        course_of_conduct(view, c) and conduct_folds_rivals(view, c) for c in rivals(view, d))
