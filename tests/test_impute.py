"""scratchml.impute: SimpleImputer, KNNImputer and MissingIndicator.

Cross-checked against scikit-learn on hypothesis data (NaN and numeric missing markers,
ties, entirely missing columns, indicators), plus properties that hold whatever the
reference does: observed entries are never changed, the output has no missing value,
the caller's array is not modified.
"""

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import scratchml
from scratchml.impute import KNNImputer, MissingIndicator, SimpleImputer, _knn

sk_impute = pytest.importorskip("sklearn.impute")

# Same float64 algorithm on both sides: agreement to rounding (summation order).
RTOL = 1e-10


@st.composite
def data_with_missing(draw, marker=np.nan, max_rows=25, max_cols=5):
    """Small-integer or float data (ties on purpose) with a random missing mask."""
    n = draw(st.integers(1, max_rows))
    p = draw(st.integers(1, max_cols))
    values = st.one_of(st.integers(0, 6).map(float),
                       st.floats(0, 100, allow_nan=False, allow_infinity=False))
    X = draw(hnp.arrays(np.float64, (n, p), elements=values))
    mask = draw(hnp.arrays(np.bool_, (n, p)))
    X[mask] = marker
    return X


def _both(ours, ref, X, Xt=None):
    """Fit both imputers on X and return their transforms of Xt (default X)."""
    Xt = X if Xt is None else Xt
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the all-missing-column warning
        a = ours.fit(X).transform(Xt)
        b = ref.fit(X).transform(Xt)
    return a, b


STRATEGIES = ["mean", "median", "most_frequent", "constant"]


@pytest.mark.parametrize("strategy", STRATEGIES)
@given(X=data_with_missing(), keep=st.booleans(), indicator=st.booleans())
def test_simple_imputer_matches_sklearn_nan_marker(strategy, X, keep, indicator):
    kw = dict(strategy=strategy, keep_empty_features=keep, add_indicator=indicator)
    ours, ref = SimpleImputer(**kw), sk_impute.SimpleImputer(**kw)
    a, b = _both(ours, ref, X)
    np.testing.assert_allclose(a, b, rtol=RTOL)
    np.testing.assert_allclose(ours.statistics_, ref.statistics_.astype(float), rtol=RTOL)
    assert list(ours.get_feature_names_out()) == list(ref.get_feature_names_out())


@pytest.mark.parametrize("strategy", STRATEGIES)
@given(X=data_with_missing(marker=-1.0), keep=st.booleans(), fill=st.sampled_from([None, 7.5]))
def test_simple_imputer_matches_sklearn_numeric_marker(strategy, X, keep, fill):
    kw = dict(strategy=strategy, missing_values=-1.0, keep_empty_features=keep,
              fill_value=fill, add_indicator=True)
    ours, ref = SimpleImputer(**kw), sk_impute.SimpleImputer(**kw)
    a, b = _both(ours, ref, X)
    np.testing.assert_allclose(a, b, rtol=RTOL)
    np.testing.assert_array_equal(np.isnan(ours.statistics_),
                                  np.isnan(ref.statistics_.astype(float)))


@given(X=data_with_missing(), Xt=data_with_missing())
def test_simple_imputer_on_new_data(X, Xt):
    Xt = np.resize(Xt, (Xt.shape[0], X.shape[1]))  # same feature count as X
    for strategy in STRATEGIES:
        a, b = _both(SimpleImputer(strategy=strategy), sk_impute.SimpleImputer(strategy=strategy),
                     X, Xt)
        np.testing.assert_allclose(a, b, rtol=RTOL)


def test_most_frequent_ties_pick_the_smallest_value():
    X = np.array([[3.0, 1.0], [3.0, np.nan], [1.0, 2.0], [1.0, 2.0], [np.nan, 1.0]])
    imp = SimpleImputer(strategy="most_frequent").fit(X)
    np.testing.assert_array_equal(imp.statistics_, [1.0, 1.0])


def test_entirely_missing_column_is_dropped_with_a_warning_or_kept():
    X = np.array([[1.0, np.nan, 3.0], [np.nan, np.nan, 5.0]])
    imp = SimpleImputer().fit(X)
    with pytest.warns(UserWarning, match=r"Skipping features without any observed values: \[1\]"):
        out = imp.transform(X)
    np.testing.assert_array_equal(out, [[1.0, 3.0], [1.0, 5.0]])
    kept = SimpleImputer(keep_empty_features=True).fit_transform(X)
    np.testing.assert_array_equal(kept, [[1.0, 0.0, 3.0], [1.0, 0.0, 5.0]])
    const = SimpleImputer(strategy="constant", fill_value=9, keep_empty_features=True)
    np.testing.assert_array_equal(const.fit_transform(X)[:, 1], [9.0, 9.0])


def test_pandas_names_in_warning_and_feature_names():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"a": [1.0, np.nan], "b": [np.nan, np.nan], "c": [2.0, 3.0]})
    imp = SimpleImputer(add_indicator=True).fit(df)
    with pytest.warns(UserWarning, match=r"\['b'\]"):
        imp.transform(df)
    assert list(imp.get_feature_names_out()) == [
        "a", "c", "missingindicator_a", "missingindicator_b"]
    ref = sk_impute.SimpleImputer(add_indicator=True).fit(df)
    assert list(imp.get_feature_names_out()) == list(ref.get_feature_names_out())


@given(X=data_with_missing())
def test_observed_entries_kept_and_nothing_missing_left(X):
    X0 = X.copy()
    out = SimpleImputer(keep_empty_features=True).fit_transform(X)
    np.testing.assert_array_equal(X, X0)  # the caller's array is untouched
    observed = ~np.isnan(X)
    np.testing.assert_array_equal(out[observed], X[observed])
    assert not np.isnan(out).any()


def test_copy_false_imputes_in_place_and_int_data_stays_int():
    X = np.array([[1.0, np.nan], [3.0, 4.0]])
    out = SimpleImputer(copy=False).fit(X).transform(X)
    assert out is X or np.shares_memory(out, X)
    Xi = np.array([[1, -1], [1, 2], [3, 2]])
    out = SimpleImputer(missing_values=-1, strategy="most_frequent").fit_transform(Xi)
    assert out.dtype.kind == "i"
    np.testing.assert_array_equal(out, [[1, 2], [1, 2], [3, 2]])
    with pytest.raises(ValueError, match="fill_value"):
        SimpleImputer(missing_values=-1, strategy="constant", fill_value=0.5).fit(Xi)


@given(X=data_with_missing(max_cols=4))
def test_inverse_transform_matches_sklearn(X):
    X[0] = 1.0  # every column observed, so no column is dropped
    ours = SimpleImputer(add_indicator=True).fit(X)
    ref = sk_impute.SimpleImputer(add_indicator=True).fit(X)
    back = ours.inverse_transform(ours.transform(X))
    np.testing.assert_array_equal(back, ref.inverse_transform(ref.transform(X)))
    np.testing.assert_array_equal(np.isnan(back), np.isnan(X))


def test_bad_parameters_name_the_parameter():
    X = np.array([[1.0, np.nan], [2.0, 3.0]])
    with pytest.raises(ValueError, match="strategy='mode'.*mean"):
        SimpleImputer(strategy="mode").fit(X)
    with pytest.raises(ValueError, match="missing_values='NA'"):
        SimpleImputer(missing_values="NA").fit(X)
    with pytest.raises(ValueError, match="fill_value='x'"):
        SimpleImputer(strategy="constant", fill_value="x").fit(X)
    with pytest.raises(ValueError, match="add_indicator=True"):
        SimpleImputer().fit(X).inverse_transform(X)
    with pytest.raises(ValueError, match="n_neighbors=0"):
        KNNImputer(n_neighbors=0).fit(X)
    with pytest.raises(ValueError, match="weights='far'"):
        KNNImputer(weights="far").fit(X)
    with pytest.raises(ValueError, match="metric='cosine'"):
        KNNImputer(metric="cosine").fit(X)
    with pytest.raises(ValueError, match="features='some'"):
        MissingIndicator(features="some").fit(X)


@pytest.mark.parametrize("est", [SimpleImputer(), KNNImputer(), MissingIndicator()])
def test_infinity_is_rejected_and_nan_needs_the_nan_marker(est):
    X = np.array([[1.0, np.inf], [2.0, 3.0]])
    with pytest.raises(ValueError, match="infinity"):
        est.fit(X)
    est.set_params(missing_values=-1)
    with pytest.raises(ValueError, match="NaN"):
        est.fit(np.array([[1.0, np.nan], [2.0, 3.0]]))


# -- KNNImputer -------------------------------------------------------------------


@pytest.mark.parametrize("weights", ["uniform", "distance"])
@given(X=data_with_missing(max_rows=30), Xt=data_with_missing(max_rows=10),
       k=st.integers(1, 6), keep=st.booleans())
def test_knn_imputer_matches_sklearn(weights, X, Xt, k, keep):
    Xt = np.resize(Xt, (Xt.shape[0], X.shape[1]))
    kw = dict(n_neighbors=k, weights=weights, keep_empty_features=keep, add_indicator=True)
    ours, ref = KNNImputer(**kw), sk_impute.KNNImputer(**kw)
    for target in (X, Xt):
        a, b = _both(ours, ref, X, target)
        np.testing.assert_allclose(a, b, rtol=RTOL)
    assert list(ours.get_feature_names_out()) == list(ref.get_feature_names_out())


@given(X=data_with_missing(marker=-1.0, max_rows=30), k=st.integers(1, 4))
def test_knn_imputer_numeric_marker_matches_sklearn(X, k):
    kw = dict(n_neighbors=k, missing_values=-1.0)
    a, b = _both(KNNImputer(**kw), sk_impute.KNNImputer(**kw), X)
    np.testing.assert_allclose(a, b, rtol=RTOL)


def test_knn_distance_weights_and_callable():
    X = np.array([[0.0, 0.0], [1.0, 10.0], [3.0, 30.0], [1.0, np.nan]])
    # The query's only coordinate is x0 = 1: the donor at distance 0 takes all the weight.
    out = KNNImputer(n_neighbors=3, weights="distance").fit_transform(X)
    assert out[3, 1] == 10.0
    same = KNNImputer(n_neighbors=3, weights=lambda d: np.ones_like(d)).fit_transform(X)
    np.testing.assert_allclose(same[3, 1], KNNImputer(n_neighbors=3).fit_transform(X)[3, 1])


def test_knn_row_without_shared_coordinates_gets_the_column_mean():
    X = np.array([[1.0, np.nan], [np.nan, 2.0], [np.nan, 4.0]])
    out = KNNImputer(n_neighbors=1).fit_transform(X)
    ref = sk_impute.KNNImputer(n_neighbors=1).fit_transform(X)
    np.testing.assert_allclose(out, ref)
    assert out[0, 1] == 3.0


def test_knn_chunked_distances_give_the_same_result(monkeypatch):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((120, 6))
    X[rng.random(X.shape) < 0.2] = np.nan
    whole = KNNImputer(n_neighbors=4).fit_transform(X)
    monkeypatch.setattr(_knn, "_CHUNK_ENTRIES", 7 * 120)  # 7 rows per block
    np.testing.assert_array_equal(KNNImputer(n_neighbors=4).fit_transform(X), whole)


def test_nan_euclidean_distance_formula():
    X = np.array([[3.0, np.nan, 5.0]])
    Y = np.array([[1.0, 0.0, 0.0], [np.nan, np.nan, np.nan]])
    d = _knn._nan_euclidean(X, np.isnan(X), Y, np.isnan(Y))
    # Present in both: coordinates 0 and 2; scaled by 3 features / 2 present.
    assert d[0, 0] == pytest.approx(np.sqrt(3 / 2 * ((3 - 1) ** 2 + (5 - 0) ** 2)))
    assert np.isnan(d[0, 1])
    skm = pytest.importorskip("sklearn.metrics.pairwise")
    np.testing.assert_allclose(d, skm.nan_euclidean_distances(X, Y))


# -- MissingIndicator -------------------------------------------------------------


@pytest.mark.parametrize("features", ["missing-only", "all"])
@given(X=data_with_missing(), Xt=data_with_missing())
def test_missing_indicator_matches_sklearn(features, X, Xt):
    Xt = np.resize(Xt, (Xt.shape[0], X.shape[1]))
    ours = MissingIndicator(features=features, error_on_new=False).fit(X)
    ref = sk_impute.MissingIndicator(features=features, error_on_new=False,
                                     sparse=False).fit(X)
    np.testing.assert_array_equal(ours.features_, ref.features_)
    np.testing.assert_array_equal(ours.transform(Xt), ref.transform(Xt))
    assert list(ours.get_feature_names_out()) == list(ref.get_feature_names_out())


def test_missing_indicator_error_on_new():
    ind = MissingIndicator().fit(np.array([[1.0, np.nan], [2.0, 3.0]]))
    with pytest.raises(ValueError, match=r"features \[0\] have missing values in transform"):
        ind.transform(np.array([[np.nan, 1.0]]))


def test_fitted_imputers_with_indicator_round_trip_through_save(tmp_path):
    X = np.array([[1.0, np.nan, 2.0], [np.nan, 3.0, 1.0], [4.0, 5.0, np.nan], [2.0, 2.0, 2.0]])
    for est in (SimpleImputer(add_indicator=True, strategy="median"),
                KNNImputer(n_neighbors=2, add_indicator=True)):
        est.fit(X)
        scratchml.save(est, tmp_path / "m.zip")
        loaded = scratchml.load(tmp_path / "m.zip")
        assert isinstance(loaded.indicator_, MissingIndicator)
        np.testing.assert_array_equal(loaded.transform(X), est.transform(X))
