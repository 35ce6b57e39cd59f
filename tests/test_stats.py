"""Tests for toolkit.stats.bootstrap_mean_ci against known sampling distributions.

All data are INVENTED: seeded draws from normal distributions.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from toolkit.stats import bootstrap_mean_ci


def test_half_width_matches_normal_theory():
    n, sd = 400, 1.0
    values = np.random.default_rng(42).normal(0.0, sd, size=n)
    mean, low, high = bootstrap_mean_ci(values, ci=0.95)
    expected = 1.96 * sd / math.sqrt(n)  # standard error of the mean times z_0.975
    half_width = (high - low) / 2
    assert abs(half_width - expected) <= 0.15 * expected
    assert mean == pytest.approx(values.mean())
    assert low <= values.mean() <= high


def test_coverage_of_the_true_mean():
    rng = np.random.default_rng(2024)
    hits = 0
    n_samples = 200
    for _ in range(n_samples):
        sample = rng.normal(0.0, 1.0, size=100)
        _, low, high = bootstrap_mean_ci(sample, ci=0.95, n_boot=500)
        hits += low <= 0.0 <= high
    # nominal 95 %; the percentile bootstrap under-covers slightly at n=100, and 200 samples
    # give a binomial standard error of about 1.5 points
    assert 0.90 <= hits / n_samples <= 0.985


def test_same_seed_same_interval_other_seed_differs():
    values = np.random.default_rng(1).normal(size=50)
    first = bootstrap_mean_ci(values, random_state=7)
    second = bootstrap_mean_ci(values, random_state=7)
    assert first == second
    other = bootstrap_mean_ci(values, random_state=8)
    assert other[0] == first[0]
    assert (other[1], other[2]) != (first[1], first[2])


def test_single_value_has_missing_bounds():
    mean, low, high = bootstrap_mean_ci([0.3])
    assert mean == pytest.approx(0.3)
    assert math.isnan(low) and math.isnan(high)


def test_single_row_two_columns_has_missing_bounds():
    mean, low, high = bootstrap_mean_ci(np.array([[0.25, 0.75]]))
    np.testing.assert_allclose(mean, [0.25, 0.75])
    assert np.isnan(low).all() and np.isnan(high).all()
    assert low.shape == high.shape == (2,)


def test_two_dimensional_input_gives_per_column_results():
    rng = np.random.default_rng(5)
    data = np.column_stack([rng.normal(0.0, 1.0, 300), rng.normal(10.0, 0.1, 300), np.full(300, 3.0)])
    mean, low, high = bootstrap_mean_ci(data, n_boot=800)
    assert mean.shape == low.shape == high.shape == (3,)
    np.testing.assert_allclose(mean, data.mean(axis=0))
    assert (low <= mean).all() and (mean <= high).all()
    # each column's interval reflects its own spread (sd 1, 0.1, 0)
    widths = high - low
    assert widths[0] == pytest.approx(2 * 1.96 / math.sqrt(300), rel=0.2)
    assert widths[1] == pytest.approx(2 * 1.96 * 0.1 / math.sqrt(300), rel=0.2)
    assert widths[2] == pytest.approx(0.0, abs=1e-12)
    # a column computed alone gives the same interval as inside the matrix (same resamples)
    single = bootstrap_mean_ci(data[:, 1], n_boot=800)
    assert single[1] == pytest.approx(low[1]) and single[2] == pytest.approx(high[1])


def test_one_dimensional_input_gives_scalars():
    mean, low, high = bootstrap_mean_ci([1.0, 2.0, 3.0, 4.0])
    assert np.ndim(mean) == np.ndim(low) == np.ndim(high) == 0
    assert float(mean) == 2.5 and low < mean < high


def test_wider_coverage_gives_wider_interval():
    values = np.random.default_rng(3).normal(size=200)
    _, low90, high90 = bootstrap_mean_ci(values, ci=0.90)
    _, low99, high99 = bootstrap_mean_ci(values, ci=0.99)
    assert low99 < low90 and high90 < high99


@pytest.mark.parametrize("ci", [0.0, 1.0, -0.5, 1.5, 95])
def test_ci_outside_unit_interval_raises(ci):
    with pytest.raises(ValueError, match="ci"):
        bootstrap_mean_ci([1.0, 2.0, 3.0], ci=ci)


def _reference_bootstrap(values, ci=0.95, n_boot=1000, random_state=0):
    """The percentile bootstrap written plainly: one resample at a time, counted per unit with
    its own bincount (the toolkit counts a block of resamples with one bincount)."""
    data = np.asarray(values, dtype=float)[:, None]
    n = len(data)
    rng = np.random.default_rng(random_state)
    block = max(1, min(n_boot, 4_000_000 // n))
    means = np.empty((n_boot, 1))
    for done in range(0, n_boot, block):
        draws = rng.integers(0, n, size=(min(block, n_boot - done), n))
        counts = np.stack([np.bincount(row, minlength=n) for row in draws]).astype(float)
        means[done:done + len(draws)] = counts @ data / n
    low, high = np.quantile(means, [(1 - ci) / 2, 1 - (1 - ci) / 2], axis=0)
    return data.mean(axis=0)[0], low[0], high[0]


@pytest.mark.parametrize("n", [2, 3, 40, 4_001, 9_000])
def test_the_same_numbers_as_the_plain_bootstrap(n):
    """Bit for bit the plain resample-by-resample bootstrap, also when the resamples are drawn
    in several blocks (n = 4,001 and 9,000: blocks of 999 and 444 resamples)."""
    values = np.random.default_rng(n).normal(size=n)
    assert bootstrap_mean_ci(values, random_state=7) == _reference_bootstrap(values, random_state=7)
