"""A dual certificate stored compactly, and the lower bound recomputed from it.

Paper: Paper 3, weak duality for eq. (2.3) and (3.3).
Chapter: book/convex/sdp_at_scale.

The lower bound of :mod:`kmbook.sdp_bound` is the dual function at a matrix ``B >= 0``
(the dual of ``Z >= 0``); it is valid for *every* such ``B``. A solve's ``B`` can therefore
be stored rounded (float32, strict lower triangle: half the size, a quarter of float64's
square) and the bound recomputed later from the stored numbers alone: the rounding can only
loosen it, never make it wrong.
"""

from __future__ import annotations

import numpy as np

__all__ = ["pack_dual", "unpack_dual", "stored_lower_bound"]


def pack_dual(B):
    """Strict lower triangle of the symmetrised, non-negative part of `B`, as float32.

    Paper: Paper 3 (the dual matrix of ``Z >= 0``).
    Chapter: book/convex/sdp_at_scale.

    Examples
    --------
    >>> import numpy as np
    >>> from kmbook.sdp_stored import pack_dual, unpack_dual
    >>> B = np.array([[0.0, 2.0, -1.0], [2.0, 0.0, 3.0], [-1.0, 3.0, 0.0]])
    >>> unpack_dual(pack_dual(B), 3)[0].tolist()
    [0.0, 2.0, 0.0]
    """
    B = np.asarray(B, dtype=float)
    if B.ndim != 2 or B.shape[0] != B.shape[1]:
        raise ValueError(f"B must be a square matrix; got shape {B.shape}.")
    B = np.maximum((B + B.T) / 2, 0.0)
    return B[np.tril_indices(B.shape[0], -1)].astype(np.float32)


def unpack_dual(packed, n_points):
    """The symmetric float64 matrix (zero diagonal) of :func:`pack_dual`'s output.

    Paper: Paper 3 (the dual matrix of ``Z >= 0``).
    Chapter: book/convex/sdp_at_scale.
    """
    packed = np.asarray(packed)
    n_points = int(n_points)
    if packed.ndim != 1 or packed.size != n_points * (n_points - 1) // 2:
        raise ValueError(f"packed must hold N (N - 1) / 2 = {n_points * (n_points - 1) // 2} entries for "
                         f"n_points={n_points}; got shape {packed.shape}.")
    B = np.zeros((n_points, n_points))
    B[np.tril_indices(n_points, -1)] = packed
    return B + B.T


def stored_lower_bound(X, k, relaxation, packed):
    """Rigorous lower bound on the relaxation's optimum (k-means scale) from a packed ``B``.

    Paper: Paper 3, weak duality for eq. (2.3) and (3.3).
    Chapter: book/convex/sdp_at_scale.

    Parameters
    ----------
    X : ndarray of shape (N, d)
    k : int
    relaxation : {"peng_wei", "amini_levina"}
    packed : ndarray of shape (N (N - 1) / 2,)
        :func:`pack_dual` of a dual matrix (any non-negative one gives a valid bound).

    Returns
    -------
    float
        :func:`kmbook.sdp_bound.lower_bound` at the unpacked matrix, for the exact
        distances of `X` (their rounding is accounted for).
    """
    from .partitions import distance_matrix
    from .sdp_bound import lower_bound

    X = np.asarray(X, dtype=float)
    B = unpack_dual(packed, X.shape[0])
    return lower_bound(distance_matrix(X), B, k, relaxation, n_features=X.shape[1])
