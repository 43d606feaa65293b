"""The O(1/t) rate of stochastic k-means: the optimum it approaches and its exact expected gap.

Paper: Paper 2 (Tang & Monteleoni), Definitions 1-2 (stationary clusterings),
Theorem 1 (the ``O(1/t)`` rate of ``E[phi^t - phi*]``).
Chapter: book/stochastic/rate.

:func:`stationary_point` finds the batch Lloyd fixed point ``phi*`` a run
approaches; :func:`expected_gap` is the exact expected gap of the local model in
which every sampled point is assigned to its own cluster; :func:`loglog_slope`
reads the rate off a log-log plot.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from ._cluster_geometry import cluster_stats
from ._fitting import loglog_fit
from ._schedule import learning_rates
from ._validation import as_centers, as_labels, as_points, check_int, check_nonnegative, check_positive
from .lloyd import lloyd

__all__ = ["loglog_slope", "StationaryPoint", "stationary_point", "expected_gap"]


def loglog_slope(steps, gap, t_min=1, t_max=None):
    """Least-squares slope of ``log(gap)`` against ``log(t)`` for ``t_min <= t <= t_max``.

    Steps with a non-positive gap are left out. A rate ``O(1/t)`` shows as
    a slope of -1.

    Examples
    --------
    >>> import numpy as np
    >>> from kmbook.rate import loglog_slope
    >>> t = np.arange(1, 100)
    >>> round(loglog_slope(t, 3.0 / t), 6)
    -1.0
    """
    t = np.asarray(steps, dtype=float)
    g = np.asarray(gap, dtype=float)
    if t.shape != g.shape or t.ndim != 1:
        raise ValueError(f"steps and gap must be 1-D of the same length; got {t.shape} and {g.shape}.")
    in_range = t >= t_min if t_max is None else (t >= t_min) & (t <= t_max)
    return loglog_fit(t, g, keep=in_range,
                      error="need at least two steps with t in [t_min, t_max] and a positive gap to fit a slope.")[0]


@dataclass(frozen=True)
class StationaryPoint:
    """A stationary clustering of batch k-means (Paper 2, Definitions 1-2).

    Attributes
    ----------
    centers : ndarray of shape (k, d)
        Means of the clusters (empty clusters keep their centre).
    labels : ndarray of shape (n,)
        The clustering: the Voronoi partition of `centers`, which Lloyd maps to itself.
    cost : float
        ``phi*``.
    n_iter : int
        Lloyd steps taken from the given centres.
    counts : ndarray of shape (k,)
        Cluster sizes.
    boundary_gap : float
        Smallest difference, over the points, between the squared distances
        to the second-nearest and the nearest centre: zero when some point
        sits on a bisector (a boundary stationary point, excluded by (A0)).
    """

    centers: np.ndarray
    labels: np.ndarray
    cost: float
    n_iter: int
    counts: np.ndarray
    boundary_gap: float


def _second_gap(X, C, chunk=4096):
    if C.shape[0] == 1:
        return float("inf")
    gap = np.inf
    for s in range(0, X.shape[0], chunk):
        d2 = ((X[s:s + chunk, None, :] - C[None, :, :]) ** 2).sum(-1)
        two = np.partition(d2, 1, axis=1)[:, :2]
        gap = min(gap, float((two[:, 1] - two[:, 0]).min()))
    return gap


def stationary_point(X, centers, max_iter=1000):
    """Run batch Lloyd from `centers` until the clustering stops changing.

    Paper: Paper 2, Definitions 1-2 (stationary clusterings and points), the
    ``phi*`` of Theorem 1 and the ``phi-hat`` of Section 4.
    Chapter: book/stochastic/rate.

    Parameters
    ----------
    X : array-like of shape (n, d)
    centers : array-like of shape (k, d)
    max_iter : int, default=1000
        Passed to :func:`kmbook.lloyd.lloyd`, which warns
        (:class:`~kmbook.exceptions.ConvergenceWarning`) if it is reached.

    Returns
    -------
    StationaryPoint

    Examples
    --------
    >>> import numpy as np
    >>> from kmbook.rate import stationary_point
    >>> X = np.array([[0.0], [1.0], [10.0], [11.0]])
    >>> sp = stationary_point(X, [[2.0], [9.0]])
    >>> sp.centers.ravel().tolist(), sp.cost, sp.boundary_gap
    ([0.5, 10.5], 1.0, 90.0)
    """
    X = as_points(X, "X")
    res = lloyd(X, centers, max_iter=max_iter)
    return StationaryPoint(res.centers, res.labels, res.cost, res.n_iter, res.counts,
                           _second_gap(X, res.centers))


def expected_gap(X, labels, init, batch_size, steps, learning_rate="flat", c_prime=1.0, t0=1.0):
    """Exact ``E[phi^t - phi*]`` of stochastic k-means in the local model.

    The local model assumes every sampled point is assigned to its own
    cluster of `labels` at every step (true on data with a margin once the
    centres are near the means), so the centres evolve independently:
    ``phi^t - phi* = sum_r n_r ||c_r^t - mu_r||^2``. With ``p_r = n_r / n``,
    ``q_r = 1 - (1 - p_r)^m`` (the chance that centre r receives a point),
    ``sigma_r^2`` the mean squared distance of cluster r to its mean and
    ``v_r^t = E||c_r^t - mu_r||^2``:

    * flat rate: ``v^t = (1 - 2 eta_t q + eta_t^2 q) v^{t-1} + eta_t^2 sigma^2 E[1{nhat>0}/nhat]``,
      ``nhat ~ Binomial(m, p_r)``;
    * BBS rate: the centre is the running mean of all its samples, so
      ``v^t = v^0 (1 - p_r)^{tm} + sigma^2 E[1{N>0}/N]``, ``N ~ Binomial(tm, p_r)``.

    Paper: Paper 2, Theorems 1 and 3 (the local phase); our derivation.
    Chapter: book/stochastic/rate.

    Parameters
    ----------
    X : array-like of shape (n, d)
    labels : array-like of shape (n,)
        The stationary clustering, labels ``0..k-1``, each cluster non-empty.
    init : array-like of shape (k, d)
        Seeds, row r matched with cluster r.
    batch_size : int
    steps : array-like of int
        Step numbers ``t >= 0``.
    learning_rate : {"flat", "bbs"}, default="flat"
    c_prime, t0 : float
        As in :func:`stochastic_kmeans`.

    Returns
    -------
    ndarray of shape (len(steps),)

    Examples
    --------
    >>> import numpy as np
    >>> from kmbook.rate import expected_gap
    >>> X = np.array([[0.0], [2.0]])
    >>> expected_gap(X, [0, 0], [[1.0]], 1, [0, 1], "bbs").tolist()
    [0.0, 2.0]
    """
    X = as_points(X, "X")
    labels = as_labels(labels, "labels", n_samples=X.shape[0])
    k = int(labels.max()) + 1
    C = as_centers(init, "init", n_features=X.shape[1])
    if C.shape[0] != k:
        raise ValueError(f"init must have one row per cluster of labels (k={k}); got {C.shape[0]} rows.")
    m = check_int(batch_size, "batch_size", minimum=1)
    steps = np.asarray(steps)
    if steps.ndim != 1 or not np.issubdtype(steps.dtype, np.integer) or (steps.size and steps.min() < 0):
        raise ValueError("steps must be a 1-D array of non-negative integers.")
    if learning_rate not in ("flat", "bbs"):
        raise ValueError(f"learning_rate must be 'flat' or 'bbs'; got {learning_rate!r}.")
    c_prime = check_positive(c_prime, "c_prime")
    t0 = check_nonnegative(t0, "t0")
    sizes, means, within = cluster_stats(X, labels, k)
    n = X.shape[0]
    p = sizes / n
    sigma2 = within / sizes
    v0 = ((C - means) ** 2).sum(1)
    out = np.empty(steps.shape[0])
    if learning_rate == "bbs":
        for i, t in enumerate(steps):
            out[i] = float((sizes * (v0 * (1 - p) ** (int(t) * m) + sigma2 * _inv_binom(int(t) * m, p))).sum())
        return out
    q = 1 - (1 - p) ** m
    s = sigma2 * _inv_binom(m, p)
    T = int(steps.max()) if steps.size else 0
    eta = learning_rates("flat", c_prime, t0, T)
    v = v0.copy()
    path = np.empty(T + 1)
    path[0] = float((sizes * v).sum())
    for t in range(1, T + 1):
        e = eta[t - 1]
        v = (1 - 2 * e * q + e * e * q) * v + e * e * s
        path[t] = float((sizes * v).sum())
    return path[steps]


def _inv_binom(M, p):
    """``E[1{N>0} / N]`` for ``N ~ Binomial(M, p_r)``, one value per entry of `p`."""
    out = np.zeros(len(p))
    if M == 0:
        return out
    for r, pr in enumerate(p):
        mean, sd = M * pr, np.sqrt(M * pr * (1 - pr))
        lo, hi = max(1, int(mean - 12 * sd) - 1), min(M, int(mean + 12 * sd) + 2)
        j = np.arange(lo, hi + 1)
        out[r] = float((stats.binom.pmf(j, M, pr) / j).sum())
    return out
