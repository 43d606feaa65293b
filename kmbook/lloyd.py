"""Lloyd's algorithm on samples.

Paper: Paper 1, Section I (Lloyd as alternating assignment and averaging) and
Lemma 2 (its fixed points sit at the centres of mass of their Voronoi sets).
Chapter: book/landscape/kmeans_problem.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

from . import _lloyd_kernels as _k
from ._validation import as_centers, as_points, check_int, check_nonnegative
from .exceptions import ConvergenceWarning
from .population import population_lloyd as population_lloyd

__all__ = ["LloydResult", "lloyd"]


@dataclass(frozen=True)
class LloydResult:
    """Result of :func:`lloyd`.

    Attributes
    ----------
    centers : ndarray of shape (k, d)
        Final centres.
    labels : ndarray of shape (n,)
        Voronoi labels of the points with respect to the final centres.
    cost : float
        ``G_n(centers)`` (Paper 1, eq. (1)).
    n_iter : int
        Number of assignment-and-averaging steps performed.
    converged : bool
        True if the labels stopped changing (or the centre shift fell to
        `tol`) before `max_iter` steps.
    counts : ndarray of shape (k,)
        Number of points in each final Voronoi set; a zero marks an empty
        cluster whose centre was kept in place.
    trajectory : ndarray of shape (n_iter + 1, k, d) or None
        The centres before the first step and after every step, when
        requested with ``record=True``.
    masses, cost_error, center_error : None
        Always None for :func:`lloyd`; kept from the time this class also
        served the population (see
        :class:`kmbook.population.PopulationLloydResult`).
    """

    centers: np.ndarray
    labels: np.ndarray | None
    cost: float
    n_iter: int
    converged: bool
    counts: np.ndarray | None
    trajectory: np.ndarray | None = field(default=None, repr=False)
    masses: np.ndarray | None = None
    cost_error: float | None = None
    center_error: np.ndarray | None = field(default=None, repr=False)


def lloyd(X, init, max_iter=300, tol=0.0, record=False):
    """Lloyd's algorithm from given initial centres.

    Each step assigns every point to its nearest centre (ties to the lowest
    index) and moves every centre to the mean of its points.

    Paper: Paper 1, Section I and Lemma 2 (a limit is a centre-of-mass fixed point).
    Chapter: book/landscape/kmeans_problem.

    Parameters
    ----------
    X : array-like of shape (n, d)
        Data points.
    init : array-like of shape (k, d)
        Initial centres, ``1 <= k <= n``.
    max_iter : int, default=300
        Maximum number of steps.
    tol : float, default=0.0
        Stop when the total squared centre shift of a step is at most
        ``tol * mean(var(X, axis=0))`` (scikit-learn's convention). With the
        default ``tol=0`` the algorithm runs until the labels stop changing:
        a fixed point of Lloyd's map.
    record : bool, default=False
        Keep the centres after every step in ``result.trajectory``.

    Returns
    -------
    LloydResult

    Notes
    -----
    **Empty clusters keep their centre.** A centre whose Voronoi set is empty
    is left where it is; it is not re-seeded. (scikit-learn moves it to a far
    point instead, so the two agree only while no cluster empties.) Such a
    centre is an "almost-empty association" in the language of Paper 1,
    Theorem 1; ``result.counts`` shows it.

    When `max_iter` is reached first, ``converged`` is False and a
    :class:`kmbook.exceptions.ConvergenceWarning` is issued. The returned
    labels and cost always refer to the returned centres.

    The assignment step is a numba kernel (BLAS inner products on chunks,
    parallel over a fixed number of blocks) and is deterministic.

    Examples
    --------
    >>> import numpy as np
    >>> from kmbook.lloyd import lloyd
    >>> X = np.array([[0.0], [1.0], [10.0], [11.0]])
    >>> res = lloyd(X, init=X[[0, 1]])
    >>> res.centers.ravel().tolist(), res.converged
    ([0.5, 10.5], True)
    """
    X = as_points(X, "X")
    C = as_centers(init, "init", n_features=X.shape[1], n_samples=X.shape[0]).copy()
    max_iter = check_int(max_iter, "max_iter", minimum=1)
    tol = check_nonnegative(tol, "tol")
    tol_abs = tol * float(np.mean(np.var(X, axis=0))) if tol > 0 else 0.0

    n, d = X.shape
    k = C.shape[0]
    labels = np.empty(n, dtype=np.int64)
    labels_old = np.full(n, -1, dtype=np.int64)
    mindist = np.empty(n)
    sums = np.empty((k, d))
    counts = np.empty(k, dtype=np.int64)
    trajectory = [C.copy()] if record else None
    strict = converged = False
    for n_iter in range(1, max_iter + 1):
        _k.assign_accumulate(X, C, labels, mindist, sums, counts, False)
        nonempty = counts > 0
        C_new = C.copy()
        C_new[nonempty] = sums[nonempty] / counts[nonempty, None]
        shift = float(((C_new - C) ** 2).sum())
        C = C_new
        if record:
            trajectory.append(C.copy())
        if np.array_equal(labels, labels_old):
            strict = converged = True
            break
        if shift <= tol_abs:
            converged = True
            break
        labels_old, labels = labels, labels_old
    if strict:
        # the labels did not change, so they are the Voronoi labels of the final centres
        _k.labeled_sq_dist(X, C, labels, mindist)
    else:
        # the labels belong to the centres before the last averaging step: reassign
        _k.assign_accumulate(X, C, labels, mindist, sums, counts, True)
    if not converged:
        warnings.warn(
            f"lloyd stopped after max_iter={max_iter} steps before the labels stabilised; "
            "increase max_iter or tol.",
            ConvergenceWarning,
            stacklevel=2,
        )
    return LloydResult(
        centers=C,
        labels=labels.copy(),
        cost=float(mindist.sum()),
        n_iter=n_iter,
        converged=converged,
        counts=counts.copy(),
        trajectory=np.array(trajectory) if record else None,
    )
