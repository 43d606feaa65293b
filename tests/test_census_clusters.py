"""Tests of kmbook.census_clusters: task-level intervals and paired tests."""

import numpy as np
import pytest
from scipy.stats import binomtest

from kmbook.census_clusters import (
    cluster_bootstrap,
    cluster_bootstrap_slope,
    mcnemar,
    sign_test,
    task_counts,
)


def _rec(hits, n=20):
    return dict(satisfies=[True] * hits + [False] * (n - hits), cost=[1.0] * n, truth_cost=1.0,
                counts=[{"one-fit-many": int(i < hits)} for i in range(n)])


def test_task_counts_and_properties():
    recs = [_rec(3), _rec(20)]
    assert task_counts(recs).tolist() == [[3, 20], [20, 20]]
    assert task_counts(recs, "has_one-fit-many").tolist() == [[3, 20], [20, 20]]
    assert task_counts(recs, "truth").tolist() == [[20, 20], [20, 20]]
    with pytest.raises(ValueError, match="prop"):
        task_counts(recs, "nonsense")


def test_cluster_bootstrap_is_wider_than_runs_for_all_or_nothing_tasks():
    recs = [_rec(20)] * 3 + [_rec(0)] * 3
    est = cluster_bootstrap(recs, rng=1)
    assert est.value == 0.5
    # all-or-nothing tasks: the share of 6 resampled tasks ranges widely; runs alone would give +-0.09
    assert est.lo <= 0.2 and est.hi >= 0.8
    same = cluster_bootstrap([_rec(10)] * 6, rng=1)
    assert same.lo == same.hi == 0.5


def test_cluster_bootstrap_slope_recovers_a_known_slope():
    rng = np.random.default_rng(0)
    groups = []
    for x in np.linspace(0, 3, 7):
        for _ in range(3):
            shift = rng.normal(0, 0.05)  # a shared offset per group
            groups.append((np.full(5, x), -x + shift + rng.normal(0, 0.01, 5)))
    est = cluster_bootstrap_slope(groups, rng=2)
    assert est.contains(-1.0) and est.hi - est.lo < 0.1


def test_sign_test_matches_binomial_and_drops_ties():
    t = sign_test([3, 5, 2, 2, 9], [1, 1, 2, 4, 0])
    assert (t.favour_a, t.favour_b, t.ties) == (3, 1, 1)
    assert t.p_value == pytest.approx(binomtest(3, 4, 0.5).pvalue)
    assert sign_test([1, 2], [1, 2]).p_value == 1.0
    with pytest.raises(ValueError):
        sign_test([1, 2], [1])


def test_mcnemar_counts_discordant_runs():
    a = [True, True, False, False, True]
    b = [True, False, True, False, False]
    m = mcnemar(a, b)
    assert (m.favour_a, m.favour_b, m.ties) == (2, 1, 2)
