"""The structure of a k-means solution: which fitted centres fit which true centres.

Paper: Paper 1 (Qian, Zhang, Chen), Theorems 1-3 (every local minimum is made of
many/one-fit-one, one-fit-many and almost-empty associations) and Section IV
(seeding, over-parametrisation and pruning); Franti, Rezaei & Zhao (2014) for the
centroid index.
Chapter: book/landscape/figure1, book/landscape/census, book/landscape/algorithms.

:func:`associate` turns any set of fitted centres into the partition that
Theorem 1 (ball model), Theorem 2 (Gaussian mixture) and their general form
Theorem 3 talk about; :func:`centroid_index` counts cluster-level errors
against a ground truth; :func:`prune` removes the almost-empty and merges the
many-fit-one centres of an over-parametrised fit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.spatial.distance import cdist, pdist
from scipy.special import ndtr

from . import _lloyd_kernels as _k
from ._validation import as_centers, as_generator, as_labels, as_points, check_int, check_positive
from .models import BallMixture, GaussianMixture

__all__ = [
    "KINDS",
    "Group",
    "Association",
    "voronoi_shares",
    "associate",
    "centroid_index",
    "PruneResult",
    "prune",
    "figure1_setup",
]

#: The association types of Theorem 1, in the order the signature lists them.
KINDS = ("many-fit-one", "one-fit-many", "one-fit-one", "other", "almost-empty")
_RANK = {kind: i for i, kind in enumerate(KINDS)}


# --------------------------------------------------------------------------- shares
def _check_fraction(value, name):
    value = check_positive(value, name)
    if value >= 1.0:
        raise ValueError(f"{name} must lie in (0, 1); got {value}.")
    return value


def _point_model_shares(C, T):
    """Shares when each true cluster is a point mass at its centre (r -> 0).

    A true centre equidistant (to 1e-9 relative) from several fitted centres
    splits its mass equally between them.
    """
    D = cdist(T, C)
    nearest = D.min(1, keepdims=True)
    tied = D <= nearest * (1 + 1e-9) + 1e-12
    return (tied / tied.sum(1, keepdims=True)).T


def _exact_1d_shares(model, C):
    """Exact shares ``P_s(V_i)`` for a one-dimensional ball or Gaussian mixture."""
    c = C[:, 0]
    k = c.size
    order = np.lexsort((np.arange(k), c))  # by position, ties by index
    lo = np.full(k, -np.inf)
    hi = np.full(k, np.inf)
    prev = None
    for idx in order:
        if prev is not None and c[idx] == c[prev]:
            lo[idx] = hi[idx] = c[idx]  # a duplicate centre: its Voronoi set is a null set
            continue
        if prev is not None:
            mid = 0.5 * (c[prev] + c[idx])
            hi[prev] = mid
            lo[idx] = mid
        prev = idx
    mu = model.centers[:, 0]
    if isinstance(model, BallMixture):
        r = model.radius
        left = np.maximum(lo[:, None], mu[None, :] - r)
        right = np.minimum(hi[:, None], mu[None, :] + r)
        return np.clip(right - left, 0.0, None) / (2 * r)
    s = model.sigma
    return ndtr((hi[:, None] - mu[None, :]) / s) - ndtr((lo[:, None] - mu[None, :]) / s)


def _shares_from_labels(C, T, X, labels):
    """Per-cluster shares of a labelled sample; clusters with no point fall back to the point model."""
    k, k_star = C.shape[0], T.shape[0]
    cell = _k.assign(X, C)[0]
    table = np.bincount(cell * k_star + labels, minlength=k * k_star).reshape(k, k_star).astype(float)
    sizes = table.sum(0)
    shares = np.where(sizes > 0, table / np.where(sizes > 0, sizes, 1.0), 0.0)
    empty = sizes == 0
    if empty.any():
        shares[:, empty] = _point_model_shares(C, T[empty])
    return shares, sizes / sizes.sum()


def voronoi_shares(centers, true_centers=None, model=None, X=None, *, labels=None, n_mc=200_000, rng=0):
    """Share of each true cluster's mass that falls in each fitted Voronoi set.

    Paper: Paper 1, Theorem 4 (the quantities ``P_s(V_i)``) and eq. (5).
    Chapter: book/landscape/figure1.

    Parameters
    ----------
    centers : array-like of shape (k, d)
        Fitted centres ``beta_1..beta_k``.
    true_centers : array-like of shape (k_star, d), optional
        True centres ``beta*_1..beta*_k*``; taken from `model` when omitted.
    model : BallMixture or GaussianMixture, optional
        The mixture; used when `X` is not given. In one dimension the shares
        are exact (interval lengths, normal CDF); otherwise they are estimated
        from `n_mc` model draws made with `rng` (standard error at most
        ``0.5 / sqrt(n_mc / k_star)`` per share).
    X : array-like of shape (n, d), optional
        A sample. Its points are attributed to true clusters by `labels` when
        given, otherwise by their nearest true centre.
    labels : array-like of shape (n,), optional
        Ground-truth cluster of each row of `X`, in ``0..k_star-1``.
    n_mc : int, default=200_000
        Monte Carlo size for a model in two or more dimensions.
    rng : int, numpy.random.Generator or None, default=0
        Seed of the Monte Carlo draws (fixed by default, so repeated calls agree).

    Returns
    -------
    shares : ndarray of shape (k, k_star)
        ``shares[i, s] = P_s(V_i)``; every column sums to one.
    weights : ndarray of shape (k_star,)
        Mass of each true cluster (``1/k*`` for the balanced models; the
        cluster sizes over ``n`` for a labelled sample).
    source : str
        How the shares were obtained.

    Notes
    -----
    With neither `model` nor `X`, the shares are those of the point model,
    the limit ``r -> 0`` discussed after Theorem 1: each true cluster is a
    point mass at its centre, owned by the fitted centre nearest to it (split
    equally between exact ties). Voronoi ties between fitted centres go to the
    lowest index, as in :func:`kmbook.objective.voronoi_labels`.

    Examples
    --------
    >>> from kmbook.models import BallMixture
    >>> from kmbook.structure import voronoi_shares
    >>> m = BallMixture([[-2.0], [0.0], [2.0]], radius=0.2)
    >>> shares, weights, source = voronoi_shares([[-2.1], [-1.9], [1.0]], model=m)
    >>> shares.round(3).tolist(), source
    ([[0.5, 0.0, 0.0], [0.5, 0.0, 0.0], [0.0, 1.0, 1.0]], 'model (exact, 1-D)')
    """
    C, T, model, X, labels = _resolve(centers, true_centers, model, X, labels)
    k_star = T.shape[0]
    if X is not None:
        if labels is None:
            labels = _k.assign(X, T)[0]
            source = "sample (nearest true centre)"
        else:
            source = "sample (labels)"
        shares, weights = _shares_from_labels(C, T, X, labels)
        return shares, weights, source
    weights = np.full(k_star, 1.0 / k_star)
    if model is None:
        return _point_model_shares(C, T), weights, "point model"
    if model.d == 1:
        return _exact_1d_shares(model, C), weights, "model (exact, 1-D)"
    n_mc = check_int(n_mc, "n_mc", minimum=k_star)
    Y, comp = model.sample(n_mc, as_generator(rng))
    shares, _ = _shares_from_labels(C, T, Y, comp)
    return shares, weights, f"model (Monte Carlo, n={n_mc})"


def _resolve(centers, true_centers, model, X, labels):
    """Validate the common inputs of :func:`voronoi_shares` and :func:`associate`."""
    if model is not None and not isinstance(model, (BallMixture, GaussianMixture)):
        raise TypeError(f"model must be a BallMixture or GaussianMixture; got {type(model).__name__}.")
    if true_centers is None:
        if model is None:
            raise ValueError("true_centers is required when no model is given.")
        T = np.array(model.centers)
    else:
        T = as_centers(true_centers, "true_centers")
        if model is not None and (T.shape != model.centers.shape or not np.allclose(T, model.centers)):
            raise ValueError(
                "true_centers must equal model.centers (same rows, same order) when both are given; "
                "pass true_centers=None to use the model's."
            )
    if T.shape[0] > 1 and pdist(T).min() == 0.0:
        raise ValueError("true_centers must be distinct; two rows coincide.")
    C = as_centers(centers, "centers", n_features=T.shape[1])
    if X is not None:
        X = as_points(X, "X")
        if X.shape[1] != T.shape[1]:
            raise ValueError(f"X must have {T.shape[1]} column(s) like the centres; got shape {X.shape}.")
        if labels is not None:
            labels = as_labels(labels, "labels", n_samples=X.shape[0])
            if labels.size and labels.max() >= T.shape[0]:
                raise ValueError(
                    f"labels must lie in 0..{T.shape[0] - 1} (one per true centre); found {labels.max()}."
                )
    elif labels is not None:
        raise ValueError("labels were given without X; pass the sample X they label.")
    return C, T, model, X, labels


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
    C, T, model, X, labels = _resolve(centers, true_centers, model, X, labels)
    tol = check_positive(tol, "tol")
    share = _check_fraction(share, "share")
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


# --------------------------------------------------------------- centroid index
def centroid_index(centers, true_centers, *, directed=False):
    """Centroid index (CI) of Franti, Rezaei & Zhao: cluster-level errors of a solution.

    Paper: Franti, Rezaei & Zhao (2014), used by Franti & Sieranoja (2018);
    in the language of Paper 1 it counts the true clusters left without a
    centre of their own (the cost of many-fit-one / one-fit-many pairs).
    Chapter: book/landscape/algorithms.

    Map every centre of one set to its nearest centre of the other; centres
    of the other set that receive no mapping are *orphans*.
    ``CI1(A -> B)`` is the number of orphans in ``B``, and
    ``CI = max(CI1(A -> B), CI1(B -> A))``, which is symmetric in its
    arguments and zero exactly when the nearest-centre mapping is a
    bijection both ways.

    Parameters
    ----------
    centers : array-like of shape (k, d)
    true_centers : array-like of shape (k_star, d)
    directed : bool, default=False
        Return the pair ``(CI1(centers -> true_centers), CI1(true_centers -> centers))``
        instead of their maximum.

    Returns
    -------
    int or tuple of int

    Examples
    --------
    >>> from kmbook.structure import centroid_index
    >>> truth = [[0.0, 0.0], [10.0, 0.0], [10.0, 10.0]]
    >>> centroid_index(truth, truth)
    0
    >>> centroid_index([[0.0, 0.0], [0.5, 0.0], [10.0, 4.9]], truth)   # 2-fit-1 + 1-fit-2
    1
    >>> centroid_index([[0, 0], [0.5, 0], [10, 0], [10, 0.5]], [[0, 0], [10, 0]], directed=True)
    (0, 2)
    """
    A = as_centers(centers, "centers")
    B = as_centers(true_centers, "true_centers", n_features=A.shape[1])
    D = cdist(A, B)
    a_to_b = B.shape[0] - np.unique(D.argmin(1)).size
    b_to_a = A.shape[0] - np.unique(D.argmin(0)).size
    return (int(a_to_b), int(b_to_a)) if directed else int(max(a_to_b, b_to_a))


# ------------------------------------------------------------------------ prune
@dataclass(frozen=True)
class PruneResult:
    """Result of :func:`prune`.

    Attributes
    ----------
    centers : ndarray of shape (m, d)
        The pruned centres: each is the centre of mass of the union of the
        Voronoi sets of the original centres it replaces.
    members : tuple of tuple of int
        For each pruned centre, the indices of the original centres merged into it.
    dropped : tuple of int
        Original centres removed as almost empty.
    counts : ndarray of shape (m,)
        Points in the Voronoi set of each pruned centre.
    """

    centers: np.ndarray
    members: tuple
    dropped: tuple
    counts: np.ndarray


def _valley_ratio(X, ci, cj):
    """Density at the bisector of (ci, cj) over the smaller density at ci and cj, along their line.

    Counts the points of `X` (the union of the two Voronoi sets) whose
    projection on the segment lies within 1/8 of its length of the bisector,
    and of each centre.
    """
    u = cj - ci
    t = (X - ci) @ u / (u @ u)
    near_i = np.count_nonzero(np.abs(t) < 0.125)
    near_j = np.count_nonzero(np.abs(t - 1.0) < 0.125)
    mid = np.count_nonzero(np.abs(t - 0.5) < 0.125)
    low = min(near_i, near_j)
    if low == 0:
        return math.inf if mid > 0 else 0.0
    return mid / low


def prune(X, centers, *, empty=0.1, valley=1.0, n_clusters=None, neighbours=5):
    """Prune an over-parametrised solution: drop almost-empty centres, merge near-duplicates.

    Paper: Paper 1, Section IV-b (over-parametrisation followed by pruning;
    almost-empty and many-fit-one associations are what gets pruned), after
    Dasgupta & Schulman (2007).
    Chapter: book/landscape/algorithms.

    Parameters
    ----------
    X : array-like of shape (n, d)
        The data the centres were fitted to.
    centers : array-like of shape (k, d)
        Fitted centres, typically a Lloyd limit with ``k > k*``.
    empty : float, default=0.1
        A centre whose Voronoi set holds fewer than ``empty * n / k`` points
        (``empty`` times the average cell) is dropped as almost empty.
    valley : float, default=1.0
        Two centres are merged when, along the segment joining them, the
        points of their two Voronoi sets are at least ``valley`` times as
        dense near the bisector as near the less dense of the two centres:
        no density valley separates them, as for two centres that split one
        cluster (many-fit-one). Ignored when `n_clusters` is given.
    n_clusters : int, optional
        If given, merge instead by the smallest increase of the k-means cost
        (Ward's criterion ``n_i n_j / (n_i + n_j) ||beta_i - beta_j||^2``)
        until `n_clusters` centres remain (after dropping).
    neighbours : int, default=5
        With the valley test, only each centre's `neighbours` nearest other
        centres are candidates for a merge.

    Returns
    -------
    PruneResult

    Notes
    -----
    The two steps mirror the two kinds of surplus centres Theorem 1 allows
    when ``k > k*``: almost-empty ones (small Voronoi mass) and several
    centres on one true cluster (close to each other, with no low-density
    region between them). Merging is greedy: at each round the closest
    candidate pair that passes the test is replaced by the centre of mass of
    its two Voronoi sets, the cells are recomputed, and the search restarts;
    it stops when no pair passes. A density test on the joining line is used
    rather than a fixed distance because the distance between two centres
    sharing a cluster scales with the cluster's width, which is unknown. The
    ratio is computed from counts in three slabs across the segment, each a
    quarter of its length wide. For a Gaussian cluster split in two halves
    (centres ``sigma sqrt(2/pi)`` from the middle, where the density peaks)
    it is about 1.37; for two Gaussian clusters ``Delta`` apart it is
    ``2 [Phi(5 Delta/8) - Phi(3 Delta/8)] / ([2 Phi(Delta/8) - 1] +
    [Phi(-7 Delta/8) - Phi(-9 Delta/8)])`` (distances in units of sigma,
    ``Phi`` the normal CDF), which falls below 1 once ``Delta > 2.24 sigma``.
    So the default ``valley=1`` merges split Gaussian clusters and keeps
    clusters farther apart than about ``2.2 sigma``. A uniform distribution on
    an interval has a flat profile (ratio 1), so in one dimension split ball
    clusters are merged only about half the time; lower `valley` there.
    Sampling noise in the slab counts can leave a split cluster unmerged (an
    extra centre) when clusters are    small clusters.

    Examples
    --------
    >>> import numpy as np
    >>> from kmbook.structure import prune
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(0, 1, (500, 2)), rng.normal(10, 1, (500, 2))])
    >>> res = prune(X, [[-0.8, 0.0], [0.8, 0.0], [10.0, 10.0], [50.0, 50.0]])
    >>> len(res.centers), res.members, res.dropped
    (2, ((0, 1), (2,)), (3,))
    """
    X = as_points(X, "X")
    C = as_centers(centers, "centers", n_features=X.shape[1])
    empty = check_positive(empty, "empty")
    valley = check_positive(valley, "valley")
    neighbours = check_int(neighbours, "neighbours", minimum=1)
    if n_clusters is not None:
        n_clusters = check_int(n_clusters, "n_clusters", minimum=1)
    n, k = X.shape[0], C.shape[0]

    counts = _k.assign(X, C)[3]
    keep = counts >= empty * n / k
    if not keep.any():
        keep[np.argmax(counts)] = True
    dropped = tuple(int(i) for i in np.flatnonzero(~keep))
    members = [(int(i),) for i in np.flatnonzero(keep)]
    cur = C[keep].copy()

    while len(cur) > 1 and (n_clusters is None or len(cur) > n_clusters):
        lab, _, sums, cnt = _k.assign(X, cur)
        if n_clusters is not None:
            pair = _ward_pair(cur, cnt)
        else:
            pair = _valley_pair(X, cur, lab, valley, neighbours)
            if pair is None:
                break
        i, j = pair
        merged = (sums[i] + sums[j]) / (cnt[i] + cnt[j]) if cnt[i] + cnt[j] > 0 else 0.5 * (cur[i] + cur[j])
        members[i] = tuple(sorted(members[i] + members[j]))
        cur[i] = merged
        cur = np.delete(cur, j, axis=0)
        del members[j]
    final = _k.assign(X, cur)[3]
    order = np.argsort([m[0] for m in members], kind="stable")
    return PruneResult(cur[order], tuple(members[o] for o in order), dropped, final[order])


def _ward_pair(cur, cnt):
    D = cdist(cur, cur, "sqeuclidean")
    w = np.outer(cnt, cnt) / np.maximum(cnt[:, None] + cnt[None, :], 1)
    cost = w * D
    np.fill_diagonal(cost, np.inf)
    i, j = np.unravel_index(np.argmin(cost), cost.shape)
    return (min(i, j), max(i, j))


def _valley_pair(X, cur, lab, valley, neighbours):
    D = cdist(cur, cur)
    np.fill_diagonal(D, np.inf)
    m = len(cur)
    near = np.argsort(D, axis=1, kind="stable")[:, : min(neighbours, m - 1)]
    pairs = sorted({(min(i, j), max(i, j)) for i in range(m) for j in near[i]}, key=lambda p: (D[p], p))
    order = np.argsort(lab, kind="stable")
    bounds = np.searchsorted(lab[order], np.arange(m + 1))
    members = [order[bounds[c]:bounds[c + 1]] for c in range(m)]
    for i, j in pairs:
        pts = X[np.concatenate([members[i], members[j]])]
        if _valley_ratio(pts, cur[i], cur[j]) >= valley:
            return (i, j)
    return None
