"""The Z-step of the native SDP solver: projection onto ``S = {J / N + W : W PSD, W 1 = 0, tr W = K - 1}``.

Paper: Paper 3, eq. (2.3) and (3.3) (the spectral part of both feasible sets).
Chapter: book/convex/sdp_at_scale.

The projection of a centred symmetric matrix onto ``S`` keeps its eigenvectors and moves its
eigenvalues onto the simplex ``{lambda >= 0, sum lambda = K - 1}``: only the eigenpairs above
the simplex threshold are needed. :class:`TopEigen` finds them by a block LOBPCG iteration
warm-started from the previous call (the block grows when saturated; a full
eigendecomposition is the fallback, and the rule up to :data:`FULL_EIGH_MAX_N`).
"""

import numpy as np
from scipy.linalg import eigh
from scipy.linalg.lapack import dpotrf, dtrtri

#: Up to this N a full eigendecomposition replaces the block iteration (comparable cost at N = 120).
FULL_EIGH_MAX_N = 200


def _simplex_threshold(vals, total):
    """``theta`` with ``sum max(vals - theta, 0) = total`` (vals sorted decreasing)."""
    csum = np.cumsum(vals)
    idx = np.arange(1, vals.size + 1)
    thetas = (csum - total) / idx
    ok = vals - thetas > 0
    j = int(np.flatnonzero(ok)[-1]) if ok.any() else 0
    return float(thetas[j]), j + 1


def center(A):
    """``P A P`` with ``P = I - J / N`` (A symmetric), in place."""
    m = A.mean(axis=1)
    g = m.mean()
    A -= m[:, None]
    A -= m[None, :]
    A += g
    return A


def _orth(Q):
    """Orthonormal basis (columns of Q are assumed centred)."""
    Q, R = np.linalg.qr(Q)
    keep = np.abs(np.diag(R)) > 1e-10 * max(1.0, np.abs(np.diag(R)).max())
    return Q[:, keep]


def _inv_chol_t(G):
    """``L^-T`` for the Cholesky factor ``L`` of `G` (None if `G` is not safely positive definite)."""
    L, info = dpotrf(G, lower=1)
    diag = np.abs(np.diag(L))
    if info != 0 or not diag.min() > 1e-3 * diag.max():
        return None
    Linv, info = dtrtri(L, lower=1)
    return Linv.T if info == 0 else None


def _orth_factor(W):
    """``M`` with ``W M`` orthonormal, by Cholesky QR applied twice (CholQR2), or None.

    Two passes make the basis orthonormal to working precision when the column-scaled Gram
    matrix of `W` is well conditioned; None (the caller falls back to Householder QR) when
    it is not.
    """
    G = W.T @ W
    d = np.sqrt(np.diag(G))
    if not np.all(d > 0) or not np.all(np.isfinite(d)):
        return None
    first = _inv_chol_t(G / np.outer(d, d))
    if first is None:
        return None
    M = first / d[:, None]
    Wm = W @ M
    second = _inv_chol_t(Wm.T @ Wm)
    return None if second is None else M @ second


class TopEigen:
    """Warm-started block LOBPCG for the largest eigenpairs of centred symmetric matrices."""

    def __init__(self, n_points, m, rng):
        V = rng.standard_normal((n_points, m))
        V -= V.mean(axis=0)
        self.V = _orth(V)
        self.P = None
        self.full = 0
        self.pad = max(4, m // 2)
        self.max_inner = 8

    def __call__(self, A, total, max_inner=None, rtol=1e-9):
        """Eigenpairs of ``A`` above the simplex threshold for ``total``."""
        n_points = A.shape[0]
        max_inner = self.max_inner if max_inner is None else max_inner
        for _ in range(6 if n_points > FULL_EIGH_MAX_N else 0):
            vals, vecs = self._lobpcg(A, max_inner, rtol)
            theta, n_pos = _simplex_threshold(vals, total)
            if n_pos < vals.size - 1 or vals.size >= n_points - 1:
                keep = min(vals.size, n_pos + self.pad)  # shrink the block to what is needed
                self.V = self.V[:, :keep]
                self.P = None if self.P is None else self.P[:, :keep]
                return vals[:n_pos] - theta, vecs[:, :n_pos]
            # block saturated: every Ritz value is above the threshold; grow it
            m = min(2 * vals.size, n_points - 1)
            extra = np.random.default_rng(vals.size).standard_normal((n_points, m - vals.size))
            extra -= extra.mean(axis=0)
            self.V = _orth(np.hstack([vecs, extra]))
            self.P = None
            if m > n_points // 3:
                break
        self.full += 1
        # A 1 = 0: push the direction 1 to the bottom of the spectrum, then drop it
        big = 2.0 * (float(np.linalg.norm(A)) + 1.0)
        vals, vecs = eigh(A - big / n_points, check_finite=False)
        vals, vecs = vals[::-1][:-1], vecs[:, ::-1][:, :-1]
        theta, n_pos = _simplex_threshold(vals, total)
        m = min(n_pos + self.pad, n_points - 1)
        self.V, self.P = vecs[:, :m].copy(), None
        return vals[:n_pos] - theta, vecs[:, :n_pos]

    def _lobpcg(self, A, max_inner, rtol):
        V, P = self.V, self.P
        m = V.shape[1]
        AV = A @ V
        T = V.T @ AV
        th = None
        for step_no in range(max_inner):
            # residuals of the block (R is orthogonal to V: the span of V, R is that of LOBPCG's
            # Ritz vectors and residuals, without the Rayleigh-Ritz step on V alone)
            T = (T + T.T) / 2
            R = AV - V @ T
            scale = max(float(np.abs(T).max()), 1e-300)
            if float(np.sqrt((R * R).sum(axis=0)).max()) <= rtol * scale:
                th = None
                break
            R -= V @ (V.T @ R)
            W = R if P is None else np.hstack([R, P - V @ (V.T @ P)])
            step = _orth_factor(W)
            if step is None:  # the new directions are nearly dependent: Householder QR, dropping some
                Q = _orth(np.hstack([V, W]))
                Q -= Q.mean(axis=0)  # stay in the complement of 1 despite rounding
                AQ = A @ Q
            else:
                QW = W @ step
                QW -= QW.mean(axis=0)
                Q, AQ = np.hstack([V, QW]), np.hstack([AV, A @ QW])
            T = Q.T @ AQ
            th, S = np.linalg.eigh((T + T.T) / 2)
            th, S = th[::-1][:m], S[:, ::-1][:, :m]
            Vn = Q @ S
            P = Vn - V @ (V.T @ Vn)
            V = Vn
            if step_no + 1 < max_inner:  # A V for the next step (the last one returns the Ritz pairs)
                AV = AQ @ S
                T = V.T @ AV
        if th is None:  # converged before (or without) a Rayleigh-Ritz step: rotate V to Ritz vectors
            th, S = np.linalg.eigh((T + T.T) / 2)
            th, S = th[::-1], S[:, ::-1]
            V = V @ S
        self.V, self.P = V, P
        return th, V
