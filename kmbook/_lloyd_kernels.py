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

from ._kernels_common import nearest, reduce_blocks, sq_norms
from ._threads import PARALLEL_MIN_WORK as PARALLEL_MIN_WORK
from ._threads import run_kernel

_CHUNK = 256      # rows per BLAS call
_MAX_BLOCKS = 64  # fixed reduction blocks, so results do not depend on thread count


def assign_accumulate(X, C, labels, mindist, sums, counts, want_dist=True):
    """Nearest-centre labels (ties to the lowest index), exact squared distances,
    and the per-centre sums and counts of the assigned points.

    `labels` (n,) and, if `want_dist`, `mindist` (n,) are written; `sums`
    (k, d) and `counts` (k,) are overwritten. The result does not depend on
    the number of threads.
    """
    run_kernel(_assign_accumulate_kernel, X.shape[0] * C.shape[0] * X.shape[1],
         X, C, labels, mindist, sums, counts, want_dist)


@njit(cache=True, parallel=True)
def _assign_accumulate_kernel(X, C, labels, mindist, sums, counts, want_dist):
    # X, C: IN; labels, mindist (if want_dist), sums, counts: OUT
    n, d = X.shape
    k = C.shape[0]
    n_chunks = (n + _CHUNK - 1) // _CHUNK
    n_blocks = min(_MAX_BLOCKS, n_chunks)
    cnorm = np.empty(k)
    sq_norms(C, cnorm)
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
                bj = nearest(cnorm, P[i])
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
    reduce_blocks(part_sums, part_counts, sums, counts)


def labeled_sq_dist(X, C, labels, out):
    """Write ``||x_i - C[labels_i]||^2`` into `out` (n,)."""
    run_kernel(_labeled_sq_dist_kernel, X.shape[0] * X.shape[1] * 8, X, C, labels, out)


@njit(cache=True, parallel=True)
def _labeled_sq_dist_kernel(X, C, labels, out):
    # X, C, labels: IN; out: OUT
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
