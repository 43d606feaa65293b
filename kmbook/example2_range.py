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
directly, and :func:`example2_no_root_certificate` proves that there are none
(interval enclosures built from the monotonicity of the segment's area and
moment, whose derivatives are closed forms).
"""

from __future__ import annotations

import numpy as np

from ._validation import as_real, check_choice, check_int, check_positive
from .planar_example import centres_given_boundary

__all__ = ["example2_no_root_certificate", "example2_residual", "example2_root_scan"]


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


def _segment_and_slopes(t, r, geometry):
    """Area A, moment M of the middle cluster's part left of ``x = t``, dA/dt and dM/dt; and D."""
    if geometry == "plane":
        w = np.sqrt(max(r * r - t * t, 0.0))
        A = r * r * np.arccos(-t / r) + t * w  # integral of 2 sqrt(r^2 - x^2) from -r to t
        return A, -2.0 / 3.0 * w**3, 2 * w, 2 * t * w, np.pi * r * r
    return t + r, (t * t - r * r) / 2, 1.0, t, 2 * r


def _mul(x, y):
    p = (x[0] * y[0], x[0] * y[1], x[1] * y[0], x[1] * y[1])
    return min(p), max(p)


def _div(x, y):  # y > 0
    return _mul(x, (1 / y[1], 1 / y[0]))


def _enclosures(a, b, r, geometry):
    """Intervals containing F(t) and F'(t) for every t in [a, b] (a < b <= 0)."""
    Aa, Ma, dAa, _, D = _segment_and_slopes(a, r, geometry)
    Ab, Mb, dAb, _, _ = _segment_and_slopes(b, r, geometry)
    A, M = (Aa, Ab), (Mb, Ma)  # A increases (dA >= 0), M decreases (dM = t dA <= 0)
    dA = (min(dAa, dAb), max(dAa, dAb))  # monotone on [-r, 0]
    dM = _mul((a, b), dA)
    N1, P1 = (M[0] - D, M[1] - D), (D + A[0], D + A[1])
    N2, P2 = (D - M[1], D - M[0]), (2 * D - A[1], 2 * D - A[0])
    b1, b2 = _div(N1, P1), _div(N2, P2)
    F = ((b1[0] + b2[0]) / 2 - b, (b1[1] + b2[1]) / 2 - a)
    num1 = (_mul(dM, P1)[0] - _mul(N1, dA)[1], _mul(dM, P1)[1] - _mul(N1, dA)[0])
    num2 = (_mul(N2, dA)[0] - _mul(dM, P2)[1], _mul(N2, dA)[1] - _mul(dM, P2)[0])
    d1, d2 = _div(num1, _mul(P1, P1)), _div(num2, _mul(P2, P2))
    return F, ((d1[0] + d2[0]) / 2 - 1, (d1[1] + d2[1]) / 2 - 1)


def example2_no_root_certificate(r, *, geometry="plane", n=256, max_depth=40, margin=1e-12):
    """Prove that Example 2's fixed-point residual has no root in ``(-r, 0)``, or return where it fails.

    The residual ``F(t) = (b1 + b2)/2 - t`` is built from the area ``A(t)`` and
    moment ``M(t)`` of the middle cluster's part left of the boundary, with
    closed-form derivatives ``dA/dt = 2 sqrt(r^2 - t^2)`` and ``dM/dt = t dA/dt``
    (plane; 1 and ``t`` on the line): ``A`` increases and ``M`` decreases on
    ``[-r, 0]``. Interval arithmetic on these monotone pieces encloses ``F`` and
    ``F'`` on any cell. A cell ``[a, b]`` is certified when the enclosure of
    ``F`` excludes 0 by more than `margin` (a floating-point allowance), or,
    for a cell ending at ``b = 0`` (where ``F(0) = 0`` by symmetry), when the
    enclosure of ``F'`` excludes 0, so ``F`` is strictly monotone there and
    vanishes only at 0. Uncertified cells are bisected up to `max_depth` times.
    The closed cells cover ``[-r, 0]``, end cells included. Like the scan, it
    concerns the ``y -> -y`` symmetric fixed points (vertical boundary).

    Paper: Paper 1, appendix, Example 2 (the range of ``r``).
    Chapter: book/landscape/two_fit_three.

    Parameters
    ----------
    r : float
    geometry : {"plane", "line"}, default="plane"
    n : int, default=256
        Initial equal cells of ``[-r, 0]``.
    max_depth : int, default=40
    margin : float, default=1e-12

    Returns
    -------
    certified : bool
        True when every cell is certified: no root in ``(-r, 0)``.
    n_cells : int
        Cells used.
    failed : list of tuple
        Cells ``(a, b)`` left uncertified at `max_depth` (they contain a root,
        or the enclosure cannot separate it from 0).

    Examples
    --------
    >>> example2_no_root_certificate(0.35)[0], example2_no_root_certificate(0.28)[0]
    (True, False)
    """
    r = _radius(r)
    geometry = check_choice(geometry, "geometry", ("plane", "line"))
    n = check_int(n, "n", minimum=1)
    max_depth = check_int(max_depth, "max_depth", minimum=0)
    margin = float(margin)
    edges = np.linspace(-r, 0.0, n + 1)
    stack = [(float(a), float(b), 0) for a, b in zip(edges[:-1], edges[1:])]
    stack[-1] = (stack[-1][0], 0.0, 0)
    n_cells, failed = 0, []
    while stack:
        a, b, depth = stack.pop()
        n_cells += 1
        F, dF = _enclosures(a, b, r, geometry)
        if F[0] > margin or F[1] < -margin or (b == 0.0 and (dF[0] > margin or dF[1] < -margin)):
            continue
        if depth >= max_depth:
            failed.append((a, b))
            if len(failed) > 50:
                break
            continue
        m = (a + b) / 2
        stack += [(a, m, depth + 1), (m, b, depth + 1)]
    return not failed and not stack, n_cells, failed
