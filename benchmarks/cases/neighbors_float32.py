"""k-nearest neighbours on float32 data against scikit-learn on the same float32 data.

``knn_classifier_float32[brute]``: ``KNeighborsClassifier(n_neighbors=5,
algorithm="brute").fit(X, y)`` then ``predict(Q)`` on both sides, with X and Q float32:
10,000 training x 10,000 query rows x 50 standard-normal features, 3 classes whose
centres differ (quick: 5,000 x 5,000 x 50) — the ``knn_classifier[brute]`` case of
``neighbors.py`` cast to float32. scikit-learn ranks float32 natively (its
``ArgKmin32``); scratchml's top-k kernel does too when it is given float32 training
and query rows (``scratchml.neighbors._topk.kneighbors_brute``), and recomputes the
k winners' distances in float64 either way.

Score: accuracy on the query rows. Compare: the fraction of equal predictions (float32
rounding may swap two near-tied neighbours, so it can fall a hair below 1).
"""

from __future__ import annotations

import functools

import numpy as np

from benchmarks.harness import Case, Side, register

N_CLASSES = 3


@functools.lru_cache(maxsize=1)
def make_data(n_fit: int, n_query: int, d: int, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    centres = 0.5 * rng.standard_normal((N_CLASSES, d))
    y = rng.integers(0, N_CLASSES, n_fit + n_query)
    X = (rng.standard_normal((n_fit + n_query, d)) + centres[y]).astype(np.float32)
    return {"X": X[:n_fit], "y": y[:n_fit], "Q": X[n_fit:], "yq": y[n_fit:]}


def _ours_fit(data):
    from scratchml.neighbors import KNeighborsClassifier

    return KNeighborsClassifier(n_neighbors=5, algorithm="brute").fit(data["X"], data["y"])


def _ref_fit(data):
    from sklearn.neighbors import KNeighborsClassifier

    return KNeighborsClassifier(n_neighbors=5, algorithm="brute").fit(data["X"], data["y"])


def _predict(model, data):
    return model.predict(data["Q"])


def accuracy(output, data) -> float:
    return float(np.mean(output == data["yq"]))


def compare(ours, ref, data) -> dict:
    return {"predictions equal": float(np.mean(ours == ref))}


register(Case(
    name="knn_classifier_float32[brute]",
    family="neighbors",
    description="KNeighborsClassifier(n_neighbors=5, algorithm='brute').fit(X, y).predict(Q), "
                f"float32 X and Q, 50 features, {N_CLASSES} classes",
    data=make_data,
    params={"n_fit": 10_000, "n_query": 10_000, "d": 50},
    quick_params={"n_fit": 5_000, "n_query": 5_000, "d": 50},
    ours=Side("scratchml", fit=_ours_fit, predict=_predict),
    ref=Side("scikit-learn", fit=_ref_fit, predict=_predict, requires=("sklearn",)),
    score=accuracy,
    score_name="query accuracy",
    compare=compare,
))
