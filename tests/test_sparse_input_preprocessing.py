"""Sparse input (CSRMatrix and SciPy's csr) in naive Bayes, scalers, feature selection,
TruncatedSVD and the Pipeline / ColumnTransformer / FeatureUnion plumbing.

The property throughout: an estimator fitted on a sparse X gives the same fitted
attributes and outputs as on the dense equivalent ``X.toarray()``. Counts are small
integers, so sums of them are exact in any order and NB / chi2 agree exactly; for
real-valued data the sparse and dense reductions add the same terms in a different
order, so they agree to rounding (1e-12 with values of order 1).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scratchml.base import BaseEstimator, TransformerMixin
from scratchml.compose import ColumnTransformer
from scratchml.compose._sparse_stack import _hstack_csr, _select_csr_columns
from scratchml.decomposition import TruncatedSVD
from scratchml.exceptions import DataValidationError
from scratchml.feature_selection import SelectKBest, SelectPercentile, VarianceThreshold, chi2
from scratchml.naive_bayes import (
    BernoulliNB,
    CategoricalNB,
    ComplementNB,
    GaussianNB,
    MultinomialNB,
)
from scratchml.pipeline import FeatureUnion, make_pipeline
from scratchml.preprocessing import MaxAbsScaler, Normalizer, StandardScaler
from scratchml.sparse import CSRMatrix

sp = pytest.importorskip("scipy.sparse")

TOL = 1e-12  # same sums in another order: rounding of O(1) values only

# (n_rows, n_cols, density, seed): small sparse problems with empty rows and columns likely.
shapes = st.tuples(st.integers(2, 25), st.integers(1, 12), st.sampled_from([0.05, 0.2, 0.5]),
                   st.integers(0, 2**16))


def _counts(n, p, density, seed, n_classes=3):
    rng = np.random.default_rng(seed)
    X = rng.integers(1, 6, (n, p)) * (rng.random((n, p)) < density)
    y = np.arange(n) % n_classes  # every class present
    rng.shuffle(y)
    return X.astype(np.float64), y


def _reals(n, p, density, seed):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, p)) * 3 * (rng.random((n, p)) < density)


def _dense(X):
    return X.toarray() if hasattr(X, "toarray") else np.asarray(X)


# ------------------------------------------------------------------------ naive Bayes
NB_CLASSES = [MultinomialNB, ComplementNB, BernoulliNB]


@pytest.mark.parametrize("cls", NB_CLASSES)
@given(shape=shapes)
def test_nb_sparse_fit_equals_dense(cls, shape):
    X, y = _counts(*shape)
    dense = cls().fit(X, y)
    for Xs in (CSRMatrix.from_dense(X), sp.csr_matrix(X)):
        est = cls().fit(Xs, y)
        for attr in ("class_count_", "feature_count_", "class_log_prior_", "feature_log_prob_"):
            # integer counts: the totals are exact, so the logs are identical
            np.testing.assert_array_equal(getattr(est, attr), getattr(dense, attr))
        np.testing.assert_array_equal(est.predict(Xs), dense.predict(X))
        np.testing.assert_allclose(est.predict_proba(Xs), dense.predict_proba(X),
                                   rtol=0, atol=TOL)  # jll = X @ W: order of the sum


@pytest.mark.parametrize("cls", NB_CLASSES)
def test_nb_partial_fit_sparse_batches_equal_dense_fit(cls):
    X, y = _counts(40, 9, 0.3, 1)
    w = np.linspace(0.5, 2.0, 40)
    S = CSRMatrix.from_dense(X)
    est = cls().partial_fit(S[:15], y[:15], classes=[0, 1, 2], sample_weight=w[:15])
    est.partial_fit(sp.csr_matrix(X[15:]), y[15:], sample_weight=w[15:])
    dense = cls().fit(X, y, sample_weight=w)
    np.testing.assert_allclose(est.feature_count_, dense.feature_count_, rtol=TOL)
    np.testing.assert_allclose(est.feature_log_prob_, dense.feature_log_prob_, rtol=TOL)
    np.testing.assert_array_equal(est.predict(S), dense.predict(X))


def test_bernoulli_binarize_on_stored_values():
    X, y = _counts(30, 8, 0.4, 2)
    for threshold in (2.5, 0.0, None):
        if threshold is None:  # None: X is taken as already binary
            X = (X > 0).astype(np.float64)
        est = BernoulliNB(binarize=threshold).fit(CSRMatrix.from_dense(X), y)
        dense = BernoulliNB(binarize=threshold).fit(X, y)
        np.testing.assert_array_equal(est.feature_count_, dense.feature_count_)
        np.testing.assert_allclose(est.predict_proba(sp.csr_matrix(X)), dense.predict_proba(X),
                                   rtol=0, atol=TOL)  # order of the jll sum
    with pytest.raises(ValueError, match="binarize"):
        BernoulliNB(binarize=-1.0).fit(CSRMatrix.from_dense(X), y)


@pytest.mark.parametrize("cls", [MultinomialNB, ComplementNB])
def test_nb_sparse_negative_count_names_column(cls):
    X, y = _counts(10, 5, 0.5, 3)
    X[4, 3] = -2.0
    with pytest.raises(DataValidationError, match="column 3"):
        cls().fit(CSRMatrix.from_dense(X), y)


@pytest.mark.parametrize("cls", [GaussianNB, CategoricalNB])
def test_dense_only_nb_refuses_sparse(cls):
    X, y = _counts(10, 4, 0.5, 4)
    with pytest.raises(TypeError, match="TruncatedSVD"):
        cls().fit(CSRMatrix.from_dense(X), y)


# ---------------------------------------------------------------------------- scalers
def _same_pattern_and_values(out, X_sparse, expected_dense, tol):
    assert isinstance(out, CSRMatrix)
    Xc = CSRMatrix(X_sparse)
    np.testing.assert_array_equal(out.indptr, Xc.indptr)  # zeros stay unstored zeros
    np.testing.assert_array_equal(out.indices, Xc.indices)
    np.testing.assert_allclose(out.toarray(), expected_dense, rtol=0, atol=tol)


@given(shape=shapes, clip=st.booleans())
def test_max_abs_scaler_sparse(shape, clip):
    X = _reals(*shape)
    S = CSRMatrix.from_dense(X)
    before = S.data.copy()
    est, dense = MaxAbsScaler(clip=clip).fit(S), MaxAbsScaler(clip=clip).fit(X)
    np.testing.assert_array_equal(est.max_abs_, dense.max_abs_)  # a max is exact
    Z = est.transform(S)
    _same_pattern_and_values(Z, S, dense.transform(X), 0)  # same division, exact
    _same_pattern_and_values(est.inverse_transform(Z), S, dense.inverse_transform(
        dense.transform(X)), 0)
    np.testing.assert_array_equal(S.data, before)  # the caller's X is not modified
    assert isinstance(est.transform(sp.csr_matrix(X)), CSRMatrix)


@given(shape=shapes, weighted=st.booleans())
def test_standard_scaler_with_mean_false_sparse(shape, weighted):
    X = _reals(*shape)
    w = np.linspace(0.2, 3.0, X.shape[0]) if weighted else None
    S = sp.csr_matrix(X)
    est = StandardScaler(with_mean=False).fit(S, sample_weight=w)
    dense = StandardScaler(with_mean=False).fit(X, sample_weight=w)
    np.testing.assert_allclose(est.mean_, dense.mean_, rtol=0, atol=TOL)  # order of the sum
    np.testing.assert_allclose(est.var_, dense.var_, rtol=0, atol=TOL)
    np.testing.assert_allclose(est.scale_, dense.scale_, rtol=0, atol=TOL)
    Z = est.transform(S)
    _same_pattern_and_values(Z, S, dense.transform(X), 1e-10)  # x / σ with σ to 1e-12
    np.testing.assert_allclose(est.inverse_transform(Z).toarray(), X, rtol=0, atol=1e-12)


def test_standard_scaler_sparse_partial_fit_matches_fit():
    X = _reals(60, 6, 0.3, 5)
    S = CSRMatrix.from_dense(X)
    est = StandardScaler(with_mean=False).partial_fit(S[:25]).partial_fit(S[25:])
    dense = StandardScaler(with_mean=False).fit(X)
    np.testing.assert_allclose(est.var_, dense.var_, rtol=0, atol=TOL)  # Chan merge, rounding


def test_standard_scaler_refuses_to_centre_sparse():
    S = CSRMatrix.from_dense(_reals(10, 3, 0.5, 6))
    with pytest.raises(ValueError, match="with_mean=False"):
        StandardScaler().fit(S)
    with pytest.raises(ValueError, match="with_mean=False"):
        StandardScaler().fit(S.toarray()).transform(S)


@pytest.mark.parametrize("norm", ["l1", "l2", "max"])
@given(shape=shapes)
def test_normalizer_sparse(norm, shape):
    X = _reals(*shape)
    S = CSRMatrix.from_dense(X)
    out = Normalizer(norm=norm).fit(S).transform(S)
    # the row norm is summed in another order (l1, l2); max is exact
    _same_pattern_and_values(out, S, Normalizer(norm=norm).fit(X).transform(X), TOL)


# ------------------------------------------------------------------ feature selection
@pytest.mark.filterwarnings("ignore:No features were selected")  # tiny X, tiny percentile
@given(shape=shapes)
def test_select_k_best_chi2_sparse(shape):
    X, y = _counts(*shape)
    k = max(1, X.shape[1] // 2)
    for Selector, kw in ((SelectKBest, {"k": k}), (SelectPercentile, {"percentile": 40})):
        est, dense = Selector(chi2, **kw).fit(sp.csr_matrix(X), y), Selector(chi2, **kw).fit(X, y)
        # integer observed and expected totals: the statistics are identical
        np.testing.assert_array_equal(est.scores_, dense.scores_)
        np.testing.assert_array_equal(est.get_support(), dense.get_support())
        Z = est.transform(CSRMatrix.from_dense(X))
        assert isinstance(Z, CSRMatrix)
        np.testing.assert_array_equal(Z.toarray(), dense.transform(X))
        np.testing.assert_array_equal(est.inverse_transform(Z).toarray(),
                                      dense.inverse_transform(dense.transform(X)))


def test_chi2_sparse_matches_sklearn_and_rejects_negatives():
    from sklearn.feature_selection import chi2 as sk_chi2

    X, y = _counts(50, 10, 0.3, 7)
    X[:, 2] = 0.0
    ours, ref = chi2(CSRMatrix.from_dense(X), y), sk_chi2(sp.csr_matrix(X), y)
    np.testing.assert_allclose(ours[0], ref[0], rtol=1e-12)  # same formula, rounding
    X[3, 4] = -1.0
    with pytest.raises(DataValidationError, match=r"\[4\]"):
        chi2(CSRMatrix.from_dense(X), y)


@pytest.mark.parametrize("threshold", [0.0, 0.5])
@given(shape=shapes)
def test_variance_threshold_sparse(threshold, shape):
    X = _reals(*shape)
    X[:, 0] = 2.0  # a constant column scores exactly 0
    S = CSRMatrix.from_dense(X)
    est = VarianceThreshold(threshold)
    dense = VarianceThreshold(threshold)
    try:
        dense.fit(X)
    except ValueError:
        with pytest.raises(ValueError, match="threshold"):
            est.fit(S)
        return
    est.fit(S)
    np.testing.assert_allclose(est.variances_, dense.variances_, rtol=0, atol=TOL)  # order
    assert est.variances_[0] == 0.0
    np.testing.assert_array_equal(est.transform(S).toarray(), dense.transform(X))


def test_variance_threshold_sparse_ignores_nan():
    X = _reals(30, 5, 0.5, 8)
    X[3, 1] = X[7, 2] = np.nan
    X[:, 4] = np.nan
    X[:, 3] = 1.0
    X[0, 3] = np.nan  # constant apart from its NaN: 0
    dense = VarianceThreshold().fit(X)
    est = VarianceThreshold().fit(CSRMatrix.from_dense(X))
    np.testing.assert_allclose(est.variances_, dense.variances_, rtol=0, atol=TOL)  # order
    assert est.variances_[3] == 0.0 and np.isnan(est.variances_[4])


# ------------------------------------------------------------------------ TruncatedSVD
@pytest.mark.parametrize("normalizer", ["auto", "QR", "none"])
@pytest.mark.parametrize("shape", [(40, 15), (12, 30)])
def test_truncated_svd_sparse_equals_dense(normalizer, shape):
    X = _reals(*shape, 0.3, 9)
    kw = {"n_components": 3, "random_state": 0, "power_iteration_normalizer": normalizer}
    dense = TruncatedSVD(**kw)
    Z_dense = dense.fit_transform(X)
    for Xs in (CSRMatrix.from_dense(X), sp.csr_matrix(X)):
        est = TruncatedSVD(**kw)
        Z = est.fit_transform(Xs)
        # X @ Q and Xᵀ @ Q sum in another order (values O(1)); the rest is the same algebra
        for attr in ("components_", "singular_values_", "explained_variance_",
                     "explained_variance_ratio_"):
            np.testing.assert_allclose(getattr(est, attr), getattr(dense, attr),
                                       rtol=0, atol=TOL)
        np.testing.assert_allclose(Z, Z_dense, rtol=0, atol=TOL)
        np.testing.assert_allclose(est.transform(Xs), dense.transform(X), rtol=0, atol=TOL)


# ---------------------------------------------------------- Pipeline / ColumnTransformer
class _ToCSR(TransformerMixin, BaseEstimator):
    """A sparse-producing step: its input, stored as a CSRMatrix (or SciPy csr)."""

    def __init__(self, scipy: bool = False):
        self.scipy = scipy

    def fit(self, X, y=None):
        self._validate_data(X)
        return self

    def transform(self, X):
        X = self._validate_data(X, reset=False)
        return sp.csr_matrix(X) if self.scipy else CSRMatrix.from_dense(X)


def test_pipeline_sparse_steps_equal_dense():
    X, y = _counts(60, 12, 0.3, 10)
    sparse = make_pipeline(_ToCSR(), MaxAbsScaler(), SelectKBest(chi2, k=5), MultinomialNB())
    dense = make_pipeline(MaxAbsScaler(), SelectKBest(chi2, k=5), MultinomialNB())
    sparse.fit(X, y)
    dense.fit(X, y)
    np.testing.assert_array_equal(sparse.predict(X), dense.predict(X))
    np.testing.assert_allclose(sparse.predict_proba(X), dense.predict_proba(X), rtol=0, atol=TOL)


@given(blocks=st.lists(st.tuples(st.integers(0, 5), st.sampled_from([0.0, 0.3, 1.0]),
                                 st.booleans()), min_size=1, max_size=4),
       n=st.integers(1, 8), seed=st.integers(0, 2**16))
def test_hstack_csr_equals_dense_hstack(blocks, n, seed):
    rng = np.random.default_rng(seed)
    parts = [rng.normal(size=(n, w)) * (rng.random((n, w)) < d) for w, d, _ in blocks]
    given_ = [CSRMatrix.from_dense(P) if as_csr else P for P, (_, _, as_csr) in zip(parts, blocks)]
    out = _hstack_csr(given_, n)
    assert isinstance(out, CSRMatrix)
    np.testing.assert_array_equal(out.toarray(), np.hstack(parts))  # values are only moved
    assert out.has_canonical_format


@pytest.mark.parametrize("threshold,sparse_out", [(0.3, True), (0.0, False), (1.0, True)])
def test_column_transformer_sparse_threshold(threshold, sparse_out):
    rng = np.random.default_rng(11)
    counts = rng.integers(1, 3, (20, 30)) * (rng.random((20, 30)) < 0.05)
    X = np.c_[rng.normal(size=(20, 2)), counts]
    ct = ColumnTransformer([("num", StandardScaler(), [0, 1]),
                            ("txt", _ToCSR(scipy=True), list(range(2, 32)))],
                           sparse_threshold=threshold, transformer_weights={"txt": 2.0})
    out = ct.fit_transform(X)
    expected = np.hstack([StandardScaler().fit_transform(X[:, :2]), 2.0 * X[:, 2:]])
    assert ct.sparse_output_ is sparse_out
    assert isinstance(out, CSRMatrix) is sparse_out
    np.testing.assert_allclose(_dense(out), expected, rtol=0, atol=0)  # same arithmetic
    np.testing.assert_array_equal(_dense(ct.transform(X)), _dense(out))
    assert isinstance(ct.transform(X), CSRMatrix) is sparse_out


def test_column_transformer_dense_density_above_threshold_is_dense():
    X = np.abs(np.random.default_rng(12).normal(size=(10, 4))) + 1  # no zeros: density 1
    ct = ColumnTransformer([("a", _ToCSR(), [0, 1]), ("b", "passthrough", [2, 3])])
    out = ct.fit_transform(X)
    assert isinstance(out, np.ndarray) and not ct.sparse_output_
    np.testing.assert_array_equal(out, X)
    with pytest.raises(ValueError, match="sparse_threshold"):
        ColumnTransformer([("a", _ToCSR(), [0])], sparse_threshold=1.5).fit(X)


def test_feature_union_sparse_block_gives_csr():
    X = _reals(15, 4, 0.3, 13)
    out = FeatureUnion([("s", _ToCSR()), ("m", MaxAbsScaler())]).fit_transform(X)
    assert isinstance(out, CSRMatrix)
    np.testing.assert_array_equal(out.toarray(), np.hstack([X, MaxAbsScaler().fit_transform(X)]))


@given(cols=st.lists(st.integers(0, 5), max_size=8), seed=st.integers(0, 2**16))
def test_select_csr_columns_any_order_and_repeats(cols, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(6, 6)) * (rng.random((6, 6)) < 0.4)
    out = _select_csr_columns(CSRMatrix.from_dense(X), cols)
    np.testing.assert_array_equal(out.toarray(), X[:, cols])  # values are only moved
    assert out.has_sorted_indices


def test_column_transformer_sparse_input_matches_sklearn():
    from sklearn.compose import ColumnTransformer as SkColumnTransformer
    from sklearn.preprocessing import MaxAbsScaler as SkMaxAbsScaler

    X = _reals(30, 6, 0.2, 14)
    spec = [("m", MaxAbsScaler(), [0, 2]), ("p", "passthrough", [5, 1])]
    ours = ColumnTransformer(spec).fit(sp.csr_matrix(X))
    ref = SkColumnTransformer([("m", SkMaxAbsScaler(), [0, 2]), ("p", "passthrough", [5, 1])])
    ref.fit(sp.csr_matrix(X))
    out = ours.transform(CSRMatrix.from_dense(X))
    assert isinstance(out, CSRMatrix) and ours.sparse_output_ == ref.sparse_output_
    # scikit-learn multiplies by 1 / max|x|, scratchml divides: one rounding apart
    np.testing.assert_allclose(out.toarray(), ref.transform(sp.csr_matrix(X)).toarray(),
                               rtol=1e-15, atol=0)
    dense = ColumnTransformer(spec).fit_transform(X)
    np.testing.assert_array_equal(out.toarray(), dense)  # same arithmetic as on dense X


def test_pipeline_fitted_on_sparse_saves_and_loads(tmp_path):
    import scratchml

    X, y = _counts(40, 10, 0.3, 15)
    S = CSRMatrix.from_dense(X)
    pipe = make_pipeline(MaxAbsScaler(), SelectKBest("chi2", k=4), ComplementNB()).fit(S, y)
    ct = ColumnTransformer([("a", "passthrough", [0, 1, 2]), ("b", MaxAbsScaler(), [3, 4])])
    assert isinstance(ct.fit_transform(S), CSRMatrix)
    for est, Xin in ((pipe, S), (ct, S)):
        scratchml.save(est, tmp_path / "model.zip")
        back = scratchml.load(tmp_path / "model.zip")  # fitted state is plain arrays
        out, ref = (back.predict(Xin), est.predict(Xin)) if est is pipe else (
            back.transform(Xin), est.transform(Xin))
        np.testing.assert_array_equal(_dense(out), _dense(ref))
