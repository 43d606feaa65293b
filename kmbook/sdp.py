"""Semidefinite relaxations of k-means: Peng–Wei and Amini–Levina.

Paper: Paper 3 (Li, Li, Ling, Strohmer, Wei), Section 2, eq. (2.2)–(2.3)
(Peng–Wei) and Section 3.2, eq. (3.3) (Amini–Levina, balanced clusters).
Chapter: book/convex/peng_wei, book/convex/amini_levina, book/convex/phase_transitions.

A partition ``Gamma_1..Gamma_K`` of the points is encoded by its membership
matrix ``Z = sum_a 1_a 1_a^T / n_a``; with ``D_ij = ||x_i - x_j||^2`` the
k-means cost of the partition is ``<D, Z> / 2``. Both relaxations keep the
linear objective and replace "Z is a membership matrix" by convex constraints:

* Peng–Wei (2.3): ``Z PSD, Z >= 0 entrywise, tr Z = K, Z 1 = 1``;
* Amini–Levina (3.3), all clusters of size ``n = N / K``:
  ``Z PSD, Z >= 0, Z 1 = 1, diag Z = 1/n`` (which forces ``tr Z = K``).

Every result reports ``value = <D, Z> / 2`` on the k-means scale, so it can be
compared directly with :func:`kmbook.objective.kmeans_cost`.

Solvers. The reference formulation is cvxpy's; ``solver=None`` picks by size:

* ``N <= 40``: Clarabel (interior point) at its defaults: the most accurate, but its cost
  grows steeply with N because of the N^2 entrywise constraints;
* ``N > 40``: SCS (operator splitting) with ``eps_abs = eps_rel = 1e-6``
  (:data:`SCS_DEFAULT_OPTIONS`), several times faster there and accurate enough for the check
  below; SCS at its own default ``eps = 1e-4`` is not (it fails the check).

The measurements behind this rule (accuracy against Clarabel at tolerances 1e-10, and speed)
are in ``benchmarks/README.md`` and ``benchmarks/results/sdp.json`` (``benchmarks/bench_sdp.py``).

Pass ``solver="SCS"`` or ``solver="CLARABEL"`` and ``solver_options`` to override.

``solver="kmbook"``: the native first-order solver of :mod:`kmbook.sdp_native` (ADMM with
partial eigendecompositions, no cvxpy), for N in the hundreds to thousands; its options are
:data:`kmbook.sdp_native.NativeOptions`. Measured against SCS in ``benchmarks/bench_sdp.py
--native`` (results in ``benchmarks/results/sdp_native*.json``; see README).

Whatever the solver, every result carries ``lower_bound``, a rigorous lower bound on the
relaxation's optimum (:mod:`kmbook.sdp_bound`), ``upper_bound``, the cost of a feasible
point built from ``Z`` (:mod:`kmbook.sdp_upper`), and ``kkt["certified_gap"]``, which enters
:attr:`SDPResult.verified`; and ``certified_partition`` when the rounded partition has a
verified dual certificate (:func:`kmbook.proximity.dual_certificate`). The native solver
returns the feasible point itself as ``Z`` (so ``value == <D, Z> / 2 >= lower_bound`` and the
certified gap is a proved bracket), or the rounded partition's membership matrix when its cost
meets the lower bound within ``tol`` (``partition_solution``).

A solve that ends without a solution (infeasible, unbounded, solver error)
raises :class:`SDPSolveError`. Every returned solution is then checked a
posteriori, independently of the solver's own verdict: the constraint
residuals of ``Z`` (``result.residuals``) and, from the solver's dual
variables, dual feasibility, stationarity and the duality gap
(``result.kkt``). If any exceeds ``residual_tol`` a
:class:`kmbook.exceptions.ConvergenceWarning` is issued and
``result.verified`` is False. The solver's status is kept in ``result.status``:
Clarabel occasionally reports "optimal_inaccurate" (about 1 solve in 100 on
small random instances) for solutions that pass the check with residuals near
1e-9; those are returned without a warning.
"""

from __future__ import annotations

import time
import warnings

import numpy as np

from ._validation import as_points, as_square, check_n_clusters, check_positive
from .exceptions import ConvergenceWarning
from .oracles import BestPartition as BestPartition
from .oracles import best_partition as best_partition
from .partitions import distance_matrix, feasibility_residuals, round_embedding
from .partitions import exactness_error as exactness_error
from .partitions import is_exact as is_exact
from .partitions import membership_matrix as membership_matrix
from .sdp_result import SDPResult as SDPResult
from .sdp_result import SDPSolveError as SDPSolveError

__all__ = [
    "SDPResult",
    "SDPSolveError",
    "peng_wei",
    "amini_levina",
    "round_solution",
    "CLARABEL_MAX_N",
    "SCS_DEFAULT_OPTIONS",
]

#: Largest N for which ``solver=None`` chooses Clarabel (interior point).
CLARABEL_MAX_N = 40
#: Options passed to SCS when it is chosen (automatically or by name) without options.
SCS_DEFAULT_OPTIONS = {"eps_abs": 1e-6, "eps_rel": 1e-6, "max_iters": 100_000}

_SOLVERS = ("CLARABEL", "SCS", "KMBOOK")


def _import_cvxpy():
    try:
        import cvxpy
    except ImportError as err:
        raise ImportError(
            "kmbook.sdp solves the relaxations with cvxpy, which is not installed. "
            "Install the convex extra: pip install kmbook[sdp] (cvxpy, clarabel and scs)."
        ) from err
    return cvxpy


def _choose_solver(solver, solver_options, n_points):
    if solver is None:
        solver = "CLARABEL" if n_points <= CLARABEL_MAX_N else "SCS"
    if not isinstance(solver, str) or solver.upper() not in _SOLVERS:
        raise ValueError(f"solver must be None, 'CLARABEL', 'SCS' or 'kmbook'; got {solver!r}.")
    solver = solver.upper()
    if solver_options is None:
        options = dict(SCS_DEFAULT_OPTIONS) if solver == "SCS" else {}
    elif isinstance(solver_options, dict):
        options = dict(solver_options)
    else:
        raise TypeError("solver_options must be a dict of solver keyword arguments or None; "
                        f"got {type(solver_options).__name__}.")
    return solver, options


def _solve(X, k, relaxation, solver, solver_options, residual_tol):
    D = distance_matrix(X)
    n_points = D.shape[0]
    solver, options = _choose_solver(solver, solver_options, n_points)
    residual_tol = check_positive(residual_tol, "residual_tol")
    # Scale D to unit mean off-diagonal entry: the optimal Z does not change and
    # the solvers' tolerances become relative to the data's scale.
    scale = float(D.sum()) / max(n_points * (n_points - 1), 1)
    if scale <= 0:
        raise ValueError("X must contain at least two distinct points; all points coincide.")
    if solver == "KMBOOK":
        from .sdp_native import result as native_result

        return native_result(X, D, scale, k, relaxation, options, residual_tol)
    cp = _import_cvxpy()  # imported lazily: cvxpy is slow to import

    Ds = D / scale

    Z = cp.Variable((n_points, n_points), symmetric=True)
    ones = np.ones(n_points)
    psd = Z >> 0
    nonneg = Z >= 0
    rows = Z @ ones == ones
    if relaxation == "peng_wei":
        last = cp.trace(Z) == k
    else:
        last = cp.diag(Z) == (k / n_points) * ones
    problem = cp.Problem(cp.Minimize(cp.sum(cp.multiply(Ds, Z))), [psd, nonneg, rows, last])
    start = time.perf_counter()
    try:
        with warnings.catch_warnings():
            # cvxpy's own "Solution may be inaccurate" notice: replaced by the
            # a-posteriori check below, which warns only when it fails.
            warnings.filterwarnings("ignore", message="Solution may be inaccurate", category=UserWarning)
            problem.solve(solver=solver, **options)
    except cp.error.SolverError as exc:
        raise SDPSolveError(f"{solver} failed on the {relaxation} SDP with N={n_points}, k={k}: {exc}") from exc
    elapsed = time.perf_counter() - start
    status = problem.status
    if status not in (cp.OPTIMAL, cp.OPTIMAL_INACCURATE) or Z.value is None:
        raise SDPSolveError(
            f"{solver} returned status {status!r} on the {relaxation} SDP with N={n_points}, k={k}; "
            "no optimal solution is available. Try the other solver or tighter options."
        )
    Zv = (Z.value + Z.value.T) / 2
    residuals = feasibility_residuals(Zv, k, relaxation)
    key = "trace" if relaxation == "peng_wei" else "diagonal"
    duals_s = {"psd": psd.dual_value, "nonnegative": nonneg.dual_value, "row_sums": rows.dual_value,
               key: last.dual_value}
    kkt = _kkt(Ds, Zv, k, duals_s, key)
    duals = {name: _scaled(v, scale) for name, v in duals_s.items()}
    from .sdp_bound import certify_solution
    from .sdp_upper import feasible_point

    value = float(np.sum(D * Zv)) / 2
    upper = feasible_point(D, Zv, k, relaxation)[1]
    lower, gap, partition = certify_solution(X, D, Zv, duals, k, relaxation, value, labels=round_solution(Zv, k))
    kkt["certified_gap"] = gap
    result = SDPResult(
        Z=Zv, value=value, status=status, solve_time=elapsed, solver=solver,
        relaxation=relaxation, k=k, residuals=residuals, kkt=kkt, duals=duals, residual_tol=residual_tol,
        lower_bound=lower, certified_partition=partition, upper_bound=upper,
    )
    if not result.verified:
        checks = {**residuals, **kkt}
        worst = max(checks, key=checks.get)
        warnings.warn(
            f"{solver} returned status {status!r} on the {relaxation} SDP (N={n_points}, k={k}) and the "
            f"solution fails the optimality check: {worst!r} = {checks[worst]:.2e} > residual_tol={residual_tol:.1e}.",
            ConvergenceWarning, stacklevel=3,
        )
    return result


def _kkt(Ds, Z, k, duals, key):
    """Dual feasibility, duality gap and a bound on suboptimality, in units where
    the mean off-diagonal entry of D is 1.

    With cvxpy's sign conventions the duals satisfy
    ``D = Lambda + B - (z I or diag(z)) - (r 1^T + 1 r^T) / 2``; the dual
    objective is ``-(k z + 1^T r)`` (Peng–Wei) or ``-(k/N 1^T z + 1^T r)``.
    With ``R`` the stationarity residual, every feasible ``Z'`` (``Z' PSD``,
    ``tr Z' = k``, rows of ``Z'`` non-negative and summing to 1) satisfies
    ``<D, Z'> = <Lambda, Z'> + <B + R, Z'> + dual >= dual + k min(0, lambda_min(Lambda))
    + sum_i min_j (B + R)_ij``, so ``"suboptimality"`` bounds the relative
    distance of ``<D, Z>`` to the true optimum (denominator ``max(<D, Z>, 1e-9)``).
    """
    if any(v is None for v in duals.values()):
        return {"dual_missing": float("inf")}
    n_points = Z.shape[0]
    Lam, B, r, zv = (np.asarray(duals[name], dtype=float) for name in ("psd", "nonnegative", "row_sums", key))
    Lam = (Lam + Lam.T) / 2
    diag = zv * np.eye(n_points) if key == "trace" else np.diag(zv)
    R = Ds - (Lam + B - diag - (r[:, None] + r[None, :]) / 2)
    dual_obj = -(k * float(zv) if key == "trace" else (k / n_points) * float(zv.sum())) - float(r.sum())
    primal_obj = float(np.sum(Ds * Z))
    eps_psd = max(0.0, -float(np.linalg.eigvalsh(Lam)[0]))
    denom = max(abs(primal_obj), 1e-9)
    lower = dual_obj - k * eps_psd + float((B + R).min(axis=1).sum())
    return {
        "dual_psd": eps_psd,
        "dual_nonnegativity": max(0.0, -float(B.min())),
        "stationarity": float(np.max(np.abs(R))),
        "gap": abs(primal_obj - dual_obj) / denom,
        "suboptimality": max(0.0, primal_obj - lower) / denom,
    }


def _scaled(value, scale):
    if value is None:
        return None
    arr = np.asarray(value, dtype=float) * scale
    return float(arr) if arr.ndim == 0 else arr


def peng_wei(X, k, solver=None, *, solver_options=None, residual_tol=1e-4):
    """Solve the Peng–Wei SDP relaxation of k-means.

    ``minimise <D, Z>  s.t.  Z PSD, Z >= 0, tr Z = k, Z 1 = 1``.

    Paper: Paper 3, Section 2, eq. (2.3) (Peng and Wei, 2007).
    Chapter: book/convex/peng_wei.

    Parameters
    ----------
    X : array-like of shape (N, d)
        Data points.
    k : int
        Number of clusters, ``1 <= k <= N``.
    solver : {None, "CLARABEL", "SCS", "kmbook"}, default=None
        None chooses Clarabel for ``N <= CLARABEL_MAX_N`` and SCS (with
        ``SCS_DEFAULT_OPTIONS``) above; the module docstring lists the
        measured accuracy of each. "kmbook" is the native solver
        (:mod:`kmbook.sdp_native`), with no cvxpy on its path.
    solver_options : dict, optional
        Keyword arguments for ``cvxpy.Problem.solve`` (e.g. ``eps_abs``);
        replaces the defaults. For "kmbook", keys of
        :data:`kmbook.sdp_native.NativeOptions` (``tol``, ``feas_tol``,
        ``max_iter``, ``max_time``, ...).
    residual_tol : float, default=1e-4
        A ``ConvergenceWarning`` is issued, and ``result.verified`` is False,
        when a primal residual or a ``kkt`` entry exceeds this.

    Returns
    -------
    SDPResult
        ``.Z``, ``.value`` (``<D, Z> / 2``), ``.lower_bound`` (rigorous),
        ``.status``, ``.solve_time``, ``.residuals``, ``.duals``,
        ``.certified_partition``.

    Raises
    ------
    SDPSolveError
        If the solver fails or reports a status other than optimal.

    Examples
    --------
    >>> import numpy as np
    >>> from kmbook.sdp import peng_wei, is_exact
    >>> X = np.array([[0.0, 0.0], [0.0, 1.0], [5.0, 0.0], [5.0, 1.0]])
    >>> res = peng_wei(X, 2)
    >>> res.status, round(res.value, 6), is_exact(res.Z, [0, 0, 1, 1])
    ('optimal', 1.0, True)
    """
    X = as_points(X, "X", min_samples=1)
    k = check_n_clusters(k, X.shape[0])
    return _solve(X, k, "peng_wei", solver, solver_options, residual_tol)


def amini_levina(X, k, solver=None, *, solver_options=None, residual_tol=1e-4):
    """Solve the Amini–Levina SDP relaxation of balanced k-means.

    ``minimise <D, Z>  s.t.  Z PSD, Z >= 0, Z 1 = 1, diag Z = k / N``.

    Only defined when the ``N`` points are to be split into ``k`` clusters of
    equal size ``n = N / k``; it is tighter than Peng–Wei (its feasible set is
    contained in Peng–Wei's) and lower-bounds the best *balanced* partition.

    Paper: Paper 3, Section 3.2, eq. (3.3) (Amini and Levina, 2018).
    Chapter: book/convex/amini_levina.

    Parameters
    ----------
    X : array-like of shape (N, d)
    k : int
        Number of clusters; must divide N.
    solver, solver_options, residual_tol
        As in :func:`peng_wei`.

    Returns
    -------
    SDPResult

    Raises
    ------
    ValueError
        If `k` does not divide the number of points.
    SDPSolveError
        If the solver fails or reports a status other than optimal.

    Examples
    --------
    >>> import numpy as np
    >>> from kmbook.sdp import amini_levina
    >>> X = np.array([[0.0], [1.0], [10.0], [11.0]])
    >>> round(amini_levina(X, 2).value, 6)
    1.0
    """
    X = as_points(X, "X", min_samples=1)
    k = check_n_clusters(k, X.shape[0])
    if X.shape[0] % k:
        raise ValueError(
            f"amini_levina needs balanced clusters: k={k} must divide the number of points N={X.shape[0]} "
            f"(N % k = {X.shape[0] % k}). Use peng_wei for unbalanced data, or drop points."
        )
    return _solve(X, k, "amini_levina", solver, solver_options, residual_tol)


def round_solution(Z, k):
    """Labels from a relaxed solution: spectral embedding, then k-means.

    The rows of ``V = U_k diag(sqrt(lambda_k))`` (top-`k` eigenpairs of ``Z``)
    satisfy ``V V^T ~ Z``; they are clustered by Lloyd's algorithm from a
    deterministic farthest-first seeding. When ``Z`` is exactly a partition
    matrix the rows of one cluster coincide and the partition is returned.

    Paper: Paper 3, Section 2 (the relaxation's output must be turned into a
    partition when it is not exact).
    Chapter: book/convex/peng_wei.

    Parameters
    ----------
    Z : array-like of shape (N, N)
        A (near) feasible point of either relaxation.
    k : int
        Number of clusters.

    Returns
    -------
    ndarray of shape (N,)
        Labels in ``0..k-1``, numbered in order of first appearance.

    Examples
    --------
    >>> from kmbook.partitions import membership_matrix
    >>> from kmbook.sdp import round_solution
    >>> round_solution(membership_matrix([2, 2, 0, 1, 1]), 3)
    array([0, 0, 1, 2, 2])
    """
    Z = as_square(Z)
    k = check_n_clusters(k, Z.shape[0])
    S = (Z + Z.T) / 2
    vals, vecs = np.linalg.eigh(S)
    vals, vecs = vals[::-1][:k], vecs[:, ::-1][:, :k]
    return round_embedding(vecs * np.sqrt(np.clip(vals, 0.0, None)), k)


