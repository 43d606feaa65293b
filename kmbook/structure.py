"""The structure of a k-means solution: which fitted centres fit which true centres.

Paper: Paper 1 (Qian, Zhang, Chen), Theorems 1-3 (every local minimum is made of
many/one-fit-one, one-fit-many and almost-empty associations) and Section IV
(seeding, over-parametrisation and pruning); Franti, Rezaei & Zhao (2014) for the
centroid index.
Chapter: book/landscape/figure1, book/landscape/census, book/landscape/algorithms.

:func:`associate` turns any set of fitted centres into the partition that
Theorem 1 (ball model), Theorem 2 (Gaussian mixture) and their general form
Theorem 3 talk about. The centroid index and pruning live in
:mod:`kmbook.algorithms`, the Voronoi shares in :mod:`kmbook.voronoi`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.spatial.distance import cdist, pdist

from ._validation import as_truth, check_fraction, check_positive
from .algorithms import PruneResult as PruneResult
from .algorithms import centroid_index as centroid_index
from .algorithms import prune as prune
from .models import GaussianMixture, check_model
from .voronoi import voronoi_shares

__all__ = [
    "KINDS",
    "Group",
    "Association",
    "associate",
    "figure1_setup",
]

#: The association types of Theorem 1, in the order the signature lists them.
KINDS = ("many-fit-one", "one-fit-many", "one-fit-one", "other", "almost-empty")
_RANK = {kind: i for i, kind in enumerate(KINDS)}

# ------------------------------------------------------------------- association
@dataclass(frozen=True)
class Group:
    """One association ``(S_a, S*_a)`` of Theorem 3.

    Attributes
    ----------
    kind : str
        ``"one-fit-one"``, ``"many-fit-one"``, ``"one-fit-many"``,
        ``"almost-empty"`` or ``"other"``.
    fitted : tuple of int
        Indices ``S_a`` of the fitted centres.
    true : tuple of int
        Indices ``S*_a`` of the true centres (empty for almost-empty).
    target : ndarray of shape (d,) or None
        What the fitted centres should be close to: the true centre
        (one/many-fit-one), the mean of the true centres (one-fit-many, and
        "other" groups); None for almost-empty.
    errors : ndarray of shape (len(fitted),)
        Distances the theorem bounds: ``||beta_i - target||`` for each fitted
        centre. For "other" groups with several true centres, the distance to
        the nearest of the true centres and their mean. NaN for almost-empty.
    mass : float
        ``P(union of V_i, i in S_a)``, the Voronoi mass of the group.
    reason : str
        Why a group is "other": ``"many-fit-many"`` or ``"not close"``; empty
        otherwise.
    """

    kind: str
    fitted: tuple
    true: tuple
    target: np.ndarray | None
    errors: np.ndarray
    mass: float
    reason: str = ""

    @property
    def shape(self):
        """``"<|S_a|>-fit-<|S*_a|>"``, e.g. ``"2-fit-1"``; ``"1-fit-0"`` for almost-empty."""
        return f"{len(self.fitted)}-fit-{len(self.true)}"

    @property
    def label(self):
        """The shape, marked ``" (other)"`` for groups outside Theorem 1's three types."""
        return self.shape + (" (other)" if self.kind == "other" else "")


@dataclass(frozen=True)
class Association:
    """The partition of fitted and true centres computed by :func:`associate`.

    Attributes
    ----------
    groups : tuple of Group
        Sorted: many-fit-one, one-fit-many, one-fit-one, other, almost-empty
        (larger groups first within a kind).
    shares : ndarray of shape (k, k_star)
        ``P_s(V_i)`` (see :func:`voronoi_shares`).
    masses : ndarray of shape (k,)
        ``P(V_i)``, the Voronoi mass of each fitted centre.
    delta_min, delta_max : float
        Smallest and largest separation of the true centres (inf if ``k* = 1``).
    tol, share : float
        The tolerances used (see :func:`associate`).
    source : str
        How the shares were obtained.
    """

    groups: tuple
    shares: np.ndarray
    masses: np.ndarray
    delta_min: float
    delta_max: float
    tol: float
    share: float
    source: str

    @property
    def signature(self):
        """Compact description, e.g. ``"2-fit-1 + 1-fit-2 + 1-fit-1"``; runs of equal labels as ``"3×1-fit-1"``."""
        parts, labels = [], [g.label for g in self.groups]
        i = 0
        while i < len(labels):
            j = i
            while j < len(labels) and labels[j] == labels[i]:
                j += 1
            parts.append(labels[i] if j - i == 1 else f"{j - i}×{labels[i]}")
            i = j
        return " + ".join(parts)

    @property
    def satisfies_structure(self):
        """True when no group is of kind "other": the structure of Theorems 1-3 holds."""
        return all(g.kind != "other" for g in self.groups)

    @property
    def counts(self):
        """Number of groups of each kind, as a dict over :data:`KINDS`."""
        return {kind: sum(g.kind == kind for g in self.groups) for kind in KINDS}

    @property
    def fitted_kind(self):
        """Kind of the group of each fitted centre, shape (k,)."""
        out = np.empty(self.masses.size, dtype=object)
        for g in self.groups:
            out[list(g.fitted)] = g.kind
        return out

    def errors(self, kinds=None, relative=False):
        """All association errors of groups whose kind is in `kinds` (default: every non-empty kind).

        With ``relative=True`` they are divided by ``delta_max``, the scale of
        the bounds ``C * delta_max / sqrt(eta_max)`` of Theorems 1 and 2.
        """
        kinds = ("many-fit-one", "one-fit-many", "one-fit-one", "other") if kinds is None else kinds
        if isinstance(kinds, str):
            kinds = (kinds,)
        unknown = set(kinds) - set(KINDS)
        if unknown:
            raise ValueError(f"kinds must be among {KINDS}; got {sorted(unknown)}.")
        vals = [g.errors for g in self.groups if g.kind in kinds and g.kind != "almost-empty"]
        out = np.concatenate(vals) if vals else np.empty(0)
        return out / self.delta_max if relative else out

    def __str__(self):
        return self.signature


class _UnionFind:
    def __init__(self, n):
        self.parent = list(range(n))

    def find(self, a):
        while self.parent[a] != a:
            self.parent[a] = self.parent[self.parent[a]]
            a = self.parent[a]
        return a

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _edges(shares, share):
    """Links (i, s) between fitted centre i and true cluster s (see :func:`associate`)."""
    k, k_star = shares.shape
    links = shares >= share                                   # rule 2: a substantial share
    links[shares.argmax(0), np.arange(k_star)] = True          # rule 1: the largest holder of each cluster
    heavy = shares.sum(1) >= share                             # rule 3: a non-empty centre's main source
    links[np.flatnonzero(heavy), shares[heavy].argmax(1)] = True
    return links


def _make_group(fitted, true, C, T, masses, tol_dist):
    fitted, true = tuple(sorted(fitted)), tuple(sorted(true))
    mass = float(masses[list(fitted)].sum())
    if not true:
        return Group("almost-empty", fitted, (), None, np.full(len(fitted), np.nan), mass)
    P = C[list(fitted)]
    target = T[list(true)].mean(0)
    if len(fitted) > 1 and len(true) > 1:
        cands = np.vstack([T[list(true)], target])
        errors = cdist(P, cands).min(1)
        return Group("other", fitted, true, target, errors, mass, "many-fit-many")
    errors = np.linalg.norm(P - target, axis=1)
    kind = "many-fit-one" if len(fitted) > 1 else ("one-fit-many" if len(true) > 1 else "one-fit-one")
    if errors.max() > tol_dist:
        return Group("other", fitted, true, target, errors, mass, "not close")
    return Group(kind, fitted, true, target, errors, mass)


def associate(centers, true_centers, model=None, X=None, *, labels=None, tol=0.25, share=0.1,
              n_mc=200_000, rng=0):
    """Partition fitted and true centres into the associations of Theorems 1-3.

    Paper: Paper 1, Theorem 1 (ball model), Theorem 2 (Gaussian mixture),
    Theorem 3 (any ``k``, ``k*``) and the construction of its proof
    (Steps 1-3, Section VI-B).
    Chapter: book/landscape/figure1, book/landscape/census.

    Parameters
    ----------
    centers : array-like of shape (k, d)
        The fitted centres ``beta``; ``k`` may differ from ``k*``.
    true_centers : array-like of shape (k_star, d) or None
        The true centres ``beta*`` (distinct); None takes ``model.centers``.
    model : BallMixture or GaussianMixture, optional
        Measures the Voronoi masses under the population ``f`` (see
        :func:`voronoi_shares`). If given with `true_centers`, they must agree.
    X : array-like of shape (n, d), optional
        Measures the masses on a sample instead (takes precedence over `model`).
    labels : array-like of shape (n,), optional
        Ground-truth cluster of each row of `X`; without it a point belongs
        to the cluster of its nearest true centre.
    tol : float, default=0.25
        Closeness tolerance, as a fraction of ``Delta_min``: a group is of
        one of Theorem 1's types only if each of its fitted centres lies
        within ``tol * Delta_min`` of its target.
    share : float, default=0.1
        Smallest share of a true cluster's mass that links it to a fitted
        centre besides its largest holder, and the smallest Voronoi mass (in
        units of one cluster's mass) below which a centre is almost empty.
        Must lie in (0, 1); values above 0.5 would miss even an even split.
    n_mc : int, default=200_000
        Monte Carlo size when masses come from a model in ``d >= 2``.
    rng : int, numpy.random.Generator or None, default=0
        Seed of those Monte Carlo draws.

    Returns
    -------
    Association
        With ``.groups``, ``.signature``, ``.satisfies_structure``,
        ``.counts``, ``.errors()``, ``.shares`` and ``.masses``.

    Notes
    -----
    **The association rule.** Let ``m[i, s] = P_s(V_i)`` be the share of true
    cluster ``s`` in the Voronoi set of fitted centre ``i``. Fitted centre
    ``i`` and true centre ``s`` are *linked* when

    1. ``i`` holds the largest share of cluster ``s`` (every true centre is
       linked to someone);
    2. ``m[i, s] >= share`` (a Voronoi boundary cuts cluster ``s``
       substantially, so every centre that takes a real part of it is linked);
    3. ``s`` is the largest source of ``i``'s mass, provided that mass
       ``sum_s m[i, s]`` is at least ``share`` (every centre that is not
       almost empty is linked to someone).

    The connected components of the links are the groups ``(S_a, S*_a)``;
    centres with no link form ``S_0`` (almost-empty: each holds less than
    ``share`` of one cluster's mass). A group with one true centre is
    one-fit-one or many-fit-one, a group with one fitted centre and several
    true centres is one-fit-many, and a group with several of each
    (e.g. the 2-fit-3 local minimum of the paper's appendix Example 1) is
    "other". Finally a group of the first three kinds whose fitted centres
    are not within ``tol * Delta_min`` of the target (the true centre, or the
    mean of the true centres for one-fit-many) is also "other".

    **Why it matches the theorem.** The proof of Theorem 3 builds the
    partition from the sets ``A_i`` (true centres inside ``V_i``) and from
    whether a true ball encloses a large part of a Voronoi boundary. Under
    its separation condition, Theorem 4 shows that a cluster whose ball meets
    no large boundary puts at least ``1 - k^2 lambda r`` of its mass in the
    one cell that contains its centre and at most ``k lambda r`` in any other
    (rule 1 links the former, rule 2 ignores the latter), while the fitted
    centres of a boundary that cuts a ball substantially are all close to
    that ball's centre (Part 1), i.e. belong to one many-fit-one group
    (rule 2). Cells with no true centre and little mass are the
    almost-empty set ``S_0`` (rule 3 and Step 1). So at a local minimum
    satisfying the theorem's hypotheses, and for shares away from the
    thresholds, the components reproduce the partition of Steps 1-3.
    Outside those hypotheses the same rule still applies to any solution,
    which is what makes the structure testable.

    **Why the tolerance is a fraction of Delta_min.** The theorem's errors
    are ``O(Delta_max / sqrt(eta_max))``, small compared with the
    separation; its constants are not explicit, so a test needs a cut. A
    centre within ``Delta_min / 2`` of a true centre is nearer to it than to
    any other; ``tol = 0.25`` asks for the inner half of that ball. The
    census chapter shows how the verdicts move with `tol`.

    Examples
    --------
    >>> from kmbook.structure import associate
    >>> truth = [[-2.0], [0.0], [2.0]]
    >>> a = associate([[-2.1], [-1.9], [1.0]], truth)    # Proposition 2's configuration
    >>> a.signature, a.satisfies_structure
    ('2-fit-1 + 1-fit-2', True)
    >>> associate([[-2/3 - 0.05], [2/3 + 0.05], [9.0]], [[-1.0], [0.0], [1.0]]).signature
    '2-fit-3 (other) + 1-fit-0'
    """
    if model is not None:
        check_model(model)
    C, T, X, labels = as_truth(centers, true_centers, model, X, labels)
    tol = check_positive(tol, "tol")
    share = check_fraction(share, "share")
    shares, weights, source = voronoi_shares(C, T, model, X, labels=labels, n_mc=n_mc, rng=rng)
    masses = shares @ weights
    k, k_star = shares.shape
    delta = pdist(T)
    delta_min, delta_max = (float(delta.min()), float(delta.max())) if k_star > 1 else (math.inf, math.inf)

    links = _edges(shares, share)
    uf = _UnionFind(k + k_star)
    for i, s in zip(*np.nonzero(links)):
        uf.union(int(i), k + int(s))
    comps = {}
    for node in range(k + k_star):
        comps.setdefault(uf.find(node), []).append(node)
    groups = []
    for nodes in comps.values():
        fitted = [v for v in nodes if v < k]
        true = [v - k for v in nodes if v >= k]
        if not true:  # unlinked centres: one almost-empty group each
            groups.extend(_make_group([i], [], C, T, masses, tol * delta_min) for i in fitted)
        else:
            groups.append(_make_group(fitted, true, C, T, masses, tol * delta_min))
    groups.sort(key=lambda g: (_RANK[g.kind], -len(g.fitted), -len(g.true), g.fitted))
    return Association(tuple(groups), shares, masses, delta_min, delta_max, tol, share, source)


# ------------------------------------------------------------------- Figure 1
_FIG1_TRUTH = np.array([[0.0, 6.0], [-4.0, 0.0], [0.0, 0.0], [4.0, 0.0]])
_FIG1_STARTS = {
    "1a: global minimum": _FIG1_TRUTH,
    "1b: spurious local minimum": np.array([[-0.9, 6.0], [0.9, 6.0], [-4.0, 0.0], [2.0, 0.0]]),
    "1c: two centres fit three clusters": np.array([[-0.8, 6.0], [0.8, 6.0], [-2.0, 0.3], [2.0, -0.3]]),
    "1d: two centres fit two clusters": np.array([[0.0, 6.0], [-4.0, 0.0], [2.0, 1.0], [2.0, -1.0]]),
}


def figure1_setup(sigma=0.5):
    """The mixture and the four candidate solutions of our version of Paper 1, Figure 1.

    Paper: Paper 1, Figure 1 (a 2-D Gaussian mixture with four components;
    panels 1a-1d). The paper does not list its coordinates; ours put three
    true centres on a line (spacing 4) and one above the middle one, so that
    the four panels have the paper's structures: 1a the ground truth, 1b two
    centres on the top cluster, one at the mean of the two right clusters
    and one on the left cluster (2-fit-1 + 1-fit-2 + 1-fit-1), 1c two centres
    shared by the three clusters of the line (2-fit-3), 1d two centres
    shared by the two right clusters (2-fit-2).
    Chapter: book/landscape/figure1.

    Parameters
    ----------
    sigma : float, default=0.5
        Standard deviation of every component.

    Returns
    -------
    model : GaussianMixture
    starts : dict of str to ndarray of shape (4, 2)
        The four candidate solutions, keyed by panel.

    Examples
    --------
    >>> from kmbook.structure import figure1_setup, associate
    >>> model, starts = figure1_setup()
    >>> [associate(s, model.centers).signature for s in starts.values()]
    ['4×1-fit-1', '2-fit-1 + 1-fit-2 + 1-fit-1', '2-fit-1 + 2-fit-3 (other)', '2×1-fit-1 + 2-fit-2 (other)']
    """
    model = GaussianMixture(_FIG1_TRUTH, check_positive(sigma, "sigma"))
    return model, {key: val.copy() for key, val in _FIG1_STARTS.items()}

