"""Floating-point error constants and the margin of strict inequalities.

A certificate that decides ``lhs > rhs`` from floating-point numbers must not let
rounding decide: both sides carry rounding errors of a few units in the last place
(ulps) of the quantities that produced them. :func:`strictly_greater` demands that
``lhs`` exceed ``rhs`` by :func:`margin` — ``ulps`` units of roundoff of the largest
quantity involved — so a comparison that holds only by rounding is refused.

Chapter: book/convex/peng_wei (certificates in floating point).
"""

from __future__ import annotations

import numpy as np

__all__ = ["UNIT_ROUNDOFF", "gamma", "margin", "strictly_greater", "MARGIN_ULPS"]

#: Unit roundoff of IEEE double precision, ``2^-53``.
UNIT_ROUNDOFF = float(np.finfo(np.float64).eps) / 2
#: Default number of ulps a strict inequality must clear.
MARGIN_ULPS = 64


def gamma(n):
    """Higham's ``gamma_n = n u / (1 - n u)``: the relative error bound of ``n``
    successive roundings (e.g. a sum of ``n + 1`` terms)."""
    nu = float(n) * UNIT_ROUNDOFF
    if nu >= 0.5:
        raise ValueError(f"gamma({n}) is not defined for n u >= 1/2.")
    return nu / (1.0 - nu)


def margin(*quantities, ulps=MARGIN_ULPS):
    """``ulps`` units of roundoff of the largest magnitude among `quantities`
    (arrays are reduced by ``max |.|``; non-finite entries are ignored)."""
    scale = 0.0
    for q in quantities:
        a = np.abs(np.asarray(q, dtype=float))
        a = a[np.isfinite(a)]
        if a.size:
            scale = max(scale, float(a.max()))
    return ulps * UNIT_ROUNDOFF * scale


def strictly_greater(lhs, rhs, *scale, ulps=MARGIN_ULPS):
    """``lhs > rhs + margin`` elementwise, the margin taken from ``lhs``, ``rhs`` and
    any further quantities in `scale` that entered their computation."""
    return np.asarray(lhs) > np.asarray(rhs) + margin(lhs, rhs, *scale, ulps=ulps)
