"""Tests of kmbook.oracles: the enumeration oracle against the independent one in tests/partition_oracle.py."""

import numpy as np
import pytest
from partition_oracle import balanced, kmeans_costs, partitions

from kmbook.oracles import best_partition


@pytest.mark.parametrize("n_points,k,balanced_only", [(12, 3, False), (12, 3, True), (9, 3, False), (8, 4, True), (10, 2, False)])
def test_best_partition_matches_the_oracle(n_points, k, balanced_only):
    X = np.random.default_rng(n_points * k).normal(size=(n_points, 2))
    L = partitions(n_points, k)
    if balanced_only:
        L = L[balanced(L, k)]
    costs = np.sort(kmeans_costs(X, L, k))
    res = best_partition(X, k, balanced=balanced_only)
    assert res.n_partitions == L.shape[0]
    assert res.cost == pytest.approx(costs[0], rel=1e-12) and res.second_cost == pytest.approx(costs[1], rel=1e-12)
    direct = sum(float(((X[res.labels == a] - X[res.labels == a].mean(0)) ** 2).sum()) for a in range(k))
    assert direct == pytest.approx(res.cost, rel=1e-12)
    with pytest.raises(ValueError, match="at most 12"):
        best_partition(np.zeros((13, 1)), 2)
    with pytest.raises(ValueError, match="divide"):
        best_partition(X[:7], 2, balanced=True)
