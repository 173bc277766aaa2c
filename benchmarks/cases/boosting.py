"""Histogram gradient boosting against scikit-learn's HistGradientBoostingClassifier.

``hist_gradient_boosting_classifier``: 100 iterations (early stopping off on
both sides, other hyperparameters at their shared defaults: 31 leaves,
min_samples_leaf 20, learning rate 0.1, 255 bins) on ``make_classification``
data of 100,000 x 50 (10 informative features), scored by accuracy on 25,000
held-out rows of the same draw. Both sides use every core (scratchml's
histogram threads, scikit-learn's OpenMP). Target (issue 5): fit time <= 1.5x,
accuracy within 0.5 points; predict (``hgb_predict`` kernel) <= 1.0x.
"""

from __future__ import annotations

import functools

import numpy as np

from benchmarks.harness import Case, Side, register


@functools.lru_cache(maxsize=1)
def make_data(n: int, d: int, n_test: int, seed: int = 0) -> dict:
    from scratchml.datasets import make_classification

    X, y = make_classification(n_samples=n + n_test, n_features=d, n_informative=10,
                               random_state=seed)
    return {"X": X[:n], "y": y[:n], "X_test": X[n:], "y_test": y[n:]}


def _ours_fit(d):
    from scratchml.ensemble import GradientBoostingClassifier

    return GradientBoostingClassifier(max_iter=100, early_stopping=False).fit(d["X"], d["y"])


def _ref_fit(d):
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(max_iter=100, early_stopping=False).fit(d["X"], d["y"])


def _predict(model, d):
    return model.predict(d["X_test"])


def accuracy(pred, d) -> float:
    return float(np.mean(pred == d["y_test"]))


def compare(ours, ref, d) -> dict:
    return {"accuracy points (ours - sklearn)": 100 * (accuracy(ours, d) - accuracy(ref, d)),
            "same predictions": float(np.mean(ours == ref))}


register(Case(
    name="hist_gradient_boosting_classifier",
    family="boosting",
    description="GradientBoostingClassifier (histogram) vs HistGradientBoostingClassifier, "
                "100 iterations, make_classification 100,000 x 50, early_stopping=False",
    data=make_data,
    params=dict(n=100_000, d=50, n_test=25_000, seed=0),
    quick_params=dict(n=3_000, d=20, n_test=2_000, seed=0),
    ours=Side("scratchml", fit=_ours_fit, predict=_predict),
    ref=Side("scikit-learn", fit=_ref_fit, predict=_predict, requires=("sklearn",)),
    score=accuracy,
    score_name="held-out accuracy",
    compare=compare,
    repeats=3,
    quick_repeats=1,
))
