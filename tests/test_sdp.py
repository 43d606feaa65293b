"""Tests of kmbook.sdp: the Peng–Wei and Amini–Levina relaxations.

Oracles: brute-force enumeration of every partition (tests/partition_oracle.py),
constraints and KKT conditions recomputed here from the returned matrices, the
k-means cost computed from cluster means, and the two solvers against each other.
"""

import warnings

import numpy as np
import pytest
from partition_oracle import balanced, kmeans_costs, partitions

from kmbook import sdp
from kmbook.exceptions import ConvergenceWarning
from kmbook.geometries import section5_data
from kmbook.proximity import threshold_scale


def _blobs(rng, sizes, d=2, spread=3.0):
    K = len(sizes)
    C = rng.normal(size=(K, d)) * spread
    X = np.vstack([C[a] + rng.normal(size=(sizes[a], d)) * np.exp(rng.normal()) for a in range(K)])
    return X, np.repeat(np.arange(K), sizes)


def _check_constraints(Z, k, relaxation, tol):
    """The constraints of (2.3)/(3.3), evaluated directly."""
    N = Z.shape[0]
    assert np.allclose(Z, Z.T, atol=0)
    assert np.linalg.eigvalsh(Z).min() >= -tol
    assert Z.min() >= -tol
    assert np.abs(Z @ np.ones(N) - 1).max() <= tol
    if relaxation == "peng_wei":
        assert abs(np.trace(Z) - k) <= tol
    else:
        assert np.abs(np.diag(Z) - k / N).max() <= tol


CASES = [(12, 3, 0), (12, 2, 1), (9, 3, 2), (10, 2, 3), (8, 4, 4), (12, 3, 5), (9, 3, 6), (12, 2, 7)]


def _near_threshold_instances(seed, count, condition, balanced_sizes):
    """Random clusters (sizes, shapes, dimensions vary) moved apart to just above the
    scale at which `condition` starts to hold. Instances whose distances would span
    more than six orders of magnitude are redrawn: there the solvers, not the
    conditions, run out of precision (and say so, see test_badly_scaled_data_is_flagged)."""
    rng = np.random.default_rng(seed)
    from kmbook.proximity import scale_separation

    made = 0
    while made < count:
        K = int(rng.integers(2, 5))
        d = int(rng.integers(1, 4))
        sizes = [int(rng.integers(2, 6))] * K if balanced_sizes else list(rng.integers(1, 7, size=K))
        if sum(sizes) < K + 1:
            sizes[0] += 1
        C = rng.normal(size=(K, d)) * 3
        spread = np.exp(rng.normal(size=K))
        if rng.random() < 0.5:  # one cluster much wider and farther than the others (the paper's Figure 2)
            spread[0] *= np.exp(rng.uniform(1, 3))
            u = rng.normal(size=d)
            C[0] += 6 * spread[0] * u / np.linalg.norm(u)
        X = np.vstack([C[a] + rng.normal(size=(sizes[a], d)) * spread[a] * rng.uniform(0.2, 1, d) for a in range(K)])
        lab = np.repeat(np.arange(K), sizes)
        t = threshold_scale(X, lab, condition)
        Xs = scale_separation(X, lab, t * (1 + rng.uniform(1e-4, 0.2)))
        D = sdp.distance_matrix(Xs)
        if D.max() > 1e6 * D[D > 0].min():
            continue
        made += 1
        yield Xs, lab, K


@pytest.mark.parametrize("relaxation", ["peng_wei", "amini_levina"])
def test_well_separated_is_exact_with_constraints_and_duals(relaxation):
    rng = np.random.default_rng(2)
    X, lab = _blobs(rng, [5, 5, 5], spread=1.0)
    X += np.repeat(np.array([[0, 0], [30, 0], [0, 30]]), 5, axis=0)
    res = getattr(sdp, relaxation)(X, 3)
    assert res.status in ("optimal", "optimal_inaccurate") and res.verified
    assert res.relaxation == relaxation and res.solver == "CLARABEL" and res.k == 3
    assert sdp.is_exact(res.Z, lab, 1e-6)
    direct = sum(float(((X[lab == a] - X[lab == a].mean(0)) ** 2).sum()) for a in range(3))
    assert res.value == pytest.approx(direct, rel=1e-7)
    _check_constraints(res.Z, 3, relaxation, 1e-7)
    # KKT from the returned duals, recomputed here: D = Lambda + B - diag - (r 1' + 1 r')/2
    D = sdp.distance_matrix(X)
    du = res.duals
    last = du["trace"] * np.eye(15) if relaxation == "peng_wei" else np.diag(du["diagonal"])
    r = du["row_sums"]
    recon = du["psd"] + du["nonnegative"] - last - (r[:, None] + r[None, :]) / 2
    assert np.abs(D - recon).max() <= 1e-5 * D.mean()
    assert np.linalg.eigvalsh((du["psd"] + du["psd"].T) / 2).min() >= -1e-6 * D.mean()
    assert du["nonnegative"].min() >= -1e-6 * D.mean()
    dual_obj = -(3 * du["trace"] if relaxation == "peng_wei" else du["diagonal"].sum() / 5) - r.sum()
    assert dual_obj / 2 == pytest.approx(res.value, rel=1e-6)


@pytest.mark.parametrize("relaxation", ["peng_wei", "amini_levina"])
def test_scs_agrees_with_clarabel_on_an_inexact_instance(relaxation):
    X, _ = _blobs(np.random.default_rng(3), [6, 6, 6], spread=0.7)
    a = getattr(sdp, relaxation)(X, 3, "CLARABEL")
    b = getattr(sdp, relaxation)(X, 3, "SCS")
    assert b.solver == "SCS" and b.verified
    assert abs(a.value - b.value) <= 1e-4 * a.value
    assert np.abs(a.Z - b.Z).max() <= 2e-3
    _check_constraints(b.Z, 3, relaxation, 1e-4)


def test_auto_solver_switches_to_scs_above_the_size_limit():
    X, lab = section5_data("line", 7, 6.0, n=6)  # N = 42 > CLARABEL_MAX_N
    assert X.shape[0] > sdp.CLARABEL_MAX_N
    res = sdp.peng_wei(X, 7)
    assert res.solver == "SCS" and res.verified and sdp.is_exact(res.Z, lab)
    _check_constraints(res.Z, 7, "peng_wei", 1e-5)


def test_an_early_stop_warns_and_is_flagged():
    X, _ = _blobs(np.random.default_rng(4), [6, 6, 6], spread=0.7)
    with pytest.warns(ConvergenceWarning, match="optimality check"):
        res = sdp.peng_wei(X, 3, "SCS", solver_options={"max_iters": 5, "eps_abs": 1e-9, "eps_rel": 1e-9})
    assert not res.verified


def test_solver_failure_raises(monkeypatch):
    import cvxpy as cp

    def fail(self, *args, **kwargs):
        raise cp.error.SolverError("simulated failure")

    monkeypatch.setattr(cp.Problem, "solve", fail)
    with pytest.raises(sdp.SDPSolveError, match="simulated failure"):
        sdp.peng_wei(np.arange(8.0).reshape(4, 2), 2)


def test_non_optimal_status_raises(monkeypatch):
    import cvxpy as cp

    def infeasible(self, *args, **kwargs):
        self._status = "infeasible"

    monkeypatch.setattr(cp.Problem, "solve", infeasible)
    with pytest.raises(sdp.SDPSolveError, match="infeasible"):
        sdp.amini_levina(np.arange(8.0).reshape(4, 2), 2)


def test_invalid_inputs_raise_clear_errors():
    X = np.arange(12.0).reshape(6, 2)
    with pytest.raises(ValueError, match="k=4 must divide the number of points N=6"):
        sdp.amini_levina(X, 4)
    with pytest.raises(ValueError, match="solver must be None"):
        sdp.peng_wei(X, 2, solver="MOSEK")
    with pytest.raises(TypeError, match="solver_options"):
        sdp.peng_wei(X, 2, solver_options=[1])
    with pytest.raises(ValueError, match="must be <= the number of points"):
        sdp.peng_wei(X, 7)
    with pytest.raises(ValueError, match="2-D"):
        sdp.peng_wei(np.arange(6.0), 2)
    with pytest.raises(ValueError, match="coincide"):
        sdp.peng_wei(np.ones((4, 2)), 2)
    with pytest.raises(ValueError, match="square"):
        sdp.is_exact(np.ones((3, 2)), [0, 0, 1])
    with pytest.raises(ValueError, match="relaxation"):
        sdp.feasibility_residuals(np.eye(3), 3, "lp")


@pytest.mark.parametrize("n_points,k,seed", CASES)
def test_relaxation_values_bracket_the_enumerated_optima(n_points, k, seed):
    rng = np.random.default_rng(seed)
    n = n_points // k
    X = np.vstack([rng.normal(size=(n, 2)) * rng.uniform(0.3, 1.5) + rng.normal(size=2) * 2.0 for _ in range(k)])
    L = partitions(n_points, k)
    costs = kmeans_costs(X, L, k)
    opt, opt_balanced = costs.min(), costs[balanced(L, k)].min()
    pw = sdp.peng_wei(X, k)
    al = sdp.amini_levina(X, k)
    for res in (pw, al):
        assert res.verified
        _check_constraints(res.Z, k, res.relaxation, 1e-6)
    tol = 1e-6 * opt
    assert pw.value <= opt + tol  # a relaxation
    assert pw.value - tol <= al.value <= opt_balanced + tol  # tighter than PW, below the best balanced partition
    # exactness means the enumerated optimum is the answer
    best = L[np.argmin(costs)]
    if sdp.is_exact(pw.Z, best):
        assert pw.value == pytest.approx(opt, rel=1e-6)


def test_round_solution_recovers_partitions():
    labels = np.array([2, 0, 0, 1, 2, 1, 1])
    out = sdp.round_solution(sdp.membership_matrix(labels), 3)
    assert np.array_equal(out, [0, 1, 1, 2, 0, 2, 2])
    noisy = sdp.membership_matrix(labels) + 1e-3 * np.random.default_rng(5).normal(size=(7, 7))
    assert np.array_equal(sdp.round_solution(noisy, 3), out)


def test_round_solution_on_an_inexact_solution_gives_k_clusters():
    X, lab = section5_data("circle", 3, 2.3, n=6)
    res = sdp.peng_wei(X, 3)
    assert not sdp.is_exact(res.Z, lab)
    out = sdp.round_solution(res.Z, 3)
    assert sorted(np.unique(out)) == [0, 1, 2]


@pytest.mark.slow
def test_pw_proximity_implies_peng_wei_exact():
    from kmbook.proximity import pw_proximity

    count = 0
    for X, lab, K in _near_threshold_instances(10, 250, "peng_wei", False):
        assert pw_proximity(X, lab).holds
        res = sdp.peng_wei(X, K)
        assert res.verified
        assert sdp.is_exact(res.Z, lab), sdp.exactness_error(res.Z, lab)
        count += 1
    assert count == 250


@pytest.mark.slow
def test_al_proximity_implies_amini_levina_exact():
    from kmbook.proximity import al_proximity, pw_proximity

    count = pw_fails = 0
    for X, lab, K in _near_threshold_instances(11, 250, "amini_levina", True):
        assert al_proximity(X, lab).holds
        pw_fails += not pw_proximity(X, lab).holds
        res = sdp.amini_levina(X, K)
        assert res.verified
        assert sdp.is_exact(res.Z, lab), sdp.exactness_error(res.Z, lab)
        count += 1
    assert count == 250
    # for K = 2 the two conditions coincide; for K >= 3 the Figure-2 family makes them differ
    assert pw_fails >= 50  # the test also covers instances the global condition does not reach


def test_badly_scaled_data_is_flagged():
    # two tight clusters 1e4 apart from two others: Clarabel's answer is ~10% off the
    # optimum (the partition matrix is feasible and cheaper), and the a-posteriori check says so
    X = np.array([[0.0], [0.27], [-0.01], [-0.07], [1.1e4], [1.1e4 + 0.36], [1.1e4 - 0.1], [1.1e4 + 0.05]])
    X = np.vstack([X, X[:4] + 2.3e4, X[4:] - 4.0e4])
    lab = np.repeat([0, 1, 2, 3], 4)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = sdp.amini_levina(X, 4)
    cost = 0.5 * float(np.sum(sdp.distance_matrix(X) * sdp.membership_matrix(lab)))
    assert res.value > 2 * cost  # the pinned Clarabel loses precision here ...
    assert not res.verified  # ... and it does not pass silently
    assert any(issubclass(w.category, ConvergenceWarning) for w in caught)


def test_no_stray_warnings_on_a_routine_solve():
    X, _ = _blobs(np.random.default_rng(6), [4, 4, 4])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sdp.peng_wei(X, 3)
        sdp.amini_levina(X, 3)
