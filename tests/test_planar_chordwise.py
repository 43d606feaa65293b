"""The planar engine against an independent chord-wise quadrature at Figure 1's 1b points.

The planar engine integrates over polar triangles with fixed-order Gauss-Legendre
rules, so comparing two of its own orders cannot catch a wrong formula, a clipping
error or a missed facet. Here each Voronoi cell is integrated by Fubini instead: for
fixed x the y-integral over the cell's chord is the closed form of {1, y} times a
normal density, and the x-integral is adaptive ``scipy.integrate.quad`` with
breakpoints at the cell's vertices and where each edge crosses c_y + z sigma. Nothing
of ``kmbook.planar_gaussian`` is used. (Construction after the Paper 1 referee's
independent engine.) The decisive quantity is the sign of the smallest Hessian
eigenvalue, about 4e-6 at both 1b points; the Rayleigh quotient along the stored
eigenvector is taken by central differences of the independent gradient, whose
error (quad tolerance 1e-13 over a step 2e-4, plus h^2 truncation) is below 1e-8.
"""

import numpy as np
from scipy.integrate import quad
from scipy.special import ndtr

from kmbook.figure1_stationary import load_figure1_stationary
from kmbook.planar_gaussian import planar_cost, planar_hessian
from kmbook.structure import figure1_setup

S2P = np.sqrt(2 * np.pi)


def _inner(lo, hi, cy, s):
    """Integral over [lo, hi] of {1, y, y^2} times the N(cy, s^2) density."""
    zl, zu = (lo - cy) / s, (hi - cy) / s
    el = np.exp(-zl * zl / 2) / S2P if np.isfinite(zl) else 0.0
    eu = np.exp(-zu * zu / 2) / S2P if np.isfinite(zu) else 0.0
    p = ndtr(zu) - ndtr(zl)
    m2 = p + (zl * el if np.isfinite(zl) else 0.0) - (zu * eu if np.isfinite(zu) else 0.0)
    return p, cy * p + s * (el - eu), cy * cy * p + 2 * cy * s * (el - eu) + s * s * m2


def _chord(x, cons):
    lo, hi = -np.inf, np.inf
    for a, off in cons:
        if a[1] == 0:
            if a[0] * x > off:
                return None
            continue
        v = (off - a[0] * x) / a[1]
        lo, hi = (lo, min(hi, v)) if a[1] > 0 else (max(lo, v), hi)
    return (lo, hi) if hi > lo else None


def _moments(C, mus, s):
    """Mass, first and second moments of each Voronoi cell under the equal-weight mixture."""
    k = len(C)
    M0, M1, M2 = np.zeros(k), np.zeros((k, 2)), np.zeros(k)
    for i in range(k):
        cons = [(C[j] - C[i], (C[j] @ C[j] - C[i] @ C[i]) / 2) for j in range(k) if j != i]
        verts = [np.linalg.solve(np.array([a, b]), [oa, ob])[0]
                 for n, (a, oa) in enumerate(cons) for (b, ob) in cons[n + 1:]
                 if abs(np.linalg.det(np.array([a, b]))) > 1e-14]
        for c in mus:
            lo, hi = c[0] - 13 * s, c[0] + 13 * s
            cross = [(off - a[1] * (c[1] + z * s)) / a[0] for a, off in cons if a[0] != 0
                     for z in np.arange(-13, 13.5, 0.5)]
            pts = sorted({lo, hi, *[b for b in verts + cross if lo < b < hi]})

            def f(x, which, c=c, cons=cons):
                r = _chord(x, cons)
                if r is None:
                    return 0.0
                m0, m1, m2 = _inner(r[0], r[1], c[1], s)
                px = np.exp(-((x - c[0]) / s) ** 2 / 2) / (S2P * s)
                return px * (m0, x * m0, m1, x * x * m0 + m2)[which]

            tot = [sum(quad(f, a, b, args=(w,), epsabs=1e-15, epsrel=1e-13, limit=200)[0]
                       for a, b in zip(pts[:-1], pts[1:])) for w in range(4)]
            M0[i] += tot[0] / len(mus)
            M1[i] += np.array(tot[1:3]) / len(mus)
            M2[i] += tot[3] / len(mus)
    return M0, M1, M2


def _gradient(C, mus, s):
    M0, M1, _ = _moments(C, mus, s)
    return 2 * (M0[:, None] * C - M1)


def test_chordwise_engine_confirms_cost_and_the_sign_of_the_1b_rotation_eigenvalue():
    model, _ = figure1_setup(sigma=0.5)
    mus = np.asarray(model.centers, float)
    stored = {p["name"]: p for p in load_figure1_stationary()}
    h = 1e-4
    for name, sign in (("1b, minimum", 1.0), ("1b, saddle", -1.0)):
        p = stored[name]
        C, v = np.array(p["centers"]), np.array(p["eigenvector"])
        M0, M1, M2 = _moments(C, mus, 0.5)
        G = float(np.sum(M2 - 2 * np.einsum("ij,ij->i", C, M1) + M0 * np.einsum("ij,ij->i", C, C)))
        assert abs(G - planar_cost(model, C)) < 1e-10
        assert np.linalg.norm(2 * (M0[:, None] * C - M1)) < 1e-9
        step = h * v.reshape(C.shape)
        rq = (_gradient(C + step, mus, 0.5) - _gradient(C - step, mus, 0.5)).ravel() @ v / (2 * h)
        book = v @ planar_hessian(model, C) @ v
        assert abs(rq - book) < 1e-8, (name, rq, book)
        assert sign * rq > 100 * 1e-8, (name, rq)
