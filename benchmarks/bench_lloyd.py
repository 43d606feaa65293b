"""Lloyd iteration speed: kmbook.lloyd.lloyd against scikit-learn's Lloyd, same data, same run.

Data: n = 10^6 points in d = 16 from a seeded, heavily overlapping Gaussian mixture with 64
components; the k = 64 initial centres are one data point of each component. Both libraries use
the machine's cores (numba threads / OpenMP threads).

Two timings, each the median of `--repeats` alternating runs:
  * call(max_iter=1): one full call doing one iteration (validation, one assignment and
    averaging, the final assignment that matches labels to centres, the cost);
  * per iteration: (time of max_iter=11 - time of max_iter=1) / 10, the marginal cost of one
    assignment-and-averaging step without call overhead.
The ratio is scikit-learn time / kmbook time (> 1 means kmbook is faster).

Usage: python benchmarks/bench_lloyd.py [--n 1000000] [--repeats 5]
Writes benchmarks/results/lloyd.json.
"""

import argparse
import statistics
import time
import warnings

import numba
import numpy as np
from _common import environment, write_result
from sklearn.cluster import KMeans

from kmbook.exceptions import ConvergenceWarning
from kmbook.lloyd import lloyd
from kmbook.models import GaussianMixture


def _time(fn):
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--d", type=int, default=16)
    ap.add_argument("--k", type=int, default=64)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()

    rng = np.random.default_rng(2026)
    # Heavily overlapping components: Lloyd needs many iterations, so max_iter=11 really runs
    # eleven of them; one data point of each component as a centre, so no cluster empties
    # (scikit-learn would re-seed an empty cluster, kmbook keeps it).
    model = GaussianMixture(rng.normal(scale=0.5, size=(args.k, args.d)), sigma=1.0)
    X, labels = model.sample(args.n, rng)
    init = X[[int(np.flatnonzero(labels == j)[0]) for j in range(args.k)]].copy()

    def ours(it):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            return lloyd(X, init, max_iter=it)

    def theirs(it):
        return KMeans(args.k, init=init, n_init=1, max_iter=it, tol=0.0, algorithm="lloyd").fit(X)

    # warm up: numba compilation/cache load, BLAS and OpenMP thread pools
    ours(1), theirs(1)
    # same answer after one and after eleven iterations
    for it in (1, 11):
        a, b = ours(it), theirs(it)
        assert a.n_iter == b.n_iter_ == it and a.counts.min() > 0, "the benchmark must run full, non-empty iterations"
        assert np.allclose(a.centers, b.cluster_centers_, atol=1e-9), "kmbook and scikit-learn disagree"

    times = {key: [] for key in ("ours1", "theirs1", "ours11", "theirs11")}
    for _ in range(args.repeats):
        times["ours1"].append(_time(lambda: ours(1)))
        times["theirs1"].append(_time(lambda: theirs(1)))
        times["theirs11"].append(_time(lambda: theirs(11)))
        times["ours11"].append(_time(lambda: ours(11)))
    med = {k: statistics.median(v) for k, v in times.items()}
    per_ours = (med["ours11"] - med["ours1"]) / 10
    per_theirs = (med["theirs11"] - med["theirs1"]) / 10
    result = {
        "n": args.n, "d": args.d, "k": args.k, "repeats": args.repeats,
        "call_max_iter_1_s": {"kmbook": med["ours1"], "sklearn": med["theirs1"]},
        "per_iteration_s": {"kmbook": per_ours, "sklearn": per_theirs},
        "ratio_call_sklearn_over_kmbook": med["theirs1"] / med["ours1"],
        "ratio_per_iteration_sklearn_over_kmbook": per_theirs / per_ours,
        "environment": environment("scikit-learn"),
    }
    out = write_result(result, "lloyd")
    print(f"Lloyd on n={args.n}, d={args.d}, k={args.k} ({numba.get_num_threads()} numba threads)")
    print(f"{'':24s}{'kmbook':>10s}{'sklearn':>10s}{'sklearn/kmbook':>16s}")
    ratio_call, ratio_iter = result["ratio_call_sklearn_over_kmbook"], result["ratio_per_iteration_sklearn_over_kmbook"]
    print(f"{'call, max_iter=1 (s)':24s}{med['ours1']:10.3f}{med['theirs1']:10.3f}{ratio_call:16.2f}")
    print(f"{'per iteration (s)':24s}{per_ours:10.4f}{per_theirs:10.4f}{ratio_iter:16.2f}")
    print(f"written to {out}")


if __name__ == "__main__":
    main()
