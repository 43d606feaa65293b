"""Stochastic against batch k-means on Birch1, Birch2 (n = 10^5, k = 100) and DIM032 (Paper 2).

Chapter: book/stochastic/large_n (plots the stored results; too big to run in the chapter).

For every data set, seeding (k-means++ and Algorithm 2) and replicate, batch Lloyd and
mini-batch k-means (BBS and flat rate c' = 1) start from the same seeds; each run records the
full-data cost per point against the number of points touched and against wall-clock time.
The reference solution of each set (batch Lloyd from the ground-truth centres) is checked with
Paper 3's certificate (condition (1.1)): where it holds, the reference is the global optimum.

Regenerate the stored results (a few minutes of CPU time; the stored run took 25 minutes of wall
clock per Birch set on a heavily shared two-core machine):

    python scripts/stochastic_large_n.py --workers 2 --out scripts/results/stochastic_large_n.json

Tasks already present in --out are kept (a checkpoint per data set), so an interrupted run
resumes; --fresh ignores them. Progress bars come from kmbook.sweep.run_sweep (tqdm);
--workers N runs a local Dask cluster and --scheduler ADDRESS an existing one; finished tasks are
also checkpointed per data set (--checkpoint, --no-checkpoint).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

import numpy as np

from kmbook.cli import add_sweep_arguments, checkpoint_path
from kmbook.large_n import efficiency_task, make_tasks, reference_solution
from kmbook.proximity import certify
from kmbook.sweep import run_sweep, sweep_executor

COMMAND = "python scripts/stochastic_large_n.py --workers 2 --out scripts/results/stochastic_large_n.json"


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--datasets", nargs="+", default=["birch1", "birch2", "dim032"])
    p.add_argument("--seedings", nargs="+", default=["kmeans++", "buckshot"])
    p.add_argument("--replicates", type=int, default=5)
    p.add_argument("--passes", type=float, default=20.0, help="points touched by mini-batch / n")
    p.add_argument("--seed", type=int, default=2017)
    p.add_argument("--out", required=True, help="JSON file with the results (also the checkpoint)")
    p.add_argument("--fresh", action="store_true", help="ignore results already in --out")
    add_sweep_arguments(p)
    return p.parse_args(argv)


def _key(task):
    return json.dumps({k: task[k] for k in sorted(task) if k in _TASK_KEYS}, sort_keys=True)


_TASK_KEYS = {"dataset", "seeding", "replicate", "seed", "method", "max_iter", "batch_size",
              "passes", "learning_rate", "c_prime", "t0"}


def _save(path, payload):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(payload, fh, indent=0)
    os.replace(tmp, path)


def references(datasets):
    """Reference cost per point of each set and whether Paper 3's certificate holds."""
    out = {}
    for name in datasets:
        sp, X = reference_solution(name)
        cert = certify(X, sp.labels)
        out[name] = {"cost": float(sp.cost / X.shape[0]), "certified": bool(cert.holds),
                     "n": int(X.shape[0]), "k": int(sp.centers.shape[0]),
                     "boundary_gap": float(sp.boundary_gap),
                     # smallest pairwise margin of (1.1): > 0 iff the certificate holds
                     "certificate_margin": float(np.nanmin(cert.margins))}
    return out


def main(argv=None):
    args = parse_args(argv)
    payload = {"command": COMMAND, "seed": args.seed, "references": {}, "runs": []}
    if os.path.exists(args.out) and not args.fresh:
        with open(args.out, encoding="utf-8") as fh:
            payload = json.load(fh)
    done = {_key(r) for r in payload["runs"]}
    payload["references"].update(references(args.datasets))
    checkpoint = checkpoint_path(args, "stochastic_large_n")
    with sweep_executor(args.workers, args.scheduler) as executor:   # Dask: spawned, numba-safe workers
        for name in args.datasets:   # one checkpoint per data set
            tasks = [t for t in make_tasks(datasets=(name,), seedings=tuple(args.seedings),
                                           replicates=args.replicates, seed=args.seed,
                                           passes=args.passes)
                     if _key(t) not in done]
            if not tasks:
                continue
            t = time.perf_counter()
            # each task derives its own sampling stream from its parameters (task_rng)
            folder = None if checkpoint is None else checkpoint / name
            payload["runs"] += run_sweep(efficiency_task, tasks, rng=args.seed, executor=executor,
                                         desc=f"{name}: runs", checkpoint=folder)
            _save(args.out, payload)
            print(f"{name}: {len(tasks)} runs in {time.perf_counter() - t:.0f} s -> {args.out}",
                  file=sys.stderr)
    _save(args.out, payload)


if __name__ == "__main__":
    main()
