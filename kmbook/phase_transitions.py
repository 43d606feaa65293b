"""Section 5 at scale: exact-recovery thresholds of Peng–Wei on random ball-model instances.

Paper: Paper 3, Section 4.1 (generalized stochastic ball model) and Section 5
(Figures 4 and 5, Conjecture 5.1).
Chapter: book/convex/phase_transitions; ``scripts/phase_transitions.py --protocol random``
runs the sweeps whose stored results the chapter plots.

The random protocol: ``K`` balls of radius 1 whose centres form one of the
layouts of :mod:`kmbook.geometries` with minimum separation ``delta``; each
ball holds ``n`` i.i.d. points, uniform in the ball (the stochastic ball model)
or uniform on its sphere (the paper's dimension experiment). One *instance* is
one draw of the points; its points stay fixed while ``delta`` moves the
centres, so every instance has its own threshold: the smallest ``delta`` at
which Peng–Wei returns the planted partition. For each instance we record

* ``proximity``: where condition (1.1) starts to hold (bisection to 1e-12);
* ``sharp_certificate``: where the sharp dual certificate of
  :func:`kmbook.proximity.dual_certificate` exists (a proof of exactness, no SDP);
* ``peng_wei``: the empirical threshold, by bisection on SDP solves between a
  separation where the solution is not the partition matrix and the sharp
  certificate's threshold (where the solver's answer is checked too);
* ``necessary`` (added by :func:`necessary_thresholds`): where the reconstructed
  necessary condition of Theorem 3.3 (:func:`kmbook.proximity.pw_necessary`)
  starts to hold — below it the relaxation cannot be exact.

The fraction of instances with threshold at most ``delta`` is the paper's
success rate at ``delta`` (:func:`success_curve`, Wilson intervals), and the
mean threshold per setting carries a Student-t interval (:func:`threshold_summary`).
"""

from __future__ import annotations

import json
import time
from functools import partial
from pathlib import Path

import numpy as np

from ._bisect import smallest_passing
from ._section5_checks import (
    DISTRIBUTIONS,
    INSTANCE_KEYS,
    MissingResults,
    check_task,
)
from ._validation import as_generator, as_list, check_choice, check_int, check_positive
from .geometries import LAYOUTS, centers
from .phase_summary import THRESHOLD_LABELS as THRESHOLD_LABELS
from .phase_summary import format_threshold_summary as format_threshold_summary
from .phase_summary import success_curve as success_curve
from .phase_summary import threshold_summary as threshold_summary
from .proximity import dual_certificate, pw_necessary, pw_proximity
from .sdp import exactness_error, peng_wei
from .sweep import run_sweep

__all__ = [
    "DISTRIBUTIONS",
    "ball_points",
    "ball_model_data",
    "instance_threshold",
    "section5_sweep",
    "necessary_thresholds",
    "load_results",
    "RESULTS_DIR",
]

#: Where ``scripts/phase_transitions.py --protocol random`` stores its sweeps (in the repository).
RESULTS_DIR = Path(__file__).resolve().parents[1] / "scripts" / "results"


def ball_points(n, d, rng, distribution="ball"):
    """`n` i.i.d. points uniform in the unit ball (or on the unit sphere) of ``R^d``.

    Paper: Paper 3, Definition 4.1 (the ball model) and Section 5.
    Chapter: book/convex/phase_transitions.

    Parameters
    ----------
    n, d : int
        Number of points and dimension (``d >= 1``).
    rng : int or numpy.random.Generator
    distribution : {"ball", "sphere"}, default="ball"
        "ball": direction uniform, radius ``U^(1/d)``; "sphere": radius 1.

    Returns
    -------
    ndarray of shape (n, d)

    Examples
    --------
    >>> import numpy as np
    >>> from kmbook.phase_transitions import ball_points
    >>> P = ball_points(1000, 3, rng=0)
    >>> bool(np.all(np.linalg.norm(P, axis=1) <= 1.0))
    True
    """
    n = check_int(n, "n", minimum=1)
    d = check_int(d, "d", minimum=1)
    if distribution not in DISTRIBUTIONS:
        raise ValueError(f"distribution must be one of {DISTRIBUTIONS}; got {distribution!r}.")
    gen = as_generator(rng)
    G = gen.standard_normal((n, d))
    G /= np.linalg.norm(G, axis=1, keepdims=True)
    if distribution == "ball":
        G *= gen.random(n)[:, None] ** (1.0 / d)
    return G


def ball_model_data(layout, K, delta, n, d=2, rng=0, distribution="ball"):
    """One instance of the random Section 5 protocol at minimum centre separation `delta`.

    The points around each centre depend only on `rng` (not on `delta`), so
    calling again with the same integer seed and another `delta` moves the
    balls apart rigidly.

    Paper: Paper 3, Section 4.1 and Section 5.
    Chapter: book/convex/phase_transitions.

    Parameters
    ----------
    layout : {"circle", "line", "hive"}
    K : int
        Number of balls, ``K >= 2``.
    delta : float
        Minimum distance between two centres.
    n : int
        Points per ball.
    d : int, default=2
    rng : int or numpy.random.Generator, default=0
        Use an integer seed to get the same points at every `delta`.
    distribution : {"ball", "sphere"}, default="ball"

    Returns
    -------
    X : ndarray of shape (K * n, d)
    labels : ndarray of shape (K * n,)

    Examples
    --------
    >>> import numpy as np
    >>> from kmbook.phase_transitions import ball_model_data
    >>> X1, lab = ball_model_data("line", 2, 3.0, n=5, rng=7)
    >>> X2, _ = ball_model_data("line", 2, 4.0, n=5, rng=7)
    >>> bool(np.allclose(X2[lab == 1] - X1[lab == 1], [0.5, 0.0]))
    True
    """
    C = centers(layout, K, delta, d=d)
    gen = as_generator(rng)
    P = ball_points(K * n, d, gen, distribution)
    return C[np.repeat(np.arange(K), n)] + P, np.repeat(np.arange(K), n)


def instance_threshold(task, rng=None):
    """Thresholds of one random instance: (1.1), the sharp certificate and Peng–Wei's own.

    Paper: Paper 3, Section 5 (empirical threshold), Theorem 3.1 and (1.1).
    Chapter: book/convex/phase_transitions.

    Parameters
    ----------
    task : dict
        Keys ``layout, K, n, d, distribution, tol, solver, exact_tol`` and
        ``seed`` (int; if missing, drawn from `rng`).
    rng : numpy.random.Generator, optional
        Supplies the seed when ``task`` has none (as :func:`kmbook.sweep.run_sweep` does).
        ``check_certificate`` (default True) solves the SDP at the sharp
        certificate's threshold too. ``search`` is "bisect" (default: bisection
        between half the certificate's threshold and the certificate's threshold)
        or "from_necessary": start just below the threshold of the necessary
        condition (solved there, recorded as ``exact_below_necessary``, which
        would contradict Theorem 3.3) and step up in doubling steps from ``tol``
        before bisecting; far fewer solves when the necessary condition is
        nearly sharp. This path also records ``necessary``.

    Returns
    -------
    dict
        The task's keys and ``seed, proximity, sharp_certificate, peng_wei,
        bracket, error_at_certificate, n_solves, seconds``. ``peng_wei`` is the
        top of the final bracket ``(not exact, exact)``, whose width is at most
        ``tol``; ``error_at_certificate`` is ``max |Z - Z_truth|`` of the solver
        at the sharp certificate's threshold, where the relaxation is provably exact
        (None when ``check_certificate`` is False).
    """
    check_task(task, "task", INSTANCE_KEYS + ("tol", "exact_tol"))
    check_positive(task["tol"], "task['tol']")
    check_positive(task["exact_tol"], "task['exact_tol']")
    check_choice(task.get("search", "bisect"), "task['search']", ("bisect", "from_necessary"))
    if task.get("solver") is not None and not isinstance(task["solver"], str):
        raise TypeError(f"task['solver'] must be None or a solver name (str); got {type(task['solver']).__name__}.")
    if task.get("seed") is not None:
        check_int(task["seed"], "task['seed']", minimum=0)
    row = dict(task)
    seed = row.get("seed")
    if seed is None:
        seed = int(as_generator(rng).integers(2**32))
    row["seed"] = int(seed)
    make = partial(ball_model_data, row["layout"], row["K"], n=row["n"], d=row["d"], rng=row["seed"],
                   distribution=row["distribution"])
    t0 = time.perf_counter()
    prox = smallest_passing(lambda s: pw_proximity(*make(s)).holds, 4.0)
    sharp = smallest_passing(lambda s: dual_certificate(*make(s), z="sharp", build=False).holds, prox)
    n_solves = 0

    def error(delta):
        nonlocal n_solves
        n_solves += 1
        X, labels = make(delta)
        return exactness_error(peng_wei(X, row["K"], row["solver"]).Z, labels)

    hi = sharp * (1 + 1e-6)
    err_hi = error(hi) if row.get("check_certificate", True) else None
    exact_tol = row["exact_tol"]
    lo = hi / 2
    if row.get("search", "bisect") == "from_necessary":
        # Theorem 3.3 (reconstructed): not exact below the necessary threshold. Ask the
        # solver just below it (a check of that claim), then step up from it in doubling steps.
        row["necessary"] = smallest_passing(lambda s: pw_necessary(*make(s)).holds, sharp)
        lo = row["necessary"] * (1 - 1e-3)
        row["exact_below_necessary"] = bool(error(lo) <= exact_tol)
        if row["exact_below_necessary"]:
            hi, lo = lo, lo / 2
        step = row["tol"]
        while lo + step < hi and not row["exact_below_necessary"]:
            if error(lo + step) <= exact_tol:
                hi = lo + step
                break
            lo, step = lo + step, 2 * step
    if row.get("search", "bisect") == "bisect" or row["exact_below_necessary"]:
        while error(lo) <= exact_tol:
            hi, lo = lo, lo / 2
    while hi - lo > row["tol"]:
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if error(mid) <= exact_tol else (mid, hi)
    row.update(proximity=prox, sharp_certificate=sharp, peng_wei=hi, bracket=[lo, hi],
               error_at_certificate=err_hi, n_solves=n_solves,
               seconds=round(time.perf_counter() - t0, 2))
    return row


def section5_sweep(layouts=("hive",), Ks=(2, 3, 4), ds=(2,), n=20, instances=10, *,
                   distribution="ball", tol=0.05, solver=None, exact_tol=1e-4, check_certificate=True,
                   search="bisect", rng=0, executor=None, progress=None, desc="Section 5 instances"):
    """Per-instance thresholds of the random Section 5 protocol over a grid of settings.

    Paper: Paper 3, Section 5, Figures 4 and 5, Conjecture 5.1.
    Chapter: book/convex/phase_transitions.

    Parameters
    ----------
    layouts : sequence of {"circle", "line", "hive"}
    Ks, ds : sequence of int
        Numbers of clusters and dimensions.
    n : int, default=20
        Points per cluster.
    instances : int, default=10
        Random instances per (layout, K, d).
    distribution : {"ball", "sphere"}, default="ball"
    tol : float, default=0.05
        Width of the final bisection bracket.
    solver : str, optional
        Passed to :func:`kmbook.sdp.peng_wei`.
    exact_tol : float, default=1e-4
        An SDP solution counts as exact when ``max |Z - Z_truth| <= exact_tol``.
    check_certificate : bool, default=True
        Also solve at the sharp certificate's threshold (one more solve per instance).
    search : {"bisect", "from_necessary"}, default="bisect"
        How the bracket is found (see :func:`instance_threshold`).
    rng : int or numpy.random.Generator, default=0
        Parent seed; instance ``i`` draws its seed from the ``i``-th spawned child.
    executor, progress, desc
        Passed to :func:`kmbook.sweep.run_sweep`.

    Returns
    -------
    list of dict
        One row per instance (see :func:`instance_threshold`).

    Examples
    --------
    >>> from kmbook.phase_transitions import section5_sweep
    >>> row = section5_sweep(["line"], [2], n=4, instances=1, tol=0.2, progress=False)[0]
    >>> row["bracket"][1] - row["bracket"][0] <= 0.2 and row["peng_wei"] <= row["proximity"]
    True
    """
    layouts = as_list(layouts, "layouts", "a sequence of layout names")
    Ks = as_list(Ks, "Ks", "a sequence of ints")
    ds = as_list(ds, "ds", "a sequence of ints")
    n = check_int(n, "n", minimum=2)
    instances = check_int(instances, "instances", minimum=1)
    tol = check_positive(tol, "tol")
    exact_tol = check_positive(exact_tol, "exact_tol")
    check_choice(distribution, "distribution", DISTRIBUTIONS)
    check_choice(search, "search", ("bisect", "from_necessary"))
    if solver is not None and not isinstance(solver, str):
        raise TypeError(f"solver must be None or a solver name (str); got {type(solver).__name__}.")
    as_generator(rng)  # checks rng (run_sweep spawns the instances' seeds from it)
    tasks = []
    for d in ds:
        for layout in layouts:
            if not isinstance(layout, str) or layout not in LAYOUTS:
                raise ValueError(f"layouts must be among {LAYOUTS}; got {layout!r}.")
            for K in Ks:
                for _ in range(instances):
                    tasks.append(dict(layout=layout, K=check_int(K, "K", minimum=2), n=n,
                                      d=check_int(d, "d", minimum=2), distribution=distribution,
                                      tol=tol, solver=solver, exact_tol=exact_tol,
                                      check_certificate=bool(check_certificate), search=search))
    return run_sweep(instance_threshold, tasks, rng=rng, executor=executor, progress=progress,
                     desc=desc)


def necessary_thresholds(rows):
    """Add ``necessary``: where the necessary condition of Theorem 3.3 starts to hold.

    Below it no SDP solve can return the partition, so it is a lower reference
    for the empirical threshold; it needs no SDP and is recomputed from each
    row's seed.

    Paper: Paper 3, Theorem 3.3 (reconstructed in book/convex/peng_wei).
    Chapter: book/convex/phase_transitions.

    Parameters
    ----------
    rows : list of dict
        Rows of :func:`section5_sweep` (changed in place and returned).

    Returns
    -------
    list of dict
    """
    rows = as_list(rows, "rows", "a list of dicts (rows of section5_sweep)")
    for i, row in enumerate(rows):
        if isinstance(row, dict) and "necessary" in row:
            continue
        check_task(row, f"rows[{i}]", INSTANCE_KEYS + ("seed", "peng_wei"))
        check_int(row["seed"], f"rows[{i}]['seed']", minimum=0)
        check_positive(row["peng_wei"], f"rows[{i}]['peng_wei']")
    for row in rows:
        if "necessary" in row:
            continue
        make = partial(ball_model_data, row["layout"], row["K"], n=row["n"], d=row["d"], rng=row["seed"],
                       distribution=row["distribution"])
        row["necessary"] = smallest_passing(lambda s: pw_necessary(*make(s)).holds, row["peng_wei"])
    return rows


def load_results(name):
    """A stored sweep of ``scripts/phase_transitions.py --protocol random``.

    Chapter: book/convex/phase_transitions.

    Parameters
    ----------
    name : str
        File name in ``scripts/results/`` without ``.json``, e.g. ``"section5_dimension"``.

    Returns
    -------
    dict
        ``{"command": str, "rows": list of dict, ...}``.
    """
    if not isinstance(name, str) or not name or "/" in name or "\\" in name:
        raise TypeError(f"name must be a file name (str) in scripts/results/ without .json; got {name!r}.")
    path = RESULTS_DIR / f"{name}.json"
    if not path.exists():
        raise MissingResults(
            f"name={name!r}: no stored sweep {path}; the results live in the repository's scripts/results/ "
            "(regenerate with scripts/phase_transitions.py --protocol random ... --out PATH)."
        )
    return json.loads(path.read_text())
