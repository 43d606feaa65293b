"""numba kernel of Algorithm 1 (stochastic k-means) of Paper 2, with its NumPy twin.

Private: :mod:`kmbook.stochastic` validates and draws the sample indices; the
kernels only consume them, so they are deterministic. One call runs a block of
consecutive steps with no Python work per step or per sample:

1. assign every sampled point to its nearest centre of the *previous* step,
   comparing ``||c||^2 - 2<x, c>`` with ``<x, c>`` from BLAS (as
   scikit-learn does; ties to the lowest index);
2. accumulate the count ``nhat_r`` and the sum of the points each centre
   received, per block of 256 sampled points (blocks run in parallel when a
   step is large, see :func:`wants_parallel`) and then over the blocks in order;
3. move only the centres with ``nhat_r > 0``:
   ``c_r <- (1 - eta_r) c_r + eta_r * chat_r`` with ``chat_r`` the mean of its
   points, where ``eta_r`` is the flat rate of the step (``mode == 0``) or the
   BBS rate ``nhat_r / N_r`` with cumulative counts ``N_r`` (``mode == 1``).
"""

import numpy as np
from numba import njit, prange

from . import _threads
from ._kernels_common import nearest, reduce_blocks, sq_norms

FLAT = 0
BBS = 1
_BLOCK_ROWS = 256       # sampled points per block: one BLAS call and one partial sum each
_SMALL = 16             # below this many rows the inner products are a plain loop


@njit(cache=True)
def _block(X, rows, s0, e0, C, CT, cnorm, labels, psums, pnhat):
    """Assign rows[s0:e0] by the expansion ``||c||^2 - 2<x, c>`` (ties to the lowest
    index) and accumulate their partial sums and counts in sample order.

    ``<x, c>`` comes from one BLAS call for blocks of at least _SMALL rows and
    from a plain loop below (a BLAS call costs more than it saves there).
    X, rows, C, CT, cnorm: IN; labels[s0:e0], psums, pnhat: OUT.
    """
    d = X.shape[1]
    k = cnorm.shape[0]
    nrow = e0 - s0
    psums[:, :] = 0.0
    pnhat[:] = 0
    if nrow >= _SMALL:
        P = np.empty((nrow, d))
        for i in range(nrow):
            P[i, :] = X[rows[s0 + i]]
        D = np.dot(P, CT)
    else:
        D = np.empty((nrow, k))
        for i in range(nrow):
            for j in range(k):
                dot = 0.0
                for a in range(d):
                    dot += X[rows[s0 + i], a] * C[j, a]
                D[i, j] = dot
    for i in range(nrow):
        row = rows[s0 + i]
        bj = nearest(cnorm, D[i])
        labels[s0 + i] = bj
        pnhat[bj] += 1
        for a in range(d):
            psums[bj, a] += X[row, a]


@njit(cache=True, parallel=True)
def _blocks_parallel(X, rows, C, CT, cnorm, labels, psums, pnhat):
    """All blocks of one step, in parallel (the same blocks and sums as :func:`_blocks_serial`)."""
    nb = psums.shape[0]
    m = rows.shape[0]
    for b in prange(nb):
        _block(X, rows, (m * b) // nb, (m * (b + 1)) // nb, C, CT, cnorm, labels, psums[b], pnhat[b])


# A separate function, not ``njit(cache=True)`` applied again to the parallel one: numba's
# on-disk cache is keyed by the function's name and source file, so two dispatchers of one
# function share cache entries, and the serial one loaded the parallel machine code (a
# parallel region started at every step: about 300 us per step instead of a few).
@njit(cache=True)
def _blocks_serial(X, rows, C, CT, cnorm, labels, psums, pnhat):
    """All blocks of one step, one after the other."""
    nb = psums.shape[0]
    m = rows.shape[0]
    for b in range(nb):
        _block(X, rows, (m * b) // nb, (m * (b + 1)) // nb, C, CT, cnorm, labels, psums[b], pnhat[b])


@njit(cache=True)
def run_steps(X, C, indices, t_first, eta, mode, counts, n_updates, parallel):
    """Run ``indices.shape[0]`` steps of Algorithm 1 in place.

    Parameters
    ----------
    X : (n, d) float64
    C : (k, d) float64, updated in place
    indices : (b, m) int64, row ``s`` holds the sample of step ``t_first + s``
    t_first : int, number (1-based) of the first step of the block
    eta : (T,) float64, flat rate of step ``t`` at ``eta[t - 1]`` (unused for BBS)
    mode : FLAT or BBS
    counts : (k,) int64, cumulative ``N_r``, updated in place
    n_updates : (k,) int64, number of steps in which centre r moved, updated in place
    parallel : bool, run the blocks of a step in parallel (see :func:`wants_parallel`)

    The sampled points are split into a number of blocks fixed by ``m``
    alone, so the arithmetic (and the result) does not depend on the
    number of threads or on `parallel`.
    """
    b, m = indices.shape
    k, d = C.shape
    nb = (m + _BLOCK_ROWS - 1) // _BLOCK_ROWS
    labels = np.empty(m, dtype=np.int64)
    psums = np.empty((nb, k, d))
    pnhat = np.empty((nb, k), dtype=np.int64)
    cnorm = np.empty(k)
    sums = np.empty((k, d))
    nhat = np.empty(k, dtype=np.int64)
    for s in range(b):
        rows = indices[s]
        CT = np.ascontiguousarray(C.T)
        sq_norms(C, cnorm)
        if parallel and nb > 1:
            _blocks_parallel(X, rows, C, CT, cnorm, labels, psums, pnhat)
        else:
            _blocks_serial(X, rows, C, CT, cnorm, labels, psums, pnhat)
        reduce_blocks(psums, pnhat, sums, nhat)
        t = t_first + s
        for j in range(k):
            if nhat[j] == 0:
                continue
            counts[j] += nhat[j]
            n_updates[j] += 1
            if mode == FLAT:
                e = eta[t - 1]
            else:
                e = nhat[j] / counts[j]
            inv = 1.0 / nhat[j]
            for a in range(d):
                C[j, a] = (1.0 - e) * C[j, a] + e * (sums[j, a] * inv)


def wants_parallel(m, k, d):
    """Run a step's blocks in parallel only when a step is large: ``m k d`` multiply-adds of at
    least ``PARALLEL_MIN_WORK`` (:mod:`kmbook._threads`) and more than one block; starting a
    parallel region at every step costs more than it saves below, and far more on busy cores."""
    return _threads.wants_parallel(m * k * d, (m + _BLOCK_ROWS - 1) // _BLOCK_ROWS)


def run_steps_numpy(X, C, indices, t_first, eta, mode, counts, n_updates, parallel=False):
    """Plain-NumPy twin of :func:`run_steps` (same arguments, same in-place updates)."""
    k = C.shape[0]
    for s, rows in enumerate(indices):
        P = X[rows]
        labels = np.argmin((C**2).sum(1)[None, :] - 2.0 * (P @ C.T), axis=1)
        nhat = np.bincount(labels, minlength=k)
        sums = np.zeros_like(C)
        np.add.at(sums, labels, P)
        t = t_first + s
        moved = nhat > 0
        counts += nhat
        n_updates += moved
        e = np.full(k, eta[t - 1]) if mode == FLAT else np.divide(nhat, counts, where=moved, out=np.zeros(k))
        chat = np.divide(sums, nhat[:, None], where=moved[:, None], out=np.zeros_like(C))
        C[moved] = (1.0 - e[moved, None]) * C[moved] + e[moved, None] * chat[moved]
