"""Tests of the numba kernels (kmbook._lloyd_kernels, kmbook._stochastic_kernels) against their NumPy twins."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from kmbook import _lloyd_kernels as kern
from kmbook import _stochastic_kernels as sk
from kmbook.models import GaussianMixture


@settings(max_examples=60, deadline=None)
@given(
    X=arrays(np.float64, st.tuples(st.integers(1, 300), st.just(3)), elements=st.floats(-100, 100)),
    k=st.integers(1, 7),
    seed=st.integers(0, 2**31),
)
def test_lloyd_kernel_matches_numpy_twin(X, k, seed):
    rng = np.random.default_rng(seed)
    C = rng.uniform(-100, 100, size=(k, 3))
    labels, mind, sums, counts = kern.assign(np.ascontiguousarray(X), C)
    l2, m2, s2, c2 = kern.assign_accumulate_numpy(X, C)
    # labels may differ only at numerical ties; distances must agree
    np.testing.assert_allclose(mind, m2, rtol=1e-9, atol=1e-7)
    same = labels == l2
    if same.all():
        np.testing.assert_array_equal(counts, c2)
        np.testing.assert_allclose(sums, s2, rtol=1e-12, atol=1e-9)
    assert counts.sum() == X.shape[0]


def test_kernel_is_deterministic_across_thread_counts(monkeypatch):
    import numba

    monkeypatch.setattr(kern, "PARALLEL_MIN_WORK", 0)  # force the parallel path
    X, _ = GaussianMixture(np.eye(5) * 6, 1.0).sample(40_000, rng=0)
    C = X[:7].copy()
    ref = kern.assign(X, C)
    old = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        single = kern.assign(X, C)
    finally:
        numba.set_num_threads(old)
    for a, b in zip(ref, single):
        np.testing.assert_array_equal(a, b)
    monkeypatch.setattr(kern, "PARALLEL_MIN_WORK", 10**18)  # and the single-thread path
    for a, b in zip(ref, kern.assign(X, C)):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("mode", [sk.FLAT, sk.BBS])
def test_stochastic_kernel_matches_numpy_twin(mode):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(3000, 5))
    idx = rng.integers(0, 3000, size=(60, 900))          # 4 blocks
    eta = 2.0 / (3.0 + np.arange(1, 61))
    out = []
    for kernel, parallel in ((sk.run_steps, True), (sk.run_steps, False), (sk.run_steps_numpy, False)):
        C = X[:9].copy()
        counts, upd = np.zeros(9, np.int64), np.zeros(9, np.int64)
        kernel(X, C, idx, 1, eta, mode, counts, upd, parallel)
        out.append((C, counts, upd))
    np.testing.assert_array_equal(out[0][0], out[1][0])      # parallel or not: identical arithmetic
    np.testing.assert_allclose(out[0][0], out[2][0], atol=1e-12)
    for a, b in zip(out[0][1:], out[2][1:]):
        np.testing.assert_array_equal(a, b)
