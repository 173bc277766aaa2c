"""The KD-tree returns exactly brute force's neighbours (ties by index), and scikit-learn's."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from scratchml.neighbors import KNeighborsClassifier, NearestNeighbors
from scratchml.neighbors._kd_tree import build_kd_tree, kneighbors_kd_tree


@given(st.integers(2, 200), st.integers(1, 4), st.integers(1, 12), st.booleans(), st.data())
def test_kd_tree_equals_brute_force_on_integer_data(n, p, leaf, self_query, data):
    # Integer coordinates: exact distances, and many exact ties, which must be broken
    # by the lower index in both searches.
    X = data.draw(hnp.arrays(np.int8, (n, p), elements=st.integers(-4, 4))).astype(float)
    Q = None if self_query else X[::-1] + 0.5 * (np.arange(n) % 2)[:, None]
    k = data.draw(st.integers(1, n - 1))
    tree = build_kd_tree(X, leaf)
    d1, i1 = kneighbors_kd_tree(X if Q is None else Q, X, tree, k, exclude_self=Q is None)
    brute = NearestNeighbors(n_neighbors=k, algorithm="brute").fit(X)
    d2, i2 = brute.kneighbors(Q)
    np.testing.assert_array_equal(i1, i2)
    np.testing.assert_array_equal(d1, d2)  # both computed as ||q - x|| from differences


@given(st.integers(0, 2**32 - 1), st.integers(1, 5), st.integers(1, 9))
def test_kd_tree_equals_brute_force_on_continuous_data(seed, p, k):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((300, p)) * rng.uniform(0.1, 10, p)
    Q = rng.standard_normal((50, p)) * 3
    d1, i1 = NearestNeighbors(n_neighbors=k, algorithm="kd_tree").fit(X).kneighbors(Q)
    d2, i2 = NearestNeighbors(n_neighbors=k, algorithm="brute").fit(X).kneighbors(Q)
    # Brute force ranks by the GEMM expansion, the tree by differences: a near-tie
    # (gap < 1e-12 relative) across the k-th place could legitimately differ.
    all_d = np.sort(np.sqrt(((Q[:, None] - X[None]) ** 2).sum(-1)), axis=1)
    clear = np.all(np.diff(all_d[:, :k + 1], axis=1) > 1e-12 * all_d[:, k:k + 1], axis=1)
    np.testing.assert_array_equal(i1[clear], i2[clear])
    np.testing.assert_allclose(d1, d2, rtol=1e-12)  # same exact distances, whoever wins


def test_auto_uses_the_tree_in_low_dimension_and_matches_sklearn():
    sk = pytest.importorskip("sklearn.neighbors")
    rng = np.random.default_rng(0)
    X = rng.standard_normal((20_000, 3))
    y = (X[:, 0] > 0).astype(int)
    Q = rng.standard_normal((300, 3))
    ours = KNeighborsClassifier(n_neighbors=5).fit(X, y)
    assert ours._fit_method_ == "kd_tree"
    assert KNeighborsClassifier().fit(X[:1000], y[:1000])._fit_method_ == "brute"
    assert KNeighborsClassifier().fit(np.tile(X, 6), y)._fit_method_ == "brute"  # 18 features
    ref = sk.KNeighborsClassifier(n_neighbors=5, algorithm="kd_tree").fit(X, y)
    np.testing.assert_array_equal(ours.predict(Q), ref.predict(Q))
    d, i = ours.kneighbors(Q)
    rd, ri = ref.kneighbors(Q)
    np.testing.assert_array_equal(i, ri)
    np.testing.assert_allclose(d, rd, rtol=1e-12)  # both exact distances in float64


def test_tree_nodes_partition_the_rows_and_boxes_contain_them():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((517, 4))
    tree = build_kd_tree(X, leaf_size=10)
    np.testing.assert_array_equal(np.sort(tree["perm"]), np.arange(len(X)))
    leaf = tree["left"] < 0
    sizes = (tree["stop"] - tree["start"])[leaf]
    assert sizes.min() >= 1 and sizes.max() <= 10 and sizes.sum() == len(X)
    for v in range(len(leaf)):
        pts = X[tree["perm"][tree["start"][v]:tree["stop"][v]]]
        assert np.all(pts >= tree["lo"][v]) and np.all(pts <= tree["hi"][v])
        if not leaf[v]:  # children split the parent's range at the split value
            lft, rgt = tree["left"][v], tree["right"][v]
            assert tree["start"][lft] == tree["start"][v] and tree["stop"][rgt] == tree["stop"][v]
            d = tree["dim"][v]
            assert tree["hi"][lft][d] <= tree["split"][v] <= tree["lo"][rgt][d]


def test_fitted_tree_survives_save_and_load(tmp_path):
    import scratchml

    rng = np.random.default_rng(2)
    X = rng.standard_normal((400, 2))
    nn = NearestNeighbors(n_neighbors=3, algorithm="kd_tree").fit(X)
    scratchml.save(nn, tmp_path / "nn.zip")
    back = scratchml.load(tmp_path / "nn.zip")
    np.testing.assert_array_equal(back.kneighbors(X[:20])[1], nn.kneighbors(X[:20])[1])
