"""The result of the Peng–Wei and Amini–Levina solves, whichever solver produced it.

Paper: Paper 3, eq. (2.3) and (3.3).
Chapter: book/convex/peng_wei, book/convex/phase_transitions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["SDPResult", "SDPSolveError"]


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
        ``|value - lower_bound| / value`` (the value of an approximate ``Z`` can fall
        below the bound by its residuals; that counts against it too).
    certified_partition : ndarray of shape (N,) or None
        The partition rounded from ``Z`` when it has a verified dual certificate
        (:func:`kmbook.proximity.dual_certificate`): its membership matrix is then
        the relaxation's unique solution, known exactly. None otherwise.
    iterations : int or None
        Iterations of the native solver (None for cvxpy's solvers).
    upper_bound : float
        An upper bound on the relaxation's optimum on the ``value`` scale: the cost of a
        feasible point built from ``Z`` (:func:`kmbook.sdp_upper.feasible_point`; up to
        rounding). The optimum lies in ``[lower_bound, upper_bound]`` whatever the
        solver's accuracy. The native solver returns that feasible point as ``Z``, so
        its ``value`` is attained by a feasible matrix and ``value >= lower_bound``.
    partition_solution : bool
        True when ``Z`` is the membership matrix of the rounded partition because its
        cost met ``lower_bound`` within the solver's tolerance (native solver): the
        partition then solves the relaxation to that tolerance, proved by the dual
        matrix behind ``lower_bound``. ``certified_partition`` says more: exactly.
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
    upper_bound: float = float("nan")
    partition_solution: bool = False

    @property
    def certified_gap(self):
        """``|value - lower_bound| / value``: the relative distance to the optimum that
        is proved (up to the primal residuals of ``Z``)."""
        return self.kkt.get("certified_gap", float("inf"))

    @property
    def bracket_gap(self):
        """``(upper_bound - lower_bound) / upper_bound``: the proved relative width of the
        interval holding the optimum (no residual caveat)."""
        return (self.upper_bound - self.lower_bound) / max(abs(self.upper_bound), 1e-300)

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
