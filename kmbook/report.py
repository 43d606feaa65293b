"""Reporting helpers: plain-text tables and log-log fits of measured quantities.

Chapter: book/landscape/figure1, book/landscape/census, book/landscape/algorithms.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ._fitting import loglog_fit
from ._validation import as_list, check_int

__all__ = ["fit_loglog", "format_table", "markdown_table", "RenderedTable"]


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


def format_table(rows, columns, *, digits=3):
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
    rows = as_list(rows, "rows", "a list of dicts")
    columns = as_list(columns, "columns", "a list of column names")
    digits = check_int(digits, "digits", minimum=0)
    for i, r in enumerate(rows):
        if not isinstance(r, dict) or any(c not in r for c in columns):
            raise ValueError(f"rows[{i}] must be a dict with every column {columns}; got {type(r).__name__}.")

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


@dataclass(frozen=True)
class RenderedTable:
    """A table shown as Markdown in the rendered book and as plain text in the notebook.

    Returned by :func:`markdown_table`; ``markdown`` feeds ``_repr_markdown_`` (the
    HTML page) and ``text`` feeds ``__repr__`` (what strict nbval compares).
    """

    markdown: str
    text: str

    def _repr_markdown_(self) -> str:
        return self.markdown

    def __repr__(self) -> str:
        return self.text


def markdown_table(rows, columns, *, digits=3):
    """A table of `rows` (dicts) with `columns`, rendered as Markdown in the book.

    Chapter: book/convex/amini_levina, book/convex/peng_wei, book/convex/random_models
    (printed results as proper tables instead of monospace print-outs).

    Floats are rounded to `digits` decimals, other values shown with ``str``; a
    ``|`` inside a cell is escaped.

    Parameters
    ----------
    rows : list of dict
        Every dict has every column.
    columns : list of str
        Column names, also the header.
    digits : int, default=3

    Returns
    -------
    RenderedTable

    Examples
    --------
    >>> from kmbook.report import markdown_table
    >>> t = markdown_table([{"n": 3, "x": 0.12345}], ["n", "x"], digits=2)
    >>> print(t.markdown)
    | n | x |
    |---:|---:|
    | 3 | 0.12 |
    >>> t
    n     x
    3  0.12
    """
    text = format_table(rows, columns, digits=digits)  # validates rows, columns, digits

    def cell(v):
        if isinstance(v, (float, np.floating)):
            v = "nan" if math.isnan(v) else f"{v:.{digits}f}"
        return " ".join(str(v).split()).replace("|", "\\|")

    def numeric(c):
        return bool(rows) and all(isinstance(r[c], (int, float, np.integer, np.floating))
                                  and not isinstance(r[c], (bool, np.bool_)) for r in rows)

    lines = ["| " + " | ".join(cell(c) for c in columns) + " |",
             "|" + "|".join("---:" if numeric(c) else "---" for c in columns) + "|"]
    lines += ["| " + " | ".join(cell(r[c]) for c in columns) + " |" for r in rows]
    return RenderedTable("\n".join(lines), text)
