"""The stored S1 certificate of book/convex/sdp_at_scale reproduces (kmbook.sdp_stored).

The chapter recomputes the bracket from the stored files; this test does the same and also
re-solves a small slice of the stored run's recipe with the same options, whose bracket must
meet the stored tolerance.
"""

import numpy as np
import pytest

from kmbook import sdp
from kmbook.sdp_stored import (
    CERTIFICATES_DIR,
    benchmark_subsample,
    best_line_split,
    load_certificate,
    native_timings,
    recheck_certificate,
)

NAME = "g2-2-10_n2000"  # the certificate book/convex/sdp_at_scale loads
STORED = CERTIFICATES_DIR / f"{NAME}.json"


@pytest.mark.skipif(not STORED.exists(), reason="run scripts/sdp_certify.py to create the stored certificate")
def test_stored_certificate_recomputes():
    record, arrays = load_certificate(NAME)
    check = recheck_certificate(record, arrays)
    assert check["indices_match"] and arrays["labels"].shape == (record["n"],)
    assert check["lower_bound"] == pytest.approx(record["lower_bound_stored"], rel=1e-9)
    assert check["upper_bound"] == pytest.approx(record["upper_bound_stored"], rel=1e-9)
    assert 0 <= check["gap"] <= record["tol"]
    # the stored lower bound is a bound: the rounded partition's cost is at least it
    from kmbook.planted_optimality import partition_cost

    assert partition_cost(check["X"], arrays["labels"]) >= check["lower_bound"]


@pytest.mark.skipif(not STORED.exists(), reason="run scripts/sdp_certify.py to create the stored certificate")
def test_a_slice_of_the_stored_recipe_resolves_to_the_tolerance():
    record, _ = load_certificate(NAME)
    X, idx, k = benchmark_subsample(record["set"], 90, record["seed"])
    res = getattr(sdp, record["relaxation"])(X, k, "kmbook", solver_options={"tol": record["tol"],
                                                                           "feas_tol": record["tol"]})
    assert res.verified and 0 <= res.certified_gap <= record["tol"]
    assert res.value <= res.upper_bound and np.all(np.diff(idx) > 0)


def test_subsample_checks_its_size():
    with pytest.raises(ValueError, match="n must be between 2"):
        benchmark_subsample("s1", 10**6, 0)


def test_native_timings_rows_are_same_run_ratios():
    rows = native_timings()
    assert rows, "benchmarks/results/sdp_native.json is missing"
    for r in rows:
        assert r["ratio"] == pytest.approx(r["scs_s"] / r["native_s"], rel=1e-12)
        assert r["cpu_ratio"] is None or r["cpu_ratio"] > 0
        assert r["best_lb"] >= r["native_lb"] and r["revision"]
        assert r["native_gap"] == pytest.approx((r["native_value"] - r["best_lb"]) / r["native_value"])


def test_native_timings_fails_loudly_on_a_missing_file():
    with pytest.raises(FileNotFoundError, match="bench_sdp.py --native"):
        native_timings(("sdp_native.json", "no_such_results.json"))


def test_best_line_split_finds_the_optimal_two_partition_of_a_small_set():
    from kmbook.oracles import best_partition

    rng = np.random.default_rng(5)
    for _ in range(5):
        X = np.vstack([rng.normal(size=(6, 2)), rng.normal(size=(5, 2)) + [1.5, 0.5]])
        cost, labels = best_line_split(X, 720)
        assert cost == pytest.approx(best_partition(X, 2).cost, rel=1e-9)
        from kmbook.planted_optimality import partition_cost

        assert partition_cost(X, labels) == pytest.approx(cost, rel=1e-9)
    with pytest.raises(ValueError, match="X must be an \\(n, 2\\)"):
        best_line_split(np.zeros((4, 3)))


def test_missing_certificate_names_the_stored_ones(tmp_path):
    (tmp_path / "a_n10.json").write_text("{}")
    with pytest.raises(FileNotFoundError, match=r"name='b'.*one of a_n10.*sdp_certify\.py") as info:
        load_certificate("b", tmp_path)
    assert isinstance(info.value, ValueError)  # also a ValueError about the name
    with pytest.raises(TypeError, match="directory must be"):
        load_certificate("a_n10", 3)
