"""An upper bound on the relaxations' optimum: a feasible point next to an approximate solution.

Paper: Paper 3, eq. (2.3) (Peng–Wei) and eq. (3.3) (Amini–Levina).
Chapter: book/convex/sdp_at_scale.

A first-order solver returns a ``Z`` whose constraints hold only to its residuals, so
``<D, Z> / 2`` can fall below the optimum (and below a rigorous lower bound). This module
moves ``Z`` onto the feasible set and reports the cost of the point it reaches, which is an
upper bound on the optimum. Three steps:

1. the affine constraints are restored exactly (up to rounding): symmetric part; for
   Amini–Levina the diagonal is set to ``K / N`` and the row sums are corrected by
   ``E = a 1^T + 1 a^T`` off the diagonal (zero diagonal); for Peng–Wei the row sums by
   the same ``E`` and the trace by a multiple of ``I - J / N`` (row sums zero);
2. a rigorous lower bound ``-lambda_-`` on the smallest eigenvalue of the result
   (:func:`kmbook.sdp_bound.certified_lambda_min`, one Cholesky factorisation) and its
   smallest entry ``z_min`` are computed;
3. the point is mixed with the strictly feasible centre
   ``Z0 = J / N + (K - 1) / (N - 1) (I - J / N)`` (both constraint sets contain it: row sums
   1, trace ``K``, diagonal ``K / N``, eigenvalues ``(K - 1) / (N - 1)`` on the complement of
   ``1``, off-diagonal entries ``(N - K) / (N (N - 1))``): ``(1 - t) Z + t Z0`` is feasible
   for the smallest ``t`` that lifts both the eigenvalue and the entries to 0.

``t`` grows like ``N`` times the residuals, so the bound is as tight as the solver's
feasibility is small compared with the entries of a partition matrix (about ``K / N``).
"""

from __future__ import annotations

import numpy as np

from ._float import gamma
from ._validation import RELAXATIONS, as_real, as_square, check_choice, check_int

__all__ = ["feasible_point"]


def _affine_fix(Z, k, relaxation):
    """Symmetric ``Z`` moved onto the affine constraints (new array)."""
    n_points = Z.shape[0]
    Z = (Z + Z.T) / 2
    if relaxation == "amini_levina":
        np.fill_diagonal(Z, k / n_points)
    if n_points > 2:
        r = 1.0 - Z.sum(axis=1)
        s = r.sum() / (2 * n_points - 2)
        a = (r - s) / (n_points - 2)
        E = a[:, None] + a[None, :]
        np.fill_diagonal(E, 0.0)
        Z += E
    if relaxation == "peng_wei" and n_points > 1:
        tau = (k - float(np.trace(Z))) / (n_points - 1)
        Z -= tau / n_points
        Z[np.diag_indices(n_points)] += tau
    return Z


def feasible_point(D, Z, k, relaxation, *, lambda_min=None):
    """A feasible point of the relaxation near `Z`, its cost and the mixing weight used.

    Paper: Paper 3, eq. (2.3) and (3.3) (the feasible sets).
    Chapter: book/convex/sdp_at_scale.

    Parameters
    ----------
    D : ndarray of shape (N, N)
        Squared distances (``kmbook.sdp.distance_matrix``).
    Z : ndarray of shape (N, N)
        Approximate solution (any residuals).
    k : int
    relaxation : {"peng_wei", "amini_levina"}
    lambda_min : float, optional
        A known lower bound on the smallest eigenvalue after the affine step (skips the
        Cholesky certification); by default it is certified.

    Returns
    -------
    Zf : ndarray of shape (N, N)
        ``(1 - t) Z_aff + t Z0``: satisfies every constraint up to rounding.
    upper : float
        ``<D, Zf> / 2``, an upper bound on the relaxation's optimum on the k-means scale
        (up to rounding, allowed for by one relative ``gamma_{N^2}`` margin).
    t : float
        The weight of the centre ``Z0`` (0 when `Z` was feasible).

    Examples
    --------
    >>> import numpy as np
    >>> from kmbook.sdp import distance_matrix, membership_matrix
    >>> from kmbook.sdp_upper import feasible_point
    >>> X = np.array([[0.0], [1.0], [9.0], [10.0]])
    >>> Zf, upper, t = feasible_point(distance_matrix(X), membership_matrix([0, 0, 1, 1]), 2, "peng_wei")
    >>> round(upper, 9), t < 1e-9
    (1.0, True)
    """
    from .sdp_bound import certified_lambda_min_unchecked, lambda_min_estimate_unchecked

    D = as_square(D, "D")
    Z = as_square(Z, "Z")
    if Z.shape != D.shape:
        raise ValueError(f"Z must have the shape of D {D.shape}; got {Z.shape}.")
    n_points = D.shape[0]
    k = check_int(k, "k", minimum=1, maximum=n_points)
    relaxation = check_choice(relaxation, "relaxation", RELAXATIONS)
    if lambda_min is not None:
        lambda_min = as_real(lambda_min, "lambda_min")
    Za = _affine_fix(Z, k, relaxation)
    if k >= n_points or k == 1 or n_points < 3:  # the feasible set is the single point Z0 (or near it)
        lam = 0.0 if lambda_min is None else lambda_min
    elif lambda_min is None:
        lam = certified_lambda_min_unchecked(Za, min(lambda_min_estimate_unchecked(Za), 0.0))
    else:
        lam = float(lambda_min)
    lam_minus = max(0.0, -lam)
    z_minus = max(0.0, -float(Za.min()))
    if k < n_points:
        spec0 = (k - 1) / (n_points - 1)
        c0 = (n_points - k) / (n_points * (n_points - 1))
        t_psd = lam_minus / (lam_minus + spec0) if spec0 > 0 else (1.0 if lam_minus > 0 else 0.0)
        t_nn = z_minus / (z_minus + c0) if z_minus > 0 else 0.0
        t = min(1.0, max(t_psd, t_nn) * (1 + 1e-9))
    else:
        t = 1.0
    if t > 0:
        Z0 = np.full_like(Za, (1 - (k - 1) / (n_points - 1)) / n_points if n_points > 1 else 1.0)
        Z0[np.diag_indices(n_points)] = k / n_points
        Za = (1 - t) * Za + t * Z0
        np.maximum(Za, 0.0, out=Za)  # only entries at rounding level are touched
    upper = float(np.sum(D * Za)) / 2
    upper *= 1 + gamma(n_points * n_points + 2)
    return Za, upper, t
