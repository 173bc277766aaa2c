"""CSRMatrix: every operation equals the same computation on the dense matrix.

Matrices come from hypothesis with small integer values, built either
canonically (``from_coo``) or raw (rows grouped but indices unsorted and
duplicates kept), with empty rows and 0-row / 0-column shapes. Products use
small-integer dense operands too, so every sum is exact in float32 and float64
(all partial sums stay far below 2**24) and comparisons are exact whatever the
summation order.
"""

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import scratchml
from scratchml.sparse import CSRMatrix, issparse, row_norms
from scratchml.sparse._csr_products import TransposedCSR

DTYPES = (np.float64, np.float32, np.int64)


@st.composite
def matrices(draw, max_dim=7, max_nnz=25, dtypes=DTYPES):
    """(X, D): a CSRMatrix and the dense matrix it represents."""
    n = draw(st.integers(0, max_dim))
    p = draw(st.integers(0, max_dim))
    dtype = draw(st.sampled_from(dtypes))
    m = draw(st.integers(0, max_nnz)) if n and p else 0
    rows = np.array(draw(st.lists(st.integers(0, max(n - 1, 0)), min_size=m, max_size=m)), int)
    cols = np.array(draw(st.lists(st.integers(0, max(p - 1, 0)), min_size=m, max_size=m)), int)
    vals = np.array(draw(st.lists(st.integers(-5, 5), min_size=m, max_size=m)), dtype=dtype)
    D = np.zeros((n, p), dtype=dtype)
    np.add.at(D, (rows, cols), vals)
    if draw(st.booleans()):
        X = CSRMatrix.from_coo(rows, cols, vals, shape=(n, p))
    else:  # raw layout: grouped by row, columns in given order, duplicates kept
        order = np.argsort(rows, kind="stable")
        indptr = np.concatenate(([0], np.cumsum(np.bincount(rows, minlength=n))))
        X = CSRMatrix((vals[order], cols[order], indptr), shape=(n, p))
    return X, D


def dense(shape, seed=0, dtype=np.float64):
    return np.random.default_rng(seed).integers(-4, 5, size=shape).astype(dtype)


@given(matrices())
def test_toarray_and_basic_attributes(case):
    X, D = case
    np.testing.assert_array_equal(X.toarray(), D)
    assert X.shape == D.shape and X.dtype == D.dtype and X.ndim == 2
    assert X.nnz == X.data.size == X.indices.size == X.indptr[-1]
    assert X.indptr.size == D.shape[0] + 1
    assert X.indices.dtype == X.indptr.dtype and X.indices.dtype in (np.int32, np.int64)
    assert issparse(X) and not issparse(D)
    assert "CSRMatrix of shape" in repr(X)
    assert X.getnnz() == X.nnz == X.size
    np.testing.assert_array_equal(X.getnnz(axis=1), np.diff(X.indptr))
    np.testing.assert_array_equal(X.getnnz(axis=0), np.bincount(X.indices, minlength=D.shape[1]))


@given(matrices())
def test_from_dense_stores_exactly_the_nonzeros(case):
    _, D = case
    for X in (CSRMatrix(D), CSRMatrix.from_dense(D)):
        np.testing.assert_array_equal(X.toarray(), D)
        assert X.nnz == np.count_nonzero(D) and X.has_canonical_format


@given(matrices(), st.integers(1, 4), st.integers(0, 2**16))
def test_products_equal_dense_products(case, k, seed):
    X, D = case
    n, p = D.shape
    B, C = dense((p, k), seed), dense((n, k), seed + 1)
    v, w = dense(p, seed + 2), dense(n, seed + 3)
    np.testing.assert_array_equal(X @ B, D @ B)
    np.testing.assert_array_equal(X @ v, D @ v)
    np.testing.assert_array_equal(X.dot(B), D @ B)
    np.testing.assert_array_equal(C.T @ X, C.T @ D)  # __rmatmul__
    np.testing.assert_array_equal(w @ X, w @ D)
    np.testing.assert_array_equal(X.T @ C, D.T @ C)
    np.testing.assert_array_equal(X.T @ w, D.T @ w)
    np.testing.assert_array_equal(B.T @ X.T, B.T @ D.T)
    assert (X @ B).dtype == (D @ B).dtype and (X @ B).shape == (n, k)


@given(matrices())
def test_transpose_view(case):
    X, D = case
    T = X.T
    assert isinstance(T, TransposedCSR) and T.shape == D.T.shape and T.T is X
    np.testing.assert_array_equal(T.toarray(), D.T)
    for axis in (None, 0, 1):
        np.testing.assert_array_equal(T.sum(axis=axis), D.T.sum(axis=axis))
    Xt = T.tocsr()
    np.testing.assert_array_equal(Xt.toarray(), D.T)
    assert Xt.has_canonical_format


def test_float32_stays_float32_and_ints_promote():
    D = dense((5, 4), dtype=np.float32)
    X = CSRMatrix(D)
    assert (X @ dense((4, 2), dtype=np.float32)).dtype == np.float32
    assert (X @ dense((4, 2))).dtype == np.float64  # float32 @ float64, as NumPy
    Xi = CSRMatrix(D.astype(np.int64))
    np.testing.assert_array_equal(Xi @ np.arange(4), D.astype(np.int64) @ np.arange(4))


@given(matrices(), st.data())
def test_row_indexing(case, data):
    X, D = case
    n = D.shape[0]
    start = data.draw(st.integers(-n - 2, n + 2))
    stop = data.draw(st.integers(-n - 2, n + 2))
    step = data.draw(st.sampled_from([1, 1, 2, -1, 3]))
    np.testing.assert_array_equal(X[start:stop].toarray(), D[start:stop])
    np.testing.assert_array_equal(X[start:stop:step].toarray(), D[start:stop:step])
    if n:
        idx = data.draw(st.lists(st.integers(-n, n - 1), max_size=10))
        idx = np.array(idx, dtype=int)
        np.testing.assert_array_equal(X[idx].toarray(), D[idx])
        np.testing.assert_array_equal(X[idx, :].toarray(), D[idx])
        i = data.draw(st.integers(-n, n - 1))
        np.testing.assert_array_equal(X[i].toarray(), D[i : i + 1] if i != -1 else D[-1:])
    mask = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
    np.testing.assert_array_equal(X[mask].toarray(), D[mask])


@given(matrices(), st.integers(0, 2**16))
def test_multiply_by_dense_row_column_or_scalar(case, seed):
    X, D = case
    n, p = D.shape
    for other in (dense(p, seed), dense((1, p), seed), dense((n, 1), seed),
                  dense((n, p), seed), 3.0, -2):
        Y = X.multiply(other)
        assert isinstance(Y, CSRMatrix)
        np.testing.assert_array_equal(Y.toarray(), D * np.asarray(other))
    np.testing.assert_array_equal((2 * X).toarray(), 2 * D)
    np.testing.assert_array_equal((-X).toarray(), -D)


@given(matrices())
def test_sum_and_mean_along_axes(case):
    X, D = case
    for axis in (None, 0, 1, -1, -2):
        s = X.sum(axis=axis)
        np.testing.assert_array_equal(s, D.sum(axis=axis))
        assert np.asarray(s).dtype == D.sum(axis=axis).dtype
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # np.mean over an empty axis: nan
            expected = np.mean(D, axis=axis)
        # mean = exact sum / count, rounded once on each side: equal to 1 ulp
        # (rtol 1e-6 covers float32's 6e-8 ulp with margin)
        np.testing.assert_allclose(X.mean(axis=axis), expected, rtol=1e-6)
        assert np.asarray(X.mean(axis=axis)).dtype == expected.dtype


@given(matrices())
def test_row_norms(case):
    X, D = case
    Df = D.astype(np.float64) if D.dtype.kind == "i" else D
    np.testing.assert_array_equal(row_norms(X, squared=True), (Df * Df).sum(axis=1))
    # sqrt of an exact integer sum: correctly rounded on both sides, so equal to 1 ulp
    np.testing.assert_allclose(row_norms(X), np.linalg.norm(Df, axis=1), rtol=1e-6)
    np.testing.assert_allclose(row_norms(D), np.linalg.norm(Df, axis=1), rtol=1e-6)


@given(matrices())
def test_structure_operations_keep_the_matrix(case):
    X, D = case
    Y = X.copy()
    Y.sort_indices()
    assert Y.has_sorted_indices
    np.testing.assert_array_equal(Y.toarray(), D)
    Y.sum_duplicates()
    assert Y.has_canonical_format
    np.testing.assert_array_equal(Y.toarray(), D)
    Y.eliminate_zeros()
    assert not np.any(Y.data == 0) and Y.nnz == np.count_nonzero(D)
    np.testing.assert_array_equal(Y.toarray(), D)
    np.testing.assert_array_equal(X.toarray(), D)  # the original was not modified
    assert X.equals(Y) and X.allclose(D) and Y.allclose(X)


def test_has_sorted_indices_detects_order_and_duplicates():
    indptr = np.array([0, 2, 4])
    assert CSRMatrix((np.ones(4), np.array([0, 2, 0, 1]), indptr), shape=(2, 3)).has_sorted_indices
    unsorted = CSRMatrix((np.ones(4), np.array([2, 0, 0, 1]), indptr), shape=(2, 3))
    assert not unsorted.has_sorted_indices
    dup = CSRMatrix((np.ones(4), np.array([1, 1, 0, 1]), indptr), shape=(2, 3))
    assert dup.has_sorted_indices and not dup.has_canonical_format
    np.testing.assert_array_equal(dup.toarray(), [[0, 2, 0], [1, 1, 0]])


def test_from_coo_sums_duplicates_and_scipy_style_triplets():
    rows, cols, vals = [0, 1, 0, 0], [1, 0, 1, 2], [1.0, 2.0, 3.0, 0.0]
    for X in (CSRMatrix.from_coo(rows, cols, vals, shape=(2, 3)),
              CSRMatrix((vals, (rows, cols)), shape=(2, 3))):
        np.testing.assert_array_equal(X.toarray(), [[0, 4, 0], [2, 0, 0]])
        assert X.nnz == 3  # duplicates merged; the explicit zero is kept, as in SciPy
        assert X.has_canonical_format
    assert CSRMatrix.from_coo([2], [4], [1.0]).shape == (3, 5)


def test_copy_and_astype_are_independent():
    X = CSRMatrix(dense((4, 3)))
    Y = X.copy()
    Y.data[:] = 0
    assert X.data.any()
    Z = X.astype(np.float32)
    assert Z.dtype == np.float32 and Z.data is not X.data
    np.testing.assert_array_equal(Z.toarray(), X.toarray().astype(np.float32))
    assert X.astype(np.float64, copy=False) is X


def test_constructor_copy_flag():
    data, indices, indptr = np.ones(2), np.array([0, 1], np.int32), np.array([0, 1, 2], np.int32)
    shared = CSRMatrix((data, indices, indptr), shape=(2, 2))
    assert shared.data is data and shared.indices is indices
    copied = CSRMatrix((data, indices, indptr), shape=(2, 2), copy=True)
    assert copied.data is not data and copied.indices is not indices
    assert CSRMatrix((data, indices, indptr), shape=(2, 2), dtype=np.float32).dtype == np.float32
    assert CSRMatrix((data, indices, indptr)).shape == (2, 2)  # inferred


def test_shape_only_gives_the_zero_matrix():
    Z = CSRMatrix((3, 4))
    assert Z.shape == (3, 4) and Z.nnz == 0
    np.testing.assert_array_equal(Z.toarray(), np.zeros((3, 4)))
    np.testing.assert_array_equal(Z @ np.ones((4, 2)), np.zeros((3, 2)))


def test_an_index_too_large_for_int32_is_refused_not_wrapped():
    # 2**32 + 1 would become 1 if the arrays were narrowed before the check
    with pytest.raises(ValueError, match="column index 4294967297"):
        CSRMatrix((np.ones(1), np.array([2**32 + 1]), np.array([0, 1], np.int32)), shape=(1, 3))


BAD_ARRAYS = [
    ((np.ones(2), [0, 5], [0, 1, 2]), (2, 3), r"column index 5 \(entry 1, row 1\)"),
    ((np.ones(2), [0, -1], [0, 1, 2]), (2, 3), r"column index -1"),
    ((np.ones(2), [0, 1], [0, 2, 1]), (2, 3), r"nondecreasing.*indptr\[1\] = 2 > indptr\[2\] = 1"),
    ((np.ones(2), [0, 1], [0, 1]), (2, 3), r"indptr has 2 entries.*n_rows \+ 1 = 3"),
    ((np.ones(3), [0, 1], [0, 1, 2]), (2, 3), r"indices has 2 and data has 3"),
    ((np.ones(2), [0, 1], [1, 1, 2]), (2, 3), r"indptr must start at 0"),
    ((np.ones(2), [0.5, 1], [0, 1, 2]), (2, 3), r"indices must hold integers"),
    ((np.array(["a", "b"]), [0, 1], [0, 1, 2]), (2, 3), r"data must be numeric"),
    ((np.ones(2), [0, 1], [0, 1, 2]), (2, -3), r"shape must not be negative"),
]


@pytest.mark.parametrize("arrays, shape, match", BAD_ARRAYS)
def test_invalid_arrays_raise_clear_errors(arrays, shape, match):
    with pytest.raises(ValueError, match=match):
        CSRMatrix(arrays, shape=shape)


def test_other_bad_inputs():
    X = CSRMatrix(dense((3, 2)))
    with pytest.raises(ValueError, match="must be 2-D"):
        CSRMatrix(np.ones(3))
    with pytest.raises(ValueError, match=r"row index 4 \(triplet 1\)"):
        CSRMatrix.from_coo([0, 4], [0, 0], [1, 1], shape=(3, 2))
    with pytest.raises(ValueError, match="same length"):
        CSRMatrix.from_coo([0, 1], [0], [1, 1])
    with pytest.raises(ValueError, match="dimension mismatch.*needs 2 rows"):
        X @ np.ones(3)
    with pytest.raises(ValueError, match="dimension mismatch.*needs 3 rows"):
        X.T @ np.ones((2, 2))
    with pytest.raises(ValueError, match="does not broadcast"):
        X.multiply(np.ones(3))
    with pytest.raises(ValueError, match="axis must be None, 0 or 1"):
        X.sum(axis=2)
    with pytest.raises(TypeError, match="row indexing only"):
        X[0, 1]
    with pytest.raises(IndexError, match="row index 3 is out of range for 3 rows"):
        X[[0, 3]]
    with pytest.raises(IndexError, match="boolean row mask"):
        X[np.array([True, False])]
    with pytest.raises(TypeError, match="sparse @ sparse"):
        X @ X.T.tocsr()
    with pytest.raises(TypeError, match="ambiguous"):
        len(X)


def test_scipy_missing_gives_clear_import_error(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "scipy", None)
    monkeypatch.setitem(sys.modules, "scipy.sparse", None)
    with pytest.raises(ImportError, match="needs SciPy"):
        CSRMatrix(np.eye(2)).to_scipy()


def test_an_estimator_holding_a_csr_matrix_saves_and_loads(tmp_path):
    import scratchml
    from scratchml.preprocessing import StandardScaler

    est = StandardScaler().fit(np.ones((3, 2)))
    est.matrix_ = CSRMatrix.from_coo([0, 2], [1, 0], np.array([1.0, 2.0], np.float32), (3, 4))
    scratchml.save(est, tmp_path / "m.zip")
    back = scratchml.load(tmp_path / "m.zip").matrix_
    assert isinstance(back, CSRMatrix) and back.dtype == np.float32 and back.equals(est.matrix_)


def test_a_tampered_csr_matrix_is_refused(tmp_path):
    """The constructor's checks guard loading: an index out of range is a ValueError."""
    import json
    import zipfile

    import scratchml
    from scratchml.preprocessing import StandardScaler

    est = StandardScaler().fit(np.ones((3, 2)))
    est.matrix_ = CSRMatrix.from_coo([0, 2], [1, 0], np.array([1.0, 2.0]), (3, 4))
    scratchml.save(est, tmp_path / "m.zip")
    with zipfile.ZipFile(tmp_path / "m.zip") as z:
        files = {name: z.read(name) for name in z.namelist()}
    manifest = json.loads(files["manifest.json"])
    node = manifest["estimator"]["state"]["matrix_"]
    assert node["type"] == "csr_matrix" and node["shape"] == [3, 4]
    # Shrink the declared shape so the stored column index 1 is out of range.
    node["shape"] = [3, 1]
    files["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(tmp_path / "bad.zip", "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    with pytest.raises(ValueError, match="out of range"):
        scratchml.load(tmp_path / "bad.zip")


def test_strided_arrays_given_without_copy_still_work():
    # copy=False keeps a caller's strided view; the compiled kernels need it contiguous
    data = np.arange(1.0, 9.0)[::2]
    X = CSRMatrix((data, np.array([0, 1, 1, 2]), np.array([0, 2, 4])), shape=(2, 3))
    D = X.toarray()
    B = np.arange(6.0).reshape(2, 3).T  # Fortran-ordered
    np.testing.assert_array_equal(X @ B, D @ B)
    np.testing.assert_array_equal(X.T @ B[:2], D.T @ B[:2])
    np.testing.assert_array_equal(X.sum(axis=1), D.sum(axis=1))
    np.testing.assert_array_equal(row_norms(X, squared=True), (D * D).sum(axis=1))


def test_vector_products_take_any_vector(backend):
    # The 1-D path gets strided, float32/float64-mixed and integer vectors;
    # small integers keep every product exact, so the comparison is exact.
    if backend == "cuda":
        pytest.skip("the sparse kernels have no CUDA implementation")
    rng = np.random.default_rng(3)
    D = rng.integers(-3, 4, (7, 5)) * (rng.random((7, 5)) < 0.5)
    with scratchml.config_context(backend=backend):
        for dtype in (np.float32, np.float64):
            X = CSRMatrix(D.astype(dtype))
            for v in (np.arange(10.0)[::2], np.arange(5), np.arange(5, dtype=np.float32)):
                out = X @ v
                assert out.shape == (7,) and out.dtype == np.result_type(dtype, v.dtype)
                np.testing.assert_array_equal(out, D.astype(dtype) @ v)
            for u in (np.arange(14.0)[::2], np.arange(7)):
                np.testing.assert_array_equal(X.T @ u, D.T.astype(dtype) @ u)
                np.testing.assert_array_equal(u @ X, u @ D.astype(dtype))
                assert (X.T @ u).shape == (5,)
