"""Argument checks of the Section 5 protocol (:mod:`kmbook.phase_transitions`): tasks, rows, summaries.

Chapter: book/convex/phase_transitions.
"""

from __future__ import annotations

import numbers

import numpy as np

from ._validation import as_list, check_choice, check_int
from .geometries import LAYOUTS

DISTRIBUTIONS = ("ball", "sphere")

THRESHOLD_KEYS = ("peng_wei", "sharp_certificate", "proximity", "necessary")

_KEY_CHECKS = {
    "layout": lambda v, name: check_choice(v, name, LAYOUTS),
    "K": lambda v, name: check_int(v, name, minimum=2),
    "n": lambda v, name: check_int(v, name, minimum=2),
    "d": lambda v, name: check_int(v, name, minimum=1),
    "distribution": lambda v, name: check_choice(v, name, DISTRIBUTIONS),
}


class MissingResults(FileNotFoundError, ValueError):
    """A stored sweep that is not there (a FileNotFoundError, and a ValueError about the name)."""


INSTANCE_KEYS = ("layout", "K", "n", "d", "distribution")


def check_task(task, name="task", keys=INSTANCE_KEYS):
    """A dict with `keys`, their values checked (the instance keys of a Section 5 row)."""
    if not isinstance(task, dict):
        raise TypeError(f"{name} must be a dict (a task or row of section5_sweep); got {type(task).__name__}.")
    missing = [key for key in keys if key not in task]
    if missing:
        raise ValueError(f"{name} lacks the key(s) {missing}; build it with section5_sweep.")
    for key, check in _KEY_CHECKS.items():
        if key in keys:
            check(task[key], f"{name}[{key!r}]")
    return task


def check_rows(rows, name="rows", keys=INSTANCE_KEYS):
    """A non-empty list of dicts, each checked by :func:`check_task`."""
    rows = as_list(rows, name, "a list of dicts (rows of section5_sweep)")
    if not rows:
        raise ValueError(f"{name} must hold at least one row; got none.")
    for i, row in enumerate(rows):
        check_task(row, f"{name}[{i}]", keys)
    return rows


def check_real(value, name):
    """A finite real number (a threshold stored in a row)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number; got {value!r} of type {type(value).__name__}.")
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite; got {value}.")
    return float(value)


def check_summary(summary, x):
    """Output of :func:`threshold_summary` and its integer grouping key `x`, checked."""
    if not isinstance(x, str):
        raise TypeError(f"x must be the grouping key (str), e.g. 'K' or 'd'; got {type(x).__name__}.")
    summary = as_list(summary, "summary", "a list of dicts (output of threshold_summary)")
    if not summary:
        raise ValueError("summary must hold at least one setting; got none.")
    for i, s in enumerate(summary):
        if not isinstance(s, dict) or "instances" not in s:
            raise TypeError(f"summary[{i}] must be a dict from threshold_summary; got {type(s).__name__}.")
        if x not in s:
            raise ValueError(f"x={x!r} is not a key of summary[{i}]; pass one of the keys of threshold_summary's by.")
        check_int(s[x], f"summary[{i}][{x!r}]")
        check_int(s["instances"], f"summary[{i}]['instances']", minimum=1)
        for f in THRESHOLD_KEYS:
            if f in s and not all(hasattr(s[f], a) for a in ("value", "lo", "hi")):
                raise TypeError(f"summary[{i}][{f!r}] must be an Estimate (value, lo, hi) from threshold_summary.")
    return summary
