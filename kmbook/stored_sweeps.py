"""The sweeps behind the census and algorithms chapters, run once and stored.

The census chapter classifies thousands of Lloyd limits and the algorithms
chapter runs hundreds of seeded and pruned runs; together they take several
minutes, more than a chapter's budget. They are therefore defined here, run by
``python scripts/landscape_sweeps.py`` (progress bar, process pool, one file
per chapter) and stored as JSON under ``data/sweeps/``. The chapters load the
stored records, and ``tests/test_stored_sweeps.py`` re-runs a slice of every
sweep to show that the stored records reproduce.

Every sweep is a list of tasks for :func:`kmbook.census.run_census` and one
seed; task ``i`` receives the ``i``-th generator spawned from that seed, so a
single task can be re-run on its own (:func:`rerun_task`).

Paper: Paper 1 (Qian, Zhang and Chen), Theorems 1-2 and Section IV.
Chapter: book/landscape/census, book/landscape/algorithms.
"""

from __future__ import annotations

import json
import math
import os
import pathlib
from collections.abc import Mapping

import numpy as np

from ._validation import as_list, check_choice, check_int, spawn_generators
from .census import benchmark_task, census_grid, census_task, run_census

__all__ = ["CHAPTERS", "SWEEPS_DIR", "sweep_definitions", "run_sweeps", "save_sweeps",
           "load_sweeps", "rerun_task", "records_match"]

SWEEPS_DIR = pathlib.Path(__file__).resolve().parent.parent / "data" / "sweeps"
CHAPTERS = ("census", "algorithms")

CENSUS_SEED = 4004
ALGORITHMS_SEED = 31337
SENSITIVITY = [(0.15, 0.1), (0.25, 0.1), (0.5, 0.1), (0.25, 0.05), (0.25, 0.2)]
BENCHMARKS = ["s1", "s2", "s3", "s4", "a1", "a2", "a3", "unbalance"]
BENCHMARK_K = {"s1": 15, "s2": 15, "s3": 15, "s4": 15, "a1": 20, "a2": 35, "a3": 50, "unbalance": 8}


def _census_sweeps():
    main = (census_grid(models=("ball",), k_stars=(3, 6), k_offsets=(-1, 0, 2), ds=(1, 2, 5),
                        etas=(2.0, 2.5, 3.0, 4.0, 8.0, 16.0), n_per_cluster=1000, n_starts=20)
            + census_grid(models=("gauss",), k_stars=(3, 6), k_offsets=(-1, 0, 2), ds=(1, 2, 5),
                          etas=(1.0, 1.5, 2.0, 3.0, 4.0, 8.0, 16.0), n_per_cluster=1000, n_starts=20))
    out = {"main": (main, CENSUS_SEED)}
    for tol, share in SENSITIVITY:
        sub = census_grid(models=("gauss",), k_stars=(6,), k_offsets=(0,), ds=(2,), etas=(1.5, 2.0, 3.0),
                          n_per_cluster=1000, n_starts=20, tol=tol, share=share, layout=1)
        out[f"sensitivity tol={tol} share={share}"] = (sub, CENSUS_SEED + 1)
    etas = np.geomspace(4, 256, 7)
    scaling = [dict(model=m, k_star=5, k=5, d=2, eta_min=float(e), n=20_000, n_starts=20, layout=lay)
               for m in ("ball", "gauss") for e in etas for lay in range(3)]
    out["scaling"] = (scaling, CENSUS_SEED + 2)
    return out


def _algorithms_sweeps():
    seeding = [dict(model="gauss", k_star=k, k=k, d=2, eta_min=eta, n=300 * k, n_starts=60, seeding=s, layout=k)
               for eta in (4.0, 16.0) for k in (2, 4, 8, 16, 32) for s in ("uniform", "kmeans++")]
    over = [dict(model="gauss", k_star=16, k=k, d=2, eta_min=16.0, n=4800, n_starts=40, seeding="uniform",
                 layout=16, prune=p)
            for k in (16, 24, 32, 48) for p in ("valley", "ward")]
    bench = ([dict(name=nm, n_starts=16, seeding=s) for nm in BENCHMARKS for s in ("uniform", "kmeans++")]
             + [dict(name=nm, k=2 * BENCHMARK_K[nm], n_starts=8, seeding=s, prune=p)
                for nm in BENCHMARKS for s in ("uniform", "kmeans++") for p in ("valley", "ward")])
    return {"seeding": (seeding, ALGORITHMS_SEED), "over": (over, ALGORITHMS_SEED + 1),
            "bench": (bench, ALGORITHMS_SEED + 2)}


def sweep_definitions(chapter):
    """The sweeps of one chapter: ``{name: (tasks, seed)}``.

    Parameters
    ----------
    chapter : {"census", "algorithms"}
        The chapter whose sweeps are wanted.
    """
    check_choice(chapter, "chapter", CHAPTERS)
    return _census_sweeps() if chapter == "census" else _algorithms_sweeps()


def run_sweeps(chapter, *, executor=None, progress=None, only=None, checkpoint=None):
    """Run every sweep of ``chapter``; returns ``{name: {"tasks", "seed", "records"}}``.

    ``only`` restricts to the named sweeps (for quick partial runs); a name that
    is not a sweep of ``chapter`` is an error, not silently skipped.
    ``checkpoint`` (a folder) gives every sweep its own checkpoint sub-folder, so a
    killed run resumes (see :func:`kmbook.sweep.run_sweep`).
    """
    definitions = sweep_definitions(chapter)
    if only is not None:
        only = as_list(only, "only", "a list of sweep names")
        unknown = [name for name in only if not isinstance(name, str) or name not in definitions]
        if unknown:
            raise ValueError(f"only names no sweep of chapter {chapter!r}: {unknown!r}; "
                             f"its sweeps are {list(definitions)}.")
    out = {}
    for name, (tasks, seed) in definitions.items():
        if only is not None and name not in only:
            continue
        folder = None
        if checkpoint is not None:
            folder = pathlib.Path(checkpoint) / "".join(c if c.isalnum() else "_" for c in name)
        records = run_census(tasks, rng=seed, executor=executor, progress=progress, checkpoint=folder)
        out[name] = dict(tasks=tasks, seed=seed, records=records)
    return out


def _plain(x):
    if hasattr(x, "as_dict"):   # typed tasks (kmbook.tasks) are stored as their dicts
        x = x.as_dict()
    if isinstance(x, dict):
        return {str(k): _plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    if isinstance(x, (float, np.floating)):
        return float(x)
    if isinstance(x, np.ndarray):
        return _plain(x.tolist())
    return x


def save_sweeps(path, sweeps, *, command):
    """Write the sweeps of one chapter to ``path`` (JSON) with the command that made them.

    Parameters
    ----------
    path : str or os.PathLike
        The output file; its name must end in ``.json``.
    sweeps : dict
        ``{name: {"tasks", "seed", "records"}}`` as returned by :func:`run_sweeps`.
    command : str
        The command that regenerates the file (stored beside the records).
    """
    path = _json_path(path)
    _check_sweeps(sweeps, "sweeps")
    if not isinstance(command, str) or not command:
        raise TypeError(f"command must be the non-empty command line that regenerates the file; got {command!r}.")
    try:
        text = json.dumps(dict(command=command, sweeps=_plain(sweeps)), allow_nan=True, separators=(",", ":"))
    except (TypeError, ValueError) as exc:
        raise TypeError(f"sweeps must hold only JSON-serialisable values (numbers, strings, lists, dicts): {exc}"
                        ) from exc
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _json_path(path):
    if isinstance(path, bool) or not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a str or os.PathLike naming a .json file; got {type(path).__name__}.")
    path = pathlib.Path(path)
    if path.suffix != ".json":
        raise ValueError(f"path must name a .json file; got {str(path)!r}.")
    return path


def _check_sweeps(sweeps, name):
    if not isinstance(sweeps, Mapping):
        raise TypeError(f"{name} must be a dict {{name: {{'tasks', 'seed', 'records'}}}}; got {type(sweeps).__name__}.")
    for key, sweep in sweeps.items():
        if not isinstance(sweep, Mapping) or not {"tasks", "seed", "records"} <= set(sweep):
            raise ValueError(f"{name}[{key!r}] must be a dict with 'tasks', 'seed' and 'records' (from run_sweeps).")


def load_sweeps(chapter, path=None):
    """Load a chapter's stored sweeps; ``{name: {"tasks", "seed", "records"}}`` plus the command.

    Raises
    ------
    FileNotFoundError
        With the command that regenerates the file.
    """
    check_choice(chapter, "chapter", CHAPTERS)
    path = _json_path(path) if path is not None else SWEEPS_DIR / f"{chapter}.json"
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing; regenerate it with "
                                f"`python scripts/landscape_sweeps.py {chapter} --workers 2`")
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ValueError(f"path {str(path)!r} is not a stored sweeps file (invalid JSON: {exc}); regenerate it with "
                         f"`python scripts/landscape_sweeps.py {chapter} --workers 2`") from exc
    if not isinstance(payload, dict) or not {"sweeps", "command"} <= set(payload):
        raise ValueError(f"path {str(path)!r} is not a stored sweeps file (no 'sweeps' and 'command').")
    return payload["sweeps"], payload["command"]


def rerun_task(stored, index):
    """Re-run task ``index`` of one stored sweep with its own spawned generator.

    Parameters
    ----------
    stored : dict
        One sweep of :func:`load_sweeps`, with ``tasks`` (a list of task dicts) and ``seed``.
    index : int
        The task to re-run, ``0 <= index < len(stored["tasks"])``.
    """
    if not isinstance(stored, Mapping) or not {"tasks", "seed"} <= set(stored):
        raise TypeError("stored must be one stored sweep (a dict with 'tasks' and 'seed'); "
                        f"got {type(stored).__name__}.")
    tasks = as_list(stored["tasks"], "stored['tasks']", "a list of task dicts")
    seed = check_int(stored["seed"], "stored['seed']", minimum=0)
    index = check_int(index, "index", minimum=0, maximum=len(tasks) - 1) if tasks else None
    if index is None:
        raise ValueError("stored['tasks'] is empty: there is no task to re-run.")
    if not isinstance(tasks[index], Mapping):
        raise TypeError(f"stored['tasks'][{index}] must be a task dict; got {type(tasks[index]).__name__}.")
    gen = spawn_generators(seed, len(tasks))[index]
    task = tasks[index]
    func = benchmark_task if "name" in task else census_task
    return _plain(func(task, rng=gen))


def records_match(a, b, *, rtol=1e-9):
    """Whether two records agree: equal keys, equal discrete values, floats to ``rtol``."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(records_match(a[k], b[k], rtol=rtol) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(records_match(x, y, rtol=rtol) for x, y in zip(a, b))
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return math.isclose(a, b, rel_tol=rtol, abs_tol=1e-12)
    return a == b
