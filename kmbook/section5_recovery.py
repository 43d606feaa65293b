"""Section 5 with the native solver: share of instances exactly recovered against the separation.

One *instance* of the random protocol is one draw of ``K`` balls of ``n`` points (uniform in
unit balls, :func:`kmbook.phase_transitions.ball_model_data`); its points stay fixed while the
minimum centre separation ``delta`` moves the centres apart. At every ``delta`` of a grid and
for each relaxation (Peng–Wei, Amini–Levina) the instance gets one of three verdicts, each
resting on a mathematical argument whose inequalities are decided in floating point with a
margin (rules of thumb, recorded with the cell; not a machine-checked proof):

* ``"exact"``: a dual certificate of the planted partition, fitted to the native solver's
  dual matrix, is verified (:func:`kmbook.planted_certificate.fitted_certificate`);
* ``"not_exact"``: the reconstructed necessary condition (Theorems 3.3/3.6,
  :mod:`kmbook.necessary`) fails — no solve needed — or an exactly feasible point built from
  the solver's answer costs less than the planted partition
  (:func:`kmbook.planted_certificate.feasible_competitor`);
* ``"undecided"``: neither was found; counted and reported, never assigned.

Paper: Paper 3, Section 5 (the random protocol, Conjecture 5.1); Theorems 3.1, 3.3, 3.5, 3.6.
Chapter: book/convex/phase_transitions; ``scripts/section5_recovery.py`` runs the sweep.
"""

from __future__ import annotations

import time
import warnings
from functools import partial

import numpy as np

from ._bisect import smallest_passing
from ._validation import as_list, as_real, as_real_array, check_choice, check_int, check_positive
from .exceptions import ConvergenceWarning
from .necessary import al_necessary, pw_necessary
from .phase_transitions import DISTRIBUTIONS, ball_model_data
from .planted_certificate import certified_margin, feasible_competitor, fitted_certificate
from .planted_optimality import partition_cost
from .proximity import al_proximity, pw_proximity
from .sdp import amini_levina, exactness_error, peng_wei

__all__ = ["VERDICTS", "recovery_trial", "recheck_cell", "verdict_counts", "condition_share", "load_recovery"]

#: The three verdicts of a (instance, separation, relaxation) cell.
VERDICTS = ("exact", "not_exact", "undecided")

_SOLVE = {"peng_wei": peng_wei, "amini_levina": amini_levina}
_NECESSARY = {"peng_wei": pw_necessary, "amini_levina": al_necessary}
_SUFFICIENT = {"peng_wei": pw_proximity, "amini_levina": al_proximity}
#: The fitted certificate's null residual and duality gap must be below this many
#: ``N eps max|Lambda|`` (rounding level; :attr:`DualCertificate.verified` alone allows
#: ``1e-8 N`` relative, the size of the smallest eigenvalue margins at N = 200).
ROUNDING_GATE = 1e3
_TASK_KEYS = ("layout", "K", "n", "d", "distribution", "seed", "deltas")


def _decide(X, labels, K, relaxation, options, below_necessary):
    """Solve one relaxation and turn the answer into a verdict with its evidence."""
    planted = partition_cost(X, labels)
    t_cpu, t_wall = time.process_time(), time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # the status is recorded below
        res = _SOLVE[relaxation](X, K, solver="kmbook", solver_options=options)
    cpu, wall = time.process_time() - t_cpu, time.perf_counter() - t_wall
    cert = fitted_certificate(X, labels, res.duals["nonnegative"], relaxation)
    comp = feasible_competitor(X, res.Z, K, relaxation)
    margin = 1e-8 * planted
    cheaper = comp["feasible"] and comp["cost"] < planted - margin
    # Rounding allowance for the competitor (a rule of thumb, not a proved bound): its linear
    # constraints hold to `linear_residual`; correcting them moves the cost by about
    # max(D) N residual (that the corrected point stays entrywise >= 0 is not checked).
    diam2 = float(np.ptp(X, axis=0) @ np.ptp(X, axis=0))  # >= max_ij |x_i - x_j|^2
    rounding = diam2 * X.shape[0] * comp["linear_residual"]
    cheaper = cheaper and planted - comp["cost"] > rounding
    # The fitted certificate's null residual and duality gap are zero in exact arithmetic
    # (complementary slackness is imposed exactly): accept only rounding-level values.
    gate = ROUNDING_GATE * X.shape[0] * np.finfo(float).eps * max(1.0, float(np.abs(cert.Lambda).max())
                                                                 if cert.Lambda is not None else 1.0)
    gap = abs(cert.dual_value - cert.primal_value) if cert.B is not None else np.inf
    verified = bool(cert.verified and cert.null_residual <= gate and gap <= gate * max(1.0, planted))
    if verified:
        verdict = "exact"
    elif cheaper:
        verdict = "not_exact"
    else:
        verdict = "undecided"
    return {
        "verdict": verdict, "evidence": {"exact": "fitted_certificate", "not_exact": "competitor",
                                         "undecided": None}[verdict],
        "certificate_and_competitor": bool(verified and cheaper),  # would be a contradiction
        "below_necessary": below_necessary, "status": res.status, "iterations": res.iterations,
        "cpu_seconds": round(cpu, 2), "wall_seconds": round(wall, 2),
        "exactness_error": float(exactness_error(res.Z, labels)), "value": res.value,
        "lower_bound": res.lower_bound, "planted_cost": planted, "competitor_cost": comp["cost"],
        "competitor_feasible": comp["feasible"], "certificate_lambda_min": cert.lambda_min,
        "certificate_b_min": cert.b_min,
        "certificate_null_residual": float(cert.null_residual)
        if cert.null_residual is not None else None,
        "certificate_duality_gap": float(gap), "certificate_rounding_gate": float(gate),
        # Cholesky-certified lower bound on lambda_min of fl(V^T Lambda V) (verified cells only)
        "certificate_lambda_min_certified": certified_margin(cert, labels) if verified else None,
        "competitor_linear_residual": comp["linear_residual"],
        "competitor_rounding_bound": float(rounding),
    }


def recovery_trial(task, rng=None):
    """Verdicts of one random instance at every separation of a grid, for both relaxations.

    Paper: Paper 3, Section 5; Theorems 3.1/3.5 (sufficient) and 3.3/3.6 (necessary,
    reconstructed).
    Chapter: book/convex/phase_transitions.

    Parameters
    ----------
    task : dict
        ``layout, K, n, d, distribution, seed`` (the instance), ``deltas`` (the grid of
        minimum separations), optional ``relaxations`` (default both), ``solver_options``
        (for the native solver) and ``check_below_necessary`` (default True: also solve at
        the largest grid separation where the necessary condition fails, a test of its
        soundness; the verdict there must not be "exact").
    rng : ignored
        The instance is fixed by ``task["seed"]`` (accepted for :func:`kmbook.sweep.run_sweep`).

    Returns
    -------
    dict
        The task's keys; per-instance thresholds ``necessary``, ``sufficient`` (where the
        reconstructed necessary condition and (1.1) / its Amini–Levina analogue start to hold,
        per relaxation); and ``cells``: one dict per (delta, relaxation) with ``verdict`` and
        its evidence (see :func:`_decide`).

    Examples
    --------
    >>> from kmbook.section5_recovery import recovery_trial
    >>> row = recovery_trial(dict(layout="hive", K=2, n=4, d=2, distribution="ball", seed=1,
    ...                           deltas=[4.0], relaxations=["amini_levina"]))
    >>> row["cells"][0]["verdict"]
    'exact'
    """
    from threadpoolctl import threadpool_limits

    if not isinstance(task, dict):
        raise TypeError(f"task must be a dict with keys {_TASK_KEYS}; got {type(task).__name__}.")
    missing = [k for k in _TASK_KEYS if k not in task]
    if missing:
        raise ValueError(f"task is missing keys {missing}; it needs {_TASK_KEYS}.")
    K, n, d = (check_int(task[k], f"task[{k!r}]", minimum=m) for k, m in (("K", 2), ("n", 2), ("d", 1)))
    check_int(task["seed"], "task['seed']", minimum=0)
    check_choice(task["distribution"], "task['distribution']", DISTRIBUTIONS)
    deltas = [check_positive(float(x), "task['deltas']") for x in task["deltas"]]
    relaxations = list(task.get("relaxations", ("peng_wei", "amini_levina")))
    for r in relaxations:
        check_choice(r, "task['relaxations']", tuple(_SOLVE))
    options = dict(task.get("solver_options") or {})
    make = partial(ball_model_data, task["layout"], K, n=n, d=d, rng=task["seed"],
                   distribution=task["distribution"])
    row = dict(task)
    row["necessary"], row["sufficient"], cells = {}, {}, []
    t0 = time.perf_counter()
    # one BLAS thread: on a loaded machine a threaded eigh is tens of times slower
    with threadpool_limits(1):
        for rel in relaxations:
            nec = smallest_passing(lambda s: _NECESSARY[rel](*make(s)).holds, 4.0)
            row["necessary"][rel] = nec
            row["sufficient"][rel] = smallest_passing(lambda s: _SUFFICIENT[rel](*make(s)).holds, 4.0)
            fails = [x for x in deltas if not _NECESSARY[rel](*make(x)).holds]
            probe = max(fails) if fails and task.get("check_below_necessary", True) else None
            for delta in deltas:
                X, labels = make(delta)
                holds = bool(_NECESSARY[rel](X, labels).holds)
                cell = {"delta": delta, "relaxation": rel, "necessary_holds": holds}
                if holds or delta == probe:
                    cell.update(_decide(X, labels, K, rel, options, not holds))
                    if not holds and cell["verdict"] == "undecided":
                        cell.update(verdict="not_exact", evidence="necessary_condition")
                else:
                    cell.update(verdict="not_exact", evidence="necessary_condition")
                cells.append(cell)
    row["cells"] = cells
    row["seconds"] = round(time.perf_counter() - t0, 1)
    return row


def recheck_cell(task, rng=None):
    """Re-decide one stored cell of a sweep with given solver options (e.g. a tighter ``tol``).

    Used to re-verify the cells whose "not exact" verdict rests on a cheaper feasible point:
    the native solver stops once the rounded partition is within ``tol`` (relative) of its
    bound, so a competitor can only be found where the relaxation lies more than about ``tol``
    below the planted cost.

    Paper: Paper 3, Section 5.
    Chapter: book/convex/phase_transitions.

    Parameters
    ----------
    task : dict
        The instance keys of :func:`recovery_trial` (``layout, K, n, d, distribution, seed``),
        ``delta``, ``relaxation`` and ``solver_options``.
    rng : ignored

    Returns
    -------
    dict
        The new cell (same keys as in :func:`recovery_trial`'s ``cells``) with
        ``solver_options`` recorded.
    """
    from threadpoolctl import threadpool_limits

    if not isinstance(task, dict):
        raise TypeError(f"task must be a dict with keys {(*_TASK_KEYS[:-1], 'delta', 'relaxation')}; "
                        f"got {type(task).__name__}.")
    missing = [k for k in (*_TASK_KEYS[:-1], "delta", "relaxation") if k not in task]
    if missing:
        raise ValueError(f"task is missing keys {missing}.")
    rel = check_choice(task["relaxation"], "task['relaxation']", tuple(_SOLVE))
    delta = check_positive(as_real(task["delta"], "task['delta']"), "task['delta']")
    K = check_int(task["K"], "task['K']", minimum=2)
    options = task.get("solver_options") or {}
    if not isinstance(options, dict):
        raise TypeError(f"task['solver_options'] must be a dict; got {type(options).__name__}.")
    options = dict(options)
    X, labels = ball_model_data(task["layout"], K, delta, n=task["n"], d=task["d"],
                                rng=task["seed"], distribution=task["distribution"])
    holds = bool(_NECESSARY[rel](X, labels).holds)
    cell = {"delta": delta, "relaxation": rel, "necessary_holds": holds}
    with threadpool_limits(1):
        cell.update(_decide(X, labels, K, rel, options, not holds))
    if not holds and cell["verdict"] == "undecided":
        cell.update(verdict="not_exact", evidence="necessary_condition")
    cell["solver_options"] = options
    return cell


def verdict_counts(rows, relaxation, delta):
    """Counts of the three verdicts at one separation over the instances of a sweep.

    Chapter: book/convex/phase_transitions.

    Parameters
    ----------
    rows : list of dict
        Rows of :func:`recovery_trial`.
    relaxation : {"peng_wei", "amini_levina"}
    delta : float

    Returns
    -------
    dict
        ``{"exact": int, "not_exact": int, "undecided": int}``.
    """
    check_choice(relaxation, "relaxation", tuple(_SOLVE))
    rows = _as_rows(rows, "cells")
    delta = as_real(delta, "delta")
    out = dict.fromkeys(VERDICTS, 0)
    found = False
    for row in rows:
        for cell in row["cells"]:
            if cell["relaxation"] == relaxation and abs(cell["delta"] - delta) <= 1e-12:
                out[cell["verdict"]] += 1
                found = True
    if not found:
        raise ValueError(f"no cell with relaxation={relaxation!r} and delta={delta!r} in rows.")
    return out


def condition_share(rows, relaxation, deltas, which="necessary"):
    """Number of instances whose necessary (or sufficient) condition holds at each separation.

    The necessary condition's share bounds the share of exact instances from above (Theorems
    3.3/3.6, reconstructed); the sufficient condition's ((1.1), or its Amini–Levina analogue of
    Theorem 3.5) from below.

    Chapter: book/convex/phase_transitions.

    Parameters
    ----------
    rows : list of dict
        Rows of :func:`recovery_trial`.
    relaxation : {"peng_wei", "amini_levina"}
    deltas : array-like of float
    which : {"necessary", "sufficient"}, default="necessary"

    Returns
    -------
    ndarray of int
        For each separation, the instances whose threshold is at most it.
    """
    check_choice(relaxation, "relaxation", tuple(_SOLVE))
    check_choice(which, "which", ("necessary", "sufficient"))
    rows = _as_rows(rows, which)
    deltas = as_real_array(deltas, "deltas", ndim=1)
    thresholds = np.array([row[which][relaxation] for row in rows])
    return (thresholds[None, :] <= deltas[:, None]).sum(axis=1)


def _as_rows(rows, key):
    """`rows` as a list of :func:`recovery_trial` rows (dicts holding `key`)."""
    rows = as_list(rows, "rows", "a list of recovery_trial rows (dicts)")
    if not all(isinstance(row, dict) and key in row for row in rows):
        raise TypeError(f"rows must be a list of recovery_trial rows, dicts with the key {key!r}.")
    return rows


def load_recovery(name="section5_recovery"):
    """The stored sweep of ``scripts/section5_recovery.py`` (``scripts/results/<name>.json``).

    Chapter: book/convex/phase_transitions.

    Returns
    -------
    dict
        ``{"command": str, "instances": int, "arguments": dict, "rows": list of dict}``.
    """
    from .phase_transitions import load_results

    out = load_results(name)
    if "instances" not in out or out["instances"] != len(out.get("rows", [])):
        raise ValueError(f"{name}.json is not a complete output of scripts/section5_recovery.py "
                         "(its 'instances' does not match its rows); regenerate it with the command inside.")
    return out
