"""Turning an audited recording rate into crimes a year, as inspection reports do.

Why: a rate of 83.6 % means little to a chief officer; "over 24,300 reported crimes not recorded each year" does.
HMICFRS derives that figure from the force's recorded crime for the 12 months to the end of the audit period,
N, and the audited rate p: if N crimes were recorded at rate p, about N / p were reported, so N (1 - p) / p
were not recorded. The Kent 2017 figures (83.6 % -> over 24,300; re-inspection 96.6 %) are consistent with it.

All three functions are the same identity, recorded = reported x rate, solved for different unknowns, so each
can check the others.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from hocr_rules.audit.proportions import Rate


@dataclass(frozen=True)
class Estimate:
    """A yearly count with the range implied by the rate's confidence interval (``high`` may be ``math.inf``)."""

    value: float
    low: float
    high: float


def unrecorded_per_year(recorded_per_year: int, rate: Rate) -> Estimate:
    """Reported crimes not recorded each year: N (1 - p) / p, with its range from the interval.

    A higher rate means fewer unrecorded crimes, so ``low`` comes from the interval's upper end and ``high`` from
    its lower end; a one-sided interval (every audited case recorded) gives value 0 and a finite ``high``.
    An interval reaching 0 % gives ``high = math.inf``: the audit cannot bound the figure.

    Raises ValueError when the rate has no cases (``rate.rate is None``) or is 0 %: no number of unrecorded
    crimes is implied then, and a silent None would travel into a report. A ``too_few`` rate is accepted; the
    caller should carry that warning with the estimate.
    """
    _check_recorded(recorded_per_year)
    if rate.rate is None or rate.interval is None:
        raise ValueError("the rate has no cases, so no estimate of unrecorded crimes can be made")
    if rate.rate == 0:
        raise ValueError("the rate is 0 %: with no audited crime recorded the unrecorded total is unbounded")
    return Estimate(
        value=_unrecorded(recorded_per_year, rate.rate),
        low=_unrecorded(recorded_per_year, rate.interval.high),
        high=_unrecorded(recorded_per_year, rate.interval.low),
    )


def additional_recorded_per_year(recorded_per_year: int, old_rate: float, new_rate: float) -> float:
    """Crimes a year recorded now that would not have been at the old rate: N (new - old) / new.

    Why this form: N crimes recorded at the new rate means N / new were reported; at the old rate N old / new
    of them would have been recorded. It is how a re-inspection says "an additional N crimes were recorded".
    Negative when the rate has fallen.
    """
    _check_recorded(recorded_per_year)
    _check_fraction("old_rate", old_rate, allow_zero=True)
    _check_fraction("new_rate", new_rate, allow_zero=False)
    return recorded_per_year * (new_rate - old_rate) / new_rate


def implied_recorded_per_year(unrecorded: float, rate: float) -> float:
    """The recorded total that, at this rate, leaves ``unrecorded`` crimes unrecorded: U p / (1 - p).

    The inverse of ``unrecorded_per_year``, for checking a published figure. Raises ValueError at a rate of
    100 % (any recorded total leaves none unrecorded) or 0 %.
    """
    if isinstance(unrecorded, bool) or not isinstance(unrecorded, (int, float)) or not unrecorded >= 0:
        raise ValueError(f"unrecorded must be a number of crimes, 0 or more; got {unrecorded!r}")
    _check_fraction("rate", rate, allow_zero=False)
    if rate == 1:
        raise ValueError("at a rate of 100 % nothing is unrecorded, so no recorded total is implied")
    return unrecorded * rate / (1 - rate)


def _unrecorded(recorded: int, p: float) -> float:
    return math.inf if p <= 0 else recorded * (1 - p) / p


def _check_recorded(recorded_per_year: int) -> None:
    if isinstance(recorded_per_year, bool) or not isinstance(recorded_per_year, int) or recorded_per_year < 0:
        raise ValueError(
            f"recorded_per_year must be a whole number of crimes, 0 or more (recorded crime for the 12 months"
            f" to the end of the audit period); got {recorded_per_year!r}"
        )


def _check_fraction(name: str, value: float, *, allow_zero: bool) -> None:
    lowest = "0" if allow_zero else "above 0"
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and (0 <= value <= 1)
    if not ok or (value == 0 and not allow_zero):
        raise ValueError(f"{name} must be a fraction from {lowest} to 1 (0.836 for 83.6 %); got {value!r}")
