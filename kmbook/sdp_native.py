"""A native first-order solver for the Peng–Wei and Amini–Levina SDPs (no cvxpy).

Paper: Paper 3, Section 2, eq. (2.3) (Peng–Wei) and Section 3.2, eq. (3.3) (Amini–Levina).
Chapter: book/convex/peng_wei, book/convex/amini_levina, book/convex/phase_transitions.

Algorithm: ADMM on the splitting ``Z = Y``, ``Z in S``, ``Y in C`` with

* ``S = {Z PSD, Z 1 = 1, tr Z = K}`` — every such matrix is ``J / N + W`` with
  ``J = 1 1^T``, ``W PSD``, ``W 1 = 0`` and ``tr W = K - 1``, so the projection onto
  ``S`` is the eigenvalue projection of the centred matrix onto the simplex
  ``{lambda >= 0, sum lambda = K - 1}``. Only the eigenvalues above the simplex
  threshold are needed: near the solution they are about ``rank Z <= N`` of them
  (``K - 1`` when the relaxation is exact), found by a block LOBPCG iteration
  warm-started from the previous step's eigenvectors (the block grows when it is
  saturated; a full eigendecomposition is the fallback; :mod:`kmbook._sdp_eigen`).
* ``C = {Y >= 0}`` (Peng–Wei) or ``{Y_ij >= 0 (i != j), diag Y = K / N}``
  (Amini–Levina): an entrywise projection.

The ADMM state is one matrix, ``W = Y + U`` (``Y`` and ``U`` are its entrywise
projection and remainder), and the map ``W -> W+`` of one step is accelerated by
safeguarded type-II Anderson acceleration (:mod:`kmbook._anderson`, memory
``anderson``; its history is cleared whenever the penalty changes, and shrunk or
switched off at large N to fit :data:`ANDERSON_MAX_BYTES`). Above
:data:`FULL_EIGH_MAX_N` each Z-step makes ``eig_steps`` warm-started block-LOBPCG steps
only: an inexact eigen-projection still returns a point of ``S``, it only steers.
Over-relaxation (1.6) and residual balancing adapt the penalty; the entrywise
step, the residuals and the next projection's input are one fused numba pass
(:mod:`kmbook._sdp_kernels`). The dual multiplier of ``Z = Y`` is the dual matrix
``B`` of the constraint ``Z >= 0`` (non-negative by construction of the
projection); every ``check_every`` iterations the dual function at ``B``
(:func:`kmbook.sdp_bound.dual_function`) is evaluated and the best ``B`` kept.
The dual converges much faster than primal feasibility on fractional optima, so
once the gap is estimated the penalty follows its two parts: raised while the
*repair* part (the estimate of :func:`kmbook.sdp_upper.feasible_point`'s upper bound
minus the value, which grows like ``N`` times ``Z``'s negative entries) exceeds
``balance`` times the dual part ``|value - bound|`` (or the dual part is below
``tol / 2``), lowered in the opposite case. When
the partition rounded from the iterate already has cost within ``tol`` of the bound,
the solver stops and returns that partition's matrix. The caller then computes the
rigorous lower bound (:func:`kmbook.sdp_bound.lower_bound`) and the feasible point,
both valid whatever the iterate's accuracy: speed heuristics here can make a result
slow, never wrong.

Peers (from their published descriptions): SDPNAL+ (ADMM+ as phase one of a
semismooth Newton augmented Lagrangian method — the accurate route, too long for
this module), the conditional-gradient/sketching line of Yurtsever et al. (k-means
SDP at N in the thousands, low accuracy, no certificate) and Tepper's
``sdp_kmeans`` (Burer–Monteiro with a non-negative factor, which restricts to
completely positive matrices and so does not solve the SDP when its optimum is
fractional).
"""

from __future__ import annotations

import time

import numpy as np

from . import _sdp_kernels as _k
from ._sdp_eigen import FULL_EIGH_MAX_N, TopEigen, center  # noqa: F401 (FULL_EIGH_MAX_N: old home)

__all__ = ["NativeOptions"]

#: Default options of the native solver (``solver_options`` overrides any of them).
NativeOptions = {
    "tol": 1e-5,        # relative certified gap (upper - lower bound) / upper at which to stop
    "feas_tol": 1e-5,    # largest violation of Z >= 0 (and of diag Z = K/N) at which to stop
    "max_iter": 20_000,  # ADMM iterations
    "max_time": None,    # seconds; None means no limit
    "check_every": 20,   # iterations between gap checks
    "seed": 0,           # seeds the random part of the first eigen-block
    "rho": None,         # initial penalty, in units of sum(D) / (N K) (adapted by residual balancing); None: 4 for
                         # Peng–Wei, 16 for Amini–Levina (measured: 25 % fewer iterations on overlapping clusters)
    "threads": 1,        # numba threads of the entrywise kernels (1 is fastest on a loaded machine)
    "callback": None,    # called with each history row (iteration, residual, ..., gap, rho, block)
    "anderson": 5,       # memory of the Anderson acceleration (0: plain ADMM); shrunk to fit ANDERSON_MAX_BYTES
    "balance": None,     # rho moves when one part of the estimated gap (dual, repair) is this many times the
                         # other; 0: off; None: 4 for Peng–Wei, off for Amini–Levina (measured: it slows the latter)
    "eig_steps": 1,      # block-LOBPCG steps per Z-step above FULL_EIGH_MAX_N (warm-started; more: exacter, slower)
    "blas_threads": 1,   # BLAS threads inside the solve (None: leave the BLAS setting alone)
}

#: Memory the Anderson history may use; the memory option is reduced (to 0 above N ~ 3500) to fit it.
ANDERSON_MAX_BYTES = 400e6


def admm(Ds, k, relaxation, options, bound):
    """Run ADMM on the scaled distance matrix ``Ds`` (mean off-diagonal entry 1).

    Paper: Paper 3, eq. (2.3) and (3.3).
    Chapter: book/convex/phase_transitions.

    Parameters
    ----------
    Ds : ndarray of shape (N, N)
    k : int
    relaxation : {"peng_wei", "amini_levina"}
    options : dict
        :data:`NativeOptions` merged with the caller's.
    bound : callable
        ``bound(B) -> (lower_bound_estimate)`` on the scale of ``<Ds, Z>``, used
        as a stopping test (the rigorous bound is computed by the caller).

    Returns
    -------
    dict
        ``Z`` (in ``S``: PSD with exact row sums and trace up to rounding),
        ``B`` (dual of ``Z >= 0``, entrywise non-negative off the diagonal),
        ``iterations``, ``converged``, ``primal_residual``, ``gap``,
        ``eig_vectors``/``eig_values`` of ``Z - J / N``, ``history``.
    """
    n_points = Ds.shape[0]
    tol, max_iter = float(options["tol"]), int(options["max_iter"])
    feas_tol = float(options["feas_tol"])
    max_time = options["max_time"]
    check_every = int(options["check_every"])
    rng = np.random.default_rng(options["seed"])
    diag_val = k / n_points
    J_N = 1.0 / n_points
    start = time.perf_counter()

    # tr(-P Ds P) = sum(Ds) / N is the total spread of the data term. Start from the
    # projection of -Ds / rho0 with rho0 small enough that it is spectral (all of its
    # centred eigenvalues are >= 0 and sum to 2 K > K - 1): the simplex threshold of the
    # next projections starts non-negative, so the eigen-block stays small.
    spread = float(Ds.sum()) / n_points
    eig = TopEigen(n_points, min(k + 6, n_points - 1), rng)
    eig.max_inner = max(1, int(options["eig_steps"]))
    A = center(Ds / (-spread / (2.0 * k)))
    w, V = eig(A, k - 1)
    Y = (V * w) @ V.T
    Y += J_N
    np.maximum(Y, 0.0, out=Y)
    if relaxation == "amini_levina":
        np.fill_diagonal(Y, diag_val)
    U = np.zeros_like(Y)
    rho_unit = options["rho"]
    rho_unit = (4.0 if relaxation == "peng_wei" else 16.0) if rho_unit is None else float(rho_unit)
    rho = rho_unit * spread / k
    alpha = 1.6
    fix_diag = relaxation == "amini_levina"
    balance = options["balance"]
    balance = (4.0 if relaxation == "peng_wei" else 0.0) if balance is None else float(balance)
    acc = _accelerator(n_points, int(options["anderson"]))
    x = Y.copy()  # the ADMM state W = Y + U (Y = max(W, 0), U = W - Y): the accelerated variable
    history = []
    converged = False
    gap = res_p = np.inf
    best_lb, best_B, value, upper = -np.inf, None, np.inf, np.inf
    partition = None
    # the centre Z0 of kmbook.sdp_upper: its cost and margins turn residuals into an upper bound
    value0 = float(Ds.sum()) * (n_points - k) / (n_points * (n_points - 1))
    c0, spec0 = (n_points - k) / (n_points * (n_points - 1)), (k - 1) / (n_points - 1)
    it = 0
    Z = np.empty_like(Y)
    A = Y - Ds / rho
    m = A.mean(axis=1)
    for it in range(1, max_iter + 1):
        # Z-step: projection onto S of A = Y - U - Ds / rho (centred)
        _k.center(A, m)
        w, V = eig(A, k - 1)
        np.matmul(V * w, V.T, out=Z)
        Z += J_N
        # Y-step with over-relaxation, fused with the next Z-step's input
        m, s_zy, s_dy, s_u, s_z, zmin = _k.y_step(Z, Y, U, Ds, A, alpha, 1.0 / rho, diag_val, fix_diag)
        if acc is not None:
            fx = Y + U
            x, _ = acc.step(x, fx)
            if x is not fx:  # an accelerated point (or the plain step a rejected one replaced)
                m = _k.split(x, Y, U, Ds, A, 1.0 / rho, diag_val, fix_diag)
        if it % check_every == 0 or it == max_iter:
            res_p = max(0.0, -zmin)
            t_est = res_p / (res_p + c0)
            if fix_diag:
                d_err = float(np.abs(np.diag(Z) - diag_val).max())
                res_p = max(res_p, d_err)
                t_est = max(t_est, 3 * d_err / (3 * d_err + spec0))
            rel_p = np.sqrt(s_zy / max(s_z, 1e-300))
            rel_d = np.sqrt(s_dy / max(s_u, 1e-300))
            gap = np.inf
            if res_p <= 100 * feas_tol:
                lb = bound(-rho * U)
                if lb > best_lb:  # any B gives a valid bound: keep the best one
                    best_lb, best_B = lb, -rho * U
                value = float(np.vdot(Ds, Z))
                # estimated cost of the feasible point kmbook.sdp_upper builds from Z
                upper = (1 - t_est) * value + t_est * value0
                gap = (upper - best_lb) / max(abs(upper), 1e-9)
                if abs(value - best_lb) <= 10 * tol * max(abs(value), 1e-9):
                    partition = _partition_within(Ds, w, V, k, best_lb, tol, fix_diag)
            history.append((it, res_p, rel_p, rel_d, gap, rho, V.shape[1]))
            if options.get("callback") is not None:
                options["callback"](history[-1])
            if partition is not None or (res_p <= feas_tol and gap <= tol):
                converged = True
                break
            # residual balancing (the scaled dual U rescales with rho; A is rebuilt). Once the gap is
            # estimated, rho follows its two parts instead: the dual part |value - bound| falls as rho
            # falls, the repair part (upper - value, primal infeasibility) as rho rises
            factor = 2.0 if rel_p > 10 * rel_d else 0.5 if rel_d > 10 * rel_p else 1.0
            if np.isfinite(gap) and gap > tol:
                scale_v = max(abs(value), 1e-9)
                dual_part, repair_part = abs(value - best_lb) / scale_v, (upper - value) / scale_v
                if dual_part <= tol / 2 or (balance and repair_part > balance * dual_part):
                    factor = 2.0
                elif balance and dual_part > balance * repair_part:
                    factor = 0.5
            if factor != 1.0:
                rho *= factor
                U /= factor
                np.subtract(Y, U, out=A)
                A -= Ds / rho
                m = A.mean(axis=1)
                if acc is not None:  # the map changed with rho: its history no longer applies
                    acc.reset()
                    np.add(Y, U, out=x)
        # every iteration, not only at checks: above N ~ 2000 twenty iterations can take minutes
        if max_time is not None and time.perf_counter() - start > max_time:
            break
    B = best_B if best_B is not None else -rho * U
    return {
        "Z": Z, "B": B, "iterations": it, "converged": converged, "primal_residual": res_p, "gap": gap,
        "eig_values": w, "eig_vectors": V, "history": history, "full_eigh": eig.full, "rho": rho,
        "partition": partition,
        "anderson": None if acc is None else (acc.memory, acc.accepted, acc.rejected),
    }


def _accelerator(n_points, memory):
    """The Anderson accelerator of the ADMM state, with `memory` reduced to fit ANDERSON_MAX_BYTES."""
    from ._anderson import Anderson

    size = n_points * n_points
    memory = min(memory, int((ANDERSON_MAX_BYTES / (8 * size) - 2) // 2))
    return Anderson(size, memory) if memory >= 1 else None


def _partition_within(Ds, w, V, k, lb, tol, balanced):
    """Labels rounded from the iterate when their cost is within `tol` of the bound `lb`, else None.

    The partition matrix is feasible (for Amini–Levina when the clusters are balanced), so its
    cost bounds the optimum from above: the pair (partition, dual matrix) then solves the
    relaxation to within `tol`.
    """
    labels = _round_from_factor(w, V, k)
    sizes = np.bincount(labels, minlength=k)
    n_points = Ds.shape[0]
    if sizes.size != k or sizes.min() == 0 or (balanced and np.any(sizes * k != n_points)):
        return None
    cost = sum(float(Ds[np.ix_(labels == a, labels == a)].sum()) / sizes[a] for a in range(k))
    return labels if cost - lb <= tol * max(abs(cost), 1e-9) else None


def _round_from_factor(w, V, k):
    """Labels from ``Z = J / N + V diag(w) V^T``: the spectral embedding of
    :func:`kmbook.sdp.round_solution` (rows of ``V diag(sqrt(w))``; the constant
    direction does not separate points) without a full eigendecomposition."""
    from .partitions import round_embedding

    order = np.argsort(w)[::-1][: max(k - 1, 1)]
    emb = V[:, order] * np.sqrt(np.clip(w[order], 0.0, None))
    if emb.shape[1] == 0 or not np.any(emb):
        return np.zeros(V.shape[0], dtype=np.int64)
    return round_embedding(emb, k)


def solve(X, D, scale, k, relaxation, options):
    """The native solve behind ``peng_wei(..., solver="kmbook")`` / ``amini_levina``.

    Paper: Paper 3, eq. (2.3) and (3.3).
    Chapter: book/convex/phase_transitions.

    Parameters
    ----------
    X : ndarray of shape (N, d)
    D : ndarray of shape (N, N)
        ``distance_matrix(X)``.
    scale : float
        Mean off-diagonal entry of ``D`` (the solver works on ``D / scale``).
    k : int
    relaxation : {"peng_wei", "amini_levina"}
    options : dict
        Keys of :data:`NativeOptions`; unknown keys raise ``TypeError``.

    Returns
    -------
    dict
        ``Z``, ``B`` (dual of ``Z >= 0`` on the scale of ``D``), ``status``
        ("optimal" or "max_iter_reached"/"max_time_reached"), ``labels`` (rounded
        partition), ``iterations``, ``history``, ``solve_time``.
    """
    from ._threads import blas_threads, numba_threads
    from .sdp_bound import dual_value_unchecked

    unknown = set(options) - set(NativeOptions)
    if unknown:
        raise TypeError(
            f"solver_options for solver='kmbook' accepts {sorted(NativeOptions)}; got unknown {sorted(unknown)}."
        )
    opts = {**NativeOptions, **options}
    n_points = D.shape[0]
    start = time.perf_counter()
    Ds = D / scale
    if k == 1 or k == n_points:  # S is a single matrix: J / N, or (with Z 1 = 1, tr Z = N, Z >= 0) I
        Z = np.full((n_points, n_points), 1.0 / n_points) if k == 1 else np.eye(n_points)
        out = {"Z": Z, "B": np.zeros_like(Z), "iterations": 0, "converged": True, "history": [],
               "eig_values": np.zeros(0), "eig_vectors": np.zeros((n_points, 0))}
        labels = np.zeros(n_points, dtype=np.int64) if k == 1 else np.arange(n_points)
    else:
        with numba_threads(int(opts["threads"])), blas_threads(opts["blas_threads"]):
            out = admm(Ds, k, relaxation, opts, lambda B: dual_value_unchecked(Ds, B, k, relaxation, rigorous=False))
        labels = out["partition"]
        if labels is None:
            labels = _round_from_factor(out["eig_values"], out["eig_vectors"], k)
    elapsed = time.perf_counter() - start
    if out["converged"]:
        status = "optimal"
    elif opts["max_time"] is not None and elapsed >= opts["max_time"]:
        status = "max_time_reached"
    else:
        status = "max_iter_reached"
    return {"Z": out["Z"], "B": out["B"] * scale, "status": status, "labels": labels,
            "is_partition": out.get("partition") is not None,
            "iterations": out["iterations"], "history": out["history"], "solve_time": elapsed}


def result(X, D, scale, k, relaxation, options, residual_tol):
    """Solve natively and wrap the answer in a :class:`kmbook.sdp.SDPResult`.

    Paper: Paper 3, eq. (2.3) and (3.3).
    Chapter: book/convex/phase_transitions.
    """
    import warnings

    from .exceptions import ConvergenceWarning
    from .partitions import feasibility_residuals, membership_matrix
    from .sdp_bound import certify_solution
    from .sdp_result import SDPResult
    from .sdp_upper import feasible_point

    out = solve(X, D, scale, k, relaxation, options)
    if out["is_partition"]:  # the rounded partition meets the bound: its matrix is exactly feasible
        Z = membership_matrix(out["labels"])
        upper = float(np.sum(D * Z)) / 2
    else:  # move the iterate onto the feasible set: value is then attained by a feasible point
        Z, upper, _ = feasible_point(D, out["Z"], k, relaxation)
    value = float(np.sum(D * Z)) / 2
    lower, gap, partition = certify_solution(X, D, Z, None, k, relaxation, value, labels=out["labels"], B=out["B"])
    residuals = feasibility_residuals(Z, k, relaxation)
    res = SDPResult(
        Z=Z, value=value, status=out["status"], solve_time=out["solve_time"], solver="KMBOOK",
        relaxation=relaxation, k=k, residuals=residuals, kkt={"certified_gap": gap},
        duals={"nonnegative": out["B"]}, residual_tol=residual_tol, lower_bound=lower,
        certified_partition=partition, iterations=out["iterations"], upper_bound=upper,
        partition_solution=out["is_partition"],
    )
    n_points = D.shape[0]
    if out["status"] != "optimal":
        warnings.warn(
            f"the native solver stopped ({out['status']}) after {out['iterations']} iterations on the "
            f"{relaxation} SDP (N={n_points}, k={k}) before meeting its tolerances: certified gap "
            f"{gap:.1e}, largest residual {res.max_residual:.1e}. Raise solver_options['max_iter'] "
            "(or 'max_time'), or loosen 'tol'/'feas_tol'.",
            ConvergenceWarning, stacklevel=4,
        )
    elif not res.verified:
        checks = {**residuals, "certified_gap": gap}
        worst = max(checks, key=checks.get)
        warnings.warn(
            f"the native solver's answer on the {relaxation} SDP (N={n_points}, k={k}) fails the "
            f"optimality check: {worst!r} = {checks[worst]:.2e} > residual_tol={residual_tol:.1e}.",
            ConvergenceWarning, stacklevel=4,
        )
    return res
