"""Partition matrices: the algebra shared by the two SDP relaxations of k-means.

Paper: Paper 3, Section 2, eq. (2.1)-(2.3) (a partition as its membership
matrix ``Z = sum_a 1_a 1_a^T / n_a``; the k-means cost as ``<D, Z> / 2``) and
Section 3.2, eq. (3.3) (the Amini–Levina constraints).
Chapter: book/convex/peng_wei, book/convex/amini_levina.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial.distance import cdist

from ._validation import (
    RELAXATIONS,
    as_labels,
    as_points,
    as_square,
    check_choice,
    check_n_clusters,
    check_nonnegative,
)

__all__ = ["distance_matrix", "membership_matrix", "exactness_error", "is_exact", "feasibility_residuals",
           "round_embedding"]


def distance_matrix(X):
    """Squared Euclidean distances ``D_ij = ||x_i - x_j||^2``.

    Paper: Paper 3, Section 2 (the matrix ``D`` of eq. (2.2)).
    Chapter: book/convex/peng_wei.

    Parameters
    ----------
    X : array-like of shape (N, d)

    Returns
    -------
    ndarray of shape (N, N)
        Symmetric, zero diagonal, non-negative.

    Examples
    --------
    >>> from kmbook.partitions import distance_matrix
    >>> distance_matrix([[0.0, 0.0], [3.0, 4.0]])
    array([[ 0., 25.],
           [25.,  0.]])
    """
    X = as_points(X, "X")
    return cdist(X, X, "sqeuclidean")


def membership_matrix(labels):
    """The partition matrix ``Z = sum_a 1_a 1_a^T / n_a`` of a labelling.

    Paper: Paper 3, Section 2 (the matrix of eq. (2.2); ``<D, Z> / 2`` is the
    k-means cost of the partition).
    Chapter: book/convex/peng_wei.

    Parameters
    ----------
    labels : array-like of shape (N,)
        Non-negative integer cluster labels; the values need not be
        consecutive (empty label values are ignored).

    Returns
    -------
    ndarray of shape (N, N)

    Examples
    --------
    >>> from kmbook.partitions import membership_matrix
    >>> membership_matrix([0, 0, 2])
    array([[0.5, 0.5, 0. ],
           [0.5, 0.5, 0. ],
           [0. , 0. , 1. ]])
    """
    lab = as_labels(labels, "labels")
    if lab.size == 0:
        raise ValueError("labels must hold at least one label; got an empty array.")
    _, inv, counts = np.unique(lab, return_inverse=True, return_counts=True)
    same = inv[:, None] == inv[None, :]
    return same / counts[inv][:, None]


def exactness_error(Z, labels):
    """Largest entrywise deviation ``max |Z - Z_labels|`` from a partition matrix.

    Chapter: book/convex/peng_wei.

    Examples
    --------
    >>> from kmbook.partitions import exactness_error, membership_matrix
    >>> float(exactness_error(membership_matrix([0, 0, 1]), [0, 0, 1]))
    0.0
    """
    Z = as_square(Z)
    lab = as_labels(labels, "labels", n_samples=Z.shape[0])
    return float(np.max(np.abs(Z - membership_matrix(lab))))


def is_exact(Z, labels, tol=1e-4):
    """Is `Z` the membership matrix of `labels`, entrywise within `tol`?

    Paper: Paper 3, Section 2 ("when is the solution of (2.3) of the form Z-bar?").
    Chapter: book/convex/peng_wei.

    Parameters
    ----------
    Z : array-like of shape (N, N)
        Typically ``peng_wei(...).Z``.
    labels : array-like of shape (N,)
        The partition to compare with (e.g. the ground truth).
    tol : float, default=1e-4
        Allowed ``max |Z - Z_labels|``. The default sits well above the
        accuracy of the default solvers on exact instances (about 1e-7) and
        well below the entries ``1 / n_a`` of a partition matrix.

    Returns
    -------
    bool

    Examples
    --------
    >>> from kmbook.partitions import is_exact, membership_matrix
    >>> is_exact(membership_matrix([0, 1, 1]), [5, 7, 7])
    True
    """
    tol = check_nonnegative(tol, "tol")
    return exactness_error(Z, labels) <= tol


def feasibility_residuals(Z, k, relaxation="peng_wei"):
    """Constraint violations of a candidate solution `Z` (computed, not assumed).

    Paper: Paper 3, eq. (2.3) (Peng–Wei) and eq. (3.3) (Amini–Levina).
    Chapter: book/convex/peng_wei.

    Parameters
    ----------
    Z : array-like of shape (N, N)
    k : int
        Number of clusters.
    relaxation : {"peng_wei", "amini_levina"}, default="peng_wei"

    Returns
    -------
    dict
        ``"symmetry"`` (max ``|Z - Z^T|``), ``"psd"`` (``max(0, -lambda_min)``
        of the symmetric part), ``"nonnegativity"`` (``max(0, -min Z_ij)``),
        ``"row_sums"`` (max ``|Z 1 - 1|``), and ``"trace"`` (``|tr Z - k|``)
        for Peng–Wei or ``"diagonal"`` (max ``|Z_ii - k/N|``) for Amini–Levina.

    Examples
    --------
    >>> from kmbook.partitions import feasibility_residuals, membership_matrix
    >>> r = feasibility_residuals(membership_matrix([0, 0, 1, 1]), 2, "amini_levina")
    >>> max(r.values()) < 1e-12
    True
    """
    Z = as_square(Z)
    n_points = Z.shape[0]
    k = check_n_clusters(k, n_points)
    relaxation = check_choice(relaxation, "relaxation", RELAXATIONS)
    S = (Z + Z.T) / 2
    res = {
        "symmetry": float(np.max(np.abs(Z - Z.T))),
        "psd": max(0.0, -float(np.linalg.eigvalsh(S)[0])),
        "nonnegativity": max(0.0, -float(Z.min())),
        "row_sums": float(np.max(np.abs(Z.sum(axis=1) - 1.0))),
    }
    if relaxation == "peng_wei":
        res["trace"] = abs(float(np.trace(Z)) - k)
    else:
        res["diagonal"] = float(np.max(np.abs(np.diag(Z) - k / n_points)))
    return res


def _farthest_first(V, k):
    """Deterministic seeding: the row of largest norm, then repeatedly the row
    farthest from the rows already chosen (ties to the lowest index)."""
    chosen = [int(np.argmax(np.einsum("ij,ij->i", V, V)))]
    dist = np.sum((V - V[chosen[0]]) ** 2, axis=1)
    for _ in range(1, k):
        nxt = int(np.argmax(dist))
        chosen.append(nxt)
        dist = np.minimum(dist, np.sum((V - V[nxt]) ** 2, axis=1))
    return V[chosen].copy()


def round_embedding(V, k):
    """Labels of the rows of a spectral embedding ``V`` (``V V^T ~ Z``): Lloyd's algorithm
    from a deterministic farthest-first seeding, labels numbered by first appearance.

    Paper: Paper 3, Section 2 (turning a relaxed solution into a partition).
    Chapter: book/convex/peng_wei.

    Examples
    --------
    >>> import numpy as np
    >>> from kmbook.partitions import round_embedding
    >>> round_embedding(np.array([[0.0], [0.1], [5.0], [5.2]]), 2)
    array([0, 0, 1, 1])
    """
    from .lloyd import lloyd

    V = as_points(V, "V")
    k = check_n_clusters(k, V.shape[0])
    labels = lloyd(V, _farthest_first(V, k)).labels
    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
    return np.argsort(np.argsort(first))[inverse]
