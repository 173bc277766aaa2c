"""Input validation: clear errors that say what, where and how to fix."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from scratchml.base import BaseEstimator
from scratchml.exceptions import NotFittedError
from scratchml.utils import (
    check_array,
    check_classification_targets,
    check_is_fitted,
    check_random_state,
    check_X_y,
    column_or_1d,
)


@given(hnp.arrays(st.sampled_from([np.float32, np.float64, np.int32, np.int64, np.uint8]),
                  hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=6),
                  elements=st.integers(0, 100)))
def test_check_array_output_is_c_contiguous_float_and_equal(X):
    X = np.asfortranarray(X)
    out = check_array(X)
    assert out.flags.c_contiguous and out.dtype in (np.float32, np.float64)
    if X.dtype in (np.float32, np.float64):
        assert out.dtype == X.dtype  # float32 is kept, not upcast
    np.testing.assert_array_equal(out, X.astype(out.dtype))


def test_copy_is_never_the_input_when_asked():
    X = np.ones((3, 2))
    assert check_array(X, copy=True) is not X
    assert check_array(X) is X  # no needless copy of valid C-contiguous float input


def test_nan_error_names_columns_count_and_fix():
    X = np.zeros((5, 4))
    X[0, 1] = X[2, 1] = X[3, 3] = np.nan
    with pytest.raises(ValueError, match=r"NaN: 3 values in columns '1', '3'.*SimpleImputer"):
        check_array(X)
    assert np.isnan(check_array(X, ensure_all_finite="allow-nan")).sum() == 3
    X[0, 0] = np.inf
    with pytest.raises(ValueError, match="infinity"):
        check_array(X, ensure_all_finite="allow-nan")


def test_string_column_error_names_column_and_encoder():
    X = [[1.0, "a"], [2.0, "b"]]
    with pytest.raises(ValueError, match=r"columns '1'.*'a'.*OneHotEncoder"):
        check_array(X)
    assert check_array([["1.5", "2"]]).tolist() == [[1.5, 2.0]]  # numeric strings are fine


def test_shape_errors():
    with pytest.raises(ValueError, match=r"1D array.*reshape\(-1, 1\)"):
        check_array([1.0, 2.0])
    with pytest.raises(ValueError, match="scalar"):
        check_array(3.0)
    with pytest.raises(ValueError, match="3 dimensions"):
        check_array(np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match="no samples"):
        check_array(np.zeros((0, 3)))
    with pytest.raises(ValueError, match="1 sample.*2 are required"):
        check_array(np.zeros((1, 3)), ensure_min_samples=2)
    with pytest.raises(ValueError, match="rectangular"):
        check_array([[1.0, 2.0], [3.0]])
    with pytest.raises(ValueError, match="complex"):
        check_array(np.ones((2, 2), dtype=complex))


def test_pandas_dataframe_names_and_errors():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"age": [1.0, np.nan], "city": ["x", "y"]})
    with pytest.raises(ValueError, match=r"non-numeric columns 'city'.*Encoder"):
        check_array(df)
    with pytest.raises(ValueError, match=r"NaN: 1 value in column 'age'"):
        check_array(df[["age"]])

    class Est(BaseEstimator):
        def fit(self, X):
            self._validate_data(X)
            return self

        def predict(self, X):
            return self._validate_data(X, reset=False)

    good = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 4.0]})
    est = Est().fit(good)
    assert list(est.feature_names_in_) == ["a", "b"] and est.n_features_in_ == 2
    with pytest.raises(ValueError, match="feature names"):
        est.predict(good[["b", "a"]])
    with pytest.raises(ValueError, match="X has 1 features, but Est was fitted with 2"):
        est.predict(good[["a"]])


def test_check_X_y():
    X, y = check_X_y([[1.0], [2.0]], [0, 1])
    assert y.shape == (2,)
    with pytest.raises(ValueError, match="different numbers of samples: 2 and 3"):
        check_X_y([[1.0], [2.0]], [0, 1, 1])
    with pytest.raises(ValueError, match="y is required"):
        check_X_y([[1.0]], None)
    with pytest.raises(ValueError, match="y contains NaN"):
        check_X_y([[1.0], [2.0]], [0.0, np.nan], y_numeric=True)
    assert column_or_1d([[1], [2]]).shape == (2,)
    with pytest.raises(ValueError, match="1D array"):
        column_or_1d([[1, 2], [3, 4]])


def test_classification_targets():
    classes, enc = check_classification_targets(np.array(["b", "a", "b"]))
    assert classes.tolist() == ["a", "b"] and enc.tolist() == [1, 0, 1]
    with pytest.raises(ValueError, match="1 class"):
        check_classification_targets(np.array([3, 3, 3]))
    with pytest.raises(ValueError, match="continuous"):
        check_classification_targets(np.array([0.5, 1.0]))


def test_check_random_state_never_touches_global_rng():
    np.random.seed(123)
    before = np.random.get_state()[1].copy()
    a = check_random_state(7).random(5)
    b = check_random_state(7).random(5)
    np.testing.assert_array_equal(a, b)
    g = np.random.default_rng(1)
    assert check_random_state(g) is g
    assert isinstance(check_random_state(None), np.random.Generator)
    assert isinstance(check_random_state(np.random.RandomState(0)), np.random.Generator)
    np.testing.assert_array_equal(np.random.get_state()[1], before)
    for bad in (-1, "seed", 1.5):
        with pytest.raises(ValueError, match="random_state"):
            check_random_state(bad)


def test_check_is_fitted_names_estimator_and_method():
    class Model(BaseEstimator):
        def predict(self, X):
            check_is_fitted(self)

    with pytest.raises(NotFittedError, match="This Model instance is not fitted yet.*'predict'"):
        Model().predict(None)


def test_sparse_input_is_a_clear_type_error_unless_accepted():
    """Estimators that need dense input name the alternatives; accept_sparse keeps CSR."""
    from scratchml.sparse import CSRMatrix
    from scratchml.utils import check_array

    dense = np.array([[0.0, 1.0], [2.0, 0.0], [0.0, 0.0]])
    X = CSRMatrix(dense)
    with pytest.raises(TypeError, match="TruncatedSVD.*toarray"):
        check_array(X)
    from scratchml.neighbors import NearestCentroid

    with pytest.raises(TypeError, match="sparse matrix.*NearestCentroid"):
        NearestCentroid().fit(X, [0, 1, 0])
    out = check_array(X, accept_sparse=True)
    assert isinstance(out, CSRMatrix)
    np.testing.assert_array_equal(out.toarray(), dense)
    ints = CSRMatrix(dense.astype(np.int64))
    assert check_array(ints, accept_sparse=True).dtype == np.float64
    bad = CSRMatrix(np.array([[0.0, np.inf], [np.nan, 0.0]]))
    with pytest.raises(ValueError, match="non-finite"):
        check_array(bad, accept_sparse=True)
    assert check_array(CSRMatrix(np.array([[0.0, np.nan]])), accept_sparse=True,
                       ensure_all_finite="allow-nan").nnz == 1


def test_scipy_sparse_input_becomes_csr_matrix():
    sp = pytest.importorskip("scipy.sparse")
    from scratchml.sparse import CSRMatrix
    from scratchml.utils import check_array

    dense = np.array([[0.0, 1.0], [2.0, 0.0]])
    for fmt in (sp.csr_matrix, sp.csc_matrix, sp.coo_matrix):
        out = check_array(fmt(dense), accept_sparse=True)
        assert isinstance(out, CSRMatrix)
        np.testing.assert_array_equal(out.toarray(), dense)
    with pytest.raises(TypeError, match="sparse matrix"):
        check_array(sp.csr_matrix(dense))
