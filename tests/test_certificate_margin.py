"""Certificates decide strict inequalities with a floating-point margin (kmbook._float).

At exactly the (1.1) threshold the condition is false in exact arithmetic, so nothing may be
certified there, whatever the rounding; a relative step of 1e-3 above it must be certified.
"""

import numpy as np
import pytest

from kmbook import _float
from kmbook import proximity as px
from kmbook.geometries import section5_data


def _random_instance(rng):
    K, d = int(rng.integers(2, 5)), int(rng.integers(1, 4))
    sizes = rng.integers(2, 6, size=K)
    C = rng.normal(size=(K, d)) * 3
    X = np.vstack([C[a] + rng.normal(size=(s, d)) * np.exp(rng.normal()) for a, s in enumerate(sizes)])
    X += rng.normal(size=d) * 10 ** rng.uniform(0, 3)  # away from the origin
    return X, np.repeat(np.arange(K), sizes)


def test_gamma_and_margin():
    u = _float.UNIT_ROUNDOFF
    assert _float.gamma(1) == pytest.approx(u, rel=1e-15) and _float.gamma(10) > 10 * u
    assert _float.margin([1.0, -4.0], 2.0, ulps=1) == 4 * u
    assert _float.margin(np.array([np.nan, np.inf, 3.0]), ulps=2) == 6 * u
    assert not _float.strictly_greater(1.0 + 8 * u, 1.0)  # above by rounding only
    assert _float.strictly_greater(1.0 + 1e-12, 1.0)
    with pytest.raises(ValueError, match="gamma"):
        _float.gamma(2**60)


def test_certify_never_certifies_at_the_threshold_and_always_just_above():
    rng = np.random.default_rng(0)
    held_below = 0
    for _ in range(400):
        X, lab = _random_instance(rng)
        t = px.threshold_scale(X, lab)
        at = px.scale_separation(X, lab, t)
        assert not px.certify(at, lab).holds
        assert not px.pw_proximity(at, lab).holds_equivalent
        above = px.scale_separation(X, lab, t * (1 + 1e-3))
        assert px.certify(above, lab).holds and px.pw_proximity(above, lab).holds_equivalent
        held_below += px.certify(px.scale_separation(X, lab, t * (1 - 1e-3)), lab).holds
    assert held_below == 0


@pytest.mark.parametrize("layout,K", [("line", 3), ("circle", 4), ("line", 2)])
def test_dual_certificate_at_and_above_the_threshold(layout, K):
    """On the symmetric Section 5 layouts the paper's certificate exists exactly when (1.1)
    holds (p_ab = p_ba), so its threshold is (1.1)'s."""
    X, lab = section5_data(layout, K, 1.0, n=6)
    t = px.threshold_scale(X, lab)
    at = px.dual_certificate(px.scale_separation(X, lab, t), lab)
    assert not at.holds and not at.verified
    above = px.dual_certificate(px.scale_separation(X, lab, t * (1 + 1e-3)), lab)
    assert above.holds and above.verified


def test_dual_certificate_verified_needs_more_than_rounding():
    X, lab = section5_data("line", 3, 8.0, n=6)
    cert = px.dual_certificate(X, lab)
    assert cert.verified
    from dataclasses import replace

    tiny = replace(cert, lambda_min=1e-300)  # positive, but only at the level of rounding
    assert not tiny.verified
    assert not replace(cert, b_min=_float.UNIT_ROUNDOFF * float(np.abs(cert.B).max())).verified
