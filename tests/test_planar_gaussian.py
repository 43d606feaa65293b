"""The planar quadrature engine against exact identities, the 1-D engine, finite differences and QMC."""

import numpy as np
import pytest
from scipy.stats import norm

from kmbook.figure1_stationary import figure1_stationary_point, figure1_stationary_tasks, load_figure1_stationary
from kmbook.models import BallMixture, GaussianMixture
from kmbook.planar_gaussian import (
    planar_cost,
    planar_gradient,
    planar_hessian,
    planar_moments,
    planar_stationary_point,
)
from kmbook.population import population_cost, population_gradient, population_hessian
from kmbook.structure import figure1_setup

FIG1 = figure1_setup(sigma=0.5)[0]
B1 = np.array([[-0.9, 6.0], [0.9, 6.0], [-4.0, 0.0], [2.0, 0.0]])


def test_moments_sum_to_the_mixture_moments():
    m = GaussianMixture([[0.0, 0.0], [3.0, 1.0], [-1.0, 4.0]], 0.8)
    mom = planar_moments(m, [[0.2, 0.1], [2.0, 2.0], [-2.0, 3.0], [1.0, -1.5]])
    assert mom.masses.sum() == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_allclose(mom.firsts.sum(axis=0), m.centers.mean(axis=0), atol=1e-12)
    assert mom.seconds.sum() == pytest.approx((m.centers**2).sum(axis=1).mean() + 2 * 0.8**2, abs=1e-11)


def test_collinear_mixture_reduces_to_the_exact_1d_engine():
    m2 = GaussianMixture([[-2.0, 0.0], [0.0, 0.0], [2.0, 0.0]], 0.6)
    m1 = GaussianMixture([[-2.0], [0.0], [2.0]], 0.6)
    b = np.array([-2.3, -1.1, 1.4])
    C = np.c_[b, np.zeros(3)]
    assert planar_cost(m2, C) == pytest.approx(population_cost(m1, b[:, None]) + 0.36, abs=1e-12)
    np.testing.assert_allclose(planar_gradient(m2, C)[:, 0], population_gradient(m1, b[:, None])[:, 0], atol=1e-12)
    H = planar_hessian(m2, C)
    np.testing.assert_allclose(H[::2, ::2], population_hessian(m1, b[:, None]), atol=1e-12)


def test_hessian_matches_finite_differences_of_the_gradient():
    x, h = B1.ravel(), 1e-5
    Hf = np.empty((8, 8))
    for a in range(8):
        e = np.zeros(8)
        e[a] = h
        Hf[:, a] = (planar_gradient(FIG1, (x + e).reshape(4, 2)) - planar_gradient(FIG1, (x - e).reshape(4, 2))
                    ).ravel() / (2 * h)
    np.testing.assert_allclose(planar_hessian(FIG1, B1), Hf, atol=1e-7)


def test_cost_and_gradient_agree_with_the_qmc_engine():
    g, err = population_cost(FIG1, B1, return_error=True)
    assert abs(planar_cost(FIG1, B1) - g) < 4 * err
    grad, gerr = population_gradient(FIG1, B1, return_error=True)
    assert np.all(np.abs(planar_gradient(FIG1, B1) - grad) < 4 * gerr + 1e-9)


def test_quadrature_orders_agree():
    H20, H40 = planar_hessian(FIG1, B1), planar_hessian(FIG1, B1, order=40)
    np.testing.assert_allclose(H20, H40, atol=1e-13)


def test_symmetric_two_fit_three_saddle_against_the_facet_closed_form():
    a = 0.5 * np.sqrt(2 / np.pi)
    x0 = (4 + 0.5 * a) / 1.5
    res = planar_stationary_point(FIG1, [[-a, 6], [a, 6], [-x0, 0], [x0, 0]])
    assert res.converged and res.gradient_norm < 1e-10
    x = res.centers[3, 0]
    slide = np.zeros(8)
    slide[[4, 6]] = 1 / np.sqrt(2)
    apart = np.zeros(8)
    apart[[4, 6]] = [-1 / np.sqrt(2), 1 / np.sqrt(2)]
    # moving-boundary rule on the facet x = 0 between the line centres (distance 2x): "apart"
    # leaves it in place (curvature = their masses), "slide" moves it with the centres
    # (masses - 2x * int_F f dS, where int_F f dS is the middle cluster's marginal phi(0)/sigma/4);
    # the facets with the pair's cells near y = 3 add tail terms of order 1e-6
    m = planar_moments(FIG1, res.centers).masses[2:].sum()
    assert m == pytest.approx(0.75, abs=1e-5)
    assert apart @ res.hessian @ apart == pytest.approx(m, abs=1e-5)
    assert slide @ res.hessian @ slide == pytest.approx(m - 2 * x * norm.pdf(0) / (4 * 0.5), abs=1e-5)
    assert abs(res.eigenvectors[:, 0] @ slide) > 0.999 and res.eigenvalues[0] < -0.3


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="GaussianMixture in d = 2"):
        planar_cost(BallMixture([[0.0, 0.0], [3.0, 0.0]], 1.0), [[0.0, 0.0], [1.0, 0.0]])
    with pytest.raises(ValueError, match="GaussianMixture in d = 2"):
        planar_cost(GaussianMixture([[0.0], [3.0]], 1.0), [[0.0], [1.0]])
    with pytest.raises(ValueError, match="distinct"):
        planar_hessian(FIG1, [[0.0, 0.0], [0.0, 0.0], [1.0, 1.0], [2.0, 2.0]])
    with pytest.raises(ValueError, match="order"):
        planar_moments(FIG1, B1, order=2)


def test_stationary_point_warns_when_it_stops_early():
    from kmbook.exceptions import ConvergenceWarning
    with pytest.warns(ConvergenceWarning, match="newton_steps"):
        res = planar_stationary_point(FIG1, B1, newton_steps=0)
    assert not res.converged


def test_stored_catalogue_reproduces_a_slice():
    stored = load_figure1_stationary()
    tasks = figure1_stationary_tasks()
    assert [(p["name"], p["sigma"]) for p in stored] == [(t["name"], t["sigma"]) for t in tasks]
    for i in (0, 1):  # the two fast Newton tasks
        fresh = figure1_stationary_point(tasks[i])
        np.testing.assert_allclose(fresh["centers"], stored[i]["centers"], atol=1e-9)
        np.testing.assert_allclose(fresh["eigenvalues"], stored[i]["eigenvalues"], atol=1e-9)
        assert fresh["signature"] == stored[i]["signature"]


def test_saddle_free_newton_can_stop_at_a_symmetric_saddle_and_says_so():
    # Saddle-free Newton is repelled by saddles only along gradient components in
    # negative-curvature directions; from the symmetric 2-fit-3 start the gradient is
    # x -> -x symmetric while both unstable directions are antisymmetric, so it stays
    # at that index-2 saddle. The solver must flag it rather than report a minimum.
    from kmbook.exceptions import ConvergenceWarning
    from kmbook.figure1_stationary import _symmetric_two_fit_three
    with pytest.warns(ConvergenceWarning, match="saddle"):
        res = planar_stationary_point(FIG1, _symmetric_two_fit_three(0.5), newton_steps=60, saddle_free=True)
    assert res.converged and not res.is_minimum
    assert np.sum(res.eigenvalues < 0) == 2


def test_saddle_free_newton_ending_at_a_minimum_does_not_warn():
    import warnings

    stored = {p["name"]: p for p in load_figure1_stationary()}["1b, minimum"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = planar_stationary_point(FIG1, np.array(stored["centers"]), newton_steps=5, saddle_free=True)
    assert res.converged and res.is_minimum and res.eigenvalues[0] > 0
