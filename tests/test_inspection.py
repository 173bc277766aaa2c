"""permutation_importance: the drop in score when one feature is shuffled."""

import numpy as np
import pytest

from scratchml.ensemble import GradientBoostingRegressor
from scratchml.inspection import permutation_importance
from scratchml.metrics import r2_score
from scratchml.neighbors import KNeighborsClassifier, KNeighborsRegressor


def _data(seed=0, n=80):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 3))
    y = 3 * X[:, 0] + 0.5 * X[:, 1]  # feature 2 is unused
    return X, y


def test_importances_are_score_drops_under_the_same_permutations():
    X, y = _data()
    model = KNeighborsRegressor(3).fit(X, y)
    r = permutation_importance(model, X, y, n_repeats=4, random_state=7)
    assert r.importances.shape == (3, 4)
    np.testing.assert_allclose(r.importances_mean, r.importances.mean(axis=1))
    np.testing.assert_allclose(r.importances_std, r.importances.std(axis=1))
    # Recompute one entry by hand: every feature is shuffled with the same
    # permutations, drawn from one seed of the random_state.
    seed = int(np.random.default_rng(7).integers(2**32))
    perm = np.random.default_rng(seed).permutation(len(X))
    base = model.score(X, y)
    for j in range(3):
        Xp = X.copy()
        Xp[:, j] = X[perm, j]
        assert r.importances[j, 0] == pytest.approx(base - model.score(Xp, y), abs=1e-12)
    assert r.importances_mean[0] > r.importances_mean[1] > 0


def test_unused_feature_has_zero_importance_for_a_model_that_ignores_it():
    X, y = _data(1, 200)
    model = GradientBoostingRegressor(max_iter=20).fit(X[:, :2], y)

    class OnFirstTwo:  # a scorer-compatible wrapper that never reads column 2
        def score(self, X, y):
            return model.score(X[:, :2], y)

    r = permutation_importance(OnFirstTwo(), X, y, random_state=0)
    assert np.all(r.importances[2] == 0)
    assert r.importances_mean[0] > 0.5


def test_scoring_name_and_callable_and_n_jobs():
    X, y = _data(2)
    model = KNeighborsRegressor(3).fit(X, y)
    a = permutation_importance(model, X, y, scoring="r2", random_state=0)
    b = permutation_importance(model, X, y, random_state=0, n_jobs=2)  # score() is R2
    np.testing.assert_allclose(a.importances, b.importances, rtol=1e-12)
    c = permutation_importance(model, X, y, random_state=0,
                               scoring=lambda est, X, y: r2_score(y, est.predict(X)))
    np.testing.assert_allclose(c.importances, a.importances, rtol=1e-12)
    neg = permutation_importance(model, X, y, scoring="neg_mean_squared_error",
                                 random_state=0)
    assert neg.importances_mean[0] > 0  # larger is better: shuffling lowers the score


def test_classifier_and_max_samples():
    X, y = _data(3, 120)
    labels = (y > 0).astype(int)
    model = KNeighborsClassifier(5).fit(X, labels)
    r = permutation_importance(model, X, labels, n_repeats=3, max_samples=0.5,
                               random_state=1)
    assert r.importances.shape == (3, 3) and r.importances_mean[0] > 0.1


def test_bad_arguments():
    X, y = _data()
    model = KNeighborsRegressor(3).fit(X, y)
    with pytest.raises(ValueError, match="n_repeats"):
        permutation_importance(model, X, y, n_repeats=0)
    with pytest.raises(ValueError, match="max_samples"):
        permutation_importance(model, X, y, max_samples=2.0)
    with pytest.raises(ValueError, match="samples"):
        permutation_importance(model, X, y[:5])
