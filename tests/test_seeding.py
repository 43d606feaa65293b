"""Tests of kmbook.seeding: uniform seeding and k-means++ (D^2 sampling)."""

import numpy as np
import pytest

from kmbook.seeding import kmeans_pp, uniform

X5 = np.array([[0.0], [1.0], [3.0], [7.0], [15.0]])


def test_uniform_draws_distinct_rows_reproducibly():
    X = np.arange(40.0).reshape(20, 2)
    C, idx = uniform(X, 7, rng=3, return_indices=True)
    assert len(set(idx.tolist())) == 7
    np.testing.assert_array_equal(C, X[idx])
    np.testing.assert_array_equal(C, uniform(X, 7, rng=3))


def test_uniform_is_uniform_over_rows():
    counts = np.zeros(5)
    gen = np.random.default_rng(0)
    for _ in range(20_000):
        counts[uniform(X5, 2, gen, return_indices=True)[1]] += 1
    np.testing.assert_allclose(counts / 20_000, 0.4, atol=0.02)


def test_kmeans_pp_second_centre_follows_d2_sampling():
    """Given the first centre, the second is drawn with probability proportional to D^2."""
    gen = np.random.default_rng(1)
    second = {i: np.zeros(5) for i in range(5)}
    for _ in range(40_000):
        idx = kmeans_pp(X5, 2, gen, return_indices=True)[1]
        second[idx[0]][idx[1]] += 1
    for first, counts in second.items():
        d2 = (X5[:, 0] - X5[first, 0]) ** 2
        expected = d2 / d2.sum()
        total = counts.sum()
        assert total > 6000                                   # first centre is uniform
        se = np.sqrt(expected * (1 - expected) / total)
        np.testing.assert_array_less(np.abs(counts / total - expected), 5 * se + 1e-12)


def test_kmeans_pp_handles_duplicate_points_and_spreads_out():
    X = np.array([[0.0, 0.0]] * 5 + [[10.0, 0.0]] * 5)
    C = kmeans_pp(X, 3, rng=2)                                # third centre: all D^2 = 0, uniform fallback
    assert {tuple(c) for c in C[:2]} == {(0.0, 0.0), (10.0, 0.0)}
    assert C.shape == (3, 2)


@pytest.mark.parametrize("func", [uniform, kmeans_pp])
def test_seeding_rejects_bad_input(func):
    with pytest.raises(ValueError, match="must be <= the number of points"):
        func(X5, 6, rng=0)
    with pytest.raises(ValueError, match="must be >= 1"):
        func(X5, 0, rng=0)
    with pytest.raises(TypeError, match="rng must be None"):
        func(X5, 2, rng="seed")
    with pytest.raises(ValueError, match="2-D"):
        func(np.arange(5.0), 2, rng=0)
