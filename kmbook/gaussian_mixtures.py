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

    Each bound is evaluated with every unspecified absolute constant (and every
    unreproduced logarithmic factor) set to 1, so the values show how the bounds
    *scale* with ``K``, ``d`` and ``N``, not where they lie. ``None`` marks a bound
    whose formula the book does not reproduce.

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
    >>> round(b["Awasthi-Sheffet"], 2), round(b["Paper 3 (1.1)"], 2), b["Mixon-Villar-Ward"]
    (12.24, 11.1, None)
    """
    K, N = check_int(K, "K", minimum=2), check_int(N, "N", minimum=2)
    d = check_int(d, "d", minimum=1)
    s = check_positive(sigma, "sigma")
    n = N / K
    delta_rs = 2 * np.sqrt(K) * (1 + np.sqrt(d / N))  # (1/sqrt n_a + 1/sqrt n_b) ||X_bar|| / sigma
    beta = np.sqrt(2 * np.log(N))  # largest projection of N Gaussian points, leading order
    return {
        "Vempala-Wang": float(s * min(K, d) ** 0.25),
        "Achlioptas-McSherry": float(s * 2 * np.sqrt(K)),
        "Kumar-Kannan": float(s * 2 * (beta + K * delta_rs / 2)),
        "Awasthi-Sheffet": float(s * max(2 * (beta + delta_rs / 2), np.sqrt(K) * delta_rs)),
        "Lu-Zhou": None,
        "Mixon-Villar-Ward": None,
        "Paper 3 (1.1)": float(s * (2 * beta + np.sqrt(2 * K) * (1 + np.sqrt(d / n)))),
    }
