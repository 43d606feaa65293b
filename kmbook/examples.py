"""Named configurations of Paper 1: each model together with its candidate centres.

Paper: Paper 1 (Qian, Zhang, Chen), Proposition 2 and Figure 2, appendix
Examples 1 and 2 (Figure 7), Figure 1.
Chapter: book/landscape/spurious_1d, book/landscape/two_fit_three,
book/landscape/figure1, book/landscape/bounds.

Every function returns a :class:`PaperExample`, a small frozen record of the
mixture ``model`` and the candidate ``centers`` the paper writes down. It
unpacks like a pair, ``model, beta = example1(0.3)``, so a chapter never
retypes a configuration. Every call returns fresh arrays: changing them does
not change the next call.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validation import check_positive
from .models import BallMixture, GaussianMixture

__all__ = ["PaperExample", "proposition2", "example1", "example2", "figure1"]


@dataclass(frozen=True, eq=False)
class PaperExample:
    """A model of Paper 1 with the candidate centres the paper names.

    Attributes
    ----------
    model : BallMixture or GaussianMixture
        The mixture.
    centers : ndarray of shape (k, d), or dict of str to ndarray
        The candidate centres (for :func:`figure1`, the four panels' centres
        keyed by panel).
    name : str
        Which configuration of the paper this is.

    Notes
    -----
    Iterating yields ``model`` then ``centers``, so ``model, beta = ex`` works.
    """

    model: BallMixture | GaussianMixture
    centers: np.ndarray | dict
    name: str

    def __iter__(self):
        yield self.model
        yield self.centers


def _radius(r, upper, name):
    r = check_positive(r, "r")
    if r > upper:
        raise ValueError(f"r must be at most {upper} in {name} (otherwise the balls overlap); got r = {r}.")
    return r


def proposition2(r):
    """Proposition 2: three intervals at -2, 0, 2 and the spurious point.

    Paper: Paper 1, Proposition 2 and Figure 2.
    Chapter: book/landscape/spurious_1d.

    Parameters
    ----------
    r : float
        Radius of the intervals, ``0 < r <= 1`` (they touch at ``r = 1``). The
        proposition needs ``r < 0.4``; larger radii are allowed so that a
        chapter can show what happens past the range.

    Returns
    -------
    PaperExample
        ``BallMixture([[-2], [0], [2]], r)`` and
        ``beta = (-2 - r/2, -2 + r/2, 1)`` as a ``(3, 1)`` array.

    Examples
    --------
    The gradient of ``G`` vanishes at the point (Lemma 1):

    >>> from kmbook.objective import population_gradient
    >>> model, beta = proposition2(0.3)
    >>> beta.ravel().round(12).tolist()
    [-2.15, -1.85, 1.0]
    >>> bool(abs(population_gradient(model, beta)).max() < 1e-14)
    True
    """
    r = _radius(r, 1.0, "proposition2")
    model = BallMixture([[-2.0], [0.0], [2.0]], radius=r)
    beta = np.array([[-2.0 - r / 2], [-2.0 + r / 2], [1.0]])
    return PaperExample(model, beta, "Proposition 2")


def example1(r, far=3.0):
    """Example 1 of the appendix: three intervals at -1, 0, 1 and a 2-fit-3 point.

    Paper: Paper 1, appendix, Example 1 (small separation).
    Chapter: book/landscape/two_fit_three.

    Parameters
    ----------
    r : float
        Radius of the intervals, ``0 < r <= 1/2`` (disjoint up to touching).
    far : float, default=3.0
        Position of the third centre. It owns no mass exactly when
        ``far > 4/3 + 11 r / 6`` (its boundary beyond ``1 + r``).

    Returns
    -------
    PaperExample
        ``BallMixture([[-1], [0], [1]], r)`` and
        ``beta = (-2/3 - r/6, 2/3 + r/6, far)`` as a ``(3, 1)`` array.

    Examples
    --------
    Each shared centre is the centre of mass of one interval and half of the
    middle one, so the gradient vanishes:

    >>> from kmbook.objective import population_gradient
    >>> model, beta = example1(0.3)
    >>> bool(abs(population_gradient(model, beta)).max() < 1e-14)
    True
    """
    r = _radius(r, 0.5, "example1")
    far = float(far)
    model = BallMixture([[-1.0], [0.0], [1.0]], radius=r)
    beta = np.array([[-2.0 / 3 - r / 6], [2.0 / 3 + r / 6], [far]])
    return PaperExample(model, beta, "Example 1")


def example2(r, far=20.0):
    """Example 2 of the appendix: three disks on a horizontal line and its point.

    Paper: Paper 1, appendix, Example 2 (approximation errors) and Figure 7
    (left panel).
    Chapter: book/landscape/two_fit_three.

    Parameters
    ----------
    r : float
        Radius of the disks at ``(-1, 0), (0, 0), (1, 0)``, ``0 < r <= 1/2``.
        The paper takes ``r >= 1/4``; at ``r = 1/4`` the point is stationary,
        for larger ``r`` the local minimum moves away from it (see
        :func:`kmbook.planar_example.example2_minimum`).
    far : float, default=20.0
        Height of the third centre ``(0, far)``, far enough to own no mass.

    Returns
    -------
    PaperExample
        The planar ``BallMixture`` and ``beta = ((-1, 0), (1/2, 0), (0, far))``.

    Examples
    --------
    At ``r = 1/4`` the Voronoi boundary ``x_1 = -1/4`` touches the middle disk,
    the centres are the centres of mass of their sets and the gradient vanishes
    to within its quasi-Monte Carlo error:

    >>> import numpy as np
    >>> from kmbook.objective import population_gradient
    >>> model, beta = example2(0.25)
    >>> grad, err = population_gradient(model, beta, return_error=True)
    >>> bool(np.all(np.abs(grad) <= 4 * err + 1e-12))
    True
    """
    r = _radius(r, 0.5, "example2")
    far = check_positive(far, "far")
    model = BallMixture([[-1.0, 0.0], [0.0, 0.0], [1.0, 0.0]], radius=r)
    beta = np.array([[-1.0, 0.0], [0.5, 0.0], [0.0, far]])
    return PaperExample(model, beta, "Example 2")


def figure1(sigma=0.5):
    """Our version of Figure 1: a planar Gaussian mixture and four candidates.

    Paper: Paper 1, Figure 1 (panels 1a-1d).
    Chapter: book/landscape/figure1.

    Parameters
    ----------
    sigma : float, default=0.5
        Standard deviation of every component.

    Returns
    -------
    PaperExample
        The ``GaussianMixture`` of :func:`kmbook.structure.figure1_setup` and,
        as ``centers``, its dict of the four panels' centres.

    Examples
    --------
    Panel 1a is the ground truth:

    >>> import numpy as np
    >>> model, starts = figure1(0.5)
    >>> bool(np.array_equal(starts["1a: global minimum"], model.centers))
    True
    """
    from .structure import figure1_setup

    model, starts = figure1_setup(sigma=sigma)
    return PaperExample(model, starts, "Figure 1")
