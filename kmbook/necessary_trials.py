"""Random trials of the necessary conditions against the SDP relaxations.

Paper: Paper 3, Theorems 3.3 and 3.6 (reconstructed in :mod:`kmbook.necessary`).
Chapter: book/convex/peng_wei, book/convex/amini_levina.

A necessary condition is *sound* if it never fails on an instance the
relaxation solves exactly, and it has *power* if it fails on a good share of
the instances the relaxation does not solve exactly. :func:`necessary_trials`
draws random clustered instances at separations spread (log-uniformly)
between half the necessary threshold and just above the sufficient threshold
of (1.1) — so both outcomes occur — solves the relaxation and tabulates the
four cases.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

from ._validation import as_generator, check_int
from .exceptions import ConvergenceWarning
from .necessary import al_necessary, necessary_threshold_scale, pw_necessary

__all__ = ["NecessaryTrials", "random_instance", "necessary_trials"]


@dataclass(frozen=True)
class NecessaryTrials:
    """Outcome of :func:`necessary_trials`.

    Attributes
    ----------
    relaxation : str
    exact : ndarray of bool, shape (n_trials,)
        The relaxation returned the planted partition matrix (``is_exact``).
    holds : ndarray of bool, shape (n_trials,)
        The necessary condition held.
    min_slack : ndarray of shape (n_trials,)
    scale_ratio : ndarray of shape (n_trials,)
        Separation scale of the instance divided by its necessary threshold.
    flagged : ndarray of bool, shape (n_trials,)
        The solve raised a :class:`~kmbook.exceptions.ConvergenceWarning`
        (its accuracy is not established); such instances are left out of
        every count below.
    """

    relaxation: str
    exact: np.ndarray = field(repr=False)
    holds: np.ndarray = field(repr=False)
    min_slack: np.ndarray = field(repr=False)
    scale_ratio: np.ndarray = field(repr=False)
    flagged: np.ndarray = field(repr=False)

    @property
    def _ok(self):
        return ~self.flagged

    @property
    def unsound(self):
        """Instances solved exactly on which the condition failed (must be 0)."""
        return int(np.sum(self._ok & self.exact & ~self.holds))

    @property
    def n_exact(self):
        """Instances solved exactly."""
        return int(np.sum(self._ok & self.exact))

    @property
    def n_not_exact(self):
        """Instances not solved exactly."""
        return int(np.sum(self._ok & ~self.exact))

    @property
    def detected(self):
        """Instances not solved exactly on which the condition failed."""
        return int(np.sum(self._ok & ~self.exact & ~self.holds))


def _scale(X, inv, t):
    C = np.array([X[inv == a].mean(axis=0) for a in range(inv.max() + 1)])
    return X + (t - 1.0) * C[inv]


def random_instance(rng, *, balanced=True, max_k=3, max_n=5, max_d=3):
    """One random clustered instance: ``K`` Gaussian blobs with random spreads.

    ``K`` in 2..max_k, ``n`` in 3..max_n points per cluster (sizes drawn
    independently in 2..max_n when ``balanced`` is False), ``d`` in 1..max_d,
    centres ``3 N(0, I)``, cluster ``a`` with standard deviation ``exp(0.5 g_a)``.

    Chapter: book/convex/peng_wei.

    Returns
    -------
    X : ndarray of shape (N, d)
    labels : ndarray of shape (N,)
    """
    rng = as_generator(rng)
    K = int(rng.integers(2, max_k + 1))
    d = int(rng.integers(1, max_d + 1))
    if balanced:
        sizes = np.full(K, int(rng.integers(3, max_n + 1)))
    else:
        sizes = rng.integers(2, max_n + 1, size=K)
    C = rng.normal(size=(K, d)) * 3
    X = np.vstack([C[a] + np.exp(0.5 * rng.normal()) * rng.normal(size=(s, d)) for a, s in enumerate(sizes)])
    return X, np.repeat(np.arange(K), sizes)


def necessary_trials(relaxation, n_trials, rng, *, balanced=True, solver=None):
    """Test a necessary condition against the SDP on random instances.

    Each instance (:func:`random_instance`) is scaled to ``t`` times its
    centre separations, ``t`` log-uniform between half the necessary
    threshold scale and 1.1 times the (1.1) threshold scale, and solved.

    Paper: Paper 3, Theorems 3.3 and 3.6 (reconstructed).
    Chapter: book/convex/peng_wei, book/convex/amini_levina.

    Parameters
    ----------
    relaxation : {"peng_wei", "amini_levina"}
    n_trials : int
    rng : numpy.random.Generator or int
    balanced : bool, default=True
        Equal cluster sizes (required for "amini_levina").
    solver : str, optional
        Passed to :func:`kmbook.sdp.peng_wei` / :func:`kmbook.sdp.amini_levina`.

    Returns
    -------
    NecessaryTrials
    """
    from .proximity import threshold_scale
    from .sdp import amini_levina, is_exact, peng_wei

    if relaxation not in ("peng_wei", "amini_levina"):
        raise ValueError(f"relaxation must be 'peng_wei' or 'amini_levina'; got {relaxation!r}.")
    if relaxation == "amini_levina" and not balanced:
        raise ValueError("the Amini–Levina relaxation needs balanced=True.")
    n_trials = check_int(n_trials, "n_trials", minimum=1)
    solve, nec = (peng_wei, pw_necessary) if relaxation == "peng_wei" else (amini_levina, al_necessary)
    exact, holds, slack, ratio, flagged = [], [], [], [], []
    for g in as_generator(rng).spawn(n_trials):
        X, lab = random_instance(g, balanced=balanced)
        t_nec = necessary_threshold_scale(X, lab, relaxation)
        t_suf = threshold_scale(X, lab)
        t = float(np.exp(g.uniform(np.log(0.5 * t_nec), np.log(1.1 * max(t_suf, t_nec)))))
        Y = _scale(X, lab, t)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ConvergenceWarning)
            res = solve(Y, int(lab.max()) + 1, solver=solver)
        flagged.append(any(issubclass(w.category, ConvergenceWarning) for w in caught))
        r = nec(Y, lab)
        exact.append(is_exact(res.Z, lab))
        holds.append(r.holds)
        slack.append(r.min_slack)
        ratio.append(t / t_nec)
    return NecessaryTrials(
        relaxation, np.array(exact), np.array(holds), np.array(slack), np.array(ratio), np.array(flagged)
    )
