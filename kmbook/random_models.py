"""What the proximity conditions give for random models: stochastic balls and Gaussians.

Paper: Paper 3, Section 4 (Definition 4.1 and Corollaries 4.1, 4.3: generalized
stochastic ball model; Definition 4.2 and Corollary 4.4: Gaussian mixtures) and
Remark 4.2. The seed text lost the formulas; the limits below are derived in
the chapter from the concentration of the within-cluster spectral norms and
labelled as ours.
Chapter: book/convex/random_models.

Derived limits (balanced clusters of ``n`` points, all pairwise centre
distances ``>= Delta``, ``n -> infinity`` with ``K`` and ``d`` fixed):

* uniform unit balls in ``R^d`` (covariance ``I/(d+2)``): condition (1.1)
  holds for ``Delta > 2 + sqrt(2K/(d+2))`` and fails below it (for the
  closest pair); the necessary condition (Theorem 3.3, reconstructed) fails
  for ``Delta < 1 + sqrt(1 + 2/(d+2))``;
* Gaussians ``N(mu_a, sigma^2 I)``, ``K = 2``: the (1.1) threshold is
  ``sigma (2 E[M_{2n}] + 2 (1 + sqrt(d/n)))`` to leading order, with
  ``M_m`` the maximum of ``m`` standard normals; it grows like
  ``sigma sqrt(8 log n)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import integrate, stats

from ._validation import as_generator, check_int, check_positive
from .necessary import necessary_threshold_scale
from .proximity import threshold_scale

__all__ = [
    "uniform_ball_sample",
    "gaussian_sample",
    "ball_limits",
    "expected_max_normal",
    "gaussian_pair_prediction",
    "ThresholdSample",
    "threshold_separations",
    "ball_concentration",
    "expected_shortfall",
]


def _line_centres(K, d, delta):
    C = np.zeros((K, d))
    C[:, 0] = delta * np.arange(K)
    return C


def uniform_ball_sample(K, n, d, rng, *, delta=3.0):
    """``n`` points uniform in each of ``K`` unit balls of ``R^d``, centres on a line ``delta`` apart.

    Paper: Paper 3, Definition 4.1 (uniform distribution on the unit ball).
    Chapter: book/convex/random_models.

    Returns
    -------
    X : ndarray of shape (K n, d)
    labels : ndarray of shape (K n,)
    """
    rng = as_generator(rng)
    K, n, d = check_int(K, "K", minimum=2), check_int(n, "n", minimum=2), check_int(d, "d", minimum=1)
    G = rng.normal(size=(K * n, d))
    G /= np.linalg.norm(G, axis=1, keepdims=True)
    R = rng.random(K * n) ** (1.0 / d)
    labels = np.repeat(np.arange(K), n)
    return _line_centres(K, d, check_positive(delta, "delta"))[labels] + G * R[:, None], labels


def gaussian_sample(K, n, d, rng, *, sigma=1.0, delta=10.0):
    """``n`` points from each of ``K`` Gaussians ``N(mu_a, sigma^2 I)``, means on a line.

    Paper: Paper 3, Definition 4.2 (balanced, isotropic components).
    Chapter: book/convex/random_models.
    """
    rng = as_generator(rng)
    K, n, d = check_int(K, "K", minimum=2), check_int(n, "n", minimum=2), check_int(d, "d", minimum=1)
    labels = np.repeat(np.arange(K), n)
    C = _line_centres(K, d, check_positive(delta, "delta"))
    return C[labels] + check_positive(sigma, "sigma") * rng.normal(size=(K * n, d)), labels


def ball_limits(K, d):
    """Large-n limits of the separation thresholds for uniform unit balls (derived here).

    Paper: Paper 3, Corollary 4.1 / Remark 4.2 (sufficient) and Corollary 4.3
    (necessary); formulas reconstructed. Awasthi et al. (2015) for comparison.
    Chapter: book/convex/random_models.

    Returns
    -------
    dict
        ``"sufficient"``: ``2 + sqrt(2K/(d+2))``; ``"necessary"``:
        ``1 + sqrt(1 + 2/(d+2))``; ``"awasthi"``: ``2 sqrt(2) (1 + 1/sqrt(d))``.

    Examples
    --------
    >>> from kmbook.random_models import ball_limits
    >>> {k: round(v, 4) for k, v in ball_limits(2, 2).items()}
    {'sufficient': 3.0, 'necessary': 2.2247, 'awasthi': 4.8284}
    """
    K = check_positive(K, "K")  # real K and d allowed: the chapter draws the limits as curves
    d = check_positive(d, "d")
    s2 = 1.0 / (d + 2)
    return {
        "sufficient": float(2 + np.sqrt(2 * K * s2)),
        "necessary": float(1 + np.sqrt(1 + 2 * s2)),
        "awasthi": float(2 * np.sqrt(2) * (1 + 1 / np.sqrt(d))),
    }


def expected_max_normal(m):
    """``E[max of m independent standard normals]`` by quadrature.

    Chapter: book/convex/random_models.

    Examples
    --------
    >>> from kmbook.random_models import expected_max_normal
    >>> round(expected_max_normal(2), 6)   # 1 / sqrt(pi)
    0.56419
    """
    m = check_int(m, "m", minimum=1)

    def f(x):
        return x * m * stats.norm.pdf(x) * stats.norm.cdf(x) ** (m - 1)

    return float(integrate.quad(f, -12, 12, limit=200)[0])


def gaussian_pair_prediction(n, d, sigma=1.0):
    """Leading-order (1.1) threshold for two Gaussian clusters of ``n`` points (derived here).

    ``sigma (2 E[M_{2n}] + 2 (1 + sqrt(d/n)))``: twice the expected largest of
    the ``2n`` projections towards the other cluster, plus the right-hand side
    of (1.1) with ``||X_bar_k|| ~ sigma (sqrt(n) + sqrt(d))``.

    Paper: Paper 3, Corollary 4.4 (formula lost; this is our derivation).
    Chapter: book/convex/random_models.
    """
    n = check_int(n, "n", minimum=1)
    d = check_positive(d, "d")
    return float(check_positive(sigma, "sigma") * (2 * expected_max_normal(2 * n) + 2 * (1 + np.sqrt(d / n))))


@dataclass(frozen=True)
class ThresholdSample:
    """Separation thresholds of random instances (one entry per replicate).

    Attributes
    ----------
    sufficient : ndarray
        Smallest minimum-separation of the cluster means at which (1.1) holds.
    necessary : ndarray
        Largest minimum-separation below which the necessary condition
        (Theorem 3.3, reconstructed) fails.
    """

    sufficient: np.ndarray = field(repr=False)
    necessary: np.ndarray = field(repr=False)


def threshold_separations(sampler, reps, rng, *, necessary=True):
    """Thresholds of (1.1) and of the necessary condition, in units of separation.

    Each replicate draws ``X, labels = sampler(generator)``, then scales the
    cluster means (shapes kept): the threshold scale times the smallest
    distance between the sample means is the threshold separation.

    Paper: Paper 3, Section 4 (the separation (1.1) needs on random data).
    Chapter: book/convex/random_models.

    Parameters
    ----------
    sampler : callable
        ``sampler(rng) -> (X, labels)``.
    reps : int
    rng : numpy.random.Generator or int
    necessary : bool, default=True
        Also compute the necessary threshold (its field is empty when False).

    Returns
    -------
    ThresholdSample
    """
    if not callable(sampler):
        raise TypeError(f"sampler must be callable as sampler(rng) -> (X, labels); got {type(sampler).__name__}.")
    reps = check_int(reps, "reps", minimum=1)
    rng = as_generator(rng)
    suf, nec = [], []
    for g in rng.spawn(reps):
        X, lab = sampler(g)
        C = np.array([X[lab == a].mean(axis=0) for a in range(lab.max() + 1)])
        D = np.linalg.norm(C[:, None] - C[None, :], axis=2)
        dmin = D[~np.eye(len(C), dtype=bool)].min()
        suf.append(threshold_scale(X, lab) * dmin)
        if necessary:
            nec.append(necessary_threshold_scale(X, lab) * dmin)
    return ThresholdSample(np.array(suf), np.array(nec))


def ball_concentration(n, d, reps, rng):
    """The two large-n ingredients of the ball-model limit, measured separately.

    For ``reps`` samples of ``n`` points uniform in the unit ball of ``R^d``
    (centre 0), returns the *projection shortfall* ``1 - max_i <x_i, e_1>``
    (fact 3: it tends to 0, like ``n^(-2/(d+1))`` for the uniform law) and the
    *spectral ratio* ``||X_bar||^2 / (n ||Sigma||)`` with ``Sigma = I/(d+2)``
    and ``X_bar`` the centred sample (fact 2: it tends to 1; its sample
    version is biased upwards at finite ``n``).

    Paper: Paper 3, Section 4 and Lemmas 8.2–8.4 (concentration used in the proofs).
    Chapter: book/convex/random_models.

    Parameters
    ----------
    n, d, reps : int
    rng : numpy.random.Generator or int

    Returns
    -------
    shortfall, spectral_ratio : ndarray of shape (reps,)

    Examples
    --------
    >>> import numpy as np
    >>> s, r = ball_concentration(2000, 2, 5, np.random.default_rng(0))
    >>> bool(np.all((s > 0) & (s < 0.05))), bool(np.all(np.abs(r - 1) < 0.2))
    (True, True)
    """
    n, d = check_int(n, "n", minimum=2), check_int(d, "d", minimum=1)
    reps = check_int(reps, "reps", minimum=1)
    short, ratio = [], []
    for g in as_generator(rng).spawn(reps):
        G = g.normal(size=(n, d))
        G /= np.linalg.norm(G, axis=1, keepdims=True)
        X = G * (g.random(n) ** (1.0 / d))[:, None]
        short.append(1.0 - X[:, 0].max())
        Xc = X - X.mean(axis=0)
        ratio.append(np.linalg.norm(Xc, 2) ** 2 / n * (d + 2))
    return np.array(short), np.array(ratio)


def expected_shortfall(n, d):
    """Exact ``E[1 - max_i <x_i, e_1>]`` for ``n`` points uniform in the unit ball of ``R^d``.

    The first coordinate ``t`` of a uniform point has ``t^2 ~ Beta(1/2, (d+1)/2)``,
    so ``E[1 - max] = int_{-1}^{1} P(t < s)^n ds`` by quadrature. It decays
    like ``n^(-2/(d+1))`` as ``n -> infinity``.

    Paper: Paper 3, Section 4 (fact 3 of the chapter: extreme projections reach the boundary).
    Chapter: book/convex/random_models.

    Examples
    --------
    >>> round(expected_shortfall(1, 1), 6)   # one uniform point on [-1, 1]
    1.0
    """
    n, d = check_int(n, "n", minimum=1), check_int(d, "d", minimum=1)
    b = stats.beta(0.5, (d + 1) / 2)

    def cdf(s):
        tail = 0.5 * b.sf(s * s)
        return 1 - tail if s >= 0 else tail

    return float(integrate.quad(lambda s: cdf(s) ** n, -1, 1, limit=400, points=[0.9, 0.99])[0])
