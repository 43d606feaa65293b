"""Tests of kmbook.partitions: membership matrices, the cost identity, exactness."""

import numpy as np
import pytest

from kmbook.objective import kmeans_cost
from kmbook.partitions import distance_matrix, exactness_error, is_exact, membership_matrix


def _blobs(rng, sizes, d=2, spread=3.0):
    K = len(sizes)
    C = rng.normal(size=(K, d)) * spread
    X = np.vstack([C[a] + rng.normal(size=(sizes[a], d)) * np.exp(rng.normal()) for a in range(K)])
    return X, np.repeat(np.arange(K), sizes)


def test_membership_matrix_hand_case_and_properties():
    Z = membership_matrix([1, 1, 1, 4, 4])
    expected = np.zeros((5, 5))
    expected[:3, :3] = 1 / 3
    expected[3:, 3:] = 1 / 2
    assert np.array_equal(Z, expected)
    # the four properties behind the relaxation: PSD, Z >= 0, tr Z = K, Z 1 = 1 (and Z^2 = Z)
    assert np.linalg.eigvalsh(Z).min() > -1e-12
    assert np.isclose(np.trace(Z), 2) and np.allclose(Z.sum(1), 1) and np.allclose(Z @ Z, Z)


def test_cost_identity_half_inner_product(rng=np.random.default_rng(0)):
    for _ in range(20):
        X, lab = _blobs(rng, rng.integers(1, 6, size=rng.integers(2, 5)))
        means = np.array([X[lab == a].mean(0) for a in np.unique(lab)])
        cost = kmeans_cost(X, means)  # points assigned to their nearest mean
        direct = sum(float(((X[lab == a] - means[a]) ** 2).sum()) for a in np.unique(lab))
        half = 0.5 * float(np.sum(distance_matrix(X) * membership_matrix(lab)))
        assert np.isclose(half, direct, rtol=1e-12)
        assert cost <= direct + 1e-9  # Voronoi assignment can only do better


def test_distance_matrix_matches_naive():
    X = np.random.default_rng(1).normal(size=(7, 3))
    naive = np.array([[np.sum((a - b) ** 2) for b in X] for a in X])
    assert np.allclose(distance_matrix(X), naive, atol=1e-12)


def test_is_exact_and_error():
    Z = membership_matrix([0, 0, 1])
    assert exactness_error(Z + 1e-5, [0, 0, 1]) == pytest.approx(1e-5)
    assert is_exact(Z + 1e-5, [0, 0, 1]) and not is_exact(Z + 1e-3, [0, 0, 1])
    assert not is_exact(Z, [0, 1, 1])
