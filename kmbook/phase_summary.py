"""Summaries of the Section 5 sweeps: mean thresholds with intervals, success curves, tables.

Paper: Paper 3, Section 5 (Figures 4 and 5, Conjecture 5.1).
Chapter: book/convex/phase_transitions.
"""

from __future__ import annotations

import numpy as np

from ._section5_checks import check_real, check_rows, check_summary
from ._validation import as_list, as_real_array
from .claims import mean_interval, proportion

__all__ = ["threshold_summary", "success_curve", "THRESHOLD_LABELS", "format_threshold_summary"]


def _groups(rows, by):
    keys = sorted({tuple(r[b] for b in by) for r in rows})
    return [(k, [r for r in rows if tuple(r[b] for b in by) == k]) for k in keys]


def threshold_summary(rows, by=("layout", "K", "d")):
    """Mean thresholds per setting, each with a 95 % Student-t interval over instances.

    Paper: Paper 3, Section 5, Figures 4 and 5.
    Chapter: book/convex/phase_transitions.

    Parameters
    ----------
    rows : list of dict
        Rows of :func:`section5_sweep` (at least two per setting).
    by : tuple of str
        The keys that define a setting.

    Returns
    -------
    list of dict
        Per setting: the keys of `by`, ``instances``, and for each of
        ``peng_wei, proximity, sharp_certificate`` (and ``necessary`` when the
        rows have it) an :class:`kmbook.claims.Estimate`.
    """
    by = as_list(by, "by", "a tuple of row keys")
    if not by or not all(isinstance(b, str) for b in by):
        raise TypeError(f"by must be a non-empty tuple of row keys (str), e.g. ('layout', 'K', 'd'); got {by!r}.")
    fields = ["peng_wei", "proximity", "sharp_certificate"]
    rows = check_rows(rows, "rows", tuple(by) + tuple(fields))
    for i, r in enumerate(rows):
        for f in fields + (["necessary"] if "necessary" in r else []):
            check_real(r[f], f"rows[{i}][{f!r}]")
        try:
            hash(tuple(r[b] for b in by))
        except TypeError as exc:
            raise TypeError(f"rows[{i}] must hold hashable values under the keys of by {by}.") from exc
    out = []
    if rows and all("necessary" in r for r in rows):
        fields.append("necessary")
    groups = _groups(rows, by)
    for key, sel in groups:
        if len(sel) < 2:
            raise ValueError(f"rows must hold at least two instances per setting; the setting {key} of by has "
                             f"{len(sel)}.")
    for key, sel in groups:
        s = dict(zip(by, key))
        s["instances"] = len(sel)
        for f in fields:
            s[f] = mean_interval([r[f] for r in sel])
        out.append(s)
    return out


def success_curve(rows, deltas):
    """Share of instances on which Peng–Wei is exact at each separation, with Wilson intervals.

    An instance counts as exact at ``delta`` when ``delta`` is at least the top
    of its bracket and as not exact when ``delta`` is at most the bottom; a
    ``delta`` inside a bracket is undecided and counts as not exact (so the
    curve is a lower estimate within ``tol`` of the truth).

    Paper: Paper 3, Section 5 (the paper's protocol: success rate against
    separation).
    Chapter: book/convex/phase_transitions.

    Parameters
    ----------
    rows : list of dict
        Rows of one setting.
    deltas : array-like
        Separations.

    Returns
    -------
    list of kmbook.claims.Proportion
    """
    rows = check_rows(rows, "rows", ("bracket",))
    tops = []
    for i, r in enumerate(rows):
        bracket = as_real_array(r["bracket"], f"rows[{i}]['bracket']", ndim=1)
        if bracket.shape != (2,):
            raise ValueError(f"rows[{i}]['bracket'] must be [lo, hi]; got shape {bracket.shape}.")
        tops.append(check_real(bracket[1], f"rows[{i}]['bracket'][1]"))
    deltas = as_real_array(deltas, "deltas", ndim=1)
    top = np.array(tops)
    return [proportion(int(np.sum(top <= dl)), top.size) for dl in deltas]


THRESHOLD_LABELS = {
    "peng_wei": "Peng–Wei exact",
    "sharp_certificate": "sharp certificate",
    "proximity": "(1.1) holds",
    "necessary": "necessary condition holds",
}


def format_threshold_summary(summary, x):
    """Plain-text table of :func:`threshold_summary` output: one line per setting, means with intervals.

    Chapter: book/convex/phase_transitions.
    """
    summary = check_summary(summary, x)
    fields = [f for f in THRESHOLD_LABELS if f in summary[0]]
    head = f"{x:>3s} {'runs':>4s} | " + " | ".join(f"{THRESHOLD_LABELS[f]:^24s}" for f in fields)
    lines = [head]
    for s in summary:
        cells = [f"{s[f].value:6.3f} ({s[f].lo:.3f} to {s[f].hi:.3f})" for f in fields]
        lines.append(f"{s[x]:3d} {s['instances']:4d} | " + " | ".join(f"{c:^24s}" for c in cells))
    return "\n".join(lines)
