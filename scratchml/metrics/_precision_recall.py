"""Precision, recall and F-beta, per class or averaged.

With labels encoded 0..k-1, three bincounts give the per-class counts

    tp_c = #{i : t_i = p_i = c},   pred_c = #{i : p_i = c},   true_c = #{i : t_i = c},

and every score is a ratio of them. A zero denominator gives ``zero_division``
(and an :class:`UndefinedMetricWarning` for "warn"), as in scikit-learn.
"""

from __future__ import annotations

import warnings

import numpy as np

from ._base import contains, fill_doc, label_index, nan_average, take_or_zero, warn_undefined
from ._classification import _check_targets

__all__ = ["f1_score", "fbeta_score", "precision_recall_fscore_support", "precision_score",
           "recall_score"]

_AVERAGES = (None, "micro", "macro", "weighted", "samples")

# The parameters and return value shared by the single-score functions below
# (fbeta_score adds ``beta`` where {beta} stands), filled in by ``fill_doc``.
_SCORE_PARAMS = """See :func:`precision_recall_fscore_support` for the averaging rules.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,){beta}
    labels : array-like, default=None
        Labels to include (and their order when ``average=None``).
    pos_label : int, float, bool or str, default=1
        The class scored when ``average="binary"``.
    average : {"binary", "micro", "macro", "weighted"} or None, default="binary"
    sample_weight : array-like of shape (n_samples,), default=None
    zero_division : {"warn", 0, 1, np.nan}, default="warn"

    Returns
    -------
    score : float, or ndarray of shape (n_labels,) when ``average=None``"""

_BETA_PARAM = """
    beta : float
        Weight of recall relative to precision (β > 1 favours recall)."""


def _zero_division_value(zero_division) -> float:
    if isinstance(zero_division, str) and zero_division == "warn":
        return 0.0
    if isinstance(zero_division, (int, float, np.number)) and not isinstance(zero_division, bool):
        if zero_division in (0, 1):
            return float(zero_division)
        if np.isnan(zero_division):
            return float("nan")
    raise ValueError(
        f"zero_division={zero_division!r} is not supported; use 'warn', 0, 1 or np.nan."
    )


def _warn_prf(average, modifier: str, msg_start: str, result_size: int) -> None:
    axis0, axis1 = ("label", "sample") if average == "samples" else ("sample", "label")
    where = "due to" if result_size == 1 else f"in {axis1}s with"
    warn_undefined(
        f"{msg_start} ill-defined and being set to 0.0 {where} no {modifier} {axis0}s. "
        "Use `zero_division` parameter to control this behavior.", stacklevel=4,
    )


def _prf_divide(numerator, denominator, metric, modifier, average, warn_for, zero_division):
    """numerator / denominator, with ``zero_division`` where the denominator is 0."""
    mask = denominator == 0
    denominator = np.asarray(denominator, dtype=np.float64).copy()
    denominator[mask] = 1
    result = np.asarray(numerator, dtype=np.float64) / denominator
    if not mask.any():
        return result
    result[mask] = _zero_division_value(zero_division)
    if isinstance(zero_division, str) and metric in warn_for:
        _warn_prf(average, modifier, f"{metric.capitalize()} is", result.shape[0])
    return result


def _set_wise_labels(y_type, classes, average, labels, pos_label):
    """Labels to score: ``[pos_label]`` for average='binary', else ``labels``."""
    if average not in _AVERAGES and average != "binary":
        raise ValueError(
            f"average={average!r} is not supported; use one of 'binary', 'micro', 'macro', "
            "'weighted' or None."
        )
    if average == "samples":
        raise ValueError(
            "average='samples' applies to multilabel targets, which scratchml does not "
            "support; use 'micro', 'macro' or 'weighted'."
        )
    if average == "binary":
        if y_type != "binary":
            raise ValueError(
                f"Target is multiclass ({classes.shape[0]} classes) but average='binary'. "
                "Please choose another average setting, one of [None, 'micro', 'macro', "
                "'weighted'] (for example average='macro')."
            )
        if not contains(classes, pos_label) and classes.shape[0] >= 2:
            raise ValueError(
                f"pos_label={pos_label!r} is not a valid label. It should be one of "
                f"{classes.tolist()}"
            )
        return [pos_label]
    if pos_label not in (None, 1):
        warnings.warn(
            f"Note that pos_label (set to {pos_label!r}) is ignored when average != 'binary' "
            f"(got {average!r}). You may use labels=[pos_label] to specify a single "
            "positive class.", UserWarning, stacklevel=4,
        )
    return labels


def _per_class_counts(classes, t, p, w, labels):
    """(tp, pred, true) sums per requested label, as scikit-learn accumulates them."""
    k = classes.shape[0]
    hit = t == p
    tp = np.bincount(t[hit], weights=None if w is None else w[hit], minlength=k)
    pred = np.bincount(p, weights=w, minlength=k)
    true = np.bincount(t, weights=w, minlength=k)
    if w is not None or not hit.any():
        # scikit-learn's counts are float with weights, and also when no prediction
        # is right (its tp starts as float zeros); the report's support shows it.
        tp, pred, true = (x.astype(np.float64) for x in (tp, pred, true))
    if labels is not None:
        index = label_index(classes, labels)
        tp, pred, true = (take_or_zero(x, index) for x in (tp, pred, true))
    # fp and fn first, then back to sums: the same rounding as scikit-learn's path.
    return tp, tp + (pred - tp), tp + (true - tp)


def _prf_from_counts(tp, pred, true, *, beta, average, warn_for, zero_division):
    if average == "micro":
        tp, pred, true = (np.array([x.sum()]) for x in (tp, pred, true))
    precision = _prf_divide(tp, pred, "precision", "predicted", average, warn_for,
                            zero_division)
    recall = _prf_divide(tp, true, "recall", "true", average, warn_for, zero_division)
    if np.isposinf(beta):
        f_score = recall
    elif beta == 0:
        f_score = precision
    else:
        beta2 = beta**2
        denom = beta2 * true.astype(np.float64) + pred.astype(np.float64)
        f_score = _prf_divide((1 + beta2) * tp.astype(np.float64), denom, "f-score",
                              "true nor predicted", average, warn_for, zero_division)
    if average is None:
        return precision, recall, f_score, true
    weights = true if average == "weighted" else None
    return (nan_average(precision, weights), nan_average(recall, weights),
            nan_average(f_score, weights), None)


def precision_recall_fscore_support(
    y_true, y_pred, *, beta: float = 1.0, labels=None, pos_label=1, average=None,
    warn_for=("precision", "recall", "f-score"), sample_weight=None, zero_division="warn",
):
    """Precision, recall, F-beta and support for each class, or averaged.

        precision_c = tp_c / pred_c,   recall_c = tp_c / true_c,
        F_beta,c = (1 + β²) tp_c / ((1 + β²) tp_c + β² fn_c + fp_c).

    ``average``: "binary" scores only ``pos_label``; "micro" pools the counts
    of all labels; "macro" averages per-class scores; "weighted" weights them
    by support; None returns per-class arrays. A zero denominator gives
    ``zero_division`` (with an :class:`UndefinedMetricWarning` for "warn").

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
    beta : float, default=1.0
        Weight of recall relative to precision.
    labels : array-like, default=None
        Labels to include (and their order when ``average=None``).
    pos_label : int, float, bool or str, default=1
    average : {"binary", "micro", "macro", "weighted"} or None, default=None
    warn_for : tuple of str
        Which of "precision", "recall", "f-score" warn on zero division.
    sample_weight : array-like of shape (n_samples,), default=None
    zero_division : {"warn", 0, 1, np.nan}, default="warn"

    Returns
    -------
    precision, recall, fbeta_score : float or ndarray
    support : ndarray of int (float with weights), or None when averaged

    Examples
    --------
    >>> from scratchml.metrics import precision_recall_fscore_support
    >>> p, r, f, s = precision_recall_fscore_support([0, 1, 1, 0], [0, 1, 0, 0])
    >>> p, r, s
    (array([0.66666667, 1.        ]), array([1. , 0.5]), array([2, 2]))
    """
    _zero_division_value(zero_division)
    if not (isinstance(beta, (int, float, np.number)) and beta >= 0):
        raise ValueError(f"beta={beta!r} must be a non-negative number.")
    y_type, classes, t, p, w = _check_targets(y_true, y_pred, sample_weight)
    labels = _set_wise_labels(y_type, classes, average, labels, pos_label)
    tp, pred, true = _per_class_counts(classes, t, p, w, labels)
    return _prf_from_counts(tp, pred, true, beta=beta, average=average, warn_for=warn_for,
                            zero_division=zero_division)


@fill_doc(params=_SCORE_PARAMS, beta=_BETA_PARAM)
def fbeta_score(y_true, y_pred, *, beta: float, labels=None, pos_label=1, average="binary",
                sample_weight=None, zero_division="warn"):
    """F-beta score: weighted harmonic mean of precision and recall.

        F_β = (1 + β²) · precision · recall / (β² · precision + recall)

    {params}

    Examples
    --------
    >>> from scratchml.metrics import fbeta_score
    >>> round(fbeta_score([0, 1, 1, 0], [0, 1, 0, 0], beta=2), 4)
    0.5556
    """
    return precision_recall_fscore_support(
        y_true, y_pred, beta=beta, labels=labels, pos_label=pos_label, average=average,
        warn_for=("f-score",), sample_weight=sample_weight, zero_division=zero_division,
    )[2]


@fill_doc(params=_SCORE_PARAMS, beta="")
def f1_score(y_true, y_pred, *, labels=None, pos_label=1, average="binary",
             sample_weight=None, zero_division="warn"):
    """F1 score: 2 · precision · recall / (precision + recall) = 2tp / (2tp + fp + fn).

    {params}

    Examples
    --------
    >>> from scratchml.metrics import f1_score
    >>> round(f1_score([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1], average="macro"), 4)
    0.2667
    """
    return fbeta_score(y_true, y_pred, beta=1, labels=labels, pos_label=pos_label,
                       average=average, sample_weight=sample_weight,
                       zero_division=zero_division)


@fill_doc(params=_SCORE_PARAMS, beta="")
def precision_score(y_true, y_pred, *, labels=None, pos_label=1, average="binary",
                    sample_weight=None, zero_division="warn"):
    """Precision tp / (tp + fp): the fraction of predicted positives that are right.

    {params}

    Examples
    --------
    >>> from scratchml.metrics import precision_score
    >>> precision_score([0, 1, 1, 0], [1, 1, 0, 0])
    0.5
    """
    return precision_recall_fscore_support(
        y_true, y_pred, labels=labels, pos_label=pos_label, average=average,
        warn_for=("precision",), sample_weight=sample_weight, zero_division=zero_division,
    )[0]


@fill_doc(params=_SCORE_PARAMS, beta="")
def recall_score(y_true, y_pred, *, labels=None, pos_label=1, average="binary",
                 sample_weight=None, zero_division="warn"):
    """Recall tp / (tp + fn): the fraction of true positives that are found.

    {params}

    Examples
    --------
    >>> from scratchml.metrics import recall_score
    >>> recall_score([0, 1, 1, 0], [1, 1, 0, 0])
    0.5
    """
    return precision_recall_fscore_support(
        y_true, y_pred, labels=labels, pos_label=pos_label, average=average,
        warn_for=("recall",), sample_weight=sample_weight, zero_division=zero_division,
    )[1]
