"""Tests of kmbook.bounds_planar: D and rho of inequality (19) against direct quadrature."""

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.stats import norm

from kmbook.bounds_planar import (
    halfplane_lemmas,
    inequality19_planar,
    planar_ball_cost,
    second_order_form,
    switching_coefficient,
)
from kmbook.models import BallMixture, GaussianMixture


def test_gaussian_facet_part_against_quadrature():
    # centres (-1, 0), (1, 0): facet the line x = 0; cluster at (0.5, 2), sigma 0.7
    sigma, R = 0.7, 1.5
    m = GaussianMixture([[0.5, 2.0]], sigma=sigma)
    (row,) = inequality19_planar(m, [[-1.0, 0.0], [1.0, 0.0]], R)
    half = np.sqrt(R**2 - 0.25)
    a, b = 2.0 - half, 2.0 + half
    assert row["D"] == pytest.approx(a)
    dens = quad(lambda y: norm.pdf(0.5, 0, sigma) * norm.pdf(y, 2.0, sigma), a, b)[0]
    assert row["rho"] == pytest.approx(dens, rel=1e-10)
    assert row["value"] == pytest.approx(a * a * dens / 1.0)


def test_third_centre_cuts_the_facet():
    # a third centre at (0, 3) ends the facet of the first two at y = 1.5 + 1/6
    m = BallMixture([[0.0, 2.0]], radius=1.0)
    rows = inequality19_planar(m, [[-1.0, 0.0], [1.0, 0.0], [0.0, 3.0]], 1.0)
    (row,) = [r for r in rows if (r["i"], r["j"]) == (0, 1)]
    top = (9 - 1) / 6  # |(0,y)-(0,3)|^2 = |(0,y)-(-1,0)|^2  ->  y = 4/3
    assert row["D"] == pytest.approx(1.0)
    assert row["rho"] == pytest.approx((top - 1.0) / np.pi)


def test_midpoint_inside_gives_zero_and_bad_radius_raises():
    m = BallMixture([[0.0, 0.0]], radius=1.0)
    (row,) = inequality19_planar(m, [[-0.5, 0.0], [0.5, 0.0]], 1.0)
    assert row["D"] == 0.0 and row["value"] == 0.0
    with pytest.raises(ValueError, match="radius"):
        inequality19_planar(m, [[-0.5, 0.0], [0.5, 0.0]], -1.0)


# --- the exact switching coefficient (ours) against finite differences of an exact G ---


def _fd(model, C, V, h=1e-3):
    g0 = planar_ball_cost(model, C)
    return (planar_ball_cost(model, C + h * V) - 2 * g0 + planar_ball_cost(model, C - h * V)) / (2 * h * h)


@pytest.mark.parametrize("theta", [np.pi / 2, np.pi / 3, np.pi / 4, 0.3])
@pytest.mark.parametrize("opposite", [True, False])
def test_switching_coefficient_matches_finite_differences(theta, opposite):
    # one disk below two centres: the facet x = 0 cuts it away from the midpoint (D > 0)
    m = BallMixture([[0.1, -1.5]], radius=1.0)
    C = np.array([[-1.0, 0.0], [1.0, 0.0]])
    vj = np.array([-np.cos(theta), np.sin(theta)])  # angle theta with beta_i - beta_j
    V = np.array([-vj if opposite else vj, vj])
    _, P = planar_ball_cost(m, C, return_masses=True)
    exact = P @ (V**2).sum(1) + switching_coefficient(m, C, V)
    assert exact == pytest.approx(_fd(m, C, V), abs=5e-6)
    (row,) = inequality19_planar(m, C, 1.0)
    # the paper's coefficients (Propositions 3 and 4 in (17), k* = 1) bound the exact one
    paper = 1 - 2 * (row["D"] ** 2 / row["d"] * np.sin(theta) ** 2 if opposite
                     else row["d"] * np.cos(theta) ** 2) * row["rho"]
    assert exact <= paper + 1e-12
    if opposite and theta > 0.5:
        assert paper - exact > 1.0  # Proposition 4's bound is loose here (D^2 << E[y^2])
    if not opposite:
        assert exact == pytest.approx(paper, abs=1e-12)  # Proposition 3 is exact


def test_rotation_coefficient_reproduces_example2_hessian():
    from kmbook.planar_example import example2_minimum, example2_proof_quantities

    for r in (0.26, 0.3):
        _, C = example2_minimum(r)
        V = np.zeros_like(C)
        V[0], V[1] = (0.0, 1.0), (0.0, -1.0)
        model = BallMixture([[-1.0, 0.0], [0.0, 0.0], [1.0, 0.0]], radius=r)
        exact = 1 + switching_coefficient(model, C, V)
        assert exact == pytest.approx(example2_proof_quantities(r)["rotation"][1], abs=1e-12)


def test_gaussian_switching_against_quadrature():
    from scipy.stats import norm

    m = GaussianMixture([[0.3, 1.0], [2.0, -1.0]], sigma=0.8)
    C = np.array([[-1.0, 0.0], [1.0, 0.0]])
    V = np.array([[0.2, 1.0], [0.5, -0.3]])
    # facet x = 0, tau = (0, 1): g'(0, y) = -2((1, y).v_i) + 2((-1, y).v_j) = a + b y
    a, b = -2 * V[0, 0] - 2 * V[1, 0], 2 * (V[1, 1] - V[0, 1])
    f = lambda y: np.mean([norm.pdf(0, c[0], 0.8) * norm.pdf(y, c[1], 0.8) for c in m.centers])  # noqa: E731
    want = -quad(lambda y: (a + b * y) ** 2 * f(y), -np.inf, np.inf)[0] / 8
    assert switching_coefficient(m, C, V) == pytest.approx(want, rel=1e-9)


def test_sharp_rotation_quantity_and_bad_direction():
    m = BallMixture([[0.0, 2.0]], radius=1.0)
    (row,) = inequality19_planar(m, [[-1.0, 0.0], [1.0, 0.0]], 1.0)
    assert row["sharp"] == pytest.approx((3**3 - 1) / 3 / np.pi)  # int_1^3 y^2 dy / pi
    assert row["sharp"] >= row["value"]
    with pytest.raises(ValueError, match="v must"):
        switching_coefficient(m, [[-1.0, 0.0], [1.0, 0.0]], [[1.0, 0.0]])


def test_planar_ball_cost_against_monte_carlo():
    m = BallMixture([[0.0, 0.0], [3.0, 1.0]], radius=1.0)
    C = np.array([[-0.2, 0.1], [1.5, 0.4], [3.2, 1.3]])
    rng = np.random.default_rng(0)
    X, _ = m.sample(400_000, rng)
    mc = ((X[:, None] - C[None]) ** 2).sum(-1).min(1)
    G = planar_ball_cost(m, C)
    assert abs(G - mc.mean()) < 4 * mc.std() / np.sqrt(len(mc))


def test_halfplane_lemmas_hold_and_lemma8_is_attained_at_pi_over_4():
    out = halfplane_lemmas(np.linspace(-0.99, 0.99, 41), r=1.3, sigma=0.7)
    for key, (lhs, rhs) in out.items():
        assert np.all(lhs <= rhs), key
    lhs, rhs = out["8"]
    assert (lhs / rhs).max() == pytest.approx(np.pi / 4)


def test_second_order_form_matches_finite_differences_at_a_four_disk_minimum():
    # two centres each own a side disk and halves of the disks above and below (a Lloyd fixed
    # point by symmetry); the smallest eigenvalue belongs to the rotation v_1 = -v_2 = (0, 1)
    h, x1 = 1.2, -(1 + 2 / (3 * np.pi))
    m = BallMixture([[-2.0, 0.0], [2.0, 0.0], [0.0, h], [0.0, -h]], radius=1.0)
    C = np.array([[x1, 0.0], [-x1, 0.0]])
    M = second_order_form(m, C)
    rng = np.random.default_rng(3)
    for V in [np.array([[0.0, 1.0], [0.0, -1.0]]), rng.normal(size=(2, 2))]:
        assert V.ravel() @ M @ V.ravel() == pytest.approx(_fd(m, C, V), abs=2e-6)
    w, U = np.linalg.eigh(M)
    assert w[0] > 0 and abs(abs(U[:, 0] @ np.array([0, 1, 0, -1]) / np.sqrt(2)) - 1) < 1e-9
