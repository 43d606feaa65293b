"""Parameter sweeps with progress bars, independent seeds and pluggable executors.

Chapter: every chapter that runs a sweep (e.g. book/landscape/kmeans_problem).

A sweep maps a function over a list of tasks. Each task gets its own
:class:`numpy.random.Generator` spawned from one seed, so the results do not
depend on the order or the place in which tasks run: serially, on a
:class:`concurrent.futures.ProcessPoolExecutor`, or on a Dask cluster through
``distributed.Client(...).get_executor()``.

Process pools must *spawn* their workers
(``ProcessPoolExecutor(mp_context=multiprocessing.get_context("spawn"))``): numba's
OpenMP threads do not survive a ``fork``, so forked workers that run a kmbook
kernel after the parent has run one die.

Progress is shown with :mod:`tqdm` on standard error. It is on by default;
the environment variable ``KMBOOK_PROGRESS=0`` turns it off (the test suite
and the book build set it, so stored notebook outputs hold no timings).
"""

from __future__ import annotations

import concurrent.futures as cf
import os

from tqdm import tqdm

from ._validation import spawn_generators

__all__ = ["progress_enabled", "run_sweep"]


def progress_enabled(progress=None):
    """Resolve a ``progress`` argument: None means "on unless KMBOOK_PROGRESS=0"."""
    if progress is None:
        return os.environ.get("KMBOOK_PROGRESS", "1").strip().lower() not in {"0", "false", "no", "off"}
    return bool(progress)


def run_sweep(func, tasks, *, rng=None, executor=None, progress=None, desc=None):
    """Evaluate ``func(task, rng=child_rng)`` for every task; results in task order.

    Parameters
    ----------
    func : callable
        Called as ``func(task, rng=generator)``. Must be picklable (a
        module-level function) when `executor` runs in other processes.
    tasks : iterable
        The parameter sets, e.g. dicts or tuples.
    rng : int, numpy.random.Generator or None
        Parent seed; task ``i`` receives the ``i``-th child spawned from it,
        so results are reproducible whatever the executor. None gives
        unreproducible seeds.
    executor : concurrent.futures.Executor, optional
        Anything with ``submit`` returning :class:`concurrent.futures.Future`
        objects (a thread pool, a *spawn* process pool, Dask's
        ``client.get_executor()``). None runs serially in this process.
    progress : bool, optional
        Show a progress bar; None follows ``KMBOOK_PROGRESS``.
    desc : str, optional
        Label of the progress bar.

    Returns
    -------
    list
        ``[func(task_0, rng=g_0), func(task_1, rng=g_1), ...]``.

    Examples
    --------
    >>> from kmbook.sweep import run_sweep
    >>> def draw(scale, rng):
    ...     return round(scale * float(rng.random()), 6)
    >>> run_sweep(draw, [1, 10], rng=0, progress=False) == run_sweep(draw, [1, 10], rng=0, progress=False)
    True
    """
    if not callable(func):
        raise TypeError(f"func must be callable; got {type(func).__name__}.")
    tasks = list(tasks)
    gens = spawn_generators(rng, len(tasks))
    show = progress_enabled(progress)
    if executor is None:
        return [func(task, rng=g) for task, g in tqdm(list(zip(tasks, gens)), desc=desc, disable=not show)]
    if not hasattr(executor, "submit"):
        raise TypeError(
            f"executor must provide submit() like concurrent.futures.Executor; got {type(executor).__name__}."
        )
    futures = {executor.submit(func, task, rng=g): i for i, (task, g) in enumerate(zip(tasks, gens))}
    results = [None] * len(tasks)
    with tqdm(total=len(tasks), desc=desc, disable=not show) as bar:
        for fut in cf.as_completed(futures):
            results[futures[fut]] = fut.result()
            bar.update(1)
    return results
