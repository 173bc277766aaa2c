"""KMeans: Lloyd's properties, and agreement with scikit-learn from the same initial centres."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scratchml import config_context
from scratchml.cluster import KMeans
from scratchml.datasets import make_blobs

sklearn_cluster = pytest.importorskip("sklearn.cluster")


def _blobs(seed, n, p, k, std):
    """n points around k random centres in [-10, 10]^p, and k distinct rows as initial centres."""
    rng = np.random.default_rng(seed)
    centres = rng.uniform(-10, 10, (k, p))
    X = centres[rng.integers(0, k, n)] + std * rng.standard_normal((n, p))
    init = X[rng.choice(n, k, replace=False)].copy()
    return X, init


blob_params = st.tuples(
    st.integers(0, 2**32 - 1),       # seed
    st.integers(20, 300),            # n_samples
    st.integers(1, 6),               # n_features
    st.integers(1, 8),               # n_clusters
    st.sampled_from([0.3, 1.0, 4.0]),  # cluster std: separated to overlapping
)


@given(blob_params, st.sampled_from([0.0, 1e-4, 1e-2]), st.integers(1, 300), st.booleans())
def test_same_as_sklearn_from_same_init(params, tol, max_iter, weighted):
    X, init = _blobs(*params)
    w = None
    if weighted:
        w = np.random.default_rng(params[0]).uniform(0.1, 3.0, len(X))
    ours = KMeans(len(init), init=init, tol=tol, max_iter=max_iter).fit(X, sample_weight=w)
    ref = sklearn_cluster.KMeans(len(init), init=init, n_init=1, tol=tol, max_iter=max_iter)
    ref.fit(X, sample_weight=w)
    np.testing.assert_array_equal(ours.labels_, ref.labels_)
    # 1e-10: same algorithm in float64; only the summation order of the means differs.
    np.testing.assert_allclose(ours.cluster_centers_, ref.cluster_centers_, rtol=1e-10,
                               atol=1e-10)
    assert ours.n_iter_ == ref.n_iter_
    np.testing.assert_allclose(ours.inertia_, ref.inertia_, rtol=1e-10, atol=1e-10)


# After 1-2 iterations a cluster can be empty at the final E-step (scikit-learn warns too).
@pytest.mark.filterwarnings("ignore:Number of distinct clusters")
@given(blob_params)
def test_lloyd_never_increases_inertia(params):
    X, init = _blobs(*params)
    inertias = [KMeans(len(init), init=init, max_iter=m, tol=0).fit(X).inertia_
                for m in range(1, 9)]
    # Each step is an exact minimisation; 1e-12 relative allows for float64 rounding.
    assert np.all(np.diff(inertias) <= 1e-12 * inertias[0] + 1e-12)


@given(blob_params)
def test_inertia_recomputed_from_labels_and_centres(params):
    X, init = _blobs(*params)
    km = KMeans(len(init), init=init).fit(X)
    recomputed = np.sum((X - km.cluster_centers_[km.labels_]) ** 2)
    np.testing.assert_allclose(km.inertia_, recomputed, rtol=1e-12)  # same sum, other order
    # labels_ are the nearest centres (the final E-step), and predict agrees.
    d = ((X[:, None, :] - km.cluster_centers_[None]) ** 2).sum(2)
    np.testing.assert_allclose(d[np.arange(len(X)), km.labels_], d.min(1), rtol=1e-9,
                               atol=1e-9)  # ties may be broken either way
    np.testing.assert_array_equal(km.predict(X), km.labels_)
    np.testing.assert_allclose(km.score(X), -km.inertia_, rtol=1e-12)


def test_same_random_state_same_result_and_inertia_close_to_sklearn():
    X, _ = make_blobs(n_samples=600, n_features=5, centers=6, cluster_std=2.0, random_state=3)
    a = KMeans(6, random_state=7).fit(X)
    b = KMeans(6, random_state=7).fit(X)
    np.testing.assert_array_equal(a.labels_, b.labels_)
    np.testing.assert_array_equal(a.cluster_centers_, b.cluster_centers_)
    for init in ("k-means++", "random"):
        # n_init=3: scikit-learn's fit has a fixed per-run cost that makes 10 slow here.
        ours = np.median([KMeans(6, init=init, n_init=3, random_state=s).fit(X).inertia_
                          for s in range(3)])
        ref = np.median([sklearn_cluster.KMeans(6, init=init, n_init=3, random_state=s)
                         .fit(X).inertia_ for s in range(3)])
        # Different random draws: only the quality of the optimum is compared (3%).
        assert ours <= 1.03 * ref


def test_backend_does_not_change_labels_on_integer_data(backend):
    rng = np.random.default_rng(0)
    X = rng.integers(-20, 20, (60, 3)).astype(float)  # small: the CUDA simulator is slow
    X[:30] += 40
    init = X[[0, 1, 40, 59]]
    with config_context(backend="numpy"):
        ref = KMeans(4, init=init).fit(X)
    with config_context(backend=backend):
        got = KMeans(4, init=init).fit(X)
    np.testing.assert_array_equal(got.labels_, ref.labels_)
    np.testing.assert_allclose(got.cluster_centers_, ref.cluster_centers_, rtol=1e-12)


def test_empty_cluster_is_relocated_like_sklearn():
    X, init = _blobs(1, 200, 2, 4, 1.0)
    init[2] = [1e3, 1e3]  # nearest to no point: empty after the first E-step
    ours = KMeans(4, init=init).fit(X)
    ref = sklearn_cluster.KMeans(4, init=init, n_init=1).fit(X)
    assert len(np.unique(ours.labels_)) == 4
    np.testing.assert_array_equal(ours.labels_, ref.labels_)
    np.testing.assert_allclose(ours.cluster_centers_, ref.cluster_centers_, rtol=1e-10)


@given(blob_params)
def test_integer_sample_weight_equals_repeated_rows(params):
    X, init = _blobs(*params)
    w = np.random.default_rng(params[0]).integers(1, 4, len(X))
    a = KMeans(len(init), init=init).fit(X, sample_weight=w)
    b = KMeans(len(init), init=init).fit(np.repeat(X, w, axis=0))
    # Same weighted means, summed in another order: float64 rounding only.
    np.testing.assert_allclose(a.cluster_centers_, b.cluster_centers_, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(a.inertia_, b.inertia_, rtol=1e-10)
    np.testing.assert_array_equal(np.repeat(a.labels_, w), b.labels_)


def test_float32_transform_fit_predict_and_elkan():
    X, init = _blobs(2, 300, 3, 5, 1.0)
    km = KMeans(5, init=init.astype(np.float32)).fit(X.astype(np.float32))
    assert km.cluster_centers_.dtype == np.float32
    assert km.transform(X.astype(np.float32)).dtype == np.float32
    km64 = KMeans(5, init=init).fit(X)
    D = km64.transform(X)
    np.testing.assert_allclose(D, np.sqrt(((X[:, None] - km64.cluster_centers_) ** 2).sum(2)),
                               atol=1e-9)  # GEMM expansion: cancellation around 1e-12 * |x|^2
    np.testing.assert_array_equal(KMeans(5, init=init).fit_predict(X), km64.labels_)
    np.testing.assert_allclose(KMeans(5, init=init).fit_transform(X), D)
    elkan = KMeans(5, init=init, algorithm="elkan").fit(X)
    np.testing.assert_array_equal(elkan.labels_, km64.labels_)


def test_input_not_mutated_and_one_sample_per_cluster():
    X, _ = _blobs(3, 10, 2, 1, 1.0)
    X0 = X.copy()
    km = KMeans(10, random_state=0).fit(X)
    np.testing.assert_array_equal(X, X0)
    assert km.inertia_ == pytest.approx(0, abs=1e-20)
    assert sorted(km.labels_) == list(range(10))


def test_constant_data_warns_fewer_distinct_clusters():
    from scratchml.exceptions import ConvergenceWarning

    with pytest.warns(ConvergenceWarning, match="distinct clusters"):
        km = KMeans(3, random_state=0).fit(np.ones((20, 2)))
    assert km.inertia_ == 0


def test_bad_input():
    X = np.zeros((5, 2))
    with pytest.raises(ValueError, match=r"n_samples=5 should be >= n_clusters=8; lower"):
        KMeans().fit(X)
    with pytest.raises(ValueError, match="initial centres"):
        KMeans(2, init=np.zeros((3, 2))).fit(X)
    with pytest.raises(ValueError, match="initial centres"):
        KMeans(2, init=np.zeros((2, 3))).fit(X)
    for bad in ({"init": "kmeans"}, {"n_init": 0}, {"max_iter": 0}, {"tol": -1},
                {"algorithm": "full"}, {"n_clusters": 0}):
        with pytest.raises(ValueError, match=next(iter(bad))):
            KMeans(**{"n_clusters": 2, **bad}).fit(X)
    with pytest.warns(RuntimeWarning, match="one init"):
        KMeans(2, init=np.zeros((2, 2)), n_init=3).fit(X + np.arange(5)[:, None])


# ------------------------------------------------------------------ MiniBatchKMeans


def test_minibatch_inertia_close_to_kmeans_and_deterministic():
    from scratchml.cluster import MiniBatchKMeans

    X, _ = make_blobs(n_samples=1800, n_features=4, centers=5, cluster_std=1.5, random_state=1)
    full = KMeans(5, random_state=0).fit(X)
    mb = MiniBatchKMeans(5, batch_size=256, random_state=0).fit(X)
    again = MiniBatchKMeans(5, batch_size=256, random_state=0).fit(X)
    np.testing.assert_array_equal(mb.cluster_centers_, again.cluster_centers_)
    # Mini-batch means are noisy estimates of the full ones: 2% of the optimum.
    assert mb.inertia_ <= 1.02 * full.inertia_
    np.testing.assert_allclose(mb.score(X), -mb.inertia_, rtol=1e-12)
    assert 1 <= mb.n_iter_ <= mb.max_iter and mb.n_steps_ >= 1
    ref = sklearn_cluster.MiniBatchKMeans(5, batch_size=256, random_state=0).fit(X)
    assert mb.inertia_ <= 1.02 * ref.inertia_  # different draws; same quality expected


def test_minibatch_partial_fit_centres_are_running_means():
    from scratchml.cluster import MiniBatchKMeans

    X, init = _blobs(5, 600, 3, 4, 0.5)
    mb = MiniBatchKMeans(4, init=init, reassignment_ratio=0.0)
    for s in range(0, 600, 150):
        mb.partial_fit(X[s:s + 150])
    assert mb.n_steps_ == 4 and mb.labels_.shape == (150,)
    # With the per-centre rate 1/N_j, each centre is the mean of every sample ever
    # assigned to it: replay the assignments to check.
    centres, seen = init.copy(), [[] for _ in range(4)]
    for s in range(0, 600, 150):
        batch = X[s:s + 150]
        lab = ((batch[:, None] - centres) ** 2).sum(2).argmin(1)
        for j in range(4):
            seen[j].extend(batch[lab == j])
            if seen[j]:
                centres[j] = np.mean(seen[j], axis=0)
    np.testing.assert_allclose(mb.cluster_centers_, centres, rtol=1e-10, atol=1e-10)


def test_minibatch_partial_fit_continues_after_save_load(tmp_path):
    import scratchml
    from scratchml.cluster import MiniBatchKMeans

    X, _ = _blobs(6, 300, 3, 3, 1.0)
    mb = MiniBatchKMeans(3, random_state=0).partial_fit(X[:100])
    scratchml.save(mb, tmp_path / "mb.zip")
    loaded = scratchml.load(tmp_path / "mb.zip")
    np.testing.assert_array_equal(loaded.partial_fit(X[100:]).cluster_centers_,
                                  mb.partial_fit(X[100:]).cluster_centers_)


def test_minibatch_bad_params():
    from scratchml.cluster import MiniBatchKMeans

    X = np.arange(20.0).reshape(10, 2)
    for bad in ({"batch_size": 0}, {"max_no_improvement": -1}, {"reassignment_ratio": -1},
                {"init_size": 0}):
        with pytest.raises(ValueError, match=next(iter(bad))):
            MiniBatchKMeans(**{"n_clusters": 2, **bad}).fit(X)
