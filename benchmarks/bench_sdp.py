"""SDP solver choices for kmbook.sdp: time and accuracy against a tight reference, same run.

For the Peng–Wei and Amini–Levina relaxations on two kinds of instances — "exact" (three
well-separated clusters at separation 8; the solution is a partition matrix at small N, but at
N = 399 the Peng–Wei optimum is not, see convex/sdp_at_scale) and "inexact" (overlapping
clusters, a fractional solution) — of N points, each solver setting is timed (median of
`--repeats` runs, including cvxpy's compilation) and compared with a reference solve by Clarabel
at tolerances 1e-10:

  * max |Z - Z_ref|            entrywise error of the solution,
  * |value - value_ref| / value_ref,
  * max residual               largest constraint violation of the returned Z,
  * verified                   the a-posteriori KKT check of kmbook.sdp passes (residual_tol 1e-4).

Settings: Clarabel at its defaults (kmbook's choice for N <= 40), SCS at its default eps = 1e-4,
SCS at eps = 1e-6 (kmbook's choice above 40 points) and SCS at eps = 1e-8. The speed ratio
printed is (Clarabel default time) / (setting's time).

Usage: python benchmarks/bench_sdp.py [--sizes 20 40 60] [--repeats 3]
Writes benchmarks/results/sdp.json.

Native solver (``solver="kmbook"``, kmbook.sdp_native) against cvxpy + SCS (eps 1e-6, the book's
setting) and Clarabel, same instances, same run:

  python benchmarks/bench_sdp.py --native [--native-sizes 60 120 400] [--large 2000 5000]

For every N in --native-sizes, both kinds and both relaxations: wall-clock and CPU time of each
solver, the speed ratios SCS time / native time (wall and CPU; and Clarabel's where it runs,
N <= 60), the relative value difference, each result's certified gap (value - lower_bound) / value
and its largest residual.
Each N in --large runs the native solver alone (Peng–Wei, inexact kind) in a fresh subprocess
(its peak resident memory is then its own) with ``tol = feas_tol = --large-tol`` (1e-5 unless
given; one value or one per size) and ``max_time = --large-max-time``, and reports time,
iterations, certified gap and peak memory. The machine's load average is recorded with every
row. Ratios are same-run; each row is a single run, so their spread under load is not measured.
Writes benchmarks/results/sdp_native.json (rewritten after every row).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from _common import environment, write_result

from kmbook import sdp
from kmbook.cli import git_revision
from kmbook.exceptions import ConvergenceWarning

SETTINGS = {
    "clarabel (default)": ("CLARABEL", {}),
    "scs eps=1e-4": ("SCS", {"eps_abs": 1e-4, "eps_rel": 1e-4}),
    "scs eps=1e-6 (kmbook)": ("SCS", dict(sdp.SCS_DEFAULT_OPTIONS)),
    "scs eps=1e-8": ("SCS", {"eps_abs": 1e-8, "eps_rel": 1e-8, "max_iters": 200_000}),
}
REFERENCE = ("CLARABEL", {"tol_gap_abs": 1e-10, "tol_gap_rel": 1e-10, "tol_feas": 1e-10, "max_iter": 500})


def instance(kind, n_points, rng):
    n = n_points // 3
    sep = 8.0 if kind == "exact" else 1.2
    C = sep * np.array([[0.0, 0.0], [1.0, 0.0], [0.5, np.sqrt(3) / 2]])
    return np.vstack([c + rng.normal(size=(n, 2)) for c in C])


def _timed(solve, X, solver, opts):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        t0, c0 = time.perf_counter(), time.process_time()
        res = solve(X, 3, solver, solver_options=opts)
        return res, time.perf_counter() - t0, time.process_time() - c0


def _row(res, elapsed, cpu):
    return {"time_s": elapsed, "cpu_s": cpu, "value": res.value, "lower_bound": res.lower_bound,
            "certified_gap": res.certified_gap, "max_residual": res.max_residual, "status": res.status,
            "verified": bool(res.verified), "iterations": res.iterations,
            "certified_partition": res.certified_partition is not None}


def single(n_points, kind, relaxation, tol, max_time):
    """One native solve (run in a subprocess by --large): prints a JSON row."""
    import resource

    X = instance(kind, n_points, np.random.default_rng(2026))
    opts = {"tol": tol, "feas_tol": tol, "max_time": max_time}
    res, elapsed, cpu = _timed(getattr(sdp, relaxation), X, "kmbook", opts)
    row = {"N": X.shape[0], "kind": kind, "relaxation": relaxation, "tol": tol, "native": _row(res, elapsed, cpu),
           "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "load_avg": os.getloadavg()}
    print(json.dumps(row), flush=True)


def native(args):
    out = Path(__file__).resolve().parent / "results" / args.out
    out.parent.mkdir(exist_ok=True)
    head = git_revision(short=True, exclude=("benchmarks/results",))
    result = {"solver_revision": f"kmbook.sdp_native as committed in {head or 'an unknown commit'}",
              "command": "python benchmarks/bench_sdp.py " + " ".join(sys.argv[1:]),
              "rows": [], "large": [], "environment": environment("cvxpy", "clarabel", "scs"),
              "threads": {v: os.environ.get(v) for v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS")}}

    def save():
        out.write_text(json.dumps(result, indent=2) + "\n")

    _timed(sdp.peng_wei, instance("exact", 12, np.random.default_rng(0)), "kmbook", None)  # compile the kernels
    for n_points in args.native_sizes:
        for kind in args.kinds:
            X = instance(kind, n_points, np.random.default_rng(2026))
            for relaxation in args.relaxations:
                solve = getattr(sdp, relaxation)
                load0 = os.getloadavg()[0]
                nat, t_nat, c_nat = _timed(solve, X, "kmbook", None)
                scs_res, t_scs, c_scs = _timed(solve, X, "SCS", None)
                row = {"N": X.shape[0], "kind": kind, "relaxation": relaxation, "native": _row(nat, t_nat, c_nat),
                       "scs": _row(scs_res, t_scs, c_scs), "speedup_vs_scs": t_scs / t_nat,
                       "cpu_speedup_vs_scs": c_scs / c_nat,
                       "value_rel_diff_vs_scs": abs(nat.value - scs_res.value) / scs_res.value}
                if X.shape[0] <= 60:
                    cla, t_cla, c_cla = _timed(solve, X, "CLARABEL", None)
                    row["clarabel"] = _row(cla, t_cla, c_cla)
                    row["speedup_vs_clarabel"] = t_cla / t_nat
                    row["value_rel_diff_vs_clarabel"] = abs(nat.value - cla.value) / cla.value
                row["load_avg"] = [load0, os.getloadavg()[0]]
                result["rows"].append(row)
                save()
                print(f"N={row['N']:4d} {kind:7s} {relaxation:12s} native {t_nat:8.2f} s ({nat.iterations} it, gap "
                      f"{nat.certified_gap:.1e}, res {nat.max_residual:.1e})  SCS {t_scs:8.2f} s (gap "
                      f"{scs_res.certified_gap:.1e})  ratio {row['speedup_vs_scs']:6.1f} "
                      f"(CPU {row['cpu_speedup_vs_scs']:.1f})  |dvalue| "
                      f"{row['value_rel_diff_vs_scs']:.1e}  load {row['load_avg'][0]:.1f}", flush=True)
    if len(args.large_tol) not in (1, len(args.large)):
        raise SystemExit(f"--large-tol: give one tolerance or one per --large size ({len(args.large)}); "
                         f"got {len(args.large_tol)}")
    tols = args.large_tol * len(args.large) if len(args.large_tol) == 1 else args.large_tol
    for n_points, tol in zip(args.large, tols):
        cmd = [sys.executable, __file__, "--single", str(n_points), "inexact", "peng_wei", str(tol),
               str(args.large_max_time)]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
        row = json.loads(lines[-1]) if lines else {"N": n_points, "error": done.stderr[-2000:]}
        result["large"].append(row)
        save()
        print(json.dumps(row), flush=True)
    print(f"written to {out}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", nargs="+", type=int, default=[21, 42, 60])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--native", action="store_true", help="native solver against SCS and Clarabel")
    ap.add_argument("--native-sizes", nargs="*", type=int, default=[60, 120, 400])
    ap.add_argument("--large", nargs="*", type=int, default=[2000, 5000])
    ap.add_argument("--large-tol", type=float, nargs="+", default=[1e-5],
                    help="tol = feas_tol of the --large runs: one value, or one per size")
    ap.add_argument("--large-max-time", type=float, default=3600.0)
    ap.add_argument("--kinds", nargs="+", default=["exact", "inexact"])
    ap.add_argument("--relaxations", nargs="+", default=["peng_wei", "amini_levina"])
    ap.add_argument("--out", default="sdp_native.json", help="file name under benchmarks/results/")
    ap.add_argument("--single", nargs=5, metavar=("N", "KIND", "RELAXATION", "TOL", "MAX_TIME"))
    args = ap.parse_args()
    if args.single:
        n, kind, rel, tol, mt = args.single
        return single(int(n), kind, rel, float(tol), float(mt))
    if args.native:
        return native(args)

    rng = np.random.default_rng(2026)
    rows = []
    for n_points in args.sizes:
        for kind in ("exact", "inexact"):
            X = instance(kind, n_points, rng)
            for relaxation in ("peng_wei", "amini_levina"):
                solve = getattr(sdp, relaxation)
                ref = solve(X, 3, REFERENCE[0], solver_options=REFERENCE[1])
                for name, (solver, opts) in SETTINGS.items():
                    times, res = [], None
                    for _ in range(args.repeats):
                        with warnings.catch_warnings():
                            warnings.simplefilter("ignore", ConvergenceWarning)
                            t0 = time.perf_counter()
                            res = solve(X, 3, solver, solver_options=opts)
                            times.append(time.perf_counter() - t0)
                    rows.append({
                        "N": X.shape[0], "kind": kind, "relaxation": relaxation, "setting": name,
                        "time_s": statistics.median(times),
                        "z_error": float(np.abs(res.Z - ref.Z).max()),
                        "value_rel_error": abs(res.value - ref.value) / ref.value,
                        "max_residual": res.max_residual,
                        "suboptimality_bound": res.kkt.get("suboptimality", float("inf")),
                        "verified": bool(res.verified),
                        "status": res.status,
                    })
                    print(f"N={X.shape[0]:3d} {kind:7s} {relaxation:12s} {name:22s} {rows[-1]['time_s']:8.3f} s"
                          f"  |Z-Zref| {rows[-1]['z_error']:.1e}  value {rows[-1]['value_rel_error']:.1e}"
                          f"  residual {rows[-1]['max_residual']:.1e}  verified {rows[-1]['verified']}", flush=True)
    # speed ratios against Clarabel's default in the same run
    for r in rows:
        base = next(b for b in rows if (b["N"], b["kind"], b["relaxation"]) == (r["N"], r["kind"], r["relaxation"])
                    and b["setting"] == "clarabel (default)")
        r["speedup_vs_clarabel"] = base["time_s"] / r["time_s"]
    result = {
        "reference": {"solver": REFERENCE[0], "options": REFERENCE[1]},
        "rows": rows,
        "environment": environment("cvxpy", "clarabel", "scs"),
    }
    out = write_result(result, "sdp")
    print(f"\n{'N':>3s} {'kind':7s} {'relaxation':12s} {'setting':22s} {'speed vs Clarabel':>17s} "
          f"{'max|Z-Zref|':>11s} {'verified':>8s}")
    for r in rows:
        print(f"{r['N']:3d} {r['kind']:7s} {r['relaxation']:12s} {r['setting']:22s} {r['speedup_vs_clarabel']:17.1f}"
              f" {r['z_error']:11.1e} {r['verified']!s:>8s}")
    print(f"written to {out}")


if __name__ == "__main__":
    main()
