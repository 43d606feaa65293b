"""Argument checks shared by the public functions of :mod:`kmbook`.

Public functions validate once, at their boundary, with messages that name the
argument, what was received and how to fix it; private code trusts its inputs.
"""

from __future__ import annotations

import numbers

import numpy as np
from scipy.spatial.distance import pdist

#: The two SDP relaxations of Paper 3, and the names of their proximity conditions.
RELAXATIONS = ("peng_wei", "amini_levina")

__all__ = [
    "RELAXATIONS",
    "as_points",
    "as_centers",
    "as_labels",
    "check_n_clusters",
    "check_positive",
    "check_nonnegative",
    "check_int",
    "as_generator",
    "spawn_generators",
    "as_square",
    "check_choice",
    "check_fraction",
    "check_distinct",
    "check_qmc",
    "as_truth",
    "as_list",
    "as_bounds",
    "as_real_array",
]


def _as_float_array(value, name):
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be an array of real numbers; got {type(value).__name__}.")
    try:
        arr = np.asarray(value)
    except Exception as exc:  # ragged lists and the like
        raise TypeError(f"{name} must be an array of real numbers; could not convert it: {exc}") from exc
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise TypeError(f"{name} must hold real numbers; got dtype {arr.dtype}.")
    if np.issubdtype(arr.dtype, np.complexfloating):
        raise TypeError(f"{name} must hold real numbers; got complex dtype {arr.dtype}.")
    return np.ascontiguousarray(arr, dtype=np.float64)


# Coordinates above this magnitude make squared distances overflow float64 (1e308).
_MAX_ABS = 1e150


def _check_finite(arr, name):
    if not np.all(np.isfinite(arr)):
        bad = np.argwhere(~np.isfinite(arr))[0]
        raise ValueError(
            f"{name} must be finite; found {arr[tuple(bad)]} at index {tuple(int(i) for i in bad)}. "
            "Remove or impute non-finite values first."
        )
    if arr.size and np.abs(arr).max() > _MAX_ABS:
        raise ValueError(
            f"{name} has entries of magnitude up to {np.abs(arr).max():.3g}; squared distances would overflow "
            f"float64 (limit {_MAX_ABS:g}). Rescale the data."
        )


def as_points(X, name="X", *, min_samples=1):
    """Return `X` as a C-contiguous float64 array of shape (n, d), checked.

    Raises
    ------
    TypeError
        If `X` is not numeric.
    ValueError
        If `X` is not 2-D, has fewer than `min_samples` rows, no columns, or
        non-finite entries.
    """
    arr = _as_float_array(X, name)
    if arr.ndim != 2:
        hint = " For one-dimensional data pass X.reshape(-1, 1)." if arr.ndim == 1 else ""
        raise ValueError(f"{name} must be 2-D of shape (n_samples, n_features); got shape {arr.shape}.{hint}")
    if arr.shape[0] < min_samples:
        raise ValueError(f"{name} must have at least {min_samples} row(s); got shape {arr.shape}.")
    if arr.shape[1] < 1:
        raise ValueError(f"{name} must have at least one column (feature); got shape {arr.shape}.")
    _check_finite(arr, name)
    return arr


def as_centers(centers, name="centers", *, n_features=None, n_samples=None):
    """Return `centers` as a float64 array of shape (k, d), checked.

    `n_features`, when given, is the dimension `d` the centres must have;
    `n_samples`, when given, is the number of data points, and `k` may not
    exceed it.
    """
    arr = _as_float_array(centers, name)
    if arr.ndim != 2:
        hint = " For one-dimensional centres pass centers.reshape(-1, 1)." if arr.ndim == 1 else ""
        raise ValueError(f"{name} must be 2-D of shape (k, n_features); got shape {arr.shape}.{hint}")
    if arr.shape[0] < 1:
        raise ValueError(f"{name} must hold at least one centre (k >= 1); got shape {arr.shape}.")
    if n_features is not None and arr.shape[1] != n_features:
        raise ValueError(
            f"{name} must have {n_features} column(s) to match the data's dimension; got shape {arr.shape}."
        )
    if n_samples is not None and arr.shape[0] > n_samples:
        raise ValueError(
            f"{name} holds k={arr.shape[0]} centres but the data have only n={n_samples} points; "
            "k must satisfy 1 <= k <= n."
        )
    _check_finite(arr, name)
    return arr


def as_labels(labels, name="labels", *, n_samples=None):
    """Return `labels` as a 1-D int64 array of non-negative cluster indices."""
    if isinstance(labels, (str, bytes)) or labels is None:
        raise TypeError(f"{name} must be a 1-D array of integer cluster labels; got {type(labels).__name__}.")
    arr = np.asarray(labels)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D of shape (n_samples,); got shape {arr.shape}.")
    if arr.size and not np.issubdtype(arr.dtype, np.integer):
        if np.issubdtype(arr.dtype, np.floating) and np.all(np.isfinite(arr)) and np.all(arr == np.round(arr)):
            arr = arr.astype(np.int64)
        else:
            raise TypeError(f"{name} must hold integers; got dtype {arr.dtype}.")
    arr = arr.astype(np.int64, copy=False)
    if n_samples is not None and arr.shape[0] != n_samples:
        raise ValueError(f"{name} must have one entry per data point ({n_samples}); got {arr.shape[0]}.")
    if arr.size and arr.min() < 0:
        raise ValueError(f"{name} must be non-negative cluster indices; found {arr.min()}.")
    return arr


def check_int(value, name, *, minimum=None, maximum=None):
    """Return `value` as a Python int, checking its type and range."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer; got {value!r} of type {type(value).__name__}.")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}; got {value}.")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}; got {value}.")
    return value


def check_n_clusters(k, n_samples, name="k"):
    """Check 1 <= k <= n_samples and return k as an int."""
    k = check_int(k, name, minimum=1)
    if k > n_samples:
        raise ValueError(f"{name}={k} must be <= the number of points n={n_samples} (1 <= k <= n).")
    return k


def as_real(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number; got {value!r} of type {type(value).__name__}.")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite; got {value}.")
    return value


def check_positive(value, name):
    """Return `value` as a float, requiring it to be finite and > 0."""
    value = as_real(value, name)
    if value <= 0:
        raise ValueError(f"{name} must be > 0; got {value}.")
    return value


def check_nonnegative(value, name):
    """Return `value` as a float, requiring it to be finite and >= 0."""
    value = as_real(value, name)
    if value < 0:
        raise ValueError(f"{name} must be >= 0; got {value}.")
    return value


def as_generator(rng, name="rng"):
    """Normalise `rng` to a :class:`numpy.random.Generator`.

    `rng` may be an int seed, a :class:`numpy.random.SeedSequence`, a
    Generator (returned as is, so draws advance its state), or None for fresh
    operating-system entropy (not reproducible; the book always passes a seed).
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or isinstance(rng, np.random.SeedSequence):
        return np.random.default_rng(rng)
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool):
        if rng < 0:
            raise ValueError(f"{name} seed must be a non-negative integer; got {rng}.")
        return np.random.default_rng(int(rng))
    raise TypeError(
        f"{name} must be None, a non-negative int seed, a numpy.random.SeedSequence or a "
        f"numpy.random.Generator; got {type(rng).__name__}. The global numpy.random state is never used."
    )


def spawn_generators(rng, count, name="rng"):
    """Return `count` statistically independent generators derived from `rng`.

    Uses :meth:`numpy.random.Generator.spawn` (SeedSequence spawning), so the
    children are reproducible from the parent seed and independent of each
    other.
    """
    count = check_int(count, "count", minimum=0)
    return as_generator(rng, name).spawn(count)


def as_square(Z, name="Z"):
    """A finite float matrix of shape (N, N)."""
    Z = as_points(Z, name)
    if Z.shape[0] != Z.shape[1]:
        raise ValueError(f"{name} must be a square matrix of shape (N, N); got shape {Z.shape}.")
    return Z


def check_choice(value, name, choices):
    """`value` if it is one of `choices` (a tuple of strings), else a ValueError naming them."""
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name} must be one of {tuple(choices)}; got {value!r}.")
    return value


def check_fraction(value, name):
    """A real number strictly between 0 and 1."""
    value = check_positive(value, name)
    if value >= 1.0:
        raise ValueError(f"{name} must lie in (0, 1); got {value}.")
    return value


def check_distinct(C, message):
    """Raise ValueError with `message` when two rows of the centre array `C` coincide."""
    if C.shape[0] > 1 and pdist(C).min() == 0.0:
        raise ValueError(message)
    return C


def check_qmc(n_points, n_reps):
    """Sobol' node count (a power of two, at least 2) and replicate count (at least 2)."""
    n_points = check_int(n_points, "n_points", minimum=2)
    if n_points & (n_points - 1):
        raise ValueError(f"n_points must be a power of two (Sobol' balance), e.g. 2**14; got {n_points}.")
    return n_points, check_int(n_reps, "n_reps", minimum=2)


def as_truth(centers, true_centers, model, X, labels):
    """Fitted centres, true centres, sample and ground-truth labels, checked together.

    `model` is None or a mixture already checked by the caller; its centres
    stand in for `true_centers` when those are None. Returns
    ``(C, T, X, labels)``.
    """
    if true_centers is None:
        if model is None:
            raise ValueError("true_centers is required when no model is given.")
        T = np.array(model.centers)
    else:
        T = as_centers(true_centers, "true_centers")
        if model is not None and (T.shape != model.centers.shape or not np.allclose(T, model.centers)):
            raise ValueError(
                "true_centers must equal model.centers (same rows, same order) when both are given; "
                "pass true_centers=None to use the model's."
            )
    check_distinct(T, "true_centers must be distinct; two rows coincide.")
    C = as_centers(centers, "centers", n_features=T.shape[1])
    if X is not None:
        X = as_points(X, "X")
        if X.shape[1] != T.shape[1]:
            raise ValueError(f"X must have {T.shape[1]} column(s) like the centres; got shape {X.shape}.")
        if labels is not None:
            labels = as_labels(labels, "labels", n_samples=X.shape[0])
            if labels.size and labels.max() >= T.shape[0]:
                raise ValueError(
                    f"labels must lie in 0..{T.shape[0] - 1} (one per true centre); found {labels.max()}."
                )
    elif labels is not None:
        raise ValueError("labels were given without X; pass the sample X they label.")
    return C, T, X, labels


def as_list(value, name, what="a sequence"):
    """Return the iterable `value` as a list; TypeError naming `name` for anything else.

    Strings, bytes, None and 0-d arrays are refused (iterating them is never what is meant).
    """
    if value is None or isinstance(value, (str, bytes, dict)) or (isinstance(value, np.ndarray) and value.ndim == 0):
        raise TypeError(f"{name} must be {what}; got {type(value).__name__}.")
    try:
        return list(value)
    except TypeError as exc:
        raise TypeError(f"{name} must be {what}; got {type(value).__name__}.") from exc


def as_bounds(bounds, name="bounds"):
    """Return a box ``(xmin, xmax, ymin, ymax)`` of finite floats with ``xmin < xmax``, ``ymin < ymax``."""
    try:
        arr = np.asarray(bounds, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be four numbers (xmin, xmax, ymin, ymax); got {bounds!r}.") from exc
    if arr.shape != (4,):
        raise ValueError(f"{name} must be four numbers (xmin, xmax, ymin, ymax); got shape {arr.shape}.")
    if not np.all(np.isfinite(arr)) or not (arr[0] < arr[1] and arr[2] < arr[3]):
        raise ValueError(f"{name} must be finite with xmin < xmax and ymin < ymax; got {arr.tolist()}.")
    return tuple(float(v) for v in arr)


def as_real_array(value, name, *, ndim=None):
    """Return `value` as a float64 array (non-finite entries allowed), checking its type and `ndim`."""
    arr = _as_float_array(value, name)
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D; got shape {arr.shape}.")
    return arr
