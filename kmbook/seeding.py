"""Seeding strategies: uniform sampling and k-means++ (D^2 sampling).

Paper: Paper 1, Section IV (seeding that spreads the centres out avoids the
many-fit-one / one-fit-many structures of Theorem 1); Arthur & Vassilvitskii (2007).
Chapter: book/landscape (algorithms chapter).
"""

from __future__ import annotations

import numpy as np

from ._validation import as_generator, as_points, check_n_clusters

__all__ = ["uniform", "kmeans_pp"]


def uniform(X, k, rng, *, return_indices=False):
    """`k` distinct data points chosen uniformly at random as initial centres.

    Parameters
    ----------
    X : array-like of shape (n, d)
    k : int
        Number of centres, ``1 <= k <= n``.
    rng : int, numpy.random.Generator or None
    return_indices : bool, default=False
        Also return the row indices chosen.

    Returns
    -------
    centers : ndarray of shape (k, d)
    indices : ndarray of shape (k,), only if `return_indices`

    Examples
    --------
    >>> import numpy as np
    >>> from kmbook.seeding import uniform
    >>> uniform(np.arange(10.0).reshape(5, 2), 2, rng=0).shape
    (2, 2)
    """
    X = as_points(X)
    k = check_n_clusters(k, X.shape[0])
    idx = as_generator(rng).choice(X.shape[0], size=k, replace=False)
    return (X[idx].copy(), idx) if return_indices else X[idx].copy()


def kmeans_pp(X, k, rng, *, return_indices=False):
    """k-means++ seeding: each new centre is a data point drawn with probability
    proportional to its squared distance to the nearest centre chosen so far.

    This is the classic D^2 sampling of Arthur & Vassilvitskii (one candidate
    per step; scikit-learn's default "greedy" variant tries several).
    If all remaining points coincide with chosen centres (total D^2 = 0), the
    next centre is drawn uniformly among the points.

    Parameters
    ----------
    X : array-like of shape (n, d)
    k : int
        Number of centres, ``1 <= k <= n``.
    rng : int, numpy.random.Generator or None
    return_indices : bool, default=False

    Returns
    -------
    centers : ndarray of shape (k, d)
    indices : ndarray of shape (k,), only if `return_indices`

    Examples
    --------
    >>> import numpy as np
    >>> from kmbook.seeding import kmeans_pp
    >>> X = np.array([[0.0], [0.1], [10.0], [10.1]])
    >>> sorted(np.round(kmeans_pp(X, 2, rng=1).ravel()).tolist())
    [0.0, 10.0]
    """
    X = as_points(X)
    n = X.shape[0]
    k = check_n_clusters(k, n)
    gen = as_generator(rng)
    idx = np.empty(k, dtype=np.int64)
    idx[0] = gen.integers(n)
    d2 = ((X - X[idx[0]]) ** 2).sum(1)
    for j in range(1, k):
        total = d2.sum()
        if total > 0:
            idx[j] = gen.choice(n, p=d2 / total)
        else:
            idx[j] = gen.integers(n)
        d2 = np.minimum(d2, ((X - X[idx[j]]) ** 2).sum(1))
    return (X[idx].copy(), idx) if return_indices else X[idx].copy()
