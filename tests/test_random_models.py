"""Tests of kmbook.random_models and kmbook.necessary_trials.condition_sweep.

Oracles: closed forms (E[max of two normals] = 1/sqrt(pi)), Monte Carlo for the
uniform-ball sampler's covariance I/(d+2), the derived limits against large samples,
and the sweep's counts against direct calls.
"""

import numpy as np
import pytest

from kmbook import random_models as rm
from kmbook.necessary_trials import condition_sweep


def test_uniform_ball_sampler_is_uniform_in_the_ball():
    X, lab = rm.uniform_ball_sample(2, 20000, 3, 0, delta=5.0)
    R = X[lab == 0]
    assert np.all(np.linalg.norm(R, axis=1) <= 1 + 1e-12)
    np.testing.assert_allclose(np.cov(R.T), np.eye(3) / 5, atol=0.01)  # I / (d + 2)
    # radial law of the uniform ball: P(|r| <= 1/2) = 2^-d
    assert abs(np.mean(np.linalg.norm(R, axis=1) <= 0.5) - 1 / 8) < 0.01


def test_expected_max_normal_against_closed_form_and_monte_carlo():
    assert rm.expected_max_normal(1) == pytest.approx(0.0, abs=1e-10)
    assert rm.expected_max_normal(2) == pytest.approx(1 / np.sqrt(np.pi), rel=1e-8)
    g = np.random.default_rng(1).normal(size=(20000, 50)).max(axis=1)
    assert rm.expected_max_normal(50) == pytest.approx(g.mean(), abs=0.02)


def test_ball_limits_closed_forms():
    lim = rm.ball_limits(3, 2)
    assert lim["sufficient"] == pytest.approx(2 + np.sqrt(1.5))
    # necessary: the positive root of D^2 - 2 D - 2/(d+2) = 0
    D = lim["necessary"]
    assert D**2 - 2 * D - 2 / 4 == pytest.approx(0, abs=1e-12)


@pytest.mark.slow
def test_thresholds_approach_the_limits_for_many_points():
    r = rm.threshold_separations(lambda g: rm.uniform_ball_sample(3, 5000, 2, g), 6, 3)
    lim = rm.ball_limits(3, 2)
    assert abs(r.sufficient.mean() - lim["sufficient"]) < 0.03
    assert abs(r.necessary.mean() - lim["necessary"]) < 0.03
    assert np.all(r.necessary < r.sufficient)


def test_gaussian_prediction_grows_like_sqrt_log_n():
    p = [rm.gaussian_pair_prediction(n, 2) for n in (10**2, 10**4, 10**6)]
    assert p[0] < p[1] < p[2]
    assert p[2] / np.sqrt(8 * np.log(10**6)) == pytest.approx(1, abs=0.25)


def test_condition_sweep_counts_match_direct_calls():
    from kmbook.necessary import pw_necessary
    from kmbook.proximity import pw_proximity
    from kmbook.sdp import is_exact, peng_wei

    def make(sep, g):
        return rm.uniform_ball_sample(2, 4, 2, g, delta=sep)

    seps = [2.1, 6.0]
    r = condition_sweep(make, seps, 3, 5)
    assert r.exact[1] == r.sufficient[1] == r.necessary[1] == 3  # far apart: everything holds
    gens = np.random.default_rng(5).spawn(2)
    for s, g in zip(range(2), gens):
        for h in g.spawn(3):
            X, lab = make(seps[s], h)
            assert pw_proximity(X, lab).holds <= is_exact(peng_wei(X, 2).Z, lab)
            assert pw_necessary(X, lab).holds >= is_exact(peng_wei(X, 2).Z, lab)
    assert r.sufficient_not_exact == 0 and r.exact_not_necessary == 0
    with pytest.raises(ValueError, match="relaxation"):
        condition_sweep(make, seps, 1, 0, relaxation="nope")


def test_expected_shortfall_matches_monte_carlo_and_closed_form():
    from kmbook.random_models import ball_concentration, expected_shortfall

    # d = 1: uniform on [-1, 1], E[1 - max of n] = 2 / (n + 1)
    assert expected_shortfall(4, 1) == pytest.approx(2 / 5, rel=1e-8)
    short, ratio = ball_concentration(500, 3, 400, np.random.default_rng(5))
    se = short.std(ddof=1) / np.sqrt(short.size)
    assert abs(short.mean() - expected_shortfall(500, 3)) < 4 * se
    assert np.all(ratio > 0.8) and abs(ratio.mean() - 1) < 0.1


def test_threshold_separations_without_necessary():
    from kmbook.random_models import gaussian_sample, threshold_separations

    r = threshold_separations(lambda g: gaussian_sample(2, 20, 2, g), 3, 0, necessary=False)
    assert r.sufficient.shape == (3,) and r.necessary.size == 0
