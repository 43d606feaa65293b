"""Tests of kmbook.voronoi: Voronoi shares of true clusters (Paper 1, Theorem 4, eq. (5))."""

import math

import numpy as np
import pytest
from scipy import integrate
from scipy.stats import norm

from kmbook.models import BallMixture, GaussianMixture
from kmbook.voronoi import voronoi_shares


@pytest.mark.parametrize("kind", ["ball", "gauss"])
def test_exact_1d_shares_against_quadrature(kind):
    T = np.array([[-3.0], [0.5], [2.0]])
    model = BallMixture(T, radius=0.7) if kind == "ball" else GaussianMixture(T, sigma=0.8)
    beta = np.array([[-3.2], [0.0], [0.0], [1.1], [2.9]])      # a duplicate centre at 0
    shares, weights, source = voronoi_shares(beta, model=model)
    assert source == "model (exact, 1-D)"
    np.testing.assert_allclose(weights, 1 / 3)
    c = beta[:, 0]
    for s, mu in enumerate(T[:, 0]):
        if kind == "ball":
            dens = lambda x: (abs(x - mu) <= 0.7) / 1.4
            lo, hi = mu - 0.7, mu + 0.7
        else:
            dens = lambda x: norm.pdf(x, mu, 0.8)
            lo, hi = mu - 12, mu + 12
        for i in range(5):
            owner = lambda x: int(np.argmin(np.abs(x - c)))   # ties to the lowest index
            val = integrate.quad(lambda x: dens(x) * (owner(x) == i), lo, hi, points=[(c[1] + c[3]) / 2,
                                 (c[0] + c[1]) / 2, (c[3] + c[4]) / 2], limit=200)[0]
            assert shares[i, s] == pytest.approx(val, abs=1e-7)
    assert np.all(shares[2] == 0)                               # the duplicate owns a null set


def test_monte_carlo_shares_agree_with_a_labelled_sample():
    model = GaussianMixture([[0.0, 0.0], [3.0, 0.0], [0.0, 3.0]], sigma=1.0)
    beta = np.array([[0.2, 0.1], [2.5, 0.5], [0.5, 2.0]])
    mc, _, _ = voronoi_shares(beta, model=model, n_mc=200_000, rng=11)
    X, labels = model.sample(400_000, rng=12)
    smp, w, source = voronoi_shares(beta, model.centers, X=X, labels=labels)
    assert source == "sample (labels)"
    np.testing.assert_allclose(w.sum(), 1.0)
    se = 0.5 / math.sqrt(200_000 / 3)
    np.testing.assert_allclose(mc, smp, atol=5 * se)


def test_sample_without_labels_uses_nearest_true_centre():
    X = np.array([[0.0], [0.4], [5.0], [5.2], [9.0]])
    shares, w, source = voronoi_shares([[0.2], [5.1]], [[0.0], [5.0]], X=X)
    assert source == "sample (nearest true centre)"
    np.testing.assert_allclose(shares, [[1.0, 0.0], [0.0, 1.0]])
    np.testing.assert_allclose(w, [0.4, 0.6])


def test_true_cluster_without_points_falls_back_to_point_model():
    X = np.array([[0.0], [0.1]])
    shares, w, _ = voronoi_shares([[0.0], [9.0]], [[0.0], [10.0]], X=X, labels=[0, 0])
    np.testing.assert_allclose(shares, [[1.0, 0.0], [0.0, 1.0]])
    np.testing.assert_allclose(w, [1.0, 0.0])


def test_point_model_splits_exact_ties():
    shares, _, _ = voronoi_shares([[-1.0], [1.0], [5.0]], [[0.0], [5.0]])
    np.testing.assert_allclose(shares, [[0.5, 0.0], [0.5, 0.0], [0.0, 1.0]])
