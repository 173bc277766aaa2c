"""Bagging: any member, thread-count independence, feature subsets, OOB."""

import numpy as np
import pytest

from scratchml import datasets
from scratchml.ensemble import BaggingClassifier, BaggingRegressor
from scratchml.neighbors import KNeighborsClassifier
from scratchml.tree import DecisionTreeClassifier, DecisionTreeRegressor

ske = pytest.importorskip("sklearn.ensemble")


def _clf_data():
    return datasets.load_breast_cancer(return_X_y=True)


def test_n_jobs_does_not_change_the_result():
    X, y = _clf_data()
    a = BaggingClassifier(n_estimators=6, random_state=0, n_jobs=1).fit(X, y)
    b = BaggingClassifier(n_estimators=6, random_state=0, n_jobs=2).fit(X, y)
    np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))
    for fa, fb in zip(a.estimators_features_, b.estimators_features_):
        np.testing.assert_array_equal(fa, fb)


def test_feature_subsets():
    X, y = _clf_data()
    bag = BaggingClassifier(n_estimators=5, max_features=0.5, random_state=0).fit(X, y)
    for feats in bag.estimators_features_:
        assert len(feats) == 15 and len(np.unique(feats)) == 15  # without replacement
    boot = BaggingClassifier(n_estimators=5, max_features=30, bootstrap_features=True,
                             random_state=0).fit(X, y)
    assert any(len(np.unique(f)) < 30 for f in boot.estimators_features_)  # with replacement


def test_no_resampling_reproduces_the_member():
    X, y = datasets.load_diabetes(return_X_y=True)
    bag = BaggingRegressor(DecisionTreeRegressor(max_depth=3), n_estimators=3, bootstrap=False,
                           random_state=0).fit(X, y)
    tree = DecisionTreeRegressor(max_depth=3).fit(X, y)
    # Every member sees every row and column: each is the same tree.
    np.testing.assert_allclose(bag.predict(X), tree.predict(X), rtol=1e-12)


def test_member_without_sample_weight_and_votes():
    X, y = _clf_data()
    bag = BaggingClassifier(KNeighborsClassifier(n_neighbors=3), n_estimators=4,
                            max_samples=0.5, random_state=0).fit(X, y)
    assert bag.score(X, y) > 0.85
    proba = bag.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-12)  # mean of distributions


def test_oob_score():
    X, y = _clf_data()
    bag = BaggingClassifier(DecisionTreeClassifier(), n_estimators=20, oob_score=True,
                            random_state=0).fit(X, y)
    d = bag.oob_decision_function_
    assert bag.oob_score_ == np.mean(d.argmax(axis=1) == y)
    assert 0.85 < bag.oob_score_ <= 1.0
    with pytest.raises(ValueError, match="bootstrap"):
        BaggingClassifier(oob_score=True, bootstrap=False).fit(X, y)


def test_accuracy_close_to_sklearn():
    from sklearn.model_selection import train_test_split

    X, y = _clf_data()
    a, b = [], []
    for seed in range(5):
        Xa, Xb, ya, yb = train_test_split(X, y, random_state=seed)
        a.append(BaggingClassifier(n_estimators=20, random_state=seed).fit(Xa, ya).score(Xb, yb))
        b.append(ske.BaggingClassifier(n_estimators=20, random_state=seed).fit(Xa, ya)
                 .score(Xb, yb))
    assert abs(np.mean(a) - np.mean(b)) <= 0.01, (np.mean(a), np.mean(b))  # one point


@pytest.mark.parametrize("params, match", [
    ({"n_estimators": 0}, "n_estimators"),
    ({"max_samples": 0}, "max_samples"),
    ({"max_features": 1.5}, "max_features"),
])
def test_bad_parameters(params, match):
    X, y = _clf_data()
    with pytest.raises(ValueError, match=match):
        BaggingClassifier(**params).fit(X, y)
