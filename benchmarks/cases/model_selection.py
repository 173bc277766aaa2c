"""Model selection: cross-validation overhead and stratified splitting.

``cross_val_score[pipeline]``: scratchml's ``cross_val_score`` against
scikit-learn's on the *same* scratchml ``Pipeline(StandardScaler, NearestCentroid)``
object and the *same* five KFold folds, X of 200,000 x 20 (quick: 50,000 x 20)
standard normal values with a binary label. The estimator work is identical on
both sides, so the ratio measures what each cross-validation loop adds (cloning,
row indexing, scoring). Score: mean accuracy; compare: largest score difference.

``train_test_split[stratify]``: ``train_test_split(X, y, stratify=y,
test_size=0.25)`` on 1,000,000 rows (quick: 200,000) of X (8 float64 columns)
with 5 imbalanced classes. Score: the largest gap between a class's share in the
test set and in all of y (0 is perfect stratification); compare: whether both
sides return the same set sizes.
"""

from __future__ import annotations

import functools

import numpy as np

from benchmarks.harness import Case, Side, register


@functools.lru_cache(maxsize=1)
def make_cv_data(n: int, d: int, seed: int = 0) -> dict:
    from scratchml.model_selection import KFold

    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    y = (X[:, 0] + X[:, 1] + 0.5 * rng.standard_normal(n) > 0).astype(np.int64)
    return {"X": X, "y": y, "folds": list(KFold(5).split(X))}


def _pipeline():
    from scratchml.neighbors import NearestCentroid
    from scratchml.pipeline import Pipeline
    from scratchml.preprocessing import StandardScaler

    return Pipeline([("scale", StandardScaler()), ("clf", NearestCentroid())])


def _ours_cv(data):
    from scratchml.model_selection import cross_val_score

    return cross_val_score(_pipeline(), data["X"], data["y"], cv=data["folds"])


def _sklearn_cv(data):
    from sklearn.model_selection import cross_val_score

    return cross_val_score(_pipeline(), data["X"], data["y"], cv=data["folds"])


register(Case(
    name="cross_val_score[pipeline]",
    family="model_selection",
    description="cross_val_score of the same scratchml Pipeline(StandardScaler, NearestCentroid) "
                "on the same 5 KFold folds, X 200,000 x 20",
    data=make_cv_data,
    params=dict(n=200_000, d=20, seed=0),
    quick_params=dict(n=50_000, d=20, seed=0),
    ours=Side("scratchml", call=_ours_cv),
    ref=Side("scikit-learn", call=_sklearn_cv, requires=("sklearn",)),
    score=lambda scores, data: float(np.mean(scores)),
    score_name="mean CV accuracy",
    compare=lambda ours, ref, data: {"max |score diff|": float(np.max(np.abs(ours - ref)))},
))


@functools.lru_cache(maxsize=1)
def make_split_data(n: int, d: int, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    y = rng.choice(5, size=n, p=[0.5, 0.25, 0.15, 0.07, 0.03]).astype(np.int64)
    return {"X": X, "y": y}


def _ours_split(data):
    from scratchml.model_selection import train_test_split

    return train_test_split(data["X"], data["y"], stratify=data["y"], test_size=0.25,
                            random_state=0)


def _sklearn_split(data):
    from sklearn.model_selection import train_test_split

    return train_test_split(data["X"], data["y"], stratify=data["y"], test_size=0.25,
                            random_state=0)


def stratification_gap(out, data) -> float:
    y_test, y = out[3], data["y"]
    share = np.bincount(y_test, minlength=5) / len(y_test)
    return float(np.max(np.abs(share - np.bincount(y, minlength=5) / len(y))))


register(Case(
    name="train_test_split[stratify]",
    family="model_selection",
    description="train_test_split(X, y, stratify=y, test_size=0.25), 1,000,000 rows, "
                "X 8 float64 columns, 5 imbalanced classes",
    data=make_split_data,
    params=dict(n=1_000_000, d=8, seed=0),
    quick_params=dict(n=200_000, d=8, seed=0),
    ours=Side("scratchml", call=_ours_split),
    ref=Side("scikit-learn", call=_sklearn_split, requires=("sklearn",)),
    score=stratification_gap,
    score_name="max |class share in test - in y|",
    compare=lambda ours, ref, data: {
        "same sizes": float([len(a) for a in ours] == [len(a) for a in ref])},
))
