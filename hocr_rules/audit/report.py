"""The audit document: a tally turned into rates, intervals, estimates and sentences, as one JSON-ready dict.

The schema (``hocr-audit/1``) is documented in docs/audit.md and is stable: keys are added, never renamed or
removed, within a schema version. Rates and interval ends are fractions (0.836 for 83.6 %); a figure that
cannot be given is null and a note or ``too_few`` says why. Each figure carries the sentence an inspection
report would print (``phrase``), so the terminal, JSON and HTML say the same thing.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass

from hocr_rules import textfiles
from hocr_rules.audit import review_queue
from hocr_rules.audit.estimates import additional_recorded_per_year, unrecorded_per_year
from hocr_rules.audit.proportions import DEFAULT_MIN_TRIALS, Rate, proportion, weighted_proportion
from hocr_rules.audit.tally import (CANCELLATION_GROUPS, CATEGORIES, TIMELINESS_GROUPS, VICTIM_INFORMED_RULE,
                                    AuditError, Cancellations, Recording, Tally, Timeliness)
from hocr_rules.screening import Summary

SCHEMA = "hocr-audit/1"

#: What each category counts, as the noun of the published sentence ("91.1 % of reports of rape were recorded").
WHAT = {"all": "reported crimes", "violence": "reported violent crimes",
        "sexual": "reported sexual offences (including rape)", "rape": "reports of rape",
        "domestic_abuse": "reported domestic abuse crimes",
        "safeguarding_referral": "crimes reported through safeguarding (public protection) referrals",
        "other": "other offences"}
TIMED = {"all": "crimes", "violence": "violent crimes", "sexual": "sexual offences", "rape": "reports of rape",
         "domestic_abuse": "domestic abuse crimes", "safeguarding_referral": "crimes from safeguarding referrals",
         "other": "other offences"}
CANCELLED = {"rape": "rape", "other_sexual": "other sexual offence", "violence": "violent crime",
             "robbery": "robbery", "other": "other", "all": "all"}


@dataclass(frozen=True)
class Baseline:
    """A previous audit's rates by category name, from its JSON (only ``categories[].name`` and ``rate``)."""

    source: str
    rates: dict[str, float]


def load_baseline(path: str | os.PathLike[str]) -> Baseline:
    where = os.fspath(path)
    try:
        data = json.loads(textfiles.read_text(path, "baseline"))
    except json.JSONDecodeError as error:
        raise AuditError(f"{where}:{error.lineno}: the baseline is not JSON ({error.msg})") from None
    items = data.get("categories") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise AuditError(f"{where}: a baseline needs a list 'categories' of {{\"name\": ..., \"rate\": ...}}, as "
                         "`hocr audit --format json` writes")
    rates = {}
    for index, item in enumerate(items):
        name, rate = (item.get("name"), item.get("rate")) if isinstance(item, dict) else (None, None)
        if name not in CATEGORIES:
            raise AuditError(f"{where}: categories.{index}.name: {name!r} is not one of {', '.join(CATEGORIES)}")
        if rate is None:
            continue
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate <= 1:
            raise AuditError(f"{where}: categories.{index}.rate: {rate!r} is not a fraction from 0 to 1 "
                             "(0.836 for 83.6 %)")
        rates[name] = float(rate)
    return Baseline(where, rates)


def build(tally: Tally, summary: Summary | None = None, *, method: str = "wald", confidence: float = 0.95,
          min_cases: int = DEFAULT_MIN_TRIALS, recorded_per_year: Mapping[str, int] | None = None,
          baseline: Baseline | None = None, weighted: bool = True) -> dict:
    """The whole audit document. Raises AuditError for an unknown method, confidence or category."""
    per_year = dict(recorded_per_year or {})
    unknown = sorted(set(per_year) - set(CATEGORIES))
    if unknown:
        raise AuditError(f"--recorded-per-year: unknown category {', '.join(unknown)}; use {', '.join(CATEGORIES)}")
    notes: list[str] = []
    try:
        categories = [_category(name, tally.recording[name], method, confidence, min_cases, weighted,
                                per_year.get(name), baseline, notes) for name in CATEGORIES]
    except ValueError as error:
        raise AuditError(str(error)) from None
    if summary is not None and summary.rejected:
        notes.append(f"{summary.rejected} record(s) rejected as invalid are not in these figures")
    if 0 < tally.weighted_incidents < tally.incidents and weighted:
        notes.append(f"only {tally.weighted_incidents} of {tally.incidents} incidents carry a sampling weight, so "
                     "rates are unweighted; give every incident a weight or none")
    if tally.rule_codes and VICTIM_INFORMED_RULE not in tally.rule_codes:
        notes.append(f"{VICTIM_INFORMED_RULE} (victim informed) is not in the rule pack: victims informed are not "
                     "counted")
    if tally.review.incidents > tally.review.judged:
        notes.append(f"{tally.review.incidents - tally.review.judged} incident(s) need review as possible unrecorded "
                     "crimes and are in no rate until judged; `hocr sample --from review` draws them for the auditors")
    undecided = tally.recording["all"].not_evaluable
    if undecided:
        notes.append(f"{undecided} disclosure(s) could not be judged (whether they had to be recorded is unknown) "
                     "and are left out of the rates; `hocr check --all-outcomes` lists them")
    return {
        "schema": SCHEMA,
        "settings": {"ci_method": method, "confidence": confidence, "min_cases": min_cases, "weighted": weighted,
                     "recorded_per_year": per_year or None},
        "input": {"read": summary.read if summary else tally.incidents,
                  "evaluated": summary.evaluated if summary else tally.incidents,
                  "rejected": summary.rejected if summary else 0,
                  "incidents_with_weight": tally.weighted_incidents},
        "categories": categories,
        "timeliness": [_timeliness(name, tally.timeliness[name]) for name in TIMELINESS_GROUPS],
        "n100": _n100(tally),
        "cancellations": [_cancellations(name, tally.cancellations[name]) for name in CANCELLATION_GROUPS]
        + [_cancellations("all", _sum_cancellations(tally.cancellations.values()))],
        "judgements": _judgements(tally),
        "review": review_queue.section(tally.review),
        "baseline": {"source": baseline.source, "rates": baseline.rates} if baseline else None,
        "notes": notes,
    }


def _category(name: str, figures: Recording, method: str, confidence: float, min_cases: int, weighted: bool,
              per_year: int | None, baseline: Baseline | None, notes: list[str]) -> dict:
    use_weights = weighted and figures.weights and not figures.unweighted
    rate = (weighted_proportion(figures.weighted_cases(), method=method, confidence=confidence,
                                min_trials=min_cases) if use_weights else
            proportion(figures.recorded, figures.required, method=method, confidence=confidence,
                       min_trials=min_cases))
    interval = rate.interval
    what = WHAT[name]
    return {
        "name": name, "label": what, "examined": figures.examined, "required": figures.required,
        "recorded": figures.recorded, "not_recorded": figures.required - figures.recorded,
        "not_evaluable": figures.not_evaluable,
        "rate": rate.rate, "ci_low": interval.low if interval else None, "ci_high": interval.high if interval else None,
        "ci_method": interval.method if interval else method, "one_sided": bool(interval and interval.one_sided),
        "too_few": rate.too_few, "weighted": bool(use_weights),
        "effective_n": rate.trials if use_weights else figures.required, "note": rate.note,
        "phrase": rate.phrase(what), "count_phrase": count_phrase(figures.recorded, figures.required, what),
        "unrecorded_per_year": _estimate(name, rate, per_year, notes),
        "baseline": _compare(name, rate, per_year, baseline),
    }


def count_phrase(recorded: int, required: int, what: str) -> str:
    if required == 0:
        return f"no {what} had to be recorded"
    return f"{recorded} of {required} {what} that should have been recorded were recorded"


def _estimate(name: str, rate: Rate, per_year: int | None, notes: list[str]) -> dict | None:
    if per_year is None:
        return None
    if rate.rate is None or rate.rate == 0 or rate.too_few:
        notes.append(f"no yearly estimate for {name}: {rate.note or 'the rate is 0 %'}")
        return None
    estimate = unrecorded_per_year(per_year, rate)
    noun = WHAT[name]
    span = ("no upper bound" if math.isinf(estimate.high) else f"{_about(estimate.low)} to {_about(estimate.high)}")
    return {"recorded_per_year": per_year, "value": estimate.value, "low": estimate.low,
            "high": None if math.isinf(estimate.high) else estimate.high,
            "phrase": f"{over(estimate.value)} {noun} not recorded each year (range {span})"}


def _compare(name: str, rate: Rate, per_year: int | None, baseline: Baseline | None) -> dict | None:
    if baseline is None or name not in baseline.rates or rate.rate is None:
        return None
    old, new = baseline.rates[name], rate.rate
    extra = additional_recorded_per_year(per_year, old, new) if per_year is not None and new > 0 else None
    direction = "up" if new > old else "down" if new < old else "unchanged"
    points = abs(new - old) * 100
    phrase = (f"{new * 100:.1f} %, {direction} {points:.1f} points from {old * 100:.1f} %"
              if direction != "unchanged" else f"{new * 100:.1f} %, unchanged")
    if extra is not None:
        phrase += (f"; an estimated {_about(abs(extra))} {'additional' if extra >= 0 else 'fewer'} "
                   "crimes recorded each year")
    return {"rate": old, "change": new - old, "additional_recorded_per_year": extra, "phrase": phrase}


def over(value: float) -> str:
    """How inspection reports state a yearly estimate: rounded down to the hundred ("over 24,300")."""
    step = 100 if value >= 100 else 10 if value >= 10 else 1
    floored = math.floor(value / step) * step
    if floored == 0:
        return "fewer than 1" if value > 0 else "no"
    return f"{'over' if floored < value else 'about'} {floored:,}"


def _timeliness(name: str, figures: Timeliness) -> dict:
    limits = sorted(figures.limits_hours)
    limit = ("within the time limit" if not limits else f"within {limits[0]:g} hours" if len(limits) == 1 else
             "within the limit in force (" + " or ".join(f"{h:g}" for h in limits) + " hours)")
    phrase = (f"{figures.within_limit} of {figures.recorded} {TIMED[name]} were recorded {limit}"
              if figures.recorded else f"no {TIMED[name]} recorded could be timed")
    return {"name": name, "label": TIMED[name], "recorded": figures.recorded, "within_limit": figures.within_limit,
            "late": figures.recorded - figures.within_limit, "not_evaluable": figures.not_evaluable,
            "limits_hours": limits, "rate": figures.within_limit / figures.recorded if figures.recorded else None,
            "phrase": phrase}


def _n100(tally: Tally) -> dict:
    n = tally.n100
    return {
        "rape_reports_needing_n100": n.needing, "with_n100": n.with_n100, "not_evaluable": n.not_evaluable,
        "n100_records": n.records, "n100_records_wrong": n.records_wrong,
        "wrong_by_rule": dict(sorted(n.wrong_by_rule.items())),
        "should_have_been_rape_crimes": n.should_have_been_crimes, "crimed_later": n.crimed_later,
        "phrase": (f"an N100 was applied on {n.with_n100} of {n.needing} rape reports that should have had one"
                   if n.needing else "no rape report needed an N100"),
        "records_phrase": (f"{n.records_wrong} of {n.records} N100 records were wrong; {n.should_have_been_crimes} "
                           f"should have been rape crimes from the outset ({n.crimed_later} crimed later)"
                           if n.records else "no N100 records"),
    }


def _cancellations(group: str, figures: Cancellations) -> dict:
    what = CANCELLED[group]
    kind = "cancellations" if group == "all" else f"{what} cancellations"
    return {
        "group": group, "label": what, "reviewed": figures.reviewed, "correct": figures.correct,
        "wrong": figures.reviewed - figures.correct, "not_evaluable": figures.not_evaluable,
        "wrong_by_rule": dict(sorted(figures.wrong_by_rule.items())),
        "rate": figures.correct / figures.reviewed if figures.reviewed else None,
        "victim_informed": figures.victim_informed, "victim_informed_required": figures.victim_informed_required,
        "victim_informed_not_evaluable": figures.victim_informed_not_evaluable,
        "phrase": (f"{figures.correct} of {figures.reviewed} {kind} were correct" if figures.reviewed
                   else f"no {kind} could be reviewed"),
        "victim_phrase": (f"{figures.victim_informed} of {figures.victim_informed_required} victims were informed "
                          f"of the cancellation of their crime" if figures.victim_informed_required
                          else "no victim needed to be informed"),
    }


def _sum_cancellations(groups) -> Cancellations:
    total = Cancellations()
    for figures in groups:
        for key in ("reviewed", "correct", "not_evaluable", "victim_informed", "victim_informed_required",
                    "victim_informed_not_evaluable"):
            setattr(total, key, getattr(total, key) + getattr(figures, key))
        total.wrong_by_rule.update(figures.wrong_by_rule)
    return total


def _judgements(tally: Tally) -> dict | None:
    j = tally.judged
    if not j.rows:
        return None
    return {"rows": j.rows, "unjudged": j.unjudged, "applied": j.applied, "overridden": j.overridden,
            "by_outcome": dict(sorted(j.by_outcome.items())), "not_found": j.not_found,
            "phrase": f"auditors judged {j.applied} incident(s); {j.overridden} overrode the engine's outcome"
                      + (f"; {j.not_found} judged incident(s) were not in the input" if j.not_found else "")}


def _about(value: float) -> str:
    """A yearly estimate for a sentence: to the nearest hundred from 1,000 up, else to the whole crime."""
    return f"{round(value, -2 if value >= 1000 else 0):,.0f}"
