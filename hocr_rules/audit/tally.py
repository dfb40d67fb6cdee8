"""Counting an audit: the engine's outcomes turned into the figures an inspection publishes.

One pass over (incident, IncidentResult) pairs in constant memory: counters per category, plus one count per
distinct sampling weight for weighted estimates. Auditors' judgements override the engine for the incidents
they judged. The definitions, in full and with reasons, are in docs/audit.md; in short:

- *had to be recorded*: the derived ``must_record`` (NC02) is true; when NC02 could not decide, the
  disclosure is ``not_evaluable``, counted apart in each of its categories, never dropped nor counted required.
- *recorded*: a linked crime record; for a rape report, a crime record of a rape offence (not an N100, not a
  lesser sexual offence), whatever its later status. Categories are judged on the offence reported.
- timeliness: TL01's outcomes (compliant = within the limit in force, breach = late, not evaluable apart).
- N100: a rape report NR01 judged, with no rape crime record, that did not have to be crimed, *needed an N100*;
  an N100 record is *wrong* when an NR rule breached on it or on its disclosure; NR03's judged cases *should
  have been rape crimes from the outset* (its compliant ones were crimed later).
- cancellations: records transferred or cancelled, grouped by the offence recorded; *correct* when no CA rule
  on the decision breached and each could be evaluated (else ``not_evaluable``, outside ``reviewed``). CA09
  (victim informed) is counted on its own and kept out of *correct*, as the inspectorate does: Kent 2017 had
  52 of 70 cancellations correct but 49 of 70 victims informed.
- reviews (possible unrecorded crimes raised by the crime indicators): open ones are counted apart, in no rate;
  a judged one adds one candidate disclosure before the judgement is applied (hocr_rules.audit.review_queue).
- judgements (per incident) change the recording figures only: ``not_a_crime`` clears every disclosure; else
  the disclosures NC02 did not rule out (all, if it ruled out every one) become required, recorded for
  ``recorded_correctly``; ``not_recorded`` keeps the engine's detail unless that leaves none unrecorded.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from hocr_rules.audit import review_queue
from hocr_rules.audit.sampling import Judgement
from hocr_rules.engine.outcomes import BREACH, COMPLIANT, NOT_EVALUABLE, IncidentResult
from hocr_rules.errors import HocrError, InputError
from hocr_rules.facts.view import DOMESTIC_RELATIONSHIPS, IncidentView
from hocr_rules.intake import Accepted, Read
from hocr_rules.model.incident import Disclosure, Incident
from hocr_rules.offences import OffenceTable
from hocr_rules.reporting import Reporting
from hocr_rules.screening import Engine, Summary, screen

CATEGORIES = ("all", "violence", "sexual", "rape", "domestic_abuse", "safeguarding_referral")
TIMELINESS_GROUPS = CATEGORIES + ("other",)
CANCELLATION_GROUPS = ("rape", "other_sexual", "violence", "robbery", "other")
SAFEGUARDING_CHANNELS = frozenset({"public_protection"})
VIOLENCE, SEXUAL, ROBBERY = "violence_against_the_person", "sexual_offences", "robbery"
MUST_RECORD = "must_record"
TIMELINESS_RULE, N100_RULES, RAPE_REPORT_RULE, N100_INSTEAD_OF_CRIME = "TL01", "NR", "NR01", "NR03"
CANCELLATION_RULES, VICTIM_INFORMED_RULE = "CA", "CA09"


class AuditError(HocrError):
    """An audit that cannot be counted as asked (a pack without NC02, a bad baseline or option)."""


@dataclass
class Recording:
    """One category's recording figures; ``weights`` maps (recorded, weight) to a count of required cases."""

    examined: int = 0
    required: int = 0
    recorded: int = 0
    not_evaluable: int = 0
    unweighted: int = 0
    weights: Counter = field(default_factory=Counter)

    def weighted_cases(self) -> Iterator[tuple[bool, float]]:
        for (recorded, weight), count in sorted(self.weights.items()):
            for _ in range(count):
                yield recorded, weight


@dataclass
class Timeliness:
    recorded: int = 0
    within_limit: int = 0
    not_evaluable: int = 0
    limits_hours: Counter = field(default_factory=Counter)


@dataclass
class N100Figures:
    needing: int = 0
    with_n100: int = 0
    not_evaluable: int = 0
    records: int = 0
    records_wrong: int = 0
    wrong_by_rule: Counter = field(default_factory=Counter)
    should_have_been_crimes: int = 0
    crimed_later: int = 0


@dataclass
class Cancellations:
    reviewed: int = 0
    correct: int = 0
    not_evaluable: int = 0
    victim_informed: int = 0
    victim_informed_required: int = 0
    victim_informed_not_evaluable: int = 0
    wrong_by_rule: Counter = field(default_factory=Counter)


@dataclass
class Judged:
    rows: int = 0
    unjudged: int = 0
    applied: int = 0
    overridden: int = 0
    by_outcome: Counter = field(default_factory=Counter)
    not_found: int = 0


@dataclass(frozen=True)
class Case:
    """One disclosure as the recording figures see it."""

    disclosure: str
    categories: tuple[str, ...]
    must_record: bool | None
    recorded: bool


class Tally:
    def __init__(self, offences: OffenceTable, judgements: Mapping[str, Judgement] | None = None,
                 rule_codes: Iterable[str] = ()):
        self.offences = offences
        self.judgements = {k: j for k, j in (judgements or {}).items() if j.outcome}
        self.rule_codes = frozenset(rule_codes)
        self.incidents = self.weighted_incidents = 0
        self.recording = {name: Recording() for name in CATEGORIES}
        self.timeliness = {name: Timeliness() for name in TIMELINESS_GROUPS}
        self.cancellations = {name: Cancellations() for name in CANCELLATION_GROUPS}
        self.n100 = N100Figures()
        self.judged = Judged(rows=len(judgements or {}), unjudged=len(judgements or {}) - len(self.judgements))
        self.review = review_queue.ReviewFigures()
        self._seen_judged: set[str] = set()

    def add(self, incident: Incident, result: IncidentResult) -> None:
        view = IncidentView(incident, self.offences)
        self.incidents += 1
        weight = incident.sampling_weight
        self.weighted_incidents += weight is not None
        cases = disclosure_cases(view, result)
        judgement = self.judgements.get(incident.id)
        if result.reviews:
            self.review.add(incident.id, result.reviews, judgement.outcome if judgement else None)
        if judgement is not None:
            self._seen_judged.add(incident.id)
            self.judged.applied += 1
            self.judged.by_outcome[judgement.outcome] += 1
            engine = incident_outcome(cases, bool(result.reviews))
            self.judged.overridden += engine != "review" and judgement.outcome != engine  # a review is a question
            if result.reviews and judgement.outcome != review_queue.DISMISSED:
                cases = cases + [review_case(view, result.reviews)]
            cases = judged_cases(cases, judgement.outcome)
        for case in cases:
            for name in case.categories:
                self._count(self.recording[name], case, weight)
        self._outcomes(view, result)

    def finish(self) -> Tally:
        """Call after the last incident: counts the judged incidents that were not in the input."""
        self.judged.not_found = len(self.judgements.keys() - self._seen_judged)
        return self

    @staticmethod
    def _count(figures: Recording, case: Case, weight: float | None) -> None:
        figures.examined += 1
        if case.must_record is None:
            figures.not_evaluable += 1
        elif case.must_record:
            figures.required += 1
            figures.recorded += case.recorded
            if weight is None:
                figures.unweighted += 1
            else:
                figures.weights[(case.recorded, weight)] += 1

    def _outcomes(self, view: IncidentView, result: IncidentResult) -> None:
        by_subject: dict[tuple[str, str], list] = {}
        for o in result.outcomes:
            by_subject.setdefault((o.subject_kind, o.subject_id), []).append(o)
        for d in view.incident.disclosures:
            for o in by_subject.get(("disclosure", d.id), ()):
                if o.rule.code == TIMELINESS_RULE:
                    for name in timeliness_groups(view, d):
                        _time(self.timeliness[name], o)
                elif o.rule.code == RAPE_REPORT_RULE:
                    self._rape_report(view, d, o.outcome, result.derived.get(("disclosure", d.id), {}))
                elif o.rule.code == N100_INSTEAD_OF_CRIME and o.outcome in (BREACH, COMPLIANT):
                    self.n100.should_have_been_crimes += 1
                    self.n100.crimed_later += o.outcome == COMPLIANT
        for n in view.incident.n100s:
            wrong = {o.rule.code for key in (("n100", n.id), ("disclosure", n.disclosure))
                     for o in by_subject.get(key, ()) if o.rule.code.startswith(N100_RULES) and o.outcome == BREACH}
            self.n100.records += 1
            self.n100.records_wrong += bool(wrong)
            self.n100.wrong_by_rule.update(wrong)
        for c in view.incident.crime_records:
            if c.status in ("transferred", "cancelled"):
                mine = [o for o in by_subject.get(("crime_record", c.reference), ())
                        if o.rule.code.startswith(CANCELLATION_RULES)]
                _cancellation(self.cancellations[cancellation_group(view, c.offence)], mine)

    def _rape_report(self, view: IncidentView, d: Disclosure, outcome: str, derived: dict) -> None:
        """A rape report with no rape crime record that did not have to be crimed needed an N100."""
        if outcome not in (BREACH, COMPLIANT, NOT_EVALUABLE) or _rape_crime(view, d) or derived.get(MUST_RECORD):
            return
        if outcome == NOT_EVALUABLE or derived.get(MUST_RECORD) is None:
            self.n100.not_evaluable += 1
        else:
            self.n100.needing += 1
            self.n100.with_n100 += d.id in view.n100s_by_disclosure


def _time(figures: Timeliness, outcome) -> None:
    if outcome.outcome == NOT_EVALUABLE:
        figures.not_evaluable += 1
    elif outcome.outcome in (BREACH, COMPLIANT):
        figures.recorded += 1
        figures.within_limit += outcome.outcome == COMPLIANT
        limit = (outcome.version.parameters.get("limit_hours") if outcome.version is not None else None)
        if limit is not None:
            figures.limits_hours[limit] += 1


def _cancellation(figures: Cancellations, outcomes: list) -> None:
    decision = [o for o in outcomes if o.rule.code != VICTIM_INFORMED_RULE]
    breached = {o.rule.code for o in decision if o.outcome == BREACH}
    judged = [o for o in decision if o.outcome in (BREACH, COMPLIANT)]
    if breached:
        figures.reviewed += 1
        figures.wrong_by_rule.update(breached)
    elif judged and not any(o.outcome == NOT_EVALUABLE for o in decision):
        figures.reviewed += 1
        figures.correct += 1
    else:
        figures.not_evaluable += 1
    for o in outcomes:
        if o.rule.code == VICTIM_INFORMED_RULE:
            if o.outcome == NOT_EVALUABLE:
                figures.victim_informed_not_evaluable += 1
            elif o.outcome in (BREACH, COMPLIANT):
                figures.victim_informed_required += 1
                figures.victim_informed += o.outcome == COMPLIANT


def disclosure_cases(view: IncidentView, result: IncidentResult) -> list[Case]:
    """Each disclosure with its categories, NC02's must_record and whether it was recorded."""
    cases = []
    for d in view.incident.disclosures:
        derived = result.derived.get(("disclosure", d.id)) or {}
        if MUST_RECORD not in derived:
            raise AuditError(f"incident {view.incident.id}: the rule pack derives no {MUST_RECORD} (rule NC02), "
                             "so the recording rate cannot be counted; do not disable NC02 in the profile")
        recorded = _rape_crime(view, d) if _is_rape(view, d.offence) else d.id in view.crimes_by_disclosure
        cases.append(Case(d.id, categories(view, d), derived[MUST_RECORD], recorded))
    return cases


def incident_outcome(cases: list[Case], review: bool = False) -> str:
    """The engine's view of an incident as a whole, in the worksheet's words (plus not_evaluable, and review
    when an indicator raised a possible unrecorded crime that nothing else settles)."""
    if any(c.must_record and not c.recorded for c in cases):
        return "not_recorded"
    if review:
        return "review"
    if any(c.must_record is None for c in cases):
        return "not_evaluable"
    return "recorded_correctly" if any(c.must_record for c in cases) else "not_a_crime"


def judged_cases(cases: list[Case], outcome: str) -> list[Case]:
    """The cases as the auditor's judgement of the whole incident has them (see the module docstring)."""
    if outcome == "not_a_crime":
        return [Case(c.disclosure, c.categories, False, c.recorded) for c in cases]
    candidates = {c.disclosure for c in cases if c.must_record is not False} or {c.disclosure for c in cases}
    recorded_correctly = outcome == "recorded_correctly"
    keep = not recorded_correctly and not all(c.recorded for c in cases if c.disclosure in candidates)
    return [Case(c.disclosure, c.categories, True, recorded_correctly or (keep and c.recorded))
            if c.disclosure in candidates else c for c in cases]


def review_case(view: IncidentView, reviews: list) -> Case:
    """A judged review's candidate disclosure as a case, not yet decided (see hocr_rules.audit.review_queue)."""
    d = review_queue.candidate(view, reviews)
    if d is not None:
        found = categories(view, d)
    else:
        found = ("all",) + (("domestic_abuse",) if "domestic_abuse" in view.incident.qualifiers else ()) + (
            ("safeguarding_referral",) if view.incident.channel in SAFEGUARDING_CHANNELS else ())
    return Case(review_queue.REVIEW_CASE, found, None, False)


def categories(view: IncidentView, d: Disclosure) -> tuple[str, ...]:
    offence = view.offence(d.offence)
    rape = "rape" in offence.families
    found = ["all"]
    found += ["violence"] if offence.group == VIOLENCE else []
    found += ["sexual"] if offence.group == SEXUAL or rape else []
    found += ["rape"] if rape else []
    found += ["domestic_abuse"] if _domestic(view, d) else []
    found += ["safeguarding_referral"] if view.incident.channel in SAFEGUARDING_CHANNELS else []
    return tuple(found)


def timeliness_groups(view: IncidentView, d: Disclosure) -> tuple[str, ...]:
    found = categories(view, d)
    return found if {"violence", "sexual"} & set(found) else found + ("other",)


def cancellation_group(view: IncidentView, offence_code: str) -> str:
    offence = view.offence(offence_code)
    if "rape" in offence.families:
        return "rape"
    return {SEXUAL: "other_sexual", VIOLENCE: "violence", ROBBERY: "robbery"}.get(offence.group, "other")


def incident_category(view: IncidentView) -> str:
    """One stratum per incident for sampling: rape, sexual, violence or other, the first its disclosures reach."""
    found = {name for d in view.incident.disclosures for name in categories(view, d)}
    return next((name for name in ("rape", "sexual", "violence") if name in found), "other")


def with_incidents(reads: Iterable[Read], engine: Engine, summary: Summary, strict: bool = False,
                   reporting: Reporting | None = None) -> Iterator[tuple[Incident, IncidentResult] | InputError]:
    """`screening.screen`, keeping each incident beside its result (screen evaluates one read at a time)."""
    current: list[Incident] = []

    def remember() -> Iterator[Read]:
        for item in reads:
            if isinstance(item, Accepted):
                current[:] = [item.incident]
            yield item

    for item in screen(remember(), engine, summary, strict, reporting):
        yield item if isinstance(item, InputError) else (current[0], item)


def _is_rape(view: IncidentView, code: str) -> bool:
    return "rape" in view.offence(code).families


def _rape_crime(view: IncidentView, d: Disclosure) -> bool:
    return any(_is_rape(view, c.offence) for c in view.crimes_by_disclosure.get(d.id, ()))


def _domestic(view: IncidentView, d: Disclosure) -> bool:
    if "domestic_abuse" in view.incident.qualifiers:
        return True
    under_16 = any(age is not None and age < 16 for age in view.ages(d.victims + d.offenders))
    return bool(view.relationships(d.victims) & DOMESTIC_RELATIONSHIPS) and not under_16
