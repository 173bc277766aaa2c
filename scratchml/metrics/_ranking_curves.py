"""Binary classifier curves: ROC and precision-recall, and the trapezoidal ``auc``.

Every curve comes from one sort. Ordering the samples by decreasing score,
the cumulative sums of positive and negative weights at each distinct score
are the true and false positive counts of the classifier "score >= threshold":

    tps_k = sum_{i <= k} w_i y_i,   fps_k = sum_{i <= k} w_i (1 − y_i).
"""

from __future__ import annotations

import warnings

import numpy as np

from ..utils.validation import check_array, column_or_1d
from ._base import (
    _as_1d,
    check_consistent_length,
    check_discrete,
    check_pos_label,
    check_sample_weight,
    encode_labels,
    warn_undefined,
)

__all__ = ["auc", "precision_recall_curve", "roc_curve"]


def auc(x, y) -> float:
    """Area under a curve given by points (x, y), by the trapezoidal rule.

        area = sum_k (x_{k+1} − x_k) (y_k + y_{k+1}) / 2

    Parameters
    ----------
    x : array-like of shape (n,)
        Monotonic (increasing or decreasing) coordinates, e.g. false positive rates.
    y : array-like of shape (n,)

    Returns
    -------
    area : float

    Examples
    --------
    >>> from scratchml.metrics import auc
    >>> auc([0, 0.5, 1], [0, 0.75, 1])
    0.625
    """
    x = column_or_1d(x, dtype=np.float64, input_name="x")
    y = column_or_1d(y, dtype=np.float64, input_name="y")
    check_consistent_length(x=x, y=y)
    if x.shape[0] < 2:
        raise ValueError(
            f"At least 2 points are needed to compute area under curve, but x.shape = {x.shape}"
        )
    dx = np.diff(x)
    direction = 1
    if np.any(dx < 0):
        if not np.all(dx <= 0):
            raise ValueError(f"x is neither increasing nor decreasing : {x}.")
        direction = -1
    return float(direction * (dx * (y[1:] + y[:-1]) / 2.0).sum())


def _target_type(y: np.ndarray):
    """("binary" | "multiclass" | "continuous", sorted classes, codes of y)."""
    if y.dtype.kind == "f":
        try:
            check_discrete(y, "y_true")
        except ValueError:
            return "continuous", None, None
    classes, (codes,) = encode_labels(y)
    return ("binary" if classes.shape[0] <= 2 else "multiclass"), classes, codes


def _scores_1d(y_score, n: int, what: str = "y_score") -> np.ndarray:
    s = check_array(y_score, ensure_2d=False, dtype="float", input_name=what,
                    ensure_min_samples=0)
    if s.ndim == 2 and s.shape[1] == 1:
        s = s.ravel()
    if s.ndim != 1:
        raise ValueError(
            f"{what} has shape {s.shape}, but a binary target needs one score per sample "
            "(shape (n_samples,)); for predict_proba output pass the positive class's "
            "column, e.g. y_score[:, 1]."
        )
    check_consistent_length(y_true=np.empty(n), y_score=s)
    return s


def _binary_clf_curve(y_true, y_score, pos_label=None, sample_weight=None):
    """(fps, tps, thresholds) at each distinct score, by decreasing threshold."""
    y = _as_1d(y_true, "y_true")
    score = _scores_1d(y_score, y.shape[0])
    kind, classes, _ = _target_type(y)
    if not (kind == "binary" or (kind == "multiclass" and pos_label is not None)):
        raise ValueError(
            f"{kind} format is not supported: y_true must hold two classes (or pass "
            "pos_label to score one class against the rest)."
        )
    pos_label = check_pos_label(pos_label, classes)
    positive = y == pos_label
    w = check_sample_weight(sample_weight, y.shape[0])
    if w is not None:
        # Zero-weight samples must not create thresholds of their own.
        keep = w != 0
        positive, score, w = positive[keep], score[keep], w[keep].astype(np.float64)
    order = np.argsort(score)[::-1]
    score = score[order]
    positive = positive[order].astype(np.float64)
    distinct = np.flatnonzero(np.diff(score))
    threshold_idxs = np.append(distinct, positive.shape[0] - 1)
    if w is None:
        tps = np.cumsum(positive)[threshold_idxs]
        fps = 1 + threshold_idxs - tps
    else:
        w = w[order]
        tps = np.cumsum(positive * w)[threshold_idxs]
        fps = np.cumsum((1 - positive) * w)[threshold_idxs]
    return fps, tps, score[threshold_idxs]


def _keep_points(fps, tps, thresholds, inner):
    """The curve's first and last points, and the inner ones where ``inner`` is True."""
    keep = np.flatnonzero(np.r_[True, inner, True])
    return fps[keep], tps[keep], thresholds[keep]


def _rate(counts, message: str):
    """Cumulative ``counts`` over their total; NaN (and ``message`` warned) when it is 0."""
    if counts[-1] <= 0:
        # stacklevel 4: past _rate and roc_curve, to the code that called roc_curve.
        warn_undefined(message, stacklevel=4)
        return np.full(counts.shape, np.nan)
    return counts / counts[-1]


def roc_curve(y_true, y_score, *, pos_label=None, sample_weight=None,
              drop_intermediate: bool = True):
    """Receiver operating characteristic: (fpr, tpr, thresholds).

        fpr_k = fps_k / N,   tpr_k = tps_k / P   for "predict positive if score >= t_k"

    The first threshold is ``inf`` (nothing predicted positive), so the curve
    starts at (0, 0). ``drop_intermediate`` drops points collinear with their
    neighbours, which do not change the curve or its area.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
    y_score : array-like of shape (n_samples,)
    pos_label : int, float, bool or str, default=None
        Default: 1 for {0, 1} or {-1, 1} labels; otherwise required.
    sample_weight : array-like of shape (n_samples,), default=None
    drop_intermediate : bool, default=True

    Returns
    -------
    fpr, tpr, thresholds : ndarray

    Examples
    --------
    >>> from scratchml.metrics import roc_curve
    >>> fpr, tpr, thr = roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> tpr
    array([0. , 0.5, 0.5, 1. , 1. ])
    >>> thr
    array([ inf, 0.8 , 0.4 , 0.35, 0.1 ])
    """
    fps, tps, thresholds = _binary_clf_curve(y_true, y_score, pos_label, sample_weight)
    if drop_intermediate and fps.shape[0] > 2:
        corner = np.logical_or(np.diff(fps, 2), np.diff(tps, 2))
        fps, tps, thresholds = _keep_points(fps, tps, thresholds, corner)
    tps = np.r_[0.0, tps]
    fps = np.r_[0.0, fps]
    thresholds = np.r_[np.inf, thresholds.astype(np.float64)]
    fpr = _rate(fps, "No negative samples in y_true, false positive value should be "
                     "meaningless")
    tpr = _rate(tps, "No positive samples in y_true, true positive value should be "
                     "meaningless")
    return fpr, tpr, thresholds


def precision_recall_curve(y_true, y_score, *, pos_label=None, sample_weight=None,
                           drop_intermediate: bool = False):
    """Precision and recall for every threshold on the scores.

        precision_k = tps_k / (tps_k + fps_k),   recall_k = tps_k / P

    Returned by increasing threshold, with a final point (precision 1,
    recall 0) that has no threshold. ``drop_intermediate`` keeps only the
    first and last point of each run of equal recall.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
    y_score : array-like of shape (n_samples,)
    pos_label : int, float, bool or str, default=None
    sample_weight : array-like of shape (n_samples,), default=None
    drop_intermediate : bool, default=False

    Returns
    -------
    precision, recall : ndarray of shape (n_thresholds + 1,)
    thresholds : ndarray of shape (n_thresholds,)

    Examples
    --------
    >>> from scratchml.metrics import precision_recall_curve
    >>> p, r, t = precision_recall_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> r
    array([1. , 1. , 0.5, 0.5, 0. ])
    """
    fps, tps, thresholds = _binary_clf_curve(y_true, y_score, pos_label, sample_weight)
    if drop_intermediate and fps.shape[0] > 2:
        changes = np.logical_or(np.diff(tps[:-1]), np.diff(tps[1:]))
        fps, tps, thresholds = _keep_points(fps, tps, thresholds, changes)
    ps = tps + fps
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(ps != 0, tps / ps, 0.0)
    if tps[-1] == 0:
        warnings.warn("No positive class found in y_true, recall is set to one for all "
                      "thresholds.", UserWarning, stacklevel=2)
        recall = np.ones(tps.shape)
    else:
        recall = tps / tps[-1]
    return np.r_[precision[::-1], 1.0], np.r_[recall[::-1], 0.0], thresholds[::-1]
