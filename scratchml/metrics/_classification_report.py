"""``classification_report``: per-class precision, recall, F1 and support as a table.

The counts are taken once; every row and average is then derived from them.
The text layout is scikit-learn's, character for character.
"""

from __future__ import annotations

import warnings

import numpy as np

from ._classification import _check_targets
from ._precision_recall import _per_class_counts, _prf_from_counts

__all__ = ["classification_report"]

_HEADERS = ["precision", "recall", "f1-score", "support"]


def classification_report(y_true, y_pred, *, labels=None, target_names=None,
                          sample_weight=None, digits: int = 2, output_dict: bool = False,
                          zero_division="warn"):
    """Text (or dict) summary of precision, recall, F1 and support per class.

    One row per label, then "accuracy" (the micro average, when every label
    is reported), "macro avg" (unweighted mean over labels) and "weighted avg"
    (mean weighted by support); see :func:`precision_recall_fscore_support`.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
    labels : array-like, default=None
        Labels to report, in this order; default: those present in either input.
    target_names : list of str, default=None
        Display names of ``labels``.
    sample_weight : array-like of shape (n_samples,), default=None
    digits : int, default=2
        Digits of the floats in the text (ignored with ``output_dict``).
    output_dict : bool, default=False
        Return ``{label: {"precision": ..., ...}, "accuracy": ..., ...}`` instead.
    zero_division : {"warn", 0, 1, np.nan}, default="warn"

    Returns
    -------
    report : str or dict

    Examples
    --------
    >>> from scratchml.metrics import classification_report
    >>> print(classification_report([0, 1, 2, 2, 2], [0, 0, 2, 2, 1]))
                  precision    recall  f1-score   support
    <BLANKLINE>
               0       0.50      1.00      0.67         1
               1       0.00      0.00      0.00         1
               2       1.00      0.67      0.80         3
    <BLANKLINE>
        accuracy                           0.60         5
       macro avg       0.50      0.56      0.49         5
    weighted avg       0.70      0.60      0.61         5
    <BLANKLINE>
    """
    if not isinstance(digits, (int, np.integer)) or isinstance(digits, bool) or digits < 0:
        raise ValueError(f"digits={digits!r} must be a non-negative integer.")
    y_type, classes, t, p, w = _check_targets(y_true, y_pred, sample_weight)
    if labels is None:
        labels, labels_given = classes, False
    else:
        labels, labels_given = np.asarray(labels), True
    # "accuracy" replaces the micro average only when no present label is left out.
    micro_is_accuracy = not labels_given or set(labels.tolist()) >= set(classes.tolist())
    if target_names is not None and len(labels) != len(target_names):
        if labels_given:
            warnings.warn(f"labels size, {len(labels)}, does not match size of target_names, "
                          f"{len(target_names)}", UserWarning, stacklevel=2)
        else:
            raise ValueError(
                f"Number of classes, {len(labels)}, does not match size of target_names, "
                f"{len(target_names)}. Try specifying the labels parameter"
            )
    if target_names is None:
        target_names = [str(label) for label in labels]

    tp, pred, true = _per_class_counts(classes, t, p, w, labels)

    def scores(average):
        return _prf_from_counts(tp, pred, true, beta=1.0, average=average,
                                warn_for=("precision", "recall", "f-score"),
                                zero_division=zero_division)

    p_c, r_c, f_c, s_c = scores(None)
    rows = list(zip(target_names, p_c, r_c, f_c, s_c))
    total_support = np.sum(s_c)
    averages = []
    for average in ("micro", "macro", "weighted"):
        heading = "accuracy" if average == "micro" and micro_is_accuracy else f"{average} avg"
        avg_p, avg_r, avg_f, _ = scores(average)
        averages.append((heading, avg_p, avg_r, avg_f, total_support))

    if output_dict:
        report = {name: dict(zip(_HEADERS, (float(v) for v in vals)))
                  for name, *vals in rows}
        for heading, *vals in averages:
            report[heading] = dict(zip(_HEADERS, (float(v) for v in vals)))
        if "accuracy" in report:
            report["accuracy"] = report["accuracy"]["precision"]
        return report

    width = max(max(len(name) for name in target_names), len("weighted avg"), digits)
    head_fmt = "{:>{width}s} " + " {:>9}" * len(_HEADERS)
    text = head_fmt.format("", *_HEADERS, width=width) + "\n\n"
    row_fmt = "{:>{width}s} " + " {:>9.{digits}f}" * 3 + " {:>9}\n"
    for row in rows:
        text += row_fmt.format(*row, width=width, digits=digits)
    text += "\n"
    for heading, avg_p, avg_r, avg_f, support in averages:
        if heading == "accuracy":
            # Accuracy is one number: it goes in the f1-score column.
            acc_fmt = "{:>{width}s} " + " {:>9.{digits}}" * 2 + " {:>9.{digits}f}" + " {:>9}\n"
            text += acc_fmt.format(heading, "", "", avg_f, support, width=width, digits=digits)
        else:
            text += row_fmt.format(heading, avg_p, avg_r, avg_f, support, width=width,
                                   digits=digits)
    return text
