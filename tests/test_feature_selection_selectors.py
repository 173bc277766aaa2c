"""scratchml.feature_selection's selectors against scikit-learn, plus their own properties.

SelectKBest / SelectPercentile (ties and NaN scores), VarianceThreshold,
SelectFromModel and CorrelationFilter; the score functions are tested in
tests/test_feature_selection.py.
"""

import warnings

import numpy as np
import pytest
from _feature_selection_helpers import classification_data
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from scratchml.feature_selection import (
    CorrelationFilter,
    SelectFromModel,
    SelectKBest,
    SelectPercentile,
    VarianceThreshold,
    chi2,
    f_classif,
)
from scratchml.feature_selection._correlation import _rank_columns

skf = pytest.importorskip("sklearn.feature_selection")


# -- univariate selectors ---------------------------------------------------------


def _scores_func(scores):
    return lambda X, y: (np.asarray(scores, dtype=float), np.ones(len(scores)))


@given(st.lists(st.sampled_from([0.0, 1.0, 2.0, 3.0, np.nan, 5.5]), min_size=1, max_size=12),
       st.data())
def test_supports_equal_sklearn_with_ties_and_nan(scores, data):
    # The same scores through both selectors: the rules (stable sort, percentile ties,
    # NaN lowest) must give identical supports.
    X = np.zeros((3, len(scores)))
    y = np.array([0, 1, 0])
    k = data.draw(st.one_of(st.integers(0, len(scores)), st.just("all")))
    q = data.draw(st.sampled_from([0, 10, 25, 33.3, 50, 75, 99, 100]))
    ours_k = SelectKBest(_scores_func(scores), k=k).fit(X, y).get_support()
    ref_k = skf.SelectKBest(_scores_func(scores), k=k).fit(X, y).get_support()
    np.testing.assert_array_equal(ours_k, ref_k)
    ours_p = SelectPercentile(_scores_func(scores), percentile=q).fit(X, y).get_support()
    ref_p = skf.SelectPercentile(_scores_func(scores), percentile=q).fit(X, y).get_support()
    np.testing.assert_array_equal(ours_p, ref_p)


@given(classification_data(), st.integers(1, 5))
def test_select_k_best_f_classif_matches_sklearn(data, k):
    X, y = data
    k = min(k, X.shape[1])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = skf.SelectKBest(k=k).fit(X, y)
    ours = SelectKBest(k=k).fit(X, y)
    f_ref = np.nan_to_num(ref.scores_, nan=-1)
    # Supports agree unless two different scores are within rounding of each other.
    gaps = np.abs(f_ref[:, None] - f_ref[None, :])
    near_tie = (gaps > 0) & (gaps <= 1e-9 * np.abs(f_ref[:, None]))
    if not near_tie.any() and np.all(np.isfinite(ref.scores_) == np.isfinite(ours.scores_)):
        np.testing.assert_array_equal(ours.get_support(), ref.get_support())
    np.testing.assert_array_equal(ours.transform(X), X[:, ours.get_support()])


def test_selector_api():
    X = np.array([[1, 10, 0, 5], [2, 11, 1, 5], [8, 10, 0, 4], [9, 12, 1, 4]])
    y = [0, 0, 1, 1]
    sel = SelectKBest(k=2).fit(X, y)
    Xt = sel.transform(X)
    assert Xt.dtype == X.dtype  # integers stay integers
    np.testing.assert_array_equal(sel.get_support(indices=True), np.flatnonzero(sel.get_support()))
    back = sel.inverse_transform(Xt)
    np.testing.assert_array_equal(back[:, sel.get_support()], Xt)
    assert not back[:, ~sel.get_support()].any()  # zeros in the dropped columns
    assert list(sel.get_feature_names_out()) == ["x0", "x3"]
    assert list(sel.get_feature_names_out(["a", "b", "c", "d"])) == ["a", "d"]
    with pytest.raises(ValueError, match="selected 2 features"):
        sel.inverse_transform(X)
    with pytest.warns(UserWarning, match="No features were selected"):
        assert SelectKBest(k=0).fit(X, y).transform(X).shape == (4, 0)
    with pytest.warns(UserWarning, match="k=7 is greater than n_features=4"):
        assert SelectKBest(k=7).fit(X, y).get_support().all()


def test_feature_names_with_pandas():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "b": [0.0, 0.0, 0.0, 0.0],
                       "c": [4.0, 1.0, 2.0, 9.0]})
    sel = VarianceThreshold().fit(df)
    assert list(sel.get_feature_names_out()) == ["a", "c"]
    with pytest.raises(ValueError, match="do not match"):
        sel.get_feature_names_out(["x", "y", "z"])


def test_score_func_names_and_bad_parameters():
    X = np.array([[1.0, 2.0], [2.0, 1.0], [3.0, 5.0], [4.0, 3.0]])
    y = [0, 0, 1, 1]
    for name, func in [("f_classif", f_classif), ("chi2", chi2)]:
        np.testing.assert_array_equal(SelectKBest(name, k=1).fit(X, y).scores_, func(X, y)[0])
    assert SelectKBest("r_regression", k=1).fit(X, y).pvalues_ is None
    with pytest.raises(ValueError, match="score_func='anova'"):
        SelectKBest("anova").fit(X, y)
    with pytest.raises(ValueError, match="k=-1"):
        SelectKBest(k=-1).fit(X, y)
    with pytest.raises(ValueError, match="k='some'"):
        SelectKBest(k="some").fit(X, y)
    with pytest.raises(ValueError, match="percentile=101"):
        SelectPercentile(percentile=101).fit(X, y)
    with pytest.raises(ValueError, match="y is required"):
        SelectKBest(k=1).fit(X)


# -- VarianceThreshold -------------------------------------------------------------


@given(classification_data(), st.sampled_from([0.0, 0.5, 3.0]), st.booleans())
def test_variance_threshold_matches_sklearn(data, threshold, with_nan):
    X, _ = data
    X[:, 0] = 2.5  # a constant column
    if with_nan:
        X[1:3, -1] = np.nan
    try:
        ref = skf.VarianceThreshold(threshold).fit(X)
    except ValueError:
        with pytest.raises(ValueError, match="No feature in X meets the variance threshold"):
            VarianceThreshold(threshold).fit(X)
        return
    ours = VarianceThreshold(threshold).fit(X)
    # A column constant apart from its NaN: scikit-learn's range check skips columns
    # with NaN, so rounding may leave it a tiny variance; ours uses the NaN-aware range.
    obs = [X[~np.isnan(X[:, j]), j] for j in range(X.shape[1])]
    regular = np.array([not (np.isnan(X[:, j]).any() and np.ptp(o) == 0) for j, o in
                        enumerate(obs)])
    # Two-pass variances on both sides: rounding-level agreement.
    np.testing.assert_allclose(ours.variances_[regular], ref.variances_[regular],
                               rtol=1e-10, atol=1e-12)
    assert ours.variances_[0] == 0.0
    assert np.all(ours.variances_[~regular] == 0.0)
    np.testing.assert_array_equal(ours.get_support()[regular], ref.get_support()[regular])
    np.testing.assert_array_equal(ours.transform(X), X[:, ours.get_support()])


def test_variance_threshold_errors():
    with pytest.raises(ValueError, match="only one sample"):
        VarianceThreshold().fit([[1.0, 2.0]])
    with pytest.raises(ValueError, match="threshold=-1"):
        VarianceThreshold(-1).fit([[1.0, 2.0], [2.0, 3.0]])


# -- SelectFromModel -------------------------------------------------------------------


@pytest.fixture(scope="module")
def model_data():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((120, 8))
    y = (X[:, 0] - 2 * X[:, 3] + 0.5 * rng.standard_normal(120) > 0).astype(int)
    y3 = np.digitize(X[:, 1] + X[:, 5], [-0.5, 0.5])
    return X, y, y3


@pytest.mark.parametrize("threshold", [None, "mean", "median", "1.25*mean", "0.5*median", 0.2])
@pytest.mark.parametrize("max_features", [None, 3])
def test_select_from_model_matches_sklearn(model_data, threshold, max_features):
    lm = pytest.importorskip("sklearn.linear_model")
    X, y, y3 = model_data
    for target, norm_order in ((y, 1), (y3, 1), (y3, 2)):
        kw = dict(threshold=threshold, max_features=max_features, norm_order=norm_order)
        ours = SelectFromModel(lm.LogisticRegression(), **kw).fit(X, target)
        ref = skf.SelectFromModel(lm.LogisticRegression(), **kw).fit(X, target)
        np.testing.assert_array_equal(ours.get_support(), ref.get_support())
        assert ours.threshold_ == pytest.approx(ref.threshold_, rel=1e-12)
        np.testing.assert_array_equal(ours.transform(X), ref.transform(X))
        assert ours.max_features_ == max_features if max_features else True


def test_select_from_model_importances_prefit_and_getters(model_data):
    ens = pytest.importorskip("sklearn.ensemble")
    lm = pytest.importorskip("sklearn.linear_model")
    X, y, _ = model_data
    forest = ens.RandomForestClassifier(n_estimators=20, random_state=0).fit(X, y)
    ours = SelectFromModel(forest, prefit=True)
    ref = skf.SelectFromModel(forest, prefit=True)
    # prefit: transform works without fit, then fit copies (does not refit) the model.
    np.testing.assert_array_equal(ours.transform(X), ref.transform(X))
    ours.fit(X, y)
    assert ours.estimator_ is not forest
    np.testing.assert_array_equal(ours.estimator_.feature_importances_,
                                  forest.feature_importances_)
    np.testing.assert_array_equal(ours.get_support(), ref.get_support())
    # Lasso is L1-penalised: the default threshold is 1e-5, not the mean.
    lasso = SelectFromModel(lm.Lasso(alpha=0.1)).fit(X, y.astype(float))
    assert lasso.threshold_ == 1e-5
    by_name = SelectFromModel(lm.LogisticRegression(), importance_getter="coef_").fit(X, y)
    by_call = SelectFromModel(lm.LogisticRegression(),
                              importance_getter=lambda e: e.coef_).fit(X, y)
    np.testing.assert_array_equal(by_name.get_support(), by_call.get_support())
    # A callable max_features gets X.
    half = SelectFromModel(lm.LogisticRegression(), threshold=-np.inf,
                           max_features=lambda X: X.shape[1] // 2).fit(X, y)
    assert half.max_features_ == 4 and half.get_support().sum() == 4


def test_select_from_model_errors(model_data):
    lm = pytest.importorskip("sklearn.linear_model")
    X, y, _ = model_data
    from scratchml.exceptions import NotFittedError

    with pytest.raises(NotFittedError, match="prefit=True"):
        SelectFromModel(lm.LogisticRegression(), prefit=True).fit(X, y)
    with pytest.raises(ValueError, match="threshold='max'"):
        SelectFromModel(lm.LogisticRegression(), threshold="max").fit(X, y).get_support()
    with pytest.raises(ValueError, match="coef_ or feature_importances_"):
        from scratchml.preprocessing import StandardScaler

        SelectFromModel(StandardScaler()).fit(X).transform(X)
    with pytest.raises(ValueError, match="max_features=-2"):
        SelectFromModel(lm.LogisticRegression(), max_features=-2).fit(X, y)


def test_works_inside_sklearn_pipeline_and_search():
    ms = pytest.importorskip("sklearn.model_selection")
    lm = pytest.importorskip("sklearn.linear_model")
    from sklearn.base import clone as sk_clone
    from sklearn.pipeline import make_pipeline
    from sklearn.utils import get_tags

    from scratchml.impute import SimpleImputer

    rng = np.random.default_rng(0)
    X = rng.standard_normal((80, 6))
    y = (X[:, 0] + X[:, 2] > 0).astype(int)
    X[rng.random(X.shape) < 0.1] = np.nan
    pipe = make_pipeline(SimpleImputer(), VarianceThreshold(), SelectKBest(k=3),
                         lm.LogisticRegression())
    assert get_tags(SimpleImputer()).input_tags.allow_nan
    search = ms.GridSearchCV(pipe, {"selectkbest__k": [2, 4]}, cv=3).fit(X, y)
    assert search.best_params_["selectkbest__k"] in (2, 4)
    assert sk_clone(search.best_estimator_).steps[2][1].k == search.best_params_["selectkbest__k"]


# -- CorrelationFilter -----------------------------------------------------------------


def _check_filter_rule(X, sel, corr):
    keep = sel.support_
    C = np.abs(corr)
    np.fill_diagonal(C, 0)
    C = np.nan_to_num(C)
    kept = np.flatnonzero(keep)
    assert np.all(C[np.ix_(kept, kept)] <= sel.threshold + 1e-12)
    for j in sel.dropped_features_:
        earlier_kept = kept[kept < j]
        assert np.any(C[j, earlier_kept] > sel.threshold - 1e-12)


@given(hnp.arrays(np.float64, st.tuples(st.integers(3, 30), st.integers(1, 6)),
                  elements=st.integers(-3, 3).map(float)),
       st.sampled_from([0.0, 0.3, 0.7, 0.9, 1.0]), st.sampled_from(["pearson", "spearman"]))
def test_correlation_filter_rule(X, threshold, method):
    sel = CorrelationFilter(threshold=threshold, method=method).fit(X)
    Z = _rank_columns(X) if method == "spearman" else X
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corr = np.corrcoef(Z, rowvar=False).reshape(X.shape[1], X.shape[1])
    _check_filter_rule(X, sel, corr)
    assert sel.support_[0]  # the first column is always kept
    np.testing.assert_array_equal(sel.transform(X), X[:, sel.support_])


def test_correlation_filter_keeps_the_earlier_of_two_duplicates():
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((2, 50))
    X = np.c_[a, b, 3 * a - 1, np.exp(b), np.ones(50)]
    pear = CorrelationFilter(0.95).fit(X)
    np.testing.assert_array_equal(pear.dropped_features_, [2])  # exp(b) is not linear in b
    spear = CorrelationFilter(0.95, method="spearman").fit(X)
    np.testing.assert_array_equal(spear.dropped_features_, [2, 3])  # but it is monotone
    assert spear.support_[4]  # a constant column has no correlation: kept
    # Chain a~b, b~c but a!~c: c survives because b was dropped (greedy over kept only).
    t = np.linspace(0, 1, 50)
    chain = np.c_[t, t + 0.25 * np.sin(9 * t), t + 0.5 * np.sin(9 * t)]
    C = np.corrcoef(chain, rowvar=False)
    thr = (C[0, 1] + max(C[0, 2], C[1, 2])) / 2
    if C[0, 2] < thr < C[0, 1] and C[1, 2] > thr:
        np.testing.assert_array_equal(CorrelationFilter(thr).fit(chain).support_,
                                      [True, False, True])


def test_rank_columns_matches_scipy():
    stats = pytest.importorskip("scipy.stats")
    X = np.array([[3.0, 1.0], [1.0, 1.0], [3.0, 2.0], [2.0, 1.0], [3.0, 0.0]])
    np.testing.assert_array_equal(_rank_columns(X), stats.rankdata(X, axis=0))


def test_correlation_filter_bad_parameters():
    X = np.eye(3)
    with pytest.raises(ValueError, match="threshold=1.5"):
        CorrelationFilter(1.5).fit(X)
    with pytest.raises(ValueError, match="method='kendall'"):
        CorrelationFilter(method="kendall").fit(X)
