"""Executable claims: statements a chapter makes, each backed by a check that can fail.

A chapter collects its claims in a :class:`Claims` object. Every
:meth:`Claims.check` call records one statement together with the condition
that supports it and the evidence (the compared quantities and the tolerance).
A false condition raises :class:`ClaimFailed`, so the notebook stops, strict
nbval fails and the book build fails. :meth:`Claims.table` renders the
chapter's "What we verified" table from the recorded claims, as Markdown for
the HTML and as plain text that nbval compares.

Numbers quoted in the prose come from the outputs through :func:`glue` (a thin
wrapper of :func:`myst_nb.glue`) and the ``{glue:text}`` role.

The uncertainty helpers state rates, means, slopes and comparisons with their
intervals: :func:`proportion` (Wilson score interval), :func:`mean_interval`,
:func:`slope` (least squares with a Student-t interval), :func:`bootstrap_slope`
(paired bootstrap percentile interval) and :func:`compare` (difference of two
estimates with standard errors).

Chapter: every chapter's "What we verified" section.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field

import numpy as np
from scipy import stats

from ._validation import as_real_array

__all__ = [
    "Claim",
    "ClaimFailed",
    "Claims",
    "ClaimsTable",
    "Comparison",
    "Estimate",
    "Proportion",
    "bootstrap_slope",
    "compare",
    "glue",
    "mean_interval",
    "proportion",
    "slope",
    "wilson_interval",
]


class ClaimFailed(AssertionError):
    """A chapter's claim is false: its supporting condition did not hold."""


@dataclass(frozen=True)
class Claim:
    """One recorded claim: the statement, its evidence and how it was checked."""

    statement: str
    evidence: str
    method: str | None = None


def _as_condition(passed) -> bool:
    if isinstance(passed, (bool, np.bool_)):
        return bool(passed)
    raise TypeError(
        f"passed must be a single bool (got {type(passed).__name__}); reduce arrays with "
        "np.all(...) or np.any(...) so the claim states exactly what is checked"
    )


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


@dataclass
class ClaimsTable:
    """The "What we verified" table: Markdown for the HTML, plain text for nbval."""

    chapter: str
    claims: list[Claim] = field(default_factory=list)

    def _has_method(self) -> bool:
        return any(c.method for c in self.claims)

    def _repr_markdown_(self) -> str:
        if self._has_method():
            lines = ["| Claim | How it is checked | Evidence |", "|---|---|---|"]
            lines += [f"| {_cell(c.statement)} | {_cell(c.method or '')} | {_cell(c.evidence)} |"
                      for c in self.claims]
        else:
            lines = ["| Claim | Evidence |", "|---|---|"]
            lines += [f"| {_cell(c.statement)} | {_cell(c.evidence)} |" for c in self.claims]
        return "\n".join(lines)

    def __repr__(self) -> str:
        out = [f"What we verified in '{self.chapter}': {len(self.claims)} claims, all checks passed"]
        for i, c in enumerate(self.claims, 1):
            out.append(f"{i:2d}. {_cell(c.statement)}")
            if c.method:
                out.append(f"    checked by: {_cell(c.method)}")
            out.append(f"    evidence: {_cell(c.evidence)}")
        return "\n".join(out)


class Claims:
    """The claims of one chapter, each backed by a condition that can fail.

    Parameters
    ----------
    chapter : str
        The chapter's name, shown in the table and in failure messages.

    Examples
    --------
    >>> claims = Claims("demo")
    >>> x = 0.1 + 0.2
    >>> _ = claims.check("0.1 + 0.2 equals 0.3 to 1e-12", abs(x - 0.3) < 1e-12,
    ...                  evidence=f"|x - 0.3| = {abs(x - 0.3):.1e} < 1e-12")
    >>> claims.check("0.1 + 0.2 equals 0.3 exactly", x == 0.3, evidence=f"x = {x!r}")
    Traceback (most recent call last):
    ...
    kmbook.claims.ClaimFailed: [demo] claim is false: 0.1 + 0.2 equals 0.3 exactly -- evidence: x = 0.30000000000000004
    >>> len(claims)
    1
    """

    def __init__(self, chapter: str):
        if not isinstance(chapter, str) or not chapter.strip():
            raise ValueError("chapter must be a non-empty string naming the chapter, e.g. Claims('spurious_1d')")
        self.chapter = chapter
        self._claims: list[Claim] = []

    def check(self, statement: str, passed, *, evidence: str, method: str | None = None) -> Claim:
        """Record ``statement`` if ``passed`` holds; raise :class:`ClaimFailed` otherwise.

        Parameters
        ----------
        statement : str
            The claim as the chapter states it.
        passed : bool
            The condition that supports it. It must be able to fail: not a quantity
            compared with itself, not a property true by construction.
        evidence : str
            The compared quantities and the tolerance, as numbers.
        method : str, optional
            How the check is made (shown as its own column in the table).

        Returns
        -------
        Claim
            The recorded claim.

        Raises
        ------
        ClaimFailed
            If ``passed`` is false; the message names the statement and the evidence.
        TypeError
            If ``passed`` is not a single bool (e.g. an array).
        """
        if not isinstance(statement, str) or not statement.strip():
            raise ValueError("statement must be a non-empty string stating the claim")
        if not isinstance(evidence, str) or not evidence.strip():
            raise ValueError("evidence must be a non-empty string giving the compared numbers and tolerance")
        if method is not None and not isinstance(method, str):
            raise TypeError("method must be a string describing the check, or None")
        if not _as_condition(passed):
            raise ClaimFailed(f"[{self.chapter}] claim is false: {statement} -- evidence: {evidence}")
        claim = Claim(statement, evidence, method)
        self._claims.append(claim)
        return claim

    def table(self) -> ClaimsTable:
        """The chapter's "What we verified" table of the claims recorded so far."""
        if not self._claims:
            raise ValueError(f"no claims recorded for '{self.chapter}': call check(...) before table()")
        return ClaimsTable(self.chapter, list(self._claims))

    def __len__(self) -> int:
        return len(self._claims)

    def __iter__(self):
        return iter(self._claims)


def glue(name: str, value, fmt: str | None = None) -> str:
    """Glue ``value`` (formatted with ``fmt``) for the ``{glue:text}`` role.

    The glued text is stored in the notebook's outputs, so strict nbval compares
    it, and the sentence that quotes it cannot drift from the computation.

    Parameters
    ----------
    name : str
        The glue key used in ``{glue:text}`name```.
    value : object
        The value; numbers are formatted with ``fmt``.
    fmt : str, optional
        A format spec such as ``".3f"``; ``None`` uses ``str(value)``.

    Returns
    -------
    str
        The glued text.
    """
    try:
        from myst_nb import glue as _myst_glue
    except ImportError as exc:  # pragma: no cover - the book's requirements install it
        raise ImportError("kmbook.claims.glue needs myst-nb: pip install 'kmbook[book]'") from exc
    if not isinstance(name, str) or not name:
        raise TypeError(f"name must be a non-empty string (the glue key); got {name!r}.")
    if fmt is not None and not isinstance(fmt, str):
        raise TypeError(f"fmt must be a format spec string such as '.3f', or None; got {fmt!r}.")
    try:
        text = str(value) if fmt is None else format(value, fmt)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"fmt={fmt!r} cannot format value of type {type(value).__name__}: {exc}") from exc
    _myst_glue(name, text, display=False)
    return text


@dataclass(frozen=True)
class Estimate:
    """A point estimate with a confidence interval ``[lo, hi]``."""

    value: float
    lo: float
    hi: float
    confidence: float = 0.95
    digits: int = 3

    def contains(self, x: float) -> bool:
        """Whether ``x`` lies in the interval."""
        return bool(self.lo <= x <= self.hi)

    def excludes(self, x: float) -> bool:
        """Whether ``x`` lies outside the interval."""
        return not self.contains(x)

    def __str__(self) -> str:
        d = self.digits
        return f"{self.value:.{d}g} ({self.confidence:.0%} interval {self.lo:.{d}g} to {self.hi:.{d}g})"


@dataclass(frozen=True)
class Proportion(Estimate):
    """``k`` successes out of ``n`` with a Wilson score interval."""

    k: int = 0
    n: int = 0

    def __str__(self) -> str:
        return f"{self.k}/{self.n} ({self.confidence:.0%} interval {self.lo:.2f}–{self.hi:.2f})"


def _check_confidence(confidence: float) -> float:
    if isinstance(confidence, bool) or not isinstance(confidence, numbers.Real):
        raise TypeError(f"confidence must be a real number strictly between 0 and 1, got {confidence!r}")
    if not (0.0 < float(confidence) < 1.0):
        raise ValueError(f"confidence must lie strictly between 0 and 1, got {confidence!r}")
    return float(confidence)


def wilson_interval(k: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """The Wilson score interval for a binomial proportion ``k/n``.

    Examples
    --------
    >>> lo, hi = wilson_interval(5, 10)
    >>> round(lo, 4), round(hi, 4)
    (0.2366, 0.7634)
    """
    if isinstance(k, bool) or isinstance(n, bool) or int(k) != k or int(n) != n:
        raise TypeError("k and n must be integers (counts of successes and of runs)")
    k, n = int(k), int(n)
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    if not 0 <= k <= n:
        raise ValueError(f"k must lie in [0, n] = [0, {n}], got {k}")
    z = float(stats.norm.ppf(0.5 + _check_confidence(confidence) / 2))
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    lo = 0.0 if k == 0 else max(0.0, centre - half)
    hi = 1.0 if k == n else min(1.0, centre + half)
    return lo, hi


def proportion(k: int, n: int, confidence: float = 0.95) -> Proportion:
    """``k`` of ``n`` runs as a proportion with its Wilson interval.

    ``str()`` gives ``"k/n (95% interval a–b)"``, the form the book quotes.

    Examples
    --------
    >>> str(proportion(11, 12))
    '11/12 (95% interval 0.65–0.99)'
    """
    lo, hi = wilson_interval(k, n, confidence)
    return Proportion(k / n, lo, hi, confidence, 3, int(k), int(n))


def mean_interval(samples, confidence: float = 0.95) -> Estimate:
    """The sample mean with a Student-t interval (needs at least two samples)."""
    x = as_real_array(samples, "samples").ravel()
    if x.size < 2 or not np.all(np.isfinite(x)):
        raise ValueError("samples must hold at least two finite values")
    q = stats.t.ppf(0.5 + _check_confidence(confidence) / 2, x.size - 1)
    se = x.std(ddof=1) / math.sqrt(x.size)
    m = float(x.mean())
    return Estimate(m, m - q * se, m + q * se, confidence)


def _xy(x, y, min_points: int = 3):
    x = np.asarray(x, dtype=float).ravel()
    y = np.asarray(y, dtype=float).ravel()
    if x.shape != y.shape:
        raise ValueError(f"x and y must have the same length, got {x.size} and {y.size}")
    if x.size < min_points or not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise ValueError(f"x and y must hold at least {min_points} finite values")
    if np.ptp(x) == 0:
        raise ValueError("x must not be constant: a slope needs at least two distinct x values")
    return x, y


def slope(x, y, confidence: float = 0.95) -> Estimate:
    """The least-squares slope of ``y`` on ``x`` with a Student-t interval.

    For a log-log slope pass ``np.log(x), np.log(y)``.
    """
    x, y = _xy(x, y)
    fit = stats.linregress(x, y)
    q = stats.t.ppf(0.5 + _check_confidence(confidence) / 2, x.size - 2)
    return Estimate(float(fit.slope), float(fit.slope - q * fit.stderr), float(fit.slope + q * fit.stderr), confidence)


def bootstrap_slope(x, y, *, rng, n_boot: int = 2000, confidence: float = 0.95) -> Estimate:
    """The least-squares slope with a paired-bootstrap percentile interval.

    Pairs ``(x_i, y_i)`` are resampled with replacement; resamples whose ``x`` is
    constant are redrawn. ``rng`` is a seed or :class:`numpy.random.Generator`.
    """
    x, y = _xy(x, y)
    if int(n_boot) < 100:
        raise ValueError(f"n_boot must be at least 100, got {n_boot}")
    gen = np.random.default_rng(rng)
    alpha = 1 - _check_confidence(confidence)
    slopes = np.empty(int(n_boot))
    i = 0
    while i < slopes.size:
        idx = gen.integers(0, x.size, x.size)
        xs, ys = x[idx], y[idx]
        if np.ptp(xs) == 0:
            continue
        xc = xs - xs.mean()
        slopes[i] = xc @ (ys - ys.mean()) / (xc @ xc)
        i += 1
    fit = stats.linregress(x, y)
    lo, hi = np.quantile(slopes, [alpha / 2, 1 - alpha / 2])
    return Estimate(float(fit.slope), float(lo), float(hi), confidence)


@dataclass(frozen=True)
class Comparison:
    """The difference ``a - b`` of two independent estimates with its standard error."""

    difference: float
    se: float
    z: float
    confidence: float = 0.95

    @property
    def critical(self) -> float:
        return float(stats.norm.ppf(0.5 + self.confidence / 2))

    @property
    def distinguishable(self) -> bool:
        """Whether the difference lies outside its noise (``|z|`` above the critical value)."""
        return bool(abs(self.z) > self.critical)

    def __str__(self) -> str:
        verdict = "outside the noise" if self.distinguishable else "within the noise"
        return (f"difference {self.difference:.3g} ± {self.critical * self.se:.2g} "
                f"({self.confidence:.0%}; z = {self.z:.2f}, {verdict})")


def compare(a: float, se_a: float, b: float, se_b: float, confidence: float = 0.95) -> Comparison:
    """Compare two independent estimates ``a ± se_a`` and ``b ± se_b``.

    Examples
    --------
    >>> c = compare(1.0, 0.1, 0.5, 0.1)
    >>> round(c.z, 3), c.distinguishable
    (3.536, True)
    """
    for name, v in (("se_a", se_a), ("se_b", se_b)):
        if not (np.isfinite(v) and v >= 0):
            raise ValueError(f"{name} must be a finite standard error >= 0, got {v!r}")
    se = math.hypot(se_a, se_b)
    if se == 0:
        raise ValueError("se_a and se_b are both zero: there is no noise to compare against")
    d = float(a) - float(b)
    return Comparison(d, se, d / se, _check_confidence(confidence))
