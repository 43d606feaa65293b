"""Is the planted partition the k-means optimum? Two cheap witnesses.

A relaxation that fails to return the planted partition is only at fault when
that partition is the k-means optimum. For the far-cluster instances of the
Figure 2 chapter two computations decide most cases: an explicit competitor
(merge two clusters, split a third in two, best split by enumeration) *proves*
the planted partition is not optimal when it is cheaper; Lloyd's algorithm
from many seeded starts gives evidence (not proof) that it is optimal when
nothing cheaper is found.

Paper: Paper 3, Section 3.2 and Figure 2 (Corollary 3.2: an exact relaxation
returns a k-means optimum).
Chapter: book/convex/amini_levina.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np

from ._validation import as_labels, as_points
from .lloyd import lloyd

__all__ = ["partition_cost", "merge_split_cost", "lloyd_best_cost"]


def partition_cost(X, labels):
    """k-means cost of a partition: squared distances of points to their cluster means.

    Paper: Paper 3, eq. (1.1) context (the k-means objective).
    Chapter: book/convex/amini_levina.

    Parameters
    ----------
    X : array-like of shape (N, d)
    labels : array-like of int, shape (N,)

    Returns
    -------
    float

    Examples
    --------
    >>> partition_cost([[0.0], [2.0], [10.0]], [0, 0, 1])
    2.0
    """
    X = as_points(X)
    labels = np.asarray(labels)
    if labels.shape != (X.shape[0],):
        raise ValueError(f"labels must have shape ({X.shape[0]},); got {labels.shape}.")
    return float(sum(((X[labels == a] - X[labels == a].mean(axis=0)) ** 2).sum()
                     for a in np.unique(labels)))


def merge_split_cost(X, labels, merge, split):
    """Cost of the partition that merges two clusters and splits a third optimally in two.

    The split is the cheapest of all two-part splits of cluster `split`,
    found by enumeration (at most ``2**(m-1)`` splits for ``m`` points).

    Paper: Paper 3, Section 3.2 and Figure 2.
    Chapter: book/convex/amini_levina.

    Parameters
    ----------
    X : array-like of shape (N, d)
    labels : array-like of int, shape (N,)
    merge : pair of int
        The two cluster labels merged into one.
    split : int
        The cluster label split in two; at most 20 points.

    Returns
    -------
    float

    Examples
    --------
    >>> X = [[0.0, 0], [0.1, 0], [0.3, 0], [0.4, 0], [50.0, 0], [60.0, 0]]
    >>> round(merge_split_cost(X, [0, 0, 1, 1, 2, 2], (0, 1), 2), 6)
    0.1
    """
    X = as_points(X, "X")
    labels = as_labels(labels, "labels", n_samples=X.shape[0])
    present = set(np.unique(labels).tolist())
    if (isinstance(merge, (str, bytes)) or not hasattr(merge, "__len__") or len(merge) != 2
            or not all(isinstance(c, (int, np.integer)) and not isinstance(c, bool) for c in merge)):
        raise TypeError(f"merge must be a pair of cluster labels (a, b); got {merge!r}.")
    if not isinstance(split, (int, np.integer)) or isinstance(split, bool):
        raise TypeError(f"split must be a cluster label (an int); got {split!r}.")
    a, b = (int(c) for c in merge)
    split = int(split)
    if a == b or len({a, b, split}) != 3:
        raise ValueError("merge must name two different clusters and split a third one.")
    missing = [c for c in (a, b, split) if c not in present]
    if missing:
        raise ValueError(f"merge and split must name clusters present in labels; {missing} are not.")
    merged = X[(labels == a) | (labels == b)]
    W = X[labels == split]
    m = W.shape[0]
    if m < 2 or m > 20:
        raise ValueError(f"the split cluster must have 2 to 20 points; it has {m}.")

    def sse(P):
        return float(((P - P.mean(axis=0)) ** 2).sum()) if len(P) else 0.0

    best = np.inf
    for size in range(1, m // 2 + 1):
        for part in combinations(range(m), size):
            mask = np.zeros(m, bool)
            mask[list(part)] = True
            best = min(best, sse(W[mask]) + sse(W[~mask]))
    others = sum(sse(X[labels == c]) for c in np.unique(labels)
                 if c not in (a, b, split))
    return sse(merged) + best + others


def lloyd_best_cost(X, k, rng, *, restarts=100):
    """Lowest k-means cost Lloyd's algorithm reaches from `restarts` seeded starts.

    Each start is `k` distinct data points drawn from `rng`. The result is an
    upper bound on the k-means optimum; when it is not below a partition's
    cost, that partition is *probably* optimal (evidence, not proof).

    Paper: Paper 3, Section 3.2 (the k-means optimum that Corollary 3.2 refers to).
    Chapter: book/convex/amini_levina.

    Parameters
    ----------
    X : array-like of shape (N, d)
    k : int
    rng : numpy.random.Generator
    restarts : int, default=100

    Returns
    -------
    float

    Examples
    --------
    >>> import numpy as np
    >>> X = [[0.0], [1.0], [10.0], [11.0]]
    >>> lloyd_best_cost(X, 2, np.random.default_rng(0), restarts=5)
    1.0
    """
    X = as_points(X)
    if not isinstance(rng, np.random.Generator):
        raise TypeError("rng must be a numpy.random.Generator, e.g. np.random.default_rng(0).")
    if restarts < 1:
        raise ValueError(f"restarts must be at least 1; got {restarts}.")
    best = np.inf
    for _ in range(restarts):
        start = X[rng.choice(X.shape[0], size=k, replace=False)]
        res = lloyd(X, start)
        best = min(best, partition_cost(X, res.labels))
    return float(best)
