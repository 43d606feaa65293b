"""Tests of kmbook.critical_points: exact classification of critical points of G in one dimension."""


from kmbook.critical_points import classify_critical_point
from kmbook.models import BallMixture, GaussianMixture
from kmbook.population import population_lloyd


def test_classify_reports_coincident_and_empty_centres():
    m = BallMixture([[-2.0], [0.0], [2.0]], radius=0.3)
    cp = classify_critical_point(m, [[0.0], [-2.0], [0.0]])
    assert cp.kind == "coincident centres" and cp.coincident == ((0, 2),) and cp.stationary is None
    assert cp.masses[2] == 0.0
    cp = classify_critical_point(m, [[-2.0], [0.0], [2.0], [9.0]])
    assert cp.kind == "local minimum" and cp.empty == (3,)
    cp = classify_critical_point(m, [[-2.0], [0.5], [2.0]])
    assert cp.kind == "not stationary" and cp.gradient_norm > 0.01 and cp.hessian is not None
    # a Gaussian mixture never has a jump: the ground truth is close to, not at, a critical point
    g = GaussianMixture([[-1.0], [1.0]], sigma=0.5)
    cp = classify_critical_point(g, [[-1.0], [1.0]])
    assert cp.kind == "not stationary" and cp.gradient_norm < 0.05
    res = population_lloyd(g, [[-1.0], [1.0]])
    assert classify_critical_point(g, res.centers).kind == "strict local minimum"
