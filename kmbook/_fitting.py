"""Least-squares power laws on log-log axes, shared by the census and the rate chapters."""

import numpy as np


def loglog_fit(x, y, keep=None, error="a log-log fit needs at least two positive, finite (x, y) pairs in range."):
    """Fit ``log y = intercept + slope * log x`` over the pairs with positive, finite x and y.

    `keep`, an optional boolean mask, restricts the pairs further. Returns
    ``(slope, intercept)``; raises ValueError with the message `error` when
    fewer than two pairs remain.
    """
    ok = np.isfinite(x) & np.isfinite(y) & (x > 0) & (y > 0)
    if keep is not None:
        ok &= keep
    if ok.sum() < 2:
        raise ValueError(error)
    slope, intercept = np.polyfit(np.log(x[ok]), np.log(y[ok]), 1)
    return float(slope), float(intercept)
