"""Samplers against their closed forms (fixed seeds, Monte Carlo tolerances from the sample)."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from techseg_lib import distributions as d

SHAPES = [(0.0, 0.0, 1.0), (0.0, 1.0, 1.0), (0.0, 0.5, 1.0), (1.0, 2.0, 10.0),
          (0.02, 0.08, 0.25), (5e4, 4e5, 4e6), (-3.0, 2.0, 2.5)]


def _within(sample: np.ndarray, mean: float, var: float, z: float = 4.5) -> None:
    """Sample mean and variance within z standard errors of the closed forms."""
    n = sample.size
    assert abs(sample.mean() - mean) <= z * np.sqrt(var / n)
    m4 = np.mean((sample - sample.mean()) ** 4)
    assert abs(sample.var() - var) <= z * np.sqrt((m4 - var**2) / n)


def test_pert_closed_forms_by_hand():
    assert d.pert_mean(1, 4, 13) == pytest.approx((1 + 16 + 13) / 6)
    a, b = d.pert_shape(0, 0.25, 1)
    assert (a, b) == (pytest.approx(2.0), pytest.approx(4.0))
    # Beta(2, 4) on [0, 1]: variance 2*4 / (6^2 * 7)
    assert d.pert_var(0, 0.25, 1) == pytest.approx(8 / (36 * 7))
    assert d.pert_var(3, 3, 3) == 0.0


@pytest.mark.parametrize("low,mode,high", SHAPES)
def test_exact_pert_matches_closed_forms(low, mode, high):
    x = d.pert(np.random.default_rng(11), low, mode, high, size=400_000)
    assert x.min() >= low and x.max() <= high
    _within(x, float(d.pert_mean(low, mode, high)), float(d.pert_var(low, mode, high)))


@pytest.mark.parametrize("low,mode,high", SHAPES)
def test_table_moments_are_exact_enough(low, mode, high):
    table = d.PertTable.from_params(low, mode, high)
    mean, var = float(d.pert_mean(low, mode, high)), float(d.pert_var(low, mode, high))
    assert table.mean()[0] == pytest.approx(mean, rel=1e-6, abs=1e-12)
    assert table.var()[0] == pytest.approx(var, rel=1e-5)


@pytest.mark.parametrize("low,mode,high", SHAPES)
def test_table_sampler_matches_closed_forms(low, mode, high):
    table = d.PertTable.from_params(low, mode, high)
    x = table.sample(np.random.default_rng(12), 400_000)
    assert x.min() >= low and x.max() <= high
    _within(x, float(d.pert_mean(low, mode, high)), float(d.pert_var(low, mode, high)))


def test_table_quantiles_match_a_known_quantile_function():
    # PERT(0, 1, 1) with gamma = 1 is Beta(2, 1): quantile sqrt(u), a corner at u = 0
    table = d.PertTable.from_params(0.0, 1.0, 1.0, gamma=1.0)
    g = table.grid_size
    assert np.allclose(table.quantiles[0], np.sqrt(np.linspace(0, 1, g + 1)), atol=1e-8)
    tail = table.low_tail[0]
    assert np.allclose(tail, np.sqrt(np.linspace(0, 1 / g, tail.size)), atol=1e-8)


def test_table_draws_hit_the_refined_tails():
    # the first and last cell are refined: draws there must follow the tail tables, so the
    # smallest of many draws from Beta(5, 1) (mode = max) is far below the first coarse quantile
    table = d.PertTable.from_params(0.0, 1.0, 1.0)
    x = table.sample(np.random.default_rng(3), 2_000_000)
    assert x.min() < table.quantiles[0, 1]
    assert x.min() >= table.low_tail[0, 0]


def test_table_several_sets_and_out_argument():
    table = d.PertTable.from_params([0, 10], [1, 20], [2, 60])
    out = np.empty(1000)
    got = table.sample(np.random.default_rng(0), 1000, which=1, out=out)
    assert got is out and out.min() >= 10 and out.max() <= 60


def test_constant_range_is_a_constant():
    assert np.all(d.pert(np.random.default_rng(0), 7.0, 7.0, 7.0, size=10) == 7.0)
    assert np.all(d.PertTable.from_params(7, 7, 7).sample(np.random.default_rng(0), 10) == 7.0)


def test_pert_broadcasts_array_parameters():
    rng = np.random.default_rng(5)
    low = np.array([0.0, 100.0, 1000.0])
    x = d.pert(rng, low, low + 1, low + 2, size=(200_000, 3))
    assert x.shape == (200_000, 3)
    assert np.allclose(x.mean(axis=0), low + 1, atol=0.01)
    y = d.pert(rng, low[:, None], 1000.5, 2000.0)
    assert y.shape == (3, 1)


@pytest.mark.parametrize("args", [(2, 1, 3), (0, 4, 3), (0, np.nan, 1)])
def test_pert_rejects_bad_parameters(args):
    with pytest.raises(ValueError):
        d.pert(np.random.default_rng(0), *args, size=3)
    with pytest.raises(ValueError):
        d.PertTable.from_params(*args)


def test_samplers_are_deterministic_given_the_seed():
    table = d.PertTable.from_params(0, 1, 5)
    a = table.sample(np.random.default_rng(99), 5000)
    b = table.sample(np.random.default_rng(99), 5000)
    c = table.sample(np.random.default_rng(100), 5000)
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    # chunking does not change the stream: two half-size calls equal one call
    rng = np.random.default_rng(99)
    halves = np.concatenate([table.sample(rng, 2500), table.sample(rng, 2500)])
    assert np.array_equal(a, halves)


def test_lognormal_from_interval_hits_its_percentiles():
    x = d.lognormal_from_interval(np.random.default_rng(1), 1e4, 1e6, size=400_000)
    lo, hi = np.quantile(x, [0.05, 0.95])
    assert lo == pytest.approx(1e4, rel=0.02) and hi == pytest.approx(1e6, rel=0.02)
    mu, sigma = d.lognormal_params_from_interval(1.0, np.e**2, level=0.5)
    assert float(mu) == pytest.approx(1.0)
    assert float(sigma) == pytest.approx(1.0 / 0.6744897501960817, rel=1e-6)
    with pytest.raises(ValueError):
        d.lognormal_params_from_interval(5, 1)


def test_beta_and_poisson_moments():
    rng = np.random.default_rng(2)
    b = d.beta(rng, 2.0, 5.0, 400_000)
    _within(b, 2 / 7, 10 / (49 * 8))
    p = d.poisson(rng, 3.5, 400_000)
    _within(p.astype(float), 3.5, 3.5)


@settings(max_examples=40, deadline=None)
@given(st.floats(0, 10), st.floats(0, 1), st.floats(0.01, 10))
def test_table_mean_close_to_closed_form_for_any_shape(low, frac, width):
    high = low + width
    mode = low + frac * width
    table = d.PertTable.from_params(low, mode, high)
    assert table.mean()[0] == pytest.approx(float(d.pert_mean(low, mode, high)),
                                            rel=2e-6, abs=1e-9)
