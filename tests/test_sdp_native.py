"""Tests of the native SDP solver (kmbook.sdp_native) and of the certified lower bound
(kmbook.sdp_bound) that every SDPResult carries.

Oracles: Clarabel through cvxpy at tight tolerances, brute-force enumeration of every
partition (the k-means optimum bounds the relaxations from above), the paper's explicit dual
certificates (an exact dual point, so the bound must reproduce the optimum), and random
non-negative dual matrices (any of them must give a valid bound).
"""

import warnings

import numpy as np
import pytest

from kmbook import sdp
from kmbook.exceptions import ConvergenceWarning
from kmbook.geometries import section5_data
from kmbook.proximity import dual_certificate
from kmbook.sdp_bound import dual_function, lower_bound

TIGHT = {"tol_gap_abs": 1e-10, "tol_gap_rel": 1e-10, "tol_feas": 1e-10, "max_iter": 500}
RELAXATIONS = ["peng_wei", "amini_levina"]


def _overlapping(seed, n=6, k=3, sep=1.2):
    rng = np.random.default_rng(seed)
    C = sep * np.array([[0.0, 0.0], [1.0, 0.0], [0.5, np.sqrt(3) / 2]])[:k]
    return np.vstack([c + rng.normal(size=(n, 2)) for c in C])


def _reference(X, k, relaxation):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return getattr(sdp, relaxation)(X, k, "CLARABEL", solver_options=TIGHT)


# --- agreement with an interior-point reference on fractional optima ------------------------

@pytest.mark.parametrize("relaxation", RELAXATIONS)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_agrees_with_clarabel_on_fractional_optima(relaxation, seed):
    X = _overlapping(seed)
    ref = _reference(X, 3, relaxation)
    # the optimum is fractional: Z is far from the membership matrix of any rounding of it
    assert sdp.exactness_error(ref.Z, sdp.round_solution(ref.Z, 3)) > 1e-2
    res = getattr(sdp, relaxation)(X, 3, "kmbook", solver_options={"tol": 1e-6, "feas_tol": 1e-6})
    assert res.solver == "KMBOOK" and res.status == "optimal" and res.verified
    assert res.value == pytest.approx(ref.value, rel=1e-5)
    assert res.lower_bound <= ref.value * (1 + 1e-9)
    assert res.certified_gap <= 1e-4 and res.max_residual <= 1e-5
    assert res.certified_partition is None
    assert np.abs(res.Z - ref.Z).max() <= 1e-3
    assert res.iterations > 0


@pytest.mark.parametrize("relaxation", RELAXATIONS)
def test_exact_instance_returns_the_partition_with_its_certificate(relaxation):
    X, lab = section5_data("line", 3, 6.0, n=6)
    res = getattr(sdp, relaxation)(X, 3, "kmbook")
    assert res.verified and sdp.is_exact(res.Z, lab, 1e-5)
    cost = 0.5 * float(np.sum(sdp.distance_matrix(X) * sdp.membership_matrix(lab)))
    assert res.lower_bound <= cost <= res.lower_bound * (1 + 1e-5)
    assert res.certified_partition is not None
    assert np.array_equal(sdp.membership_matrix(res.certified_partition), sdp.membership_matrix(lab))


def test_every_solver_reports_a_lower_bound():
    X = _overlapping(3)
    for solver in ("CLARABEL", "SCS", "kmbook"):
        for relaxation in RELAXATIONS:
            res = getattr(sdp, relaxation)(X, 3, solver)
            assert np.isfinite(res.lower_bound) and 0 < res.lower_bound <= res.value * (1 + 1e-5)
            assert res.kkt["certified_gap"] == res.certified_gap <= 1e-4


# --- soundness of the lower bound ------------------------------------------------------------

def test_lower_bound_never_exceeds_the_optimum_on_random_instances():
    rng = np.random.default_rng(7)
    for trial in range(40):
        k = int(rng.integers(2, 4))
        n = int(rng.integers(2, 5))
        relaxation = RELAXATIONS[trial % 2]
        d = int(rng.integers(1, 4))
        X = np.vstack([rng.normal(size=d) * rng.uniform(0.5, 4) + rng.normal(size=(n, d)) * rng.uniform(0.2, 1.5)
                       for _ in range(k)])
        X += rng.normal(size=d) * 10 ** rng.uniform(0, 4)  # far from the origin: rounding in D matters
        ref = _reference(X, k, relaxation)
        res = getattr(sdp, relaxation)(X, k, "kmbook", solver_options={"max_iter": 20_000})
        # the optimum is at least the reference's lower bound and at most its value (+ its residual)
        top = ref.value * (1 + 1e-7)
        assert res.lower_bound <= top and ref.lower_bound <= top
        assert res.lower_bound >= ref.value * (1 - 1e-4)  # and the bound is tight


def test_any_nonnegative_dual_gives_a_valid_bound():
    """The bound is the dual function: valid for every B >= 0, however bad."""
    rng = np.random.default_rng(8)
    for _ in range(30):
        k = int(rng.integers(2, 4))
        X = rng.normal(size=(3 * k, 2)) * rng.uniform(0.1, 10)
        D = sdp.distance_matrix(X)
        best = sdp.best_partition(X, k).cost  # k-means optimum >= Peng–Wei optimum
        B = rng.exponential(size=D.shape) * rng.uniform(0, 2) * D.mean()
        B = (B + B.T) / 2
        assert lower_bound(D, B, k, "peng_wei", n_features=2) <= best
        assert lower_bound(D, B - 5 * D.mean() * np.eye(len(X)), k, "peng_wei") <= best  # negative parts ignored
        if len(X) % k == 0:
            Bd = B + np.diag(rng.normal(size=len(X)) * D.mean())  # Amini–Levina: a free diagonal
            assert lower_bound(D, Bd, k, "amini_levina", n_features=2) <= sdp.best_partition(X, k, balanced=True).cost


def test_bound_depends_on_the_symmetric_part_of_B_only():
    """A non-symmetric B with the same symmetric part gives the same bound (B is symmetrised)."""
    rng = np.random.default_rng(12)
    X = rng.normal(size=(12, 2))
    D = sdp.distance_matrix(X)
    B = rng.exponential(size=D.shape) * D.mean()
    B = (B + B.T) / 2
    lopsided = 2 * np.tril(B, -1) + np.diag(np.diag(B))
    for relaxation in RELAXATIONS:
        lb = lower_bound(D, B, 3, relaxation, n_features=2)
        assert lower_bound(D, lopsided, 3, relaxation, n_features=2) == pytest.approx(lb, rel=1e-12)
        assert lower_bound(D, lopsided.T, 3, relaxation, n_features=2) == pytest.approx(lb, rel=1e-12)


@pytest.mark.parametrize("relaxation", RELAXATIONS)
def test_bound_at_an_exact_dual_certificate_reproduces_the_optimum(relaxation):
    """Fed the paper's explicit dual certificate, the bound equals the partition's cost
    (to rounding) and never exceeds it."""
    for layout, K in (("line", 3), ("hive", 5), ("circle", 4)):
        X, lab = section5_data(layout, K, 7.0, n=6)
        cert = dual_certificate(X, lab, relaxation)
        assert cert.verified
        B = cert.B.copy()
        if relaxation == "amini_levina":
            B -= np.diag(cert.zeta[lab])  # D - B = Lambda - (alpha 1^T + 1 alpha^T) / 2
        D = sdp.distance_matrix(X)
        cost = cert.primal_value
        lb = lower_bound(D, B, K, relaxation, n_features=2)
        assert cost * (1 - 1e-9) <= lb <= cost
        assert dual_function(D, B, K, relaxation, rigorous=False) / 2 == pytest.approx(cost, rel=1e-11)


# --- verdicts near the exactness threshold --------------------------------------------------

@pytest.mark.parametrize("relaxation", RELAXATIONS)
def test_same_exactness_verdicts_as_cvxpy_across_the_threshold(relaxation):
    verdicts = []
    for sep in (1.8, 2.0, 2.2, 2.4, 2.6, 2.8, 3.2):
        X, lab = section5_data("line", 3, sep, n=6)
        ref = _reference(X, 3, relaxation)
        res = getattr(sdp, relaxation)(X, 3, "kmbook")
        assert res.verified
        verdicts.append(sdp.is_exact(ref.Z, lab))
        assert sdp.is_exact(res.Z, lab) == verdicts[-1], sep
    assert any(verdicts) and not all(verdicts)  # the grid straddles the threshold


# --- failures are loud ------------------------------------------------------------------------

def test_non_convergence_warns_and_is_not_verified():
    X = _overlapping(4)
    with pytest.warns(ConvergenceWarning, match="stopped"):
        res = sdp.peng_wei(X, 3, "kmbook", solver_options={"max_iter": 5})
    assert res.status == "max_iter_reached" and not res.verified
    assert res.lower_bound <= _reference(X, 3, "peng_wei").value  # still a valid bound
    with pytest.warns(ConvergenceWarning, match="max_time_reached"):
        res = sdp.amini_levina(X, 3, "kmbook", solver_options={"max_time": 0.0, "check_every": 1})
    assert not res.verified


def test_invalid_inputs_raise_the_same_errors():
    X = np.arange(12.0).reshape(6, 2)
    with pytest.raises(ValueError, match="k=4 must divide the number of points N=6"):
        sdp.amini_levina(X, 4, "kmbook")
    with pytest.raises(ValueError, match="must be <= the number of points"):
        sdp.peng_wei(X, 7, "kmbook")
    with pytest.raises(ValueError, match="2-D"):
        sdp.peng_wei(np.arange(6.0), 2, "kmbook")
    with pytest.raises(ValueError, match="coincide"):
        sdp.peng_wei(np.ones((4, 2)), 2, "kmbook")
    with pytest.raises(TypeError, match="unknown"):
        sdp.peng_wei(X, 2, "kmbook", solver_options={"eps_abs": 1e-6})
    with pytest.raises(ValueError, match="'kmbook'"):
        sdp.peng_wei(X, 2, "mosek")


def test_trivial_cluster_counts():
    X = _overlapping(5)
    N = X.shape[0]
    one = sdp.peng_wei(X, 1, "kmbook")
    assert np.allclose(one.Z, 1 / N) and one.verified
    assert one.value == pytest.approx(float(((X - X.mean(0)) ** 2).sum()))
    assert one.lower_bound == pytest.approx(one.value, rel=1e-12)
    every = sdp.amini_levina(X, N, "kmbook")
    assert np.array_equal(every.Z, np.eye(N)) and every.value == 0 and every.verified


# --- the upper bound: a feasible point next to every answer ------------------------------------

@pytest.mark.parametrize("relaxation", RELAXATIONS)
def test_native_value_is_attained_by_a_feasible_point(relaxation):
    """The native Z is feasible to rounding, so its value is an upper bound: the optimum
    (Clarabel at 1e-10) lies between lower_bound and value."""
    for seed in (10, 11, 12):
        X = _overlapping(seed, n=5)
        ref = _reference(X, 3, relaxation)
        res = getattr(sdp, relaxation)(X, 3, "kmbook")
        assert res.max_residual <= 1e-12
        assert res.upper_bound >= res.value >= ref.value * (1 - 1e-9)
        assert res.lower_bound <= ref.value * (1 + 1e-9)
        assert res.certified_gap == pytest.approx(res.bracket_gap, abs=1e-12)
        assert 0 <= res.certified_gap <= 1e-4


@pytest.mark.parametrize("relaxation", RELAXATIONS)
def test_feasible_point_repairs_a_perturbed_solution(relaxation):
    """An infeasible perturbation of the optimum is moved back onto the feasible set; the
    upper bound it gives is never below the optimum and shrinks with the perturbation."""
    from kmbook.sdp_upper import feasible_point

    X = _overlapping(13)
    ref = _reference(X, 3, relaxation)
    D = sdp.distance_matrix(X)
    rng = np.random.default_rng(0)
    E = rng.normal(size=ref.Z.shape)
    widths = []
    for eps in (1e-3, 1e-5, 1e-7):
        Zf, upper, t = feasible_point(D, ref.Z + eps * (E + E.T), 3, relaxation)
        res = sdp.feasibility_residuals(Zf, 3, relaxation)
        assert max(res.values()) <= 1e-12, res
        assert upper >= ref.value * (1 - 1e-9) and 0 < t < 1
        widths.append(upper - ref.value)
    assert widths[0] > widths[1] > widths[2]


def test_cvxpy_results_carry_an_upper_bound():
    X = _overlapping(14)
    for relaxation in RELAXATIONS:
        ref = _reference(X, 3, relaxation)
        scs = getattr(sdp, relaxation)(X, 3, "SCS")
        for r in (ref, scs):
            assert r.lower_bound <= ref.value * (1 + 1e-9) <= r.upper_bound * (1 + 2e-9)
        assert ref.bracket_gap <= 1e-6


@pytest.mark.parametrize("relaxation", RELAXATIONS)
def test_exact_instance_returns_the_partition_matrix(relaxation):
    """When the rounded partition meets the bound, Z is its membership matrix exactly."""
    X, lab = section5_data("hive", 4, 5.0, n=5)
    res = getattr(sdp, relaxation)(X, 4, "kmbook")
    assert res.partition_solution and res.verified
    assert np.array_equal(res.Z, sdp.membership_matrix(lab))
    cost = sum(((X[lab == a] - X[lab == a].mean(0)) ** 2).sum() for a in range(4))
    assert res.value == pytest.approx(cost, rel=1e-12)
    assert res.lower_bound <= res.value <= res.lower_bound * (1 + 1e-5)


# --- stored certificates -----------------------------------------------------------------------

def test_stored_dual_gives_the_same_bound_and_rounding_only_loosens_it():
    from kmbook.sdp_stored import pack_dual, stored_lower_bound, unpack_dual

    X = _overlapping(15)
    res = sdp.peng_wei(X, 3, "kmbook")
    packed = pack_dual(res.duals["nonnegative"])
    assert packed.dtype == np.float32 and packed.size == len(X) * (len(X) - 1) // 2
    B = unpack_dual(packed, len(X))
    assert np.array_equal(B, B.T) and np.all(np.diag(B) == 0)
    lb = stored_lower_bound(X, 3, "peng_wei", packed)
    ref = _reference(X, 3, "peng_wei")
    assert lb <= ref.value * (1 + 1e-9)
    assert lb == pytest.approx(res.lower_bound, rel=1e-5)
    # a damaged certificate gives a worse (still valid) bound: the check can fail
    assert stored_lower_bound(X, 3, "peng_wei", packed * 0.5) < lb * (1 - 1e-3)
    with pytest.raises(ValueError, match="n_points"):
        unpack_dual(packed, len(X) + 1)


# --- acceleration ---------------------------------------------------------------------------------

@pytest.mark.parametrize("relaxation", RELAXATIONS)
def test_anderson_on_and_off_reach_the_same_certified_value(relaxation):
    """Acceleration and the gap balancing of rho only move the iterates: with and without them
    the solver stops at the same value (to the tolerance), with a lower bound below the
    Clarabel optimum."""
    X = _overlapping(21, n=8)
    ref = _reference(X, 3, relaxation)
    assert sdp.exactness_error(ref.Z, sdp.round_solution(ref.Z, 3)) > 1e-2  # fractional optimum
    opts = {"tol": 1e-6, "feas_tol": 1e-6}
    on = getattr(sdp, relaxation)(X, 3, "kmbook", solver_options={**opts, "anderson": 5})
    off = getattr(sdp, relaxation)(X, 3, "kmbook",
                                   solver_options={**opts, "anderson": 0, "balance": 0.0, "blas_threads": None})
    for res in (on, off):
        assert res.status == "optimal" and res.verified
        assert res.lower_bound <= ref.value * (1 + 1e-9) <= res.upper_bound * (1 + 2e-9)
        assert res.value == pytest.approx(ref.value, rel=1e-5)
    assert on.value == pytest.approx(off.value, rel=2e-6)
    assert not np.array_equal(on.Z, off.Z)  # the option reaches the iteration


def test_anderson_accelerates_a_linear_fixed_point_iteration():
    from kmbook._anderson import Anderson

    rng = np.random.default_rng(3)
    Q, _ = np.linalg.qr(rng.normal(size=(40, 40)))
    M = Q @ np.diag(np.linspace(0.0, 0.99, 40)) @ Q.T  # contraction, slowest rate 0.99
    c = rng.normal(size=40)
    x_star = np.linalg.solve(np.eye(40) - M, c)

    def steps(memory):
        acc = Anderson(40, memory) if memory else None
        x = np.zeros(40)
        for it in range(1, 3000):
            fx = M @ x + c
            if np.linalg.norm(fx - x) <= 1e-10:
                return it, x
            x = acc.step(x, fx)[0] if acc else fx
        return it, x

    plain, x_plain = steps(0)
    fast, x_fast = steps(10)
    assert np.allclose(x_fast, x_star, atol=1e-8) and np.allclose(x_plain, x_star, atol=1e-7)
    assert fast * 10 < plain


def test_anderson_safeguard_rejects_a_step_that_increases_the_residual():
    from kmbook._anderson import Anderson

    acc = Anderson(2, 3)
    x0, f0 = np.zeros(2), np.array([1.0, 0.0])
    x1, accelerated = acc.step(x0, f0)
    assert x1 is f0 and not accelerated  # nothing stored yet: the plain step
    f1 = np.array([1.5, 0.0])
    x2, accelerated = acc.step(x1, f1)
    assert accelerated and not np.array_equal(x2, f1)
    # the map misbehaves at the extrapolated point: residual far above |f1 - x1| = 0.5
    x3, accelerated = acc.step(x2, x2 + np.array([0.0, 10.0]))
    assert not accelerated and np.array_equal(x3, f1) and acc.rejected == 1 and acc.count == 0
    with pytest.raises(ValueError, match="memory"):
        Anderson(2, 0)


def test_anderson_memory_is_capped_at_large_n():
    from kmbook.sdp_native import ANDERSON_MAX_BYTES, _accelerator

    acc = _accelerator(2000, 10)
    assert 1 <= acc.memory < 10 and (2 * acc.memory + 2) * 2000**2 * 8 <= ANDERSON_MAX_BYTES
    assert (2 * acc.memory + 4) * 2000**2 * 8 > ANDERSON_MAX_BYTES  # the largest memory that fits
    assert _accelerator(30, 10).memory == 10
    assert _accelerator(30, 0) is None and _accelerator(4000, 10) is None


@pytest.mark.parametrize("relaxation", RELAXATIONS)
def test_speed_options_do_not_change_the_answer_above_the_full_eigh_size(relaxation):
    """Above FULL_EIGH_MAX_N the Z-step is a few warm-started LOBPCG steps: one step or eight,
    with or without the gap balancing of rho, the certified answer is the same partition."""
    from kmbook.sdp_native import FULL_EIGH_MAX_N

    X = _overlapping(22, n=FULL_EIGH_MAX_N // 3 + 3, sep=9.0)
    results = [getattr(sdp, relaxation)(X, 3, "kmbook", solver_options=opts)
               for opts in ({}, {"eig_steps": 8, "balance": 0.0, "anderson": 0})]
    for res in results:
        assert res.status == "optimal" and res.verified and res.certified_partition is not None
        assert res.lower_bound <= res.value <= res.lower_bound * (1 + 1e-5)
    assert np.array_equal(results[0].Z, results[1].Z)


def test_block_eigensolver_tracks_a_drifting_matrix_and_keeps_an_orthonormal_block():
    from scipy.linalg import eigh

    from kmbook._sdp_eigen import FULL_EIGH_MAX_N, TopEigen, _simplex_threshold, center

    rng = np.random.default_rng(5)
    n, total = FULL_EIGH_MAX_N + 100, 2.0
    U = np.linalg.qr(rng.standard_normal((n, 6)))[0]
    base = center((U * np.array([9.0, 7.0, 5.0, 1.0, 0.5, 0.2])) @ U.T)
    eig = TopEigen(n, 8, rng)
    eig.max_inner = 1
    for step in range(300):  # warm-started, one LOBPCG step per call, as in the solver
        noise = rng.standard_normal((n, n)) * 1e-3 / (1 + step)
        A = center(base + (noise + noise.T) / 2)
        w, V = eig(A, total)
    vals = eigh(A, eigvals_only=True)[::-1]
    theta, n_pos = _simplex_threshold(vals, total)
    assert np.allclose(np.sort(w)[::-1], vals[:n_pos] - theta, atol=1e-8)
    B = eig.V
    assert np.abs(B.T @ B - np.eye(B.shape[1])).max() < 1e-12  # no drift of orthonormality
    assert np.abs(B.sum(axis=0)).max() < 1e-10 * np.sqrt(n)  # the block stays orthogonal to 1
    assert eig.full == 0  # the block iteration, not the dense fallback, did the work


def test_cholesky_qr_orthonormalises_or_declines():
    from kmbook._sdp_eigen import _orth_factor

    rng = np.random.default_rng(6)
    W = rng.standard_normal((300, 40)) * np.logspace(0, 6, 40)  # badly scaled columns: fine after scaling
    Q = W @ _orth_factor(W)
    assert np.abs(Q.T @ Q - np.eye(40)).max() < 1e-13
    # condition ~ 300 after scaling: one Cholesky-QR pass leaves ~1e-12, the second 1e-14
    Q0, R0 = (np.linalg.qr(rng.standard_normal(shape))[0] for shape in ((300, 40), (40, 40)))
    W2 = Q0 @ np.diag(np.logspace(0, -2.5, 40)) @ R0
    Q = W2 @ _orth_factor(W2)
    assert np.abs(Q.T @ Q - np.eye(40)).max() < 1e-13
    W[:, 7] = W[:, 3] * 1e3 + 1e-8 * W[:, 9]  # nearly dependent columns: left to Householder QR
    assert _orth_factor(W) is None
    W[:, 7] = 0.0
    assert _orth_factor(W) is None
