"""The stationary points behind Figure 1, classified by their Hessians (stored catalogue).

Paper: Paper 1, Figure 1 (panels 1b-1d and 2c-2d) and the discussion after
Theorem 1 (why many-fit-many configurations are not local minima).
Chapter: book/landscape/figure1.

Each task names a mixture of :func:`kmbook.structure.figure1_setup` (its
``sigma``), a start and a solver (Newton's method, which converges to saddles as
readily as to minima, or saddle-free Newton, which is repelled by saddles and
generically ends at a minimum but can stop at a saddle from a symmetric start;
see :func:`kmbook.planar_gaussian.planar_stationary_point`). The eigenvalues at
the end decide which kind each point is. The results are
stored by ``scripts/figure1_hessians.py`` in :data:`FIGURE1_STATIONARY_PATH`;
the chapter reloads them and recomputes the gradient and the Hessian at every
stored point, so the stored numbers are checked, not trusted.
"""

from __future__ import annotations

import json
import os
import pathlib

import numpy as np

from ._validation import check_choice
from .lloyd import lloyd
from .models import balanced_sample
from .planar_gaussian import planar_cost, planar_hessian, planar_stationary_point
from .structure import associate, figure1_setup

__all__ = ["FIGURE1_STATIONARY_PATH", "figure1_stationary_tasks", "figure1_stationary_point",
           "load_figure1_stationary", "SAMPLE_SEED"]

FIGURE1_STATIONARY_PATH = pathlib.Path(__file__).resolve().parent.parent / "data" / "sweeps" / "figure1_stationary.json"

#: Seed of the 40 000-point samples whose Lloyd limits (from candidate 1c) start some tasks;
#: the same seed as the chapter's samples.
SAMPLE_SEED = 20240601


def _symmetric_two_fit_three(sigma, vertical=False):
    """Pair at +-sigma sqrt(2/pi) about the top centre; line centres at +-(4 + a/2)/1.5."""
    a = sigma * np.sqrt(2 / np.pi)
    x0 = (4 + 0.5 * a) / 1.5
    pair = [[0.0, 6 - a], [0.0, 6 + a]] if vertical else [[-a, 6.0], [a, 6.0]]
    return np.array(pair + [[-x0, 0.0], [x0, 0.0]])


def figure1_stationary_tasks():
    """The catalogue: one dict per stationary point (name, sigma, start, method).

    Paper: Paper 1, Figure 1.
    Chapter: book/landscape/figure1.

    Returns
    -------
    list of dict
        Keys ``name``, ``sigma``, ``start`` (``"symmetric 2-fit-3"``,
        ``"2-fit-2"``, ``"candidate 1b"`` or ``"sample limit from 1c"``) and
        ``method`` (``"newton"`` or ``"saddle-free"``).
    """
    tasks = [
        dict(name="symmetric 2-fit-3", sigma=0.5, start="symmetric 2-fit-3", method="newton"),
        dict(name="2-fit-2", sigma=0.5, start="2-fit-2", method="newton"),
        dict(name="1b, saddle", sigma=0.5, start="candidate 1b", method="newton"),
        dict(name="1b, minimum", sigma=0.5, start="candidate 1b", method="saddle-free"),
        dict(name="symmetric 2-fit-3", sigma=0.7, start="symmetric 2-fit-3", method="newton"),
        dict(name="symmetric 2-fit-3", sigma=0.8, start="symmetric 2-fit-3", method="newton"),
    ]
    for sigma in (0.6, 0.7, 0.8, 0.9):
        tasks.append(dict(name="from the sample limit", sigma=sigma, start="sample limit from 1c",
                          method="saddle-free"))
    return tasks


def _start(task):
    model, setup = figure1_setup(sigma=task["sigma"])
    kind = task["start"]
    if kind == "symmetric 2-fit-3":
        return model, _symmetric_two_fit_three(task["sigma"])
    if kind == "2-fit-2":
        a = task["sigma"] * np.sqrt(2 / np.pi)
        return model, np.array([[0.0, 6.0], [-4.0, 0.0], [2.0, a], [2.0, -a]])
    if kind == "candidate 1b":
        return model, setup["1b: spurious local minimum"]
    X, _ = balanced_sample(model, 40_000, rng=SAMPLE_SEED)
    return model, lloyd(X, setup["1c: two centres fit three clusters"], max_iter=1000).centers


def figure1_stationary_point(task, rng=None):
    """Solve one task of :func:`figure1_stationary_tasks` and describe the stationary point.

    Paper: Paper 1, Figure 1; Lemmas 1-2 (stationarity), second-order test.
    Chapter: book/landscape/figure1.

    Parameters
    ----------
    task : dict
        One entry of :func:`figure1_stationary_tasks`.
    rng : ignored
        Present for :func:`kmbook.sweep.run_sweep` (the computation is deterministic).

    Returns
    -------
    dict
        The task's keys plus ``start_centers``, ``centers``, ``gradient_norm``,
        ``eigenvalues`` (20 Gauss-Legendre points per panel),
        ``eigenvalues_order40`` (40 points: their difference estimates the
        quadrature error), ``eigenvector`` (of the smallest eigenvalue),
        ``cost``, ``signature`` (:func:`kmbook.structure.associate` under the
        model), ``newton_steps`` and ``converged``.
    """
    keys = ("name", "sigma", "start", "method")
    if not isinstance(task, dict) or any(k not in task for k in keys):
        raise TypeError(f"task must be a dict with keys {keys} (an entry of figure1_stationary_tasks()); "
                        f"got {task!r}.")
    check_choice(task["start"], "task['start']", ("symmetric 2-fit-3", "2-fit-2", "candidate 1b",
                                                  "sample limit from 1c"))
    method = check_choice(task["method"], "task['method']", ("newton", "saddle-free"))
    model, start = _start(task)
    res = planar_stationary_point(model, start, newton_steps=60, saddle_free=method == "saddle-free")
    w40 = np.linalg.eigvalsh(planar_hessian(model, res.centers, order=40))
    return dict(task, start_centers=np.asarray(start).tolist(), centers=res.centers.tolist(),
                gradient_norm=res.gradient_norm, eigenvalues=res.eigenvalues.tolist(),
                eigenvalues_order40=w40.tolist(), eigenvector=res.eigenvectors[:, 0].tolist(),
                cost=planar_cost(model, res.centers),
                signature=associate(res.centers, None, model=model).signature,
                newton_steps=res.n_newton, converged=bool(res.converged))


def load_figure1_stationary(path=None):
    """The stored catalogue written by ``scripts/figure1_hessians.py`` (list of dicts, arrays as lists).

    Paper: Paper 1, Figure 1.
    Chapter: book/landscape/figure1.

    Parameters
    ----------
    path : str or os.PathLike, optional
        Defaults to :data:`FIGURE1_STATIONARY_PATH`.

    Raises
    ------
    FileNotFoundError
        With the command that regenerates the file.
    ValueError
        If the file is not such a catalogue.
    """
    if path is not None and (isinstance(path, bool) or not isinstance(path, (str, os.PathLike))):
        raise TypeError(f"path must be a str or os.PathLike (or None for the stored file); got {path!r}.")
    path = pathlib.Path(path) if path is not None else FIGURE1_STATIONARY_PATH
    if path.suffix != ".json":
        raise ValueError(f"path must name a .json file; got {str(path)!r}.")
    regen = "regenerate it with `python scripts/figure1_hessians.py`"
    if not path.is_file():
        raise FileNotFoundError(f"path {str(path)!r} is missing; {regen}.")
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ValueError(f"path {str(path)!r} is not a stored catalogue (invalid JSON: {exc}); {regen}.") from exc
    if not isinstance(payload, dict) or "points" not in payload:
        raise ValueError(f"path {str(path)!r} is not a stored catalogue (no 'points'); {regen}.")
    return payload["points"]
