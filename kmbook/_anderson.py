"""Safeguarded Anderson acceleration of a fixed-point iteration on large arrays.

Paper: Paper 3, eq. (2.3) and (3.3) (it accelerates the native solver of both relaxations).
Chapter: book/convex/sdp_at_scale.

For a map ``T`` with residual ``g(x) = T(x) - x``, type-II Anderson acceleration with memory
``m`` replaces the plain step ``x+ = T(x_k)`` by

``x+ = T(x_k) - sum_j gamma_j (Delta x_j + Delta g_j)``,
``gamma = argmin ||g_k - sum_j gamma_j Delta g_j||``,

over the last ``m`` differences ``Delta x_j = x_{j+1} - x_j`` and ``Delta g_j = g_{j+1} - g_j``
(Walker and Ni, SIAM J. Numer. Anal. 49, 2011). The least-squares problem is solved from
the ``m x m`` Gram matrix of the ``Delta g`` (kept up to date, one new row per step) with a
small Tikhonov term. The safeguard is the one of SCS 3 (O'Donoghue, 2021): an accelerated
point whose residual exceeds ``safeguard`` times the residual it was computed from is
rejected — the iteration goes back to the plain step ``T(x_k)`` it had in hand, and the
memory is cleared. Acceleration only chooses where the iteration goes next; whatever
certifies the answer must not depend on it.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

__all__ = ["Anderson"]

_BLOCKS = 64  # the flat arrays are cut into this many blocks (the parallel unit, with partial sums)


@njit(cache=True, parallel=True, fastmath={"reassoc", "contract"})
def _residual_sq(x, f):
    """``||f - x||^2`` (summed in blocks, reassociated: it only scales the safeguard's test)."""
    size = x.size
    parts = np.zeros(_BLOCKS)
    for b in prange(_BLOCKS):
        acc = 0.0
        for i in range(b * size // _BLOCKS, (b + 1) * size // _BLOCKS):
            r = f[i] - x[i]
            acc += r * r
        parts[b] = acc
    return parts.sum()


@njit(cache=True, parallel=True)
def _record(x, f, f_prev, g_prev, dF_j, dG_j, have_prev):
    """One pass: with `have_prev`, the new differences ``dF_j = f - f_prev`` and
    ``dG_j = g - g_prev`` (``g = f - x``); then ``f_prev, g_prev = f, g``."""
    size = x.size
    for b in prange(_BLOCKS):
        for i in range(b * size // _BLOCKS, (b + 1) * size // _BLOCKS):
            fi = f[i]
            gi = fi - x[i]
            if have_prev:
                dF_j[i] = fi - f_prev[i]
                dG_j[i] = gi - g_prev[i]
            f_prev[i] = fi
            g_prev[i] = gi


class Anderson:
    """Type-II Anderson acceleration with memory `memory` for arrays of a fixed size.

    Paper: Paper 3, eq. (2.3) and (3.3).
    Chapter: book/convex/sdp_at_scale.

    Parameters
    ----------
    size : int
        Number of entries of the iterate (arrays are used through flat views).
    memory : int
        Number of stored differences (at least 1); memory use is ``(2 memory + 2) size``
        floats.
    safeguard : float, default=1.0
        Largest accepted ratio of the residual norm after an accelerated step to the
        residual norm before it.
    reg : float, default=1e-10
        Tikhonov weight, relative to the largest diagonal entry of the Gram matrix.

    Examples
    --------
    >>> import numpy as np
    >>> from kmbook._anderson import Anderson
    >>> M = np.array([[0.9, 0.05], [0.0, 0.95]]); c = np.array([1.0, 2.0])
    >>> acc, x = Anderson(2, 3), np.zeros(2)
    >>> for _ in range(12):
    ...     x, _ = acc.step(x, M @ x + c)
    >>> bool(np.allclose(x, np.linalg.solve(np.eye(2) - M, c)))
    True
    """

    def __init__(self, size, memory, *, safeguard=1.0, reg=1e-10):
        if int(memory) < 1:
            raise ValueError(f"memory must be at least 1; got {memory}.")
        self.memory = int(memory)
        self.safeguard = float(safeguard)
        self.reg = float(reg)
        # Delta x + Delta g = Delta f: the step needs only the differences of f = T(x) and of g
        self.dF = np.empty((self.memory, size))
        self.dG = np.empty((self.memory, size))
        self.gram = np.zeros((self.memory, self.memory))
        self.f_prev = np.empty(size)  # also the plain step a rejected accelerated point falls back to
        self.g_prev = np.empty(size)
        self.accepted = self.rejected = 0
        self.reset()

    def reset(self):
        """Forget the stored differences (e.g. after the map itself changed)."""
        self.count = 0
        self.head = 0
        self.have_prev = False
        self.pending = None  # residual norm an accelerated step was computed from

    def step(self, x, fx):
        """The next iterate from ``x`` and ``fx = T(x)``: ``(x_next, accelerated)``.

        ``x_next`` is either `fx` itself (a plain step), the stored plain step of the
        previous call (the previous accelerated point was rejected by the safeguard) or a new
        array (an accelerated point). Inputs are not modified.
        """
        xf = np.ascontiguousarray(x, dtype=float).ravel()
        ff = np.ascontiguousarray(fx, dtype=float).ravel()
        g_norm = float(np.sqrt(_residual_sq(xf, ff)))
        if self.pending is not None and not g_norm <= self.safeguard * self.pending:
            # the accelerated point made things worse: take the plain step it replaced
            self.rejected += 1
            self.reset()
            return self.f_prev.reshape(np.shape(x)).copy(), False
        if self.pending is not None:
            self.accepted += 1
        j = self.head
        count = min(self.count + 1, self.memory) if self.have_prev else 0
        _record(xf, ff, self.f_prev, self.g_prev, self.dF[j], self.dG[j], self.have_prev)
        if self.have_prev:
            self.head = (j + 1) % self.memory
            self.count = count
            row = self.dG[:count] @ self.dG[j]
            self.gram[j, :count] = row
            self.gram[:count, j] = row
        self.have_prev = True
        if self.count == 0 or not np.isfinite(g_norm):
            self.pending = None
            return fx, False
        n = self.count
        G = self.gram[:n, :n]
        rhs = self.dG[:n] @ self.g_prev  # g_prev now holds g
        lam = self.reg * max(float(np.max(np.diag(G))), 1e-300)
        try:
            gamma = np.linalg.solve(G + lam * np.eye(n), rhs)
        except np.linalg.LinAlgError:
            self.reset()
            return fx, False
        if not np.all(np.isfinite(gamma)):
            self.reset()
            return fx, False
        out = gamma @ self.dF[:n]
        np.subtract(ff, out, out=out)
        self.pending = g_norm
        return out.reshape(np.shape(x)), True
