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

__all__ = ["Anderson"]


class Anderson:
    """Type-II Anderson acceleration with memory `memory` for arrays of a fixed size.

    Paper: Paper 3, eq. (2.3) and (3.3).
    Chapter: book/convex/sdp_at_scale.

    Parameters
    ----------
    size : int
        Number of entries of the iterate (arrays are used through flat views).
    memory : int
        Number of stored differences (at least 1); memory use is ``(2 memory + 3) size``
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
        self.dX = np.empty((self.memory, size))
        self.dG = np.empty((self.memory, size))
        self.gram = np.zeros((self.memory, self.memory))
        self.x_prev = np.empty(size)
        self.g_prev = np.empty(size)
        self.f_plain = np.empty(size)
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
        xf, ff = np.ravel(x), np.ravel(fx)
        g = ff - xf
        g_norm = float(np.sqrt(np.dot(g, g)))
        if self.pending is not None and not g_norm <= self.safeguard * self.pending:
            # the accelerated point made things worse: take the plain step it replaced
            self.rejected += 1
            self.reset()
            return self.f_plain.reshape(np.shape(x)).copy(), False
        if self.pending is not None:
            self.accepted += 1
        if self.have_prev:
            j = self.head
            np.subtract(xf, self.x_prev, out=self.dX[j])
            np.subtract(g, self.g_prev, out=self.dG[j])
            self.head = (j + 1) % self.memory
            self.count = min(self.count + 1, self.memory)
            row = self.dG[: self.count] @ self.dG[j]
            self.gram[j, : self.count] = row
            self.gram[: self.count, j] = row
        self.x_prev[:] = xf
        self.g_prev[:] = g
        self.have_prev = True
        if self.count == 0 or not np.isfinite(g_norm):
            self.pending = None
            return fx, False
        n = self.count
        G = self.gram[:n, :n]
        rhs = self.dG[:n] @ g
        lam = self.reg * max(float(np.max(np.diag(G))), 1e-300)
        try:
            gamma = np.linalg.solve(G + lam * np.eye(n), rhs)
        except np.linalg.LinAlgError:
            self.reset()
            return fx, False
        if not np.all(np.isfinite(gamma)):
            self.reset()
            return fx, False
        self.f_plain[:] = ff
        out = ff - gamma @ self.dX[:n]
        out -= gamma @ self.dG[:n]
        self.pending = g_norm
        return out.reshape(np.shape(x)), True
