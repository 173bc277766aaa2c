"""Cross-validation: cross_validate, cross_val_score, cross_val_predict.

For each split (train, test) of the data, a fresh clone of the estimator is
fitted on the training rows and scored on the test rows:

    CV score = (1/k) Σ_j score(f̂_{-j}, X_j, y_j),

where f̂_{-j} is fitted without fold j. Clones come from
:func:`scratchml.base.clone` (scikit-learn estimators are cloned through their
``get_params``), so no fold sees another's fit. Folds run in parallel with
``n_jobs`` (see :mod:`scratchml.model_selection._parallel`); the results are
the same for any ``n_jobs`` and executor.
"""

from __future__ import annotations

import numbers
import time
import traceback
import warnings
from collections import Counter

import numpy as np

from ..base import clone
from ..exceptions import FitFailedWarning
from ._parallel import run_tasks
from ._scoring import _as_number, check_scoring, resolve_scoring
from ._split import check_cv
from ._utils import _index_params, _is_classifier, _num_samples, _safe_rows


def _check_error_score(error_score):
    if not (isinstance(error_score, numbers.Number) or error_score == "raise"):
        raise ValueError(
            f"error_score={error_score!r} is invalid: use the string 'raise' or a number "
            "(e.g. numpy.nan)."
        )


def _score(estimator, X, y, scorer, error_score):
    """The score (or dict of scores) of a fitted estimator on (X, y)."""
    def one(s):
        try:
            value = s(estimator, X) if y is None else s(estimator, X, y)
        except Exception:
            if error_score == "raise":
                raise
            warnings.warn(
                f"Scoring failed. The score on this train-test partition will be set to "
                f"{error_score}. Details:\n{traceback.format_exc()}", UserWarning, stacklevel=2)
            return error_score
        if isinstance(value, dict):
            return {k: _as_number(v, s) for k, v in value.items()}
        return _as_number(value, s)

    if isinstance(scorer, dict):
        return {name: one(s) for name, s in scorer.items()}
    return one(scorer)


def _fit_and_score(estimator, X, y, scorer, train, test, fit_params=None, parameters=None,
                   return_train_score=False, return_estimator=False, error_score=np.nan):
    """Fit ``estimator`` on the rows ``train`` and score it on ``test`` (one task)."""
    n_samples = _num_samples(X)
    fit_params = _index_params(fit_params, train, n_samples)
    if parameters:
        estimator.set_params(**clone(parameters, safe=False))
    X_train, y_train = _safe_rows(X, train), _safe_rows(y, train)
    X_test, y_test = _safe_rows(X, test), _safe_rows(y, test)
    result = {"fit_error": None}
    start = time.perf_counter()
    try:
        if y_train is None:
            estimator.fit(X_train, **fit_params)
        else:
            estimator.fit(X_train, y_train, **fit_params)
    except Exception:
        if error_score == "raise":
            raise
        result["fit_time"] = time.perf_counter() - start
        result["score_time"] = 0.0
        result["fit_error"] = traceback.format_exc()
        failed = ({name: error_score for name in scorer} if isinstance(scorer, dict)
                  else error_score)
        result["test_scores"] = failed
        if return_train_score:
            result["train_scores"] = failed
    else:
        result["fit_time"] = time.perf_counter() - start
        result["test_scores"] = _score(estimator, X_test, y_test, scorer, error_score)
        result["score_time"] = time.perf_counter() - start - result["fit_time"]
        if return_train_score:
            result["train_scores"] = _score(estimator, X_train, y_train, scorer, error_score)
    if return_estimator:
        result["estimator"] = estimator
    return result


def _warn_or_raise_about_fit_failures(results, error_score):
    errors = [r["fit_error"] for r in results if r["fit_error"] is not None]
    if not errors:
        return
    bar = "-" * 80 + "\n"
    summary = "\n".join(f"{bar}{n} fits failed with the following error:\n{err}"
                        for err, n in Counter(errors).items())
    if len(errors) == len(results):
        raise ValueError(
            f"\nAll the {len(results)} fits failed.\nIt is very likely that your model is "
            "misconfigured.\nYou can try to debug the error by setting error_score='raise'."
            f"\n\nBelow are more details about the failures:\n{summary}"
        )
    warnings.warn(
        f"\n{len(errors)} fits failed out of a total of {len(results)}.\nThe score on these "
        f"train-test partitions will be set to {error_score}.\nIf these failures are not "
        f"expected, you can try to debug them by setting error_score='raise'.\n\nBelow are "
        f"more details about the failures:\n{summary}", FitFailedWarning, stacklevel=3)


def _insert_error_scores(results, error_score):
    """A callable scorer may return a dict: give failed folds that dict's keys too."""
    good = next((r["test_scores"] for r in results if r["fit_error"] is None), None)
    if isinstance(good, dict):
        for r in results:
            if r["fit_error"] is not None:
                r["test_scores"] = {name: error_score for name in good}
                if "train_scores" in r:
                    r["train_scores"] = dict(r["test_scores"])


def _scores_by_name(scores: list) -> dict:
    if isinstance(scores[0], dict):
        return {name: np.asarray([s[name] for s in scores]) for name in scores[0]}
    return {"score": np.asarray(scores)}


def cross_validate(estimator, X, y=None, *, groups=None, scoring=None, cv=None, n_jobs=None,
                   verbose: int = 0, params: dict | None = None, pre_dispatch="2*n_jobs",
                   return_train_score: bool = False, return_estimator: bool = False,
                   return_indices: bool = False, error_score=np.nan) -> dict:
    """Evaluate metric(s) by cross-validation, recording fit and score times.

    Parameters
    ----------
    estimator : estimator with ``fit`` (scratchml or scikit-learn)
    X : array-like of shape (n_samples, n_features)
        Lists, NumPy arrays or pandas frames (rows taken with ``.iloc``).
    y : array-like or None
    groups : array-like or None
        Group labels, for group splitters.
    scoring : None, str, callable, list/tuple of str, or dict name -> scorer
    cv : None, int, splitter or iterable of (train, test), default=None (5-fold)
        Integers give ``StratifiedKFold`` for classifiers, else ``KFold``.
    n_jobs : int or None
        None/1: sequential; >1 or -1: folds in parallel on the configured executor.
    verbose, pre_dispatch :
        Accepted for scikit-learn compatibility; ignored.
    params : dict or None
        Fit parameters; per-sample arrays (``sample_weight``) are split with the rows.
    return_train_score, return_estimator, return_indices : bool
    error_score : 'raise' or number, default=nan
        Score of a fold whose fit fails (a ``FitFailedWarning`` says so).

    Returns
    -------
    scores : dict
        ``fit_time``, ``score_time`` and ``test_<name>`` arrays of length n_splits
        (``test_score`` for a single metric); ``train_<name>``, ``estimator`` and
        ``indices`` when asked for.

    Examples
    --------
    >>> from scratchml.model_selection import cross_validate
    >>> from scratchml.neighbors import NearestCentroid
    >>> X = [[0], [1], [2], [10], [11], [12]]
    >>> y = [0, 0, 0, 1, 1, 1]
    >>> cross_validate(NearestCentroid(), X, y, cv=3)["test_score"]
    array([1., 1., 1.])
    """
    _check_error_score(error_score)
    scorers = resolve_scoring(estimator, scoring)
    cv = check_cv(cv, y, classifier=_is_classifier(estimator))
    splits = list(cv.split(X, y, groups))
    tasks = [(clone(estimator), X, y, scorers, train, test, params, None, return_train_score,
              return_estimator, error_score) for train, test in splits]
    results = run_tasks(_fit_and_score, tasks, n_jobs)
    _warn_or_raise_about_fit_failures(results, error_score)
    if callable(scoring):
        _insert_error_scores(results, error_score)
    ret = {"fit_time": np.asarray([r["fit_time"] for r in results]),
           "score_time": np.asarray([r["score_time"] for r in results])}
    if return_estimator:
        ret["estimator"] = [r["estimator"] for r in results]
    if return_indices:
        ret["indices"] = {"train": tuple(tr for tr, _ in splits),
                          "test": tuple(te for _, te in splits)}
    test = _scores_by_name([r["test_scores"] for r in results])
    train = _scores_by_name([r["train_scores"] for r in results]) if return_train_score else {}
    for name, values in test.items():
        ret[f"test_{name}"] = values
        if return_train_score:
            ret[f"train_{name}"] = train[name]
    return ret


def cross_val_score(estimator, X, y=None, *, groups=None, scoring=None, cv=None, n_jobs=None,
                    verbose: int = 0, params: dict | None = None, pre_dispatch="2*n_jobs",
                    error_score=np.nan) -> np.ndarray:
    """Score of each cross-validation split, for a single metric.

    Same arguments as :func:`cross_validate`, with ``scoring`` one metric (None,
    a name, or a callable).

    Returns
    -------
    scores : ndarray of shape (n_splits,)

    Examples
    --------
    >>> from scratchml.model_selection import cross_val_score
    >>> from scratchml.neighbors import NearestCentroid
    >>> cross_val_score(NearestCentroid(), [[0], [1], [9], [10]], [0, 0, 1, 1], cv=2)
    array([1., 1.])
    """
    scorer = check_scoring(estimator, scoring)
    out = cross_validate(estimator, X, y, groups=groups, scoring={"score": scorer}, cv=cv,
                         n_jobs=n_jobs, params=params, error_score=error_score)
    return out["test_score"]


def _enforce_prediction_order(classes, predictions, n_classes: int, method: str):
    """Give a fold's class-probability columns their place among all classes.

    A fold whose training rows miss some classes predicts fewer columns; they are
    spread into n_classes columns (0 for a missing class's probability, the most
    negative float for log-probabilities and decision values).
    """
    if n_classes == len(classes):
        return predictions
    warnings.warn(
        f"Number of classes in training fold ({len(classes)}) does not match total number of "
        f"classes ({n_classes}). Results may not be appropriate for your use case. To fix "
        "this, use a cross-validation technique resulting in properly stratified folds",
        RuntimeWarning, stacklevel=3)
    if method == "decision_function":
        if predictions.ndim == 2 and predictions.shape[1] != len(classes):
            raise ValueError(
                f"Output shape {predictions.shape} of {method} does not match number of "
                f"classes ({len(classes)}) in fold; irregular decision_function outputs are "
                "not supported by cross_val_predict.")
        if len(classes) <= 2:
            raise ValueError(
                f"Only {len(classes)} class/es in training fold, but {n_classes} in overall "
                "dataset. This is not supported for decision_function with imbalanced folds. "
                "Use a stratified splitter.")
    fill = 0 if method == "predict_proba" else np.finfo(predictions.dtype).min
    full = np.full((len(predictions), n_classes), fill, dtype=predictions.dtype)
    full[:, np.asarray(classes, dtype=np.intp)] = predictions
    return full


def _fit_and_predict(estimator, X, y, train, test, fit_params, method, encode):
    n_samples = _num_samples(X)
    fit_params = _index_params(fit_params, train, n_samples)
    X_train, y_train = _safe_rows(X, train), _safe_rows(y, train)
    if y_train is None:
        estimator.fit(X_train, **fit_params)
    else:
        estimator.fit(X_train, y_train, **fit_params)
    predictions = getattr(estimator, method)(_safe_rows(X, test))
    if encode:
        if isinstance(predictions, list):
            predictions = [
                _enforce_prediction_order(estimator.classes_[i], np.asarray(p),
                                          len(np.unique(y[:, i])), method)
                for i, p in enumerate(predictions)]
        else:
            n_classes = len(np.unique(y)) if y.ndim == 1 else y.shape[1]
            predictions = _enforce_prediction_order(estimator.classes_, np.asarray(predictions),
                                                    n_classes, method)
    return predictions


def cross_val_predict(estimator, X, y=None, *, groups=None, cv=None, n_jobs=None,
                      verbose: int = 0, params: dict | None = None, pre_dispatch="2*n_jobs",
                      method: str = "predict"):
    """Out-of-fold predictions: each sample predicted by the model that did not train on it.

    ``cv`` must partition the samples (each in exactly one test fold). For
    ``predict_proba``, ``predict_log_proba`` and ``decision_function`` the labels
    are encoded as 0..K−1 over the whole y before fitting, so every fold's columns
    line up with all K classes even when a fold misses one.

    Parameters
    ----------
    estimator, X, y, groups, cv, n_jobs, verbose, params, pre_dispatch :
        As in :func:`cross_validate`.
    method : str, default="predict"
        Any output method of the estimator: ``predict``, ``predict_proba``,
        ``predict_log_proba``, ``decision_function``, ``transform``...

    Returns
    -------
    predictions : ndarray (or list of ndarrays for multi-output probabilities)

    Examples
    --------
    >>> from scratchml.model_selection import cross_val_predict
    >>> from scratchml.neighbors import NearestCentroid
    >>> cross_val_predict(NearestCentroid(), [[0], [1], [9], [10]], [0, 0, 1, 1], cv=2)
    array([0, 0, 1, 1])
    """
    if not isinstance(method, str) or not hasattr(estimator, method):
        raise ValueError(f"method={method!r} is not a method of {type(estimator).__name__}; "
                         "use e.g. 'predict', 'predict_proba' or 'decision_function'.")
    cv = check_cv(cv, y, classifier=_is_classifier(estimator))
    splits = list(cv.split(X, y, groups))
    n_samples = _num_samples(X)
    test_indices = np.concatenate([np.asarray(test, dtype=np.intp) for _, test in splits])
    if len(test_indices) != n_samples or not np.array_equal(
            np.bincount(test_indices, minlength=n_samples), np.ones(n_samples, dtype=np.intp)):
        raise ValueError("cross_val_predict only works for partitions: every sample must be "
                         "in exactly one test fold (use KFold-like splitters).")
    encode = method in ("decision_function", "predict_proba", "predict_log_proba") and \
        y is not None
    if encode:
        y = np.asarray(y)
        if y.ndim == 1:
            y = np.unique(y, return_inverse=True)[1].ravel()
        else:
            y = np.stack([np.unique(c, return_inverse=True)[1].ravel() for c in y.T], axis=1)
    tasks = [(clone(estimator), X, y, train, test, params, method, encode)
             for train, test in splits]
    predictions = run_tasks(_fit_and_predict, tasks, n_jobs)
    inverse = np.empty(n_samples, dtype=np.intp)
    inverse[test_indices] = np.arange(n_samples)
    if encode and isinstance(predictions[0], list):
        return [np.concatenate([p[i] for p in predictions])[inverse]
                for i in range(len(predictions[0]))]
    return np.concatenate([np.asarray(p) for p in predictions])[inverse]
