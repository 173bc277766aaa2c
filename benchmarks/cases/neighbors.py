"""k-nearest neighbours against scikit-learn.

``knn_classifier[<sklearn algorithm>]``: ``KNeighborsClassifier(n_neighbors=5).fit(X, y)``
then ``predict(Q)``, 10,000 training x 10,000 query rows x 50 standard-normal features,
3 classes whose centres differ (quick: 5,000 x 5,000 x 50). scratchml searches by brute
force (50 features; its fused top-k kernel); scikit-learn runs with ``algorithm="brute"``
and with its default ``"auto"``.

Score: accuracy on the query rows. Compare: the fraction of equal predictions.

``knn_classifier_lowdim[kd_tree]``: the same with 3 features, 100,000 training x 10,000
query rows (quick: 20,000 x 5,000), where both libraries pick a KD-tree under "auto"
(both compiled: scratchml's ``kdtree_build`` / ``kdtree_query`` Cython kernels, whose
query threads split the query rows; scikit-learn's with its default n_jobs=None).

``knn_classifier_float32[brute]``: the ``knn_classifier[brute]`` case with X and Q cast
to float32 on both sides. scikit-learn ranks float32 natively (its ``ArgKmin32``);
scratchml's top-k kernel does too when training and query rows are float32, and
recomputes the k winners' distances in float64 either way. Float32 rounding may swap
two near-tied neighbours, so "predictions equal" can fall a hair below 1.
"""

from __future__ import annotations

import functools

import numpy as np

from benchmarks.harness import Case, Side, register

N_CLASSES = 3


@functools.lru_cache(maxsize=1)
def make_data(n_fit: int, n_query: int, d: int, seed: int = 0,
              dtype: str = "float64") -> dict:
    rng = np.random.default_rng(seed)
    centres = 0.5 * rng.standard_normal((N_CLASSES, d))
    y = rng.integers(0, N_CLASSES, n_fit + n_query)
    X = (rng.standard_normal((n_fit + n_query, d)) + centres[y]).astype(dtype)
    return {"X": X[:n_fit], "y": y[:n_fit], "Q": X[n_fit:], "yq": y[n_fit:]}


def _ours_fit(algorithm: str = "auto"):
    def fit(data):
        from scratchml.neighbors import KNeighborsClassifier

        return KNeighborsClassifier(n_neighbors=5, algorithm=algorithm).fit(data["X"], data["y"])

    return fit


def _ref_fit(algorithm: str):
    def fit(data):
        from sklearn.neighbors import KNeighborsClassifier

        return KNeighborsClassifier(n_neighbors=5, algorithm=algorithm).fit(data["X"], data["y"])

    return fit


def _predict(model, data):
    return model.predict(data["Q"])


def accuracy(output, data) -> float:
    return float(np.mean(output == data["yq"]))


def compare(ours, ref, data) -> dict:
    return {"predictions equal": float(np.mean(ours == ref))}


for _algorithm in ("brute", "auto"):
    register(Case(
        name=f"knn_classifier[{_algorithm}]",
        family="neighbors",
        description="KNeighborsClassifier(n_neighbors=5).fit(X, y).predict(Q), 50 features, "
                    f"{N_CLASSES} classes; scikit-learn algorithm={_algorithm!r}",
        data=make_data,
        params={"n_fit": 10_000, "n_query": 10_000, "d": 50},
        quick_params={"n_fit": 5_000, "n_query": 5_000, "d": 50},
        ours=Side("scratchml", fit=_ours_fit(), predict=_predict),
        ref=Side("scikit-learn", fit=_ref_fit(_algorithm), predict=_predict,
                 requires=("sklearn",)),
        score=accuracy,
        score_name="query accuracy",
        compare=compare,
    ))


register(Case(
    name="knn_classifier_lowdim[kd_tree]",
    family="neighbors",
    description="KNeighborsClassifier(n_neighbors=5).fit(X, y).predict(Q), 3 features, "
                "algorithm='auto' (a KD-tree on both sides)",
    data=make_data,
    params={"n_fit": 100_000, "n_query": 10_000, "d": 3},
    quick_params={"n_fit": 20_000, "n_query": 5_000, "d": 3},
    ours=Side("scratchml", fit=_ours_fit(), predict=_predict),
    ref=Side("scikit-learn", fit=_ref_fit("auto"), predict=_predict, requires=("sklearn",)),
    score=accuracy,
    score_name="query accuracy",
    compare=compare,
))

register(Case(
    name="knn_classifier_float32[brute]",
    family="neighbors",
    description="KNeighborsClassifier(n_neighbors=5, algorithm='brute').fit(X, y).predict(Q), "
                f"float32 X and Q, 50 features, {N_CLASSES} classes",
    data=make_data,
    params={"n_fit": 10_000, "n_query": 10_000, "d": 50, "dtype": "float32"},
    quick_params={"n_fit": 5_000, "n_query": 5_000, "d": 50, "dtype": "float32"},
    ours=Side("scratchml", fit=_ours_fit("brute"), predict=_predict),
    ref=Side("scikit-learn", fit=_ref_fit("brute"), predict=_predict, requires=("sklearn",)),
    score=accuracy,
    score_name="query accuracy",
    compare=compare,
))
