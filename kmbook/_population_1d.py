"""Exact population k-means in one dimension: closed-form integrals over Voronoi intervals.

Private engine of :mod:`kmbook.objective` (``population_*``) and
:func:`kmbook.lloyd.population_lloyd`; callers validate.

Paper: Paper 1, eq. (3) (population objective), eq. (8) (the objective as a sum
over Voronoi sets), Lemma 1 (gradient), Lemma 2 (centre of mass).
Chapter: book/landscape/spurious_1d, book/landscape/two_fit_three.

In one dimension the Voronoi set of a centre is an interval between the
midpoints of neighbouring centres, so ``G`` is a sum of integrals of
``(x - beta_i)^2 f_s(x)`` over intervals. For a uniform component on
``[c - r, c + r]`` these are polynomials of the clipped end points; for a
Gaussian component they follow from the normal CDF and PDF:
with ``z = (x - c) / sigma`` and ``delta = c - beta``,

    int (x - beta)^p phi(z) dz  for p = 0, 1, 2
    = P,  sigma (phi(za) - phi(zb)) + delta P,
      sigma^2 (P - [z phi(z)]_za^zb) + 2 sigma delta (phi(za) - phi(zb)) + delta^2 P,

where ``P = Phi(zb) - Phi(za)``. All moments are taken about the centre
``beta`` itself, so no large terms cancel.

The Hessian adds boundary terms. Sort the distinct centres
``b_1 < ... < b_k``, let ``t_i = (b_i + b_{i+1}) / 2``, ``g_i = b_{i+1} - b_i``.
Differentiating ``-2 int_{t_{i-1}}^{t_i} (x - b_i) f(x) dx`` (Leibniz rule):

    d^2 G / d b_i^2        = 2 m_i - (g_{i-1} / 2) f(t_{i-1}) - (g_i / 2) f(t_i),
    d^2 G / d b_i d b_{i+1} = -(g_i / 2) f(t_i),

with ``m_i`` the f-mass of the i-th interval; other entries vanish. ``G`` is
twice differentiable exactly when ``f`` is continuous at every ``t_i``; for
the ball model this fails when a boundary sits on the edge of a ball.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr

_SQRT_2PI = np.sqrt(2.0 * np.pi)
#: A Voronoi boundary closer than this (relative) to a ball edge counts as on it.
EDGE_RTOL = 1e-12


def voronoi_intervals(beta):
    """Voronoi intervals of 1-D centres, ties to the lowest index.

    Parameters
    ----------
    beta : ndarray of shape (k,)

    Returns
    -------
    lo, hi : ndarray of shape (k,)
        Interval of each centre (``lo == hi`` for a duplicate of an earlier
        centre, whose Voronoi set is empty under the lowest-index rule).
    order : ndarray
        Original indices of the distinct centres, sorted by position.
    bounds : ndarray of shape (len(order) - 1,)
        Midpoints between consecutive distinct centres.
    """
    k = beta.shape[0]
    order = np.argsort(beta, kind="stable")
    sorted_b = beta[order]
    keep = np.ones(k, dtype=bool)
    keep[1:] = sorted_b[1:] != sorted_b[:-1]  # first (lowest index, stable sort) of each tie owns the set
    owners = order[keep]
    b = sorted_b[keep]
    bounds = 0.5 * (b[1:] + b[:-1])
    edges = np.concatenate([[-np.inf], bounds, [np.inf]])
    lo = np.empty(k)
    hi = np.empty(k)
    lo[owners], hi[owners] = edges[:-1], edges[1:]
    dup = order[~keep]
    lo[dup] = hi[dup] = beta[dup]
    return lo, hi, owners, bounds


def ball_moments(c, r, lo, hi, beta):
    """Moments ``int (x - beta)^p u(x) dx`` (p = 0, 1, 2) of U[c - r, c + r] over [lo, hi].

    Broadcasts: `c` of shape (1, s), the others of shape (k, 1).
    """
    a = np.maximum(lo, c - r)
    b = np.minimum(hi, c + r)
    hit = b > a
    width = np.where(hit, b - a, 0.0)
    A = np.where(hit, b - beta, 0.0)
    B = np.where(hit, a - beta, 0.0)
    m0 = width / (2.0 * r)
    m1 = width * (A + B) / (4.0 * r)
    m2 = width * (A * A + A * B + B * B) / (6.0 * r)
    return m0, m1, m2


def _normal_mass(za, zb):
    """``Phi(zb) - Phi(za)`` without cancellation in the upper tail."""
    upper = za > 0
    return np.where(upper, ndtr(-za) - ndtr(-zb), ndtr(zb) - ndtr(za))


def gauss_moments(c, sigma, lo, hi, beta):
    """Moments ``int (x - beta)^p N(c, sigma^2)(x) dx`` (p = 0, 1, 2) over [lo, hi]."""
    za = (lo - c) / sigma
    zb = (hi - c) / sigma
    P = np.where(hi > lo, _normal_mass(za, zb), 0.0)
    pa = np.exp(-0.5 * za * za) / _SQRT_2PI  # exp(-inf) = 0 at infinite ends
    pb = np.exp(-0.5 * zb * zb) / _SQRT_2PI
    zpa = np.where(np.isfinite(za), za, 0.0) * pa  # z phi(z) -> 0 at infinite ends
    zpb = np.where(np.isfinite(zb), zb, 0.0) * pb
    dphi = np.where(hi > lo, pa - pb, 0.0)
    dzphi = np.where(hi > lo, zpb - zpa, 0.0)
    delta = c - beta
    m0 = P
    m1 = sigma * dphi + delta * P
    m2 = sigma * sigma * (P - dzphi) + 2.0 * sigma * delta * dphi + delta * delta * P
    return m0, m1, m2


def interval_moments(model, lo, hi, beta):
    """f-weighted moments about each centre over its interval.

    Returns
    -------
    m0, m1, m2 : ndarray of shape (k,)
        ``int_{lo_i}^{hi_i} (x - beta_i)^p f(x) dx`` for p = 0, 1, 2, with
        ``f`` the mixture density (weights ``1/k*``).
    """
    parts = model.interval_moments(lo[:, None], hi[:, None], beta[:, None])
    w = 1.0 / model.k_star
    return tuple(w * p.sum(axis=1) for p in parts)


def cost(model, beta):
    """``G(beta)``, eq. (3)."""
    lo, hi, _, _ = voronoi_intervals(beta)
    return float(interval_moments(model, lo, hi, beta)[2].sum())


def gradient(model, beta):
    """Lemma 1: ``-2 int_{V_i} (x - beta_i) f(x) dx``, shape (k,)."""
    lo, hi, _, _ = voronoi_intervals(beta)
    return -2.0 * interval_moments(model, lo, hi, beta)[1]


def masses_and_means(model, beta):
    """f-mass of each Voronoi interval and its centre of mass (NaN when the mass is 0)."""
    lo, hi, _, _ = voronoi_intervals(beta)
    m0, m1, _ = interval_moments(model, lo, hi, beta)
    means = np.full_like(beta, np.nan)
    pos = m0 > 0
    means[pos] = beta[pos] + m1[pos] / m0[pos]
    return m0, means


def density_one_sided(model, t):
    """Left and right limits ``f(t-)`` and ``f(t+)`` of the mixture density at points `t`."""
    return model.density_one_sided(np.asarray(t, dtype=float))


def ball_density_one_sided(centers, r, t):
    """One-sided limits of the ball mixture's density at points `t` (balls of radius `r`)."""
    t = t[:, None]
    c = centers[:, 0][None, :]
    tol = EDGE_RTOL * max(r, float(np.abs(centers).max()), 1.0)
    left_edge = np.abs(t - (c - r)) <= tol
    right_edge = np.abs(t - (c + r)) <= tol
    inside = np.abs(t - c) < r - tol
    dens = 1.0 / (2.0 * r * centers.shape[0])
    # f(t-) counts balls containing (t - eps, t); f(t+) those containing (t, t + eps).
    left = ((inside | right_edge).sum(axis=1)) * dens
    right = ((inside | left_edge).sum(axis=1)) * dens
    return left, right


def gauss_density(centers, s, t):
    """The Gaussian mixture's density at points `t` (continuous: both one-sided limits)."""
    t = t[:, None]
    c = centers[:, 0][None, :]
    val = (np.exp(-0.5 * ((t - c) / s) ** 2) / (_SQRT_2PI * s)).mean(axis=1)
    return val, val


def hessian(model, beta):
    """Exact Hessian of ``G`` at pairwise distinct centres, shape (k, k).

    Returns
    -------
    H : ndarray of shape (k, k), or None
        None when ``f`` jumps at a Voronoi boundary (ball edge): ``G`` is then
        not twice differentiable there.
    bounds : ndarray
        The Voronoi boundaries (sorted).
    jumps : ndarray of bool
        Which boundaries sit on a discontinuity of ``f``.
    """
    lo, hi, order, bounds = voronoi_intervals(beta)
    m0 = interval_moments(model, lo, hi, beta)[0]
    fl, fr = density_one_sided(model, bounds)
    jumps = fl != fr
    H = np.diag(2.0 * m0)
    if jumps.any():
        return None, bounds, jumps
    gaps = np.diff(beta[order])
    for j, (g, ft) in enumerate(zip(gaps, fl)):
        i, i2 = order[j], order[j + 1]
        term = 0.5 * g * ft
        H[i, i] -= term
        H[i2, i2] -= term
        H[i, i2] -= term
        H[i2, i] -= term
    return H, bounds, jumps
