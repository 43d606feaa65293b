import numpy as np
import pytest

from kmbook._validation import (
    as_generator,
    as_labels,
    as_points,
    check_int,
    check_n_clusters,
    check_nonnegative,
    check_positive,
    spawn_generators,
)


def test_as_points_converts_and_copies_to_float64():
    arr = as_points([[1, 2], [3, 4]])
    assert arr.dtype == np.float64 and arr.flags.c_contiguous
    as_points(np.asfortranarray(np.ones((3, 2)))).flags.c_contiguous


@pytest.mark.parametrize(
    "bad,exc", [(None, TypeError), ("x", TypeError), ([[1 + 2j]], TypeError), ([[np.inf]], ValueError)]
)
def test_as_points_rejects(bad, exc):
    with pytest.raises(exc, match="X"):
        as_points(bad)


def test_as_labels():
    assert as_labels([0, 2, 1]).dtype == np.int64
    assert as_labels(np.array([0.0, 1.0])).tolist() == [0, 1]
    with pytest.raises(TypeError, match="labels must hold integers"):
        as_labels([0.5, 1.0])
    with pytest.raises(ValueError, match="non-negative"):
        as_labels([0, -1])
    with pytest.raises(ValueError, match="one entry per data point"):
        as_labels([0, 1], n_samples=3)


def test_scalar_checks():
    assert check_int(np.int64(3), "k") == 3
    with pytest.raises(TypeError, match="k must be an integer"):
        check_int(True, "k")
    assert check_n_clusters(2, 2) == 2
    with pytest.raises(ValueError, match="k=3 must be <= the number of points n=2"):
        check_n_clusters(3, 2)
    with pytest.raises(ValueError, match="r must be > 0"):
        check_positive(0.0, "r")
    assert check_nonnegative(0, "tol") == 0.0
    with pytest.raises(ValueError, match="finite"):
        check_nonnegative(float("nan"), "tol")


def test_generators_are_reproducible_and_independent():
    a = as_generator(5).random(3)
    b = as_generator(5).random(3)
    np.testing.assert_array_equal(a, b)
    g = np.random.default_rng(1)
    assert as_generator(g) is g
    kids = spawn_generators(9, 3)
    draws = [k.random() for k in kids]
    assert len(set(draws)) == 3
    assert draws == [k.random() for k in spawn_generators(9, 3)]
    with pytest.raises(TypeError, match="global numpy.random state is never used"):
        as_generator(np.random.RandomState(0))
    with pytest.raises(ValueError, match="non-negative"):
        as_generator(-1)
