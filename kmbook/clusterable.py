"""Diagnostics for Theorem 2 of Paper 2: what Algorithm 2's sample covers, how far runs stray.

Paper: Paper 2 (Tang & Monteleoni), Algorithm 2 (Buckshot-like seeding),
Theorem 2 and assumptions (B1)-(B3); the remark after Theorem 2 on online
against mini-batch k-means.
Chapter: book/stochastic/clusterable.

* :func:`seeding_coverage` separates the two ways Algorithm 2 can miss a
  cluster: its uniform sample contains no point of it (what (B3) guards
  against), or the sample touches every cluster but single linkage still
  returns seeds that are not one per cluster.
* :func:`max_excursion` measures how far stochastic k-means started at a
  stationary point strays from it over its first steps (the stability the
  paper attributes to mini-batches).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validation import as_centers, as_labels, as_points, as_real_array, check_int, spawn_generators
from .objective import voronoi_labels
from .seeding import buckshot
from .stochastic import stochastic_kmeans

__all__ = ["SeedingCoverage", "max_excursion", "seeding_coverage", "touch_probability"]


@dataclass(frozen=True)
class SeedingCoverage:
    """Result of :func:`seeding_coverage`.

    Attributes
    ----------
    n_seedings : int
    sample_touches_all : int
        Seedings whose uniform sample contains at least one point of every true cluster.
    one_seed_per_cluster : int
        Seedings whose seeds have pairwise different nearest true centres.
    touches_but_fails : int
        Seedings whose sample touches every cluster but whose seeds are not one per cluster.
    """

    n_seedings: int
    sample_touches_all: int
    one_seed_per_cluster: int
    touches_but_fails: int


def seeding_coverage(X, labels, true_centers, sample_size, n_seedings, rng):
    """Count, over `n_seedings` runs of Algorithm 2, what the sample and the seeds cover.

    Each seeding draws ``sample_size`` indices uniformly with replacement (as
    :func:`kmbook.seeding.buckshot` does), records which true clusters the
    sample touches, and runs single linkage on exactly that sample.

    Paper: Paper 2, Algorithm 2 and (B3).
    Chapter: book/stochastic/clusterable.

    Parameters
    ----------
    X : array-like of shape (n, d)
    labels : array-like of shape (n,)
        True cluster of each point, ``0..k-1``.
    true_centers : array-like of shape (k, d)
        Row ``j`` is the centre of cluster ``j``.
    sample_size : int
        ``m_0``, at least ``k``.
    n_seedings : int
    rng : int or numpy.random.Generator

    Returns
    -------
    SeedingCoverage

    Examples
    --------
    >>> import numpy as np
    >>> from kmbook.clusterable import seeding_coverage
    >>> X = np.r_[np.zeros((50, 1)), np.full((50, 1), 10.0)] + np.linspace(0, 1, 100)[:, None]
    >>> y = np.r_[np.zeros(50, int), np.ones(50, int)]
    >>> c = seeding_coverage(X, y, [[0.5], [10.5]], 20, 10, rng=0)
    >>> c.sample_touches_all, c.one_seed_per_cluster
    (10, 10)
    """
    X = as_points(X, "X")
    y = as_labels(labels, "labels", n_samples=X.shape[0])
    T = as_centers(true_centers, "true_centers", n_features=X.shape[1])
    k = T.shape[0]
    if y.max() >= k:
        raise ValueError(f"labels must lie in 0..{k - 1} (one row of true_centers per cluster); "
                         f"got label {y.max()}.")
    sample_size = check_int(sample_size, "sample_size", minimum=k)
    n_seedings = check_int(n_seedings, "n_seedings", minimum=1)
    touch = cover = both_fail = 0
    for g in spawn_generators(rng, n_seedings):
        idx = g.integers(0, X.shape[0], sample_size)
        t = len(np.unique(y[idx])) == k
        seeds = buckshot(X[idx], k, sample_size, g, replace=False)
        c = len(np.unique(voronoi_labels(seeds, T))) == k
        touch += t
        cover += c
        both_fail += t and not c
    return SeedingCoverage(n_seedings, touch, cover, both_fail)


def touch_probability(fractions, sample_size):
    """Exact chance that ``sample_size`` uniform draws with replacement touch every cluster.

    The coupon-collector probability by inclusion–exclusion over the sets ``S`` of
    missed clusters: ``sum_S (-1)^|S| (1 - sum_{r in S} p_r)^m0``.

    Paper: Paper 2, Algorithm 2 and (B3) (the sample size a small cluster needs).
    Chapter: book/stochastic/clusterable.

    Parameters
    ----------
    fractions : array-like of shape (k,)
        Cluster fractions ``p_r = n_r / n``, positive, summing to 1; ``k <= 20``.
    sample_size : int
        ``m_0``, at least 1.

    Returns
    -------
    float

    Examples
    --------
    >>> from kmbook.clusterable import touch_probability
    >>> round(touch_probability([0.5, 0.5], 3), 4)  # 1 - 2 * 0.5**3
    0.75
    """
    p = as_real_array(fractions, "fractions", ndim=1)
    if p.size == 0 or p.size > 20 or not np.all(p > 0) or abs(p.sum() - 1) > 1e-9:
        raise ValueError("fractions must be 1 to 20 positive cluster fractions summing to 1; "
                         f"got {p.size} values summing to {p.sum():.6g}.")
    m0 = check_int(sample_size, "sample_size", minimum=1)
    total = 0.0
    for mask in range(1 << p.size):
        missed = [r for r in range(p.size) if mask >> r & 1]
        rest = max(1.0 - p[missed].sum(), 0.0)
        total += (-1) ** len(missed) * rest**m0
    return float(total)


def max_excursion(X, centers, batch_size, n_steps, n_runs, rng, **kwargs):
    """Largest distance of any centre from `centers` over the first `n_steps` of Algorithm 1.

    Every run starts *at* `centers` (typically the optimum) and records the
    centres after every step; the result is, per run, the maximum over steps
    and centres of ``||c_r^t - c_r||``.

    Paper: Paper 2, remark after Theorem 2 (a larger batch keeps the iterates
    near the target solution).
    Chapter: book/stochastic/clusterable.

    Parameters
    ----------
    X : array-like of shape (n, d)
    centers : array-like of shape (k, d)
    batch_size, n_steps : int
    n_runs : int
    rng : int or numpy.random.Generator
        Run ``i`` uses the ``i``-th spawned generator.
    **kwargs
        ``learning_rate``, ``c_prime``, ``t0`` of :func:`kmbook.stochastic.stochastic_kmeans`.

    Returns
    -------
    ndarray of shape (n_runs,)
    """
    X = as_points(X, "X")
    C = as_centers(centers, "centers", n_features=X.shape[1])
    n_runs = check_int(n_runs, "n_runs", minimum=1)
    out = np.empty(n_runs)
    for i, g in enumerate(spawn_generators(rng, n_runs)):
        res = stochastic_kmeans(X, C, batch_size, n_steps, rng=g, record_every=1, **kwargs)
        out[i] = np.sqrt(((res.center_history - C) ** 2).sum(-1)).max()
    return out
