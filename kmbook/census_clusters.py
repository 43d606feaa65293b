"""Census statistics that respect the clustering of Lloyd runs by task.

A census task draws one layout and runs Lloyd from many seeds on it; runs on one
layout tend to end alike, so treating them as independent (a Wilson interval
over runs) understates the uncertainty. These helpers resample whole tasks
(cluster bootstrap), compare two sets of tasks paired by a key (sign test), and
compare two classifier settings run on the same runs (exact McNemar test).

Paper: Paper 1 (Qian, Zhang and Chen), Theorems 1-2 (the structure census).
Chapter: book/landscape/census.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from scipy.stats import binomtest

from ._validation import as_generator, as_list, as_real_array, check_fraction, check_int
from .census_counts import reaches_truth
from .claims import Estimate
from .structure import KINDS

__all__ = ["task_counts", "cluster_bootstrap", "cluster_bootstrap_slope", "SignTest", "sign_test",
           "mcnemar"]


def _hits(record, prop):
    need = {"structure": ("satisfies",), "truth": ("cost", "truth_cost")}.get(prop, ("counts",))
    missing = [key for key in need if key not in record]
    if missing:
        raise ValueError(f"records must be census records of kmbook.census.census_task; one lacks {missing}.")
    if prop == "structure":
        return [bool(s) for s in record["satisfies"]]
    if prop == "truth":
        return [reaches_truth(c, record) for c in record["cost"]]
    if prop.startswith("has_"):
        return [c[prop[4:]] > 0 for c in record["counts"]]
    raise ValueError(f"prop must be 'structure', 'truth' or 'has_<kind>'; got {prop!r}.")


def task_counts(records, prop="structure"):
    """``(hits, runs)`` of one property for every task (record).

    Paper: Paper 1, Theorems 1-2. Chapter: book/landscape/census.

    Parameters
    ----------
    records : list of dict
        Census records (:func:`kmbook.census.census_task`).
    prop : str
        ``"structure"`` (limit has the structure), ``"truth"`` (reaches the
        truth-started cost; tasks with ``k = k*`` only) or ``"has_<kind>"``.

    Returns
    -------
    ndarray of shape (n_tasks, 2)
    """
    records = as_list(records, "records", "a list of census records (dicts)")
    if not records:
        raise ValueError("records must be a non-empty list of census records.")
    if not all(isinstance(r, Mapping) for r in records):
        raise TypeError("records must hold census records (dicts).")
    kinds = ("structure", "truth") + tuple("has_" + k for k in KINDS)
    if not isinstance(prop, str) or prop not in kinds:
        raise ValueError(f"prop must be one of {kinds}; got {prop!r}.")
    out = []
    for r in records:
        try:
            hits = _hits(r, prop)
        except (TypeError, KeyError, AttributeError) as exc:
            raise ValueError(f"records must be census records of kmbook.census.census_task: {exc!r}") from exc
        if not hits:
            raise ValueError("records must hold at least one run per task.")
        out.append((sum(hits), len(hits)))
    return np.array(out, dtype=int)


def cluster_bootstrap(records, prop="structure", *, rng, n_boot=2000, confidence=0.95):
    """The pooled share of a property with a percentile interval from resampling tasks.

    Whole tasks are drawn with replacement and the pooled share recomputed.
    With few tasks (six or so) the percentile interval is itself somewhat too
    narrow; it is still far closer to the truth than an interval over runs.

    Paper: Paper 1, Theorems 1-2. Chapter: book/landscape/census.

    Parameters
    ----------
    records : list of dict
        Census records, one per task.
    prop : str
        As in :func:`task_counts`.
    rng : int or numpy.random.Generator
        Seed or generator.
    n_boot : int
        Number of resamples, at least 100.
    confidence : float
        Interval level.

    Returns
    -------
    Estimate
        The pooled share and its interval.

    Examples
    --------
    >>> recs = [dict(satisfies=[True] * 10), dict(satisfies=[False] * 10)]
    >>> est = cluster_bootstrap(recs, rng=0)
    >>> est.value, est.lo, est.hi
    (0.5, 0.0, 1.0)
    """
    c = task_counts(records, prop)
    n_boot = check_int(n_boot, "n_boot", minimum=100, maximum=10**6)
    confidence = check_fraction(confidence, "confidence")
    gen = as_generator(rng)
    idx = gen.integers(0, len(c), (int(n_boot), len(c)))
    shares = c[idx, 0].sum(1) / c[idx, 1].sum(1)
    alpha = 1 - confidence
    lo, hi = np.quantile(shares, [alpha / 2, 1 - alpha / 2])
    return Estimate(float(c[:, 0].sum() / c[:, 1].sum()), float(lo), float(hi), confidence)


def cluster_bootstrap_slope(groups, *, rng, n_boot=2000, confidence=0.95):
    """Least-squares slope of ``y`` on ``x`` with an interval from resampling groups.

    Paper: Paper 1, Theorems 1-2 (error scaling). Chapter: book/landscape/census.

    Parameters
    ----------
    groups : list of (x, y) array pairs
        The points of each cluster (e.g. all limits of one task), already on
        the scale of the fit (``log`` for a log-log slope).
    rng : int or numpy.random.Generator
    n_boot : int
    confidence : float

    Returns
    -------
    Estimate
    """
    n_boot = check_int(n_boot, "n_boot", minimum=100, maximum=10**6)
    confidence = check_fraction(confidence, "confidence")
    pairs = []
    for g in as_list(groups, "groups", "a list of (x, y) array pairs"):
        try:
            x, y = g
        except (TypeError, ValueError) as exc:
            raise TypeError(f"groups must hold (x, y) pairs of arrays; got {g!r}.") from exc
        x, y = as_real_array(x, "groups x").ravel(), as_real_array(y, "groups y").ravel()
        if x.shape != y.shape or not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
            raise ValueError("groups must hold (x, y) pairs of finite arrays of equal length.")
        if x.size:
            pairs.append((x, y))
    groups = pairs
    if len(groups) < 3 or np.ptp(np.concatenate([x for x, _ in groups])) == 0:
        raise ValueError("groups must hold at least three non-empty groups of points with varying x.")

    def fit(sel):
        x = np.concatenate([groups[i][0] for i in sel])
        y = np.concatenate([groups[i][1] for i in sel])
        xc = x - x.mean()
        den = xc @ xc
        return np.nan if den == 0 else float(xc @ (y - y.mean()) / den)

    gen = as_generator(rng)
    boots = np.array([fit(gen.integers(0, len(groups), len(groups))) for _ in range(int(n_boot))])
    boots = boots[np.isfinite(boots)]
    alpha = 1 - confidence
    lo, hi = np.quantile(boots, [alpha / 2, 1 - alpha / 2])
    return Estimate(fit(range(len(groups))), float(lo), float(hi), confidence)


@dataclass(frozen=True)
class SignTest:
    """Paired comparison: how many pairs favour ``a``, favour ``b``, tie; exact two-sided p."""

    favour_a: int
    favour_b: int
    ties: int
    p_value: float

    def __str__(self):
        return (f"{self.favour_a} favour the first, {self.favour_b} the second, {self.ties} tie "
                f"(sign test p = {self.p_value:.3f})")


def sign_test(a, b):
    """Exact two-sided sign test of paired values ``a[i]`` against ``b[i]`` (ties dropped).

    Paper: Paper 1, Theorems 1-2. Chapter: book/landscape/census.

    Examples
    --------
    >>> str(sign_test([1, 1, 1, 1, 1, 1], [0, 0, 0, 0, 0, 0]))
    '6 favour the first, 0 the second, 0 tie (sign test p = 0.031)'
    """
    a, b = as_real_array(a, "a").ravel(), as_real_array(b, "b").ravel()
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        raise ValueError("a and b must be finite paired values.")
    if a.shape != b.shape or a.size == 0:
        raise ValueError(f"a and b must be paired values of equal, non-zero length; got {a.size} and {b.size}.")
    pa, pb = int((a > b).sum()), int((a < b).sum())
    p = 1.0 if pa + pb == 0 else float(binomtest(pa, pa + pb, 0.5).pvalue)
    return SignTest(pa, pb, int(a.size - pa - pb), p)


def mcnemar(a, b):
    """Discordant runs of two verdicts on the same runs, with the exact McNemar p-value.

    Paper: Paper 1, Theorems 1-2 (classifier thresholds). Chapter: book/landscape/census.

    Returns
    -------
    SignTest
        ``favour_a`` = runs true under ``a`` only, ``favour_b`` = under ``b``
        only, ``ties`` = concordant runs.

    Examples
    --------
    >>> mcnemar([True, True, False], [True, False, False]).favour_a
    1
    """
    a = as_real_array(a, "a").ravel()
    b = as_real_array(b, "b").ravel()
    if not (np.all(np.isin(a, (0, 1))) and np.all(np.isin(b, (0, 1)))):
        raise ValueError("a and b must be verdicts (booleans, or 0/1) on the same runs.")
    if a.shape != b.shape or a.size == 0:
        raise ValueError("a and b must be verdicts on the same runs (equal, non-zero length).")
    return sign_test(a, b)
