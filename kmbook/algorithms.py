"""What a k-means algorithm's output is worth, and how to repair it: the chapter on algorithms.

Paper: Paper 1, Section IV (seeding, over-parametrisation and pruning);
Franti, Rezaei & Zhao (2014) for the centroid index.
Chapter: book/landscape/algorithms.

:func:`centroid_index` counts cluster-level errors against a ground truth;
:func:`coverage_probability` is the chance that uniform seeding puts a seed in
every cluster; :func:`prune` removes the almost-empty and merges the
many-fit-one centres of an over-parametrised fit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.spatial.distance import cdist

from . import _lloyd_kernels as _k
from ._validation import as_centers, as_points, check_int, check_positive

__all__ = ["centroid_index", "coverage_probability", "PruneResult", "prune"]


def centroid_index(centers, true_centers, *, directed=False):
    """Centroid index (CI) of Franti, Rezaei & Zhao: cluster-level errors of a solution.

    Paper: Franti, Rezaei & Zhao (2014), used by Franti & Sieranoja (2018);
    in the language of Paper 1 it counts the true clusters left without a
    centre of their own (the cost of many-fit-one / one-fit-many pairs).
    Chapter: book/landscape/algorithms.

    Map every centre of one set to its nearest centre of the other; centres
    of the other set that receive no mapping are *orphans*.
    ``CI1(A -> B)`` is the number of orphans in ``B``, and
    ``CI = max(CI1(A -> B), CI1(B -> A))``, which is symmetric in its
    arguments and zero exactly when the nearest-centre mapping is a
    bijection both ways.

    Parameters
    ----------
    centers : array-like of shape (k, d)
    true_centers : array-like of shape (k_star, d)
    directed : bool, default=False
        Return the pair ``(CI1(centers -> true_centers), CI1(true_centers -> centers))``
        instead of their maximum.

    Returns
    -------
    int or tuple of int

    Examples
    --------
    >>> from kmbook.algorithms import centroid_index
    >>> truth = [[0.0, 0.0], [10.0, 0.0], [10.0, 10.0]]
    >>> centroid_index(truth, truth)
    0
    >>> centroid_index([[0.0, 0.0], [0.5, 0.0], [10.0, 4.9]], truth)   # 2-fit-1 + 1-fit-2
    1
    >>> centroid_index([[0, 0], [0.5, 0], [10, 0], [10, 0.5]], [[0, 0], [10, 0]], directed=True)
    (0, 2)
    """
    A = as_centers(centers, "centers")
    B = as_centers(true_centers, "true_centers", n_features=A.shape[1])
    D = cdist(A, B)
    a_to_b = B.shape[0] - np.unique(D.argmin(1)).size
    b_to_a = A.shape[0] - np.unique(D.argmin(0)).size
    return (int(a_to_b), int(b_to_a)) if directed else int(max(a_to_b, b_to_a))


def coverage_probability(sizes, k):
    """Probability that `k` distinct points drawn uniformly hit every cluster at least once.

    With clusters of sizes ``n_1..n_{k*}`` (``n = sum n_s``), the number of
    ``k``-subsets of the points that meet every cluster is the coefficient of
    ``t^k`` in ``prod_s ((1 + t)^{n_s} - 1)``; dividing by ``C(n, k)`` gives
    the probability. It is computed exactly with integers. For ``k = k*``
    balanced clusters of size ``m`` it equals ``m^k / C(n, k)``, which tends
    to ``k! / k^k`` as ``m`` grows: the chance that uniform seeding puts one
    seed in every cluster (Paper 1, Section IV: the configurations that
    avoid many-fit-one from the start). For ``k > k*`` it is the chance that
    over-parametrised seeding covers every cluster.

    Chapter: book/landscape/algorithms.

    Parameters
    ----------
    sizes : sequence of int
        Cluster sizes (each ``>= 1``).
    k : int
        Number of seeds, ``1 <= k <= sum(sizes)``.

    Returns
    -------
    float

    Examples
    --------
    >>> from kmbook.algorithms import coverage_probability
    >>> coverage_probability([1, 1, 1], 3), round(coverage_probability([100] * 3, 3), 6)
    (1.0, 0.224462)
    """
    sizes = [check_int(v, "sizes[i]", minimum=1) for v in sizes]
    if not sizes:
        raise ValueError("sizes must list at least one cluster size.")
    n = sum(sizes)
    k = check_int(k, "k", minimum=1, maximum=n)
    poly = [1]                                   # coefficients of the running product, degree <= k
    for m in sizes:
        factor = [math.comb(m, j) for j in range(min(m, k) + 1)]
        factor[0] = 0                            # (1 + t)^m - 1
        new = [0] * min(len(poly) + len(factor) - 1, k + 1)
        for a, pa in enumerate(poly):
            if pa:
                for b, fb in enumerate(factor[: k + 1 - a]):
                    new[a + b] += pa * fb
        poly = new
    hits = poly[k] if k < len(poly) else 0
    return float(hits / math.comb(n, k))



@dataclass(frozen=True)
class PruneResult:
    """Result of :func:`prune`.

    Attributes
    ----------
    centers : ndarray of shape (m, d)
        The pruned centres: each is the centre of mass of the union of the
        Voronoi sets of the original centres it replaces.
    members : tuple of tuple of int
        For each pruned centre, the indices of the original centres merged into it.
    dropped : tuple of int
        Original centres removed as almost empty.
    counts : ndarray of shape (m,)
        Points in the Voronoi set of each pruned centre.
    """

    centers: np.ndarray
    members: tuple
    dropped: tuple
    counts: np.ndarray


def _valley_ratio(X, ci, cj):
    """Density at the bisector of (ci, cj) over the smaller density at ci and cj, along their line.

    Counts the points of `X` (the union of the two Voronoi sets) whose
    projection on the segment lies within 1/8 of its length of the bisector,
    and of each centre.
    """
    u = cj - ci
    t = (X - ci) @ u / (u @ u)
    near_i = np.count_nonzero(np.abs(t) < 0.125)
    near_j = np.count_nonzero(np.abs(t - 1.0) < 0.125)
    mid = np.count_nonzero(np.abs(t - 0.5) < 0.125)
    low = min(near_i, near_j)
    if low == 0:
        return math.inf if mid > 0 else 0.0
    return mid / low


def prune(X, centers, *, empty=0.1, valley=1.0, n_clusters=None, neighbours=5):
    """Prune an over-parametrised solution: drop almost-empty centres, merge near-duplicates.

    Paper: Paper 1, Section IV-b (over-parametrisation followed by pruning;
    almost-empty and many-fit-one associations are what gets pruned), after
    Dasgupta & Schulman (2007).
    Chapter: book/landscape/algorithms.

    Parameters
    ----------
    X : array-like of shape (n, d)
        The data the centres were fitted to.
    centers : array-like of shape (k, d)
        Fitted centres, typically a Lloyd limit with ``k > k*``.
    empty : float, default=0.1
        A centre whose Voronoi set holds fewer than ``empty * n / k`` points
        (``empty`` times the average cell) is dropped as almost empty.
    valley : float, default=1.0
        Two centres are merged when, along the segment joining them, the
        points of their two Voronoi sets are at least ``valley`` times as
        dense near the bisector as near the less dense of the two centres:
        no density valley separates them, as for two centres that split one
        cluster (many-fit-one). Ignored when `n_clusters` is given.
    n_clusters : int, optional
        If given, merge instead by the smallest increase of the k-means cost
        (Ward's criterion ``n_i n_j / (n_i + n_j) ||beta_i - beta_j||^2``)
        until `n_clusters` centres remain (after dropping).
    neighbours : int, default=5
        With the valley test, only each centre's `neighbours` nearest other
        centres are candidates for a merge.

    Returns
    -------
    PruneResult

    Notes
    -----
    The two steps mirror the two kinds of surplus centres Theorem 1 allows
    when ``k > k*``: almost-empty ones (small Voronoi mass) and several
    centres on one true cluster (close to each other, with no low-density
    region between them). Merging is greedy: at each round the closest
    candidate pair that passes the test is replaced by the centre of mass of
    its two Voronoi sets, the cells are recomputed, and the search restarts;
    it stops when no pair passes. A density test on the joining line is used
    rather than a fixed distance because the distance between two centres
    sharing a cluster scales with the cluster's width, which is unknown. The
    ratio is computed from counts in three slabs across the segment, each a
    quarter of its length wide. For a Gaussian cluster split in two halves
    (centres ``sigma sqrt(2/pi)`` from the middle, where the density peaks)
    it is about 1.37; for two Gaussian clusters ``Delta`` apart it is
    ``2 [Phi(5 Delta/8) - Phi(3 Delta/8)] / ([2 Phi(Delta/8) - 1] +
    [Phi(-7 Delta/8) - Phi(-9 Delta/8)])`` (distances in units of sigma,
    ``Phi`` the normal CDF), which falls below 1 once ``Delta > 2.24 sigma``.
    So the default ``valley=1`` merges split Gaussian clusters and keeps
    clusters farther apart than about ``2.2 sigma``. A uniform distribution on
    an interval has a flat profile (ratio 1), so in one dimension split ball
    clusters are merged only about half the time; lower `valley` there.
    Sampling noise in the slab counts can leave a split cluster unmerged (an
    extra centre) when clusters are    small clusters.

    Examples
    --------
    >>> import numpy as np
    >>> from kmbook.algorithms import prune
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(0, 1, (500, 2)), rng.normal(10, 1, (500, 2))])
    >>> res = prune(X, [[-0.8, 0.0], [0.8, 0.0], [10.0, 10.0], [50.0, 50.0]])
    >>> len(res.centers), res.members, res.dropped
    (2, ((0, 1), (2,)), (3,))
    """
    X = as_points(X, "X")
    C = as_centers(centers, "centers", n_features=X.shape[1])
    empty = check_positive(empty, "empty")
    valley = check_positive(valley, "valley")
    neighbours = check_int(neighbours, "neighbours", minimum=1)
    if n_clusters is not None:
        n_clusters = check_int(n_clusters, "n_clusters", minimum=1)
    n, k = X.shape[0], C.shape[0]

    counts = _k.assign(X, C)[3]
    keep = counts >= empty * n / k
    if not keep.any():
        keep[np.argmax(counts)] = True
    dropped = tuple(int(i) for i in np.flatnonzero(~keep))
    members = [(int(i),) for i in np.flatnonzero(keep)]
    cur = C[keep].copy()

    while len(cur) > 1 and (n_clusters is None or len(cur) > n_clusters):
        lab, _, sums, cnt = _k.assign(X, cur)
        if n_clusters is not None:
            pair = _ward_pair(cur, cnt)
        else:
            pair = _valley_pair(X, cur, lab, valley, neighbours)
            if pair is None:
                break
        i, j = pair
        merged = (sums[i] + sums[j]) / (cnt[i] + cnt[j]) if cnt[i] + cnt[j] > 0 else 0.5 * (cur[i] + cur[j])
        members[i] = tuple(sorted(members[i] + members[j]))
        cur[i] = merged
        cur = np.delete(cur, j, axis=0)
        del members[j]
    final = _k.assign(X, cur)[3]
    order = np.argsort([m[0] for m in members], kind="stable")
    return PruneResult(cur[order], tuple(members[o] for o in order), dropped, final[order])


def _ward_pair(cur, cnt):
    D = cdist(cur, cur, "sqeuclidean")
    w = np.outer(cnt, cnt) / np.maximum(cnt[:, None] + cnt[None, :], 1)
    cost = w * D
    np.fill_diagonal(cost, np.inf)
    i, j = np.unravel_index(np.argmin(cost), cost.shape)
    return (min(i, j), max(i, j))


def _valley_pair(X, cur, lab, valley, neighbours):
    D = cdist(cur, cur)
    np.fill_diagonal(D, np.inf)
    m = len(cur)
    near = np.argsort(D, axis=1, kind="stable")[:, : min(neighbours, m - 1)]
    pairs = sorted({(min(i, j), max(i, j)) for i in range(m) for j in near[i]}, key=lambda p: (D[p], p))
    order = np.argsort(lab, kind="stable")
    bounds = np.searchsorted(lab[order], np.arange(m + 1))
    members = [order[bounds[c]:bounds[c + 1]] for c in range(m)]
    for i, j in pairs:
        pts = X[np.concatenate([members[i], members[j]])]
        if _valley_ratio(pts, cur[i], cur[j]) >= valley:
            return (i, j)
    return None
