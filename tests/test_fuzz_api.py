"""Fuzz the public API: bad input gets a ValueError or TypeError naming the argument.

Every public callable of every public module (from the modules' ``__all__``, found by walking the
package, so the test follows modules as they move) is called with arguments drawn by hypothesis:
arrays of random shapes and dtypes with NaN and inf, empty arrays, k outside [1, n], malformed
labels, rng arguments of every wrong kind, strings and None where numbers belong. Each call must

* return, with no NaN anywhere in what it returns (a silent NaN is a bug: raise or say so), or
* raise ``ValueError`` or ``TypeError`` whose message names one of the function's arguments
  (also accepted, naming an argument too: ``SDPSolveError``, the documented way a solver says it
  failed, and ``NotImplementedError`` for a documented limit such as "exact in 1-D only"),

and never raise anything else, crash or hang (each call has a time limit). Warnings are allowed
(e.g. ``ConvergenceWarning``). Hypothesis runs derandomized, so CI sees the same examples.
Result records (dataclasses, named tuples) are containers, not checked functions.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import math
import os
import pkgutil
import signal
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import kmbook

pytestmark = pytest.mark.slow

MAX_EXAMPLES = int(os.environ.get("KMBOOK_FUZZ_EXAMPLES", "25"))  # per function
TIME_LIMIT = 60  # seconds per call: far above any call on these sizes, so a timeout is a hang

# Not fuzzed, with the reason (everything else public is).
SKIP = {
    "use_style": "takes no argument",
    "sweep_executor": "starts Dask clusters; its argument checks are tested in tests/test_sweep.py",
}

# Keyword arguments that keep the valid runs of heavy sweeps small (the fuzzer still changes them).
SMALL = {
    "section5_thresholds": dict(layouts=("line",), Ks=(2,), n=3, tol=0.5),
    "section5_sweep": dict(layouts=("line",), Ks=(2,), n=3, instances=1, tol=0.5, check_certificate=False),
    "recovery_grid": dict(xs=[4.0], ys=[1.0]),
    "recovery_threshold": dict(tol=0.5),
    "census_grid": dict(k_stars=(2,), k_offsets=(0,), ds=(1,), etas=(4.0,), n_per_cluster=5, n_starts=1),
    "population_lloyd": dict(n_points=256, n_reps=2, max_iter=20),
    "population_cost": dict(n_points=256, n_reps=2),
    "population_gradient": dict(n_points=256, n_reps=2),
    "voronoi_shares": dict(n_mc=256),
    "associate": dict(n_mc=256),
    "dual_certificate": dict(max_points=12),
    # integer points (with a copy and a collinear run), else almost every draw is rejected as non-integer
    "exact_two_means": dict(X=np.array([[0, 0], [0, 0], [1, 1], [2, 2], [3, 0], [0, 3], [-2, 5]])),
}


def _public_callables():
    found, seen = [], set()
    modules = [kmbook] + [importlib.import_module(f"kmbook.{m.name}")
                          for m in pkgutil.walk_packages(kmbook.__path__) if not m.name.split(".")[-1].startswith("_")]
    for mod in modules:
        for name in getattr(mod, "__all__", []):
            obj = getattr(mod, name)
            if not callable(obj) or id(obj) in seen:
                continue
            if inspect.isclass(obj) and (issubclass(obj, BaseException) or dataclasses.is_dataclass(obj)
                                         or (issubclass(obj, tuple) and hasattr(obj, "_fields"))):
                continue  # exceptions, warnings and result records
            seen.add(id(obj))
            found.append((f"{mod.__name__}.{name}", obj))
    return found


FUNCTIONS = _public_callables()


# --- strategies --------------------------------------------------------------------------------

SPECIALS = st.sampled_from([np.nan, np.inf, -np.inf, 0.0, -0.0, 1e300, -1e300, 5e-324])
FLOATS = st.one_of(st.floats(-10, 10, allow_nan=False), SPECIALS)
DTYPES = st.sampled_from(["float64", "float64", "float64", "float32", "int64", "bool", "complex128", "object", "U1"])
JUNK = st.sampled_from([None, "x", b"x", -1, 0, 1, 2.5, np.nan, np.inf, True, [], (), {}, object(), 1j,
                        np.array([]), np.zeros((0, 2)), [[1.0, 2.0], [3.0]]])


@st.composite
def arrays(draw, ndim=None, max_side=6):
    ndim = draw(st.integers(0, 3)) if ndim is None else ndim
    shape = tuple(draw(st.lists(st.integers(0, max_side), min_size=ndim, max_size=ndim)))
    size = int(np.prod(shape)) if shape else 1
    values = np.array(draw(st.lists(st.floats(-10, 10, allow_nan=False), min_size=size, max_size=size)),
                      dtype=float).reshape(shape)
    if size and draw(st.booleans()):
        flat = values.reshape(-1)
        flat[draw(st.integers(0, size - 1))] = draw(SPECIALS)
    dtype = draw(DTYPES)
    if dtype == "U1":
        return values.astype(str)
    with np.errstate(invalid="ignore", over="ignore"):
        arr = values.astype(dtype) if dtype != "object" else values.astype(object)
    return arr.tolist() if draw(st.integers(0, 5)) == 0 else arr


@st.composite
def points(draw, max_n=10):
    """Mostly 2-D float data (the valid shape), sometimes anything."""
    if draw(st.integers(0, 3)) == 0:
        return draw(st.one_of(arrays(), JUNK))
    n, d = draw(st.integers(0, max_n)), draw(st.integers(1, 3))
    X = np.array(draw(st.lists(st.floats(-5, 5, allow_nan=False), min_size=n * d, max_size=n * d))).reshape(n, d)
    if n and draw(st.integers(0, 4)) == 0:
        X[draw(st.integers(0, n - 1)), draw(st.integers(0, d - 1))] = draw(SPECIALS)
    return X


@st.composite
def labels(draw):
    kind = draw(st.integers(0, 5))
    if kind == 0:
        return draw(st.one_of(arrays(ndim=draw(st.integers(0, 2))), JUNK))
    n = draw(st.integers(0, 10))
    vals = draw(st.lists(st.integers(-2, 5), min_size=n, max_size=n))
    return np.array(vals, dtype=draw(st.sampled_from(["int64", "int64", "float64", "int8", "U1"])))


RNGS = st.one_of(st.integers(-5, 2**32), st.sampled_from([None, 1.5, "seed", True, object()]),
                 st.builds(np.random.default_rng, st.integers(0, 100)),
                 st.builds(np.random.SeedSequence, st.integers(0, 100)),
                 st.builds(np.random.RandomState, st.integers(0, 100)))
INTS = st.one_of(st.integers(-3, 12), st.sampled_from([2.0, 2.5, np.int64(3), True, None, "3", np.nan]))
REALS = st.one_of(FLOATS, st.integers(-3, 10), st.sampled_from([None, "1", True, 1j]))
STRINGS = st.one_of(st.sampled_from(["peng_wei", "amini_levina", "circle", "line", "hive", "ball", "gauss",
                                     "uniform", "kmeans++", "sharp", "CLARABEL", "SCS", "s1", "atom", "g2-2-10",
                                     "", "nonsense"]), JUNK)


@st.composite
def models(draw):
    if draw(st.integers(0, 3)) == 0:
        return draw(JUNK)
    k, d = draw(st.integers(1, 3)), draw(st.integers(1, 2))
    centers = np.arange(k * d, dtype=float).reshape(k, d) * 4.0
    scale = draw(st.floats(0.1, 1.5))
    return kmbook.BallMixture(centers, scale) if draw(st.booleans()) else kmbook.GaussianMixture(centers, scale)


def _tiny_task(task, rng=None):
    return float(np.sum(np.asarray(task, dtype=float))) + float(rng.random())


BY_NAME = {
    **{n: points() for n in ("X", "Z", "trajectory", "values", "xs", "ys", "x", "y", "steps", "gap", "gaps",
                             "eta_max", "errors", "curves", "trajectories", "points")},
    **{n: points(max_n=5) for n in ("centers", "init", "true_centers", "direction", "bounds")},
    **{n: labels() for n in ("labels", "kinds", "pw_exact", "al_exact")},
    **{n: INTS for n in ("k", "K", "n", "d", "n_clusters", "sample_size", "batch_size", "n_steps", "n_runs",
                         "max_iter", "n_points", "n_reps", "n_mc", "num", "instances", "record_every",
                         "max_points", "i", "color_index", "k_star", "n_per_cluster", "n_starts", "digits",
                         "t_min", "t_max", "neighbours")},
    **{n: REALS for n in ("tol", "radius", "sigma", "gtol", "etol", "t", "lo", "hi", "learning_rate", "c_prime",
                          "t0", "share", "delta", "spread", "distance", "exact_tol", "residual_tol", "eta_min",
                          "box", "phi_star", "slope", "intercept", "reference_slope", "valley", "vmax")},
    **{n: STRINGS for n in ("relaxation", "solver", "condition", "z", "layout", "kind", "name", "seeding")},
    "rng": RNGS,
    "model": models(),
    "ax": st.none(),
    "executor": st.sampled_from([None, None, object(), "threads"]),
    "progress": st.sampled_from([False, None, "yes"]),
    "checkpoint": st.sampled_from([None, 3]),
    "make_data": st.sampled_from([None, "data", 3]),
    "func": st.sampled_from([_tiny_task, None, "f"]),
    "tasks": st.one_of(st.lists(st.floats(-3, 3), max_size=3), JUNK),
}


FLAGS = st.sampled_from([True, False, 0, 1, None])  # for on/off parameters (bool defaults)


def _value_for(name, default):
    if isinstance(default, bool):
        return st.one_of(st.just(default), FLAGS)
    strategy = BY_NAME.get(name, st.one_of(JUNK, REALS, arrays()))
    if default is inspect.Parameter.empty:
        return strategy
    return st.one_of(st.just(default), st.just(default), strategy)


# --- checks ------------------------------------------------------------------------------------

class _Hang(BaseException):
    pass


def _alarm(signum, frame):
    raise _Hang()


def _nans(obj, path="result", depth=0):
    """Paths inside `obj` that hold a NaN."""
    if depth > 6 or obj is None or isinstance(obj, (str, bytes, bool)):
        return []
    mod = type(obj).__module__ or ""
    if mod.startswith(("matplotlib", "cvxpy")):
        return []
    if isinstance(obj, (float, np.floating)):
        return [path] if math.isnan(obj) else []
    if isinstance(obj, np.ndarray):
        if obj.dtype.kind in "fc" and np.isnan(obj).any():
            return [path]
        if obj.dtype == object:
            return [p for i, v in enumerate(obj.ravel()[:1000]) for p in _nans(v, f"{path}[{i}]", depth + 1)]
        return []
    if isinstance(obj, dict):
        return [p for k, v in obj.items() for p in _nans(v, f"{path}[{k!r}]", depth + 1)]
    if isinstance(obj, (list, tuple)):
        if hasattr(obj, "_fields"):
            return [p for k in obj._fields for p in _nans(getattr(obj, k), f"{path}.{k}", depth + 1)]
        return [p for i, v in enumerate(obj[:1000]) for p in _nans(v, f"{path}[{i}]", depth + 1)]
    if dataclasses.is_dataclass(obj):
        return [p for f in dataclasses.fields(obj) for p in _nans(getattr(obj, f.name), f"{path}.{f.name}", depth + 1)]
    return []


# NaN that a function documents as a value of its result (not silent).
DOCUMENTED_NAN = {
    "centers_of_mass": lambda kw: True,  # NaN rows for empty Voronoi sets
    "summarize": lambda kw: True,  # truth is NaN without tasks that have k = k*
    "dual_certificate": lambda kw: not kw.get("build", True),  # build=False: the checks are NaN
}


def _accepted(func_name, exc):
    if isinstance(exc, (ValueError, TypeError)):
        return True
    if isinstance(exc, NotImplementedError):  # a documented limit (e.g. exact in one dimension only)
        return True
    return type(exc).__name__ == "SDPSolveError"  # the documented way a solver says it failed


@pytest.mark.parametrize("name,func", FUNCTIONS, ids=[n for n, _ in FUNCTIONS])
def test_fuzz_public_function(name, func):
    short = name.rsplit(".", 1)[-1]
    if short in SKIP:
        pytest.skip(SKIP[short])
    params = [p for p in inspect.signature(func).parameters.values()
              if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    names = [p.name for p in params]
    small = SMALL.get(short, {})

    @settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck), report_multiple_bugs=False,
              phases=(Phase.explicit, Phase.generate))  # no shrinking: the first failure is reported as drawn
    @given(st.data())
    def run(data):
        kwargs = {}
        for p in params:
            default = small.get(p.name, p.default)
            value = data.draw(_value_for(p.name, default), label=p.name)
            if value is not inspect.Parameter.empty:
                kwargs[p.name] = value
        _call_and_check(name, func, kwargs, names)

    run()


def _call_and_check(name, func, kwargs, names):
    import matplotlib.pyplot as plt

    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, TIME_LIMIT)
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            result = func(**kwargs)
    except _Hang:
        pytest.fail(f"{name}({_show(kwargs)}) did not return within {TIME_LIMIT} s")
    except Exception as exc:
        if not _accepted(name, exc):
            raise AssertionError(f"{name}({_show(kwargs)}) raised {type(exc).__name__}: {exc}") from exc
        message = str(exc)
        assert any(n in message for n in names), (
            f"{name}({_show(kwargs)}) raised {type(exc).__name__} without naming an argument "
            f"({', '.join(names)}): {message}")
        return
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
        plt.close("all")
    documented = DOCUMENTED_NAN.get(name.rsplit(".", 1)[-1], lambda kw: False)(kwargs)
    bad = [] if documented else _nans(result)
    assert not bad, f"{name}({_show(kwargs)}) returned NaN at {bad[:5]} without an error"


def _show(kwargs):
    parts = []
    for k, v in kwargs.items():
        if isinstance(v, np.ndarray):
            finite = v.dtype.kind not in "fc" or np.isfinite(v).all()
            text = f"array(shape={v.shape}, dtype={v.dtype}{'' if finite else ', non-finite'})"
        else:
            text = repr(v)
            text = text if len(text) < 80 else text[:77] + "..."
        parts.append(f"{k}={text}")
    return ", ".join(parts)
