"""scratchml.datasets generators keep the structure their algorithms promise.

Generators draw from a numpy Generator, so their numbers differ from
scikit-learn's; what is tested is what the algorithm promises (shapes, counts,
feature roles, singular values, radii...) and, where no randomness is involved
(class sizes, noiseless moons and circles), equality with scikit-learn.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import scratchml.datasets as D

sk_datasets = pytest.importorskip("sklearn.datasets")


# --------------------------------------------------------------------------- make_classification


def _sk_class_counts(**kw):
    _, y = sk_datasets.make_classification(flip_y=0.0, shuffle=False, random_state=0, **kw)
    return np.bincount(y, minlength=kw["n_classes"])


@given(n_samples=st.integers(1, 300), n_classes=st.integers(1, 4), n_cpc=st.integers(1, 3),
       raw_weights=st.none() | st.lists(st.floats(0.05, 1.0), min_size=4, max_size=4),
       drop_last=st.booleans(), seed=st.integers(0, 2**31))
def test_classification_class_sizes_match_sklearn(n_samples, n_classes, n_cpc, raw_weights,
                                                  drop_last, seed):
    # Without label noise, the class sizes are a deterministic function of the
    # parameters, so they must equal scikit-learn's exactly.
    weights = None
    if raw_weights is not None:
        w = np.asarray(raw_weights[:n_classes]) / sum(raw_weights[:n_classes])
        weights = list(w[:-1]) if drop_last and n_classes > 1 else list(w)
    kw = dict(n_samples=n_samples, n_features=6, n_informative=4, n_redundant=1,
              n_classes=n_classes, n_clusters_per_class=n_cpc, weights=weights)
    X, y = D.make_classification(flip_y=0.0, random_state=seed, **kw)
    assert X.shape == (n_samples, 6) and y.shape == (n_samples,)
    assert np.all(np.isfinite(X))
    assert np.array_equal(np.bincount(y, minlength=n_classes), _sk_class_counts(**kw))


@given(n_inf=st.integers(1, 4), n_red=st.integers(0, 3), n_rep=st.integers(0, 3),
       n_noise=st.integers(0, 3), shuffle=st.booleans(), seed=st.integers(0, 2**31))
def test_classification_feature_roles(n_inf, n_red, n_rep, n_noise, shuffle, seed):
    n_features = n_inf + n_red + n_rep + n_noise
    b = D.make_classification(n_samples=60, n_features=n_features, n_informative=n_inf,
                              n_redundant=n_red, n_repeated=n_rep, n_classes=2,
                              n_clusters_per_class=1, shuffle=shuffle, random_state=seed,
                              return_X_y=False)
    X, info = b.X, np.asarray(b.feature_info)
    assert sorted(info.tolist()) == sorted(["informative"] * n_inf + ["redundant"] * n_red
                                           + ["repeated"] * n_rep + ["random"] * n_noise)
    if not shuffle:
        assert info.tolist() == sorted(info.tolist(), key=["informative", "redundant",
                                                           "repeated", "random"].index)
    inf = X[:, info == "informative"]
    if n_red:
        # Redundant columns are linear combinations of the informative ones: the
        # least-squares residual is round-off (1e-8 relative: lstsq on 60 rows).
        red = X[:, info == "redundant"]
        coef, *_ = np.linalg.lstsq(inf, red, rcond=None)
        assert np.abs(inf @ coef - red).max() <= 1e-8 * max(1.0, np.abs(red).max())
    useful = X[:, (info == "informative") | (info == "redundant")]
    for col in X[:, info == "repeated"].T:  # an exact copy of a useful column
        assert np.any(np.all(useful == col[:, None], axis=0))


def test_classification_clusters_sit_on_hypercube_vertices():
    # One cluster per class, far apart: each class mean is its vertex (±class_sep
    # per informative coordinate). The spread of a mean is <= sqrt(n_inf / n) ≈ 0.05,
    # so 1.0 is a 20-sigma tolerance.
    sep, n_inf = 10.0, 3
    X, y = D.make_classification(n_samples=8000, n_features=n_inf, n_informative=n_inf,
                                 n_redundant=0, n_classes=8, n_clusters_per_class=1,
                                 flip_y=0.0, class_sep=sep, random_state=0)
    means = np.array([X[y == c].mean(axis=0) for c in range(8)])
    np.testing.assert_allclose(np.abs(means), sep, atol=1.0)
    # 8 clusters in 3 dimensions use all 8 vertices, each once.
    assert len({tuple(v) for v in np.sign(means)}) == 8


def test_classification_polytope_shrinks_vertices():
    X, y = D.make_classification(n_samples=8000, n_features=3, n_informative=3, n_redundant=0,
                                 n_classes=4, n_clusters_per_class=1, flip_y=0.0,
                                 class_sep=10.0, hypercube=False, random_state=1)
    means = np.array([X[y == c].mean(axis=0) for c in range(4)])
    assert np.all(np.abs(means) <= 10.0 + 1.0)  # same 20-sigma tolerance as above
    assert not np.allclose(np.abs(means), 10.0, atol=1.0)


def test_classification_flip_y_fraction():
    # A flipped label gets a random class, so it changes with probability
    # flip_y * (1 - 1/n_classes) = 0.15; 0.02 is about 8 standard errors at n = 20000.
    kw = dict(n_samples=20000, n_features=4, n_informative=2, n_redundant=0, shuffle=False,
              random_state=3)
    _, y0 = D.make_classification(flip_y=0.0, **kw)
    _, y1 = D.make_classification(flip_y=0.3, **kw)
    assert abs(np.mean(y0 != y1) - 0.15) < 0.02


def test_classification_shift_scale():
    kw = dict(n_samples=40, n_features=5, random_state=7)
    X0, y0 = D.make_classification(**kw)
    X1, y1 = D.make_classification(shift=3.0, **kw)
    np.testing.assert_array_equal(X1, X0 + 3.0)  # same draws, same float operations
    scale = np.arange(1.0, 6.0)
    X2, _ = D.make_classification(scale=scale, shuffle=False, **kw)
    X3, _ = D.make_classification(shuffle=False, **kw)
    np.testing.assert_array_equal(X2, X3 * scale)
    X4, _ = D.make_classification(shift=None, scale=None, **kw)
    X5, _ = D.make_classification(shift=None, scale=None, **kw)
    np.testing.assert_array_equal(X4, X5)
    with pytest.raises(ValueError, match="scale"):
        D.make_classification(scale=[1.0, 2.0], **kw)


def test_classification_reproducible_and_global_rng_untouched():
    state = np.random.get_state()[1].copy()
    a = D.make_classification(random_state=5)
    b = D.make_classification(random_state=5)
    c = D.make_classification(random_state=6)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])
    assert np.array_equal(np.random.get_state()[1], state)
    g = np.random.default_rng(0)
    assert not np.array_equal(D.make_classification(random_state=g)[0],
                              D.make_classification(random_state=g)[0])


def test_classification_many_informative_features():
    # Beyond 30 informative dimensions the vertices still come out distinct.
    X, y = D.make_classification(n_samples=50, n_features=40, n_informative=35,
                                 n_redundant=0, n_classes=5, random_state=0)
    assert X.shape == (50, 40) and set(y.tolist()) <= set(range(5))


@pytest.mark.parametrize("kwargs, match", [
    (dict(n_features=4, n_informative=2, n_redundant=2, n_repeated=1),
     r"n_informative \(2\) \+ n_redundant \(2\) \+ n_repeated \(1\)"),
    (dict(n_informative=2, n_classes=3, n_clusters_per_class=2), "2\\*\\*n_informative"),
    (dict(weights=[0.2, 0.3, 0.5]), "weights"),
    (dict(weights=[1.5]), "weights"),
    (dict(flip_y=1.5), "flip_y"),
    (dict(class_sep=0.0), "class_sep"),
    (dict(n_samples=0), "n_samples"),
    (dict(n_informative=2.5), "n_informative"),
    (dict(random_state="x"), "random_state"),
])
def test_classification_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        D.make_classification(**kwargs)


# --------------------------------------------------------------------------- make_regression


@given(n_samples=st.integers(1, 40), n_features=st.integers(1, 12), n_inf=st.integers(0, 15),
       n_targets=st.integers(1, 3), bias=st.floats(-50, 50), shuffle=st.booleans(),
       seed=st.integers(0, 2**31))
def test_regression_is_linear_in_its_coefficients(n_samples, n_features, n_inf, n_targets,
                                                  bias, shuffle, seed):
    X, y, w = D.make_regression(n_samples, n_features, n_informative=n_inf, n_targets=n_targets,
                                bias=bias, shuffle=shuffle, coef=True, random_state=seed)
    assert X.shape == (n_samples, n_features)
    assert y.shape == ((n_samples,) if n_targets == 1 else (n_samples, n_targets))
    assert w.shape == ((n_features,) if n_targets == 1 else (n_features, n_targets))
    # Shuffling features changes the order of the dot product's sum: round-off
    # of |X||w| ~ 1e2 * n_features, hence rtol 1e-10 with an absolute 1e-9.
    np.testing.assert_allclose(X @ w + bias, y, rtol=1e-10, atol=1e-9)
    w2 = w.reshape(n_features, -1)
    assert np.all((w2 >= 0) & (w2 < 100))
    assert np.all((w2 != 0).sum(axis=0) <= min(n_inf, n_features))


def test_regression_noise_and_marginals():
    X, y, w = D.make_regression(20000, 5, n_informative=5, noise=2.0, coef=True, random_state=0)
    # Residual std and the N(0, 1) marginals, each within ~6 standard errors at n = 20000.
    assert abs(np.std(y - X @ w) - 2.0) < 0.06
    np.testing.assert_allclose(X.mean(axis=0), 0, atol=0.05)
    np.testing.assert_allclose(X.var(axis=0), 1, atol=0.07)


@pytest.mark.parametrize("shape", [(60, 25), (25, 60)])
@pytest.mark.parametrize("tail", [0.0, 0.5, 1.0])
def test_low_rank_singular_profile(shape, tail):
    # X = U diag(s) V' with orthonormal U, V: its singular values are the profile
    # itself (decreasing), up to SVD round-off 1e-12.
    rank = 5
    i = np.arange(min(shape))
    s = (1 - tail) * np.exp(-((i / rank) ** 2)) + tail * np.exp(-0.1 * i / rank)
    X = D.make_low_rank_matrix(*shape, effective_rank=rank, tail_strength=tail, random_state=0)
    np.testing.assert_allclose(np.linalg.svd(X, compute_uv=False), s, atol=1e-12)
    Xr, _ = D.make_regression(*shape, effective_rank=rank, tail_strength=tail, random_state=0)
    np.testing.assert_allclose(np.linalg.svd(Xr, compute_uv=False), s, atol=1e-12)


@pytest.mark.parametrize("kwargs, match", [
    (dict(noise=-1.0), "noise"), (dict(n_targets=0), "n_targets"),
    (dict(effective_rank=0), "effective_rank"), (dict(tail_strength=1.5), "tail_strength"),
    (dict(n_features=0), "n_features"), (dict(bias=float("nan")), "bias"),
])
def test_regression_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        D.make_regression(**kwargs)


# --------------------------------------------------------------------------- blobs, moons, circles


@given(n=st.integers(1, 200) | st.lists(st.integers(0, 30), min_size=1, max_size=5),
       k=st.integers(1, 5), seed=st.integers(0, 2**31))
def test_blobs_counts_match_sklearn(n, k, seed):
    X, y, centers = D.make_blobs(n_samples=n, centers=None if isinstance(n, list) else k,
                                 n_features=3, return_centers=True, random_state=seed)
    _, y_ref = sk_datasets.make_blobs(n_samples=n, centers=None if isinstance(n, list) else k,
                                      n_features=3, random_state=0)
    n_centers = centers.shape[0]
    assert np.array_equal(np.bincount(y, minlength=n_centers),
                          np.bincount(y_ref, minlength=n_centers))
    assert X.shape == (len(y), 3)
    assert np.all((centers >= -10) & (centers <= 10))


def test_blobs_moments_and_fixed_centers():
    centers = np.array([[0.0, 0.0], [20.0, -5.0], [-7.0, 9.0]])
    std = [0.5, 1.0, 2.0]
    X, y, c = D.make_blobs(n_samples=30000, centers=centers, cluster_std=std,
                           return_centers=True, random_state=0)
    assert np.array_equal(c, centers)
    for k in range(3):
        # Mean and std of 10000 Gaussian points: within ~6 standard errors.
        np.testing.assert_allclose(X[y == k].mean(axis=0), centers[k], atol=6 * std[k] / 100)
        np.testing.assert_allclose(X[y == k].std(axis=0), std[k], rtol=0.05)
    X0, y0 = D.make_blobs(n_samples=[2, 3], centers=centers[:2], cluster_std=0.0,
                          shuffle=False)
    np.testing.assert_array_equal(X0, centers[y0])  # zero spread: exactly on the centres
    assert y0.tolist() == [0, 0, 1, 1, 1]


@pytest.mark.parametrize("kwargs, match", [
    (dict(n_samples=[2, 3], centers=3), "centers"),
    (dict(n_samples=[2, 3], centers=[[0, 0]]), "centers"),
    (dict(centers=2, cluster_std=[1, 2, 3]), "cluster_std"),
    (dict(cluster_std=-1.0), "cluster_std"),
    (dict(center_box=(1.0,)), "center_box"),
    (dict(n_samples=0), "n_samples"),
])
def test_blobs_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        D.make_blobs(**kwargs)


def _sorted_rows(X, y):
    order = np.lexsort((X[:, 1], X[:, 0], y))
    return X[order], y[order]


@pytest.mark.parametrize("n", [1, 2, 7, 100, (3, 5)])
@pytest.mark.parametrize("name", ["moons", "circles"])
def test_noiseless_moons_circles_equal_sklearn(name, n):
    # Without noise only the shuffle is random: the point sets equal scikit-learn's.
    X, y = getattr(D, f"make_{name}")(n_samples=n, random_state=0)
    Xr, yr = getattr(sk_datasets, f"make_{name}")(n_samples=n, random_state=0)
    Xs, ys = _sorted_rows(X, y)
    Xrs, yrs = _sorted_rows(Xr, yr)
    assert np.array_equal(ys, yrs) and np.array_equal(Xs, Xrs)


def test_circles_radii_and_noise():
    X, y = D.make_circles(n_samples=(40, 60), factor=0.3, random_state=0)
    r = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(r[y == 0], 1.0, rtol=1e-14)  # cos² + sin² round-off
    np.testing.assert_allclose(r[y == 1], 0.3, rtol=1e-14)
    clean, _ = D.make_circles(n_samples=20000, shuffle=False)
    noisy, _ = D.make_circles(n_samples=20000, shuffle=False, noise=0.1, random_state=1)
    # Without shuffling the difference is the noise alone: std 0.1 within 3%.
    np.testing.assert_allclose((noisy - clean).std(axis=0), 0.1, rtol=0.03)


def test_moons_noise():
    clean, _ = D.make_moons(n_samples=20000, shuffle=False)
    noisy, _ = D.make_moons(n_samples=20000, shuffle=False, noise=0.2, random_state=1)
    np.testing.assert_allclose((noisy - clean).std(axis=0), 0.2, rtol=0.03)


@pytest.mark.parametrize("func, kwargs, match", [
    ("make_circles", dict(factor=1.0), "factor"),
    ("make_circles", dict(noise=-0.1), "noise"),
    ("make_moons", dict(n_samples=(1, 2, 3)), "n_samples"),
    ("make_moons", dict(n_samples=0), "n_samples"),
    ("make_moons", dict(shuffle="no"), "shuffle"),
])
def test_moons_circles_errors(func, kwargs, match):
    with pytest.raises(ValueError, match=match):
        getattr(D, func)(**kwargs)
