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

``checkpoint=PATH`` records every finished task in the folder PATH as it
finishes; a rerun skips what is done (see :mod:`kmbook._checkpoint`). A task that
raises stops the sweep with :class:`SweepTaskError`, which names the task and
keeps the finished results.

Progress is shown with :mod:`tqdm` on standard error. It is on by default;
the environment variable ``KMBOOK_PROGRESS=0`` turns it off (the test suite
and the book build set it, so stored notebook outputs hold no timings).
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import os

from tqdm import tqdm

from ._checkpoint import SweepCheckpoint
from ._validation import as_list, check_int, spawn_generators

__all__ = ["progress_enabled", "run_sweep", "SweepTaskError", "sweep_executor"]


def progress_enabled(progress=None):
    """Resolve a ``progress`` argument: None means "on unless KMBOOK_PROGRESS=0"."""
    if progress is None:
        return os.environ.get("KMBOOK_PROGRESS", "1").strip().lower() not in {"0", "false", "no", "off"}
    return bool(progress)



class SweepTaskError(RuntimeError):
    """A task of :func:`run_sweep` raised.

    The message names the task's index and parameters; the original exception
    is the ``__cause__``. ``results`` holds the results in task order (None for
    the tasks that did not finish) and ``done`` the indices that finished; with
    a checkpoint they are also on disk, and a rerun computes only the rest.
    """

    def __init__(self, message, *, index, task, results, done):
        super().__init__(message)
        self.index, self.task, self.results, self.done = index, task, results, done


def _task_error(i, task, exc, results, done, checkpoint):
    text = repr(task)
    if len(text) > 300:
        text = text[:300] + "..."
    kept = f"{len(done)} finished result(s) kept"
    kept += f" in checkpoint {checkpoint}; rerun to compute only the rest" if checkpoint is not None else " (.results)"
    return SweepTaskError(f"task {i} of {len(results)} failed, parameters {text}: {type(exc).__name__}: {exc} "
                          f"[{kept}]", index=i, task=task, results=results, done=sorted(done))


def run_sweep(func, tasks, *, rng=None, executor=None, progress=None, desc=None, checkpoint=None):
    """Evaluate ``func(task, rng=child_rng)`` for every task; results in task order.

    Parameters
    ----------
    func : callable
        Called as ``func(task, rng=generator)``. Must be picklable (a
        module-level function) when `executor` runs in other processes.
    tasks : iterable
        The parameter sets, e.g. dicts or tuples.
    rng : int, numpy.random.SeedSequence, numpy.random.Generator or None
        Parent seed; task ``i`` receives the ``i``-th child spawned from it,
        so results are reproducible whatever the executor. None gives
        unreproducible seeds (and cannot be checkpointed).
    executor : concurrent.futures.Executor, optional
        Anything with ``submit`` returning :class:`concurrent.futures.Future`
        objects (a thread pool, a *spawn* process pool, Dask's
        ``client.get_executor()``; see :func:`sweep_executor`). None runs
        serially in this process.
    progress : bool, optional
        Show a progress bar; None follows ``KMBOOK_PROGRESS``.
    desc : str, optional
        Label of the progress bar.
    checkpoint : str or os.PathLike, optional
        Folder in which every finished task is recorded as soon as it
        finishes (one atomically written file per task). Run again with the
        same `func`, `tasks` and `rng`, the sweep skips the recorded tasks and
        returns exactly the results of an uninterrupted run. A folder written
        for other tasks, another seed or another function raises ValueError.
        Results must be picklable.

    Returns
    -------
    list
        ``[func(task_0, rng=g_0), func(task_1, rng=g_1), ...]``.

    Raises
    ------
    SweepTaskError
        If a task raises: the message names its index and parameters, the
        results finished so far are kept (on the exception and in the
        checkpoint). With an executor, tasks not yet started are cancelled and
        the running ones are awaited and recorded first.
    ValueError
        If `checkpoint` belongs to another sweep, or `rng` is None with a
        checkpoint.

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
    if executor is not None and not hasattr(executor, "submit"):
        raise TypeError(
            f"executor must provide submit() like concurrent.futures.Executor; got {type(executor).__name__}."
        )
    if checkpoint is not None and rng is None:
        raise ValueError("rng must be a seed (int, SeedSequence or Generator) when checkpoint is given: "
                         "a sweep with unreproducible seeds cannot be resumed.")
    tasks = as_list(tasks, "tasks", "an iterable of task parameters")
    gens = spawn_generators(rng, len(tasks))
    store = SweepCheckpoint(checkpoint, func, tasks, gens) if checkpoint is not None else None
    results = [None] * len(tasks)
    done = store.load() if store is not None else {}
    for i, res in done.items():
        results[i] = res
    todo = [i for i in range(len(tasks)) if i not in done]

    def finish(i, res):
        results[i] = res
        done[i] = True
        if store is not None:
            store.save(i, res)

    show = progress_enabled(progress)
    with tqdm(total=len(tasks), initial=len(tasks) - len(todo), desc=desc, disable=not show) as bar:
        if executor is None:
            for i in todo:
                try:
                    res = func(tasks[i], rng=gens[i])
                except Exception as exc:
                    raise _task_error(i, tasks[i], exc, results, done, checkpoint) from exc
                finish(i, res)
                bar.update(1)
            return results
        futures = {executor.submit(func, tasks[i], rng=gens[i]): i for i in todo}
        failed = None
        for fut in cf.as_completed(futures):
            i = futures[fut]
            if fut.cancelled():
                continue
            exc = fut.exception()
            if exc is not None:
                if failed is None or i < failed[0]:
                    failed = (i, exc)
                for other in futures:  # stop what has not started; let the running ones finish
                    other.cancel()
                continue
            finish(i, fut.result())
            bar.update(1)
    if failed is not None:
        i, exc = failed
        raise _task_error(i, tasks[i], exc, results, done, checkpoint) from exc
    return results


@contextlib.contextmanager
def sweep_executor(workers=1, scheduler=None):
    """Open the executor of a sweep: none, a local Dask cluster, or an existing one.

    Parameters
    ----------
    workers : int, default=1
        Number of worker processes of a local cluster (Dask
        ``LocalCluster(n_workers=workers, threads_per_worker=1)``); 1 runs in
        this process (yields None).
    scheduler : str, optional
        Address of a running Dask scheduler (e.g. ``"tcp://10.0.0.5:8786"``);
        overrides `workers`. Its workers must have kmbook installed.

    Yields
    ------
    concurrent.futures.Executor or None
        To pass as ``executor=`` to :func:`run_sweep` and the sweeps built on
        it. The cluster is closed on exit.

    Notes
    -----
    Local workers are spawned processes, which re-import the calling script:
    guard a script's entry point with ``if __name__ == "__main__":``.
    """
    workers = check_int(workers, "workers", minimum=1)
    if scheduler is not None and not isinstance(scheduler, str):
        raise TypeError("scheduler must be an address string such as 'tcp://host:8786'; "
                        f"got {type(scheduler).__name__}.")
    if scheduler is None and workers == 1:
        yield None
        return
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - dask is in requirements.txt
        raise ImportError("workers > 1 and scheduler need Dask: pip install 'kmbook[dask]'.") from exc
    if scheduler is not None:
        with Client(scheduler) as client:
            yield client.get_executor()
        return
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        yield client.get_executor()
