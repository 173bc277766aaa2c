"""Sparse kernels: every backend agrees with the NumPy reference.

Values are continuous, so backends may round differently (the reference sums
each row with ``np.add.reduceat``, Cython in entry order). The bound used is the
classical one for a sum of m products: |computed - exact| <= m * eps * sum|terms|,
with m the largest row (or column) length and eps the dtype's machine epsilon;
both sides may err, hence a factor 2, plus one more m for safety.
The sparse kernels have no CUDA twin (not in scope), so that backend is skipped.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import scratchml
from scratchml._backend import get_kernel
from scratchml.sparse import CSRMatrix, _kernels

DTYPES = (np.float64, np.float32)


def _kernel(name, backend):
    if backend == "cuda":
        pytest.skip("the sparse kernels have no CUDA implementation")
    with scratchml.config_context(backend=backend):
        fn, chosen = get_kernel(name)
    assert chosen == backend
    return fn


@st.composite
def problems(draw):
    dtype = draw(st.sampled_from(DTYPES))
    n, p, k = draw(st.integers(0, 40)), draw(st.integers(0, 40)), draw(st.integers(1, 35))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    m = int(rng.integers(0, 4 * n * p + 1)) if n and p else 0
    rows, cols = rng.integers(0, max(n, 1), m), rng.integers(0, max(p, 1), m)
    order = np.argsort(rows, kind="stable")  # duplicates and unsorted columns kept
    indptr = np.concatenate(([0], np.cumsum(np.bincount(rows, minlength=n))))
    index_dtype = draw(st.sampled_from((np.int32, np.int64)))
    data = rng.standard_normal(m).astype(dtype)
    X = CSRMatrix((data, cols[order].astype(index_dtype), indptr.astype(index_dtype)), (n, p))
    B = rng.standard_normal((p, k)).astype(dtype)
    C = rng.standard_normal((n, k)).astype(dtype)
    return X, B, C


def _bound(X, absX_at_absB, lengths):
    eps = np.finfo(X.dtype).eps
    return 3 * max(int(lengths.max(initial=0)), 1) * eps * absX_at_absB


def _abs(X):
    return CSRMatrix((np.abs(X.data), X.indices, X.indptr), X.shape)


def test_csr_matmul_dense_agrees(backend):
    fn = _kernel("csr_matmul_dense", backend)

    @given(problems())
    def check(problem):
        X, B, _ = problem
        out = fn(X.data, X.indices, X.indptr, B)
        ref = _kernels._csr_matmul_dense_numpy(X.data, X.indices, X.indptr, B)
        assert out.dtype == X.dtype and out.shape == ref.shape
        bound = _bound(X, _abs(X) @ np.abs(B), np.diff(X.indptr))
        assert np.all(np.abs(out - ref) <= bound)

    check()


def test_csr_t_matmul_dense_agrees(backend):
    fn = _kernel("csr_t_matmul_dense", backend)

    @given(problems())
    def check(problem):
        X, _, C = problem
        p = X.shape[1]
        out = fn(X.data, X.indices, X.indptr, C, p)
        ref = _kernels._csr_t_matmul_dense_numpy(X.data, X.indices, X.indptr, C, p)
        assert out.dtype == X.dtype and out.shape == ref.shape
        bound = _bound(X, _abs(X).T @ np.abs(C), np.bincount(X.indices, minlength=p))
        assert np.all(np.abs(out - ref) <= bound)

    check()


def test_row_reductions_agree(backend):
    fns = {name: _kernel(name, backend) for name in ("csr_row_sums", "csr_row_sq_norms")}

    @given(problems())
    def check(problem):
        X, _, _ = problem
        lengths = np.diff(X.indptr)
        for name, values in (("csr_row_sums", X.data), ("csr_row_sq_norms", X.data * X.data)):
            out = fns[name](X.data, X.indptr)
            ref = getattr(_kernels, f"_{name}_numpy")(X.data, X.indptr)
            assert out.dtype == X.dtype
            absolute = _kernels.segment_sums(np.abs(values), X.indptr)
            assert np.all(np.abs(out - ref) <= _bound(X, absolute, lengths))

    check()


@pytest.mark.parametrize("dtype", DTYPES)
def test_results_do_not_depend_on_the_thread_count(backend, dtype):
    if backend == "numpy":
        pytest.skip("the NumPy reference runs in one thread: nothing to compare")
    # Large enough that the Cython twin splits X @ B's rows between threads
    # (nnz * k >= 2 * 2**22) and X.T @ B's output rows (nnz >= 2**16, k >= 32).
    rng = np.random.default_rng(0)
    n, p, m = 20000, 64, 300000
    X = CSRMatrix.from_coo(rng.integers(0, n, m), rng.integers(0, p, m),
                           rng.standard_normal(m).astype(dtype), shape=(n, p))
    assert X.nnz * 33 >= 2 << 22 and X.nnz >= 1 << 16  # the thresholds above
    B, C = rng.standard_normal((p, 33)).astype(dtype), rng.standard_normal((n, 33)).astype(dtype)
    mm = _kernel("csr_matmul_dense", backend)
    tm = _kernel("csr_t_matmul_dense", backend)
    args = (X.data, X.indices, X.indptr)
    np.testing.assert_array_equal(mm(*args, B, n_jobs=1), mm(*args, B, n_jobs=4))
    np.testing.assert_array_equal(tm(*args, C, p, n_jobs=1), tm(*args, C, p, n_jobs=4))


def test_csr_operations_use_the_selected_backend(backend):
    _kernel("csr_matmul_dense", backend)  # skips the backends this family lacks
    D = np.array([[1.0, 0.0, 2.0], [0.0, 0.0, 0.0], [3.0, 4.0, 0.0]])
    X = CSRMatrix(D)
    B = np.arange(6.0).reshape(3, 2)
    with scratchml.config_context(backend=backend):
        # small integers: exact on every backend
        np.testing.assert_array_equal(X @ B, D @ B)
        np.testing.assert_array_equal(X.T @ D, D.T @ D)
        np.testing.assert_array_equal(X.sum(axis=1), D.sum(axis=1))


def test_vector_products_agree(backend):
    # A 1-D operand takes its own path (a dot per row, a one-pass scatter):
    # it must agree with the reference and return a 1-D result.
    mm = _kernel("csr_matmul_dense", backend)
    tm = _kernel("csr_t_matmul_dense", backend)

    @given(problems())
    def check(problem):
        X, B, C = problem
        n, p = X.shape
        args = (X.data, X.indices, X.indptr)
        for fn, ref, v, extra, absolute, lengths in (
            (mm, _kernels._csr_matmul_dense_numpy, B[:, 0], (),
             _abs(X) @ np.abs(B[:, 0]), np.diff(X.indptr)),
            (tm, _kernels._csr_t_matmul_dense_numpy, C[:, 0], (p,),
             _abs(X).T @ np.abs(C[:, 0]), np.bincount(X.indices, minlength=p)),
        ):
            out, expected = fn(*args, v, *extra), ref(*args, v, *extra)
            assert out.ndim == 1 and out.shape == expected.shape and out.dtype == X.dtype
            assert np.all(np.abs(out - expected) <= _bound(X, absolute, lengths))

    check()


def test_small_k_products_agree(backend):
    # k = 1..5 covers the unrolled k = 2, 3, 4 loops and their neighbours,
    # which the k drawn by problems() reaches only now and then.
    mm = _kernel("csr_matmul_dense", backend)
    tm = _kernel("csr_t_matmul_dense", backend)

    @given(problems())
    def check(problem):
        X, B, C = problem
        p = X.shape[1]
        args = (X.data, X.indices, X.indptr)
        for k in range(1, min(B.shape[1], 5) + 1):
            Bk, Ck = np.ascontiguousarray(B[:, :k]), np.ascontiguousarray(C[:, :k])
            out = mm(*args, Bk)
            ref = _kernels._csr_matmul_dense_numpy(*args, Bk)
            assert out.shape == ref.shape
            assert np.all(np.abs(out - ref) <= _bound(X, _abs(X) @ np.abs(Bk), np.diff(X.indptr)))
            out = tm(*args, Ck, p)
            ref = _kernels._csr_t_matmul_dense_numpy(*args, Ck, p)
            assert out.shape == ref.shape
            lengths = np.bincount(X.indices, minlength=p)
            assert np.all(np.abs(out - ref) <= _bound(X, _abs(X).T @ np.abs(Ck), lengths))

    check()


@pytest.mark.parametrize("dtype", DTYPES)
def test_vector_product_does_not_depend_on_the_thread_count(backend, dtype, monkeypatch):
    if backend != "cython":
        pytest.skip("only the Cython twin splits X @ v between threads")
    from scratchml.sparse import _native

    # Lower the work threshold so that a small X is split between threads.
    monkeypatch.setattr(_native, "_THREAD_WORK", 1 << 10)
    rng = np.random.default_rng(1)
    n, p, m = 3000, 50, 20000
    X = CSRMatrix.from_coo(rng.integers(0, n, m), rng.integers(0, p, m),
                           rng.standard_normal(m).astype(dtype), shape=(n, p))
    v = rng.standard_normal(p).astype(dtype)
    mm = _kernel("csr_matmul_dense", backend)
    args = (X.data, X.indices, X.indptr)
    assert _native._row_split_threads(X.nnz, 1, 4) > 1
    np.testing.assert_array_equal(mm(*args, v, n_jobs=1), mm(*args, v, n_jobs=4))
