"""A rigorous lower bound on the optimum of the Peng–Wei and Amini–Levina SDPs.

Paper: Paper 3, eq. (2.3) and (3.3) and their duals (Sections 6–7).
Chapter: book/convex/peng_wei, book/convex/amini_levina.

Every feasible ``Z`` of Peng–Wei lies in ``S = {J / N + W : W PSD, W 1 = 0, tr W = K - 1}``
(``J = 1 1^T``) and is entrywise non-negative. For *any* symmetric ``B`` with ``B >= 0``
(Amini–Levina: off the diagonal only, the diagonal is free) weak duality gives

``<D, Z> = <D - B, Z> + <B, Z> >= min_{Z' in S} <M, Z'> + min_{Y in C} <B, Y>``,  ``M = D - B``,

and both minima are explicit: ``<M, J> / N + (K - 1) lambda_min(P M P on 1^perp)`` with
``P = I - J / N``, and ``0`` (Peng–Wei) or ``(K / N) tr B`` (Amini–Levina, ``diag Y = K/N``).
This is the dual function at ``B``: every constraint residual of an approximate dual point
is accounted for, since ``B`` is the only dual variable and its sign is enforced here.

The eigenvalue is bounded below *rigorously* in floating point: a candidate ``mu`` just
below an estimate of ``lambda_min`` is accepted when the Cholesky factorisation of the
stored matrix ``H = fl(C - mu I)`` runs to completion, since then (Higham, *Accuracy and
Stability of Numerical Algorithms*, Thm 10.3, with ``||r_i||^2 <= H_ii / (1 - gamma)``)
``lambda_min(H) >= -gamma_{N+1} / (1 - gamma_{N+1}) tr H``; the error of forming ``C``
from ``D`` and ``B`` is bounded entrywise and enters through its Frobenius norm, and the
rounding of the squared distances themselves (relative error at most ``gamma_{d+3}``, as
``D`` is formed coordinate by coordinate) through a final factor.
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy.linalg import LinAlgError, cholesky, eigh
from scipy.sparse.linalg import ArpackError, ArpackNoConvergence, eigsh

from ._float import UNIT_ROUNDOFF, gamma
from ._validation import RELAXATIONS, as_real, as_square, check_choice, check_int

__all__ = ["certified_lambda_min", "dual_function", "lambda_min_estimate", "lower_bound"]


def _dual_sign(B, relaxation):
    """``B`` symmetrised, with the sign constraint of the dual enforced (a copy).

    The bound reads full rows of ``D - B`` but the Cholesky factor only its lower triangle,
    so ``B`` is replaced by its symmetric part first (the dual function depends on it alone).
    """
    B = 0.5 * (B + B.T)
    d = np.diag(B).copy()
    B = np.maximum(B, 0.0, out=B)
    if relaxation == "amini_levina":
        np.fill_diagonal(B, d)
    return B


def centred_dual_matrix(D, B, relaxation, tau=None):
    """``C = P M P + (tau / N) J`` with ``M = D - B``, plus what the bound needs.

    Returns ``C`` (new array), ``<M, J> / N``, the Frobenius norm of the entrywise
    bound on the rounding error of ``C`` (as a multiple of 1, before ``gamma``),
    the term ``(K/N) tr B`` factor ``tr B`` and ``sum |B_ii|``.
    """
    n_points = D.shape[0]
    M = D - B
    m = M.mean(axis=1)
    g = float(m.mean())
    absM = np.abs(M)
    a = absM.mean(axis=1)
    a_bar = float(a.mean())
    fro_M = float(np.linalg.norm(M))
    del absM
    if tau is None:
        tau = max(fro_M / np.sqrt(n_points), 1e-300)
    C = M
    C -= m[:, None]
    C -= m[None, :]
    C += g + tau / n_points
    # entrywise error <= gamma_{2N+8} (|M_ij| + a_i + a_j + a_bar + tau/N); Frobenius norm of the bracket
    err_fro = fro_M + 2 * np.sqrt(n_points) * float(np.linalg.norm(a)) + n_points * (a_bar + tau / n_points)
    err = gamma(2 * n_points + 8) * err_fro * (1 + 1e-6)
    mean_term = n_points * g
    mean_err = gamma(n_points * n_points + 2) * n_points * a_bar * (1 + 1e-6)
    return C, mean_term, mean_err, err, tau


def lambda_min_estimate(C):
    """Floating-point estimate of the smallest eigenvalue of symmetric ``C`` (LAPACK up to
    N = 700, ARPACK above with LAPACK as fallback); :func:`certified_lambda_min` proves a bound.

    Paper: Paper 3 (the eigenvalue term of the duals of (2.3)/(3.3)).
    Chapter: book/convex/sdp_at_scale.
    """
    return lambda_min_estimate_unchecked(as_square(C, "C"))


def lambda_min_estimate_unchecked(C):
    """:func:`lambda_min_estimate` on a checked matrix."""
    n_points = C.shape[0]
    if n_points <= 700:
        return float(eigh(C, eigvals_only=True, subset_by_index=[0, 0], check_finite=False)[0])
    try:
        v0 = np.random.default_rng(0).standard_normal(n_points)
        # at most ~N matrix-vector products (about the cost of the dense route), then dense
        return float(eigsh(C, k=1, which="SA", tol=1e-10, v0=v0, maxiter=max(100, n_points // 20),
                           return_eigenvectors=False)[0])
    except (ArpackNoConvergence, ArpackError):
        return float(eigh(C, eigvals_only=True, subset_by_index=[0, 0], check_finite=False)[0])


def certified_lambda_min(C, estimate):
    """A rigorous lower bound on ``lambda_min`` of the stored symmetric matrix ``C``.

    Paper: Paper 3 (the eigenvalue term of the duals of (2.3)/(3.3)).
    Chapter: book/convex/sdp_at_scale.

    ``estimate`` is an approximation of ``lambda_min`` (0 is fine for a nearly PSD
    matrix); a Cholesky factorisation of ``C - mu I`` just below it proves the bound
    (Gershgorin if it fails six times). ``C`` is left unchanged.
    """
    return certified_lambda_min_unchecked(as_square(C, "C"), as_real(estimate, "estimate"))


def certified_lambda_min_unchecked(C, estimate):
    """:func:`certified_lambda_min` on a checked matrix and estimate."""
    n_points = C.shape[0]
    diag = np.diag(C).copy()
    spread = float(np.sqrt(np.mean(diag * diag))) + abs(estimate) + 1e-300
    g = gamma(n_points + 1)
    delta = 1e-12 * spread + 4 * g * float(np.abs(diag - estimate).sum())
    for _ in range(6):
        mu = estimate - delta
        H = C.copy()
        H[np.diag_indices(n_points)] = diag - mu
        h = np.diag(H).copy()
        if np.all(h > 0):
            try:
                cholesky(H, lower=True, overwrite_a=True, check_finite=False)
                # lambda_min(C) >= mu + lambda_min(H) - max|rounding of the diagonal shift|
                return mu - g / (1 - g) * float(h.sum()) * (1 + 1e-6) - 2 * UNIT_ROUNDOFF * float(h.max())
            except LinAlgError:
                pass
        delta *= 30.0
    # Gershgorin: rigorous but loose (the matrix is not damaged beyond its diagonal)
    np.fill_diagonal(C, diag)
    off = np.abs(C).sum(axis=1) - np.abs(diag)
    return float(np.min(diag - off * (1 + gamma(n_points + 1)))) - 2 * UNIT_ROUNDOFF * float(np.abs(diag).max())


def dual_function(D, B, k, relaxation, *, rigorous=True, n_features=None):
    """The dual function of the relaxation at ``B``: a lower bound on ``min <D, Z>``.

    Paper: Paper 3, the duals of (2.3) and (3.3) (Sections 6.1 and 7.1).
    Chapter: book/convex/peng_wei.

    Parameters
    ----------
    D : ndarray of shape (N, N)
        Squared distances as stored (``kmbook.sdp.distance_matrix``).
    B : ndarray of shape (N, N)
        Dual matrix of ``Z >= 0``; negative entries are set to 0 (off the
        diagonal for Amini–Levina, whose diagonal is free).
    k : int
    relaxation : {"peng_wei", "amini_levina"}
    rigorous : bool, default=True
        Certify the eigenvalue (a Cholesky factorisation, ``N^3 / 3`` flops) and
        account for every rounding error; False gives the plain estimate.
    n_features : int, optional
        Dimension ``d`` of the points behind ``D``; when given the bound also
        covers the rounding of ``D`` itself, i.e. it holds for the exact distances.

    Returns
    -------
    float
        On the scale of ``<D, Z>`` (twice the k-means scale).
    """
    D, B, k, relaxation, n_features = _check_args(D, B, k, relaxation, n_features)
    return dual_value_unchecked(D, B, k, relaxation, rigorous=rigorous, n_features=n_features)


def _check_args(D, B, k, relaxation, n_features):
    D = as_square(D, "D")
    B = as_square(B, "B")
    if B.shape != D.shape:
        raise ValueError(f"B must have the shape of D {D.shape}; got {B.shape}.")
    k = check_int(k, "k", minimum=1, maximum=D.shape[0])
    relaxation = check_choice(relaxation, "relaxation", RELAXATIONS)
    if n_features is not None:
        n_features = check_int(n_features, "n_features", minimum=1)
    return D, B, k, relaxation, n_features


def dual_value_unchecked(D, B, k, relaxation, *, rigorous=True, n_features=None):
    """:func:`dual_function` on checked input (the solver's inner loop calls this)."""
    n_points = D.shape[0]
    B = _dual_sign(np.asarray(B, dtype=float), relaxation)
    extra = extra_err = 0.0
    if relaxation == "amini_levina":
        tr = float(np.trace(B))
        extra = (k / n_points) * tr
        extra_err = gamma(n_points + 2) * (k / n_points) * float(np.abs(np.diag(B)).sum())
    if k == 1:  # S = {J / N}: no eigenvalue term
        M = D - B
        value = float(M.sum()) / n_points + extra
        if not rigorous:
            return value
        err = gamma(n_points * n_points + 2) * float(np.abs(M).sum()) / n_points * (1 + 1e-6) + extra_err
        return _final(value - err, n_features)
    C, mean_term, mean_err, c_err, _ = centred_dual_matrix(D, B, relaxation)
    del B
    est = lambda_min_estimate_unchecked(C)
    if not rigorous:
        return mean_term + (k - 1) * est + extra
    lam = certified_lambda_min_unchecked(C, est) - c_err
    lb = mean_term - mean_err + (k - 1) * lam + extra - extra_err
    # the sums above carry relative errors far below 1e-12; one more ulp-scale allowance
    lb -= 8 * UNIT_ROUNDOFF * (abs(mean_term) + (k - 1) * abs(lam) + abs(extra))
    return _final(lb, n_features)


def _final(lb, n_features):
    """``D >= 0`` and ``Z >= 0`` make 0 a bound; the stored distances err by ``gamma_{d+3}``."""
    lb = max(lb, 0.0)
    if n_features is not None:
        lb /= 1 + gamma(int(n_features) + 3)
    return lb


def lower_bound(D, B, k, relaxation, *, n_features=None):
    """Rigorous lower bound on the optimal value, on the k-means scale (``<D, Z> / 2``).

    Paper: Paper 3, eq. (2.3) and (3.3) (weak duality).
    Chapter: book/convex/peng_wei.

    See :func:`dual_function`; this is half of its rigorous value.

    Examples
    --------
    >>> import numpy as np
    >>> from kmbook.sdp import distance_matrix
    >>> from kmbook.sdp_bound import lower_bound
    >>> D = distance_matrix([[0.0], [1.0], [9.0], [10.0]])
    >>> lb = lower_bound(D, np.zeros((4, 4)), 2, "peng_wei", n_features=1)
    >>> 0 <= lb <= 1.0   # the optimum is 1 (clusters {0, 1} and {9, 10})
    True
    """
    D, B, k, relaxation, n_features = _check_args(D, B, k, relaxation, n_features)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return dual_value_unchecked(D, B, k, relaxation, rigorous=True, n_features=n_features) / 2


def _dual_matrix(duals, relaxation, n_points):
    """The matrix ``B`` of :mod:`kmbook.sdp_bound` from a solver's duals (``None``: zero)."""
    B = duals.get("nonnegative") if duals else None
    if B is None:
        return np.zeros((n_points, n_points))
    B = (np.asarray(B, dtype=float) + np.asarray(B, dtype=float).T) / 2
    if relaxation == "amini_levina" and duals.get("diagonal") is not None:
        B = B - np.diag(np.asarray(duals["diagonal"], dtype=float))  # D - B = Lambda - (r 1^T + 1 r^T) / 2
    return B


def certify_solution(X, D, Z, duals, k, relaxation, value, labels=None, B=None):
    """Lower bound, certified gap and partition certificate of a returned solution.

    Paper: Paper 3, weak duality for (2.3)/(3.3); Propositions 6.6 and 7.2 (dual certificates).
    Chapter: book/convex/peng_wei.

    Returns
    -------
    tuple
        ``(lower_bound, certified_gap, certified_partition)`` — the bound on the
        k-means scale, ``|value - lower_bound| / value`` and the rounded labels if
        their dual certificate is verified (else None; pass the rounded
        partition as `labels`).
    """
    from .proximity import dual_certificate

    n_points = D.shape[0]
    if B is None:
        B = _dual_matrix(duals, relaxation, n_points)
    lower = lower_bound(D, B, k, relaxation, n_features=X.shape[1])
    denom = max(abs(value), 1e-12 * float(D.max()))
    # |value - lower| / value: the certified gap when value >= lower; when the residuals of an
    # approximate Z put its value below the proved bound, by how much (never reported as 0)
    gap = abs(value - lower) / denom if denom > 0 else 0.0
    partition = None
    if 2 <= k < n_points and labels is not None:
        if np.unique(labels).size == k:
            try:
                kwargs = {"z": "sharp"} if relaxation == "peng_wei" else {}
                cert = dual_certificate(X, labels, relaxation, build=n_points <= 1000, **kwargs)
            except ValueError:  # e.g. an unbalanced rounding for Amini–Levina
                cert = None
            ok = cert is not None and (cert.verified if n_points <= 1000 else cert.holds)
            partition = np.asarray(labels) if ok else None
    return lower, gap, partition
