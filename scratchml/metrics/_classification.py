"""Classification metrics computed from label counts: accuracy, confusion matrix,
balanced accuracy, Matthews correlation, Cohen's kappa (precision / recall /
F-beta are in ``_precision_recall.py``).

All of them reduce to counting. With labels encoded as integers 0..k-1, the
confusion matrix is one ``np.bincount`` of ``k * true + pred``.

Names, arguments, return values and warnings follow scikit-learn.
"""

from __future__ import annotations

import warnings

import numpy as np

from ._base import (
    UndefinedMetricWarning,
    check_discrete,
    check_labels_1d,
    encode_labels,
    label_index,
    warn_undefined,
    weighted_mean,
)

__all__ = [
    "UndefinedMetricWarning",
    "accuracy_score",
    "balanced_accuracy_score",
    "cohen_kappa_score",
    "confusion_matrix",
    "matthews_corrcoef",
]


def _check_targets(y_true, y_pred, sample_weight=None):
    """Validate labels; return ``(y_type, classes, t_codes, p_codes, weights)``.

    ``y_type`` is "binary" when at most two distinct labels occur in y_true and
    y_pred together, "multiclass" otherwise.
    """
    a, b, w = check_labels_1d(y_true, y_pred, sample_weight)
    check_discrete(a, "y_true")
    check_discrete(b, "y_pred")
    classes, (t, p) = encode_labels(a, b)
    return ("binary" if classes.shape[0] <= 2 else "multiclass"), classes, t, p, w


def accuracy_score(y_true, y_pred, *, normalize: bool = True, sample_weight=None) -> float:
    """Fraction (or number) of samples whose predicted label equals the true one.

        accuracy = sum_i w_i [y_i = ŷ_i] / sum_i w_i

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        True and predicted labels.
    normalize : bool, default=True
        If False, return the (weighted) number of correct predictions instead.
    sample_weight : array-like of shape (n_samples,), default=None

    Returns
    -------
    score : float

    Examples
    --------
    >>> from scratchml.metrics import accuracy_score
    >>> accuracy_score([0, 1, 2, 3], [0, 2, 1, 3])
    0.5
    """
    a, b, w = check_labels_1d(y_true, y_pred, sample_weight)
    check_discrete(a, "y_true")
    check_discrete(b, "y_pred")
    return float(weighted_mean(a == b, w, normalize=normalize))


def confusion_matrix(y_true, y_pred, *, labels=None, sample_weight=None,
                     normalize: str | None = None) -> np.ndarray:
    """Confusion matrix C: C[i, j] counts samples of true class i predicted as j.

    With labels coded 0..k-1, ``C = bincount(k * t + p, weights=w).reshape(k, k)``.
    ``normalize`` divides by the row sums ("true"), column sums ("pred") or the
    total ("all"); empty rows or columns give 0.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
    labels : array-like of shape (n_classes,), default=None
        Labels indexing the matrix, in this order; default: the sorted labels
        present in y_true or y_pred. Samples with other labels are ignored.
    sample_weight : array-like of shape (n_samples,), default=None
    normalize : {"true", "pred", "all"} or None, default=None

    Returns
    -------
    C : ndarray of shape (n_classes, n_classes)
        int64 without weights or with integer weights, float64 otherwise.

    Examples
    --------
    >>> from scratchml.metrics import confusion_matrix
    >>> confusion_matrix([2, 0, 2, 2, 0, 1], [0, 0, 2, 2, 0, 2])
    array([[2, 0, 0],
           [0, 0, 1],
           [1, 0, 2]])
    """
    if normalize not in (None, "true", "pred", "all"):
        raise ValueError(
            f"normalize={normalize!r} is not supported; use 'true', 'pred', 'all' or None."
        )
    if labels is not None:
        n_labels = np.asarray(labels).size
        if n_labels == 0:
            raise ValueError("'labels' should contain at least one label.")
        if len(y_true) == 0 and len(y_pred) == 0:
            return np.zeros((n_labels, n_labels), dtype=int)
    _, classes, t, p, w = _check_targets(y_true, y_pred, sample_weight)
    k = classes.shape[0]
    if labels is None:
        n_out = k
    else:
        index = label_index(classes, labels)
        n_out = index.shape[0]
        in_true = np.bincount(t, minlength=k) > 0
        if not in_true[index[index >= 0]].any():
            raise ValueError("At least one label specified must be in y_true")
        # Re-code samples to positions in `labels`; those outside are dropped.
        position = np.full(k, -1, dtype=np.intp)
        position[index[index >= 0]] = np.flatnonzero(index >= 0)
        t, p = position[t], position[p]
        keep = (t >= 0) & (p >= 0)
        if not keep.all():
            t, p = t[keep], p[keep]
            w = None if w is None else w[keep]
    integer = w is None or w.dtype.kind in "iu"
    cm = np.bincount(n_out * t + p, weights=w, minlength=n_out * n_out)
    cm = cm.reshape(n_out, n_out).astype(np.int64 if integer else np.float64, copy=False)
    if normalize is not None:
        with np.errstate(all="ignore"):
            if normalize == "true":
                cm = cm / cm.sum(axis=1, keepdims=True)
            elif normalize == "pred":
                cm = cm / cm.sum(axis=0, keepdims=True)
            else:
                cm = cm / cm.sum()
        cm = np.nan_to_num(cm)
    if cm.shape == (1, 1):
        warnings.warn(
            "A single label was found in 'y_true' and 'y_pred'. For the confusion matrix "
            "to have the correct shape, use the 'labels' parameter to pass all known labels.",
            UserWarning, stacklevel=2,
        )
    return cm


# ---------------------------------------------------------------- single-number summaries


def balanced_accuracy_score(y_true, y_pred, *, sample_weight=None,
                            adjusted: bool = False) -> float:
    """Mean recall over the classes of y_true; ``adjusted`` maps chance level to 0.

        BA = (1/k) sum_c C[c, c] / sum_j C[c, j],   adjusted: (BA − 1/k) / (1 − 1/k)

    Classes that only occur in y_pred are left out (with a warning).

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
    sample_weight : array-like of shape (n_samples,), default=None
    adjusted : bool, default=False

    Returns
    -------
    score : float

    Examples
    --------
    >>> from scratchml.metrics import balanced_accuracy_score
    >>> balanced_accuracy_score([0, 1, 0, 0, 1, 0], [0, 1, 0, 0, 0, 1])
    0.625
    """
    C = confusion_matrix(y_true, y_pred, sample_weight=sample_weight)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_class = np.diag(C) / C.sum(axis=1)
    if np.any(np.isnan(per_class)):
        warnings.warn("y_pred contains classes not in y_true", UserWarning, stacklevel=2)
        per_class = per_class[~np.isnan(per_class)]
    score = np.mean(per_class)
    if adjusted:
        chance = 1 / per_class.shape[0]
        score = (score - chance) / (1 - chance)
    return float(score)


def matthews_corrcoef(y_true, y_pred, *, sample_weight=None) -> float:
    """Matthews correlation coefficient: Pearson correlation of one-hot labels.

        MCC = (c·s − t·p) / sqrt((s² − p·p)(s² − t·t))

    with C the confusion matrix, t and p its row and column sums, c its trace
    and s the total. 0 when either side predicts a single class.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
    sample_weight : array-like of shape (n_samples,), default=None

    Returns
    -------
    mcc : float in [-1, 1]

    Examples
    --------
    >>> from scratchml.metrics import matthews_corrcoef
    >>> round(matthews_corrcoef([1, 1, 1, 0], [1, 0, 1, 1]), 4)
    -0.3333
    """
    C = confusion_matrix(y_true, y_pred, sample_weight=sample_weight)
    t_sum = C.sum(axis=1, dtype=np.float64)
    p_sum = C.sum(axis=0, dtype=np.float64)
    n_correct = np.trace(C, dtype=np.float64)
    n_samples = p_sum.sum()
    cov_ytyp = n_correct * n_samples - np.dot(t_sum, p_sum)
    cov_ypyp = n_samples**2 - np.dot(p_sum, p_sum)
    cov_ytyt = n_samples**2 - np.dot(t_sum, t_sum)
    if cov_ypyp * cov_ytyt == 0:
        return 0.0
    return float(cov_ytyp / np.sqrt(cov_ypyp * cov_ytyt))


def cohen_kappa_score(y1, y2, *, labels=None, weights: str | None = None, sample_weight=None,
                      replace_undefined_by=np.nan) -> float:
    """Cohen's kappa: agreement between two annotators, corrected for chance.

        κ = 1 − sum(W ∘ C) / sum(W ∘ E),   E = outer(row sums, column sums) / total

    W is 1 off the diagonal (``weights=None``), |i − j| ("linear") or
    (i − j)² ("quadratic").

    Parameters
    ----------
    y1, y2 : array-like of shape (n_samples,)
    labels : array-like, default=None
    weights : {None, "linear", "quadratic"}, default=None
    sample_weight : array-like of shape (n_samples,), default=None
    replace_undefined_by : float, default=np.nan
        Returned (with a warning) when κ is undefined (a zero denominator).

    Returns
    -------
    kappa : float

    Examples
    --------
    >>> from scratchml.metrics import cohen_kappa_score
    >>> round(cohen_kappa_score([0, 1, 1, 2], [0, 1, 2, 2]), 4)
    0.6364
    """
    if weights not in (None, "linear", "quadratic"):
        raise ValueError(
            f"weights={weights!r} is not supported; use None, 'linear' or 'quadratic'."
        )
    try:
        confusion = confusion_matrix(y1, y2, labels=labels, sample_weight=sample_weight)
    except ValueError as exc:
        if "At least one label specified must be in y_true" in str(exc):
            raise ValueError(
                "At least one label in `labels` must be present in `y1` (even though "
                "`cohen_kappa_score` is otherwise agnostic to the order of `y1` and `y2`)."
            ) from exc
        raise
    confusion = confusion.astype(np.float64)
    n_classes = confusion.shape[0]
    sum0, sum1 = confusion.sum(axis=0), confusion.sum(axis=1)
    total = sum0.sum()
    if total == 0:
        warn_undefined("`y2` contains no labels that are present in both `y1` and `labels`. "
                       "`cohen_kappa_score` is undefined and set to `replace_undefined_by`.")
        return replace_undefined_by
    expected = np.outer(sum0, sum1) / total
    if weights is None:
        w_mat = 1.0 - np.eye(n_classes)
    else:
        grid = np.zeros((n_classes, n_classes)) + np.arange(n_classes)
        w_mat = np.abs(grid - grid.T) if weights == "linear" else (grid - grid.T) ** 2
    denominator = np.sum(w_mat * expected)
    if denominator == 0:
        warn_undefined("`y1`, `y2` and `labels` have only one label in common. "
                       "`cohen_kappa_score` is undefined and set to `replace_undefined_by`.")
        return replace_undefined_by
    return float(1 - np.sum(w_mat * confusion) / denominator)
