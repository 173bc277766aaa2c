"""Plots of scores against a size or a parameter, and of regression residuals."""

from __future__ import annotations

import numpy as np

from ._common import as_1d, get_ax, require_matplotlib, same_length


def _scores(name: str, scores, n_ticks: int, where: str) -> np.ndarray:
    """Scores as (n_ticks, n_folds): one row per x value, one column per CV split."""
    arr = np.asarray(scores, dtype=np.float64)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2 or arr.shape[0] != n_ticks:
        raise ValueError(
            f"{where}: {name} has shape {arr.shape}; it must be ({n_ticks}, n_cv_folds), one row "
            "per x value, as learning_curve / validation_curve return it."
        )
    return arr


def _score_bands(ax, x, train_scores, test_scores, std_display: bool) -> None:
    """Mean score of each side as a line, ± one standard deviation across folds as a band."""
    for scores, label in ((train_scores, "Train"), (test_scores, "Test")):
        mean, std = scores.mean(axis=1), scores.std(axis=1)
        (line,) = ax.plot(x, mean, marker="o", label=label)
        if std_display:
            ax.fill_between(x, mean - std, mean + std, alpha=0.2, color=line.get_color())
    ax.legend(loc="best")


def plot_learning_curve(train_sizes, train_scores, test_scores, *, score_name: str = "Score",
                        std_display: bool = True, ax=None):
    """Draw training and validation scores against the number of training samples.

    Takes what ``learning_curve`` returns. Each side's line is its mean over
    the cross-validation folds, its band ± one standard deviation. A gap that
    stays wide as data grows suggests high variance (more data or more
    regularization helps); two low curves that meet suggest high bias.

    Parameters
    ----------
    train_sizes : array-like of shape (n_ticks,)
        Number of training samples of each point.
    train_scores, test_scores : array-like of shape (n_ticks, n_cv_folds)
        Scores on the training subsets and on the validation folds.
    score_name : str, default='Score'
        Label of the y axis.
    std_display : bool, default=True
        Draw the ± standard deviation bands.
    ax : matplotlib Axes, default=None

    Returns
    -------
    ax : matplotlib Axes
        Two lines (train, test) and, with ``std_display``, two bands.

    Examples
    --------
    >>> from scratchml.plotting import plot_learning_curve
    >>> ax = plot_learning_curve([10, 20], [[1.0, 0.9], [0.95, 0.9]],
    ...                          [[0.6, 0.7], [0.8, 0.75]])  # doctest: +SKIP
    """
    where = "plot_learning_curve"
    require_matplotlib()
    x = as_1d("train_sizes", train_sizes, where).astype(np.float64)
    train = _scores("train_scores", train_scores, x.size, where)
    test = _scores("test_scores", test_scores, x.size, where)
    ax = get_ax(ax)
    _score_bands(ax, x, train, test, std_display)
    ax.set(xlabel="Number of samples in the training set", ylabel=score_name)
    return ax


def plot_validation_curve(param_range, train_scores, test_scores, *,
                          param_name: str | None = None, score_name: str = "Score",
                          log_scale: bool | None = None, std_display: bool = True, ax=None):
    """Draw training and validation scores against the values of one hyperparameter.

    Takes what ``validation_curve`` returns. Low scores on both sides mean
    underfitting; a high training score with a low validation score means
    overfitting; the best value sits where the validation curve peaks.

    Parameters
    ----------
    param_range : array-like of shape (n_ticks,)
        The parameter values tried (numbers).
    train_scores, test_scores : array-like of shape (n_ticks, n_cv_folds)
    param_name : str, default=None
        Label of the x axis.
    score_name : str, default='Score'
        Label of the y axis.
    log_scale : bool, default=None
        Logarithmic x axis; None chooses it when all values are positive and
        span at least two decades (e.g. ``np.logspace`` grids of C or alpha).
    std_display : bool, default=True
    ax : matplotlib Axes, default=None

    Returns
    -------
    ax : matplotlib Axes

    Examples
    --------
    >>> from scratchml.plotting import plot_validation_curve
    >>> ax = plot_validation_curve([0.01, 1, 100], [[0.7], [0.9], [1.0]], [[0.7], [0.85], [0.6]],
    ...                            param_name="C")  # doctest: +SKIP
    """
    where = "plot_validation_curve"
    require_matplotlib()
    x = as_1d("param_range", param_range, where).astype(np.float64)
    train = _scores("train_scores", train_scores, x.size, where)
    test = _scores("test_scores", test_scores, x.size, where)
    if log_scale is None:
        log_scale = bool(np.all(x > 0) and x.max() / x.min() >= 100)
    ax = get_ax(ax)
    _score_bands(ax, x, train, test, std_display)
    if log_scale:
        ax.set_xscale("log")
    ax.set(xlabel=param_name if param_name is not None else "Parameter value",
           ylabel=score_name)
    return ax


def plot_residuals(y_true, y_pred, *, ax=None, **scatter_kwargs):
    """Draw the residuals y − ŷ against the predictions ŷ, with the zero line.

    A good regression leaves a structureless band around zero; a curve shows a
    missed non-linearity, a funnel a variance that grows with ŷ.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        Observed and predicted targets.
    ax : matplotlib Axes, default=None
    **scatter_kwargs
        Passed to ``ax.scatter`` (``alpha``, ``s``, ``color``...).

    Returns
    -------
    ax : matplotlib Axes
        One scatter collection and one horizontal line at 0.

    Examples
    --------
    >>> from scratchml.plotting import plot_residuals
    >>> ax = plot_residuals([1.0, 2.0, 3.0], [1.1, 1.9, 3.2])  # doctest: +SKIP
    """
    where = "plot_residuals"
    require_matplotlib()
    y_true = as_1d("y_true", y_true, where).astype(np.float64)
    y_pred = as_1d("y_pred", y_pred, where).astype(np.float64)
    same_length(where, y_true=y_true, y_pred=y_pred)
    ax = get_ax(ax)
    scatter_kwargs.setdefault("alpha", 0.7)
    ax.scatter(y_pred, y_true - y_pred, **scatter_kwargs)
    ax.axhline(0.0, color="k", linestyle="--", linewidth=1)
    ax.set(xlabel="Predicted value", ylabel="Residual (true − predicted)")
    return ax
