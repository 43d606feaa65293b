"""Tests of kmbook.geometries: the Section 5 layouts and point sets of Paper 3."""

import numpy as np
import pytest
from scipy.spatial.distance import pdist

from kmbook import geometries as g


@pytest.mark.parametrize("layout", g.LAYOUTS)
@pytest.mark.parametrize("K", range(2, 13))
def test_minimum_separation_is_exactly_delta(layout, K):
    C = g.centers(layout, K, 2.7)
    assert C.shape == (K, 2)
    assert pdist(C).min() == pytest.approx(2.7, rel=1e-12)
    assert np.allclose(C.mean(0), 0, atol=1e-12)


def test_layout_shapes():
    circle = g.centers("circle", 6, 1.0)
    assert np.allclose(np.linalg.norm(circle, axis=1), 1.0)  # hexagon of side 1 has circumradius 1
    line = g.centers("line", 5, 2.0)
    assert np.allclose(line[:, 1], 0) and np.allclose(np.diff(line[:, 0]), 2.0)
    hive = g.centers("hive", 7, 1.0)  # hexagon and its centre
    dists = pdist(hive)
    assert np.isclose(dists, 1.0).sum() == 12 and np.allclose(np.sort(np.linalg.norm(hive, axis=1))[1:], 1.0)
    assert np.allclose(g.centers("hive", 3, 1.0), g.centers("hive", 3, 1.0))  # deterministic
    # a compact layout: the hive's pairs at distance delta are never fewer than the line's
    for K in range(2, 12):
        assert np.isclose(pdist(g.centers("hive", K, 1.0)), 1.0).sum() >= K - 1


def test_higher_dimension_pads_with_zeros():
    C = g.centers("circle", 4, 3.0, d=5)
    assert C.shape == (4, 5) and np.all(C[:, 2:] == 0)
    assert pdist(C).min() == pytest.approx(3.0)


@pytest.mark.parametrize("n", [2, 3, 6, 11])
def test_circle_points(n):
    P = g.sphere_points(n)
    assert np.allclose(np.linalg.norm(P, axis=1), 1) and np.allclose(P.mean(0), 0, atol=1e-12)
    assert np.allclose(np.diff(np.unwrap(np.arctan2(P[:, 1], P[:, 0]))), 2 * np.pi / n)
    if n >= 3:  # isotropic: X_bar X_bar^T = (n / 2) I
        assert np.allclose(P.T @ P, n / 2 * np.eye(2))


@pytest.mark.parametrize("d", [3, 4, 8])
def test_sphere_points_deterministic_and_centred(d):
    P = g.sphere_points(10, d)
    assert P.shape == (10, d)
    assert np.allclose(np.linalg.norm(P, axis=1), 1) and np.allclose(P.mean(0), 0, atol=1e-12)
    assert np.array_equal(P, g.sphere_points(10, d))
    assert np.allclose(P[0::2], -P[1::2])
    assert np.unique(np.round(P, 9), axis=0).shape[0] == 10  # no repeated point


def test_random_sphere_points_are_reproducible():
    a = g.sphere_points(7, 4, rng=3)
    assert np.array_equal(a, g.sphere_points(7, 4, rng=3))
    assert np.allclose(np.linalg.norm(a, axis=1), 1)


def test_section5_data():
    X, lab = g.section5_data("hive", 4, 3.0, n=6, d=2)
    C = g.centers("hive", 4, 3.0)
    assert X.shape == (24, 2) and np.array_equal(lab, np.repeat(np.arange(4), 6))
    for a in range(4):
        assert np.allclose(X[lab == a].mean(0), C[a])
        assert np.allclose(np.linalg.norm(X[lab == a] - C[a], axis=1), 1)
    Xr, _ = g.section5_data("line", 3, 3.0, n=5, d=3, rng=0)
    assert Xr.shape == (15, 3) and np.array_equal(Xr, g.section5_data("line", 3, 3.0, n=5, d=3, rng=0)[0])


def test_far_cluster_data():
    X, lab = g.far_cluster_data(3.0, 12.0, n=6, distance=50.0)
    assert X.shape == (18, 2) and np.array_equal(lab, np.repeat([0, 1, 2], 6))
    assert np.allclose(X[lab == 0].mean(0), [-1.5, 0]) and np.allclose(X[lab == 1].mean(0), [1.5, 0])
    assert np.allclose(X[lab == 2].mean(0), [0, 50]) and np.allclose(np.linalg.norm(X[lab == 2] - [0, 50], axis=1), 12)
    with pytest.raises(ValueError, match="spread"):
        g.far_cluster_data(3.0, 0.0)


def test_invalid_inputs():
    with pytest.raises(ValueError, match="layout"):
        g.centers("square", 3, 1.0)
    with pytest.raises(ValueError, match=">= 2"):
        g.centers("line", 1, 1.0)
    with pytest.raises(ValueError, match="> 0"):
        g.centers("line", 3, -1.0)
    with pytest.raises(ValueError, match="n must be even"):
        g.sphere_points(5, 3)
    with pytest.raises(TypeError):
        g.centers("line", 2.5, 1.0)
