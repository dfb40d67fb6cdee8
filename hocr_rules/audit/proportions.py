"""Recording rates with confidence intervals, worded the way the inspectorate words them.

Why: HMICFRS crime data integrity reports give each rate with a 95 % confidence interval ("83.6 %, confidence
interval +/- 1.85 %") and, where every audited report was recorded, a one-sided bound ("more than 98.2 % of
reported crimes were recorded"). A force audit unit that wants figures it can put beside an inspection needs the
same arithmetic and the same wording, plus a plain warning when a sample is too small to support a rate.

Three interval methods are offered because they answer different needs:
- ``wald`` (p +/- z * sqrt(p(1-p)/n)) is what a reader can check with a calculator and what the published
  intervals most resemble; it is degenerate at 0 % and 100 %, where the exact interval is used instead and the
  ``Interval.method`` says so.
- ``wilson`` keeps its stated coverage for small samples and rates near 100 %.
- ``exact`` (Clopper-Pearson) never under-covers; it is the conservative choice for a disputed figure.

Only the standard library is used at run time: the exact interval inverts the regularised incomplete beta
function by bisection (Numerical Recipes' continued fraction ``betacf`` with ``math.lgamma``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist
from typing import Iterable

METHODS = ("wald", "wilson", "exact")

# Below 10 cases a 95 % interval is more than +/- 30 percentage points wide (exact, 5 of 10: 18.7 % to 81.3 %),
# so a percentage would suggest a precision the sample does not have. The smallest groups the Kent 2017 report
# turns into judgements (11 robbery cancellations, 19 rape cancellations) sit just above this line.
DEFAULT_MIN_TRIALS = 10


@dataclass(frozen=True)
class Interval:
    """A confidence interval for a rate, both ends as fractions in [0, 1].

    ``one_sided`` is True when only the lower bound means anything (every case recorded): ``high`` is then 1.0.
    """

    low: float
    high: float
    method: str
    one_sided: bool


@dataclass(frozen=True)
class Rate:
    """A rate found by an audit: how many of how many, the interval, and whether it is fit to publish.

    ``rate`` and ``interval`` are None when there were no cases. ``too_few`` is True below ``min_trials``: the
    interval is still computed, for the record, but ``phrase`` refuses to state a percentage.
    """

    successes: int | float
    trials: int | float
    rate: float | None
    interval: Interval | None
    too_few: bool
    note: str

    def phrase(self, what: str = "reported crimes", verb: str = "were recorded") -> str:
        """The sentence an inspection report would print, e.g. "96.6 % of reported crimes were recorded,
        confidence interval +/- 1.27 %"; an interval that is not symmetric (Wilson, exact, or Wald clipped at
        0 or 100 %) is given by its ends instead, rounded outwards so the sentence is never stronger than it."""
        if self.rate is None or self.interval is None:
            return "no cases"
        if self.too_few:
            return f"too few cases (n = {_count(self.trials)}) for a reliable rate"
        interval = self.interval
        if interval.one_sided:
            return f"more than {low_percent(interval.low)} of {what} {verb}"
        if self.successes == 0:
            return f"0.0 % of {what} {verb}, confidence interval 0.0 % to {high_percent(interval.high)}"
        below, above = (self.rate - interval.low) * 100, (interval.high - self.rate) * 100
        if abs(below - above) < 0.005:  # symmetric (Wald, unclipped): the inspectorate's own form
            return f"{percent(self.rate)} of {what} {verb}, confidence interval +/- {above:.2f} %"
        return (f"{percent(self.rate)} of {what} {verb}, confidence interval {low_percent(interval.low)} to "
                f"{high_percent(interval.high)}")


def percent(fraction: float) -> str:
    """Every rate the audit prints, in the one form the JSON phrases, the table and the HTML share: "83.6 %"."""
    return f"{fraction * 100:.1f} %"


def low_percent(fraction: float) -> str:
    """A lower bound, rounded down so that the figure printed is never stronger than the bound."""
    return percent(math.floor(fraction * 1000 + 1e-9) / 1000)


def high_percent(fraction: float) -> str:
    """An upper bound, rounded up."""
    return percent(math.ceil(fraction * 1000 - 1e-9) / 1000)


def proportion(
    successes: int,
    trials: int,
    *,
    method: str = "wald",
    confidence: float = 0.95,
    min_trials: int = DEFAULT_MIN_TRIALS,
) -> Rate:
    """The rate ``successes / trials`` with a two-sided interval, or a one-sided lower bound when all succeeded."""
    for name, value in (("successes", successes), ("trials", trials), ("min_trials", min_trials)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{name} must be a whole number of cases, 0 or more; got {value!r}")
    if successes > trials:
        raise ValueError(f"successes ({successes}) cannot exceed trials ({trials}): count each case once")
    _check_method(method, confidence)
    return _rate(successes, trials, successes == trials, successes == 0, method, confidence, min_trials, [])


def weighted_proportion(
    cases: Iterable[tuple[bool, float]],
    *,
    method: str = "wald",
    confidence: float = 0.95,
    min_trials: int = DEFAULT_MIN_TRIALS,
) -> Rate:
    """A design-weighted rate: each case is (recorded?, weight), the weight being how many reports it stands for.

    p = sum(w * y) / sum(w). The interval is the chosen method applied to Kish's effective sample size
    n_eff = (sum w)^2 / sum(w^2), which is n for equal weights and smaller the more the weights vary.

    Why: an audit samples strata (crime types, routes) at different rates, so a case from a thinly sampled
    stratum counts for more reports. The inspectorate's published intervals are wider than the simple Wald
    interval on whole counts, which suggests such weighting; Kish's design effect is the usual approximation
    when only the weights are known. It ignores the precision gained by stratifying, so it errs on the wide side.

    The returned ``successes`` and ``trials`` are p * n_eff and n_eff, so the interval can be reproduced from
    them; ``too_few`` is judged on n_eff and the note gives the number of cases and the total weight.
    """
    _check_method(method, confidence)
    count, total, total_squares, weighted_successes = 0, 0.0, 0.0, 0.0
    any_success, any_failure = False, False
    for number, (recorded, weight) in enumerate(cases, start=1):
        if not isinstance(weight, (int, float)) or not math.isfinite(weight) or weight <= 0:
            raise ValueError(f"case {number}: weight must be a finite number above 0; got {weight!r}")
        count += 1
        total += weight
        total_squares += weight * weight
        if recorded:
            weighted_successes += weight
            any_success = True
        else:
            any_failure = True
    if count == 0:
        return Rate(0, 0, None, None, True, "no cases")
    n_eff = total * total / total_squares
    p = 1.0 if not any_failure else 0.0 if not any_success else weighted_successes / total
    note = f"weighted: {count} cases, total weight {total:g}, Kish effective n = {n_eff:.1f}"
    return _rate(p * n_eff, n_eff, not any_failure, not any_success, method, confidence, min_trials, [note])


def _check_method(method: str, confidence: float) -> None:
    if method not in METHODS:
        raise ValueError(f"unknown interval method {method!r}; use one of: {', '.join(METHODS)}")
    if isinstance(confidence, bool) or not isinstance(confidence, (int, float)) or not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, exclusive (0.95 for 95 %); got {confidence!r}")


def _rate(
    x: float, n: float, all_: bool, none_: bool, method: str, confidence: float, min_trials: int, notes: list[str]
) -> Rate:
    if n == 0:
        return Rate(x, n, None, None, True, "; ".join(notes + ["no cases"]))
    interval, fallback = _interval(x, n, all_, none_, method, confidence)
    too_few = n < min_trials
    if fallback:
        notes.append(fallback)
    if too_few:
        notes.append(f"too few cases (n = {_count(n)}) for a reliable rate")
    return Rate(x, n, 1.0 if all_ else 0.0 if none_ else x / n, interval, too_few, "; ".join(notes))


def _interval(x: float, n: float, all_: bool, none_: bool, method: str, confidence: float) -> tuple[Interval, str]:
    """The interval and, when the requested method could not be used, a note saying what was used instead."""
    alpha = 1 - confidence
    if all_:
        if method == "wilson":
            z = NormalDist().inv_cdf(confidence)
            return Interval(n / (n + z * z), 1.0, "wilson (one-sided)", True), ""
        low = alpha ** (1 / n)  # Clopper-Pearson one-sided: the p at which n of n has probability alpha
        if method == "wald":
            note = "wald is degenerate at 100 %; exact one-sided bound used"
            return Interval(low, 1.0, "exact (one-sided; wald is degenerate at 100 %)", True), note
        return Interval(low, 1.0, "exact (one-sided)", True), ""
    if method == "wald" and none_:
        high = _exact_bounds(x, n, alpha)[1]
        note = "wald is degenerate at 0 %; exact interval used"
        return Interval(0.0, high, "exact (wald is degenerate at 0 %)", False), note
    p = 0.0 if none_ else x / n
    if method == "exact":
        low, high = _exact_bounds(x, n, alpha)
        return Interval(low, high, "exact", False), ""
    z = NormalDist().inv_cdf(1 - alpha / 2)
    if method == "wald":
        half = z * math.sqrt(p * (1 - p) / n)
        return Interval(max(0.0, p - half), min(1.0, p + half), "wald", False), ""
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z / (1 + z2 / n) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    low = 0.0 if none_ else max(0.0, centre - half)  # exactly 0 in theory; rounding leaves about 1e-17
    return Interval(low, min(1.0, centre + half), "wilson", False), ""


def _exact_bounds(x: float, n: float, alpha: float) -> tuple[float, float]:
    """Clopper-Pearson: the beta quantiles Beta(alpha/2; x, n-x+1) and Beta(1-alpha/2; x+1, n-x)."""
    low = 0.0 if x <= 0 else _beta_quantile(alpha / 2, x, n - x + 1)
    high = 1.0 if x >= n else _beta_quantile(1 - alpha / 2, x + 1, n - x)
    return low, high


def _beta_quantile(q: float, a: float, b: float) -> float:
    """The x with I_x(a, b) = q, by bisection; I_x is increasing in x, and 200 halvings reach float resolution."""
    lo, hi = 0.0, 1.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if mid in (lo, hi):
            break
        if _betainc(a, b, mid) < q:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def _betainc(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b) (Numerical Recipes, 2nd ed., section 6.4)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1) / (a + b + 2):
        return front * _betacf(a, b, x) / a
    return 1 - front * _betacf(b, a, 1 - x) / b


def _betacf(a: float, b: float, x: float) -> float:
    """The continued fraction for the incomplete beta function, by the modified Lentz method."""
    tiny, eps = 1e-300, 1e-15
    qab, qap, qam = a + b, a + 1, a - 1
    c, d = 1.0, 1 - qab * x / qap
    d = 1 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 100_000):
        m2 = 2 * m
        for aa in (m * (b - m) * x / ((qam + m2) * (a + m2)), -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))):
            d = 1 + aa * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + aa / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1) < eps:
            return h
    raise ArithmeticError(f"incomplete beta continued fraction did not converge (a={a:g}, b={b:g}, x={x:g})")


def _count(n: int | float) -> str:
    return str(int(n)) if float(n).is_integer() else f"{n:.1f}"
