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

__all__ = ["LloydResult", "lloyd"]


@dataclass(frozen=True)
class LloydResult:
    """Result of :func:`lloyd` (and of :func:`population_lloyd`).

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
    masses : ndarray of shape (k,) or None
        Only from :func:`population_lloyd`: the f-mass of each final Voronoi
        set (a zero marks an empty set). None for :func:`lloyd`.
    cost_error : float or None
        Only from :func:`population_lloyd`: error estimate of `cost` (0.0 in
        one dimension, where the cost is exact).
    center_error : ndarray of shape (k, d) or None
        Only from :func:`population_lloyd` in ``d >= 2``: standard error of
        the centres of mass at the final centres (zeros in one dimension).

    For :func:`population_lloyd` there are no data points: ``labels`` and
    ``counts`` are None and ``masses`` takes the place of ``counts``.
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


# --- population Lloyd (issue 3) -------------------------------------------------------------

from . import _population_1d as _p1  # noqa: E402
from . import _population_nd as _pn  # noqa: E402
from .objective import _check_qmc, _model_centers  # noqa: E402

__all__ += ["population_lloyd"]


def population_lloyd(model, init, max_iter=1000, tol=1e-10, record=False, *, n_points=2**14, n_reps=8, rng=0):
    """Lloyd's algorithm on the population: iterate the centre-of-mass map of Lemma 2.

    Each step moves every centre ``beta_i`` whose Voronoi set has positive
    f-mass to that set's centre of mass ``int_{V_i} x f / int_{V_i} f``
    (eq. (9)); centres with an empty set stay where they are; ties go to the
    lowest index, as in :func:`lloyd`. Its fixed points are exactly the
    points that satisfy Lemma 2's first-order condition.

    Paper: Paper 1, Lemma 2, eq. (9) (population Lloyd fixed points).
    Chapter: book/landscape/spurious_1d, book/landscape/two_fit_three.

    Parameters
    ----------
    model : BallMixture or GaussianMixture
    init : array-like of shape (k, d)
        Initial centres, ``k >= 1``, ``d = model.d``.
    max_iter : int, default=1000
        Maximum number of steps.
    tol : float, default=1e-10
        Stop when no centre moves by more than `tol` (Euclidean distance, in
        the units of the data) in one step. Near a fixed point the map
        contracts at a rate ``rho < 1``, so the distance left to the fixed
        point is about ``tol / (1 - rho)``.
    record : bool, default=False
        Keep the centres before the first and after every step in
        ``result.trajectory``.
    n_points, n_reps, rng :
        Used only when ``model.d >= 2``: the map is evaluated on one fixed
        set of ``n_reps * k* * n_points`` randomised QMC nodes (see
        :func:`kmbook.objective.population_cost`), so the iteration is
        deterministic and stops at an exact fixed point of that node set
        (the assignment stops changing). ``result.center_error`` is the
        standard error of the centre-of-mass map at that point; the fixed
        point itself moves by about ``center_error / (1 - rho)``, where
        ``rho < 1`` is the contraction rate of the map there — much more
        than ``center_error`` near a bifurcation, where Lloyd converges
        slowly (use more nodes there, or an exact reduction).

    Returns
    -------
    LloydResult
        ``centers``, ``cost`` (``G`` at the final centres; exact in 1-D),
        ``n_iter``, ``converged``, ``masses``, ``cost_error``,
        ``center_error``, ``trajectory``; ``labels`` and ``counts`` are None.

    Notes
    -----
    In one dimension every step is exact (closed-form centres of mass over
    the Voronoi intervals). When `max_iter` is reached first a
    :class:`kmbook.exceptions.ConvergenceWarning` is issued.

    Examples
    --------
    >>> from kmbook.models import BallMixture
    >>> from kmbook.lloyd import population_lloyd
    >>> m = BallMixture([[-2.0], [0.0], [2.0]], radius=0.3)
    >>> res = population_lloyd(m, [[-2.2], [-1.9], [0.8]])
    >>> res.centers.ravel().round(6).tolist(), res.converged  # Proposition 2's minimum
    ([-2.15, -1.85, 1.0], True)
    """
    init = as_centers(init, "init", n_features=getattr(model, "d", None))  # errors name the argument
    C = _model_centers(model, init).copy()
    max_iter = check_int(max_iter, "max_iter", minimum=1)
    tol = check_nonnegative(tol, "tol")
    if model.d == 1:
        step = _exact_step(model)
    else:
        n_points, n_reps = _check_qmc(n_points, n_reps)
        nodes = _pn.nodes(model, n_points, n_reps, rng)
        step = _node_step(model, nodes)
    trajectory = [C.copy()] if record else None
    converged = False
    for n_iter in range(1, max_iter + 1):
        C_new, done = step(C)
        shift = float(np.sqrt(((C_new - C) ** 2).sum(axis=1)).max())
        C = C_new
        if record:
            trajectory.append(C.copy())
        if done or shift <= tol:
            converged = True
            break
    if not converged:
        warnings.warn(
            f"population_lloyd stopped after max_iter={max_iter} steps with a centre still moving by "
            f"{shift:.3g} > tol={tol:g}; increase max_iter or tol.",
            ConvergenceWarning,
            stacklevel=2,
        )
    if model.d == 1:
        masses, _ = _p1.masses_and_means(model, C[:, 0])
        cost, cost_err, center_err = _p1.cost(model, C[:, 0]), 0.0, np.zeros_like(C)
    else:
        costs, _, mass_r, first_r = _pn.replicate_estimates(model, C, nodes)
        cost, cost_err = (float(v) for v in _pn.mean_and_error(costs))
        masses = mass_r.mean(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            _, center_err = _pn.mean_and_error(first_r / mass_r[:, :, None])
    return LloydResult(
        centers=C,
        labels=None,
        cost=cost,
        n_iter=n_iter,
        converged=converged,
        counts=None,
        trajectory=np.array(trajectory) if record else None,
        masses=masses,
        cost_error=cost_err,
        center_error=center_err,
    )


def _exact_step(model):
    def step(C):
        masses, means = _p1.masses_and_means(model, C[:, 0])
        C_new = C.copy()
        keep = masses > 0
        C_new[keep, 0] = means[keep]
        return C_new, False

    return step


def _node_step(model, nodes):
    X = nodes.reshape(-1, model.d)
    state = {"labels": None}

    def step(C):
        labels, _ = _pn.nearest(X, C)
        counts = np.bincount(labels, minlength=C.shape[0])
        C_new = C.copy()
        keep = counts > 0
        for a in range(model.d):
            sums = np.bincount(labels, weights=X[:, a], minlength=C.shape[0])
            C_new[keep, a] = sums[keep] / counts[keep]
        done = state["labels"] is not None and np.array_equal(labels, state["labels"])
        state["labels"] = labels
        return C_new, done

    return step
