"""The review queue in an audit: incidents the crime indicators put up as possible unrecorded crimes, and what
the auditors' judgements made of them.

An open review is in no rate: nobody has yet said an offence was disclosed, and counting it either way would
move the recording rate on a guess. A judged one enters the recording figures as one candidate disclosure per
incident, the most serious offence the indicators suggest (several indicators on one incident usually read the
same events, so counting each would inflate the unrecorded crimes): `not_recorded` confirms it as a crime that
had to be recorded and was not, `recorded_correctly` as one that was (e.g. on a crime record outside the export),
`not_a_crime` dismisses it. The queue in the document is capped so the document stays small; the count is not.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from hocr_rules.facts.view import IncidentView
from hocr_rules.indicators.review import Review
from hocr_rules.model.incident import Disclosure

QUEUE_LIMIT = 1000
REVIEW_CASE = "review"  # the candidate disclosure's id in the recording figures
DISMISSED = "not_a_crime"


@dataclass
class ReviewFigures:
    incidents: int = 0
    by_indicator: Counter = field(default_factory=Counter)
    names: dict[str, str] = field(default_factory=dict)
    judged: int = 0
    by_judgement: Counter = field(default_factory=Counter)
    queue: list[dict] = field(default_factory=list)

    def add(self, incident: str, reviews: list[Review], judgement: str | None) -> None:
        self.incidents += 1
        for review in reviews:
            self.by_indicator[review.rule.code] += 1
            self.names[review.rule.code] = review.rule.name
        if judgement is not None:
            self.judged += 1
            self.by_judgement[judgement] += 1
        if len(self.queue) < QUEUE_LIMIT:
            self.queue.append({"incident": incident, "judgement": judgement,
                               "indicators": [r.rule.code for r in reviews],
                               "suggests": sorted({r.suggests for r in reviews if r.suggests}),
                               "evidence": [e.describe() for r in reviews for e in r.evidence][:5]})


def candidate(view: IncidentView, reviews: list[Review]) -> Disclosure | None:
    """The one candidate disclosure a judged incident adds: of the most serious offence suggested; None when no
    indicator could suggest one (a crime-related code), and the candidate is of no known category."""
    suggested = [r.suggests for r in reviews if r.suggests]
    if not suggested:
        return None
    offence = max(suggested, key=lambda code: view.offence(code).seriousness)
    return Disclosure(id=REVIEW_CASE, offence=offence, reported_by="victim")


def section(figures: ReviewFigures) -> dict:
    open_ = figures.incidents - figures.judged
    confirmed = figures.judged - figures.by_judgement[DISMISSED]
    return {
        "incidents": figures.incidents, "judged": figures.judged, "open": open_, "confirmed": confirmed,
        "dismissed": figures.by_judgement[DISMISSED], "by_judgement": dict(sorted(figures.by_judgement.items())),
        "by_indicator": [{"code": code, "name": figures.names[code], "incidents": count}
                         for code, count in sorted(figures.by_indicator.items())],
        "queue": figures.queue, "queue_truncated": max(0, figures.incidents - len(figures.queue)),
        "phrase": (f"{figures.incidents} incident(s) needed review as possible unrecorded crimes: {figures.judged} "
                   f"judged ({confirmed} confirmed, {figures.by_judgement[DISMISSED]} dismissed), {open_} open"
                   if figures.incidents else "no incident needed review as a possible unrecorded crime"),
    }
