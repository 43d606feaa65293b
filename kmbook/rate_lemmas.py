"""Checkable forms of Paper 2's Lemma 1 (global phase) and Lemma 3 (local contraction).

Paper: Paper 2 (Tang & Monteleoni), Lemma 1 (expected per-step drop of the
cost in the global phase), Lemma 3 (one batch k-means step contracts the
distance to a stable stationary point), Definition 3 (basin radius and slope).
Chapter: book/stochastic/rate.

The formulas of both lemmas are lost from our copy of the paper; the forms
here are our reconstructions, derived in the chapter:

* :func:`step_bound` -- one flat-rate step of Algorithm 1 with learning rate
  ``eta`` from centres ``C`` whose Voronoi cells are ``A_r`` (sizes ``n_r``,
  means ``m_r``, mean squared spreads ``s_r^2``). Assigning the points by the
  old cells can only cost more, and the split identity then gives

      E[phi(C')] - phi(C) <= -sum_r n_r [(2 eta - eta^2) q_r ||c_r - m_r||^2
                                         - eta^2 s_r^2 E[1{nhat_r > 0} / nhat_r]],

  with ``q_r = 1 - (1 - n_r/n)^m`` and ``nhat_r ~ Binomial(m, n_r/n)``. The
  bound is an equality in expectation when no point changes cell.
  :func:`one_step_changes` draws ``phi(C') - phi(C)`` by Monte Carlo.
* :func:`lloyd_contraction` -- the ratio ``Delta(Lloyd(C), C*) / Delta(C, C*)``
  of one batch Lloyd step, with ``Delta(C, C*) = sum_r n*_r ||c_r - c*_r||^2``,
  along random directions at given radii around a stationary point ``C*``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import stats

from ._validation import as_centers, as_generator, as_points, as_real, as_real_array, check_int
from .basins import same_partition
from .lloyd import lloyd
from .objective import kmeans_cost, voronoi_labels

__all__ = ["StepBound", "step_bound", "one_step_changes", "centroid_distance", "Contraction",
           "lloyd_contraction"]


def _mean_inverse_count(m, p):
    """``E[1{N > 0} / N]`` for ``N ~ Binomial(m, p_r)``, one value per entry of `p`."""
    j = np.arange(1, m + 1)
    return np.array([float((stats.binom.pmf(j, m, pr) / j).sum()) for pr in p])


def _check_eta(eta):
    eta = as_real(eta, "eta")
    if not 0 < eta <= 1:
        raise ValueError(f"eta must be a learning rate in (0, 1]; got {eta!r}.")
    return eta


@dataclass(frozen=True)
class StepBound:
    """Result of :func:`step_bound` (all sums over the centres, in cost units).

    Attributes
    ----------
    bound : float
        Upper bound on ``E[phi(C')] - phi(C)``: ``noise - drop``.
    drop : float
        ``sum_r n_r (2 eta - eta^2) q_r ||c_r - m_r||^2`` (the deterministic pull).
    noise : float
        ``sum_r n_r eta^2 s_r^2 E[1{nhat_r > 0} / nhat_r]`` (the sampling noise).
    q : ndarray of shape (k,)
        Probability that centre ``r`` receives a point in a step.
    """

    bound: float
    drop: float
    noise: float
    q: np.ndarray = field(repr=False)


def step_bound(X, centers, batch_size, eta):
    """Upper bound on the expected change of the cost in one flat-rate step (Lemma 1).

    Paper: Paper 2, Lemma 1 (our reconstruction of its lost formula).
    Chapter: book/stochastic/rate.

    Parameters
    ----------
    X : array-like of shape (n, d)
    centers : array-like of shape (k, d)
        The centres ``C = C^{t-1}`` before the step.
    batch_size : int
        ``m >= 1``.
    eta : float
        The flat learning rate of the step, in ``(0, 1]``.

    Returns
    -------
    StepBound

    Examples
    --------
    >>> X = np.array([[0.0], [2.0], [10.0], [12.0]])
    >>> sb = step_bound(X, [[0.0], [12.0]], 4, 0.5)
    >>> round(sb.drop, 6) > 0, sb.bound < 0
    (True, True)
    """
    X = as_points(X, "X")
    C = as_centers(centers, "centers", n_features=X.shape[1])
    m = check_int(batch_size, "batch_size", minimum=1)
    eta = _check_eta(eta)
    n, k = X.shape[0], C.shape[0]
    labels = voronoi_labels(X, C)
    sizes = np.bincount(labels, minlength=k).astype(float)
    occupied = sizes > 0
    means = np.zeros_like(C)
    np.add.at(means, labels, X)
    means[occupied] /= sizes[occupied, None]
    spread = np.zeros(k)
    np.add.at(spread, labels, ((X - means[labels]) ** 2).sum(1))
    spread[occupied] /= sizes[occupied]
    p = sizes / n
    q = 1 - (1 - p) ** m
    off = ((C - means) ** 2).sum(1) * occupied
    drop = float((sizes * (2 * eta - eta ** 2) * q * off).sum())
    noise = float((sizes * eta ** 2 * spread * _mean_inverse_count(m, p)).sum())
    return StepBound(noise - drop, drop, noise, q)


def one_step_changes(X, centers, batch_size, eta, n_draws, rng, *, return_moved=False):
    """Monte Carlo draws of ``phi(C') - phi(C)`` for one flat-rate step of Algorithm 1.

    Each draw samples ``m`` points uniformly with replacement, gives them to
    their nearest centre of `centers`, moves every centre that received points
    a fraction `eta` towards their mean and evaluates the full-data cost.

    Paper: Paper 2, Algorithm 1 and Lemma 1.
    Chapter: book/stochastic/rate.

    Parameters
    ----------
    X, centers, batch_size, eta
        As in :func:`step_bound`.
    n_draws : int
        Number of independent steps.
    rng : int or numpy.random.Generator
    return_moved : bool, default=False
        Also return, per draw, how many points have another nearest centre in
        ``C'`` than in ``C`` (where this is 0 the bound of :func:`step_bound` is
        an equality in expectation).

    Returns
    -------
    changes : ndarray of shape (n_draws,)
    moved : ndarray of int, shape (n_draws,)
        Only if `return_moved`.
    """
    X = as_points(X, "X")
    C = as_centers(centers, "centers", n_features=X.shape[1])
    m = check_int(batch_size, "batch_size", minimum=1)
    eta = _check_eta(eta)
    n_draws = check_int(n_draws, "n_draws", minimum=1)
    gen = as_generator(rng)
    labels = voronoi_labels(X, C)
    base = kmeans_cost(X, C)
    out = np.empty(n_draws)
    moved = np.zeros(n_draws, dtype=int)
    k = C.shape[0]
    for i in range(n_draws):
        idx = gen.integers(0, X.shape[0], size=m)
        lab = labels[idx]
        cnt = np.bincount(lab, minlength=k)
        sums = np.zeros_like(C)
        np.add.at(sums, lab, X[idx])
        got = cnt > 0
        C1 = C.copy()
        C1[got] = (1 - eta) * C[got] + eta * sums[got] / cnt[got, None]
        out[i] = kmeans_cost(X, C1) - base
        if return_moved:
            moved[i] = int((voronoi_labels(X, C1) != labels).sum())
    return (out, moved) if return_moved else out


def centroid_distance(centers, reference, counts):
    """``Delta(C, C*) = sum_r n*_r ||c_r - c*_r||^2`` (centres matched by index).

    Paper: Paper 2, Section 2 (the distance between centroid sets) and Lemma 11.
    Chapter: book/stochastic/rate.
    """
    Cs = as_centers(reference, "reference")
    C = as_centers(centers, "centers", n_features=Cs.shape[1])
    w = as_real_array(counts, "counts", ndim=1)
    if C.shape != Cs.shape or w.shape != (Cs.shape[0],):
        raise ValueError(f"centers {C.shape}, reference {Cs.shape} and counts {w.shape} must "
                         "describe the same k centres; pass counts of shape (k,).")
    return float((w * ((C - Cs) ** 2).sum(1)).sum())


@dataclass(frozen=True)
class Contraction:
    """Result of :func:`lloyd_contraction`.

    Attributes
    ----------
    radii : ndarray of shape (n_radii, n_directions)
        Distance every centre was moved (along one unit vector per centre), per
        direction (a 1-D `radii` argument is repeated for every direction).
    ratio : ndarray of shape (n_radii, n_directions)
        ``Delta(Lloyd(C), C*) / Delta(C, C*)`` after one batch Lloyd step.
    returned : ndarray of bool, shape (n_radii, n_directions)
        Whether batch Lloyd run to convergence from ``C`` ends at the partition of ``C*``.
    changed : ndarray of bool, shape (n_radii, n_directions)
        Whether ``C`` induces another Voronoi partition than ``C*``.
    """

    radii: np.ndarray
    ratio: np.ndarray = field(repr=False)
    returned: np.ndarray = field(repr=False)
    changed: np.ndarray = field(repr=False)


def _lloyd_step(X, C):
    lab = voronoi_labels(X, C)
    cnt = np.bincount(lab, minlength=C.shape[0])
    sums = np.zeros_like(C)
    np.add.at(sums, lab, X)
    C1 = C.copy()
    got = cnt > 0
    C1[got] = sums[got] / cnt[got, None]
    return C1


def lloyd_contraction(X, centers, radii, *, rng, n_directions=8, max_iter=300):
    """One batch Lloyd step around a stationary point: how much it shrinks ``Delta`` (Lemma 3).

    Along each of `n_directions` random directions ``U`` (one uniform unit
    vector per centre, as in :func:`kmbook.basins.basin_radius`), the centres
    are moved to ``C = C* + rho U`` for every ``rho`` in `radii`; one Lloyd
    step gives ``C'`` and the ratio ``Delta(C', C*) / Delta(C, C*)`` is
    recorded, with ``Delta`` weighted by the cluster sizes of ``C*``. A
    ratio below 1 is a contraction; the largest ratio inside the basin is an
    empirical ``1 - alpha``-type slope of Definition 3.

    Paper: Paper 2, Lemma 3 and Definition 3 (our reading).
    Chapter: book/stochastic/rate.

    Parameters
    ----------
    X : array-like of shape (n, d)
    centers : array-like of shape (k, d)
        A stationary point ``C*``.
    radii : array-like of positive floats, shape (n_radii,) or (n_radii, n_directions)
        The same radii for every direction, or one column of radii per direction
        (e.g. up to each direction's own return radius from
        :func:`kmbook.basins.basin_radius`, drawn with the same `rng`).
    rng : int or numpy.random.Generator
        Draws the directions.
    n_directions : int, default=8
    max_iter : int, default=300
        Lloyd steps of the "returned" test.

    Returns
    -------
    Contraction
    """
    X = as_points(X, "X")
    C = as_centers(centers, "centers", n_features=X.shape[1])
    radii = np.asarray(radii, dtype=float)
    if radii.ndim not in (1, 2) or radii.size == 0 or not np.all(np.isfinite(radii)) \
            or np.any(radii <= 0):
        raise ValueError("radii must be a non-empty 1-D sequence (or 2-D array of shape "
                         "(n_radii, n_directions)) of positive finite distances.")
    n_directions = check_int(n_directions, "n_directions", minimum=1)
    if radii.ndim == 1:
        radii = np.repeat(radii[:, None], n_directions, axis=1)
    elif radii.shape[1] != n_directions:
        raise ValueError(f"radii has {radii.shape[1]} columns but n_directions is "
                         f"{n_directions}; pass one column of radii per direction.")
    gen = as_generator(rng)
    labels = voronoi_labels(X, C)
    counts = np.bincount(labels, minlength=C.shape[0]).astype(float)
    if not np.allclose(_lloyd_step(X, C), C, rtol=0, atol=1e-9 * (1 + np.abs(C).max())):
        raise ValueError("centers must be a stationary point (the means of their own Voronoi "
                         "cells); pass the centres of kmbook.stochastic.stationary_point(X, C).")
    shape = radii.shape
    ratio, returned, changed = np.empty(shape), np.zeros(shape, bool), np.zeros(shape, bool)
    for j in range(n_directions):
        U = gen.normal(size=C.shape)
        U /= np.linalg.norm(U, axis=1, keepdims=True)
        for i, rho in enumerate(radii[:, j]):
            Cp = C + rho * U
            ratio[i, j] = (centroid_distance(_lloyd_step(X, Cp), C, counts)
                           / centroid_distance(Cp, C, counts))
            changed[i, j] = not np.array_equal(voronoi_labels(X, Cp), labels)
            returned[i, j] = same_partition(lloyd(X, Cp, max_iter=max_iter).labels, labels)
    return Contraction(radii, ratio, returned, changed)
