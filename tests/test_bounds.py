"""Theorem 4's quantities, inequality (18) and the likelihood link, against independent computations."""

import math

import numpy as np
import pytest
from scipy.integrate import quad

from kmbook.bounds import boundaries_1d, inequality18_1d, theorem4_report
from kmbook.examples import example1, proposition2
from kmbook.likelihood import likelihood_gap, likelihood_gap_leading_term
from kmbook.models import BallMixture, GaussianMixture
from kmbook.objective import population_cost, population_hessian


@pytest.mark.parametrize("r", [0.2, 4 / 17 + 1e-9, 0.3, 0.5])
def test_inequality18_for_example1_is_r_at_least_4_over_17(r):
    value, bound = inequality18_1d(*example1(r))
    assert value == pytest.approx((4 + r) / (12 * r), rel=1e-12)
    assert bound == 1.5
    assert (value <= bound) == (r >= 4 / 17)


@pytest.mark.parametrize("r", [0.25, 0.3, 0.45])
def test_expansion17_equals_half_the_hessian_along_a_translation(r):
    # the paper's second-order coefficient 1 - (2/k*) d rho against the exact Hessian
    model, beta = example1(r)
    H = population_hessian(model, beta)
    v = np.array([1.0, 1.0, 1.0])
    (b,) = [bd for bd in boundaries_1d(model, beta) if bd.s is not None]
    assert 0.5 * v @ H @ v == pytest.approx(1 - 2 / 3 * b.d * b.rho, abs=1e-12)
    assert 0.5 * v @ H @ v == pytest.approx(17 / 18 - 2 / (9 * r), abs=1e-12)


def test_theorem4_bounds_hold_at_proposition2_for_a_range_of_lambda():
    for r in (0.1, 0.3):
        for lam in np.geomspace(0.05, 50, 25):
            rows = theorem4_report(*proposition2(r), lam=lam)
            assert rows and all(row["holds"] for row in rows)


def test_theorem4_report_detects_a_violated_bound():
    # not a local minimum: beta_1 = -2.5 sits 0.5 from the only ball it owns, while Part 2(b)
    # at lambda = 0.01 allows k* r/(1 - q) + ... + (k + 2k*) k lambda r Delta_max/(1 - q) = 0.41
    # (beta_1 is not the centre of mass of its cell, so this catches a Lemma 2 violation only;
    # at a 1-D Lloyd fixed point every bound of Theorem 4 is empty or met trivially, see
    # book/landscape/bounds)
    model = BallMixture([[-2.0], [0.0], [2.0]], radius=0.1)
    rows = theorem4_report(model, np.array([[-2.5], [1.0], [5.0]]), lam=0.01)
    bad = [row for row in rows if not row["holds"]]
    assert [row["part"] for row in bad] == ["2b"] and bad[0]["value"] == pytest.approx(0.5)


def test_likelihood_gap_against_direct_quadrature_and_its_bounds():
    model, beta = proposition2(0.3)
    tau = 0.2
    b = beta.ravel()

    def neg_loglik(x):
        return -math.log(np.exp(-((x - b) ** 2) / (2 * tau * tau)).sum()) / (6 * 0.3)

    L = sum(quad(neg_loglik, c - 0.3, c + 0.3, points=[-2.0], limit=200, epsabs=1e-14)[0] for c in (-2, 0, 2))
    gap = likelihood_gap(model, beta, tau)
    assert 2 * tau * tau * L - population_cost(model, beta) == pytest.approx(gap, abs=1e-11)
    assert -2 * tau * tau * math.log(3) <= likelihood_gap(model, beta, tau) <= 0


def test_likelihood_gap_leading_term_gaussian():
    model = GaussianMixture([[-2.0], [0.0], [2.5]], sigma=0.7)
    beta = np.array([[-2.1], [0.2], [2.4]])
    lead = likelihood_gap_leading_term(model, beta)
    tau = 0.02
    assert likelihood_gap(model, beta, tau) / tau**4 == pytest.approx(lead, rel=2e-3)


def test_decomposition10_is_an_identity_with_nonpositive_w():
    from kmbook.bounds import decomposition_1d
    model, beta = example1(0.3)
    v = np.array([[1.0], [1.0], [1.0]])
    for t in (0.02, -0.05, 0.1):
        H, U, W = decomposition_1d(model, beta, v, t)
        assert H == pytest.approx(U + W, abs=1e-12) and W <= 0
    # (15): U(t) - U(0) = t^2 sum_i m_i |v_i|^2 = t^2 at a Lloyd fixed point
    _, U0, _ = decomposition_1d(model, beta, v, 0.0)
    _, U1, _ = decomposition_1d(model, beta, v, 0.1)
    assert (U1 - U0) / 0.01 == pytest.approx(1.0, abs=1e-10)


def test_global_minimum_1d_finds_the_truth_for_several_k():
    from kmbook.bounds import global_minimum_1d
    rng = np.random.default_rng(3)
    for k in (2, 4, 5):
        centres = np.cumsum(rng.uniform(6 * np.sqrt(k), 9 * np.sqrt(k), k))[:, None]
        model = BallMixture(centres, radius=1.0)
        res = global_minimum_1d(model, k)
        assert np.abs(np.sort(res.centers.ravel()) - centres.ravel()).max() < 1e-9


def test_example2_proof_quantities_match_the_hessian():
    from kmbook.planar_example import example2_proof_quantities
    for r in (0.26, 0.29):
        q = example2_proof_quantities(r)
        assert q["ineq18"] <= q["bound"] and q["ineq19"] == 0.0
        assert q["translation"][0] == pytest.approx(q["translation"][1], abs=1e-12)
        assert q["rotation"][1] < q["rotation"][0]      # (17) is an upper bound there


def test_facets_2d_density_against_quadrature():
    from kmbook.bounds import facets_2d
    model = GaussianMixture([[0.0, 6.0], [-4.0, 0.0], [0.0, 0.0], [4.0, 0.0]], sigma=0.5)
    C = np.array([[-0.4, 6.0], [0.4, 6.0], [-3.9, 0.0], [2.05, 0.0]])
    F = {(f["i"], f["j"]): f for f in facets_2d(model, C)}
    f = F[(2, 3)]                       # the vertical line x = -0.925, clipped above
    def dens(y):
        return np.exp(-((-0.925) ** 2 + y**2) / (2 * 0.25)) / (2 * np.pi * 0.25)

    # the facet runs from y = -inf up to where the top centres become closer
    hi = max(y for y in np.linspace(-10, 10, 200001)
             if np.linalg.norm([-0.925 - C[2, 0], y]) <= min(np.linalg.norm([-0.925 - c[0], y - c[1]])
                                                              for c in C[[0, 1]]))
    assert f["rho"][2] == pytest.approx(quad(dens, -np.inf, hi)[0], rel=1e-6)
    assert f["d"] == pytest.approx((2.05 + 3.9) / 2)


def test_theorem4_2b_proof_form_is_the_statement_without_the_factor_k_star():
    # Lemma 5 + Lemma 6: k* r/(1-q) + [k* (k lam r)(k^2 lam r^2) + k^2 lam r^2 (1-q)]/(1-q)^2
    #   + (2 k* k lam r + k^2 lam r) Delta/(1-q), i.e. the statement's second term over k*
    model, beta = proposition2(0.1)
    lam = 0.2
    proof = [r for r in theorem4_report(model, beta, lam) if r["part"] == "2b"]
    stmt = [r for r in theorem4_report(model, beta, lam, form="statement") if r["part"] == "2b"]
    k, ks, rr, delta = 3, 3, 0.1, float(np.ptp(model.centers))
    q = k * k * lam * rr
    lemma5 = ks * rr / (1 - q) + ks * (k * lam * rr) * (k * k * lam * rr**2) / (1 - q) ** 2 \
        + 2 * ks * k * lam * rr / (1 - q) * delta
    lemma6 = k * k * lam * rr**2 / (1 - q) + k * k * lam * rr / (1 - q) * delta
    assert proof and proof[0]["bound"] == pytest.approx(lemma5 + lemma6, rel=1e-12)
    second = k * k * lam * rr**2 * (1 + (ks * k - k * k) * lam * rr) / (1 - q) ** 2
    assert stmt[0]["bound"] - proof[0]["bound"] == pytest.approx((ks - 1) * second, rel=1e-12)
    with pytest.raises(ValueError, match="form"):
        theorem4_report(model, beta, lam, form="other")
