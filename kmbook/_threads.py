"""Thread control for the numba kernels."""

import contextlib

import numba


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
