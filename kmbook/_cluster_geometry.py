"""Cluster geometry shared by the proximity, certificate and clusterability code.

Private: callers validate. For a partition given by labels: sizes, means,
within-cluster sums of squares, centred points, pairwise directions between
the means and the signed distances of the points to the bisectors.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_labels, as_points


def cluster_stats(X, labels, k):
    """Sizes, means and within-cluster sums of squares of clusters ``0..k-1`` (all non-empty)."""
    sizes = np.bincount(labels, minlength=k)
    if np.any(sizes == 0):
        empty = np.flatnonzero(sizes == 0).tolist()
        raise ValueError(f"labels must use every cluster 0..{k - 1}; cluster(s) {empty} are empty.")
    means = np.zeros((k, X.shape[1]))
    np.add.at(means, labels, X)
    means /= sizes[:, None]
    within = np.bincount(labels, weights=((X - means[labels]) ** 2).sum(1), minlength=k)
    return sizes, means, within


def prepare(X, labels):
    """Checked points, cluster index of each point, cluster ids and sizes (at least two clusters)."""
    X = as_points(X, "X")
    lab = as_labels(labels, "labels", n_samples=X.shape[0])
    ids, inv, sizes = np.unique(lab, return_inverse=True, return_counts=True)
    if ids.size < 2:
        raise ValueError(f"labels must define at least two clusters; got {ids.size}.")
    return X, inv, ids, sizes


def geometry(X, inv, K):
    """Centres, centred points, squared spectral norms, unit directions, distances."""
    d = X.shape[1]
    sizes = np.bincount(inv, minlength=K)
    C = np.zeros((K, d))
    np.add.at(C, inv, X)
    C /= sizes[:, None]
    Xc = X - C[inv]
    norms_sq = np.array([np.linalg.norm(Xc[inv == a], 2) ** 2 for a in range(K)])
    diff = C[:, None, :] - C[None, :, :]  # c_a - c_b
    dist = np.linalg.norm(diff, axis=2)
    W = np.divide(diff, dist[:, :, None], out=np.zeros_like(diff), where=dist[:, :, None] > 0)
    return C, Xc, sizes, norms_sq, dist, W


def projections(X, Xc, inv, C, W):
    """``proj[i, b] = <x_i - m_ab, w_ab>`` (signed distance to the bisector) and
    ``spread[i, b] = <c_a - x_i, w_ab>``, with ``a`` the cluster of point ``i``.
    One cluster at a time: O(N K d) time, no N x K x d temporary."""
    N, K = X.shape[0], C.shape[0]
    proj, spread = np.empty((N, K)), np.empty((N, K))
    for a in range(K):
        idx = np.flatnonzero(inv == a)
        offset = np.einsum("bd,bd->b", (C[a] + C) / 2, W[a])
        proj[idx] = X[idx] @ W[a].T - offset
        spread[idx] = -(Xc[idx] @ W[a].T)
    return proj, spread


def condition_rhs(condition, sizes, norms_sq):
    """Right-hand side of condition (1.1) (Peng–Wei) or its Amini–Levina form, for every pair."""
    K = sizes.size
    if condition == "peng_wei":
        inv_n = 1.0 / sizes
        return 0.5 * np.sqrt((inv_n[:, None] + inv_n[None, :]) * norms_sq.sum())
    n = sizes[0]
    if np.any(sizes != n):
        raise ValueError(
            f"the Amini–Levina condition needs balanced clusters (all of the same size); got sizes {sizes.tolist()}."
        )
    return 0.5 * np.sqrt((K / n) * (norms_sq[:, None] + norms_sq[None, :]))


class PairSlack:
    """Read access shared by the per-pair condition results (``slack[a, b]``; NaN on the diagonal)."""

    @property
    def min_slack(self):
        """Smallest slack over the ordered pairs (negative: the condition fails for that pair)."""
        return float(np.nanmin(self.slack))

    @property
    def worst_pair(self):
        """The ordered pair ``(a, b)`` with the smallest slack."""
        a, b = np.unravel_index(np.nanargmin(self.slack), self.slack.shape)
        return int(a), int(b)
