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
        th, S = np.linalg.eigh((T + T.T) / 2)
        th, S = th[::-1], S[:, ::-1]
        V, AV = V @ S, AV @ S
        scale = max(abs(th[0]), 1e-300)
        for _ in range(max_inner):
            R = AV - V * th
            res = np.linalg.norm(R, axis=0)
            if res.max() <= rtol * scale:
                break
            R -= V @ (V.T @ R)
            blocks = [V, R] if P is None else [V, R, P - V @ (V.T @ P)]
            Q = _orth(np.hstack(blocks))
            Q -= Q.mean(axis=0)  # stay in the complement of 1 despite rounding
            AQ = A @ Q
            T = Q.T @ AQ
            w, S = np.linalg.eigh((T + T.T) / 2)
            w, S = w[::-1][:m], S[:, ::-1][:, :m]
            Vn = Q @ S
            P = Vn - V @ (V.T @ Vn)
            V, AV, th = Vn, AQ @ S, w
        self.V, self.P = V, P
        return th, V
