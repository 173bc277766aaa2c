"""The KD-tree returns exactly brute force's neighbours (ties by index), and scikit-learn's.

Both kernels (build and query) are checked on every backend they have against the
NumPy reference, and the query against a full sort of all distances.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import scratchml
from scratchml._backend import get_kernel
from scratchml.neighbors import KNeighborsClassifier, NearestNeighbors
from scratchml.neighbors._kd_tree import (
    _kdtree_build_numpy,
    _kdtree_query_numpy,
    build_kd_tree,
    kneighbors_kd_tree,
)


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
    X = rng.standard_normal((3000, 3))
    y = (X[:, 0] > 0).astype(int)
    Q = rng.standard_normal((300, 3))
    ours = KNeighborsClassifier(n_neighbors=5).fit(X, y)
    assert ours._fit_method_ == "kd_tree"
    assert KNeighborsClassifier().fit(X[:1000], y[:1000])._fit_method_ == "brute"
    assert KNeighborsClassifier().fit(np.tile(X, 4), y)._fit_method_ == "brute"  # 12 features
    ref = sk.KNeighborsClassifier(n_neighbors=5, algorithm="kd_tree").fit(X, y)
    np.testing.assert_array_equal(ours.predict(Q), ref.predict(Q))
    d, i = ours.kneighbors(Q)
    rd, ri = ref.kneighbors(Q)
    np.testing.assert_array_equal(i, ri)
    np.testing.assert_allclose(d, rd, rtol=1e-12)  # both exact distances in float64


def test_auto_rule_needs_more_points_in_more_dimensions():
    from scratchml.neighbors import _knn_query as q

    for table in (q._KD_MIN_SAMPLES, q._KD_MIN_SAMPLES_NUMPY):
        thresholds = [t for t in table if t is not None]
        assert thresholds == sorted(thresholds)  # the tree's pruning fades with dimension
    with scratchml.config_context(backend="cython"):  # compiled: measured crossover table
        assert q._kd_tree_wins(100_000, 3) and not q._kd_tree_wins(1_000, 3)
        assert q._kd_tree_wins(50_000, 8) and not q._kd_tree_wins(20_000, 8)
        assert not any(q._kd_tree_wins(10**7, p) for p in (11, 15, 50))
    with scratchml.config_context(backend="numpy"):  # the NumPy tree loses sooner
        assert q._kd_tree_wins(5_000, 3) and not q._kd_tree_wins(10**6, 8)
    with scratchml.config_context(backend="cuda"):  # only brute force has a CUDA kernel
        assert not q._kd_tree_wins(100_000, 3)
    # Only the Euclidean metric has a tree; the choice never changes the results.
    X = np.random.default_rng(6).integers(0, 4, (2500, 2)).astype(float)
    assert NearestNeighbors(p=1).fit(X)._fit_method_ == "brute"
    auto = NearestNeighbors(n_neighbors=4).fit(X)
    assert auto._fit_method_ == "kd_tree"
    brute = NearestNeighbors(n_neighbors=4, algorithm="brute").fit(X)
    for a, b in zip(auto.kneighbors(X[:200]), brute.kneighbors(X[:200])):
        np.testing.assert_array_equal(a, b)


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


# --- the kernels: every backend builds the reference's tree and finds its neighbours ---

# Both kernels have NumPy and Cython implementations (no CUDA twin).
ITS_BACKENDS = pytest.mark.parametrize("backend", ["numpy", "cython"], indirect=True)
TREE_KEYS = ("perm", "start", "stop", "left", "right", "dim", "split", "lo", "hi")


def _kernel(name, backend):
    with scratchml.config_context(backend=backend):
        fn, chosen = get_kernel(name)
    assert chosen == backend
    return fn


def _brute(Q, X, k, exclude_self):
    """(squared distances, indices) by a full stable sort: the definition of the answer."""
    d2 = ((Q[:, None, :] - X[None, :, :]) ** 2).sum(-1)
    if exclude_self:
        d2[np.arange(len(Q)), np.arange(len(Q))] = np.inf
    ind = np.argsort(d2, axis=1, kind="stable")[:, :k]  # ties: lower index first
    return np.take_along_axis(d2, ind, axis=1), ind


def _tied_points(data, max_n=120, max_p=4):
    n = data.draw(st.integers(1, max_n))
    p = data.draw(st.integers(1, max_p))
    # Few integer values: exact distances, many duplicate points and many exact ties.
    return data.draw(hnp.arrays(np.int8, (n, p), elements=st.integers(-2, 2))).astype(float)


@ITS_BACKENDS
def test_build_kernel_makes_the_reference_tree(backend):
    build = _kernel("kdtree_build", backend)

    @given(st.integers(1, 15), st.data())
    def check(leaf, data):
        X = _tied_points(data)
        got, ref = build(X, leaf), _kdtree_build_numpy(X, leaf)
        for key in TREE_KEYS:  # integer arrays and copied coordinates: exactly equal
            assert got[key].dtype == ref[key].dtype, key
            np.testing.assert_array_equal(got[key], ref[key], err_msg=key)

    check()


@ITS_BACKENDS
def test_query_kernel_is_exact_on_tied_integer_data(backend):
    query = _kernel("kdtree_query", backend)

    @given(st.integers(1, 15), st.booleans(), st.data())
    def check(leaf, self_query, data):
        X = _tied_points(data)
        n, p = X.shape
        if self_query and n < 2:
            self_query = False
        Q = X if self_query else data.draw(
            hnp.arrays(np.int8, (data.draw(st.integers(0, 30)), p),
                       elements=st.integers(-3, 3))).astype(float)
        k = data.draw(st.integers(1, n - 1 if self_query else n))  # up to every point
        tree = _kdtree_build_numpy(X, leaf)
        d2, ind = query(Q, X, tree, k, exclude_self=self_query)
        ref_d2, ref_ind = _brute(Q, X, k, self_query)
        np.testing.assert_array_equal(ind, ref_ind)
        np.testing.assert_array_equal(d2, ref_d2)  # sums of small integers: exact

    check()


@ITS_BACKENDS
def test_query_kernel_agrees_with_the_reference_on_continuous_data(backend):
    query = _kernel("kdtree_query", backend)

    @given(st.integers(0, 2**32 - 1), st.integers(1, 6), st.integers(1, 20), st.booleans())
    def check(seed, p, k, self_query):
        rng = np.random.default_rng(seed)
        X = rng.standard_normal((200, p)) * rng.uniform(0.1, 10, p)
        Q = X if self_query else rng.standard_normal((40, p)) * 4
        tree = build_kd_tree(X, 8)
        d2, ind = query(Q, X, tree, k, exclude_self=self_query)
        ref_d2, ref_ind = _kdtree_query_numpy(Q, X, tree, k, exclude_self=self_query)
        # Continuous random data has no ties closer than rounding (~1e-16 relative);
        # the compiled sum may be fused (FMA), so distances agree to a few ulps.
        np.testing.assert_array_equal(ind, ref_ind)
        np.testing.assert_allclose(d2, ref_d2, rtol=1e-13, atol=1e-300)

    check()


@pytest.mark.parametrize("leaf", [1, 2, 39, 40, 41, 10_000])
def test_leaf_sizes_from_one_point_to_a_single_leaf(leaf):
    rng = np.random.default_rng(3)
    X = rng.integers(0, 6, (81, 2)).astype(float)
    tree = build_kd_tree(X, leaf)
    assert ((tree["stop"] - tree["start"])[tree["left"] < 0] <= leaf).all()
    for k in (1, 5, 80):
        d, i = kneighbors_kd_tree(X, X, tree, k, exclude_self=True)
        ref_d2, ref_i = _brute(X, X, k, True)
        np.testing.assert_array_equal(i, ref_i)
        np.testing.assert_array_equal(d, np.sqrt(ref_d2))  # integer data: exact


def test_duplicate_points_and_sorted_input_build_a_valid_tree():
    # All points equal: every box has zero width; the split still halves by index.
    X = np.zeros((300, 3))
    tree = build_kd_tree(X, 7)
    for key in TREE_KEYS:
        np.testing.assert_array_equal(tree[key], _kdtree_build_numpy(X, 7)[key])
    d, i = kneighbors_kd_tree(X[:5], X, tree, 4)
    np.testing.assert_array_equal(i, np.tile(np.arange(4), (5, 1)))  # lowest indices win
    np.testing.assert_array_equal(d, 0.0)
    # Sorted and reverse-sorted coordinates (the worst orders for a naive quickselect).
    for X in (np.arange(5000.0)[:, None], np.arange(5000.0)[::-1, None]):
        tree = build_kd_tree(X, 3)
        for key in TREE_KEYS:
            np.testing.assert_array_equal(tree[key], _kdtree_build_numpy(X, 3)[key])


@ITS_BACKENDS
def test_results_do_not_depend_on_the_number_of_threads(backend):
    query = _kernel("kdtree_query", backend)
    rng = np.random.default_rng(4)
    X = rng.integers(0, 5, (2000, 3)).astype(float)  # many ties
    Q = rng.integers(0, 5, (1100, 3)).astype(float)
    tree = build_kd_tree(X, 10)
    runs = [query(Q, X, tree, 6, n_jobs=n_jobs) for n_jobs in (1, 2, 4)]
    for d2, ind in runs[1:]:
        np.testing.assert_array_equal(ind, runs[0][1])
        np.testing.assert_array_equal(d2, runs[0][0])


def test_estimator_kd_tree_equals_brute_force_for_any_n_jobs_and_float32():
    rng = np.random.default_rng(5)
    X = rng.integers(-3, 4, (3000, 2)).astype(np.float32)
    Q = rng.integers(-3, 4, (700, 2)).astype(np.float32)
    brute = NearestNeighbors(n_neighbors=7, algorithm="brute").fit(X)
    for n_jobs in (1, 2, None):
        tree = NearestNeighbors(n_neighbors=7, algorithm="kd_tree", n_jobs=n_jobs).fit(X)
        for q in (Q, None):  # None: the training points, each without itself
            d1, i1 = tree.kneighbors(q)
            d2, i2 = brute.kneighbors(q)
            np.testing.assert_array_equal(i1, i2)
            np.testing.assert_array_equal(d1, d2)


def test_compiled_query_refuses_a_damaged_tree():
    # The compiled search trusts the tree's indices, so its adapter checks them (a saved
    # model's file could be damaged). A missing build fails tests/test_backend.py.
    native = pytest.importorskip("scratchml.neighbors._kd_tree_native")
    query = native.kdtree_query
    X = np.random.default_rng(7).standard_normal((100, 2))
    good = build_kd_tree(X, 5)
    # A row index past the end, a child numbered as its parent (a cycle), a range past the end.
    for key, at, value in [("perm", 3, 100), ("left", 0, 0), ("stop", 1, 101)]:
        tree = {k: v.copy() for k, v in good.items()}
        tree[key][at] = value
        with pytest.raises(ValueError, match="refit"):
            query(X[:3], X, tree, 2)
