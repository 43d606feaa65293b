"""A dual certificate stored compactly, and the lower bound recomputed from it.

Paper: Paper 3, weak duality for eq. (2.3) and (3.3).
Chapter: book/convex/sdp_at_scale.

The lower bound of :mod:`kmbook.sdp_bound` is the dual function at a matrix ``B >= 0``
(the dual of ``Z >= 0``); it is valid for *every* such ``B``. A solve's ``B`` can therefore
be stored rounded (float32, strict lower triangle: half the size, a quarter of float64's
square) and the bound recomputed later from the stored numbers alone: the rounding can only
loosen it, never make it wrong.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from ._section5_checks import MissingResults
from ._validation import as_points, as_real_array, as_square, check_int, check_nonnegative

__all__ = ["CERTIFICATES_DIR", "benchmark_subsample", "pack_dual", "unpack_dual", "stored_lower_bound",
           "solution_factor", "load_certificate", "recheck_certificate", "native_timings",
           "best_line_split"]

#: Where ``scripts/sdp_certify.py`` stores its results (``<name>.json`` + ``<name>.npz``).
CERTIFICATES_DIR = Path(__file__).resolve().parent.parent / "data" / "sdp_at_scale"
#: The native-solver benchmark results (``benchmarks/bench_sdp.py --native``).
BENCHMARK_RESULTS = Path(__file__).resolve().parent.parent / "benchmarks" / "results"


def pack_dual(B):
    """Strict lower triangle of the symmetrised, non-negative part of `B`, as float32.

    Paper: Paper 3 (the dual matrix of ``Z >= 0``).
    Chapter: book/convex/sdp_at_scale.

    Examples
    --------
    >>> import numpy as np
    >>> from kmbook.sdp_stored import pack_dual, unpack_dual
    >>> B = np.array([[0.0, 2.0, -1.0], [2.0, 0.0, 3.0], [-1.0, 3.0, 0.0]])
    >>> unpack_dual(pack_dual(B), 3)[0].tolist()
    [0.0, 2.0, 0.0]
    """
    B = as_square(B, "B")
    B = np.maximum((B + B.T) / 2, 0.0)
    return B[np.tril_indices(B.shape[0], -1)].astype(np.float32)


def unpack_dual(packed, n_points):
    """The symmetric float64 matrix (zero diagonal) of :func:`pack_dual`'s output.

    Paper: Paper 3 (the dual matrix of ``Z >= 0``).
    Chapter: book/convex/sdp_at_scale.
    """
    packed = as_real_array(packed, "packed")
    if not np.all(np.abs(packed) <= np.finfo(np.float32).max):
        raise ValueError("packed must hold finite float32 values (the output of pack_dual); it holds NaN, inf "
                         "or entries beyond the float32 range.")
    n_points = check_int(n_points, "n_points", minimum=1)
    if packed.ndim != 1 or packed.size != n_points * (n_points - 1) // 2:
        raise ValueError(f"packed must hold N (N - 1) / 2 = {n_points * (n_points - 1) // 2} entries for "
                         f"n_points={n_points}; got shape {packed.shape}.")
    B = np.zeros((n_points, n_points))
    B[np.tril_indices(n_points, -1)] = packed
    return B + B.T


def stored_lower_bound(X, k, relaxation, packed):
    """Rigorous lower bound on the relaxation's optimum (k-means scale) from a packed ``B``.

    Paper: Paper 3, weak duality for eq. (2.3) and (3.3).
    Chapter: book/convex/sdp_at_scale.

    Parameters
    ----------
    X : ndarray of shape (N, d)
    k : int
    relaxation : {"peng_wei", "amini_levina"}
    packed : ndarray of shape (N (N - 1) / 2,)
        :func:`pack_dual` of a dual matrix (any non-negative one gives a valid bound).

    Returns
    -------
    float
        :func:`kmbook.sdp_bound.lower_bound` at the unpacked matrix, for the exact
        distances of `X` (their rounding is accounted for).
    """
    from .partitions import distance_matrix
    from .sdp_bound import lower_bound

    X = as_points(X, "X")
    B = unpack_dual(packed, X.shape[0])
    return lower_bound(distance_matrix(X), B, k, relaxation, n_features=X.shape[1])


def benchmark_subsample(name, n, seed):
    """``n`` points of a bundled benchmark set drawn without replacement (seeded), sorted.

    Paper: Paper 3 (the relaxations on real data).
    Chapter: book/convex/sdp_at_scale.

    Returns
    -------
    X : ndarray of shape (n, d)
    indices : ndarray of shape (n,)
        Rows of ``kmbook.data.load(name).X``.
    k : int
        The set's number of clusters.
    """
    from .data import load

    data = load(name)
    if not 2 <= int(n) <= data.X.shape[0]:
        raise ValueError(f"n must be between 2 and the set's size {data.X.shape[0]}; got {n}.")
    idx = np.sort(np.random.default_rng(seed).choice(data.X.shape[0], size=int(n), replace=False))
    return np.asarray(data.X, dtype=float)[idx], idx, int(data.k)


def solution_factor(Z, rel_tol=1e-5):
    """``F`` with ``Z ~ J / N + F F^T``: the eigenpairs of ``Z - J / N`` above ``rel_tol``
    times the largest (a compact record of a near-low-rank solution).

    Paper: Paper 3 (solutions of (2.3)/(3.3) have rank near K).
    Chapter: book/convex/sdp_at_scale.

    :func:`kmbook.sdp_upper.feasible_point` applied to ``J / N + F F^T`` turns the stored
    factor back into a feasible point and an upper bound.
    """
    from scipy.linalg import eigh

    Z = as_square(Z, "Z")
    rel_tol = check_nonnegative(rel_tol, "rel_tol")
    n_points = Z.shape[0]
    w, V = eigh(Z - 1.0 / n_points, check_finite=False)
    keep = w > rel_tol * max(float(w[-1]), 1e-300)
    return V[:, keep] * np.sqrt(w[keep])


def load_certificate(name, directory=None):
    """The record (dict) and arrays (dict) of a stored ``scripts/sdp_certify.py`` result.

    Paper: Paper 3 (the relaxations on real data).
    Chapter: book/convex/sdp_at_scale.
    """
    if directory is not None and not isinstance(directory, (str, os.PathLike)):
        raise TypeError(f"directory must be a path (str or os.PathLike) or None; got {type(directory).__name__}.")
    directory = CERTIFICATES_DIR if directory is None else Path(directory)
    if not isinstance(name, str):
        raise TypeError(f"name must be a certificate name (str) in {directory}; got {type(name).__name__}.")
    available = sorted(p.stem for p in directory.glob("*.json")) if directory.is_dir() else []
    if name not in available:
        raise MissingResults(
            f"name={name!r}: no stored certificate {directory / name}.json; name must be one of "
            f"{', '.join(available) or '(none stored in directory)'}, or create it with scripts/sdp_certify.py "
            f"--out {directory / name}")
    path = directory / f"{name}.json"
    record = json.loads(path.read_text())
    with np.load(path.with_suffix(".npz")) as f:
        arrays = {key: f[key] for key in f.files}
    return record, arrays


def recheck_certificate(record, arrays):
    """Recompute both ends of a stored certificate from the stored numbers alone.

    Paper: Paper 3, weak duality for eq. (2.3) and (3.3).
    Chapter: book/convex/sdp_at_scale.

    Rebuilds the subsample from its recipe, checks the indices, and recomputes the lower
    bound from the stored dual matrix and the upper bound from the stored solution: the
    partition's cost when ``Z`` was a partition matrix, else the cost of
    :func:`kmbook.sdp_upper.feasible_point` at ``J / N + F F^T``.

    Returns
    -------
    dict
        ``X``, ``indices_match``, ``lower_bound``, ``upper_bound`` and ``gap``
        (``(upper - lower) / upper``).
    """
    from .partitions import distance_matrix
    from .planted_optimality import partition_cost
    from .sdp_upper import feasible_point

    _check_keys(record, "record", ("set", "n", "seed", "relaxation", "partition_solution"))
    _check_keys(arrays, "arrays", ("dual_lower", "indices", "labels" if record["partition_solution"] else "factor"))
    X, idx, k = benchmark_subsample(record["set"], record["n"], record["seed"])
    lower = stored_lower_bound(X, k, record["relaxation"], arrays["dual_lower"])
    if record["partition_solution"]:
        upper = float(partition_cost(X, arrays["labels"]))
    else:
        F = arrays["factor"]
        upper = feasible_point(distance_matrix(X), 1.0 / len(X) + F @ F.T, k, record["relaxation"])[1]
    return {"X": X, "k": k, "indices_match": bool(np.array_equal(idx, arrays["indices"])),
            "lower_bound": lower, "upper_bound": upper, "gap": (upper - lower) / upper}


def _check_keys(value, name, keys):
    """`value` must be a mapping holding `keys` (as :func:`load_certificate` returns)."""
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a dict as returned by load_certificate; got {type(value).__name__}.")
    missing = [key for key in keys if key not in value]
    if missing:
        raise ValueError(f"{name} lacks the key(s) {missing}; pass the {name} returned by load_certificate.")


def best_line_split(X, n_directions=3600):
    """The cheapest 2-partition of planar points by a line, over a grid of directions.

    Paper: Paper 3 (an optimal 2-means partition is separated by a line).
    Chapter: book/convex/sdp_at_scale.

    For each of `n_directions` equally spaced directions, sorts the projections and
    evaluates every threshold split with prefix sums. The result is the best split *found*,
    an upper bound on the k-means optimum for K = 2, not the optimum itself (a line that
    separates the optimal partition may fall between the grid's directions).

    Returns
    -------
    cost : float
        Within-cluster sum of squares of the best split found.
    labels : ndarray of shape (n,)
    """
    X = as_points(X, "X", min_samples=2)
    if X.shape[1] != 2:
        raise ValueError(f"X must be an (n, 2) array of planar points; got shape {X.shape}.")
    n_directions = check_int(n_directions, "n_directions", minimum=1)
    n = X.shape[0]
    Xc = X - X.mean(axis=0)
    sq = np.einsum("ij,ij->i", Xc, Xc)
    sizes = np.arange(1, n)
    best = (np.inf, None, 0)
    for angle in np.pi * np.arange(n_directions) / n_directions:
        order = np.argsort(Xc @ np.array([np.cos(angle), np.sin(angle)]), kind="stable")
        s = np.cumsum(Xc[order], axis=0)[:-1]  # sum of the first m points, m = 1..n-1
        # SS = sum|x|^2 - |S_left|^2 / m - |S_right|^2 / (n - m), with S_right = -S_left (centred)
        cost = sq.sum() - np.einsum("ij,ij->i", s, s) * (1.0 / sizes + 1.0 / (n - sizes))
        m = int(np.argmin(cost))
        if cost[m] < best[0]:
            best = (float(cost[m]), order, m + 1)
    labels = np.zeros(n, dtype=int)
    labels[best[1][best[2]:]] = 1
    return best[0], labels


def native_timings(names=("sdp_native.json",)):
    """Rows of the stored native-solver benchmarks: one dict per (N, kind, relaxation).

    Paper: Paper 3 (solving (2.3)/(3.3) at scale).
    Chapter: book/convex/sdp_at_scale.

    Each row has ``N``, ``kind``, ``relaxation``, ``native_s``, ``scs_s``, ``ratio``
    (SCS time / native time, same run), ``cpu_ratio`` (the same ratio of CPU times; None in
    files that predate CPU timing), ``clarabel_s`` (None when Clarabel was not run),
    ``value_diff`` (relative, against SCS), ``native_value``, ``native_lb``, ``best_lb``
    (the largest rigorous lower bound of the row, over the solvers run in it),
    ``native_gap`` (``(value - best_lb) / value``;
    negative when the native value lies *below* a proved lower bound, i.e. the native
    point was infeasible and the row certifies nothing), ``revision`` (the solver revision
    the file records) and ``load`` (load average at the start of the row); rows with the
    same key in a later file replace earlier ones.

    Raises
    ------
    FileNotFoundError
        When a named results file does not exist (rerun ``benchmarks/bench_sdp.py --native``
        or drop the name).
    ValueError
        When a file does not record the solver revision its rows measured.
    """
    if isinstance(names, (str, bytes)) or not all(isinstance(n, str) for n in np.atleast_1d(names)):
        raise TypeError(f"names must be a sequence of file names (str), e.g. ('sdp_native.json',); got {names!r}.")
    rows = {}
    for name in names:
        path = BENCHMARK_RESULTS / name
        if not path.exists():
            raise FileNotFoundError(f"no benchmark results file {path}; create it with "
                                    "`python benchmarks/bench_sdp.py --native` or remove it from `names`.")
        data = json.loads(path.read_text())
        if "solver_revision" not in data:
            raise ValueError(f"{path} does not record `solver_revision`; add the commit its rows measured.")
        for r in data["rows"]:
            lbs = [r[s]["lower_bound"] for s in ("native", "scs", "clarabel") if s in r]
            value = r["native"]["value"]
            rows[(r["N"], r["kind"], r["relaxation"])] = {
                "N": r["N"], "kind": r["kind"], "relaxation": r["relaxation"],
                "native_s": r["native"]["time_s"], "scs_s": r["scs"]["time_s"], "ratio": r["speedup_vs_scs"],
                "cpu_ratio": r.get("cpu_speedup_vs_scs"),
                "clarabel_s": r["clarabel"]["time_s"] if "clarabel" in r else None,
                "value_diff": r["value_rel_diff_vs_scs"], "native_value": value,
                "native_lb": r["native"]["lower_bound"], "best_lb": max(lbs),
                "native_gap": (value - max(lbs)) / value, "revision": data["solver_revision"],
                "load": r["load_avg"][0], "file": name,
            }
    return [rows[key] for key in sorted(rows)]
