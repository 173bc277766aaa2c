"""AdaBoost: SAMME reproduces scikit-learn's boosting; AdaBoost.R2 predicts a weighted median."""

import numpy as np
import pytest

from scratchml import datasets
from scratchml.ensemble import AdaBoostClassifier, AdaBoostRegressor
from scratchml.tree import DecisionTreeRegressor

ske = pytest.importorskip("sklearn.ensemble")


@pytest.mark.parametrize("name", ["breast_cancer", "wine"])
def test_samme_matches_sklearn(name):
    X, y = getattr(datasets, f"load_{name}")(return_X_y=True)
    ours = AdaBoostClassifier(n_estimators=15, learning_rate=0.5, random_state=0).fit(X, y)
    ref = ske.AdaBoostClassifier(n_estimators=15, learning_rate=0.5, random_state=0).fit(X, y)
    # Stumps on continuous features: the same splits, so the same boosting rounds;
    # weights are products of exp(alpha) factors, equal up to rounding.
    np.testing.assert_allclose(ours.estimator_weights_, ref.estimator_weights_, rtol=1e-9)
    np.testing.assert_allclose(ours.estimator_errors_, ref.estimator_errors_, rtol=1e-9)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), rtol=1e-9)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))
    np.testing.assert_allclose(ours.decision_function(X), ref.decision_function(X),
                               rtol=1e-9, atol=1e-12)


def test_samme_weights_and_importances():
    X, y = datasets.load_breast_cancer(return_X_y=True)
    ada = AdaBoostClassifier(n_estimators=20, random_state=0).fit(X, y)
    assert np.all(ada.estimator_weights_ > 0)
    assert np.all(ada.estimator_errors_ < 0.5)  # binary: better than chance, or stopped
    assert ada.feature_importances_.sum() == pytest.approx(1.0, rel=1e-12)  # normalized
    assert ada.score(X, y) > 0.95


def test_perfect_first_learner_stops_boosting():
    X = np.array([[0.0], [1.0], [2.0], [3.0]])
    ada = AdaBoostClassifier(n_estimators=10).fit(X, [0, 0, 1, 1])
    assert len(ada.estimators_) == 1 and ada.estimator_errors_[0] == 0.0


def test_r2_prediction_is_a_weighted_median_of_members():
    X, y = datasets.load_diabetes(return_X_y=True)
    ada = AdaBoostRegressor(n_estimators=12, random_state=0).fit(X, y)
    preds = np.column_stack([m.predict(X[:40]) for m in ada.estimators_])
    out = ada.predict(X[:40])
    w = ada.estimator_weights_
    for i in range(40):
        below = w[preds[i] < out[i]].sum()
        at_or_below = w[preds[i] <= out[i]].sum()
        assert out[i] in preds[i]
        assert below < 0.5 * w.sum() <= at_or_below  # the lower weighted median


def test_r2_held_out_score_close_to_sklearn():
    from sklearn.model_selection import train_test_split

    X, y = datasets.load_diabetes(return_X_y=True)
    a, b = [], []
    for seed in range(5):
        Xa, Xb, ya, yb = train_test_split(X, y, random_state=seed)
        kw = dict(n_estimators=20, random_state=seed)
        a.append(AdaBoostRegressor(**kw).fit(Xa, ya).score(Xb, yb))
        b.append(ske.AdaBoostRegressor(**kw).fit(Xa, ya).score(Xb, yb))
    # Both resample at random each round, with different generators: the 5-seed mean
    # R² (seed-to-seed sd ~3 points) agrees within 2 points.
    assert abs(np.mean(a) - np.mean(b)) <= 0.02, (np.mean(a), np.mean(b))


@pytest.mark.parametrize("loss", ["square", "exponential"])
def test_r2_losses_fit(loss):
    X, y = datasets.load_diabetes(return_X_y=True)
    ada = AdaBoostRegressor(DecisionTreeRegressor(max_depth=2), n_estimators=5, loss=loss,
                            random_state=0).fit(X, y)
    assert ada.score(X, y) > 0.3


@pytest.mark.parametrize("params, match", [
    ({"learning_rate": 0.0}, "learning_rate"),
    ({"learning_rate": -1.0}, "learning_rate"),
    ({"n_estimators": 0}, "n_estimators"),
])
def test_bad_parameters(params, match):
    X, y = datasets.load_wine(return_X_y=True)
    with pytest.raises(ValueError, match=match):
        AdaBoostClassifier(**params).fit(X, y)
    with pytest.raises(ValueError, match=match):
        AdaBoostRegressor(**params).fit(X, y.astype(float))
    with pytest.raises(ValueError, match="loss"):
        AdaBoostRegressor(loss="hinge").fit(X, y.astype(float))
