"""Critical points of the population objective in one dimension, classified exactly.

Paper: Paper 1, Lemma 2 (first-order condition), Proposition 2 and Appendix
Example 1 (second-order check by the Hessian).
Chapter: book/landscape/spurious_1d, book/landscape/two_fit_three.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import _population_1d as _p1
from ._validation import check_nonnegative
from .models import model_centers

__all__ = ["CriticalPoint", "classify_critical_point"]


@dataclass(frozen=True)
class CriticalPoint:
    """Result of :func:`classify_critical_point`.

    Attributes
    ----------
    kind : str
        One of ``"strict local minimum"``, ``"local minimum"`` (positive
        definite in the centres that own mass; ``G`` is flat in the centres
        with empty Voronoi sets), ``"saddle"``, ``"local maximum"``,
        ``"degenerate"`` (stationary, no negative eigenvalue but a zero one:
        the second-order test is inconclusive), ``"not stationary"``,
        ``"non-smooth"`` (stationary, but a Voronoi boundary sits on a ball
        edge, so no Hessian exists) or ``"coincident centres"``.
    stationary : bool or None
        Gradient norm at most `gtol` (None for coincident centres).
    gradient : ndarray of shape (k, 1) or None
    gradient_norm : float or None
    hessian : ndarray of shape (k, k) or None
    eigenvalues : ndarray or None
        Eigenvalues (ascending) of the Hessian restricted to the centres with
        positive mass.
    masses : ndarray of shape (k,)
        f-mass of each Voronoi set (ties to the lowest index).
    empty : tuple of int
        Centres whose Voronoi set has zero mass.
    coincident : tuple of (int, int)
        Pairs of equal centres.
    boundaries : ndarray
        Sorted Voronoi boundaries.
    """

    kind: str
    stationary: bool | None
    gradient: np.ndarray | None = field(repr=False)
    gradient_norm: float | None
    hessian: np.ndarray | None = field(repr=False)
    eigenvalues: np.ndarray | None
    masses: np.ndarray = field(repr=False)
    empty: tuple
    coincident: tuple
    boundaries: np.ndarray = field(repr=False)

    @property
    def is_local_minimum(self):
        """True for a (strict or flat-in-empty-centres) local minimum."""
        return self.kind in ("strict local minimum", "local minimum")


def classify_critical_point(model, centers, *, gtol=1e-9, etol=1e-9):
    """Is `centers` a critical point of ``G``, and of which kind? (one dimension, exact)

    Paper: Paper 1, Lemma 2 (first-order condition), Proposition 2 and
    Appendix Example 1 (second-order check by the Hessian).
    Chapter: book/landscape/spurious_1d, book/landscape/two_fit_three.

    Parameters
    ----------
    model : BallMixture or GaussianMixture with ``d = 1``
    centers : array-like of shape (k, 1)
    gtol : float, default=1e-9
        Stationary when the Euclidean norm of the gradient is at most `gtol`.
    etol : float, default=1e-9
        An eigenvalue counts as zero when its absolute value is at most
        ``etol * max(1, max |eigenvalue|)``.

    Returns
    -------
    CriticalPoint

    Notes
    -----
    Coincident centres are reported (kind ``"coincident centres"``) rather
    than analysed: ``G`` is not differentiable there when the shared set has
    mass, and by Lemma 2 such a point is then not a local minimum. Centres
    with an empty Voronoi set are listed in ``empty``; when no Voronoi
    boundary touches a ball edge, ``G`` does not depend on them nearby, so the
    second-order test uses the other centres only.

    Examples
    --------
    >>> from kmbook.models import BallMixture
    >>> from kmbook.critical_points import classify_critical_point
    >>> m = BallMixture([[-2.0], [0.0], [2.0]], radius=0.3)
    >>> classify_critical_point(m, [[-2.15], [-1.85], [1.0]]).kind
    'strict local minimum'
    """
    C = model_centers(model, centers)
    if model.d != 1:
        raise NotImplementedError(f"classify_critical_point is exact in one dimension only; model.d = {model.d}.")
    gtol = check_nonnegative(gtol, "gtol")
    etol = check_nonnegative(etol, "etol")
    beta = C[:, 0]
    masses, _ = _p1.masses_and_means(model, beta)
    _, _, _, bounds = _p1.voronoi_intervals(beta)
    empty = tuple(int(i) for i in np.flatnonzero(masses == 0))
    k = beta.shape[0]
    pairs = tuple((i, j) for i in range(k) for j in range(i + 1, k) if beta[i] == beta[j])
    common = dict(masses=masses, empty=empty, coincident=pairs, boundaries=bounds)
    if pairs:
        return CriticalPoint("coincident centres", None, None, None, None, None, **common)
    grad = _p1.gradient(model, beta)[:, None]
    gnorm = float(np.linalg.norm(grad))
    stationary = gnorm <= gtol
    H, _, _ = _p1.hessian(model, beta)
    if not stationary:
        return CriticalPoint("not stationary", False, grad, gnorm, H, None, **common)
    if H is None:
        return CriticalPoint("non-smooth", True, grad, gnorm, None, None, **common)
    live = masses > 0
    eig = np.linalg.eigvalsh(H[np.ix_(live, live)])
    zero = etol * max(1.0, float(np.abs(eig).max()))
    if eig.min() < -zero:
        kind = "local maximum" if eig.max() < -zero else "saddle"
    elif eig.min() <= zero:
        kind = "degenerate"
    else:
        kind = "strict local minimum" if not empty else "local minimum"
    return CriticalPoint(kind, True, grad, gnorm, H, eig, **common)
