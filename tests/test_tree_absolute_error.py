"""The ``absolute_error`` criterion: O(n log n) Fenwick sweeps, identical on every backend.

Both backends insert the same samples in the same order into the same Fenwick tree
and read the weighted median with scikit-learn's descent, so their trees agree
*exactly*; the reference's deviations agree with the direct Σ w |y − median|; and on
data without ties of the criterion (one continuous feature) the trees are
scikit-learn's own.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import scratchml
from scratchml.tree import DecisionTreeRegressor
from scratchml.tree._absolute_numpy import node_ranks, sweep
from scratchml.tree._splitter_numpy import weighted_median

sk_tree = pytest.importorskip("sklearn.tree")


# The tree kernel has NumPy and Cython twins (no CUDA): parametrise only those.
# Exact NumPy/Cython agreement on random absolute_error problems (ties, NaN, float32,
# weights, both splitters) is the shared property test of tests/test_tree_kernels.py.
TWINS = pytest.mark.parametrize("backend", ["numpy", "cython"], indirect=True)


@given(st.integers(0, 2**31 - 1), st.integers(1, 40), st.booleans())
def test_sweep_deviations_equal_direct_sums(seed, n, integer_weights):
    rng = np.random.default_rng(seed)
    y = np.round(rng.standard_normal(n) ** 3, 1)  # rounded: repeated values too
    w = rng.integers(1, 4, n).astype(float) if integer_weights else rng.uniform(0.1, 3, n)
    seg = np.arange(n)
    ids = rng.permutation(n)
    for backward in (False, True):
        got = sweep(y, w, node_ranks(y, seg), ids[:0], ids, backward)
        assert got[0] == 0.0
        for j in range(1, n + 1):
            part = ids[n - j:] if backward else ids[:j]
            med = weighted_median(y[part], w[part])
            direct = np.sum(w[part] * np.abs(y[part] - med))
            # The Fenwick identity (S_R - m W_R) + (m W_L - S_L) cancels large partial
            # sums: a few ulps of Σ w |y| apart from the direct sum.
            tol = 1e-12 * np.sum(w[part] * np.abs(y[part])) + 1e-300
            assert abs(got[j] - direct) <= tol


@given(st.integers(0, 2**31 - 1), st.integers(2, 80), st.sampled_from([1, 2, 4]),
       st.booleans())
def test_one_feature_trees_equal_sklearn(seed, n, depth, integer_weights):
    # One continuous feature and a continuous target: no two candidate splits tie, so
    # the split choices are scikit-learn's (X is float32-exact: sklearn splits float32).
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 1)).astype(np.float32).astype(np.float64)
    y = rng.standard_normal(n) ** 3
    w = rng.integers(1, 4, n).astype(float) if integer_weights else np.ones(n)
    ours = DecisionTreeRegressor(criterion="absolute_error", max_depth=depth).fit(X, y, w)
    ref = sk_tree.DecisionTreeRegressor(criterion="absolute_error", max_depth=depth)
    ref.fit(X, y, sample_weight=w)
    a, b = ours.tree_, ref.tree_
    np.testing.assert_array_equal(a.children_left, b.children_left)
    np.testing.assert_array_equal(a.threshold, b.threshold)
    np.testing.assert_array_equal(a.value, b.value)  # weighted medians of the same values
    # Impurities: the same Fenwick formula, but scikit-learn inserts a child's samples
    # in its partition's order, so the sums round in another order (a few ulps).
    np.testing.assert_allclose(a.impurity, b.impurity, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))


@TWINS
def test_bundled_data_identical_across_backends_and_close_to_sklearn(backend):
    from scratchml.datasets import load_diabetes

    X, y = load_diabetes(return_X_y=True)
    X = X.astype(np.float32).astype(np.float64)  # float32-exact: scikit-learn splits float32
    est = DecisionTreeRegressor(criterion="absolute_error", max_depth=4, random_state=0)
    with scratchml.config_context(backend="numpy"):
        ref = est.fit(X, y).tree_
    with scratchml.config_context(backend=backend):
        got = est.fit(X, y)
    for name in ("feature", "threshold", "value", "impurity", "children_left"):
        np.testing.assert_array_equal(getattr(got.tree_, name), getattr(ref, name),
                                      err_msg=name)
    sk = sk_tree.DecisionTreeRegressor(criterion="absolute_error", max_depth=4,
                                       random_state=0).fit(X, y)
    # Same criterion and tie-free root: the root split and impurity are scikit-learn's
    # (deeper nodes may break exact ties of the criterion in another feature order).
    assert got.tree_.feature[0] == sk.tree_.feature[0]
    assert got.tree_.threshold[0] == sk.tree_.threshold[0]
    np.testing.assert_allclose(got.tree_.impurity[0], sk.tree_.impurity[0], rtol=1e-12)


@TWINS
@pytest.mark.parametrize("cls", ["RandomForestRegressor", "ExtraTreesRegressor"])
def test_forests_with_absolute_error_identical_across_backends(cls, backend):
    from scratchml import ensemble

    rng = np.random.default_rng(0)
    X = rng.standard_normal((120, 3))
    X[rng.random(X.shape) < 0.1] = np.nan
    y = rng.standard_normal(120) ** 3
    est = getattr(ensemble, cls)(n_estimators=3, criterion="absolute_error", max_depth=5,
                                 random_state=0)
    with scratchml.config_context(backend="numpy"):
        ref = est.fit(X, y).predict(X)
    with scratchml.config_context(backend=backend):
        got = est.fit(X, y).predict(X)
    np.testing.assert_array_equal(got, ref)
