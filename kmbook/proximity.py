"""Proximity conditions: checkable certificates that an SDP relaxation is exact.

Paper: Paper 3, Condition 1.1 / eq. (1.1), Proposition 1.2, Theorem 3.1 and
Corollary 3.2 (Peng–Wei); Condition 3.4 / Theorem 3.5 (Amini–Levina,
balanced clusters); the dual certificates of Sections 6.3–6.4 and 7.1.
Chapter: book/convex/peng_wei, book/convex/amini_levina, book/convex/phase_transitions.

Notation (the paper's). Clusters ``Gamma_1..Gamma_K`` of sizes ``n_a``, means
``c_a``, centred data matrices ``X_bar_a`` (d x n_a) with spectral norms
``||X_bar_a||``; ``d_ab = ||c_a - c_b||``, ``w_ab = (c_a - c_b) / d_ab`` and
``m_ab = (c_a + c_b) / 2``. The *projection* of a point ``x`` of ``Gamma_a``
for the pair ``(a, b)`` is ``p = <x - m_ab, w_ab>``: its signed distance to the
bisector of ``c_a`` and ``c_b``, positive on ``a``'s side.

* Peng–Wei, (1.1): ``p > (1/2) sqrt((1/n_a + 1/n_b) sum_k ||X_bar_k||^2)``
  for every ordered pair ``a != b`` and every point of ``Gamma_a``.
* Amini–Levina, balanced ``n_a = n``: ``p > (1/2) sqrt((K/n)(||X_bar_a||^2 +
  ||X_bar_b||^2))`` — only the two clusters involved appear. The seed text of
  the paper lost this formula; it is reconstructed here from the dual
  certificate of Section 7 (see :func:`dual_certificate` and the chapter
  book/convex/amini_levina) and tested against the SDP.

Everything except :func:`dual_certificate` costs ``O(N K d + N d min(n_a, d))``
time: linear in N for fixed d and K.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._cluster_geometry import PairSlack, condition_rhs, geometry, prepare, projections
from ._float import MARGIN_ULPS, strictly_greater
from ._validation import RELAXATIONS, as_labels, as_points, check_choice, check_positive
from .certificates import DualCertificate as DualCertificate
from .certificates import dual_certificate as dual_certificate
from .necessary import al_necessary, necessary_threshold_scale, pw_necessary  # noqa: F401  (Theorems 3.3, 3.6)

__all__ = [
    "ProximityResult",
    "Certificate",
    "pw_proximity",
    "al_proximity",
    "certify",
    "threshold_scale",
    "scale_separation",
]



@dataclass(frozen=True)
class ProximityResult(PairSlack):
    """Every quantity of a proximity condition, pair by pair.

    Arrays indexed ``[a, b]`` refer to the ordered pair "points of cluster a
    against the bisector with cluster b"; their diagonal is NaN. Clusters are
    numbered ``0..K-1`` in the order of ``cluster_ids`` (the sorted label values).

    Attributes
    ----------
    condition : str
        "peng_wei" (eq. (1.1)) or "amini_levina" (Condition 3.4, reconstructed).
    holds : bool
        Every inequality holds strictly.
    lhs : ndarray of shape (K, K)
        ``min_i <x_{a,i} - m_ab, w_ab>``: the smallest projection of a point
        of ``a`` (left-hand side of the condition, minimised over the points).
    rhs : ndarray of shape (K, K)
        The right-hand side of the condition for the pair.
    slack : ndarray of shape (K, K)
        ``lhs - rhs``; the condition holds when all are > 0.
    distances : ndarray of shape (K, K)
        ``d_ab = ||c_a - c_b||``.
    beta : ndarray of shape (K, K)
        Proposition 1.2's largest signed projection of the two clusters'
        points towards the other centre: ``max(max_i <c_a - x_{a,i}, w_ab>,
        max_j <x_{b,j} - c_b, w_ab>)`` (symmetric).
    holds_equivalent : bool
        The equivalent form (1.2): ``d_ab / 2 - beta_ab > rhs_ab`` for all
        pairs, computed from ``beta`` independently of ``lhs``.
    point_slack : ndarray of shape (N,)
        For each point, ``min_b (p - rhs_ab)`` over the other clusters: how
        far it is from violating the condition (negative = violates).
    centers : ndarray of shape (K, d)
    sizes : ndarray of shape (K,)
    spectral_norms_sq : ndarray of shape (K,)
        ``||X_bar_a||^2`` (squared largest singular value).
    cluster_ids : ndarray of shape (K,)
        The label value of each cluster.
    """

    condition: str
    holds: bool
    lhs: np.ndarray = field(repr=False)
    rhs: np.ndarray = field(repr=False)
    slack: np.ndarray = field(repr=False)
    distances: np.ndarray = field(repr=False)
    beta: np.ndarray = field(repr=False)
    holds_equivalent: bool
    point_slack: np.ndarray = field(repr=False)
    centers: np.ndarray = field(repr=False)
    sizes: np.ndarray = field(repr=False)
    spectral_norms_sq: np.ndarray = field(repr=False)
    cluster_ids: np.ndarray = field(repr=False)



@dataclass(frozen=True)
class Certificate:
    """Result of :func:`certify` (Corollary 3.2).

    Attributes
    ----------
    holds : bool
        True: condition (1.1) holds, so the partition is the unique global
        minimiser of the k-means objective (and Peng–Wei's unique solution).
        Every strict inequality must hold by a margin of ``64 (d + 2)`` ulps of
        the largest coordinate, distance or right-hand side involved, so that
        rounding never decides: at exactly the threshold nothing is certified.
        False: nothing is concluded (the test accepts, it never rejects).
    margins : ndarray of shape (K, K)
        Symmetric per-pair margin ``d_ab / 2 - beta_ab - rhs_ab`` (NaN
        diagonal): by how much the pair passes (> 0) or fails.
    cost : float
        k-means cost of the partition.
    n_clusters : int
    proximity : ProximityResult
        All the details.
    """

    holds: bool
    margins: np.ndarray = field(repr=False)
    cost: float
    n_clusters: int
    proximity: ProximityResult = field(repr=False)


def _proximity(X, labels, condition):
    X, inv, ids, _ = prepare(X, labels)
    K = ids.size
    C, Xc, sizes, norms_sq, dist, W = geometry(X, inv, K)
    rhs = condition_rhs(condition, sizes, norms_sq)
    proj, spread = projections(X, Xc, inv, C, W)
    lhs = np.full((K, K), np.inf)
    s_max = np.full((K, K), -np.inf)
    np.minimum.at(lhs, inv, proj)
    np.maximum.at(s_max, inv, spread)
    off = ~np.eye(K, dtype=bool)
    pslack = np.where(off[inv], proj - rhs[inv], np.inf).min(axis=1)
    beta = np.maximum(s_max, s_max.T)
    for arr in (lhs, beta):
        arr[~off] = np.nan
    rhs = np.where(off, rhs, np.nan)
    slack = lhs - rhs
    # strict inequalities decided with a margin of a few ulps of the quantities compared
    ulps, big = MARGIN_ULPS * (X.shape[1] + 2), (np.abs(X).max(), dist, rhs)
    holds = bool(np.all(strictly_greater(lhs[off], rhs[off], *big, ulps=ulps)))
    holds_eq = bool(np.all(strictly_greater((dist / 2 - beta)[off], rhs[off], beta, *big, ulps=ulps)))
    return ProximityResult(
        condition=condition, holds=holds, lhs=lhs, rhs=rhs, slack=slack, distances=dist, beta=beta,
        holds_equivalent=holds_eq, point_slack=pslack, centers=C, sizes=sizes,
        spectral_norms_sq=norms_sq, cluster_ids=ids,
    )


def pw_proximity(X, labels):
    """The Peng–Wei proximity condition (1.1), pair by pair and point by point.

    For every ordered pair of clusters ``a != b`` and every point ``x`` of
    ``Gamma_a``: ``<x - (c_a + c_b)/2, w_ab> > (1/2) sqrt((1/n_a + 1/n_b)
    sum_k ||X_bar_k||^2)``. Also evaluates the equivalent form (1.2) of
    Proposition 1.2, ``d_ab / 2 - beta_ab > rhs_ab``, by a separate route.

    Paper: Paper 3, Condition 1.1, eq. (1.1), Proposition 1.2; Theorem 3.1
    (the condition implies that the partition is the unique Peng–Wei solution).
    Chapter: book/convex/peng_wei.

    Parameters
    ----------
    X : array-like of shape (N, d)
    labels : array-like of shape (N,)
        The partition to test (at least two clusters).

    Returns
    -------
    ProximityResult

    Examples
    --------
    >>> import numpy as np
    >>> from kmbook.proximity import pw_proximity
    >>> X = np.array([[0.0, 0.0], [0.0, 1.0], [6.0, 0.0], [6.0, 1.0]])
    >>> res = pw_proximity(X, [0, 0, 1, 1])
    >>> res.holds, res.holds_equivalent, round(res.min_slack, 6)
    (True, True, 2.5)
    """
    return _proximity(X, labels, "peng_wei")


def al_proximity(X, labels):
    """The localised proximity condition for Amini–Levina (balanced clusters).

    For every ordered pair ``a != b`` and every point ``x`` of ``Gamma_a``:
    ``<x - (c_a + c_b)/2, w_ab> > (1/2) sqrt((K/n) (||X_bar_a||^2 + ||X_bar_b||^2))``,
    where all clusters have ``n`` points. Only clusters ``a`` and ``b`` enter
    the inequality of the pair (a huge cluster far away does not matter).

    Reconstructed from the dual certificate of Section 7 (the formula is lost
    in the seed text): with per-cluster diagonal dual variables
    ``zeta_a = 2 K ||X_bar_a||^2`` the certificate's Lambda is PSD because
    the matrix ``H`` of Householder reflections ``I - 2 w_ab w_ab^T`` satisfies
    ``H <= K I``, and its B is positive when ``4 p_ab p_ba > (zeta_a +
    zeta_b) / (2n)`` — implied by the inequality above. See
    :func:`dual_certificate`, which builds and checks these matrices.

    Paper: Paper 3, Condition 3.4, eq. (3.4)–(3.5) and Theorem 3.5
    (reconstructed; see the chapter book/convex/amini_levina).
    Chapter: book/convex/amini_levina.

    Parameters
    ----------
    X : array-like of shape (N, d)
    labels : array-like of shape (N,)
        A balanced partition (all clusters of equal size).

    Returns
    -------
    ProximityResult
        ``holds_equivalent`` is the analogue of (1.2) with this right-hand side.

    Raises
    ------
    ValueError
        If the clusters do not all have the same size.

    Examples
    --------
    >>> import numpy as np
    >>> from kmbook.proximity import al_proximity
    >>> X = np.array([[0.0, 0.0], [0.0, 1.0], [6.0, 0.0], [6.0, 1.0]])
    >>> al_proximity(X, [0, 0, 1, 1]).holds
    True
    """
    return _proximity(X, labels, "amini_levina")


def certify(X, labels):
    """Certify a partition as the unique global k-means minimiser (Corollary 3.2).

    Checks condition (1.1) in time linear in N (for fixed d and K): per
    cluster a d x d spectral norm, per pair one projection of the two
    clusters' points. When it holds, Theorem 3.1 makes the partition the
    unique Peng–Wei solution, hence the unique global minimiser of k-means.
    When it fails nothing is concluded.

    Paper: Paper 3, Corollary 3.2 (with Theorem 3.1 and eq. (1.1)).
    Chapter: book/convex/peng_wei.

    Parameters
    ----------
    X : array-like of shape (N, d)
    labels : array-like of shape (N,)
        Candidate partition, e.g. the labels of the best of several Lloyd runs.

    Returns
    -------
    Certificate

    Examples
    --------
    >>> import numpy as np
    >>> from kmbook.proximity import certify
    >>> X = np.array([[0.0], [1.0], [9.0], [10.0]])
    >>> c = certify(X, [0, 0, 1, 1])
    >>> c.holds, c.cost
    (True, 1.0)
    """
    res = pw_proximity(X, labels)
    X = as_points(X, "X")
    inv = np.unique(as_labels(labels, "labels"), return_inverse=True)[1]
    cost = float(np.sum((X - res.centers[inv]) ** 2))
    margins = res.distances / 2 - res.beta - res.rhs
    return Certificate(holds=res.holds, margins=margins, cost=cost, n_clusters=res.sizes.size, proximity=res)


def threshold_scale(X, labels, condition="peng_wei", *, rhs_factor=1.0):
    """Smallest scaling of the centre separations at which a condition starts to hold.

    Scaling every cluster's mean by ``t`` while keeping its shape
    (:func:`scale_separation`) multiplies each projection's centre part by
    ``t`` and leaves the right-hand sides unchanged, so each inequality is
    linear in ``t``: ``t d_ab / 2 - s_ab > rhs_ab`` with ``s_ab = max_i <c_a -
    x_{a,i}, w_ab>``. The condition holds exactly when ``t > t*`` with
    ``t* = max_{a != b} 2 (s_ab + rhs_ab) / d_ab``.

    Paper: Paper 3, Section 5 (the separation at which (1.1) starts to hold).
    Chapter: book/convex/phase_transitions.

    Parameters
    ----------
    X : array-like of shape (N, d)
    labels : array-like of shape (N,)
    condition : {"peng_wei", "amini_levina"}, default="peng_wei"
    rhs_factor : float, default=1.0
        Multiplies every right-hand side: ``0.5`` gives the threshold of a
        condition with half the constant (used to test whether the constant
        can be lowered). Must be positive.

    Returns
    -------
    float
        ``t*`` (``inf`` if two cluster means coincide).

    Examples
    --------
    >>> import numpy as np
    >>> from kmbook.proximity import threshold_scale
    >>> X = np.array([[-1.0], [1.0], [9.0], [11.0]])  # d_ab = 10, s_ab = 1, rhs = 1
    >>> round(threshold_scale(X, [0, 0, 1, 1]), 12)     # 2 (1 + 1) / 10
    0.4
    """
    condition = check_choice(condition, "condition", RELAXATIONS)
    rhs_factor = check_positive(rhs_factor, "rhs_factor")
    res = _proximity(X, labels, condition)
    off = ~np.eye(res.sizes.size, dtype=bool)
    if np.any(res.distances[off] == 0):
        return float("inf")
    # s_ab = d_ab / 2 - lhs_ab (the lhs at t = 1)
    s = res.distances / 2 - res.lhs
    return float(np.max((2 * (s + rhs_factor * res.rhs) / res.distances)[off]))


def scale_separation(X, labels, t):
    """Move every cluster's mean to ``t`` times its position, keeping its shape.

    ``x -> x + (t - 1) c_a`` for the points of cluster ``a``: distances between
    the means scale by ``t``, the centred data matrices do not change.

    Chapter: book/convex/amini_levina, book/convex/phase_transitions.

    Examples
    --------
    >>> from kmbook.proximity import scale_separation
    >>> scale_separation([[0.0], [2.0], [10.0], [12.0]], [0, 0, 1, 1], 2.0).ravel().tolist()
    [1.0, 3.0, 21.0, 23.0]
    """
    X, inv, ids, _ = prepare(X, labels)
    t = check_positive(t, "t")
    C = geometry(X, inv, ids.size)[0]
    return X + (t - 1.0) * C[inv]
