
"""Tests of kmbook.objective: the empirical k-means objective, its gradient and centres of mass."""

import numpy as np
import pytest

from kmbook.models import BallMixture, GaussianMixture
from kmbook.objective import centers_of_mass, directional_derivative, kmeans_cost, kmeans_gradient
from kmbook.voronoi import voronoi_labels


def brute_cost(X, C):
    return ((X[:, None, :] - C[None, :, :]) ** 2).sum(-1).min(1).sum()


def test_cost_small_case_by_hand():
    X = np.array([[0.0, 0.0], [2.0, 0.0], [10.0, 1.0]])
    C = np.array([[1.0, 0.0], [10.0, 0.0]])
    assert kmeans_cost(X, C) == pytest.approx(1.0 + 1.0 + 1.0)
    np.testing.assert_array_equal(voronoi_labels(X, C), [0, 0, 1])


def test_ties_go_to_lowest_index():
    X = np.array([[0.0], [1.0]])
    C = np.array([[1.0], [-1.0], [1.0]])
    np.testing.assert_array_equal(voronoi_labels(X, C), [0, 0])


def test_gradient_matches_finite_differences_on_a_sample():
    # G_n is piecewise quadratic; for a small step no point changes cell, so the
    # central difference is exact up to rounding.
    X, _ = BallMixture([[-2.0, 0.0], [2.0, 0.0], [0.0, 3.0]], 0.8).sample(5000, rng=1)
    C = np.array([[-1.5, 0.2], [1.8, -0.1], [0.3, 2.5]])
    g = kmeans_gradient(X, C)
    rng = np.random.default_rng(2)
    for _ in range(5):
        v = rng.standard_normal(C.shape)
        h = 1e-6
        fd = (kmeans_cost(X, C + h * v) - kmeans_cost(X, C - h * v)) / (2 * h)
        assert fd == pytest.approx(np.sum(g * v), rel=1e-6)
        assert directional_derivative(X, C, v) == pytest.approx(np.sum(g * v), rel=1e-12)


def test_gradient_vanishes_exactly_at_centres_of_mass():
    X, _ = GaussianMixture([[0.0, 0.0], [4.0, 4.0]], 1.0).sample(3000, rng=5)
    C = np.array([[0.5, 0.0], [3.0, 4.0]])
    means, counts = centers_of_mass(X, C)
    assert counts.sum() == 3000
    # moving each centre to its mean zeroes the gradient computed with the same cells
    labels = voronoi_labels(X, C)
    grad_at_means = -2 * np.array([(X[labels == i] - means[i]).sum(0) for i in range(2)])
    np.testing.assert_allclose(grad_at_means, 0, atol=1e-9)


def test_centers_of_mass_marks_empty_sets():
    X = np.array([[0.0], [1.0]])
    means, counts = centers_of_mass(X, np.array([[0.5], [100.0]]))
    assert counts.tolist() == [2, 0]
    assert means[0, 0] == 0.5 and np.isnan(means[1, 0])


def test_gradient_rejects_coincident_centres():
    with pytest.raises(ValueError, match="distinct"):
        kmeans_gradient(np.zeros((3, 1)), np.array([[1.0], [1.0]]))


@pytest.mark.parametrize(
    "X,C,exc,match",
    [
        (np.array([[np.nan, 0.0]]), np.zeros((1, 2)), ValueError, "X must be finite"),
        (np.zeros(4), np.zeros((1, 1)), ValueError, r"X must be 2-D.*reshape"),
        (np.zeros((4, 2)), np.zeros((1, 3)), ValueError, "centers must have 2 column"),
        (np.zeros((4, 2)), np.array([[0.0, np.inf]]), ValueError, "centers must be finite"),
        (np.zeros((4, 2)), "abc", TypeError, "centers must be an array"),
        (np.zeros((0, 2)), np.zeros((1, 2)), ValueError, "at least 1 row"),
    ],
)
def test_invalid_inputs(X, C, exc, match):
    with pytest.raises(exc, match=match):
        kmeans_cost(X, C)


def test_cost_agrees_with_brute_force_on_random_data():
    rng = np.random.default_rng(7)
    X = rng.standard_normal((2000, 4)) * 5
    C = rng.standard_normal((9, 4)) * 5
    assert kmeans_cost(X, C) == pytest.approx(brute_cost(X, C), rel=1e-12)
