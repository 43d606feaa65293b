"""Tests of kmbook.clusterable (Paper 2, Algorithm 2 coverage and excursions)."""

import numpy as np
import pytest

from kmbook.clusterable import max_excursion, seeding_coverage
from kmbook.models import BallMixture
from kmbook.stochastic import stationary_point


def _balls():
    grid = np.array([[0.0, 0.0], [6.0, 0.0], [0.0, 6.0]])
    X, y = BallMixture(grid, 1.0).sample(900, rng=0)
    return X, y, grid


def test_coverage_counts_are_consistent_and_detect_missing_clusters():
    X, y, grid = _balls()
    big = seeding_coverage(X, y, grid, 60, 20, rng=1)
    assert big.sample_touches_all == 20 and big.one_seed_per_cluster == 20
    assert big.touches_but_fails == 0
    # a tiny cluster (3 points) is rarely sampled by 5 draws: coverage must drop
    keep = np.r_[np.flatnonzero(y != 2), np.flatnonzero(y == 2)[:3]]
    small = seeding_coverage(X[keep], y[keep], grid, 5, 40, rng=2)
    assert small.sample_touches_all < 10
    assert small.one_seed_per_cluster <= small.sample_touches_all + small.n_seedings
    assert small.touches_but_fails <= small.sample_touches_all


def test_coverage_rejects_bad_labels():
    X, y, grid = _balls()
    with pytest.raises(ValueError, match="labels must lie"):
        seeding_coverage(X, y + 1, grid, 10, 2, rng=0)


def test_max_excursion_zero_step_size_and_growth_with_rate():
    X, y, grid = _balls()
    sp = stationary_point(X, grid)
    tiny = max_excursion(X, sp.centers, 1, 50, 3, rng=0, learning_rate="flat", c_prime=1e-9, t0=1.0)
    assert np.all(tiny < 1e-6)
    big = max_excursion(X, sp.centers, 1, 50, 3, rng=0, learning_rate="flat", c_prime=1.0, t0=0.0)
    small = max_excursion(X, sp.centers, 1, 50, 3, rng=0, learning_rate="flat", c_prime=1.0, t0=100.0)
    assert np.all(big > small)


def test_touch_probability_matches_monte_carlo():
    from kmbook.clusterable import touch_probability

    p = np.array([0.4, 0.3, 0.2, 0.05, 0.05])
    g = np.random.default_rng(3)
    draws = g.choice(p.size, size=(20000, 40), p=p)
    hit = np.mean([np.unique(d).size == p.size for d in draws])
    exact = touch_probability(p, 40)
    se = np.sqrt(exact * (1 - exact) / 20000)
    assert abs(hit - exact) < 4 * se
    # two equal clusters: 1 - 2 * 2^-m
    assert abs(touch_probability([0.5, 0.5], 5) - (1 - 2 * 0.5**5)) < 1e-15


def test_touch_probability_rejects_bad_fractions():
    from kmbook.clusterable import touch_probability

    with pytest.raises(ValueError, match="fractions"):
        touch_probability([0.5, 0.6], 3)
