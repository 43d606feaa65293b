"""Voronoi sets (eq. (5)) of fitted centres and the mass they take from each true cluster.

Paper: Paper 1, eq. (5) (Voronoi sets) and Theorem 4 (the shares ``P_s(V_i)``).
Chapter: book/landscape/kmeans_problem, book/landscape/figure1.

:func:`voronoi_labels` assigns sample points to their Voronoi sets,
:func:`voronoi_cells` draws the sets of planar centres as polygons, and
:func:`voronoi_shares` measures how much of every true cluster's mass each set
holds (exactly in one dimension, from a sample or by Monte Carlo otherwise).
"""

from __future__ import annotations

import numpy as np
from scipy.spatial.distance import cdist
from scipy.special import ndtr

from . import _lloyd_kernels as _k
from ._validation import as_centers, as_generator, as_points, as_truth, check_int
from .models import BallMixture, check_model

__all__ = ["voronoi_labels", "voronoi_cells", "voronoi_shares"]


def voronoi_labels(X, centers):
    """Index of the nearest centre for each point: the sample's Voronoi sets (eq. (5)).

    Ties (points on a Voronoi boundary) go to the lowest index.

    Paper: Paper 1, eq. (5) on the empirical measure.
    Chapter: book/landscape/kmeans_problem.

    Returns
    -------
    ndarray of shape (n,)
        Labels in ``0..k-1``.
    """
    X = as_points(X, "X")
    C = as_centers(centers, "centers", n_features=X.shape[1])
    return _k.assign(X, C)[0]


def _clip(polygon, a, b):
    """Sutherland-Hodgman: keep the part of `polygon` where <a, x> <= b."""
    out = []
    m = len(polygon)
    for idx in range(m):
        p, q = polygon[idx], polygon[(idx + 1) % m]
        fp, fq = a @ p - b, a @ q - b
        if fp <= 0:
            out.append(p)
        if fp * fq < 0:
            out.append(p + (q - p) * (fp / (fp - fq)))
    return out


def voronoi_cells(centers, bounds):
    """Voronoi cells of 2-D `centers` clipped to a box, as polygons.

    Paper: Paper 1, eq. (5): cell ``i`` is the intersection of the half-planes
    ``2 <beta_j - beta_i, x> <= ||beta_j||^2 - ||beta_i||^2``.

    Parameters
    ----------
    centers : array-like of shape (k, 2)
    bounds : (xmin, xmax, ymin, ymax)

    Returns
    -------
    list of ndarray
        Polygon vertices of each cell, shape (m_i, 2); empty (0, 2) when the
        cell misses the box or the centre coincides with an earlier one.
    """
    C = as_centers(centers, "centers", n_features=2)
    xmin, xmax, ymin, ymax = (float(v) for v in bounds)
    if not (xmin < xmax and ymin < ymax):
        raise ValueError(f"bounds must satisfy xmin < xmax and ymin < ymax; got {bounds}.")
    box = [np.array(p) for p in ((xmin, ymin), (xmax, ymin), (xmax, ymax), (xmin, ymax))]
    cells = []
    for i, ci in enumerate(C):
        poly = list(box)
        for j, cj in enumerate(C):
            if j == i or not poly:
                continue
            if np.array_equal(ci, cj):
                if j < i:  # duplicate centre: the earlier index owns the cell
                    poly = []
                continue
            poly = _clip(poly, 2 * (cj - ci), cj @ cj - ci @ ci)
        cells.append(np.array(poly).reshape(-1, 2))
    return cells



def _point_model_shares(C, T):
    """Shares when each true cluster is a point mass at its centre (r -> 0).

    A true centre equidistant (to 1e-9 relative) from several fitted centres
    splits its mass equally between them.
    """
    D = cdist(T, C)
    nearest = D.min(1, keepdims=True)
    tied = D <= nearest * (1 + 1e-9) + 1e-12
    return (tied / tied.sum(1, keepdims=True)).T


def _exact_1d_shares(model, C):
    """Exact shares ``P_s(V_i)`` for a one-dimensional ball or Gaussian mixture."""
    c = C[:, 0]
    k = c.size
    order = np.lexsort((np.arange(k), c))  # by position, ties by index
    lo = np.full(k, -np.inf)
    hi = np.full(k, np.inf)
    prev = None
    for idx in order:
        if prev is not None and c[idx] == c[prev]:
            lo[idx] = hi[idx] = c[idx]  # a duplicate centre: its Voronoi set is a null set
            continue
        if prev is not None:
            mid = 0.5 * (c[prev] + c[idx])
            hi[prev] = mid
            lo[idx] = mid
        prev = idx
    mu = model.centers[:, 0]
    if isinstance(model, BallMixture):
        r = model.radius
        left = np.maximum(lo[:, None], mu[None, :] - r)
        right = np.minimum(hi[:, None], mu[None, :] + r)
        return np.clip(right - left, 0.0, None) / (2 * r)
    s = model.sigma
    return ndtr((hi[:, None] - mu[None, :]) / s) - ndtr((lo[:, None] - mu[None, :]) / s)


def _shares_from_labels(C, T, X, labels):
    """Per-cluster shares of a labelled sample; clusters with no point fall back to the point model."""
    k, k_star = C.shape[0], T.shape[0]
    cell = _k.assign(X, C)[0]
    table = np.bincount(cell * k_star + labels, minlength=k * k_star).reshape(k, k_star).astype(float)
    sizes = table.sum(0)
    shares = np.where(sizes > 0, table / np.where(sizes > 0, sizes, 1.0), 0.0)
    empty = sizes == 0
    if empty.any():
        shares[:, empty] = _point_model_shares(C, T[empty])
    return shares, sizes / sizes.sum()


def voronoi_shares(centers, true_centers=None, model=None, X=None, *, labels=None, n_mc=200_000, rng=0):
    """Share of each true cluster's mass that falls in each fitted Voronoi set.

    Paper: Paper 1, Theorem 4 (the quantities ``P_s(V_i)``) and eq. (5).
    Chapter: book/landscape/figure1.

    Parameters
    ----------
    centers : array-like of shape (k, d)
        Fitted centres ``beta_1..beta_k``.
    true_centers : array-like of shape (k_star, d), optional
        True centres ``beta*_1..beta*_k*``; taken from `model` when omitted.
    model : BallMixture or GaussianMixture, optional
        The mixture; used when `X` is not given. In one dimension the shares
        are exact (interval lengths, normal CDF); otherwise they are estimated
        from `n_mc` model draws made with `rng` (standard error at most
        ``0.5 / sqrt(n_mc / k_star)`` per share).
    X : array-like of shape (n, d), optional
        A sample. Its points are attributed to true clusters by `labels` when
        given, otherwise by their nearest true centre.
    labels : array-like of shape (n,), optional
        Ground-truth cluster of each row of `X`, in ``0..k_star-1``.
    n_mc : int, default=200_000
        Monte Carlo size for a model in two or more dimensions.
    rng : int, numpy.random.Generator or None, default=0
        Seed of the Monte Carlo draws (fixed by default, so repeated calls agree).

    Returns
    -------
    shares : ndarray of shape (k, k_star)
        ``shares[i, s] = P_s(V_i)``; every column sums to one.
    weights : ndarray of shape (k_star,)
        Mass of each true cluster (``1/k*`` for the balanced models; the
        cluster sizes over ``n`` for a labelled sample).
    source : str
        How the shares were obtained.

    Notes
    -----
    With neither `model` nor `X`, the shares are those of the point model,
    the limit ``r -> 0`` discussed after Theorem 1: each true cluster is a
    point mass at its centre, owned by the fitted centre nearest to it (split
    equally between exact ties). Voronoi ties between fitted centres go to the
    lowest index, as in :func:`voronoi_labels`.

    Examples
    --------
    >>> from kmbook.models import BallMixture
    >>> from kmbook.voronoi import voronoi_shares
    >>> m = BallMixture([[-2.0], [0.0], [2.0]], radius=0.2)
    >>> shares, weights, source = voronoi_shares([[-2.1], [-1.9], [1.0]], model=m)
    >>> shares.round(3).tolist(), source
    ([[0.5, 0.0, 0.0], [0.5, 0.0, 0.0], [0.0, 1.0, 1.0]], 'model (exact, 1-D)')
    """
    if model is not None:
        check_model(model)
    C, T, X, labels = as_truth(centers, true_centers, model, X, labels)
    k_star = T.shape[0]
    if X is not None:
        if labels is None:
            labels = _k.assign(X, T)[0]
            source = "sample (nearest true centre)"
        else:
            source = "sample (labels)"
        shares, weights = _shares_from_labels(C, T, X, labels)
        return shares, weights, source
    weights = np.full(k_star, 1.0 / k_star)
    if model is None:
        return _point_model_shares(C, T), weights, "point model"
    if model.d == 1:
        return _exact_1d_shares(model, C), weights, "model (exact, 1-D)"
    n_mc = check_int(n_mc, "n_mc", minimum=k_star)
    Y, comp = model.sample(n_mc, as_generator(rng))
    shares, _ = _shares_from_labels(C, T, Y, comp)
    return shares, weights, f"model (Monte Carlo, n={n_mc})"
