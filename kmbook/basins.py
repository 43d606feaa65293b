"""Basins of attraction of batch k-means stationary points, and partition comparison.

Paper: Paper 2 (Tang & Monteleoni), Definition 3 (stable stationary point:
basin radius ``b0``), Lemma 3 and Theorem 3 (local convergence inside the
basin), assumption (A0) (no point on a bisector).
Chapter: book/stochastic/rate (section "How large is the basin?").

Three tools:

* :func:`same_partition` compares two clusterings as *partitions* (as sets of
  clusters), so label vectors that differ only by a renaming of the clusters
  count as the same stationary point;
* :func:`partition_radius` is the closed-form largest per-centre displacement
  that can never change the Voronoi partition of a set of centres;
  :func:`worst_perturbation` builds the displacement that changes it just
  beyond that radius (a witness that the radius is tight);
* :func:`basin_radius` measures, along random directions, how far the centres
  of a stationary point can be moved so that batch Lloyd still returns to the
  same partition.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._validation import as_centers, as_generator, as_labels, as_points, check_int, check_positive
from .lloyd import lloyd
from .objective import voronoi_labels

__all__ = ["BasinRadius", "basin_radius", "partition_radius", "same_partition", "worst_perturbation"]


def _as_array(value, name):
    """``np.asarray(value)``, with a TypeError naming `name` for ragged or unconvertible input."""
    try:
        return np.asarray(value)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be a 1-D array of integer cluster labels; could not convert it: {exc}") from exc


def same_partition(labels_a, labels_b):
    """Whether two label vectors describe the same partition (up to renaming).

    Paper: Paper 2, Section 2 (stationary clusterings are compared as sets of
    clusters; centres are matched by a permutation).
    Chapter: book/stochastic/rate, book/stochastic/clusterable.

    Parameters
    ----------
    labels_a, labels_b : array-like of shape (n,)
        Cluster labels of the same ``n`` points.

    Returns
    -------
    bool
        True when every cluster of one is exactly a cluster of the other.

    Examples
    --------
    >>> from kmbook.basins import same_partition
    >>> same_partition([0, 0, 1, 2], [2, 2, 0, 1]), same_partition([0, 0, 1, 1], [0, 1, 1, 1])
    (True, False)
    """
    a = as_labels(_as_array(labels_a, "labels_a"), "labels_a")
    b = as_labels(_as_array(labels_b, "labels_b"), "labels_b", n_samples=a.size)
    pairs = np.unique(np.c_[a, b], axis=0)
    return bool(len(pairs) == len(np.unique(a)) == len(np.unique(b)))


def _two_nearest(X, C, chunk=4096):
    first = np.empty(X.shape[0], dtype=np.int64)
    second = np.empty(X.shape[0], dtype=np.int64)
    d1 = np.empty(X.shape[0])
    d2 = np.empty(X.shape[0])
    for s in range(0, X.shape[0], chunk):
        dd = np.sqrt(((X[s:s + chunk, None, :] - C[None]) ** 2).sum(-1))
        idx = np.argsort(dd, axis=1)[:, :2]
        first[s:s + chunk], second[s:s + chunk] = idx[:, 0], idx[:, 1]
        rows = np.arange(idx.shape[0])
        d1[s:s + chunk], d2[s:s + chunk] = dd[rows, idx[:, 0]], dd[rows, idx[:, 1]]
    return first, second, d1, d2


def partition_radius(X, centers):
    """Largest per-centre move that cannot change the Voronoi partition of `centers`.

    If every centre moves by less than ``rho = min_x (||x - c_second|| -
    ||x - c_nearest||) / 2`` (distances, not squared), every point keeps its
    nearest centre, so one Lloyd step from the moved centres returns exactly to
    the means of the partition. The bound is tight: :func:`worst_perturbation`
    changes the partition with moves of ``rho (1 + eps)``.

    Paper: Paper 2, Definition 3 and (A0) (a point on a bisector gives ``rho = 0``).
    Chapter: book/stochastic/rate.

    Parameters
    ----------
    X : array-like of shape (n, d)
    centers : array-like of shape (k, d), k >= 2

    Returns
    -------
    float

    Examples
    --------
    >>> import numpy as np
    >>> from kmbook.basins import partition_radius
    >>> partition_radius(np.array([[0.0], [1.0], [10.0], [11.0]]), [[0.5], [10.5]])
    4.5
    """
    X = as_points(X, "X")
    C = as_centers(centers, "centers", n_features=X.shape[1])
    if C.shape[0] < 2:
        raise ValueError("centers must hold at least two centres: with one centre there is no bisector.")
    _, _, d1, d2 = _two_nearest(X, C)
    return float((d2 - d1).min() / 2)


def worst_perturbation(X, centers, scale=1.0 + 1e-6):
    """Centres moved by ``scale * partition_radius`` each so that the partition changes.

    The point ``x`` attaining the radius gets its nearest centre moved straight
    away from it and its second-nearest centre straight towards it; every other
    centre stays. With ``scale > 1`` the point changes sides.

    Paper: Paper 2, Definition 3.
    Chapter: book/stochastic/rate.

    Returns
    -------
    ndarray of shape (k, d)
        The moved centres (the largest move is ``scale * partition_radius``).
    """
    X = as_points(X, "X")
    C = as_centers(centers, "centers", n_features=X.shape[1]).copy()
    scale = check_positive(scale, "scale")
    first, second, d1, d2 = _two_nearest(X, C)
    i = int(np.argmin(d2 - d1))
    rho = scale * (d2[i] - d1[i]) / 2
    x, r, s = X[i], first[i], second[i]
    C[r] = C[r] + rho * (C[r] - x) / d1[i] if d1[i] > 0 else C[r] + rho * (C[s] - x) / d2[i]
    C[s] = C[s] + rho * (x - C[s]) / d2[i]
    return C


@dataclass(frozen=True)
class BasinRadius:
    """Result of :func:`basin_radius`.

    Attributes
    ----------
    partition_radius : float
        The closed-form radius (:func:`partition_radius`): below it Lloyd
        returns in one step along every direction.
    radii : ndarray of shape (n_directions,)
        Per random direction, the largest tested move after which batch Lloyd
        still returns to the same partition (bisection, relative accuracy `rel_tol`).
    capped : ndarray of bool
        Directions where even `max_radius` returned (the radius is at least that).
    median : float
        Median of `radii`.
    """

    partition_radius: float
    radii: np.ndarray = field(repr=False)
    capped: np.ndarray = field(repr=False)
    median: float


def _returns(X, labels, C, max_iter):
    res = lloyd(X, C, max_iter=max_iter)
    return same_partition(res.labels, labels)


def basin_radius(X, centers, *, rng, n_directions=8, max_radius=None, rel_tol=0.02, max_iter=300):
    """How far the centres of a stationary point can move and batch Lloyd still return.

    Along each of `n_directions` random directions ``U`` (one uniform unit
    vector per centre), the centres are moved to ``C + rho U`` (every centre by
    ``rho``) and batch Lloyd is run; the largest ``rho`` after which Lloyd ends
    at the same partition is found by bisection on a log scale between
    :func:`partition_radius` (where it always returns) and `max_radius`.

    Paper: Paper 2, Definition 3 (the basin radius ``b0``) and Lemma 3.
    Chapter: book/stochastic/rate.

    Parameters
    ----------
    X : array-like of shape (n, d)
    centers : array-like of shape (k, d)
        A stationary point (its partition must be a fixed point of Lloyd).
    rng : int or numpy.random.Generator
        Draws the directions.
    n_directions : int, default=8
    max_radius : float, optional
        Upper end of the search; default half the smallest distance between centres.
    rel_tol : float, default=0.02
        Relative accuracy of the bisection.
    max_iter : int, default=300
        Lloyd steps per trial.

    Returns
    -------
    BasinRadius

    Raises
    ------
    ValueError
        If `centers` is not a stationary point (Lloyd moves its partition).
    """
    X = as_points(X, "X")
    C = as_centers(centers, "centers", n_features=X.shape[1])
    n_directions = check_int(n_directions, "n_directions", minimum=1)
    rel_tol = check_positive(rel_tol, "rel_tol")
    gen = as_generator(rng)
    labels = voronoi_labels(X, C)
    if not _returns(X, labels, C, max_iter):
        raise ValueError("centers must be a stationary point: batch Lloyd from them changes the "
                         "partition. Pass the centres of kmbook.stochastic.stationary_point(X, C).")
    rho0 = partition_radius(X, C)
    if max_radius is None:
        dc = np.sqrt(((C[:, None] - C[None]) ** 2).sum(-1))
        max_radius = dc[np.triu_indices(len(C), 1)].min() / 2
    max_radius = check_positive(max_radius, "max_radius")
    radii = np.empty(n_directions)
    capped = np.zeros(n_directions, dtype=bool)
    for j in range(n_directions):
        U = gen.normal(size=C.shape)
        U /= np.linalg.norm(U, axis=1, keepdims=True)
        lo, hi = max(rho0, 1e-300), max_radius
        if lo >= hi or _returns(X, labels, C + hi * U, max_iter):
            radii[j], capped[j] = max(hi, lo), True
            continue
        while hi / lo > 1 + rel_tol:
            mid = np.sqrt(lo * hi)
            if _returns(X, labels, C + mid * U, max_iter):
                lo = mid
            else:
                hi = mid
        radii[j] = lo
    return BasinRadius(rho0, radii, capped, float(np.median(radii)))
