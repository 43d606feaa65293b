"""Section II-B of Paper 1: k-means as the zero-temperature limit of a Gaussian likelihood.

Paper: Paper 1 (Qian, Zhang, Chen), Section II-B: the population negative
log-likelihood L_tau of a Gaussian mixture with known variance tau^2, and
the limit 2 tau^2 L_tau -> G as tau -> 0.
Chapter: book/landscape/bounds.

:func:`likelihood_gap` evaluates ``2 tau^2 L_tau - G`` by adaptive quadrature
in one dimension; :func:`likelihood_gap_leading_term` is our ``tau^4``
expansion of it.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.integrate import quad

from ._validation import as_centers, as_real_array, check_distinct, check_positive
from .models import check_model

__all__ = ["likelihood_gap", "likelihood_gap_leading_term"]


def _centres_1d(centers):
    """Distinct one-dimensional centres, of shape (k,) or (k, 1), as a sorted 1-D array."""
    C = as_real_array(centers, "centers")
    if C.ndim == 1:
        C = C.reshape(-1, 1)
    C = as_centers(C, "centers", n_features=1)
    check_distinct(C, "centers must be pairwise distinct (a zero gap makes the boundary terms infinite).")
    return np.sort(C.reshape(-1))


def likelihood_gap(model, centers, tau):
    """``2 tau^2 L_tau(beta) - G(beta)`` for a one-dimensional model, by quadrature.

    ``L_tau(beta) = -int log sum_j exp(-(x - beta_j)^2 / (2 tau^2)) f(x) dx`` is
    the population negative log-likelihood of a Gaussian mixture with known
    variance ``tau^2`` (constants dropped, as in the paper). Writing the
    log-sum-exp around the nearest centre gives
    ``2 tau^2 L_tau - G = -2 tau^2 int log(1 + sum_{j != nearest} e^{-(d_j - d_min)/(2 tau^2)}) f``,
    which lies in ``[-2 tau^2 log k, 0]``.

    Paper: Paper 1, Section II-B.
    Chapter: book/landscape/bounds.

    Parameters
    ----------
    model : BallMixture or GaussianMixture
        One-dimensional model.
    centers : array-like of shape (k, 1)
    tau : float
        The posited standard deviation, ``tau > 0``.

    Returns
    -------
    float

    Examples
    --------
    >>> from kmbook.examples import proposition2
    >>> gap = likelihood_gap(*proposition2(0.3), tau=0.1)
    >>> bool(-2 * 0.1**2 * np.log(3) <= gap <= 0)
    True
    """
    check_model(model)
    tau = check_positive(tau, "tau")
    if not 2 * tau * tau > 0:
        raise ValueError(f"tau must be large enough that 2 tau^2 > 0 in float64; got tau = {tau!r}.")
    if model.d != 1:
        raise ValueError("likelihood_gap is implemented for one-dimensional models; model.d = %d." % model.d)
    b = _centres_1d(centers)

    def integrand(x):
        d = (x - b) ** 2
        e = np.sort((d - d.min()) / (2 * tau * tau))[1:]
        return math.log1p(np.exp(-e).sum()) * float(model.pdf(np.array([[x]]))[0])

    radius = getattr(model, "radius", None)
    if radius is not None:
        lo, hi = model.centers.min() - radius, model.centers.max() + radius
        edges = np.r_[model.centers[:, 0] - radius, model.centers[:, 0] + radius]
    else:
        lo, hi = model.centers.min() - 12 * model.sigma, model.centers.max() + 12 * model.sigma
        edges = np.array([])
    mids, gaps = (b[1:] + b[:-1]) / 2, np.diff(b)
    # the integrand has a peak of width tau^2/gap at each boundary: give quad breakpoints there
    widths = np.outer(tau * tau / gaps, [-100, -20, -5, -1, 1, 5, 20, 100]).ravel()
    points = np.unique(np.r_[mids, np.repeat(mids, 8) + widths, edges])
    points = points[(points > lo) & (points < hi)]
    value = quad(integrand, lo, hi, points=points, limit=500, epsabs=1e-15, epsrel=1e-12)[0]
    return -2 * tau * tau * value


def likelihood_gap_leading_term(model, centers):
    """The ``tau^4`` coefficient of :func:`likelihood_gap` as ``tau -> 0`` (our expansion).

    Near a Voronoi boundary ``t_i`` between neighbours at gap ``g_i`` the two
    costs differ by ``2 g_i |x - t_i|``; integrating
    ``log(1 + exp(-g_i |u| / tau^2))`` over ``u`` gives ``pi^2 tau^2 / (6 g_i)``,
    so ``2 tau^2 L_tau - G = -(pi^2/3) tau^4 sum_i f(t_i)/g_i + o(tau^4)``
    when ``f`` is continuous at every boundary.

    Paper: Paper 1, Section II-B (the limit); the rate is ours.
    Chapter: book/landscape/bounds.

    Returns
    -------
    float
        ``-(pi^2/3) sum_i f(t_i) / g_i``.

    Examples
    --------
    >>> from kmbook.examples import proposition2
    >>> round(likelihood_gap_leading_term(*proposition2(0.3)), 6)   # one boundary, in ball 1
    -6.092348
    """
    check_model(model)
    if model.d != 1:
        raise ValueError("likelihood_gap_leading_term needs a one-dimensional model (model.d == 1).")
    b = _centres_1d(centers)
    if b.size < 2:
        return 0.0  # one centre: no boundary, and the gap is exactly zero
    g = np.diff(b)
    t = (b[1:] + b[:-1]) / 2
    f = model.pdf(t[:, None])
    return float(-(math.pi**2) / 3 * np.sum(f / g))
