"""Tests of kmbook.recovery: bisection thresholds, recovery grids, Section 5 tables."""

from concurrent.futures import ThreadPoolExecutor
from functools import partial

import numpy as np
import pytest

from kmbook import recovery as rc
from kmbook.geometries import far_cluster_data, section5_data
from kmbook.proximity import threshold_scale
from kmbook.sdp import exactness_error, peng_wei


def test_recovery_threshold_brackets_the_transition():
    make = partial(section5_data, "line", 3, n=4)
    r = rc.recovery_threshold(make, 1.5, 4.5, tol=0.05)
    lo, hi = r.bracket
    assert hi - lo <= 0.05 and r.threshold == hi and r.n_solves == len(r.errors)
    assert r.errors[hi] <= 1e-4 and r.errors[lo] > 1e-4
    # independent re-solves on both sides
    X, lab = make(hi)
    assert exactness_error(peng_wei(X, 3).Z, lab) <= 1e-4
    X, lab = make(lo)
    assert exactness_error(peng_wei(X, 3).Z, lab) > 1e-4
    # Theorem 3.1: exact wherever (1.1) holds, so the empirical threshold cannot exceed (1.1)'s
    X1, lab = make(1.0)
    assert hi <= threshold_scale(X1, lab) + 0.05


def test_recovery_threshold_checks_its_bracket():
    make = partial(section5_data, "line", 2, n=4)
    with pytest.raises(ValueError, match="not exact at hi"):
        rc.recovery_threshold(make, 1.0, 1.5)
    with pytest.raises(ValueError, match="already exact at lo"):
        rc.recovery_threshold(make, 4.0, 4.5)
    with pytest.raises(ValueError, match="lo < hi"):
        rc.recovery_threshold(make, 4.0, 3.0)
    with pytest.raises(TypeError, match="callable"):
        rc.recovery_threshold(3, 1.0, 2.0)
    with pytest.raises(ValueError, match="relaxation"):
        rc.recovery_threshold(make, 1.0, 5.0, relaxation="lp")


def test_recovery_grid_and_peng_wei_exact_implies_amini_levina_exact():
    make = partial(far_cluster_data, n=4, distance=40.0)
    xs, ys = [2.2, 3.0, 4.5], [1.0, 8.0]
    grid = rc.recovery_grid(make, xs, ys, progress=False)
    pw, al = grid["peng_wei"]["exact"], grid["amini_levina"]["exact"]
    assert pw.shape == al.shape == (2, 3)
    # AL's feasible set is inside PW's and contains the balanced truth: PW exact => AL exact
    assert np.all(al[pw])
    X, lab = make(xs[2], ys[1])
    Z = peng_wei(X, 3).Z
    assert grid["peng_wei"]["error"][1, 2] == pytest.approx(exactness_error(Z, lab), abs=1e-9)
    # block summaries against a direct loop over the planted clusters
    blocks = [[Z[np.ix_(lab == a, lab == b)] for b in range(3)] for a in range(3)]
    assert grid["peng_wei"]["block_trace"][1, 2] == pytest.approx(
        [np.trace(blocks[a][a]) for a in range(3)], abs=1e-9)
    assert np.allclose(grid["peng_wei"]["block_sums"][1, 2],
                       [[blocks[a][b].sum() for b in range(3)] for a in range(3)], atol=1e-9)
    # AL's diagonal constraint fixes every block trace at 1; row sums give n_a per block row
    assert np.allclose(grid["amini_levina"]["block_trace"], 1, atol=1e-5)
    assert np.allclose(grid["peng_wei"]["block_sums"].sum(axis=-1), 4, atol=1e-5)
    with ThreadPoolExecutor(2) as ex:  # same answers through an executor
        again = rc.recovery_grid(make, xs, ys, executor=ex, progress=False)
    assert np.array_equal(again["amini_levina"]["exact"], al)


def test_section5_thresholds_are_ordered():
    rows = rc.section5_thresholds(["circle", "hive"], [3], n=4, tol=0.05, progress=False)
    assert [r["layout"] for r in rows] == ["circle", "hive"]
    for r in rows:
        # empirical <= sharp certificate <= (1.1), and the bracket is tight
        assert r["peng_wei"] <= r["sharp_certificate"] * (1 + 1e-9) + 0.05
        assert r["sharp_certificate"] <= r["proximity"] * (1 + 1e-9)
        assert r["bracket"][1] - r["bracket"][0] <= 0.05
    with pytest.raises(ValueError, match="layouts"):
        rc.section5_thresholds(["square"], [3])


def test_section5_thresholds_with_random_points():
    rows = rc.section5_thresholds(["line"], [2], n=6, ds=[3], tol=0.1, random_points=True, instances=2,
                                  rng=5, progress=False)
    assert len(rows) == 2 and rows[0]["seed"] != rows[1]["seed"]
    for r in rows:
        assert r["peng_wei"] <= r["proximity"] * (1 + 1e-6)
        # (1.1) holds just above the reported separation and fails just below, on the same random points
        from kmbook.proximity import pw_proximity

        make = partial(section5_data, "line", 2, n=6, d=3, rng=r["seed"])
        assert pw_proximity(*make(r["proximity"] * (1 + 1e-9))).holds
        assert not pw_proximity(*make(r["proximity"] * (1 - 1e-6))).holds
    again = rc.section5_thresholds(["line"], [2], n=6, ds=[3], tol=0.1, random_points=True, instances=2,
                                   rng=5, progress=False)
    assert [r["seed"] for r in again] == [r["seed"] for r in rows]
