"""Ranking metrics: ROC AUC and average precision (the curves are in
``_ranking_curves.py``).

ROC AUC is the area under the ROC curve, and also the Mann-Whitney probability
that a random positive outranks a random negative (ties count one half), which
the unweighted binary case computes from two sorted arrays and ``searchsorted``
without building the curve. Multiclass targets are scored per class (one-vs-rest)
or per pair of classes (one-vs-one), then averaged.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np

from ..utils.validation import check_array
from ._base import (
    _as_1d,
    check_consistent_length,
    check_sample_weight,
    contains,
    encode_labels,
    label_index,
    warn_undefined,
    weighted_mean,
)
from ._ranking_curves import (
    _scores_1d,
    _target_type,
    auc,
    precision_recall_curve,
    roc_curve,
)

__all__ = ["average_precision_score", "roc_auc_score"]


def _binary_average_precision(y01, score, sample_weight=None, pos_label=1):
    precision, recall, _ = precision_recall_curve(y01, score, pos_label=pos_label,
                                                  sample_weight=sample_weight)
    # Step-function integral: sum_k (R_k − R_{k+1}) P_k; -0.0 from rounding is clipped.
    return max(0.0, float(-np.sum(np.diff(recall) * precision[:-1])))


def _binary_roc_auc(y01, score, sample_weight=None, max_fpr=None):
    """ROC AUC of 0/1 labels; NaN (with a warning) when one class is missing."""
    y01 = np.asarray(y01, dtype=bool)
    n_pos = int(np.count_nonzero(y01))
    if n_pos == 0 or n_pos == y01.shape[0]:
        warn_undefined("Only one class is present in y_true. ROC AUC score is not defined "
                       "in that case.")
        return float("nan")
    if sample_weight is None and (max_fpr is None or max_fpr == 1):
        # Mann-Whitney: count (negative < positive) pairs, ties counting 1/2.
        neg = np.sort(score[~y01])
        pos = np.sort(score[y01])
        below = np.searchsorted(neg, pos, side="left")
        # Ties between a positive and negatives are rare: search again only for those.
        tied = neg[np.minimum(below, neg.shape[0] - 1)] == pos
        ties = np.searchsorted(neg, pos[tied], side="right") - below[tied]
        pairs = n_pos * (y01.shape[0] - n_pos)
        return float((below.sum() + ties.sum() / 2) / pairs)
    fpr, tpr, _ = roc_curve(y01, score, sample_weight=sample_weight)
    if max_fpr is None or max_fpr == 1:
        return auc(fpr, tpr)
    if max_fpr <= 0 or max_fpr > 1:
        raise ValueError(f"Expected max_fpr in range (0, 1], got: {max_fpr!r}")
    # Cut the curve at max_fpr (linear interpolation), then McClish-standardize:
    # 0.5 for a non-discriminant ranking, 1 for a perfect one.
    stop = np.searchsorted(fpr, max_fpr, "right")
    tpr = np.append(tpr[:stop], np.interp(max_fpr, fpr[stop - 1:stop + 1],
                                          tpr[stop - 1:stop + 1]))
    fpr = np.append(fpr[:stop], max_fpr)
    partial_auc = auc(fpr, tpr)
    min_area, max_area = 0.5 * max_fpr**2, max_fpr
    return float(0.5 * (1 + (partial_auc - min_area) / (max_area - min_area)))


def _average_binary_score(metric, Y, S, average, sample_weight=None):
    """Apply a binary metric to each indicator column of Y (n x K) and average."""
    if average not in (None, "micro", "macro", "weighted"):
        raise ValueError(
            f"average={average!r} is not supported; use 'micro', 'macro', 'weighted' or None."
        )
    if average == "micro":
        w = None if sample_weight is None else np.repeat(sample_weight, Y.shape[1])
        return float(metric(Y.ravel(), S.ravel(), sample_weight=w))
    average_weight = None
    if average == "weighted":
        w = np.ones(Y.shape[0]) if sample_weight is None else sample_weight
        average_weight = (Y * np.asarray(w, dtype=np.float64)[:, None]).sum(axis=0)
        if np.isclose(average_weight.sum(), 0):
            return 0
    scores = np.array([metric(Y[:, c], S[:, c], sample_weight=sample_weight)
                       for c in range(Y.shape[1])], dtype=np.float64)
    if average is None:
        return scores
    if average_weight is not None:
        # A class without support must not turn the weighted mean into NaN.
        scores[average_weight == 0] = 0
    return float(weighted_mean(scores, average_weight))


def _multiclass_inputs(y, y_score, labels):
    """(classes, codes) for a multiclass target scored by an (n x K) matrix."""
    S = check_array(y_score, dtype="float", input_name="y_score")
    check_consistent_length(y_true=y, y_score=S)
    if labels is not None:
        labels = np.asarray(_as_1d(labels, "labels"))
        classes = np.unique(labels)
        if classes.shape[0] != labels.shape[0]:
            raise ValueError("Parameter 'labels' must be unique")
        if not np.array_equal(classes, labels):
            raise ValueError("Parameter 'labels' must be ordered")
        if classes.shape[0] != S.shape[1]:
            raise ValueError(
                f"Number of given labels, {classes.shape[0]}, not equal to the number of "
                f"columns in 'y_score', {S.shape[1]}"
            )
        codes = label_index(classes, y)
        if np.any(codes < 0):
            raise ValueError("'y_true' contains labels not in parameter 'labels'")
    else:
        classes, (codes,) = encode_labels(y)
        if classes.shape[0] != S.shape[1]:
            raise ValueError(
                f"Number of classes in y_true ({classes.shape[0]}) not equal to the number "
                f"of columns in 'y_score' ({S.shape[1]})"
            )
    return classes, codes, S


def average_precision_score(y_true, y_score, *, average="macro", pos_label=1,
                            sample_weight=None) -> float:
    """Average precision: the precision-recall curve summarized as a step integral.

        AP = sum_k (R_k − R_{k−1}) P_k

    (no interpolation). Multiclass targets are scored one-vs-rest per class
    from an (n_samples, n_classes) score matrix, then averaged.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
    y_score : array-like of shape (n_samples,) or (n_samples, n_classes)
    average : {"micro", "macro", "weighted"} or None, default="macro"
        Multiclass only (ignored for binary targets).
    pos_label : int, float, bool or str, default=1
        Binary only.
    sample_weight : array-like of shape (n_samples,), default=None

    Returns
    -------
    average_precision : float (or ndarray per class for average=None)

    Examples
    --------
    >>> from scratchml.metrics import average_precision_score
    >>> round(average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 4)
    0.8333
    """
    y = _as_1d(y_true, "y_true")
    kind, classes, codes = _target_type(y)
    # All-zero weights are reported by the curve, after the one-class check.
    w = check_sample_weight(sample_weight, y.shape[0], allow_all_zero=True)
    if kind == "binary":
        if classes.shape[0] == 2 and not contains(classes, pos_label):
            raise ValueError(
                f"pos_label={pos_label!r} is not a valid label. It should be one of "
                f"{classes.tolist()}"
            )
        return _binary_average_precision(y, _scores_1d(y_score, y.shape[0]), w, pos_label)
    if kind != "multiclass":
        raise ValueError(f"{kind} format is not supported: y_true must hold class labels.")
    if pos_label != 1:
        raise ValueError("Parameter pos_label is fixed to 1 for multiclass y_true. Do not set "
                         "pos_label or set pos_label to 1.")
    S = check_array(y_score, dtype="float", input_name="y_score")
    if S.shape != (y.shape[0], classes.shape[0]):
        raise ValueError(
            "`y_score` needs to be of shape `(n_samples, n_classes)`, since `y_true` contains "
            f"multiple classes. Got `y_score.shape={S.shape}`."
        )
    Y = (codes[:, None] == np.arange(classes.shape[0])).astype(np.int64)
    return _average_binary_score(_binary_average_precision, Y, S, average, w)


def roc_auc_score(y_true, y_score, *, average="macro", sample_weight=None, max_fpr=None,
                  multi_class="raise", labels=None):
    """Area under the ROC curve.

        AUC = P(score of a random positive > score of a random negative) (+ ½ P(tie))

    Binary: ``y_score`` is the score of the greater label. ``max_fpr`` gives
    the McClish-standardized partial AUC over fpr in [0, max_fpr]. Multiclass
    needs probabilities (n_samples, n_classes) and ``multi_class``: "ovr"
    averages one-vs-rest AUCs; "ovo" averages, over pairs of classes a, b,
    (AUC(a | b) + AUC(b | a)) / 2 (Hand & Till, 2001).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
    y_score : array-like of shape (n_samples,) or (n_samples, n_classes)
    average : {"macro", "weighted", "micro"} or None, default="macro"
        Multiclass averaging ("micro" and None: ovr only).
    sample_weight : array-like of shape (n_samples,), default=None
        Not supported with multi_class="ovo".
    max_fpr : float in (0, 1], default=None
    multi_class : {"raise", "ovr", "ovo"}, default="raise"
    labels : array-like, default=None
        Multiclass: the sorted labels indexing the columns of y_score.

    Returns
    -------
    auc : float (or ndarray per class for ovr with average=None)

    Examples
    --------
    >>> from scratchml.metrics import roc_auc_score
    >>> roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    0.75
    """
    y = _as_1d(y_true, "y_true")
    kind, classes, codes = _target_type(y)
    w = check_sample_weight(sample_weight, y.shape[0], allow_all_zero=True)
    score_ndim = np.ndim(y_score)
    wide = score_ndim == 2 and np.shape(y_score)[1] > 2
    if kind == "multiclass" or (kind == "binary" and wide):
        if max_fpr is not None and max_fpr != 1.0:
            raise ValueError(
                "Partial AUC computation not available in multiclass setting, 'max_fpr' must "
                f"be set to `None`, received `max_fpr={max_fpr}` instead"
            )
        if multi_class not in ("ovr", "ovo"):
            raise ValueError(
                "y_true has more than two classes: set multi_class='ovr' (one-vs-rest) or "
                "'ovo' (one-vs-one); multi_class must be in ('ovo', 'ovr')."
            )
        return _multiclass_roc_auc(y, y_score, labels, multi_class, average, w)
    if kind != "binary":
        raise ValueError(f"{kind} format is not supported: y_true must hold class labels.")
    y01 = codes == 1  # the greater label is the positive class (all False if only one)
    return _binary_roc_auc(y01, _scores_1d(y_score, y.shape[0]), w, max_fpr)


def _multiclass_roc_auc(y, y_score, labels, multi_class, average, sample_weight):
    S0 = np.asarray(y_score)
    if S0.ndim != 2:
        raise ValueError(
            "`y_score` needs to be of shape `(n_samples, n_classes)`, since `y_true` contains "
            f"multiple classes. Got `y_score.shape={S0.shape}`."
        )
    classes, codes, S = _multiclass_inputs(y, y_score, labels)
    if not np.allclose(1, S.sum(axis=1)):
        raise ValueError("Target scores need to be probabilities for multiclass roc_auc, "
                         "i.e. they should sum up to 1.0 over classes")
    allowed = ("macro", "weighted", None) + (("micro",) if multi_class == "ovr" else ())
    if average not in allowed:
        raise ValueError(f"average must be one of {allowed} for multiclass problems")
    if multi_class == "ovo":
        if average is None:
            raise NotImplementedError("average=None is not implemented for multi_class='ovo'.")
        if sample_weight is not None:
            raise ValueError("sample_weight is not supported for multiclass one-vs-one ROC "
                             "AUC, 'sample_weight' must be None in this case.")
        present = np.unique(codes)
        pair_scores, prevalence = [], []
        for a, b in combinations(present, 2):
            in_pair = (codes == a) | (codes == b)
            is_a = codes[in_pair] == a
            auc_a = _binary_roc_auc(is_a, S[in_pair, a])
            auc_b = _binary_roc_auc(~is_a, S[in_pair, b])
            pair_scores.append((auc_a + auc_b) / 2)
            prevalence.append(np.mean(in_pair))
        return float(np.average(pair_scores, weights=prevalence if average == "weighted"
                                else None))
    Y = (codes[:, None] == np.arange(classes.shape[0])).astype(np.int64)
    return _average_binary_score(_binary_roc_auc, Y, S, average, sample_weight)
