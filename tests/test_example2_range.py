"""Example 2's fixed-point equation: roots below the range end, none beyond it, none on the line."""

import numpy as np
import pytest
from scipy.integrate import quad

from kmbook.example2_range import example2_residual, example2_root_scan
from kmbook.planar_example import example2_minimum, example2_range_end


def _residual_by_quadrature(t, r):
    """Independent: disk segment area and moment by quadrature over chords."""
    A = quad(lambda x: 2 * np.sqrt(max(r * r - x * x, 0.0)), -r, t)[0]
    M = quad(lambda x: 2 * x * np.sqrt(max(r * r - x * x, 0.0)), -r, t)[0]
    D = np.pi * r * r
    return ((-D + M) / (D + A) + (D - M) / (2 * D - A)) / 2 - t


@pytest.mark.parametrize("r,t", [(0.26, -0.2), (0.3, -0.05), (0.4, -0.3)])
def test_residual_against_quadrature(r, t):
    assert example2_residual(t, r) == pytest.approx(_residual_by_quadrature(t, r), abs=1e-10)


@pytest.mark.parametrize("r", [0.255, 0.27, 0.29, 0.3])
def test_a_root_below_the_range_end_matches_the_minimum(r):
    roots, _, _ = example2_root_scan(r)
    t_min, _ = example2_minimum(r)
    assert len(roots) == 1 and abs(roots[0] - t_min) < r / 2000


@pytest.mark.parametrize("r", [0.3012, 0.302, 0.31, 0.35, 0.4, 0.5])
def test_no_root_beyond_the_range_end(r):
    assert r > example2_range_end()
    roots, smallest, step = example2_root_scan(r)
    assert len(roots) == 0 and smallest > step


@pytest.mark.parametrize("r", [0.2501, 0.26, 0.3, 0.4, 0.5])
def test_no_root_on_the_line(r):
    roots, smallest, step = example2_root_scan(r, geometry="line")
    assert len(roots) == 0 and smallest > step


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="geometry"):
        example2_residual(0.0, 0.3, geometry="sphere")
    with pytest.raises(ValueError, match="t must lie"):
        example2_residual(0.5, 0.3, geometry="line")
    with pytest.raises(ValueError, match="r must be at most"):
        example2_root_scan(0.6)
