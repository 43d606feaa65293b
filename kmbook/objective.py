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
from scipy.spatial.distance import pdist

from . import _lloyd_kernels as _k
from ._validation import as_centers, as_points

__all__ = ["kmeans_cost", "voronoi_labels", "kmeans_gradient", "directional_derivative", "centers_of_mass"]


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


def voronoi_labels(X, centers):
    """Index of the nearest centre for each point: the sample's Voronoi sets (eq. (5)).

    Ties (points on a Voronoi boundary) go to the lowest index.

    Returns
    -------
    ndarray of shape (n,)
        Labels in ``0..k-1``.
    """
    X, C = _checked(X, centers)
    return _k.assign(X, C)[0]


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
    if C.shape[0] > 1 and pdist(C).min() == 0.0:
        raise ValueError("centers must be pairwise distinct for Lemma 1's gradient; two rows coincide.")
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


# --- population objective (issue 3) ---------------------------------------------------------
# Paper 1 reasons about G of eq. (3), the n -> infinity limit of G_n / n. In one dimension the
# engine below is exact (closed-form integrals over Voronoi intervals, kmbook._population_1d);
# in two or more dimensions G and its gradient are randomised quasi-Monte Carlo estimates with
# an error estimate (kmbook._population_nd).

from dataclasses import dataclass, field  # noqa: E402

from . import _population_1d as _p1  # noqa: E402
from . import _population_nd as _pn  # noqa: E402
from ._validation import check_int, check_nonnegative  # noqa: E402
from .models import BallMixture, GaussianMixture  # noqa: E402

__all__ += ["population_cost", "population_gradient", "population_hessian", "classify_critical_point",
            "CriticalPoint"]


def _check_model(model):
    if not isinstance(model, (BallMixture, GaussianMixture)):
        raise TypeError(
            f"model must be a kmbook.models.BallMixture or GaussianMixture; got {type(model).__name__}."
        )
    return model


def _model_centers(model, centers):
    _check_model(model)
    return as_centers(centers, "centers", n_features=model.d)


def _check_qmc(n_points, n_reps):
    n_points = check_int(n_points, "n_points", minimum=2)
    if n_points & (n_points - 1):
        raise ValueError(f"n_points must be a power of two (Sobol' balance), e.g. 2**14; got {n_points}.")
    return n_points, check_int(n_reps, "n_reps", minimum=2)


def _require_distinct(C, what):
    if C.shape[0] > 1 and pdist(C).min() == 0.0:
        raise ValueError(
            f"centers must be pairwise distinct for {what}; two rows coincide "
            "(G is not differentiable there, see Paper 1, Lemma 2)."
        )


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
    >>> from kmbook.objective import population_cost
    >>> m = BallMixture([[-2.0], [0.0], [2.0]], radius=0.3)
    >>> round(population_cost(m, [[-2.0], [0.0], [2.0]]), 12)  # r^2 / 3
    0.03
    """
    C = _model_centers(model, centers)
    if model.d == 1:
        value, err = _p1.cost(model, C[:, 0]), 0.0
    else:
        n_points, n_reps = _check_qmc(n_points, n_reps)
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
    >>> from kmbook.objective import population_gradient
    >>> m = BallMixture([[-2.0], [0.0], [2.0]], radius=0.3)
    >>> g = population_gradient(m, [[-2.15], [-1.85], [1.0]])  # Proposition 2's point
    >>> g.shape, bool(abs(g).max() < 1e-12)
    ((3, 1), True)
    """
    C = _model_centers(model, centers)
    _require_distinct(C, "the gradient (Lemma 1)")
    if model.d == 1:
        grad = _p1.gradient(model, C[:, 0])[:, None]
        err = np.zeros_like(grad)
    else:
        n_points, n_reps = _check_qmc(n_points, n_reps)
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
    >>> from kmbook.objective import population_hessian
    >>> r = 0.3
    >>> m = BallMixture([[-2.0], [0.0], [2.0]], radius=r)
    >>> (population_hessian(m, [[-2 - r / 2], [-2 + r / 2], [1.0]]) * 6 * r / r).round(12).tolist()
    [[1.5, -0.5, 0.0], [-0.5, 1.5, 0.0], [0.0, 0.0, 8.0]]
    """
    C = _model_centers(model, centers)
    if model.d != 1:
        raise NotImplementedError(
            f"population_hessian is exact in one dimension only; model.d = {model.d}. In higher "
            "dimensions take finite differences of population_gradient with a fixed rng."
        )
    _require_distinct(C, "the Hessian")
    H, bounds, jumps = _p1.hessian(model, C[:, 0])
    if H is None:
        t = ", ".join(f"{v:.12g}" for v in bounds[jumps])
        raise ValueError(
            f"G is not twice differentiable at these centres: the Voronoi boundary at x = {t} lies on the "
            "edge of a ball, where the density f jumps. Move the centres slightly to get a one-sided Hessian."
        )
    return H


@dataclass(frozen=True)
class CriticalPoint:
    """Result of :func:`classify_critical_point`.

    Attributes
    ----------
    kind : str
        One of ``"strict local minimum"``, ``"local minimum"`` (positive
        definite in the centres that own mass; ``G`` is flat in the centres
        with empty Voronoi sets), ``"saddle"``, ``"local maximum"``,
        ``"degenerate"`` (stationary, no negative eigenvalue but a zero one:
        the second-order test is inconclusive), ``"not stationary"``,
        ``"non-smooth"`` (stationary, but a Voronoi boundary sits on a ball
        edge, so no Hessian exists) or ``"coincident centres"``.
    stationary : bool or None
        Gradient norm at most `gtol` (None for coincident centres).
    gradient : ndarray of shape (k, 1) or None
    gradient_norm : float or None
    hessian : ndarray of shape (k, k) or None
    eigenvalues : ndarray or None
        Eigenvalues (ascending) of the Hessian restricted to the centres with
        positive mass.
    masses : ndarray of shape (k,)
        f-mass of each Voronoi set (ties to the lowest index).
    empty : tuple of int
        Centres whose Voronoi set has zero mass.
    coincident : tuple of (int, int)
        Pairs of equal centres.
    boundaries : ndarray
        Sorted Voronoi boundaries.
    """

    kind: str
    stationary: bool | None
    gradient: np.ndarray | None = field(repr=False)
    gradient_norm: float | None
    hessian: np.ndarray | None = field(repr=False)
    eigenvalues: np.ndarray | None
    masses: np.ndarray = field(repr=False)
    empty: tuple
    coincident: tuple
    boundaries: np.ndarray = field(repr=False)

    @property
    def is_local_minimum(self):
        """True for a (strict or flat-in-empty-centres) local minimum."""
        return self.kind in ("strict local minimum", "local minimum")


def classify_critical_point(model, centers, *, gtol=1e-9, etol=1e-9):
    """Is `centers` a critical point of ``G``, and of which kind? (one dimension, exact)

    Paper: Paper 1, Lemma 2 (first-order condition), Proposition 2 and
    Appendix Example 1 (second-order check by the Hessian).
    Chapter: book/landscape/spurious_1d, book/landscape/two_fit_three.

    Parameters
    ----------
    model : BallMixture or GaussianMixture with ``d = 1``
    centers : array-like of shape (k, 1)
    gtol : float, default=1e-9
        Stationary when the Euclidean norm of the gradient is at most `gtol`.
    etol : float, default=1e-9
        An eigenvalue counts as zero when its absolute value is at most
        ``etol * max(1, max |eigenvalue|)``.

    Returns
    -------
    CriticalPoint

    Notes
    -----
    Coincident centres are reported (kind ``"coincident centres"``) rather
    than analysed: ``G`` is not differentiable there when the shared set has
    mass, and by Lemma 2 such a point is then not a local minimum. Centres
    with an empty Voronoi set are listed in ``empty``; when no Voronoi
    boundary touches a ball edge, ``G`` does not depend on them nearby, so the
    second-order test uses the other centres only.

    Examples
    --------
    >>> from kmbook.models import BallMixture
    >>> from kmbook.objective import classify_critical_point
    >>> m = BallMixture([[-2.0], [0.0], [2.0]], radius=0.3)
    >>> classify_critical_point(m, [[-2.15], [-1.85], [1.0]]).kind
    'strict local minimum'
    """
    C = _model_centers(model, centers)
    if model.d != 1:
        raise NotImplementedError(f"classify_critical_point is exact in one dimension only; model.d = {model.d}.")
    gtol = check_nonnegative(gtol, "gtol")
    etol = check_nonnegative(etol, "etol")
    beta = C[:, 0]
    masses, _ = _p1.masses_and_means(model, beta)
    _, _, _, bounds = _p1.voronoi_intervals(beta)
    empty = tuple(int(i) for i in np.flatnonzero(masses == 0))
    k = beta.shape[0]
    pairs = tuple((i, j) for i in range(k) for j in range(i + 1, k) if beta[i] == beta[j])
    common = dict(masses=masses, empty=empty, coincident=pairs, boundaries=bounds)
    if pairs:
        return CriticalPoint("coincident centres", None, None, None, None, None, **common)
    grad = _p1.gradient(model, beta)[:, None]
    gnorm = float(np.linalg.norm(grad))
    stationary = gnorm <= gtol
    H, _, _ = _p1.hessian(model, beta)
    if not stationary:
        return CriticalPoint("not stationary", False, grad, gnorm, H, None, **common)
    if H is None:
        return CriticalPoint("non-smooth", True, grad, gnorm, None, None, **common)
    live = masses > 0
    eig = np.linalg.eigvalsh(H[np.ix_(live, live)])
    zero = etol * max(1.0, float(np.abs(eig).max()))
    if eig.min() < -zero:
        kind = "local maximum" if eig.max() < -zero else "saddle"
    elif eig.min() <= zero:
        kind = "degenerate"
    else:
        kind = "strict local minimum" if not empty else "local minimum"
    return CriticalPoint(kind, True, grad, gnorm, H, eig, **common)
