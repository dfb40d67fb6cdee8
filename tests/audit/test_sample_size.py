"""Sample sizes for an audit, checked by hand and against scipy's normal quantile."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import norm

from hocr_rules.audit.sample_size import sample_size


def test_about_90_percent_within_2_points_needs_865_reports():
    z = norm.ppf(0.975)
    assert z == pytest.approx(1.959964, abs=1e-6)
    assert 0.9 * 0.1 * z**2 / 0.02**2 == pytest.approx(864.3, abs=0.05)
    assert sample_size(0.9, 0.02) == 865


def test_a_population_of_5000_needs_fewer():
    n0 = 0.9 * 0.1 * norm.ppf(0.975) ** 2 / 0.02**2
    assert sample_size(0.9, 0.02, population=5000) == math.ceil(n0 / (1 + (n0 - 1) / 5000)) == 738


@pytest.mark.parametrize("confidence", [0.9, 0.95, 0.99])
def test_the_confidence_sets_z(confidence):
    z = norm.ppf(1 - (1 - confidence) / 2)
    assert sample_size(0.5, 0.03, confidence=confidence) == math.ceil(0.25 * z**2 / 0.03**2)


def test_the_sample_never_exceeds_a_small_population():
    assert sample_size(0.5, 0.01, population=50) <= 50
    assert sample_size(0.5, 0.01, population=1) == 1


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((0.0, 0.02), {}, "expected must be a fraction strictly between 0 and 1"),
        ((1.0, 0.02), {}, "use 0.5 when the rate is unknown"),
        ((90, 0.02), {}, "expected must be a fraction"),
        ((0.9, 0.0), {}, "margin must be a fraction"),
        ((0.9, 2), {}, "margin must be a fraction"),
        ((0.9, 0.02), {"confidence": 1.0}, "confidence must be a fraction"),
        ((0.9, 0.02), {"population": 0}, "population must be a whole number"),
        ((0.9, 0.02), {"population": 100.0}, "population must be a whole number"),
    ],
)
def test_invalid_input_is_refused_with_a_clear_message(args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        sample_size(*args, **kwargs)


@given(st.floats(0.01, 0.99), st.floats(0.005, 0.2), st.integers(1, 10**6))
def test_a_finite_population_never_needs_more_than_an_infinite_one_or_than_itself(expected, margin, population):
    corrected = sample_size(expected, margin, population=population)
    assert 1 <= corrected <= min(population, sample_size(expected, margin))
