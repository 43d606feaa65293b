"""Census of the local minima reached by Lloyd's algorithm (Paper 1, Theorems 1-2), at scale.

Chapter: book/landscape/census (which runs a smaller grid in under a minute).

Examples
--------
    python scripts/census.py --workers 2
    python scripts/census.py --models gauss --k-stars 3 6 10 --ds 2 10 --etas 1 2 3 4 8 \
        --n-per-cluster 5000 --n-starts 50 --workers 4 --out census.json

Prints the share of limits with the structure by model, dimension and eta_min, the mix of
association kinds by (model, k*, k), and the most frequent failures; with --out, writes every
record as JSON.
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures as cf
import json
import multiprocessing
import sys

from kmbook.census import census_grid, run_census, summarize
from kmbook.report import format_table


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--models", nargs="+", default=["ball", "gauss"], choices=["ball", "gauss"])
    p.add_argument("--k-stars", nargs="+", type=int, default=[3, 6, 10])
    p.add_argument("--k-offsets", nargs="+", type=int, default=[-1, 0, 2, 5])
    p.add_argument("--ds", nargs="+", type=int, default=[1, 2, 5, 10])
    p.add_argument("--etas", nargs="+", type=float, default=[1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 6.0, 8.0, 16.0, 32.0])
    p.add_argument("--n-per-cluster", type=int, default=2000)
    p.add_argument("--n-starts", type=int, default=50)
    p.add_argument("--seeding", default="uniform", choices=["uniform", "kmeans++"])
    p.add_argument("--tol", type=float, default=0.25)
    p.add_argument("--share", type=float, default=0.1)
    p.add_argument("--seed", type=int, default=4004)
    p.add_argument("--workers", type=int, default=1, help="processes (1: run in this process)")
    p.add_argument("--out", help="write all records to this JSON file")
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    tasks = []
    for model in args.models:
        etas = [e for e in args.etas if model == "gauss" or e >= 2.0]   # balls must be disjoint
        tasks += census_grid(models=(model,), k_stars=args.k_stars, k_offsets=args.k_offsets, ds=args.ds,
                             etas=etas, n_per_cluster=args.n_per_cluster, n_starts=args.n_starts,
                             seeding=args.seeding, tol=args.tol, share=args.share)
    print(f"{len(tasks)} tasks, {len(tasks) * args.n_starts} Lloyd runs", file=sys.stderr)
    if args.workers > 1:
        ctx = multiprocessing.get_context("spawn")   # numba's threading layer is not fork-safe
        with cf.ProcessPoolExecutor(args.workers, mp_context=ctx) as pool:
            records = run_census(tasks, rng=args.seed, executor=pool)
    else:
        records = run_census(tasks, rng=args.seed)

    print(format_table(summarize(records, by=("model", "d", "eta_min")),
                       ["model", "d", "eta_min", "eta_max", "runs", "structure", "many_fit_many",
                        "truth_structure", "truth"]))
    print()
    print(format_table(summarize(records, by=("model", "k_star", "k")),
                       ["model", "k_star", "k", "runs", "structure", "has_many-fit-one", "has_one-fit-many",
                        "has_almost-empty", "has_other"]))
    print()
    fails = collections.Counter(s for r in records for s, ok in zip(r["signature"], r["satisfies"]) if not ok)
    for sig, count in fails.most_common(10):
        print(f"{count:6d} x {sig}")
    if args.out:
        with open(args.out, "w", encoding="utf-8") as fh:
            json.dump(records, fh, indent=1, default=float)
        print(f"records written to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
