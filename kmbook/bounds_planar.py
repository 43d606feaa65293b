"""Inequality (19) of Paper 1 evaluated on the Voronoi facets of planar centres.

Paper: Paper 1 (Qian, Zhang, Chen), proof of Theorem 4, quantity (c)
``D_{i,j,s}``, inequality (19) and its Gaussian restatement (51).
Chapter: book/landscape/bounds.

In one dimension and in Example 2 the midpoint of two adjacent centres lies
inside the ball its boundary cuts, so ``D_{i,j,s} = 0`` and (19) holds
trivially. In the plane the midpoint can lie outside the part of a cluster a
facet cuts; then ``D > 0`` and (19) says something.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import ndtr

from ._validation import as_centers, check_positive
from .bounds import facets_2d
from .models import check_model

__all__ = ["inequality19_planar"]


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
        ``i``, ``j``, ``s``, ``d``, ``D``, ``rho`` and ``value = D^2 rho / d``.

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
            rows.append(dict(i=f["i"], j=f["j"], s=s, d=f["d"], D=D, rho=rho,
                             value=D * D * rho / f["d"]))
    return rows
