"""Tests of kmbook.lloyd: parity with scikit-learn, fixed points, convergence reporting."""

import warnings

import numpy as np
import pytest
from sklearn.cluster import KMeans

from kmbook.data import load
from kmbook.exceptions import ConvergenceWarning
from kmbook.lloyd import lloyd
from kmbook.models import BallMixture, GaussianMixture
from kmbook.objective import centers_of_mass, kmeans_cost


def _datasets():
    rng = np.random.default_rng(0)
    gmm = GaussianMixture(rng.normal(size=(6, 3)) * 5, 1.0).sample(4000, rng=1)[0]
    ball = BallMixture([[-2.0], [0.0], [2.0]], 0.3).sample(3000, rng=2)[0]
    hd = GaussianMixture(rng.normal(size=(10, 16)) * 2, 1.0).sample(20_000, rng=3)[0]
    s1 = load("s1").X / 1e5
    return {"gmm-3d": (gmm, 6), "ball-1d": (ball, 3), "gmm-16d": (hd, 20), "s1": (s1, 15)}


NAMES = ["gmm-3d", "ball-1d", "gmm-16d", "s1"]


@pytest.fixture(scope="module")
def data():
    """The datasets, built once when the first test needs them (not at collection)."""
    out = _datasets()
    assert list(out) == NAMES
    return out


@pytest.mark.parametrize("name", NAMES)
def test_parity_with_scikit_learn(name, data):
    X, k = data[name]
    rng = np.random.default_rng(11)
    init = X[rng.choice(X.shape[0], k, replace=False)]
    ours = lloyd(X, init)
    ref = KMeans(k, init=init, n_init=1, max_iter=300, tol=0.0, algorithm="lloyd").fit(X)
    assert ours.converged and ours.counts.min() > 0  # no empty cluster: sklearn would re-seed it
    assert ours.n_iter == ref.n_iter_
    np.testing.assert_array_equal(ours.labels, ref.labels_)
    np.testing.assert_allclose(ours.centers, ref.cluster_centers_, rtol=0, atol=1e-10 * max(1.0, np.abs(X).max()))
    assert ours.cost == pytest.approx(ref.inertia_, rel=1e-10)


def test_fixed_point_is_a_centre_of_mass_and_cost_decreases(data):
    X, k = data["gmm-3d"]
    res = lloyd(X, X[:k], record=True)
    means, counts = centers_of_mass(X, res.centers)
    np.testing.assert_allclose(means, res.centers, atol=1e-12)
    costs = [kmeans_cost(X, C) for C in res.trajectory]
    assert all(b <= a + 1e-9 * a for a, b in zip(costs, costs[1:]))
    assert res.trajectory.shape == (res.n_iter + 1, k, 3)
    np.testing.assert_array_equal(res.trajectory[0], X[:k])
    np.testing.assert_array_equal(res.trajectory[-1], res.centers)
    assert res.cost == pytest.approx(costs[-1], rel=1e-12)


def test_empty_cluster_keeps_its_centre():
    X = np.array([[0.0], [0.2], [10.0], [10.4]])
    init = np.array([[0.0], [10.0], [1000.0]])
    res = lloyd(X, init)
    assert res.counts.tolist() == [2, 2, 0]
    np.testing.assert_allclose(res.centers.ravel(), [0.1, 10.2, 1000.0])
    assert res.converged


def test_max_iter_reached_warns_and_reports(data):
    X, k = data["s1"]
    with pytest.warns(ConvergenceWarning, match="max_iter=2"):
        res = lloyd(X, X[:k], max_iter=2)
    assert not res.converged and res.n_iter == 2
    # labels and cost refer to the returned centres
    assert res.cost == pytest.approx(kmeans_cost(X, res.centers), rel=1e-12)


def test_tol_stops_early_like_scikit_learn(data):
    X, k = data["gmm-16d"]
    init = X[:k]
    ours = lloyd(X, init, tol=1e-3)
    ref = KMeans(k, init=init, n_init=1, tol=1e-3, algorithm="lloyd").fit(X)
    assert ours.converged and ours.n_iter == ref.n_iter_
    np.testing.assert_allclose(ours.centers, ref.cluster_centers_, atol=1e-10)


def test_record_is_off_by_default_and_k_equals_n_works():
    X = np.array([[0.0], [1.0], [3.0]])
    res = lloyd(X, X)
    assert res.trajectory is None and res.cost == 0.0 and res.converged


def test_single_cluster_is_the_mean(data):
    X, _ = data["gmm-3d"]
    res = lloyd(X, X[:1])
    np.testing.assert_allclose(res.centers[0], X.mean(0), atol=1e-12)


@pytest.mark.parametrize(
    "X,init,kw,exc,match",
    [
        (np.array([[0.0], [np.nan]]), np.zeros((1, 1)), {}, ValueError, "X must be finite"),
        (np.zeros((5, 2)), np.zeros((6, 2)), {}, ValueError, "k=6 centres but the data have only n=5"),
        (np.zeros((5, 2)), np.zeros(2), {}, ValueError, "init must be 2-D"),
        (np.zeros((5, 2)), np.zeros((2, 3)), {}, ValueError, "init must have 2 column"),
        (np.zeros((5, 2)), np.zeros((2, 2)), {"max_iter": 0}, ValueError, "max_iter must be >= 1"),
        (np.zeros((5, 2)), np.zeros((2, 2)), {"tol": -1.0}, ValueError, "tol must be >= 0"),
        (np.zeros((5, 2)), np.zeros((2, 2)), {"max_iter": 1.5}, TypeError, "max_iter must be an integer"),
        ([[1, 2], [3]], np.zeros((1, 2)), {}, TypeError, "X must be an array"),
    ],
)
def test_invalid_inputs(X, init, kw, exc, match):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        with pytest.raises(exc, match=match):
            lloyd(X, init, **kw)
