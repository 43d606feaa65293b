"""numba primitives shared by the Lloyd and stochastic k-means kernels.

Private: callers validate. Each helper is inlined into its caller
(``inline="always"``), so the kernels compile to the same loops as before
they shared them; every argument is marked IN (read), OUT (overwritten) or
INOUT (updated).
"""

import numpy as np
from numba import njit


@njit(cache=True, inline="always")
def sq_norms(C, out):
    """``out[j] = ||C_j||^2``.  C: IN (k, d); out: OUT (k,)."""
    k, d = C.shape
    for j in range(k):
        s = 0.0
        for a in range(d):
            s += C[j, a] * C[j, a]
        out[j] = s


@njit(cache=True, inline="always")
def nearest(cnorm, dots):
    """Index minimising ``||c_j||^2 - 2<x, c_j>`` (ties to the lowest index).

    cnorm: IN (k,) squared norms of the centres; dots: IN (k,) inner products ``<x, c_j>``.
    """
    best = np.inf
    bj = 0
    for j in range(cnorm.shape[0]):
        v = cnorm[j] - 2.0 * dots[j]
        if v < best:
            best = v
            bj = j
    return bj


@njit(cache=True, inline="always")
def reduce_blocks(part_sums, part_counts, sums, counts):
    """Sum the per-block partial sums and counts in block order (thread-count independent).

    part_sums: IN (b, k, d); part_counts: IN (b, k); sums: OUT (k, d); counts: OUT (k,).
    """
    nb, k, d = part_sums.shape
    sums[:, :] = 0.0
    counts[:] = 0
    for b in range(nb):
        for j in range(k):
            counts[j] += part_counts[b, j]
            for a in range(d):
                sums[j, a] += part_sums[b, j, a]
