"""Share of instances exactly recovered against the separation, Peng–Wei and Amini–Levina (Paper 3).

A random protocol modelled on Section 5's (points uniform in balls, not on its spheres): K balls
of radius 1 whose centres form a layout with minimum separation Delta, n points uniform in each
ball, many instances per setting; for every
instance, every Delta of a grid and both relaxations, a verdict resting on a mathematical
argument whose inequalities are decided in floating point with a margin
(kmbook.section5_recovery.recovery_trial: "exact" = a verified dual certificate of the planted
partition fitted to the native solver's dual; "not_exact" = the reconstructed necessary condition
fails, or an exactly feasible point cheaper than the planted partition; else "undecided").

  python scripts/section5_recovery.py --K 10 --n 20 --d 10 --instances 12 --workers 2 \
      --out scripts/results/section5_recovery.json

Instances run in batches of --batch; after each batch the rows of all finished instances are
written to --out with the command that regenerates exactly them (--instances = the number
finished: instance i's seed depends only on --seed and i). Every finished instance is also
checkpointed (--checkpoint, default under _build/checkpoints), so a killed run resumes.
--workers N runs a local Dask cluster, --scheduler ADDRESS an existing one; progress bars on
stderr (KMBOOK_PROGRESS=0 turns them off). The JSON records the git commit and the native
solver's full options (kmbook.sdp_native.NativeOptions with the overrides); every row also
records the commit of the run that wrote it (a row taken from a checkpoint gets that of the
resuming run); the file-level commit is that of the last write.

  python scripts/section5_recovery.py --recheck competitor --recheck-tol 1e-7 \
      --recheck-max-gap 1e-4 --max-time 2000 --workers 2 \
      --out scripts/results/section5_recovery.json

re-solves only the stored cells whose verdict rests on a cheaper feasible point (and the
undecided ones; 'weakest' adds each relaxation's certified cell of smallest lambda_min) with
the current solver at the tighter tolerance, replaces them in --out, and appends the command,
commit and options to the file's "rechecks" list.

  python scripts/section5_recovery.py --recheck ungated --workers 2 \
      --out scripts/results/section5_recovery.json

re-solves exactly the cells decided by a solve before the rounding fields existed: "exact"
cells whose fitted certificate was accepted by DualCertificate.verified alone (no
"certificate_rounding_gate" field) and "not exact" cells resting on a cheaper point with no
recorded linear residual (no "competitor_rounding_bound"), with the current code and the
sweep's own solver options (--recheck-tol only if given), so that every stored certificate
carries its null residual, duality gap and gate and every cheaper point its rounding allowance;
recorded like the others.
(The solver stops once the rounded partition is within tol of its bound, so at the default
tol = 1e-5 a competitor is only found where the relaxation lies more than about 1e-5 below
the planted cost.)
"""

import argparse
import json
import shlex
import sys
import time
from pathlib import Path

import numpy as np

from kmbook.cli import add_sweep_arguments, checkpoint_path, git_revision
from kmbook.geometries import LAYOUTS
from kmbook.phase_transitions import DISTRIBUTIONS
from kmbook.sdp_native import NativeOptions
from kmbook.section5_recovery import recheck_cell, recovery_trial
from kmbook.sweep import run_sweep, sweep_executor

DEFAULT_DELTAS = [1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 1.9, 2.0, 2.1, 2.2]


def instance_seed(seed, i):
    """Seed of instance `i`: depends only on the parent seed and `i` (prefixes of a run agree)."""
    return int(np.random.SeedSequence([seed, i]).generate_state(1)[0])


def tasks(args, start, stop):
    return [dict(layout=args.layout, K=args.K, n=args.n, d=args.d, distribution=args.distribution,
                 seed=instance_seed(args.seed, i), deltas=list(args.deltas),
                 relaxations=list(args.relaxations), check_below_necessary=True,
                 solver_options={"max_time": args.max_time}) for i in range(start, stop)]


def git_commit():
    """HEAD of the repository (with "+dirty" when tracked files other than results differ), or None."""
    return git_revision(exclude=("scripts/results",))  # the sweep's own output is not code


def full_options(overrides):
    """The native solver's options as used: NativeOptions with `overrides`, JSON-friendly."""
    return {k: v for k, v in {**NativeOptions, **overrides}.items() if k != "callback"}


def needs_rounding_fields(cell):
    """A cell decided by a solve but stored without the rounding fields of the current code.

    Certified cells lacking ``certificate_rounding_gate`` (accepted by
    ``DualCertificate.verified`` alone) and cheaper-point cells lacking
    ``competitor_rounding_bound`` (no recorded linear residual): both were written by a solver
    revision older than the rounding gate; ``--recheck ungated`` re-solves them.
    """
    return (cell.get("evidence") == "fitted_certificate" and "certificate_rounding_gate" not in cell) \
        or (cell.get("evidence") == "competitor" and "competitor_rounding_bound" not in cell)


def recheck(args, argv):
    """Re-solve the chosen cells of --out (--recheck modes) and rewrite --out with them."""
    if args.out is None or not args.out.exists():
        raise SystemExit("--recheck needs --out pointing at a stored sweep to update.")
    data = json.loads(args.out.read_text())
    options = {"max_time": args.max_time}
    if args.recheck_tol is not None or set(args.recheck) != {"ungated"}:
        # competitor / weakest: a tighter tol by default; ungated alone: the sweep's own options
        options["tol"] = 1e-7 if args.recheck_tol is None else args.recheck_tol
    where, work = [], []
    weakest = {}  # per relaxation: the certified cell with the smallest lambda_min
    for i, row in enumerate(data["rows"]):
        for j, cell in enumerate(row["cells"]):
            if cell.get("evidence") == "fitted_certificate":
                lam = cell["certificate_lambda_min"]
                if lam < weakest.get(cell["relaxation"], (np.inf,))[0]:
                    weakest[cell["relaxation"]] = (lam, i, j)
    pick = {(i, j) for _, i, j in weakest.values()} if "weakest" in args.recheck else set()
    for i, row in enumerate(data["rows"]):
        for j, cell in enumerate(row["cells"]):
            gap = (cell["planted_cost"] - cell["competitor_cost"]) / cell["planted_cost"] \
                if cell.get("evidence") == "competitor" else 0.0
            competitor = (cell.get("evidence") == "competitor" and gap < args.recheck_max_gap) \
                or cell["verdict"] == "undecided"
            ungated = needs_rounding_fields(cell)
            if (competitor and "competitor" in args.recheck) or (i, j) in pick \
                    or (ungated and "ungated" in args.recheck):
                where.append((i, j))
                work.append({**{k: row[k] for k in ("layout", "K", "n", "d", "distribution", "seed")},
                             "delta": cell["delta"], "relaxation": cell["relaxation"],
                             "solver_options": options})
    with sweep_executor(args.workers, args.scheduler) as ex:
        new = run_sweep(recheck_cell, work, rng=args.seed, executor=ex, desc="recheck")
    changed = []
    for (i, j), cell in zip(where, new):
        old = data["rows"][i]["cells"][j]
        cell["stored_verdict"] = [old["verdict"], old.get("evidence")]
        cell["recheck_index"] = len(data.get("rechecks", []))  # its entry in the rechecks list
        if [cell["verdict"], cell["evidence"]] != cell["stored_verdict"]:
            changed.append([data["rows"][i]["seed"], cell["relaxation"], cell["delta"]])
        data["rows"][i]["cells"][j] = cell
    data.setdefault("rechecks", []).append({
        "command": "python scripts/section5_recovery.py " + " ".join(shlex.quote(a) for a in argv),
        "mode": sorted(args.recheck),
        "written": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "git_commit": git_commit(),
        "solver_options": full_options(options), "cells": len(where), "changed": changed})
    args.out.write_text(json.dumps(data, indent=1) + "\n")
    print(f"rechecked {len(where)} cells; verdict changed on {len(changed)}: {changed}",
          file=sys.stderr)


def stored_rows(args):
    """Rows already in --out for this sweep (for --resume), and the file's rechecks list.

    Refuses a file written with other sweep arguments or other instance seeds, so a resumed
    run extends exactly the instances its recorded command regenerates.
    """
    if args.out is None or not args.out.exists():
        return [], []
    data = json.loads(args.out.read_text())
    same = ("layout", "K", "n", "d", "distribution", "deltas", "relaxations", "seed", "max_time")
    old = data.get("arguments", {})
    differ = [k for k in same if k in old and old[k] != getattr(args, k)]
    seeds = [row["seed"] for row in data["rows"]]
    if differ or seeds != [instance_seed(args.seed, i) for i in range(len(seeds))]:
        raise SystemExit(f"--resume: {args.out} was written by another sweep (differs in {differ or 'seeds'}); "
                         "choose another --out or drop --resume.")
    return data["rows"], data.get("rechecks", [])


def write(args, rows, argv, rechecks=()):
    argv = [a for a in argv if a != "--resume"]
    if "--instances" in argv:
        argv[argv.index("--instances") + 1] = str(len(rows))
    else:
        argv += ["--instances", str(len(rows))]
    command = "python scripts/section5_recovery.py " + " ".join(shlex.quote(a) for a in argv)
    meta = {"command": command, "written": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "arguments": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
            "instances": len(rows), "instances_planned": args.instances, "git_commit": git_commit(),
            "solver_options": full_options({"max_time": args.max_time})}
    meta["arguments"]["instances"] = len(rows)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    extra = {"rechecks": list(rechecks)} if rechecks else {}
    args.out.write_text(json.dumps({**meta, "rows": rows, **extra}, indent=1) + "\n")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--layout", default="hive", choices=LAYOUTS)
    ap.add_argument("--K", type=int, default=10)
    ap.add_argument("--n", type=int, default=20, help="points per ball")
    ap.add_argument("--d", type=int, default=10)
    ap.add_argument("--distribution", choices=DISTRIBUTIONS, default="ball")
    ap.add_argument("--deltas", nargs="+", type=float, default=DEFAULT_DELTAS)
    ap.add_argument("--relaxations", nargs="+", default=["peng_wei", "amini_levina"],
                    choices=["peng_wei", "amini_levina"])
    ap.add_argument("--instances", type=int, default=12)
    ap.add_argument("--batch", type=int, default=4, help="instances per batch (results written after each)")
    ap.add_argument("--max-time", type=float, default=600.0, help="wall seconds per SDP solve")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--recheck", nargs="+", choices=["competitor", "weakest", "ungated"], default=None,
                    help="re-solve only stored cells of --out: 'competitor' (and undecided) "
                    "cells, 'weakest' = each relaxation's certified cell of smallest lambda_min, "
                    "'ungated' = every certified or cheaper-point cell stored without the "
                    "rounding fields (certificate gate, competitor rounding allowance)")
    ap.add_argument("--recheck-tol", type=float, default=None,
                    help="native solver tol for --recheck (relative certified gap); default 1e-7, "
                    "except for '--recheck ungated' alone, which keeps the sweep's own tol")
    ap.add_argument("--recheck-max-gap", type=float, default=float("inf"),
                    help="--recheck competitor: only cells whose stored relative cost gap "
                    "(planted - competitor) / planted is below this")
    ap.add_argument("--out", type=Path, default=None, help="write the rows as JSON here")
    ap.add_argument("--resume", action="store_true",
                    help="keep the instances already in --out (same sweep arguments) and run only "
                    "the rest up to --instances; the file's rechecks are kept")
    add_sweep_arguments(ap)
    argv = list(sys.argv[1:] if argv is None else argv)
    args = ap.parse_args(argv)
    if args.instances < 1 or args.batch < 1:
        ap.error("--instances and --batch must be positive")
    if args.recheck is not None:
        return recheck(args, argv)
    ckpt = checkpoint_path(args, "section5_recovery")
    rows, rechecks = stored_rows(args) if args.resume else ([], [])
    with sweep_executor(args.workers, args.scheduler) as ex:
        for start in range(len(rows), args.instances, args.batch):
            stop = min(start + args.batch, args.instances)
            sub = None if ckpt is None else Path(ckpt) / f"instances-{start}-{stop}"
            batch = run_sweep(recovery_trial, tasks(args, start, stop), rng=args.seed, executor=ex,
                              checkpoint=sub, desc=f"instances {start}-{stop - 1}")
            for row in batch:  # the file-level commit is rewritten on --resume; rows keep theirs
                row.setdefault("git_commit", git_commit())
            rows += batch
            if args.out is not None:
                write(args, rows, argv, rechecks)
            print(f"{stop} instances done", file=sys.stderr, flush=True)
    for rel in args.relaxations:
        print(rel)
        for delta in args.deltas:
            v = [c["verdict"] for r in rows for c in r["cells"]
                 if c["relaxation"] == rel and c["delta"] == delta]
            print(f"  Delta {delta:.2f}: exact {v.count('exact')}, not exact {v.count('not_exact')}, "
                  f"undecided {v.count('undecided')}")


if __name__ == "__main__":
    main()
