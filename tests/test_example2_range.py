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


def test_enclosures_contain_the_residual_and_its_derivative():
    from kmbook.example2_range import _enclosures
    rng = np.random.default_rng(7)
    for geometry in ("plane", "line"):
        for _ in range(200):
            r = rng.uniform(0.2502, 0.5)
            a = -r + rng.uniform(0, r)
            b = min(a + rng.uniform(0, 0.05), 0.0)
            F, dF = _enclosures(a, b, r, geometry)
            for t in np.linspace(a, b, 5):
                assert F[0] - 1e-12 <= example2_residual(t, r, geometry=geometry) <= F[1] + 1e-12
                h = 1e-7
                if -r <= t - h and t + h <= 0:
                    dv = (example2_residual(t + h, r, geometry=geometry)
                          - example2_residual(t - h, r, geometry=geometry)) / (2 * h)
                    assert dF[0] - 1e-5 <= dv <= dF[1] + 1e-5


@pytest.mark.parametrize("gap", [1e-4, 3e-4, 1e-3, 3e-3, 1e-2])
def test_no_root_is_proved_just_beyond_the_range_end(gap):
    from kmbook.example2_range import example2_no_root_certificate
    ok, _, failed = example2_no_root_certificate(example2_range_end() + gap)
    assert ok and not failed


@pytest.mark.parametrize("r", [0.2501, 0.26, 0.3, 0.4, 0.5])
def test_no_root_is_proved_on_the_line(r):
    from kmbook.example2_range import example2_no_root_certificate
    assert example2_no_root_certificate(r, geometry="line")[0]


@pytest.mark.parametrize("r", [0.255, 0.28, 0.3])
def test_the_certificate_fails_where_a_root_exists(r):
    from kmbook.example2_range import example2_no_root_certificate
    t_min, _ = example2_minimum(r)
    ok, _, failed = example2_no_root_certificate(r, max_depth=30)
    assert not ok and failed
    if r < 0.3:  # few failed cells: the root's cell is among them
        assert any(a <= t_min <= b for a, b in failed)
