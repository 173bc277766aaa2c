"""The helpers the tree and ensemble estimators share (constructors, docstrings, checks, OOB)."""

import numpy as np
import pytest

from scratchml.base import BaseEstimator, clone
from scratchml.ensemble import (
    AdaBoostClassifier,
    AdaBoostRegressor,
    BaggingClassifier,
    BaggingRegressor,
    ExtraTreesClassifier,
    ExtraTreesRegressor,
    GradientBoostingClassifier,
    GradientBoostingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from scratchml.tree import DecisionTreeClassifier, DecisionTreeRegressor
from scratchml.utils._params import store_params

SHARED = [RandomForestClassifier, RandomForestRegressor, ExtraTreesClassifier,
          ExtraTreesRegressor, BaggingClassifier, BaggingRegressor, AdaBoostClassifier,
          AdaBoostRegressor, GradientBoostingClassifier, GradientBoostingRegressor,
          DecisionTreeClassifier, DecisionTreeRegressor]


class _WithSuper(BaseEstimator):
    def __init__(self, a=1, b=None):
        store_params(self, locals())
        super().__init__()  # makes ``__class__`` one of the locals store_params sees


def test_store_params_keeps_the_objects_and_nothing_else():
    marker = object()
    est = _WithSuper(a=3, b=marker)
    assert vars(est) == {"a": 3, "b": marker}
    assert est.get_params()["b"] is marker
    assert clone(est.set_params(b="x")).get_params() == {"a": 3, "b": "x"}


def test_store_params_never_rebinds_the_class():
    # ``__class__`` (the defining class, a local because of ``super()``) must not be
    # stored: it would turn an instance of a subclass into one of its parent.
    class Child(_WithSuper):
        pass

    assert type(Child(a=2)) is Child


@pytest.mark.parametrize("cls", SHARED)
def test_every_signature_parameter_is_stored_unchanged(cls):
    # A distinct object per parameter: each must land, as itself, under its own name.
    names = cls._get_param_names()
    values = {name: object() for name in names}
    est = cls(**values)
    assert all(getattr(est, name) is value for name, value in values.items())
    assert set(vars(est)) == set(names)


@pytest.mark.parametrize("cls", SHARED)
def test_docstrings_have_their_shared_parameters_filled_in(cls):
    assert "{params}" not in cls.__doc__
    for name in cls._get_param_names():
        assert name in cls.__doc__, f"{cls.__name__} does not document {name}"


@pytest.mark.parametrize("cls", [RandomForestClassifier, ExtraTreesRegressor, BaggingClassifier,
                                 BaggingRegressor, AdaBoostClassifier, AdaBoostRegressor])
@pytest.mark.parametrize("bad", [0, -2, 2.5, True, "10"])
def test_bad_n_estimators_gives_the_same_error_everywhere(cls, bad):
    X, y = np.arange(8.0).reshape(-1, 1), np.array([0, 1] * 4)
    msg = f"n_estimators={bad!r} is invalid for {cls.__name__}: use an int >= 1."
    with pytest.raises(ValueError, match=rf"^{msg.replace('.', '[.]')}$"):
        cls(n_estimators=bad).fit(X, y)


@pytest.mark.parametrize("cls", [RandomForestRegressor, BaggingRegressor])
def test_oob_r2_of_a_constant_target_is_zero(cls):
    # Σ(y − ȳ)² = 0: R² is undefined, and the ensembles report 0.0 rather than NaN.
    X = np.arange(40.0).reshape(-1, 1)
    est = cls(n_estimators=20, oob_score=True, random_state=0).fit(X, np.full(40, 2.5))
    assert est.oob_score_ == 0.0
    assert np.allclose(est.oob_prediction_[~np.isnan(est.oob_prediction_)], 2.5)


@pytest.mark.parametrize("cls", [RandomForestClassifier, BaggingClassifier])
def test_oob_accuracy_is_that_of_the_oob_probabilities(cls):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    y = np.where(X[:, 0] > 0, "b", "a")
    est = cls(n_estimators=25, oob_score=True, random_state=0).fit(X, y)
    d = est.oob_decision_function_
    seen = ~np.isnan(d).any(axis=1)
    assert est.oob_score_ == np.mean(est.classes_[d[seen].argmax(axis=1)] == y[seen])
