"""Clusterable data in the sense of Paper 2: separation, margins and balance of a partition.

Paper: Paper 2 (Tang & Monteleoni), assumptions (B1)-(B3) of Theorem 2
(reconstructed).
Chapter: book/stochastic/clusterable.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._cluster_geometry import cluster_stats
from ._validation import as_labels, as_points

__all__ = ["Clusterability", "clusterability"]


@dataclass(frozen=True)
class Clusterability:
    """The quantities behind (B1)-(B3) of Paper 2 for one partition (see :func:`clusterability`)."""

    sizes: np.ndarray
    means: np.ndarray
    cost: float
    delta: np.ndarray = field(repr=False)
    scale: np.ndarray = field(repr=False)
    margin: np.ndarray = field(repr=False)
    separation: float
    margin_min: float
    margin_ratio: float
    p_min: float

    @property
    def voronoi_consistent(self):
        """True when every point is strictly closer to its own mean than to any other (all margins > 0)."""
        return bool(self.margin_min > 0)


def clusterability(X, labels):
    """Mean separation, margins and balance of a partition: (B1)-(B3) of Paper 2.

    For clusters ``A_r`` with sizes ``n_r``, means ``mu_r`` and k-means cost
    ``phi = sum_r sum_{x in A_r} ||x - mu_r||^2``:

    * (B1) separation: ``Delta_rs = ||mu_r - mu_s||`` against the scale
      ``sqrt(phi) (1/sqrt(n_r) + 1/sqrt(n_s))``; ``separation`` is the
      smallest ratio, i.e. the largest ``f`` with ``Delta_rs >= f * scale_rs``
      for every pair;
    * (B2) margin: project each point of ``A_r`` and ``A_s`` on the line
      through ``mu_r, mu_s``; the margin ``Delta-bar_rs`` is the smallest
      value of ``||x-bar - mu_other|| - ||x-bar - mu_own||`` (twice the
      signed distance to the bisector, clipped to ``[-Delta_rs, Delta_rs]``),
      negative when a point lies on the wrong side; ``margin_min`` is its minimum over pairs
      and ``margin_ratio`` the minimum of ``Delta-bar_rs / Delta_rs``;
    * (B3) balance: ``p_min = min_r n_r / n``.

    The exact constants of (B1)-(B3) are lost from our copy of the paper;
    these are the scale-free quantities the assumptions bound (see the chapter).

    Paper: Paper 2, assumptions (B1)-(B3) of Theorem 2 (reconstructed).
    Chapter: book/stochastic/clusterable.

    Parameters
    ----------
    X : array-like of shape (n, d)
    labels : array-like of shape (n,)
        Labels ``0..k-1`` with ``k >= 2`` non-empty clusters.

    Returns
    -------
    Clusterability

    Examples
    --------
    >>> import numpy as np
    >>> from kmbook.clusterability import clusterability
    >>> X = np.array([[0.0], [2.0], [10.0], [12.0]])
    >>> cl = clusterability(X, [0, 0, 1, 1])
    >>> float(cl.delta[0, 1]), cl.margin_min, cl.p_min, cl.voronoi_consistent
    (10.0, 8.0, 0.5, True)
    """
    X = as_points(X, "X")
    labels = as_labels(labels, "labels", n_samples=X.shape[0])
    k = int(labels.max()) + 1
    if k < 2:
        raise ValueError("labels must name at least two clusters to measure separation.")
    sizes, means, within = cluster_stats(X, labels, k)
    cost = float(within.sum())
    diff = means[None, :, :] - means[:, None, :]          # diff[r, s] = mu_s - mu_r
    delta = np.sqrt((diff ** 2).sum(-1))
    inv = 1 / np.sqrt(sizes)
    scale = np.sqrt(cost) * (inv[:, None] + inv[None, :])
    margin = np.full((k, k), np.inf)
    for r in range(k):
        P = X[labels == r]
        for s in range(k):
            if s == r:
                continue
            u = diff[r, s] / delta[r, s] if delta[r, s] > 0 else np.zeros(X.shape[1])
            # signed distance of the points of A_r to the bisector, positive on mu_r's side
            own = (means[r] + means[s]) / 2 @ u - P @ u
            # ||x-bar - mu_other|| - ||x-bar - mu_own|| on the line: 2 * own between the
            # means, +Delta beyond mu_own and -Delta beyond mu_other
            worst = float(np.clip(2 * own, -delta[r, s], delta[r, s]).min())
            margin[r, s] = min(margin[r, s], worst)
            margin[s, r] = min(margin[s, r], worst)
    off = ~np.eye(k, dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(delta > 0, margin / delta, -np.inf)
    np.fill_diagonal(delta, 0.0)
    np.fill_diagonal(margin, np.nan)
    return Clusterability(
        sizes=sizes, means=means, cost=cost, delta=delta, scale=scale, margin=margin,
        separation=float((delta / scale)[off].min()), margin_min=float(margin[off].min()),
        margin_ratio=float(ratio[off].min()), p_min=float(sizes.min() / X.shape[0]),
    )
