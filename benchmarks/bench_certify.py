"""Corollary 3.2's certificate in linear time: kmbook.proximity.certify against one Lloyd iteration.

Paper 3's Corollary 3.2 turns Condition (1.1) into a test that certifies a k-means partition as
the unique global minimiser. Checking (1.1) needs the K spectral norms and one projection per
pair of clusters, so for fixed d and K its cost should grow linearly in N. This script measures
that: three well-separated Gaussian clusters (d = 2, K = 3, seeded) of N points in all, for
each N in --sizes,

  * certify   time of ``kmbook.proximity.certify(X, labels)`` (which also returns the cost),
  * peer      time of one Lloyd iteration by scikit-learn on the same data
              (``KMeans(n_clusters=K, init=<true means>, n_init=1, max_iter=1,
              algorithm="lloyd")``), a linear-time reference every reader knows,

each the best of --repeats alternating runs (best, not median: on a shared machine the minimum
is the least disturbed). Reported per N: both times, their ratio certify / peer (same run, same
data), certify's time per point, and whether the certificate holds. The growth exponent is the
least-squares slope of log(certify time) against log N over the sizes; 1 is linear.

Usage: python benchmarks/bench_certify.py [--sizes 10000 100000 1000000] [--repeats 3]
Writes benchmarks/results/certify.json.
"""

import argparse
import time
import warnings

import numpy as np
from _common import environment, write_result
from sklearn.cluster import KMeans

from kmbook.proximity import certify

MEANS = np.array([[0.0, 0.0], [20.0, 0.0], [10.0, 17.0]])


def _best(fn, repeats):
    best = np.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--seed", type=int, default=3)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    rows = []
    for N in args.sizes:
        labels = np.repeat(np.arange(3), -(-N // 3))[:N]
        X = MEANS[labels] + rng.normal(size=(N, 2))
        km = KMeans(n_clusters=3, init=MEANS, n_init=1, max_iter=1, algorithm="lloyd")

        def peer():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # max_iter=1 warns that it did not converge
                km.fit(X)

        result = certify(X, labels)
        t_cert = t_peer = np.inf
        for _ in range(args.repeats):  # alternate, so both see the same load
            t_cert = min(t_cert, _best(lambda: certify(X, labels), 1))
            t_peer = min(t_peer, _best(peer, 1))
        row = {"N": N, "certify_s": t_cert, "sklearn_one_lloyd_iteration_s": t_peer,
               "ratio_certify_over_peer": t_cert / t_peer, "certify_ns_per_point": 1e9 * t_cert / N,
               "certificate_holds": bool(result.holds)}
        rows.append(row)
        print(f"N = {N:>9}: certify {t_cert:.4f} s, one sklearn Lloyd iteration {t_peer:.4f} s,"
              f" ratio {t_cert / t_peer:.2f}, {1e9 * t_cert / N:.0f} ns/point, holds {result.holds}")
    exponent = None
    if len(rows) >= 2:
        exponent = float(np.polyfit(np.log([r["N"] for r in rows]), np.log([r["certify_s"] for r in rows]), 1)[0])
        print(f"growth exponent of certify's time in N: {exponent:.3f} (1 = linear)")
    result = {
        "command": "python benchmarks/bench_certify.py " + " ".join(
            ["--sizes", *map(str, args.sizes), "--repeats", str(args.repeats), "--seed", str(args.seed)]),
        "data": "three Gaussian clusters, d = 2, K = 3, unit variance, means (0,0), (20,0), (10,17)",
        "timing": f"best of {args.repeats} alternating runs, perf_counter",
        "rows": rows,
        "growth_exponent": exponent,
        "environment": environment("scikit-learn"),
    }
    print("wrote", write_result(result, "certify"))


if __name__ == "__main__":
    main()
