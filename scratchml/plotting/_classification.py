"""Plots of classification results: confusion matrix, ROC curve, precision-recall curve."""

from __future__ import annotations

import numpy as np

from ._common import as_1d, get_ax, require_matplotlib, same_length

_NORMALIZE = (None, "true", "pred", "all")


def _normalize(cm: np.ndarray, normalize) -> np.ndarray:
    """Divide counts by row sums ('true'), column sums ('pred') or the total ('all')."""
    if normalize is None:
        return cm
    cm = cm.astype(np.float64)
    if normalize == "true":
        total = cm.sum(axis=1, keepdims=True)
    elif normalize == "pred":
        total = cm.sum(axis=0, keepdims=True)
    else:
        total = cm.sum()
    # A class with no samples (an empty row or column) shows 0, as in scikit-learn.
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.nan_to_num(cm / total)


def plot_confusion_matrix(y_true, y_pred=None, *, labels=None, normalize=None,
                          cmap: str = "viridis", values_format: str | None = None,
                          colorbar: bool = True, ax=None):
    """Draw a confusion matrix as a heat map with its value in every cell.

    Cell (i, j) counts the samples of true class i predicted as class j, so the
    diagonal holds the correct predictions. ``normalize`` turns counts into
    rates: 'true' divides each row by its total (recall on the diagonal),
    'pred' each column (precision on the diagonal), 'all' by the sample count.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,), or (n_classes, n_classes)
        True labels; or, when ``y_pred`` is None, a precomputed confusion matrix.
    y_pred : array-like of shape (n_samples,) or None
        Predicted labels.
    labels : array-like of shape (n_classes,), default=None
        Classes to show, in this order (default: the sorted classes present;
        for a precomputed matrix, 0 .. n_classes − 1).
    normalize : {None, 'true', 'pred', 'all'}, default=None
    cmap : str or matplotlib Colormap, default='viridis'
    values_format : str, default=None
        Format spec of the cell texts; default 'd' for counts, '.2g' for rates.
    colorbar : bool, default=True
    ax : matplotlib Axes, default=None
        Where to draw; a new figure when None.

    Returns
    -------
    ax : matplotlib Axes
        It holds one image and n_classes² texts.

    Examples
    --------
    >>> from scratchml.plotting import plot_confusion_matrix
    >>> ax = plot_confusion_matrix([[5, 1], [2, 7]])  # doctest: +SKIP
    """
    where = "plot_confusion_matrix"
    require_matplotlib()
    if normalize not in _NORMALIZE:
        raise ValueError(f"{where}: normalize={normalize!r} is not one of {list(_NORMALIZE)}.")
    if y_pred is None:
        cm = np.asarray(y_true)
        if cm.ndim != 2 or cm.shape[0] != cm.shape[1] or cm.shape[0] == 0:
            raise ValueError(
                f"{where}: without y_pred, the first argument must be a square confusion "
                f"matrix, got shape {cm.shape}; pass y_true and y_pred to compute one."
            )
        display = np.arange(cm.shape[0]) if labels is None else np.asarray(labels)
        if len(display) != cm.shape[0]:
            raise ValueError(f"{where}: {len(display)} labels for a {cm.shape[0]}-class matrix.")
    else:
        from ..metrics import confusion_matrix

        y_true, y_pred = as_1d("y_true", y_true, where), as_1d("y_pred", y_pred, where)
        same_length(where, y_true=y_true, y_pred=y_pred)
        cm = np.asarray(confusion_matrix(y_true, y_pred, labels=labels))
        display = (np.unique(np.concatenate([y_true, y_pred])) if labels is None
                   else np.asarray(labels))
    cm = _normalize(cm, normalize)

    ax = get_ax(ax)
    n = cm.shape[0]
    image = ax.imshow(cm, interpolation="nearest", cmap=cmap)
    # Dark text on light cells and light text on dark ones: the colormap's two ends.
    low_color, high_color = image.cmap(0.0), image.cmap(1.0)
    threshold = (cm.max() + cm.min()) / 2.0
    if values_format is None:
        values_format = ".2g" if cm.dtype.kind == "f" else "d"
    for i in range(n):  # n² small text artists; no array form exists for ax.text
        for j in range(n):
            ax.text(j, i, format(cm[i, j], values_format), ha="center", va="center",
                    color=high_color if cm[i, j] < threshold else low_color)
    if colorbar:
        ax.figure.colorbar(image, ax=ax)
    ax.set(xticks=np.arange(n), yticks=np.arange(n), xticklabels=[str(d) for d in display],
           yticklabels=[str(d) for d in display], xlabel="Predicted label", ylabel="True label")
    ax.set_ylim(n - 0.5, -0.5)
    return ax


def _binary_inputs(y_true, y_score, where: str):
    y_true, y_score = as_1d("y_true", y_true, where), as_1d("y_score", y_score, where)
    same_length(where, y_true=y_true, y_score=y_score)
    return y_true, y_score


def plot_roc_curve(y_true, y_score, *, pos_label=None, name: str | None = None,
                   plot_chance_level: bool = True, ax=None):
    """Draw the ROC curve (true-positive rate against false-positive rate) and its AUC.

    For each threshold t on ``y_score``, FPR = FP / (FP + TN) and
    TPR = TP / (TP + FN); the area under the curve (trapezoid rule) is the
    probability that a random positive scores above a random negative. The
    dashed diagonal is a classifier that guesses (AUC = 0.5).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Binary true labels.
    y_score : array-like of shape (n_samples,)
        Scores of the positive class (probabilities or decision values).
    pos_label : int, float, bool or str, default=None
        The positive class; None means 1 for labels {0, 1} or {−1, 1}.
    name : str, default=None
        Legend name of the curve.
    plot_chance_level : bool, default=True
        Also draw the chance diagonal.
    ax : matplotlib Axes, default=None

    Returns
    -------
    ax : matplotlib Axes
        Its lines are the ROC curve, then the chance diagonal.

    Examples
    --------
    >>> from scratchml.plotting import plot_roc_curve
    >>> ax = plot_roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])  # doctest: +SKIP
    """
    where = "plot_roc_curve"
    require_matplotlib()
    y_true, y_score = _binary_inputs(y_true, y_score, where)
    from ..metrics import roc_curve

    fpr, tpr, _ = roc_curve(y_true, y_score, pos_label=pos_label)
    fpr, tpr = np.asarray(fpr, dtype=np.float64), np.asarray(tpr, dtype=np.float64)
    auc = float(np.trapezoid(tpr, fpr))  # fpr is non-decreasing: a plain trapezoid sum
    label = f"AUC = {auc:.2f}" if name is None else f"{name} (AUC = {auc:.2f})"

    ax = get_ax(ax)
    ax.plot(fpr, tpr, label=label)
    if plot_chance_level:
        ax.plot([0, 1], [0, 1], linestyle="--", color="k", label="Chance level (AUC = 0.5)")
    ax.set(xlabel="False positive rate", ylabel="True positive rate",
           xlim=(-0.01, 1.01), ylim=(-0.01, 1.01), aspect="equal")
    ax.legend(loc="lower right")
    return ax


def plot_precision_recall_curve(y_true, y_score, *, pos_label=None, name: str | None = None,
                                plot_chance_level: bool = False, ax=None):
    """Draw the precision-recall curve and its average precision (AP).

    For each threshold, precision = TP / (TP + FP) and recall = TP / (TP + FN).
    The curve is drawn as steps, and AP = Σ_n (R_n − R_{n−1}) P_n is the area
    under those steps (no interpolation). A classifier that guesses has
    precision equal to the share of positives, drawn dashed with
    ``plot_chance_level``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Binary true labels.
    y_score : array-like of shape (n_samples,)
        Scores of the positive class.
    pos_label : int, float, bool or str, default=None
        The positive class; None means 1 for labels {0, 1} or {−1, 1}.
    name : str, default=None
        Legend name of the curve.
    plot_chance_level : bool, default=False
        Also draw the chance level (the prevalence of the positive class).
    ax : matplotlib Axes, default=None

    Returns
    -------
    ax : matplotlib Axes

    Examples
    --------
    >>> from scratchml.plotting import plot_precision_recall_curve
    >>> ax = plot_precision_recall_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])  # doctest: +SKIP
    """
    where = "plot_precision_recall_curve"
    require_matplotlib()
    y_true, y_score = _binary_inputs(y_true, y_score, where)
    from ..metrics import average_precision_score, precision_recall_curve

    precision, recall, _ = precision_recall_curve(y_true, y_score, pos_label=pos_label)
    kwargs = {} if pos_label is None else {"pos_label": pos_label}
    ap = float(average_precision_score(y_true, y_score, **kwargs))
    label = f"AP = {ap:.2f}" if name is None else f"{name} (AP = {ap:.2f})"

    ax = get_ax(ax)
    # steps-post: precision holds until recall reaches the next point, as AP integrates it.
    ax.plot(recall, precision, drawstyle="steps-post", label=label)
    if plot_chance_level:
        positive = pos_label if pos_label is not None else np.max(y_true)
        prevalence = float(np.mean(y_true == positive))
        ax.plot([0, 1], [prevalence, prevalence], linestyle="--", color="k",
                label=f"Chance level (AP = {prevalence:.2f})")
    ax.set(xlabel="Recall", ylabel="Precision", xlim=(-0.01, 1.01), ylim=(-0.01, 1.01),
           aspect="equal")
    ax.legend(loc="lower left")
    return ax
