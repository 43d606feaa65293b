"""numba kernels for the assignment and averaging steps of Lloyd's algorithm.

Private: callers validate. Every kernel is deterministic: the data are split
into a fixed number of blocks (independent of the thread count), each block
accumulates its own partial sums, and the blocks are reduced in order, so the
result does not depend on thread scheduling. Each kernel has a plain-NumPy
twin (``*_numpy``) used by the tests.

Distances use the expansion ``||x - c||^2 = ||x||^2 - 2<x, c> + ||c||^2``
with ``<x, c>`` computed by BLAS on chunks of rows, as scikit-learn does;
the reported minimum squared distance is then recomputed exactly as
``||x - c_label||^2`` so costs carry no cancellation error.
"""

import numpy as np
from numba import njit, prange

from ._threads import numba_threads

_CHUNK = 256      # rows per BLAS call
_MAX_BLOCKS = 64  # fixed reduction blocks, so results do not depend on thread count
#: Below this many multiply-adds (n * k * d) a kernel runs on one thread: starting a
#: parallel region costs more than it saves on small inputs, and far more (tens of
#: milliseconds) when the cores are busy with other work.
PARALLEL_MIN_WORK = 4_000_000


def _run(kernel, work, *args):
    """Call a parallel kernel, on a single thread when `work` is small."""
    if work >= PARALLEL_MIN_WORK:
        return kernel(*args)
    with numba_threads(1):
        return kernel(*args)


def assign_accumulate(X, C, labels, mindist, sums, counts, want_dist=True):
    """Nearest-centre labels (ties to the lowest index), exact squared distances,
    and the per-centre sums and counts of the assigned points.

    `labels` (n,) and, if `want_dist`, `mindist` (n,) are written; `sums`
    (k, d) and `counts` (k,) are overwritten. The result does not depend on
    the number of threads.
    """
    _run(_assign_accumulate_kernel, X.shape[0] * C.shape[0] * X.shape[1],
         X, C, labels, mindist, sums, counts, want_dist)


@njit(cache=True, parallel=True)
def _assign_accumulate_kernel(X, C, labels, mindist, sums, counts, want_dist):
    n, d = X.shape
    k = C.shape[0]
    n_chunks = (n + _CHUNK - 1) // _CHUNK
    n_blocks = min(_MAX_BLOCKS, n_chunks)
    cnorm = np.empty(k)
    for j in range(k):
        s = 0.0
        for a in range(d):
            s += C[j, a] * C[j, a]
        cnorm[j] = s
    CT = np.ascontiguousarray(C.T)
    part_sums = np.zeros((n_blocks, k, d))
    part_counts = np.zeros((n_blocks, k), dtype=np.int64)
    for b in prange(n_blocks):
        c0 = (n_chunks * b) // n_blocks
        c1 = (n_chunks * (b + 1)) // n_blocks
        P = np.empty((_CHUNK, k))
        block_sums = part_sums[b]
        block_counts = part_counts[b]
        for c in range(c0, c1):
            s0 = c * _CHUNK
            e0 = min(n, s0 + _CHUNK)
            m = e0 - s0
            if m == _CHUNK:
                np.dot(X[s0:e0], CT, P)
            else:
                P[:m] = np.dot(X[s0:e0], CT)
            for i in range(m):
                row = s0 + i
                best = np.inf
                bj = 0
                for j in range(k):
                    v = cnorm[j] - 2.0 * P[i, j]
                    if v < best:
                        best = v
                        bj = j
                labels[row] = bj
                block_counts[bj] += 1
                if want_dist:
                    dist = 0.0
                    for a in range(d):
                        diff = X[row, a] - C[bj, a]
                        dist += diff * diff
                        block_sums[bj, a] += X[row, a]
                    mindist[row] = dist
                else:
                    for a in range(d):
                        block_sums[bj, a] += X[row, a]
    sums[:, :] = 0.0
    counts[:] = 0
    for b in range(n_blocks):
        for j in range(k):
            counts[j] += part_counts[b, j]
            for a in range(d):
                sums[j, a] += part_sums[b, j, a]


def labeled_sq_dist(X, C, labels, out):
    """Write ``||x_i - C[labels_i]||^2`` into `out` (n,)."""
    _run(_labeled_sq_dist_kernel, X.shape[0] * X.shape[1] * 8, X, C, labels, out)


@njit(cache=True, parallel=True)
def _labeled_sq_dist_kernel(X, C, labels, out):
    n, d = X.shape
    for i in prange(n):
        j = labels[i]
        s = 0.0
        for a in range(d):
            diff = X[i, a] - C[j, a]
            s += diff * diff
        out[i] = s


def assign_accumulate_numpy(X, C):
    """NumPy twin of :func:`assign_accumulate` (direct distances), for tests."""
    d2 = ((X[:, None, :] - C[None, :, :]) ** 2).sum(-1)
    labels = np.argmin(d2, axis=1)
    mindist = d2[np.arange(X.shape[0]), labels]
    k = C.shape[0]
    counts = np.bincount(labels, minlength=k)
    sums = np.zeros_like(C)
    np.add.at(sums, labels, X)
    return labels, mindist, sums, counts


def assign(X, C):
    """Run :func:`assign_accumulate` with freshly allocated outputs."""
    n, d = X.shape
    k = C.shape[0]
    labels = np.empty(n, dtype=np.int64)
    mindist = np.empty(n)
    sums = np.empty((k, d))
    counts = np.empty(k, dtype=np.int64)
    assign_accumulate(X, C, labels, mindist, sums, counts)
    return labels, mindist, sums, counts
