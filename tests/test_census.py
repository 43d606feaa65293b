"""Tests of kmbook.census: layouts, models, balanced samples, census tasks, summaries."""

import concurrent.futures as cf
import math
import multiprocessing

import numpy as np
import pytest
from scipy.spatial.distance import pdist
from scipy.special import gamma

from kmbook.census import (
    balanced_sample,
    benchmark_task,
    census_grid,
    census_task,
    make_model,
    random_layout,
    run_census,
    split_offset,
    summarize,
)
from kmbook.lloyd import lloyd
from kmbook.models import BallMixture, GaussianMixture

TASK = dict(model="ball", k_star=3, k=3, d=2, eta_min=10.0, n=3000, n_starts=4)


def _record(model, eta, k, k_star, sats, costs, truth_cost, counts=None, truth_sat=True):
    counts = counts or [dict.fromkeys(["many-fit-one", "one-fit-many", "one-fit-one", "other", "almost-empty"], 0)
                        for _ in sats]
    return dict(model=model, eta_min=eta, k=k, k_star=k_star, eta_max=2 * eta, signature=["s"] * len(sats),
                satisfies=sats, cost=costs, truth_cost=truth_cost, counts=counts,
                many_fit_many=[0 if ok else 1 for ok in sats],
                truth_satisfies=truth_sat if k == k_star else None)


@pytest.mark.parametrize("k_star, d", [(1, 1), (2, 1), (5, 2), (8, 5)])
def test_random_layout_has_unit_minimum_separation(k_star, d):
    T = random_layout(k_star, d, rng=3)
    assert T.shape == (k_star, d)
    if k_star > 1:
        assert pdist(T).min() == pytest.approx(1.0, rel=1e-12)
    np.testing.assert_array_equal(T, random_layout(k_star, d, rng=3))


def test_random_layout_rejects_bad_input():
    with pytest.raises(ValueError, match="box must exceed 1"):
        random_layout(3, 2, rng=0, box=0.5)
    with pytest.raises(ValueError, match="k_star must be >= 1"):
        random_layout(0, 2, rng=0)


@pytest.mark.parametrize("kind, k", [("ball", 3), ("gauss", 2), ("gauss", 3), ("gauss", 9)])
def test_make_model_hits_the_requested_snr(kind, k):
    T = random_layout(4, 3, rng=1)
    m = make_model(kind, T, eta_min=5.0, k=k)
    assert isinstance(m, BallMixture if kind == "ball" else GaussianMixture)
    assert m.eta(k).eta_min == pytest.approx(5.0, rel=1e-12)


def test_make_model_rejects_bad_input():
    with pytest.raises(ValueError, match="kind must be 'ball' or 'gauss'"):
        make_model("uniform", [[0.0], [1.0]], 3.0, 2)
    with pytest.raises(ValueError, match="balls overlap"):
        make_model("ball", [[0.0], [1.0]], 1.5, 2)


@pytest.mark.parametrize("d", [1, 2, 3, 5])
def test_split_offset_matches_the_half_ball_centroid(d):
    """Centroid of a half ball: r Gamma(d/2+1) / (sqrt(pi) Gamma(d/2+3/2)); half Gaussian: sigma sqrt(2/pi)."""
    expected = gamma(d / 2 + 1) / (math.sqrt(math.pi) * gamma(d / 2 + 1.5))
    assert split_offset("ball", d) == pytest.approx(expected, rel=1e-12)
    m = BallMixture(np.zeros((1, d)), radius=1.0)
    X, _ = m.sample(400_000, rng=d)
    assert X[X[:, 0] > 0, 0].mean() == pytest.approx(expected, abs=0.004)
    assert split_offset("gauss", d) == pytest.approx(math.sqrt(2 / math.pi), rel=1e-12)
    if d == 2:
        assert split_offset("ball", 2) == pytest.approx(4 / (3 * math.pi), rel=1e-12)
    with pytest.raises(ValueError, match="kind must be"):
        split_offset("cube", d)


def test_lloyd_split_of_one_ball_sits_at_the_half_ball_centroid():
    m = BallMixture([[0.0, 0.0]], radius=2.0)
    X, _ = balanced_sample(m, 100_000, rng=5)
    res = lloyd(X, [[-0.1, 0.05], [0.1, -0.05]], max_iter=2000)
    np.testing.assert_allclose(np.linalg.norm(res.centers, axis=1), 2.0 * split_offset("ball", 2), rtol=0.01)


def test_census_task_output_and_determinism():
    out = census_task(TASK, rng=0)
    assert out["k_star"] == 3 and out["tol"] == 0.25 and out["seeding"] == "uniform"
    for key in ("covered", "signature", "satisfies", "counts", "many_fit_many", "err", "empty_mass", "cost", "ci"):
        assert len(out[key]) == TASK["n_starts"]
    assert "ci_pruned" not in out
    assert all(ci == 0 for ci, c in zip(out["ci"], out["cost"]) if abs(c - out["truth_cost"]) < 1e-12)
    assert out["truth_satisfies"] is True
    assert out["eta_max"] >= out["eta_min"]
    assert all(c >= out["truth_cost"] * (1 - 1e-9) for c in out["cost"])
    again = census_task(TASK, rng=0)
    assert again["signature"] == out["signature"] and again["cost"] == out["cost"]
    over = census_task(dict(TASK, k=5, seeding="kmeans++", layout=7), rng=1)
    assert math.isnan(over["truth_cost"]) and over["truth_satisfies"] is None
    assert all(c["one-fit-many"] == 0 or c["many-fit-one"] > 0 for c in over["counts"])


def test_census_layout_seed_fixes_the_true_centres():
    a = census_task(dict(TASK, layout=3), rng=0)
    b = census_task(dict(TASK, layout=3, eta_min=20.0), rng=9)
    assert a["delta_max"] == b["delta_max"]


@pytest.mark.parametrize(
    "task, match",
    [
        (dict(TASK, model="cube"), "task\\['model'\\] must be 'ball' or 'gauss'"),
        (dict(TASK, eta_min=1.5), "must be >= 2 for the ball model"),
        ({k: v for k, v in TASK.items() if k != "n"}, "task is missing \\['n'\\]"),
        (dict(TASK, colour="red"), "unknown keys"),
        (dict(TASK, seeding="farthest"), "task\\['seeding'\\] must be one of"),
        (dict(TASK, k=5000), "must not exceed task\\['n'\\]"),
        (dict(TASK, k_star=0), "task\\['k_star'\\] must be >= 1"),
    ],
)
def test_census_task_rejects_bad_tasks(task, match):
    with pytest.raises(ValueError, match=match):
        census_task(task, rng=0)
    with pytest.raises(TypeError, match="task must be a dict"):
        census_task([1, 2], rng=0)


def test_run_census_is_independent_of_the_executor():
    tasks = census_grid(models=("gauss",), k_stars=(3,), k_offsets=(0, 1), ds=(2,), etas=(3.0, 8.0),
                        n_per_cluster=300, n_starts=3)
    serial = run_census(tasks, rng=4, progress=False)
    with cf.ThreadPoolExecutor(2) as pool:
        threaded = run_census(tasks, rng=4, executor=pool, progress=False)
    assert [r["signature"] for r in serial] == [r["signature"] for r in threaded]
    assert [r["cost"] for r in serial] == [r["cost"] for r in threaded]


@pytest.mark.slow
def test_run_census_in_a_process_pool_matches_serial():
    tasks = census_grid(models=("ball",), k_stars=(3,), k_offsets=(0,), ds=(2,), etas=(4.0, 16.0),
                        n_per_cluster=300, n_starts=3)
    serial = run_census(tasks, rng=8, progress=False)
    with cf.ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        pooled = run_census(tasks, rng=8, executor=pool, progress=False)
    assert [r["signature"] for r in serial] == [r["signature"] for r in pooled]


def test_census_grid_skips_k_below_one():
    grid = census_grid(models=("ball",), k_stars=(1, 3), k_offsets=(-1, 0), ds=(2,), etas=(4.0,))
    assert [(t["k_star"], t["k"]) for t in grid] == [(1, 1), (3, 2), (3, 3)]
    assert all(t["n"] == 1000 * t["k_star"] for t in grid)
    assert census_grid(models=("ball",), k_stars=(3,), k_offsets=(0,), ds=(2,), etas=(4.0,), tol=0.4)[0]["tol"] == 0.4


def test_summarize_counts_by_hand():
    other = dict.fromkeys(["many-fit-one", "one-fit-many", "one-fit-one", "almost-empty"], 0) | {"other": 1}
    plain = dict.fromkeys(["many-fit-one", "one-fit-many", "one-fit-one", "other", "almost-empty"], 0)
    recs = [
        _record("ball", 4.0, 3, 3, [True, False], [1.0, 2.0], 1.0, [plain, other]),
        _record("ball", 4.0, 4, 3, [True, True], [0.5, 0.6], math.nan),
        _record("ball", 8.0, 3, 3, [True], [1.5], 1.0, truth_sat=False),
    ]
    rows = summarize(recs)
    assert [(r["model"], r["eta_min"]) for r in rows] == [("ball", 4.0), ("ball", 8.0)]
    first, second = rows
    assert first["runs"] == 4 and first["structure"] == 0.75
    assert first["truth"] == 0.5 and first["truth_structure"] == 1.0
    assert first["has_other"] == 0.25 and first["eta_max"] == 8.0 and first["many_fit_many"] == 0.25
    assert second["truth"] == 0.0 and second["truth_structure"] == 0.0
    only_over = summarize([recs[1]], by="k")[0]
    assert math.isnan(only_over["truth"]) and math.isnan(only_over["truth_structure"])


def test_census_task_with_pruning_recovers_the_truth_when_covered():
    out = census_task(dict(model="gauss", k_star=4, k=10, d=2, eta_min=12.0, n=4000, n_starts=6,
                           seeding="kmeans++", prune="ward", layout=2), rng=3)
    assert len(out["ci_pruned"]) == 6 and out["k_pruned"] == [4] * 6
    assert all(ci == 0 for ci, cov in zip(out["ci_pruned"], out["covered"]) if cov)
    with pytest.raises(ValueError, match="task\\['prune'\\] must be None"):
        census_task(dict(TASK, prune="merge"), rng=0)


def test_benchmark_task_on_bundled_data():
    out = benchmark_task(dict(name="unbalance", n_starts=3, seeding="kmeans++", k=12, prune="valley"), rng=1)
    assert out["k_star"] == 8 and out["k"] == 12 and math.isnan(out["truth_cost"])
    assert len(out["ci_pruned"]) == 3 and all(k >= 1 for k in out["k_pruned"])
    same = benchmark_task(dict(name="s1", n_starts=2), rng=2)
    assert same["truth_satisfies"] is True and same["k"] == 15
    mixed = run_census([dict(name="s1", n_starts=1), dict(TASK, n_starts=1)], rng=0, progress=False)
    assert mixed[0]["name"] == "s1" and mixed[1]["model"] == "ball"
    with pytest.raises(ValueError, match="needs 'name' and 'n_starts'"):
        benchmark_task(dict(name="s1"), rng=0)
    with pytest.raises(ValueError, match="unknown data set"):
        benchmark_task(dict(name="s9", n_starts=1), rng=0)
    with pytest.raises(ValueError, match="unknown keys"):
        benchmark_task(dict(name="s1", n_starts=1, eta_min=3.0), rng=0)
