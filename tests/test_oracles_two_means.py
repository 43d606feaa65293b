"""Tests of kmbook.oracles.exact_two_means: the exact K = 2 optimum of integer planar points.

Checked against the exhaustive oracle (every partition, N <= 12) on small sets full of
duplicates and collinear points, against a naive enumeration of the line candidates for
N = 30-60, and against an independent rational computation of the returned partition's cost.
"""

from fractions import Fraction
from itertools import combinations

import numpy as np
import pytest

from kmbook.oracles import best_partition, exact_two_means
from kmbook.planted_optimality import partition_cost
from kmbook.sdp_stored import best_line_split


def _rational_cost(X, labels):
    """Within-cluster sum of squares of a partition of integer points, as an exact Fraction."""
    total = Fraction(0)
    for a in np.unique(labels):
        P = [(int(x), int(y)) for x, y in np.asarray(X)[labels == a]]
        mx = Fraction(sum(p[0] for p in P), len(P))
        my = Fraction(sum(p[1] for p in P), len(P))
        total += sum((p[0] - mx) ** 2 + (p[1] - my) ** 2 for p in P)
    return total


def _small_instances():
    rng = np.random.default_rng(20240611)
    out = []
    for n in range(2, 13):
        for _ in range(6):  # a 4 x 4 grid: many duplicates and collinear triples
            out.append(rng.integers(0, 4, size=(n, 2)))
        for _ in range(3):  # wider spread, some negative
            out.append(rng.integers(-50, 51, size=(n, 2)))
        for _ in range(3):  # every point on one line, with repeats
            a, b = rng.integers(-5, 6, size=2), rng.integers(-3, 4, size=2)
            b = b if b.any() else np.array([1, 2])
            out.append(a + rng.integers(-4, 5, size=(n, 1)) * b)
        out.append(np.array([[3, -1]] * (n // 2) + [[-2, 7]] * (n - n // 2)))  # two distinct points
        out.append(np.array([[1, 1]] * (n - 1) + [[1, 2]]))  # one point apart from n - 1 copies
    return out


def test_exact_two_means_matches_the_exhaustive_oracle():
    instances = _small_instances()
    assert len(instances) > 150
    for X in instances:
        res, ref = exact_two_means(X), best_partition(X, 2)
        assert res.cost == pytest.approx(ref.cost, rel=1e-9, abs=1e-12), X.tolist()
        assert res.exact_cost == _rational_cost(X, res.labels), X.tolist()
        assert res.cost == float(res.exact_cost)
        assert set(res.labels.tolist()) == {0, 1} and res.labels[0] == 0


def _line_candidates_cost(X):
    """Naive: every line through two distinct points, both open sides, every prefix of the
    on-line points, each candidate's cost from the definition (float)."""
    X = np.asarray(X, dtype=np.int64)
    best = np.inf
    distinct = np.unique(X, axis=0)
    for p, q in combinations(distinct, 2):
        d = q - p
        cross = d[0] * (X[:, 1] - p[1]) - d[1] * (X[:, 0] - p[0])
        t = (X - p) @ d
        stops = np.unique(t[cross == 0])
        for sign in (1, -1):
            for j in range(stops.size + 1):
                A = (sign * cross > 0) | ((cross == 0) & (t < (stops[j] if j < stops.size else np.inf)))
                if 0 < A.sum() < len(X):
                    best = min(best, partition_cost(X.astype(float), A.astype(int)))
    return best


@pytest.mark.parametrize("n,spread,seed", [(30, 4, 0), (40, 6, 1), (45, 3, 2), (60, 8, 3), (50, 1000, 4)])
def test_exact_two_means_matches_the_naive_line_enumeration(n, spread, seed):
    X = np.random.default_rng(seed).integers(0, spread, size=(n, 2))
    res = exact_two_means(X)
    assert res.cost == pytest.approx(_line_candidates_cost(X), rel=1e-9)
    assert res.exact_cost == _rational_cost(X, res.labels)
    # a grid of directions finds an upper bound (its float value can sit a few ulps low)
    assert res.cost <= best_line_split(X, 720)[0] * (1 + 1e-12)


def test_exact_two_means_is_invariant_under_symmetries():
    X = np.random.default_rng(7).integers(-20, 21, size=(80, 2))
    X = np.vstack([X, X[:5], [[0, 0], [3, 3], [6, 6], [9, 9]]])  # copies and a collinear run
    res = exact_two_means(X)
    perm = np.random.default_rng(8).permutation(len(X))
    for Y in (X[perm], X[:, ::-1], X + [1000, -77], np.column_stack([-X[:, 1], X[:, 0]]), -X):
        assert exact_two_means(Y).exact_cost == res.exact_cost
    assert res.n_candidates > 0 and res.n_exact >= 1


def test_exact_two_means_of_identical_points():
    res = exact_two_means(np.full((5, 2), 4))
    assert res.cost == 0.0 and res.labels.tolist() == [0, 1, 1, 1, 1]


@pytest.mark.parametrize("X,match", [
    ([[0.5, 0.0], [1.0, 2.0]], "X must have integer coordinates"),
    ([0.0, 1.0, 2.0], "X must be 2-D"),
    (np.zeros((4, 3)), r"X must be an \(N, 2\) array"),
    ([[1, 2]], "X must have at least 2"),
    ([[0, 0], [2 ** 20 + 1, 0]], "X's coordinates must lie in"),
    ([[0, 0], [np.nan, 1]], "X"),
])
def test_exact_two_means_rejects_bad_input(X, match):
    with pytest.raises(ValueError, match=match):
        exact_two_means(X)
