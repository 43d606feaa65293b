"""Tests of kmbook.proximity: conditions (1.1) and (3.4), Proposition 1.2, Corollary 3.2,
the exact threshold scale and the explicit dual certificates.

Oracles: naive loops over pairs and points written here, brute-force enumeration of
every partition (tests/partition_oracle.py), bisection on the separation, and full
eigendecompositions of the certificate matrices.
"""

import numpy as np
import pytest
from partition_oracle import kmeans_costs, partitions

from kmbook import proximity as px
from kmbook.geometries import section5_data


def _instance(rng, sizes, d, spread=3.0):
    C = rng.normal(size=(len(sizes), d)) * spread
    X = np.vstack([C[a] + rng.normal(size=(s, d)) * np.exp(rng.normal()) for a, s in enumerate(sizes)])
    return X, np.repeat(np.arange(len(sizes)), sizes)


def _naive(X, lab, condition):
    """(1.1) / (3.4) with explicit loops and SVD norms."""
    ids = np.unique(lab)
    K = ids.size
    c = [X[lab == a].mean(0) for a in ids]
    n = [int((lab == a).sum()) for a in ids]
    norms = [np.linalg.svd((X[lab == a] - c[i]).T, compute_uv=False)[0] ** 2 for i, a in enumerate(ids)]
    lhs = np.full((K, K), np.nan)
    rhs = np.full((K, K), np.nan)
    for i in range(K):
        for j in range(K):
            if i == j:
                continue
            w = (c[i] - c[j]) / np.linalg.norm(c[i] - c[j])
            lhs[i, j] = min(float(np.dot(x - (c[i] + c[j]) / 2, w)) for x in X[lab == ids[i]])
            if condition == "peng_wei":
                rhs[i, j] = 0.5 * np.sqrt((1 / n[i] + 1 / n[j]) * sum(norms))
            else:
                rhs[i, j] = 0.5 * np.sqrt(K / n[i] * (norms[i] + norms[j]))
    return lhs, rhs


def test_hand_computed_one_dimensional_case():
    # clusters {-1, 1} and {9, 11}: c = 0, 10; ||X_bar||^2 = 2 each; w_01 = -1
    X = np.array([[-1.0], [1.0], [9.0], [11.0]])
    res = px.pw_proximity(X, [0, 0, 1, 1])
    # projections on the bisector x = 5 with direction towards own side: 4 and 6 for both clusters
    assert res.lhs[0, 1] == pytest.approx(4.0) and res.lhs[1, 0] == pytest.approx(4.0)
    assert res.rhs[0, 1] == pytest.approx(0.5 * np.sqrt((1 / 2 + 1 / 2) * 4))  # = 1
    assert res.beta[0, 1] == pytest.approx(1.0) and res.distances[0, 1] == pytest.approx(10.0)
    assert res.holds and res.holds_equivalent and res.min_slack == pytest.approx(3.0)
    assert np.allclose(res.spectral_norms_sq, [2.0, 2.0])
    assert np.allclose(res.point_slack, [5.0, 3.0, 3.0, 5.0])


@pytest.mark.parametrize("condition", ["peng_wei", "amini_levina"])
def test_matches_naive_loops(condition):
    rng = np.random.default_rng(0)
    func = px.pw_proximity if condition == "peng_wei" else px.al_proximity
    for _ in range(30):
        K, d = int(rng.integers(2, 6)), int(rng.integers(1, 5))
        sizes = [int(rng.integers(1, 7))] * K if condition == "amini_levina" else list(rng.integers(1, 7, size=K))
        X, lab = _instance(rng, sizes, d)
        lab = np.array([3, 7, 8, 20, 21])[lab]  # arbitrary label values
        res = func(X, lab)
        lhs, rhs = _naive(X, lab, condition)
        assert np.allclose(res.lhs, lhs, equal_nan=True, atol=1e-9)
        assert np.allclose(res.rhs, rhs, equal_nan=True, atol=1e-12)
        assert res.holds == bool(np.all((lhs - rhs)[~np.isnan(lhs)] > 0))
        assert res.cluster_ids.tolist() == sorted(set(lab.tolist()))


def test_proposition_1_2_equivalence_on_many_instances():
    rng = np.random.default_rng(1)
    seen = {True: 0, False: 0}
    for _ in range(400):
        K = int(rng.integers(2, 5))
        X, lab = _instance(rng, list(rng.integers(1, 6, size=K)), int(rng.integers(1, 4)), spread=rng.uniform(1, 12))
        res = px.pw_proximity(X, lab)
        assert res.holds == res.holds_equivalent
        # the left-hand side over both clusters of a pair is d_ab / 2 - beta_ab
        sym = np.fmin(res.lhs, res.lhs.T)
        assert np.allclose(sym, res.distances / 2 - res.beta, equal_nan=True, atol=1e-9)
        seen[res.holds] += 1
    assert min(seen.values()) > 50  # both outcomes are exercised


def test_equal_spreads_make_the_two_conditions_coincide():
    # all ||X_bar_k||^2 = s and n_a = n: (1/n + 1/n) K s = (K / n) (s + s)
    X, lab = section5_data("hive", 5, 4.0, n=6)
    pw, al = px.pw_proximity(X, lab), px.al_proximity(X, lab)
    assert np.allclose(pw.rhs, al.rhs, equal_nan=True) and pw.holds == al.holds


def test_figure_2_situation_global_fails_local_holds():
    # two unit-circle clusters 4 apart, a third far away with a huge spread
    from kmbook.geometries import sphere_points

    X, _ = section5_data("line", 2, 4.0, n=6)
    X3 = np.vstack([X, np.array([200.0, 0.0]) + 25.0 * sphere_points(6)])
    lab3 = np.repeat([0, 1, 2], 6)
    assert not px.pw_proximity(X3, lab3).holds
    assert px.al_proximity(X3, lab3).holds


def test_certify_is_condition_1_1_with_margins_and_cost():
    rng = np.random.default_rng(2)
    X, lab = _instance(rng, [5, 6, 7], 2, spread=8.0)
    cert = px.certify(X, lab)
    res = px.pw_proximity(X, lab)
    assert cert.holds == res.holds and cert.n_clusters == 3
    assert np.allclose(cert.margins, np.fmin(res.slack, res.slack.T), equal_nan=True)
    assert np.allclose(cert.margins, cert.margins.T, equal_nan=True)
    direct = sum(float(((X[lab == a] - X[lab == a].mean(0)) ** 2).sum()) for a in range(3))
    assert cert.cost == pytest.approx(direct)


@pytest.mark.parametrize("n_points,k,seed", [(12, 3, 0), (12, 2, 1), (10, 3, 2), (9, 3, 3), (12, 3, 4), (8, 4, 5)])
def test_certify_never_certifies_a_non_unique_optimum(n_points, k, seed):
    """Enumerate every partition; every certified one must be the unique minimiser."""
    rng = np.random.default_rng(seed)
    L = partitions(n_points, k)
    certified = 0
    for trial in range(12):
        sizes = np.full(k, n_points // k)
        sizes[: n_points - sizes.sum()] += 1
        X, truth = _instance(rng, list(sizes), int(rng.integers(1, 3)), spread=rng.uniform(1.0, 6.0))
        costs = kmeans_costs(X, L, k)
        order = np.argsort(costs)
        best, second = costs[order[0]], costs[order[1]]
        # candidates: the planted labels, the optimum, the runner-up and random partitions
        candidates = [truth, L[order[0]], L[order[1]]] + [L[i] for i in rng.choice(L.shape[0], 20)]
        for cand in candidates:
            if px.certify(X, cand).holds:
                certified += 1
                own = kmeans_costs(X, np.asarray(cand)[None, :], k)[0]
                assert own == pytest.approx(best, rel=1e-12, abs=1e-12)
                assert second > best * (1 + 1e-12)
    assert certified > 0  # the oracle was actually exercised


@pytest.mark.slow
def test_certify_is_linear_time_on_a_large_input():
    # 600 000 points: any N x N object would need terabytes
    rng = np.random.default_rng(3)
    X, lab = section5_data("circle", 3, 6.0, n=4)
    big = np.repeat(X, 50_000, axis=0) + 1e-3 * rng.normal(size=(600_000, 2))
    cert = px.certify(big, np.repeat(lab, 50_000))
    assert cert.holds and cert.n_clusters == 3


def test_threshold_scale_is_exact_and_matches_bisection():
    rng = np.random.default_rng(4)
    for condition in ("peng_wei", "amini_levina"):
        func = px.pw_proximity if condition == "peng_wei" else px.al_proximity
        for _ in range(15):
            K = int(rng.integers(2, 5))
            X, lab = _instance(rng, [4] * K, int(rng.integers(1, 4)))
            t = px.threshold_scale(X, lab, condition)
            assert func(px.scale_separation(X, lab, t * (1 + 1e-9)), lab).holds
            assert not func(px.scale_separation(X, lab, t * (1 - 1e-9)), lab).holds
            lo, hi = 1e-3, 1e3  # independent: bisection on the scale
            for _ in range(60):
                mid = np.sqrt(lo * hi)
                lo, hi = (lo, mid) if func(px.scale_separation(X, lab, mid), lab).holds else (mid, hi)
            assert hi == pytest.approx(t, rel=1e-9)


def test_threshold_scale_rhs_factor_matches_a_direct_slack():
    # independent of the closed form: at t*(f) the smallest of lhs - f * rhs is zero, with
    # lhs and rhs read from the proximity result of the scaled instance
    rng = np.random.default_rng(14)
    for condition in ("peng_wei", "amini_levina"):
        func = px.pw_proximity if condition == "peng_wei" else px.al_proximity
        for f in (0.5, 2.0):
            K = int(rng.integers(2, 5))
            X, lab = _instance(rng, [4] * K, 2)
            t = px.threshold_scale(X, lab, condition, rhs_factor=f)
            res = func(px.scale_separation(X, lab, t), lab)
            off = ~np.eye(K, dtype=bool)
            margin = (res.lhs - f * res.rhs)[off].min()
            assert abs(margin) <= 1e-9 * res.distances[off].max()
            assert (t < px.threshold_scale(X, lab, condition)) == (f < 1)
    with pytest.raises(ValueError, match="rhs_factor"):
        px.threshold_scale(X, lab, rhs_factor=0.0)


@pytest.mark.parametrize("layout", ["circle", "line", "hive"])
@pytest.mark.parametrize("K", [2, 3, 5, 7])
def test_section5_threshold_closed_form(layout, K):
    """On n equally spaced unit-circle points ||X_bar_k||^2 = n/2, so the right-hand
    side of (1.1) is sqrt(K)/2 and (1.1) holds iff t d_ab / 2 - s_ab > sqrt(K)/2 for
    every pair, s_ab = max_j cos(theta_j - angle(c_b - c_a))."""
    from kmbook.geometries import centers

    n = 6
    X, lab = section5_data(layout, K, 1.0, n=n)
    C = centers(layout, K, 1.0)
    theta = 2 * np.pi * np.arange(n) / n
    t_star = 0.0
    for a in range(K):
        for b in range(K):
            if a != b:
                v = C[b] - C[a]
                s = np.max(np.cos(theta - np.arctan2(v[1], v[0])))
                t_star = max(t_star, (2 * s + np.sqrt(K)) / np.linalg.norm(v))
    assert px.threshold_scale(X, lab) == pytest.approx(t_star, rel=1e-12)


def test_scale_separation_keeps_shapes():
    rng = np.random.default_rng(5)
    X, lab = _instance(rng, [3, 4, 5], 3)
    Y = px.scale_separation(X, lab, 2.5)
    for a in range(3):
        assert np.allclose(Y[lab == a].mean(0), 2.5 * X[lab == a].mean(0))
        assert np.allclose(Y[lab == a] - Y[lab == a].mean(0), X[lab == a] - X[lab == a].mean(0))


def test_invalid_inputs():
    X = np.arange(12.0).reshape(6, 2)
    with pytest.raises(ValueError, match="at least two clusters"):
        px.pw_proximity(X, np.zeros(6, int))
    with pytest.raises(ValueError, match="balanced"):
        px.al_proximity(X, [0, 0, 0, 0, 1, 1])
    with pytest.raises(ValueError, match="one entry per data point"):
        px.certify(X, [0, 1])
    with pytest.raises(ValueError, match="condition must be"):
        px.threshold_scale(X, [0, 0, 0, 1, 1, 1], "lp")
    with pytest.raises(ValueError, match="only available"):
        px.dual_certificate(X, [0, 0, 0, 1, 1, 1], "amini_levina", z="sharp")
    with pytest.raises(ValueError, match="max_points"):
        px.dual_certificate(X, [0, 0, 0, 1, 1, 1], max_points=5)
    with pytest.raises(ValueError, match="> 0"):
        px.scale_separation(X, [0, 0, 0, 1, 1, 1], 0.0)
    with pytest.raises(TypeError):
        px.pw_proximity("abc", [0, 1])
