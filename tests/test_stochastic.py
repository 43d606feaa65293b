"""Tests of kmbook.stochastic and its kernel (Paper 2, Algorithm 1 and its analysis)."""

import numpy as np
import pytest

from kmbook.models import GaussianMixture
from kmbook.objective import kmeans_cost
from kmbook.stochastic import (
    log_steps,
    stationary_point,
    stochastic_kmeans,
)


def reference_algorithm1(X, init, m, n_steps, rng, learning_rate="flat", c_prime=1.0, t0=1.0):
    """Algorithm 1 written out plainly: one step at a time, exact distances, dicts of sums.

    The sample of each step is drawn as documented in stochastic_kmeans:
    rng.integers(0, n, size=(b, m)) in blocks of b = max(1, 65536 // m) steps.
    """
    X = np.asarray(X, float)
    C = np.array(init, float)
    k = C.shape[0]
    per_block = max(1, 65536 // m)
    samples = []
    while len(samples) < n_steps:
        samples.extend(rng.integers(0, X.shape[0], size=(min(per_block, n_steps - len(samples)), m)))
    N = np.zeros(k)
    for t, rows in enumerate(samples, start=1):
        labels = [int(np.argmin(((C - X[i]) ** 2).sum(1))) for i in rows]   # against C^{t-1}
        new = C.copy()
        for r in set(labels):
            pts = X[[i for i, lab in zip(rows, labels) if lab == r]]
            N[r] += len(pts)
            eta = c_prime / (t0 + t) if learning_rate == "flat" else len(pts) / N[r]
            new[r] = (1 - eta) * C[r] + eta * pts.mean(0)
        C = new
    return C, N


@pytest.fixture(scope="module")
def blobs():
    X, labels = GaussianMixture([[0, 0], [6, 0], [0, 6], [6, 6]], 1.0).sample(600, rng=3)
    return X, labels


@pytest.mark.parametrize("rate", ["flat", "bbs"])
@pytest.mark.parametrize("m", [1, 7, 300, 700])
def test_matches_plain_reference_same_rng_stream(blobs, rate, m):
    X, _ = blobs
    init = X[[0, 1, 2, 3, 4]]
    n_steps = 150 if m < 300 else 40
    res = stochastic_kmeans(X, init, m, n_steps, rate, c_prime=1.5, t0=2.0, rng=11)
    C_ref, N_ref = reference_algorithm1(X, init, m, n_steps, np.random.default_rng(11), rate, 1.5, 2.0)
    np.testing.assert_allclose(res.centers, C_ref, rtol=0, atol=1e-10)
    np.testing.assert_array_equal(res.counts, N_ref)
    assert res.counts.sum() == m * n_steps


def test_sample_blocks_span_several_draws(blobs):
    # m = 1: 65536 steps per draw, so 70000 steps need two draws of the generator
    X, _ = blobs
    res = stochastic_kmeans(X[:50], X[:3], 1, 70000, "bbs", rng=5)
    C_ref, _ = reference_algorithm1(X[:50], X[:3], 1, 70000, np.random.default_rng(5), "bbs")
    np.testing.assert_allclose(res.centers, C_ref, atol=1e-10)


def test_deterministic_and_independent_of_recording(blobs):
    X, _ = blobs
    a = stochastic_kmeans(X, X[:4], 16, 300, rng=4, record_every=7)
    b = stochastic_kmeans(X, X[:4], 16, 300, rng=4, record_every=None)
    c = stochastic_kmeans(X, X[:4], 16, 300, rng=4, record_every=log_steps(300, 10))
    np.testing.assert_array_equal(a.centers, b.centers)
    np.testing.assert_array_equal(a.centers, c.centers)
    assert a.steps[0] == 0 and a.steps[-1] == 300 and np.all(np.diff(a.steps) > 0)
    np.testing.assert_array_equal(a.steps[:3], [0, 7, 14])
    # recorded costs are the full-data costs of the recorded centres
    for s, cost, C in zip(a.steps, a.cost, a.center_history):
        assert cost == pytest.approx(kmeans_cost(X, C), rel=1e-12)
    np.testing.assert_array_equal(a.center_history[-1], a.centers)


def test_idle_centroids_stay_put():
    X = np.array([[0.0], [0.1], [0.2], [10.0]])
    init = np.array([[0.1], [10.0], [500.0]])          # centre 2 is never nearest
    res = stochastic_kmeans(X, init, 3, 200, "flat", rng=0)
    assert res.centers[2, 0] == 500.0
    assert res.counts[2] == 0 and res.n_updates[2] == 0
    # a centre moves only in steps where it received points
    assert res.n_updates[0] <= 200 and res.n_updates[1] < 200


def test_flat_schedule_as_defined():
    # one centre, all points identical except the sample mean; with a single point
    # the update is c_t = (1 - eta_t) c_{t-1} + eta_t x, so c_T - x = (c_0 - x) prod(1 - eta_t)
    X = np.array([[3.0]])
    res = stochastic_kmeans(X, [[0.0]], 5, 20, "flat", c_prime=0.7, t0=4.0, rng=0)
    t = np.arange(1, 21)
    expected = 3.0 + (0.0 - 3.0) * np.prod(1 - 0.7 / (4.0 + t))
    assert res.centers[0, 0] == pytest.approx(expected, abs=1e-13)
    res = stochastic_kmeans(X, [[0.0]], 5, 20, lambda t: 0.5 / t, rng=0)
    assert res.centers[0, 0] == pytest.approx(3.0 - 3.0 * np.prod(1 - 0.5 / t), abs=1e-13)


def test_bbs_schedule_is_running_mean():
    # with BBS the first update has rate 1 and afterwards the centre is the mean of all
    # points it has received: check against the mean of the drawn sample itself
    X = np.arange(20.0).reshape(-1, 1)
    m, T = 3, 50
    res = stochastic_kmeans(X, [[100.0]], m, T, "bbs", rng=9)
    idx = np.random.default_rng(9).integers(0, 20, size=(T, m))
    assert res.centers[0, 0] == pytest.approx(X[idx.ravel(), 0].mean(), abs=1e-12)
    assert res.counts[0] == m * T


def test_online_is_batch_size_one(blobs):
    X, _ = blobs
    res = stochastic_kmeans(X, X[:4], 1, 500, "bbs", rng=2)
    assert res.counts.sum() == 500 and res.n_updates.sum() == 500


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        ({"batch_size": 0}, ValueError, "batch_size"),
        ({"batch_size": 2.5}, TypeError, "batch_size"),
        ({"n_steps": -1}, ValueError, "n_steps"),
        ({"c_prime": -1.0}, ValueError, "c_prime"),
        ({"c_prime": 0.0}, ValueError, "c_prime"),
        ({"t0": -2.0}, ValueError, "t0"),
        ({"c_prime": 3.0, "t0": 0.0}, ValueError, "t0 >= c_prime - 1"),
        ({"learning_rate": "adagrad"}, ValueError, "learning_rate"),
        ({"learning_rate": lambda t: 2.0 + 0 * t}, ValueError, r"\[0, 1\]"),
        ({"learning_rate": lambda t: 0.5}, ValueError, "same shape"),
        ({"record_every": 0}, ValueError, "record_every"),
        ({"record_every": np.array([0, 99])}, ValueError, "record_every"),
        ({"record_every": np.array([0.5])}, TypeError, "record_every"),
        ({"rng": "seed"}, TypeError, "rng"),
    ],
)
def test_invalid_arguments(blobs, kwargs, exc, match):
    X, _ = blobs
    args = {"X": X, "init": X[:3], "batch_size": 4, "n_steps": 10} | kwargs
    with pytest.raises(exc, match=match):
        stochastic_kmeans(**args)


def test_invalid_data():
    X = np.array([[0.0], [np.nan], [1.0]])
    with pytest.raises(ValueError, match="finite"):
        stochastic_kmeans(X, [[0.0]], 1, 5)
    with pytest.raises(ValueError, match="k must satisfy"):
        stochastic_kmeans(np.zeros((2, 1)), np.zeros((3, 1)), 1, 5)
    with pytest.raises(ValueError, match="column"):
        stochastic_kmeans(np.zeros((5, 2)), np.zeros((2, 3)), 1, 5)


def test_empty_record_makes_no_full_pass(blobs):
    X, _ = blobs
    a = stochastic_kmeans(X, X[:4], 16, 50, rng=4, record_every=np.array([], dtype=int))
    b = stochastic_kmeans(X, X[:4], 16, 50, rng=4)
    assert a.steps.size == 0 and a.cost.size == 0 and a.center_history.shape == (0, 4, 2)
    np.testing.assert_array_equal(a.centers, b.centers)


def test_repeated_runs_reproducible_with_executor_and_gaps(blobs):
    from concurrent.futures import ThreadPoolExecutor

    from kmbook.seeding import kmeans_pp
    from kmbook.stochastic import repeated_runs

    X, _ = blobs
    seeding = lambda X, g: kmeans_pp(X, 4, g)                      # noqa: E731
    a = repeated_runs(X, seeding, 20, 100, 3, rng=5, record_every=25)
    with ThreadPoolExecutor(2) as ex:
        b = repeated_runs(X, seeding, 20, 100, 3, rng=5, record_every=25, executor=ex)
    np.testing.assert_array_equal(a.cost, b.cost)
    np.testing.assert_array_equal(a.seeds, b.seeds)
    assert len({tuple(s.ravel()) for s in a.seeds}) == 3             # each run its own seeds
    np.testing.assert_allclose(a.gaps, a.cost - a.phi_star[:, None])
    for sp, C in zip(a.stationary, a.centers):
        assert sp.cost == pytest.approx(stationary_point(X, C).cost)
    fixed = repeated_runs(X, X[:4], 20, 100, 2, rng=5, phi_star=1.0, record_every=50)
    np.testing.assert_array_equal(fixed.phi_star, [1.0, 1.0])
    np.testing.assert_array_equal(fixed.steps, [0, 50, 100])
