"""Tests of kmbook.necessary: the reconstructed necessary conditions (Theorems 3.3, 3.6).

Oracles: loops over points and an SVD written here (Peng–Wei), a brute-force minimum
over many random unit vectors (Amini–Levina), bisection on the separation (thresholds),
Theorem 3.1 (the sufficient condition implies the necessary one), and the SDP itself:
never violated on an instance the relaxation solves exactly (soundness), violated on a
good share of the others (power), and necessary threshold <= exactness threshold.
"""

import warnings
from functools import partial

import numpy as np
import pytest

from kmbook import necessary as nc
from kmbook.exceptions import ConvergenceWarning
from kmbook.necessary_trials import necessary_trials, random_instance
from kmbook.proximity import pw_proximity, scale_separation, threshold_scale


def _naive_pw(X, lab):
    K = lab.max() + 1
    c = [X[lab == a].mean(0) for a in range(K)]
    n = [int((lab == a).sum()) for a in range(K)]
    top = max(np.linalg.svd(X[lab == a] - c[a], compute_uv=False)[0] ** 2 for a in range(K))
    slack = np.full((K, K), np.nan)
    for a in range(K):
        for b in range(K):
            if a != b:
                dab = np.linalg.norm(c[a] - c[b])
                w = (c[a] - c[b]) / dab
                p = min(np.dot(x - (c[a] + c[b]) / 2, w) for x in X[lab == a])
                slack[a, b] = p - (1 / n[a] + 1 / n[b]) * top / (2 * dab)
    return slack


def test_pw_necessary_matches_naive_loops():
    rng = np.random.default_rng(0)
    for _ in range(50):
        X, lab = random_instance(rng, balanced=False)
        np.testing.assert_allclose(nc.pw_necessary(X, lab).slack, _naive_pw(X, lab), rtol=1e-10, atol=1e-12)


def test_al_slack_is_the_minimum_over_unit_vectors():
    """The eigenvalue minimum is below every random unit vector's value and attained."""
    rng = np.random.default_rng(1)
    for _ in range(20):
        X, lab = random_instance(rng)
        res = nc.al_necessary(X, lab)
        K, n = lab.max() + 1, int(np.sum(lab == 0))
        c = [X[lab == a].mean(0) for a in range(K)]
        for a in range(K):
            for b in range(a + 1, K):
                dab = np.linalg.norm(c[a] - c[b])

                def values(k, m, U):
                    w = (c[k] - c[m]) / np.linalg.norm(c[k] - c[m])
                    p = (X[lab == k] - (c[k] + c[m]) / 2) @ w
                    Xb = X[lab == k] - c[k]
                    return (U**2) @ p - np.sum((U @ Xb) ** 2, axis=1) / (n * dab)

                U = rng.normal(size=(4000, n))
                U -= U.mean(axis=1, keepdims=True)
                U /= np.linalg.norm(U, axis=1, keepdims=True)
                brute = values(a, b, U).min() + values(b, a, U).min()
                assert res.slack[a, b] <= brute + 1e-12
                assert res.slack[a, b] == pytest.approx(res.lhs[a, b] - res.rhs[a, b], abs=1e-12)
                # n <= 5: random search gets within a few per cent of the minimum
                assert brute - res.slack[a, b] <= 0.1 * (abs(res.slack[a, b]) + dab)


def test_sufficient_condition_implies_necessary():
    """Theorem 3.1 (exactness) + Theorem 3.3 => (1.1) implies the necessary condition."""
    rng = np.random.default_rng(2)
    checked = 0
    for _ in range(300):
        X, lab = random_instance(rng, balanced=False)
        Y = scale_separation(X, lab, threshold_scale(X, lab) * (1 + rng.uniform(1e-6, 0.5)))
        assert pw_proximity(Y, lab).holds
        assert nc.pw_necessary(Y, lab).holds
        if np.all(np.bincount(lab) == np.bincount(lab)[0]):  # PW exact => AL exact (balanced)
            assert nc.al_necessary(Y, lab).holds
        checked += 1
    assert checked == 300
    for _ in range(200):
        X, lab = random_instance(rng)
        Y = scale_separation(X, lab, threshold_scale(X, lab, "amini_levina") * (1 + rng.uniform(1e-6, 0.5)))
        assert nc.al_necessary(Y, lab).holds


@pytest.mark.parametrize("relaxation", ["peng_wei", "amini_levina"])
def test_threshold_scale_is_where_the_condition_switches(relaxation):
    rng = np.random.default_rng(3)
    f = nc.pw_necessary if relaxation == "peng_wei" else nc.al_necessary
    for _ in range(30):
        X, lab = random_instance(rng)
        t = nc.necessary_threshold_scale(X, lab, relaxation)
        assert f(scale_separation(X, lab, t * (1 + 1e-6)), lab).holds
        assert not f(scale_separation(X, lab, t * (1 - 1e-3)), lab).holds


def test_pw_threshold_closed_form_against_bisection():
    rng = np.random.default_rng(4)
    for _ in range(20):
        X, lab = random_instance(rng, balanced=False)
        lo, hi = 1e-6, 1e3
        while hi - lo > 1e-12 * hi:
            mid = (lo + hi) / 2
            s = nc.pw_necessary(scale_separation(X, lab, mid), lab).min_slack
            lo, hi = (lo, mid) if s >= 0 else (mid, hi)
        assert nc.necessary_threshold_scale(X, lab) == pytest.approx(hi, rel=1e-9)


def test_margin_at_the_boundary():
    """At exactly the threshold the condition holds (>=, with a margin of a few ulps);
    1e-6 below, where the inequality fails in exact arithmetic by far more, it is violated."""
    rng = np.random.default_rng(5)
    for _ in range(100):
        X, lab = random_instance(rng, balanced=False)
        t = nc.necessary_threshold_scale(X, lab)
        r = nc.pw_necessary(scale_separation(X, lab, t), lab)
        assert r.holds and abs(r.min_slack) <= 1e-9 * (1 + np.nanmax(np.abs(r.lhs)))
        assert np.all(r.tolerance[~np.isnan(r.tolerance)] < 1e-9 * (1 + np.nanmax(np.abs(r.lhs))))
        assert not nc.pw_necessary(scale_separation(X, lab, t * (1 - 1e-6)), lab).holds


def test_hand_example_and_paper_ball_limit():
    # two clusters {0, 2} and {3, 5}: d = 3, min p = 0.5, max ||X_bar||^2 = 2, rhs = 1/3
    r = nc.pw_necessary(np.array([[0.0], [2.0], [3.0], [5.0]]), [0, 0, 1, 1])
    assert r.lhs[0, 1] == pytest.approx(0.5) and r.rhs[0, 1] == pytest.approx(1 / 3)
    # many points on unit circles, centres Delta apart: ||X_bar||^2 = n/2 and min p = Delta/2 - 1,
    # so the necessary threshold is Delta = 1 + sqrt(1 + 2/d) with d = 2 (our Corollary 4.3 analogue)
    from kmbook.geometries import section5_data

    X, lab = section5_data("line", 2, 1.0, n=400)
    assert nc.necessary_threshold_scale(X, lab) == pytest.approx(1 + np.sqrt(2), rel=1e-6)


def test_bad_input_messages():
    X = np.array([[0.0], [1.0], [5.0]])
    with pytest.raises(ValueError, match="balanced"):
        nc.al_necessary(X, [0, 0, 1])
    with pytest.raises(ValueError, match="at least two clusters"):
        nc.pw_necessary(X, [0, 0, 0])
    with pytest.raises(ValueError, match="relaxation must be"):
        nc.necessary_threshold_scale(X, [0, 0, 1], "kmeans")


@pytest.mark.slow
@pytest.mark.parametrize("relaxation,balanced", [("peng_wei", False), ("peng_wei", True), ("amini_levina", True)])
def test_sound_against_the_sdp(relaxation, balanced):
    """Soundness only: the share of non-exact instances the condition detects depends on the
    sampling range of the scales, not on the condition (see test_sharp_on_small_clusters)."""
    r = necessary_trials(relaxation, 80, 11, balanced=balanced)
    assert r.flagged.sum() <= 4
    assert r.unsound == 0, "a necessary condition failed on an instance the SDP solved exactly"
    assert r.n_exact >= 15 and r.n_not_exact >= 15  # both outcomes occur


@pytest.mark.slow
def test_sharp_on_small_clusters():
    """Power measured per instance: Peng-Wei becomes exact within 5 % of t_nec on most small
    instances (2-5 points per cluster), which a much weaker necessary condition would fail."""
    from kmbook.necessary_trials import threshold_ratios

    r = threshold_ratios("peng_wei", 12, np.random.default_rng(21), balanced=False, below=0.999)
    ratio = r.ratio[~r.exact_below_nec]
    assert r.exact_below_nec.sum() == 0 and np.all(ratio >= 1.0)
    assert np.sum(ratio <= 1.05) >= 0.5 * ratio.size and np.median(ratio) <= 1.05


@pytest.mark.slow
@pytest.mark.parametrize("relaxation", ["peng_wei", "amini_levina"])
def test_necessary_threshold_below_exactness_threshold(relaxation):
    """t_nec <= t_exact <= t_(1.1)/(3.4): the relaxation fails at 0.99 t_nec, succeeds above
    the sufficient threshold, and bisection finds the switch between them."""
    from kmbook.recovery import recovery_threshold

    rng = np.random.default_rng(12)
    done = 0
    while done < 6:
        X, lab = random_instance(rng)
        t_nec = nc.necessary_threshold_scale(X, lab, relaxation)
        t_suf = threshold_scale(X, lab, relaxation)
        assert t_nec <= t_suf
        make = partial(lambda t, X, lab: (scale_separation(X, lab, t), lab), X=X, lab=lab)
        # raises ValueError if the relaxation were exact at 0.99 t_nec (unsound) or not at 1.01 t_suf
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ConvergenceWarning)
            r = recovery_threshold(make, 0.99 * t_nec, 1.01 * t_suf, relaxation=relaxation, tol=1e-2 * t_suf)
        if any(issubclass(w.category, ConvergenceWarning) for w in caught):
            continue  # a solve of unestablished accuracy: draw another instance
        done += 1
        assert 0.99 * t_nec <= r.bracket[0] < r.bracket[1] <= 1.01 * t_suf


def test_threshold_ratios_are_sound_and_bracketed():
    from kmbook.necessary_trials import threshold_ratios

    r = threshold_ratios("peng_wei", 3, np.random.default_rng(11), balanced=False, tol=0.02,
                         below=0.999)
    assert not r.exact_below_nec.any()  # not exact at 0.999 t_nec: sound at 0.1 % resolution
    assert np.all(r.ratio >= 1.0) and np.all(r.ratio <= 1.01 * r.t_suf / r.t_nec + 0.02)
    with pytest.raises(ValueError, match="balanced"):
        threshold_ratios("amini_levina", 1, 0, balanced=False)
    with pytest.raises(ValueError, match="below"):
        threshold_ratios("peng_wei", 1, 0, below=1.0)
