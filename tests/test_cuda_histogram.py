"""The CUDA twin of ``hist_build`` against the NumPy reference (Numba simulator on CPU).

Atomic adds land in arbitrary order: with integer-valued gradients every sum is
exact, so the histograms must be identical; with real gradients they agree to
float64 rounding of each bin's sum. Inputs stay tiny: the simulator runs every
GPU thread in Python.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import scratchml
from scratchml._backend import available_backends, get_kernel
from scratchml.ensemble._hist_kernels import MISSING_BIN, _hist_build_numpy

pytestmark = pytest.mark.skipif(not available_backends()["cuda"],
                                reason="CUDA backend unavailable (numba-cuda not installed)")


def _cuda_kernel():
    with scratchml.config_context(backend="cuda"):
        fn, chosen = get_kernel("hist_build")
    assert chosen == "cuda"
    return fn


@st.composite
def tiny_node(draw, integer):
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    n, p = draw(st.integers(1, 12)), draw(st.integers(1, 2))
    codes = rng.integers(0, 6, (n, p))
    codes[rng.random((n, p)) < 0.2] = MISSING_BIN
    Xb = np.asfortranarray(codes.astype(np.uint8))
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    if integer:
        g, h = rng.integers(-8, 9, n).astype(dtype), rng.integers(0, 4, n).astype(dtype)
    else:
        g, h = rng.standard_normal(n).astype(dtype), rng.random(n).astype(dtype)
    h = h if draw(st.booleans()) else None
    idx = None if draw(st.booleans()) else np.sort(
        rng.choice(n, draw(st.integers(0, n)), replace=False))
    return Xb, idx, g, h


@settings(max_examples=10)
@given(tiny_node(integer=True))
def test_cuda_histogram_exact_on_integer_gradients(problem):
    Xb, idx, g, h = problem
    np.testing.assert_array_equal(_cuda_kernel()(Xb, idx, g, h), _hist_build_numpy(Xb, idx, g, h))


@settings(max_examples=10)
@given(tiny_node(integer=False))
def test_cuda_histogram_close_on_real_gradients(problem):
    Xb, idx, g, h = problem
    ref = _hist_build_numpy(Xb, idx, g, h)
    got = _cuda_kernel()(Xb, idx, g, h)
    # Counts are exact; float64 sums of <= 12 values of size <= ~4 in another order
    # differ by at most a few ulps of 1e1: 1e-13 absolute.
    np.testing.assert_array_equal(got[..., 2], ref[..., 2])
    np.testing.assert_allclose(got, ref, rtol=0, atol=1e-13)


def test_boosting_with_cuda_backend_matches_numpy():
    X = np.arange(40.0).reshape(-1, 1)
    y = (X[:, 0] > 20).astype(float)
    with scratchml.config_context(backend="cuda"):
        a = scratchml.ensemble.GradientBoostingRegressor(
            max_iter=2, min_samples_leaf=5, max_leaf_nodes=3).fit(X, y).predict(X)
    with scratchml.config_context(backend="numpy"):
        b = scratchml.ensemble.GradientBoostingRegressor(
            max_iter=2, min_samples_leaf=5, max_leaf_nodes=3).fit(X, y).predict(X)
    # Gradients are +-0.5-ish float32 sums of <= 40 values: the same splits, values
    # equal up to summation order.
    np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)
