"""Tests of kmbook.rate_lemmas: the checkable forms of Paper 2's Lemmas 1 and 3."""

import numpy as np
import pytest

from kmbook.models import GaussianMixture
from kmbook.rate_lemmas import centroid_distance, lloyd_contraction, one_step_changes, step_bound
from kmbook.stochastic import stationary_point


@pytest.fixture(scope="module")
def mixture():
    truth = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]])
    X, _ = GaussianMixture(truth, 1.0).sample(600, rng=3)
    return X, stationary_point(X, truth)


def test_step_bound_hand_example():
    # two cells {0, 2} and {10, 12}; centres at 0 and 12, m = 1, eta = 1/2
    X = np.array([[0.0], [2.0], [10.0], [12.0]])
    sb = step_bound(X, [[0.0], [12.0]], 1, 0.5)
    # q_r = 1/2, ||c_r - m_r||^2 = 1, n_r = 2, (2 eta - eta^2) = 3/4, s_r^2 = 1, E[1/nhat] = 1/2
    assert sb.drop == pytest.approx(2 * 2 * 0.75 * 0.5 * 1)
    assert sb.noise == pytest.approx(2 * 2 * 0.25 * 1 * 0.5)
    assert sb.bound == pytest.approx(sb.noise - sb.drop)
    np.testing.assert_allclose(sb.q, [0.5, 0.5])


def _own_step_changes(X, C, m, eta, n_draws, seed):
    """Independent NumPy version of one step of Algorithm 1 (flat rate eta)."""
    g = np.random.default_rng(seed)
    d = ((X[:, None] - C[None]) ** 2).sum(-1)
    lab, base = d.argmin(1), d.min(1).sum()
    out = []
    for _ in range(n_draws):
        idx = g.integers(0, len(X), size=m)
        C1 = C.copy()
        for r in np.unique(lab[idx]):
            C1[r] = (1 - eta) * C[r] + eta * X[idx[lab[idx] == r]].mean(0)
        out.append(((X[:, None] - C1[None]) ** 2).sum(-1).min(1).sum() - base)
    return np.array(out)


def test_one_step_changes_matches_independent_numpy(mixture):
    X, opt = mixture
    C = opt.centers + np.random.default_rng(0).normal(scale=2.0, size=opt.centers.shape)
    ours = one_step_changes(X, C, 7, 0.4, 50, rng=11)
    own = _own_step_changes(X, C, 7, 0.4, 50, 11)
    np.testing.assert_allclose(ours, own, rtol=1e-9, atol=1e-8)


@pytest.mark.parametrize("scale,m,eta", [(0.3, 20, 0.5), (0.3, 1, 0.9)])
def test_step_bound_is_exact_when_no_point_changes_cell(mixture, scale, m, eta):
    # near a wide-margin optimum no point changes cell, so the bound is the expectation
    X, opt = mixture
    C = opt.centers + np.random.default_rng(1).normal(scale=scale, size=opt.centers.shape)
    sb = step_bound(X, C, m, eta)
    d = _own_step_changes(X, C, m, eta, 4000, 5)
    se = d.std(ddof=1) / np.sqrt(d.size)
    assert abs(d.mean() - sb.bound) < 4 * se


@pytest.mark.parametrize("scale,m,eta", [(4.0, 5, 0.5), (6.0, 1, 0.7)])
def test_step_bound_holds_when_cells_change(mixture, scale, m, eta):
    X, opt = mixture
    C = opt.centers + np.random.default_rng(2).normal(scale=scale, size=opt.centers.shape)
    sb = step_bound(X, C, m, eta)
    d = _own_step_changes(X, C, m, eta, 3000, 6)
    se = d.std(ddof=1) / np.sqrt(d.size)
    assert d.mean() <= sb.bound + 3 * se


def test_centroid_distance_and_contraction(mixture):
    X, opt = mixture
    counts = opt.counts
    C = opt.centers + 1.0
    assert centroid_distance(C, opt.centers, counts) == pytest.approx(2 * counts.sum())
    ct = lloyd_contraction(X, opt.centers, [1e-3, 3.0], rng=0, n_directions=3)
    # a tiny move keeps the partition: one Lloyd step returns exactly
    assert not ct.changed[0].any() and np.all(ct.ratio[0] < 1e-20)
    assert ct.returned.all() and np.all(ct.ratio < 1)


def test_rate_lemmas_invalid(mixture):
    X, opt = mixture
    with pytest.raises(ValueError, match="eta"):
        step_bound(X, opt.centers, 5, 1.5)
    with pytest.raises(ValueError, match="radii"):
        lloyd_contraction(X, opt.centers, [-1.0], rng=0)
    with pytest.raises(ValueError, match="stationary point"):
        lloyd_contraction(X, opt.centers + 1.0, [1.0], rng=0)
    with pytest.raises(ValueError, match="counts"):
        centroid_distance(opt.centers, opt.centers, [1.0])


def test_one_step_changes_counts_moved_points(mixture):
    X, opt = mixture
    d0 = one_step_changes(X, opt.centers, 50, 0.5, 20, rng=3)
    d, moved = one_step_changes(X, opt.centers, 50, 0.5, 20, rng=3, return_moved=True)
    # the count does not change the draws
    np.testing.assert_array_equal(d, d0)
    assert moved.shape == (20,) and moved.dtype.kind == "i"
    # far from the optimum an online step moves points between cells
    far = opt.centers + np.random.default_rng(1).normal(scale=6.0, size=opt.centers.shape)
    _, moved_far = one_step_changes(X, far, 1, 1.0, 20, rng=3, return_moved=True)
    assert moved_far.max() > 0


def test_lloyd_contraction_per_direction_radii(mixture):
    X, opt = mixture
    ct1 = lloyd_contraction(X, opt.centers, [1e-3, 0.5], rng=0, n_directions=2)
    radii = np.array([[1e-3, 1e-3], [0.5, 0.5]])
    ct2 = lloyd_contraction(X, opt.centers, radii, rng=0, n_directions=2)
    # a 1-D radii argument is the same radius for every direction
    np.testing.assert_array_equal(ct1.ratio, ct2.ratio)
    assert ct2.radii.shape == (2, 2)
    # different columns move different directions to different radii
    ct3 = lloyd_contraction(X, opt.centers, [[1e-3, 0.5], [0.5, 1e-3]], rng=0, n_directions=2)
    np.testing.assert_allclose(ct3.ratio[0, 1], ct1.ratio[1, 1])
    np.testing.assert_allclose(ct3.ratio[1, 0], ct1.ratio[1, 0])
    with pytest.raises(ValueError, match="n_directions"):
        lloyd_contraction(X, opt.centers, radii, rng=0, n_directions=3)
