"""Exact-recovery experiments: thresholds by bisection, recovery regions, Section 5 tables.

Paper: Paper 3, Section 5 (phase transitions of exact recovery for the
circle, line and hive layouts, against K and against d) and Section 3.2 /
Figure 2 (where Peng–Wei and Amini–Levina differ).
Chapter: book/convex/amini_levina, book/convex/phase_transitions;
``scripts/phase_transitions.py`` runs the larger sweeps.

"Exact" means ``max |Z - Z_truth| <= exact_tol`` for the solver's ``Z``
(:func:`kmbook.sdp.is_exact`); near a threshold this error falls roughly
linearly to solver accuracy, so ``exact_tol = 1e-4`` locates it to about 1e-3
in the separation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial

import numpy as np

from ._bisect import smallest_passing
from ._validation import RELAXATIONS, as_labels, check_choice, check_int, check_positive
from .certificates import dual_certificate
from .geometries import LAYOUTS, section5_data
from .partitions import exactness_error
from .proximity import pw_proximity, threshold_scale
from .sdp import amini_levina, peng_wei
from .sweep import run_sweep

__all__ = ["RecoveryThreshold", "recovery_threshold", "recovery_grid", "section5_thresholds"]

_SOLVE = {"peng_wei": peng_wei, "amini_levina": amini_levina}


def _check_relaxation(relaxation, name="relaxation"):
    return _SOLVE[check_choice(relaxation, name, RELAXATIONS)]


def _error(X, labels, solve, solver):
    return _summary(X, labels, solve, solver)[0]


def _summary(X, labels, solve, solver):
    """Exactness error, per-cluster block traces and block sums of the solution."""
    lab = as_labels(labels, "labels")
    k = int(np.unique(lab).size)
    Z = solve(X, k, solver).Z
    ind = (lab[None, :] == np.unique(lab)[:, None]).astype(float)  # (k, N) cluster indicators
    return exactness_error(Z, labels), ind @ np.diag(Z), ind @ Z @ ind.T


@dataclass(frozen=True)
class RecoveryThreshold:
    """Result of :func:`recovery_threshold`.

    Attributes
    ----------
    threshold : float
        Smallest separation found at which the relaxation is exact (the upper
        end of the final bracket).
    bracket : (float, float)
        ``(not exact, exact)`` separations, at most `tol` apart.
    n_solves : int
        Number of SDPs solved.
    errors : dict
        ``{separation: max |Z - Z_truth|}`` for every separation tried.
    """

    threshold: float
    bracket: tuple
    n_solves: int
    errors: dict = field(repr=False)


def recovery_threshold(make_data, lo, hi, *, relaxation="peng_wei", tol=1e-2, exact_tol=1e-4, solver=None):
    """Smallest separation at which a relaxation returns the ground truth, by bisection.

    Assumes exactness is monotone in the separation (checked at the ends of
    the bracket, not in between), as in the paper's Section 5 experiments.

    Paper: Paper 3, Section 5 (phase transition of exact recovery).
    Chapter: book/convex/phase_transitions.

    Parameters
    ----------
    make_data : callable
        ``make_data(separation) -> (X, labels)``, e.g.
        ``functools.partial(kmbook.geometries.section5_data, "circle", 3, n=6)``
        with the separation passed as ``delta``.
    lo, hi : float
        Bracket: the relaxation must fail at `lo` and succeed at `hi`.
    relaxation : {"peng_wei", "amini_levina"}, default="peng_wei"
    tol : float, default=1e-2
        Stop when the bracket is at most this wide.
    exact_tol : float, default=1e-4
        Passed to :func:`is_exact`.
    solver : str, optional
        Passed to the SDP.

    Returns
    -------
    RecoveryThreshold

    Examples
    --------
    >>> from functools import partial
    >>> from kmbook.geometries import section5_data
    >>> from kmbook.recovery import recovery_threshold
    >>> r = recovery_threshold(partial(section5_data, "line", 2, n=4), 1.0, 4.0, tol=0.5)
    >>> r.bracket[1] - r.bracket[0] <= 0.5
    True
    """
    if not callable(make_data):
        raise TypeError("make_data must be callable as make_data(separation) -> (X, labels); "
                        f"got {type(make_data).__name__}.")
    lo = check_positive(lo, "lo")
    hi = check_positive(hi, "hi")
    if not lo < hi:
        raise ValueError(f"the bracket must satisfy lo < hi; got lo={lo}, hi={hi}.")
    tol = check_positive(tol, "tol")
    solve = _check_relaxation(relaxation)
    errors = {}

    def exact_at(sep):
        errors[sep] = _error(*make_data(sep), solve, solver)
        return errors[sep] <= exact_tol

    if not exact_at(hi):
        raise ValueError(f"the relaxation is not exact at hi={hi} (error {errors[hi]:.2e}); raise hi.")
    if exact_at(lo):
        raise ValueError(f"the relaxation is already exact at lo={lo}; lower lo.")
    while hi - lo > tol:
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if exact_at(mid) else (mid, hi)
    return RecoveryThreshold(threshold=hi, bracket=(lo, hi), n_solves=len(errors), errors=errors)


@dataclass(frozen=True)
class _GridCell:
    """One cell of :func:`recovery_grid` (picklable when `make_data` is)."""

    make_data: object
    x: float
    y: float
    relaxations: tuple
    solver: str | None


def _grid_cell(task, rng=None):
    relaxations, solver = task.relaxations, task.solver
    X, labels = task.make_data(task.x, task.y)
    return tuple(_summary(X, labels, _SOLVE[r], solver) for r in relaxations)


def recovery_grid(make_data, xs, ys, *, relaxations=("peng_wei", "amini_levina"), exact_tol=1e-4,
                  solver=None, executor=None, progress=None):
    """Solve the relaxations on a grid of two parameters and record where they are exact.

    Paper: Paper 3, Section 3.2 and Figure 2 (the region where each relaxation
    recovers the clusters).
    Chapter: book/convex/amini_levina.

    Parameters
    ----------
    make_data : callable
        ``make_data(x, y) -> (X, labels)``; must be picklable (e.g. a
        :func:`functools.partial` of a module-level function) when `executor`
        runs in other processes.
    xs, ys : array-like
        Grid values.
    relaxations : tuple of str, default=("peng_wei", "amini_levina")
    exact_tol : float, default=1e-4
    solver : str, optional
    executor : concurrent.futures.Executor, optional
        Passed to :func:`kmbook.sweep.run_sweep`.
    progress : bool, optional

    Returns
    -------
    dict
        ``{relaxation: {"exact": bool array (len(ys), len(xs)), "error": float array,
        "block_trace": float array (len(ys), len(xs), K), "block_sums": float array
        (len(ys), len(xs), K, K)}}``. ``block_trace[i, j, a]`` is the trace of the
        solution's diagonal block of planted cluster ``a`` (1 for the planted matrix) and
        ``block_sums[i, j, a, b]`` the sum of its entries over clusters ``a`` x ``b``
        (the planted matrix has ``n_a`` on the diagonal and 0 off it). Both are present
        when every cell has the same number ``K`` of clusters.

    Examples
    --------
    >>> from functools import partial
    >>> from kmbook.geometries import far_cluster_data
    >>> from kmbook.recovery import recovery_grid
    >>> grid = recovery_grid(partial(far_cluster_data, n=4), [4.0], [1.0], progress=False)
    >>> bool(grid["amini_levina"]["exact"][0, 0])
    True
    """
    if not callable(make_data):
        raise TypeError("make_data must be callable as make_data(x, y) -> (X, labels); "
                        f"got {type(make_data).__name__}.")
    for r in relaxations:
        _check_relaxation(r, "relaxations[i]")
    xs, ys = np.asarray(xs, dtype=float).ravel(), np.asarray(ys, dtype=float).ravel()
    tasks = [_GridCell(make_data, float(x), float(y), tuple(relaxations), solver) for y in ys for x in xs]
    cells = run_sweep(_grid_cell, tasks, rng=0, executor=executor, progress=progress, desc="grid")
    out = {}
    for j, r in enumerate(relaxations):
        e = np.array([c[j][0] for c in cells]).reshape(ys.size, xs.size)
        out[r] = {"exact": e <= exact_tol, "error": e}
        if len({c[j][1].shape for c in cells}) == 1:  # same number of clusters in every cell
            shape = (ys.size, xs.size, *cells[0][j][1].shape)
            out[r]["block_trace"] = np.array([c[j][1] for c in cells]).reshape(shape)
            out[r]["block_sums"] = np.array([c[j][2] for c in cells]).reshape(*shape, shape[-1])
    return out


@dataclass(frozen=True)
class _LayoutTask:
    """One row of :func:`section5_thresholds`: a layout, ``k`` clusters of ``n`` points in ``R^d``."""

    layout: str
    k: int
    n: int
    d: int
    tol: float
    solver: str | None
    random_points: bool


def _layout_row(task, rng=None):
    layout, K, n, d, tol, solver, random_points = (task.layout, task.k, task.n, task.d, task.tol, task.solver,
                                                   task.random_points)
    seed = int(rng.integers(2**32)) if random_points else None  # same points at every separation
    make = partial(section5_data, layout, K, n=n, d=d, rng=seed)
    X1, lab = make(1.0)
    if seed is None:
        # deterministic points: every cluster mean is its centre, so the separation scales
        # the means exactly and the (1.1) threshold is closed-form
        t_prox = threshold_scale(X1, lab, "peng_wei")
    else:
        # random points: the means differ from the centres; search on the separation itself
        t_prox = smallest_passing(lambda delta: pw_proximity(*make(delta)).holds, 4.0)
    # Theorem 3.1: Peng–Wei is exact once (1.1) holds, so the bracket's top is known.
    hi = t_prox * (1 + 1e-6)
    lo = t_prox / 2
    while _error(*make(lo), peng_wei, solver) <= 1e-4:  # rare: exact at half the (1.1) threshold
        lo /= 2
    res = recovery_threshold(make, lo, hi, tol=tol, solver=solver)
    sharp = smallest_passing(lambda delta: dual_certificate(*make(delta), z="sharp", build=False).holds, hi)
    return {"layout": layout, "K": K, "n": n, "d": d, "seed": seed, "peng_wei": res.threshold, "bracket": res.bracket,
            "proximity": t_prox, "sharp_certificate": sharp, "n_solves": res.n_solves}


def section5_thresholds(layouts=LAYOUTS, ks=(2, 3, 4), n=6, ds=(2,), *, tol=0.02, solver=None,
                        random_points=False, instances=1, rng=0, executor=None, progress=None,
                        checkpoint=None):
    """Thresholds of exact recovery on the Section 5 data, with the proximity bounds beside them.

    For every layout, K and d (deterministic points of
    :func:`kmbook.geometries.section5_data`): the smallest minimum separation
    at which Peng–Wei returns the ground truth (bisection, within `tol`), the
    separation at which condition (1.1) starts to hold (exact, from
    :func:`kmbook.proximity.threshold_scale`) and the one at which the sharp
    dual certificate exists (:func:`kmbook.proximity.dual_certificate` with
    ``z="sharp"``, bisection to 1e-12).

    Paper: Paper 3, Section 5, Figures 4 and 5.
    Chapter: book/convex/phase_transitions.

    Parameters
    ----------
    layouts : sequence of {"circle", "line", "hive"}
    ks : sequence of int
        Numbers of clusters (the paper's ``K``).
    n : int, default=6
        Points per cluster.
    ds : sequence of int, default=(2,)
        Dimensions.
    tol : float, default=0.02
        Width of the final bisection bracket.
    solver : str, optional
    random_points : bool, default=False
        Use i.i.d. uniform points on the unit spheres (the paper's dimension
        experiment) instead of the deterministic construction; each instance
        keeps its points at every separation tried.
    instances : int, default=1
        Repetitions per (layout, K, d) (useful with `random_points`).
    rng : int or numpy.random.Generator, default=0
        Seed of the random points.
    executor, progress, checkpoint
        Passed to :func:`kmbook.sweep.run_sweep` (`checkpoint`: a folder that
        records each finished row, so that a rerun resumes).

    Returns
    -------
    list of dict
        One row per (layout, K, d, instance) with keys ``layout, K, n, d, seed,
        peng_wei, bracket, proximity, sharp_certificate, n_solves``.

    Examples
    --------
    >>> from kmbook.recovery import section5_thresholds
    >>> row = section5_thresholds(["line"], [2], n=4, tol=0.1, progress=False)[0]
    >>> row["peng_wei"] <= row["sharp_certificate"] <= row["proximity"] + 1e-9
    True
    """
    n = check_int(n, "n", minimum=2)
    tol = check_positive(tol, "tol")
    instances = check_int(instances, "instances", minimum=1)
    tasks = [_LayoutTask(layout, check_int(K, "K", minimum=2), n, check_int(d, "d", minimum=2), tol, solver,
                         bool(random_points))
             for d in ds for layout in layouts for K in ks for _ in range(instances)]
    for t in tasks:
        if not isinstance(t.layout, str) or t.layout not in LAYOUTS:
            raise ValueError(f"layouts must be among {LAYOUTS}; got {t.layout!r}.")
    return run_sweep(_layout_row, tasks, rng=rng, executor=executor, progress=progress, desc="thresholds",
                     checkpoint=checkpoint)
