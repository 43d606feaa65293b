"""Population k-means in two or more dimensions by randomised quasi-Monte Carlo.

Private engine of :mod:`kmbook.objective` (``population_cost``,
``population_gradient`` for ``d >= 2``) and of
:func:`kmbook.lloyd.population_lloyd`; callers validate.

Paper: Paper 1, eq. (3) (population objective), Lemma 1 (gradient), Lemma 2
(centre of mass).
Chapter: book/landscape/two_fit_three (Example 2).

Method
------
``G(beta) = (1/k*) sum_s E_s[min_j ||x - beta_j||^2]`` is a sum of expectations
under the components, so each is estimated on a scrambled Sobol' point set of
``n_points = 2^m`` nodes mapped onto the component by a measure-preserving
transform:

* ball of radius r in 2-D: polar map ``(u1, u2) -> r sqrt(u1) (cos 2 pi u2, sin 2 pi u2)``;
* ball in d dimensions (d != 2): ``d + 1`` coordinates, direction
  ``z / ||z||`` with ``z = Phi^{-1}(u_{1..d})`` and radius ``r u_{d+1}^{1/d}``;
* Gaussian: ``c + sigma Phi^{-1}(u)``.

Every node carries weight ``1 / (k* n_points)``. Scrambling makes each
estimate unbiased; ``n_reps`` independent scramblings give ``n_reps``
independent estimates whose mean is returned and whose standard error
(``std / sqrt(n_reps)``, ddof = 1) is the error estimate. The integrand is
continuous and piecewise quadratic, so the randomised QMC error decays
faster than plain Monte Carlo's ``n^{-1/2}``.

Nodes are regenerated from `rng` on every call (a fixed `rng` gives a fixed
node set), so two evaluations with the same `rng` use common random numbers
and their difference is much more accurate than either value.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtri
from scipy.stats import qmc

from ._validation import as_generator

#: Keep Phi^{-1} finite (scrambled Sobol' points never hit 0 or 1 exactly, but be safe).
_U_EPS = 1e-15


def ball_unit_nodes(r, d, u):
    """Map uniform points `u` of shape (n, dim) to the uniform law on the ball of radius `r` in ``R^d``."""
    if d == 1:
        return r * (2.0 * u - 1.0)
    if d == 2:
        rad = r * np.sqrt(u[:, 0])
        ang = 2.0 * np.pi * u[:, 1]
        return np.column_stack([rad * np.cos(ang), rad * np.sin(ang)])
    z = ndtri(np.clip(u[:, :d], _U_EPS, 1.0 - _U_EPS))
    z /= np.linalg.norm(z, axis=1, keepdims=True)
    return z * (r * u[:, d] ** (1.0 / d))[:, None]


def gauss_unit_nodes(sigma, u):
    """Map uniform points `u` of shape (n, d) to ``N(0, sigma^2 I)`` (inverse normal CDF)."""
    return sigma * ndtri(np.clip(u, _U_EPS, 1.0 - _U_EPS))


def nodes(model, n_points, n_reps, rng):
    """Randomised QMC nodes, shape (n_reps, k* * n_points, d), components stacked in order.

    `n_points` must be a power of two (Sobol' balance).
    """
    m = int(np.log2(n_points))
    gen = as_generator(rng)
    dim = model.qmc_dim
    out = np.empty((n_reps, model.k_star * n_points, model.d))
    for rep in range(n_reps):
        for s, c in enumerate(model.centers):
            u = qmc.Sobol(dim, scramble=True, rng=gen).random_base2(m)
            out[rep, s * n_points:(s + 1) * n_points] = c + model.unit_nodes(u)
    return out


def nearest(X, C):
    """Nearest centre (ties to the lowest index) and the squared distance to it."""
    d2 = np.empty((X.shape[0], C.shape[0]))
    for j, c in enumerate(C):
        diff = X - c
        d2[:, j] = np.einsum("ij,ij->i", diff, diff)
    labels = np.argmin(d2, axis=1)
    return labels, d2[np.arange(X.shape[0]), labels]


def replicate_estimates(model, C, X):
    """Per-replicate estimates on node sets `X` of shape (n_reps, N, d).

    Returns
    -------
    costs : (n_reps,)
    grads : (n_reps, k, d)
    masses : (n_reps, k)
    firsts : (n_reps, k, d)
        ``int_{V_i} x f(x) dx`` estimates.
    """
    n_reps, N, _ = X.shape
    k, d = C.shape
    costs = np.empty(n_reps)
    masses = np.empty((n_reps, k))
    firsts = np.empty((n_reps, k, d))
    for rep in range(n_reps):
        labels, mind = nearest(X[rep], C)
        costs[rep] = mind.sum() / N
        masses[rep] = np.bincount(labels, minlength=k) / N
        for a in range(d):
            firsts[rep, :, a] = np.bincount(labels, weights=X[rep, :, a], minlength=k) / N
    grads = -2.0 * (firsts - masses[:, :, None] * C[None])
    return costs, grads, masses, firsts


def mean_and_error(samples):
    """Mean over replicates (axis 0) and its standard error."""
    n_reps = samples.shape[0]
    mean = samples.mean(axis=0)
    err = samples.std(axis=0, ddof=1) / np.sqrt(n_reps)
    return mean, err


def estimate(model, C, n_points, n_reps, rng):
    """``(cost, cost_error, grad, grad_error)`` by randomised QMC."""
    costs, grads, _, _ = replicate_estimates(model, C, nodes(model, n_points, n_reps, rng))
    cost, cost_err = mean_and_error(costs)
    grad, grad_err = mean_and_error(grads)
    return float(cost), float(cost_err), grad, grad_err
