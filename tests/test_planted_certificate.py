"""Fitted dual certificates and feasible competitors: they decide exactness soundly, and with power."""

import numpy as np
import pytest

from kmbook.necessary import al_necessary, pw_necessary
from kmbook.phase_transitions import ball_model_data
from kmbook.planted_certificate import feasible_competitor, fitted_certificate
from kmbook.planted_optimality import partition_cost
from kmbook.sdp import amini_levina, membership_matrix, peng_wei

SOLVE = {"peng_wei": peng_wei, "amini_levina": amini_levina}
NECESSARY = {"peng_wei": pw_necessary, "amini_levina": al_necessary}


def _solve(rel, X, K):
    return SOLVE[rel](X, K, solver="kmbook")


@pytest.mark.parametrize("rel", ["peng_wei", "amini_levina"])
def test_far_apart_balls_are_certified_with_the_solvers_dual(rel):
    X, lab = ball_model_data("hive", 3, 4.0, n=8, d=3, rng=5)
    res = _solve(rel, X, 3)
    cert = fitted_certificate(X, lab, res.duals["nonnegative"], rel)
    assert cert.verified
    assert cert.lambda_min > 0 and cert.b_min > 0
    assert abs(cert.dual_value - partition_cost(X, lab)) <= 1e-8 * partition_cost(X, lab)


@pytest.mark.parametrize("rel", ["peng_wei", "amini_levina"])
def test_no_certificate_where_the_necessary_condition_fails(rel):
    # overlapping balls: the planted partition is provably not the relaxation's solution
    X, lab = ball_model_data("hive", 3, 1.0, n=8, d=3, rng=5)
    assert not NECESSARY[rel](X, lab).holds
    res = _solve(rel, X, 3)
    rng = np.random.default_rng(0)
    for B in (res.duals["nonnegative"], np.ones_like(res.Z), rng.random(res.Z.shape)):
        assert not fitted_certificate(X, lab, B, rel).verified
    comp = feasible_competitor(X, res.Z, 3, rel)
    assert comp["feasible"] and comp["cost"] < partition_cost(X, lab)


@pytest.mark.parametrize("rel", ["peng_wei", "amini_levina"])
def test_competitor_is_feasible_and_never_below_the_rigorous_bound(rel):
    for delta in (1.2, 1.8, 2.6):
        X, lab = ball_model_data("hive", 3, delta, n=6, d=2, rng=11)
        res = _solve(rel, X, 3)
        comp = feasible_competitor(X, res.Z, 3, rel)
        assert comp["feasible"]
        assert comp["linear_residual"] < 1e-10 and comp["min_entry"] >= 0 and comp["lambda_min"] > 0
        # any feasible point costs at least the rigorous lower bound of the optimum
        assert comp["cost"] >= res.lower_bound * (1 - 1e-12)


def test_competitor_of_the_planted_matrix_is_the_planted_cost():
    X, lab = ball_model_data("line", 2, 3.0, n=5, d=2, rng=2)
    for rel in ("peng_wei", "amini_levina"):
        comp = feasible_competitor(X, membership_matrix(lab), 2, rel)
        assert comp["feasible"]
        assert comp["cost"] == pytest.approx(partition_cost(X, lab), rel=1e-7)
        assert comp["cost"] >= partition_cost(X, lab) * (1 - 1e-12)


def test_bad_input_is_named():
    X, lab = ball_model_data("line", 2, 3.0, n=4, d=2, rng=2)
    with pytest.raises(ValueError, match="B must be"):
        fitted_certificate(X, lab, np.ones((3, 3)))
    with pytest.raises(ValueError, match="labels must have one entry per data point"):
        fitted_certificate(X, lab[:-1], np.ones((len(lab), len(lab))))
    with pytest.raises(ValueError, match="equal size"):
        fitted_certificate(X, [0] * 3 + [1] * 5, np.ones((8, 8)), "amini_levina")
    with pytest.raises(ValueError, match="Z must be"):
        feasible_competitor(X, np.ones((3, 3)), 2)
    with pytest.raises(ValueError, match="k must"):
        feasible_competitor(X, np.eye(8), 1)
