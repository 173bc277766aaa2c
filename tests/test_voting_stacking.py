"""Voting and stacking ensembles: their outputs are the documented combinations."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import scratchml
from scratchml.ensemble import (
    GradientBoostingClassifier,
    StackingClassifier,
    StackingRegressor,
    VotingClassifier,
    VotingRegressor,
)
from scratchml.model_selection import KFold, StratifiedKFold, cross_val_predict
from scratchml.naive_bayes import GaussianNB
from scratchml.neighbors import KNeighborsClassifier, KNeighborsRegressor, NearestCentroid


def _classification(seed, n=90, n_classes=3):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 3))
    y = np.arange(n) % n_classes
    X[:, 0] += 1.5 * y
    return X, y


def _classifiers():
    return [("nb", GaussianNB()), ("knn", KNeighborsClassifier(5)),
            ("knn1", KNeighborsClassifier(1))]


@given(st.integers(0, 2**32 - 1),
       st.lists(st.floats(0.1, 5.0), min_size=3, max_size=3))
def test_soft_voting_is_the_weighted_mean_of_probabilities(seed, weights):
    X, y = _classification(seed % 1000)
    vote = VotingClassifier(_classifiers(), voting="soft", weights=weights).fit(X, y)
    probas = [e.fit(X, y).predict_proba(X) for _, e in _classifiers()]
    expected = sum(w * p for w, p in zip(weights, probas)) / sum(weights)
    # np.average vs this sum: different summation order, float64 rounding.
    np.testing.assert_allclose(vote.predict_proba(X), expected, rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(vote.predict(X), expected.argmax(axis=1))
    assert vote.transform(X).shape == (len(X), 9)
    flat = VotingClassifier(_classifiers(), voting="soft", flatten_transform=False).fit(X, y)
    assert flat.transform(X).shape == (3, len(X), 3)


def test_hard_voting_counts_weighted_votes():
    X, y = _classification(0)
    labels = np.array(["x", "y", "z"])[y]
    ests = [("nb", GaussianNB()), ("knn1", KNeighborsClassifier(1)),
            ("nc", NearestCentroid())]
    vote = VotingClassifier(ests, weights=[1, 1, 3]).fit(X, labels)
    preds = np.column_stack([e.fit(X, labels).predict(X) for _, e in ests])
    # Weight 3 outvotes 1 + 1: the nearest-centroid model decides every sample.
    np.testing.assert_array_equal(vote.predict(X), preds[:, 2])
    assert not hasattr(vote, "predict_proba")
    assert vote.transform(X).shape == (len(X), 3)
    equal = VotingClassifier(ests).fit(X, labels).predict(X)
    for i in range(len(X)):
        values, counts = np.unique(preds[i], return_counts=True)
        assert counts[values == equal[i]][0] == counts.max()


def test_voting_regressor_and_drop():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((50, 2))
    y = X[:, 0] + 0.1 * rng.standard_normal(50)
    ests = [("a", KNeighborsRegressor(1)), ("b", KNeighborsRegressor(7)), ("c", "drop")]
    vote = VotingRegressor(ests, weights=[2, 1, 5]).fit(X, y)
    a, b = (KNeighborsRegressor(k).fit(X, y).predict(X) for k in (1, 7))
    np.testing.assert_allclose(vote.predict(X), (2 * a + b) / 3, rtol=1e-12)
    np.testing.assert_allclose(vote.transform(X), np.column_stack([a, b]))
    assert list(vote.named_estimators_) == ["a", "b"]


@pytest.mark.parametrize("passthrough", [False, True])
def test_stacking_meta_features_are_cross_val_predict_outputs(passthrough):
    X, y = _classification(1)
    cv = StratifiedKFold(3)
    stack = StackingClassifier(_classifiers()[:2], final_estimator=GaussianNB(), cv=cv,
                               passthrough=passthrough).fit(X, y)
    assert stack.stack_method_ == ["predict_proba", "predict_proba"]
    oof = np.hstack([cross_val_predict(e, X, y, cv=cv, method="predict_proba")
                     for _, e in _classifiers()[:2]])
    meta = np.hstack([oof, X]) if passthrough else oof
    # The final estimator was fitted on exactly these meta-features.
    expected = GaussianNB().fit(meta, y)
    np.testing.assert_allclose(stack.final_estimator_.theta_, expected.theta_, rtol=1e-12)
    full = np.hstack([e.fit(X, y).predict_proba(X) for _, e in _classifiers()[:2]])
    np.testing.assert_allclose(stack.transform(X), np.hstack([full, X]) if passthrough
                               else full)
    np.testing.assert_array_equal(stack.predict(X),
                                  expected.predict(stack.transform(X)))


def test_stacking_binary_drops_the_redundant_probability_column():
    X, y = _classification(2, n_classes=2)
    stack = StackingClassifier([("nb", GaussianNB()), ("nc", NearestCentroid())],
                               final_estimator=GaussianNB(), cv=3).fit(X, y)
    # GaussianNB gives P(class 1) only; NearestCentroid has neither proba nor decision.
    assert stack.stack_method_ == ["predict_proba", "predict"]
    meta = stack.transform(X)
    assert meta.shape == (len(X), 2)
    np.testing.assert_array_equal(meta[:, 0], GaussianNB().fit(X, y).predict_proba(X)[:, 1])
    np.testing.assert_array_equal(meta[:, 1], NearestCentroid().fit(X, y).predict(X))


def test_stacking_regressor():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((60, 2))
    y = X[:, 0] * 2 + 0.1 * rng.standard_normal(60)
    cv = KFold(4)
    ests = [("a", KNeighborsRegressor(2)), ("b", KNeighborsRegressor(6))]
    final = KNeighborsRegressor(3)
    stack = StackingRegressor(ests, final_estimator=final, cv=cv).fit(X, y)
    meta = np.column_stack([cross_val_predict(e, X, y, cv=cv) for _, e in ests])
    expected = KNeighborsRegressor(3).fit(meta, y)
    Xt = rng.standard_normal((10, 2))
    np.testing.assert_allclose(stack.predict(Xt), expected.predict(stack.transform(Xt)))


def test_stacking_with_boosting_and_n_jobs():
    X, y = _classification(4)
    ests = [("gb", GradientBoostingClassifier(max_iter=5, min_samples_leaf=5)),
            ("nb", GaussianNB())]
    a = StackingClassifier(ests, final_estimator=GaussianNB(), cv=3).fit(X, y)
    b = StackingClassifier(ests, final_estimator=GaussianNB(), cv=3, n_jobs=2).fit(X, y)
    np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))


def test_bad_arguments():
    X, y = _classification(5)
    with pytest.raises(ValueError, match="needs estimators"):
        VotingClassifier().fit(X, y)
    with pytest.raises(ValueError, match="voting"):
        VotingClassifier(_classifiers(), voting="mean").fit(X, y)
    with pytest.raises(ValueError, match="weights"):
        VotingClassifier(_classifiers(), weights=[1, 2]).fit(X, y)
    with pytest.raises(ValueError, match="duplicate"):
        VotingClassifier([("a", GaussianNB()), ("a", GaussianNB())]).fit(X, y)
    with pytest.raises(ValueError, match="stack_method"):
        StackingClassifier(_classifiers(), final_estimator=GaussianNB(),
                           stack_method="transform").fit(X, y)
    with pytest.raises(ValueError, match="no samples"):
        VotingRegressor([("a", KNeighborsRegressor())]).fit(X[:0], y[:0])


def test_ensembles_round_trip_through_save(tmp_path):
    X, y = _classification(6)
    for est in (VotingClassifier(_classifiers(), voting="soft"),
                StackingClassifier(_classifiers(), final_estimator=GaussianNB(), cv=3)):
        est.fit(X, y)
        scratchml.save(est, tmp_path / "m.zip")
        np.testing.assert_array_equal(scratchml.load(tmp_path / "m.zip").predict_proba(X),
                                      est.predict_proba(X))
