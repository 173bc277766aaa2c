"""Histogram gradient boosting: the estimators' properties, and agreement with scikit-learn."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import scratchml
from scratchml.ensemble import (
    GradientBoostingClassifier,
    GradientBoostingRegressor,
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
)
from scratchml.ensemble._hgb_loss import make_loss


def _losses_per_stage(model, X, y, n_classes=None):
    """Training loss before boosting and after every iteration (from the staged outputs)."""
    loss = make_loss(model.loss, n_classes)
    raw0 = np.repeat(model._baseline_prediction[:, None], len(X), axis=1)
    out = [loss.loss(y, raw0)]
    for raw in model._staged_raw(X):
        out.append(loss.loss(y, raw))
    return np.array(out)


@given(
    st.integers(0, 2**32 - 1),
    st.integers(30, 120),
    st.integers(1, 3),
    st.sampled_from(["squared_error", "absolute_error"]),
    st.floats(0.05, 1.0),
    st.sampled_from([0.0, 1.0]),
)
def test_regression_training_loss_never_increases(seed, n, p, loss, lr, l2):
    # Each leaf moves its samples by lr x (the leaf's optimum), and both losses are
    # convex in that shift, so the training loss cannot go up.
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    y = X[:, 0] * 3 + rng.standard_normal(n)
    model = GradientBoostingRegressor(loss=loss, learning_rate=lr, l2_regularization=l2,
                                      max_iter=15, min_samples_leaf=3,
                                      early_stopping=False).fit(X, y)
    losses = _losses_per_stage(model, X, y)
    # Slack: float32 gradients make a leaf's value off by ~1e-7 relative, which can
    # raise the loss by ~1e-14 where a leaf's optimum is ~0.
    assert np.all(np.diff(losses) <= 1e-9 * losses[0])
    assert losses[-1] < losses[0]


@pytest.mark.parametrize("n_classes", [2, 3])
def test_log_loss_decreases_monotonically(n_classes):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((300, 4))
    y = (np.digitize(X[:, 0] + 0.5 * X[:, 1] + 0.3 * rng.standard_normal(300),
                     [-0.5, 0.5][: n_classes - 1]))
    model = GradientBoostingClassifier(max_iter=40, early_stopping=False).fit(X, y)
    losses = _losses_per_stage(model, X, y, n_classes)
    assert model.n_trees_per_iteration_ == (1 if n_classes == 2 else n_classes)
    assert np.all(np.diff(losses) <= 0)
    assert losses[-1] < 0.5 * losses[0]


def test_staged_predict_ends_at_predict_and_proba_is_a_distribution():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((200, 3))
    y = np.array(["a", "b", "c"])[np.digitize(X[:, 0], [-0.4, 0.4])]
    model = GradientBoostingClassifier(max_iter=8).fit(X, y)
    stages = list(model.staged_predict(X))
    assert len(stages) == model.n_iter_ == 8
    np.testing.assert_array_equal(stages[-1], model.predict(X))
    proba = model.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-12)  # softmax rounding
    np.testing.assert_array_equal(model.classes_[proba.argmax(1)], model.predict(X))
    np.testing.assert_allclose(list(model.staged_predict_proba(X))[-1], proba)
    assert model.decision_function(X).shape == (200, 3)
    reg = GradientBoostingRegressor(max_iter=5).fit(X, X[:, 0])
    np.testing.assert_array_equal(list(reg.staged_predict(X))[-1], reg.predict(X))


def test_aliases_are_the_same_classes():
    assert HistGradientBoostingClassifier is GradientBoostingClassifier
    assert HistGradientBoostingRegressor is GradientBoostingRegressor


def test_n_jobs_and_backend_do_not_change_results():
    rng = np.random.default_rng(2)
    X = rng.standard_normal((3000, 6))
    X[rng.random(X.shape) < 0.05] = np.nan
    y = (np.nan_to_num(X[:, 0]) + X[:, 1] > 0).astype(int)
    outs = []
    for n_jobs in (1, 2):
        m = GradientBoostingClassifier(max_iter=10, n_jobs=n_jobs).fit(X, y)
        outs.append(m.decision_function(X))
    np.testing.assert_array_equal(outs[0], outs[1])
    with scratchml.config_context(backend="numpy"):
        ref = GradientBoostingClassifier(max_iter=10).fit(X, y).decision_function(X)
    np.testing.assert_array_equal(outs[0], ref)


def test_early_stopping():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((400, 2))
    y = rng.standard_normal(400)  # pure noise: the validation loss stops improving early
    m = GradientBoostingRegressor(max_iter=200, early_stopping=True, n_iter_no_change=5,
                                  random_state=0).fit(X, y)
    assert m.do_early_stopping_ and m.n_iter_ < 200
    assert m.train_score_.shape == m.validation_score_.shape == (m.n_iter_ + 1,)
    # Stopped because the last 5 scores do not beat the one before them by tol...
    ref = m.validation_score_[-6] + m.tol
    assert not np.any(m.validation_score_[-5:] > ref)
    # ...and not one iteration earlier (when there was one to check).
    if len(m.validation_score_) >= 7:
        ref_before = m.validation_score_[-7] + m.tol
        assert np.any(m.validation_score_[-6:-1] > ref_before)
    off = GradientBoostingRegressor(max_iter=7).fit(X, y)  # 'auto': off below 10,000 rows
    assert not off.do_early_stopping_ and off.n_iter_ == 7 and off.train_score_.size == 0
    Xl = rng.standard_normal((10_001, 1))
    on = GradientBoostingRegressor(max_iter=3, random_state=0).fit(Xl, Xl[:, 0])
    assert on.do_early_stopping_ and on.validation_score_.shape == (4,)


def test_verbose_prints_progress(capsys):
    X = np.arange(60.0).reshape(-1, 1)
    GradientBoostingRegressor(max_iter=3, verbose=1).fit(X, X[:, 0])
    out = capsys.readouterr().out
    assert "[3/3]" in out and "leaves" in out


@pytest.mark.parametrize("params, match", [
    ({"learning_rate": 0}, "learning_rate"),
    ({"learning_rate": -0.1}, "learning_rate"),
    ({"max_iter": 0}, "max_iter"),
    ({"max_leaf_nodes": 1}, "max_leaf_nodes"),
    ({"max_bins": 256}, "max_bins"),
    ({"loss": "hinge"}, "loss"),
    ({"early_stopping": "yes"}, "early_stopping"),
])
def test_bad_hyperparameters_raise(params, match):
    X = np.arange(40.0).reshape(-1, 1)
    with pytest.raises(ValueError, match=match):
        GradientBoostingRegressor(**params).fit(X, X[:, 0])


def test_bad_input_raises():
    X = np.arange(40.0).reshape(-1, 1)
    y = X[:, 0].copy()
    with pytest.raises(ValueError, match="no samples"):
        GradientBoostingRegressor().fit(X[:0], y[:0])
    y[3] = np.nan
    with pytest.raises(ValueError, match="y contains NaN"):
        GradientBoostingRegressor().fit(X, y)
    with pytest.raises(ValueError, match="y contains NaN"):
        GradientBoostingClassifier().fit(X, y)


# -- agreement with scikit-learn -------------------------------------------------------


@pytest.fixture(autouse=True)
def _sklearn_single_thread():
    """scikit-learn's OpenMP threads spin badly on a busy CI machine: use one."""
    threadpoolctl = pytest.importorskip("threadpoolctl")
    with threadpoolctl.threadpool_limits(1):
        yield


def _nan_case():
    x = np.arange(120.0)
    y = (x >= 60).astype(float)
    x[[70, 80, 90, 100, 110, 65, 75, 85]] = np.nan  # missing values among the high class
    return x[:, None], y


def test_nan_goes_where_sklearn_sends_it():
    ensemble = pytest.importorskip("sklearn.ensemble")
    X, y = _nan_case()
    params = dict(max_iter=3, min_samples_leaf=5, learning_rate=1.0)
    Xt = np.array([[10.0], [100.0], [np.nan]])
    ours = GradientBoostingRegressor(**params).fit(X, y)
    ref = ensemble.HistGradientBoostingRegressor(**params).fit(X, y)
    # Same splits and values; only float32-gradient rounding separates the sums.
    np.testing.assert_allclose(ours.predict(Xt), ref.predict(Xt), rtol=0, atol=1e-6)
    assert ours.predict(Xt)[2] > 0.9  # NaN rows went with the high class
    # Now the NaN rows are low-class: they must go left.
    X2, y2 = X.copy(), y.copy()
    y2[np.isnan(X2[:, 0])] = 0.0
    ours = GradientBoostingRegressor(**params).fit(X2, y2)
    ref = ensemble.HistGradientBoostingRegressor(**params).fit(X2, y2)
    np.testing.assert_allclose(ours.predict(Xt), ref.predict(Xt), rtol=0, atol=1e-6)
    assert ours.trees_["missing_left"][0]


def test_nan_unseen_in_training_follows_the_larger_child():
    ensemble = pytest.importorskip("sklearn.ensemble")
    x = np.arange(100.0)[:, None]
    y = (x[:, 0] >= 30).astype(float)  # 30 samples left, 70 right
    params = dict(max_iter=2, min_samples_leaf=5, max_leaf_nodes=2)
    ours = GradientBoostingRegressor(**params).fit(x, y)
    ref = ensemble.HistGradientBoostingRegressor(**params).fit(x, y)
    got = ours.predict([[np.nan]])
    np.testing.assert_allclose(got, ref.predict([[np.nan]]), atol=1e-6)  # float32 gradients
    np.testing.assert_allclose(got, ours.predict([[99.0]]))


def _split(X, y, seed, classifier):
    from scratchml.model_selection import train_test_split

    return train_test_split(X, y, test_size=0.25, random_state=seed,
                            stratify=y if classifier else None)


@pytest.mark.parametrize("loader, params", [
    ("load_breast_cancer", {}),
    ("load_wine", {}),
    ("load_digits", {"max_iter": 15}),
    ("load_diabetes", {}),
    ("load_diabetes", {"loss": "absolute_error"}),
])
def test_bundled_datasets_score_like_sklearn(loader, params):
    ensemble = pytest.importorskip("sklearn.ensemble")
    from scratchml import datasets

    X, y = getattr(datasets, loader)(return_X_y=True)
    classifier = loader != "load_diabetes"
    ours_cls = GradientBoostingClassifier if classifier else GradientBoostingRegressor
    ref_cls = (ensemble.HistGradientBoostingClassifier if classifier
               else ensemble.HistGradientBoostingRegressor)
    # Deterministic on both sides (no subsampling below 200,000 rows, no early
    # stopping below 10,000): the seeds vary only the train/test split.
    seeds = (0,) if loader == "load_digits" else (0, 1, 2)
    diffs = []
    for seed in seeds:
        Xtr, Xte, ytr, yte = _split(X, y, seed, classifier)
        a = ours_cls(**params).fit(Xtr, ytr).score(Xte, yte)
        b = ref_cls(**params).fit(Xtr, ytr).score(Xte, yte)
        diffs.append(a - b)
    # The bar: held-out scores within 1 point on average.
    assert abs(np.mean(diffs)) <= 0.01, diffs


def _leaf_of(trees, root, X):
    """Node id of the leaf each row reaches (x <= threshold goes left; no NaN here)."""
    node = np.full(len(X), root)
    for _ in range(64):
        inner = ~trees["is_leaf"][node]
        if not inner.any():
            return node
        f = trees["feature"][node[inner]]
        go_left = X[np.flatnonzero(inner), f] <= trees["threshold"][node[inner]]
        node[inner] = np.where(go_left, trees["left"][node[inner]], trees["right"][node[inner]])
    raise AssertionError("tree deeper than 64")


def _depths(trees, root):
    depth, stack = {}, [(root, 0)]
    while stack:
        nd, d = stack.pop()
        depth[nd] = d
        if not trees["is_leaf"][nd]:
            stack += [(trees["left"][nd], d + 1), (trees["right"][nd], d + 1)]
    return depth


@given(st.integers(0, 2**32 - 1), st.integers(1, 12), st.sampled_from([None, 2, 3]),
       st.sampled_from([2, 5, 31]))
def test_trees_respect_their_size_limits(seed, min_samples_leaf, max_depth, max_leaf_nodes):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((150, 3))
    y = np.sin(3 * X[:, 0]) + X[:, 1]
    model = GradientBoostingRegressor(max_iter=3, min_samples_leaf=min_samples_leaf,
                                      max_depth=max_depth, max_leaf_nodes=max_leaf_nodes,
                                      early_stopping=False).fit(X, y)
    for root in model.tree_roots_[:, 0]:
        leaves = _leaf_of(model.trees_, root, X)
        _, counts = np.unique(leaves, return_counts=True)
        depth = _depths(model.trees_, root)
        n_leaves = sum(model.trees_["is_leaf"][nd] for nd in depth)
        assert counts.min() >= min_samples_leaf
        assert n_leaves <= max_leaf_nodes and len(counts) == n_leaves
        if max_depth is not None:
            assert max(depth.values()) <= max_depth
