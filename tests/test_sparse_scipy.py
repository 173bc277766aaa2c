"""CSRMatrix <-> SciPy: round trips are exact, and SciPy input is recognised by duck typing.

SciPy is a test-only dependency here: scratchml.sparse imports it only inside
to_scipy / from_scipy.
"""

import numpy as np
import pytest
from hypothesis import given
from test_sparse import matrices

from scratchml.sparse import CSRMatrix, issparse, row_norms

sp = pytest.importorskip("scipy.sparse")


@given(matrices())
def test_round_trip_through_scipy(case):
    X, D = case
    S = X.to_scipy()
    assert S.format == "csr" and S.shape == D.shape and S.dtype == D.dtype
    np.testing.assert_array_equal(S.toarray(), D)
    back = CSRMatrix.from_scipy(S)
    np.testing.assert_array_equal(back.toarray(), D)
    np.testing.assert_array_equal(back.indptr, X.indptr)
    np.testing.assert_array_equal(back.indices, X.indices)
    assert back.equals(X) and X.equals(S)


@given(matrices())
def test_every_scipy_format_converts(case):
    _, D = case
    for make in (sp.csr_matrix, sp.csc_matrix, sp.coo_matrix, sp.csr_array, sp.lil_matrix):
        S = make(D)
        assert issparse(S)
        X = CSRMatrix.from_scipy(S)
        np.testing.assert_array_equal(X.toarray(), D)
        np.testing.assert_array_equal(CSRMatrix(S).toarray(), D)  # the constructor too


@given(matrices(dtypes=(np.float64,)))
def test_results_match_scipy(case):
    X, D = case
    S = sp.csr_array(D)
    B = np.arange(D.shape[1] * 3, dtype=float).reshape(-1, 3)
    np.testing.assert_array_equal(X @ B, S @ B)
    np.testing.assert_array_equal(X.sum(axis=0), S.sum(axis=0))
    np.testing.assert_array_equal(X.sum(axis=1), S.sum(axis=1))
    np.testing.assert_array_equal(row_norms(S, squared=True), row_norms(X, squared=True))


def test_issparse_duck_typing_without_scipy_objects():
    class NotSparse:
        format = "csr"
        nnz = 0

        def tocsr(self):
            return self

    assert not issparse(NotSparse())  # the duck must come from scipy.sparse
    assert not issparse(np.eye(2)) and not issparse([[1, 0]])
    assert issparse(sp.eye(3)) and issparse(sp.eye_array(3, format="csc"))
