"""MLPClassifier / MLPRegressor: determinism, learning, scikit-learn parity, API details."""

import warnings

import numpy as np
import pytest

import scratchml
from scratchml.datasets import load_digits
from scratchml.exceptions import ConvergenceWarning
from scratchml.neural_network import MLPClassifier, MLPRegressor


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    perm = np.random.default_rng(0).permutation(len(X))
    X, y = X[perm] / 16.0, y[perm]
    return X[:1200], y[:1200], X[1200:], y[1200:]


def quiet_fit(est, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return est.fit(X, y)


def test_deterministic_for_fixed_random_state(digits):
    X, y, _, _ = digits
    a = quiet_fit(MLPClassifier((20,), max_iter=5, random_state=3), X, y)
    b = quiet_fit(MLPClassifier((20,), max_iter=5, random_state=3), X, y)
    c = quiet_fit(MLPClassifier((20,), max_iter=5, random_state=4), X, y)
    assert a.loss_curve_ == b.loss_curve_
    for wa, wb in zip(a.coefs_ + a.intercepts_, b.coefs_ + b.intercepts_):
        np.testing.assert_array_equal(wa, wb)
    assert not np.array_equal(a.coefs_[0], c.coefs_[0])


def test_digits_accuracy_close_to_sklearn(digits):
    sk = pytest.importorskip("sklearn.neural_network")
    X, y, Xt, yt = digits
    params = dict(hidden_layer_sizes=(32,), max_iter=25, random_state=0)
    ours = quiet_fit(MLPClassifier(**params), X, y)
    theirs = quiet_fit(sk.MLPClassifier(**params), X, y)
    # Same model, loss and optimizer on 597 held-out digits; the initial weights and
    # batches differ (different generators), so allow 2 points of run-to-run spread.
    assert ours.score(Xt, yt) >= theirs.score(Xt, yt) - 0.02
    assert ours.score(Xt, yt) >= 0.9
    assert [W.shape for W in ours.coefs_] == [W.shape for W in theirs.coefs_]
    assert ours.n_layers_ == theirs.n_layers_ and ours.out_activation_ == theirs.out_activation_
    assert len(ours.loss_curve_) == ours.n_iter_ == 25
    assert ours.loss_curve_[-1] < 0.5 * ours.loss_curve_[0]


def test_binary_probabilities_and_shapes():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((80, 3))
    y = np.where(X[:, 0] + X[:, 1] > 0, "yes", "no")
    clf = quiet_fit(MLPClassifier((8,), max_iter=200, learning_rate_init=0.02, random_state=0),
                    X, y)
    proba = clf.predict_proba(X)
    assert proba.shape == (80, 2) and clf.coefs_[-1].shape == (8, 1)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert set(clf.predict(X)) <= {"no", "yes"}
    assert clf.score(X, y) > 0.9
    np.testing.assert_array_equal(clf.classes_[proba.argmax(axis=1)], clf.predict(X))


@pytest.mark.parametrize("activation", ["identity", "logistic", "tanh", "relu"])
def test_regressor_learns(activation):
    rng = np.random.default_rng(1)
    X = rng.uniform(-1, 1, (200, 2))
    Y = np.column_stack([X @ [1.0, -2.0], X[:, 0] - X[:, 1]])
    reg = quiet_fit(MLPRegressor((16,), activation=activation, learning_rate_init=0.01,
                                 max_iter=200, random_state=0), X, Y)
    assert reg.predict(X).shape == (200, 2)
    assert reg.score(X, Y) > 0.95
    one = quiet_fit(MLPRegressor((8,), max_iter=5, random_state=0), X, Y[:, 0])
    assert one.predict(X).shape == (200,)


def test_regressor_partial_fit_and_early_stopping():
    rng = np.random.default_rng(2)
    X = rng.uniform(-1, 1, (300, 3))
    y = X @ [1.0, 2.0, -1.0]
    reg = MLPRegressor((16,), learning_rate_init=0.01, random_state=0)
    for _ in range(30):
        reg.partial_fit(X, y)
    assert reg.n_iter_ == 30 and reg.loss_curve_[-1] < 0.1 * reg.loss_curve_[0]
    es = MLPRegressor((16,), early_stopping=True, learning_rate_init=0.01, max_iter=300,
                      random_state=0).fit(X, y)
    assert es.best_loss_ is None and es.best_validation_score_ > 0.9
    assert es.best_validation_score_ == max(es.validation_scores_)


def test_partial_fit_and_warm_start(digits, tmp_path):
    X, y, _, _ = digits
    clf = MLPClassifier((16,), random_state=0)
    with pytest.raises(ValueError, match="classes must be passed"):
        clf.partial_fit(X, y)
    clf.partial_fit(X[:600], y[:600], classes=np.arange(10))
    for _ in range(4):
        clf.partial_fit(X, y)
    assert clf.n_iter_ == 5 and len(clf.loss_curve_) == 5
    assert clf.loss_curve_[-1] < clf.loss_curve_[0]
    with pytest.raises(ValueError, match="not in classes"):
        clf.partial_fit(X[:5], np.array([0, 1, 2, 3, 11]))
    # After save/load the network is rebuilt from coefs_ and training continues.
    path = tmp_path / "mlp.zip"
    scratchml.save(clf, path)
    loaded = scratchml.load(path)
    np.testing.assert_array_equal(loaded.predict(X), clf.predict(X))
    loaded.partial_fit(X, y)
    assert loaded.n_iter_ == 6
    warm = quiet_fit(MLPClassifier((16,), max_iter=3, warm_start=True, random_state=0), X, y)
    before = warm.coefs_[0].copy()
    quiet_fit(warm, X, y)
    assert warm.n_iter_ == 6 and not np.array_equal(before, warm.coefs_[0])


def test_early_stopping_keeps_best_validation_weights(digits):
    X, y, _, _ = digits
    clf = MLPClassifier((16,), early_stopping=True, n_iter_no_change=3, max_iter=100,
                        learning_rate_init=0.01, random_state=0).fit(X, y)
    assert len(clf.validation_scores_) == clf.n_iter_ < 100
    assert clf.best_validation_score_ == max(clf.validation_scores_)


def test_sgd_solver_and_schedules(digits):
    X, y, _, _ = digits
    for schedule in ("constant", "invscaling", "adaptive"):
        clf = quiet_fit(MLPClassifier((16,), solver="sgd", learning_rate=schedule,
                                      learning_rate_init=0.1, max_iter=15, random_state=0), X, y)
        assert clf.loss_curve_[-1] < clf.loss_curve_[0]


def test_verbose_prints_progress(digits, capsys):
    X, y, _, _ = digits
    quiet_fit(MLPClassifier((8,), max_iter=2, verbose=True, random_state=0), X, y)
    out = capsys.readouterr().out
    assert "Iteration 1, loss = " in out and "Iteration 2" in out


@pytest.mark.parametrize("params, match", [
    (dict(solver="lbfgs"), "solver.*lbfgs is not implemented"),
    (dict(activation="swish"), "activation"),
    (dict(hidden_layer_sizes=(10, 0)), "hidden_layer_sizes"),
    (dict(learning_rate_init=0), "learning_rate_init"),
    (dict(batch_size=0), "batch_size"),
    (dict(validation_fraction=1.5), "validation_fraction"),
])
def test_bad_hyperparameters_raise(params, match):
    X, y = np.random.default_rng(0).standard_normal((20, 3)), np.arange(20) % 2
    with pytest.raises(ValueError, match=match):
        MLPClassifier(**params).fit(X, y)


@pytest.mark.parametrize("params", [
    dict(hidden_layer_sizes=(20,)),
    dict(hidden_layer_sizes=(12, 8), alpha=0.0, batch_size=37, shuffle=False),
    dict(hidden_layer_sizes=(10,), activation="identity", solver="sgd"),
    dict(hidden_layer_sizes=(10,), early_stopping=True),
])
def test_fused_step_matches_autodiff_graph(digits, params, monkeypatch):
    # The fused NumPy step performs the graph's float32 operations in the same order,
    # so training must be bit-for-bit identical (exact equality, no tolerance).
    X, y = digits[0][:400], digits[1][:400]
    fused = quiet_fit(MLPClassifier(max_iter=4, random_state=1, **params), X, y)
    monkeypatch.setattr(MLPClassifier, "_fused_ok", lambda self: False)
    graph = quiet_fit(MLPClassifier(max_iter=4, random_state=1, **params), X, y)
    assert fused.loss_curve_ == graph.loss_curve_
    for wa, wb in zip(fused.coefs_ + fused.intercepts_, graph.coefs_ + graph.intercepts_):
        np.testing.assert_array_equal(wa, wb)
