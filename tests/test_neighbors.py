"""k-nearest-neighbour search, classifier and regressor, cross-checked with scikit-learn."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import scratchml
from scratchml.exceptions import NotFittedError
from scratchml.neighbors import (
    KNeighborsClassifier,
    KNeighborsRegressor,
    NearestNeighbors,
    RadiusNeighborsClassifier,
    _topk,
)

sk_neighbors = pytest.importorskip("sklearn.neighbors")

# Distances: scikit-learn's brute Euclidean search keeps the GEMM expansion
# ‖q‖² − 2q·x + ‖x‖², whose rounding error is ~1e-16·(‖q‖² + ‖x‖²) before the sqrt;
# ours recomputes ‖q − x‖ directly. On standard-normal data in ≤ 8 dimensions the
# difference is ≤ ~1e-13, so 1e-10 is a safe float64 bound.
DIST_TOL = 1e-10

seeds = st.integers(0, 2**32 - 1)


def _data(seed, n=80, m=30, d=4):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, d)), rng.standard_normal((m, d)), rng


def _reference(Q, X, k, metric="euclidean", exclude_self=False):
    """Full distance matrix, then argsort by (distance, index): the documented tie rule."""
    diff = np.abs(Q[:, None, :] - X[None, :, :])
    D = np.sqrt((diff**2).sum(-1)) if metric == "euclidean" else diff.sum(-1)
    if exclude_self:
        np.fill_diagonal(D, np.inf)
    order = np.argsort(D, axis=1, kind="stable")[:, :k]
    return np.take_along_axis(D, order, axis=1), order


@given(seed=seeds, k=st.integers(1, 10))
def test_kneighbors_matches_sklearn_on_tie_free_data(seed, k):
    X, Q, _ = _data(seed)
    ours = NearestNeighbors(n_neighbors=k).fit(X).kneighbors(Q)
    ref = sk_neighbors.NearestNeighbors(n_neighbors=k, algorithm="brute").fit(X).kneighbors(Q)
    np.testing.assert_array_equal(ours[1], ref[1])
    np.testing.assert_allclose(ours[0], ref[0], rtol=0, atol=DIST_TOL)


@given(seed=seeds, k=st.integers(1, 12), metric=st.sampled_from(["euclidean", "manhattan"]))
def test_ties_broken_by_index_on_integer_data(seed, k, metric):
    rng = np.random.default_rng(seed)
    X = rng.integers(0, 3, (40, 3)).astype(float)  # many exact ties and duplicates
    Q = rng.integers(0, 3, (15, 3)).astype(float)
    dist, ind = NearestNeighbors(n_neighbors=k, metric=metric).fit(X).kneighbors(Q)
    ref_d, ref_i = _reference(Q, X, k, metric)
    np.testing.assert_array_equal(ind, ref_i)
    np.testing.assert_array_equal(dist, ref_d)  # integer data: every distance is exact


@given(seed=seeds, k=st.integers(1, 8))
def test_query_none_excludes_each_point_itself(seed, k):
    rng = np.random.default_rng(seed)
    X = rng.integers(0, 3, (30, 2)).astype(float)  # duplicates: self must still be skipped
    dist, ind = NearestNeighbors(n_neighbors=k).fit(X).kneighbors()
    assert not np.any(ind == np.arange(len(X))[:, None])
    ref_d, ref_i = _reference(X, X, k, exclude_self=True)
    np.testing.assert_array_equal(ind, ref_i)
    np.testing.assert_array_equal(dist, ref_d)


def test_query_none_matches_sklearn_without_duplicates():
    X, _, _ = _data(3)
    ours = NearestNeighbors(n_neighbors=4).fit(X).kneighbors()
    ref = sk_neighbors.NearestNeighbors(n_neighbors=4, algorithm="brute").fit(X).kneighbors()
    np.testing.assert_array_equal(ours[1], ref[1])
    np.testing.assert_allclose(ours[0], ref[0], rtol=0, atol=DIST_TOL)


@pytest.mark.parametrize("chunk", [1, 7, 64])
def test_chunk_size_does_not_change_results(monkeypatch, chunk):
    rng = np.random.default_rng(0)
    X = rng.integers(0, 4, (50, 3)).astype(float)
    Q = rng.standard_normal((23, 3))
    full = NearestNeighbors(n_neighbors=6).fit(X)
    expected = full.kneighbors(Q), full.kneighbors(), full.radius_neighbors(Q, 1.5)
    monkeypatch.setattr(_topk, "_CHUNK_VALUES", chunk * len(X))
    got = full.kneighbors(Q), full.kneighbors(), full.radius_neighbors(Q, 1.5)
    for a, b in zip(expected[:2], got[:2]):
        np.testing.assert_array_equal(a[0], b[0])
        np.testing.assert_array_equal(a[1], b[1])
    for a, b in zip(expected[2][1], got[2][1]):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("metric,p", [("manhattan", 2), ("cosine", 2), ("minkowski", 3),
                                      ("chebyshev", 2), ("minkowski", 1)])
def test_other_metrics_match_sklearn(metric, p):
    X, Q, _ = _data(11, d=6)
    ours = NearestNeighbors(n_neighbors=5, metric=metric, p=p).fit(X).kneighbors(Q)
    ref = sk_neighbors.NearestNeighbors(n_neighbors=5, metric=metric, p=p,
                                        algorithm="brute").fit(X).kneighbors(Q)
    np.testing.assert_array_equal(ours[1], ref[1])
    # Direct sums of |q − x|^p in float64: agreement to rounding, far inside 1e-10.
    np.testing.assert_allclose(ours[0], ref[0], rtol=0, atol=DIST_TOL)


@given(seed=seeds, radius=st.floats(0.5, 3.0))
def test_radius_neighbors_matches_sklearn(seed, radius):
    X, Q, _ = _data(seed)
    nn = NearestNeighbors().fit(X)
    ref = sk_neighbors.NearestNeighbors(algorithm="brute").fit(X)
    d, i = nn.radius_neighbors(Q, radius, sort_results=True)
    rd, ri = ref.radius_neighbors(Q, radius, sort_results=True)
    # Standard-normal data: no distance lies within rounding (~1e-13) of the radius,
    # so the sets agree exactly and the distances to DIST_TOL.
    for a, b, c, e in zip(d, i, rd, ri):
        np.testing.assert_array_equal(b, e)
        np.testing.assert_allclose(a, c, rtol=0, atol=DIST_TOL)
    unsorted = nn.radius_neighbors(Q, radius, return_distance=False)
    for u, b in zip(unsorted, i):
        np.testing.assert_array_equal(u, np.sort(b))  # unsorted rows are in index order


@given(seed=seeds, k=st.integers(1, 9), weights=st.sampled_from(["uniform", "distance"]),
       n_classes=st.integers(2, 4))
def test_classifier_matches_sklearn(seed, k, weights, n_classes):
    X, Q, rng = _data(seed)
    y = rng.integers(0, n_classes, len(X))
    ours = KNeighborsClassifier(n_neighbors=k, weights=weights).fit(X, y)
    ref = sk_neighbors.KNeighborsClassifier(n_neighbors=k, weights=weights,
                                            algorithm="brute").fit(X, y)
    np.testing.assert_array_equal(ours.predict(Q), ref.predict(Q))
    # Vote shares are sums of k weights divided by their total: rounding only.
    np.testing.assert_allclose(ours.predict_proba(Q), ref.predict_proba(Q), rtol=0, atol=1e-10)


def test_classifier_vote_tie_goes_to_smallest_class():
    X = np.array([[0.0], [1.0], [-1.0], [2.0]])
    y = np.array(["b", "a", "b", "a"])
    clf = KNeighborsClassifier(n_neighbors=2).fit(X, y)
    np.testing.assert_array_equal(clf.predict([[0.4]]), ["a"])  # one "a", one "b": tie
    np.testing.assert_allclose(clf.predict_proba([[0.4]]), [[0.5, 0.5]])


def test_distance_weights_zero_distance_takes_all_weight():
    X = np.array([[0.0], [1.0], [1.1], [1.2]])
    y = np.array([0, 1, 1, 1])
    clf = KNeighborsClassifier(n_neighbors=4, weights="distance").fit(X, y)
    np.testing.assert_array_equal(clf.predict_proba([[0.0]]), [[1.0, 0.0]])
    reg = KNeighborsRegressor(n_neighbors=4, weights="distance").fit(X, [5.0, 1, 2, 3])
    np.testing.assert_array_equal(reg.predict([[0.0]]), [5.0])


@given(seed=seeds, k=st.integers(1, 9), weights=st.sampled_from(["uniform", "distance"]),
       multi=st.booleans())
def test_regressor_matches_sklearn(seed, k, weights, multi):
    X, Q, rng = _data(seed)
    y = rng.standard_normal((len(X), 2) if multi else len(X))
    ours = KNeighborsRegressor(n_neighbors=k, weights=weights).fit(X, y).predict(Q)
    ref = sk_neighbors.KNeighborsRegressor(n_neighbors=k, weights=weights,
                                           algorithm="brute").fit(X, y).predict(Q)
    # Weighted means of k values: rounding only.
    np.testing.assert_allclose(ours, ref, rtol=0, atol=1e-10)


def test_callable_weights_and_tree_algorithms_give_brute_results():
    X, Q, rng = _data(5)
    y = rng.standard_normal(len(X))
    a = KNeighborsRegressor(weights=lambda d: np.ones_like(d)).fit(X, y).predict(Q)
    b = KNeighborsRegressor(algorithm="kd_tree").fit(X, y).predict(Q)
    np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)  # both are the uniform mean


def test_bad_input_errors():
    X = np.arange(10.0).reshape(5, 2)
    with pytest.raises(ValueError, match=r"Expected n_neighbors <= n_samples_fit, but "
                                         r"n_neighbors = 6, n_samples_fit = 5; lower n_neighbors"):
        NearestNeighbors(n_neighbors=6).fit(X).kneighbors(X)
    # X=None asks for one more neighbour (the point itself is dropped), as scikit-learn.
    with pytest.raises(ValueError, match="n_neighbors = 6, n_samples_fit = 5"):
        NearestNeighbors(n_neighbors=5).fit(X).kneighbors()
    assert NearestNeighbors(n_neighbors=4).fit(X).kneighbors()[1].shape == (5, 4)
    for k in (0, -1, 2.5):
        with pytest.raises(ValueError, match="n_neighbors"):
            KNeighborsClassifier(n_neighbors=k).fit(X, [0, 1, 0, 1, 0])
    with pytest.raises(ValueError, match=r"metric='hamming'.*'euclidean'.*'cosine'"):
        NearestNeighbors(metric="hamming").fit(X)
    with pytest.raises(ValueError, match="algorithm"):
        NearestNeighbors(algorithm="lsh").fit(X)
    with pytest.raises(ValueError, match="weights"):
        KNeighborsRegressor(weights="gaussian").fit(X, np.arange(5.0))
    with pytest.raises(ValueError, match="p="):
        NearestNeighbors(p=0.5).fit(X)
    with pytest.raises(NotFittedError, match="kneighbors"):
        NearestNeighbors().kneighbors(X)
    with pytest.raises(NotFittedError, match="radius_neighbors"):
        NearestNeighbors().radius_neighbors(X)


def test_save_load_round_trip(tmp_path):
    X, Q, rng = _data(2)
    y = rng.integers(0, 3, len(X))
    clf = KNeighborsClassifier(n_neighbors=3, weights="distance").fit(X, y)
    scratchml.save(clf, tmp_path / "knn.zip")
    loaded = scratchml.load(tmp_path / "knn.zip")
    np.testing.assert_array_equal(loaded.predict_proba(Q), clf.predict_proba(Q))


@given(seed=seeds, radius=st.floats(0.6, 2.0), weights=st.sampled_from(["uniform", "distance"]),
       outlier_label=st.sampled_from([-1, "most_frequent", 1]))
def test_radius_classifier_matches_sklearn(seed, radius, weights, outlier_label):
    import warnings

    X, Q, rng = _data(seed, d=3)
    y = rng.integers(0, 3, len(X))
    Q = 1.5 * Q  # some queries far from every training point: outliers
    ours = RadiusNeighborsClassifier(radius=radius, weights=weights,
                                     outlier_label=outlier_label).fit(X, y)
    ref = sk_neighbors.RadiusNeighborsClassifier(radius=radius, weights=weights,
                                                 outlier_label=outlier_label,
                                                 algorithm="brute").fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # sklearn warns when outlier_label is not a class
        np.testing.assert_array_equal(ours.predict(Q), ref.predict(Q))
        # Vote shares: sums of weights divided by their total, rounding only.
        np.testing.assert_allclose(ours.predict_proba(Q), ref.predict_proba(Q),
                                   rtol=0, atol=1e-10)


def test_radius_classifier_without_outlier_label_raises_on_outliers():
    clf = RadiusNeighborsClassifier(radius=0.5).fit([[0.0], [1.0]], [0, 1])
    with pytest.raises(ValueError, match=r"No neighbors found for test samples \[0\]"):
        clf.predict([[5.0]])


def test_classes_keep_their_module_path_for_saved_models(tmp_path):
    # scratchml.save records the class's module: the split into _knn_query must not move them.
    from scratchml.neighbors import _knn

    for cls in (NearestNeighbors, KNeighborsClassifier, KNeighborsRegressor,
                RadiusNeighborsClassifier):
        assert cls.__module__ == "scratchml.neighbors._knn"
        assert getattr(_knn, cls.__name__) is cls
    rng = np.random.default_rng(0)
    X = rng.integers(0, 5, (2500, 2)).astype(float)  # "auto" builds a KD-tree here
    y = X.sum(1)
    for est in (KNeighborsClassifier(n_neighbors=4).fit(X, y.astype(int)),
                KNeighborsRegressor(n_neighbors=4, weights="distance").fit(X, y)):
        assert est._fit_method_ == "kd_tree"
        scratchml.save(est, tmp_path / "m.zip")
        back = scratchml.load(tmp_path / "m.zip")
        np.testing.assert_array_equal(back.predict(X[:300] + 0.5), est.predict(X[:300] + 0.5))


@pytest.mark.parametrize("n_jobs", [1, 2, -1])
def test_n_jobs_does_not_change_kneighbors(n_jobs):
    rng = np.random.default_rng(1)
    X = rng.integers(0, 4, (2200, 3)).astype(float)  # many exact ties
    ref = NearestNeighbors(n_neighbors=6, algorithm="brute").fit(X).kneighbors()
    got = NearestNeighbors(n_neighbors=6, algorithm="kd_tree", n_jobs=n_jobs).fit(X).kneighbors()
    np.testing.assert_array_equal(got[1], ref[1])
    np.testing.assert_array_equal(got[0], ref[0])


def test_float32_data_is_ranked_in_float32_with_float64_answers():
    # Integer-valued data: every distance is exact in float32 too, so ranking in
    # float32 must give the float64 neighbours (ties by index) and equal distances.
    from scratchml.neighbors import KNeighborsClassifier, NearestNeighbors

    rng = np.random.default_rng(5)
    X = rng.integers(-5, 6, (600, 12)).astype(np.float64)
    Q = rng.integers(-5, 6, (90, 12)).astype(np.float64)
    y = rng.integers(0, 3, 600)
    nn64 = NearestNeighbors(n_neighbors=4, algorithm="brute").fit(X)
    nn32 = NearestNeighbors(n_neighbors=4, algorithm="brute").fit(X.astype(np.float32))
    assert nn32._fit_X_.dtype == np.float32  # kept for the float32 top-k kernel
    d64, i64 = nn64.kneighbors(Q)
    d32, i32 = nn32.kneighbors(Q.astype(np.float32))
    np.testing.assert_array_equal(i32, i64)
    np.testing.assert_array_equal(d32, d64)
    assert d32.dtype == np.float64
    np.testing.assert_array_equal(nn32.kneighbors()[1], nn64.kneighbors()[1])
    np.testing.assert_array_equal(nn32.kneighbors(Q)[1], i64)  # mixed dtypes: float64
    clf32 = KNeighborsClassifier().fit(X.astype(np.float32), y)
    np.testing.assert_array_equal(clf32.predict(Q.astype(np.float32)),
                                  KNeighborsClassifier().fit(X, y).predict(Q))
