"""BaseEstimator: params, nested params, repr, clone."""

import numpy as np
import pytest

from scratchml.base import BaseEstimator, RegressorMixin, clone


class Inner(BaseEstimator):
    def __init__(self, alpha=1.0, tags=None):
        self.alpha = alpha
        self.tags = tags


class Outer(BaseEstimator):
    def __init__(self, inner=None, steps=(), n=3):
        self.inner = inner
        self.steps = steps
        self.n = n


class Bad(BaseEstimator):
    def __init__(self, alpha=1.0):
        self.alpha = float(alpha) * 2  # violates the contract


def test_nested_get_set_params():
    est = Outer(inner=Inner(alpha=2.0))
    params = est.get_params()
    assert params["inner__alpha"] == 2.0 and params["n"] == 3
    est.set_params(inner__alpha=5.0, n=4)
    assert est.inner.alpha == 5.0 and est.n == 4
    with pytest.raises(ValueError, match="Invalid parameter 'nope' for estimator Outer"):
        est.set_params(nope=1)


def test_repr_shows_only_non_defaults():
    assert repr(Inner()) == "Inner()"
    assert repr(Inner(alpha=3)) == "Inner(alpha=3)"
    assert repr(Outer(inner=Inner(alpha=3))) == "Outer(inner=Inner(alpha=3))"


def test_clone_is_deep_and_unfitted():
    tags = ["a"]
    est = Outer(inner=Inner(tags=tags), steps=[Inner(alpha=7)])
    est.fitted_ = True
    c = clone(est)
    assert c.inner is not est.inner and c.inner.tags == tags and c.inner.tags is not tags
    assert c.steps[0].alpha == 7 and c.steps[0] is not est.steps[0]
    assert not hasattr(c, "fitted_")
    with pytest.raises(RuntimeError, match="changes parameter 'alpha'"):
        clone(Bad())
    with pytest.raises(TypeError, match="not an estimator"):
        clone(object())


def test_r2_score():
    class Mean(RegressorMixin, BaseEstimator):
        def fit(self, X, y):
            self.mean_ = np.mean(y)
            return self

        def predict(self, X):
            return np.full(len(X), self.mean_)

    class Exact(Mean):
        def predict(self, X):
            return np.asarray(X)[:, 0]

    X = np.arange(6.0).reshape(-1, 1)
    y = X[:, 0]
    assert Mean().fit(X, y).score(X, y) == pytest.approx(0.0)
    assert Exact().fit(X, y).score(X, y) == pytest.approx(1.0)
