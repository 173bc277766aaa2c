"""Properties of scratchml.tree: exact fits, leaf sizes, optimal splits, NaN, pruning, errors."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import scratchml
from scratchml.tree import DecisionTreeClassifier, DecisionTreeRegressor, export_text

sk_tree = pytest.importorskip("sklearn.tree")


@st.composite
def small_data(draw, classification=True, distinct=True):
    """Small X (n x p) with distinct rows (or coarse values with ties) and a target."""
    seed = draw(st.integers(0, 2**31 - 1))
    n = draw(st.integers(2, 40))
    p = draw(st.integers(1, 4))
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) if distinct else rng.integers(0, 4, (n, p)).astype(float)
    y = rng.integers(0, 3, n) if classification else rng.standard_normal(n)
    if classification:
        y[:2] = [0, 1]  # a classifier needs two classes
    return X, y


@given(small_data(classification=True))
def test_unlimited_tree_fits_distinct_points_exactly(data):
    X, y = data
    clf = DecisionTreeClassifier(random_state=0).fit(X, y)
    np.testing.assert_array_equal(clf.predict(X), y)


@given(small_data(classification=False))
def test_unlimited_regression_tree_fits_distinct_points_exactly(data):
    X, y = data
    reg = DecisionTreeRegressor(random_state=0).fit(X, y)
    # A leaf holds one sample, whose mean is itself; its Σ w y is the parent's sum minus
    # the sibling's (a few roundings of the root's sum), hence the absolute tolerance.
    scale = float(np.sum(np.abs(y)))
    np.testing.assert_allclose(reg.predict(X), y, rtol=0, atol=1e-14 * max(scale, 1.0))


@given(small_data(distinct=False), st.integers(1, 6), st.sampled_from(["best", "random"]))
def test_every_leaf_respects_min_samples_leaf(data, msl, splitter):
    X, y = data
    t = DecisionTreeClassifier(min_samples_leaf=msl, splitter=splitter, random_state=0).fit(X, y)
    leaves = t.tree_.children_left < 0
    assert np.all(t.tree_.n_node_samples[leaves] >= min(msl, len(X)))
    inner = ~leaves
    left, right = t.tree_.children_left[inner], t.tree_.children_right[inner]
    np.testing.assert_array_equal(t.tree_.n_node_samples[left] + t.tree_.n_node_samples[right],
                                  t.tree_.n_node_samples[inner])


def _brute_force_best(X, y, criterion):
    """Smallest weighted child impurity over every feature and midpoint threshold."""
    def impurity(v):
        if criterion == "gini":
            p = np.bincount(v) / len(v)
            return 1 - np.sum(p**2)
        return np.var(v)

    best = np.inf
    for f in range(X.shape[1]):
        values = np.unique(X[:, f])
        for t in (values[:-1] + values[1:]) / 2:
            left = X[:, f] <= t
            cost = left.sum() * impurity(y[left]) + (~left).sum() * impurity(y[~left])
            best = min(best, cost)
    return best


@given(small_data(distinct=False), st.sampled_from(["gini", "squared_error"]))
def test_root_split_is_the_best_among_all_thresholds(data, criterion):
    X, y = data
    est = (DecisionTreeClassifier if criterion == "gini" else DecisionTreeRegressor)(
        criterion=criterion, max_depth=1, random_state=0)
    tree = est.fit(X, y).tree_
    best = _brute_force_best(X, y, criterion)
    if tree.node_count == 1:  # no split: no threshold exists, or the root is pure
        assert best == np.inf or tree.impurity[0] <= 1e-12
        return
    chosen = (tree.n_node_samples[1] * tree.impurity[1] + tree.n_node_samples[2] * tree.impurity[2])
    # Impurities come from running sums (tree) vs direct formulas (brute force):
    # they agree to a few ulps of the totals involved.
    assert chosen <= best + 1e-9 * max(1.0, best, float(np.sum(np.square(y))))


@given(small_data(classification=True), st.integers(0, 2**31 - 1))
def test_predictions_do_not_depend_on_sample_order(data, seed):
    X, y = data
    perm = np.random.default_rng(seed).permutation(len(X))
    a = DecisionTreeClassifier(random_state=3).fit(X, y)
    b = DecisionTreeClassifier(random_state=3).fit(X[perm], y[perm])
    Xq = np.random.default_rng(seed).standard_normal((50, X.shape[1]))
    np.testing.assert_array_equal(a.predict(Xq), b.predict(Xq))
    np.testing.assert_array_equal(a.predict(X), b.predict(X))


@given(small_data(distinct=False))
def test_feature_importances_sum_to_one(data):
    X, y = data
    imp = DecisionTreeClassifier(random_state=0).fit(X, y).feature_importances_
    if imp.sum() > 0:  # a tree with no split has no importance to share
        assert imp.sum() == pytest.approx(1.0, rel=1e-12)  # a normalized sum
    assert np.all(imp >= 0)


def test_integer_weights_equal_duplicated_rows():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((40, 3))
    y = rng.integers(0, 2, 40)
    w = rng.integers(1, 4, 40)
    a = DecisionTreeClassifier(random_state=0).fit(X, y, sample_weight=w.astype(float))
    b = DecisionTreeClassifier(random_state=0).fit(np.repeat(X, w, axis=0), np.repeat(y, w))
    Xq = rng.standard_normal((200, 3))
    np.testing.assert_array_equal(a.predict_proba(Xq), b.predict_proba(Xq))


def test_balanced_class_weight_is_a_sample_weight():
    rng = np.random.default_rng(1)
    X, y = rng.standard_normal((60, 2)), (rng.random(60) < 0.2).astype(int)
    a = DecisionTreeClassifier(class_weight="balanced", max_depth=3, random_state=0).fit(X, y)
    w = len(y) / (2 * np.bincount(y))
    b = DecisionTreeClassifier(max_depth=3, random_state=0).fit(X, y, sample_weight=w[y])
    np.testing.assert_array_equal(a.tree_.threshold, b.tree_.threshold)


def _nan_data():
    # One informative feature with missing values concentrated in class 1; no ties.
    x = np.array([0.1, 0.4, 0.2, 0.9, 1.3, 1.1, np.nan, np.nan, 1.7, 0.3, np.nan, 1.5])
    y = np.array([0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 1, 1])
    return x[:, None], y


@pytest.mark.parametrize("kind", ["classifier", "regressor"])
def test_nan_handling_matches_sklearn(kind):
    X, y = _nan_data()
    Xq = np.array([[np.nan], [0.0], [0.6], [1.0], [2.0]])
    ours = (DecisionTreeClassifier if kind == "classifier" else DecisionTreeRegressor)()
    ref = getattr(sk_tree, "DecisionTreeClassifier" if kind == "classifier"
                  else "DecisionTreeRegressor")(random_state=0)
    ours.fit(X, y.astype(float) if kind == "regressor" else y)
    ref.fit(X, y.astype(float) if kind == "regressor" else y)
    np.testing.assert_array_equal(ours.predict(Xq), ref.predict(Xq))
    np.testing.assert_array_equal(ours.tree_.missing_go_to_left, ref.tree_.missing_go_to_left)


def test_nan_at_predict_without_nan_in_fit_goes_to_larger_child():
    X = np.array([[0.0], [1.0], [2.0], [3.0], [4.0]])
    y = np.array([0, 1, 1, 1, 1])
    t = DecisionTreeClassifier(max_depth=1).fit(X, y)
    assert t.predict([[np.nan]]).tolist() == [1]  # right child has 4 of 5 samples


def test_pruning_path_matches_sklearn():
    from scratchml.datasets import load_breast_cancer

    X, y = load_breast_cancer(return_X_y=True)
    ours = DecisionTreeClassifier(random_state=0).cost_complexity_pruning_path(X, y)
    ref = sk_tree.DecisionTreeClassifier(random_state=0).cost_complexity_pruning_path(X, y)
    # Same tree on this data; alphas are differences of sums of impurities (rounding only).
    np.testing.assert_allclose(ours["ccp_alphas"], ref.ccp_alphas, rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(ours["impurities"], ref.impurities, rtol=1e-9, atol=1e-15)
    alpha = float(ours["ccp_alphas"][-3])
    pruned = DecisionTreeClassifier(random_state=0, ccp_alpha=alpha).fit(X, y)
    sk_pruned = sk_tree.DecisionTreeClassifier(random_state=0, ccp_alpha=alpha).fit(X, y)
    assert pruned.get_n_leaves() == sk_pruned.get_n_leaves()
    np.testing.assert_array_equal(pruned.predict(X), sk_pruned.predict(X))


def test_best_first_growth_respects_max_leaf_nodes():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((200, 1)), rng.standard_normal(200)
    for k in (2, 5, 17):
        ours = DecisionTreeRegressor(max_leaf_nodes=k).fit(X, y)
        ref = sk_tree.DecisionTreeRegressor(max_leaf_nodes=k).fit(X, y)
        assert ours.get_n_leaves() == k
        # One feature: no random choice, so the best-first trees coincide.
        np.testing.assert_allclose(ours.predict(X), ref.predict(X), rtol=1e-12)


def test_export_text_matches_sklearn_layout():
    X = np.array([[0.0], [1.0], [2.0], [3.0], [4.0], [5.0]])
    y = np.array([0, 0, 1, 1, 0, 0])
    ours = DecisionTreeClassifier().fit(X, y)
    ref = sk_tree.DecisionTreeClassifier().fit(X, y)
    assert export_text(ours, feature_names=["x"]) == sk_tree.export_text(ref, feature_names=["x"])


def test_decision_path_apply_depth():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((50, 3)), rng.integers(0, 2, 50)
    t = DecisionTreeClassifier(random_state=0).fit(X, y)
    path, leaves = t.decision_path(X), t.apply(X)
    assert path.dtype.kind == "i" and set(np.unique(path)) <= {0, 1}
    assert np.all(path[np.arange(50), leaves] == 1) and np.all(path[:, 0] == 1)
    assert path.sum(axis=1).max() == t.get_depth() + 1
    assert t.get_n_leaves() == np.sum(t.tree_.children_left < 0)


def test_predict_log_proba_and_entropy():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((80, 2)), rng.integers(0, 3, 80)
    t = DecisionTreeClassifier(criterion="entropy", max_depth=3).fit(X, y)
    with np.errstate(divide="ignore"):
        np.testing.assert_array_equal(t.predict_log_proba(X), np.log(t.predict_proba(X)))
    assert t.tree_.impurity[0] <= np.log2(3) + 1e-12  # entropy in bits is at most log2 K


def test_absolute_error_matches_sklearn():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((30, 1)), rng.standard_normal(30) ** 3  # skewed: median != mean
    for depth in (1, 3):
        ours = DecisionTreeRegressor(criterion="absolute_error", max_depth=depth).fit(X, y)
        ref = sk_tree.DecisionTreeRegressor(criterion="absolute_error", max_depth=depth).fit(X, y)
        # One feature, so the same splits; leaves are weighted medians of the same values.
        np.testing.assert_array_equal(ours.predict(X), ref.predict(X))


@pytest.mark.parametrize("params, match", [
    ({"max_depth": 0}, "max_depth"),
    ({"max_features": 9}, "max_features"),
    ({"criterion": "mse"}, "criterion"),
    ({"splitter": "fast"}, "splitter"),
    ({"min_samples_leaf": 0}, "min_samples_leaf"),
    ({"min_samples_split": 1}, "min_samples_split"),
    ({"max_leaf_nodes": 1}, "max_leaf_nodes"),
    ({"ccp_alpha": -1.0}, "ccp_alpha"),
])
def test_bad_parameters_raise_value_error(params, match):
    X, y = np.random.default_rng(0).standard_normal((10, 3)), np.arange(10) % 2
    with pytest.raises(ValueError, match=match):
        DecisionTreeClassifier(**params).fit(X, y)


def test_bad_data_raises_value_error():
    X = np.random.default_rng(0).standard_normal((10, 3))
    with pytest.raises(ValueError, match="no samples"):
        DecisionTreeRegressor().fit(X[:0], np.zeros(0))
    y = np.arange(10.0)
    y[2] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        DecisionTreeRegressor().fit(X, y)
    with pytest.raises(ValueError, match="infinity"):
        DecisionTreeRegressor().fit(np.where(X > 1, np.inf, X), np.arange(10.0))


def test_save_load_round_trip_keeps_tree_arrays(tmp_path):
    X, y = _nan_data()
    t = DecisionTreeClassifier().fit(X, y)
    scratchml.save(t, tmp_path / "t.zip")
    loaded = scratchml.load(tmp_path / "t.zip")
    for name in ("children_left", "threshold", "value", "missing_go_to_left"):
        np.testing.assert_array_equal(getattr(loaded.tree_, name), getattr(t.tree_, name))
    np.testing.assert_array_equal(loaded.predict([[np.nan], [0.5]]), t.predict([[np.nan], [0.5]]))


@given(small_data(distinct=False), st.sampled_from([0.05, 0.2]),
       st.sampled_from([0.0, 0.02]))
def test_leaf_weight_and_impurity_decrease_bounds(data, frac, decrease):
    X, y = data
    w = np.random.default_rng(len(X)).uniform(0.5, 2.0, len(X))
    t = DecisionTreeClassifier(min_weight_fraction_leaf=frac, min_impurity_decrease=decrease,
                               random_state=0).fit(X, y, sample_weight=w).tree_
    leaves = t.children_left < 0
    # Weights are compared as running sums: allow their rounding (1e-12 relative).
    assert np.all(t.weighted_n_node_samples[leaves] >= frac * w.sum() * (1 - 1e-12))
    inner = np.flatnonzero(~leaves)
    wn, imp = t.weighted_n_node_samples, t.impurity
    left, right = t.children_left[inner], t.children_right[inner]
    gain = (wn[inner] * imp[inner] - wn[left] * imp[left] - wn[right] * imp[right]) / wn[0]
    assert np.all(gain + 1e-12 >= decrease)  # the kernel's eps slack, plus rounding


def test_splitter_random_thresholds_and_reproducibility():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((100, 3)), rng.standard_normal(100)
    a = DecisionTreeRegressor(splitter="random", random_state=5).fit(X, y)
    b = DecisionTreeRegressor(splitter="random", random_state=5).fit(X, y)
    np.testing.assert_array_equal(a.tree_.threshold, b.tree_.threshold)
    c = DecisionTreeRegressor(splitter="random", random_state=6).fit(X, y)
    assert not np.array_equal(a.tree_.threshold, c.tree_.threshold)
    # random thresholds are rarely midpoints: the tree is not the best-split tree
    best = DecisionTreeRegressor(random_state=5).fit(X, y)
    assert not np.array_equal(a.tree_.threshold, best.tree_.threshold)


@pytest.mark.parametrize("module", ["scratchml.tree._classes", "scratchml.tree._tree",
                                    "scratchml.tree._export", "scratchml.ensemble._forest",
                                    "scratchml.ensemble._bagging",
                                    "scratchml.ensemble._weight_boosting"])
def test_docstring_examples_run(module):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0
