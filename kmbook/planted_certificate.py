"""Deciding exactness near the threshold: a dual certificate fitted to the solver's dual, and a
feasible fractional competitor.

The closed-form certificates of :mod:`kmbook.certificates` exist only above the separation at
which (1.1) (or its sharp variant) holds, far above the separation at which the relaxations
actually become exact. Between the two, a numerical solve is needed, and an approximate solve
proves nothing by itself. This module turns an approximate solve into a verdict either way,
each resting on a mathematical argument whose inequalities are decided in floating point with
a margin (the margins are rules of thumb, not proved error bounds; :func:`certified_margin`
bounds the certificate's eigenvalue rigorously for the matrix as stored):

* **exact** — :func:`fitted_certificate` builds a dual certificate of the *planted* partition
  (Propositions 6.6 and 7.2: ``Q = D + diag(zeta) + (alpha 1^T + 1 alpha^T)/2 = Lambda + B``
  with ``Lambda 1_a = 0``, ``Lambda`` positive definite on the vectors summing to zero per
  cluster, ``B = 0`` on the diagonal blocks and ``B > 0`` off them). Complementary slackness
  fixes ``alpha`` from ``zeta`` (Peng–Wei: one scalar ``z``) and hence the row and column sums
  of every off-diagonal block ``B_ab``; the *shape* of ``B_ab`` is taken from the solver's dual
  matrix (matrix scaling to those sums, then an exact additive correction of the sums). The
  result is checked like the closed-form certificates (:attr:`DualCertificate.verified`,
  strict inequalities with a floating-point margin), so an inaccurate solve makes the attempt
  fail; a wrong certificate could pass only if rounding exceeded those margins.
* **not exact** — :func:`feasible_competitor` repairs the solver's ``Z`` into an exactly
  feasible point (projection onto ``{Z PSD, Z 1 = 1, tr Z = K}`` then mixing with the strictly
  positive feasible point ``(K-1)/(N-1) (I - J/N) + J/N``; Amini–Levina also fixes the
  diagonal). If its cost is below the planted partition's cost by more than a rounding
  allowance, the planted partition is not the relaxation's solution.

Paper: Paper 3, Propositions 6.6 (Peng–Wei) and 7.2 (Amini–Levina): dual certificates; Section 5.
Chapter: book/convex/phase_transitions.
"""

from __future__ import annotations

import numpy as np
from scipy.linalg import helmert
from scipy.spatial.distance import cdist

from ._float import UNIT_ROUNDOFF
from ._validation import RELAXATIONS, as_labels, as_points, as_square, check_choice
from .certificates import DualCertificate
from .sdp_bound import certified_lambda_min

__all__ = ["fitted_certificate", "feasible_competitor", "certified_margin"]

_Z_STEPS = (0.0, 1e-4, -1e-4, 1e-3, -1e-3, 1e-2, -1e-2, 3e-2, -3e-2, 1e-1)


def _blocks(inv, K):
    return [np.flatnonzero(inv == a) for a in range(K)]


def _complement_basis(blocks, N):
    """Orthonormal basis of the vectors summing to zero on every block (Helmert per block)."""
    V = np.zeros((N, N - len(blocks)))
    col = 0
    for idx in blocks:
        if idx.size > 1:
            V[idx, col:col + idx.size - 1] = helmert(idx.size).T
            col += idx.size - 1
    return V


def certified_margin(cert, labels):
    """A rigorous lower bound on the smallest eigenvalue of the computed ``fl(V^T Lambda V)``.

    ``cert.lambda_min`` is ``eigvalsh``'s smallest eigenvalue of ``V^T Lambda V`` (``V`` an
    orthonormal basis of the vectors summing to zero on every cluster); its error is bounded
    only by LAPACK's unspecified ``p(N) eps ||Lambda||``. This bound instead comes from a
    Cholesky factorisation that runs to completion (:func:`kmbook.sdp_bound.certified_lambda_min`)
    and is rigorous for the matrix ``V^T Lambda V`` *as stored in floating point*: the rounding
    in forming ``Lambda`` and ``V^T Lambda V`` is not bounded here.

    Paper: Paper 3, Propositions 6.6 and 7.2 (``Lambda`` positive definite on the complement of
    the cluster indicators).
    Chapter: book/convex/phase_transitions.

    Parameters
    ----------
    cert : DualCertificate
        With ``Lambda`` (e.g. from :func:`fitted_certificate`).
    labels : array-like of shape (N,)
        The certified partition.

    Returns
    -------
    float
        ``-inf`` when the certificate has no ``Lambda``.
    """
    if not hasattr(cert, "Lambda"):
        raise TypeError(f"cert must be a DualCertificate (from fitted_certificate); got {type(cert).__name__}.")
    if cert.Lambda is None:
        return float("-inf")
    labels = as_labels(labels, "labels", n_samples=cert.Lambda.shape[0])
    inv = np.unique(labels, return_inverse=True)[1]
    V = _complement_basis(_blocks(inv, int(inv.max()) + 1), labels.size)
    M = V.T @ cert.Lambda @ V
    M = (M + M.T) / 2  # symmetric as stored; the bound is for this matrix
    return float(certified_lambda_min(M, float(np.linalg.eigvalsh(M)[0])))


def _alpha_zeta(D, inv, blocks, z, relaxation, B):
    """``alpha`` and per-point ``zeta`` fixed by ``Lambda 1_a = 0`` on the diagonal blocks."""
    N = D.shape[0]
    sizes = np.array([idx.size for idx in blocks], dtype=float)
    own = np.array([D[i, blocks[inv[i]]].sum() for i in range(N)])  # (D 1_c)_i
    if relaxation == "peng_wei":
        tot = np.array([D[np.ix_(idx, idx)].sum() for idx in blocks])
        alpha = -(2 * own + z - (tot / sizes)[inv]) / sizes[inv]
        return alpha, np.full(N, float(z))
    # Amini–Levina: alpha free; fit the off-diagonal row sums of the solver's B in least squares
    # ((B 1_b)_i = (D 1_b)_i + (alpha_i n + alpha(b)) / 2 for i outside b), then zeta from the
    # diagonal blocks: (D 1_c)_i + zeta_i + (alpha_i n + alpha(c)) / 2 = 0.
    n = sizes[0]
    rows, rhs = [], []
    for b, idx in enumerate(blocks):
        out = np.flatnonzero(inv != b)
        A = np.zeros((out.size, N))
        A[np.arange(out.size), out] = n / 2
        A[:, idx] += 0.5
        rows.append(A)
        rhs.append(B[np.ix_(out, idx)].sum(axis=1) - D[np.ix_(out, idx)].sum(axis=1))
    alpha = np.linalg.lstsq(np.vstack(rows), np.concatenate(rhs), rcond=None)[0]
    asum = np.array([alpha[idx].sum() for idx in blocks])
    zeta = -own - (alpha * n + asum[inv]) / 2
    return alpha, zeta


def _scaled_block(B0, r, c, iters=200):
    """Non-negative matrix with row sums `r` and column sums `c` shaped like `B0`."""
    B = np.maximum(B0, 0.0)
    floor = 1e-9 * max(float(B.mean()), float(np.outer(r, c).mean() / max(r.sum(), 1e-300)))
    B = B + floor + 1e-6 * np.outer(r, c) / r.sum()
    for _ in range(iters):
        B *= (r / B.sum(axis=1))[:, None]
        B *= (c / B.sum(axis=0))[None, :]
    # exact additive correction of both margins: B + u 1^T + 1 v^T + g J
    na, nb = B.shape
    dr, dc = r - B.sum(axis=1), c - B.sum(axis=0)
    delta = dr.sum()
    return B + dr[:, None] / nb + dc[None, :] / na - delta / (na * nb)


def _certificate(D, inv, blocks, z, relaxation, Bs, primal):
    N, K = D.shape[0], len(blocks)
    alpha, zeta = _alpha_zeta(D, inv, blocks, z, relaxation, Bs)
    Q = D + np.diag(zeta) + (alpha[:, None] + alpha[None, :]) / 2
    B = np.zeros_like(D)
    ok = True
    for a in range(K):
        for b in range(a + 1, K):
            ia, ib = blocks[a], blocks[b]
            r = Q[np.ix_(ia, ib)].sum(axis=1)
            c = Q[np.ix_(ia, ib)].sum(axis=0)
            if r.min() <= 0 or c.min() <= 0:
                ok = False
                B[np.ix_(ia, ib)] = np.minimum(r.min(), c.min())  # a failed attempt, never verified
            else:
                B[np.ix_(ia, ib)] = _scaled_block(Bs[np.ix_(ia, ib)], r, c)
            B[np.ix_(ib, ia)] = B[np.ix_(ia, ib)].T
    Lam = Q - B
    null_res = max(float(np.max(np.abs(Lam[:, idx].sum(axis=1)))) for idx in blocks)
    V = _complement_basis(blocks, N)
    lam_min = float(np.linalg.eigvalsh(V.T @ Lam @ V)[0]) if N > K else float("inf")
    cross = inv[:, None] != inv[None, :]
    b_min = float(B[cross].min()) if ok else -1.0
    sizes = np.array([idx.size for idx in blocks], dtype=float)
    dual_value = -(float((zeta / sizes[inv]).sum()) + float(alpha.sum())) / 2
    return DualCertificate(
        relaxation=relaxation, holds=ok, zeta=np.array([zeta[idx].mean() for idx in blocks]),
        alpha=alpha, B=B, Lambda=Lam, lambda_min=lam_min, b_min=b_min, null_residual=null_res,
        dual_value=dual_value, primal_value=primal,
    )


def fitted_certificate(X, labels, B, relaxation="peng_wei"):
    """A dual certificate of the planted partition shaped by a solver's dual matrix.

    Paper: Paper 3, Propositions 6.6 and 7.2 (a verified certificate proves the partition
    matrix is the relaxation's unique solution).
    Chapter: book/convex/phase_transitions.

    Parameters
    ----------
    X : array-like of shape (N, d)
    labels : array-like of shape (N,)
        The partition to certify (for Amini–Levina, clusters of equal size).
    B : array-like of shape (N, N)
        The solver's dual matrix of ``Z >= 0`` on the scale of ``D`` (``SDPResult.duals
        ["nonnegative"]``). Only its off-diagonal blocks are used, as a shape.
    relaxation : {"peng_wei", "amini_levina"}, default="peng_wei"

    Returns
    -------
    DualCertificate
        The first verified attempt, else the last one; ``.verified`` decides. Peng–Wei
        tries a few values of the scalar ``z`` around the least-squares fit to the
        solver's ``B``.

    Examples
    --------
    >>> import numpy as np
    >>> from kmbook.planted_certificate import fitted_certificate
    >>> X = np.array([[0.0, 0.0], [0.0, 1.0], [6.0, 0.0], [6.0, 1.0]])
    >>> fitted_certificate(X, [0, 0, 1, 1], np.ones((4, 4))).verified
    True
    """
    relaxation = check_choice(relaxation, "relaxation", RELAXATIONS)
    X = as_points(X)
    labels = as_labels(labels, "labels", n_samples=X.shape[0])
    B = as_square(B, "B")
    if B.shape[0] != X.shape[0]:
        raise ValueError(f"B must be {X.shape[0]} x {X.shape[0]} (one row per point); got {B.shape}.")
    inv = np.unique(labels, return_inverse=True)[1]
    K = int(inv.max()) + 1
    if K < 2:
        raise ValueError("labels must have at least two clusters to certify.")
    blocks = _blocks(inv, K)
    sizes = np.array([idx.size for idx in blocks])
    if relaxation == "amini_levina" and np.unique(sizes).size != 1:
        raise ValueError(f"amini_levina needs clusters of equal size; got sizes {sorted(set(sizes.tolist()))}.")
    D = cdist(X, X, "sqeuclidean")
    Bs = (np.asarray(B, float) + np.asarray(B, float).T) / 2
    primal = float(sum(((X[idx] - X[idx].mean(axis=0)) ** 2).sum() for idx in blocks))
    if relaxation == "amini_levina":
        return _certificate(D, inv, blocks, None, relaxation, Bs, primal)
    # least-squares z: off-diagonal row sums of Q minus those of B are affine in z
    q0 = _offdiag_rowsums(D, inv, blocks, 0.0, Bs)
    q1 = _offdiag_rowsums(D, inv, blocks, 1.0, Bs)
    slope = q1 - q0
    z0 = float(-(slope @ q0) / (slope @ slope))
    cert = None
    for step in _Z_STEPS:
        cert = _certificate(D, inv, blocks, z0 * (1 + step), relaxation, Bs, primal)
        if cert.verified:
            break
    return cert


def _offdiag_rowsums(D, inv, blocks, z, Bs):
    alpha, zeta = _alpha_zeta(D, inv, blocks, z, "peng_wei", Bs)
    Q = D + (alpha[:, None] + alpha[None, :]) / 2 - Bs
    cross = inv[:, None] != inv[None, :]
    out = []
    for b, idx in enumerate(blocks):
        rows = np.flatnonzero(inv != b)
        out.append((Q[np.ix_(rows, idx)] * cross[np.ix_(rows, idx)]).sum(axis=1))
    return np.concatenate(out)


def feasible_competitor(X, Z, k, relaxation="peng_wei"):
    """An exactly feasible point of the relaxation near `Z` (up to rounding), and its cost.

    ``Z`` is projected onto ``{Z = J/N + W, W PSD, W 1 = 0, tr W = K - 1}`` (eigenvalues of the
    centred matrix onto the simplex). For Amini–Levina a small correction
    ``diag(x) - (y 1^T + 1 y^T) / 2`` then makes ``diag Z = K/N`` and ``Z 1 = 1`` hold again.
    Finally the point is mixed with ``Z0 = (K-1)/(N-1) (I - J/N) + J/N`` — feasible for both
    relaxations, with positive entries and ``lambda_min = (K-1)/(N-1)`` — just enough that
    every entry is non-negative and the smallest eigenvalue positive. The result is then
    checked directly (entries, eigenvalues, row sums, trace, diagonal), not trusted.

    Paper: Paper 3, eq. (2.3) and (3.3) (the feasible sets).
    Chapter: book/convex/phase_transitions.

    Parameters
    ----------
    X : array-like of shape (N, d)
    Z : array-like of shape (N, N)
        An approximate solution (e.g. ``SDPResult.Z``).
    k : int
    relaxation : {"peng_wei", "amini_levina"}, default="peng_wei"

    Returns
    -------
    dict
        ``cost`` (``<D, Z'> / 2``, the k-means scale), ``theta`` (weight of ``Z0``),
        ``lambda_min``, ``min_entry``, ``linear_residual`` (largest violation of the linear
        constraints, rounding only) and ``feasible`` (every check passed).

    Examples
    --------
    >>> import numpy as np
    >>> from kmbook.planted_certificate import feasible_competitor
    >>> X = np.array([[0.0], [1.0], [10.0], [11.0]])
    >>> Z = np.kron(np.eye(2), np.full((2, 2), 0.5))
    >>> out = feasible_competitor(X, Z, 2)
    >>> out["feasible"], round(out["cost"], 4)
    (True, 1.0)
    """
    relaxation = check_choice(relaxation, "relaxation", RELAXATIONS)
    X = as_points(X)
    Z = as_square(Z, "Z")
    N = X.shape[0]
    if Z.shape[0] != N:
        raise ValueError(f"Z must be {N} x {N}; got {Z.shape}.")
    k = int(k)
    if not 2 <= k < N:
        raise ValueError(f"k must satisfy 2 <= k < N={N}; got {k}.")
    D = cdist(X, X, "sqeuclidean")
    P = np.eye(N) - 1.0 / N
    W = P @ ((Z + Z.T) / 2) @ P
    vals, vecs = np.linalg.eigh((W + W.T) / 2)
    Zq = (vecs * _simplex(vals, k - 1.0)) @ vecs.T + 1.0 / N
    if relaxation == "amini_levina":
        # x_i - y_i = e_i (diagonal), x_i - (N y_i + 1^T y) / 2 = g_i (row sums)
        e = k / N - np.diag(Zq)
        g = 1.0 - Zq.sum(axis=1)
        # subtracting: (N/2 - 1) y_i + (1^T y)/2 = e_i - g_i; sum: (N - 1) 1^T y = sum(e - g)
        h = e - g
        ysum = h.sum() / (N - 1)
        y = (h - ysum / 2) / (N / 2 - 1)
        x = e + y
        Zq = Zq + np.diag(x) - (y[:, None] + y[None, :]) / 2
    Zq = (Zq + Zq.T) / 2
    Z0 = (k - 1.0) / (N - 1.0) * P + 1.0 / N
    off = ~np.eye(N, dtype=bool)
    z0min, l0 = float(Z0[off].min()), (k - 1.0) / (N - 1.0)
    neg = max(0.0, float(-Zq[off].min()))
    neg_eig = max(0.0, float(-np.linalg.eigvalsh(Zq)[0]))
    # (1 - t) (-neg) + t z0min >= 0 and (1 - t) (-neg_eig) + t l0 >= 0, with a relative 1e-9 room
    theta = max(neg / (neg + z0min), neg_eig / (neg_eig + l0)) if neg + neg_eig > 0 else 0.0
    theta = min(1.0, theta * (1 + 1e-6) + 1e-9)
    Zf = (1 - theta) * Zq + theta * Z0
    lam_min = float(np.linalg.eigvalsh(Zf)[0])
    min_entry = float(Zf[off].min())
    lin = max(float(np.abs(Zf.sum(axis=1) - 1).max()), abs(float(np.trace(Zf)) - k) / k)
    if relaxation == "amini_levina":
        lin = max(lin, float(np.abs(np.diag(Zf) - k / N).max()))
    tol = 1e3 * N * UNIT_ROUNDOFF
    feasible = bool(min_entry >= 0 and lam_min > tol and lin <= tol)
    return {"cost": float(np.sum(D * Zf)) / 2, "theta": float(theta), "lambda_min": lam_min,
            "min_entry": min_entry, "linear_residual": lin, "feasible": feasible}


def _simplex(vals, total):
    """Euclidean projection of `vals` onto ``{l >= 0, sum l = total}``."""
    u = np.sort(vals)[::-1]
    css = np.cumsum(u) - total
    idx = np.arange(1, u.size + 1)
    rho = np.flatnonzero(u - css / idx > 0)[-1]
    return np.maximum(vals - css[rho] / (rho + 1), 0.0)
