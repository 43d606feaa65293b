"""Tests of kmbook.seeding.buckshot (Paper 2, Algorithm 2)."""

import numpy as np
import pytest
from scipy.sparse.csgraph import connected_components, minimum_spanning_tree
from scipy.spatial.distance import cdist

from kmbook.models import BallMixture
from kmbook.objective import voronoi_labels
from kmbook.seeding import buckshot


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
