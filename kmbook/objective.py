"""The k-means objective on samples: value, Voronoi labels, gradient, centres of mass.

Paper: Paper 1, eq. (1) (empirical objective), eq. (5) (Voronoi sets),
Lemma 1 (directional derivative) and Lemma 2 (centre-of-mass condition),
applied to the empirical measure of a sample.
Chapter: book/landscape/kmeans_problem.

The population objective ``G`` of eq. (3) is the ``n -> infinity`` limit of
``G_n / n``; on a sample from the model, ``kmeans_cost(X, C) / n`` estimates it.
"""

from __future__ import annotations

import numpy as np

from . import _lloyd_kernels as _k
from ._validation import as_centers, as_points, check_distinct
from .critical_points import CriticalPoint as CriticalPoint
from .critical_points import classify_critical_point as classify_critical_point
from .population import population_cost as population_cost
from .population import population_gradient as population_gradient
from .population import population_hessian as population_hessian
from .voronoi import voronoi_labels as voronoi_labels

__all__ = ["kmeans_cost", "kmeans_gradient", "directional_derivative", "centers_of_mass"]


def _checked(X, centers):
    X = as_points(X, "X")
    C = as_centers(centers, "centers", n_features=X.shape[1])
    return X, C


def kmeans_cost(X, centers):
    """Empirical k-means objective ``G_n(beta) = sum_i min_j ||x_i - beta_j||^2``.

    Paper: Paper 1, eq. (1) (a sum, not a mean).
    Chapter: book/landscape/kmeans_problem.

    Parameters
    ----------
    X : array-like of shape (n, d)
        Data points.
    centers : array-like of shape (k, d)
        Candidate centres ``beta_1..beta_k``. Any ``k >= 1`` is accepted
        (the objective is defined for every ``k``).

    Returns
    -------
    float
        The objective value.

    Examples
    --------
    >>> import numpy as np
    >>> from kmbook.objective import kmeans_cost
    >>> kmeans_cost(np.array([[0.0], [1.0], [4.0]]), np.array([[0.5], [4.0]]))
    0.5
    """
    X, C = _checked(X, centers)
    return float(_k.assign(X, C)[1].sum())


def kmeans_gradient(X, centers):
    """Gradient of ``G_n`` at pairwise distinct centres (Lemma 1 on the sample).

    Paper: Paper 1, Lemma 1 applied to the empirical measure: the derivative
    along ``v`` is ``-2 sum_i sum_{x in V_i} <v_i, x - beta_i>``, so the
    gradient's row ``i`` is ``-2 sum_{x in V_i} (x - beta_i)``.
    Chapter: book/landscape/kmeans_problem.

    ``G_n`` is differentiable wherever no data point lies on a Voronoi
    boundary; there the value returned is the gradient. It vanishes exactly
    when every non-empty centre is the mean of its Voronoi set (Lemma 2).

    Returns
    -------
    ndarray of shape (k, d)

    Raises
    ------
    ValueError
        If two centres coincide (Lemma 1 needs distinct centres).
    """
    X, C = _checked(X, centers)
    check_distinct(C, "centers must be pairwise distinct for Lemma 1's gradient; two rows coincide.")
    _, _, sums, counts = _k.assign(X, C)
    return -2.0 * (sums - counts[:, None] * C)


def directional_derivative(X, centers, direction):
    """Derivative of ``t -> G_n(beta + t v)`` at ``t = 0`` by Lemma 1's formula.

    Parameters
    ----------
    direction : array-like of shape (k, d)
        The direction ``v``.
    """
    X, C = _checked(X, centers)
    V = as_centers(direction, "direction", n_features=C.shape[1])
    if V.shape != C.shape:
        raise ValueError(f"direction must have the shape of centers {C.shape}; got {V.shape}.")
    return float(np.sum(kmeans_gradient(X, C) * V))


def centers_of_mass(X, centers):
    """Mean of the points in each Voronoi set of `centers`, and the set sizes.

    Paper: Paper 1, Lemma 2, eq. (9) on the empirical measure.
    Chapter: book/landscape/kmeans_problem.

    Returns
    -------
    means : ndarray of shape (k, d)
        Centre of mass of each Voronoi set; NaN rows for empty sets.
    counts : ndarray of shape (k,)
        Number of points in each set.
    """
    X, C = _checked(X, centers)
    _, _, sums, counts = _k.assign(X, C)
    means = np.full_like(C, np.nan)
    nonempty = counts > 0
    means[nonempty] = sums[nonempty] / counts[nonempty, None]
    return means, counts
