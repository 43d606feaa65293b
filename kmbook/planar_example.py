"""Example 2 of Paper 1 in the plane: its local minimum and its 4x4 Hessian, exactly.

Paper: Paper 1 (Qian, Zhang, Chen), appendix, Example 2 and Figure 7.
Chapter: book/landscape/two_fit_three.

By the symmetry ``y -> -y`` the minimum near Example 2's point has both
effective centres on the horizontal axis, so the Voronoi boundary is a
vertical line ``x = t``. Everything then depends on the circular segment of
the middle disk left of ``t`` (:func:`segment`), and Lemma 2 reduces the
fixed-point problem to one equation in ``t`` (:func:`example2_minimum`).
The Hessian of ``G`` in the four coordinates of the two effective centres
follows from the facet formula (the Leibniz rule for a moving Voronoi facet)

``d2G/dbeta_i dbeta_j = (2/|beta_j - beta_i|) int_F (x - beta_i)(x - beta_j)^T f dS``
for ``i != j``, and
``d2G/dbeta_i^2 = 2 P(V_i) I - (2/|beta_j - beta_i|) int_F (x - beta_i)(x - beta_i)^T f dS``,

integrated over the chord ``F = {x = t, |y| <= sqrt(r^2 - t^2)}``
(:func:`example2_hessian`). The reduction and the Hessian are ours; the
tests compare them with quadrature and with finite differences of the
randomised quasi-Monte Carlo gradient.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import brentq

from . import _population_nd as _pn
from ._validation import as_real, check_positive, check_qmc
from .models import model_centers

__all__ = ["segment", "on_axis_cost", "centres_given_boundary", "example2_minimum", "example2_range_end",
           "example2_hessian", "finite_difference_hessian", "example2_proof_quantities"]


def _r(r):
    r = check_positive(r, "r")
    if r > 0.5:
        raise ValueError(f"r must be at most 1/2 (the disks of Example 2 overlap beyond); got r = {r}.")
    return r


def segment(t, r):
    """Area and first moment (in x) of the part of the disk of radius ``r`` left of ``x = t``.

    Paper: Paper 1, appendix, Example 2 (the set D that changes owner).
    Chapter: book/landscape/two_fit_three.

    Parameters
    ----------
    t : float
        Position of the vertical line, ``-r <= t <= r``.
    r : float
        Radius of the disk centred at the origin.

    Returns
    -------
    A, M : float
        ``A = t sqrt(r^2 - t^2) + r^2 arcsin(t/r) + pi r^2 / 2`` and
        ``M = -(2/3)(r^2 - t^2)^(3/2)``.

    Examples
    --------
    >>> A, M = segment(0.0, 1.0)      # half disk: area pi/2, moment -2/3
    >>> round(A, 12), round(M, 12)
    (1.570796326795, -0.666666666667)
    """
    r = check_positive(r, "r")
    if not -r <= t <= r:
        raise ValueError(f"t must lie in [-r, r] = [{-r}, {r}]; got t = {t}.")
    h2 = max(r * r - t * t, 0.0)
    A = t * math.sqrt(h2) + r * r * math.asin(t / r) + math.pi * r * r / 2
    M = -2.0 / 3.0 * h2**1.5
    return A, M


def centres_given_boundary(t, r):
    """Centres of mass (x-coordinates) of the two Voronoi sets when the boundary is ``x = t``.

    Paper: Paper 1, Lemma 2 applied to Example 2.
    Chapter: book/landscape/two_fit_three.

    Parameters
    ----------
    t : float
        The boundary, ``-r <= t <= r``.
    r : float
        Radius of Example 2's disks, ``0 < r <= 1/2``.

    Returns
    -------
    b1, b2 : float
        ``b1 = (-pi r^2 + M) / (pi r^2 + A)`` (disk at -1 plus the segment),
        ``b2 = (pi r^2 - M) / (2 pi r^2 - A)`` (rest of the middle disk plus the
        disk at 1).

    Examples
    --------
    >>> [round(v, 12) for v in centres_given_boundary(-0.25, 0.25)]
    [-1.0, 0.5]
    """
    t, r = as_real(t, "t"), _r(r)
    if not math.pi * r * r > 0:
        raise ValueError(f"r is too small: the disk area pi r^2 underflows to 0 in float64; got r = {r!r}.")
    A, M = segment(t, r)
    disk = math.pi * r * r
    return (-disk + M) / (disk + A), (disk - M) / (2 * disk - A)


def _fixed_point_residual(t, r):
    return sum(centres_given_boundary(t, r)) / 2 - t


def example2_range_end():
    """The radius at which Example 2's minimum ceases to exist (about 0.3010).

    The fixed-point equation ``(b1(t) + b2(t))/2 = t`` has a root in ``(-r, 0)``
    as long as its slope at ``t = 0`` (where it meets the symmetric 2-fit-3
    point) is positive; this returns the radius where that slope vanishes.

    Paper: Paper 1, appendix, Example 2 (the paper states ``r >= 1/4`` only).
    Chapter: book/landscape/two_fit_three.

    Examples
    --------
    >>> round(example2_range_end(), 4)
    0.301
    """
    def slope(r, h=1e-7):
        return (_fixed_point_residual(h, r) - _fixed_point_residual(-h, r)) / (2 * h)

    return float(brentq(slope, 0.26, 0.32, xtol=1e-13))


def example2_minimum(r, far=20.0):
    """The local minimum of Example 2 near ``((-1, 0), (1/2, 0))``, from the exact reduction.

    Paper: Paper 1, appendix, Example 2.
    Chapter: book/landscape/two_fit_three.

    Parameters
    ----------
    r : float
        Radius, ``0 < r < example2_range_end()``. For ``r <= 1/4`` the
        boundary misses the middle disk and the answer is the paper's point.
    far : float, default=20.0
        Height of the third centre, which owns no mass.

    Returns
    -------
    t : float
        The Voronoi boundary ``x = t`` (the root of the fixed-point equation
        in ``(-r, 0)`` nearest ``-r``).
    centers : ndarray of shape (3, 2)
        ``((b1, 0), (b2, 0), (0, far))``.

    Raises
    ------
    ValueError
        If ``r`` is at or beyond the end of the range, where no such fixed
        point exists.

    Examples
    --------
    >>> t, C = example2_minimum(0.27)
    >>> round(t, 6), C[:2, 0].round(6).tolist()
    (-0.234301, [-0.979338, 0.510737])
    """
    r = _r(r)
    far = check_positive(far, "far")
    if r <= 0.25:
        return -0.25, np.array([[-1.0, 0.0], [0.5, 0.0], [0.0, far]])
    grid = np.linspace(-r, -1e-9, 4001)
    vals = np.array([_fixed_point_residual(t, r) for t in grid])
    idx = np.flatnonzero(np.sign(vals[1:]) * np.sign(vals[:-1]) < 0)
    if idx.size == 0:
        raise ValueError(
            f"Example 2 has no fixed point with its boundary in (-r, 0) at r = {r}: the minimum "
            f"exists only for r < {example2_range_end():.4f}."
        )
    i = idx[0]
    t = float(brentq(_fixed_point_residual, grid[i], grid[i + 1], args=(r,), xtol=1e-15))
    b1, b2 = centres_given_boundary(t, r)
    return t, np.array([[b1, 0.0], [b2, 0.0], [0.0, far]])


def example2_hessian(r):
    """Exact Hessian of ``G`` at Example 2's minimum in ``(b1x, b1y, b2x, b2y)``.

    Paper: Paper 1, appendix, Example 2 (the paper argues minimality by
    continuity; this is the second-order check).
    Chapter: book/landscape/two_fit_three.

    Parameters
    ----------
    r : float
        Radius, ``1/4 < r < example2_range_end()`` (for ``r <= 1/4`` the
        boundary misses the disk and the Hessian is ``2 diag(m1, m1, m2, m2)``
        with masses ``1/3`` and ``2/3``).

    Returns
    -------
    ndarray of shape (4, 4)
        Ordered like ``population_gradient(...)[:2].ravel()``. The third centre
        owns no mass and contributes zero rows and columns (omitted).

    Notes
    -----
    With mixture density ``f = 1/(3 pi r^2)`` on each disk, chord half-length
    ``h = sqrt(r^2 - t^2)``, gap ``L = b2 - b1`` and masses
    ``m1 = (pi r^2 + A)/(3 pi r^2)``, ``m2 = 1 - m1``, the facet integrals are
    ``int dS = 2h``, ``int y dS = 0``, ``int y^2 dS = 2h^3/3``; the x and y
    coordinates decouple.

    Examples
    --------
    >>> H = example2_hessian(0.27)
    >>> bool(np.all(np.linalg.eigvalsh(H) > 0))
    True
    """
    r = _r(r)
    t, C = example2_minimum(r)
    b1, b2 = C[0, 0], C[1, 0]
    disk = math.pi * r * r
    A, _ = segment(t, r) if r > 0.25 else (0.0, 0.0)
    m1 = (disk + A) / (3 * disk)
    m2 = 1.0 - m1
    h = math.sqrt(max(r * r - t * t, 0.0))
    f = 1.0 / (3 * disk)
    L = b2 - b1
    cx = 2.0 / L * f * 2 * h                    # x-x facet weight, times (t - b_i)(t - b_j)
    cy = 2.0 / L * f * 2 * h**3 / 3              # y-y facet integral
    H = np.zeros((4, 4))
    H[0, 0] = 2 * m1 - cx * (t - b1) ** 2
    H[2, 2] = 2 * m2 - cx * (t - b2) ** 2
    H[0, 2] = H[2, 0] = cx * (t - b1) * (t - b2)
    H[1, 1] = 2 * m1 - cy
    H[3, 3] = 2 * m2 - cy
    H[1, 3] = H[3, 1] = cy
    return H


def finite_difference_hessian(model, centers, h=1e-2, *, n_points=2**16, n_reps=8, rng=0):
    """Central-difference Hessian of ``G`` from quasi-Monte Carlo gradients, with its error.

    Each replicate of randomised QMC nodes gives its own gradient (Lemma 1)
    at ``centers +- h e_a``; the difference quotients are averaged over the
    replicates and their standard error is returned. Both sides use the same
    nodes, so the noise largely cancels. The truncation error is ``O(h^2)``
    where ``G`` is smooth.

    Paper: Paper 1, Lemma 1 (the gradient this differentiates).
    Chapter: book/landscape/two_fit_three.

    Parameters
    ----------
    model : BallMixture or GaussianMixture
        A model with ``d >= 2``.
    centers : array-like of shape (k, d)
    h : float, default=1e-2
        Step of the central difference.
    n_points, n_reps, rng :
        The quasi-Monte Carlo node set, as in
        :func:`kmbook.objective.population_gradient`.

    Returns
    -------
    H : ndarray of shape (k*d, k*d)
        Symmetrised estimate, ordered like ``centers.ravel()``.
    error : ndarray of shape (k*d, k*d)
        Standard error over the replicates.

    Examples
    --------
    >>> from kmbook.examples import example2
    >>> model, beta = example2(0.2)      # boundary in the gap: H = 2 diag(masses)
    >>> H, err = finite_difference_hessian(model, beta, n_points=2**12)
    >>> np.round(np.diag(H)[:4], 6).tolist()
    [0.666667, 0.666667, 1.333333, 1.333333]
    """
    C = model_centers(model, centers)
    h = check_positive(h, "h")
    n_points, n_reps = check_qmc(n_points, n_reps)
    X = _pn.nodes(model, n_points, n_reps, rng)
    n = C.size
    cols = np.empty((n_reps, n, n))
    for a in range(n):
        e = np.zeros(n)
        e[a] = h
        gp = _pn.replicate_estimates(model, C + e.reshape(C.shape), X)[1].reshape(n_reps, n)
        gm = _pn.replicate_estimates(model, C - e.reshape(C.shape), X)[1].reshape(n_reps, n)
        cols[:, :, a] = (gp - gm) / (2 * h)
    cols = (cols + cols.transpose(0, 2, 1)) / 2
    H, err = _pn.mean_and_error(cols)
    return H, err


def example2_proof_quantities(r):
    """Inequalities (18), (19) and expansion (17) of Paper 1 at Example 2's minimum.

    For the boundary ``x = t`` between the two effective centres and the middle
    disk ``s``: ``d = (b2 - b1)/2``; ``rho = 2h / (pi r^2)`` (chord length over
    disk area, ``h = sqrt(r^2 - t^2)``); ``D = 0`` (the midpoint ``(t, 0)`` lies
    on the chord). Along the translation ``v_1 = v_2 = (1, 0)`` expansion (17)
    gives ``1 - (2/k*) d rho``; along the rotation ``v_1 = -v_2 = (0, 1)`` it
    gives ``1 - (2/k*)(D^2/d) rho = 1``. The exact values are half the
    Hessian's quadratic forms along those directions. Both directions move
    only the two effective centres (``v_3 = 0``), so the unit-norm condition
    (13) fails for the far centre; it owns no mass, so (15) is still 1.

    Paper: Paper 1, proof of Theorem 4, eqs. (17)-(19).
    Chapter: book/landscape/bounds.

    Returns
    -------
    dict
        ``d``, ``rho``, ``D``, ``ineq18`` (``d rho``), ``ineq19``
        (``D^2 rho / d``), ``bound`` (``k*/2``), ``translation`` and
        ``rotation`` (pairs: the paper's coefficient, the exact value).

    Examples
    --------
    >>> q = example2_proof_quantities(0.27)
    >>> bool(q["ineq18"] <= q["bound"] and abs(q["translation"][0] - q["translation"][1]) < 1e-12)
    True
    """
    r = _r(r)
    t, C = example2_minimum(r)
    H = example2_hessian(r)
    d = (C[1, 0] - C[0, 0]) / 2
    h = math.sqrt(max(r * r - t * t, 0.0))
    rho = 2 * h / (math.pi * r * r)
    D = 0.0
    vt = np.array([1.0, 0.0, 1.0, 0.0])
    vr = np.array([0.0, 1.0, 0.0, -1.0])
    return dict(d=d, rho=rho, D=D, ineq18=d * rho, ineq19=D * D * rho / d, bound=1.5,
                translation=(1 - 2 / 3 * d * rho, vt @ H @ vt / 2),
                rotation=(1 - 2 / 3 * D * D / d * rho, vr @ H @ vr / 2))


def on_axis_cost(a, b, r):
    """Exact ``G`` of Example 2's model for two centres ``(a, 0)``, ``(b, 0)`` on the axis.

    The third centre is far away and owns no mass. With both centres on the
    x-axis the Voronoi boundary is the vertical line ``x = (a + b)/2``, and on a
    vertical chord of half-length ``h`` the mean of ``y^2`` is ``h^2/3``; so
    ``G`` is a one-dimensional integral over each disk, computed by adaptive
    quadrature in the angle ``x = c + r sin(theta)`` (smooth integrand, split
    at the boundary). An independent check of the horizontal block of
    :func:`example2_hessian`, by finite differences.

    Paper: Paper 1, appendix, Example 2.
    Chapter: book/landscape/two_fit_three.

    Parameters
    ----------
    a, b : float
        Horizontal positions of the two centres, ``a < b``.
    r : float
        Radius of the three disks at ``(-1, 0), (0, 0), (1, 0)``.

    Returns
    -------
    float
        ``G``.

    Examples
    --------
    At ``r = 1/4`` the middle and right disks belong to ``(1/2, 0)``:
    ``G = (3 r^2/2 + 1/4 + 1/4) / 3``.

    >>> round(on_axis_cost(-1.0, 0.5, 0.25), 10)
    0.1979166667
    """
    from scipy.integrate import quad

    r = _r(r)
    if not a < b:
        raise ValueError(f"on_axis_cost needs a < b; got a = {a}, b = {b}.")
    m = (a + b) / 2

    def integrand(theta, c):
        x = c + r * math.sin(theta)
        h = r * math.cos(theta)
        beta = a if x < m else b
        return 2 * h * ((x - beta) ** 2 + h * h / 3) * h

    total = 0.0
    for c in (-1.0, 0.0, 1.0):
        cuts = [-math.pi / 2, math.pi / 2]
        if c - r < m < c + r:
            cuts.insert(1, math.asin((m - c) / r))
        for lo, hi in zip(cuts[:-1], cuts[1:]):
            total += quad(integrand, lo, hi, args=(c,), epsabs=1e-15, epsrel=1e-13)[0]
    return total / (3 * math.pi * r * r)
