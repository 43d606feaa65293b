"""Condition (1.1) for Gaussian mixtures with K clusters, and the bounds of Table 1.

Paper: Paper 3, Definition 4.2 and Corollary 4.4 (Gaussian mixture model), and
Section 1.4, Table 1 (separation bounds for Gaussian mixtures). The seed text lost
the formulas of both; the finite-n threshold below is our derivation, labelled
as ours in the chapter, and the table rows are our reading of the cited sources.
Chapter: book/convex/random_models.

Finite-n threshold (ours). For ``K`` balanced isotropic clusters of ``n`` points,
condition (1.1) at the smallest separation ``Delta`` of the means reads, for every
closest pair ``a, b``, ``Delta/2 - beta_ab >= rhs`` with ``beta_ab`` the largest
projection of a point of ``a`` (``b``) onto the direction of ``b`` (``a``) and
``rhs ~ sigma sqrt(K/2) (1 + sqrt(d/n))`` the same for every pair. The threshold is
therefore ``2 max_pairs beta_ab + 2 rhs``: the maximum runs over *all* closest
pairs, not over one pair. With ``M`` that maximum in units of ``sigma``::

    Delta_(1.1) ~ sigma (2 E[M] + sqrt(2K) (1 + sqrt(d/n))).

On a line the end clusters contribute ``n`` one-sided projections and each
interior cluster ``n`` two-sided ones (``max(g, -g) = |g|``), so
``P(M <= x) = Phi(x)^(2n) (2 Phi(x) - 1)^(n (K-2))``. In a regular simplex every
pair is a closest pair and a point's ``K - 1`` projections have correlation 1/2,
so ``max_j X_j = Z_0 / sqrt 2 + M_(K-1) / sqrt 2`` per point and ``P(M <= x)``
is the ``nK``-th power of that law.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from ._validation import as_generator, check_choice, check_int, check_positive

__all__ = [
    "simplex_centres",
    "gaussian_mixture_sample",
    "closest_pair_max_cdf",
    "expected_closest_pair_max",
    "gaussian_threshold_prediction",
    "single_pair_prediction",
    "gmm_bounds",
    "exact_recovery_floor",
    "threshold_parts",
]

LAYOUTS = ("line", "simplex")


def simplex_centres(K, d, delta):
    """Vertices of a regular simplex with edge `delta` in ``R^d`` (needs ``d >= K - 1``).

    Chapter: book/convex/random_models.

    Examples
    --------
    >>> import numpy as np
    >>> from kmbook.gaussian_mixtures import simplex_centres
    >>> C = simplex_centres(4, 3, 2.0)
    >>> D = np.linalg.norm(C[:, None] - C[None], axis=2)
    >>> bool(np.allclose(D[~np.eye(4, dtype=bool)], 2.0))
    True
    """
    K = check_int(K, "K", minimum=2)
    d = check_int(d, "d", minimum=1)
    if d < K - 1:
        raise ValueError(f"d must be at least K - 1 = {K - 1} for a simplex of K = {K} centres; got d = {d}.")
    E = np.eye(K) - 1.0 / K  # centred vertices sqrt(2) apart, spanning K - 1 dimensions
    U = np.linalg.svd(E)[0][:, : K - 1]
    C = np.zeros((K, d))
    C[:, : K - 1] = E @ U
    return C * check_positive(delta, "delta") / np.sqrt(2)


def gaussian_mixture_sample(K, n, d, rng, *, layout="line", sigma=1.0, delta=10.0):
    """``n`` points from each of ``K`` Gaussians ``N(mu_a, sigma^2 I)``, means on a line or a simplex.

    Paper: Paper 3, Definition 4.2 (equal weights, isotropic components).
    Chapter: book/convex/random_models.

    Returns
    -------
    X : ndarray of shape (K n, d)
    labels : ndarray of shape (K n,)
    """
    rng = as_generator(rng)
    K, n, d = check_int(K, "K", minimum=2), check_int(n, "n", minimum=2), check_int(d, "d", minimum=1)
    layout = check_choice(layout, "layout", LAYOUTS)
    delta = check_positive(delta, "delta")
    if layout == "line":
        C = np.zeros((K, d))
        C[:, 0] = delta * np.arange(K)
    else:
        C = simplex_centres(K, d, delta)
    labels = np.repeat(np.arange(K), n)
    return C[labels] + check_positive(sigma, "sigma") * rng.normal(size=(K * n, d)), labels


def _simplex_point_cdf(x, K):
    """``P(max of K - 1 standard normals with correlation 1/2 <= x)``."""
    x = np.atleast_1d(np.asarray(x, float))
    z, w = np.polynomial.hermite_e.hermegauss(80)  # E over Z_0 ~ N(0, 1)
    w = w / w.sum()
    inner = stats.norm.cdf(np.sqrt(2) * x[:, None] - z[None, :]) ** (K - 1)
    return inner @ w


def closest_pair_max_cdf(x, K, n, layout="line"):
    """CDF of ``M``, the largest projection over all closest pairs (units of sigma).

    Paper: Paper 3, Corollary 4.4 (our finite-n derivation; see the module docstring).
    Chapter: book/convex/random_models.

    Examples
    --------
    >>> from scipy import stats
    >>> from kmbook.gaussian_mixtures import closest_pair_max_cdf
    >>> x = 1.3
    >>> bool(abs(closest_pair_max_cdf(x, 2, 5)[0] - stats.norm.cdf(x) ** 10) < 1e-15)
    True
    """
    K, n = check_int(K, "K", minimum=2), check_int(n, "n", minimum=1)
    layout = check_choice(layout, "layout", LAYOUTS)
    x = np.atleast_1d(np.asarray(x, float))
    if layout == "line":
        phi = stats.norm.cdf(x)
        return phi ** (2 * n) * np.clip(2 * phi - 1, 0, 1) ** (n * (K - 2))
    return _simplex_point_cdf(x, K) ** (n * K)


def expected_closest_pair_max(K, n, layout="line"):
    """``E[M]`` of :func:`closest_pair_max_cdf` by the trapezoidal rule on [-12, 12].

    For ``K = 2`` this is the expected maximum of ``2n`` standard normals
    (:func:`kmbook.random_models.expected_max_normal`).

    Paper: Paper 3, Corollary 4.4 (our finite-n derivation).
    Chapter: book/convex/random_models.
    """
    K, n = check_int(K, "K", minimum=2), check_int(n, "n", minimum=1)
    layout = check_choice(layout, "layout", LAYOUTS)

    x = np.linspace(-12.0, 12.0, 48_001)  # E[M] = -12 + int_{-12}^{12} (1 - F): F(-12) ~ 0, F(12) ~ 1
    g = 1 - closest_pair_max_cdf(x, K, n, layout)
    return float(x[0] + np.sum((g[1:] + g[:-1]) / 2) * (x[1] - x[0]))


def gaussian_threshold_prediction(K, n, d, sigma=1.0, layout="line"):
    """Leading-order (1.1) threshold of ``K`` Gaussian clusters, every closest pair counted (ours).

    ``sigma (2 E[M] + sqrt(2K) (1 + sqrt(d/n)))`` with ``M`` of
    :func:`closest_pair_max_cdf`.

    Paper: Paper 3, Corollary 4.4 (formula lost; this is our derivation).
    Chapter: book/convex/random_models.

    Examples
    --------
    >>> from kmbook.gaussian_mixtures import gaussian_threshold_prediction
    >>> from kmbook.random_models import gaussian_pair_prediction
    >>> bool(abs(gaussian_threshold_prediction(2, 100, 2) - gaussian_pair_prediction(100, 2)) < 1e-6)
    True
    """
    K, n = check_int(K, "K", minimum=2), check_int(n, "n", minimum=1)
    d = check_positive(d, "d")
    rhs = np.sqrt(2 * K) * (1 + np.sqrt(d / n))
    return float(check_positive(sigma, "sigma") * (2 * expected_closest_pair_max(K, n, layout) + rhs))


def single_pair_prediction(K, n, d, sigma=1.0):
    """The earlier K-cluster formula, which counts one closest pair only.

    ``sigma (2 E[M_2n] + sqrt(2K) (1 + sqrt(d/n)))``: kept to show its finite-n
    shortfall against :func:`gaussian_threshold_prediction` and simulation.

    Chapter: book/convex/random_models.
    """
    from .random_models import expected_max_normal

    K, n = check_int(K, "K", minimum=2), check_int(n, "n", minimum=1)
    d = check_positive(d, "d")
    return float(check_positive(sigma, "sigma") * (2 * expected_max_normal(2 * n)
                                                   + np.sqrt(2 * K) * (1 + np.sqrt(d / n))))


def gmm_bounds(K, d, N, sigma=1.0):
    """Orders of the separation bounds of Table 1 for a balanced isotropic mixture, constants set to 1.

    Each bound whose formula the book reproduces in full (every term that grows
    with ``N``, ``K`` or ``d`` kept) is evaluated with its unspecified absolute
    constants set to 1, so the values show how the bounds *scale* with ``K``,
    ``d`` and ``N``, not where they lie. ``None`` marks a bound the book does not
    reproduce in full: Lu-Zhou and Mixon-Villar-Ward (not reproduced), and
    Vempala-Wang and Achlioptas-McSherry, whose secondary descriptions drop a
    term that carries the ``sqrt(log N)`` growth every exact-recovery bound
    needs (see :func:`exact_recovery_floor`); a number without that term would
    lie below the floor and mean nothing.

    Paper: Paper 3, Section 1.4 and Table 1 (entries lost; our reading of the
    sources, see the chapter).
    Chapter: book/convex/random_models.

    Returns
    -------
    dict
        ``{row name: value or None}`` for the rows ``"Vempala-Wang"``,
        ``"Achlioptas-McSherry"``, ``"Kumar-Kannan"``, ``"Awasthi-Sheffet"``,
        ``"Lu-Zhou"``, ``"Mixon-Villar-Ward"`` and ``"Paper 3 (1.1)"``.

    Examples
    --------
    >>> from kmbook.gaussian_mixtures import gmm_bounds
    >>> b = gmm_bounds(4, 2, 4000)
    >>> round(b["Awasthi-Sheffet"], 2), round(b["Paper 3 (1.1)"], 2), b["Vempala-Wang"]
    (12.24, 11.1, None)
    """
    K, N = check_int(K, "K", minimum=2), check_int(N, "N", minimum=2)
    d = check_int(d, "d", minimum=1)
    s = check_positive(sigma, "sigma")
    n = N / K
    delta_rs = 2 * np.sqrt(K) * (1 + np.sqrt(d / N))  # (1/sqrt n_a + 1/sqrt n_b) ||X_bar|| / sigma
    beta = np.sqrt(2 * np.log(N))  # largest projection of N Gaussian points, leading order
    return {
        "Vempala-Wang": None,
        "Achlioptas-McSherry": None,
        "Kumar-Kannan": float(s * 2 * (beta + K * delta_rs / 2)),
        "Awasthi-Sheffet": float(s * max(2 * (beta + delta_rs / 2), np.sqrt(K) * delta_rs)),
        "Lu-Zhou": None,
        "Mixon-Villar-Ward": None,
        "Paper 3 (1.1)": float(s * (2 * beta + np.sqrt(2 * K) * (1 + np.sqrt(d / n)))),
    }


def exact_recovery_floor(N, sigma=1.0):
    """Separation below which at least one of ``N`` Gaussian points is expected beyond a bisector.

    A point of ``N(mu_a, sigma^2 I)`` lies on the far side of the bisector of
    ``mu_a`` and a mean at distance ``Delta`` with probability
    ``Phi_bar(Delta / (2 sigma))``. Every point has a neighbour at the smallest
    separation, so the expected number of points closer to another mean than to
    their own is at least ``N Phi_bar(Delta / (2 sigma))``, which is at least 1
    for ``Delta <= 2 sigma Phi_bar^{-1}(1/N)`` (about ``2 sigma sqrt(2 log N)``).
    Such a point is more likely under the other component, so no method recovers
    every generating label there with high probability: an exact-recovery bound
    below this floor is missing a term.

    Paper: Paper 3, Section 1.4 and Table 1 (the "Exact" column; ours).
    Chapter: book/convex/random_models.

    Examples
    --------
    >>> from kmbook.gaussian_mixtures import exact_recovery_floor
    >>> round(exact_recovery_floor(2000), 2)
    6.58
    """
    N = check_int(N, "N", minimum=2)
    return float(2 * check_positive(sigma, "sigma") * stats.norm.isf(1.0 / N))


def threshold_parts(X, labels):
    """The (1.1) threshold separation of one data set, split into its two terms.

    With the means scaled (shapes kept, :func:`kmbook.proximity.threshold_scale`)
    the threshold is ``T = max_ab 2 (s_ab + rhs_ab) d_min / d_ab``. At the pair
    attaining the maximum, ``T = 2 beta + 2 rhs`` with ``beta = s_ab d_min / d_ab``
    the largest projection and ``rhs = rhs_ab d_min / d_ab`` the right-hand side,
    both in units of the smallest separation: the two terms the estimate
    ``sigma (2 E[M] + sqrt(2K) (1 + sqrt(d/n)))`` approximates.

    Paper: Paper 3, Corollary 4.4 (our finite-n derivation).
    Chapter: book/convex/random_models.

    Returns
    -------
    tuple of float
        ``(T, beta, rhs)`` with ``T == 2 beta + 2 rhs``.

    Examples
    --------
    >>> import numpy as np
    >>> from kmbook.gaussian_mixtures import threshold_parts
    >>> from kmbook.proximity import threshold_scale
    >>> X = np.array([[-1.0], [1.0], [9.0], [11.0]])
    >>> T, b, r = threshold_parts(X, [0, 0, 1, 1])
    >>> bool(abs(T - threshold_scale(X, [0, 0, 1, 1]) * 10) < 1e-12), round(b, 12), round(r, 12)
    (True, 1.0, 1.0)
    """
    X = np.asarray(X, float)
    lab = np.asarray(labels)
    if X.ndim != 2 or lab.shape != (X.shape[0],):
        raise ValueError(f"X must be (N, d) and labels (N,); got shapes {X.shape} and {lab.shape}.")
    ids, inv = np.unique(lab, return_inverse=True)
    K = ids.size
    blocks = [X[inv == a] for a in range(K)]
    C = np.array([B.mean(axis=0) for B in blocks])
    sizes = np.array([B.shape[0] for B in blocks], float)
    # squared spectral norm of each centred block: top eigenvalue of its d x d Gram matrix
    norms_sq = np.array([np.linalg.eigvalsh((B - c).T @ (B - c))[-1] for B, c in zip(blocks, C)])
    U = C[None, :, :] - C[:, None, :]  # c_b - c_a
    D = np.linalg.norm(U, axis=2)
    off = ~np.eye(K, dtype=bool)
    if K < 2 or np.any(D[off] == 0):
        raise ValueError("labels: need two clusters with distinct sample means (the threshold is infinite).")
    U = U / np.where(off, D, 1.0)[:, :, None]
    # s[a, b] = max_i <x_i - c_a, u_ab>, the largest projection towards b
    s = np.array([((B - c) @ U[a].T).max(axis=0) for a, (B, c) in enumerate(zip(blocks, C))])
    rhs = 0.5 * np.sqrt((1 / sizes[:, None] + 1 / sizes[None, :]) * norms_sq.sum())
    dmin = D[off].min()
    score = np.where(off, 2 * (s + rhs) / np.where(off, D, 1.0), -np.inf)
    a, b = np.unravel_index(np.argmax(score), score.shape)
    beta, r = s[a, b] * dmin / D[a, b], rhs[a, b] * dmin / D[a, b]
    return float(2 * (beta + r)), float(beta), float(r)
