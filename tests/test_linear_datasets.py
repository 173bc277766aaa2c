"""Held-out scores on the bundled real datasets are within 1 point of scikit-learn's."""

import warnings

import numpy as np
import pytest

from scratchml import linear_model as lm
from scratchml.datasets import load_breast_cancer, load_diabetes, load_digits, load_wine
from scratchml.model_selection import train_test_split
from scratchml.preprocessing import StandardScaler

sk = pytest.importorskip("sklearn.linear_model")


def _split(loader, scale):
    X, y = loader(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0)
    if scale:
        scaler = StandardScaler().fit(X_train)
        X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
    return X_train, X_test, y_train, y_test


CASES = [
    # (loader, scale, ours, reference) — same hyperparameters on both sides.
    (load_diabetes, False, lambda: lm.LinearRegression(), lambda: sk.LinearRegression()),
    (load_diabetes, False, lambda: lm.Ridge(alpha=0.1), lambda: sk.Ridge(alpha=0.1)),
    (load_diabetes, False, lambda: lm.Lasso(alpha=0.05), lambda: sk.Lasso(alpha=0.05)),
    (load_diabetes, False, lambda: lm.ElasticNet(alpha=0.001),
     lambda: sk.ElasticNet(alpha=0.001)),
    (load_diabetes, False, lambda: lm.RidgeCV(alphas=np.logspace(-3, 2, 11)),
     lambda: sk.RidgeCV(alphas=np.logspace(-3, 2, 11))),
    (load_diabetes, False, lambda: lm.LassoCV(), lambda: sk.LassoCV()),
    (load_breast_cancer, True, lambda: lm.LogisticRegression(),
     lambda: sk.LogisticRegression()),
    (load_breast_cancer, True,
     lambda: lm.LogisticRegression(penalty="l1", solver="newton-cd", C=0.5),
     lambda: sk.LogisticRegression(l1_ratio=1.0, solver="saga", C=0.5, max_iter=5000)),
    (load_wine, True, lambda: lm.LogisticRegression(), lambda: sk.LogisticRegression()),
    (load_wine, True,
     lambda: lm.LogisticRegression(penalty="elasticnet", l1_ratio=0.5, solver="saga",
                                   max_iter=1000, random_state=0),
     lambda: sk.LogisticRegression(l1_ratio=0.5, solver="saga", max_iter=1000)),
    (load_digits, True, lambda: lm.LogisticRegression(max_iter=300),
     lambda: sk.LogisticRegression(max_iter=300)),
    (load_breast_cancer, True, lambda: lm.Perceptron(), lambda: sk.Perceptron()),
]


@pytest.mark.parametrize("loader, scale, ours, ref", CASES,
                         ids=[f"{c[0].__name__[5:]}-{i}" for i, c in enumerate(CASES)])
def test_held_out_score_within_one_point(loader, scale, ours, ref):
    X_train, X_test, y_train, y_test = _split(loader, scale)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # sklearn's deprecations / convergence notes
        a = ours().fit(X_train, y_train).score(X_test, y_test)
        b = ref().fit(X_train, y_train).score(X_test, y_test)
    # Perceptron: different shuffling RNGs, so it is only required not to be worse
    # by more than 3 points (one test sample of 171 is 0.6 points).
    if isinstance(ours(), lm.Perceptron):
        assert a >= b - 0.03, (a, b)
    else:
        assert abs(a - b) <= 0.01, (a, b)
