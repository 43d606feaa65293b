"""Warnings and errors specific to :mod:`kmbook`."""

__all__ = ["ConvergenceWarning"]


class ConvergenceWarning(UserWarning):
    """An iterative method stopped before meeting its convergence criterion.

    The result object it returned says so as well (``converged=False`` or a
    non-optimal ``status``); the warning makes sure the caller notices.
    """
