"""Yearly estimates, checked against the Kent 2017 inspection and its 2018 re-inspection."""

import math

import pytest

from hocr_rules.audit.estimates import (
    Estimate,
    additional_recorded_per_year,
    implied_recorded_per_year,
    unrecorded_per_year,
)
from hocr_rules.audit.proportions import proportion


@pytest.mark.parametrize(
    ("published", "k", "n"),
    [(24_300, 836, 1000), (10_600, 792, 1000), (400, 902, 1000)],
    ids=["overall-83.6", "violence-79.2", "sexual-offences-90.2"],
)
def test_kent_2017_over_n_unrecorded_is_reproduced_from_an_implied_recorded_total(published, k, n):
    p = k / n
    recorded = math.ceil(published * p / (1 - p))
    estimate = unrecorded_per_year(recorded, proportion(k, n))
    assert published <= estimate.value < published + 100
    assert estimate.low < estimate.value < estimate.high


def test_the_implied_recorded_total_is_the_inverse_of_the_unrecorded_estimate():
    assert implied_recorded_per_year(24_300, 0.836) == pytest.approx(24_300 * 0.836 / 0.164)
    recorded = implied_recorded_per_year(24_300, 0.836)
    assert recorded * (1 - 0.836) / 0.836 == pytest.approx(24_300)


def test_the_range_comes_from_the_interval_ends_with_a_higher_rate_giving_fewer_unrecorded():
    rate = proportion(836, 1000)
    estimate = unrecorded_per_year(100_000, rate)
    assert estimate == Estimate(
        value=pytest.approx(100_000 * 0.164 / 0.836),
        low=pytest.approx(100_000 * (1 - rate.interval.high) / rate.interval.high),
        high=pytest.approx(100_000 * (1 - rate.interval.low) / rate.interval.low),
    )


def test_when_every_audited_case_was_recorded_the_estimate_is_0_with_a_finite_upper_end():
    rate = proportion(200, 200, method="exact")
    estimate = unrecorded_per_year(50_000, rate)
    assert (estimate.value, estimate.low) == (0.0, 0.0)
    assert estimate.high == pytest.approx(50_000 * (1 - 0.05 ** (1 / 200)) / 0.05 ** (1 / 200))


def test_an_interval_reaching_0_percent_leaves_the_upper_end_unbounded():
    rate = proportion(1, 1500, method="wald")  # wald lower end is clipped to 0
    assert unrecorded_per_year(1000, rate).high == math.inf


@pytest.mark.parametrize(
    ("rate", "message"),
    [(proportion(0, 0), "the rate has no cases"), (proportion(0, 50), "the rate is 0 %")],
)
def test_no_estimate_is_made_from_an_empty_or_zero_rate(rate, message):
    with pytest.raises(ValueError, match=message):
        unrecorded_per_year(1000, rate)


@pytest.mark.parametrize("recorded", [-1, 1.5, True, None])
def test_the_recorded_total_must_be_a_whole_number_of_crimes(recorded):
    with pytest.raises(ValueError, match="recorded_per_year must be a whole number of crimes"):
        unrecorded_per_year(recorded, proportion(8, 10))


def test_kent_re_inspection_additional_crimes_follow_from_the_two_rates():
    recorded = 130_000
    reported = recorded / 0.966  # what the new rate implies was reported
    expected = recorded - reported * 0.836  # recorded now, minus what the old rate would have recorded
    assert additional_recorded_per_year(recorded, 0.836, 0.966) == pytest.approx(expected)
    assert additional_recorded_per_year(recorded, 0.836, 0.966) == pytest.approx(recorded * 0.13 / 0.966)


def test_a_falling_rate_gives_a_negative_number_of_additional_crimes():
    assert additional_recorded_per_year(1000, 0.9, 0.8) == pytest.approx(-125.0)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [(0.8, 0.0, "new_rate must be a fraction from above 0 to 1"), (-0.1, 0.9, "old_rate must be a fraction"),
     (0.8, 96.6, "new_rate must be a fraction"), (math.nan, 0.9, "old_rate")],
)
def test_rates_for_the_comparison_must_be_fractions(old, new, message):
    with pytest.raises(ValueError, match=message):
        additional_recorded_per_year(1000, old, new)


@pytest.mark.parametrize(
    ("unrecorded", "rate", "message"),
    [(100, 1.0, "at a rate of 100 %"), (100, 0.0, "rate must be a fraction from above 0"),
     (-5, 0.8, "unrecorded must be a number of crimes")],
)
def test_the_implied_total_needs_a_rate_strictly_between_0_and_100_percent(unrecorded, rate, message):
    with pytest.raises(ValueError, match=message):
        implied_recorded_per_year(unrecorded, rate)
