"""Necessary conditions for the exactness of the Peng–Wei and Amini–Levina relaxations.

Paper: Paper 3, Theorem 3.3 (Peng–Wei, eq. (3.1)) and Theorem 3.6
(Amini–Levina, eq. (3.6)), proved in Sections 6.5 and 7.2. The seed text lost
both formulas; the conditions below are reconstructed from the optimality
conditions (Proposition 6.5, Lemma 7.1) and are labelled as ours in the book.
Chapter: book/convex/peng_wei, book/convex/amini_levina.

Derivation (details in the chapters). If the partition matrix ``Z_bar`` solves
the relaxation, strong duality gives ``Q = D + diag(z) + (alpha 1^T + 1
alpha^T)/2 = Lambda + B`` with ``Lambda`` PSD, ``B >= 0``, ``B`` zero on the
diagonal blocks and ``Lambda 1_a = 0``. Two consequences:

* rows of ``B_ab`` sum to ``2 n d_ab p_ab(i) - z_i + (Z_a - Z_b) / (2 n)``
  (Amini–Levina, ``n`` points per cluster, ``Z_a`` the sum of ``z`` over
  cluster ``a``) or
  ``n_b (2 d_ab p_ab(i) - (z / 2)(1/n_a + 1/n_b))`` (Peng–Wei, scalar ``z``),
  and they are ``>= 0``;
* on a vector ``u`` supported on cluster ``a`` with ``1^T u = 0``:
  ``u^T Lambda u = sum_i z_i u_i^2 - 2 ||X_bar_a u||^2 >= 0``.

Peng–Wei: ``z >= 2 max_k ||X_bar_k||^2`` and so, for every ordered pair,
``min_i p_ab(i) >= (1/n_a + 1/n_b) max_k ||X_bar_k||^2 / (2 d_ab)``.

Amini–Levina (balanced, ``n`` points per cluster): adding a row sum of
``B_ab`` and a column sum cancels ``Z_a - Z_b``; weighting by ``u_i^2
v_j^2`` for unit ``u`` (cluster ``a``) and ``v`` (cluster ``b``) orthogonal to
the ones vector gives, for every unordered pair,
``mu_ab + mu_ba >= 0`` with
``mu_ab = min_{|u|=1, 1^T u=0} sum_i u_i^2 p_ab(i) - ||X_bar_a u||^2 / (n d_ab)``.

Floating point. A violated necessary condition is a proof that the relaxation
is *not* exact, so a violation is declared only when a slack is below
``-tolerance``; the tolerance is ``1e3 * eps`` times the scale of the
quantities compared (documented on :class:`NecessaryResult`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.linalg import helmert

from ._cluster_geometry import PairSlack, geometry, prepare

__all__ = [
    "NecessaryResult",
    "pw_necessary",
    "al_necessary",
    "necessary_threshold_scale",
]

_RELAXATIONS = ("peng_wei", "amini_levina")
#: Relative floating-point margin (in units of machine epsilon) of the decisions.
MARGIN_ULPS = 1e3


@dataclass(frozen=True)
class NecessaryResult(PairSlack):
    """A necessary condition for exactness, pair by pair.

    Arrays indexed ``[a, b]`` have a NaN diagonal; clusters are numbered
    ``0..K-1`` in the order of ``cluster_ids``.

    Attributes
    ----------
    relaxation : str
        "peng_wei" (Theorem 3.3, reconstructed) or "amini_levina"
        (Theorem 3.6, reconstructed).
    holds : bool
        No pair violates the condition by more than ``tolerance``. False is a
        proof (up to that margin) that the partition matrix is *not* a
        solution of the relaxation.
    slack : ndarray of shape (K, K)
        ``lhs - rhs`` in units of distance; negative means violated. For
        Peng–Wei per ordered pair, for Amini–Levina symmetric.
    lhs, rhs : ndarray of shape (K, K)
        Peng–Wei: ``min_i p_ab(i)`` and ``(1/n_a + 1/n_b) max_k ||X_bar_k||^2
        / (2 d_ab)``. Amini–Levina: the weighted projections ``sum_i u_i^2
        p_ab(i) + sum_j v_j^2 p_ba(j)`` and ``(||X_bar_a u||^2 + ||X_bar_b
        v||^2) / (n d_ab)`` at the minimising unit vectors.
    tolerance : ndarray of shape (K, K)
        Margin below zero a slack must reach to count as a violation:
        ``1e3 * eps * (max_i ||x_i - mean|| + |rhs_ab|)``.
    distances : ndarray of shape (K, K)
    sizes, spectral_norms_sq, cluster_ids : ndarray of shape (K,)
    """

    relaxation: str
    holds: bool
    slack: np.ndarray = field(repr=False)
    lhs: np.ndarray = field(repr=False)
    rhs: np.ndarray = field(repr=False)
    tolerance: np.ndarray = field(repr=False)
    distances: np.ndarray = field(repr=False)
    sizes: np.ndarray = field(repr=False)
    spectral_norms_sq: np.ndarray = field(repr=False)
    cluster_ids: np.ndarray = field(repr=False)

    @property
    def violated_pairs(self):
        """List of pairs ``(a, b)`` whose slack is below ``-tolerance``."""
        bad = np.argwhere(self.slack < -self.tolerance)
        return [(int(a), int(b)) for a, b in bad]


def _setup(X, labels, relaxation):
    X, inv, ids, sizes = prepare(X, labels)
    if relaxation == "amini_levina" and np.any(sizes != sizes[0]):
        raise ValueError(
            "the Amini–Levina condition needs balanced clusters (all of the same size); "
            f"got sizes {sizes.tolist()}. Use pw_necessary for unbalanced partitions."
        )
    K = ids.size
    C, Xc, _, norms_sq, dist, _ = geometry(X, inv, K)
    blocks = [Xc[inv == a] for a in range(K)]
    diff = C[:, None, :] - C[None, :, :]
    radius = float(np.max(np.linalg.norm(X - X.mean(axis=0), axis=1)))
    return X, inv, ids, sizes, C, blocks, norms_sq, diff, dist, radius


def _spread(blocks, diff, dist, a, b):
    """``s_i = <c_a - x_{a,i}, w_ab>`` for the points of cluster ``a`` (so that
    ``p_ab(i) = d_ab / 2 - s_i``)."""
    if dist[a, b] == 0:
        return np.zeros(blocks[a].shape[0])
    return -(blocks[a] @ (diff[a, b] / dist[a, b]))


def _tolerance(radius, rhs):
    return MARGIN_ULPS * np.finfo(float).eps * (radius + np.abs(np.nan_to_num(rhs, posinf=0.0)))


def _result(relaxation, lhs, rhs, K, radius, dist, sizes, norms_sq, ids):
    off = ~np.eye(K, dtype=bool)
    slack = np.where(off, lhs - rhs, np.nan)
    tol = np.where(off, _tolerance(radius, rhs), np.nan)
    holds = bool(np.all(slack[off] >= -tol[off]))
    return NecessaryResult(
        relaxation=relaxation, holds=holds, slack=slack, lhs=np.where(off, lhs, np.nan),
        rhs=np.where(off, rhs, np.nan), tolerance=tol, distances=dist, sizes=sizes,
        spectral_norms_sq=norms_sq, cluster_ids=ids,
    )


def pw_necessary(X, labels):
    """Necessary condition for the Peng–Wei relaxation to return this partition.

    If the partition matrix solves the Peng–Wei SDP (2.3), then for every
    ordered pair ``a != b``
    ``min_i <x_{a,i} - (c_a + c_b)/2, w_ab> >= (1/n_a + 1/n_b) max_k ||X_bar_k||^2 / (2 d_ab)``.
    A violation proves the relaxation is not exact for this partition.

    Reconstruction (the seed lost (3.1)): the row sums of ``B_ab`` are
    ``n_b (2 d_ab p_ab(i) - (z/2)(1/n_a + 1/n_b)) >= 0``, and ``Lambda`` PSD on
    the top right singular vector of each ``X_bar_k`` gives ``z >= 2
    ||X_bar_k||^2``.

    Paper: Paper 3, Theorem 3.3, eq. (3.1), proof in Section 6.5 (reconstructed).
    Chapter: book/convex/peng_wei.

    Parameters
    ----------
    X : array-like of shape (N, d)
    labels : array-like of shape (N,)
        The partition (at least two clusters).

    Returns
    -------
    NecessaryResult

    Examples
    --------
    >>> import numpy as np
    >>> from kmbook.necessary import pw_necessary
    >>> X = np.array([[0.0], [2.0], [3.0], [5.0]])   # d_ab = 3, p_min = 0.5
    >>> res = pw_necessary(X, [0, 0, 1, 1])          # rhs = (1/2 + 1/2) 2 / 6
    >>> res.holds, round(res.min_slack, 12)
    (True, 0.166666666667)
    >>> pw_necessary(np.array([[0.0], [2.5], [2.5], [5.0]]), [0, 0, 1, 1]).holds
    False
    """
    X, inv, ids, sizes, C, blocks, norms_sq, diff, dist, radius = _setup(X, labels, "peng_wei")
    K = ids.size
    lhs = np.full((K, K), np.nan)
    rhs = np.full((K, K), np.nan)
    top = norms_sq.max()
    for a in range(K):
        for b in range(K):
            if a == b:
                continue
            lhs[a, b] = dist[a, b] / 2 - _spread(blocks, diff, dist, a, b).max()
            c = (1 / sizes[a] + 1 / sizes[b]) * top / 2
            rhs[a, b] = c / dist[a, b] if dist[a, b] > 0 else (np.inf if c > 0 else 0.0)
    return _result("peng_wei", lhs, rhs, K, radius, dist, sizes, norms_sq, ids)


def _mu(block, s, n, dab):
    """``min_{|u|=1, 1^T u=0} sum_i u_i^2 p_i - ||X_bar u||^2 / (n d_ab)`` with
    ``p = d_ab/2 - s``; returns (value, weighted projection, weighted spread term)."""
    m = block.shape[0]
    if m < 2:
        return np.inf, np.inf, 0.0
    V = helmert(m).T  # m x (m-1), orthonormal columns orthogonal to 1
    p = dab / 2 - s
    G = block @ block.T
    M = V.T @ (p[:, None] * V) - (V.T @ G @ V) / (n * dab)
    vals, vecs = np.linalg.eigh(M)
    u = V @ vecs[:, 0]
    return float(vals[0]), float(np.sum(u**2 * p)), float(u @ G @ u) / (n * dab)


def al_necessary(X, labels):
    """Necessary condition for the Amini–Levina relaxation to return this partition.

    Balanced clusters of ``n`` points. If the partition matrix solves the
    Amini–Levina SDP (3.3), then for every pair ``a != b`` there is no pair of
    unit vectors ``u`` (on cluster ``a``) and ``v`` (on ``b``), both orthogonal
    to the ones vector, with
    ``sum_i u_i^2 p_ab(i) + sum_j v_j^2 p_ba(j) < (||X_bar_a u||^2 + ||X_bar_b v||^2) / (n d_ab)``.
    The slack is the minimum over ``u, v`` of left minus right side (an
    eigenvalue problem per cluster and pair); only the two clusters of a pair
    enter, as in the localised sufficient condition.

    Reconstruction (the seed lost (3.6)): a row sum of ``B_ab`` plus a column
    sum gives ``z_i + z_j <= 2 n d_ab (p_ab(i) + p_ba(j))``; ``Lambda`` PSD on
    ``u`` gives ``sum_i u_i^2 z_i >= 2 ||X_bar_a u||^2``; weight by ``u_i^2
    v_j^2`` and add.

    Paper: Paper 3, Theorem 3.6, eq. (3.6), proof in Section 7.2 (reconstructed).
    Chapter: book/convex/amini_levina.

    Parameters
    ----------
    X : array-like of shape (N, d)
    labels : array-like of shape (N,)
        A balanced partition (all clusters of the same size).

    Returns
    -------
    NecessaryResult

    Raises
    ------
    ValueError
        If the clusters are not all of the same size.

    Examples
    --------
    >>> import numpy as np
    >>> from kmbook.necessary import al_necessary
    >>> X = np.array([[0.0], [2.0], [3.0], [5.0]])
    >>> al_necessary(X, [0, 0, 1, 1]).holds
    True
    >>> al_necessary(np.array([[0.0], [3.0], [2.0], [5.0]]), [0, 0, 1, 1]).holds
    False
    """
    X, inv, ids, sizes, C, blocks, norms_sq, diff, dist, radius = _setup(X, labels, "amini_levina")
    K, n = ids.size, int(sizes[0])
    lhs = np.full((K, K), np.nan)
    rhs = np.full((K, K), np.nan)
    for a in range(K):
        for b in range(a + 1, K):
            if dist[a, b] == 0:
                lhs[a, b] = lhs[b, a] = 0.0
                rhs[a, b] = rhs[b, a] = np.inf if norms_sq[a] + norms_sq[b] > 0 else 0.0
                continue
            _, pa, ga = _mu(blocks[a], _spread(blocks, diff, dist, a, b), n, dist[a, b])
            _, pb, gb = _mu(blocks[b], _spread(blocks, diff, dist, b, a), n, dist[a, b])
            lhs[a, b] = lhs[b, a] = pa + pb
            rhs[a, b] = rhs[b, a] = ga + gb
    return _result("amini_levina", lhs, rhs, K, radius, dist, sizes, norms_sq, ids)


def _scaled(X, labels, t):
    lab = np.unique(labels, return_inverse=True)[1]
    C = np.array([X[lab == a].mean(axis=0) for a in range(lab.max() + 1)])
    return X + (t - 1.0) * C[lab]


def necessary_threshold_scale(X, labels, relaxation="peng_wei", *, rtol=1e-10):
    """Scaling of the centre separations below which the relaxation cannot be exact.

    Moving every cluster's mean to ``t`` times its position (shapes kept, as
    :func:`kmbook.proximity.scale_separation`), the necessary condition holds
    exactly for ``t >= t_nec``. For Peng–Wei, with ``s_ab = max_i <c_a -
    x_{a,i}, w_ab>`` and ``q_ab = (1/n_a + 1/n_b) max_k ||X_bar_k||^2``, the
    condition ``t d_ab / 2 - s_ab >= q_ab / (2 t d_ab)`` is a quadratic in
    ``t d_ab`` and ``t_nec = max_ab (s_ab + sqrt(s_ab^2 + q_ab)) / d_ab``.
    For Amini–Levina each ``mu_ab(t)`` increases with ``t`` (a minimum of
    increasing functions), and ``t_nec`` is found by bisection.

    Paper: Paper 3, Theorems 3.3 and 3.6 (reconstructed); Corollary 4.3 and
    Section 5 (a lower reference for the exactness threshold).
    Chapter: book/convex/peng_wei, book/convex/phase_transitions.

    Parameters
    ----------
    X : array-like of shape (N, d)
    labels : array-like of shape (N,)
    relaxation : {"peng_wei", "amini_levina"}, default="peng_wei"
    rtol : float, default=1e-10
        Relative accuracy of the bisection (Amini–Levina only).

    Returns
    -------
    float
        ``t_nec``; the relaxation is provably not exact for ``t < t_nec``.

    Examples
    --------
    >>> import numpy as np
    >>> from kmbook.necessary import necessary_threshold_scale
    >>> X = np.array([[-1.0], [1.0], [9.0], [11.0]])   # d = 10, s = 1, q = 2
    >>> round(necessary_threshold_scale(X, [0, 0, 1, 1]), 12)   # (1 + sqrt 3) / 10
    0.273205080757
    """
    if relaxation not in _RELAXATIONS:
        raise ValueError(f"relaxation must be one of {_RELAXATIONS}; got {relaxation!r}.")
    X, inv, ids, sizes, C, blocks, norms_sq, diff, dist, radius = _setup(X, labels, relaxation)
    K = ids.size
    off = ~np.eye(K, dtype=bool)
    if np.any(dist[off] == 0):
        return float("inf")
    if relaxation == "peng_wei":
        t = 0.0
        for a in range(K):
            for b in range(K):
                if a != b:
                    s = _spread(blocks, diff, dist, a, b).max()
                    q = (1 / sizes[a] + 1 / sizes[b]) * norms_sq.max()
                    t = max(t, (s + np.sqrt(s * s + q)) / dist[a, b])
        return float(t)

    def ok(t):
        return al_necessary(_scaled(X, inv, t), inv).min_slack >= 0

    lo, hi = 0.0, 1.0
    while not ok(hi):
        lo, hi = hi, 2 * hi
        if hi > 1e12:
            return float("inf")
    while hi - lo > rtol * hi:
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if ok(mid) else (mid, hi)
    return float(hi)
