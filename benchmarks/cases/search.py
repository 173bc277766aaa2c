"""Hyperparameter search: overhead, Bayesian efficiency, parallel speed-up.

``GridSearchCV[overhead]``: scratchml's ``GridSearchCV`` against scikit-learn's
with the *same* scratchml ``GaussianNB`` object, the *same* 200-value grid of
``var_smoothing`` and the *same* five KFold folds, on 2,000 x 10 data (quick:
40 candidates). The fits are identical, so the ratio measures what each search
loop adds (cloning, indexing, scoring, bookkeeping). Target: ratio <= 1.0.
Score: best mean CV accuracy; compare: largest |mean_test_score| difference.

``BayesSearchCV[SVC digits]``: tuning ``C`` and ``gamma`` (log scale) of
scikit-learn's ``SVC`` on the digits (scratchml's own SVC is being written
elsewhere; the estimator is the same on both sides) with 5-fold CV.
Reference: the exhaustive 8 x 8 grid (64 candidates, scikit-learn's
``GridSearchCV``). Ours: ``BayesSearchCV`` with 21 evaluations (one third),
mean best score over 5 seeds. Target: within 0.5 points of the grid's best.
Quick: 600 rows, 6 x 6 grid, 12 evaluations, 2 seeds. The time ratio here
compares 5 Bayesian searches with 1 grid search; the score is what matters.

``search[n_jobs=2 processes]``: the same 200-candidate search (quick: 20) of a
CPU-bound estimator whose fit takes about 50 ms, with ``n_jobs=2`` on
processes (ours) against serial (ref: also scratchml). Target: speed-up
(1 / ratio) >= 1.6 on 2 cores.
"""

from __future__ import annotations

import functools

import numpy as np

from benchmarks.harness import Case, Side, register
from scratchml.base import BaseEstimator, ClassifierMixin


@functools.lru_cache(maxsize=1)
def make_overhead_data(n: int, d: int, n_candidates: int, seed: int = 0) -> dict:
    from scratchml.model_selection import KFold
    from scratchml.naive_bayes import GaussianNB

    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    y = (X[:, 0] + 0.5 * rng.standard_normal(n) > 0).astype(np.int64)
    return {"X": X, "y": y, "folds": list(KFold(5).split(X)), "estimator": GaussianNB(),
            "grid": {"var_smoothing": list(np.logspace(-9, 1, n_candidates))}}


def _ours_grid(data):
    from scratchml.model_selection import GridSearchCV

    return GridSearchCV(data["estimator"], data["grid"], cv=data["folds"]).fit(
        data["X"], data["y"])


def _sklearn_grid(data):
    from sklearn.model_selection import GridSearchCV

    return GridSearchCV(data["estimator"], data["grid"], cv=data["folds"]).fit(
        data["X"], data["y"])


register(Case(
    name="GridSearchCV[overhead]",
    family="search",
    description="GridSearchCV of the same scratchml GaussianNB, 200 candidates x 5 KFold "
                "folds, X 2,000 x 10, serial",
    data=make_overhead_data,
    params=dict(n=2_000, d=10, n_candidates=200, seed=0),
    quick_params=dict(n=2_000, d=10, n_candidates=40, seed=0),
    ours=Side("scratchml", call=_ours_grid),
    ref=Side("scikit-learn", call=_sklearn_grid, requires=("sklearn",)),
    score=lambda search, data: float(search.best_score_),
    score_name="best mean CV accuracy",
    compare=lambda ours, ref, data: {"max |mean_test_score diff|": float(np.max(np.abs(
        ours.cv_results_["mean_test_score"] - ref.cv_results_["mean_test_score"])))},
))


@functools.lru_cache(maxsize=1)
def make_digits_data(n: int, grid_size: int, n_iter: int, n_seeds: int) -> dict:
    from scratchml.datasets import load_digits
    from scratchml.model_selection import StratifiedKFold

    d = load_digits()
    X, y = d.data[:n] / 16.0, d.target[:n]
    return {"X": X, "y": y, "folds": list(StratifiedKFold(5).split(X, y)),
            "C": list(np.logspace(-2, 3, grid_size)),
            "gamma": list(np.logspace(-5, 0, grid_size)), "n_iter": n_iter,
            "n_seeds": n_seeds}


def _ours_bayes(data):
    from sklearn.svm import SVC

    from scratchml.model_selection import BayesSearchCV, loguniform

    space = {"C": loguniform(data["C"][0], data["C"][-1]),
             "gamma": loguniform(data["gamma"][0], data["gamma"][-1])}
    return [BayesSearchCV(SVC(), space, n_iter=data["n_iter"],
                          n_initial_points=max(3, data["n_iter"] // 3), cv=data["folds"],
                          random_state=seed, refit=False).fit(data["X"], data["y"]).best_score_
            for seed in range(data["n_seeds"])]


def _sklearn_grid_svc(data):
    from sklearn.model_selection import GridSearchCV
    from sklearn.svm import SVC

    search = GridSearchCV(SVC(), {"C": data["C"], "gamma": data["gamma"]}, cv=data["folds"],
                          refit=False).fit(data["X"], data["y"])
    return [search.best_score_]


register(Case(
    name="BayesSearchCV[SVC digits]",
    family="search",
    description="BayesSearchCV (21 evaluations, mean of 5 seeds) vs the exhaustive 8 x 8 "
                "grid of sklearn.svm.SVC's C and gamma on digits, 5-fold",
    data=make_digits_data,
    params=dict(n=1797, grid_size=8, n_iter=21, n_seeds=5),
    quick_params=dict(n=600, grid_size=6, n_iter=12, n_seeds=2),
    ours=Side("scratchml", call=_ours_bayes, requires=("sklearn",)),
    ref=Side("scikit-learn", call=_sklearn_grid_svc, requires=("sklearn",)),
    score=lambda scores, data: 100 * float(np.mean(scores)),
    score_name="best CV accuracy (%), mean over seeds",
    compare=lambda ours, ref, data: {
        "gap to grid best (points)": 100 * float(ref[0] - np.mean(ours)),
        "evaluations / grid size": data["n_iter"] / len(data["C"]) ** 2},
    repeats=1, quick_repeats=1, measure_memory=False,
))


class BusyClassifier(ClassifierMixin, BaseEstimator):
    """Nearest-centroid classifier whose fit also burns ``work`` rounds of elementwise math.

    The extra work is CPU-bound NumPy without BLAS (so one fit uses one core) and
    does not change the model: it stands in for an estimator with a ~50 ms fit.
    """

    def __init__(self, work: int = 450, shrink: float = 0.0):
        self.work = work
        self.shrink = shrink

    def fit(self, X, y):
        X, y = np.asarray(X, dtype=float), np.asarray(y)
        self.classes_ = np.unique(y)
        centers = np.stack([X[y == c].mean(axis=0) for c in self.classes_])
        self.centers_ = (1 - self.shrink) * centers
        buf = np.linspace(0.0, 1.0, 20_000)
        for _ in range(self.work):
            buf = np.sqrt(buf * buf + 1.0) - 1.0
        self.n_features_in_ = X.shape[1]
        return self

    def predict(self, X):
        d = ((np.asarray(X)[:, None, :] - self.centers_[None]) ** 2).sum(-1)
        return self.classes_[np.argmin(d, axis=1)]


@functools.lru_cache(maxsize=1)
def make_parallel_data(n_candidates: int, work: int) -> dict:
    rng = np.random.default_rng(0)
    X = rng.standard_normal((500, 5))
    y = (X[:, 0] > 0).astype(np.int64)
    return {"X": X, "y": y, "grid": {"shrink": list(np.linspace(0, 0.9, n_candidates))},
            "work": work}


def _search_jobs(data, n_jobs, executor=None):
    from scratchml.model_selection import GridSearchCV

    return GridSearchCV(BusyClassifier(work=data["work"]), data["grid"], cv=5, n_jobs=n_jobs,
                        executor=executor).fit(data["X"], data["y"])


register(Case(
    name="search[n_jobs=2 processes]",
    family="search",
    description="GridSearchCV of a ~50 ms-fit estimator, 200 candidates x 5 folds: "
                "n_jobs=2 on processes (ours) vs serial (ref, also scratchml)",
    data=make_parallel_data,
    params=dict(n_candidates=200, work=450),
    quick_params=dict(n_candidates=20, work=450),
    ours=Side("scratchml n_jobs=2", call=lambda d: _search_jobs(d, 2, "processes")),
    ref=Side("scratchml serial", call=lambda d: _search_jobs(d, None)),
    score=lambda search, data: float(search.best_score_),
    score_name="best mean CV accuracy",
    compare=lambda ours, ref, data: {"same cv_results_": float(np.array_equal(
        ours.cv_results_["mean_test_score"], ref.cv_results_["mean_test_score"]))},
    repeats=1, quick_repeats=1, measure_memory=False,
))
