"""Closed forms of kmbook.theorem_conditions against direct evaluations of the hypotheses."""

import math

import numpy as np
import pytest
from scipy import integrate, stats

from kmbook.theorem_conditions import (
    gaussian_tail,
    phi,
    smallest_t_theorem2,
    theorem2_holds,
    theorem2_requirements,
    theorem2_smallest_eta_min,
    theorem3_bounds,
    theorem3_holds,
    theorem3_requirements,
    theorem3_smallest_eta_min,
    theorem5_requirements,
)


def test_phi_versions():
    assert phi(2.0, 2, 4, 4) == pytest.approx(2 * math.exp(-1.0))
    assert phi(2.0, 10, 4, 3, version="theorem2") == pytest.approx(2 * math.exp(-2.0))
    assert phi(2.0, 10, 4, 3, version="theorem5") == pytest.approx(2 * math.exp(-3.5))
    with pytest.raises(ValueError, match="version"):
        phi(1.0, 2, 2, 2, version="x")


@pytest.mark.parametrize("d,k,ks", [(2, 4, 4), (1, 3, 3), (5, 2, 6), (50, 40, 40)])
def test_smallest_t_is_the_boundary_of_admissibility(d, k, ks):
    t = smallest_t_theorem2(d, k, ks)
    kt = max(k, ks)

    def ok(tt):
        p = phi(tt, d, k, ks)
        return tt >= 1 and p < 0.25 and 7 * kt * p < 1

    assert ok(t * (1 + 1e-9)) or t == 1.0
    assert not ok(t * (1 - 1e-6))


def test_figure1_setting_numbers():
    t = smallest_t_theorem2(2, 4, 4)
    assert t == pytest.approx(2 * math.sqrt(math.log(56)))
    req = theorem2_requirements(t, 3.0, 2, 4, 4, 11.3137)
    assert req.eta_max_min == pytest.approx(16 * t * 9)
    assert req.eta_min_min == pytest.approx(21 * math.sqrt(t * 11.3137) + 7 * 11.3137 / 28, rel=1e-6)


@pytest.mark.parametrize("rho,t", [(2.0, None), (2.0, 4.5), (1.3, 6.0), (3.0, None)])
def test_smallest_eta_min_theorem2_against_bisection(rho, t):
    kw = dict(d=2, k=4, k_star=4)
    eta, tt = theorem2_smallest_eta_min(rho, 3.0, t=t, **kw)
    assert theorem2_holds(tt, 3.0, eta_min=eta * (1 + 1e-9), eta_max=rho * eta * (1 + 1e-9), **kw)
    assert not theorem2_holds(tt, 3.0, eta_min=eta * (1 - 1e-6), eta_max=rho * eta * (1 - 1e-6), **kw)
    if t is None:   # no admissible t on a grid does better than the optimum
        grid = np.linspace(smallest_t_theorem2(**kw) * 1.0001, 30, 3000)
        best = min(theorem2_smallest_eta_min(rho, 3.0, t=g, **kw)[0] for g in grid)
        assert eta <= best * (1 + 1e-6)


def test_theorem3_numbers_quoted_by_the_referee():
    req = theorem3_requirements(3.0, 4, 4, 1.0)
    assert req.detail["C3"] == 368 and req.eta_max_min == 9216
    assert theorem3_smallest_eta_min(1.0, 3.0, 4, 4) == 368 ** 2
    eta = theorem3_smallest_eta_min(2.0, 3.0, 4, 4)
    assert theorem3_holds(3.0, 4, 4, eta, 2 * eta)
    assert not theorem3_holds(3.0, 4, 4, eta * 0.999, 2 * eta * 0.999)
    b = theorem3_bounds(3.0, 4, 4, 10000.0)
    assert b["one_fit_one"] == pytest.approx((16 + 96) * 3 / 100)
    assert b["one_fit_many"] == pytest.approx(3.68)
    assert b["almost_empty"] == pytest.approx(0.12)
    with pytest.raises(ValueError, match="c >= 3"):
        theorem3_requirements(2.0, 4, 4, 1.0)


def test_theorem5_requirement_formula():
    t, c, k, ks, eta = 4.0, 3.0, 4, 4, 1e6
    p = 2 * math.exp(-t * t * 2 / 8)
    want = (ks / (k * 2) * (2 + c * 2 / 1000) + 3 * c * k * 8 * 2) * 1000 + 2 * 9 * p * eta
    req = theorem5_requirements(t, c, 2, k, ks, eta)
    assert req.eta_min_min == pytest.approx(want)
    assert req.eta_max_min == pytest.approx(16 * t * 9 * 256)


@pytest.mark.parametrize("t,d", [(1.0, 1), (1.5, 3), (2.0, 20), (1.2, 80)])
def test_gaussian_tail_against_quadrature(t, d):
    # P(||Z|| > t sqrt d) from the chi density integrated numerically
    def dens(x):
        return stats.chi.pdf(x, d)

    val, _ = integrate.quad(dens, t * math.sqrt(d), np.inf, epsabs=1e-14)
    assert gaussian_tail(t, d) == pytest.approx(val, rel=1e-6, abs=1e-14)


def test_gaussian_bounds_against_direct_arithmetic():
    from kmbook.theorem_conditions import theorem5_one_fit_one_bound, theorem5_step_i_bound, theorem6_part2b_bound
    k = ks = 4
    t, c, d = 10.0, 3.0, 2
    eta = 16 * t * c * c * k ** 4                 # the smallest eta_max Theorem 5 allows
    p = 2 * math.exp(-t * t * 2 / 8)
    lr = c * math.sqrt(t / eta)                   # = 1/(4 k^2) here
    assert lr == pytest.approx(1 / 64)
    sigma = 1 / (eta * math.sqrt(2))
    a = 16 * lr + p
    third = ((2 * ks + k) * k * lr + (2 * ks + 1) * p) / (1 - a)
    assert theorem6_part2b_bound(t, c, d, k, ks, eta) == pytest.approx(
        2 * ks * sigma / (1 - a) + 2 * sigma * math.sqrt(a) * (1 + 0 + 3 * p) / (1 - a) ** 2 + third)
    # step (i) doubles the last term's 1/(1 - a) <= 2 and the middle one's 1/(1 - a)^2 <= 4
    assert theorem5_step_i_bound(t, c, d, k, ks, eta) == pytest.approx(
        4 * ks * sigma + 4 * math.sqrt(2) * sigma * (1 + 3 * p) + 2 * (12 * 4 * lr + 9 * p))
    assert theorem5_one_fit_one_bound(t, c, d, k, ks, eta) == pytest.approx(
        (8 / (12 * math.sqrt(t)) + 2 * 3 * 4 * 8 * math.sqrt(t)) / math.sqrt(eta) + 28 * p)
    # the paper's step (ii) claims step (i) <= (46); it is not so here
    assert theorem5_step_i_bound(t, c, d, k, ks, eta) > 1.4 * theorem5_one_fit_one_bound(t, c, d, k, ks, eta)
