"""Cross-validation: the same scores as scikit-learn's functions on the same folds, for
scratchml and scikit-learn estimators; the same results for every n_jobs and executor."""

import warnings
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import scratchml
from scratchml.base import BaseEstimator, ClassifierMixin
from scratchml.model_selection import (
    FitFailedWarning,
    KFold,
    cross_val_predict,
    cross_val_score,
    cross_validate,
    learning_curve,
    validation_curve,
)
from scratchml.neighbors import NearestCentroid
from scratchml.pipeline import Pipeline
from scratchml.preprocessing import StandardScaler

skm = pytest.importorskip("sklearn.model_selection")
from sklearn.linear_model import LinearRegression, LogisticRegression  # noqa: E402


def _has_get_scorer() -> bool:
    try:
        return hasattr(scratchml.metrics, "get_scorer")
    except ImportError:
        return False


needs_get_scorer = pytest.mark.skipif(
    not _has_get_scorer(),
    reason="scratchml.metrics.get_scorer (string scoring names) is not written yet",
)


def _data(seed, n=60, p=3, n_classes=2):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    y = rng.integers(0, n_classes, n)
    X[:, 0] += 1.5 * y  # learnable, not perfectly
    return X, y


def _pipe():
    return Pipeline([("scale", StandardScaler()), ("clf", NearestCentroid())])


def _folds(n, k=4, seed=0):
    """One explicit list of folds handed to both libraries."""
    return list(skm.KFold(k, shuffle=True, random_state=seed).split(np.zeros((n, 1))))


# Both sides fit the same estimator code on the same rows, so scores agree to rounding.
TOL = 1e-12


@settings(max_examples=10)  # each example runs both libraries' full cross-validation
@given(st.integers(0, 10_000), st.sampled_from(["scratchml", "sklearn"]))
def test_cross_validate_matches_sklearn(seed, which):
    X, y = _data(seed)
    est = _pipe() if which == "scratchml" else LogisticRegression()
    folds = _folds(len(y), seed=seed)
    ours = cross_validate(est, X, y, cv=folds, return_train_score=True, return_estimator=True,
                          return_indices=True)
    theirs = skm.cross_validate(est, X, y, cv=folds, return_train_score=True)
    np.testing.assert_allclose(ours["test_score"], theirs["test_score"], rtol=0, atol=TOL)
    np.testing.assert_allclose(ours["train_score"], theirs["train_score"], rtol=0, atol=TOL)
    assert ours["fit_time"].shape == ours["score_time"].shape == (4,)
    assert all(e is not est for e in ours["estimator"])  # every fold fits its own clone
    for (_, te), got in zip(folds, ours["indices"]["test"]):
        np.testing.assert_array_equal(te, got)


def test_callable_and_dict_scoring_and_cross_val_score():
    X, y = _data(1)
    folds = _folds(len(y))

    def balanced(est, X, y):
        pred = est.predict(X)
        return float(np.mean([np.mean(pred[y == c] == c) for c in np.unique(y)]))

    ours = cross_validate(_pipe(), X, y, cv=folds, scoring={"bal": balanced, "own": None})
    theirs = skm.cross_validate(_pipe(), X, y, cv=folds, scoring={"bal": balanced})
    np.testing.assert_allclose(ours["test_bal"], theirs["test_bal"], rtol=0, atol=TOL)
    np.testing.assert_allclose(ours["test_own"], cross_val_score(_pipe(), X, y, cv=folds))
    np.testing.assert_allclose(cross_val_score(_pipe(), X, y, cv=folds, scoring=balanced),
                               skm.cross_val_score(_pipe(), X, y, cv=folds, scoring=balanced),
                               rtol=0, atol=TOL)
    with pytest.raises(ValueError, match="single metric"):
        cross_val_score(_pipe(), X, y, scoring=["accuracy"])


@needs_get_scorer
def test_string_scoring_matches_sklearn():
    X, y = _data(2, n_classes=3)
    folds = _folds(len(y))
    for scoring in ("accuracy", ["accuracy", "f1_macro"]):
        ours = cross_validate(_pipe(), X, y, cv=folds, scoring=scoring)
        theirs = skm.cross_validate(_pipe(), X, y, cv=folds, scoring=scoring)
        for key in theirs:
            if key.startswith("test_"):
                np.testing.assert_allclose(ours[key], theirs[key], rtol=0, atol=1e-10)
    yr = X @ np.array([1.0, -2.0, 0.5])
    np.testing.assert_allclose(
        cross_val_score(LinearRegression(), X, yr, cv=folds, scoring="neg_mean_squared_error"),
        skm.cross_val_score(LinearRegression(), X, yr, cv=folds,
                            scoring="neg_mean_squared_error"), rtol=1e-10, atol=1e-12)


def test_fold_rows_are_copies_even_for_contiguous_folds():
    # Unshuffled k-fold rows are a few contiguous runs, copied as slices: the copies must
    # still be new arrays, or a copy=False step would scale the caller's X in place.
    X, y = _data(10, n=3000)
    X0 = X.copy()
    pipe = Pipeline([("scale", StandardScaler(copy=False)), ("clf", NearestCentroid())])
    folds = list(skm.KFold(3).split(X))
    ours = cross_val_score(pipe, X, y, cv=KFold(3))
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_allclose(ours, skm.cross_val_score(pipe, X0, y, cv=folds), rtol=0,
                               atol=TOL)


def test_default_cv_is_stratified_for_classifiers_like_sklearn():
    X, y = _data(3)
    np.testing.assert_allclose(cross_val_score(_pipe(), X, y),
                               skm.cross_val_score(_pipe(), X, y), rtol=0, atol=TOL)
    yr = X[:, 0] * 2.0
    np.testing.assert_allclose(cross_val_score(LinearRegression(), X, yr, cv=3),
                               skm.cross_val_score(LinearRegression(), X, yr, cv=3),
                               rtol=0, atol=TOL)


def test_results_identical_for_every_n_jobs_and_executor():
    X, y = _data(4, n=80)
    kwargs = dict(cv=5, return_train_score=True)
    base = cross_validate(_pipe(), X, y, **kwargs)
    pred = cross_val_predict(_pipe(), X, y, cv=5)
    runs = {"threads": cross_validate(_pipe(), X, y, n_jobs=2, **kwargs)}
    with scratchml.config_context(executor="processes"):
        runs["processes"] = cross_validate(_pipe(), X, y, n_jobs=2, **kwargs)
        np.testing.assert_array_equal(cross_val_predict(_pipe(), X, y, cv=5, n_jobs=-1), pred)
    with ThreadPoolExecutor(3) as pool, scratchml.config_context(executor=pool):
        runs["user executor"] = cross_validate(_pipe(), X, y, n_jobs=-1, **kwargs)
    for name, out in runs.items():
        for key in ("test_score", "train_score"):
            np.testing.assert_array_equal(out[key], base[key], err_msg=name)
    with scratchml.config_context(executor="gpu"), pytest.raises(ValueError, match="executor"):
        cross_validate(_pipe(), X, y, n_jobs=2)
    with pytest.raises(ValueError, match="n_jobs=0"):
        cross_validate(_pipe(), X, y, n_jobs=0)


class _FailsOnLabel(ClassifierMixin, BaseEstimator):
    """Fails to fit when the training labels include ``bad``."""

    def __init__(self, bad=2):
        self.bad = bad

    def fit(self, X, y):
        if np.any(np.asarray(y) == self.bad):
            raise RuntimeError("cannot fit this fold")
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])


def test_error_score():
    X = np.zeros((6, 1))
    y = np.array([0, 1, 0, 1, 2, 2])
    folds = [(np.arange(4), np.arange(4, 6)), (np.arange(2, 6), np.arange(2))]
    with pytest.warns(FitFailedWarning, match="1 fits failed out of a total of 2"):
        scores = cross_val_score(_FailsOnLabel(), X, y, cv=folds, error_score=-1.0)
    np.testing.assert_array_equal(scores, [0.0, -1.0])
    with pytest.raises(RuntimeError, match="cannot fit"):
        cross_val_score(_FailsOnLabel(), X, y, cv=folds, error_score="raise")
    with pytest.raises(ValueError, match="All the 2 fits failed"):
        cross_val_score(_FailsOnLabel(bad=0), X, y, cv=folds)
    with pytest.raises(ValueError, match="error_score"):
        cross_val_score(_FailsOnLabel(), X, y, cv=folds, error_score="ignore")


def test_cross_val_predict_matches_sklearn():
    X, y = _data(5, n_classes=3)
    folds = _folds(len(y), k=3)
    for est, method in [(_pipe(), "predict"), (LogisticRegression(), "predict_proba"),
                        (LogisticRegression(), "decision_function"),
                        (StandardScaler(), "transform")]:
        yy = None if method == "transform" else y
        ours = cross_val_predict(est, X, yy, cv=folds, method=method)
        theirs = (np.concatenate([StandardScaler().fit(X[tr]).transform(X[te])
                                  for tr, te in folds])[np.argsort(np.concatenate(
                                      [te for _, te in folds]))]
                  if method == "transform"
                  else skm.cross_val_predict(est, X, yy, cv=folds, method=method))
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=TOL)


def test_cross_val_predict_aligns_probabilities_when_a_fold_misses_a_class():
    X, y = _data(6, n=30, n_classes=2)
    y = np.where(np.arange(30) < 3, 7, y)  # class 7 only in the first fold's rows
    folds = [(np.arange(10, 30), np.arange(10)), (np.arange(10), np.arange(10, 30))]
    with pytest.warns(RuntimeWarning, match="Number of classes in training fold"):
        ours = cross_val_predict(LogisticRegression(), X, y, cv=folds, method="predict_proba")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        theirs = skm.cross_val_predict(LogisticRegression(), X, y, cv=folds,
                                       method="predict_proba")
    assert ours.shape == (30, 3)
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=TOL)
    assert np.all(ours[:10, 2] == 0)  # the fold that never saw class 7 gives it 0
    with pytest.raises(ValueError, match="partitions"):
        cross_val_predict(_pipe(), X, y, cv=[(np.arange(20), np.arange(5))])


def test_learning_curve_matches_sklearn():
    X, y = _data(7, n=80)
    folds = _folds(80, k=4)
    for sizes in ([0.25, 0.5, 1.0], [10, 30, 60]):
        ours = learning_curve(_pipe(), X, y, cv=folds, train_sizes=sizes, return_times=True)
        theirs = skm.learning_curve(_pipe(), X, y, cv=folds, train_sizes=sizes)
        np.testing.assert_array_equal(ours[0], theirs[0])
        for a, b in zip(ours[1:3], theirs[1:3]):
            np.testing.assert_allclose(a, b, rtol=0, atol=TOL)
        assert ours[3].shape == ours[4].shape == (3, 4)
    sizes, train, test = learning_curve(_pipe(), X, y, cv=folds, shuffle=True, random_state=0,
                                        train_sizes=[0.5, 1.0])
    assert train.shape == test.shape == (2, 4)
    with pytest.raises(ValueError, match=r"within \(0, 1\]"):
        learning_curve(_pipe(), X, y, train_sizes=[0.0, 0.5])
    with pytest.warns(RuntimeWarning, match="duplicate"):
        learning_curve(_pipe(), X, y, cv=folds, train_sizes=[0.5, 0.5001])


def test_validation_curve_matches_sklearn():
    X, y = _data(8)
    folds = _folds(60, k=3)
    kwargs = dict(param_name="clf__metric", param_range=["euclidean", "manhattan"], cv=folds)
    ours = validation_curve(_pipe(), X, y, **kwargs)
    theirs = skm.validation_curve(_pipe(), X, y, **kwargs)
    for a, b in zip(ours, theirs):
        assert a.shape == (2, 3)
        np.testing.assert_allclose(a, b, rtol=0, atol=TOL)
    ours = validation_curve(LogisticRegression(), X, y, param_name="C",
                            param_range=[0.01, 1.0], cv=folds)
    theirs = skm.validation_curve(LogisticRegression(), X, y, param_name="C",
                                  param_range=[0.01, 1.0], cv=folds)
    np.testing.assert_allclose(ours[1], theirs[1], rtol=0, atol=TOL)


def test_fit_params_are_split_with_the_rows_and_pandas_input():
    pd = pytest.importorskip("pandas")
    X, y = _data(9)
    w = np.random.default_rng(0).uniform(0.1, 2.0, len(y))
    folds = _folds(len(y))
    ours = cross_validate(LogisticRegression(), X, y, cv=folds, params={"sample_weight": w})
    theirs = skm.cross_validate(LogisticRegression(), X, y, cv=folds,
                                params={"sample_weight": w})
    np.testing.assert_allclose(ours["test_score"], theirs["test_score"], rtol=0, atol=TOL)
    df = pd.DataFrame(X, columns=["a", "b", "c"], index=np.arange(len(y)) * 3)
    np.testing.assert_allclose(cross_val_score(_pipe(), df, pd.Series(y, index=df.index),
                                               cv=folds),
                               cross_val_score(_pipe(), X, y, cv=folds), rtol=0, atol=TOL)
    assert len(cross_val_score(_pipe(), X.tolist(), y.tolist(), cv=KFold(3))) == 3
