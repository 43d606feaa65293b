"""Tests of kmbook.gaussian_mixtures: K-cluster Gaussian thresholds of (1.1) and Table 1 bounds."""

from functools import partial

import numpy as np
import pytest
from scipy import stats

from kmbook.gaussian_mixtures import (
    closest_pair_max_cdf,
    exact_recovery_floor,
    expected_closest_pair_max,
    gaussian_mixture_sample,
    gaussian_threshold_prediction,
    gmm_bounds,
    simplex_centres,
    single_pair_prediction,
    threshold_parts,
)
from kmbook.proximity import pw_proximity
from kmbook.random_models import expected_max_normal, threshold_separations


def _projection_max(K, n, layout, rng):
    """Largest projection of a point onto the direction of a closest neighbour (true means)."""
    d = K - 1 if layout == "simplex" else 1
    C = simplex_centres(K, d, 1.0) if layout == "simplex" else np.arange(K, dtype=float)[:, None]
    G = rng.normal(size=(K, n, d))
    best = -np.inf
    for a in range(K):
        for b in range(K):
            if a != b and np.isclose(np.linalg.norm(C[a] - C[b]), 1.0):
                best = max(best, float((G[a] @ (C[b] - C[a])).max()))
    return best


@pytest.mark.parametrize("layout", ["line", "simplex"])
def test_closest_pair_max_law_matches_monte_carlo(layout):
    K, n = 4, 20
    rng = np.random.default_rng(7)
    m = np.array([_projection_max(K, n, layout, rng) for _ in range(4000)])
    for x in (1.5, 2.0, 2.5, 3.0):
        p = closest_pair_max_cdf(x, K, n, layout)[0]
        assert abs(np.mean(m <= x) - p) <= 4 * np.sqrt(p * (1 - p) / m.size) + 1e-3
    e = expected_closest_pair_max(K, n, layout)
    assert abs(m.mean() - e) <= 4 * m.std() / np.sqrt(m.size)


def test_two_clusters_reduce_to_the_maximum_of_2n_normals():
    for layout in ("line", "simplex"):
        assert expected_closest_pair_max(2, 30, layout) == pytest.approx(expected_max_normal(60), abs=1e-6)
    x = np.array([0.5, 2.0])
    assert np.allclose(closest_pair_max_cdf(x, 2, 3, "simplex"), stats.norm.cdf(x) ** 6, atol=1e-10)


def test_more_closest_pairs_raise_the_threshold():
    line = [gaussian_threshold_prediction(K, 200, 2) for K in (2, 4, 8)]
    assert line[0] < line[1] < line[2]
    for K in (4, 8):  # the single-pair formula ignores K - 1 or K(K-1)/2 pairs
        assert single_pair_prediction(K, 200, 2) < gaussian_threshold_prediction(K, 200, 2)
        assert gaussian_threshold_prediction(K, 200, K - 1) < gaussian_threshold_prediction(
            K, 200, K - 1, layout="simplex")


def test_prediction_against_a_small_simulation():
    """A slice of the chapter's experiment: K = 4 on a line, n = 300, 60 instances."""
    sampler = partial(lambda g: gaussian_mixture_sample(4, 300, 2, g))
    sim = threshold_separations(sampler, 60, np.random.default_rng(3), necessary=False).sufficient
    se = sim.std(ddof=1) / np.sqrt(sim.size)
    new, old = gaussian_threshold_prediction(4, 300, 2), single_pair_prediction(4, 300, 2)
    assert abs(sim.mean() - new) < abs(sim.mean() - old) / 2
    assert sim.mean() - old > 3 * se  # the single-pair formula is too low


def test_samples_and_simplex():
    X, lab = gaussian_mixture_sample(3, 5, 2, np.random.default_rng(0), layout="simplex", delta=100.0)
    assert X.shape == (15, 2) and pw_proximity(X, lab).holds
    with pytest.raises(ValueError, match="d must be at least"):
        simplex_centres(4, 2, 1.0)
    with pytest.raises(ValueError, match="layout"):
        gaussian_mixture_sample(3, 5, 2, 0, layout="hive")


def test_gmm_bounds_scaling():
    small, large = gmm_bounds(4, 2, 4000), gmm_bounds(400, 2, 400_000)
    assert small["Lu-Zhou"] is None and small["Mixon-Villar-Ward"] is None
    # rows whose log term is not reproduced are not evaluated
    assert small["Vempala-Wang"] is None and small["Achlioptas-McSherry"] is None
    # every evaluated exact-recovery row lies above the floor
    for b, N in ((small, 4000), (large, 400_000)):
        assert all(v > exact_recovery_floor(N) for v in b.values() if v is not None)
    # Awasthi-Sheffet's centre separation is linear in K, (1.1) grows like sqrt(K)
    assert large["Awasthi-Sheffet"] / small["Awasthi-Sheffet"] > 50
    assert large["Paper 3 (1.1)"] < large["Awasthi-Sheffet"] < large["Kumar-Kannan"]
    with pytest.raises(ValueError, match="N"):
        gmm_bounds(4, 2, 1)


def test_exact_recovery_floor_counts_one_point_beyond_the_bisector():
    # at the floor, the expected number of N Gaussian points beyond a bisector at
    # Delta/2 is 1: Monte Carlo with 400 x N draws
    rng = np.random.default_rng(3)
    N = 2000
    t = exact_recovery_floor(N) / 2
    counts = (rng.normal(size=(400, N)) > t).sum(axis=1)
    assert abs(counts.mean() - 1) < 4 * counts.std() / np.sqrt(400)
    assert abs(exact_recovery_floor(N, sigma=2.0) - 2 * exact_recovery_floor(N)) < 1e-12
    with pytest.raises(ValueError, match="N"):
        exact_recovery_floor(1)


def test_threshold_parts_matches_threshold_scale():
    from kmbook.proximity import threshold_scale

    rng = np.random.default_rng(5)
    for layout, K, d in (("line", 4, 2), ("simplex", 4, 3)):
        X, lab = gaussian_mixture_sample(K, 200, d, rng, layout=layout)
        T, beta, rhs = threshold_parts(X, lab)
        C = np.array([X[lab == a].mean(axis=0) for a in range(K)])
        D = np.linalg.norm(C[:, None] - C[None], axis=2)
        dmin = D[~np.eye(K, dtype=bool)].min()
        assert abs(T - threshold_scale(X, lab) * dmin) < 1e-9 * T
        assert abs(T - 2 * (beta + rhs)) < 1e-12 * T and beta > 0 and rhs > 0
    with pytest.raises(ValueError, match="labels"):
        threshold_parts(np.array([[0.0], [0.0], [1.0], [-1.0]]), [0, 0, 1, 1])
