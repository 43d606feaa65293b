"""Exact k-means oracles for tiny instances, by enumerating every partition.

Paper: Paper 3, eq. (2.1)-(2.2) (k-means as a search over partitions).
Chapter: book/convex/amini_levina.

The relaxations of :mod:`kmbook.sdp` are lower bounds on these optima, which
makes them the reference for the relaxations' values on small data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validation import as_points, check_n_clusters
from .partitions import distance_matrix

__all__ = ["BestPartition", "best_partition"]


def _growth_strings(n_points, k, sizes=None):
    """All labelings in restricted-growth form with exactly `k` blocks (recursive;
    optionally with every block of size ``sizes``)."""
    out = []
    labels = [0] * n_points
    counts = [0] * k

    def place(i, used):
        if n_points - i < k - used:  # not enough points left to open the missing blocks
            return
        if i == n_points:
            out.append(labels.copy())
            return
        for a in range(min(used + 1, k)):
            if sizes is not None and counts[a] == sizes:
                continue
            labels[i] = a
            counts[a] += 1
            place(i + 1, max(used, a + 1))
            counts[a] -= 1

    labels[0], counts[0] = 0, 1
    place(1, 1)
    return np.array(out, dtype=np.int64).reshape(-1, n_points)


@dataclass(frozen=True)
class BestPartition:
    """Result of :func:`best_partition`.

    Attributes
    ----------
    cost : float
        The global minimum of the k-means cost over the partitions searched.
    labels : ndarray of shape (N,)
        A minimiser (restricted-growth labels: point 0 in cluster 0, ...).
    second_cost : float
        The second smallest cost (``inf`` if there is one partition only):
        the minimiser is unique when ``second_cost > cost``.
    n_partitions : int
        Number of partitions enumerated.
    """

    cost: float
    labels: np.ndarray
    second_cost: float
    n_partitions: int


def best_partition(X, k, balanced=False):
    """Global k-means optimum by enumerating every partition (N <= 12).

    An exact oracle for tiny instances: the relaxations' values must lie below
    ``best_partition(X, k).cost`` (Peng–Wei) and below
    ``best_partition(X, k, balanced=True).cost`` (Amini–Levina).

    Paper: Paper 3, eq. (2.1)–(2.2) (k-means as a search over partitions).
    Chapter: book/convex/amini_levina.

    Parameters
    ----------
    X : array-like of shape (N, d)
        At most 12 points.
    k : int
        Number of non-empty clusters.
    balanced : bool, default=False
        Only partitions into clusters of size ``N / k`` (k must divide N).

    Returns
    -------
    BestPartition

    Examples
    --------
    >>> from kmbook.oracles import best_partition
    >>> res = best_partition([[0.0], [1.0], [5.0], [6.0]], 2)
    >>> res.cost, res.labels.tolist(), res.n_partitions
    (1.0, [0, 0, 1, 1], 7)
    """
    X = as_points(X, "X")
    n_points = X.shape[0]
    if n_points > 12:
        raise ValueError(f"best_partition enumerates every partition and accepts at most 12 points; got N={n_points}.")
    k = check_n_clusters(k, n_points)
    sizes = None
    if balanced:
        if n_points % k:
            raise ValueError(f"balanced partitions need k={k} to divide N={n_points}.")
        sizes = n_points // k
    L = _growth_strings(n_points, k, sizes)
    D = distance_matrix(X)
    cost = np.zeros(L.shape[0])
    for a in range(k):
        M = (L == a).astype(float)
        cost += np.einsum("pi,ij,pj->p", M, D, M) / (2 * M.sum(axis=1))
    order = np.argsort(cost, kind="stable")
    second = float(cost[order[1]]) if cost.size > 1 else float("inf")
    return BestPartition(cost=float(cost[order[0]]), labels=L[order[0]], second_cost=second, n_partitions=int(L.shape[0]))
