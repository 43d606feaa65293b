"""Seeding strategies: uniform sampling, k-means++ (D^2 sampling) and Buckshot.

Paper: Paper 1, Section IV (seeding that spreads the centres out avoids the
many-fit-one / one-fit-many structures of Theorem 1); Arthur & Vassilvitskii (2007);
Paper 2, Algorithm 2 (Buckshot).
Chapter: book/landscape/algorithms, book/stochastic/clusterable.
"""

from __future__ import annotations

import numpy as np
from scipy.cluster.hierarchy import linkage

from ._validation import as_generator, as_points, check_int, check_n_clusters

__all__ = ["uniform", "kmeans_pp", "buckshot"]


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


def buckshot(X, k, sample_size, rng, *, replace=True, return_sample=False):
    """Algorithm 2 of Paper 2: single-linkage on a uniform sample, then component means.

    Draw `sample_size` points uniformly at random, merge the closest pair of
    components (single linkage) until `k` connected components remain, and
    return the mean of each component as a seed. The work depends on
    `sample_size`, not on the number of points ``n``.

    Paper: Paper 2, Algorithm 2 (in the spirit of the Buckshot algorithm of
    Cutting et al., 1992) and Theorem 2.
    Chapter: book/stochastic/clusterable.

    Parameters
    ----------
    X : array-like of shape (n, d)
    k : int
        Number of seeds, ``1 <= k <= n``.
    sample_size : int
        Size ``m_0`` of the uniform sample, at least `k` (at most ``n`` when
        sampling without replacement).
    rng : int, numpy.random.Generator or None
    replace : bool, default=True
        Sample with replacement (as the analysis does) or without.
    return_sample : bool, default=False
        Also return the sample and its component labels ``0..k-1``.

    Returns
    -------
    centers : ndarray of shape (k, d)
        Component means, ordered by the sample index of each component's first point.
    sample : ndarray of shape (sample_size, d), only if `return_sample`
    components : ndarray of shape (sample_size,), only if `return_sample`

    Notes
    -----
    Single linkage to ``k`` components is the minimum spanning tree of the
    sample with its ``k - 1`` longest edges removed; it is computed with
    :func:`scipy.cluster.hierarchy.linkage` (method ``"single"``), keeping its
    first ``sample_size - k`` merges. A sample with fewer than `k` distinct
    points cannot give `k` distinct seeds and raises ``ValueError``.

    Examples
    --------
    >>> import numpy as np
    >>> from kmbook.seeding import buckshot
    >>> X = np.array([[0.0], [0.2], [0.4], [10.0], [10.2], [10.4]])
    >>> np.sort(buckshot(X, 2, 6, rng=0, replace=False).ravel()).round(1).tolist()
    [0.2, 10.2]
    """
    X = as_points(X)
    n = X.shape[0]
    k = check_n_clusters(k, n)
    sample_size = check_int(sample_size, "sample_size", minimum=1)
    if sample_size < k:
        raise ValueError(
            f"sample_size={sample_size} is smaller than k={k}: single linkage cannot leave k components "
            "of fewer than k points. Use sample_size >= k (the analysis takes it much larger)."
        )
    if not replace and sample_size > n:
        raise ValueError(f"sample_size={sample_size} exceeds n={n} for sampling without replacement; "
                         "use replace=True or a smaller sample.")
    gen = as_generator(rng)
    idx = gen.choice(n, size=sample_size, replace=bool(replace))
    S = X[idx]
    n_distinct = np.unique(S, axis=0).shape[0]
    if n_distinct < k:
        raise ValueError(f"the sample holds only {n_distinct} distinct points, fewer than k={k}; "
                         "increase sample_size.")
    parent = np.arange(2 * sample_size - 1)

    def find(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    if sample_size > 1:
        Z = linkage(S, method="single")
        for step in range(sample_size - k):
            a, b = int(Z[step, 0]), int(Z[step, 1])
            parent[find(a)] = sample_size + step
            parent[find(b)] = sample_size + step
    roots = np.array([find(i) for i in range(sample_size)])
    _, first, comp = np.unique(roots, return_index=True, return_inverse=True)
    order = np.argsort(np.argsort(first))  # number components by their first sample point
    comp = order[comp]
    centers = np.zeros((k, X.shape[1]))
    np.add.at(centers, comp, S)
    centers /= np.bincount(comp, minlength=k)[:, None]
    return (centers, S, comp) if return_sample else centers
