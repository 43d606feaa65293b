"""Relax and certify a real benchmark subsample with the native SDP solver (Paper 3, at N ~ 2000).

Chapter: book/convex/sdp_at_scale (which re-verifies the stored certificate in seconds).

The stored results (the chapter loads these two)::

    python scripts/sdp_certify.py --set g2-2-10 --n 2000 --seed 0 --tol 1e-5 --out data/sdp_at_scale/g2-2-10_n2000
    python scripts/sdp_certify.py --set g2-2-50 --n 2000 --seed 0 --tol 1e-5 --out data/sdp_at_scale/g2-2-50_n2000

draws ``--n`` points of a bundled SIPU set without replacement (seeded), solves the
Peng–Wei SDP with ``solver="kmbook"`` (progress bar over ADMM iterations) and writes

* ``<out>.json``: the subsample's recipe, k, value, lower and upper bounds, certified gap,
  iterations, time, peak memory, load average, machine and the command;
* ``<out>.npz``: the subsample's indices, the rounded labels, a factor ``F`` of the
  solution (``Z ~ J / N + F F^T``; empty when ``Z`` is the labels' partition matrix; its rank
  is the smallest, over ``--factor-tols``, whose rebuilt feasible point keeps the solve's
  certified gap within 10 %) and
  the dual matrix ``B`` of ``Z >= 0`` stored as float32 (its strictly lower triangle). Any ``B >= 0`` gives a valid
  lower bound, so rounding it to float32 keeps the bound rigorous; the JSON's
  ``lower_bound_stored`` is the bound recomputed from the stored ``B``, which the chapter
  recomputes again.

One solve, no checkpoint (a killed run starts again).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--set", default="g2-2-10")
    p.add_argument("--n", type=int, default=2000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--relaxation", default="peng_wei", choices=["peng_wei", "amini_levina"])
    p.add_argument("--tol", type=float, default=1e-4)
    p.add_argument("--max-time", type=float, default=7200.0)
    p.add_argument("--factor-tols", type=float, nargs="+", default=[1e-5, 1e-6, 1e-7, 1e-8, 0.0],
                   help="eigenvalue cut-offs tried in turn for the stored factor (relative to the largest)")
    p.add_argument("--out", default=None,
                   help="output path without extension; default data/sdp_at_scale/<set>_n<n>")
    args = p.parse_args(argv)
    if args.out is None:
        args.out = f"data/sdp_at_scale/{args.set}_n{args.n}"
    return args


def main(argv=None):
    from tqdm.auto import tqdm

    from kmbook import sdp
    from kmbook.cli import git_revision
    from kmbook.planted_optimality import partition_cost
    from kmbook.sdp_stored import benchmark_subsample, pack_dual, solution_factor, stored_lower_bound
    from kmbook.sdp_upper import feasible_point

    args = parse_args(argv)
    revision = git_revision(short=True, exclude=(str(Path(args.out).parent),))
    X, idx, k = benchmark_subsample(args.set, args.n, args.seed)
    bar = tqdm(total=None, unit="check", disable=os.environ.get("KMBOOK_PROGRESS") == "0")

    history = []

    def progress(row):
        history.append([int(row[0]), float(row[1]), float(row[4]), float(row[5]), int(row[6])])
        bar.update(1)
        bar.set_postfix(iteration=row[0], residual=f"{row[1]:.1e}", gap=f"{row[4]:.1e}", rho=f"{row[5]:.3g}")

    solve = getattr(sdp, args.relaxation)
    start = time.perf_counter()
    res = solve(X, k, "kmbook", solver_options={"tol": args.tol, "feas_tol": args.tol, "max_time": args.max_time,
                                                "callback": progress})
    elapsed = time.perf_counter() - start
    bar.close()
    packed = pack_dual(res.duals["nonnegative"])
    lb_stored = stored_lower_bound(X, k, args.relaxation, packed)
    labels = sdp.round_solution(res.Z, k)
    if res.partition_solution:
        factor, factor_tol, ub_stored = np.zeros((len(X), 0)), None, partition_cost(X, labels)
    else:
        # the smallest stored rank whose rebuilt feasible point keeps the solve's certified gap (within 10 %)
        D = sdp.distance_matrix(X)
        for factor_tol in args.factor_tols:
            factor = solution_factor(res.Z, rel_tol=factor_tol)
            ub_stored = feasible_point(D, 1.0 / len(X) + factor @ factor.T, k, args.relaxation)[1]
            if (ub_stored - lb_stored) / ub_stored <= 1.1 * res.certified_gap:
                break
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out.with_suffix(".npz"), indices=idx, labels=labels, dual_lower=packed, factor=factor)
    record = {
        "set": args.set, "n": args.n, "seed": args.seed, "k": k, "relaxation": args.relaxation, "tol": args.tol,
        "value": res.value, "lower_bound": res.lower_bound, "upper_bound": res.upper_bound,
        "lower_bound_stored": lb_stored, "certified_gap": res.certified_gap,
        "upper_bound_stored": ub_stored, "factor_rank": int(factor.shape[1]), "factor_tol": factor_tol,
        "certified_gap_stored": (ub_stored - lb_stored) / ub_stored,
        "partition_solution": bool(res.partition_solution),
        "certified_partition": res.certified_partition is not None, "status": res.status,
        "verified": bool(res.verified), "max_residual": res.max_residual, "iterations": res.iterations,
        "time_s": elapsed, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "load_avg": list(os.getloadavg()), "cpu_count": os.cpu_count(), "machine": platform.platform(),
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "solver_revision": revision,
        # the solver's checks: iteration, largest violation of Z >= 0, estimated gap (inf before the
        # residual is small enough to estimate it; not certified), penalty rho, eigen-block size
        "history_columns": ["iteration", "residual", "estimated_gap", "rho", "block"],
        "history": [[v if np.isfinite(v) else None for v in row] for row in history],
        "command": "python scripts/sdp_certify.py " + " ".join(sys.argv[1:] if argv is None else argv),
    }
    out.with_suffix(".json").write_text(json.dumps(record, indent=2) + "\n")
    print(json.dumps(record, indent=2))


if __name__ == "__main__":
    main()
