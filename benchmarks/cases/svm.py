"""Support vector machines against scikit-learn's libsvm / liblinear.

* ``svc_rbf[n x 20]``: SVC(kernel="rbf") with default C and gamma on a
  ``make_classification`` problem (n training rows, 2,000 held out);
* ``svc_rbf_digits``: SVC(kernel="rbf") on the bundled digits, 10 classes (45
  one-vs-one problems), 1,347 training rows and 450 held out;
* ``linear_svc[n x 10]``: LinearSVC(dual=True) (squared hinge, dual coordinate
  descent, the Cython kernel) against scikit-learn's LinearSVC(dual=True);
  ``linear_svc_auto``: both libraries' defaults, dual="auto", which on tall data means
  a primal Newton method on both sides (scratchml's in NumPy, liblinear's TRON).

Scores: held-out accuracy of each side; compare: the accuracy difference and the
ratio of support-vector counts (SVC) or the largest coefficient difference (LinearSVC).
"""

from __future__ import annotations

import functools

import numpy as np

from benchmarks.harness import Case, Side, register

N_TEST = 2000


@functools.lru_cache(maxsize=2)
def make_blobs_data(n: int, d: int, seed: int = 0) -> dict:
    from scratchml.datasets import make_classification

    X, y = make_classification(n_samples=n + N_TEST, n_features=d, n_informative=d // 2,
                               random_state=seed)
    return {"X": X[:n], "y": y[:n], "X_test": X[n:], "y_test": y[n:]}


@functools.lru_cache(maxsize=1)
def make_digits(seed: int = 0) -> dict:
    from scratchml.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    perm = np.random.default_rng(seed).permutation(len(y))
    tr, te = perm[:1347], perm[1347:]
    return {"X": X[tr], "y": y[tr], "X_test": X[te], "y_test": y[te]}


def _svc(lib: str):
    def fit(d):
        if lib == "scratchml":
            from scratchml.svm import SVC
        else:
            from sklearn.svm import SVC
        return SVC(kernel="rbf").fit(d["X"], d["y"])

    return fit


def _linear_svc(lib: str, dual=True):
    def fit(d):
        if lib == "scratchml":
            from scratchml.svm import LinearSVC

            return LinearSVC(dual=dual, random_state=0).fit(d["X"], d["y"])
        from sklearn.svm import LinearSVC

        return LinearSVC(dual=dual, random_state=0).fit(d["X"], d["y"])

    return fit


def predict_test(model, d):
    return model, model.predict(d["X_test"])


def accuracy(output, d) -> float:
    return float(np.mean(output[1] == d["y_test"]))


def compare_svc(ours, ref, d) -> dict:
    return {
        "accuracy diff (points)": 100 * (accuracy(ours, d) - accuracy(ref, d)),
        "n_SV ours / sklearn": float(ours[0].n_support_.sum() / ref[0].n_support_.sum()),
        "n_SV ours": int(ours[0].n_support_.sum()),
    }


def compare_linear(ours, ref, d) -> dict:
    return {
        "accuracy diff (points)": 100 * (accuracy(ours, d) - accuracy(ref, d)),
        "max |coef diff|": float(np.max(np.abs(ours[0].coef_ - ref[0].coef_))),
    }


def _case(name, description, data, params, quick, ours_fit, ref_fit, compare):
    register(Case(
        name=name, family="svm", description=description, data=data,
        params=params, quick_params=quick,
        ours=Side("scratchml", fit=ours_fit, predict=predict_test),
        ref=Side("scikit-learn", fit=ref_fit, predict=predict_test, requires=("sklearn",)),
        score=accuracy, score_name="held-out accuracy", compare=compare,
    ))


_case("svc_rbf[n x 20]", "SVC rbf, make_classification 10,000 x 20 (+2,000 held out)",
      make_blobs_data, dict(n=10_000, d=20), dict(n=2_000, d=20),
      _svc("scratchml"), _svc("sklearn"), compare_svc)
_case("svc_rbf_digits", "SVC rbf on digits, 10 classes (1,347 train / 450 test)",
      make_digits, dict(seed=0), dict(seed=0), _svc("scratchml"), _svc("sklearn"), compare_svc)
_case("linear_svc[n x 10]", "LinearSVC squared hinge vs LinearSVC(dual=True), 30,000 x 10",
      make_blobs_data, dict(n=30_000, d=10), dict(n=5_000, d=10),
      _linear_svc("scratchml", dual=True), _linear_svc("sklearn", dual=True), compare_linear)
_case("linear_svc_auto[n x 10]", "LinearSVC defaults (dual='auto': primal Newton) on both "
      "sides, 30,000 x 10", make_blobs_data, dict(n=30_000, d=10), dict(n=5_000, d=10),
      _linear_svc("scratchml", dual="auto"), _linear_svc("sklearn", dual="auto"),
      compare_linear)
