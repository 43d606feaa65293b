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

from ._validation import RELAXATIONS, as_generator, as_real_array, check_choice, check_int
from .exceptions import ConvergenceWarning
from .necessary import al_necessary, necessary_threshold_scale, pw_necessary

__all__ = ["NecessaryTrials", "random_instance", "necessary_trials", "ConditionSweep", "condition_sweep",
           "ThresholdRatios", "threshold_ratios"]


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
    max_k = check_int(max_k, "max_k", minimum=2)
    max_n = check_int(max_n, "max_n", minimum=3 if balanced else 2)
    max_d = check_int(max_d, "max_d", minimum=1)
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

    check_choice(relaxation, "relaxation", RELAXATIONS)
    if relaxation == "amini_levina" and not balanced:
        raise ValueError("the Amini–Levina relaxation needs balanced=True.")
    n_trials = check_int(n_trials, "n_trials", minimum=1)
    rng = as_generator(rng)
    if solver is not None and not isinstance(solver, str):
        raise TypeError(f"solver must be None or a solver name (str); got {type(solver).__name__}.")
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


@dataclass(frozen=True)
class ConditionSweep:
    """Outcome of :func:`condition_sweep`: counts per separation.

    Attributes
    ----------
    separations : ndarray of shape (S,)
    reps : int
        Instances per separation.
    exact, sufficient, necessary : ndarray of int, shape (S,)
        How many instances the relaxation solved exactly, satisfied the
        sufficient condition ((1.1) or the localised one) and satisfied the
        necessary condition.
    sufficient_not_exact : int
        Instances satisfying the sufficient condition but not solved exactly
        (a counterexample to Theorem 3.1 / 3.5 if > 0).
    exact_not_necessary : int
        Instances solved exactly but violating the necessary condition
        (a counterexample to Theorem 3.3 / 3.6 if > 0).
    flagged : int
        Solves that raised a ConvergenceWarning (still counted; reported).
    """

    separations: np.ndarray
    reps: int
    exact: np.ndarray
    sufficient: np.ndarray
    necessary: np.ndarray
    sufficient_not_exact: int
    exact_not_necessary: int
    flagged: int


def condition_sweep(make_data, separations, reps, rng, *, relaxation="peng_wei", solver=None):
    """Exactness of a relaxation and its sufficient and necessary conditions over separations.

    Paper: Paper 3, Theorems 3.1 and 3.3 (Peng–Wei), 3.5 and 3.6 (Amini–Levina).
    Chapter: book/convex/peng_wei.

    Parameters
    ----------
    make_data : callable
        ``make_data(separation, rng) -> (X, labels)``, e.g. a ball mixture.
    separations : array-like of shape (S,)
    reps : int
        Independent instances per separation.
    rng : numpy.random.Generator or int
    relaxation : {"peng_wei", "amini_levina"}, default="peng_wei"
    solver : str, optional

    Returns
    -------
    ConditionSweep
    """
    from .proximity import al_proximity, pw_proximity
    from .sdp import amini_levina, is_exact, peng_wei

    check_choice(relaxation, "relaxation", RELAXATIONS)
    if not callable(make_data):
        raise TypeError("make_data must be callable as make_data(separation, rng) -> (X, labels).")
    reps = check_int(reps, "reps", minimum=1)
    seps = as_real_array(separations, "separations", ndim=1)
    if not np.all(np.isfinite(seps)):
        raise ValueError("separations must be finite.")
    rng = as_generator(rng)
    if solver is not None and not isinstance(solver, str):
        raise TypeError(f"solver must be None or a solver name (str); got {type(solver).__name__}.")
    pw = relaxation == "peng_wei"
    solve, suff, nec = (peng_wei, pw_proximity, pw_necessary) if pw else (amini_levina, al_proximity, al_necessary)
    S = seps.size
    exact, sufficient, necessary = np.zeros(S, int), np.zeros(S, int), np.zeros(S, int)
    bad_suff = bad_nec = flagged = 0
    for s, g in zip(range(S), as_generator(rng).spawn(S)):
        for h in g.spawn(reps):
            X, lab = make_data(float(seps[s]), h)
            k = int(np.unique(lab).size)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", ConvergenceWarning)
                ex = is_exact(solve(X, k, solver=solver).Z, lab)
            flagged += any(issubclass(w.category, ConvergenceWarning) for w in caught)
            su, ne = suff(X, lab).holds, nec(X, lab).holds
            exact[s] += ex
            sufficient[s] += su
            necessary[s] += ne
            bad_suff += su and not ex
            bad_nec += ex and not ne
    return ConditionSweep(seps, reps, exact, sufficient, necessary, int(bad_suff), int(bad_nec), int(flagged))


@dataclass(frozen=True)
class ThresholdRatios:
    """Outcome of :func:`threshold_ratios`: per-instance thresholds on the scaling family.

    Attributes
    ----------
    relaxation : str
    t_nec, t_suf : ndarray of shape (m,)
        Separation scales at which the necessary condition starts to hold and
        at which the sufficient condition (1.1) does.
    ratio : ndarray of shape (m,)
        ``t_exact / t_nec``: the exactness threshold found by bisection (upper
        end of the final bracket) over the necessary threshold; ``nan`` where
        the relaxation was already exact at ``below * t_nec`` (0.99 by default).
    exact_below_nec : ndarray of bool, shape (m,)
        The relaxation was exact at ``below * t_nec``, where the necessary
        condition fails: a counterexample to the condition's soundness.
    tol : float
        Width of the final bracket, relative to ``t_nec``.
    """

    relaxation: str
    t_nec: np.ndarray = field(repr=False)
    t_suf: np.ndarray = field(repr=False)
    ratio: np.ndarray = field(repr=False)
    exact_below_nec: np.ndarray = field(repr=False)
    tol: float


def threshold_ratios(relaxation, n_instances, rng, *, balanced=True, tol=0.01, below=0.99,
                     solver=None):
    """How far above the necessary threshold each instance becomes exact.

    Along the scaling family ``t -> X + (t - 1) c_{label}`` the necessary
    condition holds exactly for ``t >= t_nec``, so "violated" means
    ``t < t_nec``. The informative quantity is therefore ``t_exact / t_nec``,
    with ``t_exact`` the scale from which the relaxation returns the planted
    partition, found by bisection between ``below * t_nec`` and
    ``1.01 t_suf`` (assuming exactness is monotone in ``t``, as
    :func:`kmbook.recovery.recovery_threshold` does). Soundness means
    ``t_nec <= t_exact`` on every instance; a ratio close to 1 means the
    condition is nearly sharp.

    Paper: Paper 3, Theorems 3.3 and 3.6 (reconstructed).
    Chapter: book/convex/peng_wei, book/convex/amini_levina.

    Parameters
    ----------
    relaxation : {"peng_wei", "amini_levina"}
    n_instances : int
    rng : numpy.random.Generator or int
    balanced : bool, default=True
        Equal cluster sizes (required for "amini_levina"); see :func:`random_instance`.
    tol : float, default=0.01
        Final bracket width, relative to ``t_nec``.
    below : float, default=0.99
        Soundness is tested by one solve at ``below * t_nec`` (``exact_below_nec``),
        where the bisection also starts; ``0 < below < 1``.
    solver : str, optional

    Returns
    -------
    ThresholdRatios
    """
    from .proximity import threshold_scale
    from .recovery import recovery_threshold
    from .sdp import amini_levina, is_exact, peng_wei

    if relaxation not in ("peng_wei", "amini_levina"):
        raise ValueError(f"relaxation must be 'peng_wei' or 'amini_levina'; got {relaxation!r}.")
    if relaxation == "amini_levina" and not balanced:
        raise ValueError("the Amini–Levina relaxation needs balanced=True.")
    n_instances = check_int(n_instances, "n_instances", minimum=1)
    if not 0 < below < 1:
        raise ValueError(f"below must lie in (0, 1) (a fraction of t_nec, e.g. 0.999); got {below!r}.")
    solve = peng_wei if relaxation == "peng_wei" else amini_levina
    t_nec, t_suf, ratio, exact_below = [], [], [], []
    for g in as_generator(rng).spawn(n_instances):
        X, lab = random_instance(g, balanced=balanced)
        tn = necessary_threshold_scale(X, lab, relaxation)
        ts = threshold_scale(X, lab)
        t_nec.append(tn)
        t_suf.append(ts)
        exact_lo = is_exact(solve(_scale(X, lab, below * tn), int(lab.max()) + 1, solver=solver).Z, lab)
        exact_below.append(bool(exact_lo))
        if exact_lo:
            ratio.append(np.nan)
            continue
        r = recovery_threshold(lambda s, X=X, lab=lab, tn=tn: (_scale(X, lab, s * tn), lab),
                               below, 1.01 * max(ts, tn) / tn, relaxation=relaxation, tol=tol,
                               solver=solver)
        ratio.append(r.threshold)
    return ThresholdRatios(relaxation, np.array(t_nec), np.array(t_suf), np.array(ratio),
                           np.array(exact_below), float(tol))
