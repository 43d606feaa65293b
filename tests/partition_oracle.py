"""Brute-force oracle shared by tests/test_sdp.py and tests/test_proximity.py.

Enumerates every partition of N <= 12 labelled points into exactly k non-empty
clusters and evaluates the k-means cost of each with plain NumPy — no kmbook
code — so the SDP values and the certificates can be checked against the true
global optimum.
"""

import itertools

import numpy as np


def partitions(n_points, k):
    """Every partition of ``range(n_points)`` into exactly `k` blocks, as rows of
    labels in restricted-growth form (first point in block 0, each new block
    numbered one above the largest so far)."""
    if n_points > 12:
        raise ValueError("the oracle is meant for N <= 12")
    rows = np.array(list(itertools.product(range(k), repeat=n_points - 1)), dtype=np.int8).reshape(-1, n_points - 1)
    L = np.hstack([np.zeros((rows.shape[0], 1), dtype=np.int8), rows])
    prev_max = np.maximum.accumulate(L, axis=1)
    canonical = np.all(L[:, 1:] <= prev_max[:, :-1] + 1, axis=1)
    uses_all = prev_max[:, -1] == k - 1
    return L[canonical & uses_all]


def kmeans_costs(X, L, k):
    """k-means cost (sum of squared distances to the block means) of every row of `L`."""
    X = np.asarray(X, dtype=float)
    total = float(np.sum(X * X))
    cost = np.full(L.shape[0], total)
    for a in range(k):
        member = (L == a).astype(float)
        counts = member.sum(axis=1)
        sums = member @ X
        cost -= np.einsum("pd,pd->p", sums, sums) / counts
    return cost


def balanced(L, k):
    """Mask of the rows whose blocks all have ``N / k`` points."""
    n = L.shape[1] // k
    return np.all(np.stack([(L == a).sum(axis=1) == n for a in range(k)]), axis=0)
