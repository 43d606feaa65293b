"""Reporting helpers: plain-text tables and log-log fits of measured quantities.

Chapter: book/landscape/figure1, book/landscape/census, book/landscape/algorithms.
"""

from __future__ import annotations

import math

import numpy as np

from ._fitting import loglog_fit

__all__ = ["fit_loglog", "format_table"]


def fit_loglog(x, y):
    """Least-squares line ``log y = intercept + slope * log x``; returns ``(slope, intercept)``.

    Non-positive or non-finite pairs are ignored (at least two must remain).

    Examples
    --------
    >>> from kmbook.report import fit_loglog
    >>> [round(v, 6) for v in fit_loglog([1.0, 4.0, 16.0], [2.0, 1.0, 0.5])]
    [-0.5, 0.693147]
    """
    x = np.asarray(x, dtype=float).ravel()
    y = np.asarray(y, dtype=float).ravel()
    if x.shape != y.shape:
        raise ValueError(f"x and y must have the same length; got {x.size} and {y.size}.")
    return loglog_fit(x, y, error="fit_loglog needs at least two positive, finite (x, y) pairs.")


def format_table(rows, columns, digits=3):
    """Plain-text table of `rows` (dicts) with the given `columns`.

    Floats are rounded to `digits` decimals; numbers are right-aligned and
    other values left-aligned.

    Examples
    --------
    >>> from kmbook.report import format_table
    >>> print(format_table([{"name": "a", "x": 0.12345}, {"name": "bb", "x": 10.0}], ["name", "x"], digits=2))
    name      x
    a      0.12
    bb    10.00
    """
    def cell(v):
        if isinstance(v, (float, np.floating)):
            return "nan" if math.isnan(v) else f"{v:.{digits}f}"
        return str(v)

    def numeric(v):
        return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_))

    body = [[cell(r[c]) for c in columns] for r in rows]
    right = [bool(rows) and all(numeric(r[c]) for r in rows) for c in columns]
    widths = [max([len(str(c))] + [len(b[i]) for b in body]) for i, c in enumerate(columns)]

    def line(values):
        return "  ".join(v.rjust(w) if r else v.ljust(w) for v, w, r in zip(values, widths, right)).rstrip()

    return "\n".join([line([str(c) for c in columns])] + [line(b) for b in body])
