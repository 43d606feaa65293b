"""Mini-batch k-means throughput: kmbook against scikit-learn's MiniBatchKMeans.

Paper: Paper 2 (Tang & Monteleoni), Algorithm 1 with the BBS rate.
Chapter: book/stochastic/clusterable (section "Speed").

The setting: n = 10^6 points in d = 16, k = 64 centres, mini-batches of m = 1024,
the same seeds for both. scikit-learn runs ``MiniBatchKMeans(batch_size=m,
reassignment_ratio=0, init=seeds, n_init=1)``; with reassignment off its update is
Algorithm 1 with the BBS rate ``nhat_r / N_r`` (cumulative counts from zero), exactly
like ``kmbook.stochastic.stochastic_kmeans(..., learning_rate="bbs")``.

Like with like. Four timings, each the best of ``--repeat`` runs, in samples per second:

* ``kmbook``: ``stochastic_kmeans`` end to end — validation, drawing the indices from a
  numpy Generator, all steps; no full-data cost pass (``record_every=[]``).
* ``sklearn_fit``: ``MiniBatchKMeans.fit`` with ``max_iter=1`` (so ``n // m`` steps),
  ``compute_labels=False``, ``tol=0``, ``max_no_improvement=None``. Besides the steps it
  computes the squared norms of all points once and, per step, draws the batch with
  ``RandomState.choice(n, m, p=weights)``, which builds a cumulative sum over all n points
  at every step: a cost that grows with n and that kmbook does not have.
* ``kmbook_kernel``: the numba step kernel on pre-drawn indices (assignment + update),
  serial or parallel over blocks as ``stochastic_kmeans`` chooses (serial below
  ``m k d = 4e6`` multiply-adds per step, so serial here); ``kmbook_kernel_forced_parallel``
  runs the blocks in parallel regardless, for reference on a quiet machine.
* ``sklearn_step``: scikit-learn's own step function ``_mini_batch_step`` on the same
  pre-drawn batches, including the gather ``X[idx]`` its ``fit`` does (assignment,
  batch inertia, update) — the per-step work of both without the sampling.

The headline ratios are ``kmbook / sklearn_fit`` (what a user gets) and
``kmbook_kernel / sklearn_step`` (the same work). Both are measured with all cores and
with one thread (numba ``set_num_threads``, threadpoolctl for OpenMP/BLAS).

Correctness, on the same data and seeds:

* kmbook against the plain NumPy reference of Algorithm 1 (BBS) on the same sample
  sequence: max |difference| of the centres (target 1e-10);
* kmbook against scikit-learn's ``_mini_batch_step`` fed the same batches: max |difference|.

Usage: ``python benchmarks/bench_minibatch.py [--n 1000000] [--steps 0] [--repeat 3]``
(``--steps 0`` means ``n // m``, scikit-learn's one epoch). Writes
``benchmarks/results/minibatch.json`` and prints a table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

import numba
import numpy as np
import sklearn
from sklearn.cluster import MiniBatchKMeans
from sklearn.cluster._kmeans import _mini_batch_step
from threadpoolctl import threadpool_limits

from kmbook import _stochastic_kernels as sk
from kmbook.seeding import uniform
from kmbook.stochastic import stochastic_kmeans

RESULTS = Path(__file__).resolve().parent / "results" / "minibatch.json"


def make_data(n, d, k, seed):
    rng = np.random.default_rng(seed)
    centers = rng.normal(scale=4.0, size=(k, d))
    X = centers[rng.integers(0, k, size=n)] + rng.normal(size=(n, d))
    return np.ascontiguousarray(X), uniform(X, k, rng)


def best_of(fn, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def sklearn_steps(X, seeds, idx):
    centers, new = seeds.copy(), np.empty_like(seeds)
    counts = np.zeros(seeds.shape[0])
    weights = np.ones(idx.shape[1])
    n_threads = sklearn.utils._openmp_helpers._openmp_effective_n_threads()
    with threadpool_limits(limits=1, user_api="blas"):        # as MiniBatchKMeans.fit does
        for rows in idx:
            _mini_batch_step(X[rows], weights, centers, new, counts, None, False, 0.0, False, n_threads)
            centers, new = new, centers
    return centers


def kmbook_kernel(X, seeds, idx, parallel=None):
    C = seeds.copy()
    k, d = C.shape
    if parallel is None:
        parallel = sk.wants_parallel(idx.shape[1], k, d)
    sk.run_steps(X, C, idx, 1, np.zeros(1), sk.BBS, np.zeros(k, np.int64), np.zeros(k, np.int64), parallel)
    return C


def measure(X, seeds, m, steps, idx, repeat, seed):
    n = X.shape[0]
    mbk = MiniBatchKMeans(seeds.shape[0], init=seeds, n_init=1, batch_size=m, reassignment_ratio=0.0,
                          max_iter=1, compute_labels=False, tol=0.0, max_no_improvement=None,
                          random_state=seed)
    out = {}
    out["kmbook"] = best_of(lambda: stochastic_kmeans(X, seeds, m, steps, "bbs", rng=seed,
                                                      record_every=np.array([], dtype=int)), repeat)
    out["sklearn_fit"] = best_of(lambda: mbk.fit(X), repeat)
    out["sklearn_fit_steps"] = int(mbk.n_steps_)
    out["kmbook_kernel"] = best_of(lambda: kmbook_kernel(X, seeds, idx), repeat)
    out["kmbook_kernel_forced_parallel"] = best_of(lambda: kmbook_kernel(X, seeds, idx, parallel=True), repeat)
    out["sklearn_step"] = best_of(lambda: sklearn_steps(X, seeds, idx), repeat)
    per_s = {
        "kmbook": steps * m / out["kmbook"],
        "sklearn_fit": out["sklearn_fit_steps"] * m / out["sklearn_fit"],
        "kmbook_kernel": steps * m / out["kmbook_kernel"],
        "kmbook_kernel_forced_parallel": steps * m / out["kmbook_kernel_forced_parallel"],
        "sklearn_step": steps * m / out["sklearn_step"],
    }
    return {
        "seconds": {k: round(v, 4) for k, v in out.items() if k != "sklearn_fit_steps"},
        "sklearn_fit_steps": out["sklearn_fit_steps"],
        "samples_per_second": {k: round(v) for k, v in per_s.items()},
        "ratio_end_to_end": round(per_s["kmbook"] / per_s["sklearn_fit"], 3),
        "ratio_per_step_work": round(per_s["kmbook_kernel"] / per_s["sklearn_step"], 3),
    }


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--d", type=int, default=16)
    ap.add_argument("--k", type=int, default=64)
    ap.add_argument("--m", type=int, default=1024)
    ap.add_argument("--steps", type=int, default=0, help="0: n // m (one epoch, as sklearn's max_iter=1)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=RESULTS)
    args = ap.parse_args(argv)
    steps = args.steps or args.n // args.m
    X, seeds = make_data(args.n, args.d, args.k, args.seed)

    # warm-up (numba compilation) and the sample sequence kmbook draws for rng=seed
    stochastic_kmeans(X[:5000], seeds, args.m, 3, "bbs", rng=1)
    gen = np.random.default_rng(args.seed)
    per_block = max(1, 65536 // args.m)
    idx = np.concatenate([gen.integers(0, args.n, size=(min(per_block, steps - s), args.m))
                          for s in range(0, steps, per_block)])

    # correctness on the same sample sequence
    C_kmbook = stochastic_kmeans(X, seeds, args.m, steps, "bbs", rng=args.seed,
                                 record_every=np.array([], dtype=int)).centers
    C_ref = seeds.copy()
    sk.run_steps_numpy(X, C_ref, idx, 1, np.zeros(1), sk.BBS, np.zeros(args.k, np.int64),
                       np.zeros(args.k, np.int64))
    C_par = kmbook_kernel(X, seeds, idx, parallel=True)
    C_skl = sklearn_steps(X, seeds, idx)
    agreement = {
        "kmbook_vs_numpy_reference": float(np.abs(C_kmbook - C_ref).max()),
        "kmbook_vs_sklearn_same_batches": float(np.abs(C_kmbook - C_skl).max()),
        "kmbook_serial_vs_parallel_blocks": float(np.abs(C_kmbook - C_par).max()),
    }

    threads = {}
    n_cores = numba.config.NUMBA_NUM_THREADS
    for label, nt in (("all_cores", n_cores), ("one_thread", 1)):
        numba.set_num_threads(nt)
        with threadpool_limits(limits=nt, user_api="openmp"):
            threads[label] = {"threads": nt} | measure(X, seeds, args.m, steps, idx, args.repeat, args.seed)
    numba.set_num_threads(n_cores)

    result = {
        "benchmark": "mini-batch k-means throughput",
        "config": {"n": args.n, "d": args.d, "k": args.k, "batch_size": args.m, "steps": steps,
                   "repeat": args.repeat, "seed": args.seed, "learning_rate": "bbs"},
        "agreement_max_abs_diff": agreement,
        "agreement_ok": agreement["kmbook_vs_numpy_reference"] <= 1e-10,
        "timings": threads,
        "machine": {"cpu_count": os.cpu_count(), "load_average_at_end": [round(v, 2) for v in os.getloadavg()],
                    "python": platform.python_version(), "numpy": np.__version__, "numba": numba.__version__,
                    "scikit_learn": sklearn.__version__},
        "note": "The machine may be shared; ratios are measured in the same run. See the module docstring.",
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")

    print(f"n={args.n} d={args.d} k={args.k} m={args.m} steps={steps}  (samples per second, best of {args.repeat})")
    print(f"{'threads':>10s} {'kmbook':>11s} {'sklearn fit':>12s} {'ratio':>6s} {'kmbook kernel':>14s} "
          f"{'sklearn step':>13s} {'ratio':>6s}")
    for label, r in threads.items():
        s = r["samples_per_second"]
        print(f"{label:>10s} {s['kmbook']:11.3g} {s['sklearn_fit']:12.3g} {r['ratio_end_to_end']:6.2f} "
              f"{s['kmbook_kernel']:14.3g} {s['sklearn_step']:13.3g} {r['ratio_per_step_work']:6.2f}")
    print(f"max |kmbook - NumPy reference| = {agreement['kmbook_vs_numpy_reference']:.2e} "
          f"({'OK' if result['agreement_ok'] else 'FAIL'}, target 1e-10); "
          f"max |kmbook - sklearn, same batches| = {agreement['kmbook_vs_sklearn_same_batches']:.2e}")
    print(f"written to {args.out}")
    return result


if __name__ == "__main__":
    main()
