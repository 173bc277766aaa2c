"""The nearest-centre kernel: every backend gives the NumPy reference's labels.

Labels are integers, so agreement is exact. Two regimes:

* integer-valued data: every product and sum is exact in float32 and float64,
  so all backends compute *identical* distances and must agree exactly, ties
  (duplicate centres, equidistant points) included -- ties go to the lowest index;
* continuous data: backends round differently (BLAS vs register tiles vs GPU),
  so a row whose two nearest centres are closer than the rounding error could
  legitimately flip. Labels must match exactly wherever the reference's margin
  exceeds a dtype-aware bound, and elsewhere the chosen centre must be within
  that bound of the nearest.
"""

import os

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import scratchml
from scratchml._backend import get_kernel
from scratchml.metrics import pairwise_distances_argmin_min
from scratchml.metrics._pairwise import _sqeuclidean_argmin_numpy


def cuda_simulated() -> bool:
    return os.environ.get("NUMBA_ENABLE_CUDASIM") == "1"

DTYPES = (np.float64, np.float32)


def _limits(backend):
    # The CUDA simulator runs kernels in Python: keep its inputs tiny.
    if backend == "cuda" and cuda_simulated():
        return dict(max_rows=24, max_centres=6, max_features=4)
    return dict(max_rows=70, max_centres=40, max_features=9)


def _run(backend, X, C, **kw):
    with scratchml.config_context(backend=backend):
        fn, chosen = get_kernel("sqeuclidean_argmin")
    assert chosen == backend
    return fn(X, C, **kw)


@st.composite
def integer_problem(draw, max_rows, max_centres, max_features):
    dtype = draw(st.sampled_from(DTYPES))
    p = draw(st.integers(1, max_features))
    n = draw(st.integers(1, max_rows))
    k = draw(st.integers(1, max_centres))
    # |values| <= 8: squared norms stay far below 2**24, exact in float32.
    X = draw(hnp.arrays(np.int8, (n, p), elements=st.integers(-8, 8))).astype(dtype)
    C = draw(hnp.arrays(np.int8, (k, p), elements=st.integers(-8, 8))).astype(dtype)
    if draw(st.booleans()) and k > 1:
        C[-1] = C[0]  # a duplicate centre: an exact tie for every row
    return X, C


def test_backends_agree_exactly_on_integer_data(backend):
    @given(integer_problem(**_limits(backend)))
    def check(problem):
        X, C = problem
        ref_labels, ref_dist = _sqeuclidean_argmin_numpy(X, C)
        labels, dist = _run(backend, X, C)
        assert labels.dtype == np.intp and dist.dtype == X.dtype
        np.testing.assert_array_equal(labels, ref_labels)
        np.testing.assert_array_equal(dist, ref_dist)
        # And the reference is right: brute force, first minimum on ties.
        brute = ((X[:, None, :].astype(np.float64) - C[None]) ** 2).sum(-1)
        np.testing.assert_array_equal(ref_labels, brute.argmin(axis=1))
        np.testing.assert_array_equal(ref_dist, brute.min(axis=1).astype(X.dtype))

    check()


def _margin_bound(X, C, dtype):
    # Rounding error of ||c||^2 - 2 x.c is about eps * (||x||^2 + ||c||^2) * few.
    eps = np.finfo(dtype).eps
    scale = (X.astype(np.float64) ** 2).sum(1)[:, None] + (C.astype(np.float64) ** 2).sum(1)[None]
    return 64 * eps * scale.max(axis=1)


def test_backends_agree_on_continuous_data(backend):
    lim = _limits(backend)

    @given(
        st.sampled_from(DTYPES),
        st.integers(1, lim["max_rows"]),
        st.integers(1, lim["max_centres"]),
        st.integers(1, lim["max_features"]),
        st.integers(0, 2**32 - 1),
    )
    def check(dtype, n, k, p, seed):
        rng = np.random.default_rng(seed)
        X = (rng.standard_normal((n, p)) * 3).astype(dtype)
        C = (rng.standard_normal((k, p)) * 3).astype(dtype)
        ref_labels, ref_dist = _sqeuclidean_argmin_numpy(X, C)
        labels, dist = _run(backend, X, C)
        exact = ((X[:, None, :].astype(np.float64) - C[None]) ** 2).sum(-1)
        bound = _margin_bound(X, C, dtype)
        sorted_d = np.sort(exact, axis=1)
        margin = sorted_d[:, 1] - sorted_d[:, 0] if k > 1 else np.full(n, np.inf)
        clear = margin > 2 * bound
        np.testing.assert_array_equal(labels[clear], ref_labels[clear])
        chosen = exact[np.arange(n), labels]
        assert np.all(chosen <= sorted_d[:, 0] + 2 * bound)
        # Distances: same rounding bound (the formula cancels ||x||^2 against 2x.c).
        assert np.all(np.abs(dist.astype(np.float64) - ref_dist) <= 2 * bound + 1e-30)

    check()


@pytest.mark.parametrize("dtype", DTYPES)
def test_result_does_not_depend_on_thread_count(dtype):
    from scratchml._backend import available_backends

    if not available_backends()["cython"]:
        pytest.skip("Cython kernels not built")
    rng = np.random.default_rng(1)
    X = rng.standard_normal((20_011, 13)).astype(dtype)  # not a multiple of any tile
    C = rng.standard_normal((37, 13)).astype(dtype)
    base = _run("cython", X, C, n_jobs=1)
    for n_jobs in (2, 3, 7):
        labels, dist = _run("cython", X, C, n_jobs=n_jobs)
        np.testing.assert_array_equal(labels, base[0])
        np.testing.assert_array_equal(dist, base[1])


def test_cython_matches_reference_on_benchmark_shaped_data():
    from scratchml._backend import available_backends

    if not available_backends()["cython"]:
        pytest.skip("Cython kernels not built")
    rng = np.random.default_rng(0)
    for dtype in DTYPES:
        X = rng.standard_normal((5000, 50)).astype(dtype)
        for k in (8, 256):
            C = rng.standard_normal((k, 50)).astype(dtype)
            ref = _sqeuclidean_argmin_numpy(X, C)
            got = _run("cython", X, C)
            np.testing.assert_array_equal(got[0], ref[0])
            # float32 distances around 100: GEMM vs tiles differ by a few ulps.
            rtol = 1e-4 if dtype == np.float32 else 1e-10
            np.testing.assert_allclose(got[1], ref[1], rtol=rtol)


def test_public_function_matches_sklearn_semantics():
    X = np.array([[0.0, 0.0], [5.0, 5.0], [1.0, 1.0]])
    Y = np.array([[1.0, 0.0], [4.0, 4.0]])
    labels, dist = pairwise_distances_argmin_min(X, Y)
    np.testing.assert_array_equal(labels, [0, 1, 0])
    np.testing.assert_allclose(dist, [1.0, np.sqrt(2), 1.0])
    _, sq = pairwise_distances_argmin_min(X, Y, metric="sqeuclidean")
    np.testing.assert_allclose(sq, [1.0, 2.0, 1.0])


def test_public_function_errors():
    with pytest.raises(ValueError, match="same number of columns"):
        pairwise_distances_argmin_min(np.zeros((2, 3)), np.zeros((2, 2)))
    with pytest.raises(ValueError, match="NaN"):
        pairwise_distances_argmin_min([[np.nan, 1.0]], [[0.0, 0.0]])
    with pytest.raises(ValueError, match="metric"):
        pairwise_distances_argmin_min([[1.0]], [[0.0]], metric="cosine")
    with pytest.raises(ValueError, match="no samples"):
        pairwise_distances_argmin_min(np.zeros((2, 2)), np.zeros((0, 2)))


def test_against_sklearn():
    sk = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(3)
    X = rng.standard_normal((3000, 20))
    Y = rng.standard_normal((40, 20))
    labels, dist = pairwise_distances_argmin_min(X, Y)
    sk_labels, sk_dist = sk.pairwise_distances_argmin_min(X, Y)
    np.testing.assert_array_equal(labels, sk_labels)
    np.testing.assert_allclose(dist, sk_dist, rtol=1e-9)  # both float64 GEMM-style


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_input_is_reported_on_every_backend(backend, bad):
    # The public function detects NaN/inf in X through the kernel's output
    # (one test of n distances instead of a pass over X): every backend must
    # let a non-finite row produce a non-finite distance, never a clipped 0.
    rng = np.random.default_rng(0)
    n = 20 if backend == "cuda" else 300
    for row, col in [(0, 0), (n - 1, 2), (n // 2, 1)]:
        X = rng.standard_normal((n, 3))
        X[row, col] = bad
        C = np.vstack([rng.standard_normal((3, 3)), np.zeros((1, 3))])  # a zero centre too
        with scratchml.config_context(backend=backend):
            with pytest.raises(ValueError, match="NaN" if np.isnan(bad) else "infinity"):
                pairwise_distances_argmin_min(X, C)
