"""Stochastic k-means (online and mini-batch) and the quantities of its analysis.

Paper: Paper 2 (Tang & Monteleoni), Algorithm 1, Theorems 1 and 2, assumptions
(A0) and (B1)-(B3).
Chapter: book/stochastic/rate (the O(1/t) rate), book/stochastic/clusterable
(clusterable data, seeding and the optimum).

:func:`stochastic_kmeans` runs Algorithm 1 with a numba kernel
(:mod:`kmbook._stochastic_kernels`) and :func:`repeated_runs` repeats it over
independent seeds (through :func:`kmbook.sweep.run_sweep`, so with progress and
any executor); :func:`stationary_point` finds the batch
Lloyd fixed point ``phi*`` a run approaches; :func:`expected_gap` is the exact
expected gap ``E[phi^t - phi*]`` of the local model in which every sampled
point is assigned to its own cluster; :func:`clusterability` computes the
quantities behind (B1)-(B3) for a partition.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field

import numpy as np

from . import _lloyd_kernels as _lk
from . import _stochastic_kernels as _sk
from ._schedule import learning_rates
from ._validation import (
    as_centers,
    as_generator,
    as_points,
    check_int,
    check_nonnegative,
    check_positive,
)
from .clusterability import Clusterability as Clusterability
from .clusterability import clusterability as clusterability
from .rate import StationaryPoint as StationaryPoint
from .rate import expected_gap as expected_gap
from .rate import loglog_slope as loglog_slope
from .rate import stationary_point
from .sweep import run_sweep

__all__ = [
    "StochasticResult",
    "stochastic_kmeans",
    "RepeatedRuns",
    "repeated_runs",
    "log_steps",
]

_BLOCK_SAMPLES = 1 << 16  # sample indices are drawn in blocks of about this many


@dataclass(frozen=True)
class StochasticResult:
    """Result of :func:`stochastic_kmeans`.

    Attributes
    ----------
    centers : ndarray of shape (k, d)
        Centres after the last step.
    steps : ndarray of shape (r,)
        Recorded step numbers (0 is the seeds, ``n_steps`` the end).
    cost : ndarray of shape (r,)
        Full-data k-means cost ``phi^t`` at the recorded steps.
    center_history : ndarray of shape (r, k, d)
        Centres at the recorded steps.
    counts : ndarray of shape (k,)
        Cumulative number ``N_r`` of sampled points assigned to each centre.
    n_updates : ndarray of shape (k,)
        Number of steps in which each centre received points (and moved).
    batch_size, n_steps : int
    learning_rate : str
        ``"flat"``, ``"bbs"`` or ``"callable"``.
    """

    centers: np.ndarray
    steps: np.ndarray
    cost: np.ndarray
    center_history: np.ndarray = field(repr=False)
    counts: np.ndarray
    n_updates: np.ndarray
    batch_size: int
    n_steps: int
    learning_rate: str


def _index_blocks(gen, n, m, n_steps):
    """Yield the sample indices of all steps, as blocks of shape (b, m)."""
    per_block = max(1, _BLOCK_SAMPLES // m)
    done = 0
    while done < n_steps:
        b = min(per_block, n_steps - done)
        yield gen.integers(0, n, size=(b, m))
        done += b


def _record_steps(record_every, n_steps):
    if record_every is None:
        return np.array([0, n_steps], dtype=np.int64) if n_steps else np.zeros(1, np.int64)
    if isinstance(record_every, numbers.Integral) and not isinstance(record_every, bool):
        r = check_int(record_every, "record_every", minimum=1)
        return np.unique(np.r_[np.arange(0, n_steps + 1, r), n_steps]).astype(np.int64)
    steps = np.asarray(record_every)
    if steps.ndim == 1 and steps.size == 0:
        return np.zeros(0, dtype=np.int64)
    if steps.ndim != 1 or not np.issubdtype(steps.dtype, np.integer):
        raise TypeError("record_every must be None, a positive int, or a 1-D array of integer step numbers.")
    if steps.min() < 0 or steps.max() > n_steps:
        raise ValueError(f"record_every step numbers must lie in [0, n_steps={n_steps}]; "
                         f"got {steps.min()}..{steps.max()}.")
    return np.unique(steps).astype(np.int64)


def stochastic_kmeans(X, init, batch_size, n_steps, learning_rate="flat", *, c_prime=1.0, t0=1.0,
                      rng=None, record_every=None):
    """Stochastic k-means, Algorithm 1 of Paper 2 (online for ``batch_size=1``).

    At step ``t = 1, 2, ...`` draw ``m = batch_size`` points uniformly with
    replacement, assign each to its nearest centre of step ``t - 1``, and for
    every centre ``r`` that received ``nhat_r > 0`` points with mean ``chat_r``
    set ``c_r <- (1 - eta_r^t) c_r + eta_r^t chat_r``; the other centres stay
    put, and empty centres are never re-seeded.

    Paper: Paper 2, Algorithm 1; flat rate of Theorem 1, BBS rate of
    Bottou & Bengio (1995) and Sculley (2010).
    Chapter: book/stochastic/rate.

    Parameters
    ----------
    X : array-like of shape (n, d)
    init : array-like of shape (k, d)
        Seeds ``C^0``, ``1 <= k <= n``.
    batch_size : int
        ``m >= 1``; 1 is online k-means (MacQueen, Bottou-Bengio), larger is mini-batch.
    n_steps : int
        Number of steps ``T >= 0``.
    learning_rate : {"flat", "bbs"} or callable, default="flat"
        ``"flat"``: ``eta^t = c_prime / (t0 + t)`` for every centre.
        ``"bbs"``: ``eta_r^t = nhat_r^t / N_r^t`` with ``N_r^t`` the number of
        sampled points assigned to ``r`` in steps ``1..t``.
        A callable maps the int array of step numbers ``t = 1..T`` to an
        array of flat rates in ``[0, 1]`` (called once, vectorised).
    c_prime : float, default=1.0
        ``c' > 0`` of the flat rate.
    t0 : float, default=1.0
        ``t_0 >= 0`` of the flat rate; ``t0 >= c_prime - 1`` keeps every rate <= 1.
    rng : int, numpy.random.Generator or None
    record_every : None, int or array-like of int, default=None
        When to record the full-data cost and the centres: None records the
        seeds and the end; an int ``r`` records steps ``0, r, 2r, ...`` and
        ``T``; an array lists the step numbers (see :func:`log_steps`); an
        empty array records nothing (no full-data pass at all).

    Returns
    -------
    StochasticResult

    Notes
    -----
    The sample indices come from ``rng.integers(0, n, size=(b, m))`` drawn in
    consecutive blocks of ``b = max(1, 65536 // m)`` steps (the last block
    shorter), so the sample sequence does not depend on `record_every`.
    The costs are computed with the assignment kernel of :mod:`kmbook.lloyd`,
    once per recorded step. Nearest centres are found, as in scikit-learn, by
    comparing ``||c||^2 - 2<x, c>``; for data far from the origin relative to
    their spread, centre the data first to avoid cancellation.

    Examples
    --------
    >>> import numpy as np
    >>> from kmbook.stochastic import stochastic_kmeans
    >>> X = np.array([[0.0], [0.2], [10.0], [10.2]])
    >>> res = stochastic_kmeans(X, X[[0, 2]], batch_size=2, n_steps=200, learning_rate="bbs", rng=0)
    >>> np.round(res.centers.ravel(), 1).tolist(), res.steps.tolist()
    ([0.1, 10.1], [0, 200])
    """
    X = as_points(X, "X")
    C = as_centers(init, "init", n_features=X.shape[1], n_samples=X.shape[0]).copy()
    m = check_int(batch_size, "batch_size", minimum=1)
    n_steps = check_int(n_steps, "n_steps", minimum=0)
    if isinstance(learning_rate, str) and learning_rate in ("flat", "bbs"):
        name = learning_rate
    elif callable(learning_rate):
        name = "callable"
    else:
        raise ValueError(f"learning_rate must be 'flat', 'bbs' or a callable; got {learning_rate!r}.")
    c_prime = check_positive(c_prime, "c_prime")
    t0 = check_nonnegative(t0, "t0")
    gen = as_generator(rng)
    record = _record_steps(record_every, n_steps)
    mode = _sk.BBS if name == "bbs" else _sk.FLAT
    parallel = _sk.wants_parallel(m, C.shape[0], X.shape[1])
    eta = np.zeros(1) if mode == _sk.BBS else learning_rates(learning_rate, c_prime, t0, n_steps)

    n, k = X.shape[0], C.shape[0]
    counts = np.zeros(k, dtype=np.int64)
    n_updates = np.zeros(k, dtype=np.int64)
    costs, history = [], []

    def snapshot():
        costs.append(float(_lk.assign(X, C)[1].sum()))
        history.append(C.copy())

    t = 0  # steps done
    rec = iter(record)
    next_rec = next(rec, None)
    if next_rec == 0:
        snapshot()
        next_rec = next(rec, None)
    for block in _index_blocks(gen, n, m, n_steps):
        pos = 0
        while pos < block.shape[0]:
            stop = block.shape[0] if next_rec is None else min(block.shape[0], pos + next_rec - t)
            _sk.run_steps(X, C, block[pos:stop], t + 1, eta, mode, counts, n_updates, parallel)
            t += stop - pos
            pos = stop
            if t == next_rec:
                snapshot()
                next_rec = next(rec, None)
    return StochasticResult(
        centers=C, steps=record, cost=np.array(costs), center_history=np.array(history).reshape(-1, k, C.shape[1]),
        counts=counts, n_updates=n_updates, batch_size=m, n_steps=n_steps, learning_rate=name,
    )


@dataclass(frozen=True)
class RepeatedRuns:
    """Independent runs of :func:`stochastic_kmeans` and their gaps (see :func:`repeated_runs`).

    Attributes
    ----------
    steps : ndarray of shape (r,)
    cost : ndarray of shape (runs, r)
        Full-data cost of every run at every recorded step.
    phi_star : ndarray of shape (runs,)
        The ``phi*`` each run's gap refers to.
    gaps : ndarray of shape (runs, r)
        ``cost - phi_star[:, None]``.
    seeds, centers : ndarray of shape (runs, k, d)
        Seeds and final centres of every run.
    stationary : list of StationaryPoint
        The stationary point batch Lloyd reaches from each run's final centres.
    """

    steps: np.ndarray
    cost: np.ndarray
    phi_star: np.ndarray
    gaps: np.ndarray
    seeds: np.ndarray = field(repr=False)
    centers: np.ndarray = field(repr=False)
    stationary: list = field(repr=False)


def _one_run(task, rng):
    X, init, kwargs = task
    seeds = init(X, rng) if callable(init) else init
    res = stochastic_kmeans(X, seeds, rng=rng, **kwargs)
    return np.asarray(seeds, dtype=float), res, stationary_point(X, res.centers)


def repeated_runs(X, init, batch_size, n_steps, n_runs, rng, *, phi_star=None, executor=None, **kwargs):
    """`n_runs` independent runs of Algorithm 1 with their gaps ``phi^t - phi*``.

    Paper: Paper 2, Section 4 (averaged convergence curves).
    Chapter: book/stochastic/rate, book/stochastic/clusterable.

    Parameters
    ----------
    X : array-like of shape (n, d)
    init : array-like of shape (k, d) or callable
        Common seeds, or ``init(X, rng) -> seeds`` called with each run's
        generator (e.g. ``lambda X, g: kmeans_pp(X, 8, g)``).
    batch_size, n_steps : int
        As in :func:`stochastic_kmeans`.
    n_runs : int
    rng : int, numpy.random.Generator or None
        Run ``i`` uses the ``i``-th generator spawned from it (seeding and sampling).
    phi_star : float, optional
        Reference cost of the gaps. None: each run's own ``phi*``, the cost of
        the stationary point batch Lloyd reaches from its final centres.
    executor : concurrent.futures.Executor, optional
        Passed to :func:`kmbook.sweep.run_sweep`; with a process pool, a callable
        `init` must be picklable (a module-level function, not a lambda).
    **kwargs
        ``learning_rate``, ``c_prime``, ``t0``, ``record_every`` of :func:`stochastic_kmeans`.

    Returns
    -------
    RepeatedRuns

    Examples
    --------
    >>> import numpy as np
    >>> from kmbook.stochastic import repeated_runs
    >>> X = np.array([[0.0], [0.2], [10.0], [10.2]])
    >>> rr = repeated_runs(X, X[[0, 2]], 1, 50, 3, rng=0, learning_rate="bbs")
    >>> rr.gaps.shape, np.round(rr.phi_star, 3).tolist()
    ((3, 2), [0.04, 0.04, 0.04])
    """
    X = as_points(X, "X")
    n_runs = check_int(n_runs, "n_runs", minimum=1)
    if not callable(init):
        init = as_centers(init, "init", n_features=X.shape[1], n_samples=X.shape[0])
    # checked here, not inside the tasks, so a bad argument is named directly
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    n_steps = check_int(n_steps, "n_steps", minimum=0)
    if phi_star is not None:
        phi_star = check_nonnegative(phi_star, "phi_star")
    kwargs = {"batch_size": batch_size, "n_steps": n_steps} | kwargs
    out = run_sweep(_one_run, [(X, init, kwargs)] * n_runs, rng=rng, executor=executor,
                    desc="stochastic k-means runs")
    cost = np.array([res.cost for _, res, _ in out])
    stationary = [sp for _, _, sp in out]
    ref = (np.array([sp.cost for sp in stationary]) if phi_star is None
           else np.full(n_runs, phi_star))
    return RepeatedRuns(
        steps=out[0][1].steps, cost=cost, phi_star=ref, gaps=cost - ref[:, None],
        seeds=np.array([s for s, _, _ in out]), centers=np.array([res.centers for _, res, _ in out]),
        stationary=stationary,
    )


def log_steps(n_steps, num=40):
    """About `num` distinct integer steps from 0 to `n_steps`, log-spaced after 1.

    Examples
    --------
    >>> from kmbook.stochastic import log_steps
    >>> log_steps(1000, 5).tolist()
    [0, 1, 6, 32, 178, 1000]
    """
    n_steps = check_int(n_steps, "n_steps", minimum=1)
    num = check_int(num, "num", minimum=2)
    return np.unique(np.r_[0, np.round(np.geomspace(1, n_steps, num)).astype(np.int64)])
