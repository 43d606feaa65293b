"""Named configurations of Paper 1 (kmbook.examples) against literal copies of the paper."""

import numpy as np
import pytest

from kmbook.examples import PaperExample, example1, example2, figure1, proposition2
from kmbook.objective import classify_critical_point, population_gradient


def test_proposition2_is_the_papers_point_and_a_local_minimum():
    r = 0.3
    model, beta = proposition2(r)
    np.testing.assert_allclose(model.centers.ravel(), [-2.0, 0.0, 2.0])
    assert model.radius == r
    np.testing.assert_allclose(beta.ravel(), [-2.15, -1.85, 1.0], atol=1e-15)
    assert classify_critical_point(model, beta).kind == "strict local minimum"


def test_example1_literal_point_and_far_centre():
    model, beta = example1(0.3, far=2.5)
    np.testing.assert_allclose(model.centers.ravel(), [-1.0, 0.0, 1.0])
    np.testing.assert_allclose(beta.ravel(), [-0.71666666666666667, 0.71666666666666667, 2.5], atol=1e-14)
    assert np.abs(population_gradient(model, beta)).max() < 1e-14


def test_example2_literal_point_is_stationary_only_at_one_quarter():
    model, beta = example2(0.25)
    np.testing.assert_allclose(model.centers, [[-1, 0], [0, 0], [1, 0]])
    np.testing.assert_allclose(beta[:2], [[-1.0, 0.0], [0.5, 0.0]])
    g, e = population_gradient(model, beta, return_error=True, n_points=2**12)
    assert np.all(np.abs(g) <= 4 * e + 1e-12)
    g, e = population_gradient(*example2(0.28), return_error=True, n_points=2**12)
    assert np.abs(g).max() > 20 * e.max()           # not stationary past 1/4


def test_figure1_wraps_the_setup():
    ex = figure1(0.5)
    assert isinstance(ex, PaperExample) and ex.name == "Figure 1"
    model, starts = ex
    assert model.sigma == 0.5 and len(starts) == 4


def test_fresh_arrays_and_clear_errors():
    _, b = proposition2(0.2)
    b[0, 0] = 99.0
    assert proposition2(0.2).centers[0, 0] == pytest.approx(-2.1)
    with pytest.raises(ValueError, match="r must be at most 0.5"):
        example1(0.6)
    with pytest.raises(ValueError, match="r"):
        example2(-0.1)
