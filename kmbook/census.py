"""A census of the local minima that Lloyd's algorithm reaches, across models, k, d and SNR.

Paper: Paper 1, Theorems 1 and 2 (structure of every local minimum, errors of
order ``Delta_max / sqrt(eta_max)``), Section III-A remarks (b)-(c)
(separation condition; over- and under-parametrisation) and appendix
Example 1 (a 2-fit-3 local minimum at small separation).
Chapter: book/landscape/census.

One census task draws a mixture (ball or Gaussian) with random true centres,
a large sample from it, runs Lloyd from many random seeds and classifies
every limit with :func:`kmbook.structure.associate`. Tasks run through
:func:`kmbook.sweep.run_sweep`, so a sweep shows progress and accepts any
``concurrent.futures`` executor; ``scripts/census.py`` runs a larger grid.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
from scipy.spatial.distance import pdist
from scipy.special import gammaln

from ._threads import numba_threads
from ._validation import as_centers, as_generator, check_int, check_positive
from .algorithms import centroid_index, prune
from .algorithms import coverage_probability as coverage_probability
from .data import load
from .lloyd import lloyd
from .models import BallMixture, GaussianMixture, balanced_sample
from .report import fit_loglog as fit_loglog
from .report import format_table as format_table
from .seeding import kmeans_pp, uniform
from .structure import KINDS, associate
from .sweep import run_sweep

__all__ = ["random_layout", "make_model", "split_offset", "census_task", "benchmark_task", "census_grid",
           "run_census", "summarize"]

_SEEDINGS = {"uniform": uniform, "kmeans++": kmeans_pp}


def random_layout(k_star, d, rng, *, box=2.0):
    """Random true centres with smallest separation exactly one.

    Centres are drawn uniformly in the cube ``[0, box * k_star^(1/d)]^d`` and
    kept only if at least ``1`` from those already kept (a hard-core
    process, so ``Delta_max / Delta_min`` stays moderate); the layout is then
    rescaled so that ``Delta_min = 1``.

    Parameters
    ----------
    k_star : int
        Number of centres (``>= 1``).
    d : int
        Dimension (``>= 1``).
    rng : int, numpy.random.Generator or None
    box : float, default=2.0
        Side of the cube per ``k_star^(1/d)`` (must exceed 1).

    Returns
    -------
    ndarray of shape (k_star, d)

    Examples
    --------
    >>> from scipy.spatial.distance import pdist
    >>> from kmbook.census import random_layout
    >>> T = random_layout(5, 2, rng=0)
    >>> T.shape, round(float(pdist(T).min()), 12)
    ((5, 2), 1.0)
    """
    k_star = check_int(k_star, "k_star", minimum=1)
    d = check_int(d, "d", minimum=1)
    box = check_positive(box, "box")
    if box <= 1.0:
        raise ValueError(f"box must exceed 1 so that k_star centres fit; got {box}.")
    gen = as_generator(rng)
    side = box * k_star ** (1.0 / d)
    pts = []
    for _ in range(100_000):
        p = gen.uniform(0.0, side, d)
        if all(np.linalg.norm(p - q) >= 1.0 for q in pts):
            pts.append(p)
            if len(pts) == k_star:
                break
    else:  # pragma: no cover - needs an absurdly small box
        raise RuntimeError("random_layout could not place the centres; increase box.")
    T = np.array(pts)
    if k_star > 1:
        T = T / pdist(T).min()
    return T


def make_model(kind, centers, eta_min, k):
    """The ball or Gaussian mixture on `centers` with the requested ``eta_min`` (Paper 1, Section II-C).

    For the ball model ``r = Delta_min / eta_min`` (``eta_min >= 2`` keeps the
    balls disjoint); for the Gaussian mixture
    ``sigma = Delta_min / (eta_min * sqrt(min(k + k*, d)))``, so the paper's
    SNR of the fit with `k` centres equals `eta_min`.

    Examples
    --------
    >>> from kmbook.census import make_model
    >>> m = make_model("gauss", [[0.0, 0.0], [3.0, 0.0]], eta_min=2.0, k=2)
    >>> round(m.eta(2).eta_min, 12)
    2.0
    """
    eta_min = check_positive(eta_min, "eta_min")
    k = check_int(k, "k", minimum=1)
    C = as_centers(centers, "centers")
    delta_min = float(pdist(C).min()) if C.shape[0] > 1 else 1.0
    if kind == "ball":
        return BallMixture(C, radius=delta_min / eta_min)
    if kind == "gauss":
        return GaussianMixture(C, sigma=delta_min / (eta_min * math.sqrt(min(k + C.shape[0], C.shape[1]))))
    raise ValueError(f"kind must be 'ball' or 'gauss'; got {kind!r}.")


def split_offset(kind, d):
    """Distance from a cluster's centre to the centroid of either half, per unit radius or sigma.

    Two centres that share one true cluster and cut it through its centre
    (the symmetric many-fit-one association of Theorem 1) sit at the
    centroids of the two halves. For a ball of radius ``r`` in ``R^d`` that
    distance is ``r Gamma(d/2 + 1) / (sqrt(pi) Gamma(d/2 + 3/2))`` (``r/2`` for
    ``d = 1``, as in Paper 1's Proposition 2; ``4 r / (3 pi)`` for ``d = 2``);
    for a spherical Gaussian it is ``sigma sqrt(2/pi)`` in every dimension.
    So this many-fit-one error is proportional to ``r``, i.e. to
    ``Delta_max / eta_max``.

    Paper: Paper 1, Theorem 1 (many-fit-one errors) and Proposition 2.
    Chapter: book/landscape/census.

    Parameters
    ----------
    kind : {"ball", "gauss"}
    d : int
        Dimension.

    Returns
    -------
    float

    Examples
    --------
    >>> from kmbook.census import split_offset
    >>> round(split_offset("ball", 1), 12), round(split_offset("ball", 2), 6), round(split_offset("gauss", 7), 6)
    (0.5, 0.424413, 0.797885)
    """
    d = check_int(d, "d", minimum=1)
    if kind == "ball":
        return float(math.exp(gammaln(d / 2 + 1) - gammaln(d / 2 + 1.5)) / math.sqrt(math.pi))
    if kind == "gauss":
        return math.sqrt(2 / math.pi)
    raise ValueError(f"kind must be 'ball' or 'gauss'; got {kind!r}.")


def census_task(task, rng):
    """Run Lloyd from ``task["n_starts"]`` seeds on one random mixture and classify every limit.

    Paper: Paper 1, Theorems 1-2 and Section IV.
    Chapter: book/landscape/census, book/landscape/algorithms.

    Parameters
    ----------
    task : dict
        ``model`` ("ball" or "gauss"), ``k_star``, ``k``, ``d``, ``eta_min``,
        ``n`` (sample size), ``n_starts``; optional ``seeding`` ("uniform",
        default, or "kmeans++"), ``layout`` (int seed of the true centres;
        drawn from `rng` when absent), ``tol`` and ``share`` (passed to
        :func:`~kmbook.structure.associate`), ``prune`` (None, "valley" or
        "ward": prune every limit with :func:`~kmbook.structure.prune`, by
        the valley test or by Ward merges down to ``k*``, then polish with
        Lloyd), ``threads`` (numba threads, default 1).
    rng : numpy.random.Generator
        Draws the layout (if not fixed), the sample (balanced, see
        :func:`balanced_sample`) and the seeds.

    Returns
    -------
    dict
        The task's parameters plus ``eta_max`` (the paper's SNR),
        ``delta_max``, ``truth_cost`` (per-point cost of the Lloyd limit
        started at the true centres, a proxy of the global minimum; NaN when
        ``k != k*``), ``truth_satisfies`` (whether that limit itself has the
        structure; None when ``k != k*``) and one list per start:
        ``covered`` (the seeds hit every true cluster), ``signature``,
        ``satisfies``, ``counts`` (groups of each kind), ``many_fit_many``
        (number of "other" groups with several centres and several true
        centres, a failure that no tolerance can undo), ``err`` (largest
        association error of each kind over ``Delta_max``, NaN if the kind is
        absent), ``empty_mass`` (largest Voronoi mass of an almost-empty
        centre), ``cost`` (per point), ``ci`` (centroid index of the limit
        against the true centres) and, with ``prune``, ``k_pruned`` and
        ``ci_pruned``.

    Examples
    --------
    >>> from kmbook.census import census_task
    >>> out = census_task(dict(model="ball", k_star=3, k=3, d=2, eta_min=10.0, n=3000, n_starts=3), rng=0)
    >>> len(out["signature"]), out["k_star"]
    (3, 3)
    """
    t = _check_task(task)
    gen = as_generator(rng)
    layout_rng = t["layout"] if t["layout"] is not None else gen
    T = random_layout(t["k_star"], t["d"], layout_rng)
    model = make_model(t["model"], T, t["eta_min"], t["k"])
    with numba_threads(t["threads"]):
        X, labels = balanced_sample(model, t["n"], gen)
        out = dict(t, eta_max=float(model.eta(t["k"]).eta_max), delta_max=float(model.delta_max))
        return _run_starts(out, X, labels, T, t, gen)


def benchmark_task(task, rng):
    """The measurements of :func:`census_task` on a bundled benchmark set with ground truth.

    Chapter: book/landscape/algorithms.

    Parameters
    ----------
    task : dict
        ``name`` (see :func:`kmbook.data.available`) and ``n_starts``;
        optional ``k`` (default: the ground-truth number of clusters),
        ``seeding``, ``tol``, ``share``, ``prune``, ``threads`` as in
        :func:`census_task`. Association uses the ground-truth labels.
    rng : numpy.random.Generator
        Draws the seeds.

    Returns
    -------
    dict
        As :func:`census_task`, with ``k_star`` the ground-truth number of
        clusters and ``delta_max`` the largest distance between ground-truth
        centres.

    Examples
    --------
    >>> from kmbook.census import benchmark_task
    >>> out = benchmark_task(dict(name="s1", n_starts=2, seeding="kmeans++"), rng=0)
    >>> out["k_star"], len(out["ci"])
    (15, 2)
    """
    if not isinstance(task, dict):
        raise TypeError(f"task must be a dict; got {type(task).__name__}.")
    if "name" not in task or "n_starts" not in task:
        raise ValueError("a benchmark task needs 'name' and 'n_starts'.")
    unknown = set(task) - {"name", "k", "n_starts"} - set(_DEFAULTS)
    if unknown:
        raise ValueError(f"task has unknown keys {sorted(unknown)}.")
    data = load(task["name"])
    t = dict(_DEFAULTS, model="data", d=data.d, k_star=data.k, eta_min=math.nan, n=data.n, **task)
    t.setdefault("k", data.k)
    t = _check_common(t)
    gen = as_generator(rng)
    with numba_threads(t["threads"]):
        out = dict(t, eta_max=math.nan, delta_max=float(pdist(data.centers).max()))
        return _run_starts(out, data.X, data.labels, np.array(data.centers), t, gen)


def _run_starts(out, X, labels, T, t, gen):
    """Seed, run Lloyd, classify (and prune) `n_starts` times; fill the lists of `out`."""
    n, k, k_star = X.shape[0], t["k"], T.shape[0]
    seed_fn = _SEEDINGS[t["seeding"]]
    keys = ["covered", "signature", "satisfies", "counts", "many_fit_many", "err", "empty_mass", "cost", "ci"]
    keys += ["k_pruned", "ci_pruned"] if t["prune"] else []
    out.update({key: [] for key in keys}, truth_cost=math.nan, truth_satisfies=None)
    for _ in range(t["n_starts"]):
        seeds, idx = seed_fn(X, k, gen, return_indices=True)
        res = lloyd(X, seeds, max_iter=1000)
        a = associate(res.centers, T, X=X, labels=labels, tol=t["tol"], share=t["share"])
        out["covered"].append(np.unique(labels[idx]).size == k_star)
        out["signature"].append(a.signature)
        out["satisfies"].append(a.satisfies_structure)
        out["counts"].append(a.counts)
        out["many_fit_many"].append(sum(g.reason == "many-fit-many" for g in a.groups))
        out["err"].append({kind: _max_or_nan(a.errors(kind, relative=True)) for kind in KINDS[:4]})
        out["empty_mass"].append(_max_or_nan(np.array([g.mass for g in a.groups if g.kind == "almost-empty"])))
        out["cost"].append(res.cost / n)
        out["ci"].append(centroid_index(res.centers, T))
        if t["prune"]:
            pruned = prune(X, res.centers, n_clusters=k_star if t["prune"] == "ward" else None)
            polished = lloyd(X, pruned.centers, max_iter=1000)
            out["k_pruned"].append(len(pruned.centers))
            out["ci_pruned"].append(centroid_index(polished.centers, T))
    if k == k_star:
        res = lloyd(X, T, max_iter=1000)
        out["truth_cost"] = res.cost / n
        out["truth_satisfies"] = associate(res.centers, T, X=X, labels=labels, tol=t["tol"],
                                           share=t["share"]).satisfies_structure
    return out


def _max_or_nan(values):
    return float(np.max(values)) if np.size(values) else math.nan


_DEFAULTS = dict(seeding="uniform", layout=None, tol=0.25, share=0.1, prune=None, threads=1)
_REQUIRED = ("model", "k_star", "k", "d", "eta_min", "n", "n_starts")


def _check_task(task):
    if not isinstance(task, dict):
        raise TypeError(f"task must be a dict; got {type(task).__name__}.")
    missing = [key for key in _REQUIRED if key not in task]
    if missing:
        raise ValueError(f"task is missing {missing}; a census task needs {list(_REQUIRED)}.")
    unknown = set(task) - set(_REQUIRED) - set(_DEFAULTS)
    if unknown:
        raise ValueError(f"task has unknown keys {sorted(unknown)}.")
    t = dict(_DEFAULTS, **task)
    if t["model"] not in ("ball", "gauss"):
        raise ValueError(f"task['model'] must be 'ball' or 'gauss'; got {t['model']!r}.")
    t["eta_min"] = check_positive(t["eta_min"], "task['eta_min']")
    if t["model"] == "ball" and t["eta_min"] < 2:
        raise ValueError(f"task['eta_min'] must be >= 2 for the ball model (disjoint balls); got {t['eta_min']}.")
    if t["layout"] is not None:
        t["layout"] = check_int(t["layout"], "task['layout']", minimum=0)
    return _check_common(t)


def _check_common(t):
    if t["seeding"] not in _SEEDINGS:
        raise ValueError(f"task['seeding'] must be one of {sorted(_SEEDINGS)}; got {t['seeding']!r}.")
    if t["prune"] not in (None, "valley", "ward"):
        raise ValueError(f"task['prune'] must be None, 'valley' or 'ward'; got {t['prune']!r}.")
    for key in ("k_star", "k", "d", "n", "n_starts", "threads"):
        t[key] = check_int(t[key], f"task[{key!r}]", minimum=1)
    if t["k"] > t["n"]:
        raise ValueError(f"task['k']={t['k']} must not exceed task['n']={t['n']}.")
    return t


def census_grid(models=("ball", "gauss"), k_stars=(3, 6), k_offsets=(-1, 0, 2), ds=(2, 5),
                etas=(2.5, 4.0, 8.0, 16.0, 32.0), n_per_cluster=1000, n_starts=20, **extra):
    """The Cartesian grid of census tasks (one dict per combination).

    ``k = k_star + offset`` for each offset (combinations with ``k < 1`` are
    skipped); ``n = n_per_cluster * k_star``; `extra` keys (e.g.
    ``seeding``, ``tol``) are copied into every task.

    Examples
    --------
    >>> from kmbook.census import census_grid
    >>> len(census_grid(models=("ball",), k_stars=(3,), k_offsets=(0,), ds=(2,), etas=(4.0, 8.0)))
    2
    """
    tasks = []
    for model, k_star, off, d, eta in itertools.product(models, k_stars, k_offsets, ds, etas):
        if k_star + off >= 1:
            tasks.append(dict(model=model, k_star=k_star, k=k_star + off, d=d, eta_min=float(eta),
                              n=n_per_cluster * k_star, n_starts=n_starts, **extra))
    return tasks


def _any_task(task, rng):
    return benchmark_task(task, rng) if isinstance(task, dict) and "name" in task else census_task(task, rng)


def run_census(tasks, rng, *, executor=None, progress=None):
    """Run census tasks with :func:`kmbook.sweep.run_sweep` (progress bar, optional executor).

    Chapter: book/landscape/census, book/landscape/algorithms. Tasks with a
    ``name`` go to :func:`benchmark_task`, the others to :func:`census_task`.
    Results do not depend on the executor: task ``i`` always receives the
    ``i``-th generator spawned from `rng`.

    A process pool must start its workers with the "spawn" method, e.g.
    ``ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn"))``:
    numba's threading layer is not safe to fork once it has run.
    """
    return run_sweep(_any_task, tasks, rng=rng, executor=executor, progress=progress, desc="census")


def summarize(records, by=("model", "eta_min")):
    """Aggregate census records over the keys `by`.

    Returns
    -------
    list of dict
        One row per distinct value of `by` (sorted), with ``runs`` (Lloyd
        limits), ``structure`` (share satisfying the structure), ``truth``
        (among tasks with ``k = k*``, share of limits whose cost is at most
        that of the limit started at the true centres, to a relative 1e-9;
        NaN without such tasks), ``truth_structure`` (share of those tasks whose
        truth-started limit has the structure), ``many_fit_many`` (share of
        limits with a many-fit-many group), the share of limits
        containing each kind (``has_<kind>``), and ``eta_max`` (median).

    Examples
    --------
    >>> from kmbook.census import census_task, summarize
    >>> recs = [census_task(dict(model="ball", k_star=3, k=3, d=2, eta_min=10.0, n=3000, n_starts=4), rng=0)]
    >>> row = summarize(recs)[0]
    >>> row["runs"], 0.0 <= row["structure"] <= 1.0
    (4, True)
    """
    if isinstance(by, str):
        by = (by,)
    keys = sorted({tuple(r[b] for b in by) for r in records})
    rows = []
    for key in keys:
        sel = [r for r in records if tuple(r[b] for b in by) == key]
        runs = sum(len(r["signature"]) for r in sel)
        sat = sum(sum(r["satisfies"]) for r in sel)
        hit = sum(sum(c <= r["truth_cost"] * (1 + 1e-9) for c in r["cost"]) for r in sel if r["k"] == r["k_star"])
        row = dict(zip(by, key), runs=runs, structure=sat / runs,
                   eta_max=float(np.median([r["eta_max"] for r in sel])))
        same_k = sum(len(r["signature"]) for r in sel if r["k"] == r["k_star"])
        row["truth"] = hit / same_k if same_k else math.nan
        row["many_fit_many"] = sum(sum(m > 0 for m in r["many_fit_many"]) for r in sel) / runs
        ts = [r["truth_satisfies"] for r in sel if r["k"] == r["k_star"]]
        row["truth_structure"] = sum(ts) / len(ts) if ts else math.nan
        for kind in KINDS:
            row["has_" + kind] = sum(sum(c[kind] > 0 for c in r["counts"]) for r in sel) / runs
        rows.append(row)
    return rows
