"""scratchml.feature_selection against scikit-learn, plus the selectors' own properties.

Score functions: scikit-learn computes sums of squares with one-pass formulas
(Σx² − (Σx)²/n), scratchml with centred ones, so on ill-conditioned columns (large
mean, tiny spread) scikit-learn loses digits that scratchml keeps. The comparisons
below therefore use a tolerance scaled by each column's condition number, computed
from the data; on ordinary data it is ~1e-12.
"""

import warnings

import numpy as np
import pytest
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
    f_regression,
    mutual_info_classif,
    r_regression,
)
from scratchml.feature_selection._correlation import _rank_columns
from scratchml.utils._special import f_sf

skf = pytest.importorskip("sklearn.feature_selection")
EPS = np.finfo(np.float64).eps


@st.composite
def classification_data(draw, max_rows=40, max_cols=5, nonneg=False):
    """X (small integers or floats, so ties and duplicated columns occur) and labels."""
    n = draw(st.integers(4, max_rows))
    p = draw(st.integers(1, max_cols))
    lo = 0 if nonneg else -50
    values = st.one_of(st.integers(lo, 9).map(float), st.floats(lo, 100, allow_nan=False))
    X = draw(hnp.arrays(np.float64, (n, p), elements=values))
    if p > 1 and draw(st.booleans()):
        X[:, -1] = X[:, 0]  # a duplicated column: its score ties with the first
    n_classes = draw(st.integers(2, 4))
    y = draw(hnp.arrays(np.int64, n, elements=st.integers(0, n_classes - 1)))
    y[:2] = [0, 1]  # at least two classes
    return X, y


def _f_tolerance(X, y, ours_f):
    """Relative tolerance on F: eps × the condition number of scikit-learn's formulas.

    Its SST and SSB come from differences of sums of squares, each with an absolute
    error ~ n·eps·Σx²; SSW = SST − SSB and F inherit them relative to SSW and SSB.
    """
    classes = np.unique(y)
    means = np.array([X[y == c].mean(axis=0) for c in classes])
    counts = np.array([(y == c).sum() for c in classes])[:, None]
    ssb = (counts * (means - X.mean(axis=0)) ** 2).sum(axis=0)
    ssw = ((X - means[np.searchsorted(classes, y)]) ** 2).sum(axis=0)
    scale = (X**2).sum(axis=0) * len(X) * EPS
    with np.errstate(divide="ignore", invalid="ignore"):
        cond = scale / ssw + scale / ssb
    return 1e-12 + 10 * np.nan_to_num(cond, nan=np.inf, posinf=np.inf)


def _p_tolerance(f, rtol_f, dfn, dfd):
    """Tolerance on p = sf(F): the relative change of p when F moves by rtol_f."""
    with np.errstate(all="ignore"):
        up = f_sf(f * (1 + np.minimum(rtol_f, 0.5)), dfn, dfd)
        p = f_sf(f, dfn, dfd)
        return 1e-11 + np.nan_to_num(np.abs(up - p) / p, nan=np.inf)


@given(classification_data())
def test_f_classif_matches_sklearn(data):
    X, y = data
    f, p = f_classif(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        f_ref, p_ref = skf.f_classif(X, y)
    rtol = _f_tolerance(X, y, f)
    ok = np.isfinite(rtol) & np.isfinite(f_ref) & (f_ref > 0)  # degenerate columns: below
    for j in np.flatnonzero(ok):
        assert f[j] == pytest.approx(f_ref[j], rel=rtol[j])
        tol = _p_tolerance(f_ref[j], rtol[j], len(np.unique(y)) - 1, len(y) - len(np.unique(y)))
        assert p[j] == pytest.approx(p_ref[j], rel=tol, abs=1e-300)
    # Identical columns score identically (ties survive for SelectKBest).
    if X.shape[1] > 1 and np.array_equal(X[:, 0], X[:, -1]):
        assert np.array_equal(f[0], f[-1], equal_nan=True)


def test_f_classif_degenerate_columns():
    X = np.c_[np.full(7, 0.1), [1, 2, 3, 4, 5, 6, 7.0], [1, 1, 1, 2, 2, 2, 2.0]]
    y = [0, 0, 0, 1, 1, 1, 1]
    f, p = f_classif(X, y)
    # Constant overall: 0/0 (scikit-learn gets 0/0 too, or rounding noise such as -0).
    assert np.isnan(f[0]) and np.isnan(p[0])
    assert f[1] == pytest.approx(15.0) and p[1] == pytest.approx(0.011724811003954639, rel=1e-12)
    assert f[2] == np.inf and p[2] == 0.0  # constant within classes, means differ
    # NaN scores rank last in the selectors.
    assert SelectKBest(k=2).fit(X, y).get_support().tolist() == [False, True, True]


@given(classification_data(nonneg=True))
def test_chi2_matches_sklearn(data):
    X, y = data
    stat, p = chi2(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        stat_ref, p_ref = skf.chi2(X, y)
    # Same sums in both (no cancellation): rounding-level agreement.
    np.testing.assert_allclose(stat, stat_ref, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(p, p_ref, rtol=1e-10, atol=1e-300)


def test_chi2_rejects_negative_values():
    with pytest.raises(ValueError, match=r"non-negative.*columns \[1\]"):
        chi2([[1.0, -1.0], [2.0, 3.0]], [0, 1])


@st.composite
def regression_data(draw):
    n = draw(st.integers(4, 40))
    p = draw(st.integers(1, 5))
    X = draw(hnp.arrays(np.float64, (n, p), elements=st.floats(-100, 100)))
    y = draw(hnp.arrays(np.float64, n, elements=st.floats(-100, 100)))
    return X, y


@given(regression_data(), st.booleans())
def test_f_regression_matches_sklearn(data, center):
    X, y = data
    f, p = f_regression(X, y, center=center)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        f_ref, p_ref = skf.f_regression(X, y, center=center)
    Xc = X - X.mean(axis=0) if center else X
    yc = y - y.mean() if center else y
    with np.errstate(all="ignore"):
        # scikit-learn's norms come from Σx² − n·x̄² (error ~ n·eps·Σx² relative to
        # Σ(x − x̄)²); F = r²/(1 − r²)·dof amplifies r's error by 2/(1 − r²).
        r = (yc @ Xc) / np.linalg.norm(Xc, axis=0) / np.linalg.norm(yc)
        cond = len(X) * EPS * ((X**2).sum(axis=0) / (Xc**2).sum(axis=0)
                               + np.abs(y) @ np.abs(X) / np.abs(yc @ Xc) + 1)
        rtol = 1e-12 + 10 * cond * 2 / np.maximum(1 - r**2, 0)  # |r| ≈ 1: unbounded
    ok = np.isfinite(rtol) & (rtol < 1e-3) & (f_ref > 0) & (f_ref < np.finfo(float).max)
    for j in np.flatnonzero(ok):
        assert f[j] == pytest.approx(f_ref[j], rel=rtol[j])
        dof = len(y) - (2 if center else 1)
        assert p[j] == pytest.approx(p_ref[j], rel=_p_tolerance(f_ref[j], rtol[j], 1, dof),
                                     abs=1e-300)


def test_f_regression_force_finite():
    X = np.c_[[1.0, 2.0, 3.0, 4.0], [5.0, 5.0, 5.0, 5.0], [1.0, 0.0, 1.0, 3.0]]
    y = 2 * X[:, 0] + 1
    f, p = f_regression(X, y)
    assert f[0] == np.finfo(float).max and p[0] == 0.0  # perfect correlation
    assert f[1] == 0.0 and p[1] == 1.0  # constant feature
    f_raw, p_raw = f_regression(X, y, force_finite=False)
    assert np.isinf(f_raw[0]) and np.isnan(f_raw[1]) and np.isnan(p_raw[1])
    np.testing.assert_allclose(r_regression(X, y), skf.r_regression(X, y), rtol=1e-12)


# -- mutual information -----------------------------------------------------------


@given(classification_data(nonneg=True))
def test_mutual_info_discrete_features_equal_sklearn(data):
    X, y = data
    Xd = np.floor(X / 20)  # a handful of categories per feature
    ours = mutual_info_classif(Xd, y, discrete_features=True)
    ref = skf.mutual_info_classif(Xd, y, discrete_features=True)
    # The plug-in estimate involves no randomness: equal up to summation order.
    np.testing.assert_allclose(ours, ref, rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_mutual_info_continuous_matches_sklearn_on_tie_free_data(seed):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, 200)
    X = rng.standard_normal((200, 4)) + np.c_[y, 0.3 * y, np.zeros(200), y**2]
    X[:, 2] = rng.exponential(size=200)
    ours = mutual_info_classif(X, y, random_state=0)
    ref = skf.mutual_info_classif(X, y, random_state=0)
    # Both add noise of relative size 1e-10 (from different generators) to break ties.
    # Continuous data has no ties nor near-ties at that scale, so both count the same
    # neighbours and the estimates agree to rounding; 1e-9 leaves room for the noise
    # moving a distance across a radius, which these seeds never do.
    np.testing.assert_allclose(ours, ref, rtol=1e-9, atol=1e-12)


@given(hnp.arrays(np.float64, st.integers(2, 40), elements=st.integers(-5, 5).map(float)),
       st.data())
def test_radius_counts_equal_brute_force(values, data):
    # The k-NN estimator's m_i: points within distance r_i of point i (itself included),
    # by binary search + exact fix-up; ties on the boundary are the delicate part.
    from scratchml.feature_selection._mutual_info import _count_within

    radius = np.array(data.draw(st.lists(st.sampled_from([0.0, 0.5, 1.0, 2.0,
                                                          np.nextafter(1.0, 0)]),
                                         min_size=values.size, max_size=values.size)))
    brute = (np.abs(values[None, :] - values[:, None]) <= radius[:, None]).sum(axis=1)
    np.testing.assert_array_equal(_count_within(np.sort(values), values, radius), brute)


def test_mutual_info_properties():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 400)
    informative = y + 0.01 * rng.standard_normal(400)  # determines y
    noise = rng.standard_normal(400)
    mi = mutual_info_classif(np.c_[informative, noise, 7 * noise + 3], y, random_state=0)
    h_y = -sum(p * np.log(p) for p in np.bincount(y) / 400)  # entropy of y
    assert mi[0] == pytest.approx(h_y, abs=0.05)
    assert mi[1] < 0.05
    assert mi[2] == pytest.approx(mi[1], abs=1e-9)  # invariant to affine rescaling
    assert np.all(mi >= 0)
    # Mixed discrete/continuous mask, as indices or booleans, and determinism.
    a = mutual_info_classif(np.c_[y, noise], y, discrete_features=[0], random_state=1)
    b = mutual_info_classif(np.c_[y, noise], y, discrete_features=np.array([True, False]),
                            random_state=1)
    np.testing.assert_array_equal(a, b)
    assert a[0] == pytest.approx(h_y, rel=1e-12)
    with pytest.raises(ValueError, match="discrete_features='yes'"):
        mutual_info_classif(np.c_[y, noise], y, discrete_features="yes")


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
