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

from .census_counts import reaches_truth
from .claims import Estimate

__all__ = ["task_counts", "cluster_bootstrap", "cluster_bootstrap_slope", "SignTest", "sign_test",
           "mcnemar"]


def _hits(record, prop):
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
    if not isinstance(records, (list, tuple)) or not records:
        raise ValueError("records must be a non-empty list of census records.")
    if not all(isinstance(r, Mapping) for r in records):
        raise TypeError("records must hold census records (dicts).")
    out = []
    for r in records:
        hits = _hits(r, prop)
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
    if int(n_boot) < 100:
        raise ValueError(f"n_boot must be at least 100, got {n_boot}.")
    gen = np.random.default_rng(rng)
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
    groups = [(np.asarray(x, float).ravel(), np.asarray(y, float).ravel()) for x, y in groups]
    groups = [(x, y) for x, y in groups if x.size]
    if len(groups) < 3:
        raise ValueError("groups must hold at least three non-empty groups of points.")

    def fit(sel):
        x = np.concatenate([groups[i][0] for i in sel])
        y = np.concatenate([groups[i][1] for i in sel])
        xc = x - x.mean()
        den = xc @ xc
        return np.nan if den == 0 else float(xc @ (y - y.mean()) / den)

    gen = np.random.default_rng(rng)
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
    a, b = np.asarray(a, float).ravel(), np.asarray(b, float).ravel()
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
    a = np.asarray(a, dtype=bool).ravel()
    b = np.asarray(b, dtype=bool).ravel()
    if a.shape != b.shape or a.size == 0:
        raise ValueError("a and b must be verdicts on the same runs (equal, non-zero length).")
    return sign_test(a.astype(int), b.astype(int))
