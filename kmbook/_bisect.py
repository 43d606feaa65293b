"""Smallest value at which a monotone test holds: doubling, then bisection.

Chapter: book/convex/peng_wei, book/convex/phase_transitions (thresholds in the separation).
"""

from __future__ import annotations


def smallest_passing(passes, start, rel=1e-12):
    """Smallest ``delta`` at which the monotone test `passes` holds (doubling from `start`,
    then bisection to a relative `rel`); returns the upper end of the final bracket."""
    hi = start
    while not passes(hi):
        hi *= 2
    lo = 0.0
    while hi - lo > rel * hi:
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if passes(mid) else (mid, hi)
    return hi
