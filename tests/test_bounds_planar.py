"""Tests of kmbook.bounds_planar: D and rho of inequality (19) against direct quadrature."""

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.stats import norm

from kmbook.bounds_planar import inequality19_planar
from kmbook.models import BallMixture, GaussianMixture


def test_gaussian_facet_part_against_quadrature():
    # centres (-1, 0), (1, 0): facet the line x = 0; cluster at (0.5, 2), sigma 0.7
    sigma, R = 0.7, 1.5
    m = GaussianMixture([[0.5, 2.0]], sigma=sigma)
    (row,) = inequality19_planar(m, [[-1.0, 0.0], [1.0, 0.0]], R)
    half = np.sqrt(R**2 - 0.25)
    a, b = 2.0 - half, 2.0 + half
    assert row["D"] == pytest.approx(a)
    dens = quad(lambda y: norm.pdf(0.5, 0, sigma) * norm.pdf(y, 2.0, sigma), a, b)[0]
    assert row["rho"] == pytest.approx(dens, rel=1e-10)
    assert row["value"] == pytest.approx(a * a * dens / 1.0)


def test_third_centre_cuts_the_facet():
    # a third centre at (0, 3) ends the facet of the first two at y = 1.5 + 1/6
    m = BallMixture([[0.0, 2.0]], radius=1.0)
    rows = inequality19_planar(m, [[-1.0, 0.0], [1.0, 0.0], [0.0, 3.0]], 1.0)
    (row,) = [r for r in rows if (r["i"], r["j"]) == (0, 1)]
    top = (9 - 1) / 6  # |(0,y)-(0,3)|^2 = |(0,y)-(-1,0)|^2  ->  y = 4/3
    assert row["D"] == pytest.approx(1.0)
    assert row["rho"] == pytest.approx((top - 1.0) / np.pi)


def test_midpoint_inside_gives_zero_and_bad_radius_raises():
    m = BallMixture([[0.0, 0.0]], radius=1.0)
    (row,) = inequality19_planar(m, [[-0.5, 0.0], [0.5, 0.0]], 1.0)
    assert row["D"] == 0.0 and row["value"] == 0.0
    with pytest.raises(ValueError, match="radius"):
        inequality19_planar(m, [[-0.5, 0.0], [0.5, 0.0]], -1.0)
