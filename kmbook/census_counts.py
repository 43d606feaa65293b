"""Census summaries as counts with intervals, not bare shares.

:func:`kmbook.census.summarize` returns shares; a chapter that states a rate
needs the count behind it and its uncertainty. :func:`count_summary` returns,
for each group of records, the number of Lloyd limits and, for each property,
a :class:`kmbook.claims.Proportion` (``k/n`` with a Wilson interval).

Paper: Paper 1 (Qian, Zhang and Chen), Theorems 1-2 (the structure census).
Chapter: book/landscape/census, book/landscape/algorithms.
"""

from __future__ import annotations

from collections.abc import Mapping

from ._validation import as_list, as_real, check_nonnegative
from .claims import proportion
from .structure import KINDS

__all__ = ["count_summary", "reaches_truth"]

# The fields of a census record that count_summary reads.
_FIELDS = ("signature", "satisfies", "many_fit_many", "counts", "k", "k_star", "cost", "truth_cost",
           "truth_satisfies")


def reaches_truth(cost, record, rtol=1e-9):
    """Whether a limit costs no more than the truth-started limit (to a relative ``rtol``).

    Parameters
    ----------
    cost : float
        The limit's cost.
    record : dict
        A census record holding ``truth_cost``.
    rtol : float
        Relative tolerance, ``rtol >= 0``.
    """
    as_real(cost, "cost")
    if not isinstance(record, Mapping) or "truth_cost" not in record:
        raise TypeError(f"record must be a census record (a dict with 'truth_cost'); got {type(record).__name__}.")
    as_real(record["truth_cost"], "record['truth_cost']")
    rtol = check_nonnegative(rtol, "rtol")
    return bool(cost <= record["truth_cost"] * (1 + rtol))


def count_summary(records, by=("model", "eta_min")):
    """Counts with Wilson intervals for every group of census records.

    Parameters
    ----------
    records : list of dict
        Records of :func:`kmbook.census.census_task`.
    by : str or tuple of str
        The keys to group by.

    Returns
    -------
    list of dict
        One row per group (sorted) with the grouping keys, ``runs``, ``tasks``,
        and Proportions ``structure`` (limits with the structure),
        ``many_fit_many`` (limits with a many-fit-many group), ``has_<kind>``
        (limits with at least one group of that kind), and, over tasks with
        ``k = k*``, ``truth`` (limits that reach the truth-started cost) and
        ``truth_structure`` (tasks whose truth-started limit has the
        structure); these two are None without such tasks.

    Examples
    --------
    >>> from kmbook.census import census_task
    >>> rec = census_task(dict(model="ball", k_star=3, k=3, d=2, eta_min=10.0, n=3000,
    ...                        n_starts=4), rng=0)
    >>> row = count_summary([rec])[0]
    >>> row["runs"], row["structure"].n
    (4, 4)
    """
    if isinstance(by, str):
        by = (by,)
    by = tuple(as_list(by, "by", "a key or a tuple of keys of the census records"))
    if not by or not all(isinstance(b, str) for b in by):
        raise TypeError(f"by must be a key or a non-empty tuple of string keys; got {by!r}.")
    records = as_list(records, "records", "a list of census records (dicts)")
    if not records:
        raise ValueError("records must be a non-empty list of census records")
    for r in records:
        if not isinstance(r, Mapping):
            raise TypeError(f"records must hold census records (dicts); found {type(r).__name__}.")
        missing = [key for key in (*by, *_FIELDS) if key not in r]
        if missing:
            raise ValueError(f"records must be census records of kmbook.census.census_task; one lacks {missing}.")
    try:
        keys = sorted({tuple(r[b] for b in by) for r in records})
    except TypeError as exc:
        raise TypeError(f"the values of by={by!r} in records must be hashable and comparable: {exc}") from exc
    rows = []
    for key in keys:
        sel = [r for r in records if tuple(r[b] for b in by) == key]
        runs = sum(len(r["signature"]) for r in sel)
        row = dict(zip(by, key), runs=runs, tasks=len(sel))
        row["structure"] = proportion(sum(sum(map(bool, r["satisfies"])) for r in sel), runs)
        row["many_fit_many"] = proportion(sum(sum(m > 0 for m in r["many_fit_many"]) for r in sel), runs)
        for kind in KINDS:
            row["has_" + kind] = proportion(sum(sum(c[kind] > 0 for c in r["counts"]) for r in sel), runs)
        same = [r for r in sel if r["k"] == r["k_star"]]
        if same:
            n_same = sum(len(r["cost"]) for r in same)
            row["truth"] = proportion(sum(reaches_truth(c, r) for r in same for c in r["cost"]), n_same)
            row["truth_structure"] = proportion(sum(bool(r["truth_satisfies"]) for r in same), len(same))
        else:
            row["truth"] = row["truth_structure"] = None
        rows.append(row)
    return rows
