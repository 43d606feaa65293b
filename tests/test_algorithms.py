"""Tests of kmbook.algorithms: centroid index, coverage probability of seeding, pruning."""

import math

import numpy as np
import pytest
from scipy.stats import norm

from kmbook import algorithms as A
from kmbook.algorithms import centroid_index, coverage_probability, prune
from kmbook.lloyd import lloyd


def _ci_reference(A, B):
    """Franti's definition, written with explicit loops."""
    def orphans(P, Q):
        hit = [False] * len(Q)
        for p in P:
            dists = [sum((pa - qa) ** 2 for pa, qa in zip(p, q)) for q in Q]
            hit[dists.index(min(dists))] = True
        return hit.count(False)
    return orphans(A, B), orphans(B, A)


def _blobs(rng, centers, sigma, n_each):
    return np.vstack([rng.normal(c, sigma, (n_each, len(c))) for c in centers])


def test_centroid_index_known_cases():
    T = np.array([[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0]])
    assert centroid_index(T, T) == 0
    assert centroid_index(T[::-1], T) == 0                    # order does not matter
    moved = T.copy()
    moved[3] = [0.5, 0.0]                                      # 2-fit-1 + an orphan true centre
    assert centroid_index(moved, T, directed=True) == (1, 1)
    moved[2] = [9.5, 0.0]                                      # two clusters lost
    assert centroid_index(moved, T) == 2
    assert centroid_index(T, moved) == centroid_index(moved, T)  # symmetric
    over = np.vstack([T, T + 0.3])                             # k = 2 k*: 4 extra centroids
    assert centroid_index(over, T, directed=True) == (0, 4)
    assert centroid_index(T, over, directed=True) == (4, 0)


def test_centroid_index_matches_reference_on_random_cases():
    rng = np.random.default_rng(0)
    for _ in range(200):
        k, ks, d = rng.integers(1, 8), rng.integers(1, 8), rng.integers(1, 4)
        A, B = rng.normal(size=(k, d)), rng.normal(size=(ks, d))
        a_b, b_a = _ci_reference(A.tolist(), B.tolist())
        assert centroid_index(A, B, directed=True) == (a_b, b_a)
        assert centroid_index(A, B) == centroid_index(B, A) == max(a_b, b_a)


def test_centroid_index_rejects_bad_input():
    with pytest.raises(ValueError, match="true_centers must have 2 column"):
        centroid_index([[0.0, 0.0]], [[0.0]])
    with pytest.raises(ValueError, match="finite"):
        centroid_index([[np.inf]], [[0.0]])


def test_valley_ratio_closed_forms():
    """The slab-count ratios documented in prune: 1.37 for a split Gaussian, the formula for two."""
    P = norm.cdf
    rng = np.random.default_rng(1)
    X = rng.normal(0.0, 1.0, (400_000, 2))
    a = math.sqrt(2 / math.pi)                                  # centres of the two halves
    halves = (P(a / 4) - P(-a / 4)) / (P(a + a / 4) - P(a - a / 4))
    assert halves == pytest.approx(1.37, abs=0.005)
    assert A._valley_ratio(X, np.array([-a, 0.0]), np.array([a, 0.0])) == pytest.approx(halves, abs=0.02)
    two = lambda D: 2 * (P(5 * D / 8) - P(3 * D / 8)) / ((2 * P(D / 8) - 1) + (P(-7 * D / 8) - P(-9 * D / 8)))
    assert two(2.24) == pytest.approx(1.0, abs=0.002)
    for delta in (2.0, 2.24, 3.0, 4.0):
        Y = np.vstack([rng.normal([0.0, 0.0], 1.0, (200_000, 2)), rng.normal([delta, 0.0], 1.0, (200_000, 2))])
        assert A._valley_ratio(Y, np.array([0.0, 0.0]), np.array([delta, 0.0])) == pytest.approx(two(delta), abs=0.02)


def test_prune_drops_empty_and_merges_split_clusters():
    rng = np.random.default_rng(2)
    T = np.array([[0.0, 0.0], [8.0, 0.0], [0.0, 8.0], [8.0, 8.0]])
    X = _blobs(rng, T, 1.0, 800)
    beta = np.vstack([T + [0.8, 0.0], T - [0.8, 0.0], [[40.0, 40.0]]])   # 2 per cluster + 1 empty
    res = prune(X, beta)
    assert res.dropped == (8,)
    assert sorted(res.members) == [(0, 4), (1, 5), (2, 6), (3, 7)]
    assert centroid_index(res.centers, T) == 0
    assert res.counts.sum() == X.shape[0]
    np.testing.assert_allclose(np.sort(res.centers, axis=0), np.sort(T, axis=0), atol=0.15)


def test_prune_keeps_separate_clusters_and_ward_reaches_n_clusters():
    rng = np.random.default_rng(3)
    T = np.array([[0.0, 0.0], [6.0, 0.0], [3.0, 5.0]])
    X = _blobs(rng, T, 1.0, 1000)
    assert len(prune(X, T).centers) == 3                        # nothing to prune at the truth
    fit = lloyd(X, X[rng.choice(len(X), 9, replace=False)], max_iter=1000)
    ward = prune(X, fit.centers, n_clusters=3)
    assert len(ward.centers) == 3 and sorted(i for m in ward.members for i in m) + list(ward.dropped) == sorted(range(9))
    assert centroid_index(lloyd(X, ward.centers).centers, T) == 0


def test_prune_rejects_bad_input():
    X = np.zeros((5, 2))
    with pytest.raises(ValueError, match="centers must have 2 column"):
        prune(X, [[0.0]])
    with pytest.raises(ValueError, match="valley must be > 0"):
        prune(X, [[0.0, 0.0]], valley=0)
    with pytest.raises(ValueError, match="n_clusters must be >= 1"):
        prune(X, [[0.0, 0.0]], n_clusters=0)


def test_coverage_probability_against_inclusion_exclusion_and_simulation():
    sizes = [3, 5, 2, 7]
    n = sum(sizes)
    for k in range(1, n + 1):
        total = 0
        for mask in range(1 << len(sizes)):
            missing = sum(sizes[s] for s in range(len(sizes)) if mask >> s & 1)
            total += (-1) ** bin(mask).count("1") * math.comb(n - missing, k)
        assert coverage_probability(sizes, k) == pytest.approx(total / math.comb(n, k), abs=1e-15)
    m, k = 400, 6
    assert coverage_probability([m] * k, k) == pytest.approx(m**k / math.comb(m * k, k), rel=1e-12)
    assert coverage_probability([10**6] * 5, 5) == pytest.approx(math.factorial(5) / 5**5, rel=1e-4)
    rng = np.random.default_rng(0)
    labels = np.repeat(np.arange(4), sizes)
    hits = np.mean([len(set(labels[rng.choice(n, 5, replace=False)])) == 4 for _ in range(20_000)])
    assert hits == pytest.approx(coverage_probability(sizes, 5), abs=4 * math.sqrt(0.25 / 20_000))
    with pytest.raises(ValueError, match="k must be <= 17"):
        coverage_probability(sizes, 18)
    with pytest.raises(ValueError, match="at least one cluster"):
        coverage_probability([], 1)
