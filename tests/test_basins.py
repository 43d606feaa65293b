"""Tests of kmbook.basins: partition comparison and basin radii (Paper 2, Definition 3)."""

import numpy as np
import pytest

from kmbook.basins import basin_radius, partition_radius, same_partition, worst_perturbation
from kmbook.models import GaussianMixture
from kmbook.objective import voronoi_labels
from kmbook.stochastic import stationary_point


def test_same_partition_is_permutation_invariant():
    rng = np.random.default_rng(0)
    a = rng.integers(0, 5, 200)
    perm = rng.permutation(5)
    assert same_partition(a, perm[a])
    b = a.copy()
    b[0] = (b[0] + 1) % 5
    assert not same_partition(a, b)
    # merging two clusters is a different partition even though one direction maps uniquely
    assert not same_partition(a, np.minimum(a, 3))
    assert not same_partition(np.minimum(a, 3), a)


def test_same_partition_rejects_different_lengths():
    with pytest.raises(ValueError):
        same_partition([0, 1, 1], [0, 1])


def _stationary(seed=0):
    X, _ = GaussianMixture(np.array([[0.0, 0.0], [6.0, 0.0], [0.0, 6.0]]), 1.0).sample(600, rng=seed)
    return X, stationary_point(X, np.array([[0.0, 0.0], [6.0, 0.0], [0.0, 6.0]]))


def test_partition_radius_by_brute_force_and_tight():
    X, sp = _stationary()
    rho = partition_radius(X, sp.centers)
    # brute force on the distances
    d = np.sqrt(((X[:, None] - sp.centers[None]) ** 2).sum(-1))
    d.sort(axis=1)
    assert rho == pytest.approx((d[:, 1] - d[:, 0]).min() / 2, rel=1e-12)
    # random moves of every centre by 0.999 rho never change the partition
    rng = np.random.default_rng(1)
    for _ in range(50):
        U = rng.normal(size=sp.centers.shape)
        U /= np.linalg.norm(U, axis=1, keepdims=True)
        assert np.array_equal(voronoi_labels(X, sp.centers + 0.999 * rho * U), sp.labels)
    # the worst move just beyond rho does
    W = worst_perturbation(X, sp.centers, 1 + 1e-6)
    assert np.linalg.norm(W - sp.centers, axis=1).max() == pytest.approx(rho, rel=1e-5)
    assert not np.array_equal(voronoi_labels(X, W), sp.labels)
    W_in = worst_perturbation(X, sp.centers, 1 - 1e-6)
    assert np.array_equal(voronoi_labels(X, W_in), sp.labels)


def test_basin_radius_bounds_and_errors():
    X, sp = _stationary()
    b = basin_radius(X, sp.centers, rng=0, n_directions=4)
    assert b.partition_radius == pytest.approx(partition_radius(X, sp.centers))
    assert np.all(b.radii >= b.partition_radius)
    # well-separated clusters: Lloyd returns from far beyond the partition radius
    assert b.median > 2 * b.partition_radius
    with pytest.raises(ValueError, match="stationary point"):
        basin_radius(X, sp.centers + np.array([[3.0, 0.0], [0, 0], [0, 0]]), rng=0)


def test_partition_radius_needs_two_centres():
    with pytest.raises(ValueError, match="two centres"):
        partition_radius(np.zeros((3, 2)), np.zeros((1, 2)))
