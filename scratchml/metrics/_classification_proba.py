"""Losses on predicted class probabilities: log loss and the Brier score.

Both compare a probability matrix P (n_samples x n_classes, columns in sorted
label order) with the one-hot matrix Y of the true labels:

    log loss = −(1/n) sum_i log P[i, y_i]          (P clipped to [eps, 1 − eps])
    Brier    =  (1/n) sum_i sum_c (Y[i, c] − P[i, c])²   (halved for two classes)

A 1D ``y_proba`` holds the probability of the positive (greater) class.
"""

from __future__ import annotations

import warnings

import numpy as np

from ..utils.validation import check_array
from ._base import (
    _as_1d,
    _is_string,
    check_consistent_length,
    check_discrete,
    check_pos_label,
    check_sample_weight,
    encode_labels,
    label_index,
    weighted_mean,
)

__all__ = ["brier_score_loss", "log_loss"]


def _check_proba(y_proba) -> np.ndarray:
    y_proba = check_array(y_proba, ensure_2d=False, dtype="float", input_name="y_proba")
    if y_proba.size and y_proba.max() > 1:
        raise ValueError(f"y_prob contains values greater than 1: {y_proba.max()}")
    if y_proba.size and y_proba.min() < 0:
        raise ValueError(f"y_prob contains values lower than 0: {y_proba.min()}")
    return y_proba


def _encode_target(y_true: np.ndarray, labels):
    """Codes of y_true in the sorted class list (``labels`` or y_true's own)."""
    if labels is None:
        classes, (codes,) = encode_labels(y_true)
    else:
        given = np.asarray(labels)
        classes = np.unique(given)
        if classes.shape != given.shape or not np.all(classes == given):
            warnings.warn(
                f"Labels passed were {given}. But this function assumes labels are ordered "
                f"lexicographically. Pass the ordered labels={classes.tolist()} and ensure "
                "that the columns of y_prob correspond to this ordering.",
                UserWarning, stacklevel=3,
            )
        codes = label_index(classes, y_true)
        if np.any(codes < 0):
            missing = sorted(set(np.asarray(y_true)[codes < 0].tolist()))
            raise ValueError(
                f"y_true contains values {missing} not belonging to the passed labels "
                f"{given.tolist()}."
            )
    if classes.shape[0] == 1:
        if labels is None:
            raise ValueError(
                f"y_true contains only one label ({classes[0]!r}). Please provide the list "
                "of all expected class labels explicitly through the labels argument."
            )
        raise ValueError(
            f"The labels array needs to contain at least two labels, got {classes.tolist()}."
        )
    return codes, classes


def _multiclass_proba(y_true, y_proba, sample_weight, labels):
    """Validated (codes, P with one column per class, weights)."""
    y = _as_1d(y_true, "y_true")
    check_discrete(y, "y_true")
    check_consistent_length(y_true=y, y_proba=y_proba)
    w = check_sample_weight(sample_weight, y.shape[0])
    codes, classes = _encode_target(y, labels)
    if y_proba.ndim == 1:
        y_proba = y_proba[:, None]
    if y_proba.shape[1] == 1:
        y_proba = np.concatenate([1 - y_proba, y_proba], axis=1)
    eps = np.finfo(y_proba.dtype).eps
    row_sums = y_proba.sum(axis=1)
    if not np.all(np.isclose(row_sums, 1, rtol=np.sqrt(eps), atol=1e-8)):
        warnings.warn("The y_prob values do not sum to one. Make sure to pass probabilities.",
                      UserWarning, stacklevel=3)
    if classes.shape[0] != y_proba.shape[1]:
        if labels is None:
            raise ValueError(
                f"y_true and y_prob contain different number of classes: {classes.shape[0]} "
                f"vs {y_proba.shape[1]}. Please provide the true labels explicitly through "
                f"the labels argument. Classes found in y_true: {classes}"
            )
        raise ValueError(
            "The number of classes in labels is different from that in y_prob. Classes "
            f"found in labels: {classes}"
        )
    return codes, y_proba, w


def log_loss(y_true, y_proba=None, *, normalize: bool = True, sample_weight=None,
             labels=None, y_pred=None) -> float:
    """Cross-entropy of the true labels under the predicted probabilities.

        L = −(1/n) sum_i w_i log p_{i, y_i},   p clipped to [eps, 1 − eps]

    with eps the machine epsilon of ``y_proba``'s dtype (scikit-learn ≥ 1.5).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
    y_proba : array-like of shape (n_samples, n_classes) or (n_samples,)
        Probabilities, columns in sorted label order; 1D: of the greater class.
    normalize : bool, default=True
        Mean (True) or sum (False) over samples.
    sample_weight : array-like of shape (n_samples,), default=None
    labels : array-like, default=None
        All class labels, when y_true does not contain every one.
    y_pred : array-like, default=None
        Former name of ``y_proba`` (scikit-learn < 1.9), accepted as a keyword.

    Returns
    -------
    loss : float

    Examples
    --------
    >>> from scratchml.metrics import log_loss
    >>> round(log_loss(["spam", "ham", "ham", "spam"],
    ...                [[.1, .9], [.9, .1], [.8, .2], [.35, .65]]), 4)
    0.2162
    """
    if y_pred is not None:
        if y_proba is not None:
            raise ValueError("Cannot use both `y_pred` and `y_proba`; pass `y_proba` only.")
        y_proba = y_pred
    if y_proba is None:
        raise ValueError("log_loss needs y_proba, the predicted probabilities.")
    y_proba = _check_proba(y_proba)
    codes, y_proba, w = _multiclass_proba(y_true, y_proba, sample_weight, labels)
    eps = np.finfo(y_proba.dtype).eps
    # Only the true class's column enters the sum: pick it, then clip and log.
    picked = np.clip(y_proba[np.arange(y_proba.shape[0]), codes], eps, 1 - eps)
    loss = -np.log(picked)
    if w is None:
        # Reduce in the probabilities' dtype (float32 stays float32, as in scikit-learn).
        return float(loss.mean() if normalize else loss.sum())
    return float(weighted_mean(loss, w, normalize=normalize))


def brier_score_loss(y_true, y_proba, *, sample_weight=None, pos_label=None, labels=None,
                     scale_by_half="auto") -> float:
    """Mean squared difference between predicted probabilities and one-hot outcomes.

        BS = (1/n) sum_i w_i sum_c (1[y_i = c] − p_ic)²,   × 1/2 for two classes

    so that for binary targets it is the familiar mean of (1[y = pos] − p)².

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
    y_proba : array-like of shape (n_samples,) or (n_samples, n_classes)
        1D: probability of ``pos_label``; 2D: one column per sorted label.
    sample_weight : array-like of shape (n_samples,), default=None
    pos_label : int, float, bool or str, default=None
        Binary case: the positive label; default 1 for {0, 1} / {-1, 1} labels,
        else the greater label (strings must name it).
    labels : array-like, default=None
        Multiclass case: all labels, when y_true does not contain every one.
    scale_by_half : bool or "auto", default="auto"
        Halve the sum ("auto": when there are fewer than three columns).

    Returns
    -------
    score : float

    Examples
    --------
    >>> from scratchml.metrics import brier_score_loss
    >>> round(brier_score_loss([0, 1, 1, 0], [0.1, 0.9, 0.8, 0.3]), 4)
    0.0375
    """
    y_proba = check_array(y_proba, ensure_2d=False, dtype="float", input_name="y_proba")
    if y_proba.ndim == 1 or y_proba.shape[1] == 1:
        T, P, w = _binary_proba(y_true, y_proba.reshape(-1), sample_weight, pos_label)
    else:
        y_proba = _check_proba(y_proba)
        codes, P, w = _multiclass_proba(y_true, y_proba, sample_weight, labels)
        T = np.zeros(P.shape, dtype=P.dtype)
        T[np.arange(P.shape[0]), codes] = 1
    score = weighted_mean(np.sum((T - P) ** 2, axis=1), w)
    if scale_by_half == "auto":
        scale_by_half = P.shape[1] < 3
    if scale_by_half:
        score = score * 0.5
    return float(score)


def _binary_proba(y_true, y_prob, sample_weight, pos_label):
    y = _as_1d(y_true, "y_true")
    check_consistent_length(y_true=y, y_proba=y_prob)
    w = check_sample_weight(sample_weight, y.shape[0])
    continuous = y.dtype.kind == "f" and not np.array_equal(y, np.round(y))
    classes = np.unique(y) if continuous else encode_labels(y)[0]
    if continuous or classes.shape[0] > 2:
        kind = "continuous" if continuous else "multiclass"
        raise ValueError(
            f"The type of the target inferred from y_true is {kind} but should be binary "
            "according to the shape of y_prob."
        )
    y_prob = _check_proba(y_prob)
    try:
        pos_label = check_pos_label(pos_label, classes)
    except ValueError:
        if _is_string(y):
            raise
        pos_label = classes[-1]
    positive = (y == pos_label).astype(np.int64)
    T = np.stack([1 - positive, positive], axis=1).astype(y_prob.dtype)
    P = np.stack([1 - y_prob, y_prob], axis=1)
    return T, P, w
