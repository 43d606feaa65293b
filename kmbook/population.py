"""The population k-means objective ``G`` and Lloyd's algorithm on the population.

Paper: Paper 1, eq. (3) (population objective ``G``), Lemma 1 (its gradient),
Lemma 2 and eq. (9) (centre-of-mass fixed points), the Hessians computed in the
proofs of Proposition 2 and Appendix Example 1.
Chapter: book/landscape/spurious_1d, book/landscape/two_fit_three.

Paper 1 reasons about ``G``, the ``n -> infinity`` limit of ``G_n / n``. In one
dimension the engine is exact (closed-form integrals over Voronoi intervals,
:mod:`kmbook._population_1d`); in two or more dimensions ``G``, its gradient and
the centre-of-mass map are randomised quasi-Monte Carlo estimates with an error
estimate (:mod:`kmbook._population_nd`).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

from . import _population_1d as _p1
from . import _population_nd as _pn
from ._validation import check_distinct, check_int, check_nonnegative, check_qmc
from .exceptions import ConvergenceWarning
from .models import model_centers

__all__ = ["population_cost", "population_gradient", "population_hessian", "PopulationLloydResult",
           "population_lloyd"]

_DISTINCT = ("centers must be pairwise distinct for {}; two rows coincide "
             "(G is not differentiable there, see Paper 1, Lemma 2).")


def population_cost(model, centers, *, return_error=False, n_points=2**14, n_reps=8, rng=0):
    """Population k-means objective ``G(beta) = int min_j ||x - beta_j||^2 f(x) dx``.

    Paper: Paper 1, eq. (3) (equivalently eq. (8), a sum over Voronoi sets).
    Chapter: book/landscape/spurious_1d, book/landscape/two_fit_three.

    Parameters
    ----------
    model : BallMixture or GaussianMixture
        The mixture ``f`` of eq. (2).
    centers : array-like of shape (k, d)
        Candidate centres ``beta``, ``k >= 1``, ``d = model.d``; coincident
        centres are allowed (G is defined everywhere).
    return_error : bool, default=False
        Also return an error estimate: ``(value, error)``.
    n_points, n_reps, rng :
        Used only when ``model.d >= 2``: ``n_points`` (a power of two)
        scrambled Sobol' nodes per component in each of ``n_reps``
        independent replicates drawn from `rng` (default 0, so repeated calls
        agree and differences of calls share their nodes).

    Returns
    -------
    value : float
    error : float, only if `return_error`
        ``0.0`` in one dimension; otherwise the standard error over the
        replicates.

    Notes
    -----
    **One dimension: exact.** Voronoi sets are intervals between midpoints;
    each term ``int (x - beta_i)^2 f_s`` is a closed form (polynomial of the
    clipped end points for a ball, normal CDF/PDF for a Gaussian). Only
    floating-point rounding remains: agreement with adaptive quadrature to
    1e-10 is tested.

    **Two or more dimensions: randomised QMC.** See
    :mod:`kmbook._population_nd`. The value is the mean of ``n_reps``
    unbiased estimates, the error their standard error; the true error is
    below ``3 * error`` with probability about 0.98 (Student t, 7 degrees of
    freedom at the default ``n_reps=8``, if the replicate estimates are
    roughly normal). Measured with the defaults on unit-scale 2-D problems,
    the error is of order 1e-7 for the ball model and 1e-5 for the Gaussian
    mixture (whose inverse-CDF map is unbounded); the returned error is the
    number to use. The tests compare with ``10^7``-point samples and with
    exact references (a collinear Gaussian mixture, where ``G`` in 2-D is the
    1-D value plus ``sigma^2``).

    Examples
    --------
    >>> from kmbook.models import BallMixture
    >>> from kmbook.population import population_cost
    >>> m = BallMixture([[-2.0], [0.0], [2.0]], radius=0.3)
    >>> round(population_cost(m, [[-2.0], [0.0], [2.0]]), 12)  # r^2 / 3
    0.03
    """
    C = model_centers(model, centers)
    if model.d == 1:
        value, err = _p1.cost(model, C[:, 0]), 0.0
    else:
        n_points, n_reps = check_qmc(n_points, n_reps)
        value, err, _, _ = _pn.estimate(model, C, n_points, n_reps, rng)
    return (value, err) if return_error else value


def population_gradient(model, centers, *, return_error=False, n_points=2**14, n_reps=8, rng=0):
    """Gradient of ``G``: row ``i`` is ``-2 int_{V_i} (x - beta_i) f(x) dx`` (Lemma 1).

    Paper: Paper 1, Lemma 1 (directional derivative); it vanishes exactly at
    the centre-of-mass points of Lemma 2, eq. (9).
    Chapter: book/landscape/spurious_1d, book/landscape/two_fit_three.

    Parameters
    ----------
    model, centers, return_error, n_points, n_reps, rng :
        As in :func:`population_cost`. The centres must be pairwise distinct.

    Returns
    -------
    gradient : ndarray of shape (k, d)
    error : ndarray of shape (k, d), only if `return_error`
        Zeros in one dimension (exact); standard errors otherwise.

    Raises
    ------
    ValueError
        If two centres coincide (Lemma 1 needs distinct centres).

    Examples
    --------
    >>> from kmbook.models import BallMixture
    >>> from kmbook.population import population_gradient
    >>> m = BallMixture([[-2.0], [0.0], [2.0]], radius=0.3)
    >>> g = population_gradient(m, [[-2.15], [-1.85], [1.0]])  # Proposition 2's point
    >>> g.shape, bool(abs(g).max() < 1e-12)
    ((3, 1), True)
    """
    C = model_centers(model, centers)
    check_distinct(C, _DISTINCT.format("the gradient (Lemma 1)"))
    if model.d == 1:
        grad = _p1.gradient(model, C[:, 0])[:, None]
        err = np.zeros_like(grad)
    else:
        n_points, n_reps = check_qmc(n_points, n_reps)
        _, _, grad, err = _pn.estimate(model, C, n_points, n_reps, rng)
    return (grad, err) if return_error else grad


def population_hessian(model, centers):
    """Exact Hessian of ``G`` in one dimension, shape ``(k*d, k*d)`` with ``d = 1``.

    Paper: Paper 1, proofs of Proposition 2 and Appendix Example 1 (which
    compute it by hand for particular configurations).
    Chapter: book/landscape/spurious_1d, book/landscape/two_fit_three.

    Notes
    -----
    With the distinct centres sorted, ``b_1 < ... < b_k``, boundaries
    ``t_i = (b_i + b_{i+1})/2``, gaps ``g_i = b_{i+1} - b_i`` and interval
    masses ``m_i``, the Leibniz rule gives

    ``d2G/db_i^2 = 2 m_i - (g_{i-1}/2) f(t_{i-1}) - (g_i/2) f(t_i)`` and
    ``d2G/db_i db_{i+1} = -(g_i/2) f(t_i)``;

    the boundary terms are where a Voronoi boundary crosses the support of a
    component. The matrix is indexed in the caller's order of `centers`.

    Raises
    ------
    ValueError
        If two centres coincide, or a Voronoi boundary sits exactly on the
        edge of a ball (``f`` jumps there and ``G`` is not twice
        differentiable: its one-sided second derivatives differ).
    NotImplementedError
        If ``model.d >= 2``.

    Examples
    --------
    >>> from kmbook.models import BallMixture
    >>> from kmbook.population import population_hessian
    >>> r = 0.3
    >>> m = BallMixture([[-2.0], [0.0], [2.0]], radius=r)
    >>> (population_hessian(m, [[-2 - r / 2], [-2 + r / 2], [1.0]]) * 6 * r / r).round(12).tolist()
    [[1.5, -0.5, 0.0], [-0.5, 1.5, 0.0], [0.0, 0.0, 8.0]]
    """
    C = model_centers(model, centers)
    if model.d != 1:
        raise NotImplementedError(
            f"population_hessian is exact in one dimension only; model.d = {model.d}. In higher "
            "dimensions take finite differences of population_gradient with a fixed rng."
        )
    check_distinct(C, _DISTINCT.format("the Hessian"))
    H, bounds, jumps = _p1.hessian(model, C[:, 0])
    if H is None:
        t = ", ".join(f"{v:.12g}" for v in bounds[jumps])
        raise ValueError(
            f"G is not twice differentiable at these centres: the Voronoi boundary at x = {t} lies on the "
            "edge of a ball, where the density f jumps. Move the centres slightly to get a one-sided Hessian."
        )
    return H


@dataclass(frozen=True)
class PopulationLloydResult:
    """Result of :func:`population_lloyd`.

    Attributes
    ----------
    centers : ndarray of shape (k, d)
        Final centres.
    cost : float
        ``G(centers)`` (Paper 1, eq. (3)); exact in one dimension.
    n_iter : int
        Number of centre-of-mass steps performed.
    converged : bool
        True if the iteration stopped (no centre moved by more than `tol`,
        or the node assignment stopped changing) before `max_iter` steps.
    trajectory : ndarray of shape (n_iter + 1, k, d) or None
        The centres before the first step and after every step, when
        requested with ``record=True``.
    masses : ndarray of shape (k,)
        The f-mass of each final Voronoi set (a zero marks an empty set).
    cost_error : float
        Error estimate of `cost` (0.0 in one dimension, where the cost is exact).
    center_error : ndarray of shape (k, d)
        Standard error of the centres of mass at the final centres (zeros in
        one dimension).
    labels, counts : None
        There are no data points on the population; kept so that code written
        for :class:`kmbook.lloyd.LloydResult` reads the same fields.
    """

    centers: np.ndarray
    cost: float
    n_iter: int
    converged: bool
    trajectory: np.ndarray | None = field(default=None, repr=False)
    masses: np.ndarray | None = None
    cost_error: float | None = None
    center_error: np.ndarray | None = field(default=None, repr=False)
    labels: None = field(default=None, repr=False)
    counts: None = field(default=None, repr=False)


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
        :func:`population_cost`), so the iteration is
        deterministic and stops at an exact fixed point of that node set
        (the assignment stops changing). ``result.center_error`` is the
        standard error of the centre-of-mass map at that point; the fixed
        point itself moves by about ``center_error / (1 - rho)``, where
        ``rho < 1`` is the contraction rate of the map there — much more
        than ``center_error`` near a bifurcation, where Lloyd converges
        slowly (use more nodes there, or an exact reduction).

    Returns
    -------
    PopulationLloydResult
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
    >>> from kmbook.population import population_lloyd
    >>> m = BallMixture([[-2.0], [0.0], [2.0]], radius=0.3)
    >>> res = population_lloyd(m, [[-2.2], [-1.9], [0.8]])
    >>> res.centers.ravel().round(6).tolist(), res.converged  # Proposition 2's minimum
    ([-2.15, -1.85, 1.0], True)
    """
    C = model_centers(model, init).copy()
    max_iter = check_int(max_iter, "max_iter", minimum=1)
    tol = check_nonnegative(tol, "tol")
    if model.d == 1:
        step = _exact_step(model)
    else:
        n_points, n_reps = check_qmc(n_points, n_reps)
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
    return PopulationLloydResult(
        centers=C,
        cost=cost,
        n_iter=n_iter,
        converged=converged,
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
