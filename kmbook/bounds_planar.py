"""Inequality (19), Proposition 4 and the exact switching term of Paper 1 in the plane.

Paper: Paper 1 (Qian, Zhang, Chen), proof of Theorem 4, quantity (c)
``D_{i,j,s}``, inequality (19) and its Gaussian restatement (51),
Propositions 3-4 (the second-order coefficient of ``W``), Lemmas 8-11.
Chapter: book/landscape/bounds.

In one dimension and in Example 2 the midpoint of two adjacent centres lies
inside the ball its boundary cuts, so ``D_{i,j,s} = 0`` and (19) holds
trivially. In the plane the midpoint can lie outside the part of a cluster a
facet cuts; then ``D > 0`` and (19) says something.

The exact second-order coefficient of the switching term ``W`` (our
derivation, not the paper's): moving the centres by ``t v`` moves the facet
point ``x = m + y tau`` of ``(i, j)`` across the facet by
``-t g'(x)/(4 d)`` with ``g'(x) = -2(x - beta_i).v_i + 2(x - beta_j).v_j``,
and the points in between change cost linearly in their distance to the new
facet, so ``W(t)/t^2 -> -sum_facets (1/(8 d)) int_F g'(x)^2 f(x) dS``. For
``v_i = v_j`` this is Proposition 3's coefficient exactly; for ``v_i = -v_j``
perpendicular to ``beta_j - beta_i`` it is ``-(2/d) int_F y^2 f dS``, which
Proposition 4 bounds above by replacing ``y^2`` with its smallest value
``D^2`` on the facet part.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import ndtr

from ._validation import as_centers, as_real_array, check_positive
from .bounds import facets_2d
from .models import check_model

__all__ = ["inequality19_planar", "switching_coefficient", "planar_ball_cost", "second_order_form",
           "halfplane_lemmas"]


def _line_moments(model, s, m, n, tau, lo, hi, a=0.0, b=1.0):
    """``int_lo^hi (a + b y)^2 f_s(m + y tau) dy`` and ``int f_s`` on the facet line."""
    c = model.centers[s]
    us, delta = float((c - m) @ tau), float((c - m) @ n)
    if hasattr(model, "sigma"):
        sg = model.sigma
        w = math.exp(-delta**2 / (2 * sg * sg)) / (sg * math.sqrt(2 * math.pi))
        A, B = a + b * us, b * sg
        zl, zh = (lo - us) / sg, (hi - us) / sg
        pl = 0.0 if not math.isfinite(zl) else math.exp(-zl * zl / 2) / math.sqrt(2 * math.pi)
        ph = 0.0 if not math.isfinite(zh) else math.exp(-zh * zh / 2) / math.sqrt(2 * math.pi)
        mass = float(ndtr(zh) - ndtr(zl))
        zpl = zl * pl if math.isfinite(zl) else 0.0
        zph = zh * ph if math.isfinite(zh) else 0.0
        second = A * A * mass + 2 * A * B * (pl - ph) + B * B * (mass + zpl - zph)
        return w * second, w * mass
    r = model.radius
    if abs(delta) >= r:
        return 0.0, 0.0
    half = math.sqrt(r * r - delta * delta)
    lo, hi = max(lo, us - half), min(hi, us + half)
    if not hi > lo:
        return 0.0, 0.0
    area = math.pi * r * r
    second = a * a * (hi - lo) + a * b * (hi**2 - lo**2) + b * b * (hi**3 - lo**3) / 3
    return second / area, (hi - lo) / area


def inequality19_planar(model, centers, radius):
    """``D^2 rho / d`` for every (facet, component) pair, truncating to balls of ``radius``.

    For component ``s`` with centre ``c`` the cluster is read as the ball
    ``B_s(radius)``: the facet part is ``F cap B_s(radius)``, ``D`` the distance
    from the midpoint of the two centres to it (within the bisector), and
    ``rho_s`` the integral of ``f_s`` over it (a Gaussian restricted to the ball,
    as in the paper's Gaussian proof; for a ball model use ``radius = r``, which
    gives chord length over ``pi r^2``). Pairs whose facet misses the ball are
    skipped (the paper sets ``D = 1`` and ``rho = 0`` there).

    Paper: Paper 1, proof of Theorem 4, (c) and (19); Theorem 6, (51).
    Chapter: book/landscape/bounds.

    Parameters
    ----------
    model : GaussianMixture or BallMixture
        Planar model.
    centers : array-like of shape (k, 2)
        Pairwise distinct centres.
    radius : float
        Radius of the balls ``B_s``; must be positive.

    Returns
    -------
    list of dict
        ``i``, ``j``, ``s``, ``d``, ``D``, ``rho``, ``value = D^2 rho / d``,
        ``sharp = (1/d) int y^2 f_s dS`` over the same facet part (``y`` the
        distance from the midpoint; our sharper form of (19), ``>= value``),
        ``paper = -2 D^2 rho / d`` (Proposition 4's coefficient for
        ``theta = pi/2``) and ``exact = -2 sharp`` (the exact limit of
        ``(W_{i->j,s} + W_{j->i,s}) / t^2`` along that rotation; ours).

    Examples
    --------
    >>> from kmbook.models import GaussianMixture
    >>> m = GaussianMixture([[0.0, 3.0]], sigma=1.0)
    >>> (row,) = inequality19_planar(m, [[-1.0, 0.0], [1.0, 0.0]], radius=4.0)
    >>> round(row["D"], 6)            # the ball of radius 4 reaches down to y = 3 - 4
    0.0
    >>> (row,) = inequality19_planar(m, [[-1.0, 0.0], [1.0, 0.0]], radius=2.0)
    >>> round(row["D"], 6)            # the facet part starts at y = 1
    1.0
    """
    check_model(model)
    check_positive(radius, "radius")
    C = as_centers(centers, "centers", n_features=model.d)
    rows = []
    for f in facets_2d(model, C):
        n = f["normal"]
        tau = np.array([-n[1], n[0]])
        m = (C[f["i"]] + C[f["j"]]) / 2
        lo, hi = f["lo"], f["hi"]
        for s, c in enumerate(model.centers):
            us, delta = float((c - m) @ tau), float((c - m) @ n)
            if abs(delta) >= radius:
                continue
            half = math.sqrt(radius * radius - delta * delta)
            a, b = max(lo, us - half), min(hi, us + half)
            if not b > a:
                continue
            D = max(a, -b, 0.0)
            if hasattr(model, "sigma"):
                sg = model.sigma
                rho = (math.exp(-delta**2 / (2 * sg * sg)) / (sg * math.sqrt(2 * math.pi))
                       * (ndtr((b - us) / sg) - ndtr((a - us) / sg)))
            else:
                rho = (b - a) / (math.pi * model.radius**2)
            y2 = _line_moments(model, s, m, n, tau, a, b)[0]
            rows.append(dict(i=f["i"], j=f["j"], s=s, d=f["d"], D=D, rho=rho,
                             value=D * D * rho / f["d"], sharp=y2 / f["d"],
                             paper=-2 * D * D * rho / f["d"], exact=-2 * y2 / f["d"]))
    return rows


def switching_coefficient(model, centers, v):
    """Exact ``lim W^v(t)/t^2`` of decomposition (10) for planar centres (ours).

    The switching term collects the cost change of the points that move to a
    new owner. On the facet of ``(i, j)``, parametrised ``x = m + y tau``, the
    rate ``g'(x) = -2(x - beta_i).v_i + 2(x - beta_j).v_j`` of the squared-
    distance difference is ``a + b y`` with ``a = -2 d n.(v_i + v_j)`` and
    ``b = 2 tau.(v_j - v_i)``, and the facet contributes
    ``-(1/(8 d)) int_F (a + b y)^2 f dS`` (``f`` the mixture density). With
    Lemma 2's fixed point, ``G(beta + t v) = G(beta) + t^2 (sum_i P(V_i)|v_i|^2
    + switching) + o(t^2)``. Valid when no facet carries mass of its own
    (continuous ``f`` at the facets, no centres coinciding).

    Paper: Paper 1, decomposition (10), Remark 1, Propositions 3-4 and (17).
    Chapter: book/landscape/bounds.

    Parameters
    ----------
    model : GaussianMixture or BallMixture
        Planar model (untruncated Gaussian components).
    centers : array-like of shape (k, 2)
        Pairwise distinct centres.
    v : array-like of shape (k, 2)
        The direction of every centre.

    Returns
    -------
    float
        The limit (never positive, Remark 1).

    Examples
    --------
    Two centres on a line cut one uniform disk through its centre; a common
    move along the line gives Proposition 3's ``-2 d rho`` with
    ``rho = 2r/(pi r^2)``:

    >>> from kmbook.models import BallMixture
    >>> m = BallMixture([[0.0, 0.0]], radius=1.0)
    >>> c = switching_coefficient(m, [[-1.0, 0.0], [1.0, 0.0]], [[1.0, 0.0], [1.0, 0.0]])
    >>> round(c, 12) == round(-2 * 1.0 * 2 / np.pi, 12)
    True
    """
    check_model(model)
    if model.d != 2:
        raise ValueError(f"model must be planar (d = 2); got d = {model.d}.")
    C = as_centers(centers, "centers", n_features=model.d)
    try:
        V = np.asarray(v, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"v must be an array of shape {C.shape} (one direction per centre).") from exc
    if V.shape != C.shape or not np.all(np.isfinite(V)):
        raise ValueError(f"v must be a finite array of shape {C.shape} (one direction per centre); "
                         f"got shape {V.shape}.")
    total = 0.0
    for f in facets_2d(model, C):
        i, j, n, d = f["i"], f["j"], f["normal"], f["d"]
        tau = np.array([-n[1], n[0]])
        m = (C[i] + C[j]) / 2
        a = -2 * d * float(n @ (V[i] + V[j]))
        b = 2 * float(tau @ (V[j] - V[i]))
        second = sum(_line_moments(model, s, m, n, tau, f["lo"], f["hi"], a, b)[0]
                     for s in range(model.k_star))
        total -= second / (8 * d * model.k_star)
    return total


def planar_ball_cost(model, centers, *, return_masses=False):
    """``G`` of a planar ball model by one-dimensional quadrature (independent of the facets).

    On the vertical chord of a disk at abscissa ``x`` the nearest centre is
    piecewise constant in ``y`` with breakpoints where two squared distances
    agree; each piece integrates in closed form, and the chords are integrated
    over ``x = c + r sin(theta)`` by adaptive quadrature (about 1e-12
    relative). An independent check of :func:`switching_coefficient` by finite
    differences.

    Paper: Paper 1, the objective (4) under the Stochastic Ball Model.
    Chapter: book/landscape/bounds.

    Parameters
    ----------
    model : BallMixture
        Planar ball model.
    centers : array-like of shape (k, 2)
        Centres.
    return_masses : bool
        Also return ``P(V_i)`` for every centre.

    Returns
    -------
    float, or (float, ndarray)
        ``G`` (and the Voronoi masses).

    Examples
    --------
    >>> from kmbook.models import BallMixture
    >>> m = BallMixture([[0.0, 0.0]], radius=1.0)
    >>> round(planar_ball_cost(m, [[0.0, 0.0]]), 12)   # d r^2 / (d + 2)
    0.5
    """
    from scipy.integrate import quad

    check_model(model)
    if model.d != 2 or hasattr(model, "sigma"):
        raise ValueError("model must be a planar BallMixture (d = 2) for planar_ball_cost.")
    if not isinstance(return_masses, bool):
        raise TypeError(f"return_masses must be a bool; got {type(return_masses).__name__}.")
    C = as_centers(centers, "centers", n_features=2)
    r, k = model.radius, len(C)

    def chord(x, c, what):
        h = math.sqrt(max(r * r - (x - c[0]) ** 2, 0.0))
        lo, hi = c[1] - h, c[1] + h
        q0 = (x - C[:, 0]) ** 2
        cuts = [lo, hi]
        for p in range(k):
            for q in range(p + 1, k):
                dy = C[q, 1] - C[p, 1]
                if dy != 0:
                    y = (q0[q] - q0[p] + C[q, 1] ** 2 - C[p, 1] ** 2) / (2 * dy)
                    if lo < y < hi:
                        cuts.append(y)
        cuts.sort()
        out = np.zeros(k + 1)
        for y0, y1 in zip(cuts[:-1], cuts[1:]):
            ym = (y0 + y1) / 2
            i = int(np.argmin(q0 + (ym - C[:, 1]) ** 2))
            out[i] += y1 - y0
            out[k] += q0[i] * (y1 - y0) + ((y1 - C[i, 1]) ** 3 - (y0 - C[i, 1]) ** 3) / 3
        return out[what] * r * math.cos(math.asin(max(-1.0, min(1.0, (x - c[0]) / r))))

    total, masses = 0.0, np.zeros(k)
    for c in model.centers:
        angles = [-math.pi / 2, math.pi / 2]
        for p in range(k):
            for q in range(p + 1, k):
                # where the bisector of p, q meets the circle: kinks of the integrand
                nrm = C[q] - C[p]
                off = (C[q] @ C[q] - C[p] @ C[p]) / 2 - nrm @ c
                L = float(np.linalg.norm(nrm))
                if L == 0 or abs(off) >= r * L:
                    continue
                foot = off * nrm / L**2
                tang = np.array([-nrm[1], nrm[0]]) / L
                s = math.sqrt(r * r - (off / L) ** 2)
                for pt in (foot + s * tang, foot - s * tang):
                    angles.append(math.asin(max(-1.0, min(1.0, pt[0] / r))))
        angles = sorted(set(angles))
        for what in ([k] + (list(range(k)) if return_masses else [])):
            val = 0.0
            for a0, a1 in zip(angles[:-1], angles[1:]):
                val += quad(lambda th: chord(c[0] + r * math.sin(th), c, what), a0, a1,
                            epsabs=1e-14, epsrel=1e-13, limit=200)[0]
            if what == k:
                total += val
            else:
                masses[what] += val
    area = math.pi * r * r * model.k_star
    return (total / area, masses / area) if return_masses else total / area


def halfplane_lemmas(offsets, r=1.0, sigma=1.0):
    """Both sides of Lemmas 8-11 of Paper 1 for half-planes ``{x_1 >= delta}``.

    A half-plane is a polyhedron with one facet. For the unit-free offsets
    ``delta`` (with ``0 not in int(P)``, i.e. ``delta >= 0``): Lemma 8
    ``mu(P) <= lambda r`` with ``lambda`` the facet's relative chord, for the
    uniform disk of radius ``r``; Lemma 9, the same for ``N(0, sigma^2 I)``
    restricted to ``B_0(r)`` with ``lambda = int_{F cap B} f``; Lemma 10
    ``|c_S| <= r mu(S^c)/mu(S)`` and Lemma 11 ``|c_S| <= 2 sigma
    sqrt(mu(S^c))/mu(S)`` for ``S = P`` and any ``delta`` (both signs).

    Paper: Paper 1, Lemmas 8-11 (Section VI-F and the appendix).
    Chapter: book/landscape/bounds.

    Parameters
    ----------
    offsets : array-like
        Offsets ``delta / r`` (Lemmas 8, 10) and ``delta / sigma`` (Lemmas 9, 11),
        strictly inside ``(-1, 1)`` for the disk.
    r, sigma : float
        Disk radius and Gaussian scale.

    Returns
    -------
    dict
        For ``"8"``, ``"9"``, ``"10"``, ``"11"`` a pair of arrays (left side,
        right side); Lemmas 8-9 use ``|delta|``.
    """
    from scipy.integrate import quad

    r = check_positive(r, "r")
    sigma = check_positive(sigma, "sigma")
    u = as_real_array(offsets, "offsets").ravel()
    if u.size == 0 or u.size > 1000 or not np.all(np.abs(u) < 1):
        raise ValueError("offsets must be a non-empty array inside (-1, 1) (delta / r).")
    dl = np.abs(u) * r
    seg = r * r * np.arccos(dl / r) - dl * np.sqrt(r * r - dl * dl)  # area of {x1 >= |delta|}
    out = {"8": (seg / (math.pi * r * r), r * 2 * np.sqrt(r * r - dl * dl) / (math.pi * r * r))}
    phi = lambda z: math.exp(-z * z / 2) / (2 * math.pi * sigma * sigma)  # noqa: E731
    R = r  # the ball of Lemma 9, here of the same radius
    lhs9, rhs9 = [], []
    for a in np.abs(u) * R:
        h = lambda x: math.sqrt(max(R * R - x * x, 0.0))  # noqa: E731
        lhs9.append(quad(lambda x: 2 * quad(lambda y: phi(math.hypot(x, y) / sigma), 0, h(x))[0],
                         a, R)[0])
        rhs9.append(R * 2 * quad(lambda y: phi(math.hypot(a, y) / sigma), 0, h(a))[0])
    out["9"] = (np.array(lhs9), np.array(rhs9))
    ds = u * r
    segs = r * r * np.arccos(ds / r) - ds * np.sqrt(r * r - ds * ds)  # signed offsets
    mu = segs / (math.pi * r * r)
    cent = (2 / 3) * (r * r - ds * ds) ** 1.5 / segs
    out["10"] = (cent, r * (1 - mu) / mu)
    z = u
    mass = ndtr(-z)
    cg = sigma * np.exp(-z * z / 2) / math.sqrt(2 * math.pi) / mass
    out["11"] = (cg, 2 * sigma * np.sqrt(1 - mass) / mass)
    return out


def second_order_form(model, centers):
    """The matrix ``M = Hessian / 2`` of ``G`` for a planar ball model, from the exact formula (ours).

    ``G(beta + t v) = G(beta) + t grad.v + t^2 v^T M v + o(t^2)`` with
    ``v^T M v = sum_i P(V_i)|v_i|^2 + switching_coefficient(v)``; ``M`` follows
    by polarisation over the ``2k`` unit directions (centres flattened as
    ``(x_1, y_1, x_2, ...)``).

    Paper: Paper 1, decomposition (10) and Propositions 3-4.
    Chapter: book/landscape/bounds.

    Parameters
    ----------
    model : BallMixture
        Planar ball model.
    centers : array-like of shape (k, 2)
        Pairwise distinct centres.

    Returns
    -------
    ndarray of shape (2k, 2k)

    Examples
    --------
    One centre on one disk: no facet, ``M`` is the identity.

    >>> from kmbook.models import BallMixture
    >>> second_order_form(BallMixture([[0.0, 0.0]], radius=1.0), [[0.0, 0.0]]).tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    C = as_centers(centers, "centers", n_features=2)
    _, P = planar_ball_cost(model, C, return_masses=True)
    n = C.size
    E = np.eye(n).reshape(n, *C.shape)

    def q(V):
        return float(P @ (V**2).sum(1)) + switching_coefficient(model, C, V)

    diag = [q(E[a]) for a in range(n)]
    M = np.diag(diag)
    for a in range(n):
        for b in range(a + 1, n):
            M[a, b] = M[b, a] = (q(E[a] + E[b]) - diag[a] - diag[b]) / 2
    return M
