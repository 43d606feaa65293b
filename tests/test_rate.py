"""Tests of kmbook.rate: stationary points, the exact expected gap and log-log slopes (Paper 2, Theorem 1)."""

import numpy as np
import pytest

from kmbook.lloyd import lloyd
from kmbook.models import BallMixture, GaussianMixture
from kmbook.objective import kmeans_cost
from kmbook.rate import expected_gap, loglog_slope, stationary_point
from kmbook.stochastic import log_steps, stochastic_kmeans


@pytest.fixture(scope="module")
def blobs():
    X, labels = GaussianMixture([[0, 0], [6, 0], [0, 6], [6, 6]], 1.0).sample(600, rng=3)
    return X, labels


def test_stationary_point_is_a_lloyd_fixed_point(blobs):
    X, _ = blobs
    sp = stationary_point(X, X[:4])
    again = lloyd(X, sp.centers)
    assert again.n_iter == 1
    np.testing.assert_array_equal(again.labels, sp.labels)
    assert sp.cost == pytest.approx(kmeans_cost(X, sp.centers), rel=1e-12)
    assert sp.boundary_gap > 0
    for r in range(4):
        np.testing.assert_allclose(sp.centers[r], X[sp.labels == r].mean(0), atol=1e-12)


def test_loglog_slope_and_log_steps():
    t = np.arange(1, 1000)
    assert loglog_slope(t, 5 * t ** -2.0) == pytest.approx(-2.0)
    assert loglog_slope(t, 5 * t ** -0.4, t_min=100) == pytest.approx(-0.4)
    with pytest.raises(ValueError, match="two steps"):
        loglog_slope([1, 2], [0.0, -1.0])
    steps = log_steps(10_000, 30)
    assert steps[0] == 0 and steps[-1] == 10_000 and np.all(np.diff(steps) > 0)


def test_expected_gap_closed_forms():
    X = np.array([[0.0], [2.0], [10.0], [14.0]])
    labels = [0, 0, 1, 1]
    init = np.array([[0.5], [11.0]])
    # t = 0: the initial gap sum_r n_r ||c_r - mu_r||^2
    assert expected_gap(X, labels, init, 3, [0])[0] == pytest.approx(2 * 0.25 + 2 * 1.0)
    # BBS, m = 1, t = 1: centre r moves onto the sampled point with probability 1/2
    # (gap n_r * sigma_r^2) and keeps its initial error otherwise
    g = expected_gap(X, labels, init, 1, [1], "bbs")[0]
    assert g == pytest.approx(0.5 * (2 * 1.0 + 2 * 0.25) + 0.5 * (2 * 4.0 + 2 * 1.0))
    # flat rate with eta = 1 at t = 1 (c' = 1, t0 = 0), m = 1: same as BBS at t = 1
    assert expected_gap(X, labels, init, 1, [1], "flat", 1.0, 0.0)[0] == pytest.approx(g)


@pytest.mark.slow
def test_expected_gap_matches_simulation():
    X, labels = BallMixture([[0, 0], [6, 0], [0, 6]], 1.0).sample(900, rng=0)
    sp = stationary_point(X, [[0, 0], [6, 0], [0, 6]])
    init = sp.centers + 0.3
    steps = np.array([0, 10, 100, 400])
    for rate, m in [("flat", 5), ("bbs", 1)]:
        sims = np.array([
            stochastic_kmeans(X, init, m, 400, rate, rng=g, record_every=steps).cost - sp.cost
            for g in np.random.default_rng(1).spawn(300)
        ])
        model = expected_gap(X, sp.labels, init, m, steps, rate)
        se = sims.std(0) / np.sqrt(len(sims))
        assert np.all(np.abs(sims.mean(0) - model) <= 4 * se + 1e-9 * model)


@pytest.mark.slow
def test_flat_rate_slope_is_minus_one_on_noisy_separated_mixture():
    """Acceptance check: median fitted log-log slope of phi^t - phi* in [-1.35, -0.7]."""
    ang = np.linspace(0, 2 * np.pi, 6, endpoint=False)
    truth = 12 * np.c_[np.cos(ang), np.sin(ang)]
    X, _ = GaussianMixture(truth, 1.5).sample(6000, rng=7)
    sp = stationary_point(X, truth)
    T = 3000
    steps = log_steps(T, 40)
    slopes = []
    for g in np.random.default_rng(8).spawn(9):
        init = sp.centers + g.normal(scale=0.3, size=truth.shape)       # good seeds
        res = stochastic_kmeans(X, init, 100, T, "flat", c_prime=1.0, t0=1.0, rng=g, record_every=steps)
        slopes.append(loglog_slope(steps, res.cost - sp.cost, t_min=T / 30))
    assert -1.35 <= np.median(slopes) <= -0.7


@pytest.mark.slow
def test_too_small_c_prime_gives_slope_minus_two_c_prime():
    """The reconstructed condition: with q ~ 1 the slope is -min(1, 2 c')."""
    X, _ = BallMixture([[0, 0], [8, 0], [0, 8]], 1.0).sample(3000, rng=2)
    sp = stationary_point(X, [[0, 0], [8, 0], [0, 8]])
    T = 3000
    steps = log_steps(T, 30)
    for c in (0.1, 0.25):
        res = stochastic_kmeans(X, sp.centers + 1.0, 200, T, "flat", c_prime=c, t0=1.0, rng=3,
                                record_every=steps)
        assert loglog_slope(steps, res.cost - sp.cost, t_min=T / 30) == pytest.approx(-2 * c, abs=0.05)
