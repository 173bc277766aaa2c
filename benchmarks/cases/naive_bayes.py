"""Naive Bayes against scikit-learn.

``gaussian_nb``: ``GaussianNB().fit(X, y)`` then ``predict(X)`` on X of 1,000,000 x 20
standard normal values shifted per class, 5 classes (quick: 200,000 x 20).
``multinomial_nb``: ``MultinomialNB().fit(X, y)`` then ``predict(X)`` on 200,000 x 50
Poisson counts whose rates depend on the class, 5 classes (quick: 50,000 x 50).

Score: accuracy on the training data. Compare: the fraction of equal predictions and the
largest absolute difference of predict_proba.
"""

from __future__ import annotations

import functools

import numpy as np

from benchmarks.harness import Case, Side, register

N_CLASSES = 5


@functools.lru_cache(maxsize=1)
def make_data(n: int, d: int, kind: str, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, N_CLASSES, n)
    if kind == "gaussian":
        centres = rng.standard_normal((N_CLASSES, d))
        X = rng.standard_normal((n, d)) * rng.uniform(0.5, 2.0, d) + centres[y]
    else:
        rates = rng.uniform(0.2, 3.0, (N_CLASSES, d))
        X = rng.poisson(rates[y]).astype(np.float64)
    return {"X": X, "y": y}


def _fit(library: str, cls: str):
    def fit(data):
        import importlib

        module = importlib.import_module(
            "scratchml.naive_bayes" if library == "scratchml" else "sklearn.naive_bayes"
        )
        return getattr(module, cls)().fit(data["X"], data["y"])

    return fit


def _predict(model, data):
    return model, model.predict(data["X"])


def accuracy(output, data) -> float:
    return float(np.mean(output[1] == data["y"]))


def compare(ours, ref, data) -> dict:
    X = data["X"][:20_000]
    return {
        "predictions equal": float(np.mean(ours[1] == ref[1])),
        "max |proba diff|": float(np.max(np.abs(ours[0].predict_proba(X)
                                                - ref[0].predict_proba(X)))),
    }


for _name, _cls, _kind, _n, _quick_n, _d in (
    ("gaussian_nb", "GaussianNB", "gaussian", 1_000_000, 200_000, 20),
    ("multinomial_nb", "MultinomialNB", "counts", 200_000, 50_000, 50),
):
    register(Case(
        name=_name,
        family="naive_bayes",
        description=f"{_cls}().fit(X, y) then predict(X), {_d} features, {N_CLASSES} classes",
        data=make_data,
        params={"n": _n, "d": _d, "kind": _kind},
        quick_params={"n": _quick_n, "d": _d, "kind": _kind},
        ours=Side("scratchml", fit=_fit("scratchml", _cls), predict=_predict),
        ref=Side("scikit-learn", fit=_fit("sklearn", _cls), predict=_predict,
                 requires=("sklearn",)),
        score=accuracy,
        score_name="training accuracy",
        compare=compare,
    ))
