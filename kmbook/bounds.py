"""The proof machinery of Paper 1's Theorem 4, evaluated at computed points in one dimension.

Paper: Paper 1 (Qian, Zhang, Chen), Section VI: the quantities d_{i,j},
rho_s(boundary) of Theorem 4, expansion (17), inequality (18) and the family
of bounds of Theorem 4 parametrised by lambda; Section II-B: the Gaussian
negative log-likelihood is in :mod:`kmbook.likelihood`.
Chapter: book/landscape/bounds.

In one dimension a Voronoi boundary is a point, its relative volume
(0-dimensional Lebesgue measure) is 1 when it lies in a ball and 0 otherwise,
and ``V_1 r = 2r``; so ``rho_s = 1/(2r)`` for the ball that contains the
boundary. :func:`decomposition_1d` uses adaptive quadrature; the rest is exact.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.integrate import quad

from ._validation import as_centers, as_real, as_real_array, check_distinct, check_int, check_positive
from .models import BallMixture, check_model

__all__ = ["Boundary", "boundaries_1d", "inequality18_1d", "theorem4_report", "decomposition_1d",
           "global_minimum_1d", "facets_2d"]


@dataclass(frozen=True)
class Boundary:
    """One Voronoi boundary of a 1-D configuration and the ball that contains it.

    Attributes
    ----------
    i, j : int
        Indices (in the caller's order) of the two adjacent centres.
    point : float
        The boundary ``(beta_i + beta_j)/2``.
    d : float
        ``d_{i,j} = |beta_i - beta_j| / 2``.
    s : int or None
        Index of the ball whose interior contains the boundary, else None.
    rho : float
        ``rho_s = 1/(2r)`` if ``s`` is not None, else 0.
    """

    i: int
    j: int
    point: float
    d: float
    s: int | None
    rho: float


def _ball_1d(model):
    if not isinstance(model, BallMixture) or model.d != 1:
        raise ValueError("model must be a one-dimensional BallMixture (Theorem 4 is stated for the ball model).")
    return model.centers[:, 0], model.radius


def boundaries_1d(model, centers):
    """The Voronoi boundaries of ``centers`` with their ``d_{i,j}`` and ``rho_s``.

    Paper: Paper 1, Section VI-C, quantities (a) and (d) and Figure 4.
    Chapter: book/landscape/bounds.

    Parameters
    ----------
    model : BallMixture
        One-dimensional ball model.
    centers : array-like of shape (k, 1)
        Pairwise distinct centres.

    Returns
    -------
    list of Boundary
        One per pair of neighbours on the line.

    Examples
    --------
    >>> from kmbook.examples import example1
    >>> [(b.i, b.j, b.s, round(b.d * b.rho, 6)) for b in boundaries_1d(*example1(0.3))]
    [(0, 1, 1, 1.194444), (1, 2, None, 0.0)]
    """
    c, r = _ball_1d(model)
    b = np.asarray(centers, dtype=float).reshape(-1)
    order = np.argsort(b, kind="stable")
    if np.any(np.diff(b[order]) <= 0):
        raise ValueError("centers must be pairwise distinct (the boundaries of coincident centres are undefined).")
    out = []
    for a, bb in zip(order[:-1], order[1:]):
        t = (b[a] + b[bb]) / 2
        inside = np.flatnonzero(np.abs(t - c) < r)
        s = int(inside[0]) if inside.size else None
        out.append(Boundary(int(a), int(bb), float(t), float((b[bb] - b[a]) / 2), s,
                            1.0 / (2 * r) if s is not None else 0.0))
    return out


def inequality18_1d(model, centers):
    """The largest ``d_{i,j} rho_s`` over the boundaries, and the bound ``k*/2``.

    Inequality (18) says every local minimum has ``d_{i,j} rho_s <= k*/2``.

    Paper: Paper 1, inequality (18).
    Chapter: book/landscape/bounds.

    Returns
    -------
    value, bound : float

    Examples
    --------
    For Example 1, ``d rho = (4 + r)/(12 r) <= 3/2`` exactly when ``r >= 4/17``:

    >>> from kmbook.examples import example1
    >>> v, b = inequality18_1d(*example1(0.2)); round(v, 6), b
    (1.75, 1.5)
    """
    bounds = boundaries_1d(model, centers)
    value = max((b.d * b.rho for b in bounds), default=0.0)
    return float(value), model.k_star / 2


def _masses_1d(c, r, b):
    """P_s(V_i) for every centre i and ball s (exact interval lengths)."""
    b = np.asarray(b, dtype=float)
    order = np.argsort(b, kind="stable")
    cuts = np.r_[-np.inf, (b[order][1:] + b[order][:-1]) / 2, np.inf]
    P = np.zeros((b.size, c.size))
    for pos, i in enumerate(order):
        lo, hi = cuts[pos], cuts[pos + 1]
        P[i] = np.clip(np.minimum(hi, c + r) - np.maximum(lo, c - r), 0, None) / (2 * r)
    return P, order, cuts


def theorem4_report(model, centers, lam, form="proof"):
    """Which part of Theorem 4 applies to each centre at ``lambda``, with bound and value.

    Paper: Paper 1, Theorem 4 (family of bounds for the ball model).
    Chapter: book/landscape/bounds.

    Parameters
    ----------
    model : BallMixture
        One-dimensional ball model.
    centers : array-like of shape (k, 1)
        A local minimum (the theorem's hypothesis; not checked here).
    lam : float
        The parameter ``lambda > 0``.
    form : {"proof", "statement"}
        Which Part 2(b) bound to use. The statement carries a factor ``k*`` in
        its second term, ``k* (k^2 lambda r^2)(1 + (k* k - k^2) lambda r)/(1 -
        k^2 lambda r)^2``, that the proof (Lemmas 5 and 6 added) does not have;
        since ``k* >= 1`` the proof's form is the tighter bound and implies the
        statement, so it is the default (a value that breaks the statement
        breaks it too). See the Paper 1 errata.

    Returns
    -------
    list of dict
        One row per applicable bound: ``i``, ``part`` ("1", "2 (s in A_i)",
        "2 (s in T_i minus A_i)", "2a", "2b"), ``value`` and ``bound``, and
        ``holds`` (``value <= bound`` for upper bounds, ``>=`` for "2 (s in
        A_i)"). Part 2(b) is reported only while ``k^2 lambda r < 1``, where
        its right-hand side is defined.

    Examples
    --------
    >>> from kmbook.examples import proposition2
    >>> rows = theorem4_report(*proposition2(0.3), lam=0.2)
    >>> all(row["holds"] for row in rows), sorted({row["part"] for row in rows})
    (True, ['1', '2 (s in A_i)', '2b'])
    """
    c, r = _ball_1d(model)
    lam = check_positive(lam, "lam")
    if form not in ("proof", "statement"):
        raise ValueError(f"form must be 'proof' or 'statement' (which Part 2(b) bound); got {form!r}.")
    b = np.asarray(centers, dtype=float).reshape(-1)
    k, k_star = b.size, c.size
    P, order, cuts = _masses_1d(c, r, b)
    big = {bd.s for bd in boundaries_1d(model, b[:, None]) if bd.s is not None and bd.rho > lam}
    delta_max = float(np.ptp(c))
    rows = []
    for pos, i in enumerate(order):
        lo, hi = cuts[pos], cuts[pos + 1]
        T = [s for s in range(k_star) if min(hi, c[s] + r) > max(lo, c[s] - r)]
        A = [s for s in T if lo < c[s] < hi]
        for s in T:
            if s in big:
                rows.append(dict(i=int(i), part="1", s=s, value=abs(b[i] - c[s]), bound=k_star / lam + 3 * r))
            elif s in A:
                rows.append(dict(i=int(i), part="2 (s in A_i)", s=s, value=P[i, s], bound=1 - k * k * lam * r))
            else:
                rows.append(dict(i=int(i), part="2 (s in T_i minus A_i)", s=s, value=P[i, s], bound=k * lam * r))
        if T and not any(s in big for s in T):
            q = k * k * lam * r
            if not A:
                rows.append(dict(i=int(i), part="2a", s=None, value=P[i].sum() / k_star, bound=k * lam * r))
            elif q < 1:
                second = (k * k * lam * r * r) * (1 + (k_star * k - k * k) * lam * r) / (1 - q) ** 2
                bound = (k_star * r / (1 - q) + (k_star if form == "statement" else 1) * second
                         + (k + 2 * k_star) * k * lam * r / (1 - q) * delta_max)
                rows.append(dict(i=int(i), part="2b", s=None, value=abs(b[i] - c[A].mean()), bound=bound))
    for row in rows:
        row["holds"] = bool(row["value"] >= row["bound"]) if row["part"] == "2 (s in A_i)" else \
            bool(row["value"] <= row["bound"])
    return rows


def _column(value, name):
    """One-dimensional centres or directions, of shape (k,) or (k, 1), as a checked (k, 1) array."""
    arr = as_real_array(value, name)
    if arr.ndim == 1:
        arr = arr.reshape(-1, 1)
    return as_centers(arr, name, n_features=1)


def decomposition_1d(model, centers, direction, t):
    """The decomposition (10) ``H^v(t) = U^v(t) + W^v(t)`` in one dimension, term by term.

    ``U`` keeps every point with its old owner (the Voronoi sets of ``beta``)
    and moves the centres; ``W`` collects, over the points whose owner changes
    from ``i`` to ``j``, the cost difference ``|x - beta_j - t v_j|^2 -
    |x - beta_i - t v_i|^2`` (non-positive by Remark 1). Both are computed by
    adaptive quadrature, independently of the exact engine that gives ``H``.

    Paper: Paper 1, Section V, eq. (10) and Remark 1.
    Chapter: book/landscape/bounds.

    Parameters
    ----------
    model : BallMixture or GaussianMixture
        One-dimensional model.
    centers, direction : array-like of shape (k, 1)
        ``beta`` (distinct centres) and ``v``.
    t : float

    Returns
    -------
    H, U, W : float

    Examples
    --------
    >>> from kmbook.examples import proposition2
    >>> model, beta = proposition2(0.3)
    >>> H, U, W = decomposition_1d(model, beta, np.ones((3, 1)), 0.05)
    >>> bool(abs(H - U - W) < 1e-12 and W <= 0)
    True
    """
    from .objective import population_cost

    check_model(model)
    if model.d != 1:
        raise ValueError("decomposition_1d needs a one-dimensional model (model.d == 1).")
    b = _column(centers, "centers").reshape(-1)
    check_distinct(b[:, None], "centers must be pairwise distinct (beta's Voronoi sets are then well defined).")
    v = _column(direction, "direction").reshape(-1)
    if v.shape != b.shape:
        raise ValueError(f"direction must have the shape of centers, {b.shape}; got {v.shape}.")
    t = as_real(t, "t")
    bt = b + t * v
    if not np.all(np.isfinite(bt)) or np.abs(bt).max() > 1e150:
        raise ValueError(f"t * direction is too large: the moved centres beta + t v overflow; got t = {t!r}.")

    def owner(x, c):
        return int(np.argmin((x - c) ** 2))

    def u_integrand(x):
        i = owner(x, b)
        return (x - bt[i]) ** 2 * float(model.pdf(np.array([[x]]))[0])

    def w_integrand(x):
        i, j = owner(x, b), owner(x, bt)
        if i == j:
            return 0.0
        return ((x - bt[j]) ** 2 - (x - bt[i]) ** 2) * float(model.pdf(np.array([[x]]))[0])

    sb, st = np.sort(b), np.sort(bt)
    breaks = np.r_[(sb[1:] + sb[:-1]) / 2, (st[1:] + st[:-1]) / 2]
    radius = getattr(model, "radius", None)
    if radius is not None:
        c = model.centers[:, 0]
        lo, hi = c.min() - radius, c.max() + radius
        breaks = np.r_[breaks, c - radius, c + radius]
    else:
        lo, hi = model.centers.min() - 12 * model.sigma, model.centers.max() + 12 * model.sigma
    pts = np.unique(breaks[(breaks > lo) & (breaks < hi)])
    opts = dict(points=pts, limit=500, epsabs=1e-15, epsrel=1e-13)
    U = quad(u_integrand, lo, hi, **opts)[0]
    W = quad(w_integrand, lo, hi, **opts)[0]
    return float(population_cost(model, bt[:, None])), float(U), float(W)


def global_minimum_1d(model, k, n_per_component=4000):
    """Global minimum of ``G`` in one dimension: exact DP on a quantile sample, then Lloyd.

    The model is discretised into ``n_per_component`` points per component at
    equal-mass quantiles; the exact dynamic programme of ``kmeans1d`` finds
    the optimal ``k`` centres of that discretisation, and population Lloyd
    polishes them to a fixed point of ``G`` itself.

    Paper: Paper 1, Proposition 1 (an independent computation of the global
    minimum to compare with the truth).
    Chapter: book/landscape/bounds, book/landscape/spurious_1d.

    Parameters
    ----------
    model : BallMixture
        One-dimensional ball model.
    k : int
        Number of centres.
    n_per_component : int, default=4000

    Returns
    -------
    LloydResult
        The polished minimum.

    Examples
    --------
    >>> from kmbook.examples import proposition2
    >>> res = global_minimum_1d(proposition2(0.3).model, 3)
    >>> bool(np.abs(np.sort(res.centers.ravel()) - [-2.0, 0.0, 2.0]).max() < 1e-12)
    True
    """
    import kmeans1d

    from .lloyd import population_lloyd

    c, r = _ball_1d(model)
    n_per_component = check_int(n_per_component, "n_per_component", minimum=1)
    k = check_int(k, "k", minimum=1, maximum=n_per_component * len(c))
    u = (np.arange(n_per_component) + 0.5) / n_per_component
    pts = np.concatenate([cc + r * (2 * u - 1) for cc in c])
    dp = kmeans1d.cluster(pts, int(k))
    return population_lloyd(model, np.array(dp.centroids)[:, None])


def facets_2d(model, centers):
    """Voronoi facets of planar centres with ``d_{i,j}`` and the facet densities ``rho_s``.

    For a Gaussian component, ``rho_s(F) = int_F f_s dS`` (the paper's definition
    (48) without the truncation to a ball, which can only lower it); for a ball
    component, the chord length inside the ball over ``pi r^2``. The facet of
    ``(i, j)`` is the part of their bisector closer to them than to any other
    centre.

    Paper: Paper 1, proof of Theorem 4 (quantities (a), (d)) and eq. (48).
    Chapter: book/landscape/bounds.

    Parameters
    ----------
    model : BallMixture or GaussianMixture
        A planar model (``d = 2``).
    centers : array-like of shape (k, 2)
        Pairwise distinct centres.

    Returns
    -------
    list of dict
        One per adjacent pair: ``i``, ``j``, ``d``, ``normal`` (unit vector from
        ``beta_i`` to ``beta_j``), ``rho`` (array over components), ``lo``,
        ``hi`` (the facet is ``m + u tau`` for ``lo <= u <= hi``, ``m`` the
        midpoint, ``tau`` the normal turned by +90 degrees).

    Examples
    --------
    >>> from kmbook.models import GaussianMixture
    >>> m = GaussianMixture([[-1.0, 0.0], [1.0, 0.0]], sigma=1.0)
    >>> (F,) = facets_2d(m, [[-1.0, 0.0], [1.0, 0.0]])    # the whole line x = 0
    >>> round(F["d"], 6), np.round(F["rho"], 6).tolist()  # phi(1) for each component
    (1.0, [0.241971, 0.241971])
    """
    from scipy.special import ndtr

    check_model(model)
    if model.d != 2:
        raise ValueError(f"facets_2d needs a planar model; model.d = {model.d}.")
    C = as_centers(centers, "centers", n_features=2)
    check_distinct(C, "centers must be pairwise distinct.")
    T = model.centers
    out = []
    for i in range(len(C)):
        for j in range(i + 1, len(C)):
            diff = C[j] - C[i]
            dist = float(np.linalg.norm(diff))
            if dist == 0:
                raise ValueError("centers must be pairwise distinct.")
            n = diff / dist
            tau = np.array([-n[1], n[0]])
            m = (C[i] + C[j]) / 2
            lo, hi = -np.inf, np.inf
            for q in range(len(C)):
                if q in (i, j):
                    continue
                a = 2 * (C[q] - C[i]) @ tau
                b = C[q] @ C[q] - C[i] @ C[i] - 2 * (C[q] - C[i]) @ m
                if abs(a) < 1e-15:
                    if b < 0:
                        lo, hi = 1.0, 0.0
                    continue
                if a > 0:
                    hi = min(hi, b / a)
                else:
                    lo = max(lo, b / a)
            if not hi > lo:
                continue
            rho = np.empty(len(T))
            for s, c in enumerate(T):
                us, delta = (c - m) @ tau, (c - m) @ n
                if hasattr(model, "sigma"):
                    sg = model.sigma
                    rho[s] = (math.exp(-delta**2 / (2 * sg * sg)) / (sg * math.sqrt(2 * math.pi))
                              * (ndtr((hi - us) / sg) - ndtr((lo - us) / sg)))
                else:
                    r = model.radius
                    half = math.sqrt(max(r * r - delta**2, 0.0))
                    length = max(0.0, min(hi, us + half) - max(lo, us - half))
                    rho[s] = length / (math.pi * r * r)
            out.append(dict(i=i, j=j, d=dist / 2, normal=n, rho=rho, lo=lo, hi=hi))
    return out
