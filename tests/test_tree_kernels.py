"""The tree kernels: every backend builds the NumPy reference's tree, bit for bit.

Both backends sum in the same order (sorted value, then sample id), round every
product separately (no fused multiply-add) and take logarithms from the C library,
so the agreement is *exact* -- features, thresholds, values, impurities -- on data
with ties, NaN, weights, float32, both splitters and both growth orders.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import scratchml
from scratchml._backend import get_kernel
from scratchml.tree import DecisionTreeClassifier, DecisionTreeRegressor
from scratchml.tree._builder_numpy import build_tree as build_numpy
from scratchml.tree._splitter_numpy import CRITERIA

CUDA_LESS = "the tree kernels have no CUDA twin"


def _kernel(name, backend):
    if backend == "cuda":
        pytest.skip(CUDA_LESS)
    with scratchml.config_context(backend=backend):
        fn, used = get_kernel(name)
    assert used == backend
    return fn


@st.composite
def problem(draw):
    seed = draw(st.integers(0, 2**31 - 1))
    rng = np.random.default_rng(seed)
    n, p = draw(st.integers(1, 60)), draw(st.integers(1, 5))
    ties = draw(st.booleans())
    X = rng.integers(0, 5, (n, p)).astype(float) if ties else rng.standard_normal((n, p))
    if draw(st.booleans()):
        X[rng.random((n, p)) < 0.25] = np.nan
    X = X.astype(draw(st.sampled_from([np.float64, np.float32])))
    criterion = draw(st.sampled_from(["gini", "entropy", "squared_error", "friedman_mse",
                                      "absolute_error"]))
    n_classes = 3 if criterion in ("gini", "entropy") else 0
    if n_classes:
        y = rng.integers(0, 3, n).astype(float)
    elif criterion == "absolute_error" and draw(st.booleans()):
        y = rng.integers(0, 4, n).astype(float)  # repeated targets: ties of the median
    else:
        y = rng.standard_normal(n) ** (3 if criterion == "absolute_error" else 1)
    weights = draw(st.sampled_from(["ones", "integers", "fractions"]))
    w = {"ones": np.ones(n), "integers": rng.integers(0, 4, n).astype(float),
         "fractions": rng.uniform(0.1, 3.0, n)}[weights]  # fractions: inexact running sums
    w[0] = 1.0  # at least one sample with positive weight
    args = dict(
        n_classes=n_classes, criterion=CRITERIA[criterion],
        random_split=draw(st.booleans()), max_features=draw(st.integers(1, p)),
        max_depth=draw(st.sampled_from([1, 3, 2**31 - 1])),
        min_samples_split=draw(st.integers(2, 6)), min_samples_leaf=draw(st.integers(1, 4)),
        min_weight_leaf=draw(st.sampled_from([0.0, 1.5])),
        min_impurity_decrease=draw(st.sampled_from([0.0, 0.01])),
        max_leaf_nodes=draw(st.sampled_from([-1, 2, 7])), seed=seed)
    return np.ascontiguousarray(X.T), y, w, np.flatnonzero(w > 0), args


def _assert_same_tree(a, b):
    assert a.keys() == b.keys()
    for key in a:
        np.testing.assert_array_equal(a[key], b[key], err_msg=key)


def test_backends_build_identical_trees(backend):
    build = _kernel("tree_build", backend)

    @given(problem())
    def check(prob):
        Xt, y, w, samples, args = prob
        ref = build_numpy(Xt, y, w, samples, **args)
        _assert_same_tree(build(Xt, y, w, samples, **args), ref)

    check()


def test_backends_apply_identically(backend):
    apply = _kernel("tree_apply", backend)
    reference = _kernel("tree_apply", "numpy")
    rng = np.random.default_rng(0)
    X = rng.standard_normal((300, 4))
    X[rng.random(X.shape) < 0.1] = np.nan
    y = rng.integers(0, 2, 300)
    for dtype in (np.float64, np.float32):
        Xd = X.astype(dtype)
        t = DecisionTreeClassifier(max_depth=6, random_state=0).fit(Xd, y).tree_
        arrays = (t.children_left, t.children_right, t.feature, t.threshold,
                  t.missing_go_to_left)
        Xq = np.ascontiguousarray(np.vstack([Xd, rng.standard_normal((50, 4)).astype(dtype)]))
        np.testing.assert_array_equal(apply(Xq, *arrays), reference(Xq, *arrays))


@pytest.mark.parametrize("est", [DecisionTreeClassifier(random_state=1),
                                 DecisionTreeRegressor(max_depth=8, random_state=1)])
def test_estimators_identical_across_backends_on_bundled_data(est, backend):
    _kernel("tree_build", backend)
    from scratchml.datasets import load_breast_cancer

    X, y = load_breast_cancer(return_X_y=True)
    with scratchml.config_context(backend="numpy"):
        ref = est.fit(X, y).tree_
    with scratchml.config_context(backend=backend):
        got = est.fit(X, y).tree_
    for name in ("feature", "threshold", "value", "impurity", "children_left"):
        np.testing.assert_array_equal(getattr(got, name), getattr(ref, name), err_msg=name)


def test_cython_kernel_rejects_unknown_criterion():
    # absolute_error has been a Cython criterion since it got an O(n log n) sweep
    # (tests/test_tree_absolute_error.py); an unknown code is still refused.
    _tree = pytest.importorskip("scratchml._cython._tree")
    X = np.zeros((1, 3))
    with pytest.raises(ValueError, match="no Cython kernel"):
        _tree.build_tree(X, np.zeros(3), np.ones(3), np.arange(3), 0, 99,
                         False, 1, 3, 2, 1, 0.0, 0.0, -1, 0)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_cython_sort_orders_by_value_then_id(dtype):
    _tree = pytest.importorskip("scratchml._cython._tree")
    rng = np.random.default_rng(0)
    for n in (0, 1, 15, 17, 100, 1000):
        for values in (rng.standard_normal(n), rng.integers(0, 5, n).astype(float),
                       np.zeros(n), np.arange(n, 0, -1.0)):
            order = np.argsort(values.astype(dtype), kind="stable")
            for mode in (0, 1, 2):  # unstable, ids fixed in runs, stable scatter
                v = np.array(values, dtype=dtype)  # a copy: sorted in place
                s = np.arange(n, dtype=np.intp)
                _tree.sort_pairs(v, s, mode)
                np.testing.assert_array_equal(v, values.astype(dtype)[order])
                if mode:
                    np.testing.assert_array_equal(s, order)
                else:  # the ids travel with their values
                    np.testing.assert_array_equal(values.astype(dtype)[s], v)


@pytest.mark.parametrize("est", [
    DecisionTreeClassifier(max_depth=5, class_weight="balanced", random_state=2),
    DecisionTreeClassifier(max_depth=5, random_state=2),
    DecisionTreeRegressor(max_depth=5, random_state=2)])
def test_identical_on_data_with_many_repeated_values(est, backend):
    # digits' pixels take 17 values: the Cython kernel switches those features to its
    # stable scatter sort after the first node; the tree must not change.
    _kernel("tree_build", backend)
    from scratchml.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    y = y.astype(float) if isinstance(est, DecisionTreeRegressor) else y
    with scratchml.config_context(backend="numpy"):
        ref = est.fit(X, y).tree_
    with scratchml.config_context(backend=backend):
        got = est.fit(X, y).tree_
    for name in ("feature", "threshold", "value", "impurity", "children_left"):
        np.testing.assert_array_equal(getattr(got, name), getattr(ref, name), err_msg=name)


@pytest.mark.parametrize("kind", ["classifier", "regressor"])
def test_forest_sum_backends_agree_exactly(backend, kind):
    forest_sum = _kernel("forest_sum", backend)
    from scratchml.ensemble import ExtraTreesRegressor, RandomForestClassifier
    from scratchml.tree._kernels import tree_arrays

    rng = np.random.default_rng(0)
    X = rng.standard_normal((2500, 4))  # > 2 x 1024 rows: n_jobs=2 really splits the rows
    X[rng.random(X.shape) < 0.1] = np.nan
    if kind == "classifier":
        y = rng.integers(0, 3, len(X))
        est = RandomForestClassifier(n_estimators=7, max_depth=6, random_state=0)
    else:
        y = rng.standard_normal(len(X))
        est = ExtraTreesRegressor(n_estimators=7, max_depth=6, random_state=0)
    est.fit(X, y)
    arrays = tree_arrays([t.tree_ for t in est.estimators_])
    expected = np.zeros((len(X), arrays[0][5].shape[1]))
    for t in est.estimators_:  # each tree on its own, added in order
        expected += t.tree_.value[t.tree_.apply(X), 0, :]
    for Xd in (X, X.astype(np.float32)):
        for n_jobs in (1, 2):
            # Trees are added in order on every backend: the same roundings, exact equality.
            exp = expected if Xd.dtype == np.float64 else sum(
                t.tree_.value[t.tree_.apply(Xd), 0, :] for t in est.estimators_)
            np.testing.assert_array_equal(forest_sum(Xd, arrays, n_jobs), exp)
