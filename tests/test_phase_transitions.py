"""Tests of kmbook.phase_transitions: the random Section 5 protocol and its stored sweeps."""

import numpy as np
import pytest

from kmbook import phase_transitions as pt
from kmbook.claims import wilson_interval
from kmbook.proximity import pw_proximity
from kmbook.sdp import exactness_error, peng_wei


def test_ball_points_lie_in_the_ball_or_on_the_sphere():
    B = pt.ball_points(2000, 3, rng=1)
    r = np.linalg.norm(B, axis=1)
    assert B.shape == (2000, 3) and r.max() <= 1.0
    # uniform in the ball: P(|x| <= 1/2) = 1/8 in d = 3
    assert abs(np.mean(r <= 0.5) - 0.125) < 4 * np.sqrt(0.125 * 0.875 / 2000)
    S = pt.ball_points(50, 5, rng=1, distribution="sphere")
    assert np.allclose(np.linalg.norm(S, axis=1), 1.0)
    assert np.array_equal(pt.ball_points(5, 2, rng=3), pt.ball_points(5, 2, rng=3))
    with pytest.raises(ValueError, match="distribution"):
        pt.ball_points(5, 2, rng=0, distribution="cube")


def test_instance_keeps_its_points_when_the_separation_changes():
    X1, lab = pt.ball_model_data("hive", 4, 3.0, n=6, d=3, rng=11)
    X2, lab2 = pt.ball_model_data("hive", 4, 5.0, n=6, d=3, rng=11)
    assert np.array_equal(lab, lab2) and lab.tolist() == np.repeat(np.arange(4), 6).tolist()
    from kmbook.geometries import centers

    shift = centers("hive", 4, 5.0, d=3) - centers("hive", 4, 3.0, d=3)
    assert np.allclose(X2 - X1, shift[lab])


def test_instance_threshold_brackets_the_transition_independently():
    task = dict(layout="line", K=2, n=5, d=3, distribution="ball", tol=0.1, solver=None,
                exact_tol=1e-4, seed=5)
    row = pt.instance_threshold(task)
    lo, hi = row["bracket"]
    assert 0 < hi - lo <= 0.1 and row["peng_wei"] == hi
    assert row["error_at_certificate"] <= 1e-4
    assert row["peng_wei"] <= row["sharp_certificate"] * (1 + 1e-6) <= row["proximity"] * (1 + 1e-6)
    make = lambda s: pt.ball_model_data("line", 2, s, n=5, d=3, rng=5)  # noqa: E731
    # independent re-solves on both sides of the bracket
    assert exactness_error(peng_wei(*make(hi)[:1], 2).Z, make(hi)[1]) <= 1e-4
    assert exactness_error(peng_wei(*make(lo)[:1], 2).Z, make(lo)[1]) > 1e-4
    # (1.1) fails just below its threshold and holds at it
    assert pw_proximity(*make(row["proximity"])).holds
    assert not pw_proximity(*make(row["proximity"] * (1 - 1e-6))).holds


def test_sweep_seeds_are_reproducible_and_validated():
    a = pt.section5_sweep(["line"], [2], n=3, instances=2, tol=0.3, rng=4, progress=False,
                          check_certificate=False)
    b = pt.section5_sweep(["line"], [2], n=3, instances=2, tol=0.3, rng=4, progress=False,
                          check_certificate=False)
    assert [r["seed"] for r in a] == [r["seed"] for r in b] and a[0]["seed"] != a[1]["seed"]
    assert a[0]["bracket"] == b[0]["bracket"] and a[0]["error_at_certificate"] is None
    with pytest.raises(ValueError, match="layouts"):
        pt.section5_sweep(["square"], [2], progress=False)
    with pytest.raises(ValueError, match="distribution"):
        pt.section5_sweep(["line"], [2], distribution="cube", progress=False)


def test_summaries_against_hand_computation():
    rows = [dict(K=2, d=2, layout="hive", peng_wei=p, proximity=p + 1, sharp_certificate=p + 0.5,
                 bracket=[p - 0.05, p]) for p in (2.0, 2.2, 2.4, 2.6)]
    (s,) = pt.threshold_summary(rows, by=("K",))
    assert s["instances"] == 4 and s["peng_wei"].value == pytest.approx(2.3)
    half = 3.18244631 * np.std([2.0, 2.2, 2.4, 2.6], ddof=1) / 2  # t_{0.975, 3} s / sqrt(4)
    assert s["peng_wei"].hi - s["peng_wei"].value == pytest.approx(half)
    curve = pt.success_curve(rows, [1.9, 2.2, 2.5, 3.0])
    assert [(c.k, c.n) for c in curve] == [(0, 4), (2, 4), (3, 4), (4, 4)]
    assert (curve[1].lo, curve[1].hi) == pytest.approx(wilson_interval(2, 4))
    assert "sharp certificate" in pt.format_threshold_summary([s], "K")


def test_missing_results_file_names_the_fix():
    with pytest.raises(FileNotFoundError, match="scripts/phase_transitions.py"):
        pt.load_results("no_such_sweep")


@pytest.mark.slow
@pytest.mark.parametrize("name", ["section5_dimension", "section5_K"])
def test_stored_sweep_reproduces(name):
    """Re-run the cheapest stored instance of each sweep and match its stored values."""
    try:
        stored = pt.load_results(name)
    except FileNotFoundError:
        pytest.skip(f"{name} not stored")
    row = min(stored["rows"], key=lambda r: (r["K"] * r["n"], r["n_solves"]))
    task = {k: row[k] for k in ("layout", "K", "n", "d", "distribution", "tol", "solver",
                                "exact_tol", "check_certificate", "seed")}
    task["search"] = row.get("search", "bisect")
    again = pt.instance_threshold(task)
    assert again["proximity"] == pytest.approx(row["proximity"], rel=1e-9)
    assert again["sharp_certificate"] == pytest.approx(row["sharp_certificate"], rel=1e-9)
    assert again["bracket"] == pytest.approx(row["bracket"], rel=1e-9)
    assert again["n_solves"] == row["n_solves"]
