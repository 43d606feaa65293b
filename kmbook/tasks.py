"""Typed sweep tasks: small frozen, picklable records of what one census task computes.

Chapter: book/landscape/census, book/landscape/algorithms.

:func:`kmbook.census.census_task`, :func:`kmbook.census.benchmark_task` and
:func:`kmbook.census.run_census` accept these (or the equivalent dicts, as
before); :func:`kmbook.census.census_grid` returns :class:`CensusTask` objects.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

__all__ = ["CensusTask", "BenchmarkTask"]


class _Task:
    """Dict-style read access (``task["k"]``), as for the dict tasks these classes type."""

    def __getitem__(self, key):
        return getattr(self, key)

    def as_dict(self):
        """The task as the dict :func:`kmbook.census.census_task` / :func:`kmbook.census.benchmark_task` also accept."""
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class CensusTask(_Task):
    """One census task (see :func:`kmbook.census.census_task` for the meaning of the fields); picklable.

    Chapter: book/landscape/census.
    """

    model: str
    k_star: int
    k: int
    d: int
    eta_min: float
    n: int
    n_starts: int
    seeding: str = "uniform"
    layout: int | None = None
    tol: float = 0.25
    share: float = 0.1
    prune: str | None = None
    threads: int = 1


@dataclass(frozen=True)
class BenchmarkTask(_Task):
    """One benchmark-set task (see :func:`kmbook.census.benchmark_task`); ``k=None`` takes the ground truth's.

    Chapter: book/landscape/algorithms.
    """

    name: str
    n_starts: int
    k: int | None = None
    seeding: str = "uniform"
    tol: float = 0.25
    share: float = 0.1
    prune: str | None = None
    threads: int = 1
