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

Solvers. The reference formulation is cvxpy's; ``solver=None`` picks by size. Accuracy and
speed were measured with ``benchmarks/bench_sdp.py`` against Clarabel at tolerances 1e-10, on
three-cluster instances whose solution is a partition matrix ("exact") or fractional
("inexact"), N = 21, 42, 60 (results in ``benchmarks/results/sdp.json``; 2 shared cores):

* ``N <= 40``: Clarabel (interior point) at its defaults. Entries of ``Z`` within 1e-6 of the
  reference, value within 2e-8 (relative), constraint residuals below 1e-8. Its cost grows
  steeply with N because of the N^2 entrywise constraints: 0.03–0.09 s at N = 21, 1–5 s at
  N = 42, 5–13 s at N = 60.
* ``N > 40``: SCS (operator splitting) with ``eps_abs = eps_rel = 1e-6``
  (:data:`SCS_DEFAULT_OPTIONS`). Exact instances: entries within 5e-8. Inexact ones: entries
  within 4e-5, value within 6e-6, residuals below 5e-6. 3 to 30 times faster than Clarabel at
  N = 42–60. SCS at its own default ``eps = 1e-4`` is faster still but leaves entries off by up
  to 9e-4 and residuals up to 3e-4, which fails the check below: do not use it for exactness.

Pass ``solver="SCS"`` or ``solver="CLARABEL"`` and ``solver_options`` to override.

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
from dataclasses import dataclass, field

import numpy as np

from ._validation import as_points, as_square, check_n_clusters, check_positive
from .exceptions import ConvergenceWarning
from .lloyd import lloyd
from .oracles import BestPartition as BestPartition
from .oracles import best_partition as best_partition
from .partitions import distance_matrix, feasibility_residuals
from .partitions import exactness_error as exactness_error
from .partitions import is_exact as is_exact
from .partitions import membership_matrix as membership_matrix

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


class SDPSolveError(RuntimeError):
    """The SDP solver failed or returned a status other than optimal."""


@dataclass(frozen=True)
class SDPResult:
    """Solution of :func:`peng_wei` or :func:`amini_levina`.

    Attributes
    ----------
    Z : ndarray of shape (N, N)
        The (symmetrised) optimal matrix.
    value : float
        ``<D, Z> / 2``: the relaxation's optimal value on the k-means cost
        scale (a lower bound on the k-means optimum, or on the best balanced
        partition for Amini–Levina).
    status : str
        cvxpy's status: "optimal" or "optimal_inaccurate" (others raise).
    solve_time : float
        Wall-clock seconds spent in the solver call (including cvxpy's
        compilation); for reports, never for tests.
    solver : str
        "CLARABEL" or "SCS".
    relaxation : str
        "peng_wei" or "amini_levina".
    k : int
        Number of clusters.
    residuals : dict
        Constraint violations of the returned ``Z``, computed from ``Z`` (not
        taken from the solver): see :func:`feasibility_residuals`.
    kkt : dict
        A-posteriori optimality check from the solver's duals, in units where
        the mean off-diagonal entry of ``D`` is 1: ``"dual_psd"`` and
        ``"dual_nonnegativity"`` (violations of dual feasibility),
        ``"stationarity"`` (max entry of the Lagrangian's gradient), ``"gap"``
        (relative duality gap) and ``"suboptimality"``, a bound on
        ``(<D, Z> - optimum) / <D, Z>`` from weak duality that accounts for
        the dual infeasibilities. On badly scaled data (clusters tiny compared
        with their distances) it is what flags a solver's loss of precision.
    duals : dict
        Dual variables reported by the solver, on the scale of ``<D, Z>``:
        ``"psd"`` (N x N, for ``Z PSD``), ``"nonnegative"`` (N x N, for
        ``Z >= 0``), ``"row_sums"`` (N, for ``Z 1 = 1``) and ``"trace"``
        (scalar, Peng–Wei) or ``"diagonal"`` (N, Amini–Levina). They satisfy
        ``D = psd + nonnegative - (trace * I or diag(diagonal)) - (r 1^T + 1 r^T) / 2``
        up to solver accuracy, with ``r = row_sums``.
    residual_tol : float
        Tolerance of the check behind :attr:`verified`.
    lower_bound : float
        A rigorous lower bound on the relaxation's optimum on the ``value`` scale,
        whichever solver ran: the dual function at the returned dual matrix of
        ``Z >= 0``, every residual and rounding error accounted for
        (:func:`kmbook.sdp_bound.lower_bound`). ``kkt["certified_gap"]`` is
        ``(value - lower_bound) / value``.
    certified_partition : ndarray of shape (N,) or None
        The partition rounded from ``Z`` when it has a verified dual certificate
        (:func:`kmbook.proximity.dual_certificate`): its membership matrix is then
        the relaxation's unique solution, known exactly. None otherwise.
    iterations : int or None
        Iterations of the native solver (None for cvxpy's solvers).
    """

    Z: np.ndarray = field(repr=False)
    value: float
    status: str
    solve_time: float
    solver: str
    relaxation: str
    k: int
    residuals: dict
    kkt: dict
    duals: dict = field(repr=False)
    residual_tol: float = 1e-4
    lower_bound: float = float("nan")
    certified_partition: np.ndarray | None = field(default=None, repr=False)
    iterations: int | None = None

    @property
    def certified_gap(self):
        """``(value - lower_bound) / value``: the relative distance to the optimum that
        is proved (up to the primal residuals of ``Z``)."""
        return self.kkt.get("certified_gap", float("inf"))

    @property
    def max_residual(self):
        """Largest constraint violation of ``Z``."""
        return max(self.residuals.values())

    @property
    def verified(self):
        """The a-posteriori optimality check passes: every primal residual and
        every entry of ``kkt`` (including the certified gap) is at most ``residual_tol``."""
        ok = self.status in ("optimal", "optimal_inaccurate")
        return ok and max(self.max_residual, max(self.kkt.values())) <= self.residual_tol


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
        raise TypeError(f"solver_options must be a dict of solver keyword arguments or None; got {type(solver_options).__name__}.")
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
    import cvxpy as cp  # imported lazily: cvxpy is slow to import

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
    duals_s = {"psd": psd.dual_value, "nonnegative": nonneg.dual_value, "row_sums": rows.dual_value, key: last.dual_value}
    kkt = _kkt(Ds, Zv, k, duals_s, key)
    duals = {name: _scaled(v, scale) for name, v in duals_s.items()}
    from .sdp_native import certify_solution

    value = float(np.sum(D * Zv)) / 2
    lower, gap, partition = certify_solution(X, D, Zv, duals, k, relaxation, value)
    kkt["certified_gap"] = gap
    result = SDPResult(
        Z=Zv, value=value, status=status, solve_time=elapsed, solver=solver,
        relaxation=relaxation, k=k, residuals=residuals, kkt=kkt, duals=duals, residual_tol=residual_tol,
        lower_bound=lower, certified_partition=partition,
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
    solver : {None, "CLARABEL", "SCS"}, default=None
        None chooses Clarabel for ``N <= CLARABEL_MAX_N`` and SCS (with
        ``SCS_DEFAULT_OPTIONS``) above; the module docstring lists the
        measured accuracy of each.
    solver_options : dict, optional
        Keyword arguments for ``cvxpy.Problem.solve`` (e.g. ``eps_abs``);
        replaces the defaults.
    residual_tol : float, default=1e-4
        A ``ConvergenceWarning`` is issued, and ``result.verified`` is False,
        when a primal residual or a ``kkt`` entry exceeds this.

    Returns
    -------
    SDPResult
        ``.Z``, ``.value`` (``<D, Z> / 2``), ``.status``, ``.solve_time``,
        ``.residuals``, ``.duals``.

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


def _farthest_first(V, k):
    """Deterministic seeding: the row of largest norm, then repeatedly the row
    farthest from the rows already chosen (ties to the lowest index)."""
    chosen = [int(np.argmax(np.einsum("ij,ij->i", V, V)))]
    dist = np.sum((V - V[chosen[0]]) ** 2, axis=1)
    for _ in range(1, k):
        nxt = int(np.argmax(dist))
        chosen.append(nxt)
        dist = np.minimum(dist, np.sum((V - V[nxt]) ** 2, axis=1))
    return V[chosen].copy()


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
    V = vecs * np.sqrt(np.clip(vals, 0.0, None))
    labels = lloyd(V, _farthest_first(V, k)).labels
    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
    return np.argsort(np.argsort(first))[inverse]


