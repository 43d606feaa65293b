"""The hypotheses and explicit constants of Paper 1's structure theorems, evaluated.

Theorems 1-2 of the paper hold "for some constant c"; their quantitative
versions, Theorem 3 (ball model) and Theorem 5 (Gaussian mixture), state
the constants. This module turns every hypothesis into a number: the
smallest admissible tail parameter ``t`` of Theorem 2, the separations
``eta_max`` and ``eta_min`` each theorem then asks for, the error bounds of
Theorem 3, and the Gaussian tail bound (50) that the proof of Theorem 6 uses.

Conventions (the paper's Section II-C): for balls of radius ``r``,
``eta = Delta / r``; for Gaussians, ``eta = Delta / (sigma sqrt(min(d, k + k*)))``.
A *layout ratio* ``rho = eta_max / eta_min = Delta_max / Delta_min`` is fixed
by the true centres; shrinking the noise scales both SNRs together.

Paper: Paper 1 (Qian, Zhang and Chen), Theorems 1, 2, 3 and 5, eq. (50).
Chapter: book/landscape/figure1.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np
from scipy import optimize, stats

__all__ = ["phi", "smallest_t_theorem2", "theorem2_requirements", "theorem2_holds",
           "theorem2_smallest_eta_min", "theorem3_requirements", "theorem3_holds",
           "theorem3_bounds", "theorem3_smallest_eta_min", "theorem5_requirements",
           "gaussian_tail", "Requirements", "theorem6_part2b_bound", "theorem5_step_i_bound",
           "theorem5_one_fit_one_bound"]


def _positive_int(x, name):
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"{name} must be a positive integer, got {x!r} of type {type(x).__name__}")
    if not np.isfinite(x) or int(x) != x or x < 1:
        raise ValueError(f"{name} must be a positive integer, got {x!r}")
    return int(x)


def _positive(x, name):
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"{name} must be a positive finite number, got {x!r} of type {type(x).__name__}")
    if not (np.isfinite(x) and x > 0):
        raise ValueError(f"{name} must be a positive finite number, got {x!r}")
    return float(x)


def phi(t, d, k, k_star, *, version="theorem2"):
    """The tail term ``phi(t) = 2 exp(-t^2 m / 8)`` of Theorems 2 and 5.

    Parameters
    ----------
    t : float
        The tail parameter (the ball radius is ``t sigma sqrt(m)``).
    d, k, k_star : int
        Dimension, number of fitted centres, number of clusters.
    version : {"theorem2", "theorem5"}
        ``m = min(d, max(k, k*))`` as printed in Theorem 2, or
        ``m = min(d, k + k*)`` as in Theorem 5 and its proof.
    """
    d, k, k_star = (_positive_int(v, n) for v, n in ((d, "d"), (k, "k"), (k_star, "k_star")))
    if version == "theorem2":
        m = min(d, max(k, k_star))
    elif version == "theorem5":
        m = min(d, k + k_star)
    else:
        raise ValueError(f"version must be 'theorem2' or 'theorem5', got {version!r}")
    return 2.0 * math.exp(-float(t) ** 2 * m / 8.0)


def smallest_t_theorem2(d, k, k_star):
    """The infimum of the admissible ``t`` of Theorem 2.

    Theorem 2 asks for ``t >= 1``, ``phi(t) < 1/4`` and ``7 k~ phi(t) < 1``
    with ``k~ = max(k, k*)``; with ``m = min(d, k~)`` the last two read
    ``t^2 > 8 ln 8 / m`` and ``t^2 > 8 ln(14 k~) / m``. The two strict
    inequalities make the returned value an infimum (not attained unless it is 1).
    """
    d, k, k_star = (_positive_int(v, n) for v, n in ((d, "d"), (k, "k"), (k_star, "k_star")))
    kt = max(k, k_star)
    m = min(d, kt)
    return max(1.0, math.sqrt(8 * math.log(8) / m), math.sqrt(8 * math.log(14 * kt) / m))


@dataclass(frozen=True)
class Requirements:
    """What a theorem asks of ``eta_max`` and ``eta_min`` (with the strictness of each)."""

    eta_max_min: float
    eta_max_strict: bool
    eta_min_min: float
    detail: dict


def theorem2_requirements(t, c, d, k, k_star, eta_max):
    """Theorem 2's conditions at a given ``t``, ``c`` and ``eta_max``.

    Returns the bound ``16 t c^2`` on ``eta_max`` and the bound
    ``7 c sqrt(t eta_max) + 7 phi(t) eta_max`` on ``eta_min``.
    """
    t, c, eta_max = _positive(t, "t"), _positive(c, "c"), _positive(eta_max, "eta_max")
    p = phi(t, d, k, k_star)
    return Requirements(16 * t * c * c, False, 7 * c * math.sqrt(t * eta_max) + 7 * p * eta_max,
                        dict(phi=p, t_admissible=bool(t >= 1 and p < 0.25 and 7 * max(k, k_star) * p < 1)))


def theorem2_holds(t, c, d, k, k_star, eta_min, eta_max):
    """Whether every hypothesis of Theorem 2 holds (``t`` admissible, both SNR bounds)."""
    req = theorem2_requirements(t, c, d, k, k_star, eta_max)
    return bool(req.detail["t_admissible"] and eta_max >= req.eta_max_min and eta_min >= req.eta_min_min)


def theorem2_smallest_eta_min(rho, c, d, k, k_star, t=None):
    """The smallest ``eta_min`` that satisfies Theorem 2 for a layout with ``eta_max = rho eta_min``.

    At a fixed ``t`` the two conditions give the closed form
    ``eta_min = max(49 c^2 t rho / (1 - 7 phi(t) rho)^2, 16 t c^2 / rho)``
    (infinite when ``7 phi(t) rho >= 1``). With ``t=None`` the value is
    minimised over admissible ``t``; returns ``(eta_min, t)``.
    """
    rho, c = _positive(rho, "rho"), _positive(c, "c")

    def at(tt):
        p = phi(tt, d, k, k_star)
        if 7 * p * rho >= 1:
            return math.inf
        return max(49 * c * c * tt * rho / (1 - 7 * p * rho) ** 2, 16 * tt * c * c / rho)

    if t is not None:
        return at(_positive(t, "t")), float(t)
    lo = smallest_t_theorem2(d, k, k_star) * (1 + 1e-12)
    res = optimize.minimize_scalar(lambda tt: math.log(at(tt)) if np.isfinite(at(tt)) else 1e3,
                                   bounds=(lo, lo + 30), method="bounded", options=dict(xatol=1e-10))
    return at(res.x), float(res.x)


def _c3(c, k, k_star):
    return 2 * c * k * k * (1 + 2 * k_star / k) + 4 * k_star * (3 + 2 * k_star / k)


def theorem3_requirements(c, k, k_star, eta_max):
    """Theorem 3's conditions: ``eta_max > 4 c^2 k^4`` and ``eta_min >= C3 sqrt(eta_max)``,
    ``C3 = 2ck^2(1 + 2k*/k) + 4k*(3 + 2k*/k)``, for ``c >= 3``."""
    c, eta_max = _positive(c, "c"), _positive(eta_max, "eta_max")
    if c < 3:
        raise ValueError(f"Theorem 3 needs c >= 3, got c = {c}")
    k, k_star = _positive_int(k, "k"), _positive_int(k_star, "k_star")
    C3 = _c3(c, k, k_star)
    return Requirements(4 * c * c * k ** 4, True, C3 * math.sqrt(eta_max), dict(C3=C3))


def theorem3_holds(c, k, k_star, eta_min, eta_max):
    """Whether both SNR hypotheses of Theorem 3 hold."""
    eta_min = _positive(eta_min, "eta_min")
    req = theorem3_requirements(c, k, k_star, eta_max)
    return bool(eta_max > req.eta_max_min and eta_min >= req.eta_min_min)


def theorem3_bounds(c, k, k_star, eta_max):
    """Theorem 3's conclusions as numbers: errors divided by ``Delta_max`` and the empty mass.

    Returns a dict with ``one_fit_one`` = ``(4k* + 2ck^2)(1 + 2k*/k)/sqrt(eta_max)``,
    ``one_fit_many`` = ``C3/sqrt(eta_max)`` and ``almost_empty`` = ``ck/sqrt(eta_max)``.
    """
    c, eta_max = _positive(c, "c"), _positive(eta_max, "eta_max")
    k, k_star = _positive_int(k, "k"), _positive_int(k_star, "k_star")
    s = math.sqrt(eta_max)
    return dict(one_fit_one=(4 * k_star + 2 * c * k * k) * (1 + 2 * k_star / k) / s,
                one_fit_many=_c3(c, k, k_star) / s, almost_empty=c * k / s)


def theorem3_smallest_eta_min(rho, c, k, k_star):
    """The smallest ``eta_min`` meeting Theorem 3 for a layout with ``eta_max = rho eta_min``.

    ``eta_min >= C3 sqrt(rho eta_min)`` gives ``eta_min >= C3^2 rho``; the strict
    ``rho eta_min > 4c^2k^4`` is an infimum. Returns ``max(C3^2 rho, 4c^2k^4/rho)``.
    """
    rho = _positive(rho, "rho")
    C3 = theorem3_requirements(c, k, k_star, 1.0).detail["C3"]
    return max(C3 * C3 * rho, 4 * c * c * k ** 4 / rho)


def theorem5_requirements(t, c, d, k, k_star, eta_max):
    """Theorem 5's conditions: ``eta_max >= 16 t c^2 k^4`` and
    ``eta_min >= [k*/(k sqrt t) (2 + c sqrt(t/eta_max)) + 3ck(k* + k) sqrt t] sqrt(eta_max)
    + 2(2k* + 1) phi(t) eta_max``, with ``phi`` over ``min(d, k + k*)``."""
    t, c, eta_max = _positive(t, "t"), _positive(c, "c"), _positive(eta_max, "eta_max")
    k, k_star = _positive_int(k, "k"), _positive_int(k_star, "k_star")
    p = phi(t, d, k, k_star, version="theorem5")
    st, se = math.sqrt(t), math.sqrt(eta_max)
    need = ((k_star / (k * st) * (2 + c * st / se) + 3 * c * k * (k_star + k) * st) * se
            + 2 * (2 * k_star + 1) * p * eta_max)
    return Requirements(16 * t * c * c * k ** 4, False, need, dict(phi=p, t_admissible=bool(p < 0.25)))


def gaussian_tail(t, d):
    """``P(||Z|| > t sqrt(d))`` for a standard Gaussian ``Z`` in ``R^d`` (a chi-square tail).

    The proof of Theorem 6 bounds it by ``phi(t) = 2 exp(-t^2 d / 8)`` (its eq. (50)).
    """
    d = _positive_int(d, "d")
    return float(stats.chi2.sf(float(t) ** 2 * d, d))


def _gauss_terms(t, c, d, k, k_star, eta_max):
    t, c, eta_max = _positive(t, "t"), _positive(c, "c"), _positive(eta_max, "eta_max")
    k, k_star, d = _positive_int(k, "k"), _positive_int(k_star, "k_star"), _positive_int(d, "d")
    dd = min(d, k + k_star)
    sigma = 1.0 / (eta_max * math.sqrt(dd))            # Delta_max = 1
    lam_r = c * math.sqrt(t / eta_max)                  # lambda r with lambda = c / sqrt(r Delta)
    return t, c, eta_max, k, k_star, sigma, lam_r, phi(t, d, k, k_star, version="theorem5")


def theorem6_part2b_bound(t, c, d, k, k_star, eta_max):
    """Theorem 6, Part 2(b): the bound on ``||beta_i - b_i||`` over ``Delta_max`` with
    ``lambda = c / sqrt(r Delta_max)`` and ``r = t sigma sqrt(d')``, ``d' = min(d, k + k*)``."""
    t, c, eta_max, k, ks, s, lr, p = _gauss_terms(t, c, d, k, k_star, eta_max)
    a = k * k * lr + p
    if a >= 1:
        return math.inf
    return (2 * ks * s / (1 - a)
            + 2 * s * math.sqrt(a) * (1 + (ks * k - k * k) * lr + (ks - 1) * p) / (1 - a) ** 2
            + ((2 * ks + k) * k * lr + (2 * ks + 1) * p) / (1 - a))


def theorem5_step_i_bound(t, c, d, k, k_star, eta_max):
    """The right-hand side after step (i) of the paper's display (49), over ``Delta_max``."""
    t, c, eta_max, k, ks, s, lr, p = _gauss_terms(t, c, d, k, k_star, eta_max)
    st, se = math.sqrt(t), math.sqrt(eta_max)
    return (4 * ks * s + 4 * math.sqrt(2) * s * (1 + c * (ks * k - k * k) * st / se + (ks - 1) * p)
            + 2 * (c * (2 * ks + k) * k * st / se + (2 * ks + 1) * p))


def theorem5_one_fit_one_bound(t, c, d, k, k_star, eta_max):
    """Theorem 5's many/one-fit-one bound (46) over ``Delta_max``:
    ``(2k*/(ck sqrt t) + 2ck(k* + k) sqrt t)/sqrt(eta_max) + 7k* phi(t)``."""
    t, c, eta_max, k, ks, s, lr, p = _gauss_terms(t, c, d, k, k_star, eta_max)
    st = math.sqrt(t)
    return (2 * ks / (c * k * st) + 2 * c * k * (ks + k) * st) / math.sqrt(eta_max) + 7 * ks * p
