"""Tests of kmbook.seeding: uniform seeding, k-means++ (D^2 sampling) and Buckshot (Paper 2, Algorithm 2)."""

import numpy as np
import pytest
from scipy.sparse.csgraph import connected_components, minimum_spanning_tree
from scipy.spatial.distance import cdist

from kmbook.models import BallMixture
from kmbook.seeding import buckshot, kmeans_pp, uniform
from kmbook.voronoi import voronoi_labels

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


def single_linkage_reference(S, k):
    """Minimum spanning tree with its k - 1 longest edges cut (distinct points only)."""
    mst = minimum_spanning_tree(cdist(S, S)).toarray()
    edges = np.argwhere(mst > 0)
    weights = mst[mst > 0]
    for i in np.argsort(weights)[::-1][: k - 1]:
        mst[tuple(edges[i])] = 0
    return connected_components(mst, directed=False)[1]


def test_one_seed_per_true_cluster_on_separated_data():
    truth = np.array([[0, 0], [10, 0], [0, 10], [10, 10], [20, 5]], float)
    X, _ = BallMixture(truth, 1.0).sample(5000, rng=0)
    for g in np.random.default_rng(1).spawn(20):
        seeds = buckshot(X, 5, 60, g)
        assert sorted(voronoi_labels(seeds, truth)) == [0, 1, 2, 3, 4]
        assert np.abs(seeds - truth[voronoi_labels(seeds, truth)]).max() < 1.0


def test_components_match_mst_reference_and_means():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(400, 3))
    centers, S, comp = buckshot(X, 6, 80, rng=4, replace=False, return_sample=True)
    ref = single_linkage_reference(S, 6)
    # same partition of the sample (labels up to renaming)
    pairs = set(zip(comp.tolist(), ref.tolist()))
    assert len(pairs) == 6 == len(set(comp)) == len(set(ref))
    for r in range(6):
        np.testing.assert_allclose(centers[r], S[comp == r].mean(0), atol=1e-12)


def test_sample_size_is_k_gives_the_sample_itself():
    X = np.arange(10.0).reshape(-1, 1)
    centers, S, comp = buckshot(X, 4, 4, rng=0, replace=False, return_sample=True)
    np.testing.assert_array_equal(np.sort(centers.ravel()), np.sort(S.ravel()))


def test_reproducible():
    X = np.random.default_rng(0).normal(size=(300, 2))
    np.testing.assert_array_equal(buckshot(X, 3, 50, rng=7), buckshot(X, 3, 50, rng=7))


@pytest.mark.parametrize(
    "args, exc, match",
    [
        ({"sample_size": 2}, ValueError, "smaller than k"),
        ({"sample_size": 0}, ValueError, "sample_size"),
        ({"k": 0}, ValueError, "k"),
        ({"k": 11, "sample_size": 20}, ValueError, "k=11"),
        ({"sample_size": 11, "replace": False}, ValueError, "exceeds n"),
        ({"sample_size": 3.5}, TypeError, "sample_size"),
    ],
)
def test_invalid_inputs(args, exc, match):
    X = np.random.default_rng(0).normal(size=(10, 2))
    kw = {"k": 3, "sample_size": 5, "rng": 0} | args
    with pytest.raises(exc, match=match):
        buckshot(X, **kw)


def test_too_few_distinct_points_and_non_finite():
    with pytest.raises(ValueError, match="distinct"):
        buckshot(np.zeros((50, 2)), 2, 10, rng=0)
    X = np.ones((5, 2))
    X[1, 1] = np.inf
    with pytest.raises(ValueError, match="finite"):
        buckshot(X, 2, 3, rng=0)
