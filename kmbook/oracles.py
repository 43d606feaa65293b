"""Exact k-means oracles: every partition of a tiny instance, and K = 2 in the plane.

Paper: Paper 3, eq. (2.1)-(2.2) (k-means as a search over partitions).
Chapter: book/convex/amini_levina, book/convex/sdp_at_scale.

The relaxations of :mod:`kmbook.sdp` are lower bounds on these optima, which
makes them the reference for the relaxations' values: :func:`best_partition`
enumerates every partition (N <= 12); :func:`exact_two_means` finds the exact
2-means optimum of thousands of planar points with integer coordinates.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ._validation import as_points, check_n_clusters
from .partitions import distance_matrix

__all__ = ["BestPartition", "best_partition", "ExactTwoMeans", "exact_two_means"]


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


def best_partition(X, k, *, balanced=False):
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
    return BestPartition(cost=float(cost[order[0]]), labels=L[order[0]], second_cost=second,
                         n_partitions=int(L.shape[0]))


_MAX_COORD = 2 ** 20  # |coordinate| bound of exact_two_means (see its Notes)
_MAX_POINTS = 2 ** 20  # keeps every integer sum of exact_two_means inside int64
_WINDOW = 1e-13  # relative half-width of the float pre-selection (the float error is below 1e-15)


@dataclass(frozen=True)
class ExactTwoMeans:
    """Result of :func:`exact_two_means`.

    Attributes
    ----------
    cost : float
        The exact global 2-means optimum, rounded once to the nearest float.
    exact_cost : fractions.Fraction
        The same optimum as an exact rational number.
    labels : ndarray of shape (N,)
        An optimal partition (labels 0 and 1, point 0 in cluster 0).
    n_candidates : int
        Number of candidate partitions evaluated (in floating point).
    n_exact : int
        Number of near-optimal candidates re-evaluated in exact rational arithmetic.
    """

    cost: float
    exact_cost: Fraction
    labels: np.ndarray
    n_candidates: int
    n_exact: int


def _integer_points(X):
    X = as_points(X, "X", min_samples=2)
    if X.shape[1] != 2:
        raise ValueError(f"X must be an (N, 2) array of planar points; got shape {X.shape}.")
    if X.shape[0] > _MAX_POINTS:
        raise ValueError(f"X may have at most {_MAX_POINTS} points (exact integer sums); got {X.shape[0]}.")
    if not np.array_equal(X, np.round(X)):
        raise ValueError("X must have integer coordinates (exact_two_means decides every geometric predicate "
                         "in integer arithmetic): scale rational data to integers; for general floats use "
                         "kmbook.sdp_stored.best_line_split, which gives an upper bound only.")
    if np.abs(X).max() > _MAX_COORD:
        raise ValueError(f"X's coordinates must lie in [-{_MAX_COORD}, {_MAX_COORD}] (so that distinct integer "
                         f"directions have distinct float angles); got max |x| = {np.abs(X).max():.0f}. "
                         "Translate the data by an integer vector or coarsen it.")
    return X.astype(np.int64)


def _pivot_candidates(U, w, i):
    """Every candidate (side, line, prefix) whose line passes through the distinct point ``U[i]``.

    Returns the integer statistics ``(|A|, sum_x A, sum_y A)`` of each candidate set A and,
    to rebuild it, its line's reduced direction, its side (0: left of the direction, 1: right)
    and its number ``j`` of on-line distinct points (the first j in the direction's order).
    """
    others = np.delete(np.arange(U.shape[0]), i)
    v = U[others] - U[i]
    flip = (v[:, 1] < 0) | ((v[:, 1] == 0) & (v[:, 0] < 0))
    d = np.where(flip[:, None], -v, v)  # the direction of the line, in the half-open upper half-plane
    gcd = np.gcd(d[:, 0], d[:, 1])
    g = d // gcd[:, None]  # reduced: two points are on one line through U[i] iff their g agree
    t = np.where(flip, -gcd, gcd)  # v = t g, an exact position along the line
    _, first, line_of = np.unique((g[:, 0] + 2 ** 22) * 2 ** 23 + g[:, 1], return_index=True,
                                  return_inverse=True)
    line_of = line_of.reshape(-1)
    G = g[first]
    order = np.argsort(np.arctan2(G[:, 1], G[:, 0]), kind="stable")
    G = G[order]
    if np.any(G[:-1, 0] * G[1:, 1] - G[:-1, 1] * G[1:, 0] <= 0):  # exact check of the float sort
        raise RuntimeError("exact_two_means: the angular order of the integer directions failed its exact check.")
    n_lines = G.shape[0]
    rank = np.empty(n_lines, dtype=np.int64)
    rank[order] = np.arange(n_lines)
    line = rank[line_of]
    stats = np.column_stack([w[others], w[others, None] * U[others]])  # (weight, weighted x, weighted y)
    # Rays from U[i] in angular order: slot r (direction G[r]) and slot r + L (direction -G[r]).
    slot = line + n_lines * flip
    per_slot = np.zeros((2 * n_lines, 3), dtype=np.int64)
    np.add.at(per_slot, slot, stats)
    cum = np.vstack([np.zeros((1, 3), dtype=np.int64), np.cumsum(np.vstack([per_slot, per_slot]), axis=0)])
    r = np.arange(n_lines)
    left = cum[r + n_lines] - cum[r + 1]  # open half-plane left of G[r]: slots r+1 .. r+L-1
    right = cum[r + 2 * n_lines] - cum[r + n_lines + 1]  # slots r+L+1 .. r+2L-1
    # The distinct points on each line (with U[i] itself at t = 0), in the order of G[r].
    e_line = np.concatenate([line, r])
    e_t = np.concatenate([t, np.zeros(n_lines, dtype=np.int64)])
    e_stats = np.vstack([stats, np.tile(np.concatenate([[w[i]], w[i] * U[i]]), (n_lines, 1))])
    o = np.lexsort((e_t, e_line))
    e_line, e_stats = e_line[o], e_stats[o]
    prefix = np.cumsum(e_stats, axis=0)
    start = np.searchsorted(e_line, r)
    prefix -= np.vstack([np.zeros((1, 3), dtype=np.int64), prefix])[start][e_line]
    j = np.arange(e_line.size) - start[e_line] + 1
    A = np.vstack([left, right, left[e_line] + prefix, right[e_line] + prefix])
    zeros_l, zeros_e = np.zeros(n_lines, dtype=np.int64), np.zeros(e_line.size, dtype=np.int64)
    lines = np.concatenate([r, r, e_line, e_line])
    side = np.concatenate([zeros_l, zeros_l + 1, zeros_e, zeros_e + 1])
    jj = np.concatenate([zeros_l, zeros_l, j, j])
    return A, G[lines], side, jj


def _exact_cost(n, total_ss, S, stats):
    """cost(A) = SS - |N S_A - |A| S|^2 / (N |A| |B|), in rational arithmetic."""
    n_a, sx, sy = (int(s) for s in stats)
    dx, dy = n * sx - n_a * S[0], n * sy - n_a * S[1]
    return total_ss - Fraction(dx * dx + dy * dy, n * n_a * (n - n_a))


def exact_two_means(X):
    """Exact global 2-means optimum of planar points with integer coordinates.

    Minimises the within-cluster sum of squares over every partition into two non-empty
    clusters, in O(N^2 log N) time (vectorised per pivot point) and exactly: geometric
    predicates in integer arithmetic, the optimum confirmed in rational arithmetic. Use it
    to decide whether a relaxation's bound lies below every partition (the Peng–Wei SDP
    on the G2 subsample of the chapter). For general floats,
    :func:`kmbook.sdp_stored.best_line_split` gives an upper bound only.

    Paper: Paper 3, eq. (2.1) (the k-means problem its relaxations bound from below); that an
    optimal 2-means partition is separated by a line is the classical Voronoi property, not a
    result of the paper (cf. Inaba, Katoh and Imai, SoCG 1994, for the general enumeration).
    Chapter: book/convex/sdp_at_scale.

    Parameters
    ----------
    X : array-like of shape (N, 2)
        N >= 2 points with integer coordinates of absolute value at most 2**20.

    Returns
    -------
    ExactTwoMeans

    Raises
    ------
    ValueError
        If `X` is not an (N, 2) array of N >= 2 finite points with integer coordinates in
        [-2**20, 2**20] (scale rational data to integers first).

    Notes
    -----
    *Separation.* If the points are not all equal, an optimum has distinct centroids
    c1 != c2 (any threshold split along a direction in which the points differ costs less
    than the total sum of squares). No point x is then equidistant from c1 and c2: for x in
    cluster 1 with ``|x - c1| = |x - c2| = rho > 0``, n1 = 1 would give x = c1 and rho = 0, and
    for n1 >= 2 moving x to cluster 2 changes the cost by
    rho^2 (n2 / (n2 + 1) - n1 / (n1 - 1)) < 0. The same move shows that no point is closer
    to the other centroid, so the perpendicular bisector separates the clusters strictly
    and copies of a point share a cluster. All points equal: every split costs 0.

    *Candidates.* Let a line strictly separate A from B. Translate it towards A until it
    touches A. If it touches two distinct points, call it l (A holds every point of l);
    else rotate it about the touched point p until it first meets another distinct point,
    and call that line l. No point crosses the moving line, so every point off l keeps its
    side; on l, the points met on one ray from p come from one side and those on the other
    ray from the other, so A meets l in a prefix or a suffix of the order along l (p's
    copies are in A). Hence A, or its complement, is H ∪ (first j distinct points of l)
    for a line l through two distinct points, an open half-plane H of l and some j. All
    collinear points and two distinct points are the special case where l holds every
    point and H is empty. (Choosing the sense of rotation shows that one fixed half-plane
    per line would suffice; both are enumerated.) The search enumerates, from each
    distinct pivot, every line through it, both open half-planes and every j, with the
    rays around the pivot ordered exactly
    (reduced integer directions; their float angles are sorted and the order checked by
    integer cross products: distinct directions with coordinates up to 2**21 differ in
    angle by more than 2**-43, far above the float error of atan2) and the half-plane
    sums taken from integer prefix sums.

    *Costs.* ``cost(A) = SS - |D|^2 / (N |A| |B|)`` with SS the total sum of squares about the
    mean and ``D = N S_A - |A| S`` (S_A, S integer coordinate sums). Evaluated in float64 every
    candidate's error is below 10 eps SS (eps = 2**-53); the candidates within 2e-13 SS of
    the smallest float value, which include every optimum, are re-evaluated in exact
    rational arithmetic. So `exact_cost` is the optimum exactly and `cost` is it rounded
    once (relative error <= 2**-53): deciding "optimum > U" with any relative margin
    above 1e-15 (1e-9, say) is safe as far as this function goes.

    Examples
    --------
    >>> from kmbook.oracles import exact_two_means
    >>> res = exact_two_means([[0, 0], [2, 0], [1, 1], [9, 9], [9, 9], [10, 8]])
    >>> res.cost, res.exact_cost, res.labels.tolist()
    (4.0, Fraction(4, 1), [0, 0, 0, 1, 1, 1])
    """
    P = _integer_points(X)
    n = P.shape[0]
    U, inverse, w = np.unique(P, axis=0, return_inverse=True, return_counts=True)
    inverse = inverse.reshape(-1)
    if U.shape[0] == 1:
        labels = np.ones(n, dtype=np.int64)
        labels[0] = 0
        return ExactTwoMeans(cost=0.0, exact_cost=Fraction(0), labels=labels, n_candidates=1, n_exact=0)
    S = [int(np.dot(w, U[:, c])) for c in range(2)]
    Q = sum(int(a) * int(b) ** 2 for a, b in zip(np.repeat(w, 2), U.reshape(-1)))
    total_ss = Fraction(n * Q - S[0] ** 2 - S[1] ** 2, n)
    ss = float(total_ss)
    S_arr = np.array(S, dtype=np.int64)
    best, kept, n_candidates = np.inf, [], 0
    for i in range(U.shape[0]):
        A, G, side, j = _pivot_candidates(U, w, i)
        ok = (A[:, 0] > 0) & (A[:, 0] < n)
        A, G, side, j, i_col = A[ok], G[ok], side[ok], j[ok], np.full(int(ok.sum()), i)
        n_candidates += A.shape[0]
        D = (n * A[:, 1:] - A[:, :1] * S_arr).astype(float)
        cost = ss - (D[:, 0] ** 2 + D[:, 1] ** 2) / (float(n) * A[:, 0] * (n - A[:, 0]))
        best = min(best, float(cost.min()))
        near = cost <= best + 2 * _WINDOW * ss
        kept.append((cost[near], A[near], G[near], side[near], j[near], i_col[near]))
    cost, A, G, side, j, piv = (np.concatenate(parts) for parts in zip(*kept))
    near = cost <= best + 2 * _WINDOW * ss
    A, G, side, j, piv = A[near], G[near], side[near], j[near], piv[near]
    keys, first = np.unique(A, axis=0, return_index=True)
    exact = [_exact_cost(n, total_ss, S, k) for k in keys]
    m = int(np.argmin(exact))
    labels = _rebuild(P, U[piv[first[m]]], G[first[m]], side[first[m]], j[first[m]])
    if not np.array_equal([labels.sum(), *(labels @ P)], keys[m]):
        raise RuntimeError("exact_two_means: the rebuilt partition does not match its candidate.")
    labels = (labels != labels[0]).astype(np.int64)
    return ExactTwoMeans(cost=float(exact[m]), exact_cost=exact[m], labels=labels,
                         n_candidates=int(n_candidates), n_exact=len(exact))


def _rebuild(P, p, g, side, j):
    """Indicator of H ∪ (first j distinct points of the line through p along g)."""
    v = P - p
    cross = g[0] * v[:, 1] - g[1] * v[:, 0]
    inside = cross > 0 if side == 0 else cross < 0
    on = cross == 0
    if j > 0:
        t = v[on] @ g
        inside[on] = t <= np.unique(t)[j - 1]
    return inside.astype(np.int64)
