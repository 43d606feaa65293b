"""Explicit dual certificates: matrices that prove a relaxation's partition matrix is optimal.

Paper: Paper 3, Sections 6.3-6.4 (Peng–Wei: Propositions 6.5-6.8, Lemmas
6.9-6.12) and Section 7.1 (Amini–Levina, Propositions 7.2-7.4; reconstructed).
Chapter: book/convex/peng_wei, book/convex/amini_levina.

The notation is that of :mod:`kmbook.proximity`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.linalg import helmert
from scipy.spatial.distance import cdist

from ._cluster_geometry import condition_rhs, geometry, prepare, projections
from ._float import MARGIN_ULPS, strictly_greater
from ._validation import RELAXATIONS, check_choice

__all__ = ["DualCertificate", "dual_certificate"]


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
    >>> from kmbook.certificates import dual_certificate
    >>> X = np.array([[0.0, 0.0], [0.0, 1.0], [6.0, 0.0], [6.0, 1.0]])
    >>> cert = dual_certificate(X, [0, 0, 1, 1])
    >>> cert.holds, cert.verified, round(cert.dual_value, 9)
    (True, True, 1.0)
    """
    relaxation = check_choice(relaxation, "relaxation", RELAXATIONS)
    if z not in ("paper", "sharp"):
        raise ValueError(f"z must be 'paper' or 'sharp'; got {z!r}.")
    if z == "sharp" and relaxation != "peng_wei":
        raise ValueError("z='sharp' is only available for relaxation='peng_wei'.")
    X, inv, ids, _ = prepare(X, labels)
    if build and X.shape[0] > max_points:
        raise ValueError(f"dual_certificate builds N x N matrices; N={X.shape[0]} exceeds max_points={max_points}.")
    K, N = ids.size, X.shape[0]
    C, Xc, sizes, norms_sq, dist, W = geometry(X, inv, K)
    condition_rhs(relaxation, sizes, norms_sq)  # balanced-size check for Amini–Levina
    proj = projections(X, Xc, inv, C, W)[0]
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
