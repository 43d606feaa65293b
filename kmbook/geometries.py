"""Deterministic cluster layouts of the paper's numerical experiments.

Paper: Paper 3, Section 5 (Figure 3: circle-, line- and hive-shaped
arrangements of the centres; points equally spaced on the unit circle around
each centre, or spread over the unit sphere in higher dimension).
Chapter: book/convex/phase_transitions.

The layouts pack the ``K`` centres compactly at a prescribed minimum pairwise
distance ``delta``:

* ``"circle"``: the vertices of a regular K-gon with side ``delta`` (for
  ``K = 2`` two points ``delta`` apart);
* ``"line"``: ``K`` collinear points ``delta`` apart;
* ``"hive"``: the ``K`` points of the triangular (honeycomb) lattice of
  spacing ``delta`` closest to one lattice point, ties broken by angle; ``K =
  7`` gives a hexagon and its centre.

Every cluster holds ``n`` points on the unit sphere around its centre, laid
out by :func:`sphere_points`; the centres lie in the first two coordinates.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtri

from ._validation import as_generator, check_int, check_positive

__all__ = ["LAYOUTS", "centers", "sphere_points", "section5_data", "far_cluster_data"]

LAYOUTS = ("circle", "line", "hive")


def _hive(K):
    # Triangular lattice a*(1, 0) + b*(1/2, sqrt(3)/2), enough rings for K points.
    rings = int(np.ceil(np.sqrt(K))) + 2
    a, b = np.meshgrid(np.arange(-rings, rings + 1), np.arange(-rings, rings + 1), indexing="ij")
    pts = np.column_stack([a.ravel() + 0.5 * b.ravel(), (np.sqrt(3) / 2) * b.ravel()])
    radius = np.round(np.hypot(pts[:, 0], pts[:, 1]), 9)
    angle = np.round(np.mod(np.arctan2(pts[:, 1], pts[:, 0]), 2 * np.pi), 9)
    order = np.lexsort((angle, radius))
    return pts[order[:K]]


def centers(layout, k, delta, *, d=2):
    """Centres of a Section 5 layout with minimum pairwise distance exactly `delta`.

    Paper: Paper 3, Section 5 and Figure 3.
    Chapter: book/convex/phase_transitions.

    Parameters
    ----------
    layout : {"circle", "line", "hive"}
    k : int
        Number of centres (the paper's ``K``), ``k >= 2``.
    delta : float
        Minimum distance between two centres (> 0).
    d : int, default=2
        Ambient dimension (``d >= 2``); the layout lies in the first two
        coordinates, the others are zero.

    Returns
    -------
    ndarray of shape (K, d)
        Centres, translated so that their mean is the origin.

    Examples
    --------
    >>> from scipy.spatial.distance import pdist
    >>> from kmbook.geometries import centers
    >>> round(float(pdist(centers("hive", 7, 3.0)).min()), 12)
    3.0
    """
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}; got {layout!r}.")
    K = check_int(k, "k", minimum=2)
    delta = check_positive(delta, "delta")
    d = check_int(d, "d", minimum=2)
    if layout == "line" or K == 2:
        C2 = np.column_stack([np.arange(K, dtype=float), np.zeros(K)])
    elif layout == "circle":
        theta = 2 * np.pi * np.arange(K) / K
        radius = 1.0 / (2 * np.sin(np.pi / K))  # side of the regular K-gon = 1
        C2 = radius * np.column_stack([np.cos(theta), np.sin(theta)])
    else:
        C2 = _hive(K)
    C2 = delta * (C2 - C2.mean(axis=0))
    out = np.zeros((K, d))
    out[:, :2] = C2
    return out


def _golden_sequence(n, dim):
    """First `n` points (from index 1) of the R_dim low-discrepancy sequence in
    ``[0, 1)^dim`` (Roberts' generalised golden ratio): deterministic, no repeats."""
    phi = 2.0
    for _ in range(64):  # fixed point of x = (1 + x)^(1 / (dim + 1))
        phi = (1.0 + phi) ** (1.0 / (dim + 1))
    alpha = phi ** -np.arange(1, dim + 1)
    j = np.arange(1, n + 1)[:, None]
    return np.mod(0.5 + j * alpha, 1.0)


def sphere_points(n, d=2, *, rng=None):
    """`n` points on the unit sphere of ``R^d`` whose mean is the origin.

    Deterministic (``rng=None``):

    * ``d = 2``: the ``n`` equally spaced points ``(cos 2 pi j / n, sin 2 pi j / n)``,
      ``j = 0..n-1`` (``n >= 2``), the paper's "most spread out" choice; the
      centred data matrix ``X_bar`` then satisfies ``X_bar X_bar^T = (n/2) I``
      for ``n >= 3``.
    * ``d >= 3``: ``n`` must be even; ``n / 2`` directions ``u_j`` from the
      inverse-normal image of the generalised-golden-ratio sequence,
      normalised, and their antipodes ``-u_j`` (so the mean is exactly 0).

    With an `rng` the points are i.i.d. uniform on the sphere (normalised
    Gaussian vectors), as in the paper's dimension experiment; their mean is
    then only close to 0.

    Paper: Paper 3, Section 5.
    Chapter: book/convex/phase_transitions.

    Parameters
    ----------
    n : int
        Number of points.
    d : int, default=2
        Dimension, ``d >= 2``.
    rng : int, numpy.random.Generator or None, default=None
        None gives the deterministic construction.

    Returns
    -------
    ndarray of shape (n, d)

    Examples
    --------
    >>> from kmbook.geometries import sphere_points
    >>> sphere_points(4).round(12).tolist()
    [[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [-0.0, -1.0]]
    """
    n = check_int(n, "n", minimum=2)
    d = check_int(d, "d", minimum=2)
    if rng is not None:
        G = as_generator(rng).standard_normal((n, d))
        return G / np.linalg.norm(G, axis=1, keepdims=True)
    if d == 2:
        theta = 2 * np.pi * np.arange(n) / n
        return np.column_stack([np.cos(theta), np.sin(theta)])
    if n % 2:
        raise ValueError(
            f"the deterministic construction in d={d} >= 3 pairs every point with its antipode, so n must be even; "
            f"got n={n}. Use an even n or pass rng for random points."
        )
    U = ndtri(_golden_sequence(n // 2, d))
    U /= np.linalg.norm(U, axis=1, keepdims=True)
    out = np.empty((n, d))
    out[0::2], out[1::2] = U, -U
    return out


def section5_data(layout, k, delta, n, *, d=2, rng=None):
    """The data of the paper's Section 5: `n` points on the unit sphere around each centre.

    Paper: Paper 3, Section 5 (Figures 3–5).
    Chapter: book/convex/phase_transitions.

    Parameters
    ----------
    layout : {"circle", "line", "hive"}
    k : int
        Number of clusters (the paper's ``K``), ``k >= 2``.
    delta : float
        Minimum distance between centres.
    n : int
        Points per cluster (even when ``d >= 3`` and ``rng`` is None).
    d : int, default=2
    rng : int, numpy.random.Generator or None, default=None
        None: the deterministic points of :func:`sphere_points`, the same
        around every centre. Otherwise each cluster gets its own uniform
        random points.

    Returns
    -------
    X : ndarray of shape (K * n, d)
    labels : ndarray of shape (K * n,)
        ``labels[a * n + i] = a``.

    Examples
    --------
    >>> from kmbook.geometries import section5_data
    >>> X, labels = section5_data("circle", 3, 2.5, n=4)
    >>> X.shape, labels.tolist()
    ((12, 2), [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2])
    """
    C = centers(layout, k, delta, d=d)
    if rng is None:
        P = sphere_points(n, d)
        X = np.concatenate([c + P for c in C])
    else:
        gen = as_generator(rng)
        X = np.concatenate([c + sphere_points(n, d, rng=gen) for c in C])
    return X, np.repeat(np.arange(C.shape[0]), n)


def far_cluster_data(delta, spread, *, n=6, distance=40.0):
    """Two tight clusters and a far, wide one: the situation of the paper's Figure 2.

    Clusters 0 and 1 hold `n` points on unit circles centred at ``(-delta/2, 0)``
    and ``(delta/2, 0)``; cluster 2 holds `n` points on a circle of radius
    `spread` centred at ``(0, distance)``. A large `spread` inflates
    ``||X_bar_2||`` and with it the right-hand side of every inequality of
    (1.1), while the localised condition for the pair (0, 1) does not see it.

    Paper: Paper 3, Section 3.2 and Figure 2.
    Chapter: book/convex/amini_levina.

    Parameters
    ----------
    delta : float
        Distance between the two tight clusters' centres.
    spread : float
        Radius of the far cluster.
    n : int, default=6
        Points per cluster.
    distance : float, default=40.0
        Height of the far cluster's centre above the other two.

    Returns
    -------
    X : ndarray of shape (3 n, 2)
    labels : ndarray of shape (3 n,)

    Examples
    --------
    >>> from kmbook.geometries import far_cluster_data
    >>> X, labels = far_cluster_data(4.0, 10.0, n=4)
    >>> X.shape, [round(float(v), 9) + 0.0 for v in X[labels == 2].mean(axis=0)]
    ((12, 2), [0.0, 40.0])
    """
    delta = check_positive(delta, "delta")
    spread = check_positive(spread, "spread")
    distance = check_positive(distance, "distance")
    P = sphere_points(n, 2)
    X = np.concatenate([P + [-delta / 2, 0.0], P + [delta / 2, 0.0], spread * P + [0.0, distance]])
    return X, np.repeat(np.arange(3), n)
