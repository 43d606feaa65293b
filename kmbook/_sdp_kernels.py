"""Fused entrywise kernels of the native SDP solver (one pass over the N x N arrays).

Paper: Paper 3, eq. (2.3) and (3.3) (the projections onto the entrywise constraints).
Chapter: book/convex/phase_transitions.
"""

import numpy as np
from numba import njit, prange


@njit(cache=True, inline="always")
def _project_entry(w, on_fixed_diagonal, diag_val):
    """The entrywise projection onto ``C``: ``diag_val`` on a fixed diagonal, else ``max(w, 0)``."""
    if on_fixed_diagonal:
        return diag_val
    return w if w > 0.0 else 0.0


@njit(cache=True, parallel=True)
def y_step(Z, Y, U, Ds, A, alpha, inv_rho, diag_val, fix_diag):
    """Over-relaxed ADMM step on the entrywise block, in place, plus the next Z-step's input.

    ``W = alpha Z + (1 - alpha) Y + U``; ``Y = max(W, 0)`` (diagonal set to ``diag_val``
    when `fix_diag`); ``U = W - Y``; ``A = Y - U - Ds / rho``. Returns the row means of
    ``A`` and the squared norms ``||Z - Y||^2``, ``||Y - Y_old||^2``, ``||U||^2``,
    ``||Z||^2`` and ``min Z``.
    """
    n = Z.shape[0]
    rows = np.empty(n)
    parts = np.zeros((n, 5))
    for i in prange(n):
        rs = 0.0
        s_zy = 0.0
        s_dy = 0.0
        s_u = 0.0
        s_z = 0.0
        zmin = np.inf
        for j in range(n):
            z = Z[i, j]
            y_old = Y[i, j]
            w = alpha * z + (1.0 - alpha) * y_old + U[i, j]
            y = _project_entry(w, fix_diag and i == j, diag_val)
            u = w - y
            Y[i, j] = y
            U[i, j] = u
            a = y - u - Ds[i, j] * inv_rho
            A[i, j] = a
            rs += a
            s_zy += (z - y) * (z - y)
            s_dy += (y - y_old) * (y - y_old)
            s_u += u * u
            s_z += z * z
            zmin = min(zmin, z)
        rows[i] = rs / n
        parts[i, 0] = s_zy
        parts[i, 1] = s_dy
        parts[i, 2] = s_u
        parts[i, 3] = s_z
        parts[i, 4] = zmin
    return rows, parts[:, 0].sum(), parts[:, 1].sum(), parts[:, 2].sum(), parts[:, 3].sum(), parts[:, 4].min()


@njit(cache=True, parallel=True)
def center(A, m):
    """``A <- A - m 1^T - 1 m^T + mean(m)`` in place (``P A P`` for symmetric A, m = row means)."""
    n = A.shape[0]
    g = m.mean()
    for i in prange(n):
        for j in range(n):
            A[i, j] += g - m[i] - m[j]


@njit(cache=True, parallel=True)
def split(W, Y, U, Ds, A, inv_rho, diag_val, fix_diag):
    """``Y = max(W, 0)`` (diagonal `diag_val` when `fix_diag`), ``U = W - Y`` and
    ``A = Y - U - Ds / rho`` in place; returns the row means of ``A``.

    The entrywise block of :func:`y_step` from a given ``W`` (an accelerated iterate).
    """
    n = W.shape[0]
    rows = np.empty(n)
    for i in prange(n):
        rs = 0.0
        for j in range(n):
            w = W[i, j]
            y = _project_entry(w, fix_diag and i == j, diag_val)
            u = w - y
            Y[i, j] = y
            U[i, j] = u
            a = y - u - Ds[i, j] * inv_rho
            A[i, j] = a
            rs += a
        rows[i] = rs / n
    return rows
