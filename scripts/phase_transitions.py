"""Phase transitions of exact recovery for the Peng–Wei relaxation (Paper 3, Section 5), at scale.

Two protocols.

``--protocol random`` (the paper's random protocol, kmbook.phase_transitions): K balls of
radius 1 at the centres of a layout, n i.i.d. points per ball (uniform in the ball, or on its
sphere with --distribution sphere), many instances per setting. Each instance keeps its points
while the separation moves the centres, and gets its own thresholds: (1.1), the sharp dual
certificate and Peng–Wei's own (bisection on SDP solves). Results go to --out as JSON with the
command that produced them, rewritten after every setting (a checkpoint: --resume skips the
settings already in the file). The chapter book/convex/phase_transitions plots the stored files
in scripts/results/.

  python scripts/phase_transitions.py --protocol random --layouts line --K 2 --d 2 3 4 6 8 10 \
      --n 20 --instances 10 --workers 2 --out scripts/results/section5_dimension.json

``--protocol deterministic`` (default, kmbook.recovery.section5_thresholds): for every layout,
number of clusters K and dimension d: the smallest minimum separation at
which Peng–Wei returns the planted clusters (bisection), the separation at which the proximity
condition (1.1) starts to hold (exact) and the threshold of the sharp dual certificate — the
computation of book/convex/phase_transitions, for more clusters, more points, random points on
spheres (as in the paper's dimension experiment) and several worker processes.

Examples
--------
  python scripts/phase_transitions.py --layouts hive --K 2 3 4 5 6 7 --n 6 --workers 2
  python scripts/phase_transitions.py --layouts circle --K 2 3 4 --scheduler tcp://HOST:8786
  python scripts/phase_transitions.py --layouts line --K 2 --n 20 --d 2 3 4 6 8 \
      --random-points --instances 5 --out results/dimension.json

Above 40 points per instance kmbook.sdp switches from Clarabel to SCS (eps 1e-6); see the
accuracy notes in kmbook/sdp.py. Progress bars go to stderr (KMBOOK_PROGRESS=0 turns them off).
--workers N runs a local Dask cluster, --scheduler ADDRESS uses an existing one; every finished
row is checkpointed, so a killed run resumes when started again (see kmbook/cli.py).
"""

import argparse
import json
import shlex
import sys
import time
from pathlib import Path

import numpy as np

from kmbook.cli import add_sweep_arguments, checkpoint_path
from kmbook.geometries import LAYOUTS
from kmbook.phase_transitions import DISTRIBUTIONS, section5_sweep
from kmbook.recovery import section5_thresholds
from kmbook.sweep import sweep_executor


def _setting_seed(seed, layout, K, d, distribution):
    """One parent seed per setting, so settings can run (and resume) in any order."""
    words = [seed, LAYOUTS.index(layout), K, d, DISTRIBUTIONS.index(distribution)]
    return int(np.random.SeedSequence(words).generate_state(1)[0])


def run_random(args, executor):
    """The random protocol, one setting at a time, checkpointing to args.out."""
    done, args.previous_commands = [], []
    if args.resume and args.out is not None and args.out.exists():
        stored = json.loads(args.out.read_text())
        done, args.previous_commands = stored["rows"], stored.get("commands", [stored["command"]])
    have = {(r["layout"], r["K"], r["d"]) for r in done}
    rows = list(done)
    settings = [(layout, K, d) for d in args.d for layout in args.layouts for K in args.K]
    for layout, K, d in settings:
        if (layout, K, d) in have:
            continue
        t0 = time.perf_counter()
        rows += section5_sweep([layout], [K], [d], n=args.n, instances=args.instances,
                               distribution=args.distribution, tol=args.tol, solver=args.solver,
                               check_certificate=not args.no_certificate_check, search=args.search,
                               rng=_setting_seed(args.seed, layout, K, d, args.distribution), executor=executor,
                               desc=f"{layout} K={K} d={d}")
        print(f"{layout} K={K} d={d}: {args.instances} instances in {time.perf_counter() - t0:.0f} s",
              file=sys.stderr, flush=True)
        if args.out is not None:
            _write(args, rows)
    return rows


def _write(args, rows):
    args.out.parent.mkdir(parents=True, exist_ok=True)
    command = "python scripts/phase_transitions.py " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    commands = [c for c in getattr(args, "previous_commands", []) if c != command] + [command]
    arguments = {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()
                 if k != "previous_commands"}
    meta = {"command": command, "commands": commands, "arguments": arguments,
            "written": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    args.out.write_text(json.dumps({**meta, "rows": rows}, indent=1) + "\n")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--layouts", nargs="+", default=list(LAYOUTS), choices=LAYOUTS)
    ap.add_argument("--K", nargs="+", type=int, default=[2, 3, 4, 5, 6])
    ap.add_argument("--n", type=int, default=6, help="points per cluster (default 6)")
    ap.add_argument("--d", nargs="+", type=int, default=[2], help="dimensions (default 2)")
    ap.add_argument("--tol", type=float, default=0.02, help="width of the final bisection bracket")
    ap.add_argument("--protocol", choices=["deterministic", "random"], default="deterministic")
    ap.add_argument("--distribution", choices=DISTRIBUTIONS, default="ball",
                    help="random protocol: points uniform in the balls (default) or on their spheres")
    ap.add_argument("--no-certificate-check", action="store_true",
                    help="random protocol: skip the SDP solve at the sharp certificate's threshold")
    ap.add_argument("--search", choices=["bisect", "from_necessary"], default="bisect",
                    help="random protocol: bisect from half the certificate's threshold, or step up "
                         "from the necessary condition's threshold (fewer solves)")
    ap.add_argument("--resume", action="store_true", help="random protocol: skip settings already in --out")
    ap.add_argument("--solver", choices=["CLARABEL", "SCS", "kmbook"], default=None, help="default: by size")
    ap.add_argument("--random-points", action="store_true",
                    help="deterministic protocol: i.i.d. uniform points on the spheres instead")
    ap.add_argument("--instances", type=int, default=1, help="repetitions per setting (with --random-points)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=None, help="write the rows as JSON here")
    add_sweep_arguments(ap)
    args = ap.parse_args(argv)

    if args.protocol == "random":
        with sweep_executor(args.workers, args.scheduler) as ex:
            rows = run_random(args, ex)
        print(f"{len(rows)} instances" + (f", written to {args.out}" if args.out else ""))
        return

    kwargs = dict(n=args.n, ds=args.d, tol=args.tol, solver=args.solver, random_points=args.random_points,
                  instances=args.instances, rng=args.seed)
    checkpoint = checkpoint_path(args, "phase_transitions")
    with sweep_executor(args.workers, args.scheduler) as ex:
        rows = section5_thresholds(args.layouts, args.K, executor=ex, checkpoint=checkpoint, **kwargs)

    print(f"{'layout':6s} {'K':>3s} {'d':>3s} {'seed':>11s} | {'Peng-Wei exact from':>20s} | "
          f"{'sharp certificate':>17s} | {'(1.1) holds from':>16s}")
    for r in rows:
        lo, hi = r["bracket"]
        seed = "-" if r["seed"] is None else str(r["seed"])
        print(f"{r['layout']:6s} {r['K']:3d} {r['d']:3d} {seed:>11s} | {f'({lo:.3f}, {hi:.3f}]':>20s} | "
              f"{r['sharp_certificate']:17.3f} | {r['proximity']:16.3f}")
    if args.instances > 1:
        print("\nmean over instances:")
        keys = sorted({(r["layout"], r["K"], r["d"]) for r in rows})
        for key in keys:
            sel = [r for r in rows if (r["layout"], r["K"], r["d"]) == key]
            pw = np.array([r["peng_wei"] for r in sel])
            print(f"{key[0]:6s} K={key[1]:<3d} d={key[2]:<3d} Peng-Wei {pw.mean():.3f} ± {pw.std(ddof=1):.3f}"
                  f"  (1.1) {np.mean([r['proximity'] for r in sel]):.3f}")
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        command = "python scripts/phase_transitions.py " + " ".join(shlex.quote(a) for a in sys.argv[1:])
        args.out.write_text(json.dumps({"command": command,
                                        "arguments": {k: (str(v) if isinstance(v, Path) else v)
                                                      for k, v in vars(args).items()}, "rows": rows},
                                       indent=2) + "\n")
        print(f"written to {args.out}")


if __name__ == "__main__":
    main()
