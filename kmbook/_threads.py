"""Thread control for the numba kernels and BLAS: the one place that decides how many threads run.

Private. :func:`numba_threads` limits numba's threads inside a block, :func:`blas_threads`
BLAS's;
:data:`PARALLEL_MIN_WORK` is the work below which a kernel runs on one thread,
used by :func:`run_kernel` (whole kernels) and :func:`wants_parallel` (the
blocks of one stochastic k-means step).
"""

import contextlib

import numba

#: Below this many multiply-adds (n * k * d) a kernel runs on one thread: starting a
#: parallel region costs more than it saves on small inputs, and far more (tens of
#: milliseconds) when the cores are busy with other work.
PARALLEL_MIN_WORK = 4_000_000


@contextlib.contextmanager
def numba_threads(n):
    """Run numba's parallel kernels on at most `n` threads inside the block (restored after).

    numba's thread count is per calling thread, so this is safe in thread pools.
    """
    old = numba.get_num_threads()
    numba.set_num_threads(max(1, min(int(n), numba.config.NUMBA_NUM_THREADS)))
    try:
        yield
    finally:
        numba.set_num_threads(old)


def blas_threads(n):
    """Limit BLAS to `n` threads inside the block (None: leave BLAS's setting alone)."""
    if n is None:
        return contextlib.nullcontext()
    from threadpoolctl import threadpool_limits

    return threadpool_limits(int(n), user_api="blas")


def run_kernel(kernel, work, *args):
    """Call a parallel kernel, on a single thread when `work` is below :data:`PARALLEL_MIN_WORK`."""
    if work >= PARALLEL_MIN_WORK:
        return kernel(*args)
    with numba_threads(1):
        return kernel(*args)


def wants_parallel(work, n_blocks):
    """Run `n_blocks` blocks in parallel only for at least :data:`PARALLEL_MIN_WORK` of `work`."""
    return work >= PARALLEL_MIN_WORK and n_blocks > 1
