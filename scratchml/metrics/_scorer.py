"""Scorers: ``scorer(estimator, X, y) -> float``, where greater is always better.

A scorer asks the estimator for the response its metric needs (``predict``,
``predict_proba`` or ``decision_function``), applies the metric, and flips
the sign of losses (``neg_mean_squared_error`` = −MSE), so that model
selection can always maximize. The names are scikit-learn's.
"""

from __future__ import annotations

import copy
import difflib
import inspect
from collections.abc import Callable

import numpy as np

from ..base import get_estimator_type
from ._classification import accuracy_score, balanced_accuracy_score, matthews_corrcoef
from ._classification_proba import brier_score_loss, log_loss
from ._cluster import adjusted_rand_score, normalized_mutual_info_score
from ._precision_recall import f1_score, precision_score, recall_score
from ._ranking import average_precision_score, roc_auc_score
from ._regression import (
    explained_variance_score,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    median_absolute_error,
    r2_score,
    root_mean_squared_error,
)

__all__ = ["check_scoring", "get_scorer", "get_scorer_names", "make_scorer"]

_RESPONSE_METHODS = ("predict", "predict_proba", "decision_function")


def _response(estimator, response_method, X, pos_label):
    """The estimator's response, reduced to the positive class for binary classifiers."""
    names = [response_method] if isinstance(response_method, str) else list(response_method)
    name = next((m for m in names if hasattr(estimator, m)), None)
    if name is None:
        raise AttributeError(
            f"{type(estimator).__name__} has none of the following attributes: "
            f"{', '.join(names)}."
        )
    if get_estimator_type(estimator) != "classifier":
        return getattr(estimator, name)(X)
    classes = np.asarray(estimator.classes_)
    binary = classes.shape[0] == 2
    if binary:
        if pos_label is not None and not np.any(classes == pos_label):
            raise ValueError(
                f"pos_label={pos_label!r} is not a valid label: It should be one of {classes}"
            )
        pos_label = classes[-1] if pos_label is None else pos_label
    y_pred = getattr(estimator, name)(X)
    if binary and name == "predict_proba":
        y_pred = np.asarray(y_pred)
        if y_pred.ndim != 2 or y_pred.shape[1] < 2:
            raise ValueError(f"Got predict_proba of shape {y_pred.shape}, but need "
                             "classifier with two classes.")
        return y_pred[:, np.flatnonzero(classes == pos_label)[0]]
    if binary and name == "decision_function" and pos_label == classes[0]:
        # decision_function scores the greater class; flip it for the other one.
        return -1 * np.asarray(y_pred)
    return y_pred


class _Scorer:
    """Callable ``scorer(estimator, X, y_true, sample_weight=None) -> float``.

    Picklable when ``score_func`` is (any module-level function is).
    """

    def __init__(self, score_func: Callable, sign: int, kwargs: dict,
                 response_method="predict"):
        self._score_func = score_func
        self._sign = sign
        self._kwargs = kwargs
        self._response_method = response_method

    def _get_pos_label(self):
        if "pos_label" in self._kwargs:
            return self._kwargs["pos_label"]
        try:
            params = inspect.signature(self._score_func).parameters
        except (TypeError, ValueError):
            return None
        return params["pos_label"].default if "pos_label" in params else None

    def __call__(self, estimator, X, y_true, sample_weight=None, **kwargs):
        """Score ``estimator`` on ``X`` against ``y_true`` (greater is better)."""
        regressor = get_estimator_type(estimator) == "regressor"
        pos_label = None if regressor else self._get_pos_label()
        y_pred = _response(estimator, self._response_method, X, pos_label)
        params = {**self._kwargs, **kwargs}
        if sample_weight is not None:
            params["sample_weight"] = sample_weight
        score = self._score_func(y_true, y_pred, **params)
        return float(self._sign * score) if np.ndim(score) == 0 else self._sign * score

    def __repr__(self) -> str:
        name = getattr(self._score_func, "__name__", repr(self._score_func))
        sign = "" if self._sign > 0 else ", greater_is_better=False"
        extra = "".join(f", {k}={v}" for k, v in self._kwargs.items())
        return f"make_scorer({name}{sign}, response_method={self._response_method!r}{extra})"


class _PassthroughScorer:
    """Scorer that defers to ``estimator.score`` (what ``scoring=None`` means)."""

    def __init__(self, estimator):
        self._estimator = estimator

    def __call__(self, estimator, *args, **kwargs):
        return estimator.score(*args, **kwargs)

    def __repr__(self) -> str:
        return f"{type(self._estimator).__name__}.score"


def make_scorer(score_func: Callable, *, response_method="predict",
                greater_is_better: bool = True, **kwargs) -> _Scorer:
    """Wrap a metric ``score_func(y_true, y_pred, **kwargs)`` into a scorer.

    The scorer returns ``sign * score_func(y, estimator.<response_method>(X))``
    with sign −1 when ``greater_is_better`` is False. For binary classifiers,
    ``predict_proba`` is reduced to the positive class's column (``pos_label``
    from kwargs or the metric's default, else the greater class).

    Parameters
    ----------
    score_func : callable
    response_method : {"predict", "predict_proba", "decision_function"} or list of them
        A list means: the first method the estimator has.
    greater_is_better : bool, default=True
    **kwargs : extra arguments passed to ``score_func``.

    Returns
    -------
    scorer : callable

    Examples
    --------
    >>> from scratchml.metrics import fbeta_score, make_scorer
    >>> make_scorer(fbeta_score, beta=2)
    make_scorer(fbeta_score, response_method='predict', beta=2)
    """
    if not callable(score_func):
        raise ValueError(f"score_func must be callable, got {score_func!r}.")
    methods = [response_method] if isinstance(response_method, str) else response_method
    if not isinstance(methods, (list, tuple)) or not methods or any(
            m not in _RESPONSE_METHODS for m in methods):
        raise ValueError(
            f"response_method={response_method!r} is not supported; use one of "
            f"{_RESPONSE_METHODS} or a list of them."
        )
    return _Scorer(score_func, 1 if greater_is_better else -1, kwargs, response_method)


_PROBA_OR_DECISION = ("decision_function", "predict_proba")

_SCORERS = dict(
    explained_variance=make_scorer(explained_variance_score),
    r2=make_scorer(r2_score),
    neg_median_absolute_error=make_scorer(median_absolute_error, greater_is_better=False),
    neg_mean_absolute_error=make_scorer(mean_absolute_error, greater_is_better=False),
    neg_mean_absolute_percentage_error=make_scorer(mean_absolute_percentage_error,
                                                   greater_is_better=False),
    neg_mean_squared_error=make_scorer(mean_squared_error, greater_is_better=False),
    neg_root_mean_squared_error=make_scorer(root_mean_squared_error,
                                            greater_is_better=False),
    accuracy=make_scorer(accuracy_score),
    balanced_accuracy=make_scorer(balanced_accuracy_score),
    matthews_corrcoef=make_scorer(matthews_corrcoef),
    roc_auc=make_scorer(roc_auc_score, response_method=_PROBA_OR_DECISION),
    roc_auc_ovr=make_scorer(roc_auc_score, response_method="predict_proba",
                            multi_class="ovr"),
    roc_auc_ovo=make_scorer(roc_auc_score, response_method="predict_proba",
                            multi_class="ovo"),
    roc_auc_ovr_weighted=make_scorer(roc_auc_score, response_method="predict_proba",
                                     multi_class="ovr", average="weighted"),
    roc_auc_ovo_weighted=make_scorer(roc_auc_score, response_method="predict_proba",
                                     multi_class="ovo", average="weighted"),
    average_precision=make_scorer(average_precision_score,
                                  response_method=_PROBA_OR_DECISION),
    neg_log_loss=make_scorer(log_loss, greater_is_better=False,
                             response_method="predict_proba"),
    neg_brier_score=make_scorer(brier_score_loss, greater_is_better=False,
                                response_method="predict_proba"),
    adjusted_rand_score=make_scorer(adjusted_rand_score),
    normalized_mutual_info_score=make_scorer(normalized_mutual_info_score),
)
for _name, _metric in (("precision", precision_score), ("recall", recall_score),
                       ("f1", f1_score)):
    _SCORERS[_name] = make_scorer(_metric, average="binary")
    for _average in ("macro", "micro", "weighted"):
        _SCORERS[f"{_name}_{_average}"] = make_scorer(_metric, pos_label=None,
                                                      average=_average)


def get_scorer_names() -> list[str]:
    """Sorted names accepted by :func:`get_scorer`.

    Examples
    --------
    >>> from scratchml.metrics import get_scorer_names
    >>> "neg_mean_squared_error" in get_scorer_names()
    True
    """
    return sorted(_SCORERS)


def get_scorer(scoring):
    """The scorer named ``scoring`` (a fresh copy), or ``scoring`` itself if callable.

    Parameters
    ----------
    scoring : str or callable
        A name from :func:`get_scorer_names`, or a ``scorer(estimator, X, y)``.
        ``None`` is not accepted here: use :func:`check_scoring` for the
        estimator's own ``score`` method.

    Returns
    -------
    scorer : callable

    Examples
    --------
    >>> from scratchml.metrics import get_scorer
    >>> get_scorer("neg_mean_absolute_error")
    make_scorer(mean_absolute_error, greater_is_better=False, response_method='predict')
    """
    if isinstance(scoring, str):
        if scoring not in _SCORERS:
            close = difflib.get_close_matches(scoring, _SCORERS, n=3, cutoff=0.6)
            hint = f" Did you mean {' or '.join(map(repr, close))}?" if close else ""
            raise ValueError(
                f"{scoring!r} is not a valid scoring value.{hint} Use "
                "scratchml.metrics.get_scorer_names() to get valid options."
            )
        return copy.deepcopy(_SCORERS[scoring])
    if callable(scoring):
        return scoring
    raise ValueError(
        f"scoring={scoring!r} is neither a scorer name nor a callable; pass a name from "
        "get_scorer_names(), a callable scorer(estimator, X, y), or use "
        "check_scoring(estimator) for the estimator's score method."
    )


def check_scoring(estimator=None, scoring=None, *, allow_none: bool = False):
    """Scorer for ``scoring``; with ``scoring=None``, one that calls ``estimator.score``.

    Parameters
    ----------
    estimator : estimator object, default=None
    scoring : str, callable or None, default=None
    allow_none : bool, default=False
        Return None (instead of raising) when scoring is None and the
        estimator has no ``score`` method.

    Returns
    -------
    scorer : callable or None

    Examples
    --------
    >>> from scratchml.metrics import check_scoring
    >>> check_scoring(scoring="r2")
    make_scorer(r2_score, response_method='predict')
    """
    if scoring is not None:
        if isinstance(scoring, (list, tuple, set, dict)):
            raise ValueError("Multi-metric scoring (a list or dict) is not supported; pass a "
                             "single name or callable.")
        return get_scorer(scoring)
    if hasattr(estimator, "score"):
        return _PassthroughScorer(estimator)
    if allow_none:
        return None
    raise TypeError(
        "If no scoring is specified, the estimator passed should have a 'score' method. "
        f"The estimator {estimator!r} does not."
    )
