"""Example 2 in the plane: exact reduction and Hessian against independent computations."""

import math

import numpy as np
import pytest
from scipy.integrate import quad

from kmbook.examples import example2
from kmbook.lloyd import population_lloyd
from kmbook.planar_example import (
    centres_given_boundary,
    example2_hessian,
    example2_minimum,
    example2_range_end,
    finite_difference_hessian,
    segment,
)


@pytest.mark.parametrize("t", [-0.26, -0.2, 0.0, 0.13])
def test_segment_against_quadrature(t):
    r = 0.27
    A, M = segment(t, r)
    assert A == pytest.approx(quad(lambda x: 2 * math.sqrt(r * r - x * x), -r, t, epsabs=1e-13)[0], abs=1e-11)
    assert M == pytest.approx(quad(lambda x: 2 * x * math.sqrt(r * r - x * x), -r, t, epsabs=1e-13)[0], abs=1e-11)


def test_minimum_is_a_fixed_point_and_matches_planar_lloyd():
    r = 0.27
    t, C = example2_minimum(r)
    b1, b2 = centres_given_boundary(t, r)
    assert (b1 + b2) / 2 == pytest.approx(t, abs=1e-13)
    fit = population_lloyd(example2(r).model, C, n_points=2**13)
    assert np.abs(fit.centers[:2] - C[:2]).max() < 1e-3


def test_range_end_is_where_the_x_block_degenerates():
    r_end = example2_range_end()
    assert 0.300 < r_end < 0.302
    lam = [np.linalg.eigvalsh(example2_hessian(r)).min() for r in (0.29, 0.3, 0.3009)]
    assert lam[0] > lam[1] > lam[2] > 0 and lam[2] < 1e-2
    with pytest.raises(ValueError, match="exists only for r <"):
        example2_minimum(0.31)


def test_hessian_matches_finite_differences_of_the_qmc_gradient():
    r = 0.28
    _, C = example2_minimum(r)
    H = example2_hessian(r)
    F, E = finite_difference_hessian(example2(r).model, C, h=3e-3, n_points=2**14)
    assert np.all(np.abs(F[:4, :4] - H) <= 4 * E[:4, :4] + 2e-3)
    assert np.linalg.eigvalsh(H).min() > 0.1


def test_hessian_at_one_quarter_is_twice_the_masses():
    np.testing.assert_allclose(np.diag(example2_hessian(0.25)), [2 / 3, 2 / 3, 4 / 3, 4 / 3], atol=1e-12)


def test_on_axis_cost_matches_hessian_block_and_closed_form():
    from kmbook.planar_example import on_axis_cost

    # r = 1/4: every disk whole in one cell, G = (3 r^2/2 + 1/4 + 1/4) / 3
    assert on_axis_cost(-1.0, 0.5, 0.25) == pytest.approx((3 / 32 + 0.5) / 3, abs=1e-14)
    r = 0.28
    _, C = example2_minimum(r)
    a, b, h = C[0, 0], C[1, 0], 1e-3
    haa = (on_axis_cost(a + h, b, r) - 2 * on_axis_cost(a, b, r) + on_axis_cost(a - h, b, r)) / h**2
    assert haa == pytest.approx(example2_hessian(r)[0, 0], abs=1e-5)
    with pytest.raises(ValueError, match="a < b"):
        on_axis_cost(0.5, -1.0, r)
