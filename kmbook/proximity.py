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
from scipy.linalg import helmert
from scipy.spatial.distance import cdist

from ._float import MARGIN_ULPS, strictly_greater
from ._validation import as_labels, as_points, check_positive

__all__ = [
    "ProximityResult",
    "Certificate",
    "DualCertificate",
    "pw_proximity",
    "al_proximity",
    "certify",
    "threshold_scale",
    "scale_separation",
    "dual_certificate",
]

_CONDITIONS = ("peng_wei", "amini_levina")


@dataclass(frozen=True)
class ProximityResult:
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

    @property
    def min_slack(self):
        """Smallest slack over all ordered pairs (> 0 iff the condition holds)."""
        return float(np.nanmin(self.slack))

    @property
    def worst_pair(self):
        """The ordered pair ``(a, b)`` with the smallest slack."""
        a, b = np.unravel_index(np.nanargmin(self.slack), self.slack.shape)
        return int(a), int(b)


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


def _prepare(X, labels):
    X = as_points(X, "X")
    lab = as_labels(labels, "labels", n_samples=X.shape[0])
    ids, inv, sizes = np.unique(lab, return_inverse=True, return_counts=True)
    if ids.size < 2:
        raise ValueError(f"labels must define at least two clusters; got {ids.size}.")
    return X, inv, ids, sizes


def _geometry(X, inv, K):
    """Centres, centred points, squared spectral norms, unit directions, distances."""
    d = X.shape[1]
    sizes = np.bincount(inv, minlength=K)
    C = np.zeros((K, d))
    np.add.at(C, inv, X)
    C /= sizes[:, None]
    Xc = X - C[inv]
    norms_sq = np.array([np.linalg.norm(Xc[inv == a], 2) ** 2 for a in range(K)])
    diff = C[:, None, :] - C[None, :, :]  # c_a - c_b
    dist = np.linalg.norm(diff, axis=2)
    W = np.divide(diff, dist[:, :, None], out=np.zeros_like(diff), where=dist[:, :, None] > 0)
    return C, Xc, sizes, norms_sq, dist, W


def _projections(X, Xc, inv, C, W):
    """``proj[i, b] = <x_i - m_ab, w_ab>`` (signed distance to the bisector) and
    ``spread[i, b] = <c_a - x_i, w_ab>``, with ``a`` the cluster of point ``i``.
    One cluster at a time: O(N K d) time, no N x K x d temporary."""
    N, K = X.shape[0], C.shape[0]
    proj, spread = np.empty((N, K)), np.empty((N, K))
    for a in range(K):
        idx = np.flatnonzero(inv == a)
        offset = np.einsum("bd,bd->b", (C[a] + C) / 2, W[a])
        proj[idx] = X[idx] @ W[a].T - offset
        spread[idx] = -(Xc[idx] @ W[a].T)
    return proj, spread


def _rhs(condition, sizes, norms_sq):
    K = sizes.size
    if condition == "peng_wei":
        inv_n = 1.0 / sizes
        return 0.5 * np.sqrt((inv_n[:, None] + inv_n[None, :]) * norms_sq.sum())
    n = sizes[0]
    if np.any(sizes != n):
        raise ValueError(
            f"the Amini–Levina condition needs balanced clusters (all of the same size); got sizes {sizes.tolist()}."
        )
    return 0.5 * np.sqrt((K / n) * (norms_sq[:, None] + norms_sq[None, :]))


def _proximity(X, labels, condition):
    X, inv, ids, _ = _prepare(X, labels)
    K = ids.size
    C, Xc, sizes, norms_sq, dist, W = _geometry(X, inv, K)
    rhs = _rhs(condition, sizes, norms_sq)
    proj, spread = _projections(X, Xc, inv, C, W)
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


def _check_condition(condition):
    if condition not in _CONDITIONS:
        raise ValueError(f"condition must be one of {_CONDITIONS}; got {condition!r}.")
    return condition


def threshold_scale(X, labels, condition="peng_wei"):
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
    condition = _check_condition(condition)
    res = _proximity(X, labels, condition)
    off = ~np.eye(res.sizes.size, dtype=bool)
    if np.any(res.distances[off] == 0):
        return float("inf")
    # s_ab = d_ab / 2 - lhs_ab (the lhs at t = 1)
    s = res.distances / 2 - res.lhs
    return float(np.max((2 * (s + res.rhs) / res.distances)[off]))


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
    X, inv, ids, _ = _prepare(X, labels)
    t = check_positive(t, "t")
    C = _geometry(X, inv, ids.size)[0]
    return X + (t - 1.0) * C[inv]


@dataclass(frozen=True)
class DualCertificate:
    """An explicit dual certificate for the exactness of a relaxation (Sections 6–7).

    The dual of Peng–Wei/Amini–Levina asks for ``Q = D + diag(z) + (alpha 1^T
    + 1 alpha^T)/2 = Lambda + B`` with ``Lambda PSD`` and ``B >= 0``. If
    moreover ``Lambda 1_a = 0``, ``B`` vanishes on the diagonal blocks, ``B >
    0`` on the off-diagonal blocks and ``Lambda`` is positive definite on the
    vectors summing to zero on every cluster, the partition matrix is the
    unique solution (Propositions 6.6 and 7.2).

    Attributes
    ----------
    relaxation : str
    holds : bool
        The closed-form condition under which the construction succeeds (the
        choice of z below is then admissible).
    zeta : ndarray of shape (K,)
        Diagonal dual variable on each cluster (all equal for Peng–Wei: the
        scalar ``z`` of ``z I``).
    alpha : ndarray of shape (N,)
    B, Lambda : ndarray of shape (N, N)
    lambda_min : float
        Smallest eigenvalue of ``Lambda`` on the subspace of vectors summing
        to zero on every cluster (must be > 0).
    b_min : float
        Smallest entry of ``B`` on the off-diagonal blocks (must be > 0).
    null_residual : float
        ``max_a ||Lambda 1_a||_inf`` (0 up to rounding when the algebra is right).
    dual_value, primal_value : float
        Dual objective ``-(sum_a zeta_a + 1^T alpha) / 2`` and the k-means cost
        of the partition; equal when the certificate is consistent.
    """

    relaxation: str
    holds: bool
    zeta: np.ndarray = field(repr=False)
    alpha: np.ndarray = field(repr=False)
    B: np.ndarray = field(repr=False)
    Lambda: np.ndarray = field(repr=False)
    lambda_min: float
    b_min: float
    null_residual: float
    dual_value: float
    primal_value: float

    @property
    def verified(self):
        """The matrices numerically certify unique optimality (``lambda_min > 0``,
        ``b_min > 0``, ``Lambda 1_a = 0`` and zero duality gap, to 1e-8 relative).
        The strict inequalities must hold by a floating-point margin
        (:func:`kmbook._float.strictly_greater`): ``lambda_min`` by ``64 N`` ulps of
        ``max |Lambda_ij|``, ``b_min`` by 64 ulps of the entries of ``B`` and ``zeta``.
        False when the matrices were not built."""
        if self.B is None:
            return False
        scale = max(1.0, abs(self.primal_value))
        n_points = self.B.shape[0]
        # strict inequalities with a margin: eigenvalues err by about N ulps of ||Lambda||
        return bool(
            strictly_greater(self.lambda_min, 0.0, self.Lambda, ulps=MARGIN_ULPS * n_points)
            and strictly_greater(self.b_min, 0.0, self.B, self.zeta, ulps=MARGIN_ULPS)
            and self.null_residual <= 1e-8 * scale * n_points
            and abs(self.dual_value - self.primal_value) <= 1e-8 * scale
        )


def _householder_bound(Xc, inv, W, K):
    """``lambda_max`` of ``X_bar^T H X_bar`` (restricted to the vectors summing to 0 on
    every cluster), through the (K d) x (K d) matrix ``G^{1/2} H G^{1/2}``."""
    d = Xc.shape[1]
    H = np.zeros((K * d, K * d))
    G_half = np.zeros((K * d, K * d))
    for a in range(K):
        Xa = Xc[inv == a]
        vals, vecs = np.linalg.eigh(Xa.T @ Xa)
        G_half[a * d:(a + 1) * d, a * d:(a + 1) * d] = (vecs * np.sqrt(np.clip(vals, 0, None))) @ vecs.T
        for b in range(K):
            H[a * d:(a + 1) * d, b * d:(b + 1) * d] = np.eye(d) - (2 * np.outer(W[a, b], W[a, b]) if a != b else 0)
    return max(0.0, float(np.linalg.eigvalsh(G_half @ H @ G_half)[-1]))


def dual_certificate(X, labels, relaxation="peng_wei", z="paper", max_points=3000, build=True):
    """Build the paper's dual certificate explicitly and check it numerically.

    Construction (Section 6.3–6.4; Section 7.1 for Amini–Levina). With
    ``p_ab(i) = <x_{a,i} - m_ab, w_ab>``, complementary slackness fixes
    ``alpha`` from ``zeta``, and the choice
    ``B_ab = 4 p_ab p_ba^T - (zeta_a / (2 n_a) + zeta_b / (2 n_b)) 1 1^T``
    (a rank-one correction whose centred part turns the cross terms of
    ``Lambda`` into Householder reflections) gives, on the vectors summing to
    zero per cluster, ``Lambda = diag(zeta_a I) - 2 X_bar^T H X_bar`` with
    ``H_ab = I - 2 w_ab w_ab^T`` (``H_aa = I``).

    * Peng–Wei, ``z="paper"``: ``zeta_a = z = 2 sum_k ||X_bar_k||^2 + eta``
      (``||X_bar^T H X_bar|| <= sum_k ||X_bar_k||^2``);
      ``z="sharp"``: ``z = 2 lambda_max(X_bar^T H X_bar) + eta`` (computed
      exactly, still linear in N), which certifies more instances.
    * Amini–Levina: ``zeta_a = 2 K ||X_bar_a||^2 + eta`` (``H <= K I``).

    ``eta > 0`` is half the room left by the positivity of ``B``; ``holds``
    is True when that room is positive, i.e. when the certificate exists.
    (1.1) implies ``holds`` for Peng–Wei; :func:`al_proximity` implies it for
    Amini–Levina.

    Paper: Paper 3, Propositions 6.5–6.8, Lemmas 6.9–6.12 (Peng–Wei);
    Section 7.1, Propositions 7.2–7.4 (Amini–Levina; reconstructed).
    Chapter: book/convex/peng_wei, book/convex/amini_levina.

    Parameters
    ----------
    X : array-like of shape (N, d)
    labels : array-like of shape (N,)
    relaxation : {"peng_wei", "amini_levina"}, default="peng_wei"
    z : {"paper", "sharp"}, default="paper"
        Choice of the diagonal dual variable ("sharp" only for Peng–Wei).
    max_points : int, default=3000
        The matrices are N x N; larger inputs are refused when `build` is True.
    build : bool, default=True
        Build and check the matrices. With False only the closed-form test
        (``holds``, ``zeta``) is computed, in time linear in N; the matrix
        fields are None and the checks NaN.

    Returns
    -------
    DualCertificate

    Examples
    --------
    >>> import numpy as np
    >>> from kmbook.proximity import dual_certificate
    >>> X = np.array([[0.0, 0.0], [0.0, 1.0], [6.0, 0.0], [6.0, 1.0]])
    >>> cert = dual_certificate(X, [0, 0, 1, 1])
    >>> cert.holds, cert.verified, round(cert.dual_value, 9)
    (True, True, 1.0)
    """
    relaxation = _check_condition(relaxation)
    if z not in ("paper", "sharp"):
        raise ValueError(f"z must be 'paper' or 'sharp'; got {z!r}.")
    if z == "sharp" and relaxation != "peng_wei":
        raise ValueError("z='sharp' is only available for relaxation='peng_wei'.")
    X, inv, ids, _ = _prepare(X, labels)
    if build and X.shape[0] > max_points:
        raise ValueError(f"dual_certificate builds N x N matrices; N={X.shape[0]} exceeds max_points={max_points}.")
    K, N = ids.size, X.shape[0]
    C, Xc, sizes, norms_sq, dist, W = _geometry(X, inv, K)
    _rhs(relaxation, sizes, norms_sq)  # balanced-size check for Amini–Levina
    proj = _projections(X, Xc, inv, C, W)[0]
    pmin = np.full((K, K), np.inf)
    np.minimum.at(pmin, inv, proj)
    off = ~np.eye(K, dtype=bool)
    P = np.where(off, pmin * pmin.T, np.nan)
    ulps = MARGIN_ULPS * (X.shape[1] + 2)
    positive = bool(np.all(strictly_greater(pmin[off], 0.0, np.abs(X).max(), dist, ulps=ulps)))
    # B_ab > 0  <=>  zeta_a / (2 n_a) + zeta_b / (2 n_b) < 4 P_ab
    if relaxation == "peng_wei":
        base = 2 * norms_sq.sum() if z == "paper" else 2 * _householder_bound(Xc, inv, W, K)
        inv_n = 1.0 / sizes
        room = np.where(off, 8 * P / (inv_n[:, None] + inv_n[None, :]) - base, np.inf)
        slack_eta = float(np.min(room))
        zeta0 = np.full(K, base)
    else:
        n = sizes[0]
        zeta0 = 2 * K * norms_sq
        room = np.where(off, 4 * n * P - K * (norms_sq[:, None] + norms_sq[None, :]), np.inf)
        slack_eta = float(np.min(room))
    holds = positive and bool(strictly_greater(slack_eta, 0.0, room[off] + zeta0.max(), zeta0, ulps=ulps))
    eta = slack_eta / 2 if holds else 0.0
    zeta = zeta0 + eta
    if not build:
        nan = float("nan")
        return DualCertificate(
            relaxation=relaxation, holds=holds, zeta=zeta, alpha=None, B=None, Lambda=None, lambda_min=nan,
            b_min=nan, null_residual=nan, dual_value=nan, primal_value=nan,
        )

    D = cdist(X, X, "sqeuclidean")
    r = np.einsum("ij,ij->i", Xc, Xc)
    alpha = -2 * r - (zeta / sizes)[inv]
    Q = D + np.diag(zeta[inv]) + (alpha[:, None] + alpha[None, :]) / 2
    # p_ab for every point: proj[i, b] for i in a; B_ij = 4 p_{a b}(i) p_{b a}(j) - c_ab
    c = zeta / (2 * sizes)
    pi = proj[np.arange(N)[:, None], inv[None, :]]  # pi[i, j] = p_{a(i) b(j)}(i)
    B = 4 * pi * pi.T - (c[inv][:, None] + c[inv][None, :])
    B[inv[:, None] == inv[None, :]] = 0.0
    Lam = Q - B

    blocks = [np.flatnonzero(inv == a) for a in range(K)]
    null_res = max(float(np.max(np.abs(Lam[:, idx].sum(axis=1)))) for idx in blocks)
    V = np.zeros((N, N - K))
    col = 0
    for idx in blocks:
        if idx.size > 1:
            V[idx, col:col + idx.size - 1] = helmert(idx.size).T
            col += idx.size - 1
    lam_min = float(np.linalg.eigvalsh(V.T @ Lam @ V)[0]) if N > K else float("inf")
    cross = inv[:, None] != inv[None, :]
    b_min = float(B[cross].min())
    dual_value = -(float(zeta.sum()) + float(alpha.sum())) / 2
    primal_value = float(r.sum())
    return DualCertificate(
        relaxation=relaxation, holds=holds, zeta=zeta, alpha=alpha, B=B, Lambda=Lam, lambda_min=lam_min,
        b_min=b_min, null_residual=null_res, dual_value=dual_value, primal_value=primal_value,
    )
