"""Tests of kmbook.stochastic and its kernel (Paper 2, Algorithm 1 and its analysis)."""

import numpy as np
import pytest

from kmbook import _stochastic_kernels as sk
from kmbook.lloyd import lloyd
from kmbook.models import BallMixture, GaussianMixture
from kmbook.objective import kmeans_cost
from kmbook.stochastic import (
    clusterability,
    expected_gap,
    log_steps,
    loglog_slope,
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


@pytest.mark.parametrize("mode", [sk.FLAT, sk.BBS])
def test_kernel_matches_numpy_twin(mode):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(3000, 5))
    idx = rng.integers(0, 3000, size=(60, 900))          # 4 blocks
    eta = 2.0 / (3.0 + np.arange(1, 61))
    out = []
    for kernel, parallel in ((sk.run_steps, True), (sk.run_steps, False), (sk.run_steps_numpy, False)):
        C = X[:9].copy()
        counts, upd = np.zeros(9, np.int64), np.zeros(9, np.int64)
        kernel(X, C, idx, 1, eta, mode, counts, upd, parallel)
        out.append((C, counts, upd))
    np.testing.assert_array_equal(out[0][0], out[1][0])      # parallel or not: identical arithmetic
    np.testing.assert_allclose(out[0][0], out[2][0], atol=1e-12)
    for a, b in zip(out[0][1:], out[2][1:]):
        np.testing.assert_array_equal(a, b)


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


def test_clusterability_hand_computed():
    # two clusters on a line: means 1 and 11, bisector at 6, nearest points at distance 4
    X = np.array([[0.0], [2.0], [10.0], [12.0], [13.0]])
    cl = clusterability(X, [0, 0, 1, 1, 1])
    mu1 = 35 / 3
    assert cl.delta[0, 1] == pytest.approx(mu1 - 1)
    cost = 2 + ((np.array([10, 12, 13]) - mu1) ** 2).sum()
    assert cl.cost == pytest.approx(cost)
    assert cl.separation == pytest.approx((mu1 - 1) / (np.sqrt(cost) * (1 / np.sqrt(2) + 1 / np.sqrt(3))))
    bis = (1 + mu1) / 2
    assert cl.margin_min == pytest.approx(2 * min(bis - 2, 10 - bis))
    assert cl.margin_ratio == pytest.approx(cl.margin_min / (mu1 - 1))
    assert cl.p_min == pytest.approx(0.4) and cl.voronoi_consistent
    # a point on the wrong side of the bisector gives a negative margin
    bad = clusterability(X, [0, 0, 0, 1, 1])
    assert bad.margin_min < 0 and not bad.voronoi_consistent


def test_clusterability_margin_matches_brute_force():
    X, labels = BallMixture([[0, 0], [5, 0], [0, 4]], 1.0).sample(300, rng=1)
    cl = clusterability(X, labels)
    mus = [X[labels == r].mean(0) for r in range(3)]
    for r in range(3):
        for s in range(3):
            if r == s:
                continue
            vals = []
            for x, lab in zip(X, labels):
                if lab not in (r, s):
                    continue
                own, other = mus[lab], mus[s if lab == r else r]
                line = other - own
                xbar = own + (x - own) @ line / (line @ line) * line     # projection on the line
                vals.append(np.linalg.norm(xbar - other) - np.linalg.norm(xbar - own))
            assert cl.margin[r, s] == pytest.approx(min(vals), abs=1e-10)


def test_clusterability_invalid():
    with pytest.raises(ValueError, match="two clusters"):
        clusterability(np.zeros((3, 1)), [0, 0, 0])
    with pytest.raises(ValueError, match="empty"):
        clusterability(np.arange(3.0).reshape(-1, 1), [0, 2, 2])


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
