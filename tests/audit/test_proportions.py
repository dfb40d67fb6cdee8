"""Rates and intervals, checked against scipy and against the Kent 2017 inspection figures."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import beta, binomtest, norm

from hocr_rules.audit.proportions import DEFAULT_MIN_TRIALS, proportion, weighted_proportion

COUNTS = [(102, 112), (348, 446), (133, 292), (142, 167), (177, 290), (1, 2), (1, 10), (9, 10), (3, 7), (0, 5),
          (0, 1), (1, 1499), (1498, 1500)]
CONFIDENCES = [0.9, 0.95, 0.99]


def wald(k, n, confidence):
    p, z = k / n, norm.ppf(1 - (1 - confidence) / 2)
    half = z * math.sqrt(p * (1 - p) / n)
    return max(0.0, p - half), min(1.0, p + half)


def wilson(k, n, z):
    p = k / n
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z / (1 + z**2 / n) * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    return centre - half, centre + half


@pytest.mark.parametrize("confidence", CONFIDENCES)
@pytest.mark.parametrize(("k", "n"), COUNTS)
def test_exact_interval_matches_scipy_clopper_pearson(k, n, confidence):
    interval = proportion(k, n, method="exact", confidence=confidence).interval
    expected = binomtest(k, n).proportion_ci(confidence, method="exact")
    assert interval.low == pytest.approx(expected.low, abs=1e-10)
    assert interval.high == pytest.approx(expected.high, abs=1e-10)
    alpha = 1 - confidence
    if 0 < k:
        assert interval.low == pytest.approx(beta.ppf(alpha / 2, k, n - k + 1), abs=1e-10)
    assert (interval.method, interval.one_sided) == ("exact", False)


@pytest.mark.parametrize("confidence", CONFIDENCES)
@pytest.mark.parametrize(("k", "n"), COUNTS)
def test_wilson_interval_matches_scipy_and_the_formula(k, n, confidence):
    interval = proportion(k, n, method="wilson", confidence=confidence).interval
    expected = binomtest(k, n).proportion_ci(confidence, method="wilson")
    assert (interval.low, interval.high) == pytest.approx((expected.low, expected.high), abs=1e-12)
    low, high = wilson(k, n, norm.ppf(1 - (1 - confidence) / 2))
    assert (interval.low, interval.high) == pytest.approx((max(0.0, low), high), abs=1e-12)


@pytest.mark.parametrize("confidence", CONFIDENCES)
@pytest.mark.parametrize(("k", "n"), [c for c in COUNTS if c[0] > 0])
def test_wald_interval_is_p_plus_or_minus_z_standard_errors_clipped(k, n, confidence):
    interval = proportion(k, n, method="wald", confidence=confidence).interval
    assert (interval.low, interval.high) == pytest.approx(wald(k, n, confidence), abs=1e-12)
    assert interval.method == "wald"


@pytest.mark.parametrize("confidence", CONFIDENCES)
@pytest.mark.parametrize("n", [1, 2, 10, 19, 165, 1500])
def test_when_every_case_is_recorded_only_a_lower_bound_is_given(n, confidence):
    alpha = 1 - confidence
    greater = binomtest(n, n, alternative="greater")
    exact = proportion(n, n, method="exact", confidence=confidence).interval
    assert exact.low == pytest.approx(beta.ppf(alpha, n, 1), abs=1e-12)
    assert exact.low == pytest.approx(greater.proportion_ci(confidence, method="exact").low, abs=1e-12)
    assert (exact.high, exact.one_sided, exact.method) == (1.0, True, "exact (one-sided)")
    wil = proportion(n, n, method="wilson", confidence=confidence).interval
    assert wil.low == pytest.approx(greater.proportion_ci(confidence, method="wilson").low, abs=1e-12)
    assert wil.low == pytest.approx(n / (n + norm.ppf(confidence) ** 2), abs=1e-12)
    assert (wil.high, wil.one_sided) == (1.0, True)


def test_wald_at_100_percent_falls_back_to_the_exact_one_sided_bound_and_says_so():
    rate = proportion(50, 50, method="wald")
    assert rate.interval.low == pytest.approx(0.05 ** (1 / 50), abs=1e-12)
    assert rate.interval.one_sided
    assert rate.interval.method == "exact (one-sided; wald is degenerate at 100 %)"
    assert "wald is degenerate" in rate.note


def test_wald_at_0_percent_falls_back_to_the_exact_interval_and_says_so():
    rate = proportion(0, 40, method="wald")
    expected = binomtest(0, 40).proportion_ci(0.95, method="exact")
    assert (rate.interval.low, rate.interval.high) == pytest.approx((0.0, expected.high), abs=1e-10)
    assert rate.interval.method == "exact (wald is degenerate at 0 %)"
    assert rate.rate == 0.0


def test_no_cases_gives_no_rate():
    rate = proportion(0, 0)
    assert (rate.rate, rate.interval, rate.too_few) == (None, None, True)
    assert rate.phrase() == "no cases"


@pytest.mark.parametrize(("k", "n"), [(1, 1), (0, 1), (2, 3), (3, 3), (9, 9)])
def test_a_handful_of_cases_is_flagged_too_few_but_still_has_an_interval(k, n):
    rate = proportion(k, n, method="exact")
    assert rate.too_few and rate.interval is not None
    assert rate.phrase() == f"too few cases (n = {n}) for a reliable rate"


def test_the_too_few_limit_is_ten_cases_by_default_and_can_be_changed():
    assert DEFAULT_MIN_TRIALS == 10
    assert proportion(9, 9).too_few and not proportion(10, 10).too_few
    assert not proportion(2, 3, min_trials=3).too_few


@pytest.mark.parametrize(
    ("k", "n", "start"),
    [(102, 112, "91.1 %"), (348, 446, "78.0 %"), (133, 292, "45.5 %"), (142, 167, "85.0 %"), (177, 290, "61.0 %")],
)
def test_kent_2017_counts_reproduce_the_published_rates(k, n, start):
    wording = f"{start} of reported crimes were recorded, confidence interval +/- "
    assert proportion(k, n).phrase().startswith(wording)


def test_a_rate_near_96_6_percent_is_worded_as_the_inspectorate_words_it():
    low, high = wald(966, 1000, 0.95)
    expected = f"96.6 % of reported crimes were recorded, confidence interval +/- {(high - low) / 2 * 100:.2f} %"
    assert proportion(966, 1000).phrase() == expected == (
        "96.6 % of reported crimes were recorded, confidence interval +/- 1.12 %"
    )


def test_all_cases_recorded_is_worded_as_more_than_the_lower_bound():
    assert beta.ppf(0.05, 165, 1) == pytest.approx(0.98201, abs=1e-5)
    assert proportion(165, 165, method="exact").phrase() == "more than 98.2 % of reported crimes were recorded"


def test_the_one_sided_bound_is_rounded_down_so_the_sentence_is_never_too_strong():
    low = proportion(30, 30, method="exact").interval.low  # 0.9049..., which would round up to 90.5
    assert math.floor(low * 1000) / 10 == 90.4
    assert proportion(30, 30, method="exact").phrase().startswith("more than 90.4 %")


def test_no_case_recorded_is_worded_with_the_interval_ends():
    assert proportion(0, 40, method="exact").phrase() == (
        "0.0 % of reported crimes were recorded, confidence interval 0.0 % to 8.9 %"
    )


def test_the_phrase_can_name_other_things():
    rate = proportion(19, 19, method="exact")
    wording = "more than 85.4 % of rape cancellations were correct"
    assert rate.phrase("rape cancellations", "were correct") == wording


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((-1, 5), {}, "successes must be a whole number"),
        ((1, -5), {}, "trials must be a whole number"),
        ((6, 5), {}, r"successes \(6\) cannot exceed trials \(5\)"),
        ((1.0, 5), {}, "successes must be a whole number"),
        ((True, 5), {}, "successes must be a whole number"),
        ((1, 5), {"confidence": 0}, "confidence must be between 0 and 1"),
        ((1, 5), {"confidence": 1}, "confidence must be between 0 and 1"),
        ((1, 5), {"confidence": 95}, "confidence must be between 0 and 1"),
        ((1, 5), {"method": "agresti"}, "unknown interval method 'agresti'; use one of: wald, wilson, exact"),
    ],
)
def test_invalid_input_is_refused_with_a_clear_message(args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        proportion(*args, **kwargs)


@pytest.mark.parametrize("method", ["wald", "wilson", "exact"])
def test_equal_weights_give_the_unweighted_rate(method):
    cases = [(True, 2.5)] * 348 + [(False, 2.5)] * 98
    weighted, plain = weighted_proportion(cases, method=method), proportion(348, 446, method=method)
    assert weighted.rate == pytest.approx(plain.rate, abs=1e-12)
    assert weighted.trials == pytest.approx(446)
    assert weighted.interval.low == pytest.approx(plain.interval.low, abs=1e-9)
    assert weighted.interval.high == pytest.approx(plain.interval.high, abs=1e-9)


def test_a_weighted_rate_uses_kish_effective_sample_size():
    # Two strata: 40 violence cases each standing for 3 reports, 60 other cases each standing for 1.
    cases = [(True, 3.0)] * 30 + [(False, 3.0)] * 10 + [(True, 1.0)] * 54 + [(False, 1.0)] * 6
    rate = weighted_proportion(cases, method="wald")
    p = (30 * 3 + 54) / (40 * 3 + 60)
    n_eff = (40 * 3 + 60) ** 2 / (40 * 9 + 60)
    assert rate.rate == pytest.approx(p)
    assert rate.trials == pytest.approx(n_eff)
    half = norm.ppf(0.975) * math.sqrt(p * (1 - p) / n_eff)
    assert (rate.interval.low, rate.interval.high) == pytest.approx((p - half, p + half))
    assert half > norm.ppf(0.975) * math.sqrt(p * (1 - p) / 100)  # wider than treating it as 100 equal cases
    assert "100 cases" in rate.note and "Kish effective n = 77.1" in rate.note


def test_a_weighted_sample_with_every_case_recorded_gives_a_one_sided_bound():
    rate = weighted_proportion([(True, 1.0), (True, 4.0)] * 20, method="exact")
    n_eff = (5 * 20) ** 2 / (17 * 20)
    assert rate.rate == 1.0 and rate.interval.one_sided
    assert rate.interval.low == pytest.approx(0.05 ** (1 / n_eff))


def test_a_weighted_sample_with_no_cases_gives_no_rate():
    assert weighted_proportion([]).phrase() == "no cases"


@pytest.mark.parametrize("weight", [0, -1.0, math.nan, math.inf, "2"])
def test_weights_must_be_positive_finite_numbers(weight):
    with pytest.raises(ValueError, match="case 2: weight must be a finite number above 0"):
        weighted_proportion([(True, 1.0), (False, weight)])


counts = st.integers(1, 3000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n)))
methods = st.sampled_from(["wald", "wilson", "exact"])
confidences = st.floats(0.5, 0.999)


@settings(max_examples=150, deadline=None)
@given(counts, methods, confidences)
def test_every_interval_lies_in_0_1_and_contains_the_observed_rate(kn, method, confidence):
    k, n = kn
    rate = proportion(k, n, method=method, confidence=confidence)
    assert 0.0 <= rate.interval.low <= rate.rate <= rate.interval.high <= 1.0


@settings(max_examples=100, deadline=None)
@given(counts, methods, confidences, confidences)
def test_a_higher_confidence_never_narrows_the_interval(kn, method, c1, c2):
    lower, higher = sorted((c1, c2))
    narrow = proportion(*kn, method=method, confidence=lower).interval
    wide = proportion(*kn, method=method, confidence=higher).interval
    assert wide.low <= narrow.low + 1e-12 and narrow.high <= wide.high + 1e-12


@settings(max_examples=100, deadline=None)
@given(counts, confidences)
def test_exact_interval_matches_scipy_beta_quantiles_and_is_symmetric(kn, confidence):
    k, n = kn
    alpha = 1 - confidence
    interval = proportion(k, n, method="exact", confidence=confidence).interval
    if 0 < k < n:
        assert interval.low == pytest.approx(beta.ppf(alpha / 2, k, n - k + 1), abs=1e-9)
        assert interval.high == pytest.approx(beta.ppf(1 - alpha / 2, k + 1, n - k), abs=1e-9)
        mirror = proportion(n - k, n, method="exact", confidence=confidence).interval
        assert interval.low == pytest.approx(1 - mirror.high, abs=1e-9)
