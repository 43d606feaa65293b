"""Generative models of Paper 1: the Stochastic Ball Model and the spherical GMM.

Paper: Paper 1 (Qian, Zhang, Chen), Section II, eq. (2), Definitions 1 and 2.
Chapter: book/landscape/kmeans_problem.

Both models are balanced mixtures ``f = (1/k*) sum_s f_s`` whose components
are centred at the true centres ``beta*_s``; they differ in the component
``f_s``: uniform on the ball of radius ``r`` (balls disjoint) or
``N(beta*_s, sigma^2 I)``.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from scipy.spatial.distance import pdist
from scipy.special import gammaln

from ._validation import as_centers, as_generator, as_points, check_int, check_positive

__all__ = ["SNR", "BallMixture", "GaussianMixture", "balanced_sample"]


class SNR(NamedTuple):
    """Signal-to-noise ratios ``(eta_min, eta_max)`` of Paper 1, Section II-C."""

    eta_min: float
    eta_max: float


class _Mixture:
    """Shared part of the balanced mixtures: true centres and their separations."""

    def __init__(self, centers):
        self.centers = as_centers(centers, "centers")
        self.centers.setflags(write=False)
        if self.k_star > 1:
            dist = pdist(self.centers)
            if dist.min() == 0.0:
                raise ValueError("centers must be distinct true centres; two rows of centers coincide.")
            self._delta = (float(dist.min()), float(dist.max()))
        else:
            # With one component there is no pair to separate: the SNR is infinite.
            self._delta = (math.inf, math.inf)

    @property
    def k_star(self):
        """Number of mixture components ``k*``."""
        return self.centers.shape[0]

    @property
    def d(self):
        """Dimension of the space."""
        return self.centers.shape[1]

    @property
    def weights(self):
        """Mixture weights, all equal to ``1/k*`` (the balanced model of eq. (2))."""
        return np.full(self.k_star, 1.0 / self.k_star)

    @property
    def delta_min(self):
        """Smallest separation ``Delta_min = min_{s != s'} ||beta*_s - beta*_s'||`` (inf if k* = 1)."""
        return self._delta[0]

    @property
    def delta_max(self):
        """Largest separation ``Delta_max`` (inf if k* = 1)."""
        return self._delta[1]

    def sample(self, n, rng):
        """Draw `n` i.i.d. points from the mixture.

        Parameters
        ----------
        n : int
            Number of points, ``n >= 1``.
        rng : int, numpy.random.Generator or None
            Seed or generator; the same seed gives the same sample.

        Returns
        -------
        X : ndarray of shape (n, d)
            The points.
        labels : ndarray of shape (n,)
            Index of the component each point was drawn from (uniform on
            ``0..k*-1``, as the mixture is balanced).
        """
        n = check_int(n, "n", minimum=1)
        gen = as_generator(rng)
        labels = gen.integers(self.k_star, size=n)
        X = self.centers[labels] + self._noise(n, gen)
        return X, labels

    def _check_x(self, x):
        x = as_points(x, "x")
        if x.shape[1] != self.d:
            raise ValueError(f"x must have shape (m, {self.d}) to match the model's dimension; got {x.shape}.")
        return x


class BallMixture(_Mixture):
    """Stochastic Ball Model: uniform on one of ``k*`` disjoint balls of radius `radius`.

    Paper: Paper 1, Definition 1; SNR ``eta = Delta / r`` of Section II-C.
    Chapter: book/landscape/kmeans_problem.

    Parameters
    ----------
    centers : array-like of shape (k_star, d)
        True centres ``beta*_1..beta*_k*``; distinct.
    radius : float
        Common radius ``r > 0``. Balls must not overlap: every pair of centres
        must be at least ``2 r`` apart (touching balls are allowed, as they
        meet in a null set).

    Raises
    ------
    ValueError
        If the radius is not positive or two balls overlap.

    Examples
    --------
    >>> from kmbook.models import BallMixture
    >>> m = BallMixture([[-2.0], [0.0], [2.0]], radius=0.3)
    >>> round(m.eta_min, 3)
    6.667
    >>> X, labels = m.sample(5, rng=0)
    >>> X.shape, labels.shape
    ((5, 1), (5,))
    """

    def __init__(self, centers, radius):
        super().__init__(centers)
        self.radius = check_positive(radius, "radius")
        if self.k_star > 1 and self.delta_min < 2.0 * self.radius:
            raise ValueError(
                f"balls overlap: the closest centres are {self.delta_min:.6g} apart but 2*radius = "
                f"{2 * self.radius:.6g}. The Stochastic Ball Model needs disjoint balls: use "
                f"radius <= {self.delta_min / 2:.6g} or move the centres apart."
            )

    def __repr__(self):
        return f"BallMixture(k_star={self.k_star}, d={self.d}, radius={self.radius:g})"

    def component(self, s):
        """Component ``f_s`` alone, as a one-component :class:`BallMixture`."""
        return BallMixture(self.centers[[s]], self.radius)

    @property
    def eta_min(self):
        """``eta_min = Delta_min / r`` (Paper 1, Section II-C)."""
        return self.delta_min / self.radius

    @property
    def eta_max(self):
        """``eta_max = Delta_max / r`` (Paper 1, Section II-C)."""
        return self.delta_max / self.radius

    def eta(self, k=None):
        """Return ``SNR(eta_min, eta_max)``; `k` is accepted for symmetry with the GMM and ignored."""
        return SNR(self.eta_min, self.eta_max)

    @property
    def ball_volume(self):
        """Lebesgue volume of one ball of radius ``r`` in ``R^d``."""
        d = self.d
        return float(np.exp(d / 2 * np.log(np.pi) - gammaln(d / 2 + 1) + d * np.log(self.radius)))

    def pdf(self, x):
        """Mixture density ``f(x)`` of eq. (2) at the rows of `x` (shape (m, d))."""
        x = self._check_x(x)
        d2 = ((x[:, None, :] - self.centers[None, :, :]) ** 2).sum(-1)
        inside = (d2 <= self.radius**2).sum(1)
        return inside / (self.k_star * self.ball_volume)

    def _noise(self, n, gen):
        # Uniform in the ball: uniform direction times radius * U^(1/d).
        direction = gen.standard_normal((n, self.d))
        direction /= np.linalg.norm(direction, axis=1, keepdims=True)
        rad = self.radius * gen.random(n) ** (1.0 / self.d)
        return direction * rad[:, None]


class GaussianMixture(_Mixture):
    """Balanced spherical Gaussian mixture ``(1/k*) sum_s N(beta*_s, sigma^2 I)``.

    Paper: Paper 1, Definition 2; SNR of Section II-C normalised by
    ``sigma * sqrt(min(k + k*, d))``.
    Chapter: book/landscape/kmeans_problem.

    Parameters
    ----------
    centers : array-like of shape (k_star, d)
        Distinct true centres.
    sigma : float
        Common standard deviation ``sigma > 0``.

    Examples
    --------
    >>> from kmbook.models import GaussianMixture
    >>> m = GaussianMixture([[0.0, 0.0], [4.0, 0.0]], sigma=1.0)
    >>> [round(v, 3) for v in m.eta(k=2)]
    [2.828, 2.828]
    """

    def __init__(self, centers, sigma):
        super().__init__(centers)
        self.sigma = check_positive(sigma, "sigma")

    def __repr__(self):
        return f"GaussianMixture(k_star={self.k_star}, d={self.d}, sigma={self.sigma:g})"

    def component(self, s):
        """Component ``f_s`` alone, as a one-component :class:`GaussianMixture`."""
        return GaussianMixture(self.centers[[s]], self.sigma)

    def eta(self, k):
        """Return ``SNR(eta_min, eta_max)`` for a fit with `k` centres.

        The paper divides the separations by ``sigma * sqrt(min(k + k*, d))``,
        the typical length of the noise projected on the span of the true and
        fitted centres, so the SNR depends on the number `k` of fitted centres.
        """
        k = check_int(k, "k", minimum=1)
        scale = self.sigma * math.sqrt(min(k + self.k_star, self.d))
        return SNR(self.delta_min / scale, self.delta_max / scale)

    def pdf(self, x):
        """Mixture density ``f(x)`` of eq. (2) at the rows of `x` (shape (m, d))."""
        x = self._check_x(x)
        d2 = ((x[:, None, :] - self.centers[None, :, :]) ** 2).sum(-1)
        norm = (2 * np.pi * self.sigma**2) ** (-self.d / 2)
        return norm * np.exp(-d2 / (2 * self.sigma**2)).mean(1)

    def _noise(self, n, gen):
        return self.sigma * gen.standard_normal((n, self.d))


def check_model(model, name="model"):
    """Return `model` if it is a :class:`BallMixture` or :class:`GaussianMixture`, else raise TypeError."""
    if not isinstance(model, _Mixture):
        raise TypeError(
            f"{name} must be a BallMixture or GaussianMixture (from kmbook.models); got {type(model).__name__}."
        )
    return model


def model_centers(model, centers, name="centers"):
    """Check `model`, then `centers` as an array of shape (k, model.d)."""
    check_model(model)
    return as_centers(centers, name, n_features=model.d)


def balanced_sample(model, n, rng):
    """Draw `n` points with (as nearly as possible) equal numbers from every component.

    The mixture (2) of Paper 1 is balanced; a multinomial sample is only
    balanced on average, and its unequal cluster sizes move a one-fit-many
    centre away from the plain mean of its true centres by about
    ``Delta / sqrt(n)``, whatever the SNR. Drawing ``n / k*`` points per
    component removes that sampling artefact. Components ``0..(n mod k*)-1``
    get one extra point.

    Paper: Paper 1, eq. (2) (the balanced mixture).
    Chapter: book/landscape/figure1, book/landscape/census.

    Parameters
    ----------
    model : BallMixture or GaussianMixture
    n : int
        Number of points, ``n >= k*``.
    rng : int, numpy.random.Generator or None

    Returns
    -------
    X : ndarray of shape (n, d)
    labels : ndarray of shape (n,)
        Component of each point (sorted: component 0 first).

    Examples
    --------
    >>> import numpy as np
    >>> from kmbook.models import GaussianMixture, balanced_sample
    >>> X, labels = balanced_sample(GaussianMixture([[0.0], [5.0]], sigma=1.0), 7, rng=0)
    >>> np.bincount(labels).tolist()
    [4, 3]
    """
    check_model(model)
    k_star = model.k_star
    n = check_int(n, "n", minimum=k_star)
    gen = as_generator(rng)
    sizes = np.full(k_star, n // k_star)
    sizes[: n % k_star] += 1
    parts = [model.component(s).sample(int(size), gen)[0] for s, size in enumerate(sizes)]
    return np.vstack(parts), np.repeat(np.arange(k_star), sizes)
