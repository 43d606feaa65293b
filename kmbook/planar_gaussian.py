"""Population k-means for a Gaussian mixture in the plane by one-dimensional quadrature.

Paper: Paper 1, eq. (3) (population objective ``G``), Lemma 1 (gradient),
Lemma 2 (centre-of-mass fixed points) and Figure 1 (the planar mixture whose
candidate solutions the book classifies by their Hessians).
Chapter: book/landscape/figure1.

The quasi-Monte Carlo engine of :mod:`kmbook.population` estimates ``G`` in the
plane with an error of order 1e-5; second differences of those estimates
cannot resolve eigenvalues of the Hessian near zero. For a spherical Gaussian
mixture in ``d = 2`` every quantity needed reduces to one-dimensional
integrals:

* the Voronoi cell of a centre is a convex polygon (clipped to a box far in
  the tails); its mass, first and second moments under a component centred at
  ``c`` are sums over the polygon's edges of signed triangles ``(c, a, b)``,
  integrated in polar coordinates about ``c``: the radial integral is closed
  form and the angular one, written along the edge, by composite Gauss-Legendre quadrature;
* the Hessian is (moving-boundary rule, as in the proof of Proposition 2 and in
  :func:`kmbook.planar_example.example2_hessian`)

  ``H_ii = 2 P(V_i) I - sum_j (2/|b_j - b_i|) int_{F_ij} (x - b_i)(x - b_i)^T f dS``,
  ``H_ij = (2/|b_j - b_i|) int_{F_ij} (x - b_i)(x - b_j)^T f dS``,

  where ``F_ij`` is the common edge of the cells of ``b_i`` and ``b_j``; along
  a straight edge a Gaussian times a quadratic is a closed form in the normal
  distribution function.

The quadrature is fixed-order Gauss-Legendre (no adaptive tolerance); orders
20 and 40 agree to about 1e-15, which bounds the rule's error but not a wrong
formula. The tests therefore also compare with an independent chord-wise
adaptive quadrature (tests/test_planar_chordwise.py: G to 1e-10, the 1b
rotation curvature to 1e-8), the QMC engine, finite differences of the
gradient and the exact one-dimensional Hessian of a collinear mixture.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import erf
from scipy.stats import norm

from ._validation import check_distinct, check_int, check_nonnegative
from .exceptions import ConvergenceWarning
from .models import GaussianMixture, model_centers

__all__ = ["ORDER", "PlanarMoments", "planar_moments", "planar_cost", "planar_gradient", "planar_hessian",
           "PlanarStationaryPoint", "planar_stationary_point"]

def _check(model, centers, name="centers"):
    if not isinstance(model, GaussianMixture) or model.d != 2:
        raise ValueError("model must be a GaussianMixture in d = 2 (the planar engine integrates "
                         "spherical Gaussians over polygons); use kmbook.population for other models.")
    C = model_centers(model, centers, name)
    check_distinct(C, f"{name} must be pairwise distinct; two rows coincide (Voronoi cells undefined).")
    return C


def _box(model, C):
    pts = np.vstack([C, model.centers])
    pad = 40.0 * model.sigma + 1.0
    return pts.min(axis=0) - pad, pts.max(axis=0) + pad


def _cell(C, i, lo, hi):
    """Vertices (counter-clockwise) of the Voronoi cell of C[i] clipped to the box."""
    poly = [np.array(p, float) for p in ((lo[0], lo[1]), (hi[0], lo[1]), (hi[0], hi[1]), (lo[0], hi[1]))]
    for j in range(len(C)):
        if j == i:
            continue
        n, off = C[j] - C[i], (C[j] @ C[j] - C[i] @ C[i]) / 2  # keep n.x <= off
        out = []
        for a, b in zip(poly, poly[1:] + poly[:1]):
            fa, fb = n @ a - off, n @ b - off
            if fa <= 0:
                out.append(a)
            if fa * fb < 0:
                out.append(a + (b - a) * fa / (fa - fb))
        poly = out
        if not poly:
            break
    return poly


#: Gauss-Legendre points per panel (the ``order`` argument); a second order gives an error estimate.
ORDER = 20
#: Panel ends around the foot of the perpendicular, in units of sigma (geometric grading).
_GRADING = np.concatenate([[0.0], 0.25 * 2.0 ** np.arange(0, 12)])


def _radial_over(rho, s):
    """Integrals over r in [0, rho] of r^p e^{-r^2/2s^2}/(2 pi s^2) r dr, p = 0, 1, 2, divided by rho^(2+p).

    Vectorised; series near rho = 0 avoid the cancellation of the closed forms.
    """
    x = np.asarray(rho, float) / s
    v = x * x / 2
    small = x < 1e-2
    xs = np.where(small, 1.0, x)  # closed forms on a safe argument, replaced below where small
    vs = xs * xs / 2
    e = np.exp(-vs)
    j0 = np.where(small, 0.5 - v / 2 + v * v / 6, -np.expm1(-vs) / (xs * xs))
    j1 = np.where(small, 1 / 3 - x * x / 10 + x**4 / 56,
                  (np.sqrt(np.pi / 2) * erf(xs / np.sqrt(2)) - xs * e) / xs**3)
    j2 = np.where(small, 0.125 - v / 12 + v * v / 32, (-np.expm1(-vs) - vs * e) / xs**4)
    norm_ = 2 * np.pi * s * s
    return j0 / norm_, j1 / norm_, 2 * j2 / norm_


def _nodes(lo, hi, foot, s, order):
    """Composite Gauss-Legendre nodes and weights on [lo, hi], panels graded away from `foot`."""
    gx, gw = np.polynomial.legendre.leggauss(order)
    marks = np.concatenate([foot - s * _GRADING, foot + s * _GRADING, [lo, hi]])
    marks = np.unique(np.clip(marks, lo, hi))
    a, b = marks[:-1, None], marks[1:, None]
    x = (a + b) / 2 + (b - a) / 2 * gx[None, :]
    w = (b - a) / 2 * gw[None, :]
    return x.ravel(), w.ravel()


def _triangle(c, a, b, s, order):
    """Mass, first moment of (x - c) and second moment of |x - c|^2 on triangle (c, a, b), signed.

    Polar coordinates about ``c``: the radial integral is closed form and the
    angular one is written along the edge ``a -> b`` (``dtheta = h dl / rho^2``,
    ``h`` the signed distance from ``c`` to the edge's line), which stays
    smooth when ``c`` is close to that line; composite Gauss-Legendre
    quadrature with panels graded away from the foot of the perpendicular.
    """
    pa, pb = a - c, b - c
    cross = pa[0] * pb[1] - pa[1] * pb[0]
    edge = b - a
    length = np.hypot(*edge)
    if length == 0 or cross == 0:
        return 0.0, np.zeros(2), 0.0
    h = cross / length  # signed: positive for a counter-clockwise sweep
    tangent = edge / length
    ell, w = _nodes(0.0, length, -(pa @ tangent), s, order)
    q = pa[None, :] + ell[:, None] * tangent[None, :]
    rho = np.hypot(q[:, 0], q[:, 1])
    j0, j1, j2 = _radial_over(rho, s)
    w = w * h
    return float(w @ j0), (w * j1) @ q, float(w @ (j2 * rho * rho))


@dataclass(frozen=True)
class PlanarMoments:
    """Per-cell integrals of the mixture density (from :func:`planar_moments`).

    Attributes
    ----------
    masses : ndarray of shape (k,)
        ``P(V_i)``.
    firsts : ndarray of shape (k, 2)
        ``int_{V_i} x f(x) dx``.
    seconds : ndarray of shape (k,)
        ``int_{V_i} |x|^2 f(x) dx``.
    """

    masses: np.ndarray
    firsts: np.ndarray
    seconds: np.ndarray


def planar_moments(model, centers, *, order=ORDER):
    """Mass, first and second moments of every Voronoi cell under a planar Gaussian mixture.

    Paper: Paper 1, eqs. (5) and (8) (Voronoi sets; ``G`` as a sum over them).
    Chapter: book/landscape/figure1.

    Parameters
    ----------
    model : GaussianMixture with ``d = 2``
    centers : array-like of shape (k, 2), pairwise distinct
    order : int, default=ORDER
        Gauss-Legendre points per quadrature panel; comparing two orders
        estimates the quadrature error.

    Returns
    -------
    PlanarMoments
    """
    C = _check(model, centers)
    order = check_int(order, "order", minimum=4)
    lo, hi = _box(model, C)
    s, w = model.sigma, 1.0 / model.k_star
    k = len(C)
    masses, firsts, seconds = np.zeros(k), np.zeros((k, 2)), np.zeros(k)
    for i in range(k):
        poly = _cell(C, i, lo, hi)
        for c in model.centers:
            for a, b in zip(poly, poly[1:] + poly[:1]):
                m0, m1, m2 = _triangle(c, a, b, s, order)
                masses[i] += w * m0
                firsts[i] += w * (m1 + c * m0)
                seconds[i] += w * (m2 + 2 * c @ m1 + (c @ c) * m0)
    return PlanarMoments(masses, firsts, seconds)


def planar_cost(model, centers, *, order=ORDER):
    """``G(beta)`` for a planar Gaussian mixture, by one-dimensional quadrature.

    Paper: Paper 1, eq. (3).
    Chapter: book/landscape/figure1.

    Examples
    --------
    >>> from kmbook.models import GaussianMixture
    >>> m = GaussianMixture([[0.0, 0.0], [10.0, 0.0]], sigma=0.5)
    >>> round(planar_cost(m, [[0.0, 0.0], [10.0, 0.0]]), 12)  # 2 sigma^2 (tails beyond 10 sigma)
    0.5
    """
    C = _check(model, centers)
    mom = planar_moments(model, C, order=order)
    return float(np.sum(mom.seconds - 2 * np.einsum("ij,ij->i", C, mom.firsts)
                        + mom.masses * np.einsum("ij,ij->i", C, C)))


def planar_gradient(model, centers, *, order=ORDER):
    """Gradient of ``G`` (Lemma 1): row ``i`` is ``2 (P(V_i) b_i - int_{V_i} x f)``.

    Paper: Paper 1, Lemma 1; it vanishes exactly at the points of Lemma 2, eq. (9).
    Chapter: book/landscape/figure1.
    """
    C = _check(model, centers)
    mom = planar_moments(model, C, order=order)
    return 2 * (mom.masses[:, None] * C - mom.firsts)


def _edge_integral(model, p, u, s0, s1, A, B):
    """int_{s0}^{s1} (A + s u)(B + s u)^T f(p + s u) ds for the mixture density f."""
    s, w = model.sigma, 1.0 / model.k_star
    out = np.zeros((2, 2))
    for c in model.centers:
        sc = (c - p) @ u
        d2 = (p + sc * u - c) @ (p + sc * u - c)
        z0, z1 = (s0 - sc) / s, (s1 - sc) / s
        e0 = np.exp(-z0 * z0 / 2) if np.isfinite(z0) else 0.0
        e1 = np.exp(-z1 * z1 / 2) if np.isfinite(z1) else 0.0
        i0 = np.sqrt(2 * np.pi) * (norm.cdf(z1) - norm.cdf(z0))
        i1 = e0 - e1
        i2 = i0 + (z0 * e0 if np.isfinite(z0) else 0.0) - (z1 * e1 if np.isfinite(z1) else 0.0)
        # moments of s = sc + sigma z against e^{-z^2/2} sigma dz
        n0 = s * i0
        n1 = s * (sc * i0 + s * i1)
        n2 = s * (sc * sc * i0 + 2 * sc * s * i1 + s * s * i2)
        scale = w * np.exp(-d2 / (2 * s * s)) / (2 * np.pi * s * s)
        out += scale * (n0 * np.outer(A, B) + n1 * (np.outer(A, u) + np.outer(u, B)) + n2 * np.outer(u, u))
    return out


def _facet(C, i, j, lo, hi):
    """Common edge of the cells of C[i] and C[j]: point, unit tangent and parameter range, or None."""
    n = C[j] - C[i]
    D = np.hypot(*n)
    p = (C[i] + C[j]) / 2
    u = np.array([-n[1], n[0]]) / D
    s0, s1 = -np.inf, np.inf
    cons = [(C[m] - C[i], (C[m] @ C[m] - C[i] @ C[i]) / 2) for m in range(len(C)) if m not in (i, j)]
    cons += [(np.array(v), bound) for v, bound in (((1, 0), hi[0]), ((0, 1), hi[1]))]
    cons += [(np.array(v), -bound) for v, bound in (((-1, 0), lo[0]), ((0, -1), lo[1]))]
    for a, off in cons:  # a.(p + s u) <= off
        au, slack = a @ u, off - a @ p
        if abs(au) < 1e-15:
            if slack < 0:
                return None
            continue
        if au > 0:
            s1 = min(s1, slack / au)
        else:
            s0 = max(s0, slack / au)
    return (p, u, s0, s1, D) if s1 > s0 else None


def planar_hessian(model, centers, *, order=ORDER):
    """Hessian of ``G`` for a planar Gaussian mixture, shape ``(2k, 2k)``, ordered like ``centers.ravel()``.

    Paper: Paper 1, Lemma 1 differentiated once more (the moving-boundary
    rule the paper uses for Proposition 2 and Appendix Example 1).
    Chapter: book/landscape/figure1.

    Notes
    -----
    ``H_ii = 2 P(V_i) I - sum_j (2/D_ij) int_{F_ij} (x - b_i)(x - b_i)^T f dS`` and
    ``H_ij = (2/D_ij) int_{F_ij} (x - b_i)(x - b_j)^T f dS``, ``D_ij = |b_j - b_i|``.
    The masses come from :func:`planar_moments`, the edge integrals are
    closed forms.

    Examples
    --------
    >>> from kmbook.models import GaussianMixture
    >>> m = GaussianMixture([[0.0, 0.0], [10.0, 0.0]], sigma=0.5)
    >>> np.round(planar_hessian(m, [[0.0, 0.0], [10.0, 0.0]]), 12).diagonal().tolist()  # 2 P(V_i) I
    [1.0, 1.0, 1.0, 1.0]
    """
    C = _check(model, centers)
    k = len(C)
    lo, hi = _box(model, C)
    H = np.zeros((2 * k, 2 * k))
    masses = planar_moments(model, C, order=order).masses
    for i in range(k):
        H[2 * i:2 * i + 2, 2 * i:2 * i + 2] += 2 * masses[i] * np.eye(2)
        for j in range(k):
            if j == i:
                continue
            facet = _facet(C, i, j, lo, hi)
            if facet is None:
                continue
            p, u, s0, s1, D = facet
            A, B = p - C[i], p - C[j]
            H[2 * i:2 * i + 2, 2 * i:2 * i + 2] -= 2 / D * _edge_integral(model, p, u, s0, s1, A, A)
            H[2 * i:2 * i + 2, 2 * j:2 * j + 2] += 2 / D * _edge_integral(model, p, u, s0, s1, A, B)
    return (H + H.T) / 2


@dataclass(frozen=True)
class PlanarStationaryPoint:
    """Result of :func:`planar_stationary_point`.

    Attributes
    ----------
    centers : ndarray of shape (k, 2)
    gradient_norm : float
        Euclidean norm of the gradient at `centers`.
    hessian : ndarray of shape (2k, 2k)
    eigenvalues : ndarray of shape (2k,)
        Ascending.
    eigenvectors : ndarray of shape (2k, 2k)
        Columns, ordered like `eigenvalues`; rows ordered like ``centers.ravel()``.
    n_lloyd, n_newton : int
        Iterations of each phase.
    converged : bool
        ``gradient_norm <= gtol``.
    is_minimum : bool
        Smallest Hessian eigenvalue > 0 (a strict local minimum when converged).
    """

    centers: np.ndarray
    gradient_norm: float
    hessian: np.ndarray
    eigenvalues: np.ndarray
    eigenvectors: np.ndarray
    n_lloyd: int
    n_newton: int
    converged: bool
    is_minimum: bool = False


def planar_stationary_point(model, init, *, lloyd_steps=0, newton_steps=20, gtol=1e-10, saddle_free=False,
                            order=ORDER):
    """Solve ``grad G = 0`` from `init` (Lloyd steps, then Newton) and return the Hessian there.

    Newton's method converges to a stationary point near its start whatever
    its index, so it finds saddles as well as minima; the eigenvalues then say
    which it is. With ``saddle_free=True`` each step divides by the absolute
    values of the Hessian's eigenvalues, so it moves downhill along negative
    curvature: it is repelled by saddles and generically ends at a local
    minimum. Its fixed points are still all stationary points, saddles
    included: started on a symmetric subspace whose gradient has no component
    along the negative-curvature directions (e.g. the symmetric 2-fit-3
    point of Figure 1) it stays at a saddle. The eigenvalues at the end decide.

    Paper: Paper 1, Lemma 2 (stationary points) and Lemma 1.
    Chapter: book/landscape/figure1.

    Parameters
    ----------
    model : GaussianMixture with ``d = 2``
    init : array-like of shape (k, 2)
    lloyd_steps : int, default=0
        Centre-of-mass steps before Newton (to enter Newton's basin).
    newton_steps : int, default=20
    gtol : float, default=1e-10
    saddle_free : bool, default=False
    order : int, default=ORDER
        Passed to :func:`planar_moments`.

    Returns
    -------
    PlanarStationaryPoint
        With ``converged=False`` and a :class:`ConvergenceWarning` when the
        gradient norm stays above `gtol`. With ``saddle_free=True``, a
        converged end with a negative eigenvalue (``is_minimum=False``) also
        raises a :class:`ConvergenceWarning`: the solver stopped at a saddle.
    """
    import warnings

    C = _check(model, init, "init").copy()
    lloyd_steps = check_int(lloyd_steps, "lloyd_steps", minimum=0)
    newton_steps = check_int(newton_steps, "newton_steps", minimum=0)
    gtol = check_nonnegative(gtol, "gtol")
    for _ in range(lloyd_steps):
        mom = planar_moments(model, C, order=order)
        C = mom.firsts / mom.masses[:, None]
    n_newton = 0
    g = planar_gradient(model, C, order=order)
    while np.linalg.norm(g) > gtol and n_newton < newton_steps:
        H = planar_hessian(model, C, order=order)
        if saddle_free:
            w, V = np.linalg.eigh(H)
            step = V @ ((V.T @ g.ravel()) / np.abs(w))
        else:
            step = np.linalg.solve(H, g.ravel())
        C = C - step.reshape(C.shape)
        g = planar_gradient(model, C, order=order)
        n_newton += 1
    gnorm = float(np.linalg.norm(g))
    H = planar_hessian(model, C, order=order)
    w, V = np.linalg.eigh(H)
    converged = gnorm <= gtol
    if not converged:
        warnings.warn(f"planar_stationary_point: gradient norm {gnorm:.2e} > gtol = {gtol:.0e} after "
                      f"{n_newton} Newton steps; raise newton_steps or lloyd_steps.", ConvergenceWarning,
                      stacklevel=2)
    is_minimum = bool(w[0] > 0)
    if saddle_free and converged and not is_minimum:
        warnings.warn(f"planar_stationary_point: saddle-free Newton ended at a saddle (smallest eigenvalue "
                      f"{w[0]:.3e} < 0); the start probably lies on a symmetric subspace: perturb init.",
                      ConvergenceWarning, stacklevel=2)
    return PlanarStationaryPoint(C, gnorm, H, w, V, lloyd_steps, n_newton, converged, is_minimum)
