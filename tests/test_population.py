"""Tests of kmbook.population: the population objective engine and population_lloyd.

Tier 1: hand-computed cases (Proposition 2, Appendix Example 1 of Paper 1).
Tier 2: oracles — adaptive quadrature (scipy.integrate.quad) to 1e-10, finite
differences, Lemma 2's centre-of-mass condition, exact product-structure references.
Tier 3 (slow): randomised QMC estimates in 2-D against 10^7-point samples.
"""

import warnings

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.stats import norm

from kmbook import _population_nd as _pn
from kmbook.critical_points import classify_critical_point
from kmbook.exceptions import ConvergenceWarning
from kmbook.lloyd import lloyd
from kmbook.models import BallMixture, GaussianMixture
from kmbook.population import (
    PopulationLloydResult,
    population_cost,
    population_gradient,
    population_hessian,
    population_lloyd,
)


def _density(model):
    """Mixture density as a scalar function, written independently of kmbook."""
    c = model.centers[:, 0]
    if isinstance(model, BallMixture):
        r = model.radius
        return lambda x: float(np.sum(np.abs(x - c) <= r)) / (2 * r * len(c))
    s = model.sigma
    return lambda x: float(norm.pdf(x, loc=c, scale=s).mean())


def _breakpoints(model, beta):
    """Voronoi boundaries and ball edges: where the integrands change formula."""
    b = np.sort(np.unique(beta))
    pts = list(0.5 * (b[1:] + b[:-1]))
    if isinstance(model, BallMixture):
        c = model.centers[:, 0]
        pts += list(c - model.radius) + list(c + model.radius)
        lo, hi = min(pts + [b[0]]) - 1.0, max(pts + [b[-1]]) + 1.0  # f = 0 beyond
    else:
        lo, hi = -np.inf, np.inf
    return lo, hi, sorted(set(pts))


def _quad(fun, lo, hi, pts):
    edges = [lo] + [p for p in pts if lo < p < hi] + [hi]
    return sum(quad(fun, a, b, epsabs=1e-14, epsrel=1e-13, limit=200)[0] for a, b in zip(edges[:-1], edges[1:]))


def quad_cost(model, beta):
    f = _density(model)
    lo, hi, pts = _breakpoints(model, beta)
    return _quad(lambda x: np.min((x - beta) ** 2) * f(x), lo, hi, pts)


def quad_gradient(model, beta):
    f = _density(model)
    lo, hi, pts = _breakpoints(model, beta)
    out = np.empty(len(beta))
    for i, bi in enumerate(beta):
        def integrand(x, i=i, bi=bi):
            return -2 * (x - bi) * f(x) if np.argmin(np.abs(x - beta)) == i else 0.0
        out[i] = _quad(integrand, lo, hi, pts)
    return out


def _random_model(kind, k_star, rng):
    if kind == "ball":
        r = rng.uniform(0.2, 1.0)
        gaps = rng.uniform(2 * r, 2 * r + 3.0, size=k_star - 1)
        centers = np.concatenate([[rng.uniform(-2, 2)], gaps]).cumsum()
        return BallMixture(centers[:, None], r)
    centers = np.sort(rng.uniform(-4, 4, size=k_star))
    if k_star > 1 and np.diff(centers).min() < 1e-3:
        centers += np.arange(k_star) * 1e-3
    return GaussianMixture(centers[:, None], rng.uniform(0.3, 1.5))


def _random_config(model, k, rng):
    c = model.centers[:, 0]
    spread = np.ptp(c) + 4 * getattr(model, "radius", getattr(model, "sigma", 1.0))
    return rng.uniform(c.min() - 0.3 * spread, c.max() + 0.3 * spread, size=k)


CASES = [(kind, k, seed) for kind in ("ball", "gauss") for k in range(1, 6) for seed in range(4)]


PROP2_R = np.linspace(0.02, 0.39, 12)


def _prop2(r):
    return BallMixture([[-2.0], [0.0], [2.0]], r), np.array([-2 - r / 2, -2 + r / 2, 1.0])


def _prop2_gradient_closed_form(b, r):
    """Gradient written in the proof of Proposition 2, times the density 1/(6r) of eq. (3)."""
    m = 0.5 * (b[0] + b[1])

    def lin(lo, hi, c):  # int_lo^hi (x - c) dx
        return 0.5 * ((hi - c) ** 2 - (lo - c) ** 2)

    return -2 * np.array([lin(-2 - r, m, b[0]), lin(m, -2 + r, b[1]),
                          lin(-r, r, b[2]) + lin(2 - r, 2 + r, b[2])]) / (6 * r)


def _prop2_hessian_closed_form(b, r):
    """Hessian of the proof (entry (1,1) read as 2((b1+b2)/2 + 2 + r)), times 1/(6r)."""
    half = (b[0] - b[1]) / 2
    return np.array([[half + 2 * ((b[0] + b[1]) / 2 + 2 + r), half, 0],
                     [half, half + 2 * (-2 + r - (b[0] + b[1]) / 2), 0],
                     [0, 0, 8 * r]]) / (6 * r)


def _example1(r, far=10.0):
    return BallMixture([[-1.0], [0.0], [1.0]], r), np.array([-2 / 3 - r / 6, 2 / 3 + r / 6, far])


def _mc_reference(model, C, n, rng, chunk=1_000_000):
    """Plain Monte Carlo over `n` sampled points: cost and gradient with standard errors."""
    k, d = C.shape
    s1 = s2 = 0.0
    g1 = np.zeros((k, d))
    g2 = np.zeros((k, d))
    gen = np.random.default_rng(rng)
    for start in range(0, n, chunk):
        X, _ = model.sample(min(chunk, n - start), gen)
        labels, mind = _pn.nearest(X, C)
        s1 += mind.sum()
        s2 += (mind**2).sum()
        contrib = np.zeros((X.shape[0], k, d))
        contrib[np.arange(X.shape[0]), labels] = -2 * (X - C[labels])
        g1 += contrib.sum(0)
        g2 += (contrib**2).sum(0)
    mean, gmean = s1 / n, g1 / n
    return mean, np.sqrt((s2 / n - mean**2) / n), gmean, np.sqrt((g2 / n - gmean**2) / n)


@pytest.mark.parametrize("kind,k,seed", CASES)
def test_1d_cost_and_gradient_match_quadrature(kind, k, seed):
    rng = np.random.default_rng(100 * k + seed + (0 if kind == "ball" else 7))
    model = _random_model(kind, int(rng.integers(1, 5)), rng)
    beta = _random_config(model, k, rng)
    C = beta[:, None]
    assert population_cost(model, C) == pytest.approx(quad_cost(model, beta), abs=1e-10, rel=0)
    grad = population_gradient(model, C)
    assert grad.shape == (k, 1)
    np.testing.assert_allclose(grad[:, 0], quad_gradient(model, beta), atol=1e-10, rtol=0)


def test_random_ball_cases_have_boundaries_inside_and_outside_balls():
    """The random cases above exercise both kinds of Voronoi boundary."""
    inside = outside = 0
    for kind, k, seed in CASES:
        if kind != "ball" or k == 1:
            continue
        rng = np.random.default_rng(100 * k + seed)
        model = _random_model(kind, int(rng.integers(1, 5)), rng)
        b = np.sort(_random_config(model, k, rng))
        t = 0.5 * (b[1:] + b[:-1])
        hit = (np.abs(t[:, None] - model.centers[:, 0][None, :]) < model.radius).any(axis=1)
        inside += int(hit.sum())
        outside += int((~hit).sum())
    assert inside >= 5 and outside >= 5


@pytest.mark.parametrize("kind,k,seed", [c for c in CASES if c[1] >= 2])
def test_1d_gradient_and_hessian_match_finite_differences(kind, k, seed):
    rng = np.random.default_rng(1000 + 100 * k + seed + (0 if kind == "ball" else 7))
    model = _random_model(kind, int(rng.integers(1, 5)), rng)
    h = 1e-5
    while True:  # keep Voronoi boundaries 1e-3 away from ball edges, where G is not C^2
        beta = _random_config(model, k, rng)
        b = np.sort(beta)
        t = 0.5 * (b[1:] + b[:-1])
        if kind == "gauss" or np.abs(np.abs(t[:, None] - model.centers[:, 0]) - model.radius).min() > 1e-3:
            break
    grad = population_gradient(model, beta[:, None])[:, 0]
    H = population_hessian(model, beta[:, None])
    assert H.shape == (k, k)
    np.testing.assert_allclose(H, H.T, atol=0)
    E = np.eye(k) * h
    fd_grad = [(population_cost(model, (beta + e)[:, None]) - population_cost(model, (beta - e)[:, None])) / (2 * h)
               for e in E]
    np.testing.assert_allclose(grad, fd_grad, atol=2e-8)
    fd_hess = np.array([(population_gradient(model, (beta + e)[:, None])[:, 0]
                         - population_gradient(model, (beta - e)[:, None])[:, 0]) / (2 * h) for e in E])
    np.testing.assert_allclose(H, fd_hess, atol=1e-7)


@pytest.mark.filterwarnings("ignore::scipy.integrate.IntegrationWarning")
def test_gaussian_far_tails_are_accurate():
    """Intervals many sigmas from a component: no cancellation in the normal CDF differences."""
    model = GaussianMixture([[0.0], [1.0]], sigma=0.1)
    beta = np.array([-3.0, 0.5, 4.0, 9.0])
    assert population_cost(model, beta[:, None]) == pytest.approx(quad_cost(model, beta), rel=1e-12, abs=1e-14)
    np.testing.assert_allclose(population_gradient(model, beta[:, None])[:, 0], quad_gradient(model, beta),
                               rtol=1e-9, atol=1e-16)


def test_ground_truth_cost_is_the_component_variance():
    m = BallMixture([[-2.0], [0.0], [2.0]], radius=0.3)
    assert population_cost(m, m.centers) == pytest.approx(0.03, abs=1e-15)  # r^2 / 3
    g = GaussianMixture([[0.0]], sigma=0.7)
    assert population_cost(g, [[0.0]]) == pytest.approx(0.49, abs=1e-14)


def test_coincident_centres_cost_is_defined_and_ties_go_to_lowest_index():
    m = BallMixture([[-2.0], [0.0], [2.0]], radius=0.3)
    C = np.array([[0.0], [0.0], [-2.0]])
    assert population_cost(m, C) == pytest.approx(quad_cost(m, C[:, 0]), abs=1e-12)
    with pytest.warns(ConvergenceWarning):
        res = population_lloyd(m, C, max_iter=1)
    # centre 0 owns [-1, inf) (balls 2 and 3, centre of mass 1); its duplicate, centre 1, is empty and stays
    np.testing.assert_allclose(res.centers[:, 0], [1.0, 0.0, -2.0], atol=1e-15)


@pytest.mark.parametrize("r", PROP2_R)
def test_proposition2_gradient_and_hessian(r):
    m, beta = _prop2(r)
    assert np.abs(population_gradient(m, beta[:, None])).max() < 1e-14
    H = population_hessian(m, beta[:, None])
    paper = np.array([[1.5 * r, -0.5 * r, 0], [-0.5 * r, 1.5 * r, 0], [0, 0, 8 * r]]) / (6 * r)
    np.testing.assert_allclose(H, paper, atol=1e-12)
    cp = classify_critical_point(m, beta[:, None])
    assert cp.kind == "strict local minimum" and cp.is_local_minimum
    np.testing.assert_allclose(cp.eigenvalues, [1 / 6, 1 / 3, 4 / 3], atol=1e-12)
    # near beta the proof's general formulas hold (the configuration's intervals stay put)
    rng = np.random.default_rng(int(r * 1e6))
    step = min(0.1 * r, 0.4 * (0.5 - 1.25 * r))  # keep boundary (b2 + b3)/2 inside the gap (-2 + r, -r)
    for _ in range(3):
        b = beta + rng.uniform(-step, step, size=3)
        np.testing.assert_allclose(population_gradient(m, b[:, None])[:, 0], _prop2_gradient_closed_form(b, r),
                                   atol=1e-13)
        np.testing.assert_allclose(population_hessian(m, b[:, None]), _prop2_hessian_closed_form(b, r), atol=1e-12)
    # spurious: strictly above the ground truth r^2/3
    assert population_cost(m, beta[:, None]) > population_cost(m, m.centers) + 0.5


def test_proposition2_range_is_sharp():
    """At r = 0.4 the boundary hits the ball edge (no Hessian); beyond, the point is not stationary."""
    m, beta = _prop2(0.4)
    assert classify_critical_point(m, beta[:, None]).kind == "non-smooth"
    with pytest.raises(ValueError, match="not twice differentiable"):
        population_hessian(m, beta[:, None])
    m, beta = _prop2(0.41)
    assert classify_critical_point(m, beta[:, None]).kind == "not stationary"
    res = population_lloyd(m, beta[:, None])
    np.testing.assert_allclose(res.centers[:, 0], [-2, 0, 2], atol=1e-9)


@pytest.mark.parametrize("r", [0.12, 0.2, 0.3, 0.45])
def test_example1_gradient_and_general_hessian(r):
    m, beta = _example1(r)
    assert np.abs(population_gradient(m, beta[:, None])).max() < 1e-14
    rng = np.random.default_rng(7)
    for _ in range(3):
        b = beta + np.append(rng.uniform(-0.02, 0.02, size=2), 0.0)
        s, dlt = b[0] + b[1], (b[1] - b[0]) / 2
        paper = np.array([[6 * r + s - dlt, -dlt], [-dlt, 6 * r - s - dlt]]) / (6 * r)  # appendix, general b
        np.testing.assert_allclose(population_hessian(m, b[:, None])[:2, :2], paper, atol=1e-12)


@pytest.mark.parametrize("r", [0.12, 0.2, 0.3, 0.45])
def test_example1_hessian_at_beta_is_symmetric_and_corrects_the_paper(r):
    m, beta = _example1(r)
    H = population_hessian(m, beta[:, None]) * 6 * r
    a, c = 35 * r / 6 - 2 / 3, -2 / 3 - r / 6
    np.testing.assert_allclose(H[:2, :2], [[a, c], [c, a]], atol=1e-12)
    assert abs(H[1, 1] - (37 * r / 6 + 2 / 3)) > 0.5  # the paper's (2,2) entry is not what G gives
    np.testing.assert_allclose(H[2], 0, atol=0)  # the far centre does not matter


def test_example1_local_minimum_condition_is_r_above_4_over_17():
    paper_threshold = 1 / (9 * np.sqrt(2) / 2 - 1 / 4)  # about 0.1636
    for r, expected in [(0.15, "saddle"), (0.2, "saddle"), (0.23, "saddle"), (4 / 17, "degenerate"),
                        (0.24, "local minimum"), (0.35, "local minimum"), (0.5, "local minimum")]:
        m, beta = _example1(r)
        cp = classify_critical_point(m, beta[:, None])
        assert cp.kind == expected, (r, cp)
        assert cp.empty == (2,)
    # between the paper's threshold and 4/17 the point is a saddle: G decreases along (1, 1)
    r = 0.2
    assert r > paper_threshold
    m, beta = _example1(r)
    for eps in (1e-2, 1e-3):
        assert population_cost(m, (beta + eps * np.array([1, 1, 0]))[:, None]) < population_cost(m, beta[:, None])


def test_example1_is_spurious_its_cost_exceeds_the_ground_truth():
    for r in np.linspace(0.05, 0.5, 10):
        m, beta = _example1(r)
        g_beta = population_cost(m, beta[:, None])
        closed = (2 * (r**2 / 3 + (1 / 3 - r / 6) ** 2) + r**2 / 12 + (2 / 3 - r / 3) ** 2) / 3
        assert g_beta == pytest.approx(closed, abs=1e-13)
        assert g_beta > population_cost(m, m.centers) + 0.1


def test_example1_needs_the_third_centre_beyond_the_support():
    r = 0.3
    edge = 4 / 3 + 11 * r / 6  # (beta_2 + beta_3) / 2 = 1 + r
    m, beta = _example1(r, far=edge + 1e-3)
    assert classify_critical_point(m, beta[:, None]).kind == "local minimum"
    m, beta = _example1(r, far=edge - 1e-3)
    assert classify_critical_point(m, beta[:, None]).kind == "not stationary"


@pytest.mark.parametrize("kind,k,seed", CASES)
def test_population_lloyd_fixed_points_satisfy_lemma2(kind, k, seed):
    rng = np.random.default_rng(500 + 100 * k + seed + (0 if kind == "ball" else 7))
    model = _random_model(kind, int(rng.integers(1, 5)), rng)
    init = _random_config(model, k, rng)[:, None]
    res = population_lloyd(model, init, max_iter=20000, tol=1e-13, record=True)
    assert isinstance(res, PopulationLloydResult) and res.converged
    assert res.labels is None and res.counts is None
    beta = res.centers[:, 0]
    f = _density(model)
    lo, hi, pts = _breakpoints(model, beta)
    for i, bi in enumerate(beta):
        if res.masses[i] == 0:
            continue
        inside = lambda x, i=i: np.argmin(np.abs(x - beta)) == i  # noqa: E731
        mass = _quad(lambda x: f(x) if inside(x) else 0.0, lo, hi, pts)
        first = _quad(lambda x: x * f(x) if inside(x) else 0.0, lo, hi, pts)
        assert mass == pytest.approx(res.masses[i], abs=1e-11)
        assert bi == pytest.approx(first / mass, abs=1e-8)  # eq. (9)
    costs = [population_cost(model, c) for c in res.trajectory]
    assert np.all(np.diff(costs) <= 1e-14)  # Lloyd never increases G (up to rounding)
    assert res.cost == pytest.approx(costs[-1], abs=1e-15)


def test_population_lloyd_warns_when_stopped_early():
    m = BallMixture([[-2.0], [0.0], [2.0]], radius=0.3)
    with pytest.warns(ConvergenceWarning, match="max_iter=1"):
        res = population_lloyd(m, [[-3.0], [-1.0], [3.0]], max_iter=1)
    assert not res.converged and res.n_iter == 1


def test_sample_lloyd_approaches_population_lloyd():
    """Lloyd on a large sample ends near the population fixed point from the same start."""
    m = BallMixture([[-2.0], [0.0], [2.0]], radius=0.3)
    X, _ = m.sample(200_000, rng=3)
    init = np.array([[-2.2], [-1.9], [0.8]])
    pop = population_lloyd(m, init)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        emp = lloyd(X, init)
    np.testing.assert_allclose(np.sort(emp.centers[:, 0]), np.sort(pop.centers[:, 0]), atol=0.01)
    assert emp.cost / len(X) == pytest.approx(pop.cost, rel=0.01)


def test_population_lloyd_2d_matches_1d_on_a_collinear_gaussian_mixture():
    """Centres on a line: the 2-D fixed point's x-coordinates are the 1-D exact fixed point."""
    centers = np.array([-2.0, 0.0, 2.5])
    g1 = GaussianMixture(centers[:, None], 0.7)
    g2 = GaussianMixture(np.column_stack([centers, np.zeros(3)]), 0.7)
    init = np.array([-1.5, 0.5, 2.0])
    exact = population_lloyd(g1, init[:, None]).centers[:, 0]
    res = population_lloyd(g2, np.column_stack([init, np.zeros(3)]), n_points=2**13, rng=4)
    assert res.converged and res.labels is None
    err = np.abs(res.centers[:, 0] - exact)
    assert np.all(err <= 5 * res.center_error[:, 0] + 1e-6), (err, res.center_error)
    assert res.cost == pytest.approx(population_cost(g1, exact[:, None]) + 0.49, abs=5 * res.cost_error + 1e-7)


def test_rqmc_in_2d_matches_exact_product_structure():
    """A collinear 2-D Gaussian mixture with collinear centres: G_2D = G_1D + sigma^2."""
    centers = np.array([-2.0, 0.0, 2.5])
    beta = np.array([-1.0, 0.3, 2.0, 5.0])
    g1 = GaussianMixture(centers[:, None], 0.7)
    g2 = GaussianMixture(np.column_stack([centers, np.zeros(3)]), 0.7)
    C2 = np.column_stack([beta, np.zeros(4)])
    exact_cost = population_cost(g1, beta[:, None]) + 0.49
    exact_grad = population_gradient(g1, beta[:, None])[:, 0]
    z_cost, z_grad = [], []
    for seed in range(12):
        v, e = population_cost(g2, C2, return_error=True, rng=seed)
        gr, ge = population_gradient(g2, C2, return_error=True, rng=seed)
        z_cost.append((v - exact_cost) / e)
        z_grad.extend(((gr[:, 0] - exact_grad) / ge[:, 0]).tolist())
        assert abs(v - exact_cost) <= 6 * e
    # the stated error is calibrated: most z-scores within 3 (Student t with 7 dof: ~98%)
    assert np.mean(np.abs(z_cost) <= 3) >= 0.75
    assert np.mean(np.abs(z_grad) <= 3) >= 0.75
    assert np.std(z_cost) < 3


def test_rqmc_1d_and_3d_sanity():
    m1 = BallMixture([[-2.0], [0.0], [2.0]], radius=0.3)
    beta = np.array([[-2.1], [-1.8], [1.1]])
    est = _pn.estimate(m1, beta, 2**12, 8, 0)
    assert abs(est[0] - population_cost(m1, beta)) <= 6 * est[1] + 1e-12
    m3 = BallMixture([[0.0, 0.0, 0.0]], radius=0.5)  # E||x - c||^2 = 3 r^2 / 5 in 3-D
    v, e = population_cost(m3, [[0.0, 0.0, 0.0]], return_error=True)
    assert abs(v - 0.15) <= 6 * e and e < 1e-4


@pytest.mark.slow
@pytest.mark.parametrize("model,C", [
    (BallMixture([[-1.0, 0.0], [0.0, 0.0], [1.0, 0.0]], 0.3), np.array([[-1.0, 0.05], [0.5, -0.02], [0.2, 0.6]])),
    (GaussianMixture([[0.0, 0.0], [3.0, 0.0], [0.0, 3.0], [3.0, 3.0]], 1.0),
     np.array([[0.2, 0.1], [1.5, -0.3], [0.1, 3.2], [2.8, 2.6]])),
])
def test_rqmc_2d_agrees_with_ten_million_samples(model, C):
    v, e = population_cost(model, C, return_error=True)
    g, ge = population_gradient(model, C, return_error=True)
    mc, mc_se, mg, mg_se = _mc_reference(model, C, 10**7, rng=11)
    assert abs(v - mc) <= 4 * np.hypot(e, mc_se)
    assert np.all(np.abs(g - mg) <= 4 * np.hypot(ge, mg_se))
    assert e < mc_se  # the QMC estimate is the more accurate of the two


def test_invalid_inputs_raise_clear_errors():
    m = BallMixture([[-2.0], [0.0], [2.0]], radius=0.3)
    with pytest.raises(ValueError, match="balls overlap"):
        BallMixture([[0.0], [0.5]], radius=0.3)
    with pytest.raises(TypeError, match="model must be"):
        population_cost("ball", [[0.0]])
    with pytest.raises(ValueError, match="at least one centre"):
        population_cost(m, np.empty((0, 1)))
    with pytest.raises(ValueError, match="finite"):
        population_gradient(m, [[0.0], [np.nan]])
    with pytest.raises(ValueError, match="1 column"):
        population_cost(m, [[0.0, 1.0]])
    with pytest.raises(ValueError, match="2-D"):
        population_lloyd(m, [0.0, 1.0, 2.0])
    with pytest.raises(ValueError, match="pairwise distinct"):
        population_gradient(m, [[0.0], [0.0]])
    with pytest.raises(ValueError, match="pairwise distinct"):
        population_hessian(m, [[1.0], [1.0]])
    with pytest.raises(ValueError, match="max_iter"):
        population_lloyd(m, [[0.0]], max_iter=0)
    with pytest.raises(ValueError, match="tol"):
        population_lloyd(m, [[0.0]], tol=-1.0)
    m2 = BallMixture([[0.0, 0.0], [1.0, 0.0]], radius=0.3)
    with pytest.raises(ValueError, match="power of two"):
        population_cost(m2, [[0.0, 0.0]], n_points=1000)
    with pytest.raises(ValueError, match="n_reps"):
        population_cost(m2, [[0.0, 0.0]], n_reps=1)
    with pytest.raises(NotImplementedError, match="one dimension"):
        population_hessian(m2, [[0.0, 0.0], [1.0, 0.0]])
    with pytest.raises(NotImplementedError, match="one dimension"):
        classify_critical_point(m2, [[0.0, 0.0]])
