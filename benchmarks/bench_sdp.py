"""SDP solver choices for kmbook.sdp: time and accuracy against a tight reference, same run.

For the Peng–Wei and Amini–Levina relaxations on two kinds of instances — "exact" (three
well-separated clusters, the solution is a partition matrix) and "inexact" (overlapping
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
"""

import argparse
import statistics
import time
import warnings

import numpy as np
from _common import environment, write_result

from kmbook import sdp
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


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", nargs="+", type=int, default=[21, 42, 60])
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()

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
              f" {r['z_error']:11.1e} {str(r['verified']):>8s}")
    print(f"written to {out}")


if __name__ == "__main__":
    main()
