"""Stochastic against batch k-means on large data: cost against points touched and time.

Paper: Paper 2 (Tang & Monteleoni), Figure 0(a) (efficiency of stochastic
against batch k-means on RCV1) and Section 4 (convergence plots at scale).
Chapter: book/stochastic/large_n (plots the stored results of
``scripts/stochastic_large_n.py``).

One task runs one method from one set of seeds on one data set and records the
full-data k-means cost against the number of data points the method has
touched (batch Lloyd: ``n`` per iteration; mini-batch: ``m`` per step) and
against wall-clock time. The seeds of replicate ``r`` depend only on the data
set, the seeding and ``r`` (not on the method), so batch and stochastic runs
of a replicate start from the same centres.
"""

from __future__ import annotations

import time

import numpy as np

from . import data
from ._validation import as_list, check_choice, check_int, check_positive
from .lloyd import lloyd
from .objective import kmeans_cost
from .seeding import buckshot, kmeans_pp
from .stochastic import log_steps, stationary_point, stochastic_kmeans

__all__ = ["BATCH_SIZE", "SCALE", "efficiency_task", "load_scaled", "make_tasks", "reference_solution",
           "task_rng"]

SCALE = {"birch1": 1e5, "birch2": 1e5, "dim032": 1e2}
"""Coordinates are divided by these factors (costs are then O(1) per point)."""

BATCH_SIZE = {"birch1": 1000, "birch2": 1000, "dim032": 64}
"""Default mini-batch size per data set."""


def load_scaled(name):
    """The bundled benchmark set `name` with coordinates divided by ``SCALE[name]``.

    Returns
    -------
    X : ndarray of shape (n, d)
    dataset : kmbook.data.Dataset
    """
    check_choice(name, "name", tuple(sorted(SCALE)))
    ds = data.load(name)
    return ds.X / SCALE[name], ds


def reference_solution(name):
    """The stationary point batch Lloyd reaches from the ground-truth centres (cost per point)."""
    check_choice(name, "name", tuple(sorted(SCALE)))
    X, ds = load_scaled(name)
    sp = stationary_point(X, ds.centers / SCALE[name])
    return sp, X


def _seeds(X, k, seeding, m0, seed, replicate):
    g = np.random.default_rng([seed, replicate])
    if seeding == "kmeans++":
        return kmeans_pp(X, k, g)
    if seeding == "buckshot":
        return buckshot(X, k, m0, g)
    raise ValueError(f"seeding must be 'kmeans++' or 'buckshot'; got {seeding!r}.")


_WARM = []


def _warm_up():
    """Compile the numba kernels once per process, so no timing includes compilation."""
    if not _WARM:
        Xw = np.random.default_rng(0).normal(size=(50, 2))
        lloyd(Xw, Xw[:3], record=True)
        stochastic_kmeans(Xw, Xw[:3], 5, 3, rng=np.random.default_rng(0), record_every=[0, 3])
        stochastic_kmeans(Xw, Xw[:3], 5, 3, learning_rate="bbs", rng=np.random.default_rng(0))
        _WARM.append(True)


def _check_task(task, name="task"):
    """The keys every task needs, checked (method-specific keys are checked where used)."""
    if not isinstance(task, dict):
        raise TypeError(f"{name} must be a dict as built by make_tasks; got {type(task).__name__}.")
    missing = [key for key in ("dataset", "seeding", "replicate", "seed") if key not in task]
    if missing:
        raise ValueError(f"{name} lacks the key(s) {missing}; build tasks with make_tasks.")
    check_choice(task["dataset"], f"{name}['dataset']", tuple(sorted(SCALE)))
    check_choice(task["seeding"], f"{name}['seeding']", ("kmeans++", "buckshot"))
    check_choice(task.get("learning_rate", "bbs"), f"{name}['learning_rate']", ("bbs", "flat"))
    check_int(task["replicate"], f"{name}['replicate']", minimum=0)
    check_int(task["seed"], f"{name}['seed']", minimum=0)
    return task


def task_rng(task):
    """The sampling generator of a task, derived from its data set, replicate, seed and rate."""
    _check_task(task)
    names = sorted(SCALE)
    rates = ("bbs", "flat")
    return np.random.default_rng([task["seed"], task["replicate"], names.index(task["dataset"]),
                                  ("kmeans++", "buckshot").index(task["seeding"]),
                                  rates.index(task.get("learning_rate", "bbs"))])


def efficiency_task(task, rng=None):
    """Run one method from one replicate's seeds; cost against points touched and time.

    Parameters
    ----------
    task : dict
        ``dataset``, ``method`` (``"lloyd"`` or ``"minibatch"``), ``seeding``
        (``"kmeans++"`` or ``"buckshot"``), ``m0`` (Algorithm 2's sample size),
        ``replicate``, ``seed``; for ``"lloyd"`` ``max_iter``; for
        ``"minibatch"`` ``batch_size``, ``passes`` (points touched / n),
        ``learning_rate``, ``c_prime``, ``t0``.
    rng : numpy.random.Generator or None
        Accepted for :func:`kmbook.sweep.run_sweep` and not used: the sampling
        stream of a mini-batch run is derived from the task itself
        (:func:`task_rng`), so any slice of the experiment reproduces on its own.

    Returns
    -------
    dict
        The task plus ``points`` (points touched at each record), ``cost``
        (full-data cost per point there), ``seconds`` (wall-clock of the
        updates, apportioned linearly over iterations or steps; cost
        evaluations excluded), ``final_cost`` and ``stationary_cost`` (per
        point, of the stationary point batch Lloyd reaches from the final
        centres) and ``n``.

    Paper: Paper 2, Figure 0(a) and Section 4.
    Chapter: book/stochastic/large_n.
    """
    _check_task(task)
    method = check_choice(task.get("method"), "task['method']", ("lloyd", "minibatch"))
    if method == "lloyd":
        check_int(task.get("max_iter"), "task['max_iter']", minimum=1)
    else:
        for key in ("batch_size", "passes"):
            if key not in task:
                raise ValueError(f"task lacks the key {key!r} of a 'minibatch' task; build tasks with make_tasks.")
        check_int(task["batch_size"], "task['batch_size']", minimum=1)
        check_positive(task["passes"], "task['passes']")
        check_choice(task.get("learning_rate"), "task['learning_rate']", ("bbs", "flat"))
    if "m0" in task:
        check_int(task["m0"], "task['m0']", minimum=1)
    _warm_up()
    X, ds = load_scaled(task["dataset"])
    n, k = X.shape[0], ds.centers.shape[0]
    C0 = _seeds(X, k, task["seeding"], task.get("m0", 20 * k), task["seed"], task["replicate"])
    out = dict(task, n=int(n), k=int(k))
    if task["method"] == "lloyd":
        t = time.perf_counter()
        res = lloyd(X, C0, max_iter=task["max_iter"], record=True)
        secs = time.perf_counter() - t
        it = log_steps(len(res.trajectory) - 1, 40)
        cost = np.array([kmeans_cost(X, res.trajectory[j]) for j in it]) / n
        out.update(points=(it * n).tolist(), cost=cost.tolist(),
                   seconds=(secs * it / max(it[-1], 1)).tolist(),
                   final_centers_cost=float(cost[-1]),
                   converged=bool(res.converged))
        final = res.centers
    elif task["method"] == "minibatch":
        m = int(task["batch_size"])
        n_steps = int(round(task["passes"] * n / m))
        steps = log_steps(n_steps, 30)
        kw = dict(learning_rate=task["learning_rate"], c_prime=task.get("c_prime", 1.0),
                  t0=task.get("t0", 1.0))
        res = stochastic_kmeans(X, C0, m, n_steps, rng=task_rng(task), record_every=steps, **kw)
        t = time.perf_counter()
        stochastic_kmeans(X, C0, m, n_steps, rng=np.random.default_rng(0), **kw)
        secs = time.perf_counter() - t
        out.update(points=(res.steps * m).tolist(), cost=(res.cost / n).tolist(),
                   seconds=(secs * res.steps / n_steps).tolist(),
                   final_centers_cost=float(res.cost[-1] / n), converged=True)
        final = res.centers
    else:
        raise ValueError(f"task['method'] must be 'lloyd' or 'minibatch'; got {task['method']!r}.")
    sp = stationary_point(X, final)
    out["stationary_cost"] = float(sp.cost / n)
    return out


def make_tasks(datasets=("birch1", "birch2", "dim032"), seedings=("kmeans++", "buckshot"),
               replicates=5, seed=2017, batch_size=None, passes=20, max_iter=500):
    """The task list of the large-n experiment (every method from the same replicate seeds).

    ``batch_size`` None uses ``BATCH_SIZE`` (about ten points per centre on the
    Birch sets, four on DIM032).

    Paper: Paper 2, Figure 0(a).
    Chapter: book/stochastic/large_n.
    """
    datasets = [check_choice(name, "datasets", tuple(sorted(SCALE))) for name in as_list(datasets, "datasets")]
    seedings = [check_choice(s, "seedings", ("kmeans++", "buckshot")) for s in as_list(seedings, "seedings")]
    replicates = check_int(replicates, "replicates", minimum=0)
    check_int(seed, "seed", minimum=0)
    if batch_size is not None:
        check_int(batch_size, "batch_size", minimum=1)
    check_positive(passes, "passes")
    check_int(max_iter, "max_iter", minimum=1)
    tasks = []
    for name in datasets:
        for seeding in seedings:
            for r in range(replicates):
                base = dict(dataset=name, seeding=seeding, replicate=r, seed=seed)
                tasks.append(dict(base, method="lloyd", max_iter=max_iter))
                for rate in ("bbs", "flat"):
                    tasks.append(dict(base, method="minibatch",
                                      batch_size=batch_size or BATCH_SIZE[name],
                                      passes=passes, learning_rate=rate, c_prime=1.0, t0=1.0))
    return tasks
