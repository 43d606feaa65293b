"""How far Example 2's local minimum survives: a scan of its fixed-point equation.

Paper: Paper 1, appendix, Example 2 (the paper takes ``r >= 1/4``).
Chapter: book/landscape/two_fit_three.

By the symmetry ``y -> -y`` the minimum near Example 2's point has its Voronoi
boundary on a vertical line ``x = t``, and Lemma 2 reduces it to one equation
in ``t`` (:func:`kmbook.planar_example.centres_given_boundary`). A root in
``(-r, 0)`` is a fixed point with its boundary inside the middle cluster;
``t = 0``, the symmetric 2-fit-3 point, is a root for every ``r``.
:func:`kmbook.planar_example.example2_range_end` finds where the slope at
``t = 0`` changes sign (an existence argument); the scan here looks for roots
directly, so it can also show that there are none.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_real, check_choice, check_int, check_positive
from .planar_example import centres_given_boundary

__all__ = ["example2_residual", "example2_root_scan"]


def _radius(r):
    r = check_positive(r, "r")
    if r > 0.5:
        raise ValueError(f"r must be at most 1/2 (the disks of Example 2 overlap beyond); got r = {r}.")
    return r


def example2_residual(t, r, *, geometry="plane"):
    """Residual ``(b1(t) + b2(t))/2 - t`` of Example 2's fixed-point equation in the boundary ``t``.

    Paper: Paper 1, appendix, Example 2.
    Chapter: book/landscape/two_fit_three.

    Parameters
    ----------
    t : float
        Boundary position, ``-r <= t <= r``.
    r : float
        Radius, ``0 < r <= 1/2``.
    geometry : {"plane", "line"}, default="plane"
        Disks of radius ``r`` at ``(-1, 0), (0, 0), (1, 0)`` (the paper's
        example) or intervals of half-width ``r`` at ``-1, 0, 1`` (the same
        configuration on a line).

    Examples
    --------
    >>> round(example2_residual(-0.25, 0.25), 12)   # the paper's point at r = 1/4
    0.0
    >>> round(example2_residual(-0.25, 0.25, geometry="line"), 12)
    0.0
    """
    r = _radius(r)
    geometry = check_choice(geometry, "geometry", ("plane", "line"))
    t = as_real(t, "t")
    if not -r <= t <= r:
        raise ValueError(f"t must lie in [-r, r] = [{-r}, {r}]; got t = {t}.")
    if geometry == "plane":
        b1, b2 = centres_given_boundary(t, r)
    else:  # interval masses and moments of the left part of the middle interval
        A, M, D = t + r, (t * t - r * r) / 2, 2 * r
        b1, b2 = (-D + M) / (D + A), (D - M) / (2 * D - A)
    return (b1 + b2) / 2 - t


def example2_root_scan(r, *, geometry="plane", n=2000):
    """Scan ``(-r, 0)`` for roots of :func:`example2_residual` (fixed points other than ``t = 0``).

    The residual vanishes at ``t = 0`` for every ``r``, so the scan uses the
    residual divided by ``-t``, which has the same roots in ``(-r, 0)`` and a
    finite limit at 0.

    Paper: Paper 1, appendix, Example 2 (the range of ``r``).
    Chapter: book/landscape/two_fit_three.

    Parameters
    ----------
    r : float
    geometry : {"plane", "line"}, default="plane"
    n : int, default=2000
        Grid points in ``(-r, 0)`` (end points excluded).

    Returns
    -------
    roots : ndarray
        Midpoints of the grid cells where the scaled residual changes sign.
    smallest : float
        Smallest absolute scaled residual on the grid.
    largest_step : float
        Largest change of the scaled residual between neighbouring grid
        points. With no sign change and ``smallest > largest_step`` the
        residual also stays away from zero between grid points, unless it
        varies much faster there than anywhere on the grid.

    Examples
    --------
    >>> roots, smallest, step = example2_root_scan(0.28)
    >>> len(roots), round(float(roots[0]), 2)
    (1, -0.21)
    """
    r = _radius(r)
    n = check_int(n, "n", minimum=10)
    ts = np.linspace(-r, 0.0, n + 2)[1:-1]
    vals = np.array([example2_residual(t, r, geometry=geometry) / (-t) for t in ts])
    change = np.flatnonzero(np.sign(vals[:-1]) != np.sign(vals[1:]))
    roots = (ts[change] + ts[change + 1]) / 2
    return roots, float(np.abs(vals).min()), float(np.abs(np.diff(vals)).max())
