"""Tests of kmbook.clusterability: (B1)-(B3) of Paper 2."""

import numpy as np
import pytest

from kmbook.clusterability import clusterability
from kmbook.models import BallMixture


def test_clusterability_hand_computed():
    # two clusters on a line: means 1 and 11, bisector at 6, nearest points at distance 4
    X = np.array([[0.0], [2.0], [10.0], [12.0], [13.0]])
    cl = clusterability(X, [0, 0, 1, 1, 1])
    mu1 = 35 / 3
    assert cl.delta[0, 1] == pytest.approx(mu1 - 1)
    cost = 2 + ((np.array([10, 12, 13]) - mu1) ** 2).sum()
    assert cl.cost == pytest.approx(cost)
    assert cl.separation == pytest.approx((mu1 - 1) / (np.sqrt(cost) * (1 / np.sqrt(2) + 1 / np.sqrt(3))))
    bis = (1 + mu1) / 2
    assert cl.margin_min == pytest.approx(2 * min(bis - 2, 10 - bis))
    assert cl.margin_ratio == pytest.approx(cl.margin_min / (mu1 - 1))
    assert cl.p_min == pytest.approx(0.4) and cl.voronoi_consistent
    # a point on the wrong side of the bisector gives a negative margin
    bad = clusterability(X, [0, 0, 0, 1, 1])
    assert bad.margin_min < 0 and not bad.voronoi_consistent


def test_clusterability_margin_matches_brute_force():
    X, labels = BallMixture([[0, 0], [5, 0], [0, 4]], 1.0).sample(300, rng=1)
    cl = clusterability(X, labels)
    mus = [X[labels == r].mean(0) for r in range(3)]
    for r in range(3):
        for s in range(3):
            if r == s:
                continue
            vals = []
            for x, lab in zip(X, labels):
                if lab not in (r, s):
                    continue
                own, other = mus[lab], mus[s if lab == r else r]
                line = other - own
                xbar = own + (x - own) @ line / (line @ line) * line     # projection on the line
                vals.append(np.linalg.norm(xbar - other) - np.linalg.norm(xbar - own))
            assert cl.margin[r, s] == pytest.approx(min(vals), abs=1e-10)


def test_clusterability_margin_floored_at_minus_delta():
    # a point of cluster 0 lying beyond the mean of cluster 1: on the line its margin
    # ||x-bar - mu_1|| - ||x-bar - mu_0|| is exactly -Delta, not twice its signed distance
    X = np.array([[0.0], [1.0], [2.0], [30.0], [10.0], [11.0], [12.0]])
    labels = [0, 0, 0, 0, 1, 1, 1]
    cl = clusterability(X, labels)
    mu0, mu1 = X[:4, 0].mean(), 11.0
    assert cl.delta[0, 1] == pytest.approx(mu1 - mu0)
    assert cl.margin_min == pytest.approx(-(mu1 - mu0))
    brute = min(abs(x - mu1) - abs(x - mu0) for x in X[:4, 0])
    brute = min(brute, min(abs(x - mu0) - abs(x - mu1) for x in X[4:, 0]))
    assert cl.margin_min == pytest.approx(brute)


def test_clusterability_invalid():
    with pytest.raises(ValueError, match="two clusters"):
        clusterability(np.zeros((3, 1)), [0, 0, 0])
    with pytest.raises(ValueError, match="empty"):
        clusterability(np.arange(3.0).reshape(-1, 1), [0, 2, 2])
